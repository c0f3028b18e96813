// SPDX-License-Identifier: ISC
/* diag_rules.c - the findings, computed record by record: which log line
 * means which cause (the words are diag_advice.c's). */
#include "diag_rules.h"
#include "diag_advice.h"
#include "diag_record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The phrases the rules look for in a record, in the logs' wording;
 * found whatever their case, since writers differ in how they
 * capitalise. */
enum phrase {
	P_FOR_MESSAGE, P_PROXY_MESSAGE, P_MESSAGEID,
	P_CLIENTCERT, P_FORBIDDEN, P_INVALID_TOKEN, P_TOKEN_EXPIRED,
	P_SECURE_FAILURE, P_REV_FAILED, P_INVALID_CA, P_CN_INVALID,
	P_INBOX, P_FILTERED,
	P_NOT_ALLOWED, P_NO_PRIVKEY, P_NOT_CLIENTAUTH,
	P_CHAIN_FAILED, P_CHAIN,
	P_N
};
static const char *const PHRASES[P_N] = {
	[P_FOR_MESSAGE] = "for message ",
	[P_PROXY_MESSAGE] = "proxy message ",
	[P_MESSAGEID] = "MessageID: ",
	[P_CLIENTCERT] = "CMGConnector_Clientcertificaterequired",
	[P_FORBIDDEN] = "CMGConnector_Forbidden",
	[P_INVALID_TOKEN] = "CMGService_Invalid_Token",
	[P_TOKEN_EXPIRED] = "SecurityTokenExpiredException",
	[P_SECURE_FAILURE] = "ERROR_WINHTTP_SECURE_FAILURE",
	[P_REV_FAILED] = "_FLAG_CERT_REV_FAILED is set",
	[P_INVALID_CA] = "_FLAG_INVALID_CA is set",
	[P_CN_INVALID] = "_FLAG_CERT_CN_INVALID is set",
	[P_INBOX] = "Cannot connect to the inbox source",
	[P_FILTERED] = "Filtered cert count with ",
	[P_NOT_ALLOWED] = "Not allowed cert:",
	[P_NO_PRIVKEY] = "No private key cert:",
	[P_NOT_CLIENTAUTH] = "Not client auth cert:",
	[P_CHAIN_FAILED] = "Chain build failed cert:",
	[P_CHAIN] = "Chain ",
};
#define PHRASE_MAX 40           /* the longest phrase fits */

/* Rejection lines and the stage whose check they fail. */
static const struct {
	enum phrase prefix;
	enum diag_stage stage;
} REJECTS[] = {
	{ P_NOT_ALLOWED, DIAG_ST_ROOTCA },
	{ P_NO_PRIVKEY, DIAG_ST_PRIVKEY },
	{ P_NOT_CLIENTAUTH, DIAG_ST_CLIENTAUTH },
};
#define NREJ (sizeof(REJECTS) / sizeof(REJECTS[0]))

/* Message ids remembered per file to count a request once: the
 * connector logs a failed request on two lines close together. */
#define MSGIDS 64

/* One verbose filter chain, as it is being read.  It opens at its first
 * line, ends at the first stage that logs 0 (the finding), and the count
 * lines of later stages then only complete that finding's counts. */
struct chain {
	enum { CH_NONE, CH_OPEN, CH_ENDED } state;
	int end_kind;                /* the finding it ended in */
	int end_stage;
	long counts[DIAG_ST_N];
	int last_reject;             /* stage of the last rejection since the
					previous count line, or -1 */
	size_t nrej[DIAG_ST_N];
	unsigned long rejtotal[DIAG_ST_N];
	char rej[DIAG_ST_N][DIAG_REJECTED_MAX][DIAG_CERT_MAX];
	size_t nfail;
	unsigned long failtotal;
	struct diag_chainfail fail[DIAG_FAIL_MAX];
};

