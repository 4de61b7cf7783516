/*
 * alloc.c - the library's allocator, with a failure-injection hook for
 * tests (in the spirit of curl's torture mode).
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Failure injection is for single-threaded tests; the count is atomic
 * because the builder's text thread allocates too. */
static long fail_countdown = -1; /* allocations left before failing */
static atomic_long alloc_count;

static int
should_fail(void)
{
	atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
	if (fail_countdown < 0)
		return 0;
	if (fail_countdown == 0)
		return 1;
	fail_countdown--;
	return 0;
}

long
alloc_fail_after(long n)
{
	long made = atomic_exchange(&alloc_count, 0);

	fail_countdown = n;
	return made;
}

void *
alloc_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
alloc_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *
alloc_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void *
alloc_reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return alloc_realloc(p, n * size);
}

char *
alloc_strndup(const char *s, size_t n)
{
	char *d = alloc_malloc(n + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void
alloc_free(void *p)
{
	free(p);
}
