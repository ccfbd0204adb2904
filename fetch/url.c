/* URL helpers; see url.h. */
#include "url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "xalloc.h"

static void
ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* A CURLU for s, or NULL; a scheme-relative "//host" gets "https:". */
static CURLU *
parse(const char *s, unsigned flags)
{
	CURLU *u = curl_url();
	char *tmp = NULL;
	CURLUcode uc;

	if (!u)
		return NULL;
	if (s[0] == '/' && s[1] == '/')
		s = tmp = xasprintf("https:%s", s);
	uc = curl_url_set(u, CURLUPART_URL, s, flags);
	free(tmp);
	if (uc != CURLUE_OK) {
		curl_url_cleanup(u);
		return NULL;
	}
	return u;
}

static bool
scheme_is_http(CURLU *u)
{
	char *scheme = NULL;
	bool ok;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		return false;
	ok = strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0;
	curl_free(scheme);
	return ok;
}

/* See url.h; caller frees the result. */
char *
url_rebase(const char *public_url, const char *base_url)
{
	CURLU *pub = NULL, *base = NULL;
	char *path = NULL, *query = NULL, *prefix = NULL, *joined = NULL, *out = NULL;
	char *result = NULL;
	size_t plen;

	if (!public_url || !base_url)
		return NULL;
	base = parse(base_url, 0);
	if (!base || !scheme_is_http(base))
		goto done;
	if (public_url[0] == '/' && public_url[1] != '/') {
		/* a bare path: parse it against a dummy origin */
		char *tmp = xasprintf("https://example.invalid%s", public_url);

		pub = parse(tmp, 0);
		free(tmp);
	} else {
		pub = parse(public_url, 0);
	}
	if (!pub || !scheme_is_http(pub))
		goto done;
	if (curl_url_get(pub, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto done;
	if (curl_url_get(pub, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
		query = NULL;
	if (curl_url_get(base, CURLUPART_PATH, &prefix, 0) != CURLUE_OK)
		goto done;
	plen = strlen(prefix);
	while (plen > 0 && prefix[plen - 1] == '/')
		plen--;
	joined = xasprintf("%.*s%s", (int)plen, prefix, path[0] == '/' ? path : "/");
	if (curl_url_set(base, CURLUPART_PATH, joined, 0) != CURLUE_OK)
		goto done;
	if (curl_url_set(base, CURLUPART_QUERY, query, 0) != CURLUE_OK)
		goto done;
	curl_url_set(base, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(base, CURLUPART_URL, &out, 0) != CURLUE_OK)
		goto done;
	result = xstrdup(out);
done:
	curl_free(path);
	curl_free(query);
	curl_free(prefix);
	curl_free(out);
	free(joined);
	curl_url_cleanup(pub);
	curl_url_cleanup(base);
	return result;
}

/* See url.h; caller frees the result. */
char *
url_host(const char *url_or_domain)
{
	CURLU *u;
	char *host = NULL, *tmp = NULL, *result = NULL;
	const char *s = url_or_domain;
	size_t n;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	if (!strstr(s, "://") && !(s[0] == '/' && s[1] == '/'))
		s = tmp = xasprintf("http://%s", s);
	u = parse(s, CURLU_NON_SUPPORT_SCHEME);
	free(tmp);
	if (!u)
		return NULL;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0]) {
		result = xstrdup(host);
		ascii_lower(result);
		n = strlen(result);
		if (n > 1 && result[n - 1] == '.')
			result[n - 1] = '\0';
	}
	curl_free(host);
	curl_url_cleanup(u);
	return result;
}

/* Second-level labels under which registrations happen one level deeper. */
static const char *const cn_second[] = {
	"com", "net", "org", "gov", "edu", "ac", "mil",
	"bj", "sh", "tj", "cq", "he", "sx", "nm", "ln", "jl", "hl", "js", "zj", "ah",
	"fj", "jx", "sd", "ha", "hb", "hn", "gd", "gx", "hi", "sc", "gz", "yn", "xz",
	"sn", "gs", "qh", "nx", "xj", "tw", "hk", "mo",
	NULL,
};

static const char *const other_suffixes[] = {
	"com.hk", "net.hk", "org.hk", "com.tw", "net.tw", "org.tw", "com.mo",
	"co.uk", "org.uk", "co.jp", "com.au", "com.sg", "com.my",
	NULL,
};

static bool
two_label_suffix(const char *last2)
{
	const char *dot = strchr(last2, '.');

	if (dot && strcmp(dot, ".cn") == 0) {
		for (size_t i = 0; cn_second[i]; i++)
			if (strlen(cn_second[i]) == (size_t)(dot - last2) &&
			    strncmp(last2, cn_second[i], (size_t)(dot - last2)) == 0)
				return true;
	}
	for (size_t i = 0; other_suffixes[i]; i++)
		if (strcmp(last2, other_suffixes[i]) == 0)
			return true;
	return false;
}

static bool
is_ip(const char *h)
{
	if (strchr(h, ':') || h[0] == '[')
		return true;
	for (; *h; h++)
		if (!((*h >= '0' && *h <= '9') || *h == '.'))
			return false;
	return true;
}

/* See url.h; caller frees the result. */
char *
domain_registrable(const char *host)
{
	char *h = url_host(host);
	const char *label[4] = {NULL, NULL, NULL, NULL};
	size_t n = 0;
	char *result;

	if (!h)
		return NULL;
	if (is_ip(h))
		return h;
	/* label[0] = start of the last label, label[1] of the last two ... */
	for (const char *p = h + strlen(h); p > h; p--) {
		if (p[-1] == '.') {
			if (n < 4)
				label[n++] = p;
			else
				break;
		}
	}
	/* the whole host counts as one more start */
	if (n < 4)
		label[n++] = h;
	if (n >= 3 && two_label_suffix(label[1]))
		result = xstrdup(label[2]);
	else if (n >= 2)
		result = xstrdup(label[1]);
	else
		result = xstrdup(h);
	free(h);
	return result;
}

/* See url.h; caller frees the result. */
char *
url_encode_component(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *out;

	if (!e)
		return xstrdup("");
	out = xstrdup(e);
	curl_free(e);
	return out;
}
