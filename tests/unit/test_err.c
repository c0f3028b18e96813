// SPDX-License-Identifier: ISC
/* test_err.c - struct cm_err: a message too long for it ends in "...",
 * set or appended, so that a cut is never silent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/err.h"

/* A message of exactly n 'x's. */
static void
set_len(struct cm_err *e, size_t n)
{
	cm_err_set(e, CM_ERR_INPUT, 0, "%*s", (int)n, "");
	memset(e->msg, 'x', n);
}

static void
test_set_fits_or_says_cut(void **state)
{
	struct cm_err e;
	char long_text[CM_ERR_MSG_MAX + 100];
	(void)state;

	assert_int_equal(cm_err_set(&e, CM_ERR_SYSTEM, 5, "p:%d: %s", 3,
	    "bad"), -1);
	assert_int_equal(e.kind, CM_ERR_SYSTEM);
	assert_int_equal(e.sys, 5);
	assert_string_equal(e.msg, "p:3: bad");
	memset(long_text, 'y', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	cm_err_set(&e, CM_ERR_INPUT, 0, "%s", long_text);
	assert_int_equal(strlen(e.msg), CM_ERR_MSG_MAX - 1);
	assert_string_equal(e.msg + CM_ERR_MSG_MAX - 4, "...");
	assert_int_equal(e.msg[CM_ERR_MSG_MAX - 5], 'y');
	/* NULL drops the error and still says -1. */
	assert_int_equal(cm_err_set(NULL, CM_ERR_INPUT, 0, "x"), -1);
}

static void
test_append_adds_to_the_end(void **state)
{
	struct cm_err e;
	(void)state;

	cm_err_set(&e, CM_ERR_TIMEOUT, 1053, "S did not stop in %d ms", 60);
	cm_err_append(&e, " (simulated by %s, %s:%d)", "fail = hang-stop",
	    "services.ini", 4);
	assert_string_equal(e.msg, "S did not stop in 60 ms (simulated by "
	    "fail = hang-stop, services.ini:4)");
	/* The kind and number are the first error's. */
	assert_int_equal(e.kind, CM_ERR_TIMEOUT);
	assert_int_equal(e.sys, 1053);
	cm_err_append(&e, "%s", "");
	assert_string_equal(e.msg + strlen(e.msg) - 3, ":4)");
	cm_err_append(NULL, "nothing to append to");
}

/* What used to be snprintf(msg + at, ...): the tail cut silently. */
static void
test_append_cut_ends_in_dots(void **state)
{
	struct cm_err e;
	size_t n;
	(void)state;

	/* One byte short of room for the tail: cut, and said so. */
	set_len(&e, CM_ERR_MSG_MAX - 10);
	cm_err_append(&e, "%s", "123456789A");
	n = strlen(e.msg);
	assert_int_equal(n, CM_ERR_MSG_MAX - 1);
	assert_string_equal(e.msg + n - 9, "123456...");
	/* Exactly room: whole, no dots. */
	set_len(&e, CM_ERR_MSG_MAX - 10);
	cm_err_append(&e, "%s", "123456789");
	assert_string_equal(e.msg + CM_ERR_MSG_MAX - 10, "123456789");
	/* A full message stays marked cut, whatever is appended. */
	cm_err_append(&e, "more");
	assert_string_equal(e.msg + CM_ERR_MSG_MAX - 4, "...");
	assert_int_equal(strlen(e.msg), CM_ERR_MSG_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_fits_or_says_cut),
		cmocka_unit_test(test_append_adds_to_the_end),
		cmocka_unit_test(test_append_cut_ends_in_dots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
