// SPDX-License-Identifier: ISC
/* test_diag_rules.c - the KB 4503442 findings from the fixtures: both
 * wordings of the filter chain, dedup across logs, --since, IIS grouping
 * and the bounds that keep memory fixed. */
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
#include "util/utctime.h"
#include "diag/diagnose.h"

#define D TEST_DATA "/diag/"
#define MAXF 8

static struct diag_file *files[MAXF];
static size_t nfiles;

static void
free_files(void)
{
	while (nfiles > 0)
		diag_file_free(files[--nfiles]);
}

static struct diag_rules *
rules_new(const char *since)
{
	struct diag_rules *r;
	time_t t = 0;

	if (since != NULL)
		assert_int_equal(diag_parse_time(since, &t), 0);
	assert_non_null(r = diag_rules_new(since != NULL, t));
	return r;
}

static void
feed_path(struct diag_rules *r, const char *path)
{
	struct diag_sink s;

	assert_true(nfiles < MAXF);
	assert_non_null(files[nfiles] = diag_file_new(path));
	diag_rules_sink(r, &s);
	diag_rules_file_begin(r);
	assert_int_equal(diag_scan_path(path, files[nfiles], &s, NULL), 0);
	nfiles++;
}

static void
feed_text(struct diag_rules *r, const char *name, const char *text)
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

/* The finding with this id (and stage, if not NULL), or NULL. */
static const struct diag_finding *
find(const struct diag_rules *r, const char *id, const char *stage)
{
	const struct diag_finding *fd;
	size_t i;

	for (i = 0; i < diag_rules_count(r); i++) {
		fd = diag_rules_get(r, i);
		if (strcmp(fd->id, id) == 0 && (stage == NULL ||
		    (fd->stage != NULL && strcmp(fd->stage, stage) == 0)))
			return fd;
	}
	return NULL;
}

static const char *
when(time_t t)
{
	static char b[UTC_STRLEN];

	utc_format(t, b);
	return b;
}

static void
test_chain_classic_wording(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_path(r, D "SMS_Cloud_ProxyConnector.log");
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cert-filter-empty", NULL));
	assert_string_equal(fd->stage, "client-auth");
	assert_string_equal(fd->severity, "error");
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 7);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], 3);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], 3);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], 0);
	assert_int_equal(fd->rejected_total, 3);
	assert_int_equal(fd->nrejected, 3);
	assert_non_null(strstr(fd->rejected[0], "[EKU: Server "
	    "Authentication]"));
	assert_int_equal(fd->rejected[0][0], '[');
	assert_int_equal(fd->nev, 1);
	assert_int_equal(fd->ev[0].line, 15);
	assert_string_equal(fd->ev[0].text, "Filtered cert count with client "
	    "auth: 0");
	assert_string_equal(when(fd->ev[0].utc), "2026-01-02T16:16:00Z");
	/* The chain is logged: verbose logging is on already. */
	assert_null(find(r, "verbose-logging-needed", NULL));
	diag_rules_free(r);
	free_files();
}

static void
test_chain_joined_wording(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_path(r, D "SMS_Cloud_ProxyConnector-joined.log");
	diag_rules_finish(r);
	/* "No private key cert:" came last before the 0: that check
	 * removed the last certificate. */
	assert_non_null(fd = find(r, "cert-filter-empty", NULL));
	assert_string_equal(fd->stage, "private-key");
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 2);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], 0);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], 0);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], -1);
	assert_int_equal(fd->nrejected, 1);
	assert_string_equal(fd->rejected[0], "[Subject: CN=cmgcp01.contoso."
	    "com] [Thumbprint: 9A2B]");
	diag_rules_free(r);
	free_files();

	r = rules_new(NULL);
	feed_text(r, "a.log", "Filtered cert count with digital signature: 1"
	    "  $$<C><01-02-2026 00:00:00.000+000><thread=1>\nNot allowed cert:"
	    " X  $$<C><01-02-2026 00:00:00.000+000><thread=1>\nFiltered cert "
	    "count with allowed root CA and has private key: 0  $$<C><01-02-"
	    "2026 00:00:00.000+000><thread=1>\n");
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cert-filter-empty", NULL));
	assert_string_equal(fd->stage, "allowed-root-ca");
	assert_string_equal(fd->rejected[0], "X");
	diag_rules_free(r);
	free_files();
}

