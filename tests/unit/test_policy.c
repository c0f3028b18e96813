// SPDX-License-Identifier: ISC
/* test_policy.c - the key allowlist and policy.ini, the journal's round
 * trip, the machine lock against another process, and the recover rules of
 * the planner (issue 8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/journal.h"
#include "core/lock.h"
#include "core/plan.h"
#include "core/policy.h"
#include "core/profile.h"
#include "core/report.h"
#include "util/fsperm.h"
#include "util/sysutil.h"

static char dir[] = "/tmp/cmr-test-policy-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct policy *
parse_ok(const char *text)
{
	struct policy *pol;
	struct cm_err err;

	if (policy_parse("p.ini", text, strlen(text), &pol, &err) != 0)
		fail_msg("%s", err.msg);
	return pol;
}

static void
parse_bad(const char *text, const char *want)
{
	struct policy *pol = NULL;
	struct cm_err err;

	assert_int_equal(policy_parse("p.ini", text, strlen(text), &pol,
	    &err), -1);
	assert_null(pol);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	if (strstr(err.msg, want) == NULL)
		fail_msg("got \"%s\", want \"%s\"", err.msg, want);
}

static void
test_builtin_and_prefixes(void **state)
{
	struct policy *pol;
	struct cm_err err;
	(void)state;

	assert_int_equal(policy_load(NULL, &pol, &err), 0);
	assert_true(policy_allows(pol, "HKLM\\SOFTWARE\\Microsoft\\SMS"));
	assert_true(policy_allows(pol,
	    "HKLM\\software\\microsoft\\sms\\SMS_CLOUD_PROXYCONNECTOR"));
	assert_true(policy_allows(pol,
	    "HKLM\\SOFTWARE\\Microsoft\\CCM\\Logging"));
	/* A prefix covers keys under it, not keys that share its text. */
	assert_false(policy_allows(pol, "HKLM\\SOFTWARE\\Microsoft\\SMSX"));
	assert_false(policy_allows(pol, "HKLM\\SOFTWARE\\Microsoft"));
	assert_false(policy_allows(pol, "HKLM\\SYSTEM\\CurrentControlSet"));
	assert_false(policy_allows(pol,
	    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\SMS"));
	policy_free(pol);

	pol = parse_ok("; comment\n[allow]\nkey = HKLM\\SOFTWARE\\Contoso\n"
	    "key = HKEY_LOCAL_MACHINE\\SOFTWARE\\Fabrikam\\Agent\n");
	assert_int_equal(pol->nprefixes, 4);
	assert_true(policy_allows(pol, "HKLM\\SOFTWARE\\Contoso\\X"));
	assert_true(policy_allows(pol, "HKLM\\SOFTWARE\\Fabrikam\\Agent"));
	assert_false(policy_allows(pol, "HKLM\\SOFTWARE\\Fabrikam"));
	assert_true(policy_allows(pol, "HKLM\\SOFTWARE\\Microsoft\\SMS\\A"));
	policy_free(pol);
}

static void
test_bad_policy_files(void **state)
{
	(void)state;
	parse_bad("[allow]\nprefix = HKLM\\X\n", "p.ini:2: [allow] prefix");
	parse_bad("[deny]\nkey = HKLM\\X\n", "p.ini:2: [deny] key");
	parse_bad("key = HKLM\\X\n", "p.ini:1: [] key");
	parse_bad("[allow]\n\nkey = HKLM\\SOFTWARE\\..\\SYSTEM\n",
	    "p.ini:3: bad key");
	parse_bad("[allow]\nkey = HKCU\\Software\n", "p.ini:2: bad key");
	parse_bad("[allow\n", "p.ini:1: syntax error");
}

static void
test_check_profile_names_key_and_file(void **state)
{
	struct profile *p = profile_new("x.ini", "x");
	struct profile_setting *s;
	struct policy *pol = parse_ok("[allow]\nkey = HKLM\\SOFTWARE\\C\n");
	struct cm_err err;
	(void)state;

	assert_non_null(p);
	s = profile_add_setting(p);
	s->key = strdup("HKLM\\SOFTWARE\\C\\D");
	assert_int_equal(policy_check_profile(pol, p, &err), 0);
	s = profile_add_setting(p);
	s->key = strdup("HKLM\\SYSTEM\\Run");
	assert_int_equal(policy_check_profile(pol, p, &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, "x.ini: key HKLM\\SYSTEM\\Run is "
	    "outside"));
	assert_non_null(strstr(err.msg, "p.ini"));
	policy_free(pol);
	profile_free(p);
}

/* A journal's report: an apply in progress on machine /m. */
static void
in_progress(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->command = "apply";
	r->profile_name = "p";
	r->profile_path = "p.ini";
	r->backend = "sim:x";
	r->machine = "/m";
	r->outcome = "in_progress";
	r->started = 1767225600;
}

static void
test_journal_round_trip(void **state)
{
	struct report r, *back;
	struct report_setting rs;
	struct cm_err err;
	char *rp;
	(void)state;

	in_progress(&r);
	memset(&rs, 0, sizeof(rs));
	rs.key = "HKLM\\SOFTWARE\\Microsoft\\SMS\\A";
	rs.value = "V";
	rs.type = REGT_DWORD;
	rs.view = 64;
	rs.key_existed = 1;
	rs.action = "set";
	rs.before.known = rs.before.exists = 1;
	rs.before.value.type = REGT_DWORD;
	rs.before.value.num = 7;
	r.settings = &rs;
	r.nsettings = 1;
	assert_int_equal(journal_read(dir, &back, &rp, &err), 0);
	/* A report path JSON cannot hold exactly: refused, nothing written. */
	assert_int_equal(journal_write(dir, &r, "/r/\xe9t\xe9.json", &err),
	    -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, "not valid UTF-8"));
	assert_int_equal(journal_read(dir, &back, &rp, &err), 0);
	assert_int_equal(journal_write(dir, &r, "/r/a.json", &err), 0);
	assert_int_equal(journal_read(dir, &back, &rp, &err), 1);
	assert_string_equal(rp, "/r/a.json");
	assert_string_equal(back->outcome, "in_progress");
	assert_string_equal(back->machine, "/m");
	assert_true(back->settings[0].before.value.num == 7);
	report_free(back);
	free(rp);
	assert_int_equal(journal_remove(dir, &err), 0);
	assert_int_equal(journal_read(dir, &back, &rp, &err), 0);
	assert_int_equal(journal_remove(dir, &err), 0);
}

