/* fetch/ without the network: 黑猫 signing and URLs, URL helpers, MIIT
 * request bodies, home page URLs. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "host.h"
#include "harness.h"
#include "http.h"
#include "heimao.h"
#include "icp.h"
#include "site.h"
#include "url.h"

/* The 5 vectors of ../shared/samples/complaints/heimao/signature_test_vectors.json,
 * copied here so the test runs without ../shared. */
static void
test_sign_vectors(void)
{
	struct {
		const char *ts, *rs, *values[4];
		size_t n;
		const char *sig;
	} v[] = {
		{"1614340290475", "I66jvmc7WhlW1wOE", {"6384912431", "1", "10", "1"}, 4,
			"a5c5f96f03b397bf45566a07faa959fa473b7ba65e1000dc6714ad12ab97d75f"},
		{"1607185777743", "3Tim1wwOCNQSuK18", {"1", "10", "6"}, 3,
			"1742f2a1fd003f87f0315cc2d305afd68dbb6227e35992d5f00879166084c660"},
		{"1607185777743", "3Tim1wwOCNQSuK18", {"1", "10", "7"}, 3,
			"cd9d07ab5c409e5bc735e2e0cb69b71d2c4e1d3b7b36602a0be2e1f011515bea"},
		{"1607185777743", "3Tim1wwOCNQSuK18", {"1", "10", "8"}, 3,
			"20cc84b8ddb7307ec69dd72e65035a7ff364eff7c0c4894f1fbbc23c6bcf0777"},
		{"1744607532747", "oeSlvfKbEuDtmTI1", {"1", "10", "1"}, 3,
			"f7b4bc98823f8e30005b10aa034603bb360d3e361c71222a40573f1ed2368b38"},
	};
	char sig[65];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		heimao_sign(v[i].ts, v[i].rs, v[i].values, v[i].n, sig);
		CHECK_STR(sig, v[i].sig);
	}
}

/* A CJK keyword with a space, and an rs that sorts before ts ("0..." <
 * "1..."); the signature was computed with Python:
 * sha256("".join(sorted([ts, rs, secret, "测试 卡盟", "10", "2"]))). */
static void
test_sign_cjk(void)
{
	const char *values[] = {"测试 卡盟", "10", "2"};
	char got[65];

	heimao_sign("1700000000000", "01234abcdefGHIJK", values, 3, got);
	CHECK_STR(got, "7ee111678edeea52ae4301ecbb61154fa58ba4f97b68982b707a76ab776b4869");
}

static void
test_random_rs(void)
{
	char a[17], b[17];

	heimao_random_rs(a);
	heimao_random_rs(b);
	CHECK_INT(strlen(a), 16);
	for (int i = 0; i < 16; i++)
		CHECK((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'z') ||
		    (a[i] >= 'A' && a[i] <= 'Z'));
	CHECK(strcmp(a, b) != 0);
}

static void
test_heimao_urls(void)
{
	char *u;
	char sig[65];
	const char *vals[] = {"6384912431", "1", "10", "1"};
	char want[512];

	u = heimao_url_company_search("http://127.0.0.1:8080/", "测试 卡盟");
	CHECK_STR(u, "http://127.0.0.1:8080/api/company/search?keywords="
		"%E6%B5%8B%E8%AF%95%20%E5%8D%A1%E7%9B%9F");
	free(u);

	u = heimao_url_received_complaints("https://tousu.sina.com.cn", "6384912431", 1,
		"1614340290475", "I66jvmc7WhlW1wOE");
	CHECK_STR(u, "https://tousu.sina.com.cn/api/company/received_complaints?ts=1614340290475"
		"&rs=I66jvmc7WhlW1wOE&signature=a5c5f96f03b397bf45566a07faa959fa473b7ba65e1000dc6714ad12ab97d75f"
		"&couid=6384912431&type=1&page_size=10&page=1");
	free(u);
	heimao_sign("1614340290475", "I66jvmc7WhlW1wOE", vals, 4, sig);
	CHECK_STR(sig, "a5c5f96f03b397bf45566a07faa959fa473b7ba65e1000dc6714ad12ab97d75f");

	u = heimao_url_feed("https://tousu.sina.com.cn", 6, "1607185777743", "3Tim1wwOCNQSuK18");
	CHECK_STR(u, "https://tousu.sina.com.cn/api/index/feed?ts=1607185777743&rs=3Tim1wwOCNQSuK18"
		"&signature=1742f2a1fd003f87f0315cc2d305afd68dbb6227e35992d5f00879166084c660"
		"&type=1&page_size=10&page=6");
	free(u);

	{
		const char *sv[] = {"测试 卡盟", "10", "2"};

		heimao_sign("1700000000000", "abc", sv, 3, sig);
		snprintf(want, sizeof(want), "http://h/p/api/index/s?ts=1700000000000&rs=abc&signature=%s"
			"&keywords=%%E6%%B5%%8B%%E8%%AF%%95%%20%%E5%%8D%%A1%%E7%%9B%%9F&page_size=10&page=2", sig);
		u = heimao_url_search("http://h/p", "测试 卡盟", 2, "1700000000000", "abc");
		CHECK_STR(u, want);
		free(u);
	}
	CHECK_STR(heimao_headers[0], "Referer: https://tousu.sina.com.cn/");
	CHECK_STR(heimao_headers[1], "X-Requested-With: XMLHttpRequest");
	CHECK_STR(heimao_headers[2], "Accept: */*");
	CHECK(heimao_headers[3] == NULL);
}

