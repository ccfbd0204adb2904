#include "heimao.h"
#include "heimao_json.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

#define CODE_LOGIN_REQUIRED 10005
#define CODE_PAGE_LIMIT 10017
/* Longest decimal id accepted (sn and couid have 7-11 digits today). */
#define MAX_ID_DIGITS 24


enum complaint_status
heimao_status_normalise(int raw)
{
	switch (raw) {
	case 1:
	case 3:
	case 4:
		return STATUS_UNANSWERED;
	case 6:
		return STATUS_ANSWERED;
	case 7:
		return STATUS_RESOLVED;
	case 8:
		return STATUS_CLOSED;
	default:
		return STATUS_UNKNOWN;
	}
}

/* ---- bytes and text ---------------------------------------------------- */

static bool
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Trims ASCII space, U+00A0 and U+3000 from both ends of s[*start..*end). */
static void
trim_span(const char *s, size_t *start, size_t *end)
{
	for (;;) {
		if (*start < *end && is_ascii_space(s[*start]))
			(*start)++;
		else if (*end - *start >= 2 && !memcmp(s + *start, "\xC2\xA0", 2))
			*start += 2;
		else if (*end - *start >= 3 && !memcmp(s + *start, "\xE3\x80\x80", 3))
			*start += 3;
		else
			break;
	}
	for (;;) {
		if (*end > *start && is_ascii_space(s[*end - 1]))
			(*end)--;
		else if (*end - *start >= 2 && !memcmp(s + *end - 2, "\xC2\xA0", 2))
			*end -= 2;
		else if (*end - *start >= 3 && !memcmp(s + *end - 3, "\xE3\x80\x80", 3))
			*end -= 3;
		else
			break;
	}
}


/* ASCII-case-insensitive search for needle in s[0..len). */
static bool
contains_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0 || n > len)
		return n == 0;
	char first = (char)(needle[0] | 0x20);
	for (size_t i = 0; i + n <= len; i++) {
		if ((char)(s[i] | 0x20) != first && s[i] != needle[0])
			continue;
		if (!strncasecmp(s + i, needle, n))
			return true;
	}
	return false;
}

static bool
contains(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle)) != NULL;
}

/* Frees an empty string and returns NULL; returns s otherwise. */
static char *
null_if_empty(char *s)
{
	if (s && !*s) {
		free(s);
		return NULL;
	}
	return s;
}

int64_t
heimao_yuan_to_fen(const char *s, size_t len)
{
	size_t i = 0, end = len;
	trim_span(s, &i, &end);
	/* An optional currency sign before and 元 after. */
	if (end - i >= 2 && !memcmp(s + i, "\xC2\xA5", 2))
		i += 2;
	else if (end - i >= 3 && !memcmp(s + i, "\xEF\xBF\xA5", 3))
		i += 3;
	if (end - i >= 3 && !memcmp(s + end - 3, "\xE5\x85\x83", 3))
		end -= 3;
	trim_span(s, &i, &end);
	int64_t yuan = 0, fen = 0;
	int int_digits = 0, frac_digits = 0, round_up = 0;
	while (i < end && is_digit(s[i])) {
		if (++int_digits > 15)
			return -1;
		yuan = yuan * 10 + (s[i++] - '0');
	}
	if (i < end && s[i] == '.') {
		i++;
		while (i < end && is_digit(s[i])) {
			if (frac_digits < 2)
				fen = fen * 10 + (s[i] - '0');
			else if (frac_digits == 2)
				round_up = s[i] >= '5';
			frac_digits++;
			i++;
		}
	}
	if (i != end || (int_digits == 0 && frac_digits == 0))
		return -1;
	if (frac_digits == 1)
		fen *= 10;
	return yuan * 100 + fen + round_up;
}

/* ---- JSON values ------------------------------------------------------- */

