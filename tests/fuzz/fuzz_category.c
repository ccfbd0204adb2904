/* Differential libFuzzer target: the categoriser's one scan for literal
 * keywords against PCRE2 rule by rule, over the same four fields (the input
 * split at NUL bytes into title, summary, issue and appeal).  With the
 * built-in keywords and with extra literal ones; any difference aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
compare(const struct score_params *p, char *const field[4])
{
	char err[ERRBUF_SIZE];
	struct categorizer *c = categorizer_create(p, err);
	if (!c)
		abort();
	enum category a = categorizer_classify(c, field[0], field[1], field[2], field[3]);
	enum category b = categorizer_classify_each(c, field[0], field[1], field[2], field[3]);
	categorizer_destroy(c);
	if (a != b) {
		fprintf(stderr, "fuzz_category: one scan %d, rule by rule %d\n", (int)a, (int)b);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *field[4] = {NULL, NULL, NULL, NULL};
	char *p = text;
	for (int i = 0; i < 4 && p <= text + size; i++) {
		field[i] = p;
		p += strlen(p) + 1;
	}
	struct score_params params;
	score_params_defaults(&params);
	compare(&params, field);
	static const char runaway[] = "款跑|老板消失|群１２３";
	static const char refund[] = "不退款|退。";
	params.keywords_extra[CAT_RUNAWAY] = (char *)runaway;
	params.keywords_extra[CAT_REFUND] = (char *)refund;
	compare(&params, field);
	free(text);
	return 0;
}
