// SPDX-License-Identifier: ISC
/* diag_rules.c - the KB 4503442 findings, computed record by record. */
#include "diag_rules.h"
#include "diag_record.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Slots in report order: most specific cause first. */
enum {
	S_FILTER,                        /* + enum diag_stage */
	S_CLIENTCERT = S_FILTER + DIAG_ST_N,
	S_FORBIDDEN,
	S_IIS7, S_IIS13, S_IIS16, S_IIS17,
	S_TOKEN,
	S_VERBOSE,
	S_N
};

#define CERT_REQS "the Client Authentication EKU (1.3.6.1.5.5.7.3.2), " \
	"its private key, a chain to a root CA the site allows, the Digital " \
	"Signature key usage, and a Subject Name or Subject Alternative " \
	"Name unique to the computer"
#define ISSUE_CERT "Issue a client authentication certificate to the CMG " \
	"connection point server, in the computer's Personal store, with " \
	CERT_REQS " (KB 4503442)."
#define VERBOSE_HINT " To see which requirement its current certificates " \
	"miss, run `cmremedy apply profiles/cmg-connector-verbose-on.ini` " \
	"there and run diagnose again on SMS_Cloud_ProxyConnector.log after " \
	"the next failures."
#define NO_CERT "The CMG connection point has no valid client " \
	"authentication certificate to forward client requests to the HTTPS " \
	"management point: "

static const struct {
	const char *id, *severity, *cause, *remediation;
} TEXT[S_N] = {
	{ "cert-filter-empty", "error", NO_CERT "none of its certificates "
	  "has the Digital Signature key usage.", "Give the CMG connection "
	  "point's client authentication certificate the Digital Signature "
	  "key usage. " ISSUE_CERT },
	{ "cert-filter-empty", "error", NO_CERT "no certificate left chains "
	  "to a root CA the site allows.", "Issue the certificate from a CA "
	  "whose root is among the site's trusted root CAs, or add that root "
	  "to them. " ISSUE_CERT },
	{ "cert-filter-empty", "error", NO_CERT "no certificate left has its "
	  "private key.", "Import the certificate together with its private "
	  "key into the computer's Personal store of the CMG connection "
	  "point. " ISSUE_CERT },
	{ "cert-filter-empty", "error", NO_CERT "no certificate left has the "
	  "Client Authentication EKU.", "Request a certificate from a "
	  "template with the Client Authentication EKU (1.3.6.1.5.5.7.3.2). "
	  ISSUE_CERT },
	{ "cmg-client-cert-required", "error", "The CMG connector returned "
	  "403 CMGConnector_Clientcertificaterequired: the CMG connection "
	  "point has no valid client authentication certificate to forward "
	  "client requests to the HTTPS management point.",
	  ISSUE_CERT VERBOSE_HINT },
	{ "cmg-connector-forbidden", "error", "The CMG connector returned 403 "
	  "CMGConnector_Forbidden: the management point's IIS HTTPS (443) "
	  "binding does not match the management point's mode, or an "
	  "expired or revoked certificate is bound to it.", "On the "
	  "management point, bind port 443 in IIS to match the management "
	  "point's mode (HTTPS or Enhanced HTTP) with a certificate that is "
	  "valid, not expired and not revoked." },
	{ "iis-403-7", "error", "IIS on the management point refused "
	  "requests to /SMS_MP/ with 403.7: a client certificate is required "
	  "and the caller (the CMG connection point) sent none.",
	  ISSUE_CERT VERBOSE_HINT },
	{ "iis-403-13", "error", "IIS on the management point refused "
	  "requests to /SMS_MP/ with 403.13: the caller's client certificate "
	  "is revoked.", "Issue a new client authentication certificate to "
	  "the computer at the client address (the CMG connection point), "
	  "with " CERT_REQS ", and remove the revoked one." },
	{ "iis-403-16", "error", "IIS on the management point refused "
	  "requests to /SMS_MP/ with 403.16: the caller's client certificate "
	  "is untrusted or invalid.", "Make the management point trust the "
	  "certificate's chain (its root CA in the management point's Trusted "
	  "Root Certification Authorities store), or issue the CMG connection "
	  "point a certificate from a CA it trusts, with " CERT_REQS "." },
	{ "iis-403-17", "error", "IIS on the management point refused "
	  "requests to /SMS_MP/ with 403.17: the caller's client certificate "
	  "has expired or is not yet valid.", "Renew the client "
	  "authentication certificate of the computer at the client address "
	  "(the CMG connection point), and check that its clock and the "
	  "management point's are right." },
	{ "cmg-token-invalid", "error", "The CMG refused the client's access "
	  "token (401 CMGService_Invalid_Token); this is not the certificate "
	  "problem of KB 4503442.", "Check that the client's clock is right "
	  "and that the client is registered with the site (Azure AD or "
	  "token-based authentication) so that it can obtain a valid token." },
	{ "verbose-logging-needed", "warning", "The CMG connector logged 403 "
	  "responses but no certificate filter chain: its verbose logging is "
	  "off, so the log does not say which certificate check fails.",
	  "On the CMG connection point server run `cmremedy apply "
	  "profiles/cmg-connector-verbose-on.ini` (VerboseLogging = 1 under "
	  "HKLM\\SOFTWARE\\Microsoft\\SMS\\SMS_CLOUD_PROXYCONNECTOR, then a "
	  "restart of SMS_EXECUTIVE), wait for the next failures and run "
	  "diagnose again on SMS_Cloud_ProxyConnector.log." },
};

