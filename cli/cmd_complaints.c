/* kmrep complaints NAME [--format csv|json] [--since YYYY-MM-DD]: the evidence
 * behind a platform's score, newest first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "parse/category.h"
#include "report/table.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

static const char *const columns[] = {
	"source", "id", "filed", "status_raw", "status", "category", "amount_yuan",
	"first_reply", "merchant", "title", "url", "excluded_reason",
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

struct walk {
	struct table_writer *w;
	int failed;
};

static int
emit(const struct stored_complaint *c, void *ctx)
{
	struct walk *walk = ctx;
	char filed[17] = "", reply[17] = "", raw[16] = "", amount[32] = "";
	if (c->filed_at)
		time_format_shanghai(c->filed_at, filed);
	if (c->first_reply_at)
		time_format_shanghai(c->first_reply_at, reply);
	if (c->raw_status >= 0)
		snprintf(raw, sizeof(raw), "%d", c->raw_status);
	if (c->amount_fen >= 0)
		snprintf(amount, sizeof(amount), "%lld.%02lld", (long long)(c->amount_fen / 100),
			 (long long)(c->amount_fen % 100));
	struct cell cells[N_COLUMNS] = {
		{CELL_STRING, c->source},
		{CELL_STRING, c->source_id},
		{*filed ? CELL_STRING : CELL_NULL, filed},
		{*raw ? CELL_NUMBER : CELL_NULL, raw},
		{CELL_STRING, complaint_status_name(c->status)},
		{CELL_STRING, category_name_zh(c->category)},
		{*amount ? CELL_NUMBER : CELL_NULL, amount},
		{*reply ? CELL_STRING : CELL_NULL, reply},
		{c->merchant_name ? CELL_STRING : CELL_NULL, c->merchant_name},
		{c->title ? CELL_STRING : CELL_NULL, c->title},
		{c->url ? CELL_STRING : CELL_NULL, c->url},
		{c->excluded_reason ? CELL_STRING : CELL_NULL, c->excluded_reason},
	};
	if (walk->w->format->row(walk->w, cells) < 0) {
		walk->failed = 1;
		return 1;
	}
	return 0;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"since", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "csv";
	int64_t since = 0;
	int c;
	char err[ERRBUF_SIZE];
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f') {
			format = optarg;
		} else if (c == 's') {
			if (time_parse_date(optarg, SHANGHAI_OFFSET_S, &since) < 0)
				return cli_usage_error(
						       "complaints: --since '%s' is not YYYY-MM-DD",
						       optarg);
		} else {
			return cli_usage_error(
					       "complaints: unknown option or missing argument '%s'",
					       argv[optind - 1]);
		}
	}
	const struct table_format *fmt = table_format_find(format);
	if (!fmt)
		return cli_usage_error(
				       "complaints: --format must be csv or json, not '%s'", format);
	if (optind != argc - 1)
		return cli_usage_error("complaints: expected one platform NAME");
	struct store *st = cli_store_read(cli);
	if (!st)
		return EXIT_INTERNAL;
	int64_t id;
	int found = store_platform_find(st, argv[optind], &id, err);
	if (found < 0) {
		msg_error("complaints: %s", err);
		return EXIT_INTERNAL;
	}
	if (!found) {
		msg_error("complaints: no platform named '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	struct table_writer w = {
		.format = fmt, .out = stdout, .columns = columns, .n_columns = N_COLUMNS,
	};
	struct walk walk = {.w = &w};
	if (fmt->begin(&w) < 0)
		return EXIT_INTERNAL;
	if (store_complaints_each(st, id, since, emit, &walk, err) < 0 && !walk.failed) {
		msg_error("complaints: %s", err);
		return EXIT_INTERNAL;
	}
	if (walk.failed || fmt->end(&w) < 0) {
		msg_error("complaints: write error on standard output");
		return EXIT_INTERNAL;
	}
	return EXIT_DONE;
}

const struct command cmd_complaints = {
	.name = "complaints",
	.run = run,
	.synopsis = "NAME [--format csv|json] [--since YYYY-MM-DD]",
	.summary = "the complaints behind a platform, with evidence URLs",
	.help = "  --format F          csv (default) or json\n"
		"  --since YYYY-MM-DD  only complaints filed on or after that day (Asia/Shanghai)\n"
		"\nTimes are Asia/Shanghai; amounts are in yuan; status is kmrep's normalised\n"
		"status (status_raw is the site's own code).\n",
};
