// SPDX-License-Identifier: ISC
/* cert_capi.c - certificates through CryptoAPI (crypt32), Windows only:
 * the store LocalMachine\My opened read-only, files through
 * CertCreateCertificateContext (DER, PEM blocks) and PFXImportCertStore
 * into memory, chains through CertGetCertificateChain.  cert_openssl.c is
 * the same contract on other systems. */
#ifdef _WIN32

#include "cert_source.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wincrypt.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/compat_win32.h"
#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"
#include "util/utf.h"

#define ENC (X509_ASN_ENCODING | PKCS_7_ASN_ENCODING)

#define STORE_NAME "LocalMachine\\My"

/* A candidate and where it came from. */
struct cand {
	PCCERT_CONTEXT ctx;
	int has_key;
	const char *origin;
};

/* Everything read; one owner, freed by load_free. */
struct load {
	struct cand *c;
	size_t n, cap;
	HCERTSTORE pool;        /* every certificate of the files (memory) */
	BYTE (*roots)[20];      /* SHA-1 of each --trusted-root certificate */
	size_t nroots;
};

static int
sys_error(struct cm_err *err, const char *what, const char *path)
{
	return w32_fail(err, GetLastError(), "%s%s%s", path ? path : "",
	    path ? ": " : "", what);
}

static int
cand_add(struct load *l, PCCERT_CONTEXT ctx, int has_key, const char *origin,
    struct cm_err *err)
{
	struct cand *v;

	if ((v = mem_grow(l->c, &l->cap, l->n + 1, sizeof(*v))) == NULL)
		return cm_err_nomem(err);
	l->c = v;
	l->c[l->n].ctx = CertDuplicateCertificateContext(ctx);
	l->c[l->n].has_key = has_key;
	l->c[l->n].origin = origin;
	l->n++;
	return 0;
}

static void
load_free(struct load *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		CertFreeCertificateContext(l->c[i].ctx);
	free(l->c);
	free(l->roots);
	if (l->pool != NULL)
		CertCloseStore(l->pool, 0);
	memset(l, 0, sizeof(*l));
}

/* .NET's X509Certificate2.HasPrivateKey on Windows: the certificate
 * carries key provider information (or, for keys imported without being
 * persisted, a key handle). */
static int
has_private_key(PCCERT_CONTEXT ctx)
{
	DWORD cb = 0;

	return CertGetCertificateContextProperty(ctx,
	    CERT_KEY_PROV_INFO_PROP_ID, NULL, &cb) ||
	    CertGetCertificateContextProperty(ctx, CERT_KEY_CONTEXT_PROP_ID,
	    NULL, &cb) ||
	    CertGetCertificateContextProperty(ctx,
	    CERT_NCRYPT_KEY_HANDLE_PROP_ID, NULL, &cb);
}

static int
is_ca(PCCERT_CONTEXT ctx)
{
	PCERT_EXTENSION ext = CertFindExtension(szOID_BASIC_CONSTRAINTS2,
	    ctx->pCertInfo->cExtension, ctx->pCertInfo->rgExtension);
	CERT_BASIC_CONSTRAINTS2_INFO bc;
	DWORD cb = sizeof(bc);

	if (ext == NULL || !CryptDecodeObjectEx(ENC, X509_BASIC_CONSTRAINTS2,
	    ext->Value.pbData, ext->Value.cbData, 0, NULL, &bc, &cb))
		return 0;
	return bc.fCA != FALSE;
}

/* ---- keys in PEM files (RSA only: what Windows can match without a key
 * container) ---- */

/* The RSA public key of a certificate as CryptoAPI's PUBLICKEYBLOB. */
static int
cert_rsa_blob(PCCERT_CONTEXT ctx, BYTE **blob, DWORD *len)
{
	const CERT_PUBLIC_KEY_INFO *pk = &ctx->pCertInfo->SubjectPublicKeyInfo;

	if (strcmp(pk->Algorithm.pszObjId, szOID_RSA_RSA) != 0)
		return -1;
	return CryptDecodeObjectEx(ENC, RSA_CSP_PUBLICKEYBLOB,
	    pk->PublicKey.pbData, pk->PublicKey.cbData,
	    CRYPT_DECODE_ALLOC_FLAG, NULL, blob, len) ? 0 : -1;
}

