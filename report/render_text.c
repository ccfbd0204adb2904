/* text: check's verdict for a buyer at a terminal, colours optional. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "failure.h"
#include "i18n.h"
#include "parse/category.h"
#include "parse/icp.h"
#include "render.h"
#include "text.h"
#include "timeutil.h"
#include "words.h"
#include "xalloc.h"

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

/* The width text output fits in: a terminal's default. */
#define TEXT_COLUMNS 80

static size_t
utf8_char_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (!p[i])
			return i;
	return n;
}

/* The marks value_shown puts around text from a site or a user; never in
 * text_shown's output, which escapes every C0 control. */
#define VALUE_OPEN '\001'
#define VALUE_CLOSE '\002'

/* s escaped (text_shown) for wrap_text, which breaks it only at its spaces,
 * so a name or a number is never cut in two; owned by the pool. */
static const char *
value_shown(struct text_pool *pool, const char *s)
{
	const char *shown = text_shown(pool, s);
	pool->v = xgrow(pool->v, &pool->cap, pool->n + 1, sizeof(*pool->v));
	pool->v[pool->n] = xasprintf("%c%s%c", VALUE_OPEN, shown ? shown : "", VALUE_CLOSE);
	return pool->v[pool->n++];
}

/* Writes s[0..len) without the value marks. */
static void
put_span(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != VALUE_OPEN && s[i] != VALUE_CLOSE)
			fputc(s[i], out);
}

/* Display columns of s[0..len), by text_display_width (2 for Chinese). */
static size_t
span_columns(const char *s, size_t len)
{
	char *copy = xstrndup(s, len);
	char *to = copy;
	for (const char *from = copy; *from; from++)
		if (*from != VALUE_OPEN && *from != VALUE_CLOSE)
			*to++ = *from;
	*to = '\0';
	size_t w = text_display_width(copy);
	free(copy);
	return w;
}

/* Punctuation a line must not start with. */
static bool
no_line_start(const char *p)
{
	static const char *const marks[] = {"，", "。", "、", "；", "：", "）", "！", "？", "%",
					    ")", ",", ".", ";", ":", "!", "?"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (!strncmp(p, marks[i], strlen(marks[i])))
			return true;
	return false;
}

/* Writes text, which starts at column col, wrapped at TEXT_COLUMNS display
 * columns onto lines indented by hang spaces, and a newline.  A line breaks
 * after a space or between two Chinese (wide) characters, never before
 * closing punctuation or after an opening bracket, and inside a value_shown value only at a space; a
 * word longer than a line (a URL) is left whole. */
static void
wrap_text(FILE *out, size_t col, size_t hang, const char *text)
{
	const char *line = text, *brk = NULL;
	size_t w = col;
	bool prev_wide = false, prev_space = false, prev_open = false, in_value = false;
	for (const char *p = text; *p;) {
		if (*p == VALUE_OPEN || *p == VALUE_CLOSE) {
			in_value = *p++ == VALUE_OPEN;
			continue;
		}
		size_t n = utf8_char_len(p);
		size_t cw = span_columns(p, n);
		bool wide = cw > 1, space = *p == ' ';
		if (p > line && !space &&
		    (prev_space ||
		     (!in_value && wide && prev_wide && !prev_open && !no_line_start(p))))
			brk = p;
		if (w + cw > TEXT_COLUMNS && !space && brk) {
			const char *end = brk;
			while (end > line && (end[-1] == ' ' || end[-1] == VALUE_OPEN ||
					      end[-1] == VALUE_CLOSE))
				end--;
			put_span(out, line, (size_t)(end - line));
			fprintf(out, "\n%*s", (int)hang, "");
			line = brk;
			w = hang + span_columns(line, (size_t)(p - line));
			brk = NULL;
		}
		w += cw;
		prev_wide = wide;
		prev_space = space;
		prev_open = !strncmp(p, "（", n) || !strncmp(p, "“", n);
		p += n;
	}
	put_span(out, line, strlen(line));
	fputc('\n', out);
}

/* wrap_text of a printf format. */
static void __attribute__((format(printf, 4, 5)))
wrap_printf(FILE *out, size_t col, size_t hang, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text)
		wrap_text(out, col, hang, text);
	free(text);
}

/* s padded with spaces to columns display columns. */
static void
print_padded(FILE *out, const char *s, size_t columns)
{
	size_t w = text_display_width(s);
	fputs(s, out);
	for (; w < columns; w++)
		fputc(' ', out);
}

static const char *
time_words(int64_t t, char s[17])
{
	if (!t)
		return _("never");
	time_format_shanghai(t, s);
	return s;
}

/* s cut to at most cols display columns, ending in "…" when cut; s itself
 * when it fits, else a copy owned by the pool. */
