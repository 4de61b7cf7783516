/*
 * awsnote-index.c - the notes compiler: Markdown files and directories
 * in, one blob out (written atomically).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awsnote.h"
#include "build.h"
#include "optguard.h"
#include "progress.h"

/* 2 (and a message) if what was printed did not all reach stdout; a
 * reader that went away (EPIPE) is no error. */
static int
flush_stdout(void)
{
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE) {
		fprintf(stderr, "awsnote-index: error writing output: %s\n",
		        strerror(errno ? errno : EIO));
		return 2;
	}
	return 0;
}

/*
 * Is PATH a terminal (-o /dev/stdout or /dev/tty at a prompt)?  A blob
 * there is binary noise that can set the terminal's modes, so it is
 * refused, as gzip refuses.  Only character devices are opened to ask.
 */
static int
is_terminal(const char *path)
{
	struct stat sb;
	int fd, tty;

	if (stat(path, &sb) != 0 || !S_ISCHR(sb.st_mode))
		return 0;
	if ((fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK)) < 0)
		return 0;
	tty = isatty(fd);
	close(fd);
	return tty;
}

/* Options with no short form. */
enum { OPT_SOURCE_DIR = 256 };

#define SYNOPSIS "Usage: awsnote-index [OPTION]... -o BLOB PATH...\n"
#define TRY_HELP "Try 'awsnote-index --help' for more information.\n"

/* A bad command line: what is wrong, in one line, then how to ask for
 * more (as grep does), exit status 2.  A bad option or value is
 * followed by TRY_HELP alone, as in awsnote. */
static int
usage_error(const char *what)
{
	fprintf(stderr, "awsnote-index: %s\n" SYNOPSIS TRY_HELP, what);
	return 2;
}

static void
usage(FILE *fp)
{
	fputs(SYNOPSIS
	      "Compile Markdown notes (files, or directories searched for "
	      "*.md and\n"
	      "*.markdown files) into the indexed blob that awsnote reads.\n"
	      "\n"
	      "  -o, --output=BLOB    where to write the blob (required)\n"
	      "  -m, --memory=SIZE    keep about SIZE of postings and text "
	      "in memory, in\n"
	      "                       MiB, or with a K, M or G suffix "
	      "(default 64M); the\n"
	      "                       rest goes to temporary files in "
	      "$TMPDIR (or /tmp)\n"
	      "  -j, --threads=N      1: compress text in the parsing "
	      "thread; 2 (default):\n"
	      "                       in a second thread\n"
	      "      --source-dir=DIR record DIR as the notes' directory, "
	      "for awsnote to name\n"
	      "                       where a section is written, when the "
	      "blob and its\n"
	      "                       notes are installed elsewhere\n"
	      "  -q, --quiet          print nothing on success\n"
	      "  -h, --help           show this help and exit\n"
	      "  -V, --version        show the version and exit\n"
	      "\n"
	      "Exit status: 0 on success, 2 on error (no blob is written).\n",
	      fp);
}

/* Whether PATH ends in .md or .markdown, the names a folder's walk
 * reads as notes. */
static int
is_markdown_name(const char *path)
{
	size_t n = strlen(path);

	return (n > 3 && strcmp(path + n - 3, ".md") == 0) ||
	       (n > 9 && strcmp(path + n - 9, ".markdown") == 0);
}

/* A whole number in [MIN, MAX], or -1.  With UNITS, a K, M or G suffix
 * multiplies it (no suffix: M). */
static long long
parse_number(const char *s, long long min, long long max, int units)
{
	long long v, scale = units ? 1LL << 20 : 1;
	char *end;

	if (*s < '0' || *s > '9') /* strtoll would take " 2" and "+2" */
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (units && end != s && end[0] != '\0' && end[1] == '\0') {
		switch (*end++) {
		case 'K':
		case 'k':
			scale = 1LL << 10;
			break;
		case 'M':
		case 'm':
			scale = 1LL << 20;
			break;
		case 'G':
		case 'g':
			scale = 1LL << 30;
			break;
		default:
			return -1;
		}
	}
	if (errno || end == s || *end != '\0' || v < 0 || v > max / scale ||
	    v * scale < min)
		return -1;
	return v * scale;
}

/* ARG as a message shows it (escapes typed into it do not reach the
 * terminal), in a static buffer that holds a whole path. */
static const char *
shown_arg(const char *arg)
{
	static char shown[3 * PATH_MAX + 1]; /* each byte may become U+FFFD */

	awn_display_text(arg, strlen(arg), shown, sizeof(shown));
	return shown;
}

/* The option whose value C (from getopt_long, LONGINDEX -1 for a short
 * one) was as typed: "-m", "--memory" or the "--mem" it abbreviates, so
 * that a message names what is on the command line. */
static const char *
typed_option(char **argv, int c, int longindex)
{
	static char typed[16];
	const char *word;

	if (longindex < 0) {
		snprintf(typed, sizeof(typed), "-%c", c);
		return typed;
	}
	/* "--memory 0" or "--memory=0": the word before the value, or
	 * the one that holds it up to the '=' (a known name's prefix). */
	word = argv[optind - 1] == optarg ? argv[optind - 2] : argv[optind - 1];
	snprintf(typed, sizeof(typed), "%.*s", (int)strcspn(word, "="), word);
	return typed;
}

