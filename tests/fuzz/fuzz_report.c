// SPDX-License-Identifier: ISC
/* fuzz_report.c - libFuzzer target: the JSON report reader that `revert`
 * trusts.  A report it refuses is refused as bad input (CM_ERR_INPUT:
 * exit 2) with a message naming the file.  A report it accepts must come
 * out of report_to_json as a report it accepts again, and that one must
 * give the same JSON: what revert reads is what apply wrote. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"

#define NAME "fuzz.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_report: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report *r, *again;
	struct cm_err err;
	char *json, *json2;

	if (report_parse(NAME, data, size, &r, &err) != 0) {
		if (err.kind == CM_ERR_NOMEM)
			return 0;
		if (err.kind != CM_ERR_INPUT)
			die("a refusal that is not bad input", err.msg);
		if (strncmp(err.msg, NAME ":", strlen(NAME ":")) != 0)
			die("a refusal that does not name the file", err.msg);
		return 0;
	}
	if ((json = report_to_json(r, &err)) == NULL)
		die("a loaded report that cannot be written", err.msg);
	if (report_parse(NAME, (const unsigned char *)json, strlen(json),
	    &again, &err) != 0)
		die("a written report that does not load", err.msg);
	if ((json2 = report_to_json(again, &err)) == NULL)
		die("a reloaded report that cannot be written", err.msg);
	if (strcmp(json, json2) != 0)
		die("written, loaded and written again differs", NULL);
	free(json2);
	free(json);
	report_free(again);
	report_free(r);
	return 0;
}
