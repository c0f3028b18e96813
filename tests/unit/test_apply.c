// SPDX-License-Identifier: ISC
/* test_apply.c - the apply sequence through an in-memory machine: order of
 * operations, idempotence, toggle, and above all what happens when any one
 * call fails (the machine ends as before) or when the rollback fails too
 * (the report says exactly what is left). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/apply.h"
#include "mock_backend.h"

#define KEY "HKLM\\SOFTWARE\\Microsoft\\SMS\\SMS_CLOUD_PROXYCONNECTOR"
#define NEWKEY "HKLM\\SOFTWARE\\Contoso\\New\\Deep"

/* The KB 4503442 machine: VerboseLogging = 0, SMS_EXECUTIVE running with a
 * running dependent, and an unrelated stopped service. */
static void
machine_kb(struct mock_machine *m)
{
	memset(m, 0, sizeof(*m));
	mock_add_dword(m, KEY, "VerboseLogging", REGVIEW_64, 0);
	mock_add_service(m, "SMS_EXECUTIVE", "", SVC_RUNNING, 4242);
	mock_add_service(m, "SMS_DEP", "SMS_EXECUTIVE", SVC_RUNNING, 4300);
	mock_add_service(m, "OTHER", "", SVC_STOPPED, 0);
}

static struct profile *
profile_kb(int with_new_key)
{
	struct profile *p = profile_new("test.ini", "kb");
	struct profile_setting *s;
	struct profile_service *sv;

	assert_non_null(p);
	s = profile_add_setting(p);
	s->id = strdup("verbose");
	s->key = strdup(KEY);
	s->value = strdup("VerboseLogging");
	s->view = REGVIEW_64;
	s->present = 1;
	regval_set_number(&s->desired, REGT_DWORD, 1);
	s->has_off = 1;
	regval_set_number(&s->off, REGT_DWORD, 0);
	if (with_new_key) {
		s = profile_add_setting(p);
		s->id = strdup("new");
		s->key = strdup(NEWKEY);
		s->value = strdup("Level");
		s->view = REGVIEW_64;
		s->present = 1;
		regval_set_number(&s->desired, REGT_DWORD, 7);
	}
	sv = profile_add_service(p);
	sv->name = strdup("SMS_EXECUTIVE");
	sv->stop_timeout_ms = 1000;
	sv->start_timeout_ms = 1000;
	return p;
}

static enum apply_result
run(struct mock_machine *m, const struct profile *p, enum plan_mode mode,
    int dry, struct report **rep)
{
	struct apply_opts o;
	struct backend *b = mock_backend(m);
	struct cm_err err;
	enum apply_result res;

	memset(&o, 0, sizeof(o));
	o.command = mode == PLAN_TOGGLE ? "toggle" : "apply";
	o.mode = mode;
	o.dry_run = dry;
	res = apply_run(b, p, &o, rep, &err);
	backend_close(b);
	return res;
}

static unsigned long
verbose(const struct mock_machine *m)
{
	const struct mock_value *v = mock_find(m, KEY, "VerboseLogging",
	    REGVIEW_64);

	assert_non_null(v);
	return (unsigned long)v->v.num;
}

/* A revert-like profile: Level under NEWKEY must not exist, and
 * remove_key levels of its key go too. */
static struct profile *
profile_absent_level(int remove_key)
{
	struct profile *p = profile_new("r.json", "revert");
	struct profile_setting *s = profile_add_setting(p);

	s->id = strdup("Level");
	s->key = strdup(NEWKEY);
	s->value = strdup("Level");
	s->view = REGVIEW_64;
	s->present = 0;
	s->desired.type = REGT_DWORD;
	s->remove_key = remove_key;
	return p;
}

