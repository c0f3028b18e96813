// SPDX-License-Identifier: ISC
/* apply.c - observing a machine and carrying a plan out, with backup,
 * verification and rollback.  The only module that changes a machine. */
#include "apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "reg/regfile.h"
#include "reg/regkey.h"
#include "util/sysutil.h"
#include "util/testhook.h"
#include "util/text.h"

/* What happened to one profile service during this run, so that a
 * rollback knows what to undo. */
struct svc_track {
	int stop_requested;   /* we asked the service itself to stop */
	int stopped;          /* ...and it reached STOPPED */
	int started;          /* it runs again, with the new values */
	char **deps;          /* active dependents we stop and restart */
	size_t ndeps;
	int *dep_asked;       /* per dependent: we asked it to stop */
	int *dep_stopped;     /* per dependent: stopped by us */
	int *dep_started;     /* per dependent: started again by us */
};

struct run {
	struct backend *b;
	const struct profile *p;
	const struct apply_opts *o;
	struct report *rep;
	struct observation obs;
	struct plan pl;
	int *touched;         /* per setting: a change was attempted */
	int *missing;         /* per setting: how many trailing components of
				 its key did not exist (0: the key existed);
				 what a rollback must remove again */
	struct svc_track *trk;
	int journaled;        /* the journal is on disk (remove it at the
				 commit point) */
	struct cm_err first;  /* the failure that started a rollback */
};

int
apply_observe(struct backend *b, const struct profile *p,
    struct observation *obs, struct cm_err *err)
{
	size_t i;

	memset(obs, 0, sizeof(*obs));
	if ((p->nsettings > 0 && (obs->settings = calloc(p->nsettings,
	    sizeof(*obs->settings))) == NULL) ||
	    (p->nservices > 0 && (obs->services = calloc(p->nservices,
	    sizeof(*obs->services))) == NULL)) {
		observation_free(obs);
		return cm_err_nomem(err);
	}
	obs->nsettings = p->nsettings;
	obs->nservices = p->nservices;
	for (i = 0; i < p->nsettings; i++) {
		const struct profile_setting *s = &p->settings[i];
		struct observed_setting *o = &obs->settings[i];

		if (b->ops->key_exists(b, s->key, s->view, &o->key_exists,
		    err) != 0 || b->ops->read_value(b, s->key, s->value,
		    s->view, &o->exists, &o->value, err) != 0) {
			observation_free(obs);
			return -1;
		}
	}
	for (i = 0; i < p->nservices; i++)
		if (b->ops->svc_query(b, p->services[i].name,
		    &obs->services[i].status, err) != 0) {
			observation_free(obs);
			return -1;
		}
	return 0;
}

/* ---- the report ------------------------------------------------------ */

static int
rv_set(struct report_value *rv, int exists, const struct regval *v)
{
	regval_free(&rv->value);
	rv->known = 1;
	rv->exists = exists;
	if (exists && regval_copy(&rv->value, v) != 0)
		return -1;
	return 0;
}

