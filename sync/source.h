/* How sync/ reads one source: the descriptor a registry line points to.
 * Each source's job is a small state machine driven by the HTTP client's
 * callbacks; it ends by calling sync_job_finish exactly once. */
#ifndef KMREP_SYNC_SOURCE_H
#define KMREP_SYNC_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "parse/record.h"

struct sync;
struct store;
struct categorizer;

/* A saved body stored again without the network: a file given to `import`,
 * or an archived response (`reparse`).  It goes through the same write path
 * (store/ingest.c) with the same scope as a live refresh. */
struct replay {
	struct store *st;
	struct categorizer *cat;
	int64_t now;
	int64_t platform_id;       /* the platform it is for; 0: none given */
	const char *body;
	size_t len;
	const char *url;           /* where it came from (reparse); NULL for an import */
	const char *kind;          /* the archive's kind (reparse); NULL: told by the body */
	const char *content_type;  /* NULL unknown */
	/* import --force: a complaint list of a merchant that is not the
	 * platform's is stored for it whole (the user's word), and so is a
	 * detail page that names another merchant. */
	bool force;
	unsigned added, changed;   /* complaints new to the store and changed, summed */
	/* Out, for an import without a platform: the platform its list page's
	 * complaints went to (its one merchant's), else 0. */
	int64_t page_platform;
	/* Out, with -ERR_CONFLICT (an import for platform_id, not forced): the
	 * one merchant the list page names, which is not the platform's, and
	 * the platform it is bound to (0: none); malloc'd, the caller frees it
	 * (NULL otherwise). */
	char *foreign_merchant;
	int64_t foreign_owner;
};

/* The archive's kind of a body stored by `import`, so `reparse` replays it
 * as an import (scope and defaults of an import, not of a fetch); with
 * --force, REPLAY_KIND_IMPORT_FORCED. */
#define REPLAY_KIND_IMPORT "import"
#define REPLAY_KIND_IMPORT_FORCED "import_forced"

/* A complaint site as the generic crawler (crawl.c) reads it: merchant
 * search by name, each merchant's complaint list newest first, keyword
 * search by name, then the detail page of every new or changed complaint.
 * Every function is pure, from fetch/NAME.c (URLs) and parse/NAME.c (pages);
 * the URLs are malloc'd, base is the section's base_url. */
struct complaint_site {
	const char *name;              /* the registry name: config section, database */
	/* Its config section's defaults (config_add_site). */
	const char *default_base_url;
	long default_interval_ms;
	const char *const *headers;    /* sent with every request */
	const char *login_hint;        /* what to do about the login wall */
	const char *login_cookie;      /* the cookie a logged-in session has ("SUB") */
	const char *blocked_hint;      /* what to do when the site blocks the run */
	/* Optional: per-job signing state (a timestamp and nonce reused across
	 * pages, as the site's own pages do), at most CRAWL_SESSION_SIZE bytes;
	 * without it the session is empty. */
	void (*session_init)(char *session);

