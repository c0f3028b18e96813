// SPDX-License-Identifier: ISC
/* report_text.c - the report for a person: the outcome in words, then each
 * setting and service before -> after, the backup, the errors. */
#include "report_text.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

/* The [action] tags of the settings are aligned in one column, as wide as
 * the longest line up to this many columns: registry paths are long, but
 * one long REG_MULTI_SZ must not push every tag off screen. */
#define ALIGN_MAX 160

/* The text, or a marker when memory ran out while building it. */
static const char *
sb_text(const struct strbuf *b)
{
	return b->failed || b->s == NULL ? "(out of memory)" : b->s;
}

/* Columns taken by UTF-8 text: one per code point (no wide characters
 * are expected in registry paths). */
static size_t
columns(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
is(const char *s, const char *what)
{
	return s != NULL && strcmp(s, what) == 0;
}

static int
planned(const struct report *r)
{
	return r->dry_run || is(r->outcome, "planned") ||
	    is(r->outcome, "not_compliant");
}

/* "1 setting set, 2 created, 1 service restarted" (or "to set" ...). */
static void
counts(struct strbuf *b, const struct report *r, int future)
{
	static const char *const act[] = { "set", "create", "delete" };
	static const char *const done[] = { "set", "created", "deleted" };
	size_t n[3] = { 0, 0, 0 }, restarts = 0, i, k;
	int first = 1;

	for (i = 0; i < r->nsettings; i++)
		for (k = 0; k < 3; k++)
			if (is(r->settings[i].action, act[k]))
				n[k]++;
	for (i = 0; i < r->nservices; i++)
		if (is(r->services[i].action, "restart"))
			restarts++;
	for (k = 0; k < 3; k++) {
		if (n[k] == 0)
			continue;
		strbuf_printf(b, "%s%zu%s %s%s", first ? "" : ", ", n[k],
		    !first ? "" : n[k] == 1 ? " setting" : " settings",
		    future ? "to " : "", future ? act[k] : done[k]);
		first = 0;
	}
	if (restarts > 0) {
		strbuf_printf(b, "%s%zu service%s %s", first ? "" : ", ",
		    restarts, restarts == 1 ? "" : "s", future ? "to restart" :
		    "restarted");
		first = 0;
	}
	if (first)
		strbuf_printf(b, "nothing to change");
}

/* A service state after a failure (see apply.c) that means the service is
 * not back as it was. */
static int
service_left_wrong(const char *state)
{
	static const char *const wrong[] = { "stopped", "unknown",
	    "stop_never_completed", "rollback_failed" };
	size_t i;

	for (i = 0; state != NULL && i < sizeof(wrong) / sizeof(wrong[0]); i++)
		if (strcmp(state, wrong[i]) == 0)
			return 1;
	return 0;
}

static int
any_state(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nsettings; i++)
		if (r->settings[i].state != NULL)
			return 1;
	for (i = 0; i < r->nservices; i++)
		if (r->services[i].state != NULL)
			return 1;
	return 0;
}

/* After a failed rollback: what is left, by the states apply recorded. */
static void
leftovers(struct strbuf *b, const struct report *r)
{
	size_t changed = 0, unknown = 0, svc = 0, i;
	int first = 1;

	for (i = 0; i < r->nsettings; i++) {
		changed += is(r->settings[i].state, "changed");
		unknown += is(r->settings[i].state, "unknown");
	}
	for (i = 0; i < r->nservices; i++)
		svc += service_left_wrong(r->services[i].state);
	if (changed > 0) {
		strbuf_printf(b, "%zu setting%s still changed", changed,
		    changed == 1 ? "" : "s");
		first = 0;
	}
	if (unknown > 0) {
		strbuf_printf(b, "%s%zu setting%s in an unknown state",
		    first ? "" : ", ", unknown, unknown == 1 ? "" : "s");
		first = 0;
	}
	if (svc > 0) {
		strbuf_printf(b, "%s%zu service%s not running as before",
		    first ? "" : ", ", svc, svc == 1 ? "" : "s");
		first = 0;
	}
	if (first)
		strbuf_printf(b, "see the errors below");
}

