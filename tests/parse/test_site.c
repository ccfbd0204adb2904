/* parse/site.c: the real footer snippets (../shared/samples/icp, skipped
 * when absent) against tests/data/site/footer_expectations.tsv, and the
 * SYNTH_ pages in tests/data/site. */
#include <jansson.h>
#include <sys/stat.h>

#include "harness.h"
#include "html.h"
#include "site.h"

#define N_SNIPPETS 64

struct expectation {
	int index;
	char icp[96];
	char police[96];
};

/* Reads the expectations file; returns how many lines it has. */
static int
read_expectations(struct expectation *ex, int max)
{
	size_t len;
	char *text = harness_read_file("tests/data/site/footer_expectations.tsv", &len);
	int n = 0;
	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !line[0])
			continue;
		struct expectation *e = &ex[n];
		if (sscanf(line, "%d\t%95[^\t]\t%95s", &e->index, e->icp, e->police) != 3) {
			fprintf(stderr, "bad expectation line: %s\n", line);
			harness_failures++;
			continue;
		}
		n++;
	}
	free(text);
	return n;
}

/* The snippets, one malloc'd string per line (1-based); returns the count. */
static int
read_snippets(char **snippets, int max)
{
	const char *shared = getenv("KMREP_SHARED");
	if (!shared)
		SKIP("KMREP_SHARED not set");
	char path[4096];
	snprintf(path, sizeof(path), "%s/samples/icp/footer_snippets_in_the_wild.jsonl", shared);
	struct stat st;
	if (stat(path, &st) < 0)
		SKIP("footer_snippets_in_the_wild.jsonl missing");
	size_t len;
	char *text = harness_read_file(path, &len);
	int n = 0;
	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		json_error_t jerr;
		json_t *o = json_loads(line, 0, &jerr);
		json_t *s = json_object_get(o, "snippet");
		CHECK(json_is_string(s));
		snippets[++n] = strdup(json_is_string(s) ? json_string_value(s) : "");
		json_decref(o);
	}
	free(text);
	return n;
}

static void
check_claim(int index, const char *want_icp, const struct licence *l, int placeholder,
	    const char *raw)
{
	int fails = harness_failures;
	if (!strcmp(want_icp, "NONE")) {
		CHECK_INT(l->kind, LICENCE_NONE);
		CHECK_INT(placeholder, 0);
	} else if (!strcmp(want_icp, "PLACEHOLDER")) {
		CHECK_INT(l->kind, LICENCE_NONE);
		CHECK_INT(placeholder, 1);
		CHECK(raw != NULL);
	} else {
		CHECK(l->kind != LICENCE_NONE);
		CHECK_STR(l->canonical, want_icp);
		CHECK_INT(placeholder, 0);
	}
	if (harness_failures != fails)
		fprintf(stderr, "  in footer snippet %d (raw \"%s\")\n", index, raw ? raw : "");
}

/* Each snippet as a whole page through site_page_parse. */
static void
test_footer_snippets_page(void)
{
	char *snippets[N_SNIPPETS + 1] = {0};
	struct expectation ex[N_SNIPPETS];
	int n = read_snippets(snippets, N_SNIPPETS);
	int n_ex = read_expectations(ex, N_SNIPPETS);
	CHECK_INT(n_ex, n);
	for (int i = 0; i < n_ex; i++) {
		const struct expectation *e = &ex[i];
		CHECK(e->index >= 1 && e->index <= n);
		if (e->index < 1 || e->index > n)
			continue;
		struct site_page p;
		char err[256];
		site_page_init(&p);
		CHECK_INT(site_page_parse(snippets[e->index], strlen(snippets[e->index]), NULL, &p,
					  err),
			  0);
		check_claim(e->index, e->icp, &p.icp, p.icp_placeholder, p.icp_raw);
		int fails = harness_failures;
		CHECK_STR(p.police_number, strcmp(e->police, "-") ? e->police : NULL);
		if (harness_failures != fails)
			fprintf(stderr, "  police number of footer snippet %d\n", e->index);
		site_page_finish(&p);
	}
	for (int i = 0; i <= N_SNIPPETS; i++)
		free(snippets[i]);
}

