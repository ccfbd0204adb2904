#include "html.h"

#include <libxml/HTMLtree.h>
#include <libxml/entities.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "xalloc.h"

htmlDocPtr
html_parse(const char *body, size_t len, const char *encoding)
{
	if (len > (size_t)INT32_MAX)
		return NULL;
	return htmlReadMemory(body, (int)len, NULL, encoding,
			      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				      HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
}


/* Decodes the entity at s[0] == '&'; returns the bytes consumed, 0 when it
 * is not an entity (then '&' is literal). */
static size_t
decode_entity(const char *s, size_t len, struct buf *out)
{
	size_t i = 1;
	char name[16];
	size_t n = 0;
	if (i < len && s[i] == '#') {
		i++;
		int hex = i < len && (s[i] == 'x' || s[i] == 'X');
		if (hex)
			i++;
		unsigned long v = 0;
		size_t start = i;
		while (i < len && i - start < 8 &&
		       ((s[i] >= '0' && s[i] <= '9') ||
			(hex && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')))) {
			int d = s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
			i++;
		}
		if (i == start)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		utf8_encode(out, v ? (uint32_t)v : 0xFFFD);
		return i;
	}
	while (i < len && n < sizeof(name) - 1 &&
	       ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		(s[i] >= '0' && s[i] <= '9')))
		name[n++] = s[i++];
	name[n] = '\0';
	if (!n)
		return 0;
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	if (!e)
		return 0;
	if (i < len && s[i] == ';')
		i++;
	utf8_encode(out, e->value);
	return i;
}

/* Appends text collapsing white space (ASCII and U+00A0/U+3000 stay as they
 * are only inside words: a run of ASCII space becomes one space). */
static void
put_text_char(struct buf *out, char c, int *pending_space)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
		*pending_space = 1;
		return;
	}
	if (*pending_space && out->len)
		buf_putc(out, ' ');
	*pending_space = 0;
	if (c == '\0')
		utf8_encode(out, 0xFFFD); /* a JSON "\u0000": never cut the text there */
	else
		buf_putc(out, c);
}

/* The bytes html_snippet_text looks at one by one: markup, white space and
 * NUL.  Everything else is copied as it is. */
static const unsigned char snippet_special[256] = {
	['<'] = 1, ['&'] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, [0] = 1,
};

char *
html_snippet_text(const char *s, size_t len)
{
	/* Most titles and summaries are plain text: no tag, no entity, no run
	 * of white space.  Those are copied whole instead of byte by byte. */
	int plain = 1;
	for (size_t i = 0; i < len && plain; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > '<' || (c > '&' && c < '<'))
			continue; /* nearly every byte: UTF-8, letters, digits */
		plain = c != '<' && c != '&' && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
			c != '\0' && !(c == ' ' && (i + 1 == len || s[i + 1] == ' '));
	}
	if (plain)
		return text_trim(xstrndup(s, len));

	struct buf out, ent;
	buf_init(&out);
	buf_init(&ent);
	int pending_space = 0;
	for (size_t i = 0; i < len;) {
		char c = s[i];
		if (c == '<') {
			const char *end = memchr(s + i, '>', len - i);
			if (!end) {
				put_text_char(&out, c, &pending_space);
				i++;
				continue;
			}
			/* <br> and block tags separate words; inline tags do not. */
			if (!strncasecmp(s + i, "<br", 3) || !strncasecmp(s + i, "<p", 2) ||
			    !strncasecmp(s + i, "</p", 3) || !strncasecmp(s + i, "<div", 4))
				pending_space = 1;
			i = (size_t)(end - s) + 1;
		} else if (c == '&') {
			buf_reset(&ent);
			size_t used = decode_entity(s + i, len - i, &ent);
			if (!used) {
				put_text_char(&out, c, &pending_space);
				i++;
				continue;
			}
			for (size_t k = 0; k < ent.len; k++)
				put_text_char(&out, ent.data[k], &pending_space);
			i += used;
		} else {
			/* A run of bytes that are neither markup nor white space nor
			 * NUL goes in whole: put_text_char would add each alone. */
			size_t j = i;
			while (j < len && !snippet_special[(unsigned char)s[j]])
				j++;
			if (j == i) {
				put_text_char(&out, c, &pending_space);
				i++;
				continue;
			}
			if (pending_space && out.len)
				buf_putc(&out, ' ');
			pending_space = 0;
			buf_append(&out, s + i, j - i);
			i = j;
		}
	}
	buf_finish(&ent);
	char *r = buf_steal(&out);
	return text_trim(r);
}

char *
html_node_text(xmlNodePtr node)
{
	if (!node)
		return NULL;
	xmlChar *t = xmlNodeGetContent(node);
	if (!t)
		return xstrdup("");
	struct buf out;
	buf_init(&out);
	int pending_space = 0;
	for (const xmlChar *p = t; *p; p++)
		put_text_char(&out, (char)*p, &pending_space);
	xmlFree(t);
	return text_trim(buf_steal(&out));
}

xmlXPathObjectPtr
html_xpath(htmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	if (!ctx)
		return NULL;
	if (node)
		ctx->node = node;
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xmlXPathFreeContext(ctx);
	return r;
}

xmlNodePtr
html_xpath_first(htmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr r = html_xpath(doc, node, expr);
	xmlNodePtr n = NULL;
	if (r && r->nodesetval && r->nodesetval->nodeNr > 0)
		n = r->nodesetval->nodeTab[0];
	xmlXPathFreeObject(r);
	return n;
}

char *
html_attr(xmlNodePtr node, const char *name)
{
	if (!node)
		return NULL;
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *r = xstrdup((const char *)v);
	xmlFree(v);
	return r;
}
