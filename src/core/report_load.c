// SPDX-License-Identifier: ISC
/* report_load.c - reads a JSON report back for `revert`, trusting nothing:
 * every field revert relies on is checked and named in the message. */
#include "report.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "profile.h"
#include "util/sysutil.h"
#include "util/text.h"

/* A pid is an unsigned long (32 bits on Windows); JSON integers are
 * json_int_t (a long long). */
#if ULONG_MAX < LLONG_MAX
#define PID_MAX ((json_int_t)ULONG_MAX)
#else
#define PID_MAX ((json_int_t)LLONG_MAX)
#endif

/* Room for "settings[123].before.data[45]" and the like. */
#define WHERE_MAX 128

/* The words apply.c and cmd.c write; the static strings report.h's
 * pointers refer to after a load. */
static const char *const commands[] = { "plan", "apply", "check", "toggle",
    "revert", "recover", NULL };
static const char *const outcomes[] = { "changed", "unchanged", "planned",
    "rolled_back", "failed", "in_progress", "compliant", "not_compliant",
    NULL };
static const char *const toggles[] = { "on", "off", NULL };
static const char *const set_actions[] = { "none", "set", "create",
    "delete", NULL };
static const char *const set_states[] = { "changed", "restored",
    "unchanged", "unknown", NULL };
static const char *const svc_actions[] = { "restart", "none", NULL };
static const char *const svc_states[] = { "running", "stopped", "unknown",
    "restarted_again", "started_again", "not_stopped",
    "stop_never_completed", "rollback_failed", NULL };

struct ld {
	const char *path;
	struct cm_err *err;
};

CM_PRINTFLIKE(3, 4)
static int
bad(struct ld *l, const char *where, const char *fmt, ...)
{
	va_list ap;

	cm_err_set(l->err, CM_ERR_INPUT, 0, "%s: %s%s", l->path, where,
	    *where != '\0' ? ": " : "");
	va_start(ap, fmt);
	cm_err_vappend(l->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* "where.key" ("key" at the top). */
static void
child(char out[WHERE_MAX], const char *where, const char *key)
{
	int n = snprintf(out, WHERE_MAX, "%s%s%s", where, *where ? "." : "",
	    key);

	if (n < 0 || n >= WHERE_MAX)
		memcpy(out + WHERE_MAX - 4, "...", 4);
}

static void
elem(char out[WHERE_MAX], const char *where, size_t i)
{
	int n = snprintf(out, WHERE_MAX, "%s[%zu]", where, i);

	if (n < 0 || n >= WHERE_MAX)
		memcpy(out + WHERE_MAX - 4, "...", 4);
}

/* What a JSON value is, for "expected X, found Y". */
static const char *
kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:  return "an object";
	case JSON_ARRAY:   return "an array";
	case JSON_STRING:  return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL:    return "a number with a fraction or exponent";
	case JSON_TRUE:
	case JSON_FALSE:   return "a boolean";
	default:           return "null";
	}
}

/* The member key of o, or NULL: an error when required. */
static int
member(struct ld *l, const json_t *o, const char *where, const char *key,
    int required, json_t **out)
{
	*out = json_object_get(o, key);
	if (*out == NULL && required)
		return bad(l, where, "missing field \"%s\"", key);
	return 0;
}

/* A string member; with allow_null a JSON null gives *out NULL. */
static int
get_string(struct ld *l, const json_t *o, const char *where, const char *key,
    int allow_null, const char **out)
{
	char w[WHERE_MAX];
	json_t *j;

	*out = NULL;
	if (member(l, o, where, key, 1, &j) != 0)
		return -1;
	if (allow_null && json_is_null(j))
		return 0;
	if (!json_is_string(j)) {
		child(w, where, key);
		return bad(l, w, "expected a string%s, found %s",
		    allow_null ? " or null" : "", kind(j));
	}
	*out = json_string_value(j);
	return 0;
}

static int
dup_string(struct ld *l, const char *s, char **out)
{
	*out = NULL;
	if (s != NULL && (*out = strdup(s)) == NULL)
		return cm_err_nomem(l->err);
	return 0;
}

/* A string member that must be one of list; *out is the list's own
 * (static) string.  Absent or null gives NULL when !required. */