/* Builds the report skeleton from the profile, observation and plan. */
static int
run_report_begin(struct run *r, struct cm_err *err)
{
	struct report *rep;
	size_t i;

	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return cm_err_nomem(err);
	r->rep = rep;
	rep->dry_run = r->o->dry_run;
	rep->started_ms = sys_realtime_ms();
	rep->started = (time_t)(rep->started_ms / 1000u);
	rep->expires = r->o->expires;
	rep->outcome = "in_progress";
	if ((rep->command = text_strdup(r->o->command)) == NULL ||
	    (rep->profile_name = text_strdup(r->p->name)) == NULL ||
	    (rep->profile_path = text_strdup(r->p->path)) == NULL ||
	    (rep->backend = text_strdup(r->b->spec)) == NULL ||
	    (r->b->machine &&
	    (rep->machine = text_strdup(r->b->machine)) == NULL) ||
	    (r->o->recovered &&
	    (rep->recovered = text_strdup(r->o->recovered)) == NULL) ||
	    (r->o->reverts &&
	    (rep->reverts = text_strdup(r->o->reverts)) == NULL))
		return cm_err_nomem(err);
	if ((r->p->nsettings > 0 && (rep->settings = calloc(r->p->nsettings,
	    sizeof(*rep->settings))) == NULL) ||
	    (r->p->nservices > 0 && (rep->services = calloc(r->p->nservices,
	    sizeof(*rep->services))) == NULL))
		return cm_err_nomem(err);
	rep->nsettings = r->p->nsettings;
	rep->nservices = r->p->nservices;
	for (i = 0; i < r->p->nsettings; i++) {
		const struct profile_setting *s = &r->p->settings[i];
		struct report_setting *rs = &rep->settings[i];

		if ((rs->key = text_strdup(s->key)) == NULL ||
		    (rs->value = text_strdup(s->value)) == NULL)
			return cm_err_nomem(err);
		rs->type = s->desired.type;
		rs->view = s->view;
		rs->action = "none";
	}
	for (i = 0; i < r->p->nservices; i++) {
		const struct profile_service *s = &r->p->services[i];
		struct report_service *rs = &rep->services[i];

		if ((rs->name = text_strdup(s->name)) == NULL)
			return cm_err_nomem(err);
		rs->action = "none";
		rs->stop_ms = rs->start_ms = -1;
		rs->stop_timeout_ms = s->stop_timeout_ms;
		rs->start_timeout_ms = s->start_timeout_ms;
	}
	return 0;
}

/* Fills before/desired/action from the observation and plan. */
static int
run_report_plan(struct run *r, struct cm_err *err)
{
	size_t i;

	r->rep->toggle_to = r->pl.toggle_to;
	for (i = 0; i < r->p->nsettings; i++) {
		struct report_setting *rs = &r->rep->settings[i];
		const struct observed_setting *o = &r->obs.settings[i];
		const struct plan_setting *ps = &r->pl.settings[i];

		rs->key_existed = o->key_exists;
		if (rv_set(&rs->before, o->exists, &o->value) != 0 ||
		    rv_set(&rs->desired, ps->target_present, ps->target) != 0)
			return cm_err_nomem(err);
		if (ps->target_present)
			rs->type = ps->target->type;
		rs->action = setting_action_name(ps->action);
	}
	for (i = 0; i < r->p->nservices; i++) {
		struct report_service *rs = &r->rep->services[i];

		rs->before_known = 1;
		rs->before = r->obs.services[i].status;
		rs->action = service_action_name(r->pl.services[i].action);
	}
	return 0;
}

/* Re-reads every setting and service into the report's "after".  Read
 * failures leave that side unknown (null) rather than guessing. */
static void
run_report_after(struct run *r)
{
	size_t i;

	for (i = 0; i < r->p->nsettings; i++) {
		const struct profile_setting *s = &r->p->settings[i];
		struct report_setting *rs = &r->rep->settings[i];
		struct regval v = { 0, 0, NULL, 0 };
		struct cm_err e;
		int exists = 0;

		if (r->b->ops->read_value(r->b, s->key, s->value, s->view,
		    &exists, &v, &e) == 0 &&
		    rv_set(&rs->after, exists, &v) == 0)
			;
		else {
			regval_free(&rs->after.value);
			rs->after.known = 0;
		}
		regval_free(&v);
	}
	for (i = 0; i < r->p->nservices; i++) {
		struct report_service *rs = &r->rep->services[i];
		struct cm_err e;

		rs->after_known = r->b->ops->svc_query(r->b,
		    r->p->services[i].name, &rs->after, &e) == 0;
	}
}

static int
run_report_save(struct run *r, struct cm_err *err)
{
	if (r->o->report_path == NULL)
		return 0;
	return report_write(r->rep, r->o->report_path, err);
}

static void
note_error(struct run *r, const char *step, const struct cm_err *e)
{
	/* A report that cannot take one more error still says what it can. */
	(void)report_add_error(r->rep, step, e->msg);
}

