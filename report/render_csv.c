/* csv: the report as RFC 4180 rows (table.h's csv: CRLF, formula guard,
 * optional BOM), one per platform. */
#include "render.h"

static int
csv_begin(struct render_ctx *ctx)
{
	return render_table_begin(ctx, "csv");
}

const struct renderer render_csv = {
	.name = "csv",
	.views = RENDER_REPORT,
	.begin = csv_begin,
	.platform = render_table_row,
	.end = render_table_end,
};
