// SPDX-License-Identifier: ISC
/* compat_win32.c - compat_win32.h, and compat.h on Windows: UTF-8 file
 * names, environment, arguments and console output through the wide
 * (UTF-16) calls.  Empty on other systems. */
#include "compat_win32.h"
#include "compat.h"

#ifdef _WIN32
#include <aclapi.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <sddl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
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
	char text[300];
	const char *hint = "";
	va_list ap;

	w32_errtext(code, text, sizeof(text));
	if (code == ERROR_ACCESS_DENIED)
		hint = ": access denied: run cmremedy from an elevated prompt";
	cm_err_set(err, CM_ERR_SYSTEM, (long)code, "%s", "");
	va_start(ap, fmt);
	cm_err_vappend(err, fmt, ap);
	va_end(ap);
	cm_err_append(err, ": %s (Win32 error %lu)%s", text, code, hint);
	return -1;
}

int
w32_to_wide(const char *s, WCHAR **out, struct cm_err *err)
{
	uint16_t *w;
	size_t n;

	*out = NULL;
	if (!utf8_valid(s, strlen(s))) {
		errno = EINVAL;
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "'%s' is not valid UTF-8", s);
	}
	if (utf8_to_utf16(s, strlen(s), &w, &n) != 0) {
		errno = ENOMEM;
		return cm_err_nomem(err);
	}
	*out = (WCHAR *)w;
	return 0;
}

char *
w32_to_utf8(const WCHAR *w)
{
	char *s;
	size_t n;

	if (utf16_to_utf8((const uint16_t *)w, wcslen(w), &s, &n) != 0)
		return NULL;
	return s;
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
/* ---- compat.h: UTF-8 names, arguments, console ------------------------- */

_Static_assert(sizeof(wchar_t) == sizeof(uint16_t), "wchar_t is 16 bits");

/* errno for the Win32 errors the calls below meet. */
static void
set_errno_win32(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:      errno = ENOENT; break;
	case ERROR_ACCESS_DENIED:
	case ERROR_PRIVILEGE_NOT_HELD:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:   errno = EACCES; break;
	case ERROR_ALREADY_EXISTS:
	case ERROR_FILE_EXISTS:      errno = EEXIST; break;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:      errno = ENOMEM; break;
	case ERROR_DISK_FULL:        errno = ENOSPC; break;
	case ERROR_INVALID_NAME:     errno = EINVAL; break;
	case ERROR_NOT_SAME_DEVICE:  errno = EXDEV; break;
	default:                     errno = EIO; break;
	}
}

FILE *
cm_fopen(const char *path, const char *mode)
{
	wchar_t *wp, *wm;
	FILE *f = NULL;

	if (w32_to_wide(path, &wp, NULL) != 0)
		return NULL;
	if (w32_to_wide(mode, &wm, NULL) == 0) {
		f = _wfopen(wp, wm);
		free(wm);
	}
	free(wp);
	return f;
}

int
cm_open_read(const char *path)
{
	wchar_t *wp;
	int fd;

	if (w32_to_wide(path, &wp, NULL) != 0)
		return -1;
	/* Windows has no FIFOs, so nothing to keep from blocking. */
	fd = _wopen(wp, _O_RDONLY | _O_BINARY);
	free(wp);
	return fd;
}

int
cm_stat(const char *path, cm_stat_t *st)
{
	wchar_t *wp;
	int rc;

	if (w32_to_wide(path, &wp, NULL) != 0)
		return -1;
	rc = _wstat64(wp, st);
	free(wp);
	return rc;
}

int
cm_lstat(const char *path, cm_stat_t *st)
{
	return cm_stat(path, st);
}

int
cm_remove(const char *path)
{
	wchar_t *wp;
	int rc;

	if (w32_to_wide(path, &wp, NULL) != 0)
		return -1;
	rc = _wremove(wp);
	free(wp);
	return rc;
}

/* Full control for SYSTEM and the Administrators group, inherited by
 * files and folders inside; P: protected, nothing inherited from above. */
static const wchar_t PRIVATE_SDDL[] = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

