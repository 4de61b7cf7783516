/*
 * regex.h - -e: grep-style regex search over the notes (issue 4)
 */
#ifndef REGEX_H
#define REGEX_H

#include "awsnote.h"
#include "options.h"
#include "output.h"

/* Run the mode; returns the exit status (0 found, 1 nothing, 2 error). */
int regex_run(awn_db *db, const struct options *o, struct output *out);

#endif /* REGEX_H */
