// SPDX-License-Identifier: ISC
/* diag_iis.c - the IIS W3C log parser: columns mapped from each #Fields:
 * line; the hot loop of `diagnose` on a busy management point. */
#include "diag_parser.h"
#include "util/utctime.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* More columns than IIS can log (it has about 20 fields). */
#define MAXCOLS 64

enum { C_DATE, C_TIME, C_STEM, C_CIP, C_STATUS, C_SUB, C_N };

struct iis {
	int col[C_N];            /* column of each wanted field, or -1 */
	size_t ncols;            /* columns the #Fields: line names; 0: none */
};

/* The space search looks at 16 bytes at a time with SSE2 (every x86-64
 * has it; 10% less CPU than words here), else 8 at a time in a 64-bit
 * word; both need ctz.  DIAG_IIS_NO_SSE2 lets a test reach the word
 * version on x86-64 too. */
#if defined(__GNUC__) && defined(__SSE2__) && !defined(DIAG_IIS_NO_SSE2)
#include <emmintrin.h>
#define IIS_SSE2 1
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IIS_SWAR 1
#endif

/* Records the space at i + the byte index of each set bit of m. */
#define IIS_BITS(m, ctz, shift) do {					\
	while ((m) != 0) {						\
		if (k < max)						\
			pos[k] = i + ((size_t)ctz(m) >> (shift));	\
		k++;							\
		(m) &= (m) - 1;						\
	}								\
} while (0)

/* Positions of the spaces in s[0, n): the first max go to pos[]; returns
 * how many there are.  In the word version a byte of w ^ 0x20.. is zero
 * exactly where w holds a space, and the expression sets the high bit of
 * exactly those bytes (no false positives from borrows). */
static size_t
spaces(const char *s, size_t n, size_t *pos, size_t max)
{
	size_t i = 0, k = 0;
#if defined(IIS_SSE2)
	const __m128i sp = _mm_set1_epi8(' ');

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp));
		IIS_BITS(m, __builtin_ctz, 0);
	}
#elif defined(IIS_SWAR)
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, x, y;

		memcpy(&w, s + i, 8);
		x = w ^ 0x2020202020202020ULL;
		y = ~(((x & lo7) + lo7) | x | lo7);
		IIS_BITS(y, __builtin_ctzll, 3);
	}
#endif
	for (; i < n; i++)
		if (s[i] == ' ') {
			if (k < max)
				pos[k] = i;
			k++;
		}
	return k;
}

static void
fields(struct iis *st, struct diag_file *f, long lineno, const char *l,
    size_t n)
{
	static const char *const want[C_N] = { "date", "time", "cs-uri-stem",
	    "c-ip", "sc-status", "sc-substatus" };
	const char *p = l + 8, *e = l + n, *w;
	size_t k = 0, i, wl;

	for (i = 0; i < C_N; i++)
		st->col[i] = -1;
	st->ncols = 0;
	while (p < e) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e)
			break;
		for (w = p; p < e && *p != ' ' && *p != '\t'; p++)
			;
		wl = (size_t)(p - w);
		for (i = 0; i < C_N && k < MAXCOLS; i++)
			if (strlen(want[i]) == wl &&
			    strncasecmp(want[i], w, wl) == 0)
				st->col[i] = (int)k;
		k++;
	}
	if (k > MAXCOLS) {
		diag_file_error(f, lineno, "#Fields: names %zu columns, more "
		    "than %d: records up to the next #Fields: are skipped",
		    k, MAXCOLS);
		return;
	}
	if (st->col[C_STATUS] < 0)
		diag_file_error(f, lineno, "#Fields: has no sc-status column: "
		    "status codes cannot be read");
	st->ncols = k;
}

/* Column c of the line whose spaces are at pos[0, nsp). */
static void
column(const char *l, size_t n, const size_t *pos, size_t nsp, int c,
    const char **v, size_t *vl)
{
	size_t a, b;

	if (c < 0) {
		*v = l;
		*vl = 0;
		return;
	}
	a = c == 0 ? 0 : pos[c - 1] + 1;
	b = (size_t)c < nsp ? pos[c] : n;
	*v = l + a;
	*vl = b - a;
}

/* A decimal of 1..5 digits, or -1. */
static int
number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void
record(struct iis *st, struct diag_file *f, const struct diag_sink *s,
    long lineno, const char *l, size_t n)
{
	size_t pos[MAXCOLS], nsp;
	struct diag_iis_rec rec;
	const char *v;
	size_t vl;

	nsp = spaces(l, n, pos, MAXCOLS);
	if (nsp + 1 != st->ncols) {
		diag_file_error(f, lineno, "record has %zu columns, #Fields: "
		    "names %zu: skipped", nsp + 1, st->ncols);
		return;
	}
	rec.text = l;
	rec.textlen = n;
	rec.line = lineno;
	column(l, n, pos, nsp, st->col[C_STEM], &rec.stem, &rec.stemlen);
	column(l, n, pos, nsp, st->col[C_CIP], &rec.cip, &rec.ciplen);
	column(l, n, pos, nsp, st->col[C_DATE], &rec.date, &rec.datelen);
	column(l, n, pos, nsp, st->col[C_TIME], &rec.time, &rec.timelen);
	column(l, n, pos, nsp, st->col[C_STATUS], &v, &vl);
	rec.status = number(v, vl);
	column(l, n, pos, nsp, st->col[C_SUB], &v, &vl);
	rec.substatus = number(v, vl);
	if (rec.status < 0 && st->col[C_STATUS] >= 0) {
		diag_file_error(f, lineno, "sc-status is not a number: "
		    "skipped");
		return;
	}
	f->records++;
	if (s->iis != NULL)
		s->iis(s->ctx, f, &rec);
}

static int
iis_parse(struct diag_reader *r, struct diag_file *f,
    const struct diag_sink *s)
{
	struct iis st;
	const char *l;
	size_t n;
	int rc;

	memset(&st, 0, sizeof(st));
	while ((rc = diag_reader_line(r, &l, &n)) == 1) {
		if (n == 0)
			continue;
		if (r->truncated) {
			diag_file_error(f, r->lineno, "line longer than %zu "
			    "bytes: skipped", r->cap);
			continue;
		}
		if (l[0] == '#') {
			if (n >= 8 && memcmp(l, "#Fields:", 8) == 0)
				fields(&st, f, r->lineno, l, n);
			continue;
		}
		if (st.ncols == 0) {
			diag_file_error(f, r->lineno, "record before any "
			    "usable #Fields: line: skipped");
			continue;
		}
		if (r->unterminated)
			diag_file_error(f, r->lineno, "last line has no line "
			    "end: the file may be truncated");
		record(&st, f, s, r->lineno, l, n);
	}
	return rc < 0 ? -1 : 0;
}

const struct diag_parser diag_iis_parser = { DIAG_FMT_IIS, iis_parse };
