// SPDX-License-Identifier: ISC
/* regfile.h - regedit .reg files: read, edit in place, write back.
 *
 * Reads "Windows Registry Editor Version 5.00" (UTF-16LE with BOM, as
 * regedit and reg export write it, or UTF-8 with or without BOM) and
 * REGEDIT4.  Everything the caller does not change is written back exactly
 * as it was read: the text of untouched lines (comments, escapes,
 * continuation lines, blank lines, empty keys) is kept verbatim, so a save
 * after no edits reproduces the input byte for byte.  Saving keeps the
 * encoding and line ends that were read.
 *
 * Key paths in this API are canonical ("HKLM\\SOFTWARE\\X", see
 * profile_canon_key); in the file they appear as HKEY_LOCAL_MACHINE\...
 * Matching of key and value names is case-insensitive (ASCII), as the
 * registry's.  Value name "" is the default value, written @.
 */
#ifndef CM_REGFILE_H
#define CM_REGFILE_H

#include <stddef.h>

#include "util/err.h"
#include "regval.h"

struct regfile;

enum regfile_enc { REGFILE_UTF16LE, REGFILE_UTF8 };

/* Parses a whole file.  Errors (CM_ERR_INPUT) read "PATH:LINE: why". */
int regfile_load(const char *path, struct regfile **out, struct cm_err *err);

/* The same from memory; name is used in messages. */
int regfile_parse(const char *name, const unsigned char *buf, size_t len,
    struct regfile **out, struct cm_err *err);

/* A new, empty version 5.00 document in the given encoding (CRLF). */
struct regfile *regfile_new(enum regfile_enc enc);

/* Frees rf. NULL is a no-op. */
void regfile_free(struct regfile *rf);

/* 1 if the key is present (a [key] header exists), else 0. */
int regfile_key_exists(const struct regfile *rf, const char *key);

/* 1 if a header of a key below key exists (a subkey at any depth), else 0.
 * In the registry such a key exists even without its own header, as
 * HKLM\SOFTWARE\Microsoft does in an export of ...\Microsoft\SMS. */
int regfile_has_subkey(const struct regfile *rf, const char *key);

/* Looks a value up.  Returns 1 and fills *out (caller frees), 0 if key or
 * value is absent, -1 with err on allocation failure or data that cannot be
 * decoded (e.g. hex(2) with an unpaired surrogate). */
int regfile_get(const struct regfile *rf, const char *key, const char *name,
    struct regval *out, struct cm_err *err);

/* Sets a value, adding the key (at the end of the file) and the value (at
 * the end of its key) when absent; replaces only that value's text when
 * present.  Returns 0 or -1. */
int regfile_set(struct regfile *rf, const char *key, const char *name,
    const struct regval *v, struct cm_err *err);

/* Removes a value's lines; absent is success. */
int regfile_delete_value(struct regfile *rf, const char *key,
    const char *name, struct cm_err *err);

/* Removes a key that has no values and no subkeys; absent is success; a key
 * that is not empty is an error (CM_ERR_SYSTEM) and changes nothing. */
int regfile_delete_key(struct regfile *rf, const char *key,
    struct cm_err *err);

/* Adds a `"name"=-` line (regedit: delete this value on import) under key;
 * used for backups of values that did not exist before. */
int regfile_add_delete_marker(struct regfile *rf, const char *key,
    const char *name, struct cm_err *err);

/* Serialises to a malloc'd buffer in the document's encoding. */
int regfile_serialize(const struct regfile *rf, unsigned char **buf,
    size_t *len, struct cm_err *err);

/* Writes atomically: a temporary file in the same folder, fsync, rename.
 * A failure leaves the old file in place. */
int regfile_save(const struct regfile *rf, const char *path,
    struct cm_err *err);

#endif
