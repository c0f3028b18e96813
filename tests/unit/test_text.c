// SPDX-License-Identifier: ISC
/* test_text.c - the growable string and ASCII-only case folding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/text.h"

static void
test_strbuf_grows(void **state)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	int i;
	(void)state;

	for (i = 0; i < 1000; i++)
		strbuf_printf(&b, "%04d,", i);
	strbuf_puts(&b, "end");
	strbuf_put(&b, "\0x", 2);   /* embedded NUL is kept, length counts it */
	assert_false(b.failed);
	assert_int_equal(b.len, 5000 + 3 + 2);
	assert_memory_equal(b.s, "0000,0001,", 10);
	assert_memory_equal(b.s + 4995, "0999,end\0x", 10);
	assert_int_equal(b.s[b.len], '\0');
	strbuf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
}

static void
test_strbuf_failure_sticks(void **state)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	(void)state;

	strbuf_puts(&b, "a");
	b.failed = 1;
	strbuf_puts(&b, "b");
	strbuf_printf(&b, "%d", 5);
	assert_int_equal(b.len, 1);
	strbuf_free(&b);
}

static void
test_casecmp_folds_ascii_only(void **state)
{
	(void)state;
	assert_int_equal(text_casecmp("SMS_Executive", "sms_EXECUTIVE"), 0);
	assert_true(text_casecmp("a", "b") < 0);
	assert_true(text_casecmp("ab", "a") > 0);
	/* U+00C4 and U+00E4 differ: the registry folds ASCII only here. */
	assert_true(text_casecmp("\xc3\x84", "\xc3\xa4") != 0);
	assert_int_equal(text_ncasecmp("HKLM\\SOFTWARE\\X", "hklm\\software", 13),
	    0);
	assert_true(text_ncasecmp("HKLM", "HKLN", 4) != 0);
	assert_int_equal(text_ncasecmp("abc", "abd", 2), 0);
	assert_true(text_ncasecmp("ab", "abc", 3) < 0);
	assert_int_equal(text_ncasecmp("x", "y", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_grows),
		cmocka_unit_test(test_strbuf_failure_sticks),
		cmocka_unit_test(test_casecmp_folds_ascii_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
