/* store/: records <-> SQLite.  The only code in kmrep that speaks SQL.
 *
 * Conventions (STYLE.md):
 * - every function returns 0 on success and a negative value on failure,
 *   with a one-line reason in err (ERRBUF_SIZE bytes, caller-owned); lookups
 *   that may miss return 1 found / 0 not found / -1 error where documented;
 * - times are UTC seconds; money is fen; source ids are TEXT;
 * - statements are prepared once per connection (on first use) and values are
 *   always bound, never formatted into SQL;
 * - a function that writes several rows is atomic on its own: outside a
 *   transaction it runs in its own BEGIN IMMEDIATE ... COMMIT, inside one
 *   (store_begin) it uses a savepoint, so a failure undoes only that call;
 * - strings handed to a callback are borrowed for the callback's duration;
 *   a callback may call other store functions but not the same iterator again.
 *
 * The schema is documented in migrate.c (SPEC §4). */
#ifndef KMREP_STORE_H
#define KMREP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "host.h"
#include "parse/icp.h"
#include "parse/record.h"
#include "score_params.h"
#include "parse/site.h"

struct store;

/* ---- the database ------------------------------------------------------ */

/* The schema version this binary writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 3

/* Opens (creating the file, not its directory) and migrates the database at
 * path; ":memory:" gives a private in-memory database.  File databases use
 * WAL; every connection gets busy_timeout 5000 ms, foreign_keys ON and
 * synchronous NORMAL.  Refuses a file that is not a SQLite database, a SQLite
 * database that is not kmrep's, and a schema newer than this binary knows.
 * Returns 0 and *out (free with store_close), or -1. */
int store_open(const char *path, struct store **out, char *err);

/* Opens an existing database file read-only, for the commands that only
 * read (list, report, complaints, check): they then work in a read-only
 * directory or on a read-only file.  A WAL database whose -shm file cannot
 * be created there is read as immutable when it has no -wal file.  Nothing
 * is migrated: returns 1 (nothing opened) when the schema is older than this
 * binary's, so the caller uses store_open; 0 and *out; or -1 with err (the
 * same refusals as store_open). */
int store_open_readonly(const char *path, struct store **out, char *err);

/* Finalizes every prepared statement and closes the connection; NULL is a
 * no-op.  An open transaction is rolled back. */
void store_close(struct store *s);

/* The schema version found on disk before store_open migrated it (0 for a
 * new database). */
int store_schema_version_opened(const struct store *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK of the caller's transaction (one per
 * page of records).  store_rollback is harmless without a transaction.
 * Return 0 or -1. */
int store_begin(struct store *s, char *err);
int store_commit(struct store *s, char *err);
int store_rollback(struct store *s, char *err);

/* The batch import and reparse commit: small enough that its changed pages
 * fit SQLite's page cache (2 MB by default).  A batch that does not spills
 * pages into the WAL mid-transaction, writes them there again each time they
 * change, and at COMMIT SQLite reads back and rewrites the checksum of every
 * frame after the first one written twice: with 10,000 complaints a batch,
 * half the reads and writes of an import.  A larger cache costs more in
 * memory and page faults than it saves. */
#define STORE_BATCH_ROWS 500
#define STORE_BATCH_BYTES (1u << 20)

/* Batched pages (import, reparse): between store_batch_begin and
 * store_batch_end, a page's store_begin / store_commit / store_rollback are a
 * savepoint inside one transaction instead of a transaction of their own, so
 * a page that fails still changes nothing.  store_batch_page_done, called
 * after each page, commits that transaction once max_rows complaints or
 * max_bytes of new archived bodies have been written since the last commit
 * (what the transaction changes, not what was read: a re-import writes
 * neither and commits seldom);
 * store_batch_end commits the rest (ok) or rolls it back.  A process killed
 * midway keeps the pages up to the last commit: whole pages, never part of
 * one.  Without a batch the three calls behave as documented above.  Return
 * 0 or -1 (a failed commit loses the pages since the previous one: the
 * caller reports it as a database error). */
int store_batch_begin(struct store *s, size_t max_rows, size_t max_bytes, char *err);
int store_batch_page_done(struct store *s, char *err);
int store_batch_end(struct store *s, int ok, char *err);

