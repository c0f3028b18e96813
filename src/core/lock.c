// SPDX-License-Identifier: ISC
/* lock.c - the machine lock: a util/filelock on HOME/cmremedy.lock. */
#include "lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "util/filelock.h"
#include "util/sysutil.h"
#include "util/text.h"

/* How often a waiting run tries again. */
#define LOCK_POLL_MS 100u

struct machine_lock {
	struct filelock *fl;
};

static char *
lock_path(const char *home)
{
	return text_path_join(home, LOCK_FILE);
}

int
lock_probe(const char *home, char *who, size_t wholen, struct cm_err *err)
{
	char *path = lock_path(home);
	int rc;

	if (path == NULL)
		return cm_err_nomem(err);
	rc = filelock_probe(path, who, wholen, err);
	free(path);
	if (rc == 1 && wholen > 0) {
		who[strcspn(who, "\r\n")] = '\0';
		if (who[0] == '\0')
			snprintf(who, wholen, "a process that has not yet said "
			    "who it is");
	}
	return rc;
}

int
lock_take(const char *home, unsigned wait_s, const char *report,
    struct machine_lock **out, struct cm_err *err)
{
	uint64_t until = sys_monotonic_ms() + (uint64_t)wait_s * 1000u;
	struct filelock *fl = NULL;
	char *path, who[LOCK_WHO_MAX], since[32];
	int rc;

	*out = NULL;
	if ((path = lock_path(home)) == NULL)
		return cm_err_nomem(err);
	for (;;) {
		if ((rc = filelock_try(path, &fl, err)) != 0)
			break;
		if (sys_monotonic_ms() >= until) {
			if (lock_probe(home, who, sizeof(who), err) != 1)
				snprintf(who, sizeof(who), "another run");
			free(path);
			return cm_err_set(err, CM_ERR_BUSY, 0,
			    "busy: held by %s; %s", who, wait_s == 0 ?
			    "not waiting (--wait 0)" : "gave up waiting "
			    "(--wait SECONDS to wait longer)");
		}
		sys_sleep_ms(LOCK_POLL_MS);
	}
	free(path);
	if (rc < 0)
		return -1;
	report_format_time(time(NULL), since);
	snprintf(who, sizeof(who), "pid %ld since %s (report %s)\n",
	    (long)getpid(), since, report != NULL ? report : "none");
	if (filelock_set_text(fl, who, err) != 0) {
		filelock_release(fl);
		return -1;
	}
	if ((*out = malloc(sizeof(**out))) == NULL) {
		filelock_release(fl);
		return cm_err_nomem(err);
	}
	(*out)->fl = fl;
	return 0;
}

void
lock_release(struct machine_lock *l)
{
	if (l == NULL)
		return;
	filelock_release(l->fl);
	free(l);
}
