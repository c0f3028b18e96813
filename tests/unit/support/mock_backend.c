// SPDX-License-Identifier: ISC
/* mock_backend.c - the in-memory machine for apply's unit tests. */
#include "mock_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct mock_machine *
M(struct backend *b)
{
	return b->impl;
}

/* Counts the call, logs it, and says whether this call must fail. */
static int
fault(struct backend *b, const char *op, const char *arg, struct cm_err *err)
{
	struct mock_machine *m = M(b);
	size_t n = strlen(m->log);

	m->calls++;
	snprintf(m->log + n, sizeof(m->log) - n, "%s:%s ", op, arg);
	if (m->on_call != NULL)
		m->on_call(m, op, arg);
	if (m->fail_at != 0 && (m->calls == m->fail_at ||
	    (m->fail_after && m->calls > m->fail_at)))
		return cm_err_set(err, CM_ERR_SYSTEM, 5,
		    "mock: injected failure of call %u (%s %s)", m->calls, op,
		    arg);
	return 0;
}

int
mock_key_present(const struct mock_machine *m, const char *key, int view)
{
	size_t i;

	for (i = 0; i < m->nkeys; i++)
		if (m->key_views[i] == view && strcasecmp(m->keys[i], key) == 0)
			return 1;
	return 0;
}

const struct mock_value *
mock_find(const struct mock_machine *m, const char *key, const char *name,
    int view)
{
	size_t i;

	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].view == view &&
		    strcasecmp(m->values[i].key, key) == 0 &&
		    strcasecmp(m->values[i].name, name) == 0)
			return &m->values[i];
	return NULL;
}

const struct mock_service *
mock_service(const struct mock_machine *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nservices; i++)
		if (strcasecmp(m->services[i].name, name) == 0)
			return &m->services[i];
	return NULL;
}

void
mock_add_key(struct mock_machine *m, const char *key, int view)
{
	char buf[128], *cut;

	/* Parents exist whenever a child does, as in a real registry. */
	snprintf(buf, sizeof(buf), "%s", key);
	while (!mock_key_present(m, buf, view) && m->nkeys < MOCK_MAX) {
		snprintf(m->keys[m->nkeys], sizeof(m->keys[0]), "%s", buf);
		m->key_views[m->nkeys++] = view;
		if ((cut = strrchr(buf, '\\')) == NULL)
			break;
		*cut = '\0';
	}
}

void
mock_add_dword(struct mock_machine *m, const char *key, const char *name,
    int view, unsigned long num)
{
	struct mock_value *v = &m->values[m->nvalues++];

	mock_add_key(m, key, view);
	snprintf(v->key, sizeof(v->key), "%s", key);
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->view = view;
	regval_set_number(&v->v, REGT_DWORD, num);
}

struct mock_service *
mock_add_service(struct mock_machine *m, const char *name,
    const char *depends_on, enum svc_state st, unsigned long pid)
{
	struct mock_service *s = &m->services[m->nservices++];

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->depends_on, sizeof(s->depends_on), "%s", depends_on);
	s->state = st;
	s->pid = pid;
	if (pid >= m->next_pid)
		m->next_pid = pid + 1;
	return s;
}

void
mock_clear(struct mock_machine *m)
{
	size_t i;

	for (i = 0; i < m->nvalues; i++)
		regval_free(&m->values[i].v);
	memset(m, 0, sizeof(*m));
}

static int
key_exists(struct backend *b, const char *key, int view, int *exists,
    struct cm_err *err)
{
	if (fault(b, "key_exists", key, err))
		return -1;
	*exists = mock_key_present(M(b), key, view);
	return 0;
}

static int
read_value(struct backend *b, const char *key, const char *name, int view,
    int *exists, struct regval *out, struct cm_err *err)
{
	const struct mock_value *v;

	if (fault(b, "read", name, err))
		return -1;
	v = mock_find(M(b), key, name, view);
	*exists = v != NULL;
	if (v != NULL && regval_copy(out, &v->v) != 0)
		return cm_err_nomem(err);
	return 0;
}

static int
write_value(struct backend *b, const char *key, const char *name, int view,
    const struct regval *val, struct cm_err *err)
{
	struct mock_machine *m = M(b);
	struct mock_value *v;

	if (fault(b, "write", name, err))
		return -1;
	mock_add_key(m, key, view);
	v = (struct mock_value *)mock_find(m, key, name, view);
	if (v == NULL) {
		v = &m->values[m->nvalues++];
		snprintf(v->key, sizeof(v->key), "%s", key);
		snprintf(v->name, sizeof(v->name), "%s", name);
		v->view = view;
	}
	regval_free(&v->v);
	return regval_copy(&v->v, val) == 0 ? 0 : cm_err_nomem(err);
}

static int
delete_value(struct backend *b, const char *key, const char *name, int view,
    struct cm_err *err)
{
	struct mock_machine *m = M(b);
	struct mock_value *v;

	if (fault(b, "delete_value", name, err))
		return -1;
	if ((v = (struct mock_value *)mock_find(m, key, name, view)) != NULL) {
		regval_free(&v->v);
		*v = m->values[--m->nvalues];
		memset(&m->values[m->nvalues], 0, sizeof(m->values[0]));
	}
	return 0;
}

