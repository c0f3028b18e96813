// SPDX-License-Identifier: ISC
/* err.c - filling struct cm_err. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Writes the message from byte at on; a cut one ends in "...". */
static void
put_at(struct cm_err *err, size_t at, const char *fmt, va_list ap)
{
	size_t room = sizeof(err->msg) - at;
	int n;

	n = vsnprintf(err->msg + at, room, fmt, ap);
	if (n < 0)
		snprintf(err->msg + at, room, "(unprintable message)");
	else if ((size_t)n >= room)
		memcpy(err->msg + sizeof(err->msg) - 4, "...", 4);
}

int
cm_err_vset(struct cm_err *err, enum cm_errkind kind, long sys,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	err->kind = kind;
	err->sys = sys;
	put_at(err, 0, fmt, ap);
	return -1;
}

void
cm_err_vappend(struct cm_err *err, const char *fmt, va_list ap)
{
	if (err != NULL)
		put_at(err, strlen(err->msg), fmt, ap);
}

void
cm_err_append(struct cm_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cm_err_vappend(err, fmt, ap);
	va_end(ap);
}

int
cm_err_set(struct cm_err *err, enum cm_errkind kind, long sys,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cm_err_vset(err, kind, sys, fmt, ap);
	va_end(ap);
	return -1;
}

int
cm_err_nomem(struct cm_err *err)
{
	return cm_err_set(err, CM_ERR_NOMEM, 0, "out of memory");
}

void
cm_err_clear(struct cm_err *err)
{
	if (err == NULL)
		return;
	err->kind = CM_ERR_NONE;
	err->sys = 0;
	err->msg[0] = '\0';
}
