#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "i18n.h"
#include "interrupt.h"
#include "msg.h"
#include "progress.h"
#include "source.h"
#include "store.h"
#include "xalloc.h"

void
sync_report_failure(struct sync *s, const char *platform, const char *source,
		    const char *reason, const char *hint)
{
	s->failures++;
	/* After Ctrl-C the caller's one-line summary says it for every job. */
	if (interrupt_requested() && reason && strstr(reason, "interrupted"))
		return;
	/* The technical reason stays whole (watchdogs read it); in Chinese it
	 * follows what it means (failure_words), English needs no gloss. */
	char *glossed = reason && strcmp(i18n_current(), "en")
		? xasprintf(_("%s (%s)"), failure_words(reason), reason) : NULL;
	const char *shown = glossed ? glossed : reason;
	if (hint && *hint)
		/* TRANSLATORS: platform, source, what failed, the hint. */
		msg_error(_("%s: %s: %s (%s)"), platform, source, shown, _(hint));
	else
		msg_error("%s: %s: %s", platform, source, shown);
	free(glossed);
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
		.fetched_at = s->now,
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
sync_job_done(struct sync *s, size_t source)
{
	s->jobs_done++;
	progress_job(s->progress, source, true);
}

void
sync_answered(struct sync *s, const char *source)
{
	int i = registry_find(source);
	if (i >= 0)
		progress_answered(s->progress, (size_t)i);
}

void
sync_tick(void *user)
{
	struct sync *s = user;
	progress_draw(s->progress);
}

struct http_request
site_request(const struct complaint_site *site, const struct complaint_config *cfg,
	     const char *url)
{
	return (struct http_request){
		.url = url,
		.headers = site->headers,
		.cookie_file = cfg->cookie_file,
		.min_interval_ms = cfg->min_interval_ms,
	};
}

bool
source_enabled(size_t i, const struct config *cfg)
{
	const struct source_desc *d = registry[i].desc;
	if (d->complaints) {
		const struct complaint_config *c = config_site(cfg, registry[i].name);
		return c && c->enabled;
	}
	return d->enabled(cfg);
}

long
source_interval_ms(size_t i, const struct config *cfg)
{
	const struct source_desc *d = registry[i].desc;
	if (d->complaints) {
		const struct complaint_config *c = config_site(cfg, registry[i].name);
		return c ? c->min_interval_ms : 0;
	}
	return d->interval_ms ? d->interval_ms(cfg) : 0;
}

int
source_start(size_t i, struct sync *s, int64_t platform_id)
{
	const struct source_desc *d = registry[i].desc;
	return d->complaints ? crawl_start(s, d->complaints, platform_id) : d->start(s, platform_id);
}

/* Starts queued jobs while the source's limit allows. */
static void
pump(struct sync *s, size_t source)
{
	struct job_queue *q = &s->queues[source];
	const struct source_desc *d = registry[source].desc;
	if (q->pumping)
		return;
	q->pumping = true;
	while (q->next < q->n && (!d->parallel || q->running < d->parallel)) {
		q->running++;
		if (source_start(source, s, q->ids[q->next++]) < 0) {
			q->running--;
			s->internal_error = true;
			sync_job_done(s, source);
		}
	}
	q->pumping = false;
}

void
sync_job_queue(struct sync *s, size_t source, int64_t platform_id)
{
	struct job_queue *q = &s->queues[source];
	q->ids = xgrow(q->ids, &q->cap, q->n + 1, sizeof(*q->ids));
	q->ids[q->n++] = platform_id;
	s->jobs_total++;
	progress_job(s->progress, source, false);
	pump(s, source);
}

void
sync_finish(struct sync *s)
{
	for (size_t i = 0; i < SOURCE_MAX; i++)
		free(s->queues[i].ids);
	free(s->icp_token);
	free(s->icp_uuid);
	free(s->icp_sign);
}

void
sync_job_finish(struct sync *s, const struct platform *p, const char *source,
		enum fetch_outcome outcome, const char *failure, const char *hint)
{
	char err[ERRBUF_SIZE];
	int rc;
	if (outcome != FETCH_OK) {
		sync_report_failure(s, p->name, source, failure, hint);
		rc = store_fetch_failed(s->st, p->id, source, s->now, outcome, failure, err);
	} else {
		rc = store_fetch_ok(s->st, p->id, source, s->now, NULL, err);
	}
	if (rc < 0) {
		msg_error("%s: %s: %s", p->name, source, err);
		s->internal_error = true;
	}
	int i = registry_find(source);
	sync_job_done(s, i >= 0 ? (size_t)i : SOURCE_MAX);
	if (i >= 0 && s->queues[i].running) {
		s->queues[i].running--;
		pump(s, (size_t)i);
	}
}