/* Parses a decimal integer (optionally signed, surrounded by space). */
static bool
parse_int64_text(const char *s, size_t len, int64_t *out)
{
	size_t i = 0, end = len;
	trim_span(s, &i, &end);
	bool neg = false;
	if (i < end && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == end || end - i > 18)
		return false;
	int64_t v = 0;
	for (; i < end; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return true;
}

/* A jansson value as the rules read it. */
static struct jv
jv_of(const json_t *v)
{
	struct jv r = {0};
	if (!v)
		return r;
	switch (json_typeof(v)) {
	case JSON_OBJECT: r.t = JV_OBJ; break;
	case JSON_ARRAY: r.t = JV_ARR; break;
	case JSON_STRING:
		r.t = JV_STR;
		r.s = json_string_value(v);
		r.len = json_string_length(v);
		break;
	case JSON_INTEGER:
		r.t = JV_INT;
		r.i = (int64_t)json_integer_value(v);
		break;
	case JSON_REAL:
		r.t = JV_REAL;
		r.d = json_real_value(v);
		break;
	case JSON_TRUE: r.t = JV_TRUE; break;
	case JSON_FALSE: r.t = JV_FALSE; break;
	case JSON_NULL: r.t = JV_NULL; break;
	}
	return r;
}

/* An integer given as a JSON integer, an integral real or a decimal string. */
static bool
jv_int64(const struct jv *v, int64_t *out)
{
	if (v->t == JV_INT) {
		*out = v->i;
		return true;
	}
	if (v->t == JV_REAL) {
		double d = v->d;
		if (!(d >= -9.0e18 && d <= 9.0e18) || d != (double)(int64_t)d)
			return false;
		*out = (int64_t)d;
		return true;
	}
	if (v->t == JV_STR)
		return parse_int64_text(v->s, v->len, out);
	return false;
}

static bool
json_int64(const json_t *v, int64_t *out)
{
	struct jv j = jv_of(v);
	return jv_int64(&j, out);
}

static int64_t
jv_int64_or(const struct jv *v, int64_t fallback)
{
	int64_t r;
	return jv_int64(v, &r) ? r : fallback;
}

/* A source id (sn, couid, uid): decimal text from a string or an integer;
 * NULL when absent or not a non-negative decimal number. */
static char *
jv_id_text(const struct jv *v)
{
	if (v->t == JV_INT)
		return v->i >= 0 ? xasprintf("%lld", (long long)v->i) : NULL;
	if (v->t != JV_STR)
		return NULL;
	const char *s = v->s;
	size_t start = 0, end = v->len;
	trim_span(s, &start, &end);
	if (start == end || end - start > MAX_ID_DIGITS)
		return NULL;
	for (size_t i = start; i < end; i++)
		if (!is_digit(s[i]))
			return NULL;
	return xstrndup(s + start, end - start);
}

static char *
json_id_text(const json_t *v)
{
	struct jv j = jv_of(v);
	return jv_id_text(&j);
}

/* Text of a JSON string that may hold HTML (search highlights, entities);
 * NULL when absent or empty. */
static char *
jv_snippet(const struct jv *v)
{
	if (v->t != JV_STR)
		return NULL;
	return null_if_empty(html_snippet_text(v->s, v->len));
}

static char *
json_snippet(const json_t *v)
{
	struct jv j = jv_of(v);
	return jv_snippet(&j);
}

/* Unix seconds from a number or a string; 13-digit milliseconds are
 * accepted too.  0 when absent or not positive. */
static int64_t
jv_unix_seconds(const struct jv *v)
{
	int64_t t;
	if (!jv_int64(v, &t) || t <= 0)
		return 0;
	if (t > 99999999999LL)
		t /= 1000;
	return t;
}

struct part {
	const char *p;
	size_t len;
	size_t idx;
	bool dup;
};

static int
part_cmp_text(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
part_cmp_idx(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* 投诉问题 / 投诉要求: split on "," and "，", trim, drop empty parts and
 * repeats (the first occurrence stays), join with "\n".  NULL when nothing
 * is left.  Sorting keeps long hostile lists out of quadratic time; a
 * handful of parts (the usual case) is compared directly. */
static char *
split_list(const char *s, size_t len)
{
	struct part small[8];
	struct part *parts = small;
	size_t n = 0, cap = 0, start = 0;
	for (size_t i = 0; i <= len;) {
		size_t sep = 0;
		if (i == len)
			sep = 1;
		else if (s[i] == ',')
			sep = 1;
		else if (len - i >= 3 && !memcmp(s + i, "\xEF\xBC\x8C", 3))
			sep = 3;
		if (!sep) {
			i++;
			continue;
		}
		size_t a = start, b = i;
		trim_span(s, &a, &b);
		if (b > a) {
			if (parts == small && n == sizeof(small) / sizeof(small[0])) {
				parts = NULL;
				parts = xgrow(parts, &cap, n + 1, sizeof(*parts));
				memcpy(parts, small, sizeof(small));
			} else if (parts != small) {
				parts = xgrow(parts, &cap, n + 1, sizeof(*parts));
			}
			parts[n] = (struct part){s + a, b - a, n, false};
			n++;
		}
		i += sep;
		start = i;
	}
	if (!n) {
		if (parts != small)
			free(parts);
		return NULL;
	}
	if (parts == small) {
		for (size_t i = 1; i < n; i++)
			for (size_t k = 0; k < i && !parts[i].dup; k++)
				parts[i].dup = parts[k].len == parts[i].len &&
					       !memcmp(parts[k].p, parts[i].p, parts[i].len);
	} else {
		qsort(parts, n, sizeof(*parts), part_cmp_text);
		for (size_t i = 1; i < n; i++)
			parts[i].dup = parts[i].len == parts[i - 1].len &&
				       !memcmp(parts[i].p, parts[i - 1].p, parts[i].len);
		qsort(parts, n, sizeof(*parts), part_cmp_idx);
	}
	size_t total = 0; /* each byte may become U+FFFD (3), then a newline */
	for (size_t i = 0; i < n; i++)
		total += 3 * parts[i].len + 1;
	char *out = xmalloc(total + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (parts[i].dup)
			continue;
		if (p != out)
			*p++ = '\n';
		/* A NUL (from \u0000) would cut the text: U+FFFD instead. */
		for (size_t k = 0; k < parts[i].len; k++) {
			if (parts[i].p[k]) {
				*p++ = parts[i].p[k];
			} else {
				memcpy(p, "\xEF\xBF\xBD", 3);
				p += 3;
			}
		}
	}
	*p = '\0';
	if (parts != small)
		free(parts);
	return out;
}

static char *
jv_split_list(const struct jv *v)
{
	if (v->t != JV_STR)
		return NULL;
	return split_list(v->s, v->len);
}

/* main.url made absolute: "//host/..." -> "https://host/...", "/path" on
 * tousu.sina.com.cn; http(s) URLs kept exactly; anything else NULL. */
static char *
absolute_url(const struct jv *v)
{
	if (v->t != JV_STR)
		return NULL;
	const char *s = v->s;
	size_t a = 0, b = v->len;
	trim_span(s, &a, &b);
	if (b - a < 2 || memchr(s + a, '\0', b - a))
		return NULL;
	const char *u = s + a;
	size_t n = b - a;
	const char *prefix;
	if (u[0] == '/' && u[1] == '/')
		prefix = "https:";
	else if (u[0] == '/')
		prefix = "https://tousu.sina.com.cn";
	else if ((n > 7 && !strncasecmp(u, "http://", 7)) || (n > 8 && !strncasecmp(u, "https://", 8)))
		prefix = "";
	else
		return NULL;
	size_t plen = strlen(prefix);
	char *r = xmalloc(plen + n + 1);
	memcpy(r, prefix, plen);
	memcpy(r + plen, u, n);
	r[plen + n] = '\0';
	return r;
}

/* Hex SHA-256 of "heimao:" + name: how a complainant is told apart without
 * keeping the nickname. */
static char *
person_key(const char *name, size_t len)
{
	char hex[65];
	char small[256];
	char *msg = len + 7 <= sizeof(small) ? small : xmalloc(len + 7);
	memcpy(msg, "heimao:", 7);
	memcpy(msg + 7, name, len);
	sha256_hex(msg, len + 7, hex);
	if (msg != small)
		free(msg);
	return xstrdup(hex);
}

/* evaluate_u.satisfaction stars (0-5) -> 0-10; -1 when absent. */
static int
satisfaction_of(const struct jv *v)
{
	double stars;
	int64_t whole;
	if (v->t == JV_REAL)
		stars = v->d;
	else if (jv_int64(v, &whole))
		stars = (double)whole;
	else
		return -1;
	if (!(stars >= 0 && stars <= 5))
		return -1;
	return (int)(stars * 2 + 0.5);
}

/* cost as a string (the documented form) or, tolerated, a number. */
static int64_t
cost_fen(const struct jv *v)
{
	if (v->t == JV_STR)
		return heimao_yuan_to_fen(v->s, v->len);
	if (v->t == JV_INT) {
		int64_t n = v->i;
		return n >= 0 && n < 10000000000000LL ? n * 100 : -1;
	}
	if (v->t == JV_REAL) {
		double d = v->d;
		return d >= 0 && d < 1.0e13 ? (int64_t)(d * 100 + 0.5) : -1;
	}
	return -1;
}

/* Adds the record of one list item to list; false (list untouched) when it
 * has no usable main.sn. */
static bool
complaint_from_item(const struct heimao_item *f, struct complaint_list *list)
{
	char *sn = jv_id_text(&f->sn);
	if (!sn)
		return false;
	struct complaint *c = complaint_list_add(list);
	c->source_id = sn;
	c->merchant_id = jv_id_text(&f->couid);
	c->merchant_name = jv_snippet(&f->cotitle);
	c->title = jv_snippet(&f->title);
	c->summary = jv_snippet(&f->summary);
	c->issue = jv_split_list(&f->issue);
	c->appeal = jv_split_list(&f->appeal);
	c->amount_fen = cost_fen(&f->cost);
	int64_t status;
	if (jv_int64(&f->status, &status) && status >= 0 && status <= 1000000) {
		c->raw_status = (int)status;
		c->status = heimao_status_normalise(c->raw_status);
	}
	c->filed_at = jv_unix_seconds(&f->timestamp);
	if (!c->filed_at)
		c->filed_at = jv_unix_seconds(&f->created_at);
	c->url = absolute_url(&f->url);
	if (f->nick.t == JV_STR) {
		const char *s = f->nick.s;
		size_t a = 0, b = f->nick.len;
		trim_span(s, &a, &b);
		if (b > a)
			c->complainant_key = person_key(s + a, b - a);
	}
	c->satisfaction = satisfaction_of(&f->satisfaction);
	return true;
}

/* The fields of a jansson list item. */
static void
item_of(const json_t *item, struct heimao_item *f)
{
	const json_t *m = json_object_get(item, "main");
	f->sn = jv_of(json_object_get(m, "sn"));
	f->couid = jv_of(json_object_get(m, "couid"));
	f->cotitle = jv_of(json_object_get(m, "cotitle"));
	f->title = jv_of(json_object_get(m, "title"));
	f->summary = jv_of(json_object_get(m, "summary"));
	f->issue = jv_of(json_object_get(m, "issue"));
	f->appeal = jv_of(json_object_get(m, "appeal"));
	f->cost = jv_of(json_object_get(m, "cost"));
	f->status = jv_of(json_object_get(m, "status"));
	f->timestamp = jv_of(json_object_get(m, "timestamp"));
	f->created_at = jv_of(json_object_get(m, "created_at"));
	f->url = jv_of(json_object_get(m, "url"));
	f->satisfaction = jv_of(json_object_get(json_object_get(m, "evaluate_u"), "satisfaction"));
	f->nick = jv_of(json_object_get(json_object_get(item, "author"), "title"));
}

/* ---- envelope ---------------------------------------------------------- */

static bool
is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	       c == '$' || c == '.';
}

/* Offset of the JSON inside a JSONP wrapper ("try{cb({...});}catch(e){};"
 * or "cb({...})"), or 0 when the body is not JSONP. */
static size_t
jsonp_payload(const char *s, size_t len, size_t i)
{
	if (len - i >= 3 && !memcmp(s + i, "try", 3)) {
		i += 3;
		while (i < len && is_ascii_space(s[i]))
			i++;
		if (i >= len || s[i] != '{')
			return 0;
		i++;
		while (i < len && is_ascii_space(s[i]))
			i++;
	}
	size_t ident = i;
	while (i < len && is_ident_char(s[i]))
		i++;
	if (i == ident)
		return 0;
	while (i < len && is_ascii_space(s[i]))
		i++;
	if (i >= len || s[i] != '(')
		return 0;
	return i + 1;
}

/* Why a body that is not JSON was served: captcha, login wall, or other. */
static enum page_kind
classify_not_json(const char *s, size_t len, const char *json_error, char *err)
{
	size_t a = 0, b = len;
	trim_span(s, &a, &b);
	if (a == b) {
		set_err(err, "empty body where JSON was expected");
		return PAGE_NOT_JSON;
	}
	static const char *const captcha[] = {"geetest", "sec-captcha", "captcha", "验证码",
					      "滑块验证"};
	for (size_t i = 0; i < sizeof(captcha) / sizeof(captcha[0]); i++) {
		if (contains_ci(s + a, b - a, captcha[i])) {
			set_err(err, "captcha page where JSON was expected (%s)", captcha[i]);
			return PAGE_BLOCKED;
		}
	}
	static const char *const login[] = {"passport.sina", "login.sina.com.cn", "请先登录",
					    "登录", "微博"};
	for (size_t i = 0; i < sizeof(login) / sizeof(login[0]); i++) {
		if (contains_ci(s + a, b - a, login[i])) {
			set_err(err, "login page where JSON was expected (%s)", login[i]);
			return PAGE_LOGIN_REQUIRED;
		}
	}
	if (s[a] == '<') {
		set_err(err, "HTML page where JSON was expected (no login or captcha marker)");
		return PAGE_NOT_JSON;
	}
	set_err(err, "body is not JSON: %s", json_error);
	return PAGE_NOT_JSON;
}

/* The JSON text of a body, repaired and unwrapped (see heimao_json.h). */
bool
heimao_json_text(const char *body, size_t len, struct buf *repaired, const char **text,
		 size_t *text_len, const char **json, size_t *n, bool *eof_check)
{
	buf_init(repaired);
	if (!utf8_valid(body, len)) {
		text_utf8_repair(repaired, body, len);
		body = repaired->data;
		len = repaired->len;
	}
	*text = body;
	*text_len = len;
	*json = NULL;
	*n = 0;
	*eof_check = true;
	size_t i = 0;
	if (len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && is_ascii_space(body[i]))
		i++;
	if (i < len && (body[i] == '{' || body[i] == '[')) {
		*json = body + i;
		*n = len - i;
		return true;
	}
	size_t p = i < len ? jsonp_payload(body, len, i) : 0;
	if (!p)
		return false;
	*json = body + p;
	*n = len - p;
	*eof_check = false;
	return true;
}

/* The verdict on result.status: PAGE_OK for code 0, otherwise the
 * kind with a reason in err.  *code and *msg are set in every case. */
static enum page_kind
envelope_kind(const struct jv *jcode, const struct jv *jmsg, int64_t *code, char **msg,
	      char *err)
{
	*msg = NULL;
	if (!jv_int64(jcode, code)) {
		*code = -1;
		set_err(err, "JSON without result.status.code");
		return PAGE_LAYOUT_CHANGED;
	}
	*msg = jv_snippet(jmsg);
	const char *m = *msg ? *msg : "";
	if (*code == CODE_LOGIN_REQUIRED) {
		set_err(err, "login required (code %d%s%s)", CODE_LOGIN_REQUIRED, *m ? ": " : "", m);
		return PAGE_LOGIN_REQUIRED;
	}
	if (*code == CODE_PAGE_LIMIT) {
		set_err(err, "page limit: login needed for more pages (code %d%s%s)",
			CODE_PAGE_LIMIT, *m ? ": " : "", m);
		return PAGE_LIMIT;
	}
	if (*code != 0) {
		set_err(err, "API error %lld%s%s", (long long)*code, *m ? ": " : "", m);
		return PAGE_API_ERROR;
	}
	return PAGE_OK;
}

/* Parses the body with jansson.  NULL with the kind in *kind and a reason
 * in err when it is not JSON. */
static json_t *
jansson_load(const char *body, size_t len, enum page_kind *kind, char *err)
{
	struct buf repaired;
	const char *text, *json;
	size_t text_len, n;
	bool eof_check;
	json_error_t jerr;
	json_t *doc = NULL;
	strcpy(jerr.text, "not JSON");
	if (heimao_json_text(body, len, &repaired, &text, &text_len, &json, &n, &eof_check))
		doc = json_loadb(json, n, JSON_ALLOW_NUL | (eof_check ? 0 : JSON_DISABLE_EOF_CHECK),
				 &jerr);
	if (!doc)
		*kind = classify_not_json(text, text_len, jerr.text, err);
	buf_finish(&repaired);
	return doc;
}

/* Parses the body and checks the envelope.  On PAGE_OK (meaning
 * "code 0, look at the data") *root holds the document and *data its
 * result.data; any other kind has a reason in err and *root NULL. */
static enum page_kind
open_envelope(const char *body, size_t len, json_t **root, const json_t **data, int64_t *code,
	      char **msg, char *err)
{
	*root = NULL;
	*data = NULL;
	*code = -1;
	*msg = NULL;
	enum page_kind kind;
	json_t *doc = jansson_load(body, len, &kind, err);
	if (!doc)
		return kind;
	const json_t *status = json_object_get(json_object_get(doc, "result"), "status");
	struct jv jcode = jv_of(json_object_get(status, "code"));
	struct jv jmsg = jv_of(json_object_get(status, "msg"));
	kind = envelope_kind(&jcode, &jmsg, code, msg, err);
	if (kind != PAGE_OK) {
		json_decref(doc);
		return kind;
	}
	*root = doc;
	*data = json_object_get(json_object_get(doc, "result"), "data");
	return PAGE_OK;
}

/* ---- list pages -------------------------------------------------------- */



/* The name of the first pager field present but neither a number nor null,
 * or NULL. */
static const char *
pager_field_not_number(const struct heimao_list_view *v)
{
	const struct {
		const char *name;
		const struct jv *value;
	} fields[] = {{"current", &v->current}, {"next", &v->next},
		      {"page_amount", &v->page_amount}, {"item_count", &v->item_count}};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int64_t n;
		const struct jv *f = fields[i].value;
		if (f->t != JV_ABSENT && f->t != JV_NULL && !jv_int64(f, &n))
			return fields[i].name;
	}
	return NULL;
}

/* The records and the verdict of a parsed list page (see heimao_json.h). */
int
heimao_list_from_view(const struct heimao_list_view *v, struct list_page *out, char *err)
{
	out->kind = envelope_kind(&v->code, &v->msg, &out->code, &out->msg, err);
	if (out->kind != PAGE_OK)
		return -1;
	out->page = jv_int64_or(&v->current, -1);
	out->next = jv_int64_or(&v->next, -1);
	out->page_amount = jv_int64_or(&v->page_amount, -1);
	out->item_count = jv_int64_or(&v->item_count, -1);
	if (!v->items) {
		out->kind = PAGE_LAYOUT_CHANGED;
		return set_err(err, "code 0 but result.data has neither complaints[] nor lists[]");
	}
	size_t n = v->n_items;
	if (n && !out->complaints.cap) {
		out->complaints.items = xcalloc(n, sizeof(*out->complaints.items));
		out->complaints.cap = n;
	}
	for (size_t i = 0; i < n; i++)
		if (!complaint_from_item(&v->item[i], &out->complaints))
			out->skipped++;
	const char *bad_pager = pager_field_not_number(v);
	if (n == 0) {
		bool past_end = out->page > 0 && out->page_amount >= 0 && out->page > out->page_amount;
		if (out->item_count > 0 && !past_end) {
			out->kind = PAGE_BLOCKED;
			return set_err(err, "empty page while the pager claims %lld items",
				       (long long)out->item_count);
		}
		/* An empty page is the end of the list only when the pager agrees
		 * or says nothing: a pager field that is not a number, or pages
		 * claimed up to this one, is a page we do not understand. */
		if (bad_pager) {
			out->kind = PAGE_LAYOUT_CHANGED;
			return set_err(err, "empty page with a pager.%s that is not a number",
				       bad_pager);
		}
		if (out->page_amount > 0 && !past_end) {
			out->kind = PAGE_LAYOUT_CHANGED;
			return set_err(err, "empty page while the pager claims %lld pages",
				       (long long)out->page_amount);
		}
		out->kind = PAGE_EMPTY;
		return 0;
	}
	if (out->complaints.len == 0) {
		out->kind = PAGE_LAYOUT_CHANGED;
		return set_err(err, "%zu items but none has main.sn", n);
	}
	out->kind = PAGE_OK;
	return (int)out->complaints.len;
}

/* The list page through jansson. */
static int
list_parse_jansson(const char *body, size_t len, struct list_page *out, char *err)
{
	json_t *doc = jansson_load(body, len, &out->kind, err);
	if (!doc)
		return -1;
	struct heimao_list_view v = {0};
	const json_t *result = json_object_get(doc, "result");
	const json_t *status = json_object_get(result, "status");
	v.code = jv_of(json_object_get(status, "code"));
	v.msg = jv_of(json_object_get(status, "msg"));
	const json_t *data = json_object_get(result, "data");
	const json_t *pager = json_object_get(data, "pager");
	v.current = jv_of(json_object_get(pager, "current"));
	v.next = jv_of(json_object_get(pager, "next"));
	v.page_amount = jv_of(json_object_get(pager, "page_amount"));
	v.item_count = jv_of(json_object_get(pager, "item_count"));
	const json_t *items = json_object_get(data, "complaints");
	if (!items || !(json_is_array(items) || json_is_null(items)))
		items = json_object_get(data, "lists");
	if (items && json_is_array(items)) {
		v.items = 2;
		v.n_items = json_array_size(items);
		v.item = xcalloc(v.n_items ? v.n_items : 1, sizeof(*v.item));
		for (size_t i = 0; i < v.n_items; i++)
			item_of(json_array_get(items, i), &v.item[i]);
	} else if (items && json_is_null(items)) {
		v.items = 1;
	}
	int rc = heimao_list_from_view(&v, out, err);
	free(v.item);
	json_decref(doc);
	return rc;
}

/* heimao_list_parse with a chosen JSON back end (see heimao_json.h). */
int
heimao_list_parse_with(const char *body, size_t len, struct list_page *out,
		       enum heimao_json_mode mode, char *err)
{
	if (!body)
		body = "", len = 0;
	if (mode != HEIMAO_JSON_JANSSON) {
		struct buf repaired;
		const char *text, *json;
		size_t text_len, n;
		bool eof_check;
		int rc = 0, done = 0;
		struct list_page fast;
		list_page_init(&fast);
		if (heimao_json_text(body, len, &repaired, &text, &text_len, &json, &n, &eof_check))
			done = heimao_fast_list(json, n, eof_check, heimao_list_from_view, &fast,
						&rc, err);
		buf_finish(&repaired);
		if (done) {
			list_page_finish(out);
			*out = fast;
			return rc;
		}
		list_page_finish(&fast);
		if (mode == HEIMAO_JSON_FAST_ONLY)
			return -2;
	}
	list_page_finish(out);
	return list_parse_jansson(body, len, out, err);
}

/* The fast path first, jansson for whatever it declines. */
int
heimao_list_parse(const char *body, size_t len, struct list_page *out, char *err)
{
	return heimao_list_parse_with(body, len, out, HEIMAO_JSON_AUTO, err);
}

/* ---- company search ---------------------------------------------------- */

int
heimao_company_search_parse(const char *body, size_t len, struct merchant_list *out,
			    enum page_kind *kind, char *err)
{
	merchant_list_finish(out);
	json_t *root;
	const json_t *data;
	int64_t code;
	char *msg;
	*kind = open_envelope(body ? body : "", body ? len : 0, &root, &data, &code, &msg, err);
	free(msg);
	if (*kind != PAGE_OK)
		return -1;
	const json_t *items = json_object_get(data, "lists");
	if (!items || !(json_is_array(items) || json_is_null(items))) {
		json_decref(root);
		*kind = PAGE_LAYOUT_CHANGED;
		return set_err(err, "code 0 but result.data has no lists[]");
	}
	size_t n = json_is_array(items) ? json_array_size(items) : 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *it = json_array_get(items, i);
		char *uid = json_id_text(json_object_get(it, "uid"));
		if (!uid)
			continue;
		struct merchant *m = merchant_list_add(out);
		m->id = uid;
		m->name = json_snippet(json_object_get(it, "title"));
		int64_t v;
		if (json_int64(json_object_get(it, "complaint_amount"), &v) && v >= 0)
			m->complaints = v;
		if (json_int64(json_object_get(it, "valid30d"), &v) && v >= 0)
			m->recent_30d = v;
	}
	json_decref(root);
	if (n > 0 && out->len == 0) {
		*kind = PAGE_LAYOUT_CHANGED;
		return set_err(err, "%zu merchants but none has uid", n);
	}
	*kind = n ? PAGE_OK : PAGE_EMPTY;
	return (int)out->len;
}

