// SPDX-License-Identifier: ISC
/* fuzz_journal.c - libFuzzer target: the run journal (journal_read), which
 * the next run and `cmremedy recover` trust to undo an interrupted run,
 * and the recover profile built from it.  A journal that is there is
 * either read (1, with its report) or refused as the machine's state
 * (CM_ERR_SYSTEM: exit 3) naming the file; never "no journal".  A read
 * journal either gives recover's profile, which the built-in policy then
 * judges, or is refused as bad input naming the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "core/policy.h"
#include "core/recover.h"
#include "fuzz_file.h"
#include "fuzz_jsonmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_journal: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

static void
refused(const struct cm_err *err, enum cm_errkind kind, const char *path,
    const char *what)
{
	if (err->kind == CM_ERR_NOMEM)
		return;
	if (err->kind != kind)
		die(what, err->msg);
	if (path != NULL && strncmp(err->msg, path, strlen(path)) != 0)
		die("a refusal that does not name the journal", err->msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy *pol;
	const char *path = fuzz_file_path("journal", JOURNAL_FILE);
	struct report *rep;
	struct profile *p;
	struct cm_err err;
	char *report_path;
	int rc;

	if (pol == NULL && policy_load(NULL, &pol, &err) != 0)
		die("no built-in policy", err.msg);
	fuzz_file_put(path, data, size);
	fuzz_jsonmem_begin();
	rc = journal_read(fuzz_dir, &rep, &report_path, &err);
	if (rc == 0)
		die("a journal that is there read as none", NULL);
	if (rc < 0) {
		if (rep != NULL || report_path != NULL)
			die("a refused journal that left its report", NULL);
		refused(&err, CM_ERR_SYSTEM, path, "a refusal that is not "
		    "the machine's state");
		fuzz_jsonmem_end();
		return 0;
	}
	if (rc != 1 || rep == NULL)
		die("journal_read returned neither 0, 1 nor -1", NULL);
	if (recover_profile(rep, path, &p, &err) != 0)
		refused(&err, CM_ERR_INPUT, path, "a recover profile refused "
		    "as something other than bad input");
	else {
		/* It names the key and where the profile came from. */
		if (policy_check_profile(pol, p, &err) != 0)
			refused(&err, CM_ERR_INPUT, NULL, "a policy refusal "
			    "that is not bad input");
		profile_free(p);
	}
	free(report_path);
	report_free(rep);
	fuzz_jsonmem_end();
	return 0;
}
