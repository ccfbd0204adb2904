/* SHA256_Init & co. without deprecation warnings (they are in OpenSSL 3). */
#define OPENSSL_API_COMPAT 10101
#include "text.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	if (len == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	if (cp)
		*cp = v;
	return n;
}

void
utf8_encode(struct buf *out, uint32_t cp)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	buf_append(out, b, n);
}

void
text_utf8_repair(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	while (i < len) {
		size_t n = utf8_decode(u + i, len - i, NULL);
		if (n) {
			i += n;
			continue;
		}
		buf_append(out, s + run, i - run);
		buf_append(out, "\xEF\xBF\xBD", 3);
		i++;
		run = i;
	}
	buf_append(out, s + run, len - run);
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len) {
		/* ASCII eight bytes at a time: JSON with \uXXXX escapes is all
		 * ASCII, and this runs over every page kmrep reads. */
		while (len >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ULL)
				break;
			p += 8, len -= 8;
		}
		if (!len)
			break;
		if (*p < 0x80) {
			p++, len--;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (!n)
			return false;
		p += n, len -= n;
	}
	return true;
}

static uint32_t
fold_cp(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFF01 + 0x21;
	switch (cp) {
	case 0x3000: /* ideographic space */
	case 0x00A0: /* no-break space, what &nbsp; decodes to */
	case 0x2002: case 0x2003: case 0x2009: case 0x200A:
		return ' ';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
		return '-';
	case 0xFE58: case 0xFE63:
		return '-';
	default:
		return cp;
	}
}

void
text_fold(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	/* Characters that fold to themselves are copied in runs, not one by
	 * one: that is nearly all of them. */
	const unsigned char *run = p;
	while (len) {
		if (*p < 0x80) {
			p++, len--;
			continue;
		}
		/* U+4000..U+9FFF (E4..E9 and two continuation bytes): CJK, never
		 * folded, never overlong or a surrogate. */
		if (*p >= 0xE4 && *p <= 0xE9 && len >= 3 && (p[1] & 0xC0) == 0x80 &&
		    (p[2] & 0xC0) == 0x80) {
			p += 3, len -= 3;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (n && cp != 0x200B && cp != 0xFEFF && fold_cp(cp) == cp) {
			p += n, len -= n;
			continue;
		}
		buf_append(out, run, (size_t)(p - run));
		if (!n) {
			utf8_encode(out, 0xFFFD);
			n = 1;
		} else if (cp != 0x200B && cp != 0xFEFF) {
			/* zero-width space and BOM carry nothing */
			utf8_encode(out, fold_cp(cp));
		}
		p += n, len -= n;
		run = p;
	}
	buf_append(out, run, (size_t)(p - run));
}

char *
text_name_key(const char *s)
{
	struct buf folded, key;
	buf_init(&folded);
	buf_init(&key);
	text_fold(&folded, s, strlen(s));
	for (const char *p = buf_cstr(&folded); *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isspace(c) || c == '.' || c == '-' || c == '_')
			continue;
		if (c == 0xC2 && (unsigned char)p[1] == 0xB7) { /* U+00B7 middle dot */
			p++;
			continue;
		}
		buf_putc(&key, (char)tolower(c));
	}
	buf_finish(&folded);
	return buf_steal(&key);
}

static bool
is_space_at(const unsigned char *p, size_t *n)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
		*n = 1;
		return true;
	}
	if (p[0] == 0xC2 && p[1] == 0xA0) {
		*n = 2;
		return true;
	}
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
		*n = 3;
		return true;
	}
	return false;
}

char *
text_trim(char *s)
{
	size_t n;
	unsigned char *start = (unsigned char *)s;
	while (*start && is_space_at(start, &n))
		start += n;
	size_t len = strlen((char *)start);
	if (start != (unsigned char *)s)
		memmove(s, start, len + 1);
	/* Trailing spaces from the end.  C2 and E3 are lead bytes, never
	 * continuation bytes, so "C2 A0" and "E3 80 80" at the end are always
	 * whole characters. */
	unsigned char *u = (unsigned char *)s;
	for (;;) {
		if (len && (u[len - 1] == ' ' || (u[len - 1] >= '\t' && u[len - 1] <= '\r')))
			len--;
		else if (len >= 2 && u[len - 2] == 0xC2 && u[len - 1] == 0xA0)
			len -= 2;
		else if (len >= 3 && u[len - 3] == 0xE3 && u[len - 2] == 0x80 && u[len - 1] == 0x80)
			len -= 3;
		else
			break;
	}
	u[len] = '\0';
	return s;
}

