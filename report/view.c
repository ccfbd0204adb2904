#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "host.h"
#include "parse/icp.h"
#include "report/dedupe.h"
#include "sync/source.h"
#include "timeutil.h"
#include "xalloc.h"

const char *
source_health_key(enum source_health h)
{
	static const char *const names[] = {"never", "ok", "stale", "failed", "disabled",
					     "partial", "blocked"};
	return names[h];
}

bool
source_health_failing(enum source_health h)
{
	return h == HEALTH_FAILED || h == HEALTH_PARTIAL || h == HEALTH_BLOCKED;
}

const char *
icp_status_key(enum icp_status s)
{
	return s == ICP_STATUS_FILED ? "filed" : s == ICP_STATUS_NOT_FILED ? "not_filed" : "unknown";
}

const char *
site_claim_key(enum site_claim c)
{
	static const char *const names[] = {"unknown", "none", "match", "mismatch"};
	return names[c];
}

int
deduction_shown(const struct score_result *r, int component)
{
	/* SCORING §7: a platform that is not rated still shows its identity
	 * findings and trend; its provisional service, severity and volume
	 * numbers rest on too few complaints to print. */
	return r->deductions[component].points > 0 &&
	       (r->rated || component == COMP_IDENTITY || component == COMP_TREND);
}

static int
risk_rank(enum verdict v)
{
	return v == VERDICT_AVOID ? 0 : v == VERDICT_CAUTION ? 1 : v == VERDICT_NOT_RATED ? 2 : 3;
}

int
platform_view_risk_cmp(const void *a, const void *b)
{
	const struct score_result *x = &((const struct platform_view *)a)->score;
	const struct score_result *y = &((const struct platform_view *)b)->score;
	int rx = risk_rank(x->verdict), ry = risk_rank(y->verdict);
	if (rx != ry)
		return rx - ry;
	double sx = x->rated ? x->score : x->provisional_score;
	double sy = y->rated ? y->score : y->provisional_score;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(((const struct platform_view *)a)->platform.name,
		      ((const struct platform_view *)b)->platform.name);
}


/* The merchants of every complaint source, in registry order. */
static int
load_merchants(struct store *st, struct platform_view *v, char *err)
{
	size_t cap = 0;
	for (size_t i = 0; i < registry_count(); i++) {
		if (registry[i].kind != SOURCE_COMPLAINTS)
			continue;
		struct merchant_ref *list;
		size_t n;
		if (store_merchant_list(st, v->platform.id, registry[i].name, &list, &n, err) < 0)
			return -1;
		if (n) {
			v->merchants = xgrow(v->merchants, &cap, v->n_merchants + n,
					     sizeof(*v->merchants));
			v->merchant_source = xrealloc(v->merchant_source,
						      cap * sizeof(*v->merchant_source));
		}
		for (size_t k = 0; k < n; k++) {
			v->merchant_source[v->n_merchants] = (int)i;
			v->merchants[v->n_merchants++] = list[k];
		}
		free(list); /* the strings moved into v->merchants */
	}
	return 0;
}

static enum trend_level
trend_from_key(const char *k)
{
	for (int l = TREND_NONE; l <= TREND_CRITICAL; l++)
		if (!strcmp(k, trend_level_key((enum trend_level)l)))
			return (enum trend_level)l;
	return TREND_NONE;
}

static int
load_states(struct store *st, const struct config *cfg, struct platform_view *v, char *err)
{
	for (size_t i = 0; i < registry_count(); i++) {
		int rc = store_fetch_state_get(st, v->platform.id, registry[i].name, &v->state[i], err);
		if (rc < 0)
			return -1;
		v->have_state[i] = rc;
		const struct fetch_state *f = &v->state[i];
		if (!source_enabled(i, cfg))
			v->health[i] = HEALTH_DISABLED;
		else if (!rc || (!f->last_success_at && !f->last_error_at))
			v->health[i] = HEALTH_NEVER;
		else if (f->outcome == FETCH_PARTIAL) /* the latest attempt (times may tie) */
			v->health[i] = HEALTH_PARTIAL;
		else if (f->outcome == FETCH_BLOCKED)
			v->health[i] = HEALTH_BLOCKED;
		else if (f->outcome == FETCH_FAILED)
			v->health[i] = HEALTH_FAILED;
		else if (f->last_success_at < v->now - STALE_DAYS * DAY_S)
			v->health[i] = HEALTH_STALE;
		else
			v->health[i] = HEALTH_OK;
		if (rc && f->last_attempt_at > v->last_refresh)
			v->last_refresh = f->last_attempt_at;
	}
	return 0;
}

