// SPDX-License-Identifier: ISC
/* test_profile.c - profile loading: every refusal names its line and what
 * to do; good profiles (the shipped ones included) parse to exactly what
 * they say; no input crashes or leaks the parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>

#include "core/profile.h"
#include "reg/regval.h"
#include "util/sysutil.h"

#define DATA TEST_DATA "/profile/"

/* A minimal good profile; bad cases below are variations of it. */
#define HEAD "[profile]\nname = t\n"
#define SET_A "[setting a]\nkey = HKLM\\SOFTWARE\\T\nvalue = V\n" \
	"type = REG_DWORD\ndata = 1\n"

struct bad {
	const char *label;
	const char *text;
	int line;
	const char *phrase;
};

static const struct bad bad_cases[] = {
	/* syntax */
	{ "no equals sign", HEAD "junk line\n" SET_A, 3,
	    "not a [section], a name = value line or a ; comment" },
	{ "no closing bracket", "[profile\nname = t\n" SET_A, 1,
	    "section header without closing ]" },
	{ "comment inside brackets", HEAD "[setting a ;x]\n", 3,
	    "section header without closing ]" },
	{ "text after bracket", "[profile] x\nname = t\n" SET_A, 1,
	    "text after ] in a section header" },
	{ "bracket twice", HEAD "[setting a]]\n", 3, "text after ]" },
	{ "indented key", HEAD SET_A "  off = 0\n", 8,
	    "indented line: inih would join it" },
	{ "indented after header", HEAD "[setting a]\n\tkey = HKLM\\X\n", 4,
	    "indented line" },
	{ "key outside section", "name = t\n" HEAD SET_A, 1,
	    "\"name\" is outside any section" },
	/* sections */
	{ "unknown section", HEAD "[settings a]\n", 3,
	    "unknown section [settings a]: expected [profile], [setting ID] "
	    "or [service NAME]" },
	{ "capitalised section", "[Profile]\nname = t\n", 1,
	    "unknown section [Profile]" },
	{ "empty section name", HEAD "[]\n", 3, "unknown section []" },
	{ "setting without id", HEAD "[setting ]\n", 3,
	    "unknown section [setting ]" },
	{ "two spaces", HEAD "[setting  a]\n", 3, "bad setting ID" },
	{ "bad setting id", HEAD "[setting a/b]\n", 3,
	    "bad setting ID in [setting a/b]: use only letters, digits" },
	{ "bad service name", HEAD SET_A "[service SMS EXEC]\n", 8,
	    "bad service name in [service SMS EXEC]" },
	{ "section name 50 chars", HEAD "[setting "
	    "123456789012345678901234567890123456789012]\n", 3,
	    "longer than 49 characters, where inih cuts it: use a shorter "
	    "ID" },
	{ "service name 50 chars", HEAD SET_A "[service "
	    "123456789012345678901234567890123456789012]\n", 8,
	    "longer than 49 characters, where inih cuts it: use a shorter "
	    "service name" },
	{ "duplicate setting", HEAD SET_A "[setting a]\n", 8,
	    "duplicate section [setting a] (first at line 3)" },
	{ "duplicate profile", HEAD SET_A "[profile]\n", 8,
	    "duplicate section [profile] (first at line 1)" },
	{ "duplicate service any case", HEAD SET_A "[service Svc]\n"
	    "[service SVC]\n", 9,
	    "duplicate section [service SVC] (first at line 8)" },
	/* keys */
	{ "unknown setting key", HEAD "[setting a]\ntpye = REG_DWORD\n", 4,
	    "unknown key \"tpye\" in [setting a]: expected key, value, type, "
	    "data, off or view" },
	{ "unknown profile key", "[profile]\nnmae = t\n", 2,
	    "unknown key \"nmae\" in [profile]: expected name or description" },
	{ "unknown service key", HEAD SET_A "[service S]\nstop_timout = 1\n",
	    9, "unknown key \"stop_timout\" in [service S]: expected "
	    "stop_timeout or start_timeout" },
	{ "capitalised key", HEAD "[setting a]\nKey = HKLM\\X\n", 4,
	    "unknown key \"Key\"" },
	{ "colon pair unknown", HEAD "[setting a]\nkey value: x\n", 4,
	    "unknown key \"key value\"" },
	{ "duplicate key", HEAD SET_A "data = 2\n", 8,
	    "duplicate key \"data\" in [setting a] (first at line 7): "
	    "keep one" },
	{ "duplicate name", "[profile]\nname = t\nname = u\n", 3,
	    "duplicate key \"name\"" },
	/* missing things */
	{ "no profile section", SET_A, 1, "no [profile] section" },
	{ "no name", "[profile]\ndescription = d\n" SET_A, 1,
	    "[profile] has no name: add name = " },
	{ "no settings", HEAD "[service S]\n", 1,
	    "no [setting ID] section" },
	{ "only comments", "; nothing\n\n# here\n", 1,
	    "no sections, only blanks and comments" },
	{ "empty text", "", 1, "the file is empty" },
	{ "no key", HEAD "[setting a]\nvalue = V\ntype = REG_SZ\ndata = x\n",
	    3, "[setting a] has no key: add key = HKLM\\SOFTWARE\\" },
	{ "no value", HEAD "[setting a]\nkey = HKLM\\X\ntype = REG_SZ\n"
	    "data = x\n", 3,
	    "[setting a] has no value: add value = NAME (or @" },
	{ "no type", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\ndata = x\n",
	    3, "[setting a] has no type" },
	{ "no data", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_SZ\n", 3, "[setting a] has no data" },
	{ "empty setting", HEAD SET_A "[setting b]\n", 8,
	    "[setting b] has no key" },
	{ "bad profile name", "[profile]\nname = my profile\n" SET_A, 2,
	    "bad profile name \"my profile\"" },
	{ "empty profile name", "[profile]\nname =\n" SET_A, 2,
	    "bad profile name \"\"" },
	{ "empty value name", HEAD "[setting a]\nkey = HKLM\\X\nvalue =\n"
	    "type = REG_SZ\ndata = x\n", 5,
	    "empty value name: write value = @" },
	/* types and data (regval_parse does the data) */
	{ "unknown type", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWROD\ndata = 1\n", 6,
	    "unknown type \"REG_DWROD\": use REG_DWORD, REG_QWORD" },
	{ "lower case type", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = reg_dword\ndata = 1\n", 6, "unknown type \"reg_dword\"" },
	{ "REG_NONE type", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_NONE\ndata = 1\n", 6, "unknown type \"REG_NONE\"" },
	{ "dword negative", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWORD\ndata = -1\n", 7,
	    "data does not fit REG_DWORD: '-1': no sign allowed" },
	{ "dword overflow", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWORD\ndata = 4294967296\n", 7,
	    "data does not fit REG_DWORD: '4294967296' is above 0xFFFFFFFF: "
	    "write decimal 0 .. 4294967295 or hex 0x0 .. 0xFFFFFFFF" },
	{ "dword hex overflow", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWORD\ndata = 0x100000000\n", 7, "above 0xFFFFFFFF" },
	{ "dword junk", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWORD\ndata = 1x\n", 7, "not a decimal number" },
	{ "dword empty", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWORD\ndata =\n", 7, "data does not fit REG_DWORD" },
	{ "dword comment only", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_DWORD\ndata = ; 1\n", 7,
	    "data does not fit REG_DWORD" },
	{ "qword overflow", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_QWORD\ndata = 18446744073709551616\n", 7,
	    "data does not fit REG_QWORD" },
	{ "multi empty element", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_MULTI_SZ\ndata = a\\0\\0b\n", 7,
	    "data does not fit REG_MULTI_SZ: empty string" },
	{ "binary odd", HEAD "[setting a]\nkey = HKLM\\X\nvalue = V\n"
	    "type = REG_BINARY\ndata = 0a,b\n", 7,
	    "data does not fit REG_BINARY: not hex byte pairs" },
	{ "off not fitting", HEAD SET_A "off = 0x1FFFFFFFF\n", 8,
	    "off does not fit REG_DWORD" },
	{ "off equals data", HEAD SET_A "off = 0x1\n", 8,
	    "off is the same as data, so toggling would change nothing" },
	/* keys */
	{ "HKCU", HEAD "[setting a]\nkey = HKCU\\Software\\X\nvalue = V\n"
	    "type = REG_SZ\ndata = x\n", 4, "bad key \"HKCU\\Software\\X\": "
	    "HKCU is not HKLM" },
	{ "HKEY_USERS", HEAD "[setting a]\nkey = HKEY_USERS\\S-1-5-18\\X\n"
	    "value = V\ntype = REG_SZ\ndata = x\n", 4,
	    "HKEY_USERS is not HKLM" },
	{ "relative key", HEAD "[setting a]\nkey = SOFTWARE\\X\nvalue = V\n"
	    "type = REG_SZ\ndata = x\n", 4,
	    "not a full path: start it with HKLM\\ or HKEY_LOCAL_MACHINE\\" },
	{ "leading backslash", HEAD "[setting a]\nkey = \\HKLM\\X\nvalue = V\n"
	    "type = REG_SZ\ndata = x\n", 4, "not a full path" },
	{ "forward slashes", HEAD "[setting a]\nkey = HKLM/SOFTWARE/X\n"
	    "value = V\ntype = REG_SZ\ndata = x\n", 4, "use backslashes" },
	{ "hive only", HEAD "[setting a]\nkey = HKLM\\\\\nvalue = V\n"
	    "type = REG_SZ\ndata = x\n", 4, "names no key under HKLM" },
	{ "HKLMX prefix", HEAD "[setting a]\nkey = HKLMX\\SOFTWARE\nvalue = V\n"
	    "type = REG_SZ\ndata = x\n", 4, "not a full path" },
	{ "space in component", HEAD "[setting a]\nkey = HKLM\\SOFTWARE \\X\n"
	    "value = V\ntype = REG_SZ\ndata = x\n", 4,
	    "starts or ends with a space" },
	{ "empty key", HEAD "[setting a]\nkey =\nvalue = V\n"
	    "type = REG_SZ\ndata = x\n", 4, "bad key \"\": empty" },
	{ "WOW6432Node", HEAD "[setting a]\nkey = HKLM\\SOFTWARE\\wow6432node"
	    "\\X\nvalue = V\ntype = REG_SZ\ndata = x\n", 4,
	    "key names WOW6432Node: write the 64-bit path and set view = 32" },
	{ "bad view", HEAD SET_A "view = 86\n", 8,
	    "view \"86\": write 64 (the default) or 32" },
	{ "view with suffix", HEAD SET_A "view = 32bit\n", 8,
	    "view \"32bit\"" },
	{ "same target", HEAD SET_A "[setting b]\n"
	    "key = HKEY_LOCAL_MACHINE\\software\\t\nvalue = v\n"
	    "type = REG_SZ\ndata = x\n", 8,
	    "[setting b] sets the same value as [setting a] (line 3): "
	    "HKLM\\software\\t\\v in view 64; keep one" },
	{ "same target default value", HEAD "[setting a]\nkey = HKLM\\X\n"
	    "value = @\ntype = REG_SZ\ndata = x\n[setting b]\nkey = HKLM\\X\n"
	    "value = @\ntype = REG_SZ\ndata = y\n", 8,
	    "HKLM\\X\\@ in view 64" },
	{ "same target both views outside SOFTWARE", HEAD
	    "[setting a]\nkey = HKLM\\SYSTEM\\X\nvalue = V\ntype = REG_SZ\n"
	    "data = x\n[setting b]\nkey = HKLM\\SYSTEM\\X\nvalue = V\n"
	    "type = REG_SZ\ndata = x\nview = 32\n", 8,
	    "sets the same value as [setting a]" },
	/* timeouts */
	{ "timeout zero", HEAD SET_A "[service S]\nstop_timeout = 0\n", 9,
	    "stop_timeout \"0\": write seconds (120), or 120s or 1500ms; above "
	    "0 and at most 24 hours" },
	{ "timeout negative", HEAD SET_A "[service S]\nstart_timeout = -1\n", 9,
	    "start_timeout \"-1\"" },
	{ "timeout over a day", HEAD SET_A
	    "[service S]\nstop_timeout = 86401\n", 9,
	    "stop_timeout \"86401\"" },
	{ "timeout ms over a day", HEAD SET_A
	    "[service S]\nstop_timeout = 86400001ms\n", 9, "86400001ms" },
	/* 2^64 + 1000: would wrap around to a one-second timeout. */
	{ "timeout of 20 digits", HEAD SET_A
	    "[service S]\nstop_timeout = 18446744073709552616\n", 9,
	    "stop_timeout \"18446744073709552616\"" },
	{ "timeout ms of 20 digits", HEAD SET_A
	    "[service S]\nstart_timeout = 18446744073709552616ms\n", 9,
	    "start_timeout \"18446744073709552616ms\"" },
	{ "timeout huge", HEAD SET_A
	    "[service S]\nstop_timeout = 99999999999999999999999\n", 9,
	    "stop_timeout \"9999" },
	{ "timeout fraction", HEAD SET_A "[service S]\nstop_timeout = 1.5\n", 9,
	    "stop_timeout \"1.5\"" },
	{ "timeout minutes", HEAD SET_A "[service S]\nstop_timeout = 5min\n", 9,
	    "stop_timeout \"5min\"" },
	{ "timeout spaced unit", HEAD SET_A "[service S]\nstop_timeout = 5 s\n",
	    9, "stop_timeout \"5 s\"" },
	{ "timeout empty", HEAD SET_A "[service S]\nstop_timeout =\n", 9,
	    "stop_timeout \"\"" },
	{ "timeout zero ms", HEAD SET_A "[service S]\nstop_timeout = 0ms\n", 9,
	    "stop_timeout \"0ms\"" },
	/* bytes that are not a text profile */
	{ "control character", HEAD "[setting a]\nkey = HKLM\\X\x01\n", 4,
	    "control character 0x01" },
	{ "bare CR", HEAD "[setting a]\rkey = HKLM\\X\n", 3,
	    "control character 0x0D" },
	{ "DEL", HEAD "; \x7f\n", 3, "control character 0x7F" },
	{ "bad UTF-8 in a comment", HEAD "; caf\xe9\n" SET_A, 3,
	    "not valid UTF-8: save the profile as UTF-8" },
	{ "overlong UTF-8", HEAD "description = \xc0\xaf\n" SET_A, 3,
	    "not valid UTF-8" },
	{ "UTF-16 BOM", "\xff\xfe[\0p\0", 1, "the file is UTF-16" },
	/* the first error wins, whoever finds it */
	{ "inih error before ours", HEAD "oops\n[setting a]\ntpye = x\n", 3,
	    "not a [section], a name = value line" },
	{ "our error before inih's", HEAD "[setting a]\ntpye = x\noops\n", 4,
	    "unknown key \"tpye\"" },
	{ "reader error before handler's", HEAD "[setting a]\ndata = 1\n"
	    "data = 2\n\x01\n", 5, "duplicate key" },
};

/* Parses text and checks that it is refused with "t.ini:LINE: ...phrase". */
static void
expect_refused(const char *label, const char *text, size_t len, int line,
    const char *phrase)
{
	struct profile *p = (struct profile *)&p;
	struct cm_err err;
	char prefix[64];

	cm_err_clear(&err);
	snprintf(prefix, sizeof(prefix), "t.ini:%d: ", line);
	if (profile_parse("t.ini", text, len, &p, &err) != -1 || p != NULL)
		fail_msg("%s: accepted", label);
	if (err.kind != CM_ERR_INPUT)
		fail_msg("%s: kind %d (%s)", label, err.kind, err.msg);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
	    strstr(err.msg, phrase) == NULL)
		fail_msg("%s: got \"%s\", want \"%s...%s\"", label, err.msg,
		    prefix, phrase);
}

static void
test_bad_profiles_are_refused(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *b = &bad_cases[i];
		/* the UTF-16 case holds NULs; its length is fixed */
		size_t len = strcmp(b->label, "UTF-16 BOM") == 0 ? 6 :
		    strlen(b->text);
		expect_refused(b->label, b->text, len, b->line, b->phrase);
	}
}

/* NUL bytes cannot go through the string table above. */
static void
test_nul_byte_is_refused(void **state)
{
	static const char text[] = HEAD "[setting a]\nkey = HKLM\\X\0\n";
	(void)state;

	expect_refused("NUL", text, sizeof(text) - 1, 4,
	    "NUL byte: this is not a text file");
}

/* inih's buffer is 200 bytes: 197 of text, CR, LF, NUL.  198 is refused
 * (inih itself would cut it and report the line after). */
static void
test_line_limit(void **state)
{
	char text[512], line[256];
	struct profile *p;
	struct cm_err err;
	(void)state;

	memset(line, 'x', sizeof(line));
	memcpy(line, "description = ", 14);
	line[197] = '\0';
	snprintf(text, sizeof(text), "[profile]\nname = t\n%s\r\n" SET_A, line);
	assert_int_equal(profile_parse("t.ini", text, strlen(text), &p, &err),
	    0);
	assert_int_equal(strlen(p->description), 197 - 14);
	profile_free(p);

	line[197] = 'x';
	line[198] = '\0';
	snprintf(text, sizeof(text), "[profile]\nname = t\n%s\n" SET_A, line);
	expect_refused("198 bytes", text, strlen(text), 3,
	    "line is 198 bytes long; inih reads at most 197: shorten it");
	/* a comment line counts too */
	line[0] = ';';
	snprintf(text, sizeof(text), "[profile]\nname = t\n%s\n" SET_A, line);
	expect_refused("198-byte comment", text, strlen(text), 3,
	    "line is 198 bytes long");
}

/* Section names up to 49 characters survive inih whole. */
static void
test_section_name_49_chars(void **state)
{
	static const char id[] = "1234567890123456789012345678901234567890";
	char text[512];
	struct profile *p;
	struct cm_err err;
	(void)state;

	assert_int_equal(strlen("setting ") + strlen(id), 48);
	snprintf(text, sizeof(text), HEAD "[setting %sX]\nkey = HKLM\\X\n"
	    "value = V\ntype = REG_SZ\ndata = x\n", id);
	if (profile_parse("t.ini", text, strlen(text), &p, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(p->settings[0].id), 41);
	assert_string_equal(p->settings[0].id + 40, "X");
	profile_free(p);
}

static struct profile *
load_ok(const char *path)
{
	struct profile *p = NULL;
	struct cm_err err;

	cm_err_clear(&err);
	if (profile_load(path, &p, &err) != 0)
		fail_msg("%s: %s", path, err.msg);
	assert_non_null(p);
	assert_string_equal(p->path, path);
	return p;
}

static void
assert_setting(const struct profile_setting *s, const char *id,
    const char *key, const char *value, int view, int line)
{
	assert_string_equal(s->id, id);
	assert_string_equal(s->key, key);
	assert_string_equal(s->value, value);
	assert_int_equal(s->view, view);
	assert_int_equal(s->line, line);
	assert_int_equal(s->present, 1);
	assert_int_equal(s->remove_key, 0);
}

static void
assert_dword(const struct regval *v, uint64_t num)
{
	assert_int_equal(v->type, REGT_DWORD);
	assert_true(v->num == num);
	assert_null(v->data);
}

static void
assert_bytes(const struct regval *v, uint32_t type, const void *data,
    size_t len)
{
	assert_int_equal(v->type, type);
	assert_int_equal(v->len, len);
	if (len > 0)
		assert_memory_equal(v->data, data, len);
}

static void
assert_service(const struct profile_service *s, const char *name,
    unsigned stop_ms, unsigned start_ms, int line)
{
	assert_string_equal(s->name, name);
	assert_int_equal(s->stop_timeout_ms, stop_ms);
	assert_int_equal(s->start_timeout_ms, start_ms);
	assert_int_equal(s->line, line);
}

/* The line of path that reads exactly `want`: an oracle independent of
 * the parser, so that editing the shipped comments does not break tests. */
static int
line_of(const char *path, const char *want)
{
	char buf[512];
	FILE *f;
	int n = 0;

	assert_non_null(f = fopen(path, "r"));
	while (fgets(buf, sizeof(buf), f) != NULL) {
		n++;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (strcmp(buf, want) == 0) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	fail_msg("%s: no line \"%s\"", path, want);
	return 0;
}

/* Both shipped KB 4503442 profiles, in full. */
static void
test_shipped_kb4503442_profiles(void **state)
{
	static const char *const key =
	    "HKLM\\SOFTWARE\\Microsoft\\SMS\\SMS_CLOUD_PROXYCONNECTOR";
	static const char *const on_ini =
	    "profiles/cmg-connector-verbose-on.ini";
	static const char *const off_ini =
	    "profiles/cmg-connector-verbose-off.ini";
	struct profile *on, *off;
	(void)state;

	on = load_ok(on_ini);
	assert_string_equal(on->name, "cmg-connector-verbose-on");
	assert_string_equal(on->description,
	    "KB 4503442: CMG connection point verbose logging on");
	assert_int_equal(on->nsettings, 1);
	assert_setting(&on->settings[0], "verbose-logging", key,
	    "VerboseLogging", REGVIEW_64,
	    line_of(on_ini, "[setting verbose-logging]"));
	assert_dword(&on->settings[0].desired, 1);
	assert_int_equal(on->settings[0].has_off, 1);
	assert_dword(&on->settings[0].off, 0);
	assert_int_equal(on->nservices, 1);
	assert_service(&on->services[0], "SMS_EXECUTIVE", 300000, 300000,
	    line_of(on_ini, "[service SMS_EXECUTIVE]"));

	off = load_ok(off_ini);
	assert_string_equal(off->name, "cmg-connector-verbose-off");
	assert_string_equal(off->description,
	    "KB 4503442: CMG connection point verbose logging off");
	assert_int_equal(off->nsettings, 1);
	assert_setting(&off->settings[0], "verbose-logging", key,
	    "VerboseLogging", REGVIEW_64,
	    line_of(off_ini, "[setting verbose-logging]"));
	assert_dword(&off->settings[0].desired, 0);
	assert_int_equal(off->settings[0].has_off, 1);
	assert_dword(&off->settings[0].off, 1);
	assert_int_equal(off->nservices, 1);
	assert_service(&off->services[0], "SMS_EXECUTIVE", 300000, 300000,
	    line_of(off_ini, "[service SMS_EXECUTIVE]"));

	/* the two are mirrors: on's data is off's off and back */
	assert_true(regval_equal(&on->settings[0].desired,
	    &off->settings[0].off));
	assert_true(regval_equal(&on->settings[0].off,
	    &off->settings[0].desired));
	profile_free(on);
	profile_free(off);
}

/* Every type, the default value, both views, units and defaults, from a
 * file with a UTF-8 BOM and CRLF line ends. */
static void
test_all_types_profile(void **state)
{
	static const char *const key = "HKLM\\SOFTWARE\\Cmremedy\\Test";
	static const unsigned char blob[] = { 0x01, 0xab, 0xff, 0x00 };
	struct profile *p;
	const struct profile_setting *s;
	(void)state;

	p = load_ok(DATA "all-types.ini");
	assert_string_equal(p->name, "all-types_1.0");
	assert_string_equal(p->description, "Every value type");
	assert_int_equal(p->nsettings, 8);
	s = p->settings;

	assert_setting(&s[0], "dword-max", "HKLM\\Software\\Cmremedy\\Test",
	    "Max", REGVIEW_64, 7);
	assert_dword(&s[0].desired, 0xFFFFFFFFu);
	assert_int_equal(s[0].has_off, 1);
	assert_dword(&s[0].off, 0xFFFFFFFEu);

	assert_setting(&s[1], "qword", key, "Big", REGVIEW_64, 14);
	assert_int_equal(s[1].desired.type, REGT_QWORD);
	assert_true(s[1].desired.num == UINT64_MAX);
	assert_int_equal(s[1].has_off, 0);

	assert_setting(&s[2], "sz-default", key, "", REGVIEW_64, 20);
	assert_bytes(&s[2].desired, REGT_SZ, "C:\\Logs;semicolon kept",
	    sizeof("C:\\Logs;semicolon kept"));
	assert_int_equal(s[2].has_off, 1);
	assert_bytes(&s[2].off, REGT_SZ, "", 1);

	assert_setting(&s[3], "expand", key, "Path With Spaces", REGVIEW_64,
	    27);
	assert_bytes(&s[3].desired, REGT_EXPAND_SZ, "%SystemRoot%\\Temp",
	    sizeof("%SystemRoot%\\Temp"));

	assert_setting(&s[4], "multi", key, "List", REGVIEW_32, 33);
	assert_bytes(&s[4].desired, REGT_MULTI_SZ, "C:\\Logs\0D:\\0x\0",
	    sizeof("C:\\Logs\0D:\\0x\0"));

	assert_setting(&s[5], "binary", key, "Blob", REGVIEW_64, 40);
	assert_bytes(&s[5].desired, REGT_BINARY, blob, sizeof(blob));

	/* "list" in view 64 is another value than "List" in view 32 */
	assert_setting(&s[6], "same-value-other-view", key, "list",
	    REGVIEW_64, 46);
	assert_bytes(&s[6].desired, REGT_MULTI_SZ, "", 1);

	assert_setting(&s[7], "system-key",
	    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Cmremedy", "Start",
	    REGVIEW_32, 53);
	assert_dword(&s[7].desired, 3);

	assert_int_equal(p->nservices, 3);
	/* a section without keys is still seen: defaults apply */
	assert_service(&p->services[0], "Svc.One", PROFILE_STOP_TIMEOUT_MS,
	    PROFILE_START_TIMEOUT_MS, 60);
	assert_service(&p->services[1], "MSSQL$CM_1", 1500, 86400000u, 62);
	assert_service(&p->services[2], "svc-three", 1000,
	    PROFILE_START_TIMEOUT_MS, 66);
	profile_free(p);
}

/* Files that are not profiles, each refused with its line. */
static void
test_bad_files(void **state)
{
	static const struct {
		const char *file;
		int line;
		const char *phrase;
	} cases[] = {
		{ "empty.ini", 1, "the file is empty" },
		{ "comments-only.ini", 1, "no sections" },
		{ "binary.ini", 5, "NUL byte" },
		{ "utf16.ini", 1, "the file is UTF-16: save it as UTF-8" },
		{ "latin1.ini", 3, "not valid UTF-8" },
		{ "long-line.ini", 4, "line is 198 bytes long" },
		{ "continuation.ini", 10, "indented line" },
	};
	struct profile *p;
	struct cm_err err;
	char path[256], prefix[300];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), DATA "%s", cases[i].file);
		snprintf(prefix, sizeof(prefix), "%s:%d: ", path,
		    cases[i].line);
		p = (struct profile *)&p;
		cm_err_clear(&err);
		assert_int_equal(profile_load(path, &p, &err), -1);
		assert_null(p);
		assert_int_equal(err.kind, CM_ERR_INPUT);
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
		    strstr(err.msg, cases[i].phrase) == NULL)
			fail_msg("%s: got \"%s\"", path, err.msg);
	}
}

