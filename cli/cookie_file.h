/* Why a configured 黑猫 cookie_file may not log kmrep in: libcurl skips a
 * missing, unreadable or malformed cookie file without a word, so when 黑猫
 * answers with its login wall the refresh says what is wrong with the file. */
#ifndef KMREP_CLI_COOKIE_FILE_H
#define KMREP_CLI_COOKIE_FILE_H

#include <stdint.h>

/* Reads the Netscape cookie file at path and looks for a SUB cookie that
 * host would get (the cookie's domain is host or a parent of it).  Returns 0
 * when there is one that has not expired by now, or -1 with the reason in
 * err: "not readable (...)", "empty, no SUB cookie in it", "no SUB cookie in
 * it", "its SUB cookie is for D, not HOST", "its SUB cookie expired on
 * DATE".  Cookie values are never copied into err. */
int cookie_file_check(const char *path, const char *host, int64_t now, char *err);

#endif
