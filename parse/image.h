/* Challenge images of the registry's slider captcha (research/icp-sources.md
 * §2.4): base64 text, with or without a "data:image/...;base64," prefix,
 * holding a PNG or a JPEG.  Decoded with libpng and libjpeg-turbo into 8-bit
 * RGBA.  Pure: bytes in, pixels out.
 *
 * A header announcing more than IMAGE_MAX_SIDE pixels on a side, or more
 * than IMAGE_MAX_PIXELS in all, is refused before any pixel memory is
 * allocated (a hostile 30000x30000 header costs nothing). */
#ifndef KMREP_PARSE_IMAGE_H
#define KMREP_PARSE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX_SIDE 4096
#define IMAGE_MAX_PIXELS (2048 * 2048)

/* An image: w * h pixels of 4 bytes (R, G, B, A), rows top to bottom.  A
 * JPEG, or a PNG without transparency, has A = 255 everywhere. */
struct image {
	int w, h;
	uint8_t *rgba; /* malloc'd; NULL when empty */
	int has_alpha; /* the file had transparency (PNG alpha channel or tRNS) */
};

void image_init(struct image *im);
void image_finish(struct image *im); /* frees the pixels; accepts NULL */

/* Decodes a PNG or JPEG (told apart by their signatures) from data into im,
 * which must have been initialised; what it held is released first.
 * Returns 0, or -1 with the reason in err (im is then empty). */
int image_decode(const uint8_t *data, size_t len, struct image *im, char *err);

/* Decodes base64 text (whitespace ignored; an optional "data:...;base64,"
 * prefix is skipped) into *out (malloc'd, caller frees) of *out_len bytes.
 * Returns 0, or -1 with the reason in err (*out is then NULL). */
int image_base64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len,
			char *err);

/* image_base64_decode then image_decode. */
int image_decode_base64(const char *text, size_t len, struct image *im, char *err);

/* The image as JPEG quality 75, transparent pixels black: a challenge as the
 * registry might send it, for the tests and bench/captcha (kmrep itself only
 * decodes).  Returns a malloc'd buffer (caller frees) and its *len. */
uint8_t *image_encode_jpeg(const struct image *im, size_t *len);

#endif
