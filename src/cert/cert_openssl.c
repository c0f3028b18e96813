// SPDX-License-Identifier: ISC
/* cert_openssl.c - certificate files read with OpenSSL's libcrypto, and
 * their chains built with X509_verify_cert (every platform but Windows,
 * which has cert_capi.c).  No store here: Linux has no LocalMachine\My. */
#ifndef _WIN32

#include "cert_source.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"
#include "util/utctime.h"

/* A candidate certificate and what its file said about it. */
struct cand {
	X509 *x;
	int has_key;
	const char *origin;
};

/* Everything read from the files; one owner, freed by load_free. */
struct load {
	struct cand *c;
	size_t n, cap;
	STACK_OF(X509) *pool;  /* every certificate of every file */
};

/* The last OpenSSL error as text ("" when the queue is empty); clears
 * the queue so that the next failure starts clean. */
static const char *
ossl_reason(void)
{
	static char buf[256];
	unsigned long e = ERR_peek_last_error();

	buf[0] = '\0';
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int
pem_password(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u ? u : "";
	size_t n = strlen(pw);

	(void)rwflag;
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pw, n);
	return (int)n;
}

static int
cand_add(struct load *l, X509 *x, int has_key, const char *origin,
    struct cm_err *err)
{
	struct cand *v;

	if ((v = mem_grow(l->c, &l->cap, l->n + 1, sizeof(*v))) == NULL)
		return cm_err_nomem(err);
	l->c = v;
	if (!X509_up_ref(x))
		return cm_err_nomem(err);
	l->c[l->n].x = x;
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
		X509_free(l->c[i].x);
	free(l->c);
	sk_X509_pop_free(l->pool, X509_free);
	memset(l, 0, sizeof(*l));
}

/* Certificates and keys found in one file; freed by found_free. */
struct found {
	STACK_OF(X509) *certs;
	EVP_PKEY *keys[8];
	size_t nkeys;
};

static void
found_free(struct found *f)
{
	size_t i;

	sk_X509_pop_free(f->certs, X509_free);
	for (i = 0; i < f->nkeys; i++)
		EVP_PKEY_free(f->keys[i]);
	memset(f, 0, sizeof(*f));
}

static int
found_cert(struct found *f, X509 *x, struct cm_err *err)
{
	if (!sk_X509_push(f->certs, x)) {
		X509_free(x);
		return cm_err_nomem(err);
	}
	return 0;
}

static int
found_key(struct found *f, EVP_PKEY *k, const char *path, struct cm_err *err)
{
	if (f->nkeys == sizeof(f->keys) / sizeof(f->keys[0])) {
		EVP_PKEY_free(k);
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: more than %zu "
		    "private keys in one file", path,
		    sizeof(f->keys) / sizeof(f->keys[0]));
	}
	f->keys[f->nkeys++] = k;
	return 0;
}

/* Decodes one PEM private key block (name, header, DER data). */
static int
pem_key(struct found *f, const char *name, const char *header,
    const unsigned char *data, long len, const char *path,
    const char *password, struct cm_err *err)
{
	BIO *m = BIO_new(BIO_s_mem());
	EVP_PKEY *k = NULL;

	/* The block again, alone, so that OpenSSL's own PEM key reader
	 * handles every key format and both kinds of encryption. */
	if (m == NULL || !PEM_write_bio(m, name, header, data, len)) {
		BIO_free(m);
		return cm_err_nomem(err);
	}
	k = PEM_read_bio_PrivateKey(m, NULL, pem_password, (void *)password);
	BIO_free(m);
	if (k == NULL)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PEM private "
		    "key cannot be read (%s)%s", path, ossl_reason(),
		    password ? "" : ": an encrypted key needs its password "
		    "in --password-file");
	return found_key(f, k, path, err);
}

/* PEM: every certificate block and every private key block; other blocks
 * (requests, CRLs, parameters) are skipped. */
