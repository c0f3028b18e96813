// SPDX-License-Identifier: ISC
/* test_cert_filter.c - the connector's four stages on hand-made models:
 * each stage alone, absent Key Usage / EKU, the counts of the KB's log,
 * the verdict, remediation and exit code, the validity and name flags, and
 * both output forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "cert/cert.h"
#include "cert/cert_filter.h"
#include "cert/cert_output.h"

#define NOW ((time_t)1800000000)   /* 2027-01-15 */
#define DAY ((time_t)86400)

/* A certificate that passes every stage; tests then break one thing. */
static struct cert *
good(struct cert_set *s, const char *cn)
{
	struct cert *c;
	char subj[128];

	assert_int_equal(cert_set_add(s, &c, NULL), 0);
	snprintf(subj, sizeof(subj), "CN=%s, O=Contoso", cn);
	snprintf(c->thumbprint, sizeof(c->thumbprint), "%040zu", s->n);
	assert_non_null(c->subject = strdup(subj));
	assert_non_null(c->common_name = strdup(cn));
	assert_non_null(c->origin = strdup("test"));
	assert_non_null(c->root = strdup("CN=Site Root"));
	c->not_before = NOW - DAY;
	c->not_after = NOW + DAY;
	c->has_ku = 1;
	c->ku = CERT_KU_DIGITAL_SIGNATURE | CERT_KU_KEY_ENCIPHERMENT;
	c->has_eku = 1;
	assert_int_equal(cert_strv_add(&c->eku, &c->neku,
	    "1.3.6.1.5.5.7.3.1", NULL), 0);
	assert_int_equal(cert_strv_add(&c->eku, &c->neku,
	    CERT_OID_CLIENT_AUTH, NULL), 0);
	c->has_private_key = 1;
	c->chain = CERT_CHAIN_TRUSTED;
	return c;
}

static void
set_eku(struct cert *c, const char *oid)
{
	size_t i;

	for (i = 0; i < c->neku; i++)
		free(c->eku[i]);
	free(c->eku);
	c->eku = NULL;
	c->neku = 0;
	if (oid != NULL)
		assert_int_equal(cert_strv_add(&c->eku, &c->neku, oid, NULL),
		    0);
}

static void
run(struct cert_set *s, struct cert_result *r)
{
	assert_int_equal(cert_filter(s, NOW, "cmgcp.contoso.com", r, NULL), 0);
	assert_int_equal(r->n, s->n);
}

static void
test_each_stage_alone(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	(void)state;

	good(&s, "pass");
	c = good(&s, "nodigsig");
	c->ku = CERT_KU_KEY_ENCIPHERMENT;
	c = good(&s, "foreign");
	c->chain = CERT_CHAIN_UNTRUSTED_ROOT;
	c = good(&s, "nokey");
	c->has_private_key = 0;
	c = good(&s, "server");
	set_eku(c, "1.3.6.1.5.5.7.3.1");
	run(&s, &r);
	assert_int_equal(r.eval[0].stopped, CERT_PASSED);
	assert_int_equal(r.eval[1].stopped, CERT_STAGE_DIGITAL_SIGNATURE);
	assert_int_equal(r.eval[2].stopped, CERT_STAGE_ALLOWED_ROOT);
	assert_int_equal(r.eval[3].stopped, CERT_STAGE_PRIVATE_KEY);
	assert_int_equal(r.eval[4].stopped, CERT_STAGE_CLIENT_AUTH);
	assert_int_equal(r.counts[0], 4);
	assert_int_equal(r.counts[1], 3);
	assert_int_equal(r.counts[2], 2);
	assert_int_equal(r.counts[3], 1);
	assert_int_equal(r.emptied, CERT_PASSED);
	assert_string_equal(cert_verdict(&r), "pass");
	assert_null(cert_remediation(&r));
	assert_int_equal(cert_result_exit(&r), 0);
	cert_result_free(&r);
	cert_set_free(&s);
}