static const char *
cut_to_columns(struct text_pool *pool, const char *s, size_t cols)
{
	if (text_display_width(s) <= cols)
		return s;
	size_t ellipsis = text_display_width("…");
	size_t len = text_fit_columns(s, cols > ellipsis ? cols - ellipsis : 0, NULL);
	while (len && s[len - 1] == ' ')
		len--;
	pool->v = xgrow(pool->v, &pool->cap, pool->n + 1, sizeof(*pool->v));
	pool->v[pool->n] = xasprintf("%.*s…", (int)len, s);
	return pool->v[pool->n++];
}

/* name as one shell word: bare when it holds only letters, digits, . _ -
 * and non-ASCII text, else in single quotes; owned by the pool. */
static const char *
shell_word(struct text_pool *pool, const char *name)
{
	bool bare = *name != '\0' && *name != '-';
	for (const unsigned char *p = (const unsigned char *)name; *p && bare; p++)
		bare = *p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		       (*p >= 'A' && *p <= 'Z') || *p == '.' || *p == '_' || *p == '-';
	struct buf b;
	buf_init(&b);
	if (bare) {
		buf_puts(&b, name);
	} else {
		buf_puts(&b, "'");
		for (const char *p = name; *p; p++)
			if (*p == '\'')
				buf_puts(&b, "'\\''");
			else
				buf_printf(&b, "%c", *p);
		buf_puts(&b, "'");
	}
	const char *shown = text_shown(pool, buf_cstr(&b));
	pool->v = xgrow(pool->v, &pool->cap, pool->n + 1, sizeof(*pool->v));
	pool->v[pool->n] = xstrdup(shown);
	buf_finish(&b);
	return pool->v[pool->n++];
}

/* Where a line's evidence starts, and its links. */
#define EVIDENCE_INDENT 8
#define EVIDENCE_LINK_INDENT 10

/* A line's own evidence: at most EVIDENCE_SHOWN of it (every one with
 * --explain), preferring complaints no earlier line showed (seen); each
 * complaint as its date (Asia/Shanghai) and title, cut to the width, above
 * its whole link; a page as its link alone; then how to see the rest. */
static void
print_evidence(FILE *out, const struct palette *pal, struct text_pool *pool,
	       const struct platform_view *v, const struct score_evidence *ev, size_t n,
	       bool explain, struct evidence_seen *seen)
{
	size_t pick[EVIDENCE_SHOWN];
	size_t shown = explain ? n : evidence_pick(ev, n, EVIDENCE_SHOWN, seen, pick);
	for (size_t j = 0; j < shown; j++) {
		const struct score_evidence *e = &ev[explain ? j : pick[j]];
		const char *url = text_shown(pool, e->url);
		if (!e->filed_at && !e->title) {
			fprintf(out, "%*s%s%s%s\n", EVIDENCE_INDENT, "", pal->dim, url, pal->reset);
			continue;
		}
		char day[17] = "";
		if (e->filed_at) {
			time_format_shanghai(e->filed_at, day);
			day[10] = '\0';
		}
		const char *title = e->title && *e->title ? text_shown(pool, e->title)
							  : _("(no title)");
		size_t room = TEXT_COLUMNS - EVIDENCE_INDENT - (*day ? 12 : 0);
		fprintf(out, "%*s%s%s%s\n", EVIDENCE_INDENT, "", day, *day ? "  " : "",
			cut_to_columns(pool, title, room));
		fprintf(out, "%*s%s%s%s\n", EVIDENCE_LINK_INDENT, "", pal->dim, url, pal->reset);
	}
	if (shown < n) {
		fprintf(out, "%*s", EVIDENCE_INDENT, "");
		wrap_printf(out, EVIDENCE_INDENT, EVIDENCE_LINK_INDENT,
			    /* TRANSLATORS: under a line's evidence; %s is the platform's
			       name as a shell word. */
			    ngettext("+%zu more: kmrep complaints %s",
				     "+%zu more: kmrep complaints %s", n - shown),
			    n - shown, value_shown(pool, shell_word(pool, v->platform.name)));
	}
}

/* Where the window's complaints came from, when more than one site told,
 * and the stories posted on two sites (counted once, both links shown). */
static void
print_by_source(FILE *out, const struct platform_view *v, const struct palette *pal,
		struct text_pool *pool)
{
	const struct score_result *r = &v->score;
	if (r->n_by_source < 2 && !v->merged)
		return;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, _("  by source: "));
	for (size_t i = 0; i < r->n_by_source; i++) {
		int at = registry_find(r->by_source[i].source);
		buf_printf(&b, "%s%s %zu", i ? _(", ") : "",
			   at >= 0 ? registry[at].short_title : r->by_source[i].source,
			   r->by_source[i].n);
	}
	if (v->merged)
		buf_printf(&b, ngettext("; %zu story posted on two sites, counted once",
					"; %zu stories posted on two sites, counted once", v->merged),
			   v->merged);
	wrap_text(out, 0, 4, buf_cstr(&b));
	buf_finish(&b);
	size_t shown = 0;
	for (size_t i = 0; i < v->input.n && shown < 3; i++) {
		const struct score_complaint *c = &v->input.complaints[i];
		if (!c->also_url || !c->url)
			continue;
		/* The pair on two lines: each link whole (clickable) within 80
		 * columns as far as a link allows. */
		fprintf(out, "        %s%s\n          = %s%s\n", pal->dim, text_shown(pool, c->url),
			text_shown(pool, c->also_url), pal->reset);
		shown++;
	}
}

