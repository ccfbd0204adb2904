/* Per-platform, per-source fetch state: when a source last succeeded, why it
 * last failed, and where an incremental fetch resumes. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "internal.h"
#include "xalloc.h"

static const char SQL_FETCH_OK[] =
	"INSERT INTO fetch_state (platform_id, source, last_attempt_at, last_success_at, cursor,"
	" consecutive_failures) VALUES (?1, ?2, ?3, ?3, ?4, 0)"
	" ON CONFLICT (platform_id, source) DO UPDATE SET last_attempt_at = ?3,"
	" last_success_at = ?3, cursor = ?4, consecutive_failures = 0";

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
	" consecutive_failures) VALUES (?1, ?2, ?3, ?4, ?3, 1)"
	" ON CONFLICT (platform_id, source) DO UPDATE SET last_attempt_at = ?3,"
	" last_error = ?4, last_error_at = ?3, consecutive_failures = consecutive_failures + 1";

/* Records a failure, keeping the last success and the cursor; 0 or -1. */
int
store_fetch_failed(struct store *s, int64_t platform_id, const char *source, int64_t at,
		   const char *reason, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_FETCH_FAILED, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	bind_i64(st, 3, at);
	bind_text(st, 4, reason ? reason : "unknown error");
	return stmt_run(s, st, "storing the fetch state", err);
}

#define FETCH_COLUMNS                                                                     \
	"source, last_attempt_at, last_success_at, last_error, last_error_at, cursor,"   \
	" consecutive_failures"

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
