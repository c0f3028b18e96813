// SPDX-License-Identifier: ISC
/* test_backend_sim.c - the sim machine through struct backend_ops: the
 * registry file (every type, both encodings, the 32-bit view), the
 * simulated SCM (Windows refusals, fault injection, pids, persistence) and
 * that observing never changes a byte.  Each test works on a copy of a
 * machine from tests/data/sim/ in a fresh temporary folder. */
#define _XOPEN_SOURCE 700   /* setrlimit */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "reg/regval.h"
#include "backend/simsvc.h"
#include "util/sysutil.h"
#include "util/utf.h"

#define SMS "HKLM\\SOFTWARE\\Microsoft\\SMS"
#define CPC SMS "\\SMS_CLOUD_PROXYCONNECTOR"
#define WOW_CPC "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\SMS\\" \
    "SMS_CLOUD_PROXYCONNECTOR"

struct machine {
	char dir[64];
	char reg[128];
	char svc[128];
	struct backend *b;
	struct cm_err err;
};

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	struct cm_err err;

	assert_int_equal(sys_read_file(path, &buf, len, &err), 0);
	return buf;
}

/* The file at path holds exactly want[0, len). */
static void
assert_file_is(const char *path, const unsigned char *want, size_t len)
{
	unsigned char *buf;
	size_t n;

	buf = slurp(path, &n);
	assert_int_equal(n, len);
	assert_memory_equal(buf, want, len);
	free(buf);
}

static void
put(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
put_text(const char *path, const char *text)
{
	put(path, text, strlen(text));
}

static void
copy_from(struct machine *m, const char *fixture)
{
	char src[256];
	unsigned char *buf;
	size_t len;

	snprintf(src, sizeof(src), "%s/sim/%s/registry.reg", TEST_DATA,
	    fixture);
	buf = slurp(src, &len);
	put(m->reg, buf, len);
	free(buf);
	snprintf(src, sizeof(src), "%s/sim/%s/services.ini", TEST_DATA,
	    fixture);
	buf = slurp(src, &len);
	put(m->svc, buf, len);
	free(buf);
}

/* A copy of the UTF-8 sample, not yet opened. */
static int
setup(void **state)
{
	struct machine *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	strcpy(m->dir, "/tmp/cmremedy-sim-XXXXXX");
	assert_non_null(mkdtemp(m->dir));
	snprintf(m->reg, sizeof(m->reg), "%s/registry.reg", m->dir);
	snprintf(m->svc, sizeof(m->svc), "%s/services.ini", m->dir);
	copy_from(m, "sample-utf8");
	*state = m;
	return 0;
}

static int
teardown(void **state)
{
	struct machine *m = *state;
	struct dirent *e;
	char path[512];
	DIR *d;

	backend_close(m->b);
	if ((d = opendir(m->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", m->dir,
			    e->d_name);
			remove(path);
		}
		closedir(d);
	}
	rmdir(m->dir);
	free(m);
	return 0;
}

/* Atomic writes leave no temporary file behind. */
static void
assert_only_machine_files(const struct machine *m)
{
	struct dirent *e;
	DIR *d = opendir(m->dir);
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, "registry.reg") != 0 &&
		    strcmp(e->d_name, "services.ini") != 0 &&
		    strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	assert_int_equal(n, 0);
}

static struct backend *
open_m(struct machine *m)
{
	backend_close(m->b);
	m->b = NULL;
	if (backend_sim_open(m->dir, &m->b, &m->err) != 0)
		fail_msg("open: %s", m->err.msg);
	return m->b;
}

static void
read_ok(struct machine *m, const char *key, const char *name, int view,
    struct regval *v)
{
	int exists = -1;

	memset(v, 0, sizeof(*v));
	if (m->b->ops->read_value(m->b, key, name, view, &exists, v,
	    &m->err) != 0)
		fail_msg("read %s\\%s: %s", key, name, m->err.msg);
	if (exists != 1)
		fail_msg("%s\\%s is absent", key, name);
}

static int
value_exists(struct machine *m, const char *key, const char *name,
    int view)
{
	struct regval v;
	int exists = -1;

	memset(&v, 0, sizeof(v));
	assert_int_equal(m->b->ops->read_value(m->b, key, name, view, &exists,
	    &v, &m->err), 0);
	regval_free(&v);
	return exists;
}

static int
key_exists(struct machine *m, const char *key, int view)
{
	int exists = -1;

	assert_int_equal(m->b->ops->key_exists(m->b, key, view, &exists,
	    &m->err), 0);
	return exists;
}

static struct svc_status
query(struct machine *m, const char *name)
{
	struct svc_status st;

	if (m->b->ops->svc_query(m->b, name, &st, &m->err) != 0)
		fail_msg("query %s: %s", name, m->err.msg);
	return st;
}

static int
stop(struct machine *m, const char *name, unsigned timeout_ms)
{
	struct svc_status st;

	return m->b->ops->svc_stop(m->b, name, timeout_ms, &st, &m->err);
}

static int
start(struct machine *m, const char *name, unsigned timeout_ms)
{
	struct svc_status st;

	return m->b->ops->svc_start(m->b, name, timeout_ms, &st, &m->err);
}

static void
assert_string_data(const struct regval *v, uint32_t type, const char *s)
{
	assert_int_equal(v->type, type);
	assert_int_equal(v->len, strlen(s) + 1);
	assert_string_equal((const char *)v->data, s);
}

/* Both encodings of the sample read the same, every type. */
static void
check_sample_values(struct machine *m)
{
	static const unsigned char thumb[] = { 0x3a, 0x9f, 0x0c, 0x51, 0xd2,
	    0x7e, 0x8b, 0x46, 0xa1, 0xc0, 0xe5, 0xf7, 0x92, 0x3b, 0x84, 0xd6,
	    0xe0, 0x71, 0x5c, 0x2a };
	struct regval v;
	const char *p;

	read_ok(m, CPC, "VerboseLogging", REGVIEW_64, &v);
	assert_int_equal(v.type, REGT_DWORD);
	assert_int_equal(v.num, 0);
	read_ok(m, SMS "\\Tracing\\SMS_CLOUD_PROXYCONNECTOR", "MaxFileSize",
	    REGVIEW_64, &v);
	assert_int_equal(v.num, 2621440);
	read_ok(m, SMS "\\Identification", "Site Name", REGVIEW_64, &v);
	assert_string_data(&v, REGT_SZ, "Z\xc3\xbcrich Primary Site \"HQ\"");
	regval_free(&v);
	read_ok(m, SMS "\\Identification", "Installation Directory",
	    REGVIEW_64, &v);
	assert_string_data(&v, REGT_SZ,
	    "C:\\Program Files\\Microsoft Configuration Manager");
	regval_free(&v);
	read_ok(m, SMS "\\Identification", "", REGVIEW_64, &v);
	assert_string_data(&v, REGT_SZ, "");
	regval_free(&v);
	read_ok(m, SMS "\\Components\\SMS_EXECUTIVE", "", REGVIEW_64, &v);
	assert_string_data(&v, REGT_SZ, "SMS Executive");
	regval_free(&v);
	read_ok(m, CPC, "LogDirectory", REGVIEW_64, &v);
	assert_string_data(&v, REGT_EXPAND_SZ, "%SMS_LOG_PATH%\\CloudProxy");
	regval_free(&v);
	read_ok(m, CPC, "CloudServiceNames", REGVIEW_64, &v);
	assert_int_equal(v.type, REGT_MULTI_SZ);
	assert_int_equal(regval_multi_count(&v), 2);
	p = regval_multi_first(&v);
	assert_string_equal(p, "GraniteCMG.contoso.com");
	assert_string_equal(regval_multi_next(&v, p),
	    "ContosoCMG2.contoso.com");
	regval_free(&v);
	read_ok(m, CPC, "ExcludeServers", REGVIEW_64, &v);
	assert_int_equal(v.type, REGT_MULTI_SZ);
	assert_int_equal(regval_multi_count(&v), 0);
	regval_free(&v);
	read_ok(m, CPC, "LastConnectTime", REGVIEW_64, &v);
	assert_int_equal(v.type, REGT_QWORD);
	assert_true(v.num == 133429464000000000ull);
	read_ok(m, CPC, "CertificateThumbprint", REGVIEW_64, &v);
	assert_int_equal(v.type, REGT_BINARY);
	assert_int_equal(v.len, sizeof(thumb));
	assert_memory_equal(v.data, thumb, sizeof(thumb));
	regval_free(&v);
	/* five physical lines joined by continuations */
	read_ok(m, CPC, "ConnectionPolicy", REGVIEW_64, &v);
	assert_int_equal(v.type, REGT_BINARY);
	assert_int_equal(v.len, 96);
	assert_int_equal(v.data[0], 0x6e);
	assert_int_equal(v.data[18], 0x1d);
	assert_int_equal(v.data[95], 0x86);
	regval_free(&v);
}

