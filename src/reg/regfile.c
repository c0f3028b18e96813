// SPDX-License-Identifier: ISC
/* regfile.c - regedit .reg files: a line-preserving reader and editor. */
#include "regfile.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"
#include "util/utf.h"

/*
 * The document is its physical lines, each kept as the UTF-8 text read
 * (without its line end) plus which line end followed it.  Serialising
 * writes them back unchanged, so untouched text survives byte for byte.
 * On top of the lines sits an index of records (key headers and values,
 * with the lines each spans) rebuilt from the lines after every edit; an
 * edit builds a new line array, indexes it, and only then replaces the
 * old one, so a failed edit leaves the document as it was.
 *
 * Semantics of the odd records, as regedit applies a file top to bottom:
 * when a value appears twice under a key, the last one counts; `"x"=-`
 * reads as absent; `[-KEY]` blocks and keys outside HKEY_LOCAL_MACHINE
 * are kept verbatim but cannot be addressed through this API.
 */

#define HKLM_LONG "HKEY_LOCAL_MACHINE"
#define HEADER_V5 "Windows Registry Editor Version 5.00"
#define HEADER_V4 "REGEDIT4"
/* regedit and reg export break a hex line once it reaches this many
 * characters (UTF-16 units), continuing with "\" and a two-space indent;
 * no line of hex data is then longer than 80 characters. */
#define HEX_WRAP 77

enum eol { EOL_NONE, EOL_LF, EOL_CRLF };

struct line {
	char *text;             /* UTF-8, NUL-terminated, no line end */
	size_t len;
	unsigned char eol;      /* enum eol */
};

enum reckind { REC_KEY, REC_DELKEY, REC_VALUE, REC_DELVALUE };

struct rec {
	enum reckind kind;
	size_t first;           /* first physical line (0-based) */
	size_t nlines;          /* hex data may continue over several */
	size_t key;             /* values: index of their block's header */
	char *name;             /* REC_KEY: "HKLM\\..." or NULL for other
				   hives; values: the name ("" = default) */
	uint32_t type;          /* values: REG_* number */
	int form;               /* values: how the data was written */
	uint64_t num;           /* FORM_DWORD */
	unsigned char *data;    /* FORM_QUOTED (unescaped UTF-8), FORM_HEX */
	size_t len;
};

enum { FORM_QUOTED, FORM_DWORD, FORM_HEX };

struct regfile {
	char *name;             /* for messages */
	enum regfile_enc enc;
	int bom;                /* UTF-8: the input began with EF BB BF */
	int v4;                 /* REGEDIT4: hex(2)/hex(7) are 8-bit text */
	unsigned char eol;      /* line end for new lines */
	struct line *lines;
	size_t nlines;
	struct rec *recs;
	size_t nrecs;
};

/* ---- small helpers ------------------------------------------------- */

static int
is_ws(char c)
{
	/* CR counts: a lone CR before the LF-less end of a line is layout. */
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && is_ws(*p))
		p++;
	return p;
}

static const char *
trim_end(const char *p, const char *end)
{
	while (end > p && is_ws(end[-1]))
		end--;
	return end;
}


/* The registry's own matching: ASCII letters fold, nothing else does. */
static int
ci_eq(const char *a, const char *b)
{
	return text_casecmp(a, b) == 0;
}

static int
ci_prefix(const char *s, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - s) >= n && text_ncasecmp(s, prefix, n) == 0;
}

static int
is_blank(const struct line *l)
{
	return skip_ws(l->text, l->text + l->len) == l->text + l->len;
}

static const char *
eol_text(unsigned char eol)
{
	return eol == EOL_CRLF ? "\r\n" : eol == EOL_LF ? "\n" : "";
}

static void
lines_free(struct line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
}

static void
recs_free(struct rec *recs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(recs[i].name);
		free(recs[i].data);
	}
	free(recs);
}

/* A growable array of lines that owns their text. */
struct lvec {
	struct line *v;
	size_t n, cap;
};

static void
lvec_free(struct lvec *lv)
{
	lines_free(lv->v, lv->n);
	lv->v = NULL;
	lv->n = lv->cap = 0;
}

/* Moves b's text into a new line (b is reset either way). */
static int
lvec_take(struct lvec *lv, struct strbuf *b, unsigned char eol)
{
	struct line *nv;

	if (b->failed || (b->s == NULL && (b->s = calloc(1, 1)) == NULL))
		goto fail;
	if ((nv = mem_grow(lv->v, &lv->cap, lv->n + 1, sizeof(*nv))) == NULL)
		goto fail;
	lv->v = nv;
	lv->v[lv->n].text = b->s;
	lv->v[lv->n].len = b->len;
	lv->v[lv->n].eol = eol;
	lv->n++;
	memset(b, 0, sizeof(*b));
	return 0;
fail:
	free(b->s);
	memset(b, 0, sizeof(*b));
	return -1;
}

static int
lvec_push(struct lvec *lv, const char *s, unsigned char eol)
{
	struct strbuf b = { 0 };

	strbuf_puts(&b, s);
	return lvec_take(lv, &b, eol);
}

/* ---- reading: bytes -> lines --------------------------------------- */

static const char *
doc_name(const char *name)
{
	return name != NULL ? name : "<input>";
}

/* Byte offset of the first unpaired surrogate in UTF-16LE data, or
 * SIZE_MAX if there is none. */
static size_t
utf16_unpaired(const unsigned char *b, size_t nbytes)
{
	size_t i;
	unsigned u, u2;

	for (i = 0; i + 1 < nbytes; i += 2) {
		u = b[i] | (unsigned)b[i + 1] << 8;
		if (u < 0xD800 || u > 0xDFFF)
			continue;
		if (u <= 0xDBFF && i + 3 < nbytes) {
			u2 = b[i + 2] | (unsigned)b[i + 3] << 8;
			if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
				i += 2;
				continue;
			}
		}
		return i;
	}
	return SIZE_MAX;
}

/* Line (1-based) of the code unit at byte offset off in UTF-16LE text. */
static size_t
utf16_line(const unsigned char *b, size_t off)
{
	size_t i, line = 1;

	for (i = 0; i + 1 < off; i += 2)
		if (b[i] == '\n' && b[i + 1] == 0)
			line++;
	return line;
}

