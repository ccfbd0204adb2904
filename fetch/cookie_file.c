#include "cookie_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "timeutil.h"
#include "xalloc.h"

/* True when a cookie for domain (".sina.com.cn", "127.0.0.1") is sent to
 * host. */
static bool
domain_matches(const char *domain, const char *host)
{
	if (*domain == '.')
		domain++;
	size_t d = strlen(domain), h = strlen(host);
	if (d == 0 || d > h)
		return false;
	if (strcasecmp(host + h - d, domain))
		return false;
	return d == h || host[h - d - 1] == '.';
}

int
cookie_file_check(const char *path, const char *host, const char *name, int64_t now, char *err)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return set_err(err, "not readable (%s)", strerror(errno));
	char *line = NULL, *other_domain = NULL;
	size_t cap = 0;
	ssize_t n;
	bool any = false, found = false;
	int64_t expired_at = 0;
	while (!found && (n = getline(&line, &cap, fp)) >= 0) {
		any = any || n > 0;
		line[strcspn(line, "\r\n")] = '\0';
		char *p = line;
		if (!strncmp(p, "#HttpOnly_", 10))
			p += 10;
		else if (*p == '#')
			continue;
		/* domain, include subdomains, path, secure, expires, name, value */
		char *field[7];
		size_t k = 0;
		for (char *f = p; k < 7 && f; k++) {
			field[k] = f;
			f = strchr(f, '\t');
			if (f)
				*f++ = '\0';
		}
		if (k < 7 || strcmp(field[5], name) || !*field[6])
			continue;
		if (host && !domain_matches(field[0], host)) {
			if (!other_domain)
				other_domain = xstrdup(field[0]);
			continue;
		}
		int64_t expires = strtoll(field[4], NULL, 10);
		if (expires > 0 && expires < now) {
			expired_at = expires;
			continue;
		}
		found = true;
	}
	int read_error = ferror(fp);
	int saved = errno;
	free(line);
	fclose(fp);
	int rc = 0;
	if (read_error) {
		rc = set_err(err, "not readable (%s)", strerror(saved));
	} else if (found) {
		rc = 0;
	} else if (expired_at) {
		char when[21];
		time_format_utc(expired_at, when);
		rc = set_err(err, "its %s cookie expired on %.10s", name, when);
	} else if (other_domain) {
		rc = set_err(err, "its %s cookie is for %s, not %s", name, other_domain, host);
	} else {
		rc = set_err(err, "%sno %s cookie in it", any ? "" : "empty, ", name);
	}
	free(other_domain);
	return rc;
}
