// SPDX-License-Identifier: ISC
/* backend.c - choosing a backend from its spec; helpers shared by all. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

const char *
svc_state_name(enum svc_state s)
{
	switch (s) {
	case SVC_STOPPED:          return "stopped";
	case SVC_START_PENDING:    return "start_pending";
	case SVC_STOP_PENDING:     return "stop_pending";
	case SVC_RUNNING:          return "running";
	case SVC_CONTINUE_PENDING: return "continue_pending";
	case SVC_PAUSE_PENDING:    return "pause_pending";
	case SVC_PAUSED:           return "paused";
	default:                   return "unknown";
	}
}

static int
open_sim(const char *arg, struct backend **out, struct cm_err *err)
{
	return backend_sim_open(arg, out, err);
}

#ifdef _WIN32
static int
open_win32(const char *arg, struct backend **out, struct cm_err *err)
{
	(void)arg;
	return backend_win32_open(out, err);
}
#endif

/* The backends, by name (as curl's available_backends[]): adding one is
 * one line here.  A spec is NAME, or NAME:ARG for a backend that takes an
 * argument.  One that this build lacks has no open function and says
 * which builds have it. */
static const struct backend_entry {
	const char *name;
	const char *arg;      /* what follows "NAME:", or NULL: takes none */
	int (*open)(const char *arg, struct backend **out,
	    struct cm_err *err);
	const char *builds;   /* open == NULL: the builds that have it */
} available_backends[] = {
	{ "sim", "DIR", open_sim, NULL },
#ifdef _WIN32
	{ "win32", NULL, open_win32, NULL },
#else
	{ "win32", NULL, NULL, "Windows builds (and the Wine build)" },
#endif
};

#define NBACKENDS (sizeof(available_backends) / sizeof(available_backends[0]))

/* "sim:DIR, win32": the specs this build accepts, for messages. */
static void
spec_list(struct strbuf *b)
{
	const struct backend_entry *e;
	size_t i;

	for (i = 0; i < NBACKENDS; i++) {
		e = &available_backends[i];
		if (e->open == NULL)
			continue;
		strbuf_printf(b, "%s%s%s%s", b->len == 0 ? "" : ", ",
		    e->name, e->arg != NULL ? ":" : "",
		    e->arg != NULL ? e->arg : "");
	}
}

/* backend_open with the list of what exists for its messages. */
static int
open_spec(const char *spec, const char *list, struct backend **out,
    struct cm_err *err)
{
	const struct backend_entry *e;
	size_t i, n;

	if (spec == NULL || *spec == '\0') {
#ifdef _WIN32
		spec = "win32";
#else
		spec = getenv("CMREMEDY_BACKEND");
		if (spec == NULL || *spec == '\0')
			return cm_err_set(err, CM_ERR_USAGE, 0,
			    "no backend: pass --backend %s (or set "
			    "CMREMEDY_BACKEND); the win32 backend exists only "
			    "in Windows builds", list);
#endif
	}
	n = strcspn(spec, ":");
	for (i = 0; i < NBACKENDS; i++) {
		e = &available_backends[i];
		if (strlen(e->name) != n || strncmp(spec, e->name, n) != 0)
			continue;
		if (e->open == NULL)
			return cm_err_set(err, CM_ERR_USAGE, 0, "backend '%s' "
			    "exists only in %s; backends here: %s", e->name,
			    e->builds, list);
		if (e->arg == NULL && spec[n] != '\0')
			return cm_err_set(err, CM_ERR_USAGE, 0, "backend '%s' "
			    "takes no argument: --backend %s", spec, e->name);
		if (e->arg != NULL && (spec[n] == '\0' || spec[n + 1] == '\0'))
			return cm_err_set(err, CM_ERR_USAGE, 0, "backend '%s' "
			    "needs a %s: --backend %s:%s", spec, e->arg,
			    e->name, e->arg);
		return e->open(spec[n] != '\0' ? spec + n + 1 : "", out, err);
	}
	return cm_err_set(err, CM_ERR_USAGE, 0,
	    "unknown backend '%s': backends here: %s", spec, list);
}

int
backend_open(const char *spec, struct backend **out, struct cm_err *err)
{
	struct strbuf list = { 0 };
	int rc;

	*out = NULL;
	spec_list(&list);
	if (list.failed)
		return cm_err_nomem(err);
	rc = open_spec(spec, list.s != NULL ? list.s : "", out, err);
	strbuf_free(&list);
	return rc;
}

void
backend_close(struct backend *b)
{
	if (b == NULL)
		return;
	free(b->home);
	free(b->machine);
	b->home = b->machine = NULL;
	b->ops->close(b);
}

int
backend_may_change(struct backend *b, struct cm_err *err)
{
	return b->ops->may_change(b, err);
}

int
backend_elevation_check(unsigned long (*query)(void *ctx, int *elevated),
    void *ctx, struct cm_err *err)
{
	unsigned long e;
	int elevated = 0;

	if ((e = query(ctx, &elevated)) != 0)
		return cm_err_set(err, CM_ERR_SYSTEM, (long)e, "cannot tell "
		    "whether this process is elevated (its token query "
		    "failed with system error %lu): run cmremedy from an "
		    "elevated prompt", e);
	if (!elevated)
		return cm_err_set(err, CM_ERR_SYSTEM, 0, "changing the "
		    "registry and restarting services needs administrator "
		    "rights: run cmremedy from an elevated prompt (Run as "
		    "administrator); nothing was changed");
	return 0;
}

void
backend_free_names(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
