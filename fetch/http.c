/* The HTTP engine on libcurl's multi interface; see http.h.
 *
 * Scheduling: each host (scheme://host:port) has a FIFO of jobs and at most
 * one job in flight.  The next job of a host starts no sooner than its
 * min_interval_ms after the previous transfer to that host FINISHED (so two
 * starts are also at least that far apart), and no sooner than its own retry
 * backoff.  A retried job keeps its place at the head of its host's queue.
 * Every attempt gets a fresh easy handle; connections and DNS are shared
 * through the multi handle and a share handle.
 *
 * Cookies belong to a request, not to a host: only a request that names a
 * cookie_file turns libcurl's cookie engine on, with an in-memory jar shared
 * by the requests naming the same file (and the cookies their answers set).
 * Any other request (the site probe, the ICP client) runs without the
 * engine, so no redirect can bring it to a host whose cookies it would
 * send. */
#include "http.h"

#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "msg.h"
#include "xalloc.h"

/* The longest the loop sleeps without checking the stop flag. */
#define POLL_SLICE_MS 100

struct host;

struct job {
	struct job *next; /* in the host queue */
	struct host *host;
	struct http_client *client;

	char *url;
	char *method; /* NULL: GET (or POST when body) */
	char *body;
	size_t body_len;
	bool has_body;
	char **headers; /* "Name: value", n_headers */
	size_t n_headers;
	char *cookie_file;
	char *etag;
	char *last_modified;
	long min_interval_ms;
	char **capture; /* names, n_capture */
	size_t n_capture;

	http_done_fn done;
	void *user;
	struct http_response *out; /* http_fetch: results go here, not freed */
	bool *finished;            /* http_fetch: set when done */

	/* the current attempt */
	CURL *easy;
	struct curl_slist *slist;
	struct http_response resp;
	int64_t not_before_ms; /* retry backoff */
	bool too_large;
	char errbuf[CURL_ERROR_SIZE];
};

struct host {
	struct host *next;
	char *key; /* scheme://host:port */
	struct job *head, *tail;
	struct job *current; /* in flight */
	int64_t last_end_ms; /* when the previous transfer finished; 0: never */
	bool blocked;
	long blocked_status;
};

/* The cookie jar of the requests naming one cookie file. */
struct jar {
	struct jar *next;
	char *cookie_file;
	CURLSH *share; /* cookies and DNS */
};