/* A bad value for option C: what it wants, and the value as typed; exit
 * status 2. */
static int
bad_value(char **argv, int c, int longindex, const char *wants)
{
	fprintf(stderr, "awsnote-index: %s wants %s, not '%s'\n" TRY_HELP,
	        typed_option(argv, c, longindex), wants, shown_arg(optarg));
	return 2;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"memory", required_argument, NULL, 'm'},
	    {"threads", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"source-dir", required_argument, NULL, OPT_SOURCE_DIR},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	awn_error err = {AWN_OK, ""};
	awn_builder *b = NULL;
	struct progress pr;
	unsigned char *held = NULL;
	const char *output = NULL, *source_dir = NULL, *tmpdir;
	long long memory = BUILD_MEMORY, threads = BUILD_THREADS;
	int c, i, longindex, quiet = 0, rc = 0;

	if (argc > 0)
		argv[0] = (char *)"awsnote-index"; /* for getopt's messages */
	optguard_begin(argc, argv);
	while ((longindex = -1, c = getopt_long(argc, argv, "o:m:j:qhV",
	                                        longopts, &longindex)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'm':
			memory = parse_number(optarg, 1LL << 10, 1LL << 40, 1);
			if (memory < 0)
				return bad_value(argv, c, longindex,
				                 "a size from 1K to 1024G");
			break;
		case 'j':
			if ((threads = parse_number(optarg, 1, 2, 0)) < 0)
				return bad_value(argv, c, longindex, "1 or 2");
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_SOURCE_DIR:
			/* Checked here, where a slip is a usage error: it is
			 * a path on the machine the blob goes to, which need
			 * not exist on this one. */
			if (optarg[0] != '/')
				return bad_value(argv, c, longindex,
				                 "an absolute directory");
			source_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return flush_stdout();
		case 'V':
			printf("awsnote-index %s\n", awn_version());
			return flush_stdout();
		default:
			optguard_report("awsnote-index", argv, "o:m:j:qhV");
			fputs(TRY_HELP, stderr);
			return 2;
		}
	}
	if (output == NULL)
		return usage_error("no output file (-o BLOB)");
	if (optind == argc)
		return usage_error("no input files or directories (PATH)");
	/* An unset variable ("-o $OUT"), which would otherwise be named
	 * as "": No such file or directory. */
	if (*output == '\0')
		return usage_error("an empty file name for -o");
	for (i = optind; i < argc; i++)
		if (argv[i][0] == '\0')
			return usage_error("an empty file name among the "
			                   "PATHs");
	/* A blob named like Markdown is read as notes by the next build
	 * of its folder (-o notes/new.md notes). */
	if (is_markdown_name(output)) {
		fprintf(stderr,
		        "awsnote-index: %s: a Markdown name for the blob, "
		        "which would be read as notes (use .blob); nothing "
		        "written\n",
		        shown_arg(output));
		return 2;
	}
	if (is_terminal(output)) {
		fprintf(stderr,
		        "awsnote-index: %s: is a terminal (the blob is "
		        "binary: give -o a file)\n",
		        shown_arg(output));
		return 2;
	}
	tmpdir = build_tmpdir();
	/* A slip of the arguments, -o a.md a.md or -o notes/a.md notes,
	 * must not replace notes with a blob. */
	progress_init(&pr, "awsnote-index");
	if (awn_builder_new(&b, &err) != AWN_OK ||
	    awn_builder_set_limits(b, (int)threads, (size_t)memory, tmpdir,
	                           &err) != AWN_OK ||
	    awn_builder_protect(b, output, &err) != AWN_OK ||
	    (source_dir != NULL &&
	     awn_builder_set_source_dir(b, source_dir, &err) != AWN_OK))
		goto fail;
	if (!quiet)
		awn_builder_on_progress(b, progress_update, &pr);
	/* notes/a.md or notes/sub given with notes: read once, there. */
	if ((held = malloc((size_t)(argc - optind))) == NULL ||
	    awn_paths_held((const char *const *)argv + optind,
	                   (size_t)(argc - optind), held) != AWN_OK) {
		err.status = AWN_ERR_NOMEM;
		goto fail;
	}
	for (i = optind; i < argc; i++)
		if (!held[i - optind] &&
		    awn_builder_add_path(b, argv[i], &err) != AWN_OK)
			goto fail;
	if (awn_builder_write_file(b, output, &err) != AWN_OK)
		goto fail;
	progress_end(&pr);
	if (!quiet) {
		struct stat sb;
		/* not into a device or pipe, which may be the blob's */
		if (stat(output, &sb) == 0 && S_ISREG(sb.st_mode))
			printf("awsnote-index: wrote %s (%lld bytes)\n",
			       shown_arg(output), (long long)sb.st_size);
		/* The blob is written; a message that is not is still an
		 * error, as for any program whose output is lost. */
		rc = flush_stdout();
	}
	goto out;
fail:
	progress_end(&pr);
	fprintf(stderr, "awsnote-index: %s\n",
	        err.detail[0] ? err.detail : awn_strerror(err.status));
	rc = 2;
out:
	free(held);
	awn_builder_free(b);
	return rc;
}
