/* The platform's own home page: its URL from the configured template. */
#ifndef KMREP_FETCH_SITE_H
#define KMREP_FETCH_SITE_H

/* url_template with every "{domain}" replaced by domain, after checking that
 * domain is a host name: ASCII letters, digits, '-' and '.', or UTF-8
 * (IDN) bytes; no '/', '?', '#', '@', ':', spaces or other punctuation, no
 * empty label, at most 253 bytes.  Returns a malloc'd URL (caller frees),
 * or NULL when the domain is refused or the template has no {domain}. */
char *site_url(const char *url_template, const char *domain);

#endif
