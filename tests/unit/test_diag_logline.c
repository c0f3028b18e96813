// SPDX-License-Identifier: ISC
/* test_diag_logline.c - format detection and the three record parsers,
 * over the hand-written fixtures in tests/data/diag and small inline
 * texts, with buffers small enough to put boundaries everywhere. */
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

#include "diag/diag_logline.h"
#include "util/utctime.h"

#define D TEST_DATA "/diag/"
#define MAXR 64

struct got {
	size_t n, niis;
	struct {
		char msg[700], comp[64], when[UTC_STRLEN];
		long line;
		int has_time;
	} r[MAXR];
	struct {
		char stem[64], cip[64], when[UTC_STRLEN], text[300];
		int status, sub;
		long line;
	} i[MAXR];
};

static void
cpy(char *dst, size_t room, const char *s, size_t n)
{
	if (n >= room)
		n = room - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
on_rec(void *ctx, const struct diag_file *f, const struct diag_rec *r)
{
	struct got *g = ctx;
	(void)f;

	if (g->n == MAXR)
		return;
	cpy(g->r[g->n].msg, sizeof(g->r[0].msg), r->msg, r->msglen);
	cpy(g->r[g->n].comp, sizeof(g->r[0].comp), r->comp, r->complen);
	g->r[g->n].line = r->line;
	g->r[g->n].has_time = r->has_time;
	g->r[g->n].when[0] = '\0';
	if (r->has_time)
		utc_format(r->utc, g->r[g->n].when);
	g->n++;
}

static void
on_iis(void *ctx, const struct diag_file *f, const struct diag_iis_rec *r)
{
	struct got *g = ctx;
	time_t t;
	(void)f;

	if (g->niis == MAXR)
		return;
	cpy(g->i[g->niis].stem, 64, r->stem, r->stemlen);
	cpy(g->i[g->niis].cip, 64, r->cip, r->ciplen);
	cpy(g->i[g->niis].text, 300, r->text, r->textlen);
	g->i[g->niis].status = r->status;
	g->i[g->niis].sub = r->substatus;
	g->i[g->niis].line = r->line;
	g->i[g->niis].when[0] = '\0';
	if (diag_iis_time(r, &t) == 0)
		utc_format(t, g->i[g->niis].when);
	g->niis++;
}

static struct diag_file *
scan_path(const char *path, struct got *g, size_t bufsize, int *rc)
{
	struct diag_sink s = { g, on_rec, on_iis };
	struct diag_scan_opts o = { bufsize, DIAG_FMT_UNREADABLE };
	struct diag_file *f = diag_file_new(path);

	assert_non_null(f);
	memset(g, 0, sizeof(*g));
	*rc = diag_scan_path(path, f, &s, &o);
	return f;
}

static struct diag_file *
scan_text(const char *text, size_t len, struct got *g, size_t bufsize)
{
	struct diag_sink s = { g, on_rec, on_iis };
	struct diag_scan_opts o = { bufsize, DIAG_FMT_UNREADABLE };
	struct diag_file *f = diag_file_new("mem.log");

	assert_non_null(f);
	memset(g, 0, sizeof(*g));
	assert_int_equal(diag_scan_mem((const unsigned char *)text, len, f,
	    &s, &o), 0);
	return f;
}

/* 1 if some error message of f contains s. */
static int
has_error(const struct diag_file *f, const char *s)
{
	size_t i;

	for (i = 0; i < f->nerrs && i < DIAG_FILE_ERRS_MAX; i++)
		if (f->errs[i] != NULL && strstr(f->errs[i], s) != NULL)
			return 1;
	return 0;
}

static struct got g, g2;

static void
test_detects_each_format(void **state)
{
	static const struct {
		const char *file;
		enum diag_format fmt;
	} t[] = {
		{ D "LocationServices.log", DIAG_FMT_CMTRACE },
		{ D "CcmMessaging-intune.log", DIAG_FMT_CMTRACE },
		{ D "SMS_Cloud_ProxyConnector.log", DIAG_FMT_LEGACY },
		{ D "SMS_Cloud_ProxyConnector.lo_", DIAG_FMT_LEGACY },
		{ D "u_ex260102.log", DIAG_FMT_IIS },
		{ D "empty.log", DIAG_FMT_EMPTY },
		{ D "binary.log", DIAG_FMT_BINARY },
		{ D "unknown.log", DIAG_FMT_UNKNOWN },
	};
	struct diag_file *f;
	size_t i;
	int rc;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		f = scan_path(t[i].file, &g, 0, &rc);
		assert_int_equal(rc, 0);
		assert_int_equal(f->readable, 1);
		assert_int_equal(f->fmt, t[i].fmt);
		diag_file_free(f);
	}
	assert_string_equal(diag_format_name(DIAG_FMT_IIS), "iis");
	assert_string_equal(diag_format_name(DIAG_FMT_NONE), "none");
}

