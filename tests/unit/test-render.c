/*
 * test-render.c - unit tests for render.c: plain text, wrapping, styles,
 * links, tables, headings, and hostile input (fuzz loop, write and
 * allocation failures).
 *
 * Inputs are rich-text lines written by hand.  C hex escapes are greedy
 * ("\x01C" is one byte), so markers are spliced in as separate literals
 * through the macros below.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "check.h"
#include "render.h"

/* Markers (richtext.h) as string literals. */
#define S_ON  "\x01"
#define S_OFF "\x02"
#define E_ON  "\x03"
#define E_OFF "\x04"
#define C_ON  "\x05"
#define C_OFF "\x06"
#define D_ON  "\x07"
#define D_OFF "\x08"
#define LNK   "\x0e"
#define LTXT  "\x0f"
#define LEND  "\x10"
#define CELL  "\x1e"
#define PE    "\x1f"

/* What the renderer writes. */
#define SGR(codes)        "\x1b[" codes "m"
#define RST               SGR("0")
#define BOLD              SGR("1")
#define DIM               SGR("2")
#define ITAL              SGR("3")
#define ULINE             SGR("4")
#define STRIKE            SGR("9")
#define CODE              SGR("36")
#define BOLD_ULINE        SGR("1;4")
#define BOLD_ITAL         SGR("1;3")
#define TO_BOLD_ITAL      SGR("0;1;3") /* from another style */
#define TO_ITAL           SGR("0;3")
#define TO_BOLD_ITAL_CODE SGR("0;1;3;36")
#define FFFD              "\xEF\xBF\xBD"
#define BUL1              "\xE2\x80\xA2" /* • */
#define BUL2              "\xE2\x97\xA6" /* ◦ */
#define BUL3              "\xE2\x96\xAA" /* ▪ */
#define BAR               "\xE2\x94\x82" /* │ */
#define HR                "\xE2\x94\x80" /* ─ */
#define ARROW             "\xE2\x86\x92" /* → */

#define STYLE AWN_RENDER_STYLE
#define WRAP  AWN_RENDER_WRAP
#define TERM  (AWN_RENDER_STYLE | AWN_RENDER_WRAP)

/* ---- Output capture -------------------------------------------------- */

struct sink {
	char *data;
	size_t len, cap;
	unsigned calls;
	unsigned fail_at; /* return -1 on this call (1-based); 0: never */
	size_t biggest;
};

static struct sink out;

static int
sink_write(void *ctx, const char *data, size_t len)
{
	struct sink *s = ctx;

	s->calls++;
	CHECK(s->fail_at == 0 ||
	      s->calls <= s->fail_at); /* no writes after -1 */
	if (s->fail_at != 0 && s->calls >= s->fail_at)
		return -1;
	CHECK(len > 0);
	if (len > s->biggest)
		s->biggest = len;
	if (s->len + len + 1 > s->cap) {
		size_t cap = (s->len + len + 1) * 2;
		char *p = realloc(s->data, cap);

		if (p == NULL)
			abort();
		s->data = p;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, len);
	s->len += len;
	s->data[s->len] = '\0';
	return 0;
}

static void
sink_reset(struct sink *s)
{
	s->len = 0;
	s->calls = 0;
	s->fail_at = 0;
	s->biggest = 0;
	if (s->data)
		s->data[0] = '\0';
}

static size_t full_size; /* the room "#full" was given */

/* A fake section index for links into the notes: "#ec2" and "ec2.md"
 * are known. */
static int
fake_link_path(void *ctx, const char *dest, size_t len, char *buf, size_t size)
{
	(void)ctx;
	if (len == 5 && memcmp(dest, "#long", 5) == 0) {
		/* 5,000 bytes, told as snprintf tells them */
		size_t i;
		for (i = 0; i + 1 < size && i < 5000; i++)
			buf[i] = i % 10 == 9 ? ' ' : 'y';
		buf[i] = '\0';
		return 5000;
	}
	if ((len == 4 && memcmp(dest, "#ec2", 4) == 0) ||
	    (len == 6 && memcmp(dest, "ec2.md", 6) == 0)) {
		snprintf(buf, size, "AWS > EC2");
		return 0;
	}
	if (len == 5 && memcmp(dest, "#evil", 5) == 0) {
		snprintf(buf, size, "bad\x1b[31m\x07path");
		return 0;
	}
	if (len == 5 && memcmp(dest, "#full", 5) == 0) {
		memset(buf, 'x', size); /* forgets the terminating NUL */
		full_size = size;
		return 0;
	}
	return -1;
}

static struct render_opts opts;

static awn_status
render_opts_n(const char *in, size_t len, unsigned flags, unsigned width)
{
	opts.flags = flags;
	opts.width = width;
	opts.link_path = fake_link_path;
	opts.link_ctx = NULL;
	sink_reset(&out);
	return render_text(in, len, &opts, sink_write, &out);
}

/* Render a string literal; the output is in `out`. */
#define RENDER(in, flags, width)                                               \
	CHECK_INT(render_opts_n((in), sizeof(in) - 1, (flags), (width)), AWN_OK)

#define CHECK_OUT(want) CHECK_MEM_STR(out.data, out.len, (want))

/* ---- Plain mode ------------------------------------------------------- */

static void
test_plain_kinds(void)
{
	RENDER("1" PE "Title " S_ON "here" S_OFF "\n"
	       "P" PE "Some " S_ON "bold" S_OFF " and " E_ON "em" E_OFF
	       " and " C_ON "code" C_OFF " and " D_ON "del" D_OFF ".\n"
	       "S" PE "soft line\n"
	       "B" PE "hard line\n"
	       "E" PE "\n"
	       "E" PE "\n"
	       "P* " PE "item with " LNK "https://aws.amazon.com" LTXT
	       "a link" LEND " and " LNK "#ec2" LTXT "inner" LEND "\n"
	       "S  " PE "continued\n"
	       "P> " PE "quoted\n"
	       "V    " PE "x = 1;\tcomment\n"
	       "R" PE "\n"
	       "R> " PE "\n"
	       "T" PE "a" CELL "b" CELL "c\n"
	       "t" PE "1" CELL CELL "3\n",
	       0, 80);
	CHECK_OUT("Title here\n"
	          "Some bold and em and code and del.\n"
	          "soft line\n"
	          "hard line\n"
	          "\n"
	          "\n"
	          "* item with a link and inner\n"
	          "  continued\n"
	          "> quoted\n"
	          "    x = 1;\tcomment\n"
	          "---\n"
	          "> ---\n"
	          "a | b | c\n"
	          "1 |  | 3\n");
}

static void
test_plain_controls(void)
{
	/* ESC, NUL, DEL, a C1 control, invalid and overlong UTF-8. */
	RENDER("P" PE "a\x1b[31mb\x00"
	       "c\x7f"
	       "d\xC2\x9B"
	       "e\xFF"
	       "f\xC0\xAF"
	       "g\xED\xA0\x80"
	       "h\xE4\xB8"
	       "i\x0b\x0d"
	       "j\n",
	       0, 80);
	CHECK_OUT("a" FFFD "[31mb" FFFD "c" FFFD "d" FFFD "e" FFFD "f" FFFD FFFD
	          "g" FFFD FFFD FFFD "h" FFFD FFFD "i" FFFD FFFD "j\n");
	/* Valid multi-byte text passes untouched, tabs stay tabs. */
	RENDER("P" PE "caf\xC3\xA9\t\xE4\xB8\xAD \xF0\x9F\x98\x80\n", 0, 80);
	CHECK_OUT("caf\xC3\xA9\t\xE4\xB8\xAD \xF0\x9F\x98\x80\n");
}