const char *
site_domain_state(const struct site_domain_view *d)
{
	return !d->probed ? "never" : d->probe.ok ? "live" : "dead";
}

/* Copies probe p (its strings too) into *out. */
static void
probe_copy(const struct site_probe *p, struct site_probe *out)
{
	*out = *p;
	out->domain = p->domain ? xstrdup(p->domain) : NULL;
	out->error = p->error ? xstrdup(p->error) : NULL;
	out->title = p->title ? xstrdup(p->title) : NULL;
	out->charset = p->charset ? xstrdup(p->charset) : NULL;
	out->icp_raw = p->icp_raw ? xstrdup(p->icp_raw) : NULL;
	out->icp_canonical = p->icp_canonical ? xstrdup(p->icp_canonical) : NULL;
	out->icp_main = p->icp_main ? xstrdup(p->icp_main) : NULL;
	out->police_number = p->police_number ? xstrdup(p->police_number) : NULL;
}

/* The claim of one live page against the registry's answers for all of the
 * platform's domains. */
static int
page_claim(struct store *st, struct platform_view *v, struct site_domain_view *d, char *err)
{
	const struct site_probe *p = &d->probe;
	if (!d->probed || !p->ok) {
		d->claim = CLAIM_UNKNOWN;
		return 0;
	}
	if (!p->icp_main || p->icp_placeholder) {
		d->claim = CLAIM_NONE;
		return 0;
	}
	if (v->input.identity.icp_status == ICP_STATUS_UNKNOWN) {
		d->claim = CLAIM_UNKNOWN;
		d->detail = xstrdup("the registry's answer is unknown, so the claim is unchecked");
		return 0;
	}
	for (size_t i = 0; i < v->n_icp; i++) {
		for (size_t k = 0; k < v->icp[i].cur.n_records; k++) {
			struct licence lic;
			const struct icp_record *r = &v->icp[i].cur.records[k];
			if (r->main_licence && licence_parse(r->main_licence, &lic) == 0 &&
			    !strcmp(lic.main, p->icp_main)) {
				d->claim = CLAIM_MATCH;
				return 0;
			}
		}
	}
	d->claim = CLAIM_MISMATCH;
	char **others = NULL;
	size_t n_others = 0;
	if (store_icp_by_licence(st, p->icp_main, &others, &n_others, err) < 0)
		return -1;
	const char *shown = p->icp_raw ? p->icp_raw : p->icp_main;
	d->detail = n_others
		? xasprintf("the home page of %s shows %s, which the registry gives to %s",
			    d->domain, shown,
			    others[0])
		: xasprintf("the home page of %s shows %s, which the registry does not give "
			    "to this domain",
			    d->domain, shown);
	store_strv_free(others, n_others);
	return 0;
}

/* Every domain's latest home-page probe and the platform's claim: a stolen or
 * fake number on any live domain decides (the gate), then a matching one,
 * then a page showing none; a dead domain is shown as dead and decides
 * nothing, so the claim is unknown only when no domain was read. */
static int
load_site_claims(struct store *st, struct platform_view *v, char *err)
{
	struct score_identity *id = &v->input.identity;
	v->sites = xcalloc(v->platform.n_domains ? v->platform.n_domains : 1, sizeof(*v->sites));
	for (size_t i = 0; i < v->platform.n_domains; i++) {
		struct site_domain_view *d = &v->sites[v->n_sites++];
		d->domain = xstrdup(v->platform.domains[i]);
		int rc = store_site_probe_latest(st, v->platform.id, d->domain, &d->probe, err);
		if (rc < 0)
			return -1;
		d->probed = rc;
		if (page_claim(st, v, d, err) < 0)
			return -1;
	}
	static const enum site_claim order[] = {CLAIM_MISMATCH, CLAIM_MATCH, CLAIM_NONE,
						CLAIM_UNKNOWN};
	const struct site_domain_view *decider = NULL;
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]) && !decider; o++)
		for (size_t i = 0; i < v->n_sites && !decider; i++)
			if (v->sites[i].probed && v->sites[i].probe.ok &&
			    v->sites[i].claim == order[o])
				decider = &v->sites[i];
	if (decider) {
		id->claim = decider->claim;
		probe_copy(&decider->probe, &v->site);
		v->have_site = 1;
		if (decider->detail)
			v->claim_detail = xstrdup(decider->detail);
		return 0;
	}
	/* No domain was read: the latest probe of any (a platform without
	 * domains may still have an imported page). */
	id->claim = CLAIM_UNKNOWN;
	int rc = store_site_probe_latest(st, v->platform.id, NULL, &v->site, err);
	if (rc < 0)
		return -1;
	v->have_site = rc;
	if (rc && v->site.ok && !v->platform.n_domains) {
		struct site_domain_view d = {.domain = v->site.domain, .probed = 1};
		d.probe = v->site;
		if (page_claim(st, v, &d, err) < 0)
			return -1;
		id->claim = d.claim;
		v->claim_detail = d.detail;
	}
	return 0;
}

