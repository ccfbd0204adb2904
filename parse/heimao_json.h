/* What heimao.c and heimao_fast.c share and nothing outside parse/ sees: a
 * JSON value as the list-page rules read it (struct jv), the view of a list
 * page both JSON back ends fill, and the rules that turn that view into
 * records.  Because the rules exist once, the jansson path and the fast path
 * give the same records by construction; they differ only in how they find
 * values in the bytes. */
#ifndef KMREP_PARSE_HEIMAO_JSON_H
#define KMREP_PARSE_HEIMAO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"

enum jv_type { JV_ABSENT = 0, JV_NULL, JV_TRUE, JV_FALSE, JV_INT, JV_REAL, JV_STR, JV_OBJ, JV_ARR };

/* One JSON value: s/len for a string (NUL-terminated, may hold NULs), i for
 * an integer, d for a real.  JV_ABSENT: the key was not there. */
struct jv {
	enum jv_type t;
	int64_t i;
	double d;
	const char *s;
	size_t len;
};

/* The fields of one list item that the record is made from. */
struct heimao_item {
	struct jv sn, couid, cotitle, title, summary, issue, appeal, cost, status, timestamp,
		created_at, url, satisfaction, nick;
};

/* A parsed list page: result.status.{code,msg}, result.data.pager.* and the
 * items of result.data.complaints (or lists). */
struct heimao_list_view {
	struct jv code, msg;
	struct jv current, next, page_amount, item_count;
	int items; /* 0: neither complaints[] nor lists[], 1: null, 2: an array */
	struct heimao_item *item;
	size_t n_items;
};

/* Fills out from a view; returns what heimao_list_parse returns. */
int heimao_list_from_view(const struct heimao_list_view *v, struct list_page *out,
			  char *err);

/* The JSON text of a body: repaired UTF-8 (repaired is set up and must be
 * finished by the caller), BOM and leading space skipped.  *json and *n are
 * the text to parse, *eof_check is false for JSONP (the value ends where it
 * ends).  Returns false when the body is neither JSON nor JSONP. */
bool heimao_json_text(const char *body, size_t len, struct buf *repaired, const char **text,
		      size_t *text_len, const char **json, size_t *n, bool *eof_check);

/* What turns a view into records (heimao_list_from_view), passed to the
 * fast path so that heimao_fast.c calls nothing in heimao.c back. */
typedef int (*heimao_view_fn)(const struct heimao_list_view *v, struct list_page *out,
			      char *err);

/* The fast path: tokenises json[0..n) without building a tree and fills out
 * through to_records while its strings are alive.  Returns 1 when it did
 * (out->kind set, *rc the result), 0 when the text is something it does not
 * handle (invalid JSON, reals, escaped keys, deep nesting...): the caller
 * then uses jansson, which decides. */
int heimao_fast_list(const char *json, size_t n, bool eof_check, heimao_view_fn to_records,
		     struct list_page *out, int *rc, char *err);

/* Which JSON back end heimao_list_parse_with uses. */
enum heimao_json_mode { HEIMAO_JSON_AUTO = 0, HEIMAO_JSON_JANSSON, HEIMAO_JSON_FAST_ONLY };

/* heimao_list_parse with a chosen back end (tests and the differential fuzz
 * target).  HEIMAO_JSON_FAST_ONLY returns -2 with out untouched when the
 * fast path declined. */
int heimao_list_parse_with(const char *body, size_t len, struct list_page *out,
			   enum heimao_json_mode mode, char *err);

#endif