static void
test_reads_every_type_utf8(void **state)
{
	struct machine *m = *state;

	open_m(m);
	assert_string_equal(m->b->ops->name, "sim");
	assert_int_equal(m->b->ops->version, BACKEND_OPS_VERSION);
	assert_int_equal(strncmp(m->b->spec, "sim:", 4), 0);
	assert_string_equal(m->b->spec + 4, m->dir);
	check_sample_values(m);
}

static void
test_reads_every_type_utf16(void **state)
{
	struct machine *m = *state;

	copy_from(m, "sample");
	open_m(m);
	check_sample_values(m);
}

static void
test_missing_is_observed_as_absent(void **state)
{
	struct machine *m = *state;

	open_m(m);
	assert_int_equal(value_exists(m, CPC, "NoSuchValue", REGVIEW_64), 0);
	assert_int_equal(value_exists(m, SMS "\\NoSuchKey", "VerboseLogging",
	    REGVIEW_64), 0);
	/* a key without a default value has no @ */
	assert_int_equal(value_exists(m, CPC, "", REGVIEW_64), 0);
	assert_int_equal(key_exists(m, SMS "\\NoSuchKey", REGVIEW_64), 0);
	assert_int_equal(key_exists(m, CPC, REGVIEW_64), 1);
	assert_int_equal(key_exists(m, SMS "\\Triggers", REGVIEW_64), 1);
	/* keys above the export have no header but exist: they have subkeys */
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE\\Microsoft", REGVIEW_64),
	    1);
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE", REGVIEW_64), 1);
	assert_int_equal(key_exists(m, "HKLM", REGVIEW_64), 1);
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE\\Micro", REGVIEW_64), 0);
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE\\Microsoft", REGVIEW_32),
	    1);
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE\\Contoso", REGVIEW_32),
	    0);
	/* names match case-insensitively, as in the registry */
	assert_int_equal(key_exists(m, "HKLM\\software\\microsoft\\sms\\"
	    "sms_cloud_proxyconnector", REGVIEW_64), 1);
	assert_int_equal(value_exists(m, CPC, "verboselogging", REGVIEW_64),
	    1);
}

/* Writes one value of each type into a new key, then reads them back
 * through a fresh handle (from disk). */
static void
write_every_type(struct machine *m)
{
	static const unsigned char bin[] = { 0x00, 0xff, 0x10, 0x5c, 0x22 };
	static const char *items[] = { "one", "tw\xc3\xb6", "C:\\x \"q\"" };
	struct regval in[7], out;
	const char *names[7] = { "D", "Q", "S", "E", "M", "B", "" };
	const char *key = SMS "\\New\\Deeper";
	size_t i;

	memset(in, 0, sizeof(in));
	assert_int_equal(regval_set_number(&in[0], REGT_DWORD, 0xFFFFFFFFu),
	    0);
	assert_int_equal(regval_set_number(&in[1], REGT_QWORD,
	    0x0123456789ABCDEFull), 0);
	assert_int_equal(regval_set_string(&in[2], REGT_SZ,
	    "a \"quoted\" C:\\path \xe2\x82\xac"), 0);
	assert_int_equal(regval_set_string(&in[3], REGT_EXPAND_SZ,
	    "%SystemRoot%\\x"), 0);
	assert_int_equal(regval_set_multi(&in[4], items, 3), 0);
	assert_int_equal(regval_set_bytes(&in[5], REGT_BINARY, bin,
	    sizeof(bin)), 0);
	assert_int_equal(regval_set_string(&in[6], REGT_SZ, "default"), 0);

	open_m(m);
	assert_int_equal(key_exists(m, SMS "\\New", REGVIEW_64), 0);
	for (i = 0; i < 7; i++)
		if (m->b->ops->write_value(m->b, key, names[i], REGVIEW_64,
		    &in[i], &m->err) != 0)
			fail_msg("write %s: %s", names[i], m->err.msg);
	open_m(m);
	assert_int_equal(key_exists(m, key, REGVIEW_64), 1);
	for (i = 0; i < 7; i++) {
		read_ok(m, key, names[i], REGVIEW_64, &out);
		assert_true(regval_equal(&out, &in[i]));
		regval_free(&out);
		regval_free(&in[i]);
	}
	/* overwrite an existing value, change its type too */
	assert_int_equal(regval_set_number(&in[0], REGT_DWORD, 1), 0);
	assert_int_equal(m->b->ops->write_value(m->b, CPC, "VerboseLogging",
	    REGVIEW_64, &in[0], &m->err), 0);
	read_ok(m, CPC, "VerboseLogging", REGVIEW_64, &out);
	assert_true(regval_equal(&out, &in[0]));
	assert_int_equal(regval_set_string(&in[1], REGT_SZ, "now text"), 0);
	assert_int_equal(m->b->ops->write_value(m->b, CPC, "LastConnectTime",
	    REGVIEW_64, &in[1], &m->err), 0);
	read_ok(m, CPC, "LastConnectTime", REGVIEW_64, &out);
	assert_true(regval_equal(&out, &in[1]));
	regval_free(&out);
	regval_free(&in[1]);
}

static void
test_write_every_type_utf8(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;

	write_every_type(m);
	buf = slurp(m->reg, &len);
	assert_true(len > 2 && buf[0] == 'W');   /* still UTF-8, no BOM */
	assert_null(memchr(buf, '\0', len));
	free(buf);
	assert_only_machine_files(m);
}

static void
test_write_every_type_utf16(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;

	copy_from(m, "sample");
	write_every_type(m);
	buf = slurp(m->reg, &len);
	assert_true(len > 4 && buf[0] == 0xFF && buf[1] == 0xFE && buf[2] ==
	    'W' && buf[3] == 0);
	/* CRLF kept: the last two UTF-16 units are \r\n */
	assert_int_equal(len % 2, 0);
	assert_memory_equal(buf + len - 4, "\r\0\n\0", 4);
	free(buf);
}

/* A write leaves every other value as it was. */
static void
test_write_keeps_the_rest(void **state)
{
	struct machine *m = *state;
	struct regval v;

	copy_from(m, "sample");
	open_m(m);
	assert_int_equal(regval_set_number(&v, REGT_DWORD, 1), 0);
	assert_int_equal(m->b->ops->write_value(m->b, CPC, "VerboseLogging",
	    REGVIEW_64, &v, &m->err), 0);
	open_m(m);
	read_ok(m, CPC, "VerboseLogging", REGVIEW_64, &v);
	assert_int_equal(v.num, 1);
	/* the WOW6432Node twin is a different value */
	read_ok(m, WOW_CPC, "VerboseLogging", REGVIEW_64, &v);
	assert_int_equal(v.num, 0);
	assert_int_equal(regval_set_number(&v, REGT_DWORD, 0), 0);
	assert_int_equal(m->b->ops->write_value(m->b, CPC, "VerboseLogging",
	    REGVIEW_64, &v, &m->err), 0);
	check_sample_values(m);
}

