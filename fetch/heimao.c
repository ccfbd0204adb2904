/* 黑猫投诉 request building; see heimao.h. */
#include "heimao.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "buf.h"
#include "text.h"
#include "url.h"
#include "xalloc.h"

const char *const heimao_headers[] = {
	"Referer: https://tousu.sina.com.cn/",
	"X-Requested-With: XMLHttpRequest",
	"Accept: */*",
	NULL,
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Signs ts, rs, the secret and values; see heimao.h. */
void
heimao_sign(const char *ts, const char *rs, const char *const *values, size_t n,
	char out[65])
{
	const char **all = xcalloc(n + 3, sizeof(*all));
	struct buf b;

	all[0] = ts;
	all[1] = rs;
	all[2] = HEIMAO_SECRET;
	for (size_t i = 0; i < n; i++)
		all[i + 3] = values[i];
	qsort(all, n + 3, sizeof(*all), cmp_str);
	buf_init(&b);
	for (size_t i = 0; i < n + 3; i++)
		buf_puts(&b, all[i]);
	sha256_hex(buf_cstr(&b), b.len, out);
	buf_finish(&b);
	free(all);
}

/* Fills out with 16 random alphanumerics; see heimao.h. */
void
heimao_random_rs(char out[17])
{
	static const char alphabet[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t got = 0;

	while (got < 16) {
		unsigned char r[32];
		ssize_t n = getrandom(r, sizeof(r), 0);

		if (n <= 0) {
			/* getrandom cannot fail for 32 bytes once the pool is up;
			 * fall back to the clock rather than loop forever. */
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			for (size_t i = 0; i < sizeof(r); i++)
				r[i] = (unsigned char)((unsigned long)ts.tv_nsec >> (i % 24));
			n = sizeof(r);
		}
		for (ssize_t i = 0; i < n && got < 16; i++)
			if (r[i] < 248) /* 248 = 4 * 62: no modulo bias */
				out[got++] = alphabet[r[i] % 62];
	}
	out[16] = '\0';
}

/* Writes the current Unix time in milliseconds; see heimao.h. */
void
heimao_now_ts(char out[21])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, 21, "%lld", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
base_len(const char *base)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return (int)n;
}

/* See heimao.h; caller frees. */
char *
heimao_url_company_search(const char *base, const char *keyword)
{
	char *kw = url_encode_component(keyword);
	char *url = xasprintf("%.*s/api/company/search?keywords=%s", base_len(base), base, kw);

	free(kw);
	return url;
}

/* See heimao.h; caller frees. */
char *
heimao_url_received_complaints(const char *base, const char *couid, long page,
	const char *ts, const char *rs)
{
	char spage[24], sig[65];
	char *ecouid = url_encode_component(couid);
	const char *values[] = {couid, "1", "10", spage};
	char *url;

	snprintf(spage, sizeof(spage), "%ld", page);
	heimao_sign(ts, rs, values, 4, sig);
	url = xasprintf("%.*s/api/company/received_complaints?ts=%s&rs=%s&signature=%s"
		"&couid=%s&type=1&page_size=10&page=%s",
		base_len(base), base, ts, rs, sig, ecouid, spage);
	free(ecouid);
	return url;
}

/* See heimao.h; caller frees. */
char *
heimao_url_search(const char *base, const char *keyword, long page,
	const char *ts, const char *rs)
{
	char spage[24], sig[65];
	char *kw = url_encode_component(keyword);
	const char *values[] = {keyword, "10", spage};
	char *url;

	snprintf(spage, sizeof(spage), "%ld", page);
	heimao_sign(ts, rs, values, 3, sig);
	url = xasprintf("%.*s/api/index/s?ts=%s&rs=%s&signature=%s"
		"&keywords=%s&page_size=10&page=%s",
		base_len(base), base, ts, rs, sig, kw, spage);
	free(kw);
	return url;
}

/* See heimao.h; caller frees. */
char *
heimao_url_feed(const char *base, long page, const char *ts, const char *rs)
{
	char spage[24], sig[65];
	const char *values[] = {"1", "10", spage};

	snprintf(spage, sizeof(spage), "%ld", page);
	heimao_sign(ts, rs, values, 3, sig);
	return xasprintf("%.*s/api/index/feed?ts=%s&rs=%s&signature=%s"
		"&type=1&page_size=10&page=%s",
		base_len(base), base, ts, rs, sig, spage);
}
