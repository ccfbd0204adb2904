/* html: one self-contained page, inline CSS and SVG, no script, nothing
 * fetched (a meta Content-Security-Policy says so to the browser): check's
 * one platform, or the report's overview table, riskiest first, followed by
 * one section per platform.  It shows the view model and computes no score.
 * Every string from a site or a user goes through html_text (display-
 * sanitised, then HTML-escaped); an href is only ever an http(s) URL.  The
 * page's words are the tables below, English source strings in the gettext
 * catalogue's "html" context (po/zh_CN.po), said in ctx->lang. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "parse/category.h"
#include "parse/icp.h"
#include "render.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

/* A word of the page in its language (the catalogue's "html" context). */
#define W(s) i18n_pgettext("html", s)

enum label {
	L_TITLE_REPORT, L_TITLE_CHECK, L_GENERATED, L_FORMULA, L_ORDER, L_OVERVIEW,
	L_PLATFORM, L_VERDICT, L_SCORE, L_CONFIDENCE, L_COMPLAINTS, L_REPLY, L_COMPLETION,
	L_TREND, L_ICP, L_FRESHNESS, L_NONE_TRACKED, L_DOMAINS, L_MERCHANTS, L_SEVERAL,
	L_PINNED, L_DEDUCTIONS, L_DEDUCTIONS_NR, L_SCORE_LEFT, L_NOT_RATED_LEFT, L_NO_DEDUCTION,
	L_GATES, L_EVIDENCE, L_MONTHLY, L_MONTHLY_DESC, L_MONTH, L_TOTAL, L_COUNT_AXIS,
	L_MONTH_AXIS, L_RATES, L_LOWER, L_MEDIAN_REPLY, L_HOURS, L_TREND_LINE, L_TREND_LEVEL,
	L_ICP_STATUS, L_UNIT, L_NATURE, L_LICENCE, L_UPDATED, L_DOMAIN_STATE, L_NO_LONGER,
	L_CLAIM, L_HOME_PAGE, L_SOURCES, L_SOURCE, L_STATE, L_LAST_SUCCESS, L_LAST_ATTEMPT,
	L_ERROR, L_WHERE, L_OWN_SUPPORT, L_OWN_SUPPORT_FIRST, L_MERCHANT, L_OPERATOR,
	L_OPERATOR_UNKNOWN, L_FRAUD, L_NEVER, L_PER_SOURCE, L_STATUS_LINE, L_WINDOW,
	L_ASIA_SHANGHAI, L_NO_COMPLAINTS, L_RISKIEST, L_TREND_SHORT, L_MERGED, L_MORE, L_NO_TITLE,
	L_ALIPAY, L_WECHAT, L_MIIT, L_UNKNOWN, L_WINDOW_UNKNOWN, L_COUNT
};

/* Every word of the page (translated through W). */
static const char *const labels[L_COUNT] = {
	[L_TITLE_REPORT] = NC_("html", "卡盟 risk report"),
	[L_TITLE_CHECK] = NC_("html", "Pre-purchase check"),
	[L_GENERATED] = NC_("html", "Generated"),
	[L_FORMULA] = NC_("html", "Formula"),
	[L_ORDER] = NC_("html", "Order: riskiest first — Avoid, Caution, Not rated, Recommend; within one "
		"verdict by score, lowest first (the provisional score when not rated), "
		"then by name."),
	[L_OVERVIEW] = NC_("html", "Every tracked platform"),
	[L_PLATFORM] = NC_("html", "Platform"),
	[L_VERDICT] = NC_("html", "Verdict"),
	[L_SCORE] = NC_("html", "Score / grade"),
	[L_CONFIDENCE] = NC_("html", "Confidence"),
	[L_COMPLAINTS] = NC_("html", "Complaints"),
	[L_REPLY] = NC_("html", "Reply rate"),
	[L_COMPLETION] = NC_("html", "Completion rate"),
	[L_TREND] = NC_("html", "Trend"),
	[L_ICP] = NC_("html", "ICP filing"),
	[L_FRESHNESS] = NC_("html", "Data freshness"),
	[L_NONE_TRACKED] = NC_("html", "No platform is tracked yet (kmrep add)."),
	[L_DOMAINS] = NC_("html", "Domains"),
	[L_MERCHANTS] = NC_("html", "merchants"),
	[L_SEVERAL] = NC_("html", "several merchants carry this name; "
		"complaints of all are counted"),
	[L_PINNED] = NC_("html", "pinned"),
	[L_DEDUCTIONS] = NC_("html", "Deductions (100 minus each component)"),
	[L_DEDUCTIONS_NR] = NC_("html", "Deductions (not rated: identity and trend only)"),
	[L_SCORE_LEFT] = NC_("html", "score"),
	[L_NOT_RATED_LEFT] = NC_("html", "not rated"),
	[L_NO_DEDUCTION] = NC_("html", "no deduction"),
	[L_GATES] = NC_("html", "Gates"),
	[L_EVIDENCE] = NC_("html", "evidence"),
	[L_MONTHLY] = NC_("html", "Complaints per month, by category"),
	[L_MONTHLY_DESC] = NC_("html", "Complaints per month over the "
		"scoring window, stacked by category"),
	[L_MONTH] = NC_("html", "Month"),
	[L_TOTAL] = NC_("html", "Total"),
	[L_COUNT_AXIS] = NC_("html", "complaints"),
	[L_MONTH_AXIS] = NC_("html", "month (Asia/Shanghai)"),
	[L_RATES] = NC_("html", "Replies and completion"),
	/* xgettext:no-c-format */
	[L_LOWER] = NC_("html", "95% lower bound"),
	[L_MEDIAN_REPLY] = NC_("html", "median first reply"),
	[L_HOURS] = NC_("html", "h"),
	[L_TREND_LINE] = NC_("html", "Last 14 days vs the 90 before"),
	[L_TREND_LEVEL] = NC_("html", "warning level"),
	[L_ICP_STATUS] = NC_("html", "Status"),
	[L_UNIT] = NC_("html", "Operator"),
	[L_NATURE] = NC_("html", "Operator type"),
	[L_LICENCE] = NC_("html", "Licence"),
	[L_UPDATED] = NC_("html", "Record updated"),
	[L_DOMAIN_STATE] = NC_("html", "Each domain"),
	[L_NO_LONGER] = NC_("html", "no longer filed"),
	[L_CLAIM] = NC_("html", "Home-page claim"),
	[L_HOME_PAGE] = NC_("html", "home page"),
	[L_SOURCES] = NC_("html", "Sources and freshness"),
	[L_SOURCE] = NC_("html", "Source"),
	[L_STATE] = NC_("html", "State"),
	[L_LAST_SUCCESS] = NC_("html", "Last success"),
	[L_LAST_ATTEMPT] = NC_("html", "Last attempt"),
	[L_ERROR] = NC_("html", "Error"),
	[L_WHERE] = NC_("html", "Where to complain"),
	[L_OWN_SUPPORT] = NC_("html", "The platform itself"),
	[L_OWN_SUPPORT_FIRST] = NC_("html", "The platform's own support first"),
	[L_MERCHANT] = NC_("html", "merchant"),
	[L_OPERATOR] = NC_("html", "operator"),
	[L_OPERATOR_UNKNOWN] = NC_("html", "operator unknown (no ICP filing on "
		"record)"),
	[L_FRAUD] = NC_("html", "Fraud or a runaway: call the police, 110"),
	[L_NEVER] = NC_("html", "never"),
	[L_PER_SOURCE] = NC_("html", "per source"),
	[L_STATUS_LINE] = NC_("html", "unanswered %zu, answered %zu, resolved %zu, closed %zu, unknown %zu"),
	[L_WINDOW] = NC_("html", "%zu complaints in the %.0f-day "
		"scoring window"),
	[L_ASIA_SHANGHAI] = NC_("html", "Asia/Shanghai"),
	[L_NO_COMPLAINTS] = NC_("html", "no complaint in the window"),
	[L_RISKIEST] = NC_("html", "riskiest first"),
	[L_TREND_SHORT] = NC_("html", "last 14 d: %d, 90 d before: %d"),
	[L_MERGED] = NC_("html", "on two sites, counted once: %zu"),
	[L_UNKNOWN] = NC_("html", "unknown"),
	[L_WINDOW_UNKNOWN] = NC_("html", "complaints in the %.0f-day scoring window: unknown, no "
		"complaint source could be read"),
	[L_MORE] = NC_("html", "+%zu more: kmrep complaints %s"),
	[L_NO_TITLE] = NC_("html", "(no title)"),
	[L_ALIPAY] = NC_("html", "Paid with 支付宝 (Alipay): complain about the order in the app "
		"(我的 → 我的客服 → 投诉, or 投诉 on the order in 账单)"),
	[L_WECHAT] = NC_("html", "Paid with 微信支付 (WeChat Pay): complain about the order in 微信 "
		"(我 → 服务 → 钱包 → 账单 → the order → 投诉)"),
	[L_MIIT] = NC_("html", "The stolen or fake ICP number: report it to MIIT's filing system "
		"(工信部 ICP/IP地址/域名信息备案管理系统, 举报)"),
};

