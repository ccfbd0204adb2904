#include "dedupe.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "text.h"
#include "xalloc.h"

/* A normalised text: its code points and its sorted, unique trigram hashes. */
struct norm {
	uint32_t *cp;
	size_t n_cp;
	uint64_t *grams;
	size_t n_grams;
	bool truncated; /* the summary ends in "..." or "…": the site cut it */
};

static int
is_dropped(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
			 (cp >= 'A' && cp <= 'Z'));
	return (cp >= 0x2000 && cp <= 0x206F) || /* general punctuation, … */
	       (cp >= 0x3000 && cp <= 0x303F) || /* CJK punctuation 、。「」 */
	       (cp >= 0xFE30 && cp <= 0xFE6F) || /* compatibility forms */
	       (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	       cp == 0x00A0 || cp == 0x00B7 || cp == 0xFFFD;
}

/* Decodes valid UTF-8 (text_fold's output) one code point at a time. */
static size_t
next_cp(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (n > len)
		n = len;
	uint32_t v = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (s[i] & 0x3Fu);
	*cp = v;
	return n;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void norm_grams(struct norm *nm);

static void
norm_init(struct norm *nm, const char *title, const char *summary)
{
	struct buf folded;
	buf_init(&folded);
	if (title)
		text_fold(&folded, title, strlen(title));
	if (summary)
		text_fold(&folded, summary, strlen(summary));
	memset(nm, 0, sizeof(*nm));
	nm->cp = xcalloc(folded.len + 1, sizeof(*nm->cp));
	const unsigned char *s = (const unsigned char *)buf_cstr(&folded);
	size_t len = folded.len;
	while (len) {
		uint32_t cp;
		size_t k = next_cp(s, len, &cp);
		s += k, len -= k;
		if (is_dropped(cp))
			continue;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		nm->cp[nm->n_cp++] = cp;
	}
	buf_finish(&folded);
	size_t n = summary ? strlen(summary) : 0;
	while (n && strchr(" \t\r\n", summary[n - 1]))
		n--;
	nm->truncated = (n >= 3 && !memcmp(summary + n - 3, "...", 3)) ||
			(n >= 3 && !memcmp(summary + n - 3, "\xE2\x80\xA6", 3));
	norm_grams(nm);
}

/* The sorted, unique trigram hashes of nm's code points. */
static void
norm_grams(struct norm *nm)
{
	if (!nm->n_cp)
		return;
	size_t n_grams = nm->n_cp >= 3 ? nm->n_cp - 2 : 1;
	nm->grams = xcalloc(n_grams, sizeof(*nm->grams));
	for (size_t i = 0; i < n_grams; i++) {
		uint64_t h = 1469598103934665603ULL; /* FNV-1a over the code points */
		for (size_t j = i; j < i + 3 && j < nm->n_cp; j++) {
			h ^= nm->cp[j];
			h *= 1099511628211ULL;
		}
		nm->grams[i] = h;
	}
	qsort(nm->grams, n_grams, sizeof(*nm->grams), u64_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n_grams; i++)
		if (i == 0 || nm->grams[i] != nm->grams[u - 1])
			nm->grams[u++] = nm->grams[i];
	nm->n_grams = u;
}

static void
norm_finish(struct norm *nm)
{
	free(nm->cp);
	free(nm->grams);
}

static double
norm_similarity(const struct norm *a, const struct norm *b)
{
	if (!a->n_cp || !b->n_cp)
		return 0.0;
	if (a->n_cp == b->n_cp && !memcmp(a->cp, b->cp, a->n_cp * sizeof(*a->cp)))
		return 1.0;
	size_t i = 0, j = 0, both = 0;
	while (i < a->n_grams && j < b->n_grams) {
		if (a->grams[i] == b->grams[j])
			both++, i++, j++;
		else if (a->grams[i] < b->grams[j])
			i++;
		else
			j++;
	}
	return (double)both / (double)(a->n_grams + b->n_grams - both);
}

/* As norm_similarity, but a text the site cut short is compared with as
 * much of the other as it kept: one site's list shows the first few hundred
 * characters of a story the other shows whole. */
static double
text_similarity(const struct norm *a, const struct norm *b)
{
	if (b->truncated && (!a->truncated || a->n_cp > b->n_cp)) {
		const struct norm *t = a;
		a = b, b = t;
	}
	/* A cut text this short would match too much. */
	if (!a->truncated || b->n_cp <= a->n_cp || a->n_cp < 20)
		return norm_similarity(a, b);
	struct norm prefix = {.cp = b->cp, .n_cp = a->n_cp};
	norm_grams(&prefix);
	double sim = norm_similarity(a, &prefix);
	free(prefix.grams);
	return sim;
}

double
dedupe_similarity(const char *a, const char *b)
{
	struct norm x, y;
	norm_init(&x, a, NULL);
	norm_init(&y, b, NULL);
	double s = norm_similarity(&x, &y);
	norm_finish(&x);
	norm_finish(&y);
	return s;
}

static int
nullable_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* qsort has no context argument: sort pointers to the records instead, with
 * their index beside them. */
struct ref {
	const struct dedupe_record *r;
	size_t index;
};

static int
exact_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = nullable_cmp(x->r->platform, y->r->platform);
	if (!c)
		c = nullable_cmp(x->r->complaint->source, y->r->complaint->source);
	if (!c)
		c = nullable_cmp(x->r->source_id, y->r->source_id);
	if (!c)
		c = x->index < y->index ? -1 : x->index > y->index;
	return c;
}

