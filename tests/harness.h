/* A tiny test harness: a test program is a table of named cases; run with no
 * argument it runs them all, with a name it runs that one (meson registers
 * each case as its own test, so a failure names the behaviour that broke).
 *
 *	static void test_jsonp(void) { CHECK_STR(got, "want"); }
 *	TEST_MAIN({"jsonp", test_jsonp}, {"empty", test_empty})
 *
 * Exit 0 on success, 1 on failure, 77 (meson's "skipped") via SKIP(). */
#ifndef KMREP_TEST_HARNESS_H
#define KMREP_TEST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int harness_failures;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			harness_failures++;                                              \
		}                                                                        \
	} while (0)

#define CHECK_INT(got, want)                                                             \
	do {                                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want);                 \
		if (g_ != w_) {                                                          \
			fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", __FILE__, __LINE__, \
				#got, g_, w_);                                           \
			harness_failures++;                                              \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                             \
	do {                                                                             \
		const char *g_ = (got), *w_ = (want);                                    \
		if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_))) {            \
			fprintf(stderr, "%s:%d: %s == \"%s\", want \"%s\"\n", __FILE__,  \
				__LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
			harness_failures++;                                              \
		}                                                                        \
	} while (0)

#define CHECK_NEAR(got, want, eps)                                                       \
	do {                                                                             \
		double g_ = (got), w_ = (want);                                          \
		if (!(g_ - w_ <= (eps) && w_ - g_ <= (eps))) {                           \
			fprintf(stderr, "%s:%d: %s == %.6f, want %.6f\n", __FILE__, __LINE__, \
				#got, g_, w_);                                           \
			harness_failures++;                                              \
		}                                                                        \
	} while (0)

#define SKIP(why)                                          \
	do {                                               \
		fprintf(stderr, "skipped: %s\n", why);     \
		exit(77);                                  \
	} while (0)

struct harness_case {
	const char *name;
	void (*fn)(void);
};

/* Reads a file under the source tree (KMREP_SRCDIR, set by meson) or an
 * absolute path; aborts the test when missing.  *len gets the size. */
char *harness_read_file(const char *path, size_t *len);
/* $KMREP_SRCDIR/rel, malloc'd. */
char *harness_path(const char *rel);

int harness_run(const struct harness_case *cases, size_t n, int argc, char **argv);

#define TEST_MAIN(...)                                                                   \
	int main(int argc, char **argv)                                                  \
	{                                                                                \
		static const struct harness_case cases[] = {__VA_ARGS__};               \
		return harness_run(cases, sizeof(cases) / sizeof(cases[0]), argc, argv); \
	}

#endif