struct diag_rules {
	int has_since;
	time_t since;
	int chain_seen;              /* any "Filtered cert count" line */
	int conn_read;               /* a connector log record was read */
	const struct diag_file *cur; /* the file being read, and whether */
	int cur_conn;                /* its name is the connector log's */
	unsigned wflags;             /* WINHTTP flags before the error */
	uint64_t msgid[MSGIDS];      /* hash * DIAG_K_N + kind; 0: empty */
	size_t nmsg;
	struct chain ch;
	struct diag_finding f[DIAG_K_N];
	/* Written since the last reset: a reset clears only these, since
	 * clearing all ~550 KB cost more than scanning a small file (the
	 * rules are reset for every file diagnose reads, and every fuzz
	 * run).  Every write to f goes through touch(). */
	unsigned char dirty[DIAG_K_N];
	size_t norder;
	size_t order[DIAG_K_N];
	/* The record being read, and its message in lower case, so that
	 * each phrase (kept in lower case too) is found with one
	 * diag_find: a dozen case-blind scans of every record cost more
	 * than parsing it.  Parsers cut a message at DIAG_RECMAX. */
	const char *m;
	size_t n;
	char low[DIAG_RECMAX];
	char phrase[P_N][PHRASE_MAX];
	size_t plen[P_N];
};

/* The finding of kind, to be written: marked for the next reset. */
static struct diag_finding *
touch(struct diag_rules *r, size_t kind)
{
	r->dirty[kind] = 1;
	return &r->f[kind];
}

/* ASCII lower case, as strncasecmp compares in the C locale. */
static int
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : (unsigned char)c;
}

/* p[0, n) in ASCII lower case into dst: strncasecmp's folding in the C
 * locale.  Eight bytes at a time: with the top bit of each byte of
 * h = x & 0x7f.. cleared, h + (0x80 - 'A') sets it where h >= 'A' and
 * h + (0x7f - 'Z') where h > 'Z' (no carry crosses a byte); the bytes
 * with the first but not the second, and not already over 0x7f, are
 * 'A'..'Z', and get 0x20 added. */
static void
lower_copy(char *dst, const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t x, h, up;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		memcpy(&x, p + i, 8);
		h = x & ~high;
		up = (h + ones * (0x80 - 'A')) ^ (h + ones * (0x7f - 'Z'));
		x |= (up & ~x & high) >> 2;
		memcpy(dst + i, &x, 8);
	}
	for (; i < n; i++)
		dst[i] = (char)lower(p[i]);
}

/* Makes m[0, n) the record the phrases are looked for in. */
static void
hay_set(struct diag_rules *r, const char *m, size_t n)
{
	if (n > sizeof(r->low))
		n = sizeof(r->low);
	r->m = m;
	r->n = n;
	lower_copy(r->low, m, n);
}

/* Where needle (nn bytes, in lower case) first occurs in the current
 * record at or after p, a pointer into it; NULL if nowhere.  An empty
 * needle (a thumbprint the log left out) matches nothing. */
static const char *
hay_find(const struct diag_rules *r, const char *p, const char *needle,
    size_t nn)
{
	size_t off = (size_t)(p - r->m);
	const char *q;

	if (nn == 0 || off > r->n)
		return NULL;
	q = diag_find(r->low + off, r->n - off, needle, nn);
	return q == NULL ? NULL : r->m + (q - r->low);
}

/* Where phrase k first occurs in the current record at or after p. */
static const char *
find(const struct diag_rules *r, const char *p, enum phrase k)
{
	return hay_find(r, p, r->phrase[k], r->plen[k]);
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
 * break) becomes '\n'; cut at a UTF-8 character boundary.  The runs
 * between '~'s are found with memchr and copied whole. */
static void
keep_text(char *dst, size_t room, const char *s, size_t n)
{
	size_t i = 0, o = 0, k;
	const char *t;

	while (i < n && o + 1 < room) {
		k = n - i < room - 1 - o ? n - i : room - 1 - o;
		if ((t = memchr(s + i, '~', k)) != NULL)
			k = (size_t)(t - (s + i));
		memcpy(dst + o, s + i, k);
		o += k;
		i += k;
		if (t == NULL)
			break;
		if (i + 1 < n && s[i + 1] == '~') {
			dst[o++] = '\n';
			i += 2;
		} else {
			dst[o++] = '~';
			i++;
		}
	}
	if (i < n)
		o = utf8_cut(dst, o);
	dst[o] = '\0';
}

