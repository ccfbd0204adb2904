/* kmrep complaints NAME [--format csv|json|text] [--since YYYY-MM-DD] [--bom]:
 * the evidence behind a platform's score, newest first. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "msg.h"
#include "report/complaint_rows.h"
#include "report/table.h"
#include "store.h"
#include "sync/registry.h"
#include "timeutil.h"

struct walk {
	struct table_writer *w;  /* csv, json */
	struct complaint_text *text; /* text */
	int failed;
};

static int
emit(const struct stored_complaint *c, void *ctx)
{
	struct walk *walk = ctx;
	if ((walk->text ? complaint_text_row(walk->text, c) : complaint_row_write(walk->w, c)) < 0) {
		walk->failed = 1;
		return 1;
	}
	return 0;
}

/* Whether the platform's complaints are known: a complaint source was read
 * for it, or complaints of it are stored (imported, say).  Without either,
 * no complaint listed means not known, not none. */
static bool
complaints_read(struct store *st, int64_t platform_id)
{
	struct fetch_state *fs;
	size_t n;
	char err[ERRBUF_SIZE];
	struct platform_counts counts;
	if (store_platform_counts(st, platform_id, 0, &counts, err) == 0 &&
	    counts.total + counts.excluded > 0)
		return true;
	if (store_fetch_state_list(st, platform_id, &fs, &n, err) < 0)
		return false;
	bool read = false;
	for (size_t i = 0; i < n; i++) {
		int r = registry_find(fs[i].source);
		if (r >= 0 && registry[r].kind == SOURCE_COMPLAINTS && fs[i].last_success_at)
			read = true;
	}
	fetch_state_list_free(fs, n);
	return read;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"since", required_argument, NULL, 's'},
		{"bom", no_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "csv";
	bool bom = false;
	int64_t since = 0;
	int c;
	char err[ERRBUF_SIZE];
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f') {
			format = optarg;
		} else if (c == 'b') {
			bom = true;
		} else if (c == 's') {
			if (time_parse_date(optarg, SHANGHAI_OFFSET_S, &since) < 0)
				return cli_usage_error(
						       _("complaints: --since '%s' is not YYYY-MM-DD"),
						       optarg);
		} else {
			return cli_usage_error(
					       _("complaints: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
		}
	}
	bool text = !strcmp(format, "text");
	const struct table_format *fmt = text ? NULL : table_format_find(format);
	if (!fmt && !text) {
		char names[64];
		table_format_names(", ", ", ", names, sizeof(names));
		return cli_usage_error(_("complaints: --format must be %s or text, not '%s'"), names,
				       format);
	}
	if (bom && strcmp(format, "csv"))
		return cli_usage_error(_("complaints: --bom is for --format csv"));
	if (optind != argc - 1)
		return cli_usage_error(_("complaints: expected one platform NAME"));
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
		msg_error(_("complaints: no platform named '%s'"), argv[optind]);
		return EXIT_USAGE;
	}
	struct table_writer w = {
		.format = fmt, .out = stdout, .columns = complaint_columns,
		.n_columns = COMPLAINT_COLUMNS, .bom = bom,
	};
	struct complaint_text ct;
	struct walk walk = {.w = &w, .text = text ? &ct : NULL};
	if ((text ? complaint_text_begin(&ct, stdout) : fmt->begin(&w)) < 0) {
		msg_error(_("complaints: write error on standard output"));
		return EXIT_INTERNAL;
	}
	if (store_complaints_each(st, id, since, emit, &walk, err) < 0 && !walk.failed) {
		msg_error("complaints: %s", err);
		return EXIT_INTERNAL;
	}
	if (walk.failed ||
	    (text ? complaint_text_end(&ct, complaints_read(st, id)) : fmt->end(&w)) < 0) {
		msg_error(_("complaints: write error on standard output"));
		return EXIT_INTERNAL;
	}
	return EXIT_DONE;
}

const struct command cmd_complaints = {
	.name = "complaints",
	.run = run,
	.synopsis = "NAME [--format csv|json|text] [--since YYYY-MM-DD] [--bom]",
	.summary = N_("the complaints behind a platform, with evidence URLs"),
	.help = N_("  --format F          csv (default), json, or text for a terminal: date,\n"
		"                      status, category and title in columns that fit 80\n"
		"                      (the title cut), each link whole on the next line\n"
		"  --since YYYY-MM-DD  only complaints filed on or after that day (Asia/Shanghai)\n"
		"  --bom               start the CSV with a UTF-8 BOM so Excel keeps the Chinese\n"
		"\nNewest first.  Times are Asia/Shanghai; amounts are in yuan; in CSV and JSON\n"
		"status is kmrep's normalised status (status_raw is the site's own code) and\n"
		"the headers are English, in text the words are the chosen language's.\n"),
};
