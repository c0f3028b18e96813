// SPDX-License-Identifier: ISC
/* test_cmlog.c - CMTrace records of cmremedy.log: the exact layout, a
 * time that ConfigMgr's time grammar reads back to the same instant, text
 * that cannot end a record early, and the .log -> .lo_ rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "diag/diag_record.h"
#include "util/cmlog.h"
#include "util/utctime.h"

/* 2026-01-02T16:15:02Z and the same instant as US Pacific winter time. */
static void
pacific(struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = 126;
	tm->tm_mon = 0;
	tm->tm_mday = 2;
	tm->tm_hour = 8;
	tm->tm_min = 15;
	tm->tm_sec = 2;
}

static void
test_exact_layout(void **state)
{
	char buf[512];
	struct tm tm;
	size_t n;
	(void)state;

	pacific(&tm);
	n = cmlog_format(buf, sizeof(buf), CMLOG_WARNING, "set X: 0 -> 1",
	    &tm, 7, 480, 4242);
	assert_string_equal(buf, "<![LOG[set X: 0 -> 1]LOG]!><time=\""
	    "08:15:02.007+480\" date=\"01-02-2026\" component=\"cmremedy\" "
	    "context=\"\" type=\"2\" thread=\"4242\" file=\"\">\n");
	assert_int_equal(n, strlen(buf));
	n = cmlog_format(buf, sizeof(buf), CMLOG_ERROR, "x", &tm, 999, -60, 1);
	assert_non_null(strstr(buf, "time=\"08:15:02.999-060\""));
	assert_non_null(strstr(buf, "type=\"3\""));
	cmlog_format(buf, sizeof(buf), CMLOG_INFO, "x", &tm, 0, 0, 1);
	assert_non_null(strstr(buf, "time=\"08:15:02.000+000\""));
}

/* What the diagnose parser makes of our time and date is the instant we
 * meant: local 08:15:02 with bias +480 is 16:15:02 UTC. */
static void
test_time_reads_back(void **state)
{
	char buf[512], *t, *d;
	struct tm tm;
	time_t got, want;
	(void)state;

	pacific(&tm);
	cmlog_format(buf, sizeof(buf), CMLOG_INFO, "x", &tm, 123, 480, 1);
	t = strstr(buf, "time=\"") + 6;
	d = strstr(buf, "date=\"") + 6;
	assert_int_equal(diag_cm_time(d, 10, t, 16, &got), 0);
	assert_int_equal(utc_parse("2026-01-02T16:15:02Z", &want), 0);
	assert_true(got == want);
}

static void
test_text_cannot_end_record(void **state)
{
	char buf[512];
	struct tm tm;
	(void)state;

	pacific(&tm);
	cmlog_format(buf, sizeof(buf), CMLOG_INFO, "a]LOG]!>b\r\nc", &tm, 0,
	    0, 1);
	assert_int_equal(strncmp(buf, "<![LOG[a]LOG] !>b  c]LOG]!><time=",
	    33), 0);
	/* exactly one record end, one line break, at the end */
	assert_ptr_equal(strstr(buf, "]LOG]!>"), strrchr(buf, '!') - 5);
	assert_ptr_equal(strchr(buf, '\n'), buf + strlen(buf) - 1);
}

static void
test_long_text_is_cut_not_broken(void **state)
{
	char buf[300], text[1000];
	struct tm tm;
	size_t n;
	(void)state;

	pacific(&tm);
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	n = cmlog_format(buf, sizeof(buf), CMLOG_INFO, text, &tm, 0, 0, 1);
	assert_true(n < sizeof(buf));
	assert_int_equal(buf[n - 1], '\n');
	assert_non_null(strstr(buf, "]LOG]!><time="));
	/* too small for any record: nothing rather than half a record */
	assert_int_equal(cmlog_format(buf, 40, CMLOG_INFO, "x", &tm, 0, 0, 1),
	    0);
	assert_string_equal(buf, "");
}

static void
test_rotated_name(void **state)
{
	char *r;
	(void)state;

	r = cmlog_rotated_name("/var/lib/cmremedy/reports/cmremedy.log");
	assert_string_equal(r, "/var/lib/cmremedy/reports/cmremedy.lo_");
	free(r);
}

static long
file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int
count_records(const char *p)
{
	char line[4096];
	FILE *f = fopen(p, "r");
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		n += strncmp(line, "<![LOG[", 7) == 0 &&
		    strstr(line, "]LOG]!><time=\"") != NULL;
	fclose(f);
	return n;
}

/* Below the limit the file grows; the record that finds it at the limit
 * first moves it to .lo_ (replacing an older .lo_), then starts afresh. */
static void
test_rotation(void **state)
{
	char dir[] = "/tmp/cmr-cmlog-XXXXXX", log[64], old[64], cmd[96];
	struct cm_err err;
	int i;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/cmremedy.log", dir);
	snprintf(old, sizeof(old), "%s/cmremedy.lo_", dir);
	for (i = 0; i < 5; i++)
		assert_int_equal(cmlog_append(log, 1000, CMLOG_INFO, "step",
		    &err), 0);
	assert_int_equal(count_records(log), 5);
	assert_true(file_size(old) < 0);    /* 5 records: under 1000 bytes */
	while (file_size(old) < 0)
		assert_int_equal(cmlog_append(log, 1000, CMLOG_INFO, "step",
		    &err), 0);
	/* the rotated file holds every record written before, whole */
	assert_true(file_size(old) >= 1000);
	assert_int_equal(count_records(log), 1);
	i = count_records(old);
	assert_true(i >= 5);
	/* a second rotation replaces the first .lo_ */
	while (count_records(log) < i)
		assert_int_equal(cmlog_append(log, 1000, CMLOG_INFO, "next",
		    &err), 0);
	assert_int_equal(cmlog_append(log, 1000, CMLOG_ERROR, "next", &err),
	    0);
	assert_int_equal(count_records(log), 1);
	assert_int_equal(count_records(old), i);
	/* the default limit is ConfigMgr's idea of a log: 2 MB */
	assert_int_equal(CMLOG_ROTATE_AT, 2 * 1024 * 1024);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_unwritable_log_is_an_error(void **state)
{
	struct cm_err err;
	(void)state;

	assert_int_equal(cmlog_append("/nonexistent-dir/cmremedy.log", 0,
	    CMLOG_INFO, "x", &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/cmremedy.log"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_layout),
		cmocka_unit_test(test_time_reads_back),
		cmocka_unit_test(test_text_cannot_end_record),
		cmocka_unit_test(test_long_text_is_cut_not_broken),
		cmocka_unit_test(test_rotated_name),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_unwritable_log_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
