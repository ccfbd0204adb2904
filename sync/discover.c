#include "discover.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/url.h"
#include "interrupt.h"
#include "i18n.h"
#include "msg.h"
#include "source.h"
#include "store.h"
#include "sync.h"
#include "text.h"
#include "xalloc.h"

/* A site's searches: each word's pages, the feed's pages, then the detail
 * pages of the hits that name no merchant (two requests each). */
enum step { STEP_WORDS, STEP_FEED, STEP_DETAIL_PAGE, STEP_DETAIL_DATA, STEP_DONE };

struct run;

struct site_job {
	struct run *run;
	size_t source;                 /* registry position */
	const struct complaint_site *site;
	const struct complaint_config *cfg;
	char session[CRAWL_SESSION_SIZE];
	enum step step;
	size_t word;                   /* the word in flight */
	long page;                     /* the page in flight, 1-based */
	size_t *unnamed;               /* hits (indices) whose merchant a detail tells */
	size_t n_unnamed, cap_unnamed, detail;
	char *detail_merchant;         /* what the complaint page named */
	char *url;
};

struct run {
	const struct discover_options *o;
	struct store *st;
	struct http_client *http;
	struct discover_hits *out;
	char **words;
	size_t n_words;
	bool db_error;
};

/* The configured words, split on commas (ASCII or full-width) and trimmed. */
static void
split_words(const char *list, char ***out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	char *copy = xstrdup(list ? list : "");
	for (char *p = copy; *p;) {
		size_t len = strcspn(p, ",");
		char *full = strstr(p, "，");
		if (full && (size_t)(full - p) < len)
			len = (size_t)(full - p);
		char *w = text_trim(xstrndup(p, len));
		if (*w) {
			*out = xgrow(*out, &cap, *n + 1, sizeof(char *));
			(*out)[(*n)++] = w;
		} else {
			free(w);
		}
		p += len;
		if (*p == ',')
			p++;
		else if (!strncmp(p, "，", strlen("，")))
			p += strlen("，");
	}
	free(copy);
}

