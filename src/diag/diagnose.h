// SPDX-License-Identifier: ISC
/* diagnose.h - `cmremedy diagnose`: name the cause of a CMG 403 from logs.
 *
 * Reads ConfigMgr logs (CMTrace and the legacy server format) and IIS W3C
 * logs, each file's format recognised from its content, in one streaming
 * pass with memory that does not grow with the input (several files at
 * once on as many threads, merged in file order), and reports findings
 * (KB 4503442) with their evidence and remediation.
 *
 * Finding ids (a contract later checks rely on):
 *   cmg-client-cert-required  403 CMGConnector_Clientcertificaterequired
 *   cmg-connector-forbidden   403 CMGConnector_Forbidden
 *   cert-filter-empty         the connector's verbose certificate filter
 *                             chain reached 0; "stage" names the check
 *                             (digital-signature, allowed-root-ca,
 *                             private-key, client-auth)
 *                             and, after "Chain N status:" lines, a
 *                             "reason" (enum diag_reason in diag_rules.h)
 *   verbose-logging-needed    a connector log shows 403s but no filter
 *                             chain was logged
 *   iis-403-7, iis-403-13, iis-403-16, iis-403-17
 *                             IIS 403.N on /SMS_MP/, grouped by client
 *   cmg-secure-failure        ERROR_WINHTTP_SECURE_FAILURE (+ "flags")
 *   cmg-token-invalid         401 CMGService_Invalid_Token
 *   mpfdm-inbox-unreachable   the connection point's inbox access fails
 * The same cause seen in several files is one finding carrying all the
 * evidence (bounded: the first samples of each file, and counts).
 *
 * JSON (--json), keys in this order:
 *   {"files": [{"path", "format", "records", "errors": [msg...]}],
 *    "findings": [{"id", "severity", "cause", "stage", "count", "first",
 *                  "last", "evidence": [{"file", "line", "time", "text"}],
 *                  "remediation", ...}]}
 * Times are UTC, "YYYY-MM-DDTHH:MM:SSZ", or null when the log gave none.
 * Additive keys: "counts", "rejected", "rejected_total", "reason",
 * "chain_failures", "chain_failures_total" (cert-filter-empty), "clients",
 * "other_clients" (iis-403-*), "flags" (cmg-secure-failure).  Formats:
 * cmtrace, legacy, iis, empty, binary, unknown, unreadable, none (a folder
 * holding no log files).
 */
#ifndef CM_DIAGNOSE_H
#define CM_DIAGNOSE_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "util/err.h"

/* Exit codes of `cmremedy diagnose` (2, usage, is decided by cli.c). */
#define DIAG_EXIT_CLEAN    0  /* no findings */
#define DIAG_EXIT_FINDINGS 1  /* at least one finding */
#define DIAG_EXIT_NOINPUT  3  /* not one path could be read */

struct diag_opts {
	/* files or folders (*.log, *.lo_, u_ex*.log) */
	const char *const *paths;
	size_t npaths;
	int has_since;             /* 1: ignore records older than since */
	time_t since;              /* UTC */
	int json;                  /* 1: JSON report, else text for a person */
	unsigned jobs;             /* files parsed at once; 0: one per
				      processor.  The report is the same for
				      any value. */
};

/* Parses a --since value as UTC: "2026-01-02T03:04:05Z",
 * "2026-01-02T03:04:05", "2026-01-02 03:04:05" or "2026-01-02" (midnight).
 * Returns 0 and fills *out, or -1 if s is none of these or not a real
 * date. */
int diag_parse_time(const char *s, time_t *out);

/* The most files --jobs parses at once. */
#define DIAG_JOBS_MAX 256

/* Parses a --jobs value: a decimal from 1 to DIAG_JOBS_MAX.  Returns 0
 * and fills *out, or -1. */
int diag_parse_jobs(const char *s, unsigned *out);

/* Runs the diagnosis and writes the report to out.  Per-file problems
 * (unreadable, binary, truncated, unknown format) are reported inside the
 * output and never abort the run.  Returns DIAG_EXIT_CLEAN, _FINDINGS or
 * _NOINPUT; -1 with err only when the run itself failed (allocation
 * failure: CM_ERR_NOMEM; the report could not be written: CM_ERR_SYSTEM). */
int diag_run(const struct diag_opts *o, FILE *out, struct cm_err *err);

#endif
