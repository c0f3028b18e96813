// SPDX-License-Identifier: ISC
/* profile.c - INI profile text -> struct profile, through inih. */
#include "profile.h"

#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/compat.h"
#include "util/mem.h"
#include "util/sysutil.h"
#include "util/text.h"
#include "util/utf.h"

/*
 * How the work is split.  inih does the lexing of `name = value` lines
 * (whitespace, inline ` ;` comments, the UTF-8 BOM).  It cannot say on
 * which line a pair was, never reports a section that has no keys, ignores
 * text after `]`, joins indented lines to the previous value, and numbers an
 * over-long line one too high.  So every raw line first passes through
 * line_reader(), which counts it, refuses what inih would silently accept or
 * alter, and opens sections itself; handler() only stages the pairs.  Once
 * the whole file is staged without error, build() validates all of it and
 * only then hands out a profile.
 */

enum sect_kind { SECT_PROFILE, SECT_SETTING, SECT_SERVICE };

#define MAX_KEYS 6

/* Keys each section accepts, in the order messages list them. */
static const char *const sect_keys[3][MAX_KEYS + 1] = {
	[SECT_PROFILE] = { "name", "description", NULL },
	[SECT_SETTING] = { "key", "value", "type", "data", "off", "view",
	    NULL },
	[SECT_SERVICE] = { "stop_timeout", "start_timeout", NULL },
};
enum { PK_NAME, PK_DESCRIPTION };
enum { SK_KEY, SK_VALUE, SK_TYPE, SK_DATA, SK_OFF, SK_VIEW };
enum { VK_STOP, VK_START };

/* Longest timeout a profile may ask for. */
#define MAX_TIMEOUT_MS (24u * 3600u * 1000u)

/* A staged `name = value`: text is NULL when the key was not given. */
struct field {
	char *text;
	int line;
};

struct section {
	enum sect_kind kind;
	char *header;         /* as written between [ and ] */
	const char *id;       /* points into header after the prefix */
	int line;
	struct field f[MAX_KEYS];
};

/* The staging area: everything read so far, and the first error. */
struct stage {
	const char *path;
	const char *text;
	size_t len, pos;
	int line;             /* line last handed to inih */
	struct section *sect;
	size_t nsect, capsect;
	int failed;           /* an error is recorded in err */
	int failed_line;
	struct cm_err *err;
};

/* Records the first error as "PATH:LINE: message". Returns -1. */
static int
fail(struct stage *st, int line, const char *fmt, ...)
    CM_PRINTFLIKE(3, 4);

static int
fail(struct stage *st, int line, const char *fmt, ...)
{
	va_list ap;

	if (st->failed)
		return -1;
	st->failed = 1;
	st->failed_line = line;
	cm_err_set(st->err, CM_ERR_INPUT, 0, "%s:%d: ", st->path, line);
	va_start(ap, fmt);
	cm_err_vappend(st->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int
fail_nomem(struct stage *st)
{
	st->failed = 1;
	st->failed_line = 0;    /* no syntax error may replace it */
	return cm_err_nomem(st->err);
}

/* Characters of IDs and names; services may also hold '$' (SQL Server
 * instances are named MSSQL$NAME). */
static int
is_id_char(int c, int service)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	    (service && c == '$');
}

/* 1 if s is a non-empty run of [A-Za-z0-9._-]. */
static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!is_id_char((unsigned char)*s, 0))
			return 0;
	return 1;
}

static void
section_free(struct section *s)
{
	int i;

	free(s->header);
	for (i = 0; i < MAX_KEYS; i++)
		free(s->f[i].text);
}

static void
stage_free(struct stage *st)
{
	size_t i;

	for (i = 0; i < st->nsect; i++)
		section_free(&st->sect[i]);
	free(st->sect);
	st->sect = NULL;
	st->nsect = st->capsect = 0;
}

/* Two sections clash when they are the same [profile], the same setting
 * ID, or the same service (service names compare without case, as the
 * Service Control Manager compares them). */
static int
same_section(const struct section *a, enum sect_kind kind, const char *id)
{
	if (a->kind != kind)
		return 0;
	if (kind == SECT_PROFILE)
		return 1;
	if (kind == SECT_SERVICE)
		return text_casecmp(a->id, id) == 0;
	return strcmp(a->id, id) == 0;
}

