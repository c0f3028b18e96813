// SPDX-License-Identifier: ISC
/* fuzz_detect.c - libFuzzer target: format detection from content, the
 * parser it picks, the rules, and both report renderings. */
#include "fuzz_logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, DIAG_FMT_UNREADABLE, 1);
}
