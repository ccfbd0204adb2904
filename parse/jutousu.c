#include "jutousu.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

/* The login wall's own words (research §2: the known crawlers stop on it). */
#define LOGIN_MARK "登录聚投诉"

static bool
has(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (!memcmp(s + i, needle, n))
			return true;
	return false;
}

/* Why a body that is not JSON was served: the login wall, a captcha, an
 * HTML error page, or nothing at all. */
static enum page_kind
classify_not_json(const char *s, size_t len, const char *json_error, char *err)
{
	size_t a = 0;
	while (a < len && strchr(" \t\r\n", s[a]))
		a++;
	if (a == len) {
		set_err(err, "empty body where JSON was expected");
		return PAGE_NOT_JSON;
	}
	if (has(s, len, LOGIN_MARK)) {
		set_err(err, "login page where JSON was expected (" LOGIN_MARK ")");
		return PAGE_LOGIN_REQUIRED;
	}
	if (has(s, len, "验证码") || has(s, len, "captcha")) {
		set_err(err, "captcha page where JSON was expected");
		return PAGE_BLOCKED;
	}
	if (s[a] == '<') {
		set_err(err, "HTML page where JSON was expected (an error page?)");
		return PAGE_NOT_JSON;
	}
	set_err(err, "body is not JSON: %s", json_error);
	return PAGE_NOT_JSON;
}

/* The body as a JSON object, bad UTF-8 repaired; NULL with *kind and err
 * when it is not one. */
static json_t *
load(const char *body, size_t len, enum page_kind *kind, char *err)
{
	struct buf repaired;
	buf_init(&repaired);
	if (!utf8_valid(body, len)) {
		text_utf8_repair(&repaired, body, len);
		body = repaired.data;
		len = repaired.len;
	}
	size_t i = len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3) ? 3 : 0;
	json_error_t jerr;
	json_t *doc = NULL;
	if (i < len && body[i] != '<')
		doc = json_loadb(body + i, len - i, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!doc) {
		*kind = classify_not_json(body, len, i < len && body[i] != '<' ? jerr.text : "",
					  err);
	} else if (!json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
		*kind = PAGE_LAYOUT_CHANGED;
		set_err(err, "JSON that is not an object");
	}
	buf_finish(&repaired);
	return doc;
}

/* Text of an HTML-ish JSON string (tags and entities removed), NULL when
 * absent, not a string or empty. */
static char *
snippet(const json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	char *s = html_snippet_text(json_string_value(v), json_string_length(v));
	if (!*s) {
		free(s);
		return NULL;
	}
	return s;
}

/* A decimal id (number or digit string), malloc'd, or NULL. */
static char *
id_text(const json_t *v)
{
	if (json_is_integer(v) && json_integer_value(v) > 0)
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	size_t n = strlen(s);
	if (n == 0 || n > 19 || strspn(s, "0123456789") != n)
		return NULL;
	return xstrdup(s);
}

/* Unix seconds from ctime (seconds, or milliseconds as some pages give). */
static int64_t
unix_seconds(const json_t *v)
{
	int64_t t = 0;
	if (json_is_integer(v)) {
		t = json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = strlen(s);
		if (n == 0 || n > 15 || strspn(s, "0123456789") != n)
			return 0;
		t = strtoll(s, NULL, 10);
	}
	if (t > 100000000000LL)
		t /= 1000;
	return t > 0 ? t : 0;
}

/* "停止骚扰,道歉，赔偿" -> "停止骚扰\n道歉\n赔偿": the record's list form.
 * NULL when nothing is left. */
static char *
split_list(const char *s)
{
	if (!s)
		return NULL;
	struct buf out;
	buf_init(&out);
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *full = strstr(p, "，");
		if (full && (size_t)(full - p) < n)
			n = (size_t)(full - p);
		char *item = xstrndup(p, n);
		text_trim(item);
		if (*item)
			buf_printf(&out, "%s%s", out.len ? "\n" : "", item);
		free(item);
		p += n;
		if (*p == ',')
			p++;
		else if (!strncmp(p, "，", strlen("，")))
			p += strlen("，");
	}
	char *r = out.len ? xstrdup(buf_cstr(&out)) : NULL;
	buf_finish(&out);
	return r;
}

