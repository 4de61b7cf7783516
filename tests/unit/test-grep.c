/*
 * test-grep.c - unit tests for the regex search (grep.c): what a line's
 * text is, match offsets, -i/-w/-F, several patterns, line numbers,
 * hostile bytes, pattern errors with their offset, runaway patterns,
 * stopping, and allocation failures.
 *
 * Most cases feed hand-written rich-text lines (richtext.h) to
 * grep_text; C hex escapes are greedy, so markers are spliced in as
 * separate literals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "awsnote.h"
#include "check.h"
#include "grep.h"

#define S_ON  "\x01"
#define S_OFF "\x02"
#define C_ON  "\x05"
#define C_OFF "\x06"
#define LNK   "\x0e"
#define LTXT  "\x0f"
#define LEND  "\x10"
#define CELL  "\x1e"
#define PE    "\x1f"
#define FFFD  "\xEF\xBF\xBD"

/* ---- What the callback saw, as one string ------------------------------ */

/*
 * Every reported line as "N:text" (matched) or "N-text" (other), with
 * each match in [brackets], lines joined by '\n'.
 */
struct seen {
	char s[8192];
	size_t len;
	unsigned lines;
	unsigned stop_after; /* return 1 after this many lines; 0: never */
};

static int
record(void *ctx, const awn_grep_line *l)
{
	struct seen *w = ctx;
	size_t i, at = 0;

	CHECK(l->nmatch == 0 || l->matched);
	CHECK((l->nmatch == 0) == (l->match == NULL));
	w->len += (size_t)snprintf(w->s + w->len, sizeof w->s - w->len,
	                           "%s%u%c", w->lines ? "\n" : "", l->number,
	                           l->matched ? ':' : '-');
	for (i = 0; i <= l->nmatch && w->len < sizeof w->s - 64; i++) {
		size_t to = i < l->nmatch ? l->match[i].start : l->len;

		CHECK(to >= at && to <= l->len);
		if (i < l->nmatch)
			CHECK(l->match[i].end > l->match[i].start &&
			      l->match[i].end <= l->len);
		if (to < at || to > l->len)
			break;
		w->len +=
		    (size_t)snprintf(w->s + w->len, sizeof w->s - w->len,
		                     "%.*s", (int)(to - at), l->text + at);
		if (i < l->nmatch) {
			at = l->match[i].end;
			w->len += (size_t)snprintf(
			    w->s + w->len, sizeof w->s - w->len, "[%.*s]",
			    (int)(at - to), l->text + to);
		}
	}
	w->lines++;
	return w->stop_after && w->lines >= w->stop_after;
}

/* Pass 0 leaves the interpreter to tier up to the JIT as it does; pass
 * 1 JIT-compiles at once, so that both matchers run every test. */
static size_t jit_after = GREP_JIT_AFTER;

static awn_status
new_grep(awn_grep **g, const char *const *pats, size_t n, unsigned flags,
         awn_error *err)
{
	awn_status st = awn_grep_new(g, pats, n, flags, err);

	if (st == AWN_OK)
		grep_set_jit_after(*g, jit_after);
	return st;
}

/* Search TEXT/LEN for PATTERNS; returns what was seen ("" on error). */
static const char *
grep_n(const char *const *pats, size_t n, unsigned flags, const char *text,
       size_t len, awn_status want)
{
	static struct seen w;
	awn_grep *g = NULL;
	awn_error err = {AWN_OK, ""};
	awn_status st;

	memset(&w, 0, sizeof w);
	st = new_grep(&g, pats, n, flags, &err);
	if (st == AWN_OK)
		st = grep_text(g, 7, text, len, record, &w, &err);
	CHECK_INT(st, want);
	if (st != want)
		fprintf(stderr, "  (%s)\n", err.detail);
	awn_grep_free(g);
	return w.s;
}

#define GREP1(pat, flags, text)                                                \
	grep_n((const char *const[]){(pat)}, 1, (flags), (text),               \
	       sizeof(text) - 1, AWN_OK)

/* ---- Plain text of lines ---------------------------------------------- */

static void
test_plain_text(void)
{
	/* Markup is gone before matching: "SSE-KMS" spans a marker. */
	CHECK_STR(GREP1("SSE-\\w+", 0,
	                "P" PE "Use " S_ON "SSE" S_OFF "-KMS or " C_ON
	                "SSE-S3" C_OFF ".\n"),
	          "1:Use [SSE-KMS] or [SSE-S3].");
	/* A link shows its text; its destination is not searched. */
	CHECK_STR(GREP1("kms", 0,
	                "P" PE "see " LNK "https://kms.example" LTXT
	                "the docs" LEND "\n"),
	          "");
	CHECK_STR(GREP1("docs", 0,
	                "P" PE "see " LNK "https://kms.example" LTXT
	                "the docs" LEND "\n"),
	          "1:see the [docs]");
	/* Prefixes (list markers, quotes) are text; cells are " | ". */
	CHECK_STR(
	    GREP1("^\\* item|a \\| b", 0, "P* " PE "item\nT" PE "a" CELL "b\n"),
	    "1:[* item]\n2:[a | b]");
	/* A rule is "---"; a blank line is empty. */
	CHECK_STR(GREP1("^(---|)$", 0, "R" PE "\nE" PE "\nP" PE "x\n"),
	          "1:[---]\n2:");
}