/* A certificate fails at its first failing stage only, even when later
 * stages would fail too: counts are the connector's running counts. */
static void
test_first_failing_stage_counts(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	(void)state;

	c = good(&s, "all-bad");
	c->ku = CERT_KU_KEY_CERT_SIGN;
	c->chain = CERT_CHAIN_PARTIAL;
	c->has_private_key = 0;
	set_eku(c, "1.3.6.1.5.5.7.3.4");
	c = good(&s, "root-and-key-bad");
	c->chain = CERT_CHAIN_REVOKED;
	c->has_private_key = 0;
	run(&s, &r);
	assert_int_equal(r.eval[0].stopped, CERT_STAGE_DIGITAL_SIGNATURE);
	assert_int_equal(r.eval[1].stopped, CERT_STAGE_ALLOWED_ROOT);
	assert_int_equal(r.counts[0], 1);
	assert_int_equal(r.counts[1], 0);
	assert_int_equal(r.counts[2], 0);
	assert_int_equal(r.counts[3], 0);
	assert_int_equal(r.emptied, CERT_STAGE_ALLOWED_ROOT);
	cert_result_free(&r);
	cert_set_free(&s);
}

/* KB 4503442's log: 7 with digital signature, 3 with an allowed root, 3
 * with the key, 0 with client auth. */
static void
test_kb_counts_and_verdict(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	const char *rem;
	int i;
	(void)state;

	for (i = 0; i < 7; i++) {
		c = good(&s, "x");
		set_eku(c, "1.3.6.1.5.5.7.3.1");
		if (i >= 3)
			c->chain = CERT_CHAIN_UNTRUSTED_ROOT;
	}
	c = good(&s, "y");
	c->ku = CERT_KU_KEY_ENCIPHERMENT;
	run(&s, &r);
	assert_int_equal(r.counts[0], 7);
	assert_int_equal(r.counts[1], 3);
	assert_int_equal(r.counts[2], 3);
	assert_int_equal(r.counts[3], 0);
	assert_int_equal(r.emptied, CERT_STAGE_CLIENT_AUTH);
	assert_string_equal(cert_verdict(&r), "fail");
	assert_int_equal(cert_result_exit(&r), 1);
	assert_non_null(rem = cert_remediation(&r));
	assert_non_null(strstr(rem, "client-auth"));
	assert_non_null(strstr(rem, "Client Authentication"));
	cert_result_free(&r);
	cert_set_free(&s);
}

/* Each emptied stage names itself in the remediation. */
static void
test_remediation_names_stage(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	int st;
	(void)state;

	for (st = 0; st < CERT_NSTAGES; st++) {
		c = good(&s, "one");
		if (st == 0)
			c->ku = 0;
		else if (st == 1)
			c->chain = CERT_CHAIN_INVALID;
		else if (st == 2)
			c->has_private_key = 0;
		else
			set_eku(c, NULL);  /* extension there, empty */
		run(&s, &r);
		assert_int_equal(r.emptied, st);
		assert_non_null(strstr(cert_remediation(&r),
		    cert_stage_id((enum cert_stage)st)));
		assert_int_equal(cert_result_exit(&r), 1);
		cert_result_free(&r);
		cert_set_free(&s);
	}
}

static void
test_empty_set(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	int i;
	(void)state;

	run(&s, &r);
	for (i = 0; i < CERT_NSTAGES; i++)
		assert_int_equal(r.counts[i], 0);
	assert_int_equal(r.emptied, CERT_STAGE_DIGITAL_SIGNATURE);
	assert_non_null(strstr(cert_remediation(&r), "No certificate was "
	    "found"));
	assert_int_equal(cert_result_exit(&r), 1);
	cert_result_free(&r);
}

/* Absent extensions allow every usage (.NET's IsValidClientCertificate);
 * a present but empty or other-purpose extension does not; Any Purpose
 * does not stand in for Client Authentication. */
