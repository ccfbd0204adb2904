/* A platform's home page -> its title and the ICP / 公安 numbers it claims
 * (research/icp-sources.md §4.4 patterns and traps, §5 where to look). */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "site.h"

#include <libxml/encoding.h>
#include <libxml/globals.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "text.h"
#include "xalloc.h"

/* Visible text kept for the whole-page search: the head and the tail (where
 * footers are) of longer pages. */
#define TEXT_CAP (64 * 1024)
/* How many ICP-like numbers are tried before giving up on a text. */
#define MAX_CANDIDATES 32
/* How many links to the registry are read before giving up on them. */
#define MAX_LINKS 64
/* How far into the raw bytes a <meta charset> is looked for. */
#define META_SCAN 16384

/* Zeroes p; it owns nothing yet. */
void
site_page_init(struct site_page *p)
{
	memset(p, 0, sizeof(*p));
}

/* Frees the strings p owns and zeroes it; p may be NULL. */
void
site_page_finish(struct site_page *p)
{
	if (!p)
		return;
	free(p->title);
	free(p->charset);
	free(p->icp_raw);
	free(p->police_number);
	site_page_init(p);
}

/* Joke registries print a real-looking province letter after their own name
 * (星云ICP备, research §4.4 trap 1): a match right after one of these is a
 * joke, not a claim. */
static int
after_joke_prefix(const char *text, size_t start)
{
	static const char *const jokes[] = {"星", "萌", "茶", "梦", NULL};
	for (size_t i = 0; jokes[i]; i++) {
		size_t n = strlen(jokes[i]);
		if (start >= n && !memcmp(text + start - n, jokes[i], n))
			return 1;
	}
	return 0;
}

/* Anything that looks like an ICP number but is not a licence the patterns
 * accept: 秦ICP备-10088665, 萌ICP备 0000000 号, 川ICP备1XXXXXX1号. */
static const char fake_pattern[] =
	"(?i:ICP)\\s*+[备证]\\s*+(?:\\([^)]{0,40}\\)\\s*+)?(?:-\\s*+)?[0-9Xx*]{4,12}"
	"\\s*+(?:号)?";
static const char police_pattern[] =
	"([京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝蜀川黔贵滇云藏陕陇甘青宁新])"
	"\\s*+公网安备\\s*+(?:号\\s*+[:：]?\\s*+)?([0-9]{11,16})(?![0-9])";

static pcre2_code *fake_re, *police_re;

static pcre2_code *
compile_or_die(const char *pattern)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
	if (!re) {
		fprintf(stderr, "kmrep: site pattern does not compile at %zu\n", (size_t)off);
		abort();
	}
	return re;
}

/* Compiles the patterns on first use; they live until the process exits
 * (kmrep is single threaded). */
static void
site_compile(void)
{
	if (fake_re)
		return;
	fake_re = compile_or_die(fake_pattern);
	police_re = compile_or_die(police_pattern);
}

/* Turns no-break spaces (&nbsp;) into spaces and collapses runs of spaces,
 * in place; returns s. */
static char *
normalise_spaces(char *s)
{
	char *w = s;
	int last_space = 0;
	for (const char *r = s; *r;) {
		int space = *r == ' ' || ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0);
		if (space) {
			r += *r == ' ' ? 1 : 2;
			if (!last_space)
				*w++ = ' ';
			last_space = 1;
		} else {
			*w++ = *r++;
			last_space = 0;
		}
	}
	*w = '\0';
	return text_trim(s);
}

/* Runs re over text from offset; fills ov[0..2n) and returns the number of
 * pairs, or 0 when there is no match. */
static int
match_at(pcre2_code *re, const char *text, size_t len, size_t from, PCRE2_SIZE *ov, int n)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)text, len, from, 0, md, NULL);
	if (rc > 0) {
		PCRE2_SIZE *got = pcre2_get_ovector_pointer(md);
		for (int i = 0; i < 2 * n; i++)
			ov[i] = i < 2 * rc ? got[i] : PCRE2_UNSET;
	}
	pcre2_match_data_free(md);
	return rc > 0 ? rc : 0;
}

