/* 聚投诉 (ts.21cn.com): how its requests are built (no I/O).  Research:
 * complaint-sources.md §2.  Every URL is built under the configured
 * base_url (malloc'd; a trailing slash on base is tolerated), so tests point
 * it at the loopback sample server. */
#ifndef KMREP_FETCH_JUTOUSU_H
#define KMREP_FETCH_JUTOUSU_H

/* GET /front/api/search/searchPostList.do?pageNo=N&title=KW&listType=1. */
char *jutousu_url_search(const char *base, const char *keyword, long page);

/* GET /json/merchantPostList/merchantId/MID/listType/1/pageNo/N/offset/C:
 * the first page with an empty cursor (NULL), later ones passing back the
 * previous page's $.offset. */
char *jutousu_url_merchant_list(const char *base, const char *merchant_id, long page,
				const char *cursor);

/* GET /front/api/post/getPostContent.do?postKey=KEY: the detail JSON. */
char *jutousu_url_post_content(const char *base, const char *post_key);

/* The headers the site's own XHR sends, NULL-terminated, static. */
extern const char *const jutousu_headers[];

#endif