/* Each snippet's text (tags stripped) through site_find_icp. */
static void
test_footer_snippets_text(void)
{
	char *snippets[N_SNIPPETS + 1] = {0};
	struct expectation ex[N_SNIPPETS];
	int n = read_snippets(snippets, N_SNIPPETS);
	int n_ex = read_expectations(ex, N_SNIPPETS);
	for (int i = 0; i < n_ex; i++) {
		const struct expectation *e = &ex[i];
		if (e->index < 1 || e->index > n)
			continue;
		char *text = html_snippet_text(snippets[e->index], strlen(snippets[e->index]));
		char *raw = NULL;
		struct licence l;
		int rc = site_find_icp(text, &raw, &l);
		CHECK_INT(rc, l.kind != LICENCE_NONE ? 0 : -1);
		check_claim(e->index, e->icp, &l, l.placeholder, raw);
		free(raw);
		free(text);
	}
	for (int i = 0; i <= N_SNIPPETS; i++)
		free(snippets[i]);
}

/* Parses tests/data/site/name into p; returns site_page_parse's result. */
static int
parse_fixture(const char *name, const char *content_type, struct site_page *p)
{
	char rel[256], err[256];
	snprintf(rel, sizeof(rel), "tests/data/site/%s", name);
	size_t len;
	char *body = harness_read_file(rel, &len);
	site_page_init(p);
	int rc = site_page_parse(body, len, content_type, p, err);
	free(body);
	return rc;
}

static void
test_meta_icp_first(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_meta_icp.html", NULL, &p), 0);
	CHECK_STR(p.title, "七彩卡盟 - 游戏点卡 QQ充值 自动发货");
	CHECK_STR(p.charset, "utf-8");
	CHECK_INT(p.icp.kind, LICENCE_ICP_BEI);
	CHECK_STR(p.icp.canonical, "浙ICP备2022012345-2");
	CHECK_STR(p.icp.main, "浙ICP备2022012345");
	CHECK_INT(p.icp.year, 2022);
	CHECK_STR(p.icp_raw, "浙ICP备2022012345号-2");
	CHECK_INT(p.icp_placeholder, 0);
	CHECK_STR(p.police_number, NULL);
	site_page_finish(&p);
}

static void
test_footer_link_first(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_footer_link.html", "text/html", &p), 0);
	CHECK_STR(p.title, "星辰卡盟 | 游戏充值平台");
	CHECK_INT(p.icp.kind, LICENCE_ICP_BEI);
	CHECK_STR(p.icp.canonical, "湘ICP备2023001234-1");
	CHECK_INT(p.icp.year, 2023);
	CHECK_STR(p.police_number, "湘公网安备43010202001234");
	site_page_finish(&p);
}

static void
test_gbk_meta(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_gbk_meta.html", NULL, &p), 0);
	CHECK_STR(p.charset, "gb2312");
	CHECK_STR(p.title, "老牌卡盟—点卡批发");
	CHECK_STR(p.icp.canonical, "豫ICP备09012345-2");
	CHECK_INT(p.icp.year, 2009);
	CHECK_STR(p.police_number, "豫公网安备41010502001234");
	site_page_finish(&p);
}

static void
test_gbk_content_type(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_gbk_undeclared.html", "text/html; Charset=\"GBK\"", &p), 0);
	CHECK_STR(p.charset, "gbk");
	CHECK_STR(p.title, "无声明卡盟");
	CHECK_STR(p.icp.canonical, "皖ICP备2020123456");
	site_page_finish(&p);
}

static void
test_gbk_undeclared(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_gbk_undeclared.html", NULL, &p), 0);
	CHECK_STR(p.charset, "gb18030");
	CHECK_STR(p.title, "无声明卡盟");
	CHECK_STR(p.icp.canonical, "皖ICP备2020123456");
	site_page_finish(&p);
}

static void
test_header_overrides_meta(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_gbk_meta.html", "text/html;charset=GB18030", &p), 0);
	CHECK_STR(p.charset, "gb18030");
	CHECK_STR(p.title, "老牌卡盟—点卡批发");
	site_page_finish(&p);
}

