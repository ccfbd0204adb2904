#include "render.h"

#include <string.h>

/* One row per format, in the order --help lists them. */
const struct renderer *const renderers[] = {
	&render_text,
	&render_csv,
	&render_json,
	&render_html,
	NULL,
};

const struct renderer *
renderer_find(const char *name, enum render_view view)
{
	for (size_t i = 0; renderers[i]; i++)
		if ((renderers[i]->views & view) && !strcmp(renderers[i]->name, name))
			return renderers[i];
	return NULL;
}

void
renderer_names(enum render_view view, const char *sep, const char *last, char *out, size_t size)
{
	size_t n = 0, k = 0, len = 0;
	for (size_t i = 0; renderers[i]; i++)
		n += (renderers[i]->views & view) != 0;
	*out = '\0';
	for (size_t i = 0; renderers[i] && len < size; i++) {
		if (!(renderers[i]->views & view))
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					k == 0 ? "" : k == n - 1 ? last : sep, renderers[i]->name);
		k++;
	}
}

int
render_flush(struct render_ctx *ctx)
{
	return fflush(ctx->out) != 0 || ferror(ctx->out) ? -1 : 0;
}

int
render_all(const struct renderer *r, struct render_ctx *ctx, const struct platform_view *views,
	   size_t n)
{
	ctx->platforms = 0;
	if (r->begin(ctx) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (r->platform(ctx, &views[i]) < 0)
			return -1;
		ctx->platforms++;
	}
	return r->end(ctx);
}

int
render_table_begin(struct render_ctx *ctx, const char *name)
{
	ctx->table = (struct table_writer){
		.format = table_format_find(name),
		.out = ctx->out,
		.columns = ctx->headers_zh && !strcmp(name, "csv") ? report_columns_zh
								  : report_columns,
		.n_columns = REPORT_COLUMNS,
		.bom = ctx->bom,
	};
	return ctx->table.format->begin(&ctx->table);
}

int
render_table_row(struct render_ctx *ctx, const struct platform_view *v)
{
	struct report_row row;
	struct cell cells[REPORT_COLUMNS];
	report_row_fill(&row, v, !strcmp(ctx->table.format->name, "csv"));
	for (size_t k = 0; k < REPORT_COLUMNS; k++)
		cells[k] = (struct cell){row.kind[k], row.text[k]};
	int rc = ctx->table.format->row(&ctx->table, cells);
	report_row_finish(&row);
	return rc;
}

int
render_table_end(struct render_ctx *ctx)
{
	return ctx->table.format->end(&ctx->table);
}
