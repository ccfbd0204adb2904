/* Why a configured cookie_file may not log kmrep in: libcurl skips a
 * missing, unreadable or malformed cookie file without a word, so when a site
 * answers with its login wall the refresh says what is wrong with the file. */
#ifndef KMREP_FETCH_COOKIE_FILE_H
#define KMREP_FETCH_COOKIE_FILE_H

#include <stdint.h>

/* Reads the Netscape cookie file at path and looks for the login cookie
 * called name (黑猫: SUB) that host would get (the cookie's domain is host or
 * a parent of it).  Returns 0 when there is one that has not expired by now,
 * or -1 with the reason in err: "not readable (...)", "empty, no NAME cookie
 * in it", "no NAME cookie in it", "its NAME cookie is for D, not HOST", "its
 * NAME cookie expired on DATE".  Cookie values are never copied into err. */
int cookie_file_check(const char *path, const char *host, const char *name, int64_t now,
		      char *err);

#endif
