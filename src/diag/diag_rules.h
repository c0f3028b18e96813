// SPDX-License-Identifier: ISC
/* diag_rules.h - findings: what the records of all files say together.
 *
 * The rules see every record through a struct diag_sink and keep, per
 * finding, counts, the first and last UTC time and a bounded set of
 * evidence lines, so memory stays fixed however long the logs are.  The
 * ids, causes and remediations are listed in diagnose.h and diag_rules.c.
 */
#ifndef CM_DIAG_RULES_H
#define CM_DIAG_RULES_H

#include <stddef.h>
#include <time.h>

#include "diag_advice.h"
#include "diag_logline.h"

#define DIAG_EVID_MAX      16   /* evidence lines kept per finding */
#define DIAG_EVID_PER_FILE 4    /* of which from any one file */
#define DIAG_TEXT_MAX      512  /* bytes of log text kept per line */
#define DIAG_CLIENTS_MAX   64   /* client addresses kept per IIS finding */
#define DIAG_ADDR_MAX      64   /* an IPv6 address with zone fits */
#define DIAG_REJECTED_MAX  16   /* rejected certificates listed */
#define DIAG_CERT_MAX      256  /* bytes of a certificate's description */

#define DIAG_FAIL_MAX    8      /* chain-build failures kept per chain */
#define DIAG_STATUS_MAX  6      /* statuses kept per failure */
#define DIAG_THUMB_MAX   72     /* a SHA-1 or SHA-256 thumbprint fits */
#define DIAG_STNAME_MAX  40     /* the longest X509ChainStatusFlags name */

/* One "Chain build failed cert: THUMBPRINT" and its status lines. */
struct diag_chainfail {
	char thumb[DIAG_THUMB_MAX];
	size_t nstatus;
	char status[DIAG_STATUS_MAX][DIAG_STNAME_MAX];
	int rejected;              /* a "Not allowed cert:" line named it */
};

/* WINHTTP_CALLBACK_STATUS_FLAG_* lines around ERROR_WINHTTP_SECURE_FAILURE
 * (cmg-secure-failure), as bits of diag_finding.flags. */
enum {
	DIAG_WF_CERT_REV_FAILED = 1, DIAG_WF_INVALID_CA = 2,
	DIAG_WF_CERT_CN_INVALID = 4
};

struct diag_evidence {
	const struct diag_file *file;  /* owned by the caller of the rules */
	long line;
	int has_time;
	time_t utc;
	char text[DIAG_TEXT_MAX];      /* NUL-terminated; "~~" as '\n' */
};

struct diag_client {
	char addr[DIAG_ADDR_MAX];
	unsigned long count;
	int has_time;
	time_t first, last;
	const struct diag_file *file;  /* where it was last seen */
};

struct diag_finding {
	const char *id, *severity, *cause, *remediation;  /* static text */
	const char *stage;             /* cert-filter-empty only, else NULL */
	const char *reason;            /* cert-filter-empty: see enum
					  diag_reason; NULL if none */
	int active;
	unsigned long count;           /* requests (by message id where the
					  log has one), else lines */
	int has_time;                  /* first/last are valid */
	time_t first, last;
	size_t nev;
	struct diag_evidence ev[DIAG_EVID_MAX];
	/* cert-filter-empty: the most recent empty chain, with the counts
	 * its later stages logged after it reached 0. */
	long counts[DIAG_ST_N];        /* -1: the chain did not log it */
	size_t nrejected;
	unsigned long rejected_total;
	char rejected[DIAG_REJECTED_MAX][DIAG_CERT_MAX];
	size_t nfail;                  /* chain-build failures of that chain */
	unsigned long fail_total;
	struct diag_chainfail fail[DIAG_FAIL_MAX];
	/* cmg-secure-failure: DIAG_WF_* flags logged with it. */
	unsigned flags;
	/* iis-403-*: requests grouped by client address. */
	int is_iis;
	size_t nclients;
	struct diag_client clients[DIAG_CLIENTS_MAX];
	unsigned long other_clients;   /* requests from clients not listed */
};

struct diag_rules;

/* New rules; records older than since are ignored when has_since.  NULL
 * on allocation failure. */
struct diag_rules *diag_rules_new(int has_since, time_t since);

/* Frees r. NULL is a no-op. */
void diag_rules_free(struct diag_rules *r);

/* The sink to pass to diag_scan_path() for every file. */
void diag_rules_sink(struct diag_rules *r, struct diag_sink *out);

/* Call before each file: a filter chain never continues across files,
 * and requests are told apart by message id within one file. */
void diag_rules_file_begin(struct diag_rules *r);

/* Adds what src found to dst as if src's files had been fed to dst after
 * dst's own (counts summed, times widened, evidence appended within the
 * bounds, the later chain kept).  `diagnose` scans each file into rules
 * of its own and merges them in file order, so that its report does not
 * depend on how many files are parsed at once.  src is left as it was. */
void diag_rules_merge(struct diag_rules *dst, const struct diag_rules *src);

/* Forgets everything found (the since setting stays): rules reused for
 * the next file. */
void diag_rules_reset(struct diag_rules *r);

/* Call once after the last file; then the findings are final. */
void diag_rules_finish(struct diag_rules *r);

/* The number of findings, and the i-th (0 <= i < n), in report order. */
size_t diag_rules_count(const struct diag_rules *r);
const struct diag_finding *diag_rules_get(const struct diag_rules *r,
    size_t i);

#endif
