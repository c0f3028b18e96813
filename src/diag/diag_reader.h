// SPDX-License-Identifier: ISC
/* diag_reader.h - a line reader over a file descriptor or a memory block
 * through one fixed buffer: lines are handed out in place, never copied,
 * so memory does not grow with the input.  UTF-16 input (Windows tools
 * write logs so) can be converted to UTF-8 on the way in. */
#ifndef CM_DIAG_READER_H
#define CM_DIAG_READER_H

#include <stddef.h>

struct diag_reader {
	int fd;                      /* -1: read from mem */
	const unsigned char *mem;
	size_t memlen, mempos;
	char *buf;                   /* owned; cap bytes */
	size_t cap, start, end;      /* unread data is buf[start, end) */
	int eof;
	int err;                     /* errno of a failed read, else 0 */
	int skipping;                /* dropping the rest of a cut line */
	long lineno;                 /* number of the last line returned */
	int truncated;               /* the last line was cut at cap bytes */
	int unterminated;            /* the last line had no '\n' (at EOF) */
	/* UTF-16 input: raw bytes wait in raw[0, rawlen) until converted
	 * into buf; slack is the room a refill needs to make progress. */
	int utf16;                   /* 0: bytes as they are; 1 LE; 2 BE */
	unsigned char *raw;          /* owned; cap bytes */
	size_t rawlen;
	int raweof;
	size_t slack;
};

/* Sets r up over fd (not closed by the reader) or over mem[0, len).
 * Returns 0, or -1 on allocation failure. */
int diag_reader_init_fd(struct diag_reader *r, int fd, size_t cap);
int diag_reader_init_mem(struct diag_reader *r, const unsigned char *mem,
    size_t len, size_t cap);

/* From here on, reads the input as UTF-16 (big_endian or little) and
 * hands out UTF-8: what is buffered and unread is taken as the start of
 * that input after skip bytes (a byte order mark).  A unit that is not
 * well-formed (an unpaired surrogate, an odd last byte) becomes U+FFFD.
 * Returns 0, or -1 on allocation failure (r unchanged). */
int diag_reader_utf16(struct diag_reader *r, int big_endian, size_t skip);

/* Frees the buffers (r itself belongs to the caller). */
void diag_reader_free(struct diag_reader *r);

/* Reads until want bytes are buffered (at most cap) or the input ends;
 * then *len bytes at the returned pointer are the start of what remains.
 * Returns NULL on a read error. */
const char *diag_reader_peek(struct diag_reader *r, size_t want,
    size_t *len);

/* The next line, without its LF or CR LF.  Returns 1 with *line and *len
 * valid until the next call, 0 at the end, -1 on a read error (r->err).
 * A line longer than cap comes back cut, with r->truncated set. */
int diag_reader_line(struct diag_reader *r, const char **line, size_t *len);

#endif
