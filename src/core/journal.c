// SPDX-License-Identifier: ISC
/* journal.c - the run journal (journal.h): a report plus who wrote it. */
#include "journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "util/fsperm.h"
#include "util/jsonw.h"
#include "util/sysutil.h"
#include "util/text.h"
#include "util/utf.h"

char *
journal_path(const char *home)
{
	return text_path_join(home, JOURNAL_FILE);
}

int
journal_write(const char *home, const struct report *rep,
    const char *report_path, struct cm_err *err)
{
	char *text, *path, *out = NULL;
	json_t *o;
	int rc = -1;

	/* JSON holds UTF-8 only, and the path must come back exact (check
	 * names it, recover rewrites that report): say so, before any change,
	 * rather than record another name. */
	if (report_path != NULL &&
	    !utf8_valid(report_path, strlen(report_path)))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the report path "
		    "is not valid UTF-8, so the run's journal cannot record "
		    "it: choose a report path in UTF-8", report_path);
	if ((text = report_to_json(rep, err)) == NULL)
		return -1;
	o = json_loads(text, 0, NULL);
	free(text);
	if (o == NULL || json_object_set_new(o, "journal",
	    json_integer(JOURNAL_VERSION)) != 0 ||
	    json_object_set_new(o, "pid", json_integer((json_int_t)getpid())) ||
	    json_object_set_new(o, "report", report_path != NULL ?
	    json_string(report_path) : json_null()) != 0 ||
	    (out = json_dumps(o, JSON_INDENT(2))) == NULL) {
		json_decref(o);
		return cm_err_nomem(err);
	}
	json_decref(o);
	if ((path = journal_path(home)) == NULL) {
		jsonw_free(out);
		return cm_err_nomem(err);
	}
	rc = sys_write_atomic(path, out, strlen(out), err);
	jsonw_free(out);
	free(path);
	return rc;
}

int
journal_remove(const char *home, struct cm_err *err)
{
	char *path = journal_path(home);
	int e;

	if (path == NULL)
		return cm_err_nomem(err);
	if (remove(path) != 0 && errno != ENOENT) {
		e = errno;
		cm_err_set(err, CM_ERR_SYSTEM, e, "%s: cannot remove the "
		    "journal: %s", path, strerror(e));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int
journal_read(const char *home, struct report **rep, char **report_path,
    struct cm_err *err)
{
	char *path = journal_path(home);
	unsigned char *buf = NULL;
	size_t len;
	json_error_t je;
	json_t *o = NULL, *r;
	FILE *f;
	int rc = -1;

	*rep = NULL;
	*report_path = NULL;
	if (path == NULL)
		return cm_err_nomem(err);
	if ((f = fopen(path, "rb")) == NULL) {
		free(path);
		return 0;
	}
	fclose(f);
	/* Read once: the report and its "report" member come from the same
	 * bytes.  A journal that another user wrote or may write is not
	 * this machine's state: recover would write whatever it says. */
	if (fsperm_check(path, "journal", 0, err) != 0 ||
	    sys_read_file(path, &buf, &len, err) != 0 ||
	    report_parse(path, buf, len, rep, err) != 0) {
		/* Not the user's input but the machine's state. */
		if (err != NULL)
			err->kind = CM_ERR_SYSTEM;
		goto out;
	}
	o = json_loadb((const char *)buf, len, 0, &je);
	r = o != NULL ? json_object_get(o, "report") : NULL;
	if (o == NULL || r == NULL ||
	    (!json_is_string(r) && !json_is_null(r)))
		cm_err_set(err, CM_ERR_SYSTEM, 0, "%s: report: missing or not "
		    "a string: not a cmremedy journal", path);
	else if (json_is_string(r) &&
	    (*report_path = text_strdup(json_string_value(r))) == NULL)
		cm_err_nomem(err);
	else
		rc = 1;
out:
	if (rc != 1) {
		report_free(*rep);
		*rep = NULL;
	}
	json_decref(o);
	free(buf);
	free(path);
	return rc;
}
