/* kmrep reparse [--source S]: run the parsers again over the raw archive, no
 * network, so a parser fix reaches data fetched before it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "msg.h"
#include "parse/category.h"
#include "store.h"
#include "sync/registry.h"
#include "sync/replay.h"

struct reparse {
	struct replay r;
	unsigned pages, failed, refused; /* refused: imports of a merchant now another's */
	bool db_error;
	char err[ERRBUF_SIZE];
};

static int
one(const struct raw_response *raw, void *ctx)
{
	struct reparse *rp = ctx;
	char err[ERRBUF_SIZE];
	if (raw->status != 200)
		return 0;
	rp->r.platform_id = raw->platform_id;
	rp->r.body = raw->body;
	rp->r.len = raw->body_len;
	rp->r.url = raw->url;
	rp->r.kind = raw->kind;
	rp->r.content_type = raw->content_type;
	rp->r.force = false; /* an archived forced import sets it again */
	int rc = sync_replay(raw->source, &rp->r, err);
	free(rp->r.foreign_merchant); /* an import whose merchant is no longer the platform's */
	rp->r.foreign_merchant = NULL;
	rp->pages++;
	if (rc == -ERR_DB || store_batch_page_done(rp->r.st, err) < 0) {
		rp->db_error = true;
		snprintf(rp->err, sizeof(rp->err), "%s", err);
		return 1;
	}
	if (rc == -ERR_CONFLICT)
		rp->refused++;
	else if (rc < 0)
		rp->failed++;
	if (rc < 0)
		msg_verbose("reparse: %s: %s", raw->url, err);
	return 0;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	const char *source = NULL;
	char err[ERRBUF_SIZE];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 's')
			return cli_usage_error(
					       _("reparse: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
		bool set[SOURCE_MAX];
		if (registry_parse_list(optarg, set, err) < 0 || strchr(optarg, ',')) {
			char names[128];
			registry_names(names, sizeof(names));
			return cli_usage_error(_("reparse: --source takes one of %s"), names);
		}
		source = optarg;
	}
	if (optind != argc)
		return cli_usage_error(_("reparse: unexpected argument '%s'"), argv[optind]);
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct reparse rp = {.r = {.st = st, .now = cli->now}};
	rp.r.cat = categorizer_create(&cli->cfg.score, err);
	if (!rp.r.cat) {
		msg_error("reparse: %s", err);
		return EXIT_INTERNAL;
	}
	int status = EXIT_DONE;
	/* Responses commit together, in batches (store.h says how large); each
	 * response is all or nothing.  A killed reparse keeps what it
	 * committed: parsing is idempotent, so running it again completes it. */
	if (store_batch_begin(st, STORE_BATCH_ROWS, STORE_BATCH_BYTES, err) < 0 ||
	    store_raw_each(st, source, one, &rp, err) < 0 || rp.db_error ||
	    store_batch_end(st, 1, err) < 0) {
		store_batch_end(st, 0, NULL);
		msg_error("reparse: %s", rp.db_error ? rp.err : err);
		status = EXIT_INTERNAL;
	} else {
		msg_info(_("reparsed %u archived responses: %u new and %u updated complaints, "
			 "%u not recognised"),
			 rp.pages, rp.r.added, rp.r.changed, rp.failed);
		if (rp.refused)
			msg_info(ngettext("%u archived import refused: its merchant now belongs to "
					  "another platform (-v names it)",
					  "%u archived imports refused: their merchant now belongs to "
					  "another platform (-v names them)",
					  rp.refused),
				 rp.refused);
		if (rp.failed || rp.refused)
			status = EXIT_PARTIAL;
	}
	categorizer_destroy(rp.r.cat);
	return status;
}

const struct command cmd_reparse = {
	.name = "reparse",
	.run = run,
	.synopsis = "[--source S]",
	.summary = N_("parse the archived responses again, offline (after a parser fix)"),
	.help = N_("  --source S  only that source's responses (below)\n"
		"\nEach archived response is parsed again atomically; they are committed in\n"
		"batches of up to 500 complaints, so a killed reparse keeps whole responses\n"
		"and running it again completes it.  Exit 1 when some archived page is not\n"
		"recognised, or an archived import is refused because its merchant now\n"
		"belongs to another platform.\n"),
	.lists = CLI_LIST_SOURCES,
};
