/*
 * where.h - where a section was written: --where's FILE:LINE, and the
 * shell's :where and :edit.
 */
#ifndef WHERE_H
#define WHERE_H

#include <stdint.h>

#include "awsnote.h"
#include "output.h"

/*
 * Section ID's file (malloc'd, NUL-terminated, bytes as stored: the
 * caller frees it) into *FILE and its heading's line into *LINE: 0; 2
 * with one line said on stderr when the notes do not record it (a blob
 * written before they did) or the record is damaged.
 */
int where_of(awn_db *db, uint32_t id, char **file, uint32_t *line);

/*
 * Whether sections FIRST to END-1 (those of documents -d keeps) have a
 * record of where they were written, with FILE their file too (--json
 * does without): 0, or 2 said as where_of says it.  Checked before a
 * listing prints anything, so that notes of an old blob among others
 * fail it whole, not half way.
 */
int where_check(awn_db *db, uint32_t first, uint32_t end, int file);

/* "FILE:LINE", and with WITH_PATH ":" and the section's path, as a line
 * of OUT: 0, or 2 as where_of. */
int where_print(awn_db *db, uint32_t id, int with_path, struct output *out);

/*
 * Open section ID's file at its heading in $VISUAL, else $EDITOR, else
 * vi ("+LINE FILE", the command split at blanks, no shell), and wait
 * for it, the terminal its own meanwhile.  0 when it ran (whatever it
 * exited with, which is said); 2, said in one line, when there is no
 * file to open (not recorded, or gone) or the editor cannot be run.
 */
int where_edit(awn_db *db, uint32_t id);

#endif /* WHERE_H */
