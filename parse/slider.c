/* Slider captcha gap finder: two independent methods that vote.  See
 * slider.h for what each does. */
#include "slider.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

#define QBITS 6                  /* quantised channel: value >> 2 */
#define TOP_COLOURS 5
#define ERODE 3                  /* px kept away from the outline when judging flatness */
#define EDGE_STEP 2              /* px each side of the outline when judging contrast */

/* The piece's shape: mask[i * w + j] is 1 inside. */
struct piece {
	int w, h;
	uint8_t *mask;
	int body_dx;     /* first column whose mask run is at least half the tallest */
	int body_w, body_h;
};

static int
in_mask(const struct piece *p, int i, int j)
{
	return i >= 0 && j >= 0 && i < p->h && j < p->w && p->mask[i * p->w + j];
}

/* A piece without alpha (JPEG) is drawn on a flat surround (black, white):
 * flood the surround from the border; what is left is the shape.  Without
 * such a surround, the whole rectangle. */
static void
mask_from_surround(struct piece *p, const struct image *small)
{
	int w = p->w, h = p->h;
	size_t n = (size_t)w * (size_t)h;
	const uint8_t *px = small->rgba;
	size_t corner[4] = {0, (size_t)w - 1, (size_t)(h - 1) * (size_t)w, n - 1};
	int ref[3] = {0, 0, 0};
	for (int k = 0; k < 4; k++)
		for (int c = 0; c < 3; c++)
			ref[c] += px[corner[k] * 4 + c];
	for (int c = 0; c < 3; c++)
		ref[c] /= 4;
	int flat = 1;
	for (int k = 0; k < 4 && flat; k++)
		for (int c = 0; c < 3; c++)
			flat &= abs(px[corner[k] * 4 + c] - ref[c]) <= 20;
	memset(p->mask, 1, n);
	int dark = ref[0] < 48 && ref[1] < 48 && ref[2] < 48;
	int light = ref[0] > 207 && ref[1] > 207 && ref[2] > 207;
	if (!flat || !(dark || light))
		return;
	size_t *stack = xmalloc(n * sizeof(size_t)), top = 0, outside = 0;
#define NEAR(k) (abs(px[(k) * 4] - ref[0]) + abs(px[(k) * 4 + 1] - ref[1]) + \
		 abs(px[(k) * 4 + 2] - ref[2]) <= 60)
#define PUSH(k) do { if (p->mask[k] && NEAR(k)) { p->mask[k] = 0; outside++; stack[top++] = (k); } } while (0)
	for (int j = 0; j < w; j++) {
		PUSH((size_t)j);
		PUSH((size_t)(h - 1) * (size_t)w + (size_t)j);
	}
	for (int i = 0; i < h; i++) {
		PUSH((size_t)i * (size_t)w);
		PUSH((size_t)i * (size_t)w + (size_t)w - 1);
	}
	while (top) {
		size_t k = stack[--top];
		int i = (int)(k / (size_t)w), j = (int)(k % (size_t)w);
		if (j > 0)
			PUSH(k - 1);
		if (j < w - 1)
			PUSH(k + 1);
		if (i > 0)
			PUSH(k - (size_t)w);
		if (i < h - 1)
			PUSH(k + (size_t)w);
	}
#undef PUSH
#undef NEAR
	free(stack);
	if (outside > n - n / 8) /* nearly all surround: not a shape after all */
		memset(p->mask, 1, n);
}

static void
piece_init(struct piece *p, const struct image *small)
{
	size_t n = (size_t)small->w * (size_t)small->h, inside = 0;
	p->w = small->w;
	p->h = small->h;
	p->mask = xmalloc(n);
	for (size_t k = 0; k < n; k++) {
		p->mask[k] = small->rgba[k * 4 + 3] >= 128;
		inside += p->mask[k];
	}
	if (!small->has_alpha) /* JPEG: the shape on a flat surround? */
		mask_from_surround(p, small);
	else if (inside < n / 8) /* alpha that cannot be the shape */
		memset(p->mask, 1, n);
	int tallest = 0;
	int *col = xcalloc((size_t)p->w, sizeof(int));
	for (int j = 0; j < p->w; j++) {
		for (int i = 0; i < p->h; i++)
			col[j] += p->mask[i * p->w + j];
		if (col[j] > tallest)
			tallest = col[j];
	}
	p->body_dx = -1;
	p->body_w = 0;
	for (int j = 0; j < p->w; j++) {
		if (col[j] * 2 >= tallest) {
			if (p->body_dx < 0)
				p->body_dx = j;
			p->body_w++;
		}
	}
	int widest = 0;
	p->body_h = 0;
	for (int i = 0; i < p->h; i++) {
		int row = 0;
		for (int j = 0; j < p->w; j++)
			row += p->mask[i * p->w + j];
		if (row > widest)
			widest = row;
	}
	for (int i = 0; i < p->h; i++) {
		int row = 0;
		for (int j = 0; j < p->w; j++)
			row += p->mask[i * p->w + j];
		p->body_h += row * 2 >= widest;
	}
	free(col);
}

