// SPDX-License-Identifier: ISC
/* thread.h - the little threading diagnose needs: start and join
 * threads, one lock with a condition, the number of processors.
 * pthreads on POSIX, Win32 threads on Windows (so the static PE needs no
 * pthread library); the types are opaque so that no caller sees either. */
#ifndef CM_THREAD_H
#define CM_THREAD_H

#include <stddef.h>

struct thr;
struct thr_lock;

/* Starts fn(arg) on a new thread.  Returns the handle (join it once), or
 * NULL if no thread could be started. */
struct thr *thr_start(void (*fn)(void *), void *arg);

/* Waits for t to return and frees it.  NULL is a no-op. */
void thr_join(struct thr *t);

/* A mutex with one condition variable.  NULL on allocation failure;
 * thr_lock_free(NULL) is a no-op. */
struct thr_lock *thr_lock_new(void);
void thr_lock_free(struct thr_lock *l);
void thr_lock(struct thr_lock *l);
void thr_unlock(struct thr_lock *l);

/* Releases l (held by the caller), waits for a broadcast and takes l
 * again; may also return spuriously: wait in a loop on the condition. */
void thr_wait(struct thr_lock *l);
void thr_broadcast(struct thr_lock *l);

/* The processors online (at least 1): the default number of workers. */
unsigned thr_ncpu(void);

#endif
