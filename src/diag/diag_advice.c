// SPDX-License-Identifier: ISC
/* diag_advice.c - the words of each finding, taken from Microsoft's
 * published troubleshooting (the man page names the page per finding),
 * and the X509ChainStatusFlags vocabulary of the connector's log. */
#include "diag_advice.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#define CERT_REQS "the Client Authentication EKU (1.3.6.1.5.5.7.3.2), " \
	"its private key, a chain to a root CA the site allows, the Digital " \
	"Signature key usage, and a Subject Name or Subject Alternative " \
	"Name unique to the computer"
#define ISSUE_CERT "Issue a client authentication certificate to the CMG " \
	"connection point server, in the computer's Personal store, with " \
	CERT_REQS " (KB 4503442)."
#define CERTCHECK " Then run `cmremedy certcheck` on the CMG connection " \
	"point to see which of its certificates meets which requirement."
#define VERBOSE_HINT " To see which requirement its current certificates " \
	"miss, run `cmremedy apply profiles/cmg-connector-verbose-on.ini` " \
	"there and run diagnose again on SMS_Cloud_ProxyConnector.log after " \
	"the next failures."
#define NO_CERT "The CMG connection point has no valid client " \
	"authentication certificate to forward client requests to the HTTPS " \
	"management point: "
#define CHAIN_FAIL NO_CERT "building the chain of its certificates failed " \
	"(\"Chain build failed cert\"), so the connector counted none as " \
	"chaining to an allowed root CA: "
#define FILTER "cert-filter-empty", "error"

