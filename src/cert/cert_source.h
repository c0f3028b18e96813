// SPDX-License-Identifier: ISC
/* cert_source.h - where certificates come from: the Windows store
 * LocalMachine\My (read-only) and certificate files, turned into the model
 * of cert.h with each chain already built.  One implementation per
 * platform: cert_openssl.c (OpenSSL's libcrypto, everywhere but Windows)
 * and cert_capi.c (CryptoAPI, Windows). */
#ifndef CM_CERT_SOURCE_H
#define CM_CERT_SOURCE_H

#include <stddef.h>

#include "cert.h"

struct cert_source_opts {
	const char *const *files;  /* --cert FILE...: PEM, DER or PKCS#12 */
	size_t nfiles;
	const char *const *roots;  /* --trusted-root FILE...; none: the
	                              roots the machine trusts */
	size_t nroots;
	const char *password;      /* for PKCS#12 and encrypted PEM keys;
	                              NULL: the empty password */
	int store;                 /* read LocalMachine\My too */
};

/* Is there a certificate store to read on this platform? */
int cert_source_has_store(void);

/*
 * Reads the store (if o->store) and every file, in that order, appending
 * one struct cert per candidate to out, with its chain built against the
 * allowed roots.  Every certificate read from the files also serves as an
 * intermediate for the chains.  In a file that holds an end-entity
 * certificate, CA certificates (basicConstraints cA) are only chain
 * material, as Windows puts them in other stores on import; a file of CA
 * certificates alone gives them as candidates.
 *
 * Errors: CM_ERR_INPUT for data that is not a certificate, a wrong
 * password or a file without certificates (the message names the file);
 * CM_ERR_USAGE for o->store where there is no store; CM_ERR_SYSTEM for a
 * file or store that cannot be read.  On error out holds what was read so
 * far (the caller frees it either way).
 */
int cert_source_load(const struct cert_source_opts *o, struct cert_set *out,
    struct cm_err *err);

/* Writes the computer's name (as the system reports it) into buf.
 * Returns 0, or -1 if it is unknown (buf is then ""). */
int cert_source_computer(char *buf, size_t len);

#endif
