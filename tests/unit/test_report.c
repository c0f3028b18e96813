// SPDX-License-Identifier: ISC
/* test_report.c - the report: golden JSON and text, load round trip,
 * every malformed report refused with its message, UTC times.
 *
 * Golden files live in tests/data/report/; their "version" is written as
 * @VERSION@ so that a release does not change them.  After a deliberate
 * format change, regenerate them with CM_UPDATE_GOLDEN=1 and review the
 * diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/report.h"
#include "cli/report_text.h"

#include "util/sysutil.h"

/* 2026-01-01T10:00:00Z and 7 seconds later: fixed so goldens are stable. */
#define T0 ((time_t)1767261600)

static char tmpdir[64];

/* ---- building reports ---- */

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static struct report *
new_report(const char *command, const char *outcome)
{
	struct report *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->command = xstrdup(command);
	r->outcome = outcome;
	r->profile_name = xstrdup("cmg-connector-verbose-on");
	r->profile_path = xstrdup("profiles/cmg-connector-verbose-on.ini");
	r->backend = xstrdup("sim:/srv/machines/cm01");
	r->started = T0;
	r->finished = T0 + 7;
	return r;
}

static struct report_setting *
add_setting(struct report *r, const char *key, const char *value,
    uint32_t type, int view, const char *action)
{
	struct report_setting *s;

	r->settings = realloc(r->settings, (r->nsettings + 1) * sizeof(*s));
	assert_non_null(r->settings);
	s = &r->settings[r->nsettings++];
	memset(s, 0, sizeof(*s));
	s->key = xstrdup(key);
	s->value = xstrdup(value);
	s->type = type;
	s->view = view;
	s->key_existed = 1;
	s->action = action;
	return s;
}

static struct report_service *
add_service(struct report *r, const char *name, const char *action)
{
	struct report_service *sv;

	r->services = realloc(r->services, (r->nservices + 1) * sizeof(*sv));
	assert_non_null(r->services);
	sv = &r->services[r->nservices++];
	memset(sv, 0, sizeof(*sv));
	sv->name = xstrdup(name);
	sv->action = action;
	sv->stop_ms = sv->start_ms = -1;
	sv->stop_timeout_ms = 120000;
	sv->start_timeout_ms = 300000;
	return sv;
}

static void
add_dependent(struct report_service *sv, const char *name)
{
	sv->dependents = realloc(sv->dependents,
	    (sv->ndependents + 1) * sizeof(char *));
	assert_non_null(sv->dependents);
	sv->dependents[sv->ndependents++] = xstrdup(name);
}

static void
status(int *known, struct svc_status *st, enum svc_state s,
    unsigned long pid)
{
	*known = 1;
	st->state = s;
	st->pid = pid;
}

static void
num(struct report_value *rv, uint32_t type, uint64_t n)
{
	rv->known = rv->exists = 1;
	assert_int_equal(regval_set_number(&rv->value, type, n), 0);
}

static void
str(struct report_value *rv, uint32_t type, const char *s)
{
	rv->known = rv->exists = 1;
	assert_int_equal(regval_set_string(&rv->value, type, s), 0);
}

static void
multi(struct report_value *rv, const char *const *items, size_t n)
{
	rv->known = rv->exists = 1;
	assert_int_equal(regval_set_multi(&rv->value, items, n), 0);
}

static void
bytes(struct report_value *rv, uint32_t type, const char *b, size_t n)
{
	rv->known = rv->exists = 1;
	assert_int_equal(regval_set_bytes(&rv->value, type,
	    (const unsigned char *)b, n), 0);
}

static void
absent(struct report_value *rv)
{
	rv->known = 1;
	rv->exists = 0;
}

#define SMS "HKLM\\SOFTWARE\\Microsoft\\SMS\\Components\\" \
    "SMS_CLOUD_PROXYCONNECTOR"

/* A `revert` that changed something of every type: set, create, delete,
 * none; a value whose type changes; one of a type without a name; a
 * service restart with dependents, one left alone, one stopped. */
static struct report *
changed_report(void)
{
	static const char *const m_before[] = { "alpha", "beta" };
	static const char *const m_after[] = { "alpha", "beta", "gamma" };
	struct report *r = new_report("revert", "changed");
	struct report_setting *s;
	struct report_service *sv;

	r->reverts = xstrdup("/var/lib/cmremedy/reports/apply-1.json");
	r->backup = xstrdup("/var/lib/cmremedy/backups/revert-1.reg");

	s = add_setting(r, SMS, "VerboseLogging", REGT_DWORD, 64, "set");
	num(&s->before, REGT_DWORD, 0);
	num(&s->desired, REGT_DWORD, 1);
	num(&s->after, REGT_DWORD, 1);

	s = add_setting(r, SMS "\\New", "Quota", REGT_QWORD, 64, "create");
	s->key_existed = 0;
	s->keys_created = 2;
	absent(&s->before);
	num(&s->desired, REGT_QWORD, UINT64_MAX);
	num(&s->after, REGT_QWORD, UINT64_MAX);

	s = add_setting(r, SMS, "Comment", REGT_SZ, 64, "set");
	str(&s->before, REGT_SZ, "old");
	str(&s->desired, REGT_SZ, "say \"hi\" \\ caf\xc3\xa9\t!");
	str(&s->after, REGT_SZ, "say \"hi\" \\ caf\xc3\xa9\t!");

	s = add_setting(r, SMS, "LogDir", REGT_EXPAND_SZ, 64, "set");
	str(&s->before, REGT_EXPAND_SZ, "");
	str(&s->desired, REGT_EXPAND_SZ, "%ProgramFiles%\\SMS\\Logs");
	str(&s->after, REGT_EXPAND_SZ, "%ProgramFiles%\\SMS\\Logs");

	s = add_setting(r, SMS, "Servers", REGT_MULTI_SZ, 64, "set");
	multi(&s->before, m_before, 2);
	multi(&s->desired, m_after, 3);
	multi(&s->after, m_after, 3);

	s = add_setting(r, SMS, "Blob", REGT_BINARY, 64, "set");
	bytes(&s->before, REGT_BINARY, "\x0a\x0b", 2);
	bytes(&s->desired, REGT_BINARY, "\xff\x00\xAB", 3);
	bytes(&s->after, REGT_BINARY, "\xff\x00\xAB", 3);

	s = add_setting(r, SMS, "", REGT_DWORD, 32, "set");
	str(&s->before, REGT_SZ, "1");
	num(&s->desired, REGT_DWORD, 0xFFFFFFFFu);
	num(&s->after, REGT_DWORD, 0xFFFFFFFFu);

	s = add_setting(r, SMS, "Odd", REGT_BINARY, 64, "set");
	bytes(&s->before, 0x20000, "\x01\x02", 2);
	bytes(&s->desired, REGT_BINARY, "", 0);
	bytes(&s->after, REGT_BINARY, "", 0);

	s = add_setting(r, SMS, "Temporary", REGT_SZ, 64, "delete");
	str(&s->before, REGT_SZ, "x");
	absent(&s->desired);
	absent(&s->after);

	s = add_setting(r, SMS, "Big", REGT_QWORD, 64, "none");
	num(&s->before, REGT_QWORD, (uint64_t)INT64_MAX);
	num(&s->desired, REGT_QWORD, (uint64_t)INT64_MAX);
	num(&s->after, REGT_QWORD, (uint64_t)INT64_MAX);

	sv = add_service(r, "SMS_EXECUTIVE", "restart");
	status(&sv->before_known, &sv->before, SVC_RUNNING, 4242);
	status(&sv->after_known, &sv->after, SVC_RUNNING, 4243);
	sv->stop_ms = 12;
	sv->start_ms = 30;
	add_dependent(sv, "SMS_NOTIFICATION_SERVER");
	add_dependent(sv, "SMS_SITE_COMPONENT_MANAGER");
	sv = add_service(r, "W3SVC", "none");
	status(&sv->before_known, &sv->before, SVC_RUNNING, 100);
	status(&sv->after_known, &sv->after, SVC_RUNNING, 100);
	sv = add_service(r, "CONFIGURATION_MANAGER_UPDATE", "none");
	status(&sv->before_known, &sv->before, SVC_STOPPED, 0);
	status(&sv->after_known, &sv->after, SVC_STOPPED, 0);
	return r;
}

