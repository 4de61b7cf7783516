/*
 * paths.h - file name arithmetic the command-line program shares.
 */
#ifndef PATHS_H
#define PATHS_H

#include <stddef.h>

/* The length of the name of PATH's parent directory: "/a" of "/a/b/",
 * "/" of "/a", nothing (0) of "a". */
size_t parent_length(const char *path);

#endif /* PATHS_H */
