/* parse/image.c and parse/slider.c: decoding challenge pictures (PNG, JPEG,
 * base64, data: URLs, hostile headers) and finding the gap in challenges
 * drawn by tests/server/slider_gen.py (meson generates the bundle into the
 * build directory: KMREP_SLIDER_BUNDLE). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <jpeglib.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "err.h"
#include "harness.h"
#include "image.h"
#include "slider.h"
#include "xalloc.h"

#define TOLERANCE 5 /* the sample server's */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* An address-space limit (2 GiB) below what a 30000x30000 picture needs (3.4 GiB): a
 * decoder that allocated before checking would abort (xmalloc).  Not under
 * ASan, which reserves terabytes of address space. */
static void
limit_memory(void)
{
#ifndef UNDER_ASAN
	struct rlimit r = {2048UL << 20, 2048UL << 20};
	setrlimit(RLIMIT_AS, &r);
#endif
}

static char *
b64(const uint8_t *data, size_t len)
{
	char *out = xmalloc(len / 3 * 4 + 8);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A PNG written by hand: w x h, colour type ctype (2 RGB, 6 RGBA), pixels
 * given row by row; when fake_w/fake_h are non-zero the IHDR claims them
 * instead (with a valid CRC). */
static uint8_t *
make_png(int w, int h, int ctype, const uint8_t *pix, uint32_t fake_w, uint32_t fake_h,
	 size_t *len)
{
	int ch = ctype == 6 ? 4 : 3;
	size_t raw_len = (size_t)h * (size_t)(w * ch + 1);
	uint8_t *raw = xmalloc(raw_len);
	for (int y = 0; y < h; y++) {
		raw[(size_t)y * (size_t)(w * ch + 1)] = 0;
		memcpy(raw + (size_t)y * (size_t)(w * ch + 1) + 1, pix + (size_t)y * (size_t)(w * ch),
		       (size_t)(w * ch));
	}
	uLongf zlen = compressBound(raw_len);
	uint8_t *z = xmalloc(zlen);
	compress(z, &zlen, raw, raw_len);
	uint8_t *out = xmalloc(8 + 25 + 12 + zlen + 12);
	size_t n = 0;
	memcpy(out, "\x89PNG\r\n\x1a\n", 8);
	n = 8;
	uint8_t ihdr[17] = "IHDR";
	put32(ihdr + 4, fake_w ? fake_w : (uint32_t)w);
	put32(ihdr + 8, fake_h ? fake_h : (uint32_t)h);
	ihdr[12] = 8;
	ihdr[13] = (uint8_t)ctype;
	ihdr[14] = ihdr[15] = ihdr[16] = 0;
	put32(out + n, 13);
	memcpy(out + n + 4, ihdr, 17);
	put32(out + n + 21, (uint32_t)crc32(0, ihdr, 17));
	n += 25;
	put32(out + n, (uint32_t)zlen);
	memcpy(out + n + 4, "IDAT", 4);
	memcpy(out + n + 8, z, zlen);
	uint32_t c = (uint32_t)crc32(0, (const uint8_t *)"IDAT", 4);
	c = (uint32_t)crc32(c, z, (uInt)zlen);
	put32(out + n + 8 + zlen, c);
	n += 12 + zlen;
	put32(out + n, 0);
	memcpy(out + n + 4, "IEND", 4);
	put32(out + n + 8, (uint32_t)crc32(0, (const uint8_t *)"IEND", 4));
	n += 12;
	free(raw);
	free(z);
	*len = n;
	return out;
}


static void
test_png_rgb_and_rgba(void)
{
	uint8_t rgb[2 * 2 * 3] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
	uint8_t rgba[2 * 1 * 4] = {1, 2, 3, 0, 4, 5, 6, 200};
	size_t len;
	char err[ERRBUF_SIZE];
	struct image im;
	image_init(&im);
	uint8_t *png = make_png(2, 2, 2, rgb, 0, 0, &len);
	CHECK_INT(image_decode(png, len, &im, err), 0);
	CHECK_INT(im.w, 2);
	CHECK_INT(im.h, 2);
	CHECK_INT(im.has_alpha, 0);
	CHECK(im.rgba && !memcmp(im.rgba + 12, "\x0a\x14\x1e\xff", 4));
	free(png);
	png = make_png(2, 1, 6, rgba, 0, 0, &len);
	CHECK_INT(image_decode(png, len, &im, err), 0);
	CHECK_INT(im.has_alpha, 1);
	CHECK_INT(im.rgba[3], 0);
	CHECK_INT(im.rgba[7], 200);
	CHECK_INT(im.rgba[4], 4);
	free(png);
	image_finish(&im);
}

static void
test_jpeg_decodes(void)
{
	struct image src, im;
	char err[ERRBUF_SIZE];
	size_t len;
	src.w = 24;
	src.h = 16;
	src.has_alpha = 0;
	src.rgba = xmalloc(24 * 16 * 4);
	for (int k = 0; k < 24 * 16; k++)
		memcpy(src.rgba + k * 4, "\xc8\x32\x64\xff", 4);
	uint8_t *jpeg = image_encode_jpeg(&src, &len);
	image_init(&im);
	CHECK_INT(image_decode(jpeg, len, &im, err), 0);
	CHECK_INT(im.w, 24);
	CHECK_INT(im.h, 16);
	CHECK_INT(im.has_alpha, 0);
	CHECK_NEAR(im.rgba[5 * 4], 200, 4);
	CHECK_NEAR(im.rgba[5 * 4 + 1], 50, 4);
	CHECK_NEAR(im.rgba[5 * 4 + 2], 100, 4);
	CHECK_INT(im.rgba[5 * 4 + 3], 255);
	/* truncated: an error or a picture, never a crash */
	image_decode(jpeg, len / 2, &im, err);
	free(jpeg);
	image_finish(&im);
	image_finish(&src);
}

static void
test_base64_and_data_url(void)
{
	uint8_t rgb[3] = {9, 8, 7};
	size_t len;
	char err[ERRBUF_SIZE];
	uint8_t *png = make_png(1, 1, 2, rgb, 0, 0, &len);
	char *text = b64(png, len);
	size_t tl = strlen(text);
	char *url = xasprintf("data:image/png;base64,%.*s\n%s", (int)(tl / 2), text, text + tl / 2);
	struct image im;
	image_init(&im);
	CHECK_INT(image_decode_base64(text, tl, &im, err), 0);
	CHECK_INT(im.rgba[0], 9);
	CHECK_INT(image_decode_base64(url, strlen(url), &im, err), 0);
	CHECK_INT(im.rgba[2], 7);
	CHECK_INT(image_decode_base64("data:image/png,abc", 18, &im, err), -1);
	CHECK(strstr(err, "base64") != NULL);
	CHECK_INT(image_decode_base64("!!!!", 4, &im, err), -1);
	CHECK_INT(image_decode_base64("aGVsbG8gd29ybGQ=", 16, &im, err), -1);
	CHECK(strstr(err, "neither PNG nor JPEG") != NULL);
	CHECK(im.rgba == NULL);
	free(url);
	free(text);
	free(png);
}

static void
test_hostile_png_header(void)
{
	uint8_t rgb[3] = {1, 2, 3};
	size_t len;
	char err[ERRBUF_SIZE] = "";
	uint8_t *png = make_png(1, 1, 2, rgb, 30000, 30000, &len);
	struct image im;
	image_init(&im);
	limit_memory();
	CHECK_INT(image_decode(png, len, &im, err), -1);
	CHECK(strstr(err, "30000x30000") != NULL);
	CHECK(im.rgba == NULL);
	free(png);
}

static void
test_hostile_jpeg_header(void)
{
	struct image src, im;
	char err[ERRBUF_SIZE] = "";
	size_t len;
	src.w = src.h = 8;
	src.rgba = xcalloc(8 * 8 * 4, 1);
	uint8_t *jpeg = image_encode_jpeg(&src, &len);
	for (size_t i = 0; i + 9 < len; i++) {
		if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) { /* SOF0: height, width */
			jpeg[i + 5] = 30000 >> 8;
			jpeg[i + 6] = 30000 & 0xff;
			jpeg[i + 7] = 30000 >> 8;
			jpeg[i + 8] = 30000 & 0xff;
			break;
		}
	}
	image_init(&im);
	limit_memory();
	CHECK_INT(image_decode(jpeg, len, &im, err), -1);
	CHECK(strstr(err, "30000x30000") != NULL);
	CHECK(im.rgba == NULL);
	free(jpeg);
	image_finish(&src);
}

