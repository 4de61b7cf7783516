/*
 * complete.h - --complete: candidates for shell completion scripts (issue 6)
 */
#ifndef COMPLETE_H
#define COMPLETE_H

#include "awsnote.h"
#include "options.h"
#include "output.h"

/* Run the mode; returns the exit status (0 found, 1 nothing, 2 error). */
int complete_run(awn_db *db, const struct options *o, struct output *out);

#endif /* COMPLETE_H */