/* libxml2 alone stops at the first byte GBK does not allow. */
static void
test_gbk_invalid_byte(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_gbk_invalid_byte.html", NULL, &p), 0);
	CHECK_STR(p.charset, "gbk");
	CHECK_STR(p.title, "坏字节卡盟");
	CHECK_STR(p.icp.canonical, "京ICP备10046444-9");
	site_page_finish(&p);
}

/* A UTF-8 page served as GBK is read as UTF-8. */
static void
test_utf8_labelled_gbk(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_meta_icp.html", "text/html; charset=gbk", &p), 0);
	CHECK_STR(p.charset, "utf-8");
	CHECK_STR(p.title, "七彩卡盟 - 游戏点卡 QQ充值 自动发货");
	site_page_finish(&p);
}

static void
test_no_claim(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_no_claim.html", NULL, &p), 0);
	CHECK_STR(p.title, "Card Shop");
	CHECK_INT(p.icp.kind, LICENCE_NONE);
	CHECK_INT(p.icp_placeholder, 0);
	CHECK_STR(p.icp_raw, NULL);
	CHECK_STR(p.police_number, NULL);
	site_page_finish(&p);
}

static void
test_placeholder_only(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_placeholder_only.html", NULL, &p), 0);
	CHECK_INT(p.icp.kind, LICENCE_NONE);
	CHECK_INT(p.icp_placeholder, 1);
	CHECK_STR(p.icp_raw, "黔ICP备12345678号-1");
	CHECK_STR(p.police_number, NULL);
	site_page_finish(&p);
}

static void
test_joke_xingyun(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_joke_xingyun.html", NULL, &p), 0);
	CHECK_INT(p.icp.kind, LICENCE_NONE);
	CHECK_INT(p.icp_placeholder, 1);
	CHECK_STR(p.icp_raw, "星云ICP备20240517号");
	site_page_finish(&p);
}

static void
test_fullwidth_nbsp(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_fullwidth_nbsp.html", NULL, &p), 0);
	CHECK_STR(p.icp.canonical, "粤ICP备19088877-3");
	CHECK_STR(p.police_number, "粤公网安备44030502001234");
	site_page_finish(&p);
}

static void
test_script_skipped(void)
{
	struct site_page p;
	CHECK_INT(parse_fixture("SYNTH_script_only.html", NULL, &p), 0);
	CHECK_INT(p.icp.kind, LICENCE_NONE);
	CHECK_INT(p.icp_placeholder, 0);
	site_page_finish(&p);
}

/* A footer after 300 KiB of text is still found: the tail is kept. */
static void
test_long_page_tail(void)
{
	struct buf_like {
		char *d;
		size_t n;
	} b = {malloc(400 * 1024), 0};
	const char *head = "<html><head><title>长页</title></head><body>";
	memcpy(b.d, head, strlen(head));
	b.n = strlen(head);
	while (b.n < 300 * 1024) {
		const char *para = "<p>游戏点卡批发，全网最低价，自动发货。</p>\n";
		memcpy(b.d + b.n, para, strlen(para));
		b.n += strlen(para);
	}
	const char *foot = "<footer>冀ICP备2024000123号-1</footer></body></html>";
	memcpy(b.d + b.n, foot, strlen(foot));
	b.n += strlen(foot);
	struct site_page p;
	char err[256];
	site_page_init(&p);
	CHECK_INT(site_page_parse(b.d, b.n, NULL, &p, err), 0);
	CHECK_STR(p.icp.canonical, "冀ICP备2024000123-1");
	site_page_finish(&p);
	free(b.d);
}

/* A body cut by a size cap in the middle of a character is still UTF-8. */
static void
test_truncated_utf8(void)
{
	static const char page[] = "<title>卡盟</title><p>苏ICP备2021012345号 全网最低价</p>";
	struct site_page p;
	char err[256];
	site_page_init(&p);
	CHECK_INT(site_page_parse(page, sizeof(page) - 1 - 5, NULL, &p, err), 0);
	CHECK_STR(p.charset, "utf-8");
	CHECK_STR(p.title, "卡盟");
	CHECK_STR(p.icp.canonical, "苏ICP备2021012345");
	site_page_finish(&p);
}

/* Thousands of placeholders and long blank runs stay fast (meson's timeout
 * catches a quadratic regression). */