static const char *const verdict_words[] = {
	[VERDICT_RECOMMEND] = NC_("html", "Recommend"),
	[VERDICT_CAUTION] = NC_("html", "Caution"),
	[VERDICT_AVOID] = NC_("html", "Avoid"),
	[VERDICT_NOT_RATED] = NC_("html", "Not rated"),
};
static const char *const confidence_words[] = {
	[CONFIDENCE_LOW] = NC_("html", "low"),
	[CONFIDENCE_MEDIUM] = NC_("html", "medium"),
	[CONFIDENCE_HIGH] = NC_("html", "high"),
};
static const char *const trend_words[] = {
	[TREND_NONE] = NC_("html", "none"),
	[TREND_WATCH] = NC_("html", "watch"),
	[TREND_WARNING] = NC_("html", "warning"),
	[TREND_CRITICAL] = NC_("html", "critical"),
};
static const char *const icp_words[] = {
	[ICP_STATUS_UNKNOWN] = NC_("html", "unknown"),
	[ICP_STATUS_FILED] = NC_("html", "filed"),
	[ICP_STATUS_NOT_FILED] = NC_("html", "not filed"),
};
static const char *const claim_words[] = {
	[CLAIM_UNKNOWN] = NC_("html", "unchecked"),
	[CLAIM_NONE] = NC_("html", "the home page shows no number"),
	[CLAIM_MATCH] = NC_("html", "matches the registry"),
	[CLAIM_MISMATCH] = NC_("html", "does not match the registry"),
};
static const char *const health_words[] = {
	[HEALTH_NEVER] = NC_("html", "never read"),
	[HEALTH_OK] = NC_("html", "ok"),
	[HEALTH_STALE] = NC_("html", "stale"),
	[HEALTH_FAILED] = NC_("html", "failed"),
	[HEALTH_DISABLED] = NC_("html", "disabled"),
	[HEALTH_PARTIAL] = NC_("html", "partial"),
	[HEALTH_BLOCKED] = NC_("html", "blocked"),
};
static const char *const component_words[] = {
	[COMP_SERVICE] = NC_("html", "service"),
	[COMP_SEVERITY] = NC_("html", "severity"),
	[COMP_VOLUME] = NC_("html", "volume"),
	[COMP_IDENTITY] = NC_("html", "identity"),
	[COMP_TREND] = NC_("html", "trend"),
};
static const char *const category_en[] = {
	[CAT_RUNAWAY] = NC_("html", "runaway"), [CAT_FRAUD] = NC_("html", "fraud"), [CAT_WITHDRAW] = NC_("html", "withdrawal"),
	[CAT_SUPPORT_LOST] = NC_("html", "support lost"), [CAT_INVALID_KEY] = NC_("html", "invalid key"),
	[CAT_UNDELIVERED] = NC_("html", "undelivered"), [CAT_REFUND] = NC_("html", "refund"), [CAT_FALSE_AD] = NC_("html", "false ad"),
	[CAT_OTHER] = NC_("html", "other"),
};
static const char *const category_colour[] = {
	[CAT_RUNAWAY] = "#7f1d1d", [CAT_FRAUD] = "#dc2626", [CAT_WITHDRAW] = "#ea580c",
	[CAT_SUPPORT_LOST] = "#ca8a04", [CAT_INVALID_KEY] = "#7c3aed",
	[CAT_UNDELIVERED] = "#2563eb", [CAT_REFUND] = "#0891b2", [CAT_FALSE_AD] = "#db2777",
	[CAT_OTHER] = "#6b7280",
};
static const char *const component_colour[] = {
	[COMP_SERVICE] = "#c2410c", [COMP_SEVERITY] = "#b91c1c", [COMP_VOLUME] = "#a16207",
	[COMP_IDENTITY] = "#6d28d9", [COMP_TREND] = "#be185d",
};
static const struct {
	const char *gate, *words;
} gate_words[] = {
	{"trend_critical", NC_("html", "complaint surge")},
	{"fraud_cluster", NC_("html", "a cluster of fraud or runaway complaints")},
	{"stolen_icp", NC_("html", "stolen ICP number")},
};

/* Shape as well as colour and word: a circle with a tick, a triangle, a
 * crossed square, a dashed circle with a question mark. */
static const char *const verdict_class[] = {
	[VERDICT_RECOMMEND] = "v-rec", [VERDICT_CAUTION] = "v-caution",
	[VERDICT_AVOID] = "v-avoid", [VERDICT_NOT_RATED] = "v-nr",
};
static const char *const verdict_icon[] = {
	[VERDICT_RECOMMEND] = "<circle cx=\"6\" cy=\"6\" r=\"5\"/><path d=\"M3.3 6.2l1.9 1.9 3.5-4\"/>",
	[VERDICT_CAUTION] = "<path d=\"M6 1.2L11 10.6H1z\"/><path d=\"M6 4.6v3M6 8.6v.6\"/>",
	[VERDICT_AVOID] = "<rect x=\"1\" y=\"1\" width=\"10\" height=\"10\"/>"
			  "<path d=\"M3.5 3.5l5 5M8.5 3.5l-5 5\"/>",
	[VERDICT_NOT_RATED] = "<circle cx=\"6\" cy=\"6\" r=\"5\" stroke-dasharray=\"2 1.4\"/>"
			      "<path d=\"M4.5 4.6a1.5 1.5 0 1 1 1.5 1.6v1M6 8.6v.6\"/>",
};

