/* common/text.c: the display sanitiser (what reaches a terminal) and the
 * NUL-safe append (what a JSON "\u0000" becomes). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "text.h"

/* The sanitised form of s (len bytes) in mode how; caller frees. */
static char *
shown(const char *s, size_t len, enum text_display how)
{
	struct buf b;
	buf_init(&b);
	text_sanitize_display(&b, s, len, how);
	CHECK(!memchr(buf_cstr(&b), '\0', b.len));
	return buf_steal(&b);
}

#define SHOWN(lit, how) shown(lit, sizeof(lit) - 1, how)

/* No byte a terminal would obey: C0 (except those allowed), DEL, C1 as
 * UTF-8 (C2 80..C2 9F), bidi overrides and isolates (E2 80 AA..AE,
 * E2 81 A6..A9), and the marks U+200E/U+200F/U+061C. */
static int
has_control(const char *s, const char *allowed)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if ((*p < 0x20 && !strchr(allowed, *p)) || *p == 0x7F)
			return 1;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return 1;
		if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0xAA && p[2] <= 0xAE) || p[2] == 0x8E ||
						    p[2] == 0x8F))
			return 1;
		if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
			return 1;
		if (p[0] == 0xD8 && p[1] == 0x9C)
			return 1;
	}
	return 0;
}

static const char hostile[] = "卡密\x1b]0;x\x07无效\x1b[2J客服\r\b不回\xc2\x9b" "31m"
			      "\xe2\x80\xae" "反转\xe2\x81\xa6" "隔离\x7f\xe2\x80\x8f" "end";

static void
test_line_escapes_every_control(void)
{
	char *s = SHOWN(hostile, TEXT_DISPLAY_LINE);
	CHECK_STR(s, "卡密\\x1b]0;x\\x07无效\\x1b[2J客服\\r\\x08不回\\u009b31m\\u202e反转"
		     "\\u2066隔离\\x7f\\u200fend");
	CHECK(!has_control(s, ""));
	free(s);
	s = SHOWN("a\tb\nc", TEXT_DISPLAY_LINE);
	CHECK_STR(s, "a\\tb\\nc");
	free(s);
}

static void
test_every_code_point_range(void)
{
	/* Each C0, DEL and C1 control alone, and each bidi control: escaped. */
	struct buf in;
	buf_init(&in);
	for (uint32_t cp = 1; cp < 0xA0; cp++)
		if (cp < 0x20 || cp >= 0x7F)
			utf8_encode(&in, cp);
	static const uint32_t bidi[] = {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D,
					0x202E, 0x2066, 0x2067, 0x2068, 0x2069};
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
		utf8_encode(&in, bidi[i]);
	char *s = shown(in.data, in.len, TEXT_DISPLAY_LINE);
	CHECK(!has_control(s, ""));
	CHECK(strstr(s, "\\u0085") && strstr(s, "\\u2069") && strstr(s, "\\x01"));
	free(s);
	s = shown(in.data, in.len, TEXT_DISPLAY_CELL);
	CHECK(!has_control(s, "\t\n"));
	free(s);
	buf_finish(&in);
}

static void
test_plain_text_untouched(void)
{
	static const char plain[] = "测试卡盟 “双11” 活动 — 卡密无效！ https://tousu.sina.com.cn/x?a=1&b=2 ¥100 😀";
	CHECK(text_display_clean(plain, strlen(plain), TEXT_DISPLAY_LINE));
	CHECK(text_display_clean(plain, strlen(plain), TEXT_DISPLAY_CELL));
	char *s = SHOWN(plain, TEXT_DISPLAY_LINE);
	CHECK_STR(s, plain);
	free(s);
	CHECK(!text_display_clean(hostile, strlen(hostile), TEXT_DISPLAY_LINE));
	CHECK(!text_display_clean("a\tb", 3, TEXT_DISPLAY_LINE));
	CHECK(text_display_clean("a\tb\nc", 5, TEXT_DISPLAY_CELL));
	CHECK(!text_display_clean("a\rb", 3, TEXT_DISPLAY_CELL));
}

