#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

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

/* How many earlier lines showed url. */
static unsigned
evidence_times(const struct evidence_seen *seen, const char *url)
{
	for (size_t i = 0; i < seen->n; i++)
		if (!strcmp(seen->url[i], url))
			return seen->times[i];
	return 0;
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* True when the URLs of ev at pick[0..k) are an earlier line's set. */
static bool
evidence_set_seen(const struct evidence_seen *seen, const struct score_evidence *ev,
		  const size_t *pick, size_t k)
{
	for (size_t l = 0; l < seen->n_lines; l++) {
		if (seen->line_n[l] != k)
			continue;
		size_t same = 0;
		for (size_t i = 0; i < k; i++)
			for (size_t j = 0; j < k; j++)
				same += !strcmp(ev[pick[i]].url, seen->line[l][j]);
		if (same == k)
			return true;
	}
	return false;
}

size_t
evidence_pick(const struct score_evidence *ev, size_t n, size_t max, struct evidence_seen *seen,
	      size_t *pick)
{
	if (max > EVIDENCE_SHOWN)
		max = EVIDENCE_SHOWN;
	/* Every index in the order of preference: ev is sorted by rank, one
	 * run of equal ranks after another, and within a run never shown
	 * first, then shown once, ... */
	size_t *order = xcalloc(n ? n : 1, sizeof(*order)), k = 0;
	for (size_t run = 0; run < n;) {
		size_t end = run + 1;
		while (end < n && ev[end].rank == ev[run].rank)
			end++;
		for (unsigned times = 0; k < end; times++)
			for (size_t i = run; i < end; i++)
				if (evidence_times(seen, ev[i].url) == times)
					order[k++] = i;
		run = end;
	}
	k = n < max ? n : max;
	memcpy(pick, order, k * sizeof(*pick));
	/* Not an earlier line's set when an equally relevant other can stand
	 * in for one of the picks. */
	for (size_t j = k; j-- > 0 && evidence_set_seen(seen, ev, pick, k);) {
		size_t was = pick[j];
		for (size_t c = k; c < n; c++) {
			if (ev[order[c]].rank != ev[was].rank)
				continue;
			pick[j] = order[c];
			if (!evidence_set_seen(seen, ev, pick, k))
				break;
			pick[j] = was;
		}
	}
	free(order);
	qsort(pick, k, sizeof(*pick), size_cmp);
	for (size_t i = 0; i < k; i++) {
		const char *url = ev[pick[i]].url;
		size_t j = 0;
		while (j < seen->n && strcmp(seen->url[j], url))
			j++;
		if (j < seen->n) {
			seen->times[j]++;
		} else if (seen->n < sizeof(seen->url) / sizeof(seen->url[0])) {
			seen->url[seen->n] = url;
			seen->times[seen->n++] = 1;
		}
	}
	if (k && seen->n_lines < sizeof(seen->line) / sizeof(seen->line[0])) {
		for (size_t i = 0; i < k; i++)
			seen->line[seen->n_lines][i] = ev[pick[i]].url;
		seen->line_n[seen->n_lines++] = k;
	}
	return k;
}

bool
complain_payment_route(const struct platform_view *v)
{
	static const enum category lost[] = {CAT_UNDELIVERED, CAT_INVALID_KEY, CAT_REFUND,
					     CAT_FRAUD, CAT_RUNAWAY};
	for (size_t i = 0; i < sizeof(lost) / sizeof(lost[0]); i++)
		if (v->score.by_category[lost[i]])
			return true;
	return false;
}

bool
complain_miit_route(const struct platform_view *v)
{
	for (size_t g = 0; g < v->score.n_gates; g++)
		if (!strcmp(v->score.gates[g].gate, "stolen_icp"))
			return true;
	return false;
}
