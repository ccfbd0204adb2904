/* The error convention: functions return 0 (or a count) on success and a
 * negative value on failure, and write a one-line reason, without the
 * "kmrep: " prefix and without a newline, into a caller-owned buffer of
 * ERRBUF_SIZE bytes (curl's CURLOPT_ERRORBUFFER plays that role in fetch/). */
#ifndef KMREP_ERR_H
#define KMREP_ERR_H

#define ERRBUF_SIZE 256

/* What kind of failure a negative return is, for callers that act on the
 * difference (exit codes, whether to go on with the next file): a function
 * that documents classes returns -(int)class.  -1 is ERR_FAIL, the class of
 * every function that documents none. */
enum err_class {
	ERR_FAIL = 1,  /* failed; the message says why */
	ERR_USAGE,     /* the user's input is wrong (exit 2) */
	ERR_DB,        /* the database failed (exit 3; the transaction was rolled back) */
	ERR_NET,       /* the network or the site failed */
	ERR_PARSE,     /* a page or file was not recognised */
	ERR_CONFLICT,  /* the request contradicts what is stored (a domain owned elsewhere) */
	ERR_INTERNAL,  /* a bug or an impossible state (exit 3) */
};

/* Formats the reason into err (which may be NULL) and returns -1. */
int set_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats the reason into err (which may be NULL) and returns -(int)c. */
int set_errc(char *err, enum err_class c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