static int
read_pem(const unsigned char *buf, size_t len, const char *path,
    const char *password, struct found *f, struct cm_err *err)
{
	BIO *b = BIO_new_mem_buf(buf, (int)len);
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	const unsigned char *p;
	long dlen;
	size_t nl;
	X509 *x;
	int rc = 0;

	if (b == NULL)
		return cm_err_nomem(err);
	while (rc == 0 && PEM_read_bio(b, &name, &header, &data, &dlen)) {
		nl = strlen(name);
		p = data;
		if (strcmp(name, PEM_STRING_X509) == 0 ||
		    strcmp(name, PEM_STRING_X509_OLD) == 0) {
			if ((x = d2i_X509(NULL, &p, dlen)) == NULL)
				rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: a "
				    "PEM certificate cannot be decoded: %s",
				    path, ossl_reason());
			else
				rc = found_cert(f, x, err);
		} else if (strcmp(name, PEM_STRING_X509_TRUSTED) == 0) {
			if ((x = d2i_X509_AUX(NULL, &p, dlen)) == NULL)
				rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: a "
				    "PEM certificate cannot be decoded: %s",
				    path, ossl_reason());
			else
				rc = found_cert(f, x, err);
		} else if (nl >= 11 && strcmp(name + nl - 11,
		    "PRIVATE KEY") == 0)
			rc = pem_key(f, name, header, data, dlen, path,
			    password, err);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		name = header = NULL;
		data = NULL;
	}
	if (rc == 0 && ERR_GET_REASON(ERR_peek_last_error()) !=
	    PEM_R_NO_START_LINE)
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PEM data is "
		    "damaged: %s", path, ossl_reason());
	ERR_clear_error();
	BIO_free(b);
	return rc;
}

/* Windows exports PFX files with RC2 and 3DES, which OpenSSL 3 keeps in
 * its legacy provider.  Loading a provider switches off the implicit
 * default one, so both are loaded for the length of cert_source_load
 * (every call, so that a later call finds them too) and unloaded at its
 * end, after the last object made with them is freed. */
static OSSL_PROVIDER *prov_legacy, *prov_default;

static void
providers_load(void)
{
	prov_legacy = OSSL_PROVIDER_load(NULL, "legacy");
	prov_default = OSSL_PROVIDER_load(NULL, "default");
	ERR_clear_error();
}

static void
providers_unload(void)
{
	if (prov_legacy != NULL)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default != NULL)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
}

static int
read_pkcs12(PKCS12 *p12, const char *path, const char *password,
    struct found *f, struct cm_err *err)
{
	EVP_PKEY *k = NULL;
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;
	const char *pw = password ? password : "";
	int i;

	/* An empty password is "" or no password at all, as in Windows. */
	if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, pw, -1)) {
		if (*pw == '\0' && PKCS12_verify_mac(p12, NULL, 0))
			pw = NULL;
		else
			return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the "
			    "PKCS#12 password is wrong (%s; give the right one "
			    "with --password-file)", path, password ?
			    "--password-file" : "tried the empty password");
	}
	if (!PKCS12_parse(p12, pw, &k, &x, &ca))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the PKCS#12 data "
		    "cannot be decoded: %s", path, ossl_reason());
	if (k != NULL && found_key(f, k, path, err) != 0)
		goto fail;
	k = NULL;
	if (x != NULL && found_cert(f, x, err) != 0) {
		x = NULL;
		goto fail;
	}
	x = NULL;
	for (i = 0; ca != NULL && i < sk_X509_num(ca); i++) {
		X509 *c = sk_X509_value(ca, i);
		if (!X509_up_ref(c) || found_cert(f, c, err) != 0)
			goto fail;
	}
	sk_X509_pop_free(ca, X509_free);
	return 0;
fail:
	EVP_PKEY_free(k);
	X509_free(x);
	sk_X509_pop_free(ca, X509_free);
	return -1;
}

/* Reads one file into f: PEM, then DER certificate, then PKCS#12. */
static int
read_file(const char *path, const char *password, struct found *f,
    struct cm_err *err)
{
	unsigned char *buf;
	const unsigned char *p;
	size_t len;
	X509 *x;
	PKCS12 *p12;
	int rc = -1;

	if (sys_read_file(path, &buf, &len, err) != 0)
		return -1;
	if ((f->certs = sk_X509_new_null()) == NULL) {
		free(buf);
		return cm_err_nomem(err);
	}
	if (len > 0x7fffffff) {
		cm_err_set(err, CM_ERR_INPUT, 0, "%s: too large", path);
	} else if (strstr((const char *)buf, "-----BEGIN ") != NULL) {
		rc = read_pem(buf, len, path, password, f, err);
	} else if (p = buf, (x = d2i_X509(NULL, &p, (long)len)) != NULL &&
	    p == buf + len) {
		rc = found_cert(f, x, err);
	} else {
		X509_free(x);
		p = buf;
		if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
			rc = read_pkcs12(p12, path, password, f, err);
			PKCS12_free(p12);
		} else
			cm_err_set(err, CM_ERR_INPUT, 0, "%s: not a "
			    "certificate: want PEM, DER or PKCS#12 (PFX) data",
			    path);
	}
	ERR_clear_error();
	free(buf);
	if (rc == 0 && sk_X509_num(f->certs) == 0)
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: no certificate in "
		    "this file", path);
	return rc;
}