/* The registry's answer for the platform's registrable domains. */
static int
load_identity(struct store *st, struct platform_view *v, char *err)
{
	size_t cap = 0;
	for (size_t i = 0; i < v->platform.n_domains; i++) {
		char *d = host_registrable(v->platform.domains[i]);
		if (!d)
			continue;
		int dup = 0;
		for (size_t k = 0; k < v->n_icp && !dup; k++)
			dup = !strcmp(v->icp[k].domain, d);
		if (dup) {
			free(d);
			continue;
		}
		v->icp = xgrow(v->icp, &cap, v->n_icp + 1, sizeof(*v->icp));
		struct icp_domain_view *dv = &v->icp[v->n_icp++];
		memset(dv, 0, sizeof(*dv));
		dv->domain = d;
		int rc = store_icp_current(st, d, &dv->cur, err);
		if (rc < 0)
			return -1;
		dv->queried = rc;
	}
	struct score_identity *id = &v->input.identity;
	int all_not_filed = v->n_icp > 0;
	for (size_t i = 0; i < v->n_icp; i++) {
		const struct icp_domain_view *dv = &v->icp[i];
		if (dv->queried && !strcmp(dv->cur.state, "filed") && dv->cur.n_records) {
			if (!v->filing)
				v->filing = &dv->cur.records[0];
		}
		if (!dv->queried || strcmp(dv->cur.state, "not_filed"))
			all_not_filed = 0;
	}
	id->icp_status = v->filing ? ICP_STATUS_FILED
			 : all_not_filed ? ICP_STATUS_NOT_FILED : ICP_STATUS_UNKNOWN;
	if (v->filing) {
		id->nature = v->filing->nature;
		struct licence lic;
		if (v->filing->main_licence && licence_parse(v->filing->main_licence, &lic) == 0)
			id->filing_year = lic.year;
	}

	return load_site_claims(st, v, err);
}

struct collect {
	struct platform_view *v;
	struct score_complaint *items;
	char **strings;          /* the arena blocks the items' strings live in */
	char *arena;             /* free space in the last block */
	size_t arena_left;
	size_t n, cap, n_strings, cap_strings;
	const char *sources[8];  /* distinct source names (kept strings) */
	size_t n_sources;
	const char *first_source;
	int several_sources;     /* more than one complaint source: dedupe needed */
	/* Per item, for dedupe: its source id, title and summary (kept strings). */
	struct item_text {
		const char *id, *title, *summary;
	} *texts;
	size_t cap_texts;
};

/* Copies s into the view's string arena: a report keeps a string per
 * complaint, and one malloc each was a tenth of its time.  strings[] holds
 * the arena's blocks, freed with the view. */
static const char *
keep(struct collect *c, const char *s)
{
	enum { BLOCK = 64 * 1024 };
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	if (n > c->arena_left) {
		size_t size = n > BLOCK ? n : BLOCK;
		c->strings = xgrow(c->strings, &c->cap_strings, c->n_strings + 1, sizeof(char *));
		c->arena = c->strings[c->n_strings++] = xmalloc(size);
		c->arena_left = size;
	}
	char *copy = c->arena;
	memcpy(copy, s, n);
	c->arena += n;
	c->arena_left -= n;
	return copy;
}

/* The bar of the 12-month sparkline t falls in (11 = this month, Asia/
 * Shanghai), or -1 outside the last 12 months. */