/* Does the PRIVATEKEYBLOB priv belong to the PUBLICKEYBLOB pub?  Both
 * start with BLOBHEADER, RSAPUBKEY (bit length, exponent), modulus. */
static int
rsa_match(const BYTE *pub, DWORD publen, const BYTE *priv, DWORD privlen)
{
	const size_t hdr = sizeof(BLOBHEADER) + sizeof(RSAPUBKEY);
	const RSAPUBKEY *a, *b;

	if (publen < hdr || privlen < hdr)
		return 0;
	a = (const RSAPUBKEY *)(pub + sizeof(BLOBHEADER));
	b = (const RSAPUBKEY *)(priv + sizeof(BLOBHEADER));
	if (a->bitlen != b->bitlen || a->pubexp != b->pubexp ||
	    publen < hdr + a->bitlen / 8 || privlen < hdr + b->bitlen / 8)
		return 0;
	return memcmp(pub + hdr, priv + hdr, a->bitlen / 8) == 0;
}

/* Reads one DER element at *p (before end): its tag and contents, and
 * moves *p past it.  Definite lengths up to 4 bytes only, which covers
 * every key a PEM file holds.  Returns 0 or -1. */
static int
der_next(const BYTE **p, const BYTE *end, BYTE *tag, const BYTE **c,
    size_t *n)
{
	const BYTE *q = *p;
	size_t len = 0, k;

	if (end - q < 2)
		return -1;
	*tag = *q++;
	if (*q < 0x80) {
		len = *q++;
	} else {
		k = *q++ & 0x7f;
		if (k == 0 || k > 4 || (size_t)(end - q) < k)
			return -1;
		while (k-- > 0)
			len = len << 8 | *q++;
	}
	if ((size_t)(end - q) < len)
		return -1;
	*c = q;
	*n = len;
	*p = q + len;
	return 0;
}

/* The RSA key inside a PKCS#8 PrivateKeyInfo (RFC 5208): SEQUENCE {
 * INTEGER version, SEQUENCE { OID rsaEncryption, ... }, OCTET STRING key }.
 * Read by hand: Wine 8 has no decoder for PKCS_PRIVATE_KEY_INFO. */
static int
pkcs8_rsa(const BYTE *der, DWORD len, const BYTE **key, size_t *keylen)
{
	static const BYTE rsa_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x01, 0x01 };
	const BYTE *p = der, *c, *q, *oid;
	size_t n, on;
	BYTE tag;

	if (der_next(&p, der + len, &tag, &c, &n) != 0 || tag != 0x30)
		return -1;
	p = c;
	q = c + n;
	if (der_next(&p, q, &tag, &c, &n) != 0 || tag != 0x02 ||
	    der_next(&p, q, &tag, &c, &n) != 0 || tag != 0x30)
		return -1;
	oid = c;
	if (der_next(&oid, c + n, &tag, &c, &on) != 0 || tag != 0x06 ||
	    on != sizeof(rsa_oid) || memcmp(c, rsa_oid, on) != 0)
		return -1;
	if (der_next(&p, q, &tag, key, keylen) != 0 || tag != 0x04)
		return -1;
	return 0;
}

/* An RSA key from PEM DER data: PKCS#1 ("RSA PRIVATE KEY") or PKCS#8
 * ("PRIVATE KEY").  *blob is LocalFree'd by the caller. */
static int
rsa_private_blob(const BYTE *der, DWORD len, int pkcs8, BYTE **blob,
    DWORD *bloblen)
{
	const BYTE *key = der;
	size_t keylen = len;

	if (pkcs8 && pkcs8_rsa(der, len, &key, &keylen) != 0)
		return -1;
	return CryptDecodeObjectEx(ENC, PKCS_RSA_PRIVATE_KEY, key,
	    (DWORD)keylen, CRYPT_DECODE_ALLOC_FLAG, NULL, blob, bloblen) ?
	    0 : -1;
}

/* What one file held, before the candidates are chosen. */
struct found {
	HCERTSTORE store;       /* memory store of the file's certificates */
	BYTE *keys[8];          /* RSA PRIVATEKEYBLOBs (LocalAlloc) */
	DWORD keylen[8];
	size_t nkeys;
	int pfx;                /* keys live in the certificates' properties */
};

