/*
 * xmalloc.h - allocation for the command-line program: on failure it
 * prints one line and exits 2, so callers need no error paths for memory.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* A followed by B, in a new string. */
char *xconcat(const char *a, const char *b);
/* vasprintf and asprintf that cannot fail. */
char *xvasprintf(const char *fmt, va_list ap);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* XMALLOC_H */