static int
month_index(int64_t now, int64_t t)
{
	if (t > now || t < now - 367 * DAY_S)
		return -1;
	int y1, y2;
	unsigned m1, m2, d;
	time_civil_from_days((now + SHANGHAI_OFFSET_S) / DAY_S, &y1, &m1, &d);
	time_civil_from_days((t + SHANGHAI_OFFSET_S) / DAY_S, &y2, &m2, &d);
	int back = (y1 - y2) * 12 + (int)m1 - (int)m2;
	return back >= 0 && back < 12 ? 11 - back : -1;
}

/* Year and month (Asia/Shanghai) of t. */
static void
shanghai_month(int64_t t, int *y, unsigned *m)
{
	unsigned d;
	int64_t days = t + SHANGHAI_OFFSET_S;
	days = days >= 0 ? days / DAY_S : -((-days + DAY_S - 1) / DAY_S);
	time_civil_from_days(days, y, m, &d);
}

/* v->window_months from the scored complaints: the same filter as the
 * scorer's (not excluded, dated, age <= window; a future date is now). */
static void
count_window_months(struct platform_view *v, const struct config *cfg,
		    const struct score_complaint *items, size_t n)
{
	double window_s = cfg->score.window_days * DAY_S;
	int y0, y1;
	unsigned m0, m1;
	shanghai_month(v->now - (int64_t)window_s, &y0, &m0);
	shanghai_month(v->now, &y1, &m1);
	long span = (long)(y1 - y0) * 12 + (long)m1 - (long)m0 + 1;
	if (span < 1)
		span = 1;
	v->n_window_months = (size_t)span;
	v->window_months = xcalloc(v->n_window_months, sizeof(*v->window_months));
	for (size_t i = 0; i < v->n_window_months; i++) {
		long k = (long)m0 - 1 + (long)i;
		v->window_months[i].year = y0 + (int)(k / 12);
		v->window_months[i].month = (unsigned)(k % 12) + 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct score_complaint *c = &items[i];
		if (c->excluded || c->filed_at == 0 || (double)(v->now - c->filed_at) > window_s)
			continue;
		int y;
		unsigned m;
		shanghai_month(c->filed_at > v->now ? v->now : c->filed_at, &y, &m);
		long at = (long)(y - y0) * 12 + (long)m - (long)m0;
		if (at < 0)
			at = 0;
		if (at >= span)
			at = span - 1;
		int cat = (unsigned)c->category < CAT_COUNT ? (int)c->category : CAT_OTHER;
		v->window_months[at].by_category[cat]++;
	}
}

/* The few source names, kept once each rather than once per complaint. */
static const char *
keep_source(struct collect *c, const char *source)
{
	if (!source)
		return NULL;
	for (size_t i = 0; i < c->n_sources; i++)
		if (!strcmp(c->sources[i], source))
			return c->sources[i];
	const char *kept = keep(c, source);
	if (c->n_sources < sizeof(c->sources) / sizeof(c->sources[0]))
		c->sources[c->n_sources++] = kept;
	return kept;
}

static struct score_complaint *
add_item(struct collect *c, int64_t filed_at, const char *source)
{
	c->items = xgrow(c->items, &c->cap, c->n + 1, sizeof(*c->items));
	struct score_complaint *k = &c->items[c->n++];
	memset(k, 0, sizeof(*k));
	k->filed_at = filed_at;
	k->source = source;
	if (filed_at > c->v->newest_complaint)
		c->v->newest_complaint = filed_at;
	int m = filed_at ? month_index(c->v->now, filed_at) : -1;
	if (m >= 0)
		c->v->monthly[m]++;
	if (source && c->first_source && strcmp(source, c->first_source))
		c->several_sources = 1;
	if (!c->first_source)
		c->first_source = source;
	return k;
}

/* The scoring facts only, from the covering index: what report, list and
 * refresh need (no evidence links, no text for dedupe). */
static int
collect_fact(const struct complaint_fact *f, void *ctx)
{
	struct collect *c = ctx;
	struct score_complaint *k = add_item(c, f->filed_at, keep_source(c, f->source));
	k->status = f->status;
	k->first_reply_at = f->first_reply_at;
	k->reply_known = f->reply_known;
	k->satisfaction = f->satisfaction;
	k->category = f->category;
	k->amount_fen = -1;
	if (f->complainant_tag) {
		/* The tag stands in for the key: equal keys, equal tags.  Hex by
		 * hand: snprintf was a sixth of a report over a million rows. */
		static const char hex[] = "0123456789abcdef";
		char tag[17];
		uint64_t t = (uint64_t)f->complainant_tag;
		for (int i = 15; i >= 0; i--, t >>= 4)
			tag[i] = hex[t & 15];
		tag[16] = '\0';
		k->complainant_key = keep(c, tag);
	}
	return 0;
}

