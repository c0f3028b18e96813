// SPDX-License-Identifier: ISC
/* test_diag_causes.c - diagnose on log text in the wordings Microsoft
 * publishes (KB 4503442; "Configuration Manager clients fail to
 * communicate with CMG"; "Troubleshoot co-management: Bootstrap with
 * modern provisioning"): one finding per filter chain, the chain-status
 * cause, verbose logging claimed only on the connector's evidence,
 * requests counted by message id, Microsoft's token advice, the other
 * documented CMG failures, and per-file rules merged like one pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "diag/diag_logline.h"
#include "diag/diag_rules.h"

#define MAXF 16

static struct diag_file *files[MAXF];
static size_t nfiles;

static void
free_files(void)
{
	while (nfiles > 0)
		diag_file_free(files[--nfiles]);
}

static void
feed(struct diag_rules *r, const char *name, const char *text)
{
	struct diag_sink s;

	assert_true(nfiles < MAXF);
	assert_non_null(files[nfiles] = diag_file_new(name));
	diag_rules_sink(r, &s);
	diag_rules_file_begin(r);
	assert_int_equal(diag_scan_mem((const unsigned char *)text,
	    strlen(text), files[nfiles], &s, NULL), 0);
	nfiles++;
}

static const struct diag_finding *
find(const struct diag_rules *r, const char *id)
{
	const struct diag_finding *fd;
	size_t i;

	for (i = 0; i < diag_rules_count(r); i++) {
		fd = diag_rules_get(r, i);
		if (strcmp(fd->id, id) == 0)
			return fd;
	}
	return NULL;
}

static size_t
count_id(const struct diag_rules *r, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < diag_rules_count(r); i++)
		n += strcmp(diag_rules_get(r, i)->id, id) == 0;
	return n;
}

/* A line of SMS_Cloud_ProxyConnector.log (legacy server format). */
#define CP(msg) msg "  $$<SMS_CLOUD_PROXYCONNECTOR><01-05-2026 " \
	"09:00:00.000+000><thread=6124 (0x17EC)>\n"

/* Microsoft's published log of the revocation failure. */
static const char REVOCATION[] =
    CP("Chain build failed cert: C019CC17EEFA681D154BA9F24F8EAE9640D54C49")
    CP("Chain 0 status: RevocationStatusUnknown")
    CP("Chain 1 status: OfflineRevocation")
    CP("Chain build failed cert: 54E09FEA31FE83F9A8AA5389B8D08B34D42FB3CF")
    CP("Chain 0 status: RevocationStatusUnknown")
    CP("Chain 1 status: OfflineRevocation")
    CP("Not allowed cert: 52E140B1DD16A556AB77932B63DE87955BBC4616 "
       "52E140B1DD16A556AB77932B63DE87955BBC4616")
    CP("Filtered cert count with allowed root CA and has private key: 0")
    CP("Filtered cert count with client auth: 0");

static void
test_one_finding_per_chain(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	feed(r, "SMS_Cloud_ProxyConnector.log", REVOCATION);
	diag_rules_finish(r);
	assert_int_equal(count_id(r, "cert-filter-empty"), 1);
	assert_int_equal(diag_rules_count(r), 1);
	fd = find(r, "cert-filter-empty");
	assert_string_equal(fd->stage, "allowed-root-ca");
	assert_int_equal(fd->count, 1);
	/* The later zero is kept in the counts of the one finding. */
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], -1);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], 0);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], 0);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], 0);
	assert_int_equal(fd->nrejected, 1);
	diag_rules_free(r);
	free_files();

	/* Two chains, one after the other: two empties of the same stage
	 * are one finding seen twice; a count after the ending stage opens
	 * no new one, but a digital-signature line does. */
	r = diag_rules_new(0, 0);
	feed(r, "SMS_Cloud_ProxyConnector.log",
	    CP("Filtered cert count with digital signature: 2")
	    CP("No private key cert: [Thumbprint: AA]")
	    CP("No private key cert: [Thumbprint: BB]")
	    CP("Filtered cert count with allowed root CA: 2")
	    CP("Filtered cert count with private key: 0")
	    CP("Filtered cert count with client auth: 0")
	    CP("Maintaining connections...")
	    CP("Filtered cert count with digital signature: 3")
	    CP("Filtered cert count with allowed root CA: 3")
	    CP("Filtered cert count with private key: 0")
	    CP("Filtered cert count with client auth: 0"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	fd = find(r, "cert-filter-empty");
	assert_string_equal(fd->stage, "private-key");
	assert_int_equal(fd->count, 2);
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 3);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], 0);
	assert_int_equal(fd->nrejected, 0);     /* the later chain's */
	assert_non_null(strstr(fd->remediation, "cmremedy certcheck"));
	diag_rules_free(r);
	free_files();
}

