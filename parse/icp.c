/* MIIT ICP registry bodies -> records, and licence numbers -> canonical form.
 * Shapes: research/icp-sources.md §2.6 (envelope, PageHelper paging, record
 * fields), §2.7 (errors), §4 (licence numbers). */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "icp.h"

#include <jansson.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "text.h"
#include "xalloc.h"

#define MSG_SIZE 128

/* Returns a static English name for n ("enterprise", ...); never NULL. */
const char *
icp_nature_name(enum icp_nature n)
{
	switch (n) {
	case NATURE_ENTERPRISE: return "enterprise";
	case NATURE_INDIVIDUAL: return "individual";
	case NATURE_INSTITUTION: return "institution";
	case NATURE_GOVERNMENT: return "government";
	case NATURE_OTHER: return "other";
	case NATURE_UNKNOWN: break;
	}
	return "unknown";
}

/* Returns a static name for k ("ok", "token_expired", ...); never NULL. */
const char *
icp_reply_kind_name(enum icp_reply_kind k)
{
	switch (k) {
	case ICP_OK: return "ok";
	case ICP_TOKEN_EXPIRED: return "token_expired";
	case ICP_AUTH_FAILED: return "auth_failed";
	case ICP_CAPTCHA: return "captcha";
	case ICP_RATE_LIMITED: return "rate_limited";
	case ICP_SERVER_ERROR: return "server_error";
	case ICP_BAD_REQUEST: return "bad_request";
	case ICP_BLOCKED: return "blocked";
	case ICP_BAD_BODY: break;
	}
	return "bad_body";
}

/* Zeroes r; it owns nothing yet. */
void
icp_record_init(struct icp_record *r)
{
	memset(r, 0, sizeof(*r));
}

/* Frees the strings r owns and zeroes it; r may be NULL. */
void
icp_record_finish(struct icp_record *r)
{
	if (!r)
		return;
	free(r->domain);
	free(r->domain_id);
	free(r->main_id);
	free(r->service_id);
	free(r->unit_name);
	free(r->nature_name);
	free(r->main_licence);
	free(r->service_licence);
	free(r->limit_access);
	free(r->update_record_time);
	free(r->content_type_name);
	free(r->service_name);
	free(r->home_url);
	icp_record_init(r);
}

/* Zeroes p: no records, kind ICP_OK, nothing owned. */
void
icp_query_page_init(struct icp_query_page *p)
{
	memset(p, 0, sizeof(*p));
}

/* Frees p's records and zeroes it; p may be NULL. */
void
icp_query_page_finish(struct icp_query_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_records; i++)
		icp_record_finish(&p->records[i]);
	free(p->records);
	icp_query_page_init(p);
}

/* Frees the strings c owns and zeroes it; c may be NULL. */
void
icp_captcha_finish(struct icp_captcha *c)
{
	if (!c)
		return;
	free(c->uuid);
	free(c->big_image);
	free(c->small_image);
	free(c->secret_key);
	memset(c, 0, sizeof(*c));
}

/* Copies src into dst[MSG_SIZE], cut at a UTF-8 character boundary. */
static void
copy_msg(char *dst, const char *src)
{
	if (!dst)
		return;
	size_t n = src ? strlen(src) : 0;
	if (n >= MSG_SIZE) {
		n = MSG_SIZE - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *
skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++;
	return s;
}

static int
contains(const char *body, size_t len, const char *needle)
{
	return memmem(body, len, needle, strlen(needle)) != NULL;
}

static int
contains_nocase(const char *body, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (!strncasecmp(body + i, needle, n))
			return 1;
	return 0;
}

/* A WAF page (创宇盾), a 加速乐 JS challenge or any other HTML. */
static int
looks_like_html(const char *body, size_t len)
{
	const char *s = skip_space(body, body + len);
	if (s < body + len && *s == '<')
		return 1;
	return contains(body, len, "创宇盾") || contains_nocase(body, len, "365cyd") ||
	       contains_nocase(body, len, "wafblock") || contains_nocase(body, len, "<html") ||
	       contains_nocase(body, len, "<script");
}

/* An integer member given as a number or a numeric string; def otherwise. */
static int64_t
json_int_member(json_t *obj, const char *key, int64_t def)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d > -9.2e18 && d < 9.2e18)
			return (int64_t)d;
		return def;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		if (!*s)
			return def;
		long long x = strtoll(s, &end, 10);
		return *end ? def : (int64_t)x;
	}
	return def;
}

/* A string member, trimmed, malloc'd; NULL when absent or not a string. */
static char *
json_str_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return NULL;
	return text_trim(xstrdup(json_string_value(v)));
}

