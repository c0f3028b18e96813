// SPDX-License-Identifier: ISC
/* regval.h - a registry value: its type and its data, decoded.
 *
 * One representation serves every layer (profile, planner, backends,
 * report): numbers as integers, strings as UTF-8.  Backends convert at
 * their boundary (UTF-16LE for advapi32 and for hex(2)/hex(7) in .reg
 * files).  Type numbers are the Windows REG_* numbers. */
#ifndef CM_REGVAL_H
#define CM_REGVAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum regtype {
	REGT_NONE = 0,
	REGT_SZ = 1,
	REGT_EXPAND_SZ = 2,
	REGT_BINARY = 3,
	REGT_DWORD = 4,
	REGT_DWORD_BE = 5,
	REGT_LINK = 6,
	REGT_MULTI_SZ = 7,
	REGT_QWORD = 11
};

/* Registry views of HKLM\SOFTWARE (KEY_WOW64_64KEY / KEY_WOW64_32KEY). */
enum regview { REGVIEW_64 = 64, REGVIEW_32 = 32 };

/*
 * data/len by type:
 *   REGT_DWORD, REGT_QWORD   num holds the value; data is NULL, len 0.
 *                            A DWORD never exceeds 0xFFFFFFFF.
 *   REGT_SZ, REGT_EXPAND_SZ  data is a NUL-terminated UTF-8 string with no
 *                            embedded NUL; len = strlen + 1.  EXPAND_SZ is
 *                            raw, never expanded.
 *   REGT_MULTI_SZ            data holds each UTF-8 string NUL-terminated,
 *                            then one more NUL: "a\0b\0\0" (len 5).  The
 *                            empty list is "\0" (len 1).  No element is
 *                            empty (Windows cannot store one).
 *   anything else            data holds len raw bytes (may be NULL if 0).
 * The struct owns data.  A zeroed struct is a valid empty REG_NONE.
 */
struct regval {
	uint32_t type;
	uint64_t num;
	unsigned char *data;
	size_t len;
};

/* "REG_DWORD" etc. for the types above; NULL for other numbers. */
const char *regtype_name(uint32_t type);

/* Parses one of the six profile types (REG_DWORD, REG_QWORD, REG_SZ,
 * REG_EXPAND_SZ, REG_MULTI_SZ, REG_BINARY), case-sensitive as Windows
 * writes them.  Returns 0 and sets *type, or -1 if unknown. */
int regtype_parse(const char *name, uint32_t *type);

/* Releases v->data and zeroes v.  NULL is a no-op. */
void regval_free(struct regval *v);

/* Deep copy; dst is overwritten (not freed first).  Returns 0, or -1 on
 * allocation failure with dst zeroed. */
int regval_copy(struct regval *dst, const struct regval *src);

/* 1 if a and b have the same type and data, else 0. */
int regval_equal(const struct regval *a, const struct regval *b);

/*
 * Parses profile text into a value of the given type:
 *   DWORD   decimal or 0x hex, 0 .. 0xFFFFFFFF; no sign, no junk
 *   QWORD   decimal or 0x hex, 0 .. 0xFFFFFFFFFFFFFFFF
 *   SZ, EXPAND_SZ  the text as is (must be valid UTF-8)
 *   MULTI_SZ  elements separated by the two characters \0 (as reg.exe
 *           add /d takes them); \\ is one backslash; empty text is the
 *           empty list; an empty element is refused
 *   BINARY  hex byte pairs, optionally separated by ',' or spaces
 * Returns 0, or -1 with err filled: CM_ERR_INPUT with a short reason
 * ("'5000000000' is above 0xFFFFFFFF") that the caller puts after its own
 * file and line, or CM_ERR_NOMEM.
 */
int regval_parse(struct regval *out, uint32_t type, const char *text,
    struct cm_err *err);

/* Builders. Each returns 0, or -1 on allocation failure / invalid input
 * (strings must be valid UTF-8 without NUL). */
int regval_set_number(struct regval *out, uint32_t type, uint64_t num);
int regval_set_string(struct regval *out, uint32_t type, const char *s);
int regval_set_multi(struct regval *out, const char *const *items, size_t n);
/* REG_MULTI_SZ data as a registry holds it, already UTF-8: s[0, n) is the
 * strings, each ended by a NUL.  Any number of NULs may trail (writers
 * leave none, one, two or more; an empty string ends the list), so "a",
 * "a\0b\0\0\0" and "\0\0" all decode; an empty string before the last
 * one ("a\0\0b") or text that is not UTF-8 is malformed.  Returns 0, or -1
 * with err: CM_ERR_INPUT with a short reason the caller puts after its own
 * place, or CM_ERR_NOMEM. */
int regval_set_multi_data(struct regval *out, const char *s, size_t n,
    struct cm_err *err);
int regval_set_bytes(struct regval *out, uint32_t type,
    const unsigned char *bytes, size_t len);

/* Number of strings in a MULTI_SZ, and iteration:
 *   for (p = regval_multi_first(v); p; p = regval_multi_next(v, p)) */
size_t regval_multi_count(const struct regval *v);
const char *regval_multi_first(const struct regval *v);
const char *regval_multi_next(const struct regval *v, const char *p);

/* A one-line human rendering: 1 (0x00000001), "text", ["a", "b"],
 * hex "0a0b".  Caller frees.  NULL on allocation failure. */
char *regval_format(const struct regval *v);

/* Lowercase hex of len bytes; caller frees; NULL on allocation failure. */
char *regval_hex(const unsigned char *bytes, size_t len);

#endif
