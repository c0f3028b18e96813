// SPDX-License-Identifier: ISC
/* test_diag_run.c - the whole of `diagnose` through diag_run: reports
 * compared byte for byte with golden files, the JSON contract, exit codes
 * and the failures of the run itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "diag/diag_output.h"
#include "diag/diag_walk.h"
#include "diag/diagnose.h"
#include "util/utf.h"

#define D TEST_DATA "/diag/"

/* Runs diag_run into a temporary file; returns its exit code and the
 * report in *text (caller frees). */
static unsigned jobs;          /* --jobs for run(); 0: the default */

static int
run(const char *const *paths, size_t n, const char *since, int json,
    char **text)
{
	struct diag_opts o;
	struct cm_err err;
	FILE *f = tmpfile();
	long len;
	int rc;

	assert_non_null(f);
	memset(&o, 0, sizeof(o));
	o.paths = paths;
	o.npaths = n;
	o.json = json;
	o.jobs = jobs;
	if (since != NULL) {
		assert_int_equal(diag_parse_time(since, &o.since), 0);
		o.has_since = 1;
	}
	rc = diag_run(&o, f, &err);
	assert_true(rc >= 0);
	len = ftell(f);
	assert_true(len >= 0);
	assert_non_null(*text = malloc((size_t)len + 1));
	rewind(f);
	assert_int_equal(fread(*text, 1, (size_t)len, f), (size_t)len);
	(*text)[len] = '\0';
	fclose(f);
	return rc;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	assert_non_null(b = malloc((size_t)n + 1));
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	return b;
}

static void
golden(const char *const *paths, size_t n, const char *since, int json,
    int want_rc, const char *expected)
{
	char *got, *want = slurp(expected);

	assert_int_equal(run(paths, n, since, json, &got), want_rc);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "differs from %s:\n%s\n", expected, got);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static void
test_golden_reports(void **state)
{
	static const char *all[] = { D };
	static const char *since[] = { D "LogFiles", D "nope.log" };
	(void)state;

	golden(all, 1, NULL, 0, DIAG_EXIT_FINDINGS, D "expected/all.txt");
	golden(all, 1, NULL, 1, DIAG_EXIT_FINDINGS, D "expected/all.json");
	golden(since, 2, "2026-01-04T08:00:02Z", 1, DIAG_EXIT_CLEAN,
	    D "expected/since.json");
}

/* Files parsed at once change nothing in the report: every file of the
 * fixtures (more than the workers' window of files ahead), unreadable
 * paths between them, text and JSON, with and without --since. */
static void
test_jobs_same_report(void **state)
{
	static const char *paths[] = { D "nope.log", D, D "LocationServices"
	    ".log", D "also-missing.log", D "LogFiles" };
	static const unsigned nj[] = { 2, 3, 4, 8, 16, 256, 0 };
	char *want[4], *got;
	size_t i, k;
	int rc;
	(void)state;

	jobs = 1;
	for (k = 0; k < 4; k++)
		rc = run(paths, 5, k & 2 ? "2026-01-02T16:16:00Z" : NULL,
		    (int)(k & 1), &want[k]);
	assert_int_equal(rc, DIAG_EXIT_FINDINGS);
	assert_non_null(strstr(want[1], "cert-filter-empty"));
	for (i = 0; i < sizeof(nj) / sizeof(nj[0]); i++) {
		jobs = nj[i];
		for (k = 0; k < 4; k++) {
			assert_int_equal(run(paths, 5, k & 2 ?
			    "2026-01-02T16:16:00Z" : NULL, (int)(k & 1), &got),
			    DIAG_EXIT_FINDINGS);
			assert_string_equal(got, want[k]);
			free(got);
		}
	}
	jobs = 0;
	for (k = 0; k < 4; k++)
		free(want[k]);
}

