#include "score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse/category.h"
#include "err.h"
#include "timeutil.h"
#include "xalloc.h"

/* A complaint that passed the window, with what every component needs. */
struct item {
	const struct score_complaint *c;
	size_t index;     /* in the input */
	double age_s;     /* now - filed_at, clamped at 0 */
	double w;         /* 2^(-age_days / half_life) */
	int answered;     /* answered, resolved or closed */
	int resolved;
	int time_known;   /* T_i is known */
	double t;         /* T_i when known */
	double sev;       /* s_k */
};

/* An evidence candidate: higher rank first, then newer first. */
struct cand {
	double rank;
	int64_t filed_at;
	const char *url;
	const char *title;
	size_t seq;       /* its complaint's place in the input: equal ranks keep it */
	size_t order;     /* its place after sorting (take_evidence) */
};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if (x->filed_at != y->filed_at)
		return x->filed_at > y->filed_at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* By URL, then by place: the first of equal URLs is the one kept. */
static int
cand_url_cmp(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
	int c = strcmp(x->url, y->url);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the candidates and copies every distinct URL, with its date and
 * title, into *ev (allocated; n_ev of them).  Candidates without a URL are
 * dropped first: a report scores from facts alone and has nothing to sort. */
static void
take_evidence(struct cand *cands, size_t n, struct score_evidence **ev, size_t *n_ev)
{
	size_t with_url = 0;
	for (size_t i = 0; i < n; i++)
		if (cands[i].url && *cands[i].url)
			cands[with_url++] = cands[i];
	n = with_url;
	if (!n)
		return;
	qsort(cands, n, sizeof(*cands), cand_cmp);
	/* Distinct URLs in O(n log n): a platform may have thousands. */
	struct cand **by_url = xcalloc(n, sizeof(*by_url));
	for (size_t i = 0; i < n; i++) {
		cands[i].order = i;
		by_url[i] = &cands[i];
	}
	qsort(by_url, n, sizeof(*by_url), cand_url_cmp);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(by_url[i]->url, by_url[i - 1]->url))
			by_url[i]->url = NULL;
	free(by_url);
	*ev = xcalloc(n, sizeof(**ev));
	*n_ev = 0;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i].url)
			continue;
		struct score_evidence *e = &(*ev)[(*n_ev)++];
		e->url = xstrdup(cands[i].url);
		e->filed_at = cands[i].filed_at;
		e->title = cands[i].title ? xstrdup(cands[i].title) : NULL;
		e->rank = cands[i].rank;
	}
}

/* A page as the only evidence (the home page of an identity finding). */
static void
add_url(struct score_evidence **ev, size_t *n_ev, const char *url)
{
	if (!url || !*url)
		return;
	*ev = xcalloc(1, sizeof(**ev));
	(*ev)[0].url = xstrdup(url);
	*n_ev = 1;
}

static void
evidence_free(struct score_evidence *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ev[i].url);
		free(ev[i].title);
	}
	free(ev);
}

/* The candidate of an item, ranked rank. */
static struct cand
item_cand(const struct item *it, double rank)
{
	return (struct cand){rank, it->c->filed_at, it->c->url, it->c->title, it->index, 0};
}

/* Distinct people among keys; each NULL key is a person of its own. */
static int
distinct_people(const char **keys, size_t n)
{
	size_t nulls = 0, k = 0;
	for (size_t i = 0; i < n; i++) {
		if (keys[i])
			keys[k++] = keys[i];
		else
			nulls++;
	}
	qsort(keys, k, sizeof(*keys), str_cmp);
	size_t people = nulls;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || strcmp(keys[i], keys[i - 1]))
			people++;
	return (int)people;
}

double
poisson_tail(int x, double lambda)
{
	if (x <= 0)
		return 1.0;
	if (!(lambda > 0))
		return 0.0;
	if ((double)x > lambda) {
		/* Upper terms t_x, t_x+1, ... decrease: sum them directly. */
		double t = exp(-lambda + x * log(lambda) - lgamma((double)x + 1.0));
		double sum = 0.0;
		for (int k = x; k < x + 1000000; k++) {
			sum += t;
			t *= lambda / (k + 1);
			if (t <= sum * 1e-17)
				break;
		}
		return sum > 1.0 ? 1.0 : sum;
	}
	/* x <= lambda: the tail is at least about a half, so 1 - P(X < x) loses
	 * nothing; the lower terms t_x-1, t_x-2, ... t_0 decrease. */
	double t = exp(-lambda + (x - 1) * log(lambda) - lgamma((double)x));
	double lower = 0.0;
	for (int k = x - 1; k >= 0; k--) {
		lower += t;
		t *= k / lambda;
		if (t <= lower * 1e-17)
			break;
	}
	double p = 1.0 - lower;
	return p < 0.0 ? 0.0 : p;
}

