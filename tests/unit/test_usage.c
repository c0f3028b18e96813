// SPDX-License-Identifier: ISC
/* test_usage.c - the command table against its three descriptions: every
 * command and option in the table appears, with exactly its options, in
 * --help, the README's "Command line" block and the man page's SYNOPSIS,
 * and none of them names a command or option the table lacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "util/sysutil.h"
#include "util/text.h"

#define FIX "; keep src/cli/cli.c (the command table and usage text), " \
    "README.md (## Command line) and src/cmremedy.1 (SYNOPSIS, OPTIONS) " \
    "in step"

/* One synopsis entry: "cmremedy NAME ..." up to the next entry. */
struct entry {
	char name[32];
	char opts[512];       /* " --a --b " */
};

static char *
slurp(const char *path)
{
	unsigned char *buf;
	size_t len;
	struct cm_err err;

	if (sys_read_file(path, &buf, &len, &err) != 0)
		fail_msg("%s", err.msg);
	return (char *)buf;
}

/* Drops roff's backslash before '-' and its font macros, so that the man
 * page's SYNOPSIS reads like the usage text. */
static void
unroff(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (r[0] == '\\' && r[1] == '-') {
			r++;
			continue;
		}
		if ((r == s || r[-1] == '\n') && *r == '.') {
			if (strncmp(r, ".br", 3) == 0)
				*w++ = '\n';
			while (*r != '\0' && *r != ' ' && *r != '\n')
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* The next "cmremedy" followed by a blank or a line end, or NULL. */
static const char *
next_name(const char *p)
{
	while ((p = strstr(p, "cmremedy")) != NULL &&
	    p[8] != ' ' && p[8] != '\n')
		p += 8;
	return p;
}

/* Splits text into entries at each "cmremedy WORD" whose WORD is not an
 * option.  Returns how many. */
static size_t
entries(const char *text, struct entry *e, size_t max)
{
	const char *p = text, *q, *next;
	size_t n = 0, k;

	while ((p = next_name(p)) != NULL) {
		p += 8;
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p == '-' || *p == '\0')
			continue;
		assert_true(n < max);
		for (k = 0; p[k] >= 'a' && p[k] <= 'z' && k + 1 < 32; k++)
			e[n].name[k] = p[k];
		e[n].name[k] = '\0';
		next = next_name(p);
		e[n].opts[0] = '\0';
		for (q = p; (q = strstr(q, "--")) != NULL &&
		    (next == NULL || q < next); q += 2) {
			size_t m = strspn(q + 2, "abcdefghijklmnopqrstuvwxyz-");
			char opt[64];

			snprintf(opt, sizeof(opt), " --%.*s ", (int)m, q + 2);
			if (strstr(e[n].opts, opt) == NULL)
				strncat(e[n].opts, opt + (e[n].opts[0] != '\0'),
				    sizeof(e[n].opts) - strlen(e[n].opts) - 1);
		}
		n++;
	}
	return n;
}

/* The part of text from the line holding `from` to the one holding `to`
 * (exclusive), malloc'd. */
static char *
section(const char *text, const char *from, const char *to, const char *doc)
{
	const char *a = strstr(text, from), *b;
	char *s;

	if (a == NULL)
		fail_msg("%s: no \"%s\"" FIX, doc, from);
	b = strstr(a + strlen(from), to);
	if (b == NULL)
		b = a + strlen(a);
	s = malloc((size_t)(b - a) + 1);
	assert_non_null(s);
	memcpy(s, a, (size_t)(b - a));
	s[b - a] = '\0';
	return s;
}

/* The options the table gives cmd, as " --a --b " in table order. */
static void
table_opts(const char *cmd, char *out, size_t len)
{
	const char *o;
	size_t i;

	snprintf(out, len, " ");
	for (i = 0; (o = cli_option_at(i)) != NULL; i++)
		if (cli_takes(cmd, o)) {
			strncat(out, o, len - strlen(out) - 1);
			strncat(out, " ", len - strlen(out) - 1);
		}
}

/* Every option in a and b: the same set. */
static int
same_set(const char *a, const char *b)
{
	char tok[64];
	const char *p;
	int n;

	for (p = a; sscanf(p, " %63s%n", tok, &n) == 1; p += n) {
		char pad[70];
		snprintf(pad, sizeof(pad), " %s ", tok);
		if (strstr(b, pad) == NULL)
			return 0;
	}
	for (p = b; sscanf(p, " %63s%n", tok, &n) == 1; p += n) {
		char pad[70];
		snprintf(pad, sizeof(pad), " %s ", tok);
		if (strstr(a, pad) == NULL)
			return 0;
	}
	return 1;
}

static void
check_synopsis(const char *doc, const char *text)
{
	struct entry e[32];
	char want[512];
	const char *cmd;
	size_t n, i, k;

	n = entries(text, e, 32);
	for (i = 0; (cmd = cli_command_at(i)) != NULL; i++) {
		for (k = 0; k < n && strcmp(e[k].name, cmd) != 0; k++)
			;
		if (k == n)
			fail_msg("%s: command '%s' of the table is missing" FIX,
			    doc, cmd);
		table_opts(cmd, want, sizeof(want));
		if (!same_set(want, e[k].opts))
			fail_msg("%s: '%s' lists options {%s}, the table "
			    "{%s}" FIX, doc, cmd, e[k].opts, want);
	}
	for (k = 0; k < n; k++) {
		for (i = 0; (cmd = cli_command_at(i)) != NULL; i++)
			if (strcmp(e[k].name, cmd) == 0)
				break;
		if (cmd == NULL)
			fail_msg("%s: names command '%s', which the table "
			    "lacks" FIX, doc, e[k].name);
	}
}

static void
test_help(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	(void)state;

	assert_non_null(f);
	cli_usage(f);
	assert_int_equal(fclose(f), 0);
	check_synopsis("--help", buf);
	assert_non_null(strstr(buf, "--help"));
	assert_non_null(strstr(buf, "--version"));
	free(buf);
}

static void
test_readme(void **state)
{
	char *text = slurp("README.md"), *syn;
	(void)state;

	syn = section(text, "## Command line", "\n```\n\n", "README.md");
	check_synopsis("README.md", syn);
	free(syn);
	free(text);
}

static void
test_man_synopsis(void **state)
{
	char *text = slurp("src/cmremedy.1"), *syn;
	(void)state;

	syn = section(text, ".SH SYNOPSIS", "\n.SH ", "cmremedy.1");
	unroff(syn);
	check_synopsis("cmremedy.1 SYNOPSIS", syn);
	free(syn);
	free(text);
}

/* The OPTIONS section documents each option of the table, and only those
 * (besides --help and --version). */
static void
test_man_options(void **state)
{
	char *text = slurp("src/cmremedy.1"), *sec, *p;
	const char *o;
	size_t i, m;
	(void)state;

	sec = section(text, ".SH OPTIONS", "\n.SH ", "cmremedy.1");
	unroff(sec);
	for (i = 0; (o = cli_option_at(i)) != NULL; i++) {
		char pad[70];

		snprintf(pad, sizeof(pad), "%s ", o);
		if (strstr(sec, pad) == NULL &&
		    strstr(sec, o)[strlen(o)] != '\n')
			fail_msg("cmremedy.1 OPTIONS: %s is not described" FIX,
			    o);
	}
	for (p = sec; (p = strstr(p, "--")) != NULL; p += 2 + m) {
		char opt[64];

		m = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		snprintf(opt, sizeof(opt), "--%.*s", (int)m, p + 2);
		if (strcmp(opt, "--help") == 0 || strcmp(opt, "--version") == 0)
			continue;
		for (i = 0; (o = cli_option_at(i)) != NULL; i++)
			if (strcmp(o, opt) == 0)
				break;
		if (o == NULL)
			fail_msg("cmremedy.1 OPTIONS: %s is not in the table"
			    FIX, opt);
	}
	free(sec);
	free(text);
}

/* The table is what the parser accepts: each command takes exactly the
 * options the table gives it. */
static void
test_table_is_the_parser(void **state)
{
	const char *cmd, *o;
	size_t i, j;
	(void)state;

	for (i = 0; (cmd = cli_command_at(i)) != NULL; i++)
		for (j = 0; (o = cli_option_at(j)) != NULL; j++) {
			char *argv[] = { "cmremedy", (char *)cmd, "x",
			    (char *)o, "v", NULL };
			struct cli c;
			struct cm_err err;
			int rc = cli_parse(5, argv, &c, &err), takes;

			takes = cli_takes(cmd, o);
			if (rc != 0 && strstr(err.msg, "is not an option") ==
			    NULL)
				rc = 0;   /* refused for another reason */
			if ((rc == 0) != (takes != 0))
				fail_msg("'%s %s': parser %s, table %s", cmd,
				    o, rc == 0 ? "accepts" : "refuses",
				    takes ? "has it" : "has not");
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_readme),
		cmocka_unit_test(test_man_synopsis),
		cmocka_unit_test(test_man_options),
		cmocka_unit_test(test_table_is_the_parser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
