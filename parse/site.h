/* A platform's own home page -> what it claims about itself (research
 * icp-sources.md §4-5).  Pure: bytes in, record out. */
#ifndef KMREP_PARSE_SITE_H
#define KMREP_PARSE_SITE_H

#include <stddef.h>

#include "icp.h"

struct site_page {
	char *title;          /* <title>, trimmed, decoded to UTF-8 */
	char *charset;        /* the charset the page was decoded from ("utf-8", "gbk" ...) */
	char *icp_raw;        /* the claimed ICP text as printed, after full-width folding
				 (first non-placeholder match: meta[name=icp] first, then
				 links to beian.miit.gov.cn / miitbeian.gov.cn, then all
				 visible text); when icp_placeholder, the first fake as
				 printed; NULL when the page shows nothing ICP-like */
	struct licence icp;   /* icp.kind == LICENCE_NONE when the page shows no real number */
	int icp_placeholder;  /* the only numbers found were placeholders (00000000,
				 12345678 ...), jokes (星云ICP备, 萌ICP备), unknown
				 prefixes (秦ICP备) or masked (1XXXXXX1); icp.kind is
				 then LICENCE_NONE */
	char *police_number;  /* 公安备案: "京公网安备11040102700068" canonical; NULL none */
};

void site_page_init(struct site_page *p);
void site_page_finish(struct site_page *p);

/* Parses an HTML home page into p (initialised by the caller; what it held
 * is released first; free with site_page_finish).  content_type is the HTTP
 * Content-Type (may be NULL); the charset comes from it, else from <meta>,
 * else UTF-8 (GB18030 when the bytes are not UTF-8); GB2312/GBK/GB18030
 * pages are decoded as GB18030.  Visible text (script and style skipped) is
 * searched up to 64 KiB: the first and last 32 KiB of longer pages.
 * Returns 0, or -1 with err when the body is not HTML at all (empty,
 * binary). */
int site_page_parse(const char *body, size_t len, const char *content_type,
		    struct site_page *p, char *err);

/* Finds the ICP claim in plain UTF-8 text (folded here; exposed for the
 * footer tests).  Returns 0 with *raw (malloc'd, caller frees) and out set
 * to the first real number; -1 when there is none, then out->kind is
 * LICENCE_NONE, and out->placeholder is 1 with *raw the first fake when only
 * placeholders or jokes were seen (*raw NULL otherwise). */
int site_find_icp(const char *text, char **raw, struct licence *out);

#endif