static void
test_absent_extensions(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert *c;
	(void)state;

	c = good(&s, "a");
	c->has_ku = 0;
	c->ku = 0;
	assert_true(cert_stage_passes(c, CERT_STAGE_DIGITAL_SIGNATURE));
	c->has_ku = 1;
	assert_false(cert_stage_passes(c, CERT_STAGE_DIGITAL_SIGNATURE));
	c->ku = CERT_KU_DIGITAL_SIGNATURE;
	assert_true(cert_stage_passes(c, CERT_STAGE_DIGITAL_SIGNATURE));

	set_eku(c, NULL);
	c->has_eku = 0;
	assert_true(cert_stage_passes(c, CERT_STAGE_CLIENT_AUTH));
	c->has_eku = 1;
	assert_false(cert_stage_passes(c, CERT_STAGE_CLIENT_AUTH));
	set_eku(c, "2.5.29.37.0");
	assert_false(cert_stage_passes(c, CERT_STAGE_CLIENT_AUTH));
	set_eku(c, "1.3.6.1.5.5.7.3.21");  /* a prefix is not a match */
	assert_false(cert_stage_passes(c, CERT_STAGE_CLIENT_AUTH));
	set_eku(c, CERT_OID_CLIENT_AUTH);
	assert_true(cert_stage_passes(c, CERT_STAGE_CLIENT_AUTH));
	cert_set_free(&s);
}

static void
test_chain_states(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert *c;
	(void)state;

	c = good(&s, "a");
	assert_true(cert_stage_passes(c, CERT_STAGE_ALLOWED_ROOT));
	c->chain = CERT_CHAIN_UNTRUSTED_ROOT;
	assert_false(cert_stage_passes(c, CERT_STAGE_ALLOWED_ROOT));
	c->chain = CERT_CHAIN_PARTIAL;
	assert_false(cert_stage_passes(c, CERT_STAGE_ALLOWED_ROOT));
	c->chain = CERT_CHAIN_REVOKED;
	assert_false(cert_stage_passes(c, CERT_STAGE_ALLOWED_ROOT));
	c->chain = CERT_CHAIN_INVALID;
	assert_false(cert_stage_passes(c, CERT_STAGE_ALLOWED_ROOT));
	cert_set_free(&s);
}

/* Dates are reported, never filtered. */
static void
test_validity_flags(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	(void)state;

	c = good(&s, "expired");
	c->not_after = NOW - 1;
	c = good(&s, "last-second");
	c->not_after = NOW;
	c = good(&s, "future");
	c->not_before = NOW + 1;
	c = good(&s, "first-second");
	c->not_before = NOW;
	run(&s, &r);
	assert_true(r.eval[0].expired);
	assert_false(r.eval[1].expired);
	assert_true(r.eval[2].not_yet_valid);
	assert_false(r.eval[3].not_yet_valid);
	assert_false(r.eval[0].not_yet_valid);
	assert_int_equal(r.counts[3], 4);
	assert_int_equal(r.eval[0].stopped, CERT_PASSED);
	cert_result_free(&r);
	cert_set_free(&s);
}

static void
test_name_matching(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	(void)state;

	assert_true(cert_name_matches("cmgcp.contoso.com",
	    "CMGCP.Contoso.COM"));
	assert_true(cert_name_matches("cmgcp.contoso.com", "cmgcp"));
	assert_true(cert_name_matches("CMGCP", "cmgcp.contoso.com"));
	assert_false(cert_name_matches("cmgcp.fabrikam.com",
	    "cmgcp.contoso.com"));
	assert_false(cert_name_matches("cmgcp2.contoso.com", "cmgcp"));
	assert_false(cert_name_matches("cmg", "cmgcp"));
	assert_true(cert_name_matches("*.contoso.com", "cmgcp.contoso.com"));
	assert_false(cert_name_matches("*.contoso.com", "a.b.contoso.com"));
	assert_false(cert_name_matches("*.contoso.com", "cmgcp"));
	assert_false(cert_name_matches("", "cmgcp"));
	assert_false(cert_name_matches("cmgcp", ""));
	assert_false(cert_name_matches(NULL, "cmgcp"));

	c = good(&s, "other");             /* neither CN nor SAN */
	c = good(&s, "cmgcp.contoso.com"); /* CN */
	c = good(&s, "other");             /* SAN */
	assert_int_equal(cert_strv_add(&c->san, &c->nsan, "x.contoso.com",
	    NULL), 0);
	assert_int_equal(cert_strv_add(&c->san, &c->nsan, "CMGCP.contoso.com",
	    NULL), 0);
	run(&s, &r);
	assert_false(r.eval[0].names_computer);
	assert_true(r.eval[1].names_computer);
	assert_true(r.eval[2].names_computer);
	cert_result_free(&r);
	assert_int_equal(cert_filter(&s, NOW, NULL, &r, NULL), 0);
	assert_false(r.eval[1].names_computer);
	cert_result_free(&r);
	cert_set_free(&s);
}

