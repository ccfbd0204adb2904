/* The HTTP engine: every byte kmrep fetches goes through here.  It drives
 * libcurl's multi interface so that different hosts are fetched in parallel
 * while each host sees at most one request at a time, no sooner than its
 * minimum interval after the previous one finished (SPEC §5 "Politeness").
 * Failures that may pass (timeouts, connection errors, HTTP 5xx and 429) are
 * retried with exponential backoff and full jitter, honouring Retry-After.
 * A host that answers 456 or 403 is blocked for the rest of the run: later
 * requests to it fail at once without touching the network.
 *
 * Safety (SPEC §5): TLS always verified; only http and https, also across
 * redirects (at most 5); the body is capped, also after decompression; a
 * whole-transfer and a low-speed timeout; cookies are read from a Netscape
 * cookie file, never written back, never printed or logged.
 *
 * The engine knows nothing of parsing or SQL: it hands the caller bytes. */
#ifndef KMREP_HTTP_H
#define KMREP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "buf.h"

struct config;

struct http_options {
	const char *user_agent; /* copied; NULL: libcurl sends none */
	long timeout_s;         /* whole transfer, retries not included; 0: none */
	long connect_timeout_s; /* 0: libcurl's default */
	size_t max_body;        /* bytes, counted after decompression; 0: no cap */
	long low_speed_bps;     /* slower than this ... */
	long low_speed_time_s;  /* ... for this long aborts (0: off) */
	long max_retries;       /* extra attempts after the first */
	long retry_base_ms;     /* first backoff ceiling; doubles per retry */
	long retry_max_ms;      /* cap of one wait, Retry-After included */
	bool (*stop_requested)(void); /* NULL, or polled every turn of the loop (at
				       * least every 100 ms): once true, as after
				       * http_client_stop, no request starts and the
				       * ones in flight end HTTP_INTERRUPTED */
	/* NULL, or called with tick_user at the end of every turn of the loop:
	 * after the turn's requests started and its answers were handed over,
	 * and at least every 100 ms while a request waits for its host's
	 * interval or its answer (a progress display's redraw).  It must not
	 * call the client. */
	void (*tick)(void *user);
	void *tick_user;
};

/* Fills o from the [general] section of cfg; o->user_agent points into cfg. */
void http_options_from_config(struct http_options *o, const struct config *cfg);

enum http_outcome {
	HTTP_DONE,          /* a final response arrived; check status */
	HTTP_NOT_MODIFIED,  /* 304 to a conditional GET */
	HTTP_BLOCKED,       /* 456 or 403: the host is blocked for this run */
	HTTP_HOST_BLOCKED,  /* not sent: the host was blocked earlier */
	HTTP_TOO_LARGE,     /* body over max_body (also after decompression) */
	HTTP_TIMEOUT,       /* whole-transfer, connect or low-speed timeout (not retried:
	                     * max_retries 0) */
	HTTP_NETWORK,       /* refused, reset, truncated, TLS, DNS ... (likewise) */
	HTTP_REFUSED_URL,   /* not http(s), also by redirect; too many redirects */
	HTTP_GAVE_UP,       /* a 5xx/429 still there after max_retries retries (also
	                     * with max_retries 0), a timeout or network error
	                     * that persisted through at least one retry, or a
	                     * Retry-After over retry_max_ms; status is the last
	                     * HTTP status, last_attempt how the last try failed */
	HTTP_INTERRUPTED,   /* http_client_stop was called */
};

/* "done", "not_modified", ... for messages and logs (static string). */
const char *http_outcome_name(enum http_outcome o);

struct http_request {
	const char *url;
	const char *method;            /* NULL: GET, or POST when body is set */
	const char *body;              /* request body, body_len bytes */
	size_t body_len;
	const char *const *headers;    /* "Name: value", NULL-terminated; may be NULL */
	const char *cookie_file;       /* Netscape cookie file; sent, never logged */
	const char *etag;              /* conditional GET: If-None-Match */
	const char *last_modified;     /* conditional GET: If-Modified-Since */
	long min_interval_ms;          /* politeness for this request's host */
	const char *const *capture_headers; /* response header names to return; NULL-terminated */
};

struct http_response {
	long status;             /* last HTTP status; 0 when none arrived */
	struct buf body;         /* decoded body of the final response */
	char *content_type;      /* NULL when absent */
	char *etag;
	char *last_modified;
	char *effective_url;     /* after redirects */
	size_t n_captured;       /* = number of request capture_headers */
	char **captured_names;   /* the names asked for, in order */
	char **captured_values;  /* their values in the final response, or NULL */
	enum http_outcome outcome;
	enum http_outcome last_attempt; /* for HTTP_GAVE_UP: how the last try failed
	                                 * (HTTP_DONE: a 5xx/429 status) */
	char error[CURL_ERROR_SIZE]; /* one line; "" when outcome is DONE/NOT_MODIFIED */
	int attempts;            /* network attempts made (0 for HOST_BLOCKED) */
	double total_s;          /* time of the last attempt */
};

/* An empty response (no allocation). */
void http_response_init(struct http_response *r);
/* Frees what the response owns; r may be used again after http_response_init. */
void http_response_finish(struct http_response *r);
/* The captured value of header name (case-insensitive), or NULL; owned by r. */
const char *http_response_header(const struct http_response *r, const char *name);

struct http_stats {
	unsigned long requests;      /* network attempts started */
	unsigned long retries;       /* of which retries */
	unsigned long long bytes;    /* decoded body bytes received */
	unsigned long blocked_hosts; /* hosts that answered 456/403 */
};

struct http_client;

/* The response handed to a callback is owned by the engine and freed when the
 * callback returns: copy what you keep.  Callbacks may submit requests. */
typedef void (*http_done_fn)(const struct http_response *resp, void *user);

/* A client with its own libcurl multi handle.  Returns NULL and fills err
 * on failure.  Free with http_client_destroy. */
struct http_client *http_client_create(const struct http_options *opt, char *err);
/* Interrupts whatever is queued (callbacks see HTTP_INTERRUPTED) and frees the
 * client.  Accepts NULL. */
void http_client_destroy(struct http_client *c);

/* Queues a request; done(resp, user) is called from http_client_run (never
 * from here), also for a host blocked earlier (HTTP_HOST_BLOCKED, no
 * network).  Politeness is keyed on the URL's scheme://host:port; a redirect
 * to another host is followed within the same transfer.  Everything in req is copied.  Returns 0, or -1 with err filled
 * and done never called when the URL is malformed or not http(s), or after
 * http_client_stop. */
int http_client_submit(struct http_client *c, const struct http_request *req,
	http_done_fn done, void *user, char *err);

/* Runs until nothing is queued or in flight.  Returns 0, or -1 with err
 * filled when interrupted or libcurl's multi interface failed. */
int http_client_run(struct http_client *c, char *err);

/* Blocking convenience: submits req and runs the client until that request
 * is done (other queued requests progress meanwhile).  out is initialised
 * here and must be released with http_response_finish whatever the result.
 * Returns 0 when a final response arrived (outcome DONE or NOT_MODIFIED:
 * check out->status), else -1 with out->error copied into err.  Not to be
 * called from inside a callback. */
int http_fetch(struct http_client *c, const struct http_request *req,
	struct http_response *out, char *err);

/* For SIGINT/SIGTERM: async-signal-safe (sets a flag).  The running loop then
 * ends in-flight and queued requests with HTTP_INTERRUPTED and starts
 * nothing new; later submits fail. */
void http_client_stop(struct http_client *c);

/* Counters since creation (copied into *out). */
void http_client_stats(const struct http_client *c, struct http_stats *out);

#endif