/* Rejection lines and the stage whose check they fail. */
static const struct {
	const char *prefix;
	enum diag_stage stage;
} REJECTS[] = {
	{ "Not allowed cert:", DIAG_ST_ROOTCA },
	{ "No private key cert:", DIAG_ST_PRIVKEY },
	{ "Not client auth cert:", DIAG_ST_CLIENTAUTH },
};
#define NREJ (sizeof(REJECTS) / sizeof(REJECTS[0]))

/* One verbose filter chain, as it is being read. */
struct chain {
	int active;
	long counts[DIAG_ST_N];
	int last_reject;             /* stage of the last rejection since the
					previous count line, or -1 */
	size_t nrej[DIAG_ST_N];
	unsigned long rejtotal[DIAG_ST_N];
	char rej[DIAG_ST_N][DIAG_REJECTED_MAX][DIAG_CERT_MAX];
};

struct diag_rules {
	int has_since;
	time_t since;
	int chain_seen;              /* any "Filtered cert count" line */
	struct chain ch;
	struct diag_finding f[S_N];
	size_t norder;
	size_t order[S_N];
};

const char *
diag_stage_name(enum diag_stage s)
{
	static const char *const n[DIAG_ST_N] = { "digital-signature",
	    "allowed-root-ca", "private-key", "client-auth" };

	return (unsigned)s < DIAG_ST_N ? n[s] : "unknown";
}

/* Case-insensitive search: writers differ in how they capitalise. */
static const char *
ci_find(const char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle), i;
	int c0 = needle[0];

	if (hn < nn)
		return NULL;
	for (i = 0; i + nn <= hn; i++)
		if ((h[i] | 0x20) == (c0 | 0x20) &&
		    strncasecmp(h + i, needle, nn) == 0)
			return h + i;
	return NULL;
}

/* Length of s[0, n) without a multi-byte character cut short at its end. */
static size_t
utf8_cut(const char *s, size_t n)
{
	size_t j = n, want;
	unsigned char lead;

	while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
		j--;
	if (j == 0 || (lead = (unsigned char)s[j - 1]) < 0xC0)
		return n;
	want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	return n - (j - 1) < want ? j - 1 : n;
}

/* Copies a log message for evidence: "~~" (the legacy format's line
 * break) becomes '\n'; cut at a UTF-8 character boundary. */
static void
keep_text(char *dst, size_t room, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < room; i++) {
		if (s[i] == '~' && i + 1 < n && s[i + 1] == '~') {
			dst[o++] = '\n';
			i++;
		} else {
			dst[o++] = s[i];
		}
	}
	if (i < n)
		o = utf8_cut(dst, o);
	dst[o] = '\0';
}

static void
stamp(struct diag_finding *fd, int has_time, time_t t)
{
	if (!has_time)
		return;
	if (!fd->has_time || t < fd->first)
		fd->first = t;
	if (!fd->has_time || t > fd->last)
		fd->last = t;
	fd->has_time = 1;
}

static void
add_evidence(struct diag_finding *fd, const struct diag_file *f, long line,
    int has_time, time_t t, const char *text, size_t len)
{
	struct diag_evidence *ev;
	size_t i, same = 0;

	for (i = 0; i < fd->nev; i++)
		same += fd->ev[i].file == f;
	if (fd->nev == DIAG_EVID_MAX || same >= DIAG_EVID_PER_FILE)
		return;
	ev = &fd->ev[fd->nev++];
	ev->file = f;
	ev->line = line;
	ev->has_time = has_time;
	ev->utc = t;
	keep_text(ev->text, sizeof(ev->text), text, len);
}