/* ---- Offsets and line numbers ------------------------------------------ */

static const char section[] = "2" PE "Encryption at rest\n"
                              "P" PE "KMS keys encrypt data.\n"
                              "E" PE "\n"
                              "P" PE "SSE-KMS uses KMS; SSE-S3 does not.\n"
                              "V    " PE "aws kms encrypt --key-id k\n";

static void
test_offsets(void)
{
	static struct seen w;
	awn_grep *g = NULL;
	const char *pat = "KMS";

	/* The heading is line 1; lines keep their number among all. */
	CHECK_STR(GREP1("KMS", 0, section),
	          "2:[KMS] keys encrypt data.\n"
	          "4:SSE-[KMS] uses [KMS]; SSE-S3 does not.");
	CHECK_STR(
	    GREP1("encrypt", 0, section),
	    "2:KMS keys [encrypt] data.\n5:    aws kms [encrypt] --key-id "
	    "k");
	CHECK_STR(GREP1("Encryption", 0, section), "1:[Encryption] at rest");
	/* Every line with AWN_GREP_ALL_LINES, the others marked. */
	CHECK_STR(GREP1("KMS", AWN_GREP_ALL_LINES, section),
	          "1-Encryption at rest\n2:[KMS] keys encrypt data.\n3-\n"
	          "4:SSE-[KMS] uses [KMS]; SSE-S3 does not.\n"
	          "5-    aws kms encrypt --key-id k");
	/* The section id is passed through; stopping ends the section. */
	memset(&w, 0, sizeof w);
	w.stop_after = 1;
	CHECK_INT(new_grep(&g, &pat, 1, 0, NULL), AWN_OK);
	CHECK_INT(
	    grep_text(g, 42, section, sizeof section - 1, record, &w, NULL),
	    AWN_OK);
	CHECK_INT(w.lines, 1);
	awn_grep_free(g);
	/* Byte offsets past multi-byte text. */
	CHECK_STR(
	    GREP1("b+", 0, "P" PE "\xC3\xA9t\xC3\xA9 bb \xE2\x86\x92 b\n"),
	    "1:\xC3\xA9t\xC3\xA9 [bb] \xE2\x86\x92 [b]");
	/* A last line without a newline counts; an empty text has none. */
	CHECK_STR(GREP1("z", 0, "P" PE "a\nP" PE "z"), "2:[z]");
	CHECK_STR(GREP1("", 0, ""), "");
}

/* ---- -i, -w, -F ---------------------------------------------------------- */

static void
test_flags(void)
{
	const char *t = "P" PE "KMSKey, kms-key and SSE-KMS (KMS)\n";

	CHECK_STR(
	    grep_n((const char *const[]){"kms"}, 1, 0, t, strlen(t), AWN_OK),
	    "1:KMSKey, [kms]-key and SSE-KMS (KMS)");
	CHECK_STR(grep_n((const char *const[]){"kms"}, 1, AWN_GREP_IGNORE_CASE,
	                 t, strlen(t), AWN_OK),
	          "1:[KMS]Key, [kms]-key and SSE-[KMS] ([KMS])");
	/* -w: not glued to a letter, digit or underscore on either side. */
	CHECK_STR(grep_n((const char *const[]){"kms"}, 1,
	                 AWN_GREP_IGNORE_CASE | AWN_GREP_WORD, t, strlen(t),
	                 AWN_OK),
	          "1:KMSKey, [kms]-key and SSE-[KMS] ([KMS])");
	/* -w retries other alternatives rather than giving up (grep -w). */
	CHECK_STR(GREP1("ab|abc", AWN_GREP_WORD, "P" PE "abc abd\n"),
	          "1:[abc] abd");
	CHECK_STR(GREP1("ab", AWN_GREP_WORD, "P" PE "abc\n"), "");
	/* Unicode letters are word characters; case folds beyond ASCII. */
	CHECK_STR(GREP1("t\xC3\xA9", AWN_GREP_WORD,
	                "P" PE "t\xC3\xA9t\xC3\xA9 t\xC3\xA9\n"),
	          "1:t\xC3\xA9t\xC3\xA9 [t\xC3\xA9]");
	CHECK_STR(GREP1("\xC3\x89T\xC3\x89", AWN_GREP_IGNORE_CASE,
	                "P" PE "en \xC3\xA9t\xC3\xA9\n"),
	          "1:en [\xC3\xA9t\xC3\xA9]");
	/* -F: metacharacters are literal. */
	CHECK_STR(GREP1("a.c(", AWN_GREP_FIXED, "P" PE "abc( a.c(\n"),
	          "1:abc( [a.c(]");
	CHECK_STR(GREP1("$x\\d", AWN_GREP_FIXED | AWN_GREP_IGNORE_CASE,
	                "P" PE "$X\\D\n"),
	          "1:[$X\\D]");
	/* -F -w: "-x" is a word when blanks surround it, as in grep. */
	CHECK_STR(
	    GREP1("-x", AWN_GREP_FIXED | AWN_GREP_WORD, "P" PE "a -x b a-xb\n"),
	    "1:a [-x] b a-xb");
	/* Start-of-pattern settings survive -w's wrapping. */
	CHECK_STR(GREP1("(*UCP)(*LIMIT_MATCH=1000)ab", AWN_GREP_WORD,
	                "P" PE "ab abc\n"),
	          "1:[ab] abc");
	/* First match only: the same lines, at most one place each (none
	 * when the first match is empty). */
	CHECK_STR(grep_n((const char *const[]){"kms"}, 1,
	                 AWN_GREP_IGNORE_CASE | AWN_GREP_FIRST_ONLY, t,
	                 strlen(t), AWN_OK),
	          "1:[KMS]Key, kms-key and SSE-KMS (KMS)");
	CHECK_STR(GREP1("x*", AWN_GREP_FIRST_ONLY, "P" PE "axxbx\nP" PE "b\n"),
	          "1:axxbx\n2:b");
	CHECK_STR(GREP1("nope|b", AWN_GREP_FIRST_ONLY | AWN_GREP_ALL_LINES,
	                "P" PE "a\nP" PE "abcb\n"),
	          "1-a\n2:a[b]cb");
}

