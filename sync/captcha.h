/* The registry's slider captcha as a plug-in point.  kmrep ships no solver
 * (one needs image decoding beyond its dependencies); [icp] captcha_command
 * names an external program that gets the challenge as JSON on standard
 * input,
 *	{"uuid": "...", "bigImage": "<base64 PNG>", "smallImage": "<base64 PNG>",
 *	 "height": 40}
 * and prints the gap's x offset (a number) on standard output within
 * CAPTCHA_TIMEOUT_S seconds.  Without one, a captcha wall leaves the ICP
 * answer "unknown" (never "not filed"). */
#ifndef KMREP_SYNC_CAPTCHA_H
#define KMREP_SYNC_CAPTCHA_H

#include "parse/icp.h"

#define CAPTCHA_TIMEOUT_S 30

/* Runs command (through /bin/sh -c) on the challenge.  Returns 0 and *x, or
 * -1 with a one-line reason in err. */
int captcha_solve(const char *command, const struct icp_captcha *challenge, long *x, char *err);

#endif
