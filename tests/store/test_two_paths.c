/* The 黑猫 list fast path and the jansson path give the same
 * database: every list fixture is parsed both ways, each path's records are
 * classified and upserted into its own database, and the two complaints
 * tables must be identical, row for row.  The pages the fast path must take
 * (the benchmark's shape, the real-record fixtures, the edge cases) are
 * required to go through it, so the comparison is never vacuous. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse/category.h"
#include "harness.h"
#include "heimao.h"
#include "heimao_json.h"
#include "internal.h"
#include "store.h"
#include "xalloc.h"

#define DATA "tests/data/heimao/"
#define NOW 1767225600

static const char *const pages[] = {
	DATA "SYNTH_bench_page.json",
	DATA "SYNTH_bench_page_utf8.json",
	DATA "SYNTH_fastpath_edges.json",
	DATA "SYNTH_search_from_real_2025-05-13.json",
	DATA "SYNTH_search_from_real_2025-05-13.jsonp",
	DATA "SYNTH_feed_fields.json",
	DATA "SYNTH_company_complaints_jsonp_bare.txt",
	DATA "SYNTH_items_without_sn.json",
	DATA "SYNTH_complaints_null.json",
	DATA "SYNTH_lists_empty_item_count.json",
	DATA "SYNTH_lists_empty_past_end.json",
	DATA "SYNTH_layout_drift.json",
	DATA "SYNTH_invalid_utf8.json",
	DATA "SYNTH_code_10005.json",
	DATA "SYNTH_code_10017.json",
	DATA "SYNTH_code_unknown.json",
	DATA "SYNTH_login_page.html",
	DATA "SYNTH_captcha_page.html",
	DATA "SYNTH_empty_body.txt",
};
/* The first MUST_TAKE pages must go through the fast path. */
#define MUST_TAKE 7

static struct store *
open_mem(void)
{
	char err[ERRBUF_SIZE];
	struct store *s = NULL;
	if (store_open(":memory:", &s, err) < 0) {
		fprintf(stderr, "store_open: %s\n", err);
		exit(1);
	}
	return s;
}

static void
store_records(struct store *st, struct categorizer *cat, const struct list_page *p)
{
	char err[ERRBUF_SIZE];
	for (size_t i = 0; i < p->complaints.len; i++) {
		const struct complaint *c = &p->complaints.items[i];
		enum category k = categorizer_classify(cat, c->title, c->summary, c->issue, c->appeal);
		enum upsert_result res;
		if (store_complaint_upsert(st, 0, c, k, NOW, &res, err) < 0) {
			fprintf(stderr, "upsert: %s\n", err);
			harness_failures++;
		}
	}
}

/* Every column of every complaint, in id order, as text. */
static char *
dump(struct store *st)
{
	struct buf b;
	buf_init(&b);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT * FROM complaints ORDER BY id", -1, &q, NULL)) {
		harness_failures++;
		return buf_steal(&b);
	}
	while (sqlite3_step(q) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(q); i++) {
			const unsigned char *v = sqlite3_column_text(q, i);
			buf_printf(&b, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
		}
		buf_putc(&b, '\n');
	}
	sqlite3_finalize(q);
	return buf_steal(&b);
}

static void
test_same_database(void)
{
	char err[ERRBUF_SIZE];
	struct categorizer *cat = categorizer_create(NULL, err);
	CHECK(cat != NULL);
	struct store *fast_db = open_mem(), *slow_db = open_mem();
	size_t taken = 0, records = 0;
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		size_t len;
		char *body = harness_read_file(pages[i], &len);
		struct list_page fast, slow;
		char ef[ERRBUF_SIZE] = "", es[ERRBUF_SIZE] = "";
		list_page_init(&fast);
		list_page_init(&slow);
		int rs = heimao_list_parse_with(body, len, &slow, HEIMAO_JSON_JANSSON, es);
		int rf = heimao_list_parse_with(body, len, &fast, HEIMAO_JSON_FAST_ONLY, ef);
		if (rf == -2) {
			/* declined: heimao_list_parse falls back to jansson */
			if (i < MUST_TAKE) {
				fprintf(stderr, "fast path declined %s\n", pages[i]);
				harness_failures++;
			}
			list_page_finish(&fast);
			rf = heimao_list_parse(body, len, &fast, ef);
		} else {
			taken++;
		}
		CHECK_INT(rf, rs);
		CHECK_INT(fast.kind, slow.kind);
		CHECK_INT(fast.code, slow.code);
		CHECK_INT(fast.page, slow.page);
		CHECK_INT(fast.item_count, slow.item_count);
		CHECK_INT(fast.skipped, slow.skipped);
		CHECK_STR(fast.msg, slow.msg);
		if (rs < 0)
			CHECK_STR(ef, es);
		CHECK_INT(fast.complaints.len, slow.complaints.len);
		records += fast.complaints.len;
		store_records(fast_db, cat, &fast);
		store_records(slow_db, cat, &slow);
		list_page_finish(&fast);
		list_page_finish(&slow);
		free(body);
	}
	CHECK(taken >= MUST_TAKE);
	CHECK(records >= 40);
	char *a = dump(fast_db), *b = dump(slow_db);
	CHECK(strlen(a) > 1000);
	if (strcmp(a, b)) {
		fprintf(stderr, "the two paths stored different tables:\n--- fast\n%s--- jansson\n%s", a,
			b);
		harness_failures++;
	}
	free(a);
	free(b);
	store_close(fast_db);
	store_close(slow_db);
	categorizer_destroy(cat);
}

