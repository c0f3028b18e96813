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
	r->buf = NULL;
}

/* Moves the unread data to the front and reads once into the free space.
 * Memory input is copied in the same chunks so that tests with a small
 * cap exercise the same boundaries as files do. */
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
	if (room == 0 || r->eof)
		return 0;
	if (r->fd < 0) {
		got = (ssize_t)(r->memlen - r->mempos < room ?
		    r->memlen - r->mempos : room);
		memcpy(r->buf + r->end, r->mem + r->mempos, (size_t)got);
		r->mempos += (size_t)got;
	} else {
		do
			got = read(r->fd, r->buf + r->end, room);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			r->err = errno;
			r->eof = 1;
			return -1;
		}
	}
	if (got == 0)
		r->eof = 1;
	r->end += (size_t)got;
	return 0;
}

const char *
diag_reader_peek(struct diag_reader *r, size_t want, size_t *len)
{
	if (want > r->cap)
		want = r->cap;
	while (r->end - r->start < want && !r->eof)
		if (refill(r) < 0)
			return NULL;
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
		} else if (r->start == 0 && r->end == r->cap) {
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
