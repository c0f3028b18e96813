// SPDX-License-Identifier: ISC
/* utf.h - UTF-8 <-> UTF-16LE, strict.
 *
 * Used where the outside world speaks UTF-16: advapi32 and .reg files.
 * Invalid input (bad UTF-8, unpaired surrogates) is refused, never
 * replaced, so that nothing is silently altered; only utf8_clean replaces,
 * for text shown to people (JSON reports), never for data. */
#ifndef CM_UTF_H
#define CM_UTF_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates), else 0. */
int utf8_valid(const char *s, size_t len);

/* A copy of s[0, n) that is valid UTF-8: each byte that does not start a
 * well-formed character, and each NUL (jansson strings end at one), becomes
 * U+FFFD.  Caller frees; NULL on allocation failure. */
char *utf8_clean(const char *s, size_t n);

/* Converts len bytes of UTF-8 to UTF-16 code units (host order).  *out is
 * malloc'd, NUL-terminated, *outlen excludes the terminator.  Returns 0, or
 * -1 on invalid input or allocation failure. */
int utf8_to_utf16(const char *s, size_t len, uint16_t **out, size_t *outlen);

/* Converts n UTF-16 code units to UTF-8.  *out is malloc'd and
 * NUL-terminated; *outlen excludes the terminator.  An embedded U+0000 is
 * encoded as a NUL byte (callers split on it).  Returns 0, or -1 on an
 * unpaired surrogate or allocation failure. */
int utf16_to_utf8(const uint16_t *s, size_t n, char **out, size_t *outlen);

/* The same, reading little-endian bytes (nbytes must be even). */
int utf16le_to_utf8(const unsigned char *b, size_t nbytes, char **out,
    size_t *outlen);

/* UTF-8 to little-endian UTF-16 bytes, no terminator added. */
int utf8_to_utf16le(const char *s, size_t len, unsigned char **out,
    size_t *nbytes);

#endif
