// SPDX-License-Identifier: ISC
/* schedule.h - what `--for` arranges so that `cmremedy expire` runs when
 * the change expires (see expiry.h for status and expire). */
#ifndef CM_SCHEDULE_H
#define CM_SCHEDULE_H

#include <stdio.h>

#include "cli.h"
#include "core/report.h"

/* After an apply/toggle with --for: says when the change expires and
 * prints the one-line systemd-run and crontab commands that run `cmremedy
 * expire` then, with CMREMEDY_REPORT_DIR set to report_dir when the
 * environment chose the folder.  Text mode only (--json is quiet: the
 * report has "expires"); a dry run or a run that changed nothing arranges
 * nothing. */
void schedule_expire(const struct cli *c, const struct report *rep,
    const char *report_dir, FILE *out, FILE *errout);

#endif