static void
test_plain_malformed_lines(void)
{
	/* No kind byte: the line is kept whole. */
	RENDER("hello\n", 0, 80);
	CHECK_OUT("hello\n");
	/* No RT_PREFIX_END: empty prefix, all content. */
	RENDER("P* item\n", 0, 80);
	CHECK_OUT("* item\n");
	/* Missing final newline, empty lines, a lone kind byte. */
	RENDER("P" PE "one\n\nP", 0, 80);
	CHECK_OUT("one\n\n\n");
	/* Markers in odd places; a link cut by the line end drops it. */
	RENDER("P" PE "a" LTXT "b" LEND "c" PE "d " LNK "dest\n"
	       "P" PE LNK LEND "x" LNK "only" LEND "y\n",
	       0, 80);
	CHECK_OUT("abcd\nxy\n");
	/* A blank line never shows its (corrupt) content. */
	RENDER("E" PE "junk\n", 0, 80);
	CHECK_OUT("\n");
	RENDER("", 0, 80);
	CHECK_OUT("");
	CHECK_INT(render_text(NULL, 5, NULL, sink_write, &out), AWN_OK);
}

/* ESC from the input never reaches the output in any mode. */
static void
test_no_input_escape(void)
{
	static const char in[] = "P" PE "x\x1b]0;title\x07y\x1b[2J\n"
	                         "T" PE "\x1b[1m" CELL "b\n"
	                         "V" PE "\x1b[5m\n"
	                         "1" PE "\x1b"
	                         "c\n";
	unsigned flags;

	for (flags = 0; flags < 4; flags++) {
		size_t i;

		RENDER(in, flags, 40);
		for (i = 0; i < out.len; i++) {
			if (out.data[i] != '\x1b')
				continue;
			/* Only our own SGR: ESC [ digits/semicolons m */
			CHECK(flags & STYLE);
			CHECK(out.data[i + 1] == '[');
			CHECK(strncmp(out.data + i, "\x1b[2J", 4) != 0);
			CHECK(strncmp(out.data + i, "\x1b[31m", 5) != 0);
			CHECK(strncmp(out.data + i, "\x1b[5m", 4) != 0);
		}
		CHECK(memchr(out.data, '\x07', out.len) == NULL);
	}
}

/* ---- Wrapping -------------------------------------------------------- */

static const char list_in[] =
    "P" PE "Amazon S3 stores objects in buckets and serves them over "
    "HTTPS.\n"
    "S" PE "Durability is eleven nines.\n"
    "E" PE "\n"
    "P* " PE "Standard class for frequently accessed data.\n"
    "P  * " PE "Nested bullet that needs a hanging indent too.\n"
    "P    1. " PE "Ordered third level with enough words to wrap.\n"
    "P* " PE "Back to the top level.\n";

static void
test_wrap_width_20(void)
{
	RENDER(list_in, WRAP, 20);
	CHECK_OUT("Amazon S3 stores\n"
	          "objects in buckets\n"
	          "and serves them over\n"
	          "HTTPS. Durability is\n"
	          "eleven nines.\n"
	          "\n"
	          "* Standard class for\n"
	          "  frequently\n"
	          "  accessed data.\n"
	          "  * Nested bullet\n"
	          "    that needs a\n"
	          "    hanging indent\n"
	          "    too.\n"
	          "    1. Ordered third\n"
	          "       level with\n"
	          "       enough words\n"
	          "       to wrap.\n"
	          "* Back to the top\n"
	          "  level.\n");
}

static void
test_wrap_width_40(void)
{
	RENDER(list_in, WRAP, 40);
	CHECK_OUT("Amazon S3 stores objects in buckets and\n"
	          "serves them over HTTPS. Durability is\n"
	          "eleven nines.\n"
	          "\n"
	          "* Standard class for frequently accessed\n"
	          "  data.\n"
	          "  * Nested bullet that needs a hanging\n"
	          "    indent too.\n"
	          "    1. Ordered third level with enough\n"
	          "       words to wrap.\n"
	          "* Back to the top level.\n");
}

static void
test_wrap_width_60(void)
{
	RENDER(list_in, TERM, 60);
	CHECK_OUT("Amazon S3 stores objects in buckets and serves them over\n"
	          "HTTPS. Durability is eleven nines.\n"
	          "\n" BUL1 " Standard class for frequently accessed data.\n"
	          "  " BUL2 " Nested bullet that needs a hanging indent too.\n"
	          "    1. Ordered third level with enough words to wrap.\n" BUL1
	          " Back to the top level.\n");
}

static void
test_wrap_hard_break_and_quote(void)
{
	RENDER("P> " PE "Quoted text that is long enough to wrap.\n"
	       "B> " PE "After a hard break.\n",
	       WRAP, 24);
	CHECK_OUT("> Quoted text that is\n"
	          "> long enough to wrap.\n"
	          "> After a hard break.\n");
	RENDER("P> " PE "Quoted text that wraps.\n", TERM, 18);
	CHECK_OUT(DIM BAR " " RST "Quoted text that\n" DIM BAR " " RST
	                  "wraps.\n");
	/* Without WRAP, lines stay as stored. */
	RENDER("P" PE "one  two\nS" PE "three\nB" PE "four\n", STYLE, 5);
	CHECK_OUT("one  two\nthree\nfour\n");
}

static void
test_bullet_depths(void)
{
	RENDER("P- " PE "a\n"
	       "P  + " PE "b\n"
	       "P    * " PE "c\n"
	       "P      * " PE "d\n"
	       "P1. " PE "e\n"
	       "P   - " PE "f\n"
	       "P> * " PE "g\n",
	       STYLE, 80);
	CHECK_OUT(BUL1 " a\n"
	               "  " BUL2 " b\n"
	               "    " BUL3 " c\n"
	               "      " BUL3 " d\n"
	               "1. e\n"
	               "   " BUL2 " f\n" DIM BAR " " RST BUL1 " g\n");
}

/* A task item keeps its box; the bullet before it shows its depth. */
static void
test_task_bullets(void)
{
	RENDER("P- [ ] " PE "open\n"
	       "P  * [x] " PE "done and long enough to wrap\n"
	       "P[ ] " PE "no bullet\n",
	       TERM, 24);
	CHECK_OUT(BUL1 " [ ] open\n"
	               "  " BUL2 " [x] done and long\n"
	               "        enough to wrap\n"
	               "[ ] no bullet\n");
}

static void
test_long_words(void)
{
	RENDER("P" PE "see docs.aws.amazon.com/AmazonS3/latest/ ok\n", WRAP,
	       20);
	CHECK_OUT("see\n"
	          "docs.aws.amazon.com/\n"
	          "AmazonS3/latest/ ok\n");
	/* A URL is not: broken, it could not be copied from the terminal
	 * or opened; it has a line of its own, as a code line. */
	RENDER("P" PE "see https://docs.aws.amazon.com/AmazonS3/latest/ ok\n",
	       WRAP, 20);
	CHECK_OUT("see\n"
	          "https://docs.aws.amazon.com/AmazonS3/latest/\n"
	          "ok\n");
	RENDER("P" PE "ftp: and f://x are words, as is "
	       "ftp:abcdefghijklmnopqrstuvwxyz\n",
	       WRAP, 20);
	CHECK_OUT("ftp: and f://x are\n"
	          "words, as is\n"
	          "ftp:abcdefghijklmnop\n"
	          "qrstuvwxyz\n");
	/* Hanging indent holds for the pieces of a broken word. */
	RENDER("P- " PE "abcdefghijklmnopqrstuvwxyz\n", WRAP, 12);
	CHECK_OUT("- abcdefghij\n"
	          "  klmnopqrst\n"
	          "  uvwxyz\n");
}