/* Says why a UTF-16 body did not convert, and on which line. */
static int
utf16_error(const char *name, const unsigned char *b, size_t nbytes,
    struct cm_err *err)
{
	size_t off = utf16_unpaired(b, nbytes);

	if (off != SIZE_MAX)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s:%zu: bad UTF-16 "
		    "text: unpaired surrogate 0x%02x%02x", name,
		    utf16_line(b, off), b[off + 1], b[off]);
	if (nbytes % 2 != 0)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s:%zu: bad UTF-16 "
		    "text: the file has an odd number of bytes, so its last "
		    "character is cut", name, utf16_line(b, nbytes - 1));
	return cm_err_nomem(err);
}

/* Splits text into lines, checking each for NUL and UTF-8 validity. */
static int
split_lines(const char *name, const char *text, size_t len,
    struct line **out, size_t *nout, struct cm_err *err)
{
	struct line *v = NULL, *nv;
	size_t n = 0, cap = 0, start = 0, end, cut;
	const char *nl;
	unsigned char eol;

	while (start < len) {
		nl = memchr(text + start, '\n', len - start);
		end = nl != NULL ? (size_t)(nl - text) : len;
		cut = end;
		eol = EOL_NONE;
		if (nl != NULL) {
			eol = EOL_LF;
			if (end > start && text[end - 1] == '\r') {
				eol = EOL_CRLF;
				cut = end - 1;
			}
		}
		if (memchr(text + start, '\0', cut - start) != NULL) {
			cm_err_set(err, CM_ERR_INPUT, 0, "%s:%zu: bad text: "
			    "NUL character (a UTF-16 file without its byte "
			    "order mark?)", name, n + 1);
			goto fail;
		}
		if (!utf8_valid(text + start, cut - start)) {
			cm_err_set(err, CM_ERR_INPUT, 0, "%s:%zu: bad text: "
			    "not valid UTF-8", name, n + 1);
			goto fail;
		}
		if ((nv = mem_grow(v, &cap, n + 1, sizeof(*v))) == NULL)
			goto nomem;
		v = nv;
		if ((v[n].text = malloc(cut - start + 1)) == NULL)
			goto nomem;
		memcpy(v[n].text, text + start, cut - start);
		v[n].text[cut - start] = '\0';
		v[n].len = cut - start;
		v[n].eol = eol;
		n++;
		start = nl != NULL ? end + 1 : len;
	}
	*out = v;
	*nout = n;
	return 0;
nomem:
	cm_err_nomem(err);
fail:
	lines_free(v, n);
	return -1;
}

/* ---- reading: lines -> records ------------------------------------- */

struct parser {
	const char *name;
	int v4;
	const struct line *lines;
	size_t nlines;
	struct rec *recs;
	size_t nrecs, cap;
	struct cm_err *err;
};

/* Records "NAME:LINE: ..." for line (0-based) and returns -1. */
static int
perr(struct parser *ps, size_t line, const char *fmt, ...)
    CM_PRINTFLIKE(3, 4);

