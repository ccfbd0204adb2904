/* The generic crawler of a complaint site (source.h's struct complaint_site),
 * one job per platform: find its merchants (unless pinned or already known),
 * walk each merchant's complaint list newest first, walk the keyword search
 * for its name and aliases, then fetch the detail page of every complaint
 * that is new or whose status changed.  Every response is archived; each
 * page's records are written in one transaction with the walk's progress;
 * any failure is recorded for the platform and never reads as "no
 * complaints".
 *
 * A walk is resumable: it records, per list, the next page to read and
 * whether the latest walk reached the end.  A walk may stop at the first page
 * with nothing new only when the previous walk was complete; otherwise it
 * reads on (jumping to where the interrupted walk stopped once the new
 * complaints at the top are read) until the end of the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/cookie_file.h"
#include "i18n.h"
#include "fetch/url.h"
#include "host.h"
#include "interrupt.h"
#include "msg.h"
#include "progress.h"
#include "source.h"
#include "store.h"
#include "sync.h"
#include "text.h"
#include "xalloc.h"

/* Merchant search, each merchant's list, the keyword search (complaints
 * filed under a differently spelled merchant), then detail pages. */
enum step { STEP_SEARCH, STEP_LIST, STEP_KEYWORD, STEP_DETAIL };

struct detail_ref {
	char *id;
	char *url;
	char *merchant_id;    /* the merchant whose list it came from; NULL: a keyword hit */
};

struct crawl_job {
	struct sync *s;
	const struct complaint_site *site;
	const struct complaint_config *cfg;
	int64_t platform_id;
	struct platform platform;
	enum step step;
	char *url;            /* the request in flight */
	char session[CRAWL_SESSION_SIZE];

	size_t name_idx;      /* merchant and keyword search: platform name, then aliases */
	char **merchants;
	size_t n_merchants, cap_merchants, merchant_idx;
	struct buf lookalikes;

	/* The walk over the current list. */
	char *walk_key;       /* merchant id, or "search:" + name */
	long page;            /* the page in flight, 1-based; 0 before the first */
	bool prior_complete;  /* the previous walk of this list reached its end */
	long resume_page;     /* where an interrupted walk stopped; 0 none */
	char *resume_cursor;  /* ... and the cursor of that page (cursor paging) */
	char *cursor;         /* the cursor of the page in flight (cursor paging) */
	char **cursors;       /* every cursor of the walk so far: the loop guard */
	size_t n_cursors, cap_cursors;
	unsigned pages_stored;

	struct detail_ref *details;
	size_t n_details, cap_details, detail_idx;
	bool detail_data;     /* the detail request in flight is the data step */
	char *detail_merchant; /* the merchant its complaint page named (two-step details) */
	unsigned bad_links;   /* detail links that are not URLs, skipped */
	unsigned let_go;      /* keyword hits whose detail names another merchant */

	char *failure;        /* the first failure; the job stops there */
	char *hint;
	enum fetch_outcome outcome; /* of the failure */
	bool login_wall;      /* the failure was the login wall */
	bool login_required;  /* ... on a list: the feed may help */
	char *partial;        /* details-only job after the feed: reported as partial
				 with this reason even when every page worked */

	/* For the progress line. */
	size_t src;           /* the site's registry index */
	bool in_flight;       /* a request of the job waits for its answer */
	unsigned pages_read;  /* search and list pages answered */
	long walk_pages;      /* the current walk's length as far as known; 0 unknown */
	unsigned walk_read;   /* pages of the current walk answered */
	unsigned details_expected; /* new and changed complaints so far: their details */
	struct progress_counts shown;
};

static void advance(struct crawl_job *job);
static void on_response(const struct http_response *resp, void *user);

/* Pages of the current walk still to answer (the one in flight included):
 * as far as the pager tells, else the next one. */
static unsigned
walk_left(const struct crawl_job *job)
{
	if (!job->walk_key)
		return 0;
	if (job->walk_pages <= 0)
		return 1;
	long left = job->walk_pages - job->page + (job->in_flight ? 1 : 0);
	return left > 0 ? (unsigned)left : job->in_flight;
}

/* Hands what the job has done and knows it still has to do to the progress
 * line: the searches, walks and details ahead count one page each until
 * their pager tells more.  ended: nothing is left. */