static const char css[] =
	"*{box-sizing:border-box}"
	"html{-webkit-text-size-adjust:100%}"
	"body{margin:0;font-family:system-ui,\"Noto Sans CJK SC\",\"WenQuanYi Zen Hei\","
	"\"PingFang SC\",\"Microsoft YaHei\",sans-serif;line-height:1.5;color:#111;"
	"background:#fff;overflow-wrap:break-word}"
	"header,main,footer{max-width:1180px;margin:0 auto;padding:0 16px}"
	"h1{font-size:1.5rem;margin:16px 0 4px}h2{font-size:1.25rem;margin:0 0 6px}"
	"h3{font-size:1rem;margin:18px 0 6px}"
	".meta{color:#444;margin:4px 0}.small{font-size:.85em;color:#444}"
	"a{color:#1d4ed8}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border-bottom:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}"
	"thead th{background:#f3f4f6;font-weight:600;white-space:nowrap}"
	"caption{text-align:left;font-weight:600;padding:4px 0 6px;caption-side:top}"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".tw{overflow-x:auto;max-width:100%}"
	".badge{display:inline-flex;align-items:center;gap:4px;padding:1px 8px 1px 5px;"
	"border:2px solid;font-weight:600;white-space:nowrap;line-height:1.4}"
	".badge svg{width:14px;height:14px;fill:none;stroke:currentColor;stroke-width:1.5;"
	"flex:none}"
	".v-rec{background:#dcfce7;color:#14532d;border-color:#15803d;border-radius:999px}"
	".v-caution{background:#fef3c7;color:#713f12;border-color:#d97706;border-radius:4px}"
	".v-avoid{background:#b91c1c;color:#fff;border-color:#7f1d1d;border-radius:0}"
	".v-nr{background:#f3f4f6;color:#374151;border-color:#6b7280;border-style:dashed;"
	"border-radius:4px}"
	".warn{color:#b91c1c;font-weight:600}"
	".src{display:block;white-space:nowrap}"
	".h-ok{color:#166534}.h-bad{color:#b91c1c}.h-dim{color:#6b7280}"
	"section.platform{border-top:3px solid #111;margin-top:28px;padding-top:10px}"
	".bar{display:block;width:100%;height:30px;margin:4px 0}"
	".bar text{font-size:12px;fill:#fff;dominant-baseline:middle}"
	".legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 14px}"
	".sw{display:inline-block;width:.8em;height:.8em;margin-right:4px;vertical-align:-1px}"
	".chart{overflow-x:auto;max-width:100%}"
	".chart svg{display:block;width:100%;max-width:900px;min-width:560px;height:auto}"
	".chart text{font-size:11px;fill:#333}.chart .grid{stroke:#ddd}"
	".chart .axis{stroke:#555}"
	".rate{display:block;width:100%;max-width:420px;height:12px}"
	"ul.plain{list-style:none;padding:0;margin:0}"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}"
	"dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}"
	".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
	"clip:rect(0 0 0 0);white-space:nowrap;border:0}"
	"footer{color:#555;font-size:.85em;margin-top:28px;padding-bottom:24px}"
	"@media (max-width:760px){"
	"table.overview thead{position:absolute;width:1px;height:1px;overflow:hidden;"
	"clip:rect(0 0 0 0)}"
	"table.overview,table.overview caption,table.overview tbody,table.overview tr,"
	"table.overview th,table.overview td{display:block;width:100%}"
	"table.overview tr{border:1px solid #ccc;margin:0 0 10px;padding:4px 0}"
	"table.overview th,table.overview td{border:0;padding:2px 8px;text-align:left;"
	"overflow-wrap:anywhere}"
	"table.overview td::before{content:attr(data-label) \"：\";font-weight:600;color:#444}"
	"dl{grid-template-columns:1fr}dd{margin-bottom:4px}.bar text{display:none}"
	"}"
	"@media print{"
	"@page{size:A4;margin:12mm}"
	"body{font-size:10pt}header,main,footer{max-width:none;padding:0}"
	".chart,.tw{overflow:visible}.chart svg{min-width:0}"
	"section.platform{break-before:page;border-top:0}"
	"svg,tr,li,dl,.badge{break-inside:avoid}h2,h3{break-after:avoid}"
	"a{color:#111}"
	".badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"}";

struct html {
	enum render_lang lang;
	struct buf rows;      /* the overview's rows (report) */
	struct buf sections;  /* the platforms' sections */
	int64_t now;          /* the views' "now": when the page was made */
	const char *restore_lang; /* the terminal's language, back after the page */
};

static const char *
word(const struct html *h, enum label l)
{
	(void)h;
	return W(labels[l]);
}

/* Appends s (may be NULL) made safe to show, then HTML-escaped: markup in
 * it is text, controls and bidi overrides are visible escapes. */
static void
html_text(struct buf *b, const char *s)
{
	if (!s)
		return;
	struct buf clean;
	buf_init(&clean);
	text_sanitize_display(&clean, s, strlen(s), TEXT_DISPLAY_LINE);
	for (const char *p = buf_cstr(&clean); *p; p++) {
		switch (*p) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			buf_putc(b, *p);
		}
	}
	buf_finish(&clean);
}

/* The part of a "中文；English" sentence in the page's language (the whole
 * of one without the separator), escaped. */
static void
html_text_lang(struct buf *b, const struct html *h, const char *s)
{
	static const char sep[] = "；";
	const char *at = s ? strstr(s, sep) : NULL;
	if (!at) {
		html_text(b, s);
		return;
	}
	if (h->lang == RENDER_LANG_EN) {
		html_text(b, at + strlen(sep));
		return;
	}
	char *zh = xstrndup(s, (size_t)(at - s));
	html_text(b, zh);
	free(zh);
}

/* True for an absolute http or https URL with a host and nothing a link
 * should not carry (controls, spaces, quotes, angle brackets, backslash). */
static bool
http_url(const char *s)
{
	size_t skip;
	if (!s)
		return false;
	if (!strncasecmp(s, "http://", 7))
		skip = 7;
	else if (!strncasecmp(s, "https://", 8))
		skip = 8;
	else
		return false;
	if (!s[skip] || s[skip] == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || strchr("\"'<>\\`", *p))
			return false;
	return true;
}

/* A link to url showing text (url itself when NULL); only text when url is
 * not http(s). */
static void
html_link(struct buf *b, const char *url, const char *text)
{
	if (!http_url(url)) {
		html_text(b, text ? text : url);
		return;
	}
	buf_puts(b, "<a href=\"");
	html_text(b, url);
	buf_puts(b, "\" rel=\"noopener noreferrer nofollow\">");
	html_text(b, text ? text : url);
	buf_puts(b, "</a>");
}