static void
test_delete_value(void **state)
{
	struct machine *m = *state;
	unsigned char *before;
	size_t blen;

	open_m(m);
	assert_int_equal(m->b->ops->delete_value(m->b, CPC, "ConnectionPolicy",
	    REGVIEW_64, &m->err), 0);
	assert_int_equal(value_exists(m, CPC, "ConnectionPolicy", REGVIEW_64),
	    0);
	assert_int_equal(value_exists(m, CPC, "ProxyServer", REGVIEW_64), 1);
	assert_int_equal(m->b->ops->delete_value(m->b, SMS "\\Identification",
	    "", REGVIEW_64, &m->err), 0);
	assert_int_equal(value_exists(m, SMS "\\Identification", "",
	    REGVIEW_64), 0);
	/* already absent, or its key absent: success, not a byte changed */
	before = slurp(m->reg, &blen);
	assert_int_equal(m->b->ops->delete_value(m->b, CPC, "ConnectionPolicy",
	    REGVIEW_64, &m->err), 0);
	assert_int_equal(m->b->ops->delete_value(m->b, SMS "\\Nope", "x",
	    REGVIEW_64, &m->err), 0);
	assert_file_is(m->reg, before, blen);
	free(before);
	open_m(m);
	assert_int_equal(value_exists(m, CPC, "ConnectionPolicy", REGVIEW_64),
	    0);
	assert_int_equal(value_exists(m, CPC, "VerboseLogging", REGVIEW_64),
	    1);
}

static void
test_delete_key(void **state)
{
	struct machine *m = *state;
	unsigned char *before;
	size_t blen;

	open_m(m);
	/* not empty (values, or subkeys): refused, nothing changes */
	before = slurp(m->reg, &blen);
	assert_int_equal(m->b->ops->delete_key(m->b, CPC, REGVIEW_64,
	    &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_int_equal(m->b->ops->delete_key(m->b, SMS "\\Components",
	    REGVIEW_64, &m->err), -1);
	assert_file_is(m->reg, before, blen);
	assert_int_equal(key_exists(m, CPC, REGVIEW_64), 1);
	/* a key with subkeys but no header of its own is not empty either */
	assert_int_equal(m->b->ops->delete_key(m->b,
	    "HKLM\\SOFTWARE\\Microsoft", REGVIEW_64, &m->err), -1);
	assert_non_null(strstr(m->err.msg, "has subkeys"));
	assert_file_is(m->reg, before, blen);
	/* empty: goes */
	assert_int_equal(m->b->ops->delete_key(m->b, SMS "\\Triggers",
	    REGVIEW_64, &m->err), 0);
	assert_int_equal(key_exists(m, SMS "\\Triggers", REGVIEW_64), 0);
	/* absent: success, unchanged */
	free(before);
	before = slurp(m->reg, &blen);
	assert_int_equal(m->b->ops->delete_key(m->b, SMS "\\Triggers",
	    REGVIEW_64, &m->err), 0);
	assert_file_is(m->reg, before, blen);
	free(before);
}

static void
test_view32_maps_software_to_wow6432node(void **state)
{
	struct machine *m = *state;
	struct regval v, out;

	open_m(m);
	/* Signature exists only in the WOW6432Node twin */
	assert_int_equal(value_exists(m, CPC, "Signature", REGVIEW_64), 0);
	assert_int_equal(value_exists(m, CPC, "Signature", REGVIEW_32), 1);
	assert_int_equal(value_exists(m, WOW_CPC, "Signature", REGVIEW_64), 1);
	/* a path already under WOW6432Node is not mapped twice */
	assert_int_equal(value_exists(m, WOW_CPC, "Signature", REGVIEW_32), 1);
	assert_int_equal(key_exists(m, SMS "\\Identification", REGVIEW_32), 0);
	assert_int_equal(key_exists(m, CPC, REGVIEW_32), 1);

	/* a 32-bit write lands in WOW6432Node, and only there */
	assert_int_equal(regval_set_number(&v, REGT_DWORD, 7), 0);
	assert_int_equal(m->b->ops->write_value(m->b, CPC, "VerboseLogging",
	    REGVIEW_32, &v, &m->err), 0);
	read_ok(m, WOW_CPC, "VerboseLogging", REGVIEW_64, &out);
	assert_int_equal(out.num, 7);
	read_ok(m, CPC, "VerboseLogging", REGVIEW_64, &out);
	assert_int_equal(out.num, 0);

	/* outside SOFTWARE, and keys that merely start with SOFTWARE, are
	 * the same in both views */
	assert_int_equal(m->b->ops->write_value(m->b, "HKLM\\SYSTEM\\Sim",
	    "x", REGVIEW_32, &v, &m->err), 0);
	assert_int_equal(value_exists(m, "HKLM\\SYSTEM\\Sim", "x", REGVIEW_64),
	    1);
	assert_int_equal(m->b->ops->write_value(m->b, "HKLM\\SOFTWAREX", "x",
	    REGVIEW_32, &v, &m->err), 0);
	assert_int_equal(value_exists(m, "HKLM\\SOFTWAREX", "x", REGVIEW_64),
	    1);
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE\\WOW6432Node\\X",
	    REGVIEW_64), 0);
	/* the view of the WOW6432Node key itself, then deletion through it */
	assert_int_equal(m->b->ops->write_value(m->b, "HKLM\\SOFTWARE\\Tmp32",
	    "y", REGVIEW_32, &v, &m->err), 0);
	assert_int_equal(value_exists(m, "HKLM\\SOFTWARE\\WOW6432Node\\Tmp32",
	    "y", REGVIEW_64), 1);
	assert_int_equal(m->b->ops->delete_value(m->b, "HKLM\\SOFTWARE\\Tmp32",
	    "y", REGVIEW_32, &m->err), 0);
	assert_int_equal(m->b->ops->delete_key(m->b, "HKLM\\SOFTWARE\\Tmp32",
	    REGVIEW_32, &m->err), 0);
	assert_int_equal(key_exists(m, "HKLM\\SOFTWARE\\WOW6432Node\\Tmp32",
	    REGVIEW_64), 0);
	/* neither 64 nor 32 */
	assert_int_equal(m->b->ops->key_exists(m->b, CPC, 0, &(int){0},
	    &m->err), -1);
}

static void
test_missing_and_malformed_registry(void **state)
{
	struct machine *m = *state;
	struct backend *b = NULL;
	int exists;

	put_text(m->reg, "Windows Registry Editor Version 5.00\n\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"a\"=dword:00000001\n"
	    "\"b\"=dword:zz\n");
	assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
	assert_null(b);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(m->err.msg, "registry.reg:5:"));

	remove(m->reg);
	assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(m->err.msg, m->reg));

	/* broken after opening: the next read says so, it reads the disk */
	copy_from(m, "sample-utf8");
	open_m(m);
	put_text(m->reg, "Windows Registry Editor Version 5.00\n\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X\n");
	assert_int_equal(m->b->ops->key_exists(m->b, CPC, REGVIEW_64, &exists,
	    &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(m->err.msg, "registry.reg:3:"));
	remove(m->reg);
	assert_int_equal(m->b->ops->key_exists(m->b, CPC, REGVIEW_64, &exists,
	    &m->err), -1);
	assert_non_null(strstr(m->err.msg, m->reg));
}

/* A value the file holds but cannot be decoded, and a key the sim cannot
 * address: failures of the machine (CM_ERR_SYSTEM), not observations. */
