// SPDX-License-Identifier: ISC
/* fuzz_time.c - libFuzzer target: --since parsing and the ConfigMgr
 * date/time grammar; a parsed time must format and parse back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/diag_record.h"
#include "util/utctime.h"
#include "diag/diagnose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, back[UTC_STRLEN];
	const char *sp;
	time_t t, t2;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (diag_parse_time(s, &t) == 0) {
		utc_format(t, back);
		if (diag_parse_time(back, &t2) != 0 || t2 != t)
			abort();
	}
	/* "DATE TIME" split at the first space, as the legacy format has. */
	if ((sp = memchr(data, ' ', size)) != NULL)
		(void)diag_cm_time((const char *)data,
		    (size_t)(sp - (const char *)data), sp + 1,
		    size - (size_t)(sp - (const char *)data) - 1, &t);
	free(s);
	return 0;
}
