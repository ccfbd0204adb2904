#include "progress.h"
#include "i18n.h"

#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

#include "xalloc.h"

struct progress {
	struct timespec last;
	int drawn;
};

struct progress *
progress_create(int quiet)
{
	if (quiet || !isatty(STDERR_FILENO))
		return NULL;
	return xcalloc(1, sizeof(struct progress));
}

void
progress_update(struct progress *p, unsigned done, unsigned total, unsigned new_items)
{
	if (!p)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double since = (double)(now.tv_sec - p->last.tv_sec) +
		       (double)(now.tv_nsec - p->last.tv_nsec) / 1e9;
	if (p->drawn && since < 0.5 && done < total)
		return;
	p->last = now;
	const int width = 30;
	int filled = total ? (int)((unsigned long)done * width / total) : 0;
	fputs("\r\033[K[", stderr);
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, _("] %u/%u jobs, %u new complaints"), done, total, new_items);
	fflush(stderr);
	p->drawn = 1;
}

void
progress_clear(struct progress *p)
{
	if (p && p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = 0;
	}
}

void
progress_destroy(struct progress *p)
{
	progress_clear(p);
	free(p);
}
