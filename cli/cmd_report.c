/* kmrep report [--format csv|json] [--output FILE] [--bom]: one row per
 * tracked platform, riskiest first. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check_output.h"
#include "cli.h"
#include "msg.h"
#include "output.h"
#include "platform_view.h"
#include "report/table.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

/* SPEC §5a's columns first, in that order, then the components. */
static const char *const columns[] = {
	"name", "domains", "verdict", "verdict_zh", "score", "grade", "confidence", "complaints",
	"reply_rate", "completion_rate", "median_reply_hours", "trend", "icp_status",
	"icp_nature", "icp_unit", "icp_licence", "top_reasons", "last_refresh", "sources_state",
	"service_points", "severity_points", "volume_points", "identity_points", "trend_points",
	"gates", "unresolved", "resolved", "formula",
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

struct row {
	int rank;       /* riskiest first: avoid 0, caution 1, not rated 2, recommend 3 */
	double score;   /* ascending within a rank */
	char *name;
	char *cells[N_COLUMNS];
	enum cell_kind kinds[N_COLUMNS];
};

static char *
number(double v, int decimals)
{
	return isnan(v) ? NULL : xasprintf("%.*f", decimals, v);
}

static void
fill(struct row *row, const struct platform_view *v)
{
	const struct score_result *r = &v->score;
	struct buf b;
	size_t i = 0;
	enum cell_kind *k = row->kinds;
	char **c = row->cells;
	buf_init(&b);
	for (size_t d = 0; d < v->platform.n_domains; d++)
		buf_printf(&b, "%s%s", d ? " " : "", v->platform.domains[d]);
	c[i++] = xstrdup(v->platform.name);
	c[i++] = buf_steal(&b);
	c[i++] = xstrdup(verdict_key(r->verdict));
	c[i++] = xstrdup(verdict_zh(r->verdict));
	k[i] = CELL_NUMBER, c[i++] = r->rated ? number(r->score, 1) : NULL;
	c[i++] = xstrdup(r->grade);
	c[i++] = xstrdup(confidence_key(r->confidence));
	k[i] = CELL_NUMBER, c[i++] = xasprintf("%zu", r->total);
	k[i] = CELL_NUMBER, c[i++] = number(r->reply_rate, 3);
	k[i] = CELL_NUMBER, c[i++] = number(r->completion_rate, 3);
	k[i] = CELL_NUMBER, c[i++] = number(r->median_reply_hours, 1);
	c[i++] = xstrdup(trend_level_key(r->trend.level));
	c[i++] = xstrdup(icp_status_key(v->input.identity.icp_status));
	c[i++] = xstrdup_or_null(v->filing ? v->filing->nature_name : NULL);
	c[i++] = xstrdup_or_null(v->filing ? v->filing->unit_name : NULL);
	c[i++] = xstrdup_or_null(v->filing ? v->filing->service_licence : NULL);
	/* The biggest deductions' reasons, gates first. */
	buf_init(&b);
	for (size_t g = 0; g < r->n_gates; g++)
		buf_printf(&b, "%s%s", b.len ? " | " : "", r->gates[g].reason);
	for (int n = 0, done = 0; n < 2; n++) { /* the two largest deductions shown */
		int best = -1;
		for (int d = 0; d < COMP_COUNT; d++)
			if (!(done & 1 << d) && deduction_shown(r, d) &&
			    (best < 0 || r->deductions[d].points > r->deductions[best].points))
				best = d;
		if (best < 0)
			break;
		done |= 1 << best;
		const struct score_deduction *d = &r->deductions[best];
		if (d->reason)
			buf_printf(&b, "%s%s -%.1f: %s", b.len ? " | " : "", d->component, d->points,
				   d->reason);
	}
	c[i++] = buf_steal(&b);
	if (v->last_refresh) {
		char t[21];
		time_format_utc(v->last_refresh, t);
		c[i++] = xstrdup(t);
	} else {
		c[i++] = NULL;
	}
	buf_init(&b);
	for (size_t s = 0; s < registry_count(); s++)
		buf_printf(&b, "%s%s:%s", s ? " " : "", registry[s].name,
			   source_health_key(v->health[s]));
	c[i++] = buf_steal(&b);
	for (int d = 0; d < COMP_COUNT; d++) {
		k[i] = CELL_NUMBER;
		c[i++] = xasprintf("%.1f", deduction_shown(r, d) ? r->deductions[d].points : 0.0);
	}
	buf_init(&b);
	for (size_t g = 0; g < r->n_gates; g++)
		buf_printf(&b, "%s%s", g ? " " : "", r->gates[g].gate);
	c[i++] = buf_steal(&b);
	k[i] = CELL_NUMBER, c[i++] = xasprintf("%zu", r->by_status[STATUS_UNANSWERED] +
						   r->by_status[STATUS_ANSWERED] +
						   r->by_status[STATUS_CLOSED] +
						   r->by_status[STATUS_UNKNOWN]);
	k[i] = CELL_NUMBER, c[i++] = xasprintf("%zu", r->by_status[STATUS_RESOLVED]);
	c[i++] = xstrdup(FORMULA_ID);
	for (size_t n = 0; n < N_COLUMNS; n++)
		if (!c[n])
			k[n] = CELL_NULL;
	row->rank = r->verdict == VERDICT_AVOID ? 0 : r->verdict == VERDICT_CAUTION ? 1
		    : r->verdict == VERDICT_NOT_RATED ? 2 : 3;
	row->score = r->rated ? r->score : r->provisional_score;
	row->name = c[0];
}

static int
riskiest_first(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"bom", no_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "csv", *path = NULL;
	bool bom = false;
	int c;
	char err[ERRBUF_SIZE] = "";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'o')
			path = optarg;
		else if (c == 'b')
			bom = true;
		else
			return cli_usage_error(
					       "report: unknown option or missing argument '%s'",
					       argv[optind - 1]);
	}
	if (optind != argc)
		return cli_usage_error("report: unexpected argument '%s'", argv[optind]);
	const struct table_format *fmt = table_format_find(format);
	if (!fmt)
		return cli_usage_error("report: --format must be csv or json, not '%s'",
				       format);
	struct store *st = cli_store_read(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct platform *ps;
	size_t n;
	if (store_platform_list(st, 0, &ps, &n, err) < 0) {
		msg_error("report: %s", err);
		return EXIT_INTERNAL;
	}
	struct row *rows = xcalloc(n ? n : 1, sizeof(*rows));
	int status = EXIT_DONE;
	for (size_t i = 0; i < n; i++) {
		struct platform_view v;
		if (platform_view_load(st, &cli->cfg, ps[i].id, cli->now, false, &v, err) < 0) {
			msg_error("report: %s: %s", ps[i].name, err);
			platform_view_finish(&v);
			status = EXIT_INTERNAL;
			goto out;
		}
		fill(&rows[i], &v);
		platform_view_finish(&v);
	}
	qsort(rows, n, sizeof(*rows), riskiest_first);

	struct output o;
	if (output_open(&o, path, err) < 0) {
		msg_error("report: %s", err);
		status = EXIT_USAGE;
		goto out;
	}
	struct table_writer w = {
		.format = fmt, .out = o.fp, .columns = columns, .n_columns = N_COLUMNS, .bom = bom,
	};
	int ok = fmt->begin(&w) == 0;
	for (size_t i = 0; ok && i < n; i++) {
		struct cell cells[N_COLUMNS];
		for (size_t k = 0; k < N_COLUMNS; k++)
			cells[k] = (struct cell){rows[i].kinds[k], rows[i].cells[k]};
		ok = fmt->row(&w, cells) == 0;
	}
	ok = ok && fmt->end(&w) == 0;
	if (output_close(&o, ok, err) < 0) {
		msg_error("report: %s", *err ? err : "write error");
		status = EXIT_INTERNAL;
	}
out:
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < N_COLUMNS; k++)
			free(rows[i].cells[k]);
	free(rows);
	platform_list_free(ps, n);
	return status;
}

const struct command cmd_report = {
	.name = "report",
	.run = run,
	.synopsis = "[--format csv|json] [--output FILE] [--bom]",
	.summary = "one row per tracked platform, riskiest first",
	.help = "  --format F     csv (default; RFC 4180, UTF-8, CRLF) or json\n"
		"  --output FILE  write FILE atomically instead of standard output\n"
		"  --bom          start the CSV with a UTF-8 BOM so Excel keeps the Chinese\n",
};
