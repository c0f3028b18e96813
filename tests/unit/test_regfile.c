// SPDX-License-Identifier: ISC
/* test_regfile.c - the .reg reader/writer: byte-exact round trips in
 * UTF-16LE and UTF-8, decoding of every type, edits against golden files,
 * every malformed input with its line, and a real `wine reg export`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "reg/regfile.h"
#include "reg/regval.h"
#include "util/sysutil.h"
#include "util/utf.h"

#define DIR TEST_DATA "/regfile/"
#define K "HKLM\\SOFTWARE\\CmTest"

static struct cm_err err;

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *b;

	if (sys_read_file(path, &b, len, &err) != 0)
		fail_msg("%s", err.msg);
	return b;
}

static struct regfile *
load(const char *path)
{
	struct regfile *rf;

	if (regfile_load(path, &rf, &err) != 0)
		fail_msg("%s", err.msg);
	return rf;
}

static void
assert_bytes(const unsigned char *got, size_t glen,
    const unsigned char *want, size_t wlen, const char *what)
{
	size_t i;

	for (i = 0; i < glen && i < wlen && got[i] == want[i]; i++)
		;
	if (i < glen || i < wlen)
		fail_msg("%s: differs at byte %zu (got %zu bytes, want %zu)",
		    what, i, glen, wlen);
}

/* Serialises rf and compares it byte for byte with the file golden. */
static void
assert_doc(const struct regfile *rf, const char *golden)
{
	unsigned char *got, *want;
	size_t glen, wlen;

	if (regfile_serialize(rf, &got, &glen, &err) != 0)
		fail_msg("%s", err.msg);
	want = slurp(golden, &wlen);
	assert_bytes(got, glen, want, wlen, golden);
	free(got);
	free(want);
}

static void
set_dword(struct regfile *rf, const char *key, const char *name, uint64_t n)
{
	struct regval v;

	assert_int_equal(regval_set_number(&v, REGT_DWORD, n), 0);
	if (regfile_set(rf, key, name, &v, &err) != 0)
		fail_msg("%s", err.msg);
}

static void
set_string(struct regfile *rf, const char *key, const char *name,
    uint32_t type, const char *s)
{
	struct regval v;

	assert_int_equal(regval_set_string(&v, type, s), 0);
	if (regfile_set(rf, key, name, &v, &err) != 0)
		fail_msg("%s", err.msg);
	regval_free(&v);
}

/* Asserts that key\name reads as exactly `want`. */
static void
assert_get(const struct regfile *rf, const char *key, const char *name,
    const struct regval *want)
{
	struct regval got;
	int rc;

	rc = regfile_get(rf, key, name, &got, &err);
	if (rc != 1)
		fail_msg("get %s \\ %s: rc %d: %s", key, name, rc, err.msg);
	assert_int_equal(got.type, want->type);
	assert_int_equal(got.num, want->num);
	assert_int_equal(got.len, want->len);
	if (want->len > 0)
		assert_memory_equal(got.data, want->data, want->len);
	assert_true(regval_equal(&got, want));
	regval_free(&got);
}

static void
assert_get_num(const struct regfile *rf, const char *key, const char *name,
    uint32_t type, uint64_t n)
{
	struct regval w;

	assert_int_equal(regval_set_number(&w, type, n), 0);
	assert_get(rf, key, name, &w);
}

static void
assert_get_str(const struct regfile *rf, const char *key, const char *name,
    uint32_t type, const char *s)
{
	struct regval w;

	assert_int_equal(regval_set_string(&w, type, s), 0);
	assert_get(rf, key, name, &w);
	regval_free(&w);
}

static void
assert_get_bytes(const struct regfile *rf, const char *key,
    const char *name, uint32_t type, const void *b, size_t n)
{
	struct regval w = { type, 0, (unsigned char *)b, n };

	assert_get(rf, key, name, &w);
}

static void
assert_absent(const struct regfile *rf, const char *key, const char *name)
{
	struct regval got;

	assert_int_equal(regfile_get(rf, key, name, &got, &err), 0);
	assert_null(got.data);
}

/* ---- round trips ---------------------------------------------------- */

static const char *const fixtures[] = {
	"types.utf8.reg", "types.utf16.reg", "wine-export.reg", "lf-bom.reg",
	"regedit4.reg", "edit-replace.utf8.reg", "edit-replace.utf16.reg",
	"edit-create.utf8.reg", "edit-create.utf16.reg",
	"edit-delete.utf8.reg", "edit-delete.utf16.reg", "lf-bom.edit.reg",
	"regedit4.edit.reg", "wine-reimport.reg",
};

static void
test_round_trip_every_fixture(void **state)
{
	char path[256];
	struct regfile *rf;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		snprintf(path, sizeof(path), DIR "%s", fixtures[i]);
		rf = load(path);
		assert_doc(rf, path);
		regfile_free(rf);
	}
}

static void
test_utf16_fixture_is_utf8_source(void **state)
{
	unsigned char *a, *b, *w;
	size_t alen, blen, wn;
	(void)state;

	/* The UTF-16 fixture must be the UTF-8 one re-encoded, or the
	 * shared expectations below would prove nothing. */
	a = slurp(DIR "types.utf8.reg", &alen);
	b = slurp(DIR "types.utf16.reg", &blen);
	assert_int_equal(utf8_to_utf16le((char *)a, alen, &w, &wn), 0);
	assert_int_equal(blen, wn + 2);
	assert_int_equal(b[0], 0xFF);
	assert_int_equal(b[1], 0xFE);
	assert_memory_equal(b + 2, w, wn);
	free(a);
	free(b);
	free(w);
}

