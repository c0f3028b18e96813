// SPDX-License-Identifier: ISC
/* diag_output.c - the diagnose report as text and as JSON. */
#include "diag_output.h"
#include "util/jsonw.h"
#include "util/utctime.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ---- */

/* Prints the first line of s with control characters shown as '?', so
 * that a log cannot send escape sequences to the terminal.  The runs
 * between them go out whole, found by strcspn. */
static void
put_line(FILE *out, const char *s)
{
	static const char ctl[] = "\001\002\003\004\005\006\007\010\011\012"
	    "\013\014\015\016\017\020\021\022\023\024\025\026\027\030\031"
	    "\032\033\034\035\036\037\177";
	size_t n;

	for (;;) {
		n = strcspn(s, ctl);
		fwrite(s, 1, n, out);
		s += n;
		if (*s == '\0' || *s == '\n')
			break;
		fputc('?', out);
		s++;
	}
	if (*s == '\n')
		fputs(" ...", out);
}

static void
put_span(FILE *out, int has_time, time_t first, time_t last)
{
	char a[UTC_STRLEN], b[UTC_STRLEN];

	if (!has_time) {
		fputs("no time logged", out);
		return;
	}
	utc_format(first, a);
	utc_format(last, b);
	if (first == last)
		fprintf(out, "at %s", a);
	else
		fprintf(out, "from %s to %s", a, b);
}

/* The chain-build failures of a cert-filter-empty finding. */
static void
text_chainfail(FILE *out, const struct diag_finding *fd)
{
	const struct diag_chainfail *cf;
	size_t i, k;

	if (fd->fail_total > 0)
		fprintf(out, "   Chain build failed (%lu):\n", fd->fail_total);
	for (i = 0; i < fd->nfail; i++) {
		cf = &fd->fail[i];
		fputs("     ", out);
		put_line(out, cf->thumb);
		for (k = 0; k < cf->nstatus; k++) {
			fputs(k == 0 ? ": " : ", ", out);
			put_line(out, cf->status[k]);
		}
		if (cf->rejected)
			fputs(" (rejected: not allowed)", out);
		fputc('\n', out);
	}
}

/* Bit i of diag_finding.flags (DIAG_WF_*). */
static const char *const WFLAG[] = {
	"WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED",
	"WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA",
	"WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID",
};
#define NWFLAG (sizeof(WFLAG) / sizeof(WFLAG[0]))

static void
text_flags(FILE *out, const struct diag_finding *fd)
{
	size_t i;

	if (fd->flags == 0)
		return;
	fputs("   Flags:", out);
	for (i = 0; i < NWFLAG; i++)
		if (fd->flags & (1u << i))
			fprintf(out, " %s", WFLAG[i]);
	fputc('\n', out);
}

static void
text_finding(FILE *out, size_t no, const struct diag_finding *fd)
{
	char t[UTC_STRLEN];
	size_t i;

	fprintf(out, "%zu. %s [%s]", no, fd->id, fd->severity);
	if (fd->stage != NULL)
		fprintf(out, " at stage %s", fd->stage);
	if (fd->reason != NULL)
		fprintf(out, " (%s)", fd->reason);
	fprintf(out, "\n   %s\n", fd->cause);
	if (fd->stage != NULL) {
		fputs("   Filter chain:", out);
		for (i = 0; i < DIAG_ST_N; i++) {
			if (fd->counts[i] < 0)
				continue;
			fprintf(out, " %s %ld", diag_stage_name(i),
			    fd->counts[i]);
		}
		fputc('\n', out);
		if (fd->rejected_total > 0)
			fprintf(out, "   Rejected at %s (%lu):\n", fd->stage,
			    fd->rejected_total);
		for (i = 0; i < fd->nrejected; i++) {
			fputs("     ", out);
			put_line(out, fd->rejected[i]);
			fputc('\n', out);
		}
		text_chainfail(out, fd);
	}
	text_flags(out, fd);
	fprintf(out, "   Seen %lu time%s, ", fd->count, fd->count == 1 ? "" :
	    "s");
	put_span(out, fd->has_time, fd->first, fd->last);
	fputc('\n', out);
	if (fd->is_iis) {
		fputs("   Clients:\n", out);
		for (i = 0; i < fd->nclients; i++) {
			const struct diag_client *c = &fd->clients[i];
			fputs("     ", out);
			put_line(out, c->addr[0] ? c->addr : "(none)");
			fprintf(out, ": %lu request%s, ", c->count,
			    c->count == 1 ? "" : "s");
			put_span(out, c->has_time, c->first, c->last);
			fputc('\n', out);
		}
		if (fd->other_clients > 0)
			fprintf(out, "     other clients: %lu requests\n",
			    fd->other_clients);
	}
	fputs("   Evidence:\n", out);
	for (i = 0; i < fd->nev; i++) {
		const struct diag_evidence *ev = &fd->ev[i];
		fprintf(out, "     %s:%ld ", ev->file->path, ev->line);
		if (ev->has_time) {
			utc_format(ev->utc, t);
			fprintf(out, "%s ", t);
		}
		put_line(out, ev->text);
		fputc('\n', out);
	}
	if (fd->count > fd->nev)
		fprintf(out, "     (%lu more not shown)\n",
		    (unsigned long)(fd->count - fd->nev));
	fprintf(out, "   What to do: %s\n\n", fd->remediation);
}