static void
test_chain_other_stages(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	/* CMTrace, odd capitalisation, a chain that recovers (no finding)
	 * and one that ends at the very first stage. */
	feed_text(r, "b.log",
	    "<![LOG[Filtered cert count with digital signature: 2]LOG]!>"
	    "<time=\"1:00:00.000+000\" date=\"1-2-2026\">\n"
	    "<![LOG[Filtered cert count with client auth: 1]LOG]!>"
	    "<time=\"1:00:01.000+000\" date=\"1-2-2026\">\n"
	    "<![LOG[FILTERED CERT COUNT WITH DIGITAL SIGNATURE: 0]LOG]!>"
	    "<time=\"2:00:00.000+000\" date=\"1-2-2026\">\n");
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_non_null(fd = find(r, "cert-filter-empty",
	    "digital-signature"));
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 0);
	assert_int_equal(fd->nrejected, 0);
	assert_string_equal(when(fd->first), "2026-01-02T02:00:00Z");
	diag_rules_free(r);
	free_files();
}

static void
test_verbose_logging_needed(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_path(r, D "SMS_Cloud_ProxyConnector-noverbose.log");
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_non_null(fd = find(r, "verbose-logging-needed", NULL));
	assert_string_equal(fd->severity, "warning");
	assert_int_equal(fd->count, 1);
	assert_int_equal(fd->ev[0].line, 2);
	/* "~~" is the legacy format's line break. */
	assert_non_null(strstr(fd->ev[0].text, "(403) Forbidden.\n  at "));
	assert_non_null(strstr(fd->remediation, "cmremedy apply "
	    "profiles/cmg-connector-verbose-on.ini"));
	diag_rules_free(r);
	free_files();
}

static void
test_same_cause_once(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	size_t i, n = 0;
	(void)state;

	feed_path(r, D "LocationServices.log");
	feed_path(r, D "SMS_Cloud_ProxyConnector.log");
	feed_path(r, D "SMS_Cloud_ProxyConnector.lo_");
	diag_rules_finish(r);
	for (i = 0; i < diag_rules_count(r); i++)
		n += strcmp(diag_rules_get(r, i)->id,
		    "cmg-client-cert-required") == 0;
	assert_int_equal(n, 1);
	fd = find(r, "cmg-client-cert-required", NULL);
	assert_int_equal(fd->count, 3);
	assert_int_equal(fd->nev, 3);
	assert_ptr_equal(fd->ev[0].file, files[0]);
	assert_ptr_equal(fd->ev[1].file, files[1]);
	assert_ptr_equal(fd->ev[2].file, files[2]);
	assert_string_equal(when(fd->first), "2025-12-31T23:59:59Z");
	assert_string_equal(when(fd->last), "2026-01-02T16:15:02Z");
	diag_rules_free(r);
	free_files();
}

static void
test_since(void **state)
{
	struct diag_rules *r = rules_new("2026-01-01");
	const struct diag_finding *fd;
	(void)state;

	feed_path(r, D "SMS_Cloud_ProxyConnector.lo_");
	feed_path(r, D "LocationServices.log");
	feed_path(r, D "u_ex260102.log");
	diag_rules_finish(r);
	fd = find(r, "cmg-client-cert-required", NULL);
	assert_int_equal(fd->count, 1);
	assert_ptr_equal(fd->ev[0].file, files[1]);
	diag_rules_free(r);
	free_files();

	r = rules_new("2026-01-02T17:00:02Z");
	feed_path(r, D "LocationServices.log");
	feed_path(r, D "u_ex260102.log");
	diag_rules_finish(r);
	assert_null(find(r, "cmg-client-cert-required", NULL));
	assert_null(find(r, "iis-403-13", NULL));
	assert_non_null(fd = find(r, "iis-403-7", NULL));
	assert_int_equal(fd->count, 1);
	assert_string_equal(when(fd->first), "2026-01-02T17:00:04Z");
	assert_non_null(find(r, "iis-403-16", NULL));
	diag_rules_free(r);
	free_files();
}

static void
test_iis_grouping(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_path(r, D "u_ex260102.log");
	feed_path(r, D "u_ex260103.log");
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 4);
	assert_non_null(fd = find(r, "iis-403-7", NULL));
	/* The 403.7 on /CCM_Client/ is not the MP's. */
	assert_int_equal(fd->count, 4);
	assert_int_equal(fd->nclients, 2);
	assert_string_equal(fd->clients[0].addr, "10.0.0.20");
	assert_int_equal(fd->clients[0].count, 3);
	assert_string_equal(when(fd->clients[0].first),
	    "2026-01-02T16:15:02Z");
	assert_string_equal(when(fd->clients[0].last),
	    "2026-01-02T17:00:04Z");
	assert_string_equal(fd->clients[1].addr, "10.0.0.21");
	assert_int_equal(fd->clients[1].count, 1);
	assert_int_equal(fd->nev, 2);      /* one line per client */
	assert_int_equal(fd->ev[1].line, 7);
	assert_string_equal(find(r, "iis-403-13", NULL)->clients[0].addr,
	    "10.0.0.20");
	assert_int_equal(find(r, "iis-403-16", NULL)->count, 1);
	assert_int_equal(find(r, "iis-403-17", NULL)->count, 1);
	diag_rules_free(r);
	free_files();
}