/* An int64 id given as a number or a numeric string, as decimal text. */
static char *
json_id_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (!json_is_string(v))
		return NULL;
	char *s = text_trim(xstrdup(json_string_value(v)));
	size_t i = 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || s[i] || i > 20) {
		free(s);
		return NULL;
	}
	return s;
}

static void
ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static enum icp_nature
nature_from_name(const char *name)
{
	static const char *const institution[] = {"事业单位", "社会团体", "民办非企业单位",
						  "基金会", NULL};
	static const char *const government[] = {"政府机关", "国防机构", NULL};
	if (!name || !*name)
		return NATURE_UNKNOWN;
	if (!strcmp(name, "企业"))
		return NATURE_ENTERPRISE;
	if (!strcmp(name, "个人"))
		return NATURE_INDIVIDUAL;
	for (size_t i = 0; institution[i]; i++)
		if (!strcmp(name, institution[i]))
			return NATURE_INSTITUTION;
	for (size_t i = 0; government[i]; i++)
		if (!strcmp(name, government[i]))
			return NATURE_GOVERNMENT;
	return NATURE_OTHER;
}

/* "文化、文化、宗教" -> "文化、宗教": split on 、, trimmed, empty items and
 * repeats dropped, first-seen order kept.  malloc'd. */
static char *
dedupe_content_types(const char *s)
{
	static const char sep[] = "、";
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "");
	const char *p = s;
	while (*p) {
		const char *q = strstr(p, sep);
		size_t n = q ? (size_t)(q - p) : strlen(p);
		char *item = text_trim(xstrndup(p, n));
		if (*item) {
			int seen = 0;
			const char *o = buf_cstr(&out);
			size_t il = strlen(item);
			while (*o && !seen) {
				const char *oq = strstr(o, sep);
				size_t on = oq ? (size_t)(oq - o) : strlen(o);
				seen = on == il && !memcmp(o, item, il);
				o = oq ? oq + strlen(sep) : o + on;
			}
			if (!seen) {
				if (out.len)
					buf_puts(&out, sep);
				buf_puts(&out, item);
			}
		}
		free(item);
		p = q ? q + strlen(sep) : p + n;
	}
	return buf_steal(&out);
}

/* Fills r from one list item (or a detail's params).  Returns 0, or -1 when
 * the item is not a website record (no domain). */
static int
record_from_json(json_t *o, struct icp_record *r)
{
	if (!json_is_object(o))
		return -1;
	r->domain = json_str_member(o, "domain");
	if (!r->domain || !*r->domain)
		return -1;
	ascii_lower(r->domain);
	r->domain_id = json_id_member(o, "domainId");
	r->main_id = json_id_member(o, "mainId");
	r->service_id = json_id_member(o, "serviceId");
	r->unit_name = json_str_member(o, "unitName");
	r->nature_name = json_str_member(o, "natureName");
	r->nature = nature_from_name(r->nature_name);
	r->main_licence = json_str_member(o, "mainLicence");
	r->service_licence = json_str_member(o, "serviceLicence");
	r->limit_access = json_str_member(o, "limitAccess");
	r->update_record_time = json_str_member(o, "updateRecordTime");
	char *ct = json_str_member(o, "contentTypeName");
	if (ct) {
		r->content_type_name = dedupe_content_types(ct);
		free(ct);
	}
	r->service_name = json_str_member(o, "serviceName");
	r->home_url = json_str_member(o, "homeUrl");
	return 0;
}

/* Loads body and classifies its envelope.  On ICP_OK *root holds the parsed
 * object (caller json_decref's it); otherwise *root is NULL.  code and msg
 * get the envelope's values.  captcha_step: a code-200 refusal means the
 * captcha answer was wrong (image/checkImage). */
