/*
 * fuzz-blob.c - fuzz target: arbitrary bytes as a blob, then every way
 * awsnote reads one.
 *
 * Each input is tried twice: as it is, and (when it starts like a blob)
 * with its file size, block CRCs, index CRC and header CRC recomputed.
 * Without the second pass the fuzzer would almost never get past the
 * header checksum, and everything behind it - the directory, the
 * dictionary, the postings, the section records, the text - would go
 * untested.  A successful open is followed by what each query mode does:
 * keyword lookups (exact, phrase, excluded, prefix and fuzzy words, and
 * the blob's own titles), an apropos-style pass over the hits with
 * summaries, the listing of every path, anchors, links and index terms,
 * regex searches, and rendering plain and styled, with every output
 * checked for terminal safety.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "blob-fix.h"
#include "blob-format.h"
#include "db.h"
#include "fuzz.h"

#define MAX_SECTIONS 64 /* sections rendered per input */

/*
 * Section ID's path in BUF (SIZE bytes), a prefix of the whole path,
 * which is as long as awn_db_path said and never past AWN_PATH_MAX,
 * however the titles and parents are damaged; all of it safe to show.
 */
static void
whole_path(awn_db *db, uint32_t id, char *buf, size_t size)
{
	size_t len = awn_db_path(db, id, " > ", buf, size);
	char *whole;

	FUZZ_ASSERT(len <= AWN_PATH_MAX);
	FUZZ_ASSERT(strlen(buf) <= len && strlen(buf) < size);
	FUZZ_ASSERT(fuzz_display_safe(buf, strlen(buf), 0));
	if (len < size)
		return;
	whole = malloc(len + 1);
	FUZZ_ASSERT(whole != NULL);
	FUZZ_ASSERT(awn_db_path(db, id, " > ", whole, len + 1) == len);
	FUZZ_ASSERT(strlen(whole) == len);
	FUZZ_ASSERT(memcmp(whole, buf, strlen(buf)) == 0);
	FUZZ_ASSERT(fuzz_display_safe(whole, len, 0));
	free(whole);
}

/* A keyword lookup, then an apropos-style listing of its hits: their
 * summaries one by one, then all at once (awn_hits_summaries), which
 * must agree when both can be made. */
static void
lookup(awn_db *db, const char *query)
{
	char buf[256], each[10][256], all[10][256];
	awn_hits *hits = NULL;
	size_t i;
	int made = 1;

	if (awn_search(db, query, 10, &hits, NULL) != AWN_OK)
		return;
	FUZZ_ASSERT(hits->n <= 10);
	FUZZ_ASSERT(memchr(hits->corrected, '\0', sizeof(hits->corrected)));
	for (i = 0; i < hits->n; i++) {
		uint32_t s = hits->hit[i].section;
		FUZZ_ASSERT(s < awn_db_count(db));
		awn_db_path(db, s, " > ", buf, sizeof(buf));
		FUZZ_ASSERT(fuzz_display_safe(buf, strlen(buf), 0));
		if (awn_db_summary(db, s, each[i], sizeof(each[i]), NULL) ==
		    AWN_OK)
			FUZZ_ASSERT(
			    fuzz_display_safe(each[i], strlen(each[i]), 0));
		else
			made = 0;
	}
	if (made && hits->n > 0 &&
	    awn_hits_summaries(db, hits, all[0], sizeof(all[0]), NULL) ==
	        AWN_OK)
		for (i = 0; i < hits->n; i++)
			FUZZ_ASSERT(strcmp(all[i], each[i]) == 0);
	awn_hits_free(hits);
}

/* Matches lie inside the line, in order, without overlap, none empty. */
static int
check_grep_line(void *ctx, const awn_grep_line *line)
{
	size_t i, at = 0;

	(void)ctx;
	FUZZ_ASSERT(line->number >= 1);
	FUZZ_ASSERT(line->matched || line->nmatch == 0);
	for (i = 0; i < line->nmatch; i++) {
		FUZZ_ASSERT(line->match[i].start >= at);
		FUZZ_ASSERT(line->match[i].end > line->match[i].start);
		FUZZ_ASSERT(line->match[i].end <= line->len);
		at = line->match[i].end;
	}
	return 0;
}

/* Regex searches of section ID, the way -e, -i -e, -w and -F do them. */
static void
grep_section(awn_db *db, uint32_t id)
{
	static const char *const patterns[] = {"w.dg[a-z]+|teeth", "(a|b)*c",
	                                       "^", "\\bgear"};
	static const char *const fixed[] = {"gear", "a"};
	static awn_grep *g[3];

	if (g[0] == NULL &&
	    (awn_grep_new(&g[0], patterns, 4, 0, NULL) != AWN_OK ||
	     awn_grep_new(&g[1], fixed, 2,
	                  AWN_GREP_FIXED | AWN_GREP_IGNORE_CASE |
	                      AWN_GREP_ALL_LINES,
	                  NULL) != AWN_OK ||
	     awn_grep_new(&g[2], patterns, 1,
	                  AWN_GREP_WORD | AWN_GREP_IGNORE_CASE,
	                  NULL) != AWN_OK))
		abort();
	awn_grep_section(g[0], db, id, check_grep_line, NULL, NULL);
	awn_grep_section(g[1], db, id, check_grep_line, NULL, NULL);
	awn_grep_section(g[2], db, id, check_grep_line, NULL, NULL);
}

static int
count_term(void *ctx, const char *term, size_t len, uint32_t df)
{
	FUZZ_ASSERT(term[len] == '\0');
	return ++*(size_t *)ctx > 1000; /* enough */
}

