/* Fuzz target: every ICP registry entry point (query/detail, auth, captcha,
 * sign) and licence_parse over the same input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "icp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	char err[ERRBUF_SIZE], msg[128];

	struct icp_query_page page;
	icp_query_page_init(&page);
	icp_query_parse(body, size, &page, err);
	for (size_t i = 0; i < page.n_records; i++) {
		struct licence l;
		licence_parse(page.records[i].service_licence, &l);
		licence_parse(page.records[i].main_licence, &l);
	}
	icp_query_page_finish(&page);

	char *token = NULL;
	int64_t expire;
	icp_auth_parse(body, size, &token, &expire, msg);
	free(token);

	struct icp_captcha captcha;
	icp_captcha_parse(body, size, &captcha, msg);
	icp_captcha_finish(&captcha);

	char *sign = NULL;
	icp_sign_parse(body, size, &sign, msg);
	free(sign);

	/* licence_parse takes a C string: the input up to its first NUL. */
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct licence l;
	licence_parse(s, &l);
	size_t start, end, from = 0, len = strlen(s);
	while (from <= len && licence_find(s, len, from, &l, &start, &end) == 0)
		from = end > from ? end : from + 1;
	free(s);
	return 0;
}