double
wilson_lower(size_t k, size_t n, double z)
{
	if (n == 0)
		return NAN;
	double nn = (double)n, ph = (double)k / nn, z2 = z * z;
	double lo = (ph + z2 / (2 * nn) - z * sqrt((ph * (1 - ph) + z2 / (4 * nn)) / nn)) /
		    (1 + z2 / nn);
	return lo < 0 ? 0 : lo;
}

const char *
score_grade(double score)
{
	static const struct {
		double cut;
		const char *grade;
	} cuts[] = {
		{97, "A+"}, {94, "A"}, {90, "A-"}, {87, "B+"}, {84, "B"}, {80, "B-"},
		{77, "C+"}, {74, "C"}, {70, "C-"}, {67, "D+"}, {64, "D"}, {60, "D-"},
	};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		if (score >= cuts[i].cut)
			return cuts[i].grade;
	return "F";
}

const char *
verdict_key(enum verdict v)
{
	switch (v) {
	case VERDICT_RECOMMEND: return "recommend";
	case VERDICT_CAUTION: return "caution";
	case VERDICT_AVOID: return "avoid";
	case VERDICT_NOT_RATED: return "not_rated";
	}
	return "?";
}

const char *
verdict_zh(enum verdict v)
{
	switch (v) {
	case VERDICT_RECOMMEND: return "建议下单";
	case VERDICT_CAUTION: return "谨慎下单";
	case VERDICT_AVOID: return "不建议下单";
	case VERDICT_NOT_RATED: return "数据不足";
	}
	return "?";
}

const char *
confidence_key(enum confidence c)
{
	switch (c) {
	case CONFIDENCE_HIGH: return "high";
	case CONFIDENCE_MEDIUM: return "medium";
	case CONFIDENCE_LOW: return "low";
	}
	return "?";
}

const char *
trend_level_key(enum trend_level l)
{
	switch (l) {
	case TREND_NONE: return "none";
	case TREND_WATCH: return "watch";
	case TREND_WARNING: return "warning";
	case TREND_CRITICAL: return "critical";
	}
	return "?";
}

void
score_result_finish(struct score_result *r)
{
	if (!r)
		return;
	free(r->verdict_reason);
	free(r->excluded);
	for (size_t i = 0; i < r->n_by_source; i++)
		free(r->by_source[i].source);
	for (int k = 0; k < COMP_COUNT; k++) {
		free(r->deductions[k].reason);
		evidence_free(r->deductions[k].evidence, r->deductions[k].n_evidence);
	}
	for (size_t g = 0; g < r->n_gates; g++) {
		free(r->gates[g].reason);
		evidence_free(r->gates[g].evidence, r->gates[g].n_evidence);
	}
	memset(r, 0, sizeof(*r));
}

static int
check_params(const struct score_params *p, char *err)
{
	if (!(p->half_life_days > 0))
		return set_err(err, "score: half_life_days must be > 0");
	if (!(p->window_days > 0))
		return set_err(err, "score: window_days must be > 0");
	if (!(p->m >= 0))
		return set_err(err, "score: m must be >= 0");
	if (!(p->w_reply >= 0 && p->w_complete >= 0 && p->w_time >= 0 && p->w_sat >= 0))
		return set_err(err, "score: the weights w_* must be >= 0");
	if (!(p->w_sat < 1))
		return set_err(err, "score: w_sat must be < 1");
	if (!(p->severity_full > 0))
		return set_err(err, "score: severity_full must be > 0");
	if (!(p->trend_base_days > 0) || !(p->trend_recent_days > 0))
		return set_err(err, "score: trend_recent_days and trend_base_days must be > 0");
	return 0;
}

/* (num + m·mu) / (den + m), mu when both are 0. */
static double
shrink(double num, double den, double m, double mu)
{
	return den + m > 0 ? (num + m * mu) / (den + m) : mu;
}

static double
round1(double x)
{
	return floor(x * 10.0 + 0.5) / 10.0;
}

/* Counts one complaint for its source; past SCORE_MAX_SOURCES - 1 distinct
 * sources the rest share a last bucket named "other". */
static void
count_source(struct score_result *r, const char *source)
{
	if (!source)
		source = "unknown";
	for (size_t i = 0; i < r->n_by_source; i++) {
		if (!strcmp(r->by_source[i].source, source)) {
			r->by_source[i].n++;
			return;
		}
	}
	if (r->n_by_source == SCORE_MAX_SOURCES) {
		r->by_source[SCORE_MAX_SOURCES - 1].n++;
		return;
	}
	struct score_source_count *sc = &r->by_source[r->n_by_source++];
	sc->source = xstrdup(r->n_by_source == SCORE_MAX_SOURCES ? "other" : source);
	sc->n = 1;
}

