// SPDX-License-Identifier: ISC
/* test_apply.c - the apply sequence through an in-memory machine: order of
 * operations, idempotence, toggle, and above all what happens when any one
 * call fails (the machine ends as before) or when the rollback fails too
 * (the report says exactly what is left). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "core/apply.h"
#include "reg/regfile.h"
#include "util/sysutil.h"
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
	time_t t0;
	(void)state;

	machine_kb(&m);
	t0 = time(NULL);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_true(rep->started >= t0);
	assert_true(rep->finished >= rep->started);
	assert_true(rep->finished <= time(NULL));
	assert_int_equal(verbose(&m), 1);
	/* Dependent down first, up last; then a new pid is required. */
	/* A pending service is waited for before it is controlled: each
	 * is queried first (issue 8). */
	assert_non_null(strstr(m.log,
	    "write:VerboseLogging read:VerboseLogging "
	    "query:SMS_EXECUTIVE dependents:SMS_EXECUTIVE query:SMS_DEP "
	    "stop:SMS_DEP stop:SMS_EXECUTIVE start:SMS_EXECUTIVE "
	    "start:SMS_DEP query:SMS_EXECUTIVE"));
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
	/* Nothing changed: "after" is what was observed, known. */
	assert_true(rep->services[0].after_known);
	assert_int_equal(rep->services[0].after.pid, 4301);
	assert_true(rep->settings[0].after.known);
	assert_int_equal(rep->settings[0].after.value.num, 1);
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
		/* Never written: unchanged, even when it cannot be read. */
		if (strstr(m.log, "write:Level") == NULL)
			assert_string_equal(rep->settings[1].state,
			    "unchanged");
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
	 * SMS_EXECUTIVE hangs in STOP_PENDING: exit 5, and the report says
	 * so. */
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

/* ---- behaviours a mutant once got past (issue 13) ---------------------- */

/* Runs p on m with the given options; *err gets apply_run's error. */
static enum apply_result
run_opts(struct mock_machine *m, const struct profile *p,
    const struct apply_opts *o, struct report **rep, struct cm_err *err)
{
	struct backend *b = mock_backend(m);
	enum apply_result res = apply_run(b, p, o, rep, err);

	backend_close(b);
	return res;
}

/* A "restart" after which the service has its old pid did not restart:
 * the change is rolled back, and the error names the pid. */
static void
test_restart_keeping_its_pid_is_rolled_back(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	(void)state;

	machine_kb(&m);
	m.services[0].keep_pid = 1;
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_ROLLED_BACK);
	assert_non_null(strstr(err.msg, "still has pid 4242"));
	assert_int_equal(verbose(&m), 0);
	assert_string_equal(rep->outcome, "rolled_back");
	assert_string_equal(rep->errors[0].step, "restart");
	assert_string_equal(rep->settings[0].state, "restored");
	assert_string_equal(rep->services[0].state, "restarted_again");
	/* The dependent was named although the restart failed. */
	assert_int_equal(rep->services[0].ndependents, 1);
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_RUNNING);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* A start that ends start-pending or paused is not a running service. */
static void
test_start_ending_pending_or_paused_is_not_running(void **state)
{
	static const enum svc_state ends[] = { SVC_START_PENDING, SVC_PAUSED };
	static const char *const names[] = { "start_pending", "paused" };
	size_t k;
	(void)state;

	for (k = 0; k < 2; k++) {
		struct mock_machine m;
		struct profile *p = profile_kb(0);
		struct report *rep;
		struct apply_opts o;
		struct cm_err err;
		char want[128];

		machine_kb(&m);
		m.services[1].state = SVC_STOPPED;   /* no dependent */
		m.services[0].start_ends = ends[k];
		memset(&o, 0, sizeof(o));
		o.command = "apply";
		assert_int_not_equal(run_opts(&m, p, &o, &rep, &err),
		    APPLY_CHANGED);
		snprintf(want, sizeof(want), "SMS_EXECUTIVE is %s after its "
		    "restart, not running", names[k]);
		assert_non_null(strstr(err.msg, want));
		assert_int_equal(verbose(&m), 0);
		assert_string_equal(rep->errors[0].step, "restart");
		report_free(rep);
		profile_free(p);
		mock_clear(&m);
	}
}

/* Each wait gets its own timeout: stops the stop timeout, starts (also of
 * dependents, also in a rollback) the start timeout. */