void
sha256_hex(const void *data, size_t len, char out[static 65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	/* The low-level calls: OpenSSL 3's SHA256() fetches the algorithm on
	 * every call, several times the cost of hashing a nickname. */
	SHA256_CTX ctx;
	SHA256_Init(&ctx);
	SHA256_Update(&ctx, data, len);
	SHA256_Final(md, &ctx);
	for (size_t i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/* East Asian Wide and Fullwidth ranges (UAX #11), enough for Chinese text.
 * Not wcwidth(3): it follows LC_CTYPE, and under cron's C locale it counts
 * every Chinese character as unprintable. */
static int
wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	       (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t
text_display_width(const char *s)
{
	size_t width;
	text_fit_columns(s, SIZE_MAX, &width);
	return width;
}

size_t
text_fit_columns(const char *s, size_t columns, size_t *width)
{
	size_t w = 0, len = strlen(s), used = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (used < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + used, len - used, &cp);
		if (!n)
			n = 1, cp = 0xFFFD;
		size_t cw = wide(cp) ? 2 : 1;
		if (w + cw > columns)
			break;
		w += cw, used += n;
	}
	if (width)
		*width = w;
	return used;
}

/* What a terminal would obey rather than print: C0, DEL, C1 and the bidi
 * controls that reorder or override the direction of what follows. */
static bool
display_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
	       cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool
display_kept(uint32_t cp, enum text_display how)
{
	if (!display_control(cp))
		return true;
	if (how == TEXT_DISPLAY_CELL)
		return cp == '\t' || cp == '\n';
	if (how == TEXT_DISPLAY_JSON)
		return cp < 0x20; /* jansson escapes these inside strings already */
	return false;
}

bool
text_display_clean(const char *s, size_t len, enum text_display how)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len) {
		if (*p >= 0x20 && *p < 0x7F) {
			p++, len--;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (!n || !display_kept(cp, how))
			return false;
		p += n, len -= n;
	}
	return true;
}

void
text_sanitize_display(struct buf *out, const char *s, size_t len, enum text_display how)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len) {
		size_t run = 0;
		while (run < len && p[run] >= 0x20 && p[run] < 0x7F)
			run++;
		if (run) {
			buf_append(out, p, run);
			p += run, len -= run;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (!n) {
			utf8_encode(out, 0xFFFD);
			p++, len--;
			continue;
		}
		if (display_kept(cp, how)) {
			buf_append(out, p, n);
		} else if (how == TEXT_DISPLAY_JSON) {
			buf_printf(out, "\\u%04x", (unsigned)cp);
		} else if (cp == '\t') {
			buf_puts(out, "\\t");
		} else if (cp == '\n') {
			buf_puts(out, "\\n");
		} else if (cp == '\r') {
			buf_puts(out, "\\r");
		} else if (cp < 0x80) {
			buf_printf(out, "\\x%02x", (unsigned)cp);
		} else {
			buf_printf(out, "\\u%04x", (unsigned)cp);
		}
		p += n, len -= n;
	}
}

const char *
text_shown(struct text_pool *pool, const char *s)
{
	if (!s || text_display_clean(s, strlen(s), TEXT_DISPLAY_LINE))
		return s;
	struct buf b;
	buf_init(&b);
	text_sanitize_display(&b, s, strlen(s), TEXT_DISPLAY_LINE);
	pool->v = xgrow(pool->v, &pool->cap, pool->n + 1, sizeof(*pool->v));
	pool->v[pool->n] = buf_steal(&b);
	return pool->v[pool->n++];
}

void
text_pool_finish(struct text_pool *pool)
{
	for (size_t i = 0; i < pool->n; i++)
		free(pool->v[i]);
	free(pool->v);
	pool->v = NULL;
	pool->n = pool->cap = 0;
}

void
buf_append_text(struct buf *out, const char *s, size_t len)
{
	while (len) {
		const char *nul = memchr(s, '\0', len);
		size_t n = nul ? (size_t)(nul - s) : len;
		buf_append(out, s, n);
		s += n, len -= n;
		if (nul) {
			utf8_encode(out, 0xFFFD);
			s++, len--;
		}
	}
}
