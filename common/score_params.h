/* Every constant of km-risk/2 (../shared/SCORING.md), with its default and
 * what it means.  One X-macro list feeds the config parser ([score] keys of
 * the same name), the scorer and `check --explain`, so a constant cannot be
 * added in one place and forgotten in another.  Each entry is
 * X(name, default, range, what it means); range is an enum score_range
 * without its RANGE_ prefix. */
#ifndef KMREP_SCORE_PARAMS_H
#define KMREP_SCORE_PARAMS_H

#define FORMULA_ID "km-risk/2"

/* The values a constant may take, checked when the configuration is loaded
 * (a bad value stops kmrep with FILE:LINE, never the scorer). */
enum score_range {
	RANGE_DAYS,        /* more than 0, at most 36500 */
	RANGE_HOURS,       /* more than 0, at most 87600 (ten years) */
	RANGE_SHARE,       /* 0 to 1 */
	RANGE_BELOW_ONE,   /* 0 or more, less than 1 */
	RANGE_PROBABILITY, /* more than 0, less than 1 */
	RANGE_POINTS,      /* 0 to 100 */
	RANGE_COUNT,       /* 0 to 1000000 */
	RANGE_POSITIVE,    /* more than 0, at most 1000000 */
};

#define SCORE_PARAMS(X)                                                                                \
	X(window_days, 1095, DAYS, "complaints older than this are stored but not scored")             \
	X(half_life_days, 180, DAYS, "age at which a complaint's weight halves")                       \
	X(m, 5, COUNT, "prior strength: pseudo-complaints each rate is shrunk with")                   \
	X(mu_reply, 0.5, SHARE, "prior reply rate")                                                    \
	X(mu_complete, 0.3, SHARE, "prior completion rate")                                            \
	X(mu_time, 0.5, SHARE, "prior reply-time credit")                                              \
	X(mu_sat, 0.5, SHARE, "prior satisfaction")                                                    \
	X(w_reply, 0.30, SHARE, "weight of the reply rate R in S")                                     \
	X(w_complete, 0.40, SHARE, "weight of the completion rate C in S")                             \
	X(w_time, 0.20, SHARE, "weight of the reply-time credit T in S")                               \
	X(w_sat, 0.10, BELOW_ONE, "weight of satisfaction Sat in S")                                   \
	X(reply_fast_hours, 72, HOURS, "a reply within this many hours earns full time credit")        \
	X(reply_slow_hours, 120, HOURS, "a reply within this many hours earns reply_slow_credit")      \
	X(reply_slow_credit, 0.6, SHARE, "time credit of a slow reply")                                \
	X(service_max, 40, POINTS, "points for a service index S of 0")                                \
	X(severity_max, 25, POINTS, "points for a severity V at or past severity_full")                \
	X(severity_full, 5, POSITIVE, "severity V that costs all severity_max points")                 \
	X(volume_max, 10, POINTS, "cap of the volume deduction")                                       \
	X(volume_k, 2.5, POINTS, "volume points per doubling of recent unresolved complaints")         \
	X(volume_days, 90, DAYS, "window of 'recent' for the volume deduction")                        \
	X(identity_max, 20, POINTS, "cap of the identity deduction")                                   \
	X(id_not_filed, 8, POINTS, "registry queried and no filing for any domain")                    \
	X(id_individual, 8, POINTS, "filer nature is 个人")                                            \
	X(id_stolen_number, 15, POINTS, "home page shows another domain's or an unknown ICP number")   \
	X(id_no_claim, 2, POINTS, "home page shows no ICP number while the registry has one")          \
	X(id_recent_filing, 3, POINTS, "filing number's year is this year or last")                    \
	X(trend_watch, 5, POINTS, "points for trend level watch")                                      \
	X(trend_warning, 15, POINTS, "points for trend level warning")                                 \
	X(trend_critical, 25, POINTS, "points for trend level critical")                               \
	X(trend_recent_days, 14, DAYS, "the spike window x14 counts")                                  \
	X(trend_base_days, 90, DAYS, "the baseline window c90 counts, before the spike window")        \
	X(trend_min_recent, 3, COUNT, "x14 at least this for watch")                                   \
	X(trend_p, 0.01, PROBABILITY, "Poisson tail probability below which x14 is a spike")           \
	X(trend_severe_share, 0.4, SHARE, "share of 跑路/提现/客服失联 in x14 for warning")            \
	X(trend_reply_low, 0.2, SHARE, "14-day reply rate at or below this for warning")               \
	X(trend_reply_high, 0.5, SHARE, "... while the platform's R is at least this")                 \
	X(trend_repeat_hours, 20, HOURS, "a warning at two refreshes this far apart is critical")      \
	X(trend_repeat_days, 8, DAYS, "... the earlier of them within this many days")               \
	X(runaway_people, 3, COUNT, "distinct 跑路 complainants within runaway_days: critical")        \
	X(runaway_days, 7, DAYS, "window of the critical 跑路 rule")                                   \
	X(gate_days, 30, DAYS, "window of the fraud gate")                                             \
	X(gate_people, 2, COUNT, "distinct complainants with unresolved 跑路/诈骗 for the gate")       \
	X(min_rated, 5, COUNT, "fewer complaints than this in the window: not rated")                  \
	X(avoid_below, 60, POINTS, "score below this: 不建议下单")                                     \
	X(caution_below, 80, POINTS, "score below this: 谨慎下单")                                     \
	X(confidence_high, 20, COUNT, "complaints (from >= 2 sources, ICP known) for high confidence") \
	X(confidence_medium, 5, COUNT, "complaints for medium confidence")                             \
	X(s_runaway, 10, COUNT, "severity weight of 跑路")                                             \
	X(s_fraud, 8, COUNT, "severity weight of 诈骗")                                                \
	X(s_withdraw, 6, COUNT, "severity weight of 提现")                                             \
	X(s_support_lost, 5, COUNT, "severity weight of 客服失联")                                     \
	X(s_invalid_key, 4, COUNT, "severity weight of 卡密无效")                                      \
	X(s_undelivered, 4, COUNT, "severity weight of 未发货")                                        \
	X(s_refund, 3, COUNT, "severity weight of 退款难")                                             \
	X(s_false_ad, 2, COUNT, "severity weight of 虚假宣传")                                         \
	X(s_other, 1, COUNT, "severity weight of 其他")

/* The categories of SCORING §1, in rule order.  Their extra keywords come from
 * [score] keys keywords_<name> (a |-separated list appended to the rule). */
#define CATEGORIES(X)                     \
	X(CAT_RUNAWAY, runaway, "跑路")        \
	X(CAT_FRAUD, fraud, "诈骗")            \
	X(CAT_WITHDRAW, withdraw, "提现")      \
	X(CAT_SUPPORT_LOST, support_lost, "客服失联") \
	X(CAT_INVALID_KEY, invalid_key, "卡密无效") \
	X(CAT_UNDELIVERED, undelivered, "未发货") \
	X(CAT_REFUND, refund, "退款难")        \
	X(CAT_FALSE_AD, false_ad, "虚假宣传")  \
	X(CAT_OTHER, other, "其他")

enum category {
#define X(id, key, zh) id,
	CATEGORIES(X)
#undef X
	CAT_COUNT
};

struct score_params {
#define X(name, def, range, doc) double name;
	SCORE_PARAMS(X)
#undef X
	/* Extra keywords per category ("a|b|c"), NULL when not configured. */
	char *keywords_extra[CAT_COUNT];
};

/* The built-in defaults (no allocation). */
void score_params_defaults(struct score_params *p);

#endif