static void
found_free(struct found *f)
{
	size_t i;

	for (i = 0; i < f->nkeys; i++) {
		SecureZeroMemory(f->keys[i], f->keylen[i]);
		LocalFree(f->keys[i]);
	}
	if (f->store != NULL)
		CertCloseStore(f->store, 0);
	memset(f, 0, sizeof(*f));
}

/* Base64 between the armour lines of one PEM block to DER. */
static int
pem_der(const char *block, size_t len, BYTE **der, DWORD *derlen)
{
	DWORD n = 0;

	if (!CryptStringToBinaryA(block, (DWORD)len, CRYPT_STRING_BASE64HEADER,
	    NULL, &n, NULL, NULL) || (*der = malloc(n ? n : 1)) == NULL)
		return -1;
	if (!CryptStringToBinaryA(block, (DWORD)len, CRYPT_STRING_BASE64HEADER,
	    *der, &n, NULL, NULL)) {
		free(*der);
		return -1;
	}
	*derlen = n;
	return 0;
}

static int
read_pem(const char *buf, const char *path, struct found *f,
    struct cm_err *err)
{
	const char *p = buf, *b, *e, *label, *end;
	char name[64];
	size_t nl;
	BYTE *der;
	DWORD derlen;
	int ok;

	while ((b = strstr(p, "-----BEGIN ")) != NULL) {
		label = b + 11;
		if ((e = strstr(label, "-----")) == NULL ||
		    (nl = (size_t)(e - label)) >= sizeof(name))
			break;
		memcpy(name, label, nl);
		name[nl] = '\0';
		if ((end = strstr(e, "-----END ")) == NULL ||
		    (end = strstr(end + 9, "-----")) == NULL)
			return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PEM "
			    "block '%s' has no END line", path, name);
		end += 5;
		p = end;
		if (strcmp(name, "CERTIFICATE") != 0 &&
		    strcmp(name, "X509 CERTIFICATE") != 0 &&
		    strcmp(name, "PRIVATE KEY") != 0 &&
		    strcmp(name, "RSA PRIVATE KEY") != 0 &&
		    (nl < 11 || strcmp(name + nl - 11, "PRIVATE KEY") != 0))
			continue;
		if (pem_der(b, (size_t)(end - b), &der, &derlen) != 0)
			return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PEM "
			    "block '%s' cannot be decoded", path, name);
		if (nl < 11 || strcmp(name + nl - 11, "PRIVATE KEY") != 0) {
			ok = CertAddEncodedCertificateToStore(f->store,
			    X509_ASN_ENCODING, der, derlen,
			    CERT_STORE_ADD_ALWAYS, NULL);
			free(der);
			if (!ok)
				return cm_err_set(err, CM_ERR_INPUT, 0, "%s: a "
				    "PEM certificate cannot be decoded: error "
				    "0x%08lx", path,
				    (unsigned long)GetLastError());
			continue;
		}
		if (f->nkeys == sizeof(f->keys) / sizeof(f->keys[0])) {
			free(der);
			return cm_err_set(err, CM_ERR_INPUT, 0, "%s: more than "
			    "%zu private keys in one file", path,
			    sizeof(f->keys) / sizeof(f->keys[0]));
		}
		ok = (strcmp(name, "PRIVATE KEY") == 0 ||
		    strcmp(name, "RSA PRIVATE KEY") == 0) &&
		    rsa_private_blob(der, derlen, name[0] == 'P',
		    &f->keys[f->nkeys], &f->keylen[f->nkeys]) == 0;
		free(der);
		if (!ok)
			return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PEM "
			    "private key ('%s') cannot be read by the Windows "
			    "build, which matches unencrypted RSA keys only: "
			    "give the certificate and key as a PFX", path,
			    name);
		f->nkeys++;
	}
	return 0;
}

static int
read_pfx(BYTE *buf, size_t len, const char *path, const char *password,
    struct found *f, struct cm_err *err)
{
	CRYPT_DATA_BLOB blob;
	WCHAR *pw;
	DWORD e;

