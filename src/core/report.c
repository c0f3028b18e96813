// SPDX-License-Identifier: ISC
/* report.c - the report's lifetime, its times, and its JSON form (built with
 * jansson, never by hand). */
#include "report.h"

#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/jsonw.h"
#include "util/mem.h"
#include "util/sysutil.h"
#include "util/utctime.h"
#include "util/utf.h"

#ifndef CM_VERSION
#define CM_VERSION "0.0.0"
#endif

static void
value_free(struct report_value *rv)
{
	regval_free(&rv->value);
}

void
report_free(struct report *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	free(r->command);
	free(r->profile_name);
	free(r->profile_path);
	free(r->backend);
	free(r->machine);
	free(r->recovered);
	free(r->reverts);
	for (i = 0; i < r->nsettings; i++) {
		free(r->settings[i].key);
		free(r->settings[i].value);
		value_free(&r->settings[i].before);
		value_free(&r->settings[i].desired);
		value_free(&r->settings[i].after);
	}
	free(r->settings);
	for (i = 0; i < r->nservices; i++) {
		free(r->services[i].name);
		for (j = 0; j < r->services[i].ndependents; j++)
			free(r->services[i].dependents[j]);
		free(r->services[i].dependents);
	}
	free(r->services);
	free(r->backup);
	for (i = 0; i < r->nerrors; i++) {
		free(r->errors[i].step);
		free(r->errors[i].message);
	}
	free(r->errors);
	free(r);
}

int
report_add_error(struct report *r, const char *step, const char *msg)
{
	struct report_error *ne;
	char *s, *m;

	s = strdup(step);
	m = strdup(msg);
	ne = mem_grow(r->errors, &r->caperrors, r->nerrors + 1, sizeof(*ne));
	if (s == NULL || m == NULL || ne == NULL) {
		free(s);
		free(m);
		return -1;
	}
	r->errors = ne;
	r->errors[r->nerrors].step = s;
	r->errors[r->nerrors].message = m;
	r->nerrors++;
	return 0;
}

/* ---- times ---- */

void
report_format_time(time_t t, char buf[32])
{
	utc_format(t, buf);
}

/* Only the exact form report_format_time writes is a report time. */
int
report_parse_time(const char *s, time_t *t)
{
	if (strlen(s) != UTC_STRLEN - 1 || s[10] != 'T' || s[19] != 'Z')
		return -1;
	/* utc_parse lets logs carry a leap second; the tool never writes
	 * one. */
	if (s[17] == '6')
		return -1;
	return utc_parse(s, t);
}

/* ---- type names ---- */

const char *
report_type_name(uint32_t type, char buf[REPORT_TYPE_NAME_MAX])
{
	const char *n = regtype_name(type);

	if (n != NULL)
		return n;
	snprintf(buf, REPORT_TYPE_NAME_MAX, "hex(%" PRIx32 ")", type);
	return buf;
}

int
report_type_parse(const char *name, uint32_t *type)
{
	const char *n;
	uint32_t i, v = 0;
	size_t k, len = strlen(name);

	for (i = 0; i <= REGT_QWORD; i++)
		if ((n = regtype_name(i)) != NULL && strcmp(n, name) == 0) {
			*type = i;
			return 0;
		}
	/* hex(N): 1 to 8 lowercase hex digits, no leading zero, as written. */
	if (len < 6 || len > 13 || strncmp(name, "hex(", 4) != 0 ||
	    name[len - 1] != ')' || (name[4] == '0' && len > 6))
		return -1;
	for (k = 4; k < len - 1; k++) {
		if (name[k] >= '0' && name[k] <= '9')
			v = v * 16 + (uint32_t)(name[k] - '0');
		else if (name[k] >= 'a' && name[k] <= 'f')
			v = v * 16 + (uint32_t)(name[k] - 'a' + 10);
		else
			return -1;
	}
	/* A type with a name must be written by its name: one spelling each. */
	if (regtype_name(v) != NULL)
		return -1;
	*type = v;
	return 0;
}

/* ---- JSON out ---- */

/* Data (keys, value names, registry strings) must be exact, or a revert
 * would act on another value: text that is not UTF-8 is an error. */
static json_t *
jdata(struct jsonw *w, const char *s, size_t n, size_t i, const char *what)
{
	json_t *j;

	if (w->failed)
		return NULL;
	if (!utf8_valid(s, n)) {
		cm_err_set(w->err, CM_ERR_INPUT, 0,
		    "report: settings[%zu].%s: not valid UTF-8", i, what);
		w->failed = 1;
		return NULL;
	}
	if ((j = json_stringn(s, n)) == NULL)
		jsonw_nomem(w);
	return j;
}

static size_t
bounded_len(const struct regval *v)
{
	const unsigned char *z;

	if (v->len == 0 || v->data == NULL)
		return 0;
	z = memchr(v->data, '\0', v->len);
	return z != NULL ? (size_t)(z - v->data) : v->len;
}

