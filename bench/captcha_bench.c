/* The slider solver over generated challenges (bench/captcha runs it): each
 * challenge once as the PNGs the generator wrote, once re-encoded as JPEG
 * quality 75 (the piece, which JPEG cannot keep transparent, on black).
 * Prints the success rate within the sample server's tolerance (and within
 * ±3 px, what research §2.4 says the registry allows) and the time per
 * challenge (CPU time of the process, and wall time, which other work on
 * the machine inflates): base64 decoding, both image decodings and the
 * solver, as kmrep does them.
 *
 *	captcha_bench DIR [TOLERANCE]
 *	captcha_bench --solve FILE...
 *
 * --solve runs the solver on saved challenges: a getCheckImagePoint body as
 * the registry sends it, or the JSON kmrep gives captcha_command; it prints
 * the x it would answer and the confidence.
 *
 * DIR holds index.tsv (name, gap, top, kind) and NAME.big.png,
 * NAME.small.png (tests/server/slider_gen.py).  Exits 0, or 1 when a mode
 * is under 97% or takes 10 ms of CPU per challenge or more. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <jpeglib.h>
#include <openssl/evp.h>

#include "err.h"
#include "icp.h"
#include "image.h"
#include "slider.h"
#include "xalloc.h"

#define MAX_KINDS 8

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *data = xmalloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	return data;
}

static char *
base64(const uint8_t *data, size_t len)
{
	char *out = xmalloc(len / 3 * 4 + 8);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* --solve: saved challenges, one file each. */
static int
solve_files(int argc, char **argv)
{
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		size_t len;
		char msg[128] = "", err[ERRBUF_SIZE];
		uint8_t *body = read_file(argv[i], &len);
		if (!body) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		struct icp_captcha c;
		enum icp_reply_kind kind = icp_captcha_parse((const char *)body, len, &c, msg);
		json_t *o = NULL;
		const char *big = c.big_image, *small = c.small_image;
		int height = c.height;
		if (kind != ICP_OK) { /* kmrep's captcha_command JSON */
			o = json_loadb((const char *)body, len, 0, NULL);
			big = json_string_value(json_object_get(o, "bigImage"));
			small = json_string_value(json_object_get(o, "smallImage"));
			height = (int)json_integer_value(json_object_get(o, "height"));
		}
		long x;
		double conf;
		if (!big || !small) {
			printf("%s: not a slider challenge (%s)\n", argv[i], icp_reply_kind_name(kind));
			rc = 1;
		} else if (slider_solve(big, strlen(big), small, strlen(small), height, &x, &conf,
					err) < 0) {
			printf("%s: %s\n", argv[i], err);
			rc = 1;
		} else {
			printf("%s: x = %ld (confidence %.2f)\n", argv[i], x, conf);
		}
		json_decref(o);
		icp_captcha_finish(&c);
		free(body);
	}
	return rc;
}

struct tally {
	char kind[32];
	int n, ok, ok3;
};

