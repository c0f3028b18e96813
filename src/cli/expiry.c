// SPDX-License-Identifier: ISC
/* expiry.c - `status`, `expire`, and the schedule behind --for. */
#include "expiry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "backend/backend.h"
#include "cmd.h"
#include "core/ledger.h"
#include "runlog.h"
#include "schedule.h"
#include "util/cmlog.h"
#include "util/jsonw.h"
#include "util/utctime.h"

/* What status and expire both start from. */
struct view {
	struct backend *b;
	char *dir;            /* the reports folder */
	struct ledger lg;
};

static void
view_close(struct view *v)
{
	ledger_free(&v->lg);
	backend_close(v->b);
	free(v->dir);
}

static int
view_open(const struct cli *c, struct view *v, FILE *errout)
{
	struct cm_err err;
	int system_wide;

	memset(v, 0, sizeof(*v));
	if (backend_open(c->backend, &v->b, &err) != 0)
		goto fail;
	if ((v->dir = cmd_default_report_dir(&system_wide)) == NULL) {
		cm_err_nomem(&err);
		goto fail;
	}
	if (ledger_load(v->dir, v->b->spec, &v->lg, &err) != 0)
		goto fail;
	return 0;
fail:
	fprintf(errout, "cmremedy: %s\n", err.msg);
	view_close(v);
	return cli_exit_for(err.kind);
}

/* A report time, or null for none (0). */
static json_t *
jtime_or_null(time_t t)
{
	return t == 0 ? json_null() : jsonw_time(t);
}

static json_t *
status_setting(const struct ledger_entry *e, const struct ledger_setting *ls,
    struct cm_err *err)
{
	const struct report_setting *s = &e->rep->settings[ls->index];
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "key", jsonw_text(s->key));
	json_object_set_new(o, "value", jsonw_text(s->value));
	json_object_set_new(o, "applied", report_side_to_json(&s->after,
	    s->type, err));
	json_object_set_new(o, "current", report_side_to_json(&ls->current,
	    s->type, err));
	json_object_set_new(o, "drifted", json_boolean(ls->drifted));
	return o;
}

static json_t *
status_entry(const struct ledger_entry *e, struct cm_err *err)
{
	json_t *o = json_object(), *a = json_array();
	struct schedule_task st;
	size_t i;

	if (o == NULL || a == NULL) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	json_object_set_new(o, "report", jsonw_text(e->path));
	json_object_set_new(o, "profile", jsonw_text(e->rep->profile_name));
	json_object_set_new(o, "command", jsonw_text(e->rep->command));
	json_object_set_new(o, "applied", jtime_or_null(e->rep->finished));
	json_object_set_new(o, "expires", jtime_or_null(e->rep->expires));
	/* Windows: the task that will run expire, as the Task Scheduler
	 * has it (null: none registered). */
	if (schedule_query(e->path, &st)) {
		json_t *t = st.exists ? json_object() : json_null();

		if (st.exists && t != NULL) {
			json_object_set_new(t, "name", jsonw_text(st.name));
			json_object_set_new(t, "start", jsonw_text(st.start));
			json_object_set_new(t, "user", jsonw_text(st.user));
			json_object_set_new(t, "program", jsonw_text(st.path));
			json_object_set_new(t, "arguments",
			    jsonw_text(st.args));
		}
		json_object_set_new(o, "task", t);
	}
	for (i = 0; i < e->nsettings; i++)
		json_array_append_new(a, status_setting(e, &e->settings[i],
		    err));
	json_object_set_new(o, "settings", a);
	return o;
}

static json_t *
status_interrupted(const struct ledger *lg)
{
	const struct ledger_entry *e;
	json_t *o;

	if (lg->ninterrupted == 0)
		return json_null();
	/* The newest: an older one was overtaken by it. */
	e = &lg->interrupted[lg->ninterrupted - 1];
	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "report", jsonw_text(e->path));
	json_object_set_new(o, "profile", jsonw_text(e->rep->profile_name));
	json_object_set_new(o, "command", jsonw_text(e->rep->command));
	json_object_set_new(o, "started", jtime_or_null(e->rep->started));
	return o;
}

