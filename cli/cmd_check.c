/* kmrep check NAME|DOMAIN|URL [--refresh] [--format F] [--explain]
 * [--fail-on caution|avoid]: the pre-purchase verdict.  An unknown platform
 * is added and refreshed first. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "host.h"
#include "msg.h"
#include "output.h"
#include "platform_input.h"
#include "report/render.h"
#include "store.h"
#include "sync/registry.h"
#include "text.h"

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
	msg_info(_("%s is new to kmrep: tracking it and fetching its data first"), key);
out:
	platform_input_finish(&in);
	return status;
}

/* True when the name keys a and b share enough: one holds the other. */
static bool
keys_near(const char *a, const char *b)
{
	return *a && *b && (strstr(a, b) || strstr(b, a));
}

/* The first DNS label of key's registrable domain ("xingchen-km" for
 * https://www.xingchen-km.net/), or NULL (caller frees). */
static char *
domain_stem(const char *key)
{
	char *d = host_registrable(key);
	if (d)
		d[strcspn(d, ".")] = '\0';
	return d;
}

/* The tracked platforms key may mean: a name or alias that holds key or that
 * key holds, a merchant of theirs whose name does, or a domain with the same
 * stem.  Prints them to out as "did you mean" lines with the commands to
 * use; returns how many (0: nothing printed), -1 on a database error. */
static int
suggest(struct store *st, FILE *out, const char *key, char *err)
{
	struct platform *list;
	size_t n;
	if (store_platform_list(st, 0, &list, &n, err) < 0)
		return -1;
	bool is_domain = looks_like_domain(key);
	char *nk = text_name_key(key);
	char *stem = is_domain ? domain_stem(key) : NULL;
	int found = 0;
	for (size_t i = 0; i < n && found < 5; i++) {
		const struct platform *p = &list[i];
		const char *why = NULL;
		char *k = text_name_key(p->name);
		if (!is_domain && keys_near(k, nk))
			why = N_("name");
		free(k);
		for (size_t a = 0; a < p->n_aliases && !why && !is_domain; a++) {
			k = text_name_key(p->aliases[a]);
			if (keys_near(k, nk))
				why = N_("alias");
			free(k);
		}
		for (size_t d = 0; d < p->n_domains && !why && stem && *stem; d++) {
			char *ds = domain_stem(p->domains[d]);
			if (ds && !strcmp(ds, stem))
				why = N_("domain");
			free(ds);
		}
		if (!why && !is_domain) {
			struct merchant_ref *m;
			size_t nm;
			if (store_merchant_list(st, p->id, NULL, &m, &nm, err) < 0) {
				found = -1;
				break;
			}
			for (size_t j = 0; j < nm && !why; j++) {
				if (!m[j].name)
					continue;
				k = text_name_key(m[j].name);
				if (keys_near(k, nk))
					why = N_("merchant");
				free(k);
			}
			merchant_ref_list_free(m, nm);
		}
		if (!why)
			continue;
		if (!found++)
			fprintf(out, _("%s is not tracked. Did you mean:\n"), key);
		fprintf(out, _("  %s (tracked; by its %s)   kmrep check %s\n"), p->name, _(why), p->name);
	}
	if (found > 0) {
		fprintf(out, _("To make %s another name of one of them: kmrep add NAME %s %s\n"), key,
			is_domain ? "--domain" : "--alias", key);
		fprintf(out, _("To track %s as a platform of its own: kmrep check %s --add\n"), key, key);
	}
	free(nk);
	free(stem);
	platform_list_free(list, n);
	return found;
}

/* True when a refresh found nothing for the new platform: no merchant on a
 * complaint site, no complaint, no ICP filing and no home page read. */
