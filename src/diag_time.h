/* diag_time.h - calendar arithmetic for log times, without the C library's
 * time zone state (timegm is not C11 or POSIX). */
#ifndef CM_DIAG_TIME_H
#define CM_DIAG_TIME_H

#include <time.h>

/* Length of "YYYY-MM-DDTHH:MM:SSZ" plus its NUL. */
#define DIAG_TIME_STRLEN 21

/* Converts a local wall-clock time to UTC seconds since the epoch using a
 * Windows bias in minutes (UTC = local + bias).  Returns 0, or -1 if any
 * field is out of range (year 1601..9999, a real day of that month,
 * hour 0..23, minute 0..59, second 0..60, |bias| <= 1440). */
int diag_time_utc(int year, int mon, int day, int hour, int min, int sec,
    long bias, time_t *out);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into buf (DIAG_TIME_STRLEN bytes). */
void diag_time_fmt(time_t t, char *buf);

#endif