/* `toggle --dry-run`: nothing is done, "after" is not observed. */
static struct report *
dry_run_report(void)
{
	struct report *r = new_report("toggle", "planned");
	struct report_setting *s;
	struct report_service *sv;

	r->dry_run = 1;
	r->toggle_to = "on";
	r->finished = T0;
	s = add_setting(r, SMS, "VerboseLogging", REGT_DWORD, 64, "set");
	num(&s->before, REGT_DWORD, 0);
	num(&s->desired, REGT_DWORD, 1);
	s = add_setting(r, SMS, "LoggingLevel", REGT_DWORD, 64, "none");
	num(&s->before, REGT_DWORD, 2);
	num(&s->desired, REGT_DWORD, 2);
	sv = add_service(r, "SMS_EXECUTIVE", "restart");
	status(&sv->before_known, &sv->before, SVC_RUNNING, 4242);
	add_dependent(sv, "SMS_NOTIFICATION_SERVER");
	return r;
}

/* An apply whose restart failed and was rolled back; with_failure makes
 * the rollback fail too (outcome "failed"). */
static struct report *
failed_report(int rollback_failed)
{
	struct report *r = new_report("apply", rollback_failed ? "failed" :
	    "rolled_back");
	struct report_setting *s;
	struct report_service *sv;

	r->backup = xstrdup("/var/lib/cmremedy/backups/apply-2.reg");
	s = add_setting(r, SMS, "VerboseLogging", REGT_DWORD, 64, "set");
	num(&s->before, REGT_DWORD, 0);
	num(&s->desired, REGT_DWORD, 1);
	if (rollback_failed) {
		num(&s->after, REGT_DWORD, 1);
		s->state = "changed";
	} else {
		num(&s->after, REGT_DWORD, 0);
		s->state = "restored";
	}
	s = add_setting(r, SMS, "LogMaxSize", REGT_DWORD, 64, "create");
	absent(&s->before);
	num(&s->desired, REGT_DWORD, 5242880);
	if (rollback_failed)
		s->state = "unknown";
	else {
		absent(&s->after);
		s->state = "restored";
	}
	s = add_setting(r, SMS, "LoggingLevel", REGT_DWORD, 64, "none");
	num(&s->before, REGT_DWORD, 2);
	num(&s->desired, REGT_DWORD, 2);
	num(&s->after, REGT_DWORD, 2);
	if (rollback_failed)
		s->state = "unchanged";
	sv = add_service(r, "SMS_EXECUTIVE", "restart");
	status(&sv->before_known, &sv->before, SVC_RUNNING, 4242);
	status(&sv->after_known, &sv->after, rollback_failed ? SVC_STOPPED :
	    SVC_RUNNING, rollback_failed ? 0 : 4244);
	sv->stop_ms = 15;
	sv->start_ms = rollback_failed ? -1 : 41;
	sv->stop_timeout_ms = 5000;
	sv->start_timeout_ms = 9000;
	sv->state = rollback_failed ? "rollback_failed" : "restarted_again";
	assert_int_equal(report_add_error(r, "restart", "SMS_EXECUTIVE: did "
	    "not start: the service exited with code 1067"), 0);
	if (rollback_failed)
		assert_int_equal(report_add_error(r, "rollback",
		    SMS "\\VerboseLogging: cannot write: access denied"), 0);
	return r;
}

/* ---- helpers ---- */

/* The JSON with its "version" value replaced by @VERSION@. */
static char *
json_of(const struct report *r)
{
	struct cm_err err;
	char *s, *out, needle[128];
	const char *v, *p;
	json_t *j;
	size_t n;

	s = report_to_json(r, &err);
	assert_non_null(s);
	j = json_loads(s, 0, NULL);
	assert_non_null(j);
	v = json_string_value(json_object_get(j, "version"));
	assert_non_null(v);
	assert_true(*v != '\0');
	snprintf(needle, sizeof(needle), "\"version\": \"%s\"", v);
	json_decref(j);
	p = strstr(s, needle);
	assert_non_null(p);
	n = strlen(s) + 32;
	out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s\"version\": \"@VERSION@\"%s", (int)(p - s), s,
	    p + strlen(needle));
	free(s);
	return out;
}