/* Appends "跑路 2、诈骗 1" / "runaway 2, fraud 1" for the given counts. */
static void
category_list(struct buf *zh, struct buf *en, const size_t *counts)
{
	int first = 1;
	for (int k = 0; k < CAT_COUNT; k++) {
		if (!counts[k])
			continue;
		buf_printf(zh, "%s%s %zu", first ? "" : "、", category_name_zh((enum category)k),
			   counts[k]);
		buf_printf(en, "%s%s %zu", first ? "" : ", ", category_key((enum category)k),
			   counts[k]);
		first = 0;
	}
}

static char *
join_reason(struct buf *zh, struct buf *en)
{
	char *s = xasprintf("%s；%s", buf_cstr(zh), buf_cstr(en));
	buf_finish(zh);
	buf_finish(en);
	return s;
}

static const struct {
	const char *signal, *zh, *en;
} identity_signals[] = {
	{"not_filed", "工信部备案系统查无该平台任何域名的备案",
	 "the MIIT registry has no filing for any of its domains"},
	{"individual", "备案主体为个人，却在收款经营", "the ICP filer is an individual, yet the site takes payments"},
	{"stolen_number", "首页所示备案号属于其他网站或查无此号（盗用或伪造）",
	 "the ICP number on the home page belongs to another site or does not exist (stolen or fake)"},
	{"no_claim", "首页未展示备案号，而备案系统有记录",
	 "the home page shows no ICP number although the registry has one"},
	{"recent_filing", "备案号年份为今年或去年（新备案）", "the filing number dates from this year or last"},
};

static void
add_finding(struct score_result *r, int which, double points)
{
	struct score_identity_finding *f = &r->findings[r->n_findings++];
	f->signal = identity_signals[which].signal;
	f->points = points;
	f->reason_zh = identity_signals[which].zh;
	f->reason_en = identity_signals[which].en;
	r->identity_raw += points;
}

static void
compute_identity(const struct score_params *p, const struct score_input *in,
		 struct score_result *r)
{
	const struct score_identity *id = &in->identity;
	if (id->icp_status == ICP_STATUS_NOT_FILED)
		add_finding(r, 0, p->id_not_filed);
	if (id->icp_status == ICP_STATUS_FILED && id->nature == NATURE_INDIVIDUAL)
		add_finding(r, 1, p->id_individual);
	if (id->claim == CLAIM_MISMATCH)
		add_finding(r, 2, p->id_stolen_number);
	if (id->claim == CLAIM_NONE && id->icp_status == ICP_STATUS_FILED)
		add_finding(r, 3, p->id_no_claim);
	if (id->filing_year > 0) {
		int y;
		unsigned mo, d;
		int64_t local = in->now + SHANGHAI_OFFSET_S;
		int64_t days = local >= 0 ? local / DAY_S : -((-local + DAY_S - 1) / DAY_S);
		time_civil_from_days(days, &y, &mo, &d);
		if (id->filing_year >= y - 1)
			add_finding(r, 4, p->id_recent_filing);
	}
	struct score_deduction *d = &r->deductions[COMP_IDENTITY];
	d->points = fmin(p->identity_max, r->identity_raw);
	struct buf zh, en;
	buf_init(&zh);
	buf_init(&en);
	if (!r->n_findings) {
		buf_puts(&zh, id->icp_status == ICP_STATUS_UNKNOWN
				      ? "备案状态未能查询，不扣分"
				      : "未发现备案问题");
		buf_puts(&en, id->icp_status == ICP_STATUS_UNKNOWN
				      ? "the ICP status could not be checked; nothing deducted"
				      : "no identity issue found");
	}
	for (size_t i = 0; i < r->n_findings; i++) {
		buf_printf(&zh, "%s%s（%g 分）", i ? "；" : "", r->findings[i].reason_zh,
			   r->findings[i].points);
		buf_printf(&en, "%s%s (%g points)", i ? "; " : "", r->findings[i].reason_en,
			   r->findings[i].points);
	}
	if (r->identity_raw > p->identity_max) {
		buf_printf(&zh, "，封顶 %g 分", p->identity_max);
		buf_printf(&en, ", capped at %g", p->identity_max);
	}
	d->reason = join_reason(&zh, &en);
	if (r->n_findings)
		add_url(&d->evidence, &d->n_evidence, id->evidence_url);
}

static int
is_severe_trend(enum category c)
{
	return c == CAT_RUNAWAY || c == CAT_WITHDRAW || c == CAT_SUPPORT_LOST;
}