/* Hex SHA-256 of "jutousu:" + name: a complainant told apart without
 * keeping the name (as for 黑猫). */
static char *
person_key(const json_t *v)
{
	if (!json_is_string(v) || !json_string_length(v))
		return NULL;
	struct buf msg;
	buf_init(&msg);
	buf_append(&msg, "jutousu:", 8);
	buf_append(&msg, json_string_value(v), json_string_length(v));
	char hex[65];
	sha256_hex(msg.data, msg.len, hex);
	buf_finish(&msg);
	return xstrdup(hex);
}

/* Fills c from a list item or a detail's post; false without a usable id. */
static bool
complaint_of(const json_t *item, struct complaint *c)
{
	char *id = id_text(json_object_get(item, "id"));
	if (!id)
		return false;
	c->source = "jutousu";
	c->source_id = id;
	c->url = xasprintf(JUTOUSU_COMPLAINT_URL "%s", id);
	c->title = snippet(json_object_get(item, "title"));
	c->summary = snippet(json_object_get(item, "shortTopic"));
	c->merchant_name = snippet(json_object_get(item, "merchantname"));
	c->merchant_id = id_text(json_object_get(item, "merchantId"));
	char *appeal = snippet(json_object_get(item, "shuqiu"));
	c->appeal = split_list(appeal);
	free(appeal);
	c->complainant_key = person_key(json_object_get(item, "username"));
	c->filed_at = unix_seconds(json_object_get(item, "ctime"));
	return true;
}

int
jutousu_list_parse(const char *body, size_t len, struct list_page *out, char *err)
{
	list_page_finish(out);
	json_t *doc = load(body, len, &out->kind, err);
	if (!doc)
		return -1;
	const json_t *list = json_object_get(doc, "postList");
	const json_t *code = json_object_get(doc, "code");
	if (!json_is_array(list)) {
		const char *msg = json_string_value(json_object_get(doc, "msg"));
		if (json_is_integer(code) && json_integer_value(code) != 0) {
			out->kind = PAGE_API_ERROR;
			out->code = json_integer_value(code);
			set_err(err, "API error %lld%s%s", (long long)out->code, msg ? ": " : "",
				msg ? msg : "");
		} else {
			out->kind = PAGE_LAYOUT_CHANGED;
			set_err(err, "no postList in the page");
		}
		json_decref(doc);
		return -1;
	}
	const json_t *offset = json_object_get(doc, "offset");
	if (json_is_string(offset) && json_string_length(offset))
		out->next_cursor = xstrdup(json_string_value(offset));
	else if (json_is_integer(offset))
		out->next_cursor = xasprintf("%lld", (long long)json_integer_value(offset));
	size_t n = json_array_size(list), i;
	const json_t *item;
	json_array_foreach(list, i, item) {
		struct complaint *c = complaint_list_add(&out->complaints);
		if (!json_is_object(item) || !complaint_of(item, c)) {
			complaint_finish(c);
			out->complaints.len--;
			out->skipped++;
		}
	}
	json_decref(doc);
	out->last = n < JUTOUSU_PAGE_SIZE;
	if (n && !out->complaints.len) {
		out->kind = PAGE_LAYOUT_CHANGED;
		set_err(err, "none of the %zu items has an id", n);
		return -1;
	}
	if (!n && out->next_cursor) {
		/* The end of a list gives no cursor; an empty page that offers one
		 * claims more to come (risk control, or a broken page). */
		out->kind = PAGE_BLOCKED;
		set_err(err, "an empty page that offers a next cursor");
		return -1;
	}
	out->kind = n ? PAGE_OK : PAGE_EMPTY;
	return (int)out->complaints.len;
}

/* The digits after /merchant/show/id/ in the first link naming a merchant,
 * malloc'd, or NULL. */
static char *
merchant_of_page(htmlDocPtr doc)
{
	static const char mark[] = "/merchant/show/id/";
	xmlNodePtr a = html_xpath_first(doc, NULL, "//a[contains(@href, '/merchant/show/id/')]");
	char *href = a ? html_attr(a, "href") : NULL;
	char *id = NULL;
	const char *p = href ? strstr(href, mark) : NULL;
	if (p) {
		p += sizeof(mark) - 1;
		size_t n = strspn(p, "0123456789");
		if (n && n <= 19)
			id = xstrndup(p, n);
	}
	free(href);
	return id;
}

