#define PCRE2_CODE_UNIT_WIDTH 8
#include "category.h"

#include <pcre2.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "text.h"
#include "xalloc.h"

/* SCORING §1, in rule order; CAT_OTHER has no rule. */
static const char *const builtin_keywords[CAT_COUNT] = {
	[CAT_RUNAWAY] = "跑路|卷款|关站|网站打不开|平台关闭|联系不上老板|群解散",
	[CAT_FRAUD] = "诈骗|骗子|骗钱|钓鱼|假冒|盗刷",
	[CAT_WITHDRAW] = "提现|冻结|余额不退|不给提|无法提现",
	[CAT_SUPPORT_LOST] = "客服不回|失联|无人理睬|不理人|拉黑",
	[CAT_INVALID_KEY] = "卡密无效|卡密错误|已被使用|激活失败|面额不符|兑换失败",
	[CAT_UNDELIVERED] = "未发货|不发货|未到账|不到账|充值未到|延迟到账",
	[CAT_REFUND] = "退款|不退|拒绝退款|七天无理由",
	[CAT_FALSE_AD] = "虚假宣传|描述不符|返利不兑现",
	[CAT_OTHER] = NULL,
};

static const char *const names_zh[CAT_COUNT] = {
#define X(id, key, zh) [id] = zh,
	CATEGORIES(X)
#undef X
};

static const char *const keys[CAT_COUNT] = {
#define X(id, key, zh) [id] = #key,
	CATEGORIES(X)
#undef X
};

struct categorizer {
	pcre2_code *rules[CAT_COUNT]; /* NULL: no rule (CAT_OTHER) */
	pcre2_match_data *md;
	/* Every rule in one pattern, "(rule 0)|(rule 1)|...", so the text is
	 * scanned once instead of once per rule; group g + 1 is the rule of
	 * category group_cat[g].  NULL: the rules are matched one by one. */
	pcre2_code *all;
	pcre2_match_data *all_md;
	enum category group_cat[CAT_COUNT];
	struct buf text; /* folded subject, reused between calls */
};

/* Appends the keywords of a "a|b|c" list to pat as escaped literals. */
static void
append_keywords(struct buf *pat, const char *list)
{
	const char *s = list;
	while (*s) {
		const char *bar = strchr(s, '|');
		size_t len = bar ? (size_t)(bar - s) : strlen(s);
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len) {
			struct buf folded;
			buf_init(&folded);
			text_fold(&folded, s, len);
			if (pat->len)
				buf_putc(pat, '|');
			for (size_t i = 0; i < folded.len; i++) {
				unsigned char ch = (unsigned char)folded.data[i];
				int plain = ch >= 0x80 || (ch >= '0' && ch <= '9') ||
					    (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
				if (!plain)
					buf_putc(pat, '\\');
				buf_putc(pat, (char)ch);
			}
			buf_finish(&folded);
		}
		if (!bar)
			break;
		s = bar + 1;
	}
}

struct categorizer *
categorizer_create(const struct score_params *p, char *err)
{
	struct categorizer *c = xcalloc(1, sizeof(*c));
	buf_init(&c->text);
	struct buf all;
	buf_init(&all);
	int n_groups = 0;
	for (int k = 0; k < CAT_COUNT; k++) {
		if (k == CAT_OTHER)
			continue;
		struct buf pat;
		buf_init(&pat);
		if (builtin_keywords[k])
			append_keywords(&pat, builtin_keywords[k]);
		if (p && p->keywords_extra[k])
			append_keywords(&pat, p->keywords_extra[k]);
		if (!pat.len) {
			buf_finish(&pat);
			continue;
		}
		int code;
		PCRE2_SIZE off;
		c->rules[k] = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
					    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off,
					    NULL);
		if (c->rules[k]) {
			if (all.len)
				buf_putc(&all, '|');
			buf_putc(&all, '(');
			buf_append(&all, pat.data, pat.len);
			buf_putc(&all, ')');
			c->group_cat[n_groups++] = (enum category)k;
		}
		buf_finish(&pat);
		if (!c->rules[k]) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(code, msg, sizeof(msg));
			set_err(err, "category %s: keyword pattern: %s at offset %zu", keys[k],
				(const char *)msg, (size_t)off);
			buf_finish(&all);
			categorizer_destroy(c);
			return NULL;
		}
		/* Every complaint is matched against every rule: the JIT makes that
		 * several times faster.  Where it is unavailable pcre2_match simply
		 * interprets, so a failure here is not an error. */
		pcre2_jit_compile(c->rules[k], PCRE2_JIT_COMPLETE);
	}
	if (n_groups) {
		int code;
		PCRE2_SIZE off;
		/* Should the joined pattern not compile (too large), the rules are
		 * matched one by one, with the same result. */
		c->all = pcre2_compile((PCRE2_SPTR)all.data, all.len,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off, NULL);
		if (c->all) {
			pcre2_jit_compile(c->all, PCRE2_JIT_COMPLETE);
			c->all_md = pcre2_match_data_create_from_pattern(c->all, NULL);
			if (!c->all_md) {
				pcre2_code_free(c->all);
				c->all = NULL;
			}
		}
	}
	buf_finish(&all);
	c->md = pcre2_match_data_create(1, NULL);
	if (!c->md) {
		set_err(err, "category: out of memory for the match block");
		categorizer_destroy(c);
		return NULL;
	}
	return c;
}

