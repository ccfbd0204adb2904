/* The registry's slider captcha: who answers it ([icp] captcha and
 * captcha_command) and the external-command plug-in.
 *
 * By default the built-in solver (parse/slider.h) answers.  A non-empty
 * [icp] captcha_command overrides it: an external program that gets the
 * challenge as JSON on standard input,
 *	{"uuid": "...", "bigImage": "<base64 PNG/JPEG>", "smallImage": "...",
 *	 "height": 40}
 * and prints the gap's x offset (a number) on standard output within
 * CAPTCHA_TIMEOUT_S seconds.  With captcha = off (or = command and no
 * command), a captcha wall leaves the ICP answer "unknown" (never "not
 * filed"). */
#ifndef KMREP_SYNC_CAPTCHA_H
#define KMREP_SYNC_CAPTCHA_H

#include "parse/icp.h"

#include "config.h"

#define CAPTCHA_TIMEOUT_S 30

/* The solver the configuration picks ("captcha_command", "builtin"), or
 * NULL when there is none; then *why (static text) says why. */
const char *captcha_solver(const struct config *cfg, const char **why);

/* Answers the challenge with the solver captcha_solver picks.  Returns 0 and
 * *x, or -1 with a one-line reason in err. */
int captcha_answer(const struct config *cfg, const struct icp_captcha *challenge, long *x,
		   char *err);

/* Runs command (through /bin/sh -c) on the challenge.  Returns 0 and *x, or
 * -1 with a one-line reason in err. */
int captcha_solve(const char *command, const struct icp_captcha *challenge, long *x, char *err);

#endif