static void
test_revocation_cause(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	feed(r, "SMS_Cloud_ProxyConnector.log", REVOCATION);
	diag_rules_finish(r);
	fd = find(r, "cert-filter-empty");
	assert_non_null(fd->reason);
	assert_string_equal(fd->reason, "crl-offline");
	assert_non_null(strstr(fd->cause, "certificate revocation list"));
	assert_non_null(strstr(fd->remediation, "CRL distribution point"));
	assert_non_null(strstr(fd->remediation, "disable CRL checking"));
	assert_null(strstr(fd->remediation, "trusted root CAs"));
	assert_int_equal(fd->nfail, 2);
	assert_int_equal(fd->fail_total, 2);
	assert_string_equal(fd->fail[0].thumb,
	    "C019CC17EEFA681D154BA9F24F8EAE9640D54C49");
	assert_int_equal(fd->fail[1].nstatus, 2);
	assert_string_equal(fd->fail[1].status[0], "RevocationStatusUnknown");
	assert_string_equal(fd->fail[1].status[1], "OfflineRevocation");
	/* Microsoft's sample rejects a third certificate. */
	assert_false(fd->fail[0].rejected);
	diag_rules_free(r);
	free_files();
}

/* A chain whose failures give status s1 (for cert AA, rejected) and s2
 * (for cert BB, rejected only if both): the reason reported. */
static const char *
reason_of(const char *s1, const char *s2, int both)
{
	static char reason[64];
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	char text[2048];

	snprintf(text, sizeof(text),
	    CP("Filtered cert count with digital signature: 2")
	    CP("Chain build failed cert: AA11")
	    CP("Chain 0 status: %s")
	    CP("Chain build failed cert: BB22")
	    CP("Chain 0 status: %s")
	    CP("Not allowed cert: [Thumbprint: aa11]")
	    "%s"
	    CP("Filtered cert count with allowed root CA: 0"), s1, s2,
	    both ? CP("Not allowed cert: [Thumbprint: BB22]") : "");
	feed(r, "SMS_Cloud_ProxyConnector.log", text);
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cert-filter-empty"));
	assert_true(fd->fail[0].rejected);   /* tied, case aside */
	assert_int_equal(fd->fail[1].rejected, both);
	snprintf(reason, sizeof(reason), "%s", fd->reason ? fd->reason :
	    "(none)");
	diag_rules_free(r);
	free_files();
	return reason;
}

static void
test_reason_per_status(void **state)
{
	(void)state;

	assert_string_equal(reason_of("Revoked", "Revoked", 0), "revoked");
	assert_string_equal(reason_of("NotTimeValid", "Revoked", 0),
	    "not-time-valid");           /* BB22 was not the rejected one */
	assert_string_equal(reason_of("NotTimeValid", "Revoked", 1),
	    "revoked");
	assert_string_equal(reason_of("PartialChain", "x", 0),
	    "partial-chain");
	assert_string_equal(reason_of("untrustedroot", "x", 0),
	    "untrusted-root");
	assert_string_equal(reason_of("ExplicitDistrust", "x", 0),
	    "explicit-distrust");
	assert_string_equal(reason_of("NotSignatureValid", "x", 0),
	    "bad-signature");
	assert_string_equal(reason_of("NotValidForUsage", "x", 0),
	    "not-valid-for-usage");
	assert_string_equal(reason_of("HasWeakSignature", "x", 0),
	    "weak-signature");
	assert_string_equal(reason_of("Cyclic", "x", 0), "chain-invalid");
	/* An untrusted root cannot be revocation-checked either: the root
	 * is the cause. */
	assert_string_equal(reason_of("RevocationStatusUnknown",
	    "UntrustedRoot", 1), "untrusted-root");
	assert_string_equal(reason_of("OfflineRevocation",
	    "RevocationStatusUnknown", 1), "crl-offline");
	assert_int_equal(diag_reason_of_status("NoError", 7),
	    DIAG_RS_CHAIN_INVALID);
	assert_null(diag_reason_name(DIAG_RS_NONE));
}