/* The edge fixture, read by the fast path, gives what the rules say. */
static void
test_edges_values(void)
{
	size_t len;
	char *body = harness_read_file(DATA "SYNTH_fastpath_edges.json", &len);
	struct list_page p;
	char err[ERRBUF_SIZE];
	list_page_init(&p);
	CHECK_INT(heimao_list_parse_with(body, len, &p, HEIMAO_JSON_FAST_ONLY, err), 3);
	CHECK_INT(p.page_amount, 3);
	CHECK_INT(p.skipped, 3);
	const struct complaint *c = &p.complaints.items[0];
	CHECK_STR(c->source_id, "900002");                 /* the last of repeated keys */
	CHECK_STR(c->title, "emoji \xF0\x9F\x98\x80 跑路 & more"); /* surrogate pair, tags */
	CHECK_STR(c->merchant_id, "6384900000");
	CHECK_STR(c->appeal, "退款\n补发");
	CHECK_INT(c->filed_at, 1700000000);
	CHECK_INT(c->satisfaction, 8);
	c = &p.complaints.items[2];
	CHECK_STR(c->source_id, "900004");
	CHECK_STR(c->issue, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj");
	list_page_finish(&p);
	free(body);
}

/* One 黑猫 list page around the item main object m (JSON text). */
static char *
page_with(const char *m)
{
	return xasprintf("{\"result\":{\"status\":{\"code\":0,\"msg\":\"\"},\"data\":{"
			 "\"complaints\":[{\"main\":%s,\"author\":{\"title\":\"u1\"}}],"
			 "\"pager\":{\"current\":1,\"next\":2,\"page_amount\":1,"
			 "\"item_count\":1}}}}",
			 m);
}

/* Parses body both ways; returns the fast path's rc (-2: declined) and
 * checks that heimao_list_parse gives jansson's title and count. */
static int
both_ways(const char *body, const char *want_title)
{
	char ef[ERRBUF_SIZE] = "", es[ERRBUF_SIZE] = "";
	struct list_page fast, slow, any;
	list_page_init(&fast);
	list_page_init(&slow);
	list_page_init(&any);
	size_t len = strlen(body);
	int rs = heimao_list_parse_with(body, len, &slow, HEIMAO_JSON_JANSSON, es);
	int rf = heimao_list_parse_with(body, len, &fast, HEIMAO_JSON_FAST_ONLY, ef);
	int ra = heimao_list_parse(body, len, &any, ef);
	CHECK_INT(ra, rs);
	CHECK_INT(any.kind, slow.kind);
	if (rf != -2) {
		CHECK_INT(rf, rs);
		CHECK_INT(fast.kind, slow.kind);
	}
	if (want_title) {
		CHECK_INT(slow.complaints.len, 1);
		CHECK_INT(any.complaints.len, 1);
		if (slow.complaints.len == 1 && any.complaints.len == 1) {
			CHECK_STR(slow.complaints.items[0].title, want_title);
			CHECK_STR(any.complaints.items[0].title, want_title);
		}
	}
	list_page_finish(&fast);
	list_page_finish(&slow);
	list_page_finish(&any);
	return rf;
}

/* The fast path's tokeniser: strings that end in an escaped backslash or
 * hold quotes, brackets and colons are one token each; JSONP is read up to
 * the value's end; what it cannot tokenise (nesting past its depth, an
 * unclosed root, a bare word) it declines, and jansson decides. */
static void
test_tokeniser_edges(void)
{
	char *b = page_with("{\"sn\":\"1\",\"title\":\"a\\\\\","
			    "\"summary\":\"x\\\"}]{[,:\\\\\\\"y\",\"status\":3}");
	CHECK_INT(both_ways(b, "a\\"), 1);
	free(b);
	b = page_with("{\"sn\":\"2\",\"title\":\"\\u8dd1\\u8def\\ud83d\\ude00\"}");
	char *jsonp = xasprintf("cb(%s);", b);
	CHECK_INT(both_ways(jsonp, "跑路\xF0\x9F\x98\x80"), 1);
	free(jsonp);
	free(b);
	/* 600 levels in a field the record does not read */
	struct buf deep;
	buf_init(&deep);
	buf_puts(&deep, "{\"sn\":\"3\",\"title\":\"t\",\"x\":");
	for (int i = 0; i < 600; i++)
		buf_putc(&deep, '[');
	for (int i = 0; i < 600; i++)
		buf_putc(&deep, ']');
	buf_putc(&deep, '}');
	b = page_with(deep.data);
	CHECK_INT(both_ways(b, "t"), -2);
	free(b);
	buf_finish(&deep);
	b = page_with("{\"sn\":\"4\",\"title\":\"t\"}");
	b[strlen(b) - 1] = '\0'; /* unclosed root */
	CHECK_INT(both_ways(b, NULL), -2);
	free(b);
	b = page_with("{\"sn\":\"5\",\"title\":\"t\",\"x\":nope}");
	CHECK_INT(both_ways(b, NULL), -2);
	free(b);
	b = page_with("{\"sn\":\"6\",\"title\":\"t\",\"x\":[1,]}");
	CHECK_INT(both_ways(b, NULL), -2);
	free(b);
}

TEST_MAIN({"same_database", test_same_database}, {"edges_values", test_edges_values},
	  {"tokeniser_edges", test_tokeniser_edges})