static int
get_enum(struct ld *l, const json_t *o, const char *where, const char *key,
    const char *const *list, int required, const char **out)
{
	char w[WHERE_MAX];
	struct strbuf expect = { 0 };
	const char *s;
	json_t *j;
	size_t i;
	int rc;

	*out = NULL;
	if (member(l, o, where, key, required, &j) != 0)
		return -1;
	if (j == NULL || (!required && json_is_null(j)))
		return 0;
	child(w, where, key);
	s = json_string_value(j);
	for (i = 0; s != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0) {
			*out = list[i];
			return 0;
		}
	strbuf_choices(&expect, list, "\"");
	if (expect.failed)
		return cm_err_nomem(l->err);
	if (s == NULL)
		rc = bad(l, w, "expected a string (%s), found %s", expect.s,
		    kind(j));
	else
		rc = bad(l, w, "unknown value \"%s\" (expected %s)", s,
		    expect.s);
	strbuf_free(&expect);
	return rc;
}

static int
get_bool(struct ld *l, const json_t *o, const char *where, const char *key,
    int required, int dflt, int *out)
{
	char w[WHERE_MAX];
	json_t *j;

	*out = dflt;
	if (member(l, o, where, key, required, &j) != 0)
		return -1;
	if (j == NULL)
		return 0;
	if (!json_is_boolean(j)) {
		child(w, where, key);
		return bad(l, w, "expected true or false, found %s", kind(j));
	}
	*out = json_is_true(j);
	return 0;
}

/* An integer member in min..max; absent gives dflt when !required. */
static int
get_int(struct ld *l, const json_t *o, const char *where, const char *key,
    int required, json_int_t min, json_int_t max, json_int_t dflt,
    json_int_t *out)
{
	char w[WHERE_MAX];
	json_t *j;

	*out = dflt;
	if (member(l, o, where, key, required, &j) != 0)
		return -1;
	if (j == NULL)
		return 0;
	child(w, where, key);
	if (!json_is_integer(j))
		return bad(l, w, "expected an integer, found %s", kind(j));
	if (json_integer_value(j) < min || json_integer_value(j) > max)
		return bad(l, w, "%lld is out of range (%lld .. %lld)",
		    (long long)json_integer_value(j), (long long)min,
		    (long long)max);
	*out = json_integer_value(j);
	return 0;
}

static int
get_time(struct ld *l, const json_t *o, const char *key, time_t *out)
{
	const char *s;

	if (get_string(l, o, "", key, 0, &s) != 0)
		return -1;
	if (report_parse_time(s, out) != 0)
		return bad(l, key, "\"%s\" is not a UTC time like "
		    "2026-01-01T00:00:00Z", s);
	return 0;
}

static int
data_qword(struct ld *l, const char *w, const json_t *j, struct regval *out)
{
	const char *s = json_string_value(j);
	struct cm_err e;
	size_t i;

	if (json_is_integer(j)) {
		if (json_integer_value(j) < 0)
			return bad(l, w, "REG_QWORD cannot be negative");
		regval_set_number(out, REGT_QWORD,
		    (uint64_t)json_integer_value(j));
		return 0;
	}
	/* Above INT64_MAX report.c writes a decimal string. */
	if (s == NULL || *s == '\0')
		return bad(l, w, "expected a number (or a decimal string) for "
		    "REG_QWORD, found %s", s == NULL ? kind(j) : "\"\"");
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return bad(l, w, "\"%s\" is not a decimal REG_QWORD",
			    s);
	if (regval_parse(out, REGT_QWORD, s, &e) != 0)
		return bad(l, w, "REG_QWORD %s", e.msg);
	return 0;
}

static int
data_multi(struct ld *l, const char *w, const json_t *j, struct regval *out)
{
	char ew[WHERE_MAX];
	const char **items;
	size_t i, n;
	int rc = 0;

	if (!json_is_array(j))
		return bad(l, w, "expected an array of strings for "
		    "REG_MULTI_SZ, found %s", kind(j));
	n = json_array_size(j);
	if ((items = calloc(n + 1, sizeof(*items))) == NULL)
		return cm_err_nomem(l->err);
	for (i = 0; i < n && rc == 0; i++) {
		elem(ew, w, i);
		items[i] = json_string_value(json_array_get(j, i));
		if (items[i] == NULL)
			rc = bad(l, ew, "expected a string, found %s",
			    kind(json_array_get(j, i)));
		else if (*items[i] == '\0')
			rc = bad(l, ew, "empty string (REG_MULTI_SZ cannot "
			    "hold one)");
	}
	if (rc == 0 && regval_set_multi(out, items, n) != 0)
		rc = cm_err_nomem(l->err);
	free(items);
	return rc;
}

