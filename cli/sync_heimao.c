/* The 黑猫投诉 job of one platform: find its merchants (unless pinned or
 * already known), read each merchant's complaint list newest first until a
 * page brings nothing new, then fetch the detail page of every complaint that
 * is new or whose status changed.  Every response is archived; each page's
 * records are written in one transaction; any failure is recorded for the
 * platform and never reads as "no complaints". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/heimao.h"
#include "fetch/url.h"
#include "msg.h"
#include "parse/heimao.h"
#include "report/category.h"
#include "store.h"
#include "sync.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

/* Merchant search, each merchant's list, the keyword search (complaints
 * filed under a differently spelled merchant), then detail pages. */
enum step { STEP_SEARCH, STEP_LIST, STEP_KEYWORD, STEP_DETAIL };

struct detail_ref {
	char *sn;
	char *url;
};

struct heimao_job {
	struct sync *s;
	int64_t platform_id;
	struct platform platform;
	enum step step;
	char *url;            /* the request in flight */

	size_t name_idx;      /* merchant and keyword search: platform name, then aliases */
	char **couids;
	size_t n_couids, cap_couids, couid_idx;
	struct buf lookalikes;
	int page;
	char ts[21], rs[17];

	struct detail_ref *details;
	size_t n_details, cap_details, detail_idx;

	char *failure;        /* the first failure; the job stops there */
	char *hint;
	bool login_required;  /* the failure was 黑猫's login wall: the feed may help */
	char *partial;        /* details-only job after the feed: reported as failed
				 with this reason even when every page worked */
};

static void advance(struct heimao_job *job);

static void
job_free(struct heimao_job *job)
{
	platform_finish(&job->platform);
	for (size_t i = 0; i < job->n_couids; i++)
		free(job->couids[i]);
	free(job->couids);
	for (size_t i = 0; i < job->n_details; i++) {
		free(job->details[i].sn);
		free(job->details[i].url);
	}
	free(job->details);
	buf_finish(&job->lookalikes);
	free(job->url);
	free(job->failure);
	free(job->hint);
	free(job->partial);
	free(job);
}

static void
fail(struct heimao_job *job, const char *reason, const char *hint)
{
	if (job->failure)
		return;
	job->failure = xstrdup(reason);
	job->hint = xstrdup_or_null(hint);
}

static void
add_couid(struct heimao_job *job, const char *couid)
{
	for (size_t i = 0; i < job->n_couids; i++)
		if (!strcmp(job->couids[i], couid))
			return;
	job->couids = xgrow(job->couids, &job->cap_couids, job->n_couids + 1, sizeof(char *));
	job->couids[job->n_couids++] = xstrdup(couid);
}

static void
on_response(const struct http_response *resp, void *user);

/* The platform's name, then its aliases: what merchant and keyword searches
 * ask for.  NULL past the end. */
static const char *
name_at(const struct heimao_job *job, size_t i)
{
	if (i == 0)
		return job->platform.name;
	return i <= job->platform.n_aliases ? job->platform.aliases[i - 1] : NULL;
}

static void
submit(struct heimao_job *job, char *url)
{
	struct sync *s = job->s;
	const struct config *cfg = &s->cli->cfg;
	char err[ERRBUF_SIZE];
	free(job->url);
	job->url = url;
	struct http_request req = {
		.url = url,
		.headers = heimao_headers,
		.cookie_file = cfg->heimao.cookie_file,
		.min_interval_ms = cfg->heimao.min_interval_ms,
	};
	if (http_client_submit(s->http, &req, on_response, job, err) < 0) {
		fail(job, err, NULL);
		advance(job);
	}
}

/* The name keys a merchant must match exactly: the platform's name and aliases. */
static int
is_platform_name(const struct platform *p, const char *merchant_name)
{
	char *key = text_name_key(merchant_name);
	int match = 0;
	char *k = text_name_key(p->name);
	match = !strcmp(k, key);
	free(k);
	for (size_t i = 0; !match && i < p->n_aliases; i++) {
		k = text_name_key(p->aliases[i]);
		match = !strcmp(k, key);
		free(k);
	}
	free(key);
	return match;
}

static int
http_ok(struct heimao_job *job, const struct http_response *resp, const char *what)
{
	if (resp->outcome == HTTP_DONE && resp->status == 200)
		return 1;
	char reason[ERRBUF_SIZE], line[ERRBUF_SIZE + 64];
	sync_describe_failure(resp, reason, sizeof(reason));
	snprintf(line, sizeof(line), "%s: %s", what, reason);
	const char *hint = NULL;
	if (resp->outcome == HTTP_BLOCKED || resp->outcome == HTTP_HOST_BLOCKED)
		hint = "黑猫 risk control; wait 10-30 minutes and raise [heimao] min_interval_ms";
	fail(job, line, hint);
	return 0;
}

