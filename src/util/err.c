// SPDX-License-Identifier: ISC
/* err.c - filling struct cm_err. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
cm_err_vset(struct cm_err *err, enum cm_errkind kind, long sys,
    const char *fmt, va_list ap)
{
	int n;

	if (err == NULL)
		return -1;
	err->kind = kind;
	err->sys = sys;
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (n < 0)
		snprintf(err->msg, sizeof(err->msg), "(unprintable message)");
	else if ((size_t)n >= sizeof(err->msg))
		memcpy(err->msg + sizeof(err->msg) - 4, "...", 4);
	return -1;
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
