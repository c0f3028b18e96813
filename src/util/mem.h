// SPDX-License-Identifier: ISC
/* mem.h - growing arrays: the one overflow-checked way (OpenBSD's
 * reallocarray, plus doubling) every growing array in cmremedy uses. */
#ifndef CM_MEM_H
#define CM_MEM_H

#include <stddef.h>

/* realloc(p, n * size), or NULL when n * size overflows or memory runs
 * out; p is then untouched and still the caller's.  n or size 0 yields a
 * distinct non-NULL pointer of no usable size (never NULL for success). */
void *mem_reallocarray(void *p, size_t n, size_t size);

/*
 * Makes room for at least `need` elements of `size` bytes in the array p,
 * which holds *cap elements (p is NULL when nothing was allocated yet).
 * When need > *cap it reallocates to the largest of need, twice *cap and
 * 8 elements, so that n appends cost O(n); otherwise p comes back as is.
 * Returns the array, with *cap its new capacity, or NULL when memory ran
 * out or the size would overflow: p and *cap are then untouched, still
 * the caller's.  Use as
 *   if ((nv = mem_grow(a->v, &a->cap, a->n + 1, sizeof(*nv))) == NULL)
 *       return cm_err_nomem(err);
 *   a->v = nv;
 */
void *mem_grow(void *p, size_t *cap, size_t need, size_t size);

#endif
