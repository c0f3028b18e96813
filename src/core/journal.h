// SPDX-License-Identifier: ISC
/* journal.h - what a run is about to change, kept where the next run will
 * look, so that a run killed halfway can be undone (cmremedy recover).
 *
 * HOME/cmremedy.journal (HOME: the backend's machine-scoped folder) is
 * written before the first change and removed only after the run's final
 * report is written: that removal is the run's commit point.  A journal
 * whose run no longer holds the machine lock (lock.h) is an interrupted
 * run.  A run whose rollback failed (exit 5) leaves its journal too, so
 * that recover can try again.
 *
 * Format: one JSON object, the run's report as report_to_json writes it
 * (outcome "in_progress"; every setting's "before" and "keys_created",
 * every service's "before" and timeouts), plus three members:
 *   "journal": 1           the format version
 *   "pid": N               the process that wrote it
 *   "report": "PATH"|null  where that run writes its own report
 * Read back with report_load, so it is validated as strictly as a report;
 * written with sys_write_atomic (never torn, never through a link). */
#ifndef CM_JOURNAL_H
#define CM_JOURNAL_H

#include "report.h"
#include "util/err.h"

#define JOURNAL_FILE "cmremedy.journal"
#define JOURNAL_VERSION 1

/* The journal's path in home; malloc'd, NULL on allocation failure. */
char *journal_path(const char *home);

/* Writes the journal of rep (whose report goes to report_path, or NULL).
 * 0 or -1 with err. */
int journal_write(const char *home, const struct report *rep,
    const char *report_path, struct cm_err *err);

/* Removes it; a missing journal is success.  0 or -1 with err. */
int journal_remove(const char *home, struct cm_err *err);

/* Reads the journal: 0 if there is none; 1 with *rep (report_free) and
 * *report_path (malloc'd or NULL); -1 with err (CM_ERR_SYSTEM) when it
 * exists but cannot be read or is not valid, naming the file. */
int journal_read(const char *home, struct report **rep, char **report_path,
    struct cm_err *err);

#endif