static int
status_json(const struct view *v, FILE *out, FILE *errout)
{
	json_t *root = json_object(), *a = json_array(), *sk = json_array();
	struct cm_err err;
	size_t i;
	char *s;

	cm_err_clear(&err);
	if (root == NULL || a == NULL || sk == NULL) {
		json_decref(root);
		json_decref(a);
		json_decref(sk);
		fprintf(errout, "cmremedy: out of memory\n");
		return EXIT_SYSTEM;
	}
	json_object_set_new(root, "backend", jsonw_text(v->b->spec));
	json_object_set_new(root, "reports", jsonw_text(v->dir));
	for (i = 0; i < v->lg.nactive; i++)
		json_array_append_new(a, status_entry(&v->lg.active[i], &err));
	json_object_set_new(root, "active", a);
	json_object_set_new(root, "interrupted", status_interrupted(&v->lg));
	for (i = 0; i < v->lg.nskipped; i++)
		json_array_append_new(sk, jsonw_text(v->lg.skipped[i]));
	json_object_set_new(root, "skipped", sk);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL || err.kind != CM_ERR_NONE) {
		jsonw_free(s);
		fprintf(errout, "cmremedy: %s\n", err.kind != CM_ERR_NONE ?
		    err.msg : "out of memory");
		return EXIT_SYSTEM;
	}
	fprintf(out, "%s\n", s);
	jsonw_free(s);
	return EXIT_OK;
}

/* A side as a person reads it. */
static void
side_text(FILE *out, const struct report_value *rv)
{
	char *f;

	if (!rv->known)
		fputs("unreadable", out);
	else if (!rv->exists)
		fputs("(absent)", out);
	else if ((f = regval_format(&rv->value)) != NULL) {
		fputs(f, out);
		free(f);
	} else
		fputs("?", out);
}

static void
status_text(const struct view *v, FILE *out)
{
	struct schedule_task st;
	char t[UTC_STRLEN];
	size_t k, i;

	if (v->lg.nactive == 0)
		fprintf(out, "no active changes on %s\n", v->b->spec);
	for (k = 0; k < v->lg.nactive; k++) {
		const struct ledger_entry *e = &v->lg.active[k];

		utc_format(e->rep->finished, t);
		fprintf(out, "%s %s at %s, ", e->rep->command,
		    e->rep->profile_name, t);
		if (e->rep->expires != 0) {
			utc_format(e->rep->expires, t);
			fprintf(out, "expires %s\n", t);
		} else
			fprintf(out, "does not expire\n");
		for (i = 0; i < e->nsettings; i++) {
			const struct ledger_setting *ls = &e->settings[i];
			const struct report_setting *s =
			    &e->rep->settings[ls->index];

			fprintf(out, "  %s\\%s: applied ", s->key,
			    *s->value ? s->value : "(Default)");
			side_text(out, &s->after);
			fputs(", now ", out);
			side_text(out, &ls->current);
			fputs(ls->drifted ? "  DRIFTED\n" : "\n", out);
		}
		if (schedule_query(e->path, &st))
			fprintf(out, "  scheduled task: %s\n", st.exists ?
			    st.name : "none");
		if (st.exists)
			fprintf(out, "    runs %s %s as %s at %s\n", st.path,
			    st.args, st.user, st.start);
		fprintf(out, "  report: %s\n", e->path);
	}
	if (v->lg.ninterrupted > 0) {
		const struct ledger_entry *e =
		    &v->lg.interrupted[v->lg.ninterrupted - 1];

		utc_format(e->rep->started, t);
		fprintf(out, "interrupted: %s %s started %s and never "
		    "finished; its report: %s\n", e->rep->command,
		    e->rep->profile_name, t, e->path);
	}
	for (i = 0; i < v->lg.nskipped; i++)
		fprintf(out, "skipped: %s\n", v->lg.skipped[i]);
}

int
expiry_status(const struct cli *c, FILE *out, FILE *errout)
{
	struct view v;
	struct cm_err err;
	size_t k, i, drifted = 0;
	char *log;
	int rc;

	if ((rc = view_open(c, &v, errout)) != 0)
		return rc;
	log = runlog_open(v.dir, c, errout);
	if (ledger_observe(v.b, &v.lg, &err) != 0) {
		fprintf(errout, "cmremedy: %s\n", err.msg);
		view_close(&v);
		return EXIT_SYSTEM;
	}
	if (c->json)
		rc = status_json(&v, out, errout);
	else
		status_text(&v, out);
	for (k = 0; k < v.lg.nactive; k++)
		for (i = 0; i < v.lg.active[k].nsettings; i++)
			drifted += v.lg.active[k].settings[i].drifted != 0;
	runlog_printf(log, errout, drifted ? CMLOG_WARNING : CMLOG_INFO,
	    "status: %zu active, %zu setting(s) drifted%s; outcome: exit %d",
	    v.lg.nactive, drifted, v.lg.ninterrupted ? ", a run was "
	    "interrupted" : "", rc);
	free(log);
	view_close(&v);
	return rc;
}

