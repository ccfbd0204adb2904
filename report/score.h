/* KM-Risk v1 (../shared/SCORING.md): complaints + identity -> score, grade,
 * verdict, and every deduction with its reason and evidence.
 * Pure: no SQL, no clock ("now" is an input), no I/O. */
#ifndef KMREP_REPORT_SCORE_H
#define KMREP_REPORT_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "parse/icp.h"
#include "parse/record.h"
#include "score_params.h"

/* At most this many URLs in check --format json's "evidence" of a line (its
 * "evidence_items" hold all of them). */
#define SCORE_MAX_EVIDENCE 5
#define SCORE_MAX_SOURCES 8

/* One complaint as the scorer sees it, after cross-source dedupe.  Strings
 * are borrowed: the scorer copies what it keeps. */
struct score_complaint {
	int64_t filed_at;       /* UTC seconds; 0 unknown (then never scored:
				   counted in score_result.n_undated) */
	enum complaint_status status; /* normalised (SCORING §1); UNKNOWN counts as
					 neither answered nor resolved */
	int64_t first_reply_at; /* first merchant reply (UTC seconds); 0 unknown or never */
	int reply_known;        /* 1: the detail timeline was seen, so first_reply_at is
				   authoritative (0 = never replied); 0: not seen.  A
				   non-zero first_reply_at is a known reply either way */
	int satisfaction;       /* 0-10 (a site's 1-5 stars x2); -1 unknown */
	enum category category;
	const char *complainant_key; /* hashed complainant; NULL unknown: each NULL counts
					as a distinct person (never merged with anyone) */
	int64_t amount_fen;     /* -1 unknown */
	const char *url;        /* evidence link; may be NULL */
	const char *title;      /* its title, shown beside the link; may be NULL */
	const char *source;     /* the registry name of its source; may be NULL */
	const char *also_url;   /* the same story on another site, merged into this one
				   (cross-source dedupe): its link; NULL none */
	int excluded;           /* manual exclusion (recorded reason elsewhere): skipped,
				   counted in n_excluded and listed in excluded[] */
};

/* What the ICP registry says about the platform's domains. */
enum icp_status {
	ICP_STATUS_UNKNOWN = 0, /* never queried, or the query failed */
	ICP_STATUS_FILED,       /* the registry has a filing for one of its domains */
	ICP_STATUS_NOT_FILED    /* queried successfully, no filing for any domain */
};

/* What the platform's home page claims, compared with the registry. */
enum site_claim {
	CLAIM_UNKNOWN = 0, /* home page not fetched */
	CLAIM_NONE,        /* fetched, shows no ICP number */
	CLAIM_MATCH,       /* shows a number the registry gives to this domain */
	CLAIM_MISMATCH     /* shows a number the registry gives to another domain, or one
			      the registry does not know (stolen or fake): a gate */
};

struct score_identity {
	enum icp_status icp_status;
	enum icp_nature nature;  /* filer nature (FILED only); NATURE_UNKNOWN otherwise */
	enum site_claim claim;
	int filing_year;         /* year from the registry's filing number (8-digit: 20YY,
				    10-digit: YYYY); 0 unknown */
	const char *evidence_url; /* where the identity finding can be checked (registry
				     page or home page); may be NULL */
};

enum trend_level { TREND_NONE = 0, TREND_WATCH, TREND_WARNING, TREND_CRITICAL };

struct score_input {
	int64_t now;                   /* UTC seconds: ages, windows and decay count from here */
	const struct score_complaint *complaints; /* may be NULL when n == 0 */
	size_t n;
	struct score_identity identity;
	int previous_trend_level;      /* enum trend_level stored at an earlier refresh, or -1
					  none: the newest refresh with warning or critical at
					  least trend_repeat_hours before refreshed_at */
	int64_t previous_trend_at;     /* when that refresh was (UTC seconds); 0 none */
	int64_t refreshed_at;          /* the latest refresh the complaints come from; 0: now.
					  Warning now and >= warning at previous_trend_at, at
					  least trend_repeat_hours before this and within
					  trend_repeat_days of now, is critical (km-risk/2) */
	int n_sources_with_data;       /* complaint sources that answered for this platform
					  (successfully queried, with or without complaints) */
	int complaint_source_unhealthy; /* any enabled complaint source is stale, failed or
					   never succeeded for this platform: caution at best */
};