/* Opens the section named by header (the text between [ and ]). */
static int
open_section(struct stage *st, const char *header, size_t hlen)
{
	struct section *s;
	enum sect_kind kind;
	size_t i, idoff;
	char shown[64], *copy;

	snprintf(shown, sizeof(shown), "%.*s", (int)(hlen < 60 ? hlen : 60),
	    header);
	if (hlen == 7 && memcmp(header, "profile", 7) == 0)
		kind = SECT_PROFILE;
	else if (hlen > 8 && memcmp(header, "setting ", 8) == 0)
		kind = SECT_SETTING;
	else if (hlen > 8 && memcmp(header, "service ", 8) == 0)
		kind = SECT_SERVICE;
	else
		return fail(st, st->line, "unknown section [%s]: expected "
		    "[profile], [setting ID] or [service NAME] (lower case, "
		    "one space)", shown);
	idoff = kind == SECT_PROFILE ? hlen : 8;
	/* inih keeps at most 49 characters of a section name and would
	 * silently merge two long names that share a prefix. */
	if (hlen > 49)
		return fail(st, st->line, "section name [%s...] is longer than "
		    "49 characters, where inih cuts it: use a shorter %s",
		    shown, kind == SECT_SERVICE ? "service name" : "ID");
	if (kind != SECT_PROFILE) {
		for (i = idoff; i < hlen; i++)
			if (!is_id_char((unsigned char)header[i],
			    kind == SECT_SERVICE))
				return fail(st, st->line, "bad %s in [%s]: use "
				    "only letters, digits and . _ -%s",
				    kind == SECT_SERVICE ? "service name" :
				    "setting ID", shown,
				    kind == SECT_SERVICE ? " $" : "");
	}
	if ((copy = malloc(hlen + 1)) == NULL)
		return fail_nomem(st);
	memcpy(copy, header, hlen);
	copy[hlen] = '\0';
	for (i = 0; i < st->nsect; i++)
		if (same_section(&st->sect[i], kind, copy + idoff)) {
			free(copy);
			return fail(st, st->line, "duplicate section [%s] "
			    "(first at line %d): each section may appear once",
			    shown, st->sect[i].line);
		}
	s = mem_grow(st->sect, &st->capsect, st->nsect + 1, sizeof(*s));
	if (s == NULL) {
		free(copy);
		return fail_nomem(st);
	}
	st->sect = s;
	s = &st->sect[st->nsect++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->header = copy;
	s->id = copy + idoff;
	s->line = st->line;
	return 0;
}

/* A section header line: "[" name "]", then only blanks or a ; comment.
 * inih ignores anything after "]", so a typo there would pass silently. */
static int
header_line(struct stage *st, const char *s, size_t n)
{
	size_t i, end;

	for (end = 1; end < n && s[end] != ']'; end++)
		if (s[end] == ';' && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			break;
	if (end >= n || s[end] != ']')
		return fail(st, st->line, "section header without closing ]: "
		    "write [profile], [setting ID] or [service NAME]");
	for (i = end + 1; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i < n && s[i] != ';')
		return fail(st, st->line, "text after ] in a section header: "
		    "start a comment with ;");
	return open_section(st, s + 1, end - 1);
}

/* Checks one raw line (without its line break).  Comments are checked
 * too: a file with a NUL or a stray byte anywhere is not a text profile. */
static int
check_line(struct stage *st, const char *s, size_t n, int maxlen)
{
	size_t i;

	if (st->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;           /* UTF-8 BOM: inih skips it too */
		n -= 3;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\0')
			return fail(st, st->line, "NUL byte: this is not a "
			    "text file (binary, or UTF-16: save it as UTF-8)");
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return fail(st, st->line, "control character 0x%02X: a "
			    "profile is plain text with LF or CRLF line ends",
			    c);
	}
	if (!utf8_valid(s, n))
		return fail(st, st->line, "not valid UTF-8: save the profile "
		    "as UTF-8");
	if (n > (size_t)maxlen)
		return fail(st, st->line, "line is %zu bytes long; inih reads "
		    "at most %d: shorten it", n, maxlen);
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == n || s[i] == ';' || s[i] == '#')
		return 0;       /* blank or comment */
	if (i > 0)
		return fail(st, st->line, "indented line: inih would join it "
		    "to the value above as a continuation; remove the leading "
		    "blanks");
	if (s[0] == '[')
		return header_line(st, s, n);
	return 0;
}

/* The ini_reader: hands inih one whole line at a time, counting lines.
 * Returns NULL (end of input) once an error is recorded, which stops inih. */
static char *
line_reader(char *buf, int num, void *stream)
{
	struct stage *st = stream;
	const char *s, *nl;
	size_t left, n, body;
	int maxlen;

	if (st->failed || st->pos >= st->len || num < 4)
		return NULL;
	s = st->text + st->pos;
	left = st->len - st->pos;
	nl = memchr(s, '\n', left);
	n = nl != NULL ? (size_t)(nl - s) + 1 : left;
	body = n;
	if (body > 0 && s[body - 1] == '\n')
		body--;
	if (body > 0 && s[body - 1] == '\r')
		body--;
	st->line++;
	/* inih's buffer holds num - 1 bytes: the line, CR, LF. */
	maxlen = num - 3;
	if (check_line(st, s, body, maxlen) != 0)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	st->pos += n;
	return buf;
}

static int
key_index(enum sect_kind kind, const char *name)
{
	int i;

	for (i = 0; sect_keys[kind][i] != NULL; i++)
		if (strcmp(sect_keys[kind][i], name) == 0)
			return i;
	return -1;
}

/* The error for a key that section s does not take, naming those it
 * does.  Returns -1. */
static int
unknown_key(struct stage *st, const struct section *s, const char *name)
{
	struct strbuf list = { 0 };
	int rc;

	strbuf_choices(&list, sect_keys[s->kind], "");
	if (list.failed)
		return fail_nomem(st);
	rc = fail(st, st->line, "unknown key \"%s\" in [%s]: expected %s",
	    name, s->header, list.s);
	strbuf_free(&list);
	return rc;
}

/* Stages one pair into the section the reader opened.  Returns 0 or -1. */
static int
stage_pair(struct stage *st, const char *section, const char *name,
    const char *value)
{
	struct section *s;
	int k;

	if (st->nsect == 0 || section[0] == '\0')
		return fail(st, st->line, "\"%s\" is outside any section: put "
		    "it under [profile], [setting ID] or [service NAME]", name);
	s = &st->sect[st->nsect - 1];
	if (strcmp(section, s->header) != 0)
		return fail(st, st->line, "inih read the section as [%s], not "
		    "[%s]: simplify the section header", section, s->header);
	if ((k = key_index(s->kind, name)) < 0)
		return unknown_key(st, s, name);
	if (value == NULL)      /* only if someone set ini_allow_no_value */
		return fail(st, st->line, "\"%s\" has no = and no value", name);
	if (s->f[k].text != NULL)
		return fail(st, st->line, "duplicate key \"%s\" in [%s] (first "
		    "at line %d): keep one", name, s->header, s->f[k].line);
	if ((s->f[k].text = text_strdup(value)) == NULL)
		return fail_nomem(st);
	s->f[k].line = st->line;
	return 0;
}

/* The ini_handler.  inih wants nonzero for success. */
static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct stage *st = user;

	if (st->failed)
		return 0;
	return stage_pair(st, section, name, value) == 0;
}

