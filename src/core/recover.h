// SPDX-License-Identifier: ISC
/* recover.h - undoing a run that was interrupted (killed, power cut) or
 * whose rollback failed, from the journal it left (journal.h).
 *
 * Every before-value in the journal is put back (values that did not
 * exist deleted, keys the run created removed), and the journal's services
 * are brought back as they were: restarted when they run as another
 * process than before (the run restarted them, perhaps with its values),
 * started when they ran before and are stopped now, after waiting for a
 * pending one to settle.  This is apply_run on a profile built from the
 * journal, so it has apply's verification, rollback and report; the
 * journal itself stays until that report is written (a recover killed
 * halfway is recovered again from the same before-values).
 * The caller holds the machine lock (lock.h). */
#ifndef CM_RECOVER_H
#define CM_RECOVER_H

#include "apply.h"
#include "backend/backend.h"
#include "policy.h"
#include "report.h"
#include "util/err.h"

enum recover_result {
	RECOVER_NOTHING,   /* no journal                          exit 0 */
	RECOVER_DONE,      /* the machine is as before the run    exit 0 */
	RECOVER_FAILED,    /* could not; err and report say what  exit 5 */
	RECOVER_ERROR      /* journal unreadable, or outside the
			      policy: nothing touched             exit 2/3 */
};

/*
 * Recovers b if it has a journal.  report_path: where recover writes its
 * own report (command "recover"; NULL: none).  On RECOVER_DONE and
 * RECOVER_FAILED *rep is recover's report (report_free); *interrupted is
 * the interrupted run's report path as its journal named it (malloc'd;
 * NULL if it had none).  The interrupted run's report, if it can be read,
 * is rewritten to say it was rolled back by recover.
 */
enum recover_result recover_run(struct backend *b, const struct policy *pol,
    const char *report_path, struct report **rep, char **interrupted,
    struct cm_err *err);

/* The profile recover applies: the journal's before-values, its services
 * marked to come back as they were (profile_service.recover).  path names
 * the journal in messages.  0 and *out, or -1. */
int recover_profile(const struct report *journal, const char *path,
    struct profile **out, struct cm_err *err);

#endif
