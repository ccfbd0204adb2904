/* kmrep reparse [--source S]: run the parsers again over the raw archive, no
 * network, so a parser fix reaches data fetched before it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fetch/url.h"
#include "ingest.h"
#include "msg.h"
#include "report/category.h"
#include "sources.h"
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
	if (store_begin(s->st, err) < 0) {
		rp->db_error = 1;
		snprintf(rp->err, sizeof(rp->err), "%s", err);
		return 1;
	}
	if (!strcmp(r->source, "heimao") && (!strcmp(r->kind, "list") || !strcmp(r->kind, "detail") ||
					     !strcmp(r->kind, "search"))) {
		rc = ingest_heimao(s, r->platform_id, !strcmp(r->kind, "search"), r->url, r->body,
				   r->body_len, &db_error, err);
	} else if (!strcmp(r->source, "icp") && !strcmp(r->kind, "icp_query")) {
		rc = ingest_icp(s, NULL, r->body, r->body_len, &db_error, err);
	} else if (!strcmp(r->source, "site") && r->platform_id) {
		char *domain = url_host(r->url);
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
		return store_commit(s->st, rp->err) < 0 ? (rp->db_error = 1) : 0;
	}
	rp->pages++;
	if (db_error || store_commit(s->st, err) < 0 ||
	    store_batch_page_done(s->st, r->body_len, err) < 0) {
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
		bool set[N_SOURCES];
		if (sources_parse(optarg, set, err) < 0 || strchr(optarg, ','))
			return cli_usage_error("reparse: --source takes one of heimao, "
							  "icp, site");
		source = optarg;
	}
	if (optind != argc)
		return cli_usage_error("reparse: unexpected argument '%s'", argv[optind]);
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct sync s = {.cli = cli, .st = st};
	s.cat = categorizer_create(&cli->cfg.score, err);
	if (!s.cat) {
		msg_error("reparse: %s", err);
		return EXIT_INTERNAL;
	}
	struct reparse rp = {.s = &s};
	int status = EXIT_DONE;
	/* Responses commit together, up to 10,000 complaints or 64 MB at a
	 * time; each response is all or nothing.  A killed reparse keeps what it
	 * committed: parsing is idempotent, so running it again completes it. */
	if (store_batch_begin(st, 10000, 64u << 20, err) < 0 ||
	    store_raw_each(st, source, one, &rp, err) < 0 || rp.db_error ||
	    store_batch_end(st, 1, err) < 0) {
		store_batch_end(st, 0, NULL);
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
		"\nEach archived response is parsed again atomically; they are committed in\n"
		"batches of up to 10,000 complaints, so a killed reparse keeps whole responses\n"
		"and running it again completes it.  Exit 1 when some archived page is not\n"
		"recognised.\n",
};