/* Exit codes as revert has them, the worst first. */
static int
worse(int a, int b)
{
	static const int rank[] = { 0, 0, 2, 3, 4, 5 };   /* by exit code */
	int ra = a >= 0 && a <= 5 ? rank[a] : 6;
	int rb = b >= 0 && b <= 5 ? rank[b] : 6;

	return rb > ra ? b : a;
}

int
expiry_expire(const struct cli *c, FILE *out, FILE *errout)
{
	struct view v;
	time_t now = time(NULL);
	json_t *root = NULL, *arr = NULL;
	char t[UTC_STRLEN], *log;
	size_t k, due = 0;
	int rc;

	if (c->now != NULL && utc_parse(c->now, &now) != 0) {
		fprintf(errout, "cmremedy: --now '%s': want YYYY-MM-DD, "
		    "YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SSZ (UTC)\n",
		    c->now);
		return EXIT_USAGE;
	}
	if ((rc = view_open(c, &v, errout)) != 0)
		return rc;
	for (k = 0; k < v.lg.nactive; k++)
		due += v.lg.active[k].rep->expires != 0 &&
		    v.lg.active[k].rep->expires <= now;
	utc_format(now, t);
	if (c->json && ((root = json_object()) == NULL ||
	    (arr = json_array()) == NULL)) {
		json_decref(root);
		view_close(&v);
		fprintf(errout, "cmremedy: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (due == 0 && !c->json)
		fprintf(out, "nothing to expire on %s at %s\n", v.b->spec, t);
	/* Only a run that does something leaves a trace: a timer may call
	 * expire often. */
	if (due > 0 && (log = runlog_open(v.dir, c, errout)) != NULL) {
		runlog_printf(log, errout, CMLOG_INFO, "expire: %zu change(s) "
		    "expired at %s%s", due, t, c->dry_run ? " (dry run)" : "");
		free(log);
	}
	for (k = 0; k < v.lg.nactive; k++) {
		const struct ledger_entry *e = &v.lg.active[k];
		struct cli rv;
		char et[UTC_STRLEN], *written = NULL;
		FILE *sink = out;
		int one;
		json_t *o;

		if (e->rep->expires == 0 || e->rep->expires > now)
			continue;
		utc_format(e->rep->expires, et);
		/* The revert a person would type, with this run's options. */
		memset(&rv, 0, sizeof(rv));
		rv.cmd = CMD_REVERT;
		rv.target = e->path;
		rv.backend = c->backend;
		rv.dry_run = c->dry_run;
		if (!c->json)
			fprintf(out, "%s: %s %s expired at %s\n",
			    c->dry_run ? "would revert" : "reverting",
			    e->rep->command, e->rep->profile_name, et);
		/* --json prints one document: the reverts' own output goes
		 * to a scratch file, their reports stay on disk. */
		else if ((sink = tmpfile()) == NULL)
			sink = errout;
		one = cmd_run_report(&rv, sink, errout, &written);
		rc = worse(rc, one);
		if (c->json) {
			if (sink != errout)
				fclose(sink);
			if ((o = json_object()) != NULL) {
				json_object_set_new(o, "report",
				    jsonw_text(e->path));
				json_object_set_new(o, "expires",
				    json_string(et));
				json_object_set_new(o, "revert_report",
				    jsonw_text(written));
				json_object_set_new(o, "exit",
				    json_integer(one));
			}
			json_array_append_new(arr, o);
		}
		free(written);
	}
	if (c->json) {
		char *s;

		json_object_set_new(root, "backend", jsonw_text(v.b->spec));
		json_object_set_new(root, "now", json_string(t));
		json_object_set_new(root, "dry_run", json_boolean(c->dry_run));
		json_object_set_new(root, "expired", arr);
		if ((s = json_dumps(root, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER)) != NULL)
			fprintf(out, "%s\n", s);
		else
			rc = worse(rc, EXIT_SYSTEM);
		jsonw_free(s);
		json_decref(root);
	}
	view_close(&v);
	return rc;
}
