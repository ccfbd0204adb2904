/* json: check's kmrep.check/1 object (SPEC §5a), or the report as an
 * array of row objects keyed by column (table.h's json). */
#include <jansson.h>
#include <math.h>

#include "parse/category.h"
#include "parse/icp.h"
#include "render.h"
#include "table.h"
#include "timeutil.h"

static json_t *
json_number_or_null(double v, int decimals)
{
	if (isnan(v))
		return json_null();
	double scale = pow(10, decimals);
	return json_real(round(v * scale) / scale);
}

static json_t *
json_time(int64_t t)
{
	if (!t)
		return json_null();
	char s[21];
	time_format_utc(t, s);
	return json_string(s);
}

static json_t *
string_array(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* SPEC §5a's "evidence": the URLs of a line's evidence, the most relevant
 * first, at most SCORE_MAX_EVIDENCE. */
static json_t *
evidence_urls(const struct score_evidence *ev, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n && i < SCORE_MAX_EVIDENCE; i++)
		json_array_append_new(a, json_string(ev[i].url));
	return a;
}

/* "evidence_items": every piece of a line's evidence, in the same order:
 * {url, filed_at (UTC, null for a page), title (null for a page or none)}. */
static json_t *
evidence_items(const struct score_evidence *ev, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "url", json_string(ev[i].url));
		json_object_set_new(e, "filed_at", json_time(ev[i].filed_at));
		json_object_set_new(e, "title", ev[i].title ? json_string(ev[i].title) : json_null());
		json_array_append_new(a, e);
	}
	return a;
}

static const char *
str_or_empty(const char *s)
{
	return s ? s : "";
}

static json_t *
icp_json(const struct platform_view *v)
{
	const struct score_identity *id = &v->input.identity;
	json_t *o = json_object();
	const struct icp_record *f = v->filing;
	json_object_set_new(o, "status", json_string(icp_status_key(id->icp_status)));
	json_object_set_new(o, "licence", f && f->service_licence ? json_string(f->service_licence)
								  : json_null());
	json_object_set_new(o, "nature", f && f->nature_name ? json_string(f->nature_name)
							     : json_null());
	json_object_set_new(o, "unit_name", f && f->unit_name ? json_string(f->unit_name)
							      : json_null());
	json_object_set_new(o, "updated", f && f->update_record_time
						  ? json_string(f->update_record_time)
						  : json_null());
	json_object_set_new(o, "site_claim", v->have_site && v->site.icp_raw
						     ? json_string(v->site.icp_raw)
						     : json_null());
	json_object_set_new(o, "claim", json_string(site_claim_key(id->claim)));
	if (v->claim_detail)
		json_object_set_new(o, "claim_detail", json_string(v->claim_detail));
	json_object_set_new(o, "filing_year", id->filing_year ? json_integer(id->filing_year)
							      : json_null());
	json_t *domains = json_array();
	for (size_t i = 0; i < v->n_icp; i++) {
		const struct icp_domain_view *dv = &v->icp[i];
		json_t *d = json_object();
		json_object_set_new(d, "domain", json_string(dv->domain));
		json_object_set_new(d, "state", json_string(dv->queried ? dv->cur.state : "unknown"));
		if (dv->queried) {
			json_object_set_new(d, "queried_at", json_time(dv->cur.queried_at));
			if (dv->cur.reason)
				json_object_set_new(d, "reason", json_string(dv->cur.reason));
			json_object_set_new(d, "no_longer_filed",
					    json_boolean(dv->cur.was_filed_before));
		}
		json_array_append_new(domains, d);
	}
	json_object_set_new(o, "domains", domains);
	/* Each domain's own home page: a dead mirror is shown as dead. */
	json_t *sites = json_array();
	for (size_t i = 0; i < v->n_sites; i++) {
		const struct site_domain_view *sd = &v->sites[i];
		json_t *d = json_object();
		json_object_set_new(d, "domain", json_string(sd->domain));
		json_object_set_new(d, "state", json_string(site_domain_state(sd)));
		if (sd->probed) {
			json_object_set_new(d, "probed_at", json_time(sd->probe.probed_at));
			json_object_set_new(d, "site_claim", sd->probe.icp_raw
								     ? json_string(sd->probe.icp_raw)
								     : json_null());
			if (!sd->probe.ok && sd->probe.error)
				json_object_set_new(d, "error", json_string(sd->probe.error));
		}
		json_object_set_new(d, "claim", json_string(site_claim_key(sd->claim)));
		if (sd->detail)
			json_object_set_new(d, "claim_detail", json_string(sd->detail));
		json_array_append_new(sites, d);
	}
	json_object_set_new(o, "sites", sites);
	return o;
}