int
diag_output_text(FILE *out, struct diag_file *const *files, size_t nfiles,
    const struct diag_rules *r, struct cm_err *err)
{
	size_t i, k, n = diag_rules_count(r), nread = 0;
	const struct diag_file *f;

	for (i = 0; i < nfiles; i++)
		nread += files[i]->readable;
	if (n == 0)
		fprintf(out, "No CMG 403 cause found in %zu file%s read.\n\n",
		    nread, nread == 1 ? "" : "s");
	else
		fprintf(out, "%zu finding%s in %zu file%s read:\n\n", n,
		    n == 1 ? "" : "s", nread, nread == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		text_finding(out, i + 1, diag_rules_get(r, i));
	fputs("Files:\n", out);
	for (i = 0; i < nfiles; i++) {
		f = files[i];
		fprintf(out, "  %-10s %8lu records  %s\n",
		    diag_format_name(f->fmt), f->records, f->path);
		for (k = 0; k < f->nerrs && k < DIAG_FILE_ERRS_MAX; k++) {
			fputs("    ", out);
			put_line(out, f->errs[k] ? f->errs[k] : "(lost)");
			fputc('\n', out);
		}
		if (f->nerrs > DIAG_FILE_ERRS_MAX)
			fprintf(out, "    %s: %lu more problems not listed\n",
			    f->path, f->nerrs - DIAG_FILE_ERRS_MAX);
	}
	if (fflush(out) != 0 || ferror(out))
		return cm_err_set(err, CM_ERR_SYSTEM, errno, "cannot write "
		    "the report: %s", strerror(errno));
	return 0;
}

/* ---- JSON ---- */

/* A time, or null where the log gave none. */
static json_t *
jtime(int has_time, time_t t)
{
	return has_time ? jsonw_time(t) : json_null();
}

static json_t *
jfile(struct jsonw *b, const struct diag_file *f)
{
	json_t *o = json_object(), *e = json_array();
	char more[1200];
	size_t k;

	if (o == NULL || e == NULL) {
		json_decref(o);
		json_decref(e);
		jsonw_nomem(b);
		return NULL;
	}
	jsonw_set(b, o, "path", jsonw_text(f->path));
	jsonw_set(b, o, "format", jsonw_text(diag_format_name(f->fmt)));
	jsonw_set(b, o, "records", json_integer((json_int_t)f->records));
	for (k = 0; k < f->nerrs && k < DIAG_FILE_ERRS_MAX; k++)
		jsonw_push(b, e, jsonw_text(f->errs[k] ? f->errs[k] :
		    "(lost)"));
	if (f->nerrs > DIAG_FILE_ERRS_MAX) {
		snprintf(more, sizeof(more), "%s: %lu more problems not listed",
		    f->path, f->nerrs - DIAG_FILE_ERRS_MAX);
		jsonw_push(b, e, jsonw_text(more));
	}
	jsonw_set(b, o, "errors", e);
	return o;
}

static json_t *
jevidence(struct jsonw *b, const struct diag_finding *fd)
{
	json_t *a = json_array(), *o;
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < fd->nev; i++) {
		const struct diag_evidence *ev = &fd->ev[i];
		if ((o = json_object()) == NULL) {
			jsonw_nomem(b);
			break;
		}
		jsonw_set(b, o, "file", jsonw_text(ev->file->path));
		jsonw_set(b, o, "line", json_integer(ev->line));
		jsonw_set(b, o, "time", jtime(ev->has_time, ev->utc));
		jsonw_set(b, o, "text", jsonw_text(ev->text));
		jsonw_push(b, a, o);
	}
	return a;
}

/* cert-filter-empty: the chain-build failures and their statuses. */
static void
jchainfail(struct jsonw *b, json_t *o, const struct diag_finding *fd)
{
	json_t *a = json_array(), *c, *st;
	const struct diag_chainfail *cf;
	size_t i, k;

	if (a == NULL) {
		jsonw_nomem(b);
		return;
	}
	for (i = 0; i < fd->nfail; i++) {
		cf = &fd->fail[i];
		if ((c = json_object()) == NULL ||
		    (st = json_array()) == NULL) {
			json_decref(c);
			jsonw_nomem(b);
			break;
		}
		for (k = 0; k < cf->nstatus; k++)
			jsonw_push(b, st, jsonw_text(cf->status[k]));
		jsonw_set(b, c, "thumbprint", jsonw_text(cf->thumb));
		jsonw_set(b, c, "status", st);
		jsonw_set(b, c, "rejected", json_boolean(cf->rejected));
		jsonw_push(b, a, c);
	}
	jsonw_set(b, o, "chain_failures", a);
	jsonw_set(b, o, "chain_failures_total", json_integer((json_int_t)
	    fd->fail_total));
}

