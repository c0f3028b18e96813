// SPDX-License-Identifier: ISC
/* diag_parser.h - the interface between format detection
 * (diag_logline.c) and the parsers (diag_cmtrace.c, diag_legacy.c,
 * diag_iis.c): the detector holds a table of these and never includes a
 * parser; a parser sees only records, the reader and this. */
#ifndef CM_DIAG_PARSER_H
#define CM_DIAG_PARSER_H

#include "diag_reader.h"
#include "diag_record.h"

struct diag_parser {
	enum diag_format fmt;
	/* Reads r to its end, handing records to s and problems to f.
	 * Returns 0, or -1 on a read error (r->err). */
	int (*parse)(struct diag_reader *r, struct diag_file *f,
	    const struct diag_sink *s);
};

extern const struct diag_parser diag_cmtrace_parser;
extern const struct diag_parser diag_legacy_parser;
extern const struct diag_parser diag_iis_parser;

#endif
