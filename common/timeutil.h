/* Time as kmrep keeps it: UTC seconds (int64). Sources speak Asia/Shanghai
 * (UTC+8, no DST since 1991), which is a fixed offset, so no tz database is
 * needed. */
#ifndef KMREP_TIMEUTIL_H
#define KMREP_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

#define SHANGHAI_OFFSET_S (8 * 3600)
#define DAY_S 86400

/* "Now" for scoring and reports: $KMREP_NOW (YYYY-MM-DDTHH:MM:SSZ) when set,
 * else the real clock. Returns -1 and fills err when KMREP_NOW is malformed. */
int time_now(int64_t *now, char *err);

/* Days since 1970-01-01 for a proleptic Gregorian date (no libc, no tz). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z", "+08:00"-style offset or
 * nothing (then offset_if_none seconds east of UTC applies). A space may
 * replace the T; seconds may be omitted. Returns 0 and sets *out. */
int time_parse_iso(const char *s, int offset_if_none, int64_t *out);
/* "YYYY-MM-DD" at 00:00 in the given offset. */
int time_parse_date(const char *s, int offset, int64_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void time_format_utc(int64_t t, char out[static 21]);
/* Formats t in Asia/Shanghai as "YYYY-MM-DD HH:MM" (at least 17 bytes). */
void time_format_shanghai(int64_t t, char out[static 17]);

/* Formats t in Asia/Shanghai as ISO 8601 with its offset,
 * "YYYY-MM-DDTHH:MM:SS+08:00" (at least 26 bytes): the CSV's times. */
void time_format_shanghai_iso(int64_t t, char out[static 26]);

/* Seconds on the monotonic clock (for durations, never a date). */
double time_monotonic_s(void);

#endif
