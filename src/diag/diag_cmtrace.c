// SPDX-License-Identifier: ISC
/* diag_cmtrace.c - the CMTrace log parser: <![LOG[...]LOG]!><attrs>
 * records that may span physical lines. */
#include "diag_parser.h"

#include <stdlib.h>
#include <string.h>

static const char OPEN[] = "<![LOG[";
static const char CLOSE[] = "]LOG]!>";
#define OPENLEN (sizeof(OPEN) - 1)
#define CLOSELEN (sizeof(CLOSE) - 1)

struct cmt {
	struct diag_reader *r;
	struct diag_file *f;
	const struct diag_sink *s;
	char *msg;               /* DIAG_RECMAX bytes: the open record */
	size_t len;
	int open;
	int cut;                 /* the open record's message was cut */
	long line;               /* where the open record started */
};

/* The value of attribute name="..." in a[0, n): name must follow '<' or a
 * blank so that e.g. "time" never matches inside "datetime". */
static int
attr(const char *a, size_t n, const char *name, const char **v, size_t *vl)
{
	size_t nl = strlen(name);
	const char *p = a, *e = a + n, *q, *end;

	while ((q = diag_find(p, (size_t)(e - p), name, nl)) != NULL) {
		p = q + nl;
		if (q > a && q[-1] != '<' && q[-1] != ' ' && q[-1] != '\t')
			continue;
		if (e - p < 2 || p[0] != '=' || p[1] != '"')
			continue;
		p += 2;
		if ((end = memchr(p, '"', (size_t)(e - p))) == NULL)
			return -1;
		*v = p;
		*vl = (size_t)(end - p);
		return 0;
	}
	return -1;
}

/* End of the attribute block that starts at p: the first '>' outside
 * quotes, or NULL. */
static const char *
attrs_end(const char *p, const char *e)
{
	int inq = 0;

	for (; p < e; p++) {
		if (*p == '"')
			inq = !inq;
		else if (*p == '>' && !inq)
			return p;
	}
	return NULL;
}

static void
emit(struct cmt *c, const char *a, size_t an)
{
	struct diag_rec rec;
	const char *t, *d;
	size_t tl, dl;

	memset(&rec, 0, sizeof(rec));
	rec.msg = c->msg;
	rec.msglen = c->len;
	rec.line = c->line;
	rec.comp = "";
	if (attr(a, an, "component", &rec.comp, &rec.complen) < 0)
		rec.comp = "";
	if (attr(a, an, "time", &t, &tl) == 0 &&
	    attr(a, an, "date", &d, &dl) == 0 &&
	    diag_cm_time(d, dl, t, tl, &rec.utc) == 0)
		rec.has_time = 1;
	else
		diag_file_error(c->f, c->line, "record has no valid time=\"\" "
		    "and date=\"\" attributes");
	if (c->cut)
		diag_file_error(c->f, c->line, "message longer than %u bytes: "
		    "cut", DIAG_RECMAX);
	c->f->records++;
	if (c->s->rec != NULL)
		c->s->rec(c->s->ctx, c->f, &rec);
	c->open = 0;
}

static void
start(struct cmt *c)
{
	c->open = 1;
	c->len = 0;
	c->cut = 0;
	c->line = c->r->lineno;
}

static void
add(struct cmt *c, const char *p, size_t n)
{
	if (diag_append(c->msg, &c->len, DIAG_RECMAX, p, n))
		c->cut = 1;
}

static void
line(struct cmt *c, const char *l, size_t n)
{
	const char *p = l, *e = l + n, *o, *cl, *ae;

	if (c->open)
		add(c, "\n", 1);
	else if (diag_blank(l, n) || diag_rotation_marker(l, n))
		return;
	for (;;) {
		if (!c->open) {
			if ((o = diag_find(p, (size_t)(e - p), OPEN,
			    OPENLEN)) == NULL) {
				if (!diag_blank(p, (size_t)(e - p)))
					diag_file_error(c->f, c->r->lineno,
					    "not a CMTrace record");
				return;
			}
			if (!diag_blank(p, (size_t)(o - p)))
				diag_file_error(c->f, c->r->lineno, "text "
				    "outside a CMTrace record ignored");
			start(c);
			p = o + OPENLEN;
		}
		cl = diag_find(p, (size_t)(e - p), CLOSE, CLOSELEN);
		o = diag_find(p, (size_t)(e - p), OPEN, OPENLEN);
		if (o != NULL && (cl == NULL || o < cl)) {
			/* A writer that died mid-record leaves it open. */
			diag_file_error(c->f, c->line, "truncated record: no "
			    "]LOG]!> before the next <![LOG[");
			c->open = 0;
			p = o;
			continue;
		}
		if (cl == NULL) {
			add(c, p, (size_t)(e - p));
			return;
		}
		add(c, p, (size_t)(cl - p));
		p = cl + CLOSELEN;
		if ((ae = attrs_end(p, e)) == NULL)
			ae = e;
		emit(c, p, (size_t)(ae - p));
		p = ae < e ? ae + 1 : e;
	}
}

static int
cmtrace_parse(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *s)
{
	struct cmt c;
	const char *l;
	size_t n;
	int rc;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.f = f;
	c.s = s;
	if ((c.msg = malloc(DIAG_RECMAX)) == NULL) {
		f->nomem = 1;
		return 0;
	}
	while ((rc = diag_reader_line(r, &l, &n)) == 1) {
		if (r->truncated)
			diag_file_error(f, r->lineno, "line longer than %zu "
			    "bytes: the rest was skipped", r->cap);
		line(&c, l, n);
	}
	if (c.open)
		diag_file_error(f, c.line, "truncated record: no ]LOG]!> "
		    "before the end of the file");
	free(c.msg);
	return rc < 0 ? -1 : 0;
}

const struct diag_parser diag_cmtrace_parser = {
	DIAG_FMT_CMTRACE, cmtrace_parse
};
