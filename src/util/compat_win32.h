// SPDX-License-Identifier: ISC
/* compat_win32.h - the few Windows helpers the portable layers share:
 * UTF-8 to UTF-16 at the API boundary, error text, atomic replace.
 * Declared only for Windows (_WIN32), where this header brings in
 * <windows.h>: with backend/backend_win32.c and util/thread.c the only
 * code that does. */
#ifndef CM_COMPAT_WIN32_H
#define CM_COMPAT_WIN32_H

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "err.h"

/* UTF-8 (NUL-terminated) to a malloc'd wide string the caller frees: the
 * one UTF-8 to UTF-16 conversion of the Windows code.  0, or -1 with err
 * filled (err may be NULL) and errno set, for the compat.h calls that
 * answer through errno: invalid UTF-8 is CM_ERR_SYSTEM naming the string
 * and EINVAL, no memory CM_ERR_NOMEM and ENOMEM. */
int w32_to_wide(const char *s, WCHAR **out, struct cm_err *err);

/* The other way: a malloc'd UTF-8 copy of the NUL-terminated wide string
 * w, the caller frees; NULL when w is not valid UTF-16 (an unpaired
 * surrogate) or memory ran out. */
char *w32_to_utf8(const WCHAR *w);

/* The system's text for a Win32 error code, UTF-8, without the trailing
 * line break ("unknown error" when the system has none). */
void w32_errtext(unsigned long code, char *buf, size_t len);

/* Fills err for a failed Win32 call: "WHAT: TEXT (Win32 error N)", plus
 * what to do where the cause is plain (access denied: elevate).
 * Returns -1. */
int w32_fail(struct cm_err *err, unsigned long code, const char *fmt, ...)
    CM_PRINTFLIKE(3, 4);

/* MoveFileExW(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) on UTF-8
 * paths: rename() on Windows refuses an existing target.  0 or -1. */
int w32_replace(const char *from, const char *to, struct cm_err *err);
#endif

#endif