/* ---- detail page ------------------------------------------------------- */

static bool
is_container(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE || n->type == XML_DOCUMENT_NODE ||
	       n->type == XML_HTML_DOCUMENT_NODE;
}

/* Pre-order successor of n inside root's subtree, NULL at the end. */
static xmlNodePtr
walk_next(xmlNodePtr n, xmlNodePtr root)
{
	if (is_container(n) && n->children)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* True when the class attribute of n holds the token cls (cls NULL: any). */
static bool
has_class(xmlNodePtr n, const char *cls)
{
	if (!cls)
		return true;
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
	if (!v)
		return false;
	size_t want = strlen(cls);
	bool found = false;
	for (const char *p = (const char *)v; *p && !found;) {
		while (*p && is_ascii_space(*p))
			p++;
		const char *start = p;
		while (*p && !is_ascii_space(*p))
			p++;
		found = (size_t)(p - start) == want && !memcmp(start, cls, want);
	}
	xmlFree(v);
	return found;
}

static bool
is_elem(xmlNodePtr n, const char *tag, const char *cls)
{
	return n->type == XML_ELEMENT_NODE &&
	       (!tag || !xmlStrcasecmp(n->name, (const xmlChar *)tag)) && has_class(n, cls);
}

/* First element below root (not root itself) with that tag and class token
 * (either may be NULL). */
static xmlNodePtr
find_elem(xmlNodePtr root, const char *tag, const char *cls)
{
	if (!root)
		return NULL;
	for (xmlNodePtr n = walk_next(root, root); n; n = walk_next(n, root))
		if (is_elem(n, tag, cls))
			return n;
	return NULL;
}

/* Elements that separate words; inline ones (a, b, span) do not, which
 * matters for Chinese text. */
static bool
is_block(const xmlChar *name)
{
	static const char *const blocks[] = {"br", "p", "div", "li", "ul", "ol", "dl", "dt", "dd",
					     "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
					     "th", "table", "section", "label"};
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (!xmlStrcasecmp(name, (const xmlChar *)blocks[i]))
			return true;
	return false;
}

/* Appends the text below n, skipping elements named skip1/skip2. */
static void
gather_text(xmlNodePtr n, struct buf *out, const char *skip1, const char *skip2)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content)
				buf_puts(out, (const char *)c->content);
		} else if (c->type == XML_ELEMENT_NODE) {
			if ((skip1 && !xmlStrcasecmp(c->name, (const xmlChar *)skip1)) ||
			    (skip2 && !xmlStrcasecmp(c->name, (const xmlChar *)skip2)))
				continue;
			if (!xmlStrcasecmp(c->name, (const xmlChar *)"script") ||
			    !xmlStrcasecmp(c->name, (const xmlChar *)"style"))
				continue;
			bool block = is_block(c->name);
			if (block)
				buf_putc(out, ' ');
			gather_text(c, out, skip1, skip2);
			if (block)
				buf_putc(out, ' ');
		}
	}
}

