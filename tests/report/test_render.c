/* The renderer table (report/render.h): every format renders a small view in
 * every view it draws, the table answers --format lookups and lists, the
 * complaint sites come from the registry, and a write error is an error. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "fixture.h"
#include "harness.h"
#include "render.h"

static struct fx f;
static struct config cfg;

/* A platform with eight complaints, one merchant on the first complaint
 * source, and no identity data; strings are static (never finish it, only
 * its score). */
static void
make_view(struct platform_view *v, const char *name)
{
	static char *domains[] = {"t.example"};
	static struct merchant_ref merchant = {"6384912431", "测试卡盟", 0, 0};
	static int merchant_source, have_cfg;
	memset(v, 0, sizeof(*v));
	if (!have_cfg++) {
		config_defaults(&cfg);
		registry_declare_config(&cfg);
	}
	v->platform.name = (char *)name;
	v->platform.domains = domains;
	v->platform.n_domains = 1;
	v->now = NOW;
	merchant_source = registry_first(SOURCE_COMPLAINTS);
	v->merchants = &merchant;
	v->merchant_source = &merchant_source;
	v->n_merchants = merchant_source >= 0;
	f.n = 0;
	for (int i = 0; i < 8; i++)
		fx_never(fx_add(&f, 10 + i, STATUS_UNANSWERED, CAT_UNDELIVERED));
	v->input = fx_input(&f);
	char err[ERRBUF_SIZE] = "";
	CHECK(score_compute(&cfg.score, &v->input, &v->score, err) == 0);
}

/* Renders v with r in view into a temporary file; returns its text (malloc'd)
 * and the renderer's status in *rc. */
static char *
render(const struct renderer *r, enum render_view view, const struct platform_view *v,
       size_t n, int *rc)
{
	FILE *fp = tmpfile();
	CHECK(fp != NULL);
	struct render_ctx ctx = {.out = fp, .view = view, .cfg = &cfg};
	*rc = render_all(r, &ctx, v, n);
	long len = ftell(fp);
	char *text = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
	rewind(fp);
	if (len > 0)
		CHECK(fread(text, 1, (size_t)len, fp) == (size_t)len);
	fclose(fp);
	return text;
}

static void
test_table(void)
{
	size_t n = 0;
	for (size_t i = 0; renderers[i]; i++, n++) {
		const struct renderer *r = renderers[i];
		CHECK(r->name && *r->name);
		CHECK(r->views != 0);
		CHECK(r->begin && r->platform && r->end);
	}
	CHECK(n >= 3);
	CHECK(renderer_find("text", RENDER_CHECK) == &render_text);
	CHECK(renderer_find("json", RENDER_CHECK) == &render_json);
	CHECK(renderer_find("json", RENDER_REPORT) == &render_json);
	CHECK(renderer_find("csv", RENDER_REPORT) == &render_csv);
	CHECK(renderer_find("csv", RENDER_CHECK) == NULL);
	CHECK(renderer_find("text", RENDER_REPORT) == NULL);
	CHECK(renderer_find("xls", RENDER_REPORT) == NULL);
	CHECK(renderer_find("html", RENDER_CHECK) == &render_html);
	CHECK(renderer_find("html", RENDER_REPORT) == &render_html);
	char names[64];
	renderer_names(RENDER_CHECK, ", ", " or ", names, sizeof(names));
	CHECK_STR(names, "text, json or html");
	renderer_names(RENDER_REPORT, "|", "|", names, sizeof(names));
	CHECK_STR(names, "csv|json|html");
}

/* Every renderer draws every view it lists, and says something. */
static void
test_each_format(void)
{
	struct platform_view v;
	make_view(&v, "测试卡盟");
	for (size_t i = 0; renderers[i]; i++) {
		for (unsigned view = RENDER_CHECK; view <= RENDER_REPORT; view <<= 1) {
			if (!(renderers[i]->views & view))
				continue;
			int rc;
			char *text = render(renderers[i], (enum render_view)view, &v, 1, &rc);
			if (rc != 0 || !strstr(text, "测试卡盟"))
				fprintf(stderr, "%s (view %u): rc %d\n%s\n", renderers[i]->name,
					view, rc, text);
			CHECK_INT(rc, 0);
			CHECK(strstr(text, "测试卡盟") != NULL);
			free(text);
		}
	}
	score_result_finish(&v.score);
}