static void
test_bad_journal_is_a_system_error(void **state)
{
	struct report *back;
	struct cm_err err;
	char path[256], *rp;
	FILE *f;
	(void)state;

	snprintf(path, sizeof(path), "%s/%s", dir, JOURNAL_FILE);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"tool\": \"cmremedy\"", f);
	fclose(f);
	assert_int_equal(journal_read(dir, &back, &rp, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, JOURNAL_FILE));
	assert_int_equal(unlink(path), 0);
}

/* A journal others may write is not trusted: recover would write what it
 * says.  The refusal names the file and is a system error (the machine's
 * state, not the user's input); made private again, the same bytes read. */
static void
test_writable_journal_refused(void **state)
{
	struct report r, *back = NULL;
	struct cm_err err;
	char path[256], *rp = NULL;
	(void)state;

	in_progress(&r);
	assert_int_equal(journal_write(dir, &r, NULL, &err), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, JOURNAL_FILE);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(journal_read(dir, &back, &rp, &err), -1);
	assert_null(back);
	assert_null(rp);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "writable by everyone"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(journal_read(dir, &back, &rp, &err), 1);
	assert_null(rp);       /* "report": null, a run without a report */
	assert_string_equal(back->command, "apply");
	report_free(back);
	assert_int_equal(journal_remove(dir, &err), 0);
}

/* A journal whose "report" member is not a string or null: refused, and
 * nothing is handed back (no half-filled report to free twice). */
static void
test_journal_report_member(void **state)
{
	struct report r, *back = NULL;
	struct cm_err err;
	char path[256], *rp = NULL, *text;
	unsigned char *buf;
	size_t len;
	FILE *f;
	(void)state;

	in_progress(&r);
	assert_int_equal(journal_write(dir, &r, "/r/b.json", &err), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, JOURNAL_FILE);
	assert_int_equal(sys_read_file(path, &buf, &len, &err), 0);
	text = (char *)buf;
	assert_non_null(strstr(text, "\"/r/b.json\""));
	memcpy(strstr(text, "\"/r/b.json\""), "12345678901", 11);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	assert_int_equal(journal_read(dir, &back, &rp, &err), -1);
	assert_null(back);
	assert_null(rp);
	assert_non_null(strstr(err.msg, "report: missing or not a string"));
	assert_int_equal(journal_remove(dir, &err), 0);
}

/* Another process holds the lock: busy, with who holds it; released when
 * that process dies. */
