/* PNG (libpng's simplified API) and JPEG (libjpeg-turbo) decoding to RGBA,
 * and base64 through OpenSSL.  See image.h. */
#include "image.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <openssl/evp.h>
#include <png.h>

#include "err.h"
#include "xalloc.h"

/* Progressive JPEGs with thousands of scans make libjpeg spin; real
 * challenges have at most a dozen. */
#define JPEG_MAX_SCANS 100
/* Base64 text longer than this is not a captcha picture. */
#define BASE64_MAX_LEN (16u << 20)

void
image_init(struct image *im)
{
	memset(im, 0, sizeof(*im));
}

void
image_finish(struct image *im)
{
	if (!im)
		return;
	free(im->rgba);
	memset(im, 0, sizeof(*im));
}

static int
size_ok(unsigned long w, unsigned long h, char *err)
{
	if (w == 0 || h == 0)
		return set_err(err, "image has no pixels");
	if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || w * h > IMAGE_MAX_PIXELS)
		return set_err(err, "image of %lux%lu pixels is larger than a captcha picture", w,
			       h);
	return 0;
}

static int
decode_png(const uint8_t *data, size_t len, struct image *im, char *err)
{
	png_image png;
	memset(&png, 0, sizeof(png));
	png.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&png, data, len))
		return set_err(err, "PNG: %s", png.message);
	if (size_ok(png.width, png.height, err) < 0) {
		png_image_free(&png);
		return -1;
	}
	im->has_alpha = (png.format & PNG_FORMAT_FLAG_ALPHA) != 0;
	png.format = PNG_FORMAT_RGBA;
	uint8_t *pix = xmalloc(PNG_IMAGE_SIZE(png));
	if (!png_image_finish_read(&png, NULL, pix, 0, NULL)) {
		set_err(err, "PNG: %s", png.message);
		png_image_free(&png);
		free(pix);
		im->has_alpha = 0;
		return -1;
	}
	im->w = (int)png.width;
	im->h = (int)png.height;
	im->rgba = pix;
	return 0;
}

struct jpeg_failure {
	struct jpeg_error_mgr mgr;
	jmp_buf env;
	char *err;
};

static void
jpeg_fail(j_common_ptr cinfo)
{
	struct jpeg_failure *f = (struct jpeg_failure *)cinfo->err;
	char text[JMSG_LENGTH_MAX];
	f->mgr.format_message(cinfo, text);
	set_err(f->err, "JPEG: %s", text);
	longjmp(f->env, 1);
}

static void
jpeg_quiet(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level; /* warnings of a corrupt picture: the solver judges it */
}

static void
jpeg_scan_limit(j_common_ptr cinfo)
{
	j_decompress_ptr d = (j_decompress_ptr)cinfo;
	if (d->input_scan_number > JPEG_MAX_SCANS) {
		struct jpeg_failure *f = (struct jpeg_failure *)cinfo->err;
		set_err(f->err, "JPEG: more than %d scans", JPEG_MAX_SCANS);
		longjmp(f->env, 1);
	}
}

