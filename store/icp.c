/* ICP registry answers with history: one icp_answers row per distinct
 * answer for a domain, its records in icp_records.  A domain whose latest
 * known answer is "not_filed" after a "filed" one was de-registered. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "host.h"
#include "err.h"
#include "internal.h"
#include "text.h"
#include "xalloc.h"

/* The main licence number as kmrep compares it: licence_parse's canonical
 * main form ("京ICP备10046444", "粤B2-20090059"), so a number printed on a
 * home page and one from the registry compare equal however they were
 * written.  Caller frees; NULL when s is not a licence number. */
char *
icp_licence_key(const char *s)
{
	struct licence lic;
	if (!s || licence_parse(s, &lic) < 0)
		return NULL;
	return xstrdup(lic.main);
}

static int
valid_state(const char *state)
{
	return state && (strcmp(state, "filed") == 0 || strcmp(state, "not_filed") == 0 ||
			 strcmp(state, "unknown") == 0);
}

static void
put_field(struct buf *b, const char *v)
{
	buf_puts(b, v ? v : "\x01");
	buf_putc(b, '\x1f');
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fingerprint of an answer: SHA-256 over state, reason and the sorted
 * serialised records (the registry's order is not significant). */
static void
answer_fingerprint(const char *state, const char *reason, const struct icp_record *records,
		   size_t n, char out[static 65])
{
	char **rows = xcalloc(n + 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const struct icp_record *r = &records[i];
		struct buf b;
		buf_init(&b);
		put_field(&b, r->domain);
		put_field(&b, r->domain_id);
		put_field(&b, r->main_id);
		put_field(&b, r->service_id);
		put_field(&b, r->unit_name);
		put_field(&b, r->nature_name);
		buf_printf(&b, "%d\x1f", (int)r->nature);
		put_field(&b, r->main_licence);
		put_field(&b, r->service_licence);
		put_field(&b, r->limit_access);
		put_field(&b, r->update_record_time);
		put_field(&b, r->content_type_name);
		put_field(&b, r->service_name);
		put_field(&b, r->home_url);
		rows[i] = buf_steal(&b);
		if (!rows[i])
			rows[i] = xstrdup("");
	}
	qsort(rows, n, sizeof(*rows), cmp_str);
	struct buf all;
	buf_init(&all);
	put_field(&all, state);
	put_field(&all, reason);
	for (size_t i = 0; i < n; i++) {
		buf_puts(&all, rows[i]);
		buf_putc(&all, '\x1e');
	}
	sha256_hex(all.data ? all.data : "", all.len, out);
	buf_finish(&all);
	store_strv_free(rows, n);
}

static const char SQL_ANSWER_LATEST[] =
	"SELECT id, fingerprint FROM icp_answers WHERE domain = ?1 ORDER BY id DESC LIMIT 1";
static const char SQL_ANSWER_TOUCH[] =
	"UPDATE icp_answers SET queried_at = max(queried_at, ?2) WHERE id = ?1";
static const char SQL_ANSWER_INSERT[] =
	"INSERT INTO icp_answers (domain, state, reason, fingerprint, first_at, queried_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_RECORD_INSERT[] =
	"INSERT INTO icp_records (answer_id, ord, domain, unit_name, nature, nature_name,"
	" main_licence, licence_key, service_licence, limit_access, update_record_time,"
	" domain_id, main_id, service_id, content_type_name, service_name, home_url)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

static int
icp_put_tx(struct store *s, const char *domain, const char *state, const char *reason,
	   const struct icp_record *records, size_t n, int64_t at, char *err)
{
	char fp[65];
	answer_fingerprint(state, reason, records, n, fp);
	sqlite3_stmt *st = stmt_get(s, SQL_ANSWER_LATEST, err);
	if (!st)
		return -1;
	bind_text(st, 1, domain);
	int r = stmt_step(s, st, "reading ICP answers", err);
	if (r < 0)
		return -1;
	if (r == 1) {
		int64_t id = sqlite3_column_int64(st, 0);
		int same = strcmp(col_text(st, 1), fp) == 0;
		sqlite3_reset(st);
		if (same) {
			if (!(st = stmt_get(s, SQL_ANSWER_TOUCH, err)))
				return -1;
			bind_i64(st, 1, id);
			bind_i64(st, 2, at);
			return stmt_run(s, st, "storing an ICP answer", err);
		}
	}
	if (!(st = stmt_get(s, SQL_ANSWER_INSERT, err)))
		return -1;
	bind_text(st, 1, domain);
	bind_text(st, 2, state);
	bind_text(st, 3, reason);
	bind_text(st, 4, fp);
	bind_i64(st, 5, at);
	if (stmt_run(s, st, "storing an ICP answer", err) < 0)
		return -1;
	int64_t answer = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < n; i++) {
		const struct icp_record *rec = &records[i];
		if (!(st = stmt_get(s, SQL_RECORD_INSERT, err)))
			return -1;
		char *key = icp_licence_key(rec->main_licence);
		char *rdom = host_normalise(rec->domain);
		bind_i64(st, 1, answer);
		bind_i64(st, 2, (int64_t)i);
		bind_text(st, 3, rdom);
		bind_text(st, 4, rec->unit_name);
		bind_i64(st, 5, rec->nature);
		bind_text(st, 6, rec->nature_name);
		bind_text(st, 7, rec->main_licence);
		bind_text(st, 8, key);
		bind_text(st, 9, rec->service_licence);
		bind_text(st, 10, rec->limit_access);
		bind_text(st, 11, rec->update_record_time);
		bind_text(st, 12, rec->domain_id);
		bind_text(st, 13, rec->main_id);
		bind_text(st, 14, rec->service_id);
		bind_text(st, 15, rec->content_type_name);
		bind_text(st, 16, rec->service_name);
		bind_text(st, 17, rec->home_url);
		int rc = stmt_run(s, st, "storing an ICP record", err);
		free(key);
		free(rdom);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Records a registry answer; 0 or -1.  See store.h. */
int
store_icp_put(struct store *s, const char *domain, const char *state, const char *reason,
	      const struct icp_record *records, size_t n, int64_t at, char *err)
{
	if (!valid_state(state))
		return set_err(err, "bad ICP state \"%s\"", state ? state : "(null)");
	char *d = host_normalise(domain);
	if (!d)
		return set_err(err, "not a domain: \"%s\"", domain ? domain : "");
	struct tx t;
	int rc = -1;
	if (tx_enter(s, &t, err) == 0) {
		int ok = icp_put_tx(s, d, state, reason, records, n, at, err) == 0;
		rc = tx_leave(s, &t, ok, err);
	}
	free(d);
	return rc;
}

static const char SQL_ANSWER_KNOWN[] =
	"SELECT id, state, reason, first_at, queried_at FROM icp_answers"
	" WHERE domain = ?1 AND state <> 'unknown' ORDER BY id DESC LIMIT 1";
static const char SQL_ANSWER_ANY[] =
	"SELECT id, state, reason, first_at, queried_at FROM icp_answers"
	" WHERE domain = ?1 ORDER BY id DESC LIMIT 1";
static const char SQL_WAS_FILED[] =
	"SELECT 1 FROM icp_answers WHERE domain = ?1 AND state = 'filed' AND id < ?2 LIMIT 1";
static const char SQL_RECORDS[] =
	"SELECT domain, unit_name, nature, nature_name, main_licence, service_licence,"
	" limit_access, update_record_time, domain_id, main_id, service_id, content_type_name,"
	" service_name, home_url FROM icp_records WHERE answer_id = ?1 ORDER BY ord";

static int
read_records(struct store *s, int64_t answer, struct icp_current *out, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_RECORDS, err);
	if (!st)
		return -1;
	bind_i64(st, 1, answer);
	size_t cap = 0;
	int r;
	while ((r = stmt_step(s, st, "reading ICP records", err)) == 1) {
		out->records = xgrow(out->records, &cap, out->n_records + 1, sizeof(*out->records));
		struct icp_record *rec = &out->records[out->n_records++];
		memset(rec, 0, sizeof(*rec));
		rec->domain = col_dup(st, 0);
		rec->unit_name = col_dup(st, 1);
		rec->nature = (enum icp_nature)sqlite3_column_int(st, 2);
		rec->nature_name = col_dup(st, 3);
		rec->main_licence = col_dup(st, 4);
		rec->service_licence = col_dup(st, 5);
		rec->limit_access = col_dup(st, 6);
		rec->update_record_time = col_dup(st, 7);
		rec->domain_id = col_dup(st, 8);
		rec->main_id = col_dup(st, 9);
		rec->service_id = col_dup(st, 10);
		rec->content_type_name = col_dup(st, 11);
		rec->service_name = col_dup(st, 12);
		rec->home_url = col_dup(st, 13);
	}
	return r;
}

/* 1 and *out, 0 never queried, -1.  See store.h. */
int
store_icp_current(struct store *s, const char *domain, struct icp_current *out, char *err)
{
	memset(out, 0, sizeof(*out));
	char *d = host_normalise(domain);
	if (!d)
		return 0;
	int rc = -1;
	sqlite3_stmt *st = stmt_get(s, SQL_ANSWER_ANY, err);
	if (!st)
		goto out;
	bind_text(st, 1, d);
	int r = stmt_step(s, st, "reading ICP answers", err);
	if (r <= 0) {
		rc = r;
		goto out;
	}
	copy_fixed(out->last_attempt_state, sizeof(out->last_attempt_state), col_text(st, 1));
	out->last_attempt_at = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);

	if (!(st = stmt_get(s, SQL_ANSWER_KNOWN, err)))
		goto out;
	bind_text(st, 1, d);
	r = stmt_step(s, st, "reading ICP answers", err);
	if (r < 0)
		goto out;
	if (r == 0) {
		if (!(st = stmt_get(s, SQL_ANSWER_ANY, err)))
			goto out;
		bind_text(st, 1, d);
		if (stmt_step(s, st, "reading ICP answers", err) != 1)
			goto out;
	}
	int64_t answer = sqlite3_column_int64(st, 0);
	copy_fixed(out->state, sizeof(out->state), col_text(st, 1));
	out->reason = col_dup(st, 2);
	out->first_at = sqlite3_column_int64(st, 3);
	out->queried_at = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);

	if (strcmp(out->state, "not_filed") == 0) {
		if (!(st = stmt_get(s, SQL_WAS_FILED, err)))
			goto out;
		bind_text(st, 1, d);
		bind_i64(st, 2, answer);
		if ((r = stmt_step(s, st, "reading ICP answers", err)) < 0)
			goto out;
		out->was_filed_before = r;
		if (r == 1)
			sqlite3_reset(st);
	}
	if (read_records(s, answer, out, err) < 0)
		goto out;
	rc = 1;
out:
	free(d);
	if (rc != 1)
		icp_current_finish(out);
	return rc;
}