static void
test_undecodable_value_and_bad_key(void **state)
{
	struct machine *m = *state;
	struct regval v;
	int exists = -1;

	put_text(m->reg, "Windows Registry Editor Version 5.00\n\n"
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"ok\"=dword:00000001\n"
	    "\"bad\"=hex(2):00,d8,00,00\n");
	open_m(m);
	memset(&v, 0, sizeof(v));
	assert_int_equal(m->b->ops->read_value(m->b, "HKLM\\SOFTWARE\\X", "bad",
	    REGVIEW_64, &exists, &v, &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(m->err.msg, "registry.reg:5:"));
	assert_null(v.data);
	assert_int_equal(value_exists(m, "HKLM\\SOFTWARE\\X", "ok", REGVIEW_64),
	    1);

	assert_int_equal(regval_set_number(&v, REGT_DWORD, 1), 0);
	assert_int_equal(m->b->ops->write_value(m->b, "HKCU\\Software\\X", "a",
	    REGVIEW_64, &v, &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(m->err.msg, "HKCU"));
}

/* Each bad services.ini is refused at open with its file and line. */
static void
test_bad_services_ini(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *why;
	} bad[] = {
		{ "[A]\nstate = running\npid = 1\ncolour = red\n", 4,
		    "unknown key 'colour'" },
		{ "[A]\nstate = running\npid = 1\nstate = stopped\n", 4,
		    "given twice (first at line 2)" },
		{ "[A]\nstate = paused\n", 2, "state 'paused'" },
		{ "[A]\nstate = running\npid = -1\n", 3, "pid '-1'" },
		{ "[A]\nstate = running\npid = 4294967296\n", 3, "pid" },
		{ "[A]\nstate = running\n", 2, "has no pid" },
		{ "; c\n[A]\npid = 3\n", 2, "has no state" },
		{ "[A]\nstate = stopped\ndepends_on = B\n", 3,
		    "depends on B, which is not in this file" },
		{ "[A]\nstate = stopped\ndepends_on = a\n", 3, "itself" },
		{ "[A]\nstate = stopped\ndepends_on = B,\n"
		    "[B]\nstate = stopped\n", 3, "empty name" },
		{ "[A]\nstate = stopped\ndepends_on = B\n[B]\nstate = stopped\n"
		    "depends_on = C\n[C]\nstate = stopped\ndepends_on = A\n", 9,
		    "[C] depends on A, which needs [C] in turn: circular" },
		{ "[A]\nstate = stopped\n[a]\nstate = stopped\n", 3,
		    "given twice (first at line 1)" },
		{ "[A]\nstate = stopped\n  pid = 3\n", 3, "indented" },
		{ "[A]\nstate = stopped\nnot a pair\n", 3, "syntax error" },
		{ "[A\nstate = stopped\n", 1, "syntax error" },
		{ "state = stopped\n[A]\nstate = stopped\n", 1,
		    "outside any [service]" },
		{ "[A]\nstate = stopped\nfail = sometimes\n", 3,
		    "fail 'sometimes'" },
		{ "[A]\nstate = stopped\nstop_ms = 3600001\n", 3, "stop_ms" },
		{ "[A]\nstate = stopped\nstart_ms = 1s\n", 3, "start_ms" },
		{ "[A B,C]\nstate = stopped\n", 1, "not a service name" },
		{ "[A]\r\nstate = stopped\r\n\r\n[B]\r\nstate = on\r\n", 5,
		    "state 'on'" },
	};
	struct machine *m = *state;
	char want[256], longline[400];
	struct backend *b = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_text(m->svc, bad[i].text);
		assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
		assert_null(b);
		assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
		snprintf(want, sizeof(want), "%s:%d: ", m->svc, bad[i].line);
		if (strncmp(m->err.msg, want, strlen(want)) != 0 ||
		    strstr(m->err.msg, bad[i].why) == NULL)
			fail_msg("case %zu: want %s...%s, got %s", i, want,
			    bad[i].why, m->err.msg);
	}

	/* a line inih would cut */
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[A]\nstate = stopped\n; ", 22);
	strcpy(longline + 300, "\n");
	put_text(m->svc, longline);
	assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
	assert_non_null(strstr(m->err.msg, "services.ini:3: line is longer"));

	put(m->svc, "[\0A\0]\0", 6);
	assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
	assert_non_null(strstr(m->err.msg, "NUL"));

	remove(m->svc);
	assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(m->err.msg, m->svc));
}

static void
test_too_many_services(void **state)
{
	struct machine *m = *state;
	char *many, *at, want[128];
	struct backend *b = NULL;
	unsigned k;

	many = at = malloc(SIMSVC_MAX_SERVICES * 32 + 64);
	assert_non_null(many);
	for (k = 0; k <= SIMSVC_MAX_SERVICES; k++)
		at += sprintf(at, "[S%u]\nstate = stopped\n", k);
	put_text(m->svc, many);
	free(many);
	assert_int_equal(backend_sim_open(m->dir, &b, &m->err), -1);
	snprintf(want, sizeof(want), "services.ini:%u: more than %u services",
	    2 * SIMSVC_MAX_SERVICES + 1, SIMSVC_MAX_SERVICES);
	assert_non_null(strstr(m->err.msg, want));
}

/* The forms a hand-written file may take are accepted. */
static void
test_services_ini_forms(void **state)
{
	struct machine *m = *state;
	struct svc_status st;
	unsigned char *buf;
	size_t len;

	put_text(m->svc, "\xEF\xBB\xBF; BOM, CRLF, ':' and odd case\r\n"
	    "[Svc]\r\nState: Running ; a comment\r\nPID=17\r\n"
	    "depends_on =    ; no dependencies\r\n"
	    "[Other]\r\n  state = stopped\r\nfail = HANG-STOP\r\n"
	    "[Last]\r\nstate = stopped");
	open_m(m);
	st = query(m, "svc");
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 17);
	st = query(m, "OTHER");
	assert_int_equal(st.state, SVC_STOPPED);
	assert_int_equal(st.pid, 0);
	/* a key added to the last, unended line's section */
	assert_int_equal(start(m, "Last", 1000), 0);
	open_m(m);
	st = query(m, "Last");
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 18);
	/* values rewritten in the file's own style */
	assert_int_equal(stop(m, "Svc", 1000), 0);
	assert_int_equal(start(m, "Svc", 1000), 0);
	assert_int_equal(stop(m, "Svc", 1000), 0);
	buf = slurp(m->svc, &len);
	assert_string_equal((char *)buf, "\xEF\xBB\xBF; BOM, CRLF, ':' and "
	    "odd case\r\n[Svc]\r\nState: stopped ; a comment\r\nPID=19\r\n"
	    "depends_on =    ; no dependencies\r\n"
	    "[Other]\r\n  state = stopped\r\nfail = HANG-STOP\r\n"
	    "[Last]\r\nstate = running\r\npid = 18");
	free(buf);
}

/* An empty value is written after "= ", a comment keeps its column. */
static void
test_rewrite_keeps_layout(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;

	put_text(m->svc, "[A]\nstate =stopped\t; c1\npid =\n"
	    "[B]\nstate = stopped              ; long comment column\n"
	    "pid = 1 ;c2\n");
	open_m(m);
	assert_int_equal(start(m, "A", 100), 0);
	assert_int_equal(start(m, "B", 100), 0);
	assert_int_equal(stop(m, "B", 100), 0);
	buf = slurp(m->svc, &len);
	assert_string_equal((char *)buf, "[A]\nstate =running ; c1\npid = 2\n"
	    "[B]\nstate = stopped              ; long comment column\n"
	    "pid = 3 ;c2\n");
	free(buf);
}

/* [S] running with the pid line "pid = 7 ; xxx..." len characters long,
 * and [T], whose pid makes S's next pid 100. */
static void
put_long_pid_line(struct machine *m, size_t len)
{
	char line[256], text[320];

	assert_true(len < sizeof(line));
	memset(line, 'x', len);
	memcpy(line, "pid = 7 ; ", 10);
	line[len] = '\0';
	snprintf(text, sizeof(text), "[S]\nstate = running\n%s\n"
	    "[T]\nstate = running\npid = 99\n", line);
	put_text(m->svc, text);
}

