/* kmrep import --source S [--platform NAME] FILE...: parse pages
 * or API responses saved from a browser (when the sites refuse kmrep, or to
 * add evidence by hand).  Each file is one transaction: a file that does not
 * parse changes nothing. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "i18n.h"
#include "msg.h"
#include "parse/category.h"
#include "store.h"
#include "sync/registry.h"
#include "sync/replay.h"

/* The whole of path ("-": stdin), at most cap bytes (the network path's
 * [general] max_body_kib): a bigger file (or /dev/zero) is refused after
 * reading cap + 1 bytes, never read into memory whole. */
static char *
read_file(const char *path, size_t cap, size_t *len, char *err)
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
	while (b.len <= cap && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	int bad = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (bad || b.len > cap) {
		if (bad)
			set_err(err, "cannot read %s", path);
		else
			set_err(err, "%s is larger than the %zu KiB limit ([general] max_body_kib); "
				     "not imported", path, cap / 1024);
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
					       _("import: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
	}
	if (!source || registry_find(source) < 0) {
		char names[128];
		registry_names(names, sizeof(names));
		return cli_usage_error(_("import: --source must be one of %s"), names);
	}
	if (optind >= argc)
		return cli_usage_error(_("import: no FILE given"));

	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	int64_t platform_id = 0;
	if (platform) {
		int found = store_platform_find(st, platform, &platform_id, err);
		if (found <= 0) {
			if (found < 0)
				msg_error("import: %s", err);
			else
				msg_error(_("import: no platform named '%s'"), platform);
			return found < 0 ? EXIT_INTERNAL : EXIT_USAGE;
		}
	}
	struct replay r = {.st = st, .now = cli->now, .platform_id = platform_id};
	r.cat = categorizer_create(&cli->cfg.score, err);
	if (!r.cat) {
		msg_error("import: %s", err);
		return EXIT_INTERNAL;
	}
	int status = EXIT_DONE;
	/* Files commit together, up to 10,000 complaints or 64 MB at a time; each
	 * file is still all or nothing (a savepoint). */
	if (store_batch_begin(st, 10000, 64u << 20, err) < 0) {
		msg_error("import: %s", err);
		status = EXIT_INTERNAL;
	}
	for (int i = optind; i < argc && status != EXIT_USAGE; i++) {
		size_t len;
		char *body = read_file(argv[i], (size_t)cli->cfg.max_body_kib * 1024, &len, err);
		if (!body) {
			msg_error("import: %s", err);
			status = EXIT_PARTIAL;
			continue;
		}
		r.body = body;
		r.len = len;
		/* Each file is one transaction: it lands whole or not at all. */
		int rc = store_begin(st, err) < 0 ? -ERR_DB : sync_replay(source, &r, err);
		if (rc == 0 && store_commit(st, err) < 0)
			rc = -ERR_DB;
		if (rc < 0) {
			store_rollback(st, NULL);
			if (rc == -ERR_USAGE) {
				status = cli_usage_error("import: %s", err);
			} else {
				msg_error("import: %s: %s", argv[i], err);
				if (status != EXIT_INTERNAL)
					status = rc == -ERR_DB ? EXIT_INTERNAL : EXIT_PARTIAL;
			}
		} else {
			msg_verbose(_("imported %s"), argv[i]);
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
	if (r.added || r.changed)
		msg_info(_("imported %u new and %u updated complaints"), r.added, r.changed);
	categorizer_destroy(r.cat);
	return status;
}

const struct command cmd_import = {
	.name = "import",
	.run = run,
	.synopsis = "--source S [--platform NAME] FILE...",
	.summary = N_("parse pages or API responses saved from a browser"),
	.help = N_("  --source S       a complaint site: a complaint list (JSON/JSONP) or a\n"
		"                   complaint's detail page; icp: a MIIT queryByCondition JSON\n"
		"                   answer; site: the platform's home page (needs --platform)\n"
		"  --platform NAME  the platform the complaints or page belong to (complaint\n"
		"                   lists default to the platform their merchant is mapped to;\n"
		"                   a platform bound to merchants keeps only theirs)\n"
		"\nEach FILE (- for standard input) is atomic: a file that does not parse\n"
		"changes nothing and the others still import (exit 1).  Files are committed\n"
		"in batches of up to 10,000 complaints or 64 MB.\n"),
	.lists = CLI_LIST_SOURCES,
};