/* ---- backup ------------------------------------------------------------ */

/* The key as a 64-bit regedit sees it: a 32-bit view setting lives under
 * WOW6432Node, and that is where the backup must put it back. */
static char *
backup_key(const struct profile_setting *s)
{
	return regkey_view_path(s->key, s->view);
}

/* Writes a regedit-importable .reg with the before-value of every setting
 * about to change; a value that did not exist gets a delete line. */
static int
write_backup(struct run *r, struct cm_err *err)
{
	struct regfile *rf;
	size_t i;
	int rc = 0;

	if (r->o->backup_path == NULL)
		return 0;
	if ((rf = regfile_new(REGFILE_UTF16LE)) == NULL)
		return cm_err_nomem(err);
	for (i = 0; i < r->p->nsettings && rc == 0; i++) {
		const struct observed_setting *o = &r->obs.settings[i];
		char *key;

		if (r->pl.settings[i].action == ACT_NONE)
			continue;
		if ((key = backup_key(&r->p->settings[i])) == NULL) {
			rc = cm_err_nomem(err);
			break;
		}
		if (o->exists)
			rc = regfile_set(rf, key, r->p->settings[i].value,
			    &o->value, err);
		else
			rc = regfile_add_delete_marker(rf, key,
			    r->p->settings[i].value, err);
		free(key);
	}
	if (rc == 0)
		rc = regfile_save(rf, r->o->backup_path, err);
	regfile_free(rf);
	if (rc == 0 && (r->rep->backup = strdup(r->o->backup_path)) == NULL)
		rc = cm_err_nomem(err);
	return rc;
}

/* ---- settings ---------------------------------------------------------- */

/* Removes up to n trailing components of setting i's key, deepest first,
 * each only if it is empty (delete_key refuses otherwise).  Failing to
 * remove the setting's own key is an error; a parent that is not empty
 * holds something this run did not write: it is left, and the report
 * says so. */
static int
remove_keys(struct run *r, size_t i, int n, struct cm_err *err)
{
	const struct profile_setting *s = &r->p->settings[i];
	char *key, *cut;
	struct cm_err e;
	int k, rc = 0;

	if (n <= 0)
		return 0;
	if ((key = strdup(s->key)) == NULL)
		return cm_err_nomem(err);
	for (k = 0; k < n; k++) {
		if (r->b->ops->delete_key(r->b, key, s->view,
		    k == 0 ? err : &e) != 0) {
			if (k == 0)
				rc = -1;
			else
				note_error(r, "cleanup", &e);
			break;
		}
		if ((cut = strrchr(key, '\\')) == NULL)
			break;
		*cut = '\0';
	}
	free(key);
	return rc;
}

/* Makes one setting hold (present, v); with !present, removes remove_key
 * levels of its key afterwards (see remove_keys). */
static int
put_value(struct run *r, size_t i, int present, const struct regval *v,
    int remove_key, struct cm_err *err)
{
	const struct profile_setting *s = &r->p->settings[i];
	struct backend *b = r->b;

	if (present)
		return b->ops->write_value(b, s->key, s->value, s->view, v,
		    err);
	if (b->ops->delete_value(b, s->key, s->value, s->view, err) != 0)
		return -1;
	return remove_keys(r, i, remove_key, err);
}

/* Reads a setting back and compares it with what it should hold. */
static int
verify_value(struct run *r, size_t i, int present, const struct regval *v,
    struct cm_err *err)
{
	const struct profile_setting *s = &r->p->settings[i];
	struct regval got = { 0, 0, NULL, 0 };
	int exists = 0, ok;

	if (r->b->ops->read_value(r->b, s->key, s->value, s->view, &exists,
	    &got, err) != 0)
		return -1;
	ok = exists == present && (!present || regval_equal(&got, v));
	regval_free(&got);
	if (!ok)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s\\%s: read back %s after writing", s->key,
		    *s->value ? s->value : "@",
		    exists ? "different data" : "no value");
	return 0;
}

