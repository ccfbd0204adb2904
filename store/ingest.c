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

/* Whether complaint c is against the platform the scope describes. */
static bool
in_scope(const struct complaint *c, const struct ingest_scope *scope)
{
	if (scope->list_merchant)
		return !c->merchant_id || !strcmp(c->merchant_id, scope->list_merchant);
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
		if (in_scope(c, scope))
			items->items[kept++] = *c;
		else
			complaint_finish(c);
	}
	items->len = kept;
}

/* Upserts every complaint of items for platform_id and counts them. */
static int
upsert_all(struct store *st, int64_t platform_id, const struct complaint_list *items,
	   struct categorizer *cat, int64_t now, struct ingest_counts *counts, char *err)
{
	for (size_t i = 0; i < items->len; i++) {
		const struct complaint *c = &items->items[i];
		if (time_in_future(c->filed_at, now)) {
			char when[21];
			time_format_utc(c->filed_at, when);
			msg_warn("%s: complaint %s: filed %s, more than a day ahead of now: "
				 "not recognised, skipped", c->source, c->source_id, when);
			continue;
		}
		enum category k = categorizer_classify(cat, c->title, c->summary, c->issue, c->appeal);
		enum upsert_result res;
		if (store_complaint_upsert(st, platform_id, c, k, now, &res, err) < 0)
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
	if (items && pg->scope)
		ingest_keep(items, pg->scope);
	struct tx t;
	if (tx_enter(st, &t, err) < 0)
		return -1;
	int rc = 0;
	if (pg->raw)
		rc = store_raw_put(st, pg->raw, NULL, err);
	if (rc == 0 && items)
		rc = upsert_all(st, pg->platform_id, items, pg->cat, pg->now, counts, err);
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
		 (!source_id || d->kind == DETAIL_UNRECOGNISED ||
		  (applied = store_complaint_detail_apply(st, source, source_id, d, now, err)) >= 0);
	return tx_leave(st, &t, ok, err) < 0 ? -1 : applied;
}
