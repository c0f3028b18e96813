// SPDX-License-Identifier: ISC
/* policy.c - the key allowlist and its policy.ini, read with inih. */
#include "policy.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fsperm.h"
#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"

static const char *const builtin[] = {
	"HKLM\\SOFTWARE\\Microsoft\\SMS",
	"HKLM\\SOFTWARE\\Microsoft\\CCM",
};

/* inih's reader and handler state: one physical line per read, so that
 * the handler knows the line it is called for. */
struct pparse {
	struct policy *pol;
	const char *path;
	const char *text, *end, *at;
	int line;
	int failed;
	struct cm_err *err;
};

static char *
reader(char *buf, int num, void *stream)
{
	struct pparse *pp = stream;
	const char *nl;
	size_t n;

	if (pp->at >= pp->end)
		return NULL;
	nl = memchr(pp->at, '\n', (size_t)(pp->end - pp->at));
	n = nl != NULL ? (size_t)(nl - pp->at) + 1 : (size_t)(pp->end - pp->at);
	pp->line++;
	if (n > (size_t)num - 1) {
		/* inih would cut the line and go on: refuse it instead. */
		if (!pp->failed)
			cm_err_set(pp->err, CM_ERR_INPUT, 0, "%s:%d: line is "
			    "longer than %d characters (inih's limit)",
			    pp->path, pp->line, num - 2);
		pp->failed = 1;
		n = (size_t)num - 1;
	}
	memcpy(buf, pp->at, n);
	buf[n] = '\0';
	pp->at += nl != NULL ? (size_t)(nl - pp->at) + 1 : n;
	return buf;
}

static int
add_prefix(struct policy *pol, char *key)
{
	char **np = mem_grow(pol->prefixes, &pol->capprefixes,
	    pol->nprefixes + 1, sizeof(*np));

	if (np == NULL)
		return -1;
	pol->prefixes = np;
	pol->prefixes[pol->nprefixes++] = key;
	return 0;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct pparse *pp = user;
	struct cm_err e;
	char *key;

	if (pp->failed)
		return 1;
	if (text_casecmp(section, "allow") != 0 ||
	    text_casecmp(name, "key") != 0) {
		pp->failed = 1;
		cm_err_set(pp->err, CM_ERR_INPUT, 0, "%s:%d: [%s] %s: the "
		    "policy file knows only [allow] with key = HKLM\\...",
		    pp->path, pp->line, section, name);
		return 1;
	}
	if ((key = profile_canon_key(value, &e)) == NULL) {
		pp->failed = 1;
		if (e.kind == CM_ERR_NOMEM)
			cm_err_nomem(pp->err);
		else
			cm_err_set(pp->err, CM_ERR_INPUT, 0, "%s:%d: bad key "
			    "\"%s\": %s", pp->path, pp->line, value, e.msg);
		return 1;
	}
	if (add_prefix(pp->pol, key) != 0) {
		free(key);
		pp->failed = 1;
		cm_err_nomem(pp->err);
	}
	return 1;
}

static struct policy *
policy_builtin(const char *path)
{
	struct policy *pol = calloc(1, sizeof(*pol));
	size_t i;
	char *k;

	if (pol == NULL)
		return NULL;
	if (path != NULL && (pol->path = text_strdup(path)) == NULL) {
		policy_free(pol);
		return NULL;
	}
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if ((k = text_strdup(builtin[i])) == NULL ||
		    add_prefix(pol, k) != 0) {
			free(k);
			policy_free(pol);
			return NULL;
		}
	return pol;
}

int
policy_parse(const char *path, const char *text, size_t len,
    struct policy **out, struct cm_err *err)
{
	struct pparse pp;
	struct policy *pol;
	int rc;

	*out = NULL;
	if ((pol = policy_builtin(path)) == NULL)
		return cm_err_nomem(err);
	pol->file_found = 1;
	memset(&pp, 0, sizeof(pp));
	pp.pol = pol;
	pp.path = path;
	pp.text = pp.at = text;
	pp.end = text + len;
	pp.err = err;
	rc = ini_parse_stream(reader, &pp, handler, &pp);
	if (!pp.failed && rc != 0) {
		pp.failed = 1;
		cm_err_set(err, CM_ERR_INPUT, 0, "%s:%d: syntax error: "
		    "expected [allow] or key = HKLM\\...", path, rc);
	}
	if (pp.failed) {
		policy_free(pol);
		return -1;
	}
	*out = pol;
	return 0;
}

int
policy_load(const char *home, struct policy **out, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;
	char *path;
	FILE *f;
	int rc;

	*out = NULL;
	if (home == NULL) {
		if ((*out = policy_builtin(NULL)) == NULL)
			return cm_err_nomem(err);
		return 0;
	}
	if ((path = text_path_join(home, POLICY_FILE)) == NULL)
		return cm_err_nomem(err);
	if ((f = fopen(path, "rb")) == NULL) {
		/* No file: the built-in prefixes only. */
		*out = policy_builtin(path);
		free(path);
		return *out == NULL ? cm_err_nomem(err) : 0;
	}
	fclose(f);
	if (fsperm_check(path, "policy file", 0, err) != 0 ||
	    sys_read_file(path, &buf, &len, err) != 0) {
		free(path);
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL)
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: contains NUL bytes: "
		    "policy.ini must be UTF-8 text", path);
	else
		rc = policy_parse(path, (const char *)buf, len, out, err);
	free(buf);
	free(path);
	return rc;
}

int
policy_allows(const struct policy *pol, const char *key)
{
	size_t i, n;

	for (i = 0; i < pol->nprefixes; i++) {
		n = strlen(pol->prefixes[i]);
		if (text_ncasecmp(key, pol->prefixes[i], n) == 0 &&
		    (key[n] == '\0' || key[n] == '\\'))
			return 1;
	}
	return 0;
}

int
policy_check_profile(const struct policy *pol, const struct profile *p,
    struct cm_err *err)
{
	size_t i;

	for (i = 0; i < p->nsettings; i++) {
		if (policy_allows(pol, p->settings[i].key))
			continue;
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: key %s is outside "
		    "the keys cmremedy may change (HKLM\\SOFTWARE\\Microsoft\\"
		    "SMS, HKLM\\SOFTWARE\\Microsoft\\CCM%s%s%s): nothing was "
		    "touched; an administrator may add its prefix to %s",
		    p->path != NULL ? p->path : "profile", p->settings[i].key,
		    pol->file_found ? " and the prefixes in " : "",
		    pol->file_found ? pol->path : "",
		    pol->file_found ? "" : "; no policy file",
		    pol->path != NULL ? pol->path : "the policy file "
		    "(policy.ini)");
	}
	return 0;
}

void
policy_free(struct policy *pol)
{
	size_t i;

	if (pol == NULL)
		return;
	for (i = 0; i < pol->nprefixes; i++)
		free(pol->prefixes[i]);
	free(pol->prefixes);
	free(pol->path);
	free(pol);
}
