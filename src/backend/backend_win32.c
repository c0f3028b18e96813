// SPDX-License-Identifier: ISC
/* backend_win32.c - the win32 backend: advapi32 registry and the Service
 * Control Manager.  With util/compat_win32.c, the only file that includes
 * <windows.h>. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "util/compat.h"
#include "util/compat_win32.h"
#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"
#include "util/utf.h"


/* Polling fallback: wait-hint/10 as Microsoft's sample, but clamped to
 * 10..50 ms instead of 1..10 s, so a pending phase costs at most 50 ms more
 * than the service itself needs.  A status query is cheap. */
#define POLL_MIN_MS 10u
#define POLL_MAX_MS 50u
/* While a notification is pending the status is still read this often, so
 * that a notification lost by the system costs a second, not the timeout. */
#define NOTIFY_RECHECK_MS 1000u

struct w32 {
	SC_HANDLE scm;        /* opened on first service call */
	int poll_only;        /* CMREMEDY_WIN32_WAIT=poll */
	/* The block NotifyServiceStatusChangeW writes to and the flag its
	 * callback sets.  They live as long as the backend, not in a wait's
	 * stack frame, so that a callback queued for a wait that has already
	 * given up can only cause one harmless extra status query. */
	SERVICE_NOTIFYW notify;
	int fired;
};

/* The subkey of HKLM named by a canonical "HKLM\\..." key, as UTF-16. */
static int
hklm_subkey(const char *key, WCHAR **out, struct cm_err *err)
{
	*out = NULL;
	if (strncmp(key, "HKLM\\", 5) != 0 || key[5] == '\0')
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s: the win32 backend takes HKLM\\... keys only", key);
	return w32_to_wide(key + 5, out, err);
}

static int
view_sam(int view, REGSAM *sam, struct cm_err *err)
{
	if (view == REGVIEW_64)
		*sam = KEY_WOW64_64KEY;
	else if (view == REGVIEW_32)
		*sam = KEY_WOW64_32KEY;
	else
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "registry view %d is neither 64 nor 32", view);
	return 0;
}

/* ---- registry ---------------------------------------------------------- */

static int
absent(LONG rc)
{
	return rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND;
}

/* Opens key with access | the view's flag.  *h NULL (and 0 returned) when
 * the key does not exist. */
static int
key_open(const char *key, int view, REGSAM access, HKEY *h,
    struct cm_err *err)
{
	WCHAR *sub;
	REGSAM sam = 0;
	LONG rc;

	*h = NULL;
	if (view_sam(view, &sam, err) != 0 || hklm_subkey(key, &sub, err) != 0)
		return -1;
	rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, sub, 0, access | sam, h);
	free(sub);
	if (rc == ERROR_SUCCESS)
		return 0;
	*h = NULL;
	if (absent(rc))
		return 0;
	return w32_fail(err, (DWORD)rc, "%s (%d-bit view): cannot open key",
	    key, view);
}

static int
w32_key_exists(struct backend *b, const char *key, int view, int *exists,
    struct cm_err *err)
{
	HKEY h;

	(void)b;
	*exists = 0;
	if (key_open(key, view, KEY_QUERY_VALUE, &h, err) != 0)
		return -1;
	if (h != NULL) {
		*exists = 1;
		RegCloseKey(h);
	}
	return 0;
}

/* Registry string data (UTF-16LE bytes, terminator optional) to a
 * NUL-terminated UTF-8 REG_SZ/EXPAND_SZ value. */
static int
decode_sz(struct regval *out, DWORD type, const BYTE *data, DWORD size,
    const char *where, struct cm_err *err)
{
	size_t n = size / 2, ulen;
	char *u;

	if (size % 2 != 0)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s: string data has an odd length (%lu bytes)", where,
		    (unsigned long)size);
	while (n > 0 && data[2 * n - 2] == 0 && data[2 * n - 1] == 0)
		n--;
	if (utf16le_to_utf8(data, n * 2, &u, &ulen) != 0)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s: string is not valid UTF-16 (or out of memory)", where);
	if (strlen(u) != ulen) {
		free(u);
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s: string has an embedded NUL", where);
	}
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->data = (unsigned char *)u;
	out->len = ulen + 1;
	return 0;
}