/* The first blank-separated word of s[0, n) after leading blanks. */
static const char *
word(const char *s, size_t n, size_t *wl)
{
	size_t i = 0, k;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (k = i; k < n && s[k] != ' ' && s[k] != '\t' && s[k] != '~' &&
	    s[k] != '\n'; k++)
		;
	*wl = k - i;
	return s + i;
}

static void
widen(int *has, time_t *first, time_t *last, int has_time, time_t t)
{
	if (!has_time)
		return;
	if (!*has || t < *first)
		*first = t;
	if (!*has || t > *last)
		*last = t;
	*has = 1;
}

static void
add_evidence(struct diag_finding *fd, const struct diag_evidence *src)
{
	size_t i, same = 0;

	for (i = 0; i < fd->nev; i++)
		same += fd->ev[i].file == src->file;
	if (fd->nev == DIAG_EVID_MAX || same >= DIAG_EVID_PER_FILE)
		return;
	fd->ev[fd->nev++] = *src;
}

static void
add_line(struct diag_finding *fd, const struct diag_file *f, long line,
    int has_time, time_t t, const char *text, size_t len)
{
	struct diag_evidence ev;
	size_t i, same = 0;

	/* Checked before the copy: most lines of a long log are over the
	 * bound. */
	for (i = 0; i < fd->nev; i++)
		same += fd->ev[i].file == f;
	if (fd->nev == DIAG_EVID_MAX || same >= DIAG_EVID_PER_FILE)
		return;
	/* All of it, padding and the text's tail too: a finding is copied
	 * whole (merge) and compared whole (test_diag_reset), so no byte
	 * of it may be stack garbage. */
	memset(&ev, 0, sizeof(ev));
	ev.file = f;
	ev.line = line;
	ev.has_time = has_time;
	ev.utc = t;
	keep_text(ev.text, sizeof(ev.text), text, len);
	add_evidence(fd, &ev);
}

static void
hit(struct diag_rules *r, int kind, const struct diag_file *f,
    const struct diag_rec *rec)
{
	struct diag_finding *fd = touch(r, (size_t)kind);

	fd->active = 1;
	fd->count++;
	widen(&fd->has_time, &fd->first, &fd->last, rec->has_time, rec->utc);
	add_line(fd, f, rec->line, rec->has_time, rec->utc, rec->msg,
	    rec->msglen);
}

/* The message id of a connector line ("Forwarding proxy message ID",
 * "Web exception for message ID:", "Received response URL for message
 * ID:", "MessageID: ID"), or NULL. */
static const char *
message_id(const struct diag_rules *r, size_t *idl)
{
	static const enum phrase pre[] = { P_FOR_MESSAGE, P_PROXY_MESSAGE,
	    P_MESSAGEID };
	const char *p, *id, *e = r->m + r->n;
	size_t i;

	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		if ((p = find(r, r->m, pre[i])) == NULL)
			continue;
		p += r->plen[pre[i]];
		id = word(p, (size_t)(e - p), idl);
		while (*idl > 0 && (id[*idl - 1] == ':' || id[*idl - 1] == ','))
			(*idl)--;
		if (*idl > 0)
			return id;
	}
	return NULL;
}

/* A hit that counts a request once however many lines log it. */
static void
hit_request(struct diag_rules *r, int kind, const struct diag_file *f,
    const struct diag_rec *rec, const char *id, size_t idl)
{
	uint64_t h = 1469598103934665603ULL, key;
	size_t i;

	if (id == NULL) {
		hit(r, kind, f, rec);
		return;
	}
	for (i = 0; i < idl; i++)
		h = (h ^ (unsigned char)(id[i] | 0x20)) * 1099511628211ULL;
	key = (h % (UINT64_MAX / DIAG_K_N - 1) + 1) * DIAG_K_N + (unsigned)kind;
	for (i = 0; i < MSGIDS; i++)
		if (r->msgid[i] == key)
			return;
	r->msgid[r->nmsg++ % MSGIDS] = key;
	hit(r, kind, f, rec);
}

