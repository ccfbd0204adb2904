#include "replay.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fetch/url.h"
#include "registry.h"
#include "store.h"
#include "xalloc.h"

int
sync_replay(const char *source, struct replay *r, char *err)
{
	int i = registry_find(source);
	if (i < 0)
		return set_errc(err, ERR_USAGE, "unknown source '%s'", source);
	const struct source_desc *d = registry[i].desc;
	/* An archived import is replayed as the import it was. */
	if (r->kind && (!strcmp(r->kind, REPLAY_KIND_IMPORT) ||
			!strcmp(r->kind, REPLAY_KIND_IMPORT_FORCED))) {
		r->force = !strcmp(r->kind, REPLAY_KIND_IMPORT_FORCED);
		r->kind = NULL;
		r->url = NULL;
	}
	return d->complaints ? complaint_replay(d->complaints, r, err) : d->replay(r, err);
}

/* The scope of a list page for platform_id: an archived merchant list keeps
 * that merchant's complaints (as the refresh that fetched it did); a keyword
 * search or feed page, or an imported page for a platform bound to
 * merchants, keeps the complaints of its merchants or named like it.  An
 * imported page for a platform with no merchant yet is the user's word:
 * everything on it is kept.  *keep_all is set when there is no scope. */
struct list_scope {
	struct platform platform;
	struct merchant_ref *refs;
	size_t n_refs;
	char **ids;
	char *list_merchant;
	struct ingest_scope scope;
};

static int
scope_load(const struct complaint_site *site, const struct replay *r, struct list_scope *ls,
	   char *err)
{
	memset(ls, 0, sizeof(*ls));
	ls->scope.platform = &ls->platform;
	if (store_platform_get(r->st, r->platform_id, &ls->platform, err) < 0 ||
	    store_merchant_list(r->st, r->platform_id, site->name, &ls->refs, &ls->n_refs, err) < 0)
		return -ERR_DB;
	ls->ids = xcalloc(ls->n_refs + 1, sizeof(char *));
	for (size_t i = 0; i < ls->n_refs; i++)
		ls->ids[i] = ls->refs[i].merchant_id;
	ls->scope.merchant_ids = ls->ids;
	ls->scope.n_merchant_ids = ls->n_refs;
	if (r->kind && !strcmp(r->kind, "list") && r->url)
		ls->list_merchant = url_digits_after(r->url, site->list_merchant_mark);
	ls->scope.list_merchant = ls->list_merchant;
	return 0;
}

static void
scope_finish(struct list_scope *ls)
{
	platform_finish(&ls->platform);
	merchant_ref_list_free(ls->refs, ls->n_refs);
	free(ls->ids);
	free(ls->list_merchant);
}

/* The one merchant id every item of the page that names one names (a
 * merchant's own list), or NULL (none, or several: a search or feed page). */
static const char *
page_merchant(const struct list_page *page)
{
	const char *id = NULL;
	for (size_t i = 0; i < page->complaints.len; i++) {
		const char *m = page->complaints.items[i].merchant_id;
		if (!m)
			continue;
		if (id && strcmp(id, m))
			return NULL;
		id = m;
	}
	return id;
}

/* An import for a platform of a merchant's list: refused (-ERR_CONFLICT,
 * r->foreign_merchant set) when the merchant is bound to another platform,
 * or the platform is bound to merchants of this site and not to it.
 * Returns 0, or a negative error class. */
static int
check_merchant(const struct complaint_site *site, struct replay *r, const struct list_page *page,
	       const struct list_scope *ls, char *err)
{
	const char *m = page_merchant(page);
	if (!m)
		return 0;
	for (size_t i = 0; i < ls->n_refs; i++)
		if (!strcmp(ls->refs[i].merchant_id, m))
			return 0;
	int64_t owner = 0;
	int bound = store_merchant_platform(r->st, site->name, m, &owner, err);
	if (bound < 0)
		return -ERR_DB;
	if (bound == 1 && owner == r->platform_id)
		return 0;
	if (bound == 0 && !ls->n_refs)
		return 0; /* nobody's merchant, a platform without any: the user's word */
	r->foreign_merchant = xstrdup(m);
	r->foreign_owner = bound == 1 ? owner : 0;
	return set_errc(err, ERR_CONFLICT, "the page is %s merchant %s's, not %s's", site->name,
			m, ls->platform.name);
}