static int
data_bytes(struct ld *l, const char *w, uint32_t type, const char *tname,
    const json_t *j, struct regval *out)
{
	const char *s = json_string_value(j);
	unsigned char *b;
	size_t i, n;
	int rc = 0;

	if (s == NULL)
		return bad(l, w, "expected a hex string for %s, found %s",
		    tname, kind(j));
	n = strlen(s);
	for (i = 0; i < n; i++)
		if (text_hexval((unsigned char)s[i]) < 0)
			return bad(l, w, "%s data is not hex (character %zu)",
			    tname, i + 1);
	if (n % 2 != 0)
		return bad(l, w, "%s data has an odd number of hex digits",
		    tname);
	if ((b = malloc(n / 2 + 1)) == NULL)
		return cm_err_nomem(l->err);
	for (i = 0; i < n / 2; i++)
		b[i] = (unsigned char)(text_hexval(s[2 * i]) << 4 |
		    text_hexval(s[2 * i + 1]));
	if (regval_set_bytes(out, type, b, n / 2) != 0)
		rc = cm_err_nomem(l->err);
	free(b);
	return rc;
}

/* The "data" of one side, by type (the contract in report.h). */
static int
parse_data(struct ld *l, const char *w, uint32_t type, const json_t *j,
    struct regval *out)
{
	char tbuf[REPORT_TYPE_NAME_MAX];
	const char *tname = report_type_name(type, tbuf);

	switch (type) {
	case REGT_DWORD:
		if (!json_is_integer(j))
			return bad(l, w, "expected a number for REG_DWORD, "
			    "found %s", kind(j));
		if (json_integer_value(j) < 0 ||
		    json_integer_value(j) > 0xFFFFFFFF)
			return bad(l, w, "%lld is out of range for REG_DWORD "
			    "(0 .. 4294967295)",
			    (long long)json_integer_value(j));
		regval_set_number(out, REGT_DWORD,
		    (uint64_t)json_integer_value(j));
		return 0;
	case REGT_QWORD:
		return data_qword(l, w, j, out);
	case REGT_SZ:
	case REGT_EXPAND_SZ:
		if (!json_is_string(j))
			return bad(l, w, "expected a string for %s, found %s",
			    tname, kind(j));
		if (regval_set_string(out, type, json_string_value(j)) != 0)
			return cm_err_nomem(l->err);
		return 0;
	case REGT_MULTI_SZ:
		return data_multi(l, w, j, out);
	default:
		return data_bytes(l, w, type, tname, j, out);
	}
}

/* One side of a setting; see jside() in report.c for the forms. */
static int
parse_side(struct ld *l, const json_t *so, const char *where,
    const char *which, uint32_t stype, struct report_value *rv, int needed)
{
	char w[WHERE_MAX], dw[WHERE_MAX];
	const char *tname;
	json_t *j, *data;
	uint32_t type = stype;
	int is_desired = strcmp(which, "desired") == 0;

	child(w, where, which);
	if (member(l, so, where, which, 1, &j) != 0)
		return -1;
	if (json_is_null(j)) {
		if (needed)
			return bad(l, w, "null: the value as it was is "
			    "needed to revert");
		return 0;
	}
	if (!json_is_object(j))
		return bad(l, w, "expected an object%s, found %s",
		    needed ? "" : " or null", kind(j));
	rv->known = 1;
	if (get_bool(l, j, w, "exists", !is_desired, 1, &rv->exists) != 0)
		return -1;
	data = json_object_get(j, "data");
	if (!rv->exists) {
		if (data != NULL || json_object_get(j, "type") != NULL)
			return bad(l, w, "\"data\" or \"type\" given for a "
			    "value that does not exist");
		return 0;
	}
	if (json_object_get(j, "type") != NULL) {
		if (get_string(l, j, w, "type", 0, &tname) != 0)
			return -1;
		if (report_type_parse(tname, &type) != 0) {
			child(dw, w, "type");
			return bad(l, dw, "unknown registry type \"%s\"",
			    tname);
		}
	}
	if (data == NULL)
		return bad(l, w, "missing field \"data\"");
	child(dw, w, "data");
	return parse_data(l, dw, type, data, &rv->value);
}

