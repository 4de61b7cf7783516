/*
 * test-markdown.c - unit tests of the Markdown reader (lib/markdown.c).
 *
 * Each case feeds a document to markdown_read and compares every section
 * it reports with an expectation written in a visible form of the rich
 * text: one "== LEVEL [TITLE] #ANCHOR" line per section, then its lines
 * with RT_PREFIX_END shown as '|' and inline markers as {b} {/b} {i} {/i}
 * {c} {/c} {s} {/s} {a DEST}TEXT{/a} and {|}.  Every section is also
 * checked against the invariants of richtext.h.
 *
 * Run with file arguments, the program instead reads those files, checks
 * the same invariants and prints timings (for ad-hoc corpus runs).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "check.h"
#include "markdown.h"
#include "richtext.h"

#define R "\xef\xbf\xbd" /* U+FFFD */

/* ---- Collecting sections --------------------------------------------- */

/* Growable string on plain malloc, so failure injection leaves it alone. */
struct str {
	char *s;
	size_t len, cap;
};

static void
str_add(struct str *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;

		while (cap < o->len + n + 1)
			cap *= 2;
		o->s = realloc(o->s, cap);
		if (o->s == NULL) {
			perror("realloc");
			exit(99);
		}
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

static void
str_adds(struct str *o, const char *s)
{
	str_add(o, s, strlen(s));
}

static void
str_free(struct str *o)
{
	free(o->s);
	memset(o, 0, sizeof(*o));
}

/* Append TEXT/LEN in the visible form described at the top. */
static void
show_rich(struct str *o, const char *text, size_t len)
{
	static const char *const names[0x20] = {
	    [RT_STRONG_ON] = "{b}", [RT_STRONG_OFF] = "{/b}",
	    [RT_EM_ON] = "{i}",     [RT_EM_OFF] = "{/i}",
	    [RT_CODE_ON] = "{c}",   [RT_CODE_OFF] = "{/c}",
	    [RT_DEL_ON] = "{s}",    [RT_DEL_OFF] = "{/s}",
	    [RT_LINK] = "{a ",      [RT_LINK_TEXT] = "}",
	    [RT_LINK_END] = "{/a}", [RT_CELL] = "{|}",
	    [RT_PREFIX_END] = "|",  ['\n'] = "\n",
	    ['\t'] = "\t",
	};
	char other[8];
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x20) {
			str_add(o, text + i, 1);
		} else if (names[c] != NULL) {
			str_adds(o, names[c]);
		} else {
			snprintf(other, sizeof(other), "{?%02x}", c);
			str_adds(o, other);
		}
	}
}

static int
utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k, need;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] < 0xc2 || s[i] > 0xf4)
			return 0;
		need = s[i] < 0xe0 ? 1 : s[i] < 0xf0 ? 2 : 3;
		cp = s[i] & (0x3f >> need);
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int
is_line_kind(char k)
{
	return RT_IS_HEADING(k) || strchr("PSBVTtRE", k) != NULL;
}

/* Whether the content of a line of kind KIND may hold byte C. */
static int
content_byte_ok(char kind, unsigned char c)
{
	if (c >= 0x20 || c == '\t')
		return 1;
	if (kind == RT_CODE || kind == RT_RULE || kind == RT_BLANK)
		return 0;
	if (c == RT_CELL)
		return kind == RT_THEAD || kind == RT_TROW;
	return (c >= RT_STRONG_ON && c <= RT_DEL_OFF) || c == RT_LINK ||
	       c == RT_LINK_TEXT || c == RT_LINK_END;
}

/* Check one line (without its '\n'); returns a reason or NULL. */
static const char *
line_problem(const char *line, size_t n)
{
	const char *end = memchr(line, RT_PREFIX_END, n);
	size_t i, p;

	if (n == 0 || !is_line_kind(line[0]))
		return "bad line kind";
	if (end == NULL)
		return "no RT_PREFIX_END";
	p = (size_t)(end - line);
	for (i = 1; i < p; i++)
		if ((unsigned char)line[i] < 0x20)
			return "control byte in prefix";
	if (line[0] == RT_BLANK && n != p + 1)
		return "blank line with content";
	if (line[0] == RT_BLANK && p > 1 && line[p - 1] != '>')
		return "blank line's prefix past its last quote mark";
	if ((line[0] == RT_RULE) && n != p + 1)
		return "rule with content";
	for (i = p + 1; i < n; i++)
		if (!content_byte_ok(line[0], (unsigned char)line[i]))
			return "stray control byte in content";
	return NULL;
}

/* Check a section against richtext.h and markdown.h; returns a reason. */
static const char *
section_problem(const struct md_section *s)
{
	size_t i, start, n, lineno = 0;
	const char *why;
	char prev = 0;

	if (s->title[s->title_len] != '\0' || strlen(s->title) != s->title_len)
		return "title not NUL-terminated at title_len";
	if (s->anchor[s->anchor_len] != '\0' ||
	    strlen(s->anchor) != s->anchor_len)
		return "anchor not NUL-terminated at anchor_len";
	if (s->title_len > 1024 || !utf8_valid(s->title, s->title_len))
		return "title too long or not UTF-8";
	for (i = 0; i < s->title_len; i++)
		if ((unsigned char)s->title[i] < 0x20)
			return "control byte in title";
	if (s->title_len > 0 &&
	    (s->title[0] == ' ' || s->title[s->title_len - 1] == ' '))
		return "title not trimmed";
	for (i = 0; i < s->anchor_len; i++) {
		unsigned char c = (unsigned char)s->anchor[i];

		if (c <= ' ' || (c >= 'A' && c <= 'Z'))
			return "bad anchor byte";
	}
	if (s->level > 6 || (s->level == 0 && s->title_len != 0))
		return "bad level";
	if (s->text_len == 0 || s->text[s->text_len - 1] != '\n')
		return "text empty or not ending in a newline";
	if (!utf8_valid(s->text, s->text_len))
		return "text not UTF-8";
	for (start = 0; start < s->text_len; start += n + 1, lineno++) {
		n = (size_t)((const char *)memchr(s->text + start, '\n',
		                                  s->text_len - start) -
		             (s->text + start));
		if ((why = line_problem(s->text + start, n)) != NULL)
			return why;
		if (lineno == 0 && s->level > 0 &&
		    (s->text[start] != (char)('0' + s->level) ||
		     s->text[start + 1] != RT_PREFIX_END))
			return "first line is not the heading";
		if (lineno > 0 && RT_IS_HEADING(s->text[start]))
			return "heading line inside a body";
		if (s->text[start] == RT_BLANK &&
		    (prev == RT_BLANK || RT_IS_HEADING(prev) || prev == 0))
			return "blank line at body start or doubled";
		prev = s->text[start];
	}
	if (prev == RT_BLANK)
		return "blank line at the end";
	return NULL;
}

struct collector {
	struct str out;
	int calls;
	int fail_at; /* return AWN_ERR_IO from this call (1-based); 0: never */
	int problems;
};

static awn_status
collect(void *ctx, const struct md_section *s)
{
	struct collector *c = ctx;
	const char *why = section_problem(s);
	char head[64];

	if (why != NULL) {
		fprintf(stderr, "section \"%s\": %s\n", s->title, why);
		c->problems++;
	}
	c->calls++;
	if (c->fail_at == c->calls)
		return AWN_ERR_IO;
	snprintf(head, sizeof(head), "== %u [", s->level);
	str_adds(&c->out, head);
	str_add(&c->out, s->title, s->title_len);
	str_adds(&c->out, "] #");
	str_add(&c->out, s->anchor, s->anchor_len);
	str_adds(&c->out, "\n");
	show_rich(&c->out, s->text, s->text_len);
	return AWN_OK;
}

static awn_status
read_into(struct collector *c, const char *md, size_t len)
{
	awn_error err;

	memset(&err, 0, sizeof(err));
	return markdown_read(md, len, collect, c, &err);
}

/* Read MD (LEN bytes) and compare all sections with WANT. */
#define EXPECT_LEN(md_, len_, want_)                                           \
	do {                                                                   \
		struct collector c_;                                           \
		memset(&c_, 0, sizeof(c_));                                    \
		CHECK_INT(read_into(&c_, (md_), (len_)), AWN_OK);              \
		CHECK_INT(c_.problems, 0);                                     \
		CHECK_MEM_STR(c_.out.s ? c_.out.s : "", c_.out.len, want_);    \
		str_free(&c_.out);                                             \
	} while (0)

#define EXPECT(md_, want_) EXPECT_LEN((md_), strlen(md_), (want_))

/* A held document's sections as a string: title, anchor, text, lines. */
struct held_run {
	struct str out;
	const char *dir; /* where its texts should be, or NULL */
	int in_file;     /* calls that saw a file of theirs open in DIR */
};

/* Is a file in DIR open here (an unnamed spill file)?  -1 when /proc
 * cannot tell. */
