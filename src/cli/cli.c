// SPDX-License-Identifier: ISC
/* cli.c - option parsing and usage text. */
#include "cli.h"

#include <string.h>

static const struct {
	const char *name;
	enum cli_cmd cmd;
	unsigned opts;        /* which options the command takes */
} commands[] = {
#define O_BACKEND 1u
#define O_JSON    2u
#define O_DRYRUN  4u
#define O_REPORT  8u
#define O_SINCE   16u
#define O_CERT    32u   /* certcheck's sources and names */
#define O_FOR     64u
#define O_NOW     128u
#define O_NOARG   256u  /* takes no operand */
#define O_WAIT    512u
#define O_FORCE   1024u
#define O_JOBS    2048u
	{ "plan", CMD_PLAN, O_BACKEND | O_JSON },
	{ "apply", CMD_APPLY, O_BACKEND | O_JSON | O_DRYRUN | O_REPORT |
	    O_FOR | O_WAIT },
	{ "check", CMD_CHECK, O_BACKEND | O_JSON },
	{ "toggle", CMD_TOGGLE, O_BACKEND | O_JSON | O_DRYRUN | O_REPORT |
	    O_FOR | O_WAIT },
	{ "revert", CMD_REVERT, O_BACKEND | O_JSON | O_DRYRUN | O_REPORT |
	    O_WAIT | O_FORCE },
	{ "recover", CMD_RECOVER, O_BACKEND | O_JSON | O_REPORT | O_WAIT |
	    O_NOARG },
	{ "diagnose", CMD_DIAGNOSE, O_JSON | O_SINCE | O_JOBS },
	{ "certcheck", CMD_CERTCHECK, O_JSON | O_CERT },
	{ "status", CMD_STATUS, O_BACKEND | O_JSON | O_NOARG },
	{ "expire", CMD_EXPIRE, O_BACKEND | O_JSON | O_DRYRUN | O_NOW |
	    O_NOARG },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Every option and the commands that take it (their O_ bit).  The usage
 * text, README and man page are tested against this table and the one
 * above (tests/unit/test_usage.c); parse_option is tested against both. */
static const struct {
	const char *name;
	unsigned opt;
} options[] = {
	{ "--backend", O_BACKEND },
	{ "--dry-run", O_DRYRUN },
	{ "--force", O_FORCE },
	{ "--report", O_REPORT },
	{ "--wait", O_WAIT },
	{ "--since", O_SINCE },
	{ "--jobs", O_JOBS },
	{ "--store", O_CERT },
	{ "--cert", O_CERT },
	{ "--password-file", O_CERT },
	{ "--trusted-root", O_CERT },
	{ "--computer-name", O_CERT },
	{ "--for", O_FOR },
	{ "--now", O_NOW },
	{ "--json", O_JSON },
};

const char *
cli_command_at(size_t i)
{
	return i < NCOMMANDS ? commands[i].name : NULL;
}

const char *
cli_option_at(size_t i)
{
	return i < sizeof(options) / sizeof(options[0]) ? options[i].name :
	    NULL;
}

int
cli_takes(const char *cmd, const char *opt)
{
	size_t i, j;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			for (j = 0; j < sizeof(options) / sizeof(options[0]);
			    j++)
				if (strcmp(options[j].name, opt) == 0)
					return (commands[i].opts &
					    options[j].opt) != 0;
	return 0;
}

void
cli_usage(FILE *out)
{
	fputs(
"usage: cmremedy plan   PROFILE [--backend SPEC] [--json]\n"
"       cmremedy apply  PROFILE [--backend SPEC] [--dry-run] [--report FILE]\n"
"                       [--for DURATION] [--wait S] [--json]\n"
"       cmremedy check  PROFILE [--backend SPEC] [--json]\n"
"       cmremedy toggle PROFILE [--backend SPEC] [--dry-run] [--report FILE]\n"
"                       [--for DURATION] [--wait S] [--json]\n"
"       cmremedy revert REPORT  [--backend SPEC] [--dry-run] [--force] "
    "[--report FILE] [--wait S] [--json]\n"
"       cmremedy recover [--backend SPEC] [--report FILE] [--wait S] "
    "[--json]\n"
"       cmremedy status [--backend SPEC] [--json]\n"
"       cmremedy expire [--backend SPEC] [--now TIME] [--dry-run] [--json]\n"
"       cmremedy diagnose PATH... [--since TIME] [--jobs N] [--json]\n"
"       cmremedy certcheck [--store] [--cert FILE]... [--password-file FILE]\n"
"                          [--trusted-root FILE]... [--computer-name NAME] "
    "[--json]\n"
"       cmremedy --help | --version\n"
"\n"
"  SPEC is sim:DIR or win32 (default on Windows; elsewhere "
    "$CMREMEDY_BACKEND).\n"
"  DURATION is 30m, 4h, 2d (at most 30 days): `expire` reverts the change "
    "then.\n"
"  Exit status: 0 ok/compliant, 1 not compliant (check), findings (diagnose)\n"
"  or no certificate passes (certcheck), 2 usage/profile/report error or\n"
"  undecodable certificate, 3 system error before any change or unreadable\n"
"  file or store,\n"
"  4 failed and rolled back, 5 failed and rollback failed (or recover\n"
"  could not),\n"
"  6 busy: another run holds the machine lock.  See cmremedy(1).\n",
	    out);
}

int
cli_exit_for(enum cm_errkind kind)
{
	if (kind == CM_ERR_BUSY)
		return EXIT_BUSY;
	return kind == CM_ERR_USAGE || kind == CM_ERR_INPUT ? EXIT_USAGE :
	    EXIT_SYSTEM;
}

const char *
cli_cmd_name(enum cli_cmd cmd)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].cmd == cmd)
			return commands[i].name;
	return cmd == CMD_HELP ? "--help" : "--version";
}