static void
test_each_wait_has_its_own_timeout(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	p->services[0].stop_timeout_ms = 1111;
	p->services[0].start_timeout_ms = 2222;
	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_string_equal(m.tlog, "stop:SMS_DEP:1111 stop:SMS_EXECUTIVE:1111 "
	    "start:SMS_EXECUTIVE:2222 start:SMS_DEP:2222 ");
	assert_int_equal(rep->services[0].stop_timeout_ms, 1111);
	assert_int_equal(rep->services[0].start_timeout_ms, 2222);
	report_free(rep);
	mock_clear(&m);

	/* The start fails: the rollback starts it and its dependent again. */
	machine_kb(&m);
	m.services[0].fail_start = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_string_equal(m.tlog, "stop:SMS_DEP:1111 stop:SMS_EXECUTIVE:1111 "
	    "start:SMS_EXECUTIVE:2222 start:SMS_EXECUTIVE:2222 "
	    "start:SMS_DEP:2222 ");
	report_free(rep);
	mock_clear(&m);

	/* The restart worked but did not take (same pid): the rollback
	 * restarts it again, with the same timeouts. */
	machine_kb(&m);
	m.services[0].keep_pid = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_string_equal(m.tlog, "stop:SMS_DEP:1111 stop:SMS_EXECUTIVE:1111 "
	    "start:SMS_EXECUTIVE:2222 start:SMS_DEP:2222 "
	    "stop:SMS_DEP:1111 stop:SMS_EXECUTIVE:1111 "
	    "start:SMS_EXECUTIVE:2222 start:SMS_DEP:2222 ");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Only the last level of the key was missing: the rollback removes that
 * one and leaves its (existing) parent. */
static void
test_rollback_removes_only_the_level_it_created(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(1);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	mock_add_key(&m, "HKLM\\SOFTWARE\\Contoso\\New", REGVIEW_64);
	m.services[0].fail_start = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	assert_true(mock_key_present(&m, "HKLM\\SOFTWARE\\Contoso\\New",
	    REGVIEW_64));
	assert_int_equal(rep->settings[1].keys_created, 1);
	assert_int_equal(rep->settings[0].keys_created, 0);
	assert_int_equal(rep->nerrors, 1);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Adds a DWORD setting to p. */
static void
add_setting(struct profile *p, const char *key, const char *value, int view,
    unsigned long num)
{
	struct profile_setting *s = profile_add_setting(p);

	s->id = strdup(value);
	s->key = strdup(key);
	s->value = strdup(value);
	s->view = view;
	s->present = 1;
	regval_set_number(&s->desired, REGT_DWORD, num);
}

/* Asserts the .reg at path holds key\name = num (num < 0: a delete line,
 * which reads as absent) and that the other spelling of the key is not
 * there. */
static void
assert_backup(const struct regfile *rf, const char *key, const char *name,
    long num)
{
	struct regval v = { 0, 0, NULL, 0 };
	struct cm_err err;

	assert_true(regfile_key_exists(rf, key));
	assert_int_equal(regfile_get(rf, key, name, &v, &err), num >= 0);
	if (num >= 0)
		assert_int_equal(v.num, (unsigned long)num);
	regval_free(&v);
}

/* The backup names each value where a 64-bit regedit must put it back: a
 * 32-bit view value under SOFTWARE\WOW6432Node, everything else as is.
 * Its contents are read back, not only its existence. */
static void
test_backup_puts_32bit_values_under_wow6432node(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct regfile *rf;
	struct cm_err err;
	char dir[] = "/tmp/cmr-test-backup-XXXXXX", path[512];
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/b.reg", dir);
	machine_kb(&m);
	mock_add_dword(&m, "HKLM\\SOFTWARE\\Contoso\\App", "Level",
	    REGVIEW_32, 3);
	mock_add_dword(&m, "HKLM\\SOFTWARE\\WOW6432Node\\Fab", "Level",
	    REGVIEW_32, 4);
	mock_add_dword(&m, "HKLM\\SYSTEM\\Contoso", "Level", REGVIEW_32, 5);
	mock_add_dword(&m, "HKLM\\SOFTWAREX", "Level", REGVIEW_32, 6);
	add_setting(p, "HKLM\\SOFTWARE\\Contoso\\App", "Level", REGVIEW_32, 9);
	add_setting(p, "HKLM\\SOFTWARE\\WOW6432Node\\Fab", "Level", REGVIEW_32,
	    9);
	add_setting(p, "HKLM\\SYSTEM\\Contoso", "Level", REGVIEW_32, 9);
	add_setting(p, "HKLM\\SOFTWAREX", "Level", REGVIEW_32, 9);
	add_setting(p, "HKLM\\SOFTWARE", "New32", REGVIEW_32, 9);
	add_setting(p, "HKLM\\SOFTWARE\\Contoso\\App", "Same", REGVIEW_32, 0);
	mock_add_dword(&m, "HKLM\\SOFTWARE\\Contoso\\App", "Same",
	    REGVIEW_32, 0);
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	o.backup_path = path;
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_CHANGED);
	assert_string_equal(rep->backup, path);
	assert_int_equal(regfile_load(path, &rf, &err), 0);
	assert_backup(rf, KEY, "VerboseLogging", 0);
	assert_backup(rf, "HKLM\\SOFTWARE\\WOW6432Node\\Contoso\\App",
	    "Level", 3);
	assert_false(regfile_key_exists(rf, "HKLM\\SOFTWARE\\Contoso\\App"));
	assert_backup(rf, "HKLM\\SOFTWARE\\WOW6432Node\\Fab", "Level", 4);
	assert_false(regfile_key_exists(rf,
	    "HKLM\\SOFTWARE\\WOW6432Node\\WOW6432Node\\Fab"));
	assert_backup(rf, "HKLM\\SYSTEM\\Contoso", "Level", 5);
	assert_backup(rf, "HKLM\\SOFTWAREX", "Level", 6);
	/* Created: a delete line under the 32-bit spelling of the key. */
	assert_backup(rf, "HKLM\\SOFTWARE\\WOW6432Node", "New32", -1);
	/* Unchanged values are not in the backup. */
	{
		struct regval v = { 0, 0, NULL, 0 };

		assert_int_equal(regfile_get(rf, "HKLM\\SOFTWARE\\WOW6432Node"
		    "\\Contoso\\App", "Same", &v, &err), 0);
	}
	regfile_free(rf);
	unlink(path);
	rmdir(dir);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* A report that cannot be written makes a dry run, and an apply that
 * changes nothing, an error: nothing was done, and nothing recorded. */
static void
test_unwritable_report_without_change_is_an_error(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	(void)state;

	machine_kb(&m);
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	o.dry_run = 1;
	o.report_path = "/nonexistent-cmr-dir/r.json";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_ERROR);
	assert_non_null(strstr(err.msg, "/nonexistent-cmr-dir/r.json"));
	assert_string_equal(rep->outcome, "planned");
	assert_int_equal(verbose(&m), 0);
	report_free(rep);

	o.dry_run = 0;
	o.report_path = NULL;
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_CHANGED);
	report_free(rep);
	o.report_path = "/nonexistent-cmr-dir/r.json";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_ERROR);
	assert_string_equal(rep->outcome, "unchanged");
	assert_int_equal(verbose(&m), 1);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

