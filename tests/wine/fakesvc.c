// SPDX-License-Identifier: ISC
/* fakesvc.c - a real Windows service standing in for SMS_EXECUTIVE (and its
 * dependent) in the Wine tests; built with mingw-w64, registered with sc.
 *
 * Behaviour is read at every start from HKLM\SOFTWARE\cmremedy-test\NAME
 * (NAME = the service name), DWORDs, all optional:
 *   StartMs      time spent START_PENDING (default 300)
 *   StopMs       time spent STOP_PENDING (default 300)
 *   FailOnStart  N > 0: the next N starts fail: after StartMs go back to
 *                STOPPED with ERROR_SERVICE_SPECIFIC_ERROR and service
 *                code 42 (N counts down, so a rollback's start succeeds)
 *   HangOnStopMs >0: on stop, stay STOP_PENDING this long with a frozen
 *                checkpoint (a hung service), then stop
 * Pending phases advance dwCheckPoint every 50 ms with a 2000 ms wait hint.
 * At every start it appends "start pid=N verbose=V\n" to C:\fakesvc-NAME.log
 * where V is VerboseLogging under HKLM\SOFTWARE\Microsoft\SMS\
 * SMS_CLOUD_PROXYCONNECTOR (or "absent"), read before reporting RUNNING.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <wchar.h>

#define STEP_MS 50
#define WAIT_HINT_MS 2000

static SERVICE_STATUS_HANDLE status_h;
static SERVICE_STATUS status;
static HANDLE stop_ev;
static WCHAR svc_name[256];

static void
report(DWORD state, DWORD exit_code, DWORD specific)
{
	status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	status.dwCurrentState = state;
	status.dwControlsAccepted = state == SERVICE_RUNNING ?
	    SERVICE_ACCEPT_STOP : 0;
	status.dwWin32ExitCode = exit_code;
	status.dwServiceSpecificExitCode = specific;
	if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) {
		status.dwWaitHint = WAIT_HINT_MS;
	} else {
		status.dwCheckPoint = 0;
		status.dwWaitHint = 0;
	}
	SetServiceStatus(status_h, &status);
}

/* Stays in a pending state for ms, advancing the checkpoint. */
static void
pending(DWORD state, DWORD ms)
{
	DWORD done = 0;

	status.dwCheckPoint = 0;
	do {
		status.dwCheckPoint++;
		report(state, NO_ERROR, 0);
		Sleep(ms - done < STEP_MS ? ms - done : STEP_MS);
		done += ms - done < STEP_MS ? ms - done : STEP_MS;
	} while (done < ms);
}

static DWORD
config(const WCHAR *value, DWORD dflt)
{
	WCHAR key[300];
	DWORD v, size = sizeof(v);

	swprintf(key, 300, L"SOFTWARE\\cmremedy-test\\%ls", svc_name);
	if (RegGetValueW(HKEY_LOCAL_MACHINE, key, value, RRF_RT_REG_DWORD,
	    NULL, &v, &size) != ERROR_SUCCESS)
		return dflt;
	return v;
}

static void
config_set(const WCHAR *value, DWORD v)
{
	WCHAR key[300];

	swprintf(key, 300, L"SOFTWARE\\cmremedy-test\\%ls", svc_name);
	RegSetKeyValueW(HKEY_LOCAL_MACHINE, key, value, REG_DWORD, &v,
	    sizeof(v));
}

static void
record_start(void)
{
	WCHAR path[300];
	DWORD v, size = sizeof(v);
	FILE *f;
	LONG rc;

	rc = RegGetValueW(HKEY_LOCAL_MACHINE,
	    L"SOFTWARE\\Microsoft\\SMS\\SMS_CLOUD_PROXYCONNECTOR",
	    L"VerboseLogging", RRF_RT_REG_DWORD | RRF_SUBKEY_WOW6464KEY, NULL,
	    &v, &size);
	swprintf(path, 300, L"C:\\fakesvc-%ls.log", svc_name);
	if ((f = _wfopen(path, L"ab")) == NULL)
		return;
	if (rc == ERROR_SUCCESS)
		fprintf(f, "start pid=%lu verbose=%lu\n",
		    (unsigned long)GetCurrentProcessId(), (unsigned long)v);
	else
		fprintf(f, "start pid=%lu verbose=absent\n",
		    (unsigned long)GetCurrentProcessId());
	fclose(f);
}

static DWORD WINAPI
handler(DWORD control, DWORD type, LPVOID data, LPVOID ctx)
{
	(void)type;
	(void)data;
	(void)ctx;
	switch (control) {
	case SERVICE_CONTROL_STOP:
		SetEvent(stop_ev);
		return NO_ERROR;
	case SERVICE_CONTROL_INTERROGATE:
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

static VOID WINAPI
service_main(DWORD argc, LPWSTR *argv)
{
	DWORD hang, fails;

	if (argc > 0)
		wcsncpy(svc_name, argv[0], 255);
	status_h = RegisterServiceCtrlHandlerExW(svc_name, handler, NULL);
	if (status_h == NULL)
		return;
	stop_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	pending(SERVICE_START_PENDING, config(L"StartMs", 300));
	if ((fails = config(L"FailOnStart", 0)) > 0) {
		config_set(L"FailOnStart", fails - 1);
		report(SERVICE_STOPPED, ERROR_SERVICE_SPECIFIC_ERROR, 42);
		return;
	}
	record_start();
	report(SERVICE_RUNNING, NO_ERROR, 0);
	WaitForSingleObject(stop_ev, INFINITE);
	if ((hang = config(L"HangOnStopMs", 0)) > 0) {
		status.dwCheckPoint = 1;
		report(SERVICE_STOP_PENDING, NO_ERROR, 0);
		Sleep(hang);
	}
	pending(SERVICE_STOP_PENDING, config(L"StopMs", 300));
	report(SERVICE_STOPPED, NO_ERROR, 0);
}

int
main(void)
{
	static WCHAR any[] = L"";
	SERVICE_TABLE_ENTRYW table[] = {
		{ any, service_main },   /* OWN_PROCESS: the name is ignored */
		{ NULL, NULL }
	};

	return StartServiceCtrlDispatcherW(table) ? 0 : 1;
}
