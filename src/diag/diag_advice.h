// SPDX-License-Identifier: ISC
/* diag_advice.h - what diagnose says: the id, severity, cause and
 * remediation of each kind of finding, in report order, and the
 * X509ChainStatusFlags names the connector logs.  Texts only; deciding
 * which finding applies is diag_rules.c's job. */
#ifndef CM_DIAG_ADVICE_H
#define CM_DIAG_ADVICE_H

#include "diag_rules.h"

/* Kinds of finding, in report order: most specific cause first. */
enum diag_kind {
	DIAG_K_FILTER,                                  /* + diag_stage */
	DIAG_K_REASON = DIAG_K_FILTER + DIAG_ST_N,      /* + reason - 1 */
	DIAG_K_CLIENTCERT = DIAG_K_REASON + DIAG_RS_N - 1,
	DIAG_K_FORBIDDEN,
	DIAG_K_IIS7, DIAG_K_IIS13, DIAG_K_IIS16, DIAG_K_IIS17,
	DIAG_K_SECURE,
	DIAG_K_TOKEN,
	DIAG_K_INBOX,
	DIAG_K_VERBOSE,
	DIAG_K_N
};

struct diag_advice {
	const char *id, *severity, *cause, *remediation;
};

/* The texts of kind k (0 <= k < DIAG_K_N). */
const struct diag_advice *diag_advice(enum diag_kind k);

/* cmg-client-cert-required's remediation when no connector log
 * (SMS_Cloud_ProxyConnector.log) was read, and when one was read but
 * logged no filter chain. */
extern const char diag_advice_collect_connector[];
extern const char diag_advice_clientcert_verbose[];

#endif