static void
test_reason_only_at_root_stage(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	/* One certificate failed its chain, another passed on to fail the
	 * client-auth check: that check is the cause. */
	feed(r, "SMS_Cloud_ProxyConnector.log",
	    CP("Filtered cert count with digital signature: 2")
	    CP("Chain build failed cert: AA11")
	    CP("Chain 0 status: OfflineRevocation")
	    CP("Not allowed cert: AA11")
	    CP("Filtered cert count with allowed root CA: 1")
	    CP("Filtered cert count with private key: 1")
	    CP("Not client auth cert: BB22")
	    CP("Filtered cert count with client auth: 0"));
	diag_rules_finish(r);
	fd = find(r, "cert-filter-empty");
	assert_string_equal(fd->stage, "client-auth");
	assert_null(fd->reason);
	diag_rules_free(r);
	free_files();
}

static const char LOCATION[] =
    "<![LOG[[CCMHTTP] ERROR: URL=https://cmgsccm.contoso.com/CCM_PROXY_"
    "MUTUALAUTH/3456/SMS_MP/.sms_aut?SITESIGNCERT, Port=443, Options=31, "
    "Code=0, Text=CCM_E_BAD_HTTP_STATUS_CODE]LOG]!><time=\"09:00:00.000+000\""
    " date=\"01-05-2026\" component=\"LocationServices\" context=\"\" "
    "type=\"3\" thread=\"1\" file=\"\">\n"
    "<![LOG[[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_"
    "Clientcertificaterequired]LOG]!><time=\"09:00:00.000+000\" "
    "date=\"01-05-2026\" component=\"LocationServices\" context=\"\" "
    "type=\"3\" thread=\"1\" file=\"\">\n";

static const char NOVERBOSE[] =
    CP("Forwarding proxy message 5BB2B6D4-0C5C-4E5B-9A3B-1C7F3E0A1001 to "
       "URL: https://InternalMP.contoso.com/SMS_MP/.sms_aut?SITESIGNCERT")
    CP("Web exception for message 5BB2B6D4-0C5C-4E5B-9A3B-1C7F3E0A1001: "
       "System.Net.WebException: The remote server returned an error: "
       "(403) Forbidden.~~  at System.Net.HttpWebRequest.EndGetResponse("
       "IAsyncResult asyncResult)")
    CP("Received response https://InternalMP.contoso.com/SMS_MP/.sms_aut?"
       "MPLIST2&CM1 for message 5BB2B6D4-0C5C-4E5B-9A3B-1C7F3E0A1001: "
       "HTTP/1.1 403 CMGConnector_Clientcertificaterequired")
    CP("MessageID: 7C1D0E2F-1111-2222-3333-444455556666 RequestURI: https:"
       "//InternalMP.contoso.com/SMS_MP/.sms_aut?SITESIGNCERT EndpointName:"
       " SMS_MP ResponseHeader: HTTP/1.1 403 CMGConnector_Clientcertificate"
       "required~~ ResponseBodySize: 5274 ElapsedTime: 44 ms");

static void
test_verbose_claim_needs_connector_log(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	/* Only the client's log: nothing is known of the connector. */
	feed(r, "LocationServices.log", LOCATION);
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_null(find(r, "verbose-logging-needed"));
	fd = find(r, "cmg-client-cert-required");
	assert_non_null(strstr(fd->remediation, "collect "
	    "SMS_Cloud_ProxyConnector.log"));
	diag_rules_free(r);
	free_files();

	/* With the connector's log, 403s and no chain: the claim holds. */
	r = diag_rules_new(0, 0);
	feed(r, "LocationServices.log", LOCATION);
	feed(r, "SMS_Cloud_ProxyConnector.log", NOVERBOSE);
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "verbose-logging-needed"));
	assert_ptr_equal(fd->ev[0].file, files[1]);
	fd = find(r, "cmg-client-cert-required");
	assert_null(strstr(fd->remediation, "collect"));
	assert_non_null(strstr(fd->remediation, "cmg-connector-verbose-on"));
	diag_rules_free(r);
	free_files();

	/* The connector's log, renamed, is known by its component; with
	 * a chain logged, verbose logging is on. */
	r = diag_rules_new(0, 0);
	feed(r, "proxy.log", NOVERBOSE);
	feed(r, "LocationServices.log", LOCATION);
	feed(r, "SMS_Cloud_ProxyConnector.lo_", REVOCATION);
	diag_rules_finish(r);
	assert_null(find(r, "verbose-logging-needed"));
	fd = find(r, "cmg-client-cert-required");
	assert_null(strstr(fd->remediation, "collect"));
	assert_null(strstr(fd->remediation, "cmg-connector-verbose-on"));
	diag_rules_free(r);
	free_files();
}

