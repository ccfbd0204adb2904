/* Differential libFuzzer target: the 黑猫 list fast path (its own tokeniser) against the
 * jansson path over the same bytes.  Wherever the fast path takes a body it
 * must give exactly what jansson gives: the same kind, envelope numbers,
 * message, error text and records; where it declines, jansson decides
 * alone.  Any difference aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "heimao.h"
#include "heimao_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
differ(const char *what)
{
	fprintf(stderr, "fuzz_heimao_fast: fast path and jansson differ in %s\n", what);
	abort();
}

static void
same_text(const char *a, const char *b, const char *what)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
		differ(what);
}

static void
same_page(const struct list_page *a, const struct list_page *b)
{
	if (a->kind != b->kind)
		differ("kind");
	if (a->page != b->page || a->next != b->next || a->page_amount != b->page_amount ||
	    a->item_count != b->item_count || a->code != b->code || a->skipped != b->skipped)
		differ("envelope numbers");
	same_text(a->msg, b->msg, "msg");
	if (a->complaints.len != b->complaints.len)
		differ("number of records");
	for (size_t i = 0; i < a->complaints.len; i++) {
		const struct complaint *x = &a->complaints.items[i], *y = &b->complaints.items[i];
		same_text(x->source, y->source, "source");
		same_text(x->source_id, y->source_id, "source_id");
		same_text(x->merchant_id, y->merchant_id, "merchant_id");
		same_text(x->merchant_name, y->merchant_name, "merchant_name");
		same_text(x->title, y->title, "title");
		same_text(x->summary, y->summary, "summary");
		same_text(x->issue, y->issue, "issue");
		same_text(x->appeal, y->appeal, "appeal");
		same_text(x->url, y->url, "url");
		same_text(x->complainant_key, y->complainant_key, "complainant_key");
		if (x->amount_fen != y->amount_fen || x->raw_status != y->raw_status ||
		    x->status != y->status || x->filed_at != y->filed_at ||
		    x->satisfaction != y->satisfaction)
			differ("record numbers");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct list_page fast, slow;
	char err_fast[ERRBUF_SIZE] = "", err_slow[ERRBUF_SIZE] = "";
	list_page_init(&fast);
	list_page_init(&slow);
	int rf = heimao_list_parse_with((const char *)data, size, &fast, HEIMAO_JSON_FAST_ONLY,
					err_fast);
	int rs = heimao_list_parse_with((const char *)data, size, &slow, HEIMAO_JSON_JANSSON,
					err_slow);
	if (rf != -2) {
		if (rf != rs)
			differ("return value");
		same_page(&fast, &slow);
		if (rs < 0 && strcmp(err_fast, err_slow))
			differ("error text");
	}
	list_page_finish(&fast);
	list_page_finish(&slow);
	return 0;
}
