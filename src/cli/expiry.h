// SPDX-License-Identifier: ISC
/* expiry.h - changes that expire: `status`, `expire`, and what `--for`
 * arranges so that `expire` runs in time.
 *
 * The record of what stands is the reports folder (core/ledger.h); an
 * apply or toggle with --for writes "expires" into its report, and
 * `expire` reverts each active change whose time has come by running
 * `revert` on its report: the same code, checks and report as a revert
 * the admin types.  What --for arranges is in schedule.h. */
#ifndef CM_EXPIRY_H
#define CM_EXPIRY_H

#include <stdio.h>

#include "cli.h"

/* `status [--backend SPEC] [--json]`: the active changes with their
 * settings as applied and as they are now (drifted), and an interrupted
 * run if any.  Exit 0; 2/3 when the backend or folder cannot be read. */
int expiry_status(const struct cli *c, FILE *out, FILE *errout);

/* `expire [--backend SPEC] [--now TIME] [--dry-run] [--json]`: reverts
 * every active change whose expiry is at or before now.  Nothing due:
 * exit 0 and nothing touched (not even the log).  Otherwise the highest
 * exit code of the reverts (as `revert`: 0, 2, 3, 4, 5). */
int expiry_expire(const struct cli *c, FILE *out, FILE *errout);

#endif
