// SPDX-License-Identifier: ISC
/* simsvc.c - the simulated Service Control Manager: services.ini read with
 * inih, edited value by value, written back atomically. */
#include "simsvc.h"

#include <ctype.h>
#include <ini.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"

#define NOLINE ((size_t)-1)
#define MAX_PID 0xFFFFFFFFul
#define NEVER UINT_MAX        /* need_ms of a service that hangs */

enum fault { FAULT_NONE, FAULT_STOP, FAULT_START, FAULT_START_ALWAYS,
	FAULT_HANG_STOP };

enum key { K_STATE, K_PID, K_DEPENDS_ON, K_STOP_MS, K_START_MS, K_FAIL,
	K_DEADLINE, K_COUNT };

static const char *const key_names[K_COUNT] = {
	"state", "pid", "depends_on", "stop_ms", "start_ms", "fail", "deadline"
};

static const char *const fault_names[] = {
	"none", "stop", "start", "start-always", "hang-stop"
};

/* One physical line of the file, without its line end.  The text lies in
 * the file's own buffer (doc.buf) until the sim writes the line: then it
 * is a string of its own (owned).  One allocation for the file rather
 * than one a line: the sim reads the file again on every call. */
struct line {
	char *text;
	const char *eol;      /* "\r\n", "\n", or "" on a last unended line */
	int owned;            /* text is malloc'd, not in doc.buf */
};

struct svc {
	char *name;           /* as the [section] spells it */
	size_t header;        /* line index of [name] */
	size_t key_line[K_COUNT]; /* line index of each key, or NOLINE */
	enum svc_state state;
	unsigned long pid;    /* kept while stopped: the last process's */
	char **deps;          /* depends_on names, as written */
	size_t ndeps, capdeps;
	size_t *dep;          /* the same as indices into doc.svcs */
	unsigned stop_ms, start_ms;
	enum fault fault;
	uint64_t deadline;    /* pending: when it ends, ms since 1970; 0 none */
};

/* The file as read: its lines (to write back) and the services in them. */
struct doc {
	const char *path;
	char *buf;            /* the file as read, each line end now a NUL */
	struct line *lines;
	size_t nlines, caplines;
	struct svc *svcs;
	size_t nsvcs, capsvcs;
	const char *eol;      /* line end for inserted lines: the file's own */
	size_t maxline;       /* longest line inih reads (from its reader) */
};

struct simsvc {
	char *path;
	char **tried;         /* services launched through it (fail = start) */
	size_t ntried, captried;
};

/* inih's state as our reader and handler see it. */
struct parse {
	struct doc *d;
	size_t next;          /* index of the next line to hand to inih */
	int key_seen;         /* inih's prev_name: a key since the last [..] */
	int cur;              /* index of the section being read, or -1 */
	size_t errline;       /* 1-based line of the first error, 0 if none */
	struct cm_err *err;
};

static char *
dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static const char *
lskip(const char *s)
{
	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	return s;
}

/* inih's rule: the first of chars (at most 2 of them), or a ';' that
 * follows whitespace.  strcspn finds the candidates: a call of strchr
 * for every byte was most of the cost of reading the file. */
static const char *
find_chars_or_comment(const char *s, const char *chars)
{
	const char *p = s;
	char stop[4] = ";";

	if (chars != NULL)
		strncat(stop, chars, 2);
	for (;;) {
		p += strcspn(p, stop);
		if (*p != ';' || (chars != NULL && strchr(chars, ';')) ||
		    (p > s && isspace((unsigned char)p[-1])))
			return p;
		p++;
	}
}

/* The text of line i as inih sees it: without a UTF-8 BOM on line 1. */
static const char *
line_start(const struct doc *d, size_t i)
{
	const char *t = d->lines[i].text;

	if (i == 0 && strncmp(t, "\xEF\xBB\xBF", 3) == 0)
		t += 3;
	return t;
}

static void
svc_clear(struct svc *v)
{
	size_t i;

	free(v->name);
	for (i = 0; i < v->ndeps; i++)
		free(v->deps[i]);
	free(v->deps);
	free(v->dep);
}

static void
doc_free(struct doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nlines; i++)
		if (d->lines[i].owned)
			free(d->lines[i].text);
	free(d->lines);
	free(d->buf);
	for (i = 0; i < d->nsvcs; i++)
		svc_clear(&d->svcs[i]);
	free(d->svcs);
	free(d);
}

static struct svc *
doc_find(const struct doc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nsvcs; i++)
		if ((text_casecmp(d->svcs[i].name, name) == 0))
			return &d->svcs[i];
	return NULL;
}

/* Splits buf (len bytes and a NUL, as sys_read_file gives) into lines,
 * keeping each line's own line end: d takes buf, and each line end in it
 * becomes the NUL that ends the line's text. */