static void
chain_open(struct chain *ch)
{
	size_t i;

	ch->state = CH_OPEN;
	ch->last_reject = -1;
	ch->nfail = 0;
	ch->failtotal = 0;
	for (i = 0; i < DIAG_ST_N; i++) {
		ch->counts[i] = -1;
		ch->nrej[i] = 0;
		ch->rejtotal[i] = 0;
	}
}

/* The reason the chain-build failures give: of the failures whose
 * certificate a "Not allowed cert:" line named (else of all), the most
 * specific status (the order of enum diag_reason). */
static enum diag_reason
chain_reason(const struct chain *ch)
{
	enum diag_reason best = DIAG_RS_N, rs;
	size_t i, k, tied = 0;

	for (i = 0; i < ch->nfail; i++)
		tied += ch->fail[i].rejected;
	for (i = 0; i < ch->nfail; i++) {
		if (tied > 0 && !ch->fail[i].rejected)
			continue;
		for (k = 0; k < ch->fail[i].nstatus; k++) {
			rs = diag_reason_of_status(ch->fail[i].status[k],
			    strlen(ch->fail[i].status[k]));
			if (rs < best)
				best = rs;
		}
	}
	return best == DIAG_RS_N ? DIAG_RS_CHAIN_INVALID : best;
}

/* The chain reached 0 at stage st: that is the finding. */
static void
chain_empty(struct diag_rules *r, enum diag_stage st,
    const struct diag_file *f, const struct diag_rec *rec)
{
	struct chain *ch = &r->ch;
	struct diag_finding *fd;
	int kind = DIAG_K_FILTER + (int)st;
	size_t i;

	if (st == DIAG_ST_ROOTCA && ch->failtotal > 0)
		kind = DIAG_K_REASON + (int)chain_reason(ch) - 1;
	fd = touch(r, (size_t)kind);
	hit(r, kind, f, rec);
	memcpy(fd->counts, ch->counts, sizeof(fd->counts));
	fd->nrejected = ch->nrej[st];
	fd->rejected_total = ch->rejtotal[st];
	for (i = 0; i < ch->nrej[st]; i++)
		memcpy(fd->rejected[i], ch->rej[st][i], DIAG_CERT_MAX);
	fd->nfail = ch->nfail;
	fd->fail_total = ch->failtotal;
	memcpy(fd->fail, ch->fail, ch->nfail * sizeof(ch->fail[0]));
	ch->state = CH_ENDED;
	ch->end_kind = kind;
	ch->end_stage = (int)st;
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
	struct diag_finding *fd;
	size_t i, tl, k;
	long v = 0;
	int st, first;

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
	first = st < 0 ? DIAG_ST_ROOTCA : st;
	if (ch->state == CH_ENDED && first > ch->end_stage) {
		/* A stage after the one that emptied the chain: a
		 * consequence, kept in the finding's counts. */
		fd = touch(r, (size_t)ch->end_kind);
		fd->counts[first] = v;
		if (st < 0)
			fd->counts[DIAG_ST_PRIVKEY] = v;
		return;
	}
	if (st == DIAG_ST_DIGSIG || ch->state != CH_OPEN)
		chain_open(ch);
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
	char thumb[DIAG_THUMB_MAX];
	size_t i, tl;

	if (ch->state != CH_OPEN)
		chain_open(ch);
	while (n > 0 && *p == ' ') {
		p++;
		n--;
	}
	if (ch->nrej[st] < DIAG_REJECTED_MAX)
		keep_text(ch->rej[st][ch->nrej[st]++], DIAG_CERT_MAX, p, n);
	ch->rejtotal[st]++;
	ch->last_reject = (int)st;
	/* Tie the rejection to the chain-build failures it names. */
	if (st == DIAG_ST_ROOTCA)
		for (i = 0; i < ch->nfail; i++) {
			tl = strlen(ch->fail[i].thumb);
			lower_copy(thumb, ch->fail[i].thumb, tl);
			if (hay_find(r, p, thumb, tl) != NULL)
				ch->fail[i].rejected = 1;
		}
}

