/* The progress line of an interactive refresh, on stderr: only when stderr
 * is a terminal and -q was not given.  Per source, what is done of what is
 * known so far (a complaint site's list and search pages and detail pages,
 * another source's platforms), and the time the politeness intervals still
 * take: the source's min_interval_ms times the requests known to remain,
 * the longest over the sources (they are fetched in parallel).
 *
 *     黑猫 12/40 页 · 详情 3/9 · 聚投诉 2/? 页 · ICP 0/1 · 还需约 1 分 20 秒
 *
 * "?" is a list whose site does not say how long it is.  The line is
 * redrawn in place whenever it changes (a job's counts, or the estimate's
 * seconds while a request waits), fits the terminal's width, and is blanked
 * before any message (msg_status), at the end, and once Ctrl-C asked the run
 * to stop. */
#ifndef KMREP_SYNC_PROGRESS_H
#define KMREP_SYNC_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress;

/* What a job has done and knows it still has to do; sources sum them. */
struct progress_counts {
	unsigned pages_done, pages_known; /* list, search and feed pages */
	unsigned pages_open;              /* lists being read whose length is unknown */
	unsigned details_done, details_known;
	unsigned requests_left;           /* requests known to remain, in flight included */
};

/* Returns NULL (a valid "no progress line") when stderr is not a terminal
 * or quiet is set; every function accepts NULL. */
struct progress *progress_create(bool quiet);
/* Declares source (a registry position) as part of the run: label is how the
 * line names it (not copied), interval_ms its politeness interval. */
void progress_source(struct progress *p, size_t source, const char *label, long interval_ms);
/* A job of source was queued (total) or ended (done): sources without page
 * counts show these, and count one request per job still to end. */
void progress_job(struct progress *p, size_t source, bool done);
/* Replaces a job's share of source's counts: *shown (what it reported last,
 * zero at first) by *now, which *shown becomes; redraws. */
void progress_count(struct progress *p, size_t source, struct progress_counts *shown,
		    const struct progress_counts *now);
/* An answer of source arrived: its politeness interval runs from now. */
void progress_answered(struct progress *p, size_t source);
/* Redraws the line if it changed (the estimate counts down while a request
 * waits): the HTTP client's tick. */
void progress_draw(struct progress *p);
/* Blanks the line; it comes back at the next change. */
void progress_clear(struct progress *p);
/* Blanks the line and frees p. */
void progress_destroy(struct progress *p);

#endif