static void
test_cmtrace_records(void **state)
{
	struct diag_file *f;
	int rc;
	(void)state;

	f = scan_path(D "LocationServices.log", &g, 0, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(f->records, 5);
	assert_int_equal(f->nerrs, 0);
	assert_int_equal(g.n, 5);
	/* The multi-line record keeps its line break and its first line. */
	assert_string_equal(g.r[1].msg, "Attempting to retrieve MPs from "
	    "CMG. The client is on the Internet.\nUsing CMG "
	    "cmgsccm.contoso.com");
	assert_int_equal(g.r[1].line, 2);
	assert_int_equal(g.r[2].line, 4);
	assert_string_equal(g.r[3].comp, "LocationServices");
	assert_string_equal(g.r[3].msg, "[CCMHTTP] ERROR INFO: "
	    "StatusCode=403 StatusText=CMGConnector_Clientcertificaterequired");
	/* 08:15:02.124+480 is 16:15:02 UTC. */
	assert_string_equal(g.r[3].when, "2026-01-02T16:15:02Z");
	diag_file_free(f);

	f = scan_path(D "LocationServices-forbidden.log", &g, 0, &rc);
	assert_string_equal(g.r[1].when, "2026-01-02T16:30:00Z");   /* -120 */
	diag_file_free(f);

	f = scan_path(D "CcmMessaging-intune.log", &g, 0, &rc);
	assert_int_equal(f->nerrs, 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.r[1].when, "2026-03-12T09:05:08Z");
	assert_non_null(strstr(g.r[1].msg, "\n[CCMHTTP] ERROR INFO: "
	    "StatusCode=401"));
	diag_file_free(f);
}

/* Any buffer that holds the longest line gives the same records. */
static void
test_cmtrace_buffer_boundaries(void **state)
{
	static const size_t sizes[] = { 320, 333, 400, 512, 999 };
	struct diag_file *f;
	size_t k, i;
	int rc;
	(void)state;

	f = scan_path(D "LocationServices.log", &g2, 0, &rc);
	diag_file_free(f);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		f = scan_path(D "LocationServices.log", &g, sizes[k], &rc);
		assert_int_equal(f->nerrs, 0);
		assert_int_equal(g.n, g2.n);
		for (i = 0; i < g.n; i++) {
			assert_string_equal(g.r[i].msg, g2.r[i].msg);
			assert_string_equal(g.r[i].when, g2.r[i].when);
			assert_int_equal(g.r[i].line, g2.r[i].line);
		}
		diag_file_free(f);
	}
}

static void
test_cmtrace_long_line_is_cut(void **state)
{
	char text[600];
	struct diag_file *f;
	int n;
	(void)state;

	n = snprintf(text, sizeof(text), "<![LOG[%0300d]LOG]!><time=\"10:00:"
	    "00.000+000\" date=\"01-02-2026\" component=\"A\">\n<![LOG[ok]LOG]"
	    "!><time=\"10:00:01.000+000\" date=\"01-02-2026\" component=\"B"
	    "\">\n", 7);
	f = scan_text(text, (size_t)n, &g, 128);
	assert_true(has_error(f, "mem.log:1: line longer than 128 bytes"));
	/* The next line is still read, with its own line number. */
	assert_string_equal(g.r[g.n - 1].msg, "ok");
	assert_int_equal(g.r[g.n - 1].line, 2);
	assert_string_equal(g.r[g.n - 1].comp, "B");
	diag_file_free(f);
}