static int
perr(struct parser *ps, size_t line, const char *fmt, ...)
{
	va_list ap;

	cm_err_set(ps->err, CM_ERR_INPUT, 0, "%s:%zu: ", ps->name, line + 1);
	va_start(ap, fmt);
	cm_err_vappend(ps->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* show() quotes at most SHOW_MAX bytes, each as itself or as \xNN,
 * between two quotes: SHOW_LEN bytes with the NUL always hold them, so a
 * quote is never cut. */
#define SHOW_MAX 2
#define SHOW_LEN (1 + SHOW_MAX * 4 + 1 + 1)

/* Quotes up to n (at most SHOW_MAX) characters from p for a message into
 * buf; bytes outside printable ASCII are shown as hex so the message
 * stays valid text. */
static const char *
show(const char *p, const char *end, size_t n, char buf[SHOW_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	size_t i, o = 0;

	assert(n <= SHOW_MAX);
	buf[o++] = '\'';
	for (i = 0; i < n && p + i < end; i++) {
		c = (unsigned char)p[i];
		if (c > 0x20 && c < 0x7F) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 0xF];
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

static struct rec *
new_rec(struct parser *ps, enum reckind kind, size_t first)
{
	struct rec *nv;

	nv = mem_grow(ps->recs, &ps->cap, ps->nrecs + 1, sizeof(*nv));
	if (nv == NULL) {
		cm_err_nomem(ps->err);
		return NULL;
	}
	ps->recs = nv;
	memset(&ps->recs[ps->nrecs], 0, sizeof(ps->recs[0]));
	ps->recs[ps->nrecs].kind = kind;
	ps->recs[ps->nrecs].first = first;
	ps->recs[ps->nrecs].nlines = 1;
	return &ps->recs[ps->nrecs++];
}

/*
 * Reads a "..." string starting at the opening quote *pp, undoing the
 * escapes regedit and Wine write (\\ \" \n \r \0); any other backslash is
 * kept as written, as Wine's importer does.  Returns 0 and moves *pp past
 * the closing quote, 1 if there is none, -1 on allocation failure.
 */
static int
read_quoted(const char **pp, const char *end, char **out, size_t *outlen)
{
	const char *p = *pp + 1;
	char *o, *q;

	if ((o = malloc((size_t)(end - p) + 1)) == NULL)
		return -1;
	q = o;
	for (;;) {
		if (p >= end) {
			free(o);
			return 1;
		}
		if (*p == '"')
			break;
		if (*p == '\\') {
			if (p + 1 >= end) {
				free(o);
				return 1;
			}
			switch (p[1]) {
			case '\\': *q++ = '\\'; break;
			case '"': *q++ = '"'; break;
			case 'n': *q++ = '\n'; break;
			case 'r': *q++ = '\r'; break;
			case '0': *q++ = '\0'; break;
			default: *q++ = '\\'; *q++ = p[1]; break;
			}
			p += 2;
		} else
			*q++ = *p++;
	}
	*q = '\0';
	*pp = p + 1;
	*out = o;
	*outlen = (size_t)(q - o);
	return 0;
}

static int
parse_key(struct parser *ps, size_t i, const char *p, const char *end)
{
	struct rec *r;
	const char *in, *in_end;
	int del = 0;
	size_t n;

	if (end - p < 2 || end[-1] != ']')
		return perr(ps, i, "bad key line: no closing ']'");
	in = p + 1;
	in_end = end - 1;
	if (in < in_end && *in == '-') {
		del = 1;
		in++;
	}
	if (in == in_end)
		return perr(ps, i, "bad key line: empty key name");
	if ((r = new_rec(ps, del ? REC_DELKEY : REC_KEY, i)) == NULL)
		return -1;
	n = strlen(HKLM_LONG);
	if (!del && (size_t)(in_end - in) >= n && ci_prefix(in, in_end,
	    HKLM_LONG) && (in + n == in_end || in[n] == '\\')) {
		/* "HKLM" + the rest: the API's canonical spelling. */
		if ((r->name = malloc((size_t)(in_end - in) - n + 5)) == NULL)
			return cm_err_nomem(ps->err);
		memcpy(r->name, "HKLM", 4);
		memcpy(r->name + 4, in + n, (size_t)(in_end - in) - n);
		r->name[(size_t)(in_end - in) - n + 4] = '\0';
	}
	return 0;
}

static int
parse_dword(struct parser *ps, size_t i, const char *p, const char *end,
    struct rec *r)
{
	int k = 0, d;
	char c[SHOW_LEN];

	for (; p < end && (d = text_hexval(*p)) >= 0; p++) {
		if (++k > 8)
			return perr(ps, i, "bad dword: more than 8 hex "
			    "digits (a DWORD is at most ffffffff)");
		r->num = r->num << 4 | (uint64_t)d;
	}
	if (k == 0)
		return perr(ps, i, "bad dword: no hex digits after "
		    "'dword:'");
	p = skip_ws(p, end);
	if (p < end)
		return perr(ps, i, "bad dword: unexpected %s after the digits",
		    show(p, end, 1, c));
	r->type = REGT_DWORD;
	r->form = FORM_DWORD;
	return 0;
}

/*
 * Reads comma-separated hex bytes from p on line i, following trailing
 * backslashes onto the lines after; sets r->nlines to the lines used.
 */
static int
parse_hex(struct parser *ps, size_t i, const char *p, const char *end,
    struct rec *r)
{
	struct strbuf b = { 0 };
	size_t li = i;
	int want_byte = 1, cont, hi, lo;
	char bad[SHOW_LEN];
	unsigned char byte;
	const struct line *l;

	for (;;) {
		cont = end > p && end[-1] == '\\';
		if (cont)
			end--;
		for (p = skip_ws(p, end); p < end; p = skip_ws(p, end)) {
			if (want_byte) {
				hi = text_hexval(p[0]);
				lo = end - p >= 2 ? text_hexval(p[1]) : -1;
				if (hi < 0 || lo < 0) {
					free(b.s);
					return perr(ps, li, "bad hex data: %s "
					    "is not a byte of two hex digits",
					    show(p, end, 2, bad));
				}
				byte = (unsigned char)(hi << 4 | lo);
				strbuf_put(&b, &byte, 1);
				p += 2;
				want_byte = 0;
			} else if (*p == ',') {
				want_byte = 1;
				p++;
			} else {
				free(b.s);
				return perr(ps, li, "bad hex data: %s where "
				    "',' should separate the bytes",
				    show(p, end, 1, bad));
			}
		}
		if (!cont)
			break;
		if (li + 1 >= ps->nlines) {
			free(b.s);
			return perr(ps, li, "truncated continuation: the file "
			    "ends after a trailing '\\'");
		}
		l = &ps->lines[++li];
		p = skip_ws(l->text, l->text + l->len);
		end = trim_end(p, l->text + l->len);
		if (p == end) {
			free(b.s);
			return perr(ps, li, "truncated continuation: blank "
			    "line after a trailing '\\'");
		}
	}
	if (b.failed) {
		free(b.s);
		return cm_err_nomem(ps->err);
	}
	if (want_byte && b.len > 0) {
		free(b.s);
		return perr(ps, li, "bad hex data: ends with ','");
	}
	r->form = FORM_HEX;
	r->data = (unsigned char *)b.s;
	r->len = b.len;
	r->nlines = li - i + 1;
	return 0;
}

/* The data after '=': "...", dword:, hex:, hex(N):, or - (delete). */
static int
parse_data(struct parser *ps, size_t i, const char *p, const char *end,
    struct rec *r)
{
	const char *q;
	char *s;
	size_t n;
	int rc, d, k;
	uint32_t type = 0;

	if (p < end && *p == '-' && skip_ws(p + 1, end) == end) {
		r->kind = REC_DELVALUE;
		return 0;
	}
	if (p < end && *p == '"') {
		if ((rc = read_quoted(&p, end, &s, &n)) < 0)
			return cm_err_nomem(ps->err);
		if (rc > 0)
			return perr(ps, i, "bad string: unterminated "
			    "quotes");
		r->type = REGT_SZ;
		r->form = FORM_QUOTED;
		r->data = (unsigned char *)s;
		r->len = n;
		if (skip_ws(p, end) != end)
			return perr(ps, i, "bad string: text after the "
			    "closing quote");
		return 0;
	}
	if (ci_prefix(p, end, "dword:"))
		return parse_dword(ps, i, p + 6, end, r);
	if (!ci_prefix(p, end, "hex"))
		return perr(ps, i, "bad value: data must be \"...\", "
		    "dword:, hex:, hex(N): or -");
	q = p + 3;
	if (q < end && *q == ':') {
		r->type = REGT_BINARY;
		return parse_hex(ps, i, q + 1, end, r);
	}
	if (q >= end || *q != '(')
		return perr(ps, i, "bad value: expected ':' or '(' "
		    "after 'hex'");
	for (q++, k = 0; q < end && (d = text_hexval(*q)) >= 0; q++, k++) {
		if (k == 8)
			return perr(ps, i, "bad value: type number in "
			    "hex(N) is longer than 8 hex digits");
		type = type << 4 | (uint32_t)d;
	}
	if (k == 0 || end - q < 2 || q[0] != ')' || q[1] != ':')
		return perr(ps, i, "bad value: expected hex(N): with N "
		    "a hex type number");
	r->type = type;
	return parse_hex(ps, i, q + 2, end, r);
}

/* UTF-16 strings must be whole code units, else nothing can decode them. */
static int
check_utf16_len(struct parser *ps, const struct rec *r)
{
	char what[64];

	if (ps->v4 || r->form != FORM_HEX || r->len % 2 == 0 ||
	    (r->type != REGT_SZ && r->type != REGT_EXPAND_SZ &&
	    r->type != REGT_MULTI_SZ))
		return 0;
	snprintf(what, sizeof(what), "hex(%x) has %zu bytes", (unsigned)r->type,
	    r->len);
	return perr(ps, r->first, "bad string data: %s, an odd count for "
	    "UTF-16 text", what);
}

static int
parse_value(struct parser *ps, size_t i, const char *p, const char *end,
    size_t key)
{
	struct rec *r;
	char *s;
	size_t n;
	int rc;

	if ((r = new_rec(ps, REC_VALUE, i)) == NULL)
		return -1;
	r->key = key;
	if (*p == '@') {
		if ((r->name = calloc(1, 1)) == NULL)
			return cm_err_nomem(ps->err);
		p++;
	} else {
		if ((rc = read_quoted(&p, end, &s, &n)) < 0)
			return cm_err_nomem(ps->err);
		if (rc > 0)
			return perr(ps, i, "bad value name: unterminated "
			    "quotes");
		r->name = s;
		if (strlen(s) != n)
			return perr(ps, i, "bad value name: contains "
			    "\\0");
	}
	p = skip_ws(p, end);
	if (p >= end || *p != '=')
		return perr(ps, i, "bad value: expected '=' after the "
		    "value name");
	if (parse_data(ps, i, skip_ws(p + 1, end), end, r) != 0)
		return -1;
	return check_utf16_len(ps, r);
}

/* Indexes lines[1..n) (line 0 is the header, checked by the caller). */
static int
index_lines(const char *name, int v4, const struct line *lines, size_t n,
    struct rec **recs, size_t *nrecs, struct cm_err *err)
{
	struct parser ps = { name, v4, lines, n, NULL, 0, 0, err };
	const char *p, *end;
	size_t i, key = SIZE_MAX;
	int rc;

	for (i = 1; i < n; i++) {
		p = skip_ws(lines[i].text, lines[i].text + lines[i].len);
		end = trim_end(p, lines[i].text + lines[i].len);
		if (p == end || *p == ';' || *p == '#')
			continue;
		if (*p == '[') {
			rc = parse_key(&ps, i, p, end);
			key = ps.nrecs - 1;
		} else if (*p == '"' || *p == '@') {
			if (key == SIZE_MAX) {
				rc = perr(&ps, i, "value line before any "
				    "[key] line");
				goto out;
			}
			rc = parse_value(&ps, i, p, end, key);
			if (rc == 0)
				i += ps.recs[ps.nrecs - 1].nlines - 1;
		} else
			rc = perr(&ps, i, "bad line: expected [key], "
			    "\"name\"=data, @=data, a ; comment or a blank "
			    "line");
		if (rc != 0)
			goto out;
	}
	*recs = ps.recs;
	*nrecs = ps.nrecs;
	return 0;
out:
	recs_free(ps.recs, ps.nrecs);
	return -1;
}

/* ---- load ------------------------------------------------------------ */

static int
check_header(struct regfile *rf, struct cm_err *err)
{
	const struct line *l;
	const char *end;

	if (rf->nlines > 0) {
		l = &rf->lines[0];
		end = trim_end(l->text, l->text + l->len);
		if ((size_t)(end - l->text) == strlen(HEADER_V5) &&
		    memcmp(l->text, HEADER_V5, strlen(HEADER_V5)) == 0)
			return 0;
		if ((size_t)(end - l->text) == strlen(HEADER_V4) &&
		    memcmp(l->text, HEADER_V4, strlen(HEADER_V4)) == 0) {
			rf->v4 = 1;
			return 0;
		}
	}
	return cm_err_set(err, CM_ERR_INPUT, 0, "%s:1: not a .reg file: the "
	    "first line must be \"" HEADER_V5 "\" or \"" HEADER_V4 "\"",
	    rf->name);
}

int
regfile_parse(const char *name, const unsigned char *buf, size_t len,
    struct regfile **out, struct cm_err *err)
{
	struct regfile *rf;
	char *text = NULL;
	size_t tlen = 0, i;
	int rc = -1;

	*out = NULL;
	if ((rf = calloc(1, sizeof(*rf))) == NULL ||
	    (rf->name = strdup(doc_name(name))) == NULL) {
		regfile_free(rf);
		return cm_err_nomem(err);
	}
	rf->enc = REGFILE_UTF8;
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		rf->enc = REGFILE_UTF16LE;
		if (len % 2 != 0 ||
		    utf16le_to_utf8(buf + 2, len - 2, &text, &tlen) != 0) {
			utf16_error(rf->name, buf + 2, len - 2, err);
			goto done;
		}
		buf = (const unsigned char *)text;
		len = tlen;
	} else if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB &&
	    buf[2] == 0xBF) {
		rf->bom = 1;
		buf += 3;
		len -= 3;
	}
	if (split_lines(rf->name, (const char *)buf, len, &rf->lines,
	    &rf->nlines, err) != 0 || check_header(rf, err) != 0)
		goto done;
	rf->eol = EOL_CRLF;
	for (i = 0; i < rf->nlines; i++)
		if (rf->lines[i].eol != EOL_NONE) {
			rf->eol = rf->lines[i].eol;
			break;
		}
	if (index_lines(rf->name, rf->v4, rf->lines, rf->nlines, &rf->recs,
	    &rf->nrecs, err) != 0)
		goto done;
	*out = rf;
	rc = 0;
done:
	free(text);
	if (rc != 0)
		regfile_free(rf);
	return rc;
}

int
regfile_load(const char *path, struct regfile **out, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (sys_read_file(path, &buf, &len, err) != 0)
		return -1;
	rc = regfile_parse(path, buf, len, out, err);
	free(buf);
	return rc;
}

struct regfile *
regfile_new(enum regfile_enc enc)
{
	struct regfile *rf;
	struct lvec lv = { 0 };

	if ((rf = calloc(1, sizeof(*rf))) == NULL)
		return NULL;
	rf->enc = enc;
	rf->eol = EOL_CRLF;
	if ((rf->name = strdup("<new .reg>")) == NULL ||
	    lvec_push(&lv, HEADER_V5, EOL_CRLF) != 0 ||
	    lvec_push(&lv, "", EOL_CRLF) != 0) {
		lvec_free(&lv);
		regfile_free(rf);
		return NULL;
	}
	rf->lines = lv.v;
	rf->nlines = lv.n;
	return rf;
}

void
regfile_free(struct regfile *rf)
{
	if (rf == NULL)
		return;
	free(rf->name);
	lines_free(rf->lines, rf->nlines);
	recs_free(rf->recs, rf->nrecs);
	free(rf);
}

/* ---- lookups ------------------------------------------------------- */

static int
key_is(const struct regfile *rf, size_t k, const char *key)
{
	return rf->recs[k].kind == REC_KEY && rf->recs[k].name != NULL &&
	    ci_eq(rf->recs[k].name, key);
}

/* The record regedit would apply last for key\name, or SIZE_MAX. */
static size_t
find_value(const struct regfile *rf, const char *key, const char *name)
{
	size_t i, found = SIZE_MAX;

	for (i = 0; i < rf->nrecs; i++)
		if ((rf->recs[i].kind == REC_VALUE ||
		    rf->recs[i].kind == REC_DELVALUE) &&
		    key_is(rf, rf->recs[i].key, key) &&
		    ci_eq(rf->recs[i].name, name))
			found = i;
	return found;
}

static size_t
find_last_key(const struct regfile *rf, const char *key)
{
	size_t i, found = SIZE_MAX;

	for (i = 0; i < rf->nrecs; i++)
		if (key_is(rf, i, key))
			found = i;
	return found;
}

/* Keys given to the API: "HKLM" or "HKLM\\...", one line of UTF-8. */
static int
check_key(const struct regfile *rf, const char *key, struct cm_err *err)
{
	if (key == NULL || !ci_prefix(key, key + strlen(key), "HKLM") ||
	    (key[4] != '\0' && key[4] != '\\'))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: key \"%s\": only "
		    "HKLM\\... keys can be addressed", rf->name,
		    key != NULL ? key : "(null)");
	if (strpbrk(key, "\r\n") != NULL || !utf8_valid(key, strlen(key)))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: key \"%s\": not "
		    "one line of UTF-8 text", rf->name, key);
	return 0;
}

