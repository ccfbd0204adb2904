/* Text helpers shared by every layer: UTF-8 checks and the folding kmrep
 * applies before comparing names or matching patterns. */
#ifndef KMREP_TEXT_H
#define KMREP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Decodes the UTF-8 sequence at s into *cp (cp may be NULL); returns its length, or 0 when
 * it is not well-formed (overlong, surrogate, cut short, stray byte). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Appends cp as UTF-8 (U+FFFD for a surrogate or a value past U+10FFFF). */
void utf8_encode(struct buf *out, uint32_t cp);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);

/* Appends s with the compatibility folding kmrep needs before matching:
 * full-width ASCII (U+FF01..U+FF5E) to ASCII, U+3000 and U+00A0 to a space,
 * full-width/ideographic punctuation that NFKC maps the same way.  This is
 * the part of NFKC that matters for names, ICP numbers and keywords; a full
 * NFKC would need ICU, a dependency this project does not take. Invalid
 * UTF-8 bytes are replaced by U+FFFD. */
void text_fold(struct buf *out, const char *s, size_t len);

/* A key for comparing platform and merchant names: folded, ASCII lowercased,
 * with all white space and the separators . - _ · removed.  Caller frees. */
char *text_name_key(const char *s);

/* Columns s takes in a terminal: 2 for Chinese and other wide characters,
 * 1 for the rest (no combining marks or control characters expected). */
size_t text_display_width(const char *s);

/* Trims ASCII and Unicode spaces at both ends, in place; returns s. */
char *text_trim(char *s);

/* Lowercase hex of a SHA-256 over data (libcrypto); out gets 65 bytes. */
void sha256_hex(const void *data, size_t len, char out[static 65]);

#endif
