// SPDX-License-Identifier: ISC
/* test_diag_utf16.c - logs saved as UTF-16 (with a byte order mark) are
 * read as UTF-8, whatever the buffer size, with ill-formed units shown
 * as U+FFFD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag/diag_logline.h"
#include "diag/diag_reader.h"

/* text (UTF-8, ASCII and 2- and 3-byte characters only) as UTF-16 with
 * a BOM; extra (raw units, host order) appended after it. */
static unsigned char *
to_utf16(const char *text, int be, const unsigned *extra, size_t nextra,
    size_t *len)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char *b = malloc(strlen(text) * 2 + nextra * 2 + 2);
	size_t o = 0, i;
	unsigned c;

	assert_non_null(b);
	b[o++] = be ? 0xFE : 0xFF;
	b[o++] = be ? 0xFF : 0xFE;
	for (i = 0; s[i] != '\0' || nextra > 0; ) {
		if (s[i] == '\0') {
			c = *extra++;
			nextra--;
		} else if (s[i] < 0x80) {
			c = s[i++];
		} else if (s[i] < 0xE0) {
			c = (s[i] & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu);
			i += 2;
		} else {
			c = (s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 |
			    (s[i + 2] & 0x3Fu);
			i += 3;
		}
		b[o++] = (unsigned char)(be ? c >> 8 : c & 0xFF);
		b[o++] = (unsigned char)(be ? c & 0xFF : c >> 8);
	}
	*len = o;
	return b;
}

/* The lines of buf[0, len) through a reader of cap bytes after the
 * UTF-16 switch, joined with '|'. */
static char *
lines(const unsigned char *buf, size_t len, size_t cap)
{
	struct diag_reader r;
	const char *l, *p;
	size_t n, got, o = 0;
	char *out = malloc(len * 2 + 16);

	assert_non_null(out);
	assert_int_equal(diag_reader_init_mem(&r, buf, len, cap), 0);
	assert_non_null(p = diag_reader_peek(&r, 2, &got));
	assert_true(got >= 2);
	assert_int_equal(diag_reader_utf16(&r, p[0] == '\xfe', 2), 0);
	while (diag_reader_line(&r, &l, &n) == 1) {
		assert_false(r.truncated);
		memcpy(out + o, l, n);
		o += n;
		out[o++] = '|';
	}
	out[o] = '\0';
	diag_reader_free(&r);
	return out;
}

static void
test_reader_converts(void **state)
{
	/* U+1F600 as a pair, a lone high and a lone low surrogate. */
	static const unsigned extra[] = { 0xD83D, 0xDE00, 0xD800, 'x',
	    0xDC00, '\n' };
	static const char want[] = "caf\xc3\xa9 \xd0\x96\xd1\x83\xd1\x80\xd0"
	    "\xbd\xd0\xb0\xd0\xbb \xe2\x82\xac|\xf0\x9f\x98\x80\xef\xbf\xbd"
	    "x\xef\xbf\xbd|";
	unsigned char *b;
	size_t len, cap;
	char *got;
	int be;
	(void)state;

	for (be = 0; be < 2; be++) {
		b = to_utf16("caf\xc3\xa9 \xd0\x96\xd1\x83\xd1\x80\xd0\xbd"
		    "\xd0\xb0\xd0\xbb \xe2\x82\xac\r\n", be, extra, 6, &len);
		/* Every buffer size cuts the input somewhere else. */
		for (cap = 32; cap <= 96; cap++) {
			got = lines(b, len, cap);
			assert_string_equal(got, want);
			free(got);
		}
		free(b);
	}
}

static void
test_reader_odd_end(void **state)
{
	static const unsigned char odd[] = { 0xFF, 0xFE, 'a', 0, 0xD8 };
	static const unsigned char high[] = { 0xFF, 0xFE, 'a', 0, 0x3D, 0xD8 };
	char *got;
	(void)state;

	got = lines(odd, sizeof(odd), 16);
	assert_string_equal(got, "a\xef\xbf\xbd|");
	free(got);
	got = lines(high, sizeof(high), 16);
	assert_string_equal(got, "a\xef\xbf\xbd|");
	free(got);
}

