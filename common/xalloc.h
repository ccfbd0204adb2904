/* Allocation that cannot fail: out of memory aborts with a message, so no
 * caller has to carry an error path for it (foot's xmalloc.c). */
#ifndef KMREP_XALLOC_H
#define KMREP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array to hold at least need elements of size bytes; *cap is
 * updated. Returns the (possibly moved) array. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
/* xstrdup(NULL) returns NULL; handy for optional fields. */
char *xstrdup_or_null(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