static int
file_open_in(const char *dir)
{
	char link[300], target[4096];
	struct dirent *e;
	size_t n = strlen(dir);
	ssize_t got;
	int seen = 0;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		if ((got = readlink(link, target, sizeof(target) - 1)) < 0)
			continue;
		target[got] = '\0';
		if (strncmp(target, dir, n) == 0 && target[n] == '/')
			seen = 1;
	}
	closedir(d);
	return seen;
}

static awn_status
collect_held(void *ctx, const struct md_section *s)
{
	struct held_run *h = ctx;
	char num[32];
	size_t i;

	if (h->dir != NULL && file_open_in(h->dir) == 1)
		h->in_file++;
	str_add(&h->out, s->title, s->title_len);
	str_adds(&h->out, " #");
	str_add(&h->out, s->anchor, s->anchor_len);
	str_adds(&h->out, "\n");
	str_add(&h->out, s->text, s->text_len);
	for (i = 0; i < s->nlines; i++) {
		snprintf(num, sizeof(num), " %lu", (unsigned long)s->lines[i]);
		str_adds(&h->out, num);
	}
	str_adds(&h->out, "\n");
	return AWN_OK;
}

/* A document held for its <a name> tags keeps its sections' texts in a
 * temporary file past the memory it is given (markdown_reader_set_spill),
 * and gives the same sections, links led, as one held in memory. */
static void
test_held_in_file(void)
{
	char dir[] = "/tmp/test-markdown.XXXXXX";
	struct markdown_reader *mem = markdown_reader_new(),
	                       *file = markdown_reader_new();
	struct held_run a, b;
	struct str md;
	awn_error err;
	int i, k;

	CHECK(mem != NULL && file != NULL && mkdtemp(dir) != NULL);
	if (mem == NULL || file == NULL)
		goto out;
	memset(&md, 0, sizeof(md));
	for (i = 0; i < 300; i++) {
		char sec[256];

		snprintf(sec, sizeof(sec),
		         "## Part %d\n\n<a name=\"p%d\"></a>text %d, see "
		         "[there](#p%d) and [here](#part-%d)\n\n",
		         i, i, i, (i * 7 + 3) % 300, i);
		str_adds(&md, sec);
		for (k = 0; k < i % 5; k++)
			str_adds(&md, "- a list item\n  on two lines\n");
		str_adds(&md, "\n```\ncode\n```\n");
	}
	markdown_reader_set_lines(mem, 1);
	markdown_reader_set_lines(file, 1);
	markdown_reader_set_spill(file, dir, 256);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	b.dir = dir;
	memset(&err, 0, sizeof(err));
	CHECK_INT(markdown_read_with(mem, md.s, md.len, collect_held, &a, &err),
	          AWN_OK);
	CHECK_INT(
	    markdown_read_with(file, md.s, md.len, collect_held, &b, &err),
	    AWN_OK);
	CHECK(a.out.len > 0);
	CHECK_MEM_STR(b.out.s, b.out.len, a.out.s ? a.out.s : "");
	/* The file was there while the sections were handed over, and is
	 * gone with the document. */
	if (file_open_in(dir) >= 0) {
		CHECK_INT(b.in_file, 300);
		CHECK_INT(file_open_in(dir), 0);
	}
	/* The same readers, a document that is not held: no file. */
	str_free(&a.out);
	str_free(&b.out);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	b.dir = dir;
	CHECK_INT(
	    markdown_read_with(mem, "# A\ntext\n", 10, collect_held, &a, &err),
	    AWN_OK);
	CHECK_INT(
	    markdown_read_with(file, "# A\ntext\n", 10, collect_held, &b, &err),
	    AWN_OK);
	CHECK(a.out.len > 0);
	CHECK_MEM_STR(b.out.s, b.out.len, a.out.s ? a.out.s : "");
	CHECK_INT(b.in_file, 0);
	str_free(&a.out);
	str_free(&b.out);
	str_free(&md);
out:
	markdown_reader_free(mem);
	markdown_reader_free(file);
	rmdir(dir);
}

/* ---- Headings and sections ------------------------------------------- */

static void
test_headings(void)
{
	EXPECT("# Alpha\ntext\n\nBeta\n====\n\nGamma *g*\n---------\n\n"
	       "### Delta ###\n",
	       "== 1 [Alpha] #alpha\n1|Alpha\nP|text\n"
	       "== 1 [Beta] #beta\n1|Beta\n"
	       "== 2 [Gamma g] #gamma-g\n2|Gamma {i}g{/i}\n"
	       "== 3 [Delta] #delta\n3|Delta\n");
	/* Level jumps both ways; seven '#' are not a heading. */
	EXPECT("# A\n#### B\nb\n## C\n###### F\n####### G\n",
	       "== 1 [A] #a\n1|A\n"
	       "== 4 [B] #b\n4|B\nP|b\n"
	       "== 2 [C] #c\n2|C\n"
	       "== 6 [F] #f\n6|F\nP|####### G\n");
	/* A multi-line setext heading is one line; spaces collapse. */
	EXPECT("Foo   bar\n  baz\n===\n",
	       "== 1 [Foo bar baz] #foo-bar-baz\n1|Foo bar baz\n");
	/* Inline markup stays in the heading line, not in the title. */
	EXPECT("## Use `s3 cp` **now** [docs](http://d)\n",
	       "== 2 [Use s3 cp now docs] #use-s3-cp-now-docs\n"
	       "2|Use {c}s3 cp{/c} {b}now{/b} {a http://d}docs{/a}\n");
	/* '#' inside a fence is code, not a heading. */
	EXPECT("# Top\n```\n# not a heading\n```\n## Next\n",
	       "== 1 [Top] #top\n1|Top\nV    |# not a heading\n"
	       "== 2 [Next] #next\n2|Next\n");
	/* Body blocks: heading line, body, one blank between blocks. */
	EXPECT("# H\n\n\n\npara one\n\n\n\npara two\n\n\n",
	       "== 1 [H] #h\n1|H\nP|para one\nE|\nP|para two\n");
}

static void
test_preamble(void)
{
	EXPECT("Intro **text**\n\n# A\n",
	       "== 0 [] #\nP|Intro {b}text{/b}\n== 1 [A] #a\n1|A\n");
	EXPECT("\n\n   \n# A\nx\n", "== 1 [A] #a\n1|A\nP|x\n");
	/* Nothing a reader would see: no preamble. */
	EXPECT("<!-- just a comment -->\n\n# A\n", "== 1 [A] #a\n1|A\n");
	EXPECT("***\n\n# A\n", "== 1 [A] #a\n1|A\n");
	/* A document without headings is all preamble. */
	EXPECT("just text\n", "== 0 [] #\nP|just text\n");
}

static void
test_empty_and_bare_headings(void)
{
	EXPECT("", "");
	EXPECT("   \n\n\t\n", "");
	EXPECT("#", "== 1 [] #\n1|\n");
	EXPECT("#\n#\n##\n", "== 1 [] #\n1|\n== 1 [] #\n1|\n== 2 [] #\n2|\n");
	EXPECT("# <!-- x -->\nbody\n", "== 1 [] #\n1|\nP|body\n");
}

/* Each section's heading line as "line " in *CTX (a struct str). */
static awn_status
collect_line(void *ctx, const struct md_section *s)
{
	char num[16];

	snprintf(num, sizeof(num), "%lu ", (unsigned long)s->line);
	str_adds(ctx, num);
	return AWN_OK;
}

#define EXPECT_LINES(md_, want_)                                               \
	do {                                                                   \
		struct str o_;                                                 \
		memset(&o_, 0, sizeof(o_));                                    \
		CHECK_INT(markdown_read((md_), strlen(md_), collect_line, &o_, \
		                        NULL),                                 \
		          AWN_OK);                                             \
		CHECK_MEM_STR(o_.s ? o_.s : "", o_.len, want_);                \
		str_free(&o_);                                                 \
	} while (0)

/* The line of each heading in the input (md_section.line), as grep -n
 * numbers it; the preamble's is 1. */