/* ---- platforms --------------------------------------------------------- */

struct platform {
	int64_t id;
	char *name;
	char **domains;   /* lowercased, as added */
	size_t n_domains;
	char **aliases;   /* as given */
	size_t n_aliases;
	int tracked;      /* 0 after `remove` */
	int64_t added_at;
	int64_t removed_at; /* 0 while tracked */
};

/* Frees what p owns (not p itself); a zeroed platform is fine. */
void platform_finish(struct platform *p);
/* Finishes every element and frees the array; NULL is a no-op. */
void platform_list_free(struct platform *list, size_t n);

/* Tracks a platform; idempotent.  The platform it merges into is the one
 * whose name or alias has the same text_name_key as name, else the one that
 * owns one of the aliases or domains (a "www." prefix is ignored when
 * comparing domains).  A removed platform is tracked again; when name is not
 * the existing platform's name it is kept as an alias.  A domain or alias
 * owned by another platform fails with a message naming that platform, and
 * nothing is written.  *id_out (may be NULL) gets the id; *created (may be
 * NULL) is 1 when a new platform row was made.  Returns 0, -ERR_CONFLICT
 * (an alias or domain owned by another platform) or -1. */
int store_platform_add(struct store *s, const char *name, const char *const *domains,
		       size_t n_domains, const char *const *aliases, size_t n_aliases, int64_t now,
		       int64_t *id_out, int *created, char *err);

/* Finds a platform by name or alias (compared by text_name_key) or by domain
 * or URL (host_normalise; "www.x" and "x" match each other).
 * Untracked platforms are found too.  Returns 1 found (*id set), 0 not found,
 * -1 error. */
int store_platform_find(struct store *s, const char *key, int64_t *id, char *err);

/* Reads one platform into *out (release with platform_finish).  Returns 0,
 * or -1 also when there is no such id. */
int store_platform_get(struct store *s, int64_t id, struct platform *out, char *err);

/* All tracked platforms (and untracked ones when include_untracked), by
 * name.  *out is malloc'd (platform_list_free); NULL when n is 0. */
int store_platform_list(struct store *s, int include_untracked, struct platform **out,
			size_t *n, char *err);

/* Stops tracking the platform key names (see store_platform_find); its
 * complaints and history stay.  Returns 0, 1 when not found, -1 error. */
int store_platform_remove(struct store *s, const char *key, int64_t now, char *err);

/* Forgets platform id altogether (check made it and found nothing): its
 * names, domains, merchants, probes, fetch state and scores; a complaint
 * stored under it keeps its row, unmapped.  Returns 0 or -1. */
int store_platform_delete(struct store *s, int64_t id, char *err);
/* Drops one domain (host_site form; "www.x" and "x" are one) of platform
 * id.  Its probes stay in the history but no longer count.  Returns 0, 1
 * when the platform has no such domain, -1 error. */
int store_platform_remove_domain(struct store *s, int64_t id, const char *domain, char *err);
/* Drops one alias (compared by text_name_key) of platform id.  Returns 0, 1
 * when the platform has no such alias, -1 error. */
int store_platform_remove_alias(struct store *s, int64_t id, const char *alias, char *err);
/* Renames platform id to name.  An alias of the same platform with that name
 * key stops being an alias (it is the name now); a name or alias of another
 * platform fails with -ERR_CONFLICT and a message naming it.  Returns 0,
 * -ERR_CONFLICT or -1; nothing is written on failure. */
int store_platform_rename(struct store *s, int64_t id, const char *name, char *err);

/* ---- merchants (a platform's accounts on a complaint site) ------------- */

struct merchant_ref {
	char *merchant_id;
	char *name;      /* NULL when never seen */
	int pinned;      /* set by the user (add --heimao-couid): never dropped by discovery */
	int64_t discovered_at;
};

/* Maps (source, merchant_id) to the platform.  A NULL name keeps the stored
 * one; pinned only ever goes from 0 to 1 here.  Returns 0 or -1. */
int store_merchant_set(struct store *s, int64_t platform_id, const char *source,
		       const char *merchant_id, const char *name, int pinned, int64_t now,
		       char *err);

