/* KM-Risk v1 scorer: hand-computed cases, one per rule of ../shared/SCORING.md.
 * The arithmetic behind each expected number is in the comment above it.
 * All ages are chosen so that the decay weight is simple: age 180 d -> 0.5,
 * age 360 d -> 0.25, age 0 -> 1. */
#include <math.h>
#include <stdint.h>

#include "err.h"
#include "fixture.h"
#include "harness.h"
#include "score.h"

static struct fx f;

static void
params(struct score_params *p)
{
	score_params_defaults(p);
}

static int
compute(const struct score_params *p, const struct score_input *in, struct score_result *r)
{
	char err[ERRBUF_SIZE] = "";
	int rc = score_compute(p, in, r, err);
	if (rc)
		fprintf(stderr, "score_compute: %s\n", err);
	return rc;
}

/* 10 complaints, all 180 days old (w = 0.5 each, W = 5):
 *   6 resolved, replied after 24 h (T_i 1), 3 of them rated 8/10;
 *   2 answered, replied after 100 h (T_i 0.6);
 *   2 unanswered, timeline seen, never replied (T_i 0);
 *   all 未发货 (s = 4). */
static void
service_fixture(int rated)
{
	f.n = 0;
	for (int i = 0; i < 6; i++) {
		struct score_complaint *c = fx_add(&f, 180, STATUS_RESOLVED, CAT_UNDELIVERED);
		fx_reply(c, 24);
		if (rated && i < 3)
			c->satisfaction = 8;
	}
	for (int i = 0; i < 2; i++)
		fx_reply(fx_add(&f, 180, STATUS_ANSWERED, CAT_UNDELIVERED), 100);
	for (int i = 0; i < 2; i++)
		fx_never(fx_add(&f, 180, STATUS_UNANSWERED, CAT_UNDELIVERED));
}

static void
test_service_with_ratings(void)
{
	struct score_params p;
	params(&p);
	service_fixture(1);
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.total, 10);
	/* W = 10 * 2^(-180/180) = 5 */
	CHECK_NEAR(r.W, 5.0, 1e-9);
	/* R = (8*0.5 + 5*0.5) / (5 + 5) = 6.5/10 */
	CHECK_NEAR(r.R, 0.65, 1e-9);
	/* C = (6*0.5 + 5*0.3) / 10 = 4.5/10 */
	CHECK_NEAR(r.C, 0.45, 1e-9);
	/* T = (0.5*(6*1 + 2*0.6 + 2*0) + 5*0.5) / (5 + 5) = (3.6 + 2.5)/10 */
	CHECK_NEAR(r.T, 0.61, 1e-9);
	CHECK_INT(r.n_time_known, 10);
	/* Sat = (1.5*0.8 + 2.5) / (1.5 + 5) = 3.7/6.5 */
	CHECK_NEAR(r.Sat, 3.7 / 6.5, 1e-9);
	CHECK_INT(r.n_rated, 3);
	/* S = 0.3*0.65 + 0.4*0.45 + 0.2*0.61 + 0.1*0.569231 = 0.553923 */
	CHECK_NEAR(r.S, 0.195 + 0.18 + 0.122 + 0.1 * 3.7 / 6.5, 1e-9);
	CHECK_NEAR(r.w_sat, 0.1, 1e-12);
	/* service = 40*(1 - 0.553923) = 17.843077 */
	CHECK_NEAR(r.deductions[COMP_SERVICE].points, 17.8430769, 1e-6);
	/* V = 4 unresolved * 4 / (10 + 5) = 16/15; severity = 25*(16/15)/5 */
	CHECK_NEAR(r.V, 16.0 / 15.0, 1e-12);
	CHECK_NEAR(r.deductions[COMP_SEVERITY].points, 25 * (16.0 / 15.0) / 5, 1e-9);
	CHECK_NEAR(r.deductions[COMP_VOLUME].points, 0, 1e-12);
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 0, 1e-12);
	CHECK_NEAR(r.deductions[COMP_TREND].points, 0, 1e-12);
	/* 100 - 17.843077 - 5.333333 = 76.82359 -> 76.8, C, caution (< 80) */
	CHECK(r.rated);
	CHECK_NEAR(r.score, 76.8, 1e-9);
	CHECK_STR(r.grade, "C");
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	CHECK_INT(r.confidence, CONFIDENCE_MEDIUM);
	/* plain: 8/10 replied, 6/10 completed */
	CHECK_NEAR(r.reply_rate, 0.8, 1e-12);
	CHECK_NEAR(r.reply_wilson_lo, 0.490156846721, 1e-9);
	CHECK_NEAR(r.completion_rate, 0.6, 1e-12);
	CHECK_NEAR(r.completion_wilson_lo, 0.312669547450, 1e-9);
	/* reply hours 24 x6, 100 x2: median of 8 = (24 + 24)/2 */
	CHECK_NEAR(r.median_reply_hours, 24, 1e-9);
	CHECK_INT(r.by_status[STATUS_RESOLVED], 6);
	CHECK_INT(r.by_status[STATUS_ANSWERED], 2);
	CHECK_INT(r.by_status[STATUS_UNANSWERED], 2);
	CHECK_INT(r.by_category[CAT_UNDELIVERED], 10);
	CHECK_INT(r.n_by_source, 1);
	CHECK_STR(r.by_source[0].source, "heimao");
	CHECK_INT(r.by_source[0].n, 10);
	/* service evidence: the unanswered ones (the answered but unresolved
	 * ones are the severity line's) */
	CHECK_INT(r.deductions[COMP_SERVICE].n_evidence, 2);
	CHECK_STR(r.deductions[COMP_SERVICE].evidence[0].url, "https://t.example/c/8");
	CHECK_STR(r.deductions[COMP_SERVICE].evidence[1].url, "https://t.example/c/9");
	CHECK(strstr(r.deductions[COMP_SERVICE].reason, "回复率 65%") != NULL);
	score_result_finish(&r);
}

static void
test_service_no_ratings(void)
{
	struct score_params p;
	params(&p);
	service_fixture(0);
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	/* weights w/(1 - 0.1): 0.3333, 0.4444, 0.2222, and Sat out */
	CHECK_NEAR(r.w_r, 0.3 / 0.9, 1e-12);
	CHECK_NEAR(r.w_c, 0.4 / 0.9, 1e-12);
	CHECK_NEAR(r.w_t, 0.2 / 0.9, 1e-12);
	CHECK_NEAR(r.w_sat, 0, 1e-12);
	/* S = (0.3*0.65 + 0.4*0.45 + 0.2*0.61)/0.9 = 0.497/0.9 = 0.552222 */
	CHECK_NEAR(r.S, 0.497 / 0.9, 1e-9);
	/* service = 40*(1 - 0.552222) = 17.911111 */
	CHECK_NEAR(r.deductions[COMP_SERVICE].points, 40 * (1 - 0.497 / 0.9), 1e-9);
	score_result_finish(&r);
}

/* T is over complaints whose reply time is known only. */
static void
test_time_known_only(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 5; i++)
		fx_reply(fx_add(&f, 180, STATUS_ANSWERED, CAT_OTHER), 10);
	for (int i = 0; i < 5; i++)
		fx_add(&f, 180, STATUS_ANSWERED, CAT_OTHER); /* timeline never seen */
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	/* known: 5 x w 0.5 = 2.5; T = (2.5*1 + 2.5)/(2.5 + 5) = 0.6667
	 * (counting the unknown ones as 0 would give 5/10 = 0.5) */
	CHECK_INT(r.n_time_known, 5);
	CHECK_NEAR(r.W_known, 2.5, 1e-9);
	CHECK_NEAR(r.T, 5.0 / 7.5, 1e-9);
	CHECK_NEAR(r.median_reply_hours, 10, 1e-9);
	score_result_finish(&r);
}