static int
split_lines(struct doc *d, char *buf, size_t len, struct cm_err *err)
{
	size_t i = 0, start, n = 0;
	const char *q;

	for (start = 0; (q = memchr(buf + start, '\n', len - start)) != NULL;
	    start = (size_t)(q - buf) + 1)
		n++;
	d->buf = buf;
	if ((d->lines = calloc(n + 1, sizeof(*d->lines))) == NULL)
		return cm_err_nomem(err);
	d->caplines = n + 1;
	d->eol = "\n";
	while (i < len) {
		struct line *l = &d->lines[d->nlines];
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;
		size_t tend = end;

		l->eol = "";
		if (nl != NULL) {
			l->eol = "\n";
			if (tend > i && buf[tend - 1] == '\r') {
				tend--;
				l->eol = "\r\n";
			}
			if (d->nlines == 0)
				d->eol = l->eol;
		}
		buf[tend] = '\0';
		l->text = buf + i;
		d->nlines++;
		i = nl != NULL ? end + 1 : len;
	}
	return 0;
}

/* Records the first error only: later ones are often its echoes. */
static void
parse_fail(struct parse *p, size_t line, const char *fmt, ...)
    CM_PRINTFLIKE(3, 4);

static void
parse_fail(struct parse *p, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (p->errline != 0)
		return;
	p->errline = line;
	cm_err_set(p->err, CM_ERR_SYSTEM, 0, "%s:%zu: ", p->d->path, line);
	va_start(ap, fmt);
	cm_err_vappend(p->err, fmt, ap);
	va_end(ap);
}

static void
parse_nomem(struct parse *p, size_t line)
{
	if (p->errline == 0) {
		p->errline = line;
		cm_err_nomem(p->err);
	}
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || isspace((unsigned char)s[0]) ||
	    isspace((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '/' || s[i] == '\\' ||
		    (unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

static void
begin_section(struct parse *p, size_t li, const char *name, size_t n)
{
	struct doc *d = p->d;
	struct svc *v, *nv;
	char *copy;
	size_t k;

	p->cur = -1;
	if (d->nsvcs == SIMSVC_MAX_SERVICES) {
		parse_fail(p, li + 1, "more than %u services (the sim's "
		    "limit)", SIMSVC_MAX_SERVICES);
		return;
	}
	if (!valid_name(name, n)) {
		parse_fail(p, li + 1, "[%.*s]: not a service name (no spaces "
		    "at the ends, no ',', '/' or '\\')", (int)n, name);
		return;
	}
	if ((copy = dupn(name, n)) == NULL) {
		parse_nomem(p, li + 1);
		return;
	}
	if ((v = doc_find(d, copy)) != NULL) {
		parse_fail(p, li + 1, "service [%s] is given twice (first at "
		    "line %zu)", copy, v->header + 1);
		free(copy);
		return;
	}
	nv = mem_grow(d->svcs, &d->capsvcs, d->nsvcs + 1, sizeof(*nv));
	if (nv == NULL) {
		free(copy);
		parse_nomem(p, li + 1);
		return;
	}
	d->svcs = nv;
	v = &d->svcs[d->nsvcs];
	memset(v, 0, sizeof(*v));
	v->name = copy;
	v->header = li;
	for (k = 0; k < K_COUNT; k++)
		v->key_line[k] = NOLINE;
	v->state = SVC_UNKNOWN;
	p->cur = (int)d->nsvcs++;
}

/*
 * inih's reader: hands over one physical line per call, so inih's line
 * numbers are ours, and looks at it first the way inih will: a section
 * header starts a service here (inih reports none for an empty section),
 * and an indented line after a key, which inih would silently append to
 * that key's value, is refused.
 */
static char *
reader(char *buf, int num, void *stream)
{
	struct parse *p = stream;
	struct doc *d = p->d;
	size_t li = p->next, len, max = (size_t)num - 2;
	const char *s, *t, *e;

	/* What is written back must fit too (rewrite_value). */
	d->maxline = max;
	if (li >= d->nlines)
		return NULL;
	p->next++;
	s = line_start(d, li);
	t = lskip(s);
	len = strlen(d->lines[li].text);
	if (len > max)
		parse_fail(p, li + 1, "line is longer than %zu characters "
		    "(inih's limit)", max);
	if (*t == '\0' || *t == ';' || *t == '#') {
		/* blank or comment */
	} else if (t > s && p->key_seen) {
		parse_fail(p, li + 1, "indented line: inih would join it to "
		    "the value above; remove the indentation");
	} else if (*t == '[') {
		e = find_chars_or_comment(t + 1, "]");
		if (*e == ']')
			begin_section(p, li, t + 1, (size_t)(e - t - 1));
		p->key_seen = 0;
	} else if (*find_chars_or_comment(t, "=:") != '\0') {
		p->key_seen = 1;
	}
	if (len > (size_t)num - 1)
		len = (size_t)num - 1;
	memcpy(buf, d->lines[li].text, len);
	buf[len] = '\0';
	return buf;
}

static int
parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

static int
parse_state(const char *s, enum svc_state *out)
{
	static const enum svc_state ok[] = { SVC_RUNNING, SVC_STOPPED,
	    SVC_STOP_PENDING, SVC_START_PENDING };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if ((text_casecmp(s, svc_state_name(ok[i])) == 0)) {
			*out = ok[i];
			return 0;
		}
	return -1;
}

/* Splits "a, b" into trimmed names; "" is the empty list. */
static int
parse_deps(struct parse *p, size_t line, struct svc *v, const char *s)
{
	char **nd;
	const char *e;
	size_t n;

	if (*s == '\0')
		return 0;
	for (;;) {
		s = lskip(s);
		e = strchr(s, ',');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0) {
			parse_fail(p, line, "[%s]: empty name in depends_on",
			    v->name);
			return -1;
		}
		nd = mem_grow(v->deps, &v->capdeps, v->ndeps + 1, sizeof(*nd));
		if (nd == NULL) {
			parse_nomem(p, line);
			return -1;
		}
		v->deps = nd;
		if ((v->deps[v->ndeps] = dupn(s, n)) == NULL) {
			parse_nomem(p, line);
			return -1;
		}
		v->ndeps++;
		if (e == NULL)
			return 0;
		s = e + 1;
	}
}

static void
parse_value(struct parse *p, size_t line, struct svc *v, enum key k,
    const char *val)
{
	unsigned long n;
	size_t i;

	if (*val == '\0' && k != K_STATE)
		return;         /* empty: the default (pid: none) */
	switch (k) {
	case K_STATE:
		if (parse_state(val, &v->state) != 0)
			parse_fail(p, line, "[%s]: state '%s' is not running, "
			    "stopped, stop_pending or start_pending", v->name,
			    val);
		break;
	case K_PID:
		if (parse_ulong(val, MAX_PID, &n) != 0)
			parse_fail(p, line, "[%s]: pid '%s' is not a number "
			    "0..4294967295", v->name, val);
		else
			v->pid = n;
		break;
	case K_DEPENDS_ON:
		parse_deps(p, line, v, val);
		break;
	case K_STOP_MS:
	case K_START_MS:
		if (parse_ulong(val, SIMSVC_MAX_MS, &n) != 0)
			parse_fail(p, line, "[%s]: %s '%s' is not a number of "
			    "milliseconds 0..%u", v->name, key_names[k], val,
			    SIMSVC_MAX_MS);
		else if (k == K_STOP_MS)
			v->stop_ms = (unsigned)n;
		else
			v->start_ms = (unsigned)n;
		break;
	case K_DEADLINE:
		if (parse_ulong(val, ULONG_MAX, &n) != 0 || n == 0)
			parse_fail(p, line, "[%s]: deadline '%s' is not a time "
			    "in milliseconds since 1970", v->name, val);
		else
			v->deadline = n;
		break;
	case K_FAIL:
		for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]);
		    i++)
			if ((text_casecmp(val, fault_names[i]) == 0))
				break;
		if (i == sizeof(fault_names) / sizeof(fault_names[0]))
			parse_fail(p, line, "[%s]: fail '%s' is not none, "
			    "stop, start, start-always or hang-stop", v->name,
			    val);
		else
			v->fault = (enum fault)i;
		break;
	case K_COUNT:
		break;
	}
}

