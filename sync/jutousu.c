/* 聚投诉 (ts.21cn.com) as the crawler reads it: the URLs of fetch/jutousu.c,
 * the parsers of parse/jutousu.c, the [jutousu] section.  The site has no
 * known merchant search: a platform's merchants are bound with
 * `add --jutousu-id`; its keyword search finds the rest, counted once a
 * complaint's detail names the platform. */
#include <string.h>

#include "fetch/jutousu.h"
#include "parse/jutousu.h"
#include "source.h"
#include "xalloc.h"

/* No signing: nothing per job. */
static void
session_init(char *session)
{
	*session = '\0';
}

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

/* The digits after the first mark in url, malloc'd, or NULL. */
static char *
digits_after(const char *url, const char *mark)
{
	const char *p = strstr(url, mark);
	if (!p)
		return NULL;
	p += strlen(mark);
	size_t n = strspn(p, "0123456789");
	return n ? xstrndup(p, n) : NULL;
}

/* The merchant a merchantPostList URL asks for (reparse). */
static char *
merchant_of_list_url(const char *url)
{
	return digits_after(url, "/merchantId/");
}

/* The id of a /tousu/show/id/{id} URL. */
static char *
complaint_of_detail_url(const char *url)
{
	return digits_after(url, "/tousu/show/id/");
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

static const struct complaint_config *
config(const struct config *cfg)
{
	return config_site(cfg, "jutousu");
}

static const struct complaint_site jutousu = {
	.name = "jutousu",
	.config = config,
	.headers = jutousu_headers,
	.login_hint = "save a logged-in 聚投诉 cookie to [jutousu] cookie_file; "
		      "see README \"Logging in to 聚投诉\"",
	.blocked_hint = "聚投诉 refused the run; wait and raise [jutousu] min_interval_ms",
	.login_cookie = "jutous_session_id",
	.session_init = session_init,
	.list_url = list_url,
	.keyword_url = keyword_url,
	.list_parse = jutousu_list_parse,
	.detail_parse = jutousu_detail_parse,
	.detail_key_parse = jutousu_post_key_parse,
	.detail_data_url = jutousu_url_post_content,
	.keyword_hits_unnamed = true,
	.cursor_paging = true,
	.body_kind = body_kind,
	.merchant_of_list_url = merchant_of_list_url,
	.complaint_of_detail_url = complaint_of_detail_url,
};

static bool
enabled(const struct config *cfg)
{
	const struct complaint_config *c = config(cfg);
	return c && c->enabled;
}

static void
declare_config(struct config *cfg)
{
	/* The known crawlers waited 2 s between requests (research §2). */
	config_add_site(cfg, "jutousu", "https://ts.21cn.com", 2000);
}

static int
start(struct sync *s, int64_t platform_id)
{
	return crawl_start(s, &jutousu, platform_id);
}

static int
replay(struct replay *r, char *err)
{
	return complaint_replay(&jutousu, r, err);
}

const struct source_desc jutousu_source = {
	.enabled = enabled,
	.complaints = &jutousu,
	.declare_config = declare_config,
	.start = start,
	.replay = replay,
};
