/*
 * grep.c - the regex search: PCRE2 patterns over the plain text of each
 * line of a section.
 *
 * A line is matched as its plain text (richtext_plain_line, the text
 * awsnote prints into a pipe), so what a user sees printed is what the
 * pattern saw, and counts agree with the output.  Patterns are compiled
 * once in UTF mode with PCRE2_MATCH_INVALID_UTF,
 * so no byte sequence can make a match misbehave, and every match runs
 * under explicit match, depth, heap and JIT-stack limits: a runaway
 * pattern ends in AWN_ERR_LIMIT, not a hang.  One match_data, one line
 * buffer and one match array are reused for every line.
 *
 * A literal (printable ASCII, no regex syntax, no -i or -w) is found
 * with memchr and memcmp and never reaches PCRE2.
 *
 * The interpreter runs first; the patterns are JIT-compiled (when
 * PCRE2 can) once it has been handed GREP_JIT_AFTER bytes of lines, or
 * as soon as one match takes it more than GREP_TRIAL_LIMIT steps.
 * Compiling costs about what interpreting ~40 KB does, so a search of
 * the seed or of a few sections never pays it, a long one does, and a
 * pattern that backtracks hard does at once.
 *
 * Most lines cannot match: when every pattern has a literal that every
 * match contains, a line whose stored bytes show that its plain text
 * lacks all of them is counted and passed over, without its plain text
 * or a call to PCRE2 (see line_may_match).
 *
 * All PCRE2 memory goes through alloc.c, so allocation-failure tests
 * reach it too.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "dynload.h"
#include "error.h"
#include "grep.h"
#include "prefilter.h"
#include "db.h"
#include "richtext.h"
#include "utf8.h"

#define JIT_STACK_START ((size_t)32 << 10)
#define PATTERN_SHOWN   200 /* room for a pattern quoted in a message */
#define SUBJECT_PAD     64  /* zero bytes kept after the line's text */
#define KEY_MIN         2   /* shorter keys would pass most lines */
#define KS_MAX          4   /* k and s in a literal under -i: 2^4 forms */

#define ONES  0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* Word boundaries for AWN_GREP_WORD, as grep -w means them.  The \E
 * ends a \Q the pattern left open (PCRE2 ignores a lone \E), which
 * would otherwise quote the close as text. */
#define WORD_OPEN  "(?<!\\w)(?:"
#define WORD_CLOSE "\\E)(?!\\w)"

struct pattern {
	char lit[PREFILTER_MAX]; /* every match contains it (prefilter.h) */
	size_t litlen;
	/* Printable ASCII every match contains (folded under -i), so every
	 * line that can match holds it; KEYLEN 0 when there is none. */
	char key[PREFILTER_MAX];
	size_t keylen;
	size_t anchor;     /* the key's rarest byte, looked for first */
	int anchor_copied; /* it is no byte plain text adds (" | ", "---") */
	const char *anchor_at; /* its next place in the text, or NULL */
	pcre2_code *code;      /* NULL for a literal */
	int jit;               /* JIT-compiled: pcre2_jit_match may be used */
	/* The same compiled anchored, JIT-compiled with it, or NULL: the
	 * JIT takes PCRE2_ANCHORED only at compile time, and -o looks for
	 * a non-empty match where an empty one starts. */
	pcre2_code *anchored;
	char *text;        /* the user's pattern, NUL-terminated, owned */
	size_t len;        /* its length */
	int literal;       /* printable ASCII, matched as is: memchr+memcmp */
	size_t next_start; /* next match from an earlier search ... */
	size_t next_end;
	int next_state; /* ... NEXT_UNKNOWN, NEXT_FOUND or NEXT_NONE */
};

enum { NEXT_UNKNOWN, NEXT_FOUND, NEXT_NONE };

struct awn_grep {
	unsigned flags;
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	pcre2_match_data *md; /* ovector of one pair: only [0] is read */
	size_t interpreted;   /* subject bytes handed to the interpreter */
	size_t jit_after;     /* ... before jit_compile runs, once */
	int jit_tried;
	uint32_t match_limit; /* the match context's, between trials */
	struct pattern *pat;
	size_t npat;
	struct buf line; /* plain text of the current line */
	awn_grep_match *match;
	size_t match_cap;
	size_t fail_pat; /* the pattern a match error came from */
	int prefilter;   /* every pattern has a literal: skip blocks */
	int skip;        /* every pattern has a key: skip lines */
	int skip_off;    /* grep_set_skip(g, 0) */
	int kelvin;      /* a key holds k or s, which -i also finds as
	                  * U+212A KELVIN SIGN and U+017F LONG S */
	/* The last block filter read, a copy, and its verdict: the
	 * sections of a block come in a row, and each would check the
	 * table and the literals again. */
	const awn_db *filter_db;
	const unsigned char *filter_at;
	unsigned char filter[PREFILTER_BYTES];
	int filter_passes;
};

static void *
pcre_malloc(PCRE2_SIZE n, void *ctx)
{
	(void)ctx;
	return alloc_malloc(n);
}

static void
pcre_free(void *p, void *ctx)
{
	(void)ctx;
	alloc_free(p);
}

