// SPDX-License-Identifier: ISC
/* test_jsonw.c - the JSON helpers every writer shares: text always valid
 * UTF-8, NULL as null, one time form, the first failure kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/jsonw.h"
#include "util/utf.h"

/* The string value of j, which must be a JSON string. */
static const char *
str(json_t *j)
{
	assert_non_null(j);
	assert_true(json_is_string(j));
	return json_string_value(j);
}

static void
test_text(void **state)
{
	json_t *j;
	(void)state;

	j = jsonw_text(NULL);
	assert_true(json_is_null(j));
	json_decref(j);
	j = jsonw_text("caf\xc3\xa9");
	assert_string_equal(str(j), "caf\xc3\xa9");
	json_decref(j);
	/* jansson alone refuses these: each bad byte becomes U+FFFD. */
	j = jsonw_text("caf\xe9 \xff\xfe!");
	assert_string_equal(str(j),
	    "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd!");
	json_decref(j);
	j = jsonw_text("\xed\xa0\x80");          /* a surrogate */
	assert_string_equal(str(j), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(j);
}

static void
test_clean(void **state)
{
	char *c;
	(void)state;

	assert_non_null(c = utf8_clean("a\0b", 3));
	assert_string_equal(c, "a\xef\xbf\xbd" "b");
	free(c);
	assert_non_null(c = utf8_clean("\xc3", 1));      /* cut short */
	assert_string_equal(c, "\xef\xbf\xbd");
	free(c);
	assert_non_null(c = utf8_clean("", 0));
	assert_string_equal(c, "");
	free(c);
}

static void
test_time(void **state)
{
	json_t *j;
	(void)state;

	j = jsonw_time((time_t)1767312000);      /* 2026-01-02 00:00:00 UTC */
	assert_string_equal(str(j), "2026-01-02T00:00:00Z");
	json_decref(j);
}

/* The first failure is kept; what comes after is released, not set. */
static void
test_first_failure(void **state)
{
	struct cm_err err;
	struct jsonw w = { &err, 0 };
	json_t *o = json_object(), *a = json_array();
	(void)state;

	cm_err_clear(&err);
	assert_int_equal(jsonw_set(&w, o, "a", json_integer(1)), 0);
	assert_int_equal(jsonw_push(&w, a, json_integer(2)), 0);
	assert_false(w.failed);
	/* A construction that failed (NULL) is out of memory. */
	assert_int_equal(jsonw_set(&w, o, "b", NULL), -1);
	assert_true(w.failed);
	assert_int_equal(err.kind, CM_ERR_NOMEM);
	/* Another reason given by the caller is not overwritten. */
	cm_err_set(&err, CM_ERR_INPUT, 0, "first");
	assert_int_equal(jsonw_set(&w, o, "c", json_integer(3)), -1);
	assert_int_equal(jsonw_push(&w, a, json_integer(4)), -1);
	assert_int_equal(jsonw_nomem(&w), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_string_equal(err.msg, "first");
	assert_int_equal(json_object_size(o), 1);
	assert_null(json_object_get(o, "c"));
	assert_int_equal(json_array_size(a), 1);
	json_decref(o);
	json_decref(a);
}

/* A push that fails marks the writer failed too. */
static void
test_push_failure(void **state)
{
	struct jsonw w = { NULL, 0 };
	json_t *a = json_array();
	(void)state;

	assert_int_equal(jsonw_push(&w, a, NULL), -1);
	assert_true(w.failed);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

/* An allocator of jansson's own, counting: jsonw_free must hand jansson's
 * text back to it, not to free(). */
static long counted_mallocs, counted_frees;
static void *counted_last_free;

static void *
counted_malloc(size_t n)
{
	counted_mallocs++;
	return malloc(n);
}

static void
counted_free(void *p)
{
	counted_frees++;
	counted_last_free = p;
	free(p);
}

static void
test_free_through_jansson(void **state)
{
	json_t *o;
	char *s;
	(void)state;

	json_set_alloc_funcs(counted_malloc, counted_free);
	counted_mallocs = counted_frees = 0;
	o = json_pack("{s:s, s:i}", "key", "value", "n", 1);
	s = json_dumps(o, 0);
	json_decref(o);
	assert_non_null(s);
	assert_true(counted_mallocs > counted_frees);
	jsonw_free(s);
	assert_ptr_equal(counted_last_free, s);
	assert_int_equal(counted_mallocs, counted_frees);
	jsonw_free(NULL);                       /* nothing to free */
	assert_int_equal(counted_mallocs, counted_frees);
	json_set_alloc_funcs(malloc, free);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_first_failure),
		cmocka_unit_test(test_push_failure),
		cmocka_unit_test(test_free_through_jansson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