static bool
found_nothing(const struct platform_view *v)
{
	if (v->n_merchants || v->score.total || v->score.n_excluded ||
	    v->input.identity.icp_status == ICP_STATUS_FILED)
		return false;
	for (size_t i = 0; i < v->n_sites; i++)
		if (v->sites[i].probed && v->sites[i].probe.ok)
			return false;
	return true;
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
		{"output", required_argument, NULL, 'o'},
		{"add", no_argument, NULL, 'a'},
		{"yes", no_argument, NULL, 'y'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text", *path = NULL;
	bool refresh = false, explain = false, keep = false;
	int fail_rank = -1, c;
	char err[ERRBUF_SIZE] = "";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "y", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			refresh = true;
			break;
		case 'a':
		case 'y':
			keep = true;
			break;
		case 'f':
			format = optarg;
			break;
		case 'e':
			explain = true;
			break;
		case 'o':
			path = optarg;
			break;
		case 'F':
			if (!strcmp(optarg, "caution"))
				fail_rank = 1;
			else if (!strcmp(optarg, "avoid"))
				fail_rank = 2;
			else
				return cli_usage_error(
						       _("check: --fail-on must be caution or avoid, "
						       "not '%s'"),
						       optarg);
			break;
		default:
			return cli_usage_error(
					       _("check: unknown option or missing argument '%s'"),
					       argv[optind - 1]);
		}
	}
	const struct renderer *renderer = renderer_find(format, RENDER_CHECK);
	if (!renderer) {
		char names[128];
		renderer_names(RENDER_CHECK, ", ", " or ", names, sizeof(names));
		return cli_usage_error(_("check: --format must be %s, not '%s'"), names, format);
	}
	if (optind != argc - 1)
		return cli_usage_error(_("check: expected one platform NAME, DOMAIN or URL"));
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
	bool created = false;
	if (!found && !keep) {
		/* A short or wrong name of a tracked platform makes no junk. */
		int n = suggest(st, stdout, key, err);
		if (n < 0) {
			msg_error("check: %s", err);
			return EXIT_INTERNAL;
		}
		if (n > 0) {
			if (fflush(stdout) != 0) {
				msg_error("check: write error on standard output");
				return EXIT_INTERNAL;
			}
			return EXIT_USAGE;
		}
	}
	if (!found) {
		if (!(st = cli_store(cli)))
			return EXIT_INTERNAL;
		created = true;
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
		if (status == EXIT_INTERNAL || status == EXIT_LOCKED ||
		    status == EXIT_INTERRUPTED)
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
		.lang = cli->lang_en ? RENDER_LANG_EN : RENDER_LANG_ZH,
	};
	struct output o;
	if (output_open(&o, path, err) < 0) {
		msg_error("check: %s", err);
		platform_view_finish(&v);
		return path ? EXIT_USAGE : EXIT_INTERNAL;
	}
	ctx.out = o.fp;
	if (path)
		ctx.color = false;
	int ok = render_all(renderer, &ctx, &v, 1) == 0;
	if (output_close(&o, ok, err) < 0) {
		msg_error("check: %s", *err ? err : "write error on standard output");
		platform_view_finish(&v);
		return EXIT_INTERNAL;
	}
	if (fail_rank >= 0 && verdict_rank(v.score.verdict) >= fail_rank)
		status = EXIT_THRESHOLD;
	if (created && !keep && found_nothing(&v)) {
		/* Not kept unless asked: a typo must not become a platform. */
		if (store_platform_delete(st, id, err) < 0) {
			msg_error("check: %s", err);
			platform_view_finish(&v);
			return EXIT_INTERNAL;
		}
		msg_info(_("nothing was found for %s, so it is not kept; to track it anyway: "
			   "kmrep check %s --add (or kmrep add NAME --domain D)"),
			 key, key);
	}
	platform_view_finish(&v);
	return status;
}

const struct command cmd_check = {
	.name = "check",
	.run = run,
	.synopsis = "NAME|DOMAIN|URL [--refresh] [--format F] [--output FILE] [--explain] "
		    "[--fail-on caution|avoid] [--add|-y]",
	.formats = RENDER_CHECK,
	.summary = N_("the pre-purchase verdict, with reasons and evidence links"),
	.help = N_("  --refresh          fetch fresh data first (an unknown platform always is)\n"
		"  --format F         one of the formats below (default text); json is\n"
		"                     schema kmrep.check/1; html is one self-contained page\n"
		"                     (--lang zh|en)\n"
		"  --output FILE      write FILE atomically instead of standard output\n"
		"  --explain          also every piece of evidence of each line, and every\n"
		"                     constant and intermediate value of km-risk/2\n"
		"  --fail-on LEVEL    exit 10 when the verdict is LEVEL or worse: caution\n"
		"                     (caution, not rated or avoid) or avoid\n"
		"  --add, -y          an unknown NAME is tracked even when it looks like a\n"
		"                     tracked platform's name, alias, merchant or domain\n"
		"                     (otherwise kmrep lists those and exits 2), and kept even\n"
		"                     when nothing is found for it\n"
		"\nThe verdicts: recommended, caution, avoid, and not rated (fewer than 5\n"
		"complaints).  A platform whose complaint source failed or was never read is\n"
		"never recommended.\n"),
};
