/* diag_parsers.h - the three log parsers and the helpers they share
 * (internal to the diagnose module; see diag_logline.h for the grammars). */
#ifndef CM_DIAG_PARSERS_H
#define CM_DIAG_PARSERS_H

#include <stddef.h>
#include <time.h>

#include "diag_logline.h"
#include "diag_reader.h"

/* Each parser reads r to its end, handing records to s and problems to f.
 * Returns 0, or -1 on a read error (r->err). */
int diag_cmtrace_parse(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *s);
int diag_legacy_parse(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *s);
int diag_iis_parse(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *s);

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
