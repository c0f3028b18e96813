// SPDX-License-Identifier: ISC
/* certcheck.h - `cmremedy certcheck`: read the certificates, run the
 * connector's filter, print the result.  The command line is parsed above
 * (src/cli); this is the engine, with no knowledge of argv. */
#ifndef CM_CERTCHECK_H
#define CM_CERTCHECK_H

#include <stdio.h>
#include <time.h>

#include "cert_source.h"

struct certcheck_opts {
	struct cert_source_opts src;   /* password is filled in here */
	const char *password_file;     /* first line is the password */
	const char *computer;          /* NULL: the system's name */
	int json;
	time_t now;                    /* 0: the current time */
};

/* Runs certcheck and prints to out.  Returns 0 when at least one
 * certificate passes, 1 when none does (the remediation is printed), or
 * -1 with err: CM_ERR_USAGE / CM_ERR_INPUT (exit 2: usage, undecodable
 * data, wrong password), CM_ERR_SYSTEM (exit 3: unreadable file or store). */
int certcheck_run(const struct certcheck_opts *o, FILE *out,
    struct cm_err *err);

/* Reads the password: the file's first line without its CR/LF (an empty
 * file is the empty password).  *pw is malloc'd; the caller frees it. */
int certcheck_read_password(const char *path, char **pw, struct cm_err *err);

#endif
