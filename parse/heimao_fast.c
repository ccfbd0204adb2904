/* The fast path of heimao_list_parse: a tokeniser marks where every value
 * is (no tree, no allocation per value), a checker proves the tokens are
 * exactly the JSON jansson would accept, and only the strings the record
 * needs are decoded.  Anything it does not handle the same way as jansson -
 * invalid JSON, reals (jansson's strtod), integers past 18 digits, escaped
 * keys, deep nesting - makes it decline, and heimao_list_parse asks jansson.
 * So a page gives the same records or the same failure either way
 * (tests/fuzz/fuzz_heimao_fast.c checks that). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "heimao_json.h"
#include "xalloc.h"

/* Nesting deeper than this is left to jansson (its own limit is 2048). */
#define MAX_DEPTH 512

enum tok_type { TOK_OBJECT = 1, TOK_ARRAY, TOK_STRING, TOK_PRIMITIVE };

/* One value of the text: [start, end) are its bytes (a string's without the
 * quotes); size is the number of keys of an object, of elements of an
 * array, 1 for a key (its value) and 0 otherwise. */
struct tok {
	enum tok_type type;
	int start, end, size;
};

struct fast {
	const char *js;
	struct tok *tok;
	int ntok;
	int *next;   /* index after each token's subtree */
	char *arena; /* decoded strings, never reallocated */
	size_t used, cap;
	unsigned char *seen; /* per token: its contents were checked while decoding */
	bool bad;            /* a decoded string is not one jansson accepts */
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
skip_ws(const char *s, size_t p, size_t end)
{
	while (p < end && is_ws(s[p]))
		p++;
	return p;
}

/* Hex digit values plus one; 0 for anything else. */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The 4 hex digits at s, or -1. */
static long
hex4(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int a = hex1[u[0]], b = hex1[u[1]], c = hex1[u[2]], d = hex1[u[3]];
	if (!a || !b || !c || !d)
		return -1;
	return (long)(((a - 1) << 12) | ((b - 1) << 8) | ((c - 1) << 4) | (d - 1));
}

/* Checks the contents of a string token the way jansson's lexer does: no
 * control character, only the JSON escapes, \u surrogates in pairs.  The
 * text is already valid UTF-8.  true when jansson would accept it. */
static bool
string_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (++i >= len)
			return false;
		switch (s[i]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			break;
		case 'u': {
			if (len - i < 5)
				return false;
			long v = hex4(s + i + 1);
			if (v < 0)
				return false;
			i += 4;
			if (v >= 0xDC00 && v <= 0xDFFF)
				return false;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (len - i < 7 || s[i + 1] != '\\' || s[i + 2] != 'u')
					return false;
				long w = hex4(s + i + 3);
				if (w < 0xDC00 || w > 0xDFFF)
					return false;
				i += 6;
			}
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

/* A primitive jansson reads the same way: true, false, null, or an integer
 * of at most 18 digits (no fraction or exponent: those are reals, left to
 * jansson's strtod). */
static bool
primitive_ok(const char *s, size_t len)
{
	if ((len == 4 && !memcmp(s, "true", 4)) || (len == 5 && !memcmp(s, "false", 5)) ||
	    (len == 4 && !memcmp(s, "null", 4)))
		return true;
	size_t i = 0;
	if (i < len && s[i] == '-')
		i++;
	if (i == len || len - i > 18)
		return false;
	if (s[i] == '0')
		return len - i == 1;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Position where token t's text starts (its opening quote for a string). */
static size_t
tok_begin(const struct tok *t)
{
	return (size_t)t->start - (t->type == TOK_STRING);
}

static size_t
tok_finish(const struct tok *t)
{
	return (size_t)t->end + (t->type == TOK_STRING);
}

/* Proves that token i and its subtree are exactly the JSON text they span:
 * every byte is a bracket, a separator in its place, white space or part of a
 * checked value (string contents are checked afterwards, see
 * heimao_fast_list).  Fills f->next.  Returns the index after the subtree, or -1
 * (not JSON as jansson reads it, or not handled). */
static int
check(struct fast *f, int i, int depth, bool key)
{
	if (i >= f->ntok || depth > MAX_DEPTH)
		return -1;
	const struct tok *t = &f->tok[i];
	const char *s = f->js;
	if (t->start < 0 || t->end < t->start)
		return -1;
	switch (t->type) {
	case TOK_STRING:
		/* The contents are checked later, once: while decoding the strings
		 * the record needs, by string_ok for the rest. */
		if (t->size != (key ? 1 : 0))
			return -1;
		if (key && memchr(s + t->start, '\\', (size_t)(t->end - t->start)))
			return -1; /* an escaped key: jansson compares it decoded */
		f->next[i] = i + 1;
		return i + 1;
	case TOK_PRIMITIVE:
		if (t->size != 0 || !primitive_ok(s + t->start, (size_t)(t->end - t->start)))
			return -1;
		f->next[i] = i + 1;
		return i + 1;
	case TOK_OBJECT:
	case TOK_ARRAY:
		break;
	default:
		return -1;
	}
	bool obj = t->type == TOK_OBJECT;
	size_t end = (size_t)t->end - 1; /* the closing bracket */
	if (s[t->start] != (obj ? '{' : '[') || s[end] != (obj ? '}' : ']'))
		return -1;
	size_t p = (size_t)t->start + 1;
	int j = i + 1;
	for (int k = 0; k < t->size; k++) {
		p = skip_ws(s, p, end);
		if (k > 0) {
			if (p >= end || s[p] != ',')
				return -1;
			p = skip_ws(s, p + 1, end);
		}
		if (obj) {
			if (j >= f->ntok || f->tok[j].type != TOK_STRING ||
			    tok_begin(&f->tok[j]) != p)
				return -1;
			p = tok_finish(&f->tok[j]);
			if ((j = check(f, j, depth + 1, true)) < 0)
				return -1;
			p = skip_ws(s, p, end);
			if (p >= end || s[p] != ':')
				return -1;
			p = skip_ws(s, p + 1, end);
		}
		if (j >= f->ntok || tok_begin(&f->tok[j]) != p)
			return -1;
		p = tok_finish(&f->tok[j]);
		if ((j = check(f, j, depth + 1, false)) < 0)
			return -1;
	}
	if (skip_ws(s, p, end) != end)
		return -1;
	f->next[i] = j;
	return j;
}

/* The value of key in object i (the last one when repeated, as jansson
 * keeps it), or -1. */
static int
get(const struct fast *f, int i, const char *key)
{
	if (i < 0 || f->tok[i].type != TOK_OBJECT)
		return -1;
	size_t klen = strlen(key);
	int found = -1, j = i + 1;
	for (int k = 0; k < f->tok[i].size; k++) {
		const struct tok *t = &f->tok[j];
		if ((size_t)(t->end - t->start) == klen && !memcmp(f->js + t->start, key, klen))
			found = j + 1;
		j = f->next[j + 1];
	}
	return found;
}

/* Decodes a string into the arena (NUL-terminated), checking it as
 * string_ok does; NULL when jansson would refuse it. */
static const char *
decode(struct fast *f, const char *s, size_t len, size_t *out_len)
{
	char *out = f->arena + f->used, *o = out;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++) {
		/* The common escape first: \uXXXX of a character from U+0800 up
		 * that is not a surrogate (CJK text is nearly all of it). */
		if (u[i] == '\\' && len - i >= 6 && u[i + 1] == 'u') {
			unsigned a = hex1[u[i + 2]], b = hex1[u[i + 3]], c = hex1[u[i + 4]],
				 d = hex1[u[i + 5]];
			if (a && b && c && d) {
				unsigned cp = ((a - 1) << 12) | ((b - 1) << 8) | ((c - 1) << 4) | (d - 1);
				if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
					*o++ = (char)(0xE0 | (cp >> 12));
					*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
					*o++ = (char)(0x80 | (cp & 0x3F));
					i += 5;
					continue;
				}
			}
		}
		char c = s[i];
		if ((unsigned char)c < 0x20)
			return NULL;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		if (++i >= len)
			return NULL;
		c = s[i];
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			if (len - i < 5)
				return NULL;
			long v = hex4(s + i + 1);
			if (v < 0 || (v >= 0xDC00 && v <= 0xDFFF))
				return NULL;
			unsigned long cp = (unsigned long)v;
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (len - i < 7 || s[i + 1] != '\\' || s[i + 2] != 'u')
					return NULL;
				long lo = hex4(s + i + 3);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
				i += 6;
			}
			if (cp < 0x80) {
				*o++ = (char)cp;
			} else if (cp < 0x800) {
				*o++ = (char)(0xC0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				*o++ = (char)(0xE0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*o++ = (char)(0xF0 | (cp >> 18));
				*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		case '"': case '\\': case '/':
			*o++ = c;
			break;
		default:
			return NULL;
		}
	}
	*o++ = '\0';
	*out_len = (size_t)(o - out) - 1;
	f->used += (size_t)(o - out);
	return out;
}

/* Token i as the rules read it. */
static struct jv
value(struct fast *f, int i)
{
	struct jv r = {0};
	if (i < 0)
		return r;
	const struct tok *t = &f->tok[i];
	const char *s = f->js + t->start;
	size_t len = (size_t)(t->end - t->start);
	switch (t->type) {
	case TOK_OBJECT: r.t = JV_OBJ; break;
	case TOK_ARRAY: r.t = JV_ARR; break;
	case TOK_STRING:
		r.t = JV_STR;
		f->seen[i] = 1;
		r.s = decode(f, s, len, &r.len);
		if (!r.s) {
			f->bad = true;
			r.s = "";
			r.len = 0;
		}
		break;
	case TOK_PRIMITIVE:
		if (s[0] == 't') {
			r.t = JV_TRUE;
		} else if (s[0] == 'f') {
			r.t = JV_FALSE;
		} else if (s[0] == 'n') {
			r.t = JV_NULL;
		} else {
			r.t = JV_INT;
			bool neg = s[0] == '-';
			int64_t v = 0;
			for (size_t k = neg; k < len; k++)
				v = v * 10 + (s[k] - '0');
			r.i = neg ? -v : v;
		}
		break;
	default:
		break;
	}
	return r;
}

static void
item_of(struct fast *f, int item, struct heimao_item *it)
{
	int m = get(f, item, "main");
	it->sn = value(f, get(f, m, "sn"));
	it->couid = value(f, get(f, m, "couid"));
	it->cotitle = value(f, get(f, m, "cotitle"));
	it->title = value(f, get(f, m, "title"));
	it->summary = value(f, get(f, m, "summary"));
	it->issue = value(f, get(f, m, "issue"));
	it->appeal = value(f, get(f, m, "appeal"));
	it->cost = value(f, get(f, m, "cost"));
	it->status = value(f, get(f, m, "status"));
	it->timestamp = value(f, get(f, m, "timestamp"));
	it->created_at = value(f, get(f, m, "created_at"));
	it->url = value(f, get(f, m, "url"));
	it->satisfaction = value(f, get(f, get(f, m, "evaluate_u"), "satisfaction"));
	it->nick = value(f, get(f, get(f, item, "author"), "title"));
}

static bool
is_array_or_null(const struct fast *f, int i)
{
	if (i < 0)
		return false;
	const struct tok *t = &f->tok[i];
	return t->type == TOK_ARRAY ||
	       (t->type == TOK_PRIMITIVE && f->js[t->start] == 'n');
}

/* The bytes a string's scan stops at: its end and escapes. */
static const unsigned char str_stop[256] = {['"'] = 1, ['\\'] = 1};
/* The bytes that end a number or literal. */
static const unsigned char prim_stop[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, [']'] = 1, ['}'] = 1,
};

/* A new token; the array grows as needed. */
static struct tok *
new_tok(struct fast *f, size_t *cap, enum tok_type type, int start)
{
	if ((size_t)f->ntok == *cap) {
		*cap *= 2;
		f->tok = xrealloc(f->tok, *cap * sizeof(*f->tok));
	}
	struct tok *t = &f->tok[f->ntok++];
	t->type = type;
	t->start = start;
	t->end = -1;
	t->size = 0;
	return t;
}

/* Tokenises the value at the start of js[0..n) (an object or an array) and
 * stops where it ends.  It only finds where the values are: check() then
 * proves the tokens are the text, and the string contents are checked when
 * decoded (or by string_ok).  The root's token count, or -1 when the text
 * is not one it tokenises (not JSON, unclosed, nested past MAX_DEPTH). */
static int
tokenise(struct fast *f, const char *js, size_t n)
{
	size_t cap = n / 24 + 64;
	f->tok = xmalloc(cap * sizeof(*f->tok));
	f->ntok = 0;
	int stack[MAX_DEPTH + 1];
	int depth = 0;
	int super = -1; /* the token the next value belongs to: a container or a key */
	if (n == 0 || (js[0] != '{' && js[0] != '['))
		return -1;
	for (size_t p = 0; p < n; p++) {
		char c = js[p];
		switch (c) {
		case '{':
		case '[':
			if (depth > MAX_DEPTH - 1)
				return -1;
			if (super >= 0)
				f->tok[super].size++;
			new_tok(f, &cap, c == '{' ? TOK_OBJECT : TOK_ARRAY, (int)p);
			super = stack[depth++] = f->ntok - 1;
			break;
		case '}':
		case ']': {
			if (depth == 0)
				return -1;
			struct tok *t = &f->tok[stack[--depth]];
			if (t->type != (c == '}' ? TOK_OBJECT : TOK_ARRAY))
				return -1;
			t->end = (int)p + 1;
			if (depth == 0)
				return f->ntok;
			super = stack[depth - 1];
			break;
		}
		case '"': {
			size_t q = p + 1;
			for (;;) {
				while (q < n && !str_stop[(unsigned char)js[q]])
					q++;
				if (q >= n)
					return -1;
				if (js[q] == '"')
					break;
				/* An escape: its next byte is never the end.  \uXXXX is
				 * passed whole; were one of the four not a hex digit
				 * (a quote, say), the string is one jansson refuses and
				 * its check declines the page, however it was cut. */
				q += q + 1 < n && js[q + 1] == 'u' ? 6 : 2;
			}
			if (super >= 0)
				f->tok[super].size++;
			struct tok *t = new_tok(f, &cap, TOK_STRING, (int)p + 1);
			t->end = (int)q;
			p = q;
			break;
		}
		case ':':
			if (f->ntok == 0 || f->tok[f->ntok - 1].type != TOK_STRING)
				return -1;
			super = f->ntok - 1;
			break;
		case ',':
			if (depth == 0)
				return -1;
			super = stack[depth - 1];
			break;
		case ' ':
		case '\t':
		case '\n':
		case '\r':
			break;
		case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6':
		case '7': case '8': case '9': case 't': case 'f': case 'n': {
			size_t q = p;
			while (q < n && !prim_stop[(unsigned char)js[q]])
				q++;
			if (super >= 0)
				f->tok[super].size++;
			struct tok *t = new_tok(f, &cap, TOK_PRIMITIVE, (int)p);
			t->end = (int)q;
			p = q - 1;
			break;
		}
		default:
			return -1;
		}
	}
	return -1; /* the root never closed */
}

/* The list page from the tokens; 1 done, 0 declined (see heimao_json.h). */
int
heimao_fast_list(const char *json, size_t n, bool eof_check, heimao_view_fn to_records,
		 struct list_page *out, int *rc, char *err)
{
	if (n == 0 || n > INT_MAX / 2)
		return 0;
	struct fast f = {.js = json};
	int done = 0;
	struct heimao_list_view v = {0};
	if (tokenise(&f, json, n) < 0)
		goto out;
	f.next = xmalloc((size_t)f.ntok * sizeof(*f.next));
	f.seen = xcalloc((size_t)f.ntok, 1);
	if (check(&f, 0, 0, false) < 0)
		goto out;
	if (eof_check && skip_ws(json, (size_t)f.tok[0].end, n) != n)
		goto out;
	f.cap = n + 1;
	f.arena = xmalloc(f.cap);

	int result = get(&f, 0, "result");
	int status = get(&f, result, "status");
	v.code = value(&f, get(&f, status, "code"));
	v.msg = value(&f, get(&f, status, "msg"));
	int data = get(&f, result, "data");
	int pager = get(&f, data, "pager");
	v.current = value(&f, get(&f, pager, "current"));
	v.next = value(&f, get(&f, pager, "next"));
	v.page_amount = value(&f, get(&f, pager, "page_amount"));
	v.item_count = value(&f, get(&f, pager, "item_count"));
	int items = get(&f, data, "complaints");
	if (!is_array_or_null(&f, items))
		items = get(&f, data, "lists");
	if (items >= 0 && f.tok[items].type == TOK_ARRAY) {
		v.items = 2;
		v.n_items = (size_t)f.tok[items].size;
		v.item = xcalloc(v.n_items ? v.n_items : 1, sizeof(*v.item));
		int j = items + 1;
		for (size_t k = 0; k < v.n_items; k++) {
			item_of(&f, j, &v.item[k]);
			j = f.next[j];
		}
	} else if (is_array_or_null(&f, items)) {
		v.items = 1;
	}
	/* Every string jansson would read, not only the decoded ones. */
	for (int i = 0; i < f.next[0] && !f.bad; i++)
		if (f.tok[i].type == TOK_STRING && !f.seen[i] &&
		    !string_ok(json + f.tok[i].start, (size_t)(f.tok[i].end - f.tok[i].start)))
			f.bad = true;
	if (f.bad)
		goto out;
	*rc = to_records(&v, out, err);
	done = 1;
out:
	free(v.item);
	free(f.arena);
	free(f.seen);
	free(f.next);
	free(f.tok);
	return done;
}
