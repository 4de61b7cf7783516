/*
 * shell.h - the shell (awsnote -i): one session of lookups and moves
 * between sections, fed line by line by a front end - libedit on a
 * terminal (shell-edit.c), plain reads from a pipe or file (shell.c).
 */
#ifndef SHELL_H
#define SHELL_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "awsnote.h"
#include "options.h"
#include "output.h"

/*
 * Opens the notes again if they changed on disk since *DB was opened:
 * 1 with *DB replaced (the old one freed), 0 when unchanged, -1 when
 * they changed but could not be opened (said on stderr unless QUIET;
 * *DB stays).
 */
typedef int shell_refresh_fn(void *ctx, awn_db **db, int quiet);

/* Run the mode; returns the exit status (0 found, 1 nothing, 2 error).
 * Before each line, REFRESH (if not NULL) is called with CTX. */
int shell_run(awn_db *db, const struct options *o, struct output *out,
              shell_refresh_fn *refresh, void *ctx);

#define SHELL_LINE_MAX 4096 /* longest command line, in bytes */
#define SHELL_BACK_MAX 100  /* sections :back remembers */

struct shell {
	awn_db *db;                /* not owned; replaced by refresh */
	shell_refresh_fn *refresh; /* or NULL */
	void *refresh_ctx;
	/* Batch mode: no check before this time (CLOCK_MONOTONIC, ns),
	 * set when a check of many files took long. */
	int64_t refresh_next;
	unsigned reopened; /* times the notes were opened again */
	int tell_reopened; /* ... and results or sections were dropped */
	struct options o;  /* the user's options, adjusted to the front end;
	                      o.query is not owned */
	int interactive;   /* a person at a terminal: prompts, paging, hints */
	awn_hits *hits; /* the last lookup's ranked results (owned), or NULL */
	uint32_t cur;   /* the section on show, or AWN_NONE */
	uint32_t back[SHELL_BACK_MAX]; /* sections shown before, oldest first */
	size_t nback;
	int printed; /* batch mode: an answer is out, the next goes apart */
	int wrote;   /* the current command has written to stdout */
	int quit;    /* :quit was given */
	const char *first; /* a line to carry out before reading any
	                      (awsnote -i WORDS), or NULL; not owned */
	/* The front end's Ctrl-C flag, or NULL: once set, the command's
	   output stops and the command ends at its next write. */
	volatile sig_atomic_t *interrupted;
	FILE *fp; /* the command's stdout stream, while it runs */
};

/*
 * Carry out one line: a lookup, a result number, /PATTERN or a :command
 * (LINE is NUL-terminated, without its newline).  Returns 0 when it found
 * or did what was asked, 1 when it found nothing (or there was nowhere to
 * go), 2 on an error (a bad command, an unreadable blob).
 */
int shell_exec(struct shell *sh, const char *line);

/* Open the notes again if they changed on disk (sh->refresh); the
 * results, the section on show and :back's list then start afresh.
 * QUIET: notes that fail to open are not said (a Tab, in the middle of
 * the line being edited), and are tried again next time. */
void shell_refresh(struct shell *sh, int quiet);

/* The greeting of the shell at a terminal, wrapped to its width. */
void shell_greet(struct shell *sh);

/* Name of command I (without the ':'), in sorted order; NULL past the end. */
const char *shell_command_name(size_t i);

/* Does the command NAME/LEN (without the ':'; a prefix only it has will
 * do) take words, as :toc does? */
int shell_command_takes_words(const char *name, size_t len);

/*
 * The libedit front end (shell-edit.c, only when built with libedit):
 * prompt, edit, complete and remember lines until :quit or Ctrl-D.
 * Returns the exit status.
 */
int shell_edit_run(struct shell *sh);

#endif /* SHELL_H */
