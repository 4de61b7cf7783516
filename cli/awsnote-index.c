/*
 * awsnote-index.c - the notes compiler: Markdown files and directories
 * in, one blob out (written atomically).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "awsnote.h"

static void
usage(FILE *fp)
{
	fputs("Usage: awsnote-index [OPTION]... -o BLOB PATH...\n"
	      "Compile Markdown notes (files, or directories searched for "
	      "*.md and\n"
	      "*.markdown files) into the indexed blob that awsnote reads.\n"
	      "\n"
	      "  -o, --output=BLOB    where to write the blob (required)\n"
	      "  -q, --quiet          print nothing on success\n"
	      "  -h, --help           show this help and exit\n"
	      "  -V, --version        show the version and exit\n"
	      "\n"
	      "Exit status: 0 on success, 2 on error (no blob is written).\n",
	      fp);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	awn_error err = {AWN_OK, ""};
	awn_builder *b = NULL;
	const char *output = NULL;
	int c, i, quiet = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("awsnote-index %s\n", awn_version());
			return 0;
		default:
			fputs("Try 'awsnote-index --help' for more "
			      "information.\n",
			      stderr);
			return 2;
		}
	}
	if (output == NULL || optind == argc) {
		fputs(output ? "awsnote-index: no input files\n"
		             : "awsnote-index: no output file (-o BLOB)\n",
		      stderr);
		usage(stderr);
		return 2;
	}
	if (awn_builder_new(&b, &err) != AWN_OK)
		goto fail;
	for (i = optind; i < argc; i++)
		if (awn_builder_add_path(b, argv[i], &err) != AWN_OK)
			goto fail;
	if (awn_builder_write_file(b, output, &err) != AWN_OK)
		goto fail;
	if (!quiet) {
		struct stat sb;
		if (stat(output, &sb) == 0)
			printf("awsnote-index: wrote %s (%lld bytes)\n", output,
			       (long long)sb.st_size);
	}
	goto out;
fail:
	fprintf(stderr, "awsnote-index: %s\n",
	        err.detail[0] ? err.detail : awn_strerror(err.status));
	rc = 2;
out:
	awn_builder_free(b);
	return rc;
}
