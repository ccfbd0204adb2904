/* 黑猫投诉 (tousu.sina.com.cn) bodies -> records.  Pure: no I/O, no SQL, no
 * clock.  Shapes and evidence: research/complaint-sources.md §1.
 *
 * Three entry points, one per kind of body:
 * - heimao_list_parse: /api/company/received_complaints, /api/index/s and
 *   /api/index/feed (plain JSON or JSONP), into struct complaint;
 * - heimao_company_search_parse: /api/company/search, into struct merchant;
 * - heimao_detail_parse: the detail page /complaint/view/{sn}/ (HTML), into
 *   struct complaint_detail.
 * The JSON entry points classify every body (enum heimao_page_kind), so a
 * login wall or a changed layout never looks like "no complaints". */
#ifndef KMREP_PARSE_HEIMAO_H
#define KMREP_PARSE_HEIMAO_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* What a JSON API body turned out to be. */
enum heimao_page_kind {
	HEIMAO_PAGE_OK = 0,         /* code 0 and at least one record */
	HEIMAO_PAGE_EMPTY,          /* code 0, complaints null / [] or lists [] */
	HEIMAO_PAGE_LOGIN_REQUIRED, /* code 10005, or an HTML login page */
	HEIMAO_PAGE_LIMIT,          /* code 10017: login needed past page 50 */
	HEIMAO_PAGE_BLOCKED,        /* captcha page, or an empty page while the
				       pager claims items (risk control) */
	HEIMAO_PAGE_API_ERROR,      /* any other non-zero code; msg kept */
	HEIMAO_PAGE_NOT_JSON,       /* empty body, other HTML, broken JSON */
	HEIMAO_PAGE_LAYOUT_CHANGED, /* code 0 but no known data shape, or items
				       none of which has main.sn */
	HEIMAO_PAGE_KIND_COUNT
};

/* "ok", "empty", "login_required", "page_limit", "blocked", "api_error",
 * "not_json", "layout_changed" (static strings). */
const char *heimao_page_kind_name(enum heimao_page_kind kind);

/* One list page.  Numbers are -1 when the body did not say. */
struct heimao_list_page {
	enum heimao_page_kind kind;
	struct complaint_list complaints;
	int64_t page;        /* pager.current */
	int64_t next;        /* pager.next */
	int64_t page_amount; /* pager.page_amount; inflated on the feed, never trust
				it as the real depth */
	int64_t item_count;  /* pager.item_count; same caveat */
	int64_t code;        /* result.status.code; -1 when there is no envelope */
	char *msg;           /* result.status.msg; NULL when absent or empty */
	size_t skipped;      /* items dropped because they had no usable main.sn */
};

/* Zeroes p: no complaints, every number -1, msg NULL. */
void heimao_list_page_init(struct heimao_list_page *p);
/* Frees what the page owns and re-initialises it; accepts NULL. */
void heimao_list_page_finish(struct heimao_list_page *p);

/* Parses a complaint list body (JSON or JSONP, len bytes, need not be
 * NUL-terminated) into out, which must be initialised; earlier contents are
 * freed first.  Raw bytes that are not UTF-8 are replaced by U+FFFD rather
 * than losing the page.  Returns the number of complaints (>= 0) when
 * out->kind is OK or EMPTY; otherwise -1 with a one-line reason in err.
 * out->kind is set in every case; the caller finishes out.  Bodies are read by
 * a jsmn fast path (heimao_fast.c) when it can prove jansson would read them
 * the same way, by jansson otherwise: the result is the same either way. */
int heimao_list_parse(const char *body, size_t len, struct heimao_list_page *out, char *err);

/* Parses an /api/company/search body into out (initialised; earlier contents
 * are freed first) and sets *kind (same classification as the list pages,
 * never NULL).  Items without uid are skipped.  Returns the number of
 * merchants when *kind is OK or EMPTY, otherwise -1 with a reason in err.
 * The caller finishes out. */
int heimao_company_search_parse(const char *body, size_t len, struct merchant_list *out,
				enum heimao_page_kind *kind, char *err);

/* Parses a detail page (UTF-8 HTML) into out (initialised; earlier contents
 * are freed first).  Facts are matched by label text; timeline dates without
 * a year take it from the posting date, rolling forward across New Year.
 * Returns 0 when out->kind is DETAIL_OK, otherwise -1 with a reason in err
 * (out->kind says NOT_FOUND, PRIVATE or UNRECOGNISED).  The caller finishes
 * out. */
int heimao_detail_parse(const char *html, size_t len, struct complaint_detail *out, char *err);

/* SCORING §1: 1, 3, 4 unanswered; 6 answered; 7 resolved; 8 closed; any
 * other value STATUS_UNKNOWN. */
enum complaint_status heimao_status_normalise(int raw);

/* Yuan text ("187.38", "300", "0.5", "100元") to fen without floating point;
 * -1 for empty, negative or malformed text.  s need not be NUL-terminated. */
int64_t heimao_yuan_to_fen(const char *s, size_t len);

#endif
