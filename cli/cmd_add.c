/* kmrep add NAME [--domain D]... [--alias A]... [--SITE-ID ID]... (one pin option
 * per complaint site in the registry) */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "err.h"
#include "msg.h"
#include "platform_input.h"
#include "store.h"
#include "sync/registry.h"
#include "text.h"
#include "xalloc.h"

/* Sets *via to the first of in's domains and aliases that some platform
 * already owns (the one add merges into), else NULL; *via_alias tells
 * which kind it is.  0 or -1. */
static int
owner_before(struct store *st, const struct platform_input *in, const char **via,
	     bool *via_alias, char *err)
{
	int64_t id;
	*via = NULL;
	for (size_t i = 0; i < in->n_domains && !*via; i++) {
		int r = store_platform_find(st, in->domains[i], &id, err);
		if (r < 0)
			return -1;
		if (r)
			*via = in->domains[i];
	}
	for (size_t i = 0; i < in->n_aliases && !*via; i++) {
		int r = store_platform_find(st, in->aliases[i], &id, err);
		if (r < 0)
			return -1;
		if (r) {
			*via = in->aliases[i];
			*via_alias = true;
		}
	}
	return 0;
}

static bool
same_name(const char *a, const char *b)
{
	char *ka = text_name_key(a), *kb = text_name_key(b);
	bool same = !strcmp(ka, kb);
	free(ka);
	free(kb);
	return same;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	/* --domain, --alias, then each complaint site's pin (value PIN + its
	 * registry position). */
	enum { PIN = 256 };
	struct option opts[2 + SOURCE_MAX + 1] = {
		{"domain", required_argument, NULL, 'd'},
		{"alias", required_argument, NULL, 'a'},
	};
	size_t n_opts = 2;
	for (size_t i = 0; i < registry_count(); i++)
		if (registry[i].pin_option)
			opts[n_opts++] = (struct option){registry[i].pin_option, required_argument,
							 NULL, PIN + (int)i};
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
		default:
			if (c >= PIN && c < PIN + SOURCE_MAX) {
				rc = platform_input_add_pin(&in, (size_t)(c - PIN), optarg, err);
				break;
			}
			status = cli_usage_error(_("add: unknown option or missing argument '%s'"),
						 argv[optind - 1]);
			goto out;
		}
		if (rc < 0) {
			status = cli_usage_error("add: %s", err);
			goto out;
		}
	}
	if (optind != argc - 1) {
		status = cli_usage_error(_("add: expected exactly one platform NAME"));
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
	int64_t id, named_id = 0;
	int created;
	const char *via = NULL;
	bool via_alias = false;
	if (store_platform_find(st, in.name, &named_id, err) < 0 ||
	    owner_before(st, &in, &via, &via_alias, err) < 0) {
		msg_error("add: %s", err);
		status = EXIT_INTERNAL;
		goto out;
	}
	int rc = platform_input_save(&in, st, cli->now, &id, &created, err);
	if (rc < 0) {
		msg_error("add: %s", err);
		status = rc == -ERR_CONFLICT ? EXIT_USAGE : EXIT_INTERNAL;
		goto out;
	}
	struct platform p = {0};
	if (created) {
		msg_info(_("tracking %s"), in.name);
	} else if (store_platform_get(st, id, &p, err) < 0) {
		msg_error("add: %s", err);
		status = EXIT_INTERNAL;
	} else if (same_name(p.name, in.name)) {
		msg_info(_("updated %s"), in.name);
	} else if (named_id == id) {
		msg_info(_("updated %s (%s is one of its names)"), p.name, in.name);
	} else {
		msg_info(via_alias ? _("added %s as an alias of %s, also called %s")
				   : _("added %s as an alias of %s, which owns %s"),
			 in.name, p.name, via ? via : "?");
	}
	platform_finish(&p);
out:
	platform_input_finish(&in);
	return status;
}

const struct command cmd_add = {
	.name = "add",
	.run = run,
	.synopsis = "NAME [--domain D]... [--alias A]... [--SITE-ID ID]...",
	.summary = N_("track a platform (idempotent: merges into an existing one)"),
	.help = N_("  --domain D         a domain the platform sells on (www. and URLs accepted)\n"
		"  --alias A          another name buyers or complaint sites use for it\n"
		"  --SITE-ID ID       bind its merchant on a complaint site: the merchant's id\n"
		"                     or its page's URL (the site's name search is skipped; on a\n"
		"                     site without one, only bound merchants' lists are read):\n"),
	.lists = CLI_LIST_PINS,
};
