// SPDX-License-Identifier: ISC
/* text.h - small text helpers shared by the parsers and printers: a
 * growable string, ASCII case-insensitive comparison (how the registry
 * and the Service Control Manager match names: ASCII letters fold, nothing
 * else does, whatever the locale), copies, hex digits and path joining. */
#ifndef CM_TEXT_H
#define CM_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

/*
 * A growable NUL-terminated string.  Start from all zeroes.  A failed
 * allocation sets `failed` and turns later appends into no-ops, so that a
 * printer can build a whole text and check once at the end.  s is NULL
 * until something was appended; the owner frees it (strbuf_free).
 */
struct strbuf {
	char *s;
	size_t len, cap;
	int failed;
};

void strbuf_put(struct strbuf *b, const void *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    CM_PRINTFLIKE(2, 3);
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
    CM_PRINTFLIKE(2, 0);

/* Appends the NULL-terminated list as "a, b or c" (one item alone, an
 * empty list nothing), each item between two quotes ("" for none): the
 * choices an error message offers, whole however many there are. */
void strbuf_choices(struct strbuf *b, const char *const *list,
    const char *quote);

/* Frees b->s and zeroes b. */
void strbuf_free(struct strbuf *b);

/* strcmp() with ASCII letters folded to lower case. */
int text_casecmp(const char *a, const char *b);

/* The same for at most n bytes. */
int text_ncasecmp(const char *a, const char *b, size_t n);

/* A malloc'd copy of s (the caller frees it).  NULL when s is NULL or
 * memory ran out: a caller whose s may be NULL tests s first. */
char *text_strdup(const char *s);

/* The value of the hex digit c (0-9, a-f, A-F), or -1 for anything else,
 * whatever the locale. */
int text_hexval(int c);

/* dir and name joined by '/', which every system we run on accepts; on
 * Windows by a backslash when dir has one, so that a folder typed as
 * C:\Logs gives C:\Logs\x.log, not a mix.  No separator is added after
 * an empty dir or one that already ends in '/' or a backslash (a Windows
 * folder as typed).  malloc'd, the caller frees it; NULL when memory ran
 * out. */
char *text_path_join(const char *dir, const char *name);

#endif