/* Takes the value of an option: "--opt=value" or the next argument. */
static int
opt_value(int argc, char **argv, int *i, const char *eq, const char **out,
    struct cm_err *err)
{
	if (eq != NULL) {
		*out = eq + 1;
	} else if (*i + 1 < argc) {
		*out = argv[++*i];
	} else
		return cm_err_set(err, CM_ERR_USAGE, 0, "%s needs a value",
		    argv[*i]);
	if (**out == '\0')
		return cm_err_set(err, CM_ERR_USAGE, 0, "%s needs a value",
		    argv[*i]);
	return 0;
}

/* Takes the value of a repeatable option into list (at most
 * CLI_MAX_FILES). */
static int
opt_list(int argc, char **argv, int *i, const char *eq, const char **list,
    size_t *n, struct cm_err *err)
{
	const char *opt = argv[*i];

	if (*n == CLI_MAX_FILES)
		return cm_err_set(err, CM_ERR_USAGE, 0, "%s: at most %d of "
		    "them", opt, CLI_MAX_FILES);
	return opt_value(argc, argv, i, eq, &list[(*n)++], err);
}

/* --wait SECONDS: 0 .. one day. */
static int
opt_seconds(int argc, char **argv, int *i, const char *eq, unsigned *out,
    struct cm_err *err)
{
	const char *v;
	unsigned long n = 0;
	size_t k;

	if (opt_value(argc, argv, i, eq, &v, err) != 0)
		return -1;
	for (k = 0; v[k] != '\0'; k++) {
		if (v[k] < '0' || v[k] > '9' || k > 6)
			return cm_err_set(err, CM_ERR_USAGE, 0, "--wait '%s': "
			    "want whole seconds, 0 to 86400", v);
		n = n * 10 + (unsigned long)(v[k] - '0');
	}
	if (n > 86400)
		return cm_err_set(err, CM_ERR_USAGE, 0, "--wait '%s': want "
		    "whole seconds, 0 to 86400", v);
	*out = (unsigned)n;
	return 0;
}

