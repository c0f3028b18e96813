// SPDX-License-Identifier: ISC
/* test_diag_match.c - how the rules find their words in a message: in any
 * capitalisation, the first occurrence, up to the message's last byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "diag/diag_logline.h"
#include "diag/diag_rules.h"

static struct diag_file *file;

static struct diag_rules *
rules_new(void)
{
	struct diag_rules *r;

	assert_non_null(r = diag_rules_new(0, 0));
	return r;
}

static void
feed_text(struct diag_rules *r, const char *name, const char *text)
{
	struct diag_sink s;

	assert_non_null(file = diag_file_new(name));
	diag_rules_sink(r, &s);
	diag_rules_file_begin(r);
	assert_int_equal(diag_scan_mem((const unsigned char *)text,
	    strlen(text), file, &s, NULL), 0);
}

static void
free_files(void)
{
	diag_file_free(file);
	file = NULL;
}

/* The finding with this id (and stage, if not NULL), or NULL. */
static const struct diag_finding *
find(const struct diag_rules *r, const char *id, const char *stage)
{
	const struct diag_finding *fd;
	size_t i;

	for (i = 0; i < diag_rules_count(r); i++) {
		fd = diag_rules_get(r, i);
		if (strcmp(fd->id, id) == 0 && (stage == NULL ||
		    (fd->stage != NULL && strcmp(fd->stage, stage) == 0)))
			return fd;
	}
	return NULL;
}

static void
test_match_any_case(void **state)
{
	struct diag_rules *r = rules_new();
	const struct diag_finding *fd;
	(void)state;

	/* The needle's first letter in both cases before the match; at the
	 * very end of a message; cut one byte short; after a near miss. */
	feed_text(r, "m.log",
	    "<![LOG[c C cMG cmgservice_invalid_token]LOG]!>"
	    "<time=\"1:00:00.000+000\" date=\"1-2-2026\">\n"
	    "<![LOG[CMG cmg Cmg CMGSERVICE_INVALID_TOKE]LOG]!>"
	    "<time=\"1:00:01.000+000\" date=\"1-2-2026\">\n"
	    "<![LOG[C c CmGsErViCe_InVaLiD_tOkEnX]LOG]!>"
	    "<time=\"1:00:02.000+000\" date=\"1-2-2026\">\n"
	    "<![LOG[CMGService_Invalid_Tokem CMGService_Invalid_Token]LOG]!>"
	    "<time=\"1:00:03.000+000\" date=\"1-2-2026\">\n"
	/* The first match is the one read, whatever its case. */
	    "<![LOG[filtered cert count with digital signature: 0 "
	    "Filtered cert count with digital signature: 2]LOG]!>"
	    "<time=\"1:00:04.000+000\" date=\"1-2-2026\">\n");
	diag_rules_finish(r);
	assert_non_null(find(r, "cert-filter-empty", "digital-signature"));
	assert_non_null(fd = find(r, "cmg-token-invalid", NULL));
	assert_int_equal(fd->count, 3);
	assert_int_equal(fd->ev[0].line, 1);
	assert_int_equal(fd->ev[1].line, 3);
	assert_int_equal(fd->ev[2].line, 4);
	diag_rules_free(r);
	free_files();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_any_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
