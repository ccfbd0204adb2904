/* 聚投诉 parser tests over tests/data/jutousu (SYNTH: real texts in the API
 * envelope research §2 describes; see that directory's README). */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "harness.h"
#include "jutousu.h"

static int
list_fixture(const char *name, struct list_page *page, char *err)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof(path), "tests/data/jutousu/%s", name);
	char *body = harness_read_file(path, &len);
	int n = jutousu_list_parse(body, len, page, err);
	free(body);
	return n;
}

static void
test_merchant_list(void)
{
	struct list_page p;
	char err[ERRBUF_SIZE];
	list_page_init(&p);
	CHECK_INT(list_fixture("merchant_p1.json", &p, err), 10);
	CHECK_INT(p.kind, PAGE_OK);
	CHECK_STR(p.next_cursor, "72bb0ccffd496275dbb77cc3");
	CHECK(!p.last);
	const struct complaint *c = &p.complaints.items[0];
	CHECK_STR(c->source, "jutousu");
	CHECK_STR(c->source_id, "1445489");
	CHECK_STR(c->title, "投诉功夫贷高利贷、欺诈");
	CHECK_STR(c->url, "https://ts.21cn.com/tousu/show/id/1445489");
	CHECK_INT(c->filed_at, 1573629176);
	CHECK_INT(c->status, STATUS_UNKNOWN); /* no status vocabulary is known */
	CHECK_INT(c->raw_status, -1);
	CHECK(c->merchant_id == NULL && c->merchant_name == NULL);
	CHECK(c->appeal == NULL); /* shuqiu "" */
	const struct complaint *d = &p.complaints.items[2];
	CHECK_STR(d->appeal, "停止骚扰\n道歉\n赔偿\n销账");
	list_page_finish(&p);
}

static void
test_short_page_ends(void)
{
	struct list_page p;
	char err[ERRBUF_SIZE];
	list_page_init(&p);
	CHECK_INT(list_fixture("merchant_last.json", &p, err), 6);
	CHECK(p.last);
	CHECK(p.next_cursor == NULL);
	CHECK_INT(list_fixture("search_short.json", &p, err), 3);
	CHECK(p.last);
	CHECK(p.complaints.items[0].complainant_key != NULL); /* username, hashed */
	CHECK_INT((int)strlen(p.complaints.items[0].complainant_key), 64);
	CHECK_INT(list_fixture("search_empty.json", &p, err), 0);
	CHECK_INT(p.kind, PAGE_EMPTY);
	list_page_finish(&p);
}

static void
test_search_page(void)
{
	struct list_page p;
	char err[ERRBUF_SIZE];
	list_page_init(&p);
	CHECK_INT(list_fixture("search_p1.json", &p, err), 10);
	CHECK(!p.last);
	CHECK(p.next_cursor == NULL);
	list_page_finish(&p);
}

static void
test_unknown_is_never_empty(void)
{
	struct list_page p;
	char err[ERRBUF_SIZE];
	list_page_init(&p);
	CHECK_INT(list_fixture("login_wall.html", &p, err), -1);
	CHECK_INT(p.kind, PAGE_LOGIN_REQUIRED);
	CHECK_INT(list_fixture("drift.json", &p, err), -1);
	CHECK_INT(p.kind, PAGE_LAYOUT_CHANGED);
	CHECK_INT(list_fixture("html_error.html", &p, err), -1);
	CHECK_INT(p.kind, PAGE_NOT_JSON);
	static const char empty_with_cursor[] = "{\"offset\":\"x\",\"postList\":[]}";
	CHECK_INT(jutousu_list_parse(empty_with_cursor, strlen(empty_with_cursor), &p, err), -1);
	CHECK_INT(p.kind, PAGE_BLOCKED);
	static const char no_ids[] = "{\"postList\":[{\"title\":\"x\"}]}";
	CHECK_INT(jutousu_list_parse(no_ids, strlen(no_ids), &p, err), -1);
	CHECK_INT(p.kind, PAGE_LAYOUT_CHANGED);
	static const char api_error[] = "{\"code\":400,\"msg\":\"offset无效\"}";
	CHECK_INT(jutousu_list_parse(api_error, strlen(api_error), &p, err), -1);
	CHECK_INT(p.kind, PAGE_API_ERROR);
	CHECK(strstr(err, "offset无效") != NULL);
	CHECK_INT(jutousu_list_parse("", 0, &p, err), -1);
	CHECK_INT(p.kind, PAGE_NOT_JSON);
	/* Bad UTF-8 is repaired, not a lost page. */
	static const char bad[] = "{\"postList\":[{\"id\":7,\"title\":\"\xff\xfe卡密\"}]}";
	CHECK_INT(jutousu_list_parse(bad, strlen(bad), &p, err), 1);
	CHECK(strstr(p.complaints.items[0].title, "卡密") != NULL);
	list_page_finish(&p);
}