/* Reply-time credit steps at 72 h and 120 h; an unreplied complaint is
 * unknown until 120 h have passed (it could still earn credit), then 0. */
static void
test_time_credit_steps(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	fx_reply(fx_add(&f, 360, STATUS_ANSWERED, CAT_OTHER), 72);   /* 1.0 */
	fx_reply(fx_add(&f, 360, STATUS_ANSWERED, CAT_OTHER), 72.5); /* 0.6 */
	fx_reply(fx_add(&f, 360, STATUS_ANSWERED, CAT_OTHER), 120);  /* 0.6 */
	fx_reply(fx_add(&f, 360, STATUS_ANSWERED, CAT_OTHER), 121);  /* 0 */
	fx_never(fx_add(&f, 4, STATUS_UNANSWERED, CAT_OTHER));       /* 96 h old: pending */
	fx_never(fx_add(&f, 6, STATUS_UNANSWERED, CAT_OTHER));       /* 144 h old: 0 */
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_time_known, 5);
	/* weights: age 360 -> 0.25 (x4); age 6 -> 2^(-6/180)
	 * Σ w T = 0.25*(1 + 0.6 + 0.6 + 0) = 0.55; Σ w = 1 + 2^(-1/30) */
	double w6 = exp2(-6.0 / 180);
	CHECK_NEAR(r.W_known, 1 + w6, 1e-9);
	CHECK_NEAR(r.T, (0.55 + 2.5) / (1 + w6 + 5), 1e-9);
	/* median of 72, 72.5, 120, 121 = (72.5 + 120)/2 */
	CHECK_NEAR(r.median_reply_hours, 96.25, 1e-9);
	score_result_finish(&r);
}

/* Unresolved complaints do not decay in severity; closed is not resolved;
 * complaints past the window are not scored. */
static void
test_severity_no_decay(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 4; i++)
		fx_add(&f, 1000, STATUS_UNANSWERED, CAT_RUNAWAY);
	fx_add(&f, 1000, STATUS_CLOSED, CAT_FRAUD);
	fx_add(&f, 1000, STATUS_RESOLVED, CAT_FRAUD);
	fx_add(&f, 1096, STATUS_UNANSWERED, CAT_RUNAWAY); /* outside 1095 d */
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.total, 6);
	CHECK_INT(r.n_outside_window, 1);
	/* V = (4*10 + 8) / (6 + 5) = 48/11 = 4.3636; severity = 25 * 4.3636/5 = 21.818 */
	CHECK_INT(r.n_unresolved, 5);
	CHECK_NEAR(r.unresolved_severity, 48, 1e-12);
	CHECK_NEAR(r.V, 48.0 / 11, 1e-12);
	CHECK_NEAR(r.deductions[COMP_SEVERITY].points, 25 * 48.0 / 11 / 5, 1e-9);
	/* severity evidence: the 跑路 ones first (s = 10) */
	CHECK(r.deductions[COMP_SEVERITY].n_evidence == 5);
	CHECK_STR(r.deductions[COMP_SEVERITY].evidence[4].url, "https://t.example/c/4");
	score_result_finish(&r);
}

static void
test_severity_cap(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 20; i++)
		fx_add(&f, 500, STATUS_UNANSWERED, CAT_RUNAWAY);
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	/* V = 200/25 = 8 > 5: all 25 points */
	CHECK_NEAR(r.V, 8, 1e-12);
	CHECK_NEAR(r.deductions[COMP_SEVERITY].points, 25, 1e-12);
	score_result_finish(&r);
}

static double
volume_for(int unresolved_recent, double age)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < unresolved_recent; i++)
		fx_add(&f, age, STATUS_ANSWERED, CAT_OTHER);
	for (int i = 0; i < 5; i++)
		fx_add(&f, 30, STATUS_RESOLVED, CAT_OTHER); /* resolved: not counted */
	struct score_input in = fx_input(&f);
	struct score_result r;
	compute(&p, &in, &r);
	double v = r.deductions[COMP_VOLUME].points;
	score_result_finish(&r);
	return v;
}

static void
test_volume(void)
{
	CHECK_NEAR(volume_for(0, 30), 0, 1e-12);
	/* 2.5*log2(1 + 3) = 5 */
	CHECK_NEAR(volume_for(3, 30), 5, 1e-12);
	/* 2.5*log2(8) = 7.5 */
	CHECK_NEAR(volume_for(7, 30), 7.5, 1e-12);
	/* 2.5*log2(16) = 10 */
	CHECK_NEAR(volume_for(15, 30), 10, 1e-12);
	/* 2.5*log2(101) = 16.6 -> capped at 10 */
	CHECK_NEAR(volume_for(100, 30), 10, 1e-12);
	/* exactly 90 days old counts, 91 does not */
	CHECK_NEAR(volume_for(1, 90), 2.5, 1e-12);
	CHECK_NEAR(volume_for(1, 91), 0, 1e-12);
}

static struct score_result
identity_run(struct score_identity id)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 5; i++)
		fx_add(&f, 180, STATUS_RESOLVED, CAT_OTHER);
	struct score_input in = fx_input(&f);
	in.identity = id;
	struct score_result r;
	compute(&p, &in, &r);
	return r;
}

static void
test_identity_signals(void)
{
	struct score_result r;
	struct score_identity id = {0};

	r = identity_run(id); /* all unknown: nothing deducted */
	CHECK_INT(r.n_findings, 0);
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 0, 1e-12);
	score_result_finish(&r);

	id.icp_status = ICP_STATUS_NOT_FILED;
	id.evidence_url = "https://beian.miit.gov.cn/";
	r = identity_run(id);
	CHECK_INT(r.n_findings, 1);
	CHECK_STR(r.findings[0].signal, "not_filed");
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 8, 1e-12);
	CHECK_INT(r.deductions[COMP_IDENTITY].n_evidence, 1);
	CHECK_STR(r.deductions[COMP_IDENTITY].evidence[0].url, "https://beian.miit.gov.cn/");
	score_result_finish(&r);

	/* 个人 (8) + no number shown while filed (2) + filed 2026, now 2027 (3) = 13 */
	id = (struct score_identity){ICP_STATUS_FILED, NATURE_INDIVIDUAL, CLAIM_NONE, 2026, NULL};
	r = identity_run(id);
	CHECK_INT(r.n_findings, 3);
	CHECK_STR(r.findings[0].signal, "individual");
	CHECK_STR(r.findings[1].signal, "no_claim");
	CHECK_STR(r.findings[2].signal, "recent_filing");
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 13, 1e-12);
	score_result_finish(&r);

	/* filed 2025: two years ago, not recent; enterprise: nothing */
	id = (struct score_identity){ICP_STATUS_FILED, NATURE_ENTERPRISE, CLAIM_MATCH, 2025, NULL};
	r = identity_run(id);
	CHECK_INT(r.n_findings, 0);
	score_result_finish(&r);

	/* 个人 only counts when the registry has a filing */
	id = (struct score_identity){ICP_STATUS_UNKNOWN, NATURE_INDIVIDUAL, CLAIM_UNKNOWN, 0, NULL};
	r = identity_run(id);
	CHECK_INT(r.n_findings, 0);
	score_result_finish(&r);
}

static void
test_identity_cap(void)
{
	/* not filed (8) + stolen number (15) = 23 -> capped at 20 */
	struct score_identity id = {ICP_STATUS_NOT_FILED, NATURE_UNKNOWN, CLAIM_MISMATCH, 0, NULL};
	struct score_result r = identity_run(id);
	CHECK_NEAR(r.identity_raw, 23, 1e-12);
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 20, 1e-12);
	score_result_finish(&r);
}

/* Poisson tail references: 60-digit decimal arithmetic in Python,
 *   lower = Σ_{k<x} e^-λ λ^k / k!,  p = 1 - lower,  λ = max(c90, 0.5)*14/90. */