/* ---- reading values ------------------------------------------------- */

static void
check_types(const char *path)
{
	static const unsigned char be[] = { 0, 0, 0, 0x2a };
	unsigned char bin[48];
	struct regfile *rf = load(path);
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	assert_get_str(rf, K, "", REGT_SZ, "default value");
	assert_get_num(rf, K, "Dword", REGT_DWORD, 42);
	assert_get_num(rf, K, "DwordMax", REGT_DWORD, 0xFFFFFFFFu);
	assert_get_num(rf, K, "Upper", REGT_DWORD, 0xABCD);
	assert_get_num(rf, K, "Qword", REGT_QWORD, 0x1122334455667788u);
	assert_get_str(rf, K, "Sz", REGT_SZ,
	    "C:\\Program Files\\App \"quoted\"");
	assert_get_str(rf, K, "EmptySz", REGT_SZ, "");
	assert_get_str(rf, K, "Expand", REGT_EXPAND_SZ,
	    "%SystemRoot%\\logs");
	assert_get_bytes(rf, K, "Multi", REGT_MULTI_SZ, "one\0two\0", 9);
	assert_get_bytes(rf, K, "EmptyMulti", REGT_MULTI_SZ, "", 1);
	assert_get_bytes(rf, K, "Binary", REGT_BINARY, bin, sizeof(bin));
	assert_get_bytes(rf, K, "EmptyBinary", REGT_BINARY, NULL, 0);
	assert_get_bytes(rf, K, "None", REGT_NONE, NULL, 0);
	assert_get_bytes(rf, K, "BigEndian", REGT_DWORD_BE, be, 4);
	assert_get_str(rf, K, "SzAsHex", REGT_SZ, "hi");
	assert_get_str(rf, K, "Unicode \xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80",
	    REGT_SZ, "\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_get_num(rf, K, "Name \"with\" \\ escapes", REGT_DWORD, 1);
	assert_get_num(rf, K "\\Sub", "A", REGT_DWORD, 1);

	/* ASCII case folds, as in the registry. */
	assert_get_num(rf, "hklm\\software\\cmtest", "DWORD", REGT_DWORD, 42);

	assert_absent(rf, K, "Nope");
	assert_absent(rf, K "\\Sub", "Gone");          /* "Gone"=- */
	assert_absent(rf, K "\\Deleted", "x");         /* [-key] */
	assert_absent(rf, K "\\Nope", "A");
	assert_true(regfile_key_exists(rf, K));
	assert_true(regfile_key_exists(rf, K "\\Empty"));
	assert_true(regfile_key_exists(rf, "HKLM\\software\\CMTEST\\sub"));
	assert_false(regfile_key_exists(rf, K "\\Deleted"));
	assert_false(regfile_key_exists(rf, "HKLM\\SOFTWARE"));
	assert_false(regfile_key_exists(rf, "HKCU\\Software\\Other"));
	regfile_free(rf);
}

static void
test_get_every_type_utf16(void **state)
{
	(void)state;
	check_types(DIR "types.utf16.reg");
}

static void
test_get_every_type_utf8(void **state)
{
	(void)state;
	check_types(DIR "types.utf8.reg");
}

