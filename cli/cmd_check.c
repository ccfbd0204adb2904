/* kmrep check NAME|DOMAIN|URL [--refresh] [--format F] [--explain]
 * [--fail-on caution|avoid]: the pre-purchase verdict.  An unknown platform
 * is added and refreshed first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "msg.h"
#include "output.h"
#include "platform_input.h"
#include "report/render.h"
#include "store.h"
#include "sync/registry.h"

/* Adds an unknown platform: a domain or URL becomes its domain (and, for
 * lack of a better one, its name); anything else is a name. */
static int
add_unknown(struct cli *cli, struct store *st, const char *key, int64_t *id)
{
	char err[ERRBUF_SIZE];
	struct platform_input in;
	platform_input_init(&in);
	int status = EXIT_DONE;
	if (looks_like_domain(key)) {
		if (platform_input_add_domain(&in, key, err) < 0) {
			status = cli_usage_error("check: %s", err);
			goto out;
		}
		char *name = host_registrable(in.domains[0]);
		platform_input_set_name(&in, name ? name : in.domains[0], err);
		free(name);
	} else if (platform_input_set_name(&in, key, err) < 0) {
		status = cli_usage_error("check: %s", err);
		goto out;
	}
	int created;
	if (platform_input_save(&in, st, cli->now, id, &created, err) < 0) {
		msg_error("check: %s", err);
		status = EXIT_INTERNAL;
		goto out;
	}
	msg_info("%s is new to kmrep: tracking it and fetching its data first", key);
out:
	platform_input_finish(&in);
	return status;
}

static int
verdict_rank(enum verdict v)
{
	/* Not rated means "we do not know": as bad as caution for a script that
	 * refuses to buy on caution, never as bad as avoid. */
	return v == VERDICT_RECOMMEND ? 0 : v == VERDICT_AVOID ? 2 : 1;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"refresh", no_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{"explain", no_argument, NULL, 'e'},
		{"fail-on", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text";
	bool refresh = false, explain = false;
	int fail_rank = -1, c;
	char err[ERRBUF_SIZE] = "";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			refresh = true;
			break;
		case 'f':
			format = optarg;
			break;
		case 'e':
			explain = true;
			break;
		case 'F':
			if (!strcmp(optarg, "caution"))
				fail_rank = 1;
			else if (!strcmp(optarg, "avoid"))
				fail_rank = 2;
			else
				return cli_usage_error(
						       "check: --fail-on must be caution or avoid, "
						       "not '%s'",
						       optarg);
			break;
		default:
			return cli_usage_error(
					       "check: unknown option or missing argument '%s'",
					       argv[optind - 1]);
		}
	}
	const struct renderer *renderer = renderer_find(format, RENDER_CHECK);
	if (!renderer) {
		char names[128];
		renderer_names(RENDER_CHECK, ", ", " or ", names, sizeof(names));
		return cli_usage_error("check: --format must be %s, not '%s'", names, format);
	}
	if (optind != argc - 1)
		return cli_usage_error("check: expected one platform NAME, DOMAIN or URL");
	const char *key = argv[optind];

	/* Only an unknown platform or --refresh writes. */
	struct store *st = refresh ? cli_store(cli) : cli_store_read(cli);
	if (!st)
		return EXIT_INTERNAL;
	int64_t id;
	int found = store_platform_find(st, key, &id, err);
	if (found < 0) {
		msg_error("check: %s", err);
		return EXIT_INTERNAL;
	}
	int status = EXIT_DONE;
	if (!found) {
		if (!(st = cli_store(cli)))
			return EXIT_INTERNAL;
		status = add_unknown(cli, st, key, &id);
		if (status != EXIT_DONE)
			return status;
		refresh = true;
	}
	if (refresh) {
		bool all[SOURCE_MAX];
		for (size_t i = 0; i < SOURCE_MAX; i++)
			all[i] = true;
		status = cli_refresh(cli, &id, 1, all, false, false);
		if (status == EXIT_INTERNAL || status == EXIT_LOCKED)
			return status;
	}

	struct platform_view v;
	if (platform_view_load(st, &cli->cfg, id, cli->now, true, &v, err) < 0) {
		msg_error("check: %s", err);
		platform_view_finish(&v);
		return EXIT_INTERNAL;
	}
	const char *no_color = getenv("NO_COLOR");
	struct render_ctx ctx = {
		.view = RENDER_CHECK,
		.cfg = &cli->cfg,
		.color = isatty(STDOUT_FILENO) && !(no_color && *no_color),
		.explain = explain,
	};
	struct output o;
	if (output_open(&o, NULL, err) < 0) {
		msg_error("check: %s", err);
		platform_view_finish(&v);
		return EXIT_INTERNAL;
	}
	ctx.out = o.fp;
	int ok = render_all(renderer, &ctx, &v, 1) == 0;
	if (output_close(&o, ok, err) < 0) {
		msg_error("check: %s", *err ? err : "write error on standard output");
		platform_view_finish(&v);
		return EXIT_INTERNAL;
	}
	if (fail_rank >= 0 && verdict_rank(v.score.verdict) >= fail_rank)
		status = EXIT_THRESHOLD;
	platform_view_finish(&v);
	return status;
}

const struct command cmd_check = {
	.name = "check",
	.run = run,
	.synopsis = "NAME|DOMAIN|URL [--refresh] [--format F] [--explain] "
		    "[--fail-on caution|avoid]",
	.formats = RENDER_CHECK,
	.summary = "the pre-purchase verdict, with reasons and evidence links",
	.help = "  --refresh          fetch fresh data first (an unknown platform always is)\n"
		"  --format F         one of the formats below (default text); json is\n"
		"                     schema kmrep.check/1\n"
		"  --explain          also every constant and intermediate value of km-risk/2\n"
		"  --fail-on LEVEL    exit 10 when the verdict is LEVEL or worse: caution\n"
		"                     (谨慎下单, 数据不足 or 不建议下单) or avoid (不建议下单)\n"
		"\nThe verdict: 建议下单 recommend, 谨慎下单 caution, 不建议下单 avoid,\n"
		"数据不足 not rated (fewer than 5 complaints).  A platform whose complaint\n"
		"source failed or was never read is never recommended.\n",
};