static void
test_poisson_tail(void)
{
	CHECK_NEAR(poisson_tail(0, 0.5), 1.0, 0);
	/* c90 = 0, x14 = 3: λ = 0.0777..., p = 7.3982835071486228e-05 */
	CHECK_NEAR(poisson_tail(3, 0.5 * 14 / 90) / 7.3982835071486228e-05, 1, 1e-12);
	/* c90 = 0, x14 = 1: p = 1 - e^-λ = 0.074830002965798045 */
	CHECK_NEAR(poisson_tail(1, 0.5 * 14 / 90) / 0.074830002965798045, 1, 1e-12);
	/* c90 = 6: x14 = 3 -> 0.068456 (no alert), 5 -> 0.0027364 (watch), 12 -> 3.86e-10 */
	CHECK_NEAR(poisson_tail(3, 6.0 * 14 / 90) / 0.068456425675720564, 1, 1e-12);
	CHECK_NEAR(poisson_tail(5, 6.0 * 14 / 90) / 0.0027363533986060899, 1, 1e-12);
	CHECK_NEAR(poisson_tail(12, 6.0 * 14 / 90) / 3.8631107917221072e-10, 1, 1e-10);
	/* c90 = 30: x14 = 8 -> 0.10095, 12 -> 0.0032058 */
	CHECK_NEAR(poisson_tail(8, 30.0 * 14 / 90) / 0.10094613315456664, 1, 1e-12);
	CHECK_NEAR(poisson_tail(12, 30.0 * 14 / 90) / 0.0032057657471307459, 1, 1e-12);
	/* c90 = 2, x14 = 3 -> 0.0039816; c90 = 10, x14 = 3 -> 0.20522 */
	CHECK_NEAR(poisson_tail(3, 2.0 * 14 / 90) / 0.0039816376858958086, 1, 1e-12);
	CHECK_NEAR(poisson_tail(3, 10.0 * 14 / 90) / 0.20522238547799368, 1, 1e-12);
	/* big numbers, where e^-λ alone underflows: c90 = 1000, x14 = 200;
	 * c90 = 10000, x14 = 1500 (below λ) and 2000 (far above) */
	CHECK_NEAR(poisson_tail(200, 1000.0 * 14 / 90) / 0.00035299203785516383, 1, 1e-9);
	CHECK_NEAR(poisson_tail(1500, 10000.0 * 14 / 90) / 0.92302002241412651, 1, 1e-9);
	CHECK_NEAR(poisson_tail(2000, 10000.0 * 14 / 90) / 2.1432475297665493e-27, 1, 1e-8);
	CHECK_NEAR(poisson_tail(3, 0), 0, 0);
}

static void
test_wilson(void)
{
	/* (p + z²/2n - z√(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96 */
	CHECK_NEAR(wilson_lower(3, 4, 1.96), 0.30063605244263664, 1e-12);
	CHECK_NEAR(wilson_lower(30, 40, 1.96), 0.59805740933029894, 1e-12);
	CHECK_NEAR(wilson_lower(0, 10, 1.96), 0, 1e-12);
	CHECK_NEAR(wilson_lower(10, 10, 1.96), 0.72245983123338342, 1e-12);
	CHECK(isnan(wilson_lower(0, 0, 1.96)));
}

static void
test_median(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	fx_reply(fx_add(&f, 180, STATUS_ANSWERED, CAT_OTHER), 30);
	fx_reply(fx_add(&f, 180, STATUS_ANSWERED, CAT_OTHER), 2);
	fx_reply(fx_add(&f, 180, STATUS_ANSWERED, CAT_OTHER), 500);
	fx_never(fx_add(&f, 180, STATUS_UNANSWERED, CAT_OTHER));
	fx_add(&f, 180, STATUS_UNANSWERED, CAT_OTHER);
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	/* replies 2, 30, 500 h: median 30 */
	CHECK_NEAR(r.median_reply_hours, 30, 1e-9);
	score_result_finish(&r);

	f.n = 0;
	for (int i = 0; i < 5; i++)
		fx_add(&f, 180, STATUS_UNANSWERED, CAT_OTHER);
	in = fx_input(&f);
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK(isnan(r.median_reply_hours));
	score_result_finish(&r);
}

/* Six answered 其他 complaints 20-100 days old (c90 = 6), then recent ones. */
static void
trend_base(void)
{
	f.n = 0;
	for (int i = 0; i < 6; i++)
		fx_reply(fx_add(&f, 20 + 15 * i, STATUS_ANSWERED, CAT_OTHER), 10);
}

/* previous: the level of an earlier refresh hours_ago before NOW (-1 none);
 * refreshed_hours_ago: when the latest refresh was (0: now). */
static struct score_result
trend_run_at(int previous, double hours_ago, double refreshed_hours_ago)
{
	struct score_params p;
	params(&p);
	struct score_input in = fx_input(&f);
	in.previous_trend_level = previous;
	in.previous_trend_at = previous < 0 ? 0 : NOW - (int64_t)(hours_ago * 3600);
	in.refreshed_at = refreshed_hours_ago ? NOW - (int64_t)(refreshed_hours_ago * 3600) : 0;
	struct score_result r;
	compute(&p, &in, &r);
	return r;
}

static struct score_result
trend_run(int previous)
{
	return trend_run_at(previous, 24, 0);
}

static void
test_trend_none(void)
{
	trend_base();
	for (int i = 0; i < 3; i++)
		fx_add(&f, 1 + i, STATUS_ANSWERED, CAT_OTHER);
	struct score_result r = trend_run(-1);
	/* x14 = 3, c90 = 6: λ = 6*14/90 = 0.9333, p = 0.068 >= 0.01 */
	CHECK_INT(r.trend.x14, 3);
	CHECK_INT(r.trend.c90, 6);
	CHECK_NEAR(r.trend.lambda, 6.0 * 14 / 90, 1e-12);
	CHECK_NEAR(r.trend.p, 0.068456425675720564, 1e-12);
	CHECK_INT(r.trend.level, TREND_NONE);
	CHECK_NEAR(r.deductions[COMP_TREND].points, 0, 0);
	CHECK_INT(r.deductions[COMP_TREND].n_evidence, 0);
	score_result_finish(&r);
}

static void
test_trend_watch(void)
{
	trend_base();
	for (int i = 0; i < 5; i++)
		fx_add(&f, 1 + i, STATUS_ANSWERED, CAT_OTHER);
	struct score_result r = trend_run(-1);
	/* x14 = 5: p = 0.0027 < 0.01, watch; 14-day reply rate 1, no severe */
	CHECK_INT(r.trend.x14, 5);
	CHECK_NEAR(r.trend.p, 0.0027363533986060899, 1e-12);
	CHECK_INT(r.trend.level, TREND_WATCH);
	CHECK_NEAR(r.deductions[COMP_TREND].points, 5, 0);
	/* evidence: the recent ones, newest first */
	CHECK_INT(r.deductions[COMP_TREND].n_evidence, 5);
	CHECK_STR(r.deductions[COMP_TREND].evidence[0].url, "https://t.example/c/6");
	CHECK_INT(r.n_gates, 0);
	score_result_finish(&r);
}

static void
test_trend_new_platform(void)
{
	/* nothing before, 3 in the last 14 days: λ = 0.5*14/90, p = 7.4e-5: watch */
	f.n = 0;
	for (int i = 0; i < 3; i++)
		fx_add(&f, 2, STATUS_ANSWERED, CAT_OTHER);
	struct score_result r = trend_run(-1);
	CHECK_INT(r.trend.c90, 0);
	CHECK_NEAR(r.trend.lambda, 0.5 * 14 / 90, 1e-12);
	CHECK_NEAR(r.trend.p / 7.3982835071486228e-05, 1, 1e-9);
	CHECK_INT(r.trend.level, TREND_WATCH);
	/* 3 complaints: not rated, but the trend is still shown */
	CHECK(!r.rated);
	CHECK_INT(r.verdict, VERDICT_NOT_RATED);
	score_result_finish(&r);
}