/* The pattern as shown in a message: display-safe, cut if long. */
static void
pattern_shown(const char *p, char *buf, size_t size)
{
	size_t n = strlen(p), cut = n, w;

	/* Each byte shows as at most 3 (U+FFFD), so the cut part fits. */
	if (cut > (size - 4) / 3) {
		cut = (size - 4) / 3;
		while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
			cut--;
	}
	w = awn_display_text(p, cut, buf, size - 3);
	if (cut < n)
		memcpy(buf + w, "...", 4);
}

static awn_status
compile_error(const char *pattern, int code, size_t offset, awn_error *err)
{
	PCRE2_UCHAR msg[256];
	char shown[PATTERN_SHOWN + 1];

	if (code == PCRE2_ERROR_HEAP_FAILED)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	if (dl_pcre2_get_error_message(code, msg, sizeof msg) < 0)
		snprintf((char *)msg, sizeof msg, "error %d", code);
	pattern_shown(pattern, shown, sizeof shown);
	return error_set(err, AWN_ERR_QUERY,
	                 "bad pattern '%s': %s at offset %zu", shown,
	                 (const char *)msg, offset);
}

/*
 * Length of the start-of-pattern settings that open P ("(*UCP)",
 * "(*LIMIT_MATCH=100)"): they must stay in front when -w wraps the
 * pattern.  Verbs of the same shape ("(*FAIL)") stay where they are.
 */
static size_t
leading_settings(const char *p)
{
	static const char *const verbs[] = {"ACCEPT", "FAIL", "F",   "COMMIT",
	                                    "PRUNE",  "SKIP", "THEN"};
	size_t at = 0, i, k;

	while (p[at] == '(' && p[at + 1] == '*') {
		i = at + 2;
		while ((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '_')
			i++;
		if (i == at + 2)
			break;
		for (k = 0; k < sizeof verbs / sizeof *verbs; k++)
			if (strlen(verbs[k]) == i - at - 2 &&
			    memcmp(verbs[k], p + at + 2, i - at - 2) == 0)
				return at;
		if (p[i] == '=')
			for (i++; p[i] >= '0' && p[i] <= '9'; i++)
				;
		if (p[i] != ')')
			break;
		at = i + 1;
	}
	return at;
}

/* The pattern actually compiled for -w and -F: escaped and/or wrapped. */
static awn_status
build_pattern(const char *p, unsigned flags, struct buf *b)
{
	size_t lead = 0;
	awn_status st = AWN_OK;

	buf_reset(b);
	if (flags & AWN_GREP_WORD) {
		if (!(flags & AWN_GREP_FIXED))
			lead = leading_settings(p);
		st = buf_add(b, p, lead);
		if (st == AWN_OK)
			st = buf_adds(b, WORD_OPEN);
	}
	for (p += lead; *p && st == AWN_OK; p++) {
		unsigned char c = (unsigned char)*p;

		/* A backslash makes any ASCII punctuation literal. */
		if ((flags & AWN_GREP_FIXED) && c < 0x80 &&
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			st = buf_addc(b, '\\');
		if (st == AWN_OK)
			st = buf_addc(b, c);
	}
	if (st == AWN_OK && (flags & AWN_GREP_WORD))
		st = buf_adds(b, WORD_CLOSE);
	return st;
}

static int
is_key_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7F;
}

static int
is_ks(unsigned char c)
{
	return c == 'k' || c == 's';
}

/* The longest stretch of S/N whose bytes all pass OK, into OUT. */
static size_t
longest_run(const char *s, size_t n, int (*ok)(unsigned char), char *out)
{
	size_t i, at = 0, best = 0, from = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && ok((unsigned char)s[i]))
			continue;
		if (i - at > best) {
			best = i - at;
			from = at;
		}
		at = i + 1;
	}
	memmove(out, s + from, best);
	return best;
}

/*
 * How common byte C is in notes, roughly (per mille of English text, a
 * capital a tenth of its small letter): the rarest byte of a key is the
 * one memchr looks for.
 */
static int
commonness(unsigned char c, int caseless)
{
	static const unsigned char small[26] = {
	    82, 15, 28, 43, 127, 22, 20, 61, 70, 2,  8, 40, 24,
	    67, 75, 19, 1,  60,  63, 91, 28, 10, 24, 2, 20, 1};

	if (c >= 'a' && c <= 'z')
		return small[c - 'a'] + (caseless ? small[c - 'a'] / 10 : 0);
	if (c >= 'A' && c <= 'Z')
		return small[c - 'A'] / 10;
	if (c >= '0' && c <= '9')
		return 5;
	if (c == ' ')
		return 150;
	return strchr(".,-/", c) ? 10 : 3;
}

/* Cut the folded literal S/N to its longest stretch with at most
 * KS_MAX k and s; returns the new length. */
static size_t
few_ks(char *s, size_t n)
{
	size_t from, to, m, best = 0, at = 0;

	for (from = 0; from < n; from++) {
		for (to = from, m = 0; to < n; to++)
			if (is_ks((unsigned char)s[to]) && ++m > KS_MAX)
				break;
		if (to - from > best) {
			best = to - from;
			at = from;
		}
	}
	memmove(s, s + at, best);
	return best;
}

/*
 * PT's block literal (folded, as the block filters are) and line key.
 * Under -i, k and s also match U+212A and U+017F, which the filters do
 * not fold: block_may_match tries their bytes in place of each, and a
 * text holding either is searched without skipping lines.  The key
 * keeps to printable ASCII, whose bytes plain text copies unchanged.
 */