/* Timeouts: "120" or "120s" seconds, "1500ms" milliseconds. */
static int
parse_timeout(const char *text, unsigned *ms)
{
	unsigned long long v = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > MAX_TIMEOUT_MS)
			return -1;
	}
	if (strcmp(p, "") == 0 || strcmp(p, "s") == 0)
		v *= 1000;
	else if (strcmp(p, "ms") != 0)
		return -1;
	if (v == 0 || v > MAX_TIMEOUT_MS)
		return -1;
	*ms = (unsigned)v;
	return 0;
}

static const char *
type_hint(uint32_t type)
{
	switch (type) {
	case REGT_DWORD:
		return "write decimal 0 .. 4294967295 or hex 0x0 .. 0xFFFFFFFF";
	case REGT_QWORD:
		return "write decimal or hex 0x0 .. 0xFFFFFFFFFFFFFFFF";
	case REGT_MULTI_SZ:
		return "separate the strings with \\0, e.g. a\\0b";
	case REGT_BINARY:
		return "write hex byte pairs, e.g. 01,ab,ff";
	default:
		return "save the profile as UTF-8";
	}
}

/* Parses a setting's data or off text through regval_parse(). */
static int
build_data(struct stage *st, const struct section *sec, int k,
    uint32_t type, struct regval *out)
{
	struct cm_err e;

	if (regval_parse(out, type, sec->f[k].text, &e) == 0)
		return 0;
	if (e.kind == CM_ERR_NOMEM)
		return fail_nomem(st);
	return fail(st, sec->f[k].line, "%s does not fit %s: %s: %s",
	    sect_keys[SECT_SETTING][k], regtype_name(type), e.msg,
	    type_hint(type));
}