struct first_write {
	int seen;
	char path[512];
};

/* Checks, at the first write, that the report on disk already says the
 * apply is in progress. */
static void
report_first(struct mock_machine *m, const char *op, const char *arg)
{
	struct first_write *fw = m->ctx;
	unsigned char *buf;
	size_t len;
	struct cm_err err;

	(void)arg;
	if (strcmp(op, "write") != 0 || fw->seen)
		return;
	fw->seen = 1;
	assert_int_equal(sys_read_file(fw->path, &buf, &len, &err), 0);
	assert_non_null(strstr((char *)buf, "\"in_progress\""));
	free(buf);
}

static void
test_report_on_disk_before_the_first_change(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	struct first_write fw;
	char dir[] = "/tmp/cmr-test-first-XXXXXX";
	(void)state;

	assert_non_null(mkdtemp(dir));
	memset(&fw, 0, sizeof(fw));
	snprintf(fw.path, sizeof(fw.path), "%s/r.json", dir);
	machine_kb(&m);
	m.on_call = report_first;
	m.ctx = &fw;
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	o.report_path = fw.path;
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_CHANGED);
	assert_true(fw.seen);
	assert_string_equal(rep->outcome, "changed");
	report_free(rep);
	unlink(fw.path);
	rmdir(dir);
	profile_free(p);
	mock_clear(&m);
}

