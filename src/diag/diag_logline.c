// SPDX-License-Identifier: ISC
/* diag_logline.c - format detection from content, and the scan that
 * hands a file to its parser through the diag_parser table. */
#include "diag_logline.h"
#include "diag_parser.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/compat.h"

/* How much of a file detection looks at. */
#define DETECT_BYTES (64u * 1024u)

/* Text files have no NUL bytes and few control characters (below 0x20
 * but tab, CR, LF and form feed).  Counted by table, not by a chain of
 * comparisons for every byte. */
static int
looks_binary(const unsigned char *p, size_t n)
{
	static const unsigned char ctl[256] = {   /* the rest 0 */
		1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
	};
	size_t i, nctl = 0;

	if (n > 4096)
		n = 4096;
	if (memchr(p, '\0', n) != NULL)
		return 1;
	for (i = 0; i < n; i++)
		nctl += ctl[p[i]];
	return nctl * 100 > n;
}

/* Position of the first line that starts with an IIS directive. */
static const char *
first_directive(const char *p, size_t n)
{
	static const char *const dirs[] = { "#Fields:", "#Software:",
	    "#Version:", "#Date:" };
	const char *e = p + n, *l = p, *nl;
	size_t i;

	while (l < e) {
		for (i = 0; *l == '#' && i < sizeof(dirs) / sizeof(dirs[0]);
		    i++) {
			size_t dl = strlen(dirs[i]);
			if ((size_t)(e - l) >= dl &&
			    memcmp(l, dirs[i], dl) == 0)
				return l;
		}
		if ((nl = memchr(l, '\n', (size_t)(e - l))) == NULL)
			break;
		l = nl + 1;
	}
	return NULL;
}

/* 1 if p[0, n) holds nothing but blanks and line ends. */
static int
whitespace(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* The format whose marker comes first in the opening bytes wins. */
static enum diag_format
detect(const char *p, size_t n, int whole)
{
	const char *best = NULL, *q;
	enum diag_format f = DIAG_FMT_UNKNOWN;

	if (n == 0 || (whole && whitespace(p, n)))
		return DIAG_FMT_EMPTY;
	if (looks_binary((const unsigned char *)p, n))
		return DIAG_FMT_BINARY;
	if ((q = diag_find(p, n, "<![LOG[", 7)) != NULL) {
		best = q;
		f = DIAG_FMT_CMTRACE;
	}
	if ((q = diag_find(p, n, "$$<", 3)) != NULL && (!best || q < best)) {
		best = q;
		f = DIAG_FMT_LEGACY;
	}
	if ((q = first_directive(p, n)) != NULL && (!best || q < best))
		f = DIAG_FMT_IIS;
	return f;
}

/* The parsers this detector hands files to. */
static const struct diag_parser *const parsers[] = {
	&diag_cmtrace_parser, &diag_legacy_parser, &diag_iis_parser
};

static const struct diag_parser *
parser_for(enum diag_format fmt)
{
	size_t i;

	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (parsers[i]->fmt == fmt)
			return parsers[i];
	return NULL;
}

static int
scan(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *sink, const struct diag_scan_opts *o)
{
	static const struct diag_sink none = { NULL, NULL, NULL };
	const struct diag_parser *pr;
	const char *p;
	size_t n;
	int rc = 0;

	if (sink == NULL)
		sink = &none;
	if ((p = diag_reader_peek(r, DETECT_BYTES, &n)) == NULL)
		goto readerr;
	f->readable = 1;
	/* UTF-16 with its byte order mark: read as UTF-8 from here on. */
	if (n >= 2 && ((p[0] == '\xff' && p[1] == '\xfe') ||
	    (p[0] == '\xfe' && p[1] == '\xff'))) {
		if (diag_reader_utf16(r, p[0] == '\xfe', 2) < 0) {
			f->nomem = 1;
			return -1;
		}
		if ((p = diag_reader_peek(r, DETECT_BYTES, &n)) == NULL)
			goto readerr;
	}
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		r->start += 3;
		p += 3;
		n -= 3;
	}
	f->fmt = o && o->force ? o->force : detect(p, n, r->eof);
	if ((pr = parser_for(f->fmt)) != NULL)
		rc = pr->parse(r, f, sink);
	switch (f->fmt) {
	case DIAG_FMT_BINARY:
		diag_file_error(f, 0, "binary data, not a log file");
		break;
	case DIAG_FMT_UNKNOWN:
		diag_file_error(f, 0, "not a CMTrace, ConfigMgr server or IIS "
		    "W3C log (format not recognised from its first lines)");
		break;
	default:
		break;
	}
	if (rc == 0)
		return 0;
readerr:
	diag_file_error(f, r->lineno + 1, "read error: %s", strerror(r->err));
	return -1;
}

static size_t
bufsize(const struct diag_scan_opts *o)
{
	return o && o->bufsize ? o->bufsize : DIAG_BUFSIZE;
}

int
diag_scan_path(const char *path, struct diag_file *f,
    const struct diag_sink *sink, const struct diag_scan_opts *o)
{
	struct diag_reader r;
	struct stat st;
	int fd, rc;

	/* cm_open_read does not block on a FIFO named on the command line,
	 * and reads the bytes as they are (no CRLF translation on Windows). */
	if ((fd = cm_open_read(path)) < 0) {
		diag_file_error(f, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		diag_file_error(f, 0, "not a regular file");
		return -1;
	}
	if (diag_reader_init_fd(&r, fd, bufsize(o)) < 0) {
		close(fd);
		f->nomem = 1;
		return -1;
	}
	rc = scan(&r, f, sink, o);
	diag_reader_free(&r);
	close(fd);
	return rc;
}

int
diag_scan_mem(const unsigned char *buf, size_t len, struct diag_file *f,
    const struct diag_sink *sink, const struct diag_scan_opts *o)
{
	struct diag_reader r;
	int rc;

	if (diag_reader_init_mem(&r, buf, len, bufsize(o)) < 0) {
		f->nomem = 1;
		return -1;
	}
	rc = scan(&r, f, sink, o);
	diag_reader_free(&r);
	return rc;
}