/* Text below n, ASCII white space collapsed, trimmed; NULL when empty. */
static char *
text_of(xmlNodePtr n, const char *skip1, const char *skip2)
{
	if (!n)
		return NULL;
	struct buf raw, out;
	buf_init(&raw);
	buf_init(&out);
	gather_text(n, &raw, skip1, skip2);
	bool space = false;
	for (size_t i = 0; i < raw.len; i++) {
		if (is_ascii_space(raw.data[i])) {
			space = true;
			continue;
		}
		if (space && out.len)
			buf_putc(&out, ' ');
		space = false;
		buf_putc(&out, raw.data[i]);
	}
	buf_finish(&raw);
	char *s = buf_steal(&out);
	return null_if_empty(text_trim(s));
}

/* A date as the detail page writes it, in Asia/Shanghai: "2025-04-22
 * 20:07", "2025年04月22日 20:07", or without a year "04-22 20:07:13".  The
 * numbers are read in order; year is 0 when there was none. */
struct page_date {
	int year; /* 0 when the text had none */
	int mon, day, hour, min, sec;
};

static bool
parse_page_date(const char *s, struct page_date *d)
{
	long nums[6];
	int digits[6];
	int n = 0;
	if (!s)
		return false;
	for (const char *p = s; *p && n < 6;) {
		if (!is_digit(*p)) {
			p++;
			continue;
		}
		long v = 0;
		int k = 0;
		while (is_digit(*p)) {
			if (k < 9)
				v = v * 10 + (*p - '0');
			k++;
			p++;
		}
		nums[n] = v;
		digits[n++] = k;
	}
	memset(d, 0, sizeof(*d));
	int i = 0;
	if (n >= 3 && digits[0] == 4) {
		d->year = (int)nums[0];
		i = 1;
	} else if (n < 4) {
		return false;
	}
	if (n - i < 2)
		return false;
	d->mon = (int)nums[i];
	d->day = (int)nums[i + 1];
	if (n - i >= 4) {
		d->hour = (int)nums[i + 2];
		d->min = (int)nums[i + 3];
		if (n - i >= 5)
			d->sec = (int)nums[i + 4];
	} else if (!d->year) {
		return false;
	}
	if (d->year && (d->year < 1990 || d->year > 9999))
		return false;
	return d->mon >= 1 && d->mon <= 12 && d->day >= 1 && d->day <= 31 && d->hour < 24 &&
	       d->min < 60 && d->sec < 61;
}

