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
