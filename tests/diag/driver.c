/* driver.c - a stand-in for `cmremedy diagnose` until cli.c wires it in:
 * "driver PATH... [--since TIME] [--json]"; tests and the benchmark only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"

int
main(int argc, char **argv)
{
	struct diag_opts o;
	struct cm_err err;
	const char **paths;
	int i, rc;

	memset(&o, 0, sizeof(o));
	if ((paths = calloc((size_t)argc, sizeof(*paths))) == NULL)
		return 3;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			o.json = 1;
		} else if (strcmp(argv[i], "--since") == 0) {
			if (i + 1 == argc || diag_parse_time(argv[i + 1],
			    &o.since) < 0) {
				fprintf(stderr, "diagnose: --since wants "
				    "YYYY-MM-DD[THH:MM:SS[Z]]\n");
				free(paths);
				return 2;
			}
			o.has_since = 1;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "diagnose: unknown option %s\n",
			    argv[i]);
			free(paths);
			return 2;
		} else {
			paths[o.npaths++] = argv[i];
		}
	}
	if (o.npaths == 0) {
		fprintf(stderr, "usage: diagnose PATH... [--since TIME] "
		    "[--json]\n");
		free(paths);
		return 2;
	}
	o.paths = paths;
	rc = diag_run(&o, stdout, &err);
	if (rc < 0) {
		fprintf(stderr, "diagnose: %s\n", err.msg);
		rc = 3;
	}
	free(paths);
	return rc;
}
