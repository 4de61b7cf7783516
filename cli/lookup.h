/*
 * lookup.h - the one-shot modes: show a section, list matches, list all.
 * Each returns the exit status (0 found, 1 nothing found, 2 error).
 */
#ifndef LOOKUP_H
#define LOOKUP_H

#include "awsnote.h"
#include "options.h"
#include "output.h"

int lookup_show(awn_db *db, const struct options *o, struct output *out);
int lookup_apropos(awn_db *db, const struct options *o, struct output *out);
int lookup_list(awn_db *db, const struct options *o, struct output *out);

/* Print SECTION and its subsections as a lookup does. */
int lookup_print_section(awn_db *db, uint32_t id, struct output *out);

#endif /* LOOKUP_H */