static void
test_wide_and_combining(void)
{
	/* 中文 is 4 columns; a line of 10 columns holds 5 CJK chars. */
	RENDER("P" PE "\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87"
	       "\xE4\xB8\xAD\xE6\x96\x87\n",
	       WRAP, 10);
	CHECK_OUT("\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD"
	          "\n\xE6\x96\x87\n");
	/* An odd width never splits a wide character. */
	RENDER("P" PE "\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\n", WRAP, 5);
	CHECK_OUT("\xE4\xB8\xAD\xE6\x96\x87\n\xE4\xB8\xAD\n");
	/*
	 * Wide text may break between any two of its characters, so it
	 * fills the line after a narrow word instead of starting a new one;
	 * a combining mark stays on its character's line.
	 */
	RENDER("P" PE "ab \xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD"
	       "\xE6\x96\x87\xCC\x81x\n",
	       WRAP, 6);
	CHECK_OUT(
	    "ab \xE4\xB8\xAD\n\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87\xCC\x81\n"
	    "x\n");
	/* e + U+0301 is one column: "ééé ééé" fits in 7. */
	RENDER("P" PE "e\xCC\x81"
	       "e\xCC\x81"
	       "e\xCC\x81 e\xCC\x81"
	       "e\xCC\x81"
	       "e\xCC\x81 x\n",
	       WRAP, 7);
	CHECK_OUT("e\xCC\x81"
	          "e\xCC\x81"
	          "e\xCC\x81 e\xCC\x81"
	          "e\xCC\x81"
	          "e\xCC\x81\nx\n");
	/* Reflowed, a tab is a blank like any other: one space. */
	RENDER("P" PE "ab\tc\n", WRAP, 40);
	CHECK_OUT("ab c\n");
}

/*
 * Reflowed text shows a run of blanks as one space (an HTML anchor
 * stripped from "word  <a name=x></a>" left two before the line's end),
 * table cells too; plain text keeps runs but drops blanks at the end of
 * a line, though not in code.
 */
static void
test_blank_runs(void)
{
	static const char in[] = "P" PE "word  \n"
	                         "S" PE "next and a    b \t c\n";

	RENDER(in, WRAP, 60);
	CHECK_OUT("word next and a b c\n");
	RENDER(in, WRAP, 12);
	CHECK_OUT("word next\nand a b c\n");
	RENDER(in, 0, 60);
	CHECK_OUT("word\nnext and a    b \t c\n");
	RENDER("P> " PE "  \nV" PE "x  \n", 0, 60);
	CHECK_OUT(">\nx  \n");
	RENDER("T" PE "a    b" CELL "c\nt" PE "d" CELL "e\n", WRAP, 60);
	CHECK_OUT("a b  c\n---  -\nd    e\n");
}

/* Emoji sequences that a terminal draws as one picture are never split. */
#define FLAG_JP "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5" /* two indicators */
#define THUMB   "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD" /* + skin tone */
#define ZWJ     "\xE2\x80\x8D"
#define MAN     "\xF0\x9F\x91\xA8"
#define WOMAN   "\xF0\x9F\x91\xA9"

static void
test_clusters(void)
{
	RENDER("P" PE FLAG_JP FLAG_JP FLAG_JP "\n", WRAP, 5);
	CHECK_OUT(FLAG_JP FLAG_JP "\n" FLAG_JP "\n");
	RENDER("P" PE "a" FLAG_JP FLAG_JP "\n", WRAP, 4);
	CHECK_OUT("a" FLAG_JP "\n" FLAG_JP "\n");
	RENDER("P" PE THUMB THUMB THUMB "\n", WRAP, 5);
	CHECK_OUT(THUMB THUMB "\n" THUMB "\n");
	RENDER("P" PE "ab" MAN ZWJ WOMAN "\n", WRAP, 4);
	CHECK_OUT("ab\n" MAN ZWJ WOMAN "\n");
	/* Too wide for the line, it overflows rather than split. */
	RENDER("P" PE MAN ZWJ WOMAN ZWJ MAN "\n", WRAP, 4);
	CHECK_OUT(MAN ZWJ WOMAN ZWJ MAN "\n");
	/* A word broken for its length is not broken inside a flag. */
	RENDER("P" PE "abc" FLAG_JP "\n", WRAP, 4);
	CHECK_OUT("abc\n" FLAG_JP "\n");
	CHECK_INT(render_width(THUMB, strlen(THUMB)), 2);
	CHECK_INT(render_width(FLAG_JP, strlen(FLAG_JP)), 2);
	/* A joiner between letters joins nothing: a long run still wraps
	 * at the width; so does an emoji chain past JOIN_MAX. */
	RENDER("P" PE "a" ZWJ "b" ZWJ "c" ZWJ "d" ZWJ "e" ZWJ "f\n", WRAP, 4);
	CHECK(out.len > 0 && strchr(out.data, '\n') != out.data + out.len - 1);
	RENDER("P" PE MAN ZWJ MAN ZWJ MAN ZWJ MAN ZWJ MAN ZWJ MAN ZWJ MAN ZWJ
	           MAN ZWJ MAN ZWJ MAN ZWJ MAN ZWJ MAN "\n",
	       WRAP, 20);
	CHECK(render_width(out.data,
	                   (size_t)(strchr(out.data, '\n') - out.data)) <= 20);
}

/* A ZERO WIDTH SPACE is a place to break a long word (AWS docs put them
 * in long header names), shown as nothing when wrapping. */
#define ZWSP "\xE2\x80\x8B"

static void
test_zero_width_space(void)
{
	RENDER("P" PE "x-amz-server-side" ZWSP "-encryption" ZWSP "-key\n",
	       WRAP, 20);
	CHECK_OUT("x-amz-server-side\n-encryption-key\n");
	RENDER("P" PE "ab" ZWSP "cd\n", WRAP, 20);
	CHECK_OUT("abcd\n");
	RENDER("P" PE "ab" ZWSP "cd\n", 0, 20); /* plain text keeps it */
	CHECK_OUT("ab" ZWSP "cd\n");
}

/* A soft hyphen is a place to break that shows a hyphen there only. */
#define SHY "\xC2\xAD"

static void
test_soft_hyphen(void)
{
	RENDER("P" PE "soft" SHY "hyphen" SHY "ated words\n", WRAP, 30);
	CHECK_OUT("softhyphenated words\n");
	RENDER("P" PE "soft" SHY "hyphen" SHY "ated words\n", WRAP, 12);
	CHECK_OUT("softhyphen-\nated words\n");
	RENDER("P" PE "soft" SHY "hyphen" SHY "ated words\n", WRAP, 8);
	CHECK_OUT("soft-\nhyphen-\nated\nwords\n");
	/* no room left for the hyphen: the line breaks without it */
	RENDER("P" PE "abcdef" SHY "gh\n", WRAP, 6);
	CHECK_OUT("abcdef\ngh\n");
	/* a space after it: no hyphen */
	RENDER("P" PE "ab" SHY " cdefghij\n", WRAP, 8);
	CHECK_OUT("ab\ncdefghij\n");
}

/* Kinsoku: closing punctuation never starts a line, an opening bracket
 * never ends one. */
#define NI   "\xE6\x97\xA5" /* 日 */
#define MARU "\xE3\x80\x82" /* 。 */
#define KAKU "\xE3\x80\x8C" /* 「 */
#define KOKO "\xE3\x80\x8D" /* 」 */

static void
test_kinsoku(void)
{
	RENDER("P" PE NI NI MARU NI "\n", WRAP, 4);
	CHECK_OUT(NI "\n" NI MARU "\n" NI "\n");
	RENDER("P" PE NI KAKU NI KOKO "\n", WRAP, 6);
	CHECK_OUT(NI "\n" KAKU NI KOKO "\n");
	RENDER("P" PE NI NI "." NI "\n", WRAP, 4);
	CHECK_OUT(NI "\n" NI ".\n" NI "\n");
	RENDER("P" PE NI "a(" NI NI "\n", WRAP, 5);
	CHECK_OUT(NI "\na(" NI "\n" NI "\n");
}