static void
handle_search(struct heimao_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	if (!http_ok(job, resp, "merchant search"))
		return;
	struct merchant_list found;
	merchant_list_init(&found);
	enum heimao_page_kind kind;
	int n = heimao_company_search_parse(resp->body.data, resp->body.len, &found, &kind, err);
	if (store_begin(s->st, err) < 0 ||
	    sync_archive(s, "heimao", "company_search", job->url, resp, job->platform_id, err) < 0)
		goto db_fail;
	if (n < 0) {
		store_commit(s->st, NULL);
		char line[ERRBUF_SIZE + 32];
		snprintf(line, sizeof(line), "merchant search: %s", err);
		fail(job, line, kind == HEIMAO_PAGE_LOGIN_REQUIRED ? HEIMAO_LOGIN_HINT : NULL);
		merchant_list_finish(&found);
		return;
	}
	for (size_t i = 0; i < found.len; i++) {
		const struct merchant *m = &found.items[i];
		if (!m->name || !m->id)
			continue;
		if (is_platform_name(&job->platform, m->name)) {
			if (store_merchant_set(s->st, job->platform_id, "heimao", m->id, m->name, 0,
					       s->cli->now, err) < 0)
				goto db_fail;
			add_couid(job, m->id);
		} else if (job->lookalikes.len < 200) {
			buf_printf(&job->lookalikes, "%s%s (%s)", job->lookalikes.len ? ", " : "",
				   m->name, m->id);
		}
	}
	if (store_commit(s->st, err) < 0)
		goto db_fail;
	merchant_list_finish(&found);
	return;
db_fail:
	store_rollback(s->st, NULL);
	merchant_list_finish(&found);
	s->internal_error = true;
	fail(job, err, NULL);
}

int
sync_heimao_store_page(struct sync *s, int64_t platform_id, const struct heimao_list_page *page,
		       bool *all_known, char *err)
{
	*all_known = true;
	for (size_t i = 0; i < page->complaints.len; i++) {
		const struct complaint *c = &page->complaints.items[i];
		if (time_in_future(c->filed_at, s->cli->now)) {
			char when[21];
			time_format_utc(c->filed_at, when);
			msg_warn("heimao: complaint %s: filed %s, more than a day ahead of now: "
				 "not recognised, skipped", c->source_id, when);
			continue;
		}
		enum category cat = categorizer_classify(s->cat, c->title, c->summary, c->issue,
							 c->appeal);
		enum upsert_result res;
		if (store_complaint_upsert(s->st, platform_id, c, cat, s->cli->now, &res, err) < 0)
			return -1;
		if (res == UPSERT_NEW) {
			s->new_complaints++;
			*all_known = false;
		} else if (res == UPSERT_CHANGED) {
			s->updated_complaints++;
		}
	}
	return 0;
}

/* Queues the detail page of every stored complaint of the platform that has
 * none yet, or whose status changed since it was read.  Taken from the store
 * rather than from the pages just read, so that a run killed between a list
 * page and its details is completed by the next one. */
static int
queue_detail(const struct stored_complaint *c, void *ctx)
{
	struct heimao_job *job = ctx;
	if (strcmp(c->source, "heimao") || !c->url)
		return 0;
	if (c->detail_fetched_at && c->detail_status_seen == c->raw_status)
		return 0;
	job->details = xgrow(job->details, &job->cap_details, job->n_details + 1,
			     sizeof(*job->details));
	job->details[job->n_details].sn = xstrdup(c->source_id);
	job->details[job->n_details].url = xstrdup(c->url);
	job->n_details++;
	return 0;
}

static void
queue_details(struct heimao_job *job)
{
	char err[ERRBUF_SIZE];
	if (store_complaints_each(job->s->st, job->platform_id, 0, queue_detail, job, err) < 0) {
		job->s->internal_error = true;
		fail(job, err, NULL);
	}
}

/* Keeps the complaints of a keyword-search or feed page that are against
 * this platform: one of its merchants, or a merchant named exactly like it.
 * The rest mention the platform but are not complaints against it. */
void
sync_heimao_keep_platform(struct heimao_list_page *page, const struct platform *p,
			  char *const *couids, size_t n_couids)
{
	size_t kept = 0;
	for (size_t i = 0; i < page->complaints.len; i++) {
		struct complaint *c = &page->complaints.items[i];
		int mine = 0;
		for (size_t k = 0; k < n_couids && !mine; k++)
			mine = c->merchant_id && !strcmp(c->merchant_id, couids[k]);
		if (!mine && c->merchant_name)
			mine = is_platform_name(p, c->merchant_name);
		if (mine)
			page->complaints.items[kept++] = *c;
		else
			complaint_finish(c);
	}
	page->complaints.len = kept;
}

