/* `discover` and `refresh --discover`: see discover_run.c. */
#ifndef KMREP_CLI_DISCOVER_RUN_H
#define KMREP_CLI_DISCOVER_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "sync/registry.h"

struct discover_request {
	bool sources[SOURCE_MAX]; /* by registry position */
	int64_t since_days;       /* complaints filed in this many days count */
	size_t min_complaints;    /* a merchant with fewer is not listed */
	bool add;                 /* track what is listed */
	const char *format;       /* text, json, csv; NULL: print nothing */
	bool bom;                 /* csv: a UTF-8 byte order mark */
};

/* Searches, lists (rq->format) and with rq->add tracks; *listed gets how
 * many untracked card platforms were found.  Returns the exit status: 1 when
 * a site could not be searched whole (what it found is still listed). */
int cli_discover(struct cli *cli, const struct discover_request *rq, size_t *listed);

#endif