static void
set_literals(awn_grep *g, struct pattern *pt)
{
	int fixed = (g->flags & AWN_GREP_FIXED) != 0;
	int caseless = (g->flags & AWN_GREP_IGNORE_CASE) != 0;
	char lit[PREFILTER_MAX];
	size_t n, i;

	pt->litlen = prefilter_literal(pt->text, fixed, caseless, pt->lit);
	if (caseless &&
	    (pt->litlen = few_ks(pt->lit, pt->litlen)) < PREFILTER_MIN)
		pt->litlen = 0;
	n = prefilter_required(pt->text, fixed, caseless, lit);
	pt->keylen = longest_run(lit, n, is_key_byte, pt->key);
	if (pt->keylen < KEY_MIN)
		pt->keylen = 0;
	for (i = 0; caseless && i < pt->keylen; i++) {
		if (pt->key[i] >= 'A' && pt->key[i] <= 'Z')
			pt->key[i] += 'a' - 'A';
		if (is_ks((unsigned char)pt->key[i]))
			g->kelvin = 1;
	}
	for (i = 0; i < pt->keylen; i++) {
		unsigned char c = (unsigned char)pt->key[i],
		              a = (unsigned char)pt->key[pt->anchor];
		int copied = strchr(" |-", c) == NULL;

		if (copied > pt->anchor_copied ||
		    (copied == pt->anchor_copied &&
		     commonness(c, caseless) < commonness(a, caseless))) {
			pt->anchor = i;
			pt->anchor_copied = copied;
		}
	}
}

/*
 * Is PT a literal: printable ASCII that, without -i or -w, matches only
 * itself (under -F, or with no regex syntax in it)?  Such a pattern is
 * found with memchr and memcmp, as grep finds one, and never reaches
 * PCRE2: it matches an ASCII string exactly where PCRE2 would, invalid
 * UTF-8 around it or not.
 */
static int
is_literal(const awn_grep *g, const struct pattern *pt)
{
	size_t i;

	if (pt->len == 0 ||
	    (g->flags & (AWN_GREP_IGNORE_CASE | AWN_GREP_WORD)) != 0)
		return 0;
	for (i = 0; i < pt->len; i++) {
		unsigned char c = (unsigned char)pt->text[i];

		if (c < 0x20 || c >= 0x7F ||
		    (!(g->flags & AWN_GREP_FIXED) &&
		     strchr("\\^$.|?*+()[]{}", c) != NULL))
			return 0;
	}
	return 1;
}

/* PT compiled, with EXTRA options too, into *OUT (NULL on failure). */
static awn_status
compile_pattern(awn_grep *g, struct pattern *pt, uint32_t extra,
                struct buf *scratch, pcre2_code **out, awn_error *err)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | extra;
	PCRE2_SIZE offset;
	int code;
	awn_status st;

	if (g->flags & AWN_GREP_IGNORE_CASE)
		opts |= PCRE2_CASELESS;
	/*
	 * First as the user wrote it, so that an error's offset is one
	 * into their pattern; then, for -w or -F with -w, the form that is
	 * really searched.
	 */
	*out =
	    dl_pcre2_compile((PCRE2_SPTR)pt->text, PCRE2_ZERO_TERMINATED,
	                     opts | (g->flags & AWN_GREP_FIXED
	                                 ? PCRE2_LITERAL
	                                 : PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C),
	                     &code, &offset, g->cctx);
	if (*out == NULL)
		return compile_error(pt->text, code, offset, err);
	if (g->flags & AWN_GREP_WORD) {
		dl_pcre2_code_free(*out);
		*out = NULL;
		if ((st = build_pattern(pt->text, g->flags, scratch)) != AWN_OK)
			return error_set(err, st, "%s", awn_strerror(st));
		*out =
		    dl_pcre2_compile((PCRE2_SPTR)scratch->data, scratch->len,
		                     opts | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C,
		                     &code, &offset, g->cctx);
		if (*out == NULL)
			return compile_error(pt->text, code, 0, err);
	}
	return AWN_OK;
}

