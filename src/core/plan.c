// SPDX-License-Identifier: ISC
/* plan.c - the pure planner: what must change, and what must restart. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

const char *
setting_action_name(enum setting_action a)
{
	switch (a) {
	case ACT_SET:    return "set";
	case ACT_CREATE: return "create";
	case ACT_DELETE: return "delete";
	default:         return "none";
	}
}

const char *
service_action_name(enum service_action a)
{
	return a == SVCACT_RESTART ? "restart" : "none";
}

void
observation_free(struct observation *obs)
{
	size_t i;

	if (obs == NULL)
		return;
	for (i = 0; i < obs->nsettings; i++)
		regval_free(&obs->settings[i].value);
	free(obs->settings);
	free(obs->services);
	memset(obs, 0, sizeof(*obs));
}

void
plan_free(struct plan *pl)
{
	if (pl == NULL)
		return;
	free(pl->settings);
	free(pl->services);
	memset(pl, 0, sizeof(*pl));
}

/* The toggle direction: "on" when every setting that has `off` currently
 * holds its desired data, so the toggle turns the profile off. */
static int
profile_is_on(const struct profile *p, const struct observation *obs)
{
	size_t i;

	for (i = 0; i < p->nsettings; i++) {
		const struct profile_setting *s = &p->settings[i];
		const struct observed_setting *o = &obs->settings[i];

		if (!s->has_off)
			continue;
		if (!o->exists || !regval_equal(&o->value, &s->desired))
			return 0;
	}
	return 1;
}

/* Decides one setting's action from its target and what was observed. */
static void
plan_setting(struct plan_setting *ps, const struct profile_setting *s,
    const struct observed_setting *o, const struct regval *target,
    int present)
{
	ps->target_present = present;
	ps->target = present ? target : NULL;
	ps->remove_key = present ? 0 : s->remove_key;
	if (present) {
		if (!o->exists)
			ps->action = ACT_CREATE;
		else if (!regval_equal(&o->value, target))
			ps->action = ACT_SET;
		else
			ps->action = ACT_NONE;
	} else
		ps->action = o->exists ? ACT_DELETE : ACT_NONE;
}

int
plan_build(const struct profile *p, const struct observation *obs,
    enum plan_mode mode, struct plan *out, struct cm_err *err)
{
	size_t i, n_off = 0;
	int turn_off = 0;

	memset(out, 0, sizeof(*out));
	if (obs->nsettings != p->nsettings || obs->nservices != p->nservices)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "internal: observation does not match the profile");
	if (mode == PLAN_TOGGLE) {
		for (i = 0; i < p->nsettings; i++)
			n_off += p->settings[i].has_off != 0;
		if (n_off == 0)
			return cm_err_set(err, CM_ERR_INPUT, 0,
			    "%s: toggle needs an 'off' value in at least one "
			    "[setting] section", p->path);
		turn_off = profile_is_on(p, obs);
		out->toggle_to = turn_off ? "off" : "on";
	}
	out->mode = mode;
	out->nsettings = p->nsettings;
	out->nservices = p->nservices;
	if ((p->nsettings > 0 && (out->settings = calloc(p->nsettings,
	    sizeof(*out->settings))) == NULL) ||
	    (p->nservices > 0 && (out->services = calloc(p->nservices,
	    sizeof(*out->services))) == NULL)) {
		plan_free(out);
		return cm_err_nomem(err);
	}
	for (i = 0; i < p->nsettings; i++) {
		const struct profile_setting *s = &p->settings[i];
		const struct regval *target = &s->desired;

		if (mode == PLAN_TOGGLE && turn_off && s->has_off)
			target = &s->off;
		plan_setting(&out->settings[i], s, &obs->settings[i], target,
		    s->present || (mode == PLAN_TOGGLE && s->has_off));
		if (out->settings[i].action != ACT_NONE)
			out->changes++;
	}
	for (i = 0; i < p->nservices; i++) {
		struct plan_service *sv = &out->services[i];
		const struct profile_service *ps = &p->services[i];
		enum svc_state st = obs->services[i].status.state;

		if (ps->recover && ps->recover_running && st != SVC_RUNNING) {
			sv->action = SVCACT_RESTART;
			sv->reason = "ran before the interrupted run, is not "
			    "running now";
			out->restarts += out->changes == 0;
		} else if (ps->recover && st == SVC_RUNNING &&
		    ps->recover_pid != 0 &&
		    obs->services[i].status.pid != ps->recover_pid) {
			sv->action = SVCACT_RESTART;
			sv->reason = "the interrupted run restarted it, "
			    "perhaps with its values";
			out->restarts += out->changes == 0;
		} else if (out->changes == 0) {
			sv->action = SVCACT_NONE;
			sv->reason = "nothing changed";
		} else if (st == SVC_STOPPED) {
			sv->action = SVCACT_NONE;
			sv->reason =
			    "stopped: reads the new values when started";
		} else {
			sv->action = SVCACT_RESTART;
			sv->reason = "settings changed";
		}
	}
	return 0;
}