void
categorizer_destroy(struct categorizer *c)
{
	if (!c)
		return;
	for (int k = 0; k < CAT_COUNT; k++)
		pcre2_code_free(c->rules[k]);
	pcre2_match_data_free(c->md);
	pcre2_code_free(c->all);
	pcre2_match_data_free(c->all_md);
	buf_finish(&c->text);
	free(c);
}

static void
add_part(struct buf *text, const char *s)
{
	if (!s || !*s)
		return;
	if (text->len)
		buf_putc(text, '\n');
	text_fold(text, s, strlen(s));
}

/* The joined pattern over the folded text: at each start position the
 * alternation tries the rules in table order, so a match names the first
 * rule that matches there; searching on from the character after each
 * match start visits every position where any rule matches, and the
 * lowest rule seen is the first rule that matches anywhere - what matching
 * the rules one by one gives. */
static enum category
classify_joined(struct categorizer *c)
{
	const unsigned char *s = (const unsigned char *)c->text.data;
	size_t len = c->text.len, off = 0;
	enum category best = CAT_OTHER;
	while (off < len) {
		int rc = pcre2_match(c->all, (PCRE2_SPTR)s, len, off, PCRE2_NO_UTF_CHECK,
				     c->all_md, NULL);
		if (rc < 2)
			break; /* no match (or an error: as no match, like the rules) */
		enum category k = c->group_cat[rc - 2];
		if (k < best)
			best = k;
		if (best == c->group_cat[0])
			break; /* the first rule: none comes before it */
		size_t start = pcre2_get_ovector_pointer(c->all_md)[0];
		/* on to the next character (the text is valid UTF-8) */
		off = start + 1;
		while (off < len && (s[off] & 0xC0) == 0x80)
			off++;
	}
	return best;
}

/* The rules one by one over the folded text. */
static enum category
classify_rules(struct categorizer *c)
{
	for (int k = 0; k < CAT_COUNT; k++) {
		if (!c->rules[k])
			continue;
		/* text_fold replaces invalid bytes by U+FFFD, so the subject is
		 * valid UTF-8 and the check can be skipped. */
		int rc = pcre2_match(c->rules[k], (PCRE2_SPTR)c->text.data, c->text.len, 0,
				     PCRE2_NO_UTF_CHECK, c->md, NULL);
		if (rc >= 0)
			return (enum category)k;
	}
	return CAT_OTHER;
}

static enum category
classify(struct categorizer *c, const char *title, const char *summary, const char *issue,
	 const char *appeal, bool joined)
{
	buf_reset(&c->text);
	add_part(&c->text, title);
	add_part(&c->text, summary);
	add_part(&c->text, issue);
	add_part(&c->text, appeal);
	if (!c->text.len)
		return CAT_OTHER;
	return joined && c->all ? classify_joined(c) : classify_rules(c);
}

enum category
categorizer_classify(struct categorizer *c, const char *title, const char *summary,
		     const char *issue, const char *appeal)
{
	return classify(c, title, summary, issue, appeal, true);
}

enum category
categorizer_classify_each(struct categorizer *c, const char *title, const char *summary,
			  const char *issue, const char *appeal)
{
	return classify(c, title, summary, issue, appeal, false);
}

const char *
category_name_zh(enum category cat)
{
	return (unsigned)cat < CAT_COUNT ? names_zh[cat] : "?";
}

const char *
category_key(enum category cat)
{
	return (unsigned)cat < CAT_COUNT ? keys[cat] : "?";
}

enum category
category_from_key(const char *key)
{
	if (!key)
		return CAT_OTHER;
	/* The first byte decides nearly always: this runs once per stored
	 * complaint in a report. */
	for (int k = 0; k < CAT_COUNT; k++)
		if ((key[0] == keys[k][0] && !strcmp(key, keys[k])) ||
		    (key[0] == names_zh[k][0] && !strcmp(key, names_zh[k])))
			return (enum category)k;
	return CAT_OTHER;
}

double
category_severity(const struct score_params *p, enum category cat)
{
	switch (cat) {
	case CAT_RUNAWAY: return p->s_runaway;
	case CAT_FRAUD: return p->s_fraud;
	case CAT_WITHDRAW: return p->s_withdraw;
	case CAT_SUPPORT_LOST: return p->s_support_lost;
	case CAT_INVALID_KEY: return p->s_invalid_key;
	case CAT_UNDELIVERED: return p->s_undelivered;
	case CAT_REFUND: return p->s_refund;
	case CAT_FALSE_AD: return p->s_false_ad;
	case CAT_OTHER:
	case CAT_COUNT:
		break;
	}
	return p->s_other;
}
