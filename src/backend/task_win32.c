// SPDX-License-Identifier: ISC
/* task_win32.c - see task.h: Task Scheduler 2.0 from C (COM vtables). */
#include "task.h"

#include <string.h>

/* ledger_basename's rule, kept here: backend sits below core. */
static const char *
base_of(const char *path)
{
	const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');

	if (b != NULL && (a == NULL || b > a))
		a = b;
	return a != NULL ? a + 1 : path;
}

void
task_name_for(const char *report_path, char *name)
{
	const char *b = base_of(report_path);
	size_t n = strlen(TASK_NAME_PREFIX), i, len = strlen(b);

	if (len > 5 && strcmp(b + len - 5, ".json") == 0)
		len -= 5;
	memcpy(name, TASK_NAME_PREFIX, n);
	for (i = 0; i < len && n + 1 < TASK_NAME_MAX; i++)
		name[n++] = strchr("\\/:*?\"<>|", b[i]) != NULL ||
		    (unsigned char)b[i] < 0x20 ? '_' : b[i];
	name[n] = '\0';
}

#ifdef _WIN32
#define COBJMACROS
#include "util/compat_win32.h"
#include <objbase.h>
#include <oleauto.h>
#include <taskschd.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/utctime.h"

/* The ids, defined here rather than taken from a uuid library that
 * the Winelib and MinGW links name differently. */
static const GUID cm_clsid_task_scheduler = { 0x0f87369f, 0xa4e5, 0x4cfc,
    { 0xbd, 0x3e, 0x73, 0xe6, 0x15, 0x45, 0x72, 0xdd } };
static const GUID cm_iid_task_service = { 0x2faba4c7, 0x4da9, 0x4013,
    { 0x96, 0x97, 0x20, 0xcc, 0x3f, 0xd4, 0x0f, 0x85 } };
static const GUID cm_iid_exec_action = { 0x4c3d624d, 0xfd6b, 0x49a3,
    { 0xb9, 0xb7, 0x09, 0xcb, 0x3c, 0xd3, 0xf0, 0x47 } };

/* A COM failure as a cm_err: "WHAT: HRESULT 0x...". */
static int
hr_fail(struct cm_err *err, HRESULT hr, const char *what)
{
	char text[256];

	w32_errtext((unsigned long)hr, text, sizeof(text));
	return cm_err_set(err, CM_ERR_SYSTEM, (long)hr,
	    "Task Scheduler: %s: %s (HRESULT 0x%08lx)", what, text,
	    (unsigned long)(unsigned int)hr);
}

/* A BSTR from UTF-8; NULL when out of memory or invalid. */
static BSTR
bstr(const char *s)
{
	WCHAR *w;
	BSTR b;

	if (w32_to_wide(s, &w, NULL) != 0)
		return NULL;
	b = SysAllocString(w);
	free(w);
	return b;
}

/* A BSTR (may be NULL) as UTF-8 into buf of n bytes; left empty when it
 * is not valid UTF-16 or does not fit (the fields are only shown). */
static void
from_bstr(BSTR b, char *buf, size_t n)
{
	char *s;
	size_t len;

	buf[0] = '\0';
	if (b == NULL || (s = w32_to_utf8(b)) == NULL)
		return;
	if ((len = strlen(s)) < n)
		memcpy(buf, s, len + 1);
	free(s);
}

/* The connection: COM for this thread, the service, the root folder. */
struct conn {
	int com;              /* CoUninitialize owed */
	ITaskService *svc;
	ITaskFolder *root;
};

static void
conn_close(struct conn *c)
{
	if (c->root != NULL)
		ITaskFolder_Release(c->root);
	if (c->svc != NULL)
		ITaskService_Release(c->svc);
	if (c->com)
		CoUninitialize();
	memset(c, 0, sizeof(*c));
}

static int
conn_open(struct conn *c, struct cm_err *err)
{
	VARIANT none;
	HRESULT hr;
	BSTR root;

	memset(c, 0, sizeof(*c));
	hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	if (FAILED(hr) && hr != RPC_E_CHANGED_MODE)
		return hr_fail(err, hr, "CoInitializeEx");
	c->com = SUCCEEDED(hr);
	hr = CoCreateInstance(&cm_clsid_task_scheduler, NULL,
	    CLSCTX_INPROC_SERVER, &cm_iid_task_service, (void **)&c->svc);
	if (FAILED(hr)) {
		c->svc = NULL;
		conn_close(c);
		return hr_fail(err, hr, "CoCreateInstance(TaskScheduler)");
	}
	VariantInit(&none);
	hr = ITaskService_Connect(c->svc, none, none, none, none);
	if (FAILED(hr)) {
		conn_close(c);
		return hr_fail(err, hr, "ITaskService::Connect");
	}
	root = bstr("\\");
	hr = root ? ITaskService_GetFolder(c->svc, root, &c->root) :
	    E_OUTOFMEMORY;
	SysFreeString(root);
	if (FAILED(hr)) {
		c->root = NULL;
		conn_close(c);
		return hr_fail(err, hr, "ITaskService::GetFolder(\\)");
	}
	return 0;
}