/* The canonical form profile_canon_key() gives: HKLM\ then non-empty
 * components separated by single backslashes. */
static int
canonical_key(const char *k)
{
	size_t n = strlen(k);

	return strncmp(k, "HKLM\\", 5) == 0 && n > 5 && k[n - 1] != '\\' &&
	    strstr(k + 4, "\\\\") == NULL;
}

static int
parse_setting(struct ld *l, const json_t *o, size_t i,
    struct report_setting *s)
{
	char w[WHERE_MAX], fw[WHERE_MAX];
	const char *str;
	json_int_t view, created;

	elem(w, "settings", i);
	if (!json_is_object(o))
		return bad(l, w, "expected an object, found %s", kind(o));
	if (get_string(l, o, w, "key", 0, &str) != 0)
		return -1;
	if (!canonical_key(str)) {
		child(fw, w, "key");
		return bad(l, fw, "\"%s\" is not a key under HKLM\\ (written "
		    "HKLM\\A\\B, single backslashes)", str);
	}
	if (dup_string(l, str, &s->key) != 0 ||
	    get_string(l, o, w, "value", 0, &str) != 0 ||
	    dup_string(l, str, &s->value) != 0 ||
	    get_string(l, o, w, "type", 0, &str) != 0)
		return -1;
	if (regtype_parse(str, &s->type) != 0) {
		child(fw, w, "type");
		return bad(l, fw, "unknown type \"%s\" (expected REG_DWORD, "
		    "REG_QWORD, REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ or "
		    "REG_BINARY)", str);
	}
	if (get_int(l, o, w, "view", 0, 0, 64, REGVIEW_64, &view) != 0)
		return -1;
	if (view != REGVIEW_64 && view != REGVIEW_32) {
		child(fw, w, "view");
		return bad(l, fw, "expected 64 or 32, found %lld",
		    (long long)view);
	}
	s->view = (int)view;
	/* Added to the contract; absent, assume the key existed, so that a
	 * revert never deletes a key it did not create. */
	if (get_bool(l, o, w, "key_existed", 0, 1, &s->key_existed) != 0 ||
	    parse_side(l, o, w, "before", s->type, &s->before, 1) != 0)
		return -1;
	if (s->before.exists && !s->key_existed)
		return bad(l, w, "before.exists is true but key_existed is "
		    "false");
	/* Absent in reports of older versions: the leaf key alone. */
	if (get_int(l, o, w, "keys_created", 0, 0, 255, !s->key_existed,
	    &created) != 0)
		return -1;
	if ((created > 0) != !s->key_existed) {
		child(fw, w, "keys_created");
		return bad(l, fw, "%lld does not agree with key_existed",
		    (long long)created);
	}
	s->keys_created = (int)created;
	if (parse_side(l, o, w, "desired", s->type, &s->desired, 0) != 0 ||
	    parse_side(l, o, w, "after", s->type, &s->after, 0) != 0 ||
	    get_enum(l, o, w, "action", set_actions, 1, &s->action) != 0 ||
	    get_enum(l, o, w, "state", set_states, 0, &s->state) != 0)
		return -1;
	return 0;
}

static int
parse_status(struct ld *l, const json_t *o, const char *where,
    const char *which, int *known, struct svc_status *st)
{
	char w[WHERE_MAX], sw[WHERE_MAX];
	const char *name;
	json_t *j;
	json_int_t pid;
	int s;

	if (member(l, o, where, which, 1, &j) != 0)
		return -1;
	if (json_is_null(j))
		return 0;
	child(w, where, which);
	if (!json_is_object(j))
		return bad(l, w, "expected an object or null, found %s",
		    kind(j));
	if (get_string(l, j, w, "state", 0, &name) != 0)
		return -1;
	for (s = SVC_UNKNOWN; s <= SVC_PAUSED; s++)
		if (strcmp(svc_state_name((enum svc_state)s), name) == 0)
			break;
	if (s > SVC_PAUSED) {
		child(sw, w, "state");
		return bad(l, sw, "unknown service state \"%s\"", name);
	}
	if (get_int(l, j, w, "pid", 1, 0, PID_MAX, 0, &pid) != 0)
		return -1;
	st->state = (enum svc_state)s;
	st->pid = (unsigned long)pid;
	*known = 1;
	return 0;
}