struct http_client {
	CURLM *multi;
	CURLSH *share; /* DNS only: requests without cookies */
	struct jar *jars;
	struct http_options opt;
	char *user_agent;
	struct host *hosts;
	size_t pending; /* queued + in flight */
	volatile sig_atomic_t stop;
	struct http_stats stats;
	uint64_t rng;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t
rng_next(uint64_t *s)
{
	/* splitmix64: jitter needs no cryptographic quality. */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static void
trim_right(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Describes outcome o as a short name (static). */
const char *
http_outcome_name(enum http_outcome o)
{
	switch (o) {
	case HTTP_DONE: return "done";
	case HTTP_NOT_MODIFIED: return "not_modified";
	case HTTP_BLOCKED: return "blocked";
	case HTTP_HOST_BLOCKED: return "host_blocked";
	case HTTP_TOO_LARGE: return "too_large";
	case HTTP_TIMEOUT: return "timeout";
	case HTTP_NETWORK: return "network";
	case HTTP_REFUSED_URL: return "refused_url";
	case HTTP_GAVE_UP: return "gave_up";
	case HTTP_INTERRUPTED: return "interrupted";
	}
	return "unknown";
}

/* Fills o from cfg; strings point into cfg. */
void
http_options_from_config(struct http_options *o, const struct config *cfg)
{
	memset(o, 0, sizeof(*o));
	o->user_agent = cfg->user_agent;
	o->timeout_s = cfg->timeout_s;
	o->connect_timeout_s = cfg->connect_timeout_s;
	o->max_body = cfg->max_body_kib > 0 ? (size_t)cfg->max_body_kib * 1024 : 0;
	o->low_speed_bps = cfg->low_speed_bps;
	o->low_speed_time_s = cfg->low_speed_time_s;
	o->max_retries = cfg->max_retries;
	o->retry_base_ms = cfg->retry_base_ms;
	o->retry_max_ms = cfg->retry_max_ms;
}

/* Initialises r empty; nothing to free yet. */
void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
}

static void
response_clear_headers(struct http_response *r)
{
	free(r->content_type);
	free(r->etag);
	free(r->last_modified);
	free(r->effective_url);
	r->content_type = r->etag = r->last_modified = r->effective_url = NULL;
	for (size_t i = 0; i < r->n_captured; i++) {
		free(r->captured_values[i]);
		r->captured_values[i] = NULL;
	}
}

/* Frees everything r owns and leaves it empty. */
void
http_response_finish(struct http_response *r)
{
	if (!r)
		return;
	response_clear_headers(r);
	for (size_t i = 0; i < r->n_captured; i++)
		free(r->captured_names[i]);
	free(r->captured_names);
	free(r->captured_values);
	buf_finish(&r->body);
	http_response_init(r);
}

/* The captured value of name, or NULL; owned by r. */
const char *
http_response_header(const struct http_response *r, const char *name)
{
	for (size_t i = 0; i < r->n_captured; i++)
		if (strcasecmp(r->captured_names[i], name) == 0)
			return r->captured_values[i];
	return NULL;
}

/* Splits url into its host key (scheme://host:port) after checking the
 * scheme; returns 0 or -1 with err filled. */
static int
host_key(const char *url, char **key, char *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *hostname = NULL, *port = NULL;
	CURLUcode uc;
	int ret = -1;

	if (!u)
		return set_err(err, "out of memory");
	uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (uc != CURLUE_OK) {
		set_err(err, "bad URL: %s", curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
		set_err(err, "refused URL: only http and https are fetched");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &hostname, 0) != CURLUE_OK) {
		set_err(err, "bad URL: no host");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		set_err(err, "bad URL: no port");
		goto out;
	}
	*key = xasprintf("%s://%s:%s", scheme, hostname, port);
	for (char *p = *key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	ret = 0;
out:
	curl_free(scheme);
	curl_free(hostname);
	curl_free(port);
	curl_url_cleanup(u);
	return ret;
}

static struct host *
host_get(struct http_client *c, const char *key)
{
	struct host **pp = &c->hosts;

	for (; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->key, key) == 0)
			return *pp;
	*pp = xcalloc(1, sizeof(**pp));
	(*pp)->key = xstrdup(key);
	return *pp;
}

static char **
copy_strv(const char *const *v, size_t *n)
{
	char **out;

	*n = 0;
	if (!v)
		return NULL;
	while (v[*n])
		(*n)++;
	out = xcalloc(*n + 1, sizeof(*out));
	for (size_t i = 0; i < *n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
job_free(struct job *j)
{
	if (!j)
		return;
	free(j->url);
	free(j->method);
	free(j->body);
	free_strv(j->headers, j->n_headers);
	free(j->cookie_file);
	free(j->etag);
	free(j->last_modified);
	free_strv(j->capture, j->n_capture);
	if (j->easy)
		curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->slist);
	if (!j->out)
		http_response_finish(&j->resp);
	free(j);
}

/* Hands the response to its owner and frees the job. */
static void
job_complete(struct http_client *c, struct job *j, enum http_outcome outcome)
{
	struct http_response *r = &j->resp;

	r->outcome = outcome;
	if (outcome == HTTP_DONE || outcome == HTTP_NOT_MODIFIED)
		r->error[0] = '\0';
	one_line(r->error);
	c->pending--;
	if (j->out) {
		*j->out = *r;
		http_response_init(r);
		if (j->finished)
			*j->finished = true;
	} else if (j->done) {
		j->done(r, j->user);
	}
	j->out = NULL;
	job_free(j);
}

static void
host_push_front(struct host *h, struct job *j)
{
	j->next = h->head;
	h->head = j;
	if (!h->tail)
		h->tail = j;
}

static struct job *
host_pop(struct host *h)
{
	struct job *j = h->head;

	if (j) {
		h->head = j->next;
		if (!h->head)
			h->tail = NULL;
		j->next = NULL;
	}
	return j;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct job *j = userp;
	size_t n = size * nmemb;
	size_t cap = j->client->opt.max_body;

	if (cap && j->resp.body.len + n > cap) {
		j->too_large = true;
		return 0; /* CURLE_WRITE_ERROR: abort before storing the excess */
	}
	buf_append(&j->resp.body, data, n);
	j->client->stats.bytes += n;
	return n;
}

static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *v, *end = line + len;

	if (len <= nl || line[nl] != ':' || strncasecmp(line, name, nl) != 0)
		return NULL;
	v = line + nl + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

static void
replace(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

static size_t
header_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct job *j = userp;
	struct http_response *r = &j->resp;
	size_t n = size * nmemb;
	char *v;

	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or 100 Continue): forget the
		 * headers of the previous one. */
		response_clear_headers(r);
		return n;
	}
	if ((v = header_value(data, n, "ETag")))
		replace(&r->etag, v);
	else if ((v = header_value(data, n, "Last-Modified")))
		replace(&r->last_modified, v);
	for (size_t i = 0; i < j->n_capture; i++)
		if ((v = header_value(data, n, j->capture[i])))
			replace(&r->captured_values[i], v);
	return n;
}

/* Headers whose values are credentials: never logged, even with -vv. */
static bool
is_secret_header(const char *h)
{
	static const char *const names[] = {"Cookie", "Authorization", "Proxy-Authorization",
		"token", "sign", NULL};

	for (size_t i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);

		if (strncasecmp(h, names[i], n) == 0 && h[n] == ':')
			return true;
	}
	return false;
}