static void
test_lines(void)
{
	EXPECT_LINES("# A\ntext\n\nBeta\n====\n\n### C ###\n", "1 4 7 ");
	/* A setext heading of two lines: its first; not the underline. */
	EXPECT_LINES("x\n\nFoo\nbar\n---\n", "1 3 ");
	/* CRLF and a lone CR end lines; a BOM and front matter are
	 * lines like any other. */
	EXPECT_LINES("a\r\n\r\n# B\rb\r# C\n", "1 3 5 ");
	EXPECT_LINES("\xef\xbb\xbf---\r\nt: 1\r\n---\r\n# A\n", "4 ");
	EXPECT_LINES("---\nt: 1\n...\nIntro\n\n## A\n", "1 6 ");
	/* Headings in containers start no section; a '#' in a fence is
	 * code. */
	EXPECT_LINES("> # q\n- # l\n```\n# c\n```\n# H\n", "1 6 ");
	/* Headings without text: found by their '#', after the text, an
	 * HTML comment or the textless heading before them. */
	EXPECT_LINES("#\n#\n  ##\n", "1 2 3 ");
	EXPECT_LINES("# ![](i.png)\n\nbody\n\n<!-- c -->\n\n##\n", "1 7 ");
	EXPECT_LINES("# A\n\n```\n# code\n```\n\n#\n", "1 7 ");
	/* Held to the end for <a name> (another path through the
	 * reader), and a heading's first text an entity or a tag. */
	EXPECT_LINES(
	    "x <a name=\"t\"></a>\n\n# &amp; a\n\n# <a id=\"q\"></a> B\n",
	    "1 3 5 ");
	/* 3,000 lines of links, which the reader cuts with blank lines of
	 * its own (split_link_runs): not lines of the file. */
	{
		struct str md;
		int i;
		memset(&md, 0, sizeof(md));
		str_adds(&md, "# Top\n");
		for (i = 0; i < 3000; i++)
			str_adds(&md, "[a link](http://example.com/a/page) "
			              "and some more words\n");
		str_adds(&md, "# After\n");
		CHECK(md.len > 65536);
		EXPECT_LINES(md.s, "1 3002 ");
		str_free(&md);
	}
}

static void
test_duplicate_anchors(void)
{
	EXPECT("# A\n# A\n# A-1\n# a\n## A!\n",
	       "== 1 [A] #a\n1|A\n== 1 [A] #a-1\n1|A\n"
	       "== 1 [A-1] #a-1-1\n1|A-1\n== 1 [a] #a-2\n1|a\n"
	       "== 2 [A!] #a-3\n2|A!\n");
}

/* Headings inside containers are bold paragraphs, not sections. */
static void
test_contained_headings(void)
{
	EXPECT("# S\n> # Quoted\n- ## Listed *x*\n",
	       "== 1 [S] #s\n1|S\nP> |{b}Quoted{/b}\nE|\n"
	       "P- |{b}Listed {i}x{/i}{/b}\n");
	EXPECT("> #\n", "");
}

/* Anchors and other inline HTML vanish from headings and titles. */
static void
test_heading_html(void)
{
	EXPECT("## Foo <a name=\"foo\"></a>\n", "== 2 [Foo] #foo\n2|Foo\n");
	EXPECT("# <a id=\"x\"></a> Bar *baz*\n",
	       "== 1 [Bar baz] #bar-baz\n1|Bar {i}baz{/i}\n");
	EXPECT("# A&amp;B &copy; x<br>y\n",
	       "== 1 [A&B \xc2\xa9 x y] #ab--x-y\n1|A&B \xc2\xa9 x y\n");
}

/* A heading of "# " and N copies of UNIT, read into C (one section). */
static void
read_heading(struct collector *c, const char *unit, int n)
{
	struct str md = {0};
	int i;

	str_adds(&md, "# ");
	for (i = 0; i < n; i++)
		str_adds(&md, unit);
	str_adds(&md, "\n");
	memset(c, 0, sizeof(*c));
	CHECK_INT(read_into(c, md.s, md.len), AWN_OK);
	CHECK_INT(c->calls, 1);
	CHECK_INT(c->problems, 0);
	str_free(&md);
}

static void
test_long_title(void)
{
	struct collector c;

	/* 1000 three-byte characters: the title stops at 1020 bytes, on a
	 * character boundary, and "..." says so; the anchor is the slug of
	 * the whole heading, as a link to it is written (GitHub's).
	 * "== 1 [" + 1020 + "...] #" + 3000 + "\n1|" + 3000 */
	read_heading(&c, "\xe6\x97\xa5", 1000);
	CHECK_INT(c.out.len, 6 + 1023 + 3 + 3000 + 3 + 3000 + 1);
	CHECK(memcmp(c.out.s + 6 + 1020, "...] #", 6) == 0);
	CHECK(memcmp(c.out.s + 6 + 1023 + 3 + 2997, "\xe6\x97\xa5\n1|", 6) ==
	      0);
	str_free(&c.out);
	/* 300 words: cut at the last space that leaves room for "...";
	 * the anchor has all 300. */
	read_heading(&c, "word ", 300);
	CHECK(memcmp(c.out.s + 6 + 1010, "word word...] #", 15) == 0);
	CHECK(memcmp(c.out.s + 6 + 1010 + 15 + 299 * 5, "word\n1|", 7) == 0);
	str_free(&c.out);
}

/* ---- Blocks ----------------------------------------------------------- */

static void
test_lists(void)
{
	/* Tight: no blank lines, continuation lines hang under the text. */
	EXPECT("- one\n- two\n  continued\n- three\n",
	       "== 0 [] #\nP- |one\nP- |two\nS  |continued\nP- |three\n");
	/* Loose: a blank line between items and between their blocks. */
	EXPECT("* one\n\n* two\n\n  second para\n* three\n",
	       "== 0 [] #\nP* |one\nE|\nP* |two\nE|\nP  |second para\nE|\n"
	       "P* |three\n");
	/* Nested tight lists: prefixes accumulate. */
	EXPECT("- a\n  - b\n    more\n  - c\n- d\n",
	       "== 0 [] #\nP- |a\nP  - |b\nS    |more\nP  - |c\nP- |d\n");
	/* '+' bullets, and a list after a paragraph gets a blank. */
	EXPECT("Para\n+ x\n+ y\n", "== 0 [] #\nP|Para\nE|\nP+ |x\nP+ |y\n");
	/* Ordered: start + index, the source's delimiter. */
	EXPECT("7. seven\n8. eight\n10. ten\n",
	       "== 0 [] #\nP7. |seven\nP8. |eight\nP9. |ten\n");
	EXPECT("3) x\n   y\n4) z\n", "== 0 [] #\nP3) |x\nS   |y\nP4) |z\n");
	EXPECT("9. a\n10. b\n    c\n", "== 0 [] #\nP9. |a\nP10. |b\nS    |c\n");
	/* Numbers written out by hand: 0, the largest start, a carry. */
	EXPECT("0. a\n", "== 0 [] #\nP0. |a\n");
	EXPECT("999999999) a\n999999999) b\n",
	       "== 0 [] #\nP999999999) |a\nP1000000000) |b\n");
	EXPECT("99. [x] a\n", "== 0 [] #\nP99. [x] |a\n");
	/* Ordered inside bullet, hanging indent by the marker's width. */
	EXPECT("- a\n  1. b\n     c\n",
	       "== 0 [] #\nP- |a\nP  1. |b\nS     |c\n");
	/* Task items. */
	EXPECT("- [ ] todo\n- [x] done\n- [X] Done\n",
	       "== 0 [] #\nP- [ ] |todo\nP- [x] |done\nP- [x] |Done\n");
	/* Empty items still show their marker. */
	EXPECT("- a\n-\n- c\n", "== 0 [] #\nP- |a\nP- |\nP- |c\n");
	/* A nested list in a loose item is separated from the text. */
	EXPECT("- a\n\n  - b\n  - c\n- d\n",
	       "== 0 [] #\nP- |a\nE|\nP  - |b\nP  - |c\nE|\nP- |d\n");
	/* Two lists in a row (different bullets): a blank between. */
	EXPECT("- a\n* b\n", "== 0 [] #\nP- |a\nE|\nP* |b\n");
	/* Regression: a tight item right after a heading kept the heading's
	 * whitespace collapsing and turned its spaces into U+FFFD. */
	EXPECT("# A\n\n* one two\n  * sub\n",
	       "== 1 [A] #a\n1|A\nP* |one two\nP  * |sub\n");
	EXPECT("# A\n* one two", "== 1 [A] #a\n1|A\nP* |one two\n");
}

static void
test_quotes(void)
{
	/* A blank line inside a quote keeps its mark (up to the last). */
	EXPECT("> a\n> b\n>\n> c\n> > d\n",
	       "== 0 [] #\nP> |a\nS> |b\nE>|\nP> |c\nE>|\nP> > |d\n");
	/* ... but not one between two quotes, nor before a new quote. */
	EXPECT("> a\n\n> b\n", "== 0 [] #\nP> |a\nE|\nP> |b\n");
	EXPECT("a\n\n> b\n", "== 0 [] #\nP|a\nE|\nP> |b\n");
	EXPECT("> a\n>\n> > b\n\n> > c\n",
	       "== 0 [] #\nP> |a\nE>|\nP> > |b\nE|\nP> > |c\n");
	/* Lazy continuation lines still get the quote's prefix. */
	EXPECT("> a\nlazy\n", "== 0 [] #\nP> |a\nS> |lazy\n");
	EXPECT("> - x\n> - y\n>\n> z\n",
	       "== 0 [] #\nP> - |x\nP> - |y\nE>|\nP> |z\n");
	/* A quote inside a list item: markers, then quote marks. */
	EXPECT("- item\n  > q1\n  >\n  > q2\n- next\n",
	       "== 0 [] #\nP- |item\nP  > |q1\nE  >|\nP  > |q2\nP- |next\n");
	/* A quote that starts an item carries the item's marker. */
	EXPECT("1. > q\n", "== 0 [] #\nP1. > |q\n");
}