static enum icp_reply_kind
classify(const char *body, size_t len, json_t **root, int *code, char *msg, int captcha_step)
{
	*root = NULL;
	*code = 0;
	copy_msg(msg, "");
	if (!body || !len)
		return ICP_BAD_BODY;
	if (len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
		body += 3, len -= 3;
	const char *s = skip_space(body, body + len);
	if (s == body + len)
		return ICP_BAD_BODY;
	if (*s != '{' && *s != '[' && looks_like_html(body, len))
		return ICP_BLOCKED;
	json_error_t jerr;
	json_t *o = json_loadb(body, len, 0, &jerr);
	if (!o)
		return looks_like_html(body, len) ? ICP_BLOCKED : ICP_BAD_BODY;
	if (!json_is_object(o)) {
		json_decref(o);
		return ICP_BAD_BODY;
	}
	json_t *jcode = json_object_get(o, "code");
	json_t *jsuccess = json_object_get(o, "success");
	json_t *jmsg = json_object_get(o, "msg");
	const char *m = json_is_string(jmsg) ? json_string_value(jmsg) : "";
	copy_msg(msg, m);
	int64_t c = json_int_member(o, "code", 0);
	*code = c >= -100000 && c <= 100000 ? (int)c : 0;
	if (!jcode && !json_is_boolean(jsuccess)) {
		json_decref(o);
		return ICP_BAD_BODY;
	}
	int success = json_is_true(jsuccess);
	enum icp_reply_kind kind;
	if (strstr(m, "验证码")) {
		kind = ICP_CAPTCHA;
	} else if (c == 401) {
		kind = strstr(m, "过期") || strcasestr(m, "token") ? ICP_TOKEN_EXPIRED
								    : ICP_AUTH_FAILED;
	} else if (c == 429 || strstr(m, "频次过高")) {
		kind = ICP_RATE_LIMITED;
	} else if (c >= 400 && c < 500) {
		kind = ICP_BAD_REQUEST;
	} else if ((c == 200 || !jcode) && success) {
		kind = ICP_OK;
	} else if ((c == 200 || !jcode) && captcha_step) {
		kind = ICP_CAPTCHA;
	} else if (c == 200 && !json_is_boolean(jsuccess)) {
		kind = ICP_BAD_BODY;
	} else if (c == 200 && strstr(m, "验证")) {
		kind = ICP_CAPTCHA;
	} else {
		kind = ICP_SERVER_ERROR;
	}
	if (kind == ICP_OK)
		*root = o;
	else
		json_decref(o);
	return kind;
}

static struct icp_record *
page_push(struct icp_query_page *p)
{
	p->records = xgrow(p->records, &p->cap_records, p->n_records + 1, sizeof(*p->records));
	struct icp_record *r = &p->records[p->n_records++];
	icp_record_init(r);
	return r;
}

/* Reads params as a PageHelper PageInfo (params.list) or a detail record.
 * Returns 0, or -1 when params has neither shape. */
static int
page_from_params(json_t *params, struct icp_query_page *p, char *err)
{
	if (!json_is_object(params))
		return set_err(err, "params is not an object");
	json_t *list = json_object_get(params, "list");
	if (!list) {
		struct icp_record *r = page_push(p);
		if (record_from_json(params, r) < 0)
			return set_err(err, "params has neither list nor domain");
		p->total = 1;
		p->page_num = p->pages = 1;
		p->is_last_page = 1;
		return 0;
	}
	if (!json_is_array(list))
		return set_err(err, "params.list is not an array");
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		struct icp_record *r = page_push(p);
		if (record_from_json(item, r) < 0)
			return set_err(err, "params.list[%zu] is not a website record", i);
	}
	p->total = json_int_member(params, "total", (int64_t)p->n_records);
	if (p->total < 0)
		p->total = 0;
	int64_t page_num = json_int_member(params, "pageNum", 1);
	int64_t last = json_int_member(params, "lastPage",
				       json_int_member(params, "navigateLastPage", 1));
	int64_t pages = json_int_member(params, "pages", last);
	p->page_num = page_num >= 0 && page_num <= 1000000 ? (int)page_num : 1;
	p->pages = pages >= 0 && pages <= 1000000 ? (int)pages : 1;
	json_t *is_last = json_object_get(params, "isLastPage");
	if (json_is_boolean(is_last))
		p->is_last_page = json_is_true(is_last);
	else
		p->is_last_page = p->page_num >= p->pages;
	return 0;
}

/* Returns 0 once the body is classified into p (p->kind; records only on
 * ICP_OK, owned by p, freed by icp_query_page_finish); -1 with err for
 * nonsense arguments.  What p held before is released first. */
int
icp_query_parse(const char *body, size_t len, struct icp_query_page *p, char *err)
{
	if (!p || (!body && len))
		return set_err(err, "icp_query_parse: bad arguments");
	icp_query_page_finish(p);
	json_t *root;
	p->kind = classify(body, len, &root, &p->code, p->msg, 0);
	if (p->kind != ICP_OK)
		return 0;
	char why[ERRBUF_SIZE];
	if (page_from_params(json_object_get(root, "params"), p, why) < 0) {
		int code = p->code;
		icp_query_page_finish(p);
		p->kind = ICP_BAD_BODY;
		p->code = code;
		copy_msg(p->msg, why);
	}
	json_decref(root);
	return 0;
}

