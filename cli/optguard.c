/*
 * optguard.c - getopt's error messages without a terminal's escapes.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "awsnote.h"
#include "optguard.h"

/* Does S print as it is (no control bytes, valid UTF-8)? */
static int
shows_as_is(const char *s)
{
	char shown[256];
	size_t len = strlen(s);

	/* Each byte may become U+FFFD, so a cut display is not a change;
	 * compare what fits. */
	if (len > 64)
		len = 64;
	return awn_display_text(s, len, shown, sizeof(shown)) == len &&
	       memcmp(shown, s, len) == 0;
}

void
optguard_begin(int argc, char **argv)
{
	int i;

	opterr = 1;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (argv[i][0] == '-' && !shows_as_is(argv[i])) {
			opterr = 0;
			return;
		}
}

void
optguard_report(const char *prog, char **argv, const char *optstring)
{
	char shown[3 * 64 + 1], c[2];
	const char *arg = argv[optind - 1], *known = NULL;

	if (opterr)
		return; /* getopt said it */
	if (*optstring == '+')
		optstring++;
	if (optopt > 0 && optopt < 0x100 && optopt != ':')
		known = strchr(optstring, optopt);
	if (known != NULL && known[1] == ':') {
		/* -f or --file last, without its argument */
		fprintf(stderr, "%s: option requires an argument -- '%c'\n",
		        prog, optopt);
	} else if (optopt > 0 && optopt < 0x100 && known == NULL) {
		c[0] = (char)optopt;
		c[1] = '\0';
		awn_display_text(c, 1, shown, sizeof(shown));
		fprintf(stderr, "%s: invalid option -- '%s'\n", prog, shown);
	} else {
		/* A long option: not known (optopt 0), or given an argument
		 * it takes none of, or missing one; getopt has stepped past
		 * it. */
		awn_display_text(arg, strlen(arg), shown, sizeof(shown));
		fprintf(stderr, "%s: %s option '%s'\n", prog,
		        optopt == 0 ? "unrecognized" : "bad use of", shown);
	}
}
