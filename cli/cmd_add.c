/* kmrep add NAME [--domain D]... [--alias A]... [--heimao-couid ID]... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "msg.h"
#include "platform_input.h"
#include "store.h"
#include "xalloc.h"

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"domain", required_argument, NULL, 'd'},
		{"alias", required_argument, NULL, 'a'},
		{"heimao-couid", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	struct platform_input in;
	platform_input_init(&in);
	int c, status = EXIT_DONE;
	char err[ERRBUF_SIZE];

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case 'd':
			rc = platform_input_add_domain(&in, optarg, err);
			break;
		case 'a':
			rc = platform_input_add_alias(&in, optarg, err);
			break;
		case 'c':
			rc = platform_input_add_couid(&in, optarg, err);
			break;
		default:
			status = cli_usage_error("add: unknown option or missing argument '%s'",
						 argv[optind - 1]);
			goto out;
		}
		if (rc < 0) {
			status = cli_usage_error("add: %s", err);
			goto out;
		}
	}
	if (optind != argc - 1) {
		status = cli_usage_error("add: expected exactly one platform NAME");
		goto out;
	}
	if (platform_input_set_name(&in, argv[optind], err) < 0) {
		status = cli_usage_error("add: %s", err);
		goto out;
	}
	struct store *st = cli_store(cli);
	if (!st) {
		status = EXIT_INTERNAL;
		goto out;
	}
	int64_t id;
	int created;
	int rc = platform_input_save(&in, st, cli->now, &id, &created, err);
	if (rc < 0) {
		msg_error("add: %s", err);
		status = rc == -ERR_CONFLICT ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	msg_info("%s %s", created ? "tracking" : "updated", in.name);
out:
	platform_input_finish(&in);
	return status;
}

const struct command cmd_add = {
	.name = "add",
	.run = run,
	.synopsis = "NAME [--domain D]... [--alias A]... [--heimao-couid ID]...",
	.summary = "track a platform (idempotent: merges into an existing one)",
	.help = "  --domain D         a domain the platform sells on (www. and a URL are accepted)\n"
		"  --alias A          another name buyers or complaint sites use for it\n"
		"  --heimao-couid ID  pin its 黑猫投诉 merchant id (skips the name search)\n",
};