/* REG_MULTI_SZ data to "a\0b\0\0": the list rule (trailing NULs, empty
 * strings) is regval_set_multi_data's, shared with the .reg reader. */
static int
decode_multi(struct regval *out, const BYTE *data, DWORD size,
    const char *where, struct cm_err *err)
{
	struct cm_err why;
	size_t ulen;
	char *u;
	int rc;

	if (size % 2 != 0)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s: multi-string data has an odd length (%lu bytes)",
		    where, (unsigned long)size);
	if (utf16le_to_utf8(data, size, &u, &ulen) != 0)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s: multi-string is not valid UTF-16 (or out of memory)",
		    where);
	rc = regval_set_multi_data(out, u, ulen, &why);
	free(u);
	if (rc == 0)
		return 0;
	if (why.kind == CM_ERR_NOMEM)
		return cm_err_nomem(err);
	return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s: %s", where, why.msg);
}

static int
decode_value(struct regval *out, DWORD type, const BYTE *data, DWORD size,
    const char *where, struct cm_err *err)
{
	uint32_t d32;
	uint64_t d64;

	switch (type) {
	case REG_DWORD:
		if (size != 4)
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "%s: REG_DWORD with %lu bytes of data", where,
			    (unsigned long)size);
		memcpy(&d32, data, 4);
		return regval_set_number(out, REGT_DWORD, d32) == 0 ? 0 :
		    cm_err_nomem(err);
	case REG_QWORD:
		if (size != 8)
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "%s: REG_QWORD with %lu bytes of data", where,
			    (unsigned long)size);
		memcpy(&d64, data, 8);
		return regval_set_number(out, REGT_QWORD, d64) == 0 ? 0 :
		    cm_err_nomem(err);
	case REG_SZ:
	case REG_EXPAND_SZ:
		return decode_sz(out, type, data, size, where, err);
	case REG_MULTI_SZ:
		return decode_multi(out, data, size, where, err);
	default:
		return regval_set_bytes(out, type, data, size) == 0 ? 0 :
		    cm_err_nomem(err);
	}
}

static int
w32_read_value(struct backend *b, const char *key, const char *name,
    int view, int *exists, struct regval *out, struct cm_err *err)
{
	HKEY h;
	WCHAR *wname;
	BYTE *data = NULL, *nd;
	DWORD type = 0, size = 0;
	size_t cap = 0;
	LONG rc;
	char where[600];
	int ret;

	(void)b;
	*exists = 0;
	snprintf(where, sizeof(where), "%s\\%s (%d-bit view)", key,
	    *name ? name : "(default)", view);
	if (key_open(key, view, KEY_QUERY_VALUE, &h, err) != 0)
		return -1;
	if (h == NULL)
		return 0;
	if (w32_to_wide(name, &wname, err) != 0) {
		RegCloseKey(h);
		return -1;
	}
	/* Raw data, never RegGetValue: REG_EXPAND_SZ must not be expanded.
	 * The size may grow between the two calls; retry while it does. */
	for (;;) {
		rc = RegQueryValueExW(h, wname, NULL, &type, data, &size);
		if (rc != ERROR_MORE_DATA && !(rc == ERROR_SUCCESS &&
		    data == NULL && size > 0))
			break;
		/* Two more bytes: room for a terminator Windows may omit. */
		if ((nd = mem_grow(data, &cap, (size_t)size + 2, 1)) == NULL) {
			rc = ERROR_NOT_ENOUGH_MEMORY;
			break;
		}
		data = nd;
	}
	free(wname);
	RegCloseKey(h);
	if (absent(rc)) {
		free(data);
		return 0;
	}
	if (rc != ERROR_SUCCESS) {
		free(data);
		return w32_fail(err, (DWORD)rc, "%s: cannot read value", where);
	}
	ret = decode_value(out, type, data, size, where, err);
	free(data);
	if (ret == 0)
		*exists = 1;
	return ret;
}

/* The bytes RegSetValueExW takes for v; *buf malloc'd (may be NULL for an
 * empty value). */