/* A rewritten value that makes its line longer than inih reads (198
 * characters) is refused naming the file and line, and nothing is
 * written: the sim never leaves a file it cannot read (found by
 * fuzz_simsvc).  A line that grows to exactly the limit is written. */
static void
test_rewrite_past_inih_line_limit(void **state)
{
	struct machine *m = *state;
	unsigned char *before, *after;
	size_t blen, alen;
	char want[256];

	put_long_pid_line(m, 196);
	open_m(m);
	assert_int_equal(stop(m, "S", 100), 0);
	assert_int_equal(start(m, "S", 100), 0);
	open_m(m);
	assert_int_equal(query(m, "S").pid, 100);
	after = slurp(m->svc, &alen);
	assert_non_null(strstr((char *)after, "\npid = 100 ; xxx"));
	free(after);

	put_long_pid_line(m, 197);
	open_m(m);
	assert_int_equal(stop(m, "S", 100), 0);
	before = slurp(m->svc, &blen);
	assert_int_equal(start(m, "S", 100), -1);
	snprintf(want, sizeof(want), "%s:3: writing '100' there would make "
	    "the line longer than 198 characters (inih's limit)", m->svc);
	assert_memory_equal(m->err.msg, want, strlen(want));
	assert_file_is(m->svc, before, blen);
	free(before);
	open_m(m);
	assert_int_equal(query(m, "S").state, SVC_STOPPED);
}

static void
test_query(void **state)
{
	struct machine *m = *state;
	struct svc_status st;

	open_m(m);
	st = query(m, "SMS_EXECUTIVE");
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 4242);
	st = query(m, "sms_executive");
	assert_int_equal(st.pid, 4242);
	st = query(m, "SMS_SITE_BACKUP");
	assert_int_equal(st.state, SVC_STOPPED);
	assert_int_equal(st.pid, 0);

	st.state = SVC_RUNNING;
	assert_int_equal(m->b->ops->svc_query(m->b, "NoSuchSvc", &st,
	    &m->err), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_int_equal(m->err.sys, 1060);
	assert_non_null(strstr(m->err.msg,
	    "service NoSuchSvc does not exist on this machine"));
	assert_int_equal(st.state, SVC_UNKNOWN);
	assert_int_equal(stop(m, "NoSuchSvc", 10), -1);
	assert_non_null(strstr(m->err.msg, "does not exist"));
	assert_int_equal(start(m, "NoSuchSvc", 10), -1);
	assert_int_equal(m->err.sys, 1060);
}

/* A chain: B needs A, C needs B, D needs A and C (so D must stop before
 * C, and C before B); E needs A but is stopped; F is unrelated. */
static const char chain[] =
    "[D]\nstate = running\npid = 40\ndepends_on = a, C\n"
    "[A]\nstate = running\npid = 10\n"
    "[E]\nstate = stopped\npid = 50\ndepends_on = A\n"
    "[C]\nstate = running\npid = 30\ndepends_on = B\n"
    "[B]\nstate = running\npid = 20\ndepends_on = A\n"
    "[F]\nstate = running\npid = 60\n";

static size_t
index_of(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	fail_msg("%s is not among the dependents", name);
	return 0;
}