static int
handler(void *user, const char *section, const char *name, const char *val)
{
	struct parse *p = user;
	size_t li = p->next - 1, k;
	struct svc *v;

	(void)section;        /* cut at 49 characters; begin_section has it */
	if (p->cur < 0) {
		if (p->d->nsvcs == 0)
			parse_fail(p, li + 1, "'%s' is outside any [service] "
			    "section", name);
		return 1;
	}
	v = &p->d->svcs[p->cur];
	for (k = 0; k < K_COUNT; k++)
		if ((text_casecmp(name, key_names[k]) == 0))
			break;
	if (k == K_COUNT) {
		parse_fail(p, li + 1, "[%s]: unknown key '%s' (known: state, "
		    "pid, depends_on, stop_ms, start_ms, fail, deadline)",
		    v->name, name);
		return 1;
	}
	if (v->key_line[k] != NOLINE) {
		parse_fail(p, li + 1, "[%s]: %s is given twice (first at line "
		    "%zu)", v->name, key_names[k], v->key_line[k] + 1);
		return 1;
	}
	v->key_line[k] = li;
	parse_value(p, li + 1, v, (enum key)k, val);
	return 1;
}

/* Colours for the cycle search: 0 unvisited, 1 on the path, 2 done.
 * Returns the service whose dependency *to closes a cycle, or -1. */
