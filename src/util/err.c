// SPDX-License-Identifier: ISC
/* err.c - filling struct cm_err. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
cm_err_set(struct cm_err *err, enum cm_errkind kind, long sys,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->kind = kind;
	err->sys = sys;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
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