/* The trigger: once at `at`, ending just under a day later so that the
 * expired task is deleted. */
static HRESULT
add_trigger(ITaskDefinition *def, time_t at)
{
	ITriggerCollection *tc = NULL;
	ITrigger *tr = NULL;
	char s[UTC_STRLEN];
	int daily = 0;
	BSTR b;
	HRESULT hr;

	if (FAILED(hr = ITaskDefinition_get_Triggers(def, &tc)))
		return hr;
	hr = ITriggerCollection_Create(tc, TASK_TRIGGER_TIME, &tr);
	/* Wine 8 creates only daily triggers (E_NOTIMPL for a time
	 * trigger).  A daily trigger that starts at `at` and ends before
	 * the next day runs once too: the same schedule. */
	if (hr == E_NOTIMPL) {
		daily = 1;
		hr = ITriggerCollection_Create(tc, TASK_TRIGGER_DAILY, &tr);
	}
	ITriggerCollection_Release(tc);
	if (FAILED(hr))
		return hr;
	utc_format(at, s);
	b = bstr(s);
	hr = b ? ITrigger_put_StartBoundary(tr, b) : E_OUTOFMEMORY;
	SysFreeString(b);
	if (SUCCEEDED(hr)) {
		utc_format(at + 86399, s);
		b = bstr(s);
		hr = b ? ITrigger_put_EndBoundary(tr, b) : E_OUTOFMEMORY;
		SysFreeString(b);
		/* Wine 8 has no end boundary either: its daily task would
		 * run every day, which `expire` tolerates (nothing due
		 * touches nothing) until the revert deletes the task. */
		if (daily && hr == E_NOTIMPL)
			hr = S_OK;
	}
	ITrigger_Release(tr);
	return hr;
}

/* The action: this program, with args. */
static HRESULT
add_action(ITaskDefinition *def, const char *args)
{
	IActionCollection *ac = NULL;
	IAction *a = NULL;
	IExecAction *ex = NULL;
	WCHAR self[MAX_PATH + 1];
	BSTR path, b;
	DWORD n;
	HRESULT hr;

	n = GetModuleFileNameW(NULL, self, MAX_PATH + 1);
	if (n == 0 || n > MAX_PATH)
		return HRESULT_FROM_WIN32(GetLastError());
	if (FAILED(hr = ITaskDefinition_get_Actions(def, &ac)))
		return hr;
	hr = IActionCollection_Create(ac, TASK_ACTION_EXEC, &a);
	IActionCollection_Release(ac);
	if (FAILED(hr))
		return hr;
	hr = IAction_QueryInterface(a, &cm_iid_exec_action, (void **)&ex);
	IAction_Release(a);
	if (FAILED(hr))
		return hr;
	path = SysAllocString(self);
	b = bstr(args);
	hr = path && b ? IExecAction_put_Path(ex, path) : E_OUTOFMEMORY;
	if (SUCCEEDED(hr))
		hr = IExecAction_put_Arguments(ex, b);
	SysFreeString(path);
	SysFreeString(b);
	IExecAction_Release(ex);
	return hr;
}

/* Settings: delete once expired; run late rather than never. */
static HRESULT
set_settings(ITaskDefinition *def)
{
	ITaskSettings *st = NULL;
	BSTR zero;
	HRESULT hr;

	if (FAILED(hr = ITaskDefinition_get_Settings(def, &st)))
		return hr;
	zero = bstr("PT0S");
	hr = zero ? ITaskSettings_put_DeleteExpiredTaskAfter(st, zero) :
	    E_OUTOFMEMORY;
	SysFreeString(zero);
	if (SUCCEEDED(hr))
		hr = ITaskSettings_put_StartWhenAvailable(st, VARIANT_TRUE);
	ITaskSettings_Release(st);
	/* No run level: SYSTEM's token is not filtered by UAC. */
	return hr;
}

int
task_expire_register(const char *report_path, time_t at, const char *args,
    struct cm_err *err)
{
	struct conn c;
	ITaskDefinition *def = NULL;
	IRegisteredTask *reg = NULL;
	VARIANT user, none;
	char name[TASK_NAME_MAX];
	const char *step = "ITaskService::NewTask";
	BSTR bname;
	HRESULT hr;

