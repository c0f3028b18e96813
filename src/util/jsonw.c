// SPDX-License-Identifier: ISC
/* jsonw.c - the JSON building helpers every JSON writer shares. */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "utctime.h"
#include "utf.h"

int
jsonw_nomem(struct jsonw *w)
{
	if (!w->failed)
		cm_err_nomem(w->err);
	w->failed = 1;
	return -1;
}

void
jsonw_free(char *text)
{
	json_free_t f;

	json_get_alloc_funcs(NULL, &f);
	if (text != NULL)
		f(text);
}

int
jsonw_set(struct jsonw *w, json_t *o, const char *key, json_t *v)
{
	if (w->failed) {
		json_decref(v);
		return -1;
	}
	/* json_object_set_new releases v when it fails. */
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		return jsonw_nomem(w);
	return 0;
}

int
jsonw_push(struct jsonw *w, json_t *a, json_t *v)
{
	if (w->failed) {
		json_decref(v);
		return -1;
	}
	if (v == NULL || json_array_append_new(a, v) != 0)
		return jsonw_nomem(w);
	return 0;
}

json_t *
jsonw_text(const char *s)
{
	json_t *j;
	char *c;
	size_t n;

	if (s == NULL)
		return json_null();
	/* Most text is well formed already, and jansson checks that as it
	 * copies (refusing it if not): only the rest is cleaned first. */
	n = strlen(s);
	if ((j = json_stringn(s, n)) != NULL)
		return j;
	if (utf8_valid(s, n))           /* refused for want of memory */
		return NULL;
	if ((c = utf8_clean(s, n)) == NULL)
		return NULL;
	j = json_string(c);
	free(c);
	return j;
}

json_t *
jsonw_time(time_t t)
{
	char buf[UTC_STRLEN];

	utc_format(t, buf);
	return json_string(buf);
}
