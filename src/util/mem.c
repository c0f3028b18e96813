// SPDX-License-Identifier: ISC
/* mem.c - overflow-checked array growth. */
#include "mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* The smallest capacity mem_grow allocates: fewer, larger first steps. */
#define MEM_MIN_ELEMS 8

void *
mem_reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	/* realloc(p, 0) may free p and return NULL; keep p owned instead. */
	return realloc(p, n * size > 0 ? n * size : 1);
}

void *
mem_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t limit = size != 0 ? SIZE_MAX / size : SIZE_MAX, ncap;
	void *np;

	if (need <= *cap && p != NULL)
		return p;
	if (need > limit) {
		errno = ENOMEM;
		return NULL;
	}
	/* Doubling stops at the largest count whose size still fits. */
	ncap = *cap <= limit / 2 ? *cap * 2 : limit;
	if (ncap < need)
		ncap = need;
	if (ncap < MEM_MIN_ELEMS && MEM_MIN_ELEMS <= limit)
		ncap = MEM_MIN_ELEMS;
	if ((np = mem_reallocarray(p, ncap, size)) == NULL)
		return NULL;
	*cap = ncap;
	return np;
}