/* The share handle of cookie_file's jar, made on first use; NULL when
 * libcurl cannot make one (then the request keeps its cookies to itself). */
static CURLSH *
jar_share(struct http_client *c, const char *cookie_file)
{
	for (struct jar *k = c->jars; k; k = k->next)
		if (!strcmp(k->cookie_file, cookie_file))
			return k->share;
	struct jar *k = xcalloc(1, sizeof(*k));
	k->cookie_file = xstrdup(cookie_file);
	k->share = curl_share_init();
	if (k->share) {
		curl_share_setopt(k->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
		curl_share_setopt(k->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	}
	k->next = c->jars;
	c->jars = k;
	return k->share;
}

/* Prepares j's easy handle for its next attempt; returns 0 or -1. */
static int
job_prepare(struct http_client *c, struct job *j)
{
	CURL *e;
	const struct http_options *o = &c->opt;

	if (j->easy) {
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
	}
	curl_slist_free_all(j->slist);
	j->slist = NULL;
	buf_reset(&j->resp.body);
	response_clear_headers(&j->resp);
	j->resp.status = 0;
	j->too_large = false;
	j->errbuf[0] = '\0';

	e = curl_easy_init();
	if (!e)
		return -1;
	j->easy = e;
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (o->max_body)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	if (o->timeout_s > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout_s);
	if (o->connect_timeout_s > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	if (o->low_speed_bps > 0 && o->low_speed_time_s > 0) {
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bps);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	}
	if (c->user_agent)
		curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	/* The cookie engine, only for a request that carries cookies: its file
	 * is read, never written (no COOKIEJAR), into the jar of that file. */
	CURLSH *share = c->share;
	if (j->cookie_file) {
		curl_easy_setopt(e, CURLOPT_COOKIEFILE, j->cookie_file);
		share = jar_share(c, j->cookie_file);
	}
	if (share)
		curl_easy_setopt(e, CURLOPT_SHARE, share);

	if (j->has_body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	}
	if (j->method) {
		if (strcmp(j->method, "HEAD") == 0)
			curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		else if (!(strcmp(j->method, "GET") == 0 && !j->has_body) &&
		    !(strcmp(j->method, "POST") == 0 && j->has_body))
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->method);
	}
	for (size_t i = 0; i < j->n_headers; i++)
		j->slist = curl_slist_append(j->slist, j->headers[i]);
	if (j->etag) {
		char *h = xasprintf("If-None-Match: %s", j->etag);
		j->slist = curl_slist_append(j->slist, h);
		free(h);
	}
	if (j->last_modified) {
		char *h = xasprintf("If-Modified-Since: %s", j->last_modified);
		j->slist = curl_slist_append(j->slist, h);
		free(h);
	}
	if (j->slist)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->slist);
	return 0;
}

