// SPDX-License-Identifier: ISC
/* plan.h - the planner: profile + observed state -> what must change.
 *
 * Pure: no I/O, no clock, no backend.  The same inputs give the same plan,
 * which is what makes `plan`, `apply --dry-run` and `check` trustworthy. */
#ifndef CM_PLAN_H
#define CM_PLAN_H

#include <stddef.h>

#include "backend/backend.h"
#include "util/err.h"
#include "profile.h"
#include "reg/regval.h"

/* What was observed for one profile setting. */
struct observed_setting {
	int key_exists;
	int exists;           /* the value exists */
	struct regval value;  /* valid when exists; owned */
};

/* What was observed for one profile service. */
struct observed_service {
	struct svc_status status;
};

/* Parallel to profile->settings and profile->services. */
struct observation {
	struct observed_setting *settings;
	size_t nsettings;
	struct observed_service *services;
	size_t nservices;
};

/* Frees the arrays and values inside obs (not obs itself). */
void observation_free(struct observation *obs);

enum plan_mode {
	PLAN_APPLY,   /* make the machine match `desired` (apply, revert) */
	PLAN_TOGGLE   /* flip the settings that have `off`; see plan_build */
};

enum setting_action {
	ACT_NONE,     /* already as wanted */
	ACT_SET,      /* value exists with other data or type: overwrite */
	ACT_CREATE,   /* value (and maybe key) missing: create */
	ACT_DELETE    /* value exists but must not (revert) */
};

/* "none", "set", "create", "delete". */
const char *setting_action_name(enum setting_action a);

struct plan_setting {
	enum setting_action action;
	int target_present;            /* the value should exist afterwards */
	const struct regval *target;   /* borrowed from the profile; NULL if
					  !target_present */
	int remove_key;                /* keys to remove after the value,
					  deepest first, each if empty (see
					  profile_setting.remove_key) */
};

enum service_action { SVCACT_NONE, SVCACT_RESTART };

/* "none", "restart". */
const char *service_action_name(enum service_action a);

struct plan_service {
	enum service_action action;
	const char *reason;   /* static text: why this action */
};

/* Parallel to the profile's arrays. */
struct plan {
	enum plan_mode mode;
	struct plan_setting *settings;
	size_t nsettings;
	struct plan_service *services;
	size_t nservices;
	size_t changes;       /* settings whose action is not ACT_NONE */
	size_t restarts;      /* services to restart with no setting
				 changed (recover: see plan_build) */
	const char *toggle_to; /* PLAN_TOGGLE: "on" or "off"; else NULL */
};

/*
 * Computes the plan.
 *   PLAN_APPLY: each setting's target is desired (or absent when
 *     !present).
 *   PLAN_TOGGLE: the profile is "on" when every setting with `off` holds
 *     its desired data; then the targets of those settings become `off`,
 *     otherwise `desired`.  Settings without `off` always target desired.
 *     A profile with no `off` at all is an error (CM_ERR_INPUT).
 * Services: restart each service that is running when at least one
 * setting changes; a stopped service is left stopped (it reads the new
 * value when next started); nothing changes -> nothing restarts.  A
 * service with `recover` set (cmremedy recover, from a journal) is also
 * restarted when it runs as another process than before the interrupted
 * run (that run restarted it, perhaps with its values), and started when
 * it ran before and is now stopped or pending; those count in restarts.
 * Returns 0 with *out filled (free with plan_free), or -1.
 */
int plan_build(const struct profile *p, const struct observation *obs,
    enum plan_mode mode, struct plan *out, struct cm_err *err);

/* Frees the arrays inside pl (not pl itself). */
void plan_free(struct plan *pl);

#endif
