/*
 * options.c - parsing awsnote's command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "awsnote.h"
#include "optguard.h"
#include "options.h"
#include "xmalloc.h"

enum {
	OPT_COLOR = 256,
	OPT_NO_PAGER,
	OPT_WIDTH,
	OPT_VERIFY,
	OPT_WHERE,
	OPT_JSON,
	OPT_SHELL,
	OPT_COMPLETE,
	OPT_COMPLETE_DOC,
	OPT_IGNORE_CASE,
};

/* How -i was given: the letter means --shell without -e, the long
 * name never does. */
#define SAW_I_LETTER 1
#define SAW_I_LONG   2

#define SHORT_OPTIONS "+f:d:kln:e:iwFcoA:B:C:m:hV"
static const struct option long_options[] = {
    {"file", required_argument, NULL, 'f'},
    {"doc", required_argument, NULL, 'd'},
    {"apropos", no_argument, NULL, 'k'},
    {"list", no_argument, NULL, 'l'},
    {"nth", required_argument, NULL, 'n'},
    {"regex", required_argument, NULL, 'e'},
    {"ignore-case", no_argument, NULL, OPT_IGNORE_CASE},
    {"word-regexp", no_argument, NULL, 'w'},
    {"fixed-strings", no_argument, NULL, 'F'},
    {"count", no_argument, NULL, 'c'},
    {"only-matching", no_argument, NULL, 'o'},
    {"after-context", required_argument, NULL, 'A'},
    {"before-context", required_argument, NULL, 'B'},
    {"context", required_argument, NULL, 'C'},
    {"max-count", required_argument, NULL, 'm'},
    {"json", no_argument, NULL, OPT_JSON},
    {"where", no_argument, NULL, OPT_WHERE},
    {"shell", no_argument, NULL, OPT_SHELL},
    {"interactive", no_argument, NULL, OPT_SHELL},
    {"color", optional_argument, NULL, OPT_COLOR},
    {"colour", optional_argument, NULL, OPT_COLOR},
    {"no-pager", no_argument, NULL, OPT_NO_PAGER},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"complete", required_argument, NULL, OPT_COMPLETE},
    {"complete-doc", required_argument, NULL, OPT_COMPLETE_DOC},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
synopsis(FILE *fp)
{
	fputs("Usage: awsnote [OPTION]... WORD...\n"
	      "       awsnote [OPTION]... -e PATTERN [WORD...]\n"
	      "       awsnote [-i | --shell]\n",
	      fp);
}