static void
test_render_width(void)
{
	CHECK_INT(render_width("", 0), 0);
	CHECK_INT(render_width("abc", 3), 3);
	CHECK_INT(render_width("\xE4\xB8\xAD\xE6\x96\x87", 6), 4); /* 中文 */
	CHECK_INT(render_width("\xED\x95\x9C", 3), 2);             /* 한 */
	CHECK_INT(render_width("\xEF\xBC\xA1", 3), 2);             /* Ａ */
	CHECK_INT(render_width("\xF0\x9F\x98\x80", 4), 2);         /* 😀 */
	CHECK_INT(render_width("e\xCC\x81", 3), 1);                /* é */
	CHECK_INT(render_width("\xE1\xAA\xB0\xE1\xB7\x80", 6), 0); /* marks */
	CHECK_INT(render_width("\xE2\x83\x90\xEF\xB8\xA0", 6), 0);
	CHECK_INT(render_width("a\xE2\x80\x8Bz", 5), 2);           /* ZWSP */
	CHECK_INT(render_width("\xE2\x9D\xA4\xEF\xB8\x8F", 6), 1); /* ❤ VS16 */
	CHECK_INT(render_width("\x01\x1b\x7f", 3), 3);
	CHECK_INT(render_width("\xC2\x85", 2), 1); /* C1 */
	CHECK_INT(render_width("\xFF\xFE", 2), 2);
	CHECK_INT(render_width("\xE4\xB8", 2), 2); /* truncated: two bytes */
	CHECK_INT(render_width("\xF0\x90\x80\x80", 4), 1);
	CHECK_INT(render_width("\xF0\xA0\x80\x80", 4), 2); /* CJK ext B */
}

/* ---- Styles ---------------------------------------------------------- */

static void
test_styles_nested(void)
{
	RENDER("P" PE "a " S_ON "b " E_ON "c" S_OFF " d" E_OFF " " C_ON
	       "e" C_OFF " " D_ON "f" D_OFF " g\n",
	       STYLE, 80);
	CHECK_OUT("a " BOLD "b " TO_BOLD_ITAL "c" TO_ITAL " d" RST " " CODE
	          "e" RST " " STRIKE "f" RST " g\n");
	/* Open styles are reset at each line end and come back after. */
	RENDER("P" PE S_ON "bold words wrapped" S_OFF " x\n", TERM, 10);
	CHECK_OUT(BOLD "bold words" RST "\n" BOLD "wrapped" RST " x\n");
	/* Unbalanced: closing what is not open is ignored; what stays
	   open is closed at the end. */
	RENDER("P" PE E_OFF "a" S_ON S_ON "b" S_OFF "c" S_OFF S_OFF "d" E_ON
	       "e\n",
	       STYLE, 80);
	CHECK_OUT("a" BOLD "bc" RST "d" ITAL "e" RST "\n");
	/* Spaces around a bare style change are one run: one space. */
	RENDER("P" PE "a " S_ON " b" S_OFF "\n", TERM, 80);
	CHECK_OUT("a" BOLD " b" RST "\n");
	/* A style survives a soft break in a paragraph. */
	RENDER("P" PE E_ON "one\nS" PE "two" E_OFF "\n", STYLE, 80);
	CHECK_OUT(ITAL "one" RST "\n" ITAL "two" RST "\n");
	/* WRAP alone writes no escapes. */
	RENDER("P" PE S_ON "b" S_OFF " " LNK "https://x" LTXT "l" LEND "\n",
	       WRAP, 80);
	CHECK_OUT("b l[1]\n\n[1] https://x\n");
}

static void
test_code_lines(void)
{
	RENDER("V" PE "int main(void) { return a_function_with_a_long_name(); "
	       "}\n"
	       "V" PE "\tx;\n"
	       "V  " PE "  y;\n"
	       "V" PE "\n",
	       TERM, 20);
	CHECK_OUT(CODE "int main(void) { return "
	               "a_function_with_a_long_name(); }" RST "\n" CODE
	               "        x;" RST "\n"
	               "  " CODE "  y;" RST "\n"
	               "\n");
	RENDER("V" PE "a b  c\n", WRAP, 3);
	CHECK_OUT("a b  c\n");
	/* Tab stops count from the code's text, not from the screen's
	 * column: the indent does not move them. */
	RENDER("V    " PE "name\tvalue\n"
	       "V    " PE "id\tvalue\n"
	       "V-   " PE "a\tb\n",
	       WRAP, 40);
	CHECK_OUT("    name    value\n"
	          "    id      value\n"
	          "-   a       b\n");
}

/* ---- Links ----------------------------------------------------------- */

static void
test_links(void)
{
	RENDER("P" PE "See " LNK "https://a.example/x" LTXT "the docs" LEND
	       ", " LNK "https://b.example" LTXT "more" LEND " and " LNK
	       "https://a.example/x" LTXT "again" LEND ".\n"
	       "P" PE "Auto: " LNK "https://c.example" LTXT
	       "https://c.example" LEND " " LNK "http://www.d.example" LTXT
	       "www.d.example" LEND " " LNK "mailto:me@e.example" LTXT
	       "me@e.example" LEND "\n",
	       STYLE, 80);
	CHECK_OUT("See " ULINE "the docs" RST "[1], " ULINE "more" RST
	          "[2] and " ULINE "again" RST "[1].\n"
	          "Auto: " ULINE "https://c.example" RST " " ULINE
	          "www.d.example" RST " " ULINE "me@e.example" RST "\n"
	          "\n"
	          "[1] https://a.example/x\n"
	          "[2] https://b.example\n");
}

static void
test_link_reference_not_wrapped(void)
{
	RENDER(
	    "P" PE "A " LNK
	    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/x.html" LTXT
	    "long link" LEND " text\n"
	    "E" PE "\n"
	    "E" PE "\n",
	    WRAP, 20);
	CHECK_OUT("A long link[1] text\n"
	          "\n"
	          "[1] https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
	          "x.html\n");
	/* The number sticks to the link text when wrapping. */
	RENDER("P" PE "xxxxxxxx " LNK "https://z" LTXT "yyyyyy" LEND "\n", WRAP,
	       16);
	CHECK_OUT("xxxxxxxx\nyyyyyy[1]\n\n[1] https://z\n");
}

static void
test_internal_links(void)
{
	RENDER("P" PE "Go to " LNK "#ec2" LTXT "EC2" LEND ", not " LNK
	       "#nowhere" LTXT "there" LEND ".\n",
	       TERM, 80);
	CHECK_OUT("Go to " ULINE "EC2" RST " (" ARROW " AWS > EC2), not " ULINE
	          "there" RST ".\n");
	/* A link to another file of the notes leads there too, without a
	 * number; one to a file the notes do not hold is an address. */
	RENDER("P" PE "See " LNK "ec2.md" LTXT "EC2" LEND " and " LNK
	       "gone.md" LTXT "gone" LEND ".\n",
	       WRAP, 80);
	CHECK_OUT("See EC2 (" ARROW
	          " AWS > EC2) and gone[1].\n\n[1] gone.md\n");
	/* The path breaks after its separator, never before: "> EC2" at
	 * the start of a line would read as a quote. */
	RENDER("P" PE "Go to the " LNK "#ec2" LTXT "EC2" LEND ".\n", WRAP, 20);
	CHECK_OUT("Go to the EC2 (" ARROW "\nAWS > EC2).\n");
	RENDER("P" PE "See " LNK "#ec2" LTXT "EC2" LEND ", a long word.\n",
	       WRAP, 16);
	CHECK_OUT("See EC2 (" ARROW " AWS >\nEC2), a long\nword.\n");
	/* Without a callback: just the text; no reference list either. */
	opts.link_path = NULL;
	sink_reset(&out);
	opts.flags = WRAP;
	opts.width = 80;
	CHECK_INT(render_text("P" PE LNK "#ec2" LTXT "EC2" LEND "\n", 12, &opts,
	                      sink_write, &out),
	          AWN_OK);
	CHECK_OUT("EC2\n");
	/* A hostile path is shown safely; an unterminated one is cut. */
	RENDER("P" PE LNK "#evil" LTXT "e" LEND "\n", STYLE, 80);
	CHECK_OUT(ULINE "e" RST " (" ARROW " bad" FFFD "[31m" FFFD "path)\n");
	RENDER("P" PE LNK "#full" LTXT "f" LEND "\n", WRAP, 10000);
	CHECK(full_size > 0);
	CHECK(out.len ==
	      strlen("f (" ARROW " ") + full_size - 1 + strlen(")\n"));
	/* A path longer than the first buffer is asked for again, whole. */
	RENDER("P" PE LNK "#long" LTXT "l" LEND "\n", WRAP, 100000);
	CHECK(out.len == strlen("l (" ARROW " ") + 5000 + strlen(")\n"));
}

