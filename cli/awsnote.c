/*
 * awsnote.c - main program: find the notes, dispatch on the mode, turn
 * library errors into one line on stderr and grep-like exit statuses.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_SYS_AUXV_H
#include <sys/auxv.h>
#endif

#include "awsnote.h"
#include "build.h"
#include "installdirs.h" /* made by make: PKGDATADIR, PKGLIBEXECDIR */
#include "complete.h"
#include "progress.h"
#include "lookup.h"
#include "options.h"
#include "output.h"
#include "paths.h"
#include "regex.h"
#include "shell.h"
#include "where.h"
#include "xmalloc.h"

#define BLOB_NAME "awsnote.blob"

/*
 * This program's path into EXE (SIZE bytes): the name it was run by,
 * which the kernel hands every process (AT_EXECFN), unless that is a
 * symbolic link; else /proc/self/exe.  A process's first readlink of
 * /proc/self/exe costs 20-28 us here (procfs makes the entries of the
 * new process), 3% of a whole lookup.
 */
static int
program_path(char *exe, size_t size)
{
	ssize_t n;
#if defined(HAVE_GETAUXVAL) && defined(AT_EXECFN)
	const char *fn = (const char *)getauxval(AT_EXECFN);
	struct stat st;

	if (fn != NULL && strlen(fn) < size && lstat(fn, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		strcpy(exe, fn);
		return 0;
	}
#endif
	n = readlink("/proc/self/exe", exe, size - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	return 0;
}

/*
 * The directory of this program when it runs uninstalled in a build tree
 * (config.status beside cli/), else NULL.  Caller frees.
 */
static char *
build_tree_dir(void)
{
	char exe[PATH_MAX], *dir, *marker;

	if (program_path(exe, sizeof(exe)) != 0)
		return NULL;
	dir = dirname(exe);
	marker = xconcat(dir, "/../config.status");
	if (access(marker, F_OK) != 0) {
		free(marker);
		return NULL;
	}
	free(marker);
	return xstrdup(dir);
}

/*
 * Path P/N of a variable, with a leading "~" or "~/" made $HOME's, as
 * the shell does in an assignment but not in quotes
 * (export AWSNOTE_PATH="~/notes") nor in environment.d files.  "~user"
 * is left as it is.  Malloc'd.
 */
static char *
home_path(const char *p, size_t n)
{
	const char *home = getenv("HOME");

	if (n > 0 && p[0] == '~' && (n == 1 || p[1] == '/') && home != NULL &&
	    home[0] == '/')
		return xasprintf("%s%.*s", home, (int)(n - 1), p + 1);
	return xasprintf("%.*s", (int)n, p);
}

/*
 * The build tree's blob, DIR/../share/awsnote.blob, as --verify and
 * errors print it: without "cli/.." when DIR's last component is a
 * directory of its own (not a symbolic link, "." or ".."), whose parent
 * is then the directory the rest of DIR names.  Malloc'd.
 */
static char *
build_tree_blob(const char *dir)
{
	const char *slash = strrchr(dir, '/'), *last = slash ? slash + 1 : dir;
	struct stat st;

	if (*last && strcmp(last, ".") != 0 && strcmp(last, "..") != 0 &&
	    lstat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return slash ? xasprintf("%.*s/share/" BLOB_NAME,
		                         (int)(slash - dir), dir)
		             : xstrdup("share/" BLOB_NAME);
	return xconcat(dir, "/../share/" BLOB_NAME);
}

/* The default notes: $AWSNOTE_FILE, the build tree's, the installed. */
static char *
default_notes(void)
{
	const char *env = getenv("AWSNOTE_FILE");
	char *dir;

	if (env && *env) /* xstrdup: no printf machinery for a lookup */
		return env[0] == '~' ? home_path(env, strlen(env))
		                     : xstrdup(env);
	if ((dir = build_tree_dir()) != NULL) {
		char *path = build_tree_blob(dir);
		free(dir);
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return xstrdup(PKGDATADIR "/" BLOB_NAME);
}

#if defined(HAVE_LIBEDIT) && !defined(WITH_LINE_EDITOR)
/*
 * The shell on a terminal runs in awsnote-shell, the same program linked
 * with libedit, so that no other use of awsnote pays for loading libedit.
 * Returns only on failure, with the exit status.
 */
static int
exec_line_editor(char **argv)
{
	char *dir = build_tree_dir(), *path;

	path = dir ? xasprintf("%s/awsnote-shell", dir)
	           : xstrdup(PKGLIBEXECDIR "/awsnote-shell");
	free(dir);
	execv(path, argv);
	fprintf(stderr, "awsnote: cannot start the shell %s: %s\n", path,
	        strerror(errno));
	free(path);
	return 2;
}
#endif

/*
 * Blobs are mapped, and a blob truncated while it is mapped (rebuilt in
 * place by cp, say: awsnote-index itself renames a new file over the old)
 * makes the next read of a lost page raise SIGBUS.  Say so and exit 2,
 * naming the notes when there is one file.
 */
static const char *sigbus_notes;

static void
on_sigbus(int sig)
{
	static const char what[] = " changed while it was read (truncated?)\n";
	const char *p = sigbus_notes ? sigbus_notes : "a notes file";

	(void)sig;
	(void)!write(STDERR_FILENO, "awsnote: ", 9);
	(void)!write(STDERR_FILENO, p, strlen(p));
	if (sigbus_notes)
		(void)!write(STDERR_FILENO, ":", 1);
	(void)!write(STDERR_FILENO, what, sizeof(what) - 1);
	_exit(2);
}

/*
 * The notes to open: every -f; without -f the default notes plus each
 * entry of $AWSNOTE_PATH (colon-separated, like MANPATH).  Returns the
 * count, or -1 after a message when they are more than MAX; the strings
 * in PATHS are owned by the caller.
 */
static long
find_notes(const struct options *o, char **paths, size_t max)
{
	const char *env = getenv("AWSNOTE_PATH"), *p, *colon;
	size_t n = 0, i;

	if (o->nfiles > 0) { /* options.c keeps them under MAX_FILES */
		for (i = 0; i < o->nfiles && n < max; i++)
			paths[n++] = xstrdup(o->files[i]);
		return (long)n;
	}
	paths[n++] = default_notes();
	for (p = env; p && *p; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		i = colon ? (size_t)(colon - p) : strlen(p);
		if (i == 0)
			continue;
		if (n == max) {
			fprintf(
			    stderr,
			    "awsnote: AWSNOTE_PATH: more than %zu entries\n",
			    max - 1);
			while (n > 0)
				free(paths[--n]);
			return -1;
		}
		paths[n++] = home_path(p, i);
	}
	return (long)n;
}

/*
 * Where notes given as Markdown are kept compiled: $AWSNOTE_CACHE_DIR
 * (set but empty: nowhere), else $XDG_CACHE_HOME/awsnote, else
 * ~/.cache/awsnote.  NULL for nowhere.  *ROOT: how much of it must
 * exist already (awn_db_open_cached): the variable's parent directory,
 * or the home directory, which a tool has no business making.  *NAMED:
 * whether $AWSNOTE_CACHE_DIR named it.
 */
static char *
cache_dir(size_t *root, int *named)
{
	const char *env = getenv("AWSNOTE_CACHE_DIR"), *xdg, *home;

	*named = env != NULL && env[0] != '\0';
	if (env != NULL) {
		*root = parent_length(env);
		return env[0] ? xstrdup(env) : NULL;
	}
	/* xconcat, not xasprintf: every lookup runs this, and printf's
	 * machinery is a few thousand instructions of a ~460k lookup. */
	if ((xdg = getenv("XDG_CACHE_HOME")) != NULL && xdg[0] == '/') {
		*root = parent_length(xdg);
		return xconcat(xdg, "/awsnote");
	}
	if ((home = getenv("HOME")) != NULL && home[0] == '/') {
		*root = strlen(home);
		return xconcat(home, "/.cache/awsnote");
	}
	return NULL;
}

/*
 * The variable that named the notes an error DETAIL is about (it starts
 * with their path, or a file's below it), when that is AWSNOTE_FILE or
 * AWSNOTE_PATH rather than -f: a path set long ago in a profile is hard
 * to place otherwise.  NULL when -f named them, or none matches.  The
 * longest path that DETAIL starts with is the one: AWSNOTE_FILE=notes
 * does not name notes/extra.blob of AWSNOTE_PATH.
 */
static const char *
notes_variable(const struct options *o, char *const *paths, size_t n,
               const char *detail)
{
	const char *env = getenv("AWSNOTE_FILE");
	char shown[1024];
	size_t i, len, best = 0, longest = 0;

	if (o->nfiles > 0)
		return NULL;
	for (i = 0; i < n; i++) {
		len = awn_display_text(paths[i], strlen(paths[i]), shown,
		                       sizeof(shown));
		while (len > 1 && shown[len - 1] == '/')
			len--; /* "notes/" names notes/x.md too */
		if (len <= longest || strncmp(detail, shown, len) != 0 ||
		    (detail[len] != ':' && detail[len] != '/'))
			continue;
		best = i;
		longest = len;
	}
	if (longest == 0)
		return NULL;
	if (best > 0)
		return "AWSNOTE_PATH";
	return env != NULL && *env ? "AWSNOTE_FILE" : NULL;
}

/*
 * -d named nothing (NAME already safe to show).  -l names the documents
 * only when there are several: notes of one document get its name here
 * instead, or the hint would send the user to a list without it.  TAIL
 * ends the line ("" or "; ...").
 */
static void
no_such_doc(const awn_db *db, const char *name, const char *tail)
{
	char only[512];
	size_t len;
	const char *doc;

	if (awn_db_doc_count(db) != 1) {
		fprintf(stderr,
		        "awsnote: no document or directory named '%s' "
		        "(awsnote -l shows the names)%s\n",
		        name, tail);
		return;
	}
	doc = awn_db_doc_name(db, 0, &len);
	awn_display_text(doc, len, only, sizeof(only));
	fprintf(stderr,
	        "awsnote: no document or directory named '%s' (the notes "
	        "are one document, '%s')%s\n",
	        name, only, tail);
}

/*
 * A cache directory the user named (DIR, from $AWSNOTE_CACHE_DIR) that
 * keeps nothing makes every run compile the notes again: say why, once
 * a run (the shell opens the notes again after an edit).  One the user
 * did not name (a home directory that is read-only or gone) is passed
 * over in silence.
 */
static void
warn_cache(const awn_db *db, const char *dir)
{
	static int said;
	const char *why = awn_db_cache_problem(db);
	char shown[1024];

	if (said || why == NULL)
		return;
	said = 1;
	awn_display_text(dir, strlen(dir), shown, sizeof(shown));
	fprintf(stderr,
	        "awsnote: AWSNOTE_CACHE_DIR=%s: %s; Markdown notes are "
	        "compiled on every run\n",
	        shown, why);
}

/*
 * Open the notes at PATHS (N) as *DB, keeping to -d's documents: 0, or 2
 * with the error said on stderr, in one line that TAIL ends (NULL: not
 * said).
 */
static int
open_notes(const struct options *o, char *const *paths, size_t n, awn_db **out,
           const char *tail)
{
	awn_error err = {AWN_OK, ""};
	awn_db *db = NULL;
	size_t cache_root = 0;
	int cache_named;
	char *cache = cache_dir(&cache_root, &cache_named);
	struct progress building;

	/* Notes compiled for the first time may take seconds. */
	progress_init(&building, "awsnote: compiling notes");
	awn_db_on_build_progress(progress_update, &building);
	/* As awsnote-index builds by default (build.h). */
	awn_db_build_limits(BUILD_THREADS, BUILD_MEMORY, build_tmpdir());
	awn_status opened = awn_db_open_cached(&db, (const char *const *)paths,
	                                       n, cache, cache_root, &err);

	progress_end(&building);
	awn_db_on_build_progress(NULL, NULL);
	if (opened == AWN_OK && tail != NULL && cache_named)
		warn_cache(db, cache);
	free(cache);
	if (opened != AWN_OK && tail == NULL)
		return 2;
	if (opened != AWN_OK) {
		const char *var = notes_variable(o, paths, n, err.detail);
		fprintf(stderr, "awsnote: %s%s%s%s%s\n",
		        err.detail[0] ? err.detail : awn_strerror(err.status),
		        var ? " (named by " : "", var ? var : "",
		        var ? ")" : "", tail);
		return 2;
	}
	if (o->doc) {
		uint32_t kept = 0;
		awn_status st =
		    awn_db_keep_docs(db, o->doc, strlen(o->doc), &kept);
		if ((st != AWN_OK || kept == 0) && tail != NULL) {
			char shown[512]; /* typed text can hold escapes */
			awn_display_text(o->doc, strlen(o->doc), shown,
			                 sizeof(shown));
			if (st != AWN_OK) /* kept is 0 then too */
				fprintf(stderr, "awsnote: %s%s\n",
				        awn_strerror(st), tail);
			else
				no_such_doc(db, shown, tail);
		}
		if (st != AWN_OK || kept == 0) {
			awn_db_free(db);
			return 2;
		}
	}
	*out = db;
	return 0;
}

/* The notes the shell reads, opened again when they change on disk. */
struct shell_notes {
	const struct options *o;
	char *const *paths;
	size_t n;
	uint64_t stamp; /* awn_notes_stamp when DB was opened */
	awn_db *db;
};

/* The shell's refresh (shell.h): a note edited in another window is
 * what the next lookup shows, not what the shell started with. */
static int
refresh_notes(void *ctx, awn_db **db, int quiet)
{
	struct shell_notes *sn = ctx;
	const char *tail;
	uint64_t now;
	awn_db *fresh;

	awn_notes_stamp((const char *const *)sn->paths, sn->n, &now);
	if (now == sn->stamp)
		return 0;
	tail = quiet ? NULL : "; the shell keeps the notes as they were";
	if (open_notes(sn->o, sn->paths, sn->n, &fresh, tail) != 0) {
		/* Said once, not at every line: until the notes open
		 * again, the old ones answer.  Unsaid, tried again. */
		if (!quiet)
			sn->stamp = now;
		return -1;
	}
	sn->stamp = now;
	awn_db_free(sn->db);
	*db = sn->db = fresh;
	output_error_db(fresh);
	return 1;
}

static int
run(const struct options *o)
{
	awn_error err; /* --verify's, made empty there: a lookup does not
	                  pay for clearing it */
	struct output out;
	awn_db *db = NULL;
	char *paths[MAX_FILES + 1]; /* -f, or the default and AWSNOTE_PATH */
	long found = find_notes(o, paths, sizeof(paths) / sizeof(*paths));
	size_t npaths = found < 0 ? 0 : (size_t)found, i;
	struct shell_notes notes = {o, paths, npaths, 0, NULL};
	int rc;

	if (found < 0)
		return 2;
	sigbus_notes = npaths == 1 ? paths[0] : NULL;
	/* signal(), one library call: a lookup pays ~850 instructions to
	 * bind each function it calls for the first time. */
	(void)signal(SIGBUS, on_sigbus);
	/* Before the notes are read, so that an edit made while they
	 * compile is seen. */
	if (o->mode == MODE_SHELL)
		awn_notes_stamp((const char *const *)paths, npaths,
		                &notes.stamp);
	if (open_notes(o, paths, npaths, &db, "") != 0) {
		sigbus_notes = NULL;
		for (i = 0; i < npaths; i++)
			free(paths[i]);
		return 2;
	}
	output_init(&out, o);
	output_error_db(db);
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
		notes.db = db;
		rc = shell_run(db, o, &out, refresh_notes, &notes);
		db = notes.db;
		break;
	case MODE_COMPLETE:
		rc = complete_run(db, o, &out);
		break;
	case MODE_VERIFY:
		err.status = AWN_OK;
		err.detail[0] = '\0';
		if (awn_db_verify(db, &err) != AWN_OK) {
			rc = output_error(&err);
		} else {
			char shown[1024]; /* a file name may hold escapes */
			for (i = 0; i < npaths; i++) {
				awn_display_text(paths[i], strlen(paths[i]),
				                 shown, sizeof(shown));
				if (npaths == 1)
					printf("%s: OK (%u sections)\n", shown,
					       awn_db_count(db));
				else
					printf("%s: OK\n", shown);
			}
			if (npaths > 1)
				printf("all: OK (%u sections)\n",
				       awn_db_count(db));
			rc = 0;
		}
		break;
	default:
		rc = lookup_show(db, o, &out);
		break;
	}
	if (output_finish(&out) < 0) {
		if (out.err != 0 && rc != 2) /* else a failed pager, told */
			fprintf(stderr, "awsnote: error writing output: %s\n",
			        strerror(out.err));
		rc = 2;
	}
	/* A kept blob damaged on disk is dropped by output_error, which
	 * reports every error read from the notes: not verified again
	 * here for each exit status 2 (a pager that failed, say). */
	output_error_db(NULL);
	where_release();
	awn_db_free_at_exit(db); /* main returns next */
	sigbus_notes = NULL;
	for (i = 0; i < npaths; i++)
		free(paths[i]);
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
	case 1: /* --help or --version printed */
		options_free(&o);
		errno = 0;
		if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE) {
			fprintf(stderr, "awsnote: error writing output: %s\n",
			        strerror(errno ? errno : EIO));
			return 2;
		}
		return 0;
	}
	if (o.mode == MODE_REGEX && o.max_zero) {
		/* grep's -m 0: no line is wanted, so none is read. */
		options_free(&o);
		return 1;
	}
#if defined(HAVE_LIBEDIT) && !defined(WITH_LINE_EDITOR)
	if (o.mode == MODE_SHELL && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO)) {
		options_free(&o);
		return exec_line_editor(argv);
	}
#endif
	rc = run(&o);
	options_free(&o);
	return rc;
}
