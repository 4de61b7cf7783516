/*
 * noop.c - the floor for lookup benchmarks: a program that does nothing,
 * linked against the same libraries as awsnote, so process start-up and
 * dynamic linking cost the same.  (libedit is not among them: only
 * awsnote-shell links it.)
 */
#include <math.h>
#include <md4c.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <zlib.h>

int
main(int argc, char **argv)
{
	/* Reference each library so the linker keeps it. */
	if (argc > 99) {
		md_parse(argv[0], 0, 0, 0);
		pcre2_compile((PCRE2_SPTR) "", 0, 0, 0, 0, 0);
		return (int)zlibVersion()[0] + (int)log((double)argc);
	}
	return 0;
}
