// SPDX-License-Identifier: ISC
/* diagnose.c - `cmremedy diagnose`: walk the paths, scan each file into
 * the rules, write the report, pick the exit code. */
#include "diagnose.h"
#include "util/mem.h"
#include "util/utctime.h"
#include "diag_logline.h"
#include "diag_output.h"
#include "diag_rules.h"
#include "diag_walk.h"

#include <stdlib.h>

struct run {
	struct diag_file **files;
	size_t n, cap;
	struct diag_rules *rules;    /* everything found */
	struct diag_rules *one;      /* one file's findings */
	struct diag_sink sink;       /* into one */
	int nomem;
};

static int
on_path(void *ctx, const char *path, enum diag_format fmt,
    const char *problem)
{
	struct run *r = ctx;
	struct diag_file **nv, *f;

	if ((nv = mem_grow(r->files, &r->cap, r->n + 1, sizeof(*nv))) == NULL)
		goto nomem;
	r->files = nv;
	if ((f = diag_file_new(path)) == NULL)
		goto nomem;
	r->files[r->n++] = f;
	if (problem != NULL) {
		f->fmt = fmt;
		diag_file_error(f, 0, "%s", problem);
	} else {
		/* Each file on its own, then merged: the report is the same
		 * however files are read. */
		diag_rules_reset(r->one);
		(void)diag_scan_path(path, f, &r->sink, NULL);
		diag_rules_merge(r->rules, r->one);
	}
	if (f->nomem)
		goto nomem;
	return 0;
nomem:
	r->nomem = 1;
	return -1;
}

int
diag_run(const struct diag_opts *o, FILE *out, struct cm_err *err)
{
	struct run r = { 0 };
	size_t i, nread = 0;
	int rc, wnomem;

	if ((r.rules = diag_rules_new(o->has_since, o->since)) == NULL ||
	    (r.one = diag_rules_new(o->has_since, o->since)) == NULL) {
		diag_rules_free(r.rules);
		return cm_err_nomem(err);
	}
	diag_rules_sink(r.one, &r.sink);
	(void)diag_walk(o->paths, o->npaths, on_path, &r, &wnomem);
	if (r.nomem || wnomem) {
		rc = cm_err_nomem(err);
		goto out;
	}
	diag_rules_finish(r.rules);
	rc = o->json ? diag_output_json(out, r.files, r.n, r.rules, err) :
	    diag_output_text(out, r.files, r.n, r.rules, err);
	if (rc < 0)
		goto out;
	for (i = 0; i < r.n; i++)
		nread += r.files[i]->readable;
	if (nread == 0)
		rc = DIAG_EXIT_NOINPUT;
	else
		rc = diag_rules_count(r.rules) > 0 ? DIAG_EXIT_FINDINGS :
		    DIAG_EXIT_CLEAN;
out:
	for (i = 0; i < r.n; i++)
		diag_file_free(r.files[i]);
	free(r.files);
	diag_rules_free(r.rules);
	diag_rules_free(r.one);
	return rc;
}

int
diag_parse_time(const char *s, time_t *out)
{
	return utc_parse(s, out);
}
