/*
 * markdown.h - Markdown (CommonMark + GitHub tables/strikethrough/autolinks)
 * to sections in rich-text form, using md4c.
 *
 * The reader streams: it calls back once per section, in document order,
 * so a builder never holds a whole document's sections at once.  md4c
 * parses a whole document, so the reader holds one (cleaned), and a
 * document with <a name> tags is held to its end (markdown_reader_set_spill
 * moves those sections' texts to a file).
 */
#ifndef MARKDOWN_H
#define MARKDOWN_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "buf.h"

/* Largest document accepted (md4c sizes are 32-bit). */
#define MARKDOWN_MAX_SIZE ((size_t)1 << 30)

/* A name an <a name="..."> or <a id="..."> tag gives (not NUL-ended). */
struct md_name {
	const char *s;
	size_t len;
};

struct md_section {
	unsigned level; /* heading level 1-6; 0 for text before any heading */
	uint32_t line;  /* the line of the heading in the input, from 1 (a
	                   setext heading's text, not its underline); 1 for
	                   the preamble.  Line ends as for reading: LF,
	                   CRLF, and a lone CR */
	const char *title; /* plain-text title, markers removed, NUL-terminated;
	                      "" for the preamble */
	size_t title_len;
	const char *anchor; /* GitHub slug, made unique in the document with
	                       "-1", "-2"...; NUL-terminated; "" for preamble */
	size_t anchor_len;
	const char *text; /* rich-text lines (richtext.h): the heading line
	                     first (none for the preamble), then the body */
	size_t text_len;
	/* With markdown_reader_set_lines: the line in the input of each
	 * line of TEXT, in order (NLINES of them, as many as TEXT has);
	 * NULL and 0 without.  A line's is that of the first text of the
	 * input it shows (the heading line's, LINE); a line that shows
	 * none (a blank line, a rule, an empty code line) is given the
	 * line it stands for in the input, as near as can be told. */
	const uint32_t *lines;
	size_t nlines;
	/* The names of the <a> tags in the section, in document order
	 * (only in a document that holds "<a "). */
	const struct md_name *names;
	size_t nnames;
};

/*
 * Called for each section; the pointers are valid only during the call.
 * Returning anything but AWN_OK stops the reader, which returns it.
 */
typedef awn_status (*md_section_fn)(void *ctx, const struct md_section *s);

/*
 * Parse DATA/LEN (any bytes: invalid UTF-8 and control characters are
 * replaced by U+FFFD, CRLF and lone CR are line ends, YAML front matter is
 * skipped) and call FN for every section.  A preamble is reported only
 * when it has visible text.
 */
awn_status markdown_read(const char *data, size_t len, md_section_fn fn,
                         void *ctx, awn_error *err);

/*
 * A reader kept from document to document: a build reads tens of
 * thousands, and markdown_read allocates and grows its buffers anew
 * for each.  markdown_reader_new returns NULL when out of memory.
 */
struct markdown_reader;
struct markdown_reader *markdown_reader_new(void);
void markdown_reader_free(struct markdown_reader *mr);
/* Whether MR's sections give the input line of each line of their text
 * (md_section.lines); off until set.  Costs a pass over the input. */
void markdown_reader_set_lines(struct markdown_reader *mr, int on);
/* markdown_read with MR's memory (MR NULL: its own, freed at the end). */
awn_status markdown_read_with(struct markdown_reader *mr, const char *data,
                              size_t len, md_section_fn fn, void *ctx,
                              awn_error *err);
/* markdown_read_with MR of IN's bytes, whose memory is freed once the
 * reader has its own copy: a huge file is then not held twice. */
awn_status markdown_read_buf(struct markdown_reader *mr, struct buf *in,
                             md_section_fn fn, void *ctx, awn_error *err);
/* A document with "<a " tags is held to its end (its links may name a
 * tag further on); past MEMORY bytes its sections' texts go to an
 * unnamed temporary file in DIR (borrowed; NULL, the default: never). */
void markdown_reader_set_spill(struct markdown_reader *mr, const char *dir,
                               size_t memory);

/*
 * Append to OUT the GitHub-style slug of a plain-text title: lower-cased,
 * punctuation other than '-' and '_' removed, spaces turned into '-'.
 * ("EBS & EFS" -> "ebs--efs").  Not de-duplicated.
 */
awn_status markdown_slug(const char *title, size_t len, struct buf *out);

#endif /* MARKDOWN_H */