static void
report_progress(struct crawl_job *job, bool ended)
{
	struct progress_counts now = {.pages_done = job->pages_read};
	unsigned pages_left = 0, details_left = 0;
	unsigned names = 1 + (unsigned)job->platform.n_aliases;
	bool walking = job->walk_key != NULL;
	if (job->step == STEP_DETAIL) {
		now.details_done = (unsigned)job->detail_idx;
		now.details_known = (unsigned)job->n_details;
	} else {
		now.details_known = job->details_expected;
	}
	if (!ended) {
		switch (job->step) {
		case STEP_SEARCH:
			pages_left = names - (unsigned)job->name_idx + job->in_flight +
				     (unsigned)job->n_merchants + names;
			break;
		case STEP_LIST:
			pages_left = walk_left(job) + names +
				     (unsigned)(job->n_merchants - job->merchant_idx) - walking;
			break;
		case STEP_KEYWORD:
			pages_left = walk_left(job) + names - (unsigned)job->name_idx - walking;
			break;
		case STEP_DETAIL:
			break;
		}
		now.pages_open = walking && job->walk_pages <= 0 && job->walk_read > 0;
		details_left = now.details_known - now.details_done;
	} else {
		now.details_known = now.details_done;
	}
	now.pages_known = now.pages_done + pages_left;
	/* A detail read in two steps is two requests, one of them maybe done. */
	now.requests_left = pages_left +
			    details_left * (job->site->detail_key_parse ? 2 : 1) -
			    (job->step == STEP_DETAIL && job->detail_data && details_left);
	progress_count(job->s->progress, job->src, &job->shown, &now);
}

static void
walk_forget_cursors(struct crawl_job *job)
{
	for (size_t i = 0; i < job->n_cursors; i++)
		free(job->cursors[i]);
	free(job->cursors);
	job->cursors = NULL;
	job->n_cursors = job->cap_cursors = 0;
	free(job->cursor);
	free(job->resume_cursor);
	job->cursor = job->resume_cursor = NULL;
}

static void
job_free(struct crawl_job *job)
{
	platform_finish(&job->platform);
	for (size_t i = 0; i < job->n_merchants; i++)
		free(job->merchants[i]);
	free(job->merchants);
	for (size_t i = 0; i < job->n_details; i++) {
		free(job->details[i].id);
		free(job->details[i].url);
		free(job->details[i].merchant_id);
	}
	free(job->details);
	buf_finish(&job->lookalikes);
	walk_forget_cursors(job);
	free(job->detail_merchant);
	free(job->walk_key);
	free(job->url);
	free(job->failure);
	free(job->hint);
	free(job->partial);
	free(job);
}

/* Records the job's first failure; later ones are consequences. */
static void
fail(struct crawl_job *job, enum fetch_outcome outcome, const char *reason, const char *hint)
{
	if (job->failure)
		return;
	job->failure = xstrdup(reason);
	job->hint = xstrdup_or_null(hint);
	job->outcome = outcome;
}

/* A database error: the run ends with exit 3. */
static void
fail_db(struct crawl_job *job, const char *err)
{
	job->s->internal_error = true;
	fail(job, FETCH_FAILED, err, NULL);
}

/* The site's name in running text ("黑猫"), from the registry. */
static const char *
short_title(const struct crawl_job *job)
{
	int i = registry_find(job->site->name);
	return i >= 0 ? registry[i].short_title : job->site->name;
}

static void
add_merchant(struct crawl_job *job, const char *id)
{
	for (size_t i = 0; i < job->n_merchants; i++)
		if (!strcmp(job->merchants[i], id))
			return;
	job->merchants = xgrow(job->merchants, &job->cap_merchants, job->n_merchants + 1,
			       sizeof(char *));
	job->merchants[job->n_merchants++] = xstrdup(id);
}

/* The platform's name, then its aliases: what merchant and keyword searches
 * ask for.  NULL past the end. */
static const char *
name_at(const struct crawl_job *job, size_t i)
{
	if (i == 0)
		return job->platform.name;
	return i <= job->platform.n_aliases ? job->platform.aliases[i - 1] : NULL;
}