/* ---- Tables ---------------------------------------------------------- */

static const char table_in[] =
    "T" PE "Service" CELL "Kind" CELL "Notes\n"
    "t" PE "S3" CELL "Object storage" CELL "Eleven nines of durability\n"
    "t" PE "EBS" CELL "Block" CELL "One AZ\n";

static void
test_table_aligned(void)
{
	RENDER(table_in, 0, 80);
	CHECK_OUT("Service | Kind | Notes\n"
	          "S3 | Object storage | Eleven nines of durability\n"
	          "EBS | Block | One AZ\n");
	RENDER(table_in, WRAP, 80);
	CHECK_OUT("Service  Kind            Notes\n"
	          "-------  --------------  --------------------------\n"
	          "S3       Object storage  Eleven nines of durability\n"
	          "EBS      Block           One AZ\n");
	RENDER(table_in, STYLE, 20); /* no WRAP: never wrapped */
	CHECK_OUT(BOLD "Service" RST "  " BOLD "Kind" RST "            " BOLD
	               "Notes" RST "\n" HR HR HR HR HR HR HR
	               "  " HR HR HR HR HR HR HR HR HR HR HR HR HR HR
	               "  " HR HR HR HR HR HR HR HR HR HR HR HR HR HR HR HR HR
	                   HR HR HR HR HR HR HR HR HR "\n"
	               "S3       Object storage  Eleven nines of durability\n"
	               "EBS      Block           One AZ\n");
}

static void
test_table_wrapped(void)
{
	/*
	 * 7 + 14 + 26 + 4 > 36.  The widest words (7, 7, 10) leave 8
	 * columns, shared as the columns would like more (0, 7, 16): 2 and
	 * 5, and the one left by rounding goes to the first that can use it.
	 * Placing them to save lines gives a table as tall: the share stays.
	 */
	RENDER(table_in, WRAP, 36);
	CHECK_OUT("Service  Kind        Notes\n"
	          "-------  ----------  ---------------\n"
	          "S3       Object      Eleven nines of\n"
	          "         storage     durability\n"
	          "EBS      Block       One AZ\n");
	/*
	 * A column a share short of its text wraps every row: shared, the
	 * room gave Storage 7 of its 8 columns and Memory 11 for digits.
	 * Placed where it saves lines, only the header wraps.
	 */
	RENDER("T" PE "Type" CELL "vCPUs" CELL "Memory (GiB)" CELL
	       "Network Performance" CELL "Storage\n"
	       "t" PE "t3.micro" CELL "2" CELL "1" CELL "Up to 5 Gigabit" CELL
	       "EBS only\n"
	       "t" PE "m5.large" CELL "2" CELL "8" CELL "Up to 10 Gigabit" CELL
	       "EBS only\n"
	       "t" PE "m5.xlarge" CELL "4" CELL "16" CELL
	       "Up to 10 Gigabit" CELL "EBS only\n",
	       WRAP, 56);
	CHECK_OUT("Type       vCPUs  Memory      Network           Storage\n"
	          "                  (GiB)       Performance\n"
	          "---------  -----  ----------  ----------------  --------\n"
	          "t3.micro   2      1           Up to 5 Gigabit   EBS only\n"
	          "m5.large   2      8           Up to 10 Gigabit  EBS only\n"
	          "m5.xlarge  4      16          Up to 10 Gigabit  EBS only\n");
	/*
	 * When the widest words do not fit (7 + 7 + 10 + 4 > 26), the widest
	 * columns are capped at one width (7), the column left over going
	 * to the first of them.
	 */
	RENDER(table_in, WRAP, 26);
	CHECK_OUT("Service  Kind      Notes\n"
	          "-------  --------  -------\n"
	          "S3       Object    Eleven\n"
	          "         storage   nines\n"
	          "                   of\n"
	          "                   durabil\n"
	          "                   ity\n"
	          "EBS      Block     One AZ\n");
	/* Inside a list item: the prefix comes first on every line. */
	RENDER("T  " PE "a" CELL "b\n"
	       "t  " PE "long cell text" CELL "x\n",
	       WRAP, 14);
	CHECK_OUT("  a          b\n"
	          "  ---------  -\n"
	          "  long cell  x\n"
	          "  text\n");
}

static void
test_table_ragged(void)
{
	RENDER("T" PE "a" CELL "b\n"
	       "t" PE "1\n"
	       "t" PE "1" CELL "2" CELL "3\n"
	       "t" PE "\n"
	       "t" PE CELL CELL "z\n",
	       WRAP, 80);
	CHECK_OUT("a  b\n"
	          "-  -  -\n"
	          "1\n"
	          "1  2  3\n"
	          "\n"
	          "      z\n");
	/* A header row alone, and a body without a header. */
	RENDER("T" PE "only\n", WRAP, 80);
	CHECK_OUT("only\n----\n");
	RENDER("t" PE "x" CELL "yy\nt" PE "xxx" CELL "y\n", WRAP, 80);
	CHECK_OUT("x    yy\nxxx  y\n");
	/* A different prefix starts another table. */
	RENDER("t" PE "a" CELL "b\nt> " PE "cc" CELL "d\n", WRAP, 80);
	CHECK_OUT("a  b\n> cc  d\n");
}

static void
test_table_styled_cells(void)
{
	RENDER("T" PE "h" CELL "i\n"
	       "t" PE S_ON "bo" S_OFF CELL LNK "https://u" LTXT "u" LEND "\n",
	       TERM, 80);
	CHECK_OUT(BOLD "h" RST "   " BOLD "i" RST "\n" HR HR "  " HR HR HR HR
	               "\n" BOLD "bo" RST "  " ULINE "u" RST "[1]\n"
	               "\n"
	               "[1] https://u\n");
}

static void
test_table_caps(void)
{
	static char in[200 * 3 + 8];
	size_t n = 0, i;

	/* 65 columns: rows are shown plain-style, one line each. */
	in[n++] = 't';
	in[n++] = PE[0];
	for (i = 0; i < 65; i++) {
		if (i)
			in[n++] = CELL[0];
		in[n++] = 'a';
	}
	in[n++] = '\n';
	CHECK_INT(render_opts_n(in, n, WRAP, 40), AWN_OK);
	CHECK_INT(out.len, 65 + 64 * 3 + 1);
	CHECK(memcmp(out.data, "a | a | a", 9) == 0);
}

static void
test_table_many_rows(void)
{
	size_t rows = 10001, n = 0, i;
	char *in = malloc(rows * 6);

	for (i = 0; i < rows; i++) {
		memcpy(in + n, "t" PE "a" CELL "b\n", 6);
		n += 6;
	}
	CHECK_INT(render_opts_n(in, n, WRAP, 40), AWN_OK);
	CHECK_INT(out.len, rows * 6); /* "a | b\n": the fallback */
	CHECK_INT(render_opts_n(in, n - 6, WRAP, 40), AWN_OK);
	CHECK_INT(out.len, (rows - 1) * 5); /* "a  b\n": aligned */
	free(in);
}

/* ---- Blocks ---------------------------------------------------------- */

static void
test_blank_lines(void)
{
	RENDER("E" PE "\nE" PE "\nP" PE "a\nE" PE "\nE" PE "\nE" PE "\nP" PE
	       "b\nE" PE "\nE" PE "\n",
	       WRAP, 40);
	CHECK_OUT("a\n\nb\n");
	/* Plain mode keeps every line. */
	RENDER("E" PE "\nP" PE "a\nE" PE "\nE" PE "\n", 0, 40);
	CHECK_OUT("\na\n\n\n");
}

/* A blank line inside a quote shows the quote marks the compiler kept
 * in its prefix (list widths as spaces); one without keeps none. */
static const char quote_blanks_in[] = "P> " PE "a\n"
                                      "E>" PE "\n"
                                      "P> > " PE "b\n"
                                      "E>" PE "\n"
                                      "P> - " PE "c\n"
                                      "E" PE "\n"
                                      "P- > " PE "d\n"
                                      "E  >" PE "\n"
                                      "P  > " PE "e\n"
                                      "E" PE "\n"
                                      "P> " PE "f\n"
                                      "E" PE "\n"
                                      "P> " PE "g\n";

