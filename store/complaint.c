/* Complaints and their timelines: idempotent upserts keyed on
 * (source, source_id), detail pages, and the streaming reader. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "internal.h"

static const char *const category_keys[] = {
#define X(id, key, zh) #key,
	CATEGORIES(X)
#undef X
};

static const char *
category_key(enum category c)
{
	if ((int)c < 0 || c >= CAT_COUNT)
		c = CAT_OTHER;
	return category_keys[c];
}

static enum category
category_from_key(const char *k)
{
	for (int i = 0; k && i < CAT_COUNT; i++)
		if (strcmp(k, category_keys[i]) == 0)
			return (enum category)i;
	return CAT_OTHER;
}

static const char *const actor_names[] = {"unknown", "user", "merchant", "platform"};

static const char *
actor_name(enum actor a)
{
	if ((int)a < 0 || (size_t)a >= sizeof(actor_names) / sizeof(actor_names[0]))
		a = ACTOR_UNKNOWN;
	return actor_names[a];
}

static enum actor
actor_from_name(const char *s)
{
	for (size_t i = 0; s && i < sizeof(actor_names) / sizeof(actor_names[0]); i++)
		if (strcmp(s, actor_names[i]) == 0)
			return (enum actor)i;
	return ACTOR_UNKNOWN;
}

/* Equal, NULL-safe. */
static int
same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A text field would change when the new value is known and differs. */
static int
text_changes(sqlite3_stmt *st, int col, const char *v)
{
	return v && !same_text(col_text(st, col), v);
}

/* A number field would change when the new value is known and differs. */
static int
num_changes(sqlite3_stmt *st, int col, int64_t v, int known)
{
	if (!known)
		return 0;
	return sqlite3_column_type(st, col) == SQLITE_NULL || sqlite3_column_int64(st, col) != v;
}

/* A 60-bit FNV-1a hash of a complainant key; 0 for none.  Equal keys give
 * equal tags; distinct keys collide with negligible probability. */
static int64_t
complainant_tag(const char *key)
{
	if (!key || !*key)
		return 0;
	uint64_t h = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	h &= 0x0FFFFFFFFFFFFFFFULL;
	return h ? (int64_t)h : 1;
}

/* Whether s is one of the status vocabulary (record.h).  The complaints
 * table has no CHECK for it since schema 3 (it cost a temporary b-tree per
 * row): this, on the one path that writes a status from outside, is the
 * rule. */
static int
status_valid(const char *s)
{
	for (int i = 0; i < STATUS_COUNT; i++)
		if (!strcmp(s, complaint_status_name((enum complaint_status)i)))
			return 1;
	return 0;
}

static const char SQL_UPSERT_OLD[] =
	"SELECT id, platform_id, merchant_id, merchant_name, title, summary, issue, appeal,"
	" amount_fen, raw_status, status, category, filed_at, url, complainant_key,"
	" satisfaction, first_reply_at"
	" FROM complaints WHERE source = ?1 AND source_id = ?2";

static const char SQL_INSERT[] =
	"INSERT INTO complaints (source, source_id, platform_id, merchant_id, merchant_name,"
	" title, summary, issue, appeal, amount_fen, raw_status, status, category, filed_at,"
	" url, complainant_key, satisfaction, first_seen_at, updated_at, complainant_tag)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, coalesce(?14, 0),"
	" ?15, ?16, ?17, ?18, ?18, ?19)";

static const char SQL_UPDATE[] =
	"UPDATE complaints SET platform_id = coalesce(platform_id, ?3),"
	" merchant_id = coalesce(?4, merchant_id), merchant_name = coalesce(?5, merchant_name),"
	" title = coalesce(?6, title), summary = coalesce(?7, summary),"
	" issue = coalesce(?8, issue), appeal = coalesce(?9, appeal),"
	" amount_fen = coalesce(?10, amount_fen), raw_status = coalesce(?11, raw_status),"
	" status = ?12, category = ?13, filed_at = coalesce(?14, filed_at),"
	" url = coalesce(?15, url), complainant_key = coalesce(?16, complainant_key),"
	" complainant_tag = CASE WHEN ?16 IS NULL THEN complainant_tag ELSE ?19 END,"
	" satisfaction = coalesce(?17, satisfaction), updated_at = ?18"
	" WHERE source = ?1 AND source_id = ?2";

