// SPDX-License-Identifier: ISC
/* task.h - the one-shot scheduled task that runs `cmremedy expire` when a
 * change made with --for expires: Windows Task Scheduler 2.0 through its
 * COM API (ITaskService), the way schtasks.exe and the Task Scheduler
 * console register tasks.  Windows builds only (_WIN32).
 *
 * One task per report, in the root task folder, named
 * "cmremedy expire NAME" (NAME: the report's file name without ".json",
 * with characters a task name cannot hold turned into '_').  It runs
 * "THIS-PROGRAM expire ARGS" as SYSTEM (a service account: no password is
 * stored; its token is never filtered, so no run level is asked), once,
 * at the expiry time or as soon as the machine is up after it
 * (StartWhenAvailable); its trigger ends just under a day later and the
 * task deletes itself once expired (DeleteExpiredTaskAfter PT0S).
 * `revert` and `expire` delete it. */
#ifndef CM_TASK_H
#define CM_TASK_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"

#define TASK_NAME_PREFIX "cmremedy expire "
#define TASK_NAME_MAX 260

/* What the task looks like when read back through the same API. */
struct task_info {
	int exists;
	char name[TASK_NAME_MAX];     /* UTF-8 */
	char start[64];               /* the trigger's StartBoundary */
	char user[128];               /* the principal's UserId */
	char path[1024];              /* the action's program */
	char args[1024];              /* ... and its arguments */
};

/* The task name for a report path (see above) into name[TASK_NAME_MAX]. */
void task_name_for(const char *report_path, char *name);

#ifdef _WIN32
/* Registers (or replaces) the task for report_path to run this program
 * with args at time at.  0, or -1 with err naming the call that failed. */
int task_expire_register(const char *report_path, time_t at,
    const char *args, struct cm_err *err);

/* Reads the task back.  ti->exists 0 when there is none.  0 or -1. */
int task_expire_query(const char *report_path, struct task_info *ti,
    struct cm_err *err);

/* Deletes the task; none is success.  0 or -1. */
int task_expire_delete(const char *report_path, struct cm_err *err);
#endif

#endif