	/* Checked here, as w32_to_wide's message would quote the password. */
	if (password != NULL && !utf8_valid(password, strlen(password)))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the password "
		    "(--password-file) is not valid UTF-8", path);
	if (w32_to_wide(password ? password : "", &pw, err) != 0)
		return -1;
	blob.pbData = buf;
	blob.cbData = (DWORD)len;
	/* Into memory, with the keys not written to any key container.  An
	 * empty password is "" or none at all, as Windows exports it.
	 * (PFXVerifyPassword would tell a wrong password first, but Wine 8
	 * has it as a stub that always fails.) */
	f->store = PFXImportCertStore(&blob, pw, PKCS12_NO_PERSIST_KEY);
	if (f->store == NULL && *pw == 0)
		f->store = PFXImportCertStore(&blob, NULL,
		    PKCS12_NO_PERSIST_KEY);
	e = GetLastError();
	SecureZeroMemory(pw, (size_t)lstrlenW(pw) * sizeof(*pw));
	free(pw);
	if (f->store == NULL && e == ERROR_INVALID_PASSWORD)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PKCS#12 "
		    "password is wrong (%s; give the right one with "
		    "--password-file)", path, password ? "--password-file" :
		    "tried the empty password");
	if (f->store == NULL)
		return cm_err_set(err, CM_ERR_INPUT, (long)e, "%s: the PKCS#12 "
		    "data cannot be imported (error 0x%08lx): damaged, or a "
		    "wrong password (give it with --password-file)", path,
		    (unsigned long)e);
	f->pfx = 1;
	return 0;
}

/* Reads one file into f: PEM, DER certificate, or PKCS#12. */
static int
read_file(const char *path, const char *password, struct found *f,
    struct cm_err *err)
{
	unsigned char *buf;
	size_t len;
	CRYPT_DATA_BLOB blob;
	int rc = -1;

	if (sys_read_file(path, &buf, &len, err) != 0)
		return -1;
	blob.pbData = buf;
	blob.cbData = (DWORD)len;
	if (len > 0x7fffffff) {
		cm_err_set(err, CM_ERR_INPUT, 0, "%s: too large", path);
	} else if (strstr((const char *)buf, "-----BEGIN ") != NULL) {
		if ((f->store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0,
		    NULL)) == NULL)
			sys_error(err, "cannot make a memory store", NULL);
		else
			rc = read_pem((const char *)buf, path, f, err);
	} else if (PFXIsPFXBlob(&blob)) {
		rc = read_pfx(buf, len, path, password, f, err);
	} else if ((f->store = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0,
	    NULL)) == NULL) {
		sys_error(err, "cannot make a memory store", NULL);
	} else if (CertAddEncodedCertificateToStore(f->store,
	    X509_ASN_ENCODING, buf, (DWORD)len, CERT_STORE_ADD_ALWAYS, NULL)) {
		rc = 0;
	} else
		cm_err_set(err, CM_ERR_INPUT, 0, "%s: not a certificate: want "
		    "PEM, DER or PKCS#12 (PFX) data", path);
	SecureZeroMemory(buf, len);
	free(buf);
	if (rc == 0 && CertEnumCertificatesInStore(f->store, NULL) == NULL)
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: no certificate in "
		    "this file", path);
	return rc;
}

static int
file_has_key(const struct found *f, PCCERT_CONTEXT ctx)
{
	BYTE *pub = NULL;
	DWORD publen = 0;
	size_t i;
	int has = 0;

	if (f->pfx)
		return has_private_key(ctx);
	if (f->nkeys == 0 || cert_rsa_blob(ctx, &pub, &publen) != 0)
		return 0;
	for (i = 0; i < f->nkeys && !has; i++)
		has = rsa_match(pub, publen, f->keys[i], f->keylen[i]);
	LocalFree(pub);
	return has;
}

static int
load_file(struct load *l, const char *path, const char *password,
    struct cm_err *err)
{
	struct found f;
	PCCERT_CONTEXT ctx = NULL;
	int has_ee = 0, rc = -1;