struct challenge {
	char name[64], kind[32];
	long gap;
	int top;
	char *big[2], *small[2]; /* base64: [0] PNG, [1] JPEG */
};

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: captcha_bench DIR [TOLERANCE]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--solve"))
		return solve_files(argc - 2, argv + 2);
	long tolerance = argc > 2 ? atol(argv[2]) : 5;
	char path[4096];
	snprintf(path, sizeof(path), "%s/index.tsv", argv[1]);
	FILE *idx = fopen(path, "r");
	if (!idx) {
		perror(path);
		return 2;
	}
	struct challenge *ch = NULL;
	size_t n = 0, cap = 0;
	char line[256];
	while (fgets(line, sizeof(line), idx)) {
		ch = xgrow(ch, &cap, n + 1, sizeof(*ch));
		struct challenge *c = &ch[n];
		memset(c, 0, sizeof(*c));
		if (sscanf(line, "%63s %ld %d %31s", c->name, &c->gap, &c->top, c->kind) != 4)
			continue;
		for (int part = 0; part < 2; part++) {
			size_t len;
			snprintf(path, sizeof(path), "%s/%s.%s.png", argv[1], c->name,
				 part ? "small" : "big");
			uint8_t *png = read_file(path, &len);
			if (!png) {
				perror(path);
				return 2;
			}
			struct image im;
			char err[ERRBUF_SIZE];
			image_init(&im);
			if (image_decode(png, len, &im, err) < 0) {
				fprintf(stderr, "%s: %s\n", path, err);
				return 2;
			}
			size_t jlen;
			uint8_t *jpeg = image_encode_jpeg(&im, &jlen);
			(part ? c->small : c->big)[0] = base64(png, len);
			(part ? c->small : c->big)[1] = base64(jpeg, jlen);
			free(jpeg);
			free(png);
			image_finish(&im);
		}
		n++;
	}
	fclose(idx);
	int fail = 0;
	for (int mode = 0; mode < 2; mode++) {
		struct tally kinds[MAX_KINDS];
		int n_kinds = 0, ok = 0, ok3 = 0, errors = 0;
		double total_ms = 0, worst_ms = 0, cpu_ms = 0;
		for (size_t i = 0; i < n; i++) {
			struct challenge *c = &ch[i];
			long x;
			double conf;
			char err[ERRBUF_SIZE];
			struct timespec t0, t1, c0, c1;
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
			clock_gettime(CLOCK_MONOTONIC, &t0);
			int rc = slider_solve(c->big[mode], strlen(c->big[mode]), c->small[mode],
					      strlen(c->small[mode]), c->top, &x, &conf, err);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
			cpu_ms += (double)(c1.tv_sec - c0.tv_sec) * 1e3 +
				  (double)(c1.tv_nsec - c0.tv_nsec) / 1e6;
			double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
				    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
			total_ms += ms;
			if (ms > worst_ms)
				worst_ms = ms;
			errors += rc < 0;
			int good = rc == 0 && labs(x - c->gap) <= tolerance;
			int good3 = rc == 0 && labs(x - c->gap) <= 3;
			ok += good;
			ok3 += good3;
			int k = 0;
			while (k < n_kinds && strcmp(kinds[k].kind, c->kind))
				k++;
			if (k == n_kinds && n_kinds < MAX_KINDS) {
				memset(&kinds[k], 0, sizeof(kinds[k]));
				snprintf(kinds[k].kind, sizeof(kinds[k].kind), "%s", c->kind);
				n_kinds++;
			}
			if (k < n_kinds) {
				kinds[k].n++;
				kinds[k].ok += good;
				kinds[k].ok3 += good3;
			}
			if (!good && getenv("CAPTCHA_BENCH_VERBOSE")) {
				struct image b, sm;
				struct slider_votes v = {-1, -1, 0, 0};
				image_init(&b);
				image_init(&sm);
				if (image_decode_base64(c->big[mode], strlen(c->big[mode]), &b, err) == 0 &&
				    image_decode_base64(c->small[mode], strlen(c->small[mode]), &sm,
							err) == 0)
					slider_find(&b, &sm, c->top, &x, &conf, &v, err);
				printf("  miss %s %s (%s): gap %ld, answer %ld (confidence %.2f; "
				       "region %ld/%.2f, template %ld/%.2f)\n",
				       mode ? "jpeg" : "png", c->name, c->kind, c->gap, x, conf,
				       v.x_region, v.c_region, v.x_template, v.c_template);
				image_finish(&b);
				image_finish(&sm);
			}
		}
		double rate = n ? 100.0 * ok / (double)n : 0, mean = n ? total_ms / (double)n : 0;
		double cpu = n ? cpu_ms / (double)n : 0;
		printf("%-4s q%s %zu challenges: %.1f%% within ±%ld px (%d/%zu), %.1f%% within ±3 px; "
		       "%.2f ms CPU per challenge, %.2f ms wall (worst %.2f ms); %d unsolvable\n",
		       mode ? "jpeg" : "png", mode ? "75" : "--", n, rate, tolerance, ok, n,
		       n ? 100.0 * ok3 / (double)n : 0, cpu, mean, worst_ms, errors);
		for (int k = 0; k < n_kinds; k++)
			printf("     %-12s %5.1f%% (%d/%d), ±3 px %5.1f%%\n", kinds[k].kind,
			       100.0 * kinds[k].ok / kinds[k].n, kinds[k].ok, kinds[k].n,
			       100.0 * kinds[k].ok3 / kinds[k].n);
		if (rate < 97.0 || cpu >= 10.0)
			fail = 1;
	}
	for (size_t i = 0; i < n; i++)
		for (int m = 0; m < 2; m++) {
			free(ch[i].big[m]);
			free(ch[i].small[m]);
		}
	free(ch);
	return fail;
}