static void
test_code_blocks(void)
{
	EXPECT("para\n\n    indented\n      more\n\nafter\n",
	       "== 0 [] #\nP|para\nE|\nV    |indented\nV    |  more\nE|\n"
	       "P|after\n");
	/* Blank lines and tabs inside are kept verbatim; no markers. */
	EXPECT("```c\na *b*\n\nc\t`d`\n```\n",
	       "== 0 [] #\nV    |a *b*\nV    |\nV    |c\t`d`\n");
	/* An empty fence writes nothing. */
	EXPECT("a\n\n```\n```\n\nb\n", "== 0 [] #\nP|a\nE|\nP|b\n");
	/* Inside a loose list item: the item's indent plus four spaces. */
	EXPECT("1. item\n\n   ```sh\n   ls -l\n   ```\n2. next\n",
	       "== 0 [] #\nP1. |item\nE|\nV       |ls -l\nE|\nP2. |next\n");
	/* Inside a tight item: no blank line. */
	EXPECT("- a\n  ```\n  x\n  ```\n- b\n",
	       "== 0 [] #\nP- |a\nV      |x\nP- |b\n");
	/* Indented code in an item, and code in a quote. */
	EXPECT("- a\n\n      code\n", "== 0 [] #\nP- |a\nE|\nV      |code\n");
	EXPECT("> ```\n> q\n> ```\n", "== 0 [] #\nV>     |q\n");
	/* A fence left open runs to the end of the document. */
	EXPECT("```\nopen\n", "== 0 [] #\nV    |open\n");
}

static void
test_tables(void)
{
	EXPECT("| Name | *Kind* |\n|:-----|-------:|\n| S3 | `object` |\n"
	       "| EBS | block \\| raw |\n| EFS |\n",
	       "== 0 [] #\nT|Name{|}{i}Kind{/i}\nt|S3{|}{c}object{/c}\n"
	       "t|EBS{|}block | raw\nt|EFS{|}\n");
	EXPECT("> | a |\n> |---|\n> | 1 |\n", "== 0 [] #\nT> |a\nt> |1\n");
	/* A \| in a cell is a pipe inside a code span too (GFM); outside
	 * a table a code span keeps its backslash. */
	EXPECT("| a |\n|---|\n| `S \\| N` |\n\n`x \\| y`\n",
	       "== 0 [] #\nT|a\nt|{c}S | N{/c}\nE|\nP|{c}x \\| y{/c}\n");
	/* A <br> in a cell cannot break the row. */
	EXPECT("| a<br>b |\n|---|\n", "== 0 [] #\nT|a b\n");
	EXPECT("text\n\n| h |\n|---|\n\nafter\n",
	       "== 0 [] #\nP|text\nE|\nT|h\nE|\nP|after\n");
}

static void
test_rules_and_breaks(void)
{
	EXPECT("a\n\n***\n\nb\n", "== 0 [] #\nP|a\nE|\nR|\nE|\nP|b\n");
	EXPECT("# H\n> ---\n", "== 1 [H] #h\n1|H\nR> |\n");
	/* A rule alone is nothing to read: no preamble. */
	EXPECT("---\n", "");
	/* Hard breaks: two spaces, backslash, <br>. */
	EXPECT("a  \nb\\\nc<br>d <BR/> e\nf\n",
	       "== 0 [] #\nP|a\nB|b\nB|c\nB|d\nB|e\nS|f\n");
	/* A break inside emphasis: the marker spans the lines. */
	EXPECT("**a\nb**\n", "== 0 [] #\nP|{b}a\nS|b{/b}\n");
	/* A break just before a closing marker: it stays on its line. */
	EXPECT("**a<br>**\n", "== 0 [] #\nP|{b}a{/b}\n");
}

/* ---- Inline ------------------------------------------------------------ */

static void
test_emphasis(void)
{
	EXPECT("*em* **strong** ***both*** `code` ~~del~~ _u_ __s__\n",
	       "== 0 [] #\nP|{i}em{/i} {b}strong{/b} {i}{b}both{/b}{/i} "
	       "{c}code{/c} {s}del{/s} {i}u{/i} {b}s{/b}\n");
	EXPECT("**bold *and italic* text**\n",
	       "== 0 [] #\nP|{b}bold {i}and italic{/i} text{/b}\n");
	/* Code spans are verbatim: no emphasis, entities or escapes. */
	EXPECT("`*a* &amp; \\-`\n", "== 0 [] #\nP|{c}*a* &amp; \\-{/c}\n");
	EXPECT("snake_case_name 2*3*4\n",
	       "== 0 [] #\nP|snake_case_name 2{i}3{/i}4\n");
}

static void
test_links(void)
{
	EXPECT("[text](http://x.y \"title\") ![alt *e*](i.png) <http://a.b> "
	       "www.c.d https://e.f/g [in](#sec)\n",
	       "== 0 [] #\nP|{a http://x.y}text{/a} {a i.png}alt {i}e{/i}{/a} "
	       "{a http://a.b}http://a.b{/a} {a http://www.c.d}www.c.d{/a} "
	       "{a https://e.f/g}https://e.f/g{/a} {a #sec}in{/a}\n");
	/* An image inside a link: only the outer link is marked. */
	EXPECT("[![badge](b.svg)](http://l)\n",
	       "== 0 [] #\nP|{a http://l}badge{/a}\n");
	/* Reference links; the definition itself writes nothing. */
	EXPECT(
	    "[x][r] and [r]\n\n[r]: http://r.s/a&amp;b\n",
	    "== 0 [] #\nP|{a http://r.s/a&b}x{/a} and {a http://r.s/a&b}r{/a}"
	    "\n");
	/* Entities in destinations are decoded. */
	EXPECT("[l](/a?b&amp;c&#x3D;d)\n", "== 0 [] #\nP|{a /a?b&c=d}l{/a}\n");
	EXPECT("<mailto:me@x.y>\n",
	       "== 0 [] #\nP|{a mailto:me@x.y}mailto:me@x.y{/a}\n");
}

/* A link to an <a name> or <a id> leads to the section the name is in,
 * before or after the link; a heading's own slug comes first. */
static void
test_named_anchors(void)
{
	EXPECT("# Top\n[p](#Para-X) [h](#api_h) [s](#intro) [n](#nope)\n"
	       "# Intro\n<a name=\"intro\"></a>\n"
	       "# Call<a name=\"API_H\"></a>\n"
	       "## Params\n**x** <A  ID='para-x'></a> one<br>two\n",
	       "== 1 [Top] #top\n1|Top\n"
	       "P|{a #params}p{/a} {a #call}h{/a} {a #intro}s{/a} "
	       "{a #nope}n{/a}\n"
	       "== 1 [Intro] #intro\n1|Intro\n"
	       "== 1 [Call] #call\n1|Call\n"
	       "== 2 [Params] #params\n2|Params\nP|{b}x{/b}  one\nB|two\n");
	/* The first of a name given twice; a name in an HTML block; a name
	 * before the first heading is in the first; unique slugs. */
	EXPECT("<a name=\"t\"></a>\n\n# A\n[1](#d) [2](#t) [3](#b)\n"
	       "# A\n<div><a name=\"d\"></a></div>\n\n"
	       "# B\nx<a name=\"d\"></a><a name=\"b\"></a>\n",
	       "== 1 [A] #a\n1|A\nP|{a #a-1}1{/a} {a #a}2{/a} {a #b}3{/a}\n"
	       "== 1 [A] #a-1\n1|A\n== 1 [B] #b\n1|B\nP|x\n");
	/* A tag is "<a" and any blank: a tab, or a line's end in an HTML
	 * block, as well as a space. */
	EXPECT("# A\n[x](#y) [z](#z)\n# B\n<div><a\nname=\"y\"></a></div>\n\n"
	       "# C\nc<a\tname=\"z\"></a>\n",
	       "== 1 [A] #a\n1|A\nP|{a #b}x{/a} {a #c}z{/a}\n"
	       "== 1 [B] #b\n1|B\n== 1 [C] #c\n1|C\nP|c\n");
	/* A name of any length (the AWS guides have some of 220 bytes). */
	{
		char md[1024], name[301];

		memset(name, 'N', 300);
		name[300] = '\0';
		snprintf(md, sizeof(md),
		         "# A\n[x](#%s)\n# B\n<a name=\"%s\"></a>\n", name,
		         name);
		EXPECT(md,
		       "== 1 [A] #a\n1|A\nP|{a #b}x{/a}\n== 1 [B] #b\n1|B\n");
	}
	/* A line of inline raw HTML begun on an earlier line is inside
	 * it: here a comment, so no name. */
	EXPECT(
	    "# A\n[x](#y)\n# B\ntext <!-- a\n<a name=\"y\"></a>\nb --> more\n",
	    "== 1 [A] #a\n1|A\nP|{a #y}x{/a}\n== 1 [B] #b\n1|B\nP|text  "
	    "more\n");
	/* A tag giving both a name and an id gives both. */
	EXPECT(
	    "# A\n[x](#y) [z](#x)\n# B\n<a name=\"x\" id=\"y\"></a>\n",
	    "== 1 [A] #a\n1|A\nP|{a #b}x{/a} {a #b}z{/a}\n== 1 [B] #b\n1|B\n");
	/* Blanks may stand around an attribute's '=' (HTML allows them). */
	EXPECT("# A\n[x](#y) [z](#z)\n# B\n<a name = \"y\"></a>\n# C\n"
	       "c<a id= z></a>\n",
	       "== 1 [A] #a\n1|A\nP|{a #b}x{/a} {a #c}z{/a}\n== 1 [B] #b\n1|B\n"
	       "== 1 [C] #c\n1|C\nP|c\n");
	/* Without "<a " nothing is held, and nothing changes. */
	EXPECT("# A\n[x](#y)\n<b name=\"y\">\n",
	       "== 1 [A] #a\n1|A\nP|{a #y}x{/a}\n");
}

