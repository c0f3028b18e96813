// SPDX-License-Identifier: ISC
/* diagnose.c - `cmremedy diagnose`: walk the paths, scan the files into
 * the rules (several at once with --jobs), write the report, pick the
 * exit code. */
#include "diagnose.h"
#include "util/mem.h"
#include "util/thread.h"
#include "util/utctime.h"
#include "diag_logline.h"
#include "diag_output.h"
#include "diag_rules.h"
#include "diag_walk.h"

#include <stdlib.h>

/* Files scanned ahead of the merge, per worker: enough that a worker
 * rarely waits for a long file before it; each holds one file's rules. */
#define AHEAD 2

struct run {
	const struct diag_opts *o;
	struct diag_file **files;    /* every path, in report order */
	size_t n, cap;
	size_t *todo;                /* indexes of the files to scan */
	size_t ntodo;
	struct diag_rules *rules;    /* everything found */
	int nomem;
	/* The parallel scan: todo[next] is the next file to claim, todo[i]
	 * for i < merged are in rules; file i is scanned into
	 * slot[i % nslot], done[i % nslot] once it is. */
	struct thr_lock *lock;
	size_t next, merged, nslot;
	struct diag_rules **slot;
	unsigned char *done;
	int stop;
};

static int
on_path(void *ctx, const char *path, enum diag_format fmt,
    const char *problem)
{
	struct run *r = ctx;
	struct diag_file **nv, *f;
	size_t *nt, cap = r->cap;

	/* Two arrays, one capacity: todo follows files' growth. */
	if (r->n == r->cap) {
		if ((nv = mem_grow(r->files, &cap, r->n + 1,
		    sizeof(*nv))) == NULL)
			goto nomem;
		r->files = nv;
		if ((nt = mem_reallocarray(r->todo, cap, sizeof(*nt))) == NULL)
			goto nomem;
		r->todo = nt;
		r->cap = cap;
	}
	if ((f = diag_file_new(path)) == NULL)
		goto nomem;
	r->files[r->n++] = f;
	if (problem != NULL) {
		f->fmt = fmt;
		diag_file_error(f, 0, "%s", problem);
		if (f->nomem)
			goto nomem;
	} else {
		r->todo[r->ntodo++] = r->n - 1;
	}
	return 0;
nomem:
	r->nomem = 1;
	return -1;
}

/* Scans todo[k] into rules of its own. */
static void
scan_one(struct run *r, size_t k, struct diag_rules *one)
{
	struct diag_file *f = r->files[r->todo[k]];
	struct diag_sink sink;

	diag_rules_reset(one);
	diag_rules_sink(one, &sink);
	(void)diag_scan_path(f->path, f, &sink, NULL);
}

/* One worker: claims the next file while it is within the window of
 * slots, scans it, marks it done. */
static void
worker(void *arg)
{
	struct run *r = arg;
	size_t k;

	thr_lock(r->lock);
	for (;;) {
		while (!r->stop && r->next < r->ntodo &&
		    r->next >= r->merged + r->nslot)
			thr_wait(r->lock);
		if (r->stop || r->next == r->ntodo)
			break;
		k = r->next++;
		thr_unlock(r->lock);
		scan_one(r, k, r->slot[k % r->nslot]);
		thr_lock(r->lock);
		r->done[k % r->nslot] = 1;
		thr_broadcast(r->lock);
	}
	thr_unlock(r->lock);
}

/* The calling thread merges the files in order as the workers finish
 * them, so the findings are those of reading them one by one. */
static void
merge_in_order(struct run *r)
{
	size_t k, s;

	for (k = 0; k < r->ntodo; k++) {
		s = k % r->nslot;
		thr_lock(r->lock);
		while (!r->done[s])
			thr_wait(r->lock);
		thr_unlock(r->lock);
		diag_rules_merge(r->rules, r->slot[s]);
		if (r->files[r->todo[k]]->nomem)
			r->nomem = 1;
		thr_lock(r->lock);
		r->done[s] = 0;
		r->merged = k + 1;
		if (r->nomem)
			r->stop = 1;
		thr_broadcast(r->lock);
		thr_unlock(r->lock);
		if (r->nomem)
			return;
	}
}

static void
free_slots(struct run *r)
{
	size_t i;

	for (i = 0; r->slot != NULL && i < r->nslot; i++)
		diag_rules_free(r->slot[i]);
	free(r->slot);
	free(r->done);
	thr_lock_free(r->lock);
}

/* One file after the other on this thread, through slot 0. */
static void
scan_here(struct run *r)
{
	size_t i;

	for (i = 0; i < r->ntodo && !r->nomem; i++) {
		scan_one(r, i, r->slot[0]);
		diag_rules_merge(r->rules, r->slot[0]);
		r->nomem |= r->files[r->todo[i]]->nomem;
	}
}

/* Scans every file to scan with jobs workers (1: on this thread). */
static void
scan_all(struct run *r, unsigned jobs)
{
	struct thr **t = NULL;
	size_t i, nt = 0;

	if (jobs > r->ntodo)
		jobs = (unsigned)r->ntodo;
	if (jobs < 1)
		jobs = 1;
	r->nslot = jobs == 1 ? 1 : (size_t)jobs * AHEAD;
	r->slot = calloc(r->nslot, sizeof(*r->slot));
	r->done = calloc(r->nslot, 1);
	if (r->slot == NULL || r->done == NULL)
		goto nomem;
	for (i = 0; i < r->nslot; i++)
		if ((r->slot[i] = diag_rules_new(r->o->has_since,
		    r->o->since)) == NULL)
			goto nomem;
	if (jobs > 1 && (r->lock = thr_lock_new()) != NULL &&
	    (t = calloc(jobs, sizeof(*t))) != NULL)
		for (i = 0; i < jobs; i++)
			if ((t[nt] = thr_start(worker, r)) != NULL)
				nt++;
	/* Without threads (asked for one job, or none could be started)
	 * the files are read here, one after the other. */
	if (nt == 0)
		scan_here(r);
	else
		merge_in_order(r);
	for (i = 0; i < nt; i++)
		thr_join(t[i]);
	free(t);
	free_slots(r);
	return;
nomem:
	r->nomem = 1;
	free_slots(r);
}

int
diag_run(const struct diag_opts *o, FILE *out, struct cm_err *err)
{
	struct run r = { 0 };
	size_t i, nread = 0;
	int rc, wnomem;

	r.o = o;
	if ((r.rules = diag_rules_new(o->has_since, o->since)) == NULL)
		return cm_err_nomem(err);
	(void)diag_walk(o->paths, o->npaths, on_path, &r, &wnomem);
	if (!r.nomem && !wnomem)
		scan_all(&r, o->jobs > 0 ? o->jobs : thr_ncpu());
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
	free(r.todo);
	diag_rules_free(r.rules);
	return rc;
}

int
diag_parse_time(const char *s, time_t *out)
{
	return utc_parse(s, out);
}

int
diag_parse_jobs(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (*s == '\0')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (unsigned)(*s - '0')) > DIAG_JOBS_MAX)
			return -1;
	if (*s != '\0' || v == 0)
		return -1;
	*out = v;
	return 0;
}
