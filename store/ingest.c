/* The one write path for a parsed page, used by refresh, import and reparse
 * alike: the response archived, the complaints that are against the
 * platform kept, categorised and upserted, a walk's progress recorded — in
 * one transaction, so a crash leaves the whole page or none of it. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "internal.h"
#include "msg.h"
#include "parse/category.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

bool
platform_named(const struct platform *p, const char *merchant_name)
{
	char *key = text_name_key(merchant_name);
	bool match = false;
	for (size_t i = 0; i <= p->n_aliases && !match; i++) {
		char *k = text_name_key(i ? p->aliases[i - 1] : p->name);
		match = !strcmp(k, key);
		free(k);
	}
	free(key);
	return match;
}

bool
ingest_in_scope(const struct complaint *c, const struct ingest_scope *scope)
{
	if (scope->list_merchant)
		return !c->merchant_id || !strcmp(c->merchant_id, scope->list_merchant);
	if (scope->candidates && !c->merchant_id && !c->merchant_name)
		return true;
	for (size_t k = 0; k < scope->n_merchant_ids; k++)
		if (c->merchant_id && !strcmp(c->merchant_id, scope->merchant_ids[k]))
			return true;
	return c->merchant_name && scope->platform && platform_named(scope->platform, c->merchant_name);
}

void
ingest_keep(struct complaint_list *items, const struct ingest_scope *scope)
{
	size_t kept = 0;
	for (size_t i = 0; i < items->len; i++) {
		struct complaint *c = &items->items[i];
		if (ingest_in_scope(c, scope))
			items->items[kept++] = *c;
		else
			complaint_finish(c);
	}
	items->len = kept;
}

static const char SQL_CANDIDATE_OLD[] =
	"SELECT platform_id, merchant_name, excluded_reason = '" COMPLAINT_UNCONFIRMED "'"
	" FROM complaints WHERE source = ?1 AND source_id = ?2";

int
store_complaint_owner(struct store *st, const char *source, const char *source_id,
		      int64_t *platform_id, bool *unconfirmed, char *err)
{
	sqlite3_stmt *q = stmt_get(st, SQL_CANDIDATE_OLD, err);
	if (!q)
		return -1;
	bind_text(q, 1, source);
	bind_text(q, 2, source_id);
	int r = stmt_step(st, q, "reading a complaint", err);
	*platform_id = 0;
	*unconfirmed = false;
	if (r == 1) {
		*platform_id = sqlite3_column_int64(q, 0);
		*unconfirmed = sqlite3_column_int(q, 2) == 1;
		sqlite3_reset(q);
	}
	return r;
}

/* The platform a candidate is stored for: platform_id when it is new (then
 * *fresh) or unclaimed and named like the platform; 0 (keep what is stored)
 * otherwise, so a keyword hit never takes another platform's complaint or
 * one already let go.  0 or -1. */
static int
candidate_platform(struct store *st, const struct complaint *c, const struct ingest_scope *scope,
		   int64_t platform_id, int64_t *out, bool *fresh, char *err)
{
	sqlite3_stmt *q = stmt_get(st, SQL_CANDIDATE_OLD, err);
	if (!q)
		return -1;
	bind_text(q, 1, c->source);
	bind_text(q, 2, c->source_id);
	int r = stmt_step(st, q, "reading a complaint", err);
	if (r < 0)
		return -1;
	*fresh = r == 0;
	*out = r == 0 ? platform_id : 0;
	if (r == 1) {
		const char *name = col_text(q, 1);
		if (sqlite3_column_type(q, 0) == SQLITE_NULL && name && scope->platform &&
		    platform_named(scope->platform, name))
			*out = platform_id;
		sqlite3_reset(q);
	}
	return 0;
}

static const char SQL_SETTLE_OURS[] =
	"UPDATE complaints SET excluded_reason = NULL, excluded_at = NULL"
	" WHERE source = ?1 AND source_id = ?2 AND excluded_reason = '" COMPLAINT_UNCONFIRMED "'";
static const char SQL_SETTLE_NOT_OURS[] =
	"UPDATE complaints SET excluded_reason = NULL, excluded_at = NULL, platform_id = NULL"
	" WHERE source = ?1 AND source_id = ?2 AND excluded_reason = '" COMPLAINT_UNCONFIRMED "'"
	" AND platform_id = ?3";