/* The output of f into a malloc'd string. */
static char *
render(int json, struct cert_set *s, struct cert_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal((json ? cert_output_json : cert_output_text)(s, r,
	    "cmgcp", f, NULL), 0);
	fclose(f);
	return buf;
}

static void
test_text_output(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	char *t, *last;
	static const char counts[] =
	    "Filtered cert count with digital signature: 2\n"
	    "Filtered cert count with allowed root CA: 1\n"
	    "Filtered cert count with private key: 0\n"
	    "Filtered cert count with client auth: 0\n";
	(void)state;

	c = good(&s, "a");
	c->has_private_key = 0;
	good(&s, "b")->chain = CERT_CHAIN_UNTRUSTED_ROOT;
	run(&s, &r);
	t = render(0, &s, &r);
	assert_int_equal(strncmp(t, counts, strlen(counts)), 0);
	assert_non_null(strstr(t, "stopped at private-key"));
	assert_non_null(strstr(t, "stopped at allowed-root-ca: its chain ends "
	    "at a root that is not allowed: CN=Site Root"));
	assert_non_null(strstr(t, "\nremediation: No certificate left has its "
	    "private key"));
	/* The verdict is the last line (Intune keeps only that). */
	last = t + strlen(t) - 1;
	while (last > t && last[-1] != '\n')
		last--;
	assert_string_equal(last, "fail: no certificate passes; stage "
	    "private-key emptied the set\n");
	free(t);
	cert_result_free(&r);
	cert_set_free(&s);
}

static void
test_json_output(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	json_t *j, *a, *o;
	json_error_t je;
	char *t;
	(void)state;

	good(&s, "pass");
	c = good(&s, "noext");
	c->has_ku = 0;
	c->ku = 0;
	c->has_eku = 0;
	set_eku(c, NULL);
	c->has_private_key = 0;
	run(&s, &r);
	t = render(1, &s, &r);
	assert_non_null(j = json_loads(t, 0, &je));
	assert_string_equal(json_string_value(json_object_get(j, "verdict")),
	    "pass");
	assert_true(json_is_null(json_object_get(j, "remediation")));
	o = json_object_get(j, "counts");
	assert_int_equal(json_integer_value(json_object_get(o,
	    "digital-signature")), 2);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "allowed-root-ca")), 2);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "private-key")), 1);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "client-auth")), 1);
	a = json_object_get(j, "certificates");
	assert_int_equal(json_array_size(a), 2);
	o = json_array_get(a, 0);
	assert_true(json_is_null(json_object_get(o, "stage_failed")));
	assert_true(json_is_true(json_object_get(o, "passes")));
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(o, "key_usage"), 0)), "digitalSignature");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(o, "eku"), 1)), CERT_OID_CLIENT_AUTH);
	assert_string_equal(json_string_value(json_object_get(o, "root")),
	    "CN=Site Root");
	assert_string_equal(json_string_value(json_object_get(o,
	    "not_before")), "2027-01-14T08:00:00Z");
	o = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(o,
	    "stage_failed")), "private-key");
	assert_true(json_is_false(json_object_get(o, "passes")));
	assert_true(json_is_false(json_object_get(o, "key_usage_present")));
	assert_true(json_is_false(json_object_get(o, "eku_present")));
	assert_int_equal(json_array_size(json_object_get(o, "key_usage")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "san")), 0);
	json_decref(j);
	free(t);
	cert_result_free(&r);
	cert_set_free(&s);
}