/* 1 if a component of the canonical key is WOW6432Node: the 32-bit view
 * spelled by hand.  It hides duplicates and, with view 32, would be
 * redirected twice; the view key says the same thing safely. */
static int
names_wow64_node(const char *key)
{
	const char *p = key, *e;

	while ((p = strchr(p, '\\')) != NULL) {
		p++;
		e = strchr(p, '\\');
		if ((e != NULL ? (size_t)(e - p) : strlen(p)) == 11 &&
		    text_ncasecmp(p, "WOW6432Node", 11) == 0)
			return 1;
	}
	return 0;
}

/* WOW64 redirects only HKLM\SOFTWARE; elsewhere both views are one key. */
static int
view_matters(const char *key)
{
	return text_ncasecmp(key, "HKLM\\SOFTWARE", 13) == 0 &&
	    (key[13] == '\0' || key[13] == '\\');
}

static int
same_target(const struct profile_setting *a, const struct profile_setting *b)
{
	return text_casecmp(a->key, b->key) == 0 &&
	    text_casecmp(a->value, b->value) == 0 &&
	    (a->view == b->view || !view_matters(a->key));
}

static const char *const field_example[MAX_KEYS] = {
	[SK_KEY] = "key = HKLM\\SOFTWARE\\...",
	[SK_VALUE] = "value = NAME (or @ for the default value)",
	[SK_TYPE] = "type = REG_DWORD (or another REG_ type)",
	[SK_DATA] = "data = the desired data",
};

/* The key, value name and view of a setting. */
static int
build_target(struct stage *st, const struct section *sec,
    struct profile_setting *ps)
{
	const struct field *f = sec->f;
	struct cm_err e;

	if ((ps->key = profile_canon_key(f[SK_KEY].text, &e)) == NULL) {
		if (e.kind == CM_ERR_NOMEM)
			return fail_nomem(st);
		return fail(st, f[SK_KEY].line, "bad key \"%s\": %s",
		    f[SK_KEY].text, e.msg);
	}
	if (names_wow64_node(ps->key))
		return fail(st, f[SK_KEY].line, "key names WOW6432Node: write "
		    "the 64-bit path and set view = 32 instead");
	if (f[SK_VALUE].text[0] == '\0')
		return fail(st, f[SK_VALUE].line, "empty value name: write "
		    "value = @ for the key's default value");
	ps->value = text_strdup(strcmp(f[SK_VALUE].text, "@") == 0 ? "" :
	    f[SK_VALUE].text);
	if (ps->value == NULL)
		return fail_nomem(st);
	ps->view = REGVIEW_64;
	if (f[SK_VIEW].text != NULL) {
		if (strcmp(f[SK_VIEW].text, "32") == 0)
			ps->view = REGVIEW_32;
		else if (strcmp(f[SK_VIEW].text, "64") != 0)
			return fail(st, f[SK_VIEW].line, "view \"%s\": write "
			    "64 (the default) or 32 (the WOW6432Node view of "
			    "HKLM\\SOFTWARE)", f[SK_VIEW].text);
	}
	return 0;
}

/* The type, data and off of a setting. */
static int
build_values(struct stage *st, const struct section *sec,
    struct profile_setting *ps)
{
	const struct field *f = sec->f;
	uint32_t type;