static const char SQL_INSERT_NEW[] =
	"INSERT INTO complaints (source, source_id, platform_id, merchant_id, merchant_name,"
	" title, summary, issue, appeal, amount_fen, raw_status, status, category, filed_at,"
	" url, complainant_key, satisfaction, first_seen_at, updated_at, complainant_tag)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, coalesce(?14, 0),"
	" ?15, ?16, ?17, ?18, ?18, ?19) ON CONFLICT (source, source_id) DO NOTHING";

/* Binds a complaint's values as SQL_INSERT and SQL_UPDATE number them. */
static void
bind_row(sqlite3_stmt *st, int64_t platform_id, const struct complaint *c, const char *status,
	 enum category cat, int64_t now)
{
	bind_text(st, 1, c->source);
	bind_text(st, 2, c->source_id);
	bind_i64_nonzero(st, 3, platform_id);
	bind_text(st, 4, c->merchant_id);
	bind_text(st, 5, c->merchant_name);
	bind_text(st, 6, c->title);
	bind_text(st, 7, c->summary);
	bind_text(st, 8, c->issue);
	bind_text(st, 9, c->appeal);
	bind_i64_known(st, 10, c->amount_fen);
	bind_i64_known(st, 11, c->raw_status);
	bind_text(st, 12, status);
	bind_text(st, 13, category_key(cat));
	bind_i64_nonzero(st, 14, c->filed_at);
	bind_text(st, 15, c->url);
	bind_text(st, 16, c->complainant_key);
	if (c->satisfaction >= 0 && c->satisfaction <= 10)
		bind_i64(st, 17, c->satisfaction);
	else
		sqlite3_bind_null(st, 17);
	bind_i64(st, 18, now);
	bind_i64(st, 19, complainant_tag(c->complainant_key));
}

/* Inserts or updates one complaint; 0 or -1.  See store.h. */
int
store_complaint_upsert(struct store *s, int64_t platform_id, const struct complaint *c,
		       enum category cat, int64_t now, enum upsert_result *res, char *err)
{
	if (!c->source || !c->source_id || !*c->source_id)
		return set_err(err, "complaint without a source id");
	if ((unsigned)c->status >= STATUS_COUNT)
		return set_err(err, "complaint %s: status %d is not a known status", c->source_id,
			       (int)c->status);
	if (platform_id == 0 && c->merchant_id &&
	    store_merchant_platform(s, c->source, c->merchant_id, &platform_id, err) < 0)
		return -1;

	sqlite3_stmt *st;
	/* While complaints come new (an import, a reparse, a first refresh),
	 * the row is inserted unless it exists, without reading it first; once
	 * one is known, it is read first again.  Either way the row and the
	 * result are the same. */
	if (s->insert_first) {
		if (!(st = stmt_get(s, SQL_INSERT_NEW, err)))
			return -1;
		bind_row(st, platform_id, c, complaint_status_name(c->status), cat, now);
		if (stmt_run(s, st, "storing a complaint", err) < 0)
			return -1;
		if (sqlite3_changes(s->db) > 0) {
			s->batch_rows++;
			if (res)
				*res = UPSERT_NEW;
			return 0;
		}
		s->insert_first = false;
	}
	if (!(st = stmt_get(s, SQL_UPSERT_OLD, err)))
		return -1;
	bind_text(st, 1, c->source);
	bind_text(st, 2, c->source_id);
	int r = stmt_step(s, st, "reading a complaint", err);
	if (r < 0)
		return -1;
	if (r == 0)
		s->insert_first = true;

