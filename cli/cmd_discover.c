/* kmrep discover [--source LIST] [--since DAYS] [--min-complaints N] [--add]
 * [--format text|json|csv] [--bom]: the card platforms the complaint sites
 * name that nobody tracks yet.  Changes nothing without --add. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "i18n.h"
#include "discover_run.h"

/* A whole number in [lo, hi], or -1. */
static long
number(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= lo && v <= hi ? v : -1;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"since", required_argument, NULL, 'd'},
		{"min-complaints", required_argument, NULL, 'm'},
		{"add", no_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{"bom", no_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	struct discover_request rq = {.since_days = 90, .min_complaints = 1, .format = "text"};
	for (size_t i = 0; i < SOURCE_MAX; i++)
		rq.sources[i] = true;
	char err[ERRBUF_SIZE];
	int c;
	long v;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (registry_parse_list(optarg, rq.sources, err) < 0)
				return cli_usage_error("discover: %s", err);
			break;
		case 'd':
			if ((v = number(optarg, 1, 36500)) < 0)
				return cli_usage_error(_("discover: --since takes days (1-36500), not '%s'"),
						       optarg);
			rq.since_days = v;
			break;
		case 'm':
			if ((v = number(optarg, 1, 1000000)) < 0)
				return cli_usage_error(_("discover: --min-complaints takes a count (1 or "
						       "more), not '%s'"), optarg);
			rq.min_complaints = (size_t)v;
			break;
		case 'a':
			rq.add = true;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "csv"))
				return cli_usage_error(_("discover: --format must be text, json or csv"));
			rq.format = optarg;
			break;
		case 'b':
			rq.bom = true;
			break;
		default:
			return cli_usage_error(_("discover: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(_("discover: unexpected argument '%s'"), argv[optind]);
	size_t listed;
	return cli_discover(cli, &rq, &listed);
}

const struct command cmd_discover = {
	.name = "discover",
	.run = run,
	.synopsis = "[--source LIST] [--since DAYS] [--min-complaints N] [--add] "
		    "[--format text|json|csv]",
	.summary = N_("card platforms the complaint sites name that nobody tracks yet"),
	.help = N_("  --source LIST        only these complaint sites (below)\n"
		"  --since DAYS         complaints filed in the last DAYS (default 90)\n"
		"  --min-complaints N   list a merchant with at least N of them (default 1)\n"
		"  --add                track what is listed, bound to its merchant id (the\n"
		"                       next refresh scores it); without it nothing changes\n"
		"  --format F           text (default), json or csv; --bom for Excel\n"
		"\nSearches each site for [discover] keywords (卡盟, 发卡, 卡密, 点卡, 自动发卡,\n"
		"代充) and reads its feed, politely, under the refresh lock.  A merchant is\n"
		"listed when its name says card platform, or most of its complaints are\n"
		"about cards and top-ups and its name is no official store, bank or carrier\n"
		"([discover] name_pattern, text_pattern, exclude_pattern, ignore); riskiest\n"
		"first.  Exit 1 when a site could not be searched whole.\n"),
	.lists = CLI_LIST_SOURCES,
};