/* A subject, SAN or path that is not UTF-8 (a Latin-1 name from a file)
 * is shown with U+FFFD: the JSON stays valid instead of failing whole. */
static void
test_json_output_not_utf8(void **state)
{
	struct cert_set s = { NULL, 0, 0 };
	struct cert_result r;
	struct cert *c;
	json_t *j, *o;
	json_error_t je;
	char *t;
	(void)state;

	c = good(&s, "latin");
	free(c->subject);
	assert_non_null(c->subject = strdup("CN=M\xfcller, O=Contoso"));
	assert_int_equal(cert_strv_add(&c->san, &c->nsan, "a\xff" "b", NULL),
	    0);
	free(c->origin);
	assert_non_null(c->origin = strdup("/certs/caf\xe9.pem"));
	run(&s, &r);
	t = render(1, &s, &r);
	assert_non_null(j = json_loads(t, 0, &je));
	o = json_array_get(json_object_get(j, "certificates"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "subject")),
	    "CN=M\xef\xbf\xbdller, O=Contoso");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(o, "san"), 0)), "a\xef\xbf\xbd" "b");
	assert_string_equal(json_string_value(json_object_get(o, "origin")),
	    "/certs/caf\xef\xbf\xbd.pem");
	json_decref(j);
	free(t);
	cert_result_free(&r);
	cert_set_free(&s);
}

/* One thumbprint form for both sources: upper-case hex, 40 digits. */
static void
test_thumbprint(void **state)
{
	static const unsigned char sha1[20] = {
		0x00, 0x01, 0x0a, 0x9f, 0xa0, 0xff, 0x12, 0x34, 0x56, 0x78,
		0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xf0, 0x7e, 0xe7, 0x80, 0x08,
	};
	struct cert c;
	(void)state;

	memset(&c, 'x', sizeof(c));
	cert_set_thumbprint(&c, sha1);
	assert_string_equal(c.thumbprint,
	    "00010A9FA0FF123456789ABCDEF00FF07EE78008");
}

static void
test_names_tables(void **state)
{
	(void)state;
	assert_string_equal(cert_ku_name(CERT_KU_DIGITAL_SIGNATURE),
	    "digitalSignature");
	assert_string_equal(cert_ku_name(CERT_KU_DECIPHER_ONLY),
	    "decipherOnly");
	assert_null(cert_ku_name(3));
	assert_string_equal(cert_eku_name(CERT_OID_CLIENT_AUTH),
	    "Client Authentication");
	assert_null(cert_eku_name("1.2.3"));
	assert_null(cert_stage_id(CERT_PASSED));
	assert_string_equal(cert_stage_log_words(CERT_STAGE_ALLOWED_ROOT),
	    "allowed root CA");
	assert_string_equal(cert_chain_id(CERT_CHAIN_PARTIAL), "partial");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_stage_alone),
		cmocka_unit_test(test_first_failing_stage_counts),
		cmocka_unit_test(test_kb_counts_and_verdict),
		cmocka_unit_test(test_remediation_names_stage),
		cmocka_unit_test(test_empty_set),
		cmocka_unit_test(test_absent_extensions),
		cmocka_unit_test(test_chain_states),
		cmocka_unit_test(test_validity_flags),
		cmocka_unit_test(test_name_matching),
		cmocka_unit_test(test_text_output),
		cmocka_unit_test(test_json_output),
		cmocka_unit_test(test_json_output_not_utf8),
		cmocka_unit_test(test_thumbprint),
		cmocka_unit_test(test_names_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
