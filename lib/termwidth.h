/*
 * termwidth.h - terminal display width of Unicode code points.
 *
 * Private to the renderer: render_width() in render.h is the public
 * entry, and it also decides how control characters and invalid bytes
 * count.
 */
#ifndef TERMWIDTH_H
#define TERMWIDTH_H

#include <stdint.h>

/*
 * Columns a printable code point takes in a terminal: 0 for combining
 * marks and zero-width format characters, 2 for East Asian Wide and
 * Fullwidth characters (CJK, Hangul, fullwidth forms, most emoji), 1 for
 * everything else.  Controls are the caller's business.
 */
int termwidth_codepoint(uint32_t cp);

#endif /* TERMWIDTH_H */
