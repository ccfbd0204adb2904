/* 黑猫投诉 (tousu.sina.com.cn): how its requests are built (no I/O).
 * Research: complaint-sources.md §1.2 (endpoints), §1.3 (signature), §1.8
 * (headers).  Every URL is built under the configured base_url, so tests
 * point it at the loopback sample server. */
#ifndef KMREP_FETCH_HEIMAO_H
#define KMREP_FETCH_HEIMAO_H

#include <stddef.h>
#include <stdint.h>

/* The secret every signed API call hashes along (research §1.3). */
#define HEIMAO_SECRET "$d6eb7ff91ee257475%"
#define PAGE_SIZE 10

/* signature = lowercase hex SHA-256 over the strcmp-sorted concatenation of
 * ts, rs, HEIMAO_SECRET and values[0..n) (values only, no names).  out gets
 * 64 hex digits and a NUL. */
void heimao_sign(const char *ts, const char *rs, const char *const *values, size_t n,
	char out[65]);

/* 16 random characters of [0-9a-zA-Z] and a NUL (getrandom, unbiased). */
void heimao_random_rs(char out[17]);

/* The current time in milliseconds as the 13-digit ts (out >= 21 bytes). */
void heimao_now_ts(char out[21]);

/* The URLs below are malloc'd (caller frees); base is the configured
 * base_url without a trailing slash (one is tolerated). */

/* GET /api/company/search?keywords=K: merchant lookup, unsigned. */
char *heimao_url_company_search(const char *base, const char *keyword);

/* GET /api/company/received_complaints: one merchant's complaints, newest
 * first, type=1, page_size=10, signed over couid, type, page_size, page. */
char *heimao_url_received_complaints(const char *base, const char *couid, long page,
	const char *ts, const char *rs);

/* GET /api/index/s: keyword search, signed over the raw UTF-8 keyword,
 * page_size and page; the keyword is %-encoded in the URL only. */
char *heimao_url_search(const char *base, const char *keyword, long page,
	const char *ts, const char *rs);

/* GET /api/index/feed: the latest complaints, type=1, signed. */
char *heimao_url_feed(const char *base, long page, const char *ts, const char *rs);

/* The headers a browser's XHR sends (Referer, X-Requested-With, Accept),
 * NULL-terminated, static. */
extern const char *const heimao_headers[];

#endif
