// SPDX-License-Identifier: ISC
/* utf.c - strict UTF-8 <-> UTF-16 conversion. */
#include "utf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s (n bytes left).  Returns its length and
 * sets *cp, or 0 if the sequence is invalid (overlong, surrogate, > U+10FFFF,
 * truncated). */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < len) {
		if ((k = utf8_decode(p + i, len - i, &cp)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

char *
utf8_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	uint32_t cp;
	char *d;

	/* U+FFFD is 3 bytes: the most one input byte can grow to. */
	if (n > (SIZE_MAX - 1) / 3 || (d = malloc(n * 3 + 1)) == NULL)
		return NULL;
	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0 || cp == 0) {
			memcpy(d + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(d + o, s + i, k);
		o += k;
		i += k;
	}
	d[o] = '\0';
	return d;
}

int
utf8_to_utf16(const char *s, size_t len, uint16_t **out, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	uint16_t *w;
	size_t i = 0, n = 0, k;
	uint32_t cp;

	*out = NULL;
	*outlen = 0;
	/* At most one code unit per byte, plus the terminator. */
	if ((w = malloc((len + 1) * sizeof(*w))) == NULL)
		return -1;
	while (i < len) {
		if ((k = utf8_decode(p + i, len - i, &cp)) == 0) {
			free(w);
			return -1;
		}
		i += k;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			w[n++] = (uint16_t)(0xD800 | (cp >> 10));
			w[n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
		} else
			w[n++] = (uint16_t)cp;
	}
	w[n] = 0;
	*out = w;
	*outlen = n;
	return 0;
}

/* Shared by the host-order and little-endian readers. */
static int
utf16_convert(const void *src, size_t n, int le_bytes, char **out,
    size_t *outlen)
{
	const uint16_t *w = src;
	const unsigned char *b = src;
	char *o;
	size_t i, j = 0;
	uint32_t c, c2;

	*out = NULL;
	*outlen = 0;
	/* At most three bytes per code unit (a pair makes four from two). */
	if ((o = malloc(n * 3 + 1)) == NULL)
		return -1;
#define UNIT(k) (le_bytes ? (uint32_t)(b[2 * (k)] | (b[2 * (k) + 1] << 8)) \
			  : (uint32_t)w[k])
	for (i = 0; i < n; i++) {
		c = UNIT(i);
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 1 >= n)
				goto bad;
			c2 = UNIT(i + 1);
			if (c2 < 0xDC00 || c2 > 0xDFFF)
				goto bad;
			c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
			i++;
		} else if (c >= 0xDC00 && c <= 0xDFFF)
			goto bad;
		if (c < 0x80)
			o[j++] = (char)c;
		else if (c < 0x800) {
			o[j++] = (char)(0xC0 | (c >> 6));
			o[j++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			o[j++] = (char)(0xE0 | (c >> 12));
			o[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
			o[j++] = (char)(0x80 | (c & 0x3F));
		} else {
			o[j++] = (char)(0xF0 | (c >> 18));
			o[j++] = (char)(0x80 | ((c >> 12) & 0x3F));
			o[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
			o[j++] = (char)(0x80 | (c & 0x3F));
		}
	}
#undef UNIT
	o[j] = '\0';
	*out = o;
	*outlen = j;
	return 0;
bad:
	free(o);
	return -1;
}

int
utf16_to_utf8(const uint16_t *s, size_t n, char **out, size_t *outlen)
{
	return utf16_convert(s, n, 0, out, outlen);
}

int
utf16le_to_utf8(const unsigned char *b, size_t nbytes, char **out,
    size_t *outlen)
{
	if (nbytes % 2 != 0) {
		*out = NULL;
		*outlen = 0;
		return -1;
	}
	return utf16_convert(b, nbytes / 2, 1, out, outlen);
}

int
utf8_to_utf16le(const char *s, size_t len, unsigned char **out,
    size_t *nbytes)
{
	uint16_t *w;
	unsigned char *b;
	size_t n, i;

	*out = NULL;
	*nbytes = 0;
	if (utf8_to_utf16(s, len, &w, &n) != 0)
		return -1;
	if ((b = malloc(n * 2 + 1)) == NULL) {
		free(w);
		return -1;
	}
	for (i = 0; i < n; i++) {
		b[2 * i] = (unsigned char)(w[i] & 0xFF);
		b[2 * i + 1] = (unsigned char)(w[i] >> 8);
	}
	free(w);
	*out = b;
	*nbytes = n * 2;
	return 0;
}
