// SPDX-License-Identifier: ISC
/* diag_record.h - the records a log parser hands out, the per-file
 * account of problems, and the small text and time helpers every parser
 * shares.  The lowest layer of diagnose: it includes no other diag file.
 * Grammars of the formats: diag_logline.h. */
#ifndef CM_DIAG_RECORD_H
#define CM_DIAG_RECORD_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"              /* CM_PRINTFLIKE */

/* A CMTrace/legacy message longer than this is cut (and reported). */
#define DIAG_RECMAX (64u * 1024u)

enum diag_format {
	DIAG_FMT_UNREADABLE = 0,
	DIAG_FMT_EMPTY,
	DIAG_FMT_BINARY,
	DIAG_FMT_UNKNOWN,
	DIAG_FMT_CMTRACE,
	DIAG_FMT_LEGACY,
	DIAG_FMT_IIS,
	DIAG_FMT_NONE      /* a folder with no log files in it */
};

/* "cmtrace", "legacy", "iis", ... as in the JSON report. */
const char *diag_format_name(enum diag_format f);

/* Per-file messages kept; later ones are only counted. */
#define DIAG_FILE_ERRS_MAX 10

/* What was learnt about one input file.  Owns path and errs[]. */
struct diag_file {
	char *path;
	enum diag_format fmt;
	int readable;            /* 1 once the file was opened and read */
	int rotated;             /* the rotation marker was seen */
	int nomem;               /* an error message could not be stored */
	unsigned long records;
	unsigned long nerrs;     /* errs[] holds the first DIAG_FILE_ERRS_MAX */
	char *errs[DIAG_FILE_ERRS_MAX];
};

/* A new record for path (copied), format UNREADABLE; NULL on allocation
 * failure. */
struct diag_file *diag_file_new(const char *path);

/* Frees f and what it owns. NULL is a no-op. */
void diag_file_free(struct diag_file *f);

/* Adds "PATH:LINE: msg" (or "PATH: msg" when line is 0) to f. */
void diag_file_error(struct diag_file *f, long line, const char *fmt, ...)
    CM_PRINTFLIKE(3, 4);

/* A CMTrace or legacy record.  msg is the raw message (legacy "~~" kept,
 * CMTrace line breaks as '\n'), not NUL-terminated. */
struct diag_rec {
	const char *msg;
	size_t msglen;
	const char *comp;        /* component, may be empty */
	size_t complen;
	long line;               /* first physical line of the record */
	int has_time;
	time_t utc;
};

/* An IIS record.  Spans point into the line; a column the #Fields: line
 * did not name has length 0 (status/substatus -1). */
struct diag_iis_rec {
	const char *text;        /* the whole line, without its line end */
	size_t textlen;
	long line;
	int status;
	int substatus;
	const char *stem, *cip, *date, *time;
	size_t stemlen, ciplen, datelen, timelen;
};

/* Parses the record's date and time columns.  Returns 0 and fills *utc,
 * or -1 if they are missing or malformed. */
int diag_iis_time(const struct diag_iis_rec *r, time_t *utc);

/* Where the records go.  Either callback may be NULL. */
struct diag_sink {
	void *ctx;
	void (*rec)(void *ctx, const struct diag_file *f,
	    const struct diag_rec *r);
	void (*iis)(void *ctx, const struct diag_file *f,
	    const struct diag_iis_rec *r);
};

/* The first occurrence of needle in h[0, hn), or NULL. */
const char *diag_find(const char *h, size_t hn, const char *needle,
    size_t nn);

/* 1 if s[0, n) is only blanks (space, tab, CR). */
int diag_blank(const char *s, size_t n);

/* 1 if s[0, n) is the rotation marker that ends a renamed .lo_ file. */
int diag_rotation_marker(const char *s, size_t n);

/* Parses a ConfigMgr date "M-D-YYYY" (one or two digit month and day) and
 * time "H:MM:SS[.fraction][+-BIAS]" into UTC (UTC = local + bias; no bias
 * means 0).  Returns 0, or -1 if either is malformed. */
int diag_cm_time(const char *date, size_t datelen, const char *tm,
    size_t tmlen, time_t *utc);

/* Copies up to room - used bytes of src into dst + *used; returns 1 if it
 * had to cut. */
int diag_append(char *dst, size_t *used, size_t room, const char *src,
    size_t n);

#endif