static int
is_ca(X509 *x)
{
	return (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
}

/* Adds one file's certificates to the pool and its candidates to l. */
static int
load_file(struct load *l, const char *path, const char *password,
    struct cm_err *err)
{
	struct found f;
	int i, has_ee = 0, has_key, rc = -1;
	size_t k;

	memset(&f, 0, sizeof(f));
	if (read_file(path, password, &f, err) != 0)
		goto out;
	for (i = 0; i < sk_X509_num(f.certs); i++)
		has_ee |= !is_ca(sk_X509_value(f.certs, i));
	for (i = 0; i < sk_X509_num(f.certs); i++) {
		X509 *x = sk_X509_value(f.certs, i);

		if (!X509_up_ref(x) || !sk_X509_push(l->pool, x)) {
			cm_err_nomem(err);
			goto out;
		}
		if (has_ee && is_ca(x))
			continue;
		for (has_key = 0, k = 0; k < f.nkeys && !has_key; k++)
			has_key = X509_check_private_key(x, f.keys[k]) == 1;
		ERR_clear_error();
		if (cand_add(l, x, has_key, path, err) != 0)
			goto out;
	}
	rc = 0;
out:
	found_free(&f);
	return rc;
}

/* The allowed roots: the --trusted-root files, or the system's. */
static X509_STORE *
make_store(const struct cert_source_opts *o, struct cm_err *err)
{
	X509_STORE *st;
	struct found f;
	size_t i;
	int j;

	if ((st = X509_STORE_new()) == NULL) {
		cm_err_nomem(err);
		return NULL;
	}
	if (o->nroots == 0) {
		/* The roots this machine trusts (/etc/ssl/certs). */
		if (!X509_STORE_set_default_paths(st))
			ERR_clear_error();
		return st;
	}
	for (i = 0; i < o->nroots; i++) {
		memset(&f, 0, sizeof(f));
		if (read_file(o->roots[i], NULL, &f, err) != 0)
			goto fail;
		for (j = 0; j < sk_X509_num(f.certs); j++)
			if (!X509_STORE_add_cert(st, sk_X509_value(f.certs, j)))
				ERR_clear_error();  /* a duplicate root */
		found_free(&f);
	}
	return st;
fail:
	found_free(&f);
	X509_STORE_free(st);
	return NULL;
}

/* Appends a certificate name component the way Windows' CertNameToStr
 * writes it, so that both builds print the same subject. */
static void
put_rdn_value(struct strbuf *b, const unsigned char *v, int n)
{
	int i, quote = n > 0 && (v[0] == ' ' || v[n - 1] == ' ');

	for (i = 0; i < n && !quote; i++)
		quote = strchr(",+=\"\n<>#;", v[i]) != NULL && v[i] != '\0';
	if (quote)
		strbuf_puts(b, "\"");
	for (i = 0; i < n; i++) {
		if (v[i] == '"')
			strbuf_puts(b, "\"");
		strbuf_put(b, &v[i], 1);
	}
	if (quote)
		strbuf_puts(b, "\"");
}

/* Windows' short names for the attributes it knows. */
static const char *
attr_name(int nid, char *buf, size_t len, const ASN1_OBJECT *obj)
{
	switch (nid) {
	case NID_commonName: return "CN";
	case NID_organizationName: return "O";
	case NID_organizationalUnitName: return "OU";
	case NID_localityName: return "L";
	case NID_stateOrProvinceName: return "S";
	case NID_countryName: return "C";
	case NID_pkcs9_emailAddress: return "E";
	case NID_domainComponent: return "DC";
	case NID_streetAddress: return "STREET";
	case NID_serialNumber: return "SERIALNUMBER";
	case NID_givenName: return "G";
	case NID_surname: return "SN";
	case NID_title: return "T";
	default:
		memcpy(buf, "OID.", 4);
		OBJ_obj2txt(buf + 4, (int)len - 4, obj, 1);
		return buf;
	}
}

/* "CN=leaf, O=Site, C=US": most specific first, RDN parts joined by
 * " + ".  Returns a malloc'd string or NULL. */
static char *
name_string(const X509_NAME *nm)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	int i, n = X509_NAME_entry_count(nm), prev_set = -1;
	char oid[96];

	for (i = n - 1; i >= 0; i--) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
		const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
		unsigned char *u = NULL;
		int ulen = ASN1_STRING_to_UTF8(&u,
		    X509_NAME_ENTRY_get_data(e));
		int set = X509_NAME_ENTRY_set(e);

		if (i != n - 1)
			strbuf_puts(&b, set == prev_set ? " + " : ", ");
		prev_set = set;
		strbuf_puts(&b, attr_name(OBJ_obj2nid(obj), oid, sizeof(oid),
		    obj));
		strbuf_puts(&b, "=");
		if (ulen >= 0)
			put_rdn_value(&b, u, ulen);
		OPENSSL_free(u);
	}
	if (b.s == NULL)
		strbuf_puts(&b, "");
	if (b.failed) {
		strbuf_free(&b);
		return NULL;
	}
	return b.s;
}

