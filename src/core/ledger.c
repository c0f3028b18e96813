// SPDX-License-Identifier: ISC
/* ledger.c - the reports folder read as the record of standing changes. */
#include "ledger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/compat.h"
#include "util/mem.h"
#include "util/text.h"

/* A report of the folder while the ledger is worked out. */
struct item {
	char *path;
	cm_stat_t st;         /* of the report file: its last write */
	struct report *rep;
	int *owned;           /* per setting of rep; NULL: owns nothing */
	int interrupted;
};

const char *
ledger_basename(const char *path)
{
	const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');

	if (b != NULL && (a == NULL || b > a))
		a = b;
	return a != NULL ? a + 1 : path;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

static int
skip(struct ledger *lg, size_t *cap, const char *msg)
{
	char **p, *m;

	if ((m = text_strdup(msg)) == NULL)
		return -1;
	if ((p = mem_grow(lg->skipped, cap, lg->nskipped + 1,
	    sizeof(*p))) == NULL) {
		free(m);
		return -1;
	}
	lg->skipped = p;
	lg->skipped[lg->nskipped++] = m;
	return 0;
}

static int
by_start(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	/* Milliseconds where both reports have them: runs of one machine
	 * follow each other, often within one second. */
	if (x->rep->started_ms != 0 && y->rep->started_ms != 0 &&
	    x->rep->started_ms != y->rep->started_ms)
		return x->rep->started_ms < y->rep->started_ms ? -1 : 1;
	if (x->rep->started != y->rep->started)
		return x->rep->started < y->rep->started ? -1 : 1;
	/* Same second: the run that wrote its final report last finished
	 * last; runs of one machine do not overlap (one holds the lock). */
	if (x->rep->finished != y->rep->finished)
		return x->rep->finished < y->rep->finished ? -1 : 1;
#if defined(__linux__)
	if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec)
		return x->st.st_mtim.tv_sec < y->st.st_mtim.tv_sec ? -1 : 1;
	if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec)
		return x->st.st_mtim.tv_nsec < y->st.st_mtim.tv_nsec ? -1 : 1;
#endif
	return strcmp(ledger_basename(x->path), ledger_basename(y->path));
}

/* The reports of this backend in dir, in the order they started. */
static int
read_items(const char *dir, const char *spec, struct ledger *lg,
    struct item **out, size_t *nout, struct cm_err *err)
{
	struct item *items = NULL, *p;
	struct cm_dir *d;
	struct cm_err e;
	size_t n = 0, cap = 0, skipcap = 0;
	const char *name;

	*out = NULL;
	*nout = 0;
	/* cm_opendir: UTF-8 names on Windows too. */
	if ((d = cm_opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return cm_err_set(err, CM_ERR_SYSTEM, errno, "%s: cannot "
		    "read the reports folder: %s", dir, strerror(errno));
	}
	while ((name = cm_readdir(d)) != NULL) {
		struct report *rep;
		char *path;

		if (!ends_with(name, ".json"))
			continue;
		if ((path = text_path_join(dir, name)) == NULL)
			goto nomem;
		if (report_load(path, &rep, &e) != 0) {
			free(path);
			if (skip(lg, &skipcap, e.msg) != 0)
				goto nomem;
			continue;
		}
		if (strcmp(rep->backend, spec) != 0 || rep->dry_run) {
			report_free(rep);
			free(path);
			continue;
		}
		if ((p = mem_grow(items, &cap, n + 1, sizeof(*p))) == NULL) {
			report_free(rep);
			free(path);
			goto nomem;
		}
		items = p;
		memset(&items[n], 0, sizeof(items[n]));
		if (cm_stat(path, &items[n].st) != 0)
			memset(&items[n].st, 0, sizeof(items[n].st));
		items[n].path = path;
		items[n++].rep = rep;
	}
	cm_closedir(d);
	if (n > 1)
		qsort(items, n, sizeof(*items), by_start);
	*out = items;
	*nout = n;
	return 0;
nomem:
	cm_closedir(d);
	*out = items;
	*nout = n;
	return cm_err_nomem(err);
}

static int
same_setting(const struct report_setting *a, const struct report_setting *b)
{
	return a->view == b->view && text_casecmp(a->key, b->key) == 0 &&
	    text_casecmp(a->value, b->value) == 0;
}

static int
changes(const struct report_setting *s)
{
	return strcmp(s->action, "none") != 0;
}

/* Item k, a finished run, takes over the settings it changed from every
 * earlier item, and a revert releases the report it names. */
static void
supersede(struct item *items, size_t k)
{
	const struct report *r = items[k].rep;
	size_t j, i, m;

	for (j = 0; j < k; j++) {
		struct item *it = &items[j];

		if (it->interrupted && strcmp(r->outcome, "in_progress") != 0)
			it->interrupted = 0;
		if (it->owned == NULL)
			continue;
		if (r->reverts != NULL && strcmp(ledger_basename(r->reverts),
		    ledger_basename(it->path)) == 0 &&
		    (strcmp(r->outcome, "changed") == 0 ||
		    strcmp(r->outcome, "unchanged") == 0)) {
			memset(it->owned, 0, it->rep->nsettings * sizeof(int));
			continue;
		}
		if (strcmp(r->outcome, "changed") != 0)
			continue;
		for (i = 0; i < r->nsettings; i++)
			for (m = 0; changes(&r->settings[i]) &&
			    m < it->rep->nsettings; m++)
				if (same_setting(&r->settings[i],
				    &it->rep->settings[m]))
					it->owned[m] = 0;
	}
}

/* Moves item it into a new entry of list (with its owned settings). */
static int
add_entry(struct ledger_entry **list, size_t *n, size_t *cap,
    struct item *it)
{
	struct ledger_entry *p, *e;
	size_t i, k = 0;

