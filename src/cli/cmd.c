// SPDX-License-Identifier: ISC
/* cmd.c - plan, apply, check, toggle, revert: from parsed options to an
 * exit code. */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/apply.h"
#include "backend/backend.h"
#include "diag/diagnose.h"
#include "core/profile.h"
#include "core/report.h"
#include "report_text.h"
#include "runlog.h"
#include "schedule.h"
#include "util/compat.h"
#include "util/sysutil.h"
#include "util/text.h"

/* b's string, or NULL (b freed) when an allocation failed. */
static char *
take(struct strbuf *b)
{
	if (b->failed || b->s == NULL) {
		strbuf_free(b);
		return NULL;
	}
	return b->s;
}

char *
cmd_default_report_dir(int *system_wide)
{
	char *env = cm_getenv("CMREMEDY_REPORT_DIR"), *base;
	struct strbuf b = { NULL, 0, 0, 0 };

	*system_wide = 0;
	if (env != NULL && *env != '\0')
		return env;
	/* Out of memory is not "not set": never fall back silently. */
	if (env == NULL && errno == ENOMEM)
		return NULL;
	free(env);
#ifdef _WIN32
	*system_wide = 1;
	base = cm_getenv("ProgramData");
	if (base == NULL && errno == ENOMEM)
		return NULL;
	if (base == NULL || *base == '\0') {
		free(base);
		base = strdup("C:\\ProgramData");
	}
	if (base == NULL)
		return NULL;
	strbuf_printf(&b, "%s\\cmremedy\\reports", base);
	free(base);
	return take(&b);
#else
	if (geteuid() == 0) {
		*system_wide = 1;
		return strdup("/var/lib/cmremedy/reports");
	}
	if ((base = getenv("XDG_STATE_HOME")) != NULL && *base == '/') {
		strbuf_printf(&b, "%s/cmremedy/reports", base);
		return take(&b);
	}
	base = getenv("HOME");
	if (base == NULL || *base == '\0')
		base = ".";
	strbuf_printf(&b, "%s/.local/state/cmremedy/reports", base);
	return take(&b);
#endif
}

/* Makes the reports folder.  Reports record registry data and are read
 * back by revert: the system's own folder and its reports are for
 * administrators only. */
static int
reports_dir_make(const char *dir, int system_wide, struct cm_err *err)
{
	return system_wide ? sys_mkdir_private(dir, 2, err) :
	    sys_mkdir_p(dir, err);
}

/* Picks the report path (--report, else a new name in the default folder,
 * created on demand) and the backup beside it: NAME.json -> NAME.backup.reg. */
