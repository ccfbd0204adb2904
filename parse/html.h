/* HTML helpers for the parsers, on libxml2. */
#ifndef KMREP_PARSE_HTML_H
#define KMREP_PARSE_HTML_H

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stddef.h>

/* Parses a page with the flags STYLE.md prescribes (no network, no error
 * output, recover from broken markup).  encoding may be NULL (then the
 * page's meta charset, else UTF-8).  Returns NULL when libxml2 gives up.
 * Free with xmlFreeDoc. */
htmlDocPtr html_parse(const char *body, size_t len, const char *encoding);

/* Text of an HTML snippet such as a JSON title with <span> highlights: tags
 * removed, entities (&nbsp; &quot; &#x4e2d; ...) decoded with libxml2's
 * entity table, runs of white space collapsed to one space, trimmed.
 * This does not build a DOM: list pages have thousands of such fields.
 * Returns a malloc'd string (never NULL). */
char *html_snippet_text(const char *s, size_t len);

/* Text content of a node, white space collapsed and trimmed; NULL node gives
 * NULL.  malloc'd. */
char *html_node_text(xmlNodePtr node);

/* Evaluates an XPath 1.0 expression relative to node (NULL: the document).
 * Returns the node set (possibly empty), or NULL on a bad expression.
 * Free with xmlXPathFreeObject. */
xmlXPathObjectPtr html_xpath(htmlDocPtr doc, xmlNodePtr node, const char *expr);

/* First node of html_xpath, or NULL. The node belongs to doc. */
xmlNodePtr html_xpath_first(htmlDocPtr doc, xmlNodePtr node, const char *expr);

/* Value of attribute name on node, malloc'd, or NULL. */
char *html_attr(xmlNodePtr node, const char *name);

#endif
