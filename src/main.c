// SPDX-License-Identifier: ISC
/* main.c - argv -> command -> exit code; nothing else. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/expiry.h"
#include "util/compat.h"

#ifndef CM_VERSION
#define CM_VERSION "0.0.0"
#endif

static int
run(int argc, char **argv, FILE *out, FILE *errout)
{
	struct cli c;
	struct cm_err err;

	if (cli_parse(argc, argv, &c, &err) != 0) {
		fprintf(errout, "cmremedy: %s\n", err.msg);
		cli_usage(errout);
		return EXIT_USAGE;
	}
	switch (c.cmd) {
	case CMD_HELP:
		cli_usage(out);
		return EXIT_OK;
	case CMD_VERSION:
		fprintf(out, "cmremedy %s\n", CM_VERSION);
		return EXIT_OK;
	case CMD_DIAGNOSE:
		return cmd_diagnose(&c, out, errout);
	case CMD_CERTCHECK:
		return cmd_certcheck(&c, out, errout);
	case CMD_STATUS:
		return expiry_status(&c, out, errout);
	case CMD_EXPIRE:
		return expiry_expire(&c, out, errout);
	default:
		return cmd_run(&c, out, errout);
	}
}

#ifdef _WIN32
/* Windows: arguments as UTF-16 (-municode), UTF-8 from here on. */
int
wmain(int argc, wchar_t **wargv)
{
	char **argv;
	FILE *out, *errout;
	int rc;

	if ((argv = cm_args_utf8(argc, wargv)) == NULL) {
		fputs("cmremedy: cannot read the command line (out of memory "
		    "or not valid UTF-16)\n", stderr);
		return EXIT_USAGE;
	}
	out = cm_console_open(stdout);
	errout = cm_console_open(stderr);
	rc = run(argc, argv, out, errout);
	cm_console_close(out, stdout);
	cm_console_close(errout, stderr);
	cm_args_free(argc, argv);
	return rc;
}
#else
int
main(int argc, char **argv)
{
	return run(argc, argv, stdout, stderr);
}
#endif
