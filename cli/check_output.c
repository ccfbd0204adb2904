#include "check_output.h"

#include <math.h>
#include <string.h>

#include "parse/icp.h"
#include "parse/category.h"
#include "text.h"
#include "timeutil.h"

int
deduction_shown(const struct score_result *r, int component)
{
	/* SCORING §7: a platform that is not rated still shows its identity
	 * findings and trend; its provisional service, severity and volume
	 * numbers rest on too few complaints to print. */
	return r->deductions[component].points > 0 &&
	       (r->rated || component == COMP_IDENTITY || component == COMP_TREND);
}

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
	json_object_set_new(o, "values", x);
	return o;
}

json_t *
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
		json_object_set_new(m, "source", json_string("heimao"));
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
	json_object_set_new(c, "window_days", json_integer((json_int_t)cfg->score.window_days));
	json_t *by_source = json_object();
	for (size_t i = 0; i < r->n_by_source; i++)
		json_object_set_new(by_source, r->by_source[i].source,
				    json_integer((json_int_t)r->by_source[i].n));
	json_object_set_new(c, "by_source", by_source);
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
		json_object_set_new(dj, "evidence", string_array(d->evidence, d->n_evidence));
		json_array_append_new(deductions, dj);
	}
	json_object_set_new(o, "deductions", deductions);
	json_t *gates = json_array();
	for (size_t g = 0; g < r->n_gates; g++) {
		json_t *gj = json_object();
		json_object_set_new(gj, "gate", json_string(r->gates[g].gate));
		json_object_set_new(gj, "reason", json_string(str_or_empty(r->gates[g].reason)));
		json_object_set_new(gj, "evidence",
				    string_array(r->gates[g].evidence, r->gates[g].n_evidence));
		json_array_append_new(gates, gj);
	}
	json_object_set_new(o, "gates", gates);

	json_t *sources = json_array();
	for (size_t i = 0; i < registry_count(); i++) {
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

void
sparkline(const int monthly[12], char *out, size_t size)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	int max = 0;
	for (int i = 0; i < 12; i++)
		if (monthly[i] > max)
			max = monthly[i];
	out[0] = '\0';
	for (int i = 0; i < 12; i++) {
		int level = max ? (monthly[i] * 7 + max - 1) / max : 0;
		if (monthly[i] == 0)
			level = 0;
		strncat(out, bars[level], size - strlen(out) - 1);
	}
}

/* Terminal colours, or nothing. */
struct palette {
	const char *bold, *red, *yellow, *green, *dim, *reset;
};

static const char *
verdict_colour(const struct palette *pal, enum verdict v)
{
	switch (v) {
	case VERDICT_RECOMMEND:
		return pal->green;
	case VERDICT_CAUTION:
	case VERDICT_NOT_RATED:
		return pal->yellow;
	default:
		return pal->red;
	}
}

static void
print_time(FILE *out, int64_t t)
{
	char s[17];
	if (!t) {
		fputs("never", out);
		return;
	}
	time_format_shanghai(t, s);
	fprintf(out, "%s", s);
}

static void
print_evidence(FILE *out, const struct palette *pal, struct text_pool *pool, char *const *ev,
	       size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "        %s%s%s\n", pal->dim, text_shown(pool, ev[i]), pal->reset);
}

static void
print_percent(FILE *out, double v)
{
	if (isnan(v))
		fputs("-", out);
	else
		fprintf(out, "%.0f%%", v * 100);
}

static void
print_where_to_complain(FILE *out, const struct platform_view *v, const struct palette *pal,
			struct text_pool *pool)
{
	fprintf(out, "\n%s投诉渠道 Where to complain%s\n", pal->bold, pal->reset);
	int n = 1;
	if (v->platform.n_domains)
		fprintf(out, "  %d. 先联系平台客服 the platform itself: https://%s/\n", n++,
			text_shown(pool, v->platform.domains[0]));
	else
		fprintf(out, "  %d. 先联系平台客服 the platform's own support first\n", n++);
	fprintf(out, "  %d. 黑猫投诉 https://tousu.sina.com.cn/", n++);
	if (v->n_merchants)
		fprintf(out, " (商家 %s)", text_shown(pool, v->merchants[0].name
								   ? v->merchants[0].name
								   : v->merchants[0].merchant_id));
	fputc('\n', out);
	fprintf(out, "  %d. 12315 https://www.12315.cn/", n++);
	if (v->filing && v->filing->unit_name)
		fprintf(out, " — 被投诉主体 operator: %s (%s)", text_shown(pool, v->filing->unit_name),
			text_shown(pool, v->filing->service_licence
						 ? v->filing->service_licence
						 : str_or_empty(v->filing->main_licence)));
	else
		fputs(" — operator unknown (no ICP filing on record)", out);
	fputc('\n', out);
	fprintf(out, "  %d. 诈骗或跑路 fraud: 报警 110 / https://cyberpolice.mps.gov.cn/\n", n);
}

