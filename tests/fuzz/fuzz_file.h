// SPDX-License-Identifier: ISC
/* fuzz_file.h - for targets whose reader takes a path, not bytes: a
 * private folder (on tmpfs where there is one, so that a run costs no
 * disk), made once and removed at exit, and the input written into a
 * file there each run. */
#ifndef CM_FUZZ_FILE_H
#define CM_FUZZ_FILE_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_FILES_MAX 4

static char fuzz_dir[4000];
static char fuzz_files[FUZZ_FILES_MAX][4096];
static size_t fuzz_nfiles;

static void
fuzz_dir_remove(void)
{
	size_t i;

	for (i = 0; i < fuzz_nfiles; i++)
		unlink(fuzz_files[i]);
	rmdir(fuzz_dir);
}

/* The folder, "BASE/cmremedy-fuzz-WHAT-XXXXXX"; aborts when it cannot be
 * made (nothing could be fuzzed). */
static const char *
fuzz_dir_get(const char *what)
{
	const char *base;

	if (fuzz_dir[0] != '\0')
		return fuzz_dir;
	base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/cmremedy-fuzz-%s-XXXXXX",
	    base, what);
	if (mkdtemp(fuzz_dir) == NULL) {
		perror(fuzz_dir);
		abort();
	}
	atexit(fuzz_dir_remove);
	return fuzz_dir;
}

/* The path of file name in the folder, remembered for removal. */
static const char *
fuzz_file_path(const char *what, const char *name)
{
	size_t i;

	for (i = 0; i < fuzz_nfiles; i++)
		if (strcmp(strrchr(fuzz_files[i], '/') + 1, name) == 0)
			return fuzz_files[i];
	if (fuzz_nfiles == FUZZ_FILES_MAX)
		abort();
	snprintf(fuzz_files[fuzz_nfiles], sizeof(fuzz_files[0]), "%s/%s",
	    fuzz_dir_get(what), name);
	return fuzz_files[fuzz_nfiles++];
}

/* Writes data as the whole of path; aborts on failure.  Written over the
 * old bytes and then cut to size, not emptied first (O_TRUNC): emptying
 * gives tmpfs's page back each run and takes a fresh one, which cost
 * the simsvc target a twentieth of its run. */
static void
fuzz_file_put(const char *path, const uint8_t *data, size_t size)
{
	int fd;
	ssize_t n = 0;

	if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) < 0 ||
	    (size > 0 && (n = write(fd, data, size)) != (ssize_t)size) ||
	    ftruncate(fd, (off_t)size) != 0) {
		perror(path);
		abort();
	}
	close(fd);
}

#endif
