/* One refresh run: the state every source job shares (database, HTTP client,
 * categorizer, counters) and the helpers they use to archive responses and
 * report failures.  The jobs (sync_heimao.c, sync_icp.c, sync_site.c) are
 * small state machines driven by the HTTP client's callbacks, so different
 * hosts are fetched in parallel while each host sees one request at a time. */
#ifndef KMREP_CLI_SYNC_H
#define KMREP_CLI_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "http.h"
#include "sources.h"

/* What to do about 黑猫's login wall (code 10005), in every message about it. */
#define HEIMAO_LOGIN_HINT \
	"save a logged-in 黑猫 cookie to [heimao] cookie_file; see README \"Logging in to 黑猫\""

struct categorizer;
struct feed_job;
struct platform;
struct progress;

struct sync {
	struct cli *cli;
	struct store *st;
	struct http_client *http;
	struct categorizer *cat;
	struct progress *progress;
	bool full;             /* --full: re-read everything */
	bool sources[N_SOURCES];

	/* Counters for the summary line. */
	unsigned platforms;
	unsigned jobs_done, jobs_total;
	unsigned new_complaints, updated_complaints;
	unsigned failures;
	bool internal_error;   /* a database error: exit 3 */

	/* The MIIT token, shared by every ICP job of the run. */
	char *icp_token;
	/* The last solved captcha (uuid and sign headers), reused while the
	 * registry accepts it. */
	char *icp_uuid, *icp_sign;
	/* Platforms waiting for the anonymous 黑猫 feed (sync_feed.c). */
	struct feed_job *feed;

	/* ICP jobs run one after another (one token, one polite queue). */
	int64_t *icp_pending;
	size_t n_icp_pending, cap_icp_pending, icp_next;
};

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

/* Marks a job finished (progress and counters). */
void sync_job_done(struct sync *s);

/* Ends a platform's job for source: records the outcome in the fetch state
 * (failure NULL: success) and prints the failure line with its hint. */
void sync_job_finish(struct sync *s, const struct platform *p, const char *source,
		     const char *failure, const char *hint);

/* Job starters: each queues its first request (or finishes at once) and
 * returns 0, or -1 on an internal error. */
int sync_heimao_start(struct sync *s, int64_t platform_id);
/* The detail pages of a platform's stored complaints that lack them, after
 * the anonymous feed found complaints; the job then reports the source as
 * failed with reason partial (the feed is partial coverage). */
int sync_heimao_start_details(struct sync *s, int64_t platform_id, const char *partial);
int sync_site_start(struct sync *s, int64_t platform_id);
int sync_icp_start(struct sync *s, int64_t platform_id);
/* Queues an ICP job; the first one starts at once, the next when it ends. */
void sync_icp_enqueue(struct sync *s, int64_t platform_id);
void sync_icp_next(struct sync *s);

/* Stores a parsed 黑猫 list page for a platform inside the caller's
 * transaction (also used by `import`): categorises and upserts each
 * complaint; counts new/changed; *all_known is set when every item was
 * already stored.  Returns 0 or -1. */
struct heimao_list_page;
int sync_heimao_store_page(struct sync *s, int64_t platform_id,
			   const struct heimao_list_page *page, bool *all_known, char *err);

/* Keeps the complaints of a keyword-search or feed page that are against the
 * platform: one of its merchants, or a merchant named exactly like it. */
void sync_heimao_keep_platform(struct heimao_list_page *page, const struct platform *p,
			       char *const *couids, size_t n_couids);

/* A platform whose 黑猫 lists hit the login wall waits for the anonymous
 * feed; sync_feed_start reads it (once per run, after the other jobs) and
 * reports each waiting platform as failed with partial coverage.  Returns 1
 * when requests were queued, 0 when nobody waits. */
void sync_feed_want(struct sync *s, int64_t platform_id, const char *reason,
		    const char *const *couids, size_t n_couids);
int sync_feed_start(struct sync *s);
/* Reports platforms still waiting (the run ended before the feed was read). */
void sync_feed_flush(struct sync *s);

#endif
