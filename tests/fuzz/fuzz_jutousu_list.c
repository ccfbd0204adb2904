/* libFuzzer target: jutousu_list_parse over arbitrary list bodies. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "err.h"
#include "jutousu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRBUF_SIZE];
	struct list_page page;
	list_page_init(&page);
	jutousu_list_parse((const char *)data, size, &page, err);
	list_page_finish(&page);
	return 0;
}
