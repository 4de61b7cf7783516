/*
 * version.c - the library's version string.
 */
#include "config.h"

#include "awsnote.h"

const char *
awn_version(void)
{
	return PACKAGE_VERSION;
}
