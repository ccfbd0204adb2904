/* text: check's verdict for a buyer at a terminal, colours optional. */
#include <math.h>
#include <string.h>

#include "parse/category.h"
#include "parse/icp.h"
#include "render.h"
#include "text.h"
#include "timeutil.h"

static const char *
str_or_empty(const char *s)
{
	return s ? s : "";
}

/* The 12-month sparkline (▁▂▃▄▅▆▇█), UTF-8, into out (at least 40 bytes). */
static void
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

/* One line per complaint source the platform has merchants on. */
static void
print_merchants(FILE *out, const struct platform_view *v, struct text_pool *pool)
{
	for (size_t m = 0; m < v->n_merchants;) {
		int src = v->merchant_source[m];
		size_t n = 0;
		while (m + n < v->n_merchants && v->merchant_source[m + n] == src)
			n++;
		fprintf(out, "  %s merchants:", registry[src].short_title);
		for (size_t i = m; i < m + n; i++)
			fprintf(out, "%s %s (%s%s)", i > m ? "," : "",
				text_shown(pool, v->merchants[i].name ? v->merchants[i].name : "?"),
				text_shown(pool, v->merchants[i].merchant_id),
				v->merchants[i].pinned ? ", pinned" : "");
		if (n > 1)
			fputs(" — several merchants carry this name; complaints of all are counted", out);
		fputc('\n', out);
		m += n;
	}
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
	for (size_t i = 0; i < registry_count(); i++) {
		if (registry[i].kind != SOURCE_COMPLAINTS || !registry[i].complain_url)
			continue;
		fprintf(out, "  %d. %s %s", n++, registry[i].title, registry[i].complain_url);
		for (size_t m = 0; m < v->n_merchants; m++) {
			if (v->merchant_source[m] != (int)i)
				continue;
			fprintf(out, " (商家 %s)",
				text_shown(pool, v->merchants[m].name ? v->merchants[m].name
								       : v->merchants[m].merchant_id));
			break;
		}
		fputc('\n', out);
	}
	fprintf(out, "  %d. 12315 https://www.12315.cn/", n++);
	if (v->filing && v->filing->unit_name)
		fprintf(out, " — 被投诉主体 operator: %s (%s)", text_shown(pool, v->filing->unit_name),
			text_shown(pool, v->filing->service_licence
						 ? v->filing->service_licence
						 : str_or_empty(v->filing->main_licence)));
	else if (v->input.identity.icp_status == ICP_STATUS_NOT_FILED)
		fputs(" — operator unknown (no ICP filing on record)", out);
	else
		fputs(" — operator unknown (the ICP registry was not asked or did not answer)", out);
	fputc('\n', out);
	fprintf(out, "  %d. 诈骗或跑路 fraud: 报警 110 / https://cyberpolice.mps.gov.cn/\n", n);
}

static int
text_platform(struct render_ctx *ctx, const struct platform_view *v)
{
	FILE *out = ctx->out;
	const struct config *cfg = ctx->cfg;
	bool color = ctx->color, explain = ctx->explain;
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
	print_merchants(out, v, &pool);
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

	fprintf(out, "\n%s投诉 Complaints%s (last %.0f days): ", pal->bold, pal->reset,
		cfg->score.window_days);
	if (!v->complaints_known && !r->total)
		fputs("unknown — no complaint source could be read\n", out);
	else
		fprintf(out, "%zu — unanswered %zu, answered %zu, resolved %zu, closed %zu, "
			     "unknown %zu\n",
			r->total, r->by_status[STATUS_UNANSWERED], r->by_status[STATUS_ANSWERED],
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
				text_shown(&pool, v->icp[i].domain),
				pal->reset);
	fprintf(out, "\n  home page claim: %s", site_claim_key(id->claim));
	if (v->have_site && v->site.icp_raw)
		fprintf(out, " (%s)", text_shown(&pool, v->site.icp_raw));
	if (v->claim_detail)
		fprintf(out, " — %s", text_shown(&pool, v->claim_detail));
	fputc('\n', out);
	/* Each domain's own page when there are several, or the one is dead. */
	for (size_t i = 0; i < v->n_sites; i++) {
		const struct site_domain_view *sd = &v->sites[i];
		if (v->n_sites < 2 && sd->probed && sd->probe.ok)
			continue;
		fprintf(out, "    %s: ", text_shown(&pool, sd->domain));
		if (!sd->probed)
			fputs("not probed yet", out);
		else if (!sd->probe.ok)
			fprintf(out, "%sdead%s (%s)", pal->yellow, pal->reset,
				text_shown(&pool, sd->probe.error ? sd->probe.error
								  : "no page"));
		else
			fprintf(out, "claim %s", site_claim_key(sd->claim));
		fputc('\n', out);
	}

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
	return 0;
}

static int
text_begin(struct render_ctx *ctx)
{
	(void)ctx;
	return 0;
}

const struct renderer render_text = {
	.name = "text",
	.views = RENDER_CHECK,
	.begin = text_begin,
	.platform = text_platform,
	.end = render_flush,
};
