// SPDX-License-Identifier: ISC
/* regval.c - registry values: names, parsing of profile text, comparison,
 * rendering. */
#include "regval.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/utf.h"

static const struct {
	uint32_t type;
	const char *name;
	int profile;          /* allowed in profiles */
} types[] = {
	{ REGT_NONE, "REG_NONE", 0 },
	{ REGT_SZ, "REG_SZ", 1 },
	{ REGT_EXPAND_SZ, "REG_EXPAND_SZ", 1 },
	{ REGT_BINARY, "REG_BINARY", 1 },
	{ REGT_DWORD, "REG_DWORD", 1 },
	{ REGT_DWORD_BE, "REG_DWORD_BIG_ENDIAN", 0 },
	{ REGT_LINK, "REG_LINK", 0 },
	{ REGT_MULTI_SZ, "REG_MULTI_SZ", 1 },
	{ REGT_QWORD, "REG_QWORD", 1 },
};

const char *
regtype_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	return NULL;
}

int
regtype_parse(const char *name, uint32_t *type)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].profile && strcmp(types[i].name, name) == 0) {
			*type = types[i].type;
			return 0;
		}
	return -1;
}

static int
is_number_type(uint32_t t)
{
	return t == REGT_DWORD || t == REGT_QWORD;
}

static int
is_string_type(uint32_t t)
{
	return t == REGT_SZ || t == REGT_EXPAND_SZ;
}

void
regval_free(struct regval *v)
{
	if (v == NULL)
		return;
	free(v->data);
	memset(v, 0, sizeof(*v));
}

int
regval_copy(struct regval *dst, const struct regval *src)
{
	*dst = *src;
	dst->data = NULL;
	if (src->len == 0)
		return 0;
	if ((dst->data = malloc(src->len)) == NULL) {
		memset(dst, 0, sizeof(*dst));
		return -1;
	}
	memcpy(dst->data, src->data, src->len);
	return 0;
}

