#include "platform_input.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host.h"
#include "err.h"
#include "i18n.h"
#include "store.h"
#include "sync/registry.h"
#include "text.h"
#include "xalloc.h"

void
platform_input_init(struct platform_input *in)
{
	memset(in, 0, sizeof(*in));
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
platform_input_finish(struct platform_input *in)
{
	free(in->name);
	free_list(in->domains, in->n_domains);
	free_list(in->aliases, in->n_aliases);
	for (size_t i = 0; i < in->n_pins; i++)
		free(in->pins[i].id);
	free(in->pins);
	platform_input_init(in);
}

static void
push(char ***v, size_t *n, size_t *cap, char *s)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i], s)) {
			free(s);
			return;
		}
	}
	*v = xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

/* Control characters (C0, DEL, C1), bidi controls and invisible
 * zero-width characters: a name holding one could rewrite the terminal it
 * is shown on, or look like another platform's name. */
static bool
is_hidden_char(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200B ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || cp == 0x2060 ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static int
check_text(const char *what, const char *s, char *err)
{
	size_t len = strlen(s);
	if (!utf8_valid(s, len))
		return set_err(err, _("%s is not valid UTF-8"), what);
	char *t = text_trim(xstrdup(s));
	int empty = !*t;
	free(t);
	if (empty)
		return set_err(err, _("%s must not be empty"), what);
	if (len > 200)
		return set_err(err, _("%s is longer than 200 bytes"), what);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0)
			return set_err(err, _("%s is not valid UTF-8"), what);
		if (is_hidden_char(cp))
			return set_err(err, _("%s contains a control, bidi or invisible character (U+%04X)"),
				       what, (unsigned)cp);
		i += n;
	}
	return 0;
}

/* A name or alias must keep something once folded for comparison (letters,
 * digits, other symbols): "_", "-" or "·" alone match nothing. */
static int
check_name_key(const char *what, const char *s, char *err)
{
	char *key = text_name_key(s);
	int empty = !*key;
	free(key);
	if (empty)
		return set_err(err, _("%s '%s' has nothing but spaces and separators (. - _ ·)"), what,
			       s);
	return 0;
}

int
platform_input_set_name(struct platform_input *in, const char *name, char *err)
{
	if (check_text(_("the platform name"), name, err) < 0 ||
	    check_name_key(_("the platform name"), name, err) < 0)
		return -1;
	free(in->name);
	in->name = text_trim(xstrdup(name));
	return 0;
}

int
looks_like_domain(const char *s)
{
	if (strstr(s, "://"))
		return 1;
	int dot = 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.')
			dot = 1;
		else if (c == '/' || c == ':')
			continue;
		else if (!isalnum(c) && c != '-')
			return 0;
	}
	return dot;
}

/* Labels of letters, digits and hyphens (UTF-8 allowed for IDNs), 1-63
 * bytes, never starting or ending with a hyphen. */
static int
valid_hostname(const char *host)
{
	size_t label = 0;
	char prev = '.';
	for (const char *p = host;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.' || c == '\0') {
			if (label == 0 || prev == '-')
				return 0;
			if (!c)
				return 1;
			label = 0;
		} else if (isalnum(c) || c >= 0x80 || (c == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
		prev = (char)c;
	}
}

int
platform_input_add_domain(struct platform_input *in, const char *domain, char *err)
{
	if (check_text(_("the domain"), domain, err) < 0)
		return -1;
	const char *scheme_end = strstr(domain, "://");
	if (scheme_end && strncasecmp(domain, "http://", 7) && strncasecmp(domain, "https://", 8))
		return set_err(err, _("'%s' is not an http:// or https:// address"), domain);
	char *host = host_site(domain);
	if (!host || !*host || !strchr(host, '.')) {
		free(host);
		return set_err(err, _("'%s' is not a domain name"), domain);
	}
	if (!valid_hostname(host)) {
		free(host);
		return set_err(err, _("'%s' is not a domain name"), domain);
	}
	push(&in->domains, &in->n_domains, &in->cap_domains, host);
	return 0;
}

int
platform_input_add_alias(struct platform_input *in, const char *alias, char *err)
{
	if (check_text(_("the alias"), alias, err) < 0 || check_name_key(_("the alias"), alias, err) < 0)
		return -1;
	push(&in->aliases, &in->n_aliases, &in->cap_aliases, text_trim(xstrdup(alias)));
	return 0;
}

int
platform_input_add_pin(struct platform_input *in, size_t source, const char *id, char *err)
{
	/* A merchant page's URL names the id after the source's mark. */
	const char *mark = registry[source].pin_url_mark;
	const char *at = mark && strstr(id, "://") ? strstr(id, mark) : NULL;
	const char *digits = at ? at + strlen(mark) : id;
	size_t n = strspn(digits, "0123456789");
	if (n == 0 || n > 20 || (!at && digits[n]) || (at && digits[n] && !strchr("/?&#", digits[n])))
		return set_err(err, _("--%s '%s' is not a merchant id (digits, or the merchant "
			       "page's URL)"), registry[source].pin_option, id);
	id = digits;
	in->pins = xgrow(in->pins, &in->cap_pins, in->n_pins + 1, sizeof(*in->pins));
	in->pins[in->n_pins++] = (struct pin){source, xstrndup(id, n)};
	return 0;
}

int
platform_input_save(const struct platform_input *in, struct store *st, int64_t now, int64_t *id,
		    int *created, char *err)
{
	if (store_begin(st, err) < 0)
		return -1;
	int rc = store_platform_add(st, in->name, (const char *const *)in->domains, in->n_domains,
				    (const char *const *)in->aliases, in->n_aliases, now, id, created,
				    err);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < in->n_pins; i++)
		if (store_merchant_set(st, *id, registry[in->pins[i].source].name, in->pins[i].id,
				       NULL, 1, now, err) < 0)
			goto fail;
	if (store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st, NULL);
	return rc < 0 ? rc : -1;
}
