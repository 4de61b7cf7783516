/*
 * fuzz-grep.c - fuzz target: a regex and arbitrary stored text.
 *
 * The input is a pattern, a NUL, then bytes taken as a section's stored
 * text (rich text as a hostile blob may hold it: any kind bytes,
 * markers, controls, bad UTF-8); the input's length picks the flags.
 * grep_text searches the text twice, skipping lines that cannot match
 * and reading every line: the matches must be the same, line for line
 * and place for place (a wrong key or a wrong skip hides matches); the
 * JIT may take over at the start, mid-way or never.  A pattern grep.c
 * takes as a literal must find what PCRE2 finds for it.  Each line
 * found is also drawn as awsnote -e draws it on a terminal
 * (awn_render_grep_line, 20 to 83 columns), which must be safe to show
 * and end in a newline.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "fuzz.h"
#include "grep.h"

/* A running hash of every line reported: number, kind, matches. */
struct seen {
	uint64_t h;
	size_t lines;
	unsigned width; /* of the terminal each is drawn on; 0: none */
	struct fuzz_sink drawn;
};

static void
mix(struct seen *w, uint64_t v)
{
	w->h = (w->h ^ v) * 0x100000001B3u;
}

static int
record(void *ctx, const awn_grep_line *l)
{
	struct seen *w = ctx;
	size_t i;

	w->lines++;
	mix(w, l->number);
	mix(w, (uint64_t)l->matched);
	mix(w, l->nmatch);
	for (i = 0; i < l->nmatch; i++) {
		mix(w, l->match[i].start);
		mix(w, l->match[i].end);
	}
	if (w->width > 0) {
		awn_render_opts o = {AWN_RENDER_STYLE | AWN_RENDER_WRAP,
		                     w->width};

		FUZZ_ASSERT(awn_render_grep_line(
		                l->number, l->matched ? ':' : '-', l->text,
		                l->len, l->match, l->nmatch, &o,
		                fuzz_sink_write, &w->drawn) == AWN_OK);
		FUZZ_ASSERT(w->drawn.len > 0 &&
		            w->drawn.data[w->drawn.len - 1] == '\n');
		fuzz_sink_check(&w->drawn, 1);
	}
	return 0;
}

/* Printable ASCII without regex syntax: grep.c finds such a pattern
 * without PCRE2 (unless -i or -w), so "(?:P)" must find the same. */
static int
plain_literal(const char *p)
{
	for (; *p; p++)
		if (*p < 0x20 || *p >= 0x7F ||
		    strchr("\\^$.|?*+()[]{}", *p) != NULL)
			return 0;
	return 1;
}

/* The same search with P as the regex "(?:P)"; 0 if it cannot run. */
static int
as_regex(const char *p, unsigned flags, const char *text, size_t len,
         struct seen *w)
{
	char *re = malloc(strlen(p) + 5);
	awn_grep *g = NULL;
	int ok;

	if (re == NULL)
		return 0;
	sprintf(re, "(?:%s)", p);
	ok = awn_grep_new(&g, (const char *const *)&re, 1, flags, NULL) ==
	         AWN_OK &&
	     grep_text(g, 3, text, len, record, w, NULL) == AWN_OK;
	awn_grep_free(g);
	free(re);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = {0,
	                                 AWN_GREP_IGNORE_CASE,
	                                 AWN_GREP_FIXED,
	                                 AWN_GREP_FIXED | AWN_GREP_IGNORE_CASE,
	                                 AWN_GREP_WORD,
	                                 AWN_GREP_WORD | AWN_GREP_IGNORE_CASE};
	const uint8_t *nul = memchr(data, 0, size);
	struct seen w[2];
	awn_status st[2];
	const char *pat;
	char *pattern;
	awn_grep *g = NULL;
	size_t plen;
	int pass;

	if (nul == NULL)
		return 0;
	plen = (size_t)(nul - data);
	pattern = malloc(plen + 1);
	if (pattern == NULL)
		return 0;
	memcpy(pattern, data, plen + 1);
	pat = pattern;
	if (awn_grep_new(&g, &pat, 1, flags[size % 6], NULL) != AWN_OK) {
		free(pattern);
		return 0;
	}
	grep_set_limits(g, 20000, 200);
	/* The JIT from the start, from mid-way through the first pass
	 * (the passes then compare the interpreter with it), or never. */
	grep_set_jit_after(g, (size_t[]){0, 64, GREP_JIT_AFTER}[size / 6 % 3]);
	for (pass = 0; pass < 2; pass++) {
		memset(&w[pass], 0, sizeof w[pass]);
		if (pass == 0)
			w[pass].width = 20 + (unsigned)(size % 64);
		grep_set_skip(g, pass == 0);
		st[pass] = grep_text(g, 3, (const char *)nul + 1,
		                     size - plen - 1, record, &w[pass], NULL);
		FUZZ_ASSERT(st[pass] == AWN_OK || st[pass] == AWN_ERR_LIMIT);
		fuzz_sink_free(&w[pass].drawn);
	}
	if (st[0] == AWN_OK && st[1] == AWN_OK)
		FUZZ_ASSERT(w[0].h == w[1].h && w[0].lines == w[1].lines);
	if (st[0] == AWN_OK && plen > 0 && plain_literal(pattern)) {
		struct seen r;

		memset(&r, 0, sizeof r);
		/* no regex syntax in it: -F or not, the same pattern */
		if (as_regex(pattern, flags[size % 6] & ~AWN_GREP_FIXED,
		             (const char *)nul + 1, size - plen - 1, &r))
			FUZZ_ASSERT(r.h == w[0].h && r.lines == w[0].lines);
	}
	awn_grep_free(g);
	free(pattern);
	return 0;
}
