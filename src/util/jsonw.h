// SPDX-License-Identifier: ISC
/* jsonw.h - building JSON with jansson: text that is always valid UTF-8,
 * times in one form, and the first failure remembered.
 *
 * A builder written with jsonw_set and jsonw_push reads as the shape it
 * makes: each step may fail, the writer remembers the first failure and
 * skips (and releases) everything after it, and the caller checks once. */
#ifndef CM_JSONW_H
#define CM_JSONW_H

#include <jansson.h>
#include <time.h>

#include "err.h"

/* The writer's state.  err (may be NULL) is filled at the first failure:
 * jsonw_nomem fills it as out of memory; a caller with another reason
 * fills it itself and sets failed. */
struct jsonw {
	struct cm_err *err;
	int failed;
};

/* Marks w failed; the first failure fills w->err as out of memory.
 * Returns -1. */
int jsonw_nomem(struct jsonw *w);

/* Sets key on object o, taking v; a NULL v is a construction that failed
 * (out of memory).  Once w has failed, v is released and nothing is set.
 * Returns 0, or -1 when w has failed. */
int jsonw_set(struct jsonw *w, json_t *o, const char *key, json_t *v);

/* The same, appending v to array a. */
int jsonw_push(struct jsonw *w, json_t *a, json_t *v);

/* Free text (messages, paths, names): NULL is JSON null, and bytes that
 * are not UTF-8 (a path on a Latin-1 file system) become U+FFFD rather
 * than losing the whole document.  NULL on allocation failure. */
json_t *jsonw_text(const char *s);

/* Frees text jansson made (json_dumps): jansson allocates it with the
 * allocator json_set_alloc_funcs installed, which is not always malloc
 * (the fuzz targets install their own), so free() is wrong for it.
 * NULL is fine. */
void jsonw_free(char *text);

/* t as the string "YYYY-MM-DDTHH:MM:SSZ" (utc_format).  NULL on
 * allocation failure. */
json_t *jsonw_time(time_t t);

#endif
