/* kmrep remove NAME */
#include <stdio.h>

#include "cli.h"
#include "i18n.h"
#include "err.h"
#include "msg.h"
#include "store.h"

static int
run(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error(_("remove: expected exactly one platform NAME"));
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	char err[ERRBUF_SIZE];
	int rc = store_platform_remove(st, argv[1], cli->now, err);
	if (rc < 0) {
		msg_error("remove: %s", err);
		return EXIT_INTERNAL;
	}
	if (rc == 1) {
		msg_error(_("remove: no tracked platform named '%s'"), argv[1]);
		return EXIT_USAGE;
	}
	msg_info(_("stopped tracking %s (its complaints stay in the database)"), argv[1]);
	return EXIT_DONE;
}

const struct command cmd_remove = {
	.name = "remove",
	.run = run,
	.synopsis = "NAME",
	.summary = N_("stop tracking a platform (its complaints stay, marked untracked)"),
	.help = "",
};