static void
test_dependents_in_stop_order(void **state)
{
	struct machine *m = *state;
	char **names;
	size_t n;

	put_text(m->svc, chain);
	open_m(m);
	assert_int_equal(m->b->ops->svc_dependents(m->b, "a", &names, &n,
	    &m->err), 0);
	assert_int_equal(n, 3);
	assert_true(index_of(names, n, "D") < index_of(names, n, "C"));
	assert_true(index_of(names, n, "C") < index_of(names, n, "B"));
	backend_free_names(names, n);

	assert_int_equal(m->b->ops->svc_dependents(m->b, "C", &names, &n,
	    &m->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "D");
	backend_free_names(names, n);

	assert_int_equal(m->b->ops->svc_dependents(m->b, "F", &names, &n,
	    &m->err), 0);
	assert_int_equal(n, 0);
	backend_free_names(names, n);

	/* the sample: one dependent of SMS_EXECUTIVE */
	copy_from(m, "sample-utf8");
	assert_int_equal(m->b->ops->svc_dependents(m->b, "SMS_EXECUTIVE",
	    &names, &n, &m->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "SMS_SITE_VSS_WRITER");
	backend_free_names(names, n);

	assert_int_equal(m->b->ops->svc_dependents(m->b, "Nope", &names, &n,
	    &m->err), -1);
	assert_null(names);
	assert_non_null(strstr(m->err.msg, "does not exist"));
}

/* Windows' refusals, and the order that avoids them. */
static void
test_restart_with_dependents(void **state)
{
	struct machine *m = *state;
	unsigned char *before;
	size_t blen, n, i;
	struct svc_status st;
	char **names;

	put_text(m->svc, chain);
	open_m(m);
	before = slurp(m->svc, &blen);
	assert_int_equal(stop(m, "A", 100), -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_int_equal(m->err.sys, 1051);
	assert_non_null(strstr(m->err.msg,
	    "ERROR_DEPENDENT_SERVICES_RUNNING"));
	assert_int_equal(stop(m, "B", 100), -1);
	assert_int_equal(m->err.sys, 1051);
	assert_file_is(m->svc, before, blen);
	free(before);

	assert_int_equal(m->b->ops->svc_dependents(m->b, "A", &names, &n,
	    &m->err), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(stop(m, names[i], 100), 0);
	assert_int_equal(m->b->ops->svc_stop(m->b, "A", 100, &st, &m->err),
	    0);
	assert_int_equal(st.state, SVC_STOPPED);
	assert_int_equal(st.pid, 0);

	/* a dependent cannot start before what it needs */
	assert_int_equal(start(m, names[n - 1], 100), -1);
	assert_int_equal(m->err.sys, 1068);
	assert_non_null(strstr(m->err.msg, "ERROR_SERVICE_DEPENDENCY_FAIL"));
	assert_int_equal(query(m, names[n - 1]).state, SVC_STOPPED);

	assert_int_equal(start(m, "A", 100), 0);
	for (i = n; i-- > 0;)
		assert_int_equal(start(m, names[i], 100), 0);
	backend_free_names(names, n);
	open_m(m);
	assert_int_equal(query(m, "D").state, SVC_RUNNING);
	assert_int_equal(query(m, "E").state, SVC_STOPPED);
	assert_true(query(m, "A").pid > 60);
	assert_true(query(m, "D").pid > query(m, "B").pid);
}

/* pid strictly grows with each restart and survives a re-open; the file
 * stays readable, comments in place. */
static void
test_restart_gives_larger_pid_and_persists(void **state)
{
	struct machine *m = *state;
	unsigned long prev = 4388;   /* the largest pid in the sample */
	struct svc_status st;
	unsigned char *buf;
	size_t len;
	int round;

	open_m(m);
	for (round = 0; round < 3; round++) {
		assert_int_equal(stop(m, "SMS_SITE_VSS_WRITER", 1000), 0);
		assert_int_equal(m->b->ops->svc_stop(m->b, "SMS_EXECUTIVE",
		    1000, &st, &m->err), 0);
		assert_int_equal(st.state, SVC_STOPPED);
		assert_int_equal(st.pid, 0);
		open_m(m);
		assert_int_equal(query(m, "SMS_EXECUTIVE").state, SVC_STOPPED);
		assert_int_equal(m->b->ops->svc_start(m->b, "SMS_EXECUTIVE",
		    1000, &st, &m->err), 0);
		assert_int_equal(st.state, SVC_RUNNING);
		assert_true(st.pid > prev);
		prev = st.pid;
		assert_int_equal(start(m, "SMS_SITE_VSS_WRITER", 1000), 0);
		assert_true(query(m, "SMS_SITE_VSS_WRITER").pid > prev);
		prev = query(m, "SMS_SITE_VSS_WRITER").pid;
		open_m(m);
		assert_int_equal(query(m, "SMS_EXECUTIVE").state, SVC_RUNNING);
	}
	assert_only_machine_files(m);
	buf = slurp(m->svc, &len);
	assert_non_null(strstr((char *)buf, "\n[SMS_EXECUTIVE]\n"
	    "state = running        ; running | stopped\n"));
	assert_non_null(strstr((char *)buf, "; Made up for the sim"));
	free(buf);
}

/* Every line but the state and pid lines stays as it was. */
static void
test_state_change_edits_only_its_lines(void **state)
{
	struct machine *m = *state;
	unsigned char *before, *after;
	size_t blen, alen;
	char *b, *a, *bs, *as, *bl, *al;
	int changed = 0;

	open_m(m);
	before = slurp(m->svc, &blen);
	assert_int_equal(stop(m, "SMS_SITE_VSS_WRITER", 1000), 0);
	after = slurp(m->svc, &alen);
	b = (char *)before;
	a = (char *)after;
	for (bl = strtok_r(b, "\n", &bs), al = strtok_r(a, "\n", &as);
	    bl != NULL && al != NULL;
	    bl = strtok_r(NULL, "\n", &bs), al = strtok_r(NULL, "\n", &as)) {
		if (strcmp(bl, al) != 0) {
			assert_string_equal(bl, "state = running");
			assert_string_equal(al, "state = stopped");
			changed++;
		}
	}
	assert_null(bl);
	assert_null(al);
	assert_int_equal(changed, 1);
	free(before);
	free(after);
}

static void
test_fail_stop(void **state)
{
	struct machine *m = *state;
	unsigned char *before;
	size_t blen;
	struct svc_status st;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nfail = stop\n");
	open_m(m);
	before = slurp(m->svc, &blen);
	assert_int_equal(m->b->ops->svc_stop(m->b, "S", 100, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_int_equal(m->err.sys, 1061);
	assert_non_null(strstr(m->err.msg, "fail = stop"));
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 9);
	assert_file_is(m->svc, before, blen);
	free(before);
	/* already stopped wins over the fault */
	put_text(m->svc, "[S]\nstate = stopped\nfail = stop\n");
	assert_int_equal(stop(m, "S", 100), 0);
}

static void
test_hang_stop_times_out(void **state)
{
	struct machine *m = *state;
	struct svc_status st;
	uint64_t t0, took;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nstop_ms = 0\n"
	    "fail = hang-stop\n");
	open_m(m);
	t0 = sys_monotonic_ms();
	assert_int_equal(m->b->ops->svc_stop(m->b, "S", 60, &st, &m->err),
	    -1);
	took = sys_monotonic_ms() - t0;
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_non_null(strstr(m->err.msg, "hang-stop"));
	assert_true(took >= 60);
	assert_int_equal(st.state, SVC_STOP_PENDING);
	assert_int_equal(st.pid, 9);
	open_m(m);
	st = query(m, "S");
	assert_int_equal(st.state, SVC_STOP_PENDING);
	assert_int_equal(st.pid, 9);
	/* it never stops, and cannot be started meanwhile */
	assert_int_equal(stop(m, "S", 20), -1);
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_int_equal(start(m, "S", 20), -1);
	assert_int_equal(m->err.sys, 1061);
}

/* A stop or start slower than its timeout leaves the pending state; a
 * later call with time enough completes it. */
static void
test_slow_stop_and_start_time_out(void **state)
{
	struct machine *m = *state;
	struct svc_status st;
	unsigned long pid;
	uint64_t t0;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nstop_ms = 40\n"
	    "start_ms = 40\n");
	open_m(m);
	t0 = sys_monotonic_ms();
	assert_int_equal(m->b->ops->svc_stop(m->b, "S", 10, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_true(sys_monotonic_ms() - t0 >= 10);
	assert_int_equal(st.state, SVC_STOP_PENDING);
	assert_int_equal(query(m, "S").state, SVC_STOP_PENDING);
	t0 = sys_monotonic_ms();
	assert_int_equal(stop(m, "S", 1000), 0);
	assert_true(sys_monotonic_ms() - t0 >= 40);
	assert_int_equal(query(m, "S").state, SVC_STOPPED);

	assert_int_equal(m->b->ops->svc_start(m->b, "S", 10, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_int_equal(st.state, SVC_START_PENDING);
	assert_true(st.pid > 9);
	pid = st.pid;
	/* start_pending refuses a stop, as Windows does */
	assert_int_equal(stop(m, "S", 1000), -1);
	assert_int_equal(m->err.sys, 1061);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 1000, &st, &m->err),
	    0);
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, pid);
}

static void
test_fail_start_fails_the_first_start_only(void **state)
{
	struct machine *m = *state;
	struct svc_status st;
	unsigned long pid;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nfail = start\n");
	open_m(m);
	/* running already: success, no start attempted */
	assert_int_equal(start(m, "S", 100), 0);
	assert_int_equal(stop(m, "S", 100), 0);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 100, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_SYSTEM);
	assert_int_equal(m->err.sys, 1066);
	assert_non_null(strstr(m->err.msg, "exit code 1066"));
	assert_int_equal(st.state, SVC_STOPPED);
	assert_int_equal(st.pid, 0);
	assert_int_equal(query(m, "S").state, SVC_STOPPED);
	/* the rollback's start works */
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 100, &st, &m->err),
	    0);
	assert_int_equal(st.state, SVC_RUNNING);
	assert_true(st.pid > 9);
	pid = st.pid;
	assert_int_equal(stop(m, "S", 100), 0);
	assert_int_equal(start(m, "S", 100), 0);
	assert_true(query(m, "S").pid > pid);
	/* a new handle (the next cmremedy run) fails its first start again */
	assert_int_equal(stop(m, "S", 100), 0);
	open_m(m);
	assert_int_equal(start(m, "S", 100), -1);
	assert_int_equal(m->err.sys, 1066);
	assert_int_equal(start(m, "S", 100), 0);
}

static void
test_fail_start_always(void **state)
{
	struct machine *m = *state;
	int i;

	put_text(m->svc, "[S]\nstate = stopped\npid = 9\n"
	    "fail = start-always\n");
	open_m(m);
	for (i = 0; i < 3; i++) {
		assert_int_equal(start(m, "S", 100), -1);
		assert_int_equal(m->err.sys, 1066);
		assert_non_null(strstr(m->err.msg, "start-always"));
		assert_int_equal(query(m, "S").state, SVC_STOPPED);
	}
}

/* 1 if path and keep are the same file.  An atomic replace (rename) gives
 * path a new inode; keep, a hard link made before, holds on to the old one
 * so that it cannot be reused. */
static int
same_file(const char *path, const char *keep)
{
	struct stat a, b;

	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(stat(keep, &b), 0);
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* Observing, and asking for what already is, never writes. */
static void
test_read_only_ops_change_nothing(void **state)
{
	struct machine *m = *state;
	unsigned char *reg0, *svc0, *reg1, *svc1;
	size_t rl0, sl0, rl1, sl1, n;
	struct regval v;
	char **names;
	int exists, pass;
	char rkeep[160], skeep[160];

	snprintf(rkeep, sizeof(rkeep), "%s.keep", m->reg);
	snprintf(skeep, sizeof(skeep), "%s.keep", m->svc);
	for (pass = 0; pass < 2; pass++) {
		copy_from(m, pass == 0 ? "sample" : "sample-utf8");
		reg0 = slurp(m->reg, &rl0);
		svc0 = slurp(m->svc, &sl0);
		assert_int_equal(link(m->reg, rkeep), 0);
		assert_int_equal(link(m->svc, skeep), 0);
		open_m(m);
		assert_int_equal(key_exists(m, CPC, REGVIEW_32), 1);
		read_ok(m, CPC, "ConnectionPolicy", REGVIEW_64, &v);
		regval_free(&v);
		assert_int_equal(m->b->ops->read_value(m->b, CPC, "Nope",
		    REGVIEW_64, &exists, &v, &m->err), 0);
		assert_int_equal(m->b->ops->delete_value(m->b, CPC, "Nope",
		    REGVIEW_64, &m->err), 0);
		assert_int_equal(m->b->ops->delete_key(m->b, SMS "\\Nope",
		    REGVIEW_32, &m->err), 0);
		query(m, "SMS_EXECUTIVE");
		assert_int_equal(m->b->ops->svc_dependents(m->b,
		    "SMS_EXECUTIVE", &names, &n, &m->err), 0);
		backend_free_names(names, n);
		assert_int_equal(start(m, "SMS_EXECUTIVE", 10), 0);
		assert_int_equal(stop(m, "SMS_SITE_BACKUP", 10), 0);
		assert_int_equal(stop(m, "SMS_EXECUTIVE", 10), -1);
		assert_int_equal(start(m, "Nope", 10), -1);
		backend_close(m->b);
		m->b = NULL;
		assert_true(same_file(m->reg, rkeep));  /* not even rewritten */
		assert_true(same_file(m->svc, skeep));
		assert_int_equal(unlink(rkeep), 0);
		assert_int_equal(unlink(skeep), 0);
		reg1 = slurp(m->reg, &rl1);
		svc1 = slurp(m->svc, &sl1);
		assert_int_equal(rl1, rl0);
		assert_memory_equal(reg1, reg0, rl0);
		assert_int_equal(sl1, sl0);
		assert_memory_equal(svc1, svc0, sl0);
		free(reg0);
		free(svc0);
		free(reg1);
		free(svc1);
	}
}

/* sample/registry.reg is sample-utf8/registry.reg as reg export would
 * write it: BOM, UTF-16LE, CRLF (see tests/data/sim/sample/README.md). */
static void
test_sample_utf16_is_the_utf8_source(void **state)
{
	unsigned char *u8, *u16, *want;
	size_t n8, n16, nw, i, j;
	char *crlf;

	(void)state;
	u8 = slurp(TEST_DATA "/sim/sample-utf8/registry.reg", &n8);
	u16 = slurp(TEST_DATA "/sim/sample/registry.reg", &n16);
	assert_null(memchr(u8, '\r', n8));
	crlf = malloc(2 * n8 + 1);
	assert_non_null(crlf);
	for (i = j = 0; i < n8; i++) {
		if (u8[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = (char)u8[i];
	}
	assert_int_equal(utf8_to_utf16le(crlf, j, &want, &nw), 0);
	assert_int_equal(n16, nw + 2);
	assert_memory_equal(u16, "\xFF\xFE", 2);
	assert_memory_equal(u16 + 2, want, nw);
	free(u8);
	free(u16);
	free(crlf);
	free(want);
}

/* The simsvc layer on its own: the error of a bad path. */
static void
test_simsvc_open_missing(void **state)
{
	struct simsvc *s = (struct simsvc *)1;
	struct cm_err err;

	(void)state;
	assert_int_equal(simsvc_open("/nonexistent/services.ini", &s, &err),
	    -1);
	assert_null(s);
	assert_int_equal(err.kind, CM_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "/nonexistent/services.ini"));
	simsvc_close(NULL);
	backend_close(NULL);
}

/* A transition that takes exactly its timeout completes; one millisecond
 * more times out. */
static void
test_transition_taking_exactly_its_timeout(void **state)
{
	struct machine *m = *state;
	struct svc_status st;
	uint64_t t0;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nstop_ms = 30\n"
	    "start_ms = 30\n");
	open_m(m);
	t0 = sys_monotonic_ms();
	assert_int_equal(m->b->ops->svc_stop(m->b, "S", 30, &st, &m->err), 0);
	assert_true(sys_monotonic_ms() - t0 >= 30);
	assert_int_equal(st.state, SVC_STOPPED);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 30, &st, &m->err),
	    0);
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 10);
	assert_int_equal(m->b->ops->svc_stop(m->b, "S", 29, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_non_null(strstr(m->err.msg, "S did not stop within 29 ms: it "
	    "is still stop_pending"));
	assert_int_equal(st.state, SVC_STOP_PENDING);
	assert_int_equal(stop(m, "S", 30), 0);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 29, &st, &m->err),
	    -1);
	assert_non_null(strstr(m->err.msg, "S did not start within 29 ms"));
	assert_int_equal(st.state, SVC_START_PENDING);
	/* The SCM finishes the start at its deadline, whether or not
	 * anyone still waits (issue 8). */
	sys_sleep_ms(10);
	assert_int_equal(query(m, "S").state, SVC_RUNNING);
}