/* A service that is not restarted has no timings (-1: null in JSON). */
static void
test_service_not_restarted_has_no_timings(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	m.services[0].state = SVC_STOPPED;
	m.services[1].state = SVC_STOPPED;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_string_equal(rep->services[0].action, "none");
	assert_int_equal(rep->services[0].stop_ms, -1);
	assert_int_equal(rep->services[0].start_ms, -1);
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->state,
	    SVC_STOPPED);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* The second start of SMS_EXECUTIVE (the rollback's restart) fails. */
static void
fail_second_start(struct mock_machine *m, const char *op, const char *arg)
{
	int *n = m->ctx;

	if (strcmp(op, "start") == 0 && strcmp(arg, "SMS_EXECUTIVE") == 0 &&
	    ++*n == 2)
		m->services[0].fail_start = 1;
}

/* The restart did not take (same pid) and the rollback's restart fails
 * too: the rollback's error is in the report, the service is started
 * once more and its dependent too, and the result is exit 5. */
static void
test_rollback_restart_failing_is_reported(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	size_t i;
	int n = 0, seen = 0;
	(void)state;

	machine_kb(&m);
	m.services[0].keep_pid = 1;
	m.on_call = fail_second_start;
	m.ctx = &n;
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_FAILED);
	assert_non_null(strstr(err.msg, "still has pid"));
	assert_int_equal(verbose(&m), 0);
	assert_string_equal(rep->settings[0].state, "restored");
	assert_string_equal(rep->services[0].state, "rollback_failed");
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->state, SVC_RUNNING);
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_RUNNING);
	assert_int_equal(n, 3);
	for (i = 0; i < rep->nerrors; i++)
		seen |= strcmp(rep->errors[i].step, "rollback") == 0 &&
		    strstr(rep->errors[i].message, "failed to start") != NULL;
	assert_true(seen);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* The start fails, and the rollback's start fails too: the rollback's
 * error is reported, the dependent is left stopped, and it is exit 5. */
