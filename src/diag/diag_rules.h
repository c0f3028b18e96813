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

#include "diag_logline.h"

#define DIAG_EVID_MAX      16   /* evidence lines kept per finding */
#define DIAG_EVID_PER_FILE 4    /* of which from any one file */
#define DIAG_TEXT_MAX      512  /* bytes of log text kept per line */
#define DIAG_CLIENTS_MAX   64   /* client addresses kept per IIS finding */
#define DIAG_ADDR_MAX      64   /* an IPv6 address with zone fits */
#define DIAG_REJECTED_MAX  16   /* rejected certificates listed */
#define DIAG_CERT_MAX      256  /* bytes of a certificate's description */

/* The filter chain's stages, in the order the connector applies them. */
enum diag_stage {
	DIAG_ST_DIGSIG, DIAG_ST_ROOTCA, DIAG_ST_PRIVKEY, DIAG_ST_CLIENTAUTH,
	DIAG_ST_N
};

/* "digital-signature", "allowed-root-ca", "private-key", "client-auth". */
const char *diag_stage_name(enum diag_stage s);

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
	int active;
	unsigned long count;
	int has_time;                  /* first/last are valid */
	time_t first, last;
	size_t nev;
	struct diag_evidence ev[DIAG_EVID_MAX];
	/* cert-filter-empty: the most recent empty chain. */
	long counts[DIAG_ST_N];        /* -1: the chain did not log it */
	size_t nrejected;
	unsigned long rejected_total;
	char rejected[DIAG_REJECTED_MAX][DIAG_CERT_MAX];
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

/* Call before each file: a filter chain never continues across files. */
void diag_rules_file_begin(struct diag_rules *r);

/* Call once after the last file; then the findings are final. */
void diag_rules_finish(struct diag_rules *r);

/* The number of findings, and the i-th (0 <= i < n), in report order. */
size_t diag_rules_count(const struct diag_rules *r);
const struct diag_finding *diag_rules_get(const struct diag_rules *r,
    size_t i);

#endif
