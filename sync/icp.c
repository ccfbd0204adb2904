/* The ICP job of one platform: ask the MIIT registry about each of its
 * registrable domains (unless answered within cache_days), authenticating
 * once per run and again when the token expires.  Every answer is one of
 * three: filed, not filed, or unknown with the reason — a captcha wall, a
 * WAF page or a rate limit is never "not filed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "captcha.h"
#include "host.h"
#include "fetch/icp.h"
#include "i18n.h"
#include "interrupt.h"
#include "msg.h"
#include "parse/icp.h"
#include "source.h"
#include "store.h"
#include "sync.h"
#include "xalloc.h"

/* Token, query; when the registry demands its slider captcha and a solver
 * is configured (cli/captcha.h): challenge, check, then the query again with
 * uuid + sign.  The sign is kept for the next queries of the run while the
 * registry accepts it. */
enum step { STEP_AUTH, STEP_QUERY, STEP_CHALLENGE, STEP_CHECK };

#define CAPTCHA_TRIES 3 /* challenges per query; a uuid is used once */

struct icp_job {
	struct sync *s;
	int64_t platform_id;
	struct platform platform;
	char **domains;          /* registrable domains, deduplicated */
	size_t n_domains, domain_idx;
	enum step step;
	int page;
	int reauthed;            /* the token was renewed once for this domain */
	struct icp_record *records; /* the current domain's exact matches so far */
	size_t n_records, cap_records;
	char *rci;               /* echoed back on follow-up pages */
	int captcha_tries;       /* challenges fetched for the current domain */
	char *url;
	struct buf failures;
	bool blocked;         /* a failure was the registry refusing (WAF, 429, captcha) */
};

static void advance(struct icp_job *job);
static void on_response(const struct http_response *resp, void *user);

static void
clear_records(struct icp_job *job)
{
	for (size_t i = 0; i < job->n_records; i++)
		icp_record_finish(&job->records[i]);
	job->n_records = 0;
}

static void
job_free(struct icp_job *job)
{
	platform_finish(&job->platform);
	for (size_t i = 0; i < job->n_domains; i++)
		free(job->domains[i]);
	free(job->domains);
	clear_records(job);
	free(job->records);
	free(job->rci);
	free(job->url);
	buf_finish(&job->failures);
	free(job);
}

static const char *
current_domain(const struct icp_job *job)
{
	return job->domains[job->domain_idx];
}

/* Records the answer for the current domain and moves to the next one. */
static void
conclude_domain(struct icp_job *job, const char *state, const char *reason)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	if (store_icp_put(s->st, current_domain(job), state, reason, job->records, job->n_records,
			  s->now, err) < 0) {
		msg_error("%s: icp: %s", job->platform.name, err);
		s->internal_error = true;
	}
	if (reason)
		buf_printf(&job->failures, "%s%s: %s", job->failures.len ? "; " : "",
			   current_domain(job), reason);
	clear_records(job);
	free(job->rci);
	job->rci = NULL;
	job->page = 0;
	job->reauthed = 0;
	job->captcha_tries = 0;
	job->domain_idx++;
}

/* Marks the job's outcome as blocked when the registry refused: a block
 * page or HTTP block, rate limiting, a captcha it would not let through. */
static void
note_refusal(struct icp_job *job, const struct http_response *resp, enum icp_reply_kind kind)
{
	if ((resp && (resp->outcome == HTTP_BLOCKED || resp->outcome == HTTP_HOST_BLOCKED)) ||
	    kind == ICP_BLOCKED || kind == ICP_RATE_LIMITED || kind == ICP_CAPTCHA)
		job->blocked = true;
}

/* The domain's answer is unknown because the request itself failed (a
 * transfer error, an HTTP error or block). */
static void
conclude_transfer_failure(struct icp_job *job, const struct http_response *resp)
{
	char reason[ERRBUF_SIZE];
	sync_describe_failure(resp, reason, sizeof(reason));
	note_refusal(job, resp, ICP_OK);
	conclude_domain(job, "unknown", reason);
}

