/* How sync/ reads one source: the descriptor a registry line points to.
 * Each source's job is a small state machine driven by the HTTP client's
 * callbacks; it ends by calling sync_job_finish exactly once. */
#ifndef KMREP_SYNC_SOURCE_H
#define KMREP_SYNC_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct sync;

struct source_desc {
	/* The source's [section] enabled. */
	bool (*enabled)(const struct config *cfg);
	/* A probe of the platform's domains: nothing to do without one. */
	bool needs_domain;
	/* How many platforms' jobs may run at once; 0 for no limit (ICP: 1, one
	 * token and one polite queue for the run). */
	unsigned parallel;
	/* Starts platform_id's job.  Returns 0, or -1 after printing an
	 * internal error (the job then counts as done). */
	int (*start)(struct sync *s, int64_t platform_id);
	/* Optional: called when every queued request is done.  Returns true
	 * when it queued more (a second round: 黑猫's anonymous feed); last:
	 * no more rounds follow, report what still waits. */
	bool (*after_run)(struct sync *s, bool last);
};

extern const struct source_desc heimao_source, icp_source, site_source;

#endif
