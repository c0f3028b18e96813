// SPDX-License-Identifier: ISC
/* fuzz_legacy.c - libFuzzer target: the legacy parser (format forced) and the
 * diagnose rules behind it. */
#include "fuzz_logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, DIAG_FMT_LEGACY, 0);
}
