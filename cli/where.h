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
 * Say on stderr, in one line, when FILE, section ID's, was edited after
 * the blob that records its lines was written (awn_db_source_newer): a
 * line where_of gives may then have moved.  Said once for each file of
 * a run of sections (the sections of a file come together), until
 * where_release.
 */
void where_say_newer(awn_db *db, uint32_t id, const char *file);

/* Forget what where_say_newer remembers: before exit, and before each
 * of the shell's lines (a file may change between them). */
void where_release(void);

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
/* The same followed by TAIL (NUL-terminated; NULL for none): -c's ":N". */
int where_print_tail(awn_db *db, uint32_t id, int with_path, const char *tail,
                     struct output *out);

/* The largest file -e --where reads (the Markdown reader's limit). */
#define WHERE_FILE_MAX ((size_t)1 << 30)

/*
 * The line in its file of each stored line of a section, for -e
 * --where.  One document's file is read and kept at a time: -e searches
 * sections in order, so a file with many matches is read once.
 */
struct where_lines {
	uint32_t doc; /* whose file MAP holds (AWN_NONE: none) */
	char *file;   /* its path (malloc'd) */
	awn_linemap *map;
	int failed;       /* FILE could not be used for DOC (said): no MAP */
	uint32_t section; /* the section LINES are of (AWN_NONE) */
	const uint32_t *lines; /* the file's line of its stored line i+1 */
	size_t n;
};

void where_lines_init(struct where_lines *w);
void where_lines_free(struct where_lines *w);

/*
 * Make W's FILE and LINES those of section ID, whose stored text is
 * STORED/LEN: 0; 1 when its file cannot give them (cannot be read, is
 * no regular file, too large, or changed since the notes were compiled
 * from it), said in one line the first time only: the file's later
 * sections are given up without reading it again, as grep goes on
 * past a file it cannot read; 2 said in one line when no file can be
 * told (the notes do not record it, or are damaged) or memory ran out.
 */
int where_lines_of(struct where_lines *w, awn_db *db, uint32_t id,
                   const char *stored, size_t len);

/*
 * Open section ID's file at its heading in $VISUAL, else $EDITOR, else
 * vi ("+LINE FILE", the command split at blanks, no shell), and wait
 * for it, the terminal its own meanwhile.  0 when it ran and exited 0;
 * 1 when it ran but failed (a status, a signal: said in one line), so
 * that the file may have been saved; 2, said in one line, when there is
 * no file to open (not recorded, or gone) or the editor cannot be run.
 */
int where_edit(awn_db *db, uint32_t id);

#endif /* WHERE_H */