/* Returns the reply kind; on ICP_OK *token is malloc'd (caller frees), else
 * NULL.  msg may be NULL. */
enum icp_reply_kind
icp_auth_parse(const char *body, size_t len, char **token, int64_t *expire_ms,
	       char msg[128])
{
	json_t *root;
	int code;
	*token = NULL;
	*expire_ms = 0;
	enum icp_reply_kind kind = classify(body, len, &root, &code, msg, 0);
	if (kind != ICP_OK)
		return kind;
	json_t *params = json_object_get(root, "params");
	char *t = json_str_member(params, "bussiness");
	if (!t || !*t) {
		free(t);
		json_decref(root);
		return ICP_BAD_BODY;
	}
	*token = t;
	*expire_ms = json_int_member(params, "expire", 0);
	json_decref(root);
	return ICP_OK;
}

/* Returns the reply kind; c is zeroed first and filled on ICP_OK (free with
 * icp_captcha_finish).  msg may be NULL. */
enum icp_reply_kind
icp_captcha_parse(const char *body, size_t len, struct icp_captcha *c, char msg[128])
{
	json_t *root;
	int code;
	memset(c, 0, sizeof(*c));
	enum icp_reply_kind kind = classify(body, len, &root, &code, msg, 1);
	if (kind != ICP_OK)
		return kind;
	json_t *params = json_object_get(root, "params");
	c->uuid = json_str_member(params, "uuid");
	c->big_image = json_str_member(params, "bigImage");
	c->small_image = json_str_member(params, "smallImage");
	c->secret_key = json_str_member(params, "secretKey");
	int64_t h = json_int_member(params, "height", 0);
	c->height = h >= 0 && h <= 100000 ? (int)h : 0;
	json_decref(root);
	if (!c->uuid || !*c->uuid || !c->big_image || !c->small_image) {
		icp_captcha_finish(c);
		return ICP_BAD_BODY;
	}
	return ICP_OK;
}

/* Returns the reply kind; on ICP_OK *sign is malloc'd (caller frees), else
 * NULL.  msg may be NULL. */
enum icp_reply_kind
icp_sign_parse(const char *body, size_t len, char **sign, char msg[128])
{
	json_t *root;
	int code;
	*sign = NULL;
	enum icp_reply_kind kind = classify(body, len, &root, &code, msg, 1);
	if (kind != ICP_OK)
		return kind;
	json_t *params = json_object_get(root, "params");
	char *s = json_is_string(params) ? text_trim(xstrdup(json_string_value(params)))
					 : json_str_member(params, "sign");
	json_decref(root);
	if (!s || !*s) {
		free(s);
		return ICP_BAD_BODY;
	}
	*sign = s;
	return ICP_OK;
}

/* Licence numbers.  P = the province letters research §4.3 accepts (川 甘 贵
 * 云 included: seen in footers; 秦 is not); the text is folded first, so
 * digits and dashes are ASCII. */
#define PROVINCES "[京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝蜀川黔贵滇云藏陕陇甘青宁新]"
#define DASH "[-－—–]"
#define SUFFIX "(?:\\s*+" DASH "\\s*+([0-9]{1,4})(?![0-9]))?"

static const char *const licence_patterns[] = {
	[LICENCE_ICP_BEI] = "(" PROVINCES ")\\s*+(?i:ICP)\\s*+备\\s*+(?:\\([^)]{0,40}\\)\\s*+)?"
			    "([0-9]{6,10})(?![0-9])\\s*+(?:号)?" SUFFIX,
	[LICENCE_ICP_ZHENG] = "(" PROVINCES ")\\s*+(?i:ICP)\\s*+证\\s*+([0-9]{5,8})(?![0-9])"
			      "\\s*+(?:号)?" SUFFIX,
	[LICENCE_B2] = "(?:(" PROVINCES ")\\s*+|(?<![A-Za-z0-9]))B2\\s*+" DASH
		       "\\s*+([0-9]{7,8})(?![0-9])\\s*+(?:号)?" SUFFIX,
};

static pcre2_code *licence_re[4];