static void
test_adversarial_input(void)
{
	size_t cap = 512 * 1024, n = 0;
	char *b = malloc(cap);
	if (!b)
		abort();
	n += (size_t)sprintf(b + n, "<p>ICP备");
	memset(b + n, ' ', 60000);
	n += 60000;
	while (n < 400 * 1024)
		n += (size_t)sprintf(b + n, "京ICP备12345678号");
	n += (size_t)sprintf(b + n, "</p>");
	struct site_page p;
	char err[256];
	site_page_init(&p);
	CHECK_INT(site_page_parse(b, n, NULL, &p, err), 0);
	CHECK_INT(p.icp.kind, LICENCE_NONE);
	CHECK_INT(p.icp_placeholder, 1);
	site_page_finish(&p);
	free(b);
}

static void
test_not_html(void)
{
	struct site_page p;
	char err[256];
	site_page_init(&p);
	CHECK_INT(site_page_parse("", 0, NULL, &p, err), -1);
	CHECK(strstr(err, "empty") != NULL);
	CHECK_INT(site_page_parse(" \r\n ", 4, NULL, &p, err), -1);
	CHECK_INT(site_page_parse(NULL, 0, NULL, &p, err), -1);
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	CHECK_INT(site_page_parse(png, sizeof(png) - 1, NULL, &p, err), -1);
	CHECK(strstr(err, "binary") != NULL);
	/* Plain text is still a page (libxml2 wraps it). */
	CHECK_INT(site_page_parse("粤ICP备11040663号-1", strlen("粤ICP备11040663号-1"), NULL, &p, err), 0);
	CHECK_STR(p.icp.canonical, "粤ICP备11040663-1");
	CHECK_STR(p.title, NULL);
	/* An unknown charset falls back to UTF-8. */
	CHECK_INT(site_page_parse("<p>京ICP备10046444号</p>", strlen("<p>京ICP备10046444号</p>"),
				  "text/html; charset=x-nonexistent-9", &p, err),
		  0);
	CHECK_STR(p.icp.canonical, "京ICP备10046444");
	site_page_finish(&p);
	site_page_finish(NULL);
}

static void
test_find_icp_direct(void)
{
	char *raw;
	struct licence l;
	CHECK_INT(site_find_icp("备案号：陇ICP备 05000593", &raw, &l), 0);
	CHECK_STR(l.canonical, "陇ICP备05000593");
	CHECK_STR(raw, "陇ICP备 05000593");
	free(raw);
	CHECK_INT(site_find_icp("云ICP备12345678号 then 京ICP备10046444号-9", &raw, &l), 0);
	CHECK_STR(l.canonical, "京ICP备10046444-9");
	free(raw);
	CHECK_INT(site_find_icp("茶ICP备20230001号", &raw, &l), -1);
	CHECK_INT(l.placeholder, 1);
	free(raw);
	CHECK_INT(site_find_icp("nothing here", &raw, &l), -1);
	CHECK_INT(l.placeholder, 0);
	CHECK(raw == NULL);
	CHECK_INT(site_find_icp(NULL, &raw, &l), -1);
}

TEST_MAIN({"footer_snippets_page", test_footer_snippets_page},
	  {"footer_snippets_text", test_footer_snippets_text},
	  {"meta_icp_first", test_meta_icp_first},
	  {"footer_link_first", test_footer_link_first},
	  {"gbk_meta", test_gbk_meta},
	  {"gbk_content_type", test_gbk_content_type},
	  {"gbk_undeclared", test_gbk_undeclared},
	  {"header_overrides_meta", test_header_overrides_meta},
	  {"gbk_invalid_byte", test_gbk_invalid_byte},
	  {"utf8_labelled_gbk", test_utf8_labelled_gbk},
	  {"no_claim", test_no_claim},
	  {"placeholder_only", test_placeholder_only},
	  {"joke_xingyun", test_joke_xingyun},
	  {"fullwidth_nbsp", test_fullwidth_nbsp},
	  {"script_skipped", test_script_skipped},
	  {"long_page_tail", test_long_page_tail},
	  {"truncated_utf8", test_truncated_utf8},
	  {"adversarial_input", test_adversarial_input},
	  {"not_html", test_not_html},
	  {"find_icp_direct", test_find_icp_direct})