	memset(&f, 0, sizeof(f));
	if (read_file(path, password, &f, err) != 0)
		goto out;
	while ((ctx = CertEnumCertificatesInStore(f.store, ctx)) != NULL)
		has_ee |= !is_ca(ctx);
	while ((ctx = CertEnumCertificatesInStore(f.store, ctx)) != NULL) {
		if (!CertAddCertificateContextToStore(l->pool, ctx,
		    CERT_STORE_ADD_USE_EXISTING, NULL)) {
			sys_error(err, "cannot keep a certificate", path);
			goto out;
		}
		if (has_ee && is_ca(ctx))
			continue;
		if (cand_add(l, ctx, file_has_key(&f, ctx), path, err) != 0)
			goto out;
	}
	rc = 0;
out:
	if (ctx != NULL)
		CertFreeCertificateContext(ctx);
	found_free(&f);
	return rc;
}

static int
load_store(struct load *l, struct cm_err *err)
{
	HCERTSTORE st;
	PCCERT_CONTEXT ctx = NULL;
	int rc = 0;

	/* Read-only: nothing here may change the machine's store. */
	st = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
	    CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_READONLY_FLAG |
	    CERT_STORE_OPEN_EXISTING_FLAG, L"MY");
	if (st == NULL)
		return sys_error(err, "cannot open the certificate store",
		    STORE_NAME);
	while (rc == 0 && (ctx = CertEnumCertificatesInStore(st, ctx)) != NULL)
		rc = cand_add(l, ctx, has_private_key(ctx), STORE_NAME, err);
	if (ctx != NULL)
		CertFreeCertificateContext(ctx);
	CertCloseStore(st, 0);
	return rc;
}

/* The --trusted-root certificates: their thumbprints, and the certificates
 * in the pool so that chains can reach them. */
static int
load_roots(struct load *l, const struct cert_source_opts *o,
    struct cm_err *err)
{
	struct found f;
	PCCERT_CONTEXT ctx = NULL;
	void *v;
	DWORD cb;
	size_t i;

	for (i = 0; i < o->nroots; i++) {
		memset(&f, 0, sizeof(f));
		if (read_file(o->roots[i], NULL, &f, err) != 0)
			goto fail;
		while ((ctx = CertEnumCertificatesInStore(f.store, ctx))
		    != NULL) {
			if ((v = mem_reallocarray(l->roots, l->nroots + 1,
			    sizeof(*l->roots))) == NULL) {
				cm_err_nomem(err);
				goto fail;
			}
			l->roots = v;
			cb = sizeof(l->roots[0]);
			if (!CertGetCertificateContextProperty(ctx,
			    CERT_SHA1_HASH_PROP_ID, l->roots[l->nroots], &cb) ||
			    !CertAddCertificateContextToStore(l->pool, ctx,
			    CERT_STORE_ADD_USE_EXISTING, NULL)) {
				sys_error(err, "cannot read a root",
				    o->roots[i]);
				goto fail;
			}
			l->nroots++;
		}
		found_free(&f);
	}
	return 0;
fail:
	if (ctx != NULL)
		CertFreeCertificateContext(ctx);
	found_free(&f);
	return -1;
}

/* ---- the model ---- */

/* Windows' own rendering, as .NET's X509Certificate2.Subject shows it. */
static char *
name_string(CERT_NAME_BLOB *nm)
{
	DWORD flags = CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG;
	DWORD n = CertNameToStrW(X509_ASN_ENCODING, nm, flags, NULL, 0);
	WCHAR *w;
	char *s;

	if (n == 0 || (w = malloc(n * sizeof(*w))) == NULL)
		return NULL;
	CertNameToStrW(X509_ASN_ENCODING, nm, flags, w, n);
	s = w32_to_utf8(w);
	free(w);
	return s;
}

static char *
common_name(PCCERT_CONTEXT ctx)
{
	WCHAR w[256];

	if (CertGetNameStringW(ctx, CERT_NAME_ATTR_TYPE, 0,
	    (void *)szOID_COMMON_NAME, w, 256) <= 1)
		return NULL;
	return w32_to_utf8(w);
}

static time_t
time_of(const FILETIME *ft)
{
	ULONGLONG t = ((ULONGLONG)ft->dwHighDateTime << 32) |
	    ft->dwLowDateTime;

	/* 100 ns ticks since 1601 to seconds since 1970. */
	return (time_t)((long long)(t / 10000000ULL) - 11644473600LL);
}

/* An IPv6 address the way inet_ntop writes it (RFC 5952), so both builds
 * print the same SAN. */
