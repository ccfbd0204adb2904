/* The home-page job of one platform: fetch url_template for each of its
 * domains (conditionally when the page was seen before), and record what the
 * page claims (title, ICP and 公安 numbers).  A page that cannot be fetched is
 * a failure worth showing: a vanished site is how 跑路 starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/site.h"
#include "interrupt.h"
#include "msg.h"
#include "parse/site.h"
#include "source.h"
#include "store.h"
#include "sync.h"
#include "xalloc.h"

struct site_job {
	struct sync *s;
	int64_t platform_id;
	struct platform platform;
	size_t domain_idx;
	char *url;
	char *etag, *last_modified;
	struct buf failures;
};

static void advance(struct site_job *job);

static void
job_free(struct site_job *job)
{
	platform_finish(&job->platform);
	free(job->url);
	free(job->etag);
	free(job->last_modified);
	buf_finish(&job->failures);
	free(job);
}

static void
note_failure(struct site_job *job, const char *domain, const char *reason)
{
	buf_printf(&job->failures, "%s%s: %s", job->failures.len ? "; " : "", domain, reason);
}

/* Parses and stores one page (fresh or, after a 304, from the archive). */
static int
store_page(struct site_job *job, const struct http_response *resp, const char *body, size_t len,
	   const char *content_type, char *err)
{
	struct sync *s = job->s;
	const char *domain = job->platform.domains[job->domain_idx];
	struct site_page page;
	site_page_init(&page);
	char perr[ERRBUF_SIZE];
	int parsed = site_page_parse(body, len, content_type, &page, perr);
	int rc = -1;
	if (store_begin(s->st, err) < 0)
		goto out;
	if (resp->outcome == HTTP_DONE &&
	    sync_archive(s, "site", "site", job->url, resp, job->platform_id, err) < 0)
		goto rollback;
	if (store_site_probe_put(s->st, job->platform_id, domain, (int)resp->status,
				 parsed < 0 ? perr : NULL, parsed < 0 ? NULL : &page, s->now,
				 err) < 0)
		goto rollback;
	if (store_commit(s->st, err) < 0)
		goto rollback;
	if (parsed < 0)
		note_failure(job, domain, perr);
	rc = 0;
	goto out;
rollback:
	store_rollback(s->st, NULL);
out:
	site_page_finish(&page);
	return rc;
}

static void
on_response(const struct http_response *resp, void *user)
{
	struct site_job *job = user;
	struct sync *s = job->s;
	const char *domain = job->platform.domains[job->domain_idx];
	sync_answered(s, "site");
	char err[ERRBUF_SIZE];
	int rc = 0;
	if (resp->outcome == HTTP_DONE && resp->status == 200) {
		rc = store_page(job, resp, resp->body.data ? resp->body.data : "", resp->body.len,
				resp->content_type, err);
	} else if (resp->outcome == HTTP_NOT_MODIFIED) {
		char *body = NULL, *ctype = NULL;
		size_t len = 0;
		int found = store_raw_latest_body(s->st, job->url, &body, &len, &ctype, err);
		if (found == 1)
			rc = store_page(job, resp, body, len, ctype, err);
		else if (found == 0)
			note_failure(job, domain, "304 Not Modified but no earlier page is archived");
		else
			rc = -1;
		free(body);
		free(ctype);
	} else {
		char reason[ERRBUF_SIZE];
		sync_describe_failure(resp, reason, sizeof(reason));
		note_failure(job, domain, reason);
		rc = store_site_probe_put(s->st, job->platform_id, domain, (int)resp->status, reason,
					  NULL, s->now, err);
	}
	if (rc < 0) {
		msg_error("%s: site: %s", job->platform.name, err);
		s->internal_error = true;
	}
	job->domain_idx++;
	advance(job);
}

static void
finish(struct site_job *job)
{
	sync_job_finish(job->s, &job->platform, "site", job->failures.len ? FETCH_FAILED : FETCH_OK,
			job->failures.len ? buf_cstr(&job->failures) : NULL, NULL);
	job_free(job);
}

static void
advance(struct site_job *job)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	while (job->domain_idx < job->platform.n_domains) {
		if (interrupt_requested()) {
			note_failure(job, "-", "interrupted");
			break;
		}
		const char *domain = job->platform.domains[job->domain_idx];
		free(job->url);
		job->url = site_url(s->cfg->site.url_template, domain);
		if (!job->url) {
			note_failure(job, domain, "not a valid host name for url_template");
			job->domain_idx++;
			continue;
		}
		free(job->etag);
		free(job->last_modified);
		job->etag = job->last_modified = NULL;
		if (!s->full &&
		    store_raw_validators(s->st, job->url, &job->etag, &job->last_modified, err) < 0) {
			msg_error("%s: site: %s", job->platform.name, err);
			s->internal_error = true;
		}
		struct http_request req = {
			.url = job->url,
			.etag = job->etag,
			.last_modified = job->last_modified,
			.min_interval_ms = s->cfg->site.min_interval_ms,
		};
		if (http_client_submit(s->http, &req, on_response, job, err) == 0)
			return;
		note_failure(job, domain, err);
		job->domain_idx++;
	}
	finish(job);
}

static int
start(struct sync *s, int64_t platform_id)
{
	char err[ERRBUF_SIZE];
	struct site_job *job = xcalloc(1, sizeof(*job));
	job->s = s;
	job->platform_id = platform_id;
	buf_init(&job->failures);
	if (store_platform_get(s->st, platform_id, &job->platform, err) < 0) {
		msg_error("site: %s", err);
		free(job);
		return -1;
	}
	advance(job);
	return 0;
}

static bool
enabled(const struct config *cfg)
{
	return cfg->site.enabled;
}

static long
interval_ms(const struct config *cfg)
{
	return cfg->site.min_interval_ms;
}

/* A saved home page of the platform: an import is filed under its first
 * domain; an archived page under the platform's domain its URL was made
 * from. */
static int
replay(struct replay *r, char *err)
{
	if (!r->platform_id)
		return r->kind ? 0 : set_errc(err, ERR_USAGE, "a site page needs --platform NAME");
	struct platform p;
	if (store_platform_get(r->st, r->platform_id, &p, err) < 0)
		return -ERR_DB;
	const char *domain = NULL;
	if (!r->kind) {
		domain = p.n_domains ? p.domains[0] : NULL;
	} else {
		for (size_t i = 0; r->url && i < p.n_domains; i++)
			if (strstr(r->url, p.domains[i]))
				domain = p.domains[i];
	}
	int rc = 0;
	if (!domain) {
		if (!r->kind)
			rc = set_errc(err, ERR_USAGE,
				      "%s has no domain (add one with 'kmrep add NAME --domain D')",
				      p.name);
		platform_finish(&p);
		return rc;
	}
	struct site_page page;
	site_page_init(&page);
	if (site_page_parse(r->body, r->len, r->content_type, &page, err) < 0)
		rc = -ERR_PARSE;
	else if (store_site_probe_put(r->st, r->platform_id, domain, 200, NULL, &page, r->now,
				      err) < 0)
		rc = -ERR_DB;
	site_page_finish(&page);
	platform_finish(&p);
	return rc;
}

const struct source_desc site_source = {
	.enabled = enabled,
	.interval_ms = interval_ms,
	.needs_domain = true,
	.start = start,
	.replay = replay,
};
