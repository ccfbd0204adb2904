/* kmrep reparse [--source S]: run the parsers again over the raw archive, no
 * network, so a parser fix reaches data fetched before it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "host.h"
#include "sync/replay.h"
#include "msg.h"
#include "parse/category.h"
#include "sync/registry.h"
#include "store.h"

struct reparse {
	struct sync *s;
	unsigned pages, failed;
	int db_error;
	char err[ERRBUF_SIZE];
};

static int
one(const struct raw_response *r, void *ctx)
{
	struct reparse *rp = ctx;
	struct sync *s = rp->s;
	char err[ERRBUF_SIZE];
	int db_error = 0, rc = 0;
	if (r->status != 200)
		return 0;
	if (!strcmp(r->source, "heimao") && (!strcmp(r->kind, "list") || !strcmp(r->kind, "detail") ||
					     !strcmp(r->kind, "search"))) {
		rc = ingest_heimao(s, r->platform_id, !strcmp(r->kind, "search"), r->url, r->body,
				   r->body_len, &db_error, err);
	} else if (!strcmp(r->source, "icp") && !strcmp(r->kind, "icp_query")) {
		rc = ingest_icp(s, NULL, r->body, r->body_len, &db_error, err);
	} else if (!strcmp(r->source, "site") && r->platform_id) {
		char *domain = host_normalise(r->url);
		struct platform p;
		/* The archive keeps the URL; the probe is filed under the platform's
		 * domain that the URL was made from. */
		if (domain && store_platform_get(s->st, r->platform_id, &p, err) == 0) {
			const char *match = NULL;
			for (size_t i = 0; i < p.n_domains; i++)
				if (strstr(r->url, p.domains[i]))
					match = p.domains[i];
			if (match)
				rc = ingest_site(s, r->platform_id, match, r->body, r->body_len,
						 r->content_type, &db_error, err);
			platform_finish(&p);
		}
		free(domain);
	} else {
		return 0;
	}
	rp->pages++;
	if (db_error) {
		rp->db_error = 1;
		snprintf(rp->err, sizeof(rp->err), "%s", err);
		return 1;
	}
	if (rc < 0) {
		rp->failed++;
		msg_verbose("reparse: %s: %s", r->url, err);
	}
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
					       "reparse: unknown option or missing argument '%s'",
					       argv[optind - 1]);
		bool set[SOURCE_MAX];
		if (registry_parse_list(optarg, set, err) < 0 || strchr(optarg, ','))
			return cli_usage_error("reparse: --source takes one of heimao, "
							  "icp, site");
		source = optarg;
	}
	if (optind != argc)
		return cli_usage_error("reparse: unexpected argument '%s'", argv[optind]);
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct sync s = {.cfg = &cli->cfg, .now = cli->now, .st = st};
	s.cat = categorizer_create(&cli->cfg.score, err);
	if (!s.cat) {
		msg_error("reparse: %s", err);
		return EXIT_INTERNAL;
	}
	struct reparse rp = {.s = &s};
	int status = EXIT_DONE;
	/* One transaction for the whole pass: all of it lands, or none. */
	if (store_begin(st, err) < 0 || store_raw_each(st, source, one, &rp, err) < 0 ||
	    rp.db_error || store_commit(st, err) < 0) {
		store_rollback(st, NULL);
		msg_error("reparse: %s", rp.db_error ? rp.err : err);
		status = EXIT_INTERNAL;
	} else {
		msg_info("reparsed %u archived responses: %u new and %u updated complaints, "
			 "%u not recognised",
			 rp.pages, s.new_complaints, s.updated_complaints, rp.failed);
		if (rp.failed)
			status = EXIT_PARTIAL;
	}
	categorizer_destroy(s.cat);
	return status;
}

const struct command cmd_reparse = {
	.name = "reparse",
	.run = run,
	.synopsis = "[--source S]",
	.summary = "parse the stored raw responses again (after a parser fix), no network",
	.help = "  --source S  only heimao, icp or site responses\n"
		"\nAll archived responses are parsed again in one transaction: everything lands\n"
		"or nothing does.  Exit 1 when some archived page is not recognised.\n",
};
