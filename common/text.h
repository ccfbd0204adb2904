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

/* Appends s[0..len) with every byte that does not start a well-formed UTF-8
 * sequence replaced by U+FFFD: a page with a few bad bytes is read, not lost. */
void text_utf8_repair(struct buf *out, const char *s, size_t len);

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

/* How many bytes of s fit in columns display columns, cut between
 * characters (as text_display_width counts them); their width in *width
 * when width is not NULL. */
size_t text_fit_columns(const char *s, size_t columns, size_t *width);

/* Trims ASCII and Unicode spaces at both ends, in place; returns s. */
char *text_trim(char *s);

/* How text_sanitize_display shows what a terminal would obey rather than print. */
enum text_display {
	/* One line for a terminal or a message: every C0 control, DEL, C1 control
	 * (U+0080..U+009F) and bidi control (U+061C, U+200E, U+200F,
	 * U+202A..U+202E, U+2066..U+2069) becomes a visible escape: \t \n \r,
	 * \xHH for the other C0 and DEL, \uXXXX for the rest. */
	TEXT_DISPLAY_LINE,
	/* A CSV cell: as LINE, but TAB and LF stay (the cell is quoted). */
	TEXT_DISPLAY_CELL,
	/* JSON text made by jansson (which escapes C0 already): DEL, C1 and bidi
	 * controls inside strings become \uXXXX, which is the same JSON value. */
	TEXT_DISPLAY_JSON,
};

/* Appends s[0..len) made safe to show: see enum text_display.  Invalid
 * UTF-8 and NUL become U+FFFD (NUL as \x00 in LINE and CELL).  Stored data
 * never goes through here; only what is printed does. */
void text_sanitize_display(struct buf *out, const char *s, size_t len, enum text_display how);

/* True when text_sanitize_display would leave s[0..len) as it is. */
bool text_display_clean(const char *s, size_t len, enum text_display how);

/* Strings made for display, freed together (one printing function's worth). */
struct text_pool {
	char **v;
	size_t n, cap;
};

/* s as TEXT_DISPLAY_LINE: s itself when it is clean, else a copy owned by the
 * pool; NULL stays NULL. */
const char *text_shown(struct text_pool *pool, const char *s);
/* Frees every string of the pool; the pool may be used again. */
void text_pool_finish(struct text_pool *pool);

/* Appends s[0..len) with every NUL byte replaced by U+FFFD: for text read
 * with its length (a JSON string may hold \u0000), so it is never cut short
 * when later used as a C string. */
void buf_append_text(struct buf *out, const char *s, size_t len);

/* Lowercase hex of a SHA-256 over data (libcrypto); out gets 65 bytes. */
void sha256_hex(const void *data, size_t len, char out[static 65]);

#endif