static void
submit(struct crawl_job *job, char *url)
{
	char err[ERRBUF_SIZE];
	free(job->url);
	job->url = url;
	struct http_request req = site_request(job->site, job->cfg, url);
	if (http_client_submit(job->s->http, &req, on_response, job, err) < 0) {
		fail(job, FETCH_FAILED, err, NULL);
		advance(job);
		return;
	}
	job->in_flight = true;
	report_progress(job, false);
}

/* The response as the archive keeps it. */
static struct raw_response
archived(const struct crawl_job *job, const char *kind, const struct http_response *r)
{
	return (struct raw_response){
		.source = job->site->name,
		.kind = kind,
		.url = job->url,
		.status = (int)r->status,
		.fetched_at = job->s->now,
		.content_type = r->content_type,
		.etag = r->etag,
		.last_modified = r->last_modified,
		.body = r->body.data ? r->body.data : "",
		.body_len = r->body.len,
		.platform_id = job->platform_id,
	};
}

/* 1 when the response is a 200; otherwise records the failure. */
static int
http_ok(struct crawl_job *job, const struct http_response *resp, const char *what)
{
	if (resp->outcome == HTTP_DONE && resp->status == 200)
		return 1;
	char reason[ERRBUF_SIZE], line[ERRBUF_SIZE + 64];
	sync_describe_failure(resp, reason, sizeof(reason));
	snprintf(line, sizeof(line), "%s: %s", what, reason);
	bool blocked = resp->outcome == HTTP_BLOCKED || resp->outcome == HTTP_HOST_BLOCKED;
	fail(job, blocked ? FETCH_BLOCKED : job->pages_stored ? FETCH_PARTIAL : FETCH_FAILED, line,
	     blocked ? job->site->blocked_hint : NULL);
	return 0;
}

/* The outcome of a page the site refused or the parser did not recognise. */
static enum fetch_outcome
page_outcome(const struct crawl_job *job, enum page_kind kind)
{
	if (kind == PAGE_LOGIN_REQUIRED || kind == PAGE_BLOCKED)
		return FETCH_BLOCKED;
	return job->pages_stored ? FETCH_PARTIAL : FETCH_FAILED;
}

static void
handle_search(struct crawl_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	if (!http_ok(job, resp, "merchant search"))
		return;
	struct merchant_list found;
	merchant_list_init(&found);
	enum page_kind kind;
	int n = job->site->merchant_search_parse(resp->body.data, resp->body.len, &found, &kind,
						 err);
	struct raw_response raw = archived(job, "company_search", resp);
	struct ingest_counts counts;
	struct ingest_page pg = {.raw = &raw, .now = s->now};
	if (store_ingest_list(s->st, &pg, NULL, &counts, err) < 0) {
		fail_db(job, err);
		merchant_list_finish(&found);
		return;
	}
	if (n < 0) {
		char line[ERRBUF_SIZE + 32];
		snprintf(line, sizeof(line), "merchant search: %s", err);
		fail(job, page_outcome(job, kind), line,
		     kind == PAGE_LOGIN_REQUIRED ? job->site->login_hint : NULL);
		job->login_wall = kind == PAGE_LOGIN_REQUIRED;
		merchant_list_finish(&found);
		return;
	}
	for (size_t i = 0; i < found.len; i++) {
		const struct merchant *m = &found.items[i];
		if (!m->name || !m->id)
			continue;
		if (platform_named(&job->platform, m->name)) {
			if (store_merchant_set(s->st, job->platform_id, job->site->name, m->id, m->name,
					       0, s->now, err) < 0) {
				fail_db(job, err);
				break;
			}
			add_merchant(job, m->id);
		} else if (job->lookalikes.len < 200) {
			buf_printf(&job->lookalikes, "%s%s (%s)", job->lookalikes.len ? ", " : "",
				   m->name, m->id);
		}
	}
	merchant_list_finish(&found);
}

/* Starts the walk over list key: reads where the previous one got to. */
static void
walk_begin(struct crawl_job *job, char *key)
{
	char err[ERRBUF_SIZE];
	free(job->walk_key);
	job->walk_key = key;
	job->page = 0;
	job->prior_complete = false;
	job->resume_page = 0;
	walk_forget_cursors(job);
	struct walk_state w;
	int rc = store_walk_get(job->s->st, job->platform_id, job->site->name, key, &w, err);
	if (rc < 0) {
		fail_db(job, err);
	} else if (rc == 1) {
		job->prior_complete = w.complete && !job->s->full;
		if (!w.complete && w.next_page > 1 && (!job->site->cursor_paging || w.cursor)) {
			job->resume_page = w.next_page;
			job->resume_cursor = xstrdup_or_null(w.cursor);
		}
	}
	walk_state_finish(&w);
}

