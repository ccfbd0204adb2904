#include "table.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

static int
check(FILE *out)
{
	return ferror(out) ? -1 : 0;
}

int
csv_field(FILE *out, const char *s)
{
	if (!s)
		s = "";
	struct buf shown;
	buf_init(&shown);
	if (!text_display_clean(s, strlen(s), TEXT_DISPLAY_CELL)) {
		text_sanitize_display(&shown, s, strlen(s), TEXT_DISPLAY_CELL);
		s = buf_cstr(&shown);
	}
	int guard = strchr("=+-@\t\r", s[0]) && s[0];
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', out);
	if (guard)
		fputc('\'', out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
	buf_finish(&shown);
	return check(out);
}

/* See table.h. */
int
json_print(FILE *out, const json_t *j, size_t flags)
{
	char *text = json_dumps(j, flags);
	if (!text)
		return -1;
	size_t len = strlen(text);
	if (text_display_clean(text, len, TEXT_DISPLAY_JSON)) {
		fwrite(text, 1, len, out);
	} else {
		struct buf shown;
		buf_init(&shown);
		text_sanitize_display(&shown, text, len, TEXT_DISPLAY_JSON);
		fwrite(shown.data, 1, shown.len, out);
		buf_finish(&shown);
	}
	free(text);
	return check(out);
}

static int
csv_begin(struct table_writer *w)
{
	if (w->bom)
		fputs("\xEF\xBB\xBF", w->out);
	for (size_t i = 0; i < w->n_columns; i++) {
		if (i)
			fputc(',', w->out);
		csv_field(w->out, w->columns[i]);
	}
	fputs("\r\n", w->out);
	return check(w->out);
}

static int
csv_row(struct table_writer *w, const struct cell *cells)
{
	for (size_t i = 0; i < w->n_columns; i++) {
		if (i)
			fputc(',', w->out);
		if (cells[i].kind != CELL_NULL)
			csv_field(w->out, cells[i].text);
	}
	fputs("\r\n", w->out);
	w->rows++;
	return check(w->out);
}

static int
flush_end(struct table_writer *w)
{
	return fflush(w->out) != 0 || ferror(w->out) ? -1 : 0;
}

static int
json_begin(struct table_writer *w)
{
	fputc('[', w->out);
	return check(w->out);
}

static int
json_row(struct table_writer *w, const struct cell *cells)
{
	json_t *o = json_object();
	for (size_t i = 0; i < w->n_columns; i++) {
		json_t *v;
		if (cells[i].kind == CELL_NULL || !cells[i].text)
			v = json_null();
		else if (cells[i].kind == CELL_NUMBER)
			v = json_loads(cells[i].text, JSON_DECODE_ANY, NULL);
		else
			v = json_string(cells[i].text);
		json_object_set_new(o, w->columns[i], v ? v : json_null());
	}
	fputs(w->rows ? ",\n  " : "\n  ", w->out);
	int rc = json_print(w->out, o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	w->rows++;
	return rc < 0 ? -1 : check(w->out);
}

static int
json_end(struct table_writer *w)
{
	fputs(w->rows ? "\n]\n" : "]\n", w->out);
	return flush_end(w);
}

static const struct table_format csv_format = {"csv", csv_begin, csv_row, flush_end};
static const struct table_format json_format = {"json", json_begin, json_row, json_end};

const struct table_format *const table_formats[] = {&csv_format, &json_format, NULL};

const struct table_format *
table_format_find(const char *name)
{
	for (size_t i = 0; table_formats[i]; i++)
		if (!strcmp(table_formats[i]->name, name))
			return table_formats[i];
	return NULL;
}

void
table_format_names(const char *sep, const char *last, char *out, size_t size)
{
	size_t n = 0, len = 0;
	while (table_formats[n])
		n++;
	*out = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i == 0 ? "" : i == n - 1 ? last : sep, table_formats[i]->name);
}