static void
test_entities(void)
{
	EXPECT("&amp; &lt;b&gt; &copy; &mdash; &#65;&#x42; &#0; &#xD800; "
	       "&bogus; a&nbsp;b t&#9;x &#1;\n",
	       "== 0 [] #\nP|& <b> \xc2\xa9 \xe2\x80\x94 AB " R " " R
	       " &bogus; a\xc2\xa0"
	       "b t x " R "\n");
	EXPECT("&rarr; &hellip; &euro; &times; &alpha;&Omega; &quot;q&quot;\n",
	       "== 0 [] #\nP|\xe2\x86\x92 \xe2\x80\xa6 \xe2\x82\xac \xc3\x97 "
	       "\xce\xb1\xce\xa9 \"q\"\n");
}

static void
test_escapes(void)
{
	EXPECT("server\\-side \\*not em\\* \\# x \\[y\\]\n",
	       "== 0 [] #\nP|server-side *not em* # x [y]\n");
	EXPECT("# Server\\-side encryption\n",
	       "== 1 [Server-side encryption] #server-side-encryption\n"
	       "1|Server-side encryption\n");
}

/* ---- HTML -------------------------------------------------------------- */

static void
test_html(void)
{
	EXPECT("<div>\n  <p>Hi &amp; <b>bye</b></p>\n  <!-- hidden\n"
	       "  comment -->\n  <script>var x = '<p>no</p>';</script>\n"
	       "  <style>p { color: red }</style>\n</div>\n",
	       "== 0 [] #\nP|Hi & bye\n");
	/* Blocks that are empty once stripped leave no trace. */
	EXPECT("a\n\n<script>\nalert(1)\n</script>\n\n<!-- c -->\n\nb\n",
	       "== 0 [] #\nP|a\nE|\nP|b\n");
	/* Cells become spaces, rows lines. */
	EXPECT("<table>\n<tr><td>one</td><td>two</td></tr>\n"
	       "<tr><td>three</td></tr>\n</table>\n",
	       "== 0 [] #\nP|one two\nS|three\n");
	/* <details>: the summary is text, the Markdown inside is parsed. */
	EXPECT("<details>\n<summary>More</summary>\n\nHidden *text*\n\n"
	       "</details>\n",
	       "== 0 [] #\nP|More\nE|\nP|Hidden {i}text{/i}\n");
	/* Inline HTML is dropped but its text kept. */
	EXPECT("a <span class=\"x\">b</span> <kbd>Ctrl</kbd>\n",
	       "== 0 [] #\nP|a b Ctrl\n");
	/* An inline tag that starts or ends a block keeps words apart:
	 * a soft break, in a table row or heading a space. */
	EXPECT("item:<pre>\"x\" :</pre>By <span>de</span>fault\n",
	       "== 0 [] #\nP|item:\nS|\"x\" :\nS|By default\n");
	EXPECT("| a | b<ul><li>x</li><li>y</li></ul>end |\n|---|---|\n"
	       "| <p>c</p> | d </p> e</pre> f |\n",
	       "== 0 [] #\nT|a{|}b x y end\nt|c{|}d  e f\n");
	EXPECT("# A<p>B</p>\n", "== 1 [A B] #a-b\n1|A B\n");
	/* A processing instruction ends at "?>", not at its first '>'. */
	EXPECT("<?php\n\n  echo '>';\n\n?>\nokay\n", "== 0 [] #\nP|okay\n");
	EXPECT("<?xml version=\"1.0\"?><x>a</x>\n", "== 0 [] #\nP|a\n");
	/* Hostile: an unclosed tag and a lone '<' are text. */
	EXPECT("<div>\na < b <i\n", "== 0 [] #\nP|a < b <i\n");
	EXPECT("<div>\n<!-- never closed\n\nafter\n", "== 0 [] #\nP|after\n");
	EXPECT("<div>\n<script>never closed\n", "");
	/* In a container: the container's prefix. */
	EXPECT("> <div>\n> quoted <b>html</b>\n> </div>\n",
	       "== 0 [] #\nP> |quoted html\n");
}

/* ---- Input sanitising -------------------------------------------------- */

static void
test_front_matter(void)
{
	EXPECT("---\ntitle: x\n# not: a heading\n---\n# A\n",
	       "== 1 [A] #a\n1|A\n");
	EXPECT("---\na: 1\n...\nbody\n", "== 0 [] #\nP|body\n");
	EXPECT("---\r\nx: 1\r\n---\r\n# A\r\n", "== 1 [A] #a\n1|A\n");
	EXPECT("\xef\xbb\xbf---\nx: 1\n---\n# A\n", "== 1 [A] #a\n1|A\n");
	/* Unterminated: ordinary Markdown (a rule and a paragraph). */
	EXPECT("---\nfoo: bar\n", "== 0 [] #\nR|\nE|\nP|foo: bar\n");
	/* Only a first line "---" counts. */
	EXPECT("text\n\n---\nx: 1\n---\n",
	       "== 0 [] #\nP|text\nE|\nR|\n== 2 [x: 1] #x-1\n2|x: 1\n");
	EXPECT("--- \nx\n---\n", "== 2 [x] #x\n2|x\n");
	/* TOML (Hugo): "+++" to "+++", which a "---" does not close. */
	EXPECT("+++\ntitle = \"x\"\n# not a heading\n+++\n# A\n",
	       "== 1 [A] #a\n1|A\n");
	EXPECT("+++\nx = 1\n---\n# A\n",
	       "== 2 [+++ x = 1] #-x--1\n2|+++ x = 1\n== 1 [A] #a\n1|A\n");
}

static void
test_line_ends(void)
{
	EXPECT("# A\r\nline1\r\nline2\rline3\r\n\r\n```\r\ncode\r\n```\r\n"
	       "last\r",
	       "== 1 [A] #a\n1|A\nP|line1\nS|line2\nS|line3\nE|\nV    |code\n"
	       "E|\nP|last\n");
	EXPECT("a\r\r\rb", "== 0 [] #\nP|a\nE|\nP|b\n");
	EXPECT("\xef\xbb\xbf# Bom\n", "== 1 [Bom] #bom\n1|Bom\n");
}

static void
test_bad_bytes(void)
{
	static const char md[] = "a\x01"
	                         "b\x7f"
	                         "c\xff"
	                         "d\xe2\x82"
	                         "e\xc0\xaf"
	                         "f\xed\xa0\x80"
	                         "g\xf4\x90\x80\x80"
	                         "h\xc2\x9b"
	                         "i\0j\tk\x1b[31ml\n";

	EXPECT_LEN(md, sizeof(md) - 1,
	           "== 0 [] #\nP|a" R "b" R "c" R "d" R "e" R R "f" R R R
	           "g" R R R R "h" R "i" R "j\tk" R "[31ml\n");
	/* Three bytes at the edges: an overlong form, the first and last
	 * code points around the surrogates, a private-use one. */
	EXPECT("m\xe0\x80\x80"
	       "n\xe0\xa0\x80"
	       "o\xed\x9f\xbf"
	       "p\xee\x80\x80"
	       "q\xc2\x80"
	       "r\n",
	       "== 0 [] #\nP|m" R R R "n\xe0\xa0\x80"
	       "o\xed\x9f\xbf"
	       "p\xee\x80\x80"
	       "q" R "r\n");
	/* Valid UTF-8 passes untouched, in text, code and titles. */
	EXPECT("# \xc3\x9c"
	       "ber \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80\n"
	       "`\xc3\xa9`\n",
	       "== 1 [\xc3\x9c"
	       "ber \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80] "
	       "#\xc3\xbc"
	       "ber-\xe6\x97\xa5\xe6\x9c\xac-\n"
	       "1|\xc3\x9c"
	       "ber \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80\n"
	       "P|{c}\xc3\xa9{/c}\n");
	/* Control bytes inside code blocks and headings too. */
	EXPECT("# t\x01t\n```\nx\x02y\n```\n",
	       "== 1 [t" R "t] #tt\n1|t" R "t\nV    |x" R "y\n");
	/* U+2028 and U+2029, pasted where a space was meant, are spaces,
	 * as their references are (not U+FFFD inside a word). */
	EXPECT("while maintaining\xe2\x80\xa8object \xe2\x80\xa9If\n"
	       "```\nx\xe2\x80\xa8y\n```\n# a&#8232;b&#x2029;c\n",
	       "== 0 [] #\nP|while maintaining object  If\nE|\nV    |x y\n"
	       "== 1 [a b c] #a-b-c\n1|a b c\n");
	/* A NUL at the very end. */
	EXPECT_LEN("x\0", 2, "== 0 [] #\nP|x" R "\n");
}

