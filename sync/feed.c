/* The anonymous fallback of a complaint site that has a feed (黑猫): when its
 * login wall stops a platform's complaint lists, the latest-complaints feed
 * (anonymous, at most 50 pages) is read once for all such platforms and
 * filtered for their merchants.  That is partial coverage, so the source is
 * "partial" with a reason that says so: it never reads as the platform's
 * whole record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interrupt.h"
#include "msg.h"
#include "progress.h"
#include "source.h"
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
	char **seen;     /* the distinct complaints the feed had for it */
	size_t n_seen, cap_seen;
};

struct feed_job {
	struct sync *s;
	const struct complaint_site *site;
	feed_details_fn details; /* the crawler's detail-page job */
	struct feed_want *wants;
	size_t n_wants, cap_wants;
	int page, max_pages, pages_read;
	char session[CRAWL_SESSION_SIZE];
	char *url;
	char *stopped; /* why the feed ended early, or NULL */
	unsigned answered; /* pages answered, read or not (the progress line) */
	struct progress_counts shown;
};

/* Hands the feed's pages to the progress line: answered of at most
 * max_pages, or (ended) of as many as were answered. */
static void
report_progress(struct feed_job *f, bool ended)
{
	int src = registry_find(f->site->name);
	unsigned known = ended ? f->answered : (unsigned)f->max_pages;
	struct progress_counts now = {
		.pages_done = f->answered,
		.pages_known = known > f->answered ? known : f->answered,
		.requests_left = known > f->answered ? known - f->answered : 0,
	};
	progress_count(f->s->progress, src >= 0 ? (size_t)src : SOURCE_MAX, &f->shown, &now);
}