/* Handles one option argument of command k. */
static int
parse_option(int argc, char **argv, int *i, size_t k, struct cli *c,
    struct cm_err *err)
{
	const char *a = argv[*i], *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	unsigned allowed = commands[k].opts;

#define IS(s) (n == strlen(s) && strncmp(a, s, n) == 0)
	if (IS("--backend") && (allowed & O_BACKEND))
		return opt_value(argc, argv, i, eq, &c->backend, err);
	if (IS("--report") && (allowed & O_REPORT))
		return opt_value(argc, argv, i, eq, &c->report, err);
	if (IS("--since") && (allowed & O_SINCE))
		return opt_value(argc, argv, i, eq, &c->since, err);
	if (IS("--now") && (allowed & O_NOW))
		return opt_value(argc, argv, i, eq, &c->now, err);
	if (IS("--for") && (allowed & O_FOR)) {
		const char *v;

		if (opt_value(argc, argv, i, eq, &v, err) != 0)
			return -1;
		if (cli_parse_duration(v, &c->for_seconds) != 0)
			return cm_err_set(err, CM_ERR_USAGE, 0, "--for '%s': "
			    "want minutes, hours or days such as 30m, 4h or "
			    "2d, at most 30d", v);
		return 0;
	}
	if (IS("--wait") && (allowed & O_WAIT))
		return opt_seconds(argc, argv, i, eq, &c->wait_s, err);
	if (eq == NULL && IS("--force") && (allowed & O_FORCE)) {
		c->force = 1;
		return 0;
	}
	if (IS("--jobs") && (allowed & O_JOBS))
		return opt_value(argc, argv, i, eq, &c->jobs, err);
	if (allowed & O_CERT) {
		if (IS("--cert"))
			return opt_list(argc, argv, i, eq, c->certs, &c->ncerts,
			    err);
		if (IS("--trusted-root"))
			return opt_list(argc, argv, i, eq, c->roots,
			    &c->nroots, err);
		if (IS("--password-file"))
			return opt_value(argc, argv, i, eq, &c->password_file,
			    err);
		if (IS("--computer-name"))
			return opt_value(argc, argv, i, eq, &c->computer, err);
		if (eq == NULL && IS("--store")) {
			c->store = 1;
			return 0;
		}
	}
	if (eq == NULL && IS("--json") && (allowed & O_JSON)) {
		c->json = 1;
		return 0;
	}
	if (eq == NULL && IS("--dry-run") && (allowed & O_DRYRUN)) {
		c->dry_run = 1;
		return 0;
	}
#undef IS
	return cm_err_set(err, CM_ERR_USAGE, 0,
	    "'%s' is not an option of '%s'", a, commands[k].name);
}

int
cli_parse_duration(const char *s, long *seconds)
{
	long n = 0, unit;

	if (*s < '1' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > CLI_FOR_MAX_SECONDS / 60)
			return -1;
	}
	switch (*s) {
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default:  return -1;
	}
	if (s[1] != '\0' || n > CLI_FOR_MAX_SECONDS / unit)
		return -1;
	*seconds = n * unit;
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli *c, struct cm_err *err)
{
	size_t k, n;
	int i, opts_done = 0;

	memset(c, 0, sizeof(*c));
	c->wait_s = LOCK_WAIT_S;
	if (argc < 2)
		return cm_err_set(err, CM_ERR_USAGE, 0, "no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		c->cmd = CMD_HELP;
		return argc == 2 ? 0 : cm_err_set(err, CM_ERR_USAGE, 0,
		    "--help takes no arguments");
	}
	if (strcmp(argv[1], "--version") == 0) {
		c->cmd = CMD_VERSION;
		return argc == 2 ? 0 : cm_err_set(err, CM_ERR_USAGE, 0,
		    "--version takes no arguments");
	}
	n = sizeof(commands) / sizeof(commands[0]);
	for (k = 0; k < n && strcmp(argv[1], commands[k].name) != 0; k++)
		;
	if (k == n)
		return cm_err_set(err, CM_ERR_USAGE, 0, "unknown command '%s'",
		    argv[1]);
	c->cmd = commands[k].cmd;
	/* Operands are collected in place: argv[2..] is reused as the list. */
	c->paths = argv + 2;
	for (i = 2; i < argc; i++) {
		if (!opts_done && strcmp(argv[i], "--") == 0) {
			opts_done = 1;
			continue;
		}
		if (!opts_done && argv[i][0] == '-' && argv[i][1] != '\0') {
			if (parse_option(argc, argv, &i, k, c, err) != 0)
				return -1;
			continue;
		}
		c->paths[c->npaths++] = argv[i];
	}
	if (c->cmd == CMD_CERTCHECK)
		return c->npaths == 0 ? 0 : cm_err_set(err, CM_ERR_USAGE, 0,
		    "certcheck takes no operand ('%s'): give certificate "
		    "files with --cert FILE", c->paths[0]);
	if (commands[k].opts & O_NOARG) {
		if (c->npaths > 0)
			return cm_err_set(err, CM_ERR_USAGE, 0,
			    "'%s' takes no operand, not '%s'",
			    commands[k].name, c->paths[0]);
		return 0;
	}
	if (c->npaths == 0)
		return cm_err_set(err, CM_ERR_USAGE, 0, "'%s' needs %s",
		    commands[k].name, c->cmd == CMD_REVERT ? "a REPORT" :
		    c->cmd == CMD_DIAGNOSE ? "at least one PATH" : "a PROFILE");
	if (c->cmd != CMD_DIAGNOSE && c->npaths > 1)
		return cm_err_set(err, CM_ERR_USAGE, 0,
		    "'%s' takes one %s, not %zu", commands[k].name,
		    c->cmd == CMD_REVERT ? "REPORT" : "PROFILE", c->npaths);
	c->target = c->paths[0];
	return 0;
}