void
options_usage(FILE *fp)
{
	synopsis(fp);
	fputs("Look up WORDs in study notes and show the best-matching "
	      "section.\n"
	      "Long options may also follow the WORDs; there, -WORD "
	      "excludes sections\n"
	      "holding WORD, and every argument after -- is a WORD.\n"
	      "\n"
	      "Keyword lookup:\n"
	      "  -k, --apropos        list matching sections, best first\n"
	      "  -l, --list           list all sections (table of contents);\n"
	      "                       with WORDs, the best match's outline\n"
	      "  -n, --nth=N          show the N-th best match instead of "
	      "the first\n"
	      "      --where          print where it is written, FILE:LINE "
	      "of its heading;\n"
	      "                       with -k or -l, FILE:LINE:PATH for "
	      "each section;\n"
	      "                       with -e, FILE:LINE:TEXT for each "
	      "matching line\n"
	      "\n"
	      "Regex search (PCRE2) over every line of the notes:\n"
	      "  -e, --regex=PATTERN  print lines matching PATTERN, each "
	      "prefixed by its\n"
	      "                       section path; repeat for several "
	      "patterns; WORDs\n"
	      "                       restrict the search to matching "
	      "sections\n"
	      "  -i, --ignore-case    with -e: ignore case\n"
	      "  -w, --word-regexp    with -e: match whole words only\n"
	      "  -F, --fixed-strings  with -e: PATTERN is a plain string\n"
	      "  -c, --count          with -e: count matching lines per "
	      "section\n"
	      "  -l                   with -e: list matching sections only\n"
	      "  -o, --only-matching  with -e: print only the matched parts\n"
	      "  -A, --after-context=N   with -e: N lines of context after "
	      "each match,\n"
	      "  -B, --before-context=N  before it,\n"
	      "  -C, --context=N         or both\n"
	      "  -m, --max-count=N    with -e: stop after N matching lines\n"
	      "\n"
	      "Notes, output and modes:\n"
	      "  -f, --file=PATH      notes to search: a blob, a Markdown "
	      "file or a\n"
	      "                       directory of them; repeatable "
	      "(default:\n"
	      "                       $AWSNOTE_FILE, else the installed "
	      "notes,\n"
	      "                       and those $AWSNOTE_PATH lists);\n"
	      "                       Markdown is kept compiled in "
	      "~/.cache/awsnote\n"
	      "  -d, --doc=NAME       only search the document or directory "
	      "NAME,\n"
	      "                       named as paths show it (p2/README)\n"
	      "      --json           JSON Lines output for scripts\n"
	      "  -i, --shell, --interactive\n"
	      "                       browse in an interactive shell "
	      "(without -e)\n"
	      "      --color[=WHEN]   colour output (or --colour): auto "
	      "(default),\n"
	      "                       always or never\n"
	      "      --no-pager       never send output through a pager\n"
	      "      --width=N        wrap at N columns\n"
	      "      --verify         check every checksum of the notes "
	      "file\n"
	      "  -h, --help           show this help and exit\n"
	      "  -V, --version        show the version and exit\n"
	      "\n"
	      "Exit status: 0 if something was found, 1 if nothing, 2 on "
	      "error.\n"
	      "See awsnote(1) for the query syntax and ranking.\n",
	      fp);
}

/* ARG as it can be shown in a message: escapes typed into an argument
 * do not reach the terminal. */
static const char *
shown_arg(const char *arg, char *buf, size_t size)
{
	awn_display_text(arg, strlen(arg), buf, size);
	return buf;
}

