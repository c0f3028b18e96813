// SPDX-License-Identifier: ISC
/* fuzz_profile.c - libFuzzer target: the INI profile parser (through
 * inih) and its validation. */
#include <stdint.h>

#include "core/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p = NULL;
	struct cm_err err;

	if (profile_parse("fuzz.ini", (const char *)data, size, &p, &err) ==
	    0)
		profile_free(p);
	return 0;
}
