// SPDX-License-Identifier: ISC
/* fuzz_report.c - libFuzzer target: the JSON report reader that `revert`
 * trusts, and revert's checks and profile after it.  A report it refuses
 * is refused as bad input (CM_ERR_INPUT: exit 2) with a message naming
 * the file.  A report it accepts must come out of report_to_json as a
 * report it accepts again, and that one must give the same JSON: what
 * revert reads is what apply wrote.  Then revert's way with it, on an
 * in-memory machine (tests/unit/support/mock_backend) that holds what the
 * report says each change left: the origin check refuses another
 * machine's report and a report without a machine; the revert profile is
 * built or refused as bad input naming the file, and the built-in policy
 * judges it; the changed-since check passes on that machine (it holds
 * every "after"), and refuses only as bad input naming the file where the
 * report cannot hold on any machine (an "after" not known, or one value
 * recorded twice). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/policy.h"
#include "core/report.h"
#include "core/revert.h"
#include "fuzz_jsonmem.h"
#include "reg/regval.h"
#include "support/mock_backend.h"

#define NAME "fuzz.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_report: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

static void
refused(const struct cm_err *err, const char *what)
{
	if (err->kind == CM_ERR_NOMEM)
		return;
	if (err->kind != CM_ERR_INPUT)
		die(what, err->msg);
	if (strncmp(err->msg, NAME ":", strlen(NAME ":")) != 0)
		die("a refusal that does not name the file", err->msg);
}

/* The origin and outcome check: with the report's own machine it decides
 * as with none; another machine's report, or one without a machine, is
 * refused whatever else it says. */
static void
check_origin(const struct report *r)
{
	struct cm_err err;
	int rc = revert_check_report(r, NAME, NULL, &err);

	if (rc != 0)
		refused(&err, "an origin refusal that is not bad input");
	if (r->machine != NULL &&
	    revert_check_report(r, NAME, r->machine, &err) != rc)
		die("its own machine decides otherwise than none", NULL);
	if (revert_check_report(r, NAME, "\\fuzz {another machine}", &err)
	    == 0 && (r->machine == NULL ||
	    strcmp(r->machine, "\\fuzz {another machine}") != 0))
		die("another machine's report passes the origin check", NULL);
}

/* Whether settings i and k of r name the same value. */
static int
same_value(const struct report *r, size_t i, size_t k)
{
	const struct report_setting *a = &r->settings[i], *b = &r->settings[k];

	return a->view == b->view && strcasecmp(a->key, b->key) == 0 &&
	    strcasecmp(a->value, b->value) == 0;
}

/* Puts every "after" the report recorded on the machine m.  1 if the
 * report can hold on a machine (every changed value's "after" known, no
 * value changed twice, everything fits the mock), else 0. */
static int
machine_after(struct mock_machine *m, const struct report *r)
{
	size_t i, k;
	int ok = 1;

	for (i = 0; i < r->nsettings; i++) {
		const struct report_setting *rs = &r->settings[i];
		struct mock_value *v;

		if (strcmp(rs->action, "none") == 0)
			continue;
		for (k = 0; k < i; k++)
			if (strcmp(r->settings[k].action, "none") != 0 &&
			    same_value(r, i, k))
				ok = 0;
		if (!rs->after.known) {
			ok = 0;
			continue;
		}
		if (!rs->after.exists)
			continue;
		if (strlen(rs->key) >= sizeof(v->key) ||
		    strlen(rs->value) >= sizeof(v->name) ||
		    m->nvalues == MOCK_MAX) {
			ok = 0;
			continue;
		}
		v = &m->values[m->nvalues];
		memset(v, 0, sizeof(*v));
		memcpy(v->key, rs->key, strlen(rs->key) + 1);
		memcpy(v->name, rs->value, strlen(rs->value) + 1);
		v->view = rs->view;
		if (regval_copy(&v->v, &rs->after.value) != 0)
			return 0;
		m->nvalues++;
	}
	return ok;
}

/* revert's checks and profile on a report that loaded. */
static void
check_revert(const struct report *r)
{
	static struct mock_machine m;
	static struct backend *b;
	static struct policy *pol;
	struct profile *p;
	struct cm_err err;
	int holds;

	if (b == NULL && (b = mock_backend(&m)) == NULL)
		return;
	if (pol == NULL && policy_load(NULL, &pol, &err) != 0)
		die("no built-in policy", err.msg);
	check_origin(r);
	if (revert_profile(r, NAME, &p, &err) != 0)
		refused(&err, "a revert profile refused as something other "
		    "than bad input");
	else {
		if (p->nsettings != r->nsettings ||
		    p->nservices != r->nservices)
			die("a revert profile that drops settings or services",
			    NULL);
		if (policy_check_profile(pol, p, &err) != 0 &&
		    err.kind != CM_ERR_INPUT && err.kind != CM_ERR_NOMEM)
			die("a policy refusal that is not bad input", err.msg);
		profile_free(p);
	}
	mock_clear(&m);
	holds = machine_after(&m, r);
	if (revert_check_since(b, r, NAME, 1, &err) != 0)
		die("revert --force checks what changed since", err.msg);
	if (revert_check_since(b, r, NAME, 0, &err) != 0) {
		if (holds)
			die("a machine as the report left it is said to have "
			    "changed since", err.msg);
		refused(&err, "a changed-since refusal that is not bad input");
	}
	mock_clear(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report *r, *again;
	struct cm_err err;
	char *json, *json2;

	fuzz_jsonmem_begin();
	if (report_parse(NAME, data, size, &r, &err) != 0) {
		fuzz_jsonmem_end();
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
	check_revert(r);
	free(json2);
	free(json);
	report_free(again);
	report_free(r);
	fuzz_jsonmem_end();
	return 0;
}
