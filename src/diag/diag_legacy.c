// SPDX-License-Identifier: ISC
/* diag_legacy.c - the legacy ConfigMgr server log parser:
 * "MESSAGE  $$<COMPONENT><MM-DD-YYYY HH:MM:SS.fff+BIAS><thread=N (0xN)>". */
#include "diag_parser.h"

#include <stdlib.h>
#include <string.h>

/* The last "$$<" of the line: a message could quote one, the trailer
 * never does.  Found with diag_find from the front (one call for the
 * usual line, which has one): a loop from the back compared each byte of
 * the line three times. */
static const char *
trailer(const char *l, size_t n)
{
	const char *p, *last = NULL, *e = l + n;

	for (p = diag_find(l, n, "$$<", 3); p != NULL;
	    p = diag_find(p + 1, (size_t)(e - p - 1), "$$<", 3))
		last = p;
	return last;
}

/* Parses "COMPONENT><DATE TIME><thread=...>" at p: fills the component
 * and the time; returns 0, or -1 if it is malformed. */
static int
parse_trailer(const char *p, const char *e, struct diag_rec *rec)
{
	const char *gt, *sp, *end;

	if ((gt = memchr(p, '>', (size_t)(e - p))) == NULL)
		return -1;
	rec->comp = p;
	rec->complen = (size_t)(gt - p);
	p = gt + 1;
	if (p == e || *p++ != '<')
		return -1;
	if ((end = memchr(p, '>', (size_t)(e - p))) == NULL ||
	    (sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
		return -1;
	if (diag_cm_time(p, (size_t)(sp - p), sp + 1, (size_t)(end - sp - 1),
	    &rec->utc) < 0)
		return -1;
	rec->has_time = 1;
	p = end + 1;
	if (e - p < 8 || memcmp(p, "<thread=", 8) != 0)
		return -1;
	return 0;
}

static int
legacy_parse(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *s)
{
	struct diag_rec rec;
	const char *l, *t, *m;
	char *pend;
	size_t n, plen = 0, ml;
	long pline = 0;
	int rc, cut = 0;

	/* Lines without a trailer belong to the record that follows. */
	if ((pend = malloc(DIAG_RECMAX)) == NULL) {
		f->nomem = 1;
		return 0;
	}
	while ((rc = diag_reader_line(r, &l, &n)) == 1) {
		if (r->truncated)
			diag_file_error(f, r->lineno, "line longer than %zu "
			    "bytes: the rest was skipped", r->cap);
		if (diag_rotation_marker(l, n) ||
		    (plen == 0 && diag_blank(l, n)))
			continue;
		if ((t = trailer(l, n)) == NULL) {
			if (plen == 0)
				pline = r->lineno;
			else
				cut |= diag_append(pend, &plen, DIAG_RECMAX,
				    "\n", 1);
			cut |= diag_append(pend, &plen, DIAG_RECMAX, l, n);
			continue;
		}
		m = l;
		ml = (size_t)(t - l);
		while (ml > 0 && (m[ml - 1] == ' ' || m[ml - 1] == '\t'))
			ml--;
		memset(&rec, 0, sizeof(rec));
		rec.line = r->lineno;
		if (plen > 0) {
			cut |= diag_append(pend, &plen, DIAG_RECMAX, "\n", 1);
			cut |= diag_append(pend, &plen, DIAG_RECMAX, m, ml);
			m = pend;
			ml = plen;
			rec.line = pline;
		}
		rec.msg = m;
		rec.msglen = ml;
		if (parse_trailer(t + 3, l + n, &rec) < 0) {
			diag_file_error(f, r->lineno, "malformed $$<component>"
			    "<date time><thread=...> trailer");
			rec.has_time = 0;
			rec.comp = "";
			rec.complen = 0;
		}
		if (cut)
			diag_file_error(f, rec.line, "message longer than %u "
			    "bytes: cut", DIAG_RECMAX);
		f->records++;
		if (s->rec != NULL)
			s->rec(s->ctx, f, &rec);
		plen = 0;
		cut = 0;
	}
	if (plen > 0)
		diag_file_error(f, pline, "truncated record: text without a "
		    "$$<...> trailer at the end of the file");
	free(pend);
	return rc < 0 ? -1 : 0;
}

const struct diag_parser diag_legacy_parser = { DIAG_FMT_LEGACY, legacy_parse };
