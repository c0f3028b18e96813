// SPDX-License-Identifier: ISC
/* compat_posix.c - compat.h on POSIX systems: the plain calls. */
#include "compat.h"

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

FILE *
cm_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int
cm_open_read(const char *path)
{
	return open(path, O_RDONLY | O_NONBLOCK);
}

int
cm_stat(const char *path, cm_stat_t *st)
{
	return stat(path, st);
}

int
cm_lstat(const char *path, cm_stat_t *st)
{
	return lstat(path, st);
}

int
cm_remove(const char *path)
{
	return remove(path);
}

int
cm_mkdir(const char *path, int private)
{
	struct stat st;

	if (mkdir(path, private ? 0700 : 0755) == 0)
		return 0;
	if (private && errno == EEXIST && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return 0;
	return -1;
}

char *
cm_getenv(const char *name)
{
	const char *v = getenv(name);
	char *s;

	errno = 0;
	if (v == NULL)
		return NULL;
	if ((s = strdup(v)) == NULL)
		errno = ENOMEM;
	return s;
}

struct cm_dir {
	DIR *d;
};

struct cm_dir *
cm_opendir(const char *path)
{
	struct cm_dir *d;

	if ((d = malloc(sizeof(*d))) == NULL)
		return NULL;
	if ((d->d = opendir(path)) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

const char *
cm_readdir(struct cm_dir *d)
{
	struct dirent *de;

	while ((de = readdir(d->d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			return de->d_name;
	return NULL;
}

void
cm_closedir(struct cm_dir *d)
{
	if (d == NULL)
		return;
	closedir(d->d);
	free(d);
}
#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int compat_posix_unused;
#endif