int
regval_equal(const struct regval *a, const struct regval *b)
{
	if (a->type != b->type)
		return 0;
	if (is_number_type(a->type))
		return a->num == b->num;
	return a->len == b->len &&
	    (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

int
regval_set_number(struct regval *out, uint32_t type, uint64_t num)
{
	memset(out, 0, sizeof(*out));
	if (!is_number_type(type) || (type == REGT_DWORD && num > 0xFFFFFFFFu))
		return -1;
	out->type = type;
	out->num = num;
	return 0;
}

int
regval_set_string(struct regval *out, uint32_t type, const char *s)
{
	size_t n = strlen(s);

	memset(out, 0, sizeof(*out));
	if (!is_string_type(type) || !utf8_valid(s, n))
		return -1;
	if ((out->data = malloc(n + 1)) == NULL)
		return -1;
	memcpy(out->data, s, n + 1);
	out->type = type;
	out->len = n + 1;
	return 0;
}

int
regval_set_multi(struct regval *out, const char *const *items, size_t n)
{
	size_t i, total = 1, off = 0, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		k = strlen(items[i]);
		if (k == 0 || !utf8_valid(items[i], k))
			return -1;
		total += k + 1;
	}
	if ((out->data = malloc(total)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		k = strlen(items[i]) + 1;
		memcpy(out->data + off, items[i], k);
		off += k;
	}
	out->data[off] = '\0';
	out->type = REGT_MULTI_SZ;
	out->len = total;
	return 0;
}

int
regval_set_multi_data(struct regval *out, const char *s, size_t n,
    struct cm_err *err)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	while (n > 0 && s[n - 1] == '\0')
		n--;
	/* What is left separates the strings: a NUL first or after another
	 * stands for an empty string, which the model cannot hold. */
	for (i = 0; i < n; i++)
		if (s[i] == '\0' && (i == 0 || s[i - 1] == '\0'))
			return cm_err_set(err, CM_ERR_INPUT, 0,
			    "REG_MULTI_SZ has an empty string");
	if (!utf8_valid(s, n))
		return cm_err_set(err, CM_ERR_INPUT, 0,
		    "REG_MULTI_SZ text is not UTF-8");
	/* The model's packing: "a\0b\0\0", or "\0" when empty. */
	if ((out->data = malloc(n + 2)) == NULL)
		return cm_err_nomem(err);
	if (n > 0)
		memcpy(out->data, s, n);
	out->data[n] = '\0';
	out->data[n + 1] = '\0';
	out->type = REGT_MULTI_SZ;
	out->len = n > 0 ? n + 2 : 1;
	return 0;
}

int
regval_set_bytes(struct regval *out, uint32_t type,
    const unsigned char *bytes, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (is_number_type(type) || is_string_type(type) ||
	    type == REGT_MULTI_SZ)
		return -1;
	if (len > 0) {
		if ((out->data = malloc(len)) == NULL)
			return -1;
		memcpy(out->data, bytes, len);
	}
	out->type = type;
	out->len = len;
	return 0;
}

size_t
regval_multi_count(const struct regval *v)
{
	const char *p;
	size_t n = 0;

	for (p = regval_multi_first(v); p != NULL; p = regval_multi_next(v, p))
		n++;
	return n;
}

const char *
regval_multi_first(const struct regval *v)
{
	if (v->type != REGT_MULTI_SZ || v->len < 2 || v->data[0] == '\0')
		return NULL;
	return (const char *)v->data;
}

const char *
regval_multi_next(const struct regval *v, const char *p)
{
	const char *end = (const char *)v->data + v->len;

	p += strlen(p) + 1;
	if (p >= end || *p == '\0')
		return NULL;
	return p;
}

/* A reason the text does not fit its type (CM_ERR_INPUT).  Returns -1. */
static int
bad(struct cm_err *err, const char *fmt, ...) CM_PRINTFLIKE(2, 3);

static int
bad(struct cm_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cm_err_vset(err, CM_ERR_INPUT, 0, fmt, ap);
	va_end(ap);
	return -1;
}

/* Parses an unsigned decimal or 0x-hex number no larger than max. */
static int
parse_uint(const char *s, uint64_t max, uint64_t *out, struct cm_err *err)
{
	uint64_t v = 0, base = 10, d;
	const char *p = s;
	int h;

	if (*p == '\0')
		return bad(err, "empty number");
	if (*p == '-' || *p == '+')
		return bad(err, "'%s': no sign allowed (0 .. 0x%" PRIX64 ")",
		    s, max);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (*p == '\0')
			return bad(err, "'%s': no hex digits after 0x", s);
	}
	for (; *p != '\0'; p++) {
		if ((h = text_hexval((unsigned char)*p)) < 0 ||
		    (uint64_t)h >= base)
			return bad(err, "'%s': not a %s number", s,
			    base == 16 ? "hex" : "decimal");
		d = (uint64_t)h;
		if (v > (max - d) / base)
			return bad(err, "'%s' is above 0x%" PRIX64, s, max);
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* MULTI_SZ profile text: elements split at the two characters \0, \\ is a
 * backslash; any other backslash is literal (paths stay readable). */
static int
parse_multi(struct regval *out, const char *text, struct cm_err *err)
{
	size_t n = strlen(text), i, j = 0;
	unsigned char *b;

	memset(out, 0, sizeof(*out));
	out->type = REGT_MULTI_SZ;
	if ((b = malloc(n + 2)) == NULL)
		return cm_err_nomem(err);
	for (i = 0; i < n; i++) {
		if (text[i] == '\\' && text[i + 1] == '0') {
			if (j == 0 || b[j - 1] == '\0')
				goto empty;
			b[j++] = '\0';
			i++;
		} else if (text[i] == '\\' && text[i + 1] == '\\') {
			b[j++] = '\\';
			i++;
		} else if (text[i] == '\\' && text[i + 1] == '\0') {
			/* "a\0b\" is most likely a cut-off "\0": say so
			 * rather than store a string that ends in "\". */
			free(b);
			return bad(err, "REG_MULTI_SZ data ends in a lone "
			    "backslash: write \\\\ for a backslash, \\0 "
			    "between strings");
		} else
			b[j++] = (unsigned char)text[i];
	}
	if (j > 0) {
		if (b[j - 1] == '\0')
			goto empty;
		b[j++] = '\0';
	}
	b[j++] = '\0';
	out->data = b;
	out->len = j;
	return 0;
empty:
	free(b);
	return bad(err, "empty string in REG_MULTI_SZ list (a \\0 at the "
	    "start, end, or twice in a row)");
}

static int
parse_binary(struct regval *out, const char *text, struct cm_err *err)
{
	size_t n = strlen(text), j = 0, i = 0;
	unsigned char *b;
	int hi, lo;

	memset(out, 0, sizeof(*out));
	out->type = REGT_BINARY;
	if ((b = malloc(n / 2 + 1)) == NULL)
		return cm_err_nomem(err);
	while (i < n) {
		if (text[i] == ',' || text[i] == ' ' || text[i] == '\t') {
			i++;
			continue;
		}
		if ((hi = text_hexval((unsigned char)text[i])) < 0 ||
		    i + 1 >= n ||
		    (lo = text_hexval((unsigned char)text[i + 1])) < 0) {
			free(b);
			return bad(err, "not hex byte pairs at column %zu "
			    "(write e.g. 01,ab,ff or 01abff)", i + 1);
		}
		b[j++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	if (j == 0) {
		free(b);
		b = NULL;
	}
	out->data = b;
	out->len = j;
	return 0;
}

int
regval_parse(struct regval *out, uint32_t type, const char *text,
    struct cm_err *err)
{
	uint64_t num = 0;

	memset(out, 0, sizeof(*out));
	switch (type) {
	case REGT_DWORD:
	case REGT_QWORD:
		if (parse_uint(text, type == REGT_DWORD ? 0xFFFFFFFFu :
		    UINT64_MAX, &num, err) != 0)
			return -1;
		return regval_set_number(out, type, num);
	case REGT_SZ:
	case REGT_EXPAND_SZ:
		if (!utf8_valid(text, strlen(text)))
			return bad(err, "not valid UTF-8");
		if (regval_set_string(out, type, text) != 0)
			return cm_err_nomem(err);
		return 0;
	case REGT_MULTI_SZ:
		if (!utf8_valid(text, strlen(text)))
			return bad(err, "not valid UTF-8");
		return parse_multi(out, text, err);
	case REGT_BINARY:
		return parse_binary(out, text, err);
	default:
		return bad(err, "type %u cannot be given in a profile",
		    (unsigned)type);
	}
}

char *
regval_hex(const unsigned char *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s;
	size_t i;

	if ((s = malloc(len * 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[bytes[i] >> 4];
		s[2 * i + 1] = digits[bytes[i] & 0xF];
	}
	s[len * 2] = '\0';
	return s;
}

/* A string in double quotes, with " and \ and control characters escaped so
 * that the rendering stays on one line. */
static void
sb_quoted(struct strbuf *b, const char *s)
{
	char esc[8];

	strbuf_put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = *s;
			strbuf_put(b, esc, 2);
		} else if ((unsigned char)*s < 0x20) {
			snprintf(esc, sizeof(esc), "\\x%02x",
			    (unsigned char)*s);
			strbuf_puts(b, esc);
		} else
			strbuf_put(b, s, 1);
	}
	strbuf_put(b, "\"", 1);
}

char *
regval_format(const struct regval *v)
{
	struct strbuf b = { NULL, 0, 0, 0 };
	char num[64], *hex;
	const char *p;

	strbuf_put(&b, "", 0);
	switch (v->type) {
	case REGT_DWORD:
		snprintf(num, sizeof(num), "%" PRIu64 " (0x%08" PRIx64 ")",
		    v->num, v->num);
		strbuf_puts(&b, num);
		break;
	case REGT_QWORD:
		snprintf(num, sizeof(num), "%" PRIu64 " (0x%016" PRIx64 ")",
		    v->num, v->num);
		strbuf_puts(&b, num);
		break;
	case REGT_SZ:
	case REGT_EXPAND_SZ:
		sb_quoted(&b, v->len ? (const char *)v->data : "");
		break;
	case REGT_MULTI_SZ:
		strbuf_put(&b, "[", 1);
		for (p = regval_multi_first(v); p != NULL;
		    p = regval_multi_next(v, p)) {
			if (p != (const char *)v->data)
				strbuf_put(&b, ", ", 2);
			sb_quoted(&b, p);
		}
		strbuf_put(&b, "]", 1);
		break;
	default:
		if ((hex = regval_hex(v->data, v->len)) == NULL) {
			b.failed = 1;
			break;
		}
		strbuf_puts(&b, "hex \"");
		strbuf_puts(&b, hex);
		strbuf_puts(&b, "\"");
		free(hex);
		break;
	}
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
