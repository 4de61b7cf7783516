/*
 * paths.c - file name arithmetic (paths.h).
 */
#include <string.h>

#include "paths.h"

size_t
parent_length(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	return n;
}