static void
test_apply_sets_and_restarts_in_order(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_int_equal(verbose(&m), 1);
	/* Dependent down first, up last; then a new pid is required. */
	assert_non_null(strstr(m.log, "write:VerboseLogging read:VerboseLogging "
	    "dependents:SMS_EXECUTIVE stop:SMS_DEP stop:SMS_EXECUTIVE "
	    "start:SMS_EXECUTIVE start:SMS_DEP query:SMS_EXECUTIVE"));
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_RUNNING);
	assert_string_equal(rep->outcome, "changed");
	assert_string_equal(rep->settings[0].action, "set");
	assert_int_equal(rep->settings[0].before.value.num, 0);
	assert_int_equal(rep->settings[0].after.value.num, 1);
	assert_string_equal(rep->services[0].action, "restart");
	assert_int_equal(rep->services[0].before.pid, 4242);
	assert_true(rep->services[0].after.pid > 4242);
	assert_int_equal(rep->services[0].ndependents, 1);
	assert_string_equal(rep->services[0].dependents[0], "SMS_DEP");
	assert_null(strstr(m.log, "OTHER"));
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

static void
test_apply_twice_restarts_once(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	report_free(rep);
	m.log[0] = '\0';
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_UNCHANGED);
	assert_null(strstr(m.log, "write"));
	assert_null(strstr(m.log, "stop"));
	assert_string_equal(rep->outcome, "unchanged");
	assert_string_equal(rep->services[0].action, "none");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

static void
test_dry_run_touches_nothing(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(1);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_APPLY, 1, &rep), APPLY_PLANNED);
	assert_null(strstr(m.log, "write"));
	assert_null(strstr(m.log, "delete"));
	assert_null(strstr(m.log, "stop"));
	assert_int_equal(verbose(&m), 0);
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	assert_string_equal(rep->outcome, "planned");
	assert_string_equal(rep->settings[0].action, "set");
	assert_string_equal(rep->settings[1].action, "create");
	assert_string_equal(rep->services[0].action, "restart");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

static void
test_toggle_twice_returns(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_TOGGLE, 0, &rep), APPLY_CHANGED);
	assert_string_equal(rep->toggle_to, "on");
	report_free(rep);
	assert_int_equal(verbose(&m), 1);
	assert_int_equal(run(&m, p, PLAN_TOGGLE, 0, &rep), APPLY_CHANGED);
	assert_string_equal(rep->toggle_to, "off");
	report_free(rep);
	assert_int_equal(verbose(&m), 0);
	profile_free(p);
	mock_clear(&m);
}

static void
test_start_failure_rolls_back_created_keys(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(1);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	m.services[0].fail_start = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_int_equal(verbose(&m), 0);
	assert_null(mock_find(&m, NEWKEY, "Level", REGVIEW_64));
	/* All three created levels are gone; the existing parent stays. */
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	assert_false(mock_key_present(&m, "HKLM\\SOFTWARE\\Contoso",
	    REGVIEW_64));
	assert_true(mock_key_present(&m, "HKLM\\SOFTWARE", REGVIEW_64));
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->state, SVC_RUNNING);
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_RUNNING);
	assert_string_equal(rep->outcome, "rolled_back");
	assert_string_equal(rep->settings[0].state, "restored");
	assert_string_equal(rep->settings[1].state, "restored");
	assert_string_equal(rep->services[0].state, "started_again");
	assert_true(rep->nerrors >= 1);
	assert_string_equal(rep->errors[0].step, "restart");
	assert_int_equal(rep->settings[0].keys_created, 0);
	assert_int_equal(rep->settings[1].keys_created, 3);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* A revert of created keys removes every level the apply created, and
 * stops, without failing, at a parent that holds something else. */
