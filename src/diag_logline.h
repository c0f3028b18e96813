/* diag_logline.h - log format detection and a streaming record iterator
 * for CMTrace, the legacy ConfigMgr server format and IIS W3C logs.
 *
 * A file is read once through a fixed buffer (no per-line allocation);
 * records are handed to callbacks and are valid only during the call.
 * Problems (truncated records, lines that are not records, read errors)
 * are counted and described in struct diag_file, never fatal.
 *
 * Grammars (REFERENCE.md section 2):
 *   CMTrace  <![LOG[MESSAGE]LOG]!><time="HH:MM:SS.fff+BIAS" date="M-D-YYYY"
 *            component="X" context="" type="1" thread="1" file="a.cpp:1">
 *            MESSAGE may span physical lines; the fraction may have any
 *            number of digits; BIAS (minutes, UTC = local + bias) may be
 *            missing, and is then taken as 0.
 *   legacy   MESSAGE  $$<COMPONENT><MM-DD-YYYY HH:MM:SS.fff+BIAS><thread=N>
 *            one record a line, "~~" standing for a line break; lines
 *            without "$$<" are joined to the record that follows.
 *   IIS W3C  "#Fields: a b c" names the columns of the lines after it,
 *            until the next #Fields: line; times are UTC.
 * The line "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>" that ends a
 * rotated .lo_ file is recognised and skipped.
 */
#ifndef CM_DIAG_LOGLINE_H
#define CM_DIAG_LOGLINE_H

#include <stddef.h>
#include <time.h>

#include "err.h"              /* CM_PRINTFLIKE */

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

/* The read buffer: also the longest line kept whole (longer ones are
 * truncated and reported).  Bounded memory is this plus the record
 * buffer below. */
#define DIAG_BUFSIZE (1024u * 1024u)
/* A CMTrace/legacy message longer than this is cut (and reported). */
#define DIAG_RECMAX (64u * 1024u)

struct diag_scan_opts {
	size_t bufsize;          /* 0: DIAG_BUFSIZE; tests use tiny buffers */
	enum diag_format force;  /* 0 (UNREADABLE): detect from the content */
};

/* Reads path (a regular file), sets f->fmt and f->readable and hands each
 * record to sink.  Returns 0, or -1 if the file could not be opened or
 * read (described in f).  o may be NULL. */
int diag_scan_path(const char *path, struct diag_file *f,
    const struct diag_sink *sink, const struct diag_scan_opts *o);

/* The same over len bytes in memory (fuzzing, tests). */
int diag_scan_mem(const unsigned char *buf, size_t len, struct diag_file *f,
    const struct diag_sink *sink, const struct diag_scan_opts *o);

#endif