static json_t *
explain_json(const struct platform_view *v, const struct config *cfg)
{
	const struct score_result *r = &v->score;
	json_t *o = json_object(), *params = json_object();
#define X(name, def, range, doc) json_object_set_new(params, #name, json_real(cfg->score.name));
	SCORE_PARAMS(X)
#undef X
	json_object_set_new(o, "params", params);
	json_t *x = json_object();
	json_object_set_new(x, "W", json_real(r->W));
	json_object_set_new(x, "W_known", json_real(r->W_known));
	json_object_set_new(x, "W_rated", json_real(r->W_rated));
	json_object_set_new(x, "R", json_real(r->R));
	json_object_set_new(x, "C", json_real(r->C));
	json_object_set_new(x, "T", json_real(r->T));
	json_object_set_new(x, "Sat", json_real(r->Sat));
	json_object_set_new(x, "S", json_real(r->S));
	json_object_set_new(x, "w_r", json_real(r->w_r));
	json_object_set_new(x, "w_c", json_real(r->w_c));
	json_object_set_new(x, "w_t", json_real(r->w_t));
	json_object_set_new(x, "w_sat", json_real(r->w_sat));
	json_object_set_new(x, "V", json_real(r->V));
	json_object_set_new(x, "unresolved_severity", json_real(r->unresolved_severity));
	json_object_set_new(x, "n_unresolved", json_integer((json_int_t)r->n_unresolved));
	json_object_set_new(x, "U90", json_integer((json_int_t)r->U90));
	json_object_set_new(x, "identity_raw", json_real(r->identity_raw));
	json_object_set_new(x, "provisional_score", json_number_or_null(r->provisional_score, 1));
	json_object_set_new(x, "lambda", json_real(r->trend.lambda));
	json_object_set_new(x, "n_excluded", json_integer((json_int_t)r->n_excluded));
	json_object_set_new(x, "n_outside_window", json_integer((json_int_t)r->n_outside_window));
	json_object_set_new(x, "n_undated", json_integer((json_int_t)r->n_undated));
	json_object_set_new(x, "previous_trend_level",
			    v->input.previous_trend_level < 0
				    ? json_null()
				    : json_string(trend_level_key(
					      (enum trend_level)v->input.previous_trend_level)));
	json_object_set_new(x, "previous_trend_at",
			    v->input.previous_trend_at
				    ? json_time(v->input.previous_trend_at)
				    : json_null());
	json_object_set_new(o, "values", x);
	return o;
}

/* The kmrep.check/1 object (caller json_decref's it); with explain, an
 * "explain" member holds every constant and intermediate value. */
