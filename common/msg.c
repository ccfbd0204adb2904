#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

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

static void
vmsg(const char *tag, const char *fmt, va_list ap)
{
	fputs("kmrep: ", stderr);
	if (tag)
		fputs(tag, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define DEFINE_MSG(name, tag, min)                    \
	void name(const char *fmt, ...)               \
	{                                             \
		if (current < (min))                  \
			return;                       \
		va_list ap;                           \
		va_start(ap, fmt);                    \
		vmsg(tag, fmt, ap);                   \
		va_end(ap);                           \
	}

DEFINE_MSG(msg_error, NULL, MSG_QUIET)
DEFINE_MSG(msg_warn, "warning: ", MSG_QUIET)
DEFINE_MSG(msg_info, NULL, MSG_NORMAL)
DEFINE_MSG(msg_verbose, NULL, MSG_VERBOSE)
DEFINE_MSG(msg_debug, "debug: ", MSG_DEBUG)