/*
 * The sanitiser passes clean text a word or two at a time: put one or two
 * odd byte sequences at every offset of a paragraph, so that they start,
 * straddle and end those words and the buffer.
 */
static void
test_bad_bytes_everywhere(void)
{
	static const struct {
		const char *in, *out;
	} odd[] = {
	    {"\x01", R},     {"\x1f", R},
	    {"\x7f", R},     {"\x80", R},
	    {"\xff", R},     {"\xc2\x9b", R},
	    {"\xe2\x82", R}, {"\xc3\xa9", "\xc3\xa9"},
	    {"\t", "\t"},    {"\xf0\x9f\x9a\x80", "\xf0\x9f\x9a\x80"},
	};
	static const size_t gaps[] = {0, 1, 6, 7, 8, 9, 15, 16, 17};
	const size_t nodd = sizeof(odd) / sizeof(odd[0]);
	struct str md = {0}, want = {0};
	size_t a, b, g, at, fails = 0;
	struct collector c;

	for (a = 0; a < nodd; a++)
		for (b = 0; b < nodd; b++)
			for (g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++)
				for (at = 0; at <= 40; at++) {
					size_t len = at + gaps[g] + 3;

					/* These two would make one valid
					 * character. */
					if (gaps[g] == 0 &&
					    odd[a].in[0] == '\xe2' &&
					    odd[b].in[0] == '\x80')
						continue;
					md.len = want.len = 0;
					str_adds(&want, "== 0 [] #\nP|");
					for (size_t k = 0; k < len; k++) {
						const char *in = "x",
						           *out = "x";
						if (k == at)
							in = odd[a].in,
							out = odd[a].out;
						else if (k == at + gaps[g] + 1)
							in = odd[b].in,
							out = odd[b].out;
						else if (k == len - 1 &&
						         at % 3 == 0)
							continue; /* end on the
							             odd one */
						str_adds(&md, in);
						str_adds(&want, out);
					}
					str_adds(&want, "\n");
					/* A tab first makes code, a tab last
					 * is trimmed. */
					if (md.s[0] == '\t' ||
					    md.s[md.len - 1] == '\t')
						continue;
					memset(&c, 0, sizeof(c));
					if (read_into(&c, md.s, md.len) !=
					        AWN_OK ||
					    c.problems ||
					    c.out.len != want.len ||
					    memcmp(c.out.s, want.s, want.len) !=
					        0) {
						if (fails++ == 0)
							CHECK_MEM_STR(c.out.s,
							              c.out.len,
							              want.s);
					}
					str_free(&c.out);
				}
	CHECK_INT(fails, 0);
	str_free(&md);
	str_free(&want);
}

/* richtext_look_mask's promise: no byte it must flag is missed, and
 * the lowest flag is a true one, whatever the bytes around. */
static void
test_look_mask(void)
{
	static const unsigned char around[] = {'a',  ' ',  0x00, 0x1f, 0x20,
	                                       0x7e, 0x7f, 0x80, 0xff};
	unsigned pos, x, y, fails = 0;

	for (pos = 0; pos < 7; pos++)
		for (x = 0; x < 256; x++)
			for (y = 0; y < sizeof(around); y++) {
				unsigned char word[8];
				uint64_t w, m;
				unsigned k, lowest;

				memset(word, 'a', 8);
				word[pos] = (unsigned char)x;
				word[pos + 1] = around[y];
				word[(pos + 5) % 8] = around[(x + y) % 9];
				for (w = 0, k = 0; k < 8; k++)
					w |= (uint64_t)word[k] << (8 * k);
				m = richtext_look_mask(w);
				for (k = 0; k < 8; k++) {
					int look =
					    word[k] < 0x20 || word[k] >= 0x7f;
					if (look && !(m >> (8 * k + 7) & 1))
						fails++;
				}
				lowest =
				    m ? (unsigned)__builtin_ctzll(m) / 8 : 8;
				if (m & ~0x8080808080808080ull)
					fails++; /* only high bits are flags */
				if (lowest < 8 && word[lowest] >= 0x20 &&
				    word[lowest] < 0x7f)
					fails++;
			}
	CHECK_INT(fails, 0);
}

/* ---- Slugs ------------------------------------------------------------- */

static void
check_slug(int line, const char *title, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK_INT(markdown_slug(title, strlen(title), &b), AWN_OK);
	if (b.len != strlen(want) ||
	    (b.len > 0 && memcmp(b.data, want, b.len) != 0)) {
		fprintf(stderr,
		        "%s:%d: slug of \"%s\" is \"%.*s\", want \"%s\"\n",
		        __FILE__, line, title, (int)b.len, b.data ? b.data : "",
		        want);
		check_failures++;
	}
	buf_free(&b);
}

#define CHECK_SLUG(title, want) check_slug(__LINE__, (title), (want))

static void
test_slugs(void)
{
	CHECK_SLUG("EBS & EFS", "ebs--efs");
	CHECK_SLUG("Security Token Service (STS)",
	           "security-token-service-sts");
	CHECK_SLUG("CI/CD", "cicd");
	CHECK_SLUG("Route-53", "route-53");
	CHECK_SLUG("Read replicas:", "read-replicas");
	CHECK_SLUG("snake_case Name", "snake_case-name");
	CHECK_SLUG("C++ & C#", "c--c");
	CHECK_SLUG("AWS Certified Developer - Associate",
	           "aws-certified-developer---associate");
	CHECK_SLUG("1.2 What's new?", "12-whats-new");
	CHECK_SLUG("", "");
	CHECK_SLUG("!!!", "");
	/* Latin-1, Latin Extended-A, Greek (final sigma), Cyrillic. */
	CHECK_SLUG("\xc3\x9cn\xc3\x8f"
	           "c\xc3\x96"
	           "d\xc3\x89 Stra\xc3\x9f"
	           "e",
	           "\xc3\xbcn\xc3\xaf"
	           "c\xc3\xb6"
	           "d\xc3\xa9-stra\xc3\x9f"
	           "e");
	CHECK_SLUG("\xc5\x81\xc3\x93"
	           "D\xc5\xb9 \xc4\xb2ssel \xc5\xb8",
	           "\xc5\x82\xc3\xb3"
	           "d\xc5\xba-\xc4\xb3ssel-\xc3\xbf");
	CHECK_SLUG("\xce\x9f\xce\x94\xce\xa5\xce\xa3\xce\xa3\xce\x95\xce\xa5"
	           "\xce\xa3 \xce\x86\xce\xa3",
	           "\xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x85"
	           "\xcf\x82-\xce\xac\xcf\x82");
	CHECK_SLUG("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	           "\xd0\x9c\xd0\xb8\xd1\x80! \xd0\x81\xd0\x96",
	           "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82-"
	           "\xd0\xbc\xd0\xb8\xd1\x80-\xd1\x91\xd0\xb6");
	CHECK_SLUG("\xc4\xb0stanbul", "i\xcc\x87stanbul");
	/* Other scripts are kept as they are. */
	CHECK_SLUG("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xd7\xa9\xd7\x9c",
	           "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e-\xd7\xa9\xd7\x9c");
	/* Symbols, emoji, typographic punctuation go. */
	CHECK_SLUG("Rocket \xf0\x9f\x9a\x80 launch", "rocket--launch");
	CHECK_SLUG(
	    "\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x94 text\xe2\x80\xa6",
	    "quoted--text");
	CHECK_SLUG("\xe2\x9c\x94\xef\xb8\x8f Done \xc2\xa9 2024",
	           "-done--2024");
	CHECK_SLUG("\xc2\xb5s and m\xc2\xb2", "\xc2\xb5s-and-m\xc2\xb2");
	CHECK_SLUG("\xef\xbc\xa1\xef\xbd\x82", "\xef\xbd\x81\xef\xbd\x82");
	/* Bytes that are not UTF-8 are dropped. */
	CHECK_SLUG("a\xff"
	           "b\xe2\x82 c",
	           "ab-c");
}

