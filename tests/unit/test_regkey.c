// SPDX-License-Identifier: ISC
/* test_regkey.c - the 32-bit view's WOW6432Node redirection, shared by the
 * sim backend and the .reg backup (which once disagreed on the case of
 * SOFTWARE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "reg/regkey.h"

static void
expect_path(const char *key, enum regview view, const char *want)
{
	char *p = regkey_view_path(key, view);

	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
}

static void
test_view_path(void **state)
{
	(void)state;
	expect_path("HKLM\\SOFTWARE\\Microsoft\\SMS", REGVIEW_64,
	    "HKLM\\SOFTWARE\\Microsoft\\SMS");
	expect_path("HKLM\\SOFTWARE\\Microsoft\\SMS", REGVIEW_32,
	    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\SMS");
	/* SOFTWARE in any case: the registry folds ASCII case. */
	expect_path("HKLM\\Software\\X", REGVIEW_32,
	    "HKLM\\SOFTWARE\\WOW6432Node\\X");
	expect_path("HKLM\\SOFTWARE", REGVIEW_32,
	    "HKLM\\SOFTWARE\\WOW6432Node");
	/* Only SOFTWARE is redirected, and only at a key boundary. */
	expect_path("HKLM\\SYSTEM\\X", REGVIEW_32, "HKLM\\SYSTEM\\X");
	expect_path("HKLM\\SOFTWAREX\\Y", REGVIEW_32, "HKLM\\SOFTWAREX\\Y");
	/* Already under WOW6432Node: taken as it is. */
	expect_path("HKLM\\SOFTWARE\\wow6432node\\X", REGVIEW_32,
	    "HKLM\\SOFTWARE\\wow6432node\\X");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_view_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
