// SPDX-License-Identifier: ISC
/* backend.h - the only door to a real machine.
 *
 * A backend is a versioned table of functions (as SQLite's io_methods):
 * win32 (advapi32 + SCM), sim (a directory with registry.reg and
 * services.ini), and test doubles.  Everything above this interface is
 * the same code for all of them.
 *
 * Conventions for every operation:
 *   - returns 0 on success, -1 on failure with err filled (kind
 *     CM_ERR_SYSTEM unless stated; CM_ERR_TIMEOUT for waits);
 *   - key is canonical "HKLM\\..." (see profile_canon_key), view is
 *     REGVIEW_64 or REGVIEW_32, name "" is the default value;
 *   - a missing key or value is an observation, not an error.
 */
#ifndef CM_BACKEND_H
#define CM_BACKEND_H

#include <stddef.h>

#include "util/err.h"
#include "reg/regval.h"

#define BACKEND_OPS_VERSION 2

/* Windows SERVICE_* state numbers. */
enum svc_state {
	SVC_UNKNOWN = 0,
	SVC_STOPPED = 1,
	SVC_START_PENDING = 2,
	SVC_STOP_PENDING = 3,
	SVC_RUNNING = 4,
	SVC_CONTINUE_PENDING = 5,
	SVC_PAUSE_PENDING = 6,
	SVC_PAUSED = 7
};

struct svc_status {
	enum svc_state state;
	unsigned long pid;    /* 0 when not running */
};

/* "running", "stopped", "start_pending", ... ; "unknown" otherwise. */
const char *svc_state_name(enum svc_state s);

struct backend;

struct backend_ops {
	int version;          /* BACKEND_OPS_VERSION */
	const char *name;     /* "sim", "win32", "mock" */

	/* *exists = 1 if the key exists in that view. */
	int (*key_exists)(struct backend *b, const char *key, int view,
	    int *exists, struct cm_err *err);
	/* *exists = 0 (out untouched) if key or value is missing; else 1 and
	 * *out filled (caller frees with regval_free). */
	int (*read_value)(struct backend *b, const char *key, const char *name,
	    int view, int *exists, struct regval *out, struct cm_err *err);
	/* Sets the value, creating missing keys on the way. */
	int (*write_value)(struct backend *b, const char *key, const char *name,
	    int view, const struct regval *v, struct cm_err *err);
	/* Deletes the value; already absent is success. */
	int (*delete_value)(struct backend *b, const char *key,
	    const char *name, int view, struct cm_err *err);
	/* Deletes the key if it has no values and no subkeys; absent is
	 * success; not empty is an error and changes nothing. */
	int (*delete_key)(struct backend *b, const char *key, int view,
	    struct cm_err *err);

	/* Current state and pid.  A service that does not exist is an error
	 * whose message says so. */
	int (*svc_query)(struct backend *b, const char *name,
	    struct svc_status *st, struct cm_err *err);
	/* The services that depend on `name` and are active (not stopped), in
	 * the order they must be stopped.  *names is a malloc'd array of
	 * malloc'd strings; free with backend_free_names. */
	int (*svc_dependents)(struct backend *b, const char *name,
	    char ***names, size_t *n, struct cm_err *err);
	/* Asks the service to stop and waits until it is STOPPED, at most
	 * timeout_ms.  Already stopped is success.  *st is the last status
	 * seen, also on failure. */
	int (*svc_stop)(struct backend *b, const char *name,
	    unsigned timeout_ms, struct svc_status *st, struct cm_err *err);
	/* Starts the service and waits until RUNNING was observed, at most
	 * timeout_ms.  Already running is success.  A service that falls back
	 * to STOPPED is a failure naming its exit code.  *st as above. */
	int (*svc_start)(struct backend *b, const char *name,
	    unsigned timeout_ms, struct svc_status *st, struct cm_err *err);

	/* Releases the backend and b itself. */
	void (*close)(struct backend *b);

	/* (version 2) Whether this process may change the machine at all,
	 * asked before the first change: 0, or -1 with err (CM_ERR_SYSTEM)
	 * saying what to do.  win32: the process token must be elevated. */
	int (*may_change)(struct backend *b, struct cm_err *err);
};

struct backend {
	const struct backend_ops *ops;
	char *spec;           /* as selected: "sim:/path", "win32"; owned */
	void *impl;           /* the backend's own state */
	/* The machine-scoped folder for the machine lock, the journal and
	 * policy.ini: sim the canonical DIR; win32 %ProgramData%\cmremedy
	 * (or %CMREMEDY_STATE_DIR%: the Wine rig).  NULL for test doubles:
	 * no lock, no journal, the built-in allowlist.  Owned; freed by
	 * backend_close. */
	char *home;
	/* 1: home is the machine's own folder, created for administrators
	 * only (win32: SYSTEM and Administrators, a protected DACL), since
	 * what it holds (policy.ini, the journal) decides what a run
	 * changes.  0: home is a folder the user chose (sim:DIR), used as it
	 * is. */
	int home_private;
	/* Who the machine is, recorded in reports so that revert refuses
	 * another machine's: sim the canonical DIR; win32 "COMPUTERNAME
	 * {MachineGuid}".  NULL: unknown (test doubles).  Owned. */
	char *machine;
};

/*
 * Opens the backend named by spec ("sim:DIR", "win32").  spec NULL means
 * the platform default (win32 on Windows, else $CMREMEDY_BACKEND, else a
 * CM_ERR_USAGE error saying to pass --backend).  Returns 0 and *out, or -1.
 */
int backend_open(const char *spec, struct backend **out, struct cm_err *err);

/* Closes and frees b. NULL is a no-op. */
void backend_close(struct backend *b);

/* b->ops->may_change: apply, toggle and revert call it before anything,
 * report folders included, is touched. */
int backend_may_change(struct backend *b, struct cm_err *err);

/* The elevation decision of the win32 backend, apart from the token query
 * so that tests can stand in for the token (Wine runs every process
 * elevated).  query returns 0 and sets *elevated, or returns the system
 * error number of a failed query.  0 if elevated; else -1 with err
 * (CM_ERR_SYSTEM, exit 3): "run cmremedy from an elevated prompt". */
int backend_elevation_check(unsigned long (*query)(void *ctx, int *elevated),
    void *ctx, struct cm_err *err);

/* Frees an array from svc_dependents. */
void backend_free_names(char **names, size_t n);

/* Per-backend constructors, called by backend_open. */
int backend_sim_open(const char *dir, struct backend **out,
    struct cm_err *err);
int backend_win32_open(struct backend **out, struct cm_err *err);

#endif