static void
test_bounds(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	char *text, msg[2000];
	size_t len = 0, cap = 100000, k;
	(void)state;

	assert_non_null(text = malloc(cap));
	len += (size_t)snprintf(text, cap, "#Fields: c-ip cs-uri-stem "
	    "sc-status sc-substatus\n");
	for (k = 0; k < DIAG_CLIENTS_MAX + 6; k++)
		len += (size_t)snprintf(text + len, cap - len, "10.9.%zu.%zu "
		    "/SMS_MP/.sms_aut 403 17\n", k / 250, k % 250);
	/* The same clients in five files: 4 lines of evidence from each
	 * of the first four, then the total bound. */
	for (k = 0; k < 5; k++)
		feed_text(r, "iis.log", text);
	/* Many records from one file; a message longer than the kept
	 * text, cut inside a 3-byte character. */
	len = 0;
	memset(msg, 0, sizeof(msg));
	memset(msg, 'a', DIAG_TEXT_MAX - 2);
	strcat(msg, "\xe2\x82\xac CMGService_Invalid_Token");
	for (k = 0; k < 10; k++)
		len += (size_t)snprintf(text + len, cap - len,
		    "<![LOG[%s]LOG]!><time=\"1:00:0%zu.000+000\" "
		    "date=\"1-2-2026\">\n", msg, k);
	feed_text(r, "cm.log", text);
	free(text);
	diag_rules_finish(r);

	fd = find(r, "iis-403-17", NULL);
	assert_int_equal(fd->count, 5 * (DIAG_CLIENTS_MAX + 6));
	assert_int_equal(fd->nclients, DIAG_CLIENTS_MAX);
	assert_int_equal(fd->clients[DIAG_CLIENTS_MAX - 1].count, 5);
	assert_int_equal(fd->other_clients, 5 * 6);
	assert_int_equal(fd->nev, DIAG_EVID_MAX);
	assert_ptr_equal(fd->ev[DIAG_EVID_PER_FILE].file, files[1]);
	assert_ptr_equal(fd->ev[DIAG_EVID_MAX - 1].file, files[3]);

	fd = find(r, "cmg-token-invalid", NULL);
	assert_int_equal(fd->count, 10);
	assert_int_equal(fd->nev, DIAG_EVID_PER_FILE);
	assert_string_equal(when(fd->last), "2026-01-02T01:00:09Z");
	/* Cut before the character that did not fit whole. */
	assert_int_equal(strlen(fd->ev[0].text), DIAG_TEXT_MAX - 2);
	assert_int_equal(strspn(fd->ev[0].text, "a"), DIAG_TEXT_MAX - 2);
	diag_rules_free(r);
	free_files();
}

/* One CMTrace line: msg at 2026-01-02 hh:mm:ss UTC. */
#define CMT(msg, hms) "<![LOG[" msg "]LOG]!><time=\"" hms ".000+000\" " \
	"date=\"1-2-2026\">\n"

/* --since keeps a record stamped exactly at that second. */
static void
test_since_keeps_the_exact_second(void **state)
{
	struct diag_rules *r = rules_new("2026-01-02T01:00:00Z");
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "s.log",
	    CMT("HTTP/1.1 403 CMGConnector_Clientcertificaterequired",
	    "0:59:59")
	    CMT("HTTP/1.1 403 CMGConnector_Clientcertificaterequired",
	    "1:00:00")
	    CMT("HTTP/1.1 403 CMGConnector_Clientcertificaterequired",
	    "1:00:01"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-client-cert-required", NULL));
	assert_int_equal(fd->count, 2);
	assert_string_equal(when(fd->first), "2026-01-02T01:00:00Z");
	assert_string_equal(when(fd->last), "2026-01-02T01:00:01Z");
	assert_int_equal(fd->ev[0].line, 2);
	diag_rules_free(r);
	free_files();
}

/* The joined "allowed root CA and has private key: 0" with no rejection
 * before it: the root CA check is named, both counts are 0. */
static void
test_joined_line_without_rejection(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "j.log",
	    CMT("Filtered cert count with digital signature: 2", "1:00:00")
	    CMT("Filtered cert count with allowed root CA and has private "
	    "key: 0", "1:00:01"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_non_null(fd = find(r, "cert-filter-empty", NULL));
	assert_string_equal(fd->stage, "allowed-root-ca");
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 2);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], 0);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], 0);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], -1);
	assert_int_equal(fd->nrejected, 0);
	assert_int_equal(fd->rejected_total, 0);
	assert_non_null(strstr(fd->cause, "root CA"));
	diag_rules_free(r);
	free_files();
}

