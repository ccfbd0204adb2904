/* kmrep report [--format F] [--output FILE] [--bom]: one row per tracked
 * platform, riskiest first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "msg.h"
#include "output.h"
#include "report/render.h"
#include "store.h"
#include "xalloc.h"

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"bom", no_argument, NULL, 'b'},
		{"headers", required_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "csv", *path = NULL, *headers = "en";
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
		else if (c == 'H')
			headers = optarg;
		else
			return cli_usage_error(
					       _("report: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
	}
	if (optind != argc)
		return cli_usage_error(_("report: unexpected argument '%s'"), argv[optind]);
	const struct renderer *renderer = renderer_find(format, RENDER_REPORT);
	if (!renderer) {
		char names[128];
		renderer_names(RENDER_REPORT, ", ", " or ", names, sizeof(names));
		return cli_usage_error(_("report: --format must be %s, not '%s'"), names, format);
	}
	if (strcmp(headers, "en") && strcmp(headers, "zh"))
		return cli_usage_error(_("report: --headers must be en or zh, not '%s'"), headers);
	if (!strcmp(headers, "zh") && strcmp(format, "csv"))
		return cli_usage_error(_("report: --headers zh is for --format csv (JSON keys stay "
					 "English)"));
	struct store *st = cli_store_read(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct platform *ps;
	size_t n, loaded = 0;
	if (store_platform_list(st, 0, &ps, &n, err) < 0) {
		msg_error("report: %s", err);
		return EXIT_INTERNAL;
	}
	/* Every view, scored (their complaints dropped), then riskiest first. */
	struct platform_view *views = xcalloc(n ? n : 1, sizeof(*views));
	int status = EXIT_DONE;
	for (; loaded < n; loaded++) {
		if (platform_view_load(st, &cli->cfg, ps[loaded].id, cli->now, false, &views[loaded],
				       err) < 0) {
			msg_error("report: %s: %s", ps[loaded].name, err);
			loaded++;
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	qsort(views, n, sizeof(*views), platform_view_risk_cmp);

	struct output o;
	if (output_open(&o, path, err) < 0) {
		msg_error("report: %s", err);
		status = EXIT_USAGE;
		goto out;
	}
	struct render_ctx ctx = {
		.out = o.fp, .view = RENDER_REPORT, .cfg = &cli->cfg, .bom = bom,
		.headers_zh = !strcmp(headers, "zh"),
		.lang = cli->lang_en ? RENDER_LANG_EN : RENDER_LANG_ZH,
	};
	int ok = render_all(renderer, &ctx, views, n) == 0;
	if (output_close(&o, ok, err) < 0) {
		msg_error("report: %s", *err ? err : "write error");
		status = EXIT_INTERNAL;
	}
out:
	for (size_t i = 0; i < loaded; i++)
		platform_view_finish(&views[i]);
	free(views);
	platform_list_free(ps, n);
	return status;
}

const struct command cmd_report = {
	.name = "report",
	.run = run,
	.synopsis = "[--format F] [--output FILE] [--bom] [--headers en|zh]",
	.formats = RENDER_REPORT,
	.summary = N_("one row per tracked platform, riskiest first"),
	.help = N_("  --format F     one of the formats below (default csv: RFC 4180, UTF-8, CRLF);\n"
		"                 html is one self-contained page (--lang zh|en)\n"
		"  --output FILE  write FILE atomically instead of standard output\n"
		"  --bom          start the CSV with a UTF-8 BOM so Excel keeps the Chinese\n"
		"  --headers zh   the CSV's header row in Chinese (default en: SPEC's stable\n"
		"                 English names, whatever --lang; the rows are the same)\n"
		"\nRiskiest first: avoid, caution, not rated, recommended; then by score,\n"
		"lowest first; then by name in Unicode code point order (the UTF-8 bytes).\n"
		"CSV times are Asia/Shanghai ISO 8601 with the offset\n"
		"(2026-11-21T08:00:00+08:00); JSON times are UTC (...Z).\n"),
};