static void
compute_trend(const struct score_params *p, const struct score_input *in,
	      const struct item *items, size_t n, struct score_result *r, struct cand *cands,
	      const char **keys)
{
	struct score_trend *t = &r->trend;
	double recent_s = p->trend_recent_days * DAY_S;
	double base_s = (p->trend_recent_days + p->trend_base_days) * DAY_S;
	double runaway_s = p->runaway_days * DAY_S;
	int severe = 0, replied = 0;
	double bw = 0, bnum = 0;
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		if (it->age_s <= recent_s) {
			t->x14++;
			severe += is_severe_trend(it->c->category);
			replied += it->answered;
		} else {
			if (it->age_s <= base_s)
				t->c90++;
			bw += it->w;
			bnum += it->w * it->answered;
		}
		if (it->age_s <= runaway_s && it->c->category == CAT_RUNAWAY)
			keys[nk++] = it->c->complainant_key;
	}
	t->runaway_people = distinct_people(keys, nk);
	t->lambda = fmax(t->c90, 0.5) * p->trend_recent_days / p->trend_base_days;
	t->p = poisson_tail(t->x14, t->lambda);
	t->severe_share = t->x14 ? (double)severe / t->x14 : NAN;
	t->reply_rate = t->x14 ? (double)replied / t->x14 : NAN;
	t->baseline_r = shrink(bnum, bw, p->m, p->mu_reply);
	t->watch = t->x14 >= p->trend_min_recent && t->p < p->trend_p;
	t->warning_share = t->watch && t->severe_share >= p->trend_severe_share;
	t->warning_collapse = t->watch && t->reply_rate <= p->trend_reply_low &&
			      t->baseline_r >= p->trend_reply_high;
	enum trend_level base = t->warning_share || t->warning_collapse ? TREND_WARNING
				: t->watch			     ? TREND_WATCH
								     : TREND_NONE;
	t->critical_runaway = t->runaway_people >= p->runaway_people;
	/* km-risk/2: the warning held at two refreshes at least trend_repeat_hours
	 * apart, the earlier within trend_repeat_days, so the verdict does not
	 * depend on how often a user refreshes. */
	int64_t latest = in->refreshed_at ? in->refreshed_at : in->now;
	t->critical_repeat = base == TREND_WARNING && in->previous_trend_level >= TREND_WARNING &&
			     in->previous_trend_at > 0 &&
			     in->previous_trend_at <= latest - p->trend_repeat_hours * 3600 &&
			     in->previous_trend_at >= in->now - p->trend_repeat_days * DAY_S;
	t->level = t->critical_runaway || t->critical_repeat ? TREND_CRITICAL : base;

	struct score_deduction *d = &r->deductions[COMP_TREND];
	d->points = t->level == TREND_CRITICAL  ? p->trend_critical
		    : t->level == TREND_WARNING ? p->trend_warning
		    : t->level == TREND_WATCH   ? p->trend_watch
						: 0;
	struct buf zh, en;
	buf_init(&zh);
	buf_init(&en);
	buf_printf(&zh, "近 %g 天投诉 %d 件，此前 %g 天 %d 件（p=%.2g）", p->trend_recent_days,
		   t->x14, p->trend_base_days, t->c90, t->p);
	buf_printf(&en, "%d complaints in %g days vs %d in the %g before (p=%.2g)", t->x14,
		   p->trend_recent_days, t->c90, p->trend_base_days, t->p);
	if (t->level == TREND_NONE) {
		buf_puts(&zh, "，无异常");
		buf_puts(&en, ": no spike");
	} else if (t->level == TREND_WATCH) {
		buf_puts(&zh, "，投诉激增：关注");
		buf_puts(&en, ": spike, watch");
	} else {
		if (t->warning_share) {
			buf_printf(&zh, "，其中 %.0f%% 为跑路/提现/客服失联", 100 * t->severe_share);
			buf_printf(&en, ", %.0f%% of them runaway/withdrawal/support lost",
				   100 * t->severe_share);
		}
		if (t->warning_collapse) {
			buf_printf(&zh, "，回复率从 %.0f%% 跌到 %.0f%%", 100 * t->baseline_r,
				   100 * t->reply_rate);
			buf_printf(&en, ", replies fell from %.0f%% to %.0f%%",
				   100 * t->baseline_r, 100 * t->reply_rate);
		}
		if (t->critical_runaway) {
			buf_printf(&zh, "，%d 位投诉人 %g 天内投诉跑路", t->runaway_people,
				   p->runaway_days);
			buf_printf(&en, ", %d people reported runaway within %g days",
				   t->runaway_people, p->runaway_days);
		}
		if (t->critical_repeat) {
			buf_printf(&zh, "，相隔 %g 小时以上的两次刷新都处于预警",
				   p->trend_repeat_hours);
			buf_printf(&en, ", warning at two refreshes %g hours or more apart",
				   p->trend_repeat_hours);
		}
		buf_printf(&zh, "：%s", t->level == TREND_CRITICAL ? "跑路预警（严重）" : "预警");
		buf_printf(&en, ": %s", t->level == TREND_CRITICAL ? "critical" : "warning");
	}
	d->reason = join_reason(&zh, &en);
	size_t nc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		int runaway = it->age_s <= runaway_s && it->c->category == CAT_RUNAWAY;
		if (it->age_s <= recent_s || runaway)
			cands[nc++] = item_cand(it, runaway * 2 + is_severe_trend(it->c->category));
	}
	if (t->level != TREND_NONE)
		take_evidence(cands, nc, &d->evidence, &d->n_evidence);
}