	/* Optional: the site's merchant search by name.  Without one, only
	 * merchants bound with `add --PIN` have their lists read; the keyword
	 * search still runs. */
	char *(*merchant_search_url)(const char *base, const char *name);
	int (*merchant_search_parse)(const char *body, size_t len, struct merchant_list *out,
				     enum page_kind *kind, char *err);
	/* Page page (1-based) of a merchant's list; cursor is the previous
	 * page's list_page.next_cursor (NULL on the first page, and on sites
	 * that page by number). */
	char *(*list_url)(const char *base, const char *merchant_id, long page, const char *cursor,
			  const char *session);
	char *(*keyword_url)(const char *base, const char *name, long page, const char *session);
	/* Optional: the anonymous latest-complaints feed, the fallback behind a
	 * login wall (feed.c). */
	char *(*feed_url)(const char *base, long page, const char *session);
	int (*list_parse)(const char *body, size_t len, struct list_page *out, char *err);
	int (*detail_parse)(const char *body, size_t len, struct complaint_detail *out, char *err);
	/* Optional: a detail read in two steps (聚投诉): the complaint's page
	 * gives a key (and the merchant it names, when it does),
	 * detail_data_url(base, key) the data detail_parse reads.  Returns 0
	 * with *key (and *merchant_id, or NULL) malloc'd, or -1 with *kind and a
	 * reason. */
	int (*detail_key_parse)(const char *body, size_t len, char **key, char **merchant_id,
				enum detail_kind *kind, char *err);
	char *(*detail_data_url)(const char *base, const char *key);
	/* The keyword search's items name no merchant (聚投诉): they are
	 * candidates, counted only once their detail page names one of the
	 * platform's names (struct ingest_scope.candidates). */
	bool keyword_hits_unnamed;
	/* Merchant lists page by cursor (list_page.next_cursor): a full page
	 * without one, or a cursor seen before in the walk, is a failure, never
	 * the end of the list. */
	bool cursor_paging;
	/* Optional: what a saved body is, for `import`: "list" (also search
	 * pages), "detail" or "detail_page" (the first of two detail steps,
	 * archived only).  NULL: HTML is a detail page, anything else a list. */
	const char *(*body_kind)(const char *body, size_t len);
	/* Where an archived URL names its merchant or complaint (reparse, and
	 * private detail pages that do not say): the digits after these marks
	 * ("couid=", "/complaint/view/"). */
	const char *list_merchant_mark;
	const char *detail_id_mark;
};

/* A request for url on site, with its headers, cookies and interval. */
struct http_request site_request(const struct complaint_site *site,
				 const struct complaint_config *cfg, const char *url);

/* Whether source i (a registry position) is enabled in cfg. */
bool source_enabled(size_t i, const struct config *cfg);
/* The min_interval_ms of source i's requests in cfg. */
long source_interval_ms(size_t i, const struct config *cfg);
/* Starts source i's job for platform_id (as source_desc.start). */
int source_start(size_t i, struct sync *s, int64_t platform_id);

/* Stores a saved page of a complaint site (replay.c): a list (JSON) or a
 * detail page (HTML).  Returns as source_desc.replay. */
int complaint_replay(const struct complaint_site *site, struct replay *r, char *err);

#define CRAWL_SESSION_SIZE 48

/* The crawler's job for a platform on site (crawl.c). */
int crawl_start(struct sync *s, const struct complaint_site *site, int64_t platform_id);
/* Only the detail pages still missing, after the feed found complaints; the
 * job then reports the source as partial with this reason. */
int crawl_start_details(struct sync *s, const struct complaint_site *site, int64_t platform_id,
			const char *partial);

struct source_desc {
	/* A complaint site: read by the generic crawler (its config section,
	 * enabled, start and replay come from it; discover searches it too).
	 * NULL for the other kinds, which give the functions below. */
	const struct complaint_site *complaints;
	/* The other kinds: the source's [section] enabled (source_enabled). */
	bool (*enabled)(const struct config *cfg);
	/* The other kinds: the politeness interval of the source's requests
	 * (its [section] min_interval_ms), for the progress line's estimate. */
	long (*interval_ms)(const struct config *cfg);
	/* Optional: declares the source's config section. */
	void (*declare_config)(struct config *cfg);
	/* A probe of the platform's domains: nothing to do without one. */
	bool needs_domain;
	/* How many platforms' jobs may run at once; 0 for no limit (ICP: 1, one
	 * token and one polite queue for the run). */
	unsigned parallel;
	/* The other kinds: starts platform_id's job (source_start).  Returns 0,
	 * or -1 after printing an internal error (the job then counts as done). */
	int (*start)(struct sync *s, int64_t platform_id);
	/* The other kinds: stores a saved body of this source (sync_replay;
	 * complaint sites go through complaint_replay).  Returns 0, -ERR_PARSE (not a
	 * page of this source, or not recognised: err says which), -ERR_USAGE
	 * (the body needs a platform or domain that was not given) or -ERR_DB. */
	int (*replay)(struct replay *r, char *err);
	/* Optional: called when every queued request is done.  Returns true
	 * when it queued more (a second round: 黑猫's anonymous feed); last:
	 * no more rounds follow, report what still waits. */
	bool (*after_run)(struct sync *s, bool last);
};


#endif
