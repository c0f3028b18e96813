// SPDX-License-Identifier: ISC
/* profile.h - a remediation profile, loaded from INI through inih.
 *
 * Grammar (documented for admins in the shipped profiles and cmremedy.1):
 *
 *   [profile]
 *   name = cmg-connector-verbose-on        ; required, [A-Za-z0-9._-]+
 *   description = ...                      ; optional
 *
 *   [setting ID]                           ; one or more; ID [A-Za-z0-9._-]+
 *   key   = HKLM\SOFTWARE\...              ; or HKEY_LOCAL_MACHINE\...
 *   value = VerboseLogging                 ; value name; "@" = default value
 *   type  = REG_DWORD                      ; see regtype_parse()
 *   data  = 1                              ; desired data, see regval_parse()
 *   off   = 0                              ; optional: the "off" data (toggle)
 *   view  = 64                             ; optional: 64 (default) or 32
 *
 *   [service NAME]                         ; zero or more, restarted in order
 *   stop_timeout  = 120                    ; seconds, or with suffix s / ms
 *   start_timeout = 300
 *
 * Registry paths live in values, never in section names: inih cuts section
 * names at 49 characters.  Every error refuses the whole profile.
 */
#ifndef CM_PROFILE_H
#define CM_PROFILE_H

#include <stddef.h>

#include "util/err.h"
#include "reg/regval.h"

/* Default timeouts when a [service] section leaves them out. */
#define PROFILE_STOP_TIMEOUT_MS  (120u * 1000u)
#define PROFILE_START_TIMEOUT_MS (300u * 1000u)

struct profile_setting {
	char *id;             /* the ID of [setting ID] */
	char *key;            /* canonical: "HKLM\\SOFTWARE\\..." with no
			         trailing backslash, separators single */
	char *value;          /* value name; "" is the default value (@) */
	int view;             /* REGVIEW_64 or REGVIEW_32 */
	int present;          /* 1: the value must exist with data `desired`;
			         0: the value must not exist (revert of a value
			         that did not exist; not expressible in INI) */
	struct regval desired;
	int has_off;          /* toggle: `off` given */
	struct regval off;
	int remove_key;       /* with present == 0: how many trailing key
			         components to remove afterwards, each only
			         if left empty (revert of created keys) */
	int line;             /* line of the [setting] header, for messages */
};

struct profile_service {
	char *name;
	unsigned stop_timeout_ms;
	unsigned start_timeout_ms;
	int line;
	int recover;          /* recover: bring it back as the journal had it
			         (plan.h); not expressible in INI */
	int recover_running;  /* ...it was running before the run */
	unsigned long recover_pid; /* ...as this process (0: any process:
			         a dependent, which only has to run) */
};

/* Owns everything it points to. */
struct profile {
	char *path;           /* as given on the command line */
	char *name;
	char *description;    /* may be NULL */
	struct profile_setting *settings;
	size_t nsettings, capsettings;
	struct profile_service *services;
	size_t nservices, capservices;
};

/* Loads and validates a profile.  On success *out is a new profile (free
 * with profile_free).  On failure returns -1 with err->kind CM_ERR_INPUT
 * (or CM_ERR_NOMEM) and err->msg "PATH:LINE: message". */
int profile_load(const char *path, struct profile **out, struct cm_err *err);

/* The same from memory; `path` is used only in messages and p->path. */
int profile_parse(const char *path, const char *text, size_t len,
    struct profile **out, struct cm_err *err);

/* Canonicalises a registry key path: accepts HKLM\ or HKEY_LOCAL_MACHINE\
 * (any case); refuses empty components (doubled or trailing separators),
 * "." and "..", which Windows would take as literal key names.  Returns
 * a malloc'd "HKLM\\..." (the caller frees it), or NULL with err filled:
 * CM_ERR_INPUT with a short reason that the caller puts after its own file
 * and line, or CM_ERR_NOMEM.  err may be NULL. */
char *profile_canon_key(const char *path, struct cm_err *err);

/* Frees p and everything it owns. NULL is a no-op. */
void profile_free(struct profile *p);

/* An empty profile to fill by hand (revert builds one from a report).
 * NULL on allocation failure. */
struct profile *profile_new(const char *path, const char *name);

/* Appends a zeroed setting / service and returns it (owned by p), or NULL
 * on allocation failure.  The caller fills the fields with malloc'd data. */
struct profile_setting *profile_add_setting(struct profile *p);
struct profile_service *profile_add_service(struct profile *p);

#endif
