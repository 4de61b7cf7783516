/*
 * shell.h - the interactive shell (issue 5)
 */
#ifndef SHELL_H
#define SHELL_H

#include "awsnote.h"
#include "options.h"
#include "output.h"

/* Run the mode; returns the exit status (0 found, 1 nothing, 2 error). */
int shell_run(awn_db *db, const struct options *o, struct output *out);

#endif /* SHELL_H */
