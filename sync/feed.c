/* The anonymous fallback: when 黑猫's login wall stops a platform's complaint
 * lists, the latest-complaints feed (anonymous, at most 50 pages) is read once
 * for all such platforms and filtered for their merchants.  That is partial
 * coverage, so the source stays "failed" with a reason that says so: it never
 * reads as the platform's whole record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/heimao.h"
#include "interrupt.h"
#include "msg.h"
#include "parse/heimao.h"
#include "store.h"
#include "sync.h"
#include "xalloc.h"

#define FEED_MAX_PAGES 50 /* 黑猫 serves no more to anonymous readers */

struct feed_want {
	int64_t platform_id;
	struct platform platform;
	char *reason;
	char **couids;
	size_t n_couids;
	unsigned found;
};

struct feed_job {
	struct sync *s;
	struct feed_want *wants;
	size_t n_wants, cap_wants;
	int page, max_pages, pages_read;
	char ts[21], rs[17];
	char *url;
	char *stopped; /* why the feed ended early, or NULL */
};

void
sync_feed_want(struct sync *s, int64_t platform_id, const char *reason,
	       const char *const *couids, size_t n_couids)
{
	char err[ERRBUF_SIZE];
	struct feed_job *f = s->feed;
	if (!f) {
		f = s->feed = xcalloc(1, sizeof(*f));
		f->s = s;
	}
	f->wants = xgrow(f->wants, &f->cap_wants, f->n_wants + 1, sizeof(*f->wants));
	struct feed_want *w = &f->wants[f->n_wants];
	memset(w, 0, sizeof(*w));
	if (store_platform_get(s->st, platform_id, &w->platform, err) < 0) {
		msg_error("heimao: %s", err);
		s->internal_error = true;
		return;
	}
	f->n_wants++;
	w->platform_id = platform_id;
	w->reason = xstrdup(reason);
	w->couids = xcalloc(n_couids ? n_couids : 1, sizeof(char *));
	for (size_t i = 0; i < n_couids; i++)
		w->couids[i] = xstrdup(couids[i]);
	w->n_couids = n_couids;
}

static void submit_page(struct feed_job *f);

/* Hands every waiting platform on (to a details job while the run goes on,
 * otherwise straight to its failure line) and frees the job. */
static void
finish(struct feed_job *f, bool running)
{
	struct sync *s = f->s;
	for (size_t i = 0; i < f->n_wants; i++) {
		struct feed_want *w = &f->wants[i];
		char *reason = xasprintf("%s; the anonymous feed (%d page%s%s%s) had %u of its "
					 "complaints: partial coverage",
					 w->reason, f->pages_read, f->pages_read == 1 ? "" : "s",
					 f->stopped ? ", " : "", f->stopped ? f->stopped : "", w->found);
		/* Complaints the feed found still want their detail pages (anonymous);
		 * that job reports the source as failed with this reason. */
		if (w->found && running && !interrupt_requested()) {
			if (sync_heimao_start_details(s, w->platform_id, reason) < 0) {
				s->internal_error = true;
				sync_job_done(s);
			}
		} else {
			sync_job_finish(s, &w->platform, "heimao", reason, HEIMAO_LOGIN_HINT);
		}
		free(reason);
		platform_finish(&w->platform);
		free(w->reason);
		for (size_t k = 0; k < w->n_couids; k++)
			free(w->couids[k]);
		free(w->couids);
	}
	free(f->wants);
	free(f->url);
	free(f->stopped);
	s->feed = NULL;
	free(f);
}

/* Stores one feed page for every waiting platform, in one transaction. */
static int
store_page(struct feed_job *f, const struct http_response *resp, char *err)
{
	struct sync *s = f->s;
	if (store_begin(s->st, err) < 0)
		return -1;
	/* Archived once, under no platform: reparse does not re-read the feed,
	 * whose pages belong to everybody. */
	if (sync_archive(s, "heimao", "feed", f->url, resp, 0, err) < 0)
		goto fail;
	for (size_t i = 0; i < f->n_wants; i++) {
		struct feed_want *w = &f->wants[i];
		struct heimao_list_page page;
		heimao_list_page_init(&page);
		char perr[ERRBUF_SIZE];
		if (heimao_list_parse(resp->body.data, resp->body.len, &page, perr) >= 0) {
			sync_heimao_keep_platform(&page, &w->platform, w->couids, w->n_couids);
			bool all_known;
			w->found += (unsigned)page.complaints.len;
			if (sync_heimao_store_page(s, w->platform_id, &page, &all_known, err) < 0) {
				heimao_list_page_finish(&page);
				goto fail;
			}
		}
		heimao_list_page_finish(&page);
	}
	return store_commit(s->st, err);
fail:
	store_rollback(s->st, NULL);
	return -1;
}

static void
on_response(const struct http_response *resp, void *user)
{
	struct feed_job *f = user;
	struct sync *s = f->s;
	char err[ERRBUF_SIZE];
	if (resp->outcome != HTTP_DONE || resp->status != 200) {
		sync_describe_failure(resp, err, sizeof(err));
		f->stopped = xasprintf("stopped: %s", err);
		finish(f, true);
		return;
	}
	struct heimao_list_page page;
	heimao_list_page_init(&page);
	int n = heimao_list_parse(resp->body.data, resp->body.len, &page, err);
	enum heimao_page_kind kind = page.kind;
	heimao_list_page_finish(&page);
	if (n < 0 || kind != HEIMAO_PAGE_OK) {
		if (kind != HEIMAO_PAGE_EMPTY && kind != HEIMAO_PAGE_LIMIT)
			f->stopped = xasprintf("stopped: %s", err);
		finish(f, true);
		return;
	}
	if (store_page(f, resp, err) < 0) {
		msg_error("heimao feed: %s", err);
		s->internal_error = true;
		finish(f, true);
		return;
	}
	f->pages_read++;
	if (f->page >= f->max_pages || interrupt_requested()) {
		finish(f, true);
		return;
	}
	submit_page(f);
}

static void
submit_page(struct feed_job *f)
{
	struct sync *s = f->s;
	char err[ERRBUF_SIZE];
	f->page++;
	free(f->url);
	f->url = heimao_url_feed(s->cfg->heimao.base_url, f->page, f->ts, f->rs);
	struct http_request req = {
		.url = f->url,
		.headers = heimao_headers,
		.min_interval_ms = s->cfg->heimao.min_interval_ms,
	};
	if (http_client_submit(s->http, &req, on_response, f, err) < 0) {
		f->stopped = xasprintf("stopped: %s", err);
		finish(f, true);
	}
}

void
sync_feed_flush(struct sync *s)
{
	if (s->feed)
		finish(s->feed, false);
}

int
sync_feed_start(struct sync *s)
{
	struct feed_job *f = s->feed;
	if (!f || f->page)
		return 0;
	f->max_pages = s->cfg->heimao.max_pages < FEED_MAX_PAGES
		? (int)s->cfg->heimao.max_pages : FEED_MAX_PAGES;
	heimao_now_ts(f->ts);
	heimao_random_rs(f->rs);
	submit_page(f);
	return 1;
}
