// SPDX-License-Identifier: ISC
/* cert_output.c - certcheck's text and JSON output. */
#include "cert_output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonw.h"
#include "util/text.h"
#include "util/utctime.h"

const char *
cert_chain_id(enum cert_chain ch)
{
	switch (ch) {
	case CERT_CHAIN_TRUSTED: return "trusted";
	case CERT_CHAIN_UNTRUSTED_ROOT: return "untrusted-root";
	case CERT_CHAIN_PARTIAL: return "partial";
	case CERT_CHAIN_REVOKED: return "revoked";
	default: return "invalid";
	}
}

static size_t
npassed(const struct cert_result *r)
{
	return r->counts[CERT_NSTAGES - 1];
}

/* Why certificate c stopped where it did, in one line. */
static void
put_reason(struct strbuf *b, const struct cert *c, enum cert_stage s)
{
	switch (s) {
	case CERT_STAGE_DIGITAL_SIGNATURE:
		strbuf_puts(b, "its Key Usage does not allow "
		    "digitalSignature");
		break;
	case CERT_STAGE_ALLOWED_ROOT:
		if (c->chain == CERT_CHAIN_UNTRUSTED_ROOT)
			strbuf_printf(b, "its chain ends at a root that is not "
			    "allowed: %s", c->root ? c->root : "?");
		else if (c->chain == CERT_CHAIN_PARTIAL)
			strbuf_printf(b, "its chain cannot be built to a "
			    "root: %s", c->chain_error ? c->chain_error : "?");
		else if (c->chain == CERT_CHAIN_REVOKED)
			strbuf_printf(b, "revoked: %s",
			    c->chain_error ? c->chain_error : "?");
		else
			strbuf_printf(b, "its chain is not valid: %s",
			    c->chain_error ? c->chain_error : "?");
		break;
	case CERT_STAGE_PRIVATE_KEY:
		strbuf_puts(b, "its private key is not there");
		break;
	case CERT_STAGE_CLIENT_AUTH:
		strbuf_puts(b, "its Enhanced Key Usage lacks Client "
		    "Authentication (" CERT_OID_CLIENT_AUTH ")");
		break;
	default:
		break;
	}
}

static void
put_cert_text(struct strbuf *b, const struct cert *c,
    const struct cert_eval *e, size_t i, size_t n)
{
	char nb[UTC_STRLEN], na[UTC_STRLEN];
	const char *sep = "", *name;
	size_t k;
	unsigned bit;

	utc_format(c->not_before, nb);
	utc_format(c->not_after, na);
	strbuf_printf(b, "\ncertificate %zu of %zu: %s\n", i + 1, n,
	    c->subject);
	strbuf_printf(b, "  from:         %s\n", c->origin);
	strbuf_printf(b, "  thumbprint:   %s\n", c->thumbprint);
	strbuf_printf(b, "  valid:        %s to %s%s\n", nb, na,
	    e->expired ? "  EXPIRED" :
	    e->not_yet_valid ? "  NOT YET VALID" : "");
	strbuf_puts(b, "  key usage:    ");
	if (!c->has_ku)
		strbuf_puts(b, "(no extension: every usage allowed)");
	for (bit = 1; c->has_ku && bit < 1u << CERT_KU_NBITS; bit <<= 1)
		if (c->ku & bit) {
			strbuf_printf(b, "%s%s", sep, cert_ku_name(bit));
			sep = ", ";
		}
	strbuf_puts(b, "\n  EKU:          ");
	if (!c->has_eku)
		strbuf_puts(b, "(no extension: every usage allowed)");
	for (k = 0; k < c->neku; k++) {
		name = cert_eku_name(c->eku[k]);
		strbuf_printf(b, "%s%s%s%s%s", k ? ", " : "",
		    name ? name : "", name ? " (" : "", c->eku[k],
		    name ? ")" : "");
	}
	strbuf_printf(b, "\n  private key:  %s\n", c->has_private_key ?
	    "yes" : "no");
	strbuf_printf(b, "  chain:        %s%s%s\n", cert_chain_id(c->chain),
	    c->root ? ", root " : "", c->root ? c->root : "");
	strbuf_puts(b, "  names:        ");
	if (c->nsan == 0)
		strbuf_puts(b, "(no SAN)");
	for (k = 0; k < c->nsan; k++)
		strbuf_printf(b, "%s%s", k ? ", " : "", c->san[k]);
	strbuf_printf(b, "; %s this computer\n", e->names_computer ?
	    "names" : "does not name");
	if (c->sha1_signature)
		strbuf_puts(b, "  warning:      signed with SHA-1\n");
	if (e->stopped == CERT_PASSED) {
		strbuf_puts(b, "  result:       passes every stage\n");
		return;
	}
	strbuf_printf(b, "  result:       stopped at %s: ",
	    cert_stage_id(e->stopped));
	put_reason(b, c, e->stopped);
	strbuf_puts(b, "\n");
}

static int
flush(struct strbuf *b, FILE *out, struct cm_err *err)
{
	int rc = 0;

	if (b->failed)
		rc = cm_err_nomem(err);
	else if (b->len > 0 && fwrite(b->s, 1, b->len, out) != b->len)
		rc = cm_err_set(err, CM_ERR_SYSTEM, 0, "cannot write the "
		    "output");
	strbuf_free(b);
	return rc;
}