	if (regtype_parse(f[SK_TYPE].text, &type) != 0)
		return fail(st, f[SK_TYPE].line, "unknown type \"%s\": use "
		    "REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ "
		    "or REG_BINARY (upper case)", f[SK_TYPE].text);
	if (build_data(st, sec, SK_DATA, type, &ps->desired) != 0)
		return -1;
	if (f[SK_OFF].text == NULL)
		return 0;
	if (build_data(st, sec, SK_OFF, type, &ps->off) != 0)
		return -1;
	ps->has_off = 1;
	if (regval_equal(&ps->off, &ps->desired))
		return fail(st, f[SK_OFF].line, "off is the same as data, so "
		    "toggling would change nothing: give off the other data");
	return 0;
}

static int
build_setting(struct stage *st, const struct section *sec,
    struct profile *p)
{
	static const int required[] = { SK_KEY, SK_VALUE, SK_TYPE, SK_DATA };
	struct profile_setting *ps;
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (sec->f[required[i]].text == NULL)
			return fail(st, sec->line, "[%s] has no %s: add %s",
			    sec->header, sect_keys[SECT_SETTING][required[i]],
			    field_example[required[i]]);
	if ((ps = profile_add_setting(p)) == NULL)
		return fail_nomem(st);
	ps->line = sec->line;
	ps->present = 1;
	if ((ps->id = text_strdup(sec->id)) == NULL)
		return fail_nomem(st);
	if (build_target(st, sec, ps) != 0 || build_values(st, sec, ps) != 0)
		return -1;
	for (i = 0; i + 1 < p->nsettings; i++)
		if (same_target(&p->settings[i], ps))
			return fail(st, sec->line, "[%s] sets the same value "
			    "as [setting %s] (line %d): %s\\%s in view %d; "
			    "keep one", sec->header, p->settings[i].id,
			    p->settings[i].line, ps->key, ps->value[0] != '\0' ?
			    ps->value : "@", ps->view);
	return 0;
}

static int
build_service(struct stage *st, const struct section *sec,
    struct profile *p)
{
	static const int keys[] = { VK_STOP, VK_START };
	struct profile_service *sv;
	unsigned *ms;
	size_t i;

	if ((sv = profile_add_service(p)) == NULL)
		return fail_nomem(st);
	sv->line = sec->line;
	sv->stop_timeout_ms = PROFILE_STOP_TIMEOUT_MS;
	sv->start_timeout_ms = PROFILE_START_TIMEOUT_MS;
	if ((sv->name = text_strdup(sec->id)) == NULL)
		return fail_nomem(st);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct field *f = &sec->f[keys[i]];
		ms = keys[i] == VK_STOP ? &sv->stop_timeout_ms :
		    &sv->start_timeout_ms;
		if (f->text != NULL && parse_timeout(f->text, ms) != 0)
			return fail(st, f->line, "%s \"%s\": write seconds "
			    "(120), or 120s or 1500ms; above 0 and at most 24 "
			    "hours", sect_keys[SECT_SERVICE][keys[i]], f->text);
	}
	return 0;
}

/* The [profile] section: present, named. */
static int
build_head(struct stage *st, struct profile **out)
{
	const struct section *prof = NULL;
	const struct field *name, *desc;
	size_t i, nset = 0;

	for (i = 0; i < st->nsect; i++) {
		if (st->sect[i].kind == SECT_PROFILE)
			prof = &st->sect[i];
		nset += st->sect[i].kind == SECT_SETTING;
	}
	if (st->nsect == 0)
		return fail(st, 1, "no sections, only blanks and comments: "
		    "start with [profile] and name = ...");
	if (prof == NULL)
		return fail(st, 1, "no [profile] section: add [profile] with "
		    "name = ...");
	name = &prof->f[PK_NAME];
	desc = &prof->f[PK_DESCRIPTION];
	if (name->text == NULL)
		return fail(st, prof->line, "[profile] has no name: add "
		    "name = ... (letters, digits and . _ -)");
	if (!valid_name(name->text))
		return fail(st, name->line, "bad profile name \"%s\": use only "
		    "letters, digits and . _ -", name->text);
	if (nset == 0)
		return fail(st, prof->line, "no [setting ID] section: a "
		    "profile sets at least one registry value");
	if ((*out = profile_new(st->path, name->text)) == NULL)
		return fail_nomem(st);
	if (desc->text != NULL && desc->text[0] != '\0' &&
	    ((*out)->description = text_strdup(desc->text)) == NULL)
		return fail_nomem(st);
	return 0;
}

