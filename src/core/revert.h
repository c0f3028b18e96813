// SPDX-License-Identifier: ISC
/* revert.h - turning a report back into the profile that undoes it, and
 * refusing the reports that must not be reverted.
 *
 * A report is input from a file anyone may have edited: revert trusts it
 * only as far as these checks go (issue 8), each a CM_ERR_INPUT (exit 2)
 * before anything is touched:
 *   - it was written on this machine (report "machine" equals the
 *     backend's identity; a report without one is refused);
 *   - it changed something: not a plan, check or dry run, and its outcome
 *     is "changed" (or "failed": a rollback that did not finish);
 *   - every value it changed still holds what it recorded as "after"
 *     (nobody changed it since), unless force. */
#ifndef CM_REVERT_H
#define CM_REVERT_H

#include "backend/backend.h"
#include "profile.h"
#include "report.h"
#include "util/err.h"

/* Checks the report's origin and outcome against the machine identity
 * (NULL: the backend has none, e.g. a test double: not checked).
 * path names the report in messages.  0 or -1 with err. */
int revert_check_report(const struct report *rep, const char *path,
    const char *machine, struct cm_err *err);

/* Reads every setting the report changed and compares it with its
 * "after".  0 if all match (or force); -1 with err naming the first value
 * that differs, what it holds now and what the report says. */
int revert_check_since(struct backend *b, const struct report *rep,
    const char *path, int force, struct cm_err *err);

/* The profile that puts back every "before" of rep (values that did not
 * exist are deleted, and the keys the run created removed), restarting the
 * report's services.  0 and *out (profile_free), or -1 with err. */
int revert_profile(const struct report *rep, const char *path,
    struct profile **out, struct cm_err *err);

#endif
