/*
 * xmalloc.c - abort-on-failure allocation for the CLI (tmux style).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void
out_of_memory(void)
{
	fputs("awsnote: out of memory\n", stderr);
	exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory();
	if ((p = realloc(p, n * size > 0 ? n * size : 1)) == NULL)
		out_of_memory();
	return p;
}

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		out_of_memory();
	return d;
}

/* A and B in one new string: no printf for paths (its code is pages
 * that every lookup would fault in). */
char *
xconcat(const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);
	char *s = xmalloc(an + bn + 1);

	memcpy(s, a, an);
	memcpy(s + an, b, bn + 1);
	return s;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory();
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
