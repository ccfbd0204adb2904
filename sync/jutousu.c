/* 聚投诉 (ts.21cn.com) as the crawler reads it: the URLs of fetch/jutousu.c,
 * the parsers of parse/jutousu.c, the [jutousu] section.  The site has no
 * known merchant search: a platform's merchants are bound with
 * `add --jutousu-id`; its keyword search finds the rest, counted once a
 * complaint's detail names the platform. */
#include <string.h>

#include "fetch/jutousu.h"
#include "parse/jutousu.h"
#include "i18n.h"
#include "source.h"

static char *
list_url(const char *base, const char *merchant_id, long page, const char *cursor,
	 const char *session)
{
	(void)session;
	return jutousu_url_merchant_list(base, merchant_id, page, cursor);
}

static char *
keyword_url(const char *base, const char *name, long page, const char *session)
{
	(void)session;
	return jutousu_url_search(base, name, page);
}

/* A saved body, told by its shape: the complaint page holds postKeyValue,
 * the detail JSON a "post", anything else is a list. */
static const char *
body_kind(const char *body, size_t len)
{
	size_t i = 0;
	while (i < len && strchr(" \t\r\n", body[i]))
		i++;
	if (i < len && body[i] == '<')
		return memmem(body, len, "postKeyValue", 12) ? "detail_page" : "list";
	return memmem(body, len, "\"post\"", 6) ? "detail" : "list";
}

static const struct complaint_site jutousu = {
	.name = "jutousu",
	.default_base_url = "https://ts.21cn.com",
	.default_interval_ms = 2000, /* the known crawlers waited 2 s (research §2) */
	.headers = jutousu_headers,
	.login_hint = N_("save a logged-in 聚投诉 cookie to [jutousu] cookie_file; "
		      "see README \"Logging in to 聚投诉\""),
	.blocked_hint = N_("聚投诉 refused the run; wait and raise [jutousu] min_interval_ms"),
	.login_cookie = "jutous_session_id",
	.list_url = list_url,
	.keyword_url = keyword_url,
	.list_parse = jutousu_list_parse,
	.detail_parse = jutousu_detail_parse,
	.detail_key_parse = jutousu_post_key_parse,
	.detail_data_url = jutousu_url_post_content,
	.keyword_hits_unnamed = true,
	.cursor_paging = true,
	.body_kind = body_kind,
	.list_merchant_mark = "/merchantId/",
	.detail_id_mark = "/tousu/show/id/",
};

const struct source_desc jutousu_source = {
	.complaints = &jutousu,
};
