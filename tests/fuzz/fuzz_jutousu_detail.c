/* libFuzzer target: jutousu_detail_parse over arbitrary detail bodies. */
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
	struct complaint_detail detail;
	complaint_detail_init(&detail);
	jutousu_detail_parse((const char *)data, size, &detail, err);
	complaint_detail_finish(&detail);
	return 0;
}
