// SPDX-License-Identifier: ISC
/* utctime.c - proleptic Gregorian dates <-> seconds since 1970 (UTC),
 * without the C library's time zone state. */
#include "utctime.h"

#include <string.h>

/* Days since 1970-01-01; the era arithmetic keeps every division on
 * non-negative numbers so no rounding direction matters. */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int
utc_from_local(int year, int mon, int day, int hour, int min, int sec,
    long bias, time_t *out)
{
	long long s;

	if (year < 1601 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
	    day > days_in_month(year, mon) || hour < 0 || hour > 23 ||
	    min < 0 || min > 59 || sec < 0 || sec > 60 || bias < -1440 ||
	    bias > 1440)
		return -1;
	s = days_from_civil(year, mon, day) * 86400LL + hour * 3600LL +
	    min * 60LL + sec + bias * 60LL;
	*out = (time_t)s;
	return 0;
}

/* Writes v as n decimal digits (v < 10^n). */
static char *
put(char *p, unsigned v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

void
utc_format(time_t t, char *buf)
{
	long long s = (long long)t, days, rem;
	int y, m, d;
	char *p = buf;

	days = (s >= 0 ? s : s - 86399) / 86400;
	rem = s - days * 86400;
	civil_from_days(days, &y, &m, &d);
	/* Years outside 0..9999 do not fit the format; they only come from a
	 * broken clock, and are clamped rather than printed wrongly. */
	if (y < 0 || y > 9999) {
		strcpy(buf, y < 0 ? "0000-01-01T00:00:00Z" :
		    "9999-12-31T23:59:59Z");
		return;
	}
	p = put(p, (unsigned)y, 4);
	*p++ = '-';
	p = put(p, (unsigned)m, 2);
	*p++ = '-';
	p = put(p, (unsigned)d, 2);
	*p++ = 'T';
	p = put(p, (unsigned)(rem / 3600), 2);
	*p++ = ':';
	p = put(p, (unsigned)(rem / 60 % 60), 2);
	*p++ = ':';
	p = put(p, (unsigned)(rem % 60), 2);
	*p++ = 'Z';
	*p = '\0';
}

/* Reads exactly n digits at *p. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Consumes the character c at *p. */
static int
lit(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

int
utc_parse(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;

	if (s == NULL || digits(&s, 4, &y) || lit(&s, '-') ||
	    digits(&s, 2, &mo) || lit(&s, '-') || digits(&s, 2, &d))
		return -1;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) || lit(&s, ':') || digits(&s, 2, &mi) ||
		    lit(&s, ':') || digits(&s, 2, &se))
			return -1;
		if (*s == 'Z')
			s++;
	}
	if (*s != '\0')
		return -1;
	return utc_from_local(y, mo, d, h, mi, se, 0, out);
}