/* A merchant's list holds that merchant's complaints; anything else on it
 * is not evidence against this platform. */
static void
keep_merchant(struct heimao_list_page *page, const char *couid)
{
	size_t kept = 0;
	for (size_t i = 0; i < page->complaints.len; i++) {
		struct complaint *c = &page->complaints.items[i];
		if (!c->merchant_id || !strcmp(c->merchant_id, couid))
			page->complaints.items[kept++] = *c;
		else
			complaint_finish(c);
	}
	page->complaints.len = kept;
}

/* Returns 1 when the merchant's list should go on to the next page. */
static int
handle_list(struct heimao_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	if (!http_ok(job, resp, "complaint list"))
		return 0;
	struct heimao_list_page page;
	heimao_list_page_init(&page);
	int n = heimao_list_parse(resp->body.data, resp->body.len, &page, err);
	if (n >= 0 && job->step == STEP_KEYWORD)
		sync_heimao_keep_platform(&page, &job->platform, job->couids, job->n_couids);
	else if (n >= 0)
		keep_merchant(&page, job->couids[job->couid_idx]);
	bool all_known = true;
	if (store_begin(s->st, err) < 0 ||
	    sync_archive(s, "heimao", job->step == STEP_KEYWORD ? "search" : "list", job->url, resp,
			 job->platform_id, err) < 0 ||
	    (n >= 0 && sync_heimao_store_page(s, job->platform_id, &page, &all_known, err) < 0) ||
	    store_commit(s->st, err) < 0) {
		store_rollback(s->st, NULL);
		s->internal_error = true;
		fail(job, err, NULL);
		heimao_list_page_finish(&page);
		return 0;
	}
	int more = 0;
	if (n < 0) {
		char line[ERRBUF_SIZE + 96];
		const char *drift = page.kind == HEIMAO_PAGE_LAYOUT_CHANGED ? "page layout changed: "
									    : "";
		if (job->step == STEP_KEYWORD)
			snprintf(line, sizeof(line), "keyword search for %s page %d: %s%s",
				 name_at(job, job->name_idx), job->page, drift, err);
		else
			snprintf(line, sizeof(line), "complaint list of merchant %s page %d: %s%s",
				 job->couids[job->couid_idx], job->page, drift, err);
		fail(job, line, page.kind == HEIMAO_PAGE_LOGIN_REQUIRED ? HEIMAO_LOGIN_HINT : NULL);
		job->login_required = page.kind == HEIMAO_PAGE_LOGIN_REQUIRED;
	} else if (page.kind == HEIMAO_PAGE_OK) {
		more = (!all_known || s->full) && (page.page_amount < 0 || job->page < page.page_amount) &&
		       job->page < s->cli->cfg.heimao.max_pages;
	}
	heimao_list_page_finish(&page);
	return more;
}

static void
handle_detail(struct heimao_job *job, const struct http_response *resp)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	const struct detail_ref *ref = &job->details[job->detail_idx];
	if (!http_ok(job, resp, "detail page"))
		return;
	struct complaint_detail d;
	complaint_detail_init(&d);
	int rc = heimao_detail_parse(resp->body.data, resp->body.len, &d, err);
	if (store_begin(s->st, err) < 0 ||
	    sync_archive(s, "heimao", "detail", job->url, resp, job->platform_id, err) < 0 ||
	    (d.kind != DETAIL_UNRECOGNISED &&
	     store_complaint_detail_apply(s->st, "heimao", ref->sn, &d, s->cli->now, err) < 0) ||
	    store_commit(s->st, err) < 0) {
		store_rollback(s->st, NULL);
		s->internal_error = true;
		fail(job, err, NULL);
	} else if (rc < 0 && d.kind == DETAIL_UNRECOGNISED) {
		char line[ERRBUF_SIZE + 64];
		snprintf(line, sizeof(line), "detail page of complaint %s: %s", ref->sn, err);
		fail(job, line, "the page layout changed; kmrep needs an update");
	}
	complaint_detail_finish(&d);
}

static void
finish(struct heimao_job *job)
{
	struct sync *s = job->s;
	if (job->failure && job->login_required) {
		/* Reported after the anonymous feed was read for it (sync_feed.c). */
		sync_feed_want(s, job->platform_id, job->failure,
			       (const char *const *)job->couids, job->n_couids);
	} else {
		const char *failure = job->failure ? job->failure : job->partial;
		const char *hint = job->failure ? job->hint : HEIMAO_LOGIN_HINT;
		sync_job_finish(s, &job->platform, "heimao", failure, hint);
	}
	job_free(job);
}