	const char *status = complaint_status_name(c->status);
	char old_status[16] = "";
	int changed = 0;
	if (r == 1) {
		copy_fixed(old_status, sizeof(old_status), col_text(st, 10));
		if (c->raw_status < 0 && c->status == STATUS_UNKNOWN)
			status = old_status; /* the list did not say: keep what we know */
		else if (c->status == STATUS_UNANSWERED &&
			 sqlite3_column_type(st, 16) != SQLITE_NULL)
			status = "answered"; /* the stored timeline has a merchant reply */
		changed = (sqlite3_column_type(st, 1) == SQLITE_NULL && platform_id != 0) ||
			text_changes(st, 2, c->merchant_id) ||
			text_changes(st, 3, c->merchant_name) || text_changes(st, 4, c->title) ||
			text_changes(st, 5, c->summary) || text_changes(st, 6, c->issue) ||
			text_changes(st, 7, c->appeal) ||
			num_changes(st, 8, c->amount_fen, c->amount_fen >= 0) ||
			num_changes(st, 9, c->raw_status, c->raw_status >= 0) ||
			!same_text(col_text(st, 10), status) ||
			!same_text(col_text(st, 11), category_key(cat)) ||
			num_changes(st, 12, c->filed_at, c->filed_at != 0) ||
			text_changes(st, 13, c->url) || text_changes(st, 14, c->complainant_key) ||
			num_changes(st, 15, c->satisfaction, c->satisfaction >= 0);
		sqlite3_reset(st);
		if (!changed) {
			if (res)
				*res = UPSERT_SAME;
			return 0;
		}
	}

	if (!status_valid(status))
		return set_err(err, "complaint %s: stored status \"%s\" is not a known status",
			       c->source_id, status);
	st = stmt_get(s, r == 1 ? SQL_UPDATE : SQL_INSERT, err);
	if (!st)
		return -1;
	bind_row(st, platform_id, c, status, cat, now);
	if (stmt_run(s, st, "storing a complaint", err) < 0)
		return -1;
	s->batch_rows++;
	if (res)
		*res = r == 1 ? UPSERT_CHANGED : UPSERT_NEW;
	return 0;
}

static const char SQL_STATE[] =
	"SELECT raw_status, detail_fetched_at, detail_status_seen FROM complaints"
	" WHERE source = ?1 AND source_id = ?2";

/* What is known of a complaint; 0 or -1. */
int
store_complaint_state(struct store *s, const char *source, const char *source_id, int *known,
		      int *raw_status, int *needs_detail, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_STATE, err);
	if (!st)
		return -1;
	bind_text(st, 1, source);
	bind_text(st, 2, source_id);
	int r = stmt_step(s, st, "reading a complaint", err);
	if (r < 0)
		return -1;
	int rs = -1, need = 1;
	if (r == 1) {
		rs = (int)col_i64(st, 0, -1);
		int fetched = sqlite3_column_type(st, 1) != SQLITE_NULL;
		int seen = (int)col_i64(st, 2, -1);
		need = !fetched || seen != rs;
		sqlite3_reset(st);
	}
	if (known)
		*known = r;
	if (raw_status)
		*raw_status = rs;
	if (needs_detail)
		*needs_detail = need;
	return 0;
}

static const char SQL_DETAIL_OLD[] =
	"SELECT id FROM complaints WHERE source = ?1 AND source_id = ?2";
static const char SQL_EVENTS_DELETE[] = "DELETE FROM complaint_events WHERE complaint_id = ?1";
static const char SQL_EVENT_INSERT[] =
	"INSERT INTO complaint_events (complaint_id, seq, actor, actor_key, event, at, text)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_DETAIL_OK[] =
	"UPDATE complaints SET first_reply_at = ?2, user_confirmed = ?3, auto_completed = ?4,"
	" satisfaction = coalesce(?5, satisfaction),"
	" status = CASE WHEN status = 'unanswered' AND ?6 THEN 'answered' ELSE status END,"
	" amount_fen = coalesce(amount_fen, ?7), merchant_id = coalesce(merchant_id, ?8),"
	" merchant_name = coalesce(merchant_name, ?9), title = coalesce(title, ?10),"
	" filed_at = CASE WHEN filed_at = 0 THEN coalesce(?11, 0) ELSE filed_at END,"
	" detail_kind = 'ok', detail_fetched_at = ?12, detail_status_seen = raw_status,"
	" updated_at = ?12 WHERE id = ?1";
