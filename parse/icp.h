/* MIIT ICP registry responses (research/icp-sources.md §2.6-2.7) -> records.
 * Pure: bytes in, records out; no network, no clock. */
#ifndef KMREP_PARSE_ICP_H
#define KMREP_PARSE_ICP_H

#include <stddef.h>
#include <stdint.h>

/* 主办单位性质, mapped from natureName; the verbatim text is kept too. */
enum icp_nature {
	NATURE_UNKNOWN = 0,
	NATURE_ENTERPRISE,  /* 企业 */
	NATURE_INDIVIDUAL,  /* 个人 */
	NATURE_INSTITUTION, /* 事业单位, 社会团体, 民办非企业单位, 基金会 ... */
	NATURE_GOVERNMENT,  /* 政府机关, 国防机构 */
	NATURE_OTHER        /* anything else, kept verbatim in nature_name */
};

const char *icp_nature_name(enum icp_nature n); /* "enterprise", ... (static) */

/* One website record of params.list[] (serviceType 1). */
struct icp_record {
	char *domain;          /* the filed (registrable) domain, lowercased */
	char *domain_id;       /* int64 ids as decimal text (numbers or numeric strings) */
	char *main_id;
	char *service_id;
	char *unit_name;       /* 主办单位名称: the operator's legal name (12315 asks for it) */
	char *nature_name;     /* verbatim natureName */
	enum icp_nature nature;
	char *main_licence;    /* 京ICP备10046444号 / 京ICP证030173号 / 粤B2-20090059 */
	char *service_licence; /* main_licence + "-N" */
	char *limit_access;    /* "否" / "是" */
	char *update_record_time; /* "YYYY-MM-DD HH:MM:SS" as given (NOT the filing date) */
	char *content_type_name;  /* 、-joined, duplicates removed */
	char *service_name;    /* 网站名称 when given (2021 bodies, detail) */
	char *home_url;
};

void icp_record_init(struct icp_record *r);
void icp_record_finish(struct icp_record *r);

/* How a registry response is classified.  Everything but ICP_OK is a reason
 * the answer is "unknown" (never "not filed"). */
enum icp_reply_kind {
	ICP_OK = 0,           /* code 200, success true: records (possibly none = not filed) */
	ICP_TOKEN_EXPIRED,    /* 401 token过期: authenticate again and retry once */
	ICP_AUTH_FAILED,      /* 401 没有通过身份验证 */
	ICP_CAPTCHA,          /* 验证码不匹配 / a captcha is demanded */
	ICP_RATE_LIMITED,     /* code 429 */
	ICP_SERVER_ERROR,     /* code 500 服务器异常 and other non-200 codes */
	ICP_BAD_REQUEST,      /* code 415 and other client errors: a bug of ours */
	ICP_BLOCKED,          /* WAF HTML (创宇盾 / 365cyd / wafblock), 521 JS challenge */
	ICP_BAD_BODY          /* empty, not JSON, or JSON of an unknown shape */
};

const char *icp_reply_kind_name(enum icp_reply_kind k); /* "ok", "token_expired", ... */

/* A queryByCondition page. */
struct icp_query_page {
	enum icp_reply_kind kind;
	int code;              /* the body's code, 0 when none */
	char msg[128];         /* the body's msg (UTF-8, cut at a character boundary) */
	struct icp_record *records;
	size_t n_records, cap_records;
	int64_t total;         /* params.total */
	int page_num, pages;   /* params.pageNum / params.pages */
	int is_last_page;      /* params.isLastPage (1 when absent and page_num >= pages) */
};

void icp_query_page_init(struct icp_query_page *p);
void icp_query_page_finish(struct icp_query_page *p);

/* Parses a queryByCondition (or detail: params is then one record) body into
 * p, which must have been initialised; what it held is released first.
 * Records are filled only on ICP_OK; a list item without a domain, or params
 * of neither shape, makes the whole page ICP_BAD_BODY (msg says why).
 * Returns 0 when the body was classified (look at p->kind), -1 only for
 * arguments that make no sense. */
int icp_query_parse(const char *body, size_t len, struct icp_query_page *p, char *err);

/* Parses an auth body; on ICP_OK fills token (params.bussiness, malloc'd,
 * caller frees; NULL otherwise) and expire_ms (params.expire, 0 when absent).
 * msg (may be NULL) gets the body's msg.  Returns the reply kind. */
enum icp_reply_kind icp_auth_parse(const char *body, size_t len, char **token,
				   int64_t *expire_ms, char msg[128]);

/* The captcha step, for a solver plug-in: a slider challenge
 * (image/getCheckImagePoint) and the sign from image/checkImage, which
 * comes as params (a string) or params.sign.  icp_captcha_parse zeroes c
 * first and fills it on ICP_OK (uuid, bigImage and smallImage required);
 * free with icp_captcha_finish (accepts NULL).  icp_sign_parse sets *sign
 * (malloc'd, caller frees) on ICP_OK, NULL otherwise.  In both, a code-200
 * refusal means the answer was wrong: ICP_CAPTCHA.  msg may be NULL. */
struct icp_captcha {
	char *uuid;
	char *big_image;   /* base64 PNG as given */
	char *small_image;
	int height;
	char *secret_key;  /* click-word era only; NULL otherwise */
};
void icp_captcha_finish(struct icp_captcha *c);
enum icp_reply_kind icp_captcha_parse(const char *body, size_t len, struct icp_captcha *c,
				      char msg[128]);
enum icp_reply_kind icp_sign_parse(const char *body, size_t len, char **sign, char msg[128]);

/* Licence numbers (research §4) in canonical form: province + kind + digits
 * + "-N", no spaces, full-width folded, 号 dropped: "京ICP备10046444-9",
 * "京ICP证030173-102", "粤B2-20090059-5", "B2-20080207". */
enum licence_kind { LICENCE_NONE = 0, LICENCE_ICP_BEI, LICENCE_ICP_ZHENG, LICENCE_B2 };
struct licence {
	enum licence_kind kind;
	char canonical[64];   /* with the -N suffix when present */
	char main[64];        /* without it */
	int year;             /* from 8-digit (YY) or 10-digit (YYYY) ICP备 numbers; 0 unknown */
	int placeholder;      /* 00000000, 12345678, all-equal, 10000000 ... */
};
/* Canonicalises one licence string as the registry or a footer prints it
 * (full-width folded, spaces, 号 and a domain in brackets allowed: the whole
 * trimmed string must be the number).  Year: 8-digit ICP备 -> 20YY (19YY for
 * 9x), 10-digit -> YYYY, else 0; placeholders get year 0.  Returns 0, or -1
 * (out zeroed) when s is not a licence number; 秦 and other unknown
 * provinces are not. */
int licence_parse(const char *s, struct licence *out);

/* Finds the first licence number in UTF-8 text at or after byte offset from.
 * text should already be folded (text_fold): the patterns expect ASCII
 * digits and dashes.  On a match fills out as licence_parse would and sets
 * [*start, *end) to the matched bytes.  The province letter is not checked
 * against joke prefixes (星云ICP备...): that is the caller's business.
 * Returns 0, or -1 when there is no further match.  The PCRE2 patterns are
 * compiled once per process on first use and kept (kmrep is single
 * threaded). */
int licence_find(const char *text, size_t len, size_t from, struct licence *out,
		 size_t *start, size_t *end);

#endif