static char *
text_of(const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	report_print_text(r, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
golden(const char *name, const char *got)
{
	char path[256];
	unsigned char *want;
	size_t len;
	struct cm_err err;

	snprintf(path, sizeof(path), "%s/report/%s", TEST_DATA, name);
	if (getenv("CM_UPDATE_GOLDEN") != NULL)
		assert_int_equal(sys_write_atomic(path, got, strlen(got), &err),
		    0);
	if (sys_read_file(path, &want, &len, &err) != 0)
		fail_msg("%s", err.msg);
	assert_string_equal(got, (const char *)want);
	assert_int_equal(len, strlen(got));
	free(want);
}

static void
tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/cmr-test-report-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

/* ---- golden output ---- */

static void
test_changed_golden(void **state)
{
	struct report *r = changed_report();
	char *s;
	(void)state;

	s = json_of(r);
	golden("changed.json", s);
	free(s);
	s = text_of(r);
	golden("changed.txt", s);
	free(s);
	report_free(r);
}

static void
test_dry_run_golden(void **state)
{
	struct report *r = dry_run_report();
	char *s;
	(void)state;

	s = json_of(r);
	golden("dry_run.json", s);
	free(s);
	s = text_of(r);
	golden("dry_run.txt", s);
	free(s);
	report_free(r);
}

static void
test_rolled_back_golden(void **state)
{
	struct report *r = failed_report(0);
	char *s;
	(void)state;

	s = json_of(r);
	golden("rolled_back.json", s);
	free(s);
	s = text_of(r);
	golden("rolled_back.txt", s);
	free(s);
	report_free(r);
}

static void
test_failed_golden(void **state)
{
	struct report *r = failed_report(1);
	char *s;
	(void)state;

	s = json_of(r);
	golden("failed.json", s);
	free(s);
	s = text_of(r);
	golden("failed.txt", s);
	free(s);
	report_free(r);
}

/* The first line for the outcomes the goldens do not cover. */
static void
test_text_headlines(void **state)
{
	static const struct {
		const char *command, *outcome, *line;
	} cases[] = {
		{ "check", "unchanged", "compliant: nothing to change\n" },
		{ "apply", "unchanged", "unchanged: nothing to change\n" },
		{ "revert", "unchanged", "unchanged: nothing to change\n" },
		{ "check", "planned", "not compliant: 1 setting to set, "
		    "1 service to restart\n" },
		{ "plan", "planned", "planned: 1 setting to set, "
		    "1 service to restart\n" },
		{ "apply", "planned", "planned (dry run): 1 setting to set, "
		    "1 service to restart\n" },
		{ "apply", "in_progress", "INTERRUPTED: the run did not "
		    "finish; values may be partly changed\n" },
		{ "check", "compliant", "compliant: nothing to change\n" },
		{ "check", "not_compliant", "not compliant: 1 setting to set, "
		    "1 service to restart\n" },
		{ "apply", "changed", "changed: 1 setting set, 1 service "
		    "restarted\n" },
		{ "apply", "mystery", "mystery\n" },
		{ "apply", "failed", "FAILED: apply did not complete, see the "
		    "errors below\n" },
	};
	struct report *r;
	char *s, *nl;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = dry_run_report();
		r->dry_run = 0;
		r->toggle_to = NULL;
		free(r->command);
		r->command = xstrdup(cases[i].command);
		r->outcome = cases[i].outcome;
		s = text_of(r);
		nl = strchr(s, '\n');
		assert_non_null(nl);
		nl[1] = '\0';
		assert_string_equal(s, cases[i].line);
		free(s);
		report_free(r);
	}
}

/* A control character in a value name must not break the line layout. */
static void
test_text_escapes_names(void **state)
{
	struct report *r = dry_run_report();
	char *s, *p;
	int lines = 0;
	(void)state;

	free(r->settings[1].value);
	r->settings[1].value = xstrdup("Two\nLines\x7f");
	s = text_of(r);
	assert_non_null(strstr(s, "\\Two\\x0aLines\\x7f (REG_DWORD, 64-bit): "
	    "2 (0x00000002) "));
	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 7);
	free(s);
	report_free(r);
}

/* Free text that is not UTF-8 (a path from a Latin-1 file system) becomes
 * U+FFFD; data that is not UTF-8 is refused, a revert must not guess. */
static void
test_json_utf8(void **state)
{
	struct report *r = dry_run_report();
	struct cm_err err;
	char *s;
	(void)state;

	assert_int_equal(report_add_error(r, "set", "caf\xe9 \xc3\xa9"), 0);
	s = report_to_json(r, &err);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"message\": \"caf\xef\xbf\xbd \xc3\xa9\""));
	free(s);
	free(r->settings[1].value);
	r->settings[1].value = xstrdup("Level\xff");
	cm_err_clear(&err);
	assert_null(report_to_json(r, &err));
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_string_equal(err.msg, "report: settings[1].value: not valid "
	    "UTF-8");
	report_free(r);
}

/* Every block jansson allocates for report_to_json goes back through
 * jansson's free, its text included (an allocator of the caller's own
 * must see each of its blocks again). */
static long jansson_live;

static void *
counting_malloc(size_t n)
{
	void *p = malloc(n);

	if (p != NULL)
		jansson_live++;
	return p;
}

static void
counting_free(void *p)
{
	if (p != NULL)
		jansson_live--;
	free(p);
}

static void
test_json_text_back_to_jansson(void **state)
{
	struct report *r = changed_report();
	struct cm_err err;
	char *s;
	(void)state;

	jansson_live = 0;
	json_set_alloc_funcs(counting_malloc, counting_free);
	s = report_to_json(r, &err);
	json_set_alloc_funcs(malloc, free);
	assert_non_null(s);
	assert_int_equal(jansson_live, 0);
	free(s);
	report_free(r);
}

/* jansson's allocations fail from the Nth on: report_to_json gives NULL
 * with CM_ERR_NOMEM (never a half report), and leaks nothing (ASan). */
static long alloc_left;

static void *
failing_malloc(size_t n)
{
	if (alloc_left-- <= 0)
		return NULL;
	return malloc(n);
}

static void
test_json_out_of_memory(void **state)
{
	struct report *r = changed_report();
	struct cm_err err;
	char *s, *full;
	long n;
	(void)state;

	full = report_to_json(r, &err);
	assert_non_null(full);
	for (n = 0;; n++) {
		alloc_left = n;
		json_set_alloc_funcs(failing_malloc, free);
		cm_err_clear(&err);
		s = report_to_json(r, &err);
		json_set_alloc_funcs(malloc, free);
		if (s != NULL) {
			assert_string_equal(s, full);
			free(s);
			break;
		}
		assert_int_equal(err.kind, CM_ERR_NOMEM);
	}
	assert_true(n > 100);
	free(full);
	report_free(r);
}

/* ---- load ---- */

static void
assert_value_equal(const struct report_value *a, const struct report_value *b)
{
	assert_int_equal(a->known, b->known);
	if (!a->known)
		return;
	assert_int_equal(a->exists, b->exists);
	if (a->exists)
		assert_true(regval_equal(&a->value, &b->value));
}