static int
find_cycle(const struct doc *d, size_t i, unsigned char *colour, size_t *to)
{
	const struct svc *v = &d->svcs[i];
	size_t j;

	colour[i] = 1;
	for (j = 0; j < v->ndeps; j++) {
		if (colour[v->dep[j]] == 1) {
			*to = v->dep[j];
			return (int)i;
		}
		if (colour[v->dep[j]] == 0) {
			int c = find_cycle(d, v->dep[j], colour, to);
			if (c >= 0)
				return c;
		}
	}
	colour[i] = 2;
	return -1;
}

static size_t
line_of(const struct svc *v, enum key k)
{
	return (v->key_line[k] != NOLINE ? v->key_line[k] : v->header) + 1;
}

/* What a line-by-line parse cannot see: required keys, dependencies. */
static int
validate(struct doc *d, struct cm_err *err)
{
	unsigned char *colour;
	struct svc *v, *dv;
	size_t i, j;
	int c;

	for (i = 0; i < d->nsvcs; i++) {
		v = &d->svcs[i];
		if (v->key_line[K_STATE] == NOLINE)
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%zu: [%s] "
			    "has no state (state = running or stopped)",
			    d->path, v->header + 1, v->name);
		if (v->state != SVC_STOPPED && v->pid == 0)
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%zu: [%s] "
			    "is %s but has no pid: give it pid = N (N > 0)",
			    d->path, v->key_line[K_PID] != NOLINE ?
			    line_of(v, K_PID) : line_of(v, K_STATE), v->name,
			    svc_state_name(v->state));
		if (v->ndeps > 0 &&
		    (v->dep = calloc(v->ndeps, sizeof(*v->dep))) == NULL)
			return cm_err_nomem(err);
		for (j = 0; j < v->ndeps; j++) {
			dv = doc_find(d, v->deps[j]);
			if (dv == NULL || dv == v)
				return cm_err_set(err, CM_ERR_SYSTEM, 0,
				    "%s:%zu: [%s] depends on %s, %s", d->path,
				    line_of(v, K_DEPENDS_ON), v->name,
				    v->deps[j], dv == NULL ?
				    "which is not in this file" : "itself");
			v->dep[j] = (size_t)(dv - d->svcs);
		}
	}
	if ((colour = calloc(d->nsvcs + 1, 1)) == NULL)
		return cm_err_nomem(err);
	for (i = 0, c = -1; i < d->nsvcs && c < 0; i++)
		if (colour[i] == 0)
			c = find_cycle(d, i, colour, &j);
	free(colour);
	if (c >= 0)
		return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%zu: [%s] depends "
		    "on %s, which needs [%s] in turn: circular dependency "
		    "(Windows refuses one too)", d->path,
		    line_of(&d->svcs[c], K_DEPENDS_ON), d->svcs[c].name,
		    d->svcs[j].name, d->svcs[c].name);
	return 0;
}

static void drop_key(struct doc *d, struct svc *v, enum key k);
static int set_key(struct doc *d, struct svc *v, enum key k, const char *val,
    struct cm_err *err);

/* A real SCM finishes a stop or start when the service process gets
 * there, whether or not whoever asked for it still waits (a cmremedy
 * killed mid-restart).  A pending service whose deadline has passed is
 * taken as having arrived: stopped, or running (stopped for fail =
 * start-always).  Only the copy in memory changes; the next write of the
 * file keeps it. */
static int
finish_overdue(struct doc *d, struct cm_err *err)
{
	uint64_t now = sys_realtime_ms();
	size_t i;

	for (i = 0; i < d->nsvcs; i++) {
		struct svc *v = &d->svcs[i];
		enum svc_state to;

		if (v->deadline == 0 || now < v->deadline ||
		    (v->state != SVC_STOP_PENDING &&
		    v->state != SVC_START_PENDING))
			continue;
		to = v->state == SVC_STOP_PENDING || v->fault ==
		    FAULT_START_ALWAYS ? SVC_STOPPED : SVC_RUNNING;
		if (set_key(d, v, K_STATE, svc_state_name(to), err) != 0)
			return -1;
		drop_key(d, v, K_DEADLINE);
		v->state = to;
		v->deadline = 0;
	}
	return 0;
}