awn_status
awn_grep_new(awn_grep **out, const char *const *patterns, size_t n,
             unsigned flags, awn_error *err)
{
	struct buf scratch;
	awn_grep *g;
	awn_status st = AWN_ERR_NOMEM;
	size_t i, regexes = 0;

	*out = NULL;
	if (n == 0 || patterns == NULL)
		return error_set(err, AWN_ERR_ARG, "no pattern to search for");
	for (i = 0; i < n; i++)
		if (patterns[i] == NULL)
			return error_set(err, AWN_ERR_ARG, "null pattern");
	buf_init(&scratch, 0);
	if ((g = alloc_calloc(1, sizeof *g)) == NULL)
		goto fail;
	g->flags = flags;
	g->jit_after = GREP_JIT_AFTER;
	g->match_limit = GREP_MATCH_LIMIT;
	buf_init(&g->line, 0);
	if ((g->pat = alloc_calloc(n, sizeof *g->pat)) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		struct pattern *pt = &g->pat[i];

		g->npat++;
		pt->len = strlen(patterns[i]);
		if ((pt->text = alloc_strndup(patterns[i], pt->len)) == NULL)
			goto fail;
		if (!(pt->literal = is_literal(g, pt)))
			regexes++;
	}
	/* PCRE2 only for the patterns that need it: literals alone (the
	 * commonest search) do not load it. */
	if (regexes > 0) {
		if ((st = dynload_pcre2(err)) != AWN_OK)
			goto fail_detail;
		g->gctx = dl_pcre2_general_context_create(pcre_malloc,
		                                          pcre_free, NULL);
		if (g->gctx == NULL ||
		    (g->cctx = dl_pcre2_compile_context_create(g->gctx)) ==
		        NULL ||
		    (g->mctx = dl_pcre2_match_context_create(g->gctx)) ==
		        NULL ||
		    (g->md = dl_pcre2_match_data_create(1, g->gctx)) == NULL)
			goto fail;
		dl_pcre2_set_match_limit(g->mctx, GREP_MATCH_LIMIT);
		dl_pcre2_set_depth_limit(g->mctx, GREP_DEPTH_LIMIT);
		dl_pcre2_set_heap_limit(g->mctx, GREP_HEAP_LIMIT_KIB);
	}
	for (i = 0; i < n; i++)
		if (!g->pat[i].literal &&
		    (st = compile_pattern(g, &g->pat[i], 0, &scratch,
		                          &g->pat[i].code, err)) != AWN_OK)
			goto fail_detail;
	g->prefilter = 1;
	g->skip = 1;
	for (i = 0; i < n; i++) {
		set_literals(g, &g->pat[i]);
		if (g->pat[i].litlen == 0)
			g->prefilter = 0;
		if (g->pat[i].keylen == 0)
			g->skip = 0;
	}
	buf_free(&scratch);
	*out = g;
	return AWN_OK;
fail:
	st = error_set(err, AWN_ERR_NOMEM, "out of memory");
fail_detail:
	buf_free(&scratch);
	awn_grep_free(g);
	return st;
}

void
awn_grep_free(awn_grep *g)
{
	size_t i;

	if (g == NULL)
		return;
	/* Codes exist only once gctx does: without it PCRE2 may not even
	 * be loaded (dynload.h). */
	for (i = 0; g->pat != NULL && i < g->npat; i++) {
		if (g->gctx != NULL) {
			dl_pcre2_code_free(g->pat[i].code); /* NULL: nothing */
			dl_pcre2_code_free(g->pat[i].anchored);
		}
		alloc_free(g->pat[i].text);
	}
	alloc_free(g->pat);
	if (g->gctx != NULL) {
		dl_pcre2_jit_stack_free(g->jit_stack);
		dl_pcre2_match_data_free(g->md);
		dl_pcre2_match_context_free(g->mctx);
		dl_pcre2_compile_context_free(g->cctx);
		dl_pcre2_general_context_free(g->gctx);
	}
	buf_free(&g->line);
	alloc_free(g->match);
	alloc_free(g);
}

void
grep_set_skip(awn_grep *g, int on)
{
	g->skip_off = !on;
}

void
grep_set_jit_after(awn_grep *g, size_t bytes)
{
	g->jit_after = bytes;
}

int
grep_jit_tried(const awn_grep *g)
{
	return g->jit_tried;
}

void
grep_set_limits(awn_grep *g, uint32_t match_limit, uint32_t depth_limit)
{
	if (g->mctx == NULL) /* literals only */
		return;
	g->match_limit = match_limit ? match_limit : GREP_MATCH_LIMIT;
	dl_pcre2_set_match_limit(g->mctx, g->match_limit);
	dl_pcre2_set_depth_limit(g->mctx,
	                         depth_limit ? depth_limit : GREP_DEPTH_LIMIT);
}

/* PT's anchored copy, JIT-compiled, or none (the interpreter then
 * takes PCRE2_ANCHORED at match time, as it always can). */
static void
jit_anchored(awn_grep *g, struct pattern *pt)
{
	struct buf scratch;
	awn_error err;
	size_t size = 0;

	buf_init(&scratch, 0);
	if (compile_pattern(g, pt, PCRE2_ANCHORED, &scratch, &pt->anchored,
	                    &err) != AWN_OK ||
	    dl_pcre2_jit_compile(pt->anchored, PCRE2_JIT_COMPLETE) != 0 ||
	    dl_pcre2_pattern_info(pt->anchored, PCRE2_INFO_JITSIZE, &size) !=
	        0 ||
	    size == 0) {
		dl_pcre2_code_free(pt->anchored);
		pt->anchored = NULL;
	}
	buf_free(&scratch);
}

/*
 * JIT-compile every pattern that PCRE2 can; those it cannot (no JIT
 * support, out of memory, "(*NO_JIT)" in the pattern, which makes
 * pcre2_jit_compile succeed doing nothing) stay with the interpreter,
 * as all do if the JIT stack cannot be had.
 */
static void
jit_compile(awn_grep *g)
{
	size_t i, size;
	int any = 0;

	g->jit_tried = 1;
	for (i = 0; i < g->npat; i++) {
		struct pattern *pt = &g->pat[i];

		size = 0;
		pt->jit =
		    pt->code != NULL &&
		    dl_pcre2_jit_compile(pt->code, PCRE2_JIT_COMPLETE) == 0 &&
		    dl_pcre2_pattern_info(pt->code, PCRE2_INFO_JITSIZE,
		                          &size) == 0 &&
		    size > 0;
		any |= pt->jit;
		if (pt->jit && !(g->flags & AWN_GREP_FIRST_ONLY))
			jit_anchored(g, pt);
	}
	if (!any)
		return;
	g->jit_stack = dl_pcre2_jit_stack_create(JIT_STACK_START,
	                                         GREP_JIT_STACK_MAX, g->gctx);
	if (g->jit_stack != NULL)
		dl_pcre2_jit_stack_assign(g->mctx, NULL, g->jit_stack);
	else
		for (i = 0; i < g->npat; i++)
			g->pat[i].jit = 0;
}