/* UTC seconds of d in year y (Asia/Shanghai); 0 when the day does not exist
 * in that month. */
static int64_t
page_date_at(const struct page_date *d, int y)
{
	int64_t days = time_days_from_civil(y, (unsigned)d->mon, (unsigned)d->day);
	int cy;
	unsigned cm, cd;
	time_civil_from_days(days, &cy, &cm, &cd);
	if (cy != y || (int)cm != d->mon || (int)cd != d->day)
		return 0;
	return days * DAY_S + d->hour * 3600 + d->min * 60 + d->sec - SHANGHAI_OFFSET_S;
}

static int
shanghai_year(int64_t t)
{
	int64_t local = t + SHANGHAI_OFFSET_S;
	int64_t days = local / DAY_S - (local % DAY_S < 0);
	int y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	return y;
}

/* A step's time: its own year when it has one, otherwise the year around
 * ref (the step before, or the posting date) that lands nearest to ref, so
 * 12-31 followed by 01-02 rolls into the next year.  0 when unknown. */
static int64_t
step_time(const char *text, int64_t ref)
{
	struct page_date d;
	if (!parse_page_date(text, &d))
		return 0;
	if (d.year)
		return page_date_at(&d, d.year);
	if (!ref)
		return 0;
	int base = shanghai_year(ref);
	int64_t best = 0, best_dist = 0;
	for (int y = base - 1; y <= base + 1; y++) {
		int64_t t = page_date_at(&d, y);
		if (!t)
			continue;
		int64_t dist = t >= ref ? t - ref : ref - t;
		if (!best || dist < best_dist)
			best = t, best_dist = dist;
	}
	return best;
}

