/* The HTTP engine against the loopback sample server (tests/server): every
 * outcome, retry, politeness and safety rule of fetch/http.h.  Each case
 * starts its own server on port 0 (so cases may run in parallel) and stops it
 * at exit.  Without python3 or the server the cases are skipped. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "harness.h"
#include "heimao.h"
#include "http.h"
#include "icp.h"
#include "msg.h"
#include "xalloc.h"

static pid_t server_pid;
static char server_dir[64];
static int server_port;
static char base[64];      /* http://127.0.0.1:PORT */
static char base_alt[64];  /* http://localhost:PORT: the same server, another host */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
rm_rf_dir(const char *dir)
{
	char path[256];
	const char *names[] = {"port", "cookies.txt", "stderr.txt", "server.log", NULL};

	for (size_t i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static json_t *ctl(const char *path, const char *json_body);

static void
server_stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = 0;
	}
	if (server_dir[0])
		rm_rf_dir(server_dir);
}

/* Starts the sample server (once per process) and fills base/base_alt. */
static void
server_start(void)
{
	const char *python = getenv("PYTHON");
	char *script, *world, portfile[128];
	struct stat st;

	if (server_pid > 0) {
		/* running every case in one process: start each from a clean log */
		json_decref(ctl("/_control/reset", "{}"));
		return;
	}
	if (!python || !*python)
		python = "python3";
	script = harness_path("tests/server/sample_server.py");
	world = harness_path("tests/server/worlds/test.json");
	if (stat(script, &st) != 0 || stat(world, &st) != 0) {
		free(script);
		free(world);
		SKIP("the sample server is not there");
	}
	snprintf(server_dir, sizeof(server_dir), "/tmp/kmrep-fetch-XXXXXX");
	if (!mkdtemp(server_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(portfile, sizeof(portfile), "%s/port", server_dir);
	atexit(server_stop);
	server_pid = fork();
	if (server_pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0) {
			dup2(devnull, 1);
			if (!getenv("KMREP_TEST_SERVER_STDERR"))
				dup2(devnull, 2);
		}
		execlp(python, python, script, "--world", world, "--port", "0",
			"--port-file", portfile, (char *)NULL);
		_exit(127);
	}
	free(script);
	free(world);
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(portfile, "r");
		int status;

		if (f) {
			if (fscanf(f, "%d", &server_port) == 1 && server_port > 0) {
				fclose(f);
				snprintf(base, sizeof(base), "http://127.0.0.1:%d", server_port);
				snprintf(base_alt, sizeof(base_alt), "http://localhost:%d", server_port);
				return;
			}
			fclose(f);
		}
		if (waitpid(server_pid, &status, WNOHANG) == server_pid) {
			server_pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
				SKIP("python3 is not available");
			fprintf(stderr, "the sample server exited early\n");
			exit(1);
		}
		usleep(50 * 1000);
	}
	fprintf(stderr, "the sample server did not write its port in 10 s\n");
	exit(1);
}

static size_t
ctl_write(char *data, size_t size, size_t nmemb, void *userp)
{
	buf_append(userp, data, size * nmemb);
	return size * nmemb;
}

/* A control request with plain libcurl (independent of the engine under
 * test); returns the body as parsed JSON (caller decrefs) or NULL. */
static json_t *
ctl(const char *path, const char *json_body)
{
	CURL *e = curl_easy_init();
	struct curl_slist *h = NULL;
	struct buf b;
	char url[256];
	json_t *j;
	CURLcode rc;

	buf_init(&b);
	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, ctl_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 10L);
	if (json_body) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, json_body);
	}
	rc = curl_easy_perform(e);
	curl_easy_cleanup(e);
	curl_slist_free_all(h);
	CHECK_INT(rc, CURLE_OK);
	j = json_loads(buf_cstr(&b), 0, NULL);
	buf_finish(&b);
	return j;
}

static void
ctl_fault(const char *json_rule)
{
	json_t *r = ctl("/_control/fault", json_rule);

	CHECK(r && json_is_true(json_object_get(r, "ok")));
	json_decref(r);
}

/* The server's log entries whose path starts with prefix (caller decrefs). */
static json_t *
log_entries(const char *prefix)
{
	json_t *all = ctl("/_control/log", NULL), *out = json_array(), *e;
	size_t i;

	json_array_foreach(all, i, e) {
		const char *p = json_string_value(json_object_get(e, "path"));

		if (p && strncmp(p, prefix, strlen(prefix)) == 0)
			json_array_append(out, e);
	}
	json_decref(all);
	return out;
}