enum verdict { VERDICT_RECOMMEND = 0, VERDICT_CAUTION, VERDICT_AVOID, VERDICT_NOT_RATED };
enum confidence { CONFIDENCE_LOW = 0, CONFIDENCE_MEDIUM, CONFIDENCE_HIGH };

enum score_component {
	COMP_SERVICE = 0,
	COMP_SEVERITY,
	COMP_VOLUME,
	COMP_IDENTITY,
	COMP_TREND,
	COMP_COUNT
};

/* One piece of a line's evidence: a complaint (link, date, title) or a page
 * (the home page of an identity finding: the link alone).  Strings owned by
 * the result. */
struct score_evidence {
	char *url;               /* never NULL: what has no link is no evidence */
	int64_t filed_at;        /* the complaint's filing time (UTC); 0 for a page */
	char *title;             /* the complaint's title; NULL for a page or none */
	double rank;             /* how relevant to its line, higher first; equal ranks
				    are equally relevant (then newest first) */
};

/* Each line's evidence is its own, chosen for what the line measures, every
 * qualifying complaint with a link, the most relevant first (distinct URLs):
 *   service   the unanswered complaints, newest first; when none, the replied
 *             ones with the slowest first reply first;
 *   severity  the unresolved complaints, the most severe category first, then
 *             newest;
 *   volume    the unresolved complaints of the last volume_days, newest first;
 *   identity  the home page whose claim was checked;
 *   trend     (watch or worse) the complaints of the last trend_recent_days
 *             (and 跑路 ones of runaway_days), 跑路 then 跑路/提现/客服失联
 *             first, then newest.
 * Gates: trend_critical the 跑路 complaints of runaway_days when that fired
 * it, else the trend's; fraud_cluster the unresolved 跑路/诈骗 complaints of
 * gate_days, 跑路 first; stolen_icp the home page. */
struct score_deduction {
	const char *component;   /* static: "service", "severity", "volume", "identity", "trend" */
	double points;           /* what is deducted, >= 0, unrounded */
	char *reason;            /* "中文；English" one short sentence a buyer understands */
	struct score_evidence *evidence; /* n_evidence of them, most relevant first; owned */
	size_t n_evidence;
};

enum score_gate_id { GATE_TREND_CRITICAL = 0, GATE_FRAUD_CLUSTER, GATE_STOLEN_ICP, GATE_COUNT };

struct score_gate {
	const char *gate;        /* static: "trend_critical", "fraud_cluster", "stolen_icp" */
	char *reason;
	struct score_evidence *evidence; /* as a deduction's */
	size_t n_evidence;
};

/* One identity signal of SCORING §4 that fired. */
struct score_identity_finding {
	const char *signal;      /* static: "not_filed", "individual", "stolen_number",
				    "no_claim", "recent_filing" */
	double points;           /* the signal's own points (before the identity cap) */
	const char *reason_zh;   /* static, e.g. "备案主体为个人" */
	const char *reason_en;   /* static, e.g. "ICP filer is an individual" */
};

struct score_source_count {
	char *source;            /* owned; "unknown" for complaints without a source */
	size_t n;
};

struct score_trend {
	enum trend_level level;
	int x14;                 /* complaints filed in the last trend_recent_days */
	int c90;                 /* complaints in the trend_base_days before those */
	double lambda;           /* max(c90, 0.5) * 14 / 90 */
	double p;                /* P(X >= x14), X ~ Poisson(lambda); 1 when x14 == 0 */
	double severe_share;     /* share of 跑路/提现/客服失联 among the x14; NAN when x14 == 0 */
	double reply_rate;       /* plain reply rate of the x14; NAN when x14 == 0 */
	double baseline_r;       /* shrunk R over complaints filed before the recent window */
	int runaway_people;      /* distinct 跑路 complainants in the last runaway_days */
	int watch, warning_share, warning_collapse, critical_runaway, critical_repeat;
};

