// SPDX-License-Identifier: ISC
/* test_plan.c - the planner as a pure function of profile + observation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/plan.h"

/* A profile of n DWORD settings wanting 1 (off 0 where has_off) and one
 * service. */
static struct profile *
mk_profile(size_t n, int has_off)
{
	struct profile *p = profile_new("p.ini", "p");
	struct profile_service *sv;
	size_t i;

	for (i = 0; i < n; i++) {
		struct profile_setting *s = profile_add_setting(p);

		s->id = strdup("s");
		s->key = strdup("HKLM\\SOFTWARE\\X");
		s->value = strdup(i == 0 ? "A" : "B");
		s->view = REGVIEW_64;
		s->present = 1;
		regval_set_number(&s->desired, REGT_DWORD, 1);
		s->has_off = has_off;
		if (has_off)
			regval_set_number(&s->off, REGT_DWORD, 0);
	}
	sv = profile_add_service(p);
	sv->name = strdup("SMS_EXECUTIVE");
	return p;
}

/* An observation where setting i holds vals[i] (-1 = absent). */
static void
mk_obs(struct observation *o, const long *vals, size_t n, enum svc_state st)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->settings = calloc(n, sizeof(*o->settings));
	o->services = calloc(1, sizeof(*o->services));
	o->nsettings = n;
	o->nservices = 1;
	for (i = 0; i < n; i++) {
		o->settings[i].key_exists = 1;
		o->settings[i].exists = vals[i] >= 0;
		if (vals[i] >= 0)
			regval_set_number(&o->settings[i].value, REGT_DWORD,
			    (uint64_t)vals[i]);
	}
	o->services[0].status.state = st;
	o->services[0].status.pid = st == SVC_RUNNING ? 10 : 0;
}