/* The server appends to its log after answering, so a test that just got
 * its response waits for the entries: until want are there (at most 3 s),
 * then 200 ms more to catch any extra.  Caller decrefs. */
static json_t *
log_wait(const char *prefix, size_t want)
{
	json_t *log = NULL;

	for (int i = 0; i < 60; i++) {
		json_decref(log);
		log = log_entries(prefix);
		if (json_array_size(log) >= want)
			break;
		usleep(50 * 1000);
	}
	usleep(200 * 1000);
	json_decref(log);
	return log_entries(prefix);
}

static struct http_options
fast_options(void)
{
	struct http_options o = {
		.user_agent = "kmrep-test/1.0 (Mozilla/5.0 compatible)",
		.timeout_s = 10,
		.connect_timeout_s = 5,
		.max_body = 1024 * 1024,
		.low_speed_bps = 0,
		.low_speed_time_s = 0,
		.max_retries = 0,
		.retry_base_ms = 20,
		.retry_max_ms = 3000,
	};
	return o;
}

static struct http_client *
client(const struct http_options *o)
{
	char err[ERRBUF_SIZE];
	struct http_client *c = http_client_create(o, err);

	if (!c) {
		fprintf(stderr, "http_client_create: %s\n", err);
		exit(1);
	}
	return c;
}

/* Fetches base+path with options o; the response must be finished. */
static int
get(const struct http_options *o, const char *path, struct http_response *r)
{
	struct http_client *c = client(o);
	char url[512], err[ERRBUF_SIZE];
	struct http_request req = {.url = url};
	int rc;

	snprintf(url, sizeof(url), "%s%s", base, path);
	rc = http_fetch(c, &req, r, err);
	http_client_destroy(c);
	return rc;
}

static void
test_ok_json(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	struct http_request req = {0};
	struct http_stats st;
	char err[ERRBUF_SIZE];
	char *url;
	json_t *j;

	server_start();
	c = client(&o);
	url = heimao_url_company_search(base, "测试卡盟");
	req.url = url;
	req.headers = heimao_headers;
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.attempts, 1);
	CHECK(r.content_type && strstr(r.content_type, "application/json"));
	CHECK_STR(r.effective_url, url);
	CHECK_STR(r.error, "");
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	CHECK(j != NULL);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_object_get(j, "result"),
		"status"), "code")), 0);
	json_decref(j);
	http_client_stats(c, &st);
	CHECK_INT(st.requests, 1);
	CHECK_INT(st.retries, 0);
	CHECK_INT(st.bytes, r.body.len);
	http_response_finish(&r);
	http_client_destroy(c);
	free(url);
}

/* The signed endpoints accept our signature (the server checks it). */
static void
test_heimao_signed(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	struct http_request req = {.headers = heimao_headers};
	char err[ERRBUF_SIZE], ts[21], rs[17], cookies[128];
	char *url;
	FILE *f;
	json_t *j;

	server_start();
	c = client(&o);
	heimao_now_ts(ts);
	heimao_random_rs(rs);
	url = heimao_url_feed(base, 1, ts, rs);
	req.url = url;
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_object_get(j, "result"),
		"status"), "code")), 0);
	json_decref(j);
	http_response_finish(&r);
	free(url);

	/* received_complaints and search need the login cookie */
	snprintf(cookies, sizeof(cookies), "%s/cookies.txt", server_dir);
	f = fopen(cookies, "w");
	fprintf(f, "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tSUB\t_2AkMtestcookie\n");
	fclose(f);
	req.cookie_file = cookies;
	url = heimao_url_received_complaints(base, "6384912431", 1, ts, rs);
	req.url = url;
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_object_get(j, "result"),
		"status"), "code")), 0);
	json_decref(j);
	http_response_finish(&r);
	free(url);

	url = heimao_url_search(base, "测试 卡盟", 1, ts, rs);
	req.url = url;
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_object_get(j, "result"),
		"status"), "code")), 0);
	json_decref(j);
	http_response_finish(&r);
	free(url);
	http_client_destroy(c);
}

