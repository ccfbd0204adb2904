#include "progress.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "interrupt.h"
#include "msg.h"
#include "registry.h"
#include "text.h"
#include "timeutil.h"
#include "xalloc.h"

struct source_progress {
	const char *label;   /* NULL: not part of the run */
	long interval_ms;
	unsigned jobs_done, jobs_total;
	struct progress_counts sum;
	double answered_at;  /* monotonic seconds of the last answer; 0: none yet */
};

struct progress {
	struct source_progress src[SOURCE_MAX];
	char *shown;         /* the line on the terminal, NULL before the first */
};

struct progress *
progress_create(bool quiet)
{
	if (quiet || !isatty(STDERR_FILENO))
		return NULL;
	return xcalloc(1, sizeof(struct progress));
}

void
progress_source(struct progress *p, size_t source, const char *label, long interval_ms)
{
	if (!p || source >= SOURCE_MAX)
		return;
	p->src[source].label = label;
	p->src[source].interval_ms = interval_ms > 0 ? interval_ms : 0;
}

void
progress_job(struct progress *p, size_t source, bool done)
{
	if (!p || source >= SOURCE_MAX)
		return;
	if (done)
		p->src[source].jobs_done++;
	else
		p->src[source].jobs_total++;
	progress_draw(p);
}

/* *sum += now - before, field by field (the counts never go below 0). */
static void
add_delta(unsigned *sum, unsigned before, unsigned now)
{
	*sum = *sum + now >= before ? *sum + now - before : 0;
}

void
progress_count(struct progress *p, size_t source, struct progress_counts *shown,
	       const struct progress_counts *now)
{
	if (!p || source >= SOURCE_MAX)
		return;
	struct progress_counts *sum = &p->src[source].sum;
	add_delta(&sum->pages_done, shown->pages_done, now->pages_done);
	add_delta(&sum->pages_known, shown->pages_known, now->pages_known);
	add_delta(&sum->pages_open, shown->pages_open, now->pages_open);
	add_delta(&sum->details_done, shown->details_done, now->details_done);
	add_delta(&sum->details_known, shown->details_known, now->details_known);
	add_delta(&sum->requests_left, shown->requests_left, now->requests_left);
	*shown = *now;
	progress_draw(p);
}

void
progress_answered(struct progress *p, size_t source)
{
	if (p && source < SOURCE_MAX)
		p->src[source].answered_at = time_monotonic_s();
}

/* Whether source counts pages and details (a complaint site's jobs). */
static bool
has_pages(const struct source_progress *s)
{
	return s->sum.pages_known || s->sum.details_known;
}

/* The politeness time source still takes, in ms: one interval before every
 * request known to remain but the first, less what already passed of the
 * interval running since the last answer. */
static double
wait_ms(const struct source_progress *s, double now)
{
	unsigned left = has_pages(s) ? s->sum.requests_left
		      : s->jobs_total > s->jobs_done ? s->jobs_total - s->jobs_done : 0;
	if (!left || !s->interval_ms)
		return 0;
	double ms = (double)left * (double)s->interval_ms;
	double passed = s->answered_at > 0 ? (now - s->answered_at) * 1000.0 : (double)s->interval_ms;
	if (passed > (double)s->interval_ms)
		passed = (double)s->interval_ms;
	return ms - passed;
}

/* "about 1 min 20 s left" into b (seconds rounded up). */
static void
put_estimate(struct buf *b, double ms)
{
	long s = (long)((ms + 999.0) / 1000.0);
	char d[64];
	if (s >= 3600)
		snprintf(d, sizeof(d), _("%ld h %ld min"), s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(d, sizeof(d), _("%ld min %ld s"), s / 60, s % 60);
	else
		snprintf(d, sizeof(d), _("%ld s"), s);
	buf_printf(b, _("about %s left"), d);
}

/* The sources' part of the line into b; finished sources (every job ended)
 * only when all_sources. */
static void
put_sources(const struct progress *p, struct buf *b, bool all_sources)
{
	const char *sep = "";
	for (size_t i = 0; i < SOURCE_MAX; i++) {
		const struct source_progress *s = &p->src[i];
		if (!s->label || !s->jobs_total || (!all_sources && s->jobs_done >= s->jobs_total))
			continue;
		buf_printf(b, "%s", sep);
		sep = " · ";
		if (!has_pages(s)) {
			buf_printf(b, "%s %u/%u", s->label, s->jobs_done, s->jobs_total);
			continue;
		}
		if (s->sum.pages_known) {
			char known[16];
			if (s->sum.pages_open)
				snprintf(known, sizeof(known), "?");
			else
				snprintf(known, sizeof(known), "%u", s->sum.pages_known);
			buf_printf(b, _("%s %u/%s pages"), s->label, s->sum.pages_done, known);
			if (s->sum.details_known)
				buf_printf(b, " · ");
		} else {
			buf_printf(b, "%s ", s->label);
		}
		if (s->sum.details_known)
			buf_printf(b, _("details %u/%u"), s->sum.details_done, s->sum.details_known);
	}
}

/* The terminal's width, 80 when it does not say. */
static size_t
columns(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Cuts b to at most width columns, ending in "..." when it was cut. */
static void
cut_to_width(struct buf *b, size_t width)
{
	if (text_display_width(buf_cstr(b)) <= width)
		return;
	size_t at = text_fit_columns(buf_cstr(b), width >= 3 ? width - 3 : 0, NULL);
	b->len = at;
	b->data[at] = '\0';
	if (width >= 3)
		buf_puts(b, "...");
}

void
progress_draw(struct progress *p)
{
	if (!p)
		return;
	if (interrupt_requested()) {
		/* Stopping: the summary line (or a second Ctrl-C's) comes next. */
		msg_status_clear();
		return;
	}
	struct buf line, est;
	buf_init(&line);
	buf_init(&est);
	put_sources(p, &line, true);
	double now = time_monotonic_s(), ms = 0;
	for (size_t i = 0; i < SOURCE_MAX; i++) {
		double w = p->src[i].label ? wait_ms(&p->src[i], now) : 0;
		if (w > ms)
			ms = w;
	}
	if (ms > 0)
		put_estimate(&est, ms);
	/* One column short of the width: a full line would wrap on some
	 * terminals, and \r would then redraw only its second half. */
	size_t width = columns() - 1;
	size_t tail = est.len ? text_display_width(buf_cstr(&est)) + 3 : 0;
	if (text_display_width(buf_cstr(&line)) + tail > width) {
		/* Short of room: what is still going on first. */
		buf_reset(&line);
		put_sources(p, &line, false);
	}
	cut_to_width(&line, width > tail ? width - tail : 0);
	if (est.len)
		buf_printf(&line, "%s%s", line.len ? " · " : "", buf_cstr(&est));
	cut_to_width(&line, width);
	const char *text = buf_cstr(&line);
	if (*text && (!p->shown || strcmp(p->shown, text) || !msg_status_shown())) {
		msg_status(text);
		free(p->shown);
		p->shown = xstrdup(text);
	}
	buf_finish(&line);
	buf_finish(&est);
}

void
progress_clear(struct progress *p)
{
	if (p)
		msg_status_clear();
}

void
progress_destroy(struct progress *p)
{
	if (!p)
		return;
	progress_clear(p);
	free(p->shown);
	free(p);
}
