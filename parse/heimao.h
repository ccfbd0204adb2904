/* 黑猫投诉 (tousu.sina.com.cn) bodies -> records.  Pure: no I/O, no SQL, no
 * clock.  Shapes and evidence: research/complaint-sources.md §1.
 *
 * Three entry points, one per kind of body:
 * - heimao_list_parse: /api/company/received_complaints, /api/index/s and
 *   /api/index/feed (plain JSON or JSONP), into struct complaint;
 * - heimao_company_search_parse: /api/company/search, into struct merchant;
 * - heimao_detail_parse: the detail page /complaint/view/{sn}/ (HTML), into
 *   struct complaint_detail.
 * The JSON entry points classify every body (enum page_kind), so a
 * login wall or a changed layout never looks like "no complaints". */
#ifndef KMREP_PARSE_HEIMAO_H
#define KMREP_PARSE_HEIMAO_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* Parses a complaint list body (JSON or JSONP, len bytes, need not be
 * NUL-terminated) into out, which must be initialised; earlier contents are
 * freed first.  Raw bytes that are not UTF-8 are replaced by U+FFFD rather
 * than losing the page.  Returns the number of complaints (>= 0) when
 * out->kind is OK or EMPTY; otherwise -1 with a one-line reason in err.
 * out->kind is set in every case; the caller finishes out.  Bodies are read by
 * a fast path of its own (heimao_fast.c) when it can prove jansson would read them
 * the same way, by jansson otherwise: the result is the same either way. */
int heimao_list_parse(const char *body, size_t len, struct list_page *out, char *err);

/* Parses an /api/company/search body into out (initialised; earlier contents
 * are freed first) and sets *kind (same classification as the list pages,
 * never NULL).  Items without uid are skipped.  Returns the number of
 * merchants when *kind is OK or EMPTY, otherwise -1 with a reason in err.
 * The caller finishes out. */
int heimao_company_search_parse(const char *body, size_t len, struct merchant_list *out,
				enum page_kind *kind, char *err);

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
