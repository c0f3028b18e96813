// SPDX-License-Identifier: ISC
/* fuzz_iis.c - libFuzzer target: the iis parser (format forced) and the
 * diagnose rules behind it. */
#include "fuzz_logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, DIAG_FMT_IIS, 0);
}