static int
collect_one(const struct stored_complaint *sc, void *ctx)
{
	struct collect *c = ctx;
	if (sc->excluded_reason && !strcmp(sc->excluded_reason, COMPLAINT_UNCONFIRMED))
		return 0; /* a keyword hit whose merchant is not known yet: no evidence */
	if (sc->excluded_reason) {
		/* Counted by the scorer as excluded; not in the month bars. */
		c->items = xgrow(c->items, &c->cap, c->n + 1, sizeof(*c->items));
		struct score_complaint *x = &c->items[c->n++];
		memset(x, 0, sizeof(*x));
		x->filed_at = sc->filed_at;
		x->excluded = 1;
		x->source = keep_source(c, sc->source);
		c->texts = xgrow(c->texts, &c->cap_texts, c->n, sizeof(*c->texts));
		c->texts[c->n - 1] = (struct item_text){NULL, NULL, NULL};
		return 0;
	}
	struct score_complaint *k = add_item(c, sc->filed_at, keep_source(c, sc->source));
	k->status = sc->status;
	k->first_reply_at = sc->first_reply_at;
	k->reply_known = sc->detail_kind && !strcmp(sc->detail_kind, "ok");
	k->satisfaction = sc->satisfaction;
	k->category = sc->category;
	k->complainant_key = keep(c, sc->complainant_key);
	k->amount_fen = sc->amount_fen;
	k->url = keep(c, sc->url);
	k->title = keep(c, sc->title);
	c->texts = xgrow(c->texts, &c->cap_texts, c->n, sizeof(*c->texts));
	c->texts[c->n - 1].id = keep(c, sc->source_id);
	c->texts[c->n - 1].title = k->title;
	c->texts[c->n - 1].summary = keep(c, sc->summary);
	return 0;
}

/* Forgets what was collected (to read again by the other path). */
static void
collect_reset(struct collect *c, struct platform_view *v)
{
	for (size_t i = 0; i < c->n_strings; i++)
		free(c->strings[i]);
	free(c->strings);
	free(c->items);
	free(c->texts);
	memset(c, 0, sizeof(*c));
	c->v = v;
	memset(v->monthly, 0, sizeof(v->monthly));
	v->newest_complaint = 0;
}

bool
view_complaints_known(const struct platform_view *v)
{
	return v->complaints_known || v->score.total > 0;
}

bool
view_source_unread(const struct platform_view *v, size_t i, int kind)
{
	enum source_health h = v->health[i];
	return (kind < 0 || registry[i].kind == (enum source_kind)kind) && h != HEALTH_DISABLED &&
	       h != HEALTH_OK && h != HEALTH_STALE && h != HEALTH_PARTIAL;
}

/* Appends "name: why" for each source view_source_unread names; returns how
 * many. */
static int
unread_sources(const struct platform_view *v, int kind, struct buf *list)
{
	int n = 0;
	for (size_t i = 0; i < registry_count(); i++) {
		if (!view_source_unread(v, i, kind))
			continue;
		enum source_health h = v->health[i];
		const char *why = h == HEALTH_NEVER ? "not read yet"
				  : v->state[i].last_error ? v->state[i].last_error
							   : source_health_key(h);
		buf_printf(list, "%s%s: %.*s", n ? "; " : "", registry[i].name,
			   (int)strcspn(why, "\n"), why);
		n++;
	}
	return n;
}

/* The headline says what the sources really gave (SPEC §5: unknown is never
 * good, and never zero complaints): a platform nothing could be read for is
 * not "0 complaints", and "sources healthy" needs every source read. */