static void
headline(struct strbuf *b, const struct report *r)
{
	const char *o = r->outcome != NULL ? r->outcome : "unknown";

	if (strcmp(o, "unchanged") == 0 || strcmp(o, "compliant") == 0) {
		/* check answers a question; apply, toggle, revert report
		 * that they left the machine alone. */
		strbuf_printf(b, "%s: nothing to change",
		    r->command == NULL || is(r->command, "check") ||
		    strcmp(o, "compliant") == 0 ? "compliant" : "unchanged");
		return;
	}
	if (strcmp(o, "changed") == 0 || strcmp(o, "planned") == 0 ||
	    strcmp(o, "not_compliant") == 0) {
		if (strcmp(o, "changed") == 0)
			strbuf_printf(b, "changed: ");
		else if (is(r->command, "check") ||
		    strcmp(o, "not_compliant") == 0)
			strbuf_printf(b, "not compliant: ");
		else if (is(r->command, "plan"))
			strbuf_printf(b, "planned: ");
		else
			strbuf_printf(b, "planned (dry run): ");
		if (r->toggle_to != NULL)
			strbuf_printf(b, "%s %s, ", strcmp(o, "changed") == 0 ?
			    "toggled" : "toggle", r->toggle_to);
		counts(b, r, strcmp(o, "changed") != 0);
	} else if (strcmp(o, "rolled_back") == 0)
		strbuf_printf(b, "ROLLED BACK: %s failed; every change was "
		    "undone, the machine is as before", r->command != NULL ?
		    r->command : "the run");
	else if (strcmp(o, "failed") == 0) {
		/* apply.c also says "failed" when it stopped before changing
		 * anything; only a rollback records states, and only then
		 * is something left to report. */
		if (any_state(r)) {
			strbuf_printf(b, "FAILED, rollback incomplete: ");
			leftovers(b, r);
		} else
			strbuf_printf(b, "FAILED: %s did not complete, see the "
			    "errors below",
			    r->command != NULL ? r->command : "the run");
	} else if (strcmp(o, "in_progress") == 0)
		strbuf_printf(b, "INTERRUPTED: the run did not finish; values "
		    "may be partly changed");
	else
		strbuf_printf(b, "%s", o);
}

/* A key or value name: Windows allows control characters in them, which
 * would break the one-line-per-setting layout, so they are shown as \xNN
 * (as regval_format shows them in data). */
static void
name(struct strbuf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			strbuf_printf(b, "\\x%02x",
			    (unsigned)(unsigned char)*s);
		else
			strbuf_printf(b, "%c", *s);
}

void
report_text_value(struct strbuf *b, const struct report_value *rv,
    uint32_t stype)
{
	char tbuf[REPORT_TYPE_NAME_MAX], *f;

	if (!rv->known) {
		strbuf_printf(b, "?");
		return;
	}
	if (!rv->exists) {
		strbuf_printf(b, "(absent)");
		return;
	}
	if ((f = regval_format(&rv->value)) == NULL) {
		b->failed = 1;
		return;
	}
	strbuf_printf(b, "%s", f);
	free(f);
	if (rv->value.type != stype)
		strbuf_printf(b, " (%s)",
		    report_type_name(rv->value.type, tbuf));
}

static int
same(const struct report_value *a, const struct report_value *b)
{
	return a->known && b->known && a->exists == b->exists &&
	    (!a->exists || regval_equal(&a->value, &b->value));
}

/* "KEY\NAME (TYPE, 64-bit): BEFORE -> AFTER": a dry run shows the desired
 * data on the right; a run whose after is not the desired says so. */
static void
setting_body(struct strbuf *b, const struct report *r,
    const struct report_setting *s)
{
	char tbuf[REPORT_TYPE_NAME_MAX];
	const struct report_value *right;
	int plan = planned(r);

	assert(s->key != NULL && s->value != NULL);
	name(b, s->key);
	strbuf_printf(b, "\\");
	name(b, s->value[0] != '\0' ? s->value : "(Default)");
	strbuf_printf(b, " (%s, %d-bit): ", report_type_name(s->type, tbuf),
	    s->view);
	right = plan && s->desired.known ? &s->desired : &s->after;
	report_text_value(b, &s->before, s->type);
	if (is(s->action, "none") && same(right, &s->before))
		return;
	strbuf_printf(b, " -> ");
	report_text_value(b, right, s->type);
	if (!plan && !is(s->action, "none") && s->desired.known &&
	    !same(&s->after, &s->desired)) {
		strbuf_printf(b, ", wanted ");
		report_text_value(b, &s->desired, s->type);
	}
}

static void
status(struct strbuf *b, const struct svc_status *st)
{
	strbuf_printf(b, "%s", svc_state_name(st->state));
	if (st->pid != 0)
		strbuf_printf(b, ", pid %lu", st->pid);
}

/* A state word for a person: "restarted_again" -> "restarted again". */
static void
words(struct strbuf *b, const char *s)
{
	for (; *s != '\0'; s++)
		strbuf_printf(b, "%c", *s == '_' ? ' ' : *s);
}