static void
assert_same_report(const struct report *a, const struct report *b)
{
	size_t i, k;

	assert_string_equal(a->command, b->command);
	assert_int_equal(a->dry_run, b->dry_run);
	assert_string_equal(a->profile_name, b->profile_name);
	assert_string_equal(a->profile_path, b->profile_path);
	assert_string_equal(a->backend, b->backend);
	assert_int_equal(a->started, b->started);
	assert_int_equal(a->finished, b->finished);
	assert_string_equal(a->outcome, b->outcome);
	assert_true((a->toggle_to == NULL) == (b->toggle_to == NULL));
	if (a->toggle_to != NULL)
		assert_string_equal(a->toggle_to, b->toggle_to);
	assert_true((a->reverts == NULL) == (b->reverts == NULL));
	if (a->reverts != NULL)
		assert_string_equal(a->reverts, b->reverts);
	assert_true((a->backup == NULL) == (b->backup == NULL));
	if (a->backup != NULL)
		assert_string_equal(a->backup, b->backup);
	assert_int_equal(a->nsettings, b->nsettings);
	for (i = 0; i < a->nsettings; i++) {
		const struct report_setting *x = &a->settings[i];
		const struct report_setting *y = &b->settings[i];

		assert_string_equal(x->key, y->key);
		assert_string_equal(x->value, y->value);
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->view, y->view);
		assert_int_equal(x->keys_created, y->keys_created);
		assert_int_equal(x->key_existed, y->key_existed);
		assert_value_equal(&x->before, &y->before);
		assert_value_equal(&x->desired, &y->desired);
		assert_value_equal(&x->after, &y->after);
		assert_string_equal(x->action, y->action);
		assert_true((x->state == NULL) == (y->state == NULL));
		if (x->state != NULL)
			assert_string_equal(x->state, y->state);
	}
	assert_int_equal(a->nservices, b->nservices);
	for (i = 0; i < a->nservices; i++) {
		const struct report_service *x = &a->services[i];
		const struct report_service *y = &b->services[i];

		assert_string_equal(x->name, y->name);
		assert_string_equal(x->action, y->action);
		assert_int_equal(x->before_known, y->before_known);
		assert_int_equal(x->after_known, y->after_known);
		if (x->before_known) {
			assert_int_equal(x->before.state, y->before.state);
			assert_int_equal(x->before.pid, y->before.pid);
		}
		if (x->after_known) {
			assert_int_equal(x->after.state, y->after.state);
			assert_int_equal(x->after.pid, y->after.pid);
		}
		assert_int_equal(x->stop_ms, y->stop_ms);
		assert_int_equal(x->start_ms, y->start_ms);
		assert_int_equal(x->stop_timeout_ms, y->stop_timeout_ms);
		assert_int_equal(x->start_timeout_ms, y->start_timeout_ms);
		assert_int_equal(x->ndependents, y->ndependents);
		for (k = 0; k < x->ndependents; k++)
			assert_string_equal(x->dependents[k], y->dependents[k]);
		assert_true((x->state == NULL) == (y->state == NULL));
		if (x->state != NULL)
			assert_string_equal(x->state, y->state);
	}
	assert_int_equal(a->nerrors, b->nerrors);
	for (i = 0; i < a->nerrors; i++) {
		assert_string_equal(a->errors[i].step, b->errors[i].step);
		assert_string_equal(a->errors[i].message, b->errors[i].message);
	}
}

static void
round_trip(struct report *r)
{
	struct report *back;
	struct cm_err err;
	char path[128], *a, *b;

	tmp_path(path, sizeof(path), "round.json");
	if (report_write(r, path, &err) != 0)
		fail_msg("%s", err.msg);
	if (report_load(path, &back, &err) != 0)
		fail_msg("%s", err.msg);
	assert_same_report(r, back);
	a = report_to_json(r, &err);
	b = report_to_json(back, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	report_free(back);
	assert_int_equal(unlink(path), 0);
}

static void
test_round_trip(void **state)
{
	struct report *r;
	(void)state;

	r = changed_report();
	round_trip(r);
	report_free(r);
	r = dry_run_report();
	round_trip(r);
	report_free(r);
	r = failed_report(0);
	round_trip(r);
	report_free(r);
	r = failed_report(1);
	round_trip(r);
	report_free(r);
}

/* The same while parsing: no crash, no leak, and an out-of-memory error
 * every time, although jansson's lexer reports some allocation failures
 * as syntax errors ("string or '}' expected"). */
static void
test_load_out_of_memory(void **state)
{
	struct report *r = changed_report(), *back;
	struct cm_err err;
	char path[128];
	long n;
	int rc;
	(void)state;

	tmp_path(path, sizeof(path), "oom.json");
	assert_int_equal(report_write(r, path, &err), 0);
	for (n = 0;; n++) {
		alloc_left = n;
		json_set_alloc_funcs(failing_malloc, free);
		cm_err_clear(&err);
		rc = report_load(path, &back, &err);
		json_set_alloc_funcs(malloc, free);
		if (rc == 0)
			break;
		if (err.kind != CM_ERR_NOMEM)
			fail_msg("allocation %ld: %s", n, err.msg);
	}
	assert_true(n > 100);
	assert_same_report(r, back);
	report_free(back);
	report_free(r);
	assert_int_equal(unlink(path), 0);
}

/* The values at the edges of the number types, read back exactly. */
static void
test_round_trip_limits(void **state)
{
	static const uint64_t q[] = { 0, 1, 0xFFFFFFFFu, 0x100000000u,
	    (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, UINT64_MAX - 1,
	    UINT64_MAX };
	struct report *r = new_report("apply", "changed"), *back;
	struct report_setting *s;
	struct cm_err err;
	char path[128], name[32];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		snprintf(name, sizeof(name), "Q%zu", i);
		s = add_setting(r, SMS, name, REGT_QWORD, 64, "set");
		num(&s->before, REGT_QWORD, q[i]);
		num(&s->desired, REGT_QWORD, q[i]);
		num(&s->after, REGT_QWORD, q[i]);
	}
	s = add_setting(r, SMS, "D", REGT_DWORD, 64, "set");
	num(&s->before, REGT_DWORD, 0xFFFFFFFFu);
	absent(&s->desired);
	num(&s->after, REGT_DWORD, 0);
	tmp_path(path, sizeof(path), "limits.json");
	if (report_write(r, path, &err) != 0)
		fail_msg("%s", err.msg);
	if (report_load(path, &back, &err) != 0)
		fail_msg("%s", err.msg);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(back->settings[i].before.value.type,
		    REGT_QWORD);
		assert_true(back->settings[i].before.value.num == q[i]);
	}
	assert_true(back->settings[i].before.value.num == 0xFFFFFFFFu);
	assert_int_equal(back->settings[i].desired.known, 1);
	assert_int_equal(back->settings[i].desired.exists, 0);
	assert_same_report(r, back);
	report_free(back);
	report_free(r);
	assert_int_equal(unlink(path), 0);
}

/* A report as a person or another tool would write it, following the
 * contract only: the added fields get their defaults, a QWORD may be a
 * string, hex may be upper case. */