static const char SQL_DETAIL_OTHER[] =
	"UPDATE complaints SET detail_kind = ?2, detail_fetched_at = ?3,"
	" detail_status_seen = raw_status, updated_at = ?3 WHERE id = ?1";

/* The detail-apply writes, inside a transaction; 0 or -1. */
static int
detail_apply_tx(struct store *s, int64_t id, const struct complaint_detail *d, int64_t now,
		char *err)
{
	sqlite3_stmt *st;
	if (d->kind != DETAIL_OK) {
		if (!(st = stmt_get(s, SQL_DETAIL_OTHER, err)))
			return -1;
		bind_i64(st, 1, id);
		bind_text(st, 2, d->kind == DETAIL_NOT_FOUND ? "not_found" : "private");
		bind_i64(st, 3, now);
		return stmt_run(s, st, "storing a detail page", err);
	}
	if (!(st = stmt_get(s, SQL_EVENTS_DELETE, err)))
		return -1;
	bind_i64(st, 1, id);
	if (stmt_run(s, st, "replacing a timeline", err) < 0)
		return -1;
	/* Whether and when the merchant replied is the parser's rule
	 * (complaint_detail.merchant_replied, first_reply_at); the store keeps it. */
	int64_t first_reply = d->first_reply_at;
	int replied = d->merchant_replied || first_reply != 0;
	for (size_t i = 0; i < d->n_events; i++) {
		const struct timeline_event *e = &d->events[i];
		if (!(st = stmt_get(s, SQL_EVENT_INSERT, err)))
			return -1;
		bind_i64(st, 1, id);
		bind_i64(st, 2, (int64_t)i);
		bind_text(st, 3, actor_name(e->actor));
		bind_text(st, 4, e->actor_name);
		bind_text(st, 5, e->event);
		bind_i64_nonzero(st, 6, e->at);
		bind_text(st, 7, e->text);
		if (stmt_run(s, st, "storing a timeline event", err) < 0)
			return -1;
	}
	if (!(st = stmt_get(s, SQL_DETAIL_OK, err)))
		return -1;
	bind_i64(st, 1, id);
	bind_i64_nonzero(st, 2, first_reply);
	bind_i64(st, 3, d->user_confirmed ? 1 : 0);
	bind_i64(st, 4, d->auto_completed ? 1 : 0);
	if (d->stars[2] >= 0 && d->stars[2] <= 5)
		bind_i64(st, 5, d->stars[2] * 2);
	else
		sqlite3_bind_null(st, 5);
	bind_i64(st, 6, replied);
	bind_i64_known(st, 7, d->amount_fen);
	bind_text(st, 8, d->merchant_id);
	bind_text(st, 9, d->merchant_name);
	bind_text(st, 10, d->title);
	bind_i64_nonzero(st, 11, time_in_future(d->posted_at, now) ? 0 : d->posted_at);
	bind_i64(st, 12, now);
	return stmt_run(s, st, "storing a detail page", err);
}

/* Applies a detail page; 0, 1 when the complaint is not stored, -1. */
int
store_complaint_detail_apply(struct store *s, const char *source, const char *source_id,
			     const struct complaint_detail *d, int64_t now, char *err)
{
	if (!detail_kind_known(d->kind))
		return set_err(err, "complaint %s: detail page layout not recognised", source_id);
	sqlite3_stmt *st = stmt_get(s, SQL_DETAIL_OLD, err);
	if (!st)
		return -1;
	bind_text(st, 1, source);
	bind_text(st, 2, source_id);
	int r = stmt_step(s, st, "reading a complaint", err);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	struct tx t;
	if (tx_enter(s, &t, err) < 0)
		return -1;
	int ok = detail_apply_tx(s, id, d, now, err) == 0;
	return tx_leave(s, &t, ok, err);
}

static const char SQL_EXCLUDE[] =
	"UPDATE complaints SET excluded_reason = ?3,"
	" excluded_at = CASE WHEN ?3 IS NULL THEN NULL ELSE ?4 END"
	" WHERE source = ?1 AND source_id = ?2";

