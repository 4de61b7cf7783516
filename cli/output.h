/*
 * output.h - where awsnote's output goes and how it looks: plain text in
 * a pipe; styles, wrapping and a pager on a terminal.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "awsnote.h"
#include "options.h"

#define SUMMARY_MAX 160 /* bytes of a -k line's summary, with its NUL */

struct output {
	FILE *fp;                 /* stdout, or the pager's pipe */
	pid_t pager;              /* pager process, or 0 */
	char *pager_cmd;          /* its command, for messages (owned) */
	struct sigaction keys[2]; /* SIGINT, SIGQUIT before it started */
	int tty;                  /* stdout is a terminal */
	awn_render_opts render;
	int failed;   /* a write failed (EPIPE from a quit pager) */
	int err;      /* errno of the first failed write, or 0 */
	char last[2]; /* last two bytes written, for blank-line logic */
};

/* Decide styles and width from the options and the environment. */
void output_init(struct output *out, const struct options *o);

/* On a terminal (and unless --no-pager), send output through the pager;
 * once: later calls do nothing.  A pager that cannot be started is
 * reported (once a process) and the output printed directly.  While it
 * runs, SIGINT and SIGQUIT are ignored where nothing handles them: the
 * keys are the pager's, as with man. */
void output_start_pager(struct output *out, const struct options *o);

/* In a child process: exec ARGV (by $PATH); failing that, write the
 * errno to REPORT (the write end of a close-on-exec pipe, whose reader
 * gets nothing when the exec worked) and _exit(127). */
void output_exec(char **argv, int report) __attribute__((noreturn));

/* awn_write_fn over struct output. */
int output_write(void *ctx, const char *data, size_t len);
void output_puts(struct output *out, const char *s);
void output_printf(struct output *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Start a new paragraph: end the current line and leave one blank line. */
void output_blank_line(struct output *out);
/* SGR sequence if styles are on, else "". */
const char *output_sgr(const struct output *out, const char *seq);

/* Print a library error as one line on stderr; returns exit status 2.
 * A damaged blob of DB's cache (output_error_db) is removed and the line
 * says so. */
int output_error(const awn_error *err);

/* The notes whose damaged kept blobs output_error removes (NULL: none). */
void output_error_db(awn_db *db);

/* Flush, close the pager and wait for it; -1 if writing failed, with
 * the reason in out->err.  A reader that went away (EPIPE, when SIGPIPE
 * is ignored) or a pager that quit is no failure: 0, and out->err is
 * EPIPE or 0.  A pager that exits with a status other than 0 or is
 * killed is: said here on stderr, and -1 with out->err 0. */
int output_finish(struct output *out);

#endif /* OUTPUT_H */