/* Records the site's first failure and ends its searches. */
static void
fail(struct site_job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(struct site_job *job, const char *fmt, ...)
{
	char line[ERRBUF_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	char **slot = &job->run->out->failure[job->source];
	if (!*slot) {
		*slot = xstrdup(line);
		msg_error("discover: %s: %s", job->site->name, line);
	}
	job->step = STEP_DONE;
}

/* 1 when the response is a 200; otherwise fails the site. */
static int
http_ok(struct site_job *job, const struct http_response *resp, const char *what)
{
	if (resp->outcome == HTTP_DONE && resp->status == 200)
		return 1;
	char reason[ERRBUF_SIZE];
	sync_describe_failure(resp, reason, sizeof(reason));
	fail(job, "%s: %s", what, reason);
	return 0;
}

/* Archives a response (no platform: an untracked merchant is nobody's). */
static void
archive(struct site_job *job, const char *kind, const struct http_response *r)
{
	char err[ERRBUF_SIZE];
	struct raw_response raw = {
		.source = job->site->name,
		.kind = kind,
		.url = job->url,
		.status = (int)r->status,
		.fetched_at = job->run->o->now,
		.content_type = r->content_type,
		.etag = r->etag,
		.last_modified = r->last_modified,
		.body = r->body.data ? r->body.data : "",
		.body_len = r->body.len,
	};
	struct ingest_page pg = {.raw = &raw, .now = job->run->o->now};
	struct ingest_counts counts;
	if (store_ingest_list(job->run->st, &pg, NULL, &counts, err) < 0) {
		msg_error("discover: %s", err);
		job->run->db_error = true;
		job->step = STEP_DONE;
	}
}

static bool
known(const struct complaint_list *hits, const struct complaint *c)
{
	for (size_t i = 0; i < hits->len; i++)
		if (!strcmp(hits->items[i].source, c->source) &&
		    !strcmp(hits->items[i].source_id, c->source_id))
			return true;
	return false;
}

/* Keeps the page's complaints filed in the window and not seen yet; moves
 * them out of the page.  Returns how many were in the window. */
static size_t
keep_hits(struct site_job *job, struct list_page *page)
{
	struct complaint_list *hits = &job->run->out->hits;
	size_t in_window = 0;
	for (size_t i = 0; i < page->complaints.len; i++) {
		struct complaint *c = &page->complaints.items[i];
		if (!c->filed_at || c->filed_at < job->run->o->since ||
		    time_in_future(c->filed_at, job->run->o->now))
			continue;
		in_window++;
		if (known(hits, c))
			continue;
		if (job->site->keyword_hits_unnamed && !c->merchant_name && c->url) {
			job->unnamed = xgrow(job->unnamed, &job->cap_unnamed, job->n_unnamed + 1,
					     sizeof(*job->unnamed));
			job->unnamed[job->n_unnamed++] = hits->len;
		}
		*complaint_list_add(hits) = *c;
		complaint_init(c); /* moved */
	}
	return in_window;
}

static void on_response(const struct http_response *resp, void *user);

static void
submit(struct site_job *job, char *url)
{
	char err[ERRBUF_SIZE];
	free(job->url);
	job->url = url;
	struct http_request req = site_request(job->site, job->cfg, url);
	if (!url || http_client_submit(job->run->http, &req, on_response, job, err) < 0)
		fail(job, "%s", url ? err : "a URL could not be built");
}

/* Requests the next page or detail, or ends the site's searches. */
static void
advance(struct site_job *job)
{
	const char *base = job->cfg->base_url;
	const struct complaint_site *site = job->site;
	if (job->step != STEP_DONE && interrupt_requested())
		fail(job, "interrupted");
	if (job->step == STEP_WORDS) {
		if (job->word < job->run->n_words) {
			job->page++;
			submit(job, site->keyword_url(base, job->run->words[job->word], job->page,
						      job->session));
			return;
		}
		job->step = STEP_FEED;
		job->page = 0;
	}
	if (job->step == STEP_FEED) {
		if (site->feed_url && job->page < job->run->o->cfg->discover.max_pages) {
			job->page++;
			submit(job, site->feed_url(base, job->page, job->session));
			return;
		}
		job->step = STEP_DETAIL_PAGE;
	}
	if (job->step == STEP_DETAIL_PAGE) {
		long budget = job->run->o->cfg->discover.max_details;
		while (job->detail < job->n_unnamed && (long)job->detail < budget) {
			const struct complaint *c = &job->run->out->hits.items[job->unnamed[job->detail]];
			char *url = url_rebase(c->url, base);
			if (url && site->detail_key_parse) {
				submit(job, url);
				return;
			}
			free(url);
			job->detail++;
		}
		if (job->detail < job->n_unnamed)
			msg_info(ngettext("discover: %s: %zu keyword hit left unread ([discover] "
					  "max_details)",
					  "discover: %s: %zu keyword hits left unread ([discover] "
					  "max_details)",
					  job->n_unnamed - job->detail),
				 site->name, job->n_unnamed - job->detail);
		job->step = STEP_DONE;
	}
}

/* A list page (search or feed): its hits kept; returns true when the next
 * page is wanted. */
static bool
handle_list(struct site_job *job, const struct http_response *resp)
{
	char what[ERRBUF_SIZE], err[ERRBUF_SIZE];
	if (job->step == STEP_WORDS)
		snprintf(what, sizeof(what), "keyword search for %s page %ld",
			 job->run->words[job->word], job->page);
	else
		snprintf(what, sizeof(what), "feed page %ld", job->page);
	if (!http_ok(job, resp, what))
		return false;
	archive(job, job->step == STEP_WORDS ? "search" : "feed", resp);
	struct list_page page;
	list_page_init(&page);
	int n = job->site->list_parse(resp->body.data, resp->body.len, &page, err);
	if (n < 0) {
		fail(job, "%s: %s%s", what,
		     page.kind == PAGE_LAYOUT_CHANGED ? "page layout changed: " : "", err);
		list_page_finish(&page);
		return false;
	}
	size_t in_window = keep_hits(job, &page);
	/* Lists are newest first: a page with nothing in the window ends it. */
	bool more = page.kind == PAGE_OK && !page.last && in_window &&
		    (page.page_amount < 0 || job->page < page.page_amount) &&
		    job->page < job->run->o->cfg->discover.max_pages;
	list_page_finish(&page);
	return more;
}

/* The complaint page of a two-step detail: requests the data. */
static bool
handle_detail_page(struct site_job *job, const struct http_response *resp)
{
	char err[ERRBUF_SIZE];
	struct complaint *c = &job->run->out->hits.items[job->unnamed[job->detail]];
	char what[ERRBUF_SIZE];
	snprintf(what, sizeof(what), "detail page of complaint %s", c->source_id);
	if (!http_ok(job, resp, what))
		return false;
	archive(job, "detail_page", resp);
	char *key = NULL;
	enum detail_kind kind;
	free(job->detail_merchant);
	int rc = job->site->detail_key_parse(resp->body.data, resp->body.len, &key,
					     &job->detail_merchant, &kind, err);
	if (rc < 0) {
		if (kind != DETAIL_NOT_FOUND)
			fail(job, "%s: %s", what, err);
		return false;
	}
	submit(job, job->site->detail_data_url(job->cfg->base_url, key));
	free(key);
	return job->step != STEP_DONE;
}

/* The data of a two-step detail: the hit learns its merchant. */
static void
handle_detail_data(struct site_job *job, const struct http_response *resp)
{
	char err[ERRBUF_SIZE];
	struct complaint *c = &job->run->out->hits.items[job->unnamed[job->detail]];
	char what[ERRBUF_SIZE];
	snprintf(what, sizeof(what), "detail of complaint %s", c->source_id);
	if (!http_ok(job, resp, what))
		return;
	archive(job, "detail", resp);
	struct complaint_detail d;
	complaint_detail_init(&d);
	int rc = job->site->detail_parse(resp->body.data, resp->body.len, &d, err);
	if (rc == 0 && d.record) {
		struct complaint *r = d.record;
		free(c->merchant_name);
		c->merchant_name = xstrdup_or_null(r->merchant_name);
		if (!c->merchant_id)
			c->merchant_id = xstrdup_or_null(r->merchant_id ? r->merchant_id
									: job->detail_merchant);
		/* The detail's full text and labels tell the category better. */
		if (r->summary) {
			free(c->summary);
			c->summary = xstrdup(r->summary);
		}
		if (r->issue && !c->issue)
			c->issue = xstrdup(r->issue);
		if (r->appeal && !c->appeal)
			c->appeal = xstrdup(r->appeal);
	} else if (!detail_kind_known(d.kind)) {
		fail(job, "%s: %s", what, err);
	}
	complaint_detail_finish(&d);
}

static void
on_response(const struct http_response *resp, void *user)
{
	struct site_job *job = user;
	switch (job->step) {
	case STEP_WORDS:
		if (!handle_list(job, resp)) {
			job->word++;
			job->page = 0;
		}
		break;
	case STEP_FEED:
		if (!handle_list(job, resp) && job->step == STEP_FEED)
			job->step = STEP_DETAIL_PAGE;
		break;
	case STEP_DETAIL_PAGE:
		if (handle_detail_page(job, resp)) {
			job->step = STEP_DETAIL_DATA;
			return;
		}
		job->detail++;
		break;
	case STEP_DETAIL_DATA:
		handle_detail_data(job, resp);
		if (job->step != STEP_DONE)
			job->step = STEP_DETAIL_PAGE;
		job->detail++;
		break;
	case STEP_DONE:
		return;
	}
	advance(job);
}

void
discover_hits_finish(struct discover_hits *h)
{
	complaint_list_finish(&h->hits);
	for (size_t i = 0; i < SOURCE_MAX; i++)
		free(h->failure[i]);
	memset(h, 0, sizeof(*h));
}

enum refresh_status
sync_discover(struct store *st, const struct discover_options *o, struct discover_hits *out)
{
	char err[ERRBUF_SIZE];
	memset(out, 0, sizeof(*out));
	complaint_list_init(&out->hits);
	struct store_lock *lock;
	enum refresh_status opened = sync_run_open(o->db_path, &lock, &out->lock_holder);
	if (opened != REFRESH_DONE)
		return opened;
	struct run run = {.o = o, .st = st, .out = out};
	split_words(o->cfg->discover.keywords, &run.words, &run.n_words);
	struct http_options opt;
	http_options_from_config(&opt, o->cfg);
	opt.stop_requested = interrupt_requested; /* Ctrl-C: nothing new, in-flight dropped */
	struct site_job jobs[SOURCE_MAX];
	size_t n_jobs = 0;
	enum refresh_status status = REFRESH_ERROR;
	run.http = http_client_create(&opt, err);
	if (!run.http) {
		msg_error("%s", err);
		goto out;
	}
	for (size_t i = 0; i < registry_count(); i++) {
		const struct source_desc *d = registry[i].desc;
		if (!o->sources[i] || !d->complaints || !source_enabled(i, o->cfg))
			continue;
		struct site_job *job = &jobs[n_jobs++];
		memset(job, 0, sizeof(*job));
		job->run = &run;
		job->source = i;
		job->site = d->complaints;
		job->cfg = config_site(o->cfg, job->site->name);
		if (job->site->session_init)
			job->site->session_init(job->session);
		out->read[i] = true;
		if (!run.n_words)
			job->step = STEP_FEED;
		advance(job);
	}
	if (http_client_run(run.http, err) < 0 && !interrupt_requested()) {
		msg_error("%s", err);
		run.db_error = true;
	}
	struct http_stats hs;
	http_client_stats(run.http, &hs);
	out->requests = hs.requests;
	bool failed = false;
	for (size_t i = 0; i < SOURCE_MAX; i++)
		failed |= out->failure[i] != NULL;
	status = run.db_error ? REFRESH_ERROR : failed ? REFRESH_PARTIAL : REFRESH_DONE;
out:
	for (size_t k = 0; k < n_jobs; k++) {
		free(jobs[k].unnamed);
		free(jobs[k].detail_merchant);
		free(jobs[k].url);
	}
	for (size_t k = 0; k < run.n_words; k++)
		free(run.words[k]);
	free(run.words);
	http_client_destroy(run.http);
	sync_run_close(lock);
	return status;
}
