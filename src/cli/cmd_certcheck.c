// SPDX-License-Identifier: ISC
/* cmd_certcheck.c - `certcheck`: from parsed options to the certificate
 * filter and an exit code. */
#include "cmd.h"

#include <string.h>

#include "cert/cert_source.h"
#include "cert/certcheck.h"

int
cmd_certcheck(const struct cli *c, FILE *out, FILE *errout)
{
	struct certcheck_opts o;
	struct cm_err err;
	int rc;

	memset(&o, 0, sizeof(o));
	o.src.files = c->certs;
	o.src.nfiles = c->ncerts;
	o.src.roots = c->roots;
	o.src.nroots = c->nroots;
	/* The store is the default where there is one and no file was
	 * named; elsewhere a run without --cert is a usage error. */
	o.src.store = c->store || (c->ncerts == 0 && cert_source_has_store());
	o.password_file = c->password_file;
	o.computer = c->computer;
	o.json = c->json;
	if (!o.src.store && o.src.nfiles == 0) {
		fprintf(errout, "cmremedy: certcheck needs --cert FILE here "
		    "(the certificate store LocalMachine\\My exists on Windows "
		    "only)\n");
		cli_usage(errout);
		return EXIT_USAGE;
	}
	rc = certcheck_run(&o, out, &err);
	if (rc < 0) {
		fprintf(errout, "cmremedy: %s\n", err.msg);
		if (err.kind == CM_ERR_USAGE)
			cli_usage(errout);
		return cli_exit_for(err.kind);
	}
	return rc == 0 ? EXIT_OK : EXIT_NONCOMPLIANT;
}
