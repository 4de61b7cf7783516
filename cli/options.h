/*
 * options.h - awsnote's command line, parsed into one struct.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdio.h>

enum mode {
	MODE_LOOKUP,  /* show the best section (default) */
	MODE_APROPOS, /* -k: ranked list */
	MODE_LIST,    /* -l: table of contents */
	MODE_VERIFY,  /* --verify: check every checksum */
};

enum when { WHEN_AUTO, WHEN_ALWAYS, WHEN_NEVER };

struct options {
	enum mode mode;
	enum when color;
	int no_pager;
	unsigned width;  /* 0: not given */
	unsigned nth;    /* -n: which hit to show, 1-based */
	const char *file; /* -f */
	char *query;     /* the words, joined by spaces (owned) */
	int nwords;
};

/*
 * Parse ARGV into *O.  Returns -1 after printing usage on stderr for a
 * bad command line, 0 to go on, 1 when --help/--version was handled.
 */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);
void options_usage(FILE *fp);

#endif /* OPTIONS_H */