/* The JSON data of a value, by its type (see report.h's contract). */
static json_t *
jvalue_data(struct jsonw *w, const struct regval *v, size_t i, const char *what)
{
	json_t *a;
	const char *p;
	char *hex, num[32];

	switch (v->type) {
	case REGT_DWORD:
		return json_integer((json_int_t)v->num);
	case REGT_QWORD:
		/* json_int_t is a long long: above INT64_MAX a number would
		 * wrap or lose precision, so such a QWORD is a decimal
		 * string (report_load accepts both). */
		if (v->num <= INT64_MAX)
			return json_integer((json_int_t)v->num);
		snprintf(num, sizeof(num), "%" PRIu64, v->num);
		return json_string(num);
	case REGT_SZ:
	case REGT_EXPAND_SZ:
		return jdata(w, v->data != NULL ? (const char *)v->data : "",
		    bounded_len(v), i, what);
	case REGT_MULTI_SZ:
		if ((a = json_array()) == NULL)
			return NULL;
		for (p = regval_multi_first(v); p != NULL;
		    p = regval_multi_next(v, p))
			if (jsonw_push(w, a, jdata(w, p, strlen(p), i,
			    what)) != 0) {
				json_decref(a);
				return NULL;
			}
		return a;
	default:
		if ((hex = regval_hex(v->data, v->len)) == NULL)
			return NULL;
		a = json_string(hex);
		free(hex);
		return a;
	}
}

/* One side of a setting: null (not observed), {"exists": false} or
 * {"exists": true, "data": ...}, exactly as in the contract (checks may
 * compare a side whole); "type" only when it differs from the setting's.
 * "desired" leaves out "exists": true, as the contract does. */
