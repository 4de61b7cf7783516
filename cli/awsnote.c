/*
 * awsnote.c - main program: find the notes, dispatch on the mode, turn
 * library errors into one line on stderr and grep-like exit statuses.
 */
#include "config.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "awsnote.h"
#include "complete.h"
#include "lookup.h"
#include "options.h"
#include "output.h"
#include "regex.h"
#include "shell.h"
#include "xmalloc.h"

#define BLOB_NAME "awsnote.blob"

/*
 * The notes: -f, then $AWSNOTE_FILE, then the blob of the build tree
 * this binary sits in (so cli/awsnote works right after make), then
 * the installed one.
 */
static char *
find_notes(const struct options *o)
{
	const char *env = getenv("AWSNOTE_FILE");
	char exe[PATH_MAX];
	ssize_t n;

	if (o->nfiles > 0)
		return xstrdup(o->files[0]);
	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		/* A build tree has config.status beside cli/ and share/. */
		char *dir, *marker, *path;
		exe[n] = '\0';
		dir = dirname(exe);
		marker = xasprintf("%s/../config.status", dir);
		path = xasprintf("%s/../share/" BLOB_NAME, dir);
		if (access(marker, F_OK) == 0 && access(path, R_OK) == 0) {
			free(marker);
			return path;
		}
		free(marker);
		free(path);
	}
	return xstrdup(PKGDATADIR "/" BLOB_NAME);
}

static int
run(const struct options *o)
{
	awn_error err = {AWN_OK, ""};
	struct output out;
	awn_db *db = NULL;
	char *path = find_notes(o);
	int rc;

	if (awn_db_open_any(&db, path, &err) != AWN_OK) {
		fprintf(stderr, "awsnote: %s\n",
			err.detail[0] ? err.detail : awn_strerror(err.status));
		free(path);
		return 2;
	}
	output_init(&out, o);
	switch (o->mode) {
	case MODE_APROPOS:
		rc = lookup_apropos(db, o, &out);
		break;
	case MODE_LIST:
		rc = lookup_list(db, o, &out);
		break;
	case MODE_REGEX:
		rc = regex_run(db, o, &out);
		break;
	case MODE_SHELL:
		rc = shell_run(db, o, &out);
		break;
	case MODE_COMPLETE:
		rc = complete_run(db, o, &out);
		break;
	case MODE_VERIFY:
		if (awn_db_verify(db, &err) != AWN_OK) {
			fprintf(stderr, "awsnote: %s\n", err.detail);
			rc = 2;
		} else {
			printf("%s: OK (%u sections)\n", path,
			       awn_db_count(db));
			rc = 0;
		}
		break;
	default:
		rc = lookup_show(db, o, &out);
		break;
	}
	if (output_finish(&out) < 0 && rc != 2) {
		fputs("awsnote: error writing output\n", stderr);
		rc = 2;
	}
	awn_db_free(db);
	free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	int rc;

	switch (options_parse(argc, argv, &o)) {
	case -1:
		options_free(&o);
		return 2;
	case 1:
		options_free(&o);
		return 0;
	}
	rc = run(&o);
	options_free(&o);
	return rc;
}