static void
test_quote_blank_lines(void)
{
	RENDER(quote_blanks_in, 0, 40);
	CHECK_OUT("> a\n>\n> > b\n>\n> - c\n\n- > d\n  >\n  > e\n\n> f\n\n> "
	          "g\n");
	RENDER(quote_blanks_in, WRAP, 40);
	CHECK_OUT("> a\n>\n> > b\n>\n> - c\n\n- > d\n  >\n  > e\n\n> f\n\n> "
	          "g\n");
	RENDER(quote_blanks_in, TERM, 40);
	CHECK_OUT(DIM BAR " " RST "a\n" DIM BAR RST "\n" DIM BAR " " BAR " " RST
	                  "b\n" DIM BAR RST "\n" DIM BAR " " RST BUL1
	                  " c\n\n- " DIM BAR " " RST "d\n  " DIM BAR RST
	                  "\n  " DIM BAR " " RST "e\n\n" DIM BAR " " RST
	                  "f\n\n" DIM BAR " " RST "g\n");
}

static void
test_rules(void)
{
	RENDER("R" PE "\n", WRAP, 10);
	CHECK_OUT("----------\n");
	RENDER("R" PE "\n", STYLE, 10);
	CHECK(out.len == 72 * 3 + 1);
	RENDER("R" PE "\n", TERM, 200);
	CHECK(out.len == 72 * 3 + 1);
	RENDER("R> " PE "\n", WRAP, 12);
	CHECK_OUT("> ----------\n");
}

static void
test_heading_lines_in_text(void)
{
	RENDER("1" PE "Top\n2" PE "Second\n3" PE "Third\n4" PE "Fourth " C_ON
	       "x" C_OFF "\n",
	       STYLE, 80);
	CHECK_OUT(BOLD_ULINE "Top" RST "\n" BOLD_ULINE "Second" RST "\n" BOLD
	                     "Third" RST "\n" BOLD_ITAL
	                     "Fourth " TO_BOLD_ITAL_CODE "x" RST "\n");
}

static awn_status
heading(const char *text, unsigned level, const char *label, unsigned flags,
        unsigned width)
{
	struct render_opts o = {flags, width, fake_link_path, NULL};

	sink_reset(&out);
	return render_heading(text, strlen(text), level, label, &o, sink_write,
	                      &out);
}

static void
test_render_heading(void)
{
	CHECK_INT(heading("Amazon " S_ON "S3" S_OFF, 2, "2.3", 0, 80), AWN_OK);
	CHECK_OUT("2.3 Amazon S3\n");
	CHECK_INT(heading("Amazon S3", 1, "", 0, 80), AWN_OK);
	CHECK_OUT("Amazon S3\n");
	CHECK_INT(heading("Amazon S3", 1, NULL, 0, 80), AWN_OK);
	CHECK_OUT("Amazon S3\n");
	CHECK_INT(heading("T\x1b[2J", 1, "1\x1b", 0, 80), AWN_OK);
	CHECK_OUT("1" FFFD " T" FFFD "[2J\n");

	CHECK_INT(heading("Amazon S3", 1, "2", STYLE, 80), AWN_OK);
	CHECK_OUT(BOLD_ULINE "2 Amazon S3" RST "\n");
	CHECK_INT(heading("Amazon S3", 3, "", STYLE, 80), AWN_OK);
	CHECK_OUT(BOLD "Amazon S3" RST "\n");
	CHECK_INT(heading("Amazon S3", 5, "", STYLE, 80), AWN_OK);
	CHECK_OUT(BOLD_ITAL "Amazon S3" RST "\n");

	/* Wrapped under the title, past the label. */
	CHECK_INT(heading("Elastic Compute Cloud instance types", 2, "12.3",
	                  WRAP, 20),
	          AWN_OK);
	CHECK_OUT("12.3 Elastic Compute\n"
	          "     Cloud instance\n"
	          "     types\n");
	CHECK_INT(heading("Elastic Compute Cloud", 2, "12.3", TERM, 20),
	          AWN_OK);
	CHECK_OUT(BOLD_ULINE "12.3 Elastic Compute" RST "\n"
	                     "     " BOLD_ULINE "Cloud" RST "\n");

	/* Links: internal ones get their path, external ones no number. */
	CHECK_INT(heading("See " LNK "#ec2" LTXT "EC2" LEND " and " LNK
	                  "https://x" LTXT "x" LEND,
	                  3, "", WRAP, 80),
	          AWN_OK);
	CHECK_OUT("See EC2 (" ARROW " AWS > EC2) and x\n");
}

/* ---- Failure paths --------------------------------------------------- */

static const char mixed_in[] =
    "P" PE "Intro with " S_ON "bold" S_OFF " and " LNK "https://one" LTXT
    "a link" LEND " and " LNK "#ec2" LTXT "inner" LEND ".\n"
    "S" PE "A soft line " E_ON "emphasised" E_OFF ".\n"
    "E" PE "\n"
    "P* " PE "Bullet " LNK "https://two" LTXT "two" LEND "\n"
    "P  - " PE "Nested\n"
    "V" PE "code\tline\n"
    "R" PE "\n"
    "T" PE "h1" CELL "h2\n"
    "t" PE "cell " LNK "https://three" LTXT "three" LEND " is long" CELL "b\n"
    "2" PE "Heading\n"
    "P> " PE "quote\n";

static void
test_write_failure(void)
{
	unsigned flags, k, total;

	for (flags = 0; flags < 4; flags++) {
		CHECK_INT(
		    render_opts_n(mixed_in, sizeof mixed_in - 1, flags, 24),
		    AWN_OK);
		total = out.calls;
		CHECK(total >= 1);
		for (k = 1; k <= total; k++) {
			sink_reset(&out);
			out.fail_at = k;
			CHECK_INT(render_text(mixed_in, sizeof mixed_in - 1,
			                      &opts, sink_write, &out),
			          AWN_ERR_IO);
			CHECK_INT(out.calls, k);
		}
	}
	sink_reset(&out);
	out.fail_at = 1;
	opts.flags = TERM;
	CHECK_INT(render_heading("x", 1, 1, "", &opts, sink_write, &out),
	          AWN_ERR_IO);
}

/* Output leaves in chunks, not a call per byte or per line. */
static void
test_write_chunks(void)
{
	size_t n = 0, i;
	char *in = malloc(200000);

	for (i = 0; i < 5000; i++) {
		memcpy(in + n, "P" PE "word word word word\n", 22);
		n += 22;
	}
	CHECK_INT(render_opts_n(in, n, TERM, 40), AWN_OK);
	CHECK_INT(out.len, 5000 * 20);
	CHECK(out.calls <= out.len / 4096 + 1);
	CHECK(out.biggest < 8192);
	free(in);
}

static void
test_alloc_failure(void)
{
	struct sink want = {0};
	unsigned flags;
	long n;

	for (flags = 0; flags < 4; flags++) {
		CHECK_INT(
		    render_opts_n(mixed_in, sizeof mixed_in - 1, flags, 24),
		    AWN_OK);
		sink_reset(&want);
		sink_write(&want, out.data, out.len);
		for (n = 0; n < 100000; n++) {
			awn_status st;

			alloc_fail_after(n);
			st = render_opts_n(mixed_in, sizeof mixed_in - 1, flags,
			                   24);
			alloc_fail_after(-1);
			CHECK(st == AWN_OK || st == AWN_ERR_NOMEM);
			if (st == AWN_OK) {
				CHECK_MEM_STR(out.data, out.len, want.data);
				break;
			}
		}
		CHECK(n > 0); /* the failures were really injected */
		for (n = 0; n < 20; n++) {
			awn_status st;

			alloc_fail_after(n);
			st = heading("T " LNK "#ec2" LTXT "x" LEND, 1, "1",
			             flags, 10);
			alloc_fail_after(-1);
			CHECK(st == AWN_OK || st == AWN_ERR_NOMEM);
		}
	}
	free(want.data);
}

