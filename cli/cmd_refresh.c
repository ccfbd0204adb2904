/* kmrep refresh [NAME...] [--source LIST] [--full]: fetch, parse and store for
 * all or the named platforms, then record each platform's score.  Made for
 * cron: one run at a time, quiet with -q unless something failed, exit 1 when
 * any source or page failed. */
#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "msg.h"
#include "platform_view.h"
#include "progress.h"
#include "refresh.h"
#include "report/category.h"
#include "store.h"
#include "sync.h"
#include "xalloc.h"

static double
monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
refresh_platforms(struct cli *cli, const int64_t *ids, size_t n, const bool sources[N_SOURCES],
		  bool full, bool summary)
{
	char err[ERRBUF_SIZE];
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	long holder;
	struct store_lock *lock;
	int locked = store_lock_acquire(cli->db_path, &lock, &holder, err);
	if (locked == 1) {
		msg_error("another refresh (pid %ld) is running on %s", holder, cli->db_path);
		return EXIT_LOCKED;
	}
	if (locked < 0) {
		msg_error("%s", err);
		return EXIT_INTERNAL;
	}
	/* A reader that closed its pipe must not kill a refresh half-way. */
	signal(SIGPIPE, SIG_IGN);

	double started = monotonic_s();
	/* Only runs that fetch pay for libcurl's (and OpenSSL's) set-up. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct sync s = {.cli = cli, .st = st, .full = full};
	memcpy(s.sources, sources, sizeof(s.sources));
	struct http_options opt;
	http_options_from_config(&opt, &cli->cfg);
	int status = EXIT_DONE;
	s.http = http_client_create(&opt, err);
	s.cat = s.http ? categorizer_create(&cli->cfg.score, err) : NULL;
	if (!s.http || !s.cat) {
		msg_error("%s", err);
		status = EXIT_INTERNAL;
		goto out;
	}
	s.progress = progress_create(msg_level() < MSG_NORMAL);
	const struct config *cfg = &cli->cfg;
	for (size_t i = 0; i < n && !cli_interrupted(); i++) {
		struct platform p;
		if (store_platform_get(st, ids[i], &p, err) < 0) {
			msg_error("%s", err);
			status = EXIT_INTERNAL;
			goto out;
		}
		s.platforms++;
		if (sources[SOURCE_HEIMAO] && cfg->heimao.enabled) {
			s.jobs_total++;
			if (sync_heimao_start(&s, ids[i]) < 0)
				s.internal_error = true;
		}
		if (p.n_domains && sources[SOURCE_SITE] && cfg->site.enabled) {
			s.jobs_total++;
			if (sync_site_start(&s, ids[i]) < 0)
				s.internal_error = true;
		}
		if (p.n_domains && sources[SOURCE_ICP] && cfg->icp.enabled)
			sync_icp_enqueue(&s, ids[i]);
		platform_finish(&p);
	}
	/* Platforms stopped by the login wall get the anonymous feed, read once
	 * for all of them after everything else. */
	for (int round = 0; round < 2; round++) {
		if (http_client_run(s.http, err) < 0 && !cli_interrupted()) {
			msg_error("%s", err);
			s.internal_error = true;
		}
		if (round == 0 && !sync_feed_start(&s))
			break;
	}
	sync_feed_flush(&s);
	progress_destroy(s.progress);
	s.progress = NULL;

	/* Score every refreshed platform, so the trend rule "warning on two
	 * consecutive refreshes" has a history to look at. */
	for (size_t i = 0; i < n; i++) {
		struct platform_view v;
		if (platform_view_load(st, cfg, ids[i], cli->now, false, &v, err) < 0 ||
		    platform_view_record_score(st, &v, err) < 0) {
			msg_error("scoring: %s", err);
			s.internal_error = true;
		}
		platform_view_finish(&v);
	}
	if (cli_interrupted()) {
		msg_error("interrupted: what was fetched before the signal is stored");
		if (!s.failures)
			s.failures++; /* exit 1 even when no job was in flight */
	}
	struct http_stats hs;
	http_client_stats(s.http, &hs);
	if (summary)
		msg_info("refreshed %u platform%s: %u new and %u updated complaints, %lu requests, "
			 "%u failure%s, %.1f s",
			 s.platforms, s.platforms == 1 ? "" : "s", s.new_complaints,
			 s.updated_complaints, hs.requests, s.failures, s.failures == 1 ? "" : "s",
			 monotonic_s() - started);
	status = s.internal_error ? EXIT_INTERNAL : s.failures ? EXIT_PARTIAL : EXIT_DONE;
out:
	progress_destroy(s.progress);
	categorizer_destroy(s.cat);
	http_client_destroy(s.http);
	curl_global_cleanup();
	free(s.icp_token);
	free(s.icp_uuid);
	free(s.icp_sign);
	free(s.icp_pending);
	store_lock_release(lock);
	return status;
}

static int
run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"full", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	bool sources[N_SOURCES] = {true, true, true};
	bool full = false;
	char err[ERRBUF_SIZE];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's') {
			if (sources_parse(optarg, sources, err) < 0)
				return cli_usage_error("refresh: %s", err);
		} else if (c == 'f') {
			full = true;
		} else {
			return cli_usage_error(
					       "refresh: unknown option or missing argument '%s'",
					       argv[optind - 1]);
		}
	}
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int status;
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			int64_t id;
			int rc = store_platform_find(st, argv[i], &id, err);
			if (rc < 0) {
				msg_error("refresh: %s", err);
				free(ids);
				return EXIT_INTERNAL;
			}
			if (rc == 0) {
				free(ids);
				return cli_usage_error(
						       "refresh: no platform named '%s' (add it with "
						       "'kmrep add')",
						       argv[i]);
			}
			ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
			ids[n++] = id;
		}
	} else {
		struct platform *ps;
		size_t np;
		if (store_platform_list(st, 0, &ps, &np, err) < 0) {
			msg_error("refresh: %s", err);
			return EXIT_INTERNAL;
		}
		for (size_t i = 0; i < np; i++) {
			ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
			ids[n++] = ps[i].id;
		}
		platform_list_free(ps, np);
		if (n == 0) {
			msg_info("no platforms tracked yet; add one with 'kmrep add NAME --domain D'");
			return EXIT_DONE;
		}
	}
	status = refresh_platforms(cli, ids, n, sources, full, true);
	free(ids);
	return status;
}

const struct command cmd_refresh = {
	.name = "refresh",
	.run = run,
	.synopsis = "[NAME...] [--source LIST] [--full]",
	.summary = "fetch, parse and store for all or the named platforms",
	.help = "  --source LIST  only these sources, comma-separated: heimao,icp,site\n"
		"  --full         re-read everything (default: stop at the first page with\n"
		"                 nothing new; ICP answers are reused for [icp] cache_days)\n"
		"\nPrints one summary line (nothing with -q) and one line per failure.\n"
		"Exit 1 when any source or page failed, 4 when another refresh is running.\n",
};