static int
encode_value(const struct regval *v, BYTE **buf, DWORD *size,
    const char *where, struct cm_err *err)
{
	uint16_t *w;
	size_t n;
	uint32_t d32;

	*buf = NULL;
	*size = 0;
	switch (v->type) {
	case REGT_DWORD:
	case REGT_QWORD:
		n = v->type == REGT_DWORD ? 4 : 8;
		if (v->type == REGT_DWORD && v->num > 0xFFFFFFFFu)
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "%s: REG_DWORD above 0xFFFFFFFF", where);
		if ((*buf = malloc(n)) == NULL)
			return cm_err_nomem(err);
		d32 = (uint32_t)v->num;
		if (n == 4)
			memcpy(*buf, &d32, 4);
		else
			memcpy(*buf, &v->num, 8);
		*size = (DWORD)n;
		return 0;
	case REGT_SZ:
	case REGT_EXPAND_SZ:
	case REGT_MULTI_SZ:
		if (v->data == NULL || v->len == 0)
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "%s: string value without data", where);
		/* SZ: the text and its terminator.  MULTI_SZ: every element's
		 * terminator and the list's own, "a\0b\0\0" (the empty list
		 * "\0" is one NUL unit), so the data converts as it is. */
		if (utf8_to_utf16((const char *)v->data,
		    v->type == REGT_MULTI_SZ ? v->len : v->len - 1, &w,
		    &n) != 0)
			return cm_err_set(err, CM_ERR_SYSTEM, 0,
			    "%s: not valid UTF-8 (or out of memory)", where);
		if (v->type != REGT_MULTI_SZ)
			n++;
		*buf = (BYTE *)w;
		*size = (DWORD)(n * 2);
		return 0;
	default:
		if (v->len > 0) {
			if ((*buf = malloc(v->len)) == NULL)
				return cm_err_nomem(err);
			memcpy(*buf, v->data, v->len);
		}
		*size = (DWORD)v->len;
		return 0;
	}
}

static int
w32_write_value(struct backend *b, const char *key, const char *name,
    int view, const struct regval *v, struct cm_err *err)
{
	HKEY h;
	WCHAR *sub, *wname;
	BYTE *data;
	DWORD size;
	REGSAM sam = 0;
	LONG rc;
	char where[600];

	(void)b;
	snprintf(where, sizeof(where), "%s\\%s (%d-bit view)", key,
	    *name ? name : "(default)", view);
	if (encode_value(v, &data, &size, where, err) != 0)
		return -1;
	if (key_open(key, view, KEY_SET_VALUE, &h, err) != 0) {
		free(data);
		return -1;
	}
	if (h == NULL) {
		/* Missing: create it and any missing parents.  Only this path
		 * asks for KEY_CREATE_SUB_KEY. */
		if (view_sam(view, &sam, err) != 0 ||
		    hklm_subkey(key, &sub, err) != 0) {
			free(data);
			return -1;
		}
		rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, sub, 0, NULL,
		    REG_OPTION_NON_VOLATILE,
		    KEY_SET_VALUE | KEY_CREATE_SUB_KEY | sam, NULL, &h, NULL);
		free(sub);
		if (rc != ERROR_SUCCESS) {
			free(data);
			return w32_fail(err, (DWORD)rc,
			    "%s (%d-bit view): cannot create key", key, view);
		}
	}
	if (w32_to_wide(name, &wname, err) != 0) {
		RegCloseKey(h);
		free(data);
		return -1;
	}
	rc = RegSetValueExW(h, wname, 0, v->type, data, size);
	free(wname);
	free(data);
	RegCloseKey(h);
	if (rc != ERROR_SUCCESS)
		return w32_fail(err, (DWORD)rc, "%s: cannot write value",
		    where);
	return 0;
}

static int
w32_delete_value(struct backend *b, const char *key, const char *name,
    int view, struct cm_err *err)
{
	HKEY h;
	WCHAR *wname;
	LONG rc;

	(void)b;
	if (key_open(key, view, KEY_SET_VALUE, &h, err) != 0)
		return -1;
	if (h == NULL)
		return 0;
	if (w32_to_wide(name, &wname, err) != 0) {
		RegCloseKey(h);
		return -1;
	}
	rc = RegDeleteValueW(h, wname);
	free(wname);
	RegCloseKey(h);
	if (rc == ERROR_SUCCESS || absent(rc))
		return 0;
	return w32_fail(err, (DWORD)rc, "%s\\%s (%d-bit view): cannot delete "
	    "value", key, *name ? name : "(default)", view);
}