static void
percent(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "—");
	else
		buf_printf(b, "%.0f%%", v * 100);
}

/* "YYYY-MM-DD HH:MM" in Asia/Shanghai, or the word for never. */
static void
when(struct buf *b, const struct html *h, int64_t t)
{
	char s[17];
	if (!t) {
		buf_puts(b, word(h, L_NEVER));
		return;
	}
	time_format_shanghai(t, s);
	buf_puts(b, s);
}

static void
badge(struct buf *b, const struct html *h, enum verdict v)
{
	buf_printf(b, "<span class=\"badge %s\" data-verdict=\"%s\"><svg viewBox=\"0 0 12 12\" "
		      "aria-hidden=\"true\" focusable=\"false\">%s</svg>%s</span>",
		   verdict_class[v], verdict_key(v), verdict_icon[v], W(verdict_words[v]));
}

static const char *
source_title(const char *name)
{
	int i = name ? registry_find(name) : -1;
	return i >= 0 ? registry[i].short_title : name;
}

static const char *
health_class(enum source_health s)
{
	return s == HEALTH_OK ? "h-ok" : s == HEALTH_DISABLED || s == HEALTH_NEVER ? "h-dim"
										  : "h-bad";
}

static void
score_text(struct buf *b, const struct score_result *r)
{
	if (r->rated)
		buf_printf(b, "%.1f · %s", r->score, r->grade);
	else
		buf_printf(b, "— · %s", r->grade);
}

/* One overview row: the columns of the caption's order. */
static void
overview_row(struct html *h, const struct platform_view *v, size_t index)
{
	struct buf *b = &h->rows;
	const struct score_result *r = &v->score;
	buf_printf(b, "<tr data-verdict=\"%s\" data-score=\"", verdict_key(r->verdict));
	if (r->rated)
		buf_printf(b, "%.1f", r->score);
	bool known = view_complaints_known(v);
	buf_printf(b, "\" data-grade=\"%s\" data-complaints=\"", r->grade);
	if (known)
		buf_printf(b, "%zu", r->total);
	buf_printf(b, "\">\n<th scope=\"row\"><a href=\"#p-%zu\">", index + 1);
	html_text(b, v->platform.name);
	buf_puts(b, "</a>");
	if (v->platform.n_domains) {
		buf_puts(b, "<br><span class=\"small\">");
		for (size_t i = 0; i < v->platform.n_domains; i++) {
			if (i)
				buf_puts(b, " ");
			html_text(b, v->platform.domains[i]);
		}
		buf_puts(b, "</span>");
	}
	buf_printf(b, "</th>\n<td data-label=\"%s\">", word(h, L_VERDICT));
	badge(b, h, r->verdict);
	buf_printf(b, "</td>\n<td data-label=\"%s\" class=\"num\">", word(h, L_SCORE));
	score_text(b, r);
	buf_printf(b, "</td>\n<td data-label=\"%s\">%s</td>\n", word(h, L_CONFIDENCE),
		   W(confidence_words[r->confidence]));
	buf_printf(b, "<td data-label=\"%s\" class=\"num\">", word(h, L_COMPLAINTS));
	if (known)
		buf_printf(b, "%zu", r->total);
	else
		buf_puts(b, word(h, L_UNKNOWN));
	if (r->n_by_source > 1) {
		buf_puts(b, "<span class=\"small\">");
		for (size_t i = 0; i < r->n_by_source; i++) {
			buf_puts(b, "<span class=\"src\">");
			html_text(b, source_title(r->by_source[i].source));
			buf_printf(b, " %zu</span>", r->by_source[i].n);
		}
		buf_puts(b, "</span>");
	}
	if (v->merged) {
		buf_puts(b, "<span class=\"small merged\">");
		buf_printf(b, W(labels[L_MERGED]), v->merged);
		buf_puts(b, "</span>");
	}
	buf_printf(b, "</td>\n<td data-label=\"%s\" class=\"num\">", word(h, L_REPLY));
	percent(b, r->reply_rate);
	buf_printf(b, "</td>\n<td data-label=\"%s\" class=\"num\">", word(h, L_COMPLETION));
	percent(b, r->completion_rate);
	if (known) {
		buf_printf(b, "</td>\n<td data-label=\"%s\"><span class=\"%s\">%s</span>"
			      "<br><span class=\"small\">",
			   word(h, L_TREND), r->trend.level >= TREND_WARNING ? "warn" : "",
			   W(trend_words[r->trend.level]));
		buf_printf(b, W(labels[L_TREND_SHORT]), r->trend.x14, r->trend.c90);
		buf_puts(b, "</span></td>\n");
	} else { /* "stable, 0 in 14 days" would read as good news */
		buf_printf(b, "</td>\n<td data-label=\"%s\">%s</td>\n", word(h, L_TREND),
			   word(h, L_UNKNOWN));
	}
	const struct score_identity *id = &v->input.identity;
	buf_printf(b, "<td data-label=\"%s\">%s", word(h, L_ICP),
		   W(icp_words[id->icp_status]));
	if (id->claim == CLAIM_MISMATCH)
		buf_printf(b, "<br><span class=\"warn\">%s</span>", W(claim_words[id->claim]));
	buf_printf(b, "</td>\n<td data-label=\"%s\" class=\"small\">", word(h, L_FRESHNESS));
	for (size_t i = 0; i < registry_count(); i++) {
		char t[17] = "";
		if (v->have_state[i] && v->state[i].last_success_at) {
			time_format_shanghai(v->state[i].last_success_at, t);
			t[10] = '\0';
		}
		buf_printf(b, "<span class=\"src %s\">%s %s%s%s</span>", health_class(v->health[i]),
			   registry[i].short_title, W(health_words[v->health[i]]),
			   *t ? " " : "", t);
	}
	buf_puts(b, "</td>\n</tr>\n");
}

/* A line's own evidence, as the text shows it: at most EVIDENCE_SHOWN,
 * preferring complaints no earlier line showed (seen); a complaint as its
 * date and its title linked, a page as its link; then how to see the rest. */
static void
evidence_list(struct buf *b, const struct html *h, const struct platform_view *v,
	      const struct score_evidence *ev, size_t n, struct evidence_seen *seen)
{
	if (!n)
		return;
	size_t pick[EVIDENCE_SHOWN];
	size_t shown = evidence_pick(ev, n, EVIDENCE_SHOWN, seen, pick);
	buf_printf(b, "<ul class=\"small\" aria-label=\"%s\">", word(h, L_EVIDENCE));
	for (size_t j = 0; j < shown; j++) {
		const struct score_evidence *e = &ev[pick[j]];
		buf_puts(b, "<li>");
		if (!e->filed_at && !e->title) {
			html_link(b, e->url, NULL);
		} else {
			if (e->filed_at) {
				char day[17];
				time_format_shanghai(e->filed_at, day);
				day[10] = '\0';
				buf_printf(b, "<time datetime=\"%s\">%s</time> ", day, day);
			}
			html_link(b, e->url, e->title && *e->title ? e->title : word(h, L_NO_TITLE));
		}
		buf_puts(b, "</li>");
	}
	if (shown < n) {
		struct buf more;
		buf_init(&more);
		buf_printf(&more, W(labels[L_MORE]), n - shown, v->platform.name);
		buf_puts(b, "<li>");
		html_text(b, buf_cstr(&more));
		buf_puts(b, "</li>");
		buf_finish(&more);
	}
	buf_puts(b, "</ul>\n");
}