void
check_text(FILE *out, const struct platform_view *v, const struct config *cfg, bool color,
	   bool explain)
{
	static const struct palette on = {"\033[1m", "\033[1;31m", "\033[1;33m", "\033[1;32m",
					  "\033[2m", "\033[0m"};
	static const struct palette off = {"", "", "", "", "", ""};
	const struct palette *pal = color ? &on : &off;
	const struct score_result *r = &v->score;
	/* Every string that came from a site (or a user) is shown escaped. */
	struct text_pool pool = {0};

	fprintf(out, "%s%s %s%s  %s", verdict_colour(pal, r->verdict), verdict_zh(r->verdict),
		verdict_key(r->verdict), pal->reset, text_shown(&pool, v->platform.name));
	if (r->rated)
		fprintf(out, "  score %.1f  grade %s", r->score, r->grade);
	else
		fprintf(out, "  not rated (grade NR)");
	fprintf(out, "  confidence %s\n", confidence_key(r->confidence));
	if (r->verdict_reason)
		fprintf(out, "  %s\n", text_shown(&pool, r->verdict_reason));
	if (v->platform.n_domains) {
		fputs("  domains:", out);
		for (size_t i = 0; i < v->platform.n_domains; i++)
			fprintf(out, " %s", text_shown(&pool, v->platform.domains[i]));
		fputc('\n', out);
	}
	if (v->n_merchants) {
		fputs("  黑猫 merchants:", out);
		for (size_t i = 0; i < v->n_merchants; i++)
			fprintf(out, "%s %s (%s%s)", i ? "," : "",
				text_shown(&pool, v->merchants[i].name ? v->merchants[i].name : "?"),
				text_shown(&pool, v->merchants[i].merchant_id),
				v->merchants[i].pinned ? ", pinned" : "");
		if (v->n_merchants > 1)
			fputs(" — several merchants carry this name; complaints of all are counted", out);
		fputc('\n', out);
	}
	fprintf(out, "  data as of ");
	print_time(out, v->last_refresh);
	fprintf(out, " (Asia/Shanghai), formula %s\n", FORMULA_ID);

	if (r->n_gates) {
		fprintf(out, "\n%s一票否决 Gates%s\n", pal->bold, pal->reset);
		for (size_t g = 0; g < r->n_gates; g++) {
			fprintf(out, "  %s✗ %s%s: %s\n", pal->red, r->gates[g].gate, pal->reset,
				text_shown(&pool, str_or_empty(r->gates[g].reason)));
			print_evidence(out, pal, &pool, r->gates[g].evidence, r->gates[g].n_evidence);
		}
	}

	if (r->rated)
		fprintf(out, "\n%s扣分 Deductions%s (100 − deductions = %.1f)\n", pal->bold,
			pal->reset, r->score);
	else
		fprintf(out, "\n%s扣分 Deductions%s (not rated: identity and trend only)\n",
			pal->bold, pal->reset);
	int any = 0;
	for (int k = 0; k < COMP_COUNT; k++) {
		const struct score_deduction *d = &r->deductions[k];
		if (!deduction_shown(r, k))
			continue;
		any = 1;
		fprintf(out, "  -%5.1f %-9s %s\n", d->points, d->component,
			text_shown(&pool, str_or_empty(d->reason)));
		print_evidence(out, pal, &pool, d->evidence, d->n_evidence);
	}
	if (!any)
		fputs("  none\n", out);

	fprintf(out, "\n%s投诉 Complaints%s (last %.0f days): %zu", pal->bold, pal->reset,
		cfg->score.window_days, r->total);
	fprintf(out, " — unanswered %zu, answered %zu, resolved %zu, closed %zu, unknown %zu\n",
		r->by_status[STATUS_UNANSWERED], r->by_status[STATUS_ANSWERED],
		r->by_status[STATUS_RESOLVED], r->by_status[STATUS_CLOSED],
		r->by_status[STATUS_UNKNOWN]);
	if (r->total) {
		fputs("  categories:", out);
		for (int k = 0; k < CAT_COUNT; k++)
			if (r->by_category[k])
				fprintf(out, " %s %zu", category_name_zh((enum category)k),
					r->by_category[k]);
		fputs("\n  reply rate ", out);
		print_percent(out, r->reply_rate);
		fputs(" (≥ ", out);
		print_percent(out, r->reply_wilson_lo);
		fputs(" at 95%), completion ", out);
		print_percent(out, r->completion_rate);
		fputs(" (≥ ", out);
		print_percent(out, r->completion_wilson_lo);
		fputs(" at 95%)", out);
		if (!isnan(r->median_reply_hours))
			fprintf(out, ", median first reply %.1f h", r->median_reply_hours);
		fputc('\n', out);
	}
	char spark[64];
	sparkline(v->monthly, spark, sizeof(spark));
	fprintf(out, "  trend %s%s%s: %d in the last 14 days vs %d in the 90 before (p = %.3g);"
		     " 12 months %s\n",
		r->trend.level >= TREND_WARNING ? pal->red : "", trend_level_key(r->trend.level),
		r->trend.level >= TREND_WARNING ? pal->reset : "", r->trend.x14, r->trend.c90,
		r->trend.p, spark);

	const struct score_identity *id = &v->input.identity;
	fprintf(out, "\n%s备案 ICP%s: %s", pal->bold, pal->reset, icp_status_key(id->icp_status));
	if (v->filing)
		fprintf(out, " — %s %s, %s (record updated %s)",
			text_shown(&pool, str_or_empty(v->filing->nature_name)),
			text_shown(&pool, str_or_empty(v->filing->unit_name)),
			text_shown(&pool, str_or_empty(v->filing->service_licence)),
			text_shown(&pool, str_or_empty(v->filing->update_record_time)));
	for (size_t i = 0; i < v->n_icp; i++)
		if (v->icp[i].queried && v->icp[i].cur.was_filed_before)
			fprintf(out, "\n  %s%s is no longer filed%s", pal->red,
				text_shown(&pool, v->icp[i].domain), pal->reset);
	fprintf(out, "\n  home page claim: %s", site_claim_key(id->claim));
	if (v->have_site && v->site.icp_raw)
		fprintf(out, " (%s)", text_shown(&pool, v->site.icp_raw));
	if (v->claim_detail)
		fprintf(out, " — %s", text_shown(&pool, v->claim_detail));
	fputc('\n', out);

	fprintf(out, "\n%s数据来源 Sources%s\n", pal->bold, pal->reset);
	for (size_t i = 0; i < registry_count(); i++) {
		const char *colour = v->health[i] == HEALTH_OK       ? ""
				     : v->health[i] == HEALTH_DISABLED ? pal->dim
									: pal->yellow;
		fprintf(out, "  %-7s %s%-8s%s last success ", registry[i].name, colour,
			source_health_key(v->health[i]), pal->reset);
		print_time(out, v->have_state[i] ? v->state[i].last_success_at : 0);
		if (source_health_failing(v->health[i]) && v->state[i].last_error)
			fprintf(out, "; error: %s", text_shown(&pool, v->state[i].last_error));
		fputc('\n', out);
	}
	print_where_to_complain(out, v, pal, &pool);

	if (explain) {
		fprintf(out, "\n%sExplain%s (every constant is a [score] key)\n", pal->bold, pal->reset);
#define X(name, def, range, doc) fprintf(out, "  %-20s %-8g %s\n", #name, cfg->score.name, doc);
		SCORE_PARAMS(X)
#undef X
		fprintf(out, "  W=%.4f W_known=%.4f W_rated=%.4f\n", r->W, r->W_known, r->W_rated);
		fprintf(out, "  R=%.4f C=%.4f T=%.4f Sat=%.4f S=%.4f (weights %.3f %.3f %.3f %.3f)\n",
			r->R, r->C, r->T, r->Sat, r->S, r->w_r, r->w_c, r->w_t, r->w_sat);
		fprintf(out, "  V=%.4f (unresolved severity %.1f over %zu unresolved) U90=%zu "
			     "identity_raw=%.1f lambda=%.4f\n",
			r->V, r->unresolved_severity, r->n_unresolved, r->U90, r->identity_raw,
			r->trend.lambda);
		fprintf(out, "  excluded by hand %zu, outside the window %zu, undated %zu\n",
			r->n_excluded, r->n_outside_window, r->n_undated);
	}
	text_pool_finish(&pool);
}