	if ((p = mem_grow(*list, cap, *n + 1, sizeof(*p))) == NULL)
		return -1;
	*list = p;
	e = &p[*n];
	memset(e, 0, sizeof(*e));
	for (i = 0; it->owned != NULL && i < it->rep->nsettings; i++)
		k += it->owned[i] != 0;
	if (k > 0 && (e->settings = calloc(k, sizeof(*e->settings))) == NULL)
		return -1;
	for (i = 0; it->owned != NULL && i < it->rep->nsettings; i++)
		if (it->owned[i])
			e->settings[e->nsettings++].index = i;
	e->path = it->path;
	e->rep = it->rep;
	it->path = NULL;
	it->rep = NULL;
	(*n)++;
	return 0;
}

int
ledger_load(const char *dir, const char *spec, struct ledger *lg,
    struct cm_err *err)
{
	struct item *items;
	size_t n, k, i, acap = 0, icap = 0;
	int rc = 0;

	memset(lg, 0, sizeof(*lg));
	if (read_items(dir, spec, lg, &items, &n, err) != 0)
		rc = -1;
	for (k = 0; rc == 0 && k < n; k++) {
		const struct report *r = items[k].rep;

		supersede(items, k);
		if (strcmp(r->outcome, "in_progress") == 0)
			items[k].interrupted = 1;
		else if (strcmp(r->outcome, "changed") == 0 &&
		    (strcmp(r->command, "apply") == 0 ||
		    strcmp(r->command, "toggle") == 0)) {
			if (r->nsettings > 0 && (items[k].owned = calloc(
			    r->nsettings, sizeof(int))) == NULL)
				rc = cm_err_nomem(err);
			for (i = 0; rc == 0 && i < r->nsettings; i++)
				items[k].owned[i] = changes(&r->settings[i]);
		}
	}
	for (k = 0; rc == 0 && k < n; k++) {
		int any = 0;

		for (i = 0; items[k].owned && i < items[k].rep->nsettings; i++)
			any |= items[k].owned[i];
		if ((any && add_entry(&lg->active, &lg->nactive, &acap,
		    &items[k]) != 0) || (items[k].interrupted &&
		    add_entry(&lg->interrupted, &lg->ninterrupted, &icap,
		    &items[k]) != 0))
			rc = cm_err_nomem(err);
	}
	for (k = 0; k < n; k++) {
		free(items[k].path);
		report_free(items[k].rep);
		free(items[k].owned);
	}
	free(items);
	if (rc != 0)
		ledger_free(lg);
	return rc;
}

static int
same_value(const struct report_value *a, const struct report_value *b)
{
	return a->known && b->known && a->exists == b->exists &&
	    (!a->exists || regval_equal(&a->value, &b->value));
}

int
ledger_observe(struct backend *b, struct ledger *lg, struct cm_err *err)
{
	size_t k, i;

	for (k = 0; k < lg->nactive; k++) {
		struct ledger_entry *e = &lg->active[k];

		for (i = 0; i < e->nsettings; i++) {
			struct ledger_setting *ls = &e->settings[i];
			const struct report_setting *s =
			    &e->rep->settings[ls->index];
			struct regval v = { 0, 0, NULL, 0 };
			struct cm_err re;
			int exists = 0;

			regval_free(&ls->current.value);
			memset(&ls->current, 0, sizeof(ls->current));
			if (b->ops->read_value(b, s->key, s->value, s->view,
			    &exists, &v, &re) == 0) {
				ls->current.known = 1;
				ls->current.exists = exists;
				if (exists && regval_copy(&ls->current.value,
				    &v) != 0) {
					regval_free(&v);
					return cm_err_nomem(err);
				}
			}
			regval_free(&v);
			ls->drifted = !same_value(&ls->current, &s->after);
		}
	}
	return 0;
}

static void
entries_free(struct ledger_entry *list, size_t n)
{
	size_t k, i;

	for (k = 0; k < n; k++) {
		for (i = 0; i < list[k].nsettings; i++)
			regval_free(&list[k].settings[i].current.value);
		free(list[k].settings);
		free(list[k].path);
		report_free(list[k].rep);
	}
	free(list);
}

void
ledger_free(struct ledger *lg)
{
	size_t i;

	entries_free(lg->active, lg->nactive);
	entries_free(lg->interrupted, lg->ninterrupted);
	for (i = 0; i < lg->nskipped; i++)
		free(lg->skipped[i]);
	free(lg->skipped);
	memset(lg, 0, sizeof(*lg));
}