/* The walk of the current list has no next page. */
static void
walk_end(struct crawl_job *job)
{
	free(job->walk_key);
	job->walk_key = NULL;
	job->page = 0;
	job->walk_pages = 0;
	job->walk_read = 0;
	walk_forget_cursors(job);
}

/* The loop guard of a cursor walk: false (and the job failed) when the
 * page's next cursor was seen before in this walk, or a page that is not the
 * last gives none. */
static bool
cursor_sound(struct crawl_job *job, const struct list_page *page)
{
	const char *next = page->next_cursor;
	const char *why = NULL;
	if (!next)
		why = "a full page gives no cursor for the next";
	for (size_t i = 0; next && i < job->n_cursors && !why; i++)
		if (!strcmp(job->cursors[i], next))
			why = "the list's cursor repeats (a loop)";
	if (!why) {
		job->cursors = xgrow(job->cursors, &job->cap_cursors, job->n_cursors + 1,
				     sizeof(char *));
		job->cursors[job->n_cursors++] = xstrdup(next);
		return true;
	}
	char line[ERRBUF_SIZE];
	snprintf(line, sizeof(line), "complaint list of merchant %s page %ld: %s",
		 job->merchants[job->merchant_idx], job->page, why);
	fail(job, page_outcome(job, PAGE_LAYOUT_CHANGED), line,
	     "the page layout changed; kmrep needs an update");
	return false;
}


/* Stores a list page with the walk's progress; returns 1 when the walk goes
 * on to job->page + 1 (or further: a jump to the resume point). */
