// SPDX-License-Identifier: ISC
/* lock.h - one run at a time per machine.
 *
 * apply, toggle, revert and recover hold the machine lock from their
 * first observation to their final report: HOME/cmremedy.lock (HOME is the
 * backend's machine-scoped folder: the sim DIR, %ProgramData%\cmremedy),
 * an fcntl record lock (LockFileEx on Windows) that the system drops when
 * the holder dies, so a kill -9 never leaves the machine locked.  The file
 * holds one line saying who holds it: "pid N since T (report R)".
 * check and plan never take it; they look (lock_probe) and say so. */
#ifndef CM_LOCK_H
#define CM_LOCK_H

#include <stddef.h>

#include "util/err.h"

#define LOCK_FILE "cmremedy.lock"
#define LOCK_WAIT_DEFAULT 600u    /* --wait: seconds */
#define LOCK_WHO_MAX 1024

struct machine_lock;

/*
 * Takes the lock of the machine whose folder is home, waiting at most
 * wait_s seconds (0: not at all) for another run to finish, and records
 * this process and report in it.  0 and *out (lock_release), or -1 with
 * err: CM_ERR_BUSY "busy: held by pid N since T (report R)" when the wait
 * ran out, CM_ERR_SYSTEM when the lock file cannot be used.
 */
int lock_take(const char *home, unsigned wait_s, const char *report,
    struct machine_lock **out, struct cm_err *err);

/* Releases the lock.  NULL is a no-op. */
void lock_release(struct machine_lock *l);

/* Whether a run holds the lock now: 1 with who ("pid N since T (report
 * R)"), 0 if not, -1 with err. */
int lock_probe(const char *home, char *who, size_t wholen,
    struct cm_err *err);

#endif
