/* The rows of `kmrep complaints`: one stored complaint as the cells of its
 * columns, for any table.h format (times Asia/Shanghai, money in yuan). */
#ifndef KMREP_REPORT_COMPLAINT_ROWS_H
#define KMREP_REPORT_COMPLAINT_ROWS_H

#include <stdbool.h>
#include <stdio.h>

#include "store.h"
#include "table.h"

#define COMPLAINT_COLUMNS 12
extern const char *const complaint_columns[COMPLAINT_COLUMNS];

/* Writes c as one row of w, whose columns are complaint_columns.  Returns 0,
 * or -1 on a write error. */
int complaint_row_write(struct table_writer *w, const struct stored_complaint *c);

/* The text of `kmrep complaints --format text`, for a terminal: one row per
 * complaint (filed, status and category in words of the chosen language,
 * the title cut to fit COMPLAINT_TEXT_COLUMNS), its evidence link whole on
 * the next line, indented, then a line that counts them.  Columns are
 * padded by display width (Chinese counts two). */
#define COMPLAINT_TEXT_COLUMNS 80

struct complaint_text {
	FILE *out;
	size_t status_w, category_w; /* the widest word of the column, header included */
	size_t rows, excluded;
};

/* Starts t on out and writes the header.  Returns 0, or -1 on a write error. */
int complaint_text_begin(struct complaint_text *t, FILE *out);
/* Writes c.  Returns 0, or -1 on a write error. */
int complaint_text_row(struct complaint_text *t, const struct stored_complaint *c);
/* Writes the count line, flushes and checks.  No row is "no complaints"
 * only when read (some complaint source was ever read for the platform);
 * else the count is unknown and the line says so.  Returns 0, or -1. */
int complaint_text_end(struct complaint_text *t, bool read);

#endif