struct score_result {
	int rated;               /* 0: not rated (数据不足): score NAN, grade "NR" */
	double score;            /* 0-100, one decimal; NAN when not rated */
	double provisional_score; /* the same number computed regardless of rated, for
				     --explain ("provisional"); one decimal */
	const char *grade;       /* static: "A+" ... "F", "NR" */
	enum verdict verdict;
	enum confidence confidence;
	char *verdict_reason;    /* why this verdict, "中文；English"; owned */

	/* Counts over the complaints in the window (not excluded, dated). */
	size_t total;
	size_t by_status[STATUS_COUNT];
	size_t by_category[CAT_COUNT];
	struct score_source_count by_source[SCORE_MAX_SOURCES]; /* the rest in the last */
	size_t n_by_source;
	size_t n_excluded;       /* manual exclusions skipped */
	size_t *excluded;        /* their indices in the input, n_excluded of them; owned */
	size_t n_outside_window; /* older than window_days */
	size_t n_undated;        /* filed_at unknown */

	/* Rates. */
	double R, C, T, Sat, S;  /* shrunk (SCORING §3) */
	double w_r, w_c, w_t, w_sat; /* the weights used (renormalised when no ratings) */
	double reply_rate, reply_wilson_lo;           /* plain; NAN when total == 0 */
	double completion_rate, completion_wilson_lo; /* plain; NAN when total == 0 */
	double median_reply_hours;                    /* NAN when no reply time is known */

	struct score_trend trend;

	struct score_deduction deductions[COMP_COUNT]; /* indexed by enum score_component */
	struct score_gate gates[GATE_COUNT];           /* the gates that fired, in SCORING order */
	size_t n_gates;
	struct score_identity_finding findings[5];
	size_t n_findings;

	/* Intermediate values for --explain. */
	double W;                /* Σ w_i */
	double W_known;          /* Σ w_i over complaints whose reply-time credit is known */
	double W_rated;          /* Σ w_i over rated complaints */
	size_t n_time_known, n_rated;
	double V;                /* severity Σ_unresolved s_i / (N + m) */
	double unresolved_severity; /* Σ_unresolved s_i */
	size_t n_unresolved;
	size_t U90;
	double identity_raw;     /* sum of the findings before the cap */
	size_t unresolved_by_category[CAT_COUNT]; /* the n_unresolved by category */
	int fraud_people;        /* distinct complainants behind the fraud_cluster gate */
	int n_sources;           /* distinct sources among the counted complaints */
};

/* Computes the score.  out is initialised here (the caller need not); on
 * success the caller owns its strings and frees them with
 * score_result_finish.  Returns 0, or -1 with a one-line reason in err for
 * parameters that make the formula meaningless (half-life <= 0, m < 0,
 * w_sat >= 1 ...) or complaints == NULL with n > 0; out is then empty but
 * may still be finished. */
int
score_compute(const struct score_params *p, const struct score_input *in,
	      struct score_result *out, char *err);

/* Frees what a result owns; the result may then be reused. */
void
score_result_finish(struct score_result *r);

/* Returns "recommend", "caution", "avoid", "not_rated" (static). */
const char *
verdict_key(enum verdict v);

/* Returns 建议下单, 谨慎下单, 不建议下单, 数据不足 (static). */
const char *
verdict_zh(enum verdict v);

/* Returns "high", "medium", "low" (static). */
const char *
confidence_key(enum confidence c);

/* Returns "none", "watch", "warning", "critical" (static). */
const char *
trend_level_key(enum trend_level l);

/* Returns the letter grade of SCORING §7 for a score ("A+" ... "F"; static). */
const char *
score_grade(double score);

/* Returns P(X >= x) for X ~ Poisson(lambda), summing the terms recursively
 * from the largest one so that neither underflow nor cancellation hurts:
 * 1 for x <= 0, and lambda <= 0 gives 0 for x > 0. */
double
poisson_tail(int x, double lambda);

/* Returns the Wilson score interval's lower bound for k successes in n
 * trials at z (1.96 for 95%); NAN when n == 0. */
double
wilson_lower(size_t k, size_t n, double z);

#endif