int
store_complaint_settle(struct store *st, const char *source, const char *source_id,
		       int64_t platform_id, bool ours, char *err)
{
	sqlite3_stmt *q = stmt_get(st, ours ? SQL_SETTLE_OURS : SQL_SETTLE_NOT_OURS, err);
	if (!q)
		return -1;
	bind_text(q, 1, source);
	bind_text(q, 2, source_id);
	if (!ours)
		bind_i64(q, 3, platform_id);
	if (stmt_run(st, q, "settling a candidate complaint", err) < 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

/* Upserts one complaint of a page; candidates (see struct ingest_scope)
 * are stored unconfirmed, a merchant list of such a site confirms. */
static int
upsert_one(struct store *st, const struct ingest_page *pg, const struct complaint *c,
	   enum category k, enum upsert_result *res, char *err)
{
	const struct ingest_scope *scope = pg->scope;
	int64_t platform_id = pg->platform_id;
	bool candidate = scope && scope->candidates && !c->merchant_id && !c->merchant_name;
	bool fresh = false;
	if (candidate && candidate_platform(st, c, scope, pg->platform_id, &platform_id, &fresh,
					    err) < 0)
		return -1;
	if (store_complaint_upsert(st, platform_id, c, k, pg->now, res, err) < 0)
		return -1;
	if (candidate && fresh)
		return store_complaint_exclude(st, c->source, c->source_id, COMPLAINT_UNCONFIRMED,
					       pg->now, err) < 0 ? -1 : 0;
	if (scope && scope->candidates && scope->list_merchant)
		return store_complaint_settle(st, c->source, c->source_id, pg->platform_id, true,
					      err) < 0 ? -1 : 0;
	return 0;
}

/* Upserts every complaint of items for the page's platform and counts them. */
static int
upsert_all(struct store *st, const struct ingest_page *pg, const struct complaint_list *items,
	   struct ingest_counts *counts, char *err)
{
	int64_t now = pg->now;
	for (size_t i = 0; i < items->len; i++) {
		const struct complaint *c = &items->items[i];
		if (time_in_future(c->filed_at, now)) {
			char when[21];
			time_format_utc(c->filed_at, when);
			msg_warn("%s: complaint %s: filed %s, more than a day ahead of now: "
				 "not recognised, skipped", c->source, c->source_id, when);
			continue;
		}
		enum category k =
			categorizer_classify(pg->cat, c->title, c->summary, c->issue, c->appeal);
		enum upsert_result res;
		if (upsert_one(st, pg, c, k, &res, err) < 0)
			return -1;
		if (res == UPSERT_NEW) {
			counts->added++;
			counts->all_known = false;
		} else if (res == UPSERT_CHANGED) {
			counts->changed++;
		}
	}
	return 0;
}

int
store_ingest_list(struct store *st, const struct ingest_page *pg, struct complaint_list *items,
		  struct ingest_counts *counts, char *err)
{
	memset(counts, 0, sizeof(*counts));
	counts->all_known = true;
	/* A merchant's own list names its merchant, also when its items do not
	 * (聚投诉): refresh, import and reparse store the same row. */
	for (size_t i = 0; items && pg->scope && pg->scope->list_merchant && i < items->len; i++)
		if (!items->items[i].merchant_id)
			items->items[i].merchant_id = xstrdup(pg->scope->list_merchant);
	if (items && pg->scope)
		ingest_keep(items, pg->scope);
	struct tx t;
	if (tx_enter(st, &t, err) < 0)
		return -1;
	int rc = 0;
	if (pg->raw)
		rc = store_raw_put(st, pg->raw, NULL, err);
	if (rc == 0 && items)
		rc = upsert_all(st, pg, items, counts, err);
	const struct walk_state *walk = counts->all_known && pg->walk_if_all_known
		? pg->walk_if_all_known : pg->walk;
	if (rc == 0 && walk)
		rc = store_walk_put(st, pg->platform_id, pg->source, pg->walk_key, walk, pg->now, err);
	return tx_leave(st, &t, rc == 0, err);
}

int
store_ingest_detail(struct store *st, const struct raw_response *raw, const char *source,
		    const char *source_id, const struct complaint_detail *d, int64_t now, char *err)
{
	struct tx t;
	if (tx_enter(st, &t, err) < 0)
		return -1;
	int applied = 0;
	int ok = (!raw || store_raw_put(st, raw, NULL, err) == 0) &&
		 (!source_id || !detail_kind_known(d->kind) ||
		  (applied = store_complaint_detail_apply(st, source, source_id, d, now, err)) >= 0);
	return tx_leave(st, &t, ok, err) < 0 ? -1 : applied;
}

int
store_ingest_detail_record(struct store *st, const struct ingest_page *pg,
			   const struct complaint_detail *d, bool ours, char *err)
{
	struct tx t;
	if (tx_enter(st, &t, err) < 0)
		return -1;
	int rc = 0;
	if (ours && d->record) {
		struct complaint_list one = {.items = d->record, .len = 1, .cap = 1};
		struct ingest_page rec = *pg;
		rec.scope = NULL; /* decided by the caller: ours */
		struct ingest_counts counts;
		rc = store_ingest_list(st, &rec, &one, &counts, err);
	} else if (pg->raw) {
		rc = store_raw_put(st, pg->raw, NULL, err);
	}
	int applied = 0;
	if (rc == 0 && d->source_id)
		rc = applied = store_ingest_detail(st, NULL, d->record ? d->record->source : pg->source,
						   d->source_id, d, pg->now, err);
	if (rc >= 0 && d->source_id && pg->platform_id &&
	    store_complaint_settle(st, d->record ? d->record->source : pg->source, d->source_id,
				   pg->platform_id, ours, err) < 0)
		rc = -1;
	if (tx_leave(st, &t, rc >= 0, err) < 0)
		return -1;
	return applied;
}