static char *
last_cn(const X509_NAME *nm)
{
	int i = -1, last = -1;
	unsigned char *u = NULL;
	char *s;

	while ((i = X509_NAME_get_index_by_NID(nm, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0 || ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(
	    X509_NAME_get_entry(nm, last))) < 0)
		return NULL;
	s = strdup((const char *)u);
	OPENSSL_free(u);
	return s;
}

static int
asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return -1;
	return utc_from_local(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, 0, out);
}

static int
fill_san(struct cert *c, X509 *x, struct cm_err *err)
{
	GENERAL_NAMES *gn = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	    NULL);
	char ip[64];
	int i, rc = 0;

	for (i = 0; gn != NULL && i < sk_GENERAL_NAME_num(gn) && rc == 0;
	    i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gn, i);
		const ASN1_STRING *s;

		if (g->type == GEN_DNS) {
			s = g->d.dNSName;
			rc = cert_strv_add(&c->san, &c->nsan,
			    (const char *)ASN1_STRING_get0_data(s), err);
		} else if (g->type == GEN_IPADD) {
			s = g->d.iPAddress;
			if ((ASN1_STRING_length(s) == 4 && inet_ntop(AF_INET,
			    ASN1_STRING_get0_data(s), ip, sizeof(ip))) ||
			    (ASN1_STRING_length(s) == 16 && inet_ntop(AF_INET6,
			    ASN1_STRING_get0_data(s), ip, sizeof(ip))))
				rc = cert_strv_add(&c->san, &c->nsan, ip, err);
		}
	}
	GENERAL_NAMES_free(gn);
	return rc;
}

static int
fill_eku(struct cert *c, X509 *x, struct cm_err *err)
{
	EXTENDED_KEY_USAGE *eku;
	char oid[96];
	int i, rc = 0;

	c->has_eku = X509_get_ext_by_NID(x, NID_ext_key_usage, -1) >= 0;
	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku) && rc == 0;
	    i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		rc = cert_strv_add(&c->eku, &c->neku, oid, err);
	}
	EXTENDED_KEY_USAGE_free(eku);
	return rc;
}

/* OpenSSL's KU_* bits to enum cert_ku. */
static unsigned
ku_bits(uint32_t k)
{
	static const struct { uint32_t ossl; unsigned ours; } map[] = {
		{ KU_DIGITAL_SIGNATURE, CERT_KU_DIGITAL_SIGNATURE },
		{ KU_NON_REPUDIATION, CERT_KU_NON_REPUDIATION },
		{ KU_KEY_ENCIPHERMENT, CERT_KU_KEY_ENCIPHERMENT },
		{ KU_DATA_ENCIPHERMENT, CERT_KU_DATA_ENCIPHERMENT },
		{ KU_KEY_AGREEMENT, CERT_KU_KEY_AGREEMENT },
		{ KU_KEY_CERT_SIGN, CERT_KU_KEY_CERT_SIGN },
		{ KU_CRL_SIGN, CERT_KU_CRL_SIGN },
		{ KU_ENCIPHER_ONLY, CERT_KU_ENCIPHER_ONLY },
		{ KU_DECIPHER_ONLY, CERT_KU_DECIPHER_ONLY },
	};
	unsigned out = 0;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (k & map[i].ossl)
			out |= map[i].ours;
	return out;
}

