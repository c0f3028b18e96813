// SPDX-License-Identifier: ISC
/* sysutil.c - file, clock and sleep services; names go through compat.h,
 * so that they are UTF-8 on Windows too. */
#ifdef _WIN32
#define _CRT_RAND_S     /* rand_s: the system's CSPRNG */
#else
#define _XOPEN_SOURCE 700   /* realpath() */
#endif
#include "sysutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "compat_win32.h"
#include "mem.h"
#include "testhook.h"
#include "text.h"

#ifdef _WIN32
#include <io.h>
#endif

int
sys_read_file(const char *path, unsigned char **buf, size_t *len,
    struct cm_err *err)
{
	FILE *f;
	unsigned char *b = NULL, *nb;
	size_t alloc = 0, n = 0, got;

	*buf = NULL;
	*len = 0;
	if ((f = cm_fopen(path, "rb")) == NULL)
		return cm_err_set(err, errno == ENOMEM ? CM_ERR_NOMEM :
		    CM_ERR_SYSTEM, errno, "%s: cannot open: %s", path,
		    strerror(errno));
	for (;;) {
		if (n > SYS_MAX_FILE) {
			fclose(f);
			free(b);
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "%s: file is larger than %u bytes", path,
			    SYS_MAX_FILE);
		}
		/* Room for a read of 4096 bytes at least, and the NUL. */
		if (alloc - n < 4096 + 1) {
			nb = mem_grow(b, &alloc, n + 4096 + 1, 1);
			if (nb == NULL) {
				fclose(f);
				free(b);
				return cm_err_nomem(err);
			}
			b = nb;
		}
		got = fread(b + n, 1, alloc - 1 - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(b);
		return cm_err_set(err, CM_ERR_SYSTEM, e, "%s: read error: %s",
		    path, strerror(e));
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Creates a new temporary file for path exclusively: PATH.tmp-PID-RANDOM,
 * never through a link, never an existing file (O_EXCL|O_NOFOLLOW; on
 * Windows _O_EXCL, which is CREATE_NEW).  An attacker who can write in the
 * folder can neither predict the name nor make us write through a link
 * he planted.  Returns the descriptor and *tmp (caller frees), or -1. */
static int
open_temp(const char *path, char **tmp, struct cm_err *err)
{
	struct strbuf name = { 0 };
	unsigned char rnd[8];
	int fd = -1, e, tries;
#ifdef _WIN32
	WCHAR *w;
#endif

	*tmp = NULL;
	for (tries = 0; tries < 8; tries++) {
		if (sys_random(rnd, sizeof(rnd), err) != 0)
			break;
		strbuf_free(&name);
		strbuf_printf(&name, "%s%s%ld-%02x%02x%02x%02x%02x%02x%02x%02x",
		    path, SYS_TEMP_MARK, (long)getpid(), rnd[0], rnd[1], rnd[2],
		    rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
		if (name.failed) {
			cm_err_nomem(err);
			break;
		}
		*tmp = name.s;
#ifdef _WIN32
		if (w32_to_wide(*tmp, &w, err) != 0)
			break;
		fd = _wopen(w, _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY,
		    _S_IREAD | _S_IWRITE);
		free(w);
#else
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
#endif
		if (fd >= 0)
			return fd;
		if (errno != EEXIST) {
			e = errno;
			cm_err_set(err, e == ENOMEM ? CM_ERR_NOMEM :
			    CM_ERR_SYSTEM, e, "%s: cannot create: %s", *tmp,
			    strerror(e));
			break;
		}
	}
	if (tries == 8)
		cm_err_set(err, CM_ERR_SYSTEM, EEXIST, "%s: cannot create a "
		    "temporary file beside it: every name tried exists", path);
	strbuf_free(&name);
	*tmp = NULL;
	return -1;
}

/* The new file gets the permissions of the file it replaces (a sim's
 * registry.reg stays as its owner made it); a new file is private. */
static void
keep_mode(int fd, const char *path)
{
#ifndef _WIN32
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		(void)fchmod(fd, st.st_mode & 07777);
#else
	(void)fd;
	(void)path;
#endif
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	long n;

	while (len > 0) {
		n = (long)write(fd, p, len > 1u << 30 ? 1u << 30 :
		    (unsigned)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sys_write_atomic(const char *path, const void *buf, size_t len,
    struct cm_err *err)
{
	char *tmp;
	int fd, e;

	if ((fd = open_temp(path, &tmp, err)) < 0)
		return -1;
	keep_mode(fd, path);
	if (write_all(fd, buf, len) != 0
#ifndef _WIN32
	    || fsync(fd) != 0
#endif
	    ) {
		e = errno;
		close(fd);
		cm_remove(tmp);
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: write failed: %s", tmp,
		    strerror(e));
		free(tmp);
		return -1;
	}
	if (close(fd) != 0) {
		e = errno;
		cm_remove(tmp);
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: write failed: %s", tmp,
		    strerror(e));
		free(tmp);
		return -1;
	}
	/* A kill here leaves a whole temp file beside the old one, for the
	 * next run's sweep (sys_remove_stale_temps). */
	testhook_step();
#ifdef _WIN32
	if (w32_replace(tmp, path, err) != 0) {
		cm_remove(tmp);
		free(tmp);
		return -1;
	}
#else
	if (rename(tmp, path) != 0) {
		e = errno;
		cm_remove(tmp);
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot replace: %s",
		    path, strerror(e));
		free(tmp);
		return -1;
	}
#endif
	free(tmp);
	testhook_step();
	return 0;
}

int
sys_random(void *buf, size_t n, struct cm_err *err)
{
#ifdef _WIN32
	unsigned char *p = buf;
	unsigned int r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (rand_s(&r) != 0)
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "rand_s failed: no random numbers");
		p[i] = (unsigned char)r;
	}
	return 0;
#else
	int fd, e;
	ssize_t got;
	size_t at = 0;

	if ((fd = open("/dev/urandom", O_RDONLY)) < 0) {
		e = errno;
		return cm_err_set(err, CM_ERR_SYSTEM, e, "/dev/urandom: cannot "
		    "open: %s", strerror(e));
	}
	while (at < n) {
		got = read(fd, (unsigned char *)buf + at, n - at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			close(fd);
			return cm_err_set(err, CM_ERR_SYSTEM, errno,
			    "/dev/urandom: read failed");
		}
		at += (size_t)got;
	}
	close(fd);
	return 0;
#endif
}

char *
sys_realpath(const char *path, struct cm_err *err)
{
	char *r;
	int e;

#ifdef _WIN32
	r = _fullpath(NULL, path, 0);
#else
	r = realpath(path, NULL);
#endif
	if (r == NULL) {
		e = errno;
		cm_err_set(err, e == ENOMEM ? CM_ERR_NOMEM : CM_ERR_SYSTEM, e,
		    "%s: %s", path, strerror(e));
	}
	return r;
}

int
sys_pid_alive(long pid)
{
#ifdef _WIN32
	HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);
	DWORD rc;