static void
ipv6_text(const BYTE *a, struct strbuf *b)
{
	unsigned g[8];
	int i, best = -1, bestlen = 1, run;

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i += run ? run : 1) {
		for (run = 0; i + run < 8 && g[i + run] == 0; run++)
			;
		if (run > bestlen) {
			best = i;
			bestlen = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			strbuf_puts(b, "::");
			i += bestlen - 1;
			continue;
		}
		strbuf_printf(b, "%s%x", b->len > 0 && b->s[b->len - 1] != ':' ?
		    ":" : "", g[i]);
	}
}

static int
fill_san(struct cert *c, PCCERT_CONTEXT ctx, struct cm_err *err)
{
	PCERT_EXTENSION ext = CertFindExtension(szOID_SUBJECT_ALT_NAME2,
	    ctx->pCertInfo->cExtension, ctx->pCertInfo->rgExtension);
	CERT_ALT_NAME_INFO *an = NULL;
	DWORD cb = 0, i;
	struct strbuf ip;
	char *s;
	int rc = 0;

	if (ext == NULL || !CryptDecodeObjectEx(ENC, X509_ALTERNATE_NAME,
	    ext->Value.pbData, ext->Value.cbData, CRYPT_DECODE_ALLOC_FLAG,
	    NULL, &an, &cb))
		return 0;
	for (i = 0; i < an->cAltEntry && rc == 0; i++) {
		CERT_ALT_NAME_ENTRY *e = &an->rgAltEntry[i];

		if (e->dwAltNameChoice == CERT_ALT_NAME_DNS_NAME) {
			if ((s = w32_to_utf8(e->pwszDNSName)) == NULL)
				rc = cm_err_nomem(err);
			else
				rc = cert_strv_add(&c->san, &c->nsan, s, err);
			free(s);
		} else if (e->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS) {
			const BYTE *a = e->IPAddress.pbData;

			memset(&ip, 0, sizeof(ip));
			if (e->IPAddress.cbData == 4)
				strbuf_printf(&ip, "%u.%u.%u.%u", a[0], a[1],
				    a[2], a[3]);
			else if (e->IPAddress.cbData == 16)
				ipv6_text(a, &ip);
			else
				continue;
			rc = ip.failed ? cm_err_nomem(err) :
			    cert_strv_add(&c->san, &c->nsan, ip.s, err);
			strbuf_free(&ip);
		}
	}
	LocalFree(an);
	return rc;
}

/* The EKU extension itself, as .NET's X509EnhancedKeyUsageExtension
 * reads it: not CertGetEnhancedKeyUsage, which would also apply the
 * store's EKU property. */
static int
fill_eku(struct cert *c, PCCERT_CONTEXT ctx, struct cm_err *err)
{
	PCERT_EXTENSION ext = CertFindExtension(szOID_ENHANCED_KEY_USAGE,
	    ctx->pCertInfo->cExtension, ctx->pCertInfo->rgExtension);
	CERT_ENHKEY_USAGE *u = NULL;
	DWORD cb = 0, i;
	int rc = 0;

	if ((c->has_eku = ext != NULL) == 0)
		return 0;
	if (!CryptDecodeObjectEx(ENC, X509_ENHANCED_KEY_USAGE,
	    ext->Value.pbData, ext->Value.cbData, CRYPT_DECODE_ALLOC_FLAG,
	    NULL, &u, &cb))
		return 0;  /* present but undecodable: no usage at all */
	for (i = 0; i < u->cUsageIdentifier && rc == 0; i++)
		rc = cert_strv_add(&c->eku, &c->neku,
		    u->rgpszUsageIdentifier[i], err);
	LocalFree(u);
	return rc;
}

