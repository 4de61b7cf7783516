/*
 * display.h - texts of the notes as they are shown, whole: section paths
 * and titles, made safe to print (awn_display_text) in a buffer that
 * grows to fit them.
 */
#ifndef DISPLAY_H
#define DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"

/* A buffer reused from text to text; zeroed to start, display_free'd. */
struct display {
	char *data; /* owned, NUL-terminated after a call */
	size_t cap;
};

/* Section ID's path (awn_db_path: at most AWN_PATH_MAX bytes), whole;
 * valid until D's next use. */
const char *display_path(struct display *d, const awn_db *db, uint32_t id,
                         const char *sep);

/* S/LEN as awn_display_text shows it, whole (up to three times LEN
 * bytes); valid until D's next use. */
const char *display_text(struct display *d, const char *s, size_t len);

/* Title S/LEN for its words (completion): whole up to AWN_PATH_MAX
 * bytes, more than any path shows of it; a hostile blob's longer title
 * is cut after its last space there, so that no word is cut in two.
 * Valid until D's next use. */
const char *display_title_words(struct display *d, const char *s, size_t len);

void display_free(struct display *d);

#endif /* DISPLAY_H */