/* The links of section ID: each internal target is a real section. */
static void
links_of(awn_db *db, uint32_t id)
{
	awn_links *links = NULL;
	size_t i;

	if (awn_db_links(db, id, &links, NULL) != AWN_OK)
		return;
	for (i = 0; i < links->n; i++) {
		const awn_link *l = &links->link[i];
		FUZZ_ASSERT(l->text[l->text_len] == '\0');
		FUZZ_ASSERT(l->dest[l->dest_len] == '\0');
		FUZZ_ASSERT(l->target == AWN_NONE ||
		            l->target < awn_db_count(db));
	}
	awn_links_free(links);
}

/* Where section ID was written: a line from 1, a path as long as it
 * says. */
static void
source_of(awn_db *db, uint32_t id)
{
	awn_source src;
	char buf[64];
	size_t n;

	if (awn_db_source(db, id, &src, NULL) != AWN_OK)
		return;
	FUZZ_ASSERT(src.line >= 1);
	n = awn_source_path(&src, buf, sizeof(buf));
	FUZZ_ASSERT(strlen(buf) == (n < sizeof(buf) ? n : sizeof(buf) - 1));
}

static void
exercise(awn_db *db)
{
	static const awn_render_opts plain = {0, 0};
	static const awn_render_opts styled = {
	    AWN_RENDER_STYLE | AWN_RENDER_WRAP, 30};
	static const char *const queries[] = {
	    "widget",
	    "s3 encryption",
	    "\"teeth more\" -gear",
	    "sprock",
	    "widgte",
	    "apigateway",
	    "WaitTimeSeconds",
	    "x",
	    "auto scaling console", /* file names in names.blob */
	};
	struct fuzz_sink sink = {NULL, 0, 0};
	uint32_t i, n = awn_db_count(db), ndocs = awn_db_doc_count(db);
	char buf[512];
	size_t k;

	awn_db_verify(db, NULL);
	for (k = 0; k < sizeof(queries) / sizeof(queries[0]); k++)
		lookup(db, queries[k]);
	for (i = 0; i < ndocs && i < MAX_SECTIONS; i++)
		awn_db_doc_name(db, i, &k);
	/* -d: a document's name, then a directory; then all again. */
	{
		static const char *const names[] = {"widgets", "sub", "sub/"};
		uint32_t kept;
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (awn_db_keep_docs(db, names[k], strlen(names[k]),
			                     &kept) == AWN_OK &&
			    kept > 0) {
				lookup(db, "widget");
				FUZZ_ASSERT(kept <= ndocs);
			}
		awn_db_only_doc(db, AWN_NONE);
	}
	for (i = 0; i < n && i < MAX_SECTIONS; i++) {
		awn_section s;
		const char *text;
		size_t len;

		FUZZ_ASSERT(awn_db_section(db, i, &s) == AWN_OK);
		FUZZ_ASSERT(s.parent == AWN_NONE || s.parent < i);
		FUZZ_ASSERT(s.end > i && s.end <= n);
		FUZZ_ASSERT(s.level <= 6);
		whole_path(db, i, buf, sizeof(buf));
		awn_db_find_anchor(db, s.doc, s.anchor, s.anchor_len);
		if (i < 4 && s.title_len > 0 && s.title_len < 100) {
			/* The blob's own words reach its dictionary. */
			memcpy(buf, s.title, s.title_len);
			buf[s.title_len] = '\0';
			lookup(db, buf);
		}
		if (awn_db_text(db, i, &text, &len, NULL) == AWN_OK)
			FUZZ_ASSERT(text != NULL);
		source_of(db, i);
		links_of(db, i);
		grep_section(db, i);
		if (awn_db_summary(db, i, buf, sizeof(buf), NULL) == AWN_OK)
			FUZZ_ASSERT(fuzz_display_safe(buf, strlen(buf), 0));
		if (awn_render_section(db, i, &plain, fuzz_sink_write, &sink,
		                       NULL) == AWN_OK)
			fuzz_sink_check(&sink, 0);
		sink.len = sink.total = 0;
		if (awn_render_section(db, i, &styled, fuzz_sink_write, &sink,
		                       NULL) == AWN_OK)
			fuzz_sink_check(&sink, 1);
		sink.len = sink.total = 0;
		if (awn_render_heading(db, i, "3.1", &styled, fuzz_sink_write,
		                       &sink, NULL) == AWN_OK)
			fuzz_sink_check(&sink, 1);
		sink.len = sink.total = 0;
	}
	k = 0;
	awn_db_terms(db, "", 0, count_term, &k, NULL);
	k = 0;
	awn_db_terms(db, "s", 1, count_term, &k, NULL);
	fuzz_sink_free(&sink);
}

static void
try_blob(const uint8_t *data, size_t size, int fix)
{
	awn_db *db = NULL;
	uint8_t *copy = malloc(size ? size : 1);
	awn_status st;

	if (copy == NULL)
		return;
	memcpy(copy, data, size);
	if (fix)
		blob_fix_checksums(copy, size);
	st = awn_db_open_memory(&db, copy, size, "fuzz.blob", NULL);
	FUZZ_ASSERT(st == AWN_OK || st == AWN_ERR_FORMAT ||
	            st == AWN_ERR_VERSION);
	if (st == AWN_OK) {
		/* Every list POST_SKIPS has read by its blocks, not only
		 * where a rarer word makes it pay (post-skips.blob). */
		db->blocks_always = 1;
		exercise(db);
		awn_db_free(db);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_blob(data, size, 0);
	if (size >= BLOB_HEADER_SIZE &&
	    memcmp(data, BLOB_MAGIC, BLOB_MAGIC_LEN) == 0)
		try_blob(data, size, 1);
	return 0;
}