/* The merchants of a platform for a source (NULL: every source), pinned
 * first.  *out is malloc'd (merchant_ref_list_free).  Returns 0 or -1. */
int store_merchant_list(struct store *s, int64_t platform_id, const char *source,
			struct merchant_ref **out, size_t *n, char *err);
void merchant_ref_list_free(struct merchant_ref *list, size_t n);

/* The platform a merchant is mapped to (the pinned mapping first, then the
 * oldest).  Returns 1 found, 0 not mapped, -1 error. */
int store_merchant_platform(struct store *s, const char *source, const char *merchant_id,
			    int64_t *platform_id, char *err);

/* ---- complaints -------------------------------------------------------- */

enum upsert_result { UPSERT_SAME = 0, UPSERT_NEW, UPSERT_CHANGED };

/* Inserts or updates the complaint keyed by (c->source, c->source_id).
 * platform_id 0 means "the platform c->merchant_id is mapped to" (NULL when
 * none).  A complaint keeps the first platform it was stored under (a NULL
 * one is filled in).  Unknown values in c (NULL strings, -1 amount, raw
 * status or satisfaction, 0 filed_at) never erase known ones, and an
 * 'unanswered' status stays 'answered' when the stored timeline has a
 * merchant reply.  updated_at changes only when something else did, so the
 * same upsert twice changes nothing.  *res (may be NULL) tells which.
 * Returns 0 or -1. */
int store_complaint_upsert(struct store *s, int64_t platform_id, const struct complaint *c,
			   enum category cat, int64_t now, enum upsert_result *res, char *err);

/* What the store knows of a complaint: *known 0/1; *raw_status (-1 unknown);
 * *needs_detail 1 when the detail page was never fetched or the raw status
 * changed since it was.  Any output pointer may be NULL.  Returns 0 or -1. */
int store_complaint_state(struct store *s, const char *source, const char *source_id,
			  int *known, int *raw_status, int *needs_detail, char *err);

/* Applies a detail page.  DETAIL_OK replaces the timeline events and sets
 * first_reply_at, user_confirmed, auto_completed, satisfaction (stars[2]*2
 * when known) and promotes 'unanswered' to 'answered' when a merchant
 * replied; NOT_FOUND and PRIVATE only record that the page was fetched;
 * UNRECOGNISED is refused (-1).  Either way detail_fetched_at = now and
 * detail_status_seen = the current raw status.  Returns 0, 1 when the
 * complaint is not stored, -1 error. */
int store_complaint_detail_apply(struct store *s, const char *source, const char *source_id,
				 const struct complaint_detail *d, int64_t now, char *err);

/* Excludes a complaint from scoring with a recorded reason (SCORING §8);
 * reason NULL includes it again.  Returns 0, 1 when not stored, -1 error. */
int store_complaint_exclude(struct store *s, const char *source, const char *source_id,
			    const char *reason, int64_t now, char *err);

/* One stored complaint; strings are borrowed (valid during the callback). */
struct stored_complaint {
	int64_t id;
	const char *source;
	const char *source_id;
	int64_t platform_id;      /* 0 when not mapped */
	const char *merchant_id;
	const char *merchant_name;
	const char *title;
	const char *summary;
	const char *issue;
	const char *appeal;
	int64_t amount_fen;       /* -1 unknown */
	int raw_status;           /* -1 unknown */
	enum complaint_status status;
	enum category category;
	int64_t filed_at;         /* 0 unknown */
	const char *url;
	const char *complainant_key;
	int satisfaction;         /* 0-10, -1 unknown */
	int64_t first_reply_at;   /* 0 never/unknown */
	int user_confirmed;
	int auto_completed;
	int64_t detail_fetched_at; /* 0 never */
	int detail_status_seen;   /* -1 when never fetched */
	const char *detail_kind;  /* "ok", "not_found", "private"; NULL never fetched */
	int64_t first_seen_at;
	int64_t updated_at;
	const char *excluded_reason; /* NULL unless excluded by hand */
	int64_t excluded_at;
};

