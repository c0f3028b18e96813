// SPDX-License-Identifier: ISC
/* diag_walk.c - expanding folders into the log files they hold. */
#include "diag_walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/compat.h"
#include "util/mem.h"
#include "util/text.h"

/* Windows (mingw) has no symbolic links in stat(). */
#ifndef S_ISLNK
#define S_ISLNK(m) 0
#endif

struct names {
	char **v;
	size_t n, cap;
};

static void
names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
names_add(struct names *l, char *s)
{
	char **nv;

	if ((nv = mem_grow(l->v, &l->cap, l->n + 1, sizeof(*nv))) == NULL) {
		free(s);
		return -1;
	}
	l->v = nv;
	l->v[l->n++] = s;
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
diag_walk_is_log(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && (strcasecmp(name + n - 4, ".log") == 0 ||
	    strcasecmp(name + n - 4, ".lo_") == 0);
}


/* Lists dir into files and subfolders; 0, -1 (errno) or -2 (memory). */
static int
list(const char *dir, struct names *files, struct names *dirs)
{
	const char *name;
	struct cm_dir *d;
	cm_stat_t st;
	char *p;
	int rc = 0;

	if ((d = cm_opendir(dir)) == NULL)
		return -1;
	while (rc == 0 && (name = cm_readdir(d)) != NULL) {
		if ((p = text_path_join(dir, name)) == NULL) {
			rc = -2;
			break;
		}
		if (cm_lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = names_add(dirs, p) < 0 ? -2 : 0;
		else if (diag_walk_is_log(name) &&
		    (cm_lstat(p, &st) != 0 || S_ISREG(st.st_mode) ||
		    S_ISLNK(st.st_mode)))
			rc = names_add(files, p) < 0 ? -2 : 0;
		else
			free(p);
	}
	cm_closedir(d);
	return rc;
}

static int
walk_dir(const char *dir, int depth, diag_walk_fn fn, void *ctx,
    int *nomem, size_t *found)
{
	struct names files = { 0 }, dirs = { 0 };
	char why[512];
	size_t i;
	int rc;

	if ((rc = list(dir, &files, &dirs)) == -1) {
		snprintf(why, sizeof(why), "cannot read folder: %s",
		    strerror(errno));
		rc = fn(ctx, dir, DIAG_FMT_UNREADABLE, why);
		goto out;
	}
	if (rc == -2) {
		*nomem = 1;
		goto out;
	}
	if (files.n > 1)
		qsort(files.v, files.n, sizeof(*files.v), cmp);
	if (dirs.n > 1)
		qsort(dirs.v, dirs.n, sizeof(*dirs.v), cmp);
	for (i = 0; rc == 0 && i < files.n; i++) {
		(*found)++;
		rc = fn(ctx, files.v[i], DIAG_FMT_UNREADABLE, NULL);
	}
	for (i = 0; rc == 0 && i < dirs.n && depth < DIAG_WALK_DEPTH; i++)
		rc = walk_dir(dirs.v[i], depth + 1, fn, ctx, nomem, found);
out:
	names_free(&files);
	names_free(&dirs);
	return rc;
}

int
diag_walk(const char *const *paths, size_t n, diag_walk_fn fn, void *ctx,
    int *nomem)
{
	cm_stat_t st;
	char why[512];
	size_t i, found;
	int rc = 0;

	*nomem = 0;
	for (i = 0; rc == 0 && i < n; i++) {
		if (cm_stat(paths[i], &st) != 0) {
			snprintf(why, sizeof(why), "cannot open: %s",
			    strerror(errno));
			rc = fn(ctx, paths[i], DIAG_FMT_UNREADABLE, why);
		} else if (S_ISDIR(st.st_mode)) {
			found = 0;
			rc = walk_dir(paths[i], 0, fn, ctx, nomem, &found);
			if (rc == 0 && !*nomem && found == 0)
				rc = fn(ctx, paths[i], DIAG_FMT_NONE,
				    "no *.log, *.lo_ or u_ex*.log files in "
				    "this folder");
		} else {
			rc = fn(ctx, paths[i], DIAG_FMT_UNREADABLE, NULL);
		}
		if (*nomem)
			rc = -1;
	}
	return rc;
}