static int
handle_list(struct crawl_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	const struct complaint_site *site = job->site;
	char err[ERRBUF_SIZE];
	char what[ERRBUF_SIZE];
	if (job->step == STEP_KEYWORD)
		snprintf(what, sizeof(what), "keyword search for %s page %ld",
			 name_at(job, job->name_idx), job->page);
	else
		snprintf(what, sizeof(what), "complaint list of merchant %s page %ld",
			 job->merchants[job->merchant_idx], job->page);
	if (!http_ok(job, resp, what))
		return 0;
	struct list_page page;
	list_page_init(&page);
	int n = site->list_parse(resp->body.data, resp->body.len, &page, err);
	bool keyword = job->step == STEP_KEYWORD;
	struct ingest_scope scope = {
		.platform = &job->platform,
		.merchant_ids = job->merchants,
		.n_merchant_ids = job->n_merchants,
		.list_merchant = keyword ? NULL : job->merchants[job->merchant_idx],
		.candidates = site->keyword_hits_unnamed,
	};
	/* Where the list ends: the pager says so, the page is empty or short,
	 * or the configured depth (or the site's anonymous limit) is reached. */
	bool end = n >= 0 &&
		   (page.kind != PAGE_OK || page.last ||
		    (page.page_amount >= 0 && job->page >= page.page_amount) ||
		    job->page >= job->cfg->max_pages);
	bool cursor_walk = site->cursor_paging && !keyword;
	if (n >= 0 && !end && cursor_walk && !cursor_sound(job, &page))
		n = -2; /* stored, then the walk stops: the failure is recorded */
	bool more = n >= 0 && !end;
	if (n >= 0) {
		job->walk_read++;
		if (end)
			job->walk_pages = job->page;
		else if (page.page_amount > 0)
			job->walk_pages = page.page_amount < job->cfg->max_pages
				? page.page_amount : job->cfg->max_pages;
	}
	/* The progress this page makes, and (when nothing on it is new and the
	 * previous walk was complete, so the walk stops here) the list complete
	 * again.  A walk killed before its end leaves next_page behind. */
	struct walk_state walk = {.next_page = job->page + 1, .cursor = page.next_cursor,
				  .complete = end};
	struct walk_state done = {.next_page = 1, .complete = true};
	if (end) {
		walk = done;
	} else if (job->resume_page > walk.next_page) {
		walk.next_page = job->resume_page; /* kept until the walk gets there */
		walk.cursor = job->resume_cursor;
	}
	bool stops_if_known = !end && job->prior_complete && !job->resume_page && !s->full;
	struct raw_response raw = archived(job, keyword ? "search" : "list", resp);
	struct ingest_page pg = {
		.raw = &raw,
		.platform_id = job->platform_id,
		.scope = &scope,
		.cat = s->cat,
		.now = s->now,
		.source = site->name,
		.walk_key = job->walk_key,
		.walk = n >= 0 ? &walk : NULL,
		.walk_if_all_known = n >= 0 && stops_if_known ? &done : NULL,
	};
	struct ingest_counts counts;
	if (store_ingest_list(s->st, &pg, n != -1 ? &page.complaints : NULL, &counts, err) < 0) {
		fail_db(job, err);
		list_page_finish(&page);
		return 0;
	}
	s->new_complaints += counts.added;
	s->updated_complaints += counts.changed;
	job->details_expected += counts.added + counts.changed;
	if (n == -2) {
		job->pages_stored++;
		list_page_finish(&page);
		return 0;
	}
	if (n < 0) {
		char line[ERRBUF_SIZE + 96];
		const char *drift = page.kind == PAGE_LAYOUT_CHANGED ? "page layout changed: "
									    : "";
		if (keyword)
			snprintf(line, sizeof(line), "keyword search for %s page %ld: %s%s",
				 name_at(job, job->name_idx), job->page, drift, err);
		else
			snprintf(line, sizeof(line), "complaint list of merchant %s page %ld: %s%s",
				 job->merchants[job->merchant_idx], job->page, drift, err);
		fail(job, page_outcome(job, page.kind), line,
		     page.kind == PAGE_LOGIN_REQUIRED ? site->login_hint : NULL);
		job->login_wall = job->login_required = page.kind == PAGE_LOGIN_REQUIRED;
		list_page_finish(&page);
		return 0;
	}
	job->pages_stored++;
	if (more && cursor_walk) {
		free(job->cursor);
		job->cursor = xstrdup(page.next_cursor);
	}
	list_page_finish(&page);
	if (!more)
		return 0;
	/* Nothing new here: the rest is known when the previous walk was
	 * complete; otherwise go on, straight to where it stopped. */
	if (counts.all_known && !s->full) {
		if (job->resume_page > job->page + 1) {
			job->page = job->resume_page - 1;
			job->resume_page = 0;
			if (cursor_walk) {
				free(job->cursor);
				job->cursor = job->resume_cursor;
				job->resume_cursor = NULL;
			}
			return 1;
		}
		if (stops_if_known)
			return 0;
	}
	if (job->resume_page && job->page + 1 >= job->resume_page)
		job->resume_page = 0;
	return 1;
}

/* A detail page the site refused or the parser did not recognise. */
static void
fail_detail(struct crawl_job *job, const struct detail_ref *ref, enum detail_kind kind,
	    const char *err)
{
	char line[ERRBUF_SIZE + 64];
	snprintf(line, sizeof(line), "detail page of complaint %s: %s", ref->id, err);
	if (kind == DETAIL_LOGIN_REQUIRED) {
		fail(job, FETCH_BLOCKED, line, job->site->login_hint);
		job->login_wall = true;
	} else {
		fail(job, page_outcome(job, PAGE_LAYOUT_CHANGED), line,
		     "the page layout changed; kmrep needs an update");
	}
}

/* Whether a detail that carries the whole complaint is the platform's: its
 * list was one of the platform's merchants', or it names the platform. */
static bool
detail_ours(const struct crawl_job *job, const struct detail_ref *ref,
	    const struct complaint_detail *d)
{
	if (ref->merchant_id)
		return true;
	for (size_t i = 0; d->merchant_id && i < job->n_merchants; i++)
		if (!strcmp(job->merchants[i], d->merchant_id))
			return true;
	return d->merchant_name && platform_named(&job->platform, d->merchant_name);
}

/* The first of a two-step detail (detail_key_parse): returns true when the
 * data step was requested. */