static int
doc_load(const char *path, struct doc **out, struct cm_err *err)
{
	struct parse p;
	struct doc *d;
	unsigned char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (sys_read_file(path, &buf, &len, err) != 0)
		return -1;
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s: contains NUL "
		    "bytes (UTF-16?): services.ini must be UTF-8 text", path);
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		free(buf);
		return cm_err_nomem(err);
	}
	d->path = path;
	rc = split_lines(d, (char *)buf, len, err);
	if (rc != 0) {
		doc_free(d);
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.d = d;
	p.cur = -1;
	p.err = err;
	rc = ini_parse_stream(reader, &p, handler, &p);
	if (rc > 0 && (p.errline == 0 || (size_t)rc < p.errline))
		cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%d: syntax error: "
		    "expected [service] or key = value", path, rc);
	if (rc != 0 || p.errline != 0 || validate(d, err) != 0 ||
	    finish_overdue(d, err) != 0) {
		doc_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* Replaces the value on line li, keeping a comment after it in its
 * column (inih's rule: a ';' after whitespace starts a comment).  A line
 * that would grow past what inih reads is refused, the file unchanged:
 * the sim never writes a file it cannot read back. */
static int
rewrite_value(struct doc *d, size_t li, const char *val, struct cm_err *err)
{
	const char *text = d->lines[li].text;
	const char *eq = find_chars_or_comment(lskip(line_start(d, li)), "=:");
	const char *c = find_chars_or_comment(eq + 1, NULL);
	const char *vs = lskip(eq + 1);
	size_t vlen = strlen(val), pre, sp = 0, pad = 0, col, len;
	struct strbuf b = { NULL, 0, 0, 0 };

	if (vs >= c) {          /* empty value: write it after "= " */
		vs = eq + 1 + (eq[1] == ' ');
		sp = vs == eq + 1;
	}
	pre = (size_t)(vs - text);
	col = (size_t)(c - text);
	if (*c != '\0')
		pad = pre + sp + vlen < col ? col - pre - sp - vlen : 1;
	/* Only a value past the column makes the line longer. */
	len = pre + sp + vlen + pad + strlen(c);
	if (len > d->maxline)
		return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%zu: writing "
		    "'%s' there would make the line longer than %zu "
		    "characters (inih's limit): shorten its comment",
		    d->path, li + 1, val, d->maxline);
	strbuf_put(&b, text, pre);
	strbuf_put(&b, " ", sp);
	strbuf_puts(&b, val);
	while (pad-- > 0)
		strbuf_puts(&b, " ");
	strbuf_puts(&b, c);
	if (b.failed) {
		strbuf_free(&b);
		return cm_err_nomem(err);
	}
	if (d->lines[li].owned)
		free(d->lines[li].text);
	d->lines[li].text = b.s;
	d->lines[li].owned = 1;
	return 0;
}

/* Adds "key = val" after the last key line of v's section. */
static int
insert_key(struct doc *d, struct svc *v, enum key k, const char *val,
    struct cm_err *err)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	struct line *nl;
	size_t pos = v->header, i, j;
	char *t;

	for (i = 0; i < K_COUNT; i++)
		if (v->key_line[i] != NOLINE && v->key_line[i] > pos)
			pos = v->key_line[i];
	pos++;
	nl = mem_grow(d->lines, &d->caplines, d->nlines + 1, sizeof(*nl));
	if (nl == NULL)
		return cm_err_nomem(err);
	d->lines = nl;
	strbuf_printf(&b, "%s = %s", key_names[k], val);
	if (b.failed) {
		strbuf_free(&b);
		return cm_err_nomem(err);
	}
	t = b.s;
	memmove(&nl[pos + 1], &nl[pos], (d->nlines - pos) * sizeof(*nl));
	d->nlines++;
	nl[pos].text = t;
	nl[pos].owned = 1;
	nl[pos].eol = d->eol;
	if (nl[pos - 1].eol[0] == '\0') {      /* was the unended last line */
		nl[pos - 1].eol = d->eol;
		nl[pos].eol = "";
	}
	for (i = 0; i < d->nsvcs; i++) {
		if (d->svcs[i].header >= pos)
			d->svcs[i].header++;
		for (j = 0; j < K_COUNT; j++)
			if (d->svcs[i].key_line[j] != NOLINE &&
			    d->svcs[i].key_line[j] >= pos)
				d->svcs[i].key_line[j]++;
	}
	v->key_line[k] = pos;
	return 0;
}

/* Removes key k's line of v, if it has one. */
static void
drop_key(struct doc *d, struct svc *v, enum key k)
{
	size_t pos = v->key_line[k], i, j;

	if (pos == NOLINE)
		return;
	if (d->lines[pos].owned)
		free(d->lines[pos].text);
	if (d->lines[pos].eol[0] == '\0' && pos > 0)
		d->lines[pos - 1].eol = "";     /* it was the unended last */
	memmove(&d->lines[pos], &d->lines[pos + 1],
	    (d->nlines - pos - 1) * sizeof(d->lines[0]));
	d->nlines--;
	for (i = 0; i < d->nsvcs; i++) {
		if (d->svcs[i].header > pos)
			d->svcs[i].header--;
		for (j = 0; j < K_COUNT; j++)
			if (d->svcs[i].key_line[j] != NOLINE &&
			    d->svcs[i].key_line[j] > pos)
				d->svcs[i].key_line[j]--;
	}
	v->key_line[k] = NOLINE;
}

/* Sets key k of v to val in the text: on its line, or on a new one. */
static int
set_key(struct doc *d, struct svc *v, enum key k, const char *val,
    struct cm_err *err)
{
	if (v->key_line[k] != NOLINE)
		return rewrite_value(d, v->key_line[k], val, err);
	return insert_key(d, v, k, val, err);
}

