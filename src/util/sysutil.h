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

/* What sys_write_atomic puts between a file's name and its temporary
 * copy's PID: "PATH.tmp-PID-RANDOM". */
#define SYS_TEMP_MARK ".tmp-"

/* Writes buf to path atomically: PATH.tmp-PID-RANDOM (16 random hex
 * digits) in the same folder, created exclusively and never through a
 * link (O_CREAT|O_EXCL|O_NOFOLLOW; Windows: CREATE_NEW), flushed to disk,
 * then renamed over path.  The file keeps the permissions of the file it
 * replaces; a new one is 0600.  On failure path is untouched and the
 * temporary file removed. */
int sys_write_atomic(const char *path, const void *buf, size_t len,
    struct cm_err *err);

/* Removes the temporary files sys_write_atomic left in dir when a process
 * was killed between create and rename: every "NAME.tmp-PID-HEX" whose PID
 * is no longer running.  Call it only while holding the machine lock.
 * Returns how many were removed; a file that cannot be removed is left. */
int sys_remove_stale_temps(const char *dir);

/* 1 if a process with this id runs (POSIX kill(pid, 0)); 0 if not. */
int sys_pid_alive(long pid);

/* Fills buf with n unpredictable bytes from the system's generator. */
int sys_random(void *buf, size_t n, struct cm_err *err);

/* An absolute path without links, "." or ".." (POSIX realpath, Windows
 * _fullpath); malloc'd, or NULL with err naming path. */
char *sys_realpath(const char *path, struct cm_err *err);

/* Milliseconds since 1970 (wall clock), for deadlines stored in files. */
uint64_t sys_realtime_ms(void);

/* Creates path and its missing parents (mode 0755 where it applies). */
int sys_mkdir_p(const char *path, struct cm_err *err);

/* The same for a folder of cmremedy's own state: its last `levels`
 * components are private to administrators (cm_mkdir(..., 1): POSIX mode
 * 0700 when created; Windows a protected SYSTEM + Administrators DACL, set
 * again on a folder that already exists). */
int sys_mkdir_private(const char *path, unsigned levels, struct cm_err *err);

/* Milliseconds from an arbitrary fixed point; never goes backwards. */
uint64_t sys_monotonic_ms(void);

/* Sleeps at least ms milliseconds. */
void sys_sleep_ms(unsigned ms);

#endif
