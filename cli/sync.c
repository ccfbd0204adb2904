#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cookie_file.h"
#include "fetch/url.h"
#include "msg.h"
#include "progress.h"
#include "store.h"
#include "xalloc.h"

/* Before the first login-wall failure of a run: what is wrong with the
 * configured cookie file, which libcurl skips without a word. */
static void
note_cookie_file(struct sync *s)
{
	const char *path = s->cli->cfg.heimao.cookie_file;
	if (s->cookie_file_noted || !path)
		return;
	s->cookie_file_noted = true;
	char err[ERRBUF_SIZE];
	char *host = url_host(s->cli->cfg.heimao.base_url);
	if (cookie_file_check(path, host, s->cli->now, err) < 0)
		msg_error("heimao: cookie_file %s: %s", path, err);
	else
		msg_error("heimao: cookie_file %s: 黑猫 did not accept its SUB cookie; export it "
			  "again", path);
	free(host);
}

void
sync_report_failure(struct sync *s, const char *platform, const char *source,
		    const char *reason, const char *hint)
{
	progress_clear(s->progress);
	if (hint && !strcmp(hint, HEIMAO_LOGIN_HINT))
		note_cookie_file(s);
	if (hint && *hint)
		msg_error("%s: %s: %s (%s)", platform, source, reason, hint);
	else
		msg_error("%s: %s: %s", platform, source, reason);
	s->failures++;
}

int
sync_archive(struct sync *s, const char *source, const char *kind, const char *url,
	     const struct http_response *r, int64_t platform_id, char *err)
{
	struct raw_response raw = {
		.source = source,
		.kind = kind,
		.url = url,
		.status = (int)r->status,
		.fetched_at = s->cli->now,
		.content_type = r->content_type,
		.etag = r->etag,
		.last_modified = r->last_modified,
		.body = r->body.data ? r->body.data : "",
		.body_len = r->body.len,
		.platform_id = platform_id,
	};
	return store_raw_put(s->st, &raw, NULL, err);
}

void
sync_describe_failure(const struct http_response *r, char *out, size_t size)
{
	switch (r->outcome) {
	case HTTP_DONE:
	case HTTP_NOT_MODIFIED:
		snprintf(out, size, "HTTP %ld", r->status);
		break;
	case HTTP_BLOCKED:
		snprintf(out, size, "blocked by the site (HTTP %ld)", r->status);
		break;
	case HTTP_HOST_BLOCKED:
		snprintf(out, size, "not tried: the site blocked an earlier request in this run");
		break;
	case HTTP_GAVE_UP:
		/* The engine's message already counts the attempts. */
		if (*r->error)
			snprintf(out, size, "%s", r->error);
		else
			snprintf(out, size, "HTTP %ld after %d attempts", r->status, r->attempts);
		break;
	default:
		snprintf(out, size, "%s", *r->error ? r->error : http_outcome_name(r->outcome));
		break;
	}
}

void
sync_job_done(struct sync *s)
{
	s->jobs_done++;
	progress_update(s->progress, s->jobs_done, s->jobs_total, s->new_complaints);
}

void
sync_icp_enqueue(struct sync *s, int64_t platform_id)
{
	s->icp_pending = xgrow(s->icp_pending, &s->cap_icp_pending, s->n_icp_pending + 1,
			       sizeof(*s->icp_pending));
	s->icp_pending[s->n_icp_pending++] = platform_id;
	s->jobs_total++;
	if (s->n_icp_pending == 1)
		sync_icp_next(s);
}

void
sync_icp_next(struct sync *s)
{
	while (s->icp_next < s->n_icp_pending) {
		int64_t id = s->icp_pending[s->icp_next++];
		if (sync_icp_start(s, id) == 0)
			return;
		s->internal_error = true;
		sync_job_done(s);
	}
}

void
sync_job_finish(struct sync *s, const struct platform *p, const char *source,
		const char *failure, const char *hint)
{
	char err[ERRBUF_SIZE];
	int rc;
	if (failure) {
		sync_report_failure(s, p->name, source, failure, hint);
		rc = store_fetch_failed(s->st, p->id, source, s->cli->now, failure, err);
	} else {
		rc = store_fetch_ok(s->st, p->id, source, s->cli->now, NULL, err);
	}
	if (rc < 0) {
		msg_error("%s: %s: %s", p->name, source, err);
		s->internal_error = true;
	}
	sync_job_done(s);
}
