// SPDX-License-Identifier: ISC
/* report.h - the before/after report of one run: data, JSON, text.
 *
 * apply.c fills a struct report as it works; this module only turns it
 * into JSON (through jansson) or text, and reads a JSON report back for
 * `revert`.  The JSON field names are a contract (README, cmremedy.1).
 *
 * Value data in JSON, by type: DWORD a number; QWORD a number, or above
 * 2^63-1 (beyond jansson's long long) a decimal string - report_load takes
 * both; SZ, EXPAND_SZ a string; MULTI_SZ an array of strings; anything
 * else lowercase hex.  A side ("before", "desired", "after") is null when
 * not known, {"exists": false} for an absent value, else {"exists": true,
 * "data": ...} ("desired" leaves out "exists": true, as the contract
 * does); it names its "type" only when that differs from the setting's
 * (REG_* or "hex(N)").  stop_ms/start_ms are null for a step not done. */
#ifndef CM_REPORT_H
#define CM_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "backend/backend.h"
#include "util/err.h"
#include "reg/regval.h"

#define REPORT_TOOL "cmremedy"

/* One side (before / desired / after) of a setting. */
struct report_value {
	int known;            /* 0: not observed (e.g. "after" of a failed
			         read); serialised as null */
	int exists;
	struct regval value;  /* valid when exists; owned */
};

struct report_setting {
	char *key;            /* canonical HKLM\... ; owned */
	char *value;          /* value name, "" = default; owned */
	uint32_t type;        /* profile type (desired type) */
	int view;             /* 64 or 32 */
	int key_existed;      /* before: the key existed */
	int keys_created;     /* how many trailing components of key the run
			         created (0: the key existed); revert removes
			         that many again, each only if empty */
	struct report_value before;
	struct report_value desired;
	struct report_value after;
	const char *action;   /* "none" "set" "create" "delete"; static */
	const char *state;    /* static, NULL = omitted; after a failure:
			         "restored", "changed" (rollback failed),
			         "unchanged" (never touched) */
};

struct report_service {
	char *name;           /* owned */
	const char *action;   /* "restart" / "none"; static */
	int before_known, after_known;
	struct svc_status before, after;
	long stop_ms, start_ms;   /* measured; -1 = not done */
	unsigned stop_timeout_ms, start_timeout_ms;
	char **dependents;    /* active dependents stopped and started
			         again; owned */
	size_t ndependents;
	const char *state;    /* static, NULL = omitted; after a rollback,
			         what it did: "restarted_again",
			         "started_again", "stop_never_completed",
			         "not_stopped", "rollback_failed" */
};

struct report_error {
	char *step;           /* "set", "verify", "restart", "rollback" */
	char *message;
};

/* Owns everything it points to, except the static strings noted. */
struct report {
	char *command;        /* "plan" "apply" "check" "toggle" "revert"
			         "recover" */
	int dry_run;
	char *profile_name;
	char *profile_path;
	char *backend;        /* backend spec */
	char *machine;        /* the machine's identity (backend.h); NULL:
			         unknown, left out of the JSON */
	char *recovered;      /* the report of an interrupted run that this
			         run recovered first; NULL: left out */
	time_t started, finished;
	unsigned long long started_ms; /* started, in ms since 1970 UTC: the
			         order of runs within one second; 0 unknown
			         (reports of older versions) */
	time_t expires;       /* apply/toggle --for: when `expire` reverts the
			         change; 0 = never (the field is left out) */
	const char *outcome;  /* "changed" "unchanged" "planned"
			         "rolled_back" "failed" "in_progress"; static */
	int compliant;        /* check: 1 when nothing differs; serialised
			         as "compliant" for command "check" only */
	const char *toggle_to; /* toggle: "on"/"off"; static; NULL omitted */
	char *reverts;        /* revert: path of the report reverted */
	struct report_setting *settings;
	size_t nsettings;
	struct report_service *services;
	size_t nservices;
	char *backup;         /* path of the .reg backup, NULL = null */
	struct report_error *errors;
	size_t nerrors, caperrors;
};

/* Frees everything r owns and r itself. NULL is a no-op. */
void report_free(struct report *r);

/* Appends an error (copies both strings). 0 or -1. */
int report_add_error(struct report *r, const char *step, const char *msg);

/* The report as a JSON text (indented, keys in contract order, ends with a
 * newline).  Caller frees.  NULL with err on failure. */
char *report_to_json(const struct report *r, struct cm_err *err);

/* One side of a setting whose type is setting_type, exactly as a report
 * writes "before"/"after": null, {"exists": false} or {"exists": true,
 * "data": ...} ("type" only when not setting_type).  A new reference, or
 * NULL with err. */
json_t *report_side_to_json(const struct report_value *rv,
    uint32_t setting_type, struct cm_err *err);

/* Writes the JSON atomically (temp file + rename) to path. */
int report_write(const struct report *r, const char *path,
    struct cm_err *err);

/* Big enough for "hex(ffffffff)" and every REG_* name. */
#define REPORT_TYPE_NAME_MAX 32

/* The name of any registry type as reports spell it: regtype_name() for
 * the known ones, else "hex(N)" (N lowercase hex, as regedit writes unknown
 * types), so that a value of a type Windows has no name for round-trips. */
const char *report_type_name(uint32_t type, char buf[REPORT_TYPE_NAME_MAX]);

/* The inverse of report_type_name.  0 or -1. */
int report_type_parse(const char *name, uint32_t *type);

/*
 * Reads a report written by report_write (for revert).  Every field revert
 * needs is validated: a bad file gives CM_ERR_INPUT with "PATH:LINE:COL:
 * ..." for JSON syntax errors and "PATH: settings[2].before.data: ..." for
 * wrong content.  Returns 0 and *out, or -1.
 */
int report_load(const char *path, struct report **out, struct cm_err *err);

/* The same over len bytes in memory (buf need not end in NUL); path names
 * them in messages. */
int report_parse(const char *path, const unsigned char *buf, size_t len,
    struct report **out, struct cm_err *err);

/* Parses an ISO 8601 UTC time "YYYY-MM-DDTHH:MM:SSZ"; formats one. */
int report_parse_time(const char *s, time_t *t);
void report_format_time(time_t t, char buf[32]);

#endif
