/*
 * richtext.h - the text form in which section bodies are stored.
 *
 * The Markdown reader (markdown.c) produces it, the blob stores it, and the
 * renderer, the tokenizer and the regex search read it, so none of them
 * needs to parse Markdown again.  It is line-oriented UTF-8:
 *
 *   line    = kind prefix RT_PREFIX_END content '\n'
 *
 * kind is one RT_* byte below.  prefix is plain text: the indentation,
 * block-quote "> " marks and list markers ("* ", "12. ") that the line's
 * containers give it, so continuation lines of a list item carry spaces of
 * the marker's width (a hanging indent).  content is text with the inline
 * markers below (none in RT_CODE lines, whose content is verbatim).
 *
 * Control bytes 0x00-0x1f other than '\t' and '\n' never occur in note
 * text (the reader replaces them with U+FFFD), so markers are unambiguous.
 *
 * Plain text - what awsnote prints into a pipe and what regexes match -
 * is the line with the kind byte, RT_PREFIX_END and all inline markers
 * removed, a link's destination dropped, RT_CELL shown as " | ", and
 * (but in code) the blanks at its end dropped.
 */
#ifndef RICHTEXT_H
#define RICHTEXT_H

#include <stdint.h>

/* Line kinds (first byte of each line). */
/* '1'..'6': a heading of that level; its content is the title. */
#define RT_HEADING1 '1'
#define RT_HEADING6 '6'
#define RT_PARA     'P' /* first line of a paragraph (or list item text) */
#define RT_SOFT     'S' /* next line after a soft break: may be reflowed */
#define RT_HARD     'B' /* next line after a hard break: must start a line */
#define RT_CODE     'V' /* one verbatim line of a code block */
#define RT_THEAD    'T' /* table header row; cells separated by RT_CELL */
#define RT_TROW     't' /* table body row */
#define RT_RULE     'R' /* thematic break; content empty */
#define RT_BLANK                                                               \
	'E' /* empty line between blocks; content empty, the                   \
	     * prefix the quote marks of a shared quote */

/* Inline markers (in content). */
#define RT_STRONG_ON  '\x01'
#define RT_STRONG_OFF '\x02'
#define RT_EM_ON      '\x03'
#define RT_EM_OFF     '\x04'
#define RT_CODE_ON    '\x05'
#define RT_CODE_OFF   '\x06'
#define RT_DEL_ON     '\x07' /* strikethrough */
#define RT_DEL_OFF    '\x08'
#define RT_LINK       '\x0e' /* RT_LINK dest RT_LINK_TEXT text RT_LINK_END; */
#define RT_LINK_TEXT  '\x0f' /* dest is a URL, or "#anchor" for a link to */
#define RT_LINK_END   '\x10' /* a heading of the same document */
#define RT_CELL       '\x1e'
#define RT_PREFIX_END '\x1f'

#define RT_IS_HEADING(k) ((k) >= RT_HEADING1 && (k) <= RT_HEADING6)

/* Is C a line kind?  A line that starts with anything else is taken
 * whole as a paragraph. */
static inline int
richtext_is_kind(unsigned char c)
{
	return RT_IS_HEADING(c) || c == RT_PARA || c == RT_SOFT ||
	       c == RT_HARD || c == RT_CODE || c == RT_THEAD || c == RT_TROW ||
	       c == RT_RULE || c == RT_BLANK;
}

#include <stddef.h>
#include <string.h>

#include "buf.h"

/*
 * The words of rich text, for the tokenizer: kinds, prefixes, markers and
 * link destinations dropped, table cells and lines kept apart.  Replaces
 * OUT's content.
 */
awn_status richtext_words(const char *text, size_t len, struct buf *out);

/*
 * Whether rich text TEXT/LEN is a table of contents: at least three
 * links to headings of its own document ("#anchor"), whose text holds
 * three in four of its letters and digits.  Such a section names every
 * topic of the notes, so its words are not indexed (its title is).
 */
int richtext_is_contents(const char *text, size_t len);

/*
 * Append to OUT the plain text (defined above) of one stored line
 * LINE/LEN: its kind byte first, without the '\n'.  This is the one
 * definition of plain text: render.c's plain mode and the regex search
 * both use it.  Whatever the bytes, what is appended is valid UTF-8 with
 * no control byte but '\t': other controls, invalid UTF-8 and C1
 * controls become U+FFFD.  An RT_BLANK line gives its prefix (the
 * quote marks it keeps; the regex search takes the line as empty), an
 * empty line nothing and an RT_RULE line its prefix and "---"; a line
 * whose first byte is no kind byte is taken whole as a paragraph.
 * Returns AWN_OK or OUT's AWN_ERR_NOMEM / AWN_ERR_LIMIT.
 */
awn_status richtext_plain_line(const char *line, size_t len, struct buf *out);

/* The first byte of [S, END) below 0x20 (a marker, a tab, the prefix's
 * end), or END; eight bytes at a time while none is. */
const char *richtext_next_control(const char *s, const char *end);

/* The 8 bytes at S as a word whose lowest byte is S[0], as the
 * 8-at-a-time scans over rich text (richtext_look_mask) read them. */
static inline uint64_t
richtext_load8(const void *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * The bytes of the 8-byte word W (read little-endian) that plain text
 * must look at: a control (below 0x20, tabs too), DEL, or a byte of a
 * non-ASCII character, as the high bit of each such byte.  No false
 * negatives, and the lowest bit set is always a true positive (a borrow
 * only runs upwards from one), so whole words of ordinary ASCII text
 * are skipped at once, and the clean start of any other word too.
 */
static inline uint64_t
richtext_look_mask(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = ones * 0x80;

	/* A byte below 0x20 borrows, DEL carries to 0x80, non-ASCII is
	 * high already; a borrow starts at a flagged byte, a carry at an
	 * 0xff, so only bytes above a true one can be false. */
	return (w | (w - 0x20u * ones) | (w + ones)) & highs;
}

#endif /* RICHTEXT_H */
