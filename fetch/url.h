/* URL helpers on libcurl's URL API (curl_url_*): no hand parsing. */
#ifndef KMREP_URL_H
#define KMREP_URL_H

/* SPEC §3: a link a source returns to its own host ("//tousu.sina.com.cn/
 * complaint/view/1/?sld=x", "https://tousu.sina.com.cn/...", or a bare
 * "/path") fetched through the source's base_url, which may carry a path
 * prefix ("http://127.0.0.1:8080/prefix").  The link's path and query are
 * kept, its fragment dropped; the base's scheme, host, port and path prefix
 * are used.  The caller decides that the link belongs to the source.
 * Returns a malloc'd URL (caller frees), or NULL when either is malformed
 * or the link is not http(s). */
char *url_rebase(const char *public_url, const char *base_url);

/* s percent-encoded for a query value or path segment (curl_easy_escape:
 * everything but A-Z a-z 0-9 - . _ ~ is encoded, space as %20).  Returns a
 * malloc'd string (caller frees). */
char *url_encode_component(const char *s);

/* The digits right after the first mark in url ("couid=", "/tousu/show/id/"),
 * malloc'd, or NULL when there are none. */
char *url_digits_after(const char *url, const char *mark);

#endif
