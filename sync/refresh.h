/* One refresh run over a set of platforms: what `refresh` and `check` (of an
 * unknown platform, or with --refresh) both start.  Takes the refresh lock,
 * runs every selected source's job for each platform through one HTTP
 * client, and reports what happened; scoring is the caller's (report/). */
#ifndef KMREP_SYNC_REFRESH_H
#define KMREP_SYNC_REFRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "registry.h"

struct store;

struct refresh_options {
	const struct config *cfg;
	int64_t now;               /* the run's "now" */
	const char *db_path;       /* the lock is DB_PATH.lock */
	bool sources[SOURCE_MAX];  /* by registry position */
	bool full;                 /* --full: re-read everything */
	bool progress;             /* draw the progress line (stderr is a terminal) */
};

struct refresh_result {
	unsigned platforms;
	unsigned new_complaints, updated_complaints;
	unsigned failures;         /* failure lines printed */
	unsigned long requests;
	double seconds;
	bool interrupted;          /* SIGINT/SIGTERM stopped it */
	long lock_holder;          /* REFRESH_LOCKED: the pid holding the lock */
};

enum refresh_status {
	REFRESH_DONE = 0,
	REFRESH_PARTIAL,  /* a source or page failed (each printed); the rest is stored */
	REFRESH_ERROR,    /* a database or internal error (printed) */
	REFRESH_LOCKED,   /* another refresh holds the lock */
};

/* Opens a run that fetches (refresh, discover): takes the refresh lock
 * (DB_PATH.lock), ignores SIGPIPE, sets libcurl up.  Returns REFRESH_DONE,
 * REFRESH_LOCKED (*holder: its pid) or REFRESH_ERROR (printed).  Close an
 * opened run with sync_run_close. */
struct store_lock;
enum refresh_status sync_run_open(const char *db_path, struct store_lock **lock, long *holder);
void sync_run_close(struct store_lock *lock);

/* Refreshes platforms ids[0..n).  Failures are printed as they happen, one
 * line each.  Returns the status and fills res. */
enum refresh_status sync_refresh(struct store *st, const struct refresh_options *o,
				 const int64_t *ids, size_t n, struct refresh_result *res);

#endif