static void
test_json(void)
{
	struct platform_view v[2];
	make_view(&v[0], "甲");
	make_view(&v[1], "乙");
	int rc;
	char *text = render(&render_json, RENDER_CHECK, &v[0], 1, &rc);
	CHECK_INT(rc, 0);
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	CHECK(json_is_object(o));
	CHECK_STR(json_string_value(json_object_get(o, "schema")), "kmrep.check/1");
	json_t *m = json_array_get(json_object_get(json_object_get(o, "platform"), "merchants"), 0);
	CHECK_STR(json_string_value(json_object_get(m, "source")),
		  registry[registry_first(SOURCE_COMPLAINTS)].name);
	json_decref(o);
	free(text);

	text = render(&render_json, RENDER_REPORT, v, 2, &rc);
	CHECK_INT(rc, 0);
	o = json_loads(text, 0, &je);
	CHECK(json_is_array(o));
	CHECK_INT(json_array_size(o), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(o, 1), "name")), "乙");
	json_decref(o);
	free(text);
	score_result_finish(&v[0].score);
	score_result_finish(&v[1].score);
}

static void
test_csv(void)
{
	struct platform_view v;
	make_view(&v, "测试卡盟");
	int rc;
	char *text = render(&render_csv, RENDER_REPORT, &v, 1, &rc);
	CHECK_INT(rc, 0);
	CHECK(!strncmp(text, "name,domains,verdict,", 21));
	CHECK(strstr(text, "\r\n测试卡盟,t.example,") != NULL);
	free(text);
	score_result_finish(&v.score);
}

/* "Where to complain" lists every complaint site of the registry, with the
 * platform's merchant on it. */
static void
test_complaint_sites(void)
{
	struct platform_view v;
	make_view(&v, "测试卡盟");
	int rc;
	char *text = render(&render_text, RENDER_CHECK, &v, 1, &rc);
	CHECK_INT(rc, 0);
	size_t sites = 0;
	for (size_t i = 0; i < registry_count(); i++) {
		if (registry[i].kind != SOURCE_COMPLAINTS || !registry[i].complain_url)
			continue;
		char line[256];
		snprintf(line, sizeof(line), "%s %s%s", registry[i].title, registry[i].complain_url,
			 (int)i == v.merchant_source[0] ? " (merchant 测试卡盟)" : "");
		CHECK(strstr(text, line) != NULL);
		sites++;
	}
	CHECK(sites > 0);
	char merchants[128];
	snprintf(merchants, sizeof(merchants), "  merchants on %s: 测试卡盟 (6384912431)\n",
		 registry[v.merchant_source[0]].short_title);
	CHECK(strstr(text, merchants) != NULL);
	free(text);
	score_result_finish(&v.score);
}

static void
replace_evidence(struct score_deduction *d, const char *a, const char *b)
{
	for (size_t i = 0; i < d->n_evidence; i++) {
		free(d->evidence[i].url);
		free(d->evidence[i].title);
	}
	free(d->evidence);
	d->evidence = calloc(2, sizeof(*d->evidence));
	d->evidence[0].url = strdup(a);
	d->evidence[1].url = strdup(b);
	d->n_evidence = 2;
}

/* html: a hostile name is text, an href is only http(s), the language
 * follows ctx->lang, and the page is one document with no script. */
