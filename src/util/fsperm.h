// SPDX-License-Identifier: ISC
/* fsperm.h - is a file or folder safe to trust?  sshd's StrictModes rule:
 * what cmremedy reads as instructions (a profile, a report to revert, the
 * machine's policy) or writes records into (the reports folder) must be
 * owned by root or by the user running cmremedy, and writable by no one
 * else (a group that is its owner's user private group, with no other
 * member, counts as no one else, as in Debian's sshd).  Otherwise
 * another user could make an administrator's run change what he chose, or
 * swap a report before revert reads it.
 *
 * On Windows the same rule reads the owner and the DACL: the owner must be
 * SYSTEM, Administrators, TrustedInstaller or the user running cmremedy,
 * and no entry that applies to the object may give anyone else a right to
 * write, delete, or change its permissions or owner (a NULL DACL, which
 * gives everyone everything, is refused). */
#ifndef CM_FSPERM_H
#define CM_FSPERM_H

#include "err.h"

enum fsperm_flags {
	FSPERM_STICKY_OK = 1   /* a folder writable by others is fine when
				  its sticky bit keeps them from replacing
				  our files (/tmp) */
};

/* Checks path (following links, as the open will).  what names it in the
 * message ("profile", "reports folder").  Returns 0 if trusted; -1 with
 * err (CM_ERR_INPUT) "PATH: WHAT is writable by group or others (mode
 * 0775): ...; chmod go-w PATH", or naming its owner.  A path that does
 * not exist passes (the open that follows reports it). */
int fsperm_check(const char *path, const char *what, int flags,
    struct cm_err *err);

/* The same for the folder holding path (".", when path has no folder). */
int fsperm_check_parent(const char *path, const char *what, int flags,
    struct cm_err *err);

#endif