/* Adds a gate; it takes reason and ev (n_ev of them). */
static void
add_gate(struct score_result *r, const char *id, char *reason, struct score_evidence *ev,
	 size_t n_ev)
{
	struct score_gate *g = &r->gates[r->n_gates++];
	g->gate = id;
	g->reason = reason;
	g->evidence = ev;
	g->n_evidence = n_ev;
}

/* A copy of n evidence items. */
static struct score_evidence *
evidence_dup(const struct score_evidence *ev, size_t n)
{
	if (!n)
		return NULL;
	struct score_evidence *copy = xcalloc(n, sizeof(*copy));
	for (size_t i = 0; i < n; i++) {
		copy[i].url = xstrdup(ev[i].url);
		copy[i].filed_at = ev[i].filed_at;
		copy[i].title = ev[i].title ? xstrdup(ev[i].title) : NULL;
		copy[i].rank = ev[i].rank;
	}
	return copy;
}

static void
compute_gates(const struct score_params *p, const struct score_input *in,
	      const struct item *items, size_t n, struct score_result *r, struct cand *cands,
	      const char **keys)
{
	if (r->trend.level == TREND_CRITICAL) {
		const struct score_trend *t = &r->trend;
		char *reason = t->critical_runaway
			? xasprintf("跑路预警：%d 位投诉人 %g 天内投诉跑路；runaway alert: %d "
				    "people reported runaway within %g days",
				    t->runaway_people, p->runaway_days, t->runaway_people,
				    p->runaway_days)
			: xasprintf("跑路预警：相隔 %g 小时以上的两次刷新都投诉激增且%s；runaway "
				    "alert: a complaint spike with %s at two refreshes %g hours or "
				    "more apart",
				    p->trend_repeat_hours,
				    t->warning_share ? "多为跑路/提现/客服失联" : "回复骤停",
				    t->warning_share ? "mostly runaway/withdrawal/support lost"
						     : "replies stopping",
				    p->trend_repeat_hours);
		/* What fired it: the 跑路 complaints of the runaway window, or the
		 * spike the warning rests on. */
		struct score_evidence *ev = NULL;
		size_t n_ev = 0;
		if (t->critical_runaway) {
			size_t nc = 0;
			for (size_t i = 0; i < n; i++)
				if (items[i].age_s <= p->runaway_days * DAY_S &&
				    items[i].c->category == CAT_RUNAWAY)
					cands[nc++] = item_cand(&items[i], 0);
			take_evidence(cands, nc, &ev, &n_ev);
		} else {
			const struct score_deduction *d = &r->deductions[COMP_TREND];
			ev = evidence_dup(d->evidence, d->n_evidence);
			n_ev = d->n_evidence;
		}
		add_gate(r, "trend_critical", reason, ev, n_ev);
	}

	double gate_s = p->gate_days * DAY_S;
	size_t nk = 0, nc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		if (it->age_s <= gate_s && !it->resolved &&
		    (it->c->category == CAT_RUNAWAY || it->c->category == CAT_FRAUD)) {
			keys[nk++] = it->c->complainant_key;
			cands[nc++] = item_cand(it, it->c->category == CAT_RUNAWAY);
		}
	}
	int people = distinct_people(keys, nk);
	r->fraud_people = people;
	if (nk && people >= p->gate_people) {
		struct score_evidence *ev = NULL;
		size_t n_ev = 0;
		take_evidence(cands, nc, &ev, &n_ev);
		char *reason = xasprintf("近 %g 天有 %d 位不同投诉人的跑路/诈骗投诉未解决；%d distinct "
					 "complainants with unresolved runaway/fraud complaints in "
					 "the last %g days",
					 p->gate_days, people, people, p->gate_days);
		add_gate(r, "fraud_cluster", reason, ev, n_ev);
	}

	if (in->identity.claim == CLAIM_MISMATCH) {
		struct score_evidence *ev = NULL;
		size_t n_ev = 0;
		add_url(&ev, &n_ev, in->identity.evidence_url);
		add_gate(r, "stolen_icp",
			 xasprintf("%s；%s", identity_signals[2].zh, identity_signals[2].en), ev,
			 n_ev);
	}
}