static void
test_trend_warning_share(void)
{
	trend_base();
	for (int i = 0; i < 3; i++)
		fx_add(&f, 1 + i, STATUS_ANSWERED, CAT_OTHER);
	for (int i = 0; i < 2; i++)
		fx_add(&f, 4 + i, STATUS_ANSWERED, CAT_WITHDRAW);
	struct score_result r = trend_run(-1);
	/* 2 提现 of 5 = 0.4 >= 0.4: warning */
	CHECK_NEAR(r.trend.severe_share, 0.4, 1e-12);
	CHECK(r.trend.warning_share);
	CHECK(!r.trend.warning_collapse);
	CHECK_INT(r.trend.level, TREND_WARNING);
	CHECK_NEAR(r.deductions[COMP_TREND].points, 15, 0);
	/* evidence ranks the 提现 ones first */
	CHECK_STR(r.deductions[COMP_TREND].evidence[0].url, "https://t.example/c/9");
	CHECK_STR(r.deductions[COMP_TREND].evidence[1].url, "https://t.example/c/10");
	score_result_finish(&r);

	/* 1 提现 of 5 = 0.2 < 0.4: watch only */
	trend_base();
	for (int i = 0; i < 4; i++)
		fx_add(&f, 1 + i, STATUS_ANSWERED, CAT_OTHER);
	fx_add(&f, 5, STATUS_ANSWERED, CAT_SUPPORT_LOST);
	r = trend_run(-1);
	CHECK_INT(r.trend.level, TREND_WATCH);
	score_result_finish(&r);
}

static void
test_trend_warning_collapse(void)
{
	trend_base();
	for (int i = 0; i < 5; i++)
		fx_add(&f, 1 + i, STATUS_UNANSWERED, CAT_OTHER);
	struct score_result r = trend_run(-1);
	/* 14-day reply rate 0 <= 0.2; baseline R over the 6 older answered ones
	 * = (Σw + 2.5)/(Σw + 5) > 0.5 */
	double bw = 0;
	for (int i = 0; i < 6; i++)
		bw += exp2(-(20.0 + 15 * i) / 180);
	CHECK_NEAR(r.trend.reply_rate, 0, 0);
	CHECK_NEAR(r.trend.baseline_r, (bw + 2.5) / (bw + 5), 1e-9);
	CHECK(r.trend.warning_collapse);
	CHECK_INT(r.trend.level, TREND_WARNING);
	score_result_finish(&r);

	/* the same spike on a platform that never replied: no collapse, watch */
	f.n = 0;
	for (int i = 0; i < 6; i++)
		fx_add(&f, 20 + 15 * i, STATUS_UNANSWERED, CAT_OTHER);
	for (int i = 0; i < 5; i++)
		fx_add(&f, 1 + i, STATUS_UNANSWERED, CAT_OTHER);
	r = trend_run(-1);
	CHECK(r.trend.baseline_r < 0.5);
	CHECK_INT(r.trend.level, TREND_WATCH);
	score_result_finish(&r);
}

/* Why the collapse rule compares with the BASELINE R (complaints before the
 * 14 days): 21 old answered complaints (Σw = 20*0.5 + 2^(-200/180) = 10.463)
 * and 10 unanswered ones in the last 1-5.5 days (Σw = 9.774).  Overall
 * R = (10.463 + 2.5) / (10.463 + 9.774 + 5) = 0.5116; one more unresolved
 * 跑路 filed now would push the overall R to 12.963/26.237 = 0.4941 < 0.5
 * and, read literally, turn the warning back into a watch
 * (-10 points): adding a 跑路 complaint would RAISE the score.  The baseline
 * R (10.463 + 2.5)/(10.463 + 5) = 0.838 does not move. */
static void
test_trend_collapse_baseline(void)
{
	f.n = 0;
	for (int i = 0; i < 20; i++)
		fx_add(&f, 180, STATUS_ANSWERED, CAT_OTHER);
	fx_add(&f, 200, STATUS_ANSWERED, CAT_OTHER);
	for (int i = 0; i < 10; i++)
		fx_add(&f, 1 + 0.5 * i, STATUS_UNANSWERED, CAT_OTHER);
	struct score_result before = trend_run(-1);
	double w = 10 + exp2(-200.0 / 180), wr = 0;
	for (int i = 0; i < 10; i++)
		wr += exp2(-(1 + 0.5 * i) / 180);
	CHECK_NEAR(before.R, (w + 2.5) / (w + wr + 5), 1e-9);
	CHECK_NEAR(before.trend.baseline_r, (w + 2.5) / (w + 5), 1e-9);
	CHECK_INT(before.trend.level, TREND_WARNING);
	fx_add(&f, 0, STATUS_UNANSWERED, CAT_RUNAWAY);
	struct score_result after = trend_run(-1);
	CHECK(after.R < 0.5);
	CHECK_INT(after.trend.level, TREND_WARNING);
	CHECK(after.provisional_score < before.provisional_score);
	score_result_finish(&before);
	score_result_finish(&after);
}

static void
test_trend_critical_runaway(void)
{
	static const char *keys[] = {"a", "b", "c"};
	f.n = 0;
	for (int i = 0; i < 10; i++)
		fx_add(&f, 200, STATUS_RESOLVED, CAT_OTHER);
	for (int i = 0; i < 3; i++)
		fx_add(&f, 1 + 2 * i, STATUS_RESOLVED, CAT_RUNAWAY)->complainant_key = keys[i];
	struct score_result r = trend_run(-1);
	/* 3 distinct people filed 跑路 within 7 days (ages 1, 3, 5) */
	CHECK_INT(r.trend.runaway_people, 3);
	CHECK(r.trend.critical_runaway);
	CHECK_INT(r.trend.level, TREND_CRITICAL);
	CHECK_NEAR(r.deductions[COMP_TREND].points, 25, 0);
	CHECK_INT(r.n_gates, 1);
	CHECK_STR(r.gates[0].gate, "trend_critical");
	CHECK_INT(r.gates[0].n_evidence, 3);
	CHECK_STR(r.grade, "F");
	CHECK_INT(r.verdict, VERDICT_AVOID);
	score_result_finish(&r);

	/* the same person twice: 2 people, not critical */
	f.c[f.n - 1].complainant_key = "a";
	r = trend_run(-1);
	CHECK_INT(r.trend.runaway_people, 2);
	CHECK(r.trend.level != TREND_CRITICAL);
	score_result_finish(&r);

	/* NULL keys are distinct people */
	for (size_t i = f.n - 3; i < f.n; i++)
		f.c[i].complainant_key = NULL;
	r = trend_run(-1);
	CHECK_INT(r.trend.runaway_people, 3);
	CHECK_INT(r.trend.level, TREND_CRITICAL);
	score_result_finish(&r);

	/* 8 days ago is outside the 7 days */
	f.c[f.n - 1].filed_at = NOW - 8 * DAY;
	r = trend_run(-1);
	CHECK_INT(r.trend.runaway_people, 2);
	score_result_finish(&r);
}

static void
test_trend_critical_repeat(void)
{
	trend_base();
	for (int i = 0; i < 5; i++)
		fx_add(&f, 1 + i, STATUS_UNANSWERED, CAT_OTHER);
	/* warning now (collapse), warning at the last refresh: critical */
	struct score_result r = trend_run(TREND_WARNING);
	CHECK(r.trend.critical_repeat);
	CHECK_INT(r.trend.level, TREND_CRITICAL);
	CHECK_INT(r.n_gates, 1);
	CHECK_STR(r.gates[0].gate, "trend_critical");
	score_result_finish(&r);
	/* watch at the last refresh: still warning */
	r = trend_run(TREND_WATCH);
	CHECK_INT(r.trend.level, TREND_WARNING);
	score_result_finish(&r);
	/* unknown previous level */
	r = trend_run(-1);
	CHECK_INT(r.trend.level, TREND_WARNING);
	score_result_finish(&r);
}