static void
buf_percent(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "-");
	else
		buf_printf(b, "%.0f%%", v * 100);
}

/* The buyer's words for the verdict, the confidence, a trend level, a
 * source's state, a gate: never the enum keys of JSON and CSV. */
static const char *
verdict_words(enum verdict v)
{
	switch (v) {
	case VERDICT_RECOMMEND:
		return _("recommended");
	case VERDICT_CAUTION:
		return _("caution");
	case VERDICT_AVOID:
		return _("avoid");
	default:
		return _("not rated");
	}
}

static const char *
confidence_words(enum confidence c)
{
	switch (c) {
	case CONFIDENCE_HIGH:
		return _("high confidence");
	case CONFIDENCE_MEDIUM:
		return _("medium confidence");
	default:
		return _("low confidence");
	}
}

static const char *
trend_words(enum trend_level l)
{
	switch (l) {
	case TREND_WATCH:
		return _("rising, watch");
	case TREND_WARNING:
		return _("warning");
	case TREND_CRITICAL:
		return _("runaway alert");
	default:
		return _("normal");
	}
}

/* How unusual the recent complaints are, in words (the p-value only with
 * --explain). */
static const char *
spike_words(const struct score_trend *t, double trend_p)
{
	if (t->x14 == 0 || t->p >= trend_p)
		return _("about as usual");
	if (t->p < trend_p / 10)
		return _("far more than usual");
	return _("more than usual");
}

static const char *
health_words(enum source_health h)
{
	switch (h) {
	case HEALTH_OK:
		return _("ok");
	case HEALTH_STALE:
		return _("stale");
	case HEALTH_FAILED:
		return _("failed");
	case HEALTH_DISABLED:
		return _("disabled");
	case HEALTH_PARTIAL:
		return _("partial");
	case HEALTH_BLOCKED:
		return _("blocked");
	default:
		return _("never tried");
	}
}

/* How a source is named to the reader: 黑猫, 聚投诉, ICP, 官网 in Chinese; the
 * --source names (heimao, jutousu, icp, site) in English. */
static const char *
source_label(size_t i)
{
	return !strcmp(i18n_current(), "zh") ? registry[i].short_title : registry[i].name;
}

/* Why a source of the headline was not read, in the reader's language. */
static const char *
unread_words(const struct platform_view *v, size_t i)
{
	if (v->health[i] == HEALTH_NEVER)
		return _("not read yet");
	if (v->have_state[i] && v->state[i].last_error)
		return failure_words(v->state[i].last_error);
	return health_words(v->health[i]);
}

/* Appends the enabled sources of kind (-1: every kind) that were not read,
 * those failing the same way together: "黑猫、聚投诉：连不上网站；ICP：尚未读取".
 * The technical errors are under Sources. */
static void
buf_unread_sources(struct buf *b, const struct platform_view *v, int kind)
{
	size_t n = registry_count();
	bool done[n];
	memset(done, 0, sizeof(done));
	bool first_group = true;
	for (size_t i = 0; i < n; i++) {
		if (done[i] || !view_source_unread(v, i, kind))
			continue;
		const char *words = unread_words(v, i);
		buf_puts(b, first_group ? "" : _("; "));
		first_group = false;
		buf_puts(b, source_label(i));
		for (size_t j = i + 1; j < n; j++) {
			if (!view_source_unread(v, j, kind) || strcmp(unread_words(v, j), words))
				continue;
			buf_printf(b, "%s%s", _(", "), source_label(j));
			done[j] = true;
		}
		buf_printf(b, "%s%s", _(": "), words);
	}
	if (first_group)
		buf_puts(b, kind == SOURCE_COMPLAINTS ? _("no complaint source is enabled")
						      : _("ICP: the registry's answer is unknown"));
}

static const char *
component_words(int k)
{
	switch (k) {
	case COMP_SERVICE:
		return _("service");
	case COMP_SEVERITY:
		return _("unresolved");
	case COMP_VOLUME:
		return _("recent");
	case COMP_IDENTITY:
		return _("identity");
	default:
		return _("trend");
	}
}

static const char *
finding_words(const char *signal)
{
	if (!strcmp(signal, "not_filed"))
		return _("the MIIT registry has no filing for any of its domains");
	if (!strcmp(signal, "individual"))
		return _("the ICP filer is an individual, yet the site takes payments");
	if (!strcmp(signal, "stolen_number"))
		return _("the ICP number on the home page belongs to another site or does not "
			 "exist (stolen or fake)");
	if (!strcmp(signal, "no_claim"))
		return _("the home page shows no ICP number although the registry has one");
	return _("the filing number dates from this year or last");
}

