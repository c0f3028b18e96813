// SPDX-License-Identifier: ISC
/* cert_filter.c - the connector's four filter stages, counts and verdict. */
#include "cert_filter.h"

#include <stdlib.h>
#include <string.h>

#include "util/text.h"

int
cert_stage_passes(const struct cert *c, enum cert_stage s)
{
	size_t i;

	switch (s) {
	case CERT_STAGE_DIGITAL_SIGNATURE:
		return !c->has_ku || (c->ku & CERT_KU_DIGITAL_SIGNATURE) != 0;
	case CERT_STAGE_ALLOWED_ROOT:
		return c->chain == CERT_CHAIN_TRUSTED;
	case CERT_STAGE_PRIVATE_KEY:
		return c->has_private_key != 0;
	case CERT_STAGE_CLIENT_AUTH:
		if (!c->has_eku)
			return 1;
		for (i = 0; i < c->neku; i++)
			if (strcmp(c->eku[i], CERT_OID_CLIENT_AUTH) == 0)
				return 1;
		return 0;
	default:
		return 0;
	}
}

/* Length of the first DNS label of s. */
static size_t
label_len(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (size_t)(dot - s) : strlen(s);
}

int
cert_name_matches(const char *name, const char *computer)
{
	size_t nl, cl;

	if (name == NULL || computer == NULL || *name == '\0' ||
	    *computer == '\0')
		return 0;
	if (text_casecmp(name, computer) == 0)
		return 1;
	/* "*.contoso.com" covers one label in front of the domain only. */
	if (name[0] == '*' && name[1] == '.') {
		cl = label_len(computer);
		return cl > 0 && computer[cl] == '.' &&
		    text_casecmp(name + 1, computer + cl) == 0;
	}
	/* A short name on either side: compare first labels. */
	nl = label_len(name);
	cl = label_len(computer);
	if (name[nl] != '\0' && computer[cl] != '\0')
		return 0;
	return nl == cl && text_ncasecmp(name, computer, nl) == 0;
}

static int
names_computer(const struct cert *c, const char *computer)
{
	size_t i;

	if (cert_name_matches(c->common_name, computer))
		return 1;
	for (i = 0; i < c->nsan; i++)
		if (cert_name_matches(c->san[i], computer))
			return 1;
	return 0;
}

int
cert_filter(const struct cert_set *set, time_t now, const char *computer,
    struct cert_result *out, struct cm_err *err)
{
	size_t i;
	int s;

	memset(out, 0, sizeof(*out));
	out->emptied = CERT_STAGE_DIGITAL_SIGNATURE;
	if (set->n > 0 &&
	    (out->eval = calloc(set->n, sizeof(*out->eval))) == NULL)
		return cm_err_nomem(err);
	out->n = set->n;
	for (i = 0; i < set->n; i++) {
		const struct cert *c = &set->v[i];
		struct cert_eval *e = &out->eval[i];

		for (s = 0; s < CERT_NSTAGES; s++) {
			if (!cert_stage_passes(c, (enum cert_stage)s))
				break;
			out->counts[s]++;
		}
		e->stopped = (enum cert_stage)s;
		e->expired = now > c->not_after;
		e->not_yet_valid = now < c->not_before;
		e->names_computer = names_computer(c, computer);
	}
	for (s = 0; s < CERT_NSTAGES && out->counts[s] > 0; s++)
		;
	out->emptied = (enum cert_stage)s;
	return 0;
}

void
cert_result_free(struct cert_result *r)
{
	if (r == NULL)
		return;
	free(r->eval);
	memset(r, 0, sizeof(*r));
}

const char *
cert_stage_id(enum cert_stage s)
{
	static const char *const ids[CERT_NSTAGES] = {
		"digital-signature", "allowed-root-ca", "private-key",
		"client-auth"
	};

	return (unsigned)s < CERT_NSTAGES ? ids[s] : NULL;
}

const char *
cert_stage_log_words(enum cert_stage s)
{
	static const char *const words[CERT_NSTAGES] = {
		"digital signature", "allowed root CA", "private key",
		"client auth"
	};

	return (unsigned)s < CERT_NSTAGES ? words[s] : NULL;
}

const char *
cert_verdict(const struct cert_result *r)
{
	return r->emptied == CERT_PASSED ? "pass" : "fail";
}

/* What the template and the connection point need, once. */
#define CERT_NEEDS " The CMG connection point needs, in its computer " \
	"Personal store (LocalMachine\\My), a certificate with the Digital " \
	"Signature key usage, a chain to a root CA the site trusts, its " \
	"private key and the Client Authentication EKU (1.3.6.1.5.5.7.3.2) " \
	"(KB 4503442)."

const char *
cert_remediation(const struct cert_result *r)
{
	static const char *const text[CERT_NSTAGES] = {
		"No certificate allows digital signature (stage "
		"digital-signature emptied the set): issue one from a template "
		"whose Key Usage includes Digital signature (Request Handling "
		"purpose 'Signature' or 'Signature and encryption')."
		CERT_NEEDS,
		"No certificate that allows digital signature chains to an "
		"allowed root CA (stage allowed-root-ca emptied the set): "
		"issue it from a CA under one of the site's trusted root CAs, "
		"or add its root there, and install the intermediate CA "
		"certificates on the connection point; a revoked certificate "
		"must be reissued." CERT_NEEDS,
		"No certificate left has its private key (stage private-key "
		"emptied the set): enroll the certificate on the CMG "
		"connection point itself, or import the PFX with its private "
		"key into LocalMachine\\My (a template that allows exporting "
		"the key makes the PFX possible)." CERT_NEEDS,
		"No certificate left has Client Authentication in its Enhanced "
		"Key Usage (stage client-auth emptied the set): issue one from "
		"a template whose Application Policies include Client "
		"Authentication, such as a copy of Workstation Authentication."
		CERT_NEEDS
	};

	if (r->emptied == CERT_PASSED)
		return NULL;
	if (r->n == 0)
		return "No certificate was found to filter: the store or the "
		    "files hold none." CERT_NEEDS;
	return text[r->emptied];
}

int
cert_result_exit(const struct cert_result *r)
{
	return r->emptied == CERT_PASSED ? 0 : 1;
}
