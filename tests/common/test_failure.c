/* common/failure.c: every kind of stored error a source can have reads as
 * the right words, the most telling kind winning (a blocked answer is also
 * "HTML where JSON was expected"). The texts are the ones fetch/, parse/
 * and sync/ really write, and libcurl's. */
#include <stddef.h>

#include "failure.h"
#include "harness.h"

static void
test_kinds(void)
{
	static const struct {
		const char *error, *words;
	} cases[] = {
		{"merchant search: gave up after 4 attempt(s): Failed to connect to 127.0.0.1 "
		 "port 9 after 0 ms: Couldn't connect to server",
		 "the site could not be reached"},
		{"Could not resolve host: tousu.sina.com.cn", "the site could not be reached"},
		{"transfer closed with 5000 bytes remaining to read", "the site could not be reached"},
		/* libcurl's words for a dropped connection, not a changed format */
		{"gave up after 4 attempt(s): Empty reply from server",
		 "the site could not be reached"},
		{"Failed sending data to the peer", "the site could not be reached"},
		{"Failure when receiving data from the peer", "the site could not be reached"},
		{"list page 3: HTTP 456 from tousu.sina.com.cn: blocked, not asked again in this run",
		 "the site blocked kmrep's requests"},
		{"page limit: login needed for more pages (code 40001)",
		 "the site asks for a login (see cookie_file in README)"},
		{"login page where JSON was expected (passport)",
		 "the site asks for a login (see cookie_file in README)"},
		{"its SUB cookie expired on 2026-11-01",
		 "the site asks for a login (see cookie_file in README)"},
		{"gave up after 4 attempt(s): HTTP 502", "the site's server failed"},
		{"HTTP 429 with Retry-After 900 s, over the 60000 ms retry cap: gave up",
		 "the site asked kmrep to slow down"},
		{"Operation timed out after 30001 milliseconds with 10 bytes received",
		 "the site was too slow to answer"},
		{"Operation too slow. Less than 1 bytes/sec transferred the last 10 seconds",
		 "the site was too slow to answer"},
		{"response body over the 8388608-byte cap (after decompression)",
		 "the site sent an oversized answer"},
		{"code 0 but result.data has no lists[]",
		 "the site's answer was not recognised (its format may have changed)"},
		{"the list's cursor repeats",
		 "the site's answer was not recognised (its format may have changed)"},
		{"complaint not found (投诉单不存在)", "the page is gone from the site"},
		{"built-in captcha solver: no gap found in the captcha picture",
		 "the registry's captcha was not solved"},
		{"no 黑猫 merchant is named 盗号卡盟", "the site has no merchant of that name"},
		{"interrupted", "stopped by Ctrl-C"},
		{"something nobody wrote yet", "the request failed"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(failure_words(cases[i].error), cases[i].words);
	CHECK(failure_words(NULL) == NULL);
	CHECK(failure_words("") == NULL);
}

TEST_MAIN({"kinds", test_kinds})