static int
set_values(struct run *r, struct cm_err *err)
{
	size_t i;

	for (i = 0; i < r->p->nsettings; i++) {
		const struct plan_setting *ps = &r->pl.settings[i];

		if (ps->action == ACT_NONE)
			continue;
		r->touched[i] = 1;
		if (put_value(r, i, ps->target_present, ps->target,
		    ps->remove_key, err) != 0) {
			note_error(r, "set", err);
			return -1;
		}
		testhook_step();
	}
	for (i = 0; i < r->p->nsettings; i++) {
		const struct plan_setting *ps = &r->pl.settings[i];

		if (ps->action != ACT_NONE &&
		    verify_value(r, i, ps->target_present, ps->target,
		    err) != 0) {
			note_error(r, "verify", err);
			return -1;
		}
	}
	return 0;
}

/* ---- services ---------------------------------------------------------- */

static void
track_free(struct svc_track *t)
{
	backend_free_names(t->deps, t->ndeps);
	free(t->dep_asked);
	free(t->dep_stopped);
	free(t->dep_started);
	memset(t, 0, sizeof(*t));
}

static int run_report_dependents(struct report_service *rs,
    const struct svc_track *t);

/* Waits while name is start- or stop-pending, at most timeout_ms.  0 when
 * it settled (or was not pending), -1 with err (CM_ERR_TIMEOUT) naming the
 * state it is stuck in. */
static int
wait_settled(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	uint64_t until = sys_monotonic_ms() + timeout_ms;

	for (;;) {
		if (b->ops->svc_query(b, name, st, err) != 0)
			return -1;
		if (st->state != SVC_START_PENDING &&
		    st->state != SVC_STOP_PENDING)
			return 0;
		if (sys_monotonic_ms() >= until)
			return cm_err_set(err, CM_ERR_TIMEOUT, 0, "service %s "
			    "was already %s and did not settle within %u ms",
			    name, svc_state_name(st->state), timeout_ms);
		sys_sleep_ms(20);
	}
}

/* Stop the active dependents, the service, start it, start the dependents
 * again (in reverse order), as Restart-Service -Force does.  Each wait has
 * the profile's timeout; the tracker records how far it got. */
static int
restart_one(struct run *r, size_t i, struct svc_track *t, struct cm_err *err)
{
	const struct profile_service *ps = &r->p->services[i];
	struct report_service *rs = &r->rep->services[i];
	struct backend *b = r->b;
	struct svc_status st;
	uint64_t t0;
	size_t k;

	track_free(t);
	/* A service another run (perhaps one that was killed) left pending
	 * is let finish first: the SCM refuses controls meanwhile. */
	if (wait_settled(b, ps->name, ps->stop_timeout_ms, &st, err) != 0)
		return -1;
	if (b->ops->svc_dependents(b, ps->name, &t->deps, &t->ndeps, err) != 0)
		return -1;
	if (t->ndeps > 0 && ((t->dep_stopped = calloc(t->ndeps,
	    sizeof(int))) == NULL || (t->dep_started = calloc(t->ndeps,
	    sizeof(int))) == NULL || (t->dep_asked = calloc(t->ndeps,
	    sizeof(int))) == NULL))
		return cm_err_nomem(err);
	/* The journal learns the dependents before they are stopped, so
	 * that recover starts them again after a kill. */
	if (t->ndeps > 0 && rs->dependents == NULL) {
		if (run_report_dependents(rs, t) != 0)
			return cm_err_nomem(err);
		if (r->journaled && !r->o->journal_exists &&
		    journal_write(r->b->home, r->rep, r->o->report_path,
		    err) != 0)
			return -1;
	}
	for (k = 0; k < t->ndeps; k++) {
		if (wait_settled(b, t->deps[k], ps->stop_timeout_ms, &st,
		    err) != 0)
			return -1;
		t->dep_asked[k] = 1;
		if (b->ops->svc_stop(b, t->deps[k], ps->stop_timeout_ms, &st,
		    err) != 0)
			return -1;
		t->dep_stopped[k] = 1;
		testhook_step();
	}
	t->stop_requested = 1;
	t0 = sys_monotonic_ms();
	if (b->ops->svc_stop(b, ps->name, ps->stop_timeout_ms, &st, err) != 0)
		return -1;
	rs->stop_ms = (long)(sys_monotonic_ms() - t0);
	t->stopped = 1;
	testhook_step();
	t0 = sys_monotonic_ms();
	if (b->ops->svc_start(b, ps->name, ps->start_timeout_ms, &st, err) != 0)
		return -1;
	rs->start_ms = (long)(sys_monotonic_ms() - t0);
	t->started = 1;
	testhook_step();
	for (k = t->ndeps; k-- > 0;) {
		if (b->ops->svc_start(b, t->deps[k], ps->start_timeout_ms, &st,
		    err) != 0)
			return -1;
		t->dep_started[k] = 1;
		testhook_step();
	}
	return 0;
}

