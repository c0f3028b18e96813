// SPDX-License-Identifier: ISC
/* cmd.c - plan, apply, check, toggle, revert: from parsed options to an
 * exit code. */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/apply.h"
#include "core/journal.h"
#include "core/lock.h"
#include "core/policy.h"
#include "core/profile.h"
#include "core/recover.h"
#include "core/report.h"
#include "core/revert.h"
#include "diag/diagnose.h"
#include "report_text.h"
#include "runlog.h"
#include "schedule.h"
#include "util/compat.h"
#include "util/fsperm.h"
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
 * administrators only, a user's folder is his only. */
static int
reports_dir_make(const char *dir, int system_wide, struct cm_err *err)
{
	return sys_mkdir_private(dir, system_wide ? 2 : 1, err);
}

/* Picks the report path (--report, else a new name in the default folder,
 * created private on demand) and the backup beside it: NAME.json ->
 * NAME.backup.reg.  The folder and an existing report are refused when
 * others may write them (util/fsperm.h); temporary files a killed run
 * left there are removed. */
static int
report_paths(const struct cli *c, const char *cmd, const char *profile_name,
    char **report, char **backup, struct cm_err *err)
{
	struct strbuf nb = { NULL, 0, 0, 0 }, bb = { NULL, 0, 0, 0 };
	char *dir = NULL, *name, stamp[32];
	const char *ext;
	size_t base;
	int system_wide;
	time_t now = time(NULL);
	struct tm tm;

	*report = *backup = NULL;
	if (c->report != NULL && strcmp(cmd, cli_cmd_name(c->cmd)) == 0) {
		if (fsperm_check_parent(c->report, "reports folder", 0,
		    err) != 0 || fsperm_check(c->report, "report", 0,
		    err) != 0)
			return -1;
		if ((*report = strdup(c->report)) == NULL)
			return cm_err_nomem(err);
	} else {
		if ((dir = cmd_default_report_dir(&system_wide)) == NULL)
			return cm_err_nomem(err);
		/* Reports record registry data and are read back by revert:
		 * the system's own folder and its reports are for
		 * administrators only, a user's folder is his only. */
		if (reports_dir_make(dir, system_wide, err) != 0 ||
		    fsperm_check(dir, "reports folder", 0, err) != 0) {
			free(dir);
			return -1;
		}
		(void)sys_remove_stale_temps(dir);
		gmtime_r(&now, &tm);
		if (strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
			stamp[0] = '\0';
		strbuf_printf(&nb, "%s-%s-%s-%ld.json", stamp, cmd,
		    profile_name, (long)getpid());
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
 * (kept in *rep for its checks) turned into a profile.  Either is refused
 * when others may write it (util/fsperm.h). */
static int
load_target(const struct cli *c, struct profile **p, struct report **rep,
    struct cm_err *err)
{
	const char *what = c->cmd == CMD_REVERT ? "report" : "profile";

	if (fsperm_check(c->target, what, 0, err) != 0 ||
	    fsperm_check_parent(c->target, c->cmd == CMD_REVERT ?
	    "report's folder" : "profile's folder", FSPERM_STICKY_OK,
	    err) != 0)
		return -1;
	if (c->cmd != CMD_REVERT)
		return profile_load(c->target, p, err);
	if (report_load(c->target, rep, err) != 0)
		return -1;
	return revert_profile(*rep, c->target, p, err);
}

/* "an apply", "a revert". */
static const char *
article(const char *word)
{
	return strchr("aeiou", word[0]) != NULL && word[0] != '\0' ? "an" :
	    "a";
}

/* Whether a journal's run ended on its own with exit 5 (its rollback
 * failed: its report says "failed"), rather than being killed (its report
 * still says "in_progress", or was never written).  Best effort: an
 * unreadable report counts as killed, which says the same "recover". */
static int
run_failed(const char *report_path)
{
	struct report *r;
	struct cm_err e;
	int failed;

	if (report_path == NULL || report_load(report_path, &r, &e) != 0)
		return 0;
	failed = strcmp(r->outcome, "failed") == 0;
	report_free(r);
	return failed;
}

/* check and plan take no lock: they say when a run holds it, and when a
 * run was interrupted (its journal is there and nobody holds the lock).
 * Returns 1 when interrupted. */
static int
say_machine_state(const struct cli *c, struct backend *b, FILE *out,
    FILE *errout)
{
	char who[LOCK_WHO_MAX], started[32], *rpath = NULL;
	struct report *j = NULL;
	struct cm_err e;
	FILE *to = c->json ? errout : out;
	int held, rc;

	if (b->home == NULL)
		return 0;
	if ((held = lock_probe(b->home, who, sizeof(who), &e)) < 0) {
		print_error(errout, &e);
		return 0;
	}
	if (held == 1) {
		fprintf(to, "note: a run is in progress: pid %s\n", who +
		    (strncmp(who, "pid ", 4) == 0 ? 4 : 0));
		return 0;
	}
	if ((rc = journal_read(b->home, &j, &rpath, &e)) == 0)
		return 0;
	if (rc < 0) {
		fprintf(to, "interrupted: a run was interrupted, and its "
		    "journal cannot be read (%s): run cmremedy recover\n",
		    e.msg);
		return 1;
	}
	report_format_time(j->started, started);
	if (run_failed(rpath))
		fprintf(to, "interrupted: %s %s run could not roll back and "
		    "ended incomplete (exit 5; report %s, started %s): the "
		    "machine is half-changed: run cmremedy recover\n",
		    article(j->command), j->command, rpath, started);
	else
		fprintf(to, "interrupted: %s %s run was interrupted (report "
		    "%s, started %s): the machine may be half-changed: run "
		    "cmremedy recover\n", article(j->command), j->command,
		    rpath != NULL ? rpath : "none", started);
	report_free(j);
	free(rpath);
	return 1;
}

/* Takes the machine lock for a command that changes the machine, removes
 * what killed runs left in its folder, and recovers an interrupted run
 * first.  Returns -1 with *rc set when the command must stop. */
static int
prepare_machine(const struct cli *c, struct backend *b,
    const struct policy *pol, const char *report_path,
    struct machine_lock **lock, char **recovered, FILE *out, FILE *errout,
    int *rc)
{
	struct report *rrep = NULL;
	char *rpath = NULL, *rbackup = NULL;
	enum recover_result res;
	struct cm_err err;
	FILE *jf;

	*lock = NULL;
	*recovered = NULL;
	if (b->home == NULL)
		return 0;
	cm_err_clear(&err);
	/* Whoever may write home may plant a journal or a policy for the
	 * next run: it must be as trusted as the files in it. */
	if ((b->home_private ? sys_mkdir_private(b->home, 1, &err) :
	    sys_mkdir_p(b->home, &err)) != 0 ||
	    fsperm_check(b->home, "machine's state folder", 0, &err) != 0 ||
	    lock_take(b->home, c->wait_s, report_path, lock, &err) != 0) {
		print_error(errout, &err);
		*rc = cli_exit_for(err.kind);
		return -1;
	}
	(void)sys_remove_stale_temps(b->home);
	/* recover's own report: --report for `recover`, else the default
	 * folder (the command's --report is for the command). */
	if ((rpath = journal_path(b->home)) == NULL ||
	    (jf = fopen(rpath, "rb")) == NULL) {
		/* No journal: nothing to recover, no report to make. */
		free(rpath);
		if (c->cmd == CMD_RECOVER && !c->json)
			fputs("nothing to recover\n", out);
		*rc = EXIT_OK;
		return c->cmd == CMD_RECOVER ? -1 : 0;
	}
	fclose(jf);
	free(rpath);
	rpath = NULL;
	if (report_paths(c, "recover", "journal", &rpath, &rbackup,
	    &err) != 0) {
		print_error(errout, &err);
		*rc = cli_exit_for(err.kind);
		return -1;
	}
	res = recover_run(b, pol, rpath, &rrep, recovered, &err);
	if (res == RECOVER_DONE && c->cmd != CMD_RECOVER && !c->json)
		fprintf(out, "recovered: an interrupted run (report %s) was "
		    "undone first; recover's report: %s\n",
		    *recovered != NULL ? *recovered : "none", rpath);
	if (c->cmd == CMD_RECOVER && res != RECOVER_NOTHING && rrep != NULL)
		(void)print_report(c, rrep, out, errout);
	if (c->cmd == CMD_RECOVER && res == RECOVER_NOTHING && !c->json)
		fputs("nothing to recover\n", out);
	if (c->cmd == CMD_RECOVER && res == RECOVER_DONE && !c->json)
		fprintf(out, "report: %s\n", rpath);
	*rc = EXIT_OK;
	if (res == RECOVER_FAILED) {
		print_error(errout, &err);
		fprintf(errout, "cmremedy: RECOVER INCOMPLETE: the machine is "
		    "not as before the interrupted run; the report lists the "
		    "state of every setting and service: %s\n", rpath);
		*rc = EXIT_ROLLBACK_FAILED;
	} else if (res == RECOVER_ERROR) {
		print_error(errout, &err);
		*rc = err.kind == CM_ERR_INPUT ? EXIT_USAGE :
		    EXIT_ROLLBACK_FAILED;
	}
	report_free(rrep);
	free(rpath);
	free(rbackup);
	return *rc == EXIT_OK && c->cmd != CMD_RECOVER ? 0 : -1;
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
	struct report *rep = NULL, *target_rep = NULL;
	struct policy *pol = NULL;
	struct machine_lock *lock = NULL;
	struct cm_err err;
	char *report_path = NULL, *backup_path = NULL, *recovered = NULL;
	char *log = NULL, *dir;
	enum apply_result res = APPLY_ERROR;
	int rc, writes, changes, interrupted = 0, system_wide = 0;
	int refused = 0, silent;

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
	/* Only a run that may change the machine takes its lock; a dry run
	 * writes nothing at all unless --report asks for the report. */
	changes = (writes && !c->dry_run) || c->cmd == CMD_RECOVER;
	/* A dry run without --report writes nothing at all, its log line
	 * included; every other command logs. */
	silent = writes && c->dry_run && c->report == NULL;

	/* May this process change the machine?  Asked before the report
	 * folder is made: a refusal leaves everything as it was. */
	if ((c->cmd != CMD_RECOVER && load_target(c, &p, &target_rep,
	    &err) != 0) ||
	    backend_open(c->backend, &b, &err) != 0 ||
	    (changes && (refused = backend_may_change(b, &err) != 0)) ||
	    policy_load(b->home, &pol, &err) != 0 ||
	    (p != NULL && policy_check_profile(pol, p, &err) != 0) ||
	    (target_rep != NULL && revert_check_report(target_rep, c->target,
	    b->machine, &err) != 0) ||
	    (writes && (changes || c->report != NULL) &&
	    report_paths(c, o.command, p->name, &report_path, &backup_path,
	    &err) != 0)) {
		print_error(errout, &err);
		rc = cli_exit_for(err.kind);
		/* A refused run touches nothing, its log included; other
		 * errors go to a log that is already there. */
		if (!refused && !silent &&
		    (log = runlog_open(dir, c, errout)) != NULL) {
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
	if (!silent)
		log = runlog_open(dir, c, errout);
	if (changes && prepare_machine(c, b, pol, report_path, &lock,
	    &recovered, out, errout, &rc) != 0)
		goto out;
	if (c->cmd == CMD_RECOVER) {
		rc = EXIT_OK;
		goto out;
	}
	if (target_rep != NULL && !c->dry_run &&
	    revert_check_since(b, target_rep, c->target, c->force,
	    &err) != 0) {
		print_error(errout, &err);
		rc = cli_exit_for(err.kind);
		goto out;
	}
	if (!changes)
		interrupted = say_machine_state(c, b, out, errout);
	o.report_path = report_path;
	o.backup_path = o.dry_run ? NULL : backup_path;
	o.recovered = recovered;
	res = apply_run(b, p, &o, &rep, &err);
	/* check keeps the common outcome words: nothing to change is
	 * "unchanged", a difference is "planned"; the verdict is its own
	 * field. */
	if (rep != NULL && c->cmd == CMD_CHECK && res == APPLY_PLANNED) {
		rep->compliant = count_changes(rep) == 0 && !interrupted;
		rep->outcome = count_changes(rep) == 0 ? "unchanged" :
		    "planned";
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
	if (c->cmd == CMD_CHECK && rc == EXIT_OK &&
	    (count_changes(rep) > 0 || interrupted))
		rc = EXIT_NONCOMPLIANT;
	if (!c->json && report_path != NULL && res != APPLY_ERROR)
		fprintf(out, "report: %s\n", report_path);
	if (c->for_seconds > 0 && rep != NULL)
		schedule_expire(c, rep, report_path, dir, out, errout);
	if (c->cmd == CMD_REVERT && !c->dry_run &&
	    (res == APPLY_CHANGED || res == APPLY_UNCHANGED))
		schedule_cancel(c->target, errout);
	/* Runbooks (Intune keeps only the last line) read the verdict last. */
	if (!c->json && c->cmd == CMD_CHECK && res == APPLY_PLANNED) {
		if (interrupted)
			fprintf(out, "not compliant: a run was interrupted: "
			    "run cmremedy recover\n");
		else
			fprintf(out, rc == EXIT_OK ? "compliant\n" :
			    "not compliant: %zu setting(s) differ\n",
			    count_changes(rep));
	}
	runlog_report(log, errout, rep, res != APPLY_ERROR ? report_path : NULL,
	    rc);
	if (report_out != NULL && res != APPLY_ERROR) {
		*report_out = report_path;
		report_path = NULL;
	}
out:
	lock_release(lock);
	free(dir);
	free(log);
	report_free(rep);
	report_free(target_rep);
	policy_free(pol);
	backend_close(b);
	profile_free(p);
	free(report_path);
	free(backup_path);
	free(recovered);
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
	if (c->jobs != NULL && diag_parse_jobs(c->jobs, &o.jobs) != 0) {
		fprintf(errout, "cmremedy: --jobs '%s': want a whole number "
		    "from 1 to %u\n", c->jobs, DIAG_JOBS_MAX);
		cli_usage(errout);
		return EXIT_USAGE;
	}
	rc = diag_run(&o, out, &err);
	if (rc < 0) {
		print_error(errout, &err);
		return cli_exit_for(err.kind);
	}
	return rc;
}
