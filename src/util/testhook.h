// SPDX-License-Identifier: ISC
/* testhook.h - a way for tests to kill cmremedy at an exact step.
 *
 * With CMREMEDY_TEST_KILL_AT=N in the environment, the Nth call of
 * testhook_step() in this process kills the process on the spot (SIGKILL;
 * Windows: TerminateProcess), as kill -9 or a power cut would: no cleanup
 * runs.  apply calls it after each change it makes (journal, each value,
 * each service stop and start, final report), and every file replace
 * calls it twice (sysutil.h: the temp file written but not yet renamed,
 * and renamed), so a test can interrupt an apply, its rollback, a revert
 * or a recover at every step down to the system call that commits it.
 * Unset or not a number: testhook_step does nothing.
 * The only place below main that ends the process, and only on request. */
#ifndef CM_TESTHOOK_H
#define CM_TESTHOOK_H

void testhook_step(void);

#endif