static void
job_start(struct http_client *c, struct host *h, struct job *j)
{
	j->resp.attempts++;
	c->stats.requests++;
	if (j->resp.attempts > 1)
		c->stats.retries++;
	if (job_prepare(c, j) < 0 || curl_multi_add_handle(c->multi, j->easy) != CURLM_OK) {
		snprintf(j->resp.error, sizeof(j->resp.error), "cannot start a transfer");
		h->last_end_ms = now_ms();
		job_complete(c, j, HTTP_NETWORK);
		return;
	}
	h->current = j;
	if (msg_level() >= MSG_DEBUG) {
		msg_debug("start %s %s (attempt %d, %zu header(s)%s)",
			j->method ? j->method : (j->has_body ? "POST" : "GET"), j->url,
			j->resp.attempts, j->n_headers, j->cookie_file ? ", cookies: [redacted]" : "");
		for (size_t i = 0; i < j->n_headers; i++) {
			if (is_secret_header(j->headers[i]))
				msg_debug("  %.*s: [redacted]",
					(int)strcspn(j->headers[i], ":"), j->headers[i]);
			else
				msg_debug("  %s", j->headers[i]);
		}
	}
}

static bool
curl_code_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static enum http_outcome
curl_code_outcome(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_TIMEOUT;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_URL_MALFORMAT:
		return HTTP_REFUSED_URL;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_TOO_LARGE;
	default:
		return HTTP_NETWORK;
	}
}

/* The wait before retry number `retry` (1-based): full jitter over an
 * exponentially growing ceiling, at least min_ms, capped by retry_max_ms. */
static long
backoff_ms(struct http_client *c, int retry, long min_ms)
{
	long base = c->opt.retry_base_ms > 0 ? c->opt.retry_base_ms : 0;
	long cap = c->opt.retry_max_ms > 0 ? c->opt.retry_max_ms : base;
	long ceiling = base;
	long wait;

	for (int i = 1; i < retry && ceiling < cap; i++)
		ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
	if (ceiling > cap)
		ceiling = cap;
	wait = ceiling > 0 ? (long)(rng_next(&c->rng) % (uint64_t)(ceiling + 1)) : 0;
	if (wait < min_ms)
		wait = min_ms;
	return wait;
}

static void
log_result(const struct job *j, const char *what)
{
	msg_verbose("%s %s -> %s%s%ld, %zu bytes, %.2f s (attempt %d)",
		j->method ? j->method : (j->has_body ? "POST" : "GET"), j->url,
		what ? what : "", what ? ", HTTP " : "HTTP ", j->resp.status,
		j->resp.body.len, j->resp.total_s, j->resp.attempts);
}

