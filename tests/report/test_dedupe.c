/* Cross-source dedupe. */
#include <time.h>

#include "dedupe.h"
#include "err.h"
#include "fixture.h"
#include "harness.h"

#define TITLE "在启慧卡盟充值王者荣耀点券未到账"
#define SUMMARY "11月3日在该平台充值100元点券，至今未到账，客服不回复，要求退款。"

static struct fx f;
static struct dedupe_record recs[FX_MAX];

static struct dedupe_record *
rec(double age_days, const char *source, const char *sid, int64_t amount, const char *title,
    const char *summary)
{
	size_t i = f.n;
	struct score_complaint *c = fx_add(&f, age_days, STATUS_UNANSWERED, CAT_UNDELIVERED);
	c->source = source;
	c->amount_fen = amount;
	recs[i] = (struct dedupe_record){c, sid, NULL, title, summary, 0, 0};
	return &recs[i];
}

static int
run(void)
{
	char err[ERRBUF_SIZE] = "";
	int n = dedupe_mark(recs, f.n, err);
	if (n < 0)
		fprintf(stderr, "dedupe_mark: %s\n", err);
	return n;
}

static void
test_exact(void)
{
	f.n = 0;
	rec(10, "heimao", "17382167486", 10000, TITLE, SUMMARY);
	rec(10, "heimao", "17382167487", 10000, "另一件", "完全不同的内容");
	rec(10, "heimao", "17382167486", 10000, TITLE, SUMMARY); /* fetched twice */
	rec(10, "jutousu", "17382167486", -1, "别的", "别的投诉"); /* same id, other source */
	CHECK_INT(run(), 1);
	CHECK(recs[0].dup_of == DEDUPE_NONE);
	CHECK(recs[1].dup_of == DEDUPE_NONE);
	CHECK_INT(recs[2].dup_of, 0);
	CHECK_INT(recs[2].exact, 1);
	CHECK(recs[3].dup_of == DEDUPE_NONE);
}

static void
test_cross_source(void)
{
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	/* the same text on another site a day later, full-width and spaced */
	rec(9, "jutousu", "A1", 10000, "在启慧卡盟充值王者荣耀点券未到账 ",
	    "11月3日在该平台充值１００元点券，至今未到账， 客服不回复，要求退款!");
	CHECK_INT(run(), 1);
	CHECK(recs[0].dup_of == DEDUPE_NONE);
	CHECK_INT(recs[1].dup_of, 0);
	CHECK_INT(recs[1].exact, 0);
}

static void
test_keep_earlier(void)
{
	f.n = 0;
	rec(9, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(10, "jutousu", "A1", 10000, TITLE, SUMMARY); /* filed first */
	CHECK_INT(run(), 1);
	CHECK_INT(recs[0].dup_of, 1);
	CHECK(recs[1].dup_of == DEDUPE_NONE);
}

static void
test_same_source_not_dup(void)
{
	/* one story filed against three merchants: consecutive sns, each counts */
	f.n = 0;
	rec(10, "heimao", "17382167486", 10000, TITLE, SUMMARY);
	rec(10, "heimao", "17382167487", 10000, TITLE, SUMMARY);
	rec(10, "heimao", "17382167488", 10000, TITLE, SUMMARY);
	CHECK_INT(run(), 0);
}

static void
test_window(void)
{
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(13, "jutousu", "A1", 10000, TITLE, SUMMARY); /* 3 days: inside */
	rec(14.5, "tousu315", "B1", 10000, TITLE, SUMMARY); /* 4.5 days from the first */
	CHECK_INT(run(), 1);
	/* the earliest (age 14.5) is kept; the age-13 one is within 3 days of it */
	CHECK(recs[2].dup_of == DEDUPE_NONE);
	CHECK_INT(recs[1].dup_of, 2);
	/* age 10 is 3 days from the age-13 duplicate but 4.5 from the kept
	 * record: records are only matched against kept ones (no chains), so it
	 * stays */
	CHECK(recs[0].dup_of == DEDUPE_NONE);

	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(14, "jutousu", "A1", 10000, TITLE, SUMMARY); /* 4 days apart */
	CHECK_INT(run(), 0);
}

static void
test_amount(void)
{
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(10, "jutousu", "A1", 20000, TITLE, SUMMARY); /* amounts differ */
	CHECK_INT(run(), 0);
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(10, "jutousu", "A1", -1, TITLE, SUMMARY); /* one unknown: the text decides */
	CHECK_INT(run(), 1);
}

static void
test_platform(void)
{
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY)->platform = "1";
	rec(10, "jutousu", "A1", 10000, TITLE, SUMMARY)->platform = "3";
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY)->platform = "2"; /* same sn, other platform */
	CHECK_INT(run(), 0);
}

