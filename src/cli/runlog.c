// SPDX-License-Identifier: ISC
/* runlog.c - a run's steps as CMTrace records in cmremedy.log. */
#include "runlog.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_text.h"
#include "util/cmlog.h"
#include "util/text.h"

char *
runlog_open(const char *dir, const struct cli *c, FILE *errout)
{
	struct stat st;
	char *log;

	/* No folder: nothing was ever recorded here, and a command that
	 * changes nothing does not make one. */
	if (dir == NULL || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	if ((log = text_path_join(dir, "cmremedy.log")) == NULL) {
		fprintf(errout, "cmremedy: warning: no log: out of memory\n");
		return NULL;
	}
	runlog_printf(log, errout, CMLOG_INFO, "%s%s%s on %s: started%s",
	    cli_cmd_name(c->cmd), c->target != NULL ? " " : "",
	    c->target != NULL ? c->target : "",
	    c->backend != NULL ? c->backend : "the default backend",
	    c->dry_run ? " (dry run)" : "");
	return log;
}

static void
put(const char *path, FILE *errout, int type, struct strbuf *b)
{
	struct cm_err err;

	if (b->failed || b->s == NULL)
		fprintf(errout, "cmremedy: warning: %s: out of memory for a "
		    "log record\n", path);
	else if (cmlog_append(path, 0, (enum cmlog_type)type, b->s,
	    &err) != 0)
		fprintf(errout, "cmremedy: warning: %s\n", err.msg);
	strbuf_free(b);
}

void
runlog_printf(const char *path, FILE *errout, int type, const char *fmt,
    ...)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	va_list ap;

	if (path == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	put(path, errout, type, &b);
}

/* DATA, "(absent)" or "?" (not known); never a type after it. */
static void
side(struct strbuf *b, const struct report_value *rv)
{
	report_text_value(b, rv, rv->value.type);
}

static void
setting_name(struct strbuf *b, const struct report_setting *s)
{
	strbuf_printf(b, "%s\\%s", s->key, *s->value ? s->value : "(Default)");
}

static void
log_settings(const char *path, FILE *errout, const struct report *r)
{
	char tbuf[REPORT_TYPE_NAME_MAX];
	size_t i;

	for (i = 0; i < r->nsettings; i++) {
		const struct report_setting *s = &r->settings[i];
		struct strbuf b = { NULL, 0, 0, 0 };

		strbuf_puts(&b, "observe ");
		setting_name(&b, s);
		strbuf_printf(&b, " (%s, %d-bit): ",
		    report_type_name(s->type, tbuf), s->view);
		side(&b, &s->before);
		put(path, errout, CMLOG_INFO, &b);
	}
	if (r->dry_run)
		return;
	for (i = 0; i < r->nsettings; i++) {
		const struct report_setting *s = &r->settings[i];
		struct strbuf b = { NULL, 0, 0, 0 };

		if (strcmp(s->action, "none") == 0)
			continue;
		strbuf_printf(&b, "%s ", s->action);
		setting_name(&b, s);
		strbuf_puts(&b, ": ");
		side(&b, &s->before);
		strbuf_puts(&b, " -> ");
		side(&b, s->desired.known ? &s->desired : &s->after);
		put(path, errout, CMLOG_INFO, &b);
	}
}

static void
log_services(const char *path, FILE *errout, const struct report *r)
{
	size_t i, k;

	for (i = 0; i < r->nservices; i++) {
		const struct report_service *sv = &r->services[i];
		struct strbuf b = { NULL, 0, 0, 0 };

		if (sv->stop_ms >= 0) {
			strbuf_printf(&b, "stop %s: pid %lu stopped in %ld ms",
			    sv->name, sv->before.pid, sv->stop_ms);
			for (k = 0; k < sv->ndependents; k++)
				strbuf_printf(&b, "%s%s", k ? ", " :
				    " with its dependents ", sv->dependents[k]);
			put(path, errout, CMLOG_INFO, &b);
		}
		if (sv->start_ms >= 0) {
			strbuf_printf(&b, "start %s: ", sv->name);
			if (sv->after_known && sv->after.state == SVC_RUNNING)
				strbuf_printf(&b, "running as pid %lu",
				    sv->after.pid);
			else
				strbuf_printf(&b, "%s",
				    sv->after_known ? svc_state_name(
				    sv->after.state) : "state unknown");
			strbuf_printf(&b, " in %ld ms", sv->start_ms);
			put(path, errout, CMLOG_INFO, &b);
		}
	}
}

/* After a failure: what the rollback left, per setting and service. */
static void
log_rollback(const char *path, FILE *errout, const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nsettings; i++) {
		const struct report_setting *s = &r->settings[i];
		struct strbuf b = { NULL, 0, 0, 0 };

		if (s->state == NULL || strcmp(s->action, "none") == 0)
			continue;
		strbuf_puts(&b, "rollback ");
		setting_name(&b, s);
		strbuf_printf(&b, ": %s, now ", s->state);
		side(&b, &s->after);
		put(path, errout, strcmp(s->state, "restored") == 0 ?
		    CMLOG_WARNING : CMLOG_ERROR, &b);
	}
	for (i = 0; i < r->nservices; i++) {
		const struct report_service *sv = &r->services[i];
		int ok;

		if (sv->state == NULL)
			continue;
		ok = strcmp(sv->state, "rollback_failed") != 0;
		runlog_printf(path, errout, ok ? CMLOG_WARNING : CMLOG_ERROR,
		    "rollback %s: %s, now %s (pid %lu)", sv->name, sv->state,
		    sv->after_known ? svc_state_name(sv->after.state) :
		    "unknown", sv->after_known ? sv->after.pid : 0ul);
	}
}

void
runlog_report(const char *path, FILE *errout, const struct report *r,
    const char *report_path, int exit_code)
{
	size_t i;
	int type;

	if (path == NULL || r == NULL)
		return;
	log_settings(path, errout, r);
	log_services(path, errout, r);
	for (i = 0; i < r->nerrors; i++)
		runlog_printf(path, errout, CMLOG_ERROR, "error in %s: %s",
		    r->errors[i].step, r->errors[i].message);
	log_rollback(path, errout, r);
	type = strcmp(r->outcome, "failed") == 0 ? CMLOG_ERROR :
	    strcmp(r->outcome, "rolled_back") == 0 ? CMLOG_WARNING :
	    CMLOG_INFO;
	runlog_printf(path, errout, type, "outcome: %s (exit %d)",
	    r->outcome, exit_code);
	if (report_path != NULL)
		runlog_printf(path, errout, CMLOG_INFO, "report: %s",
		    report_path);
}
