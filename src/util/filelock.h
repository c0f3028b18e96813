// SPDX-License-Identifier: ISC
/* filelock.h - an exclusive lock on a file that the system drops when its
 * holder dies, and a line of text in the file saying who holds it.
 *
 * POSIX: an fcntl() record lock (F_SETLK; F_GETLK to look without taking
 * it).  Windows: LockFileEx.  Both lock one byte at FILELOCK_OFFSET, far
 * past the text, so that a reader can read who holds the lock (Windows
 * refuses reads of a locked range).  A record lock belongs to the process:
 * kill -9 releases it, and so does closing any descriptor of the file in
 * the holder - take one lock per process and path. */
#ifndef CM_FILELOCK_H
#define CM_FILELOCK_H

#include <stddef.h>

#include "err.h"

#define FILELOCK_OFFSET 0x40000000L

struct filelock;

/* Opens path (created 0644 if missing; never through a link) and tries to
 * take the lock without waiting.  Returns 1 with *out (release with
 * filelock_release), 0 if another process holds it, -1 with err. */
int filelock_try(const char *path, struct filelock **out, struct cm_err *err);

/* Replaces the text in the file (who holds it: one line). 0 or -1. */
int filelock_set_text(struct filelock *l, const char *text,
    struct cm_err *err);

/* Empties the text, releases the lock, closes, frees.  NULL is a no-op. */
void filelock_release(struct filelock *l);

/* Looks without taking the lock: 1 if a process holds it (its text, cut
 * to textlen - 1 bytes, in text), 0 if not or if path does not exist,
 * -1 with err. */
int filelock_probe(const char *path, char *text, size_t textlen,
    struct cm_err *err);

#endif
