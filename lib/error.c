/*
 * error.c - status descriptions and filling awn_error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ERROR_C /* error.h: the functions, not the analyzer's macros */
#include "alloc.h"
#include "error.h"

#define ERROR_BUF 16384 /* a message is made here, then fit to detail */

const char *
awn_strerror(awn_status status)
{
	switch (status) {
	case AWN_OK:
		return "success";
	case AWN_ERR_NOMEM:
		return "out of memory";
	case AWN_ERR_IO:
		return "input/output error";
	case AWN_ERR_FORMAT:
		return "not a valid awsnote blob";
	case AWN_ERR_VERSION:
		return "unsupported blob format version";
	case AWN_ERR_INPUT:
		return "unusable input";
	case AWN_ERR_QUERY:
		return "invalid query";
	case AWN_ERR_LIMIT:
		return "resource limit reached";
	case AWN_ERR_ARG:
		return "invalid argument";
	}
	return "unknown error";
}

/*
 * Details quote file names, queries and patterns, which may hold escape
 * sequences or newlines: keep the message one harmless line.
 */
static void
make_safe(awn_error *err)
{
	char safe[sizeof(err->detail)];

	awn_display_text(err->detail, strlen(err->detail), safe, sizeof(safe));
	memcpy(err->detail, safe, sizeof(safe));
}

/* MSG/LEN into ERR's detail.  A message too long for it (a deep path)
 * keeps its start and its end, where the problem is named, around "...";
 * no UTF-8 character is cut in two. */
static void
put_detail(awn_error *err, const char *msg, size_t len)
{
	size_t size = sizeof(err->detail), head, from;

	if (len < size) {
		memcpy(err->detail, msg, len);
		err->detail[len] = '\0';
	} else {
		head = size - 1 - size / 3 - 3;
		from = len - size / 3;
		while (head > 0 && ((unsigned char)msg[head] & 0xC0) == 0x80)
			head--;
		while (from < len && ((unsigned char)msg[from] & 0xC0) == 0x80)
			from++;
		memcpy(err->detail, msg, head);
		memcpy(err->detail + head, "...", 3);
		memcpy(err->detail + head + 3, msg + from, len - from);
		err->detail[head + 3 + len - from] = '\0';
	}
	make_safe(err);
}

/* FMT/AP into BUF (SIZE > 0) and its length, at most SIZE - 1. */
static size_t
format(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < size ? (size_t)n : size - 1;
}

awn_status
error_set(awn_error *err, awn_status status, const char *fmt, ...)
{
	char buf[ERROR_BUF], *big;
	va_list ap;
	int whole;
	size_t n;

	if (err == NULL)
		return status;
	err->status = status;
	va_start(ap, fmt);
	whole = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Longer than BUF (a path of 256 KiB): made whole, so that its
	 * end, where the place is named, is the end put_detail keeps. */
	if (whole >= (int)sizeof(buf) &&
	    (big = alloc_malloc((size_t)whole + 1)) != NULL) {
		va_start(ap, fmt);
		n = format(big, (size_t)whole + 1, fmt, ap);
		va_end(ap);
		put_detail(err, big, n);
		alloc_free(big);
		return status;
	}
	n = whole < 0                     ? 0
	    : (size_t)whole < sizeof(buf) ? (size_t)whole
	                                  : sizeof(buf) - 1;
	if (whole < 0)
		buf[0] = '\0';
	put_detail(err, buf, n);
	return status;
}

awn_status
error_errno(awn_error *err, awn_status status, int errnum, const char *fmt, ...)
{
	char buf[ERROR_BUF];
	const char *why = strerror(errnum);
	size_t n, wlen = strlen(why);
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	if (wlen > sizeof(buf) / 2)
		wlen = sizeof(buf) / 2;
	va_start(ap, fmt); /* room kept for ": " and the reason */
	n = format(buf, sizeof(buf) - wlen - 2, fmt, ap);
	va_end(ap);
	memcpy(buf + n, ": ", 2);
	memcpy(buf + n + 2, why, wlen);
	put_detail(err, buf, n + 2 + wlen);
	return status;
}
