// SPDX-License-Identifier: ISC
/* test_sysutil.c - folder creation (private state folders), the folder
 * listing of compat.h and atomic replace, on the POSIX side.  The Windows
 * side (wide names, the protected DACL) runs in tests/wine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "util/compat.h"
#include "util/sysutil.h"

static char top[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/cmr-sysutil.XXXXXX");
	umask(022);
	return mkdtemp(top) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];
	(void)state;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static unsigned
mode_of(const char *fmt, const char *leaf)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), fmt, top, leaf);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	return (unsigned)st.st_mode & 0777u;
}

static void
test_mkdir_private_last_levels(void **state)
{
	char p[256];
	struct cm_err err;
	(void)state;

	snprintf(p, sizeof(p), "%s/a/state/reports", top);
	assert_int_equal(sys_mkdir_private(p, 2, &err), 0);
	assert_int_equal(mode_of("%s/%s", "a"), 0755u);
	assert_int_equal(mode_of("%s/a/%s", "state"), 0700u);
	assert_int_equal(mode_of("%s/a/state/%s", "reports"), 0700u);
	/* Existing folders are fine the second time. */
	assert_int_equal(sys_mkdir_private(p, 2, &err), 0);
	assert_int_equal(sys_mkdir_p(p, &err), 0);
}

static void
test_mkdir_p_plain(void **state)
{
	char p[256];
	struct cm_err err;
	(void)state;

	snprintf(p, sizeof(p), "%s/x/y", top);
	assert_int_equal(sys_mkdir_p(p, &err), 0);
	assert_int_equal(mode_of("%s/%s", "x"), 0755u);
	assert_int_equal(mode_of("%s/x/%s", "y"), 0755u);
}

static void
test_mkdir_fails_on_a_file(void **state)
{
	char p[256];
	struct cm_err err;
	FILE *f;
	(void)state;

	snprintf(p, sizeof(p), "%s/file", top);
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
	snprintf(p, sizeof(p), "%s/file/sub", top);
	assert_int_equal(sys_mkdir_private(p, 1, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "cannot create folder"));
	snprintf(p, sizeof(p), "%s/file", top);
	assert_int_equal(sys_mkdir_private(p, 1, &err), -1);
}

static void
test_readdir_skips_dots(void **state)
{
	char p[256];
	struct cm_err err;
	struct cm_dir *d;
	const char *name;
	int n = 0, seen = 0;
	(void)state;

	snprintf(p, sizeof(p), "%s/l/one", top);
	assert_int_equal(sys_mkdir_p(p, &err), 0);
	snprintf(p, sizeof(p), "%s/l/two.log", top);
	assert_int_equal(sys_write_atomic(p, "x", 1, &err), 0);
	assert_int_equal(sys_write_atomic(p, "yz", 2, &err), 0);
	snprintf(p, sizeof(p), "%s/l", top);
	assert_non_null(d = cm_opendir(p));
	while ((name = cm_readdir(d)) != NULL) {
		n++;
		seen |= strcmp(name, "one") == 0 ? 1 :
		    strcmp(name, "two.log") == 0 ? 2 : 4;
	}
	cm_closedir(d);
	/* The replaced file is there once, with no temporary beside it. */
	assert_int_equal(n, 2);
	assert_int_equal(seen, 3);
	snprintf(p, sizeof(p), "%s/none", top);
	assert_null(cm_opendir(p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mkdir_private_last_levels,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_p_plain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_fails_on_a_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_readdir_skips_dots, setup,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
