#include "refresh.h"
#include "i18n.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interrupt.h"
#include "msg.h"
#include "timeutil.h"
#include "parse/category.h"
#include "progress.h"
#include "source.h"
#include "store.h"
#include "sync.h"

/* How the progress line names source i: a complaint site by its name, the
 * others by what they are. */
static const char *
source_label(size_t i)
{
	if (registry[i].kind == SOURCE_HOMEPAGE)
		return i18n_pgettext("source", NC_("source", "home page"));
	return registry[i].short_title;
}

/* Queues the jobs of every selected source for platform id. */
static void
start_platform(struct sync *s, int64_t id)
{
	char err[ERRBUF_SIZE];
	struct platform p;
	if (store_platform_get(s->st, id, &p, err) < 0) {
		msg_error("%s", err);
		s->internal_error = true;
		return;
	}
	s->platforms++;
	for (size_t i = 0; i < registry_count(); i++) {
		if (!s->sources[i])
			continue;
		const struct source_desc *d = registry[i].desc;
		if (source_enabled(i, s->cfg) && (!d->needs_domain || p.n_domains))
			sync_job_queue(s, i, id);
	}
	platform_finish(&p);
}

/* Every selected source that applies to a platform ends its job with a
 * recorded outcome; a platform it never reached would read as "never
 * queried" (an ICP check silently skipped is a false safe verdict), so that
 * is reported as the internal error it is.  An interrupted run is exempt:
 * its queued jobs never started, and it says so. */
static void
check_every_job_ran(struct sync *s, const int64_t *ids, size_t n, int64_t started_at)
{
	char err[ERRBUF_SIZE];
	for (size_t k = 0; k < n; k++) {
		struct platform p;
		if (store_platform_get(s->st, ids[k], &p, err) < 0)
			continue;
		for (size_t i = 0; i < registry_count(); i++) {
			const struct source_desc *d = registry[i].desc;
			if (!s->sources[i] || !source_enabled(i, s->cfg) || (d->needs_domain && !p.n_domains))
				continue;
			struct fetch_state f;
			int rc = store_fetch_state_get(s->st, ids[k], registry[i].name, &f, err);
			if (rc == 0 || (rc == 1 && f.last_attempt_at < started_at)) {
				msg_error("%s: %s: not run by this refresh (a bug in kmrep)", p.name,
					  registry[i].name);
				s->internal_error = true;
			}
			if (rc == 1)
				fetch_state_finish(&f);
		}
		platform_finish(&p);
	}
}

enum refresh_status
sync_run_open(const char *db_path, struct store_lock **lock, long *holder)
{
	char err[ERRBUF_SIZE];
	int locked = store_lock_acquire(db_path, lock, holder, err);
	if (locked == 1)
		return REFRESH_LOCKED;
	if (locked < 0) {
		msg_error("%s", err);
		return REFRESH_ERROR;
	}
	/* A reader that closed its pipe must not kill a run half-way. */
	signal(SIGPIPE, SIG_IGN);
	/* Only runs that fetch pay for libcurl's (and OpenSSL's) set-up. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return REFRESH_DONE;
}

void
sync_run_close(struct store_lock *lock)
{
	curl_global_cleanup();
	store_lock_release(lock);
}

enum refresh_status
sync_refresh(struct store *st, const struct refresh_options *o, const int64_t *ids, size_t n,
	     struct refresh_result *res)
{
	char err[ERRBUF_SIZE];
	memset(res, 0, sizeof(*res));
	struct store_lock *lock;
	enum refresh_status opened = sync_run_open(o->db_path, &lock, &res->lock_holder);
	if (opened != REFRESH_DONE)
		return opened;

	double started = time_monotonic_s();
	struct sync s = {.cfg = o->cfg, .now = o->now, .st = st, .full = o->full};
	memcpy(s.sources, o->sources, sizeof(s.sources));
	struct http_options opt;
	http_options_from_config(&opt, o->cfg);
	opt.stop_requested = interrupt_requested; /* Ctrl-C: nothing new, in-flight dropped */
	opt.tick = sync_tick;
	opt.tick_user = &s;
	enum refresh_status status;
	s.http = http_client_create(&opt, err);
	s.cat = s.http ? categorizer_create(&o->cfg->score, err) : NULL;
	if (!s.http || !s.cat) {
		msg_error("%s", err);
		status = REFRESH_ERROR;
		goto out;
	}
	s.progress = progress_create(!o->progress);
	for (size_t i = 0; i < registry_count(); i++)
		if (s.sources[i] && source_enabled(i, o->cfg))
			progress_source(s.progress, i, source_label(i),
					source_interval_ms(i, o->cfg));
	for (size_t i = 0; i < n && !interrupt_requested(); i++)
		start_platform(&s, ids[i]);
	/* A source may queue a second round once the first is done (黑猫's
	 * anonymous feed, read once for every platform behind the login wall). */
	for (int round = 0; round < 2; round++) {
		if (http_client_run(s.http, err) < 0 && !interrupt_requested()) {
			msg_error("%s", err);
			s.internal_error = true;
		}
		bool more = false;
		for (size_t i = 0; i < registry_count(); i++) {
			const struct source_desc *d = registry[i].desc;
			if (s.sources[i] && d->after_run && d->after_run(&s, round > 0))
				more = true;
		}
		if (!more)
			break;
	}
	progress_destroy(s.progress);
	s.progress = NULL;
	res->interrupted = interrupt_requested();
	if (!res->interrupted)
		check_every_job_ran(&s, ids, n, o->now);
	if (res->interrupted) {
		/* The caller prints the one-line summary. */
		if (!s.failures)
			s.failures++; /* partial even when no job was in flight */
	}
	struct http_stats hs;
	http_client_stats(s.http, &hs);
	res->platforms = s.platforms;
	res->new_complaints = s.new_complaints;
	res->updated_complaints = s.updated_complaints;
	res->failures = s.failures;
	res->requests = hs.requests;
	res->seconds = time_monotonic_s() - started;
	status = s.internal_error ? REFRESH_ERROR : s.failures ? REFRESH_PARTIAL : REFRESH_DONE;
out:
	progress_destroy(s.progress);
	categorizer_destroy(s.cat);
	http_client_destroy(s.http);
	sync_finish(&s);
	sync_run_close(lock);
	return status;
}