/* Two chains in one log, the second ending at 0: the finding carries the
 * second chain's counts and rejections only. */
static void
test_second_chain_counts_only(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "two.log",
	    CMT("Filtered cert count with digital signature: 5", "1:00:00")
	    CMT("Not allowed cert: [Subject: CN=a]", "1:00:01")
	    CMT("Filtered cert count with allowed root CA: 3", "1:00:02")
	    CMT("Filtered cert count with private key: 3", "1:00:03")
	    CMT("Not client auth cert: [Subject: CN=b]", "1:00:04")
	    CMT("Filtered cert count with client auth: 1", "1:00:05")
	    CMT("Filtered cert count with digital signature: 2", "2:00:00")
	    CMT("Not client auth cert: [Subject: CN=c]", "2:00:01")
	    CMT("Not client auth cert: [Subject: CN=d]", "2:00:02")
	    CMT("Filtered cert count with client auth: 0", "2:00:03"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_non_null(fd = find(r, "cert-filter-empty", "client-auth"));
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 2);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], -1);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], -1);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], 0);
	assert_int_equal(fd->rejected_total, 2);
	assert_int_equal(fd->nrejected, 2);
	assert_string_equal(fd->rejected[0], "[Subject: CN=c]");
	assert_string_equal(fd->rejected[1], "[Subject: CN=d]");
	assert_int_equal(fd->count, 1);
	assert_string_equal(when(fd->first), "2026-01-02T02:00:03Z");
	diag_rules_free(r);
	free_files();
}

/* A file that ends mid-chain: the next file's lines start a chain of
 * their own, nothing of the cut one is carried over. */
static void
test_chain_cut_at_end_of_file(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "cut.log",
	    CMT("Filtered cert count with digital signature: 4", "1:00:00")
	    CMT("Not allowed cert: [Subject: CN=a]", "1:00:01")
	    CMT("Filtered cert count with allowed root CA: 3", "1:00:02")
	    CMT("No private key cert: [Subject: CN=b]", "1:00:03"));
	feed_text(r, "next.log",
	    CMT("Not client auth cert: [Subject: CN=c]", "3:00:00")
	    CMT("Filtered cert count with client auth: 0", "3:00:01"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_non_null(fd = find(r, "cert-filter-empty", "client-auth"));
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], -1);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], -1);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], -1);
	assert_int_equal(fd->counts[DIAG_ST_CLIENTAUTH], 0);
	assert_int_equal(fd->rejected_total, 1);
	assert_string_equal(fd->rejected[0], "[Subject: CN=c]");
	assert_ptr_equal(fd->ev[0].file, files[1]);
	assert_int_equal(fd->ev[0].line, 2);
	diag_rules_free(r);
	free_files();
}

/* The evidence text of one CMTrace message made of pad 'a's, then tail. */
static void
kept_text(size_t pad, const char *tail, char *out, size_t room)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	char msg[1200], text[1400];

	memset(msg, 0, sizeof(msg));
	memset(msg, 'a', pad);
	strcat(msg, tail);
	strcat(msg, " CMGService_Invalid_Token");
	snprintf(text, sizeof(text), "<![LOG[%s]LOG]!><time=\"1:00:00.000+000\""
	    " date=\"1-2-2026\">\n", msg);
	feed_text(r, "cut.log", text);
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-token-invalid", NULL));
	snprintf(out, room, "%s", fd->ev[0].text);
	diag_rules_free(r);
	free_files();
}

/* Evidence cut to DIAG_TEXT_MAX - 1 bytes keeps every whole character and
 * drops one cut short, whatever its length (2 or 4 bytes). */