static void
test_only_hklm_is_addressable(void **state)
{
	struct regfile *rf = load(DIR "types.utf8.reg");
	struct regval v;
	(void)state;

	assert_int_equal(regfile_get(rf, "HKCU\\Software\\Other", "User", &v,
	    &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, "only HKLM"));
	assert_int_equal(regval_set_number(&v, REGT_DWORD, 1), 0);
	assert_int_equal(regfile_set(rf, "HKEY_CURRENT_USER\\X", "a", &v,
	    &err), -1);
	assert_int_equal(regfile_set(rf, "HKLMX\\Y", "a", &v, &err), -1);
	assert_int_equal(regfile_set(rf, K, "two\nlines", &v, &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_doc(rf, DIR "types.utf8.reg");
	regfile_free(rf);
}

static void
test_wine_export_reads(void **state)
{
	static const char *tk = "HKLM\\Software\\CmRemedyTest";
	unsigned char bin[48];
	struct regfile *rf = load(DIR "wine-export.reg");
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	assert_get_str(rf, tk, "", REGT_SZ, "default");
	assert_get_bytes(rf, tk, "Bin", REGT_BINARY, bin, sizeof(bin));
	assert_get_num(rf, tk, "Dw", REGT_DWORD, 10);
	assert_get_str(rf, tk, "EmptyStr", REGT_SZ, "");
	assert_get_str(rf, tk, "Exp", REGT_EXPAND_SZ, "%SystemRoot%\\System32"
	    "\\a-long-enough-path\\to-wrap-over-the-eighty-column-limit.dll");
	assert_get_num(rf, tk, "Max", REGT_DWORD, 0xFFFFFFFFu);
	assert_get_bytes(rf, tk, "Multi", REGT_MULTI_SZ, "one\0two\0three\0",
	    15);
	assert_get_bytes(rf, tk, "None", REGT_NONE, "\0", 2);
	assert_get_num(rf, tk, "Qw", REGT_QWORD, 0x1122334455667788u);
	assert_get_str(rf, tk, "Str", REGT_SZ, "C:\\Path \"quoted\"");
	assert_get_str(rf, "HKLM\\Software\\CmRemedyTest\\Sub", "", REGT_SZ,
	    "");
	assert_get_num(rf, "HKLM\\Software\\CmRemedyTest\\Sub\\Deeper", "X",
	    REGT_DWORD, 1);
	regfile_free(rf);
}

/* Rebuilding Wine's export value by value through regfile_set must give
 * Wine's bytes: the writer formats (wraps, escapes, encodes) as it does. */
static void
test_writer_matches_wine_export(void **state)
{
	static const struct { const char *key, *name; } order[] = {
		{ "", "" }, { "", "Bin" }, { "", "Dw" }, { "", "EmptyStr" },
		{ "", "Exp" }, { "", "Max" }, { "", "Multi" }, { "", "None" },
		{ "", "Qw" }, { "", "Str" }, { "\\Sub", "" },
		{ "\\Sub\\Deeper", "X" },
	};
	struct regfile *wine = load(DIR "wine-export.reg"), *rf;
	struct regval v;
	char key[128];
	size_t i;
	(void)state;

	assert_non_null(rf = regfile_new(REGFILE_UTF16LE));
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		snprintf(key, sizeof(key), "HKLM\\Software\\CmRemedyTest%s",
		    order[i].key);
		assert_int_equal(
		    regfile_get(wine, key, order[i].name, &v, &err), 1);
		if (regfile_set(rf, key, order[i].name, &v, &err) != 0)
			fail_msg("%s", err.msg);
		regval_free(&v);
	}
	assert_doc(rf, DIR "wine-export.reg");
	regfile_free(rf);
	regfile_free(wine);
}

/*
 * wine-reimport.reg is what `wine reg import` then `wine reg export` made
 * of the file this test builds (see tests/data/regfile/README.md): every
 * value must come back equal, and the "Gone"=- marker must have deleted
 * the value that existed before the import.
 */
static void
test_wine_imports_what_we_write(void **state)
{
	static const char *names[] = { "", "Dw", "Qw", "Sz", "Nl", "Exp",
	    "Multi", "Bin", "None", "Be", "Esc \"q\" \\" };
	static const char *items[] = { "one", "two \xc3\xbc",
	    "\xf0\x9f\x98\x80" };
	static const char *wk = "HKLM\\Software\\CmImport";
	struct regfile *rf, *wine = load(DIR "wine-reimport.reg");
	struct regval v, w;
	unsigned char bin[100];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	assert_non_null(rf = regfile_new(REGFILE_UTF16LE));
	set_string(rf, wk, "", REGT_SZ, "def");
	set_dword(rf, wk, "Dw", 0xFFFFFFFFu);
	assert_int_equal(regval_set_number(&v, REGT_QWORD,
	    0x8877665544332211u), 0);
	assert_int_equal(regfile_set(rf, wk, "Qw", &v, &err), 0);
	set_string(rf, wk, "Sz", REGT_SZ, "C:\\x \"y\" \xc3\xbc");
	set_string(rf, wk, "Nl", REGT_SZ, "line1\r\nline2");
	set_string(rf, wk, "Exp", REGT_EXPAND_SZ, "%SystemRoot%\\a very long "
	    "path that wraps over the eighty column limit\\x.dll");
	assert_int_equal(regval_set_multi(&v, items, 3), 0);
	assert_int_equal(regfile_set(rf, wk, "Multi", &v, &err), 0);
	regval_free(&v);
	assert_int_equal(regval_set_bytes(&v, REGT_BINARY, bin, 100), 0);
	assert_int_equal(regfile_set(rf, wk, "Bin", &v, &err), 0);
	regval_free(&v);
	assert_int_equal(regval_set_bytes(&v, REGT_NONE, NULL, 0), 0);
	assert_int_equal(regfile_set(rf, wk, "None", &v, &err), 0);
	assert_int_equal(regval_set_bytes(&v, REGT_DWORD_BE, bin, 4), 0);
	assert_int_equal(regfile_set(rf, wk, "Be", &v, &err), 0);
	regval_free(&v);
	set_dword(rf, wk, "Esc \"q\" \\", 1);
	assert_int_equal(regfile_add_delete_marker(rf, wk, "Gone", &err), 0);

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(regfile_get(rf, wk, names[i], &v, &err), 1);
		assert_int_equal(regfile_get(wine, wk, names[i], &w, &err), 1);
		if (!regval_equal(&v, &w))
			fail_msg("value \"%s\" differs after wine", names[i]);
		regval_free(&v);
		regval_free(&w);
	}
	assert_absent(wine, wk, "Gone");
	regfile_free(rf);
	regfile_free(wine);
}

