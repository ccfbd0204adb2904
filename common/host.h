/* Host names, the one normaliser every layer uses: the platform table keys
 * its domains with it, the ICP registry is asked for the registrable domain,
 * the view model groups probes by it.  Pure string work on libcurl's URL
 * parser (curl_url_*, no network); no hand-made URL parsing. */
#ifndef KMREP_HOST_H
#define KMREP_HOST_H

/* The lowercase host of a URL ("https://WWW.X.com:8443/a" -> "www.x.com"),
 * of a scheme-relative "//host/...", or of a bare domain ("x.com",
 * "www.x.com/path"), after full-width folding ("ｑｉｈｕｉ．ｃｏｍ").  A
 * trailing dot is dropped; IDN hosts stay UTF-8.  Returns a malloc'd string
 * (caller frees) or NULL when there is no valid host. */
char *host_normalise(const char *url_or_domain);

/* The registrable domain the ICP registry files under: the host (or URL)
 * reduced to its last two labels, or three when the last two are a known
 * second-level suffix (com.cn, net.cn, org.cn, gov.cn, edu.cn, ac.cn, mil.cn,
 * the province suffixes like bj.cn, and a few foreign ones like com.hk,
 * co.uk).  "www.x.com.cn" -> "x.com.cn", "www.gov.cn" stays.  Limitation:
 * a built-in list, not the Public Suffix List, so rarer multi-label suffixes
 * (e.g. private ones like github.io) are cut to two labels.  IP addresses
 * are returned as they are.  Returns a malloc'd string or NULL. */
char *host_registrable(const char *url_or_domain);

/* The host a platform's domain is kept as: host_normalise() without a
 * leading "www." (when a dot remains), so "https://www.x.com/" and "x.com"
 * are one domain.  Returns a malloc'd string or NULL. */
char *host_site(const char *url_or_domain);

#endif
