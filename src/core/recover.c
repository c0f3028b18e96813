// SPDX-License-Identifier: ISC
/* recover.c - putting a machine back from an interrupted run's journal. */
#include "recover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "revert.h"
#include "util/text.h"

/* Appends dependent name (unless the profile has it) as a service that
 * only has to run, with the timeouts of the service it depends on. */
static int
add_dependent(struct profile *p, const char *name,
    const struct profile_service *of)
{
	unsigned stop = of->stop_timeout_ms, start = of->start_timeout_ms;
	struct profile_service *ps;
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (text_casecmp(p->services[i].name, name) == 0)
			return 0;
	if ((ps = profile_add_service(p)) == NULL ||
	    (ps->name = text_strdup(name)) == NULL)
		return -1;
	ps->stop_timeout_ms = stop;
	ps->start_timeout_ms = start;
	ps->recover = 1;
	ps->recover_running = 1;
	ps->recover_pid = 0;
	return 0;
}

int
recover_profile(const struct report *journal, const char *path,
    struct profile **out, struct cm_err *err)
{
	size_t i;

	if (revert_profile(journal, path, out, err) != 0)
		return -1;
	for (i = 0; i < journal->nservices && i < (*out)->nservices; i++) {
		const struct report_service *rs = &journal->services[i];
		struct profile_service *ps = &(*out)->services[i];

		ps->recover = 1;
		ps->recover_running = rs->before_known &&
		    rs->before.state == SVC_RUNNING;
		ps->recover_pid = rs->before_known ? rs->before.pid : 0;
	}
	/* The dependents the run stopped (it journals them first) ran
	 * before: they must run again, after the services they need. */
	for (i = 0; i < journal->nservices; i++) {
		const struct report_service *rs = &journal->services[i];
		size_t k;

		for (k = 0; k < rs->ndependents; k++)
			if (add_dependent(*out, rs->dependents[k],
			    &(*out)->services[i]) != 0) {
				profile_free(*out);
				*out = NULL;
				return cm_err_nomem(err);
			}
	}
	return 0;
}

/* The interrupted run's own report said "in_progress" forever: after a
 * recover it says what became of the run.  Best effort: a report that is
 * gone or unreadable is left alone. */
static void
close_interrupted(const char *path, const char *recover_report)
{
	struct report *r;
	struct cm_err e;
	struct strbuf msg = { NULL, 0, 0, 0 };

	if (path == NULL || report_load(path, &r, &e) != 0)
		return;
	/* "changed" too: a run killed after its final report but before
	 * its commit point (the journal's removal) was undone all the
	 * same. */
	if (strcmp(r->outcome, "in_progress") == 0 ||
	    strcmp(r->outcome, "failed") == 0 ||
	    strcmp(r->outcome, "changed") == 0) {
		strbuf_puts(&msg, "the run was interrupted; cmremedy recover "
		    "put every value and service back as before");
		if (recover_report != NULL)
			strbuf_printf(&msg, " (report %s)", recover_report);
		r->outcome = "rolled_back";
		r->finished = time(NULL);
		if (!msg.failed &&
		    report_add_error(r, "interrupted", msg.s) == 0)
			(void)report_write(r, path, &e);
	}
	strbuf_free(&msg);
	report_free(r);
}

enum recover_result
recover_run(struct backend *b, const struct policy *pol,
    const char *report_path, struct report **rep, char **interrupted,
    struct cm_err *err)
{
	struct report *journal;
	struct profile *p;
	struct apply_opts o;
	enum apply_result res;
	char *jpath;
	int rc;

	*rep = NULL;
	*interrupted = NULL;
	if (b->home == NULL)
		return RECOVER_NOTHING;
	rc = journal_read(b->home, &journal, interrupted, err);
	if (rc == 0)
		return RECOVER_NOTHING;
	if (rc < 0)
		return RECOVER_ERROR;
	if ((jpath = journal_path(b->home)) == NULL) {
		report_free(journal);
		cm_err_nomem(err);
		return RECOVER_ERROR;
	}
	rc = recover_profile(journal, jpath, &p, err);
	report_free(journal);
	free(jpath);
	if (rc != 0)
		return RECOVER_ERROR;
	if (pol != NULL && policy_check_profile(pol, p, err) != 0) {
		profile_free(p);
		return RECOVER_ERROR;
	}
	memset(&o, 0, sizeof(o));
	o.command = "recover";
	o.mode = PLAN_APPLY;
	o.report_path = report_path;
	o.recovered = *interrupted;
	o.journal_exists = 1;
	res = apply_run(b, p, &o, rep, err);
	profile_free(p);
	if (res == APPLY_CHANGED || res == APPLY_UNCHANGED) {
		close_interrupted(*interrupted, report_path);
		return RECOVER_DONE;
	}
	if (*rep == NULL)
		return RECOVER_ERROR;
	return res == APPLY_ERROR && (*rep)->nerrors == 0 ? RECOVER_ERROR :
	    RECOVER_FAILED;
}