static void
test_rollback_start_failing_is_reported(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	size_t i;
	int seen = 0;
	(void)state;

	machine_kb(&m);
	m.services[0].fail_start = 2;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_int_equal(verbose(&m), 0);
	assert_string_equal(rep->outcome, "failed");
	assert_string_equal(rep->settings[0].state, "restored");
	assert_string_equal(rep->services[0].state, "rollback_failed");
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->state, SVC_STOPPED);
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_STOPPED);
	for (i = 0; i < rep->nerrors; i++)
		seen |= strcmp(rep->errors[i].step, "rollback") == 0 &&
		    strstr(rep->errors[i].message, "failed to start") != NULL;
	assert_true(seen);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Fails the third read of VerboseLogging (the rollback's read-back). */
static void
fail_third_read(struct mock_machine *m, const char *op, const char *arg)
{
	int *n = m->ctx;

	if (strcmp(op, "read") == 0 && strcmp(arg, "VerboseLogging") == 0 &&
	    ++*n == 3)
		m->fail_at = m->calls;
}

/* The rollback could not read the value back, so it counts as failed; the
 * final read finds it as before, and the report says so: "unchanged". */
static void
test_unverified_rollback_settles_by_what_is_read(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	int n = 0;
	(void)state;

	machine_kb(&m);
	m.services[0].fail_start = 1;
	m.on_call = fail_third_read;
	m.ctx = &n;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_int_equal(n, 4);
	assert_int_equal(verbose(&m), 0);
	assert_string_equal(rep->outcome, "failed");
	assert_true(rep->settings[0].after.known);
	assert_string_equal(rep->settings[0].state, "unchanged");
	assert_string_equal(rep->services[0].state, "started_again");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Fails every write: the rollback's put-back of a deleted value. */
static void
fail_writes(struct mock_machine *m, const char *op, const char *arg)
{
	(void)arg;
	if (strcmp(op, "write") == 0)
		m->fail_at = m->calls;
}

/* A value the run deleted stays deleted when the rollback cannot write it
 * back: the report says "changed", not "unchanged". */
static void
test_unrestored_delete_is_reported_changed(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_absent_level(0);
	struct profile_service *sv = profile_add_service(p);
	struct report *rep;
	(void)state;

	sv->name = strdup("SMS_EXECUTIVE");
	sv->stop_timeout_ms = sv->start_timeout_ms = 1000;
	machine_kb(&m);
	mock_add_dword(&m, NEWKEY, "Level", REGVIEW_64, 7);
	m.services[0].fail_start = 1;
	m.on_call = fail_writes;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_null(mock_find(&m, NEWKEY, "Level", REGVIEW_64));
	assert_true(rep->settings[0].after.known);
	assert_false(rep->settings[0].after.exists);
	assert_string_equal(rep->settings[0].state, "changed");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Fails every write after the first: the apply's write works, the
 * rollback's does not. */
static void
fail_later_writes(struct mock_machine *m, const char *op, const char *arg)
{
	int *n = m->ctx;

	(void)arg;
	if (strcmp(op, "write") == 0 && ++*n >= 2)
		m->fail_at = m->calls;
}

/* The rollback cannot write the old value back: the setting holds the new
 * data, and the report says "changed". */
static void
test_unrestored_value_is_reported_changed(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	int n = 0;
	(void)state;

	machine_kb(&m);
	m.services[0].fail_start = 1;
	m.on_call = fail_later_writes;
	m.ctx = &n;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_int_equal(verbose(&m), 1);
	assert_true(rep->settings[0].after.known);
	assert_string_equal(rep->settings[0].state, "changed");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* The setting's own key cannot be removed (it holds another value): that
 * failure is the run's error, word for word. */
static void
test_own_key_not_removable_is_the_error(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_absent_level(1);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	(void)state;

	machine_kb(&m);
	mock_add_dword(&m, NEWKEY, "Level", REGVIEW_64, 7);
	mock_add_dword(&m, NEWKEY, "Other", REGVIEW_64, 8);
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_ROLLED_BACK);
	assert_string_equal(err.msg, "not empty");
	assert_string_equal(rep->errors[0].step, "set");
	assert_string_equal(rep->errors[0].message, "not empty");
	assert_non_null(mock_find(&m, NEWKEY, "Level", REGVIEW_64));
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* The profile's only setting lives in a key the run creates, and the
 * start fails: the rollback removes every level it created, also for the
 * first setting of the profile. */
static void
test_rollback_removes_first_setting_keys(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_new("t.ini", "first");
	struct profile_service *sv;
	struct report *rep;
	(void)state;

	add_setting(p, NEWKEY, "Level", REGVIEW_64, 7);
	sv = profile_add_service(p);
	sv->name = strdup("SMS_EXECUTIVE");
	sv->stop_timeout_ms = sv->start_timeout_ms = 1000;
	machine_kb(&m);
	m.services[0].fail_start = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_int_equal(rep->settings[0].keys_created, 3);
	assert_null(mock_find(&m, NEWKEY, "Level", REGVIEW_64));
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	assert_false(mock_key_present(&m, "HKLM\\SOFTWARE\\Contoso",
	    REGVIEW_64));
	assert_string_equal(rep->settings[0].state, "restored");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Whether the report has an error of step whose message contains text. */
static int
has_error(const struct report *rep, const char *step, const char *text)
{
	size_t i;

	for (i = 0; i < rep->nerrors; i++)
		if (strcmp(rep->errors[i].step, step) == 0 &&
		    strstr(rep->errors[i].message, text) != NULL)
			return 1;
	return 0;
}

/* Counts the calls in a mock log up to and including the last one that
 * is op (e.g. "start:SMS_DEP "). */
static unsigned
calls_through_last(const char *log, const char *op)
{
	const char *last = NULL, *q;
	unsigned n = 0;

	for (q = strstr(log, op); q != NULL; q = strstr(q + 1, op))
		last = q;
	assert_non_null(last);
	for (q = log; q <= last; q++)
		n += *q == ' ';
	return n + 1;
}

/* SMS_EXECUTIVE hangs stopping, so its stopped dependent cannot start
 * again: the rollback reports that start's own failure and then the
 * dependent's state as read, or that it could not be read. */
static void
test_rollback_names_a_dependent_left_stopped(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	unsigned n;
	(void)state;

	machine_kb(&m);
	m.services[0].hang_stop = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_true(has_error(rep, "rollback",
	    "SMS_DEP: dependency not running"));
	assert_true(has_error(rep, "rollback", "dependent SMS_DEP of "
	    "SMS_EXECUTIVE is stopped, not running as before"));
	assert_false(has_error(rep, "rollback", "state unknown"));
	n = calls_through_last(m.log, "start:SMS_DEP ");
	report_free(rep);
	mock_clear(&m);

	/* The same, but from that start on every call fails: the query
	 * too, so the dependent's state is unknown. */
	machine_kb(&m);
	m.services[0].hang_stop = 1;
	m.fail_at = n;
	m.fail_after = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_true(has_error(rep, "rollback", "injected failure"));
	assert_true(has_error(rep, "rollback", "dependent SMS_DEP of "
	    "SMS_EXECUTIVE: state unknown, not known to run as before"));
	assert_false(has_error(rep, "rollback", "is stopped"));
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_STOPPED);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* A dependent's stop fails: the restart stops there, with that error (not
 * a later one), and the rollback starts nothing that was not stopped. */
static void
test_dependent_stop_failing_is_the_error(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	unsigned n;
	(void)state;

	machine_kb(&m);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	n = calls_through_last(m.log, "stop:SMS_DEP ");
	report_free(rep);
	mock_clear(&m);

	machine_kb(&m);
	m.fail_at = n;
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_ROLLED_BACK);
	assert_non_null(strstr(err.msg, "injected failure"));
	assert_non_null(strstr(err.msg, "(stop SMS_DEP)"));
	assert_string_equal(rep->errors[0].step, "restart");
	assert_string_equal(rep->errors[0].message, err.msg);
	assert_null(strstr(m.log, "stop:SMS_EXECUTIVE"));
	assert_string_equal(rep->services[0].action, "none");
	assert_string_equal(rep->services[0].state, "not_stopped");
	assert_int_equal(verbose(&m), 0);
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->pid, 4242);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* recover runs apply over the journal the interrupted run left: that
 * journal goes at the commit point of a run that succeeded, and stays
 * when the run was rolled back (the next recover tries again). */
static void
test_recover_keeps_journal_unless_done(void **state)
{
	static const int fails[] = { 0, 1 };
	static const enum apply_result want[] = { APPLY_CHANGED,
	    APPLY_ROLLED_BACK };
	size_t k;
	(void)state;

	for (k = 0; k < 2; k++) {
		char dir[] = "/tmp/cmr-journal-XXXXXX", path[64];
		struct mock_machine m;
		struct profile *p = profile_kb(0);
		struct backend *b;
		struct report *rep;
		struct apply_opts o;
		struct cm_err err;
		FILE *f;

		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/cmremedy.journal", dir);
		assert_non_null(f = fopen(path, "w"));
		fputs("{}\n", f);
		fclose(f);
		machine_kb(&m);
		m.services[0].fail_start = fails[k];
		b = mock_backend(&m);
		b->home = strdup(dir);
		memset(&o, 0, sizeof(o));
		o.command = "recover";
		o.journal_exists = 1;
		assert_int_equal(apply_run(b, p, &o, &rep, &err), want[k]);
		backend_close(b);
		/* Gone after the change, kept after the rollback. */
		assert_int_equal(access(path, F_OK) == 0, k == 1);
		(void)remove(path);
		assert_int_equal(rmdir(dir), 0);
		report_free(rep);
		profile_free(p);
		mock_clear(&m);
	}
}

/* Logs each call to the pipe whose write end is in ctx, as it happens:
 * the log outlives a child killed mid-run. */
static void
log_to_pipe(struct mock_machine *m, const char *op, const char *arg)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "%s:%s ", op, arg);

	assert_true(write(*(int *)m->ctx, line, (size_t)n) == n);
}

/* CMREMEDY_TEST_KILL_AT=N kills apply at its Nth step (tests/safe relies
 * on it).  Killed at each step in turn until a run completes: there is a
 * step before the first change (the journal's) and one right after each
 * change to the machine, so a test can stop apply between any two. */
static void
test_kill_points_follow_each_change(void **state)
{
	static const char *const after[] = { "write:VerboseLogging ",
	    "stop:SMS_DEP ", "stop:SMS_EXECUTIVE ", "start:SMS_EXECUTIVE ",
	    "start:SMS_DEP " };
	int seen[sizeof(after) / sizeof(after[0])] = { 0 };
	struct profile *p = profile_kb(0);
	size_t k, j;
	int done = 0, before_write = 0;
	(void)state;

	for (k = 1; k <= 60 && !done; k++) {
		char dir[] = "/tmp/cmr-kill-XXXXXX", jpath[64], log[4096];
		int fd[2], status;
		ssize_t got;
		size_t len = 0;
		pid_t pid;

		assert_non_null(mkdtemp(dir));
		assert_int_equal(pipe(fd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct mock_machine m;
			struct backend *b;
			struct report *rep;
			struct apply_opts o;
			struct cm_err err;
			char at[24];

			close(fd[0]);
			machine_kb(&m);
			m.on_call = log_to_pipe;
			m.ctx = &fd[1];
			b = mock_backend(&m);
			b->home = strdup(dir);
			memset(&o, 0, sizeof(o));
			o.command = "apply";
			snprintf(at, sizeof(at), "%zu", k);
			setenv("CMREMEDY_TEST_KILL_AT", at, 1);
			_exit(apply_run(b, p, &o, &rep, &err) ==
			    APPLY_CHANGED ? 0 : 1);
		}
		close(fd[1]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		while ((got = read(fd[0], log + len, sizeof(log) - 1 - len)) >
		    0)
			len += (size_t)got;
		close(fd[0]);
		log[len] = '\0';
		snprintf(jpath, sizeof(jpath), "%s/cmremedy.journal", dir);
		if (WIFEXITED(status)) {
			/* Every step passed: the run completed, committed. */
			assert_int_equal(WEXITSTATUS(status), 0);
			assert_int_not_equal(access(jpath, F_OK), 0);
			done = 1;
		} else {
			assert_true(WIFSIGNALED(status));
			assert_int_equal(WTERMSIG(status), SIGKILL);
			for (j = 0; j < sizeof(after) / sizeof(after[0]); j++)
				seen[j] |= len >= strlen(after[j]) &&
				    strcmp(log + len - strlen(after[j]),
				    after[j]) == 0;
			/* The journal is on disk before the first write. */
			if (access(jpath, F_OK) == 0 &&
			    strstr(log, "write:") == NULL)
				before_write = 1;
			(void)remove(jpath);
		}
		sys_remove_stale_temps(dir);
		assert_int_equal(rmdir(dir), 0);
	}
	assert_true(done);
	assert_true(before_write);
	for (j = 0; j < sizeof(after) / sizeof(after[0]); j++)
		assert_true(seen[j]);
	profile_free(p);
}

/* In the rollback, a dependent this run saw stop is started at once;
 * only one whose stop was not seen to complete is waited for first. */
static void
test_stopped_dependent_started_without_wait(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	m.services[0].fail_start = 1;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_ROLLED_BACK);
	assert_non_null(strstr(m.log, "write:VerboseLogging "
	    "read:VerboseLogging start:SMS_EXECUTIVE start:SMS_DEP "));
	assert_int_equal(mock_service(&m, "SMS_DEP")->state, SVC_RUNNING);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Removing created levels stops at the first that cannot go: its parent
 * is not tried (it holds the level that stayed), one error says so. */
static void
test_key_removal_stops_at_first_refusal(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_absent_level(3);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	mock_add_dword(&m, NEWKEY, "Level", REGVIEW_64, 7);
	mock_add_dword(&m, "HKLM\\SOFTWARE\\Contoso\\New", "Keep",
	    REGVIEW_64, 1);
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_false(mock_key_present(&m, NEWKEY, REGVIEW_64));
	assert_true(mock_key_present(&m, "HKLM\\SOFTWARE\\Contoso\\New",
	    REGVIEW_64));
	assert_null(strstr(m.log, "delete_key:HKLM\\SOFTWARE\\Contoso "));
	assert_int_equal(rep->nerrors, 1);
	assert_string_equal(rep->errors[0].step, "cleanup");
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* A service another run left start-pending is waited for, at most its
 * stop timeout, before it is restarted; one that stays pending is the
 * run's error, and nothing is stopped. */
static void
test_service_stuck_pending_is_the_error(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	(void)state;

	p->services[0].stop_timeout_ms = 30;
	machine_kb(&m);
	m.services[0].state = SVC_START_PENDING;
	memset(&o, 0, sizeof(o));
	o.command = "apply";
	assert_int_equal(run_opts(&m, p, &o, &rep, &err), APPLY_ROLLED_BACK);
	assert_int_equal(err.kind, CM_ERR_TIMEOUT);
	assert_string_equal(err.msg, "service SMS_EXECUTIVE was already "
	    "start_pending and did not settle within 30 ms");
	assert_null(strstr(m.log, "stop:"));
	assert_int_equal(verbose(&m), 0);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* Makes SMS_EXECUTIVE's stop take 200 ms. */
static void
slow_stop(struct mock_machine *m, const char *op, const char *arg)
{
	(void)m;
	if (strcmp(op, "stop") == 0 && strcmp(arg, "SMS_EXECUTIVE") == 0)
		sys_sleep_ms(200);
}

/* The report's stop and start times are each their own step's. */
static void
test_stop_and_start_timed_apart(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	m.on_call = slow_stop;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_CHANGED);
	assert_true(rep->services[0].stop_ms >= 200);
	assert_true(rep->services[0].start_ms >= 0);
	assert_true(rep->services[0].start_ms < 150);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* The rollback's start of a service without active dependents fails:
 * that alone makes the rollback failed (exit 5), and the report says
 * so. */
static void
test_rollback_start_failing_alone_is_failed(void **state)
{
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct report *rep;
	(void)state;

	machine_kb(&m);
	m.services[1].state = SVC_STOPPED;   /* no active dependent */
	m.services[0].fail_start = 2;
	assert_int_equal(run(&m, p, PLAN_APPLY, 0, &rep), APPLY_FAILED);
	assert_string_equal(rep->outcome, "failed");
	assert_string_equal(rep->services[0].state, "rollback_failed");
	assert_int_equal(mock_service(&m, "SMS_EXECUTIVE")->state, SVC_STOPPED);
	assert_int_equal(verbose(&m), 0);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
}

/* recover's journal cannot be removed at the commit point (here it is a
 * folder that is not empty): the change stands, the report says why the
 * journal is still there. */
static void
test_journal_not_removable_is_reported(void **state)
{
	char dir[] = "/tmp/cmr-journal-XXXXXX", path[64], inner[80];
	struct mock_machine m;
	struct profile *p = profile_kb(0);
	struct backend *b;
	struct report *rep;
	struct apply_opts o;
	struct cm_err err;
	FILE *f;
	size_t i;
	int seen = 0;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cmremedy.journal", dir);
	snprintf(inner, sizeof(inner), "%s/x", path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_non_null(f = fopen(inner, "w"));
	fclose(f);
	machine_kb(&m);
	b = mock_backend(&m);
	b->home = strdup(dir);
	memset(&o, 0, sizeof(o));
	o.command = "recover";
	o.journal_exists = 1;
	assert_int_equal(apply_run(b, p, &o, &rep, &err), APPLY_CHANGED);
	backend_close(b);
	for (i = 0; i < rep->nerrors; i++)
		seen |= strcmp(rep->errors[i].step, "journal") == 0 &&
		    strstr(rep->errors[i].message, "cannot remove the "
		    "journal") != NULL;
	assert_true(seen);
	assert_int_equal(verbose(&m), 1);
	assert_int_equal(remove(inner), 0);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
	report_free(rep);
	profile_free(p);
	mock_clear(&m);
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
		cmocka_unit_test(
		    test_each_call_failing_leaves_machine_as_before),
		cmocka_unit_test(test_failing_rollback_reports_exact_state),
		cmocka_unit_test(test_hang_on_stop_without_dependents),
		cmocka_unit_test(test_hang_on_stop_with_dependent_is_reported),
		cmocka_unit_test(test_delete_target_removes_value_and_key),
		cmocka_unit_test(test_delete_target_removes_created_levels),
		cmocka_unit_test(test_missing_service_is_error_before_change),
		cmocka_unit_test(test_unwritable_final_report_rolls_back),
		cmocka_unit_test(test_restart_keeping_its_pid_is_rolled_back),
		cmocka_unit_test(
		    test_start_ending_pending_or_paused_is_not_running),
		cmocka_unit_test(test_each_wait_has_its_own_timeout),
		cmocka_unit_test(
		    test_rollback_removes_only_the_level_it_created),
		cmocka_unit_test(
		    test_backup_puts_32bit_values_under_wow6432node),
		cmocka_unit_test(
		    test_unwritable_report_without_change_is_an_error),
		cmocka_unit_test(test_report_on_disk_before_the_first_change),
		cmocka_unit_test(test_service_not_restarted_has_no_timings),
		cmocka_unit_test(test_rollback_restart_failing_is_reported),
		cmocka_unit_test(test_rollback_start_failing_is_reported),
		cmocka_unit_test(
		    test_unverified_rollback_settles_by_what_is_read),
		cmocka_unit_test(test_unrestored_delete_is_reported_changed),
		cmocka_unit_test(test_unrestored_value_is_reported_changed),
		cmocka_unit_test(test_own_key_not_removable_is_the_error),
		cmocka_unit_test(test_rollback_removes_first_setting_keys),
		cmocka_unit_test(test_rollback_names_a_dependent_left_stopped),
		cmocka_unit_test(test_dependent_stop_failing_is_the_error),
		cmocka_unit_test(test_recover_keeps_journal_unless_done),
		cmocka_unit_test(test_kill_points_follow_each_change),
		cmocka_unit_test(test_stopped_dependent_started_without_wait),
		cmocka_unit_test(test_key_removal_stops_at_first_refusal),
		cmocka_unit_test(test_service_stuck_pending_is_the_error),
		cmocka_unit_test(test_stop_and_start_timed_apart),
		cmocka_unit_test(test_rollback_start_failing_alone_is_failed),
		cmocka_unit_test(test_journal_not_removable_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