static json_t *
check_json(const struct platform_view *v, const struct config *cfg, bool explain)
{
	const struct score_result *r = &v->score;
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string("kmrep.check/1"));
	json_object_set_new(o, "generated_at", json_time(v->now));
	json_object_set_new(o, "formula", json_string(FORMULA_ID));

	json_t *p = json_object();
	json_object_set_new(p, "name", json_string(v->platform.name));
	json_object_set_new(p, "domains", string_array(v->platform.domains, v->platform.n_domains));
	json_object_set_new(p, "aliases", string_array(v->platform.aliases, v->platform.n_aliases));
	json_t *merchants = json_array();
	for (size_t i = 0; i < v->n_merchants; i++) {
		json_t *m = json_object();
		json_object_set_new(m, "source", json_string(registry[v->merchant_source[i]].name));
		json_object_set_new(m, "id", json_string(v->merchants[i].merchant_id));
		json_object_set_new(m, "name", v->merchants[i].name
						       ? json_string(v->merchants[i].name)
						       : json_null());
		json_object_set_new(m, "pinned", json_boolean(v->merchants[i].pinned));
		json_array_append_new(merchants, m);
	}
	json_object_set_new(p, "merchants", merchants);
	json_object_set_new(o, "platform", p);

	json_object_set_new(o, "verdict", json_string(verdict_key(r->verdict)));
	json_object_set_new(o, "verdict_zh", json_string(verdict_zh(r->verdict)));
	json_object_set_new(o, "verdict_reason", json_string(str_or_empty(r->verdict_reason)));
	json_object_set_new(o, "score", r->rated ? json_number_or_null(r->score, 1) : json_null());
	json_object_set_new(o, "grade", json_string(r->grade));
	json_object_set_new(o, "confidence", json_string(confidence_key(r->confidence)));

	json_t *c = json_object();
	json_object_set_new(c, "total", json_integer((json_int_t)r->total));
	json_object_set_new(c, "known", json_boolean(view_complaints_known(v)));
	json_object_set_new(c, "window_days", json_integer((json_int_t)cfg->score.window_days));
	json_t *by_source = json_object();
	for (size_t i = 0; i < r->n_by_source; i++)
		json_object_set_new(by_source, r->by_source[i].source,
				    json_integer((json_int_t)r->by_source[i].n));
	json_object_set_new(c, "by_source", by_source);
	/* Stories posted on two sites, counted once (by the merged one's source). */
	json_t *merged_from = json_object();
	for (size_t i = 0; i < registry_count(); i++)
		if (v->merged_from[i])
			json_object_set_new(merged_from, registry[i].name,
					    json_integer((json_int_t)v->merged_from[i]));
	json_object_set_new(c, "merged", json_integer((json_int_t)v->merged));
	json_object_set_new(c, "merged_from", merged_from);
	json_t *links = json_array();
	for (size_t i = 0; i < v->input.n; i++) {
		const struct score_complaint *k = &v->input.complaints[i];
		if (k->also_url && k->url)
			json_array_append_new(links, json_pack("[ss]", k->url, k->also_url));
	}
	json_object_set_new(c, "merged_links", links);
	json_t *by_status = json_object();
	static const enum complaint_status order[] = {STATUS_UNANSWERED, STATUS_ANSWERED,
						      STATUS_RESOLVED, STATUS_CLOSED, STATUS_UNKNOWN};
	for (size_t i = 0; i < 5; i++)
		json_object_set_new(by_status, complaint_status_name(order[i]),
				    json_integer((json_int_t)r->by_status[order[i]]));
	json_object_set_new(c, "by_status", by_status);
	json_t *by_cat = json_object();
	for (int k = 0; k < CAT_COUNT; k++)
		json_object_set_new(by_cat, category_name_zh((enum category)k),
				    json_integer((json_int_t)r->by_category[k]));
	json_object_set_new(c, "by_category", by_cat);
	json_t *monthly = json_array();
	for (int i = 0; i < 12; i++)
		json_array_append_new(monthly, json_integer(v->monthly[i]));
	json_object_set_new(c, "monthly", monthly);
	json_object_set_new(o, "complaints", c);

	json_t *rates = json_object();
	json_object_set_new(rates, "reply", json_number_or_null(r->reply_rate, 3));
	json_object_set_new(rates, "reply_wilson_lo", json_number_or_null(r->reply_wilson_lo, 3));
	json_object_set_new(rates, "completion", json_number_or_null(r->completion_rate, 3));
	json_object_set_new(rates, "completion_wilson_lo",
			    json_number_or_null(r->completion_wilson_lo, 3));
	json_object_set_new(rates, "median_reply_hours",
			    json_number_or_null(r->median_reply_hours, 1));
	json_object_set_new(o, "rates", rates);

	json_t *t = json_object();
	json_object_set_new(t, "level", json_string(trend_level_key(r->trend.level)));
	json_object_set_new(t, "x14", json_integer(r->trend.x14));
	json_object_set_new(t, "c90", json_integer(r->trend.c90));
	json_object_set_new(t, "p", json_number_or_null(r->trend.p, 6));
	json_object_set_new(o, "trend", t);

	json_object_set_new(o, "icp", icp_json(v));

	json_t *deductions = json_array();
	for (int k = 0; k < COMP_COUNT; k++) {
		const struct score_deduction *d = &r->deductions[k];
		if (!deduction_shown(r, k))
			continue;
		json_t *dj = json_object();
		json_object_set_new(dj, "component", json_string(d->component));
		json_object_set_new(dj, "points", json_number_or_null(d->points, 1));
		json_object_set_new(dj, "reason", json_string(str_or_empty(d->reason)));
		json_object_set_new(dj, "evidence", evidence_urls(d->evidence, d->n_evidence));
		json_object_set_new(dj, "evidence_items", evidence_items(d->evidence, d->n_evidence));
		json_array_append_new(deductions, dj);
	}
	json_object_set_new(o, "deductions", deductions);
	json_t *gates = json_array();
	for (size_t g = 0; g < r->n_gates; g++) {
		json_t *gj = json_object();
		json_object_set_new(gj, "gate", json_string(r->gates[g].gate));
		json_object_set_new(gj, "reason", json_string(str_or_empty(r->gates[g].reason)));
		json_object_set_new(gj, "evidence",
				    evidence_urls(r->gates[g].evidence, r->gates[g].n_evidence));
		json_object_set_new(gj, "evidence_items",
				    evidence_items(r->gates[g].evidence, r->gates[g].n_evidence));
		json_array_append_new(gates, gj);
	}
	json_object_set_new(o, "gates", gates);

	/* A source the configuration turned off told nothing: it is left out
	 * (SPEC §5a's states are those of sources that are read). */
	json_t *sources = json_array();
	for (size_t i = 0; i < registry_count(); i++) {
		if (v->health[i] == HEALTH_DISABLED)
			continue;
		json_t *sj = json_object();
		json_object_set_new(sj, "source", json_string(registry[i].name));
		json_object_set_new(sj, "state", json_string(source_health_key(v->health[i])));
		json_object_set_new(sj, "last_success",
				    json_time(v->have_state[i] ? v->state[i].last_success_at : 0));
		const char *e = source_health_failing(v->health[i]) ? v->state[i].last_error : NULL;
		json_object_set_new(sj, "error", e ? json_string(e) : json_null());
		json_array_append_new(sources, sj);
	}
	json_object_set_new(o, "sources", sources);
	if (explain)
		json_object_set_new(o, "explain", explain_json(v, cfg));
	return o;
}

static int
json_begin(struct render_ctx *ctx)
{
	return ctx->view == RENDER_REPORT ? render_table_begin(ctx, "json") : 0;
}

static int
json_platform(struct render_ctx *ctx, const struct platform_view *v)
{
	if (ctx->view == RENDER_REPORT)
		return render_table_row(ctx, v);
	json_t *o = check_json(v, ctx->cfg, ctx->explain);
	int rc = json_print(ctx->out, o,
			    JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	return rc < 0 || fputc('\n', ctx->out) == EOF ? -1 : 0;
}

static int
json_end(struct render_ctx *ctx)
{
	return ctx->view == RENDER_REPORT ? render_table_end(ctx) : render_flush(ctx);
}

const struct renderer render_json = {
	.name = "json",
	.views = RENDER_CHECK | RENDER_REPORT,
	.begin = json_begin,
	.platform = json_platform,
	.end = json_end,
};