/* ---- Several patterns, empty matches ------------------------------------- */

static void
test_patterns(void)
{
	const char *t = "P" PE "SSE-KMS and SSE-S3\nP" PE "nothing\n";

	/* Any pattern makes a line match; earliest start wins, then the
	 * longest, and matches never overlap. */
	CHECK_STR(grep_n((const char *const[]){"S3", "SSE", "SSE-KMS"}, 3, 0, t,
	                 strlen(t), AWN_OK),
	          "1:[SSE-KMS] and [SSE]-[S3]");
	CHECK_STR(grep_n((const char *const[]){"zzz", "noth"}, 2, 0, t,
	                 strlen(t), AWN_OK),
	          "2:[noth]ing");
	/* An empty match makes the line match but is not a match part. */
	CHECK_STR(GREP1("", 0, "P" PE "a\nE" PE "\n"), "1:a\n2:");
	CHECK_STR(GREP1("x*", 0, "P" PE "axxbx\n"), "1:a[xx]b[x]");
	/* An empty alternative first: the non-empty match is still found. */
	CHECK_STR(GREP1("|abc", 0, "P" PE "abc\n"), "1:[abc]");
	CHECK_STR(GREP1("\\b", 0, "P" PE "a b\n"), "1:a b");
	/* The same without the JIT, through the interpreter. */
	CHECK_STR(GREP1("(*NO_JIT)|abc", 0, "P" PE "abc\n"), "1:[abc]");
	CHECK_STR(GREP1("(*NO_JIT)x*", 0, "P" PE "axxbx\n"), "1:a[xx]b[x]");
	CHECK_STR(GREP1("(*NO_JIT)kms", AWN_GREP_WORD | AWN_GREP_IGNORE_CASE,
	                "P" PE "KMSKey, kms-key (KMS)\n"),
	          "1:KMSKey, [kms]-key ([KMS])");
}

/* ---- Literals ------------------------------------------------------------ */

/* Search TEXT for P as a literal (found without PCRE2) and as the
 * regex "(?:P)" (PCRE2): the two must see the same. */
static void
check_literal(const char *p, unsigned flags, const char *text, size_t len)
{
	char re[64], lit[4096];

	snprintf(re, sizeof re, "(?:%s)", p);
	snprintf(lit, sizeof lit, "%s",
	         grep_n((const char *const[]){p}, 1, flags, text, len, AWN_OK));
	CHECK_STR(lit, grep_n((const char *const[]){re}, 1, flags, text, len,
	                      AWN_OK));
}

static void
test_literals(void)
{
	static const char t[] = "P" PE "aab aaaa ab\xFF\xC3"
	                        "ab\0ab SSE-KMS\n"
	                        "P" PE "x " S_ON "a" S_OFF "b, a\xE2\x80"
	                        "b\n"
	                        "P" PE "ab\nP" PE "a\n";
	static const char *const pats[] = {"ab", "aa",  "aaa",     "a",
	                                   "b",  "ab ", "SSE-KMS", "KMS\n",
	                                   "zz", "ab a"};
	size_t i;

	for (i = 0; i < sizeof pats / sizeof *pats; i++) {
		check_literal(pats[i], 0, t, sizeof t - 1);
		check_literal(pats[i], AWN_GREP_FIRST_ONLY, t, sizeof t - 1);
	}
	CHECK_STR(GREP1("aa", 0, "P" PE "aaaaa\n"), "1:[aa][aa]a");
	CHECK_STR(GREP1("a.c(", AWN_GREP_FIXED, "P" PE "abc( a.c(\n"),
	          "1:abc( [a.c(]");
	/* Literals and regexes together: earliest, then longest, wins. */
	CHECK_STR(grep_n((const char *const[]){"SSE", "S[A-Z]+-\\w+", "KMS"}, 3,
	                 0, t, sizeof t - 1, AWN_OK),
	          "1:aab aaaa ab\xEF\xBF\xBD\xEF\xBF\xBD"
	          "ab\xEF\xBF\xBD"
	          "ab "
	          "[SSE-KMS]");
}

