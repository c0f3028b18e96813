// SPDX-License-Identifier: ISC
/* backend_sim.c - the sim machine: a folder holding registry.reg (the
 * registry, a regedit file edited through regfile) and services.ini (the
 * Service Control Manager, simsvc). */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

#include "reg/regfile.h"
#include "reg/regkey.h"
#include "simsvc.h"
#include "util/sysutil.h"
#include "util/text.h"

struct sim {
	char *regpath;        /* DIR/registry.reg */
	struct simsvc *scm;   /* DIR/services.ini */
};

static struct sim *
sim_of(struct backend *b)
{
	return b->impl;
}

/* The key a view sees (regkey_view_path; the sim redirects every key
 * under SOFTWARE).  Caller frees. */
static int
view_key(const char *key, int view, char **out, struct cm_err *err)
{
	*out = NULL;
	if (view != REGVIEW_64 && view != REGVIEW_32)
		return cm_err_set(err, CM_ERR_SYSTEM, 0, "%s: registry view %d "
		    "is neither 64 nor 32", key, view);
	if ((*out = regkey_view_path(key, (enum regview)view)) == NULL)
		return cm_err_nomem(err);
	return 0;
}

/* regfile reports bad file contents as CM_ERR_INPUT (a bad .reg given by a
 * user); in the sim they are the machine's fault: CM_ERR_SYSTEM, as every
 * backend failure is.  Returns -1. */
static int
as_system(struct cm_err *err)
{
	if (err != NULL && err->kind == CM_ERR_INPUT)
		err->kind = CM_ERR_SYSTEM;
	return -1;
}

/* Reads registry.reg afresh (so that a verify really re-reads the disk).
 * *raw keeps the bytes read, to tell whether an edit changed anything.  A
 * malformed file fails with regfile's "PATH:LINE: why". */
static int
reg_load(struct sim *s, struct regfile **rf, unsigned char **raw,
    size_t *rawlen, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;

	*rf = NULL;
	if (sys_read_file(s->regpath, &buf, &len, err) != 0)
		return -1;
	if (regfile_parse(s->regpath, buf, len, rf, err) != 0) {
		free(buf);
		return as_system(err);
	}
	if (raw != NULL) {
		*raw = buf;
		*rawlen = len;
	} else {
		free(buf);
	}
	return 0;
}

/* Writes rf back unless it serialises to exactly what was read, so that an
 * edit that changes nothing (deleting what is absent) leaves the file
 * untouched. */
static int
reg_store(struct sim *s, const struct regfile *rf, const unsigned char *raw,
    size_t rawlen, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;
	int rc = 0;

	if (regfile_serialize(rf, &buf, &len, err) != 0)
		return -1;
	if (len != rawlen || memcmp(buf, raw, len) != 0)
		rc = sys_write_atomic(s->regpath, buf, len, err);
	free(buf);
	return rc;
}

static int
sim_key_exists(struct backend *b, const char *key, int view, int *exists,
    struct cm_err *err)
{
	struct regfile *rf;
	char *k;

	*exists = 0;
	if (view_key(key, view, &k, err) != 0)
		return -1;
	if (reg_load(sim_of(b), &rf, NULL, NULL, err) != 0) {
		free(k);
		return -1;
	}
	/* In the registry a key with subkeys exists, header or not. */
	*exists = regfile_key_exists(rf, k) || regfile_has_subkey(rf, k);
	regfile_free(rf);
	free(k);
	return 0;
}

static int
sim_read_value(struct backend *b, const char *key, const char *name,
    int view, int *exists, struct regval *out, struct cm_err *err)
{
	struct regfile *rf;
	struct regval v;
	char *k;
	int rc;

	*exists = 0;
	if (view_key(key, view, &k, err) != 0)
		return -1;
	if (reg_load(sim_of(b), &rf, NULL, NULL, err) != 0) {
		free(k);
		return -1;
	}
	memset(&v, 0, sizeof(v));
	rc = regfile_get(rf, k, name, &v, err);
	regfile_free(rf);
	free(k);
	if (rc < 0)
		return as_system(err);
	if (rc == 1) {
		*out = v;
		*exists = 1;
	}
	return 0;
}

/* The three edits share load, edit, store. */
enum edit { EDIT_SET, EDIT_DELETE_VALUE, EDIT_DELETE_KEY };

