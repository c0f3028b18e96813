// SPDX-License-Identifier: ISC
/* filelock.c - see filelock.h: fcntl record locks, LockFileEx on Windows. */
#include "filelock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat_win32.h"

#if defined(_WIN32) && !defined(__WINE__)
#define FL_W32 1       /* the Windows C runtime, not Winelib's glibc */
#include <io.h>
#endif

struct filelock {
	int fd;
};

static int
open_lockfile(const char *path, int create, struct cm_err *err)
{
	int fd, e;

#ifdef FL_W32
	WCHAR *w;

	/* UTF-8 names through the wide call, as compat.h does. */
	if (w32_to_wide(path, &w, err) != 0)
		return -1;
	fd = _wopen(w, (create ? _O_RDWR | _O_CREAT : _O_RDONLY) | _O_BINARY,
	    _S_IREAD | _S_IWRITE);
	free(w);
#else
	fd = open(path, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW,
	    0644);
#endif
	if (fd < 0 && (create || errno != ENOENT)) {
		e = errno;
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot open the lock "
		    "file: %s", path, strerror(e));
	}
	return fd;
}

/* Takes (1) or tests (0) the lock byte.  1 taken/free, 0 busy, -1 error
 * (errno set). */
static int
lock_byte(int fd, int take)
{
#ifdef FL_W32
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	OVERLAPPED ov;

	memset(&ov, 0, sizeof(ov));
	ov.Offset = (DWORD)FILELOCK_OFFSET;
	if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK |
	    LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
		if (GetLastError() == ERROR_LOCK_VIOLATION ||
		    GetLastError() == ERROR_IO_PENDING)
			return 0;
		errno = EIO;
		return -1;
	}
	if (!take)
		UnlockFileEx(h, 0, 1, 0, &ov);
	return 1;
#else
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = FILELOCK_OFFSET;
	fl.l_len = 1;
	if (take) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 1;
		return errno == EACCES || errno == EAGAIN ? 0 : -1;
	}
	if (fcntl(fd, F_GETLK, &fl) != 0)
		return -1;
	return fl.l_type == F_UNLCK;
#endif
}

int
filelock_try(const char *path, struct filelock **out, struct cm_err *err)
{
	struct filelock *l;
	int fd, rc, e;

	*out = NULL;
	if ((fd = open_lockfile(path, 1, err)) < 0)
		return -1;
	if ((rc = lock_byte(fd, 1)) <= 0) {
		e = errno;
		close(fd);
		if (rc < 0)
			cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot lock: %s",
			    path, strerror(e));
		return rc;
	}
	if ((l = malloc(sizeof(*l))) == NULL) {
		close(fd);
		return cm_err_nomem(err);
	}
	l->fd = fd;
	*out = l;
	return 1;
}

int
filelock_set_text(struct filelock *l, const char *text, struct cm_err *err)
{
	size_t n = strlen(text);
	int e;

#ifdef FL_W32
	if (_chsize(l->fd, 0) != 0 || _lseek(l->fd, 0, SEEK_SET) != 0 ||
	    _write(l->fd, text, (unsigned)n) != (int)n) {
#else
	if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, text, n, 0) !=
	    (ssize_t)n) {
#endif
		e = errno;
		return cm_err_set(err, CM_ERR_SYSTEM, e, "cannot write the "
		    "lock file: %s", strerror(e));
	}
	return 0;
}

void
filelock_release(struct filelock *l)
{
	struct cm_err e;

	if (l == NULL)
		return;
	(void)filelock_set_text(l, "", &e);
	close(l->fd);   /* drops the lock */
	free(l);
}

int
filelock_probe(const char *path, char *text, size_t textlen,
    struct cm_err *err)
{
	int fd, rc, e;
	ssize_t n;

	if (textlen > 0)
		text[0] = '\0';
	fd = open_lockfile(path, 0, err);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if ((rc = lock_byte(fd, 0)) < 0) {
		e = errno;
		close(fd);
		return cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot test the "
		    "lock: %s", path, strerror(e));
	}
	if (rc == 1) {
		close(fd);
		return 0;
	}
	if (textlen > 0) {
		n = read(fd, text, textlen - 1);
		text[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return 1;
}