/* A transfer of host h finished with rc. */
static void
job_finished(struct http_client *c, struct host *h, struct job *j, CURLcode rc)
{
	struct http_response *r = &j->resp;
	char *s = NULL;
	long status = 0;
	curl_off_t retry_after = 0;
	bool retry = false;
	long min_wait = 0;
	enum http_outcome attempt_outcome;

	curl_multi_remove_handle(c->multi, j->easy);
	h->current = NULL;
	h->last_end_ms = now_ms();

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	curl_easy_getinfo(j->easy, CURLINFO_TOTAL_TIME, &r->total_s);
	if (curl_easy_getinfo(j->easy, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s)
		replace(&r->effective_url, xstrdup(s));
	s = NULL;
	if (curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s)
		replace(&r->content_type, xstrdup(s));
#if LIBCURL_VERSION_NUM >= 0x074200
	curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &retry_after);
#endif
	trim_right(j->errbuf);

	if (rc != CURLE_OK) {
		if (j->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(r->error, sizeof(r->error),
				"response body over the %zu-byte cap (after decompression)",
				c->opt.max_body);
			attempt_outcome = HTTP_TOO_LARGE;
		} else {
			attempt_outcome = curl_code_outcome(rc);
			snprintf(r->error, sizeof(r->error), "%s",
				j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
			retry = curl_code_retryable(rc);
		}
	} else if (status == 304) {
		attempt_outcome = HTTP_NOT_MODIFIED;
	} else if (status == 456 || status == 403) {
		attempt_outcome = HTTP_BLOCKED;
		snprintf(r->error, sizeof(r->error),
			"HTTP %ld from %s: blocked, not asked again in this run", status, h->key);
	} else if (status == 429 || (status >= 500 && status <= 599)) {
		attempt_outcome = HTTP_DONE;
		snprintf(r->error, sizeof(r->error), "HTTP %ld", status);
		retry = true;
		if (retry_after > 0 && (status == 429 || status == 503))
			min_wait = retry_after > LONG_MAX / 1000 ? LONG_MAX : (long)retry_after * 1000;
	} else {
		attempt_outcome = HTTP_DONE;
	}
	r->last_attempt = attempt_outcome;

	if (attempt_outcome == HTTP_BLOCKED) {
		log_result(j, "blocked");
		if (!h->blocked)
			c->stats.blocked_hosts++;
		h->blocked = true;
		h->blocked_status = status;
		job_complete(c, j, HTTP_BLOCKED);
		return;
	}
	if (!retry) {
		log_result(j, attempt_outcome == HTTP_DONE ? NULL : http_outcome_name(attempt_outcome));
		job_complete(c, j, attempt_outcome);
		return;
	}
	if (r->attempts > c->opt.max_retries) {
		/* Out of retries.  A transport failure with no retries allowed
		 * keeps its own kind; otherwise the request gave up. */
		if (r->attempts == 1 && attempt_outcome != HTTP_DONE) {
			log_result(j, http_outcome_name(attempt_outcome));
			job_complete(c, j, attempt_outcome);
		} else {
			char last[CURL_ERROR_SIZE];

			snprintf(last, sizeof(last), "%s", r->error);
			snprintf(r->error, sizeof(r->error), "gave up after %d attempt(s): %.200s",
				r->attempts, last);
			log_result(j, "gave up");
			job_complete(c, j, HTTP_GAVE_UP);
		}
		return;
	}
	if (min_wait > c->opt.retry_max_ms) {
		snprintf(r->error, sizeof(r->error),
			"HTTP %ld with Retry-After %ld s, over the %ld ms retry cap: gave up",
			status, (long)retry_after, c->opt.retry_max_ms);
		log_result(j, "gave up");
		job_complete(c, j, HTTP_GAVE_UP);
		return;
	}
	{
		long wait = backoff_ms(c, r->attempts, min_wait);

		log_result(j, "retrying");
		msg_verbose("retrying %s in %ld ms (%s)", j->url, wait, r->error);
		j->not_before_ms = now_ms() + wait;
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
		host_push_front(h, j);
	}
}

static void
host_fail_blocked(struct http_client *c, struct host *h)
{
	struct job *j;

	while ((j = host_pop(h))) {
		snprintf(j->resp.error, sizeof(j->resp.error),
			"%s answered HTTP %ld earlier: not asked again in this run",
			h->key, h->blocked_status);
		msg_verbose("%s %s -> host blocked, not sent",
			j->method ? j->method : (j->has_body ? "POST" : "GET"), j->url);
		job_complete(c, j, HTTP_HOST_BLOCKED);
	}
}

/* Starts what may start; returns the ms until the next host becomes ready
 * (or -1 when nothing waits). */
static long
schedule(struct http_client *c)
{
	long soonest = -1;
	int64_t now = now_ms();

	/* No request starts once a stop was asked for, also between two turns
	 * of the loop (a callback that submits the next page): the loop's
	 * next turn fails what waits. */
	if (!c->stop && c->opt.stop_requested && c->opt.stop_requested())
		c->stop = 1;
	if (c->stop)
		return 0;
	for (struct host *h = c->hosts; h; h = h->next) {
		if (h->blocked) {
			host_fail_blocked(c, h);
			continue;
		}
		if (h->current || !h->head)
			continue;
		{
			struct job *j = h->head;
			int64_t ready = j->not_before_ms;

			if (h->last_end_ms && h->last_end_ms + j->min_interval_ms > ready)
				ready = h->last_end_ms + j->min_interval_ms;
			if (ready <= now) {
				host_pop(h);
				job_start(c, h, j);
			} else if (soonest < 0 || ready - now < soonest) {
				soonest = (long)(ready - now);
			}
		}
	}
	return soonest;
}

/* Ends every pending job with outcome o (HTTP_INTERRUPTED, or
 * HTTP_NETWORK with why when libcurl itself failed). */
static void
fail_all(struct http_client *c, enum http_outcome o, const char *why)
{
	for (struct host *h = c->hosts; h; h = h->next) {
		struct job *j = h->current;

		if (j) {
			h->current = NULL;
			curl_multi_remove_handle(c->multi, j->easy);
			snprintf(j->resp.error, sizeof(j->resp.error), "%s", why);
			job_complete(c, j, o);
		}
		while ((j = host_pop(h))) {
			snprintf(j->resp.error, sizeof(j->resp.error), "%s", why);
			job_complete(c, j, o);
		}
	}
}

static void
drain_messages(struct http_client *c)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		char *priv = NULL;
		struct job *j;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		j = (struct job *)priv;
		if (j)
			job_finished(c, j->host, j, m->data.result);
	}
}

