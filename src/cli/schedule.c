// SPDX-License-Identifier: ISC
/* schedule.c - the timer behind --for: printed outside Windows. */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/task.h"
#include "util/utctime.h"

#ifndef _WIN32
/* s in single quotes for a POSIX shell. */
static void
shell_quote(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	fputc('\'', out);
}

/* This program's own path, for the command a timer runs later. */
static void
self_path(char *buf, size_t n)
{
	ssize_t k = -1;

#if defined(__linux__)
	k = readlink("/proc/self/exe", buf, n - 1);
#endif
	if (k <= 0)
		snprintf(buf, n, "cmremedy");
	else
		buf[k] = '\0';
}

/* The expire command line a timer should run, with what it needs to find
 * the same reports folder and machine. */
static void
expire_command(FILE *out, const struct cli *c, const char *dir,
    const char *env_prefix)
{
	char self[4096];

	self_path(self, sizeof(self));
	if (dir != NULL && getenv("CMREMEDY_REPORT_DIR") != NULL) {
		fprintf(out, "%sCMREMEDY_REPORT_DIR=", env_prefix);
		shell_quote(out, dir);
		fputc(' ', out);
	}
	shell_quote(out, self);
	fputs(" expire", out);
	if (c->backend != NULL) {
		fputs(" --backend ", out);
		shell_quote(out, c->backend);
	}
}

#endif

#ifdef _WIN32
/* Windows: a one-shot task that runs this program's `expire`. */
static void
schedule_task(const struct cli *c, const struct report *rep,
    const char *report_path, FILE *out, FILE *errout)
{
	char t[UTC_STRLEN], args[2048], name[TASK_NAME_MAX];
	struct cm_err err;

	utc_format(rep->expires, t);
	/* The command line of Windows: a SPEC in double quotes. */
	if (c->backend != NULL)
		snprintf(args, sizeof(args), "expire --backend \"%s\"",
		    c->backend);
	else
		snprintf(args, sizeof(args), "expire");
	task_name_for(report_path, name);
	if (task_expire_register(report_path, rep->expires, args,
	    &err) != 0) {
		fprintf(errout, "cmremedy: warning: the change stands, but "
		    "no scheduled task runs `cmremedy expire` at %s: %s\n",
		    t, err.msg);
		return;
	}
	if (!c->json)
		fprintf(out, "expires: %s; the scheduled task \"%s\" runs "
		    "`cmremedy.exe %s` as SYSTEM then\n", t, name, args);
}
#endif

void
schedule_cancel(const char *report_path, FILE *errout)
{
#ifdef _WIN32
	struct cm_err err;

	if (task_expire_delete(report_path, &err) != 0)
		fprintf(errout, "cmremedy: warning: %s\n", err.msg);
#else
	(void)report_path;
	(void)errout;
#endif
}

int
schedule_query(const char *report_path, struct schedule_task *st)
{
	memset(st, 0, sizeof(*st));
#ifdef _WIN32
	{
		struct task_info ti;
		struct cm_err err;

		if (task_expire_query(report_path, &ti, &err) != 0 ||
		    !ti.exists)
			return 1;
		st->exists = 1;
		snprintf(st->name, sizeof(st->name), "%s", ti.name);
		snprintf(st->start, sizeof(st->start), "%s", ti.start);
		snprintf(st->user, sizeof(st->user), "%s", ti.user);
		snprintf(st->path, sizeof(st->path), "%s", ti.path);
		snprintf(st->args, sizeof(st->args), "%s", ti.args);
	}
	return 1;
#else
	(void)report_path;
	return 0;
#endif
}

#ifndef _WIN32
/* Elsewhere: the one-line timer commands, for the admin to run. */
static void
print_timers(const struct cli *c, time_t at, const char *report_dir,
    FILE *out)
{
	char t[UTC_STRLEN], cal[32];
	struct tm tm;

	utc_format(at, t);
	fprintf(out, "expires: %s; `cmremedy expire` reverts it from then "
	    "on.  To run it then:\n", t);
	/* systemd takes a UTC calendar time; cron only local time. */
	memcpy(cal, t, 10);
	cal[10] = ' ';
	memcpy(cal + 11, t + 11, 8);
	cal[19] = '\0';
	fprintf(out, "  systemd-run --on-calendar='%s UTC' ", cal);
	expire_command(out, c, report_dir, "--setenv=");
	fputc('\n', out);
	localtime_r(&at, &tm);
	fprintf(out, "  or in a crontab (local time): %d %d %d %d * ",
	    tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon + 1);
	expire_command(out, c, report_dir, "");
	fputc('\n', out);
}
#endif

void
schedule_expire(const struct cli *c, const struct report *rep,
    const char *report_path, const char *report_dir, FILE *out,
    FILE *errout)
{
	if (c->dry_run)
		return;
	if (strcmp(rep->outcome, "changed") != 0) {
		if (!c->json)
			fprintf(out, "expires: nothing changed, so nothing "
			    "will expire\n");
		return;
	}
#ifdef _WIN32
	(void)report_dir;
	schedule_task(c, rep, report_path, out, errout);
#else
	(void)report_path;
	(void)errout;
	if (!c->json)
		print_timers(c, rep->expires, report_dir, out);
#endif
}
