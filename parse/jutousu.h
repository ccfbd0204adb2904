/* 聚投诉 (ts.21cn.com) bodies -> records.  Pure: no I/O, no SQL, no clock.
 * What is known of the site: research/complaint-sources.md §2 (public
 * scraper code, 2019-2020; no raw body of the site survives, so the
 * fixtures in tests/data/jutousu are SYNTH: real texts re-wrapped).
 *
 * Three kinds of body:
 * - jutousu_list_parse: searchPostList.do and merchantPostList (JSON
 *   {"postList": [...], "offset": cursor}), into struct complaint;
 * - jutousu_post_key_parse: the complaint page /tousu/show/id/{id} (HTML),
 *   whose <input id="postKeyValue"> names the detail JSON;
 * - jutousu_detail_parse: getPostContent.do (JSON {"post": {...}}), into
 *   struct complaint_detail carrying the whole complaint (.record).
 * No status vocabulary of the site is known: every complaint's status is
 * STATUS_UNKNOWN (counted, never guessed; SCORING §1). */
#ifndef KMREP_PARSE_JUTOUSU_H
#define KMREP_PARSE_JUTOUSU_H

#include <stddef.h>

#include "record.h"

/* Items a full page holds; a shorter page is the list's last. */
#define JUTOUSU_PAGE_SIZE 10

/* The evidence link of complaint id: https://ts.21cn.com/tousu/show/id/{id}. */
#define JUTOUSU_COMPLAINT_URL "https://ts.21cn.com/tousu/show/id/"

/* Parses a list body (search or merchant list; need not be NUL-terminated)
 * into out (initialised; earlier contents freed).  Sets out->kind in every
 * case, out->next_cursor from $.offset, out->last for a short page.  Returns
 * the number of complaints when out->kind is OK or EMPTY, otherwise -1 with
 * a one-line reason in err (the login wall, an HTML error page, a changed
 * layout). */
int jutousu_list_parse(const char *body, size_t len, struct list_page *out, char *err);

/* Reads the postKey from a complaint page, and the merchant its 投诉对象
 * link names (/merchant/show/id/N; *merchant_id NULL when the page has
 * none).  Returns 0 with *key malloc'd and *kind DETAIL_OK, or -1 with *kind
 * NOT_FOUND, LOGIN_REQUIRED or UNRECOGNISED and a reason in err. */
int jutousu_post_key_parse(const char *html, size_t len, char **key, char **merchant_id,
			   enum detail_kind *kind, char *err);

/* Parses a getPostContent.do body into out (initialised; earlier contents
 * freed).  Returns 0 when out->kind is DETAIL_OK (out->record set),
 * otherwise -1 with a reason in err ("post": null is NOT_FOUND). */
int jutousu_detail_parse(const char *body, size_t len, struct complaint_detail *out, char *err);

#endif
