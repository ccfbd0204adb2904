/* libFuzzer target: heimao_company_search_parse over arbitrary bodies. */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "heimao.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct merchant_list list;
	enum page_kind kind;
	char err[ERRBUF_SIZE];
	merchant_list_init(&list);
	heimao_company_search_parse((const char *)data, size, &list, &kind, err);
	merchant_list_finish(&list);
	return 0;
}