static void
buf_categories(struct buf *b, const size_t *counts)
{
	int first = 1;
	for (int k = 0; k < CAT_COUNT; k++) {
		if (!counts[k])
			continue;
		buf_printf(b, "%s%s %zu", first ? "" : _(", "), category_words((enum category)k),
			   counts[k]);
		first = 0;
	}
}

/* Why this verdict: the reasons score.c decides on, said for a buyer. */
static void
verdict_reason(struct buf *b, const struct platform_view *v, const struct score_params *p)
{
	const struct score_result *r = &v->score;
	const struct score_input *in = &v->input;
	/* The sources' real states first: unknown is said as unknown, with why
	 * in the reader's words (the technical errors are under Sources). */
	struct buf why;
	buf_init(&why);
	switch (v->headline) {
	case HEADLINE_NO_SOURCE:
		buf_unread_sources(&why, v, -1);
		buf_printf(b, _("no source could be read, so the number of complaints is "
				"unknown: %s"), buf_cstr(&why));
		buf_finish(&why);
		return;
	case HEADLINE_NO_COMPLAINTS:
		buf_unread_sources(&why, v, SOURCE_COMPLAINTS);
		buf_printf(b, _("no complaint source could be read, so the number of "
				"complaints is unknown: %s"), buf_cstr(&why));
		buf_finish(&why);
		return;
	case HEADLINE_UNCHECKED:
		buf_unread_sources(&why, v, -1);
		buf_printf(b, _("score %.1f, no alert, but the ICP filing or home page could "
				"not be checked: %s"), r->score, buf_cstr(&why));
		buf_finish(&why);
		return;
	case HEADLINE_SCORED:
		break;
	}
	if (r->n_gates) {
		buf_puts(b, _("a deal-breaker: "));
		for (size_t i = 0; i < r->n_gates; i++) {
			const char *g = r->gates[i].gate;
			buf_printf(b, "%s%s", i ? _(", ") : "",
				   !strcmp(g, "trend_critical")  ? _("runaway alert")
				   : !strcmp(g, "fraud_cluster") ? _("several people report fraud or runaway")
								 : _("stolen or fake ICP number"));
		}
		return;
	}
	if (!r->rated) {
		buf_printf(b,
			   ngettext("%zu complaint in the last %.0f days, fewer than %g: too few "
				    "to rate",
				    "%zu complaints in the last %.0f days, fewer than %g: too few "
				    "to rate",
				    r->total),
			   r->total, p->window_days, p->min_rated);
		return;
	}
	if (r->verdict == VERDICT_AVOID) {
		buf_printf(b, _("score %.1f is below %g"), r->score, p->avoid_below);
		return;
	}
	if (r->verdict == VERDICT_RECOMMEND) {
		buf_printf(b, _("score %.1f, no alert, sources healthy"), r->score);
		return;
	}
	const char *sep = "";
	if (r->score < p->caution_below) {
		buf_printf(b, _("score %.1f is below %g"), r->score, p->caution_below);
		sep = _("; ");
	}
	if (r->trend.level == TREND_WATCH || r->trend.level == TREND_WARNING) {
		buf_printf(b, "%s%s", sep,
			   r->trend.level == TREND_WATCH ? _("complaints are rising")
							 : _("complaints are surging (warning)"));
		sep = _("; ");
	}
	if (r->confidence == CONFIDENCE_LOW) {
		buf_printf(b, "%s%s", sep, _("few complaints to judge by"));
		sep = _("; ");
	}
	if (in->complaint_source_unhealthy)
		buf_printf(b, "%s%s", sep, _("a complaint source is stale or failing"));
}

/* The gate's own sentence. */
static void
gate_reason(struct buf *b, const struct score_result *r, const struct score_gate *g,
	    const struct score_params *p)
{
	const struct score_trend *t = &r->trend;
	if (!strcmp(g->gate, "trend_critical")) {
		if (t->critical_runaway)
			buf_printf(b,
				   ngettext("runaway alert: %d person reported within %g days that "
					    "the platform ran away",
					    "runaway alert: %d people reported within %g days that "
					    "the platform ran away",
					    t->runaway_people),
				   t->runaway_people, p->runaway_days);
		else
			buf_puts(b, t->warning_share
					    ? _("runaway alert: a complaint spike, mostly runaway, "
						"blocked withdrawals or unreachable support, at two "
						"refreshes")
					    : _("runaway alert: a complaint spike with the replies "
						"stopping, at two refreshes"));
	} else if (!strcmp(g->gate, "fraud_cluster")) {
		buf_printf(b,
			   ngettext("%d person reported runaway or fraud in the last %g days, "
				    "unresolved",
				    "%d different people reported runaway or fraud in the last %g "
				    "days, unresolved",
				    r->fraud_people),
			   r->fraud_people, p->gate_days);
	} else {
		buf_puts(b, finding_words("stolen_number"));
	}
}

