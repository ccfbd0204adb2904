/* One refresh run: the state every source job shares (database, HTTP client,
 * categorizer, counters) and the helpers they use to archive responses and
 * report failures.  The jobs (crawl.c for every complaint site, icp.c,
 * site.c) are small state machines driven by the HTTP client's callbacks, so
 * different hosts are fetched in parallel while each host sees one request at
 * a time. */
#ifndef KMREP_SYNC_SYNC_H
#define KMREP_SYNC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "http.h"
#include "registry.h"
#include "store.h"

struct categorizer;
struct feed_job;
struct platform;
struct progress;

struct sync {
	const struct config *cfg; /* read-only */
	int64_t now;              /* the run's "now", fixed */
	struct store *st;
	struct http_client *http;
	struct categorizer *cat;
	struct progress *progress;
	bool full;             /* --full: re-read everything */
	bool sources[SOURCE_MAX]; /* by registry position */

	/* Counters for the summary line. */
	unsigned platforms;
	unsigned jobs_done, jobs_total;
	unsigned new_complaints, updated_complaints;
	unsigned failures;
	bool internal_error;   /* a database error: exit 3 */
	bool cookie_file_noted[SOURCE_MAX]; /* the cookie file was diagnosed (once a run) */

	/* The MIIT token, shared by every ICP job of the run, and the last
	 * solved captcha (uuid and sign headers), reused while the registry
	 * accepts it. */
	char *icp_token;
	char *icp_uuid, *icp_sign;
	/* Platforms waiting for a site's anonymous feed (feed.c). */
	struct feed_job *feed;

	/* Platforms waiting for a source whose jobs run a few at a time. */
	struct job_queue {
		int64_t *ids;
		size_t n, cap, next;
		unsigned running;
		bool pumping;     /* starting jobs: a job that ends at once must not recurse */
	} queues[SOURCE_MAX];
};

/* Frees what the run owns (queues, token); the caller owns the rest. */
void sync_finish(struct sync *s);

/* Queues platform_id's job for source (a registry index); it starts now or,
 * for a source with a parallelism limit, when a running job ends. */
void sync_job_queue(struct sync *s, size_t source, int64_t platform_id);

/* Prints one failure line "PLATFORM: SOURCE: REASON[ (hint: HINT)]" on
 * stderr (also under -q) and counts it. */
void sync_report_failure(struct sync *s, const char *platform, const char *source,
			 const char *reason, const char *hint);

/* Archives a response in the raw store.  Must run inside the caller's
 * transaction.  Returns 0 or -1. */
int sync_archive(struct sync *s, const char *source, const char *kind, const char *url,
		 const struct http_response *r, int64_t platform_id, char *err);

/* A one-line description of a failed response ("HTTP 503 after 4 attempts",
 * "timed out", ...) into out. */
void sync_describe_failure(const struct http_response *r, char *out, size_t size);

/* Marks a job of source (a registry index) finished (progress and
 * counters). */
void sync_job_done(struct sync *s, size_t source);

/* An answer of source (its registry name) arrived: the progress line's
 * estimate counts its politeness interval from now. */
void sync_answered(struct sync *s, const char *source);

/* The HTTP client's tick (http_options.tick, user the run): redraws the
 * progress line, whose estimate counts down while requests wait. */
void sync_tick(void *user);

/* Ends a platform's job for source: records the outcome in the fetch state
 * (FETCH_OK: failure is NULL) and prints the failure line with its hint. */
void sync_job_finish(struct sync *s, const struct platform *p, const char *source,
		     enum fetch_outcome outcome, const char *failure, const char *hint);

/* A platform whose complaint lists hit site's login wall waits for the
 * anonymous feed; sync_feed_start reads it (once per run, after the other
 * jobs).  Each waiting platform is then handed to details (the crawler's
 * job for the detail pages of what the feed found, which reports partial
 * coverage with the reason it gets) or, when the feed found nothing or the
 * run ends, reported as partial coverage at once.  sync_feed_start returns
 * 1 when requests were queued, 0 when nobody waits. */
struct complaint_site;
typedef int (*feed_details_fn)(struct sync *s, const struct complaint_site *site,
			       int64_t platform_id, const char *reason);
void sync_feed_want(struct sync *s, const struct complaint_site *site, int64_t platform_id,
		    const char *reason, const char *const *couids, size_t n_couids,
		    feed_details_fn details);
int sync_feed_start(struct sync *s);
/* Reports platforms still waiting (the run ended before the feed was read). */
void sync_feed_flush(struct sync *s);

#endif