/* The last pid there is (4294967295) can still be given out; after it a
 * start is refused, and the file stays as it was. */
static void
test_start_at_the_largest_pid(void **state)
{
	struct machine *m = *state;
	unsigned char *before;
	size_t blen;
	struct svc_status st;

	put_text(m->svc, "[S]\nstate = stopped\npid = 4294967294\n"
	    "[T]\nstate = stopped\npid = 7\n");
	open_m(m);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 100, &st, &m->err),
	    0);
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 4294967295ul);
	before = slurp(m->svc, &blen);
	assert_non_null(strstr((char *)before, "pid = 4294967295\n"));
	assert_int_equal(m->b->ops->svc_start(m->b, "T", 100, &st, &m->err),
	    -1);
	assert_non_null(strstr(m->err.msg, "cannot start T: no pid above "
	    "4294967295"));
	assert_int_equal(query(m, "T").state, SVC_STOPPED);
	assert_file_is(m->svc, before, blen);
	free(before);
	/* One above the largest is not a pid. */
	put_text(m->svc, "[S]\nstate = running\npid = 4294967296\n");
	backend_close(m->b);
	assert_int_equal(backend_sim_open(m->dir, &m->b, &m->err), -1);
	assert_non_null(strstr(m->err.msg, "services.ini:3: [S]: pid "
	    "'4294967296' is not a number"));
	m->b = NULL;
}

/* Dependents that are start- or stop-pending are active: they are named
 * for stopping first, and a stop of the service they need is refused. */
static void
test_pending_dependents_are_active(void **state)
{
	struct machine *m = *state;
	char **names;
	size_t n;

	put_text(m->svc, "[A]\nstate = running\npid = 5\n"
	    "[B]\nstate = start_pending\npid = 6\ndepends_on = A\n"
	    "[C]\nstate = stop_pending\npid = 7\ndepends_on = A\n"
	    "[D]\nstate = stopped\ndepends_on = A\n");
	open_m(m);
	assert_int_equal(m->b->ops->svc_dependents(m->b, "A", &names, &n,
	    &m->err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "B");
	assert_string_equal(names[1], "C");
	backend_free_names(names, n);
	assert_int_equal(stop(m, "A", 100), -1);
	assert_int_equal(m->err.sys, 1051);
	assert_non_null(strstr(m->err.msg, "depend on it: B (start_pending), "
	    "C (stop_pending); stop them first"));
	assert_int_equal(query(m, "A").state, SVC_RUNNING);
	/* The stopped dependent alone does not hold the stop up. */
	put_text(m->svc, "[A]\nstate = running\npid = 5\n"
	    "[D]\nstate = stopped\ndepends_on = A\n");
	assert_int_equal(stop(m, "A", 100), 0);
	assert_int_equal(query(m, "A").state, SVC_STOPPED);
}

/* A key line the file did not have (the pid of a service first started)
 * ends like the file's other lines, also as the new last line. */
static void
test_inserted_line_ends_like_the_file(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;

	put_text(m->svc, "[A]\r\nstate = running\r\npid = 4\r\n"
	    "[S]\r\nstate = stopped\r\n");
	open_m(m);
	assert_int_equal(start(m, "S", 100), 0);
	buf = slurp(m->svc, &len);
	assert_int_equal(len, strlen("[A]\r\nstate = running\r\npid = 4\r\n"
	    "[S]\r\nstate = running\r\npid = 5\r\n"));
	assert_memory_equal(buf, "[A]\r\nstate = running\r\npid = 4\r\n"
	    "[S]\r\nstate = running\r\npid = 5\r\n", len);
	free(buf);
	put_text(m->svc, "[S]\nstate = stopped\n[T]\nstate = stopped\n");
	assert_int_equal(start(m, "S", 100), 0);
	buf = slurp(m->svc, &len);
	assert_int_equal(len, strlen("[S]\nstate = running\npid = 1\n"
	    "[T]\nstate = stopped\n"));
	assert_memory_equal(buf, "[S]\nstate = running\npid = 1\n"
	    "[T]\nstate = stopped\n", len);
	free(buf);
}

/* A start that fails still used its pid up: the file says so, and the
 * next start gets a larger one. */
static void
test_failed_start_uses_its_pid_up(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;
	struct svc_status st;

	put_text(m->svc, "[S]\nstate = stopped\npid = 9\nfail = start\n");
	open_m(m);
	assert_int_equal(start(m, "S", 100), -1);
	assert_int_equal(m->err.sys, 1066);
	buf = slurp(m->svc, &len);
	assert_string_equal((char *)buf, "[S]\nstate = stopped\npid = 10\n"
	    "fail = start\n");
	free(buf);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 100, &st, &m->err),
	    0);
	assert_int_equal(st.pid, 11);
}