static int
replay_list(const struct complaint_site *site, struct replay *r, char *err)
{
	struct list_page page;
	list_page_init(&page);
	int rc = site->list_parse(r->body, r->len, &page, err) < 0 ? -ERR_PARSE : 0;
	struct list_scope ls;
	bool scoped = false;
	if (rc == 0 && r->platform_id) {
		rc = scope_load(site, r, &ls, err);
		scoped = true;
	}
	if (rc == 0 && scoped && !r->kind && !r->force)
		rc = check_merchant(site, r, &page, &ls, err);
	if (rc == 0 && !r->platform_id && !r->kind) { /* an import: say where it went */
		const char *m = page_merchant(&page);
		int64_t owner;
		int bound = m ? store_merchant_platform(r->st, site->name, m, &owner, err) : 0;
		if (bound < 0)
			rc = -ERR_DB;
		else if (bound == 1)
			r->page_platform = owner;
	}
	/* An import for a platform without merchants, or forced: the user's word. */
	bool keep_all = scoped && !r->kind && (!ls.n_refs || r->force);
	if (rc == 0) {
		struct ingest_page pg = {
			.platform_id = r->platform_id,
			.scope = scoped && !keep_all ? &ls.scope : NULL,
			.cat = r->cat,
			.now = r->now,
		};
		struct ingest_counts counts;
		if (store_ingest_list(r->st, &pg, &page.complaints, &counts, err) < 0)
			rc = -ERR_DB;
		r->added += counts.added;
		r->changed += counts.changed;
	}
	if (scoped)
		scope_finish(&ls);
	list_page_finish(&page);
	return rc;
}

/* A detail page that carries the whole complaint (聚投诉): the record is
 * the platform's when the page's scope keeps it, as a list item would be. */
static int
replay_record(const struct complaint_site *site, struct replay *r, const struct complaint_detail *d,
	      char *err)
{
	bool ours = true;
	struct list_scope ls;
	if (r->platform_id) {
		if (scope_load(site, r, &ls, err) < 0)
			return -1;
		/* An import for a platform without merchants: the user's word.
		 * Otherwise the scope decides, or the store: a complaint its
		 * merchant's list gave the platform is the platform's. */
		int64_t owner;
		bool unconfirmed;
		if ((ls.n_refs || r->kind) && !r->force && !ingest_in_scope(d->record, &ls.scope)) {
			int known = store_complaint_owner(r->st, site->name, d->source_id, &owner,
							  &unconfirmed, err);
			if (known < 0) {
				scope_finish(&ls);
				return -1;
			}
			ours = known == 1 && owner == r->platform_id && !unconfirmed;
		}
		scope_finish(&ls);
	}
	struct ingest_page pg = {.platform_id = r->platform_id, .cat = r->cat, .now = r->now,
				 .source = site->name};
	return store_ingest_detail_record(r->st, &pg, d, ours, err);
}

/* Stores a detail page.  A page that does not name its complaint (a private
 * one) is attached by the number in its URL. */
static int
replay_detail(const struct complaint_site *site, struct replay *r, char *err)
{
	struct complaint_detail d;
	complaint_detail_init(&d);
	int rc = site->detail_parse(r->body, r->len, &d, err) < 0 ? -ERR_PARSE : 0;
	if (!d.source_id && r->url)
		d.source_id = url_digits_after(r->url, site->detail_id_mark);
	/* Not found and private pages are recognised answers, recorded when
	 * they say which complaint they are about. */
	if (d.kind == DETAIL_NOT_FOUND || d.kind == DETAIL_PRIVATE)
		rc = 0;
	else if (rc == 0 && !d.source_id)
		rc = set_errc(err, ERR_PARSE, "a detail page without a complaint number");
	if (rc == 0 && d.source_id) {
		int applied = d.record ? replay_record(site, r, &d, err)
				       : store_ingest_detail(r->st, NULL, site->name, d.source_id,
							     &d, r->now, err);
		if (applied < 0)
			rc = -ERR_DB;
		else if (applied == 1 && d.kind == DETAIL_OK && d.record && !r->kind)
			rc = set_errc(err, ERR_PARSE, "complaint %s names merchant %s, not the "
				      "platform's: not stored", d.source_id,
				      d.merchant_name ? d.merchant_name : "(none)");
		else if (applied == 1 && d.kind == DETAIL_OK && !d.record)
			rc = set_errc(err, ERR_PARSE,
				      "complaint %s is not stored yet: import its list page first",
				      d.source_id);
	}
	complaint_detail_finish(&d);
	return rc;
}

/* What a saved body is: the archive says (reparse), else the site tells by
 * its shape, else HTML is a detail page and anything else a list. */
static const char *
body_kind(const struct complaint_site *site, const struct replay *r)
{
	if (r->kind)
		return !strcmp(r->kind, "search") ? "list" : r->kind;
	if (site->body_kind)
		return site->body_kind(r->body, r->len);
	size_t i = 0;
	while (i < r->len && (r->body[i] == ' ' || r->body[i] == '\t' || r->body[i] == '\r' ||
			      r->body[i] == '\n'))
		i++;
	return i < r->len && r->body[i] == '<' ? "detail" : "list";
}

int
complaint_replay(const struct complaint_site *site, struct replay *r, char *err)
{
	const char *kind = body_kind(site, r);
	if (!strcmp(kind, "detail"))
		return replay_detail(site, r, err);
	if (!strcmp(kind, "list"))
		return replay_list(site, r, err);
	/* merchant searches, the feed, the first step of a two-step detail:
	 * nothing to store again */
	return 0;
}
