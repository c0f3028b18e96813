// SPDX-License-Identifier: ISC
/* test_mem.c - array growth: doubling, keeping contents, refusing sizes
 * that overflow without losing the array. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/mem.h"

static void
test_grow_doubles_and_keeps(void **state)
{
	size_t cap = 0, n, grows = 0, last = 0;
	int *v = NULL, *nv;
	(void)state;

	for (n = 0; n < 10000; n++) {
		nv = mem_grow(v, &cap, n + 1, sizeof(*v));
		assert_non_null(nv);
		assert_true(cap >= n + 1);
		if (cap != last) {
			grows++;
			/* Each step at least doubles, from 8 elements. */
			assert_true(last == 0 ? cap == 8 : cap >= 2 * last);
			last = cap;
		}
		v = nv;
		v[n] = (int)n;
	}
	/* 8 .. 16384: twelve allocations for 10000 appends, not 10000. */
	assert_int_equal(grows, 12);
	for (n = 0; n < 10000; n++)
		assert_int_equal(v[n], (int)n);
	free(v);
}

static void
test_grow_no_op_when_room(void **state)
{
	size_t cap = 0;
	char *p, *q;
	(void)state;

	p = mem_grow(NULL, &cap, 100, 1);
	assert_non_null(p);
	assert_int_equal(cap, 100);
	q = mem_grow(p, &cap, 50, 1);
	assert_ptr_equal(p, q);
	assert_int_equal(cap, 100);
	q = mem_grow(p, &cap, 101, 1);
	assert_non_null(q);
	assert_int_equal(cap, 200);
	free(q);
}

static void
test_grow_refuses_overflow(void **state)
{
	size_t cap = 4;
	int *v = malloc(4 * sizeof(*v));
	(void)state;

	assert_non_null(v);
	v[3] = 42;
	errno = 0;
	assert_null(mem_grow(v, &cap, SIZE_MAX / 2, sizeof(*v)));
	assert_int_equal(errno, ENOMEM);
	/* The array and its capacity are untouched, still the caller's. */
	assert_int_equal(cap, 4);
	assert_int_equal(v[3], 42);
	/* One past the largest count whose size fits: refused before any
	 * allocation is tried. */
	cap = SIZE_MAX / sizeof(*v);
	errno = 0;
	assert_null(mem_grow(v, &cap, SIZE_MAX / sizeof(*v) + 1, sizeof(*v)));
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(cap, SIZE_MAX / sizeof(*v));
	free(v);
}

static void
test_reallocarray_checks_product(void **state)
{
	char *p;
	(void)state;

	errno = 0;
	assert_null(mem_reallocarray(NULL, SIZE_MAX / 2 + 2, 2));
	assert_int_equal(errno, ENOMEM);
	p = mem_reallocarray(NULL, 3, 5);
	assert_non_null(p);
	memset(p, 'x', 15);
	p = mem_reallocarray(p, 0, 5);      /* kept, not freed */
	assert_non_null(p);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles_and_keeps),
		cmocka_unit_test(test_grow_no_op_when_room),
		cmocka_unit_test(test_grow_refuses_overflow),
		cmocka_unit_test(test_reallocarray_checks_product),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