static void
test_malformed_is_an_error(void)
{
	uint8_t rgb[4 * 4 * 3];
	size_t len;
	char err[ERRBUF_SIZE];
	memset(rgb, 77, sizeof(rgb));
	uint8_t *png = make_png(4, 4, 2, rgb, 0, 0, &len);
	struct image im;
	image_init(&im);
	CHECK_INT(image_decode(png, len - 20, &im, err), -1); /* IDAT cut */
	png[20] ^= 0x55;                                      /* IHDR CRC broken */
	CHECK_INT(image_decode(png, len, &im, err), -1);
	CHECK_INT(image_decode(png, 5, &im, err), -1);
	CHECK_INT(image_decode(NULL, 0, &im, err), -1);
	CHECK(im.rgba == NULL);
	long x;
	double conf;
	CHECK_INT(slider_solve("AAAA", 4, "AAAA", 4, 10, &x, &conf, err), -1);
	CHECK(strstr(err, "bigImage") != NULL);
	free(png);
}

static void
test_piece_must_fit(void)
{
	struct image big = {10, 10, xcalloc(400, 1), 0}, small = {12, 5, xcalloc(240, 1), 0};
	long x;
	double conf;
	char err[ERRBUF_SIZE];
	CHECK_INT(slider_find(&big, &small, 0, &x, &conf, NULL, err), -1);
	CHECK(strstr(err, "does not fit") != NULL);
	image_finish(&big);
	image_finish(&small);
}

struct bundle_line {
	long gap;
	int top;
	char kind[32];
	char *big, *small;
};