static void
decide(const struct score_params *p, const struct score_input *in, struct score_result *r)
{
	int sources = r->n_sources > in->n_sources_with_data ? r->n_sources
							     : in->n_sources_with_data;
	if ((double)r->total >= p->confidence_high && sources >= 2 &&
	    in->identity.icp_status != ICP_STATUS_UNKNOWN)
		r->confidence = CONFIDENCE_HIGH;
	else if ((double)r->total >= p->confidence_medium)
		r->confidence = CONFIDENCE_MEDIUM;
	else
		r->confidence = CONFIDENCE_LOW;

	r->rated = (double)r->total >= p->min_rated || r->n_gates > 0;
	r->score = r->rated ? r->provisional_score : NAN;

	struct buf zh, en;
	buf_init(&zh);
	buf_init(&en);
	if (r->n_gates) {
		r->grade = "F";
		r->verdict = VERDICT_AVOID;
		buf_puts(&zh, "触发否决项：");
		buf_puts(&en, "gate: ");
		for (size_t i = 0; i < r->n_gates; i++) {
			buf_printf(&zh, "%s%s", i ? "、" : "", r->gates[i].gate);
			buf_printf(&en, "%s%s", i ? ", " : "", r->gates[i].gate);
		}
	} else if (!r->rated) {
		r->grade = "NR";
		r->verdict = VERDICT_NOT_RATED;
		buf_printf(&zh, "窗口内投诉 %zu 件，少于 %g 件，不予评级", r->total, p->min_rated);
		buf_printf(&en, "%zu complaints in the window, fewer than %g: not rated", r->total,
			   p->min_rated);
	} else if (r->score < p->avoid_below) {
		r->grade = score_grade(r->score);
		r->verdict = VERDICT_AVOID;
		buf_printf(&zh, "得分 %.1f 低于 %g", r->score, p->avoid_below);
		buf_printf(&en, "score %.1f below %g", r->score, p->avoid_below);
	} else {
		r->grade = score_grade(r->score);
		int low_score = r->score < p->caution_below;
		int alert = r->trend.level == TREND_WATCH || r->trend.level == TREND_WARNING;
		int low_conf = r->confidence == CONFIDENCE_LOW;
		int unhealthy = in->complaint_source_unhealthy != 0;
		if (low_score || alert || low_conf || unhealthy) {
			r->verdict = VERDICT_CAUTION;
			const char *sep_zh = "", *sep_en = "";
			if (low_score) {
				buf_printf(&zh, "得分 %.1f 低于 %g", r->score, p->caution_below);
				buf_printf(&en, "score %.1f below %g", r->score, p->caution_below);
				sep_zh = "；", sep_en = "; ";
			}
			if (alert) {
				buf_printf(&zh, "%s投诉趋势%s", sep_zh,
					   r->trend.level == TREND_WATCH ? "异常（关注）" : "预警");
				buf_printf(&en, "%strend %s", sep_en, trend_level_key(r->trend.level));
				sep_zh = "；", sep_en = "; ";
			}
			if (low_conf) {
				buf_printf(&zh, "%s数据置信度低", sep_zh);
				buf_printf(&en, "%slow confidence", sep_en);
				sep_zh = "；", sep_en = "; ";
			}
			if (unhealthy) {
				buf_printf(&zh, "%s投诉数据源未能更新", sep_zh);
				buf_printf(&en, "%sa complaint source is stale or failing", sep_en);
			}
		} else {
			r->verdict = VERDICT_RECOMMEND;
			buf_printf(&zh, "得分 %.1f，无预警，数据来源正常", r->score);
			buf_printf(&en, "score %.1f, no alert, sources healthy", r->score);
		}
	}
	r->verdict_reason = join_reason(&zh, &en);
}

int
score_compute(const struct score_params *p, const struct score_input *in,
	      struct score_result *out, char *err)
{
	memset(out, 0, sizeof(*out));
	out->grade = "NR";
	out->verdict = VERDICT_NOT_RATED;
	out->score = out->provisional_score = NAN;
	if (!p || !in)
		return set_err(err, "score: no parameters or input");
	if (in->n && !in->complaints)
		return set_err(err, "score: %zu complaints but no array", in->n);
	if (check_params(p, err) < 0)
		return -1;
	for (int k = 0; k < COMP_COUNT; k++) {
		static const char *const names[COMP_COUNT] = {"service", "severity", "volume",
							      "identity", "trend"};
		out->deductions[k].component = names[k];
	}