/* The deductions as one bar of 100: what is left, then each component. */
static void
deductions_bar(struct buf *b, const struct html *h, const struct platform_view *v,
	       size_t index, struct evidence_seen *seen)
{
	const struct score_result *r = &v->score;
	double shown[COMP_COUNT], sum = 0;
	for (int k = 0; k < COMP_COUNT; k++) {
		shown[k] = deduction_shown(r, k) ? r->deductions[k].points : 0;
		sum += shown[k];
	}
	double scale = sum > 100 ? 100 / sum : 1;
	double left = 100 - sum * scale;
	buf_printf(b, "<h3>%s</h3>\n", word(h, r->rated ? L_DEDUCTIONS : L_DEDUCTIONS_NR));
	buf_puts(b, "<svg class=\"bar\" role=\"img\" aria-labelledby=\"");
	buf_printf(b, "d-%zu\"><title id=\"d-%zu\">", index, index);
	if (r->rated)
		buf_printf(b, "%s %.1f", word(h, L_SCORE_LEFT), r->score);
	else
		buf_puts(b, word(h, L_NOT_RATED_LEFT));
	for (int k = 0; k < COMP_COUNT; k++)
		if (shown[k] > 0)
			buf_printf(b, "; %s −%.1f", W(component_words[k]), shown[k]);
	buf_puts(b, "</title>\n");
	double x = 0;
	buf_printf(b, "<rect x=\"0%%\" y=\"0\" width=\"%.2f%%\" height=\"100%%\" fill=\"%s\">"
		      "<title>",
		   left, r->rated ? "#15803d" : "#9ca3af");
	if (r->rated)
		buf_printf(b, "%s %.1f", word(h, L_SCORE_LEFT), r->score);
	else
		buf_puts(b, word(h, L_NOT_RATED_LEFT));
	buf_puts(b, "</title></rect>");
	if (left >= 14) {
		buf_puts(b, "<text x=\"6\" y=\"50%\">");
		if (r->rated)
			buf_printf(b, "%s %.1f", word(h, L_SCORE_LEFT), r->score);
		else
			buf_puts(b, word(h, L_NOT_RATED_LEFT));
		buf_puts(b, "</text>");
	}
	x = left;
	for (int k = 0; k < COMP_COUNT; k++) {
		if (shown[k] <= 0)
			continue;
		double w = shown[k] * scale;
		buf_printf(b, "\n<rect x=\"%.2f%%\" y=\"0\" width=\"%.2f%%\" height=\"100%%\" "
			      "fill=\"%s\" stroke=\"#fff\" data-component=\"%s\" "
			      "data-points=\"%.1f\"><title>%s −%.1f</title></rect>",
			   x, w, component_colour[k], r->deductions[k].component, shown[k],
			   W(component_words[k]), shown[k]);
		if (w >= 12)
			buf_printf(b, "<text x=\"%.2f%%\" dx=\"4\" y=\"50%%\">%s −%.1f</text>", x,
				   W(component_words[k]), shown[k]);
		x += w;
	}
	buf_puts(b, "\n</svg>\n<ul class=\"legend\">");
	buf_printf(b, "<li><span class=\"sw\" style=\"background:%s\"></span>",
		   r->rated ? "#15803d" : "#9ca3af");
	if (r->rated)
		buf_printf(b, "%s %.1f</li>", word(h, L_SCORE_LEFT), r->score);
	else
		buf_printf(b, "%s</li>", word(h, L_NOT_RATED_LEFT));
	for (int k = 0; k < COMP_COUNT; k++)
		if (shown[k] > 0)
			buf_printf(b, "<li><span class=\"sw\" style=\"background:%s\"></span>"
				      "%s −%.1f</li>",
				   component_colour[k], W(component_words[k]), shown[k]);
	buf_puts(b, "</ul>\n");
	if (sum <= 0) {
		buf_printf(b, "<p>%s</p>\n", word(h, L_NO_DEDUCTION));
		return;
	}
	buf_puts(b, "<ul>\n");
	for (int k = 0; k < COMP_COUNT; k++) {
		if (shown[k] <= 0)
			continue;
		buf_printf(b, "<li><strong>%s −%.1f</strong> ", W(component_words[k]),
			   shown[k]);
		html_text_lang(b, h, r->deductions[k].reason);
		evidence_list(b, h, v, r->deductions[k].evidence, r->deductions[k].n_evidence,
			      seen);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

static const char *
category_word(const struct html *h, int cat)
{
	(void)h;
	return W(category_en[cat]);
}

/* The top of the count axis: the smallest of 2, 4, 6, 8, 10 x 10^k at or
 * above n, so that its half is a whole number too. */
static int
nice_max(int n)
{
	for (int scale = 1;; scale *= 10)
		for (int step = 2; step <= 10; step += 2)
			if (n <= step * scale)
				return step * scale;
}

/* Complaints per month over the scoring window, stacked by category, with
 * its numbers in <title>s and a visually hidden table. */
static void
monthly_chart(struct buf *b, const struct html *h, const struct platform_view *v,
	      const struct config *cfg, size_t index)
{
	const struct score_result *r = &v->score;
	size_t n = v->n_window_months;
	int max = 0, total = 0, used[CAT_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		int t = 0;
		for (int k = 0; k < CAT_COUNT; k++) {
			t += v->window_months[i].by_category[k];
			used[k] += v->window_months[i].by_category[k];
		}
		total += t;
		if (t > max)
			max = t;
	}
	int top = nice_max(max);
	const double W = 900, H = 240, L = 40, R = 8, T = 12, B = 46;
	double plot_w = W - L - R, plot_h = H - T - B;
	double slot = n ? plot_w / (double)n : plot_w, bar = slot * 0.72;

	buf_printf(b, "<h3>%s</h3>\n<p class=\"small\">", word(h, L_MONTHLY));
	if (view_complaints_known(v))
		buf_printf(b, W(labels[L_WINDOW]), r->total, cfg->score.window_days);
	else
		buf_printf(b, W(labels[L_WINDOW_UNKNOWN]), cfg->score.window_days);
	buf_puts(b, "</p>\n<figure class=\"chart\" style=\"margin:0\">");
	buf_printf(b, "<svg class=\"months\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		      "aria-labelledby=\"m-%zu-t m-%zu-d\" data-total=\"%d\">\n",
		   W, H, index, index, total);
	buf_printf(b, "<title id=\"m-%zu-t\">%s</title>\n<desc id=\"m-%zu-d\">", index,
		   word(h, L_MONTHLY_DESC), index);
	if (n)
		buf_printf(b, "%04d-%02u – %04d-%02u: %d. ", v->window_months[0].year,
			   v->window_months[0].month, v->window_months[n - 1].year,
			   v->window_months[n - 1].month, total);
	for (int k = 0; k < CAT_COUNT; k++)
		if (used[k])
			buf_printf(b, "%s %d; ", category_word(h, k), used[k]);
	buf_puts(b, "</desc>\n");
	/* Grid and y axis: 0, half, top. */
	for (int g = 0; g <= 2; g++) {
		double y = T + plot_h - plot_h * g / 2.0;
		buf_printf(b, "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
			   g ? "grid" : "axis", L, W - R, y, y, L - 5, y + 4, top * g / 2.0);
	}
	buf_printf(b, "<text x=\"4\" y=\"%.1f\" transform=\"rotate(-90 10 %.1f)\" "
		      "text-anchor=\"middle\">%s</text>\n",
		   T + plot_h / 2, T + plot_h / 2, word(h, L_COUNT_AXIS));
	size_t every = n > 8 ? (n + 7) / 8 : 1;
	for (size_t i = 0; i < n; i++) {
		const struct month_count *m = &v->window_months[i];
		double x = L + slot * (double)i + (slot - bar) / 2;
		int t = 0;
		for (int k = 0; k < CAT_COUNT; k++)
			t += m->by_category[k];
		buf_printf(b, "<g data-month=\"%04d-%02u\" data-total=\"%d\"><title>%04d-%02u: %d",
			   m->year, m->month, t, m->year, m->month, t);
		for (int k = 0, first = 1; k < CAT_COUNT; k++) {
			if (!m->by_category[k])
				continue;
			buf_printf(b, "%s%s %d", first ? " (" : ", ", category_word(h, k),
				   m->by_category[k]);
			first = 0;
		}
		buf_puts(b, t ? ")</title>" : "</title>");
		double y = T + plot_h;
		for (int k = 0; k < CAT_COUNT; k++) {
			int c = m->by_category[k];
			if (!c)
				continue;
			double hgt = plot_h * c / top;
			y -= hgt;
			buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				      "fill=\"%s\" data-category=\"%s\" data-n=\"%d\">"
				      "<title>%04d-%02u %s: %d</title></rect>",
				   x, y, bar, hgt, category_colour[k], category_key((enum category)k),
				   c, m->year, m->month, category_word(h, k), c);
		}
		buf_puts(b, "</g>\n");
		if (i % every == 0)
			buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
				      "%04d-%02u</text>\n",
				   L + slot * (double)i + slot / 2, T + plot_h + 15, m->year, m->month);
	}
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
		   L + plot_w / 2, H - 6, word(h, L_MONTH_AXIS));
	buf_puts(b, "</svg>\n<figcaption><ul class=\"legend\">");
	for (int k = 0; k < CAT_COUNT; k++)
		if (used[k])
			buf_printf(b, "<li><span class=\"sw\" style=\"background:%s\"></span>%s %d</li>",
				   category_colour[k], category_word(h, k), used[k]);
	if (!total)
		buf_printf(b, "<li>%s</li>", word(h, L_NO_COMPLAINTS));
	buf_puts(b, "</ul></figcaption></figure>\n");

	/* The same numbers for screen readers. */
	buf_printf(b, "<div class=\"sr-only\"><table><caption>%s</caption><thead><tr>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		   word(h, L_MONTHLY), word(h, L_MONTH), word(h, L_TOTAL));
	for (int k = 0; k < CAT_COUNT; k++)
		if (used[k])
			buf_printf(b, "<th scope=\"col\">%s</th>", category_word(h, k));
	buf_puts(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct month_count *m = &v->window_months[i];
		int t = 0;
		for (int k = 0; k < CAT_COUNT; k++)
			t += m->by_category[k];
		if (!t)
			continue;
		buf_printf(b, "<tr><th scope=\"row\">%04d-%02u</th><td>%d</td>", m->year, m->month,
			   t);
		for (int k = 0; k < CAT_COUNT; k++)
			if (used[k])
				buf_printf(b, "<td>%d</td>", m->by_category[k]);
		buf_puts(b, "</tr>");
	}
	buf_puts(b, "</tbody></table></div>\n");
}