static int
w32_delete_key(struct backend *b, const char *key, int view,
    struct cm_err *err)
{
	HKEY h;
	WCHAR *sub;
	DWORD nsub = 0, nval = 0;
	REGSAM sam = 0;
	LONG rc;

	(void)b;
	if (key_open(key, view, KEY_QUERY_VALUE, &h, err) != 0)
		return -1;
	if (h == NULL)
		return 0;
	rc = RegQueryInfoKeyW(h, NULL, NULL, NULL, &nsub, NULL, NULL, &nval,
	    NULL, NULL, NULL, NULL);
	RegCloseKey(h);
	if (rc != ERROR_SUCCESS)
		return w32_fail(err, (DWORD)rc, "%s (%d-bit view): cannot "
		    "inspect key", key, view);
	if (nsub != 0 || nval != 0)
		return cm_err_set(err, CM_ERR_SYSTEM, 0,
		    "%s (%d-bit view): not deleting the key: it holds %lu "
		    "value(s) and %lu subkey(s) that cmremedy did not create",
		    key, view, (unsigned long)nval, (unsigned long)nsub);
	/* A value added between the check and here would go with the key;
	 * advapi32 has no delete-if-empty.  RegDeleteKeyExW still refuses a
	 * key that gained subkeys. */
	if (view_sam(view, &sam, err) != 0 || hklm_subkey(key, &sub, err) != 0)
		return -1;
	rc = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, sub, sam, 0);
	free(sub);
	if (rc == ERROR_SUCCESS || absent(rc))
		return 0;
	return w32_fail(err, (DWORD)rc, "%s (%d-bit view): cannot delete key",
	    key, view);
}

/* ---- services ---------------------------------------------------------- */

static int
scm_get(struct backend *b, SC_HANDLE *scm, struct cm_err *err)
{
	struct w32 *w = b->impl;

	if (w->scm == NULL) {
		w->scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
		if (w->scm == NULL)
			return w32_fail(err, GetLastError(),
			    "cannot connect to the Service Control Manager");
	}
	*scm = w->scm;
	return 0;
}

static int
svc_open(struct backend *b, const char *name, DWORD access, SC_HANDLE *h,
    struct cm_err *err)
{
	SC_HANDLE scm = NULL;
	WCHAR *wname;
	DWORD e;

	*h = NULL;
	if (scm_get(b, &scm, err) != 0 || w32_to_wide(name, &wname, err) != 0)
		return -1;
	*h = OpenServiceW(scm, wname, access);
	e = GetLastError();
	free(wname);
	if (*h != NULL)
		return 0;
	if (e == ERROR_SERVICE_DOES_NOT_EXIST)
		return w32_fail(err, e, "service %s does not exist on this "
		    "machine", name);
	return w32_fail(err, e, "service %s: cannot open", name);
}

static void
status_from(const SERVICE_STATUS_PROCESS *ss, struct svc_status *st)
{
	st->state = ss->dwCurrentState >= SVC_STOPPED &&
	    ss->dwCurrentState <= SVC_PAUSED ?
	    (enum svc_state)ss->dwCurrentState : SVC_UNKNOWN;
	st->pid = st->state == SVC_STOPPED ? 0 : ss->dwProcessId;
}

static int
svc_status_ex(SC_HANDLE h, const char *name, SERVICE_STATUS_PROCESS *ss,
    struct svc_status *st, struct cm_err *err)
{
	DWORD need;

	if (!QueryServiceStatusEx(h, SC_STATUS_PROCESS_INFO, (BYTE *)ss,
	    sizeof(*ss), &need))
		return w32_fail(err, GetLastError(),
		    "service %s: cannot query status", name);
	status_from(ss, st);
	return 0;
}

static int
w32_svc_query(struct backend *b, const char *name, struct svc_status *st,
    struct cm_err *err)
{
	SERVICE_STATUS_PROCESS ss;
	SC_HANDLE h;
	int ret;