/* Validates everything staged; *out only on success. */
static int
build(struct stage *st, struct profile **out)
{
	struct profile *p = NULL;
	size_t i;
	int rc = 0;

	if (build_head(st, &p) != 0) {
		profile_free(p);
		return -1;
	}
	for (i = 0; i < st->nsect && rc == 0; i++) {
		if (st->sect[i].kind == SECT_SETTING)
			rc = build_setting(st, &st->sect[i], p);
		else if (st->sect[i].kind == SECT_SERVICE)
			rc = build_service(st, &st->sect[i], p);
	}
	if (rc != 0) {
		profile_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int
profile_parse(const char *path, const char *text, size_t len,
    struct profile **out, struct cm_err *err)
{
	struct stage st;
	int rc;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	st.path = path != NULL ? path : "(profile)";
	st.text = text;
	st.len = len;
	st.err = err;
	if (len == 0)
		return fail(&st, 1, "the file is empty: start with [profile] "
		    "and name = ...");
	if (len >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') ||
	    (text[0] == '\xFE' && text[1] == '\xFF')))
		return fail(&st, 1, "the file is UTF-16: save it as UTF-8");
	rc = ini_parse_stream(line_reader, &st, handler, &st);
	if (rc == -2 && !st.failed)
		fail_nomem(&st);
	else if (rc > 0 && (!st.failed || rc < st.failed_line)) {
		/* inih's own error came first: a line with no '=' */
		st.failed = 0;
		fail(&st, rc, "not a [section], a name = value line or a ; "
		    "comment: fix or remove the line");
	}
	if (!st.failed)
		build(&st, out);
	stage_free(&st);
	return st.failed ? -1 : 0;
}

int
profile_load(const char *path, struct profile **out, struct cm_err *err)
{
	cm_stat_t sb;
	unsigned char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (cm_stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: is a directory: "
		    "name a profile .ini file", path);
	if (sys_read_file(path, &buf, &len, err) != 0) {
		/* A profile that cannot be read is a usage problem: exit 2,
		 * nothing was touched. */
		if (err != NULL && err->kind != CM_ERR_NOMEM)
			err->kind = CM_ERR_INPUT;
		return -1;
	}
	rc = profile_parse(path, (const char *)buf, len, out, err);
	free(buf);
	return rc;
}

/* A reason the key is refused (CM_ERR_INPUT).  Returns NULL. */
static char *
canon_fail(struct cm_err *err, const char *fmt, ...) CM_PRINTFLIKE(2, 3);

static char *
canon_fail(struct cm_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cm_err_vset(err, CM_ERR_INPUT, 0, fmt, ap);
	va_end(ap);
	return NULL;
}

/* 1 if s[0..n) is the root key name hive, in any case. */
static int
hive_is(const char *s, size_t n, const char *hive)
{
	return strlen(hive) == n && text_ncasecmp(s, hive, n) == 0;
}

/* Root keys other than HKLM, to say why they are refused. */
static int
other_hive(const char *s, size_t n)
{
	static const char *const hives[] = { "HKCU", "HKEY_CURRENT_USER",
	    "HKU", "HKEY_USERS", "HKCR", "HKEY_CLASSES_ROOT", "HKCC",
	    "HKEY_CURRENT_CONFIG", "HKEY_PERFORMANCE_DATA" };
	size_t i;

	for (i = 0; i < sizeof(hives) / sizeof(hives[0]); i++)
		if (hive_is(s, n, hives[i]))
			return 1;
	return 0;
}

/* Checks one key name between backslashes. */
static const char *
bad_component(const char *s, size_t n)
{
	size_t i, chars = 0;

	if (s[0] == ' ' || s[n - 1] == ' ')
		return "a key name starts or ends with a space";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return "a key name holds a control character";
		chars += (c & 0xC0) != 0x80;
	}
	if (chars > 255)
		return "a key name is longer than 255 characters";
	return NULL;
}