/* A rate and its 95% lower bound: text, then a bar (bound dark, rate light). */
static void
rate_line(struct buf *b, const struct html *h, enum label what, double rate, double lo)
{
	buf_printf(b, "<li>%s <strong>", word(h, what));
	percent(b, rate);
	buf_printf(b, "</strong> (%s ≥ ", word(h, L_LOWER));
	percent(b, lo);
	buf_puts(b, ")");
	if (!isnan(rate)) {
		buf_printf(b, "<svg class=\"rate\" aria-hidden=\"true\" focusable=\"false\">"
			      "<rect width=\"100%%\" height=\"100%%\" fill=\"#e5e7eb\"/>"
			      "<rect width=\"%.1f%%\" height=\"100%%\" fill=\"#93c5fd\"/>"
			      "<rect width=\"%.1f%%\" height=\"100%%\" fill=\"#1d4ed8\"/></svg>",
			   rate * 100, isnan(lo) ? 0 : lo * 100);
	}
	buf_puts(b, "</li>\n");
}

static void
identity_part(struct buf *b, const struct html *h, const struct platform_view *v)
{
	const struct score_identity *id = &v->input.identity;
	const struct icp_record *f = v->filing;
	buf_printf(b, "<h3>%s</h3>\n<dl>\n<dt>%s</dt><dd>%s</dd>\n", word(h, L_ICP),
		   word(h, L_ICP_STATUS), W(icp_words[id->icp_status]));
	if (f) {
		buf_printf(b, "<dt>%s</dt><dd>", word(h, L_UNIT));
		html_text(b, f->unit_name);
		buf_printf(b, "</dd>\n<dt>%s</dt><dd>", word(h, L_NATURE));
		html_text(b, f->nature_name);
		buf_printf(b, "</dd>\n<dt>%s</dt><dd>", word(h, L_LICENCE));
		html_text(b, f->service_licence ? f->service_licence : f->main_licence);
		buf_printf(b, "</dd>\n<dt>%s</dt><dd>", word(h, L_UPDATED));
		html_text(b, f->update_record_time);
		buf_puts(b, "</dd>\n");
	}
	if (v->n_icp) {
		buf_printf(b, "<dt>%s</dt><dd><ul class=\"plain\">", word(h, L_DOMAIN_STATE));
		for (size_t i = 0; i < v->n_icp; i++) {
			const struct icp_domain_view *dv = &v->icp[i];
			buf_puts(b, "<li>");
			html_text(b, dv->domain);
			buf_puts(b, ": ");
			const char *st = dv->queried ? dv->cur.state : "unknown";
			enum icp_status s = !strcmp(st, "filed")       ? ICP_STATUS_FILED
					    : !strcmp(st, "not_filed") ? ICP_STATUS_NOT_FILED
								   : ICP_STATUS_UNKNOWN;
			buf_puts(b, W(icp_words[s]));
			if (dv->queried && dv->cur.was_filed_before)
				buf_printf(b, " <span class=\"warn\">%s</span>", word(h, L_NO_LONGER));
			buf_puts(b, "</li>");
		}
		buf_puts(b, "</ul></dd>\n");
	}
	buf_printf(b, "<dt>%s</dt><dd><span class=\"%s\">%s</span>", word(h, L_CLAIM),
		   id->claim == CLAIM_MISMATCH ? "warn" : "", W(claim_words[id->claim]));
	if (v->have_site && v->site.icp_raw) {
		buf_puts(b, " (");
		html_text(b, v->site.icp_raw);
		buf_puts(b, ")");
	}
	if (v->claim_detail) {
		buf_puts(b, " — ");
		html_text(b, v->claim_detail);
	}
	if (v->home_url) {
		buf_printf(b, " · %s: ", word(h, L_HOME_PAGE));
		html_link(b, v->home_url, NULL);
	}
	buf_puts(b, "</dd>\n</dl>\n");
}