static void
headline_follows_sources(struct platform_view *v, struct score_result *r)
{
	int enabled = 0, complaint_read = 0, attempted = 1;
	for (size_t i = 0; i < registry_count(); i++) {
		if (v->health[i] == HEALTH_DISABLED)
			continue;
		enabled++;
		if (v->health[i] == HEALTH_NEVER)
			attempted = 0;
		if (registry[i].kind == SOURCE_COMPLAINTS && v->have_state[i] &&
		    v->state[i].last_success_at)
			complaint_read = 1;
	}
	struct buf why;
	buf_init(&why);
	char *reason = NULL;
	if (r->verdict == VERDICT_NOT_RATED && attempted && enabled &&
	    unread_sources(v, -1, &why) == enabled) {
		v->headline = HEADLINE_NO_SOURCE;
		reason = xasprintf("无法读取任何数据来源，投诉数量未知；no source could be read, so "
				   "the number of complaints is unknown: %s",
				   buf_cstr(&why));
	} else if (r->verdict == VERDICT_NOT_RATED && !complaint_read) {
		buf_reset(&why);
		if (!unread_sources(v, SOURCE_COMPLAINTS, &why))
			buf_puts(&why, "no complaint source is enabled");
		v->headline = HEADLINE_NO_COMPLAINTS;
		reason = xasprintf("投诉数据源未能读取，投诉数量未知；no complaint source could "
				   "be read, so the number of complaints is unknown: %s",
				   buf_cstr(&why));
	} else if (r->verdict == VERDICT_RECOMMEND) {
		buf_reset(&why);
		int unread = unread_sources(v, -1, &why);
		int icp_unknown = v->input.identity.icp_status == ICP_STATUS_UNKNOWN;
		if (unread || icp_unknown) {
			if (!unread)
				buf_puts(&why, "icp: the registry's answer is unknown");
			v->headline = HEADLINE_UNCHECKED;
			reason = xasprintf("得分 %.1f，无预警，但备案或首页未能核实；score %.1f, "
					   "no alert, but the ICP filing or home page could not be "
					   "checked: %s",
					   r->score, r->score, buf_cstr(&why));
		}
	}
	buf_finish(&why);
	if (reason) {
		free(r->verdict_reason);
		r->verdict_reason = reason;
	}
}

