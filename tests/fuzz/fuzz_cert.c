// SPDX-License-Identifier: ISC
/* fuzz_cert.c - libFuzzer target: what certcheck reads from certificate
 * files (PEM with certificates and keys, DER, PKCS#12), through the whole
 * engine (certcheck_run: read, build chains, filter, print).  The first
 * input byte chooses how: bit 0 gives the file as its own --trusted-root
 * too (so that chains a file brings can end at an allowed root), else the
 * root below is the only one (never the machine's /etc/ssl/certs, which
 * would make runs depend on the machine); bit 1 asks for JSON; bit 2
 * gives a --password-file.  The rest is the file.  certcheck ends 0 or 1,
 * or refuses the file as bad input (CM_ERR_INPUT: exit 2) naming it;
 * a file it can read is never "unreadable". */
#include <openssl/provider.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert/certcheck.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The root that signed the client seeds (tests/fuzz/seeds/cert): an
 * openssl-made P-256 CA; its key was thrown away. */
static const char root_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB2zCCAYGgAwIBAgIUI+IrA5BtC5CL7O+1S1in/IQ+OoUwCgYIKoZIzj0EAwIw\n"
	"OzELMAkGA1UEBhMCVVMxEDAOBgNVBAoMB0NvbnRvc28xGjAYBgNVBAMMEUNvbnRv\n"
	"c28gRnV6eiBSb290MB4XDTI2MTIwMzE1NTU1MVoXDTQ2MTEyODE1NTU1MVowOzEL\n"
	"MAkGA1UEBhMCVVMxEDAOBgNVBAoMB0NvbnRvc28xGjAYBgNVBAMMEUNvbnRvc28g\n"
	"RnV6eiBSb290MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7pPxWbLJL8IY1T/i\n"
	"9X4EBs116sXA66hrlTJhOP28/pWkag/3tplEeJzpBFvtLeFlP9TTtF6ztkPOqdOL\n"
	"DNkZ8KNjMGEwHQYDVR0OBBYEFEw4k5+LhsKWa5r2lhRR30p26TWvMB8GA1UdIwQY\n"
	"MBaAFEw4k5+LhsKWa5r2lhRR30p26TWvMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0P\n"
	"AQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUCIQCOX1qBuNDE0/lvBvtAEsTIO3Hc\n"
	"zr7Yi/epUxHZxtnO6QIgCHVZ0XyK2ABpEBBDAM2ebr3utmruxjJiMM27v3k7c/I=\n"
	"-----END CERTIFICATE-----\n";

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_cert: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *cert, *root, *pw;
	static FILE *null;
	struct certcheck_opts o;
	const char *files[1], *roots[1];
	struct cm_err err;
	int rc;

	if (null == NULL) {
		/* cert_source_load loads OpenSSL's default and legacy
		 * providers and unloads them when done; holding them here
		 * keeps each run from loading the legacy module afresh, as
		 * a single certcheck does once. */
		if (OSSL_PROVIDER_load(NULL, "legacy") == NULL ||
		    OSSL_PROVIDER_load(NULL, "default") == NULL)
			die("no OpenSSL providers", NULL);
		cert = fuzz_file_path("cert", "cert.bin");
		root = fuzz_file_path("cert", "root.pem");
		pw = fuzz_file_path("cert", "password.txt");
		fuzz_file_put(root, (const uint8_t *)root_pem,
		    sizeof(root_pem) - 1);
		fuzz_file_put(pw, (const uint8_t *)"Tr0ub4dor&3\n", 12);
		if ((null = fopen("/dev/null", "w")) == NULL)
			die("no /dev/null", NULL);
	}
	if (size == 0)
		return 0;
	fuzz_file_put(cert, data + 1, size - 1);
	memset(&o, 0, sizeof(o));
	files[0] = cert;
	roots[0] = data[0] & 1 ? cert : root;
	o.src.files = files;
	o.src.nfiles = 1;
	o.src.roots = roots;
	o.src.nroots = 1;
	o.json = (data[0] & 2) != 0;
	o.password_file = data[0] & 4 ? pw : NULL;
	o.computer = "cmgcp.contoso.com";
	o.now = 1796313276;  /* 2026-12-03, inside the seeds' validity */
	rc = certcheck_run(&o, null, &err);
	if (rc == 0 || rc == 1 || err.kind == CM_ERR_NOMEM)
		return 0;
	if (rc != -1)
		die("certcheck_run returned neither 0, 1 nor -1", NULL);
	if (err.kind != CM_ERR_INPUT)
		die("a refusal that is not bad input", err.msg);
	if (strncmp(err.msg, cert, strlen(cert)) != 0)
		die("a refusal that does not name the file", err.msg);
	return 0;
}