/* What the search found so far across the places a claim may be. */
struct claim_search {
	char *raw;          /* first real claim as printed, or NULL */
	struct licence lic;
	char *fake_raw;     /* first placeholder / joke / malformed number */
};

static char *
span_dup(const char *text, size_t start, size_t end)
{
	return text_trim(xstrndup(text + start, end - start));
}

/* Searches folded text; returns 1 when a real claim was found (cs->raw and
 * cs->lic set), 0 otherwise (cs->fake_raw set when a fake was seen). */
static int
search_claim(const char *text, size_t len, struct claim_search *cs)
{
	site_compile();
	size_t from = 0, start, end;
	struct licence lic;
	for (int tries = 0; tries < MAX_CANDIDATES &&
			    licence_find(text, len, from, &lic, &start, &end) == 0;
	     tries++) {
		if (!lic.placeholder && !after_joke_prefix(text, start)) {
			cs->lic = lic;
			cs->raw = span_dup(text, start, end);
			return 1;
		}
		if (!cs->fake_raw)
			cs->fake_raw = after_joke_prefix(text, start)
					       ? span_dup(text, start - strlen("星"), end)
					       : span_dup(text, start, end);
		from = end > from ? end : from + 1;
	}
	PCRE2_SIZE ov[2];
	if (!cs->fake_raw && match_at(fake_re, text, len, 0, ov, 1)) {
		/* Keep the letter before ICP: 秦ICP备, 萌ICP备. */
		size_t start_fake = ov[0];
		while (start_fake > 0 && text[start_fake - 1] == ' ')
			start_fake--;
		if (start_fake > 0 && text[start_fake - 1] != '\n') {
			start_fake--;
			while (start_fake > 0 && ((unsigned char)text[start_fake] & 0xC0) == 0x80)
				start_fake--;
		} else {
			start_fake = ov[0];
		}
		cs->fake_raw = span_dup(text, start_fake, ov[1]);
	}
	return 0;
}

static void
fold_into(struct buf *out, const char *s)
{
	buf_reset(out);
	text_fold(out, s, strlen(s));
}

/* Returns 0 with *raw (malloc'd, caller frees) and out set to the first
 * real number in text; -1 otherwise (see site.h for placeholders). */
int
site_find_icp(const char *text, char **raw, struct licence *out)
{
	struct claim_search cs = {0};
	struct buf folded;
	buf_init(&folded);
	fold_into(&folded, text ? text : "");
	int found = search_claim(buf_cstr(&folded), folded.len, &cs);
	buf_finish(&folded);
	memset(out, 0, sizeof(*out));
	if (found) {
		*out = cs.lic;
		*raw = cs.raw;
		free(cs.fake_raw);
		return 0;
	}
	*raw = cs.fake_raw;
	out->placeholder = cs.fake_raw != NULL;
	return -1;
}

/* The first 公安 number in folded text, canonical, or NULL. */
static char *
find_police(const char *text, size_t len)
{
	site_compile();
	PCRE2_SIZE ov[6];
	size_t from = 0;
	while (from <= len && match_at(police_re, text, len, from, ov, 3) == 3) {
		const char *digits = text + ov[4];
		size_t n = ov[5] - ov[4], same = 1;
		while (same < n && digits[same] == digits[0])
			same++;
		if (same < n)
			return xasprintf("%.*s公网安备%.*s", (int)(ov[3] - ov[2]), text + ov[2], (int)n,
					 digits);
		from = ov[1];
	}
	return NULL;
}

static int
is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

static int
is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == ':';
}

/* Reads a charset value at s (after "charset"): = then an optionally quoted
 * token.  Returns it lowercased, malloc'd, or NULL. */
