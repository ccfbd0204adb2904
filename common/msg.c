#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "text.h"

/* Written once by main before any other thread or output exists. */
static enum msg_level current = MSG_NORMAL;
/* The display width of the status line on the terminal (0: none shown):
 * state of stderr, like the level above. */
static size_t status_width;

void
msg_set_level(enum msg_level level)
{
	current = level;
}

enum msg_level
msg_level(void)
{
	return current;
}

static void
put_spaces(struct buf *b, size_t n)
{
	for (; n; n--)
		buf_putc(b, ' ');
}

/* Writes b to stderr at once (stderr is unbuffered: one write, no flicker). */
static void
put_status(struct buf *b)
{
	fwrite(b->data, 1, b->len, stderr);
	fflush(stderr);
	buf_finish(b);
}

void
msg_status(const char *line)
{
	size_t w = text_display_width(line);
	struct buf b;
	buf_init(&b);
	buf_putc(&b, '\r');
	buf_puts(&b, line);
	if (status_width > w) {
		/* Blank what the longer previous line left, then come back. */
		put_spaces(&b, status_width - w);
		buf_putc(&b, '\r');
		buf_puts(&b, line);
	}
	put_status(&b);
	status_width = w;
}

void
msg_status_clear(void)
{
	if (!status_width)
		return;
	struct buf b;
	buf_init(&b);
	buf_putc(&b, '\r');
	put_spaces(&b, status_width);
	buf_putc(&b, '\r');
	put_status(&b);
	status_width = 0;
}

bool
msg_status_shown(void)
{
	return status_width > 0;
}

/* Writes "kmrep: " TAG MESSAGE on one line of stderr.  A message often quotes
 * what a site sent (an error text, a merchant name), so it is shown with
 * control and bidi characters escaped: cron mails this, terminals show it. */
void
msg_vprint(const char *tag, const char *fmt, va_list ap)
{
	char *text = NULL;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	struct buf line;
	buf_init(&line);
	buf_puts(&line, "kmrep: ");
	if (tag)
		buf_puts(&line, tag);
	if (text)
		text_sanitize_display(&line, text, strlen(text), TEXT_DISPLAY_LINE);
	buf_putc(&line, '\n');
	msg_status_clear();
	fwrite(line.data, 1, line.len, stderr);
	buf_finish(&line);
	free(text);
}

#define DEFINE_MSG(name, tag, min)                    \
	void name(const char *fmt, ...)               \
	{                                             \
		if (current < (min))                  \
			return;                       \
		va_list ap;                           \
		va_start(ap, fmt);                    \
		msg_vprint(tag, fmt, ap);                   \
		va_end(ap);                           \
	}

DEFINE_MSG(msg_error, NULL, MSG_QUIET)
DEFINE_MSG(msg_warn, _("warning: "), MSG_QUIET)
DEFINE_MSG(msg_notice, NULL, MSG_QUIET)
DEFINE_MSG(msg_info, NULL, MSG_NORMAL)
DEFINE_MSG(msg_verbose, NULL, MSG_VERBOSE)
DEFINE_MSG(msg_debug, "debug: ", MSG_DEBUG)
