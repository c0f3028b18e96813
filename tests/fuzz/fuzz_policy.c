// SPDX-License-Identifier: ISC
/* fuzz_policy.c - libFuzzer target: the machine's policy.ini (the key
 * allowlist), read through inih.  A file it refuses is refused as bad
 * input (CM_ERR_INPUT: exit 2) with "PATH:LINE:" first.  A file it
 * accepts gives canonical prefixes, the two built-in ones first, each of
 * which the policy allows (and every key under it), while a key outside
 * every prefix stays refused. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"

#define NAME "fuzz/policy.ini"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_policy: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

/* Every accepted prefix is what profile_canon_key makes of it, and is
 * allowed with everything under it. */
static void
check_policy(const struct policy *pol)
{
	struct cm_err err;
	char under[1024], *canon;
	size_t i;

	if (pol->nprefixes < 2 || !pol->file_found ||
	    strcmp(pol->prefixes[0], "HKLM\\SOFTWARE\\Microsoft\\SMS") != 0 ||
	    strcmp(pol->prefixes[1], "HKLM\\SOFTWARE\\Microsoft\\CCM") != 0)
		die("the built-in prefixes are not first", NULL);
	for (i = 0; i < pol->nprefixes; i++) {
		if ((canon = profile_canon_key(pol->prefixes[i], &err)) ==
		    NULL) {
			if (err.kind == CM_ERR_NOMEM)
				continue;
			die("a prefix that is not a key", pol->prefixes[i]);
		}
		if (strcmp(canon, pol->prefixes[i]) != 0)
			die("a prefix that is not canonical", pol->prefixes[i]);
		free(canon);
		if (!policy_allows(pol, pol->prefixes[i]))
			die("a prefix the policy refuses", pol->prefixes[i]);
		if ((size_t)snprintf(under, sizeof(under), "%s\\Sub",
		    pol->prefixes[i]) < sizeof(under) &&
		    !policy_allows(pol, under))
			die("a key under a prefix that the policy refuses",
			    under);
	}
	/* Nothing a profile can write canonically lies outside "HKLM\": a
	 * key outside the whole machine hive is refused by any policy. */
	if (policy_allows(pol, "HKCU\\Software\\Fuzz"))
		die("a policy that allows a key outside every prefix", NULL);
}

/* "NAME:LINE: ", LINE a line number from 1. */
static int
names_line(const char *msg)
{
	const char *p = msg + strlen(NAME ":");

	if (strncmp(msg, NAME ":", strlen(NAME ":")) != 0 ||
	    *p < '1' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == ':';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *pol;
	struct cm_err err;

	/* policy_load refuses a file with NUL bytes before parsing. */
	if (memchr(data, '\0', size) != NULL)
		return 0;
	if (policy_parse(NAME, (const char *)data, size, &pol, &err) != 0) {
		if (err.kind == CM_ERR_NOMEM)
			return 0;
		if (err.kind != CM_ERR_INPUT)
			die("a refusal that is not bad input", err.msg);
		if (!names_line(err.msg))
			die("a refusal that does not name file and line",
			    err.msg);
		return 0;
	}
	check_policy(pol);
	policy_free(pol);
	return 0;
}
