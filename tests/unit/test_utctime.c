// SPDX-License-Identifier: ISC
/* test_utctime.c - --since parsing, calendar arithmetic and the
 * ConfigMgr time grammar (bias sign, fractions, unpadded dates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "diag/diag_record.h"
#include "util/utctime.h"
#include "diag/diagnose.h"

/* 2026-01-02T00:00:00Z, computed independently: 56 years of days from
 * 1970 (14 leap years: 1972..2024) plus one day. */
#define JAN2_2026 ((time_t)((56LL * 365 + 14 + 1) * 86400))

static void
test_since_formats(void **state)
{
	time_t t;
	(void)state;

	assert_int_equal(utc_parse("2026-01-02", &t), 0);
	assert_true(t == JAN2_2026);
	assert_int_equal(utc_parse("2026-01-02T03:04:05Z", &t), 0);
	assert_true(t == JAN2_2026 + 3 * 3600 + 4 * 60 + 5);
	assert_int_equal(utc_parse("2026-01-02 03:04:05", &t), 0);
	assert_true(t == JAN2_2026 + 3 * 3600 + 4 * 60 + 5);
	assert_int_equal(utc_parse("2026-01-02T03:04:05", &t), 0);
	assert_true(t == JAN2_2026 + 3 * 3600 + 4 * 60 + 5);
}

static void
test_since_refuses_bad(void **state)
{
	static const char *bad[] = { "", "2026", "2026-1-02", "2026-01-2",
	    "2026-13-01", "2026-02-29", "2026-01-02T", "2026-01-02T03:04",
	    "2026-01-02T24:00:00", "2026-01-02T03:04:05ZZ", "2026-01-02x",
	    "yesterday", "2026-01-02T03:04:05+01:00" };
	time_t t;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(utc_parse(bad[i], &t), -1);
	assert_int_equal(utc_parse(NULL, &t), -1);
	assert_int_equal(utc_parse("2024-02-29", &t), 0);
}

static void
test_format_roundtrip(void **state)
{
	static const char *in[] = { "1970-01-01T00:00:00Z",
	    "2000-02-29T23:59:59Z", "2026-12-31T12:00:00Z",
	    "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z" };
	char out[UTC_STRLEN];
	time_t t;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(utc_parse(in[i], &t), 0);
		utc_format(t, out);
		assert_string_equal(out, in[i]);
	}
}

/* UTC = local + bias: +480 (US Pacific winter) is 8 hours later in UTC,
 * -120 (Central European summer) 2 hours earlier. */
static void
test_bias_sign(void **state)
{
	char out[UTC_STRLEN];
	time_t t;
	(void)state;

	assert_int_equal(diag_cm_time("01-02-2026", 10, "08:15:02.123+480",
	    16, &t), 0);
	utc_format(t, out);
	assert_string_equal(out, "2026-01-02T16:15:02Z");
	assert_int_equal(diag_cm_time("01-02-2026", 10, "18:30:00.000-120",
	    16, &t), 0);
	utc_format(t, out);
	assert_string_equal(out, "2026-01-02T16:30:00Z");
	assert_int_equal(diag_cm_time("01-02-2026", 10, "16:30:00.000+000",
	    16, &t), 0);
	utc_format(t, out);
	assert_string_equal(out, "2026-01-02T16:30:00Z");
	/* Across midnight and the year. */
	assert_int_equal(diag_cm_time("12-31-2025", 10, "23:00:00.000+120",
	    16, &t), 0);
	utc_format(t, out);
	assert_string_equal(out, "2026-01-01T01:00:00Z");
}

static void
test_intune_style(void **state)
{
	char out[UTC_STRLEN];
	time_t t;
	(void)state;

	assert_int_equal(diag_cm_time("3-12-2026", 9, "9:05:07.1234567+000",
	    19, &t), 0);
	utc_format(t, out);
	assert_string_equal(out, "2026-03-12T09:05:07Z");
	/* No bias at all is taken as UTC. */
	assert_int_equal(diag_cm_time("3-12-2026", 9, "9:05:08.5", 9, &t), 0);
	utc_format(t, out);
	assert_string_equal(out, "2026-03-12T09:05:08Z");
}

static void
test_cm_time_refuses_bad(void **state)
{
	static const char *dates[] = { "01-02-26", "1-2-2026x", "01/02/2026",
	    "13-01-2026", "02-30-2026", "", "001-02-2026" };
	static const char *times[] = { "8:15", "08:15:02.+480",
	    "08:15:02.123+", "08:15:02.123+48000", "25:00:00.000",
	    "08:15:02.123 +480", "08:15:02.1234567890" };
	time_t t;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		assert_int_equal(diag_cm_time(dates[i], strlen(dates[i]),
		    "08:15:02.123+480", 16, &t), -1);
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		assert_int_equal(diag_cm_time("01-02-2026", 10, times[i],
		    strlen(times[i]), &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_since_formats),
		cmocka_unit_test(test_since_refuses_bad),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_bias_sign),
		cmocka_unit_test(test_intune_style),
		cmocka_unit_test(test_cm_time_refuses_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
