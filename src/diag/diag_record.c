// SPDX-License-Identifier: ISC
/* diag_record.c - what the parsers share: the per-file record of
 * problems, string search, ConfigMgr and IIS time stamps. */
/* memmem, where the C library has it (glibc): diag_find below. */
#define _GNU_SOURCE
#include "diag_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/utctime.h"

static const char ROTATION_MARKER[] =
    "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>";

const char *
diag_format_name(enum diag_format f)
{
	switch (f) {
	case DIAG_FMT_UNREADABLE: return "unreadable";
	case DIAG_FMT_EMPTY:      return "empty";
	case DIAG_FMT_BINARY:     return "binary";
	case DIAG_FMT_UNKNOWN:    return "unknown";
	case DIAG_FMT_CMTRACE:    return "cmtrace";
	case DIAG_FMT_LEGACY:     return "legacy";
	case DIAG_FMT_IIS:        return "iis";
	case DIAG_FMT_NONE:       return "none";
	}
	return "unknown";
}

struct diag_file *
diag_file_new(const char *path)
{
	struct diag_file *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	if ((f->path = strdup(path)) == NULL) {
		free(f);
		return NULL;
	}
	f->fmt = DIAG_FMT_UNREADABLE;
	return f;
}

void
diag_file_free(struct diag_file *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < DIAG_FILE_ERRS_MAX; i++)
		free(f->errs[i]);
	free(f->path);
	free(f);
}

void
diag_file_error(struct diag_file *f, long line, const char *fmt, ...)
{
	struct strbuf b = { 0 };
	va_list ap;

	if (f->nerrs++ >= DIAG_FILE_ERRS_MAX)
		return;
	if (line > 0)
		strbuf_printf(&b, "%s:%ld: ", f->path, line);
	else
		strbuf_printf(&b, "%s: ", f->path);
	va_start(ap, fmt);
	strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.failed) {
		f->nomem = 1;
		strbuf_free(&b);
	} else {
		f->errs[f->nerrs - 1] = b.s;
	}
}

const char *
diag_find(const char *h, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0)
		return h;
	if (hn < nn)
		return NULL;
#ifdef __GLIBC__
	/* The library's search skips ahead by what it has seen; the loop
	 * below (Windows) stops at every first byte. */
	return memmem(h, hn, needle, nn);
#else
	{
		const char *p, *e = h + hn - nn + 1;

		for (p = h; p < e; p++) {
			p = memchr(p, needle[0], (size_t)(e - p));
			if (p == NULL)
				return NULL;
			if (memcmp(p, needle, nn) == 0)
				return p;
		}
		return NULL;
	}
#endif
}

int
diag_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

int
diag_rotation_marker(const char *s, size_t n)
{
	size_t ml = sizeof(ROTATION_MARKER) - 1;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == ml && memcmp(s, ROTATION_MARKER, ml) == 0;
}

int
diag_append(char *dst, size_t *used, size_t room, const char *src, size_t n)
{
	int cut = 0;

	if (n > room - *used) {
		n = room - *used;
		cut = 1;
	}
	memcpy(dst + *used, src, n);
	*used += n;
	return cut;
}

/* Reads min..max digits from [*p, e). */
static int
num(const char **p, const char *e, int min, int max, long *out)
{
	long v = 0;
	int n = 0;

	while (*p < e && n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n >= min ? 0 : -1;
}

int
diag_cm_time(const char *date, size_t datelen, const char *tm, size_t tmlen,
    time_t *utc)
{
	const char *p = date, *e = date + datelen;
	long mo, d, y, h, mi, s, bias = 0, frac;
	int neg;

	if (num(&p, e, 1, 2, &mo) || p == e || *p++ != '-' ||
	    num(&p, e, 1, 2, &d) || p == e || *p++ != '-' ||
	    num(&p, e, 4, 4, &y) || p != e)
		return -1;
	p = tm;
	e = tm + tmlen;
	if (num(&p, e, 1, 2, &h) || p == e || *p++ != ':' ||
	    num(&p, e, 1, 2, &mi) || p == e || *p++ != ':' ||
	    num(&p, e, 1, 2, &s))
		return -1;
	if (p < e && *p == '.') {
		p++;
		if (num(&p, e, 1, 9, &frac))
			return -1;
	}
	if (p < e && (*p == '+' || *p == '-')) {
		neg = *p++ == '-';
		if (num(&p, e, 1, 4, &bias))
			return -1;
		if (neg)
			bias = -bias;
	}
	if (p != e)
		return -1;
	return utc_from_local((int)y, (int)mo, (int)d, (int)h, (int)mi, (int)s,
	    bias, utc);
}

int
diag_iis_time(const struct diag_iis_rec *r, time_t *utc)
{
	const char *d = r->date, *t = r->time;
	int v[6], i, k;
	static const int at[6] = { 0, 5, 8, 0, 3, 6 };
	static const int len[6] = { 4, 2, 2, 2, 2, 2 };

	if (r->datelen != 10 || r->timelen != 8 || d[4] != '-' ||
	    d[7] != '-' || t[2] != ':' || t[5] != ':')
		return -1;
	for (i = 0; i < 6; i++) {
		const char *p = (i < 3 ? d : t) + at[i];
		v[i] = 0;
		for (k = 0; k < len[i]; k++) {
			if (p[k] < '0' || p[k] > '9')
				return -1;
			v[i] = v[i] * 10 + (p[k] - '0');
		}
	}
	return utc_from_local(v[0], v[1], v[2], v[3], v[4], v[5], 0, utc);
}
