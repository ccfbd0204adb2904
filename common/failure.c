#include "failure.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

/* True when error contains any of the NULL-terminated needles, ignoring
 * ASCII case (curl says "Timeout" and "timed out"). */
static int
mentions(const char *error, const char *const *needles)
{
	size_t len = strlen(error);
	for (; *needles; needles++) {
		size_t n = strlen(*needles);
		for (size_t i = 0; i + n <= len; i++)
			if (!strncasecmp(error + i, *needles, n))
				return 1;
	}
	return 0;
}

/* The kinds, most telling first: a blocked or login answer is also "HTML
 * where JSON was expected", and "gave up after 4 attempt(s): HTTP 502" is
 * a server failure, not a give-up.  The needles are the words fetch/,
 * parse/ and sync/ write (and libcurl's own), so a new message there that
 * fits none reads "the request failed", never nothing. */
static const struct {
	const char *const *needles;
	const char *words;
} kinds[] = {
	{(const char *const[]){"interrupted", NULL}, N_("stopped by Ctrl-C")},
	{(const char *const[]){"blocked", "HTTP 456", "HTTP 403", NULL},
	 N_("the site blocked kmrep's requests")},
	{(const char *const[]){"login", "cookie", NULL},
	 N_("the site asks for a login (see cookie_file in README)")},
	{(const char *const[]){"captcha", NULL}, N_("the registry's captcha was not solved")},
	{(const char *const[]){"HTTP 429", "Retry-After", NULL},
	 N_("the site asked kmrep to slow down")},
	{(const char *const[]){"HTTP 5", NULL}, N_("the site's server failed")},
	{(const char *const[]){"timed out", "timeout", "too slow", NULL},
	 N_("the site was too slow to answer")},
	{(const char *const[]){"byte cap", NULL}, N_("the site sent an oversized answer")},
	{(const char *const[]){"connect", "resolve", "reset", "transfer closed", "recv failure",
			       "empty reply", "failed sending", "send failure",
			       "failure when receiving", "SSL", "TLS", "certificate", "libcurl",
			       NULL},
	 N_("the site could not be reached")},
	{(const char *const[]){"merchant is named", NULL},
	 N_("the site has no merchant of that name")},
	{(const char *const[]){"not found", "does not exist", "不存在", "only to its author", NULL},
	 N_("the page is gone from the site")},
	{(const char *const[]){"JSON", "HTML", "layout", "page", "pager", "cursor", "parse",
			       "not a ", "neither", "none of", "no post", "registry answer",
			       "API error", "code ", "empty", "items", NULL},
	 N_("the site's answer was not recognised (its format may have changed)")},
};

const char *
failure_words(const char *error)
{
	if (!error || !*error)
		return NULL;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (mentions(error, kinds[i].needles))
			return _(kinds[i].words);
	return _("the request failed");
}
