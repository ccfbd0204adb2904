/* Allocation that cannot fail: out of memory aborts with a message, so no
 * caller has to carry an error path for it (foot's xmalloc.c). */
#ifndef KMREP_XALLOC_H
#define KMREP_XALLOC_H

#include <stddef.h>

/* Never NULL, which the attributes tell the compiler too. */
#define XALLOC_ATTRS __attribute__((returns_nonnull, warn_unused_result))
void *xmalloc(size_t size) XALLOC_ATTRS __attribute__((malloc, alloc_size(1)));
void *xcalloc(size_t nmemb, size_t size) XALLOC_ATTRS __attribute__((malloc, alloc_size(1, 2)));
void *xrealloc(void *ptr, size_t size) XALLOC_ATTRS __attribute__((alloc_size(2)));
/* Grows an array to hold at least need elements of size bytes; *cap is
 * updated. Returns the (possibly moved) array. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
/* xstrdup(NULL) returns NULL; handy for optional fields. */
char *xstrdup_or_null(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