static bool
handle_detail_key(struct crawl_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	const struct detail_ref *ref = &job->details[job->detail_idx];
	char *key = NULL;
	enum detail_kind kind;
	free(job->detail_merchant);
	int rc = job->site->detail_key_parse(resp->body.data, resp->body.len, &key,
					     &job->detail_merchant, &kind, err);
	struct raw_response raw = archived(job, "detail_page", resp);
	struct complaint_detail gone;
	complaint_detail_init(&gone);
	gone.kind = kind;
	if (store_ingest_detail(s->st, &raw, job->site->name, kind == DETAIL_NOT_FOUND ? ref->id : NULL,
				&gone, s->now, err) < 0)
		fail_db(job, err);
	else if (rc < 0 && kind != DETAIL_NOT_FOUND)
		fail_detail(job, ref, kind, err);
	complaint_detail_finish(&gone);
	if (rc < 0 || job->failure) {
		free(key);
		return false;
	}
	job->detail_data = true;
	submit(job, job->site->detail_data_url(job->cfg->base_url, key));
	free(key);
	return true;
}

/* Stores a detail page; returns true when it requested another (the data
 * step of a two-step detail). */
static bool
handle_detail(struct crawl_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	const struct detail_ref *ref = &job->details[job->detail_idx];
	bool data_step = job->detail_data;
	job->detail_data = false;
	if (!http_ok(job, resp, "detail page"))
		return false;
	if (job->site->detail_key_parse && !data_step)
		return handle_detail_key(job, resp);
	struct complaint_detail d;
	complaint_detail_init(&d);
	int rc = job->site->detail_parse(resp->body.data, resp->body.len, &d, err);
	if (data_step && d.record && !d.merchant_id && job->detail_merchant) {
		/* The data names the merchant, its page the merchant's id. */
		d.merchant_id = xstrdup(job->detail_merchant);
		d.record->merchant_id = xstrdup(job->detail_merchant);
	}
	struct raw_response raw = archived(job, "detail", resp);
	int stored;
	/* A merchant bound by its id learns its name from its complaints. */
	if (ref->merchant_id && d.merchant_name &&
	    store_merchant_set(s->st, job->platform_id, job->site->name, ref->merchant_id,
			       d.merchant_name, 0, s->now, err) < 0)
		fail_db(job, err);
	if (d.record) {
		bool ours = detail_ours(job, ref, &d);
		job->let_go += !ours;
		if (!ours && d.merchant_name && job->lookalikes.len < 200)
			buf_printf(&job->lookalikes, "%s%s", job->lookalikes.len ? ", " : "",
				   d.merchant_name);
		struct ingest_page pg = {.raw = &raw, .platform_id = job->platform_id,
					 .cat = s->cat, .now = s->now, .source = job->site->name};
		stored = store_ingest_detail_record(s->st, &pg, &d, ours, err);
	} else {
		stored = store_ingest_detail(s->st, &raw, job->site->name, ref->id, &d, s->now, err);
	}
	if (stored < 0)
		fail_db(job, err);
	else if (rc < 0 && !detail_kind_known(d.kind))
		fail_detail(job, ref, d.kind, err);
	complaint_detail_finish(&d);
	return false;
}

/* Queues the detail page of every stored complaint of the platform that has
 * none yet, or whose status changed since it was read.  Taken from the store
 * rather than from the pages just read, so that a run killed between a list
 * page and its details is completed by the next one. */
static int
queue_detail(const struct stored_complaint *c, void *ctx)
{
	struct crawl_job *job = ctx;
	if (strcmp(c->source, job->site->name) || !c->url)
		return 0;
	if (c->detail_fetched_at && c->detail_status_seen == c->raw_status)
		return 0;
	job->details = xgrow(job->details, &job->cap_details, job->n_details + 1,
			     sizeof(*job->details));
	job->details[job->n_details].id = xstrdup(c->source_id);
	job->details[job->n_details].url = xstrdup(c->url);
	job->details[job->n_details].merchant_id =
		c->excluded_reason && !strcmp(c->excluded_reason, COMPLAINT_UNCONFIRMED)
			? NULL : xstrdup_or_null(c->merchant_id);
	job->n_details++;
	return 0;
}

/* Before the first login-wall failure of a run: what is wrong with the
 * configured cookie file, which libcurl skips without a word. */