static int
mkdir_private(const wchar_t *wp)
{
	SECURITY_ATTRIBUTES sa;
	PSECURITY_DESCRIPTOR sd = NULL;
	PACL dacl = NULL;
	BOOL present = FALSE, defaulted = FALSE;
	DWORD e;
	int rc = -1;

	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(PRIVATE_SDDL,
	    SDDL_REVISION_1, &sd, NULL)) {
		set_errno_win32(GetLastError());
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = sd;
	if (CreateDirectoryW(wp, &sa)) {
		rc = 0;
	} else if ((e = GetLastError()) != ERROR_ALREADY_EXISTS) {
		set_errno_win32(e);
	} else if (!GetSecurityDescriptorDacl(sd, &present, &dacl,
	    &defaulted)) {
		set_errno_win32(GetLastError());
	} else {
		/* It was there first: whoever made it chose its ACL. */
		e = SetNamedSecurityInfoW((wchar_t *)wp, SE_FILE_OBJECT,
		    DACL_SECURITY_INFORMATION |
		    PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, dacl,
		    NULL);
		if (e == ERROR_SUCCESS)
			rc = 0;
		else
			set_errno_win32(e);
	}
	LocalFree(sd);
	return rc;
}

int
cm_mkdir(const char *path, int private)
{
	wchar_t *wp;
	int rc;

	if (w32_to_wide(path, &wp, NULL) != 0)
		return -1;
	rc = private ? mkdir_private(wp) : _wmkdir(wp);
	free(wp);
	return rc;
}

char *
cm_getenv(const char *name)
{
	wchar_t *wn;
	const wchar_t *v;
	char *s = NULL;

	if (w32_to_wide(name, &wn, NULL) != 0)
		return NULL;
	errno = 0;
	if ((v = _wgetenv(wn)) != NULL && (s = w32_to_utf8(v)) == NULL)
		errno = ENOMEM;
	free(wn);
	return s;
}

struct cm_dir {
	HANDLE h;
	WIN32_FIND_DATAW fd;
	int first;            /* fd holds an entry not yet returned */
	char *name;           /* the last name returned */
};

struct cm_dir *
cm_opendir(const char *path)
{
	struct cm_dir *d;
	wchar_t *wp, *nw;
	size_t n;
	DWORD e;

	if (w32_to_wide(path, &wp, NULL) != 0)
		return NULL;
	n = wcslen(wp);
	/* FindFirstFileW lists what matches PATH\*. */
	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (nw = mem_reallocarray(wp, n + 3, sizeof(*wp))) == NULL) {
		free(d);
		free(wp);
		errno = ENOMEM;
		return NULL;
	}
	wp = nw;
	if (n > 0 && wp[n - 1] != L'\\' && wp[n - 1] != L'/')
		wp[n++] = L'\\';
	wp[n++] = L'*';
	wp[n] = 0;
	d->h = FindFirstFileW(wp, &d->fd);
	e = GetLastError();
	free(wp);
	if (d->h == INVALID_HANDLE_VALUE) {
		free(d);
		set_errno_win32(e);
		return NULL;
	}
	d->first = 1;
	return d;
}

const char *
cm_readdir(struct cm_dir *d)
{
	for (;;) {
		if (!d->first && !FindNextFileW(d->h, &d->fd))
			return NULL;
		d->first = 0;
		if (wcscmp(d->fd.cFileName, L".") == 0 ||
		    wcscmp(d->fd.cFileName, L"..") == 0)
			continue;
		free(d->name);
		/* A name that is not valid UTF-16 cannot be named to the user
		 * either: skip it. */
		if ((d->name = w32_to_utf8(d->fd.cFileName)) != NULL)
			return d->name;
	}
}

void
cm_closedir(struct cm_dir *d)
{
	if (d == NULL)
		return;
	FindClose(d->h);
	free(d->name);
	free(d);
}

