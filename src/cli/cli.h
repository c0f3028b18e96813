// SPDX-License-Identifier: ISC
/* cli.h - the command line: parsing into struct cli, usage text, and the
 * exit codes (a contract: README and cmremedy.1, EXIT STATUS). */
#ifndef CM_CLI_H
#define CM_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

enum cm_exit {
	EXIT_OK = 0,            /* success; compliant (check); no findings */
	EXIT_NONCOMPLIANT = 1,  /* check: not compliant; diagnose: findings */
	EXIT_USAGE = 2,         /* usage, profile or report error; untouched */
	EXIT_SYSTEM = 3,        /* system/backend error before any change */
	EXIT_ROLLED_BACK = 4,   /* apply failed; rolled back, as before */
	EXIT_ROLLBACK_FAILED = 5, /* apply failed; rollback failed too;
				     recover could not put the machine back */
	EXIT_BUSY = 6           /* another run holds the machine lock */
};

/* --wait's default: seconds a run waits for the machine lock. */
#define LOCK_WAIT_S 600u

enum cli_cmd {
	CMD_HELP, CMD_VERSION, CMD_PLAN, CMD_APPLY, CMD_CHECK, CMD_TOGGLE,
	CMD_REVERT, CMD_DIAGNOSE, CMD_CERTCHECK, CMD_STATUS,
	CMD_EXPIRE, CMD_RECOVER
};

/* certcheck: at most this many --cert and --trusted-root files each. */
#define CLI_MAX_FILES 64

/* --for accepts at most this long: a forgotten change still ends. */
#define CLI_FOR_MAX_SECONDS (30L * 24 * 3600)

struct cli {
	enum cli_cmd cmd;
	const char *target;   /* PROFILE or REPORT; points into argv */
	const char *backend;  /* --backend SPEC or NULL */
	const char *report;   /* --report FILE or NULL */
	const char *since;    /* diagnose --since TIME or NULL */
	const char *now;      /* expire --now TIME or NULL */
	long for_seconds;     /* apply/toggle --for DURATION; 0 = none */
	const char *jobs;     /* diagnose --jobs N or NULL */
	int dry_run;
	int json;
	int force;            /* revert --force */
	unsigned wait_s;      /* --wait SECONDS for the machine lock */
	char **paths;         /* diagnose PATH...; points into argv */
	size_t npaths;
	/* certcheck; the strings point into argv. */
	const char *certs[CLI_MAX_FILES];  /* --cert FILE... */
	size_t ncerts;
	const char *roots[CLI_MAX_FILES];  /* --trusted-root FILE... */
	size_t nroots;
	const char *password_file;         /* --password-file FILE */
	const char *computer;              /* --computer-name NAME */
	int store;                         /* --store */
};

/* Parses argv.  Returns 0, or -1 with err (CM_ERR_USAGE) naming the
 * problem.  Options may come before or after the operand; --opt=value and
 * --opt value are both accepted; "--" ends options. */
int cli_parse(int argc, char **argv, struct cli *c, struct cm_err *err);

/* The usage text (for --help and after usage errors). */
void cli_usage(FILE *out);

/* Parses a --for DURATION: a whole number of minutes, hours or days
 * ("30m", "4h", "2d"), more than 0 and at most 30 days.  Returns 0 and
 * the seconds, or -1. */
int cli_parse_duration(const char *s, long *seconds);

/* The command table, for the usage test (tests/unit/test_usage.c): the
 * name of command or option i in table order, NULL past the end; and 1 if
 * command cmd takes option opt ("--json"). */
const char *cli_command_at(size_t i);
const char *cli_option_at(size_t i);
int cli_takes(const char *cmd, const char *opt);

/* The exit code for an error kind (usage/input 2, busy 6, else 3). */
int cli_exit_for(enum cm_errkind kind);

/* The command's name as the user typed it ("apply", ...). */
const char *cli_cmd_name(enum cli_cmd cmd);

#endif
