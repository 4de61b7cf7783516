/*
 * options.c - parsing awsnote's command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "options.h"
#include "xmalloc.h"

enum { OPT_COLOR = 256, OPT_NO_PAGER, OPT_WIDTH, OPT_VERIFY };

static const struct option long_options[] = {
    {"file", required_argument, NULL, 'f'},
    {"apropos", no_argument, NULL, 'k'},
    {"list", no_argument, NULL, 'l'},
    {"nth", required_argument, NULL, 'n'},
    {"color", optional_argument, NULL, OPT_COLOR},
    {"colour", optional_argument, NULL, OPT_COLOR},
    {"no-pager", no_argument, NULL, OPT_NO_PAGER},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void
options_usage(FILE *fp)
{
	fputs("Usage: awsnote [OPTION]... WORD...\n"
	      "Look up WORDs in study notes and show the best-matching "
	      "section.\n"
	      "\n"
	      "  -k, --apropos        list matching sections, best first\n"
	      "  -l, --list           list all sections (table of contents)\n"
	      "  -n, --nth=N          show the N-th best match instead of "
	      "the first\n"
	      "  -f, --file=PATH      notes to search: a blob, a Markdown "
	      "file or a\n"
	      "                       directory of them (default: "
	      "$AWSNOTE_FILE,\n"
	      "                       then the installed notes)\n"
	      "      --color[=WHEN]   colour output: auto (default), always, "
	      "never\n"
	      "      --no-pager       never send output through a pager\n"
	      "      --width=N        wrap at N columns on a terminal\n"
	      "      --verify         check every checksum of the notes "
	      "file\n"
	      "  -h, --help           show this help and exit\n"
	      "  -V, --version        show the version and exit\n"
	      "\n"
	      "Exit status: 0 if a section was found, 1 if none, 2 on "
	      "error.\n"
	      "See awsnote(1) for the query syntax and ranking.\n",
	      fp);
}

static int
parse_count(const char *arg, const char *name, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || *arg == '-' || v > max) {
		fprintf(stderr,
			"awsnote: invalid %s '%s' (expected a number up to "
			"%u)\n",
			name, arg, max);
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
		fprintf(stderr,
			"awsnote: invalid argument '%s' for --color "
			"(expected auto, always or never)\n",
			arg);
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

int
options_parse(int argc, char **argv, struct options *o)
{
	size_t len = 0;
	int c, i;

	memset(o, 0, sizeof(*o));
	o->nth = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "+f:kln:hV", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'f':
			o->file = optarg;
			break;
		case 'k':
			o->mode = MODE_APROPOS;
			break;
		case 'l':
			o->mode = MODE_LIST;
			break;
		case 'n':
			if (parse_count(optarg, "count for -n", 1000000,
					&o->nth) < 0)
				return bad_usage();
			if (o->nth == 0) {
				fputs("awsnote: -n counts from 1\n", stderr);
				return bad_usage();
			}
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
			return bad_usage();
		}
	}
	for (i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	o->query = xmalloc(len + 1);
	o->query[0] = '\0';
	for (i = optind; i < argc; i++) {
		if (i > optind)
			strcat(o->query, " ");
		strcat(o->query, argv[i]);
	}
	o->nwords = argc - optind;
	if (o->nwords == 0 &&
	    (o->mode == MODE_LOOKUP || o->mode == MODE_APROPOS)) {
		fputs("awsnote: no words to look up\n", stderr);
		options_usage(stderr);
		return -1;
	}
	return 0;
}

void
options_free(struct options *o)
{
	free(o->query);
	o->query = NULL;
}
