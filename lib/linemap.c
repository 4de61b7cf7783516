/*
 * linemap.c - the line in its Markdown file of each stored line of a
 * section, for `-e --where` (grep -n for the notes).
 *
 * A blob records only where each section's heading is (ORIGINS): the
 * stored text is not the Markdown's lines, so a match's line cannot be
 * told from it.  Instead the file is read again with the same Markdown
 * reader, which then also says which input line each line of its text
 * starts on (markdown_reader_set_lines).  A section is taken by its
 * place in its document, and only when its text and heading line are
 * the stored ones byte for byte: otherwise the file was edited since
 * the notes were compiled, and its lines would point elsewhere.
 */
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "markdown.h"

struct linemap_section {
	size_t text_off, text_len; /* in awn_linemap.text */
	size_t lines_off;          /* in awn_linemap.lines, in uint32_t */
	size_t nlines;
	uint32_t line; /* of its heading */
};

struct awn_linemap {
	struct buf text;     /* every section's text, one after another */
	struct buf lines;    /* their lines' lines, uint32_t each */
	struct buf sections; /* struct linemap_section, in order */
};

static awn_status
keep_section(void *ctx, const struct md_section *ms)
{
	awn_linemap *m = ctx;
	struct linemap_section s;
	awn_status st;

	s.text_off = m->text.len;
	s.text_len = ms->text_len;
	s.lines_off = m->lines.len / sizeof(uint32_t);
	s.nlines = ms->nlines;
	s.line = ms->line;
	if ((st = buf_add(&m->text, ms->text, ms->text_len)) != AWN_OK ||
	    (st = buf_add(&m->lines, ms->lines,
	                  ms->nlines * sizeof(uint32_t))) != AWN_OK)
		return st;
	return buf_add(&m->sections, &s, sizeof(s));
}

awn_status
awn_linemap_new(awn_linemap **out, const char *md, size_t len, awn_error *err)
{
	struct markdown_reader *mr = NULL;
	awn_linemap *m;
	awn_status st;

	*out = NULL;
	if ((m = alloc_calloc(1, sizeof(*m))) == NULL ||
	    (mr = markdown_reader_new()) == NULL) {
		alloc_free(m);
		return error_set(err, AWN_ERR_NOMEM, "%s",
		                 awn_strerror(AWN_ERR_NOMEM));
	}
	/* Stored text is about the size of the sanitised input. */
	buf_init(&m->text, 3 * MARKDOWN_MAX_SIZE);
	buf_init(&m->lines, 3 * MARKDOWN_MAX_SIZE);
	buf_init(&m->sections, 3 * MARKDOWN_MAX_SIZE);
	markdown_reader_set_lines(mr, 1);
	st = markdown_read_with(mr, md, len, keep_section, m, err);
	markdown_reader_free(mr);
	if (st != AWN_OK) {
		awn_linemap_free(m);
		if (err == NULL || err->status != st)
			error_set(err, st, "%s", awn_strerror(st));
		return st;
	}
	*out = m;
	return AWN_OK;
}

void
awn_linemap_free(awn_linemap *m)
{
	if (m == NULL)
		return;
	buf_free(&m->text);
	buf_free(&m->lines);
	buf_free(&m->sections);
	alloc_free(m);
}

/* The number of lines of rich text TEXT/LEN (each ends in '\n'). */
static size_t
count_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	size_t n = 0;

	for (; p < end; p = nl + 1, n++)
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
	return n;
}

awn_status
awn_linemap_section(const awn_linemap *m, uint32_t nth, const char *text,
                    size_t len, uint32_t line, const uint32_t **lines,
                    size_t *n)
{
	const struct linemap_section *s;

	*lines = NULL;
	*n = 0;
	if (m == NULL || nth >= m->sections.len / sizeof(*s))
		return AWN_ERR_INPUT;
	s = (const struct linemap_section *)(const void *)m->sections.data +
	    nth;
	if (s->line != line || s->text_len != len ||
	    (len > 0 && memcmp(m->text.data + s->text_off, text, len) != 0) ||
	    s->nlines != count_lines(text, len))
		return AWN_ERR_INPUT;
	*lines = s->nlines ? (const uint32_t *)(const void *)m->lines.data +
	                         s->lines_off
	                   : NULL;
	*n = s->nlines;
	return AWN_OK;
}
