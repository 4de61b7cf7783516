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
	size_t len = strlen(s), n;

	/* Each byte may become U+FFFD, so compare 64 bytes at a time (all
	 * of them: getopt quotes the whole argument), not cutting a
	 * character where a valid one can end. */
	for (; len > 0; s += n, len -= n) {
		n = len > 64 ? 64 : len;
		while (n < len && n > 60 &&
		       ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		if (awn_display_text(s, n, shown, sizeof(shown)) != n ||
		    memcmp(shown, s, n) != 0)
			return 0;
	}
	return 1;
}

void
optguard_begin(int argc, char **argv)
{
	int i;

	/* Past "--" too: it may be an option's argument ("-e --"). */
	opterr = 1;
	for (i = 1; i < argc; i++)
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
	/* getopt stores a short option's byte as a char: past 0x7f it is
	 * negative where char is signed. */
	int opt = optopt < 0 && optopt >= -128 ? optopt + 256 : optopt;

	if (opterr)
		return; /* getopt said it */
	if (*optstring == '+')
		optstring++;
	if (opt > 0 && opt < 0x100 && opt != ':')
		known = strchr(optstring, opt);
	if (known != NULL && known[1] == ':') {
		/* -f or --file last, without its argument */
		fprintf(stderr, "%s: option requires an argument -- '%c'\n",
		        prog, opt);
	} else if (opt > 0 && opt < 0x100 && known == NULL) {
		c[0] = (char)opt;
		c[1] = '\0';
		awn_display_text(c, 1, shown, sizeof(shown));
		fprintf(stderr, "%s: invalid option -- '%s'\n", prog, shown);
	} else {
		/* A long option: not known (optopt 0), or given an argument
		 * it takes none of, or missing one; getopt has stepped past
		 * it. */
		awn_display_text(arg, strlen(arg), shown, sizeof(shown));
		fprintf(stderr, "%s: %s option '%s'\n", prog,
		        opt == 0 ? "unrecognized" : "bad use of", shown);
	}
}
