/* Cross-source dedupe (research/scoring-anchors.md §10.1): the same
 * complaint posted on two complaint sites must count once.  Pure: records
 * in, marks out; no I/O. */
#ifndef KMREP_REPORT_DEDUPE_H
#define KMREP_REPORT_DEDUPE_H

#include <stddef.h>
#include <stdint.h>

#include "score.h"

#define DEDUPE_NONE SIZE_MAX
#define DEDUPE_WINDOW_S (3 * 86400) /* |filed_at difference| at most this */
#define DEDUPE_SIMILARITY 0.9       /* trigram Jaccard at least this */

/* One complaint to dedupe.  Everything is borrowed; only dup_of and exact
 * are written. */
struct dedupe_record {
	const struct score_complaint *complaint; /* filed_at, amount_fen and source are read */
	const char *source_id;  /* the complaint's id within its source (the site's serial
				   number); NULL unknown */
	const char *platform;   /* the platform it is counted for; records of different
				   platforms are never duplicates (NULL: one platform) */
	const char *title;      /* may be NULL */
	const char *summary;    /* may be NULL; a trailing "..." of truncation is ignored */
	size_t dup_of;          /* out: index of the record kept instead, or DEDUPE_NONE */
	int exact;              /* out: 1 when dup_of has the same (source, source_id) */
};

/* Marks duplicates among recs[0..n):
 * - exact: same platform, same (source, source_id); the first in array order
 *   is kept;
 * - cross-source: same platform, DIFFERENT sources, filed within
 *   DEDUPE_WINDOW_S of each other, the same amount when both are known, and
 *   the same normalised title + summary or a trigram Jaccard similarity of
 *   at least DEDUPE_SIMILARITY; the earlier-filed record is kept, and it
 *   absorbs at most one record per other source.
 * Records of the same source are never cross-source duplicates: one story
 * filed against several merchants (consecutive serial numbers) counts for each.
 * Records with filed_at 0 only take part in the exact rule.  Runs in
 * O(n log n) plus the pairs inside each 3-day window.  Returns the number of
 * records marked (dup_of != DEDUPE_NONE), or -1 with a reason in err when a
 * record has no complaint. */
int
dedupe_mark(struct dedupe_record *recs, size_t n, char *err);

/* Returns the similarity dedupe uses for two texts: 1 when their normalised
 * forms (full-width folded, ASCII lowercased, white space and punctuation
 * removed) are equal, else the Jaccard index of their character-trigram
 * sets (0 when either is empty). */
double
dedupe_similarity(const char *a, const char *b);

#endif