/* ---- Robustness and limits --------------------------------------------- */

static double
seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

static void
repeat(struct str *s, const char *piece, int n)
{
	int i;

	for (i = 0; i < n; i++)
		str_adds(s, piece);
}

/*
 * NEST nested containers (PIECE each) around "x", followed by LAZY lazy
 * continuation lines: without a prefix cap this would be quadratic.
 */
static void
check_deep(const char *piece, int nest, int lazy, const char *first,
           const char *next)
{
	struct str md = {0}, want = {0};
	struct collector c;
	clock_t t0;
	double t;

	repeat(&md, piece, nest);
	str_adds(&md, "x\n");
	repeat(&md, "lazy\n", lazy);
	str_adds(&want, "== 0 [] #\nP");
	str_adds(&want, first);
	str_adds(&want, "|x\n");
	while (lazy-- > 0) {
		str_adds(&want, "S");
		str_adds(&want, next);
		str_adds(&want, "|lazy\n");
	}
	memset(&c, 0, sizeof(c));
	t0 = clock();
	CHECK_INT(read_into(&c, md.s, md.len), AWN_OK);
	t = seconds_since(t0);
	CHECK_INT(c.problems, 0);
	CHECK_MEM_STR(c.out.s ? c.out.s : "", c.out.len, want.s);
	if (t > 20.0) {
		fprintf(stderr, "%d-deep \"%s\" took %.2fs\n", nest, piece, t);
		check_failures++;
	}
	str_free(&c.out);
	str_free(&want);
	str_free(&md);
}

static void
test_deep_nesting(void)
{
	struct str first = {0}, next = {0};

	repeat(&first, "- ", 32);
	repeat(&next, "  ", 32);
	check_deep("- ", 10000, 10000, first.s, next.s);
	str_free(&first);
	str_free(&next);

	repeat(&first, "> ", 32);
	check_deep("> ", 10000, 10000, first.s, first.s);
	str_free(&first);

	repeat(&first, "1. ", 32);
	repeat(&next, "   ", 32);
	check_deep("1. ", 10000, 100, first.s, next.s);
	str_free(&first);
	str_free(&next);

	repeat(&first, "> - ", 16);
	repeat(&next, ">   ", 16);
	check_deep("> - ", 5000, 100, first.s, next.s);
	str_free(&first);
	str_free(&next);

	/* The innermost of 10,000 items is empty: one marker line. */
	str_adds(&first, "# H\n");
	repeat(&first, "+ ", 10000); /* "- - -" would be a rule */
	str_adds(&first, "\n");
	repeat(&next, "+ ", 32);
	{
		struct collector c;
		struct str want = {0};

		str_adds(&want, "== 1 [H] #h\n1|H\nP");
		str_adds(&want, next.s);
		str_adds(&want, "|\n");
		memset(&c, 0, sizeof(c));
		CHECK_INT(read_into(&c, first.s, first.len), AWN_OK);
		CHECK_MEM_STR(c.out.s ? c.out.s : "", c.out.len, want.s);
		str_free(&c.out);
		str_free(&want);
	}
	str_free(&first);
	str_free(&next);
}

/* Many duplicate headings: anchors stay unique, time stays linear. */
static void
test_many_sections(void)
{
	struct str md = {0};
	struct collector c;
	clock_t t0;
	const char *last;

	repeat(&md, "# a\nx\n", 100000);
	memset(&c, 0, sizeof(c));
	t0 = clock();
	CHECK_INT(read_into(&c, md.s, md.len), AWN_OK);
	CHECK(seconds_since(t0) < 20.0);
	CHECK_INT(c.calls, 100000);
	CHECK_INT(c.problems, 0);
	last = c.out.s ? strrchr(c.out.s, '#') : NULL;
	CHECK(last != NULL && strcmp(last, "#a-99999\n1|a\nP|x\n") == 0);
	str_free(&c.out);
	str_free(&md);
}

/* One 2 MB line, as a paragraph and as a heading. */
static void
test_long_line(void)
{
	struct str md = {0};
	struct collector c;
	clock_t t0;

	repeat(&md, "word **b** &amp; ", 120000);
	str_adds(&md, "\n# ");
	repeat(&md, "title *t* ", 200000);
	str_adds(&md, "\n");
	memset(&c, 0, sizeof(c));
	t0 = clock();
	CHECK_INT(read_into(&c, md.s, md.len), AWN_OK);
	CHECK(seconds_since(t0) < 20.0);
	CHECK_INT(c.calls, 2);
	CHECK_INT(c.problems, 0);
	str_free(&c.out);
	str_free(&md);
}

static const char small_doc[] =
    "---\nfront: matter\n---\n"
    "Preamble with [a link](http://x.y) and &copy;.\n\n"
    "# EBS & EFS\n\n"
    "* one\n* two\n  * nested `code`\n\n"
    "> quoted **bold**\n> - item\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    "```\ncode line\n```\n\n"
    "<div>\n<p>html &amp; text</p>\n</div>\n\n"
    "## EBS & EFS <a name=\"x\"></a>\n\n"
    "1. first\n\n2. second\n\n"
    "## EBS & EFS\ntext\\\nbreak\n";

/*
 * Fail each allocation of reading MD in turn: every run must end in
 * AWN_ERR_NOMEM with a detail (and, under valgrind or ASan, no leak);
 * once every allocation succeeds the output must be the normal one.
 * Returns how many allocations a full read makes.
 */
static long
check_alloc_failures(int line, const char *md, size_t len)
{
	struct collector ref, c;
	awn_error err;
	long total, k;
	awn_status st;

	memset(&ref, 0, sizeof(ref));
	alloc_fail_after(-1);
	CHECK_INT(read_into(&ref, md, len), AWN_OK);
	total = alloc_fail_after(-1);
	for (k = 0; k <= total; k++) {
		memset(&c, 0, sizeof(c));
		memset(&err, 0, sizeof(err));
		alloc_fail_after(k);
		st = markdown_read(md, len, collect, &c, &err);
		alloc_fail_after(-1);
		if (k < total
		        ? st != AWN_ERR_NOMEM || err.detail[0] == 0
		        : st != AWN_OK || c.out.len != ref.out.len ||
		              memcmp(c.out.s, ref.out.s, c.out.len) != 0) {
			fprintf(stderr,
			        "%s:%d: failing allocation %ld of %ld: "
			        "status %d\n",
			        __FILE__, line, k, total, (int)st);
			check_failures++;
		}
		str_free(&c.out);
	}
	str_free(&ref.out);
	return total;
}

static void
test_alloc_failures(void)
{
	struct str big = {0};
	int i;

	long small, more;

	small =
	    check_alloc_failures(__LINE__, small_doc, sizeof(small_doc) - 1);
	CHECK(small > 5);
	/* Enough headings, nesting and text to make every buffer grow. */
	for (i = 0; i < 40; i++)
		str_adds(&big, small_doc + 22); /* without the front matter */
	repeat(&big, "> - ", 40);
	str_adds(&big, "deep\n");
	more = check_alloc_failures(__LINE__, big.s, big.len);
	CHECK(more > small + 5);
	str_free(&big);
}

/* A failing callback stops the reader and its status comes back. */
static void
test_callback_failure(void)
{
	struct collector c;
	awn_error err;

	memset(&c, 0, sizeof(c));
	memset(&err, 0, sizeof(err));
	strcpy(err.detail, "untouched");
	c.fail_at = 2;
	CHECK_INT(
	    markdown_read(small_doc, sizeof(small_doc) - 1, collect, &c, &err),
	    AWN_ERR_IO);
	CHECK_INT(c.calls, 2);
	CHECK_STR(err.detail, "untouched");
	str_free(&c.out);
}

static void
test_bad_arguments(void)
{
	struct collector c;
	awn_error err;

	memset(&c, 0, sizeof(c));
	memset(&err, 0, sizeof(err));
	/* The size is checked before a byte is read. */
	CHECK_INT(markdown_read("x", MARKDOWN_MAX_SIZE + 1, collect, &c, &err),
	          AWN_ERR_INPUT);
	CHECK(strstr(err.detail, "too large") != NULL);
	CHECK_INT(c.calls, 0);
	CHECK_INT(markdown_read("x", 1, NULL, NULL, NULL), AWN_ERR_ARG);
	CHECK_INT(markdown_read(NULL, 3, collect, &c, NULL), AWN_ERR_ARG);
	CHECK_INT(markdown_read(NULL, 0, collect, &c, NULL), AWN_OK);
	CHECK_INT(c.calls, 0);
}

/*
 * md4c 0.4.8 reads a byte past the end of these documents (permissive
 * autolinks running into the end); under valgrind this fails unless the
 * reader pads its copy of the input.
 */
