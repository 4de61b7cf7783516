/*
 * alloc.h - the library's allocator.
 *
 * All of libawsnote's own allocations go through these so tests can fail
 * the Nth one (see alloc_fail_after) and check that every path reports
 * AWN_ERR_NOMEM cleanly.
 */
#ifndef ALLOC_H
#define ALLOC_H

#include <stddef.h>

void *alloc_malloc(size_t n);
void *alloc_calloc(size_t n, size_t size);
void *alloc_realloc(void *p, size_t n);
/* realloc for arrays: fails (NULL) on N * SIZE overflow. */
void *alloc_reallocarray(void *p, size_t n, size_t size);
char *alloc_strndup(const char *s, size_t n);
void alloc_free(void *p);

/*
 * Test hook: after N more successful allocations, fail every following
 * one (N < 0 disables).  Returns how many allocations have been made
 * since the last call.
 */
long alloc_fail_after(long n);

#endif /* ALLOC_H */