static int
time_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = nullable_cmp(x->r->platform, y->r->platform);
	if (!c) {
		int64_t tx = x->r->complaint->filed_at, ty = y->r->complaint->filed_at;
		c = tx < ty ? -1 : tx > ty;
	}
	if (!c)
		c = x->index < y->index ? -1 : x->index > y->index;
	return c;
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
dedupe_mark(struct dedupe_record *recs, size_t n, char *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!recs[i].complaint)
			return set_err(err, "dedupe: record %zu has no complaint", i);
		recs[i].dup_of = DEDUPE_NONE;
		recs[i].exact = 0;
	}
	if (n < 2)
		return 0;
	int marked = 0;
	struct ref *refs = xcalloc(n, sizeof(*refs));

	/* Exact: same platform, source and source id. */
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct ref){&recs[i], i};
	qsort(refs, n, sizeof(*refs), exact_cmp);
	for (size_t i = 1, keep = 0; i < n; i++) {
		const struct dedupe_record *a = refs[keep].r, *b = refs[i].r;
		if (b->source_id && a->source_id && !nullable_cmp(a->platform, b->platform) &&
		    !nullable_cmp(a->complaint->source, b->complaint->source) &&
		    !strcmp(a->source_id, b->source_id)) {
			recs[refs[i].index].dup_of = refs[keep].index;
			recs[refs[i].index].exact = 1;
			marked++;
		} else {
			keep = i;
		}
	}

	/* Source numbers for the "absorbs one per source" bitmask. */
	const char **names = xcalloc(n, sizeof(*names));
	size_t n_names = 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i].complaint->source)
			names[n_names++] = recs[i].complaint->source;
	qsort(names, n_names, sizeof(*names), str_ptr_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n_names; i++)
		if (u == 0 || strcmp(names[i], names[u - 1]))
			names[u++] = names[i];
	n_names = u;

	/* Cross-source: sort the dated, still unmarked records by platform and
	 * time; compare each with the later ones inside the window. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i].dup_of == DEDUPE_NONE && recs[i].complaint->filed_at != 0)
			refs[m++] = (struct ref){&recs[i], i};
	qsort(refs, m, sizeof(*refs), time_cmp);
	struct norm *norms = xcalloc(n, sizeof(*norms));
	unsigned char *normed = xcalloc(n, 1);
	uint64_t *absorbed = xcalloc(n, sizeof(*absorbed));
	for (size_t i = 0; i < m; i++) {
		size_t ai = refs[i].index;
		const struct dedupe_record *a = refs[i].r;
		if (a->dup_of != DEDUPE_NONE)
			continue;
		for (size_t j = i + 1; j < m; j++) {
			size_t bi = refs[j].index;
			const struct dedupe_record *b = refs[j].r;
			if (nullable_cmp(a->platform, b->platform) ||
			    b->complaint->filed_at - a->complaint->filed_at > DEDUPE_WINDOW_S)
				break;
			const char *sa = a->complaint->source, *sb = b->complaint->source;
			if (b->dup_of != DEDUPE_NONE || !sa || !sb || !strcmp(sa, sb))
				continue;
			int64_t xa = a->complaint->amount_fen, xb = b->complaint->amount_fen;
			if (xa >= 0 && xb >= 0 && xa != xb)
				continue;
			const char **hit = bsearch(&sb, names, n_names, sizeof(*names), str_ptr_cmp);
			uint64_t bit = 1ULL << ((size_t)(hit - names) % 64);
			if (absorbed[ai] & bit)
				continue;
			if (!normed[ai])
				norm_init(&norms[ai], a->title, a->summary), normed[ai] = 1;
			if (!normed[bi])
				norm_init(&norms[bi], b->title, b->summary), normed[bi] = 1;
			if (text_similarity(&norms[ai], &norms[bi]) >= DEDUPE_SIMILARITY) {
				recs[bi].dup_of = ai;
				absorbed[ai] |= bit;
				marked++;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (normed[i])
			norm_finish(&norms[i]);
	free(norms);
	free(normed);
	free(absorbed);
	free(names);
	free(refs);
	return marked;
}
