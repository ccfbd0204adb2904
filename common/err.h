/* The error convention: functions return 0 (or a count) on success and a
 * negative value on failure, and write a one-line reason, without the
 * "kmrep: " prefix and without a newline, into a caller-owned buffer of
 * ERRBUF_SIZE bytes (curl's CURLOPT_ERRORBUFFER plays that role in fetch/). */
#ifndef KMREP_ERR_H
#define KMREP_ERR_H

#define ERRBUF_SIZE 256

/* Formats the reason into err (which may be NULL) and returns -1. */
int set_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
