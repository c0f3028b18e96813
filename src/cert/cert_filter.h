// SPDX-License-Identifier: ISC
/* cert_filter.h - the CMG connection point's client-certificate filter, as
 * its verbose log (SMS_Cloud_ProxyConnector.log) counts it, as a pure
 * function of the certificate models.
 *
 * Stages, in the connector's order; a certificate stops at the first one it
 * fails and the count after a stage is how many are still in:
 *   1. digital-signature  Key Usage allows digitalSignature
 *   2. allowed-root-ca    the chain ends at an allowed root (not revoked)
 *   3. private-key        the private key is there
 *   4. client-auth        EKU holds Client Authentication (1.3.6.1.5.5.7.3.2)
 *
 * An absent Key Usage or EKU extension allows every usage.  That is what
 * .NET, the connector's runtime, does when it picks a client certificate
 * (System.Net.Security.CertificateHelper.IsValidClientCertificate in
 * dotnet/runtime rejects a certificate only when an extension is there and
 * lacks the usage) and what RFC 5280 4.2.1.12 says of a missing EKU.  The
 * anyExtendedKeyUsage OID (2.5.29.37.0) does not stand in for Client
 * Authentication there either, so it does not here.  The connector's own
 * code is not public: this is the documented .NET behaviour, not a reading
 * of the connector. */
#ifndef CM_CERT_FILTER_H
#define CM_CERT_FILTER_H

#include <stddef.h>
#include <time.h>

#include "cert.h"

enum cert_stage {
	CERT_STAGE_DIGITAL_SIGNATURE = 0,
	CERT_STAGE_ALLOWED_ROOT,
	CERT_STAGE_PRIVATE_KEY,
	CERT_STAGE_CLIENT_AUTH,
	CERT_NSTAGES,
	CERT_PASSED = CERT_NSTAGES  /* went through every stage */
};

/* What the filter says of one certificate. */
struct cert_eval {
	enum cert_stage stopped;  /* the stage it failed, or CERT_PASSED */
	int expired;              /* now is after not_after */
	int not_yet_valid;        /* now is before not_before */
	int names_computer;       /* subject CN or a SAN names the computer */
};

/* The filter's result over a set; eval[i] belongs to set->v[i]. */
struct cert_result {
	struct cert_eval *eval;   /* owned; cert_result_free */
	size_t n;
	size_t counts[CERT_NSTAGES]; /* still in after each stage */
	enum cert_stage emptied;  /* the stage that left none, or CERT_PASSED
	                             when at least one certificate passes */
};

/* Does certificate c pass stage s?  (The four tests, one at a time.) */
int cert_stage_passes(const struct cert *c, enum cert_stage s);

/* Runs the filter over every certificate of set.  now decides the validity
 * flags (never the stages); computer is the computer's name (short or
 * fully qualified; NULL or "" names nothing).  Returns 0 or -1 (nomem). */
int cert_filter(const struct cert_set *set, time_t now, const char *computer,
    struct cert_result *out, struct cm_err *err);

/* Frees out->eval; zeroes out.  NULL is fine. */
void cert_result_free(struct cert_result *r);

/* Does name (a DNS name from the certificate; "*." wildcards allowed in
 * the first label) name the computer?  ASCII case is ignored; a short
 * computer name matches the first label of an FQDN. */
int cert_name_matches(const char *name, const char *computer);

/* "digital-signature", "allowed-root-ca", "private-key", "client-auth";
 * NULL for CERT_PASSED. */
const char *cert_stage_id(enum cert_stage s);

/* The connector's words for the stage's count line:
 * "Filtered cert count with %s: N". */
const char *cert_stage_log_words(enum cert_stage s);

/* "pass" when a certificate survives, otherwise "fail". */
const char *cert_verdict(const struct cert_result *r);

/* What to do: names the stage that emptied the set and what the
 * certificate (template) must have; its own text when there was no
 * certificate at all.  NULL when one passes. */
const char *cert_remediation(const struct cert_result *r);

/* 0 when at least one certificate passes, 1 when none does. */
int cert_result_exit(const struct cert_result *r);

#endif