/* The deduction's own sentence; --explain adds the formula's values. */
static void
deduction_reason(struct buf *b, const struct score_result *r, int k,
		 const struct score_params *p, bool explain)
{
	const struct score_trend *t = &r->trend;
	switch (k) {
	case COMP_SERVICE:
		buf_puts(b, _("how the merchant replies and resolves (plain rates under "
			      "Complaints)"));
		if (explain) {
			buf_printf(b, _("; weighted by age and shrunk toward a typical platform: "
					"reply %.0f%%, completion %.0f%%, on-time %.0f%%"),
				   100 * r->R, 100 * r->C, 100 * r->T);
			if (r->n_rated)
				buf_printf(b, _(", satisfaction %.0f%%"), 100 * r->Sat);
		}
		break;
	case COMP_SEVERITY:
		buf_printf(b, ngettext("%zu unresolved complaint", "%zu unresolved complaints",
				       r->n_unresolved),
			   r->n_unresolved);
		if (r->n_unresolved) {
			buf_puts(b, _(" ("));
			buf_categories(b, r->unresolved_by_category);
			buf_puts(b, _(")"));
		}
		if (explain)
			buf_printf(b, _(", severity V=%.2f"), r->V);
		break;
	case COMP_VOLUME:
		buf_printf(b,
			   ngettext("%zu unresolved complaint in the last %g days",
				    "%zu unresolved complaints in the last %g days", r->U90),
			   r->U90, p->volume_days);
		break;
	case COMP_IDENTITY:
		for (size_t i = 0; i < r->n_findings; i++)
			buf_printf(b, _("%s%s (%g points)"), i ? _("; ") : "",
				   finding_words(r->findings[i].signal), r->findings[i].points);
		if (r->identity_raw > p->identity_max)
			buf_printf(b, _(", capped at %g"), p->identity_max);
		break;
	default:
		buf_printf(b,
			   ngettext("%d complaint in the last %g days vs %d in the %g before: %s",
				    "%d complaints in the last %g days vs %d in the %g before: %s",
				    t->x14),
			   t->x14, p->trend_recent_days, t->c90, p->trend_base_days,
			   spike_words(t, p->trend_p));
		if (explain)
			buf_printf(b, " (p = %.2g)", t->p);
		if (t->warning_share)
			buf_printf(b, _(", %.0f%% of them runaway, blocked withdrawals or unreachable "
					"support"),
				   100 * t->severe_share);
		if (t->warning_collapse)
			buf_printf(b, _(", replies fell from %.0f%% to %.0f%%"), 100 * t->baseline_r,
				   100 * t->reply_rate);
		if (t->critical_runaway)
			buf_printf(b,
				   ngettext(", %d person reported runaway within %g days",
					    ", %d people reported runaway within %g days",
					    t->runaway_people),
				   t->runaway_people, p->runaway_days);
		if (t->critical_repeat)
			buf_puts(b, _(", the warning held at two refreshes"));
		buf_printf(b, _(": %s"), trend_words(t->level));
		break;
	}
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
		struct buf b;
		buf_init(&b);
		for (size_t i = m; i < m + n; i++)
			buf_printf(&b, _("%s%s (%s%s)"), i > m ? _(", ") : "",
				   value_shown(pool, v->merchants[i].name ? v->merchants[i].name : "?"),
				   value_shown(pool, v->merchants[i].merchant_id),
				   v->merchants[i].pinned ? _(", pinned") : "");
		if (n > 1)
			buf_puts(&b, _(" — several merchants carry this name; complaints of all are "
				       "counted"));
		wrap_printf(out, 0, 4, _("  merchants on %s: %s"), registry[src].short_title,
			    buf_cstr(&b));
		buf_finish(&b);
		m += n;
	}
}