/* The model of x, without its chain. */
static int
fill_cert(struct cert *c, const struct cand *cd, struct cm_err *err)
{
	X509 *x = cd->x;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int mdnid = NID_undef;

	if (!X509_digest(x, EVP_sha1(), md, &mdlen) || mdlen != 20)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: cannot hash a "
		    "certificate: %s", cd->origin, ossl_reason());
	cert_set_thumbprint(c, md);
	if ((c->subject = name_string(X509_get_subject_name(x))) == NULL ||
	    (c->origin = strdup(cd->origin)) == NULL)
		return cm_err_nomem(err);
	c->common_name = last_cn(X509_get_subject_name(x));
	if (asn1_time(X509_get0_notBefore(x), &c->not_before) != 0 ||
	    asn1_time(X509_get0_notAfter(x), &c->not_after) != 0)
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: certificate %s: "
		    "validity dates out of range", cd->origin, c->thumbprint);
	c->has_ku = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) != 0;
	c->ku = c->has_ku ? ku_bits(X509_get_key_usage(x)) : 0;
	c->is_ca = is_ca(x);
	c->has_private_key = cd->has_key;
	c->sha1_signature = OBJ_find_sigid_algs(X509_get_signature_nid(x),
	    &mdnid, NULL) && mdnid == NID_sha1;
	if (fill_san(c, x, err) != 0 || fill_eku(c, x, err) != 0)
		return -1;
	return 0;
}

/* Builds x's chain; fills c->chain, c->root, c->chain_error. */
static int
fill_chain(struct cert *c, X509 *x, X509_STORE *st, STACK_OF(X509) *pool,
    struct cm_err *err)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain;
	X509 *top;
	int ok, code, depth;
	char why[320];

	if (ctx == NULL || !X509_STORE_CTX_init(ctx, st, x, pool)) {
		X509_STORE_CTX_free(ctx);
		return cm_err_nomem(err);
	}
	/* Dates are reported on their own (expired, not yet valid), not
	 * folded into the chain stage. */
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	ok = X509_verify_cert(ctx) == 1;
	code = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	chain = X509_STORE_CTX_get0_chain(ctx);
	top = chain && sk_X509_num(chain) > 0 ?
	    sk_X509_value(chain, sk_X509_num(chain) - 1) : NULL;
	if (ok) {
		c->chain = CERT_CHAIN_TRUSTED;
	} else if (code == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	    code == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
		c->chain = CERT_CHAIN_UNTRUSTED_ROOT;
	} else if (code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	    code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) {
		c->chain = CERT_CHAIN_PARTIAL;
		top = NULL;
	} else if (code == X509_V_ERR_CERT_REVOKED) {
		c->chain = CERT_CHAIN_REVOKED;
	} else
		c->chain = CERT_CHAIN_INVALID;
	if (top != NULL &&
	    (c->root = name_string(X509_get_subject_name(top))) == NULL)
		goto nomem;
	if (!ok) {
		snprintf(why, sizeof(why), "%s (at depth %d)",
		    X509_verify_cert_error_string(code), depth);
		if ((c->chain_error = strdup(why)) == NULL)
			goto nomem;
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return 0;
nomem:
	X509_STORE_CTX_free(ctx);
	return cm_err_nomem(err);
}

int
cert_source_has_store(void)
{
	return 0;
}

int
cert_source_load(const struct cert_source_opts *o, struct cert_set *out,
    struct cm_err *err)
{
	struct load l;
	X509_STORE *st = NULL;
	struct cert *c;
	size_t i;
	int rc = -1;

	if (o->store)
		return cm_err_set(err, CM_ERR_USAGE, 0, "--store reads the "
		    "Windows store LocalMachine\\My; there is none here: give "
		    "certificate files with --cert FILE");
	memset(&l, 0, sizeof(l));
	providers_load();
	if ((l.pool = sk_X509_new_null()) == NULL) {
		providers_unload();
		return cm_err_nomem(err);
	}
	for (i = 0; i < o->nfiles; i++)
		if (load_file(&l, o->files[i], o->password, err) != 0)
			goto out;
	if ((st = make_store(o, err)) == NULL)
		goto out;
	for (i = 0; i < l.n; i++) {
		if (cert_set_add(out, &c, err) != 0 ||
		    fill_cert(c, &l.c[i], err) != 0 ||
		    fill_chain(c, l.c[i].x, st, l.pool, err) != 0)
			goto out;
	}
	rc = 0;
out:
	X509_STORE_free(st);
	load_free(&l);
	providers_unload();
	ERR_clear_error();
	return rc;
}

int
cert_source_computer(char *buf, size_t len)
{
	if (len == 0)
		return -1;
	if (gethostname(buf, len) != 0) {
		buf[0] = '\0';
		return -1;
	}
	buf[len - 1] = '\0';
	return 0;
}

#else
/* cert_capi.c is the Windows source; ISO C wants something here. */
typedef int cert_openssl_unused;
#endif