/* ---- Hostile bytes ---------------------------------------------------- */

static void
test_hostile_text(void)
{
	/* Invalid UTF-8 and controls are U+FFFD in the text matched. */
	CHECK_STR(GREP1("a.b", 0,
	                "P" PE "a\xFF"
	                "b\n"),
	          "1:[a" FFFD "b]");
	CHECK_STR(GREP1("\\x{FFFD}+", 0, "P" PE "x\xED\xA0\x80y\x1b\x7f\n"),
	          "1:x[" FFFD FFFD FFFD "]y[" FFFD FFFD "]");
	CHECK_STR(GREP1("^.*$", 0, "P" PE "\xC0\xAF\xE4\xB8\n"),
	          "1:[" FFFD FFFD FFFD FFFD "]");
	/* A line with no kind byte is taken whole. */
	CHECK_STR(GREP1("hello", 0, "hello\n"), "1:[hello]");
}

/* ---- Lines that cannot match are passed over ---------------------------- */

#define EM_ON   "\x03"
#define EM_OFF  "\x04"
#define DEL_ON  "\x07"
#define DEL_OFF "\x08"
#define KELVIN  "\xE2\x84\xAA" /* U+212A, k under -i */
#define LONG_S  "\xC5\xBF"     /* U+017F, s under -i */

/* Search with and without skipping lines; the two must agree. */
static const char *
grep_skip(const char *const *pats, size_t n, unsigned flags, const char *text,
          size_t len)
{
	static struct seen on, off;
	awn_grep *g = NULL;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		struct seen *w = pass ? &off : &on;

		memset(w, 0, sizeof *w);
		CHECK_INT(new_grep(&g, pats, n, flags, NULL), AWN_OK);
		if (g == NULL)
			return "";
		grep_set_skip(g, pass == 0);
		CHECK_INT(grep_text(g, 7, text, len, record, w, NULL), AWN_OK);
		awn_grep_free(g);
	}
	CHECK_STR(on.s, off.s);
	return on.s;
}

#define SKIP1(pat, flags, text)                                                \
	grep_skip((const char *const[]){(pat)}, 1, (flags), (text),            \
	          sizeof(text) - 1)