static void
fill_ku(struct cert *c, PCCERT_CONTEXT ctx)
{
	static const struct { int byte; BYTE bit; unsigned ours; } map[] = {
		{ 0, CERT_DIGITAL_SIGNATURE_KEY_USAGE,
		    CERT_KU_DIGITAL_SIGNATURE },
		{ 0, CERT_NON_REPUDIATION_KEY_USAGE, CERT_KU_NON_REPUDIATION },
		{ 0, CERT_KEY_ENCIPHERMENT_KEY_USAGE,
		    CERT_KU_KEY_ENCIPHERMENT },
		{ 0, CERT_DATA_ENCIPHERMENT_KEY_USAGE,
		    CERT_KU_DATA_ENCIPHERMENT },
		{ 0, CERT_KEY_AGREEMENT_KEY_USAGE, CERT_KU_KEY_AGREEMENT },
		{ 0, CERT_KEY_CERT_SIGN_KEY_USAGE, CERT_KU_KEY_CERT_SIGN },
		{ 0, CERT_CRL_SIGN_KEY_USAGE, CERT_KU_CRL_SIGN },
		{ 0, CERT_ENCIPHER_ONLY_KEY_USAGE, CERT_KU_ENCIPHER_ONLY },
		{ 1, CERT_DECIPHER_ONLY_KEY_USAGE, CERT_KU_DECIPHER_ONLY },
	};
	BYTE ku[2] = { 0, 0 };
	size_t i;

	c->has_ku = CertFindExtension(szOID_KEY_USAGE,
	    ctx->pCertInfo->cExtension, ctx->pCertInfo->rgExtension) != NULL;
	if (!c->has_ku || !CertGetIntendedKeyUsage(X509_ASN_ENCODING,
	    ctx->pCertInfo, ku, sizeof(ku)))
		return;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ku[map[i].byte] & map[i].bit)
			c->ku |= map[i].ours;
}

static int
sha1_signed(PCCERT_CONTEXT ctx)
{
	static const char *const sha1[] = {
		szOID_RSA_SHA1RSA, "1.2.840.10045.4.1" /* ecdsa-with-SHA1 */,
		szOID_X957_SHA1DSA,
		szOID_OIWSEC_sha1RSASign, szOID_OIWSEC_sha1
	};
	const char *alg = ctx->pCertInfo->SignatureAlgorithm.pszObjId;
	size_t i;

	for (i = 0; i < sizeof(sha1) / sizeof(sha1[0]); i++)
		if (strcmp(alg, sha1[i]) == 0)
			return 1;
	return 0;
}

static int
fill_cert(struct cert *c, const struct cand *cd, struct cm_err *err)
{
	PCCERT_CONTEXT ctx = cd->ctx;
	BYTE hash[20];
	DWORD cb = sizeof(hash);

	if (!CertGetCertificateContextProperty(ctx, CERT_SHA1_HASH_PROP_ID,
	    hash, &cb) || cb != 20)
		return sys_error(err, "cannot hash a certificate", cd->origin);
	cert_set_thumbprint(c, hash);
	if ((c->subject = name_string(&ctx->pCertInfo->Subject)) == NULL ||
	    (c->origin = strdup(cd->origin)) == NULL)
		return cm_err_nomem(err);
	c->common_name = common_name(ctx);
	c->not_before = time_of(&ctx->pCertInfo->NotBefore);
	c->not_after = time_of(&ctx->pCertInfo->NotAfter);
	fill_ku(c, ctx);
	c->is_ca = is_ca(ctx);
	c->has_private_key = cd->has_key;
	c->sha1_signature = sha1_signed(ctx);
	if (fill_san(c, ctx, err) != 0 || fill_eku(c, ctx, err) != 0)
		return -1;
	return 0;
}

/* Is the certificate one of the --trusted-root ones? */
static int
is_listed_root(const struct load *l, PCCERT_CONTEXT ctx)
{
	BYTE hash[20];
	DWORD cb = sizeof(hash);
	size_t i;

	if (!CertGetCertificateContextProperty(ctx, CERT_SHA1_HASH_PROP_ID,
	    hash, &cb))
		return 0;
	for (i = 0; i < l->nroots; i++)
		if (memcmp(hash, l->roots[i], 20) == 0)
			return 1;
	return 0;
}

/* Chain errors that are not the allowed-root-ca stage's business: dates
 * are reported on their own, revocation that could not be checked (no
 * network, no cached CRL) does not fail a chain, usage is stages 1 and 4. */
#define CHAIN_IGNORED (CERT_TRUST_IS_NOT_TIME_VALID | \
	CERT_TRUST_IS_NOT_TIME_NESTED | CERT_TRUST_CTL_IS_NOT_TIME_VALID | \
	CERT_TRUST_REVOCATION_STATUS_UNKNOWN | \
	CERT_TRUST_IS_OFFLINE_REVOCATION | CERT_TRUST_IS_NOT_VALID_FOR_USAGE)

