// SPDX-License-Identifier: ISC
/* err.h - the error record every fallible function fills in.
 *
 * Functions below main() never print and never exit: they return -1 (or a
 * status) and describe the failure in a caller-owned struct cm_err.  The
 * kind decides the exit code (see cli.h); the message is complete on its
 * own: "file:line: what went wrong: why", ready for stderr. */
#ifndef CM_ERR_H
#define CM_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Format checking for printf-like functions, on every compiler we build
 * with: mingw's "printf" archetype is msvcrt's (no %zu), while the C99
 * stdio that _POSIX_C_SOURCE selects there is checked as
 * __MINGW_PRINTF_FORMAT (gnu_printf).  Use as
 *   int f(const char *fmt, ...) CM_PRINTFLIKE(1, 2); */
#if defined(__MINGW32__)
#include <stdio.h>
#define CM_PRINTFLIKE(f, a) \
    __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define CM_PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define CM_PRINTFLIKE(f, a)
#endif

enum cm_errkind {
	CM_ERR_NONE = 0,
	CM_ERR_USAGE,   /* bad command line                         -> exit 2 */
	CM_ERR_INPUT,   /* bad profile or report; nothing touched   -> exit 2 */
	CM_ERR_SYSTEM,  /* backend/OS failure (incl. bad sim files) -> exit 3 */
	CM_ERR_TIMEOUT, /* a service did not reach its state in time         */
	CM_ERR_NOMEM,   /* allocation failed                                 */
	CM_ERR_BUSY     /* another run holds the machine lock       -> exit 6 */
};

#define CM_ERR_MSG_MAX 1024

struct cm_err {
	enum cm_errkind kind;
	long sys;                 /* errno or Win32 error number; 0 if none */
	char msg[CM_ERR_MSG_MAX];
};

/* Records an error.  err may be NULL (the error is then dropped).  Returns
 * -1 so that callers can write `return cm_err_set(...)`.  A message longer
 * than the buffer ends in "..." so that a cut is never silent. */
int cm_err_set(struct cm_err *err, enum cm_errkind kind, long sys,
    const char *fmt, ...) CM_PRINTFLIKE(4, 5);

/* The same with a va_list, for functions that wrap it.  Returns -1. */
int cm_err_vset(struct cm_err *err, enum cm_errkind kind, long sys,
    const char *fmt, va_list ap) CM_PRINTFLIKE(4, 0);

/* Adds to the end of err's message (what a lower layer said, then how it
 * came about), with the same "..." where the whole no longer fits.  err
 * may be NULL. */
void cm_err_append(struct cm_err *err, const char *fmt, ...)
    CM_PRINTFLIKE(2, 3);

/* The same with a va_list: how a "FILE:LINE: " prefix and a caller's
 * format join without a fixed buffer between them. */
void cm_err_vappend(struct cm_err *err, const char *fmt, va_list ap)
    CM_PRINTFLIKE(2, 0);

/* Shorthand for an allocation failure. Returns -1. */
int cm_err_nomem(struct cm_err *err);

/* Clears err to CM_ERR_NONE with an empty message. */
void cm_err_clear(struct cm_err *err);

#endif
