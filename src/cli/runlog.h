// SPDX-License-Identifier: ISC
/* runlog.h - cmremedy.log: what each command did, one CMTrace record per
 * step, in the reports folder (util/cmlog.h has the format and rotation).
 *
 * The steps are rendered from the run's report once the command is done,
 * after a "started" record written before it acts: a run that dies in
 * between leaves "started" with no outcome, and its report on disk says
 * "in_progress".  Records, in order:
 *   <command> <profile> on <backend>: started
 *   observe KEY\NAME (TYPE, VIEW-bit): DATA | (absent)
 *   set KEY\NAME: BEFORE -> AFTER            (also "create", "delete")
 *   stop SERVICE: pid N stopped in N ms      (dependents named)
 *   start SERVICE: running as pid N in N ms
 *   error in STEP: MESSAGE                   (type 3; rollback steps too)
 *   rollback KEY\NAME: STATE / rollback SERVICE: STATE
 *   outcome: WORD (exit N)                   (type 1, 2 rolled back, 3 failed)
 *   report: PATH
 * Logging never changes a command's outcome: a log that cannot be written
 * is a warning on stderr. */
#ifndef CM_RUNLOG_H
#define CM_RUNLOG_H

#include <stdio.h>

#include "cli.h"
#include "core/report.h"

/* Writes the "started" record of command c to dir/cmremedy.log.  Returns
 * the log's path (caller frees), or NULL when the folder dir does not
 * exist (the caller makes it for commands that change things, with the
 * access the reports need) or dir is NULL. */
char *runlog_open(const char *dir, const struct cli *c, FILE *errout);

/* One record of the given type (util/cmlog.h) with printf-style text;
 * on failure a warning goes to errout.  path NULL: no-op. */
void runlog_printf(const char *path, FILE *errout, int type,
    const char *fmt, ...) CM_PRINTFLIKE(4, 5);

/* The step records of a finished run (see above); report_path may be
 * NULL (no report file). */
void runlog_report(const char *path, FILE *errout, const struct report *r,
    const char *report_path, int exit_code);

#endif