/* Calls cb for every complaint of the platform (0: of every platform) filed
 * at or after since, newest first (filed_at, then id, descending); excluded
 * complaints are included (look at excluded_reason).  A non-zero return from
 * cb stops the walk and is returned.  Returns 0, cb's value, or -1. */
int store_complaints_each(struct store *s, int64_t platform_id, int64_t since,
			  int (*cb)(const struct stored_complaint *, void *), void *ctx,
			  char *err);

/* Calls cb once for complaint id (stored_complaint.id), e.g. for the
 * evidence URL of a fact.  Returns cb's value, 1 when there is no such
 * complaint, -1 error. */
int store_complaint_get(struct store *s, int64_t id,
			int (*cb)(const struct stored_complaint *, void *), void *ctx, char *err);

/* What scoring needs of one complaint, read from a covering index (no table
 * rows), for report over many platforms.  Excluded complaints are left out. */
struct complaint_fact {
	int64_t id;               /* stored_complaint.id: store_complaint_get for the rest */
	int64_t filed_at;
	enum complaint_status status;
	enum category category;
	int64_t first_reply_at;   /* 0 never/unknown */
	int satisfaction;         /* 0-10, -1 unknown */
	const char *source;       /* borrowed */
	int64_t complainant_tag;  /* 60-bit hash of complainant_key: equal keys, equal tags;
				     0 when the complainant is unknown */
	int reply_known;          /* the detail page was read: first_reply_at is authoritative */
};

/* Calls cb for the scoring facts of the platform's complaints filed at or
 * after since and not excluded, newest first.  Returns 0, cb's non-zero
 * value, or -1. */
int store_complaint_facts_each(struct store *s, int64_t platform_id, int64_t since,
			       int (*cb)(const struct complaint_fact *, void *), void *ctx,
			       char *err);

/* One stored timeline step; strings borrowed. */
struct stored_event {
	int seq;
	enum actor actor;
	const char *actor_key;
	const char *event;
	int64_t at;
	const char *text;
};

/* Calls cb for the timeline of complaint id (stored_complaint.id) in order.
 * Returns 0, cb's non-zero value, or -1. */
int store_complaint_events_each(struct store *s, int64_t complaint_id,
				int (*cb)(const struct stored_event *, void *), void *ctx,
				char *err);

/* Counts over one platform's complaints filed at or after since, excluded
 * ones left out (a covering index: no table reads). */
struct platform_counts {
	int64_t total;
	int64_t by_status[STATUS_COUNT];
	int64_t newest_filed_at; /* 0 when none */
	int64_t excluded;        /* excluded by hand in the same window */
};
int store_platform_counts(struct store *s, int64_t platform_id, int64_t since,
			  struct platform_counts *out, char *err);

/* ---- fetch state (per platform, per source) ---------------------------- */

/* How a source's latest attempt for a platform ended (SPEC §6 source states;
 * stale and never are derived from the times). */
enum fetch_outcome {
	FETCH_OK = 0,    /* everything asked for was read */
	FETCH_PARTIAL,   /* some was read and stored, but a walk or its coverage is incomplete */
	FETCH_FAILED,    /* nothing usable (an error, a page not recognised) */
	FETCH_BLOCKED,   /* the site refused: HTTP 456/403, login wall, captcha, rate limit */
};
/* "ok", "partial", "failed", "blocked" (static). */
const char *fetch_outcome_name(enum fetch_outcome o);

struct fetch_state {
	char *source;
	enum fetch_outcome outcome; /* of the latest attempt */
	int64_t last_attempt_at;
	int64_t last_success_at; /* 0 never */
	char *last_error;        /* the latest failure's reason, kept after a success */
	int64_t last_error_at;   /* 0 never; compare with last_success_at */
	char *cursor;
	int consecutive_failures;
};
void fetch_state_finish(struct fetch_state *f);
void fetch_state_list_free(struct fetch_state *list, size_t n);

/* A successful fetch at `at`: last_success_at = at, cursor as given (NULL
 * clears it), consecutive_failures = 0.  Returns 0 or -1. */
int store_fetch_ok(struct store *s, int64_t platform_id, const char *source, int64_t at,
		   const char *cursor, char *err);
/* A failed, partial or blocked fetch (outcome is not FETCH_OK): last_error
 * and last_error_at set, failures counted; last_success_at and the cursor are
 * kept.  Returns 0 or -1. */
