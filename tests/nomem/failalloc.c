// SPDX-License-Identifier: ISC
/* failalloc.c - an LD_PRELOAD library that makes one allocation fail, so
 * that tests can drive the built cmremedy through every out-of-memory
 * path.  CMREMEDY_FAIL_ALLOC=N makes the Nth malloc, calloc or realloc of
 * the process return NULL (errno ENOMEM); every other call succeeds.  On
 * exit it writes how many allocations it counted to the file named by
 * CMREMEDY_FAIL_ALLOC_COUNT, if set, so that a test knows when to stop.
 *
 * glibc lets a program replace malloc (glibc manual, "Replacing malloc");
 * its own entry points stay reachable as __libc_malloc and friends, so no
 * dlsym is needed (dlsym itself allocates). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

static unsigned long calls, fail_at;
static int armed;

/* 1 if this call is the one to fail. */
static int
fail_now(void)
{
	const char *s;

	if (!armed) {
		armed = 1;
		/* getenv does not allocate. */
		if ((s = getenv("CMREMEDY_FAIL_ALLOC")) != NULL)
			fail_at = strtoul(s, NULL, 10);
	}
	if (++calls != fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

void *
malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}

__attribute__((destructor)) static void
report_count(void)
{
	const char *path = getenv("CMREMEDY_FAIL_ALLOC_COUNT");
	unsigned long n = calls;    /* before fopen adds its own */
	FILE *f;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "%lu\n", n);
	fclose(f);
}