/* stop_ms / start_ms: a number, or null (or absent) for a step not done. */
static int
get_ms(struct ld *l, const json_t *o, const char *where, const char *key,
    long *out)
{
	json_t *j = json_object_get(o, key);
	json_int_t v;

	*out = -1;
	if (j == NULL || json_is_null(j))
		return 0;
	if (get_int(l, o, where, key, 1, 0, LONG_MAX, 0, &v) != 0)
		return -1;
	*out = (long)v;
	return 0;
}

static int
parse_dependents(struct ld *l, const json_t *o, const char *where,
    struct report_service *sv)
{
	char w[WHERE_MAX], ew[WHERE_MAX];
	const char *s;
	json_t *a;
	size_t i, n;

	if ((a = json_object_get(o, "dependents")) == NULL)
		return 0;
	child(w, where, "dependents");
	if (!json_is_array(a))
		return bad(l, w, "expected an array of service names, found %s",
		    kind(a));
	n = json_array_size(a);
	if (n == 0)
		return 0;
	if ((sv->dependents = calloc(n, sizeof(char *))) == NULL)
		return cm_err_nomem(l->err);
	for (i = 0; i < n; i++) {
		elem(ew, w, i);
		s = json_string_value(json_array_get(a, i));
		if (s == NULL || *s == '\0')
			return bad(l, ew, "expected a service name");
		if (dup_string(l, s, &sv->dependents[i]) != 0)
			return -1;
		sv->ndependents++;
	}
	return 0;
}

static int
parse_service(struct ld *l, const json_t *o, size_t i,
    struct report_service *sv)
{
	char w[WHERE_MAX], fw[WHERE_MAX];
	const char *str;
	json_int_t t;

	elem(w, "services", i);
	if (!json_is_object(o))
		return bad(l, w, "expected an object, found %s", kind(o));
	sv->stop_ms = sv->start_ms = -1;
	if (get_string(l, o, w, "name", 0, &str) != 0)
		return -1;
	if (*str == '\0') {
		child(fw, w, "name");
		return bad(l, fw, "empty service name");
	}
	if (dup_string(l, str, &sv->name) != 0 ||
	    get_enum(l, o, w, "action", svc_actions, 1, &sv->action) != 0 ||
	    parse_status(l, o, w, "before", &sv->before_known,
	    &sv->before) != 0 ||
	    parse_status(l, o, w, "after", &sv->after_known, &sv->after) != 0 ||
	    get_ms(l, o, w, "stop_ms", &sv->stop_ms) != 0 ||
	    get_ms(l, o, w, "start_ms", &sv->start_ms) != 0)
		return -1;
	/* The timeouts were added to the contract: default them as a profile
	 * does when a report leaves them out. */
	if (get_int(l, o, w, "stop_timeout_ms", 0, 0, UINT_MAX,
	    PROFILE_STOP_TIMEOUT_MS, &t) != 0)
		return -1;
	sv->stop_timeout_ms = (unsigned)t;
	if (get_int(l, o, w, "start_timeout_ms", 0, 0, UINT_MAX,
	    PROFILE_START_TIMEOUT_MS, &t) != 0)
		return -1;
	sv->start_timeout_ms = (unsigned)t;
	if (parse_dependents(l, o, w, sv) != 0 ||
	    get_enum(l, o, w, "state", svc_states, 0, &sv->state) != 0)
		return -1;
	return 0;
}

/* An array member; *n its size. */
static int
get_array(struct ld *l, const json_t *o, const char *key, json_t **a)
{
	if (member(l, o, "", key, 1, a) != 0)
		return -1;
	if (!json_is_array(*a))
		return bad(l, key, "expected an array, found %s", kind(*a));
	return 0;
}

static int
parse_settings(struct ld *l, const json_t *root, struct report *r)
{
	char w[WHERE_MAX];
	json_t *a;
	size_t i, k, n;
	struct report_setting *s;

	if (get_array(l, root, "settings", &a) != 0)
		return -1;
	if ((n = json_array_size(a)) == 0)
		return 0;
	if ((r->settings = calloc(n, sizeof(*r->settings))) == NULL)
		return cm_err_nomem(l->err);
	for (i = 0; i < n; i++) {
		/* Counted first so that report_free frees a half-filled
		 * entry. */
		r->nsettings++;
		s = &r->settings[i];
		if (parse_setting(l, json_array_get(a, i), i, s) != 0)
			return -1;
		/* The registry is case-insensitive: two entries for one
		 * value would make a revert write it twice. */
		for (k = 0; k < i; k++)
			if (r->settings[k].view == s->view &&
			    text_casecmp(r->settings[k].key, s->key) == 0 &&
			    text_casecmp(r->settings[k].value, s->value) == 0) {
				elem(w, "settings", i);
				return bad(l, w,
				    "the same value as settings[%zu]", k);
			}
	}
	return 0;
}