int store_fetch_failed(struct store *s, int64_t platform_id, const char *source, int64_t at,
		       enum fetch_outcome outcome, const char *reason, char *err);

/* Where a walk over one of a platform's complaint lists got to.  key names
 * the list: a merchant id, or "search:" and a name for a keyword search. */
struct walk_state {
	int64_t next_page;  /* the first page not yet stored (1-based) */
	char *cursor;       /* the site's cursor for next_page, when it pages by cursor */
	bool complete;      /* the latest walk reached the end of the list */
};
void walk_state_finish(struct walk_state *w);
/* Returns 1 and fills *out (walk_state_finish), 0 when never walked, -1. */
int store_walk_get(struct store *s, int64_t platform_id, const char *source, const char *key,
		   struct walk_state *out, char *err);
/* Records a walk's progress; run it in the page's transaction, so the page
 * and the progress are stored together.  Returns 0 or -1. */
int store_walk_put(struct store *s, int64_t platform_id, const char *source, const char *key,
		   const struct walk_state *w, int64_t now, char *err);
/* Returns 1 and fills *out (fetch_state_finish), 0 when never fetched, -1. */
int store_fetch_state_get(struct store *s, int64_t platform_id, const char *source,
			  struct fetch_state *out, char *err);
/* Every source's state for a platform, by source name.  *out is malloc'd
 * (fetch_state_list_free).  Returns 0 or -1. */
int store_fetch_state_list(struct store *s, int64_t platform_id, struct fetch_state **out,
			   size_t *n, char *err);

/* ---- raw response archive ---------------------------------------------- */

/* One archived HTTP response.  For store_raw_put every pointer is the
 * caller's; in store_raw_each they are borrowed for the callback. Bodies
 * are stored once per distinct content (SHA-256), so re-fetching an
 * unchanged page costs a row, not a page. */
struct raw_response {
	int64_t id;               /* set by store_raw_each; ignored by put */
	const char *source;       /* "heimao", "icp", "site" */
	const char *kind;         /* "list", "detail", "company_search", "icp_query", "site" */
	const char *url;
	int status;               /* HTTP status */
	int64_t fetched_at;
	const char *content_type; /* NULL unknown */
	const char *etag;
	const char *last_modified;
	const void *body;
	size_t body_len;
	int64_t platform_id;      /* 0: none */
};

/* Archives r; *id (may be NULL) gets its row id.  Returns 0 or -1. */
int store_raw_put(struct store *s, const struct raw_response *r, int64_t *id, char *err);
/* Calls cb for every archived response of source (NULL: all) in id order.
 * Returns 0, cb's non-zero value, or -1. */
int store_raw_each(struct store *s, const char *source,
		   int (*cb)(const struct raw_response *, void *), void *ctx, char *err);
/* The validators of the latest 200 response for url, for a conditional
 * GET: *etag and *last_modified are malloc'd or NULL (caller frees).
 * Returns 1 when a 200 is archived, 0 when not, -1 error. */
int store_raw_validators(struct store *s, const char *url, char **etag, char **last_modified,
			 char *err);
/* The body of the latest 200 response for url (for a 304): *body is
 * malloc'd and NUL-terminated past *len, *content_type malloc'd or NULL
 * (content_type may be NULL).  Returns 1, 0 when none, -1 error. */
int store_raw_latest_body(struct store *s, const char *url, char **body, size_t *len,
			  char **content_type, char *err);

/* ---- ICP registry answers (with history) ------------------------------- */

/* Records one registry answer for domain (normalised here).  state is
 * "filed", "not_filed" or "unknown" (the query failed: reason says why).
 * A new history row is written only when the answer (state, reason and
 * records) differs from the latest one for the domain; otherwise the latest
 * one's queried_at moves to at.  Returns 0 or -1. */
int store_icp_put(struct store *s, const char *domain, const char *state, const char *reason,
		  const struct icp_record *records, size_t n, int64_t at, char *err);

