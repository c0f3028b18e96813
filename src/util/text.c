// SPDX-License-Identifier: ISC
/* text.c - a growable string, ASCII case folding, copies, hex digits and
 * path joining. */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* Makes room for n more bytes and the terminator. */
static int
strbuf_grow(struct strbuf *b, size_t n)
{
	char *ns;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - b->len - 1 ||
	    (ns = mem_grow(b->s, &b->cap, b->len + n + 1, 1)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->s = ns;
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
strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	if (b->failed)
		return;
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0 || strbuf_grow(b, (size_t)n) != 0) {
		b->failed = 1;
		va_end(again);
		return;
	}
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
strbuf_choices(struct strbuf *b, const char *const *list, const char *quote)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		strbuf_printf(b, "%s%s%s%s", i == 0 ? "" :
		    list[i + 1] == NULL ? " or " : ", ", quote, list[i], quote);
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

char *
text_strdup(const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if ((d = malloc(n)) != NULL)
		memcpy(d, s, n);
	return d;
}

int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
text_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int sep = dl > 0 && dir[dl - 1] != '/' && dir[dl - 1] != '\\';
	struct strbuf b = { NULL, 0, 0, 0 };

	strbuf_put(&b, dir, dl);
#ifdef _WIN32
	if (sep)
		strbuf_puts(&b, strchr(dir, '\\') != NULL ? "\\" : "/");
#else
	if (sep)
		strbuf_puts(&b, "/");
#endif
	strbuf_puts(&b, name);
	if (b.failed || b.s == NULL) {
		strbuf_free(&b);
		return NULL;
	}
	return b.s;
}