static char *
charset_value(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end || *s != '=')
		return NULL;
	s++;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\''))
		s++;
	const char *v = s;
	while (s < end && is_token_char(*s) && s - v < 40)
		s++;
	if (s == v)
		return NULL;
	char *r = xstrndup(v, (size_t)(s - v));
	for (char *c = r; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return r;
}

static const char *
find_nocase(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (; s + n <= end; s++)
		if (!strncasecmp(s, needle, n))
			return s;
	return NULL;
}

/* The charset the HTTP header declares, else the first <meta> that does. */
static char *
declared_charset(const char *body, size_t len, const char *content_type)
{
	if (content_type) {
		const char *end = content_type + strlen(content_type);
		const char *cs = find_nocase(content_type, end, "charset");
		char *v = cs ? charset_value(cs + 7, end) : NULL;
		if (v)
			return v;
	}
	const char *end = body + (len < META_SCAN ? len : META_SCAN);
	for (const char *m = find_nocase(body, end, "<meta"); m;
	     m = find_nocase(m + 5, end, "<meta")) {
		const char *tag_end = memchr(m, '>', (size_t)(end - m));
		if (!tag_end)
			tag_end = end;
		const char *cs = find_nocase(m, tag_end, "charset");
		char *v = cs ? charset_value(cs + 7, tag_end) : NULL;
		if (v)
			return v;
	}
	return NULL;
}

/* The name libxml2 (iconv) decodes a declared charset with: the GB family is
 * read as GB18030, its superset, since pages labelled gb2312 use GBK
 * characters. */
static const char *
decoder_name(const char *charset)
{
	static const char *const gb[] = {"gb2312", "gbk", "x-gbk", "cp936", "windows-936",
					 "gb18030", "euc-cn", "gb_2312-80", NULL};
	for (size_t i = 0; gb[i]; i++)
		if (!strcmp(charset, gb[i]))
			return "GB18030";
	if (!strcmp(charset, "utf8") || !strcmp(charset, "utf-8"))
		return "UTF-8";
	return charset;
}

static void
silent_generic(void *ctx, const char *fmt, ...)
{
}

static void
silent_structured(void *ctx, xmlErrorPtr error)
{
}


/* True when body is UTF-8 but for a sequence cut short at its very end (a
 * body truncated by a size cap). */
static int
utf8_valid_prefix(const char *body, size_t len)
{
	const unsigned char *s = (const unsigned char *)body;
	size_t i = 0, n;
	while (i < len && (n = utf8_decode(s + i, len - i, NULL)) != 0)
		i += n;
	if (i == len)
		return 1;
	size_t want = (s[i] & 0xE0) == 0xC0   ? 2
		      : (s[i] & 0xF0) == 0xE0 ? 3
		      : (s[i] & 0xF8) == 0xF0 ? 4
					      : 0;
	if (!want || len - i >= want)
		return 0;
	for (size_t k = i + 1; k < len; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* Appends body with every byte that is not well-formed UTF-8 (and NUL)
 * replaced by U+FFFD, so libxml2 never meets an encoding error. */
static void
utf8_sanitise(struct buf *out, const char *body, size_t len)
{
	const unsigned char *s = (const unsigned char *)body;
	size_t i = 0;
	while (i < len) {
		size_t n = s[i] ? utf8_decode(s + i, len - i, NULL) : 0;
		if (n) {
			buf_append(out, s + i, n);
			i += n;
		} else {
			buf_puts(out, "\xEF\xBF\xBD");
			i++;
		}
	}
}

/* Decodes body from encoding to UTF-8 with libxml2's encoding handlers
 * (iconv), a byte the charset does not allow becoming U+FFFD: libxml2's own
 * parser stops at the first such byte and loses the footer.  Returns 0, or
 * -1 when libxml2 does not know the encoding. */
static int
decode_to_utf8(struct buf *out, const char *body, size_t len, const char *encoding)
{
	if (len > (size_t)INT32_MAX / 2)
		return -1;
	xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
	if (!handler)
		return -1;
	xmlBufferPtr in = xmlBufferCreateSize(len + 1);
	xmlBufferPtr converted = xmlBufferCreateSize(2 * len + 64);
	xmlBufferAdd(in, (const xmlChar *)body, (int)len);
	struct buf raw;
	buf_init(&raw);
	while (xmlBufferLength(in) > 0) {
		int before = xmlBufferLength(in);
		xmlCharEncInFunc(handler, converted, in);
		buf_append(&raw, xmlBufferContent(converted), (size_t)xmlBufferLength(converted));
		xmlBufferEmpty(converted);
		if (xmlBufferLength(in) == before) {
			/* No progress: an invalid or truncated sequence. */
			xmlBufferShrink(in, 1);
			buf_puts(&raw, "\xEF\xBF\xBD");
		}
	}
	xmlBufferFree(in);
	xmlBufferFree(converted);
	xmlCharEncCloseFunc(handler);
	utf8_sanitise(out, raw.data ? raw.data : "", raw.len);
	buf_finish(&raw);
	return 0;
}

/* Appends the text of the tree under root, skipping script and style, one
 * space between text nodes (the patterns allow spaces anywhere). */
static void
collect_text(xmlNodePtr root, struct buf *out)
{
	xmlNodePtr n = root;
	while (n) {
		int descend = 0;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content) {
				buf_puts(out, (const char *)n->content);
				buf_putc(out, ' ');
			}
		} else if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			descend = n->children && strcasecmp(name, "script") &&
				  strcasecmp(name, "style");
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n && n != root && !n->next)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
}

