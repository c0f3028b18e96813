// SPDX-License-Identifier: ISC
/* backend.c - choosing a backend from its spec; helpers shared by all. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

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

int
backend_open(const char *spec, struct backend **out, struct cm_err *err)
{
	*out = NULL;
	if (spec == NULL || *spec == '\0') {
#ifdef _WIN32
		spec = "win32";
#else
		spec = getenv("CMREMEDY_BACKEND");
		if (spec == NULL || *spec == '\0')
			return cm_err_set(err, CM_ERR_USAGE, 0,
			    "no backend: pass --backend sim:DIR (or set "
			    "CMREMEDY_BACKEND); the win32 backend exists only "
			    "in Windows builds");
#endif
	}
	if (strncmp(spec, "sim:", 4) == 0) {
		if (spec[4] == '\0')
			return cm_err_set(err, CM_ERR_USAGE, 0,
			    "backend 'sim:' needs a folder: --backend sim:DIR");
		return backend_sim_open(spec + 4, out, err);
	}
	if (strcmp(spec, "win32") == 0) {
#ifdef _WIN32
		return backend_win32_open(out, err);
#else
		return cm_err_set(err, CM_ERR_USAGE, 0,
		    "backend 'win32' exists only in Windows builds (and the "
		    "Wine build); use --backend sim:DIR here");
#endif
	}
	return cm_err_set(err, CM_ERR_USAGE, 0,
	    "unknown backend '%s': use sim:DIR or win32", spec);
}

void
backend_close(struct backend *b)
{
	if (b != NULL)
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
