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

/* The lowercase host of a URL ("https://WWW.X.com:8443/a" -> "www.x.com"),
 * of a scheme-relative "//host/...", or of a bare domain ("x.com",
 * "www.x.com/path").  A trailing dot is dropped; IDN hosts stay UTF-8.
 * Returns a malloc'd string (caller frees) or NULL when there is no host. */
char *url_host(const char *url_or_domain);

/* The registrable domain the ICP registry files under: the host (or URL)
 * reduced to its last two labels, or three when the last two are a known
 * second-level suffix (com.cn, net.cn, org.cn, gov.cn, edu.cn, ac.cn, mil.cn,
 * the province suffixes like bj.cn, and a few foreign ones like com.hk,
 * co.uk).  "www.x.com.cn" -> "x.com.cn", "www.gov.cn" stays.  Limitation:
 * a built-in list, not the Public Suffix List, so rarer multi-label suffixes
 * (e.g. private ones like github.io) are cut to two labels.  IP addresses
 * are returned as they are.  Returns a malloc'd string or NULL. */
char *domain_registrable(const char *host);

/* s percent-encoded for a query value or path segment (curl_easy_escape:
 * everything but A-Z a-z 0-9 - . _ ~ is encoded, space as %20).  Returns a
 * malloc'd string (caller frees). */
char *url_encode_component(const char *s);

#endif