static void
test_cmtrace_truncated_and_junk(void **state)
{
	static const char t1[] = "<![LOG[first half of a rec\n"
	    "<![LOG[whole]LOG]!><time=\"1:02:03.4-60\" date=\"1-2-2026\">\n"
	    "random junk\n\n<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\n"
	    "<![LOG[no attrs]LOG]!>\n";
	struct diag_file *f;
	int rc;
	(void)state;

	f = scan_path(D "truncated.log", &g, 0, &rc);
	assert_int_equal(f->records, 1);
	assert_true(has_error(f, "truncated.log:2: truncated record: no "
	    "]LOG]!> before the end of the file"));
	diag_file_free(f);

	f = scan_text(t1, sizeof(t1) - 1, &g, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.r[0].msg, "whole");
	assert_string_equal(g.r[0].when, "2026-01-02T00:02:03Z");
	assert_int_equal(g.r[1].has_time, 0);
	assert_true(has_error(f, "mem.log:1: truncated record: no ]LOG]!> "
	    "before the next <![LOG["));
	assert_true(has_error(f, "mem.log:3: not a CMTrace record"));
	assert_true(has_error(f, "mem.log:6: record has no valid time"));
	assert_int_equal(f->nerrs, 3);      /* blank and marker are fine */
	diag_file_free(f);
}

static void
test_legacy_records(void **state)
{
	struct diag_file *f;
	int rc;
	(void)state;

	f = scan_path(D "SMS_Cloud_ProxyConnector.log", &g, 0, &rc);
	assert_int_equal(f->nerrs, 0);
	assert_int_equal(g.n, 16);
	assert_string_equal(g.r[0].msg, "Maintaining connections...");
	assert_string_equal(g.r[0].comp, "SMS_CLOUD_PROXYCONNECTOR");
	assert_string_equal(g.r[0].when, "2026-01-02T16:14:30Z");
	/* "~~" stays in the record; the rules turn it into line breaks. */
	assert_non_null(strstr(g.r[2].msg, "(403) Forbidden.~~  at "
	    "System.Net.HttpWebRequest.EndGetResponse"));
	diag_file_free(f);

	/* CRLF line ends; raw line breaks join the next record. */
	f = scan_path(D "SMS_Cloud_ProxyConnector-joined.log", &g, 0, &rc);
	assert_int_equal(f->nerrs, 0);
	assert_string_equal(g.r[3].msg, "Filtered cert count with allowed "
	    "root CA and has private key: 0");
	diag_file_free(f);
	f = scan_path(D "SMS_Cloud_ProxyConnector-noverbose.log", &g, 0, &rc);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.r[2].msg, "An exception with\na raw line break "
	    "inside");
	assert_int_equal(g.r[2].line, 3);
	diag_file_free(f);

	/* The rotated file ends in the marker: not an error. */
	f = scan_path(D "SMS_Cloud_ProxyConnector.lo_", &g, 0, &rc);
	assert_int_equal(f->records, 2);
	assert_int_equal(f->nerrs, 0);
	diag_file_free(f);
}

static void
test_legacy_malformed(void **state)
{
	static const char t[] = "ok  $$<C><01-02-2026 00:00:00.000+000>"
	    "<thread=1 (0x1)>\nbad date  $$<C><01-02-2026><thread=1>\n"
	    "no thread  $$<C><01-02-2026 00:00:01.000+000>\ndangling\n";
	struct diag_file *f;
	(void)state;

	f = scan_text(t, sizeof(t) - 1, &g, 0);
	assert_int_equal(f->fmt, DIAG_FMT_LEGACY);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.r[0].has_time, 1);
	assert_int_equal(g.r[1].has_time, 0);
	assert_int_equal(g.r[2].has_time, 0);
	assert_true(has_error(f, "mem.log:2: malformed $$<component>"));
	assert_true(has_error(f, "mem.log:3: malformed"));
	assert_true(has_error(f, "mem.log:4: truncated record"));
	diag_file_free(f);
}

