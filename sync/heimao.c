/* 黑猫投诉 (tousu.sina.com.cn) as the crawler reads it: the URLs of
 * fetch/heimao.c, the parsers of parse/heimao.c, the [heimao] section. */
#include <string.h>

#include "fetch/heimao.h"
#include "parse/heimao.h"
#include "i18n.h"
#include "source.h"
#include "sync.h"
#include "xalloc.h"

/* The signing state of one job: the timestamp and nonce the site's own pages
 * reuse across pages, "ts\0rs\0". */
static void
session_init(char *session)
{
	heimao_now_ts(session);
	heimao_random_rs(session + 21);
}

static const char *
session_ts(const char *session)
{
	return session;
}

static const char *
session_rs(const char *session)
{
	return session + 21;
}

static char *
list_url(const char *base, const char *couid, long page, const char *cursor, const char *session)
{
	(void)cursor; /* 黑猫 pages by number */
	return heimao_url_received_complaints(base, couid, page, session_ts(session),
					      session_rs(session));
}

static char *
keyword_url(const char *base, const char *name, long page, const char *session)
{
	return heimao_url_search(base, name, page, session_ts(session), session_rs(session));
}

static char *
feed_url(const char *base, long page, const char *session)
{
	return heimao_url_feed(base, page, session_ts(session), session_rs(session));
}

static const struct complaint_site heimao = {
	.name = "heimao",
	.default_base_url = "https://tousu.sina.com.cn",
	.default_interval_ms = 3000, /* the site blocks at about 40 requests a minute */
	.headers = heimao_headers,
	.login_hint = N_("save a logged-in 黑猫 cookie to [heimao] cookie_file; "
		      "see README \"Logging in to 黑猫\""),
	.blocked_hint = N_("黑猫 risk control; wait 10-30 minutes and raise [heimao] min_interval_ms"),
	.login_cookie = "SUB",
	.session_init = session_init,
	.merchant_search_url = heimao_url_company_search,
	.merchant_search_parse = heimao_company_search_parse,
	.list_url = list_url,
	.keyword_url = keyword_url,
	.feed_url = feed_url,
	.list_parse = heimao_list_parse,
	.detail_parse = heimao_detail_parse,
	.list_merchant_mark = "couid=",
	.detail_id_mark = "/complaint/view/",
};

/* Platforms stopped by the login wall get the anonymous feed, read once for
 * all of them after everything else. */
static bool
after_run(struct sync *s, bool last)
{
	if (last) {
		sync_feed_flush(s);
		return false;
	}
	return sync_feed_start(s) > 0;
}

const struct source_desc heimao_source = {
	.complaints = &heimao,
	.after_run = after_run,
};