int
cert_output_text(const struct cert_set *set, const struct cert_result *r,
    const char *computer, FILE *out, struct cm_err *err)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	size_t i, dated = 0;
	int s;

	for (s = 0; s < CERT_NSTAGES; s++)
		strbuf_printf(&b, "Filtered cert count with %s: %zu\n",
		    cert_stage_log_words((enum cert_stage)s), r->counts[s]);
	if (computer != NULL && *computer != '\0')
		strbuf_printf(&b, "(names checked against computer '%s')\n",
		    computer);
	for (i = 0; i < set->n; i++) {
		put_cert_text(&b, &set->v[i], &r->eval[i], i, set->n);
		if (r->eval[i].stopped == CERT_PASSED &&
		    (r->eval[i].expired || r->eval[i].not_yet_valid))
			dated++;
	}
	/* Not a stage, but the management point refuses such a
	 * certificate (IIS 403.17): say so before the verdict. */
	if (dated > 0)
		strbuf_printf(&b, "\nwarning: %zu passing certificate(s) are "
		    "outside their validity dates; the management point "
		    "refuses those (IIS 403.17)\n", dated);
	if (r->emptied != CERT_PASSED) {
		strbuf_printf(&b, "\nremediation: %s\n", cert_remediation(r));
		/* Intune keeps only the last line: the verdict goes there. */
		if (set->n == 0)
			strbuf_puts(&b, "fail: no certificate to filter\n");
		else
			strbuf_printf(&b, "fail: no certificate passes; stage "
			    "%s emptied the set\n",
			    cert_stage_id(r->emptied));
	} else
		strbuf_printf(&b, "\npass: %zu of %zu certificate(s) pass "
		    "the connector's filter\n", npassed(r), set->n);
	return flush(&b, out, err);
}

static json_t *
jstrv(char **v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, jsonw_text(v[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
cert_json(const struct cert *c, const struct cert_eval *e)
{
	json_t *o = json_object(), *ku = json_array();
	unsigned bit;
	int bad = o == NULL || ku == NULL;

	for (bit = 1; ku != NULL && bit < 1u << CERT_KU_NBITS; bit <<= 1)
		if (c->ku & bit)
			bad |= json_array_append_new(ku,
			    json_string(cert_ku_name(bit))) != 0;
	if (bad) {
		json_decref(o);
		json_decref(ku);
		return NULL;
	}
	bad |= json_object_set_new(o, "thumbprint", jsonw_text(c->thumbprint));
	bad |= json_object_set_new(o, "subject", jsonw_text(c->subject));
	bad |= json_object_set_new(o, "san", jstrv(c->san, c->nsan));
	bad |= json_object_set_new(o, "not_before",
	    jsonw_time(c->not_before));
	bad |= json_object_set_new(o, "not_after",
	    jsonw_time(c->not_after));
	bad |= json_object_set_new(o, "key_usage", ku);
	bad |= json_object_set_new(o, "eku", jstrv(c->eku, c->neku));
	bad |= json_object_set_new(o, "has_private_key",
	    json_boolean(c->has_private_key));
	bad |= json_object_set_new(o, "root", jsonw_text(c->root));
	bad |= json_object_set_new(o, "stage_failed",
	    jsonw_text(cert_stage_id(e->stopped)));
	bad |= json_object_set_new(o, "passes",
	    json_boolean(e->stopped == CERT_PASSED));
	/* Beyond the contract: what the admin needs to act on it. */
	bad |= json_object_set_new(o, "origin", jsonw_text(c->origin));
	bad |= json_object_set_new(o, "key_usage_present",
	    json_boolean(c->has_ku));
	bad |= json_object_set_new(o, "eku_present", json_boolean(c->has_eku));
	bad |= json_object_set_new(o, "chain",
	    json_string(cert_chain_id(c->chain)));
	bad |= json_object_set_new(o, "chain_error",
	    jsonw_text(c->chain_error));
	bad |= json_object_set_new(o, "expired", json_boolean(e->expired));
	bad |= json_object_set_new(o, "not_yet_valid",
	    json_boolean(e->not_yet_valid));
	bad |= json_object_set_new(o, "names_computer",
	    json_boolean(e->names_computer));
	bad |= json_object_set_new(o, "sha1_signature",
	    json_boolean(c->sha1_signature));
	bad |= json_object_set_new(o, "is_ca", json_boolean(c->is_ca));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
cert_output_json(const struct cert_set *set, const struct cert_result *r,
    const char *computer, FILE *out, struct cm_err *err)
{
	json_t *o = json_object(), *certs = json_array(),
	    *counts = json_object(), *c;
	char *text = NULL;
	size_t i;
	int s, bad = o == NULL || certs == NULL || counts == NULL, rc = 0;

	for (i = 0; !bad && i < set->n; i++) {
		if ((c = cert_json(&set->v[i], &r->eval[i])) == NULL)
			bad = 1;
		else
			bad |= json_array_append_new(certs, c) != 0;
	}
	for (s = 0; !bad && s < CERT_NSTAGES; s++)
		bad |= json_object_set_new(counts,
		    cert_stage_id((enum cert_stage)s),
		    json_integer((json_int_t)r->counts[s])) != 0;
	if (!bad) {
		bad |= json_object_set_new(o, "certificates", certs);
		bad |= json_object_set_new(o, "counts", counts);
		certs = counts = NULL;
		bad |= json_object_set_new(o, "verdict",
		    json_string(cert_verdict(r)));
		bad |= json_object_set_new(o, "remediation",
		    jsonw_text(cert_remediation(r)));
		bad |= json_object_set_new(o, "emptied_at",
		    jsonw_text(cert_stage_id(r->emptied)));
		bad |= json_object_set_new(o, "computer",
		    jsonw_text(computer && *computer ? computer : NULL));
	}
	if (!bad)
		bad = (text = json_dumps(o, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER)) == NULL;
	json_decref(o);
	json_decref(certs);
	json_decref(counts);
	if (bad)
		return cm_err_nomem(err);
	if (fprintf(out, "%s\n", text) < 0)
		rc = cm_err_set(err, CM_ERR_SYSTEM, 0, "cannot write the "
		    "output");
	jsonw_free(text);
	return rc;
}
