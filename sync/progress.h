/* A one-line progress bar on stderr for interactive refreshes: only when
 * stderr is a terminal and -q was not given; redrawn at most twice a second. */
#ifndef KMREP_SYNC_PROGRESS_H
#define KMREP_SYNC_PROGRESS_H

struct progress;

/* Returns NULL (a valid "no progress bar") when stderr is not a terminal or
 * quiet is set; every function accepts NULL. */
struct progress *progress_create(int quiet);
void progress_update(struct progress *p, unsigned done, unsigned total, unsigned new_items);
/* Erases the bar so a message can be printed on a clean line. */
void progress_clear(struct progress *p);
void progress_destroy(struct progress *p);

#endif