/* One turn of the loop; *done is set when the loop should end. */
static int
loop_once(struct http_client *c, char *err)
{
	long wait, curl_wait = -1;
	int running = 0;
	CURLMcode mc;

	if (!c->stop && c->opt.stop_requested && c->opt.stop_requested())
		c->stop = 1;
	if (c->stop) {
		fail_all(c, HTTP_INTERRUPTED, "interrupted");
		return set_err(err, "interrupted");
	}
	schedule(c);
	mc = curl_multi_perform(c->multi, &running);
	if (mc != CURLM_OK)
		goto fail;
	drain_messages(c);
	if (c->pending == 0)
		return 0;
	/* New work may be ready right now (a retry, a callback's submit). */
	wait = schedule(c);
	curl_multi_timeout(c->multi, &curl_wait);
	if (curl_wait >= 0 && (wait < 0 || curl_wait < wait))
		wait = curl_wait;
	if (wait < 0 || wait > POLL_SLICE_MS)
		wait = POLL_SLICE_MS;
	if (c->opt.tick)
		c->opt.tick(c->opt.tick_user);
	if (running > 0 || wait > 0) {
		mc = curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL);
		if (mc != CURLM_OK)
			goto fail;
	}
	return 0;
fail:
	set_err(err, "libcurl: %s", curl_multi_strerror(mc));
	fail_all(c, HTTP_NETWORK, err ? err : "libcurl failed");
	return -1;
}

/* Runs until nothing is pending; returns 0 or -1 with err. */
int
http_client_run(struct http_client *c, char *err)
{
	while (c->pending > 0)
		if (loop_once(c, err) < 0)
			return -1;
	return 0;
}

/* Creates a client; NULL with err filled on failure. */
struct http_client *
http_client_create(const struct http_options *opt, char *err)
{
	struct http_client *c;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		set_err(err, "libcurl initialisation failed");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->opt = *opt;
	c->user_agent = xstrdup_or_null(opt->user_agent);
	c->opt.user_agent = c->user_agent;
	if (c->opt.max_retries < 0)
		c->opt.max_retries = 0;
	if (c->opt.retry_max_ms < c->opt.retry_base_ms)
		c->opt.retry_max_ms = c->opt.retry_base_ms;
	c->multi = curl_multi_init();
	if (!c->multi) {
		set_err(err, "libcurl: cannot create a multi handle");
		free(c->user_agent);
		free(c);
		curl_global_cleanup();
		return NULL;
	}
	c->share = curl_share_init();
	if (c->share)
		curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	if (getrandom(&c->rng, sizeof(c->rng), 0) != (ssize_t)sizeof(c->rng))
		c->rng = (uint64_t)now_ms() ^ (uint64_t)(uintptr_t)c;
	return c;
}

