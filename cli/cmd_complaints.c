/* kmrep complaints NAME [--format csv|json] [--since YYYY-MM-DD]: the evidence
 * behind a platform's score, newest first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "msg.h"
#include "report/complaint_rows.h"
#include "report/table.h"
#include "store.h"
#include "timeutil.h"

struct walk {
	struct table_writer *w;
	int failed;
};

static int
emit(const struct stored_complaint *c, void *ctx)
{
	struct walk *walk = ctx;
	if (complaint_row_write(walk->w, c) < 0) {
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
						       _("complaints: --since '%s' is not YYYY-MM-DD"),
						       optarg);
		} else {
			return cli_usage_error(
					       _("complaints: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
		}
	}
	const struct table_format *fmt = table_format_find(format);
	if (!fmt) {
		char names[64];
		table_format_names(", ", " or ", names, sizeof(names));
		return cli_usage_error(_("complaints: --format must be %s, not '%s'"), names, format);
	}
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
		.n_columns = COMPLAINT_COLUMNS,
	};
	struct walk walk = {.w = &w};
	if (fmt->begin(&w) < 0)
		return EXIT_INTERNAL;
	if (store_complaints_each(st, id, since, emit, &walk, err) < 0 && !walk.failed) {
		msg_error("complaints: %s", err);
		return EXIT_INTERNAL;
	}
	if (walk.failed || fmt->end(&w) < 0) {
		msg_error(_("complaints: write error on standard output"));
		return EXIT_INTERNAL;
	}
	return EXIT_DONE;
}

const struct command cmd_complaints = {
	.name = "complaints",
	.run = run,
	.synopsis = "NAME [--format csv|json] [--since YYYY-MM-DD]",
	.summary = N_("the complaints behind a platform, with evidence URLs"),
	.help = N_("  --format F          csv (default) or json\n"
		"  --since YYYY-MM-DD  only complaints filed on or after that day (Asia/Shanghai)\n"
		"\nTimes are Asia/Shanghai; amounts are in yuan; status is kmrep's normalised\n"
		"status (status_raw is the site's own code).\n"),
};