static void
test_iis_fields_mapping(void **state)
{
	struct diag_file *f;
	size_t i;
	int rc;
	(void)state;

	f = scan_path(D "u_ex260102.log", &g, 0, &rc);
	assert_int_equal(f->fmt, DIAG_FMT_IIS);
	assert_int_equal(g.niis, 9);
	/* The KB's sample line, with its extra column. */
	assert_int_equal(g.i[0].status, 403);
	assert_int_equal(g.i[0].sub, 7);
	assert_string_equal(g.i[0].stem, "/SMS_MP/.sms_aut");
	assert_string_equal(g.i[0].cip, "10.0.0.20");
	assert_string_equal(g.i[0].when, "2026-01-02T16:15:02Z");
	assert_int_equal(g.i[0].line, 5);
	/* After the second #Fields: line the columns are in another order. */
	assert_int_equal(g.i[5].status, 403);
	assert_int_equal(g.i[5].sub, 13);
	assert_string_equal(g.i[5].cip, "10.0.0.20");
	assert_string_equal(g.i[5].when, "2026-01-02T17:00:01Z");
	assert_string_equal(g.i[6].stem, "/sms_mp/.sms_aut");
	for (i = 0; i < g.niis; i++)
		assert_null(strchr(g.i[i].text, '\r'));
	assert_true(has_error(f, "u_ex260102.log:18: record has 5 columns, "
	    "#Fields: names 7"));
	assert_true(has_error(f, "u_ex260102.log:19: sc-status is not a "
	    "number"));
	assert_true(has_error(f, "u_ex260102.log:20: last line has no line "
	    "end"));
	diag_file_free(f);
}

static void
test_iis_without_fields(void **state)
{
	static const char t1[] = "#Software: Microsoft Internet Information "
	    "Services 10.0\n2026-01-02 00:00:00 GET / 403 7\n";
	static const char t2[] = "#Fields: date time cs-uri-stem\n"
	    "2026-01-02 00:00:00 /SMS_MP/x\n";
	struct diag_file *f;
	(void)state;

	f = scan_text(t1, sizeof(t1) - 1, &g, 0);
	assert_int_equal(f->fmt, DIAG_FMT_IIS);
	assert_int_equal(g.niis, 0);
	assert_true(has_error(f, "mem.log:2: record before any usable "
	    "#Fields: line"));
	diag_file_free(f);
	f = scan_text(t2, sizeof(t2) - 1, &g, 0);
	assert_true(has_error(f, "mem.log:1: #Fields: has no sc-status"));
	assert_int_equal(g.niis, 1);
	assert_int_equal(g.i[0].status, -1);
	diag_file_free(f);
}

/* Columns of every width around the 8-byte words of the space search. */
static void
test_iis_columns_at_every_offset(void **state)
{
	char text[4096], stem[40], cip[40];
	size_t len = 0, k;
	struct diag_file *f;
	(void)state;

	len += (size_t)snprintf(text, sizeof(text), "#Fields: c-ip "
	    "cs-uri-stem sc-status sc-substatus\n");
	for (k = 0; k < 30; k++) {
		snprintf(stem, sizeof(stem), "/SMS_MP/%.*s", (int)(k % 17),
		    "abcdefghijklmnopq");
		snprintf(cip, sizeof(cip), "10.%zu.%.*s", k, (int)(k % 9),
		    "123456789");
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "%s %s 403 %zu\n", cip, stem, k);
	}
	f = scan_text(text, len, &g, 0);
	assert_int_equal(f->nerrs, 0);
	assert_int_equal(g.niis, 30);
	for (k = 0; k < 30; k++) {
		snprintf(stem, sizeof(stem), "/SMS_MP/%.*s", (int)(k % 17),
		    "abcdefghijklmnopq");
		snprintf(cip, sizeof(cip), "10.%zu.%.*s", k, (int)(k % 9),
		    "123456789");
		assert_string_equal(g.i[k].stem, stem);
		assert_string_equal(g.i[k].cip, cip);
		assert_int_equal(g.i[k].sub, (int)k);
		assert_int_equal(g.i[k].when[0], '\0');   /* no date column */
	}
	diag_file_free(f);
}