struct icp_current {
	char state[16];        /* latest known answer: "filed", "not_filed"; "unknown"
				  when the registry never answered */
	char *reason;          /* for "unknown": why */
	int64_t first_at;      /* when this answer was first given */
	int64_t queried_at;    /* when it was last confirmed */
	int64_t last_attempt_at; /* latest query, failed ones included */
	char last_attempt_state[16];
	int was_filed_before;  /* state is "not_filed" and an earlier answer was "filed":
				  the filing was cancelled or revoked */
	struct icp_record *records; /* enum nature and strings as stored */
	size_t n_records;
};
void icp_current_finish(struct icp_current *c);

/* The current ICP answer for domain (see struct icp_current).  Returns 1 and
 * fills *out (icp_current_finish), 0 when never queried, -1 error. */
int store_icp_current(struct store *s, const char *domain, struct icp_current *out,
		      char *err);

/* Which domains the registry gives licence to, among the current answers
 * stored for every domain.  The licence is compared by its main number
 * (full-width folded, spaces, 号 and a "-N" site suffix dropped), so
 * "京ICP备10046444号-3" matches "京ICP备10046444号".  *domains is a malloc'd
 * array of malloc'd strings (store_strv_free).  Returns 0 or -1. */
int store_icp_by_licence(struct store *s, const char *licence, char ***domains, size_t *n,
			 char *err);
void store_strv_free(char **v, size_t n);

/* ---- site probes ------------------------------------------------------- */

struct site_probe {
	int64_t probed_at;
	char *domain;
	int http_status;     /* 0 when no response */
	int ok;              /* a page was fetched and parsed */
	char *error;
	char *title;
	char *charset;
	char *icp_raw;
	char *icp_canonical; /* licence canonical form; NULL when the page shows none */
	char *icp_main;
	int icp_kind;        /* enum licence_kind */
	int icp_year;
	int icp_placeholder;
	char *police_number;
};
void site_probe_finish(struct site_probe *p);

/* Records a probe of the platform's home page; p is NULL when it failed
 * (error says why).  Returns 0 or -1. */
int store_site_probe_put(struct store *s, int64_t platform_id, const char *domain,
			 int http_status, const char *error, const struct site_page *p,
			 int64_t at, char *err);
/* The latest probe of the platform (of domain when not NULL).  Returns 1
 * and fills *out (site_probe_finish), 0 none, -1 error. */
int store_site_probe_latest(struct store *s, int64_t platform_id, const char *domain,
			    struct site_probe *out, char *err);

/* ---- score history ----------------------------------------------------- */

struct score_row {
	int64_t at;
	double score;          /* NAN when not rated */
	char grade[8];
	char verdict[16];
	char trend_level[16];
	char formula[32];
};

/* Appends a score; score NAN is stored as NULL.  Returns 0 or -1. */
int store_score_put(struct store *s, int64_t platform_id, int64_t at, double score,
		    const char *grade, const char *verdict, const char *trend_level,
		    const char *formula, char *err);
/* Up to n latest scores, newest first, into out[]; *got gets the count.
 * Returns 0 or -1. */
int store_score_recent(struct store *s, int64_t platform_id, size_t n, struct score_row *out,
		       size_t *got, char *err);
/* The newest score recorded at or before at_most whose trend_level is one
 * of levels[0..n_levels).  Returns 1 and *out, 0 none, -1. */
int store_score_latest_trend(struct store *s, int64_t platform_id, int64_t at_most,
			     const char *const *levels, size_t n_levels, struct score_row *out,
			     char *err);

/* ---- the refresh lock -------------------------------------------------- */

struct store_lock;

/* Takes the exclusive refresh lock beside the database (path + ".lock",
 * flock, our pid written in it).  Returns 0 and *out (store_lock_release),
 * 1 when another process holds it (*holder_pid its pid, 0 when unknown),
 * -1 error.  ":memory:" locks nothing and succeeds. */
int store_lock_acquire(const char *db_path, struct store_lock **out, long *holder_pid,
		       char *err);
/* Releases and frees the lock; NULL is a no-op. */
void store_lock_release(struct store_lock *l);

/* ---- ingest: the one write path for a parsed page (ingest.c) ---------- */

struct categorizer;

