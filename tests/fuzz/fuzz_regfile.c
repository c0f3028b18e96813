// SPDX-License-Identifier: ISC
/* fuzz_regfile.c - libFuzzer target: the .reg reader.  A file that
 * parses must serialise back to exactly its bytes (regfile.h: "a save
 * after no edits reproduces the input byte for byte"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reg/regfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct regfile *rf = NULL;
	struct cm_err err;
	unsigned char *out = NULL;
	size_t outlen = 0;

	if (regfile_parse("fuzz.reg", data, size, &rf, &err) != 0)
		return 0;
	if (regfile_serialize(rf, &out, &outlen, &err) == 0 &&
	    (outlen != size || memcmp(out, data, size) != 0))
		abort();
	free(out);
	regfile_free(rf);
	return 0;
}
