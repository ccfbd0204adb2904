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
 * padded by display width.  Returns 0, or -1 after a write error. */
int listing_text(FILE *out, json_t *arr);

#endif