	st->state = SVC_UNKNOWN;
	st->pid = 0;
	if (svc_open(b, name, SERVICE_QUERY_STATUS, &h, err) != 0)
		return -1;
	ret = svc_status_ex(h, name, &ss, st, err);
	CloseServiceHandle(h);
	return ret;
}

static int
w32_svc_dependents(struct backend *b, const char *name, char ***names,
    size_t *n, struct cm_err *err)
{
	ENUM_SERVICE_STATUSW *deps = NULL, *nd;
	DWORD need = 0, count = 0, size = 0, e, i;
	size_t cap = 0;
	SC_HANDLE h;
	char **out;

	*names = NULL;
	*n = 0;
	if (svc_open(b, name, SERVICE_ENUMERATE_DEPENDENTS, &h, err) != 0)
		return -1;
	/* Active ones only, in the order they must be stopped (the
	 * documented order of EnumDependentServicesW). */
	while (!EnumDependentServicesW(h, SERVICE_ACTIVE, deps, size, &need,
	    &count)) {
		e = GetLastError();
		if (e != ERROR_MORE_DATA || need <= size) {
			free(deps);
			CloseServiceHandle(h);
			return w32_fail(err, e, "service %s: cannot list the "
			    "services that depend on it", name);
		}
		if ((nd = mem_grow(deps, &cap, need, 1)) == NULL) {
			free(deps);
			CloseServiceHandle(h);
			return cm_err_nomem(err);
		}
		deps = nd;
		size = need;
	}
	CloseServiceHandle(h);
	if (count == 0) {
		free(deps);
		return 0;
	}
	if ((out = calloc(count, sizeof(*out))) == NULL) {
		free(deps);
		return cm_err_nomem(err);
	}
	for (i = 0; i < count; i++)
		if ((out[i] = w32_to_utf8(deps[i].lpServiceName)) == NULL) {
			backend_free_names(out, i);
			free(deps);
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "service %s: "
			    "a dependent's name is not valid UTF-16", name);
		}
	free(deps);
	*names = out;
	*n = count;
	return 0;
}

/* One wait on one open service handle. */
struct waiter {
	struct w32 *bw;
	SC_HANDLE h;
	const char *name;
	int poll_only;
	int registered;       /* a notification is pending on h */
	uint64_t deadline;    /* sys_monotonic_ms() */
	unsigned timeout_ms;
	DWORD last_cp;        /* checkpoint progress, for the timeout text */
	uint64_t last_cp_at;
	SERVICE_STATUS_PROCESS ss;
};

static VOID CALLBACK
notify_cb(PVOID param)
{
	SERVICE_NOTIFYW *n = param;
	struct w32 *bw = n->pContext;

	/* The wait loop re-queries; the status in n is not needed. */
	bw->fired = 1;
}

static DWORD
notify_mask(DWORD state)
{
	switch (state) {
	case SERVICE_STOPPED:       return SERVICE_NOTIFY_STOPPED;
	case SERVICE_RUNNING:       return SERVICE_NOTIFY_RUNNING;
	case SERVICE_START_PENDING: return SERVICE_NOTIFY_START_PENDING;
	case SERVICE_STOP_PENDING:  return SERVICE_NOTIFY_STOP_PENDING;
	case SERVICE_PAUSED:        return SERVICE_NOTIFY_PAUSED;
	default:                    return 0;
	}
}

/* Sleeps until the service may have changed state, at most until the
 * deadline: by notification when it works, else one poll interval. */
