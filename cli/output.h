/* Where a command's data goes: stdout, or a file.  A regular file (or a
 * symlink to one) is written atomically: a temp file beside it (beside the
 * link's target for a symlink, so the link stays a link) renamed into place
 * only when everything was written, keeping the old file's mode (a new file
 * gets 0666 & ~umask), so a spreadsheet never opens half a report.  Anything
 * else (/dev/stdout, a FIFO, a device) is written in place: a symlink or a
 * device node is never replaced. */
#ifndef KMREP_CLI_OUTPUT_H
#define KMREP_CLI_OUTPUT_H

#include <stdio.h>

struct output {
	FILE *fp;
	char *path; /* NULL: stdout; else the file renamed over or written in place */
	char *tmp;  /* the temp file renamed over path; NULL when written in place */
};

/* Opens path (NULL or "-": stdout).  Returns 0, or -1 with err (a directory,
 * a socket, a dangling symlink, no permission). */
int output_open(struct output *o, const char *path, char *err);
/* Flushes and, for a regular file, renames the temp file into place; ok == 0
 * (an earlier write failed) removes the temp file instead.  Returns 0 or -1. */
int output_close(struct output *o, int ok, char *err);

#endif
