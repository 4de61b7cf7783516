/*
 * json.h - --json: JSON Lines for scripts, one object per line.
 *
 * Every object has a "type" and the section's "path" (an array of
 * titles, the document's name first when several are loaded) and
 * "anchor".  awsnote(1) lists the fields of each type.  Strings are
 * valid UTF-8 whatever the notes hold: control characters are escaped
 * and invalid bytes become \ufffd.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "display.h"
#include "options.h"
#include "output.h"

/* One object being built; reused from object to object. */
struct json {
	char *data; /* owned */
	size_t len, cap;
	int fields;          /* fields written so far in the current object */
	struct display path; /* a section's path, whole */
};

void json_init(struct json *j);
void json_free(struct json *j);

/* Start an object with its "type" field (TYPE is NUL-terminated). */
void json_begin(struct json *j, const char *type);
/* "path" and "anchor" of section ID. */
void json_section_fields(struct json *j, awn_db *db, uint32_t id);
/* A string field; S/LEN may hold any bytes. */
void json_string_field(struct json *j, const char *key, const char *s,
                       size_t len);
void json_uint_field(struct json *j, const char *key, unsigned long long v);
/* "matches": [[start,end],...] */
void json_matches_field(struct json *j, const awn_grep_match *m, size_t n);
/* "source": {"file": FILE, "line": LINE}, "file" left out when FILE is
 * NULL (notes that do not say). */
void json_source_field(struct json *j, const char *file, uint32_t line);
/* That of section ID's heading: 0, or 2 said (awn_db_source). */
int json_section_source(struct json *j, awn_db *db, uint32_t id);
/* Close the object and write it as one line; -1 if writing failed. */
int json_end(struct json *j, struct output *out);

/*
 * The keyword modes with --json; each returns the exit status.
 * json_show: one "section" object for section ID, with its level,
 * title and plain text, and its subsections (at any depth, in order)
 * as objects with the same members in "subsections".
 * json_apropos: one "hit" per hit, best first, with score and summary.
 * json_list: one "section" (path, anchor, level) per section from FIRST
 * up to END (of -d's document only, if given).
 * With WHERE (--where), each object (a subsection too) also has
 * "source": {"file": ..., "line": ...}, "file" left out where the notes
 * do not say; a blob without that record is an error (exit 2, said).
 */
int json_show(awn_db *db, uint32_t id, int where, struct output *out);
int json_apropos(awn_db *db, const awn_hits *hits, int where,
                 struct output *out);
int json_list(awn_db *db, uint32_t first, uint32_t end, int where,
              struct output *out);

#endif /* JSON_H */
