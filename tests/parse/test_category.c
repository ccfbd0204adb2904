/* Complaint categories (SCORING §1): every built-in keyword, rule order,
 * full-width and case folding, extra keywords from the config. */
#include "parse/category.h"
#include "err.h"
#include "harness.h"

#include <string.h>

static struct categorizer *
make(const struct score_params *p)
{
	char err[ERRBUF_SIZE] = "";
	struct categorizer *c = categorizer_create(p, err);
	if (!c)
		fprintf(stderr, "categorizer_create: %s\n", err);
	return c;
}

static enum category
title_of(struct categorizer *c, const char *title)
{
	return categorizer_classify(c, title, NULL, NULL, NULL);
}

static void
test_every_keyword(void)
{
	static const struct {
		const char *text;
		enum category cat;
	} t[] = {
		{"跑路", CAT_RUNAWAY}, {"卷款", CAT_RUNAWAY}, {"关站", CAT_RUNAWAY},
		{"网站打不开", CAT_RUNAWAY}, {"平台关闭", CAT_RUNAWAY},
		{"联系不上老板", CAT_RUNAWAY}, {"群解散", CAT_RUNAWAY},
		{"诈骗", CAT_FRAUD}, {"骗子", CAT_FRAUD}, {"骗钱", CAT_FRAUD},
		{"钓鱼", CAT_FRAUD}, {"假冒", CAT_FRAUD}, {"盗刷", CAT_FRAUD},
		{"提现", CAT_WITHDRAW}, {"冻结", CAT_WITHDRAW}, {"余额不退", CAT_WITHDRAW},
		{"不给提", CAT_WITHDRAW}, {"无法提现", CAT_WITHDRAW},
		{"客服不回", CAT_SUPPORT_LOST}, {"失联", CAT_SUPPORT_LOST},
		{"无人理睬", CAT_SUPPORT_LOST}, {"不理人", CAT_SUPPORT_LOST},
		{"拉黑", CAT_SUPPORT_LOST},
		{"卡密无效", CAT_INVALID_KEY}, {"卡密错误", CAT_INVALID_KEY},
		{"已被使用", CAT_INVALID_KEY}, {"激活失败", CAT_INVALID_KEY},
		{"面额不符", CAT_INVALID_KEY}, {"兑换失败", CAT_INVALID_KEY},
		{"未发货", CAT_UNDELIVERED}, {"不发货", CAT_UNDELIVERED},
		{"未到账", CAT_UNDELIVERED}, {"不到账", CAT_UNDELIVERED},
		{"充值未到", CAT_UNDELIVERED}, {"延迟到账", CAT_UNDELIVERED},
		{"退款", CAT_REFUND}, {"不退", CAT_REFUND}, {"拒绝退款", CAT_REFUND},
		{"七天无理由", CAT_REFUND},
		{"虚假宣传", CAT_FALSE_AD}, {"描述不符", CAT_FALSE_AD},
		{"返利不兑现", CAT_FALSE_AD},
		{"买的点卡质量一般", CAT_OTHER},
	};
	struct score_params p;
	score_params_defaults(&p);
	struct categorizer *c = make(&p);
	CHECK(c != NULL);
	if (!c)
		return;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char text[128];
		/* inside a sentence, in each of the four fields */
		snprintf(text, sizeof(text), "我在该平台购买后发现%s，请处理", t[i].text);
		enum category got = title_of(c, text);
		if (got != t[i].cat)
			fprintf(stderr, "%s -> %s\n", t[i].text, category_name_zh(got));
		CHECK_INT(got, t[i].cat);
		CHECK_INT(categorizer_classify(c, NULL, text, NULL, NULL), t[i].cat);
		CHECK_INT(categorizer_classify(c, NULL, NULL, text, NULL), t[i].cat);
		CHECK_INT(categorizer_classify(c, NULL, NULL, NULL, text), t[i].cat);
	}
	categorizer_destroy(c);
}

static void
test_rule_order(void)
{
	struct score_params p;
	score_params_defaults(&p);
	struct categorizer *c = make(&p);
	/* 跑路 comes before 退款 */
	CHECK_INT(title_of(c, "平台跑路了，申请退款"), CAT_RUNAWAY);
	/* 余额不退 (提现) before 不退 (退款难) */
	CHECK_INT(title_of(c, "余额不退还"), CAT_WITHDRAW);
	/* 诈骗 in the appeal beats 未发货 in the title */
	CHECK_INT(categorizer_classify(c, "充值未发货", "商家不回复", "未发货", "举报诈骗"),
		  CAT_FRAUD);
	/* 客服失联 before 未发货 */
	CHECK_INT(categorizer_classify(c, "未发货", NULL, "客服不回", NULL), CAT_SUPPORT_LOST);
	categorizer_destroy(c);
}