/* (b): the mask slid along the band.  Inside samples (eroded, every other
 * pixel) measure flatness; outline pairs measure the contrast across it. */
struct template_scan {
	int *inside;       /* (row, col) pairs relative to the piece's corner */
	size_t n_inside;
	int *pairs;        /* (in row, in col, out row, out col) */
	size_t n_pairs;
};

static void
template_build(struct template_scan *t, const struct piece *p, int top, int big_h)
{
	static const int dirs[4][2] = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
	size_t cap_in = 0, cap_pairs = 0;
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < p->h; i++) {
		for (int j = 0; j < p->w; j++) {
			if (!in_mask(p, i, j))
				continue;
			if (i % 2 == 0 && j % 2 == 0 && in_mask(p, i - ERODE, j) &&
			    in_mask(p, i + ERODE, j) && in_mask(p, i, j - ERODE) &&
			    in_mask(p, i, j + ERODE) && in_mask(p, i - ERODE, j - ERODE) &&
			    in_mask(p, i + ERODE, j + ERODE) && in_mask(p, i - ERODE, j + ERODE) &&
			    in_mask(p, i + ERODE, j - ERODE)) {
				t->inside = xgrow(t->inside, &cap_in, t->n_inside * 2 + 2,
						  sizeof(int));
				t->inside[t->n_inside * 2] = i;
				t->inside[t->n_inside * 2 + 1] = j;
				t->n_inside++;
			}
			for (int d = 0; d < 4; d++) {
				int di = dirs[d][0], dj = dirs[d][1];
				if (in_mask(p, i + di, j + dj))
					continue;
				int ii = i - EDGE_STEP * di, ij = j - EDGE_STEP * dj;
				int oi = i + EDGE_STEP * di, oj = j + EDGE_STEP * dj;
				if (!in_mask(p, ii, ij) || in_mask(p, oi, oj) || top + oi < 0 ||
				    top + oi >= big_h)
					continue;
				t->pairs = xgrow(t->pairs, &cap_pairs, t->n_pairs * 4 + 4,
						 sizeof(int));
				int *q = t->pairs + t->n_pairs * 4;
				q[0] = ii;
				q[1] = ij;
				q[2] = oi;
				q[3] = oj;
				t->n_pairs++;
			}
		}
	}
}

static void
template_finish(struct template_scan *t)
{
	free(t->inside);
	free(t->pairs);
}

static double
template_score(const struct template_scan *t, const struct image *big, int top, int x)
{
	const uint8_t *px = big->rgba;
	int w = big->w;
	double s[3] = {0, 0, 0}, s2[3] = {0, 0, 0};
	for (size_t k = 0; k < t->n_inside; k++) {
		const uint8_t *q = px + ((size_t)(top + t->inside[k * 2]) * (size_t)w +
					 (size_t)(x + t->inside[k * 2 + 1])) * 4;
		for (int c = 0; c < 3; c++) {
			s[c] += q[c];
			s2[c] += (double)q[c] * q[c];
		}
	}
	double var = 0;
	if (t->n_inside) {
		for (int c = 0; c < 3; c++) {
			double m = s[c] / (double)t->n_inside;
			double v = s2[c] / (double)t->n_inside - m * m;
			var += v > 0 ? v : 0;
		}
	}
	/* contrast across the outline, per side: a gap differs from its
	 * surroundings on every side, a flat patch that merely touches an edge
	 * of the picture's objects does not */
	double edge[4] = {0, 0, 0, 0};
	size_t n[4] = {0, 0, 0, 0};
	for (size_t k = 0; k < t->n_pairs; k++) {
		const int *q = t->pairs + k * 4;
		int oj = x + q[3];
		if (oj < 0 || oj >= w)
			continue;
		const uint8_t *a = px + ((size_t)(top + q[0]) * (size_t)w + (size_t)(x + q[1])) * 4;
		const uint8_t *b = px + ((size_t)(top + q[2]) * (size_t)w + (size_t)oj) * 4;
		int side = q[3] > q[1] ? 0 : q[3] < q[1] ? 1 : q[2] > q[0] ? 2 : 3;
		edge[side] += abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]);
		n[side]++;
	}
	double all = 0, weakest = -1;
	size_t total = 0;
	for (int side = 0; side < 4; side++) {
		all += edge[side];
		total += n[side];
		if (n[side] && (weakest < 0 || edge[side] / (double)n[side] < weakest))
			weakest = edge[side] / (double)n[side];
	}
	if (!total)
		return 0;
	return 0.5 * (all / (double)total + weakest) / (sqrt(var) + 4.0);
}

