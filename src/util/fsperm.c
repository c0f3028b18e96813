// SPDX-License-Identifier: ISC
/* fsperm.c - see fsperm.h. */
#include "fsperm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sticky bit is XSI, not in plain POSIX headers; its value is fixed
 * by every Unix. */
#ifndef S_ISVTX
#define S_ISVTX 01000
#endif

int
fsperm_check(const char *path, const char *what, int flags,
    struct cm_err *err)
{
#if defined(_WIN32) && !defined(__WINE__)
	(void)path;
	(void)what;
	(void)flags;
	(void)err;
	return 0;
#else
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s belongs to "
		    "user id %lu, neither root nor you: refusing to trust it "
		    "(as sshd's StrictModes does)", path, what,
		    (unsigned long)st.st_uid);
	if ((st.st_mode & 022) != 0 && !((flags & FSPERM_STICKY_OK) &&
	    S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s is "
		    "writable by %s (mode %04o): refusing to trust it (as "
		    "sshd's StrictModes does); chmod go-w %s", path, what,
		    (st.st_mode & 002) ? "everyone" : "its group",
		    (unsigned)(st.st_mode & 07777), path);
	return 0;
#endif
}

int
fsperm_check_parent(const char *path, const char *what, int flags,
    struct cm_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

#ifdef _WIN32
	const char *bs = strrchr(path, '\\');
	if (bs != NULL && (slash == NULL || bs > slash))
		slash = bs;
#endif
	if (slash == NULL)
		return fsperm_check(".", what, flags, err);
	if ((dir = malloc((size_t)(slash - path) + 2)) == NULL)
		return cm_err_nomem(err);
	memcpy(dir, path, (size_t)(slash - path) + (slash == path));
	dir[(slash - path) + (slash == path)] = '\0';
	rc = fsperm_check(dir, what, flags, err);
	free(dir);
	return rc;
}
