// SPDX-License-Identifier: ISC
/* ledger.h - what cmremedy changed on a machine and has not put back,
 * read from the reports folder.
 *
 * There is no separate index to fall out of step: apply, toggle and revert
 * write their report before the first change and again at the end (see
 * apply.h), so the folder already is the record.  Read in order of their
 * start, the reports of one backend say which change is still standing:
 *   - an apply or toggle whose outcome is "changed" owns each setting it
 *     changed (action other than "none");
 *   - a later run that changed the same setting (same key, value name and
 *     view, names compared as the registry does, ignoring ASCII case)
 *     takes it over: a toggle back, another apply, a revert;
 *   - a revert whose "reverts" names the report (by file name) releases
 *     all of it, whatever it found to do;
 *   - a report still "in_progress" is a run that never finished: it owns
 *     nothing and is listed as interrupted, unless a later run of the same
 *     backend finished since (it observed the machine afresh).
 * An entry with at least one owned setting is active.  A change made
 * outside cmremedy is not in the folder: it shows as drift when the
 * active entry's settings are read back (ledger_observe).  A file that is
 * not a readable report is listed as skipped and otherwise ignored. */
#ifndef CM_LEDGER_H
#define CM_LEDGER_H

#include <stddef.h>
#include <time.h>

#include "backend/backend.h"
#include "util/err.h"
#include "report.h"

struct ledger_setting {
	size_t index;         /* into rep->settings */
	struct report_value current;  /* ledger_observe: as read now; known
				 0 when not read or unreadable */
	int drifted;          /* current differs from the report's "after" */
};

struct ledger_entry {
	char *path;           /* the report file; owned */
	struct report *rep;   /* owned */
	struct ledger_setting *settings;  /* the owned ones; owned */
	size_t nsettings;
};

struct ledger {
	struct ledger_entry *active;       /* oldest first */
	size_t nactive;
	struct ledger_entry *interrupted;  /* oldest first; no settings */
	size_t ninterrupted;
	char **skipped;       /* "PATH: why" for files that are no report */
	size_t nskipped;
};

/* Reads every *.json report of backend spec in dir (a missing folder is an
 * empty ledger).  Returns 0 and fills lg (free with ledger_free), or -1
 * with err (CM_ERR_SYSTEM: the folder cannot be read). */
int ledger_load(const char *dir, const char *spec, struct ledger *lg,
    struct cm_err *err);

/* Reads each owned setting of every active entry through b and sets
 * current and drifted.  A read that fails leaves current unknown and
 * counts as drifted (nothing can vouch for it).  Returns 0, or -1 only
 * when out of memory. */
int ledger_observe(struct backend *b, struct ledger *lg, struct cm_err *err);

/* The file name part of a path ('/' or '\\' separated). */
const char *ledger_basename(const char *path);

/* Frees everything lg owns (not lg itself).  Safe on a zeroed ledger. */
void ledger_free(struct ledger *lg);

#endif
