/* The view model: everything kmrep knows about one platform, loaded from the
 * store and scored; what the renderers (report/render.h) show and refresh's
 * score history records.  It reads the store and the registry of sources and
 * includes nothing of fetch/ or cli/. */
#ifndef KMREP_REPORT_VIEW_H
#define KMREP_REPORT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "report/score.h"
#include "sync/registry.h"
#include "store.h"

/* A source older than this many days is stale even when it succeeded. */
#define STALE_DAYS 7

/* SPEC §6 source states: from the latest attempt's outcome, then its age. */
enum source_health {
	HEALTH_NEVER = 0, HEALTH_OK, HEALTH_STALE, HEALTH_FAILED, HEALTH_DISABLED,
	HEALTH_PARTIAL,  /* some was read, but a walk or its coverage is incomplete */
	HEALTH_BLOCKED,  /* the site refused: a block, a login wall, a captcha */
};

struct icp_domain_view {
	char *domain;            /* registrable domain */
	int queried;             /* 1 when the registry was ever asked */
	struct icp_current cur;  /* valid when queried */
};

/* One of the platform's domains and its latest home-page probe. */
struct site_domain_view {
	char *domain;            /* as the platform stores it */
	int probed;              /* 1 when a probe exists (probe is valid) */
	struct site_probe probe;
	enum site_claim claim;   /* this page's claim; unknown when dead or never probed */
	char *detail;            /* why the claim is a mismatch or unknown; NULL otherwise */
};

/* "live" (the latest probe read a page), "dead" (it failed), "never". */
const char *site_domain_state(const struct site_domain_view *d);

struct platform_view {
	struct platform platform;
	int64_t now;

	struct fetch_state state[SOURCE_MAX];  /* by registry position */
	int have_state[SOURCE_MAX];
	enum source_health health[SOURCE_MAX];
	int64_t last_refresh;    /* newest attempt of any source; 0 never */
	bool complaints_known;   /* some complaint source was ever read for it: else the
				    count is unknown, not zero */

	struct merchant_ref *merchants; /* the complaint sources' merchants, by source in
					 * registry order, pinned first within one */
	int *merchant_source;    /* registry position of merchants[i] */
	size_t n_merchants;

	struct icp_domain_view *icp;
	size_t n_icp;
	const struct icp_record *filing; /* the first filed record, or NULL */
	struct site_domain_view *sites; /* every domain's latest probe, platform order */
	size_t n_sites;
	struct site_probe site;  /* the probe the platform's claim rests on: the first
				    live domain with the deciding claim (a stolen number
				    first), else the latest probe */
	int have_site;
	char *claim_detail;      /* why the claim is a mismatch/unknown; NULL otherwise */
	char *home_url;          /* the probed home page's public URL, the identity evidence */

	/* Cross-source duplicates counted once: how many were merged into a
	 * complaint of another site, by the merged one's source (registry
	 * position).  score.by_source counts what was kept. */
	size_t merged;
	size_t merged_from[SOURCE_MAX];

	/* What the headline must say besides the score (the sources' real
	 * states, SPEC §5); score.verdict_reason says it in both languages, with
	 * the unread sources and their errors, and the text renderer names the
	 * unread sources (view_source_unread) in the reader's words. */
	enum headline_note {
		HEADLINE_SCORED = 0,      /* the score's own reason */
		HEADLINE_NO_SOURCE,       /* not rated: no source at all could be read */
		HEADLINE_NO_COMPLAINTS,   /* not rated: no complaint source could be read */
		HEADLINE_UNCHECKED,       /* recommended, but the ICP filing or home page unchecked */
	} headline;

	struct score_input input;
	struct score_result score;
	int monthly[12];         /* complaints per month, oldest first, ending this month */
	/* The complaints the score counts (after dedupe; not excluded, dated, no
	 * older than window_days), per calendar month of Asia/Shanghai over the
	 * scoring window and by category: they add up to score.total.  One entry
	 * per month from the window's first to this one, oldest first. */
	struct month_count {
		int year;
		unsigned month;  /* 1-12 */
		int by_category[CAT_COUNT];
	} *window_months;
	size_t n_window_months;
	int64_t newest_complaint;

	/* What input.complaints points into (owned). */
	struct score_complaint *collect_items;
	char **collect_strings;
	size_t n_collect_strings;
};

/* Whether source i (a registry index) of kind (-1: any kind) is enabled
 * and was not read: its latest attempt failed, or none was made. */
bool view_source_unread(const struct platform_view *v, size_t i, int kind);
/* Whether the platform's complaint count is known: some complaint source was
 * ever read for it, or complaints are stored.  Else every renderer says
 * "unknown" where a count, a rate or a trend would go: 0 would read as good
 * news. */
bool view_complaints_known(const struct platform_view *v);

/* Loads and scores platform id.  evidence: also the complaints' links and
 * text (check prints them); without it only the scoring facts are read, from
 * an index (report, list, refresh) — the numbers are the same — and the
 * complaints are dropped once scored, so a report can hold every platform's
 * view.  Returns 0, or -1 with err (then finish v anyway). */
int platform_view_load(struct store *st, const struct config *cfg, int64_t id, int64_t now,
		       bool evidence, struct platform_view *v, char *err);
void platform_view_finish(struct platform_view *v);

/* True for the states of a latest attempt that went wrong: failed,
 * partial, blocked (the error is worth showing). */
bool source_health_failing(enum source_health h);
/* "ok", "stale", "failed", "never", "disabled", "partial", "blocked". */
const char *source_health_key(enum source_health h);
/* "filed", "not_filed", "unknown". */
const char *icp_status_key(enum icp_status s);
/* "match", "mismatch", "none", "unknown". */
const char *site_claim_key(enum site_claim c);

/* True when deduction component is shown: it cost points, and either the
 * platform is rated or the component is identity or trend (SCORING §7). */
int deduction_shown(const struct score_result *r, int component);

/* qsort order of struct platform_view: riskiest first (avoid, caution, not
 * rated, recommend), then by score ascending (the provisional one when not
 * rated), then by name. */
int platform_view_risk_cmp(const void *a, const void *b);


/* Stores v's score in the score history (refresh does this). */
int platform_view_record_score(struct store *st, const struct platform_view *v, char *err);

#endif