/* "restart, pid 4242 -> 4243 (stop 12 ms, start 30 ms)". */
static void
service_body(struct strbuf *b, const struct report_service *sv)
{
	strbuf_printf(b, "%s, ", sv->action != NULL ? sv->action : "?");
	if (sv->before_known && sv->after_known &&
	    sv->before.state == SVC_RUNNING && sv->after.state == SVC_RUNNING &&
	    sv->before.pid != sv->after.pid)
		strbuf_printf(b, "pid %lu -> %lu", sv->before.pid,
		    sv->after.pid);
	else if (sv->before_known && sv->after_known &&
	    (sv->before.state != sv->after.state ||
	    sv->before.pid != sv->after.pid)) {
		status(b, &sv->before);
		strbuf_printf(b, " -> ");
		status(b, &sv->after);
	} else if (sv->before_known)
		status(b, &sv->before);
	else if (sv->after_known)
		status(b, &sv->after);
	else
		strbuf_printf(b, "status unknown");
	if (sv->stop_ms >= 0 && sv->start_ms >= 0)
		strbuf_printf(b, " (stop %ld ms, start %ld ms)", sv->stop_ms,
		    sv->start_ms);
	else if (sv->stop_ms >= 0)
		strbuf_printf(b, " (stop %ld ms, not started)", sv->stop_ms);
	else if (sv->start_ms >= 0)
		strbuf_printf(b, " (start %ld ms)", sv->start_ms);
	if (sv->state != NULL) {
		strbuf_printf(b, "  [");
		words(b, sv->state);
		strbuf_printf(b, "]");
	}
}

static void
print_settings(const struct report *r, FILE *out)
{
	struct strbuf *bodies;
	size_t i, w, width = 0;

	if (r->nsettings == 0)
		return;
	fprintf(out, "settings:\n");
	if ((bodies = calloc(r->nsettings, sizeof(*bodies))) == NULL) {
		fprintf(out, "  (out of memory)\n");
		return;
	}
	for (i = 0; i < r->nsettings; i++) {
		setting_body(&bodies[i], r, &r->settings[i]);
		w = columns(sb_text(&bodies[i]));
		if (w <= ALIGN_MAX && w > width)
			width = w;
	}
	for (i = 0; i < r->nsettings; i++) {
		w = columns(sb_text(&bodies[i]));
		fprintf(out, "  %s%*s  [%s%s%s]\n", sb_text(&bodies[i]),
		    (int)(w < width ? width - w : 0), "",
		    r->settings[i].action != NULL ? r->settings[i].action : "?",
		    r->settings[i].state != NULL ? ", " : "",
		    r->settings[i].state != NULL ? r->settings[i].state : "");
		free(bodies[i].s);
	}
	free(bodies);
}

static void
print_services(const struct report *r, FILE *out)
{
	const struct report_service *sv;
	struct strbuf b;
	size_t i, k, w, width = 0;

	if (r->nservices == 0)
		return;
	fprintf(out, "services:\n");
	for (i = 0; i < r->nservices; i++)
		assert(r->services[i].name != NULL);
	for (i = 0; i < r->nservices; i++)
		if ((w = columns(r->services[i].name)) > width)
			width = w;
	for (i = 0; i < r->nservices; i++) {
		sv = &r->services[i];
		memset(&b, 0, sizeof(b));
		service_body(&b, sv);
		w = columns(sv->name);
		fprintf(out, "  %s:%*s %s\n", sv->name, (int)(width - w), "",
		    sb_text(&b));
		free(b.s);
		if (sv->ndependents == 0)
			continue;
		fprintf(out, "  %*s  %s", (int)width, "", planned(r) ?
		    "dependents to restart with it:" :
		    "dependents restarted with it:");
		for (k = 0; k < sv->ndependents; k++)
			fprintf(out, "%s %s", k == 0 ? "" : ",",
			    sv->dependents[k]);
		fprintf(out, "\n");
	}
}

void
report_print_text(const struct report *r, FILE *out)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	size_t i;

	headline(&b, r);
	fprintf(out, "%s\n", sb_text(&b));
	free(b.s);
	if (r->reverts != NULL)
		fprintf(out, "reverts: %s\n", r->reverts);
	print_settings(r, out);
	print_services(r, out);
	if (r->backup != NULL)
		fprintf(out, "backup: %s\n", r->backup);
	if (r->nerrors > 0) {
		fprintf(out, "errors:\n");
		for (i = 0; i < r->nerrors; i++)
			fprintf(out, "  %s: %s\n", r->errors[i].step,
			    r->errors[i].message);
	}
}
