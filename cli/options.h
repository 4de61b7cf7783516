/*
 * options.h - awsnote's command line, parsed into one struct.
 *
 * Two letters mean different things with and without -e, as users of
 * grep and man expect from each: with -e, -i ignores case and -l lists
 * matching sections; without it, -i opens the shell and -l lists all
 * sections.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdio.h>

enum mode {
	MODE_LOOKUP,   /* show the best section (default) */
	MODE_APROPOS,  /* -k: ranked list */
	MODE_LIST,     /* -l: table of contents */
	MODE_VERIFY,   /* --verify: check every checksum */
	MODE_REGEX,    /* -e: matching lines, grep style */
	MODE_SHELL,    /* -i without -e, or no words on a terminal */
	MODE_COMPLETE, /* --complete=WORD: candidates for shell completion */
};

enum when { WHEN_AUTO, WHEN_ALWAYS, WHEN_NEVER };

#define MAX_PATTERNS 64
#define MAX_FILES    256

struct options {
	enum mode mode;
	enum when color;
	int no_pager;
	unsigned width;               /* 0: not given */
	unsigned nth;                 /* -n: which hit to show, 1-based */
	const char *files[MAX_FILES]; /* -f, in order (none: the default) */
	unsigned nfiles;
	const char *doc; /* -d: restrict to this document, or NULL */
	int json;        /* --json */
	int where;       /* --where: where sections were written */
	char *query;     /* the words, joined by spaces (owned) */
	int nwords;

	/* regex search (-e) */
	const char *patterns[MAX_PATTERNS]; /* in argv, or in pattern_copies */
	unsigned npatterns;
	char *pattern_copies[MAX_PATTERNS]; /* of -e arguments split at
	                                       newlines (owned) */
	unsigned ncopies;
	int ignore_case;        /* -i with -e */
	int word_regexp;        /* -w */
	int fixed;              /* -F */
	int count;              /* -c */
	int sections_only;      /* -l with -e */
	int only_matching;      /* -o */
	unsigned before, after; /* -B, -A (-C sets both) */
	unsigned max_count;     /* -m: 0 means no limit */
	int max_zero;           /* -m 0: stop before reading (grep's) */

	const char *complete; /* --complete: the word being completed */
	int complete_docs;    /* --complete-doc: it is -d's value */
};

/*
 * Parse ARGV into *O.  Returns -1 after printing usage on stderr for a
 * bad command line, 0 to go on, 1 when --help/--version was handled.
 */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);
void options_usage(FILE *fp);

#endif /* OPTIONS_H */
