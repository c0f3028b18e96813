// SPDX-License-Identifier: ISC
/* report_text.h - a report for a person to read (the JSON is for
 * programs; see core/report.h). */
#ifndef CM_REPORT_TEXT_H
#define CM_REPORT_TEXT_H

#include <stdio.h>

#include "core/report.h"
#include "util/text.h"

/* Prints the human form: the outcome, then each setting before -> after
 * and each service pid before -> after, then errors. */
void report_print_text(const struct report *r, FILE *out);

/* One side of a setting as both text forms (this one and the run log)
 * write it: its data, "(absent)", or "?" (not observed), the type named
 * when it is not stype.  A failed allocation marks b failed. */
void report_text_value(struct strbuf *b, const struct report_value *rv,
    uint32_t stype);

#endif