/* Copies the dependents a restart touched into the report. */
static int
run_report_dependents(struct report_service *rs, const struct svc_track *t)
{
	size_t k;

	if (rs->dependents != NULL || t->ndeps == 0)
		return 0;
	if ((rs->dependents = calloc(t->ndeps, sizeof(char *))) == NULL)
		return -1;
	for (k = 0; k < t->ndeps; k++) {
		if ((rs->dependents[k] = strdup(t->deps[k])) == NULL)
			return -1;
		rs->ndependents = k + 1;
	}
	return 0;
}

/* The restarted service must be running as a new process: a service that
 * "started" but kept its pid did not re-read anything. */
static int
verify_restarted(struct run *r, size_t i, struct cm_err *err)
{
	const char *name = r->p->services[i].name;
	unsigned long before = r->obs.services[i].status.pid;
	struct svc_status st;

	if (r->b->ops->svc_query(r->b, name, &st, err) != 0)
		return -1;
	if (st.state != SVC_RUNNING)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "service %s is %s after its restart, not running", name,
		    svc_state_name(st.state));
	if (before != 0 && st.pid == before)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "service %s still has pid %lu after its restart: it did "
		    "not restart", name, before);
	return 0;
}

static int
restart_services(struct run *r, struct cm_err *err)
{
	size_t i;

	for (i = 0; i < r->p->nservices; i++) {
		if (r->pl.services[i].action != SVCACT_RESTART)
			continue;
		/* "restart" is claimed only once this run saw the service
		 * stop, started it itself and saw its new pid. */
		r->rep->services[i].action = "none";
		if (restart_one(r, i, &r->trk[i], err) != 0 ||
		    verify_restarted(r, i, err) != 0) {
			(void)run_report_dependents(&r->rep->services[i],
			    &r->trk[i]);
			note_error(r, "restart", err);
			return -1;
		}
		r->rep->services[i].action = "restart";
		if (run_report_dependents(&r->rep->services[i],
		    &r->trk[i]) != 0)
			return cm_err_nomem(err);
	}
	return 0;
}

/* ---- rollback ---------------------------------------------------------- */

/* Puts every touched setting back to its before-value, then removes the
 * keys the run created.  Returns the number of settings that could not be
 * restored. */
static size_t
rollback_values(struct run *r)
{
	size_t i, failed = 0;

	for (i = r->p->nsettings; i-- > 0;) {
		const struct observed_setting *o = &r->obs.settings[i];
		struct report_setting *rs = &r->rep->settings[i];
		struct cm_err e;

		if (!r->touched[i])
			continue;
		if (put_value(r, i, o->exists, &o->value, 0, &e) != 0 ||
		    verify_value(r, i, o->exists, &o->value, &e) != 0) {
			note_error(r, "rollback", &e);
			rs->state = NULL;   /* settled from "after" later */
			failed++;
		} else
			rs->state = "restored";
	}
	for (i = r->p->nsettings; i-- > 0;) {
		struct cm_err e;

		if (r->touched[i] && r->missing[i] > 0 &&
		    remove_keys(r, i, r->missing[i], &e) != 0)
			note_error(r, "rollback", &e);
	}
	return failed;
}