static int
fill_chain(struct cert *c, const struct load *l, PCCERT_CONTEXT ctx,
    int nroots, struct cm_err *err)
{
	CERT_CHAIN_PARA para;
	PCCERT_CHAIN_CONTEXT chain = NULL;
	PCERT_SIMPLE_CHAIN sc;
	PCCERT_CONTEXT top;
	DWORD status;
	char why[128];

	memset(&para, 0, sizeof(para));
	para.cbSize = sizeof(para);
	/* Revocation from what is cached only: never a network wait. */
	if (!CertGetCertificateChain(NULL, ctx, NULL, l->pool, &para,
	    CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT |
	    CERT_CHAIN_REVOCATION_CHECK_CACHE_ONLY, NULL, &chain))
		return sys_error(err, "cannot build a chain", c->origin);
	sc = chain->rgpChain[0];
	top = sc->rgpElement[sc->cElement - 1]->pCertContext;
	status = chain->TrustStatus.dwErrorStatus & ~(DWORD)CHAIN_IGNORED;
	if (nroots > 0 && !(status & CERT_TRUST_IS_PARTIAL_CHAIN) &&
	    (sc->rgpElement[sc->cElement - 1]->TrustStatus.dwInfoStatus &
	    CERT_TRUST_IS_SELF_SIGNED)) {
		/* The site's list decides, whatever the machine trusts. */
		if (is_listed_root(l, top))
			status &= ~(DWORD)CERT_TRUST_IS_UNTRUSTED_ROOT;
		else
			status |= CERT_TRUST_IS_UNTRUSTED_ROOT;
	}
	if (status == 0)
		c->chain = CERT_CHAIN_TRUSTED;
	else if (status & CERT_TRUST_IS_REVOKED)
		c->chain = CERT_CHAIN_REVOKED;
	else if (status & CERT_TRUST_IS_PARTIAL_CHAIN)
		c->chain = CERT_CHAIN_PARTIAL;
	else if (status == CERT_TRUST_IS_UNTRUSTED_ROOT)
		c->chain = CERT_CHAIN_UNTRUSTED_ROOT;
	else
		c->chain = CERT_CHAIN_INVALID;
	if (c->chain != CERT_CHAIN_PARTIAL &&
	    (c->root = name_string(&top->pCertInfo->Subject)) == NULL)
		goto nomem;
	if (status != 0) {
		snprintf(why, sizeof(why), "CertGetCertificateChain trust "
		    "status 0x%08lx", (unsigned long)status);
		if ((c->chain_error = strdup(why)) == NULL)
			goto nomem;
	}
	CertFreeCertificateChain(chain);
	return 0;
nomem:
	CertFreeCertificateChain(chain);
	return cm_err_nomem(err);
}

int
cert_source_has_store(void)
{
	return 1;
}

int
cert_source_load(const struct cert_source_opts *o, struct cert_set *out,
    struct cm_err *err)
{
	struct load l;
	struct cert *c;
	size_t i;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	if ((l.pool = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL))
	    == NULL)
		return sys_error(err, "cannot make a memory store", NULL);
	if (o->store && load_store(&l, err) != 0)
		goto out;
	for (i = 0; i < o->nfiles; i++)
		if (load_file(&l, o->files[i], o->password, err) != 0)
			goto out;
	if (load_roots(&l, o, err) != 0)
		goto out;
	for (i = 0; i < l.n; i++)
		if (cert_set_add(out, &c, err) != 0 ||
		    fill_cert(c, &l.c[i], err) != 0 ||
		    fill_chain(c, &l, l.c[i].ctx, (int)o->nroots, err) != 0)
			goto out;
	rc = 0;
out:
	load_free(&l);
	return rc;
}

int
cert_source_computer(char *buf, size_t len)
{
	DWORD n = (DWORD)len;

	if (len == 0)
		return -1;
	if (!GetComputerNameExA(ComputerNameDnsFullyQualified, buf, &n) &&
	    (n = (DWORD)len, !GetComputerNameExA(ComputerNameDnsHostname,
	    buf, &n))) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

#else
/* cert_openssl.c is the source elsewhere; ISO C wants something here. */
typedef int cert_capi_unused;
#endif