static bool
streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Label text without its trailing "：" / ":" and space. */
static char *
label_of(xmlNodePtr li)
{
	xmlNodePtr label = find_elem(li, "label", NULL);
	char *t = text_of(label, NULL, NULL);
	if (!t)
		return NULL;
	size_t n = strlen(t);
	for (;;) {
		if (n >= 3 && !memcmp(t + n - 3, "\xEF\xBC\x9A", 3))
			n -= 3;
		else if (n >= 1 && (t[n - 1] == ':' || is_ascii_space(t[n - 1])))
			n--;
		else
			break;
	}
	t[n] = '\0';
	return t;
}

/* couid from a "...company/view/?couid=N" link below n. */
static char *
couid_below(xmlNodePtr n)
{
	for (xmlNodePtr a = walk_next(n, n); a; a = walk_next(a, n)) {
		if (!is_elem(a, "a", NULL))
			continue;
		char *href = html_attr(a, "href");
		const char *p = href ? strstr(href, "couid=") : NULL;
		char *id = NULL;
		if (p) {
			p += 6;
			size_t k = 0;
			while (is_digit(p[k]) && k < MAX_ID_DIGITS)
				k++;
			if (k)
				id = xstrndup(p, k);
		}
		free(href);
		if (id)
			return id;
	}
	return NULL;
}