void
sync_feed_want(struct sync *s, const struct complaint_site *site, int64_t platform_id,
	       const char *reason, const char *const *couids, size_t n_couids,
	       feed_details_fn details)
{
	char err[ERRBUF_SIZE];
	struct feed_job *f = s->feed;
	if (!f) {
		f = s->feed = xcalloc(1, sizeof(*f));
		f->s = s;
		f->site = site;
		f->details = details;
	}
	f->wants = xgrow(f->wants, &f->cap_wants, f->n_wants + 1, sizeof(*f->wants));
	struct feed_want *w = &f->wants[f->n_wants];
	memset(w, 0, sizeof(*w));
	if (store_platform_get(s->st, platform_id, &w->platform, err) < 0) {
		msg_error("%s: %s", site->name, err);
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
	report_progress(f, true);
	for (size_t i = 0; i < f->n_wants; i++) {
		struct feed_want *w = &f->wants[i];
		char *reason = xasprintf("%s; the anonymous feed (%d page%s%s%s) had %zu of its "
					 "complaints: partial coverage",
					 w->reason, f->pages_read, f->pages_read == 1 ? "" : "s",
					 f->stopped ? ", " : "", f->stopped ? f->stopped : "", w->n_seen);
		/* Complaints the feed found still want their detail pages (anonymous);
		 * that job reports the source as partial with this reason. */
		if (w->n_seen && running && !interrupt_requested()) {
			if (f->details(s, f->site, w->platform_id, reason) < 0) {
				s->internal_error = true;
				int src = registry_find(f->site->name);
				sync_job_done(s, src >= 0 ? (size_t)src : SOURCE_MAX);
			}
		} else {
			sync_job_finish(s, &w->platform, f->site->name,
					f->pages_read ? FETCH_PARTIAL : FETCH_BLOCKED, reason,
					f->site->login_hint);
		}
		free(reason);
		platform_finish(&w->platform);
		free(w->reason);
		for (size_t k = 0; k < w->n_couids; k++)
			free(w->couids[k]);
		free(w->couids);
		for (size_t k = 0; k < w->n_seen; k++)
			free(w->seen[k]);
		free(w->seen);
	}
	free(f->wants);
	free(f->url);
	free(f->stopped);
	s->feed = NULL;
	free(f);
}

/* Counts the complaints of items the want has not seen yet. */
static void
note_seen(struct feed_want *w, const struct complaint_list *items)
{
	for (size_t i = 0; i < items->len; i++) {
		const char *id = items->items[i].source_id;
		bool known = false;
		for (size_t k = 0; k < w->n_seen && !known; k++)
			known = !strcmp(w->seen[k], id);
		if (known)
			continue;
		w->seen = xgrow(w->seen, &w->cap_seen, w->n_seen + 1, sizeof(char *));
		w->seen[w->n_seen++] = xstrdup(id);
	}
}

/* Stores one feed page: archived once, under no platform (reparse does not
 * re-read the feed, whose pages belong to everybody), then its complaints
 * for every waiting platform through the one write path. */
static int
store_page(struct feed_job *f, const struct http_response *resp, char *err)
{
	struct sync *s = f->s;
	struct raw_response raw = {
		.source = f->site->name,
		.kind = "feed",
		.url = f->url,
		.status = (int)resp->status,
		.fetched_at = s->now,
		.content_type = resp->content_type,
		.body = resp->body.data ? resp->body.data : "",
		.body_len = resp->body.len,
	};
	struct ingest_page archive = {.raw = &raw, .now = s->now};
	struct ingest_counts counts;
	if (store_ingest_list(s->st, &archive, NULL, &counts, err) < 0)
		return -1;
	for (size_t i = 0; i < f->n_wants; i++) {
		struct feed_want *w = &f->wants[i];
		struct list_page page;
		list_page_init(&page);
		char perr[ERRBUF_SIZE];
		if (f->site->list_parse(resp->body.data, resp->body.len, &page, perr) >= 0) {
			struct ingest_scope scope = {
				.platform = &w->platform,
				.merchant_ids = w->couids,
				.n_merchant_ids = w->n_couids,
			};
			struct ingest_page pg = {
				.platform_id = w->platform_id,
				.scope = &scope,
				.cat = s->cat,
				.now = s->now,
			};
			if (store_ingest_list(s->st, &pg, &page.complaints, &counts, err) < 0) {
				list_page_finish(&page);
				return -1;
			}
			s->new_complaints += counts.added;
			s->updated_complaints += counts.changed;
			note_seen(w, &page.complaints);
		}
		list_page_finish(&page);
	}
	return 0;
}

static void
on_response(const struct http_response *resp, void *user)
{
	struct feed_job *f = user;
	struct sync *s = f->s;
	char err[ERRBUF_SIZE];
	f->answered++;
	sync_answered(s, f->site->name);
	if (resp->outcome != HTTP_DONE || resp->status != 200) {
		sync_describe_failure(resp, err, sizeof(err));
		f->stopped = xasprintf("stopped: %s", err);
		finish(f, true);
		return;
	}
	struct list_page page;
	list_page_init(&page);
	int n = f->site->list_parse(resp->body.data, resp->body.len, &page, err);
	enum page_kind kind = page.kind;
	list_page_finish(&page);
	if (n < 0 || kind != PAGE_OK) {
		if (kind != PAGE_EMPTY && kind != PAGE_LIMIT)
			f->stopped = xasprintf("stopped: %s", err);
		finish(f, true);
		return;
	}
	if (store_page(f, resp, err) < 0) {
		msg_error("%s feed: %s", f->site->name, err);
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
	const struct complaint_config *cfg = config_site(s->cfg, f->site->name);
	f->url = f->site->feed_url(cfg->base_url, f->page, f->session);
	struct http_request req = {
		.url = f->url,
		.headers = f->site->headers,
		.min_interval_ms = cfg->min_interval_ms,
	};
	if (http_client_submit(s->http, &req, on_response, f, err) < 0) {
		f->stopped = xasprintf("stopped: %s", err);
		finish(f, true);
		return;
	}
	report_progress(f, false);
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
	long max_pages = config_site(s->cfg, f->site->name)->max_pages;
	f->max_pages = max_pages < FEED_MAX_PAGES ? (int)max_pages : FEED_MAX_PAGES;
	if (f->site->session_init)
		f->site->session_init(f->session);
	submit_page(f);
	return 1;
}