static void
test_load_contract_only(void **state)
{
	static const char text[] =
	    "{ \"tool\": \"cmremedy\", \"version\": \"9\","
	    "  \"command\": \"apply\", \"dry_run\": false,"
	    "  \"profile\": {\"name\": \"p\", \"path\": \"p.ini\"},"
	    "  \"backend\": \"sim:x\", \"started\": \"2026-01-01T00:00:00Z\","
	    "  \"finished\": \"2026-01-01T00:00:01Z\","
	    "  \"outcome\": \"changed\","
	    "  \"settings\": [ { \"key\": \"HKLM\\\\SOFTWARE\\\\A\","
	    "     \"value\": \"V\", \"type\": \"REG_QWORD\","
	    "     \"before\": {\"exists\": true,"
	    "     \"data\": \"18446744073709551615\"},"
	    "     \"desired\": {\"data\": 1}, \"after\": {\"exists\": true,"
	    "     \"data\": 1}, \"action\": \"set\", \"future\": [1, 2] },"
	    "   { \"key\": \"HKLM\\\\SOFTWARE\\\\A\", \"value\": \"B\","
	    "     \"type\": \"REG_BINARY\", \"before\": {\"exists\": true,"
	    "     \"data\": \"0A0b\"}, \"desired\": null, \"after\": null,"
	    "     \"action\": \"none\" } ],"
	    "  \"services\": [ { \"name\": \"SMS_EXECUTIVE\","
	    "     \"action\": \"restart\","
	    "     \"before\": {\"state\": \"running\", \"pid\": 4242},"
	    "     \"after\": {\"state\": \"running\", \"pid\": 4243},"
	    "     \"stop_ms\": 0, \"start_ms\": 0 } ],"
	    "  \"backup\": null, \"errors\": [] }";
	struct report *r;
	struct cm_err err;
	char path[128];
	(void)state;

	tmp_path(path, sizeof(path), "contract.json");
	write_file(path, text, sizeof(text) - 1);
	if (report_load(path, &r, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(r->nsettings, 2);
	assert_int_equal(r->settings[0].view, 64);
	assert_int_equal(r->settings[0].key_existed, 1);
	assert_int_equal(r->settings[0].keys_created, 0);
	assert_true(r->settings[0].before.value.num == UINT64_MAX);
	assert_int_equal(r->settings[0].desired.exists, 1);
	assert_true(r->settings[0].desired.value.num == 1);
	assert_null(r->settings[0].state);
	assert_int_equal(r->settings[1].before.value.len, 2);
	assert_memory_equal(r->settings[1].before.value.data, "\x0a\x0b", 2);
	assert_int_equal(r->settings[1].desired.known, 0);
	assert_int_equal(r->services[0].stop_timeout_ms, 120000);
	assert_int_equal(r->services[0].start_timeout_ms, 300000);
	assert_int_equal(r->services[0].ndependents, 0);
	assert_int_equal(r->services[0].stop_ms, 0);
	assert_string_equal(r->profile_path, "p.ini");
	assert_null(r->machine);
	assert_null(r->backup);
	assert_int_equal(r->started, (time_t)1767225600);
	report_free(r);
	assert_int_equal(unlink(path), 0);
}

/* A report from before keys_created: a key that existed created none, a
 * key that did not was created by the run, its leaf alone. */
static void
test_load_without_keys_created(void **state)
{
	static const char text[] =
	    "{ \"tool\": \"cmremedy\", \"version\": \"0.0.9\", \"command\": "
	    "\"apply\", \"dry_run\": false, \"profile\": {\"name\": \"p\", "
	    "\"path\": \"p.ini\"}, \"backend\": \"sim:x\", \"started\": "
	    "\"2026-01-01T00:00:00Z\", \"finished\": \"2026-01-01T00:00:01Z\","
	    "  \"outcome\": \"changed\", \"settings\": ["
	    "   { \"key\": \"HKLM\\\\SOFTWARE\\\\A\", \"value\": \"V\","
	    "     \"type\": \"REG_DWORD\", \"key_existed\": true,"
	    "     \"before\": {\"exists\": true, \"data\": 0},"
	    "     \"desired\": {\"data\": 1}, \"after\": {\"exists\": true,"
	    "     \"data\": 1}, \"action\": \"set\" },"
	    "   { \"key\": \"HKLM\\\\SOFTWARE\\\\B\\\\C\", \"value\": \"W\","
	    "     \"type\": \"REG_DWORD\", \"key_existed\": false,"
	    "     \"before\": {\"exists\": false}, \"desired\": {\"data\": 1},"
	    "     \"after\": {\"exists\": true, \"data\": 1},"
	    "     \"action\": \"create\" } ],"
	    "  \"services\": [], \"backup\": null, \"errors\": [] }";
	struct report *r;
	struct cm_err err;
	char path[128];
	(void)state;

	tmp_path(path, sizeof(path), "old.json");
	write_file(path, text, sizeof(text) - 1);
	if (report_load(path, &r, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(r->nsettings, 2);
	assert_int_equal(r->settings[0].key_existed, 1);
	assert_int_equal(r->settings[0].keys_created, 0);
	assert_int_equal(r->settings[1].key_existed, 0);
	assert_int_equal(r->settings[1].keys_created, 1);
	report_free(r);
	assert_int_equal(unlink(path), 0);
}

/* One change to a valid report: set the member at a dotted path
 * ("settings.0.before.data") to a JSON value, or delete it (NULL). */
struct edit {
	const char *path;
	const char *json;
};

static void
apply_edit(json_t *root, const struct edit *e)
{
	char buf[128], *p, *next;
	json_t *cur = root, *v;
	json_error_t je;

	snprintf(buf, sizeof(buf), "%s", e->path);
	for (p = buf;; p = next + 1) {
		next = strchr(p, '.');
		if (next != NULL)
			*next = '\0';
		if (next == NULL)
			break;
		cur = json_is_array(cur) ? json_array_get(cur,
		    (size_t)atoi(p)) : json_object_get(cur, p);
		assert_non_null(cur);
	}
	if (e->json == NULL) {
		assert_int_equal(json_object_del(cur, p), 0);
		return;
	}
	v = json_loads(e->json, JSON_DECODE_ANY, &je);
	if (v == NULL)
		fail_msg("%s: %s", e->json, je.text);
	if (json_is_array(cur))
		assert_int_equal(json_array_set_new(cur, (size_t)atoi(p), v),
		    0);
	else
		assert_int_equal(json_object_set_new(cur, p, v), 0);
}

/* Indexes in changed_report(): 0 DWORD, 1 QWORD, 2 SZ, 4 MULTI_SZ,
 * 5 BINARY; errors is empty. */
static const struct {
	struct edit edits[2];
	const char *msg;
} bad_reports[] = {
	{ { { "tool", "\"other\"" } },
	    "tool: \"other\": not a cmremedy report" },
	{ { { "tool", NULL } }, "missing field \"tool\"" },
	{ { { "tool", "1" } }, "tool: expected a string, found an integer" },
	{ { { "command", "\"frobnicate\"" } }, "command: unknown value "
	    "\"frobnicate\" (expected \"plan\", \"apply\", \"check\", "
	    "\"toggle\", \"revert\" or \"recover\")" },
	{ { { "command", "null" } }, "command: expected a string (\"plan\", "
	    "\"apply\", \"check\", \"toggle\", \"revert\" or \"recover\"), "
	    "found null" },
	{ { { "dry_run", "\"no\"" } },
	    "dry_run: expected true or false, found a string" },
	{ { { "dry_run", NULL } }, "missing field \"dry_run\"" },
	{ { { "toggle_to", "\"sideways\"" } }, "toggle_to: unknown value "
	    "\"sideways\" (expected \"on\" or \"off\")" },
	{ { { "reverts", "3" } },
	    "reverts: expected a string or null, found an integer" },
	{ { { "profile", "[]" } }, "profile: expected an object, found an "
	    "array" },
	{ { { "profile.name", NULL } }, "profile: missing field \"name\"" },
	/* issue 8: a null path passed the loader and ended in "out of
	 * memory", exit 3. */
	{ { { "profile.path", "null" } }, "profile.path: expected a string, "
	    "found null" },
	{ { { "machine", "null" } }, "machine: expected a string, found null" },
	{ { { "machine", "\"\"" } }, "machine: empty" },
	{ { { "backend", "null" } }, "backend: expected a string, found null" },
	{ { { "started", "\"2026-13-01T00:00:00Z\"" } }, "started: "
	    "\"2026-13-01T00:00:00Z\" is not a UTC time like "
	    "2026-01-01T00:00:00Z" },
	{ { { "finished", NULL } }, "missing field \"finished\"" },
	{ { { "outcome", "\"great\"" } }, "outcome: unknown value \"great\" "
	    "(expected \"changed\", \"unchanged\", \"planned\", "
	    "\"rolled_back\", \"failed\", \"in_progress\", \"compliant\" or "
	    "\"not_compliant\")" },
	{ { { "settings", "{}" } }, "settings: expected an array, found an "
	    "object" },
	{ { { "settings.0", "5" } }, "settings[0]: expected an object, found "
	    "an integer" },
	{ { { "settings.0.key", "\"HKCU\\\\Software\\\\X\"" } },
	    "settings[0].key: \"HKCU\\Software\\X\" is not a key under HKLM\\ "
	    "(written HKLM\\A\\B, single backslashes)" },
	{ { { "settings.0.key", "\"HKLM\\\\A\\\\\\\\B\"" } },
	    "settings[0].key: \"HKLM\\A\\\\B\" is not a key under HKLM\\ "
	    "(written HKLM\\A\\B, single backslashes)" },
	{ { { "settings.0.key", "\"HKLM\\\\\\\\A\"" } },
	    "settings[0].key: \"HKLM\\\\A\" is not a key under HKLM\\ "
	    "(written HKLM\\A\\B, single backslashes)" },
	{ { { "settings.0.key", "\"HKLM\\\\\"" } },
	    "settings[0].key: \"HKLM\\\" is not a key under HKLM\\ "
	    "(written HKLM\\A\\B, single backslashes)" },
	{ { { "settings.0.value", "1" } },
	    "settings[0].value: expected a string, found an integer" },
	{ { { "settings.0.value", NULL } },
	    "settings[0]: missing field \"value\"" },
	{ { { "settings.0.type", "\"REG_DWORD_BIG_ENDIAN\"" } },
	    "settings[0].type: unknown type \"REG_DWORD_BIG_ENDIAN\" (expected "
	    "REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ or "
	    "REG_BINARY)" },
	{ { { "settings.0.view", "65" } },
	    "settings[0].view: 65 is out of range (0 .. 64)" },
	{ { { "settings.0.view", "48" } },
	    "settings[0].view: expected 64 or 32, found 48" },
	{ { { "settings.0.view", "\"64\"" } },
	    "settings[0].view: expected an integer, found a string" },
	{ { { "settings.0.before", "null" } }, "settings[0].before: null: "
	    "the value as it was is needed to revert" },
	{ { { "settings.0.before", NULL } },
	    "settings[0]: missing field \"before\"" },
	{ { { "settings.0.before.exists", "1" } }, "settings[0].before.exists: "
	    "expected true or false, found an integer" },
	{ { { "settings.0.before.exists", NULL } },
	    "settings[0].before: missing field \"exists\"" },
	{ { { "settings.0.before.data", NULL } },
	    "settings[0].before: missing field \"data\"" },
	{ { { "settings.0.before.data", "\"0\"" } },
	    "settings[0].before.data: expected a number for REG_DWORD, found "
	    "a string" },
	{ { { "settings.0.before.data", "4294967296" } },
	    "settings[0].before.data: 4294967296 is out of range for "
	    "REG_DWORD (0 .. 4294967295)" },
	{ { { "settings.0.before.data", "-1" } },
	    "settings[0].before.data: -1 is out of range for REG_DWORD "
	    "(0 .. 4294967295)" },
	{ { { "settings.0.after.data", "1.0" } },
	    "settings[0].after.data: expected a number for REG_DWORD, found a "
	    "number with a fraction or exponent" },
	{ { { "settings.0.desired", "[]" } },
	    "settings[0].desired: expected an object or null, found an array" },
	{ { { "settings.0.desired.data", NULL } },
	    "settings[0].desired: missing field \"data\"" },
	{ { { "settings.0.before.type", "\"REG_FOO\"" } },
	    "settings[0].before.type: unknown registry type \"REG_FOO\"" },
	{ { { "settings.0.before.type", "\"hex(04)\"" } },
	    "settings[0].before.type: unknown registry type \"hex(04)\"" },
	{ { { "settings.1.after.data", "-5" } },
	    "settings[1].after.data: REG_QWORD cannot be negative" },
	{ { { "settings.1.after.data", "\"12x\"" } },
	    "settings[1].after.data: \"12x\" is not a decimal REG_QWORD" },
	{ { { "settings.1.after.data", "\"0x10\"" } },
	    "settings[1].after.data: \"0x10\" is not a decimal REG_QWORD" },
	{ { { "settings.1.after.data", "\"18446744073709551616\"" } },
	    "settings[1].after.data: REG_QWORD '18446744073709551616' is "
	    "above 0xFFFFFFFFFFFFFFFF" },
	{ { { "settings.1.after.data", "true" } },
	    "settings[1].after.data: expected a number (or a decimal string) "
	    "for REG_QWORD, found a boolean" },
	{ { { "settings.1.before.data", "0" } }, "settings[1].before: "
	    "\"data\" or \"type\" given for a value that does not exist" },
	{ { { "settings.1.before.exists", "true" },
	    { "settings.1.before.data", "5" } }, "settings[1]: "
	    "before.exists is true but key_existed is false" },
	{ { { "settings.1.key_existed", "0" } }, "settings[1].key_existed: "
	    "expected true or false, found an integer" },
	{ { { "settings.1.keys_created", "0" } }, "settings[1].keys_created: "
	    "0 does not agree with key_existed" },
	{ { { "settings.0.keys_created", "2" } }, "settings[0].keys_created: "
	    "2 does not agree with key_existed" },
	{ { { "settings.1.keys_created", "256" } }, "settings[1].keys_created: "
	    "256 is out of range (0 .. 255)" },
	{ { { "settings.2.after.data", "5" } },
	    "settings[2].after.data: expected a string for REG_SZ, found an "
	    "integer" },
	{ { { "settings.4.after.data", "\"a\"" } },
	    "settings[4].after.data: expected an array of strings for "
	    "REG_MULTI_SZ, found a string" },
	{ { { "settings.4.after.data.1", "\"\"" } },
	    "settings[4].after.data[1]: empty string (REG_MULTI_SZ cannot hold "
	    "one)" },
	{ { { "settings.4.after.data.0", "3" } },
	    "settings[4].after.data[0]: expected a string, found an integer" },
	{ { { "settings.5.after.data", "\"abc\"" } },
	    "settings[5].after.data: REG_BINARY data has an odd number of hex "
	    "digits" },
	{ { { "settings.5.after.data", "\"0z\"" } },
	    "settings[5].after.data: REG_BINARY data is not hex "
	    "(character 2)" },
	{ { { "settings.5.after.data", "[1]" } },
	    "settings[5].after.data: expected a hex string for REG_BINARY, "
	    "found an array" },
	{ { { "settings.0.action", "\"explode\"" } },
	    "settings[0].action: unknown value \"explode\" (expected \"none\", "
	    "\"set\", \"create\" or \"delete\")" },
	{ { { "settings.0.state", "\"weird\"" } },
	    "settings[0].state: unknown value \"weird\" (expected \"changed\", "
	    "\"restored\", \"unchanged\" or \"unknown\")" },
	{ { { "settings.2.key", "\"hklm\\\\software\\\\microsoft\\\\sms\\\\"
	    "components\\\\sms_cloud_proxyconnector\"" },
	    { "settings.2.value", "\"verboselogging\"" } },
	    "settings[2].key: \"hklm\\software\\microsoft\\sms\\components\\"
	    "sms_cloud_proxyconnector\" is not a key under HKLM\\ (written "
	    "HKLM\\A\\B, single backslashes)" },
	{ { { "settings.2.key", "\"HKLM\\\\software\\\\microsoft\\\\sms\\\\"
	    "components\\\\sms_cloud_proxyconnector\"" },
	    { "settings.2.value", "\"verboselogging\"" } },
	    "settings[2]: the same value as settings[0]" },
	{ { { "services", "null" } },
	    "services: expected an array, found null" },
	{ { { "services.0.name", "\"\"" } },
	    "services[0].name: empty service name" },
	{ { { "services.0.name", NULL } },
	    "services[0]: missing field \"name\"" },
	{ { { "services.0.action", "\"reboot\"" } }, "services[0].action: "
	    "unknown value \"reboot\" (expected \"restart\" or \"none\")" },
	{ { { "services.0.before", NULL } },
	    "services[0]: missing field \"before\"" },
	{ { { "services.0.before", "4242" } }, "services[0].before: expected "
	    "an object or null, found an integer" },
	{ { { "services.0.before.state", "\"dancing\"" } },
	    "services[0].before.state: unknown service state \"dancing\"" },
	{ { { "services.0.after.pid", "-1" } }, "services[0].after.pid: -1 is "
	    "out of range (0 .. 9223372036854775807)" },
	{ { { "services.0.after.pid", NULL } },
	    "services[0].after: missing field \"pid\"" },
	{ { { "services.0.stop_ms", "\"fast\"" } },
	    "services[0].stop_ms: expected an integer, found a string" },
	{ { { "services.0.stop_timeout_ms", "4294967296" } },
	    "services[0].stop_timeout_ms: 4294967296 is out of range "
	    "(0 .. 4294967295)" },
	{ { { "services.0.dependents", "\"x\"" } }, "services[0].dependents: "
	    "expected an array of service names, found a string" },
	{ { { "services.0.dependents.1", "\"\"" } },
	    "services[0].dependents[1]: expected a service name" },
	{ { { "services.0.state", "\"gone\"" } },
	    "services[0].state: unknown value \"gone\" (expected \"running\", "
	    "\"stopped\", \"unknown\", \"restarted_again\", \"started_again\", "
	    "\"not_stopped\", \"stop_never_completed\" or "
	    "\"rollback_failed\")" },
	{ { { "services.1.name", "\"sms_executive\"" } },
	    "services[1]: the same service as services[0]" },
	{ { { "backup", "5" } },
	    "backup: expected a string or null, found an integer" },
	{ { { "errors", NULL } }, "missing field \"errors\"" },
	{ { { "errors", "[{\"step\": 1, \"message\": \"m\"}]" } },
	    "errors[0].step: expected a string, found an integer" },
	{ { { "errors", "[\"boom\"]" } },
	    "errors[0]: expected an object, found a string" },
};

static void
test_load_refuses_bad_content(void **state)
{
	struct report *r = changed_report(), *out;
	struct cm_err err;
	char path[128], *text, want[CM_ERR_MSG_MAX];
	json_t *root;
	size_t i, k;
	(void)state;

	text = report_to_json(r, &err);
	assert_non_null(text);
	report_free(r);
	tmp_path(path, sizeof(path), "bad.json");
	for (i = 0; i < sizeof(bad_reports) / sizeof(bad_reports[0]); i++) {
		char *s;

		root = json_loads(text, 0, NULL);
		assert_non_null(root);
		for (k = 0; k < 2 && bad_reports[i].edits[k].path != NULL; k++)
			apply_edit(root, &bad_reports[i].edits[k]);
		s = json_dumps(root, JSON_INDENT(2));
		assert_non_null(s);
		json_decref(root);
		write_file(path, s, strlen(s));
		free(s);
		out = (struct report *)1;
		cm_err_clear(&err);
		assert_int_equal(report_load(path, &out, &err), -1);
		assert_null(out);
		assert_int_equal(err.kind, CM_ERR_INPUT);
		snprintf(want, sizeof(want), "%s: %s", path,
		    bad_reports[i].msg);
		assert_string_equal(err.msg, want);
	}
	/* The unedited text loads: the failures above are the edits'. */
	write_file(path, text, strlen(text));
	assert_int_equal(report_load(path, &out, &err), 0);
	report_free(out);
	free(text);
	assert_int_equal(unlink(path), 0);
}

/* Files that are not a JSON object at all. */
static void
test_load_refuses_bad_files(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *msg;   /* after "PATH"; ending in ": ", the place
				      of a JSON syntax error */
	} cases[] = {
		{ "", 0, ": empty file: expected a cmremedy JSON report" },
		{ " \n\t\r\n", 5, ": empty file: expected a cmremedy JSON "
		    "report" },
		{ "[1, 2]", 6, ": expected a JSON object (a cmremedy report), "
		    "found an array" },
		{ "\"cmremedy\"", 10, ": expected a JSON object (a cmremedy "
		    "report), found a string" },
		{ "{\n  \"tool\": }", 13, ":2:11: " },
		{ "{\"tool\": \"cmremedy\"}\n{}", 23, ":2:1: " },
		{ "{\"tool\": \"a\", \"tool\": \"b\"}", 26, ":1:20: " },
		{ "{\"a\": 18446744073709551615}", 27, ":1:26: " },
		{ "{\"a\": \"x\\u0000y\"}", 17, ":1:16: " },
		{ "{\"a\": \"\xff\"}", 10, ":1:7: " },
		{ "{\n\"a\": \0}", 9, ":2: NUL byte: a binary file, not a JSON "
		    "report" },
	};
	struct report *out;
	struct cm_err err;
	char path[128], want[CM_ERR_MSG_MAX];
	size_t i;
	(void)state;

	tmp_path(path, sizeof(path), "file.json");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(path, cases[i].text, cases[i].len);
		cm_err_clear(&err);
		assert_int_equal(report_load(path, &out, &err), -1);
		assert_int_equal(err.kind, CM_ERR_INPUT);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].msg);
		if (cases[i].msg[strlen(cases[i].msg) - 1] != ' ') {
			assert_string_equal(err.msg, want);
			continue;
		}
		/* A JSON syntax error: the place, then jansson's reason. */
		if (strncmp(err.msg, want, strlen(want)) != 0 ||
		    strlen(err.msg) <= strlen(want) + 2)
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg,
			    want);
	}
	assert_int_equal(unlink(path), 0);
	tmp_path(path, sizeof(path), "missing.json");
	assert_int_equal(report_load(path, &out, &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, "missing.json: cannot open"));
}