/* km-risk/2: the two refreshes must be at least 20 hours apart, the earlier
 * within the last 8 days; refreshing seconds apart changes nothing. */
static void
test_trend_repeat_needs_20_hours(void)
{
	trend_base();
	for (int i = 0; i < 5; i++)
		fx_add(&f, 1 + i, STATUS_UNANSWERED, CAT_OTHER);
	struct score_result r = trend_run_at(TREND_WARNING, 0.01, 0);
	CHECK_INT(r.trend.level, TREND_WARNING);
	CHECK(!r.trend.critical_repeat);
	CHECK_INT(r.n_gates, 0);
	score_result_finish(&r);
	r = trend_run_at(TREND_WARNING, 19.9, 0);
	CHECK_INT(r.trend.level, TREND_WARNING);
	score_result_finish(&r);
	r = trend_run_at(TREND_WARNING, 20, 0);
	CHECK_INT(r.trend.level, TREND_CRITICAL);
	CHECK(strstr(r.deductions[COMP_TREND].reason, "20 hours") != NULL);
	score_result_finish(&r);
	/* a critical earlier refresh counts as a warning held */
	r = trend_run_at(TREND_CRITICAL, 30, 0);
	CHECK_INT(r.trend.level, TREND_CRITICAL);
	score_result_finish(&r);
	/* 20 hours before now, but the latest refresh was 5 hours ago: 15 apart */
	r = trend_run_at(TREND_WARNING, 20, 5);
	CHECK_INT(r.trend.level, TREND_WARNING);
	score_result_finish(&r);
	/* the earlier refresh is older than 8 days */
	r = trend_run_at(TREND_WARNING, 8 * 24 + 1, 0);
	CHECK_INT(r.trend.level, TREND_WARNING);
	score_result_finish(&r);
	r = trend_run_at(TREND_WARNING, 8 * 24 - 1, 0);
	CHECK_INT(r.trend.level, TREND_CRITICAL);
	score_result_finish(&r);
}

static void
test_gate_fraud_cluster(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 10; i++)
		fx_reply(fx_add(&f, 100, STATUS_RESOLVED, CAT_OTHER), 2);
	fx_add(&f, 20, STATUS_UNANSWERED, CAT_FRAUD)->complainant_key = "x";
	fx_add(&f, 25, STATUS_ANSWERED, CAT_RUNAWAY)->complainant_key = "y";
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	/* 2 unresolved 跑路/诈骗 from distinct people in 30 days */
	CHECK_INT(r.n_gates, 1);
	CHECK_STR(r.gates[0].gate, "fraud_cluster");
	CHECK_INT(r.gates[0].n_evidence, 2);
	CHECK_STR(r.gates[0].evidence[0].url, "https://t.example/c/11"); /* 跑路 first */
	CHECK_STR(r.grade, "F");
	CHECK_INT(r.verdict, VERDICT_AVOID);
	CHECK(r.score >= 60); /* the gate, not the score, decides */
	score_result_finish(&r);

	/* same person twice: no gate */
	f.c[11].complainant_key = "x";
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_gates, 0);
	score_result_finish(&r);

	/* one of them resolved: no gate */
	f.c[11].complainant_key = "y";
	f.c[11].status = STATUS_RESOLVED;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_gates, 0);
	score_result_finish(&r);

	/* 31 days old: no gate */
	f.c[11].status = STATUS_CLOSED; /* closed is not resolved */
	f.c[11].filed_at = NOW - 31 * DAY;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_gates, 0);
	score_result_finish(&r);
	f.c[11].filed_at = NOW - 30 * DAY;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_gates, 1);
	score_result_finish(&r);
}

static void
test_gate_stolen_icp(void)
{
	struct score_params p;
	params(&p);
	f.n = 0; /* no complaints at all */
	struct score_input in = fx_input(&f);
	in.identity = (struct score_identity){ICP_STATUS_FILED, NATURE_ENTERPRISE, CLAIM_MISMATCH,
					      0, "https://km.example/"};
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_gates, 1);
	CHECK_STR(r.gates[0].gate, "stolen_icp");
	CHECK_INT(r.gates[0].n_evidence, 1);
	CHECK_STR(r.gates[0].evidence[0].url, "https://km.example/");
	/* a gate makes it rated even without complaints:
	 * S = (0.3*0.5 + 0.4*0.3 + 0.2*0.5)/0.9 = 0.41111; service 23.556;
	 * identity 15; score 100 - 38.556 = 61.4, but grade F and avoid */
	CHECK(r.rated);
	CHECK_NEAR(r.score, 61.4, 1e-9);
	CHECK_STR(r.grade, "F");
	CHECK_INT(r.verdict, VERDICT_AVOID);
	score_result_finish(&r);
}

static void
test_gates_order(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 3; i++)
		fx_add(&f, 1 + i, STATUS_UNANSWERED, CAT_RUNAWAY);
	struct score_input in = fx_input(&f);
	in.identity.claim = CLAIM_MISMATCH;
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_gates, 3);
	CHECK_STR(r.gates[0].gate, "trend_critical");
	CHECK_STR(r.gates[1].gate, "fraud_cluster");
	CHECK_STR(r.gates[2].gate, "stolen_icp");
	CHECK_INT(r.gates[2].n_evidence, 0);
	score_result_finish(&r);
}

/* Each line's evidence is its own (issue 14): service the unanswered
 * complaints, severity the unresolved ones most severe first, volume the
 * unresolved ones of its 90 days, trend those of its 14 days; every one of
 * them (not five), each with its date and title. */