static void
test_post_key(void)
{
	size_t len;
	char *html = harness_read_file("tests/data/jutousu/complaint_page.html", &len);
	char *key = NULL, *merchant = NULL, err[ERRBUF_SIZE];
	enum detail_kind kind;
	CHECK_INT(jutousu_post_key_parse(html, len, &key, &merchant, &kind, err), 0);
	CHECK_INT(kind, DETAIL_OK);
	CHECK_STR(key, "234c874b0522db8f51cfbeff");
	CHECK_STR(merchant, "2352"); /* the 投诉对象 link */
	free(key);
	free(merchant);
	free(html);
	html = harness_read_file("tests/data/jutousu/login_wall.html", &len);
	CHECK_INT(jutousu_post_key_parse(html, len, &key, &merchant, &kind, err), -1);
	CHECK_INT(kind, DETAIL_LOGIN_REQUIRED);
	free(html);
	static const char gone[] = "<html><body>页面不存在</body></html>";
	CHECK_INT(jutousu_post_key_parse(gone, strlen(gone), &key, &merchant, &kind, err), -1);
	CHECK_INT(kind, DETAIL_NOT_FOUND);
	static const char hostile[] = "<input id=\"postKeyValue\" value=\"../../etc?x=1\">";
	CHECK_INT(jutousu_post_key_parse(hostile, strlen(hostile), &key, &merchant, &kind, err), -1);
	CHECK_INT(kind, DETAIL_UNRECOGNISED);
	CHECK(key == NULL && merchant == NULL);
}

static void
test_detail(void)
{
	size_t len;
	char *body = harness_read_file("tests/data/jutousu/detail.json", &len);
	struct complaint_detail d;
	char err[ERRBUF_SIZE];
	complaint_detail_init(&d);
	CHECK_INT(jutousu_detail_parse(body, len, &d, err), 0);
	free(body);
	CHECK_INT(d.kind, DETAIL_OK);
	CHECK_STR(d.source_id, "2250104");
	CHECK_STR(d.merchant_name, "测试卡盟");
	CHECK(d.record != NULL);
	CHECK_STR(d.record->title, "测试卡盟\"秒到账\"是假的");
	/* topic's HTML (&quot; <br> &nbsp;) becomes text, the full summary */
	CHECK(strstr(d.record->summary, "测试卡盟首页写着\"秒到账\"。 实际等了两天") == d.record->summary);
	CHECK(strstr(d.record->summary, "才到账，客服说活动解释权归平台。") != NULL);
	CHECK(!strstr(d.record->summary, "&nbsp;") && !strstr(d.record->summary, "<br"));
	CHECK_STR(d.record->issue, "虚假宣传");
	CHECK_STR(d.record->appeal, "赔偿\n道歉");
	/* 2026-11-16 09:20:00 in Asia/Shanghai */
	CHECK_INT(d.posted_at, 1794792000);
	CHECK_INT(d.record->filed_at, 1794792000);
	CHECK(!d.merchant_replied);
	body = harness_read_file("tests/data/jutousu/detail_null.json", &len);
	CHECK_INT(jutousu_detail_parse(body, len, &d, err), -1);
	CHECK_INT(d.kind, DETAIL_NOT_FOUND);
	CHECK(d.record == NULL);
	free(body);
	static const char drift[] = "{\"data\":{\"post\":{}}}";
	CHECK_INT(jutousu_detail_parse(drift, strlen(drift), &d, err), -1);
	CHECK_INT(d.kind, DETAIL_UNRECOGNISED);
	complaint_detail_finish(&d);
}

TEST_MAIN(
	{"merchant_list", test_merchant_list},
	{"short_page_ends", test_short_page_ends},
	{"search_page", test_search_page},
	{"unknown_is_never_empty", test_unknown_is_never_empty},
	{"post_key", test_post_key},
	{"detail", test_detail},
)