static int
delete_key(struct backend *b, const char *key, int view, struct cm_err *err)
{
	struct mock_machine *m = M(b);
	size_t i, n = strlen(key);

	if (fault(b, "delete_key", key, err))
		return -1;
	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].view == view &&
		    strcasecmp(m->values[i].key, key) == 0)
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "not empty");
	for (i = 0; i < m->nkeys; i++)
		if (m->key_views[i] == view &&
		    strncasecmp(m->keys[i], key, n) == 0 &&
		    m->keys[i][n] == '\\')
			return cm_err_set(err, CM_ERR_SYSTEM, 0, "has subkeys");
	for (i = 0; i < m->nkeys; i++)
		if (m->key_views[i] == view &&
		    strcasecmp(m->keys[i], key) == 0) {
			m->nkeys--;
			memcpy(m->keys[i], m->keys[m->nkeys],
			    sizeof(m->keys[0]));
			m->key_views[i] = m->key_views[m->nkeys];
			break;
		}
	return 0;
}

/* Records the timeout a stop or start was given. */
static void
tlog(struct mock_machine *m, const char *op, const char *name, unsigned ms)
{
	size_t n = strlen(m->tlog);

	snprintf(m->tlog + n, sizeof(m->tlog) - n, "%s:%s:%u ", op, name, ms);
}

static struct mock_service *
find_svc(struct backend *b, const char *name, struct cm_err *err)
{
	struct mock_service *s =
	    (struct mock_service *)mock_service(M(b), name);

	if (s == NULL)
		cm_err_set(err, CM_ERR_SYSTEM, 1060,
		    "service %s does not exist on this machine", name);
	return s;
}

static int
svc_query(struct backend *b, const char *name, struct svc_status *st,
    struct cm_err *err)
{
	struct mock_service *s;

	if (fault(b, "query", name, err) ||
	    (s = find_svc(b, name, err)) == NULL)
		return -1;
	st->state = s->state;
	st->pid = s->state == SVC_STOPPED ? 0 : s->pid;
	return 0;
}

static int
svc_dependents(struct backend *b, const char *name, char ***names,
    size_t *n, struct cm_err *err)
{
	struct mock_machine *m = M(b);
	size_t i;

	*names = NULL;
	*n = 0;
	if (fault(b, "dependents", name, err))
		return -1;
	if ((*names = calloc(MOCK_MAX, sizeof(char *))) == NULL)
		return cm_err_nomem(err);
	for (i = 0; i < m->nservices; i++)
		if (strcasecmp(m->services[i].depends_on, name) == 0 &&
		    m->services[i].state != SVC_STOPPED)
			(*names)[(*n)++] = strdup(m->services[i].name);
	return 0;
}

static int
svc_stop(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	struct mock_machine *m = M(b);
	struct mock_service *s;
	size_t i;

	tlog(m, "stop", name, timeout_ms);
	if (fault(b, "stop", name, err) || (s = find_svc(b, name, err)) == NULL)
		return -1;
	for (i = 0; i < m->nservices; i++)
		if (strcasecmp(m->services[i].depends_on, name) == 0 &&
		    m->services[i].state != SVC_STOPPED)
			return cm_err_set(err, CM_ERR_SYSTEM, 1051,
			    "%s has running dependents", name);
	if (s->hang_stop && s->state != SVC_STOPPED) {
		s->state = SVC_STOP_PENDING;
		st->state = s->state;
		st->pid = s->pid;
		return cm_err_set(err, CM_ERR_TIMEOUT, 0, "%s: stop timed out",
		    name);
	}
	s->state = SVC_STOPPED;
	st->state = SVC_STOPPED;
	st->pid = 0;
	return 0;
}

static int
svc_start(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	struct mock_machine *m = M(b);
	struct mock_service *s;
	const struct mock_service *dep;

	tlog(m, "start", name, timeout_ms);
	if (fault(b, "start", name, err) ||
	    (s = find_svc(b, name, err)) == NULL)
		return -1;
	if (s->state == SVC_RUNNING)
		goto done;
	if (s->depends_on[0] != '\0' &&
	    ((dep = mock_service(m, s->depends_on)) == NULL ||
	    dep->state != SVC_RUNNING))
		return cm_err_set(err, CM_ERR_SYSTEM, 1068,
		    "%s: dependency not running", name);
	if (s->state != SVC_STOPPED)
		return cm_err_set(err, CM_ERR_SYSTEM, 1056, "%s is %s", name,
		    svc_state_name(s->state));
	if (s->fail_start > 0) {
		s->fail_start--;
		return cm_err_set(err, CM_ERR_SYSTEM, 1066,
		    "%s: service failed to start", name);
	}
	s->state = s->start_ends != 0 ? s->start_ends : SVC_RUNNING;
	if (!s->keep_pid)
		s->pid = m->next_pid++;
done:
	st->state = s->state;
	st->pid = s->pid;
	return 0;
}

static void
mock_close(struct backend *b)
{
	free(b->spec);
	free(b);
}

static int
may_change(struct backend *b, struct cm_err *err)
{
	return fault(b, "may_change", "-", err);
}

static const struct backend_ops mock_ops = {
	BACKEND_OPS_VERSION, "mock", key_exists, read_value, write_value,
	delete_value, delete_key, svc_query, svc_dependents, svc_stop,
	svc_start, mock_close, may_change
};

struct backend *
mock_backend(struct mock_machine *m)
{
	struct backend *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->ops = &mock_ops;
	b->spec = strdup("mock");
	b->impl = m;
	return b;
}