/* ---- Hostile input --------------------------------------------------- */

static uint32_t rng_state = 2463534242u;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13; /* xorshift32 */
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Byte pieces a hostile input is built from: structure, text, poison. */
static const char *const pieces[] = {
    "\n",
    "\n",
    "P",
    "S",
    "B",
    "V",
    "T",
    "t",
    "R",
    "E",
    "1",
    "4",
    PE,
    PE,
    S_ON,
    S_OFF,
    E_ON,
    E_OFF,
    C_ON,
    C_OFF,
    D_ON,
    D_OFF,
    LNK,
    LTXT,
    LEND,
    CELL,
    CELL,
    " ",
    " ",
    " ",
    "\t",
    "word",
    "a",
    "xyzzy",
    "* ",
    "- ",
    "1. ",
    "> ",
    "  ",
    "#ec2",
    "#evil",
    "https://u",
    "\xE4\xB8\xAD",
    "e\xCC\x81",
    "\xF0\x9F\x98\x80",
    "\x1b",
    "\x1b[31m",
    "\x00",
    "\x7f",
    "\xC2\x85",
    "\xFF",
    "\xE4\xB8",
    "\xC0\xAF",
    "\xED\xA0\x80",
    "\x0b",
    "\x0d",
};

static size_t
piece_len(size_t i)
{
	return pieces[i][0] == '\0' ? 1 : strlen(pieces[i]);
}

/* Strictly valid UTF-8, written apart from the library's decoder. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (len == 0 || len > n || s[0] > 0xF4)
		return 0;
	cp = s[0] & (0x7F >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp >= 0x80 && cp < 0xA0)
		return 0; /* C1 control */
	return len;
}

static size_t
count_lines(const char *s, size_t n)
{
	size_t lines = 0, i;

	for (i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines + (n > 0 && s[n - 1] != '\n');
}

/*
 * What must hold for any output: valid UTF-8, no control byte but '\n'
 * (and '\t' in plain mode), escapes only as our SGR with STYLE, every
 * style reset before each newline, and in plain mode one output line per
 * stored line.
 */
static int
output_is_safe(const char *in, size_t in_len, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)out.data;
	size_t n = out.len, i = 0, k;
	int open = 0;

	while (i < n) {
		if (s[i] == '\x1b') {
			if (!(flags & STYLE) || i + 2 >= n || s[i + 1] != '[')
				return 0;
			for (k = i + 2; k < n && (s[k] == ';' ||
			                          (s[k] >= '0' && s[k] <= '9'));
			     k++)
				;
			if (k >= n || s[k] != 'm')
				return 0;
			open = !(k == i + 3 && s[i + 2] == '0');
			i = k + 1;
		} else if (s[i] == '\n') {
			if (open)
				return 0;
			i++;
		} else if (s[i] == '\t' && flags == 0) {
			i++;
		} else if (s[i] < 0x20 || s[i] == 0x7F) {
			return 0;
		} else if ((k = utf8_len(s + i, n - i)) == 0) {
			return 0;
		} else {
			i += k;
		}
	}
	if (open || (n > 0 && s[n - 1] != '\n'))
		return 0;
	return flags != 0 ||
	       count_lines(out.data, n) == count_lines(in, in_len);
}

static void
test_fuzz(void)
{
	static char in[4096];
	unsigned iter, bad = 0;

	for (iter = 0; iter < 20000; iter++) {
		size_t n = 0, want = rng() % 300, p;
		unsigned flags = iter % 4, width = 1 + rng() % 90;

		while (n < want) {
			if (rng() % 4 == 0) {
				in[n++] = (char)(rng() & 0xFF); /* raw noise */
				continue;
			}
			p = rng() % (sizeof pieces / sizeof *pieces);
			memcpy(in + n, pieces[p], piece_len(p));
			n += piece_len(p);
		}
		if (render_opts_n(in, n, flags, width) != AWN_OK ||
		    !output_is_safe(in, n, flags)) {
			if (bad++ < 5) {
				fprintf(stderr,
				        "fuzz %u failed (flags %u "
				        "width %u)\n",
				        iter, flags, width);
				CHECK(0);
			}
		}
		if (heading(in, 1 + iter % 6, iter % 3 ? "1.2" : "", flags,
		            width) != AWN_OK ||
		    (flags == 0 ? memchr(out.data, '\x1b', out.len) != NULL
		                : !output_is_safe("", 0, flags)))
			CHECK(0);
	}
	CHECK_INT(bad, 0);
}

/* Inputs that would be slow or huge if anything were quadratic. */
static void
test_pathological(void)
{
	size_t big = 2000000, i, n;
	char *in = malloc(2 * big + 64);
	unsigned flags;

	/* One 2 MB word. */
	memcpy(in, "P" PE, 2);
	memset(in + 2, 'x', big);
	in[big + 2] = '\n';
	for (flags = 0; flags < 4; flags++) {
		CHECK_INT(render_opts_n(in, big + 3, flags, 50), AWN_OK);
		CHECK(output_is_safe(in, big + 3, flags));
	}
	/* 100,000 distinct links: the reference list stays linear. */
	for (n = 0, i = 0; i < 100000; i++)
		n += (size_t)sprintf(
		    in + n, "P" PE LNK "https://h/%zu" LTXT "l" LEND "\n", i);
	CHECK_INT(render_opts_n(in, n, WRAP, 80), AWN_OK);
	CHECK(strstr(out.data, "[100000] https://h/99999\n") != NULL);
	/* A huge prefix and a row of a million cells. */
	memset(in, ' ', big);
	in[0] = 'P';
	memcpy(in + big - 4, "* " PE "x", 4);
	in[big] = '\n';
	CHECK_INT(render_opts_n(in, big + 1, TERM, 40), AWN_OK);
	CHECK(output_is_safe(in, big + 1, TERM));
	memset(in, CELL[0], big);
	in[0] = 'T';
	in[big] = '\n';
	CHECK_INT(render_opts_n(in, big + 1, TERM, 40), AWN_OK);
	CHECK(output_is_safe(in, big + 1, TERM));
	/* A million markers with no text between them. */
	in[0] = 'P';
	for (i = 1; i < big; i++)
		in[i] = (char)(i % 2 ? S_ON[0] : E_ON[0]);
	CHECK_INT(render_opts_n(in, big, TERM, 40), AWN_OK);
	CHECK(output_is_safe(in, big, TERM));
	free(in);
}

/* awn_render_line: a path or a listing line, wrapped with a hanging
 * indent; the lead kept as it is; controls shown as U+FFFD. */
static void
test_render_line(void)
{
	static const char path[] =
	    "Messaging > Simple Workflow Service (SWF) > SWF vs SQS";
	awn_render_opts o = {WRAP, 30};

	sink_reset(&out);
	CHECK_INT(awn_render_line(NULL, path, sizeof(path) - 1, 2, 1, &o,
	                          sink_write, &out),
	          AWN_OK);
	CHECK_OUT("Messaging > Simple Workflow\n"
	          "  Service (SWF) > SWF vs SQS\n");
	sink_reset(&out);
	CHECK_INT(awn_render_line("  awsnote -n 2   ", path, sizeof(path) - 1,
	                          17, 0, &o, sink_write, &out),
	          AWN_OK);
	CHECK_OUT("  awsnote -n 2   Messaging >\n"
	          "                 Simple\n"
	          "                 Workflow\n"
	          "                 Service\n"
	          "                 (SWF) > SWF\n"
	          "                 vs SQS\n");
	o.flags = TERM;
	sink_reset(&out);
	CHECK_INT(
	    awn_render_line(NULL, "a\x1b[2Jb", 6, 2, 1, &o, sink_write, &out),
	    AWN_OK);
	CHECK_OUT("\x1b[1ma\xef\xbf\xbd[2Jb\x1b[0m\n");
	/* ... nor before one, unless the title would be broken. */
	o.flags = WRAP;
	o.width = 20;
	sink_reset(&out);
	CHECK_INT(awn_render_line(NULL, "pages-common/whoami > whoami", 28, 2,
	                          1, &o, sink_write, &out),
	          AWN_OK);
	CHECK_OUT("pages-common/whoami\n"
	          "  > whoami\n");
	o.flags = 0; /* a pipe: one line, whatever its length */
	sink_reset(&out);
	CHECK_INT(awn_render_line(NULL, path, sizeof(path) - 1, 2, 1, &o,
	                          sink_write, &out),
	          AWN_OK);
	CHECK_OUT("Messaging > Simple Workflow Service (SWF) > SWF vs SQS\n");
}