static void
forget_sign(struct sync *s)
{
	free(s->icp_uuid);
	free(s->icp_sign);
	s->icp_uuid = s->icp_sign = NULL;
}

static void
submit(struct icp_job *job, char *url, const char *body, const char *const *headers)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	static const char *const capture[] = {"rci", NULL};
	free(job->url);
	job->url = url;
	struct http_request req = {
		.url = url,
		.method = "POST",
		.body = body,
		.body_len = strlen(body),
		.headers = headers,
		.min_interval_ms = s->cfg->icp.min_interval_ms,
		.capture_headers = capture,
	};
	if (http_client_submit(s->http, &req, on_response, job, err) < 0) {
		conclude_domain(job, "unknown", err);
		advance(job);
	}
}

static void
submit_auth(struct icp_job *job)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	char *body = NULL;
	icp_auth_body(ms, &body);
	static const char *const extra[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL};
	char **headers = icp_headers(extra);
	job->step = STEP_AUTH;
	submit(job, icp_url_auth(job->s->cfg->icp.base_url), body ? body : "",
	       (const char *const *)headers);
	icp_headers_free(headers);
	free(body);
}

static void
submit_query(struct icp_job *job)
{
	job->page++;
	char *body = icp_query_body(current_domain(job), job->page, 10);
	char *token = xasprintf("token: %s", job->s->icp_token);
	char *rci = job->rci ? xasprintf("Rci: %s", job->rci) : NULL;
	char *uuid = job->s->icp_uuid ? xasprintf("uuid: %s", job->s->icp_uuid) : NULL;
	char *sign = job->s->icp_sign ? xasprintf("sign: %s", job->s->icp_sign) : NULL;
	const char *extra[6];
	size_t n = 0;
	extra[n++] = "Content-Type: application/json";
	extra[n++] = token;
	if (rci)
		extra[n++] = rci;
	if (uuid && sign) {
		extra[n++] = uuid;
		extra[n++] = sign;
	}
	extra[n] = NULL;
	char **headers = icp_headers(extra);
	free(uuid);
	free(sign);
	job->step = STEP_QUERY;
	submit(job, icp_url_query(job->s->cfg->icp.base_url), body ? body : "{}",
	       (const char *const *)headers);
	icp_headers_free(headers);
	free(token);
	free(rci);
	free(body);
}

/* Asks for a slider challenge (the registry's client sends a random id). */
static void
submit_challenge(struct icp_job *job)
{
	char uid[33];
	icp_random_jsluid(uid);
	char *body = xasprintf("{\"clientUid\":\"point-%.8s-%.4s-%.4s-%.4s-%.12s\"}", uid, uid + 8,
			       uid + 12, uid + 16, uid + 20);
	char *token = xasprintf("token: %s", job->s->icp_token);
	const char *extra[] = {"Content-Type: application/json", token, NULL};
	char **headers = icp_headers(extra);
	job->step = STEP_CHALLENGE;
	job->captcha_tries++;
	submit(job, icp_url_check_image_point(job->s->cfg->icp.base_url), body,
	       (const char *const *)headers);
	icp_headers_free(headers);
	free(token);
	free(body);
}

static int
archive(struct icp_job *job, const struct http_response *resp, const char *kind)
{
	struct sync *s = job->s;
	char err[ERRBUF_SIZE];
	if (store_begin(s->st, err) < 0 ||
	    sync_archive(s, "icp", kind, job->url, resp, job->platform_id, err) < 0 ||
	    store_commit(s->st, err) < 0) {
		store_rollback(s->st, NULL);
		msg_error("%s: icp: %s", job->platform.name, err);
		s->internal_error = true;
		return -1;
	}
	return 0;
}