static void
test_parse_jobs(void **state)
{
	unsigned v = 99;
	(void)state;

	assert_int_equal(diag_parse_jobs("1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(diag_parse_jobs("256", &v), 0);
	assert_int_equal(v, DIAG_JOBS_MAX);
	assert_int_equal(diag_parse_jobs("0", &v), -1);
	assert_int_equal(diag_parse_jobs("257", &v), -1);
	assert_int_equal(diag_parse_jobs("99999999999999999999", &v), -1);
	assert_int_equal(diag_parse_jobs("", &v), -1);
	assert_int_equal(diag_parse_jobs("2x", &v), -1);
	assert_int_equal(diag_parse_jobs("-1", &v), -1);
	assert_int_equal(diag_parse_jobs(" 2", &v), -1);
	assert_int_equal(v, DIAG_JOBS_MAX);
}

static void
expect_keys(json_t *o, const char *const *keys)
{
	const char *k;
	json_t *v;
	size_t i = 0;

	json_object_foreach(o, k, v) {
		(void)v;
		if (keys[i] == NULL)
			break;
		assert_string_equal(k, keys[i]);
		i++;
	}
	assert_null(keys[i]);
}

/* The JSON contract: keys, in order, and their types. */
static void
test_json_contract(void **state)
{
	static const char *paths[] = { D "SMS_Cloud_ProxyConnector-noverbose"
	    ".log", D "missing.log" };
	static const char *top[] = { "files", "findings", NULL };
	static const char *file[] = { "path", "format", "records", "errors",
	    NULL };
	static const char *finding[] = { "id", "severity", "cause", "stage",
	    "count", "first", "last", "evidence", "remediation", NULL };
	static const char *ev[] = { "file", "line", "time", "text", NULL };
	json_error_t je;
	json_t *root, *fd, *e;
	char *text;
	(void)state;

	assert_int_equal(run(paths, 2, NULL, 1, &text), DIAG_EXIT_FINDINGS);
	assert_non_null(root = json_loads(text, 0, &je));
	expect_keys(root, top);
	expect_keys(json_array_get(json_object_get(root, "files"), 0), file);
	e = json_array_get(json_object_get(root, "files"), 1);
	assert_string_equal(json_string_value(json_object_get(e, "format")),
	    "unreadable");
	assert_int_equal(json_array_size(json_object_get(root, "findings")),
	    1);
	fd = json_array_get(json_object_get(root, "findings"), 0);
	expect_keys(fd, finding);
	assert_string_equal(json_string_value(json_object_get(fd, "id")),
	    "verbose-logging-needed");
	assert_true(json_is_null(json_object_get(fd, "stage")));
	assert_int_equal(json_integer_value(json_object_get(fd, "count")), 1);
	assert_string_equal(json_string_value(json_object_get(fd, "first")),
	    "2026-01-03T10:00:00Z");
	e = json_array_get(json_object_get(fd, "evidence"), 0);
	expect_keys(e, ev);
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 2);
	json_decref(root);
	free(text);
}

static void
test_exit_codes(void **state)
{
	static const char *clean[] = { D "u_ex260103.log", D "empty.log" };
	static const char *none[] = { D "no-such.log", D "also-missing" };
	static const char *mixed[] = { D "no-such.log", D "u_ex260103.log" };
	char dir[] = "/tmp/test_diag_runXXXXXX", *text;
	const char *empty[1];
	(void)state;

	assert_int_equal(run(clean, 2, NULL, 0, &text), DIAG_EXIT_CLEAN);
	assert_non_null(strstr(text, "No CMG 403 cause found in 2 files "
	    "read."));
	free(text);
	assert_int_equal(run(none, 2, NULL, 0, &text), DIAG_EXIT_NOINPUT);
	assert_non_null(strstr(text, "no-such.log: cannot open: No such "
	    "file"));
	free(text);
	assert_int_equal(run(mixed, 2, NULL, 0, &text), DIAG_EXIT_CLEAN);
	free(text);
	/* A folder without logs yields nothing to read. */
	assert_non_null(mkdtemp(dir));
	empty[0] = dir;
	assert_int_equal(run(empty, 1, NULL, 1, &text), DIAG_EXIT_NOINPUT);
	assert_non_null(strstr(text, "\"format\": \"none\""));
	assert_non_null(strstr(text, "no *.log, *.lo_ or u_ex*.log files"));
	free(text);
	rmdir(dir);
	/* --since past every event: the file is read, nothing found. */
	mixed[0] = D "LocationServices.log";
	assert_int_equal(run(mixed, 2, "2026-01-03", 0, &text),
	    DIAG_EXIT_CLEAN);
	free(text);
	assert_int_equal(run(mixed, 2, "2026-01-02", 0, &text),
	    DIAG_EXIT_FINDINGS);
	free(text);
}

static void
test_write_failure(void **state)
{
	static const char *paths[] = { D "LocationServices.log" };
	struct diag_opts o;
	struct cm_err err;
	FILE *f;
	int json;
	(void)state;

	if ((f = fopen("/dev/full", "w")) == NULL)
		skip();
	memset(&o, 0, sizeof(o));
	o.paths = paths;
	o.npaths = 1;
	for (json = 0; json < 2; json++) {
		o.json = json;
		assert_int_equal(diag_run(&o, f, &err), -1);
		assert_int_equal(err.kind, CM_ERR_SYSTEM);
		assert_non_null(strstr(err.msg, "cannot write the report"));
		clearerr(f);
	}
	fclose(f);
}

/* Logs are not always UTF-8; the JSON report always is. */
static void
test_utf8_clean(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "plain", "plain" },
		{ "caf\xe9", "caf\xef\xbf\xbd" },                 /* Latin-1 */
		{ "\xe2\x82\xac ok", "\xe2\x82\xac ok" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },       /* cut */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },       /* overlong */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		  "\xef\xbf\xbd" },                       /* > U+10FFFF */
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	};
	char *c;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_non_null(c = utf8_clean(t[i].in, strlen(t[i].in)));
		assert_string_equal(c, t[i].out);
		free(c);
	}
	assert_non_null(c = utf8_clean("a\0b", 3));
	assert_string_equal(c, "a\xef\xbf\xbd" "b");
	free(c);
}

