/*
 * histfile.h - where the shell keeps the lines typed into it between
 * sessions: $XDG_STATE_HOME/awsnote/history, by default
 * ~/.local/state/awsnote/history, private to the user (0600 in 0700
 * directories).  A history that cannot be read or written never stops
 * the shell: the first problem is reported once and the shell goes on.
 */
#ifndef HISTFILE_H
#define HISTFILE_H

#include <stdio.h>

#define HISTFILE_ENTRIES 1000 /* lines kept, oldest dropped first */

struct histfile {
	char *path;  /* owned; NULL when there is no home to keep it in */
	size_t root; /* how much of path must exist: the home directory,
	                or $XDG_STATE_HOME's parent */
	int warned;  /* a problem has been reported */
	int broken;  /* writing failed, or reading did (so writing would
	                lose it): do not write this session */
};

/* Work out the path from the environment. */
void histfile_init(struct histfile *hf);
void histfile_free(struct histfile *hf);

/*
 * Is there a history to load?  1 if the file exists, is not empty and
 * can be read; 0 if it does not exist, is empty, or cannot be read
 * (reported).
 */
int histfile_readable(struct histfile *hf);

/*
 * Replace the file with what WRITE puts into FP (returns 0 on success):
 * directories are created as needed, the text goes to a new private file
 * beside it that is then renamed over it, so a reader never sees half a
 * history.  WRITE runs with the directory locked (flock), so it may read
 * the file and write it back with a line added.  Returns 0, or -1
 * (reported once).
 */
int histfile_save(struct histfile *hf, int (*write)(void *ctx, FILE *fp),
                  void *ctx);

/* Report a problem with the history file, the first time only. */
void histfile_warn(struct histfile *hf, const char *what, int errnum);

#endif /* HISTFILE_H */