static void
hit(struct diag_rules *r, int slot, const struct diag_file *f,
    const struct diag_rec *rec)
{
	struct diag_finding *fd = &r->f[slot];

	fd->active = 1;
	fd->count++;
	stamp(fd, rec->has_time, rec->utc);
	add_evidence(fd, f, rec->line, rec->has_time, rec->utc, rec->msg,
	    rec->msglen);
}

static void
chain_reset(struct chain *ch)
{
	size_t i;

	ch->active = 1;
	ch->last_reject = -1;
	for (i = 0; i < DIAG_ST_N; i++) {
		ch->counts[i] = -1;
		ch->nrej[i] = 0;
		ch->rejtotal[i] = 0;
	}
}

/* The chain reached 0 at stage st: that is the finding. */
static void
chain_empty(struct diag_rules *r, enum diag_stage st,
    const struct diag_file *f, const struct diag_rec *rec)
{
	struct diag_finding *fd = &r->f[S_FILTER + st];
	struct chain *ch = &r->ch;
	size_t i;

	hit(r, S_FILTER + st, f, rec);
	memcpy(fd->counts, ch->counts, sizeof(fd->counts));
	fd->nrejected = ch->nrej[st];
	fd->rejected_total = ch->rejtotal[st];
	for (i = 0; i < ch->nrej[st]; i++)
		memcpy(fd->rejected[i], ch->rej[st][i], DIAG_CERT_MAX);
	ch->active = 0;
}

/* "Filtered cert count with STAGE: N"; p is what follows "with ". */
static void
chain_count(struct diag_rules *r, const char *p, size_t n,
    const struct diag_file *f, const struct diag_rec *rec)
{
	static const struct {
		const char *text;
		int stage;            /* -1: the joined root CA + key stage */
	} ST[] = {
		{ "allowed root CA and has private key:", -1 },
		{ "digital signature:", DIAG_ST_DIGSIG },
		{ "allowed root CA:", DIAG_ST_ROOTCA },
		{ "private key:", DIAG_ST_PRIVKEY },
		{ "client auth:", DIAG_ST_CLIENTAUTH },
	};
	struct chain *ch = &r->ch;
	size_t i, tl, k;
	long v = 0;
	int st;

	for (i = 0; i < sizeof(ST) / sizeof(ST[0]); i++) {
		tl = strlen(ST[i].text);
		if (n >= tl && strncasecmp(p, ST[i].text, tl) == 0)
			break;
	}
	if (i == sizeof(ST) / sizeof(ST[0]))
		return;
	for (k = tl; k < n && p[k] == ' '; k++)
		;
	if (k == n || p[k] < '0' || p[k] > '9')
		return;
	for (; k < n && p[k] >= '0' && p[k] <= '9' && v < 100000000; k++)
		v = v * 10 + (p[k] - '0');
	r->chain_seen = 1;
	st = ST[i].stage;
	if (st == DIAG_ST_DIGSIG || !ch->active)
		chain_reset(ch);
	if (st < 0) {
		ch->counts[DIAG_ST_ROOTCA] = ch->counts[DIAG_ST_PRIVKEY] = v;
		/* One line for two checks: the last certificate rejected
		 * before it tells which check removed the last one. */
		st = ch->last_reject == DIAG_ST_PRIVKEY ? DIAG_ST_PRIVKEY :
		    DIAG_ST_ROOTCA;
	} else {
		ch->counts[st] = v;
	}
	ch->last_reject = -1;
	if (v == 0)
		chain_empty(r, (enum diag_stage)st, f, rec);
}

static void
chain_reject(struct diag_rules *r, enum diag_stage st, const char *p,
    size_t n)
{
	struct chain *ch = &r->ch;

	if (!ch->active)
		chain_reset(ch);
	while (n > 0 && *p == ' ') {
		p++;
		n--;
	}
	if (ch->nrej[st] < DIAG_REJECTED_MAX)
		keep_text(ch->rej[st][ch->nrej[st]++], DIAG_CERT_MAX, p, n);
	ch->rejtotal[st]++;
	ch->last_reject = (int)st;
}

static void
on_rec(void *ctx, const struct diag_file *f, const struct diag_rec *rec)
{
	struct diag_rules *r = ctx;
	const char *m = rec->msg, *p;
	size_t n = rec->msglen, i, pl;

	if (r->has_since && rec->has_time && rec->utc < r->since)
		return;
	if (ci_find(m, n, "CMGConnector_Clientcertificaterequired")) {
		hit(r, S_CLIENTCERT, f, rec);
		hit(r, S_VERBOSE, f, rec);
	} else if (diag_find(m, n, "(403) Forbidden", 15)) {
		hit(r, S_VERBOSE, f, rec);
	}
	if (ci_find(m, n, "CMGConnector_Forbidden"))
		hit(r, S_FORBIDDEN, f, rec);
	if (ci_find(m, n, "CMGService_Invalid_Token"))
		hit(r, S_TOKEN, f, rec);
	if ((p = ci_find(m, n, "Filtered cert count with ")) != NULL) {
		p += 25;
		chain_count(r, p, (size_t)(m + n - p), f, rec);
		return;
	}
	for (i = 0; i < NREJ; i++) {
		pl = strlen(REJECTS[i].prefix);
		if ((p = ci_find(m, n, REJECTS[i].prefix)) != NULL) {
			p += pl;
			chain_reject(r, REJECTS[i].stage, p,
			    (size_t)(m + n - p));
			return;
		}
	}
}