/* Frees what c owns. */
void
icp_current_finish(struct icp_current *c)
{
	if (!c)
		return;
	free(c->reason);
	for (size_t i = 0; i < c->n_records; i++)
		icp_record_finish(&c->records[i]);
	free(c->records);
	memset(c, 0, sizeof(*c));
}

static const char SQL_BY_LICENCE[] =
	"SELECT DISTINCT coalesce(r.domain, a.domain) FROM icp_records r"
	" JOIN icp_answers a ON a.id = r.answer_id"
	" WHERE r.licence_key = ?1 AND a.id = (SELECT max(b.id) FROM icp_answers b"
	"  WHERE b.domain = a.domain AND b.state <> 'unknown')"
	" ORDER BY 1";

/* Domains holding licence in current answers; 0 or -1. */
int
store_icp_by_licence(struct store *s, const char *licence, char ***domains, size_t *n,
		     char *err)
{
	*domains = NULL;
	*n = 0;
	char *key = icp_licence_key(licence);
	if (!key)
		return 0;
	int r = -1;
	sqlite3_stmt *st = stmt_get(s, SQL_BY_LICENCE, err);
	if (st) {
		bind_text(st, 1, key);
		size_t cap = 0;
		while ((r = stmt_step(s, st, "reading ICP records", err)) == 1) {
			*domains = xgrow(*domains, &cap, *n + 1, sizeof(**domains));
			(*domains)[(*n)++] = col_dup(st, 0);
		}
	}
	free(key);
	if (r < 0) {
		store_strv_free(*domains, *n);
		*domains = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
