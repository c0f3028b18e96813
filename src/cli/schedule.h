// SPDX-License-Identifier: ISC
/* schedule.h - what `--for` arranges so that `cmremedy expire` runs when
 * the change expires (see expiry.h for status and expire). */
#ifndef CM_SCHEDULE_H
#define CM_SCHEDULE_H

#include <stdio.h>

#include "cli.h"
#include "core/report.h"

/* A report's scheduled task, as status shows it. */
struct schedule_task {
	int exists;
	char name[260], start[64], user[128], path[1024], args[1024];
};

/* After an apply/toggle with --for that changed something (report_path
 * its report): on Windows registers the one-shot scheduled task that runs
 * `cmremedy.exe expire` as SYSTEM then (backend/task.h; a failure is a
 * warning on errout: the change stands, `expire` still reverts it when
 * run); elsewhere prints the one-line systemd-run and crontab commands
 * that do it, with CMREMEDY_REPORT_DIR set to report_dir when the
 * environment chose the folder.  Says so on out in text mode; --json is
 * quiet (the report has "expires").  A dry run arranges nothing. */
void schedule_expire(const struct cli *c, const struct report *rep,
    const char *report_path, const char *report_dir, FILE *out,
    FILE *errout);

/* After a revert of report_path (typed, or run by expire): removes that
 * report's scheduled task on Windows (a failure is a warning); nothing
 * elsewhere. */
void schedule_cancel(const char *report_path, FILE *errout);

/* Windows: the report's scheduled task as read back through the Task
 * Scheduler API, for status; ti->exists 0 when there is none or it cannot
 * be read.  Elsewhere always none.  Returns 1 when this build has tasks. */
int schedule_query(const char *report_path, struct schedule_task *st);

#endif