/* A missing file or a directory is a usage error (exit 2), not a system
 * error: nothing was touched. */
static void
test_missing_file_and_directory(void **state)
{
	struct profile *p;
	struct cm_err err;
	(void)state;

	cm_err_clear(&err);
	assert_int_equal(profile_load(DATA "no-such.ini", &p, &err), -1);
	assert_null(p);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, DATA "no-such.ini: cannot open"));

	/* any other open failure too (root reads mode-000 files, so a path
	 * through a regular file stands in for "unreadable") */
	cm_err_clear(&err);
	assert_int_equal(profile_load(DATA "empty.ini/x", &p, &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, DATA "empty.ini/x: cannot open"));

	cm_err_clear(&err);
	assert_int_equal(profile_load(TEST_DATA "/profile", &p, &err), -1);
	assert_null(p);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_string_equal(err.msg, TEST_DATA "/profile: is a directory: "
	    "name a profile .ini file");
}

static int
is_ini(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".ini") == 0;
}

/* Loads every .ini in dir; returns how many. */
static int
load_all(const char *dir)
{
	struct dirent *de;
	char path[512];
	DIR *d;
	int n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (!is_ini(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		profile_free(load_ok(path));
		n++;
	}
	closedir(d);
	return n;
}

/* Whatever is shipped must load: a new example cannot rot unnoticed. */
static void
test_every_shipped_profile_loads(void **state)
{
	(void)state;

	assert_true(load_all("profiles") >= 2);
	assert_true(load_all("profiles/examples") >= 2);
}

static void
expect_key(const char *in, const char *want)
{
	struct cm_err e;
	char *k = profile_canon_key(in, &e);

	if (k == NULL)
		fail_msg("%s: refused: %s", in, e.msg);
	assert_string_equal(k, want);
	free(k);
}

static void
expect_key_refused(const char *in, const char *phrase)
{
	struct cm_err e;
	char *k;

	cm_err_clear(&e);
	if ((k = profile_canon_key(in, &e)) != NULL)
		fail_msg("%s: accepted as %s", in, k);
	assert_int_equal(e.kind, CM_ERR_INPUT);
	if (strstr(e.msg, phrase) == NULL)
		fail_msg("%s: reason \"%s\", want \"%s\"", in, e.msg, phrase);
}

static void
test_canon_key(void **state)
{
	(void)state;

	expect_key("HKLM\\SOFTWARE\\X", "HKLM\\SOFTWARE\\X");
	expect_key("hklm\\Software\\X", "HKLM\\Software\\X");
	expect_key("HKEY_LOCAL_MACHINE\\SOFTWARE\\X", "HKLM\\SOFTWARE\\X");
	expect_key("hkey_local_machine\\A", "HKLM\\A");
	expect_key("HKLM\\SOFTWARE\\Microsoft\\CCM\\Logging\\@Global",
	    "HKLM\\SOFTWARE\\Microsoft\\CCM\\Logging\\@Global");
	expect_key("HKLM\\SOFTWARE\\Caf\xc3\xa9 \xe2\x82\xac",
	    "HKLM\\SOFTWARE\\Caf\xc3\xa9 \xe2\x82\xac");

	expect_key_refused(NULL, "empty");
	expect_key_refused("", "empty");
	expect_key_refused("HKLM", "names no key under HKLM");
	expect_key_refused("HKLM\\", "names no key");
	expect_key_refused("HKCU\\Software", "HKCU is not HKLM");
	expect_key_refused("HKEY_CURRENT_USER\\X", "HKEY_CURRENT_USER is not");
	expect_key_refused("HKU\\.DEFAULT", "HKU is not HKLM");
	expect_key_refused("HKEY_CLASSES_ROOT\\X", "is not HKLM");
	expect_key_refused("SOFTWARE\\X", "not a full path");
	expect_key_refused("\\\\HKLM\\X", "not a full path");
	expect_key_refused("HKLM/SOFTWARE", "backslashes");
	expect_key_refused("HKLM\\ X", "starts or ends with a space");
	expect_key_refused("HKLM\\X\\ ", "starts or ends with a space");
	expect_key_refused("HKLM\\X\tY", "control character");
	expect_key_refused("HKLM\\\xc3", "not valid UTF-8");
	expect_key_refused("HKLM\\\\SOFTWARE\\X", "empty key name");
	expect_key_refused("HKLM\\SOFTWARE\\X\\", "empty key name");
	expect_key_refused("HKLM\\SOFTWARE\\Microsoft\\SMS\\..\\..\\..\\SYSTEM",
	    "is \"..\"");
	expect_key_refused("HKLM\\SOFTWARE\\.\\X", "is \".\"");
	expect_key_refused("HKLM\\SOFTWARE\\..", "is \"..\"");

	/* 255 characters per key name is Windows' limit; count characters,
	 * not bytes */
	{
		char k[600];
		memcpy(k, "HKLM\\", 5);
		memset(k + 5, 'a', 255);
		k[260] = '\0';
		free(profile_canon_key(k, NULL));
		expect_key(k, k);
		k[260] = 'a';
		k[261] = '\0';
		expect_key_refused(k, "longer than 255 characters");
		for (int i = 0; i < 255; i++)
			memcpy(k + 5 + 2 * i, "\xc3\xa9", 2);
		k[5 + 510] = '\0';
		expect_key(k, k);
	}
	/* err may be NULL */
	assert_null(profile_canon_key("HKCU\\X", NULL));
}

/* revert builds profiles by hand. */
static void
test_build_by_hand(void **state)
{
	struct profile *p;
	struct profile_setting *s;
	struct profile_service *sv;
	(void)state;

	profile_free(NULL);
	assert_non_null(p = profile_new("r.json", "from-report"));
	assert_string_equal(p->path, "r.json");
	assert_string_equal(p->name, "from-report");
	assert_null(p->description);
	assert_int_equal(p->nsettings, 0);
	assert_int_equal(p->nservices, 0);

	assert_non_null(s = profile_add_setting(p));
	assert_int_equal(s->present, 0);
	assert_null(s->key);
	s->key = profile_canon_key("HKLM\\A", NULL);
	assert_int_equal(regval_set_string(&s->desired, REGT_SZ, "x"), 0);
	assert_non_null(s = profile_add_setting(p));
	assert_int_equal(p->nsettings, 2);
	assert_string_equal(p->settings[0].key, "HKLM\\A");
	assert_null(p->settings[1].key);

	assert_non_null(sv = profile_add_service(p));
	assert_int_equal(sv->stop_timeout_ms, 0);
	assert_int_equal(p->nservices, 1);
	profile_free(p);
}

/* No bytes crash or leak the parser (ASan and LeakSanitizer watch):
 * every prefix of a shipped profile, then seeded random mutations. */
static void
test_never_crashes(void **state)
{
	static const char alphabet[] = "[]=;#\\ \t\r\n\0\xff\xc3\xa9"
	    "@0xXsm-.setting service profile key value type data off view";
	unsigned char *buf, *m;
	struct profile *p;
	struct cm_err err;
	size_t len, i, k;
	int accepted = 0;
	(void)state;

	assert_int_equal(sys_read_file(
	    "profiles/examples/ccm-client-verbose-on.ini", &buf, &len, &err),
	    0);
	for (i = 0; i <= len; i++) {
		if (profile_parse("t.ini", (char *)buf, i, &p, &err) == 0)
			accepted++;
		profile_free(p);
	}
	assert_true(accepted > 0);
	assert_non_null(m = malloc(len));
	srand(4503442);
	for (i = 0; i < 4000; i++) {
		memcpy(m, buf, len);
		for (k = 0; k < 1 + (size_t)rand() % 4; k++)
			m[(size_t)rand() % len] = (unsigned char)alphabet[
			    (size_t)rand() % (sizeof(alphabet) - 1)];
		p = NULL;
		if (profile_parse("t.ini", (char *)m, len, &p, &err) != 0)
			assert_int_equal(err.kind, CM_ERR_INPUT);
		profile_free(p);
	}
	free(m);
	free(buf);
}

/* Eight sections fill the first allocation of the section table exactly:
 * every one is built, none past it. */
static void
test_eight_sections(void **state)
{
	char text[2048];
	size_t len, k;
	struct profile *p;
	struct cm_err err;
	(void)state;

	len = (size_t)snprintf(text, sizeof(text), HEAD);
	for (k = 0; k < 6; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "[setting s%zu]\nkey = HKLM\\SOFTWARE\\T\nvalue = V%zu\n"
		    "type = REG_DWORD\ndata = %zu\n", k, k, k);
	snprintf(text + len, sizeof(text) - len, "[service SMS_EXECUTIVE]\n");
	if (profile_parse("t.ini", text, strlen(text), &p, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(p->nsettings, 6);
	assert_int_equal(p->nservices, 1);
	assert_string_equal(p->settings[5].value, "V5");
	assert_string_equal(p->services[0].name, "SMS_EXECUTIVE");
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_profiles_are_refused),
		cmocka_unit_test(test_nul_byte_is_refused),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_section_name_49_chars),
		cmocka_unit_test(test_eight_sections),
		cmocka_unit_test(test_shipped_kb4503442_profiles),
		cmocka_unit_test(test_all_types_profile),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file_and_directory),
		cmocka_unit_test(test_every_shipped_profile_loads),
		cmocka_unit_test(test_canon_key),
		cmocka_unit_test(test_build_by_hand),
		cmocka_unit_test(test_never_crashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