static void
print_where_to_complain(FILE *out, const struct platform_view *v, const struct palette *pal,
			struct text_pool *pool)
{
	fprintf(out, "\n%s%s%s\n", pal->bold, _("Where to complain"), pal->reset);
	int n = 1;
	if (v->platform.n_domains)
		wrap_printf(out, 0, 5, _("  %d. the platform's own support first: https://%s/"), n++,
			    value_shown(pool, v->platform.domains[0]));
	else
		wrap_printf(out, 0, 5, _("  %d. the platform's own support first"), n++);
	for (size_t i = 0; i < registry_count(); i++) {
		if (registry[i].kind != SOURCE_COMPLAINTS || !registry[i].complain_url)
			continue;
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "  %d. %s %s", n++, registry[i].title, registry[i].complain_url);
		for (size_t m = 0; m < v->n_merchants; m++) {
			if (v->merchant_source[m] != (int)i)
				continue;
			buf_printf(&b, _(" (merchant %s)"),
				   value_shown(pool, v->merchants[m].name ? v->merchants[m].name
									 : v->merchants[m].merchant_id));
			break;
		}
		wrap_text(out, 0, 5, buf_cstr(&b));
		buf_finish(&b);
	}
	/* A buyer who likely lost money can also complain about the order to
	 * the payment channel (README, "Where to complain"). */
	if (complain_payment_route(v)) {
		/* The apps' own menu words, kept whole on a line break but at
		 * their spaces. */
		wrap_printf(out, 0, 5,
			    _("  %d. paid with 支付宝 (Alipay): complain about the order in the "
			      "app: %s"),
			    n++, value_shown(pool, _("我的 → 我的客服 → 投诉, or 投诉 on the order "
						     "in 账单")));
		wrap_printf(out, 0, 5,
			    _("  %d. paid with 微信支付 (WeChat Pay): complain about the order in "
			      "微信: %s"),
			    n++, value_shown(pool, _("我 → 服务 → 钱包 → 账单 → the order → 投诉")));
	}
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "  %d. 12315 https://www.12315.cn/", n++);
	if (v->filing && v->filing->unit_name)
		buf_printf(&b, _(" — the operator to name: %s (%s)"),
			   value_shown(pool, v->filing->unit_name),
			   value_shown(pool, v->filing->service_licence
						    ? v->filing->service_licence
						    : str_or_empty(v->filing->main_licence)));
	else if (v->input.identity.icp_status == ICP_STATUS_NOT_FILED)
		buf_puts(&b, _(" — operator unknown (no ICP filing on record)"));
	else
		buf_puts(&b, _(" — operator unknown (the ICP registry has not answered)"));
	wrap_text(out, 0, 5, buf_cstr(&b));
	buf_finish(&b);
	if (complain_miit_route(v))
		wrap_printf(out, 0, 5,
			    _("  %d. the stolen or fake ICP number: report it (举报) to MIIT's "
			      "filing system, %s: %s"),
			    n++, value_shown(pool, "工信部 ICP/IP地址/域名信息备案管理系统"),
			    MIIT_BEIAN_URL);
	wrap_printf(out, 0, 5, _("  %d. fraud or a platform that vanished: the police, 110 / "
				 "https://cyberpolice.mps.gov.cn/"),
		    n);
}

