/* Helpers shared by the report tests: a fixed "now" and a growable-free
 * fixture of complaints built by age.  Header-only (static functions). */
#ifndef KMREP_TEST_REPORT_FIXTURE_H
#define KMREP_TEST_REPORT_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "score.h"

/* 2027-01-15T08:00:00Z (16:00 in Shanghai): the year is 2027. */
#define NOW INT64_C(1800000000)
#define DAY INT64_C(86400)
#define FX_MAX 512

struct fx {
	struct score_complaint c[FX_MAX];
	char url[FX_MAX][40];
	size_t n;
};

/* A complaint filed age_days before NOW; no reply information, no rating,
 * NULL complainant (a person of its own), source heimao, URL .../c/<i>. */
static inline struct score_complaint *
fx_add(struct fx *f, double age_days, enum complaint_status st, enum category cat)
{
	struct score_complaint *c = &f->c[f->n];
	memset(c, 0, sizeof(*c));
	snprintf(f->url[f->n], sizeof(f->url[0]), "https://t.example/c/%zu", f->n);
	c->filed_at = NOW - (int64_t)llround(age_days * (double)DAY);
	c->status = st;
	c->category = cat;
	c->satisfaction = -1;
	c->amount_fen = -1;
	c->url = f->url[f->n];
	c->source = "heimao";
	f->n++;
	return c;
}

/* The merchant first replied hours after filing (timeline seen). */
static inline void
fx_reply(struct score_complaint *c, double hours)
{
	c->first_reply_at = c->filed_at + (int64_t)llround(hours * 3600);
	c->reply_known = 1;
}

/* The timeline was seen and the merchant never replied. */
static inline void
fx_never(struct score_complaint *c)
{
	c->first_reply_at = 0;
	c->reply_known = 1;
}

static inline struct score_input
fx_input(const struct fx *f)
{
	struct score_input in;
	memset(&in, 0, sizeof(in));
	in.now = NOW;
	in.complaints = f->c;
	in.n = f->n;
	in.previous_trend_level = -1;
	in.n_sources_with_data = 1;
	return in;
}

#endif