/* Compiles the patterns on first use; they live until the process exits. */
static void
licence_compile(void)
{
	if (licence_re[LICENCE_ICP_BEI])
		return;
	for (int k = LICENCE_ICP_BEI; k <= LICENCE_B2; k++) {
		int ec;
		PCRE2_SIZE off;
		licence_re[k] = pcre2_compile((PCRE2_SPTR)licence_patterns[k], PCRE2_ZERO_TERMINATED,
					      PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
		if (!licence_re[k]) {
			fprintf(stderr, "kmrep: licence pattern %d does not compile at %zu\n", k,
				(size_t)off);
			abort();
		}
	}
}

static int
all_same(const char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			return 0;
	return 1;
}

/* 12345678, 1234567890 (9 wraps to 0), 87654321. */
static int
is_run(const char *d, size_t n, int step)
{
	for (size_t i = 1; i < n; i++)
		if ((d[i - 1] - '0' + 10 + step) % 10 != d[i] - '0')
			return 0;
	return 1;
}

/* 10000000, 20000000: one digit then zeros. */
static int
is_round(const char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != '0')
			return 0;
	return 1;
}

static int
digits_placeholder(const char *d, size_t n)
{
	return n > 1 && (all_same(d, n) || is_run(d, n, 1) || is_run(d, n, -1) || is_round(d, n));
}

static int
year_from_digits(const char *d, size_t n)
{
	if (n == 8) {
		int yy = (d[0] - '0') * 10 + (d[1] - '0');
		return yy >= 90 ? 1900 + yy : 2000 + yy;
	}
	if (n == 10) {
		char yyyy[5] = {d[0], d[1], d[2], d[3], '\0'};
		int y = atoi(yyyy);
		return y >= 1990 && y <= 2099 ? y : 0;
	}
	return 0;
}

/* Builds out from a match of pattern kind in subject. */
static void
licence_from_match(const char *subject, PCRE2_SIZE *ov, enum licence_kind kind,
		   struct licence *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	const char *prov = ov[2] != PCRE2_UNSET ? subject + ov[2] : "";
	int prov_len = ov[2] != PCRE2_UNSET ? (int)(ov[3] - ov[2]) : 0;
	const char *digits = subject + ov[4];
	int n_digits = (int)(ov[5] - ov[4]);
	const char *kind_text = kind == LICENCE_ICP_BEI ? "ICP备"
				: kind == LICENCE_ICP_ZHENG ? "ICP证"
							     : "B2-";
	snprintf(out->main, sizeof(out->main), "%.*s%s%.*s", prov_len, prov, kind_text, n_digits,
		 digits);
	if (ov[6] != PCRE2_UNSET) {
		const char *suffix = subject + ov[6]; /* 1-4 digits, leading zeros dropped */
		int n_suffix = (int)(ov[7] - ov[6]);
		while (n_suffix > 1 && *suffix == '0')
			suffix++, n_suffix--;
		snprintf(out->canonical, sizeof(out->canonical), "%.40s-%.*s", out->main, n_suffix,
			 suffix);
	} else {
		snprintf(out->canonical, sizeof(out->canonical), "%s", out->main);
	}
	out->placeholder = digits_placeholder(digits, (size_t)n_digits);
	if (kind == LICENCE_ICP_BEI && !out->placeholder)
		out->year = year_from_digits(digits, (size_t)n_digits);
}

/* Returns 0 with out and [*start, *end) set for the first licence at or
 * after from, or -1.  Nothing to free. */
int
licence_find(const char *text, size_t len, size_t from, struct licence *out, size_t *start,
	     size_t *end)
{
	licence_compile();
	if (from > len)
		return -1;
	int best = -1;
	PCRE2_SIZE best_ov[8];
	for (int k = LICENCE_ICP_BEI; k <= LICENCE_B2; k++) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(licence_re[k], NULL);
		int rc = pcre2_match(licence_re[k], (PCRE2_SPTR)text, len, from, 0, md, NULL);
		if (rc > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (best < 0 || ov[0] < best_ov[0]) {
				best = k;
				for (int i = 0; i < 8; i++)
					best_ov[i] = i < 2 * rc ? ov[i] : PCRE2_UNSET;
			}
		}
		pcre2_match_data_free(md);
	}
	if (best < 0)
		return -1;
	licence_from_match(text, best_ov, (enum licence_kind)best, out);
	*start = best_ov[0];
	*end = best_ov[1];
	return 0;
}

/* Returns 0 with out set when the whole of s (trimmed) is one licence
 * number, else -1 with out zeroed.  Nothing to free. */
int
licence_parse(const char *s, struct licence *out)
{
	memset(out, 0, sizeof(*out));
	if (!s)
		return -1;
	struct buf folded;
	buf_init(&folded);
	text_fold(&folded, s, strlen(s));
	char *t = text_trim(buf_steal(&folded));
	size_t len = strlen(t);
	size_t start, end;
	int rc = -1;
	if (licence_find(t, len, 0, out, &start, &end) == 0 && start == 0 && end == len)
		rc = 0;
	else
		memset(out, 0, sizeof(*out));
	free(t);
	return rc;
}