static void
test_empty(void)
{
	struct score_params p;
	score_params_defaults(&p);
	struct categorizer *c = make(&p);
	CHECK_INT(categorizer_classify(c, NULL, NULL, NULL, NULL), CAT_OTHER);
	CHECK_INT(categorizer_classify(c, "", "", "", ""), CAT_OTHER);
	/* invalid UTF-8 is folded to U+FFFD, never a crash */
	CHECK_INT(title_of(c, "\xff\xfe跑路\xc3"), CAT_RUNAWAY);
	categorizer_destroy(c);
	categorizer_destroy(NULL);
}

static void
test_extra_keywords(void)
{
	struct score_params p;
	score_params_defaults(&p);
	char runaway[] = " 老板消失 | QQ群没了 ||";
	char other[] = "ignored";
	char refund[] = "a.b|c++";
	p.keywords_extra[CAT_RUNAWAY] = runaway;
	p.keywords_extra[CAT_OTHER] = other;
	p.keywords_extra[CAT_REFUND] = refund;
	struct categorizer *c = make(&p);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(title_of(c, "买完老板消失了"), CAT_RUNAWAY);
	/* full-width letters and case: ＱＱ群 and qq群 match QQ群 */
	CHECK_INT(title_of(c, "ＱＱ群没了"), CAT_RUNAWAY);
	CHECK_INT(title_of(c, "qq群没了"), CAT_RUNAWAY);
	/* keywords are literals: "a.b" does not match "axb"; "c++" is fine */
	CHECK_INT(title_of(c, "axb"), CAT_OTHER);
	CHECK_INT(title_of(c, "A.B"), CAT_REFUND);
	CHECK_INT(title_of(c, "学c++的"), CAT_REFUND);
	/* built-ins still there */
	CHECK_INT(title_of(c, "提现"), CAT_WITHDRAW);
	categorizer_destroy(c);
}

static void
test_fullwidth_text(void)
{
	struct score_params p;
	score_params_defaults(&p);
	char extra[] = "Steam卡";
	p.keywords_extra[CAT_INVALID_KEY] = extra;
	struct categorizer *c = make(&p);
	/* full-width text (Ｓｔｅａｍ, ideographic space) is folded before matching */
	CHECK_INT(title_of(c, "买的ＳＴＥＡＭ卡\u3000用不了"), CAT_INVALID_KEY);
	categorizer_destroy(c);
}

static void
test_names(void)
{
	struct score_params p;
	score_params_defaults(&p);
	CHECK_STR(category_name_zh(CAT_RUNAWAY), "跑路");
	CHECK_STR(category_name_zh(CAT_OTHER), "其他");
	CHECK_STR(category_key(CAT_SUPPORT_LOST), "support_lost");
	CHECK_STR(category_key(CAT_FALSE_AD), "false_ad");
	CHECK_STR(category_key((enum category)99), "?");
	CHECK_INT(category_from_key("invalid_key"), CAT_INVALID_KEY);
	CHECK_INT(category_from_key("退款难"), CAT_REFUND);
	CHECK_INT(category_from_key("nope"), CAT_OTHER);
	CHECK_INT(category_from_key(NULL), CAT_OTHER);
	CHECK_NEAR(category_severity(&p, CAT_RUNAWAY), 10, 0);
	CHECK_NEAR(category_severity(&p, CAT_FRAUD), 8, 0);
	CHECK_NEAR(category_severity(&p, CAT_WITHDRAW), 6, 0);
	CHECK_NEAR(category_severity(&p, CAT_SUPPORT_LOST), 5, 0);
	CHECK_NEAR(category_severity(&p, CAT_INVALID_KEY), 4, 0);
	CHECK_NEAR(category_severity(&p, CAT_UNDELIVERED), 4, 0);
	CHECK_NEAR(category_severity(&p, CAT_REFUND), 3, 0);
	CHECK_NEAR(category_severity(&p, CAT_FALSE_AD), 2, 0);
	CHECK_NEAR(category_severity(&p, CAT_OTHER), 1, 0);
	for (int k = 0; k < CAT_COUNT; k++)
		CHECK_INT(category_from_key(category_key((enum category)k)), k);
}

