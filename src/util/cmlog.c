// SPDX-License-Identifier: ISC
/* cmlog.c - CMTrace log records and the .log -> .lo_ rotation. */
#include "cmlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "sysutil.h"
#include "utctime.h"
#ifdef _WIN32
#include "compat_win32.h"
#endif

/* Copies text into buf[0, n) as record text; returns the length. */
static size_t
copy_text(char *buf, size_t n, const char *text)
{
	size_t i = 0;

	for (; *text != '\0' && i + 1 < n; text++) {
		buf[i++] = *text == '\r' || *text == '\n' ? ' ' : *text;
		/* "]LOG]!>" would end the record early: write "]LOG] !>". */
		if (i >= 5 && memcmp(buf + i - 5, "]LOG]", 5) == 0 &&
		    text[1] == '!' && text[2] == '>' && i + 1 < n)
			buf[i++] = ' ';
	}
	buf[i] = '\0';
	return i;
}

size_t
cmlog_format(char *buf, size_t n, enum cmlog_type type, const char *text,
    const struct tm *local, int ms, long bias, unsigned long thread)
{
	char tail[160];
	size_t len, tl;
	int k;

	if (n == 0)
		return 0;
	k = snprintf(tail, sizeof(tail), "]LOG]!><time=\"%02d:%02d:%02d.%03d"
	    "%+04ld\" date=\"%02d-%02d-%04d\" component=\"" CMLOG_COMPONENT
	    "\" context=\"\" type=\"%d\" thread=\"%lu\" file=\"\">\n",
	    local->tm_hour, local->tm_min, local->tm_sec, ms, bias,
	    local->tm_mon + 1, local->tm_mday, local->tm_year + 1900,
	    (int)type, thread);
	tl = k < 0 ? 0 : (size_t)k < sizeof(tail) ? (size_t)k :
	    sizeof(tail) - 1;
	if (n <= tl + 8) {   /* no room for a record: write nothing */
		buf[0] = '\0';
		return 0;
	}
	memcpy(buf, "<![LOG[", 7);
	len = 7 + copy_text(buf + 7, n - 7 - tl, text);
	memcpy(buf + len, tail, tl + 1);
	return len + tl;
}

char *
cmlog_rotated_name(const char *path)
{
	size_t n = strlen(path);
	char *r;

	if ((r = malloc(n + 2)) == NULL)
		return NULL;
	memcpy(r, path, n + 1);
	if (n > 0)
		r[n - 1] = '_';
	else
		strcpy(r, "_");
	return r;
}

/* Renames path to its .lo_ name when it has reached rotate_at bytes. */
static int
rotate(const char *path, size_t rotate_at, struct cm_err *err)
{
	cm_stat_t st;
	char *old;
	int rc = 0;

	if (cm_stat(path, &st) != 0 || (size_t)st.st_size < rotate_at)
		return 0;
	if ((old = cmlog_rotated_name(path)) == NULL)
		return cm_err_nomem(err);
#ifdef _WIN32
	rc = w32_replace(path, old, err);
#else
	if (rename(path, old) != 0)
		rc = cm_err_set(err, CM_ERR_SYSTEM, errno,
		    "%s: cannot rotate to %s: %s", path, old, strerror(errno));
#endif
	free(old);
	return rc;
}

/* Local time of t and its Windows bias in minutes (UTC = local + bias). */
static long
local_time(time_t t, struct tm *tm)
{
	time_t as_utc;

#ifdef _WIN32
	localtime_s(tm, &t);
#else
	localtime_r(&t, tm);
#endif
	if (utc_from_local(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
	    tm->tm_hour, tm->tm_min, tm->tm_sec, 0, &as_utc) != 0)
		return 0;
	return (long)((t - as_utc) / 60);
}

int
cmlog_append(const char *path, size_t rotate_at, enum cmlog_type type,
    const char *text, struct cm_err *err)
{
	struct tm tm;
	char buf[4096];
	size_t len, w;
	long bias;
	uint64_t now;
	time_t t;
	FILE *f;
	int e, ms;

	if (rotate(path, rotate_at ? rotate_at : CMLOG_ROTATE_AT, err) != 0)
		return -1;
	now = sys_realtime_ms();
	t = (time_t)(now / 1000u);
	ms = (int)(now % 1000u);
	bias = local_time(t, &tm);
	len = cmlog_format(buf, sizeof(buf), type, text, &tm, ms, bias,
	    (unsigned long)getpid());
	/* Append mode, one record in one write: whole lines even when
	 * runs log at once.  cm_fopen: UTF-8 names on Windows too. */
	if ((f = cm_fopen(path, "ab")) == NULL) {
		e = errno;
		return cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot open "
		    "log: %s", path, strerror(e));
	}
	setvbuf(f, NULL, _IOFBF, sizeof(buf));
	w = fwrite(buf, 1, len, f);
	e = errno;
	if (fclose(f) != 0 && w == len) {
		w = 0;
		e = errno;
	}
	if (w != len)
		return cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot write "
		    "log: %s", path, strerror(e));
	return 0;
}
