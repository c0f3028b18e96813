// SPDX-License-Identifier: ISC
/* test_regval.c - value parsing (the DWORD pitfalls admins hit), equality,
 * rendering, and the UTF-8 <-> UTF-16 boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reg/regval.h"
#include "util/utf.h"

static struct cm_err e;

static void
test_dword_accepts_decimal_and_hex(void **state)
{
	struct regval v;
	(void)state;

	assert_int_equal(regval_parse(&v, REGT_DWORD, "1", &e), 0);
	assert_int_equal(v.type, REGT_DWORD);
	assert_int_equal(v.num, 1);
	assert_int_equal(regval_parse(&v, REGT_DWORD, "0x0000000A", &e), 0);
	assert_int_equal(v.num, 10);
	assert_int_equal(regval_parse(&v, REGT_DWORD, "0xFFFFFFFF", &e), 0);
	assert_int_equal(v.num, 0xFFFFFFFFu);
	assert_int_equal(regval_parse(&v, REGT_DWORD, "4294967295", &e), 0);
	assert_int_equal(v.num, 0xFFFFFFFFu);
}

static void
test_dword_refuses_bad(void **state)
{
	static const char *bad[] = { "", "-1", "+1", "0x", "0x100000000",
	    "4294967296", "1a", "0xg", " 1", "1 ", "99999999999999999999999" };
	struct regval v;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.msg[0] = '\0';
		e.kind = CM_ERR_NONE;
		assert_int_equal(regval_parse(&v, REGT_DWORD, bad[i], &e), -1);
		assert_true(e.msg[0] != '\0');
		assert_int_equal(e.kind, CM_ERR_INPUT);
	}
	assert_int_equal(regval_parse(&v, REGT_DWORD, "0x100000000", &e), -1);
	assert_non_null(strstr(e.msg, "above 0xFFFFFFFF"));
}

static void
test_qword_full_range(void **state)
{
	struct regval v;
	(void)state;

	assert_int_equal(regval_parse(&v, REGT_QWORD, "0xFFFFFFFFFFFFFFFF",
	    &e), 0);
	assert_true(v.num == UINT64_MAX);
	assert_int_equal(regval_parse(&v, REGT_QWORD, "18446744073709551616",
	    &e), -1);
}

static void
test_multi_sz_separators(void **state)
{
	struct regval v;
	const char *p;
	(void)state;

	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "a\\0C:\\dir\\0b\\\\0",
	    &e), 0);
	assert_int_equal(regval_multi_count(&v), 3);
	p = regval_multi_first(&v);
	assert_string_equal(p, "a");
	p = regval_multi_next(&v, p);
	assert_string_equal(p, "C:\\dir");
	p = regval_multi_next(&v, p);
	assert_string_equal(p, "b\\0");
	assert_null(regval_multi_next(&v, p));
	regval_free(&v);

	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "", &e), 0);
	assert_int_equal(v.len, 1);
	assert_int_equal(regval_multi_count(&v), 0);
	regval_free(&v);

	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "a\\0\\0b", &e), -1);
	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "\\0a", &e), -1);
	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "a\\0", &e), -1);
	/* A lone backslash at the end (issue 8: "a\0b\" was taken as
	 * "b\"); an escaped one is data. */
	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "a\\0b\\", &e), -1);
	assert_non_null(strstr(e.msg, "lone backslash"));
	assert_int_equal(regval_parse(&v, REGT_MULTI_SZ, "a\\0b\\\\", &e), 0);
	assert_string_equal(regval_multi_next(&v, regval_multi_first(&v)),
	    "b\\");
	regval_free(&v);
}

static void
test_binary(void **state)
{
	struct regval v;
	char *h;
	(void)state;

	assert_int_equal(regval_parse(&v, REGT_BINARY, "01,AB, ff 10", &e), 0);
	assert_int_equal(v.len, 4);
	h = regval_hex(v.data, v.len);
	assert_string_equal(h, "01abff10");
	free(h);
	regval_free(&v);
	assert_int_equal(regval_parse(&v, REGT_BINARY, "0", &e), -1);
	assert_int_equal(regval_parse(&v, REGT_BINARY, "zz", &e),
	    -1);
	assert_int_equal(regval_parse(&v, REGT_BINARY, "", &e), 0);
	assert_int_equal(v.len, 0);
}

static void
test_equal_and_copy(void **state)
{
	struct regval a, b, c;
	(void)state;

	assert_int_equal(regval_parse(&a, REGT_SZ, "x", &e), 0);
	assert_int_equal(regval_copy(&b, &a), 0);
	assert_true(regval_equal(&a, &b));
	assert_ptr_not_equal(a.data, b.data);
	assert_int_equal(regval_parse(&c, REGT_EXPAND_SZ, "x", &e),
	    0);
	assert_false(regval_equal(&a, &c));   /* type matters */
	regval_free(&c);
	regval_set_number(&c, REGT_DWORD, 1);
	assert_false(regval_equal(&a, &c));
	regval_free(&a);
	regval_free(&b);
	regval_free(NULL);
}

