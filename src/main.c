// SPDX-License-Identifier: ISC
/* main.c - argv -> command -> exit code; nothing else. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd.h"

#ifndef CM_VERSION
#define CM_VERSION "0.0.0"
#endif

int
main(int argc, char **argv)
{
	struct cli c;
	struct cm_err err;

	if (cli_parse(argc, argv, &c, &err) != 0) {
		fprintf(stderr, "cmremedy: %s\n", err.msg);
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	switch (c.cmd) {
	case CMD_HELP:
		cli_usage(stdout);
		return EXIT_OK;
	case CMD_VERSION:
		printf("cmremedy %s\n", CM_VERSION);
		return EXIT_OK;
	case CMD_DIAGNOSE:
		return cmd_diagnose(&c, stdout, stderr);
	case CMD_CERTCHECK:
		return cmd_certcheck(&c, stdout, stderr);
	default:
		return cmd_run(&c, stdout, stderr);
	}
}
