// SPDX-License-Identifier: ISC
/* cert.c - the certificate model's bookkeeping: lists, names. */
#include "cert.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/text.h"

int
cert_set_add(struct cert_set *s, struct cert **out, struct cm_err *err)
{
	struct cert *v;

	if ((v = mem_grow(s->v, &s->cap, s->n + 1, sizeof(*v))) == NULL)
		return cm_err_nomem(err);
	s->v = v;
	*out = &s->v[s->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
cert_clear(struct cert *c)
{
	free(c->subject);
	free(c->common_name);
	strv_free(c->san, c->nsan);
	strv_free(c->eku, c->neku);
	free(c->root);
	free(c->chain_error);
	free(c->origin);
	memset(c, 0, sizeof(*c));
}

void
cert_set_free(struct cert_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		cert_clear(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void
cert_set_thumbprint(struct cert *c, const unsigned char sha1[20])
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < 20; i++) {
		c->thumbprint[2 * i] = hex[sha1[i] >> 4];
		c->thumbprint[2 * i + 1] = hex[sha1[i] & 15];
	}
	c->thumbprint[40] = '\0';
}

int
cert_strv_add(char ***v, size_t *n, const char *str, struct cm_err *err)
{
	char **nv, *copy;

	if ((copy = text_strdup(str)) == NULL)
		return cm_err_nomem(err);
	if ((nv = mem_reallocarray(*v, *n + 1, sizeof(*nv))) == NULL) {
		free(copy);
		return cm_err_nomem(err);
	}
	nv[(*n)++] = copy;
	*v = nv;
	return 0;
}

const char *
cert_ku_name(unsigned bit)
{
	static const char *const names[CERT_KU_NBITS] = {
		"digitalSignature", "nonRepudiation", "keyEncipherment",
		"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
		"encipherOnly", "decipherOnly"
	};
	unsigned i;

	for (i = 0; i < CERT_KU_NBITS; i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

const char *
cert_eku_name(const char *oid)
{
	static const struct { const char *oid, *name; } known[] = {
		{ "1.3.6.1.5.5.7.3.1", "Server Authentication" },
		{ CERT_OID_CLIENT_AUTH, "Client Authentication" },
		{ "1.3.6.1.5.5.7.3.3", "Code Signing" },
		{ "1.3.6.1.5.5.7.3.4", "Secure Email" },
		{ "1.3.6.1.5.5.7.3.8", "Time Stamping" },
		{ "1.3.6.1.5.5.7.3.9", "OCSP Signing" },
		{ "1.3.6.1.4.1.311.10.3.4", "Encrypting File System" },
		{ "1.3.6.1.4.1.311.20.2.2", "Smart Card Logon" },
		{ "2.5.29.37.0", "Any Purpose" },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].oid, oid) == 0)
			return known[i].name;
	return NULL;
}