static int
check_name(const struct regfile *rf, const char *name, struct cm_err *err)
{
	if (name == NULL || strpbrk(name, "\r\n") != NULL ||
	    !utf8_valid(name, strlen(name)))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: value name: not "
		    "one line of UTF-8 text", rf->name);
	return 0;
}

int
regfile_key_exists(const struct regfile *rf, const char *key)
{
	return key != NULL && find_last_key(rf, key) != SIZE_MAX;
}

int
regfile_has_subkey(const struct regfile *rf, const char *key)
{
	const struct rec *r;
	size_t i, klen;

	if (key == NULL)
		return 0;
	klen = strlen(key);
	for (i = 0; i < rf->nrecs; i++) {
		r = &rf->recs[i];
		if (r->kind == REC_KEY && r->name != NULL &&
		    ci_prefix(r->name, r->name + strlen(r->name), key) &&
		    r->name[klen] == '\\')
			return 1;
	}
	return 0;
}

/* ---- decoding a value for regfile_get ------------------------------ */

static int
decode_err(const struct regfile *rf, const struct rec *r, const char *why,
    struct cm_err *err)
{
	return cm_err_set(err, CM_ERR_INPUT, 0, "%s:%zu: value \"%s\": cannot "
	    "decode: %s", rf->name, r->first + 1, r->name, why);
}