/* Interrupts pending requests and frees c; accepts NULL. */
void
http_client_destroy(struct http_client *c)
{
	if (!c)
		return;
	c->stop = 1;
	fail_all(c, HTTP_INTERRUPTED, "interrupted");
	for (struct host *h = c->hosts, *next; h; h = next) {
		next = h->next;
		free(h->key);
		free(h);
	}
	curl_multi_cleanup(c->multi);
	if (c->share)
		curl_share_cleanup(c->share);
	for (struct jar *k = c->jars, *next; k; k = next) {
		next = k->next;
		if (k->share)
			curl_share_cleanup(k->share);
		free(k->cookie_file);
		free(k);
	}
	free(c->user_agent);
	free(c);
	curl_global_cleanup();
}

static struct job *
job_new(struct http_client *c, const struct http_request *req, char *err)
{
	char *key = NULL;
	struct job *j;

	if (!req->url)
		return set_err(err, "no URL"), NULL;
	if (c->stop)
		return set_err(err, "interrupted"), NULL;
	if (host_key(req->url, &key, err) < 0)
		return NULL;
	j = xcalloc(1, sizeof(*j));
	j->client = c;
	j->host = host_get(c, key);
	free(key);
	j->url = xstrdup(req->url);
	j->method = xstrdup_or_null(req->method);
	if (req->body) {
		j->has_body = true;
		j->body = xmalloc(req->body_len + 1);
		memcpy(j->body, req->body, req->body_len);
		j->body[req->body_len] = '\0';
		j->body_len = req->body_len;
	}
	j->headers = copy_strv(req->headers, &j->n_headers);
	j->cookie_file = xstrdup_or_null(req->cookie_file);
	j->etag = xstrdup_or_null(req->etag);
	j->last_modified = xstrdup_or_null(req->last_modified);
	j->min_interval_ms = req->min_interval_ms > 0 ? req->min_interval_ms : 0;
	j->capture = copy_strv(req->capture_headers, &j->n_capture);
	http_response_init(&j->resp);
	j->resp.n_captured = j->n_capture;
	if (j->n_capture) {
		j->resp.captured_names = copy_strv(req->capture_headers, &j->resp.n_captured);
		j->resp.captured_values = xcalloc(j->n_capture, sizeof(char *));
	}
	return j;
}

static void
job_enqueue(struct http_client *c, struct job *j)
{
	struct host *h = j->host;

	if (h->tail)
		h->tail->next = j;
	else
		h->head = j;
	h->tail = j;
	c->pending++;
}

/* Queues req; returns 0 or -1 with err (done then never called). */
int
http_client_submit(struct http_client *c, const struct http_request *req,
	http_done_fn done, void *user, char *err)
{
	struct job *j = job_new(c, req, err);

	if (!j)
		return -1;
	j->done = done;
	j->user = user;
	job_enqueue(c, j);
	return 0;
}

/* Submits req and runs until it is done; see http.h. */
int
http_fetch(struct http_client *c, const struct http_request *req,
	struct http_response *out, char *err)
{
	char why[ERRBUF_SIZE];
	bool finished = false;
	struct job *j;

	http_response_init(out);
	j = job_new(c, req, why);
	if (!j) {
		out->outcome = c->stop ? HTTP_INTERRUPTED : HTTP_REFUSED_URL;
		snprintf(out->error, sizeof(out->error), "%s", why);
		return set_err(err, "%s", why);
	}
	j->out = out;
	j->finished = &finished;
	job_enqueue(c, j);
	/* loop_once ends every pending job when it fails, so this ends. */
	while (!finished)
		loop_once(c, why);
	if (out->outcome == HTTP_DONE || out->outcome == HTTP_NOT_MODIFIED)
		return 0;
	return set_err(err, "%s", out->error);
}

/* Sets the stop flag (async-signal-safe). */
void
http_client_stop(struct http_client *c)
{
	c->stop = 1;
}

/* Copies the counters. */
void
http_client_stats(const struct http_client *c, struct http_stats *out)
{
	*out = c->stats;
}
