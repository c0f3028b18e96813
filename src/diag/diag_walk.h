// SPDX-License-Identifier: ISC
/* diag_walk.h - the files that `diagnose PATH...` reads: each PATH that is
 * a file, and under each PATH that is a folder (recursively, symbolic
 * links to folders not followed) every *.log and *.lo_ file, IIS's
 * u_exYYMMDD.log among them, in name order. */
#ifndef CM_DIAG_WALK_H
#define CM_DIAG_WALK_H

#include <stddef.h>

#include "diag_logline.h"

/* Folders deeper than this below a PATH are not entered. */
#define DIAG_WALK_DEPTH 16

/* Called for each file to read (problem NULL), or for a path that yields
 * none: problem says why and fmt is DIAG_FMT_UNREADABLE (cannot be opened)
 * or DIAG_FMT_NONE (a folder without log files).  Returns 0, or -1 to
 * stop the walk. */
typedef int (*diag_walk_fn)(void *ctx, const char *path,
    enum diag_format fmt, const char *problem);

/* Walks paths[0, n) in order.  Returns 0, or -1 if fn stopped the walk or
 * memory ran out (*nomem set). */
int diag_walk(const char *const *paths, size_t n, diag_walk_fn fn,
    void *ctx, int *nomem);

/* 1 if name ends in .log or .lo_ (any case). */
int diag_walk_is_log(const char *name);

#endif