int
platform_view_load(struct store *st, const struct config *cfg, int64_t id, int64_t now,
		   bool evidence, struct platform_view *v, char *err)
{
	memset(v, 0, sizeof(*v));
	v->now = now;
	if (store_platform_get(st, id, &v->platform, err) < 0)
		return -1;
	if (load_states(st, cfg, v, err) < 0 ||
	    load_merchants(st, v, err) < 0 ||
	    load_identity(st, v, err) < 0)
		return -1;

	/* Complaints since the window opened, plus the trend windows inside it:
	 * the facts alone when no evidence is printed and one source has them
	 * (the same numbers, read from an index instead of the rows). */
	struct collect c = {.v = v};
	bool keep_items = evidence;
	int64_t since = now - (int64_t)(cfg->score.window_days * DAY_S);
	if (!evidence) {
		if (store_complaint_facts_each(st, id, since, collect_fact, &c, err) < 0)
			goto fail;
		if (c.several_sources) {
			collect_reset(&c, v);
			evidence = true;
		}
	}
	if (evidence && store_complaints_each(st, id, since, collect_one, &c, err) < 0)
		goto fail;
	if (!c.several_sources)
		goto scored_input;

	/* Cross-source dedupe: the same complaint on two sites counts once
	 * (within one source UNIQUE(source, source_id) already says so). */
	struct dedupe_record *dd = xcalloc(c.n ? c.n : 1, sizeof(*dd));
	for (size_t i = 0; i < c.n; i++) {
		dd[i].complaint = &c.items[i];
		dd[i].source_id = c.texts[i].id;
		dd[i].title = c.texts[i].title;
		dd[i].summary = c.texts[i].summary;
	}
	int rc = dedupe_mark(dd, c.n, err);
	free(c.texts);
	c.texts = NULL;
	if (rc < 0) {
		free(dd);
		goto fail;
	}
	/* A story on two sites counts once; the one kept shows both links. */
	for (size_t i = 0; i < c.n; i++) {
		if (dd[i].dup_of == DEDUPE_NONE || dd[i].exact)
			continue;
		c.items[dd[i].dup_of].also_url = c.items[i].url;
		int at = c.items[i].source ? registry_find(c.items[i].source) : -1;
		v->merged++;
		if (at >= 0)
			v->merged_from[at]++;
	}
	size_t kept = 0;
	for (size_t i = 0; i < c.n; i++)
		if (dd[i].dup_of == DEDUPE_NONE)
			c.items[kept++] = c.items[i];
	free(dd);
	c.n = kept;

scored_input:
	free(c.texts);
	c.texts = NULL;
	struct score_input *in = &v->input;
	in->now = now;
	in->complaints = c.items;
	in->n = c.n;
	in->n_sources_with_data = 0;
	in->complaint_source_unhealthy = false;
	int64_t refreshed = 0; /* the latest attempt of a complaint source */
	for (size_t i = 0; i < registry_count(); i++) {
		if (registry[i].kind != SOURCE_COMPLAINTS)
			continue;
		if (v->have_state[i] && v->state[i].last_success_at)
			in->n_sources_with_data++;
		if (v->have_state[i] && v->state[i].last_success_at)
			v->complaints_known = true;
		const struct complaint_config *site = config_site(cfg, registry[i].name);
		if (v->health[i] != HEALTH_DISABLED && v->health[i] != HEALTH_OK &&
		    (!site || site->required))
			in->complaint_source_unhealthy = true;
		if (v->have_state[i] && v->state[i].last_attempt_at > refreshed)
			refreshed = v->state[i].last_attempt_at;
	}
	/* km-risk/2: the newest earlier refresh at warning or worse, at least
	 * trend_repeat_hours before the one the complaints come from (refresh
	 * records its own level at its fetch time; the scorer checks the ages). */
	in->previous_trend_level = -1;
	in->previous_trend_at = 0;
	in->refreshed_at = refreshed;
	static const char *const alarming[] = {"warning", "critical"};
	struct score_row row;
	int64_t latest = refreshed ? refreshed : now;
	int got = store_score_latest_trend(st, id,
					   latest - (int64_t)(cfg->score.trend_repeat_hours * 3600),
					   alarming, 2, &row, err);
	if (got < 0)
		goto fail;
	if (got) {
		in->previous_trend_level = (int)trend_from_key(row.trend_level);
		in->previous_trend_at = row.at;
	}
	/* The home page a buyer can open to see the claimed number. */
	if (v->have_site && v->site.domain)
		v->home_url = xasprintf("https://%s/", v->site.domain);
	v->input.identity.evidence_url = v->home_url;
	count_window_months(v, cfg, c.items, c.n);
	if (score_compute(&cfg->score, in, &v->score, err) < 0)
		goto fail;
	headline_follows_sources(v, &v->score);
	if (!keep_items) {
		/* The score owns copies of what it shows; a report holds every view. */
		for (size_t i = 0; i < c.n_strings; i++)
			free(c.strings[i]);
		free(c.strings);
		free(c.items);
		in->complaints = NULL;
		in->n = 0;
		return 0;
	}
	/* The items and their strings live as long as the view (check's evidence). */
	v->collect_items = c.items;
	v->collect_strings = c.strings;
	v->n_collect_strings = c.n_strings;
	return 0;
fail:
	free(c.texts);
	for (size_t i = 0; i < c.n_strings; i++)
		free(c.strings[i]);
	free(c.strings);
	free(c.items);
	v->input.complaints = NULL;
	v->input.n = 0;
	return -1;
}

void
platform_view_finish(struct platform_view *v)
{
	platform_finish(&v->platform);
	for (size_t i = 0; i < registry_count(); i++)
		if (v->have_state[i])
			fetch_state_finish(&v->state[i]);
	merchant_ref_list_free(v->merchants, v->n_merchants);
	free(v->merchant_source);
	for (size_t i = 0; i < v->n_icp; i++) {
		free(v->icp[i].domain);
		if (v->icp[i].queried)
			icp_current_finish(&v->icp[i].cur);
	}
	free(v->icp);
	if (v->have_site)
		site_probe_finish(&v->site);
	for (size_t i = 0; i < v->n_sites; i++) {
		free(v->sites[i].domain);
		if (v->sites[i].probed)
			site_probe_finish(&v->sites[i].probe);
		free(v->sites[i].detail);
	}
	free(v->sites);
	free(v->claim_detail);
	free(v->home_url);
	free(v->window_months);
	score_result_finish(&v->score);
	for (size_t i = 0; i < v->n_collect_strings; i++)
		free(v->collect_strings[i]);
	free(v->collect_strings);
	free(v->collect_items);
	memset(v, 0, sizeof(*v));
}

int
platform_view_record_score(struct store *st, const struct platform_view *v, char *err)
{
	const struct score_result *r = &v->score;
	return store_score_put(st, v->platform.id, v->now, r->rated ? r->score : NAN, r->grade,
			       verdict_key(r->verdict), trend_level_key(r->trend.level), FORMULA_ID,
			       err);
}
