/* URL helpers; see url.h. */
#include "url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "xalloc.h"

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

char *
url_digits_after(const char *url, const char *mark)
{
	const char *p = strstr(url, mark);
	if (!p)
		return NULL;
	p += strlen(mark);
	size_t n = strspn(p, "0123456789");
	return n ? xstrndup(p, n) : NULL;
}
