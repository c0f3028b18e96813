// SPDX-License-Identifier: ISC
/* revert.c - from a report back to the profile that undoes it; the checks
 * that decide whether a report may be reverted at all. */
#include "revert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reg/regval.h"
#include "util/text.h"

int
revert_check_report(const struct report *rep, const char *path,
    const char *machine, struct cm_err *err)
{
	if (machine != NULL && rep->machine == NULL)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: machine: missing: "
		    "the report does not say which machine it was written on; "
		    "refusing to revert it", path);
	if (machine != NULL && strcmp(rep->machine, machine) != 0)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: written on "
		    "machine \"%s\", this is \"%s\": refusing to revert "
		    "another machine's report; nothing was touched", path,
		    rep->machine, machine);
	if (strcmp(rep->command, "plan") == 0 ||
	    strcmp(rep->command, "check") == 0 || rep->dry_run)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: a %s changed "
		    "nothing: there is nothing to revert", path,
		    rep->dry_run ? "dry run" : rep->command);
	if (strcmp(rep->outcome, "changed") != 0 &&
	    strcmp(rep->outcome, "failed") != 0)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: outcome \"%s\": "
		    "the run left the machine as it was: there is nothing to "
		    "revert%s", path, rep->outcome,
		    strcmp(rep->outcome, "in_progress") == 0 ? " (an "
		    "interrupted run: use cmremedy recover)" : "");
	return 0;
}

/* Whether the machine holds (exists, v) as a report side recorded it. */
static int
same_as(const struct report_value *side, int exists, const struct regval *v)
{
	return side->known && side->exists == exists &&
	    (!exists || regval_equal(&side->value, v));
}

int
revert_check_since(struct backend *b, const struct report *rep,
    const char *path, int force, struct cm_err *err)
{
	size_t i;

	if (force)
		return 0;
	for (i = 0; i < rep->nsettings; i++) {
		const struct report_setting *rs = &rep->settings[i];
		struct regval now;
		char *text = NULL, *want = NULL;
		int exists = 0, same;

		if (strcmp(rs->action, "none") == 0)
			continue;
		memset(&now, 0, sizeof(now));
		if (b->ops->read_value(b, rs->key, rs->value, rs->view,
		    &exists, &now, err) != 0)
			return -1;
		same = same_as(&rs->after, exists, &now);
		if (!same && exists)
			text = regval_format(&now);
		regval_free(&now);
		if (same)
			continue;
		if (rs->after.known && rs->after.exists)
			want = regval_format(&rs->after.value);
		cm_err_set(err, CM_ERR_INPUT, 0, "%s: %s\\%s changed since the "
		    "report: it holds %s, the report recorded %s after the "
		    "run; nothing was touched (revert --force puts the "
		    "before-value back anyway)", path, rs->key,
		    *rs->value ? rs->value : "@",
		    exists ? (text != NULL ? text : "other data") : "no value",
		    !rs->after.known ? "nothing" : rs->after.exists ?
		    (want != NULL ? want : "other data") : "no value");
		free(text);
		free(want);
		return -1;
	}
	return 0;
}

/* A profile that puts back what a report recorded as "before". */
int
revert_profile(const struct report *rep, const char *path,
    struct profile **out, struct cm_err *err)
{
	struct profile *p;
	struct cm_err e;
	size_t i;

	if ((p = profile_new(rep->profile_path, rep->profile_name)) == NULL)
		return cm_err_nomem(err);
	for (i = 0; i < rep->nsettings; i++) {
		const struct report_setting *rs = &rep->settings[i];
		struct profile_setting *s;

		if (!rs->before.known) {
			profile_free(p);
			return cm_err_set(err, CM_ERR_INPUT, 0,
			    "%s: settings[%zu].before is null: the report "
			    "recorded nothing to revert to", path, i);
		}
		if ((s = profile_add_setting(p)) == NULL) {
			profile_free(p);
			return cm_err_nomem(err);
		}
		/* A report is input like a profile: its keys get the same
		 * canonical form before they reach a backend. */
		if ((s->key = profile_canon_key(rs->key, &e)) == NULL) {
			profile_free(p);
			if (e.kind == CM_ERR_NOMEM)
				return cm_err_nomem(err);
			return cm_err_set(err, CM_ERR_INPUT, 0,
			    "%s: settings[%zu].key: %s", path, i, e.msg);
		}
		if ((s->value = text_strdup(rs->value)) == NULL ||
		    (s->id = text_strdup(rs->value)) == NULL ||
		    (rs->before.exists &&
		    regval_copy(&s->desired, &rs->before.value) != 0)) {
			profile_free(p);
			return cm_err_nomem(err);
		}
		s->view = rs->view;
		s->present = rs->before.exists;
		if (!s->present)
			s->desired.type = rs->type;
		s->remove_key = rs->keys_created;
	}
	for (i = 0; i < rep->nservices; i++) {
		const struct report_service *rs = &rep->services[i];
		struct profile_service *s;

		if ((s = profile_add_service(p)) == NULL ||
		    (s->name = text_strdup(rs->name)) == NULL) {
			profile_free(p);
			return cm_err_nomem(err);
		}
		s->stop_timeout_ms = rs->stop_timeout_ms;
		s->start_timeout_ms = rs->start_timeout_ms;
	}
	*out = p;
	return 0;
}