static json_t *
jside(struct jsonw *w, const struct report_setting *s, size_t i,
    const struct report_value *rv, const char *what)
{
	json_t *o;
	char tbuf[REPORT_TYPE_NAME_MAX];
	int is_desired = strcmp(what, "desired") == 0;

	if (!rv->known)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	if (!is_desired || !rv->exists)
		jsonw_set(w, o, "exists", json_boolean(rv->exists));
	if (rv->exists) {
		if (rv->value.type != s->type)
			jsonw_set(w, o, "type", json_string(report_type_name(
			    rv->value.type, tbuf)));
		jsonw_set(w, o, "data", jvalue_data(w, &rv->value, i, what));
	}
	if (w->failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
report_side_to_json(const struct report_value *rv, uint32_t setting_type,
    struct cm_err *err)
{
	struct jsonw w = { err, 0 };
	struct report_setting s;
	json_t *o;

	memset(&s, 0, sizeof(s));
	s.type = setting_type;
	if ((o = jside(&w, &s, 0, rv, "after")) == NULL && !w.failed)
		cm_err_nomem(err);
	return o;
}

static json_t *
jsetting(struct jsonw *w, const struct report_setting *s, size_t i)
{
	json_t *o;
	char tbuf[REPORT_TYPE_NAME_MAX];

	assert(s->key != NULL && s->value != NULL);
	if ((o = json_object()) == NULL)
		return NULL;
	jsonw_set(w, o, "key", jdata(w, s->key, strlen(s->key), i, "key"));
	jsonw_set(w, o, "value", jdata(w, s->value, strlen(s->value), i,
	    "value"));
	jsonw_set(w, o, "type", json_string(report_type_name(s->type, tbuf)));
	jsonw_set(w, o, "view", json_integer(s->view));
	jsonw_set(w, o, "key_existed", json_boolean(s->key_existed));
	if (s->keys_created > 0)
		jsonw_set(w, o, "keys_created", json_integer(s->keys_created));
	jsonw_set(w, o, "before", jside(w, s, i, &s->before, "before"));
	jsonw_set(w, o, "desired", jside(w, s, i, &s->desired, "desired"));
	jsonw_set(w, o, "after", jside(w, s, i, &s->after, "after"));
	jsonw_set(w, o, "action", jsonw_text(s->action));
	if (s->state != NULL)
		jsonw_set(w, o, "state", json_string(s->state));
	if (w->failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
jstatus(struct jsonw *w, int known, const struct svc_status *st)
{
	json_t *o;

	if (!known)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	jsonw_set(w, o, "state", json_string(svc_state_name(st->state)));
	jsonw_set(w, o, "pid", json_integer((json_int_t)st->pid));
	if (w->failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A measured time, or null for a step that was not done (-1): a dry run,
 * or a stop that failed before the start. */
static json_t *
jms(long ms)
{
	return ms < 0 ? json_null() : json_integer(ms);
}

static json_t *
jservice(struct jsonw *w, const struct report_service *sv)
{
	json_t *o, *deps;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	jsonw_set(w, o, "name", jsonw_text(sv->name));
	jsonw_set(w, o, "action", jsonw_text(sv->action));
	jsonw_set(w, o, "before", jstatus(w, sv->before_known, &sv->before));
	jsonw_set(w, o, "after", jstatus(w, sv->after_known, &sv->after));
	jsonw_set(w, o, "stop_ms", jms(sv->stop_ms));
	jsonw_set(w, o, "start_ms", jms(sv->start_ms));
	jsonw_set(w, o, "stop_timeout_ms", json_integer(sv->stop_timeout_ms));
	jsonw_set(w, o, "start_timeout_ms", json_integer(sv->start_timeout_ms));
	if ((deps = json_array()) == NULL)
		jsonw_nomem(w);
	for (i = 0; deps != NULL && i < sv->ndependents; i++)
		jsonw_push(w, deps, jsonw_text(sv->dependents[i]));
	jsonw_set(w, o, "dependents", deps);
	if (sv->state != NULL)
		jsonw_set(w, o, "state", json_string(sv->state));
	if (w->failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The whole report as a jansson tree, keys in contract order: jansson
 * keeps insertion order (JSON_PRESERVE_ORDER is the default since 2.8). */
static json_t *
jreport(struct jsonw *w, const struct report *r)
{
	json_t *o, *prof, *arr, *e;
	size_t i;

	if ((o = json_object()) == NULL) {
		jsonw_nomem(w);
		return NULL;
	}
	jsonw_set(w, o, "tool", json_string(REPORT_TOOL));
	jsonw_set(w, o, "version", json_string(CM_VERSION));
	jsonw_set(w, o, "command", jsonw_text(r->command));
	jsonw_set(w, o, "dry_run", json_boolean(r->dry_run));
	if (r->toggle_to != NULL)
		jsonw_set(w, o, "toggle_to", json_string(r->toggle_to));
	if (r->reverts != NULL)
		jsonw_set(w, o, "reverts", jsonw_text(r->reverts));
	if ((prof = json_object()) != NULL) {
		jsonw_set(w, prof, "name", jsonw_text(r->profile_name));
		jsonw_set(w, prof, "path", jsonw_text(r->profile_path));
	}
	jsonw_set(w, o, "profile", prof);
	jsonw_set(w, o, "backend", jsonw_text(r->backend));
	if (r->machine != NULL)
		jsonw_set(w, o, "machine", jsonw_text(r->machine));
	if (r->recovered != NULL)
		jsonw_set(w, o, "recovered", jsonw_text(r->recovered));
	jsonw_set(w, o, "started", jsonw_time(r->started));
	jsonw_set(w, o, "finished", jsonw_time(r->finished));
	if (r->expires != 0)
		jsonw_set(w, o, "expires", jsonw_time(r->expires));
	if (r->started_ms != 0)
		jsonw_set(w, o, "started_ms",
		    json_integer((json_int_t)r->started_ms));
	jsonw_set(w, o, "outcome", jsonw_text(r->outcome));
	/* check's verdict, beside an outcome from the common list. */
	if (r->command != NULL && strcmp(r->command, "check") == 0)
		jsonw_set(w, o, "compliant", json_boolean(r->compliant));

	if ((arr = json_array()) == NULL)
		jsonw_nomem(w);
	for (i = 0; arr != NULL && i < r->nsettings && !w->failed; i++)
		jsonw_push(w, arr, jsetting(w, &r->settings[i], i));
	jsonw_set(w, o, "settings", arr);

	if ((arr = json_array()) == NULL)
		jsonw_nomem(w);
	for (i = 0; arr != NULL && i < r->nservices && !w->failed; i++)
		jsonw_push(w, arr, jservice(w, &r->services[i]));
	jsonw_set(w, o, "services", arr);

	jsonw_set(w, o, "backup", jsonw_text(r->backup));

	if ((arr = json_array()) == NULL)
		jsonw_nomem(w);
	for (i = 0; arr != NULL && i < r->nerrors && !w->failed; i++) {
		if ((e = json_object()) != NULL) {
			jsonw_set(w, e, "step", jsonw_text(r->errors[i].step));
			jsonw_set(w, e, "message",
			    jsonw_text(r->errors[i].message));
		}
		jsonw_push(w, arr, e);
	}
	jsonw_set(w, o, "errors", arr);
	if (w->failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *
report_to_json(const struct report *r, struct cm_err *err)
{
	struct jsonw w = { err, 0 };
	json_t *root;
	char *s, *out;
	size_t n;

	if ((root = jreport(&w, r)) == NULL)
		return NULL;
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL) {
		cm_err_nomem(err);
		return NULL;
	}
	/* json_dumps leaves out the final newline a text file wants. */
	n = strlen(s);
	if ((out = malloc(n + 2)) == NULL) {
		jsonw_free(s);
		cm_err_nomem(err);
		return NULL;
	}
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	jsonw_free(s);
	return out;
}

int
report_write(const struct report *r, const char *path, struct cm_err *err)
{
	char *s;
	int rc;

	if ((s = report_to_json(r, err)) == NULL)
		return -1;
	rc = sys_write_atomic(path, s, strlen(s), err);
	free(s);
	return rc;
}
