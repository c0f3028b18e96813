// SPDX-License-Identifier: ISC
/* schedule.c - the timer behind --for: printed outside Windows. */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/utctime.h"

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

void
schedule_expire(const struct cli *c, const struct report *rep,
    const char *report_dir, FILE *out, FILE *errout)
{
	char t[UTC_STRLEN], cal[32];
	struct tm tm;
	time_t at = rep->expires;

	(void)errout;
	if (c->json || c->dry_run)
		return;
	if (strcmp(rep->outcome, "changed") != 0) {
		fprintf(out, "expires: nothing changed, so nothing will "
		    "expire\n");
		return;
	}
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
#if defined(_WIN32) && !defined(__WINE__)
	localtime_s(&tm, &at);
#else
	localtime_r(&at, &tm);
#endif
	fprintf(out, "  or in a crontab (local time): %d %d %d %d * ",
	    tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon + 1);
	expire_command(out, c, report_dir, "");
	fputc('\n', out);
}
