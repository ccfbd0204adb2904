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

/* The first characters the literal matcher indexes: U+3000..U+9FFF, whose
 * UTF-8 lead byte is E3..E9, numbered by their 7 x 12 payload bits. */
#define LIT_FIRST_MIN 0xE3
#define LIT_FIRSTS (7 * 4096)

/* A keyword of the literal matcher. */
struct lit_kw {
	size_t off, len; /* in lit_text */
	int next;        /* the next keyword with the same first character, or -1 */
	enum category cat;
};

struct categorizer {
	pcre2_code *rules[CAT_COUNT]; /* NULL: no rule (CAT_OTHER) */
	pcre2_match_data *md;
	struct buf text; /* folded subject, reused between calls */
	/* The literal matcher, used when every keyword is caseless-trivial
	 * (see lit_trivial): a keyword matches exactly where its bytes occur,
	 * so one scan of the text finds every keyword at once. */
	bool literal;
	struct buf lit_text;  /* the folded keywords, end to end */
	struct lit_kw *kw;    /* in rule order */
	size_t n_kw, cap_kw;
	int *head;            /* LIT_FIRSTS: the first keyword starting with that character */
	unsigned char *first; /* LIT_FIRSTS bits: some keyword starts with it */
	enum category first_rule; /* the first category with a rule */
};

/* Whether PCRE2_CASELESS | PCRE2_UCP matches the folded keyword k exactly
 * where its bytes occur: every character has no other case (U+3000..U+9FFF:
 * CJK symbols, kana, ideographs; ASCII other than letters), and the first
 * is one the literal matcher indexes (U+3000..U+9FFF). */
static bool
lit_trivial(const char *k, size_t len)
{
	const unsigned char *u = (const unsigned char *)k;
	if (len < 3 || u[0] < LIT_FIRST_MIN || u[0] > 0xE9)
		return false;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x80) {
			if ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z')
				return false;
			i++;
			continue;
		}
		if (u[i] < LIT_FIRST_MIN || u[i] > 0xE9 || len - i < 3 || (u[i + 1] & 0xC0) != 0x80 ||
		    (u[i + 2] & 0xC0) != 0x80)
			return false;
		i += 3;
	}
	return true;
}

/* The index of the character at u (lead byte E3..E9) among LIT_FIRSTS. */
static unsigned
lit_first(const unsigned char *u)
{
	return ((unsigned)(u[0] - LIT_FIRST_MIN) << 12) | ((unsigned)(u[1] & 0x3F) << 6) |
	       (unsigned)(u[2] & 0x3F);
}

/* Adds a folded keyword of category k to the literal matcher (or turns it
 * off when the keyword is not caseless-trivial). */
static void
lit_add(struct categorizer *c, enum category k, const char *s, size_t len)
{
	if (!c->literal)
		return;
	if (!lit_trivial(s, len)) {
		c->literal = false;
		return;
	}
	c->kw = xgrow(c->kw, &c->cap_kw, c->n_kw + 1, sizeof(*c->kw));
	c->kw[c->n_kw] = (struct lit_kw){.off = c->lit_text.len, .len = len, .next = -1, .cat = k};
	buf_append(&c->lit_text, s, len);
	c->n_kw++;
}

/* Chains the keywords by first character, each chain in rule order. */
static void
lit_index(struct categorizer *c)
{
	c->head = xmalloc(LIT_FIRSTS * sizeof(*c->head));
	c->first = xcalloc(LIT_FIRSTS / 8, 1);
	for (size_t i = 0; i < LIT_FIRSTS; i++)
		c->head[i] = -1;
	for (size_t i = c->n_kw; i-- > 0;) {
		unsigned f = lit_first((const unsigned char *)c->lit_text.data + c->kw[i].off);
		c->kw[i].next = c->head[f];
		c->head[f] = (int)i;
		c->first[f >> 3] |= (unsigned char)(1u << (f & 7));
	}
}

/* Appends the keywords of a "a|b|c" list to pat as escaped literals. */
static void
append_keywords(struct categorizer *c, enum category k, struct buf *pat, const char *list)
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
			lit_add(c, k, folded.data, folded.len);
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
	buf_init(&c->lit_text);
	c->literal = true;
	c->first_rule = CAT_OTHER;
	for (int k = 0; k < CAT_COUNT; k++) {
		if (k == CAT_OTHER)
			continue;
		struct buf pat;
		buf_init(&pat);
		if (builtin_keywords[k])
			append_keywords(c, (enum category)k, &pat, builtin_keywords[k]);
		if (p && p->keywords_extra[k])
			append_keywords(c, (enum category)k, &pat, p->keywords_extra[k]);
		if (!pat.len) {
			buf_finish(&pat);
			continue;
		}
		int code;
		PCRE2_SIZE off;
		c->rules[k] = pcre2_compile((PCRE2_SPTR)pat.data, pat.len,
					    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &off,
					    NULL);
		buf_finish(&pat);
		if (!c->rules[k]) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(code, msg, sizeof(msg));
			set_err(err, "category %s: keyword pattern: %s at offset %zu", keys[k],
				(const char *)msg, (size_t)off);
			categorizer_destroy(c);
			return NULL;
		}
		/* Every complaint is matched against every rule: the JIT makes that
		 * several times faster.  Where it is unavailable pcre2_match simply
		 * interprets, so a failure here is not an error. */
		pcre2_jit_compile(c->rules[k], PCRE2_JIT_COMPLETE);
		if (c->first_rule == CAT_OTHER)
			c->first_rule = (enum category)k;
	}
	if (c->literal)
		lit_index(c);
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
	buf_finish(&c->text);
	buf_finish(&c->lit_text);
	free(c->kw);
	free(c->head);
	free(c->first);
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

/* Every keyword at once, in one scan of the folded text (valid UTF-8):
 * at each character that starts some keyword, the keywords starting with it
 * are compared; the lowest rule with a keyword anywhere wins, which is what
 * the rules one by one find. */
static enum category
classify_literal(struct categorizer *c)
{
	const unsigned char *s = (const unsigned char *)c->text.data;
	const unsigned char *kw = (const unsigned char *)c->lit_text.data;
	size_t len = c->text.len;
	enum category best = CAT_OTHER;
	for (size_t i = 0; i + 3 <= len;) {
		unsigned char b = s[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b < LIT_FIRST_MIN || b > 0xE9) {
			i += b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
			continue;
		}
		unsigned f = lit_first(s + i);
		if (c->first[f >> 3] & (1u << (f & 7))) {
			for (int j = c->head[f]; j >= 0; j = c->kw[j].next) {
				const struct lit_kw *k = &c->kw[j];
				if (k->cat >= best)
					break; /* the chain is in rule order */
				if (k->len <= len - i && !memcmp(s + i, kw + k->off, k->len)) {
					best = k->cat;
					if (best == c->first_rule)
						return best;
					break;
				}
			}
		}
		i += 3;
	}
	return best;
}

static enum category
classify(struct categorizer *c, const char *title, const char *summary, const char *issue,
	 const char *appeal, bool literal)
{
	buf_reset(&c->text);
	add_part(&c->text, title);
	add_part(&c->text, summary);
	add_part(&c->text, issue);
	add_part(&c->text, appeal);
	if (!c->text.len)
		return CAT_OTHER;
	return literal && c->literal ? classify_literal(c) : classify_rules(c);
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