static void
handle_auth(struct icp_job *job, const struct http_response *resp)
{
	char msg[128] = "", reason[ERRBUF_SIZE];
	if (resp->outcome != HTTP_DONE) {
		conclude_transfer_failure(job, resp);
		return;
	}
	archive(job, resp, "icp_auth");
	char *token = NULL;
	int64_t expire = 0;
	enum icp_reply_kind kind = icp_auth_parse(resp->body.data ? resp->body.data : "",
						  resp->body.len, &token, &expire, msg);
	if (kind != ICP_OK || !token) {
		free(token);
		snprintf(reason, sizeof(reason), "registry refused the token (%s%s%s)",
			 icp_reply_kind_name(kind), *msg ? ": " : "", msg);
		conclude_domain(job, "unknown", reason);
		return;
	}
	free(job->s->icp_token);
	job->s->icp_token = token;
	submit_query(job);
}

static void
handle_query(struct icp_job *job, const struct http_response *resp)
{
	char reason[ERRBUF_SIZE], err[ERRBUF_SIZE];
	if (resp->outcome != HTTP_DONE) {
		conclude_transfer_failure(job, resp);
		advance(job);
		return;
	}
	archive(job, resp, "icp_query");
	struct icp_query_page page;
	icp_query_page_init(&page);
	icp_query_parse(resp->body.data ? resp->body.data : "", resp->body.len, &page, err);
	const char *rci = http_response_header(resp, "rci");
	if (rci) {
		free(job->rci);
		job->rci = xstrdup(rci);
	}
	if (page.kind == ICP_TOKEN_EXPIRED && !job->reauthed) {
		job->reauthed = 1;
		job->page--;
		free(job->s->icp_token);
		job->s->icp_token = NULL;
		icp_query_page_finish(&page);
		submit_auth(job);
		return;
	}
	const char *no_solver = NULL;
	if (page.kind == ICP_CAPTCHA) {
		forget_sign(job->s); /* refused or expired: a new challenge */
		if (captcha_solver(job->s->cfg, &no_solver) &&
		    job->captcha_tries < CAPTCHA_TRIES) {
			icp_query_page_finish(&page);
			submit_challenge(job);
			return;
		}
	}
	note_refusal(job, NULL, page.kind);
	if (page.kind == ICP_CAPTCHA && no_solver) {
		snprintf(reason, sizeof(reason), "the registry demands a slider captcha and there "
						 "is no solver (%s)", no_solver);
		conclude_domain(job, "unknown", reason);
		icp_query_page_finish(&page);
		advance(job);
		return;
	}
	if (page.kind != ICP_OK) {
		snprintf(reason, sizeof(reason), "registry answer unusable (%s%s%s)",
			 icp_reply_kind_name(page.kind), *page.msg ? ": " : "", page.msg);
		conclude_domain(job, "unknown", reason);
		icp_query_page_finish(&page);
		advance(job);
		return;
	}
	for (size_t i = 0; i < page.n_records; i++) {
		struct icp_record *r = &page.records[i];
		if (!r->domain || strcmp(r->domain, current_domain(job)))
			continue; /* a look-alike: never trust list[0] */
		job->records = xgrow(job->records, &job->cap_records, job->n_records + 1,
				     sizeof(*job->records));
		job->records[job->n_records++] = *r;
		icp_record_init(r); /* moved */
	}
	int more = !page.is_last_page && page.pages > job->page && job->page < 20;
	icp_query_page_finish(&page);
	if (more) {
		submit_query(job);
		return;
	}
	conclude_domain(job, job->n_records ? "filed" : "not_filed", NULL);
	advance(job);
}

/* "token过期" during the captcha step: a new token (once per domain), then
 * the query again, which brings a new challenge. */
static void
renew_token(struct icp_job *job)
{
	job->reauthed = 1;
	job->page--;
	free(job->s->icp_token);
	job->s->icp_token = NULL;
	submit_auth(job);
}

/* The challenge arrived: solve it (cli/captcha.h picks the solver), then
 * send the answer to image/checkImage. */