/* Cuts s to at most TEXT_CAP bytes: its first and last halves, each cut at a
 * UTF-8 character boundary. */
static void
cap_text(struct buf *b)
{
	if (b->len <= TEXT_CAP)
		return;
	size_t head = TEXT_CAP / 2, tail = b->len - TEXT_CAP / 2;
	while (head > 0 && ((unsigned char)b->data[head] & 0xC0) == 0x80)
		head--;
	while (tail < b->len && ((unsigned char)b->data[tail] & 0xC0) == 0x80)
		tail++;
	struct buf capped;
	buf_init(&capped);
	buf_append(&capped, b->data, head);
	buf_putc(&capped, '\n');
	buf_append(&capped, b->data + tail, b->len - tail);
	buf_finish(b);
	*b = capped;
}

/* Looks for the claim where research §5 says to: meta[name=icp], then the
 * text of links to the MIIT registry, then all visible text. */
static void
find_claim_in_doc(htmlDocPtr doc, const char *visible, size_t visible_len,
		  struct claim_search *cs)
{
	struct buf folded;
	buf_init(&folded);
	xmlNodePtr meta = html_xpath_first(doc, NULL,
					   "//meta[translate(@name,'ICP','icp')='icp']");
	char *content = html_attr(meta, "content");
	int found = 0;
	if (content) {
		fold_into(&folded, content);
		cap_text(&folded);
		found = search_claim(buf_cstr(&folded), folded.len, cs);
		free(content);
	}
	xmlXPathObjectPtr links = found ? NULL
				: html_xpath(doc, NULL,
					     "//a[contains(@href,'beian.miit.gov.cn') or "
					     "contains(@href,'miitbeian.gov.cn')]");
	if (links && links->nodesetval) {
		for (int i = 0; !found && i < links->nodesetval->nodeNr && i < MAX_LINKS; i++) {
			char *t = html_node_text(links->nodesetval->nodeTab[i]);
			fold_into(&folded, t);
			cap_text(&folded);
			found = search_claim(buf_cstr(&folded), folded.len, cs);
			free(t);
		}
	}
	xmlXPathFreeObject(links);
	if (!found)
		search_claim(visible, visible_len, cs);
	buf_finish(&folded);
}

