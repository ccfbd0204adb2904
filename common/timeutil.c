#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"

/* Howard Hinnant's days_from_civil: exact for any proleptic Gregorian date. */
int64_t
time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
time_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
time_parse_iso(const char *s, int offset_if_none, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if (digits(s + 1, 2, &h) || s[3] != ':' || digits(s + 4, 2, &mi))
			return -1;
		s += 6;
		if (*s == ':') {
			if (digits(s + 1, 2, &se))
				return -1;
			s += 3;
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
		return -1;
	/* Reject 02-30 and friends: the day must survive a round trip. */
	int64_t days = time_days_from_civil(y, (unsigned)mo, (unsigned)d);
	int ry;
	unsigned rm, rd;
	time_civil_from_days(days, &ry, &rm, &rd);
	if (rm != (unsigned)mo || rd != (unsigned)d)
		return -1;
	int offset = offset_if_none;
	if (*s == 'Z') {
		offset = 0;
		s++;
	} else if (*s == '+' || *s == '-') {
		int oh, om = 0;
		if (digits(s + 1, 2, &oh))
			return -1;
		const char *p = s + 3;
		if (*p == ':')
			p++;
		if (*p && digits(p, 2, &om))
			return -1;
		offset = (oh * 3600 + om * 60) * (*s == '-' ? -1 : 1);
		s = *p ? p + 2 : p;
	}
	if (*s)
		return -1;
	*out = days * DAY_S + h * 3600 + mi * 60 + se - offset;
	return 0;
}

int
time_parse_date(const char *s, int offset, int64_t *out)
{
	if (!s || strlen(s) != 10)
		return -1;
	return time_parse_iso(s, offset, out);
}

int
time_now(int64_t *now, char *err)
{
	const char *pin = getenv("KMREP_NOW");
	if (pin && *pin) {
		/* Strictly the documented form: a pin that is half understood is
		 * worse than none. */
		if (strlen(pin) != 20 || pin[10] != 'T' || pin[19] != 'Z' ||
		    time_parse_iso(pin, 0, now) < 0)
			return set_err(err, "KMREP_NOW '%s' is not YYYY-MM-DDTHH:MM:SSZ", pin);
		return 0;
	}
	*now = (int64_t)time(NULL);
	return 0;
}

static void
format(int64_t t, int with_t, char *out, size_t size)
{
	int64_t days = t >= 0 ? t / DAY_S : (t - DAY_S + 1) / DAY_S;
	int64_t rem = t - days * DAY_S;
	int y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	/* Formatted wide, then cut: a year past 9999 cannot overflow out. */
	char wide[64];
	if (with_t)
		snprintf(wide, sizeof(wide), "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
			 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	else
		snprintf(wide, sizeof(wide), "%04d-%02u-%02u %02d:%02d", y, m, d, (int)(rem / 3600),
			 (int)(rem / 60 % 60));
	memcpy(out, wide, size - 1);
	out[size - 1] = '\0';
}

void
time_format_utc(int64_t t, char out[static 21])
{
	format(t, 1, out, 21);
}

void
time_format_shanghai(int64_t t, char out[static 17])
{
	format(t + SHANGHAI_OFFSET_S, 0, out, 17);
}

/* See timeutil.h. */
void
time_format_shanghai_iso(int64_t t, char out[static 26])
{
	format(t + SHANGHAI_OFFSET_S, 1, out, 21);
	memcpy(out + 19, "+08:00", 7); /* in place of the Z */
}

double
time_monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
