/*
 * error.c - status descriptions and filling awn_error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

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

awn_status
error_set(awn_error *err, awn_status status, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
	make_safe(err);
	return status;
}

awn_status
error_errno(awn_error *err, awn_status status, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (err == NULL)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
	n = strlen(err->detail);
	snprintf(err->detail + n, sizeof(err->detail) - n, ": %s",
	         strerror(errnum));
	make_safe(err);
	return status;
}
