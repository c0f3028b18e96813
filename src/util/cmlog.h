// SPDX-License-Identifier: ISC
/* cmlog.h - a log file in CMTrace format, rotated as ConfigMgr rotates.
 *
 * Each record is one physical line:
 *   <![LOG[TEXT]LOG]!><time="HH:MM:SS.mmm+BIAS" date="MM-DD-YYYY"
 *   component="cmremedy" context="" type="T" thread="N" file="">
 * with local wall-clock time and BIAS the Windows bias in minutes (UTC =
 * local + BIAS, so "+480" is US Pacific winter, "-60" Central Europe),
 * type 1 information, 2 warning, 3 error.  When the file has reached
 * CMLOG_ROTATE_AT bytes it is renamed X.log -> X.lo_ (replacing the older
 * one) before the next record, as the ConfigMgr client does: at most two
 * files, about twice that size, are kept. */
#ifndef CM_CMLOG_H
#define CM_CMLOG_H

#include <stddef.h>
#include <time.h>

#include "err.h"

#define CMLOG_ROTATE_AT (2u * 1024u * 1024u)
#define CMLOG_COMPONENT "cmremedy"

enum cmlog_type { CMLOG_INFO = 1, CMLOG_WARNING = 2, CMLOG_ERROR = 3 };

/* Formats one record (with its line break) into buf of n bytes for the
 * given local time, milliseconds, bias and thread.  Text is copied with
 * line breaks turned into spaces and any "]LOG]!>" broken up, so that a
 * record is always one line a CMTrace reader can end.  A record longer
 * than n - 1 is cut.  Returns the length written (without the NUL). */
size_t cmlog_format(char *buf, size_t n, enum cmlog_type type,
    const char *text, const struct tm *local, int ms, long bias,
    unsigned long thread);

/* The rotated name of path: its last character replaced by '_'
 * ("cmremedy.log" -> "cmremedy.lo_").  Caller frees; NULL: no memory. */
char *cmlog_rotated_name(const char *path);

/* Appends one record stamped now, rotating first when path holds at least
 * rotate_at bytes (0: CMLOG_ROTATE_AT).  The record is written with one
 * write to a file opened for appending, so concurrent runs interleave
 * whole lines.  0, or -1 with err (CM_ERR_SYSTEM naming the path). */
int cmlog_append(const char *path, size_t rotate_at, enum cmlog_type type,
    const char *text, struct cm_err *err);

#endif