/* MIIT auth: the form body and headers the server expects; the rci capture. */
static void
test_icp_auth(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	char err[ERRBUF_SIZE], *body, *url, base_icp[128];
	const char *extra[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
	char **headers = icp_headers(extra);
	json_t *j;

	server_start();
	snprintf(base_icp, sizeof(base_icp), "%s/icpproject_query/api", base);
	c = client(&o);
	CHECK_INT(icp_auth_body(1700000000000LL, &body), 0);
	url = icp_url_auth(base_icp);
	{
		const char *capture[] = {"rci", "Content-Type", NULL};
		struct http_request req = {.url = url, .method = "POST", .body = body,
			.body_len = strlen(body), .headers = (const char *const *)headers,
			.capture_headers = capture};

		CHECK_INT(http_fetch(c, &req, &r, err), 0);
	}
	CHECK_INT(r.status, 200);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	CHECK_INT(json_integer_value(json_object_get(j, "code")), 200);
	CHECK(json_string_value(json_object_get(json_object_get(j, "params"), "bussiness")) != NULL);
	json_decref(j);
	CHECK(http_response_header(&r, "content-type") != NULL);
	CHECK(http_response_header(&r, "rci") == NULL);
	CHECK_INT(r.n_captured, 2);
	http_response_finish(&r);
	free(url);
	free(body);
	icp_headers_free(headers);
	http_client_destroy(c);
}

static void
check_blocked(const char *fault_path)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	struct http_stats st;
	char err[ERRBUF_SIZE], url[256];
	struct http_request req = {.url = url};
	json_t *log;

	server_start();
	o.max_retries = 3;
	c = client(&o);
	snprintf(url, sizeof(url), "%s%s", base, fault_path);
	CHECK_INT(http_fetch(c, &req, &r, err), -1);
	CHECK_INT(r.outcome, HTTP_BLOCKED);
	CHECK_INT(r.attempts, 1);
	CHECK(strstr(err, "blocked") != NULL);
	http_response_finish(&r);

	snprintf(url, sizeof(url), "%s/_fault/echo?after=block", base);
	CHECK_INT(http_fetch(c, &req, &r, err), -1);
	CHECK_INT(r.outcome, HTTP_HOST_BLOCKED);
	CHECK_INT(r.attempts, 0);
	CHECK_INT(r.status, 0);
	http_response_finish(&r);

	/* another host (the same server by another name) is not blocked */
	snprintf(url, sizeof(url), "%s/_fault/echo?other=host", base_alt);
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	http_response_finish(&r);

	http_client_stats(c, &st);
	CHECK_INT(st.blocked_hosts, 1);
	CHECK_INT(st.requests, 2);
	log = log_wait("/_fault/", 2);
	CHECK_INT(json_array_size(log), 2); /* the block and the other host only */
	json_decref(log);
	http_client_destroy(c);
}

static void
test_blocked_456(void)
{
	check_blocked("/_fault/status?code=456");
}

static void
test_blocked_403(void)
{
	check_blocked("/_fault/waf403");
}

struct outcomes {
	int n;
	enum http_outcome o[8];
	int attempts[8];
};

static void
record_outcome(const struct http_response *r, void *user)
{
	struct outcomes *x = user;

	if (x->n < 8) {
		x->o[x->n] = r->outcome;
		x->attempts[x->n] = r->attempts;
	}
	x->n++;
}

/* Requests already queued behind the one that got 456 are not sent. */
static void
test_blocked_queue(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct outcomes x = {0};
	char err[ERRBUF_SIZE], url[256];
	struct http_request req = {.url = url, .min_interval_ms = 10};
	json_t *log;

	server_start();
	o.max_retries = 2;
	c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/status?code=456", base);
	CHECK_INT(http_client_submit(c, &req, record_outcome, &x, err), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "%s/_fault/echo?queued=%d", base, i);
		CHECK_INT(http_client_submit(c, &req, record_outcome, &x, err), 0);
	}
	CHECK_INT(http_client_run(c, err), 0);
	CHECK_INT(x.n, 4);
	CHECK_INT(x.o[0], HTTP_BLOCKED);
	for (int i = 1; i < 4; i++) {
		CHECK_INT(x.o[i], HTTP_HOST_BLOCKED);
		CHECK_INT(x.attempts[i], 0);
	}
	log = log_wait("/_fault/", 1);
	CHECK_INT(json_array_size(log), 1);
	json_decref(log);
	http_client_destroy(c);
}

/* An empty 200 is a response like any other (the parser judges it). */
static void
test_empty_body(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	CHECK_INT(get(&o, "/_fault/empty", &r), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body.len, 0);
	CHECK_STR(buf_cstr(&r.body), "");
	http_response_finish(&r);
}

static void
test_retry_after_429(void)
{
	struct http_options o = fast_options();
	struct http_response r;
	double t0;

	server_start();
	o.max_retries = 2;
	ctl_fault("{\"path_prefix\":\"/api/company/search\",\"kind\":\"429\",\"times\":1,"
		"\"params\":{\"retry_after\":1}}");
	t0 = now_s();
	CHECK_INT(get(&o, "/api/company/search?keywords=x", &r), 0);
	CHECK(now_s() - t0 >= 1.0);
	CHECK(now_s() - t0 < 4.0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.attempts, 2);
	http_response_finish(&r);
}