int
jutousu_post_key_parse(const char *html, size_t len, char **key, char **merchant_id,
		       enum detail_kind *kind, char *err)
{
	*key = NULL;
	*merchant_id = NULL;
	*kind = DETAIL_UNRECOGNISED;
	htmlDocPtr doc = html_parse(html, len, "UTF-8");
	xmlNodePtr input = doc ? html_xpath_first(doc, NULL, "//input[@id='postKeyValue']") : NULL;
	char *value = input ? html_attr(input, "value") : NULL;
	char *merchant = doc ? merchant_of_page(doc) : NULL;
	if (doc)
		xmlFreeDoc(doc);
	if (value && *value && strlen(value) <= 64 &&
	    strspn(value, "0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ") ==
		    strlen(value)) {
		*key = value;
		*merchant_id = merchant;
		*kind = DETAIL_OK;
		return 0;
	}
	free(value);
	free(merchant);
	if (has(html, len, LOGIN_MARK)) {
		*kind = DETAIL_LOGIN_REQUIRED;
		return set_err(err, "the login wall instead of the complaint page");
	}
	if (has(html, len, "页面不存在") || has(html, len, "帖子不存在")) {
		*kind = DETAIL_NOT_FOUND;
		return set_err(err, "the complaint page does not exist");
	}
	return set_err(err, "no postKeyValue in the complaint page");
}

/* "problemLabelList": [{"name": ...}] as the record's list form. */
static char *
labels(const json_t *list)
{
	struct buf out;
	buf_init(&out);
	size_t i;
	const json_t *item;
	json_array_foreach(list, i, item) {
		char *name = snippet(json_object_get(item, "name"));
		if (name)
			buf_printf(&out, "%s%s", out.len ? "\n" : "", name);
		free(name);
	}
	char *r = out.len ? xstrdup(buf_cstr(&out)) : NULL;
	buf_finish(&out);
	return r;
}

int
jutousu_detail_parse(const char *body, size_t len, struct complaint_detail *out, char *err)
{
	complaint_detail_finish(out);
	enum page_kind kind;
	json_t *doc = load(body, len, &kind, err);
	if (!doc) {
		out->kind = kind == PAGE_LOGIN_REQUIRED ? DETAIL_LOGIN_REQUIRED : DETAIL_UNRECOGNISED;
		return -1;
	}
	const json_t *post = json_object_get(doc, "post");
	int rc = 0;
	if (json_is_null(post) && json_object_get(doc, "post")) {
		out->kind = DETAIL_NOT_FOUND;
		const char *msg = json_string_value(json_object_get(doc, "msg"));
		rc = set_err(err, "no such complaint%s%s", msg ? ": " : "", msg ? msg : "");
	} else if (!json_is_object(post)) {
		out->kind = DETAIL_UNRECOGNISED;
		rc = set_err(err, "no post in the detail page");
	} else {
		struct complaint *c = xmalloc(sizeof(*c));
		complaint_init(c);
		if (!complaint_of(post, c)) {
			complaint_finish(c);
			free(c);
			out->kind = DETAIL_UNRECOGNISED;
			rc = set_err(err, "the post has no id");
		} else {
			/* The detail's full text replaces the list's shortTopic. */
			char *topic = snippet(json_object_get(post, "topic"));
			if (topic) {
				free(c->summary);
				c->summary = topic;
			}
			c->issue = labels(json_object_get(post, "problemLabelList"));
			const char *when = json_string_value(json_object_get(post, "ctimeStr"));
			int64_t t;
			if (when && time_parse_iso(when, SHANGHAI_OFFSET_S, &t) == 0)
				c->filed_at = t;
			out->kind = DETAIL_OK;
			out->source_id = xstrdup(c->source_id);
			out->merchant_id = xstrdup_or_null(c->merchant_id);
			out->merchant_name = xstrdup_or_null(c->merchant_name);
			out->title = xstrdup_or_null(c->title);
			out->posted_at = c->filed_at;
			out->record = c;
		}
	}
	json_decref(doc);
	return rc;
}