static void
test_md4c_overread(void)
{
	static const char *const docs[] = {
	    "x [[ ] ](![www.a.b`>![",
	    "[ ]  ](![<br>;\t<!--[ ] ## <!--_   <- ](",
	    "www.a.b",
	    "http://x",
	};
	struct collector c;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		memset(&c, 0, sizeof(c));
		CHECK_INT(read_into(&c, docs[i], strlen(docs[i])), AWN_OK);
		CHECK_INT(c.problems, 0);
		CHECK_INT(c.calls, 1);
		str_free(&c.out);
	}
}

/* Random Markdown-flavoured byte soup must keep every invariant. */
static void
test_random_documents(void)
{
	static const char *const pieces[] = {
	    "# ",       "## ",  "\n",       "\n\n",    "- ",       "1. ",
	    "> ",       "  ",   "*",        "**",      "_",        "`",
	    "```\n",    "~~",   "[",        "](",      ")",        "<",
	    ">",        "<b>",  "</b>",     "<div>\n", "<!--",     "-->",
	    "&",        ";",    "amp",      "#x41",    "|",        "---",
	    "\r",       "\t",   "\\",       "www.a.b", "http://x", "\xff",
	    "\xe2\x82", "\x01", "word",     "    ",    "===",      "[ ] ",
	    "<br>",     "&#0;", "<script>", "![",
	};
	uint32_t seed = 12345;
	struct str md = {0};
	struct collector c;
	int i, k, fails = 0;

	for (i = 0; i < 3000; i++) {
		md.len = 0;
		for (k = 0; k < 60; k++) {
			seed = seed * 1103515245u + 12345u;
			str_adds(&md,
			         pieces[(seed >> 16) %
			                (sizeof(pieces) / sizeof(pieces[0]))]);
		}
		memset(&c, 0, sizeof(c));
		if (read_into(&c, md.s, md.len) != AWN_OK || c.problems) {
			if (fails++ == 0)
				fprintf(stderr, "random document failed: %s\n",
				        md.s);
		}
		str_free(&c.out);
	}
	CHECK_INT(fails, 0);
	str_free(&md);
}

/* ---- The real notes ---------------------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct str s = {0};
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		str_add(&s, chunk, n);
	fclose(f);
	*len = s.len;
	return s.s ? s.s : calloc(1, 1);
}

/* Sections of the seed notes, remembered for the checks below. */
struct seed_sections {
	struct str anchors;       /* "\nanchor\n" for every section */
	struct str links;         /* "#anchor\n" for every internal link */
	struct str s3_encryption; /* visible text of S3 > Encryption */
	struct str top;           /* current level-1 title */
	int count;
	int problems;
};

static void
note_links(struct seed_sections *s, const char *t, size_t n)
{
	const char *end = t + n, *p, *q;

	for (p = t; (p = memchr(p, RT_LINK, (size_t)(end - p))) != NULL;
	     p = q) {
		q = memchr(p, RT_LINK_TEXT, (size_t)(end - p));
		if (q == NULL)
			break;
		if (p[1] == '#') {
			str_add(&s->links, p + 1, (size_t)(q - p - 1));
			str_adds(&s->links, "\n");
		}
	}
}

static awn_status
seed_section(void *ctx, const struct md_section *sec)
{
	struct seed_sections *s = ctx;
	const char *why = section_problem(sec);

	if (why != NULL) {
		fprintf(stderr, "seed section \"%s\": %s\n", sec->title, why);
		s->problems++;
	}
	s->count++;
	str_adds(&s->anchors, "\n");
	str_add(&s->anchors, sec->anchor, sec->anchor_len);
	str_adds(&s->anchors, "\n");
	note_links(s, sec->text, sec->text_len);
	if (sec->level == 1) {
		s->top.len = 0;
		str_add(&s->top, sec->title, sec->title_len);
	}
	if (strcmp(sec->title, "Encryption") == 0 && s->top.s != NULL &&
	    strcmp(s->top.s, "S3") == 0) {
		str_adds(&s->s3_encryption, sec->anchor);
		str_adds(&s->s3_encryption, "\n");
		show_rich(&s->s3_encryption, sec->text, sec->text_len);
	}
	return AWN_OK;
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * Every "#anchor" link of the notes must name a section's anchor, compared
 * without case like awn_db_find_anchor does: our slugs agree with GitHub's.
 * The notes have one dangling link of their own, to "#AWS-Services".
 */
static void
check_internal_links(struct seed_sections *s)
{
	char *line = s->links.s, *nl;
	char want[512];
	int links = 0;

	while (line != NULL && (nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		snprintf(want, sizeof(want), "\n%s\n", line + 1);
		lower_ascii(want);
		if (strstr(s->anchors.s, want) == NULL &&
		    strcmp(line, "#AWS-Services") != 0) {
			fprintf(stderr, "link %s has no section\n", line);
			check_failures++;
		}
		links++;
		line = nl + 1;
	}
	CHECK(links >= 20);
}

static void
test_seed_notes(void)
{
	const char *dir = getenv("srcdir");
	struct seed_sections s;
	char path[1024];
	char *md;
	size_t len;

	snprintf(path, sizeof(path), "%s/share/aws-developer-associate.md",
	         dir ? dir : ".");
	if ((md = slurp(path, &len)) == NULL) {
		fprintf(stderr, "note: %s not found, seed checks skipped\n",
		        path);
		return;
	}
	memset(&s, 0, sizeof(s));
	CHECK_INT(markdown_read(md, len, seed_section, &s, NULL), AWN_OK);
	CHECK_INT(s.problems, 0);
	CHECK_INT(s.count, 74); /* 73 ATX headings and one setext */
	CHECK(strstr(s.anchors.s, "\nsecurity-token-service-sts\n") != NULL);
	CHECK(strstr(s.anchors.s, "\nebs--efs\n") != NULL);
	CHECK(strstr(s.anchors.s, "\ncicd\n") != NULL);
	CHECK(strstr(s.anchors.s, "\nread-replicas\n") != NULL);
	CHECK(strstr(s.anchors.s, "\nencryption\n") != NULL);
	CHECK_STR(
	    s.s3_encryption.s ? s.s3_encryption.s : "",
	    "encryption-1\n"
	    "3|Encryption\n"
	    "P* |Server-Side\n"
	    "E|\n"
	    "P  1. |SSE-KMS: KMS-Managed Encryption keys. Give user "
	    "control and audit trail. Must set header "
	    "{c}\"x-amz-server-side-encryption\":\"aws:kms\"{/c}\n"
	    "P  2. |SSE-S3: Amazon S3-Managed Encryption keys. Must set "
	    "header {c}\"x-amz-server-side-encryption\":\"AES-256\"{/c}\n"
	    "P  3. |SSE-C: Customer-Provided Encryption keys. S3 does not "
	    "store the key. Must use HTTPS. Must provide key in header.\n"
	    "E|\n"
	    "P* |Client-Side\n"
	    "E|\n"
	    "P  1. |AWS KMS-managed customer master key\n"
	    "P  2. |Client-side master key\n");
	check_internal_links(&s);
	str_free(&s.anchors);
	str_free(&s.links);
	str_free(&s.s3_encryption);
	str_free(&s.top);
	free(md);
}

/* ---- Ad-hoc runs over files ---------------------------------------------- */

static int
read_files(int argc, char **argv)
{
	struct collector c;
	awn_error err;
	awn_status st;
	int i, failed = 0;
	clock_t t0;
	char *md;
	size_t len;

	for (i = 1; i < argc; i++) {
		if ((md = slurp(argv[i], &len)) == NULL) {
			perror(argv[i]);
			failed = 1;
			continue;
		}
		memset(&c, 0, sizeof(c));
		memset(&err, 0, sizeof(err));
		t0 = clock();
		st = markdown_read(md, len, collect, &c, &err);
		printf("%8.3fs %10zu bytes %6d sections %s%s%s\n",
		       seconds_since(t0), len, c.calls, argv[i], st ? ": " : "",
		       st ? err.detail : "");
		if (st != AWN_OK || c.problems)
			failed = 1;
		str_free(&c.out);
		free(md);
	}
	return failed;
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		return read_files(argc, argv);
	test_headings();
	test_preamble();
	test_empty_and_bare_headings();
	test_lines();
	test_duplicate_anchors();
	test_contained_headings();
	test_heading_html();
	test_long_title();
	test_lists();
	test_quotes();
	test_code_blocks();
	test_tables();
	test_rules_and_breaks();
	test_emphasis();
	test_links();
	test_named_anchors();
	test_held_in_file();
	test_entities();
	test_escapes();
	test_html();
	test_front_matter();
	test_line_ends();
	test_bad_bytes();
	test_bad_bytes_everywhere();
	test_look_mask();
	test_slugs();
	test_deep_nesting();
	test_many_sections();
	test_long_line();
	test_alloc_failures();
	test_callback_failure();
	test_bad_arguments();
	test_md4c_overread();
	test_random_documents();
	test_seed_notes();
	return check_status();
}
