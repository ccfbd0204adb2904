/* The registry's slider captcha (research/icp-sources.md §2.4): bigImage is
 * a picture with a flat-filled gap, smallImage the piece that fits it (its
 * shape in the alpha channel, or the whole rectangle), height the piece's
 * top row in bigImage.  The answer is the x of the piece's left edge when it
 * sits in the gap.  Pure: bytes in, a number out.
 *
 * Two independent methods vote:
 *  (a) colour region: bigImage's row band, downsampled x2 and quantised to
 *      RGB steps of 4; for each of the five most frequent colours, the
 *      columns' vertical run lengths form regions; the largest near-square
 *      one (width/height 0.7-1.4) is the gap;
 *  (b) mask template: the piece's mask slid along the row band; a position
 *      scores high when bigImage is flat inside the mask and changes across
 *      its outline.
 * When they agree within SLIDER_AGREE px the answer is (b)'s, with a high
 * confidence; otherwise the more confident one, with a low confidence. */
#ifndef KMREP_PARSE_SLIDER_H
#define KMREP_PARSE_SLIDER_H

#include <stddef.h>

#include "image.h"

#define SLIDER_AGREE 4

/* What each method found (x = -1: nothing), for tests and the benchmark. */
struct slider_votes {
	long x_region, x_template;
	double c_region, c_template; /* 0..1 */
};

/* Finds the gap in decoded images.  top is the piece's top row in big (the
 * challenge's height).  Sets *x and *confidence (0..1; below 0.5 the methods
 * disagreed); votes may be NULL.  Returns 0, or -1 with the reason in err
 * (images that cannot be a challenge: the piece wider than the picture, ...). */
int slider_find(const struct image *big, const struct image *small, int top, long *x,
		double *confidence, struct slider_votes *votes, char *err);

/* Decodes bigImage and smallImage as given in the challenge (base64, with or
 * without a data: prefix; PNG or JPEG) and runs slider_find.  A malformed
 * image is an error, never a crash.  Returns 0 or -1 with the reason. */
int slider_solve(const char *big, size_t big_len, const char *small, size_t small_len,
		 int height, long *x, double *confidence, char *err);

#endif
