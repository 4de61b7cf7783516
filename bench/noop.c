/*
 * noop.c - the floor for lookup benchmarks: a program that does nothing,
 * linked against the libraries awsnote is built with (md4c, PCRE2,
 * zlib), so process start-up and dynamic linking cost the same as for a
 * program that loads them all.  (libedit is not among them: only
 * awsnote-shell links it.  Nor is libm, since session 30: ranking's log
 * is lib/ln.c; before, both floors linked it.)
 *
 * Built with -DSTART_LIBS_ONLY it links zlib alone: what awsnote itself
 * loads at start when md4c and PCRE2 are loaded on first use
 * (lib/dynload.h).  Benchmarks show lookups against both floors.
 */
#include <zlib.h>
#ifndef START_LIBS_ONLY
#include <md4c.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

int
main(int argc, char **argv)
{
	/* Reference each library so the linker keeps it. */
	if (argc > 99) {
#ifndef START_LIBS_ONLY
		md_parse(argv[0], 0, 0, 0);
		pcre2_compile((PCRE2_SPTR) "", 0, 0, 0, 0, 0);
#endif
		return (int)zlibVersion()[0];
	}
	return 0;
}