static void
test_skip(void)
{
	awn_grep *g = NULL;
	const char *pat = "Lambda";
	static const char none[] = "P" PE "nothing here\nP" PE "x" S_ON
	                           "y" S_OFF "\nP" PE "Lamb da\nE" PE "\n";
	static const char two[] =
	    "P" PE "La" C_ON "mbda" C_OFF "\nP" PE "zzz\nP" PE "neither\n";

	/* The key split by each kind of marker. */
	CHECK_STR(SKIP1("Lambda", 0, "P" PE "La" S_ON "mb" S_OFF "da\n"),
	          "1:[Lambda]");
	CHECK_STR(SKIP1("Lambda", 0, "P" PE "La" EM_ON "mb" EM_OFF "da\n"),
	          "1:[Lambda]");
	CHECK_STR(SKIP1("Lambda", 0, "P" PE "La" C_ON "mb" C_OFF "da\n"),
	          "1:[Lambda]");
	CHECK_STR(SKIP1("Lambda", 0, "P" PE "La" DEL_ON "mb" DEL_OFF "da\n"),
	          "1:[Lambda]");
	/* Joined across a link's dropped destination, or by its text; a
	 * key in a destination alone is no match. */
	CHECK_STR(SKIP1("Lambda", 0,
	                "P" PE "La" LNK "https://x" LTXT "mbda" LEND "\n"),
	          "1:[Lambda]");
	CHECK_STR(
	    SKIP1("Lambda", 0, "P" PE "x" LNK "u" LTXT "La" LEND "mbda\n"),
	    "1:x[Lambda]");
	CHECK_STR(SKIP1("Lambda", 0,
	                "P" PE LNK "https://Lambda" LTXT "docs" LEND "\nP" PE
	                "Lambda\n"),
	          "2:[Lambda]");
	/* Across the prefix's end; a line with no kind byte is all text. */
	CHECK_STR(SKIP1("> Lam", 0, "P> " PE "Lambda\n"), "1:[> Lam]bda");
	CHECK_STR(SKIP1("xLambda", 0, "Px" PE "Lambda\n"), "1:[xLambda]");
	CHECK_STR(SKIP1("12\\. La", 0, "P  12. " PE "Lambda\n"),
	          "1:  [12. La]mbda");
	CHECK_STR(SKIP1("Lambda", 0, "L" PE "ambda\n"), "1:[Lambda]");
	CHECK_STR(SKIP1("Lambda", 0, "L" S_ON "ambda" S_OFF "\n"),
	          "1:[Lambda]");
	/* Made by a table's " | " or a rule's "---". */
	CHECK_STR(SKIP1("a \\| b", 0, "t" PE "a" CELL "b\nP" PE "a b\n"),
	          "1:[a | b]");
	CHECK_STR(
	    SKIP1(" | ", AWN_GREP_FIXED, "T" PE "x" CELL "y\nP" PE "x y\n"),
	    "1:x[ | ]y");
	CHECK_STR(SKIP1("---", AWN_GREP_FIXED, "R" PE "\nP" PE "- -\n"),
	          "1:[---]");
	CHECK_STR(SKIP1("> -", AWN_GREP_FIXED, "R> " PE "\n"), "1:[> -]--");
	/* Tabs, a second RT_PREFIX_END, controls and bad UTF-8 near it. */
	CHECK_STR(SKIP1("a\tLam", AWN_GREP_FIXED, "P" PE "a\tLambda\n"),
	          "1:[a\tLam]bda");
	CHECK_STR(SKIP1("Lambda", 0, "P" PE "La" PE "mbda\n"), "1:[Lambda]");
	CHECK_STR(SKIP1("La.bda", 0,
	                "P" PE "La\x1b"
	                "bda\nP" PE "La\x85"
	                "bda\n"),
	          "1:[La" FFFD "bda]\n2:[La" FFFD "bda]");
	/* -i: either case, even split; k and s also as U+212A and U+017F. */
	CHECK_STR(SKIP1("lambda", AWN_GREP_IGNORE_CASE,
	                "P" PE "LAMBDA\nP" PE "La" S_ON "MB" S_OFF "da\n"),
	          "1:[LAMBDA]\n2:[LaMBda]");
	CHECK_STR(SKIP1("kms", AWN_GREP_IGNORE_CASE,
	                "P" PE "KmS\nP" PE KELVIN "ms\nP" PE "km" LONG_S
	                "\nP" PE "kmx\n"),
	          "1:[KmS]\n2:[" KELVIN "ms]\n3:[km" LONG_S "]");
	CHECK_STR(SKIP1("x_y", AWN_GREP_IGNORE_CASE, "P" PE "X_Y\n"),
	          "1:[X_Y]");
	CHECK_STR(SKIP1("\\[ab", AWN_GREP_IGNORE_CASE, "P" PE "[AB\n"),
	          "1:[[AB]");
	/* -w and -F keep the key. */
	CHECK_STR(SKIP1("Lambda", AWN_GREP_WORD,
	                "P" PE "Lambdas\nP" PE "a Lambda.\n"),
	          "2:a [Lambda].");
	CHECK_STR(SKIP1("a.b", AWN_GREP_FIXED,
	                "P" PE "axb\nP" PE "a" S_ON ".b" S_OFF "\n"),
	          "2:[a.b]");
	/* Text quoted by \Q...\E inside a class is the class's. */
	CHECK_STR(SKIP1("[\\Q]xyz\\E] alone", 0, "P" PE "x alone\n"),
	          "1:[x alone]");
	CHECK_STR(SKIP1("[\\Q\\E]xyz]", 0, "P" PE "z\n"), "1:[z]");
	/* "[:[:]" is no POSIX name: the class ends at its ']'. */
	CHECK_STR(SKIP1("letter[[:[:]|alone", 0, "P" PE "just alone\n"),
	          "1:just [alone]");
	/* A key too short for the block filters still serves lines. */
	CHECK_STR(SKIP1("S3", 0, "P" PE "S" S_ON "3" S_OFF "\nP" PE "S 3\n"),
	          "1:[S3]");
	/* Several patterns: a line may match when any key is in it. */
	CHECK_STR(grep_skip((const char *const[]){"zzz", "Lambda"}, 2, 0, two,
	                    sizeof two - 1),
	          "1:[Lambda]\n2:[zzz]");
	/* Every line with AWN_GREP_ALL_LINES, text and all. */
	CHECK_STR(SKIP1("Lambda", AWN_GREP_ALL_LINES,
	                "P" PE S_ON "x" S_OFF "\nP" PE "Lambda\nE" PE "\n"),
	          "1-x\n2:[Lambda]\n3-");

	/* Lines without the key are passed over unread: not even the line
	 * buffer is allocated.  Without skipping, it is. */
	CHECK_INT(new_grep(&g, &pat, 1, 0, NULL), AWN_OK);
	if (g == NULL)
		return;
	alloc_fail_after(0);
	CHECK_INT(grep_text(g, 0, none, sizeof none - 1, record,
	                    &(struct seen){0}, NULL),
	          AWN_OK);
	grep_set_skip(g, 0);
	CHECK_INT(grep_text(g, 0, none, sizeof none - 1, record,
	                    &(struct seen){0}, NULL),
	          AWN_ERR_NOMEM);
	alloc_fail_after(-1);
	awn_grep_free(g);
}