static void
test_requests_by_message_id(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	feed(r, "SMS_Cloud_ProxyConnector.log", NOVERBOSE);
	diag_rules_finish(r);
	/* Web exception + Received response of one message, and one
	 * "MessageID:" line: two requests. */
	fd = find(r, "verbose-logging-needed");
	assert_int_equal(fd->count, 2);
	assert_int_equal(fd->nev, 2);
	assert_int_equal(fd->ev[0].line, 2);
	assert_int_equal(fd->ev[1].line, 4);
	assert_int_equal(find(r, "cmg-client-cert-required")->count, 2);
	diag_rules_free(r);
	free_files();

	/* The same id in two files is two requests (ids are per file),
	 * and lines without an id count one each. */
	r = diag_rules_new(0, 0);
	feed(r, "SMS_Cloud_ProxyConnector.log", NOVERBOSE);
	feed(r, "SMS_Cloud_ProxyConnector.lo_", NOVERBOSE);
	feed(r, "LocationServices.log", LOCATION);
	feed(r, "LocationServices.lo_", LOCATION);
	diag_rules_finish(r);
	assert_int_equal(find(r, "verbose-logging-needed")->count, 4);
	assert_int_equal(find(r, "cmg-client-cert-required")->count, 6);
	diag_rules_free(r);
	free_files();
}

static void
test_token_advice(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	/* Ccmsetup.log and CCM_STS.log as Microsoft shows them. */
	feed(r, "ccmsetup.log",
	    "<![LOG[[CCMHTTP] ERROR INFO: StatusCode=401 StatusText="
	    "CMGService_Invalid_Token]LOG]!><time=\"13:05:05.000+000\" "
	    "date=\"10-28-2020\" component=\"ccmsetup\" context=\"\" "
	    "type=\"3\" thread=\"1\" file=\"\">\n");
	feed(r, "CCM_STS.log",
	    "<![LOG[Return code: 401, Description: PreAuth token validation "
	    "failed, System.IdentityModel.Tokens.SecurityTokenExpiredException:"
	    "\nIDX10223: Lifetime validation failed. The token is expired.\n"
	    "ValidTo: '10/01/2020 22:03:24'\nCurrent time: '10/28/2020 "
	    "13:05:05'.]LOG]!><time=\"13:05:05.000+000\" date=\"10-28-2020\" "
	    "component=\"CcmSts\" context=\"\" type=\"3\" thread=\"1\" "
	    "file=\"\">\n");
	diag_rules_finish(r);
	fd = find(r, "cmg-token-invalid");
	assert_int_equal(fd->count, 2);
	assert_non_null(strstr(fd->cause, "more than 30 days"));
	assert_non_null(strstr(fd->cause, "bulk registration token"));
	assert_non_null(strstr(fd->remediation, "intranet management point"));
	assert_non_null(strstr(fd->remediation, "new bulk registration "
	    "token"));
	assert_null(strstr(fd->remediation, "clock"));
	diag_rules_free(r);
	free_files();
}

#define LS(msg) "<![LOG[" msg "]LOG]!><time=\"09:00:00.000+000\" " \
	"date=\"01-05-2026\" component=\"LocationServices\" context=\"\" " \
	"type=\"1\" thread=\"1\" file=\"\">\n"

static void
test_other_documented_failures(void **state)
{
	struct diag_rules *r = diag_rules_new(0, 0);
	const struct diag_finding *fd;
	(void)state;

	feed(r, "LocationServices.log",
	    LS("[CCMHTTP] AsyncCallback(): WINHTTP_CALLBACK_STATUS_SECURE_"
	       "FAILURE Encountered")
	    LS("[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED is "
	       "set")
	    LS("[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA is set")
	    LS("[CCMHTTP] ERROR: URL=https://CMG.CONTOSO.COM/CCM_Proxy_Server"
	       "Auth/72057594037928017/CCM_STS, Port=443, Options=63, "
	       "Code=12175, Text=ERROR_WINHTTP_SECURE_FAILURE"));
	feed(r, "mpfdm.log", "SMS_MP_FILE_DISPATCH_MANAGER ~**ERROR: Cannot "
	    "connect to the inbox source, sleep 30 seconds and try again.  "
	    "$$<SMS_MP_FILE_DISPATCH_MANAGER><01-05-2026 09:00:00.000+000>"
	    "<thread=3828 (0xEF4)>\n");
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 2);
	fd = find(r, "cmg-secure-failure");
	assert_int_equal(fd->count, 1);
	assert_int_equal(fd->flags, DIAG_WF_CERT_REV_FAILED |
	    DIAG_WF_INVALID_CA);
	assert_non_null(strstr(fd->remediation, "/NoCRLCheck"));
	fd = find(r, "mpfdm-inbox-unreachable");
	assert_string_equal(fd->severity, "warning");
	assert_non_null(strstr(fd->remediation, "local Administrators"));
	diag_rules_free(r);
	free_files();
}

