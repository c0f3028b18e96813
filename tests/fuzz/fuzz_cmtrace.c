// SPDX-License-Identifier: ISC
/* fuzz_cmtrace.c - libFuzzer target: the cmtrace parser (format forced) and the
 * diagnose rules behind it. */
#include "fuzz_logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, DIAG_FMT_CMTRACE, 0);
}
