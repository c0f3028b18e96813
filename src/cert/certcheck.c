// SPDX-License-Identifier: ISC
/* certcheck.c - certcheck from its options to its output. */
#include "certcheck.h"

#include <stdlib.h>
#include <string.h>

#include "cert_filter.h"
#include "cert_output.h"
#include "util/sysutil.h"

int
certcheck_read_password(const char *path, char **pw, struct cm_err *err)
{
	unsigned char *buf;
	size_t len;

	*pw = NULL;
	if (sys_read_file(path, &buf, &len, err) != 0)
		return -1;
	/* The buffer ends in a NUL: the first line ends at CR, LF or NUL. */
	buf[strcspn((char *)buf, "\r\n")] = '\0';
	*pw = (char *)buf;
	return 0;
}

int
certcheck_run(const struct certcheck_opts *o, FILE *out, struct cm_err *err)
{
	struct cert_source_opts src = o->src;
	struct cert_set set = { NULL, 0, 0 };
	struct cert_result res;
	char host[256] = "", *pw = NULL;
	const char *computer = o->computer;
	int rc = -1;

	memset(&res, 0, sizeof(res));
	if (!src.store && src.nfiles == 0)
		return cm_err_set(err, CM_ERR_USAGE, 0, "certcheck needs "
		    "--store or --cert FILE");
	if (o->password_file != NULL) {
		if (certcheck_read_password(o->password_file, &pw, err) != 0)
			return -1;
		src.password = pw;
	}
	if (computer == NULL) {
		(void)cert_source_computer(host, sizeof(host));
		computer = host;
	}
	if (cert_source_load(&src, &set, err) != 0 ||
	    cert_filter(&set, o->now ? o->now : time(NULL), computer, &res,
	    err) != 0)
		goto out;
	if ((o->json ? cert_output_json : cert_output_text)(&set, &res,
	    computer, out, err) != 0)
		goto out;
	rc = cert_result_exit(&res);
out:
	cert_result_free(&res);
	cert_set_free(&set);
	if (pw != NULL) {
		/* The password leaves memory with the run. */
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	return rc;
}
