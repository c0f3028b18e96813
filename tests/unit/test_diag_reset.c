// SPDX-License-Identifier: ISC
/* test_diag_reset.c - rules reused through diag_rules_reset() find the
 * same as new rules, keep their --since, and remember nothing of what
 * they saw before (the fuzz targets rely on this). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "diag/diag_logline.h"
#include "diag/diag_rules.h"
#include "diag/diagnose.h"

#define D TEST_DATA "/diag/"

/* A token failure before and after 2026-01-01, one line each. */
static const char TOKEN[] =
    "<![LOG[401 CMGService_Invalid_Token old]LOG]!><time=\"10:00:00.000+000\" "
    "date=\"12-31-2025\" component=\"x\">\n"
    "<![LOG[401 CMGService_Invalid_Token new]LOG]!><time=\"10:00:00.000+000\" "
    "date=\"01-02-2026\" component=\"x\">\n";

static void
feed(struct diag_rules *r, struct diag_file *f, const char *path,
    const char *text)
{
	struct diag_sink s;

	diag_rules_sink(r, &s);
	diag_rules_file_begin(r);
	if (path != NULL)
		assert_int_equal(diag_scan_path(path, f, &s, NULL), 0);
	else
		assert_int_equal(diag_scan_mem((const unsigned char *)text,
		    strlen(text), f, &s, NULL), 0);
	diag_rules_finish(r);
}

static const struct diag_finding *
find(const struct diag_rules *r, const char *id)
{
	size_t i;

	for (i = 0; i < diag_rules_count(r); i++)
		if (strcmp(diag_rules_get(r, i)->id, id) == 0)
			return diag_rules_get(r, i);
	return NULL;
}

static void
test_reset_forgets(void **state)
{
	struct diag_rules *used, *fresh;
	struct diag_file *a, *b;
	const struct diag_finding *fu, *ff;
	size_t i;
	(void)state;

	assert_non_null(used = diag_rules_new(0, 0));
	assert_non_null(fresh = diag_rules_new(0, 0));
	assert_non_null(a = diag_file_new("connector.log"));
	assert_non_null(b = diag_file_new("connector.log"));
	/* A half-read chain is left open in used: its counts must not
	 * reach the next run. */
	feed(used, a, D "SMS_Cloud_ProxyConnector.log", NULL);
	feed(used, a, NULL, "<![LOG[Filtered cert count with digital "
	    "signature: 9]LOG]!>"
	    "<time=\"1:00:00.000+000\" date=\"1-2-2026\">\n");
	assert_true(diag_rules_count(used) > 0);
	diag_rules_reset(used);
	assert_int_equal(diag_rules_count(used), 0);

	feed(used, b, D "SMS_Cloud_ProxyConnector.log", NULL);
	feed(fresh, b, D "SMS_Cloud_ProxyConnector.log", NULL);
	assert_int_equal(diag_rules_count(used), diag_rules_count(fresh));
	for (i = 0; i < diag_rules_count(fresh); i++) {
		fu = diag_rules_get(used, i);
		ff = diag_rules_get(fresh, i);
		assert_string_equal(fu->id, ff->id);
		assert_int_equal(fu->count, ff->count);
		assert_int_equal(fu->nev, ff->nev);
		assert_int_equal(fu->nrejected, ff->nrejected);
		assert_memory_equal(fu->counts, ff->counts, sizeof(fu->counts));
		/* Every byte, the kept lines and certificates included:
		 * a reset clears what it must, not only the counters. */
		assert_memory_equal(fu, ff, sizeof(*fu));
	}
	assert_int_equal(
	    find(used, "cert-filter-empty")->counts[DIAG_ST_DIGSIG], 7);
	diag_file_free(a);
	diag_file_free(b);
	diag_rules_free(used);
	diag_rules_free(fresh);
}

/* Findings written by a merge, not by records, are forgotten too. */
static void
test_reset_after_merge(void **state)
{
	struct diag_rules *all, *each, *fresh;
	struct diag_file *f;
	size_t i;
	(void)state;

	assert_non_null(all = diag_rules_new(0, 0));
	assert_non_null(each = diag_rules_new(0, 0));
	assert_non_null(fresh = diag_rules_new(0, 0));
	assert_non_null(f = diag_file_new("connector.log"));
	feed(each, f, D "SMS_Cloud_ProxyConnector.log", NULL);
	diag_rules_merge(all, each);
	diag_rules_merge(all, each);
	diag_rules_finish(all);
	assert_true(diag_rules_count(all) > 0);
	diag_rules_reset(all);
	feed(all, f, NULL, TOKEN);
	feed(fresh, f, NULL, TOKEN);
	assert_int_equal(diag_rules_count(all), 1);
	assert_int_equal(diag_rules_count(fresh), 1);
	for (i = 0; i < diag_rules_count(fresh); i++)
		assert_memory_equal(diag_rules_get(all, i),
		    diag_rules_get(fresh, i), sizeof(struct diag_finding));
	diag_file_free(f);
	diag_rules_free(all);
	diag_rules_free(each);
	diag_rules_free(fresh);
}

static void
test_reset_keeps_since(void **state)
{
	struct diag_rules *r;
	struct diag_file *f;
	time_t since;
	(void)state;

	assert_int_equal(diag_parse_time("2026-01-01", &since), 0);
	assert_non_null(r = diag_rules_new(1, since));
	assert_non_null(f = diag_file_new("token.log"));
	feed(r, f, NULL, TOKEN);
	assert_int_equal(find(r, "cmg-token-invalid")->count, 1);
	diag_rules_reset(r);
	feed(r, f, NULL, TOKEN);
	assert_int_equal(find(r, "cmg-token-invalid")->count, 1);
	assert_non_null(strstr(find(r, "cmg-token-invalid")->ev[0].text,
	    "new"));
	diag_file_free(f);
	diag_rules_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_forgets),
		cmocka_unit_test(test_reset_keeps_since),
		cmocka_unit_test(test_reset_after_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
