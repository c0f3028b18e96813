// SPDX-License-Identifier: ISC
/* diag_output.h - the diagnose report: text for a person, JSON (through
 * jansson) for programs.  The JSON shape is documented in diagnose.h. */
#ifndef CM_DIAG_OUTPUT_H
#define CM_DIAG_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "diag_logline.h"
#include "diag_rules.h"
#include "util/err.h"

/* Write the report of files[0, nfiles) and the (finished) findings of r
 * to out.  Returns 0, or -1 with err (CM_ERR_NOMEM, or CM_ERR_SYSTEM when
 * writing failed). */
int diag_output_text(FILE *out, struct diag_file *const *files,
    size_t nfiles, const struct diag_rules *r, struct cm_err *err);
int diag_output_json(FILE *out, struct diag_file *const *files,
    size_t nfiles, const struct diag_rules *r, struct cm_err *err);

#endif
