// SPDX-License-Identifier: ISC
/* mswait.c - the benchmark's reference: restarts a service with the wait
 * loop of Microsoft's documented SvcControl sample ("Starting a Service",
 * "Stopping a Service"), written here from the documentation's algorithm:
 * poll every dwWaitHint/10 clamped to 1..10 s, give up when dwCheckPoint
 * has not advanced within dwWaitHint.  (The stop sample sleeps the whole
 * wait hint instead; the clamped loop is the kinder reading.)
 *
 *   wine mswait.exe NAME          prints "restart_ms=N" and exits 0, or 1
 *   wine mswait.exe NAME --tight  the same loop polling every 1 ms: the
 *                                 practical floor of a restart here */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <wchar.h>

static int tight;

static DWORD
doc_wait_time(DWORD hint)
{
	DWORD t = hint / 10;

	if (tight)
		return 1;
	return t < 1000 ? 1000 : t > 10000 ? 10000 : t;
}

/* The documented wait loop: polls while the state is not `want`, every
 * dwWaitHint/10 clamped to 1..10 s, and gives up when dwCheckPoint has not
 * advanced within dwWaitHint (or, for a start, when the service leaves
 * START_PENDING for anything but RUNNING).  Returns 1 when `want` was
 * reached. */
static int
doc_wait(SC_HANDLE h, DWORD want)
{
	SERVICE_STATUS_PROCESS ss;
	DWORD need, old_cp, start;

	if (!QueryServiceStatusEx(h, SC_STATUS_PROCESS_INFO, (BYTE *)&ss,
	    sizeof(ss), &need))
		return 0;
	start = GetTickCount();
	old_cp = ss.dwCheckPoint;
	while (ss.dwCurrentState != want) {
		if (want == SERVICE_RUNNING &&
		    ss.dwCurrentState != SERVICE_START_PENDING)
			return 0;
		Sleep(doc_wait_time(ss.dwWaitHint));
		if (!QueryServiceStatusEx(h, SC_STATUS_PROCESS_INFO,
		    (BYTE *)&ss, sizeof(ss), &need))
			return 0;
		if (ss.dwCheckPoint > old_cp) {
			start = GetTickCount();
			old_cp = ss.dwCheckPoint;
		} else if (ss.dwCurrentState != want &&
		    GetTickCount() - start > ss.dwWaitHint) {
			return 0;
		}
	}
	return 1;
}

int
wmain(int argc, wchar_t **argv)
{
	SC_HANDLE scm, h;
	SERVICE_STATUS s;
	LARGE_INTEGER f, t0, t1;

	if (argc == 3 && wcscmp(argv[2], L"--tight") == 0)
		tight = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: mswait NAME [--tight]\n");
		return 2;
	}
	scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	h = scm ? OpenServiceW(scm, argv[1], SERVICE_STOP | SERVICE_START |
	    SERVICE_QUERY_STATUS) : NULL;
	if (h == NULL) {
		fprintf(stderr, "mswait: cannot open service: %lu\n",
		    (unsigned long)GetLastError());
		return 1;
	}
	QueryPerformanceFrequency(&f);
	QueryPerformanceCounter(&t0);
	if (!ControlService(h, SERVICE_CONTROL_STOP, &s) ||
	    !doc_wait(h, SERVICE_STOPPED)) {
		fprintf(stderr, "mswait: stop failed: %lu\n",
		    (unsigned long)GetLastError());
		return 1;
	}
	if (!StartServiceW(h, 0, NULL) ||
	    !doc_wait(h, SERVICE_RUNNING)) {
		fprintf(stderr, "mswait: start failed: %lu\n",
		    (unsigned long)GetLastError());
		return 1;
	}
	QueryPerformanceCounter(&t1);
	printf("restart_ms=%lld\n",
	    (long long)((t1.QuadPart - t0.QuadPart) * 1000 / f.QuadPart));
	CloseServiceHandle(h);
	CloseServiceHandle(scm);
	return 0;
}
