// SPDX-License-Identifier: ISC
/* text.c - a growable string and ASCII case-insensitive comparison. */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes and the terminator. */
static int
strbuf_grow(struct strbuf *b, size_t n)
{
	char *ns;
	size_t cap;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX / 2 - b->len - 1) {
		b->failed = 1;
		return -1;
	}
	if (b->s != NULL && b->len + n + 1 <= b->cap)
		return 0;
	cap = (b->len + n + 1) * 2;
	if ((ns = realloc(b->s, cap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->s = ns;
	b->cap = cap;
	return 0;
}

void
strbuf_put(struct strbuf *b, const void *s, size_t n)
{
	if (strbuf_grow(b, n) != 0)
		return;
	if (n > 0)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_put(b, s, strlen(s));
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (strbuf_grow(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
strbuf_free(struct strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int
text_casecmp(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = fold((unsigned char)*a++);
		cb = fold((unsigned char)*b++);
	} while (ca == cb && ca != '\0');
	return ca - cb;
}

int
text_ncasecmp(const char *a, const char *b, size_t n)
{
	int ca = 0, cb = 0;

	for (; n > 0; n--) {
		ca = fold((unsigned char)*a++);
		cb = fold((unsigned char)*b++);
		if (ca != cb || ca == '\0')
			break;
	}
	return ca - cb;
}