static int
doc_save(const struct doc *d, struct cm_err *err)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	size_t i;
	int rc;

	for (i = 0; i < d->nlines; i++) {
		strbuf_puts(&b, d->lines[i].text);
		strbuf_puts(&b, d->lines[i].eol);
	}
	if (b.failed) {
		strbuf_free(&b);
		return cm_err_nomem(err);
	}
	rc = sys_write_atomic(d->path, b.s != NULL ? b.s : "", b.len, err);
	strbuf_free(&b);
	return rc;
}

/* Sets the state (and the pid and deadline when they changed) and writes
 * the file. */
static int
persist(struct doc *d, struct svc *v, enum svc_state state,
    unsigned long pid, uint64_t deadline, struct cm_err *err)
{
	char num[24];

	char sv[64];

	if (v->state == state && v->pid == pid && v->deadline == deadline)
		return 0;
	if (pid != v->pid) {
		snprintf(num, sizeof(num), "%lu", pid);
		if (set_key(d, v, K_PID, num, err) != 0)
			return -1;
		v->pid = pid;
	}
	if (deadline != v->deadline) {
		/* The deadline has a line of its own while the service is
		 * pending, gone again when it settles: a finished state
		 * change edits only the state (and pid) lines. */
		if (deadline == 0)
			drop_key(d, v, K_DEADLINE);
		else {
			snprintf(sv, sizeof(sv), "%llu",
			    (unsigned long long)deadline);
			if (set_key(d, v, K_DEADLINE, sv, err) != 0)
				return -1;
		}
		v->deadline = deadline;
	}
	if (state != v->state) {
		if (set_key(d, v, K_STATE, svc_state_name(state), err) != 0)
			return -1;
		v->state = state;
	}
	return doc_save(d, err);
}

static void
status_of(const struct svc *v, struct svc_status *st)
{
	st->state = v->state;
	st->pid = v->state == SVC_STOPPED ? 0 : v->pid;
}

/* Loads the file and finds name in it. */
static int
load_svc(struct simsvc *s, const char *name, struct doc **d,
    struct svc **v, struct svc_status *st, struct cm_err *err)
{
	if (st != NULL) {
		st->state = SVC_UNKNOWN;
		st->pid = 0;
	}
	if (doc_load(s->path, d, err) != 0)
		return -1;
	if ((*v = doc_find(*d, name)) == NULL) {
		cm_err_set(err, CM_ERR_SYSTEM,
		    SIMSVC_ERROR_SERVICE_DOES_NOT_EXIST, "service %s does not "
		    "exist on this machine (no [%s] in %s)", name, name,
		    s->path);
		doc_free(*d);
		*d = NULL;
		return -1;
	}
	if (st != NULL)
		status_of(*v, st);
	return 0;
}

/* Appends to order[] every service that depends on i, directly or not,
 * each after all of its own dependents (a post-order walk). */
static void
walk_dependents(const struct doc *d, size_t i, unsigned char *seen,
    size_t *order, size_t *n)
{
	size_t j, k;

	for (j = 0; j < d->nsvcs; j++) {
		if (seen[j])
			continue;
		for (k = 0; k < d->svcs[j].ndeps; k++)
			if (d->svcs[j].dep[k] == i)
				break;
		if (k == d->svcs[j].ndeps)
			continue;
		seen[j] = 1;
		walk_dependents(d, j, seen, order, n);
		order[(*n)++] = j;
	}
}

/* The active dependents of v in stop order, as indices; *order malloc'd. */
static int
active_dependents(const struct doc *d, const struct svc *v, size_t **order,
    size_t *n, struct cm_err *err)
{
	unsigned char *seen = calloc(d->nsvcs, 1);
	size_t i, m = 0;

	*order = calloc(d->nsvcs, sizeof(**order));
	*n = 0;
	if (seen == NULL || *order == NULL) {
		free(seen);
		free(*order);
		*order = NULL;
		return cm_err_nomem(err);
	}
	seen[v - d->svcs] = 1;
	walk_dependents(d, (size_t)(v - d->svcs), seen, *order, &m);
	free(seen);
	for (i = 0; i < m; i++)
		if (d->svcs[(*order)[i]].state != SVC_STOPPED)
			(*order)[(*n)++] = (*order)[i];
	return 0;
}

/* One more than every pid in the file (kept also for stopped services), so
 * a restarted service always gets a larger pid; 0 when none is left. */
static unsigned long
next_pid(const struct doc *d)
{
	unsigned long max = 0;
	size_t i;

	for (i = 0; i < d->nsvcs; i++)
		if (d->svcs[i].pid > max)
			max = d->svcs[i].pid;
	return max < MAX_PID ? max + 1 : 0;
}