/* A long line in UTF-16 is cut and reported like a UTF-8 one. */
static void
test_reader_long_line(void **state)
{
	char text[200];
	unsigned char *b;
	struct diag_reader r;
	const char *l, *p;
	size_t len, n, got;
	(void)state;

	memset(text, 'a', 100);
	strcpy(text + 100, "\nb\n");
	b = to_utf16(text, 0, NULL, 0, &len);
	assert_int_equal(diag_reader_init_mem(&r, b, len, 32), 0);
	assert_non_null(p = diag_reader_peek(&r, 2, &got));
	assert_int_equal(diag_reader_utf16(&r, 0, 2), 0);
	assert_int_equal(diag_reader_line(&r, &l, &n), 1);
	assert_true(r.truncated);
	assert_true(n >= 29 && n <= 32);
	assert_int_equal(diag_reader_line(&r, &l, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(l[0], 'b');
	assert_int_equal(r.lineno, 2);
	assert_int_equal(diag_reader_line(&r, &l, &n), 0);
	diag_reader_free(&r);
	free(b);
}

struct seen {
	size_t n;
	char msg[4][128];
	long line[4];
};

static void
on_rec(void *ctx, const struct diag_file *f, const struct diag_rec *rec)
{
	struct seen *s = ctx;
	size_t n = rec->msglen < 127 ? rec->msglen : 127;

	(void)f;
	if (s->n < 4) {
		memcpy(s->msg[s->n], rec->msg, n);
		s->msg[s->n][n] = '\0';
		s->line[s->n] = rec->line;
	}
	s->n++;
}

/* Whole logs: each format detected and parsed through the conversion,
 * with small buffers too. */
static void
test_scan_utf16_logs(void **state)
{
	static const char cmtrace[] = "<![LOG[[CCMHTTP] ERROR INFO: "
	    "StatusCode= 403 StatusText= CMGConnector_Clientcertificate"
	    "required]LOG]!><time=\"09:00:00.000+000\" date=\"01-05-2026\" "
	    "component=\"LocationServices\" context=\"\" type=\"3\" "
	    "thread=\"1\" file=\"\">\r\n<![LOG[two\r\nlines]LOG]!><time="
	    "\"09:00:01.000+000\" date=\"01-05-2026\" component=\"L\" "
	    "context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n";
	static const char legacy[] = "Filtered cert count with client auth: "
	    "0  $$<SMS_CLOUD_PROXYCONNECTOR><01-05-2026 09:00:00.000+000>"
	    "<thread=6124 (0x17EC)>\r\n";
	struct diag_scan_opts o = { 0, DIAG_FMT_UNREADABLE };
	struct seen s;
	struct diag_sink sink = { &s, on_rec, NULL };
	struct diag_file *f;
	unsigned char *b;
	size_t len, bs;
	(void)state;

	for (bs = 224; bs <= 520; bs += 37) {
		o.bufsize = bs;
		b = to_utf16(cmtrace, 0, NULL, 0, &len);
		memset(&s, 0, sizeof(s));
		assert_non_null(f = diag_file_new("LocationServices.log"));
		assert_int_equal(diag_scan_mem(b, len, f, &sink, &o), 0);
		assert_int_equal(f->fmt, DIAG_FMT_CMTRACE);
		assert_int_equal(f->nerrs, 0);
		assert_int_equal(s.n, 2);
		assert_string_equal(s.msg[0],
		    "[CCMHTTP] ERROR INFO: StatusCode= 403 "
		    "StatusText= CMGConnector_Clientcertificaterequired");
		assert_string_equal(s.msg[1], "two\nlines");
		assert_int_equal(s.line[1], 2);
		diag_file_free(f);
		free(b);
	}
	b = to_utf16(legacy, 1, NULL, 0, &len);
	memset(&s, 0, sizeof(s));
	assert_non_null(f = diag_file_new("SMS_Cloud_ProxyConnector.log"));
	assert_int_equal(diag_scan_mem(b, len, f, &sink, NULL), 0);
	assert_int_equal(f->fmt, DIAG_FMT_LEGACY);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.msg[0], "Filtered cert count with client "
	    "auth: 0");
	diag_file_free(f);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_converts),
		cmocka_unit_test(test_reader_odd_end),
		cmocka_unit_test(test_reader_long_line),
		cmocka_unit_test(test_scan_utf16_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
