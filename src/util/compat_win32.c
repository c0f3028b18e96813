// SPDX-License-Identifier: ISC
/* compat_win32.c - see compat_win32.h.  Empty on other systems. */
#include "compat_win32.h"

#ifdef _WIN32
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf.h"

/* utf.h speaks uint16_t, the API speaks WCHAR: the same 16-bit units. */
_Static_assert(sizeof(WCHAR) == sizeof(uint16_t), "WCHAR is 16 bits");

void
w32_errtext(unsigned long code, char *buf, size_t len)
{
	WCHAR w[512];
	DWORD n;
	char *u;
	size_t ulen;

	n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM |
	    FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)code, 0, w,
	    sizeof(w) / sizeof(w[0]), NULL);
	while (n > 0 && (w[n - 1] == '\r' || w[n - 1] == '\n' ||
	    w[n - 1] == ' ' || w[n - 1] == '.'))
		n--;
	if (n == 0 || utf16_to_utf8((const uint16_t *)w, n, &u, &ulen) != 0) {
		snprintf(buf, len, "unknown error");
		return;
	}
	snprintf(buf, len, "%s", u);
	free(u);
}

int
w32_fail(struct cm_err *err, unsigned long code, const char *fmt, ...)
{
	char what[512], text[300];
	const char *hint = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	w32_errtext(code, text, sizeof(text));
	if (code == ERROR_ACCESS_DENIED)
		hint = ": access denied: run cmremedy from an elevated prompt";
	return cm_err_set(err, CM_ERR_SYSTEM, (long)code,
	    "%s: %s (Win32 error %lu)%s", what, text, code, hint);
}

int
w32_to_wide(const char *s, WCHAR **out, struct cm_err *err)
{
	uint16_t *w;
	size_t n;

	*out = NULL;
	if (!utf8_valid(s, strlen(s)))
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "'%s' is not valid UTF-8", s);
	if (utf8_to_utf16(s, strlen(s), &w, &n) != 0)
		return cm_err_nomem(err);
	*out = (WCHAR *)w;
	return 0;
}

int
w32_replace(const char *from, const char *to, struct cm_err *err)
{
	WCHAR *wf, *wt;
	DWORD e;

	if (w32_to_wide(from, &wf, err) != 0)
		return -1;
	if (w32_to_wide(to, &wt, err) != 0) {
		free(wf);
		return -1;
	}
	if (MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING |
	    MOVEFILE_WRITE_THROUGH)) {
		free(wf);
		free(wt);
		return 0;
	}
	e = GetLastError();
	free(wf);
	free(wt);
	return w32_fail(err, e, "%s: cannot replace with %s", to, from);
}
#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int compat_win32_unused;
#endif
