/*
 * buf.h - growable byte buffers with a hard size cap.
 *
 * Every buffer that grows from input has a cap so hostile input can only
 * produce an AWN_ERR_LIMIT, never an unbounded allocation.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>
#include <string.h>

#include "awsnote.h"

#define BUF_DEFAULT_MAX ((size_t)1 << 30) /* 1 GiB */

struct buf {
	char *data; /* owned; not NUL-terminated unless buf_cstr() was called */
	size_t len;
	size_t cap;
	size_t max; /* len never exceeds this */
};

/* Start empty with cap MAX (0 means BUF_DEFAULT_MAX). */
void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
/* Drop the content, keep the memory. */
void buf_reset(struct buf *b);

/* Make room for N more bytes.  AWN_ERR_NOMEM or AWN_ERR_LIMIT on failure. */
awn_status buf_reserve(struct buf *b, size_t n);
awn_status buf_add_grow(struct buf *b, const void *data, size_t n);

/* Appends inline while there is room: the Markdown reader and the
 * builder add a few bytes at a time, tens of millions of times. */
static inline awn_status
buf_add(struct buf *b, const void *data, size_t n)
{
	if (n > 0 && n < b->cap - b->len) {
		memcpy(b->data + b->len, data, n);
		b->len += n;
		return AWN_OK;
	}
	return buf_add_grow(b, data, n);
}

static inline awn_status
buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	if (b->cap - b->len > 1) {
		b->data[b->len++] = ch;
		return AWN_OK;
	}
	return buf_add_grow(b, &ch, 1);
}
awn_status buf_adds(struct buf *b, const char *s);
/* Append printf-formatted text. */
awn_status buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Ensure data[len] == '\0' (not counted in len) and return data. */
const char *buf_cstr(struct buf *b);

#endif /* BUF_H */