/* A Retry-After past retry_max_ms: no hour-long sleep, a clear reason. */
static void
test_retry_after_over_cap(void)
{
	struct http_options o = fast_options();
	struct http_response r;
	double t0;

	server_start();
	o.max_retries = 3;
	o.retry_max_ms = 500;
	t0 = now_s();
	CHECK_INT(get(&o, "/_fault/429?retry_after=3600", &r), -1);
	CHECK(now_s() - t0 < 10.0); /* not 3600 s; slack for valgrind */
	CHECK_INT(r.outcome, HTTP_GAVE_UP);
	CHECK_INT(r.status, 429);
	CHECK_INT(r.attempts, 1);
	CHECK(strstr(r.error, "Retry-After") != NULL);
	http_response_finish(&r);
}

static void
test_retry_500_then_ok(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	struct http_stats st;
	char url[256], err[ERRBUF_SIZE];
	struct http_request req = {.url = url};

	server_start();
	o.max_retries = 3;
	ctl_fault("{\"path_prefix\":\"/api/company/search\",\"kind\":\"status\",\"times\":2,"
		"\"params\":{\"code\":500}}");
	c = client(&o);
	snprintf(url, sizeof(url), "%s/api/company/search?keywords=x", base);
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.attempts, 3);
	http_client_stats(c, &st);
	CHECK_INT(st.requests, 3);
	CHECK_INT(st.retries, 2);
	http_response_finish(&r);
	http_client_destroy(c);
}

static void
test_gave_up_500(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	o.max_retries = 2;
	CHECK_INT(get(&o, "/_fault/status?code=500", &r), -1);
	CHECK_INT(r.outcome, HTTP_GAVE_UP);
	CHECK_INT(r.last_attempt, HTTP_DONE);
	CHECK_INT(r.status, 500);
	CHECK_INT(r.attempts, 3);
	CHECK(strstr(r.error, "HTTP 500") != NULL);
	http_response_finish(&r);
}

