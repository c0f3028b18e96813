// SPDX-License-Identifier: ISC
/* test_diag_iis_words.c - the IIS column splitter's portable word-at-a-
 * time version (the library uses SSE2 on x86-64), checked against a plain
 * byte loop on many strings.  Includes the source to reach the static
 * function; the library's copy of the file is then never linked in. */
#define DIAG_IIS_NO_SSE2 1
#include "diag/diag_iis.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

static size_t
naive(const char *s, size_t n, size_t *pos, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == ' ') {
			if (k < max)
				pos[k] = i;
			k++;
		}
	return k;
}

static void
test_words_match_bytes(void **state)
{
	/* Bytes near ' ' (0x20) and with the high bit set are where a
	 * wrong zero-byte trick would report false spaces. */
	static const char alphabet[] = { ' ', '!', 0x1f, 0x00, (char)0xa0,
	    (char)0xff, 'a', 0x21, 0x60 };
	char s[300];
	size_t a[MAXCOLS], b[MAXCOLS], n, i, ka, kb, round;
	unsigned long long x = 12345;
	(void)state;

	for (round = 0; round < 20000; round++) {
		n = round % sizeof(s);
		for (i = 0; i < n; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			s[i] = alphabet[(x >> 33) % sizeof(alphabet)];
		}
		ka = spaces(s, n, a, MAXCOLS);
		kb = naive(s, n, b, MAXCOLS);
		assert_int_equal(ka, kb);
		for (i = 0; i < ka && i < MAXCOLS; i++)
			assert_int_equal(a[i], b[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_match_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