static const struct diag_advice TEXT[DIAG_K_N] = {
	[DIAG_K_FILTER + DIAG_ST_DIGSIG] = { FILTER, NO_CERT "none of its "
	  "certificates has the Digital Signature key usage.", "Give the CMG "
	  "connection point's client authentication certificate the Digital "
	  "Signature key usage. " ISSUE_CERT CERTCHECK },
	[DIAG_K_FILTER + DIAG_ST_ROOTCA] = { FILTER, NO_CERT "no certificate "
	  "left chains to a root CA the site allows.", "Issue the certificate "
	  "from a CA whose root is among the site's trusted root CAs, or add "
	  "that root to them. " ISSUE_CERT CERTCHECK },
	[DIAG_K_FILTER + DIAG_ST_PRIVKEY] = { FILTER, NO_CERT "no certificate "
	  "left has its private key.", "Import the certificate together with "
	  "its private key into the computer's Personal store of the CMG "
	  "connection point. " ISSUE_CERT CERTCHECK },
	[DIAG_K_FILTER + DIAG_ST_CLIENTAUTH] = { FILTER, NO_CERT "no "
	  "certificate left has the Client Authentication EKU.", "Request a "
	  "certificate from a template with the Client Authentication EKU "
	  "(1.3.6.1.5.5.7.3.2). " ISSUE_CERT CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_REVOKED - 1] = { FILTER, CHAIN_FAIL "the "
	  "certificate is revoked (Revoked).", "Issue a new client "
	  "authentication certificate to the CMG connection point with "
	  CERT_REQS ", and remove the revoked one from its Personal store."
	  CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_UNTRUSTED_ROOT - 1] = { FILTER, CHAIN_FAIL
	  "the chain ends in a root CA the connection point does not trust "
	  "(UntrustedRoot).", "Import the issuing root CA certificate into "
	  "the Trusted Root Certification Authorities store of the CMG "
	  "connection point computer, and make sure it is among the site's "
	  "trusted root CAs." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_PARTIAL_CHAIN - 1] = { FILTER, CHAIN_FAIL
	  "an intermediate CA certificate could not be found (PartialChain).",
	  "Import the intermediate CA certificates into the Intermediate "
	  "Certification Authorities store of the CMG connection point "
	  "computer, or make the issuer's AIA location reachable from it."
	  CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_NOT_TIME_VALID - 1] = { FILTER, CHAIN_FAIL
	  "a certificate of the chain has expired or is not yet valid "
	  "(NotTimeValid).", "Renew the CMG connection point's client "
	  "authentication certificate (or the expired CA certificate), and "
	  "check that the connection point's clock is right." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_DISTRUSTED - 1] = { FILTER, CHAIN_FAIL "the "
	  "certificate or one of its CAs is explicitly distrusted "
	  "(ExplicitDistrust).", "Find the certificate in the Untrusted "
	  "Certificates store of the CMG connection point computer: remove it "
	  "there if it was distrusted by mistake, otherwise issue the "
	  "connection point a certificate from another CA." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_BAD_SIGNATURE - 1] = { FILTER, CHAIN_FAIL
	  "a signature in the chain does not verify (NotSignatureValid).",
	  "Issue and import the certificate again, with its CA certificates "
	  "from the issuing CA." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_NOT_FOR_USAGE - 1] = { FILTER, CHAIN_FAIL
	  "a certificate of the chain is not valid for this usage "
	  "(NotValidForUsage).", "Issue the certificate from a template and "
	  "CA that allow client authentication: " CERT_REQS "." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_WEAK_SIGNATURE - 1] = { FILTER, CHAIN_FAIL
	  "a certificate of the chain has a weak signature such as MD5 "
	  "(HasWeakSignature).", "Issue the certificate again with a SHA-256 "
	  "signature, from a CA whose own certificates are signed with "
	  "SHA-256." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_CRL_OFFLINE - 1] = { FILTER, CHAIN_FAIL "the "
	  "revocation of the certificate could not be checked "
	  "(RevocationStatusUnknown, OfflineRevocation): the CMG connection "
	  "point cannot reach the certificate revocation list (CRL).", "Make "
	  "the CRL distribution point (and AIA/OCSP locations) named in the "
	  "certificate reachable from the CMG connection point server, and "
	  "keep the published CRL current; `certutil -verify -urlfetch` on "
	  "the certificate shows which URL fails. Only if CRL checking "
	  "cannot be made to work, temporarily disable CRL checking for the "
	  "CMG connection point: it then selects a client certificate "
	  "without checking whether it was revoked (Microsoft: Troubleshoot "
	  "co-management: Bootstrap with modern provisioning)." CERTCHECK },
	[DIAG_K_REASON + DIAG_RS_CHAIN_INVALID - 1] = { FILTER, CHAIN_FAIL
	  "the chain is invalid for the status listed with the failed "
	  "certificate.", "Look up the status in .NET's X509ChainStatusFlags "
	  "documentation, correct the certificate or its chain, and issue the "
	  "connection point a certificate with " CERT_REQS "." CERTCHECK },
	[DIAG_K_CLIENTCERT] = { "cmg-client-cert-required", "error", "The "
	  "CMG connector returned 403 CMGConnector_Clientcertificaterequired: "
	  "the CMG connection point has no valid client authentication "
	  "certificate to forward client requests to the HTTPS management "
	  "point.", ISSUE_CERT CERTCHECK },
	[DIAG_K_FORBIDDEN] = { "cmg-connector-forbidden", "error", "The CMG "
	  "connector returned 403 CMGConnector_Forbidden: the management "
	  "point's IIS HTTPS (443) binding does not match the management "
	  "point's mode, or an expired or revoked certificate is bound to "
	  "it.", "On the management point, bind port 443 in IIS to match the "
	  "management point's mode (HTTPS or Enhanced HTTP) with a "
	  "certificate that is valid, not expired and not revoked." },
	[DIAG_K_IIS7] = { "iis-403-7", "error", "IIS on the management point "
	  "refused requests to /SMS_MP/ with 403.7: a client certificate is "
	  "required and the caller (the CMG connection point) sent none.",
	  ISSUE_CERT VERBOSE_HINT },
	[DIAG_K_IIS13] = { "iis-403-13", "error", "IIS on the management "
	  "point refused requests to /SMS_MP/ with 403.13: the caller's "
	  "client certificate is revoked.", "Issue a new client "
	  "authentication certificate to the computer at the client address "
	  "(the CMG connection point), with " CERT_REQS ", and remove the "
	  "revoked one." },
	[DIAG_K_IIS16] = { "iis-403-16", "error", "IIS on the management "
	  "point refused requests to /SMS_MP/ with 403.16: the caller's "
	  "client certificate is untrusted or invalid.", "Make the "
	  "management point trust the certificate's chain (its root CA in the "
	  "management point's Trusted Root Certification Authorities store), "
	  "or issue the CMG connection point a certificate from a CA it "
	  "trusts, with " CERT_REQS "." },
	[DIAG_K_IIS17] = { "iis-403-17", "error", "IIS on the management "
	  "point refused requests to /SMS_MP/ with 403.17: the caller's "
	  "client certificate has expired or is not yet valid.", "Renew the "
	  "client authentication certificate of the computer at the client "
	  "address (the CMG connection point), and check that its clock and "
	  "the management point's are right." },
	[DIAG_K_SECURE] = { "cmg-secure-failure", "error", "The client could "
	  "not validate the CMG's server authentication certificate "
	  "(ERROR_WINHTTP_SECURE_FAILURE, 0x2f8f): it lacks the PKI root CA "
	  "to validate it (WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA), the "
	  "certificate presented is not the CMG's (..._CERT_CN_INVALID), or "
	  "the client must check a CRL that is not published on the Internet "
	  "(..._CERT_REV_FAILED); \"flags\" lists those logged.", "Open "
	  "https://<CMG FQDN>/CCM_Proxy_MutualAuth/ServiceMetadata in a "
	  "browser to see which certificate is presented and that it has the "
	  "CMG's name; put the root CA certificate in the client's Trusted "
	  "Root Certification Authorities store; if the CRL is not published "
	  "on the Internet, clear \"Clients check the certificate revocation "
	  "list (CRL) for site systems\" on the site's Communication Security "
	  "tab and install Internet clients with CCMSetup /NoCRLCheck." },
	[DIAG_K_TOKEN] = { "cmg-token-invalid", "error", "The CMG refused the "
	  "client's token (401 CMGService_Invalid_Token): the token has "
	  "expired, because the client has not been in contact with the site "
	  "(through the CMG or a management point) for more than 30 days, or "
	  "because it was installed with a bulk registration token "
	  "(CCMSetup /regtoken) that has expired. This is not the "
	  "certificate problem of KB 4503442.", "Renew the token: connect "
	  "the client to an intranet management point directly, or reinstall "
	  "the client with a new bulk registration token." },
	[DIAG_K_INBOX] = { "mpfdm-inbox-unreachable", "warning", "MP File "
	  "Dispatch Manager on the CMG connection point's site system cannot "
	  "reach the primary site's inboxes, so the connection point's "
	  "traffic reports do not arrive and the console shows it as "
	  "disconnected.", "Add the computer account of the remote site "
	  "system that holds the CMG connection point to the local "
	  "Administrators group on the primary site server." },
	[DIAG_K_VERBOSE] = { "verbose-logging-needed", "warning", "The CMG "
	  "connector logged 403 responses but no certificate filter chain: "
	  "its verbose logging is off, so the log does not say which "
	  "certificate check fails.", "On the CMG connection point server "
	  "run `cmremedy apply profiles/cmg-connector-verbose-on.ini` "
	  "(VerboseLogging = 1 under "
	  "HKLM\\SOFTWARE\\Microsoft\\SMS\\SMS_CLOUD_PROXYCONNECTOR, then a "
	  "restart of SMS_EXECUTIVE), wait for the next failures and run "
	  "diagnose again on SMS_Cloud_ProxyConnector.log." },
};