	task_name_for(report_path, name);
	if (conn_open(&c, err) != 0)
		return -1;
	hr = ITaskService_NewTask(c.svc, 0, &def);
	if (SUCCEEDED(hr) && FAILED(hr = add_trigger(def, at)))
		step = "the time trigger";
	if (SUCCEEDED(hr) && FAILED(hr = add_action(def, args)))
		step = "the action";
	if (SUCCEEDED(hr) && FAILED(hr = set_settings(def)))
		step = "the settings";
	if (SUCCEEDED(hr)) {
		step = "ITaskFolder::RegisterTaskDefinition";
		VariantInit(&user);
		VariantInit(&none);
		V_VT(&user) = VT_BSTR;
		V_BSTR(&user) = bstr("SYSTEM");
		bname = bstr(name);
		hr = bname && V_BSTR(&user) ?
		    ITaskFolder_RegisterTaskDefinition(c.root, bname, def,
		    TASK_CREATE_OR_UPDATE, user, none,
		    TASK_LOGON_SERVICE_ACCOUNT, none, &reg) : E_OUTOFMEMORY;
		SysFreeString(bname);
		VariantClear(&user);
		if (SUCCEEDED(hr))
			IRegisteredTask_Release(reg);
	}
	if (def != NULL)
		ITaskDefinition_Release(def);
	conn_close(&c);
	return FAILED(hr) ? hr_fail(err, hr, step) : 0;
}

/* Fills start/user/path/args from a registered task's definition. */
static HRESULT
read_definition(IRegisteredTask *reg, struct task_info *ti)
{
	ITaskDefinition *def = NULL;
	ITriggerCollection *tc = NULL;
	IActionCollection *ac = NULL;
	IPrincipal *pr = NULL;
	ITrigger *tr = NULL;
	IAction *a = NULL;
	IExecAction *ex = NULL;
	BSTR b = NULL;
	HRESULT hr;

	if (FAILED(hr = IRegisteredTask_get_Definition(reg, &def)))
		return hr;
	if (SUCCEEDED(ITaskDefinition_get_Triggers(def, &tc))) {
		if (SUCCEEDED(ITriggerCollection_get_Item(tc, 1, &tr))) {
			if (SUCCEEDED(ITrigger_get_StartBoundary(tr, &b)))
				from_bstr(b, ti->start, sizeof(ti->start));
			SysFreeString(b);
			b = NULL;
			ITrigger_Release(tr);
		}
		ITriggerCollection_Release(tc);
	}
	if (SUCCEEDED(ITaskDefinition_get_Principal(def, &pr))) {
		if (SUCCEEDED(IPrincipal_get_UserId(pr, &b)))
			from_bstr(b, ti->user, sizeof(ti->user));
		SysFreeString(b);
		b = NULL;
		IPrincipal_Release(pr);
	}
	if (SUCCEEDED(ITaskDefinition_get_Actions(def, &ac))) {
		if (SUCCEEDED(IActionCollection_get_Item(ac, 1, &a))) {
			if (SUCCEEDED(IAction_QueryInterface(a,
			    &cm_iid_exec_action, (void **)&ex))) {
				if (SUCCEEDED(IExecAction_get_Path(ex, &b)))
					from_bstr(b, ti->path,
					    sizeof(ti->path));
				SysFreeString(b);
				b = NULL;
				if (SUCCEEDED(IExecAction_get_Arguments(ex,
				    &b)))
					from_bstr(b, ti->args,
					    sizeof(ti->args));
				SysFreeString(b);
				IExecAction_Release(ex);
			}
			IAction_Release(a);
		}
		IActionCollection_Release(ac);
	}
	ITaskDefinition_Release(def);
	return S_OK;
}

static int
not_found(HRESULT hr)
{
	return hr == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) ||
	    hr == HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND);
}

int
task_expire_query(const char *report_path, struct task_info *ti,
    struct cm_err *err)
{
	struct conn c;
	IRegisteredTask *reg = NULL;
	BSTR bname;
	HRESULT hr;

	memset(ti, 0, sizeof(*ti));
	task_name_for(report_path, ti->name);
	if (conn_open(&c, err) != 0)
		return -1;
	if ((bname = bstr(ti->name)) == NULL) {
		conn_close(&c);
		return cm_err_nomem(err);
	}
	hr = ITaskFolder_GetTask(c.root, bname, &reg);
	SysFreeString(bname);
	if (SUCCEEDED(hr)) {
		ti->exists = 1;
		hr = read_definition(reg, ti);
		IRegisteredTask_Release(reg);
	} else if (not_found(hr))
		hr = S_OK;
	conn_close(&c);
	return FAILED(hr) ? hr_fail(err, hr, "ITaskFolder::GetTask") : 0;
}

int
task_expire_delete(const char *report_path, struct cm_err *err)
{
	struct conn c;
	char name[TASK_NAME_MAX];
	BSTR bname;
	HRESULT hr;

	task_name_for(report_path, name);
	if (conn_open(&c, err) != 0)
		return -1;
	if ((bname = bstr(name)) == NULL) {
		conn_close(&c);
		return cm_err_nomem(err);
	}
	hr = ITaskFolder_DeleteTask(c.root, bname, 0);
	SysFreeString(bname);
	conn_close(&c);
	if (FAILED(hr) && !not_found(hr))
		return hr_fail(err, hr, "ITaskFolder::DeleteTask");
	return 0;
}
#endif