static void
test_evidence_per_line(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	static const char *const titles[] = {"old unanswered", "old 跑路 closed",
					     "recent answered", "spike 1", "spike 2", "spike 3",
					     "spike 4", "spike 5"};
	fx_never(fx_add(&f, 400, STATUS_UNANSWERED, CAT_UNDELIVERED));   /* c/0 */
	fx_reply(fx_add(&f, 300, STATUS_CLOSED, CAT_RUNAWAY), 10);       /* c/1 */
	fx_reply(fx_add(&f, 60, STATUS_ANSWERED, CAT_INVALID_KEY), 200); /* c/2 */
	for (int i = 0; i < 5; i++)                                      /* c/3..7 */
		fx_add(&f, 1 + i, i < 4 ? STATUS_UNANSWERED : STATUS_ANSWERED, CAT_INVALID_KEY);
	for (size_t i = 0; i < f.n; i++)
		f.c[i].title = titles[i];
	for (int i = 0; i < 10; i++)                                     /* c/8..17 */
		fx_reply(fx_add(&f, 500, STATUS_RESOLVED, CAT_OTHER), 5);
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK(r.trend.level == TREND_WATCH || r.trend.level == TREND_WARNING);

	/* service: the 5 unanswered, newest first; nothing answered */
	const struct score_deduction *d = &r.deductions[COMP_SERVICE];
	CHECK_INT(d->n_evidence, 5);
	CHECK_STR(d->evidence[0].url, "https://t.example/c/3");
	CHECK_STR(d->evidence[0].title, "spike 1");
	CHECK(d->evidence[0].filed_at == NOW - DAY);
	CHECK_STR(d->evidence[4].url, "https://t.example/c/0");
	/* severity: the 8 unresolved (closed is not resolved), 跑路 first */
	d = &r.deductions[COMP_SEVERITY];
	CHECK_INT(d->n_evidence, 8);
	CHECK_STR(d->evidence[0].url, "https://t.example/c/1");
	CHECK_STR(d->evidence[0].title, "old 跑路 closed");
	/* volume: the unresolved of the last 90 days only */
	d = &r.deductions[COMP_VOLUME];
	CHECK_INT(d->n_evidence, 6);
	for (size_t i = 0; i < d->n_evidence; i++)
		CHECK(NOW - d->evidence[i].filed_at <= 90 * DAY);
	CHECK_STR(d->evidence[5].url, "https://t.example/c/2");
	/* trend: the 5 of the last 14 days, newest first */
	d = &r.deductions[COMP_TREND];
	CHECK_INT(d->n_evidence, 5);
	for (size_t i = 0; i < d->n_evidence; i++)
		CHECK(NOW - d->evidence[i].filed_at <= 14 * DAY);
	score_result_finish(&r);

	/* every complaint answered: service shows the slowest first replies */
	for (size_t i = 0; i < f.n; i++)
		if (f.c[i].status == STATUS_UNANSWERED) {
			f.c[i].status = STATUS_ANSWERED;
			fx_reply(&f.c[i], 1);
		}
	CHECK_INT(compute(&p, &in, &r), 0);
	d = &r.deductions[COMP_SERVICE];
	CHECK_STR(d->evidence[0].url, "https://t.example/c/2"); /* 200 h */
	CHECK_STR(d->evidence[1].url, "https://t.example/c/1"); /* 10 h */
	score_result_finish(&r);

	/* a 跑路-fired runaway alert shows the 跑路 complaints, not the spike */
	f.n = 0;
	static const char *const keys[] = {"a", "b", "c"};
	for (int i = 0; i < 10; i++)
		fx_add(&f, 200, STATUS_RESOLVED, CAT_OTHER);
	for (int i = 0; i < 3; i++)
		fx_add(&f, 10, STATUS_UNANSWERED, CAT_INVALID_KEY);
	for (int i = 0; i < 3; i++)
		fx_add(&f, 1 + 2 * i, STATUS_RESOLVED, CAT_RUNAWAY)->complainant_key = keys[i];
	in = fx_input(&f);
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_STR(r.gates[0].gate, "trend_critical");
	CHECK_INT(r.gates[0].n_evidence, 3);
	for (size_t i = 0; i < 3; i++)
		CHECK(strcmp(r.gates[0].evidence[i].url, "https://t.example/c/13") >= 0);
	CHECK_INT(r.deductions[COMP_TREND].n_evidence, 6);
	score_result_finish(&r);
}

static void
test_grade_boundaries(void)
{
	static const struct {
		double s;
		const char *g;
	} t[] = {
		{100, "A+"}, {97, "A+"}, {96.9, "A"}, {94, "A"}, {93.9, "A-"}, {90, "A-"},
		{89.9, "B+"}, {87, "B+"}, {86.9, "B"}, {84, "B"}, {83.9, "B-"}, {80, "B-"},
		{79.9, "C+"}, {77, "C+"}, {76.9, "C"}, {74, "C"}, {73.9, "C-"}, {70, "C-"},
		{69.9, "D+"}, {67, "D+"}, {66.9, "D"}, {64, "D"}, {63.9, "D-"}, {60, "D-"},
		{59.9, "F"}, {0, "F"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_STR(score_grade(t[i].s), t[i].g);
}

/* A platform whose only deduction is a configurable identity signal, so the
 * score can be put exactly on a boundary: 5 resolved complaints 180 days old,
 * service and severity switched off (service_max 0). */
static struct score_result
boundary_run(double points, int unhealthy)
{
	struct score_params p;
	params(&p);
	p.service_max = 0;
	p.identity_max = 100;
	p.id_not_filed = points;
	f.n = 0;
	for (int i = 0; i < 5; i++)
		fx_add(&f, 180, STATUS_RESOLVED, CAT_OTHER);
	struct score_input in = fx_input(&f);
	in.identity.icp_status = ICP_STATUS_NOT_FILED;
	in.complaint_source_unhealthy = unhealthy;
	struct score_result r;
	compute(&p, &in, &r);
	return r;
}

static void
test_verdict_boundaries(void)
{
	struct score_result r;
	r = boundary_run(40.1, 0); /* 59.9 */
	CHECK_NEAR(r.score, 59.9, 1e-9);
	CHECK_STR(r.grade, "F");
	CHECK_INT(r.verdict, VERDICT_AVOID);
	score_result_finish(&r);
	r = boundary_run(40, 0); /* 60.0 */
	CHECK_NEAR(r.score, 60, 1e-9);
	CHECK_STR(r.grade, "D-");
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	score_result_finish(&r);
	r = boundary_run(20.1, 0); /* 79.9 */
	CHECK_NEAR(r.score, 79.9, 1e-9);
	CHECK_STR(r.grade, "C+");
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	score_result_finish(&r);
	r = boundary_run(20, 0); /* 80.0 */
	CHECK_NEAR(r.score, 80, 1e-9);
	CHECK_STR(r.grade, "B-");
	CHECK_INT(r.verdict, VERDICT_RECOMMEND);
	CHECK_STR(verdict_key(r.verdict), "recommend");
	CHECK_STR(verdict_zh(r.verdict), "建议下单");
	score_result_finish(&r);
	/* 79.96 shows as 80.0 and is graded and judged as 80.0 */
	r = boundary_run(20.04, 0);
	CHECK_NEAR(r.score, 80, 1e-9);
	CHECK_STR(r.grade, "B-");
	CHECK_INT(r.verdict, VERDICT_RECOMMEND);
	score_result_finish(&r);
}

static void
test_source_unhealthy(void)
{
	/* unknown is never good: 100 points, but a failing source means caution */
	struct score_result r = boundary_run(0, 1);
	CHECK_NEAR(r.score, 100, 1e-9);
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	CHECK(strstr(r.verdict_reason, "stale") != NULL);
	score_result_finish(&r);
}

/* Caution without a low score: a trend watch, or low confidence. */
static void
test_caution_rules(void)
{
	struct score_params p;
	params(&p);
	p.service_max = p.severity_max = p.volume_max = 0; /* only trend and identity */
	trend_base();
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_NEAR(r.score, 100, 0);
	CHECK_INT(r.verdict, VERDICT_RECOMMEND);
	score_result_finish(&r);
	/* 5 more in 14 days: watch, 95 points, caution */
	for (int i = 0; i < 5; i++)
		fx_add(&f, 1 + i, STATUS_ANSWERED, CAT_OTHER);
	in = fx_input(&f);
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.trend.level, TREND_WATCH);
	CHECK_NEAR(r.score, 95, 1e-9);
	CHECK_STR(r.grade, "A");
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	CHECK(strstr(r.verdict_reason, "trend watch") != NULL);
	score_result_finish(&r);
	/* confidence_medium raised to 10: 6 complaints are rated (min_rated 5)
	 * but of low confidence: caution */
	p.confidence_medium = 10;
	trend_base();
	in = fx_input(&f);
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.confidence, CONFIDENCE_LOW);
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	CHECK(strstr(r.verdict_reason, "low confidence") != NULL);
	score_result_finish(&r);
}

static void
test_not_rated(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 4; i++)
		fx_add(&f, 50, STATUS_UNANSWERED, CAT_REFUND);
	struct score_input in = fx_input(&f);
	in.identity = (struct score_identity){ICP_STATUS_FILED, NATURE_INDIVIDUAL, CLAIM_MATCH, 0,
					      NULL};
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK(!r.rated);
	CHECK(isnan(r.score));
	CHECK(!isnan(r.provisional_score));
	CHECK_STR(r.grade, "NR");
	CHECK_INT(r.verdict, VERDICT_NOT_RATED);
	CHECK_STR(verdict_key(r.verdict), "not_rated");
	CHECK_STR(verdict_zh(r.verdict), "数据不足");
	CHECK_INT(r.confidence, CONFIDENCE_LOW);
	/* identity is still computed */
	CHECK_INT(r.n_findings, 1);
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 8, 0);
	score_result_finish(&r);

	/* the fifth complaint makes it rated */
	fx_add(&f, 50, STATUS_UNANSWERED, CAT_REFUND);
	in = fx_input(&f);
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK(r.rated);
	CHECK(!isnan(r.score));
	CHECK_INT(r.confidence, CONFIDENCE_MEDIUM);
	score_result_finish(&r);
}