static void
note_cookie_file(struct crawl_job *job)
{
	struct sync *s = job->s;
	const char *path = job->cfg->cookie_file;
	int i = registry_find(job->site->name);
	if (!path || i < 0 || s->cookie_file_noted[i])
		return;
	s->cookie_file_noted[i] = true;
	char err[ERRBUF_SIZE];
	char *host = host_normalise(job->cfg->base_url);
	if (cookie_file_check(path, host, job->site->login_cookie, s->now, err) < 0)
		msg_error("%s: cookie_file %s: %s", job->site->name, path, err);
	else
		msg_error(_("%s: cookie_file %s: %s did not accept its %s cookie; export it again"),
			  job->site->name, path, short_title(job), job->site->login_cookie);
	free(host);
}

static void
finish(struct crawl_job *job)
{
	struct sync *s = job->s;
	report_progress(job, true);
	if (job->failure && job->login_wall)
		note_cookie_file(job);
	if (job->bad_links)
		msg_verbose("%s: %s: %u detail link%s not a URL, skipped", job->platform.name,
			    job->site->name, job->bad_links, job->bad_links == 1 ? " is" : "s are");
	if (job->let_go)
		msg_info(ngettext("%s: %s: %u keyword hit named another merchant, not counted "
				  "(%s); if it is the platform's, kmrep add NAME --alias MERCHANT",
				  "%s: %s: %u keyword hits named another merchant, not counted "
				  "(%s); if one is the platform's, kmrep add NAME --alias MERCHANT",
				  job->let_go),
			 job->platform.name, job->site->name, job->let_go, buf_cstr(&job->lookalikes));
	if (job->failure && job->login_required && job->site->feed_url) {
		/* Reported after the anonymous feed was read for it (feed.c). */
		sync_feed_want(s, job->site, job->platform_id, job->failure,
			       (const char *const *)job->merchants, job->n_merchants,
			       crawl_start_details);
	} else if (job->failure) {
		sync_job_finish(s, &job->platform, job->site->name, job->outcome, job->failure,
				job->hint);
	} else {
		sync_job_finish(s, &job->platform, job->site->name,
				job->partial ? FETCH_PARTIAL : FETCH_OK, job->partial,
				job->site->login_hint);
	}
	job_free(job);
}

/* Requests the next queued detail page, or finishes the job.  A link that
 * is not a URL costs that complaint its detail page, not the job. */
static void
next_detail(struct crawl_job *job)
{
	while (job->detail_idx < job->n_details) {
		char *url = url_rebase(job->details[job->detail_idx].url, job->cfg->base_url);
		if (url) {
			submit(job, url);
			return;
		}
		job->bad_links++;
		job->detail_idx++;
	}
	finish(job);
}

static void
start_details(struct crawl_job *job)
{
	char err[ERRBUF_SIZE];
	job->step = STEP_DETAIL;
	job->detail_idx = 0;
	if (store_complaints_each(job->s->st, job->platform_id, 0, queue_detail, job, err) < 0)
		fail_db(job, err);
	if (job->failure)
		finish(job);
	else
		next_detail(job);
}

/* No merchant was found by name: say so, with the look-alikes. */
static void
fail_no_merchant(struct crawl_job *job)
{
	char reason[ERRBUF_SIZE];
	snprintf(reason, sizeof(reason), "no %s merchant is named %s", short_title(job),
		 job->platform.name);
	int i = registry_find(job->site->name);
	const char *pin = i >= 0 && registry[i].pin_option ? registry[i].pin_option : "?";
	char *hint = job->lookalikes.len
		? xasprintf(_("similar merchants: %s; pin the right one with kmrep add NAME --%s ID"),
			    buf_cstr(&job->lookalikes), pin)
		: xasprintf(_("pin its merchant with kmrep add NAME --%s ID"), pin);
	fail(job, FETCH_FAILED, reason, hint);
	free(hint);
}

