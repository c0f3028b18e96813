// SPDX-License-Identifier: ISC
/* diag_output.c - the diagnose report as text and as JSON. */
#include "diag_output.h"
#include "util/utctime.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed UTF-8 character at s (n bytes left), or 0. */
static size_t
utf8_char(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	/* Overlongs, surrogates and code points past U+10FFFF. */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

/* Whether the string s is well-formed UTF-8 throughout. */
static int
utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;

	while (i < n) {
		if ((k = utf8_char(u + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

char *
diag_utf8_clean(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	char *d;

	if ((d = malloc(n * 3 + 1)) == NULL)
		return NULL;
	while (i < n) {
		if ((k = utf8_char(u + i, n - i)) == 0) {
			memcpy(d + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
			continue;
		}
		if (u[i] == 0) {
			/* jansson strings end at NUL: keep it visible. */
			memcpy(d + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(d + o, s + i, k);
		o += k;
		i += k;
	}
	d[o] = '\0';
	return d;
}

/* ---- text ---- */

/* Prints the first line of s with control characters shown as '?', so
 * that a log cannot send escape sequences to the terminal. */
static void
put_line(FILE *out, const char *s)
{
	for (; *s != '\0' && *s != '\n'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
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

/* Builds JSON and remembers whether any step failed, so that the code
 * reads as the shape it makes. */
struct jb {
	int failed;
};

static json_t *
jstr(struct jb *b, const char *s)
{
	char *c;
	json_t *v;

	if (s == NULL)
		return json_null();
	/* Most strings (the advice texts, most log lines) are well formed
	 * already: only the others are copied clean. */
	if (utf8_valid(s)) {
		if ((v = json_string(s)) == NULL)
			b->failed = 1;
		return v;
	}
	if ((c = diag_utf8_clean(s, strlen(s))) == NULL) {
		b->failed = 1;
		return NULL;
	}
	v = json_string(c);
	free(c);
	if (v == NULL)
		b->failed = 1;
	return v;
}

static json_t *
jtime(struct jb *b, int has_time, time_t t)
{
	char s[UTC_STRLEN];

	if (!has_time)
		return json_null();
	utc_format(t, s);
	return jstr(b, s);
}

static void
set(struct jb *b, json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		b->failed = 1;
}

static void
push(struct jb *b, json_t *a, json_t *v)
{
	if (v == NULL || json_array_append_new(a, v) != 0)
		b->failed = 1;
}

static json_t *
jfile(struct jb *b, const struct diag_file *f)
{
	json_t *o = json_object(), *e = json_array();
	char more[1200];
	size_t k;

	if (o == NULL || e == NULL) {
		json_decref(o);
		json_decref(e);
		b->failed = 1;
		return NULL;
	}
	set(b, o, "path", jstr(b, f->path));
	set(b, o, "format", jstr(b, diag_format_name(f->fmt)));
	set(b, o, "records", json_integer((json_int_t)f->records));
	for (k = 0; k < f->nerrs && k < DIAG_FILE_ERRS_MAX; k++)
		push(b, e, jstr(b, f->errs[k] ? f->errs[k] : "(lost)"));
	if (f->nerrs > DIAG_FILE_ERRS_MAX) {
		snprintf(more, sizeof(more), "%s: %lu more problems not listed",
		    f->path, f->nerrs - DIAG_FILE_ERRS_MAX);
		push(b, e, jstr(b, more));
	}
	set(b, o, "errors", e);
	return o;
}

static json_t *
jevidence(struct jb *b, const struct diag_finding *fd)
{
	json_t *a = json_array(), *o;
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < fd->nev; i++) {
		const struct diag_evidence *ev = &fd->ev[i];
		if ((o = json_object()) == NULL) {
			b->failed = 1;
			break;
		}
		set(b, o, "file", jstr(b, ev->file->path));
		set(b, o, "line", json_integer(ev->line));
		set(b, o, "time", jtime(b, ev->has_time, ev->utc));
		set(b, o, "text", jstr(b, ev->text));
		push(b, a, o);
	}
	return a;
}

/* cert-filter-empty: the chain-build failures and their statuses. */
static void
jchainfail(struct jb *b, json_t *o, const struct diag_finding *fd)
{
	json_t *a = json_array(), *c, *st;
	const struct diag_chainfail *cf;
	size_t i, k;

	if (a == NULL) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < fd->nfail; i++) {
		cf = &fd->fail[i];
		if ((c = json_object()) == NULL ||
		    (st = json_array()) == NULL) {
			json_decref(c);
			b->failed = 1;
			break;
		}
		for (k = 0; k < cf->nstatus; k++)
			push(b, st, jstr(b, cf->status[k]));
		set(b, c, "thumbprint", jstr(b, cf->thumb));
		set(b, c, "status", st);
		set(b, c, "rejected", json_boolean(cf->rejected));
		push(b, a, c);
	}
	set(b, o, "chain_failures", a);
	set(b, o, "chain_failures_total", json_integer((json_int_t)
	    fd->fail_total));
}

static void
jflags(struct jb *b, json_t *o, const struct diag_finding *fd)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < NWFLAG; i++)
		if (fd->flags & (1u << i))
			push(b, a, jstr(b, WFLAG[i]));
	set(b, o, "flags", a);
}

/* cert-filter-empty: counts stage by stage and the rejected certs. */
static void
jchain(struct jb *b, json_t *o, const struct diag_finding *fd)
{
	json_t *c = json_object(), *rj = json_array();
	size_t i;

	if (c == NULL || rj == NULL) {
		json_decref(c);
		json_decref(rj);
		b->failed = 1;
		return;
	}
	for (i = 0; i < DIAG_ST_N; i++)
		set(b, c, diag_stage_name(i), fd->counts[i] < 0 ? json_null() :
		    json_integer(fd->counts[i]));
	for (i = 0; i < fd->nrejected; i++)
		push(b, rj, jstr(b, fd->rejected[i]));
	set(b, o, "counts", c);
	set(b, o, "rejected", rj);
	set(b, o, "rejected_total", json_integer((json_int_t)
	    fd->rejected_total));
	set(b, o, "reason", jstr(b, fd->reason));
	jchainfail(b, o, fd);
}

static void
jclients(struct jb *b, json_t *o, const struct diag_finding *fd)
{
	json_t *a = json_array(), *c;
	size_t i;

	if (a == NULL) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < fd->nclients; i++) {
		const struct diag_client *cl = &fd->clients[i];
		if ((c = json_object()) == NULL) {
			b->failed = 1;
			break;
		}
		set(b, c, "address", jstr(b, cl->addr));
		set(b, c, "count", json_integer((json_int_t)cl->count));
		set(b, c, "first", jtime(b, cl->has_time, cl->first));
		set(b, c, "last", jtime(b, cl->has_time, cl->last));
		push(b, a, c);
	}
	set(b, o, "clients", a);
	set(b, o, "other_clients", json_integer((json_int_t)
	    fd->other_clients));
}

static json_t *
jfinding(struct jb *b, const struct diag_finding *fd)
{
	json_t *o = json_object();

	if (o == NULL) {
		b->failed = 1;
		return NULL;
	}
	set(b, o, "id", jstr(b, fd->id));
	set(b, o, "severity", jstr(b, fd->severity));
	set(b, o, "cause", jstr(b, fd->cause));
	set(b, o, "stage", jstr(b, fd->stage));
	set(b, o, "count", json_integer((json_int_t)fd->count));
	set(b, o, "first", jtime(b, fd->has_time, fd->first));
	set(b, o, "last", jtime(b, fd->has_time, fd->last));
	set(b, o, "evidence", jevidence(b, fd));
	set(b, o, "remediation", jstr(b, fd->remediation));
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
	struct jb b = { 0 };
	json_t *root = json_object(), *fa = json_array(), *fn = json_array();
	size_t i;
	int rc;

	if (root == NULL || fa == NULL || fn == NULL) {
		json_decref(root);
		json_decref(fa);
		json_decref(fn);
		return cm_err_nomem(err);
	}
	set(&b, root, "files", fa);
	set(&b, root, "findings", fn);
	for (i = 0; i < nfiles; i++)
		push(&b, fa, jfile(&b, files[i]));
	for (i = 0; i < diag_rules_count(r); i++)
		push(&b, fn, jfinding(&b, diag_rules_get(r, i)));
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