static void
test_write_atomic_failure(void **state)
{
	struct report *r = dry_run_report();
	struct cm_err err;
	char path[128];
	(void)state;

	tmp_path(path, sizeof(path), "no-such-dir/report.json");
	assert_int_equal(report_write(r, path, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_int_equal(access(path, F_OK), -1);
	report_free(r);
	report_free(NULL);
}

/* ---- times and type names ---- */

static void
test_time_format_and_parse(void **state)
{
	static const struct {
		time_t t;
		const char *s;
	} fixed[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ 1767225600, "2026-01-01T00:00:00Z" },
		{ 1767261607, "2026-01-01T10:00:07Z" },
		{ 4102444799, "2099-12-31T23:59:59Z" },
		{ -1, "1969-12-31T23:59:59Z" },
	};
	char buf[32], want[32];
	struct tm tm;
	time_t t, back;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		report_format_time(fixed[i].t, buf);
		assert_string_equal(buf, fixed[i].s);
		assert_int_equal(report_parse_time(fixed[i].s, &back), 0);
		assert_int_equal(back, fixed[i].t);
	}
	/* Against the C library's calendar, 1900 .. 2400 every ~3.7 days
	 * at varying times of day. */
	for (t = -2208988800; t < 13569465600; t += 318041) {
		assert_non_null(gmtime_r(&t, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		report_format_time(t, buf);
		assert_string_equal(buf, want);
		assert_int_equal(report_parse_time(buf, &back), 0);
		assert_int_equal(back, t);
	}
}

static void
test_time_refuses_bad(void **state)
{
	static const char *bad[] = { "", "2026-01-01", "2026-01-01T00:00:00",
	    "2026-01-01 00:00:00Z", "2026-01-01T00:00:00z",
	    "2026-01-01T00:00:00+00:00", "2026-1-01T00:00:00Z",
	    "2026-00-01T00:00:00Z", "2026-13-01T00:00:00Z",
	    "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
	    "2026-04-31T00:00:00Z", "2026-02-29T00:00:00Z",
	    "1900-02-29T00:00:00Z", "2026-01-01T24:00:00Z",
	    "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
	    "+026-01-01T00:00:00Z", "2026-01-01T0a:00:00Z",
	    "2026-01-01T00:00:00ZZ" };
	time_t t;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (report_parse_time(bad[i], &t) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(report_parse_time("2000-02-29T00:00:00Z", &t), 0);
	assert_int_equal(report_parse_time("2024-02-29T23:59:59Z", &t), 0);
}

static void
test_type_names(void **state)
{
	static const char *bad[] = { "hex()", "hex(0ff)", "hex(4)", "hex(FF)",
	    "hex(100000000)", "hex(ff", "REG_dword", "" };
	char buf[REPORT_TYPE_NAME_MAX];
	uint32_t t, i;
	(void)state;

	for (i = 0; i <= 12; i++) {
		assert_int_equal(report_type_parse(report_type_name(i, buf),
		    &t), 0);
		assert_int_equal(t, i);
	}
	assert_string_equal(report_type_name(0xffffffffu, buf),
	    "hex(ffffffff)");
	assert_int_equal(report_type_parse("hex(ffffffff)", &t), 0);
	assert_true(t == 0xffffffffu);
	assert_string_equal(report_type_name(REGT_DWORD_BE, buf),
	    "REG_DWORD_BIG_ENDIAN");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (report_type_parse(bad[i], &t) != -1)
			fail_msg("accepted '%s'", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changed_golden),
		cmocka_unit_test(test_dry_run_golden),
		cmocka_unit_test(test_rolled_back_golden),
		cmocka_unit_test(test_failed_golden),
		cmocka_unit_test(test_text_headlines),
		cmocka_unit_test(test_text_escapes_names),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_json_out_of_memory),
		cmocka_unit_test(test_json_text_back_to_jansson),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_limits),
		cmocka_unit_test(test_load_out_of_memory),
		cmocka_unit_test(test_load_contract_only),
		cmocka_unit_test(test_load_without_keys_created),
		cmocka_unit_test(test_load_refuses_bad_content),
		cmocka_unit_test(test_load_refuses_bad_files),
		cmocka_unit_test(test_write_atomic_failure),
		cmocka_unit_test(test_time_format_and_parse),
		cmocka_unit_test(test_time_refuses_bad),
		cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
