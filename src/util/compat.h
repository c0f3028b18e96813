// SPDX-License-Identifier: ISC
/* compat.h - the operating-system calls whose Windows versions need help:
 * file names, the environment, the command line and the console.
 *
 * Inside cmremedy every string is UTF-8, paths included.  The Windows C
 * runtime's char functions (fopen, stat, opendir, getenv, main's argv)
 * speak the ANSI code page instead, which turns C:\cmr-Журнал into
 * C:\cmr-??????.  On Windows these wrappers convert UTF-8 to UTF-16 and
 * call the wide functions (compat_win32.c); elsewhere they are the POSIX
 * calls (compat_posix.c).
 * Failures return -1 or NULL with errno set, as the calls they wrap. */
#ifndef CM_COMPAT_H
#define CM_COMPAT_H

#include <stdio.h>
#include <sys/stat.h>

#ifdef _WIN32
typedef struct _stat64 cm_stat_t;
#else
typedef struct stat cm_stat_t;
#endif

FILE *cm_fopen(const char *path, const char *mode);

/* Opens for reading, bytes as they are (O_BINARY), without blocking on a
 * FIFO (O_NONBLOCK, where FIFOs exist).  A descriptor or -1. */
int cm_open_read(const char *path);

int cm_stat(const char *path, cm_stat_t *st);

/* lstat where symbolic links exist; stat on Windows. */
int cm_lstat(const char *path, cm_stat_t *st);

int cm_remove(const char *path);

/* Creates one folder: mode 0755, or with private = 1 one only its owner
 * may use (POSIX 0700; Windows a protected DACL granting full control to
 * SYSTEM and Administrators only, inherited by what is created inside).
 * With private = 1 an existing folder is not an error: on Windows its DACL
 * is replaced by that one, since ProgramData lets every user create
 * folders there before cmremedy first runs.  0, or -1 with errno (EEXIST
 * when private = 0 and path exists). */
int cm_mkdir(const char *path, int private);

/* A malloc'd UTF-8 copy of the environment variable; NULL with errno 0
 * if it is not set, ENOMEM if memory ran out (or, on Windows, the value
 * is not valid UTF-16). */
char *cm_getenv(const char *name);

/* A folder listing; names are UTF-8, "." and ".." are left out. */
struct cm_dir;
struct cm_dir *cm_opendir(const char *path);
/* The next name (valid until the next call), or NULL at the end. */
const char *cm_readdir(struct cm_dir *d);
void cm_closedir(struct cm_dir *d);

#ifdef _WIN32
#include <wchar.h>

/* The wide arguments of wmain as a malloc'd UTF-8 argv (argc entries and a
 * NULL).  Returns NULL if memory ran out or an argument is not valid
 * UTF-16.  Free with cm_args_free. */
char **cm_args_utf8(int argc, wchar_t **wargv);
void cm_args_free(int argc, char **argv);

/* A stream for std (stdout or stderr) that shows UTF-8 right: when std is
 * a console, a stream whose bytes a thread turns into WriteConsoleW calls
 * (the console's code page cannot show all of UTF-8); otherwise std itself
 * in binary mode, so redirected output is the same UTF-8 with LF line ends
 * as on other systems.  Never NULL: std is the fallback. */
FILE *cm_console_open(FILE *std);

/* Flushes and closes a stream from cm_console_open, after all output. */
void cm_console_close(FILE *f, FILE *std);
#endif

#endif
