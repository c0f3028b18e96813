// SPDX-License-Identifier: ISC
/* diag_advice.h - what diagnose says: the stages of the filter chain and
 * the reasons a certificate chain fails; the id, severity, cause and
 * remediation of each kind of finding, in report order, and the
 * X509ChainStatusFlags names the connector logs.  Texts only; deciding
 * which finding applies is diag_rules.c's job. */
#ifndef CM_DIAG_ADVICE_H
#define CM_DIAG_ADVICE_H

#include <stddef.h>

/* The filter chain's stages, in the order the connector applies them. */
enum diag_stage {
	DIAG_ST_DIGSIG, DIAG_ST_ROOTCA, DIAG_ST_PRIVKEY, DIAG_ST_CLIENTAUTH,
	DIAG_ST_N
};

/* "digital-signature", "allowed-root-ca", "private-key", "client-auth". */
const char *diag_stage_name(enum diag_stage s);

/* Why certificates failed the allowed-root-CA stage, read from the
 * connector's "Chain N status: NAME" lines (.NET X509ChainStatusFlags
 * names) that precede the filter chain.  The reason of a cert-filter-empty
 * finding; DIAG_RS_NONE when the chain logged no chain-build failure. */
enum diag_reason {
	DIAG_RS_NONE,
	DIAG_RS_REVOKED,           /* Revoked */
	DIAG_RS_UNTRUSTED_ROOT,    /* UntrustedRoot */
	DIAG_RS_PARTIAL_CHAIN,     /* PartialChain */
	DIAG_RS_NOT_TIME_VALID,    /* NotTimeValid, NotTimeNested */
	DIAG_RS_DISTRUSTED,        /* ExplicitDistrust */
	DIAG_RS_BAD_SIGNATURE,     /* NotSignatureValid */
	DIAG_RS_NOT_FOR_USAGE,     /* NotValidForUsage */
	DIAG_RS_WEAK_SIGNATURE,    /* HasWeakSignature */
	DIAG_RS_CRL_OFFLINE,       /* RevocationStatusUnknown,
				      OfflineRevocation */
	DIAG_RS_CHAIN_INVALID,     /* any other status, or none logged */
	DIAG_RS_N
};

/* "revoked", "untrusted-root", ... as in the report; NULL for NONE. */
const char *diag_reason_name(enum diag_reason r);

/* The reason a status name stands for (case-insensitive);
 * DIAG_RS_CHAIN_INVALID for a name it does not know. */
enum diag_reason diag_reason_of_status(const char *name, size_t n);

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
