/* Which merchants found by `discover` (sync/discover.c) look like card
 * platforms nobody tracks yet, ranked riskiest first.
 *
 * The rule (all patterns are PCRE2 in [discover], matched on folded text,
 * case-insensitively):
 * - a merchant in [discover] ignore is never listed;
 * - a name matching name_pattern (卡盟, 发卡, 卡网, 点卡, ...) is a card
 *   platform;
 * - otherwise, a merchant with at least 2 complaints of which at least half
 *   match text_pattern (卡密, 点卡, 代充, ...) is one, unless its name matches
 *   exclude_pattern (官方, 旗舰店, 银行, 营业厅, ...): a game company's store
 *   or a bank gets complaints about top-ups too, and is no 卡盟;
 * - it is tracked when its merchant id is bound to a platform, or its name
 *   is a tracked platform's name or alias; tracked merchants are not listed.
 * A merchant the site never named (a keyword hit whose detail was not read)
 * cannot be judged and is counted apart. */
#ifndef KMREP_REPORT_DISCOVER_H
#define KMREP_REPORT_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "parse/record.h"

struct store;
struct discover_rules;

/* One untracked merchant that looks like a card platform. */
struct suggestion {
	char *name;
	const char *source;     /* registry name (static) */
	char *merchant_id;      /* NULL when the site never said */
	size_t complaints;      /* in the window */
	size_t severe;          /* 跑路 or 诈骗 among them */
	int64_t newest;         /* filing time of the newest */
	char *evidence;         /* the newest complaint's link */
	const char *because;    /* "name" or "complaints": which rule listed it */
	char *similar_to;       /* a tracked platform whose name it contains, or NULL */
};

struct suggestions {
	struct suggestion *items;
	size_t n, cap;
	size_t unnamed;         /* hits whose merchant was never named */
};

/* Compiles cfg's [discover] rule; NULL with err on a bad pattern. */
struct discover_rules *discover_rules_create(const struct config *cfg, char *err);
void discover_rules_destroy(struct discover_rules *r);
/* Whether a merchant named name, with texts[0..n) as its complaints'
 * title + text, is a card platform by the rule; *because says which part. */
bool discover_is_card_platform(struct discover_rules *r, const char *name,
			       const char *const *texts, size_t n, const char **because);

/* Groups hits by merchant, keeps the untracked card platforms with at least
 * min_complaints complaints, ranked riskiest first (share of 跑路/诈骗, then
 * count, then newest).  Returns 0 or -1 with err. */
int discover_suggest(struct store *st, const struct config *cfg,
		     const struct complaint_list *hits, size_t min_complaints,
		     struct suggestions *out, char *err);
void suggestions_finish(struct suggestions *s);

/* The list as text (a table for people), json (schema kmrep.discover/1)
 * or csv; failed names the sources that could not be read whole. */
int discover_render(FILE *out, const char *format, const struct suggestions *s,
		    const char *const *failed, size_t n_failed, bool bom);

#endif
