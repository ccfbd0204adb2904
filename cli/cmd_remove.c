/* kmrep remove NAME [--domain D]... [--alias A]...: stop tracking a platform,
 * or drop one of its domains or aliases and keep tracking it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"
#include "err.h"
#include "msg.h"
#include "store.h"
#include "xalloc.h"

/* After the options: NAME, then the whole platform or what items[] names. */
static int
drop(struct cli *cli, int argc, char **argv, const char **items, const int *kinds,
     size_t n_drop)
{
	if (optind != argc - 1)
		return cli_usage_error(_("remove: expected exactly one platform NAME"));
	const char *name = argv[optind];
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	char err[ERRBUF_SIZE];
	if (n_drop == 0) {
		int rc = store_platform_remove(st, name, cli->now, err);
		if (rc < 0) {
			msg_error("remove: %s", err);
			return EXIT_INTERNAL;
		}
		if (rc == 1) {
			msg_error(_("remove: no tracked platform named '%s'"), name);
			return EXIT_USAGE;
		}
		msg_info(_("stopped tracking %s (its complaints stay in the database)"), name);
		return EXIT_DONE;
	}

	int64_t id;
	int found = store_platform_find(st, name, &id, err);
	if (found < 0) {
		msg_error("remove: %s", err);
		return EXIT_INTERNAL;
	}
	if (!found) {
		msg_error(_("remove: no tracked platform named '%s'"), name);
		return EXIT_USAGE;
	}
	if (store_begin(st, err) < 0) {
		msg_error("remove: %s", err);
		return EXIT_INTERNAL;
	}
	for (size_t i = 0; i < n_drop; i++) {
		int rc = kinds[i] == 'd' ? store_platform_remove_domain(st, id, items[i], err)
					 : store_platform_remove_alias(st, id, items[i], err);
		if (rc == 0)
			continue;
		store_rollback(st, NULL);
		if (rc < 0) {
			msg_error("remove: %s", err);
			return EXIT_INTERNAL;
		}
		msg_error(kinds[i] == 'd' ? _("remove: %s has no domain '%s' (nothing was removed)")
					  : _("remove: %s has no alias '%s' (nothing was removed)"),
			  name, items[i]);
		return EXIT_USAGE;
	}
	if (store_commit(st, err) < 0) {
		store_rollback(st, NULL);
		msg_error("remove: %s", err);
		return EXIT_INTERNAL;
	}
	for (size_t i = 0; i < n_drop; i++)
		msg_info(kinds[i] == 'd' ? _("%s: removed domain %s") : _("%s: removed alias %s"), name,
			 items[i]);
	return EXIT_DONE;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"domain", required_argument, NULL, 'd'},
		{"alias", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	/* Collected first: nothing is written when an argument is wrong. */
	const char **items = xcalloc((size_t)argc + 1, sizeof(*items));
	int *kinds = xcalloc((size_t)argc + 1, sizeof(*kinds));
	size_t n_drop = 0;
	int c, status;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'd' && c != 'a') {
			status = cli_usage_error("remove: unknown option or missing argument '%s'",
						 argv[optind - 1]);
			goto out;
		}
		items[n_drop] = optarg;
		kinds[n_drop++] = c;
	}
	status = drop(cli, argc, argv, items, kinds, n_drop);
out:
	free(items);
	free(kinds);
	return status;
}

const struct command cmd_remove = {
	.name = "remove",
	.run = run,
	.synopsis = "NAME [--domain D]... [--alias A]...",
	.summary = N_("stop tracking a platform, or drop one of its domains or aliases"),
	.help = N_("  (no option)        stop tracking NAME (its complaints stay, marked untracked)\n"
		"  --domain D         drop domain D from NAME and keep tracking it (www. and a\n"
		"                     URL are accepted); its home page no longer counts\n"
		"  --alias A          drop alias A from NAME and keep tracking it\n"),
};
