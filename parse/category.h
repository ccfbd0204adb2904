/* Complaint categories (SCORING §1): an ordered table of keyword rules, the
 * first rule that matches a complaint's text wins, CAT_OTHER otherwise.
 * Pure: text in, category out; no I/O, no clock. */
#ifndef KMREP_PARSE_CATEGORY_H
#define KMREP_PARSE_CATEGORY_H

#include "score_params.h"

/* The compiled rule table: one PCRE2 alternation per category (built-in
 * keywords of SCORING §1 plus p->keywords_extra), compiled once with
 * PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, and one reusable match block.
 * A categorizer is not thread-safe (the match block and the text buffer are
 * shared between calls); use one per thread. */
struct categorizer;

/* Compiles the rules.  Keywords are literals: every character, including
 * regex metacharacters, matches itself; an extra-keyword list "a|b|c" is
 * split on '|', each item trimmed, full-width folded, empty items ignored.
 * Returns a categorizer the caller frees with categorizer_destroy, or NULL
 * with a one-line reason in err. */
struct categorizer *
categorizer_create(const struct score_params *p, char *err);

/* Frees the categorizer; NULL is a no-op. */
void
categorizer_destroy(struct categorizer *c);

/* Returns the category of a complaint: the first rule (table order 跑路,
 * 诈骗, 提现, 客服失联, 卡密无效, 未发货, 退款难, 虚假宣传) that matches
 * title + summary + issue + appeal after text_fold (full-width to ASCII),
 * compared case-insensitively; CAT_OTHER when none does.  Any argument may
 * be NULL. */
enum category
categorizer_classify(struct categorizer *c, const char *title, const char *summary,
		     const char *issue, const char *appeal);

/* The same, always by PCRE2, one rule at a time in table order.
 * categorizer_classify finds every keyword in one scan of the text instead
 * when all keywords are literals that match only themselves (CJK and
 * ASCII other than letters, as the built-in ones are); this is the
 * reference the tests compare it with. */
enum category
categorizer_classify_each(struct categorizer *c, const char *title, const char *summary,
			  const char *issue, const char *appeal);

/* Returns the Chinese name ("跑路" ... "其他"), a static string; "?" for an
 * out-of-range value. */
const char *
category_name_zh(enum category cat);

/* Returns the stable ASCII key ("runaway", "fraud", ... "other") used in
 * config keys (keywords_<key>) and stored rows; a static string, "?" for an
 * out-of-range value. */
const char *
category_key(enum category cat);

/* Returns the category for a key as category_key spells it, or for its
 * Chinese name; CAT_OTHER for NULL or anything unknown. */
enum category
category_from_key(const char *key);

/* Returns the severity weight s_k of SCORING §1 from the parameters
 * (s_runaway ... s_other); s_other for an out-of-range value. */
double
category_severity(const struct score_params *p, enum category cat);

#endif