static void
test_no_complaints(void)
{
	struct score_params p;
	params(&p);
	struct score_input in;
	memset(&in, 0, sizeof(in));
	in.now = NOW;
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.total, 0);
	CHECK_INT(r.verdict, VERDICT_NOT_RATED);
	CHECK(isnan(r.reply_rate));
	CHECK(isnan(r.reply_wilson_lo));
	CHECK(isnan(r.median_reply_hours));
	/* S with priors only = (0.15 + 0.12 + 0.1)/0.9 = 0.41111 */
	CHECK_NEAR(r.S, 0.37 / 0.9, 1e-12);
	CHECK_NEAR(r.trend.p, 1, 0);
	score_result_finish(&r);
}

static void
test_confidence(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 20; i++)
		fx_reply(fx_add(&f, 180 + i, STATUS_RESOLVED, CAT_OTHER), 5);
	struct score_input in = fx_input(&f);
	struct score_result r;
	/* 20 complaints, 1 source: medium */
	in.identity.icp_status = ICP_STATUS_FILED;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.confidence, CONFIDENCE_MEDIUM);
	score_result_finish(&r);
	/* 2 sources answered, ICP known: high */
	in.n_sources_with_data = 2;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.confidence, CONFIDENCE_HIGH);
	CHECK_STR(confidence_key(r.confidence), "high");
	score_result_finish(&r);
	/* ICP unknown: medium */
	in.identity.icp_status = ICP_STATUS_UNKNOWN;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.confidence, CONFIDENCE_MEDIUM);
	score_result_finish(&r);
	/* two sources among the complaints count as two sources */
	in.identity.icp_status = ICP_STATUS_NOT_FILED;
	in.n_sources_with_data = 1;
	f.c[0].source = "jutousu";
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.n_sources, 2);
	CHECK_INT(r.n_by_source, 2);
	CHECK_INT(r.confidence, CONFIDENCE_HIGH);
	score_result_finish(&r);
}

static void
test_excluded(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 6; i++)
		fx_add(&f, 180, STATUS_RESOLVED, CAT_OTHER);
	fx_add(&f, 1, STATUS_UNANSWERED, CAT_RUNAWAY)->excluded = 1;
	f.c[2].excluded = 1;
	struct score_input in = fx_input(&f);
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_INT(r.total, 5);
	CHECK_INT(r.n_excluded, 2);
	CHECK_INT(r.excluded[0], 2);
	CHECK_INT(r.excluded[1], 6);
	CHECK_INT(r.n_unresolved, 0);
	CHECK_INT(r.trend.x14, 0);
	score_result_finish(&r);
}

/* The platform goes quiet: the same good complaints a year later weigh less,
 * the rates shrink toward the (worse) priors and the score falls. */
static void
test_decay_from_now(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (int i = 0; i < 10; i++) {
		struct score_complaint *c = fx_add(&f, 30 + i, STATUS_RESOLVED, CAT_OTHER);
		fx_reply(c, 5);
		c->satisfaction = 10;
	}
	struct score_input in = fx_input(&f);
	struct score_result now, later;
	CHECK_INT(compute(&p, &in, &now), 0);
	in.now = NOW + 365 * DAY;
	CHECK_INT(compute(&p, &in, &later), 0);
	CHECK(later.W < now.W);
	CHECK(later.S < now.S);
	CHECK(later.score < now.score);
	/* W now = Σ 2^(-(30+i)/180); a year later each weight is 2^(-365/180) times it */
	CHECK_NEAR(later.W, now.W * exp2(-365.0 / 180), 1e-9);
	score_result_finish(&now);
	score_result_finish(&later);
}

/* research/scoring-anchors.md §10.9 "Middling": calc/sim.py's s4 (seed 1),
 * ages rounded to whole seconds, every complaint rated 5/10 so Sat = 0.5
 * exactly as sim.py assumes, T_i known for all (sim.py counts every
 * complaint in T), "ICP 企业 without ICP证" replaced by the 3-point recent
 * filing signal.  sim.py (unrounded) gives W 11.194169503546,
 * R 0.763721584075, C 0.497097011607, T 0.691924040408, S 0.616340087947,
 * D_service 15.346396482124, V 1.228571428571, D_severity 6.142857142857,
 * U90 1, D_volume 2.5, score 73.010746 -> 73.0 C-. */
static const struct {
	int64_t age_s;
	enum complaint_status st;
	enum category cat;
	int reply_h; /* -1 never */
} sim_s4[] = {
	{34155724, STATUS_RESOLVED, CAT_REFUND, 24},
	{54799982, STATUS_RESOLVED, CAT_UNDELIVERED, 24},
	{2589438, STATUS_RESOLVED, CAT_INVALID_KEY, 24},
	{11497909, STATUS_ANSWERED, CAT_REFUND, 24},
	{41535933, STATUS_UNANSWERED, CAT_FALSE_AD, -1},
	{23569173, STATUS_ANSWERED, CAT_UNDELIVERED, 100},
	{14843356, STATUS_ANSWERED, CAT_UNDELIVERED, 100},
	{21144700, STATUS_ANSWERED, CAT_INVALID_KEY, 24},
	{54737242, STATUS_ANSWERED, CAT_FALSE_AD, 24},
	{55636805, STATUS_RESOLVED, CAT_INVALID_KEY, 24},
	{15215600, STATUS_UNANSWERED, CAT_UNDELIVERED, -1},
	{3550727, STATUS_RESOLVED, CAT_INVALID_KEY, 24},
	{3194025, STATUS_RESOLVED, CAT_FALSE_AD, 100},
	{30308210, STATUS_RESOLVED, CAT_UNDELIVERED, 24},
	{32143006, STATUS_RESOLVED, CAT_FALSE_AD, 24},
	{46170564, STATUS_UNANSWERED, CAT_FALSE_AD, -1},
	{1489000, STATUS_ANSWERED, CAT_REFUND, 24},
	{5188294, STATUS_RESOLVED, CAT_REFUND, 24},
	{18942741, STATUS_RESOLVED, CAT_INVALID_KEY, 100},
	{51762401, STATUS_RESOLVED, CAT_UNDELIVERED, 24},
	{30405652, STATUS_RESOLVED, CAT_FALSE_AD, 100},
	{57836792, STATUS_ANSWERED, CAT_FALSE_AD, 24},
	{31676181, STATUS_ANSWERED, CAT_INVALID_KEY, 100},
	{54239576, STATUS_UNANSWERED, CAT_REFUND, -1},
	{44947440, STATUS_RESOLVED, CAT_REFUND, 24},
	{5889548, STATUS_RESOLVED, CAT_INVALID_KEY, 24},
	{18174006, STATUS_UNANSWERED, CAT_REFUND, -1},
	{25255736, STATUS_RESOLVED, CAT_INVALID_KEY, 24},
	{31820245, STATUS_RESOLVED, CAT_REFUND, 100},
	{47459060, STATUS_ANSWERED, CAT_REFUND, 24},
};

