// SPDX-License-Identifier: ISC
/* test_cli.c - the command-line contract: commands, options, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"

static int
parse(struct cli *c, struct cm_err *err, int argc, ...)
{
	static char buf[16][64];
	char *argv[16];
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 0; i < argc; i++) {
		strcpy(buf[i], va_arg(ap, const char *));
		argv[i] = buf[i];
	}
	va_end(ap);
	return cli_parse(argc, argv, c, err);
}

static void
test_apply_all_options(void **state)
{
	struct cli c;
	struct cm_err err;
	(void)state;

	assert_int_equal(parse(&c, &err, 8, "cmremedy", "apply", "--dry-run",
	    "p.ini", "--backend", "sim:/m", "--report=r.json", "--json"), 0);
	assert_int_equal(c.cmd, CMD_APPLY);
	assert_string_equal(c.target, "p.ini");
	assert_string_equal(c.backend, "sim:/m");
	assert_string_equal(c.report, "r.json");
	assert_true(c.dry_run);
	assert_true(c.json);
}

static void
test_certcheck_options(void **state)
{
	struct cli c;
	struct cm_err err;
	(void)state;

	assert_int_equal(parse(&c, &err, 14, "cmremedy", "certcheck",
	    "--cert", "a.pfx", "--trusted-root=r1.pem", "--cert=b.pem",
	    "--store", "--password-file", "pw.txt", "--trusted-root", "r2.cer",
	    "--computer-name", "cmgcp", "--json"), 0);
	assert_int_equal(c.cmd, CMD_CERTCHECK);
	assert_int_equal(c.ncerts, 2);
	assert_string_equal(c.certs[0], "a.pfx");
	assert_string_equal(c.certs[1], "b.pem");
	assert_int_equal(c.nroots, 2);
	assert_string_equal(c.roots[0], "r1.pem");
	assert_string_equal(c.roots[1], "r2.cer");
	assert_string_equal(c.password_file, "pw.txt");
	assert_string_equal(c.computer, "cmgcp");
	assert_true(c.store);
	assert_true(c.json);
	/* No sources at all parses: the command decides the default. */
	assert_int_equal(parse(&c, &err, 2, "cmremedy", "certcheck"), 0);
	assert_int_equal(c.ncerts, 0);
	assert_false(c.store);
	assert_int_equal(parse(&c, &err, 3, "cmremedy", "certcheck", "a.pfx"),
	    -1);
	assert_non_null(strstr(err.msg, "no operand ('a.pfx')"));
	assert_int_equal(parse(&c, &err, 3, "cmremedy", "certcheck", "--cert"),
	    -1);
	assert_non_null(strstr(err.msg, "--cert needs a value"));
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "certcheck",
	    "--backend", "win32"), -1);
	assert_int_equal(err.kind, CM_ERR_USAGE);
	/* certcheck's options belong to certcheck only. */
	assert_int_equal(parse(&c, &err, 5, "cmremedy", "diagnose", "x",
	    "--cert", "a.pfx"), -1);
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "check", "p.ini",
	    "--store"), -1);
}

static void
test_certcheck_file_limit(void **state)
{
	struct cli c;
	struct cm_err err;
	char *argv[2 + 2 * (CLI_MAX_FILES + 1)];
	char *opt = "--cert", *val = "f.pem", *cmd = "certcheck",
	    *prog = "cmremedy";
	int i, n = 2;
	(void)state;

	argv[0] = prog;
	argv[1] = cmd;
	for (i = 0; i < CLI_MAX_FILES; i++) {
		argv[n++] = opt;
		argv[n++] = val;
	}
	assert_int_equal(cli_parse(n, argv, &c, &err), 0);
	assert_int_equal(c.ncerts, CLI_MAX_FILES);
	argv[n++] = opt;
	argv[n++] = val;
	assert_int_equal(cli_parse(n, argv, &c, &err), -1);
	assert_non_null(strstr(err.msg, "at most 64"));
}

static void
test_refusals(void **state)
{
	struct cli c;
	struct cm_err err;
	(void)state;

	assert_int_equal(parse(&c, &err, 1, "cmremedy"), -1);
	assert_int_equal(err.kind, CM_ERR_USAGE);
	assert_int_equal(parse(&c, &err, 3, "cmremedy", "frob", "x"), -1);
	assert_non_null(strstr(err.msg, "unknown command 'frob'"));
	assert_int_equal(parse(&c, &err, 2, "cmremedy", "plan"), -1);
	assert_non_null(strstr(err.msg, "needs a PROFILE"));
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "plan", "a", "b"), -1);
	/* plan and check do not take --dry-run or --report */
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "check", "a",
	    "--report=x"), -1);
	assert_non_null(strstr(err.msg, "not an option of 'check'"));
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "plan", "a",
	    "--dry-run"), -1);
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "apply", "a",
	    "--backend"), -1);
	assert_non_null(strstr(err.msg, "--backend needs a value"));
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "apply", "a",
	    "--backend="), -1);
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "apply", "a",
	    "--json=1"), -1);
	assert_int_equal(parse(&c, &err, 3, "cmremedy", "--help", "x"), -1);
}

static void
test_help_version_and_dashdash(void **state)
{
	struct cli c;
	struct cm_err err;
	(void)state;

	assert_int_equal(parse(&c, &err, 2, "cmremedy", "--help"), 0);
	assert_int_equal(c.cmd, CMD_HELP);
	assert_int_equal(parse(&c, &err, 2, "cmremedy", "--version"), 0);
	assert_int_equal(c.cmd, CMD_VERSION);
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "revert", "--",
	    "-odd.json"), 0);
	assert_string_equal(c.target, "-odd.json");
	assert_int_equal(parse(&c, &err, 5, "cmremedy", "diagnose", "a", "b",
	    "--since=2026-01-01"), 0);
	assert_int_equal(c.npaths, 2);
	assert_string_equal(c.since, "2026-01-01");
	assert_null(c.jobs);
	assert_int_equal(parse(&c, &err, 5, "cmremedy", "diagnose", "--jobs",
	    "3", "a"), 0);
	assert_string_equal(c.jobs, "3");
	assert_int_equal(c.npaths, 1);
	/* diagnose only. */
	assert_int_equal(parse(&c, &err, 4, "cmremedy", "plan", "p.ini",
	    "--jobs=2"), -1);
	assert_int_equal(err.kind, CM_ERR_USAGE);
}

static void
test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(cli_exit_for(CM_ERR_USAGE), 2);
	assert_int_equal(cli_exit_for(CM_ERR_INPUT), 2);
	assert_int_equal(cli_exit_for(CM_ERR_SYSTEM), 3);
	assert_int_equal(cli_exit_for(CM_ERR_TIMEOUT), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_all_options),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_certcheck_options),
		cmocka_unit_test(test_certcheck_file_limit),
		cmocka_unit_test(test_help_version_and_dashdash),
		cmocka_unit_test(test_exit_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