static int
decode_jpeg(const uint8_t *data, size_t len, struct image *im, char *err)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_failure fail;
	struct jpeg_progress_mgr progress;
	/* volatile: assigned between setjmp and a possible longjmp */
	uint8_t *volatile pix = NULL;
	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail;
	fail.mgr.emit_message = jpeg_quiet;
	fail.err = err;
	if (setjmp(fail.env)) {
		jpeg_destroy_decompress(&cinfo);
		free(pix);
		return -1;
	}
	jpeg_create_decompress(&cinfo);
	progress.progress_monitor = jpeg_scan_limit;
	cinfo.progress = &progress;
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	jpeg_read_header(&cinfo, TRUE);
	if (size_ok(cinfo.image_width, cinfo.image_height, err) < 0) {
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	cinfo.out_color_space = JCS_EXT_RGBA;
	jpeg_start_decompress(&cinfo);
	size_t w = cinfo.output_width, h = cinfo.output_height;
	if (cinfo.output_components != 4 || size_ok(w, h, err) < 0) {
		if (cinfo.output_components != 4)
			set_err(err, "JPEG: unexpected output format");
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	pix = xmalloc(w * h * 4);
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW row = pix + (size_t)cinfo.output_scanline * w * 4;
		jpeg_read_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	im->w = (int)w;
	im->h = (int)h;
	im->rgba = pix;
	return 0;
}

int
image_decode(const uint8_t *data, size_t len, struct image *im, char *err)
{
	static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	image_finish(im);
	if (!data || len < 8)
		return set_err(err, "image too short (%zu bytes)", data ? len : 0);
	if (!memcmp(data, png_sig, sizeof(png_sig)))
		return decode_png(data, len, im, err);
	if (data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		return decode_jpeg(data, len, im, err);
	return set_err(err, "image is neither PNG nor JPEG");
}

int
image_base64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len, char *err)
{
	*out = NULL;
	*out_len = 0;
	if (!text)
		return set_err(err, "no image");
	if (len > 5 && !strncmp(text, "data:", 5)) {
		const char *comma = memchr(text, ',', len);
		if (!comma)
			return set_err(err, "data: URL without a comma");
		if (comma - text < 7 || strncmp(comma - 7, ";base64", 7))
			return set_err(err, "data: URL is not base64");
		len -= (size_t)(comma + 1 - text);
		text = comma + 1;
	}
	if (len > BASE64_MAX_LEN)
		return set_err(err, "base64 image of %zu bytes is too large", len);
	uint8_t *buf = xmalloc(len / 4 * 3 + 4);
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	if (!ctx) {
		free(buf);
		return set_err(err, "out of memory");
	}
	int n = 0, tail = 0;
	EVP_DecodeInit(ctx);
	/* EVP_DecodeUpdate takes an int length: feed large inputs in pieces */
	size_t done = 0, total = 0;
	int rc = 0;
	while (done < len && rc >= 0) {
		size_t piece = len - done > (1u << 20) ? 1u << 20 : len - done;
		rc = EVP_DecodeUpdate(ctx, buf + total, &n, (const unsigned char *)text + done,
				      (int)piece);
		if (rc >= 0)
			total += (size_t)n;
		done += piece;
	}
	if (rc >= 0 && EVP_DecodeFinal(ctx, buf + total, &tail) < 0)
		rc = -1;
	EVP_ENCODE_CTX_free(ctx);
	if (rc < 0 || total + (size_t)(tail > 0 ? tail : 0) == 0) {
		free(buf);
		return set_err(err, "image is not valid base64");
	}
	*out = buf;
	*out_len = total + (size_t)tail;
	return 0;
}

int
image_decode_base64(const char *text, size_t len, struct image *im, char *err)
{
	uint8_t *bytes;
	size_t n;
	image_finish(im);
	if (image_base64_decode(text, len, &bytes, &n, err) < 0)
		return -1;
	int rc = image_decode(bytes, n, im, err);
	free(bytes);
	return rc;
}

uint8_t *
image_encode_jpeg(const struct image *im, size_t *len)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long n = 0;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &n);
	c.image_width = (JDIMENSION)im->w;
	c.image_height = (JDIMENSION)im->h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 75, TRUE);
	jpeg_start_compress(&c, TRUE);
	uint8_t *row = xmalloc((size_t)im->w * 3);
	while (c.next_scanline < c.image_height) {
		const uint8_t *p = im->rgba + (size_t)c.next_scanline * (size_t)im->w * 4;
		for (int x = 0; x < im->w; x++)
			for (int k = 0; k < 3; k++)
				row[x * 3 + k] = (uint8_t)(p[x * 4 + k] * p[x * 4 + 3] / 255);
		JSAMPROW r = row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*len = n;
	return out;
}
