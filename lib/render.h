/*
 * render.h - rich-text lines (richtext.h) to terminal or plain text.
 *
 * Plain mode (no flags) prints exactly the plain text that richtext.h
 * defines: one output line per stored line, no wrapping, no escapes.
 * Terminal mode adds SGR styles, bullets, hanging-indent wrapping,
 * aligned tables, and link references.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

#include "awsnote.h"

struct render_opts {
	unsigned flags; /* AWN_RENDER_STYLE, AWN_RENDER_WRAP */
	unsigned width; /* wrap width in columns (used with AWN_RENDER_WRAP) */
	/*
	 * Path of the section of the notes a link to DEST/LEN (its
	 * destination as written: "#anchor", "other.md#anchor", a URL)
	 * leads to: write it NUL-terminated into BUF (SIZE bytes) and return
	 * its full length, as awn_db_path does (at SIZE or more the renderer
	 * asks again with room for it), or return -1 when it leads nowhere
	 * in the notes.  May be NULL.
	 */
	int (*link_path)(void *ctx, const char *dest, size_t len, char *buf,
	                 size_t size);
	void *link_ctx;
};

/*
 * Render TEXT/LEN (whole rich-text lines) through WRITE.  Returns
 * AWN_ERR_IO if WRITE returned -1, AWN_ERR_NOMEM, or AWN_OK.
 */
awn_status render_text(const char *text, size_t len,
                       const struct render_opts *o, awn_write_fn write,
                       void *ctx);

/*
 * Render one heading: TEXT/LEN is a heading line's content (inline
 * markers allowed, no kind byte, no newline), LEVEL its level, and LABEL
 * (NUL-terminated, may be "") a number such as "2.3" to show before it.
 * Ends with a newline.
 */
awn_status render_heading(const char *text, size_t len, unsigned level,
                          const char *label, const struct render_opts *o,
                          awn_write_fn write, void *ctx);

/* Display width in columns of UTF-8 TEXT/LEN (wide = 2, combining = 0). */
size_t render_width(const char *text, size_t len);

#endif /* RENDER_H */
