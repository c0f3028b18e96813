// SPDX-License-Identifier: ISC
/* fuzz_simsvc.c - libFuzzer target: the simulated SCM's services.ini
 * reader, and its write-back.  Every service the file names is queried
 * and asked for its dependents; the first one is stopped and started with
 * a zero timeout (so nothing sleeps), and the file must open again after
 * each (the sim writes it back).  The file lives on tmpfs where there is
 * one (fuzz_file.h): the sim reads it by path on every call, and
 * sys_write_atomic puts its temporary copy beside it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/simsvc.h"
#include "fuzz_file.h"

#define NAMES_MAX 8
#define NAME_MAX_LEN 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *path;

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
	char names[NAMES_MAX][NAME_MAX_LEN], **deps;
	struct simsvc *s;
	struct svc_status st;
	struct cm_err err;
	size_t n, i, nd;

	if (path == NULL)
		path = fuzz_file_path("simsvc", "services.ini");
	fuzz_file_put(path, data, size);
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
