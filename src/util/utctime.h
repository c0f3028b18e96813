// SPDX-License-Identifier: ISC
/* utctime.h - calendar arithmetic for report and log times, without the C
 * library's time zone state (timegm is not C11 or POSIX, and the Windows
 * CRT spells gmtime_r differently). */
#ifndef CM_UTCTIME_H
#define CM_UTCTIME_H

#include <time.h>

/* Length of "YYYY-MM-DDTHH:MM:SSZ" plus its NUL. */
#define UTC_STRLEN 21

/* Converts a local wall-clock time to UTC seconds since the epoch using a
 * Windows bias in minutes (UTC = local + bias).  Returns 0, or -1 if any
 * field is out of range (year 1601..9999, a real day of that month,
 * hour 0..23, minute 0..59, second 0..60, |bias| <= 1440). */
int utc_from_local(int year, int mon, int day, int hour, int min, int sec,
    long bias, time_t *out);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into buf (UTC_STRLEN bytes); years
 * outside 0..9999 are clamped to the first or last second of that range. */
void utc_format(time_t t, char *buf);

/* Parses a UTC time: "2026-01-02T03:04:05Z", "2026-01-02T03:04:05",
 * "2026-01-02 03:04:05" or "2026-01-02" (midnight).  Returns 0 and fills
 * *out, or -1 if s is none of these or not a real date (see
 * utc_from_local for the ranges). */
int utc_parse(const char *s, time_t *out);

#endif