/* "Chain build failed cert: THUMBPRINT" and "Chain N status: NAME": the
 * connector's chain building, logged before the filter rejects the
 * certificate.  Returns 1 if m is one of them. */
static int
chain_status(struct diag_rules *r)
{
	const char *m = r->m;
	size_t n = r->n;
	struct chain *ch = &r->ch;
	struct diag_chainfail *cf;
	const char *p, *w;
	size_t wl, k;

	if ((p = find(r, m, P_CHAIN_FAILED)) != NULL) {
		p += 24;
		if (ch->state != CH_OPEN)
			chain_open(ch);
		ch->failtotal++;
		if (ch->nfail == DIAG_FAIL_MAX)
			return 1;
		cf = &ch->fail[ch->nfail++];
		memset(cf, 0, sizeof(*cf));
		w = word(p, (size_t)(m + n - p), &wl);
		keep_text(cf->thumb, sizeof(cf->thumb), w, wl);
		return 1;
	}
	if ((p = find(r, m, P_CHAIN)) == NULL)
		return 0;
	for (p += 6, k = 0; p + k < m + n && p[k] >= '0' && p[k] <= '9'; k++)
		;
	if (k == 0 || (size_t)(m + n - (p + k)) < 8 ||
	    strncasecmp(p + k, " status:", 8) != 0)
		return 0;
	p += k + 8;
	w = word(p, (size_t)(m + n - p), &wl);
	if (ch->state != CH_OPEN || ch->nfail == 0 || wl == 0)
		return 1;
	cf = &ch->fail[ch->nfail - 1];
	if (cf->nstatus < DIAG_STATUS_MAX)
		keep_text(cf->status[cf->nstatus++], DIAG_STNAME_MAX, w, wl);
	return 1;
}

/* 1 if records of f come from the CMG connection point's connector log
 * (by its file name; the component is checked per record). */
static int
connector_file(const struct diag_file *f)
{
	const char *b = f->path, *s;

	for (s = f->path; *s != '\0'; s++)
		if (*s == '/' || *s == '\\')
			b = s + 1;
	return strncasecmp(b, "SMS_Cloud_ProxyConnector", 24) == 0;
}

/* The ERROR_WINHTTP_SECURE_FAILURE flags Microsoft documents. */
static unsigned
winhttp_flag(const struct diag_rules *r)
{
	if (find(r, r->m, P_REV_FAILED))
		return DIAG_WF_CERT_REV_FAILED;
	if (find(r, r->m, P_INVALID_CA))
		return DIAG_WF_INVALID_CA;
	if (find(r, r->m, P_CN_INVALID))
		return DIAG_WF_CERT_CN_INVALID;
	return 0;
}