/* pcre2_match's result as 1 (match), 0 (none) or a negative error. */
static int
run_match(awn_grep *g, struct pattern *pt, const char *s, size_t len,
          size_t from, uint32_t options)
{
	int rc;

	if (!g->jit_tried && (g->interpreted += len - from + 1) >= g->jit_after)
		jit_compile(g);
	if (pt->jit && !(options & PCRE2_ANCHORED)) {
		rc = dl_pcre2_jit_match(pt->code, (PCRE2_SPTR)s, len, from,
		                        options, g->md, g->mctx);
	} else if (pt->anchored != NULL && (options & PCRE2_ANCHORED)) {
		rc = dl_pcre2_jit_match(pt->anchored, (PCRE2_SPTR)s, len, from,
		                        options & ~PCRE2_ANCHORED, g->md,
		                        g->mctx);
	} else if (!g->jit_tried && g->match_limit > GREP_TRIAL_LIMIT) {
		/* A match that proves costly brings the JIT in, and runs
		 * again, under the whole limit (the JIT's or, where it is
		 * not to be had, the interpreter's). */
		dl_pcre2_set_match_limit(g->mctx, GREP_TRIAL_LIMIT);
		rc = dl_pcre2_match(pt->code, (PCRE2_SPTR)s, len, from,
		                    options | PCRE2_NO_JIT, g->md, g->mctx);
		dl_pcre2_set_match_limit(g->mctx, g->match_limit);
		if (rc == PCRE2_ERROR_MATCHLIMIT) {
			jit_compile(g);
			return run_match(g, pt, s, len, from, options);
		}
	} else { /* PCRE2_NO_JIT: not even with the JIT's default stack */
		rc = dl_pcre2_match(pt->code, (PCRE2_SPTR)s, len, from,
		                    options | PCRE2_NO_JIT, g->md, g->mctx);
	}
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc >= 0 ? 1 : rc; /* 0: ovector too small, still a match */
}

/* The first place of literal PT in S/LEN at or after FROM: 1 or 0. */
static int
find_literal(const struct pattern *pt, const char *s, size_t len, size_t from,
             size_t *start, size_t *end)
{
	const char *p = s + from, *last;
	char first = pt->text[0];

	if (len - from < pt->len)
		return 0;
	last = s + len - pt->len; /* the last place it can start */
	for (; (p = memchr(p, first, (size_t)(last - p) + 1)) != NULL; p++)
		if (memcmp(p + 1, pt->text + 1, pt->len - 1) == 0) {
			*start = (size_t)(p - s);
			*end = *start + pt->len;
			return 1;
		}
	return 0;
}

/*
 * The first match of PT in S/LEN at or after FROM, preferring a
 * non-empty match to an empty one at the same start (as grep -o does).
 * Returns 1 with *START and *END set, 0 for none, or a PCRE2 error.
 */
static int
find_one(awn_grep *g, struct pattern *pt, const char *s, size_t len,
         size_t from, size_t *start, size_t *end)
{
	PCRE2_SIZE *ov;
	int rc;

	if (pt->literal)
		return find_literal(pt, s, len, from, start, end);
	ov = dl_pcre2_get_ovector_pointer(g->md);
	rc = run_match(g, pt, s, len, from, 0);
	if (rc != 1)
		return rc;
	*start = ov[0];
	*end = ov[1] > ov[0] ? ov[1] : ov[0];
	/* Only a match that is shown needs its non-empty form (which can
	 * cost a hard-backtracking pattern much more than finding it). */
	if (*start == *end && *start < len &&
	    !(g->flags & AWN_GREP_FIRST_ONLY)) {
		rc = run_match(g, pt, s, len, *start,
		               PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED);
		if (rc < 0)
			return rc;
		if (rc == 1 && ov[1] > ov[0])
			*end = ov[1];
	}
	return 1;
}

/* Bytes of the UTF-8 character at S (LEN > 0), at least 1. */
static size_t
char_len(const char *s, size_t len)
{
	size_t n;

	utf8_decode((const unsigned char *)s, len, &n);
	return n;
}

static awn_status
add_match(awn_grep *g, size_t n, size_t start, size_t end)
{
	if (n == g->match_cap) {
		size_t cap = g->match_cap ? g->match_cap * 2 : 16;
		awn_grep_match *m =
		    alloc_reallocarray(g->match, cap, sizeof *m);

		if (m == NULL)
			return AWN_ERR_NOMEM;
		g->match = m;
		g->match_cap = cap;
	}
	g->match[n].start = start;
	g->match[n].end = end;
	return AWN_OK;
}

/*
 * Match the line in g->line against every pattern.  Sets *MATCHED and
 * *NMATCH (matches in g->match); returns 0 or a PCRE2 error, with
 * g->fail_pat set to the pattern that failed.
 */