/* The record's string data as UTF-8 (UTF-16LE unless REGEDIT4). */
static int
hex_text(const struct regfile *rf, const struct rec *r, char **s,
    size_t *n, struct cm_err *err)
{
	if (rf->v4) {
		if (!utf8_valid((const char *)r->data, r->len))
			return decode_err(rf, r, "8-bit text is not UTF-8",
			    err);
		if ((*s = malloc(r->len + 1)) == NULL)
			return cm_err_nomem(err);
		if (r->len > 0)
			memcpy(*s, r->data, r->len);
		(*s)[r->len] = '\0';
		*n = r->len;
		return 0;
	}
	if (utf16le_to_utf8(r->data, r->len, s, n) != 0) {
		if (utf16_unpaired(r->data, r->len) != SIZE_MAX)
			return decode_err(rf, r, "unpaired UTF-16 surrogate",
			    err);
		return cm_err_nomem(err);
	}
	return 0;
}

static int
decode_string(const struct regfile *rf, const struct rec *r,
    struct regval *out, struct cm_err *err)
{
	char *s;
	size_t n;
	int rc;

	if (r->form == FORM_QUOTED) {
		if (memchr(r->data, '\0', r->len) != NULL)
			return decode_err(rf, r, "string contains \\0", err);
		return regval_set_string(out, r->type, (const char *)r->data) ?
		    cm_err_nomem(err) : 0;
	}
	if (hex_text(rf, r, &s, &n, err) != 0)
		return -1;
	/* One terminator is the registry's; more would be data we cannot
	 * represent in a C string, so refuse rather than drop it. */
	if (n > 0 && s[n - 1] == '\0')
		n--;
	if (memchr(s, '\0', n) != NULL) {
		free(s);
		return decode_err(rf, r, "string contains \\0 before its end",
		    err);
	}
	rc = regval_set_string(out, r->type, s);
	free(s);
	return rc != 0 ? cm_err_nomem(err) : 0;
}

static int
decode_multi(const struct regfile *rf, const struct rec *r,
    struct regval *out, struct cm_err *err)
{
	struct cm_err why;
	char *s;
	size_t n;
	int rc;

	if (hex_text(rf, r, &s, &n, err) != 0)
		return -1;
	rc = regval_set_multi_data(out, s, n, &why);
	free(s);
	if (rc == 0)
		return 0;
	if (why.kind == CM_ERR_NOMEM)
		return cm_err_nomem(err);
	return decode_err(rf, r, why.msg, err);
}