/* A -k entry of PATH and SUMMARY (NUL-terminated) into OUT, indented 2. */
static void
entry(const char *path, const char *summary, unsigned flags, unsigned width)
{
	awn_render_opts o = {flags, width};

	sink_reset(&out);
	CHECK_INT(awn_render_entry(NULL, path, strlen(path), summary,
	                           strlen(summary), 2, &o, sink_write, &out),
	          AWN_OK);
}

/* awn_render_entry, a -k entry: the path bold, " - " and the summary;
 * wrapped between words (or wide characters), the dash kept at the end
 * of a line, continuation lines indented; as the old one-line printf
 * when it fits. */
static void
test_render_entry(void)
{
	static const char path[] =
	    "Messaging > Simple Workflow Service (SWF) > SWF vs SQS";
	static const char sum[] =
	    "Both queue work; SWF keeps the state of each step.";

	entry(path, sum, WRAP, 30);
	CHECK_OUT("Messaging > Simple Workflow\n"
	          "  Service (SWF) > SWF vs SQS -\n"
	          "  Both queue work; SWF keeps\n"
	          "  the state of each step.\n");
	/* Wide characters are two columns, combining marks none. */
	entry("日本語のノート > 東京の地下鉄の路線図",
	      "Crème brûlée: e\xCC\x81te\xCC\x81 cafe\xCC\x81 "
	      "日本語の説明文です。",
	      WRAP, 20);
	CHECK_OUT("日本語のノート > 東\n"
	          "  京の地下鉄の路線\n"
	          "  図 - Crème brûlée:\n"
	          "  e\xCC\x81te\xCC\x81 cafe\xCC\x81 日本語の\n"
	          "  説明文です。\n");
	entry("S3 > Encryption", "Keys.", TERM, 80);
	CHECK_OUT(BOLD "S3 > Encryption" RST " - Keys.\n");
	entry("S3 > Encryption", "", TERM, 80);
	CHECK_OUT(BOLD "S3 > Encryption" RST "\n");
	/* The bold path goes on bold on its next line. */
	entry("Security > Secrets Store", "SSM Parameter Store.", TERM, 20);
	CHECK_OUT(BOLD "Security > Secrets" RST "\n"
	               "  " BOLD "Store" RST " - SSM\n"
	               "  Parameter Store.\n");
	/* A title that fits a line, but not with the " -" after it: the
	 * line breaks before the dash rather than inside the title. */
	entry("Foo > abcdefghijklmnopq", "summary here", WRAP, 20);
	CHECK_OUT("Foo >\n"
	          "  abcdefghijklmnopq\n"
	          "  - summary here\n");
	entry(path, sum, 0, 20); /* a pipe: one line */
	CHECK_OUT("Messaging > Simple Workflow Service (SWF) > SWF vs SQS - "
	          "Both queue work; SWF keeps the state of each step.\n");
}

/* A line -e found, NUMBER and MARK, TEXT with the matches M/N, into OUT. */
static void
grep_line(uint32_t number, char mark, const char *text, const awn_grep_match *m,
          size_t n, unsigned flags, unsigned width)
{
	awn_render_opts o = {flags, width};

	sink_reset(&out);
	CHECK_INT(awn_render_grep_line(number, mark, text, strlen(text), m, n,
	                               &o, sink_write, &out),
	          AWN_OK);
}

/* awn_render_grep_line and awn_render_grep_path, what -e shows on a
 * terminal: the old bytes where a line fits; wrapped between words,
 * later lines under the text (past a list item's marker) or, for a path,
 * indented 2; a match red on every line it covers; blanks kept; no
 * control byte out, whatever the text or the matches. */
static void
test_render_grep(void)
{
	static const char item[] =
	    "* Envelope Encryption: KMS Encrypt API has a limit for 4K";
	awn_grep_match m[2] = {{23, 34}, {0, 0}};
	awn_render_opts o = {TERM, 20};

	grep_line(4, ':', item, m, 1, TERM, 200);
	CHECK_OUT("\x1b[32m4\x1b[0m:* Envelope Encryption: "
	          "\x1b[1;31mKMS Encrypt\x1b[0m API has a limit for 4K\n");
	grep_line(4, ':', item, m, 1, TERM, 30); /* red on both lines */
	CHECK_OUT(
	    "\x1b[32m4\x1b[0m:* Envelope Encryption: \x1b[1;31mKMS\x1b[0m\n"
	    "    \x1b[1;31mEncrypt\x1b[0m API has a limit\n"
	    "    for 4K\n");
	m[0].start = 11; /* "Encryption: KMS" */
	m[0].end = 26;
	grep_line(4, ':', item, m, 1, TERM, 26);
	CHECK_OUT("\x1b[32m4\x1b[0m:* Envelope \x1b[1;31mEncryption:\x1b[0m\n"
	          "    \x1b[1;31mKMS\x1b[0m Encrypt API has a\n"
	          "    limit for 4K\n");
	grep_line(12, '-', "    aws\tkms  x", NULL, 0, WRAP, 80);
	CHECK_OUT("12-    aws      kms  x\n"); /* the tab to column 16 */
	grep_line(3, ':', "\x1b[2J", NULL, 0, TERM, 80);
	CHECK_OUT("\x1b[32m3\x1b[0m:\xef\xbf\xbd[2J\n");
	m[0].start = 5; /* past the end, and overlapping: shown plain */
	m[0].end = 99;
	m[1].start = 0;
	m[1].end = 1;
	grep_line(3, ':', "abc", m, 2, TERM, 80);
	CHECK_OUT("\x1b[32m3\x1b[0m:abc\n");
	grep_line(7, ':', "", NULL, 0, TERM, 80);
	CHECK_OUT("\x1b[32m7\x1b[0m:\n");

	sink_reset(&out);
	CHECK_INT(awn_render_grep_path("Security > Secrets Store", 24, ":12", 2,
	                               &o, sink_write, &out),
	          AWN_OK);
	CHECK_OUT("\x1b[1;35mSecurity > Secrets\x1b[0m\n"
	          "  \x1b[1;35mStore\x1b[0m:12\n");
	o.width = 80;
	sink_reset(&out);
	CHECK_INT(awn_render_grep_path("S3 > Encryption", 15, NULL, 2, &o,
	                               sink_write, &out),
	          AWN_OK);
	CHECK_OUT("\x1b[1;35mS3 > Encryption\x1b[0m\n");
}

int
main(void)
{
	test_plain_kinds();
	test_plain_controls();
	test_plain_malformed_lines();
	test_no_input_escape();
	test_wrap_width_20();
	test_wrap_width_40();
	test_wrap_width_60();
	test_wrap_hard_break_and_quote();
	test_bullet_depths();
	test_task_bullets();
	test_long_words();
	test_wide_and_combining();
	test_blank_runs();
	test_clusters();
	test_kinsoku();
	test_zero_width_space();
	test_soft_hyphen();
	test_render_width();
	test_styles_nested();
	test_code_lines();
	test_links();
	test_link_reference_not_wrapped();
	test_internal_links();
	test_table_aligned();
	test_table_wrapped();
	test_table_ragged();
	test_table_styled_cells();
	test_table_caps();
	test_table_many_rows();
	test_blank_lines();
	test_quote_blank_lines();
	test_rules();
	test_heading_lines_in_text();
	test_render_heading();
	test_render_line();
	test_render_entry();
	test_render_grep();
	test_write_failure();
	test_write_chunks();
	test_alloc_failure();
	test_fuzz();
	test_pathological();
	free(out.data);
	return check_status();
}