static int
tried_before(struct simsvc *s, const char *name, struct cm_err *err)
{
	char **nt;
	size_t i;

	for (i = 0; i < s->ntried; i++)
		if ((text_casecmp(s->tried[i], name) == 0))
			return 1;
	nt = mem_grow(s->tried, &s->captried, s->ntried + 1, sizeof(*nt));
	if (nt == NULL)
		return cm_err_nomem(err);
	s->tried = nt;
	if ((s->tried[s->ntried] = strdup(name)) == NULL)
		return cm_err_nomem(err);
	s->ntried++;
	return 0;
}

/*
 * Moves v through `pending` to `final`, taking need_ms (NEVER: never
 * gets there) and waiting at most timeout_ms; pid is the process's pid
 * from the pending state on.  Each state reached is written at once.
 */
static int
transition(struct doc *d, struct svc *v, enum svc_state pending,
    enum svc_state final, unsigned long pid, unsigned need_ms,
    unsigned timeout_ms, struct svc_status *st, struct cm_err *err)
{
	if (need_ms > 0) {
		/* The deadline lets the SCM finish the transition even if
		 * this process dies while it waits (finish_overdue). */
		if (persist(d, v, pending, pid, need_ms == NEVER ? 0 :
		    sys_realtime_ms() + need_ms, err) != 0)
			return -1;
		status_of(v, st);
		sys_sleep_ms(need_ms < timeout_ms ? need_ms : timeout_ms);
		if (need_ms == NEVER || need_ms > timeout_ms)
			return cm_err_set(err, CM_ERR_TIMEOUT, 0, "%s did not "
			    "%s within %u ms: it is still %s", v->name,
			    pending == SVC_STOP_PENDING ? "stop" : "start",
			    timeout_ms, svc_state_name(pending));
	}
	if (persist(d, v, final, pid, 0, err) != 0)
		return -1;
	status_of(v, st);
	return 0;
}

int
simsvc_open(const char *path, struct simsvc **out, struct cm_err *err)
{
	struct simsvc *s;
	struct doc *d;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		free(s);
		return cm_err_nomem(err);
	}
	if (doc_load(s->path, &d, err) != 0) {
		simsvc_close(s);
		return -1;
	}
	doc_free(d);
	*out = s;
	return 0;
}

void
simsvc_close(struct simsvc *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntried; i++)
		free(s->tried[i]);
	free(s->tried);
	free(s->path);
	free(s);
}

int
simsvc_query(struct simsvc *s, const char *name, struct svc_status *st,
    struct cm_err *err)
{
	struct doc *d;
	struct svc *v;

	if (load_svc(s, name, &d, &v, st, err) != 0)
		return -1;
	doc_free(d);
	return 0;
}

int
simsvc_dependents(struct simsvc *s, const char *name, char ***names,
    size_t *n, struct cm_err *err)
{
	struct doc *d;
	struct svc *v;
	size_t *order, m, i;
	char **out;

	*names = NULL;
	*n = 0;
	if (load_svc(s, name, &d, &v, NULL, err) != 0)
		return -1;
	if (active_dependents(d, v, &order, &m, err) != 0) {
		doc_free(d);
		return -1;
	}
	if ((out = calloc(m + 1, sizeof(*out))) == NULL)
		goto nomem;
	for (i = 0; i < m; i++)
		if ((out[i] = strdup(d->svcs[order[i]].name)) == NULL) {
			backend_free_names(out, i);
			goto nomem;
		}
	free(order);
	doc_free(d);
	*names = out;
	*n = m;
	return 0;
nomem:
	free(order);
	doc_free(d);
	return cm_err_nomem(err);
}

/* Refuses the stop of v while a dependent is active, naming them. */
static int
check_dependents(const struct doc *d, const struct svc *v,
    struct cm_err *err)
{
	struct strbuf list = { NULL, 0, 0, 0 };
	size_t *order, m, i;
	int rc;

	if (active_dependents(d, v, &order, &m, err) != 0)
		return -1;
	for (i = 0; i < m; i++) {
		const struct svc *dv = &d->svcs[order[i]];

		strbuf_printf(&list, "%s%s (%s)", i > 0 ? ", " : "", dv->name,
		    svc_state_name(dv->state));
	}
	free(order);
	if (m == 0)
		return 0;
	if (list.failed)
		rc = cm_err_nomem(err);
	else
		rc = cm_err_set(err, CM_ERR_SYSTEM,
		    SIMSVC_ERROR_DEPENDENT_SERVICES_RUNNING, "cannot stop %s: "
		    "ERROR_DEPENDENT_SERVICES_RUNNING (1051): active services "
		    "depend on it: %s; stop them first", v->name, list.s);
	strbuf_free(&list);
	return rc;
}

