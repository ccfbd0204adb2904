/* kmrep refresh [NAME...] [--source LIST] [--full]: fetch, parse and store for
 * all or the named platforms, then record each platform's score.  Made for
 * cron: one run at a time, quiet with -q unless something failed, exit 1 when
 * any source or page failed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "discover_run.h"
#include "i18n.h"
#include "msg.h"
#include "store.h"
#include "sync/registry.h"
#include "xalloc.h"

/* refresh --discover: the same search as `discover`, one line of news. */
static int
run_discover(struct cli *cli, const bool *sources, int status)
{
	struct discover_request rq = {.since_days = 90, .min_complaints = 1};
	memcpy(rq.sources, sources, sizeof(rq.sources));
	size_t listed;
	int rc = cli_discover(cli, &rq, &listed);
	if (listed)
		msg_notice(ngettext("%zu new platform suggested; see kmrep discover",
				    "%zu new platforms suggested; see kmrep discover", listed),
			   listed);
	return rc > status ? rc : status;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"full", no_argument, NULL, 'f'},
		{"discover", no_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	bool sources[SOURCE_MAX];
	for (size_t i = 0; i < SOURCE_MAX; i++)
		sources[i] = true;
	bool full = false, discover = false;
	char err[ERRBUF_SIZE];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's') {
			if (registry_parse_list(optarg, sources, err) < 0)
				return cli_usage_error("refresh: %s", err);
		} else if (c == 'f') {
			full = true;
		} else if (c == 'd') {
			discover = true;
		} else {
			return cli_usage_error(
					       _("refresh: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
		}
	}
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int status;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			int64_t id;
			int rc = store_platform_find(st, argv[i], &id, err);
			if (rc < 0) {
				msg_error("refresh: %s", err);
				free(ids);
				return EXIT_INTERNAL;
			}
			if (rc == 0) {
				free(ids);
				return cli_usage_error(
						       _("refresh: no platform named '%s' (add it with "
						       "'kmrep add')"),
						       argv[i]);
			}
			ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
			ids[n++] = id;
		}
	} else {
		struct platform *ps;
		size_t np;
		if (store_platform_list(st, 0, &ps, &np, err) < 0) {
			msg_error("refresh: %s", err);
			return EXIT_INTERNAL;
		}
		for (size_t i = 0; i < np; i++) {
			ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
			ids[n++] = ps[i].id;
		}
		platform_list_free(ps, np);
		if (n == 0) {
			msg_info(_("no platforms tracked yet; add one with 'kmrep add NAME --domain D'"));
			return EXIT_DONE;
		}
	}
	status = cli_refresh(cli, ids, n, sources, full, true);
	free(ids);
	if (discover && status != EXIT_LOCKED && status != EXIT_INTERNAL)
		status = run_discover(cli, sources, status);
	return status;
}

const struct command cmd_refresh = {
	.name = "refresh",
	.run = run,
	.synopsis = "[NAME...] [--source LIST] [--full] [--discover]",
	.summary = N_("fetch, parse and store for all or the named platforms"),
	.help = N_("  --source LIST  only these sources, comma-separated (below)\n"
		"  --full         re-read everything (default: stop at the first page with\n"
		"                 nothing new; ICP answers are reused for [icp] cache_days)\n"
		"  --discover     then search for untracked card platforms (kmrep discover)\n"
		"                 and say how many were found: one line, also under -q\n"
		"\nPrints one summary line (nothing with -q) and one line per failure.\n"
		"Exit 1 when any source or page failed, 4 when another refresh is running.\n"),
	.lists = CLI_LIST_SOURCES,
};
