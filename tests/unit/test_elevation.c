// SPDX-License-Identifier: ISC
/* test_elevation.c - the win32 backend's elevation decision around a
 * stand-in token query (Wine runs every process elevated, so only here can
 * "not elevated" and "query failed" happen), and the sim backend's answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backend/backend.h"

/* What the stand-in token says: the query's error number and the flag. */
struct token {
	unsigned long error;
	int elevated;
	int calls;
};

static unsigned long
query(void *ctx, int *elevated)
{
	struct token *t = ctx;

	t->calls++;
	if (t->error == 0)
		*elevated = t->elevated;
	return t->error;
}

static void
test_elevated_may_change(void **state)
{
	struct token t = { 0, 1, 0 };
	struct cm_err err;
	(void)state;

	cm_err_clear(&err);
	assert_int_equal(backend_elevation_check(query, &t, &err), 0);
	assert_int_equal(t.calls, 1);
	assert_int_equal(err.kind, CM_ERR_NONE);
}

static void
test_not_elevated_is_exit3_with_advice(void **state)
{
	struct token t = { 0, 0, 0 };
	struct cm_err err;
	(void)state;

	cm_err_clear(&err);
	assert_int_equal(backend_elevation_check(query, &t, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg,
	    "run cmremedy from an elevated prompt"));
	assert_non_null(strstr(err.msg, "nothing was changed"));
}

static void
test_failed_query_refuses(void **state)
{
	/* ERROR_ACCESS_DENIED from OpenProcessToken: unknown is not yes. */
	struct token t = { 5, 1, 0 };
	struct cm_err err;
	(void)state;

	cm_err_clear(&err);
	assert_int_equal(backend_elevation_check(query, &t, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_int_equal(err.sys, 5);
	assert_non_null(strstr(err.msg, "system error 5"));
	assert_non_null(strstr(err.msg,
	    "run cmremedy from an elevated prompt"));
}

static void
test_sim_always_may_change(void **state)
{
	struct backend *b;
	struct cm_err err;
	(void)state;

	assert_int_equal(backend_open("sim:" TEST_DATA "/sim/sample", &b, &err),
	    0);
	assert_int_equal(b->ops->version, BACKEND_OPS_VERSION);
	assert_int_equal(backend_may_change(b, &err), 0);
	backend_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elevated_may_change),
		cmocka_unit_test(test_not_elevated_is_exit3_with_advice),
		cmocka_unit_test(test_failed_query_refuses),
		cmocka_unit_test(test_sim_always_may_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
