/* Tables out: the formats of `report` and `complaints`, as a NULL-terminated
 * table of {name, begin, row, end} (dav1d's muxers, jq's main).  Every
 * function returns 0 or -1 after a write error, and end flushes and checks,
 * because a truncated CSV is worse than a failed run. */
#ifndef KMREP_REPORT_TABLE_H
#define KMREP_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>

enum cell_kind { CELL_STRING = 0, CELL_NUMBER, CELL_NULL };

struct cell {
	enum cell_kind kind;
	const char *text; /* UTF-8; for CELL_NUMBER a JSON number's text */
};

struct table_writer {
	const struct table_format *format;
	FILE *out;
	const char *const *columns;
	size_t n_columns;
	size_t rows;
	bool bom; /* CSV: start with a UTF-8 byte order mark (Excel) */
};

struct table_format {
	const char *name;
	int (*begin)(struct table_writer *w);
	int (*row)(struct table_writer *w, const struct cell *cells);
	int (*end)(struct table_writer *w);
};

/* csv (RFC 4180, CRLF, spreadsheet-formula guard) and json (an array of
 * objects keyed by column), then NULL. */
extern const struct table_format *const table_formats[];

/* The format called name, or NULL. */
const struct table_format *table_format_find(const char *name);

/* The formats' names joined by sep and, before the last, by last ("csv or
 * json"), into out. */
void table_format_names(const char *sep, const char *last, char *out, size_t size);

/* Writes one CSV field: control and bidi characters other than TAB and LF
 * shown as escapes (TEXT_DISPLAY_CELL); quoted when it holds a comma, quote
 * or LF; a field starting with = + - @ or TAB gets a leading ' so a
 * spreadsheet never runs it as a formula.  Returns 0 or -1. */
int csv_field(FILE *out, const char *s);

/* Writes j as json_dumps(j, flags) would, with DEL, C1 and bidi controls
 * inside strings escaped as \uXXXX (the same JSON value, harmless on a
 * terminal).  Returns 0, or -1 on a write error. */
int json_print(FILE *out, const json_t *j, size_t flags);

#endif
