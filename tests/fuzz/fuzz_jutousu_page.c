/* libFuzzer target: jutousu_post_key_parse over arbitrary complaint pages. */
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
	char *key = NULL, *merchant = NULL;
	enum detail_kind kind;
	jutousu_post_key_parse((const char *)data, size, &key, &merchant, &kind, err);
	free(key);
	free(merchant);
	return 0;
}
