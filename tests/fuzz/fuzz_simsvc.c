// SPDX-License-Identifier: ISC
/* fuzz_simsvc.c - libFuzzer target: the simulated SCM's services.ini
 * reader, and its write-back.  Every service the file names is queried
 * and asked for its dependents; the first one is stopped and started with
 * a zero timeout (so nothing sleeps), and the file must open again after
 * each (the sim writes it back).  The file lives on tmpfs where there is
 * one: the sim reads it by path on every call. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/simsvc.h"

#define NAMES_MAX 8
#define NAME_MAX_LEN 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[4096];

/* A private folder for the file: sys_write_atomic puts its temporary
 * copy beside it. */
static int
setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	char dir[4000];

	snprintf(dir, sizeof(dir), "%s/cmremedy-fuzz-simsvc-XXXXXX", base);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/services.ini", dir);
	return 0;
}

static void
cleanup(void)
{
	char *slash;

	unlink(path);
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		rmdir(path);
	}
}

static int
put_file(const uint8_t *data, size_t size)
{
	int fd;
	ssize_t n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return -1;
	n = write(fd, data, size);
	close(fd);
	return n == (ssize_t)size ? 0 : -1;
}

/* The section names of the input ("[NAME]" at the start of a line), as
 * candidates: the sim decides which of them are services. */
static size_t
section_names(const uint8_t *data, size_t size,
    char names[NAMES_MAX][NAME_MAX_LEN])
{
	size_t i = 0, n = 0, j;

	while (i < size && n < NAMES_MAX) {
		if (data[i] == '[') {
			for (j = i + 1; j < size && data[j] != ']' &&
			    data[j] != '\n' && j - i < NAME_MAX_LEN; j++)
				;
			if (j < size && data[j] == ']') {
				memcpy(names[n], data + i + 1, j - i - 1);
				names[n++][j - i - 1] = '\0';
			}
		}
		while (i < size && data[i] != '\n')
			i++;
		i++;
	}
	return n;
}

/* A file the sim itself wrote must be one it can read. */
static void
reopen_or_die(void)
{
	struct simsvc *s;
	struct cm_err err;

	if (simsvc_open(path, &s, &err) != 0) {
		fprintf(stderr, "simsvc wrote a file it cannot read: %s\n",
		    err.msg);
		abort();
	}
	simsvc_close(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char names[NAMES_MAX][NAME_MAX_LEN], **deps;
	struct simsvc *s;
	struct svc_status st;
	struct cm_err err;
	size_t n, i, nd;

	if (!ready) {
		if (setup() != 0)
			abort();
		atexit(cleanup);
		ready = 1;
	}
	if (put_file(data, size) != 0)
		abort();
	if (simsvc_open(path, &s, &err) != 0) {
		/* Every refusal names the file. */
		if (strncmp(err.msg, path, strlen(path)) != 0)
			abort();
		return 0;
	}
	n = section_names(data, size, names);
	for (i = 0; i < n; i++) {
		(void)simsvc_query(s, names[i], &st, &err);
		if (simsvc_dependents(s, names[i], &deps, &nd, &err) == 0)
			backend_free_names(deps, nd);
	}
	/* Whether it succeeded or not (a timeout leaves a pending state
	 * written), what is on disk must still be readable. */
	if (n > 0) {
		(void)simsvc_stop(s, names[0], 0, &st, &err);
		reopen_or_die();
		(void)simsvc_start(s, names[0], 0, &st, &err);
		reopen_or_die();
	}
	simsvc_close(s);
	return 0;
}