static void
detail_fact(struct complaint_detail *d, xmlNodePtr li)
{
	char *label = label_of(li);
	if (!label)
		return;
	char *value = text_of(li, "label", "li");
	if (!strcmp(label, "投诉编号")) {
		size_t k = 0;
		while (value && is_digit(value[k]))
			k++;
		if (value && k && !value[k] && k <= MAX_ID_DIGITS && !d->source_id)
			d->source_id = xstrdup(value);
	} else if (!strcmp(label, "投诉对象")) {
		if (value) {
			char *notice = strstr(value, "商家只有入驻");
			if (notice)
				*notice = '\0';
			free(d->merchant_name);
			d->merchant_name = null_if_empty(xstrdup(text_trim(value)));
		}
		if (!d->merchant_id)
			d->merchant_id = couid_below(li);
	} else if (!strcmp(label, "涉诉金额")) {
		if (value)
			d->amount_fen = heimao_yuan_to_fen(value, strlen(value));
	} else if (!strcmp(label, "投诉进度")) {
		char *b = text_of(find_elem(li, "b", NULL), NULL, NULL);
		free(d->progress);
		d->progress = b ? b : xstrdup_or_null(value);
	}
	free(value);
	free(label);
}

static bool
is_platform_name(const char *name)
{
	return name && (strstr(name, "黑猫消费者服务平台") || strstr(name, "黑猫投诉"));
}

static bool
same_name(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	char *ka = text_name_key(a), *kb = text_name_key(b);
	bool same = *ka && !strcmp(ka, kb);
	free(ka);
	free(kb);
	return same;
}

/* Star count from a class token "star4" (or "star-4"); -1 when none. */
static int
star_count(xmlNodePtr n)
{
	char *cls = html_attr(n, "class");
	int stars = -1;
	for (const char *p = cls ? strstr(cls, "star") : NULL; p; p = strstr(p + 4, "star")) {
		const char *q = p + 4;
		if (*q == '-' || *q == '_')
			q++;
		if (is_digit(*q) && !is_digit(q[1])) {
			stars = *q - '0';
			break;
		}
	}
	free(cls);
	return stars <= 5 ? stars : -1;
}

/* The text of a step: the 2nd <p> of ts-reply, else all of ts-d-cont. */
static char *
step_text(xmlNodePtr item)
{
	xmlNodePtr cont = find_elem(item, "div", "ts-d-cont");
	xmlNodePtr reply = find_elem(cont, "div", "ts-reply");
	if (reply) {
		int seen = 0;
		for (xmlNodePtr p = walk_next(reply, reply); p; p = walk_next(p, reply)) {
			if (is_elem(p, "p", NULL) && ++seen == 2) {
				char *t = text_of(p, NULL, NULL);
				if (t)
					return t;
				break;
			}
		}
	}
	return text_of(cont, NULL, NULL);
}