static int
decode_number(const struct regfile *rf, const struct rec *r, size_t width,
    struct regval *out, struct cm_err *err)
{
	uint64_t num = 0;
	size_t i;

	if (r->len != width)
		return decode_err(rf, r, width == 4 ? "REG_DWORD data is not 4 "
		    "bytes" : "REG_QWORD data is not 8 bytes", err);
	for (i = width; i > 0; i--)
		num = num << 8 | r->data[i - 1];
	regval_set_number(out, r->type, num);
	return 0;
}

int
regfile_get(const struct regfile *rf, const char *key, const char *name,
    struct regval *out, struct cm_err *err)
{
	const struct rec *r;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (check_key(rf, key, err) != 0 || check_name(rf, name, err) != 0)
		return -1;
	if ((i = find_value(rf, key, name)) == SIZE_MAX ||
	    rf->recs[i].kind == REC_DELVALUE)
		return 0;
	r = &rf->recs[i];
	if (r->form == FORM_DWORD) {
		regval_set_number(out, REGT_DWORD, r->num);
		return 1;
	}
	switch (r->type) {
	case REGT_SZ:
	case REGT_EXPAND_SZ:
		return decode_string(rf, r, out, err) == 0 ? 1 : -1;
	case REGT_MULTI_SZ:
		return decode_multi(rf, r, out, err) == 0 ? 1 : -1;
	case REGT_DWORD:
		return decode_number(rf, r, 4, out, err) == 0 ? 1 : -1;
	case REGT_QWORD:
		return decode_number(rf, r, 8, out, err) == 0 ? 1 : -1;
	default:
		if (regval_set_bytes(out, r->type, r->data, r->len) != 0)
			return cm_err_nomem(err);
		return 1;
	}
}

/* ---- writing new records as regedit does --------------------------- */

/* Characters as regedit counts them for line width: UTF-16 units. */
static size_t
utf16_units(const char *s, size_t n)
{
	size_t i, u = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			u++;
		if ((unsigned char)s[i] >= 0xF0)
			u++;
	}
	return u;
}

/* `"name"=` with \ and " escaped, or `@=` for the default value. */
static void
sb_name(struct strbuf *b, const char *name)
{
	if (*name == '\0') {
		strbuf_puts(b, "@=");
		return;
	}
	strbuf_puts(b, "\"");
	for (; *name != '\0'; name++) {
		if (*name == '\\' || *name == '"')
			strbuf_puts(b, "\\");
		strbuf_put(b, name, 1);
	}
	strbuf_puts(b, "\"=");
}

/* Appends hex data to the line in b, wrapping as regedit does, and moves
 * the finished lines into lv. */
static int
emit_hex(const struct regfile *rf, struct strbuf *b, struct lvec *lv,
    uint32_t type, const unsigned char *d, size_t n)
{
	char pre[24], byte[3];
	size_t width, i;

	if (type == REGT_BINARY)
		snprintf(pre, sizeof(pre), "hex:");
	else
		snprintf(pre, sizeof(pre), "hex(%x):", (unsigned)type);
	width = utf16_units(b->s, b->len) + strlen(pre);
	strbuf_puts(b, pre);
	for (i = 0; i < n; i++) {
		snprintf(byte, sizeof(byte), "%02x", d[i]);
		strbuf_put(b, byte, 2);
		if (i + 1 == n)
			break;
		strbuf_put(b, ",", 1);
		width += 3;
		if (width >= HEX_WRAP) {
			strbuf_put(b, "\\", 1);
			if (lvec_take(lv, b, rf->eol) != 0)
				return -1;
			strbuf_puts(b, "  ");
			width = 2;
		}
	}
	return lvec_take(lv, b, rf->eol);
}

/* Appends one string's bytes as a .reg file stores them, with its
 * terminator: UTF-16LE in version 5 files, 8-bit in REGEDIT4. */
static int
put_text(const struct regfile *rf, struct strbuf *d, const char *s, size_t n)
{
	unsigned char *w;
	size_t wn;

	if (!utf8_valid(s, n))
		return 1;
	if (rf->v4) {
		strbuf_put(d, s, n);
		strbuf_put(d, "", 1);
		return 0;
	}
	if (utf8_to_utf16le(s, n, &w, &wn) != 0)
		return -1;
	strbuf_put(d, w, wn);
	strbuf_put(d, "\0", 2);
	free(w);
	return 0;
}

/* The data bytes of a string type for hex(1), hex(2) or hex(7). */
static int
text_bytes(const struct regfile *rf, const struct regval *v,
    struct strbuf *d)
{
	const char *s = v->data != NULL ? (const char *)v->data : "";
	size_t len = v->data != NULL ? v->len : 0, pos = 0, n;
	int rc;

	if (v->type != REGT_MULTI_SZ)
		return put_text(rf, d, s, len > 0 ? strnlen(s, len) : 0);
	while (pos < len && s[pos] != '\0') {
		n = strnlen(s + pos, len - pos);
		if ((rc = put_text(rf, d, s + pos, n)) != 0)
			return rc;
		pos += n + 1;
	}
	strbuf_put(d, "\0", rf->v4 ? 1 : 2);
	return 0;
}

static int
fmt_string(const struct regfile *rf, struct strbuf *b, struct lvec *lv,
    const char *name, const struct regval *v, struct cm_err *err)
{
	struct strbuf d = { 0 };
	const char *s = v->data != NULL ? (const char *)v->data : "";
	size_t n = v->data != NULL && v->len > 0 ? strnlen(s, v->len) : 0, i;
	int rc;

	/* A REG_SZ goes in quotes unless it holds a line break: \r and \n
	 * escapes inside quotes are Wine's convention, which Windows'
	 * regedit is not documented to read, while hex(1) means the same to
	 * every importer. */
	if (v->type == REGT_SZ && memchr(s, '\n', n) == NULL &&
	    memchr(s, '\r', n) == NULL) {
		if (!utf8_valid(s, n))
			goto bad;
		strbuf_puts(b, "\"");
		for (i = 0; i < n; i++) {
			if (s[i] == '\\' || s[i] == '"')
				strbuf_puts(b, "\\");
			strbuf_put(b, s + i, 1);
		}
		strbuf_puts(b, "\"");
		return lvec_take(lv, b, rf->eol) ? cm_err_nomem(err) : 0;
	}
	if ((rc = text_bytes(rf, v, &d)) > 0) {
		free(d.s);
		goto bad;
	}
	if (rc < 0 || d.failed || emit_hex(rf, b, lv, v->type,
	    (const unsigned char *)d.s, d.len) != 0) {
		free(d.s);
		free(b->s);     /* emit_hex resets b when it fails */
		memset(b, 0, sizeof(*b));
		return cm_err_nomem(err);
	}
	free(d.s);
	return 0;
bad:
	free(b->s);
	memset(b, 0, sizeof(*b));
	return cm_err_set(err, CM_ERR_INPUT, 0, "%s: value \"%s\": %s data is "
	    "not valid UTF-8", rf->name, name, regtype_name(v->type));
}