/* Random texts of keywords, pieces of them and other text: classify
 * (one scan for every literal keyword) gives what PCRE2 rule by rule
 * gives. */
static int
differential(struct categorizer *c, unsigned long seed)
{
	static const char *const pieces[] = {
		"跑路", "卷款", "网站打不开", "群解散", "诈骗", "骗子", "钓鱼", "盗刷", "提现",
		"余额不退", "不给提", "冻结", "客服不回", "失联", "不理人", "拉黑", "卡密无效",
		"已被使用", "面额不符", "未发货", "不发货", "未到账", "延迟到账", "退款", "不退",
		"拒绝退款", "七天无理由", "虚假宣传", "描述不符", "返利不兑现", "款跑", "QQ群没了",
		"qq群没", "Ｑｑ群", "群１２３", "群12", "a.b", "A.B", "axb", "老板", "消失", "不",
		"退", "跑", "款", "的", "，", " ", "\n", "...", "\xe8\xb7", "\xff"};
	size_t n = sizeof(pieces) / sizeof(pieces[0]);
	int differ = 0;
	for (int round = 0; round < 20000; round++) {
		char field[4][256];
		for (int f = 0; f < 4; f++) {
			field[f][0] = '\0';
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			int k = (int)((seed >> 33) % 5);
			for (int j = 0; j < k; j++) {
				seed = seed * 6364136223846793005UL + 1442695040888963407UL;
				strcat(field[f], pieces[(seed >> 33) % n]);
			}
		}
		enum category a = categorizer_classify(c, field[0], field[1], field[2], field[3]);
		enum category b =
			categorizer_classify_each(c, field[0], field[1], field[2], field[3]);
		if (a != b && differ++ < 5)
			fprintf(stderr, "one scan %d, rule by rule %d: %s|%s|%s|%s\n", (int)a,
				(int)b, field[0], field[1], field[2], field[3]);
	}
	return differ;
}

/* A categoriser with extra keywords for 跑路 and 虚假宣传 (NULL: without). */
static struct categorizer *
with_extra(struct score_params *p, const char *runaway, const char *false_ad)
{
	p->keywords_extra[CAT_RUNAWAY] = (char *)runaway;
	p->keywords_extra[CAT_FALSE_AD] = (char *)false_ad;
	struct categorizer *c = make(p);
	CHECK(c != NULL);
	return c;
}

static void
test_one_scan_same_as_rules(void)
{
	struct score_params p;
	score_params_defaults(&p);
	struct categorizer *c = with_extra(&p, NULL, NULL);
	if (!c)
		return;
	CHECK_INT(differential(c, 16), 0);
	categorizer_destroy(c);
	/* extra literal keywords: 退款 (refund) starts before 款跑 (runaway)
	 * and overlaps it; digits have no case */
	if (!(c = with_extra(&p, "款跑|老板消失", "不退款|群123")))
		return;
	CHECK_INT(title_of(c, "要退款跑了"), CAT_RUNAWAY);
	CHECK_INT(title_of(c, "要不退款了"), CAT_REFUND);
	CHECK_INT(title_of(c, "加了群１２３"), CAT_FALSE_AD);
	CHECK_INT(categorizer_classify(c, "不退款", NULL, NULL, "被拉黑"), CAT_SUPPORT_LOST);
	CHECK_INT(differential(c, 17), 0);
	categorizer_destroy(c);
	/* a keyword with letters (matched caselessly): rule by rule throughout */
	if (!(c = with_extra(&p, "款跑|QQ群没了", "a.b")))
		return;
	CHECK_INT(title_of(c, "qq群没了"), CAT_RUNAWAY);
	CHECK_INT(title_of(c, "A.B"), CAT_FALSE_AD);
	CHECK_INT(differential(c, 18), 0);
	categorizer_destroy(c);
}

TEST_MAIN({"every_keyword", test_every_keyword},
	  {"one_scan_same_as_rules", test_one_scan_same_as_rules},
	  {"rule_order", test_rule_order},
	  {"empty", test_empty},
	  {"extra_keywords", test_extra_keywords},
	  {"fullwidth_text", test_fullwidth_text},
	  {"names", test_names})