/*
 * Random lines of markers, prefixes, cells, rules, bad bytes and pieces
 * of the keys: the same lines match, at the same places, with and
 * without skipping.
 */
static void
test_skip_random(void)
{
	static const char *const pieces[] = {
	    "Lambda",     "La",      "mbda",     "lam",
	    "bda",        "LAMB",    "x",        " ",
	    "-",          "|",       "---",      "a | b",
	    "kms",        "KMS",     "S3",       S_ON,
	    S_OFF,        EM_ON,     EM_OFF,     C_ON,
	    C_OFF,        DEL_ON,    DEL_OFF,    LNK "http://Lambda" LTXT,
	    LNK "u" LTXT, LNK "#La", LEND,       CELL,
	    CELL,         "\t",      PE,         KELVIN,
	    LONG_S,       "\xFF",    "\xC2\x85", "\x1b",
	    "\x7f",       "\xC3\xA9"};
	static const char *const prefixes[] = {"",   "",     "",   "> ", "* ",
	                                       "  ", "12. ", "La", "x"};
	static const char kinds[] = "1PPPPSBVTtREx-";
	static const struct {
		const char *pats[2];
		unsigned flags;
	} cases[] = {
	    {{"Lambda"}, 0},
	    {{"lambda"}, AWN_GREP_IGNORE_CASE},
	    {{"Lambda"}, AWN_GREP_WORD},
	    {{"La\\w*da"}, 0},
	    {{"mbda"}, AWN_GREP_ALL_LINES},
	    {{"a \\| b"}, 0},
	    {{"---"}, AWN_GREP_FIXED},
	    {{" | "}, AWN_GREP_FIXED},
	    {{"> La"}, AWN_GREP_FIXED | AWN_GREP_IGNORE_CASE},
	    {{"kms"}, AWN_GREP_IGNORE_CASE},
	    {{"s3", "lambda"}, AWN_GREP_IGNORE_CASE},
	    {{"kms", "xLa"}, 0},
	};
	char text[4096];
	unsigned long seed = 12345;
	size_t len, i, c, k, n;
	int round;

#define RAND(n)                                                                \
	((seed = seed * 6364136223846793005u + 1442695040888963407u),          \
	 (size_t)((seed >> 33) % (n)))
	for (round = 0; round < 400 && check_failures == 0; round++) {
		len = 0;
		for (i = RAND(12); i > 0; i--) {
			const char *pre = prefixes[RAND(9)];

			text[len++] = kinds[RAND(sizeof kinds - 1)];
			memcpy(text + len, pre, strlen(pre));
			len += strlen(pre);
			if (RAND(8) != 0)
				text[len++] = PE[0];
			for (k = RAND(8); k > 0; k--) {
				const char *pc = pieces[RAND(sizeof pieces /
				                             sizeof *pieces)];

				memcpy(text + len, pc, strlen(pc));
				len += strlen(pc);
			}
			text[len++] = '\n';
		}
		len -= len > 0 && RAND(4) == 0; /* no last newline */
		c = RAND(sizeof cases / sizeof *cases);
		n = cases[c].pats[1] ? 2 : 1;
		grep_skip(cases[c].pats, n, cases[c].flags, text, len);
	}
#undef RAND
}

/* ---- Errors ------------------------------------------------------------- */

static void
check_bad(const char *const *pats, size_t n, unsigned flags, const char *want)
{
	awn_grep *g = (awn_grep *)1;
	awn_error err = {AWN_OK, ""};

	CHECK_INT(new_grep(&g, pats, n, flags, &err), AWN_ERR_QUERY);
	CHECK(g == NULL);
	CHECK_STR(err.detail, want);
}

static void
test_bad_patterns(void)
{
	awn_grep *g = NULL;
	awn_error err = {AWN_OK, ""};

	check_bad((const char *const[]){"("}, 1, 0,
	          "bad pattern '(': missing closing parenthesis at offset 1");
	check_bad((const char *const[]){"ok", "a{2,1}"}, 2, 0,
	          "bad pattern 'a{2,1}': numbers out of order in {} "
	          "quantifier at offset 5");
	/* With -w the offset is still one into the user's pattern. */
	check_bad((const char *const[]){"ab[c"}, 1, AWN_GREP_WORD,
	          "bad pattern 'ab[c': missing terminating ] for character "
	          "class at offset 4");
	/* Invalid UTF-8 in a pattern (shown safely), even with -F. */
	check_bad((const char *const[]){"x\xFFy"}, 1, AWN_GREP_FIXED,
	          "bad pattern 'x" FFFD "y': UTF-8 error: illegal byte "
	          "(0xfe or 0xff) at offset 1");
	check_bad((const char *const[]){"\\C"}, 1, 0,
	          "bad pattern '\\C': using \\C is disabled by the "
	          "application at offset 2");
	/* A long pattern is cut in the message; the offset is still its. */
	{
		char long_pat[200], want[300];

		memset(long_pat, 'a', 150);
		strcpy(long_pat + 150, "(");
		snprintf(want, sizeof want,
		         "bad pattern '%.65s...': missing closing parenthesis "
		         "at offset 151",
		         long_pat);
		check_bad((const char *const[]){long_pat}, 1, 0, want);
	}
	/* No patterns, a NULL one. */
	CHECK_INT(new_grep(&g, NULL, 0, 0, &err), AWN_ERR_ARG);
	CHECK_INT(new_grep(&g, (const char *const[]){NULL}, 1, 0, &err),
	          AWN_ERR_ARG);
	CHECK(g == NULL);
	awn_grep_free(NULL);
}