static void
test_cell_keeps_tab_and_newline(void)
{
	char *s = SHOWN("a\tb\nc\r\nd\x1b[2J", TEXT_DISPLAY_CELL);
	CHECK_STR(s, "a\tb\nc\\r\nd\\x1b[2J");
	free(s);
}

static void
test_invalid_utf8_and_nul(void)
{
	/* A stray byte, a cut sequence, an overlong "/", a surrogate, a NUL. */
	char *s = SHOWN("a\xff" "b\xe7\x9b" "c\xc0\xaf" "d\xed\xa0\x80" "e\0f", TEXT_DISPLAY_LINE);
	CHECK_STR(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
		     "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "e\\x00f");
	free(s);
}

static void
test_json_mode(void)
{
	/* jansson's output: C0 already escaped, layout newlines stay; DEL, C1 and
	 * bidi controls become \uXXXX, the same JSON value. */
	static const char json[] = "[\n  \"a\\u001b[2J\xc2\x9b\xe2\x80\xae\x7f 卡盟\"\n]";
	char *s = SHOWN(json, TEXT_DISPLAY_JSON);
	CHECK_STR(s, "[\n  \"a\\u001b[2J\\u009b\\u202e\\u007f 卡盟\"\n]");
	free(s);
	CHECK(text_display_clean("[\n  \"卡盟\"\n]", strlen("[\n  \"卡盟\"\n]"), TEXT_DISPLAY_JSON));
}

static void
test_pool(void)
{
	struct text_pool pool = {0};
	const char *clean = "测试卡盟";
	CHECK(text_shown(&pool, clean) == clean);
	CHECK(text_shown(&pool, NULL) == NULL);
	CHECK_INT(pool.n, 0);
	CHECK_STR(text_shown(&pool, "x\x1b[2Jy"), "x\\x1b[2Jy");
	CHECK_STR(text_shown(&pool, "\xe2\x80\xae" "z"), "\\u202ez");
	CHECK_INT(pool.n, 2);
	text_pool_finish(&pool);
	CHECK_INT(pool.n, 0);
}

static void
test_append_text_keeps_nul_tail(void)
{
	struct buf b;
	buf_init(&b);
	buf_append_text(&b, "ab\0cd\0", 6);
	CHECK_STR(buf_cstr(&b), "ab\xef\xbf\xbd" "cd\xef\xbf\xbd");
	CHECK_INT(b.len, 10);
	buf_finish(&b);
}

static void
test_fit_columns(void)
{
	size_t w;
	/* Chinese takes two columns: 3 columns hold one of them, not two. */
	CHECK_INT(text_fit_columns("测试卡盟", 3, &w), 3);
	CHECK_INT(w, 2);
	CHECK_INT(text_fit_columns("测试卡盟", 4, &w), 6);
	CHECK_INT(text_fit_columns("ab测试", 3, &w), 2);
	CHECK_INT(w, 2);
	CHECK_INT(text_fit_columns("abc", 10, &w), 3);
	CHECK_INT(w, 3);
	CHECK_INT(text_fit_columns("测", 1, NULL), 0);
	CHECK_INT(text_fit_columns("", 5, &w), 0);
	/* A broken byte counts as one replacement character, never split. */
	CHECK_INT(text_fit_columns("a\xff" "b", 2, &w), 2);
}

TEST_MAIN({"line_escapes_every_control", test_line_escapes_every_control},
	  {"every_code_point_range", test_every_code_point_range},
	  {"plain_text_untouched", test_plain_text_untouched},
	  {"cell_keeps_tab_and_newline", test_cell_keeps_tab_and_newline},
	  {"invalid_utf8_and_nul", test_invalid_utf8_and_nul},
	  {"json_mode", test_json_mode},
	  {"pool", test_pool},
	  {"append_text_keeps_nul_tail", test_append_text_keeps_nul_tail},
	  {"fit_columns", test_fit_columns})