static void
test_sim_middling(void)
{
	struct score_params p;
	params(&p);
	f.n = 0;
	for (size_t i = 0; i < sizeof(sim_s4) / sizeof(sim_s4[0]); i++) {
		struct score_complaint *c = fx_add(&f, 0, sim_s4[i].st, sim_s4[i].cat);
		c->filed_at = NOW - sim_s4[i].age_s;
		if (sim_s4[i].reply_h < 0)
			fx_never(c);
		else
			fx_reply(c, sim_s4[i].reply_h);
		c->satisfaction = 5;
	}
	struct score_input in = fx_input(&f);
	in.identity = (struct score_identity){ICP_STATUS_FILED, NATURE_ENTERPRISE, CLAIM_MATCH,
					      2027, NULL};
	struct score_result r;
	CHECK_INT(compute(&p, &in, &r), 0);
	CHECK_NEAR(r.W, 11.194169503546, 1e-9);
	CHECK_NEAR(r.R, 0.763721584075, 1e-9);
	CHECK_NEAR(r.C, 0.497097011607, 1e-9);
	CHECK_NEAR(r.T, 0.691924040408, 1e-9);
	CHECK_NEAR(r.Sat, 0.5, 1e-12);
	CHECK_NEAR(r.S, 0.616340087947, 1e-9);
	CHECK_NEAR(r.deductions[COMP_SERVICE].points, 15.346396482124, 1e-8);
	CHECK_NEAR(r.V, 1.228571428571, 1e-9);
	CHECK_NEAR(r.deductions[COMP_SEVERITY].points, 6.142857142857, 1e-8);
	CHECK_INT(r.U90, 1);
	CHECK_NEAR(r.deductions[COMP_VOLUME].points, 2.5, 1e-12);
	CHECK_NEAR(r.deductions[COMP_IDENTITY].points, 3, 0);
	CHECK_INT(r.trend.level, TREND_NONE);
	CHECK_NEAR(r.score, 73.0, 1e-9);
	CHECK_STR(r.grade, "C-");
	CHECK_INT(r.verdict, VERDICT_CAUTION);
	score_result_finish(&r);
}

static void
test_bad_params(void)
{
	struct score_params p;
	params(&p);
	struct score_input in;
	memset(&in, 0, sizeof(in));
	in.now = NOW;
	struct score_result r;
	char err[ERRBUF_SIZE] = "";
	p.half_life_days = 0;
	CHECK_INT(score_compute(&p, &in, &r, err), -1);
	CHECK(strstr(err, "half_life_days") != NULL);
	score_result_finish(&r);
	params(&p);
	p.w_sat = 1;
	CHECK_INT(score_compute(&p, &in, &r, err), -1);
	score_result_finish(&r);
	params(&p);
	in.n = 3;
	CHECK_INT(score_compute(&p, &in, &r, err), -1);
	score_result_finish(&r);
	score_result_finish(NULL);
}

/* xorshift64*: deterministic across platforms. */
static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static double
rng_unit(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static int
verdict_rank(enum verdict v)
{
	return v == VERDICT_RECOMMEND ? 0 : v == VERDICT_CAUTION ? 1 : 2;
}

/* PROPERTY: for many random platforms, one more unresolved 跑路 complaint
 * filed now never raises the score (nor improves a rated verdict). */
static void
test_property_runaway_never_helps(void)
{
	static const char *people[] = {"p1", "p2", "p3", "p4", "p5", NULL};
	struct score_params p;
	params(&p);
	int raised = 0, checked = 0, alerts = 0, gated = 0;
	for (uint64_t seed = 1; seed <= 3000; seed++) {
		rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
		f.n = 0;
		size_t n = rng() % 60;
		/* some platforms live in the last months only, so the trend fires */
		double span = rng() % 3 ? 1200 : 60;
		for (size_t i = 0; i < n; i++) {
			enum complaint_status st = (enum complaint_status)(rng() % STATUS_COUNT);
			enum category cat = (enum category)(rng() % CAT_COUNT);
			struct score_complaint *c = fx_add(&f, rng_unit() * span, st, cat);
			int r = (int)(rng() % 4);
			if (r == 0)
				fx_reply(c, rng_unit() * 200);
			else if (r == 1)
				fx_never(c);
			if (rng() % 3 == 0)
				c->satisfaction = (int)(rng() % 11);
			c->complainant_key = people[rng() % 6];
			c->source = rng() % 5 ? "heimao" : "jutousu";
			c->excluded = rng() % 40 == 0;
		}
		struct score_input in = fx_input(&f);
		in.previous_trend_level = (int)(rng() % 5) - 1;
		in.previous_trend_at = NOW - (int64_t)(rng() % (10 * 86400));
		in.identity.icp_status = (enum icp_status)(rng() % 3);
		in.identity.nature = (enum icp_nature)(rng() % 6);
		in.identity.claim = (enum site_claim)(rng() % 4);
		in.identity.filing_year = rng() % 2 ? 2020 + (int)(rng() % 8) : 0;
		in.complaint_source_unhealthy = rng() % 4 == 0;
		struct score_result before, after;
		CHECK_INT(compute(&p, &in, &before), 0);
		struct score_complaint *c = fx_add(&f, 0, STATUS_UNANSWERED, CAT_RUNAWAY);
		c->complainant_key = rng() % 2 ? people[rng() % 6] : "newcomer";
		if (rng() % 2)
			fx_never(c);
		in.n = f.n;
		CHECK_INT(compute(&p, &in, &after), 0);
		if (after.provisional_score > before.provisional_score + 1e-9) {
			fprintf(stderr, "seed %llu: %.1f -> %.1f\n", (unsigned long long)seed,
				before.provisional_score, after.provisional_score);
			raised++;
		}
		if (before.rated && after.rated) {
			CHECK(after.score <= before.score);
			CHECK(verdict_rank(after.verdict) >= verdict_rank(before.verdict));
			checked++;
		}
		CHECK(after.trend.level >= before.trend.level);
		alerts += before.trend.level >= TREND_WARNING;
		gated += before.n_gates > 0;
		CHECK(after.n_gates >= before.n_gates);
		score_result_finish(&before);
		score_result_finish(&after);
	}
	CHECK_INT(raised, 0);
	CHECK(checked > 1000);
	/* the random platforms reach the interesting rules too */
	fprintf(stderr, "%d rated pairs, %d warning+, %d gated\n", checked, alerts, gated);
	CHECK(alerts > 50);
	CHECK(gated > 100);
}

TEST_MAIN({"service_with_ratings", test_service_with_ratings},
	  {"service_no_ratings", test_service_no_ratings},
	  {"time_known_only", test_time_known_only},
	  {"time_credit_steps", test_time_credit_steps},
	  {"severity_no_decay", test_severity_no_decay},
	  {"severity_cap", test_severity_cap},
	  {"volume", test_volume},
	  {"identity_signals", test_identity_signals},
	  {"identity_cap", test_identity_cap},
	  {"poisson_tail", test_poisson_tail},
	  {"wilson", test_wilson},
	  {"median", test_median},
	  {"trend_none", test_trend_none},
	  {"trend_watch", test_trend_watch},
	  {"trend_new_platform", test_trend_new_platform},
	  {"trend_warning_share", test_trend_warning_share},
	  {"trend_warning_collapse", test_trend_warning_collapse},
	  {"trend_collapse_baseline", test_trend_collapse_baseline},
	  {"trend_critical_runaway", test_trend_critical_runaway},
	  {"trend_critical_repeat", test_trend_critical_repeat},
	  {"trend_repeat_needs_20_hours", test_trend_repeat_needs_20_hours},
	  {"gate_fraud_cluster", test_gate_fraud_cluster},
	  {"gate_stolen_icp", test_gate_stolen_icp},
	  {"gates_order", test_gates_order},
	  {"evidence_per_line", test_evidence_per_line},
	  {"grade_boundaries", test_grade_boundaries},
	  {"verdict_boundaries", test_verdict_boundaries},
	  {"source_unhealthy", test_source_unhealthy},
	  {"caution_rules", test_caution_rules},
	  {"not_rated", test_not_rated},
	  {"no_complaints", test_no_complaints},
	  {"confidence", test_confidence},
	  {"excluded", test_excluded},
	  {"decay_from_now", test_decay_from_now},
	  {"sim_middling", test_sim_middling},
	  {"bad_params", test_bad_params},
	  {"property_runaway_never_helps", test_property_runaway_never_helps})