static struct diag_client *
client(struct diag_finding *fd, const char *a, size_t al)
{
	struct diag_client *c;
	size_t i;

	if (al >= DIAG_ADDR_MAX)
		al = DIAG_ADDR_MAX - 1;
	for (i = 0; i < fd->nclients; i++) {
		c = &fd->clients[i];
		if (strlen(c->addr) == al && memcmp(c->addr, a, al) == 0)
			return c;
	}
	if (fd->nclients == DIAG_CLIENTS_MAX)
		return NULL;
	c = &fd->clients[fd->nclients++];
	memcpy(c->addr, a, al);
	c->addr[al] = '\0';
	return c;
}

static void
on_iis(void *ctx, const struct diag_file *f, const struct diag_iis_rec *rec)
{
	struct diag_rules *r = ctx;
	struct diag_finding *fd;
	struct diag_client *c;
	int slot, has_time;
	time_t t = 0;

	if (rec->status != 403)
		return;
	switch (rec->substatus) {
	case 7:  slot = S_IIS7; break;
	case 13: slot = S_IIS13; break;
	case 16: slot = S_IIS16; break;
	case 17: slot = S_IIS17; break;
	default: return;
	}
	if (rec->stemlen < 8 || strncasecmp(rec->stem, "/SMS_MP/", 8) != 0)
		return;
	has_time = diag_iis_time(rec, &t) == 0;
	if (r->has_since && has_time && t < r->since)
		return;
	fd = &r->f[slot];
	fd->active = 1;
	fd->count++;
	stamp(fd, has_time, t);
	if ((c = client(fd, rec->cip, rec->ciplen)) == NULL) {
		fd->other_clients++;
		return;
	}
	c->count++;
	if (c->file != f) {
		/* Evidence: each client's first request in each file. */
		c->file = f;
		add_evidence(fd, f, rec->line, has_time, t, rec->text,
		    rec->textlen);
	}
	if (has_time) {
		if (!c->has_time || t < c->first)
			c->first = t;
		if (!c->has_time || t > c->last)
			c->last = t;
		c->has_time = 1;
	}
}

struct diag_rules *
diag_rules_new(int has_since, time_t since)
{
	struct diag_rules *r = calloc(1, sizeof(*r));
	size_t i, k;

	if (r == NULL)
		return NULL;
	r->has_since = has_since;
	r->since = since;
	for (i = 0; i < S_N; i++) {
		r->f[i].id = TEXT[i].id;
		r->f[i].severity = TEXT[i].severity;
		r->f[i].cause = TEXT[i].cause;
		r->f[i].remediation = TEXT[i].remediation;
		r->f[i].is_iis = i >= S_IIS7 && i <= S_IIS17;
		for (k = 0; k < DIAG_ST_N; k++)
			r->f[i].counts[k] = -1;
	}
	for (i = 0; i < DIAG_ST_N; i++)
		r->f[S_FILTER + i].stage = diag_stage_name((enum diag_stage)i);
	return r;
}

void
diag_rules_free(struct diag_rules *r)
{
	free(r);
}

void
diag_rules_sink(struct diag_rules *r, struct diag_sink *out)
{
	out->ctx = r;
	out->rec = on_rec;
	out->iis = on_iis;
}

void
diag_rules_file_begin(struct diag_rules *r)
{
	r->ch.active = 0;
}

void
diag_rules_finish(struct diag_rules *r)
{
	size_t i;

	/* A logged chain means verbose logging is on already. */
	if (r->chain_seen)
		r->f[S_VERBOSE].active = 0;
	r->norder = 0;
	for (i = 0; i < S_N; i++)
		if (r->f[i].active)
			r->order[r->norder++] = i;
}

size_t
diag_rules_count(const struct diag_rules *r)
{
	return r->norder;
}

const struct diag_finding *
diag_rules_get(const struct diag_rules *r, size_t i)
{
	return i < r->norder ? &r->f[r->order[i]] : NULL;
}
