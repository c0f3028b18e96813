// SPDX-License-Identifier: ISC
/* cert.h - a certificate as the CMG connector's client-certificate filter
 * sees it.  Sources (cert_source.h) fill these from the Windows store or
 * from files; the filter (cert_filter.h) reads them and nothing else, so it
 * is tested without any crypto library. */
#ifndef CM_CERT_H
#define CM_CERT_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"

/* Key Usage bits, in RFC 5280 order (digitalSignature is bit 0). */
enum cert_ku {
	CERT_KU_DIGITAL_SIGNATURE = 1u << 0,
	CERT_KU_NON_REPUDIATION   = 1u << 1,
	CERT_KU_KEY_ENCIPHERMENT  = 1u << 2,
	CERT_KU_DATA_ENCIPHERMENT = 1u << 3,
	CERT_KU_KEY_AGREEMENT     = 1u << 4,
	CERT_KU_KEY_CERT_SIGN     = 1u << 5,
	CERT_KU_CRL_SIGN          = 1u << 6,
	CERT_KU_ENCIPHER_ONLY     = 1u << 7,
	CERT_KU_DECIPHER_ONLY     = 1u << 8
};
#define CERT_KU_NBITS 9

/* The EKU the connector needs to present the certificate to the MP. */
#define CERT_OID_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"

/* How building the chain ended (the source decides; the filter reads). */
enum cert_chain {
	CERT_CHAIN_TRUSTED = 0,   /* ends at an allowed root */
	CERT_CHAIN_UNTRUSTED_ROOT,/* ends at a root that is not allowed */
	CERT_CHAIN_PARTIAL,       /* an issuer could not be found */
	CERT_CHAIN_REVOKED,       /* a certificate in the chain is revoked */
	CERT_CHAIN_INVALID        /* anything else (bad signature, ...) */
};

/* One certificate.  Every pointer is owned by the struct (cert_clear). */
struct cert {
	char thumbprint[41];      /* SHA-1 of the DER, upper-case hex */
	char *subject;            /* "CN=a, O=b" (most specific first) */
	char *common_name;        /* the subject's most specific CN, or NULL */
	char **san;               /* DNS names and IP addresses */
	size_t nsan;
	time_t not_before, not_after;
	int has_ku;               /* the Key Usage extension is present */
	unsigned ku;              /* enum cert_ku bits; 0 if !has_ku */
	int has_eku;              /* the EKU extension is present */
	char **eku;               /* dotted OIDs, in certificate order */
	size_t neku;
	int has_private_key;
	int is_ca;                /* basicConstraints cA */
	int sha1_signature;       /* signed with a SHA-1 based algorithm */
	enum cert_chain chain;
	char *root;               /* subject of the chain's top; NULL if none */
	char *chain_error;        /* why the chain failed, or NULL */
	char *origin;             /* the file, or "LocalMachine\\My" */
};

/* A growable list of certificates; start from all zeroes. */
struct cert_set {
	struct cert *v;
	size_t n, cap;
};

/* Appends a zeroed certificate and points *out at it (valid until the
 * next add).  Returns 0 or -1 (CM_ERR_NOMEM). */
int cert_set_add(struct cert_set *s, struct cert **out, struct cm_err *err);

/* Frees every certificate and the list; zeroes s.  NULL is fine. */
void cert_set_free(struct cert_set *s);

/* Frees what c owns and zeroes it. */
void cert_clear(struct cert *c);

/* Sets c->thumbprint from the certificate's SHA-1 (20 bytes): upper-case
 * hex, as certutil and the Windows certificate store show it. */
void cert_set_thumbprint(struct cert *c, const unsigned char sha1[20]);

/* Appends a copy of str to the array *v of *n strings.  0 or -1 (nomem). */
int cert_strv_add(char ***v, size_t *n, const char *str, struct cm_err *err);

/* The RFC 5280 name of one Key Usage bit ("digitalSignature"), or NULL. */
const char *cert_ku_name(unsigned bit);

/* A friendly name for a well-known EKU OID ("Client Authentication"), or
 * NULL when the OID is not one admins meet in ConfigMgr. */
const char *cert_eku_name(const char *oid);

#endif