/* A reset once, then the normal answer: connection errors are retried. */
static void
test_retry_reset_then_ok(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	o.max_retries = 2;
	ctl_fault("{\"path_prefix\":\"/api/company/search\",\"kind\":\"reset\",\"times\":1}");
	CHECK_INT(get(&o, "/api/company/search?keywords=x", &r), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_INT(r.attempts, 2);
	http_response_finish(&r);
}

static void
test_reset(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	CHECK_INT(get(&o, "/_fault/reset", &r), -1);
	CHECK_INT(r.outcome, HTTP_NETWORK);
	CHECK(r.error[0] != '\0');
	http_response_finish(&r);
}

static void
test_truncated(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	CHECK_INT(get(&o, "/_fault/truncated", &r), -1);
	CHECK_INT(r.outcome, HTTP_NETWORK);
	http_response_finish(&r);
}

static void
test_connection_refused(void)
{
	struct http_options o = fast_options();
	struct http_client *c = client(&o);
	struct http_response r;
	char err[ERRBUF_SIZE];
	struct http_request req = {.url = "http://127.0.0.1:1/"};

	CHECK_INT(http_fetch(c, &req, &r, err), -1);
	CHECK_INT(r.outcome, HTTP_NETWORK);
	CHECK(strchr(err, '\n') == NULL);
	http_response_finish(&r);
	http_client_destroy(c);
}

static void
test_low_speed(void)
{
	struct http_options o = fast_options();
	struct http_response r;
	double t0;

	server_start();
	o.low_speed_bps = 100;
	o.low_speed_time_s = 1;
	t0 = now_s();
	CHECK_INT(get(&o, "/_fault/slow?interval=1&seconds=20", &r), -1);
	CHECK(now_s() - t0 < 5.0);
	CHECK_INT(r.outcome, HTTP_TIMEOUT);
	http_response_finish(&r);
}

static void
test_whole_timeout(void)
{
	struct http_options o = fast_options();
	struct http_response r;
	double t0;

	server_start();
	o.timeout_s = 2;
	t0 = now_s();
	CHECK_INT(get(&o, "/_fault/slow?interval=0.1&seconds=20", &r), -1);
	CHECK(now_s() - t0 >= 1.9);
	CHECK(now_s() - t0 < 5.0);
	CHECK_INT(r.outcome, HTTP_TIMEOUT);
	http_response_finish(&r);
}

/* Timeouts are retried; when every try times out the request gives up. */
static void
test_timeout_gave_up(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	o.timeout_s = 1;
	o.max_retries = 1;
	CHECK_INT(get(&o, "/_fault/slow?interval=0.1&seconds=20", &r), -1);
	CHECK_INT(r.outcome, HTTP_GAVE_UP);
	CHECK_INT(r.last_attempt, HTTP_TIMEOUT);
	CHECK_INT(r.attempts, 2);
	http_response_finish(&r);
}

static void
test_oversized(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	CHECK_INT(get(&o, "/_fault/oversized?mib=20", &r), -1);
	CHECK_INT(r.outcome, HTTP_TOO_LARGE);
	CHECK(r.body.len <= o.max_body);
	http_response_finish(&r);
}

/* 100 MiB of spaces once inflated: stopped at the cap, counted decoded. */
static void
test_gzip_bomb(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	struct http_stats st;
	char url[256], err[ERRBUF_SIZE];
	struct http_request req = {.url = url};

	server_start();
	c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/gzip_bomb?mib=100", base);
	CHECK_INT(http_fetch(c, &req, &r, err), -1);
	CHECK_INT(r.outcome, HTTP_TOO_LARGE);
	CHECK(r.body.len <= o.max_body);
	CHECK(r.body.cap <= 2 * o.max_body + 4096);
	http_client_stats(c, &st);
	CHECK(st.bytes <= o.max_body);
	CHECK(strstr(r.error, "cap") != NULL);
	http_response_finish(&r);
	http_client_destroy(c);
}

static void
test_redirect_file(void)
{
	struct http_options o = fast_options();
	struct http_response r;

	server_start();
	CHECK_INT(get(&o, "/_fault/redirect_file", &r), -1);
	CHECK_INT(r.outcome, HTTP_REFUSED_URL);
	CHECK(strstr(buf_cstr(&r.body), "root:") == NULL);
	http_response_finish(&r);
}

static void
test_redirect_loop(void)
{
	struct http_options o = fast_options();
	struct http_response r;
	json_t *log;

	server_start();
	CHECK_INT(get(&o, "/_fault/redirect_loop", &r), -1);
	CHECK_INT(r.outcome, HTTP_REFUSED_URL);
	log = log_wait("/_fault/redirect_loop", 6);
	CHECK_INT(json_array_size(log), 6); /* the request and 5 redirects */
	json_decref(log);
	http_response_finish(&r);
}

static void
test_redirect_ok(void)
{
	struct http_options o = fast_options();
	struct http_response r;
	char want[128];

	server_start();
	CHECK_INT(get(&o, "/_fault/redirect_ok?to=/_fault/echo", &r), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_INT(r.status, 200);
	snprintf(want, sizeof(want), "%s/_fault/echo", base);
	CHECK_STR(r.effective_url, want);
	CHECK(strstr(buf_cstr(&r.body), "\"path\":\"/_fault/echo\"") != NULL);
	http_response_finish(&r);
}

static void
test_etag(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r, r2;
	char url[256], err[ERRBUF_SIZE];
	struct http_request req = {.url = url};

	server_start();
	c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/etag", base);
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	CHECK_STR(r.etag, "\"v1\"");
	req.etag = r.etag;
	CHECK_INT(http_fetch(c, &req, &r2, err), 0);
	CHECK_INT(r2.outcome, HTTP_NOT_MODIFIED);
	CHECK_INT(r2.status, 304);
	CHECK_INT(r2.body.len, 0);
	http_response_finish(&r);
	http_response_finish(&r2);

	/* a changed tag gets the full answer */
	req.etag = "\"v0\"";
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	CHECK_INT(r.outcome, HTTP_DONE);
	http_response_finish(&r);
	http_client_destroy(c);
}

struct interval_ctx {
	int done;
	int ok;
};

static void
count_done(const struct http_response *r, void *user)
{
	struct interval_ctx *x = user;

	x->done++;
	if (r->outcome == HTTP_DONE && r->status == 200)
		x->ok++;
}

static double
log_time(json_t *log, const char *query)
{
	json_t *e;
	size_t i;

	json_array_foreach(log, i, e) {
		const char *q = json_string_value(json_object_get(e, "query"));

		if (q && strcmp(q, query) == 0)
			return json_real_value(json_object_get(e, "t"));
	}
	fprintf(stderr, "no log entry for %s\n", query);
	harness_failures++;
	return 0;
}

/* Two requests per host, min_interval 700 ms: each host's pair is at least
 * 700 ms apart, and the two hosts run side by side. */
static void
test_min_interval(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct interval_ctx x = {0, 0};
	char err[ERRBUF_SIZE], url[256];
	const char *names[] = {"h=a1", "h=a2", "h=b1", "h=b2"};
	json_t *log;
	double t0, elapsed, a1, a2, b1, b2;

	server_start();
	c = client(&o);
	for (int i = 0; i < 4; i++) {
		struct http_request req = {.url = url, .min_interval_ms = 700};

		snprintf(url, sizeof(url), "%s/_fault/echo?%s", i < 2 ? base : base_alt, names[i]);
		CHECK_INT(http_client_submit(c, &req, count_done, &x, err), 0);
	}
	t0 = now_s();
	CHECK_INT(http_client_run(c, err), 0);
	elapsed = now_s() - t0;
	CHECK_INT(x.done, 4);
	CHECK_INT(x.ok, 4);
	log = log_wait("/_fault/echo", 4);
	a1 = log_time(log, "h=a1");
	a2 = log_time(log, "h=a2");
	b1 = log_time(log, "h=b1");
	b2 = log_time(log, "h=b2");
	CHECK(a2 - a1 >= 0.69);
	CHECK(b2 - b1 >= 0.69);
	/* the hosts ran side by side: each host's first request came before
	 * the other's second (serialised, the run would take 2.1 s) */
	CHECK(b1 < a2);
	CHECK(a1 < b2);
	CHECK(b1 - a1 < 0.5 && a1 - b1 < 0.5);
	CHECK(elapsed >= 0.69);
	json_decref(log);
	http_client_destroy(c);
}

struct tick_ctx {
	int ticks;       /* tick calls so far */
	int done;
	int ticks_at_first; /* ticks when the first answer came */
};

static void
count_tick(void *user)
{
	((struct tick_ctx *)user)->ticks++;
}

static void
tick_done(const struct http_response *r, void *user)
{
	struct tick_ctx *x = user;

	(void)r;
	if (!x->done++)
		x->ticks_at_first = x->ticks;
}

/* The tick (a progress line's redraw) comes also while a request waits for
 * its host's interval: several times in a 1 s wait, not only per request. */
static void
test_tick_while_waiting(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct tick_ctx x = {0, 0, 0};
	char err[ERRBUF_SIZE], url[256];

	o.tick = count_tick;
	o.tick_user = &x;
	server_start();
	c = client(&o);
	for (int i = 0; i < 2; i++) {
		struct http_request req = {.url = url, .min_interval_ms = 1000};

		snprintf(url, sizeof(url), "%s/_fault/echo?tick=%d", base, i);
		CHECK_INT(http_client_submit(c, &req, tick_done, &x, err), 0);
	}
	CHECK_INT(http_client_run(c, err), 0);
	CHECK_INT(x.done, 2);
	CHECK(x.ticks_at_first >= 1);
	CHECK(x.ticks - x.ticks_at_first >= 3);
	http_client_destroy(c);
}

/* The UA, the browser headers and the cookie from the cookie file arrive. */
static void
test_ua_cookie_echo(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	char err[ERRBUF_SIZE], url[256], cookies[128];
	struct http_request req = {.url = url, .headers = heimao_headers, .cookie_file = cookies};
	json_t *j, *h;
	FILE *f;

	server_start();
	snprintf(cookies, sizeof(cookies), "%s/cookies.txt", server_dir);
	f = fopen(cookies, "w");
	fprintf(f, "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tSUB\t_2AkMtestcookie\n");
	fclose(f);
	c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/echo", base);
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	h = json_object_get(j, "headers");
	CHECK_STR(json_string_value(json_object_get(h, "User-Agent")), o.user_agent);
	CHECK_STR(json_string_value(json_object_get(h, "Cookie")), "SUB=_2AkMtestcookie");
	CHECK_STR(json_string_value(json_object_get(h, "Referer")), "https://tousu.sina.com.cn/");
	CHECK_STR(json_string_value(json_object_get(h, "X-Requested-With")), "XMLHttpRequest");
	CHECK_STR(json_string_value(json_object_get(h, "Accept")), "*/*");
	CHECK(json_string_value(json_object_get(h, "Accept-Encoding")) != NULL);
	json_decref(j);
	http_response_finish(&r);

	/* the cookie file is read, never written */
	{
		size_t len;
		char *text = harness_read_file(cookies, &len);

		CHECK(strstr(text, "Netscape") != NULL);
		CHECK(strstr(text, "_2AkMtestcookie") != NULL);
		free(text);
	}
	http_client_destroy(c);
}

/* With -vv the request is logged, its cookies are not. */
static void
test_cookie_not_logged(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	char err[ERRBUF_SIZE], url[256], cookies[128], errfile[128];
	const char *headers[] = {"Cookie: __jsluid_s=0123456789abcdef0123456789abcdef",
		"token: tok-SECRET-1", "X-Test: visible", NULL};
	struct http_request req = {.url = url, .headers = headers, .cookie_file = cookies};
	int saved, fd;
	FILE *f;
	char *text;
	size_t len;

	server_start();
	snprintf(cookies, sizeof(cookies), "%s/cookies.txt", server_dir);
	f = fopen(cookies, "w");
	fprintf(f, "127.0.0.1\tFALSE\t/\tFALSE\t0\tSUB\t_2AkMsecretcookie\n");
	fclose(f);
	snprintf(errfile, sizeof(errfile), "%s/stderr.txt", server_dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	msg_set_level(MSG_DEBUG);
	c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/echo?logged=1", base);
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	http_response_finish(&r);
	/* and a retried, failing one */
	snprintf(url, sizeof(url), "%s/_fault/status?code=503", base);
	CHECK_INT(http_fetch(c, &req, &r, err), -1);
	http_response_finish(&r);
	http_client_destroy(c);
	msg_set_level(MSG_NORMAL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	text = harness_read_file(errfile, &len);
	CHECK(strstr(text, "/_fault/echo?logged=1") != NULL);
	CHECK(strstr(text, "200") != NULL);
	CHECK(strstr(text, "X-Test: visible") != NULL);
	CHECK(strstr(text, "secretcookie") == NULL);
	CHECK(strstr(text, "0123456789abcdef") == NULL);
	CHECK(strstr(text, "SUB=") == NULL);
	CHECK(strstr(text, "tok-SECRET") == NULL);
	CHECK(strstr(text, "token: [redacted]") != NULL);
	if (harness_failures)
		fprintf(stderr, "--- log ---\n%s--- end ---\n", text);
	free(text);
}

static void
test_refused_scheme(void)
{
	struct http_options o = fast_options();
	struct http_client *c = client(&o);
	struct http_response r;
	char err[ERRBUF_SIZE];
	struct http_request req = {.url = "file:///etc/passwd"};
	int called = 0;

	CHECK_INT(http_client_submit(c, &req, count_done, &called, err), -1);
	CHECK(strstr(err, "http") != NULL);
	req.url = "ftp://127.0.0.1/x";
	CHECK_INT(http_client_submit(c, &req, count_done, &called, err), -1);
	req.url = "not a url";
	CHECK_INT(http_client_submit(c, &req, count_done, &called, err), -1);
	req.url = "gopher://127.0.0.1/";
	CHECK_INT(http_fetch(c, &req, &r, err), -1);
	CHECK_INT(r.outcome, HTTP_REFUSED_URL);
	http_response_finish(&r);
	CHECK_INT(http_client_run(c, err), 0);
	CHECK_INT(called, 0);
	http_client_destroy(c);
}

struct stop_ctx {
	struct http_client *c;
	int interrupted, done_ok, other;
};

static void
stop_on_done(const struct http_response *r, void *user)
{
	struct stop_ctx *x = user;

	if (r->outcome == HTTP_DONE) {
		x->done_ok++;
		http_client_stop(x->c);
	} else if (r->outcome == HTTP_INTERRUPTED) {
		x->interrupted++;
	} else {
		x->other++;
	}
}

/* A slow transfer and one queued behind it are interrupted when a callback
 * (as a signal handler would) stops the client; nothing new starts. */
static void
test_stop(void)
{
	struct http_options o = fast_options();
	struct stop_ctx x = {0};
	char err[ERRBUF_SIZE], url[256];
	struct http_request req = {.url = url};
	double t0;
	json_t *log;

	server_start();
	x.c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/slow?interval=0.2&seconds=20", base);
	CHECK_INT(http_client_submit(x.c, &req, stop_on_done, &x, err), 0);
	snprintf(url, sizeof(url), "%s/_fault/echo?queued=1", base);
	CHECK_INT(http_client_submit(x.c, &req, stop_on_done, &x, err), 0);
	snprintf(url, sizeof(url), "%s/_fault/delay?seconds=0.3", base_alt);
	CHECK_INT(http_client_submit(x.c, &req, stop_on_done, &x, err), 0);
	t0 = now_s();
	CHECK_INT(http_client_run(x.c, err), -1);
	CHECK_STR(err, "interrupted");
	CHECK(now_s() - t0 < 3.0);
	CHECK_INT(x.done_ok, 1);
	CHECK_INT(x.interrupted, 2);
	CHECK_INT(x.other, 0);
	snprintf(url, sizeof(url), "%s/_fault/echo?after=stop", base_alt);
	CHECK_INT(http_client_submit(x.c, &req, stop_on_done, &x, err), -1);
	log = log_wait("/_fault/echo", 0);
	CHECK_INT(json_array_size(log), 0);
	json_decref(log);
	http_client_destroy(x.c);
}

struct paging {
	struct http_client *c;
	int pages;
	int ok;
	char ts[21], rs[17];
};

static void
next_page(const struct http_response *r, void *user)
{
	struct paging *p = user;
	char err[ERRBUF_SIZE];

	if (r->outcome == HTTP_DONE && r->status == 200 && strstr(buf_cstr(&r->body), "\"code\":0"))
		p->ok++;
	if (++p->pages < 3) {
		char *url = heimao_url_feed(base, p->pages + 1, p->ts, p->rs);
		struct http_request req = {.url = url, .headers = heimao_headers,
			.min_interval_ms = 50};

		CHECK_INT(http_client_submit(p->c, &req, next_page, p, err), 0);
		free(url);
	}
}

/* Callbacks submit the next page; the run lasts until the last one. */
static void
test_paging_from_callback(void)
{
	struct http_options o = fast_options();
	struct paging p = {0};
	char err[ERRBUF_SIZE], *url;
	struct http_request req = {.headers = heimao_headers};

	server_start();
	p.c = client(&o);
	heimao_now_ts(p.ts);
	heimao_random_rs(p.rs);
	url = heimao_url_feed(base, 1, p.ts, p.rs);
	req.url = url;
	CHECK_INT(http_client_submit(p.c, &req, next_page, &p, err), 0);
	free(url);
	CHECK_INT(http_client_run(p.c, err), 0);
	CHECK_INT(p.pages, 3);
	CHECK_INT(p.ok, 3);
	http_client_destroy(p.c);
}

/* POST with a JSON body and a non-GET method reach the server as sent. */
static void
test_post_body(void)
{
	struct http_options o = fast_options();
	struct http_client *c;
	struct http_response r;
	char err[ERRBUF_SIZE], url[256];
	const char *headers[] = {"Content-Type: application/json", NULL};
	const char *body = "{\"a\":1}";
	struct http_request req = {.url = url, .method = "POST", .body = body,
		.body_len = strlen(body), .headers = headers};
	json_t *j;

	server_start();
	c = client(&o);
	snprintf(url, sizeof(url), "%s/_fault/echo", base);
	CHECK_INT(http_fetch(c, &req, &r, err), 0);
	j = json_loads(buf_cstr(&r.body), 0, NULL);
	CHECK_STR(json_string_value(json_object_get(j, "method")), "POST");
	CHECK_INT(json_integer_value(json_object_get(j, "body_length")), 7);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "headers"), "Content-Type")),
		"application/json");
	json_decref(j);
	http_response_finish(&r);
	http_client_destroy(c);
}