static void
handle_challenge(struct icp_job *job, const struct http_response *resp)
{
	char msg[128] = "", reason[ERRBUF_SIZE], err[ERRBUF_SIZE];
	struct icp_captcha c;
	memset(&c, 0, sizeof(c));
	if (resp->outcome != HTTP_DONE) {
		conclude_transfer_failure(job, resp);
		advance(job);
		return;
	}
	enum icp_reply_kind kind = icp_captcha_parse(resp->body.data ? resp->body.data : "",
						     resp->body.len, &c, msg);
	long x;
	if (kind == ICP_TOKEN_EXPIRED && !job->reauthed) {
		renew_token(job);
	} else if (kind != ICP_OK) {
		note_refusal(job, NULL, kind);
		snprintf(reason, sizeof(reason), "captcha challenge unusable (%s)",
			 icp_reply_kind_name(kind));
		conclude_domain(job, "unknown", reason);
		advance(job);
	} else if (captcha_answer(job->s->cfg, &c, &x, err) < 0) {
		conclude_domain(job, "unknown", err);
		advance(job);
	} else {
		forget_sign(job->s);
		job->s->icp_uuid = xstrdup(c.uuid);
		char value[32];
		snprintf(value, sizeof(value), "%ld", x);
		json_t *o = json_pack("{s:s, s:s}", "key", c.uuid, "value", value);
		char *body = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		char *token = xasprintf("token: %s", job->s->icp_token);
		const char *extra[] = {"Content-Type: application/json", token, NULL};
		char **headers = icp_headers(extra);
		job->step = STEP_CHECK;
		submit(job, icp_url_check_image(job->s->cfg->icp.base_url), body,
		       (const char *const *)headers);
		icp_headers_free(headers);
		free(token);
		free(body);
	}
	icp_captcha_finish(&c);
}

/* The answer was checked: with a sign, query again; a wrong answer gets a
 * new challenge (up to CAPTCHA_TRIES per query). */
static void
handle_check(struct icp_job *job, const struct http_response *resp)
{
	char msg[128] = "", reason[ERRBUF_SIZE];
	char *sign = NULL;
	enum icp_reply_kind kind = resp->outcome == HTTP_DONE
		? icp_sign_parse(resp->body.data ? resp->body.data : "", resp->body.len, &sign, msg)
		: ICP_BAD_BODY;
	if (kind == ICP_OK && sign) {
		free(job->s->icp_sign);
		job->s->icp_sign = sign;
		job->page--;
		submit_query(job);
		return;
	}
	free(sign);
	forget_sign(job->s);
	if (resp->outcome != HTTP_DONE) {
		conclude_transfer_failure(job, resp);
		advance(job);
		return;
	}
	if (kind == ICP_TOKEN_EXPIRED && !job->reauthed) {
		renew_token(job);
		return;
	}
	if (kind == ICP_CAPTCHA && job->captcha_tries < CAPTCHA_TRIES) {
		submit_challenge(job);
		return;
	}
	note_refusal(job, NULL, kind);
	snprintf(reason, sizeof(reason), "the captcha answer was refused (%s%s%s)",
		 icp_reply_kind_name(kind), *msg ? ": " : "", msg);
	conclude_domain(job, "unknown", reason);
	advance(job);
}

static void
on_response(const struct http_response *resp, void *user)
{
	struct icp_job *job = user;
	sync_answered(job->s, "icp");
	if (job->step == STEP_CHALLENGE) {
		handle_challenge(job, resp);
		return;
	}
	if (job->step == STEP_CHECK) {
		handle_check(job, resp);
		return;
	}
	if (job->step == STEP_AUTH) {
		handle_auth(job, resp);
		if (job->step == STEP_AUTH) /* no query was sent: the domain is concluded */
			advance(job);
		return;
	}
	handle_query(job, resp);
}

static void
finish(struct icp_job *job)
{
	struct sync *s = job->s;
	enum fetch_outcome outcome = !job->failures.len ? FETCH_OK
				     : job->blocked    ? FETCH_BLOCKED
							: FETCH_FAILED;
	sync_job_finish(s, &job->platform, "icp", outcome,
			job->failures.len ? buf_cstr(&job->failures) : NULL,
			N_("the registry's answer stays unknown; no points are deducted for it"));
	job_free(job);
}

