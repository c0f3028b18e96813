// SPDX-License-Identifier: ISC
/* diag_reader.c - buffered line reading with memchr, bounded memory. */
#include "diag_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
init(struct diag_reader *r, size_t cap)
{
	r->cap = cap < 16 ? 16 : cap;
	r->start = r->end = 0;
	r->eof = r->err = r->skipping = r->truncated = r->unterminated = 0;
	r->lineno = 0;
	r->utf16 = 0;
	r->raw = NULL;
	r->rawlen = 0;
	r->raweof = 0;
	r->slack = 1;
	r->buf = malloc(r->cap);
	return r->buf == NULL ? -1 : 0;
}

int
diag_reader_init_fd(struct diag_reader *r, int fd, size_t cap)
{
	r->fd = fd;
	r->mem = NULL;
	r->memlen = r->mempos = 0;
	return init(r, cap);
}

int
diag_reader_init_mem(struct diag_reader *r, const unsigned char *mem,
    size_t len, size_t cap)
{
	r->fd = -1;
	r->mem = mem;
	r->memlen = len;
	r->mempos = 0;
	return init(r, cap);
}

void
diag_reader_free(struct diag_reader *r)
{
	free(r->buf);
	free(r->raw);
	r->buf = NULL;
	r->raw = NULL;
}

/* Reads once from the input into dst[0, room); returns the bytes read,
 * 0 at the end, -1 on a read error (r->err).  Memory input is copied in
 * the same chunks so that tests with a small cap exercise the same
 * boundaries as files do. */
static ssize_t
source(struct diag_reader *r, void *dst, size_t room)
{
	ssize_t got;

	if (r->fd < 0) {
		got = (ssize_t)(r->memlen - r->mempos < room ?
		    r->memlen - r->mempos : room);
		memcpy(dst, r->mem + r->mempos, (size_t)got);
		r->mempos += (size_t)got;
		return got;
	}
	do
		got = read(r->fd, dst, room);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		r->err = errno;
	return got;
}

/* Writes code point c as UTF-8 at d; returns its length. */
static size_t
put_utf8(char *d, unsigned long c)
{
	if (c < 0x80) {
		d[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		d[0] = (char)(0xC0 | (c >> 6));
		d[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		d[0] = (char)(0xE0 | (c >> 12));
		d[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		d[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | (c >> 18));
	d[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	d[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	d[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The UTF-16 unit at raw + i. */
static unsigned
unit(const struct diag_reader *r, size_t i)
{
	return r->utf16 == 2 ? (unsigned)r->raw[i] << 8 | r->raw[i + 1] :
	    (unsigned)r->raw[i + 1] << 8 | r->raw[i];
}

/* Converts what is in raw into the free space of buf, as far as whole
 * characters fit (at most 4 bytes each: slack). */
static void
convert(struct diag_reader *r)
{
	unsigned long c;
	unsigned u, u2;
	size_t i = 0, step;

	while (r->cap - r->end >= 4) {
		if (r->rawlen - i < 2) {
			if (r->rawlen - i == 1 && r->raweof) {
				c = 0xFFFD;          /* an odd last byte */
				step = 1;
			} else {
				break;
			}
		} else if ((u = unit(r, i)) >= 0xD800 && u <= 0xDBFF) {
			if (r->rawlen - i < 4 && !r->raweof)
				break;               /* its pair is to come */
			u2 = r->rawlen - i >= 4 ? unit(r, i + 2) : 0;
			if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
				c = 0x10000 + ((unsigned long)(u - 0xD800) <<
				    10) + (u2 - 0xDC00);
				step = 4;
			} else {
				c = 0xFFFD;
				step = 2;
			}
		} else {
			c = u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u;
			step = 2;
		}
		r->end += put_utf8(r->buf + r->end, c);
		i += step;
	}
	memmove(r->raw, r->raw + i, r->rawlen - i);
	r->rawlen -= i;
}

/* Moves the unread data to the front and reads once into the free space
 * (through raw and convert() for UTF-16).  Returns 0, or -1 on a read
 * error; no progress without r->eof means the buffer is full. */
static int
refill(struct diag_reader *r)
{
	ssize_t got;
	size_t room;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	room = r->cap - r->end;
	if (room < r->slack || r->eof)
		return 0;
	if (r->utf16) {
		if (!r->raweof && r->rawlen < r->cap) {
			got = source(r, r->raw + r->rawlen, r->cap - r->rawlen);
			if (got < 0) {
				r->eof = 1;
				return -1;
			}
			r->raweof = got == 0;
			r->rawlen += (size_t)got;
		}
		convert(r);
		r->eof = r->raweof && r->rawlen == 0;
		return 0;
	}
	if ((got = source(r, r->buf + r->end, room)) < 0) {
		r->eof = 1;
		return -1;
	}
	if (got == 0)
		r->eof = 1;
	r->end += (size_t)got;
	return 0;
}

int
diag_reader_utf16(struct diag_reader *r, int big_endian, size_t skip)
{
	size_t n = r->end - r->start;

	if (skip > n)
		skip = n;
	if ((r->raw = malloc(r->cap)) == NULL)
		return -1;
	memcpy(r->raw, r->buf + r->start + skip, n - skip);
	r->rawlen = n - skip;
	r->raweof = r->eof;
	r->eof = 0;
	r->start = r->end = 0;
	r->utf16 = big_endian ? 2 : 1;
	r->slack = 4;
	return 0;
}

const char *
diag_reader_peek(struct diag_reader *r, size_t want, size_t *len)
{
	size_t had;

	if (want > r->cap)
		want = r->cap;
	while (r->end - r->start < want && !r->eof) {
		had = r->end - r->start;
		if (refill(r) < 0)
			return NULL;
		if (r->end - r->start == had && !r->eof)
			break;               /* full: UTF-16 needs its slack */
	}
	*len = r->end - r->start;
	return r->buf + r->start;
}

int
diag_reader_line(struct diag_reader *r, const char **line, size_t *len)
{
	char *nl;
	size_t n;

	r->truncated = r->unterminated = 0;
	for (;;) {
		n = r->end - r->start;
		nl = n ? memchr(r->buf + r->start, '\n', n) : NULL;
		if (r->skipping) {
			/* The rest of a line already returned cut. */
			r->start = nl ? (size_t)(nl - r->buf) + 1 : r->end;
			r->skipping = nl == NULL;
			if (nl != NULL)
				continue;
		} else if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			r->start += *len + 1;
			break;
		} else if (r->eof) {
			if (n == 0)
				return r->err ? -1 : 0;
			*line = r->buf + r->start;
			*len = n;
			r->start = r->end;
			r->unterminated = 1;
			break;
		} else if (r->start == 0 && r->cap - r->end < r->slack) {
			*line = r->buf;
			*len = n;
			r->start = r->end;
			r->skipping = 1;
			r->truncated = 1;
			break;
		}
		if (r->eof)
			return r->err ? -1 : 0;
		if (refill(r) < 0)
			return -1;
	}
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	r->lineno++;
	return 1;
}