/* Appends the page, decoded to well-formed UTF-8, to utf8.  Returns the
 * charset it was read as (malloc'd, caller frees): the one the HTTP header
 * declares, else a <meta>, else utf-8 (gb18030 when the bytes are not
 * UTF-8); a GB-labelled page that is well-formed non-ASCII UTF-8 is read as
 * utf-8, and so is a page in a charset libxml2 does not know. */
static char *
page_to_utf8(const char *body, size_t len, const char *content_type, struct buf *utf8)
{
	char *declared = declared_charset(body, len, content_type);
	int is_utf8 = utf8_valid_prefix(body, len);
	const char *decoder;
	if (!declared) {
		/* Undeclared: UTF-8 when it is, else the usual Chinese legacy encoding. */
		decoder = is_utf8 ? "UTF-8" : "GB18030";
		declared = xstrdup(is_utf8 ? "utf-8" : "gb18030");
	} else {
		decoder = decoder_name(declared);
		/* A page labelled GBK that is well-formed UTF-8 with non-ASCII text
		 * is mislabelled: real GBK text is almost never valid UTF-8. */
		if (strcmp(decoder, "UTF-8") && is_utf8 && !is_ascii(body, len)) {
			free(declared);
			declared = xstrdup("utf-8");
			decoder = "UTF-8";
		}
	}

	/* libxml2 reports encoding trouble on stderr whatever the parse flags. */
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_generic_ctx = xmlGenericErrorContext;
	xmlStructuredErrorFunc old_structured = xmlStructuredError;
	void *old_structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, silent_generic);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	if (strcmp(decoder, "UTF-8") && decode_to_utf8(utf8, body, len, decoder) < 0) {
		free(declared);
		declared = xstrdup("utf-8");
		decoder = "UTF-8";
	}
	if (!strcmp(decoder, "UTF-8"))
		utf8_sanitise(utf8, body, len);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
	return declared;
}

/* Returns 0 with p filled (strings owned by p, freed by site_page_finish),
 * or -1 with err when the body is not HTML; p's old contents are released. */
int
site_page_parse(const char *body, size_t len, const char *content_type, struct site_page *p,
		char *err)
{
	if (!p)
		return set_err(err, "site_page_parse: no page");
	site_page_finish(p);
	size_t i = 0;
	while (body && i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' ||
				   body[i] == '\n'))
		i++;
	if (!body || i == len)
		return set_err(err, "empty body");
	if (memchr(body, '\0', len < 4096 ? len : 4096))
		return set_err(err, "binary body, not HTML");

	struct buf utf8;
	buf_init(&utf8);
	char *declared = page_to_utf8(body, len, content_type, &utf8);
	htmlDocPtr doc = utf8.len ? html_parse(utf8.data, utf8.len, "UTF-8") : NULL;
	buf_finish(&utf8);
	if (!doc || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		free(declared);
		return set_err(err, "libxml2 could not read the page as HTML");
	}
	p->charset = declared;

	xmlNodePtr title = html_xpath_first(doc, NULL, "//title");
	if (title) {
		p->title = normalise_spaces(html_node_text(title));
		if (!*p->title) {
			free(p->title);
			p->title = NULL;
		}
	}

	struct buf raw, visible;
	buf_init(&raw);
	buf_init(&visible);
	collect_text(xmlDocGetRootElement(doc), &raw);
	text_fold(&visible, raw.data ? raw.data : "", raw.len);
	buf_finish(&raw);
	cap_text(&visible);

	struct claim_search cs = {0};
	find_claim_in_doc(doc, buf_cstr(&visible), visible.len, &cs);
	if (cs.raw) {
		p->icp_raw = cs.raw;
		p->icp = cs.lic;
		free(cs.fake_raw);
	} else if (cs.fake_raw) {
		p->icp_raw = cs.fake_raw;
		p->icp_placeholder = 1;
	}
	p->police_number = find_police(buf_cstr(&visible), visible.len);
	buf_finish(&visible);
	xmlFreeDoc(doc);
	return 0;
}