static void
detail_step(struct complaint_detail *d, xmlNodePtr item, const char *author, int64_t *ref)
{
	char *name = text_of(find_elem(item, "span", "u-name"), NULL, NULL);
	char *event = text_of(find_elem(item, "span", "u-status"), NULL, NULL);
	char *date = text_of(find_elem(item, "span", "u-date"), NULL, NULL);
	struct timeline_event *e = complaint_detail_add_event(d);
	e->event = event;
	e->at = step_time(date, *ref);
	if (e->at)
		*ref = e->at;
	free(date);
	bool merchant_event = streq(event, "回复") || streq(event, "申请完成投诉");
	if (is_platform_name(name))
		e->actor = ACTOR_PLATFORM;
	else if (same_name(name, author))
		e->actor = ACTOR_USER;
	else if (same_name(name, d->merchant_name) || (name && merchant_event))
		e->actor = ACTOR_MERCHANT;
	else if (name)
		e->actor = ACTOR_USER;
	if (e->actor == ACTOR_USER) {
		e->actor_name = person_key(name, strlen(name));
		free(name);
	} else {
		e->actor_name = name;
	}
	e->text = step_text(item);

	if (e->actor == ACTOR_MERCHANT && merchant_event) {
		d->merchant_replied = true;
		if (e->at && (!d->first_reply_at || e->at < d->first_reply_at))
			d->first_reply_at = e->at;
	}
	if (streq(event, "确认完成") && e->actor != ACTOR_PLATFORM)
		d->user_confirmed = true;
	if (streq(event, "自动完成"))
		d->auto_completed = true;
	int found = 0, stars[3];
	for (xmlNodePtr n = walk_next(item, item); n && found < 3; n = walk_next(n, item)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		int s = star_count(n);
		if (s >= 0)
			stars[found++] = s;
	}
	for (int i = 0; i < found; i++)
		d->stars[i] = stars[i];
}

static void
detail_desktop(struct complaint_detail *d, xmlNodePtr root, xmlNodePtr question)
{
	d->title = text_of(find_elem(question, "h1", NULL), NULL, NULL);
	xmlNodePtr user = find_elem(question, "div", "ts-q-user");
	char *author = text_of(find_elem(user, "span", "u-name"), NULL, NULL);
	char *posted = text_of(find_elem(user ? user : question, "span", "u-date"), NULL, NULL);
	struct page_date pd;
	if (posted && parse_page_date(posted, &pd) && pd.year)
		d->posted_at = page_date_at(&pd, pd.year);
	free(posted);

	xmlNodePtr list = find_elem(root, "ul", "ts-q-list");
	for (xmlNodePtr n = list ? walk_next(list, list) : NULL; n; n = walk_next(n, list))
		if (is_elem(n, "li", NULL))
			detail_fact(d, n);

	xmlNodePtr steps = find_elem(root, "div", "ts-d-steplist");
	int64_t ref = d->posted_at;
	for (xmlNodePtr n = steps ? walk_next(steps, steps) : NULL; n; n = walk_next(n, steps)) {
		if (!is_elem(n, "div", "ts-d-item"))
			continue;
		detail_step(d, n, author, &ref);
	}
	free(author);
}

static enum detail_kind
detail_error_kind(xmlNodePtr root, const char *html, size_t len, char *err)
{
	char *msg = text_of(find_elem(root, "div", "error"), NULL, NULL);
	const char *s = msg ? msg : html;
	size_t n = msg ? strlen(msg) : len;
	enum detail_kind kind = DETAIL_UNRECOGNISED;
	if (contains(s, n, "只允许本人查看")) {
		set_err(err, "complaint visible only to its author (只允许本人查看)");
		kind = DETAIL_PRIVATE;
	} else if (contains(s, n, "投诉单不存在")) {
		set_err(err, "complaint not found (投诉单不存在)");
		kind = DETAIL_NOT_FOUND;
	} else if (contains(s, n, "页面不存在")) {
		set_err(err, "page not found (页面不存在; a missing sld does this)");
		kind = DETAIL_NOT_FOUND;
	}
	free(msg);
	return kind;
}

int
heimao_detail_parse(const char *html, size_t len, struct complaint_detail *out, char *err)
{
	complaint_detail_finish(out);
	out->kind = DETAIL_UNRECOGNISED;
	if (!html || !len)
		return set_err(err, "empty detail page");
	htmlDocPtr doc = html_parse(html, len, "UTF-8");
	if (!doc)
		return set_err(err, "detail page is not parseable HTML");
	xmlNodePtr root = (xmlNodePtr)doc;
	xmlNodePtr question = find_elem(root, "div", "ts-d-question");
	xmlNodePtr mobile_title = find_elem(root, "h1", "m-complaint-title");
	int rc = 0;
	if (question) {
		detail_desktop(out, root, question);
		if (out->title || out->source_id) {
			out->kind = DETAIL_OK;
		} else {
			rc = set_err(err, "ts-d-question without a title or 投诉编号: layout drift?");
		}
	} else if (mobile_title || find_elem(root, "div", "m-complaint-des4")) {
		out->title = text_of(mobile_title, NULL, NULL);
		out->kind = DETAIL_OK;
	} else {
		out->kind = detail_error_kind(root, html, len, err);
		if (out->kind == DETAIL_UNRECOGNISED)
			set_err(err, "none of the known detail page shapes (ts-d-question, "
				     "m-complaint-title, error page): layout drift?");
		rc = -1;
	}
	xmlFreeDoc(doc);
	return rc;
}
