// SPDX-License-Identifier: ISC
/* sysutil.c - file, clock and sleep services; names go through compat.h,
 * so that they are UTF-8 on Windows too. */
#include "sysutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "compat_win32.h"
#include "mem.h"
#include "text.h"

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

int
sys_write_atomic(const char *path, const void *buf, size_t len,
    struct cm_err *err)
{
	struct strbuf tb = { NULL, 0, 0, 0 };
	char *tmp;
	FILE *f;
	int e;

	strbuf_printf(&tb, "%s.tmp-%ld", path, (long)getpid());
	if (tb.failed) {
		strbuf_free(&tb);
		return cm_err_nomem(err);
	}
	tmp = tb.s;
	if ((f = cm_fopen(tmp, "wb")) == NULL) {
		e = errno;
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot create: %s", tmp,
		    strerror(e));
		free(tmp);
		return -1;
	}
	if ((len > 0 && fwrite(buf, 1, len, f) != len) || fflush(f) != 0 ||
#ifndef _WIN32
	    fsync(fileno(f)) != 0 ||
#endif
	    0) {
		e = errno;
		fclose(f);
		cm_remove(tmp);
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: write failed: %s", tmp,
		    strerror(e));
		free(tmp);
		return -1;
	}
	if (fclose(f) != 0) {
		e = errno;
		cm_remove(tmp);
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: write failed: %s", tmp,
		    strerror(e));
		free(tmp);
		return -1;
	}
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
	return 0;
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
sys_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t
sys_realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
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