static void
on_rec(void *ctx, const struct diag_file *f, const struct diag_rec *rec)
{
	struct diag_rules *r = ctx;
	const char *m = rec->msg, *p, *id;
	size_t n = rec->msglen, i, pl, idl = 0;
	int conn, certreq;

	if (r->has_since && rec->has_time && rec->utc < r->since)
		return;
	if (f != r->cur) {
		r->cur = f;
		r->cur_conn = connector_file(f);
	}
	conn = r->cur_conn || (rec->complen == 24 && strncasecmp(rec->comp,
	    "SMS_CLOUD_PROXYCONNECTOR", 24) == 0);
	r->conn_read |= conn;
	hay_set(r, m, n);
	n = r->n;
	id = conn ? message_id(r, &idl) : NULL;
	certreq = find(r, m, P_CLIENTCERT) != NULL;
	if (certreq)
		hit_request(r, DIAG_K_CLIENTCERT, f, rec, id, idl);
	/* Only the connector's own log can tell whether its verbose
	 * logging is off. */
	if (conn && (certreq || diag_find(m, n, "(403) Forbidden", 15) ||
	    diag_find(m, n, "HTTP/1.1 403", 12)))
		hit_request(r, DIAG_K_VERBOSE, f, rec, id, idl);
	if (find(r, m, P_FORBIDDEN))
		hit_request(r, DIAG_K_FORBIDDEN, f, rec, id, idl);
	if (find(r, m, P_INVALID_TOKEN) || find(r, m, P_TOKEN_EXPIRED))
		hit(r, DIAG_K_TOKEN, f, rec);
	if (find(r, m, P_SECURE_FAILURE)) {
		hit(r, DIAG_K_SECURE, f, rec);
		touch(r, DIAG_K_SECURE)->flags |= r->wflags;
		r->wflags = 0;
	} else {
		r->wflags |= winhttp_flag(r);
	}
	if (find(r, m, P_INBOX))
		hit(r, DIAG_K_INBOX, f, rec);
	if ((p = find(r, m, P_FILTERED)) != NULL) {
		p += 25;
		chain_count(r, p, (size_t)(m + n - p), f, rec);
		return;
	}
	for (i = 0; i < NREJ; i++) {
		pl = r->plen[REJECTS[i].prefix];
		if ((p = find(r, m, REJECTS[i].prefix)) != NULL) {
			p += pl;
			chain_reject(r, REJECTS[i].stage, p,
			    (size_t)(m + n - p));
			return;
		}
	}
	(void)chain_status(r);
}

/* The entry of address a in fd, added if there is room; NULL if not. */
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
	memset(c, 0, sizeof(*c));
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
	int kind, has_time;
	time_t t = 0;

	if (rec->status != 403)
		return;
	switch (rec->substatus) {
	case 7:  kind = DIAG_K_IIS7; break;
	case 13: kind = DIAG_K_IIS13; break;
	case 16: kind = DIAG_K_IIS16; break;
	case 17: kind = DIAG_K_IIS17; break;
	default: return;
	}
	if (rec->stemlen < 8 || strncasecmp(rec->stem, "/SMS_MP/", 8) != 0)
		return;
	has_time = diag_iis_time(rec, &t) == 0;
	if (r->has_since && has_time && t < r->since)
		return;
	fd = touch(r, (size_t)kind);
	fd->active = 1;
	fd->count++;
	widen(&fd->has_time, &fd->first, &fd->last, has_time, t);
	if ((c = client(fd, rec->cip, rec->ciplen)) == NULL) {
		fd->other_clients++;
		return;
	}
	c->count++;
	if (c->file != f) {
		/* Evidence: each client's first request in each file. */
		c->file = f;
		add_line(fd, f, rec->line, has_time, t, rec->text,
		    rec->textlen);
	}
	widen(&c->has_time, &c->first, &c->last, has_time, t);
}

/* Finding i as no record has touched it. */
static void
init_finding(struct diag_rules *r, size_t i)
{
	const struct diag_advice *a = diag_advice((enum diag_kind)i);
	struct diag_finding *fd = &r->f[i];
	size_t k;

	memset(fd, 0, sizeof(*fd));
	fd->id = a->id;
	fd->severity = a->severity;
	fd->cause = a->cause;
	fd->remediation = a->remediation;
	fd->is_iis = i >= DIAG_K_IIS7 && i <= DIAG_K_IIS17;
	for (k = 0; k < DIAG_ST_N; k++)
		fd->counts[k] = -1;
	/* DIAG_K_FILTER is the first kind. */
	if (i < DIAG_K_FILTER + DIAG_ST_N)
		fd->stage = diag_stage_name((enum diag_stage)(i -
		    DIAG_K_FILTER));
	if (i >= DIAG_K_REASON && i < DIAG_K_REASON + DIAG_RS_N - 1) {
		fd->stage = diag_stage_name(DIAG_ST_ROOTCA);
		fd->reason = diag_reason_name((enum diag_reason)(i -
		    DIAG_K_REASON + 1));
	}
	r->dirty[i] = 0;
}