/* Starts the dependents this run stopped and has not started again. */
static int
rollback_dependents(struct run *r, size_t i, struct svc_track *t)
{
	struct svc_status st;
	struct cm_err e;
	size_t k;
	int failed = 0;

	for (k = t->ndeps; k-- > 0;) {
		if (t->dep_started[k] || !(t->dep_stopped[k] ||
		    (t->dep_asked != NULL && t->dep_asked[k])))
			continue;
		/* A dependent whose stop timed out may still be stopping:
		 * let it finish, then start it. */
		if ((t->dep_stopped[k] || wait_settled(r->b, t->deps[k],
		    r->p->services[i].stop_timeout_ms, &st, &e) == 0) &&
		    r->b->ops->svc_start(r->b, t->deps[k],
		    r->p->services[i].start_timeout_ms, &st, &e) == 0) {
			t->dep_started[k] = 1;
			continue;
		}
		note_error(r, "rollback", &e);
		failed = 1;
		if (r->b->ops->svc_query(r->b, t->deps[k], &st, &e) == 0)
			snprintf(e.msg, sizeof(e.msg), "dependent %s of %s is "
			    "%s, not running as before", t->deps[k],
			    r->p->services[i].name, svc_state_name(st.state));
		else
			snprintf(e.msg, sizeof(e.msg), "dependent %s of %s: "
			    "state unknown, not known to run as before",
			    t->deps[k], r->p->services[i].name);
		note_error(r, "rollback", &e);
	}
	return failed;
}

/* Brings one touched service back to running with the old values: a
 * service that already runs with the new values is restarted again; one
 * left stopped is started; one whose stop never completed (still
 * stop-pending) never read the new values and is left as the SCM has it.
 * Returns 0 when everything this run stopped runs again. */
static int
rollback_service(struct run *r, size_t i)
{
	struct svc_track *t = &r->trk[i];
	struct report_service *rs = &r->rep->services[i];
	const struct profile_service *ps = &r->p->services[i];
	struct svc_status st;
	struct cm_err e;
	int failed = 0;

	if (t->started) {
		struct svc_track again = { 0, 0, 0, NULL, 0, NULL, NULL,
		    NULL };
		long stop_ms = rs->stop_ms, start_ms = rs->start_ms;
		int rc = restart_one(r, i, &again, &e);

		/* The report's timings are those of the apply's restart. */
		rs->stop_ms = stop_ms;
		rs->start_ms = start_ms;
		if (rc != 0) {
			note_error(r, "rollback", &e);
			failed = 1;
			if (again.stopped && !again.started)
				failed |= r->b->ops->svc_start(r->b, ps->name,
				    ps->start_timeout_ms, &st, &e) != 0;
			failed |= rollback_dependents(r, i, &again);
		}
		/* Dependents the first restart stopped but did not start
		 * again were not active, so the second restart skipped them. */
		failed |= rollback_dependents(r, i, t);
		track_free(&again);
		rs->state = failed ? "rollback_failed" : "restarted_again";
		return failed;
	}
	/* A stop that timed out may still have completed since. */
	if (t->stopped || (t->stop_requested &&
	    r->b->ops->svc_query(r->b, ps->name, &st, &e) == 0 &&
	    st.state == SVC_STOPPED)) {
		if (r->b->ops->svc_start(r->b, ps->name, ps->start_timeout_ms,
		    &st, &e) != 0) {
			note_error(r, "rollback", &e);
			failed = 1;
		}
		rs->state = failed ? "rollback_failed" : "started_again";
	} else
		rs->state = t->stop_requested ? "stop_never_completed" :
		    "not_stopped";
	if (rollback_dependents(r, i, t) != 0) {
		failed = 1;
		rs->state = "rollback_failed";
	}
	return failed;
}

