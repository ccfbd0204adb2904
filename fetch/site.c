/* Home page URLs; see site.h. */
#include "site.h"

#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "xalloc.h"

static bool
hostname_ok(const char *d)
{
	size_t n = strlen(d), label = 0;

	if (n == 0 || n > 253 || !utf8_valid(d, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)d; *p; p++) {
		if (*p == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p >= 0x80))
			return false;
		if (++label > 63 * 4) /* a UTF-8 label may take up to 4 bytes a char */
			return false;
	}
	return true; /* a trailing dot (absolute name) is allowed */
}

/* See site.h; caller frees. */
char *
site_url(const char *url_template, const char *domain)
{
	const char *p, *hit;
	struct buf b;

	if (!url_template || !domain || !strstr(url_template, "{domain}") || !hostname_ok(domain))
		return NULL;
	buf_init(&b);
	for (p = url_template; (hit = strstr(p, "{domain}")); p = hit + 8) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, domain);
	}
	buf_puts(&b, p);
	return buf_steal(&b);
}
