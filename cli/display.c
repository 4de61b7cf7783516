/*
 * display.c - section paths and titles as they are shown, whole.
 *
 * Fixed buffers cut them: a title of 1,024 bytes lost its last one, and
 * deep paths or long document names lost more.  The library bounds a
 * path (AWN_PATH_MAX), and a title is as long as the blob lets it be, so
 * the buffer grows to what each one needs and is kept for the next.
 */
#include <stdlib.h>

#include "display.h"
#include "xmalloc.h"

#define DISPLAY_FIRST 256 /* bytes kept at first: most paths fit */

static void
display_grow(struct display *d, size_t need)
{
	if (need <= d->cap)
		return;
	if (need < DISPLAY_FIRST)
		need = DISPLAY_FIRST;
	free(d->data);
	d->data = xmalloc(need);
	d->cap = need;
}

const char *
display_path(struct display *d, const awn_db *db, uint32_t id, const char *sep)
{
	size_t n;

	display_grow(d, DISPLAY_FIRST);
	n = awn_db_path(db, id, sep, d->data, d->cap);
	if (n >= d->cap) {
		display_grow(d, n + 1);
		awn_db_path(db, id, sep, d->data, d->cap);
	}
	return d->data;
}

const char *
display_text(struct display *d, const char *s, size_t len)
{
	/* A byte becomes at most three (U+FFFD), plus the NUL. */
	display_grow(d, len < SIZE_MAX / 3 ? 3 * len + 1 : SIZE_MAX);
	awn_display_text(s, len, d->data, d->cap);
	return d->data;
}

const char *
display_title_words(struct display *d, const char *s, size_t len)
{
	if (len > AWN_PATH_MAX) {
		len = AWN_PATH_MAX;
		while (len > 0 && s[len - 1] != ' ')
			len--;
	}
	return display_text(d, s, len);
}

void
display_free(struct display *d)
{
	free(d->data);
	d->data = NULL;
	d->cap = 0;
}