/* Formats `name=data` (or `name=-` when v is NULL) into lines. */
static int
fmt_record(const struct regfile *rf, const char *name,
    const struct regval *v, struct lvec *lv, struct cm_err *err)
{
	struct strbuf b = { 0 };
	unsigned char le[8];
	char num[32];
	size_t i;

	sb_name(&b, name);
	if (v == NULL) {
		strbuf_puts(&b, "-");
		return lvec_take(lv, &b, rf->eol) ? cm_err_nomem(err) : 0;
	}
	switch (v->type) {
	case REGT_DWORD:
		if (v->num > 0xFFFFFFFFu) {
			free(b.s);
			return cm_err_set(err, CM_ERR_INPUT, 0, "%s: value "
			    "\"%s\": REG_DWORD data is above 0xFFFFFFFF",
			    rf->name, name);
		}
		snprintf(num, sizeof(num), "dword:%08lx",
		    (unsigned long)v->num);
		strbuf_puts(&b, num);
		return lvec_take(lv, &b, rf->eol) ? cm_err_nomem(err) : 0;
	case REGT_QWORD:
		for (i = 0; i < 8; i++)
			le[i] = (unsigned char)(v->num >> (8 * i));
		return emit_hex(rf, &b, lv, REGT_QWORD, le, 8) ?
		    cm_err_nomem(err) : 0;
	case REGT_SZ:
	case REGT_EXPAND_SZ:
	case REGT_MULTI_SZ:
		return fmt_string(rf, &b, lv, name, v, err);
	default:
		return emit_hex(rf, &b, lv, v->type, v->data,
		    v->data != NULL ? v->len : 0) ? cm_err_nomem(err) : 0;
	}
}

/* ---- editing ------------------------------------------------------- */

/*
 * Replaces the document's lines by: every line not marked in drop, with
 * ins's lines placed before old line `at` (SIZE_MAX: nowhere).  Indexes
 * the result before committing, so on failure nothing changes.  Takes the
 * lines of ins either way.
 */
static int
rewrite(struct regfile *rf, const unsigned char *drop, size_t at,
    struct lvec *ins, struct cm_err *err)
{
	struct line *nl;
	struct rec *recs;
	size_t i, k, j = 0, nrecs, nins = ins != NULL ? ins->n : 0;

	if ((nl = malloc((rf->nlines + nins + 1) * sizeof(*nl))) == NULL)
		goto fail;
	for (i = 0; i <= rf->nlines; i++) {
		if (i == at) {
			for (k = 0; k < nins; k++) {
				/* What follows a last line needs a line end. */
				if (j > 0 && nl[j - 1].eol == EOL_NONE)
					nl[j - 1].eol = rf->eol;
				nl[j++] = ins->v[k];
			}
		}
		if (i < rf->nlines && (drop == NULL || !drop[i]))
			nl[j++] = rf->lines[i];
	}
	if (index_lines(rf->name, rf->v4, nl, j, &recs, &nrecs, err) != 0) {
		free(nl);
		if (ins != NULL)
			lvec_free(ins);
		return -1;
	}
	for (i = 0; i < rf->nlines; i++)
		if (drop != NULL && drop[i])
			free(rf->lines[i].text);
	free(rf->lines);
	recs_free(rf->recs, rf->nrecs);
	rf->lines = nl;
	rf->nlines = j;
	rf->recs = recs;
	rf->nrecs = nrecs;
	if (ins != NULL) {
		free(ins->v);
		memset(ins, 0, sizeof(*ins));
	}
	return 0;
fail:
	if (ins != NULL)
		lvec_free(ins);
	return cm_err_nomem(err);
}

static void
drop_rec(unsigned char *drop, const struct rec *r)
{
	memset(drop + r->first, 1, r->nlines);
}

/* Where a new value of key block h goes: after its last value. */
static size_t
block_end(const struct regfile *rf, size_t h)
{
	size_t j, last = h;

	for (j = h + 1; j < rf->nrecs && (rf->recs[j].kind == REC_VALUE ||
	    rf->recs[j].kind == REC_DELVALUE); j++)
		last = j;
	return rf->recs[last].first + rf->recs[last].nlines;
}

/* regfile_set and regfile_add_delete_marker: v NULL writes `name=-`. */
static int
put_record(struct regfile *rf, const char *key, const char *name,
    const struct regval *v, struct cm_err *err)
{
	struct lvec lv = { 0 };
	struct strbuf b = { 0 };
	unsigned char *drop = NULL;
	size_t i, at, h = SIZE_MAX;
	int newkey = 0, rc;

	if (check_key(rf, key, err) != 0 || check_name(rf, name, err) != 0)
		return -1;
	if ((i = find_value(rf, key, name)) != SIZE_MAX) {
		if ((drop = calloc(rf->nlines, 1)) == NULL)
			return cm_err_nomem(err);
		drop_rec(drop, &rf->recs[i]);
		at = rf->recs[i].first;
		/* The registry keeps a name's spelling when it is set again
		 * in another case; so does the file. */
		name = rf->recs[i].name;
	} else if ((h = find_last_key(rf, key)) != SIZE_MAX)
		at = block_end(rf, h);
	else {
		/* A new block at the end, set off by a blank line as regedit
		 * separates keys. */
		newkey = 1;
		at = rf->nlines;
		if (!is_blank(&rf->lines[rf->nlines - 1]) &&
		    lvec_push(&lv, "", rf->eol) != 0)
			goto nomem;
		strbuf_puts(&b, "[" HKLM_LONG);
		strbuf_puts(&b, key + 4);
		strbuf_puts(&b, "]");
		if (lvec_take(&lv, &b, rf->eol) != 0)
			goto nomem;
	}
	if (fmt_record(rf, name, v, &lv, err) != 0)
		goto fail;
	if (newkey && lvec_push(&lv, "", rf->eol) != 0)
		goto nomem;
	rc = rewrite(rf, drop, at, &lv, err);
	free(drop);
	return rc;
nomem:
	cm_err_nomem(err);
fail:
	lvec_free(&lv);
	free(drop);
	return -1;
}

