// SPDX-License-Identifier: ISC
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

#include "diag_record.h"

/* The read buffer: also the longest line kept whole (longer ones are
 * truncated and reported).  Bounded memory is this plus the record
 * buffer below. */
#define DIAG_BUFSIZE (1024u * 1024u)

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
