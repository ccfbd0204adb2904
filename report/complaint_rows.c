#include "complaint_rows.h"

#include <stdio.h>

#include "parse/category.h"
#include "timeutil.h"

const char *const complaint_columns[COMPLAINT_COLUMNS] = {
	"source", "id", "filed", "status_raw", "status", "category", "amount_yuan",
	"first_reply", "merchant", "title", "url", "excluded_reason",
};

int
complaint_row_write(struct table_writer *w, const struct stored_complaint *c)
{
	char filed[17] = "", reply[17] = "", raw[16] = "", amount[32] = "";
	if (c->filed_at)
		time_format_shanghai(c->filed_at, filed);
	if (c->first_reply_at)
		time_format_shanghai(c->first_reply_at, reply);
	if (c->raw_status >= 0)
		snprintf(raw, sizeof(raw), "%d", c->raw_status);
	if (c->amount_fen >= 0)
		snprintf(amount, sizeof(amount), "%lld.%02lld", (long long)(c->amount_fen / 100),
			 (long long)(c->amount_fen % 100));
	struct cell cells[COMPLAINT_COLUMNS] = {
		{CELL_STRING, c->source},
		{CELL_STRING, c->source_id},
		{*filed ? CELL_STRING : CELL_NULL, filed},
		{*raw ? CELL_NUMBER : CELL_NULL, raw},
		{CELL_STRING, complaint_status_name(c->status)},
		{CELL_STRING, category_name_zh(c->category)},
		{*amount ? CELL_NUMBER : CELL_NULL, amount},
		{*reply ? CELL_STRING : CELL_NULL, reply},
		{c->merchant_name ? CELL_STRING : CELL_NULL, c->merchant_name},
		{c->title ? CELL_STRING : CELL_NULL, c->title},
		{c->url ? CELL_STRING : CELL_NULL, c->url},
		{c->excluded_reason ? CELL_STRING : CELL_NULL, c->excluded_reason},
	};
	return w->format->row(w, cells);
}
