/* parse/icp.c against the real MIIT bodies in ../shared/samples/icp (skipped
 * when absent) and the SYNTH_ fixtures in tests/data/icp. */
#include <jansson.h>
#include <sys/stat.h>

#include "harness.h"
#include "icp.h"
#include "xalloc.h"

/* A real sample under $KMREP_SHARED/samples/icp; SKIPs when not there. */
static char *
read_sample(const char *name, size_t *len)
{
	const char *shared = getenv("KMREP_SHARED");
	if (!shared)
		SKIP("KMREP_SHARED not set");
	size_t n = strlen(shared) + strlen(name) + 32;
	char *path = malloc(n);
	snprintf(path, n, "%s/samples/icp/%s", shared, name);
	struct stat st;
	if (stat(path, &st) < 0) {
		free(path);
		SKIP("sample missing");
	}
	char *body = harness_read_file(path, len);
	free(path);
	return body;
}

static char *
read_fixture(const char *name, size_t *len)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "tests/data/icp/%s", name);
	return harness_read_file(rel, len);
}

/* Parses a body into p; the body is freed. */
static void
parse_query(char *body, size_t len, struct icp_query_page *p)
{
	char err[256];
	icp_query_page_init(p);
	CHECK_INT(icp_query_parse(body, len, p, err), 0);
	free(body);
}

static enum icp_reply_kind
query_kind_of(char *body, size_t len)
{
	struct icp_query_page p;
	parse_query(body, len, &p);
	enum icp_reply_kind k = p.kind;
	CHECK_INT(p.n_records, 0);
	icp_query_page_finish(&p);
	return k;
}