const char diag_advice_collect_connector[] = ISSUE_CERT " Only a client "
    "log was read: to see which certificate check fails, collect "
    "SMS_Cloud_ProxyConnector.log from the CMG connection point server "
    "(the ConfigMgr Logs folder of that site system) with its verbose "
    "logging on (`cmremedy apply profiles/cmg-connector-verbose-on.ini` "
    "there, then wait for the next failures), and run diagnose on it "
    "together with this log.";
const char diag_advice_clientcert_verbose[] = ISSUE_CERT VERBOSE_HINT;

const struct diag_advice *
diag_advice(enum diag_kind k)
{
	return (unsigned)k < DIAG_K_N ? &TEXT[k] : NULL;
}

const char *
diag_stage_name(enum diag_stage s)
{
	static const char *const n[DIAG_ST_N] = { "digital-signature",
	    "allowed-root-ca", "private-key", "client-auth" };

	return (unsigned)s < DIAG_ST_N ? n[s] : "unknown";
}

const char *
diag_reason_name(enum diag_reason r)
{
	static const char *const n[DIAG_RS_N] = { NULL, "revoked",
	    "untrusted-root", "partial-chain", "not-time-valid",
	    "explicit-distrust", "bad-signature", "not-valid-for-usage",
	    "weak-signature", "crl-offline", "chain-invalid" };

	return (unsigned)r < DIAG_RS_N ? n[r] : NULL;
}

enum diag_reason
diag_reason_of_status(const char *name, size_t n)
{
	/* X509ChainStatusFlags names with a cause and fix of their own;
	 * the other members of the enum are chain-invalid. */
	static const struct {
		const char *name;
		enum diag_reason r;
	} ST[] = {
		{ "Revoked", DIAG_RS_REVOKED },
		{ "UntrustedRoot", DIAG_RS_UNTRUSTED_ROOT },
		{ "PartialChain", DIAG_RS_PARTIAL_CHAIN },
		{ "NotTimeValid", DIAG_RS_NOT_TIME_VALID },
		{ "NotTimeNested", DIAG_RS_NOT_TIME_VALID },
		{ "ExplicitDistrust", DIAG_RS_DISTRUSTED },
		{ "NotSignatureValid", DIAG_RS_BAD_SIGNATURE },
		{ "NotValidForUsage", DIAG_RS_NOT_FOR_USAGE },
		{ "HasWeakSignature", DIAG_RS_WEAK_SIGNATURE },
		{ "RevocationStatusUnknown", DIAG_RS_CRL_OFFLINE },
		{ "OfflineRevocation", DIAG_RS_CRL_OFFLINE },
	};
	size_t i;

	for (i = 0; i < sizeof(ST) / sizeof(ST[0]); i++)
		if (strlen(ST[i].name) == n &&
		    strncasecmp(ST[i].name, name, n) == 0)
			return ST[i].r;
	return DIAG_RS_CHAIN_INVALID;
}
