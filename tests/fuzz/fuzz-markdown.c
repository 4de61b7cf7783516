/*
 * fuzz-markdown.c - fuzz target: arbitrary bytes as a Markdown document.
 *
 * The document goes the whole way a user's notes go: compiled (twice,
 * under two names, as copies of one page) into a
 * blob in memory, the blob opened (which validates it: the writer must
 * produce what the reader accepts), every checksum verified, a lookup of
 * the document's first word, and each section's path, summary and text
 * rendered plain and styled, all checked for terminal safety.  Read
 * again for -e --where's lines (awn_linemap), each section must be the
 * one compiled, each of its lines' lines one of the input's.  Compiled
 * a third time with a memory budget of 4 bytes, so that everything that
 * can go to a temporary file does (postings, text, tables, a held
 * document's sections), the blob must be byte for byte the same.
 */
#include <stdint.h>
#include <string.h>

#include "awsnote.h"
#include "fuzz.h"

#define MAX_SECTIONS 64 /* sections rendered per input */

/* The first word of DATA, as a query (so lookups find something). */
static void
first_word(const uint8_t *data, size_t size, char *out, size_t cap)
{
	size_t i = 0, n = 0;

	while (i < size &&
	       (data[i] == '#' || data[i] == ' ' || data[i] == '\n'))
		i++;
	while (i < size && n + 1 < cap && data[i] > ' ' && data[i] != '"')
		out[n++] = (char)data[i++];
	out[n] = '\0';
}

/* Section I's lines in MAP: there, and lines of the input (LINES). */
static void
check_lines(awn_db *db, const awn_linemap *map, uint32_t i, uint32_t lines)
{
	const uint32_t *at;
	const char *text;
	awn_section s;
	awn_source src;
	size_t len, n, k;

	FUZZ_ASSERT(awn_db_section_tree(db, i, &s) == AWN_OK);
	FUZZ_ASSERT(awn_db_source(db, i, &src, NULL) == AWN_OK);
	FUZZ_ASSERT(awn_db_text(db, i, &text, &len, NULL) == AWN_OK);
	FUZZ_ASSERT(awn_linemap_section(map, i - awn_db_doc_first(db, s.doc),
	                                text, len, src.line, &at,
	                                &n) == AWN_OK);
	for (k = 0; k < n; k++)
		FUZZ_ASSERT(at[k] >= 1 && at[k] <= lines);
}

static void
check_db(awn_db *db, const uint8_t *data, size_t size)
{
	static const awn_render_opts plain = {0, 0};
	static const awn_render_opts styled = {
	    AWN_RENDER_STYLE | AWN_RENDER_WRAP, 40};
	struct fuzz_sink sink = {NULL, 0, 0};
	char query[64], buf[512];
	awn_hits *hits = NULL;
	awn_linemap *map = NULL;
	uint32_t i, n = awn_db_count(db), lines = 1, line = 0, doc = 0;
	size_t len;

	/* Lines as the reader counts them: LF, CRLF and a lone CR end one. */
	for (len = 0; len < size; len++)
		lines += data[len] == '\n' ||
		         (data[len] == '\r' &&
		          (len + 1 == size || data[len + 1] != '\n'));
	FUZZ_ASSERT(awn_db_verify(db, NULL) == AWN_OK);
	FUZZ_ASSERT(awn_linemap_new(&map, (const char *)data, size, NULL) ==
	            AWN_OK);
	first_word(data, size, query, sizeof(query));
	if (awn_search(db, query, 5, &hits, NULL) == AWN_OK) {
		for (i = 0; i < hits->n; i++)
			FUZZ_ASSERT(hits->hit[i].section < n);
		awn_hits_free(hits);
	}
	for (i = 0; i < n && i < MAX_SECTIONS; i++) {
		awn_section s;
		awn_source src;
		FUZZ_ASSERT(awn_db_section(db, i, &s) == AWN_OK);
		/* A heading's line is in the input, after the one before. */
		FUZZ_ASSERT(awn_db_source(db, i, &src, NULL) == AWN_OK);
		FUZZ_ASSERT(src.line >= 1 && src.line <= lines);
		if (s.doc != doc)
			line = 0, doc = s.doc;
		FUZZ_ASSERT(src.line >= line);
		line = src.line;
		FUZZ_ASSERT(s.parent == AWN_NONE || s.parent < i);
		FUZZ_ASSERT(s.end > i && s.end <= n);
		check_lines(db, map, i, lines);
		len = awn_db_path(db, i, " > ", buf, sizeof(buf));
		FUZZ_ASSERT(strlen(buf) <= len);
		FUZZ_ASSERT(fuzz_display_safe(buf, strlen(buf), 0));
		FUZZ_ASSERT(awn_db_summary(db, i, buf, sizeof(buf), NULL) ==
		            AWN_OK);
		FUZZ_ASSERT(fuzz_display_safe(buf, strlen(buf), 0));
		FUZZ_ASSERT(awn_render_section(db, i, &plain, fuzz_sink_write,
		                               &sink, NULL) == AWN_OK);
		fuzz_sink_check(&sink, 0);
		FUZZ_ASSERT(awn_render_section(db, i, &styled, fuzz_sink_write,
		                               &sink, NULL) == AWN_OK);
		fuzz_sink_check(&sink, 1);
		FUZZ_ASSERT(awn_render_heading(db, i, "1.2", &styled,
		                               fuzz_sink_write, &sink,
		                               NULL) == AWN_OK);
		fuzz_sink_check(&sink, 1);
	}
	fuzz_sink_free(&sink);
	awn_linemap_free(map);
}

/* DATA compiled as two copies of one page (search groups copies), all
 * in memory or, SPILLED, within a 4-byte memory budget, so that all
 * that can go to a temporary file does: the blob in *BLOB and *LEN, or
 * the status that refused the input. */
static awn_status
compile(const uint8_t *data, size_t size, int spilled, void **blob, size_t *len)
{
	const char *tmp = getenv("TMPDIR");
	awn_builder *b = NULL;
	awn_status st;

	*blob = NULL;
	FUZZ_ASSERT(awn_builder_new(&b, NULL) == AWN_OK);
	if (spilled)
		FUZZ_ASSERT(awn_builder_set_limits(b, 1, 4,
		                                   tmp && *tmp ? tmp : "/tmp",
		                                   NULL) == AWN_OK);
	st = awn_builder_add_markdown(b, "fuzz.md", (const char *)data, size,
	                              NULL);
	if (st == AWN_OK)
		st = awn_builder_add_markdown(b, "copy/fuzz.md",
		                              (const char *)data, size, NULL);
	if (st == AWN_OK)
		FUZZ_ASSERT(awn_builder_write_memory(b, blob, len, NULL) ==
		            AWN_OK);
	awn_builder_free(b);
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	awn_db *db = NULL;
	void *blob, *spilled;
	size_t blen = 0, slen = 0;
	awn_status st = compile(data, size, 0, &blob, &blen);

	/* Anything but a refusal of the input is a bug. */
	FUZZ_ASSERT(st == AWN_OK || st == AWN_ERR_INPUT || st == AWN_ERR_LIMIT);
	if (st != AWN_OK)
		return 0;
	FUZZ_ASSERT(compile(data, size, 1, &spilled, &slen) == AWN_OK &&
	            slen == blen && memcmp(spilled, blob, blen) == 0);
	free(spilled);
	FUZZ_ASSERT(awn_db_open_memory(&db, blob, blen, "fuzz.md", NULL) ==
	            AWN_OK);
	check_db(db, data, size);
	awn_db_free(db);
	return 0;
}