static void
test_regedit4(void **state)
{
	static const char *k4 = "HKLM\\SOFTWARE\\Old";
	struct regfile *rf = load(DIR "regedit4.reg");
	struct regval v;
	const char *items[] = { "x", "y" };
	(void)state;

	/* REGEDIT4 stores hex(2)/hex(7) text in 8 bits, not UTF-16. */
	assert_get_str(rf, k4, "Str", REGT_SZ, "ansi");
	assert_get_str(rf, k4, "Exp", REGT_EXPAND_SZ, "%A%");
	assert_get_bytes(rf, k4, "Multi", REGT_MULTI_SZ, "a\0bc\0", 6);
	assert_get_num(rf, k4, "Dw", REGT_DWORD, 16);
	set_string(rf, k4, "Path", REGT_EXPAND_SZ, "%TEMP%");
	assert_int_equal(regval_set_multi(&v, items, 2), 0);
	assert_int_equal(regfile_set(rf, k4, "List", &v, &err), 0);
	regval_free(&v);
	assert_doc(rf, DIR "regedit4.edit.reg");
	regfile_free(rf);
}

/* ---- edits against golden files ------------------------------------- */

static void
edit_replace(const char *in, const char *golden)
{
	struct regfile *rf = load(in);

	set_dword(rf, K, "binary", 7);           /* 3 lines become 1 */
	set_dword(rf, "hklm\\software\\cmtest", "DWORD", 0x10);
	set_string(rf, K, "Sz", REGT_SZ, "C:\\new \"x\"");
	set_string(rf, K, "", REGT_SZ, "new default");
	assert_doc(rf, golden);
	regfile_free(rf);
}

static void
test_edit_replace(void **state)
{
	(void)state;
	edit_replace(DIR "types.utf16.reg", DIR "edit-replace.utf16.reg");
	edit_replace(DIR "types.utf8.reg", DIR "edit-replace.utf8.reg");
}

static void
edit_create(const char *in, const char *golden)
{
	struct regfile *rf = load(in);
	const char *items[] = { "a", "bc" };
	unsigned char bin[100];
	struct regval v;
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	assert_int_equal(regval_set_number(&v, REGT_QWORD,
	    0x0102030405060708u), 0);
	assert_int_equal(regfile_set(rf, K "\\Sub", "New", &v, &err), 0);
	set_string(rf, K "\\Empty", "Exp", REGT_EXPAND_SZ, "%TEMP%\\x");
	assert_false(regfile_key_exists(rf, "HKLM\\SOFTWARE\\CmNew"));
	assert_int_equal(regval_set_multi(&v, items, 2), 0);
	assert_int_equal(regfile_set(rf, "HKLM\\SOFTWARE\\CmNew", "Multi", &v,
	    &err), 0);
	regval_free(&v);
	assert_true(regfile_key_exists(rf, "HKLM\\SOFTWARE\\CmNew"));
	assert_int_equal(regval_set_bytes(&v, REGT_BINARY, bin, sizeof(bin)),
	    0);
	assert_int_equal(regfile_set(rf, "HKLM\\SOFTWARE\\CmNew", "Long", &v,
	    &err), 0);
	regval_free(&v);
	assert_int_equal(regfile_add_delete_marker(rf, "HKLM\\SOFTWARE\\CmNew",
	    "Was", &err), 0);
	assert_doc(rf, golden);
	/* What was written reads back. */
	assert_get_num(rf, K "\\Sub", "New", REGT_QWORD, 0x0102030405060708u);
	assert_get_str(rf, K "\\Empty", "Exp", REGT_EXPAND_SZ, "%TEMP%\\x");
	assert_get_bytes(rf, "HKLM\\SOFTWARE\\CmNew", "Multi", REGT_MULTI_SZ,
	    "a\0bc\0", 6);
	assert_get_bytes(rf, "HKLM\\SOFTWARE\\CmNew", "Long", REGT_BINARY, bin,
	    sizeof(bin));
	assert_absent(rf, "HKLM\\SOFTWARE\\CmNew", "Was");
	regfile_free(rf);
}

static void
test_edit_create(void **state)
{
	(void)state;
	edit_create(DIR "types.utf16.reg", DIR "edit-create.utf16.reg");
	edit_create(DIR "types.utf8.reg", DIR "edit-create.utf8.reg");
}

