/* Per-platform, per-source fetch state: when a source last succeeded, why it
 * last failed, and where an incremental fetch resumes. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "internal.h"
#include "xalloc.h"

const char *
fetch_outcome_name(enum fetch_outcome o)
{
	switch (o) {
	case FETCH_OK:
		return "ok";
	case FETCH_PARTIAL:
		return "partial";
	case FETCH_BLOCKED:
		return "blocked";
	case FETCH_FAILED:
		break;
	}
	return "failed";
}

static const char SQL_FETCH_OK[] =
	"INSERT INTO fetch_state (platform_id, source, last_attempt_at, last_success_at, cursor,"
	" consecutive_failures, outcome) VALUES (?1, ?2, ?3, ?3, ?4, 0, 'ok')"
	" ON CONFLICT (platform_id, source) DO UPDATE SET last_attempt_at = ?3,"
	" last_success_at = ?3, cursor = ?4, consecutive_failures = 0, outcome = 'ok'";

/* Records a success; 0 or -1. */
int
store_fetch_ok(struct store *s, int64_t platform_id, const char *source, int64_t at,
	       const char *cursor, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_FETCH_OK, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	bind_i64(st, 3, at);
	bind_text(st, 4, cursor);
	return stmt_run(s, st, "storing the fetch state", err);
}

static const char SQL_FETCH_FAILED[] =
	"INSERT INTO fetch_state (platform_id, source, last_attempt_at, last_error, last_error_at,"
	" consecutive_failures, outcome) VALUES (?1, ?2, ?3, ?4, ?3, 1, ?5)"
	" ON CONFLICT (platform_id, source) DO UPDATE SET last_attempt_at = ?3,"
	" last_error = ?4, last_error_at = ?3, consecutive_failures = consecutive_failures + 1,"
	" outcome = ?5";

/* Records a failure, keeping the last success and the cursor; 0 or -1. */
int
store_fetch_failed(struct store *s, int64_t platform_id, const char *source, int64_t at,
		   enum fetch_outcome outcome, const char *reason, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_FETCH_FAILED, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	bind_i64(st, 3, at);
	bind_text(st, 4, reason ? reason : "unknown error");
	bind_text(st, 5, fetch_outcome_name(outcome == FETCH_OK ? FETCH_FAILED : outcome));
	return stmt_run(s, st, "storing the fetch state", err);
}

#define FETCH_COLUMNS                                                                     \
	"source, last_attempt_at, last_success_at, last_error, last_error_at, cursor,"   \
	" consecutive_failures, outcome"

static const char SQL_FETCH_GET[] =
	"SELECT " FETCH_COLUMNS " FROM fetch_state WHERE platform_id = ?1 AND source = ?2";
static const char SQL_FETCH_LIST[] =
	"SELECT " FETCH_COLUMNS " FROM fetch_state WHERE platform_id = ?1 ORDER BY source";

static void
read_state(sqlite3_stmt *st, struct fetch_state *f)
{
	f->source = col_dup(st, 0);
	f->last_attempt_at = col_i64(st, 1, 0);
	f->last_success_at = col_i64(st, 2, 0);
	f->last_error = col_dup(st, 3);
	f->last_error_at = col_i64(st, 4, 0);
	f->cursor = col_dup(st, 5);
	f->consecutive_failures = (int)col_i64(st, 6, 0);
	const char *o = (const char *)sqlite3_column_text(st, 7);
	f->outcome = f->consecutive_failures ? FETCH_FAILED : FETCH_OK;
	for (int k = FETCH_OK; o && k <= FETCH_BLOCKED; k++)
		if (!strcmp(o, fetch_outcome_name((enum fetch_outcome)k)))
			f->outcome = (enum fetch_outcome)k;
}

/* 1 and *out (fetch_state_finish), 0 never fetched, -1. */
int
store_fetch_state_get(struct store *s, int64_t platform_id, const char *source,
		      struct fetch_state *out, char *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = stmt_get(s, SQL_FETCH_GET, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	int r = stmt_step(s, st, "reading the fetch state", err);
	if (r == 1) {
		read_state(st, out);
		sqlite3_reset(st);
	}
	return r;
}

/* Every source's state of a platform; 0 or -1. */
int
store_fetch_state_list(struct store *s, int64_t platform_id, struct fetch_state **out,
		       size_t *n, char *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = stmt_get(s, SQL_FETCH_LIST, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	size_t cap = 0;
	int r;
	while ((r = stmt_step(s, st, "reading the fetch state", err)) == 1) {
		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		read_state(st, &(*out)[(*n)++]);
	}
	if (r < 0) {
		fetch_state_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* Frees what f owns. */
void
fetch_state_finish(struct fetch_state *f)
{
	if (!f)
		return;
	free(f->source);
	free(f->last_error);
	free(f->cursor);
	memset(f, 0, sizeof(*f));
}

/* Finishes and frees a list; NULL ok. */
void
fetch_state_list_free(struct fetch_state *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		fetch_state_finish(&list[i]);
	free(list);
}

static const char SQL_WALK_GET[] =
	"SELECT next_page, cursor, complete FROM walk_state"
	" WHERE platform_id = ?1 AND source = ?2 AND key = ?3";

/* 1 and *out, 0 never walked, -1. */
int
store_walk_get(struct store *s, int64_t platform_id, const char *source, const char *key,
	       struct walk_state *out, char *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = stmt_get(s, SQL_WALK_GET, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	bind_text(st, 3, key);
	int r = stmt_step(s, st, "reading a walk's progress", err);
	if (r == 1) {
		out->next_page = col_i64(st, 0, 1);
		out->cursor = col_dup(st, 1);
		out->complete = col_i64(st, 2, 0) != 0;
		sqlite3_reset(st);
	}
	return r;
}

static const char SQL_WALK_PUT[] =
	"INSERT INTO walk_state (platform_id, source, key, next_page, cursor, complete, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT (platform_id, source, key) DO UPDATE SET next_page = ?4, cursor = ?5,"
	" complete = ?6, updated_at = ?7";

/* Records a walk's progress; 0 or -1. */
int
store_walk_put(struct store *s, int64_t platform_id, const char *source, const char *key,
	       const struct walk_state *w, int64_t now, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_WALK_PUT, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	bind_text(st, 3, key);
	bind_i64(st, 4, w->next_page);
	bind_text(st, 5, w->cursor);
	bind_i64(st, 6, w->complete);
	bind_i64(st, 7, now);
	return stmt_run(s, st, "storing a walk's progress", err);
}

/* Frees what w owns. */
void
walk_state_finish(struct walk_state *w)
{
	if (!w)
		return;
	free(w->cursor);
	memset(w, 0, sizeof(*w));
}
