// SPDX-License-Identifier: ISC
/* apply.h - observe a machine, and carry a plan out safely.
 *
 * The sequence of apply_run (see cmremedy.1, "SAFETY"):
 *   observe -> plan -> report (in_progress) + .reg backup -> set values ->
 *   re-read and verify -> restart services -> verify running with a new
 *   pid -> final report.
 * Any failure after the first change rolls every changed value back,
 * restarts again what was restarted (so services run with the old values),
 * and says in the report exactly what state each setting and service is
 * in.  This is the only module that changes a machine, and it does so only
 * through struct backend. */
#ifndef CM_APPLY_H
#define CM_APPLY_H

#include "backend/backend.h"
#include "util/err.h"
#include "plan.h"
#include "profile.h"
#include "report.h"

/* Reads the current state of every setting and service of p.  Returns 0
 * with obs filled (free with observation_free), or -1 (nothing changed). */
int apply_observe(struct backend *b, const struct profile *p,
    struct observation *obs, struct cm_err *err);

enum apply_result {
	APPLY_UNCHANGED,    /* nothing differed; nothing touched   exit 0 */
	APPLY_CHANGED,      /* changed and verified                exit 0 */
	APPLY_PLANNED,      /* dry run: plan only                  exit 0 */
	APPLY_ERROR,        /* failed before any change            exit 2/3 */
	APPLY_ROLLED_BACK,  /* failed, machine is as before        exit 4 */
	APPLY_FAILED        /* failed and rollback failed          exit 5 */
};

struct apply_opts {
	const char *command;     /* "apply", "toggle", "revert", "plan",
				    "check": recorded in the report */
	enum plan_mode mode;
	int dry_run;             /* observe and plan only */
	const char *report_path; /* JSON report to write (NULL: none; the
				    caller decides the default) */
	const char *backup_path; /* .reg backup of the values about to
				    change (NULL: none) */
	const char *reverts;     /* revert: the report being reverted */
	time_t expires;          /* --for: recorded in the report; 0 none */
	const char *recovered;   /* the interrupted run's report this run
				    recovered first (report "recovered") */
	int journal_exists;      /* recover: the machine's journal already
				    holds the before-values this run puts
				    back; write none, remove it at the
				    commit point only if the run succeeded */
};

/*
 * Runs one command on b.  Always returns a report in *rep (free with
 * report_free) unless allocation failed early; the report has been
 * written to o->report_path when that is set and anything was attempted.
 * Returns the result; on APPLY_ERROR err says why (kind decides exit 2 or
 * 3), on APPLY_ROLLED_BACK/APPLY_FAILED err holds the first failure.
 */
enum apply_result apply_run(struct backend *b, const struct profile *p,
    const struct apply_opts *o, struct report **rep, struct cm_err *err);

#endif
