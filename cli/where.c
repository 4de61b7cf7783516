/*
 * where.c - where a section was written, for a user who wants to fix it:
 * --where prints FILE:LINE as grep -n and man -w would, and the shell
 * opens the file there in the user's editor.
 *
 * The editor runs as the pager does (output.c): its variable split at
 * blanks, no shell, so a file name with blanks or quotes is one
 * argument whatever it holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "display.h"
#include "where.h"
#include "xmalloc.h"

#define DEFAULT_EDITOR "vi"
#define EDITOR_ARGS    32

/* Section ID's source into *SRC, with its file unless only LINE is
 * wanted: 0, or 2 said. */
static int
source_of(awn_db *db, uint32_t id, int file, awn_source *src)
{
	awn_error err = {AWN_OK, ""};
	struct display d = {NULL, 0};

	if (awn_db_source(db, id, src, &err) != AWN_OK)
		return output_error(&err);
	if (src->dir_len > 0 || !file)
		return 0;
	/* Only notes a program gave the library as bytes, not a file. */
	fprintf(stderr,
	        "awsnote: %s: the notes do not say which file it was read "
	        "from\n",
	        display_path(&d, db, id, " > "));
	display_free(&d);
	return 2;
}

/* The last file where_say_newer looked at: the sections of a file come
 * together, and -l --where may list a hundred thousand. */
static char *last_file;

void
where_release(void)
{
	free(last_file);
	last_file = NULL;
}

/* where_of as the blob records it, without a word on its file. */
static int
recorded_where(awn_db *db, uint32_t id, char **file, uint32_t *line)
{
	awn_source src;
	size_t n;
	int rc;

	*file = NULL;
	if ((rc = source_of(db, id, 1, &src)) != 0)
		return rc;
	n = awn_source_path(&src, NULL, 0);
	*file = xmalloc(n + 1);
	awn_source_path(&src, *file, n + 1);
	*line = src.line;
	return 0;
}

void
where_say_newer(awn_db *db, uint32_t id, const char *file)
{
	struct display d = {NULL, 0};

	if (last_file != NULL && strcmp(last_file, file) == 0)
		return;
	free(last_file);
	last_file = xstrdup(file);
	if (awn_db_source_newer(db, id, file)) {
		fprintf(stderr,
		        "awsnote: %s: changed since the notes were compiled "
		        "from it; its lines may have moved (compile them "
		        "again)\n",
		        display_text(&d, file, strlen(file)));
		display_free(&d);
	}
}

int
where_of(awn_db *db, uint32_t id, char **file, uint32_t *line)
{
	int rc;

	if ((rc = recorded_where(db, id, file, line)) == 0)
		where_say_newer(db, id, *file);
	return rc;
}

int
where_check(awn_db *db, uint32_t first, uint32_t end, int file)
{
	awn_source src;
	awn_section s;
	uint32_t i;
	int rc;

	for (i = first; i < end; i++)
		if (awn_db_section_tree(db, i, &s) == AWN_OK &&
		    awn_db_doc_kept(db, s.doc) &&
		    (rc = source_of(db, i, file, &src)) != 0)
			return rc;
	return 0;
}

int
where_print_tail(awn_db *db, uint32_t id, int with_path, const char *tail,
                 struct output *out)
{
	struct display d = {NULL, 0};
	uint32_t line;
	char *file;
	int rc;

	if ((rc = where_of(db, id, &file, &line)) != 0)
		return rc;
	/* Shown safe: a file name, like a title, may hold escapes. */
	output_printf(out, "%s:%lu", display_text(&d, file, strlen(file)),
	              (unsigned long)line);
	if (with_path)
		output_printf(out, ":%s", display_path(&d, db, id, " > "));
	output_printf(out, "%s\n", tail ? tail : "");
	display_free(&d);
	free(file);
	return 0;
}

int
where_print(awn_db *db, uint32_t id, int with_path, struct output *out)
{
	return where_print_tail(db, id, with_path, NULL, out);
}

void
where_lines_init(struct where_lines *w)
{
	memset(w, 0, sizeof(*w));
	w->doc = AWN_NONE;
	w->section = AWN_NONE;
}

