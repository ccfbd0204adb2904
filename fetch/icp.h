/* The MIIT ICP registry (hlwicpfwc.miit.gov.cn/icpproject_query/api): how
 * its requests are built (no I/O).  Research: icp-sources.md §2.3 (auth),
 * §2.4 (captcha), §2.5 (query), §2.8. */
#ifndef KMREP_FETCH_ICP_H
#define KMREP_FETCH_ICP_H

#include <stdint.h>

/* The auth form body "authKey=<md5("testtest"+ts)>&timeStamp=<ts>" for the
 * time ts_ms (milliseconds).  *body is malloc'd (caller frees).  Returns 0,
 * or -1 when libcrypto's MD5 is unavailable (FIPS mode). */
int icp_auth_body(int64_t ts_ms, char **body);

/* The headers every MIIT call sends: Origin, Referer, Accept and a Cookie
 * "__jsluid_s=<32 random lowercase hex>".  NULL-terminated array of
 * "Name: value" strings; free it with icp_headers_free.  extra (may be NULL)
 * is a NULL-terminated list appended as given (e.g. "token: ...",
 * "Content-Type: application/json"). */
char **icp_headers(const char *const *extra);
/* Frees an icp_headers array; accepts NULL. */
void icp_headers_free(char **headers);

/* A fresh random cookie value: 32 lowercase hex digits and a NUL. */
void icp_random_jsluid(char out[33]);

/* The compact JSON body of a web-site query:
 * {"pageNum":1,"pageSize":10,"unitName":"x.com","serviceType":1}, with
 * unit_name escaped as JSON.  Caller frees; NULL when unit_name is not
 * valid UTF-8. */
char *icp_query_body(const char *unit_name, int page_num, int page_size);

/* Endpoint URLs under the configured base (a trailing slash is tolerated);
 * malloc'd, caller frees. */
char *icp_url_auth(const char *base);
char *icp_url_query(const char *base);
char *icp_url_check_image_point(const char *base);
char *icp_url_check_image(const char *base);

#endif