static void
wait_once(struct waiter *w, DWORD until)
{
	uint64_t now = sys_monotonic_ms();
	DWORD left, nap, e;

	left = now >= w->deadline ? 0 : (DWORD)(w->deadline - now);
	if (!w->poll_only && !w->registered) {
		memset(&w->bw->notify, 0, sizeof(w->bw->notify));
		w->bw->notify.dwVersion = SERVICE_NOTIFY_STATUS_CHANGE;
		w->bw->notify.pfnNotifyCallback = notify_cb;
		w->bw->notify.pContext = w->bw;
		w->bw->fired = 0;
		/* The service is in none of the `until` states now (else
		 * wait_state would have returned); one that gets there before
		 * this call is reported at once, so no change is missed. */
		e = NotifyServiceStatusChangeW(w->h, until, &w->bw->notify);
		if (e == ERROR_SUCCESS)
			w->registered = 1;
		else
			w->poll_only = 1;
	}
	if (w->registered) {
		SleepEx(left < NOTIFY_RECHECK_MS ? left : NOTIFY_RECHECK_MS,
		    TRUE);
		if (w->bw->fired)
			w->registered = 0;
		return;
	}
	nap = w->ss.dwWaitHint / 10;
	nap = nap < POLL_MIN_MS ? POLL_MIN_MS : nap > POLL_MAX_MS ?
	    POLL_MAX_MS : nap;
	Sleep(nap < left ? nap : left);
}

/* Drops a pending notification: closing the handle cancels it (no callback
 * is queued after that), and one already queued is delivered here. */
static void
waiter_close(struct waiter *w)
{
	CloseServiceHandle(w->h);
	w->h = NULL;
	if (w->registered)
		SleepEx(0, TRUE);
}

/* Waits until the state is one of the `until` states (SERVICE_NOTIFY_*
 * bits), or the deadline.  *st is the last status seen. */
static int
wait_state(struct waiter *w, DWORD until, const char *doing,
    struct svc_status *st, struct cm_err *err)
{
	uint64_t now;

	for (;;) {
		if (svc_status_ex(w->h, w->name, &w->ss, st, err) != 0)
			return -1;
		now = sys_monotonic_ms();
		if (w->ss.dwCheckPoint != w->last_cp) {
			w->last_cp = w->ss.dwCheckPoint;
			w->last_cp_at = now;
		}
		if (notify_mask(w->ss.dwCurrentState) & until)
			return 0;
		if (now >= w->deadline)
			break;
		wait_once(w, until);
	}
	if (w->ss.dwCurrentState == SERVICE_START_PENDING ||
	    w->ss.dwCurrentState == SERVICE_STOP_PENDING)
		return cm_err_set(err, CM_ERR_TIMEOUT, 0,
		    "service %s: %s: still %s after %u ms (checkpoint %lu, "
		    "unchanged for %lu ms; wait hint %lu ms): raise the "
		    "profile's timeout or look at the service", w->name, doing,
		    svc_state_name(st->state), w->timeout_ms,
		    (unsigned long)w->ss.dwCheckPoint,
		    (unsigned long)(now - w->last_cp_at),
		    (unsigned long)w->ss.dwWaitHint);
	return cm_err_set(err, CM_ERR_TIMEOUT, 0,
	    "service %s: %s: still %s after %u ms", w->name, doing,
	    svc_state_name(st->state), w->timeout_ms);
}

static int
waiter_open(struct backend *b, struct waiter *w, const char *name,
    DWORD access, unsigned timeout_ms, struct cm_err *err)
{
	memset(w, 0, sizeof(*w));
	w->bw = b->impl;
	w->name = name;
	w->poll_only = w->bw->poll_only;
	w->timeout_ms = timeout_ms;
	w->last_cp_at = sys_monotonic_ms();
	w->deadline = w->last_cp_at + timeout_ms;
	return svc_open(b, name, access, &w->h, err);
}

static int
stop_on(struct waiter *w, struct svc_status *st, struct cm_err *err)
{
	SERVICE_STATUS s;
	DWORD e;

	if (svc_status_ex(w->h, w->name, &w->ss, st, err) != 0)
		return -1;
	if (w->ss.dwCurrentState == SERVICE_STOPPED)
		return 0;
	/* A service still starting cannot take STOP yet: let it finish. */
	if (w->ss.dwCurrentState == SERVICE_START_PENDING &&
	    wait_state(w, SERVICE_NOTIFY_RUNNING | SERVICE_NOTIFY_STOPPED,
	    "waiting for it to finish starting before stopping it", st,
	    err) != 0)
		return -1;
	if (w->ss.dwCurrentState != SERVICE_STOPPED &&
	    w->ss.dwCurrentState != SERVICE_STOP_PENDING &&
	    !ControlService(w->h, SERVICE_CONTROL_STOP, &s)) {
		e = GetLastError();
		if (e == ERROR_DEPENDENT_SERVICES_RUNNING)
			return w32_fail(err, e, "service %s: cannot stop: "
			    "services that depend on it are running; stop them "
			    "first", w->name);
		/* Not active: it stopped by itself meanwhile.  Cannot accept
		 * the control: it is already stopping. */
		if (e != ERROR_SERVICE_NOT_ACTIVE &&
		    e != ERROR_SERVICE_CANNOT_ACCEPT_CTRL)
			return w32_fail(err, e, "service %s: cannot stop",
			    w->name);
	}
	return wait_state(w, SERVICE_NOTIFY_STOPPED, "stopping", st, err);
}

