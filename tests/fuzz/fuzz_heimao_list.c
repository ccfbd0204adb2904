/* libFuzzer target: heimao_list_parse over arbitrary bodies. */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "heimao.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct list_page page;
	char err[ERRBUF_SIZE];
	list_page_init(&page);
	heimao_list_parse((const char *)data, size, &page, err);
	list_page_finish(&page);
	return 0;
}
