/* What `kmrep list` shows of a platform: its names, domains, last refresh
 * and latest recorded verdict (the score history, not a fresh scoring, so a
 * list of many platforms stays fast). */
#ifndef KMREP_REPORT_LISTING_H
#define KMREP_REPORT_LISTING_H

#include <jansson.h>
#include <stdio.h>

#include "store.h"

/* One platform as a JSON object (caller json_decref's it): name, domains,
 * aliases, tracked, added_at, last_refresh, verdict, score, grade. */
json_t *listing_json(struct store *st, const struct platform *p);

/* Writes the objects of arr (listing_json's) as aligned text columns, names
 * padded by display width, the last refresh in Asia/Shanghai.  A name wider
 * than its column goes on over the next lines; domains are one per line,
 * and one wider than its column stands whole on a line of its own, so no
 * cell pushes the next one out of its column.  Returns 0, or -1 after a
 * write error. */
int listing_text(FILE *out, json_t *arr);

#endif