/* Sets or clears a manual exclusion; 0, 1 not stored, -1. */
int
store_complaint_exclude(struct store *s, const char *source, const char *source_id,
			const char *reason, int64_t now, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_EXCLUDE, err);
	if (!st)
		return -1;
	bind_text(st, 1, source);
	bind_text(st, 2, source_id);
	bind_text(st, 3, reason);
	bind_i64(st, 4, now);
	if (stmt_run(s, st, "excluding a complaint", err) < 0)
		return -1;
	return sqlite3_changes(s->db) ? 0 : 1;
}

#define COMPLAINT_COLUMNS                                                                  \
	"id, source, source_id, platform_id, merchant_id, merchant_name, title, summary,"  \
	" issue, appeal, amount_fen, raw_status, status, category, filed_at, url,"         \
	" complainant_key, satisfaction, first_reply_at, user_confirmed, auto_completed,"  \
	" detail_fetched_at, detail_status_seen, detail_kind, first_seen_at, updated_at,"  \
	" excluded_reason, excluded_at"

static const char SQL_EACH_PLATFORM[] =
	"SELECT " COMPLAINT_COLUMNS " FROM complaints"
	" WHERE platform_id = ?1 AND filed_at >= ?2 ORDER BY filed_at DESC, id DESC";
static const char SQL_EACH_ALL[] =
	"SELECT " COMPLAINT_COLUMNS " FROM complaints"
	" WHERE filed_at >= ?2 ORDER BY filed_at DESC, id DESC";

static void
read_complaint(sqlite3_stmt *st, struct stored_complaint *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->source = col_text(st, 1);
	c->source_id = col_text(st, 2);
	c->platform_id = col_i64(st, 3, 0);
	c->merchant_id = col_text(st, 4);
	c->merchant_name = col_text(st, 5);
	c->title = col_text(st, 6);
	c->summary = col_text(st, 7);
	c->issue = col_text(st, 8);
	c->appeal = col_text(st, 9);
	c->amount_fen = col_i64(st, 10, -1);
	c->raw_status = (int)col_i64(st, 11, -1);
	c->status = complaint_status_from_name(col_text(st, 12));
	c->category = category_from_key(col_text(st, 13));
	c->filed_at = col_i64(st, 14, 0);
	c->url = col_text(st, 15);
	c->complainant_key = col_text(st, 16);
	c->satisfaction = (int)col_i64(st, 17, -1);
	c->first_reply_at = col_i64(st, 18, 0);
	c->user_confirmed = (int)col_i64(st, 19, 0);
	c->auto_completed = (int)col_i64(st, 20, 0);
	c->detail_fetched_at = col_i64(st, 21, 0);
	c->detail_status_seen = (int)col_i64(st, 22, -1);
	c->detail_kind = col_text(st, 23);
	c->first_seen_at = col_i64(st, 24, 0);
	c->updated_at = col_i64(st, 25, 0);
	c->excluded_reason = col_text(st, 26);
	c->excluded_at = col_i64(st, 27, 0);
}

/* Streams complaints newest first; 0, cb's value, or -1. */
int
store_complaints_each(struct store *s, int64_t platform_id, int64_t since,
		      int (*cb)(const struct stored_complaint *, void *), void *ctx, char *err)
{
	sqlite3_stmt *st = stmt_get(s, platform_id ? SQL_EACH_PLATFORM : SQL_EACH_ALL, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, since);
	int r;
	while ((r = stmt_step(s, st, "reading complaints", err)) == 1) {
		struct stored_complaint c;
		read_complaint(st, &c);
		int v = cb(&c, ctx);
		if (v) {
			sqlite3_reset(st);
			return v;
		}
	}
	return r;
}

static const char SQL_ONE[] = "SELECT " COMPLAINT_COLUMNS " FROM complaints WHERE id = ?1";

/* Calls cb for complaint id; 0 after cb returned 0, cb's value, 1 when
 * there is no such complaint, -1. */
int
store_complaint_get(struct store *s, int64_t id,
		    int (*cb)(const struct stored_complaint *, void *), void *ctx, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_ONE, err);
	if (!st)
		return -1;
	bind_i64(st, 1, id);
	int r = stmt_step(s, st, "reading a complaint", err);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	struct stored_complaint c;
	read_complaint(st, &c);
	int v = cb(&c, ctx);
	sqlite3_reset(st);
	return v;
}

