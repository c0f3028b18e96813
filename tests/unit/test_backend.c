// SPDX-License-Identifier: ISC
/* test_backend.c - choosing a backend by name from the table of available
 * backends: every refusal is a usage error that lists what exists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backend/backend.h"

static void
expect_refused(const char *spec, const char *phrase)
{
	struct backend *b = (struct backend *)&b;
	struct cm_err err;

	cm_err_clear(&err);
	assert_int_equal(backend_open(spec, &b, &err), -1);
	assert_null(b);
	assert_int_equal(err.kind, CM_ERR_USAGE);
	if (strstr(err.msg, phrase) == NULL)
		fail_msg("%s: \"%s\", want \"%s\"", spec, err.msg, phrase);
}

static void
test_refusals_list_the_backends(void **state)
{
	(void)state;
	expect_refused("bogus", "unknown backend 'bogus': backends here: "
	    "sim:DIR");
	expect_refused("simx:/tmp", "unknown backend 'simx:/tmp'");
	expect_refused("sim:", "backend 'sim:' needs a DIR: --backend sim:DIR");
	expect_refused("sim", "needs a DIR");
#ifdef _WIN32
	expect_refused("win32:x", "backend 'win32:x' takes no argument");
#else
	expect_refused("win32", "backend 'win32' exists only in Windows "
	    "builds (and the Wine build); backends here: sim:DIR");
#endif
}

static void
test_no_spec_uses_the_environment(void **state)
{
	(void)state;
#ifndef _WIN32
	assert_int_equal(unsetenv("CMREMEDY_BACKEND"), 0);
	expect_refused(NULL, "no backend: pass --backend sim:DIR");
	assert_int_equal(setenv("CMREMEDY_BACKEND", "bogus", 1), 0);
	expect_refused(NULL, "unknown backend 'bogus'");
	assert_int_equal(setenv("CMREMEDY_BACKEND", "", 1), 0);
	expect_refused("", "no backend");
	assert_int_equal(unsetenv("CMREMEDY_BACKEND"), 0);
#endif
}

static void
test_sim_opens_by_name(void **state)
{
	struct backend *b = NULL;
	struct cm_err err;
	(void)state;

	assert_int_equal(backend_open("sim:" TEST_DATA "/sim/sample", &b, &err),
	    0);
	assert_non_null(b);
	assert_string_equal(b->spec, "sim:" TEST_DATA "/sim/sample");
	backend_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals_list_the_backends),
		cmocka_unit_test(test_no_spec_uses_the_environment),
		cmocka_unit_test(test_sim_opens_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