static int
text_platform(struct render_ctx *ctx, const struct platform_view *v)
{
	FILE *out = ctx->out;
	const struct config *cfg = ctx->cfg;
	const struct score_params *sp = &cfg->score;
	bool color = ctx->color, explain = ctx->explain;
	static const struct palette on = {"\033[1m", "\033[1;31m", "\033[1;33m", "\033[1;32m",
					  "\033[2m", "\033[0m"};
	static const struct palette off = {"", "", "", "", "", ""};
	const struct palette *pal = color ? &on : &off;
	const struct score_result *r = &v->score;
	/* Every string that came from a site (or a user) is shown escaped. */
	struct text_pool pool = {0};
	struct evidence_seen seen = {0};
	struct buf b;
	char when[17];

	fprintf(out, "%s%s%s  %s", verdict_colour(pal, r->verdict), verdict_words(r->verdict),
		pal->reset, text_shown(&pool, v->platform.name));
	if (r->rated)
		fprintf(out, _("  score %.1f, grade %s"), r->score, r->grade);
	else
		fputs(_("  no score"), out);
	fprintf(out, _(", %s\n"), confidence_words(r->confidence));
	buf_init(&b);
	verdict_reason(&b, v, sp);
	if (b.len)
		wrap_printf(out, 0, 2, "  %s", buf_cstr(&b));
	buf_finish(&b);
	if (v->platform.n_domains) {
		buf_init(&b);
		for (size_t i = 0; i < v->platform.n_domains; i++)
			buf_printf(&b, "%s%s", i ? " " : "", value_shown(&pool, v->platform.domains[i]));
		wrap_printf(out, 0, 4, _("  domains: %s"), buf_cstr(&b));
		buf_finish(&b);
	}
	print_merchants(out, v, &pool);
	wrap_printf(out, 0, 4, _("  data as of %s (Asia/Shanghai), formula %s"),
		    time_words(v->last_refresh, when), FORMULA_ID);

	if (r->n_gates) {
		fprintf(out, "\n%s%s%s\n", pal->bold, _("Deal-breakers"), pal->reset);
		for (size_t g = 0; g < r->n_gates; g++) {
			buf_init(&b);
			gate_reason(&b, r, &r->gates[g], sp);
			fprintf(out, "  %s✗%s ", pal->red, pal->reset);
			wrap_text(out, 4, 4, buf_cstr(&b));
			buf_finish(&b);
			print_evidence(out, pal, &pool, v, r->gates[g].evidence,
				       r->gates[g].n_evidence, explain, &seen);
		}
	}

	fprintf(out, "\n%s%s%s", pal->bold, _("Deductions"), pal->reset);
	if (r->rated)
		fprintf(out, _(" (100 − deductions = %.1f)\n"), r->score);
	else
		fputs(_(" (not rated: identity and trend only)\n"), out);
	int any = 0;
	for (int k = 0; k < COMP_COUNT; k++) {
		const struct score_deduction *d = &r->deductions[k];
		if (!deduction_shown(r, k))
			continue;
		any = 1;
		buf_init(&b);
		char points[16];
		snprintf(points, sizeof(points), "-%.1f", d->points);
		buf_printf(&b, "  %5s  ", points);
		buf_printf(&b, _("%s: "), component_words(k));
		deduction_reason(&b, r, k, sp, explain);
		wrap_text(out, 0, 9, buf_cstr(&b));
		buf_finish(&b);
		print_evidence(out, pal, &pool, v, d->evidence, d->n_evidence, explain, &seen);
	}
	if (!any)
		fprintf(out, "  %s\n", _("none"));

	fprintf(out, "\n%s%s%s", pal->bold, _("Complaints"), pal->reset);
	if (!view_complaints_known(v)) {
		fprintf(out, _(" in the last %.0f days: unknown, no complaint source could be read\n"),
			sp->window_days);
	} else {
		fprintf(out, _(" in the last %.0f days: %zu\n"), sp->window_days, r->total);
		wrap_printf(out, 0, 4,
			    _("  unanswered %zu, answered %zu, resolved %zu, closed %zu, status "
			      "unknown %zu"),
			    r->by_status[STATUS_UNANSWERED], r->by_status[STATUS_ANSWERED],
			    r->by_status[STATUS_RESOLVED], r->by_status[STATUS_CLOSED],
			    r->by_status[STATUS_UNKNOWN]);
	}
	print_by_source(out, v, pal, &pool);
	if (r->total) {
		buf_init(&b);
		buf_puts(&b, _("  kinds: "));
		buf_categories(&b, r->by_category);
		wrap_text(out, 0, 4, buf_cstr(&b));
		buf_finish(&b);
		buf_init(&b);
		struct buf reply, reply_lo, done, done_lo;
		buf_init(&reply);
		buf_init(&reply_lo);
		buf_init(&done);
		buf_init(&done_lo);
		buf_percent(&reply, r->reply_rate);
		buf_percent(&reply_lo, r->reply_wilson_lo);
		buf_percent(&done, r->completion_rate);
		buf_percent(&done_lo, r->completion_wilson_lo);
		buf_printf(&b, _("  plain rates: replied %s (at least %s, 95%% sure), resolved %s "
				 "(at least %s)"),
			   buf_cstr(&reply), buf_cstr(&reply_lo), buf_cstr(&done), buf_cstr(&done_lo));
		if (!isnan(r->median_reply_hours))
			buf_printf(&b, _(", median first reply %.1f h"), r->median_reply_hours);
		wrap_text(out, 0, 4, buf_cstr(&b));
		buf_finish(&reply);
		buf_finish(&reply_lo);
		buf_finish(&done);
		buf_finish(&done_lo);
		buf_finish(&b);
	}
	/* No trend and no months for complaints nobody could read: "trend
	 * normal, 0 in 14 days" would read as good news. */
	if (view_complaints_known(v)) {
		char spark[64];
		sparkline(v->monthly, spark, sizeof(spark));
		buf_init(&b);
		buf_printf(&b, _("  trend %s: %d in the last %g days vs %d in the %g before, %s"),
			   trend_words(r->trend.level), r->trend.x14, sp->trend_recent_days, r->trend.c90,
			   sp->trend_base_days, spike_words(&r->trend, sp->trend_p));
		wrap_text(out, 0, 4, buf_cstr(&b));
		buf_finish(&b);
		wrap_printf(out, 0, 4, _("  12 months, oldest first: %s"), spark);
	}

	const struct score_identity *id = &v->input.identity;
	fprintf(out, "\n%s%s%s%s", pal->bold, _("ICP filing"), pal->reset, _(": "));
	buf_init(&b);
	buf_puts(&b, id->icp_status == ICP_STATUS_FILED ? _("filed")
		     : id->icp_status == ICP_STATUS_NOT_FILED
			     ? _("not filed (the MIIT registry has no filing for its domains)")
			     : _("unknown (the registry was not asked or did not answer)"));
	if (v->filing)
		buf_printf(&b, _(" — %s %s, %s (record updated %s)"),
			   value_shown(&pool, str_or_empty(v->filing->nature_name)),
			   value_shown(&pool, str_or_empty(v->filing->unit_name)),
			   value_shown(&pool, str_or_empty(v->filing->service_licence)),
			   value_shown(&pool, str_or_empty(v->filing->update_record_time)));
	wrap_text(out, text_display_width(_("ICP filing")) + text_display_width(_(": ")), 4,
		  buf_cstr(&b));
	buf_finish(&b);
	for (size_t i = 0; i < v->n_icp; i++)
		if (v->icp[i].queried && v->icp[i].cur.was_filed_before) {
			fprintf(out, "  %s", pal->red);
			wrap_printf(out, 2, 4, _("%s is no longer filed"),
				    value_shown(&pool, v->icp[i].domain));
			fputs(pal->reset, out);
		}
	buf_init(&b);
	buf_puts(&b, _("  home page: "));
	buf_puts(&b, id->claim == CLAIM_MATCH	 ? _("its ICP number matches the registry")
		     : id->claim == CLAIM_NONE	 ? _("shows no ICP number")
		     : id->claim == CLAIM_MISMATCH ? _("its ICP number is not this site's in the "
						       "registry (stolen or fake)")
						   : _("its ICP number is unchecked"));
	if (v->have_site && v->site.icp_raw)
		buf_printf(&b, _(" (%s)"), value_shown(&pool, v->site.icp_raw));
	if (v->claim_detail) {
		static const char gives[] = "which the registry gives to ";
		const char *other = strstr(v->claim_detail, gives);
		if (other)
			buf_printf(&b, _(" — the registry gives this number to %s"),
				   value_shown(&pool, other + strlen(gives)));
		else if (id->claim == CLAIM_UNKNOWN)
			buf_puts(&b, _(" — the registry's answer is unknown"));
	}
	wrap_text(out, 0, 4, buf_cstr(&b));
	buf_finish(&b);
	/* Each domain's own page when there are several, or the one is dead. */
	for (size_t i = 0; i < v->n_sites; i++) {
		const struct site_domain_view *sd = &v->sites[i];
		if (v->n_sites < 2 && sd->probed && sd->probe.ok)
			continue;
		buf_init(&b);
		buf_printf(&b, "    %s: ", value_shown(&pool, sd->domain));
		if (!sd->probed)
			buf_puts(&b, _("not probed yet"));
		else if (!sd->probe.ok && sd->probe.error)
			buf_printf(&b, _("dead: %s (%s)"), failure_words(sd->probe.error),
				   value_shown(&pool, sd->probe.error));
		else if (!sd->probe.ok)
			buf_puts(&b, _("dead (no page)"));
		else
			buf_puts(&b, sd->claim == CLAIM_MATCH	 ? _("its ICP number matches the registry")
				     : sd->claim == CLAIM_NONE	 ? _("shows no ICP number")
				     : sd->claim == CLAIM_MISMATCH ? _("its ICP number is not this site's "
								       "in the registry (stolen or fake)")
								   : _("its ICP number is unchecked"));
		wrap_text(out, 0, 6, buf_cstr(&b));
		buf_finish(&b);
	}

	fprintf(out, "\n%s%s%s\n", pal->bold, _("Sources"), pal->reset);
	size_t state_cols = 8;
	for (size_t i = 0; i < registry_count(); i++) {
		size_t w = text_display_width(health_words(v->health[i]));
		if (w > state_cols)
			state_cols = w;
	}
	for (size_t i = 0; i < registry_count(); i++) {
		const char *colour = v->health[i] == HEALTH_OK       ? ""
				     : v->health[i] == HEALTH_DISABLED ? pal->dim
									: pal->yellow;
		fputs("  ", out);
		print_padded(out, source_label(i), 8);
		fputs(colour, out);
		print_padded(out, health_words(v->health[i]), state_cols);
		fputs(pal->reset, out);
		buf_init(&b);
		buf_printf(&b, _(" last success %s"),
			   time_words(v->have_state[i] ? v->state[i].last_success_at : 0, when));
		if (source_health_failing(v->health[i]) && v->state[i].last_error)
			buf_printf(&b, _("; %s (%s)"), failure_words(v->state[i].last_error),
				   value_shown(&pool, v->state[i].last_error));
		wrap_text(out, 10 + state_cols, 12, buf_cstr(&b));
		buf_finish(&b);
	}
	print_where_to_complain(out, v, pal, &pool);

	if (explain) {
		fprintf(out, "\n%s%s%s%s\n", pal->bold, _("Explain"), pal->reset,
			_(" (every constant is a [score] key)"));
#define X(name, def, range, doc) wrap_printf(out, 0, 32, "  %-20s %-8g %s", #name, cfg->score.name, _(doc));
		SCORE_PARAMS(X)
#undef X
		wrap_printf(out, 0, 4, "  W=%.4f W_known=%.4f W_rated=%.4f", r->W, r->W_known,
			    r->W_rated);
		wrap_printf(out, 0, 4, "  R=%.4f C=%.4f T=%.4f Sat=%.4f S=%.4f (weights %.3f %.3f %.3f "
				       "%.3f)",
			    r->R, r->C, r->T, r->Sat, r->S, r->w_r, r->w_c, r->w_t, r->w_sat);
		wrap_printf(out, 0, 4, "  V=%.4f (unresolved severity %.1f over %zu unresolved) "
				       "U90=%zu identity_raw=%.1f lambda=%.4f p=%.3g",
			    r->V, r->unresolved_severity, r->n_unresolved, r->U90, r->identity_raw,
			    r->trend.lambda, r->trend.p);
		wrap_printf(out, 0, 4, _("  excluded by hand %zu, outside the window %zu, undated %zu"),
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
