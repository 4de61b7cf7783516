/*
 * buf.c - growable byte buffers with a hard size cap.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
}

void
buf_free(struct buf *b)
{
	alloc_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

awn_status
buf_reserve(struct buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	/* One spare byte so buf_cstr never needs to grow past max. */
	if (n > b->max - b->len)
		return AWN_ERR_LIMIT;
	want = b->len + n + 1;
	if (want <= b->cap && b->data != NULL) /* no storage: no capacity */
		return AWN_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if ((p = alloc_realloc(b->data, cap)) == NULL)
		return AWN_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return AWN_OK;
}

awn_status
buf_add_grow(struct buf *b, const void *data, size_t n)
{
	awn_status st;

	if (n == 0)
		return AWN_OK;
	if ((st = buf_reserve(b, n)) != AWN_OK)
		return st;
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return AWN_OK;
}

awn_status
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

awn_status
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	awn_status st;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return AWN_ERR_ARG;
	if ((st = buf_reserve(b, (size_t)n)) != AWN_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return AWN_OK;
}

const char *
buf_cstr(struct buf *b)
{
	if (b->data == NULL && buf_reserve(b, 0) != AWN_OK)
		return "";
	b->data[b->len] = '\0';
	return b->data;
}