static void
check_rebase(const char *pub, const char *base, const char *want)
{
	char *got = url_rebase(pub, base);

	CHECK_STR(got, want);
	free(got);
}

static void
test_url_rebase(void)
{
	check_rebase("//tousu.sina.com.cn/complaint/view/17382167486/?sld=0123abcd",
		"http://127.0.0.1:8080",
		"http://127.0.0.1:8080/complaint/view/17382167486/?sld=0123abcd");
	check_rebase("https://tousu.sina.com.cn/complaint/view/1/?sld=x#frag",
		"http://127.0.0.1:8080/prefix/",
		"http://127.0.0.1:8080/prefix/complaint/view/1/?sld=x");
	check_rebase("https://tousu.sina.com.cn/company/view/?couid=6384912431&sid=1",
		"http://127.0.0.1:8080/prefix",
		"http://127.0.0.1:8080/prefix/company/view/?couid=6384912431&sid=1");
	check_rebase("http://tousu.sina.com.cn/complaint/view/2/", "https://tousu.sina.com.cn",
		"https://tousu.sina.com.cn/complaint/view/2/");
	check_rebase("/complaint/view/3/", "http://localhost:1234",
		"http://localhost:1234/complaint/view/3/");
	check_rebase("https://tousu.sina.com.cn", "http://127.0.0.1:9", "http://127.0.0.1:9/");
	check_rebase("file:///etc/passwd", "http://127.0.0.1:9", NULL);
	check_rebase("//x/y", "ftp://127.0.0.1/", NULL);
	check_rebase("http://[bad", "http://127.0.0.1:9", NULL);
}

static void
check_host(const char *in, const char *want)
{
	char *got = host_normalise(in);

	CHECK_STR(got, want);
	free(got);
}

static void
test_url_host(void)
{
	check_host("example.com", "example.com");
	check_host("WWW.Example.COM", "www.example.com");
	check_host("https://www.X.com:8443/a/b?c=d", "www.x.com");
	check_host("http://user@km.example.cn/", "km.example.cn");
	check_host("www.x.com/path?q", "www.x.com");
	check_host("//tousu.sina.com.cn/complaint/", "tousu.sina.com.cn");
	check_host("x.com.", "x.com");
	check_host("  km.cn", "km.cn");
	check_host("http://127.0.0.1:8080/site/", "127.0.0.1");
	check_host("网址之家.cn", "网址之家.cn");
	check_host("", NULL);
	check_host("http://", NULL);
}

static void
check_reg(const char *in, const char *want)
{
	char *got = host_registrable(in);

	CHECK_STR(got, want);
	free(got);
}

static void
test_domain_registrable(void)
{
	check_reg("www.example.com", "example.com");
	check_reg("example.com", "example.com");
	check_reg("a.b.example.com", "example.com");
	check_reg("www.x.com.cn", "x.com.cn");
	check_reg("shop.x.net.cn", "x.net.cn");
	check_reg("www.x.bj.cn", "x.bj.cn");
	check_reg("x.gd.cn", "x.gd.cn");
	check_reg("www.gov.cn", "www.gov.cn");
	check_reg("www.km123.cn", "km123.cn");
	check_reg("https://WWW.Shop.CO.UK/x", "shop.co.uk");
	check_reg("127.0.0.1", "127.0.0.1");
	check_reg("localhost", "localhost");
	check_reg("www.小度.中国", "小度.中国");
	check_reg("", NULL);
}

static void
test_url_encode(void)
{
	char *e = url_encode_component("a b&c=d/é");

	CHECK_STR(e, "a%20b%26c%3Dd%2F%C3%A9");
	free(e);
	e = url_encode_component("");
	CHECK_STR(e, "");
	free(e);
}

static void
test_icp_auth_body(void)
{
	char *body = NULL;

	/* md5("testtest1700000000000") computed with Python hashlib. */
	CHECK_INT(icp_auth_body(1700000000000LL, &body), 0);
	CHECK_STR(body, "authKey=746a22b136097604e213ca3269244fad&timeStamp=1700000000000");
	free(body);
}