static void
test_html(void)
{
	static const char hostile[] = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
	struct platform_view v[2];
	make_view(&v[0], hostile);
	make_view(&v[1], "乙");
	CHECK(v[0].score.rated && deduction_shown(&v[0].score, COMP_SERVICE));
	replace_evidence(&v[0].score.deductions[COMP_SERVICE], "javascript:alert(3)",
			 "https://ok.example/a?b=1&c=2");
	int rc;
	char *text = render(&render_html, RENDER_REPORT, v, 2, &rc);
	CHECK_INT(rc, 0);
	CHECK(!strncmp(text, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35));
	CHECK(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x "
			   "onerror=alert(2)&gt;&quot;&#39;&amp;") != NULL);
	CHECK(strstr(text, "<script") == NULL && strstr(text, "<img") == NULL);
	CHECK(strstr(text, "href=\"javascript") == NULL);
	CHECK(strstr(text, "<li>javascript:alert(3)</li>") != NULL);
	CHECK(strstr(text, "<a href=\"https://ok.example/a?b=1&amp;c=2\"") != NULL);
	CHECK(strstr(text, "所有跟踪的平台") != NULL);
	/* One overview row and one section per platform, riskiest-first order kept. */
	size_t rows = 0, sections = 0;
	for (const char *p = text; (p = strstr(p, "<tr data-verdict=")); p++)
		rows++;
	for (const char *p = text; (p = strstr(p, "<section class=\"platform\"")); p++)
		sections++;
	CHECK_INT(rows, 2);
	CHECK_INT(sections, 2);
	CHECK(strstr(text, "id=\"p-1\"") < strstr(text, "id=\"p-2\""));
	CHECK(strstr(text, "</html>\n") == text + strlen(text) - 8);
	free(text);

	/* English, and check's page: one section, no overview. */
	FILE *fp = tmpfile();
	CHECK(fp != NULL);
	struct render_ctx ctx = {.out = fp, .view = RENDER_CHECK, .cfg = &cfg,
				 .lang = RENDER_LANG_EN};
	CHECK_INT(render_all(&render_html, &ctx, &v[1], 1), 0);
	long len = ftell(fp);
	text = calloc(1, (size_t)len + 1);
	rewind(fp);
	CHECK(fread(text, 1, (size_t)len, fp) == (size_t)len);
	fclose(fp);
	CHECK(strstr(text, "<html lang=\"en\">") != NULL);
	CHECK(strstr(text, "Where to complain") != NULL);
	CHECK(strstr(text, "class=\"overview\"") == NULL);
	CHECK(strstr(text, "投诉渠道") == NULL);
	free(text);
	score_result_finish(&v[0].score);
	score_result_finish(&v[1].score);
}

/* A full disk is an error in every format, never a silent truncation. */
static void
test_write_error(void)
{
	if (access("/dev/full", W_OK) != 0)
		SKIP("no /dev/full");
	struct platform_view v;
	make_view(&v, "测试卡盟");
	for (size_t i = 0; renderers[i]; i++) {
		for (unsigned view = RENDER_CHECK; view <= RENDER_REPORT; view <<= 1) {
			if (!(renderers[i]->views & view))
				continue;
			FILE *fp = fopen("/dev/full", "w");
			CHECK(fp != NULL);
			struct render_ctx ctx = {.out = fp, .view = (enum render_view)view,
						 .cfg = &cfg};
			int rc = render_all(renderers[i], &ctx, &v, 1);
			if (rc != -1)
				fprintf(stderr, "%s (view %u) ignored a write error\n",
					renderers[i]->name, view);
			CHECK_INT(rc, -1);
			fclose(fp);
		}
	}
	score_result_finish(&v.score);
}

/* Riskiest first: a worse verdict before a better one, then the lower score. */
static void
test_risk_order(void)
{
	struct platform_view v[3];
	memset(v, 0, sizeof(v));
	v[0].platform.name = "a";
	v[0].score.verdict = VERDICT_RECOMMEND, v[0].score.rated = 1, v[0].score.score = 90;
	v[1].platform.name = "b";
	v[1].score.verdict = VERDICT_AVOID, v[1].score.rated = 1, v[1].score.score = 40;
	v[2].platform.name = "c";
	v[2].score.verdict = VERDICT_AVOID, v[2].score.rated = 1, v[2].score.score = 30;
	qsort(v, 3, sizeof(v[0]), platform_view_risk_cmp);
	CHECK_STR(v[0].platform.name, "c");
	CHECK_STR(v[1].platform.name, "b");
	CHECK_STR(v[2].platform.name, "a");
}

TEST_MAIN({"table", test_table},
	  {"each_format", test_each_format},
	  {"json", test_json},
	  {"csv", test_csv},
	  {"complaint_sites", test_complaint_sites},
	  {"html", test_html},
	  {"write_error", test_write_error},
	  {"risk_order", test_risk_order})