TEST_MAIN(
	{"ok_json", test_ok_json},
	{"heimao_signed", test_heimao_signed},
	{"icp_auth", test_icp_auth},
	{"blocked_456", test_blocked_456},
	{"blocked_403", test_blocked_403},
	{"blocked_queue", test_blocked_queue},
	{"empty_body", test_empty_body},
	{"retry_after_429", test_retry_after_429},
	{"retry_after_over_cap", test_retry_after_over_cap},
	{"retry_500_then_ok", test_retry_500_then_ok},
	{"gave_up_500", test_gave_up_500},
	{"retry_reset_then_ok", test_retry_reset_then_ok},
	{"reset", test_reset},
	{"truncated", test_truncated},
	{"connection_refused", test_connection_refused},
	{"low_speed", test_low_speed},
	{"whole_timeout", test_whole_timeout},
	{"timeout_gave_up", test_timeout_gave_up},
	{"oversized", test_oversized},
	{"gzip_bomb", test_gzip_bomb},
	{"redirect_file", test_redirect_file},
	{"redirect_loop", test_redirect_loop},
	{"redirect_ok", test_redirect_ok},
	{"etag", test_etag},
	{"min_interval", test_min_interval},
	{"tick_while_waiting", test_tick_while_waiting},
	{"ua_cookie_echo", test_ua_cookie_echo},
	{"cookie_not_logged", test_cookie_not_logged},
	{"refused_scheme", test_refused_scheme},
	{"stop", test_stop},
	{"paging_from_callback", test_paging_from_callback},
	{"post_body", test_post_body})
