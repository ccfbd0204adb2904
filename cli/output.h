/* Where a command's data goes: stdout, or a file written atomically (a temp
 * file beside it, renamed into place only when everything was written), so a
 * spreadsheet never opens half a report. */
#ifndef KMREP_CLI_OUTPUT_H
#define KMREP_CLI_OUTPUT_H

#include <stdio.h>

struct output {
	FILE *fp;
	char *path; /* NULL: stdout */
	char *tmp;
};

/* Opens path (NULL or "-": stdout).  Returns 0, or -1 with err. */
int output_open(struct output *o, const char *path, char *err);
/* Flushes and, for a file, renames the temp file into place; ok == 0 (an
 * earlier write failed) removes the temp file instead.  Returns 0 or -1. */
int output_close(struct output *o, int ok, char *err);

#endif
