#include "listing.h"

#include <math.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "sync/registry.h"
#include "text.h"
#include "timeutil.h"

/* The newest attempt of any source, 0 when never refreshed. */
static int64_t
last_refresh(struct store *st, int64_t platform_id)
{
	int64_t last = 0;
	for (size_t i = 0; i < registry_count(); i++) {
		struct fetch_state fs;
		char err[ERRBUF_SIZE];
		if (store_fetch_state_get(st, platform_id, registry[i].name, &fs, err) == 1) {
			if (fs.last_attempt_at > last)
				last = fs.last_attempt_at;
			fetch_state_finish(&fs);
		}
	}
	return last;
}

json_t *
listing_json(struct store *st, const struct platform *p)
{
	json_t *o = json_object();
	json_t *domains = json_array(), *aliases = json_array();
	for (size_t i = 0; i < p->n_domains; i++)
		json_array_append_new(domains, json_string(p->domains[i]));
	for (size_t i = 0; i < p->n_aliases; i++)
		json_array_append_new(aliases, json_string(p->aliases[i]));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "domains", domains);
	json_object_set_new(o, "aliases", aliases);
	json_object_set_new(o, "tracked", json_boolean(p->tracked));
	char t[21];
	time_format_utc(p->added_at, t);
	json_object_set_new(o, "added_at", json_string(t));
	int64_t last = last_refresh(st, p->id);
	if (last) {
		time_format_utc(last, t);
		json_object_set_new(o, "last_refresh", json_string(t));
	} else {
		json_object_set_new(o, "last_refresh", json_null());
	}
	struct score_row row;
	size_t got = 0;
	char err[ERRBUF_SIZE];
	if (store_score_recent(st, p->id, 1, &row, &got, err) == 0 && got == 1) {
		json_object_set_new(o, "verdict", json_string(row.verdict));
		json_object_set_new(o, "score", isnan(row.score) ? json_null() : json_real(row.score));
		json_object_set_new(o, "grade", json_string(row.grade));
	} else {
		json_object_set_new(o, "verdict", json_null());
		json_object_set_new(o, "score", json_null());
		json_object_set_new(o, "grade", json_null());
	}
	return o;
}

/* s padded to columns display columns, then a space. */
static void
print_cell(FILE *out, const char *s, size_t columns)
{
	size_t w = text_display_width(s);
	fprintf(out, "%s%*s ", s, w < columns ? (int)(columns - w) : 0, "");
}

/* The buyer's word for a verdict key of kmrep.check/1. */
static const char *
verdict_words(const char *key)
{
	if (!strcmp(key, "recommend"))
		return _("recommended");
	if (!strcmp(key, "caution"))
		return _("caution");
	if (!strcmp(key, "avoid"))
		return _("avoid");
	if (!strcmp(key, "not_rated"))
		return _("not rated");
	return key;
}

/* The first part of s (escaped) that fits in columns display columns, cut
 * between characters; *rest points past it (at "" when all of s fits). */
static void
fit_part(struct buf *out, const char *s, size_t columns, const char **rest)
{
	size_t n = text_fit_columns(s, columns, NULL);
	if (!n && *s) /* a character wider than the column still moves on */
		n = text_fit_columns(s, 2, NULL);
	buf_append(out, s, n);
	*rest = s + n;
}

#define NAME_COLUMNS 20
#define DOMAIN_COLUMNS 30

int
listing_text(FILE *out, json_t *arr)
{
	size_t i;
	json_t *o;
	/* Names and domains came from users and sites: shown escaped. */
	struct text_pool pool = {0};
	print_cell(out, _("NAME"), NAME_COLUMNS);
	print_cell(out, _("DOMAINS"), DOMAIN_COLUMNS);
	print_cell(out, _("LAST REFRESH"), 16);
	fprintf(out, "%s\n", _("VERDICT"));
	/* Names are Chinese: pad by display width, which printf's %-20s cannot.
	 * A name wider than its column goes on over the next lines, cut between
	 * characters; domains are one per line, and one wider than its column
	 * stands whole on a line of its own, so no cell pushes another. */
	json_array_foreach(arr, i, o) {
		json_t *domains = json_object_get(o, "domains");
		size_t n_domains = json_array_size(domains);
		const char *last = json_string_value(json_object_get(o, "last_refresh"));
		const char *verdict = json_string_value(json_object_get(o, "verdict"));
		const char *name = text_shown(&pool, json_string_value(json_object_get(o, "name")));
		/* The first line's domain, if it fits; the others follow. */
		const char *first = n_domains ? text_shown(&pool, json_string_value(
						json_array_get(domains, 0))) : "-";
		size_t next_domain = 1;
		if (text_display_width(first) > DOMAIN_COLUMNS)
			first = "", next_domain = 0;
		struct buf part;
		buf_init(&part);
		fit_part(&part, name, NAME_COLUMNS, &name);
		print_cell(out, buf_cstr(&part), NAME_COLUMNS);
		print_cell(out, first, DOMAIN_COLUMNS);
		/* Asia/Shanghai, as check shows it; JSON keeps UTC ISO 8601. */
		char shown[17];
		int64_t at;
		if (last && time_parse_iso(last, 0, &at) == 0)
			time_format_shanghai(at, shown);
		else
			snprintf(shown, sizeof(shown), "%s", last ? "?" : _("never"));
		print_cell(out, shown, 16);
		fprintf(out, "%s%s\n", verdict ? verdict_words(verdict) : "-",
			json_is_true(json_object_get(o, "tracked")) ? "" : _(" (untracked)"));
		while (*name || next_domain < n_domains) {
			buf_reset(&part);
			if (*name)
				fit_part(&part, name, NAME_COLUMNS, &name);
			const char *d = next_domain < n_domains ?
				text_shown(&pool, json_string_value(json_array_get(domains,
										    next_domain++))) : "";
			if (*d) {
				print_cell(out, buf_cstr(&part), NAME_COLUMNS);
				fputs(d, out);
			} else {
				fputs(buf_cstr(&part), out);
			}
			fputc('\n', out);
		}
		buf_finish(&part);
	}
	text_pool_finish(&pool);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
