/* A growable byte buffer, always NUL-terminated so text can be used as a C
 * string; binary data may contain NULs (len is authoritative). */
#ifndef KMREP_BUF_H
#define KMREP_BUF_H

#include <stddef.h>

struct buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
/* Frees the storage; the buffer may be used again after buf_init. */
void buf_finish(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" for an empty buffer); owned by b. */
const char *buf_cstr(const struct buf *b);
/* Hands the storage to the caller (free() it); the buffer is left empty. */
char *buf_steal(struct buf *b);

#endif