/* Which complaints of a list page are against a platform. */
struct ingest_scope {
	const struct platform *platform; /* its name and aliases */
	char *const *merchant_ids;       /* its merchants on the page's site */
	size_t n_merchant_ids;
	/* A merchant's own list: only that merchant's complaints (and those
	 * that name no merchant).  NULL: a keyword-search or feed page, which
	 * also holds complaints that merely mention the platform — only those
	 * of its merchants, or of a merchant named exactly like it, are kept. */
	const char *list_merchant;
	/* The page's items name no merchant (聚投诉's keyword search): those are
	 * kept as candidates, stored for the platform but excluded as
	 * COMPLAINT_UNCONFIRMED until their detail page names the merchant
	 * (store_complaint_settle).  A merchant list (list_merchant) of such a
	 * site confirms its items. */
	bool candidates;
};

/* The excluded_reason of a candidate complaint: not counted anywhere until
 * its merchant is known to be the platform's. */
#define COMPLAINT_UNCONFIRMED "unconfirmed"

/* Settles candidate (source, source_id) of platform_id once its merchant is
 * known: ours, it counts for the platform; otherwise it is let go (kept in
 * the store, no platform's).  A complaint that is no candidate is left as
 * it is.  Returns 1 when it was a candidate, 0 when not, -1. */
int store_complaint_settle(struct store *st, const char *source, const char *source_id,
			   int64_t platform_id, bool ours, char *err);

/* The platform complaint (source, source_id) is stored for (0: none) and
 * whether it is still a candidate.  Returns 1, 0 when not stored, -1. */
int store_complaint_owner(struct store *st, const char *source, const char *source_id,
			  int64_t *platform_id, bool *unconfirmed, char *err);

/* True when merchant_name is the platform's name or one of its aliases
 * (compared by text_name_key): the only way a merchant found by name, or a
 * complaint on a keyword-search page, becomes the platform's. */
bool platform_named(const struct platform *p, const char *merchant_name);

/* Whether complaint c is against the platform scope describes. */
bool ingest_in_scope(const struct complaint *c, const struct ingest_scope *scope);

/* Drops from items the complaints that are out of scope. */
void ingest_keep(struct complaint_list *items, const struct ingest_scope *scope);

/* One page to store, and what goes with it. */
struct ingest_page {
	const struct raw_response *raw; /* archived with it; NULL: already archived */
	int64_t platform_id;            /* 0: the platform each merchant is mapped to */
	const struct ingest_scope *scope; /* NULL: keep every complaint */
	struct categorizer *cat;
	int64_t now;
	/* A walk's progress after this page (NULL: none), and instead of it
	 * when nothing on the page was new (NULL: the same). */
	const char *source, *walk_key;
	const struct walk_state *walk, *walk_if_all_known;
};

struct ingest_counts {
	unsigned added, changed; /* complaints new to the store, and changed ones */
	bool all_known;          /* nothing on the page was new */
};

/* Stores a list page in one transaction (a savepoint inside the caller's): pg->raw archived, items (may be
 * NULL: a page that was not recognised, archived only) filtered by
 * pg->scope, categorised and upserted, the walk's progress recorded.
 * Returns 0 or -1 (a database error; nothing is written). */
int store_ingest_list(struct store *st, const struct ingest_page *pg, struct complaint_list *items,
		      struct ingest_counts *counts, char *err);

/* Stores a detail page in one transaction (a savepoint inside the caller's): raw (may be NULL) archived and d
 * applied to complaint (source, source_id) when it is recognised and
 * source_id is not NULL.  Returns 0, 1 when the complaint is not stored, or
 * -1 (a database error; nothing is written). */
int store_ingest_detail(struct store *st, const struct raw_response *raw, const char *source,
			const char *source_id, const struct complaint_detail *d, int64_t now,
			char *err);

/* A detail page that carries the whole complaint (complaint_detail.record,
 * 聚投诉), stored in one transaction: the record upserted through pg's path
 * (pg->raw archives the page) when ours, the detail applied, and a
 * candidate of pg->platform_id settled (ours or let go).  Returns as
 * store_ingest_detail. */
int store_ingest_detail_record(struct store *st, const struct ingest_page *pg,
			       const struct complaint_detail *d, bool ours, char *err);

#endif
