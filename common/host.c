/* Host names; see host.h. */
#include "host.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "text.h"
#include "xalloc.h"

static void
ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* See host.h; caller frees the result. */
char *
host_normalise(const char *url_or_domain)
{
	if (!url_or_domain)
		return NULL;
	struct buf folded;
	buf_init(&folded);
	text_fold(&folded, url_or_domain, strlen(url_or_domain));
	char *all = buf_steal(&folded);
	if (!all)
		return NULL;
	const char *s = text_trim(all);
	char *url = NULL, *host = NULL, *result = NULL;
	if (!*s)
		goto done;
	if (s[0] == '/' && s[1] == '/')
		url = xasprintf("https:%s", s);
	else if (!strstr(s, "://"))
		url = xasprintf("http://%s", s);
	else
		url = xstrdup(s);
	CURLU *u = curl_url();
	if (!u)
		goto done;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0]) {
		result = xstrdup(host);
		ascii_lower(result);
		size_t n = strlen(result);
		if (n > 1 && result[n - 1] == '.')
			result[n - 1] = '\0';
	}
	curl_free(host);
	curl_url_cleanup(u);
done:
	free(url);
	free(all);
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

/* See host.h; caller frees the result. */
char *
host_registrable(const char *url_or_domain)
{
	char *h = host_normalise(url_or_domain);
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


char *
host_site(const char *url_or_domain)
{
	char *h = host_normalise(url_or_domain);
	if (h && !strncmp(h, "www.", 4) && strchr(h + 4, '.'))
		memmove(h, h + 4, strlen(h + 4) + 1);
	return h;
}
