// SPDX-License-Identifier: ISC
/* cert_output.h - certcheck's result as text (the connector's own count
 * lines first, so an admin can hold them against SMS_Cloud_ProxyConnector
 * .log) or as one JSON object (the contract of issue 11). */
#ifndef CM_CERT_OUTPUT_H
#define CM_CERT_OUTPUT_H

#include <stdio.h>

#include "cert.h"
#include "cert_filter.h"

/* computer: the name the SAN/subject check used ("" if unknown). */
int cert_output_text(const struct cert_set *set, const struct cert_result *r,
    const char *computer, FILE *out, struct cm_err *err);
int cert_output_json(const struct cert_set *set, const struct cert_result *r,
    const char *computer, FILE *out, struct cm_err *err);

/* "trusted", "untrusted-root", "partial", "revoked", "invalid". */
const char *cert_chain_id(enum cert_chain ch);

#endif
