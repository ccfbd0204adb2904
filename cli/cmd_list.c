/* kmrep list [--format text|json] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "err.h"
#include "msg.h"
#include "output.h"
#include "report/listing.h"
#include "report/table.h"
#include "store.h"

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"all", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text";
	int all = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'a')
			all = 1;
		else
			return cli_usage_error(_("list: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
	}
	if (optind != argc)
		return cli_usage_error(_("list: unexpected argument '%s'"), argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error(_("list: --format must be text or json, not '%s'"),
				       format);
	struct store *st = cli_store_read(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct platform *ps;
	size_t n;
	char err[ERRBUF_SIZE] = "";
	if (store_platform_list(st, all, &ps, &n, err) < 0) {
		msg_error("list: %s", err);
		return EXIT_INTERNAL;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, listing_json(st, &ps[i]));
	platform_list_free(ps, n);
	int ok = 1;
	struct output o;
	output_open(&o, NULL, err); /* standard output: cannot fail */
	if (!strcmp(format, "json"))
		ok = json_print(o.fp, arr, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 &&
		     fputc('\n', o.fp) != EOF;
	else if (json_array_size(arr))
		ok = listing_text(o.fp, arr) == 0;
	else
		msg_info(_("no platforms tracked yet; add one with 'kmrep add NAME --domain D'"));
	json_decref(arr);
	if (output_close(&o, ok, err) < 0) {
		msg_error("list: %s", *err ? err : "write error on standard output");
		return EXIT_INTERNAL;
	}
	return EXIT_DONE;
}

const struct command cmd_list = {
	.name = "list",
	.run = run,
	.synopsis = "[--format text|json] [--all]",
	.summary = N_("tracked platforms with their last refresh and verdict"),
	.help = N_("  --format F  text (default) or json\n"
		"  --all       also platforms that were removed (untracked)\n"
		"\nBy name in Unicode code point order (the UTF-8 bytes: ASCII first, then\n"
		"Chinese by code point, not by pinyin).  Text: LAST REFRESH in Asia/Shanghai;\n"
		"a name wider than its column goes on over the next lines, each domain has\n"
		"a line of its own (one wider than its column whole, on a line with nothing\n"
		"after it).  JSON times are UTC.\n"),
};