/* Undoes the run.  0 when the machine is as before, -1 otherwise. */
static int
rollback(struct run *r)
{
	size_t i, failed;

	failed = rollback_values(r);
	for (i = 0; i < r->p->nservices; i++)
		if (r->trk[i].stop_requested || r->trk[i].ndeps > 0)
			failed += (size_t)rollback_service(r, i);
	return failed == 0 ? 0 : -1;
}

/* Counts how many trailing components of a setting's key are missing, so
 * that a rollback removes exactly the keys this run creates. */
static int
count_missing(struct run *r, size_t i, struct cm_err *err)
{
	const struct profile_setting *s = &r->p->settings[i];
	char *key, *cut;
	int exists = 0, n = 0;

	if (r->obs.settings[i].key_exists)
		return 0;
	if ((key = strdup(s->key)) == NULL)
		return cm_err_nomem(err);
	while (!exists && (cut = strrchr(key, '\\')) != NULL) {
		n++;
		*cut = '\0';
		if (r->b->ops->key_exists(r->b, key, s->view, &exists,
		    err) != 0) {
			free(key);
			return -1;
		}
	}
	free(key);
	r->missing[i] = n;
	return 0;
}

/* ---- the run ----------------------------------------------------------- */

/* The commit point: the final report is on disk, so the journal goes.  A
 * run whose rollback failed keeps it, for recover to try again. */
static void
commit(struct run *r)
{
	struct cm_err e;

	const char *oc = r->rep->outcome;

	if (!r->journaled || strcmp(oc, "failed") == 0 ||
	    (r->o->journal_exists && strcmp(oc, "changed") != 0 &&
	    strcmp(oc, "unchanged") != 0))
		return;
	if (journal_remove(r->b->home, &e) != 0)
		note_error(r, "journal", &e);
	else
		r->journaled = 0;
}

static enum apply_result
finish(struct run *r, const char *outcome, enum apply_result res,
    struct cm_err *err)
{
	struct cm_err e;

	r->rep->outcome = outcome;
	r->rep->finished = time(NULL);
	testhook_step();
	if (run_report_save(r, &e) == 0)
		commit(r);
	else {
		note_error(r, "report", &e);
		/* Nothing was changed (a change that cannot be recorded is
		 * rolled back in change()): the failure is the run's error.
		 * After a rollback the machine's state stands as reported on
		 * stdout; only the file is missing. */
		if (res == APPLY_UNCHANGED || res == APPLY_PLANNED) {
			*err = e;
			return APPLY_ERROR;
		}
	}
	return res;
}

/* After a failed rollback, says what a setting holds by what was read
 * back, never by what was intended: "unchanged" (never touched, or as
 * before), "changed" (holds the new data), "unknown" (unreadable, or
 * neither). */
static void
settle_state(struct report_setting *rs, int touched)
{
	const struct report_value *a = &rs->after, *b = &rs->before;
	const struct report_value *d = &rs->desired;

	if (rs->state != NULL)
		return;
	if (!touched)
		rs->state = "unchanged";
	else if (!a->known)
		rs->state = "unknown";
	else if (a->exists == b->exists &&
	    (!a->exists || regval_equal(&a->value, &b->value)))
		rs->state = "unchanged";
	else if (a->exists == d->exists &&
	    (!a->exists || regval_equal(&a->value, &d->value)))
		rs->state = "changed";
	else
		rs->state = "unknown";
}

