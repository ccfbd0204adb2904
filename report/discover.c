#include "i18n.h"
#include "discover.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "parse/category.h"
#include "report/table.h"
#include "store.h"
#include "sync/registry.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

struct discover_rules {
	pcre2_code *name, *text, *exclude; /* NULL: an empty pattern, never matches */
	pcre2_match_data *md;
	char **ignore;                     /* name keys */
	size_t n_ignore;
};

static int
compile(const char *key, const char *pattern, pcre2_code **out, char *err)
{
	*out = NULL;
	if (!pattern || !*pattern)
		return 0;
	int code;
	PCRE2_SIZE off;
	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off, NULL);
	if (!*out) {
		PCRE2_UCHAR msg[120];
		pcre2_get_error_message(code, msg, sizeof(msg));
		return set_errc(err, ERR_USAGE, "[discover] %s: %s at offset %zu", key,
				(const char *)msg, (size_t)off);
	}
	return 0;
}

struct discover_rules *
discover_rules_create(const struct config *cfg, char *err)
{
	struct discover_rules *r = xcalloc(1, sizeof(*r));
	if (compile("name_pattern", cfg->discover.name_pattern, &r->name, err) < 0 ||
	    compile("text_pattern", cfg->discover.text_pattern, &r->text, err) < 0 ||
	    compile("exclude_pattern", cfg->discover.exclude_pattern, &r->exclude, err) < 0) {
		discover_rules_destroy(r);
		return NULL;
	}
	r->md = pcre2_match_data_create(1, NULL);
	char *list = xstrdup(cfg->discover.ignore ? cfg->discover.ignore : ""), *save = NULL;
	size_t cap = 0;
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *key = text_name_key(tok);
		if (!*key) {
			free(key);
			continue;
		}
		r->ignore = xgrow(r->ignore, &cap, r->n_ignore + 1, sizeof(char *));
		r->ignore[r->n_ignore++] = key;
	}
	free(list);
	return r;
}

void
discover_rules_destroy(struct discover_rules *r)
{
	if (!r)
		return;
	pcre2_code_free(r->name);
	pcre2_code_free(r->text);
	pcre2_code_free(r->exclude);
	pcre2_match_data_free(r->md);
	for (size_t i = 0; i < r->n_ignore; i++)
		free(r->ignore[i]);
	free(r->ignore);
	free(r);
}

/* Whether pattern matches s, folded (full-width ASCII and the like). */
static bool
matches(struct discover_rules *r, const pcre2_code *pattern, const char *s)
{
	if (!pattern || !s)
		return false;
	struct buf folded;
	buf_init(&folded);
	text_fold(&folded, s, strlen(s));
	int rc = pcre2_match(pattern, (PCRE2_SPTR)buf_cstr(&folded), folded.len, 0, 0, r->md,
			     NULL);
	buf_finish(&folded);
	return rc >= 0;
}

bool
discover_is_card_platform(struct discover_rules *r, const char *name,
			  const char *const *texts, size_t n, const char **because)
{
	*because = NULL;
	char *key = text_name_key(name);
	bool ignored = false;
	for (size_t i = 0; i < r->n_ignore && !ignored; i++)
		ignored = !strcmp(r->ignore[i], key);
	free(key);
	if (ignored)
		return false;
	if (matches(r, r->name, name)) {
		*because = "name";
		return true;
	}
	if (n < 2 || matches(r, r->exclude, name))
		return false;
	size_t about_cards = 0;
	for (size_t i = 0; i < n; i++)
		about_cards += matches(r, r->text, texts[i]);
	if (2 * about_cards < n)
		return false;
	*because = "complaints";
	return true;
}

/* The merchants found, before the rule: one per (source, id or name). */
struct group {
	const char *source;
	const char *id;
	const char *name;
	char *name_key;
	size_t *members;    /* indices into the hits */
	size_t n, cap;
};

static struct group *
group_of(struct group **groups, size_t *n, size_t *cap, const struct complaint *c)
{
	char *key = text_name_key(c->merchant_name);
	for (size_t i = 0; i < *n; i++) {
		struct group *g = &(*groups)[i];
		if (strcmp(g->source, c->source))
			continue;
		if (c->merchant_id && g->id ? !strcmp(g->id, c->merchant_id)
					    : !strcmp(g->name_key, key)) {
			free(key);
			if (!g->id && c->merchant_id)
				g->id = c->merchant_id;
			return g;
		}
	}
	*groups = xgrow(*groups, cap, *n + 1, sizeof(**groups));
	struct group *g = &(*groups)[(*n)++];
	*g = (struct group){.source = c->source, .id = c->merchant_id, .name = c->merchant_name,
			    .name_key = key};
	return g;
}