static void
sources_part(struct buf *b, const struct html *h, const struct platform_view *v)
{
	buf_printf(b, "<div class=\"tw\"><table class=\"sources\"><caption>%s</caption>\n"
		      "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		   word(h, L_SOURCES), word(h, L_SOURCE), word(h, L_STATE), word(h, L_LAST_SUCCESS),
		   word(h, L_LAST_ATTEMPT), word(h, L_ERROR));
	for (size_t i = 0; i < registry_count(); i++) {
		const struct fetch_state *f = v->have_state[i] ? &v->state[i] : NULL;
		buf_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"%s\">%s</td><td>",
			   registry[i].title, health_class(v->health[i]),
			   W(health_words[v->health[i]]));
		when(b, h, f ? f->last_success_at : 0);
		buf_puts(b, "</td><td>");
		when(b, h, f ? f->last_attempt_at : 0);
		buf_puts(b, "</td><td>");
		if (f && source_health_failing(v->health[i]))
			html_text(b, f->last_error);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table></div>\n");
}

/* The text output's list: the platform, the complaint sites, 12315, police. */
static void
where_part(struct buf *b, const struct html *h, const struct platform_view *v)
{
	buf_printf(b, "<h3>%s</h3>\n<ol>\n", word(h, L_WHERE));
	if (v->platform.n_domains) {
		char *url = xasprintf("https://%s/", v->platform.domains[0]);
		buf_printf(b, "<li>%s: ", word(h, L_OWN_SUPPORT));
		html_link(b, url, NULL);
		buf_puts(b, "</li>\n");
		free(url);
	} else {
		buf_printf(b, "<li>%s</li>\n", word(h, L_OWN_SUPPORT_FIRST));
	}
	for (size_t i = 0; i < registry_count(); i++) {
		if (registry[i].kind != SOURCE_COMPLAINTS || !registry[i].complain_url)
			continue;
		buf_printf(b, "<li>%s: ", registry[i].title);
		html_link(b, registry[i].complain_url, NULL);
		for (size_t m = 0; m < v->n_merchants; m++) {
			if (v->merchant_source[m] != (int)i)
				continue;
			buf_printf(b, " (%s ", word(h, L_MERCHANT));
			html_text(b, v->merchants[m].name ? v->merchants[m].name
							  : v->merchants[m].merchant_id);
			buf_puts(b, ")");
			break;
		}
		buf_puts(b, "</li>\n");
	}
	if (complain_payment_route(v))
		buf_printf(b, "<li>%s</li>\n<li>%s</li>\n", word(h, L_ALIPAY), word(h, L_WECHAT));
	buf_puts(b, "<li>12315: <a href=\"https://www.12315.cn/\" rel=\"noopener noreferrer\">"
		    "https://www.12315.cn/</a> — ");
	if (v->filing && v->filing->unit_name) {
		buf_printf(b, "%s: ", word(h, L_OPERATOR));
		html_text(b, v->filing->unit_name);
		const char *lic = v->filing->service_licence ? v->filing->service_licence
							     : v->filing->main_licence;
		if (lic) {
			buf_puts(b, " (");
			html_text(b, lic);
			buf_puts(b, ")");
		}
	} else {
		buf_puts(b, word(h, L_OPERATOR_UNKNOWN));
	}
	buf_puts(b, "</li>\n");
	if (complain_miit_route(v)) {
		buf_printf(b, "<li>%s: ", word(h, L_MIIT));
		html_link(b, MIIT_BEIAN_URL, NULL);
		buf_puts(b, "</li>\n");
	}
	buf_printf(b, "<li>%s / <a href=\"https://cyberpolice.mps.gov.cn/\" "
		      "rel=\"noopener noreferrer\">https://cyberpolice.mps.gov.cn/</a></li>\n</ol>\n",
		   word(h, L_FRAUD));
}