/* Returns the best x of method (b) and its confidence (how far the best
 * score stands above the best elsewhere), or -1. */
static long
method_template(const struct image *big, const struct piece *p, int top, double *conf,
		double **scores_out)
{
	struct template_scan t;
	template_build(&t, p, top, big->h);
	int n = big->w - p->w + 1;
	double *score = xcalloc((size_t)n, sizeof(double));
	long best = -1;
	for (int x = 0; x < n; x++) {
		score[x] = template_score(&t, big, top, x);
		if (best < 0 || score[x] > score[best])
			best = x;
	}
	template_finish(&t);
	*conf = 0;
	if (best >= 0 && score[best] > 0) {
		double second = 0;
		int away = p->body_w > 8 ? p->body_w / 2 : 4;
		for (int x = 0; x < n; x++)
			if (labs(x - best) > away && score[x] > second)
				second = score[x];
		*conf = 1.0 - second / score[best];
	}
	*scores_out = score;
	return best;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* (a): the largest near-square region of one quantised colour. */
static long
method_region(const struct image *big, const struct piece *p, int top, double *conf)
{
	int dw = big->w / 2, dh = p->h / 2;
	*conf = 0;
	if (dw < 2 || dh < 2)
		return -1;
	uint32_t *q = xmalloc((size_t)dw * (size_t)dh * sizeof(uint32_t));
	for (int i = 0; i < dh; i++) {
		for (int j = 0; j < dw; j++) {
			unsigned sum[3] = {0, 0, 0};
			for (int di = 0; di < 2; di++) {
				const uint8_t *a = big->rgba + ((size_t)(top + 2 * i + di) * (size_t)big->w +
								(size_t)(2 * j)) * 4;
				for (int c = 0; c < 3; c++)
					sum[c] += a[c] + a[4 + c];
			}
			uint32_t v = 0;
			for (int c = 0; c < 3; c++)
				v = (v << QBITS) | ((sum[c] / 4) >> 2);
			q[i * dw + j] = v;
		}
	}
	/* the five most frequent colours: sort a copy, count the runs */
	size_t nq = (size_t)dw * (size_t)dh;
	uint32_t *sorted = xmalloc(nq * sizeof(uint32_t));
	memcpy(sorted, q, nq * sizeof(uint32_t));
	qsort(sorted, nq, sizeof(uint32_t), cmp_u32);
	uint32_t top_colour[TOP_COLOURS];
	size_t top_n[TOP_COLOURS];
	int n_top = 0;
	for (size_t a = 0, b; a < nq; a = b) {
		for (b = a + 1; b < nq && sorted[b] == sorted[a]; b++)
			;
		size_t cnt = b - a;
		int k = n_top < TOP_COLOURS ? n_top++ : TOP_COLOURS;
		if (k == TOP_COLOURS && cnt <= top_n[TOP_COLOURS - 1])
			continue;
		if (k == TOP_COLOURS)
			k = TOP_COLOURS - 1;
		while (k > 0 && top_n[k - 1] < cnt) {
			top_n[k] = top_n[k - 1];
			top_colour[k] = top_colour[k - 1];
			k--;
		}
		top_n[k] = cnt;
		top_colour[k] = sorted[a];
	}
	free(sorted);
	int *run = xmalloc((size_t)dw * sizeof(int));
	int min_run = p->body_h / 2 / 3 > 3 ? p->body_h / 2 / 3 : 3;
	double best_area = 0;
	long best_x = -1;
	int best_w = 0, best_h = 0;
	for (int k = 0; k < n_top; k++) {
		uint32_t c = top_colour[k];
		for (int j = 0; j < dw; j++) {
			int cur = 0, longest = 0;
			for (int i = 0; i < dh; i++) {
				uint32_t v = q[i * dw + j];
				int near = 1;
				for (int s = 0; s < 3 && near; s++) {
					int a = (int)((v >> (QBITS * s)) & ((1u << QBITS) - 1));
					int b = (int)((c >> (QBITS * s)) & ((1u << QBITS) - 1));
					near = abs(a - b) <= 1;
				}
				cur = near ? cur + 1 : 0;
				if (cur > longest)
					longest = cur;
			}
			run[j] = longest;
		}
		for (int j = 0; j < dw;) {
			if (run[j] < min_run) {
				j++;
				continue;
			}
			int start = j;
			long sum = 0;
			while (j < dw && run[j] >= min_run)
				sum += run[j++];
			int w = j - start;
			double h = (double)sum / w;
			double ratio = w / h;
			if (ratio < 0.7 || ratio > 1.4)
				continue;
			if (w * h > best_area) {
				best_area = w * h;
				best_x = 2L * start - p->body_dx;
				best_w = w;
				best_h = (int)(h + 0.5);
			}
		}
	}
	free(run);
	free(q);
	if (best_x < 0)
		return -1;
	if (best_x > big->w - p->w)
		best_x = big->w - p->w;
	double ew = p->body_w / 2.0, eh = p->body_h / 2.0;
	double cw = best_w < ew ? best_w / ew : ew / best_w;
	double ch = best_h < eh ? best_h / eh : eh / best_h;
	*conf = cw * ch;
	return best_x;
}

int
slider_find(const struct image *big, const struct image *small, int top, long *x,
	    double *confidence, struct slider_votes *votes, char *err)
{
	*x = -1;
	*confidence = 0;
	if (!big->rgba || !small->rgba)
		return set_err(err, "captcha image missing");
	if (small->w >= big->w || small->h > big->h || small->w < 4 || small->h < 4)
		return set_err(err, "captcha piece of %dx%d does not fit a picture of %dx%d",
			       small->w, small->h, big->w, big->h);
	if (small->h == big->h || top < 0)
		top = 0; /* a full-height strip: the piece's rows are the band */
	if (top > big->h - small->h)
		top = big->h - small->h;
	struct piece p;
	piece_init(&p, small);
	double ct, cr, *scores;
	long xt = method_template(big, &p, top, &ct, &scores);
	long xr = method_region(big, &p, top, &cr);
	if (votes) {
		votes->x_template = xt;
		votes->x_region = xr;
		votes->c_template = ct;
		votes->c_region = cr;
	}
	if (xt >= 0 && xr >= 0 && labs(xt - xr) <= SLIDER_AGREE) {
		*x = xt;
		*confidence = 0.5 + 0.5 * (ct > cr ? ct : cr);
	} else if (xt >= 0 && xr >= 0) {
		/* They disagree.  The region's place, made exact by the template
		 * score around it, wins when the region is the surer one and the
		 * template scores it well, or when the template found nothing that
		 * stands out. */
		long xr2 = xr;
		for (long k = xr - SLIDER_AGREE; k <= xr + SLIDER_AGREE; k++)
			if (k >= 0 && k <= big->w - small->w && scores[k] > scores[xr2])
				xr2 = k;
		int region = (cr > ct && scores[xr2] > 0.5 * scores[xt]) || (ct < 0.1 && cr >= 0.3);
		*x = region ? xr2 : xt;
		*confidence = 0.25 * (ct > cr ? ct : cr);
	} else if (xt >= 0 || xr >= 0) {
		*x = xt >= 0 ? xt : xr;
		*confidence = 0.25 * (xt >= 0 ? ct : cr);
	}
	free(scores);
	free(p.mask);
	if (*x < 0)
		return set_err(err, "no gap found in the captcha picture");
	return 0;
}

int
slider_solve(const char *big, size_t big_len, const char *small, size_t small_len, int height,
	     long *x, double *confidence, char *err)
{
	struct image b, s;
	char why[ERRBUF_SIZE];
	image_init(&b);
	image_init(&s);
	*x = -1;
	*confidence = 0;
	int rc = -1;
	if (image_decode_base64(big, big_len, &b, why) < 0)
		set_err(err, "captcha bigImage: %s", why);
	else if (image_decode_base64(small, small_len, &s, why) < 0)
		set_err(err, "captcha smallImage: %s", why);
	else
		rc = slider_find(&b, &s, height, x, confidence, NULL, err);
	image_finish(&b);
	image_finish(&s);
	return rc;
}
