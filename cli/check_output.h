/* The two faces of a platform view: the text a buyer reads in a terminal and
 * the kmrep.check/1 JSON object scripts read (SPEC §5a). */
#ifndef KMREP_CLI_CHECK_OUTPUT_H
#define KMREP_CLI_CHECK_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "platform_view.h"

/* The kmrep.check/1 object (caller json_decref's it); with explain, an
 * "explain" member holds every constant and intermediate value. */
json_t *check_json(const struct platform_view *v, const struct config *cfg, bool explain);

/* Writes the text verdict; colour only when color is true. */
void check_text(FILE *out, const struct platform_view *v, const struct config *cfg,
		bool color, bool explain);

/* True when deduction component is printed: it cost points, and either the
 * platform is rated or the component is identity or trend. */
int deduction_shown(const struct score_result *r, int component);

/* The 12-month sparkline (▁▂▃▄▅▆▇█), UTF-8, into out (at least 40 bytes). */
void sparkline(const int monthly[12], char *out, size_t size);

#endif