/* Findings compared field by field (evidence by file name and text:
 * a and b may have read different copies of the same files). */
static void
same_findings(const struct diag_rules *a, const struct diag_rules *b)
{
	const struct diag_finding *x, *y;
	size_t i, k;

	assert_int_equal(diag_rules_count(a), diag_rules_count(b));
	for (i = 0; i < diag_rules_count(a); i++) {
		x = diag_rules_get(a, i);
		y = diag_rules_get(b, i);
		assert_string_equal(x->id, y->id);
		assert_ptr_equal(x->reason, y->reason);
		assert_ptr_equal(x->remediation, y->remediation);
		assert_int_equal(x->count, y->count);
		assert_int_equal(x->first, y->first);
		assert_int_equal(x->last, y->last);
		assert_int_equal(x->nev, y->nev);
		for (k = 0; k < x->nev; k++) {
			assert_string_equal(x->ev[k].file->path,
			    y->ev[k].file->path);
			assert_string_equal(x->ev[k].text, y->ev[k].text);
		}
		assert_memory_equal(x->counts, y->counts, sizeof(x->counts));
		assert_int_equal(x->nfail, y->nfail);
		assert_int_equal(x->nclients, y->nclients);
		for (k = 0; k < x->nclients; k++)
			assert_int_equal(x->clients[k].count,
			    y->clients[k].count);
	}
}

/* `diagnose` reads each file into rules of its own and merges them in
 * order: the findings are those of one pass over all files. */
static void
test_merge_is_one_pass(void **state)
{
	static const char *const text[] = { LOCATION, NOVERBOSE, REVOCATION,
	    "#Fields: date time c-ip cs-uri-stem sc-status sc-substatus\n"
	    "2026-01-05 09:00:00 10.0.0.20 /SMS_MP/.sms_aut 403 7\n"
	    "2026-01-05 09:00:01 10.0.0.21 /SMS_MP/.sms_aut 403 7\n",
	    "#Fields: date time c-ip cs-uri-stem sc-status sc-substatus\n"
	    "2026-01-06 09:00:00 10.0.0.21 /SMS_MP/.sms_aut 403 7\n" };
	static const char *const name[] = { "LocationServices.log",
	    "SMS_Cloud_ProxyConnector.lo_", "SMS_Cloud_ProxyConnector.log",
	    "u_ex260105.log", "u_ex260106.log" };
	struct diag_rules *one = diag_rules_new(0, 0);
	struct diag_rules *all = diag_rules_new(0, 0);
	struct diag_rules *each = diag_rules_new(0, 0);
	size_t i;
	(void)state;

	for (i = 0; i < 5; i++)
		feed(one, name[i], text[i]);
	diag_rules_finish(one);
	for (i = 0; i < 5; i++) {
		diag_rules_reset(each);
		feed(each, name[i], text[i]);
		diag_rules_merge(all, each);
	}
	diag_rules_finish(all);
	assert_int_equal(diag_rules_count(one), 3);
	same_findings(one, all);
	assert_int_equal(find(all, "iis-403-7")->clients[1].count, 2);
	/* Merging nothing changes nothing. */
	diag_rules_reset(each);
	diag_rules_merge(all, each);
	diag_rules_finish(all);
	same_findings(one, all);
	diag_rules_free(one);
	diag_rules_free(all);
	diag_rules_free(each);
	free_files();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_finding_per_chain),
		cmocka_unit_test(test_revocation_cause),
		cmocka_unit_test(test_reason_per_status),
		cmocka_unit_test(test_reason_only_at_root_stage),
		cmocka_unit_test(test_verbose_claim_needs_connector_log),
		cmocka_unit_test(test_requests_by_message_id),
		cmocka_unit_test(test_token_advice),
		cmocka_unit_test(test_other_documented_failures),
		cmocka_unit_test(test_merge_is_one_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