static void
test_odd_inputs(void **state)
{
	static const char utf16[] = "\xff\xfe<\0!\0[\0";
	static const char bom[] = "\xef\xbb\xbf<![LOG[x]LOG]!><time=\"1:00:00"
	    ".000+000\" date=\"1-1-2026\">\n";
	static const char blank[] = " \r\n\t\n";
	struct diag_file *f;
	(void)state;

	/* UTF-16 is read (test_diag_utf16.c); this much of it is no log. */
	f = scan_text(utf16, sizeof(utf16) - 1, &g, 0);
	assert_int_equal(f->fmt, DIAG_FMT_UNKNOWN);
	assert_false(has_error(f, "UTF-16"));
	diag_file_free(f);
	f = scan_text(bom, sizeof(bom) - 1, &g, 0);
	assert_int_equal(f->fmt, DIAG_FMT_CMTRACE);
	assert_int_equal(f->nerrs, 0);
	assert_string_equal(g.r[0].msg, "x");
	diag_file_free(f);
	f = scan_text(blank, sizeof(blank) - 1, &g, 0);
	assert_int_equal(f->fmt, DIAG_FMT_EMPTY);
	diag_file_free(f);
	f = scan_path(D "binary.log", &g, 0, &(int){ 0 });
	assert_true(has_error(f, "binary data"));
	diag_file_free(f);
}

static void
test_unreadable_paths(void **state)
{
	char fifo[] = "/tmp/test_diag_fifoXXXXXX";
	struct diag_file *f;
	int rc, fd;
	(void)state;

	f = scan_path(D "no-such-file.log", &g, 0, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(f->readable, 0);
	assert_int_equal(f->fmt, DIAG_FMT_UNREADABLE);
	assert_true(has_error(f, "no-such-file.log: cannot open: "));
	diag_file_free(f);

	f = scan_path(D, &g, 0, &rc);
	assert_int_equal(rc, -1);
	assert_true(has_error(f, "not a regular file"));
	diag_file_free(f);

	/* A FIFO must not block the run. */
	assert_true((fd = mkstemp(fifo)) >= 0);
	close(fd);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	f = scan_path(fifo, &g, 0, &rc);
	assert_int_equal(rc, -1);
	assert_true(has_error(f, "not a regular file"));
	diag_file_free(f);
	unlink(fifo);
}

static void
test_error_list_is_bounded(void **state)
{
	char text[2000];
	size_t len = 0, k;
	struct diag_file *f;
	(void)state;

	len += (size_t)snprintf(text, sizeof(text), "<![LOG[a]LOG]!><time="
	    "\"1:00:00.000+000\" date=\"1-1-2026\">\n");
	for (k = 0; k < 25; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "junk %zu\n", k);
	f = scan_text(text, len, &g, 0);
	assert_int_equal(f->nerrs, 25);
	assert_non_null(f->errs[DIAG_FILE_ERRS_MAX - 1]);
	assert_true(has_error(f, "mem.log:11: not a CMTrace record"));
	assert_false(has_error(f, "mem.log:12:"));
	diag_file_free(f);
	diag_file_free(NULL);
}

/* An error's text went through a 512-byte buffer and was cut without a
 * sign; now it is kept whole, after the file and line. */
static void
test_error_text_is_whole(void **state)
{
	char name[700];
	struct diag_file *f;
	size_t n;
	(void)state;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_non_null(f = diag_file_new("mem.log"));
	diag_file_error(f, 7, "unknown thing '%s'", name);
	diag_file_error(f, 0, "%s!", name);
	assert_int_equal(f->nerrs, 2);
	assert_false(f->nomem);
	n = strlen(f->errs[0]);
	assert_int_equal(n, strlen("mem.log:7: unknown thing ''") + 699);
	assert_memory_equal(f->errs[0], "mem.log:7: unknown thing 'nnn", 29);
	assert_string_equal(f->errs[0] + n - 4, "nnn'");
	assert_int_equal(strlen(f->errs[1]), strlen("mem.log: !") + 699);
	assert_memory_equal(f->errs[1], "mem.log: nnn", 12);
	diag_file_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detects_each_format),
		cmocka_unit_test(test_cmtrace_records),
		cmocka_unit_test(test_cmtrace_buffer_boundaries),
		cmocka_unit_test(test_cmtrace_long_line_is_cut),
		cmocka_unit_test(test_cmtrace_truncated_and_junk),
		cmocka_unit_test(test_legacy_records),
		cmocka_unit_test(test_legacy_malformed),
		cmocka_unit_test(test_iis_fields_mapping),
		cmocka_unit_test(test_iis_without_fields),
		cmocka_unit_test(test_iis_columns_at_every_offset),
		cmocka_unit_test(test_odd_inputs),
		cmocka_unit_test(test_unreadable_paths),
		cmocka_unit_test(test_error_list_is_bounded),
		cmocka_unit_test(test_error_text_is_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
