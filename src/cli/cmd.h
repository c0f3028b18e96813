// SPDX-License-Identifier: ISC
/* cmd.h - the commands behind the command line (the tool layer, as curl's
 * tool_*.c over lib/): load the profile or report, open the backend, run,
 * print, and map the outcome to an exit code. */
#ifndef CM_CMD_H
#define CM_CMD_H

#include <stdio.h>

#include "cli.h"

/* Runs the parsed command.  Results go to out (text or JSON), problems to
 * errout as "cmremedy: message" lines.  Returns the exit code. */
int cmd_run(const struct cli *c, FILE *out, FILE *errout);

/* cmd_run that also hands back the path of the report it wrote in
 * *report_out (malloc'd; NULL when it wrote none). */
int cmd_run_report(const struct cli *c, FILE *out, FILE *errout,
    char **report_out);

/* `diagnose PATH... [--since TIME] [--json]`: exit 0 no findings, 1
 * findings, 2 usage, 3 no path could be read. */
int cmd_diagnose(const struct cli *c, FILE *out, FILE *errout);

/* `certcheck`: exit 0 a certificate passes the CMG connector's filter, 1
 * none does, 2 usage or undecodable certificate data, 3 unreadable file
 * or store (cmd_certcheck.c). */
int cmd_certcheck(const struct cli *c, FILE *out, FILE *errout);

/* The default folder for reports: $CMREMEDY_REPORT_DIR; on Windows
 * %ProgramData%\cmremedy\reports; else /var/lib/cmremedy/reports for root,
 * otherwise $XDG_STATE_HOME/cmremedy/reports (~/.local/state/...).
 * *system_wide is set to 1 for the two system-wide folders, whose last two
 * components are created private to administrators.  Returns a malloc'd
 * path or NULL on allocation failure. */
char *cmd_default_report_dir(int *system_wide);

#endif