/* A log cannot send escape sequences to the terminal: in the text report
 * each control character of a record is shown as '?', and a record of
 * more than one line shows its first and " ...". */
static void
test_text_masks_control_characters(void **state)
{
	static const char rec[] = "<![LOG[[CCMHTTP] ERROR INFO: \033[2J\t"
	    "StatusCode=403 StatusText=CMGConnector_Clientcertificaterequired"
	    " \x7f\x01\x1f\r|end\nsecond line]LOG]!><time=\"08:15:02.124+480\""
	    " date=\"01-02-2026\" component=\"LocationServices\" context=\"\""
	    " type=\"3\" thread=\"4120\" file=\"ccmhttp.cpp:1235\">\r\n";
	char dir[] = "/tmp/cmremedy-test.XXXXXX", path[64], *got;
	char *plain = slurp(D "LocationServices.log");
	const char *paths[1] = { path };
	const char *p = plain;
	FILE *f;
	int i;
	(void)state;

	/* Four plain records first, or the file reads as binary. */
	for (i = 0; i < 4; i++) {
		assert_non_null(p = strchr(p, '\n'));
		p++;
	}
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/LocationServices.log", dir);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(plain, 1, (size_t)(p - plain), f),
	    (size_t)(p - plain));
	assert_int_equal(fwrite(rec, 1, sizeof(rec) - 1, f), sizeof(rec) - 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run(paths, 1, NULL, 0, &got), DIAG_EXIT_FINDINGS);
	assert_non_null(p = strstr(got, "ERROR INFO: ?[2J?StatusCode=403"));
	assert_non_null(strstr(p, "Clientcertificaterequired ????|end ...\n"));
	for (p = got; *p != '\0'; p++)
		if (*p != '\n')
			assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
	assert_null(strstr(got, "second line"));
	free(got);
	free(plain);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_log_names(void **state)
{
	(void)state;

	assert_true(diag_walk_is_log("u_ex260102.log"));
	assert_true(diag_walk_is_log("SMS_Cloud_ProxyConnector.lo_"));
	assert_true(diag_walk_is_log("LOCATIONSERVICES.LOG"));
	assert_false(diag_walk_is_log(".log"));
	assert_false(diag_walk_is_log("x.log.old"));
	assert_false(diag_walk_is_log("notes.txt"));
	assert_false(diag_walk_is_log("log"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_reports),
		cmocka_unit_test(test_jobs_same_report),
		cmocka_unit_test(test_parse_jobs),
		cmocka_unit_test(test_json_contract),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_log_names),
		cmocka_unit_test(test_text_masks_control_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