/* The apply proper, once the plan says something must change. */
static enum apply_result
change(struct run *r, struct cm_err *err)
{
	size_t i;

	if ((r->p->nsettings > 0 && ((r->touched = calloc(r->p->nsettings,
	    sizeof(int))) == NULL || (r->missing = calloc(r->p->nsettings,
	    sizeof(int))) == NULL)) || (r->p->nservices > 0 &&
	    (r->trk = calloc(r->p->nservices, sizeof(*r->trk))) == NULL)) {
		cm_err_nomem(err);
		return APPLY_ERROR;
	}
	for (i = 0; i < r->p->nsettings; i++) {
		if (r->pl.settings[i].action != ACT_NONE &&
		    count_missing(r, i, err) != 0) {
			note_error(r, "observe", err);
			return finish(r, "failed", APPLY_ERROR, err);
		}
		r->rep->settings[i].keys_created = r->missing[i];
	}
	/* Nothing has changed yet: a failure here leaves the machine alone,
	 * and the report on disk records the before-state first. */
	if (write_backup(r, err) != 0 || run_report_save(r, err) != 0) {
		note_error(r, "backup", err);
		return finish(r, "failed", APPLY_ERROR, err);
	}
	/* The journal, last before the first change: a run killed from here
	 * on is found by the next one and undone (cmremedy recover). */
	if (r->b->home != NULL && !r->o->journal_exists) {
		if (journal_write(r->b->home, r->rep, r->o->report_path,
		    err) != 0) {
			note_error(r, "journal", err);
			return finish(r, "failed", APPLY_ERROR, err);
		}
		r->journaled = 1;
		testhook_step();
	}
	if (set_values(r, err) == 0 && restart_services(r, err) == 0) {
		run_report_after(r);
		r->rep->outcome = "changed";
		r->rep->finished = time(NULL);
		testhook_step();
		if (run_report_save(r, err) == 0) {
			commit(r);
			return APPLY_CHANGED;
		}
		/* Writing the report is the last step of the apply: without
		 * it there is no record to revert from, so it fails like any
		 * other step and the change is undone. */
		note_error(r, "report", err);
		r->rep->outcome = "in_progress";
	}
	if (rollback(r) == 0) {
		run_report_after(r);
		return finish(r, "rolled_back", APPLY_ROLLED_BACK, err);
	}
	run_report_after(r);
	for (i = 0; i < r->p->nsettings; i++)
		settle_state(&r->rep->settings[i], r->touched[i]);
	return finish(r, "failed", APPLY_FAILED, err);
}

enum apply_result
apply_run(struct backend *b, const struct profile *p,
    const struct apply_opts *o, struct report **rep, struct cm_err *err)
{
	struct run r;
	enum apply_result res;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.b = b;
	r.p = p;
	r.o = o;
	r.journaled = o->journal_exists && b->home != NULL;
	*rep = NULL;
	cm_err_clear(err);
	if (run_report_begin(&r, err) != 0) {
		report_free(r.rep);
		return APPLY_ERROR;
	}
	*rep = r.rep;
	if (apply_observe(b, p, &r.obs, err) != 0) {
		note_error(&r, "observe", err);
		return finish(&r, "failed", APPLY_ERROR, err);
	}
	if (plan_build(p, &r.obs, o->mode, &r.pl, err) != 0 ||
	    run_report_plan(&r, err) != 0) {
		note_error(&r, "plan", err);
		res = finish(&r, "failed", APPLY_ERROR, err);
		observation_free(&r.obs);
		plan_free(&r.pl);
		return res;
	}
	if (o->dry_run)
		res = finish(&r, "planned", APPLY_PLANNED, err);
	else if (r.pl.changes == 0 && r.pl.restarts == 0) {
		for (i = 0; i < p->nsettings; i++)
			(void)rv_set(&r.rep->settings[i].after,
			    r.obs.settings[i].exists, &r.obs.settings[i].value);
		for (i = 0; i < p->nservices; i++) {
			r.rep->services[i].after_known = 1;
			r.rep->services[i].after = r.obs.services[i].status;
		}
		res = finish(&r, "unchanged", APPLY_UNCHANGED, err);
	} else
		res = change(&r, err);
	if (r.trk != NULL)
		for (i = 0; i < p->nservices; i++)
			track_free(&r.trk[i]);
	free(r.trk);
	free(r.touched);
	free(r.missing);
	observation_free(&r.obs);
	plan_free(&r.pl);
	return res;
}
