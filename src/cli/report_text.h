// SPDX-License-Identifier: ISC
/* report_text.h - a report for a person to read (the JSON is for
 * programs; see core/report.h). */
#ifndef CM_REPORT_TEXT_H
#define CM_REPORT_TEXT_H

#include <stdio.h>

#include "core/report.h"

/* Prints the human form: the outcome, then each setting before -> after
 * and each service pid before -> after, then errors. */
void report_print_text(const struct report *r, FILE *out);

#endif