/* The generated challenges: KMREP_SLIDER_BUNDLE (meson sets it). */
static size_t
read_bundle(struct bundle_line **out)
{
	const char *path = getenv("KMREP_SLIDER_BUNDLE");
	if (!path)
		SKIP("KMREP_SLIDER_BUNDLE not set");
	size_t len;
	char *text = harness_read_file(path, &len);
	size_t n = 0, cap = 0;
	*out = NULL;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		*out = xgrow(*out, &cap, n + 1, sizeof(**out));
		struct bundle_line *b = &(*out)[n];
		char name[16];
		int big_at = 0;
		if (sscanf(line, "%15s %ld %d %31s %n", name, &b->gap, &b->top, b->kind, &big_at) != 4)
			continue;
		char *big = line + big_at, *tab = strchr(big, '\t');
		if (!tab)
			continue;
		b->big = xstrndup(big, (size_t)(tab - big));
		b->small = xstrdup(tab + 1);
		n++;
	}
	free(text);
	CHECK(n >= 8);
	return n;
}

static void
free_bundle(struct bundle_line *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].big);
		free(b[i].small);
	}
	free(b);
}

static void
test_generated_png(void)
{
	struct bundle_line *b;
	size_t n = read_bundle(&b), sure = 0;
	for (size_t i = 0; i < n; i++) {
		long x;
		double conf;
		char err[ERRBUF_SIZE];
		CHECK_INT(slider_solve(b[i].big, strlen(b[i].big), b[i].small, strlen(b[i].small),
				       b[i].top, &x, &conf, err),
			  0);
		if (labs(x - b[i].gap) > TOLERANCE)
			fprintf(stderr, "challenge %zu (%s): gap %ld, found %ld\n", i, b[i].kind,
				b[i].gap, x);
		CHECK(labs(x - b[i].gap) <= TOLERANCE);
		CHECK(conf > 0 && conf <= 1);
		sure += conf >= 0.5;
	}
	CHECK(sure * 4 >= n * 3); /* mostly both methods agree on clean PNGs */
	free_bundle(b, n);
}

/* Both pictures as JPEG q75; the piece loses its alpha and sits on black. */
static void
test_generated_jpeg(void)
{
	struct bundle_line *b;
	size_t n = read_bundle(&b);
	for (size_t i = 0; i < n; i++) {
		char *text[2];
		for (int part = 0; part < 2; part++) {
			const char *src = part ? b[i].small : b[i].big;
			struct image im;
			char err[ERRBUF_SIZE];
			size_t len;
			image_init(&im);
			CHECK_INT(image_decode_base64(src, strlen(src), &im, err), 0);
			uint8_t *jpeg = image_encode_jpeg(&im, &len);
			char *t = b64(jpeg, len);
			/* the data: URL form, as some clients pass it */
			text[part] = xasprintf("data:image/jpeg;base64,%s", t);
			free(t);
			free(jpeg);
			image_finish(&im);
		}
		long x;
		double conf;
		char err[ERRBUF_SIZE];
		CHECK_INT(slider_solve(text[0], strlen(text[0]), text[1], strlen(text[1]), b[i].top,
				       &x, &conf, err),
			  0);
		if (labs(x - b[i].gap) > TOLERANCE)
			fprintf(stderr, "challenge %zu (%s): gap %ld, found %ld\n", i, b[i].kind,
				b[i].gap, x);
		CHECK(labs(x - b[i].gap) <= TOLERANCE);
		free(text[0]);
		free(text[1]);
	}
	free_bundle(b, n);
}

/* The two methods, each on its own, find the gap of clean challenges. */
static void
test_methods_vote(void)
{
	struct bundle_line *b;
	size_t n = read_bundle(&b), agree = 0;
	for (size_t i = 0; i < n; i++) {
		struct image big, small;
		char err[ERRBUF_SIZE];
		image_init(&big);
		image_init(&small);
		CHECK_INT(image_decode_base64(b[i].big, strlen(b[i].big), &big, err), 0);
		CHECK_INT(image_decode_base64(b[i].small, strlen(b[i].small), &small, err), 0);
		struct slider_votes v;
		long x;
		double conf;
		CHECK_INT(slider_find(&big, &small, b[i].top, &x, &conf, &v, err), 0);
		CHECK(labs(v.x_template - b[i].gap) <= TOLERANCE);
		agree += labs(v.x_region - b[i].gap) <= TOLERANCE;
		image_finish(&big);
		image_finish(&small);
	}
	CHECK(agree * 4 >= n * 3); /* the colour-region method alone: most of them */
	free_bundle(b, n);
}

TEST_MAIN({"png_rgb_and_rgba", test_png_rgb_and_rgba},
	  {"jpeg_decodes", test_jpeg_decodes},
	  {"base64_and_data_url", test_base64_and_data_url},
	  {"hostile_png_header", test_hostile_png_header},
	  {"hostile_jpeg_header", test_hostile_jpeg_header},
	  {"malformed_is_an_error", test_malformed_is_an_error},
	  {"piece_must_fit", test_piece_must_fit},
	  {"generated_png", test_generated_png},
	  {"generated_jpeg", test_generated_jpeg},
	  {"methods_vote", test_methods_vote})