static void
test_apply_actions(void **state)
{
	struct profile *p = mk_profile(2, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 0, -1 };
	(void)state;

	mk_obs(&o, vals, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.settings[0].action, ACT_SET);
	assert_int_equal(pl.settings[1].action, ACT_CREATE);
	assert_int_equal(pl.changes, 2);
	assert_int_equal(pl.services[0].action, SVCACT_RESTART);
	assert_ptr_equal(pl.settings[0].target, &p->settings[0].desired);
	assert_null(pl.toggle_to);
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

static void
test_compliant_restarts_nothing(void **state)
{
	struct profile *p = mk_profile(2, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 1, 1 };
	(void)state;

	mk_obs(&o, vals, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.changes, 0);
	assert_int_equal(pl.settings[0].action, ACT_NONE);
	assert_int_equal(pl.services[0].action, SVCACT_NONE);
	assert_string_equal(pl.services[0].reason, "nothing changed");
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

static void
test_type_mismatch_is_a_change(void **state)
{
	struct profile *p = mk_profile(1, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 1 };
	(void)state;

	/* REG_SZ "1" is not REG_DWORD 1. */
	mk_obs(&o, vals, 1, SVC_RUNNING);
	regval_free(&o.settings[0].value);
	regval_set_string(&o.settings[0].value, REGT_SZ, "1");
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.settings[0].action, ACT_SET);
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

static void
test_stopped_service_not_started(void **state)
{
	struct profile *p = mk_profile(1, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 0 };
	(void)state;

	mk_obs(&o, vals, 1, SVC_STOPPED);
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.changes, 1);
	assert_int_equal(pl.services[0].action, SVCACT_NONE);
	assert_non_null(strstr(pl.services[0].reason, "stopped"));
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

static void
test_toggle_direction(void **state)
{
	struct profile *p = mk_profile(2, 1);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long all_on[] = { 1, 1 }, half[] = { 1, 0 }, absent[] = { -1, 1 };
	(void)state;

	mk_obs(&o, all_on, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_string_equal(pl.toggle_to, "off");
	assert_ptr_equal(pl.settings[0].target, &p->settings[0].off);
	assert_int_equal(pl.mode, PLAN_TOGGLE);
	assert_int_equal(pl.changes, 2);
	plan_free(&pl);
	observation_free(&o);

	/* Half on counts as off: the toggle turns everything on. */
	mk_obs(&o, half, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_string_equal(pl.toggle_to, "on");
	assert_int_equal(pl.settings[0].action, ACT_NONE);
	assert_int_equal(pl.settings[1].action, ACT_SET);
	plan_free(&pl);
	observation_free(&o);

	mk_obs(&o, absent, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_string_equal(pl.toggle_to, "on");
	assert_int_equal(pl.settings[0].action, ACT_CREATE);
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

static void
test_toggle_needs_off(void **state)
{
	struct profile *p = mk_profile(1, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 0 };
	(void)state;

	mk_obs(&o, vals, 1, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, "p.ini: toggle needs an 'off'"));
	assert_null(pl.settings);
	observation_free(&o);
	profile_free(p);
}

static void
test_absent_target(void **state)
{
	struct profile *p = mk_profile(2, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 5, -1 };
	(void)state;

	p->settings[0].present = 0;
	p->settings[0].remove_key = 1;
	p->settings[1].present = 0;
	mk_obs(&o, vals, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.settings[0].action, ACT_DELETE);
	assert_true(pl.settings[0].remove_key);
	assert_null(pl.settings[0].target);
	assert_int_equal(pl.settings[1].action, ACT_NONE);
	assert_int_equal(pl.changes, 1);
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

static void
test_mismatched_observation_refused(void **state)
{
	struct profile *p = mk_profile(2, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 0 };
	(void)state;

	mk_obs(&o, vals, 1, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), -1);
	assert_non_null(strstr(err.msg, "does not match the profile"));
	assert_null(pl.settings);
	observation_free(&o);
	profile_free(p);
}

/* The settings match but the services do not: refused as well. */
static void
test_mismatched_service_count_refused(void **state)
{
	struct profile *p = mk_profile(1, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 0 };
	(void)state;

	mk_obs(&o, vals, 1, SVC_RUNNING);
	o.nservices = 0;
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "does not match the profile"));
	assert_null(pl.services);
	observation_free(&o);
	profile_free(p);
}

/* Only the first setting has `off`.  The second always targets its
 * desired data, and does not decide the direction: the toggle can turn
 * the profile off although the second setting has drifted. */
static void
test_toggle_with_some_settings_off(void **state)
{
	struct profile *p = mk_profile(2, 1);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long on[] = { 1, 1 }, off[] = { 0, 0 }, drift[] = { 1, 0 };
	(void)state;

	p->settings[1].has_off = 0;
	mk_obs(&o, on, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_string_equal(pl.toggle_to, "off");
	assert_ptr_equal(pl.settings[0].target, &p->settings[0].off);
	assert_int_equal(pl.settings[0].action, ACT_SET);
	assert_ptr_equal(pl.settings[1].target, &p->settings[1].desired);
	assert_int_equal(pl.settings[1].action, ACT_NONE);
	assert_int_equal(pl.changes, 1);
	assert_int_equal(pl.services[0].action, SVCACT_RESTART);
	plan_free(&pl);
	observation_free(&o);

	mk_obs(&o, off, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_string_equal(pl.toggle_to, "on");
	assert_ptr_equal(pl.settings[0].target, &p->settings[0].desired);
	assert_int_equal(pl.settings[0].action, ACT_SET);
	assert_int_equal(pl.settings[1].action, ACT_SET);
	assert_int_equal(pl.changes, 2);
	plan_free(&pl);
	observation_free(&o);

	mk_obs(&o, drift, 2, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_string_equal(pl.toggle_to, "off");
	assert_ptr_equal(pl.settings[0].target, &p->settings[0].off);
	assert_ptr_equal(pl.settings[1].target, &p->settings[1].desired);
	assert_int_equal(pl.settings[1].action, ACT_SET);
	assert_int_equal(pl.changes, 2);
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

/* Every state but stopped is a process that read the old values: paused,
 * start- and stop-pending services are restarted too. */
static void
test_not_stopped_services_restart(void **state)
{
	static const enum svc_state st[] = { SVC_RUNNING, SVC_PAUSED,
	    SVC_START_PENDING, SVC_STOP_PENDING, SVC_CONTINUE_PENDING,
	    SVC_PAUSE_PENDING };
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		struct profile *p = mk_profile(1, 0);
		struct observation o;
		struct plan pl;
		struct cm_err err;
		long vals[] = { 0 };

		mk_obs(&o, vals, 1, st[i]);
		assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
		assert_int_equal(pl.services[0].action, SVCACT_RESTART);
		assert_string_equal(pl.services[0].reason, "settings changed");
		assert_string_equal(service_action_name(pl.services[0].action),
		    "restart");
		plan_free(&pl);
		observation_free(&o);
		profile_free(p);
	}
}

/* plan_free leaves an empty plan behind: freeing it again is harmless. */
static void
test_plan_free_twice(void **state)
{
	struct profile *p = mk_profile(1, 0);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 0 };
	(void)state;

	mk_obs(&o, vals, 1, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
	plan_free(&pl);
	assert_null(pl.settings);
	assert_null(pl.services);
	assert_int_equal(pl.nsettings, 0);
	assert_int_equal(pl.changes, 0);
	plan_free(&pl);
	plan_free(NULL);
	observation_free(&o);
	assert_null(o.settings);
	observation_free(&o);
	observation_free(NULL);
	profile_free(p);
}

/* The names the report and the text output use. */
static void
test_action_names(void **state)
{
	(void)state;
	assert_string_equal(setting_action_name(ACT_NONE), "none");
	assert_string_equal(setting_action_name(ACT_SET), "set");
	assert_string_equal(setting_action_name(ACT_CREATE), "create");
	assert_string_equal(setting_action_name(ACT_DELETE), "delete");
	assert_string_equal(service_action_name(SVCACT_NONE), "none");
	assert_string_equal(service_action_name(SVCACT_RESTART), "restart");
}

/* recover (from a journal) brings each service back as it was before the
 * interrupted run: started when it ran and is now down, restarted when it
 * runs as another process than the journal's; such restarts count in
 * restarts only when no setting changes (a change restarts anyway). */
static void
test_recover_restarts(void **state)
{
	static const struct {
		int recover, running;
		unsigned long pid;        /* the journal's; observed is 10 */
		enum svc_state st;
		long val;                 /* setting 0's data (1: compliant) */
		enum service_action want;
		size_t restarts;
		const char *reason;
	} c[] = {
		{ 1, 1, 0, SVC_STOPPED, 1, SVCACT_RESTART, 1,
		    "ran before the interrupted run, is not running now" },
		{ 1, 1, 0, SVC_STOP_PENDING, 1, SVCACT_RESTART, 1,
		    "ran before the interrupted run, is not running now" },
		{ 1, 1, 0, SVC_STOPPED, 0, SVCACT_RESTART, 0,
		    "ran before the interrupted run, is not running now" },
		{ 1, 0, 0, SVC_STOPPED, 1, SVCACT_NONE, 0, "nothing changed" },
		{ 0, 1, 0, SVC_STOPPED, 1, SVCACT_NONE, 0, "nothing changed" },
		{ 1, 1, 7, SVC_RUNNING, 1, SVCACT_RESTART, 1,
		    "the interrupted run restarted it, perhaps with its "
		    "values" },
		{ 1, 1, 7, SVC_RUNNING, 0, SVCACT_RESTART, 0,
		    "the interrupted run restarted it, perhaps with its "
		    "values" },
		{ 1, 1, 10, SVC_RUNNING, 1, SVCACT_NONE, 0,
		    "nothing changed" },
		/* 0: any process (a dependent only has to run) */
		{ 1, 1, 0, SVC_RUNNING, 1, SVCACT_NONE, 0, "nothing changed" },
		{ 0, 1, 7, SVC_RUNNING, 1, SVCACT_NONE, 0, "nothing changed" },
	};
	size_t k;
	(void)state;

	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		struct profile *p = mk_profile(1, 0);
		struct observation o;
		struct plan pl;
		struct cm_err err;
		long vals[1];

		vals[0] = c[k].val;
		p->services[0].recover = c[k].recover;
		p->services[0].recover_running = c[k].running;
		p->services[0].recover_pid = c[k].pid;
		mk_obs(&o, vals, 1, c[k].st);
		o.services[0].status.pid = 10;
		assert_int_equal(plan_build(p, &o, PLAN_APPLY, &pl, &err), 0);
		assert_int_equal(pl.changes, c[k].val != 1);
		assert_int_equal(pl.services[0].action, c[k].want);
		assert_int_equal(pl.restarts, c[k].restarts);
		assert_int_equal(pl.mode, PLAN_APPLY);
		assert_string_equal(pl.services[0].reason, c[k].reason);
		plan_free(&pl);
		observation_free(&o);
		profile_free(p);
	}
}

/* A target that must exist removes no key, whatever the profile's
 * remove_key (a toggle of a delete-with-off setting writes it). */
static void
test_present_target_removes_no_key(void **state)
{
	struct profile *p = mk_profile(1, 1);
	struct observation o;
	struct plan pl;
	struct cm_err err;
	long vals[] = { 1 };
	(void)state;

	p->settings[0].present = 0;
	p->settings[0].remove_key = 2;
	mk_obs(&o, vals, 1, SVC_RUNNING);
	assert_int_equal(plan_build(p, &o, PLAN_TOGGLE, &pl, &err), 0);
	assert_true(pl.settings[0].target_present);
	assert_int_equal(pl.settings[0].action, ACT_SET);
	assert_int_equal(pl.settings[0].remove_key, 0);
	plan_free(&pl);
	observation_free(&o);
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_actions),
		cmocka_unit_test(test_compliant_restarts_nothing),
		cmocka_unit_test(test_type_mismatch_is_a_change),
		cmocka_unit_test(test_stopped_service_not_started),
		cmocka_unit_test(test_toggle_direction),
		cmocka_unit_test(test_toggle_needs_off),
		cmocka_unit_test(test_absent_target),
		cmocka_unit_test(test_mismatched_observation_refused),
		cmocka_unit_test(test_mismatched_service_count_refused),
		cmocka_unit_test(test_toggle_with_some_settings_off),
		cmocka_unit_test(test_not_stopped_services_restart),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_plan_free_twice),
		cmocka_unit_test(test_recover_restarts),
		cmocka_unit_test(test_present_target_removes_no_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