static void
jflags(struct jsonw *b, json_t *o, const struct diag_finding *fd)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL) {
		jsonw_nomem(b);
		return;
	}
	for (i = 0; i < NWFLAG; i++)
		if (fd->flags & (1u << i))
			jsonw_push(b, a, jsonw_text(WFLAG[i]));
	jsonw_set(b, o, "flags", a);
}

/* cert-filter-empty: counts stage by stage and the rejected certs. */
static void
jchain(struct jsonw *b, json_t *o, const struct diag_finding *fd)
{
	json_t *c = json_object(), *rj = json_array();
	size_t i;

	if (c == NULL || rj == NULL) {
		json_decref(c);
		json_decref(rj);
		jsonw_nomem(b);
		return;
	}
	for (i = 0; i < DIAG_ST_N; i++)
		jsonw_set(b, c, diag_stage_name(i), fd->counts[i] < 0 ?
		    json_null() : json_integer(fd->counts[i]));
	for (i = 0; i < fd->nrejected; i++)
		jsonw_push(b, rj, jsonw_text(fd->rejected[i]));
	jsonw_set(b, o, "counts", c);
	jsonw_set(b, o, "rejected", rj);
	jsonw_set(b, o, "rejected_total", json_integer((json_int_t)
	    fd->rejected_total));
	jsonw_set(b, o, "reason", jsonw_text(fd->reason));
	jchainfail(b, o, fd);
}

static void
jclients(struct jsonw *b, json_t *o, const struct diag_finding *fd)
{
	json_t *a = json_array(), *c;
	size_t i;

	if (a == NULL) {
		jsonw_nomem(b);
		return;
	}
	for (i = 0; i < fd->nclients; i++) {
		const struct diag_client *cl = &fd->clients[i];
		if ((c = json_object()) == NULL) {
			jsonw_nomem(b);
			break;
		}
		jsonw_set(b, c, "address", jsonw_text(cl->addr));
		jsonw_set(b, c, "count", json_integer((json_int_t)cl->count));
		jsonw_set(b, c, "first", jtime(cl->has_time, cl->first));
		jsonw_set(b, c, "last", jtime(cl->has_time, cl->last));
		jsonw_push(b, a, c);
	}
	jsonw_set(b, o, "clients", a);
	jsonw_set(b, o, "other_clients", json_integer((json_int_t)
	    fd->other_clients));
}

static json_t *
jfinding(struct jsonw *b, const struct diag_finding *fd)
{
	json_t *o = json_object();

	if (o == NULL) {
		jsonw_nomem(b);
		return NULL;
	}
	jsonw_set(b, o, "id", jsonw_text(fd->id));
	jsonw_set(b, o, "severity", jsonw_text(fd->severity));
	jsonw_set(b, o, "cause", jsonw_text(fd->cause));
	jsonw_set(b, o, "stage", jsonw_text(fd->stage));
	jsonw_set(b, o, "count", json_integer((json_int_t)fd->count));
	jsonw_set(b, o, "first", jtime(fd->has_time, fd->first));
	jsonw_set(b, o, "last", jtime(fd->has_time, fd->last));
	jsonw_set(b, o, "evidence", jevidence(b, fd));
	jsonw_set(b, o, "remediation", jsonw_text(fd->remediation));
	if (fd->stage != NULL)
		jchain(b, o, fd);
	if (fd->is_iis)
		jclients(b, o, fd);
	if (strcmp(fd->id, "cmg-secure-failure") == 0)
		jflags(b, o, fd);
	return o;
}

int
diag_output_json(FILE *out, struct diag_file *const *files, size_t nfiles,
    const struct diag_rules *r, struct cm_err *err)
{
	struct jsonw b = { err, 0 };
	json_t *root = json_object(), *fa = json_array(), *fn = json_array();
	size_t i;
	int rc;

	if (root == NULL || fa == NULL || fn == NULL) {
		json_decref(root);
		json_decref(fa);
		json_decref(fn);
		return cm_err_nomem(err);
	}
	jsonw_set(&b, root, "files", fa);
	jsonw_set(&b, root, "findings", fn);
	for (i = 0; i < nfiles; i++)
		jsonw_push(&b, fa, jfile(&b, files[i]));
	for (i = 0; i < diag_rules_count(r); i++)
		jsonw_push(&b, fn, jfinding(&b, diag_rules_get(r, i)));
	if (b.failed) {
		json_decref(root);
		return cm_err_nomem(err);
	}
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0 ||
	    ferror(out))
		return cm_err_set(err, CM_ERR_SYSTEM, errno, "cannot write "
		    "the report: %s", strerror(errno));
	return 0;
}
