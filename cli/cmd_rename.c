/* kmrep rename OLD NEW: give a platform another name; its domains, aliases,
 * merchants, complaints and history stay with it. */
#include <stdio.h>

#include "i18n.h"
#include "cli.h"
#include "err.h"
#include "msg.h"
#include "platform_input.h"
#include "store.h"

static int
run(struct cli *cli, int argc, char **argv)
{
	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return cli_usage_error("rename: expected OLD and NEW platform names");
	char err[ERRBUF_SIZE];
	struct platform_input in;
	platform_input_init(&in);
	int status = EXIT_DONE;
	if (platform_input_set_name(&in, argv[2], err) < 0) {
		status = cli_usage_error("rename: %s", err);
		goto out;
	}
	struct store *st = cli_store(cli);
	if (!st) {
		status = EXIT_INTERNAL;
		goto out;
	}
	int64_t id;
	int found = store_platform_find(st, argv[1], &id, err);
	if (found < 0) {
		msg_error("rename: %s", err);
		status = EXIT_INTERNAL;
		goto out;
	}
	if (!found) {
		msg_error(_("rename: no tracked platform named '%s'"), argv[1]);
		status = EXIT_USAGE;
		goto out;
	}
	int rc = store_platform_rename(st, id, in.name, err);
	if (rc < 0) {
		msg_error("rename: %s", err);
		status = rc == -ERR_CONFLICT ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	msg_info(_("renamed %s to %s"), argv[1], in.name);
out:
	platform_input_finish(&in);
	return status;
}

const struct command cmd_rename = {
	.name = "rename",
	.run = run,
	.synopsis = "OLD NEW",
	.summary = N_("rename a platform, keeping its domains, aliases and history"),
	.help = N_("  OLD may be the platform's name, an alias or a domain.  NEW must not be\n"
		"  another platform's name or alias (exit 2); an alias of the same platform\n"
		"  becomes its name.  The old name is not kept: `kmrep add NEW --alias OLD`\n"
		"  keeps it as an alias.\n"),
};
