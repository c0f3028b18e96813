// SPDX-License-Identifier: ISC
/* test_text.c - the growable string and the lists it writes, ASCII-only
 * case folding, and the one copy of strdup, hex digits and path joining. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
test_choices_reads_as_a_sentence(void **state)
{
	static const char *const three[] = { "a", "b", "c", NULL };
	static const char *const one[] = { "only", NULL };
	static const char *const none[] = { NULL };
	struct strbuf b = { NULL, 0, 0, 0 };
	(void)state;

	strbuf_choices(&b, three, "");
	assert_string_equal(b.s, "a, b or c");
	strbuf_free(&b);
	strbuf_choices(&b, three, "\"");
	assert_string_equal(b.s, "\"a\", \"b\" or \"c\"");
	strbuf_free(&b);
	strbuf_choices(&b, one, "'");
	assert_string_equal(b.s, "'only'");
	strbuf_free(&b);
	strbuf_choices(&b, none, "\"");
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	/* After what is there already. */
	strbuf_puts(&b, "expected ");
	strbuf_choices(&b, three + 1, "");
	assert_string_equal(b.s, "expected b or c");
	strbuf_free(&b);
}

/* The lists once went into 128 and 256 bytes and were cut without a
 * word; a long one now comes out whole, its last item after the "or". */
static void
test_choices_long_list_whole(void **state)
{
	enum { N = 300 };
	static char names[N][24];
	const char *list[N + 1];
	struct strbuf b = { NULL, 0, 0, 0 };
	size_t i, want = 0;
	(void)state;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "service_%03zu", i);
		list[i] = names[i];
		want += strlen(names[i]) + 2 + (i == 0 ? 0 : i == N - 1 ?
		    4 : 2);
	}
	list[N] = NULL;
	strbuf_choices(&b, list, "\"");
	assert_false(b.failed);
	assert_int_equal(b.len, want);
	assert_int_equal(strlen(b.s), want);
	assert_memory_equal(b.s, "\"service_000\", \"service_001\", ", 30);
	assert_string_equal(b.s + want - 30,
	    "\"service_298\" or \"service_299\"");
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
	assert_int_equal(
	    text_ncasecmp("HKLM\\SOFTWARE\\X", "hklm\\software", 13), 0);
	assert_true(text_ncasecmp("HKLM", "HKLN", 4) != 0);
	assert_int_equal(text_ncasecmp("abc", "abd", 2), 0);
	assert_true(text_ncasecmp("ab", "abc", 3) < 0);
	assert_int_equal(text_ncasecmp("x", "y", 0), 0);
}

static void
test_strdup_copies_and_passes_null(void **state)
{
	char *d;
	(void)state;

	d = text_strdup("SMS_EXECUTIVE");
	assert_non_null(d);
	assert_string_equal(d, "SMS_EXECUTIVE");
	free(d);
	d = text_strdup("");
	assert_non_null(d);
	assert_string_equal(d, "");
	free(d);
	assert_null(text_strdup(NULL));
}

static void
test_hexval_all_bytes(void **state)
{
	int c, want;
	(void)state;

	for (c = -1; c < 256; c++) {
		want = c >= '0' && c <= '9' ? c - '0' :
		    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		assert_int_equal(text_hexval(c), want);
	}
	assert_int_equal(text_hexval('g'), -1);
	assert_int_equal(text_hexval('F'), 15);
	assert_int_equal(text_hexval('x'), -1);
}

static void
expect_join(const char *dir, const char *name, const char *want)
{
	char *p = text_path_join(dir, name);

	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
}

static void
test_path_join_separators(void **state)
{
	(void)state;
	expect_join("logs", "a.log", "logs/a.log");
	expect_join("logs/", "a.log", "logs/a.log");
	/* A Windows folder as typed keeps its backslash; no '/' is added. */
	expect_join("C:\\Logs\\", "a.log", "C:\\Logs\\a.log");
#ifdef _WIN32
	/* On Windows the folder's own separator, not a mix. */
	expect_join("C:\\Logs", "a.log", "C:\\Logs\\a.log");
	expect_join("C:/Logs", "a.log", "C:/Logs/a.log");
#else
	expect_join("C:\\Logs", "a.log", "C:\\Logs/a.log");
#endif
	expect_join("", "a.log", "a.log");
	expect_join("/", "etc", "/etc");
	expect_join("d", "", "d/");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_grows),
		cmocka_unit_test(test_strbuf_failure_sticks),
		cmocka_unit_test(test_choices_reads_as_a_sentence),
		cmocka_unit_test(test_choices_long_list_whole),
		cmocka_unit_test(test_casecmp_folds_ascii_only),
		cmocka_unit_test(test_strdup_copies_and_passes_null),
		cmocka_unit_test(test_hexval_all_bytes),
		cmocka_unit_test(test_path_join_separators),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