static void
test_query_mi_cn_2021(void)
{
	size_t len;
	char *body = read_sample("miit_query_ok_mi.cn__fghwett_icp_2021.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.code, 200);
	CHECK_STR(p.msg, "操作成功");
	CHECK_INT(p.n_records, 1);
	CHECK_INT(p.total, 1);
	CHECK_INT(p.page_num, 1);
	CHECK_INT(p.pages, 1);
	CHECK_INT(p.is_last_page, 1);
	if (p.n_records == 1) {
		struct icp_record *r = &p.records[0];
		CHECK_STR(r->domain, "mi.cn");
		CHECK_STR(r->domain_id, "10004219290");
		CHECK_STR(r->main_id, "6504864");
		CHECK_STR(r->service_id, "10001392064");
		CHECK_STR(r->unit_name, "小米科技有限责任公司");
		CHECK_STR(r->nature_name, "企业");
		CHECK_INT(r->nature, NATURE_ENTERPRISE);
		CHECK_STR(r->main_licence, "京ICP备10046444号");
		CHECK_STR(r->service_licence, "京ICP备10046444号-9");
		CHECK_STR(r->limit_access, "否");
		CHECK_STR(r->update_record_time, "2021-08-16 13:55:56");
		CHECK_STR(r->content_type_name, "");
		CHECK_STR(r->service_name, "小米科技");
		CHECK_STR(r->home_url, "www.mi.cn");
	}
	icp_query_page_finish(&p);
}

static void
test_detail_mi_cn_2021(void)
{
	size_t len;
	char *body = read_sample("miit_detail_ok_mi.cn__fghwett_icp_2021.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	CHECK_INT(p.total, 1);
	CHECK_INT(p.is_last_page, 1);
	if (p.n_records == 1) {
		CHECK_STR(p.records[0].domain, "mi.cn");
		CHECK_STR(p.records[0].service_licence, "京ICP备10046444号-9");
		CHECK_STR(p.records[0].home_url, "www.mi.cn");
		CHECK_STR(p.records[0].service_name, "小米科技");
		CHECK_STR(p.records[0].limit_access, NULL);
	}
	icp_query_page_finish(&p);
}

static void
test_query_qq_com_2022(void)
{
	size_t len;
	char *body = read_sample("miit_query_ok_qq.com_2022__2xnz_blog_post.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	CHECK_INT(p.total, 1);
	CHECK_INT(p.pages, 1);
	CHECK_INT(p.is_last_page, 1);
	if (p.n_records == 1) {
		struct icp_record *r = &p.records[0];
		CHECK_STR(r->domain, "qq.com");
		CHECK_STR(r->domain_id, "190000203203");
		CHECK_STR(r->main_id, "547280");
		CHECK_STR(r->service_id, "4134047");
		CHECK_STR(r->main_licence, "粤B2-20090059");
		CHECK_STR(r->service_licence, "粤B2-20090059-5");
		CHECK_STR(r->unit_name, "深圳市腾讯计算机系统有限公司");
		CHECK_STR(r->content_type_name, "文化、宗教、出版、新闻");
		CHECK_STR(r->update_record_time, "2022-09-06 15:51:52");
		CHECK_STR(r->service_name, NULL);
		CHECK_STR(r->home_url, NULL);
	}
	icp_query_page_finish(&p);
}

static void
test_query_qq_com_compact_2023(void)
{
	size_t len;
	char *body = read_sample("miit_query_ok_qq.com_compact__orzchen_icpApi_2023.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	if (p.n_records == 1) {
		struct icp_record *r = &p.records[0];
		CHECK_STR(r->domain, "qq.com");
		CHECK_STR(r->domain_id, "190000203203");
		CHECK_STR(r->content_type_name, "宗教、出版、新闻、文化");
		CHECK_STR(r->update_record_time, "2023-10-18 10:27:25");
		CHECK_INT(r->nature, NATURE_ENTERPRISE);
	}
	icp_query_page_finish(&p);
}

static void
test_query_scgzyun_2025(void)
{
	size_t len;
	char *body = read_sample("miit_query_ok_scgzyun.com__ravizhan_ICP-spider_2025.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	if (p.n_records == 1) {
		struct icp_record *r = &p.records[0];
		CHECK_STR(r->domain, "scgzyun.com");
		CHECK_STR(r->domain_id, "990004509801");
		CHECK_STR(r->main_id, "110001964865");
		CHECK_STR(r->service_id, "990005092743");
		CHECK_STR(r->main_licence, "蜀ICP备19011193号");
		CHECK_STR(r->service_licence, "蜀ICP备19011193号-6");
		CHECK_STR(r->unit_name, "成都七淘网络科技有限公司");
		struct licence l;
		CHECK_INT(licence_parse(r->service_licence, &l), 0);
		CHECK_STR(l.canonical, "蜀ICP备19011193-6");
		CHECK_INT(l.year, 2019);
	}
	icp_query_page_finish(&p);
}

/* Three real Baidu list items (wjlin0's wrapper kept them verbatim) put back
 * into the registry envelope, which the wrapper had replaced. */
static void
test_query_baidu_items_in_envelope(void)
{
	size_t len;
	char *body = read_sample("wrapper_wjlin0_icp-mcp_baidu_records_upstream_items.json", &len);
	json_error_t jerr;
	json_t *wrapper = json_loadb(body, len, 0, &jerr);
	free(body);
	CHECK(wrapper != NULL);
	if (!wrapper)
		return;
	json_t *params = json_pack("{s:O,s:i,s:i,s:i,s:b}", "list",
				   json_object_get(wrapper, "records"), "total", 40, "pageNum", 1,
				   "pages", 1, "isLastPage", 0);
	json_t *env = json_pack("{s:i,s:s,s:o,s:b}", "code", 200, "msg", "操作成功", "params",
				params, "success", 1);
	char *text = json_dumps(env, JSON_COMPACT);
	json_decref(env);
	json_decref(wrapper);
	struct icp_query_page p;
	parse_query(text, strlen(text), &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 3);
	CHECK_INT(p.total, 40);
	CHECK_INT(p.is_last_page, 0);
	if (p.n_records == 3) {
		CHECK_STR(p.records[0].domain, "yjs-cdn3.com");
		CHECK_STR(p.records[0].main_licence, "京ICP证030173号");
		CHECK_STR(p.records[1].domain_id, "110005754296");
		CHECK_STR(p.records[2].service_licence, "京ICP证030173号-155");
		struct licence l;
		CHECK_INT(licence_parse(p.records[2].service_licence, &l), 0);
		CHECK_INT(l.kind, LICENCE_ICP_ZHENG);
		CHECK_STR(l.canonical, "京ICP证030173-155");
		CHECK_STR(l.main, "京ICP证030173");
		CHECK_INT(l.year, 0);
	}
	icp_query_page_finish(&p);
}

static void
test_query_415(void)
{
	size_t len;
	char *body = read_sample("miit_query_fail_415_content_type__s1g0day_ICP_Query_Batch_2025.json",
				 &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_BAD_REQUEST);
	CHECK_INT(p.code, 415);
	CHECK_STR(p.msg, "参数异常,content_type_not_supported");
	icp_query_page_finish(&p);
}

static void
test_query_429(void)
{
	size_t len;
	char *body = read_sample("miit_query_fail_429_ratelimit__s1g0day_ICP_Query_Batch_2025.json",
				 &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_RATE_LIMITED);
	CHECK_INT(p.code, 429);
	CHECK(strstr(p.msg, "访问频次过高") != NULL);
	icp_query_page_finish(&p);
}

static void
test_query_500(void)
{
	size_t len;
	char *body = read_sample("miit_query_fail_500__orzchen_icpApi_2023.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_SERVER_ERROR);
	CHECK_INT(p.code, 500);
	CHECK_STR(p.msg, "服务器异常");
	icp_query_page_finish(&p);
}

/* A "\u0000" inside a MIIT string is never cut there: the answer is refused
 * as not recognised (ICP_BAD_BODY), so no shortened unit name is stored. */
static void
test_query_nul_in_unit_name(void)
{
	static const char body[] =
		"{\"code\":200,\"msg\":\"操作成功\",\"success\":true,\"params\":{\"list\":["
		"{\"domain\":\"test-km.com\",\"mainLicence\":\"浙ICP备2024001234号\","
		"\"serviceLicence\":\"浙ICP备2024001234号-1\",\"natureName\":\"企业\","
		"\"unitName\":\"测试\\u0000网络科技有限公司\",\"updateRecordTime\":\"2025-05-20 10:00:00\"}],"
		"\"total\":1,\"pageNum\":1,\"pages\":1,\"isLastPage\":true}}";
	struct icp_query_page p;
	parse_query(xstrndup(body, sizeof(body) - 1), sizeof(body) - 1, &p);
	CHECK_INT(p.kind, ICP_BAD_BODY);
	CHECK_INT(p.n_records, 0);
	icp_query_page_finish(&p);
	/* The same answer without the NUL is a record. */
	char *plain = xstrndup(body, sizeof(body) - 1);
	char *nul = strstr(plain, "\\u0000");
	CHECK(nul != NULL);
	if (!nul)
		abort();
	memmove(nul, nul + 6, strlen(nul + 6) + 1);
	parse_query(plain, strlen(plain), &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	if (p.n_records)
		CHECK_STR(p.records[0].unit_name, "测试网络科技有限公司");
	icp_query_page_finish(&p);
}

static void
test_query_token_expired(void)
{
	size_t len;
	char *body = read_sample("miit_query_token_expired_401__orzchen_icpApi_2023.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_TOKEN_EXPIRED);
	CHECK_INT(p.code, 401);
	CHECK_STR(p.msg, "token过期,请及时刷新页面");
	icp_query_page_finish(&p);
}

static void
test_query_waf_403_html(void)
{
	size_t len;
	char *body = read_sample("miit_waf_403_chuangyudun_PARTIAL__fghwett_icp_issue3_2024.html", &len);
	CHECK_INT(query_kind_of(body, len), ICP_BLOCKED);
}

static void
test_auth_ok_2021(void)
{
	size_t len;
	char *body = read_sample("miit_auth_ok__fghwett_icp_2021.json", &len);
	char *token;
	int64_t expire;
	char msg[128];
	CHECK_INT(icp_auth_parse(body, len, &token, &expire, msg), ICP_OK);
	CHECK(token && !strncmp(token, "eyJ0eXBlIjoxLCJ1Ij", 18));
	CHECK(token && strstr(token, "9jJWrc2L1IwD4I_vs8p9O0oFFG6RUjIqda5Ubz2nZn4") != NULL);
	CHECK_INT(expire, 300000);
	CHECK_STR(msg, "操作成功");
	free(token);
	free(body);
}

static void
test_auth_ok_2023(void)
{
	size_t len;
	char *body = read_sample("miit_auth_ok__orzchen_icpApi_2023.converted.json", &len);
	char *token;
	int64_t expire;
	char msg[128];
	CHECK_INT(icp_auth_parse(body, len, &token, &expire, msg), ICP_OK);
	CHECK(token && strstr(token, "10MhJ6tB7bgHLzs_fP9VJSlIFqPYwnZEenFcfUWjak0") != NULL);
	CHECK_INT(expire, 300000);
	free(token);
	free(body);
}

static void
test_auth_fail_401(void)
{
	size_t len;
	char *body = read_sample("miit_auth_fail_401__orzchen_icpApi_2023.converted.json", &len);
	char *token;
	int64_t expire;
	char msg[128];
	CHECK_INT(icp_auth_parse(body, len, &token, &expire, msg), ICP_AUTH_FAILED);
	CHECK(token == NULL);
	CHECK_STR(msg, "没有通过身份验证");
	free(body);
}

static void
test_auth_fail_500(void)
{
	size_t len;
	char *body = read_sample("miit_auth_fail_500__fghwett_icp_2021.json", &len);
	char *token;
	int64_t expire;
	char msg[128];
	CHECK_INT(icp_auth_parse(body, len, &token, &expire, msg), ICP_SERVER_ERROR);
	CHECK(token == NULL);
	free(body);
}

/* The README printed a Python dict, not JSON: that is not a body we accept. */
static void
test_auth_pyrepr_is_bad_body(void)
{
	size_t len;
	char *body = read_sample("miit_auth_ok__orzchen_icpApi_2023.pyrepr.txt", &len);
	char *token;
	int64_t expire;
	CHECK_INT(icp_auth_parse(body, len, &token, &expire, NULL), ICP_BAD_BODY);
	CHECK(token == NULL);
	free(body);
}

static void
test_auth_template(void)
{
	size_t len;
	char *body = read_sample("TEMPLATE_miit_auth_ok__ravizhan_reverse_notes_2024.json", &len);
	char *token;
	int64_t expire;
	CHECK_INT(icp_auth_parse(body, len, &token, &expire, NULL), ICP_OK);
	CHECK_STR(token, "Token");
	CHECK_INT(expire, 300000);
	free(token);
	free(body);
}

static void
test_captcha_clickword_template(void)
{
	size_t len;
	char *body = read_sample("TEMPLATE_miit_getCheckImagePoint_clickword__ravizhan_reverse_notes_2024.json",
				 &len);
	struct icp_captcha c;
	CHECK_INT(icp_captcha_parse(body, len, &c, NULL), ICP_OK);
	CHECK_STR(c.uuid, "随机字符串");
	CHECK_STR(c.big_image, "base64图片");
	CHECK_STR(c.secret_key, "随机AES密钥");
	CHECK_INT(c.height, 0);
	icp_captcha_finish(&c);
	free(body);
}

static void
test_sign_clickword_template(void)
{
	size_t len;
	char *body = read_sample("TEMPLATE_miit_checkImage_ok_clickword__ravizhan_reverse_notes_2024.json",
				 &len);
	char *sign;
	CHECK_INT(icp_sign_parse(body, len, &sign, NULL), ICP_OK);
	CHECK_STR(sign, "签名");
	free(sign);
	free(body);
}

static void
test_synth_captcha_slider(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_getCheckImagePoint_slider.json", &len);
	struct icp_captcha c;
	char msg[128];
	CHECK_INT(icp_captcha_parse(body, len, &c, msg), ICP_OK);
	CHECK_STR(c.uuid, "9d3f1c2a5b7e4f60a1b2c3d4e5f60718");
	CHECK_INT(c.height, 87);
	CHECK(c.small_image && !strncmp(c.small_image, "iVBORw0KGgo", 11));
	CHECK_STR(c.secret_key, NULL);
	icp_captcha_finish(&c);
	icp_captcha_finish(NULL);
	free(body);
}

static void
test_synth_sign_string(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_checkImage_ok_slider_sign_string.json", &len);
	char *sign;
	CHECK_INT(icp_sign_parse(body, len, &sign, NULL), ICP_OK);
	CHECK(sign && !strncmp(sign, "eyJ0eXBlIjozLCJleHREYXRh", 24));
	free(sign);
	free(body);
}

static void
test_synth_checkimage_fail(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_checkImage_fail.json", &len);
	char *sign;
	char msg[128];
	CHECK_INT(icp_sign_parse(body, len, &sign, msg), ICP_CAPTCHA);
	CHECK(sign == NULL);
	CHECK_STR(msg, "验证错误，需要重新获取验证图片");
	struct icp_captcha c;
	CHECK_INT(icp_captcha_parse(body, len, &c, msg), ICP_CAPTCHA);
	CHECK(c.uuid == NULL);
	free(body);
}

static void
test_synth_notfound(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_notfound.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 0);
	CHECK_INT(p.total, 0);
	CHECK_INT(p.pages, 0);
	CHECK_INT(p.is_last_page, 1);
	icp_query_page_finish(&p);
}

static void
test_synth_individual(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_individual.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	if (p.n_records == 1) {
		CHECK_STR(p.records[0].domain, "kameng-example.cn");
		CHECK_INT(p.records[0].nature, NATURE_INDIVIDUAL);
		CHECK_STR(p.records[0].nature_name, "个人");
		CHECK_STR(icp_nature_name(p.records[0].nature), "individual");
		CHECK_STR(p.records[0].unit_name, "张三");
		struct licence l;
		CHECK_INT(licence_parse(p.records[0].main_licence, &l), 0);
		CHECK_INT(l.year, 2024);
	}
	icp_query_page_finish(&p);
}

static void
test_synth_institution(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_institution.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	if (p.n_records == 1) {
		CHECK_INT(p.records[0].nature, NATURE_INSTITUTION);
		CHECK_STR(p.records[0].content_type_name, "新闻、出版");
	}
	icp_query_page_finish(&p);
}

static void
test_synth_natures(void)
{
	static const enum icp_nature want[] = {NATURE_GOVERNMENT, NATURE_INSTITUTION,
					       NATURE_OTHER,      NATURE_UNKNOWN,
					       NATURE_GOVERNMENT, NATURE_INSTITUTION};
	size_t len;
	char *body = read_fixture("SYNTH_query_natures.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 6);
	for (size_t i = 0; i < p.n_records && i < 6; i++)
		CHECK_INT(p.records[i].nature, want[i]);
	if (p.n_records >= 3)
		CHECK_STR(p.records[2].nature_name, "律师执业机构");
	icp_query_page_finish(&p);
}

static void
test_synth_limit_access(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_limit_access.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	if (p.n_records == 1)
		CHECK_STR(p.records[0].limit_access, "是");
	icp_query_page_finish(&p);
}

static void
test_synth_string_ids(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_string_ids.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.total, 1);
	CHECK_INT(p.page_num, 1);
	CHECK_INT(p.pages, 1);
	CHECK_INT(p.n_records, 1);
	if (p.n_records == 1) {
		CHECK_STR(p.records[0].domain_id, "10000245113");
		CHECK_STR(p.records[0].main_id, "282751");
		CHECK_STR(p.records[0].service_id, "10000002400");
	}
	icp_query_page_finish(&p);
}

static void
test_synth_paging(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_page1_of_3.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 2);
	CHECK_INT(p.total, 5);
	CHECK_INT(p.page_num, 1);
	CHECK_INT(p.pages, 3);
	CHECK_INT(p.is_last_page, 0);
	icp_query_page_finish(&p);

	body = read_fixture("SYNTH_query_no_paging_flags.json", &len);
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_OK);
	CHECK_INT(p.n_records, 1);
	CHECK_INT(p.total, 11);
	CHECK_INT(p.page_num, 2);
	CHECK_INT(p.is_last_page, 1);
	if (p.n_records == 1) {
		CHECK_STR(p.records[0].domain_id, NULL);
		CHECK_STR(p.records[0].content_type_name, NULL);
	}
	icp_query_page_finish(&p);
}

static void
test_synth_empty_body(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_empty_body.txt", &len);
	CHECK_INT(len, 0);
	CHECK_INT(query_kind_of(body, len), ICP_BAD_BODY);
	body = read_fixture("SYNTH_whitespace_body.txt", &len);
	CHECK_INT(query_kind_of(body, len), ICP_BAD_BODY);
	struct icp_query_page p;
	icp_query_page_init(&p);
	CHECK_INT(icp_query_parse(NULL, 0, &p, NULL), 0);
	CHECK_INT(p.kind, ICP_BAD_BODY);
	CHECK_INT(icp_query_parse(NULL, 5, &p, NULL), -1);
	icp_query_page_finish(&p);
}

static void
test_synth_captcha_mismatch(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_captcha_mismatch.json", &len);
	struct icp_query_page p;
	parse_query(body, len, &p);
	CHECK_INT(p.kind, ICP_CAPTCHA);
	CHECK_STR(p.msg, "请求非法,验证码不匹配!!");
	icp_query_page_finish(&p);
}

static void
test_synth_jsl_challenge(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_jsl_521_challenge.html", &len);
	CHECK_INT(query_kind_of(body, len), ICP_BLOCKED);
}

static void
test_synth_bad_shapes(void)
{
	static const char *const names[] = {
		"SYNTH_query_list_not_array.json", "SYNTH_query_item_without_domain.json",
		"SYNTH_query_params_missing.json", "SYNTH_not_an_envelope.json"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len;
		char *body = read_fixture(names[i], &len);
		enum icp_reply_kind k = query_kind_of(body, len);
		if (k != ICP_BAD_BODY)
			fprintf(stderr, "%s: %s\n", names[i], icp_reply_kind_name(k));
		CHECK_INT(k, ICP_BAD_BODY);
	}
}

/* Inline bodies for the classification corners. */
static void
test_classify_inline(void)
{
	static const struct {
		const char *body;
		enum icp_reply_kind want;
	} cases[] = {
		{"{\"code\":401,\"msg\":\"没有通过身份验证\",\"success\":false}", ICP_AUTH_FAILED},
		{"{\"code\":401,\"msg\":\"token过期,请及时刷新页面\",\"success\":false}", ICP_TOKEN_EXPIRED},
		{"{\"code\":403,\"msg\":\"forbidden\",\"success\":false}", ICP_BAD_REQUEST},
		{"{\"code\":502,\"msg\":\"x\",\"success\":false}", ICP_SERVER_ERROR},
		{"{\"code\":\"429\",\"msg\":\"x\",\"success\":false}", ICP_RATE_LIMITED},
		{"[1,2]", ICP_BAD_BODY},
		{"null", ICP_BAD_BODY},
		{"{\"code\":200,\"msg\":\"ok\"", ICP_BAD_BODY},
		{"<html><body>当前访问疑似黑客攻击，已被创宇盾拦截</body></html>", ICP_BLOCKED},
		{"当前访问疑似黑客攻击，已被创宇盾拦截", ICP_BLOCKED},
		{"Service Unavailable", ICP_BAD_BODY},
		{"{\"code\":200,\"msg\":\"操作成功\",\"params\":{\"list\":[],\"total\":0},\"success\":true}",
		 ICP_OK},
		{"\xEF\xBB\xBF{\"code\":200,\"params\":{\"list\":[],\"total\":0},\"success\":true}", ICP_OK},
		{"{\"code\":200,\"msg\":\"\",\"success\":false}", ICP_SERVER_ERROR},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct icp_query_page p;
		icp_query_page_init(&p);
		CHECK_INT(icp_query_parse(cases[i].body, strlen(cases[i].body), &p, NULL), 0);
		if (p.kind != cases[i].want)
			fprintf(stderr, "case %zu: %s\n", i, icp_reply_kind_name(p.kind));
		CHECK_INT(p.kind, cases[i].want);
		icp_query_page_finish(&p);
	}
}

static void
test_msg_cut_at_char_boundary(void)
{
	char body[1024];
	char msg[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(msg, "错");
	snprintf(body, sizeof(body), "{\"code\":500,\"msg\":\"%s\",\"success\":false}", msg);
	struct icp_query_page p;
	icp_query_page_init(&p);
	icp_query_parse(body, strlen(body), &p, NULL);
	CHECK_INT(strlen(p.msg), 126); /* 42 three-byte characters */
	icp_query_page_finish(&p);
}

static void
test_reparse_releases(void)
{
	size_t len;
	char *body = read_fixture("SYNTH_query_natures.json", &len);
	struct icp_query_page p;
	icp_query_page_init(&p);
	CHECK_INT(icp_query_parse(body, len, &p, NULL), 0);
	CHECK_INT(icp_query_parse(body, len, &p, NULL), 0);
	CHECK_INT(p.n_records, 6);
	icp_query_page_finish(&p);
	icp_query_page_finish(NULL);
	icp_record_finish(NULL);
	free(body);
}

static void
test_names(void)
{
	CHECK_STR(icp_reply_kind_name(ICP_OK), "ok");
	CHECK_STR(icp_reply_kind_name(ICP_TOKEN_EXPIRED), "token_expired");
	CHECK_STR(icp_reply_kind_name(ICP_BLOCKED), "blocked");
	CHECK_STR(icp_reply_kind_name(ICP_BAD_BODY), "bad_body");
	CHECK_STR(icp_nature_name(NATURE_ENTERPRISE), "enterprise");
	CHECK_STR(icp_nature_name(NATURE_GOVERNMENT), "government");
	CHECK_STR(icp_nature_name(NATURE_UNKNOWN), "unknown");
}

/* licence_parse: input -> kind, canonical, main, year, placeholder; kind
 * LICENCE_NONE means licence_parse must return -1. */
static const struct {
	const char *in;
	enum licence_kind kind;
	const char *canonical, *main;
	int year, placeholder;
} licences[] = {
	{"京ICP备10046444号", LICENCE_ICP_BEI, "京ICP备10046444", "京ICP备10046444", 2010, 0},
	{"京ICP备10046444号-9", LICENCE_ICP_BEI, "京ICP备10046444-9", "京ICP备10046444", 2010, 0},
	{"蜀ICP备19011193号-6", LICENCE_ICP_BEI, "蜀ICP备19011193-6", "蜀ICP备19011193", 2019, 0},
	{"陇ICP备2021003158号", LICENCE_ICP_BEI, "陇ICP备2021003158", "陇ICP备2021003158", 2021, 0},
	{"陇ICP备2021003158号-1", LICENCE_ICP_BEI, "陇ICP备2021003158-1", "陇ICP备2021003158", 2021, 0},
	{"陇ICP备 05000593", LICENCE_ICP_BEI, "陇ICP备05000593", "陇ICP备05000593", 2005, 0},
	{"川ICP备 09003078号", LICENCE_ICP_BEI, "川ICP备09003078", "川ICP备09003078", 2009, 0},
	{"  沪 ICP 备 13002172 号 - 3 ", LICENCE_ICP_BEI, "沪ICP备13002172-3", "沪ICP备13002172", 2013, 0},
	{"京icp备10046444号", LICENCE_ICP_BEI, "京ICP备10046444", "京ICP备10046444", 2010, 0},
	{"京ＩＣＰ备１００４６４４４号－９", LICENCE_ICP_BEI, "京ICP备10046444-9", "京ICP备10046444", 2010, 0},
	{"京ICP备10046444号—09", LICENCE_ICP_BEI, "京ICP备10046444-9", "京ICP备10046444", 2010, 0},
	{"贵ICP备(shou.org.cn)05052049号-13", LICENCE_ICP_BEI, "贵ICP备05052049-13", "贵ICP备05052049", 2005, 0},
	{"贵ICP备（shou.org.cn）05052049号-13", LICENCE_ICP_BEI, "贵ICP备05052049-13", "贵ICP备05052049", 2005, 0},
	{"粤ICP备98001234号", LICENCE_ICP_BEI, "粤ICP备98001234", "粤ICP备98001234", 1998, 0},
	{"京ICP备000123号", LICENCE_ICP_BEI, "京ICP备000123", "京ICP备000123", 0, 0},
	{"京ICP备0012345号", LICENCE_ICP_BEI, "京ICP备0012345", "京ICP备0012345", 0, 0},
	{"京ICP证030173号", LICENCE_ICP_ZHENG, "京ICP证030173", "京ICP证030173", 0, 0},
	{"京ICP证030173号-102", LICENCE_ICP_ZHENG, "京ICP证030173-102", "京ICP证030173", 0, 0},
	{"粤B2-20090059", LICENCE_B2, "粤B2-20090059", "粤B2-20090059", 0, 0},
	{"粤B2-20090059-5", LICENCE_B2, "粤B2-20090059-5", "粤B2-20090059", 0, 0},
	{"B2-20080207", LICENCE_B2, "B2-20080207", "B2-20080207", 0, 0},
	{"B2-20060558号", LICENCE_B2, "B2-20060558", "B2-20060558", 0, 0},
	{"B2-2011049", LICENCE_B2, "B2-2011049", "B2-2011049", 0, 0},
	{"京B2－20212732", LICENCE_B2, "京B2-20212732", "京B2-20212732", 0, 0},
	{"贵ICP备00000000号", LICENCE_ICP_BEI, "贵ICP备00000000", "贵ICP备00000000", 0, 1},
	{"贵ICP备66666666号", LICENCE_ICP_BEI, "贵ICP备66666666", "贵ICP备66666666", 0, 1},
	{"云ICP备12345678号", LICENCE_ICP_BEI, "云ICP备12345678", "云ICP备12345678", 0, 1},
	{"京ICP备10000000号", LICENCE_ICP_BEI, "京ICP备10000000", "京ICP备10000000", 0, 1},
	{"京ICP备1234567890号", LICENCE_ICP_BEI, "京ICP备1234567890", "京ICP备1234567890", 0, 1},
	{"京ICP备87654321号", LICENCE_ICP_BEI, "京ICP备87654321", "京ICP备87654321", 0, 1},
	{"粤B2-00000000", LICENCE_B2, "粤B2-00000000", "粤B2-00000000", 0, 1},
	{"秦ICP备2628680821号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"秦ICP备99999999-8", LICENCE_NONE, NULL, NULL, 0, 0},
	{"萌ICP备20259514号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"川ICP备1XXXXXX1号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"京ICP备12345号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"京ICP备123456789012号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"备案号：京ICP备10046444号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"浙网文（2016）0349-21号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"京公网安备11040102700068号", LICENCE_NONE, NULL, NULL, 0, 0},
	{"AB2-20080207", LICENCE_NONE, NULL, NULL, 0, 0},
	{"", LICENCE_NONE, NULL, NULL, 0, 0},
	{"查询失败", LICENCE_NONE, NULL, NULL, 0, 0},
};

static void
test_licence_table(void)
{
	for (size_t i = 0; i < sizeof(licences) / sizeof(licences[0]); i++) {
		struct licence l;
		int rc = licence_parse(licences[i].in, &l);
		int fails = harness_failures;
		if (licences[i].kind == LICENCE_NONE) {
			CHECK_INT(rc, -1);
			CHECK_INT(l.kind, LICENCE_NONE);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(l.kind, licences[i].kind);
			CHECK_STR(l.canonical, licences[i].canonical);
			CHECK_STR(l.main, licences[i].main);
			CHECK_INT(l.year, licences[i].year);
			CHECK_INT(l.placeholder, licences[i].placeholder);
		}
		if (harness_failures != fails)
			fprintf(stderr, "  in licence case %zu: \"%s\"\n", i, licences[i].in);
	}
	struct licence l;
	CHECK_INT(licence_parse(NULL, &l), -1);
}

static void
test_licence_find_in_text(void)
{
	static const char text[] = "备案号：粤ICP备11040663号-1 | 增值电信业务经营许可证：B2-20060558号";
	struct licence l;
	size_t start, end;
	CHECK_INT(licence_find(text, strlen(text), 0, &l, &start, &end), 0);
	CHECK_STR(l.canonical, "粤ICP备11040663-1");
	CHECK_INT(start, strlen("备案号："));
	CHECK_INT(licence_find(text, strlen(text), end, &l, &start, &end), 0);
	CHECK_STR(l.canonical, "B2-20060558");
	CHECK_INT(licence_find(text, strlen(text), end, &l, &start, &end), -1);
	CHECK_INT(licence_find(text, strlen(text), strlen(text) + 1, &l, &start, &end), -1);
}

TEST_MAIN({"query_mi_cn_2021", test_query_mi_cn_2021},
	  {"detail_mi_cn_2021", test_detail_mi_cn_2021},
	  {"query_qq_com_2022", test_query_qq_com_2022},
	  {"query_qq_com_compact_2023", test_query_qq_com_compact_2023},
	  {"query_scgzyun_2025", test_query_scgzyun_2025},
	  {"query_baidu_items_in_envelope", test_query_baidu_items_in_envelope},
	  {"query_415", test_query_415},
	  {"query_429", test_query_429},
	  {"query_500", test_query_500},
	  {"query_nul_in_unit_name", test_query_nul_in_unit_name},
	  {"query_token_expired", test_query_token_expired},
	  {"query_waf_403_html", test_query_waf_403_html},
	  {"auth_ok_2021", test_auth_ok_2021},
	  {"auth_ok_2023", test_auth_ok_2023},
	  {"auth_fail_401", test_auth_fail_401},
	  {"auth_fail_500", test_auth_fail_500},
	  {"auth_pyrepr_is_bad_body", test_auth_pyrepr_is_bad_body},
	  {"auth_template", test_auth_template},
	  {"captcha_clickword_template", test_captcha_clickword_template},
	  {"sign_clickword_template", test_sign_clickword_template},
	  {"synth_captcha_slider", test_synth_captcha_slider},
	  {"synth_sign_string", test_synth_sign_string},
	  {"synth_checkimage_fail", test_synth_checkimage_fail},
	  {"synth_notfound", test_synth_notfound},
	  {"synth_individual", test_synth_individual},
	  {"synth_institution", test_synth_institution},
	  {"synth_natures", test_synth_natures},
	  {"synth_limit_access", test_synth_limit_access},
	  {"synth_string_ids", test_synth_string_ids},
	  {"synth_paging", test_synth_paging},
	  {"synth_empty_body", test_synth_empty_body},
	  {"synth_captcha_mismatch", test_synth_captcha_mismatch},
	  {"synth_jsl_challenge", test_synth_jsl_challenge},
	  {"synth_bad_shapes", test_synth_bad_shapes},
	  {"classify_inline", test_classify_inline},
	  {"msg_cut_at_char_boundary", test_msg_cut_at_char_boundary},
	  {"reparse_releases", test_reparse_releases},
	  {"names", test_names},
	  {"licence_table", test_licence_table},
	  {"licence_find_in_text", test_licence_find_in_text})
