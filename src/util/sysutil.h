// SPDX-License-Identifier: ISC
/* sysutil.h - the few OS services the portable code needs: whole-file
 * read, atomic replace, folder creation, a monotonic clock, sleeping.
 * Paths are UTF-8 on every system (compat.h does the Windows part); on
 * Windows the replace step is w32_replace() in compat_win32.c, because
 * rename() there refuses an existing target. */
#ifndef CM_SYSUTIL_H
#define CM_SYSUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Files cmremedy reads (profiles, reports, .reg) are small; anything larger
 * is refused rather than read into memory. */
#define SYS_MAX_FILE (64u * 1024u * 1024u)

/* Reads a whole regular file into a malloc'd buffer with one extra NUL
 * byte after *len bytes.  Errors (CM_ERR_SYSTEM) name the path. */
int sys_read_file(const char *path, unsigned char **buf, size_t *len,
    struct cm_err *err);

/* Writes buf to path atomically: PATH.tmp-PID in the same folder, flushed
 * to disk, then renamed over path.  On failure path is untouched and the
 * temporary file removed. */
int sys_write_atomic(const char *path, const void *buf, size_t len,
    struct cm_err *err);

/* Creates path and its missing parents (mode 0755 where it applies). */
int sys_mkdir_p(const char *path, struct cm_err *err);

/* The same for a folder of cmremedy's own state: its last `levels`
 * components are private to administrators (cm_mkdir(..., 1): POSIX mode
 * 0700 when created; Windows a protected SYSTEM + Administrators DACL, set
 * again on a folder that already exists). */
int sys_mkdir_private(const char *path, unsigned levels, struct cm_err *err);

/* Milliseconds from an arbitrary fixed point; never goes backwards. */
uint64_t sys_monotonic_ms(void);

/* Milliseconds since 1970-01-01T00:00:00Z by the system clock. */
uint64_t sys_realtime_ms(void);

/* Sleeps at least ms milliseconds. */
void sys_sleep_ms(unsigned ms);

#endif