static void
test_delete_target_removes_created_levels(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_absent_level(3);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	mock_add_dword(&m, NEWKEY, "Level", REGVIEW_64, 7);
	mock_add_dword(&m, "HKLM\\SOFTWARE\\Contoso\\Other", "Keep",
	    REGVIEW_64, 1);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	assert_false(mock_key_present(&m, "HKLM\\SOFTWARE\\Contoso\\New",
	    REGVIEW_64));
	/* Contoso still holds Other: left in place, and said so. */
	assert_true(mock_key_present(&m, "HKLM\\SOFTWARE\\Contoso",
	    REGVIEW_64));
	assert_non_null(mock_find(&m, "HKLM\\SOFTWARE\\Contoso\\Other", "Keep",
	    REGVIEW_64));
	assert_int_equal(rep->nerrors, 1);
	assert_string_equal(rep->errors[0].step, "cleanup");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* The number of backend calls a clean apply makes. */
static unsigned
clean_calls(const struct profile *p)
{
	struct mock_machine m;
	struct report *rep;
	unsigned n;

	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	n = m.calls;
	report_free(rep);
	mock_clear(&m);
	return n;
}

static void
test_each_call_failing_leaves_machine_as_before(void **state)
{
	struct profile *p = profile_kb(1);
	unsigned n = clean_calls(p), i;
	int seen_error = 0, seen_rollback = 0;
	(void)state;

	assert_true(n > 15);
	for (i = 1; i <= n; i++) {
		struct mock_machine m;
		struct report *rep;
		enum apply_result res;

		machine_kb(&m);
		m.fail_at = i;
		res = run(&m, p, PLAN_APPLY, 0, &rep);
		assert_non_null(rep);
		if (res == APPLY_CHANGED) {
			/* Only the final re-read may fail without undoing a
			 * verified change; its side is then unknown. */
			assert_int_equal(verbose(&m), 1);
			assert_true(!rep->settings[0].after.known ||
			    !rep->settings[1].after.known ||
			    !rep->services[0].after_known);
		} else {
			assert_true(res == APPLY_ERROR ||
			    res == APPLY_ROLLED_BACK);
			seen_error |= res == APPLY_ERROR;
			seen_rollback |= res == APPLY_ROLLED_BACK;
			assert_int_equal(verbose(&m), 0);
			assert_null(mock_find(&m, NEWKEY, "Level", REGVIEW_64));
			assert_false(mock_key_present(&m,
			    "HKLM\\SOFTWARE\\Contoso", REGVIEW_64));
			assert_int_equal(mock_service(&m,
			    "SMS_EXECUTIVE")->state, SVC_RUNNING);
			assert_int_equal(mock_service(&m, "SMS_DEP")->state,
			    SVC_RUNNING);
			assert_true(rep->nerrors >= 1);
		}
		report_free(rep);
		mock_clear(&m);
	}
	assert_true(seen_error);
	assert_true(seen_rollback);
	profile_free(p);
}

/* From call i on everything fails: the rollback fails too.  Then the
 * report must say, setting by setting, what the machine really holds. */
static void
test_failing_rollback_reports_exact_state(void **state)
{
	struct profile *p = profile_kb(1);
	unsigned n = clean_calls(p), i;
	int seen_failed = 0;
	(void)state;

	for (i = 1; i <= n; i++) {
		struct mock_machine m;
		struct report *rep;
		enum apply_result res;
		size_t k;

		machine_kb(&m);
		m.fail_at = i;
		m.fail_after = 1;
		res = run(&m, p, PLAN_APPLY, 0, &rep);
		assert_non_null(rep);
		if (res != APPLY_FAILED) {
			report_free(rep);
			mock_clear(&m);
			continue;
		}
		seen_failed = 1;
		assert_string_equal(rep->outcome, "failed");
		for (k = 0; k < rep->nsettings; k++) {
			const struct report_setting *rs = &rep->settings[k];
			const struct mock_value *v = mock_find(&m, rs->key,
			    rs->value, rs->view);

			assert_non_null(rs->state);
			if (strcmp(rs->state, "changed") == 0) {
				assert_non_null(v);
				assert_true(regval_equal(&v->v,
				    &rs->desired.value));
			} else if (strcmp(rs->state, "unknown") == 0) {
				/* only when it could not be read back */
				assert_false(rs->after.known);
			} else {
				/* restored or never touched: as before */
				if (rs->before.exists) {
					assert_non_null(v);
					assert_true(regval_equal(&v->v,
					    &rs->before.value));
				} else
					assert_null(v);
			}
		}
		assert_true(rep->nerrors >= 2);
		report_free(rep);
		mock_clear(&m);
	}
	assert_true(seen_failed);
	profile_free(p);
}

static void
test_hang_on_stop_without_dependents(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	m.services[1].state = SVC_STOPPED;   /* no active dependent */
	m.services[0].hang_stop = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_int_equal(verbose(&m), 0);
	assert_string_equal(rep->services[0].state, "stop_never_completed");
	assert_int_equal(rep->services[0].after.state, SVC_STOP_PENDING);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

static void
test_hang_on_stop_with_dependent_is_reported(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	/* The dependent was stopped first; it cannot start while
	 * SMS_EXECUTIVE hangs in STOP_PENDING: exit 5, and the report says so. */
	machine_kb(&m);
	m.services[0].hang_stop = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_int_equal(verbose(&m), 0);
	assert_string_equal(rep->settings[0].state, "restored");
	assert_string_equal(rep->services[0].state, "rollback_failed");
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_STOPPED);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

static void
test_delete_target_removes_value_and_key(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_absent_level(1);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	mock_add_dword(&m, NEWKEY, "Level", REGVIEW_64, 7);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_string_equal(rep->settings[0].action, "delete");
	assert_null(mock_find(&m, NEWKEY, "Level", REGVIEW_64));
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

static void
test_missing_service_is_error_before_change(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct backend *b;
	struct cm_err err;
	(void)state;

	machine_kb(&m);
	snprintf(m.services[0].name, sizeof(m.services[0].name), "RENAMED");
	b = mock_backend(&m);
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	assert_int_equal(apply_run(b, p, &o, &rep, &err), APPLY_ERROR);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "SMS_EXECUTIVE does not exist"));
	assert_null(strstr(m.log, "write"));
	assert_string_equal(rep->outcome, "failed");
	backend_close(b);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Removes the report folder when the last dependent is started: the
 * final report can then not be written. */
static void
break_report_dir(struct mock_machine *m, const char *op, const char *arg)
{
	const char *dir = m->ctx;
	char path[512];

	if (strcmp(op, "start") != 0 || strcmp(arg, "SMS_DEP") != 0)
		return;
	snprintf(path, sizeof(path), "%s/r.json", dir);
	unlink(path);
	rmdir(dir);
}

/* Writing the report is a step of the apply: when it fails after the
 * change, the change is rolled back (there would be nothing to revert
 * from). */
static void
test_unwritable_final_report_rolls_back(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct backend *b;
	struct cm_err err;
	char dir[] = "/tmp/cmr-test-apply-XXXXXX", path[512];
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.json", dir);
	machine_kb(&m);
	m.on_call = break_report_dir;
	m.ctx = dir;
	b = mock_backend(&m);
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	o.report_path = path;
	assert_int_equal(apply_run(b, p, &o, &rep, &err), APPLY_ROLLED_BACK);
	assert_non_null(strstr(err.msg, "r.json"));
	assert_int_equal(verbose(&m), 0);
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->state, SVC_RUNNING);
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_RUNNING);
	assert_string_equal(rep->outcome, "rolled_back");
	assert_string_equal(rep->errors[0].step, "report");
	backend_close(b);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_sets_and_restarts_in_order),
		cmocka_unit_test(test_apply_twice_restarts_once),
		cmocka_unit_test(test_dry_run_touches_nothing),
		cmocka_unit_test(test_toggle_twice_returns),
		cmocka_unit_test(test_start_failure_rolls_back_created_keys),
		cmocka_unit_test(test_each_call_failing_leaves_machine_as_before),
		cmocka_unit_test(test_failing_rollback_reports_exact_state),
		cmocka_unit_test(test_hang_on_stop_without_dependents),
		cmocka_unit_test(test_hang_on_stop_with_dependent_is_reported),
		cmocka_unit_test(test_delete_target_removes_value_and_key),
		cmocka_unit_test(test_delete_target_removes_created_levels),
		cmocka_unit_test(test_missing_service_is_error_before_change),
		cmocka_unit_test(test_unwritable_final_report_rolls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
