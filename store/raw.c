/* The raw response archive: every response kmrep fetched, so pages can be
 * parsed again (kmrep reparse) and revalidated (conditional GET) without
 * refetching.  Bodies are stored once per distinct SHA-256. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "internal.h"
#include "text.h"
#include "xalloc.h"

static const char SQL_BODY_INSERT[] =
	"INSERT INTO raw_bodies (sha256, encoding, size, body) VALUES (?1, 'identity', ?2, ?3)"
	" ON CONFLICT (sha256) DO NOTHING";
static const char SQL_BODY_ID[] = "SELECT id FROM raw_bodies WHERE sha256 = ?1";
static const char SQL_RAW_INSERT[] =
	"INSERT INTO raw_responses (source, kind, url, status, fetched_at, content_type, etag,"
	" last_modified, body_id, platform_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

static int
raw_put_tx(struct store *s, const struct raw_response *r, int64_t *id, char *err)
{
	char hash[65];
	const void *body = r->body ? r->body : "";
	sha256_hex(body, r->body_len, hash);
	sqlite3_stmt *st = stmt_get(s, SQL_BODY_INSERT, err);
	if (!st)
		return -1;
	bind_text(st, 1, hash);
	bind_i64(st, 2, (int64_t)r->body_len);
	sqlite3_bind_blob64(st, 3, body, r->body_len, SQLITE_STATIC);
	if (stmt_run(s, st, "archiving a response body", err) < 0)
		return -1;
	if (s->batch && sqlite3_changes(s->db) > 0)
		s->batch_bytes += r->body_len; /* a new body: what a batch's size counts */
	if (!(st = stmt_get(s, SQL_BODY_ID, err)))
		return -1;
	bind_text(st, 1, hash);
	if (stmt_step(s, st, "archiving a response body", err) != 1)
		return set_err(err, "archived body %s vanished", hash);
	int64_t body_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (!(st = stmt_get(s, SQL_RAW_INSERT, err)))
		return -1;
	bind_text(st, 1, r->source);
	bind_text(st, 2, r->kind);
	bind_text(st, 3, r->url);
	bind_i64(st, 4, r->status);
	bind_i64(st, 5, r->fetched_at);
	bind_text(st, 6, r->content_type);
	bind_text(st, 7, r->etag);
	bind_text(st, 8, r->last_modified);
	bind_i64(st, 9, body_id);
	bind_i64_nonzero(st, 10, r->platform_id);
	if (stmt_run(s, st, "archiving a response", err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Archives a response; 0 or -1. */
int
store_raw_put(struct store *s, const struct raw_response *r, int64_t *id, char *err)
{
	if (!r->source || !r->url)
		return set_err(err, "raw response without a source or URL");
	struct tx t;
	int64_t got = 0;
	if (tx_enter(s, &t, err) < 0)
		return -1;
	int ok = raw_put_tx(s, r, &got, err) == 0;
	if (tx_leave(s, &t, ok, err) < 0)
		return -1;
	if (id)
		*id = got;
	return 0;
}

#define RAW_COLUMNS                                                                       \
	"r.id, r.source, r.kind, r.url, r.status, r.fetched_at, r.content_type, r.etag,"  \
	" r.last_modified, b.body, b.size, r.platform_id"

static const char SQL_RAW_ALL[] =
	"SELECT " RAW_COLUMNS " FROM raw_responses r JOIN raw_bodies b ON b.id = r.body_id"
	" ORDER BY r.id";
static const char SQL_RAW_SOURCE[] =
	"SELECT " RAW_COLUMNS " FROM raw_responses r JOIN raw_bodies b ON b.id = r.body_id"
	" WHERE r.source = ?1 ORDER BY r.id";

/* Streams the archive in id order; 0, cb's value, or -1. */
int
store_raw_each(struct store *s, const char *source,
	       int (*cb)(const struct raw_response *, void *), void *ctx, char *err)
{
	sqlite3_stmt *st = stmt_get(s, source ? SQL_RAW_SOURCE : SQL_RAW_ALL, err);
	if (!st)
		return -1;
	if (source)
		bind_text(st, 1, source);
	int r;
	while ((r = stmt_step(s, st, "reading the archive", err)) == 1) {
		struct raw_response raw = {
			.id = sqlite3_column_int64(st, 0),
			.source = col_text(st, 1),
			.kind = col_text(st, 2),
			.url = col_text(st, 3),
			.status = sqlite3_column_int(st, 4),
			.fetched_at = sqlite3_column_int64(st, 5),
			.content_type = col_text(st, 6),
			.etag = col_text(st, 7),
			.last_modified = col_text(st, 8),
			.body = sqlite3_column_blob(st, 9),
			.body_len = (size_t)sqlite3_column_bytes(st, 9),
			.platform_id = col_i64(st, 11, 0),
		};
		if (!raw.body)
			raw.body = "";
		int v = cb(&raw, ctx);
		if (v) {
			sqlite3_reset(st);
			return v;
		}
	}
	return r;
}

static const char SQL_RAW_LATEST[] =
	"SELECT r.etag, r.last_modified, b.body, r.content_type FROM raw_responses r"
	" JOIN raw_bodies b ON b.id = r.body_id"
	" WHERE r.url = ?1 AND r.status = 200 ORDER BY r.id DESC LIMIT 1";

/* Validators of the latest 200 for url; 1, 0 none, -1. */
int
store_raw_validators(struct store *s, const char *url, char **etag, char **last_modified,
		     char *err)
{
	*etag = NULL;
	*last_modified = NULL;
	sqlite3_stmt *st = stmt_get(s, SQL_RAW_LATEST, err);
	if (!st)
		return -1;
	bind_text(st, 1, url);
	int r = stmt_step(s, st, "reading the archive", err);
	if (r == 1) {
		*etag = col_dup(st, 0);
		*last_modified = col_dup(st, 1);
		sqlite3_reset(st);
	}
	return r;
}

/* The latest 200 body for url (caller frees); 1, 0 none, -1. */
int
store_raw_latest_body(struct store *s, const char *url, char **body, size_t *len,
		      char **content_type, char *err)
{
	*body = NULL;
	*len = 0;
	if (content_type)
		*content_type = NULL;
	sqlite3_stmt *st = stmt_get(s, SQL_RAW_LATEST, err);
	if (!st)
		return -1;
	bind_text(st, 1, url);
	int r = stmt_step(s, st, "reading the archive", err);
	if (r == 1) {
		const void *b = sqlite3_column_blob(st, 2);
		size_t n = (size_t)sqlite3_column_bytes(st, 2);
		*body = xmalloc(n + 1);
		if (n)
			memcpy(*body, b, n);
		(*body)[n] = '\0';
		*len = n;
		if (content_type)
			*content_type = col_dup(st, 3);
		sqlite3_reset(st);
	}
	return r;
}