static const char SQL_FACTS[] =
	"SELECT rowid, filed_at, status, category, first_reply_at, satisfaction, source,"
	" complainant_tag, detail_kind = 'ok' FROM complaints INDEXED BY complaints_facts"
	" WHERE platform_id = ?1 AND filed_at >= ?2 AND excluded_reason IS NULL"
	" ORDER BY filed_at DESC";

/* Streams the scoring facts newest first; 0, cb's value, or -1. */
int
store_complaint_facts_each(struct store *s, int64_t platform_id, int64_t since,
			   int (*cb)(const struct complaint_fact *, void *), void *ctx, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_FACTS, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, since);
	int r;
	while ((r = stmt_step(s, st, "reading complaints", err)) == 1) {
		struct complaint_fact f = {
			.id = sqlite3_column_int64(st, 0),
			.filed_at = sqlite3_column_int64(st, 1),
			.status = complaint_status_from_name(col_text(st, 2)),
			.category = category_from_key(col_text(st, 3)),
			.first_reply_at = col_i64(st, 4, 0),
			.satisfaction = (int)col_i64(st, 5, -1),
			.source = col_text(st, 6),
			.complainant_tag = col_i64(st, 7, 0),
			.reply_known = (int)col_i64(st, 8, 0),
		};
		int v = cb(&f, ctx);
		if (v) {
			sqlite3_reset(st);
			return v;
		}
	}
	return r;
}

static const char SQL_EVENTS[] =
	"SELECT seq, actor, actor_key, event, at, text FROM complaint_events"
	" WHERE complaint_id = ?1 ORDER BY seq";

/* Streams a complaint's timeline; 0, cb's value, or -1. */
int
store_complaint_events_each(struct store *s, int64_t complaint_id,
			    int (*cb)(const struct stored_event *, void *), void *ctx, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_EVENTS, err);
	if (!st)
		return -1;
	bind_i64(st, 1, complaint_id);
	int r;
	while ((r = stmt_step(s, st, "reading a timeline", err)) == 1) {
		struct stored_event e = {
			.seq = sqlite3_column_int(st, 0),
			.actor = actor_from_name(col_text(st, 1)),
			.actor_key = col_text(st, 2),
			.event = col_text(st, 3),
			.at = col_i64(st, 4, 0),
			.text = col_text(st, 5),
		};
		int v = cb(&e, ctx);
		if (v) {
			sqlite3_reset(st);
			return v;
		}
	}
	return r;
}

static const char SQL_COUNTS[] =
	"SELECT status, count(*), max(filed_at) FROM complaints"
	" INDEXED BY complaints_facts WHERE platform_id = ?1 AND filed_at >= ?2 AND excluded_reason IS NULL GROUP BY status";
static const char SQL_COUNT_EXCLUDED[] =
	"SELECT count(*) FROM complaints"
	" WHERE platform_id = ?1 AND filed_at >= ?2 AND excluded_reason IS NOT NULL"
	" AND excluded_reason <> '" COMPLAINT_UNCONFIRMED "'";

/* Per-status counts of a platform's window; 0 or -1. */
int
store_platform_counts(struct store *s, int64_t platform_id, int64_t since,
		      struct platform_counts *out, char *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = stmt_get(s, SQL_COUNTS, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, since);
	int r;
	while ((r = stmt_step(s, st, "counting complaints", err)) == 1) {
		enum complaint_status cs = complaint_status_from_name(col_text(st, 0));
		int64_t n = sqlite3_column_int64(st, 1);
		int64_t newest = col_i64(st, 2, 0);
		out->by_status[cs] += n;
		out->total += n;
		if (newest > out->newest_filed_at)
			out->newest_filed_at = newest;
	}
	if (r < 0)
		return -1;
	if (!(st = stmt_get(s, SQL_COUNT_EXCLUDED, err)))
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, since);
	if ((r = stmt_step(s, st, "counting complaints", err)) < 0)
		return -1;
	if (r == 1) {
		out->excluded = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return 0;
}
