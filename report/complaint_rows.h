/* The rows of `kmrep complaints`: one stored complaint as the cells of its
 * columns, for any table.h format (times Asia/Shanghai, money in yuan). */
#ifndef KMREP_REPORT_COMPLAINT_ROWS_H
#define KMREP_REPORT_COMPLAINT_ROWS_H

#include "store.h"
#include "table.h"

#define COMPLAINT_COLUMNS 12
extern const char *const complaint_columns[COMPLAINT_COLUMNS];

/* Writes c as one row of w, whose columns are complaint_columns.  Returns 0,
 * or -1 on a write error. */
int complaint_row_write(struct table_writer *w, const struct stored_complaint *c);

#endif
