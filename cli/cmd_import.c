/* kmrep import --source heimao|icp|site [--platform NAME] FILE...: parse pages
 * or API responses saved from a browser (when the sites refuse kmrep, or to
 * add evidence by hand).  Each file is one transaction: a file that does not
 * parse changes nothing. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fetch/url.h"
#include "ingest.h"
#include "msg.h"
#include "report/category.h"
#include "store.h"
#include "xalloc.h"

static char *
read_file(const char *path, size_t *len, char *err)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!fp) {
		set_err(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b;
	buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	int bad = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (bad) {
		set_err(err, "cannot read %s", path);
		buf_finish(&b);
		return NULL;
	}
	*len = b.len;
	return buf_steal(&b);
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"platform", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	const char *source = NULL, *platform = NULL;
	char err[ERRBUF_SIZE];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			source = optarg;
		else if (c == 'p')
			platform = optarg;
		else
			return cli_usage_error(
					       "import: unknown option or missing argument '%s'",
					       argv[optind - 1]);
	}
	if (!source || (strcmp(source, "heimao") && strcmp(source, "icp") && strcmp(source, "site")))
		return cli_usage_error("import: --source must be heimao, icp or site");
	if (optind >= argc)
		return cli_usage_error("import: no FILE given");
	if (!strcmp(source, "site") && !platform)
		return cli_usage_error("import: a site page needs --platform NAME");

	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	int64_t platform_id = 0;
	struct platform p = {0};
	if (platform) {
		int found = store_platform_find(st, platform, &platform_id, err);
		if (found <= 0) {
			if (found < 0)
				msg_error("import: %s", err);
			else
				msg_error("import: no platform named '%s'", platform);
			return found < 0 ? EXIT_INTERNAL : EXIT_USAGE;
		}
		if (store_platform_get(st, platform_id, &p, err) < 0) {
			msg_error("import: %s", err);
			return EXIT_INTERNAL;
		}
	}
	if (!strcmp(source, "site") && p.n_domains == 0) {
		platform_finish(&p);
		return cli_usage_error("import: %s has no domain (add one with "
						 "'kmrep add NAME --domain D')",
				       platform);
	}
	char *icp_domain = p.n_domains ? domain_registrable(p.domains[0]) : NULL;

	struct sync s = {.cli = cli, .st = st};
	s.cat = categorizer_create(&cli->cfg.score, err);
	if (!s.cat) {
		msg_error("import: %s", err);
		platform_finish(&p);
		free(icp_domain);
		return EXIT_INTERNAL;
	}
	int status = EXIT_DONE;
	/* Files commit together, up to 10,000 complaints or 64 MB at a time; each
	 * file is still all or nothing (a savepoint). */
	if (store_batch_begin(st, 10000, 64u << 20, err) < 0) {
		msg_error("import: %s", err);
		status = EXIT_INTERNAL;
	}
	for (int i = optind; i < argc; i++) {
		size_t len;
		char *body = read_file(argv[i], &len, err);
		if (!body) {
			msg_error("import: %s", err);
			status = EXIT_PARTIAL;
			continue;
		}
		int db_error = 0, rc;
		if (store_begin(st, err) < 0) {
			db_error = 1;
			rc = -1;
		} else if (!strcmp(source, "heimao")) {
			rc = ingest_heimao(&s, platform_id, false, NULL, body, len, &db_error, err);
		} else if (!strcmp(source, "icp")) {
			rc = ingest_icp(&s, icp_domain, body, len, &db_error, err);
		} else {
			rc = ingest_site(&s, platform_id, p.domains[0], body, len, NULL, &db_error,
					 err);
		}
		if (rc == 0 && store_commit(st, err) < 0)
			rc = -1, db_error = 1;
		if (rc < 0) {
			store_rollback(st, NULL);
			msg_error("import: %s: %s", argv[i], err);
			status = db_error ? EXIT_INTERNAL : status == EXIT_INTERNAL ? status
										 : EXIT_PARTIAL;
		} else {
			msg_verbose("imported %s", argv[i]);
		}
		free(body);
		if (store_batch_page_done(st, len, err) < 0) {
			msg_error("import: %s", err);
			status = EXIT_INTERNAL;
		}
	}
	if (store_batch_end(st, 1, err) < 0) {
		msg_error("import: %s", err);
		status = EXIT_INTERNAL;
	}
	if (s.new_complaints || s.updated_complaints)
		msg_info("imported %u new and %u updated complaints", s.new_complaints,
			 s.updated_complaints);
	categorizer_destroy(s.cat);
	platform_finish(&p);
	free(icp_domain);
	return status;
}

const struct command cmd_import = {
	.name = "import",
	.run = run,
	.synopsis = "--source heimao|icp|site [--platform NAME] FILE...",
	.summary = "parse pages or API responses saved from a browser",
	.help = "  --source S       heimao: complaint list JSON/JSONP or a complaint's detail page\n"
		"                   icp: a MIIT queryByCondition JSON answer\n"
		"                   site: the platform's home page (needs --platform)\n"
		"  --platform NAME  the platform the complaints or page belong to (heimao lists\n"
		"                   default to the platform their merchant is mapped to)\n"
		"\nEach FILE (- for standard input) is atomic: a file that does not parse\n"
		"changes nothing and the others still import (exit 1).  Files are committed\n"
		"in batches of up to 10,000 complaints or 64 MB.\n",
};