static void
test_evidence_cut_at_character_boundaries(void **state)
{
	char got[DIAG_TEXT_MAX];
	(void)state;

	/* A 2-byte character that ends exactly at the cut: kept. */
	kept_text(DIAG_TEXT_MAX - 3, "\xc3\xa9xyz", got, sizeof(got));
	assert_int_equal(strlen(got), DIAG_TEXT_MAX - 1);
	assert_memory_equal(got + DIAG_TEXT_MAX - 3, "\xc3\xa9", 2);
	/* A 2-byte character cut after its first byte: dropped. */
	kept_text(DIAG_TEXT_MAX - 2, "\xc3\xa9xyz", got, sizeof(got));
	assert_int_equal(strlen(got), DIAG_TEXT_MAX - 2);
	/* A 4-byte character (lead byte 0xF0) with 3 of its 4 bytes in. */
	kept_text(DIAG_TEXT_MAX - 4, "\xf0\x9f\x98\x80xyz", got, sizeof(got));
	assert_int_equal(strlen(got), DIAG_TEXT_MAX - 4);
	/* ... and one that ends exactly at the cut: kept. */
	kept_text(DIAG_TEXT_MAX - 5, "\xf0\x9f\x98\x80xyz", got, sizeof(got));
	assert_int_equal(strlen(got), DIAG_TEXT_MAX - 1);
	/* A 3-byte character with 2 of its 3 bytes in. */
	kept_text(DIAG_TEXT_MAX - 3, "\xe2\x82\xacxyz", got, sizeof(got));
	assert_int_equal(strlen(got), DIAG_TEXT_MAX - 3);
}

/* A client address of DIAG_ADDR_MAX characters or more is kept cut to
 * DIAG_ADDR_MAX - 1, and still groups its requests. */
static void
test_long_client_address(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	char addr[DIAG_ADDR_MAX + 1], text[600];
	(void)state;

	memset(addr, 0, sizeof(addr));
	memset(addr, 'f', DIAG_ADDR_MAX);
	snprintf(text, sizeof(text), "#Fields: c-ip cs-uri-stem sc-status "
	    "sc-substatus\n%s /SMS_MP/.sms_aut 403 16\n"
	    "%s /SMS_MP/.sms_aut 403 16\n", addr, addr);
	feed_text(r, "iis.log", text);
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "iis-403-16", NULL));
	assert_int_equal(fd->nclients, 1);
	assert_int_equal(strlen(fd->clients[0].addr), DIAG_ADDR_MAX - 1);
	assert_int_equal(fd->clients[0].count, 2);
	assert_int_equal(fd->count, 2);
	diag_rules_free(r);
	free_files();
}

/* Chain-build failures before the root CA check: the failure a "Not
 * allowed cert:" line names gives the reason, even when another has a
 * more specific status; the thumbprint ends where the message does. */
static void
test_chain_build_failure_named_by_rejection(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "cb.log",
	    CMT("Filtered cert count with digital signature: 2", "1:00:00")
	    CMT("Chain build failed cert: AAAA1111", "1:00:01")
	    CMT("Chain 0 status: UntrustedRoot", "1:00:02")
	    CMT("Chain 1 status:", "1:00:02")
	    CMT("Chain build failed cert: BBBB2222", "1:00:03")
	    CMT("Chain 0 status: Revoked", "1:00:04")
	    CMT("Not allowed cert: [Subject: CN=a] [Thumbprint: AAAA1111]",
	    "1:00:05")
	    CMT("Filtered cert count with allowed root CA: 0", "1:00:06"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	fd = diag_rules_get(r, 0);
	assert_string_equal(fd->stage, "allowed-root-ca");
	assert_non_null(fd->reason);
	assert_string_equal(fd->reason, "untrusted-root");
	assert_int_equal(fd->nfail, 2);
	assert_int_equal(fd->fail_total, 2);
	assert_string_equal(fd->fail[0].thumb, "AAAA1111");
	assert_string_equal(fd->fail[1].thumb, "BBBB2222");
	assert_int_equal(fd->fail[0].rejected, 1);
	assert_int_equal(fd->fail[1].rejected, 0);
	assert_int_equal(fd->fail[0].nstatus, 1);
	assert_string_equal(fd->fail[0].status[0], "UntrustedRoot");
	assert_string_equal(fd->fail[1].status[0], "Revoked");
	diag_rules_free(r);
	free_files();

	/* No rejection names either: the most specific status wins. */
	r = rules_new(NULL);
	feed_text(r, "cb.log",
	    CMT("Filtered cert count with digital signature: 2", "1:00:00")
	    CMT("Chain build failed cert: AAAA1111", "1:00:01")
	    CMT("Chain 12 status: UntrustedRoot", "1:00:02")
	    CMT("Chain build failed cert: BBBB2222", "1:00:03")
	    CMT("Chain 3 status: Revoked", "1:00:04")
	    CMT("Filtered cert count with allowed root CA: 0", "1:00:06"));
	diag_rules_finish(r);
	fd = diag_rules_get(r, 0);
	assert_string_equal(fd->reason, "revoked");
	assert_int_equal(fd->fail[0].nstatus, 1);
	diag_rules_free(r);
	free_files();
}

/* More chain-build failures than are kept: all are counted. */
static void
test_chain_build_failures_bounded(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	char text[4096];
	size_t len = 0, k;
	(void)state;

	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s",
	    CMT("Filtered cert count with digital signature: 9", "1:00:00"));
	for (k = 0; k < DIAG_FAIL_MAX + 1; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "<![LOG[Chain build failed cert: T%zu]LOG]!><time=\"1:00:01"
		    ".000+000\" date=\"1-2-2026\">\n", k);
	snprintf(text + len, sizeof(text) - len, "%s",
	    CMT("Filtered cert count with allowed root CA: 0", "1:00:06"));
	feed_text(r, "many.log", text);
	diag_rules_finish(r);
	fd = diag_rules_get(r, 0);
	assert_int_equal(fd->nfail, DIAG_FAIL_MAX);
	assert_int_equal(fd->fail_total, DIAG_FAIL_MAX + 1);
	assert_string_equal(fd->fail[DIAG_FAIL_MAX - 1].thumb, "T7");
	assert_string_equal(fd->reason, "chain-invalid");
	diag_rules_free(r);
	free_files();
}