static int
match_line(awn_grep *g, int *matched, size_t *nmatch)
{
	/* PCRE2 10.42 takes no NULL subject, even an empty one. */
	const char *s = g->line.data ? g->line.data : "";
	size_t len = g->line.len, pos = 0, i, n = 0;
	int rc;

	*matched = 0;
	for (i = 0; i < g->npat; i++)
		g->pat[i].next_state = NEXT_UNKNOWN;
	while (pos <= len) {
		size_t best = SIZE_MAX, bs = 0, be = 0;

		for (i = 0; i < g->npat; i++) {
			struct pattern *pt = &g->pat[i];

			if (pt->next_state == NEXT_FOUND &&
			    pt->next_start < pos)
				pt->next_state = NEXT_UNKNOWN;
			if (pt->next_state == NEXT_UNKNOWN) {
				rc = find_one(g, pt, s, len, pos,
				              &pt->next_start, &pt->next_end);
				if (rc < 0) {
					g->fail_pat = i;
					return rc;
				}
				pt->next_state = rc ? NEXT_FOUND : NEXT_NONE;
			}
			if (pt->next_state != NEXT_FOUND)
				continue;
			if (best == SIZE_MAX || pt->next_start < bs ||
			    (pt->next_start == bs && pt->next_end > be)) {
				best = i;
				bs = pt->next_start;
				be = pt->next_end;
			}
		}
		if (best == SIZE_MAX)
			break;
		/* Never move back, whatever \K may report. */
		if (bs < pos)
			bs = pos;
		if (be < bs)
			be = bs;
		*matched = 1;
		if (be > bs && add_match(g, n++, bs, be) != AWN_OK)
			return PCRE2_ERROR_NOMEMORY;
		if (g->flags & AWN_GREP_FIRST_ONLY)
			break;
		if (be > bs)
			pos = be;
		else if (bs < len)
			pos = bs + char_len(s + bs, len - bs);
		else
			break;
	}
	*nmatch = n;
	return 0;
}

static awn_status
match_error(awn_grep *g, int code, uint32_t line, awn_error *err)
{
	PCRE2_UCHAR msg[256];
	char shown[PATTERN_SHOWN + 1];

	int limit =
	    code == PCRE2_ERROR_MATCHLIMIT || code == PCRE2_ERROR_DEPTHLIMIT ||
	    code == PCRE2_ERROR_HEAPLIMIT || code == PCRE2_ERROR_JIT_STACKLIMIT;

	if (code == PCRE2_ERROR_NOMEMORY)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	if (dl_pcre2_get_error_message(code, msg, sizeof msg) < 0)
		snprintf((char *)msg, sizeof msg, "error %d", code);
	pattern_shown(g->pat[g->fail_pat].text, shown, sizeof shown);
	return error_set(err, limit ? AWN_ERR_LIMIT : AWN_ERR_QUERY,
	                 "pattern '%s'%s: %s on line %u", shown,
	                 limit ? " is too costly" : "", (const char *)msg,
	                 line);
}

/* The first place of folded C (a lower-case letter) in [S, END), in
 * either case, or NULL. */
static const char *
find_letter(const char *s, const char *end, unsigned char c)
{
	const uint64_t want = ONES * c;
	uint64_t w;

	for (; end - s >= 8; s += 8) {
		w = (richtext_load8(s) | ONES * 0x20) ^ want;
		if (((w - ONES) & ~w & HIGHS) != 0)
			break;
	}
	for (; s < end; s++)
		if (((unsigned char)*s | 0x20) == c)
			return s;
	return NULL;
}

/* The next place of PT's anchor byte in [S, END), in either case
 * under -i, or END. */
static const char *
find_anchor(const awn_grep *g, const struct pattern *pt, const char *s,
            const char *end)
{
	unsigned char c = (unsigned char)pt->key[pt->anchor];
	const char *at;

	/* Only letters have another case in ASCII. */
	if ((g->flags & AWN_GREP_IGNORE_CASE) && c >= 'a' && c <= 'z')
		at = find_letter(s, end, c);
	else
		at = memchr(s, c, (size_t)(end - s));
	return at ? at : end;
}

/* Does S/LEN hold PT's key? */
static int
holds_key(const awn_grep *g, const struct pattern *pt, const char *s,
          size_t len)
{
	const char *end = s + len, *at, *k;
	size_t i;

	if (len < pt->keylen)
		return 0;
	/* The anchor sits at [anchor, len - keylen + anchor]. */
	for (at = s + pt->anchor;
	     (at = find_anchor(g, pt, at, end - pt->keylen + pt->anchor + 1)) <
	     end - pt->keylen + pt->anchor + 1;
	     at++) {
		k = at - pt->anchor;
		if (!(g->flags & AWN_GREP_IGNORE_CASE)) {
			if (memcmp(k, pt->key, pt->keylen) == 0)
				return 1;
			continue;
		}
		for (i = 0; i < pt->keylen; i++) {
			unsigned char b = (unsigned char)k[i];

			if ((b >= 'A' && b <= 'Z' ? b + 32u : b) !=
			    (unsigned char)pt->key[i])
				break;
		}
		if (i == pt->keylen)
			return 1;
	}
	return 0;
}

