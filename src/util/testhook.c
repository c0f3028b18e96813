// SPDX-License-Identifier: ISC
/* testhook.c - see testhook.h. */
#include "testhook.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "compat_win32.h"

void
testhook_step(void)
{
	static long n;
	const char *at = getenv("CMREMEDY_TEST_KILL_AT");
	char *end;
	long want;

	if (at == NULL || *at == '\0')
		return;
	want = strtol(at, &end, 10);
	if (*end != '\0' || ++n != want)
		return;
#if defined(_WIN32) && !defined(__WINE__)
	TerminateProcess(GetCurrentProcess(), 137);
#else
	kill(getpid(), SIGKILL);
#endif
}
