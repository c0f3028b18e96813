// SPDX-License-Identifier: ISC
/* policy.h - which registry keys cmremedy may change on this machine.
 *
 * Built in: everything under HKLM\SOFTWARE\Microsoft\SMS and
 * HKLM\SOFTWARE\Microsoft\CCM, in either view.  The machine's policy file
 * adds prefixes (win32: %ProgramData%\cmremedy\policy.ini; sim:
 * DIR/policy.ini), INI through inih:
 *
 *   [allow]
 *   key = HKLM\SOFTWARE\Contoso\Agent   ; one prefix per line, repeatable
 *
 * A prefix is a key path as a profile writes it (profile_canon_key: no
 * empty, "." or ".." components) and covers that key and every key under
 * it, in both views.  Anything else in the file (another section or key,
 * a bad path, a line longer than inih's limit) refuses the whole file:
 * "PATH:LINE: why", CM_ERR_INPUT.  A missing file is no extra prefixes.
 * The file must be owned by root (or the user running cmremedy) and
 * writable by no one else (util/fsperm.h), since it widens what an
 * administrator's profile may touch. */
#ifndef CM_POLICY_H
#define CM_POLICY_H

#include <stddef.h>

#include "profile.h"
#include "util/err.h"

#define POLICY_FILE "policy.ini"

/* Owns everything it points to. */
struct policy {
	char *path;           /* the policy file (whether or not it exists);
			         NULL when the backend has no home */
	int file_found;       /* the file existed and was read */
	char **prefixes;      /* canonical keys: the built-in two first */
	size_t nprefixes, capprefixes;
};

/* Loads the policy of the machine whose home folder is home (backend.h;
 * NULL: the built-in prefixes only).  0 and *out (free with policy_free),
 * or -1 with err. */
int policy_load(const char *home, struct policy **out, struct cm_err *err);

/* The same from memory; path names the file in messages. */
int policy_parse(const char *path, const char *text, size_t len,
    struct policy **out, struct cm_err *err);

/* 1 if key (canonical) is at or under one of the prefixes, else 0. */
int policy_allows(const struct policy *pol, const char *key);

/* Checks every setting of p: 0, or -1 with err (CM_ERR_INPUT) naming the
 * first key outside the policy, where it comes from (the profile or
 * report p->path) and the policy file. */
int policy_check_profile(const struct policy *pol, const struct profile *p,
    struct cm_err *err);

/* Frees pol. NULL is a no-op. */
void policy_free(struct policy *pol);

#endif
