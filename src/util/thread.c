// SPDX-License-Identifier: ISC
/* thread.c - threads, a lock and a condition: pthreads, or Win32. */
#include "thread.h"

#include <stdlib.h>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

struct thr {
	HANDLE h;
	void (*fn)(void *);
	void *arg;
};

struct thr_lock {
	CRITICAL_SECTION cs;
	CONDITION_VARIABLE cv;
};

static DWORD WINAPI
trampoline(LPVOID p)
{
	struct thr *t = p;

	t->fn(t->arg);
	return 0;
}

struct thr *
thr_start(void (*fn)(void *), void *arg)
{
	struct thr *t = malloc(sizeof(*t));

	if (t == NULL)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	if ((t->h = CreateThread(NULL, 0, trampoline, t, 0, NULL)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
thr_join(struct thr *t)
{
	if (t == NULL)
		return;
	WaitForSingleObject(t->h, INFINITE);
	CloseHandle(t->h);
	free(t);
}

struct thr_lock *
thr_lock_new(void)
{
	struct thr_lock *l = malloc(sizeof(*l));

	if (l == NULL)
		return NULL;
	InitializeCriticalSection(&l->cs);
	InitializeConditionVariable(&l->cv);
	return l;
}

void
thr_lock_free(struct thr_lock *l)
{
	if (l == NULL)
		return;
	DeleteCriticalSection(&l->cs);
	free(l);
}

void
thr_lock(struct thr_lock *l)
{
	EnterCriticalSection(&l->cs);
}

void
thr_unlock(struct thr_lock *l)
{
	LeaveCriticalSection(&l->cs);
}

void
thr_wait(struct thr_lock *l)
{
	SleepConditionVariableCS(&l->cv, &l->cs, INFINITE);
}

void
thr_broadcast(struct thr_lock *l)
{
	WakeAllConditionVariable(&l->cv);
}

unsigned
thr_ncpu(void)
{
	SYSTEM_INFO si;

	GetSystemInfo(&si);
	return si.dwNumberOfProcessors > 0 ? (unsigned)si.dwNumberOfProcessors :
	    1;
}

#else
#include <pthread.h>
#include <unistd.h>

struct thr {
	pthread_t id;
	void (*fn)(void *);
	void *arg;
};

struct thr_lock {
	pthread_mutex_t m;
	pthread_cond_t c;
};

static void *
trampoline(void *p)
{
	struct thr *t = p;

	t->fn(t->arg);
	return NULL;
}

struct thr *
thr_start(void (*fn)(void *), void *arg)
{
	struct thr *t = malloc(sizeof(*t));

	if (t == NULL)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	if (pthread_create(&t->id, NULL, trampoline, t) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
thr_join(struct thr *t)
{
	if (t == NULL)
		return;
	(void)pthread_join(t->id, NULL);
	free(t);
}

struct thr_lock *
thr_lock_new(void)
{
	struct thr_lock *l = malloc(sizeof(*l));

	if (l == NULL)
		return NULL;
	if (pthread_mutex_init(&l->m, NULL) != 0) {
		free(l);
		return NULL;
	}
	if (pthread_cond_init(&l->c, NULL) != 0) {
		pthread_mutex_destroy(&l->m);
		free(l);
		return NULL;
	}
	return l;
}

void
thr_lock_free(struct thr_lock *l)
{
	if (l == NULL)
		return;
	pthread_cond_destroy(&l->c);
	pthread_mutex_destroy(&l->m);
	free(l);
}

/* A default mutex cannot fail to lock or unlock when used as the
 * contract says: the results are not checked. */
void
thr_lock(struct thr_lock *l)
{
	(void)pthread_mutex_lock(&l->m);
}

void
thr_unlock(struct thr_lock *l)
{
	(void)pthread_mutex_unlock(&l->m);
}

void
thr_wait(struct thr_lock *l)
{
	(void)pthread_cond_wait(&l->c, &l->m);
}

void
thr_broadcast(struct thr_lock *l)
{
	(void)pthread_cond_broadcast(&l->c);
}

unsigned
thr_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}
#endif