static void
test_different_text(void)
{
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(10, "jutousu", "A1", 10000, "在启慧卡盟购买的Steam卡密无效", "卡密显示已被使用，商家拒绝退款。");
	CHECK_INT(run(), 0);
}

static void
test_one_per_source(void)
{
	/* the heimao complaint absorbs one jutousu copy; a second, identical
	 * jutousu complaint is someone else's and stays */
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	rec(10, "jutousu", "A1", 10000, TITLE, SUMMARY);
	rec(10, "jutousu", "A2", 10000, TITLE, SUMMARY);
	CHECK_INT(run(), 1);
	CHECK_INT(recs[1].dup_of, 0);
	CHECK(recs[2].dup_of == DEDUPE_NONE);
}

static void
test_similarity(void)
{
	CHECK_NEAR(dedupe_similarity(TITLE SUMMARY, TITLE SUMMARY), 1, 0);
	/* punctuation, spaces, full width and case do not count */
	CHECK_NEAR(dedupe_similarity("ABC，充值 未到账！", "abc充值未到账"), 1, 0);
	CHECK_NEAR(dedupe_similarity("跑路了", "卡密无效"), 0, 0);
	CHECK_NEAR(dedupe_similarity("", "x"), 0, 0);
	CHECK_NEAR(dedupe_similarity(NULL, NULL), 0, 0);
	/* one character changed in a 40-character text: 3 of ~40 trigrams
	 * differ on each side, Jaccard = 35/41 ~ 0.85 */
	double s = dedupe_similarity(TITLE SUMMARY, "在启慧卡盟充值王者荣耀点券未到账11月3日在该平台充值200元点券，至今未到账，客服不回复，要求退款。");
	CHECK(s > 0.8 && s < 0.95);
	/* the site's "..." of truncation is ignored */
	CHECK_NEAR(dedupe_similarity(TITLE "...", TITLE), 1, 0);
}

static void
test_no_complaint(void)
{
	f.n = 0;
	rec(10, "heimao", "1", 10000, TITLE, SUMMARY);
	recs[0].complaint = NULL;
	char err[ERRBUF_SIZE] = "";
	CHECK_INT(dedupe_mark(recs, 1, err), -1);
	CHECK(strstr(err, "no complaint") != NULL);
	CHECK_INT(dedupe_mark(recs, 0, err), 0);
}

/* 20000 records over 3 years, a third of them cross-posted: finishes fast
 * because only records inside the 3-day window are compared. */
static void
test_many(void)
{
	static struct dedupe_record brecs[20000];
	static struct score_complaint cs[20000];
	static char titles[20000][96];
	size_t n = 0;
	for (size_t i = 0; n < 20000; i++) {
		snprintf(titles[i], sizeof(titles[0]), "投诉编号%zu的充值未到账问题，请尽快处理", i);
		int copies = i % 3 == 0 ? 2 : 1;
		for (int k = 0; k < copies && n < 20000; k++) {
			cs[n] = (struct score_complaint){0};
			cs[n].filed_at = NOW - (int64_t)(i * 4700) - k * 3600;
			cs[n].amount_fen = (int64_t)(i % 7) * 1000;
			cs[n].source = k ? "jutousu" : "heimao";
			brecs[n] = (struct dedupe_record){&cs[n], NULL, NULL, titles[i], NULL, 0, 0};
			n++;
		}
	}
	char err[ERRBUF_SIZE] = "";
	clock_t t0 = clock();
	int marked = dedupe_mark(brecs, n, err);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	fprintf(stderr, "20000 records: %d marked in %.3f s\n", marked, secs);
	/* i = 0, 3, 6 ... have a copy: 20000 records hold 5000 pairs */
	CHECK_INT(marked, 5000);
}

TEST_MAIN({"exact", test_exact},
	  {"cross_source", test_cross_source},
	  {"keep_earlier", test_keep_earlier},
	  {"same_source_not_dup", test_same_source_not_dup},
	  {"window", test_window},
	  {"amount", test_amount},
	  {"platform", test_platform},
	  {"different_text", test_different_text},
	  {"one_per_source", test_one_per_source},
	  {"similarity", test_similarity},
	  {"no_complaint", test_no_complaint},
	  {"many", test_many})
