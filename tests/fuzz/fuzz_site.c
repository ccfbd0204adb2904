/* Fuzz target: site_page_parse over the input as a home page (the first
 * byte picks the Content-Type), then site_find_icp over it as text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const content_types[] = {
		NULL, "text/html", "text/html; charset=utf-8", "text/html; charset=gbk",
		"text/html;charset=\"GB2312\"", "text/html; charset=big5",
		"text/html; charset=x-unknown", "application/octet-stream"};
	const char *ct = size ? content_types[data[0] & 7] : NULL;
	char err[ERRBUF_SIZE];

	struct site_page page;
	site_page_init(&page);
	site_page_parse((const char *)data, size, ct, &page, err);
	site_page_finish(&page);

	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *raw = NULL;
	struct licence l;
	site_find_icp(text, &raw, &l);
	free(raw);
	free(text);
	return 0;
}
