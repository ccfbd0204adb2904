/* The renderers: the faces of platform views, as a NULL-terminated table of
 * formats, each a {begin, platform, end} triple in its own file (dav1d's
 * muxers, jq's main).  A command looks its --format up here, opens the output
 * and drives begin, platform once per view, end; a new format is one file and
 * one row in render.c, and no command changes.  Renderers show the view
 * model; they compute no score.  Every function returns 0, or -1 after a
 * write error, and end flushes and checks, because a truncated CSV is worse
 * than a failed run. */
#ifndef KMREP_REPORT_RENDER_H
#define KMREP_REPORT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "table.h"
#include "view.h"

/* What is rendered: one platform in full (check) or one row per platform
 * (report).  A renderer lists the views it can draw. */
enum render_view {
	RENDER_CHECK = 1,  /* one platform: verdict, reasons, evidence (SPEC §5a) */
	RENDER_REPORT = 2, /* every tracked platform, riskiest first (SPEC §5a) */
};

/* The language of the formats that speak one (html); zh by default. */
enum render_lang {
	RENDER_LANG_ZH = 0,
	RENDER_LANG_EN,
};

struct render_ctx {
	FILE *out;
	enum render_view view;
	const struct config *cfg;
	bool color;      /* check text: terminal colours */
	bool explain;    /* check: every constant and intermediate value too */
	bool bom;        /* report csv: start with a UTF-8 byte order mark (Excel) */
	bool headers_zh; /* report csv: the header row in Chinese (report_columns_zh) */
	enum render_lang lang; /* html: the page's language */
	size_t platforms; /* views rendered so far (the driver counts) */
	struct table_writer table; /* the report's rows, for renderers built on table.h */
	void *state;     /* a renderer's own, from begin to end (end frees it) */
};

struct renderer {
	const char *name;
	unsigned views;  /* RENDER_CHECK | RENDER_REPORT */
	int (*begin)(struct render_ctx *ctx);
	int (*platform)(struct render_ctx *ctx, const struct platform_view *v);
	int (*end)(struct render_ctx *ctx);
};

/* text, csv, json, html, then NULL. */
extern const struct renderer *const renderers[];
extern const struct renderer render_text, render_csv, render_json, render_html;

/* The renderer called name that draws view, or NULL. */
const struct renderer *renderer_find(const char *name, enum render_view view);

/* The names of the renderers that draw view, joined by sep and, before the
 * last, by last ("csv or json", "text|json"), into out. */
void renderer_names(enum render_view view, const char *sep, const char *last, char *out,
		    size_t size);

/* Renders views[0..n) with r into ctx->out (ctx->view set by the caller):
 * begin, platform for each, end.  Returns 0 or -1 on a write error. */
int render_all(const struct renderer *r, struct render_ctx *ctx,
	       const struct platform_view *views, size_t n);

/* The end of a renderer with nothing to close: flushes and checks. */
int render_flush(struct render_ctx *ctx);

/* Text and html show at most this many of a line's evidence (check
 * --explain: all of them). */
#define EVIDENCE_SHOWN 3

/* The evidence already shown on the earlier lines of one platform: each URL
 * (borrowed from the view) and how many lines showed it, and each line's
 * set. */
struct evidence_seen {
	const char *url[32];
	unsigned times[32];
	size_t n;
	const char *line[16][EVIDENCE_SHOWN];
	size_t line_n[16];
	size_t n_lines;
};

/* Picks at most max (<= EVIDENCE_SHOWN) of ev[0..n) to show on one line:
 * the most relevant first (score_evidence.rank), and among equally relevant
 * ones those the earlier lines showed the fewest times (none first), then in
 * the line's own order; when that makes the same set as an earlier line's,
 * an equally relevant other one takes the place of one of them if there is
 * one.  So two lines show the same complaints only when their evidence
 * leaves no choice, and a line's most relevant complaint is never hidden for
 * a less relevant one.  Writes the chosen indices, in ascending order, to
 * pick (room for max) and notes them in seen; returns how many. */
size_t evidence_pick(const struct score_evidence *ev, size_t n, size_t max,
		     struct evidence_seen *seen, size_t *pick);

/* "Where to complain" beyond the complaint sites, 12315 and the police, each
 * only when it applies (README, "Where to complain"):
 * the payment channel's own complaint about the order (支付宝, 微信支付) when
 * a buyer likely lost money: a complaint the score counts is about an order
 * not delivered, an invalid card key, a refused refund, fraud or a runaway;
 * a report to MIIT's filing system when the home page shows a stolen or fake
 * ICP number (the stolen_icp gate). */
bool complain_payment_route(const struct platform_view *v);
bool complain_miit_route(const struct platform_view *v);
#define MIIT_BEIAN_URL "https://beian.miit.gov.cn/"

/* The report's columns (SPEC §5a's first, then the components), and one row
 * of them for v; cells are malloc'd (report_row_finish).  Times are UTC
 * ("2026-11-21T00:00:00Z", JSON), or with shanghai Asia/Shanghai ISO 8601
 * with its offset ("2026-11-21T08:00:00+08:00", CSV: what a person reads in
 * a spreadsheet, still one instant for a script). */
#define REPORT_COLUMNS 30
extern const char *const report_columns[REPORT_COLUMNS];
/* The same columns' Chinese headers (report --format csv --headers zh). */
extern const char *const report_columns_zh[REPORT_COLUMNS];
struct report_row {
	char *text[REPORT_COLUMNS];
	enum cell_kind kind[REPORT_COLUMNS];
};
void report_row_fill(struct report_row *row, const struct platform_view *v, bool shanghai);
void report_row_finish(struct report_row *row);

/* A table renderer's triple over table.h's format called name (csv, json)
 * with the report's columns. */
int render_table_begin(struct render_ctx *ctx, const char *name);
int render_table_row(struct render_ctx *ctx, const struct platform_view *v);
int render_table_end(struct render_ctx *ctx);

#endif