/* Does S/LEN hold some pattern's key? */
static int
holds_any_key(const awn_grep *g, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < g->npat; i++)
		if (holds_key(g, &g->pat[i], s, len))
			return 1;
	return 0;
}

/*
 * Where the next line that may match starts, at or after P: the line
 * of the first anchor byte, or END.  An anchor that plain text never
 * adds is a byte of the stored line, so a line without any is passed
 * over, whatever its markers (a key of blanks, '|' and '-' alone may
 * be made by " | " or "---": then every line is looked at).
 */
static const char *
next_anchor(awn_grep *g, const char *p, const char *end)
{
	const char *first = end;
	size_t i;

	for (i = 0; i < g->npat; i++) {
		struct pattern *pt = &g->pat[i];

		if (!pt->anchor_copied)
			return p;
		if (pt->anchor_at == NULL || pt->anchor_at < p)
			pt->anchor_at = find_anchor(g, pt, p, end);
		if (pt->anchor_at < first)
			first = pt->anchor_at;
	}
	return first;
}

enum { LINE_NO, LINE_YES, LINE_PLAIN };

/*
 * May the line P/LEN match?  A key is printable ASCII, so in a line
 * with no control byte but '\t' and one RT_PREFIX_END, it occurs in
 * plain text only where it occurs in the stored bytes (plain text drops
 * the kind byte and RT_PREFIX_END and changes no ASCII byte), or across
 * that RT_PREFIX_END.  LINE_NO: no key, no match; LINE_YES: some key;
 * LINE_PLAIN: a line with markers (which join text around them, or
 * drop a link's destination) or a rule ("---"): its plain text must
 * tell.
 */
static int
line_may_match(const awn_grep *g, const char *p, size_t len)
{
	char join[2 * PREFILTER_MAX];
	const char *s = p, *end = p + len, *pe = NULL, *from, *to;
	size_t i, n, most = 0;

	if (len == 0 || *p == RT_BLANK)
		return LINE_NO;
	if (*p == RT_RULE)
		return LINE_PLAIN;
	while ((s = richtext_next_control(s, end)) < end) {
		if (*s == RT_PREFIX_END && pe == NULL)
			pe = s;
		else if (*s != '\t')
			return LINE_PLAIN;
		s++;
	}
	if (holds_any_key(g, p, len))
		return LINE_YES;
	/* Across RT_PREFIX_END, when text stands on both sides of it. */
	if (pe == NULL || pe + 1 == end || pe == p ||
	    (pe == p + 1 && richtext_is_kind((unsigned char)*p)))
		return LINE_NO;
	for (i = 0; i < g->npat; i++)
		if (g->pat[i].keylen > most)
			most = g->pat[i].keylen;
	from = pe - p >= (ptrdiff_t)most ? pe - (most - 1) : p;
	to = end - pe > (ptrdiff_t)most ? pe + most : end;
	n = (size_t)(pe - from);
	memcpy(join, from, n);
	memcpy(join + n, pe + 1, (size_t)(to - pe - 1));
	n += (size_t)(to - pe - 1);
	return holds_any_key(g, join, n) ? LINE_YES : LINE_NO;
}

/* Does TEXT/LEN hold a character that -i matches to k or s: U+212A
 * (E2 84 AA) or U+017F (C5 BF)?  memchr for their rarer bytes, as
 * memmem is a slow byte loop here. */
static int
holds_kelvin(const char *text, size_t len)
{
	const char *p, *end = text + len;

	for (p = text; (p = memchr(p, 0xAA, (size_t)(end - p))) != NULL; p++)
		if (p - text >= 2 && p[-2] == '\xE2' && p[-1] == '\x84')
			return 1;
	for (p = text; (p = memchr(p, 0xC5, (size_t)(end - p))) != NULL; p++)
		if (end - p >= 2 && p[1] == '\xBF')
			return 1;
	return 0;
}

awn_status
grep_text(awn_grep *g, uint32_t id, const char *text, size_t len,
          awn_grep_fn fn, void *ctx, awn_error *err)
{
	const char *p = text, *end = text + (text ? len : 0), *nl, *next;
	int all = (g->flags & AWN_GREP_ALL_LINES) != 0, skip, may, rc, blank;
	awn_grep_line l;
	awn_status st;
	size_t i;

	if (p == end)
		return AWN_OK;
	skip = g->skip && !g->skip_off &&
	       !(g->kelvin && holds_kelvin(p, (size_t)(end - p)));
	for (i = 0; i < g->npat; i++)
		g->pat[i].anchor_at = NULL;
	next = skip ? next_anchor(g, p, end) : end;
	memset(&l, 0, sizeof l);
	l.section = id;
	l.stored = text;
	l.stored_len = len;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (l.number < UINT32_MAX)
			l.number++;
		may = LINE_YES;
		if (skip) {
			if (next < p)
				next = next_anchor(g, p, end);
			may = next >= nl
			          ? LINE_NO
			          : line_may_match(g, p, (size_t)(nl - p));
		}
		if (may == LINE_NO && !all) {
			p = nl + 1;
			continue;
		}
		buf_reset(&g->line);
		blank = *p == RT_BLANK;
		st = richtext_plain_line(p, (size_t)(nl - p), &g->line);
		/*
		 * The JIT's vector loads may read a little past the end of
		 * the subject; bytes there are set, so that stays defined.
		 */
		if (st == AWN_OK &&
		    (st = buf_reserve(&g->line, SUBJECT_PAD)) == AWN_OK)
			memset(g->line.data + g->line.len, 0, SUBJECT_PAD);
		if (st != AWN_OK)
			return error_set(err, st, "%s", awn_strerror(st));
		p = nl + 1;
		if (may == LINE_PLAIN &&
		    !holds_any_key(g, g->line.data, g->line.len))
			may = LINE_NO;
		l.matched = 0;
		l.nmatch = 0;
		if (may != LINE_NO) {
			/* A blank line between two blocks of a quote shows the
			 * quote's marks, but is empty to the search, as
			 * line_may_match takes it (awsnote(1), OUTPUT). */
			size_t shown = g->line.len;

			if (blank)
				g->line.len = 0;
			rc = match_line(g, &l.matched, &l.nmatch);
			g->line.len = shown;
			if (rc != 0)
				return match_error(g, rc, l.number, err);
		}
		if (!l.matched && !all)
			continue;
		/* An empty line's buffer may never have been allocated. */
		l.text = g->line.data ? g->line.data : "";
		l.len = g->line.len;
		l.match = l.nmatch ? g->match : NULL;
		if (fn(ctx, &l) != 0)
			break;
	}
	return AWN_OK;
}

