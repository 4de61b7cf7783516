/*
 * build.h - how the programs compile notes unless told otherwise:
 * awsnote-index's defaults, which awsnote's builds of Markdown (-f DIR)
 * use too.
 */
#ifndef BUILD_H
#define BUILD_H

#include <stdlib.h>

#define BUILD_THREADS 2                  /* text deflated in the second */
#define BUILD_MEMORY  ((size_t)64 << 20) /* past it, temporary files */

/* Where builds keep temporary files: $TMPDIR, else /tmp. */
static inline const char *
build_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

#endif /* BUILD_H */