static int
parse_services(struct ld *l, const json_t *root, struct report *r)
{
	char w[WHERE_MAX];
	json_t *a;
	size_t i, k, n;

	if (get_array(l, root, "services", &a) != 0)
		return -1;
	if ((n = json_array_size(a)) == 0)
		return 0;
	if ((r->services = calloc(n, sizeof(*r->services))) == NULL)
		return cm_err_nomem(l->err);
	for (i = 0; i < n; i++) {
		r->nservices++;
		if (parse_service(l, json_array_get(a, i), i,
		    &r->services[i]) != 0)
			return -1;
		for (k = 0; k < i; k++)
			if (text_casecmp(r->services[k].name,
			    r->services[i].name) == 0) {
				elem(w, "services", i);
				return bad(l, w, "the same service as "
				    "services[%zu]", k);
			}
	}
	return 0;
}

static int
parse_errors(struct ld *l, const json_t *root, struct report *r)
{
	char w[WHERE_MAX];
	const char *step, *msg;
	json_t *a, *e;
	size_t i;

	if (get_array(l, root, "errors", &a) != 0)
		return -1;
	json_array_foreach(a, i, e) {
		elem(w, "errors", i);
		if (!json_is_object(e))
			return bad(l, w, "expected an object, found %s",
			    kind(e));
		if (get_string(l, e, w, "step", 0, &step) != 0 ||
		    get_string(l, e, w, "message", 0, &msg) != 0)
			return -1;
		if (report_add_error(r, step, msg) != 0)
			return cm_err_nomem(l->err);
	}
	return 0;
}

/* "started_ms": optional (older reports lack it), a number when there. */
static int
get_started_ms(struct ld *l, const json_t *root, struct report *r)
{
	const json_t *j = json_object_get(root, "started_ms");

	if (j == NULL || json_is_null(j))
		return 0;
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return bad(l, "started_ms", "expected a number of "
		    "milliseconds, found %s", kind(j));
	r->started_ms = (unsigned long long)json_integer_value(j);
	return 0;
}

/* A string member that may be left out, but is never null or empty when
 * present. */
static int
get_optional(struct ld *l, const json_t *root, const char *key, char **out)
{
	const char *s;

	*out = NULL;
	if (json_object_get(root, key) == NULL)
		return 0;
	if (get_string(l, root, "", key, 0, &s) != 0)
		return -1;
	if (*s == '\0')
		return bad(l, key, "empty");
	return dup_string(l, s, out);
}

static int
parse_report(struct ld *l, const json_t *root, struct report *r)
{
	const char *s;
	json_t *prof;

	if (get_string(l, root, "", "tool", 0, &s) != 0)
		return -1;
	if (strcmp(s, REPORT_TOOL) != 0)
		return bad(l, "tool", "\"%s\": not a cmremedy report", s);
	if (get_enum(l, root, "", "command", commands, 1, &s) != 0 ||
	    dup_string(l, s, &r->command) != 0 ||
	    get_bool(l, root, "", "dry_run", 1, 0, &r->dry_run) != 0 ||
	    get_enum(l, root, "", "toggle_to", toggles, 0, &r->toggle_to) != 0)
		return -1;
	if (json_object_get(root, "reverts") != NULL &&
	    (get_string(l, root, "", "reverts", 1, &s) != 0 ||
	    dup_string(l, s, &r->reverts) != 0))
		return -1;
	if (member(l, root, "", "profile", 1, &prof) != 0)
		return -1;
	if (!json_is_object(prof))
		return bad(l, "profile", "expected an object, found %s",
		    kind(prof));
	if (get_string(l, prof, "profile", "name", 0, &s) != 0 ||
	    dup_string(l, s, &r->profile_name) != 0 ||
	    get_string(l, prof, "profile", "path", 0, &s) != 0 ||
	    dup_string(l, s, &r->profile_path) != 0 ||
	    get_string(l, root, "", "backend", 0, &s) != 0 ||
	    dup_string(l, s, &r->backend) != 0 ||
	    get_optional(l, root, "machine", &r->machine) != 0 ||
	    get_optional(l, root, "recovered", &r->recovered) != 0 ||
	    get_time(l, root, "started", &r->started) != 0 ||
	    get_time(l, root, "finished", &r->finished) != 0 ||
	    get_started_ms(l, root, r) != 0 ||
	    (json_object_get(root, "expires") != NULL &&
	    !json_is_null(json_object_get(root, "expires")) &&
	    get_time(l, root, "expires", &r->expires) != 0) ||
	    get_enum(l, root, "", "outcome", outcomes, 1, &r->outcome) != 0 ||
	    parse_settings(l, root, r) != 0 ||
	    parse_services(l, root, r) != 0 ||
	    get_string(l, root, "", "backup", 1, &s) != 0 ||
	    dup_string(l, s, &r->backup) != 0 ||
	    parse_errors(l, root, r) != 0)
		return -1;
	return 0;
}