/* Requests the next queued detail page, or finishes the job. */
static void
next_detail(struct heimao_job *job)
{
	if (job->detail_idx >= job->n_details) {
		finish(job);
		return;
	}
	char *url = url_rebase(job->details[job->detail_idx].url, job->s->cli->cfg.heimao.base_url);
	if (!url) {
		fail(job, "a detail link is not a URL", NULL);
		finish(job);
		return;
	}
	submit(job, url);
}

static void
start_details(struct heimao_job *job)
{
	job->step = STEP_DETAIL;
	job->detail_idx = 0;
	queue_details(job);
	if (job->failure)
		finish(job);
	else
		next_detail(job);
}

/* Decides the next request, or finishes the job. */
static void
advance(struct heimao_job *job)
{
	struct sync *s = job->s;
	const char *base = s->cli->cfg.heimao.base_url;
	if (!job->failure && cli_interrupted())
		fail(job, "interrupted", NULL);
	if (job->failure) {
		finish(job);
		return;
	}
	if (job->step == STEP_SEARCH) {
		const char *name = name_at(job, job->name_idx);
		if (name) {
			job->name_idx++;
			submit(job, heimao_url_company_search(base, name));
			return;
		}
		if (job->n_couids == 0) {
			char reason[ERRBUF_SIZE];
			snprintf(reason, sizeof(reason), "no 黑猫 merchant is named %s",
				 job->platform.name);
			char *hint = job->lookalikes.len
				? xasprintf("similar merchants: %s; pin the right one with "
					    "kmrep add NAME --heimao-couid ID",
					    buf_cstr(&job->lookalikes))
				: xstrdup("pin its merchant with kmrep add NAME --heimao-couid ID");
			fail(job, reason, hint);
			free(hint);
			finish(job);
			return;
		}
		job->step = STEP_LIST;
		job->couid_idx = 0;
		job->page = 0;
	}
	if (job->step == STEP_LIST) {
		if (job->couid_idx < job->n_couids) {
			job->page++;
			submit(job, heimao_url_received_complaints(base, job->couids[job->couid_idx],
								   job->page, job->ts, job->rs));
			return;
		}
		job->step = STEP_KEYWORD;
		job->name_idx = 0;
		job->page = 0;
	}
	if (job->step == STEP_KEYWORD) {
		const char *name = name_at(job, job->name_idx);
		if (name) {
			job->page++;
			submit(job, heimao_url_search(base, name, job->page, job->ts, job->rs));
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
	struct heimao_job *job = user;
	switch (job->step) {
	case STEP_SEARCH:
		handle_search(job, resp);
		break;
	case STEP_LIST:
		if (!handle_list(job, resp)) {
			job->couid_idx++;
			job->page = 0;
		}
		break;
	case STEP_KEYWORD:
		if (!handle_list(job, resp)) {
			job->name_idx++;
			job->page = 0;
		}
		break;
	case STEP_DETAIL:
		handle_detail(job, resp);
		break;
	}
	advance(job);
}

/* A job for the platform, or NULL after printing why not. */
static struct heimao_job *
job_new(struct sync *s, int64_t platform_id)
{
	char err[ERRBUF_SIZE];
	struct heimao_job *job = xcalloc(1, sizeof(*job));
	job->s = s;
	job->platform_id = platform_id;
	buf_init(&job->lookalikes);
	if (store_platform_get(s->st, platform_id, &job->platform, err) < 0) {
		msg_error("heimao: %s", err);
		job_free(job);
		return NULL;
	}
	return job;
}

int
sync_heimao_start_details(struct sync *s, int64_t platform_id, const char *partial)
{
	struct heimao_job *job = job_new(s, platform_id);
	if (!job)
		return -1;
	job->partial = xstrdup(partial);
	/* Straight to the detail pages (anonymous, with sld): no list to read. */
	start_details(job);
	return 0;
}

int
sync_heimao_start(struct sync *s, int64_t platform_id)
{
	char err[ERRBUF_SIZE];
	struct heimao_job *job = job_new(s, platform_id);
	if (!job)
		return -1;
	/* One ts/rs pair per job, as the site's own page reuses it across pages. */
	heimao_now_ts(job->ts);
	heimao_random_rs(job->rs);

	struct merchant_ref *refs;
	size_t n;
	if (store_merchant_list(s->st, platform_id, "heimao", &refs, &n, err) < 0) {
		msg_error("%s: heimao: %s", job->platform.name, err);
		job_free(job);
		return -1;
	}
	int pinned = 0;
	for (size_t i = 0; i < n; i++) {
		pinned |= refs[i].pinned;
		if (refs[i].pinned || !s->full)
			add_couid(job, refs[i].merchant_id);
	}
	merchant_ref_list_free(refs, n);
	/* A pin replaces the search; merchants found earlier are reused unless
	 * --full asks to search again. */
	job->step = pinned || (job->n_couids && !s->full) ? STEP_LIST : STEP_SEARCH;
	advance(job);
	return 0;
}
