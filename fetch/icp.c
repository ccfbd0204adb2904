/* MIIT ICP request building; see icp.h. */
#include "icp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "xalloc.h"

/* md5 of s as 32 lowercase hex digits; returns 0 or -1. */
static int
md5_hex(const char *s, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
		EVP_DigestUpdate(ctx, s, strlen(s)) == 1 &&
		EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* See icp.h; *body is the caller's to free. */
int
icp_auth_body(int64_t ts_ms, char **body)
{
	char key[33];
	char *input = xasprintf("testtest%" PRId64, ts_ms);
	int rc = md5_hex(input, key);

	free(input);
	*body = NULL;
	if (rc < 0)
		return -1;
	*body = xasprintf("authKey=%s&timeStamp=%" PRId64, key, ts_ms);
	return 0;
}

/* See icp.h. */
void
icp_random_jsluid(char out[33])
{
	unsigned char r[16];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(((unsigned long)ts.tv_nsec >> (i % 24)) ^ (i * 37));
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* See icp.h; free with icp_headers_free. */
char **
icp_headers(const char *const *extra)
{
	size_t n = 0, i = 0;
	char **h;
	char jsluid[33];

	while (extra && extra[n])
		n++;
	h = xcalloc(n + 5, sizeof(*h));
	h[i++] = xstrdup("Origin: https://beian.miit.gov.cn");
	h[i++] = xstrdup("Referer: https://beian.miit.gov.cn/");
	h[i++] = xstrdup("Accept: application/json, text/plain, */*");
	icp_random_jsluid(jsluid);
	h[i++] = xasprintf("Cookie: __jsluid_s=%s", jsluid);
	for (size_t k = 0; k < n; k++)
		h[i++] = xstrdup(extra[k]);
	h[i] = NULL;
	return h;
}

/* See icp.h. */
void
icp_headers_free(char **headers)
{
	if (!headers)
		return;
	for (char **p = headers; *p; p++)
		free(*p);
	free(headers);
}

/* See icp.h; caller frees. */
char *
icp_query_body(const char *unit_name, int page_num, int page_size)
{
	json_t *o = json_object();
	json_t *name = json_string(unit_name);
	char *s, *out;

	if (!name) {
		json_decref(o);
		return NULL;
	}
	/* JSON_PRESERVE_ORDER keeps the keys in the order the front-end sends. */
	json_object_set_new(o, "pageNum", json_integer(page_num));
	json_object_set_new(o, "pageSize", json_integer(page_size));
	json_object_set_new(o, "unitName", name);
	json_object_set_new(o, "serviceType", json_integer(1));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return NULL;
	out = xstrdup(s);
	free(s);
	return out;
}

static char *
endpoint(const char *base, const char *path)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s", (int)n, base, path);
}

/* See icp.h; caller frees. */
char *
icp_url_auth(const char *base)
{
	return endpoint(base, "auth");
}

/* See icp.h; caller frees. */
char *
icp_url_query(const char *base)
{
	return endpoint(base, "icpAbbreviateInfo/queryByCondition");
}

/* See icp.h; caller frees. */
char *
icp_url_check_image_point(const char *base)
{
	return endpoint(base, "image/getCheckImagePoint");
}

/* See icp.h; caller frees. */
char *
icp_url_check_image(const char *base)
{
	return endpoint(base, "image/checkImage");
}