static int
report_paths(const struct cli *c, const char *profile_name, char **report,
    char **backup, struct cm_err *err)
{
	struct strbuf nb = { NULL, 0, 0, 0 }, bb = { NULL, 0, 0, 0 };
	char *dir = NULL, *name, stamp[32];
	const char *ext;
	size_t base;
	int system_wide;
	time_t now = time(NULL);
	struct tm tm;

	*report = *backup = NULL;
	if (c->report != NULL) {
		if ((*report = strdup(c->report)) == NULL)
			return cm_err_nomem(err);
	} else {
		if ((dir = cmd_default_report_dir(&system_wide)) == NULL)
			return cm_err_nomem(err);
		if (reports_dir_make(dir, system_wide, err) != 0) {
			free(dir);
			return -1;
		}
		gmtime_r(&now, &tm);
		if (strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
			stamp[0] = '\0';
		strbuf_printf(&nb, "%s-%s-%s-%ld.json", stamp,
		    cli_cmd_name(c->cmd), profile_name, (long)getpid());
		if ((name = take(&nb)) == NULL) {
			free(dir);
			return cm_err_nomem(err);
		}
		/* The folder's own separator: C:\ProgramData\...\NAME. */
		*report = text_path_join(dir, name);
		free(name);
		free(dir);
		if (*report == NULL)
			return cm_err_nomem(err);
	}
	base = strlen(*report);
	ext = strrchr(*report, '.');
	if (ext != NULL && strcmp(ext, ".json") == 0)
		base = (size_t)(ext - *report);
	strbuf_put(&bb, *report, base);
	strbuf_puts(&bb, ".backup.reg");
	if ((*backup = take(&bb)) == NULL)
		return cm_err_nomem(err);
	return 0;
}

/* A profile that puts back what a report recorded as "before". */
static int
revert_profile(const struct report *rep, const char *path,
    struct profile **out, struct cm_err *err)
{
	struct profile *p;
	struct cm_err e;
	size_t i;

	if ((p = profile_new(rep->profile_path, rep->profile_name)) == NULL)
		return cm_err_nomem(err);
	for (i = 0; i < rep->nsettings; i++) {
		const struct report_setting *rs = &rep->settings[i];
		struct profile_setting *s;

		if (!rs->before.known) {
			profile_free(p);
			return cm_err_set(err, CM_ERR_INPUT, 0,
			    "%s: settings[%zu].before is null: the report "
			    "recorded nothing to revert to", path, i);
		}
		if ((s = profile_add_setting(p)) == NULL) {
			profile_free(p);
			return cm_err_nomem(err);
		}
		/* A report is input like a profile: its keys get the same
		 * canonical form before they reach a backend. */
		if ((s->key = profile_canon_key(rs->key, &e)) == NULL) {
			profile_free(p);
			if (e.kind == CM_ERR_NOMEM)
				return cm_err_nomem(err);
			return cm_err_set(err, CM_ERR_INPUT, 0,
			    "%s: settings[%zu].key: %s", path, i, e.msg);
		}
		if ((s->value = strdup(rs->value)) == NULL ||
		    (s->id = strdup(rs->value)) == NULL ||
		    (rs->before.exists &&
		    regval_copy(&s->desired, &rs->before.value) != 0)) {
			profile_free(p);
			return cm_err_nomem(err);
		}
		s->view = rs->view;
		s->present = rs->before.exists;
		if (!s->present)
			s->desired.type = rs->type;
		s->remove_key = rs->keys_created;
	}
	for (i = 0; i < rep->nservices; i++) {
		const struct report_service *rs = &rep->services[i];
		struct profile_service *s;

		if ((s = profile_add_service(p)) == NULL ||
		    (s->name = strdup(rs->name)) == NULL) {
			profile_free(p);
			return cm_err_nomem(err);
		}
		s->stop_timeout_ms = rs->stop_timeout_ms;
		s->start_timeout_ms = rs->start_timeout_ms;
	}
	*out = p;
	return 0;
}

static void
print_error(FILE *errout, const struct cm_err *err)
{
	fprintf(errout, "cmremedy: %s\n", err->msg);
}

/* Prints the report as JSON or text. */
static int
print_report(const struct cli *c, const struct report *rep, FILE *out,
    FILE *errout)
{
	struct cm_err err;
	char *json;

	if (!c->json) {
		report_print_text(rep, out);
		return 0;
	}
	if ((json = report_to_json(rep, &err)) == NULL) {
		print_error(errout, &err);
		return -1;
	}
	fputs(json, out);
	free(json);
	return 0;
}

static size_t
count_changes(const struct report *rep)
{
	size_t i, n = 0;

	for (i = 0; i < rep->nsettings; i++)
		n += strcmp(rep->settings[i].action, "none") != 0;
	return n;
}

static int
exit_for_result(enum apply_result res, const struct cm_err *err)
{
	switch (res) {
	case APPLY_UNCHANGED:
	case APPLY_CHANGED:
	case APPLY_PLANNED:     return EXIT_OK;
	case APPLY_ROLLED_BACK: return EXIT_ROLLED_BACK;
	case APPLY_FAILED:      return EXIT_ROLLBACK_FAILED;
	default:                return cli_exit_for(err->kind);
	}
}

/* Loads what the command acts on: the profile, or for revert the report
 * turned into a profile. */
static int
load_target(const struct cli *c, struct profile **p, struct cm_err *err)
{
	struct report *rep;
	int rc;

	if (c->cmd != CMD_REVERT)
		return profile_load(c->target, p, err);
	if (report_load(c->target, &rep, err) != 0)
		return -1;
	rc = revert_profile(rep, c->target, p, err);
	report_free(rep);
	return rc;
}

int
cmd_run(const struct cli *c, FILE *out, FILE *errout)
{
	return cmd_run_report(c, out, errout, NULL);
}

int
cmd_run_report(const struct cli *c, FILE *out, FILE *errout,
    char **report_out)
{
	struct apply_opts o;
	struct profile *p = NULL;
	struct backend *b = NULL;
	struct report *rep = NULL;
	struct cm_err err;
	char *report_path = NULL, *backup_path = NULL, *log = NULL, *dir;
	enum apply_result res = APPLY_ERROR;
	int rc, writes, system_wide = 0, refused = 0;

	cm_err_clear(&err);
	if (report_out != NULL)
		*report_out = NULL;
	dir = cmd_default_report_dir(&system_wide);
	memset(&o, 0, sizeof(o));
	o.command = cli_cmd_name(c->cmd);
	o.mode = c->cmd == CMD_TOGGLE ? PLAN_TOGGLE : PLAN_APPLY;
	o.dry_run = c->dry_run || c->cmd == CMD_PLAN || c->cmd == CMD_CHECK;
	o.reverts = c->cmd == CMD_REVERT ? c->target : NULL;
	o.expires = c->for_seconds > 0 ? time(NULL) + c->for_seconds : 0;
	writes = c->cmd == CMD_APPLY || c->cmd == CMD_TOGGLE ||
	    c->cmd == CMD_REVERT;

	/* May this process change the machine?  Asked before the report
	 * folder is made: a refusal leaves everything as it was. */
	if (load_target(c, &p, &err) != 0 ||
	    backend_open(c->backend, &b, &err) != 0 ||
	    (writes && !o.dry_run &&
	    (refused = backend_may_change(b, &err) != 0)) ||
	    (writes && report_paths(c, p->name, &report_path, &backup_path,
	    &err) != 0)) {
		print_error(errout, &err);
		rc = cli_exit_for(err.kind);
		/* A refused run touches nothing, its log included; other
		 * errors go to a log that is already there. */
		if (!refused && (log = runlog_open(dir, c, errout)) != NULL) {
			runlog_printf(log, errout, 3, "error: %s", err.msg);
			runlog_printf(log, errout, 3,
			    "outcome: error (exit %d)", rc);
		}
		goto out;
	}
	/* The log lives in the default folder, which report_paths has made
	 * unless --report writes elsewhere; a command that changes nothing
	 * only logs into a folder that exists. */
	if (writes && c->report != NULL && dir != NULL &&
	    reports_dir_make(dir, system_wide, &err) != 0)
		fprintf(errout, "cmremedy: warning: no log: %s\n", err.msg);
	log = runlog_open(dir, c, errout);
	o.report_path = report_path;
	o.backup_path = o.dry_run ? NULL : backup_path;
	res = apply_run(b, p, &o, &rep, &err);
	/* check keeps the common outcome words: nothing to change is
	 * "unchanged", a difference is "planned"; the verdict is its own
	 * field. */
	if (rep != NULL && c->cmd == CMD_CHECK && res == APPLY_PLANNED) {
		rep->compliant = count_changes(rep) == 0;
		rep->outcome = rep->compliant ? "unchanged" : "planned";
	}
	if (rep != NULL && print_report(c, rep, out, errout) != 0 &&
	    res != APPLY_ERROR) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	if (res == APPLY_ERROR || res == APPLY_ROLLED_BACK ||
	    res == APPLY_FAILED)
		print_error(errout, &err);
	if (res == APPLY_FAILED)
		fprintf(errout, "cmremedy: ROLLBACK INCOMPLETE: the report "
		    "lists the state of every setting and service%s%s\n",
		    report_path ? ": " : "", report_path ? report_path : "");
	rc = exit_for_result(res, &err);
	if (c->cmd == CMD_CHECK && rc == EXIT_OK && count_changes(rep) > 0)
		rc = EXIT_NONCOMPLIANT;
	if (!c->json && report_path != NULL && res != APPLY_ERROR)
		fprintf(out, "report: %s\n", report_path);
	if (c->for_seconds > 0 && rep != NULL)
		schedule_expire(c, rep, report_path, dir, out, errout);
	if (c->cmd == CMD_REVERT && !c->dry_run &&
	    (res == APPLY_CHANGED || res == APPLY_UNCHANGED))
		schedule_cancel(c->target, errout);
	/* Runbooks (Intune keeps only the last line) read the verdict last. */
	if (!c->json && c->cmd == CMD_CHECK && res == APPLY_PLANNED)
		fprintf(out, rc == EXIT_OK ? "compliant\n" :
		    "not compliant: %zu setting(s) differ\n",
		    count_changes(rep));
	runlog_report(log, errout, rep, res != APPLY_ERROR ? report_path : NULL,
	    rc);
	if (report_out != NULL && res != APPLY_ERROR) {
		*report_out = report_path;
		report_path = NULL;
	}
out:
	free(dir);
	free(log);
	report_free(rep);
	backend_close(b);
	profile_free(p);
	free(report_path);
	free(backup_path);
	return rc;
}

int
cmd_diagnose(const struct cli *c, FILE *out, FILE *errout)
{
	struct diag_opts o;
	struct cm_err err;
	int rc;

	memset(&o, 0, sizeof(o));
	o.paths = (const char *const *)c->paths;
	o.npaths = c->npaths;
	o.json = c->json;
	if (c->since != NULL) {
		if (diag_parse_time(c->since, &o.since) != 0) {
			fprintf(errout, "cmremedy: --since '%s': want "
			    "YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or "
			    "YYYY-MM-DDTHH:MM:SSZ (UTC)\n", c->since);
			cli_usage(errout);
			return EXIT_USAGE;
		}
		o.has_since = 1;
	}
	rc = diag_run(&o, out, &err);
	if (rc < 0) {
		print_error(errout, &err);
		return cli_exit_for(err.kind);
	}
	return rc;
}