void
diag_rules_reset(struct diag_rules *r)
{
	size_t i;

	r->chain_seen = r->conn_read = 0;
	r->norder = 0;
	for (i = 0; i < DIAG_K_N; i++)
		if (r->dirty[i])
			init_finding(r, i);
	diag_rules_file_begin(r);
}

struct diag_rules *
diag_rules_new(int has_since, time_t since)
{
	struct diag_rules *r = calloc(1, sizeof(*r));
	size_t k;

	if (r == NULL)
		return NULL;
	r->has_since = has_since;
	r->since = since;
	for (k = 0; k < P_N; k++) {
		/* A phrase too long for its room is a bug that every test
		 * of the rules shows at once. */
		if ((r->plen[k] = strlen(PHRASES[k])) > PHRASE_MAX) {
			free(r);
			return NULL;
		}
		lower_copy(r->phrase[k], PHRASES[k], r->plen[k]);
	}
	memset(r->dirty, 1, sizeof(r->dirty));
	diag_rules_reset(r);
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
	r->ch.state = CH_NONE;
	r->cur = NULL;
	r->wflags = 0;
	r->nmsg = 0;
	memset(r->msgid, 0, sizeof(r->msgid));
}

/* Adds src's clients to dst's list as on_iis would have. */
static void
merge_clients(struct diag_finding *d, const struct diag_finding *s)
{
	const struct diag_client *sc;
	struct diag_client *dc;
	size_t i;

	d->other_clients += s->other_clients;
	for (i = 0; i < s->nclients; i++) {
		sc = &s->clients[i];
		if ((dc = client(d, sc->addr, strlen(sc->addr))) == NULL) {
			d->other_clients += sc->count;
			continue;
		}
		dc->count += sc->count;
		dc->file = sc->file;
		widen(&dc->has_time, &dc->first, &dc->last, sc->has_time,
		    sc->first);
		widen(&dc->has_time, &dc->first, &dc->last, sc->has_time,
		    sc->last);
	}
}

void
diag_rules_merge(struct diag_rules *dst, const struct diag_rules *src)
{
	struct diag_finding *d;
	const struct diag_finding *s;
	size_t i, k;

	dst->chain_seen |= src->chain_seen;
	dst->conn_read |= src->conn_read;
	for (i = 0; i < DIAG_K_N; i++) {
		s = &src->f[i];
		if (!s->active)
			continue;
		d = touch(dst, i);
		d->active = 1;
		d->count += s->count;
		d->flags |= s->flags;
		widen(&d->has_time, &d->first, &d->last, s->has_time,
		    s->first);
		widen(&d->has_time, &d->first, &d->last, s->has_time,
		    s->last);
		for (k = 0; k < s->nev; k++)
			add_evidence(d, &s->ev[k]);
		if (d->stage != NULL) {
			/* The later chain is the one reported. */
			memcpy(d->counts, s->counts, sizeof(d->counts));
			d->nrejected = s->nrejected;
			d->rejected_total = s->rejected_total;
			memcpy(d->rejected, s->rejected, sizeof(d->rejected));
			d->nfail = s->nfail;
			d->fail_total = s->fail_total;
			memcpy(d->fail, s->fail, sizeof(d->fail));
		}
		if (d->is_iis)
			merge_clients(d, s);
	}
}

void
diag_rules_finish(struct diag_rules *r)
{
	struct diag_finding *cc = touch(r, DIAG_K_CLIENTCERT);
	size_t i;

	/* A logged chain means verbose logging is on already. */
	if (r->chain_seen)
		touch(r, DIAG_K_VERBOSE)->active = 0;
	/* Without the connector's log nothing is known of its verbose
	 * logging: say which log to collect. */
	if (!r->conn_read)
		cc->remediation = diag_advice_collect_connector;
	else if (!r->chain_seen)
		cc->remediation = diag_advice_clientcert_verbose;
	else
		cc->remediation = diag_advice(DIAG_K_CLIENTCERT)->remediation;
	r->norder = 0;
	for (i = 0; i < DIAG_K_N; i++)
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