/* Requests are told apart by their whole message id. */
static void
test_requests_by_whole_message_id(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "SMS_Cloud_ProxyConnector.log",
	    CMT("Received response https://mp/SMS_MP/x for message 5BB2-1: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:00")
	    CMT("Received response https://mp/SMS_MP/x for message 6BB2-1: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:01")
	    CMT("Received response https://mp/SMS_MP/y for message 5bb2-1: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:02"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-client-cert-required", NULL));
	assert_int_equal(fd->count, 2);
	diag_rules_free(r);
	free_files();
}

/* Merging: clients that do not fit in the merged list are counted. */
static void
test_merge_counts_clients_that_do_not_fit(void **state)
{
	struct diag_rules *a = rules_new(NULL), *b = rules_new(NULL);
	const struct diag_finding *fd;
	char text[8192];
	size_t len = 0, k;
	(void)state;

	len = (size_t)snprintf(text, sizeof(text), "#Fields: c-ip cs-uri-stem "
	    "sc-status sc-substatus\n");
	for (k = 0; k < DIAG_CLIENTS_MAX; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "10.1.0.%zu /SMS_MP/.sms_aut 403 16\n", k);
	feed_text(a, "a.log", text);
	feed_text(b, "b.log", "#Fields: c-ip cs-uri-stem sc-status "
	    "sc-substatus\n10.2.0.1 /SMS_MP/.sms_aut 403 16\n"
	    "10.2.0.1 /SMS_MP/.sms_aut 403 16\n"
	    "10.1.0.1 /SMS_MP/.sms_aut 403 16\n");
	diag_rules_merge(a, b);
	diag_rules_finish(a);
	assert_non_null(fd = find(a, "iis-403-16", NULL));
	assert_int_equal(fd->count, DIAG_CLIENTS_MAX + 3);
	assert_int_equal(fd->nclients, DIAG_CLIENTS_MAX);
	assert_int_equal(fd->other_clients, 2);
	assert_int_equal(fd->clients[1].count, 2);
	diag_rules_free(a);
	diag_rules_free(b);
	free_files();
}

/* A second chain starts clean: the first chain's chain-build failures
 * neither count nor leave their statuses in reused slots; a single '~'
 * is kept as it is. */
static void
test_second_chain_has_its_own_failures(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "two.log",
	    CMT("Filtered cert count with digital signature: 2", "1:00:00")
	    CMT("Chain build failed cert: AAAA1111", "1:00:01")
	    CMT("Chain 0 status: Revoked", "1:00:02")
	    CMT("Not allowed cert: [Thumbprint: AAAA1111]", "1:00:03")
	    CMT("Filtered cert count with allowed root CA: 1", "1:00:04")
	    CMT("Filtered cert count with digital signature: 2", "2:00:00")
	    CMT("Chain build failed cert: BBBB2222", "2:00:01")
	    CMT("Filtered cert count with allowed root CA: 0", "2:00:02")
	    CMT("Filtered cert count with digital signature: 1", "3:00:00")
	    CMT("Filtered cert count with allowed root CA: 0 a~b", "3:00:01"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 2);
	/* One finding with a reason (the second chain), one without. */
	fd = diag_rules_get(r, 0)->reason != NULL ? diag_rules_get(r, 0) :
	    diag_rules_get(r, 1);
	assert_non_null(fd->reason);
	assert_string_equal(fd->reason, "chain-invalid");
	assert_int_equal(fd->nfail, 1);
	assert_int_equal(fd->fail_total, 1);
	assert_string_equal(fd->fail[0].thumb, "BBBB2222");
	assert_int_equal(fd->fail[0].nstatus, 0);
	assert_int_equal(fd->fail[0].rejected, 0);
	/* The third chain logged no failure: the plain root CA finding. */
	fd = diag_rules_get(r, 0)->reason == NULL ? diag_rules_get(r, 0) :
	    diag_rules_get(r, 1);
	assert_null(fd->reason);
	assert_string_equal(fd->stage, "allowed-root-ca");
	assert_int_equal(fd->fail_total, 0);
	assert_string_equal(fd->ev[0].text, "Filtered cert count with allowed "
	    "root CA: 0 a~b");
	diag_rules_free(r);
	free_files();
}

/* The legacy format's record of component comp. */
#define LEG(msg, comp) msg "  $$<" comp "><01-02-2026 08:15:01.900+480>" \
	"<thread=6124 (0x17EC)>\n"

/* A one-character message id is an id too: the request it names counts
 * once however many lines log it. */
static void
test_one_character_message_id(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "SMS_Cloud_ProxyConnector.log",
	    CMT("Received response https://mp/SMS_MP/x for message 7: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:00")
	    CMT("Received response https://mp/SMS_MP/y for message 7: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:01")
	    CMT("Received response https://mp/SMS_MP/x for message 8: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:02"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-client-cert-required", NULL));
	assert_int_equal(fd->count, 2);
	diag_rules_free(r);
	free_files();
}

/* A count is read by its first nine digits at most: longer ones cannot
 * overflow, and a nine-digit one is read whole. */
static void
test_long_counts_read_by_nine_digits(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "SMS_Cloud_ProxyConnector.log",
	    CMT("Filtered cert count with digital signature: 1000000000",
	    "1:00:00")
	    CMT("Filtered cert count with allowed root CA: 999999999",
	    "1:00:01")
	    CMT("Filtered cert count with private key: 0", "1:00:02"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cert-filter-empty", NULL));
	assert_int_equal(fd->counts[DIAG_ST_DIGSIG], 100000000);
	assert_int_equal(fd->counts[DIAG_ST_ROOTCA], 999999999);
	assert_int_equal(fd->counts[DIAG_ST_PRIVKEY], 0);
	diag_rules_free(r);
	free_files();
}

/* Outside a file named like the connector's log, a record is the
 * connector's by its component: its 403 is evidence that verbose logging
 * is off; another component's is not. */
static void
test_connector_known_by_component(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "proxy.log", LEG("Web exception for message 5BB2: "
	    "System.Net.WebException: The remote server returned an error: "
	    "(403) Forbidden.", "SMS_CLOUD_PROXYCONNECTOR"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "verbose-logging-needed", NULL));
	assert_int_equal(fd->count, 1);
	diag_rules_free(r);
	free_files();

	r = rules_new(NULL);
	feed_text(r, "proxy.log", LEG("Web exception for message 5BB2: "
	    "System.Net.WebException: The remote server returned an error: "
	    "(403) Forbidden.", "SMS_CLOUD_PROXYCONNECTOR_X"));
	feed_text(r, "other.log", LEG("Web exception for message 5BB3: "
	    "(403) Forbidden.", "SMS_EXECUTIVE"));
	diag_rules_finish(r);
	assert_null(find(r, "verbose-logging-needed", NULL));
	diag_rules_free(r);
	free_files();
}

/* Evidence that fits is kept byte for byte, also when the log's own text
 * ends in a character cut short: only a cut made here is trimmed. */
static void
test_evidence_that_fits_is_kept_whole(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "t.log", CMT("CMGService_Invalid_Token \xe2\x82",
	    "1:00:00"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-token-invalid", NULL));
	assert_string_equal(fd->ev[0].text,
	    "CMGService_Invalid_Token \xe2\x82");
	diag_rules_free(r);
	free_files();
}

/* diag_rules_get past the last finding is NULL, not a finding. */
static void
test_get_past_the_end_is_null(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	(void)state;

	feed_text(r, "t.log", CMT("CMGService_Invalid_Token", "1:00:00"));
	diag_rules_finish(r);
	assert_int_equal(diag_rules_count(r), 1);
	assert_non_null(diag_rules_get(r, 0));
	assert_null(diag_rules_get(r, 1));
	assert_null(diag_rules_get(r, 2));
	diag_rules_free(r);
	free_files();
}

/* Message ids are found whatever the case of the words before them. */
static void
test_message_id_words_in_any_case(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	(void)state;

	feed_text(r, "SMS_Cloud_ProxyConnector.log",
	    CMT("Received response https://mp/SMS_MP/x FOR MESSAGE 5BB2-1: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:00")
	    CMT("Received response https://mp/SMS_MP/y For Message 5BB2-1: "
	    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired", "1:00:01"));
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-client-cert-required", NULL));
	assert_int_equal(fd->count, 1);
	diag_rules_free(r);
	free_files();
}

/* A phrase is found in any case wherever it starts: the search folds
 * the record eight bytes at a time, so each of sixteen records starts it
 * one byte later, after bytes next to 'A'..'Z' ('@', '[', '`', '{') and
 * UTF-8 ("\xc3\x89" is an accented capital letter, left alone).  The
 * record with "_" changed to '\x7f' ('_' + 0x20) must not match. */
static void
test_phrases_in_any_case_at_any_offset(void **state)
{
	static const char pad[] = "@[`{\xc3\x89@[`{\xc3\x89@[`";
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	char text[4096], *o = text;
	size_t k;
	(void)state;

	for (k = 0; k < 16; k++)
		o += sprintf(o, "<![LOG[%.*s%s]LOG]!>"
		    "<time=\"1:00:%02zu.000+000\" date=\"1-2-2026\">\n",
		    (int)k, pad, k % 2 ?
		    "SECURITYTOKENEXPIREDEXCEPTION" :
		    "cmgSERVICE_INVALID_token", k);
	sprintf(o, "<![LOG[CMGService\x7fInvalid\x7fToken]LOG]!>"
	    "<time=\"1:00:59.000+000\" date=\"1-2-2026\">\n");
	feed_text(r, "x.log", text);
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "cmg-token-invalid", NULL));
	assert_int_equal(fd->count, 16);
	assert_int_equal(fd->last, fd->first + 15);
	diag_rules_free(r);
	free_files();
}

/* With the client list full, every request from an address not in it
 * counts in other_clients, whatever the address looks like ("1" here:
 * the bytes of 49 in other_clients). */
static void
test_clients_past_a_full_list_are_counted(void **state)
{
	struct diag_rules *r = rules_new(NULL);
	const struct diag_finding *fd;
	size_t room = 16384, len, k;
	char *text = malloc(room);
	(void)state;

	assert_non_null(text);
	len = (size_t)snprintf(text, room, "#Fields: c-ip cs-uri-stem "
	    "sc-status sc-substatus\n");
	for (k = 0; k < DIAG_CLIENTS_MAX; k++)
		len += (size_t)snprintf(text + len, room - len,
		    "10.1.0.%zu /SMS_MP/.sms_aut 403 16\n", k);
	for (k = 0; k < 49; k++)
		len += (size_t)snprintf(text + len, room - len,
		    "10.2.0.%zu /SMS_MP/.sms_aut 403 16\n", k);
	snprintf(text + len, room - len, "1 /SMS_MP/.sms_aut 403 16\n");
	feed_text(r, "u_ex.log", text);
	free(text);
	diag_rules_finish(r);
	assert_non_null(fd = find(r, "iis-403-16", NULL));
	assert_int_equal(fd->count, DIAG_CLIENTS_MAX + 50);
	assert_int_equal(fd->nclients, DIAG_CLIENTS_MAX);
	assert_int_equal(fd->other_clients, 50);
	diag_rules_free(r);
	free_files();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_classic_wording),
		cmocka_unit_test(test_chain_joined_wording),
		cmocka_unit_test(test_chain_other_stages),
		cmocka_unit_test(test_verbose_logging_needed),
		cmocka_unit_test(test_same_cause_once),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_iis_grouping),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_since_keeps_the_exact_second),
		cmocka_unit_test(test_joined_line_without_rejection),
		cmocka_unit_test(test_second_chain_counts_only),
		cmocka_unit_test(test_chain_cut_at_end_of_file),
		cmocka_unit_test(test_evidence_cut_at_character_boundaries),
		cmocka_unit_test(test_long_client_address),
		cmocka_unit_test(test_chain_build_failure_named_by_rejection),
		cmocka_unit_test(test_chain_build_failures_bounded),
		cmocka_unit_test(test_requests_by_whole_message_id),
		cmocka_unit_test(test_merge_counts_clients_that_do_not_fit),
		cmocka_unit_test(test_second_chain_has_its_own_failures),
		cmocka_unit_test(test_one_character_message_id),
		cmocka_unit_test(test_long_counts_read_by_nine_digits),
		cmocka_unit_test(test_connector_known_by_component),
		cmocka_unit_test(test_evidence_that_fits_is_kept_whole),
		cmocka_unit_test(test_get_past_the_end_is_null),
		cmocka_unit_test(test_message_id_words_in_any_case),
		cmocka_unit_test(test_phrases_in_any_case_at_any_offset),
		cmocka_unit_test(test_clients_past_a_full_list_are_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