int
regfile_set(struct regfile *rf, const char *key, const char *name,
    const struct regval *v, struct cm_err *err)
{
	return put_record(rf, key, name, v, err);
}

int
regfile_add_delete_marker(struct regfile *rf, const char *key,
    const char *name, struct cm_err *err)
{
	return put_record(rf, key, name, NULL, err);
}

int
regfile_delete_value(struct regfile *rf, const char *key, const char *name,
    struct cm_err *err)
{
	unsigned char *drop;
	size_t i;
	int any = 0, rc;

	if (check_key(rf, key, err) != 0 || check_name(rf, name, err) != 0)
		return -1;
	if ((drop = calloc(rf->nlines, 1)) == NULL)
		return cm_err_nomem(err);
	/* Every record of the name goes, or an earlier duplicate would
	 * resurface. */
	for (i = 0; i < rf->nrecs; i++)
		if ((rf->recs[i].kind == REC_VALUE ||
		    rf->recs[i].kind == REC_DELVALUE) &&
		    key_is(rf, rf->recs[i].key, key) &&
		    ci_eq(rf->recs[i].name, name)) {
			drop_rec(drop, &rf->recs[i]);
			any = 1;
		}
	rc = any ? rewrite(rf, drop, SIZE_MAX, NULL, err) : 0;
	free(drop);
	return rc;
}

/* Refuses to delete a key that has values or subkeys. */
static int
check_key_empty(const struct regfile *rf, const char *key,
    struct cm_err *err)
{
	const struct rec *r;
	size_t i, klen = strlen(key);

	for (i = 0; i < rf->nrecs; i++) {
		r = &rf->recs[i];
		if (r->kind == REC_VALUE && key_is(rf, r->key, key))
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%zu: "
			    "cannot delete key %s: it still has value \"%s\"",
			    rf->name, r->first + 1, key, r->name);
		if (r->kind == REC_KEY && r->name != NULL &&
		    ci_prefix(r->name, r->name + strlen(r->name), key) &&
		    r->name[klen] == '\\')
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s:%zu: "
			    "cannot delete key %s: it still has subkey %s",
			    rf->name, r->first + 1, key, r->name);
	}
	return 0;
}

/* With the header line h dropped, drops one of the two blank lines that
 * would then meet, so that removing a block regfile_set added restores
 * the file as it was. */
static void
drop_double_blank(const struct regfile *rf, unsigned char *drop, size_t h)
{
	size_t p = h, t = h;

	while (p > 0 && drop[p - 1])
		p--;
	while (t < rf->nlines && drop[t])
		t++;
	if (p > 0 && t < rf->nlines && is_blank(&rf->lines[p - 1]) &&
	    is_blank(&rf->lines[t]))
		drop[t] = 1;
}

int
regfile_delete_key(struct regfile *rf, const char *key, struct cm_err *err)
{
	unsigned char *drop;
	size_t i;
	int rc;

	if (check_key(rf, key, err) != 0)
		return -1;
	if (find_last_key(rf, key) == SIZE_MAX)
		return 0;
	if (check_key_empty(rf, key, err) != 0)
		return -1;
	if ((drop = calloc(rf->nlines, 1)) == NULL)
		return cm_err_nomem(err);
	for (i = 0; i < rf->nrecs; i++)
		if (key_is(rf, i, key) || (rf->recs[i].kind == REC_DELVALUE &&
		    key_is(rf, rf->recs[i].key, key)))
			drop_rec(drop, &rf->recs[i]);
	for (i = 0; i < rf->nrecs; i++)
		if (key_is(rf, i, key))
			drop_double_blank(rf, drop, rf->recs[i].first);
	rc = rewrite(rf, drop, SIZE_MAX, NULL, err);
	free(drop);
	return rc;
}

/* ---- output -------------------------------------------------------- */

int
regfile_serialize(const struct regfile *rf, unsigned char **buf,
    size_t *len, struct cm_err *err)
{
	struct strbuf b = { 0 };
	unsigned char *w, *o;
	size_t i, wn;

	*buf = NULL;
	*len = 0;
	if (rf->enc == REGFILE_UTF8 && rf->bom)
		strbuf_put(&b, "\xEF\xBB\xBF", 3);
	for (i = 0; i < rf->nlines; i++) {
		strbuf_put(&b, rf->lines[i].text, rf->lines[i].len);
		strbuf_puts(&b, eol_text(rf->lines[i].eol));
	}
	if (b.s == NULL && !b.failed && (b.s = calloc(1, 1)) == NULL)
		b.failed = 1;
	if (b.failed) {
		free(b.s);
		return cm_err_nomem(err);
	}
	if (rf->enc == REGFILE_UTF8) {
		*buf = (unsigned char *)b.s;
		*len = b.len;
		return 0;
	}
	/* Lines were valid UTF-8 when read or made, so only memory fails. */
	if (utf8_to_utf16le(b.s, b.len, &w, &wn) != 0) {
		free(b.s);
		return cm_err_nomem(err);
	}
	free(b.s);
	if ((o = malloc(wn + 2)) == NULL) {
		free(w);
		return cm_err_nomem(err);
	}
	o[0] = 0xFF;
	o[1] = 0xFE;
	memcpy(o + 2, w, wn);
	free(w);
	*buf = o;
	*len = wn + 2;
	return 0;
}

int
regfile_save(const struct regfile *rf, const char *path, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	if (regfile_serialize(rf, &buf, &len, err) != 0)
		return -1;
	rc = sys_write_atomic(path, buf, len, err);
	free(buf);
	return rc;
}