/*
 * Two lines, "short line" and one of many words on which (\w+\s?)+$x
 * backtracks exponentially: rich text, or Markdown (two paragraphs).
 */
static char *
runaway_text(int markdown)
{
	size_t n = 0, i;
	char *t = malloc(4096);

	if (t == NULL)
		abort();
	n += (size_t)sprintf(t, markdown ? "short line\n\n"
	                                 : "P" PE "short line\nP" PE);
	for (i = 0; i < 40; i++)
		n += (size_t)sprintf(t + n, "xword%zu ", i);
	t[n++] = '\n';
	t[n] = '\0';
	return t;
}

static void
test_runaway(void)
{
	const char *pat = "(\\w+\\s?)+$x";
	char *t = runaway_text(0);
	awn_error err = {AWN_OK, ""};
	struct seen w;
	awn_grep *g = NULL;
	clock_t t0;
	double secs;

	/* Default limits: ends, and fast, with a message naming all. */
	memset(&w, 0, sizeof w);
	CHECK_INT(new_grep(&g, &pat, 1, 0, &err), AWN_OK);
	t0 = clock();
	CHECK_INT(grep_text(g, 0, t, strlen(t), record, &w, &err),
	          AWN_ERR_LIMIT);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(secs < 5);
	CHECK_STR(err.detail, "pattern '(\\w+\\s?)+$x' is too costly: "
	                      "match limit exceeded on line 2");
	/* Lower limits give the same error sooner; a sane pattern is fine
	 * under them. */
	grep_set_limits(g, 1000, 100);
	CHECK_INT(grep_text(g, 0, t, strlen(t), record, &w, &err),
	          AWN_ERR_LIMIT);
	awn_grep_free(g);
	/* The interpreter stops too. */
	pat = "(*NO_JIT)(\\w+\\s?)+$x";
	CHECK_INT(new_grep(&g, &pat, 1, 0, &err), AWN_OK);
	t0 = clock();
	CHECK_INT(grep_text(g, 0, t, strlen(t), record, &w, &err),
	          AWN_ERR_LIMIT);
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 10);
	CHECK(strstr(err.detail, "limit exceeded on line 2") != NULL);
	awn_grep_free(g);
	pat = "word3\\d";
	CHECK_INT(new_grep(&g, &pat, 1, 0, &err), AWN_OK);
	grep_set_limits(g, 1000, 100);
	CHECK_INT(grep_text(g, 0, t, strlen(t), record, &w, &err), AWN_OK);
	awn_grep_free(g);
	free(t);
}

/* ---- Through a db -------------------------------------------------- */

static const char notes[] =
    "# Storage\n\nBuckets store **objects**.\n\n"
    "## Encryption\n\nServer-side encryption: SSE-KMS, SSE-S3, SSE-C.\n"
    "Client-side encryption too.\n\n"
    "# Queues\n\nSSE for queues: [SSE-SQS](https://example.com/sse).\n";

/* "sse-kms" under -i, but never in ASCII alone. */
static const char kelvin_notes[] =
    "# Keys\n\nSSE-" KELVIN "MS and " LONG_S "SE-KM" LONG_S "\n";

static awn_db *
open_notes(const char *md, size_t len)
{
	awn_builder *b = NULL;
	awn_db *db = NULL;
	void *data;
	size_t n;

	if (awn_builder_new(&b, NULL) ||
	    awn_builder_add_markdown(b, "notes", md, len, NULL) ||
	    awn_builder_write_memory(b, &data, &n, NULL) ||
	    awn_db_open_memory(&db, data, n, "notes", NULL))
		db = NULL;
	awn_builder_free(b);
	return db;
}

/* Search every section of DB; what was seen, "section id" first. */
static awn_status
grep_db(awn_db *db, const char *pat, unsigned flags, struct seen *w,
        awn_error *err)
{
	awn_grep *g = NULL;
	awn_status st;
	uint32_t id;

	memset(w, 0, sizeof *w);
	if ((st = new_grep(&g, &pat, 1, flags, err)) != AWN_OK)
		return st;
	for (id = 0; id < awn_db_count(db) && st == AWN_OK; id++) {
		w->len += (size_t)snprintf(w->s + w->len, sizeof w->s - w->len,
		                           "%s#%u", w->lines ? "\n" : "", id);
		w->lines++;
		st = awn_grep_section(g, db, id, record, w, err);
	}
	awn_grep_free(g);
	return st;
}