static void
test_format(void **state)
{
	struct regval v;
	char *s;
	const char *items[] = { "a", "q\"b" };
	(void)state;

	regval_set_number(&v, REGT_DWORD, 1);
	s = regval_format(&v);
	assert_string_equal(s, "1 (0x00000001)");
	free(s);
	regval_set_multi(&v, items, 2);
	s = regval_format(&v);
	assert_string_equal(s, "[\"a\", \"q\\\"b\"]");
	free(s);
	regval_free(&v);
	assert_int_equal(regval_set_number(&v, REGT_DWORD, 0x100000000ull), -1);
}

static void
test_types(void **state)
{
	uint32_t t;
	(void)state;

	assert_int_equal(regtype_parse("REG_EXPAND_SZ", &t), 0);
	assert_int_equal(t, REGT_EXPAND_SZ);
	assert_int_equal(regtype_parse("REG_NONE", &t), -1);
	assert_int_equal(regtype_parse("reg_dword", &t), -1);
	assert_string_equal(regtype_name(REGT_QWORD), "REG_QWORD");
	assert_null(regtype_name(99));
}

static void
test_utf_round_trip(void **state)
{
	const char *s = "S\xc3\xa9rvice \xe2\x82\xac \xf0\x9f\x98\x80";
	unsigned char *le;
	size_t n, m;
	char *back;
	(void)state;

	assert_int_equal(utf8_to_utf16le(s, strlen(s), &le, &n), 0);
	assert_int_equal(n, 2 * 12);   /* 10 BMP units + one pair */
	assert_int_equal(utf16le_to_utf8(le, n, &back, &m), 0);
	assert_string_equal(back, s);
	free(back);
	free(le);
}

static void
test_utf_refuses_invalid(void **state)
{
	static const unsigned char lone[] = { 0x00, 0xD8, 0x41, 0x00 };
	uint16_t *w;
	char *o;
	size_t n;
	(void)state;

	assert_false(utf8_valid("\xc0\x80", 2));        /* overlong NUL */
	assert_false(utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
	assert_false(utf8_valid("\xe2\x82", 2));        /* truncated */
	assert_int_equal(utf8_to_utf16("\xff", 1, &w, &n), -1);
	assert_int_equal(utf16le_to_utf8(lone, sizeof lone, &o, &n), -1);
	assert_int_equal(utf16le_to_utf8(lone, 3, &o, &n), -1);
}

/* REG_MULTI_SZ as a registry holds it: any number of trailing NULs (one
 * rule for the .reg reader and the Win32 backend); an inner empty string
 * and text that is not UTF-8 are refused. */
static void
test_multi_data(void **state)
{
	static const struct {
		const char *in;
		size_t n, len;
		const char *want;
	} ok[] = {
		{ "", 0, 1, "" },
		{ "\0", 1, 1, "" },
		{ "\0\0\0\0\0", 5, 1, "" },
		{ "a", 1, 3, "a\0" },                  /* no terminator */
		{ "a\0", 2, 3, "a\0" },
		{ "a\0b", 3, 5, "a\0b\0" },
		{ "a\0b\0\0", 5, 5, "a\0b\0" },
		{ "a\0b\0\0\0\0\0", 8, 5, "a\0b\0" },
	};
	static const struct {
		const char *in;
		size_t n;
		const char *why;
	} bad[] = {
		{ "\0a\0\0", 4, "empty string" },
		{ "a\0\0b\0\0", 6, "empty string" },
		{ "a\0\xff\0", 4, "not UTF-8" },
	};
	struct regval v;
	struct cm_err err;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(regval_set_multi_data(&v, ok[i].in, ok[i].n,
		    &err), 0);
		assert_int_equal(v.type, REGT_MULTI_SZ);
		assert_int_equal(v.len, ok[i].len);
		assert_memory_equal(v.data, ok[i].want, ok[i].len);
		regval_free(&v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(regval_set_multi_data(&v, bad[i].in, bad[i].n,
		    &err), -1);
		assert_int_equal(err.kind, CM_ERR_INPUT);
		assert_non_null(strstr(err.msg, bad[i].why));
		assert_null(v.data);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dword_accepts_decimal_and_hex),
		cmocka_unit_test(test_dword_refuses_bad),
		cmocka_unit_test(test_qword_full_range),
		cmocka_unit_test(test_multi_sz_separators),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_equal_and_copy),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_utf_round_trip),
		cmocka_unit_test(test_utf_refuses_invalid),
		cmocka_unit_test(test_multi_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