static void
test_icp_query_body(void)
{
	char *b = icp_query_body("x.com", 1, 10);

	CHECK_STR(b, "{\"pageNum\":1,\"pageSize\":10,\"unitName\":\"x.com\",\"serviceType\":1}");
	free(b);
	b = icp_query_body("深圳\"腾讯\"\\公司\n", 2, 40);
	CHECK_STR(b, "{\"pageNum\":2,\"pageSize\":40,\"unitName\":\"深圳\\\"腾讯\\\"\\\\公司\\n\","
		"\"serviceType\":1}");
	free(b);
	CHECK(icp_query_body("\xff\xfe", 1, 10) == NULL);
}

static void
test_icp_headers_urls(void)
{
	const char *extra[] = {"token: abc", NULL};
	char **h = icp_headers(extra);
	char *u;

	CHECK_STR(h[0], "Origin: https://beian.miit.gov.cn");
	CHECK_STR(h[1], "Referer: https://beian.miit.gov.cn/");
	CHECK_STR(h[2], "Accept: application/json, text/plain, */*");
	CHECK(strncmp(h[3], "Cookie: __jsluid_s=", 19) == 0);
	CHECK_INT(strlen(h[3]), 19 + 32);
	CHECK(strspn(h[3] + 19, "0123456789abcdef") == 32);
	CHECK_STR(h[4], "token: abc");
	CHECK(h[5] == NULL);
	icp_headers_free(h);
	icp_headers_free(NULL);

	u = icp_url_auth("https://hlwicpfwc.miit.gov.cn/icpproject_query/api/");
	CHECK_STR(u, "https://hlwicpfwc.miit.gov.cn/icpproject_query/api/auth");
	free(u);
	u = icp_url_query("http://127.0.0.1:1/icpproject_query/api");
	CHECK_STR(u, "http://127.0.0.1:1/icpproject_query/api/icpAbbreviateInfo/queryByCondition");
	free(u);
	u = icp_url_check_image_point("http://b");
	CHECK_STR(u, "http://b/image/getCheckImagePoint");
	free(u);
	u = icp_url_check_image("http://b");
	CHECK_STR(u, "http://b/image/checkImage");
	free(u);
}

static void
check_site(const char *tmpl, const char *domain, const char *want)
{
	char *got = site_url(tmpl, domain);

	CHECK_STR(got, want);
	free(got);
}

static void
test_site_url(void)
{
	check_site("https://{domain}/", "www.km.com", "https://www.km.com/");
	check_site("http://127.0.0.1:8080/site/{domain}/", "km-1.com.cn",
		"http://127.0.0.1:8080/site/km-1.com.cn/");
	check_site("https://{domain}/?d={domain}", "a.cn", "https://a.cn/?d=a.cn");
	check_site("https://{domain}/", "网址之家.cn", "https://网址之家.cn/");
	check_site("https://{domain}/", "evil.com/x", NULL);
	check_site("https://{domain}/", "evil.com?x", NULL);
	check_site("https://{domain}/", "evil.com#x", NULL);
	check_site("https://{domain}/", "user@evil.com", NULL);
	check_site("https://{domain}/", "evil.com:81", NULL);
	check_site("https://{domain}/", "evil .com", NULL);
	check_site("https://{domain}/", "a..com", NULL);
	check_site("https://{domain}/", "", NULL);
	check_site("https://{domain}/", "\xff.com", NULL);
	check_site("https://example.com/", "a.com", NULL);
}

static void
test_options_from_config(void)
{
	struct config cfg;
	struct http_options o;

	config_defaults(&cfg);
	http_options_from_config(&o, &cfg);
	CHECK(o.user_agent == cfg.user_agent);
	CHECK_INT(o.timeout_s, cfg.timeout_s);
	CHECK_INT(o.max_body, (size_t)cfg.max_body_kib * 1024);
	CHECK_INT(o.max_retries, cfg.max_retries);
	CHECK_INT(o.retry_max_ms, cfg.retry_max_ms);
	CHECK_STR(http_outcome_name(HTTP_HOST_BLOCKED), "host_blocked");
	config_finish(&cfg);
}

TEST_MAIN(
	{"options_from_config", test_options_from_config},
	{"sign_vectors", test_sign_vectors},
	{"sign_cjk", test_sign_cjk},
	{"random_rs", test_random_rs},
	{"heimao_urls", test_heimao_urls},
	{"url_rebase", test_url_rebase},
	{"host_normalise", test_url_host},
	{"host_registrable", test_domain_registrable},
	{"url_encode", test_url_encode},
	{"icp_auth_body", test_icp_auth_body},
	{"icp_query_body", test_icp_query_body},
	{"icp_headers_urls", test_icp_headers_urls},
	{"site_url", test_site_url})