int
simsvc_stop(struct simsvc *s, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	struct doc *d;
	struct svc *v;
	int rc;

	if (load_svc(s, name, &d, &v, st, err) != 0)
		return -1;
	if (v->state == SVC_STOPPED)
		rc = 0;
	else if (v->state == SVC_START_PENDING)
		rc = cm_err_set(err, CM_ERR_SYSTEM,
		    SIMSVC_ERROR_SERVICE_CANNOT_ACCEPT_CTRL, "cannot stop %s: "
		    "ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061): it is still "
		    "start_pending", v->name);
	else if (check_dependents(d, v, err) != 0)
		rc = -1;
	else if (v->fault == FAULT_STOP)
		rc = cm_err_set(err, CM_ERR_SYSTEM,
		    SIMSVC_ERROR_SERVICE_CANNOT_ACCEPT_CTRL, "cannot stop %s: "
		    "ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061): the service "
		    "refused the stop request (simulated by fail = stop, "
		    "%s:%zu)",
		    v->name, s->path, line_of(v, K_FAIL));
	else if (v->fault == FAULT_HANG_STOP) {
		rc = transition(d, v, SVC_STOP_PENDING, SVC_STOPPED, v->pid,
		    NEVER, timeout_ms, st, err);
		if (rc != 0 && err != NULL && err->kind == CM_ERR_TIMEOUT)
			cm_err_append(err, " (simulated by fail = hang-stop, "
			    "%s:%zu)", s->path, line_of(v, K_FAIL));
	} else
		rc = transition(d, v, SVC_STOP_PENDING, SVC_STOPPED, v->pid,
		    v->stop_ms, timeout_ms, st, err);
	doc_free(d);
	return rc;
}

/* Checks that every service v depends on is running (Windows would start
 * them; cmremedy's callers start services in dependency order). */
static int
check_dependencies(const struct doc *d, const struct svc *v,
    struct cm_err *err)
{
	const struct svc *dv;
	size_t j;

	for (j = 0; j < v->ndeps; j++) {
		dv = &d->svcs[v->dep[j]];
		if (dv->state == SVC_RUNNING)
			continue;
		return cm_err_set(err, CM_ERR_SYSTEM,
		    SIMSVC_ERROR_SERVICE_DEPENDENCY_FAIL, "cannot start %s: "
		    "ERROR_SERVICE_DEPENDENCY_FAIL (1068): it depends on %s, "
		    "which is %s; start that first", v->name, dv->name,
		    svc_state_name(dv->state));
	}
	return 0;
}

/* A new process for v: starts, then falls back to stopped with 1066. */
static int
start_failing(struct simsvc *s, struct doc *d, struct svc *v,
    unsigned long pid, unsigned timeout_ms, struct svc_status *st,
    struct cm_err *err)
{
	if (transition(d, v, SVC_START_PENDING, SVC_STOPPED, pid, v->start_ms,
	    timeout_ms, st, err) != 0)
		return -1;
	return cm_err_set(err, CM_ERR_SYSTEM,
	    SIMSVC_ERROR_SERVICE_SPECIFIC_ERROR, "%s did not start: it "
	    "stopped with exit code 1066 (ERROR_SERVICE_SPECIFIC_ERROR) "
	    "(simulated by fail = %s, %s:%zu)", v->name,
	    fault_names[v->fault], s->path, line_of(v, K_FAIL));
}

int
simsvc_start(struct simsvc *s, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	struct doc *d;
	struct svc *v;
	unsigned long pid;
	int rc, tried;

	if (load_svc(s, name, &d, &v, st, err) != 0)
		return -1;
	if (v->state == SVC_RUNNING) {
		rc = 0;
	} else if (v->state == SVC_START_PENDING) {
		/* A start that timed out earlier: wait for the rest of it. */
		uint64_t now = sys_realtime_ms();
		rc = transition(d, v, SVC_START_PENDING, SVC_RUNNING, v->pid,
		    v->deadline == 0 ? v->start_ms : v->deadline > now ?
		    (unsigned)(v->deadline - now) : 0, timeout_ms, st, err);
	} else if (v->state == SVC_STOP_PENDING) {
		rc = cm_err_set(err, CM_ERR_SYSTEM,
		    SIMSVC_ERROR_SERVICE_CANNOT_ACCEPT_CTRL, "cannot start %s: "
		    "ERROR_SERVICE_CANNOT_ACCEPT_CTRL (1061): it is still "
		    "stop_pending", v->name);
	} else if (check_dependencies(d, v, err) != 0) {
		rc = -1;
	} else if ((pid = next_pid(d)) == 0) {
		rc = cm_err_set(err, CM_ERR_SYSTEM, 0, "cannot start %s: no "
		    "pid above 4294967295 is left in %s", v->name, s->path);
	} else if ((tried = tried_before(s, v->name, err)) < 0) {
		rc = -1;
	} else if (v->fault == FAULT_START_ALWAYS ||
	    (v->fault == FAULT_START && !tried)) {
		rc = start_failing(s, d, v, pid, timeout_ms, st, err);
	} else {
		rc = transition(d, v, SVC_START_PENDING, SVC_RUNNING, pid,
		    v->start_ms, timeout_ms, st, err);
	}
	doc_free(d);
	return rc;
}