char *
profile_canon_key(const char *path, struct cm_err *err)
{
	const char *p, *bad;
	size_t hive, n, out = 0, ncomp = 0;
	char *key;

	if (path == NULL || path[0] == '\0')
		return canon_fail(err,
		    "empty: write HKLM\\SOFTWARE\\...");
	if (!utf8_valid(path, strlen(path)))
		return canon_fail(err, "not valid UTF-8");
	hive = strcspn(path, "\\");
	if (!hive_is(path, hive, "HKLM") &&
	    !hive_is(path, hive, "HKEY_LOCAL_MACHINE")) {
		if (other_hive(path, hive))
			return canon_fail(err, "%.*s is not HKLM: only "
			    "machine-wide keys under HKLM\\ or "
			    "HKEY_LOCAL_MACHINE\\ are supported", (int)hive,
			    path);
		if (memchr(path, '/', hive) != NULL)
			return canon_fail(err, "registry paths use "
			    "backslashes: write HKLM\\SOFTWARE\\...");
		return canon_fail(err, "not a full path: start it with "
		    "HKLM\\ or HKEY_LOCAL_MACHINE\\");
	}
	/* "HKLM" is no longer than the root key name it replaces. */
	if ((key = malloc(strlen(path) + 1)) == NULL) {
		cm_err_nomem(err);
		return NULL;
	}
	memcpy(key, "HKLM", 4);
	out = 4;
	if (path[hive + strspn(path + hive, "\\")] == '\0') {
		free(key);
		return canon_fail(err, "names no key under HKLM: write "
		    "HKLM\\SOFTWARE\\...");
	}
	for (p = path + hive; *p != '\0'; p += n) {
		p++;            /* the separator before this component */
		n = strcspn(p, "\\");
		/* An empty, "." or ".." component would reach the registry
		 * as a literal key name ("..") or hide which key is meant:
		 * a path must name its key one way only. */
		if (n == 0) {
			free(key);
			return canon_fail(err, "empty key name (a "
			    "doubled or trailing backslash): write each "
			    "separator once");
		}
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' &&
		    p[1] == '.')) {
			free(key);
			return canon_fail(err, "a key name is \"%.*s\": "
			    "write the full path without . or ..", (int)n, p);
		}
		if ((bad = bad_component(p, n)) != NULL) {
			free(key);
			return canon_fail(err, "%s", bad);
		}
		key[out++] = '\\';
		memcpy(key + out, p, n);
		out += n;
		ncomp++;
	}
	key[out] = '\0';
	if (ncomp == 0) {
		free(key);
		return canon_fail(err, "names no key under HKLM: write "
		    "HKLM\\SOFTWARE\\...");
	}
	return key;
}

void
profile_free(struct profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsettings; i++) {
		free(p->settings[i].id);
		free(p->settings[i].key);
		free(p->settings[i].value);
		regval_free(&p->settings[i].desired);
		regval_free(&p->settings[i].off);
	}
	for (i = 0; i < p->nservices; i++)
		free(p->services[i].name);
	free(p->settings);
	free(p->services);
	free(p->path);
	free(p->name);
	free(p->description);
	free(p);
}

struct profile *
profile_new(const char *path, const char *name)
{
	struct profile *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((path != NULL && (p->path = text_strdup(path)) == NULL) ||
	    (name != NULL && (p->name = text_strdup(name)) == NULL)) {
		profile_free(p);
		return NULL;
	}
	return p;
}

/* A pointer returned here is valid until the next add to the same
 * array. */
struct profile_setting *
profile_add_setting(struct profile *p)
{
	struct profile_setting *s;

	s = mem_grow(p->settings, &p->capsettings, p->nsettings + 1,
	    sizeof(*s));
	if (s == NULL)
		return NULL;
	p->settings = s;
	s += p->nsettings++;
	memset(s, 0, sizeof(*s));
	return s;
}

struct profile_service *
profile_add_service(struct profile *p)
{
	struct profile_service *s;

	s = mem_grow(p->services, &p->capservices, p->nservices + 1,
	    sizeof(*s));
	if (s == NULL)
		return NULL;
	p->services = s;
	s += p->nservices++;
	memset(s, 0, sizeof(*s));
	return s;
}