	if (h == NULL)
		return GetLastError() == ERROR_ACCESS_DENIED;
	rc = WaitForSingleObject(h, 0);
	CloseHandle(h);
	return rc == WAIT_TIMEOUT;
#else
	if (pid <= 0)
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
#endif
}

/* The PID in "NAME.tmp-PID-HEX", or 0 if name is not such a file. */
static long
temp_owner(const char *name)
{
	const char *m = strstr(name, SYS_TEMP_MARK), *p;
	long pid = 0;

	if (m == NULL)
		return 0;
	for (p = m + strlen(SYS_TEMP_MARK); *p >= '0' && *p <= '9'; p++)
		if ((pid = pid * 10 + (*p - '0')) > 0x7fffffffL)
			return 0;
	if (*p != '-' || p[1] == '\0')
		return 0;
	for (p++; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return pid;
}

int
sys_remove_stale_temps(const char *dir)
{
	struct cm_dir *d;
	const char *name;
	char *path;
	long pid;
	int removed = 0;

	if ((d = cm_opendir(dir)) == NULL)
		return 0;
	while ((name = cm_readdir(d)) != NULL) {
		if ((pid = temp_owner(name)) == 0 || pid == (long)getpid() ||
		    sys_pid_alive(pid))
			continue;
		if ((path = text_path_join(dir, name)) == NULL)
			break;
		removed += cm_remove(path) == 0;
		free(path);
	}
	cm_closedir(d);
	return removed;
}

static int
mkdir_one(const char *path, int private)
{
	cm_stat_t st;

	if (cm_mkdir(path, private) == 0)
		return 0;
	if (errno == EEXIST && cm_stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return -1;
}

/* Creates path and its parents; the last `private` components with
 * cm_mkdir(..., 1). */
static int
mkdir_p(const char *path, unsigned private, struct cm_err *err)
{
	char *p, *s;
	unsigned depth = 0, i;
	int e;

	if ((p = strdup(path)) == NULL)
		return cm_err_nomem(err);
	/* Count the components after the root and drive prefixes. */
	for (s = p + 1; *s != '\0'; s++)
		if ((*s == '/' || *s == '\\') && s[-1] != ':' &&
		    s[-1] != '/' && s[-1] != '\\')
			depth++;
	/* Create each parent in turn. */
	for (s = p + 1, i = 0; *s != '\0'; s++) {
		if (*s != '/' && *s != '\\')
			continue;
		if (s[-1] == ':' || s[-1] == '/' || s[-1] == '\\')
			continue;
		*s = '\0';
		if (mkdir_one(p, depth - i < private) != 0) {
			e = errno;
			cm_err_set(err, CM_ERR_SYSTEM, e,
			    "%s: cannot create folder: %s", p, strerror(e));
			free(p);
			return -1;
		}
		*s = '/';
		i++;
	}
	if (mkdir_one(p, private > 0) != 0) {
		e = errno;
		cm_err_set(err, CM_ERR_SYSTEM, e,
		    "%s: cannot create folder: %s", path, strerror(e));
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int
sys_mkdir_p(const char *path, struct cm_err *err)
{
	return mkdir_p(path, 0, err);
}

int
sys_mkdir_private(const char *path, unsigned levels, struct cm_err *err)
{
	return mkdir_p(path, levels, err);
}

#ifdef _WIN32
uint64_t
sys_monotonic_ms(void)
{
	LARGE_INTEGER c, f;

	/* Never fail on Windows XP and later. */
	QueryPerformanceCounter(&c);
	QueryPerformanceFrequency(&f);
	return (uint64_t)(c.QuadPart / f.QuadPart) * 1000u +
	    (uint64_t)(c.QuadPart % f.QuadPart) * 1000u / (uint64_t)f.QuadPart;
}

void
sys_sleep_ms(unsigned ms)
{
	Sleep(ms);
}

uint64_t
sys_realtime_ms(void)
{
	FILETIME ft;
	ULARGE_INTEGER u;

	/* 100 ns units since 1601; the static PE has no clock_gettime. */
	GetSystemTimeAsFileTime(&ft);
	u.LowPart = ft.dwLowDateTime;
	u.HighPart = ft.dwHighDateTime;
	return u.QuadPart / 10000u - 11644473600000u;
}
#else
uint64_t
sys_realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t
sys_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void
sys_sleep_ms(unsigned ms)
{
	struct timespec ts, rem;

	ts.tv_sec = ms / 1000u;
	ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
	while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
		ts = rem;
}
#endif