/*
 * May a block with filter F hold PT's literal?  Under -i, a k may be
 * U+212A and an s U+017F in the text, whose UTF-8 bytes the filter
 * keeps: each way of writing the literal is tried (the first is all
 * ASCII).
 */
static int
literal_may_pass(const awn_grep *g, const struct pattern *pt,
                 const unsigned char *f)
{
	char v[PREFILTER_MAX * 3];
	unsigned form, bit, nks = 0;
	size_t i, n;

	if (!(g->flags & AWN_GREP_IGNORE_CASE))
		return prefilter_may_contain(f, pt->lit, pt->litlen);
	for (i = 0; i < pt->litlen; i++)
		nks += is_ks((unsigned char)pt->lit[i]);
	for (form = 0; form < 1u << nks; form++) {
		for (i = n = 0, bit = 1; i < pt->litlen; i++) {
			const char *alt = NULL;

			if (is_ks((unsigned char)pt->lit[i])) {
				if (form & bit)
					alt = pt->lit[i] == 'k' ? "\xE2\x84\xAA"
					                        : "\xC5\xBF";
				bit <<= 1;
			}
			if (alt == NULL)
				v[n++] = pt->lit[i];
			else
				while (*alt)
					v[n++] = *alt++;
		}
		if (prefilter_may_contain(f, v, n))
			return 1;
	}
	return 0;
}

/*
 * Could section ID's block hold a match?  Yes if any pattern's literal
 * passes the block's trigram filter, or the blob has no filters.  The
 * answer for the block of the last section is kept: compared by its
 * bytes, so a filter elsewhere at the same address is not mistaken for
 * it.
 */
static awn_status
block_may_match(awn_grep *g, const awn_db *db, uint32_t id, int *may,
                awn_error *err)
{
	const unsigned char *f;
	awn_status st;
	size_t i;

	*may = 1;
	f = id < awn_db_count(db) ? db_block_filter(db, id) : NULL;
	if (f != NULL && f == g->filter_at && db == g->filter_db &&
	    memcmp(f, g->filter, PREFILTER_BYTES) == 0) {
		*may = g->filter_passes;
		return AWN_OK;
	}
	if ((st = db_check_filters(db, id, err)) != AWN_OK || f == NULL)
		return st;
	for (i = 0; i < g->npat; i++)
		if (literal_may_pass(g, &g->pat[i], f))
			break;
	*may = i < g->npat;
	g->filter_db = db;
	g->filter_at = f;
	memcpy(g->filter, f, PREFILTER_BYTES);
	g->filter_passes = *may;
	return AWN_OK;
}

/*
 * Add section ID's path to ERR's message about a limit, whole: when the
 * message is too long for ERR, error_set keeps its start and its end
 * around "...", as for every message.  Without memory for the path, the
 * message names the pattern and the line only.
 */
static void
limit_where(const awn_db *db, uint32_t id, awn_error *err)
{
	char detail[sizeof err->detail];
	size_t n = awn_db_path(db, id, " > ", NULL, 0);
	char *path = alloc_malloc(n + 1);

	if (path == NULL)
		return;
	awn_db_path(db, id, " > ", path, n + 1);
	memcpy(detail, err->detail, sizeof detail);
	error_set(err, err->status, "%s of '%s'", detail, path);
	alloc_free(path);
}

awn_status
awn_grep_section(awn_grep *g, awn_db *db, uint32_t id, awn_grep_fn fn,
                 void *ctx, awn_error *err)
{
	const char *text;
	size_t len;
	awn_status st;
	int may;

	if (g == NULL || db == NULL || fn == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	if (g->prefilter) {
		if ((st = block_may_match(g, db, id, &may, err)) != AWN_OK)
			return st;
		if (!may)
			return AWN_OK; /* no need to inflate the block */
	}
	if ((st = awn_db_text(db, id, &text, &len, err)) != AWN_OK)
		return st;
	st = grep_text(g, id, text, len, fn, ctx, err);
	if (st == AWN_ERR_LIMIT && err != NULL)
		limit_where(db, id, err);
	return st;
}