	size_t cap = in->n ? in->n : 1;
	struct item *items = xcalloc(cap, sizeof(*items));
	struct cand *cands = xcalloc(cap, sizeof(*cands));
	const char **keys = xcalloc(cap, sizeof(*keys));
	double *hours = xcalloc(cap, sizeof(*hours));
	const char **srcs = xcalloc(cap, sizeof(*srcs));
	size_t n = 0, n_hours = 0, n_excl = 0;
	double window_s = p->window_days * DAY_S;
	double fast_s = p->reply_fast_hours * 3600.0, slow_s = p->reply_slow_hours * 3600.0;

	for (size_t i = 0; i < in->n; i++) {
		const struct score_complaint *c = &in->complaints[i];
		if (c->excluded) {
			if (!out->excluded)
				out->excluded = xcalloc(in->n, sizeof(*out->excluded));
			out->excluded[n_excl++] = i;
			continue;
		}
		if (c->filed_at == 0) {
			out->n_undated++;
			continue;
		}
		double age_s = (double)(in->now - c->filed_at);
		if (age_s > window_s) {
			out->n_outside_window++;
			continue;
		}
		if (age_s < 0)
			age_s = 0;
		struct item *it = &items[n++];
		it->c = c;
		it->index = i;
		it->age_s = age_s;
		it->w = exp2(-(age_s / DAY_S) / p->half_life_days);
		it->answered = c->status == STATUS_ANSWERED || c->status == STATUS_RESOLVED ||
			       c->status == STATUS_CLOSED;
		it->resolved = c->status == STATUS_RESOLVED;
		it->sev = category_severity(p, c->category);
		if (c->first_reply_at > 0) {
			double h = (double)(c->first_reply_at - c->filed_at);
			if (h < 0)
				h = 0;
			hours[n_hours++] = h / 3600.0;
			it->time_known = 1;
			it->t = h <= fast_s ? 1.0 : h <= slow_s ? p->reply_slow_credit : 0.0;
		} else if (c->reply_known && age_s > slow_s) {
			/* Never replied and past the last credited hour: 0.  Younger
			 * unreplied complaints could still earn credit: unknown. */
			it->time_known = 1;
			it->t = 0.0;
		}
	}
	out->n_excluded = n_excl;

	/* Counts and sums. */
	double sum_r = 0, sum_c = 0, sum_t = 0, sum_sat = 0;
	size_t n_answered = 0, n_resolved = 0, n_srcs = 0;
	double vol_s = p->volume_days * DAY_S;
	size_t unres_by_cat[CAT_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		const struct score_complaint *c = it->c;
		out->total++;
		out->by_status[(unsigned)c->status < STATUS_COUNT ? c->status : STATUS_UNKNOWN]++;
		out->by_category[(unsigned)c->category < CAT_COUNT ? c->category : CAT_OTHER]++;
		count_source(out, c->source);
		if (c->source)
			srcs[n_srcs++] = c->source;
		out->W += it->w;
		sum_r += it->w * it->answered;
		sum_c += it->w * it->resolved;
		n_answered += it->answered;
		n_resolved += it->resolved;
		if (it->time_known) {
			out->W_known += it->w;
			sum_t += it->w * it->t;
			out->n_time_known++;
		}
		if (c->satisfaction >= 0 && c->satisfaction <= 10) {
			out->W_rated += it->w;
			sum_sat += it->w * c->satisfaction / 10.0;
			out->n_rated++;
		}
		if (!it->resolved) {
			out->unresolved_severity += it->sev;
			out->n_unresolved++;
			unres_by_cat[(unsigned)c->category < CAT_COUNT ? c->category : CAT_OTHER]++;
			out->unresolved_by_category[(unsigned)c->category < CAT_COUNT ? c->category
										  : CAT_OTHER]++;
			if (it->age_s <= vol_s)
				out->U90++;
		}
	}
	out->n_sources = distinct_people(srcs, n_srcs);

	/* Service (SCORING §3). */
	out->R = shrink(sum_r, out->W, p->m, p->mu_reply);
	out->C = shrink(sum_c, out->W, p->m, p->mu_complete);
	out->T = shrink(sum_t, out->W_known, p->m, p->mu_time);
	out->Sat = shrink(sum_sat, out->W_rated, p->m, p->mu_sat);
	if (out->n_rated) {
		out->w_r = p->w_reply, out->w_c = p->w_complete, out->w_t = p->w_time;
		out->w_sat = p->w_sat;
	} else {
		double k = 1.0 - p->w_sat;
		out->w_r = p->w_reply / k, out->w_c = p->w_complete / k, out->w_t = p->w_time / k;
		out->w_sat = 0;
	}
	out->S = out->w_r * out->R + out->w_c * out->C + out->w_t * out->T + out->w_sat * out->Sat;
	out->reply_rate = out->total ? (double)n_answered / out->total : NAN;
	out->completion_rate = out->total ? (double)n_resolved / out->total : NAN;
	out->reply_wilson_lo = wilson_lower(n_answered, out->total, 1.96);
	out->completion_wilson_lo = wilson_lower(n_resolved, out->total, 1.96);
	if (n_hours) {
		qsort(hours, n_hours, sizeof(*hours), double_cmp);
		out->median_reply_hours = n_hours % 2 ? hours[n_hours / 2]
						      : (hours[n_hours / 2 - 1] + hours[n_hours / 2]) / 2;
	} else {
		out->median_reply_hours = NAN;
	}