/* A tracked platform covers the merchant: its id is bound, or its name is
 * the platform's name or an alias.  *similar gets a tracked platform whose
 * name the merchant's contains (a look-alike), or NULL. */
static int
tracked(struct store *st, const struct platform *ps, size_t n_ps, const struct group *g,
	bool *covered, const char **similar, char *err)
{
	*covered = false;
	*similar = NULL;
	int64_t id;
	if (g->id) {
		int rc = store_merchant_platform(st, g->source, g->id, &id, err);
		if (rc < 0)
			return -1;
		*covered = rc == 1;
	}
	for (size_t i = 0; i < n_ps && !*covered; i++) {
		for (size_t k = 0; k <= ps[i].n_aliases && !*covered; k++) {
			char *key = text_name_key(k ? ps[i].aliases[k - 1] : ps[i].name);
			if (!strcmp(key, g->name_key))
				*covered = true;
			else if (*key && strstr(g->name_key, key) && !*similar)
				*similar = ps[i].name;
			free(key);
		}
	}
	return 0;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct suggestion *x = a, *y = b;
	double sx = (double)x->severe / (double)x->complaints;
	double sy = (double)y->severe / (double)y->complaints;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (x->complaints != y->complaints)
		return x->complaints > y->complaints ? -1 : 1;
	if (x->newest != y->newest)
		return x->newest > y->newest ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Adds group g as a suggestion. */
static void
suggest(struct suggestions *out, const struct group *g, const struct complaint_list *hits,
	struct categorizer *cat, const char *because, const char *similar)
{
	out->items = xgrow(out->items, &out->cap, out->n + 1, sizeof(*out->items));
	struct suggestion *s = &out->items[out->n++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(g->name);
	int at = registry_find(g->source);
	s->source = at >= 0 ? registry[at].name : "?";
	s->merchant_id = xstrdup_or_null(g->id);
	s->because = because;
	s->similar_to = xstrdup_or_null(similar);
	s->complaints = g->n;
	for (size_t k = 0; k < g->n; k++) {
		const struct complaint *c = &hits->items[g->members[k]];
		enum category kind =
			categorizer_classify(cat, c->title, c->summary, c->issue, c->appeal);
		s->severe += kind == CAT_RUNAWAY || kind == CAT_FRAUD;
		if (c->filed_at >= s->newest) {
			s->newest = c->filed_at;
			free(s->evidence);
			s->evidence = xstrdup_or_null(c->url);
		}
	}
}

int
discover_suggest(struct store *st, const struct config *cfg, const struct complaint_list *hits,
		 size_t min_complaints, struct suggestions *out, char *err)
{
	memset(out, 0, sizeof(*out));
	struct discover_rules *rules = discover_rules_create(cfg, err);
	if (!rules)
		return -1;
	struct categorizer *cat = categorizer_create(&cfg->score, err);
	struct platform *ps = NULL;
	size_t n_ps = 0;
	int rc = cat && store_platform_list(st, 0, &ps, &n_ps, err) == 0 ? 0 : -1;
	struct group *groups = NULL;
	size_t n_groups = 0, cap_groups = 0;
	for (size_t i = 0; rc == 0 && i < hits->len; i++) {
		const struct complaint *c = &hits->items[i];
		if (!c->merchant_name || !*c->merchant_name) {
			out->unnamed++;
			continue;
		}
		struct group *g = group_of(&groups, &n_groups, &cap_groups, c);
		g->members = xgrow(g->members, &g->cap, g->n + 1, sizeof(*g->members));
		g->members[g->n++] = i;
	}
	for (size_t i = 0; rc == 0 && i < n_groups; i++) {
		const struct group *g = &groups[i];
		if (g->n < min_complaints)
			continue;
		const char **texts = xcalloc(g->n, sizeof(*texts));
		struct buf *bufs = xcalloc(g->n, sizeof(*bufs));
		for (size_t k = 0; k < g->n; k++) {
			const struct complaint *c = &hits->items[g->members[k]];
			buf_init(&bufs[k]);
			buf_printf(&bufs[k], "%s %s %s %s", c->title ? c->title : "",
				   c->summary ? c->summary : "", c->issue ? c->issue : "",
				   c->appeal ? c->appeal : "");
			texts[k] = buf_cstr(&bufs[k]);
		}
		const char *because;
		bool card = discover_is_card_platform(rules, g->name, texts, g->n, &because);
		for (size_t k = 0; k < g->n; k++)
			buf_finish(&bufs[k]);
		free(bufs);
		free(texts);
		bool covered;
		const char *similar;
		if (card && (rc = tracked(st, ps, n_ps, g, &covered, &similar, err)) == 0 && !covered)
			suggest(out, g, hits, cat, because, similar);
	}
	if (rc == 0 && out->n)
		qsort(out->items, out->n, sizeof(*out->items), rank_cmp);
	for (size_t i = 0; i < n_groups; i++) {
		free(groups[i].name_key);
		free(groups[i].members);
	}
	free(groups);
	platform_list_free(ps, n_ps);
	categorizer_destroy(cat);
	discover_rules_destroy(rules);
	if (rc < 0)
		suggestions_finish(out);
	return rc;
}

void
suggestions_finish(struct suggestions *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].name);
		free(s->items[i].merchant_id);
		free(s->items[i].evidence);
		free(s->items[i].similar_to);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static const char *const columns[] = {
	"name", "source", "merchant_id", "complaints", "severe", "newest", "evidence", "because",
	"similar_to",
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

/* csv or json through the report's table writers. */
static int
render_table(FILE *out, const struct table_format *f, const struct suggestions *s, bool bom)
{
	struct table_writer w = {.format = f, .out = out, .columns = columns,
				 .n_columns = N_COLUMNS, .bom = bom};
	if (f->begin(&w) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		const struct suggestion *g = &s->items[i];
		char count[24], severe[24], newest[21];
		snprintf(count, sizeof(count), "%zu", g->complaints);
		snprintf(severe, sizeof(severe), "%zu", g->severe);
		time_format_utc(g->newest, newest);
		struct cell cells[N_COLUMNS] = {
			{CELL_STRING, g->name},
			{CELL_STRING, g->source},
			{g->merchant_id ? CELL_STRING : CELL_NULL, g->merchant_id},
			{CELL_NUMBER, count},
			{CELL_NUMBER, severe},
			{CELL_STRING, newest},
			{g->evidence ? CELL_STRING : CELL_NULL, g->evidence},
			{CELL_STRING, g->because},
			{g->similar_to ? CELL_STRING : CELL_NULL, g->similar_to},
		};
		if (f->row(&w, cells) < 0)
			return -1;
	}
	return f->end(&w);
}

int
discover_render(FILE *out, const char *format, const struct suggestions *s,
		const char *const *failed, size_t n_failed, bool bom)
{
	if (strcmp(format, "text")) {
		const struct table_format *f = table_format_find(format);
		return f ? render_table(out, f, s, bom) : -1;
	}
	struct text_pool pool = {0};
	if (!s->n)
		fputs(n_failed ? _("no untracked card platform found in what could be read\n")
			       : _("no untracked card platform found\n"), out);
	for (size_t i = 0; i < s->n; i++) {
		const struct suggestion *g = &s->items[i];
		int at = registry_find(g->source);
		char newest[17];
		time_format_shanghai(g->newest, newest);
		fprintf(out, "%zu. %s  %s %s  ", i + 1, text_shown(&pool, g->name),
			at >= 0 ? registry[at].short_title : g->source,
			g->merchant_id ? g->merchant_id : _("(no id)"));
		fprintf(out, ngettext("%zu complaint, %zu runaway or fraud, newest %s\n",
				      "%zu complaints, %zu runaway or fraud, newest %s\n",
				      g->complaints),
			g->complaints, g->severe, newest);
		if (g->similar_to)
			fprintf(out, _("   named like tracked %s: an impostor or a sister shop?\n"),
				text_shown(&pool, g->similar_to));
		if (g->evidence)
			fprintf(out, "   %s\n", text_shown(&pool, g->evidence));
	}
	if (s->unnamed)
		fprintf(out, ngettext("%zu hit whose merchant was not read ([discover] max_details)\n",
				      "%zu hits whose merchant was not read ([discover] max_details)\n",
				      s->unnamed),
			s->unnamed);
	for (size_t i = 0; i < n_failed; i++)
		fprintf(out, _("not searched whole: %s (see the error above)\n"), failed[i]);
	text_pool_finish(&pool);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