static void
edit_delete(const char *in, const char *golden)
{
	struct regfile *rf = load(in);

	/* Refusals first: they must leave the document as it was. */
	assert_int_equal(regfile_delete_key(rf, K "\\Sub", &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "still has value \"A\""));
	assert_int_equal(regfile_delete_key(rf, K, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_int_equal(regfile_delete_key(rf, "HKLM\\SOFTWARE", &err), 0);
	assert_doc(rf, in);

	assert_int_equal(regfile_delete_value(rf, K, "expand", &err), 0);
	assert_int_equal(regfile_delete_value(rf, K "\\Sub", "GONE", &err), 0);
	assert_int_equal(regfile_delete_key(rf, K "\\empty", &err), 0);
	/* Absent is success and changes nothing. */
	assert_int_equal(regfile_delete_value(rf, K, "Nope", &err), 0);
	assert_int_equal(regfile_delete_value(rf, K "\\Nope", "x", &err), 0);
	assert_int_equal(regfile_delete_key(rf, K "\\Nope", &err), 0);
	assert_doc(rf, golden);
	assert_absent(rf, K, "Expand");
	assert_false(regfile_key_exists(rf, K "\\Empty"));
	regfile_free(rf);
}

static void
test_edit_delete(void **state)
{
	(void)state;
	edit_delete(DIR "types.utf16.reg", DIR "edit-delete.utf16.reg");
	edit_delete(DIR "types.utf8.reg", DIR "edit-delete.utf8.reg");
}

static void
test_create_then_remove_restores_file(void **state)
{
	struct regfile *rf = load(DIR "types.utf16.reg");
	(void)state;

	set_dword(rf, "HKLM\\SOFTWARE\\Fresh", "V", 1);
	set_dword(rf, K "\\Empty", "V", 1);
	assert_int_equal(regfile_delete_key(rf, "HKLM\\SOFTWARE\\Fresh", &err),
	    -1);
	assert_int_equal(regfile_delete_value(rf, "HKLM\\SOFTWARE\\Fresh", "v",
	    &err), 0);
	assert_int_equal(regfile_delete_value(rf, K "\\Empty", "V", &err), 0);
	assert_int_equal(regfile_delete_key(rf, "HKLM\\SOFTWARE\\Fresh", &err),
	    0);
	assert_doc(rf, DIR "types.utf16.reg");
	regfile_free(rf);
}

static void
test_lf_bom_edit(void **state)
{
	struct regfile *rf = load(DIR "lf-bom.reg");
	(void)state;

	/* LF line ends and the BOM stay; the last line, which had no line
	 * end, gets one because a line now follows it. */
	set_string(rf, "HKLM\\SOFTWARE\\Lf", "New", REGT_SZ, "y");
	set_dword(rf, "HKLM\\SOFTWARE\\LfNew", "Q", 3);
	assert_doc(rf, DIR "lf-bom.edit.reg");
	regfile_free(rf);
}

static void
assert_serialized(const struct regfile *rf, const char *want)
{
	unsigned char *got;
	size_t len;

	assert_int_equal(regfile_serialize(rf, &got, &len, &err), 0);
	assert_bytes(got, len, (const unsigned char *)want, strlen(want),
	    "document");
	free(got);
}

static void
test_new_document_and_markers(void **state)
{
	struct regfile *rf = regfile_new(REGFILE_UTF8);
	(void)state;

	assert_non_null(rf);
	assert_serialized(rf, "Windows Registry Editor Version 5.00\r\n\r\n");
	assert_int_equal(regfile_add_delete_marker(rf, "HKLM\\X", "v", &err),
	    0);
	assert_int_equal(regfile_add_delete_marker(rf, "HKLM\\X", "", &err), 0);
	assert_serialized(rf, "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\X]\r\n\"v\"=-\r\n@=-\r\n\r\n");
	assert_absent(rf, "HKLM\\X", "v");
	/* A marker is the value's record: setting replaces it, and a marker
	 * replaces a value. */
	set_dword(rf, "HKLM\\X", "V", 255);
	assert_int_equal(regfile_add_delete_marker(rf, "HKLM\\X", "", &err), 0);
	assert_serialized(rf, "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\X]\r\n\"v\"=dword:000000ff\r\n@=-\r\n\r\n");
	regfile_free(rf);
	regfile_free(NULL);
}

static void
test_string_forms(void **state)
{
	struct regfile *rf = regfile_new(REGFILE_UTF8);
	struct regval v;
	unsigned char bad[] = { 'a', 0xFF, 0 };
	(void)state;

	/* A line break cannot sit inside "..." portably: hex(1) instead. */
	set_string(rf, "HKLM\\X", "Nl", REGT_SZ, "a\nb");
	set_string(rf, "HKLM\\X", "Esc", REGT_SZ, "\\\"");
	set_dword(rf, "HKLM\\X", "Z", 0);
	set_string(rf, "HKLM\\X", "q\"\\", REGT_EXPAND_SZ, "");
	assert_serialized(rf, "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\X]\r\n"
	    "\"Nl\"=hex(1):61,00,0a,00,62,00,00,00\r\n"
	    "\"Esc\"=\"\\\\\\\"\"\r\n"
	    "\"Z\"=dword:00000000\r\n"
	    "\"q\\\"\\\\\"=hex(2):00,00\r\n\r\n");
	assert_get_str(rf, "HKLM\\X", "Nl", REGT_SZ, "a\nb");
	assert_get_str(rf, "HKLM\\X", "esc", REGT_SZ, "\\\"");
	assert_get_str(rf, "HKLM\\X", "Q\"\\", REGT_EXPAND_SZ, "");

	/* Data the contract forbids is refused and changes nothing. */
	assert_int_equal(regval_set_number(&v, REGT_DWORD, 1), 0);
	v.num = 0x100000000u;
	assert_int_equal(regfile_set(rf, "HKLM\\X", "Z", &v, &err), -1);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	assert_non_null(strstr(err.msg, "above 0xFFFFFFFF"));
	v.type = REGT_SZ;
	v.data = bad;
	v.len = sizeof(bad);
	assert_int_equal(regfile_set(rf, "HKLM\\X", "Z", &v, &err), -1);
	v.type = REGT_EXPAND_SZ;
	assert_int_equal(regfile_set(rf, "HKLM\\X", "Z", &v, &err), -1);
	assert_non_null(strstr(err.msg, "not valid UTF-8"));
	assert_get_num(rf, "HKLM\\X", "Z", REGT_DWORD, 0);
	regfile_free(rf);
}

static void
test_duplicates_last_wins(void **state)
{
	static const char text[] =
	    "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\D]\r\n\"a\"=dword:00000001\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\d]\r\n\"A\"=dword:00000002\r\n"
	    "\"b\"=dword:00000003\r\n\r\n";
	static const char after[] =
	    "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\D]\r\n\"a\"=dword:00000001\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\d]\r\n\"A\"=dword:00000009\r\n"
	    "\"b\"=dword:00000003\r\n\"c\"=dword:00000004\r\n\r\n";
	static const char deleted[] =
	    "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\D]\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\d]\r\n"
	    "\"b\"=dword:00000003\r\n\"c\"=dword:00000004\r\n\r\n";
	struct regfile *rf;
	(void)state;

	assert_int_equal(regfile_parse("d.reg", (const unsigned char *)text,
	    strlen(text), &rf, &err), 0);
	assert_get_num(rf, "HKLM\\D", "a", REGT_DWORD, 2);
	set_dword(rf, "HKLM\\D", "a", 9);
	set_dword(rf, "HKLM\\D", "c", 4);
	assert_serialized(rf, after);
	assert_int_equal(regfile_delete_value(rf, "HKLM\\D", "a", &err), 0);
	assert_serialized(rf, deleted);
	assert_absent(rf, "HKLM\\D", "a");
	regfile_free(rf);
}

static void
test_get_decode_errors(void **state)
{
	static const char text[] =
	    "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKEY_LOCAL_MACHINE\\E]\r\n"
	    "\"surrogate\"=hex(2):00,d8,41,00,00,00\r\n"
	    "\"short_q\"=hex(b):01,02,03,04\r\n"
	    "\"short_d\"=hex(4):01,02,03\r\n"
	    "\"hex_d\"=hex(4):01,02,03,04\r\n"
	    "\"empty_elem\"=hex(7):61,00,00,00,00,00,62,00,00,00,00,00\r\n"
	    "\"unterminated\"=hex(7):61,00,00,00,62,00\r\n"
	    "\"trailing_empty\"=hex(7):61,00,00,00,00,00,00,00\r\n"
	    "\"nul\"=\"a\\0b\"\r\n"
	    "\"inner_nul\"=hex(1):61,00,00,00,62,00,00,00\r\n"
	    "\"escapes\"=\"l\\nc\\rk\\q\"\r\n"
	    "\"only_nuls\"=hex(7):00,00,00,00,00,00\r\n";
	static const struct { const char *name; int line; } bad[] = {
		{ "surrogate", 4 }, { "short_q", 5 }, { "short_d", 6 },
		{ "empty_elem", 8 }, { "nul", 11 }, { "inner_nul", 12 },
	};
	struct regfile *rf;
	struct regval v;
	char want[64];
	size_t i;
	(void)state;

	assert_int_equal(regfile_parse("e.reg", (const unsigned char *)text,
	    strlen(text), &rf, &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(regfile_get(rf, "HKLM\\E", bad[i].name, &v,
		    &err), -1);
		assert_int_equal(err.kind, CM_ERR_INPUT);
		snprintf(want, sizeof(want), "e.reg:%d: value \"%s\"",
		    bad[i].line, bad[i].name);
		if (strncmp(err.msg, want, strlen(want)) != 0)
			fail_msg("want \"%s...\", got \"%s\"", want, err.msg);
		assert_null(v.data);
	}
	assert_get_num(rf, "HKLM\\E", "hex_d", REGT_DWORD, 0x04030201);
	assert_get_bytes(rf, "HKLM\\E", "unterminated", REGT_MULTI_SZ,
	    "a\0b\0", 5);
	/* Any number of trailing NULs ends the list, as in a real registry
	 * (an empty string ends a REG_MULTI_SZ). */
	assert_get_bytes(rf, "HKLM\\E", "trailing_empty", REGT_MULTI_SZ,
	    "a\0", 3);
	assert_get_bytes(rf, "HKLM\\E", "only_nuls", REGT_MULTI_SZ, "", 1);
	/* Wine's escapes; an unknown one is kept as written. */
	assert_get_str(rf, "HKLM\\E", "escapes", REGT_SZ, "l\nc\rk\\q");
	regfile_free(rf);
}

/* ---- malformed input ------------------------------------------------ */

#define HDR "Windows Registry Editor Version 5.00\r\n\r\n"
#define KEY HDR "[HKEY_LOCAL_MACHINE\\K]\r\n"

static const struct {
	const char *text;
	size_t len;             /* 0: strlen */
	int line;
	const char *why;
} malformed[] = {
	{ "", 0, 1, "not a .reg file" },
	{ "REGEDIT5\r\n", 0, 1, "not a .reg file" },
	{ "\r\n" HDR, 0, 1, "not a .reg file" },
	{ HDR "\"x\"=dword:00000001\r\n", 0, 3, "before any [key]" },
	{ HDR "@=\"x\"\r\n", 0, 3, "before any [key]" },
	{ KEY "\"b\"=hex:0g\r\n", 0, 4, "'0g' is not a byte" },
	{ KEY "\"b\"=hex:1,02\r\n", 0, 4, "'1,' is not a byte" },
	/* The longest quote a message makes: two bytes, both as hex. */
	{ KEY "\"b\"=hex:\xc3\xa9\r\n", 0, 4,
	    "bad hex data: '\\xc3\\xa9' is not a byte" },
	{ KEY "\"b\"=hex:0102\r\n", 0, 4, "where ','" },
	{ KEY "\"b\"=hex:01,\r\n", 0, 4, "ends with ','" },
	{ KEY "\"b\"=hex:01,\\\r\n  02,zz\r\n", 0, 5, "'zz'" },
	{ KEY "\"b\"=hex:01,\\\r\n  02,\\\r\n  03,04,\\\r\n  0\r\n", 0, 7,
	    "'0' is not" },
	{ KEY "\"a\"=hex:01,\\\r\n  02\r\n\"b\"=dword:x\r\n", 0, 6,
	    "no hex digits" },
	{ KEY "\"b\"=hex:01,\\", 0, 4, "file ends after a trailing" },
	{ KEY "\"b\"=hex:01,\\\r\n", 0, 4, "file ends after a trailing" },
	{ KEY "\"b\"=hex:01,\\\r\n\r\n[HKEY_LOCAL_MACHINE\\L]\r\n", 0, 5,
	    "blank line after a trailing" },
	{ KEY "\"b\"=hex:01,\\\r\n[HKEY_LOCAL_MACHINE\\L]\r\n", 0, 5,
	    "'[H' is not" },
	{ KEY "\"s\"=hex(2):41\r\n", 0, 4, "hex(2) has 1 bytes" },
	{ KEY "\"s\"=hex(7):41,00,\\\r\n  42\r\n", 0, 4, "hex(7) has 3" },
	{ KEY "\"s\"=hex(1):41,00,42\r\n", 0, 4, "odd count" },
	{ KEY "\"s\"=\"abc\r\n", 0, 4, "unterminated quotes" },
	{ KEY "\"s\"=\"abc\\\"\r\n", 0, 4, "unterminated quotes" },
	{ KEY "\"s=dword:00000001\r\n", 0, 4, "bad value name: unterminated" },
	{ KEY "\"s\"=\"a\" b\r\n", 0, 4, "after the closing quote" },
	{ KEY "\"d\"=dword:000000001\r\n", 0, 4, "more than 8 hex digits" },
	{ KEY "\"d\"=dword:\r\n", 0, 4, "no hex digits" },
	{ KEY "\"d\"=dword:1g\r\n", 0, 4, "unexpected 'g'" },
	{ KEY "\"d\"=dword:1\xc3\xa9\r\n", 0, 4, "unexpected '\\xc3'" },
	{ KEY "\"d\"=foo\r\n", 0, 4, "data must be" },
	{ KEY "\"d\"=hex(zz):00\r\n", 0, 4, "expected hex(N):" },
	{ KEY "\"d\"=hex(b)00\r\n", 0, 4, "expected hex(N):" },
	{ KEY "\"d\"=hex(123456789):00\r\n", 0, 4, "longer than 8" },
	{ KEY "\"d\"=hexx\r\n", 0, 4, "expected ':' or '('" },
	{ KEY "\"d\" dword:00000001\r\n", 0, 4, "expected '='" },
	{ KEY "@ \"x\"\r\n", 0, 4, "expected '='" },
	{ KEY "\"a\\0b\"=dword:00000001\r\n", 0, 4, "contains \\0" },
	{ HDR "[HKEY_LOCAL_MACHINE\\K\r\n", 0, 3, "no closing ']'" },
	{ HDR "[]\r\n", 0, 3, "empty key name" },
	{ HDR "[-]\r\n", 0, 3, "empty key name" },
	{ KEY "garbage\r\n", 0, 4, "bad line" },
	{ KEY "\"a\"=\"x\0y\"\r\n", sizeof(KEY "\"a\"=\"x\0y\"\r\n") - 1, 4,
	    "NUL character" },
	{ KEY "\"a\"=\"\xff\"\r\n", 0, 4, "not valid UTF-8" },
	{ "W\0i\0n\0", 6, 1, "NUL character" },
};

static void
assert_refused(const unsigned char *buf, size_t len, int line,
    const char *why)
{
	struct regfile *rf = (struct regfile *)&err;     /* not NULL */
	char want[32];

	assert_int_equal(regfile_parse("t.reg", buf, len, &rf, &err), -1);
	assert_null(rf);
	assert_int_equal(err.kind, CM_ERR_INPUT);
	snprintf(want, sizeof(want), "t.reg:%d: ", line);
	if (strncmp(err.msg, want, strlen(want)) != 0 ||
	    strstr(err.msg, why) == NULL)
		fail_msg("want \"%s...%s\", got \"%s\"", want, why, err.msg);
}

static void
test_malformed_utf8(void **state)
{
	size_t i, len;
	(void)state;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		len = malformed[i].len ? malformed[i].len
		    : strlen(malformed[i].text);
		assert_refused((const unsigned char *)malformed[i].text, len,
		    malformed[i].line, malformed[i].why);
	}
}

/* The same cases in UTF-16LE with BOM must fail on the same lines. */
static void
test_malformed_utf16(void **state)
{
	unsigned char *w, *b;
	size_t i, len, wn;
	(void)state;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		len = malformed[i].len ? malformed[i].len
		    : strlen(malformed[i].text);
		if (!utf8_valid(malformed[i].text, len) || malformed[i].len)
			continue;       /* those are byte-level UTF-8 cases */
		assert_int_equal(utf8_to_utf16le(malformed[i].text, len, &w,
		    &wn), 0);
		assert_non_null(b = malloc(wn + 2));
		b[0] = 0xFF;
		b[1] = 0xFE;
		memcpy(b + 2, w, wn);
		assert_refused(b, wn + 2, malformed[i].line, malformed[i].why);
		free(w);
		free(b);
	}
}

static void
test_malformed_utf16_encoding(void **state)
{
	static const char text[] = KEY "\"a\"=\"x\"\r\n";
	unsigned char *w, *b;
	size_t wn;
	(void)state;

	assert_int_equal(utf8_to_utf16le(text, strlen(text), &w, &wn), 0);
	assert_non_null(b = malloc(wn + 3));
	b[0] = 0xFF;
	b[1] = 0xFE;
	memcpy(b + 2, w, wn);
	/* Odd length: the last character is cut, on the last line. */
	b[wn + 2] = 'x';
	assert_refused(b, wn + 3, 5, "odd number of bytes");
	assert_refused(b, wn + 1, 4, "odd number of bytes");
	/* A lone high surrogate in place of the x on line 4. */
	b[2 + wn - 8] = 0x00;
	b[2 + wn - 7] = 0xD8;
	assert_refused(b, wn + 2, 4, "unpaired surrogate 0xd800");
	/* A U+0000 character on line 4. */
	b[2 + wn - 7] = 0x00;
	assert_refused(b, wn + 2, 4, "NUL character");
	free(w);
	free(b);
}

/* Whatever the bytes, parsing returns cleanly (ASan checks memory). */
static void
test_parse_survives_damage(void **state)
{
	static const char *const names[] = { "types.utf16.reg",
	    "types.utf8.reg", "wine-export.reg" };
	static const unsigned char bytes[] = { 0x00, 0x0a, 0x0d, 0x5c, 0x22,
	    0x2c, 0xff, 0xd8 };
	char path[256];
	unsigned char *buf, *copy, old;
	struct regfile *rf;
	struct regval v;
	size_t i, n, len, k;
	(void)state;

	for (n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		snprintf(path, sizeof(path), DIR "%s", names[n]);
		buf = slurp(path, &len);
		for (i = 0; i <= len; i++) {
			/* Every prefix, in its own allocation so that ASan
			 * sees a read past the end. */
			assert_non_null(copy = malloc(i ? i : 1));
			memcpy(copy, buf, i);
			if (regfile_parse("f", copy, i, &rf, &err) == 0) {
				(void)regfile_get(rf, K, "Multi", &v, &err);
				regval_free(&v);
				regfile_free(rf);
			}
			free(copy);
		}
		for (i = 0; i < len; i++)
			for (k = 0; k < sizeof(bytes); k++) {
				old = buf[i];
				buf[i] = bytes[k];
				if (regfile_parse("f", buf, len, &rf,
				    &err) == 0)
					regfile_free(rf);
				buf[i] = old;
			}
		free(buf);
	}
}

/* ---- saving --------------------------------------------------------- */

static void
test_save_is_atomic_and_exact(void **state)
{
	char dir[] = "/tmp/test_regfile.XXXXXX", path[64], bad[96];
	struct regfile *rf = load(DIR "types.utf16.reg"), *again;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/registry.reg", dir);
	assert_int_equal(regfile_save(rf, path, &err), 0);
	again = load(path);
	assert_doc(again, DIR "types.utf16.reg");
	regfile_free(again);

	set_dword(rf, K, "Dword", 0x10);
	assert_int_equal(regfile_save(rf, path, &err), 0);
	again = load(path);
	assert_get_num(again, K, "Dword", REGT_DWORD, 0x10);
	regfile_free(again);

	/* A folder that does not exist: an error, and no file appears. */
	snprintf(bad, sizeof(bad), "%s/missing/registry.reg", dir);
	assert_int_equal(regfile_save(rf, bad, &err), -1);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_int_equal(access(bad, F_OK), -1);
	assert_int_equal(regfile_load(bad, &again, &err), -1);
	assert_null(again);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	regfile_free(rf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_fixture),
		cmocka_unit_test(test_utf16_fixture_is_utf8_source),
		cmocka_unit_test(test_get_every_type_utf16),
		cmocka_unit_test(test_get_every_type_utf8),
		cmocka_unit_test(test_only_hklm_is_addressable),
		cmocka_unit_test(test_wine_export_reads),
		cmocka_unit_test(test_writer_matches_wine_export),
		cmocka_unit_test(test_wine_imports_what_we_write),
		cmocka_unit_test(test_regedit4),
		cmocka_unit_test(test_edit_replace),
		cmocka_unit_test(test_edit_create),
		cmocka_unit_test(test_edit_delete),
		cmocka_unit_test(test_create_then_remove_restores_file),
		cmocka_unit_test(test_lf_bom_edit),
		cmocka_unit_test(test_new_document_and_markers),
		cmocka_unit_test(test_string_forms),
		cmocka_unit_test(test_duplicates_last_wins),
		cmocka_unit_test(test_get_decode_errors),
		cmocka_unit_test(test_malformed_utf8),
		cmocka_unit_test(test_malformed_utf16),
		cmocka_unit_test(test_malformed_utf16_encoding),
		cmocka_unit_test(test_parse_survives_damage),
		cmocka_unit_test(test_save_is_atomic_and_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