/* Inserted lines end like the file's first line. */
static void
test_inserted_line_ends_like_the_first(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;

	put_text(m->svc, "[S]\r\nstate = stopped\n");
	open_m(m);
	assert_int_equal(start(m, "S", 100), 0);
	buf = slurp(m->svc, &len);
	assert_string_equal((char *)buf, "[S]\r\nstate = running\n"
	    "pid = 1\r\n");
	free(buf);
}

/* A circular dependency is refused also when a service after it has
 * none. */
static void
test_cycle_before_an_independent_service(void **state)
{
	struct machine *m = *state;

	put_text(m->svc, "[A]\nstate = running\npid = 1\ndepends_on = B\n"
	    "[B]\nstate = running\npid = 2\ndepends_on = A\n"
	    "[C]\nstate = running\npid = 3\n");
	backend_close(m->b);
	assert_int_equal(backend_sim_open(m->dir, &m->b, &m->err), -1);
	m->b = NULL;
	assert_non_null(strstr(m->err.msg, "circular dependency"));
}

/* The services file cannot be written back (no byte may be written: a
 * file size limit of 0, which binds root too, unlike permissions; the
 * temporary file's name is random, so nothing can be put in its way): the
 * stop fails, naming the file, and the state stays as it was. */
static void
test_unwritable_services_file(void **state)
{
	struct machine *m = *state;
	struct svc_status st;
	struct rlimit old, none;
	void (*was)(int);
	int rc;

	put_text(m->svc, "[S]\nstate = running\npid = 9\n");
	open_m(m);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	none = old;
	none.rlim_cur = 0;
	was = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &none), 0);
	rc = m->b->ops->svc_stop(m->b, "S", 100, &st, &m->err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(m->err.msg, "services.ini"));
	assert_int_equal(query(m, "S").state, SVC_RUNNING);
}

/* A UTF-8 byte order mark right before the first section is not part of
 * its header (Notepad writes one). */
static void
test_bom_before_the_first_section(void **state)
{
	struct machine *m = *state;
	struct svc_status st;

	put_text(m->svc, "\xEF\xBB\xBF[A]\nstate = running\npid = 5\n"
	    "[B]\nstate = stopped\n");
	open_m(m);
	st = query(m, "A");
	assert_int_equal(st.state, SVC_RUNNING);
	assert_int_equal(st.pid, 5);
	assert_int_equal(query(m, "B").state, SVC_STOPPED);
}

/* stop_ms is the stop's time and start_ms the start's, each its own. */
static void
test_stop_and_start_take_their_own_time(void **state)
{
	struct machine *m = *state;
	struct svc_status st;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nstop_ms = 0\n"
	    "start_ms = 3600000\n"
	    "[T]\nstate = running\npid = 11\nstop_ms = 3600000\n"
	    "start_ms = 0\n");
	open_m(m);
	assert_int_equal(m->b->ops->svc_stop(m->b, "S", 20, &st, &m->err), 0);
	assert_int_equal(st.state, SVC_STOPPED);
	assert_int_equal(m->b->ops->svc_start(m->b, "S", 20, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_int_equal(st.state, SVC_START_PENDING);
	assert_int_equal(m->b->ops->svc_stop(m->b, "T", 20, &st, &m->err),
	    -1);
	assert_int_equal(m->err.kind, CM_ERR_TIMEOUT);
	assert_int_equal(st.state, SVC_STOP_PENDING);
}

/* A pending service whose deadline passed has arrived: the next write of
 * the file (here another service's start) records its new state and
 * drops its deadline.  Eight services fill the first allocation of the
 * table exactly: the line renumbering stays inside it. */
static void
test_overdue_transition_is_written_without_deadline(void **state)
{
	struct machine *m = *state;
	unsigned char *buf;
	size_t len;

	put_text(m->svc, "[S]\nstate = running\npid = 9\nstop_ms = 30\n"
	    "[T]\nstate = stopped\n[U]\nstate = stopped\n"
	    "[V]\nstate = stopped\n[W]\nstate = stopped\n"
	    "[X]\nstate = stopped\n[Y]\nstate = stopped\n"
	    "[Z]\nstate = stopped\n");
	open_m(m);
	assert_int_equal(stop(m, "S", 5), -1);
	buf = slurp(m->svc, &len);
	assert_non_null(strstr((char *)buf, "deadline = "));
	free(buf);
	sys_sleep_ms(40);
	assert_int_equal(start(m, "T", 1000), 0);
	buf = slurp(m->svc, &len);
	assert_null(strstr((char *)buf, "deadline"));
	assert_non_null(strstr((char *)buf, "[S]\nstate = stopped\n"));
	free(buf);
	assert_int_equal(query(m, "S").state, SVC_STOPPED);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reads_every_type_utf8),
		T(test_reads_every_type_utf16),
		T(test_missing_is_observed_as_absent),
		T(test_write_every_type_utf8),
		T(test_write_every_type_utf16),
		T(test_write_keeps_the_rest),
		T(test_delete_value),
		T(test_delete_key),
		T(test_view32_maps_software_to_wow6432node),
		T(test_missing_and_malformed_registry),
		T(test_undecodable_value_and_bad_key),
		T(test_bad_services_ini),
		T(test_too_many_services),
		T(test_services_ini_forms),
		T(test_rewrite_keeps_layout),
		T(test_rewrite_past_inih_line_limit),
		T(test_query),
		T(test_dependents_in_stop_order),
		T(test_restart_with_dependents),
		T(test_restart_gives_larger_pid_and_persists),
		T(test_state_change_edits_only_its_lines),
		T(test_fail_stop),
		T(test_hang_stop_times_out),
		T(test_slow_stop_and_start_time_out),
		T(test_fail_start_fails_the_first_start_only),
		T(test_fail_start_always),
		T(test_read_only_ops_change_nothing),
		T(test_transition_taking_exactly_its_timeout),
		T(test_start_at_the_largest_pid),
		T(test_pending_dependents_are_active),
		T(test_inserted_line_ends_like_the_file),
		T(test_failed_start_uses_its_pid_up),
		T(test_inserted_line_ends_like_the_first),
		T(test_cycle_before_an_independent_service),
		T(test_unwritable_services_file),
		T(test_bom_before_the_first_section),
		T(test_stop_and_start_take_their_own_time),
		T(test_overdue_transition_is_written_without_deadline),
		cmocka_unit_test(test_sample_utf16_is_the_utf8_source),
		cmocka_unit_test(test_simsvc_open_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
