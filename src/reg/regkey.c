// SPDX-License-Identifier: ISC
/* regkey.c - the 32-bit registry view's redirection of key paths. */
#include "regkey.h"

#include <string.h>

#include "util/text.h"

/* Length of prefix p if s starts with it (ASCII case-insensitively) and the
 * match ends at a key boundary; else 0. */
static size_t
key_prefix(const char *s, const char *p)
{
	size_t n = strlen(p);

	if (text_ncasecmp(s, p, n) != 0)
		return 0;
	return s[n] == '\0' || s[n] == '\\' ? n : 0;
}

char *
regkey_view_path(const char *key, enum regview view)
{
	static const char sw[] = "HKLM\\SOFTWARE";
	static const char wow[] = "HKLM\\SOFTWARE\\WOW6432Node";
	struct strbuf b = { NULL, 0, 0, 0 };
	size_t n;

	if (view != REGVIEW_32 || (n = key_prefix(key, sw)) == 0 ||
	    key_prefix(key, wow) != 0)
		return text_strdup(key);
	strbuf_printf(&b, "%s%s", wow, key + n);
	if (b.failed) {
		strbuf_free(&b);
		return NULL;
	}
	return b.s;
}