static int
sim_edit(struct backend *b, enum edit what, const char *key,
    const char *name, int view, const struct regval *v, struct cm_err *err)
{
	struct sim *s = sim_of(b);
	struct regfile *rf;
	unsigned char *raw;
	size_t rawlen;
	char *k;
	int rc;

	if (view_key(key, view, &k, err) != 0)
		return -1;
	if (reg_load(s, &rf, &raw, &rawlen, err) != 0) {
		free(k);
		return -1;
	}
	switch (what) {
	case EDIT_SET:
		rc = regfile_set(rf, k, name, v, err);
		break;
	case EDIT_DELETE_VALUE:
		rc = regfile_delete_value(rf, k, name, err);
		break;
	default:
		if (!regfile_key_exists(rf, k) && regfile_has_subkey(rf, k))
			rc = cm_err_set(err, CM_ERR_SYSTEM, 0, "%s: cannot "
			    "delete key %s: it has subkeys", s->regpath, k);
		else
			rc = regfile_delete_key(rf, k, err);
		break;
	}
	if (rc == 0)
		rc = reg_store(s, rf, raw, rawlen, err);
	regfile_free(rf);
	free(raw);
	free(k);
	return rc == 0 ? 0 : as_system(err);
}

static int
sim_write_value(struct backend *b, const char *key, const char *name,
    int view, const struct regval *v, struct cm_err *err)
{
	return sim_edit(b, EDIT_SET, key, name, view, v, err);
}

static int
sim_delete_value(struct backend *b, const char *key, const char *name,
    int view, struct cm_err *err)
{
	return sim_edit(b, EDIT_DELETE_VALUE, key, name, view, NULL, err);
}

static int
sim_delete_key(struct backend *b, const char *key, int view,
    struct cm_err *err)
{
	return sim_edit(b, EDIT_DELETE_KEY, key, NULL, view, NULL, err);
}

static int
sim_svc_query(struct backend *b, const char *name, struct svc_status *st,
    struct cm_err *err)
{
	return simsvc_query(sim_of(b)->scm, name, st, err);
}

static int
sim_svc_dependents(struct backend *b, const char *name, char ***names,
    size_t *n, struct cm_err *err)
{
	return simsvc_dependents(sim_of(b)->scm, name, names, n, err);
}

static int
sim_svc_stop(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	return simsvc_stop(sim_of(b)->scm, name, timeout_ms, st, err);
}

static int
sim_svc_start(struct backend *b, const char *name, unsigned timeout_ms,
    struct svc_status *st, struct cm_err *err)
{
	return simsvc_start(sim_of(b)->scm, name, timeout_ms, st, err);
}

static void
sim_close(struct backend *b)
{
	struct sim *s;

	if (b == NULL)
		return;
	if ((s = b->impl) != NULL) {
		free(s->regpath);
		simsvc_close(s->scm);
		free(s);
	}
	free(b->home);
	free(b->machine);
	free(b->spec);
	free(b);
}

/* A simulated machine has no users: whoever can write its folder may. */
static int
sim_may_change(struct backend *b, struct cm_err *err)
{
	(void)b;
	(void)err;
	return 0;
}

static const struct backend_ops sim_ops = {
	BACKEND_OPS_VERSION,
	"sim",
	sim_key_exists,
	sim_read_value,
	sim_write_value,
	sim_delete_value,
	sim_delete_key,
	sim_svc_query,
	sim_svc_dependents,
	sim_svc_stop,
	sim_svc_start,
	sim_close,
	sim_may_change
};


/* Both files are read once here, so that a broken machine is reported
 * before anything acts on it; every operation reads them again. */
int
backend_sim_open(const char *dir, struct backend **out, struct cm_err *err)
{
	struct backend *b;
	struct regfile *rf;
	struct sim *s;
	struct strbuf spec = { NULL, 0, 0, 0 };
	char *svcpath;
	int rc;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return cm_err_nomem(err);
	b->ops = &sim_ops;
	strbuf_printf(&spec, "sim:%s", dir);
	if (spec.failed || (s = calloc(1, sizeof(*s))) == NULL) {
		strbuf_free(&spec);
		free(b);
		return cm_err_nomem(err);
	}
	b->impl = s;
	b->spec = spec.s;
	svcpath = text_path_join(dir, "services.ini");
	if ((s->regpath = text_path_join(dir, "registry.reg")) == NULL ||
	    svcpath == NULL) {
		free(svcpath);
		sim_close(b);
		return cm_err_nomem(err);
	}
	rc = reg_load(s, &rf, NULL, NULL, err);
	regfile_free(rf);
	/* The folder is the machine: its canonical path names it in
	 * reports, and holds its lock and journal. */
	if (rc == 0 && ((b->home = sys_realpath(dir, err)) == NULL ||
	    (b->machine = text_strdup(b->home)) == NULL))
		rc = b->home == NULL ? -1 : cm_err_nomem(err);
	if (rc == 0)
		rc = simsvc_open(svcpath, &s->scm, err);
	free(svcpath);
	if (rc != 0) {
		sim_close(b);
		return -1;
	}
	*out = b;
	return 0;
}