	struct score_deduction *d = &out->deductions[COMP_SERVICE];
	d->points = fmin(p->service_max, fmax(0, p->service_max * (1 - out->S)));
	{
		struct buf zh, en;
		buf_init(&zh);
		buf_init(&en);
		buf_printf(&zh, "回复率 %.0f%%，完成率 %.0f%%，及时回复 %.0f%%", 100 * out->R,
			   100 * out->C, 100 * out->T);
		buf_printf(&en, "reply %.0f%%, completion %.0f%%, on-time %.0f%%", 100 * out->R,
			   100 * out->C, 100 * out->T);
		if (out->n_rated) {
			buf_printf(&zh, "，满意度 %.0f%%", 100 * out->Sat);
			buf_printf(&en, ", satisfaction %.0f%%", 100 * out->Sat);
		}
		buf_puts(&zh, "（按时间加权并向先验收缩后）");
		buf_puts(&en, " (time-weighted, shrunk toward the prior)");
		d->reason = join_reason(&zh, &en);
		/* The complaints nobody answered; when every one was answered,
		 * the slowest first replies. */
		size_t nc = 0;
		for (size_t i = 0; i < n; i++)
			if (items[i].c->status == STATUS_UNANSWERED)
				cands[nc++] = item_cand(&items[i], 0);
		if (!nc)
			for (size_t i = 0; i < n; i++)
				if (items[i].c->first_reply_at > 0)
					cands[nc++] = item_cand(
						&items[i],
						(double)(items[i].c->first_reply_at - items[i].c->filed_at));
		take_evidence(cands, nc, &d->evidence, &d->n_evidence);
	}

	/* Severity: unresolved, no decay, over N + m. */
	d = &out->deductions[COMP_SEVERITY];
	out->V = (double)out->total + p->m > 0
			 ? out->unresolved_severity / ((double)out->total + p->m)
			 : 0;
	d->points = p->severity_max * fmin(1.0, out->V / p->severity_full);
	{
		struct buf zh, en;
		buf_init(&zh);
		buf_init(&en);
		buf_printf(&zh, "%zu 件投诉未解决", out->n_unresolved);
		buf_printf(&en, "%zu unresolved complaints", out->n_unresolved);
		if (out->n_unresolved) {
			buf_puts(&zh, "（");
			buf_puts(&en, " (");
			category_list(&zh, &en, unres_by_cat);
			buf_puts(&zh, "）");
			buf_puts(&en, ")");
		}
		buf_printf(&zh, "，严重度 V=%.2f", out->V);
		buf_printf(&en, ", severity V=%.2f", out->V);
		d->reason = join_reason(&zh, &en);
		size_t nc = 0;
		for (size_t i = 0; i < n; i++)
			if (!items[i].resolved)
				cands[nc++] = item_cand(&items[i], items[i].sev);
		take_evidence(cands, nc, &d->evidence, &d->n_evidence);
	}

	/* Volume. */
	d = &out->deductions[COMP_VOLUME];
	d->points = fmin(p->volume_max, p->volume_k * log2(1.0 + (double)out->U90));
	{
		struct buf zh, en;
		buf_init(&zh);
		buf_init(&en);
		buf_printf(&zh, "近 %g 天有 %zu 件未解决投诉", p->volume_days, out->U90);
		buf_printf(&en, "%zu unresolved complaints in the last %g days", out->U90,
			   p->volume_days);
		d->reason = join_reason(&zh, &en);
		size_t nc = 0;
		for (size_t i = 0; i < n; i++)
			if (!items[i].resolved && items[i].age_s <= vol_s)
				cands[nc++] = item_cand(&items[i], 0);
		take_evidence(cands, nc, &d->evidence, &d->n_evidence);
	}

	compute_identity(p, in, out);
	compute_trend(p, in, items, n, out, cands, keys);
	compute_gates(p, in, items, n, out, cands, keys);

	double total_d = 0;
	for (int k = 0; k < COMP_COUNT; k++)
		total_d += out->deductions[k].points;
	out->provisional_score = round1(fmin(100, fmax(0, 100 - total_d)));
	decide(p, in, out);

	free(items);
	free(cands);
	free(keys);
	free(hours);
	free(srcs);
	return 0;
}
