/* libFuzzer target: heimao_detail_parse over arbitrary pages. */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "heimao.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct complaint_detail detail;
	char err[ERRBUF_SIZE];
	complaint_detail_init(&detail);
	heimao_detail_parse((const char *)data, size, &detail, err);
	complaint_detail_finish(&detail);
	return 0;
}