/* Decides the next request, or finishes the job. */
static void
advance(struct crawl_job *job)
{
	const struct complaint_site *site = job->site;
	const char *base = job->cfg->base_url;
	if (!job->failure && interrupt_requested())
		fail(job, job->pages_stored ? FETCH_PARTIAL : FETCH_FAILED, "interrupted", NULL);
	if (job->failure) {
		finish(job);
		return;
	}
	if (job->step == STEP_SEARCH) {
		const char *name = name_at(job, job->name_idx);
		if (name) {
			job->name_idx++;
			submit(job, site->merchant_search_url(base, name));
			return;
		}
		if (job->n_merchants == 0) {
			fail_no_merchant(job);
			finish(job);
			return;
		}
		job->step = STEP_LIST;
		job->merchant_idx = 0;
	}
	if (job->step == STEP_LIST) {
		if (job->merchant_idx < job->n_merchants) {
			if (!job->walk_key)
				walk_begin(job, xstrdup(job->merchants[job->merchant_idx]));
			if (job->failure) {
				finish(job);
				return;
			}
			job->page++;
			submit(job, site->list_url(base, job->merchants[job->merchant_idx], job->page,
						   job->cursor, job->session));
			return;
		}
		job->step = STEP_KEYWORD;
		job->name_idx = 0;
	}
	if (job->step == STEP_KEYWORD) {
		const char *name = name_at(job, job->name_idx);
		if (name) {
			if (!job->walk_key)
				walk_begin(job, xasprintf("search:%s", name));
			if (job->failure) {
				finish(job);
				return;
			}
			job->page++;
			submit(job, site->keyword_url(base, name, job->page, job->session));
			return;
		}
		start_details(job);
		return;
	}
	job->detail_idx++; /* STEP_DETAIL: the previous page is done */
	next_detail(job);
}

static void
on_response(const struct http_response *resp, void *user)
{
	struct crawl_job *job = user;
	job->in_flight = false;
	progress_answered(job->s->progress, job->src);
	if (job->step != STEP_DETAIL)
		job->pages_read++;
	switch (job->step) {
	case STEP_SEARCH:
		handle_search(job, resp);
		break;
	case STEP_LIST:
		if (!handle_list(job, resp)) {
			walk_end(job);
			job->merchant_idx++;
		}
		break;
	case STEP_KEYWORD:
		if (!handle_list(job, resp)) {
			walk_end(job);
			job->name_idx++;
		}
		break;
	case STEP_DETAIL:
		if (handle_detail(job, resp))
			return; /* the data step is in flight */
		break;
	}
	advance(job);
}

/* A job for the platform, or NULL after printing why not. */
static struct crawl_job *
job_new(struct sync *s, const struct complaint_site *site, int64_t platform_id)
{
	char err[ERRBUF_SIZE];
	struct crawl_job *job = xcalloc(1, sizeof(*job));
	job->s = s;
	job->site = site;
	job->cfg = config_site(s->cfg, site->name);
	job->platform_id = platform_id;
	int src = registry_find(site->name);
	job->src = src >= 0 ? (size_t)src : SOURCE_MAX;
	buf_init(&job->lookalikes);
	if (store_platform_get(s->st, platform_id, &job->platform, err) < 0) {
		msg_error("%s: %s", site->name, err);
		job_free(job);
		return NULL;
	}
	return job;
}

int
crawl_start_details(struct sync *s, const struct complaint_site *site, int64_t platform_id,
		    const char *partial)
{
	struct crawl_job *job = job_new(s, site, platform_id);
	if (!job)
		return -1;
	job->partial = xstrdup(partial);
	/* Straight to the detail pages (anonymous): no list to read. */
	start_details(job);
	return 0;
}

int
crawl_start(struct sync *s, const struct complaint_site *site, int64_t platform_id)
{
	char err[ERRBUF_SIZE];
	struct crawl_job *job = job_new(s, site, platform_id);
	if (!job)
		return -1;
	if (site->session_init)
		site->session_init(job->session);

	struct merchant_ref *refs;
	size_t n;
	if (store_merchant_list(s->st, platform_id, site->name, &refs, &n, err) < 0) {
		msg_error("%s: %s: %s", job->platform.name, site->name, err);
		job_free(job);
		return -1;
	}
	int pinned = 0;
	for (size_t i = 0; i < n; i++) {
		pinned |= refs[i].pinned;
		if (refs[i].pinned || !s->full)
			add_merchant(job, refs[i].merchant_id);
	}
	merchant_ref_list_free(refs, n);
	/* A pin replaces the search; merchants found earlier are reused unless
	 * --full asks to search again. */
	job->step = pinned || (job->n_merchants && !s->full) || !site->merchant_search_url
		? STEP_LIST : STEP_SEARCH;
	advance(job);
	return 0;
}
