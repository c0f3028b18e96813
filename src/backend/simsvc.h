// SPDX-License-Identifier: ISC
/* simsvc.h - the simulated Service Control Manager of a sim machine.
 *
 * The services live in an INI file (DIR/services.ini), one section per
 * service:
 *
 *   [SMS_EXECUTIVE]
 *   state = running     ; running | stopped | stop_pending | start_pending
 *   pid = 4242          ; kept while stopped (reported as 0 then)
 *   depends_on =        ; comma-separated names of services this one needs
 *   stop_ms = 0         ; how long a stop takes (the sim sleeps)
 *   start_ms = 0        ; how long a start takes
 *   fail = none         ; none | stop | start | start-always | hang-stop
 *
 * Only `state` is required; pid is required (> 0) unless stopped; the rest
 * default to the values shown (an empty value means the default too).
 * Unknown or repeated keys, unknown or circular dependencies, indented
 * lines (inih would join them to the previous value), lines over inih's
 * limit and more than SIMSVC_MAX_SERVICES sections are refused with
 * "PATH:LINE: why".  Service and key names match case-insensitively, as
 * Windows service names do.  A comment needs a space before its `;`.
 *
 * Every operation reads the file again, so an edit between two calls is
 * seen, and every state change is written back at once (whole file,
 * atomically) changing only the values of the keys that changed; comments,
 * layout and the other lines stay as they were.
 *
 * The semantics model the Windows SCM as cmremedy meets it:
 *   - a stop or start that takes time writes its pending state with a
 *     deadline line ("deadline = MS", ms since 1970, removed again when the
 *     service settles);
 *     once the deadline has passed, every reader sees the
 *     service stopped (or running; stopped for fail = start-always), as a
 *     real SCM finishes a transition even when the process that asked for
 *     it was killed meanwhile.  hang-stop has no deadline.
 *   - stop: already stopped is success.  A service with an active (not
 *     stopped) dependent refuses, as ERROR_DEPENDENT_SERVICES_RUNNING
 *     (1051): the caller stops the dependents first.  A start_pending
 *     service refuses the stop (ERROR_SERVICE_CANNOT_ACCEPT_CTRL, 1061).
 *     Otherwise the service goes stop_pending for stop_ms and then
 *     stopped; if stop_ms exceeds the timeout the call sleeps the timeout
 *     and fails with CM_ERR_TIMEOUT, leaving it stop_pending.
 *   - start: already running is success.  A service whose dependencies are
 *     not all running refuses, as ERROR_SERVICE_DEPENDENCY_FAIL (1068).  A
 *     start gives the process a new pid, larger than every pid in the file,
 *     goes start_pending for start_ms and then running (timeout as above,
 *     leaving it start_pending with its new pid).  A start_pending service
 *     is waited for again; a stop_pending one refuses (1061).
 *   - fault injection (`fail`):
 *       stop          every stop is refused (1061); nothing changes.
 *       hang-stop     the service goes stop_pending and never stops: the
 *                     call waits the whole timeout and fails with
 *                     CM_ERR_TIMEOUT; the file keeps stop_pending, same pid.
 *       start         the FIRST start of the service through this handle
 *                     that gets past the refusals above fails: the new
 *                     process (its pid is used up) exits with
 *                     ERROR_SERVICE_SPECIFIC_ERROR (1066) and the service
 *                     ends stopped.  Later starts through the same handle
 *                     succeed.  This models new settings that the service
 *                     cannot start with: cmremedy's rollback puts the old
 *                     settings back and its restart then works.  (cmremedy
 *                     opens one backend per run, so this means "the first
 *                     start in each run".)
 *       start-always  every start fails that way.
 */
#ifndef CM_SIMSVC_H
#define CM_SIMSVC_H

#include <stddef.h>

#include "backend.h"
#include "util/err.h"

/* Win32 error numbers the sim reports in cm_err.sys. */
#define SIMSVC_ERROR_DEPENDENT_SERVICES_RUNNING 1051L
#define SIMSVC_ERROR_SERVICE_DOES_NOT_EXIST     1060L
#define SIMSVC_ERROR_SERVICE_CANNOT_ACCEPT_CTRL 1061L
#define SIMSVC_ERROR_SERVICE_SPECIFIC_ERROR     1066L
#define SIMSVC_ERROR_SERVICE_DEPENDENCY_FAIL    1068L

/* Longest stop_ms / start_ms accepted (one hour). */
#define SIMSVC_MAX_MS 3600000u

/* Most services in one file: keeps the dependency walks (recursive, and
 * quadratic in the number of services) small; a real SCM has a few
 * hundred. */
#define SIMSVC_MAX_SERVICES 1000u

struct simsvc;

/* Opens the SCM kept in the file at path and checks that the file is valid
 * (errors CM_ERR_SYSTEM "PATH:LINE: why", or naming the path when it cannot
 * be read).  The handle owns a copy of path and the memory of which
 * services it has tried to start (for fail = start). */
int simsvc_open(const char *path, struct simsvc **out, struct cm_err *err);

/* Frees s. NULL is a no-op. */
void simsvc_close(struct simsvc *s);

/* The operations of struct backend_ops, with the semantics above.  A name
 * missing from the file is an error "service NAME does not exist on this
 * machine" (sys 1060).  *st is filled whenever the service exists, also on
 * failure. */
int simsvc_query(struct simsvc *s, const char *name, struct svc_status *st,
    struct cm_err *err);
/* The active services that depend on name, directly or through others, in
 * stop order: every service comes before the services it depends on. */
int simsvc_dependents(struct simsvc *s, const char *name, char ***names,
    size_t *n, struct cm_err *err);
int simsvc_stop(struct simsvc *s, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err);
int simsvc_start(struct simsvc *s, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err);

#endif