static void
test_db(void)
{
	awn_db *db = open_notes(notes, sizeof notes - 1);
	awn_error err = {AWN_OK, ""};
	struct seen w;
	char *t;
	long n;
	awn_status st;
	unsigned nomem = 0;

	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_INT(grep_db(db, "SSE-\\w+", 0, &w, &err), AWN_OK);
	/* A heading is followed by its text at once: that is line 2. */
	CHECK_STR(w.s, "#0\n#1\n2:Server-side encryption: [SSE-KMS], "
	               "[SSE-S3], [SSE-C].\n#2\n2:SSE for queues: "
	               "[SSE-SQS].");
	CHECK_STR(grep_db(db, "objects\\.$", 0, &w, &err) == AWN_OK ? w.s : "",
	          "#0\n2:Buckets store [objects.]\n#1\n#2");
	CHECK_INT(awn_grep_section(NULL, db, 0, record, &w, &err), AWN_ERR_ARG);

	/*
	 * Allocation failures anywhere in one search (compiling included,
	 * the JIT falling back to the interpreter): AWN_ERR_NOMEM or the
	 * right answer, nothing else.  Leaks show under valgrind or ASan.
	 */
	for (n = 0; n < 400; n++) {
		alloc_fail_after(n);
		st = grep_db(db, "SSE-\\w+|encryption", 0, &w, &err);
		alloc_fail_after(-1);
		if (st == AWN_ERR_NOMEM) {
			nomem++;
			continue;
		}
		CHECK_INT(st, AWN_OK);
		CHECK_STR(w.s, "#0\n#1\n2:Server-side [encryption]: "
		               "[SSE-KMS], [SSE-S3], [SSE-C].\n3:Client-side "
		               "[encryption] too.\n#2\n2:SSE for queues: "
		               "[SSE-SQS].");
		if (check_failures > 20)
			break;
	}
	CHECK(nomem > 5); /* the loop did reach the search's allocations */
	awn_db_free(db);

	/* -i: the block filters keep U+212A and U+017F as bytes, yet
	 * they are k and s; a block with only them is searched. */
	db = open_notes(kelvin_notes, sizeof kelvin_notes - 1);
	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_INT(grep_db(db, "sse-kms", AWN_GREP_IGNORE_CASE, &w, &err),
	          AWN_OK);
	CHECK_STR(w.s,
	          "#0\n2:[SSE-" KELVIN "MS] and [" LONG_S "SE-KM" LONG_S "]");
	awn_db_free(db);

	/* A runaway pattern through a db names the section too. */
	t = runaway_text(1);
	db = open_notes(t, strlen(t));
	free(t);
	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_INT(grep_db(db, "(\\w+\\s?)+$x", 0, &w, &err), AWN_ERR_LIMIT);
	CHECK(strstr(err.detail, "match limit exceeded on line 3 of "
	                         "'notes'") != NULL);
	awn_db_free(db);
}

/* Before GREP_JIT_AFTER bytes, a match that takes the interpreter more
 * than GREP_TRIAL_LIMIT steps brings the JIT in (and gives the same
 * answer); a cheap one does not. */
static void
test_jit_trial(void)
{
	static const char text[] =
	    "P" PE "aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp\n";
	/* No literal passes the line over; more steps than the trial's, fewer
	 * than the limit */
	const char *hard = "(\\w+\\s?)+\\d", *easy = "k+ ll";
	awn_grep *g = NULL;
	struct seen w;

	memset(&w, 0, sizeof w);
	CHECK_INT(awn_grep_new(&g, &easy, 1, 0, NULL), AWN_OK);
	CHECK_INT(grep_text(g, 1, text, sizeof(text) - 1, record, &w, NULL),
	          AWN_OK);
	CHECK_STR(w.s, "1:aa bb cc dd ee ff gg hh ii jj [kk ll] mm nn oo pp");
	CHECK(!grep_jit_tried(g));
	awn_grep_free(g);
	memset(&w, 0, sizeof w);
	CHECK_INT(awn_grep_new(&g, &hard, 1, 0, NULL), AWN_OK);
	CHECK_INT(grep_text(g, 1, text, sizeof(text) - 1, record, &w, NULL),
	          AWN_OK);
	CHECK_STR(w.s, "");
	CHECK(grep_jit_tried(g));
	awn_grep_free(g);
}

int
main(void)
{
	int pass;

	test_jit_trial();

	for (pass = 0; pass < 2; pass++) {
		jit_after = pass == 0 ? GREP_JIT_AFTER : 0;
		test_plain_text();
		test_offsets();
		test_flags();
		test_patterns();
		test_literals();
		test_hostile_text();
		test_skip();
		test_skip_random();
		test_bad_patterns();
		test_runaway();
		test_db();
	}
	return check_status();
}