static int
blank(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n')
			return 0;
	return 1;
}

/* Set when an allocation jansson asked for failed (load_json), and the
 * allocator that was installed before. */
static int json_alloc_failed;
static json_malloc_t json_next_malloc;

static void *
json_malloc(size_t n)
{
	void *p = json_next_malloc(n);

	if (p == NULL)
		json_alloc_failed = 1;
	return p;
}

/* json_loadb, telling an allocation failure from a syntax error: jansson's
 * lexer reports a string it could not allocate as "invalid token", so its
 * allocator is watched while it parses (cmremedy is single-threaded). */
static json_t *
load_json(const unsigned char *buf, size_t len, json_error_t *je,
    int *nomem)
{
	json_malloc_t old_malloc;
	json_free_t old_free;
	json_t *root;

	json_get_alloc_funcs(&old_malloc, &old_free);
	json_next_malloc = old_malloc;
	json_set_alloc_funcs(json_malloc, old_free);
	json_alloc_failed = 0;
	root = json_loadb((const char *)buf, len,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, je);
	*nomem = json_alloc_failed;
	json_set_alloc_funcs(old_malloc, old_free);
	return root;
}

int
report_load(const char *path, struct report **out, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	*out = NULL;
	/* sys_read_file rather than json_load_file: the same size limit and
	 * messages as every other input.  A report that cannot be read is a
	 * bad argument to `revert` (exit 2), not a machine failure. */
	if (sys_read_file(path, &buf, &len, err) != 0) {
		if (err != NULL && err->kind == CM_ERR_SYSTEM)
			err->kind = CM_ERR_INPUT;
		return -1;
	}
	rc = report_parse(path, buf, len, out, err);
	free(buf);
	return rc;
}

int
report_parse(const char *path, const unsigned char *buf, size_t len,
    struct report **out, struct cm_err *err)
{
	struct ld l = { path, err };
	const unsigned char *nul, *p;
	size_t line = 1;
	json_error_t je;
	json_t *root;
	struct report *r;
	int rc, nomem;

	*out = NULL;
	if (blank(buf, len))
		return bad(&l, "", "empty file: expected a cmremedy JSON "
		    "report");
	/* jansson would call a NUL byte "invalid token near end of file". */
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		for (p = buf; p < nul; p++)
			line += *p == '\n';
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s:%zu: NUL byte: a "
		    "binary file, not a JSON report", path, line);
	}
	root = load_json(buf, len, &je, &nomem);
	/* jansson names every syntax error; a failure without a text is its
	 * lexer failing to allocate before it read anything. */
	if (root == NULL && (nomem ||
	    json_error_code(&je) == json_error_out_of_memory ||
	    je.text[0] == '\0'))
		return cm_err_nomem(err);
	if (root == NULL)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s:%d:%d: %s", path,
		    je.line, je.column, je.text);
	if (!json_is_object(root)) {
		rc = bad(&l, "", "expected a JSON object (a cmremedy report), "
		    "found %s", kind(root));
		json_decref(root);
		return rc;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		json_decref(root);
		return cm_err_nomem(err);
	}
	rc = parse_report(&l, root, r);
	json_decref(root);
	if (rc != 0) {
		report_free(r);
		return -1;
	}
	*out = r;
	return 0;
}
