/* Fuzz target: the image decoder (image_decode: PNG or JPEG, told by the
 * bytes), then, for a picture that decodes, the slider gap finder with a
 * fixed 8x8 piece.  A malformed image must be an error (a failed challenge),
 * never a crash.  Its corpus holds both formats. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "image.h"
#include "slider.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERRBUF_SIZE];
	struct image im;
	image_init(&im);
	if (image_decode(data, size, &im, err) == 0) {
		uint8_t pix[8 * 8 * 4];
		memset(pix, 0xff, sizeof(pix));
		struct image piece = {8, 8, pix, 1};
		long x;
		double confidence;
		slider_find(&im, &piece, im.h / 3, &x, &confidence, NULL, err);
	}
	image_finish(&im);
	return 0;
}