static int
parse_count(const char *arg, const char *name, unsigned max, unsigned *out)
{
	char *end, shown[256];
	unsigned long v;

	/* Digits only: strtoul would also take " 2", "+2" and "-2". */
	v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || v > max) {
		fprintf(stderr,
		        "awsnote: invalid %s '%s' (expected a number up to "
		        "%u)\n",
		        name, shown_arg(arg, shown, sizeof(shown)), max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
parse_when(const char *arg, enum when *out)
{
	if (arg == NULL || strcmp(arg, "always") == 0 ||
	    strcmp(arg, "yes") == 0 || strcmp(arg, "force") == 0)
		*out = WHEN_ALWAYS;
	else if (strcmp(arg, "never") == 0 || strcmp(arg, "no") == 0 ||
	         strcmp(arg, "none") == 0)
		*out = WHEN_NEVER;
	else if (strcmp(arg, "auto") == 0 || strcmp(arg, "tty") == 0 ||
	         strcmp(arg, "if-tty") == 0)
		*out = WHEN_AUTO;
	else {
		char shown[256];
		fprintf(stderr,
		        "awsnote: invalid argument '%s' for --color "
		        "(expected auto, always or never)\n",
		        shown_arg(arg, shown, sizeof(shown)));
		return -1;
	}
	return 0;
}

static int
bad_usage(void)
{
	fputs("Try 'awsnote --help' for more information.\n", stderr);
	return -1;
}

/* Append WORD to the query, which has room for all the arguments (LEN:
 * its length so far). */
static void
add_word(struct options *o, size_t *len, const char *word)
{
	size_t n = strlen(word);

	if (o->nwords++ > 0)
		o->query[(*len)++] = ' ';
	memcpy(o->query + *len, word, n + 1);
	*len += n;
}

/* Does ARG name a long option (--NAME, --NAME=VALUE), "--" excepted? */
static int
is_long_option(const char *arg)
{
	return arg[0] == '-' && arg[1] == '-' && arg[2] != '\0';
}

/* Add one pattern; -1 (usage said) past MAX_PATTERNS. */
static int
add_pattern(struct options *o, const char *p)
{
	if (o->npatterns == MAX_PATTERNS) {
		fprintf(stderr, "awsnote: more than %d patterns\n",
		        MAX_PATTERNS);
		return bad_usage();
	}
	o->patterns[o->npatterns++] = p;
	return 0;
}

/*
 * Add the patterns of one -e: ARG, or when it holds newlines each of its
 * lines, as grep takes them (a line of the notes never holds a newline,
 * so a pattern with one could never match).
 */
static int
add_patterns(struct options *o, const char *arg)
{
	char *p, *nl;

	if (strchr(arg, '\n') == NULL)
		return add_pattern(o, arg);
	/* One copy per -e, which gives two patterns at least: the copies
	 * never outnumber MAX_PATTERNS. */
	p = o->pattern_copies[o->ncopies++] = xstrdup(arg);
	for (;;) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		if (add_pattern(o, p) < 0)
			return -1;
		if (nl == NULL)
			return 0;
		p = nl + 1;
	}
}

/*
 * An unknown or ambiguous --NAME after the words (getopt said so): before
 * options were read there it was a word, and may be meant as one.
 */
static int
unknown_after_words(const char *arg)
{
	char shown[256];

	fprintf(stderr,
	        "awsnote: to look up '%s' as a word, put -- before it\n",
	        shown_arg(arg, shown, sizeof(shown)));
	return bad_usage();
}

/*
 * Is ARG, met after the words, one of our short options by itself
 * ("-k", "-i")?  It is an exclusion there, as documented, but grep and
 * getopt's permuting tools take it as the option, so say so.
 */
static int
spells_short_option(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0' && arg[2] == '\0' &&
	       arg[1] != '+' && arg[1] != ':' &&
	       strchr(SHORT_OPTIONS, arg[1]) != NULL;
}

/* Options seen, for those whose meaning depends on others. */
struct seen {
	int i; /* SAW_I_LETTER, SAW_I_LONG */
	int l, k, n, shell;
};

/* Settle the letters whose meaning depends on -e (see options.h). */
static int
settle_mode(struct options *o, const struct seen *saw)
{
	int saw_i = saw->i;

	if (o->where && ((saw_i && o->npatterns == 0) || saw->shell ||
	                 o->mode == MODE_VERIFY || o->mode == MODE_COMPLETE)) {
		fputs("awsnote: --where cannot be combined with -i "
		      "(--shell), --verify or --complete\n",
		      stderr);
		return bad_usage();
	}
	if (o->npatterns > 0) {
		if (saw->k || saw->shell) {
			fputs("awsnote: -e cannot be combined with -k or "
			      "--shell\n",
			      stderr);
			return bad_usage();
		}
		if (o->mode == MODE_LOOKUP || o->mode == MODE_LIST)
			o->mode = MODE_REGEX;
		o->ignore_case = saw_i != 0;
		o->sections_only = saw->l;
		return 0;
	}
	{
		/* Name the one given (the first, if several), not all that
		 * could have been. */
		const struct {
			int set;
			const char *name;
		} need_e[] = {
		    {(saw_i & SAW_I_LONG) != 0, "--ignore-case"},
		    {o->word_regexp, "-w (--word-regexp)"},
		    {o->fixed, "-F (--fixed-strings)"},
		    {o->count, "-c (--count)"},
		    {o->only_matching, "-o (--only-matching)"},
		    {o->before > 0 || o->after > 0, "-A, -B or -C (context)"},
		    {o->max_count > 0 || o->max_zero, "-m (--max-count)"},
		};
		size_t k;

		for (k = 0; k < sizeof(need_e) / sizeof(need_e[0]); k++)
			if (need_e[k].set) {
				fprintf(stderr,
				        "awsnote: %s needs -e PATTERN\n",
				        need_e[k].name);
				return bad_usage();
			}
	}
	/* -i and --shell alike, whatever the order: the shell has no use
	   for these, and ignoring them, or one taken for the other, would
	   surprise. */
	if ((saw_i || saw->shell) &&
	    (saw->k || saw->l || saw->n || o->json || o->mode == MODE_VERIFY ||
	     o->mode == MODE_COMPLETE)) {
		fputs("awsnote: -i (--shell) cannot be combined with -k, -l, "
		      "-n, --json or --verify\n",
		      stderr);
		return bad_usage();
	}
	if ((saw_i || saw->shell) && o->mode == MODE_LOOKUP)
		o->mode = MODE_SHELL;
	return 0;
}

/*
 * Options come before the words, as getopt_long takes them ('+': a later
 * "-kms" is an exclusion).  After the first word an argument "--NAME" is
 * still an option, read by the same getopt_long call so that prefixes,
 * "=VALUE" and a required argument in the next word mean the same in
 * both places; "--" ends the options.  ARGV is left as it was:
 * awsnote-shell parses it again.
 */
static int
parse(int argc, char **argv, struct options *o)
{
	struct seen saw = {0, 0, 0, 0, 0};
	const char *stray = NULL; /* the first spells_short_option word */
	size_t len = 0, room = 1;
	int c, at, i;
	unsigned n = 0;

	memset(o, 0, sizeof(*o));
	o->nth = 1;
	for (i = 1; i < argc; i++)
		room += strlen(argv[i]) + 1;
	o->query = xmalloc(room);
	o->query[0] = '\0';
	optguard_begin(argc, argv);
	while (optind < argc) {
		if (o->nwords > 0 && !is_long_option(argv[optind])) {
			if (strcmp(argv[optind++], "--") == 0)
				break;
			if (stray == NULL &&
			    spells_short_option(argv[optind - 1]))
				stray = argv[optind - 1];
			add_word(o, &len, argv[optind - 1]);
			continue;
		}
		at = optind;
		c = getopt_long(argc, argv, SHORT_OPTIONS, long_options, NULL);
		if (c == -1) {
			if (optind > at)
				break; /* "--" before the first word */
			add_word(o, &len, argv[optind++]);
			continue;
		}
		switch (c) {
		case 'f':
			if (o->nfiles == MAX_FILES) {
				fprintf(stderr,
				        "awsnote: more than %d -f "
				        "options\n",
				        MAX_FILES);
				return bad_usage();
			}
			/* An unset variable (-f "$NOTES"), which would be
			 * named as "": No such file or directory. */
			if (*optarg == '\0') {
				fputs("awsnote: an empty file name for -f\n",
				      stderr);
				return bad_usage();
			}
			o->files[o->nfiles++] = optarg;
			break;
		case 'd':
			if (*optarg == '\0') {
				fputs("awsnote: an empty document name for "
				      "-d\n",
				      stderr);
				return bad_usage();
			}
			o->doc = optarg;
			break;
		case 'k':
			o->mode = MODE_APROPOS;
			saw.k = 1;
			break;
		case 'l':
			if (o->mode == MODE_LOOKUP)
				o->mode = MODE_LIST;
			saw.l = 1;
			break;
		case 'n':
			saw.n = 1;
			if (parse_count(optarg, "count for -n", 1000000,
			                &o->nth) < 0)
				return bad_usage();
			if (o->nth == 0) {
				fputs("awsnote: -n counts from 1\n", stderr);
				return bad_usage();
			}
			break;
		case 'e':
			if (add_patterns(o, optarg) < 0)
				return -1;
			break;
		case 'i':
			saw.i |= SAW_I_LETTER;
			break;
		case OPT_IGNORE_CASE:
			saw.i |= SAW_I_LONG;
			break;
		case 'w':
			o->word_regexp = 1;
			break;
		case 'F':
			o->fixed = 1;
			break;
		case 'c':
			o->count = 1;
			break;
		case 'o':
			o->only_matching = 1;
			break;
		case 'A':
		case 'B':
		case 'C':
			if (parse_count(optarg, "context line count", 100000,
			                &n) < 0)
				return bad_usage();
			if (c != 'B')
				o->after = n;
			if (c != 'A')
				o->before = n;
			break;
		case 'm':
			if (parse_count(optarg, "count for -m", 100000000,
			                &o->max_count) < 0)
				return bad_usage();
			o->max_zero = o->max_count == 0;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_WHERE:
			o->where = 1;
			break;
		case OPT_SHELL:
			saw.shell = 1;
			break;
		case OPT_COMPLETE_DOC:
			o->complete_docs = 1;
			/* FALLTHROUGH */
		case OPT_COMPLETE:
			o->mode = MODE_COMPLETE;
			o->complete = optarg;
			break;
		case OPT_COLOR:
			if (parse_when(optarg, &o->color) < 0)
				return bad_usage();
			break;
		case OPT_NO_PAGER:
			o->no_pager = 1;
			break;
		case OPT_WIDTH:
			if (parse_count(optarg, "width", 1000, &o->width) < 0)
				return bad_usage();
			if (o->width < 20) {
				fprintf(stderr,
				        "awsnote: width %u is too narrow "
				        "(at least 20)\n",
				        o->width);
				return bad_usage();
			}
			break;
		case OPT_VERIFY:
			o->mode = MODE_VERIFY;
			break;
		case 'h':
			options_usage(stdout);
			return 1;
		case 'V':
			printf("awsnote %s\n", awn_version());
			return 1;
		default:
			optguard_report("awsnote", argv, SHORT_OPTIONS);
			if (o->nwords > 0 && optopt == 0)
				return unknown_after_words(argv[optind - 1]);
			return bad_usage();
		}
	}
	while (optind < argc)
		add_word(o, &len, argv[optind++]);
	if (settle_mode(o, &saw) < 0)
		return -1;
	if (o->nwords == 0 && o->mode == MODE_LOOKUP) {
		/* No words: the shell on a terminal, else a usage error. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			o->mode = MODE_SHELL;
			return 0;
		}
		/* Short, as grep's: the whole help would bury the error. */
		fputs("awsnote: no words to look up\n", stderr);
		synopsis(stderr);
		return bad_usage();
	}
	if (o->nwords == 0 && o->mode == MODE_APROPOS) {
		fputs("awsnote: -k needs words to look up\n", stderr);
		return bad_usage();
	}
	/* Not for the shell, whose first line the words are (it has no
	 * options), nor where the words are not read. */
	if (stray != NULL && o->mode != MODE_SHELL && o->mode != MODE_VERIFY &&
	    o->mode != MODE_COMPLETE)
		fprintf(stderr,
		        "awsnote: '%s' after the words excludes sections "
		        "holding '%s'; options go before the words ('-- %s' "
		        "says the exclusion is meant)\n",
		        stray, stray + 1, stray);
	return 0;
}

int
options_parse(int argc, char **argv, struct options *o)
{
	char *name = argv[0];
	int rc;

	/* getopt's messages begin with argv[0]: "awsnote", as ours do, not
	 * the path the program was run by. */
	if (argc > 0)
		argv[0] = (char *)"awsnote";
	rc = parse(argc, argv, o);
	argv[0] = name;
	return rc;
}

void
options_free(struct options *o)
{
	free(o->query);
	o->query = NULL;
	while (o->ncopies > 0)
		free(o->pattern_copies[--o->ncopies]);
}