/* True when the domain's answer is fresh enough to skip the registry. */
static int
cached(struct icp_job *job, const char *domain)
{
	struct sync *s = job->s;
	if (s->full)
		return 0;
	struct icp_current cur;
	char err[ERRBUF_SIZE];
	if (store_icp_current(s->st, domain, &cur, err) != 1)
		return 0;
	int fresh = strcmp(cur.last_attempt_state, "unknown") &&
		    cur.queried_at >= s->now - s->cfg->icp.cache_days * 86400;
	icp_current_finish(&cur);
	return fresh;
}

static void
advance(struct icp_job *job)
{
	while (job->domain_idx < job->n_domains && cached(job, current_domain(job)))
		job->domain_idx++;
	if (job->domain_idx >= job->n_domains) {
		finish(job);
		return;
	}
	if (interrupt_requested()) {
		buf_printf(&job->failures, "%sinterrupted", job->failures.len ? "; " : "");
		finish(job);
		return;
	}
	if (!job->s->icp_token)
		submit_auth(job);
	else
		submit_query(job);
}

static int
start(struct sync *s, int64_t platform_id)
{
	char err[ERRBUF_SIZE];
	struct icp_job *job = xcalloc(1, sizeof(*job));
	size_t cap = 0;
	job->s = s;
	job->platform_id = platform_id;
	buf_init(&job->failures);
	if (store_platform_get(s->st, platform_id, &job->platform, err) < 0) {
		msg_error("icp: %s", err);
		free(job);
		return -1;
	}
	for (size_t i = 0; i < job->platform.n_domains; i++) {
		char *d = host_registrable(job->platform.domains[i]);
		if (!d)
			continue;
		int dup = 0;
		for (size_t k = 0; k < job->n_domains && !dup; k++)
			dup = !strcmp(job->domains[k], d);
		if (dup) {
			free(d);
			continue;
		}
		job->domains = xgrow(job->domains, &cap, job->n_domains + 1, sizeof(char *));
		job->domains[job->n_domains++] = d;
	}
	advance(job);
	return 0;
}

static bool
enabled(const struct config *cfg)
{
	return cfg->icp.enabled;
}

static long
interval_ms(const struct config *cfg)
{
	return cfg->icp.min_interval_ms;
}

/* A saved queryByCondition answer: each record is stored as its domain's
 * filing.  An answer without records says "not filed" only for the domain
 * it was asked about: an imported answer's platform's first domain (an
 * archived one does not say, and is skipped). */
static int
replay(struct replay *r, char *err)
{
	if (r->kind && strcmp(r->kind, "icp_query"))
		return 0; /* auth, captcha and sign answers: nothing to store */
	char *domain = NULL;
	if (!r->kind && r->platform_id) {
		struct platform p;
		if (store_platform_get(r->st, r->platform_id, &p, err) < 0)
			return -ERR_DB;
		domain = p.n_domains ? host_registrable(p.domains[0]) : NULL;
		platform_finish(&p);
	}
	struct icp_query_page page;
	icp_query_page_init(&page);
	int rc = 0;
	icp_query_parse(r->body, r->len, &page, err);
	if (page.kind != ICP_OK) {
		rc = set_errc(err, ERR_PARSE, "not a usable registry answer (%s%s%s)",
			      icp_reply_kind_name(page.kind), *page.msg ? ": " : "", page.msg);
		goto out;
	}
	for (size_t i = 0; i < page.n_records && rc == 0; i++) {
		const struct icp_record *rec = &page.records[i];
		if (rec->domain && store_icp_put(r->st, rec->domain, "filed", NULL, rec, 1, r->now,
						 err) < 0)
			rc = -ERR_DB;
	}
	if (rc == 0 && page.n_records == 0 && domain &&
	    store_icp_put(r->st, domain, "not_filed", NULL, NULL, 0, r->now, err) < 0)
		rc = -ERR_DB;
out:
	icp_query_page_finish(&page);
	free(domain);
	return rc;
}

const struct source_desc icp_source = {
	.enabled = enabled,
	.interval_ms = interval_ms,
	.needs_domain = true,
	.parallel = 1,
	.start = start,
	.replay = replay,
};