static int
w32_svc_stop(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	struct waiter w;
	int ret;

	st->state = SVC_UNKNOWN;
	st->pid = 0;
	if (waiter_open(b, &w, name, SERVICE_STOP | SERVICE_QUERY_STATUS,
	    timeout_ms, err) != 0)
		return -1;
	ret = stop_on(&w, st, err);
	waiter_close(&w);
	return ret;
}

static int
start_on(struct waiter *w, struct svc_status *st, struct cm_err *err)
{
	char text[300];
	DWORD e, code;

	if (svc_status_ex(w->h, w->name, &w->ss, st, err) != 0)
		return -1;
	if (w->ss.dwCurrentState == SERVICE_RUNNING)
		return 0;
	if (w->ss.dwCurrentState == SERVICE_STOP_PENDING &&
	    wait_state(w, SERVICE_NOTIFY_STOPPED, "waiting for it to stop "
	    "before starting it", st, err) != 0)
		return -1;
	if (w->ss.dwCurrentState == SERVICE_STOPPED &&
	    !StartServiceW(w->h, 0, NULL)) {
		e = GetLastError();
		if (e != ERROR_SERVICE_ALREADY_RUNNING)
			return w32_fail(err, e, "service %s: cannot start",
			    w->name);
	}
	/* StartServiceW returning TRUE proves nothing: a service that fails
	 * while START_PENDING goes back to STOPPED.  Started means RUNNING. */
	if (wait_state(w, SERVICE_NOTIFY_RUNNING | SERVICE_NOTIFY_STOPPED,
	    "starting", st, err) != 0)
		return -1;
	if (w->ss.dwCurrentState == SERVICE_RUNNING)
		return 0;
	code = w->ss.dwWin32ExitCode;
	w32_errtext(code, text, sizeof(text));
	if (code == ERROR_SERVICE_SPECIFIC_ERROR)
		return cm_err_set(err, CM_ERR_SYSTEM, (long)code,
		    "service %s: failed to start: it stopped again with exit "
		    "code %lu (%s), service-specific code %lu: see the "
		    "service's own log", w->name, (unsigned long)code, text,
		    (unsigned long)w->ss.dwServiceSpecificExitCode);
	return cm_err_set(err, CM_ERR_SYSTEM, (long)code,
	    "service %s: failed to start: it stopped again with exit code "
	    "%lu (%s)", w->name, (unsigned long)code, text);
}

static int
w32_svc_start(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	struct waiter w;
	int ret;

	st->state = SVC_UNKNOWN;
	st->pid = 0;
	if (waiter_open(b, &w, name, SERVICE_START | SERVICE_QUERY_STATUS,
	    timeout_ms, err) != 0)
		return -1;
	ret = start_on(&w, st, err);
	waiter_close(&w);
	return ret;
}

/* ---- the backend ------------------------------------------------------- */

static void
w32_close(struct backend *b)
{
	struct w32 *w;

	if (b == NULL)
		return;
	w = b->impl;
	if (w != NULL && w->scm != NULL)
		CloseServiceHandle(w->scm);
	free(w);
	free(b->home);
	free(b->machine);
	free(b->spec);
	free(b);
}

/* ---- elevation --------------------------------------------------------- */