static void
test_lock_against_another_process(void **state)
{
	struct machine_lock *l;
	struct cm_err err;
	char who[LOCK_WHO_MAX];
	int fds[2], st;
	pid_t pid;
	char c;
	(void)state;

	assert_int_equal(lock_probe(dir, who, sizeof(who), &err), 0);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		if (lock_take(dir, 0, "/r/x.json", &l, &err) != 0)
			_exit(1);
		(void)write(fds[1], "k", 1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(lock_probe(dir, who, sizeof(who), &err), 1);
	assert_non_null(strstr(who, "(report /r/x.json)"));
	assert_int_equal(lock_take(dir, 0, NULL, &l, &err), -1);
	assert_int_equal(err.kind, CM_ERR_BUSY);
	assert_non_null(strstr(err.msg, "busy: held by pid "));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	close(fds[0]);
	assert_int_equal(lock_take(dir, 1, NULL, &l, &err), 0);
	lock_release(l);
	assert_int_equal(lock_probe(dir, who, sizeof(who), &err), 0);
}

static void
test_plan_recover_rules(void **state)
{
	struct profile *p = profile_new("j", "j");
	struct profile_service *s;
	struct observation obs;
	struct observed_service os;
	struct plan pl;
	struct cm_err err;
	(void)state;

	s = profile_add_service(p);
	s->name = strdup("S");
	s->recover = 1;
	s->recover_running = 1;
	s->recover_pid = 100;
	memset(&obs, 0, sizeof(obs));
	obs.services = &os;
	obs.nservices = 1;
	/* Still the same process: never touched, nothing to do. */
	os.status.state = SVC_RUNNING;
	os.status.pid = 100;
	assert_int_equal(plan_build(p, &obs, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.services[0].action, SVCACT_NONE);
	assert_int_equal(pl.restarts, 0);
	plan_free(&pl);
	/* Another process: the run restarted it; restart again. */
	os.status.pid = 101;
	assert_int_equal(plan_build(p, &obs, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.services[0].action, SVCACT_RESTART);
	assert_int_equal(pl.restarts, 1);
	plan_free(&pl);
	/* Left stopped or pending: start it. */
	os.status.state = SVC_STOPPED;
	os.status.pid = 0;
	assert_int_equal(plan_build(p, &obs, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.services[0].action, SVCACT_RESTART);
	plan_free(&pl);
	os.status.state = SVC_STOP_PENDING;
	assert_int_equal(plan_build(p, &obs, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.services[0].action, SVCACT_RESTART);
	plan_free(&pl);
	/* Stopped before the run: left stopped. */
	s->recover_running = 0;
	os.status.state = SVC_STOPPED;
	assert_int_equal(plan_build(p, &obs, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.services[0].action, SVCACT_NONE);
	plan_free(&pl);
	/* A dependent (pid 0): any running process will do. */
	s->recover_running = 1;
	s->recover_pid = 0;
	os.status.state = SVC_RUNNING;
	os.status.pid = 555;
	assert_int_equal(plan_build(p, &obs, PLAN_APPLY, &pl, &err), 0);
	assert_int_equal(pl.services[0].action, SVCACT_NONE);
	plan_free(&pl);
	profile_free(p);
}

static void
test_fsperm(void **state)
{
	char path[256];
	struct cm_err err;
	struct group *gr;
	struct passwd *pw;
	FILE *f;
	(void)state;

	snprintf(path, sizeof(path), "%s/f", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(fsperm_check(path, "profile", 0, &err), 0);
	assert_int_equal(chmod(path, 0664), 0);
	if (geteuid() == 0 && (gr = getgrnam("staff")) != NULL &&
	    (pw = getpwnam("nobody")) != NULL) {
		/* root's own group (Debian: no other member, no other
		 * account's primary group) is his user private group. */
		assert_int_equal(chown(path, 0, 0), 0);
		assert_int_equal(fsperm_check(path, "profile", 0, &err), 0);
		/* A group with no member at all is not private. */
		assert_int_equal(chown(path, 0, gr->gr_gid), 0);
		assert_int_equal(fsperm_check(path, "profile", 0, &err), -1);
		assert_non_null(strstr(err.msg,
		    "writable by its group (mode 0664)"));
		/* nobody's primary group: another account's. */
		assert_int_equal(chown(path, 0, pw->pw_gid), 0);
		assert_int_equal(fsperm_check(path, "profile", 0, &err), -1);
		/* ... even when that account owns the file: it is not root
		 * nor the caller. */
		assert_int_equal(chown(path, pw->pw_uid, pw->pw_gid), 0);
		assert_int_equal(fsperm_check(path, "profile", 0, &err), -1);
		assert_non_null(strstr(err.msg, "neither root nor you"));
		assert_int_equal(chown(path, 0, 0), 0);
		/* World-writable is never private. */
		assert_int_equal(chmod(path, 0666), 0);
		assert_int_equal(fsperm_check(path, "profile", 0, &err), -1);
	} else
		print_message("group cases skipped: not root or no staff "
		    "group / nobody account\n");
	assert_int_equal(chmod(path, 0646), 0);
	assert_int_equal(fsperm_check(path, "profile", 0, &err), -1);
	assert_non_null(strstr(err.msg, "writable by everyone"));
	assert_int_equal(fsperm_check("/tmp", "folder", 0, &err), -1);
	assert_int_equal(fsperm_check("/tmp", "folder", FSPERM_STICKY_OK,
	    &err), 0);
	assert_int_equal(fsperm_check_parent(path, "folder", 0, &err), 0);
	assert_int_equal(unlink(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_and_prefixes),
		cmocka_unit_test(test_bad_policy_files),
		cmocka_unit_test(test_check_profile_names_key_and_file),
		cmocka_unit_test(test_journal_round_trip),
		cmocka_unit_test(test_bad_journal_is_a_system_error),
		cmocka_unit_test(test_writable_journal_refused),
		cmocka_unit_test(test_journal_report_member),
		cmocka_unit_test(test_lock_against_another_process),
		cmocka_unit_test(test_plan_recover_rules),
		cmocka_unit_test(test_fsperm),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