char **
cm_args_utf8(int argc, wchar_t **wargv)
{
	char **argv;
	int i;

	if ((argv = calloc((size_t)argc + 1, sizeof(*argv))) == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		if ((argv[i] = w32_to_utf8(wargv[i])) == NULL) {
			cm_args_free(i, argv);
			return NULL;
		}
	}
	return argv;
}

void
cm_args_free(int argc, char **argv)
{
	int i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* ---- console ----------------------------------------------------------- */

/* One pipe per console stream: the program writes UTF-8 into it, a thread
 * reads it and writes UTF-16 to the console. */
struct console_pipe {
	FILE *f;              /* the program's end */
	HANDLE rd;            /* the thread's end */
	HANDLE con;           /* the console */
	HANDLE thread;
};
static struct console_pipe pipes[2];

/* Writes the complete UTF-8 sequences of buf[0..n) to the console and
 * returns how many bytes it consumed; an incomplete sequence at the end
 * waits for the next read unless this is the final write.  Invalid bytes
 * are shown as U+FFFD by
 * MultiByteToWideChar, which is what a console can do with them. */
static size_t
console_put(HANDLE con, const char *buf, size_t n, int final)
{
	wchar_t w[4096];
	size_t end = n, k;
	int wn;
	DWORD done;

	/* Back up over a sequence cut by the read: at most 3 bytes. */
	for (k = 1; !final && k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)buf[n - k];
		size_t need;

		if ((c & 0xC0) == 0x80)
			continue;
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (need > k)
			end = n - k;
		break;
	}
	if (end == 0)
		return 0;
	wn = MultiByteToWideChar(CP_UTF8, 0, buf, (int)end, w,
	    (int)(sizeof(w) / sizeof(w[0])));
	if (wn > 0)
		WriteConsoleW(con, w, (DWORD)wn, &done, NULL);
	return end;
}

static DWORD WINAPI
console_thread(LPVOID arg)
{
	struct console_pipe *p = arg;
	char buf[2048 + 4];
	size_t have = 0, used;
	DWORD got;

	/* Reads at most 2048 bytes, so that 4096 wide units always suffice. */
	while (ReadFile(p->rd, buf + have, 2048, &got, NULL) && got > 0) {
		have += got;
		used = console_put(p->con, buf, have, 0);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (have > 0)
		console_put(p->con, buf, have, 1);
	return 0;
}

FILE *
cm_console_open(FILE *std)
{
	struct console_pipe *p = &pipes[std == stderr];
	HANDLE con = (HANDLE)_get_osfhandle(_fileno(std)), wr;
	DWORD mode;
	int fd;

	fflush(std);
	/* Redirected: the bytes as they are, LF not turned into CRLF. */
	if (con == INVALID_HANDLE_VALUE || !GetConsoleMode(con, &mode)) {
		_setmode(_fileno(std), _O_BINARY);
		return std;
	}
	if (!CreatePipe(&p->rd, &wr, NULL, 0))
		return std;
	if ((fd = _open_osfhandle((intptr_t)wr, _O_WRONLY | _O_BINARY)) < 0) {
		CloseHandle(wr);
		CloseHandle(p->rd);
		return std;
	}
	if ((p->f = _fdopen(fd, "wb")) == NULL) {
		_close(fd);
		CloseHandle(p->rd);
		return std;
	}
	p->con = con;
	if ((p->thread = CreateThread(NULL, 0, console_thread, p, 0,
	    NULL)) == NULL) {
		fclose(p->f);
		CloseHandle(p->rd);
		p->f = NULL;
		return std;
	}
	/* Line by line, as a console user expects to see progress. */
	setvbuf(p->f, NULL, _IOLBF, 4096);
	return p->f;
}

void
cm_console_close(FILE *f, FILE *std)
{
	struct console_pipe *p = &pipes[std == stderr];

	if (f == std || f == NULL || f != p->f) {
		fflush(std);
		return;
	}
	/* Closing the write end ends the thread's reads. */
	fclose(p->f);
	WaitForSingleObject(p->thread, INFINITE);
	CloseHandle(p->thread);
	CloseHandle(p->rd);
	p->f = NULL;
}
#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int compat_win32_unused;
#endif
