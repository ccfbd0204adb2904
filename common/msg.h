/* Messages for people: one line each on stderr, prefixed "kmrep: ". Data goes
 * to stdout and never through here. */
#ifndef KMREP_MSG_H
#define KMREP_MSG_H

#include <stdarg.h>
#include <stdbool.h>

enum msg_level {
	MSG_QUIET = -1,  /* -q: errors and failures only */
	MSG_NORMAL = 0,
	MSG_VERBOSE = 1, /* -v */
	MSG_DEBUG = 2,   /* -vv */
};

/* Set once by main before anything is printed. */
void msg_set_level(enum msg_level level);
enum msg_level msg_level(void);

void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* News worth a line also under -q (not an error: "3 new platforms suggested"). */
void msg_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Suppressed by -q. */
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with -v (or -vv for debug). */
void msg_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A status line on a terminal (a refresh's progress): drawn over the previous
 * one (\r), what is left of that one blanked with spaces by display width,
 * no newline.  Every message, and msg_status_clear, blanks it first, so it
 * never mixes with other lines.  For a terminal only: the caller checks that
 * stderr is one. */
void msg_status(const char *line);
/* Blanks the status line, if one is shown, leaving the cursor at its start. */
void msg_status_clear(void);
/* True while a status line is shown (no message or clear came after it). */
bool msg_status_shown(void);

/* One line "kmrep: " tag message on stderr whatever the level, control and
 * bidi characters escaped (text_sanitize_display); tag may be NULL. */
void msg_vprint(const char *tag, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
