/* kmrep import --source S [--platform NAME] FILE...: parse pages
 * or API responses saved from a browser (when the sites refuse kmrep, or to
 * add evidence by hand).  Each file is one transaction: a file that does not
 * parse changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "msg.h"
#include "parse/category.h"
#include "store.h"
#include "sync/registry.h"
#include "sync/replay.h"
#include "xalloc.h"

/* The whole of path ("-": stdin), at most cap bytes (the network path's
 * [general] max_body_kib): a bigger file (or /dev/zero) is refused after
 * reading cap + 1 bytes, never read into memory whole.  A regular file is
 * read in one call into a buffer of its size (a short read of a regular
 * file is its end): imports of thousands of pages spend more on system
 * calls than on copying. */
static char *
read_file(const char *path, size_t cap, size_t *len, char *err)
{
	bool std_in = !strcmp(path, "-");
	int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat sb;
	bool regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	/* Room for the whole regular file, one byte more (so that its read comes
	 * back short) and the NUL; else grown as it comes. */
	size_t size = regular && (uintmax_t)sb.st_size < cap ? (size_t)sb.st_size + 2 : 65536;
	char *data = xmalloc(size);
	size_t n = 0;
	int read_errno = 0;
	while (n <= cap) {
		if (n + 1 >= size)
			data = xrealloc(data, size *= 2);
		size_t want = size - 1 - n;
		ssize_t got = read(fd, data + n, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			read_errno = errno;
		if (got <= 0)
			break;
		n += (size_t)got;
		if (regular && (size_t)got < want)
			break; /* a short read of a regular file is its end */
	}
	data[n] = '\0';
	if (!std_in)
		close(fd);
	if (read_errno || n > cap) {
		if (read_errno)
			set_err(err, "cannot read %s: %s", path, strerror(read_errno));
		else
			set_err(err, "%s is larger than the %zu KiB limit ([general] max_body_kib); "
				     "not imported", path, cap / 1024);
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

/* What the files gave one platform (0: none), for the summary line. */
struct tally {
	int64_t platform_id;
	unsigned pages, added, changed;
};

static struct tally *
tally_for(struct tally **list, size_t *n, size_t *cap, int64_t platform_id)
{
	for (size_t i = 0; i < *n; i++)
		if ((*list)[i].platform_id == platform_id)
			return &(*list)[i];
	*list = xgrow(*list, cap, *n + 1, sizeof(**list));
	(*list)[*n] = (struct tally){.platform_id = platform_id};
	return &(*list)[(*n)++];
}

/* The platform called id's name into out ("?" when it cannot be read). */
static void
platform_name(struct store *st, int64_t id, char *out, size_t size)
{
	struct platform p;
	char err[ERRBUF_SIZE];
	if (id && store_platform_get(st, id, &p, err) == 0) {
		snprintf(out, size, "%s", p.name);
		platform_finish(&p);
	} else {
		snprintf(out, size, "?");
	}
}

/* The one line that says why a page of another merchant was refused. */
static void
refuse_foreign(struct store *st, const char *file, const char *source, const struct replay *r,
	       const char *platform)
{
	int i = registry_find(source);
	const char *site = i >= 0 ? registry[i].short_title : source;
	if (r->foreign_owner) {
		char owner[256];
		platform_name(st, r->foreign_owner, owner, sizeof(owner));
		msg_error(_("import: %s: the page lists %s merchant %s, which belongs to %s, not to "
			    "%s; not imported (--force imports it for %s)"),
			  file, site, r->foreign_merchant, owner, platform, platform);
	} else {
		msg_error(_("import: %s: the page lists %s merchant %s, which is not one of %s's "
			    "merchants; not imported (--force imports it for %s)"),
			  file, site, r->foreign_merchant, platform, platform);
	}
}

/* One line per platform: what the files gave it. */
static void
say_imported(struct store *st, const struct tally *t)
{
	char pages[64], added[64], changed[64];
	snprintf(pages, sizeof(pages), ngettext("%u page", "%u pages", t->pages), t->pages);
	snprintf(added, sizeof(added), ngettext("%u new complaint", "%u new complaints", t->added),
		 t->added);
	snprintf(changed, sizeof(changed), ngettext("%u updated", "%u updated", t->changed),
		 t->changed);
	if (!t->platform_id) {
		msg_info(_("imported %s: %s, %s"), pages, added, changed);
		return;
	}
	char name[256];
	platform_name(st, t->platform_id, name, sizeof(name));
	msg_info(_("%s: imported %s: %s, %s"), name, pages, added, changed);
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"platform", required_argument, NULL, 'p'},
		{"force", no_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	const char *source = NULL, *platform = NULL;
	bool force = false;
	char err[ERRBUF_SIZE];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			source = optarg;
		else if (c == 'p')
			platform = optarg;
		else if (c == 'F')
			force = true;
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
	if (force && !platform)
		return cli_usage_error(_("import: --force needs --platform NAME"));

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
	char shown_platform[256] = "";
	if (platform_id)
		platform_name(st, platform_id, shown_platform, sizeof(shown_platform));
	struct replay r = {.st = st, .now = cli->now, .platform_id = platform_id, .force = force};
	r.cat = categorizer_create(&cli->cfg.score, err);
	if (!r.cat) {
		msg_error("import: %s", err);
		return EXIT_INTERNAL;
	}
	struct tally *tallies = NULL;
	size_t n_tallies = 0, cap = 0;
	int status = EXIT_DONE;
	/* Files commit together, in batches (store.h says how large); each file
	 * is still all or nothing (a savepoint). */
	if (store_batch_begin(st, STORE_BATCH_ROWS, STORE_BATCH_BYTES, err) < 0) {
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
		r.kind = NULL;
		r.url = NULL;
		r.page_platform = 0;
		unsigned added = r.added, changed = r.changed;
		/* Each file is one transaction: it lands whole or not at all, with
		 * its body in the archive, so `reparse` can redo it. */
		int rc = store_begin(st, err) < 0 ? -ERR_DB : sync_replay(source, &r, err);
		if (rc == 0) {
			char *url = xasprintf("import:%s", argv[i]);
			struct raw_response raw = {
				.source = source, .url = url, .status = 200, .fetched_at = cli->now,
				.kind = force ? REPLAY_KIND_IMPORT_FORCED : REPLAY_KIND_IMPORT,
				.body = body, .body_len = len, .platform_id = platform_id,
			};
			if (store_raw_put(st, &raw, NULL, err) < 0 || store_commit(st, err) < 0)
				rc = -ERR_DB;
			free(url);
		}
		if (rc < 0) {
			store_rollback(st, NULL);
			r.added = added;
			r.changed = changed;
			if (rc == -ERR_USAGE) {
				status = cli_usage_error("import: %s", err);
			} else if (rc == -ERR_CONFLICT && r.foreign_merchant) {
				refuse_foreign(st, argv[i], source, &r, shown_platform);
				if (status == EXIT_DONE)
					status = EXIT_PARTIAL;
			} else {
				msg_error("import: %s: %s", argv[i], err);
				if (status != EXIT_INTERNAL)
					status = rc == -ERR_DB ? EXIT_INTERNAL : EXIT_PARTIAL;
			}
		} else {
			msg_verbose(_("imported %s"), argv[i]);
			struct tally *t = tally_for(&tallies, &n_tallies, &cap,
						    platform_id ? platform_id : r.page_platform);
			t->pages++;
			t->added += r.added - added;
			t->changed += r.changed - changed;
		}
		free(r.foreign_merchant);
		r.foreign_merchant = NULL;
		free(body);
		if (store_batch_page_done(st, err) < 0) {
			msg_error("import: %s", err);
			status = EXIT_INTERNAL;
		}
	}
	if (store_batch_end(st, 1, err) < 0) {
		msg_error("import: %s", err);
		status = EXIT_INTERNAL;
	}
	if (status != EXIT_INTERNAL)
		for (size_t i = 0; i < n_tallies; i++)
			say_imported(st, &tallies[i]);
	free(tallies);
	categorizer_destroy(r.cat);
	return status;
}

const struct command cmd_import = {
	.name = "import",
	.run = run,
	.synopsis = "--source S [--platform NAME [--force]] FILE...",
	.summary = N_("parse pages or API responses saved from a browser"),
	.help = N_("  --source S       a complaint site: a complaint list (JSON/JSONP) or a\n"
		"                   complaint's detail page; icp: a MIIT queryByCondition JSON\n"
		"                   answer; site: the platform's home page (needs --platform)\n"
		"  --platform NAME  the platform the complaints or page belong to (complaint\n"
		"                   lists default to the platform their merchant is mapped to;\n"
		"                   a platform bound to merchants keeps only theirs)\n"
		"  --force          store a merchant's list for --platform even when the\n"
		"                   merchant is another platform's or not one of its own\n"
		"\nEach FILE (- for standard input) is atomic: a file that does not parse\n"
		"changes nothing and the others still import (exit 1).  A merchant's list\n"
		"for a platform bound to other merchants of that site, or a list of a\n"
		"merchant bound to another platform, is refused (exit 1) unless --force.\n"
		"Imported files are archived, so `kmrep reparse` parses them again.  One line\n"
		"per platform says what was imported.  Files are committed in batches (at\n"
		"most 500 complaints written or 1 MB of new files archived).\n"),
	.lists = CLI_LIST_SOURCES,
};