/* One platform in full. */
static void
platform_section(struct html *h, const struct platform_view *v, const struct config *cfg,
		 size_t index)
{
	struct buf *b = &h->sections;
	const struct score_result *r = &v->score;
	struct evidence_seen seen = {0};
	buf_printf(b, "<section class=\"platform\" id=\"p-%zu\" aria-labelledby=\"p-%zu-h\" "
		      "data-verdict=\"%s\">\n<h2 id=\"p-%zu-h\">",
		   index + 1, index + 1, verdict_key(r->verdict), index + 1);
	html_text(b, v->platform.name);
	buf_puts(b, " ");
	badge(b, h, r->verdict);
	buf_puts(b, "</h2>\n<p class=\"meta\">");
	buf_printf(b, "%s <strong>", word(h, L_SCORE));
	score_text(b, r);
	buf_printf(b, "</strong> · %s %s", word(h, L_CONFIDENCE),
		   W(confidence_words[r->confidence]));
	if (v->platform.n_domains) {
		buf_printf(b, " · %s:", word(h, L_DOMAINS));
		for (size_t i = 0; i < v->platform.n_domains; i++) {
			buf_puts(b, " ");
			html_text(b, v->platform.domains[i]);
		}
	}
	buf_puts(b, "</p>\n");
	if (r->verdict_reason) {
		buf_puts(b, "<p>");
		html_text_lang(b, h, r->verdict_reason);
		buf_puts(b, "</p>\n");
	}
	for (size_t m = 0; m < v->n_merchants;) {
		int src = v->merchant_source[m];
		size_t n = 0;
		while (m + n < v->n_merchants && v->merchant_source[m + n] == src)
			n++;
		buf_printf(b, "<p class=\"small\">%s %s:", registry[src].short_title,
			   word(h, L_MERCHANTS));
		for (size_t i = m; i < m + n; i++) {
			buf_puts(b, i > m ? ", " : " ");
			html_text(b, v->merchants[i].name ? v->merchants[i].name : "?");
			buf_puts(b, " (");
			html_text(b, v->merchants[i].merchant_id);
			if (v->merchants[i].pinned)
				buf_printf(b, ", %s", word(h, L_PINNED));
			buf_puts(b, ")");
		}
		if (n > 1)
			buf_printf(b, " — %s", word(h, L_SEVERAL));
		buf_puts(b, "</p>\n");
		m += n;
	}

	if (r->n_gates) {
		buf_printf(b, "<h3 class=\"warn\">%s</h3>\n<ul>\n", word(h, L_GATES));
		for (size_t g = 0; g < r->n_gates; g++) {
			const char *name = r->gates[g].gate;
			for (size_t k = 0; k < sizeof(gate_words) / sizeof(gate_words[0]); k++)
				if (!strcmp(gate_words[k].gate, r->gates[g].gate))
					name = W(gate_words[k].words);
			buf_printf(b, "<li data-gate=\"%s\"><strong>✗ %s</strong>: ", r->gates[g].gate,
				   name);
			html_text_lang(b, h, r->gates[g].reason);
			evidence_list(b, h, v, r->gates[g].evidence, r->gates[g].n_evidence, &seen);
			buf_puts(b, "</li>\n");
		}
		buf_puts(b, "</ul>\n");
	}
	deductions_bar(b, h, v, index + 1, &seen);
	monthly_chart(b, h, v, cfg, index + 1);

	buf_printf(b, "<h3>%s</h3>\n<p class=\"small\">", word(h, L_RATES));
	if (view_complaints_known(v))
		buf_printf(b, W(labels[L_STATUS_LINE]), r->by_status[STATUS_UNANSWERED],
			   r->by_status[STATUS_ANSWERED], r->by_status[STATUS_RESOLVED],
			   r->by_status[STATUS_CLOSED], r->by_status[STATUS_UNKNOWN]);
	else
		buf_puts(b, word(h, L_UNKNOWN));
	buf_puts(b, "</p>\n<ul class=\"plain\">\n");
	rate_line(b, h, L_REPLY, r->reply_rate, r->reply_wilson_lo);
	rate_line(b, h, L_COMPLETION, r->completion_rate, r->completion_wilson_lo);
	if (!isnan(r->median_reply_hours))
		buf_printf(b, "<li>%s %.1f %s</li>\n", word(h, L_MEDIAN_REPLY), r->median_reply_hours,
			   word(h, L_HOURS));
	buf_puts(b, "</ul>\n");

	buf_printf(b, "<h3>%s</h3>\n<p>%s: <strong>%d</strong> vs <strong>%d</strong> "
		      "(p = %.3g) · %s: <span class=\"%s\">%s</span></p>\n",
		   word(h, L_TREND), word(h, L_TREND_LINE), r->trend.x14, r->trend.c90, r->trend.p,
		   word(h, L_TREND_LEVEL), r->trend.level >= TREND_WARNING ? "warn" : "",
		   W(trend_words[r->trend.level]));

	identity_part(b, h, v);
	buf_printf(b, "<h3>%s</h3>\n", word(h, L_FRESHNESS));
	sources_part(b, h, v);
	where_part(b, h, v);
	buf_printf(b, "<p class=\"small\">%s: %s · %s ", word(h, L_FORMULA), FORMULA_ID,
		   word(h, L_GENERATED));
	when(b, h, v->now);
	buf_printf(b, " (%s)</p>\n</section>\n", word(h, L_ASIA_SHANGHAI));
}

static int
html_begin(struct render_ctx *ctx)
{
	struct html *h = xcalloc(1, sizeof(*h));
	h->lang = ctx->lang == RENDER_LANG_EN ? RENDER_LANG_EN : RENDER_LANG_ZH;
	/* The page has its own language (Chinese unless --lang en), whatever
	 * the terminal's: the catalogue answers in it until html_end. */
	char err[ERRBUF_SIZE];
	h->restore_lang = i18n_current();
	i18n_init(h->lang == RENDER_LANG_EN ? "en" : "zh", err);
	buf_init(&h->rows);
	buf_init(&h->sections);
	ctx->state = h;
	return 0;
}

static int
html_platform(struct render_ctx *ctx, const struct platform_view *v)
{
	struct html *h = ctx->state;
	h->now = v->now;
	if (ctx->view == RENDER_REPORT)
		overview_row(h, v, ctx->platforms);
	platform_section(h, v, ctx->cfg, ctx->platforms);
	return 0;
}

/* The page, written in one piece now that every platform is known. */
static int
html_end(struct render_ctx *ctx)
{
	struct html *h = ctx->state;
	struct buf b;
	buf_init(&b);
	bool report = ctx->view == RENDER_REPORT;
	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		       "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
		       "form-action 'none'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
		       "<meta name=\"generator\" content=\"kmrep\">\n<title>kmrep: ",
		   h->lang == RENDER_LANG_EN ? "en" : "zh-CN");
	buf_puts(&b, word(h, report ? L_TITLE_REPORT : L_TITLE_CHECK));
	buf_printf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>%s</h1>\n"
		       "<p class=\"meta\">%s ",
		   css, word(h, report ? L_TITLE_REPORT : L_TITLE_CHECK),
		   h->now ? word(h, L_GENERATED) : "");
	if (h->now) {
		when(&b, h, h->now);
		buf_printf(&b, " (%s) ", word(h, L_ASIA_SHANGHAI));
	}
	buf_printf(&b, "· %s %s</p>\n</header>\n<main>\n", word(h, L_FORMULA), FORMULA_ID);
	if (report) {
		buf_printf(&b, "<section id=\"overview\" aria-labelledby=\"overview-h\">\n"
			       "<h2 id=\"overview-h\">%s</h2>\n<p class=\"order\">%s</p>\n",
			   word(h, L_OVERVIEW), word(h, L_ORDER));
		if (!ctx->platforms) {
			buf_printf(&b, "<p>%s</p>\n", word(h, L_NONE_TRACKED));
		} else {
			buf_printf(&b, "<div class=\"tw\"><table class=\"overview\">\n<caption>%s "
				       "(%zu) — %s</caption>\n<thead><tr>",
				   word(h, L_OVERVIEW), ctx->platforms, word(h, L_RISKIEST));
			static const enum label cols[] = {
				L_PLATFORM, L_VERDICT, L_SCORE, L_CONFIDENCE, L_COMPLAINTS, L_REPLY,
				L_COMPLETION, L_TREND, L_ICP, L_FRESHNESS,
			};
			for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
				buf_printf(&b, "<th scope=\"col\">%s</th>", word(h, cols[i]));
			buf_printf(&b, "</tr></thead>\n<tbody>\n%s</tbody>\n</table></div>\n",
				   buf_cstr(&h->rows));
		}
		buf_puts(&b, "</section>\n");
	}
	buf_append(&b, h->sections.data ? h->sections.data : "", h->sections.len);
	buf_printf(&b, "</main>\n<footer><p>kmrep · %s %s · %s</p></footer>\n</body>\n</html>\n",
		   word(h, L_FORMULA), FORMULA_ID, word(h, L_ASIA_SHANGHAI));
	size_t wrote = fwrite(b.data, 1, b.len, ctx->out);
	int rc = wrote == b.len ? render_flush(ctx) : -1;
	buf_finish(&b);
	buf_finish(&h->rows);
	buf_finish(&h->sections);
	char err[ERRBUF_SIZE];
	i18n_init(h->restore_lang, err);
	free(h);
	ctx->state = NULL;
	return rc;
}

const struct renderer render_html = {
	.name = "html",
	.views = RENDER_CHECK | RENDER_REPORT,
	.begin = html_begin,
	.platform = html_platform,
	.end = html_end,
};