void
where_lines_free(struct where_lines *w)
{
	awn_linemap_free(w->map);
	free(w->file);
	where_lines_init(w);
}

/* FILE opened with FLAGS, as open(2) does; past PATH_MAX, where the walk
 * that compiled it could reach it, one directory at a time. */
static int
open_far(const char *file, int flags)
{
	const char *name = file, *slash;
	char part[NAME_MAX + 1];
	int fd, dfd, next, saved;
	size_t n;

	if ((fd = open(file, flags)) >= 0 || errno != ENAMETOOLONG)
		return fd;
	dfd = *name == '/' ? open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
	                   : AT_FDCWD;
	while (dfd != -1 && (slash = strchr(name, '/')) != NULL) {
		n = (size_t)(slash - name);
		if (n > NAME_MAX) {
			next = -1;
			errno = ENAMETOOLONG;
		} else if (n == 0) {
			name++;
			continue;
		} else {
			memcpy(part, name, n);
			part[n] = '\0';
			next = openat(dfd, part,
			              O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (dfd != AT_FDCWD) {
			saved = errno;
			close(dfd);
			errno = saved;
		}
		dfd = next;
		name = slash + 1;
	}
	if (dfd == -1)
		return -1;
	fd = openat(dfd, name, flags);
	if (dfd != AT_FDCWD) {
		saved = errno;
		close(dfd);
		errno = saved;
	}
	return fd;
}

/* A regular file's bytes, at most MAX + 1 of them (a larger file is
 * the reader's to refuse), into *DATA (malloc'd): 0, -1 with errno, or
 * -2 for no regular file: a damaged blob may name anything, and a FIFO
 * is not waited for (not even to open it), a device not read. */
static int
read_whole(const char *file, size_t max, char **data, size_t *len)
{
	size_t cap, n = 0;
	struct stat sb;
	ssize_t got;
	int fd, saved;
	char *p;

	if ((fd = open_far(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return -1;
	if (fstat(fd, &sb) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return -2;
	}
	/* Its size and a byte, to see the end; more if it grows. */
	cap = (uintmax_t)sb.st_size < max ? (size_t)sb.st_size + 1 : max + 1;
	p = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > max) /* one byte over says too large */
				break;
			cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			p = xreallocarray(p, cap, 1);
		}
		got = read(fd, p + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				break;
			saved = errno;
			close(fd);
			free(p);
			errno = saved;
			return -1;
		}
		n += (size_t)got;
	}
	close(fd);
	*data = p;
	*len = n;
	return 0;
}

/* Document DOC's file, FILE (now W's), read into W's map: 0; 1 said
 * when the file cannot be used (W remembers it); 2 said when memory
 * ran out. */
static int
load_map(struct where_lines *w, uint32_t doc, char *file)
{
	awn_error err = {AWN_OK, ""};
	struct display d = {NULL, 0};
	char *data = NULL;
	size_t len = 0;
	int rc = 0;

	where_lines_free(w);
	w->file = file;
	if ((rc = read_whole(file, WHERE_FILE_MAX, &data, &len)) < 0) {
		fprintf(stderr,
		        "awsnote: %s: %s (the notes were compiled "
		        "from it)\n",
		        display_text(&d, file, strlen(file)),
		        rc == -1 ? strerror(errno) : "not a regular file");
		rc = 1;
	} else if (awn_linemap_new(&w->map, data, len, &err) != AWN_OK) {
		fprintf(stderr, "awsnote: %s: %s\n",
		        display_text(&d, file, strlen(file)),
		        err.detail[0] ? err.detail : awn_strerror(err.status));
		/* Too large or past a limit is this file's; no memory is
		 * every file's. */
		rc = err.status == AWN_ERR_NOMEM ? 2 : 1;
	}
	free(data);
	display_free(&d);
	w->doc = doc;
	w->failed = rc != 0;
	return rc;
}

int
where_lines_of(struct where_lines *w, awn_db *db, uint32_t id,
               const char *stored, size_t len)
{
	struct display d = {NULL, 0};
	awn_section s;
	uint32_t line;
	char *file;
	int rc;

	if (id == w->section)
		return 0;
	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return 2;
	/* The file is read again, and a change found, below. */
	if ((rc = recorded_where(db, id, &file, &line)) != 0)
		return rc;
	if (s.doc != w->doc || strcmp(file, w->file) != 0) {
		if ((rc = load_map(w, s.doc, file)) != 0)
			return rc;
	} else {
		free(file);
		if (w->failed) /* said once, not read again */
			return 1;
	}
	if (awn_linemap_section(w->map, id - awn_db_doc_first(db, s.doc),
	                        stored, len, line, &w->lines,
	                        &w->n) != AWN_OK) {
		fprintf(stderr,
		        "awsnote: %s: changed since the notes were compiled "
		        "from it; compile them again\n",
		        display_text(&d, w->file, strlen(w->file)));
		display_free(&d);
		/* The file failed, as a file grep cannot read: its later
		 * sections are left out too, and it is named once. */
		awn_linemap_free(w->map);
		w->map = NULL;
		w->failed = 1;
		w->section = AWN_NONE;
		w->lines = NULL;
		w->n = 0;
		return 1;
	}
	w->section = id;
	return 0;
}

/* The editor's command: $VISUAL, else $EDITOR (blanks alone: unset). */
static const char *
editor_command(void)
{
	const char *vars[] = {"VISUAL", "EDITOR"}, *cmd;
	size_t i;

	for (i = 0; i < 2; i++)
		if ((cmd = getenv(vars[i])) != NULL &&
		    cmd[strspn(cmd, " \t")] != '\0')
			return cmd;
	return DEFAULT_EDITOR;
}

/* Run ARGV and wait for it, our keyboard signals ignored meanwhile (as
 * system(3) does): a Ctrl-C is the editor's. */
static int
run_editor(char **argv, const char *cmd)
{
	struct display d = {NULL, 0};
	struct sigaction ign, old_int, old_quit;
	int status = 0, report[2], err = 0;
	pid_t pid;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	/* A close-on-exec pipe tells us whether exec worked. */
	if (pipe2(report, O_CLOEXEC) < 0) {
		fprintf(stderr, "awsnote: cannot run the editor: %s\n",
		        strerror(errno));
		return 2;
	}
	fflush(stdout);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	if ((pid = fork()) == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		close(report[0]);
		output_exec(argv, report[1]);
	}
	close(report[1]);
	if (pid > 0) {
		if (read(report[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
			err = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		err = errno;
	}
	close(report[0]);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (err != 0) {
		fprintf(stderr, "awsnote: the editor '%s' cannot be run: %s\n",
		        display_text(&d, cmd, strlen(cmd)), strerror(err));
		display_free(&d);
		return 2;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fprintf(stderr,
		        "awsnote: the editor '%s' exited with status "
		        "%d\n",
		        display_text(&d, cmd, strlen(cmd)),
		        WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr,
		        "awsnote: the editor '%s' was killed by "
		        "signal %d\n",
		        display_text(&d, cmd, strlen(cmd)), WTERMSIG(status));
	else
		return 0;
	display_free(&d);
	return 1;
}

int
where_edit(awn_db *db, uint32_t id)
{
	struct display d = {NULL, 0};
	const char *cmd = editor_command();
	char *argv[EDITOR_ARGS + 3], *copy, *tok, *save = NULL, *file;
	char at[16];
	struct stat sb;
	uint32_t line;
	int rc, argc = 0;

	if ((rc = where_of(db, id, &file, &line)) != 0)
		return rc;
	if (stat(file, &sb) < 0) {
		fprintf(stderr,
		        "awsnote: %s: %s (the notes were compiled "
		        "from it)\n",
		        display_text(&d, file, strlen(file)), strerror(errno));
		display_free(&d);
		free(file);
		return 2;
	}
	copy = xstrdup(cmd);
	for (tok = strtok_r(copy, " \t", &save); tok && argc < EDITOR_ARGS;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	snprintf(at, sizeof(at), "+%lu", (unsigned long)line);
	argv[argc++] = at;
	argv[argc++] = file;
	argv[argc] = NULL;
	rc = run_editor(argv, cmd);
	free(copy);
	free(file);
	return rc;
}