/* TokenElevation of our own token: TOKEN_QUERY is all it needs. */
static unsigned long
token_elevated(void *ctx, int *elevated)
{
	TOKEN_ELEVATION te;
	HANDLE tok;
	DWORD n, e;

	(void)ctx;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return GetLastError();
	if (!GetTokenInformation(tok, TokenElevation, &te, sizeof(te), &n)) {
		e = GetLastError();
		CloseHandle(tok);
		return e;
	}
	CloseHandle(tok);
	*elevated = te.TokenIsElevated != 0;
	return 0;
}

/* An administrator's unelevated token gets access denied on HKLM writes
 * and SERVICE_STOP: refuse before the first change rather than half way. */
static int
w32_may_change(struct backend *b, struct cm_err *err)
{
	(void)b;
	return backend_elevation_check(token_elevated, NULL, err);
}

/* %CMREMEDY_STATE_DIR% (the Wine rig points it at a folder of its own),
 * else %ProgramData%\cmremedy: where the lock, journal and policy.ini of
 * this machine live. */
static char *
w32_home(void)
{
	char *env = cm_getenv("CMREMEDY_STATE_DIR"), *base;
	struct strbuf dir = { 0 };

	if (env != NULL && *env != '\0')
		return env;
	free(env);
	base = cm_getenv("ProgramData");
	if (base == NULL || *base == '\0') {
		free(base);
		base = text_strdup("C:\\ProgramData");
	}
	if (base == NULL)
		return NULL;
	strbuf_printf(&dir, "%s\\cmremedy", base);
	free(base);
	if (dir.failed)
		strbuf_free(&dir);
	return dir.s;
}

/* "COMPUTERNAME {MachineGuid}": the name alone repeats across images,
 * the GUID alone says nothing to an admin reading a report. */
static int
w32_identity(struct backend *b, char **out, struct cm_err *err)
{
	WCHAR wname[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
	struct regval guid;
	struct strbuf id = { 0 };
	char *name = NULL;
	int exists = 0;

	*out = NULL;
	if (!GetComputerNameW(wname, &n))
		return w32_fail(err, GetLastError(), "cannot read the computer "
		    "name");
	if ((name = w32_to_utf8(wname)) == NULL)
		return cm_err_nomem(err);
	memset(&guid, 0, sizeof(guid));
	if (w32_read_value(b, "HKLM\\SOFTWARE\\Microsoft\\Cryptography",
	    "MachineGuid", REGVIEW_64, &exists, &guid, err) != 0) {
		free(name);
		return -1;
	}
	strbuf_printf(&id, "%s {%s}", name, exists && guid.type == REGT_SZ ?
	    (const char *)guid.data : "");
	free(name);
	regval_free(&guid);
	if (id.failed) {
		strbuf_free(&id);
		return cm_err_nomem(err);
	}
	*out = id.s;
	return 0;
}

static const struct backend_ops w32_ops = {
	BACKEND_OPS_VERSION,
	"win32",
	w32_key_exists,
	w32_read_value,
	w32_write_value,
	w32_delete_value,
	w32_delete_key,
	w32_svc_query,
	w32_svc_dependents,
	w32_svc_stop,
	w32_svc_start,
	w32_close,
	w32_may_change
};

int
backend_win32_open(struct backend **out, struct cm_err *err)
{
	struct backend *b;
	struct w32 *w;
	const char *mode = getenv("CMREMEDY_WIN32_WAIT");

	*out = NULL;
	if (mode != NULL && *mode != '\0' && strcmp(mode, "notify") != 0 &&
	    strcmp(mode, "poll") != 0)
		return cm_err_set(err, CM_ERR_USAGE, 0,
		    "CMREMEDY_WIN32_WAIT=%s: use notify or poll", mode);
	b = calloc(1, sizeof(*b));
	w = calloc(1, sizeof(*w));
	if (b == NULL || w == NULL ||
	    (b->spec = text_strdup("win32")) == NULL) {
		free(b);
		free(w);
		return cm_err_nomem(err);
	}
	w->poll_only = mode != NULL && strcmp(mode, "poll") == 0;
	b->ops = &w32_ops;
	b->impl = w;
	if ((b->home = w32_home()) == NULL) {
		w32_close(b);
		return cm_err_nomem(err);
	}
	b->home_private = 1;
	if (w32_identity(b, &b->machine, err) != 0) {
		w32_close(b);
		return -1;
	}
	*out = b;
	return 0;
}
