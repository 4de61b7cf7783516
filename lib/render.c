/*
 * render.c - rich-text lines (richtext.h) to terminal or plain text.
 *
 * The text comes from a blob that may be corrupt, so every byte is taken
 * as hostile: whatever it holds, the output contains no control byte but
 * '\n' (and '\t' in plain mode), no C1 control and no invalid UTF-8, and
 * the only escape sequences are the SGR codes written here.
 *
 * Three layers:
 *  - the block loop (render_text) groups stored lines into blocks:
 *    paragraphs, code lines, tables, rules, headings, blank lines;
 *  - the inline scanner (scan_*) turns a block's content into glyphs,
 *    gaps and style changes, drops markers and link destinations, and
 *    adds link references;
 *  - the flow (flow_*) lays those out into output lines: the prefix with
 *    bullets and quote bars, greedy word wrap with a hanging indent, and
 *    SGR codes that are reset at the end of every line.
 *
 * Styles (AWN_RENDER_STYLE): strong = bold (1), em = italic (3), inline
 * code and code blocks = cyan (36, readable on dark and light
 * backgrounds), strikethrough = 9, link text = underline (4), quote bars
 * = dim (2).  Headings: levels 1-2 bold underlined, 3 bold, 4-6 bold
 * italic.  Table columns are separated by two spaces.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "hash.h"
#include "render.h"
#include "richtext.h"
#include "termwidth.h"
#include "utf8.h"

#define OUT_CHUNK       4096 /* output is handed to WRITE in chunks this big */
#define WORD_MAX        4096 /* bytes of one word held before it is placed */
#define PREFIX_MAX      128  /* prefix bytes shown in terminal mode */
#define TAB_STOP        8
#define DEFAULT_WIDTH   80 /* wrap width when the caller passes 0 */
#define MIN_TEXT_WIDTH  8  /* text columns kept beside a deep prefix */
#define RULE_WIDTH      72
#define LIST_DEPTH_MAX  32
#define TABLE_MAX_COLS  64
#define TABLE_MAX_ROWS  10000
#define TABLE_MAX_BYTES ((size_t)1 << 20)
#define TABLE_MIN_COL   4 /* a shrunk column keeps at least this width */
#define TABLE_SEP       "  "
#define JOIN_MAX        8    /* emoji one ZWJ sequence keeps on one line */
#define TABLE_FIT_CELLS 4096 /* tables up to this many cells are fitted */
#define TABLE_FIT_WORK  ((size_t)1 << 22) /* steps spent choosing widths */
#define TABLE_SEP_WIDTH 2
#define CELL_BUF_MAX    ((size_t)64 << 20)
#define URL_BUF_MAX     ((size_t)16 << 20)
#define REFS_MAX        ((size_t)1 << 20)
#define DEPTH_MAX       0xFFFF /* nesting counted per style, saturating */
#define LINK_PATH_MAX   512    /* bytes first kept for a link's path */

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* ---- Glyphs --------------------------------------------------------- */

enum glyph_kind {
	G_TEXT, /* printable UTF-8 character */
	G_TAB,
	G_MARKER, /* a rich-text marker byte */
	G_BAD,    /* control, C1, DEL or invalid byte: shown as U+FFFD */
};

struct glyph {
	enum glyph_kind kind;
	const char *s; /* the input bytes */
	size_t n;
	size_t width; /* columns when printed (U+FFFD for G_BAD) */
	uint32_t cp;
};

static int
is_marker(unsigned char c)
{
	return (c >= RT_STRONG_ON && c <= RT_DEL_OFF) || c == RT_LINK ||
	       c == RT_LINK_TEXT || c == RT_LINK_END || c == RT_CELL ||
	       c == RT_PREFIX_END;
}

/* Classify the glyph at S/LEN (LEN > 0); returns the bytes it spans. */
static size_t
glyph_next(const char *s, size_t len, struct glyph *g)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;
	size_t n;

	g->s = s;
	g->n = 1;
	g->width = 1;
	g->cp = c;
	if (c < 0x80) {
		if (c >= 0x20 && c < 0x7F)
			g->kind = G_TEXT;
		else if (c == '\t')
			g->kind = G_TAB;
		else
			g->kind = is_marker(c) ? G_MARKER : G_BAD;
		return 1;
	}
	cp = utf8_decode((const unsigned char *)s, len, &n);
	if (n == 1) {
		g->kind = G_BAD; /* past ASCII, only invalid bytes take one */
		return 1;
	}
	g->n = n;
	g->cp = cp;
	/* C1, bidi controls: one U+FFFD per control */
	g->kind = utf8_is_control(cp) ? G_BAD : G_TEXT;
	if (g->kind == G_TEXT)
		g->width = (size_t)termwidth_codepoint(cp);
	return n;
}

static int
is_regional_indicator(uint32_t cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/*
 * Does the glyph CP (W columns) continue the character before it, so
 * that no line may break between them?  A mark, a variation selector, a
 * skin tone or a joiner (all width 0) does, as does what a ZERO WIDTH
 * JOINER joins to an emoji and a flag's second regional indicator.
 * Steps the state in *JOINER and *RI_OPEN.
 */
static int
glyph_joins(uint32_t cp, size_t w, int *joiner, int *ri_open)
{
	/* *JOINER: bit 0, the glyph before was a ZERO WIDTH JOINER; the
	 * rest, how many emoji joiners have joined so far: a sequence of
	 * more than JOIN_MAX, or a joiner before text, joins no more, so
	 * that hostile runs still wrap. */
	int ri = is_regional_indicator(cp), chain = *joiner >> 1;
	int after_zwj = *joiner & 1;
	int joins = w == 0 || (after_zwj && w > 1 && chain < JOIN_MAX) ||
	            (ri && *ri_open);

	chain = !joins ? 0 : chain + (after_zwj && w > 0);
	*joiner = chain << 1 | (cp == 0x200D);
	*ri_open = ri && !(joins && *ri_open);
	return joins;
}

/* Is CP in ASCII (a string) or WIDE (N code points)? */
static int
is_one_of(uint32_t cp, const char *ascii, const uint32_t *wide, size_t n)
{
	size_t i;

	if (cp < 0x80)
		return cp != 0 && strchr(ascii, (int)cp) != NULL;
	for (i = 0; i < n; i++)
		if (wide[i] == cp)
			return 1;
	return 0;
}

/*
 * Kinsoku, simply: closing punctuation never starts a line and opening
 * brackets never end one, in Chinese and Japanese text (and the ASCII
 * ones beside it).
 */
static int
is_closing(uint32_t cp)
{
	static const uint32_t wide[] = {
	    0x2019, 0x201D, 0x3001, 0x3002, 0x3009, 0x300B, 0x300D,
	    0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301F, 0x30FB,
	    0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F,
	    0xFF3D, 0xFF5D, 0xFF61, 0xFF64,
	};

	return is_one_of(cp, ".,!?:;)]}%", wide, sizeof wide / sizeof *wide);
}

static int
is_opening(uint32_t cp)
{
	static const uint32_t wide[] = {
	    0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010,
	    0x3014, 0x3016, 0x3018, 0x301D, 0xFF08, 0xFF3B, 0xFF5B,
	};

	return is_one_of(cp, "([{", wide, sizeof wide / sizeof *wide);
}

/* Bytes from LO to '~' at the start of S/LEN: glyphs of one column that
 * are neither markers nor controls (nor spaces, when LO is 0x21). */
static size_t
ascii_run(const char *s, size_t len, unsigned char lo)
{
	size_t k = 0;

	while (k < len && (unsigned char)s[k] >= lo &&
	       (unsigned char)s[k] < 0x7F)
		k++;
	return k;
}

size_t
render_width(const char *text, size_t len)
{
	struct glyph g;
	size_t i = 0, w = 0;

	while (i < len) {
		i += glyph_next(text + i, len - i, &g);
		w += g.width;
	}
	return w;
}

/* Width of our own output: SGR sequences take no room. */
static size_t
visible_width(const char *s, size_t len)
{
	size_t i = 0, run = 0, w = 0;

	while (i < len) {
		if (s[i] != '\x1b') {
			i++;
			continue;
		}
		w += render_width(s + run, i - run);
		while (i < len && s[i] != 'm')
			i++;
		i += i < len;
		run = i;
	}
	return w + render_width(s + run, len - run);
}

/* ---- Stored lines --------------------------------------------------- */

struct rt_line {
	int kind;
	const char *body; /* everything after the kind byte */
	size_t body_len;
	const char *prefix;
	size_t prefix_len;
	const char *content;
	size_t content_len;
};

struct cursor {
	const char *text;
	size_t len;
	size_t pos;
};

static int
is_known_kind(int c)
{
	return RT_IS_HEADING(c) || c == RT_PARA || c == RT_SOFT ||
	       c == RT_HARD || c == RT_CODE || c == RT_THEAD || c == RT_TROW ||
	       c == RT_RULE || c == RT_BLANK;
}

/*
 * A line whose first byte is no kind byte is kept whole as a paragraph:
 * showing a stray byte beats silently eating one.  An empty line has
 * nothing to show and counts as RT_BLANK.
 */
static void
line_parse(const char *s, size_t n, struct rt_line *l)
{
	const char *end;

	l->kind = RT_PARA;
	l->body = s;
	l->body_len = n;
	if (n == 0)
		l->kind = RT_BLANK;
	else if (is_known_kind((unsigned char)s[0])) {
		l->kind = (unsigned char)s[0];
		l->body++;
		l->body_len--;
	}
	end = l->body_len ? memchr(l->body, RT_PREFIX_END, l->body_len) : NULL;
	if (end == NULL) {
		l->prefix = l->body;
		l->prefix_len = 0;
		l->content = l->body;
		l->content_len = l->body_len;
	} else {
		l->prefix = l->body;
		l->prefix_len = (size_t)(end - l->body);
		l->content = end + 1;
		l->content_len = l->body_len - l->prefix_len - 1;
	}
}

static int
cursor_next(struct cursor *c, struct rt_line *l)
{
	const char *s, *nl;
	size_t n;

	if (c->pos >= c->len)
		return 0;
	s = c->text + c->pos;
	nl = memchr(s, '\n', c->len - c->pos);
	n = nl ? (size_t)(nl - s) : c->len - c->pos;
	c->pos += n + (nl != NULL);
	line_parse(s, n, l);
	return 1;
}

/* Peek at the next line: its kind, or 0 at the end. */
static int
cursor_peek(const struct cursor *c, struct rt_line *l)
{
	struct cursor copy = *c;

	return cursor_next(&copy, l) ? l->kind : 0;
}

/* ---- Link references ------------------------------------------------ */

struct ref {
	size_t off; /* in refs.urls */
	size_t len;
};

struct refs {
	struct buf urls; /* every URL, back to back */
	struct ref *ref;
	size_t n, cap;
	size_t *slot; /* hash table: index + 1 into ref, 0 when free */
	size_t nslot; /* a power of two, at least twice n */
};

static size_t *
refs_find_slot(struct refs *rf, const char *url, size_t len)
{
	size_t mask = rf->nslot - 1;
	size_t i = (size_t)hash_bytes(url, len) & mask;

	for (;; i = (i + 1) & mask) {
		struct ref *e;

		if (rf->slot[i] == 0)
			return &rf->slot[i];
		e = &rf->ref[rf->slot[i] - 1];
		if (e->len == len &&
		    memcmp(rf->urls.data + e->off, url, len) == 0)
			return &rf->slot[i];
	}
}

static awn_status
refs_grow_table(struct refs *rf)
{
	size_t nslot = rf->nslot ? rf->nslot * 2 : 64;
	size_t *old = rf->slot, i;

	rf->slot = alloc_calloc(nslot, sizeof *rf->slot);
	if (rf->slot == NULL) {
		rf->slot = old;
		return AWN_ERR_NOMEM;
	}
	rf->nslot = nslot;
	for (i = 0; i < rf->n; i++) {
		const struct ref *e = &rf->ref[i];

		*refs_find_slot(rf, rf->urls.data + e->off, e->len) = i + 1;
	}
	alloc_free(old);
	return AWN_OK;
}

/*
 * The 1-based number of URL in *NUM, the same one each time the URL
 * comes back.  AWN_ERR_LIMIT when the list is full.
 */
static awn_status
refs_number(struct refs *rf, const char *url, size_t len, size_t *num)
{
	awn_status st;
	size_t *slot;

	if (rf->n * 2 >= rf->nslot && (st = refs_grow_table(rf)) != AWN_OK)
		return st;
	slot = refs_find_slot(rf, url, len);
	if (*slot != 0) {
		*num = *slot;
		return AWN_OK;
	}
	if (rf->n >= REFS_MAX)
		return AWN_ERR_LIMIT;
	if (rf->n == rf->cap) {
		size_t cap = rf->cap ? rf->cap * 2 : 16;
		struct ref *p = alloc_reallocarray(rf->ref, cap, sizeof *p);

		if (p == NULL)
			return AWN_ERR_NOMEM;
		rf->ref = p;
		rf->cap = cap;
	}
	rf->ref[rf->n].off = rf->urls.len;
	rf->ref[rf->n].len = len;
	if ((st = buf_add(&rf->urls, url, len)) != AWN_OK)
		return st;
	*slot = ++rf->n;
	*num = rf->n;
	return AWN_OK;
}

static void
refs_free(struct refs *rf)
{
	buf_free(&rf->urls);
	alloc_free(rf->ref);
	alloc_free(rf->slot);
}

/* ---- Render context and output -------------------------------------- */

struct list_level {
	size_t col;    /* column of the item's marker */
	size_t quotes; /* quote marks in front of it */
};

struct render {
	unsigned flags; /* AWN_RENDER_STYLE | AWN_RENDER_WRAP */
	size_t width;   /* wrap width, SIZE_MAX when not wrapping */
	const struct render_opts *opts;
	awn_write_fn write;
	void *ctx;
	awn_status status; /* first failure; everything stops after it */
	struct buf out;    /* pending output, flushed in OUT_CHUNK pieces */
	struct buf word;   /* the word a wrapping flow is holding */
	struct buf scratch;
	int started;       /* an output line has been started */
	int blank_pending; /* a blank line is due before the next block */
	const char *blank_quotes; /* the quote marks it shows (a prefix) */
	size_t blank_quotes_len;
	int no_refs; /* external links get no reference number */
	struct list_level list[LIST_DEPTH_MAX]; /* open lists, innermost last */
	size_t list_depth;
	struct refs refs;
	struct buf path; /* where a link into the notes leads */
};

static void
render_init(struct render *r, const struct render_opts *o, awn_write_fn write,
            void *ctx)
{
	memset(r, 0, sizeof *r);
	r->opts = o;
	r->flags = o ? o->flags & (AWN_RENDER_STYLE | AWN_RENDER_WRAP) : 0;
	r->width = SIZE_MAX;
	if (r->flags & AWN_RENDER_WRAP)
		r->width = o->width ? o->width : DEFAULT_WIDTH;
	r->write = write;
	r->ctx = ctx;
	r->status = AWN_OK;
	buf_init(&r->out, 0);
	buf_init(&r->word, 0);
	buf_init(&r->scratch, CELL_BUF_MAX);
	buf_init(&r->refs.urls, URL_BUF_MAX);
	buf_init(&r->path, AWN_PATH_MAX + 1);
}

static void
render_free(struct render *r)
{
	buf_free(&r->out);
	buf_free(&r->word);
	buf_free(&r->scratch);
	buf_free(&r->path);
	refs_free(&r->refs);
}

static void
render_fail(struct render *r, awn_status st)
{
	/* To the caller, hitting a cap on our own buffers is running out. */
	if (r->status == AWN_OK)
		r->status = st == AWN_ERR_LIMIT ? AWN_ERR_NOMEM : st;
}

static void
render_flush(struct render *r)
{
	if (r->status == AWN_OK && r->out.len > 0 &&
	    r->write(r->ctx, r->out.data, r->out.len) != 0)
		r->status = AWN_ERR_IO;
	buf_reset(&r->out);
}

static void
sink_put(struct render *r, struct buf *dst, const char *s, size_t n)
{
	awn_status st;

	if (r->status != AWN_OK)
		return;
	if ((st = buf_add(dst, s, n)) != AWN_OK) {
		render_fail(r, st);
		return;
	}
	if (dst == &r->out && dst->len >= OUT_CHUNK)
		render_flush(r);
}

static void
sink_spaces(struct render *r, struct buf *dst, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0 && r->status == AWN_OK) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		sink_put(r, dst, spaces, k);
		n -= k;
	}
}

/* Columns from COL to the next tab stop. */
static size_t
tab_width(size_t col)
{
	return TAB_STOP - col % TAB_STOP;
}

static int
styled(const struct render *r)
{
	return (r->flags & AWN_RENDER_STYLE) != 0;
}

/* ---- Lists: bullets by nesting depth -------------------------------- */

/*
 * Position of the list marker that starts at S[I] (a bullet '*', '-',
 * '+' or a number ending in '.' or ')', followed by a space, at the
 * start or after a space or quote mark): its length, or 0 if none.
 */
static size_t
list_marker_at(const char *s, size_t n, size_t i, int *bullet)
{
	size_t j = i;

	if (i > 0 && s[i - 1] != ' ' && s[i - 1] != '>')
		return 0;
	*bullet = s[i] == '*' || s[i] == '-' || s[i] == '+';
	if (!*bullet) {
		while (j < n && j - i < 9 && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j == i || j >= n || (s[j] != '.' && s[j] != ')'))
			return 0;
	}
	return j + 1 < n && s[j + 1] == ' ' ? j + 2 - i : 0;
}

/*
 * Index of the bullet that ends prefix P/N, or SIZE_MAX.  A task item's
 * box ("[ ] ", "[x] ") may follow the bullet: it keeps its box, and the
 * bullet before it still shows its depth.
 */
static size_t
list_bullet_pos(const char *p, size_t n)
{
	int bullet;

	if (n >= 6 && p[n - 4] == '[' && p[n - 2] == ']' && p[n - 1] == ' ' &&
	    (p[n - 3] == ' ' || p[n - 3] == 'x' || p[n - 3] == 'X'))
		n -= 4;
	if (n < 2 || list_marker_at(p, n, n - 2, &bullet) != 2 || !bullet)
		return SIZE_MAX;
	return n - 2;
}

/* Close the lists whose markers sit at column COL or right of it. */
static void
list_pop_from(struct render *r, size_t col, size_t quotes)
{
	while (r->list_depth > 0 && r->list[r->list_depth - 1].col >= col &&
	       r->list[r->list_depth - 1].quotes <= quotes)
		r->list_depth--;
}

/*
 * Track open lists across lines by the columns of their markers, so a
 * bullet's depth counts the lists around it whatever their indentation
 * ("1. " parents indent children by 3, "* " by 2).  A line's text, a
 * quote mark or a marker at some column closes the lists at or right of
 * it, except that a quote mark leaves the lists inside earlier quotes
 * alone.  Returns the depth of the bullet ending prefix P/N, or 0 when
 * it ends in no bullet.
 */
static unsigned
list_track(struct render *r, const char *p, size_t n)
{
	size_t i = 0, len, col = 0, quotes = 0;
	int bullet, any = 0;
	struct glyph g;

	while (i < n) {
		if ((len = list_marker_at(p, n, i, &bullet)) != 0) {
			list_pop_from(r, col, SIZE_MAX);
			if (r->list_depth < LIST_DEPTH_MAX) {
				r->list[r->list_depth].col = col;
				r->list[r->list_depth++].quotes = quotes;
			}
			any = 1;
			col += len;
			i += len;
			continue;
		}
		i += glyph_next(p + i, n - i, &g);
		if (g.kind == G_TEXT && g.s[0] == '>')
			list_pop_from(r, col, quotes++);
		if (g.kind == G_TAB)
			col += tab_width(col);
		else if (g.kind != G_MARKER)
			col += g.width;
	}
	if (!any)
		list_pop_from(r, col, SIZE_MAX);
	if (list_bullet_pos(p, n) == SIZE_MAX)
		return 0;
	return r->list_depth ? (unsigned)r->list_depth : 1;
}

static const char *
bullet_for_depth(unsigned depth)
{
	return depth <= 1   ? "\xE2\x80\xA2"  /* • */
	       : depth == 2 ? "\xE2\x97\xA6"  /* ◦ */
	                    : "\xE2\x96\xAA"; /* ▪ */
}

/* ---- Flow: laying out lines ----------------------------------------- */

enum {
	ST_BOLD = 1 << 0,
	ST_DIM = 1 << 1,
	ST_ITALIC = 1 << 2,
	ST_UNDERLINE = 1 << 3,
	ST_STRIKE = 1 << 4,
	ST_CODE = 1 << 5,
	ST_RED = 1 << 6, /* -e's colours, grep's and ripgrep's */
	ST_GREEN = 1 << 7,
	ST_MAGENTA = 1 << 8,
};

static const struct {
	unsigned bit;
	const char *sgr;
} sgr_codes[] = {
    {ST_BOLD, "1"},      {ST_DIM, "2"},    {ST_ITALIC, "3"},
    {ST_UNDERLINE, "4"}, {ST_STRIKE, "9"}, {ST_CODE, "36"},
    {ST_RED, "31"},      {ST_GREEN, "32"}, {ST_MAGENTA, "35"},
};

/* Inline styles that nest; a word holds a change as byte 1 + 2 * i (+1). */
enum {
	IN_BOLD,
	IN_ITALIC,
	IN_CODE,
	IN_STRIKE,
	IN_LINK,
	IN_GREP_PATH,   /* awsnote -e: a section's path, */
	IN_GREP_NUMBER, /* a line's number */
	IN_GREP_MATCH,  /* and what the patterns matched */
	IN_COUNT
};

static const unsigned inline_bit[IN_COUNT] = {
    [IN_BOLD] = ST_BOLD,
    [IN_ITALIC] = ST_ITALIC,
    [IN_CODE] = ST_CODE,
    [IN_STRIKE] = ST_STRIKE,
    [IN_LINK] = ST_UNDERLINE,
    [IN_GREP_PATH] = ST_BOLD | ST_MAGENTA, /* grep's and ripgrep's */
    [IN_GREP_NUMBER] = ST_GREEN,
    [IN_GREP_MATCH] = ST_BOLD | ST_RED,
};

enum flow_mode {
	FLOW_VERBATIM, /* lines as given, spaces kept, never broken */
	FLOW_WRAP,     /* reflowed: words greedily filled into AVAIL columns */
};

struct flow {
	struct render *r;
	struct buf *dst;
	enum flow_mode mode;
	int code;     /* a code block: tab stops count from its text */
	size_t width; /* columns of a whole line, prefix included */
	unsigned base;
	unsigned depth[IN_COUNT];
	unsigned want;  /* flow_style(), kept as depth[] changes */
	unsigned shown; /* the SGR state written so far on this line */

	/* the first line's prefix; later lines show it as continuation */
	const char *first;
	size_t first_len;
	unsigned bullet; /* depth of the bullet ending it, 0 if none */
	size_t indent;   /* extra columns continuation lines get */
	size_t first_w, cont_w;

	/* the current line */
	const char *prefix;
	size_t prefix_len;
	int prefix_first; /* prefix drawn as a first line (bullets, numbers) */
	int prefix_done;
	size_t prefix_w;
	size_t avail; /* text columns */
	size_t col;   /* text columns used */
	size_t max_col;
	size_t max_word; /* widest word placed whole */
	int whole_links; /* a URL wider than a line is not broken */

	/* wrapping */
	size_t gap; /* columns of space owed before the next word */
	size_t word_w;
	int word_glyphs; /* the held word has a glyph, not only codes */
	int word_split;  /* it continues a word too long to hold */
	int word_wide;   /* it ends in a wide (CJK) character */
	int joiner;      /* ... or in a ZERO WIDTH JOINER */
	int ri_open;     /* ... or in a flag's first regional indicator */
	int open_end;    /* ... or in an opening bracket */
	int soft;        /* a soft hyphen ended the last word placed */
	int glued;       /* it holds a space no line breaks at, */
	size_t glue_at;  /* at this byte, */
	size_t glue_w;   /* after this many columns */
	int unglue;      /* which may break rather than the word before */
	int keep_blanks; /* blanks as they are (a line -e found), not one */
};

static void
flow_put(struct flow *f, const char *s, size_t n)
{
	sink_put(f->r, f->dst, s, n);
}

static unsigned
flow_style(const struct flow *f)
{
	unsigned mask = f->base;
	int i;

	if (!styled(f->r))
		return 0;
	for (i = 0; i < IN_COUNT; i++)
		if (f->depth[i] > 0)
			mask |= inline_bit[i];
	return mask;
}

/*
 * Bring the terminal to the wanted style.  From a plain state only the
 * wanted codes are sent; otherwise a reset comes first, so no code ever
 * needs its own "off" and nothing can linger.
 */
static void
flow_sync_style(struct flow *f)
{
	unsigned want = f->want;
	char seq[48];
	size_t i, n;

	if (want == f->shown)
		return;
	memcpy(seq, "\x1b[", 2);
	n = 2;
	if (f->shown != 0 || want == 0)
		seq[n++] = '0';
	for (i = 0; i < sizeof sgr_codes / sizeof *sgr_codes; i++) {
		if (!(want & sgr_codes[i].bit))
			continue;
		if (n > 2)
			seq[n++] = ';';
		memcpy(seq + n, sgr_codes[i].sgr, strlen(sgr_codes[i].sgr));
		n += strlen(sgr_codes[i].sgr);
	}
	seq[n++] = 'm';
	flow_put(f, seq, n);
	f->shown = want;
}

static void
flow_apply_code(struct flow *f, unsigned char code)
{
	unsigned i = (unsigned)(code - 1) / 2;

	if (i >= IN_COUNT)
		return;
	if ((code - 1) % 2 == 0) {
		if (f->depth[i] < DEPTH_MAX)
			f->depth[i]++;
	} else if (f->depth[i] > 0) {
		f->depth[i]--;
	}
	f->want = flow_style(f);
}

/* Prefix bytes past the last one that shows ink. */
static size_t
prefix_visible_end(const struct flow *f)
{
	size_t n = f->prefix_len;

	while (n > 0) {
		unsigned char c = (unsigned char)f->prefix[n - 1];

		if (c == '>' ||
		    (f->prefix_first && c != ' ' && c != '\t' && !is_marker(c)))
			break;
		n--;
	}
	return n;
}

static void
prefix_put(struct flow *f, int emit, const char *s, size_t n)
{
	if (emit)
		flow_put(f, s, n);
}

/*
 * Walk the current prefix, writing it when EMIT is set, and return its
 * width; TRIM drops trailing blanks (a line with no text).  Quote marks
 * become dim bars and the final bullet the bullet of its depth (with
 * STYLE).  On continuation lines all but quote marks turn into spaces of
 * the same width, so the text lines up under the first line's.
 */
static size_t
prefix_walk(struct flow *f, int emit, int trim)
{
	int style = styled(f->r), dim = 0;
	size_t bullet = f->prefix_first && style && f->bullet
	                    ? list_bullet_pos(f->prefix, f->prefix_len)
	                    : SIZE_MAX;
	size_t end = trim ? prefix_visible_end(f) : f->prefix_len;
	size_t i, w = 0, k;
	struct glyph g;

	for (i = 0; i < end; i += g.n) {
		glyph_next(f->prefix + i, end - i, &g);
		k = g.kind == G_TAB ? tab_width(w) : g.width;
		if (g.kind == G_MARKER) {
			continue;
		} else if (g.s[0] == '>' && style) {
			prefix_put(f, emit && !dim, "\x1b[2m", 4);
			prefix_put(f, emit, "\xE2\x94\x82", 3); /* │ */
			dim = 1;
		} else if (g.s[0] == '>') {
			prefix_put(f, emit, ">", 1);
		} else if (g.kind == G_TAB || g.s[0] == ' ' ||
		           !f->prefix_first) {
			if (emit)
				sink_spaces(f->r, f->dst, k);
		} else {
			prefix_put(f, emit && dim, "\x1b[0m", 4);
			dim = 0;
			if (i == bullet)
				prefix_put(f, emit, bullet_for_depth(f->bullet),
				           3);
			else if (g.kind == G_BAD)
				prefix_put(f, emit, replacement, 3);
			else
				prefix_put(f, emit, g.s, g.n);
		}
		w += k;
	}
	prefix_put(f, emit && dim, "\x1b[0m", 4);
	if (!f->prefix_first && !trim) {
		if (emit)
			sink_spaces(f->r, f->dst, f->indent);
		w += f->indent;
	}
	return w;
}

/* Start the text of the current line: its prefix goes out first. */
static void
flow_open_text(struct flow *f)
{
	if (f->prefix_done)
		return;
	prefix_walk(f, 1, 0);
	f->prefix_done = 1;
}

static void
flow_end_line(struct flow *f)
{
	if (!f->prefix_done)
		prefix_walk(f, 1, 1); /* an empty line: no trailing spaces */
	if (f->shown != 0)
		flow_put(f, "\x1b[0m", 4);
	f->shown = 0;
	flow_put(f, "\n", 1);
	if (f->col > f->max_col)
		f->max_col = f->col;
	f->col = 0;
	f->gap = 0;
	f->prefix_done = 0;
}

static size_t
text_avail(size_t width, size_t prefix_w)
{
	size_t avail = width > prefix_w ? width - prefix_w : 0;
	size_t least = width < MIN_TEXT_WIDTH ? width : MIN_TEXT_WIDTH;

	if (width == SIZE_MAX)
		return SIZE_MAX;
	if (avail < least)
		avail = least; /* a deep prefix overflows the line instead */
	return avail ? avail : 1;
}

/* Start the next line of a wrapped flow: a continuation line. */
static void
flow_new_line(struct flow *f)
{
	flow_end_line(f);
	f->prefix = f->first;
	f->prefix_len = f->first_len;
	f->prefix_first = 0;
	f->prefix_w = f->cont_w;
	f->avail = text_avail(f->width, f->cont_w);
}

/* Cap a hostile prefix so re-drawing it on every wrapped line stays cheap. */
static size_t
prefix_cap(const char *p, size_t n)
{
	struct glyph g;
	size_t i = 0;

	if (n <= PREFIX_MAX)
		return n;
	while (i < n && i + glyph_next(p + i, n - i, &g) <= PREFIX_MAX)
		i += g.n;
	return i;
}

/*
 * Called before a block's first line: collapsed blank lines go out here,
 * with the quote marks of the quotes they are inside.
 */
static void
render_block_start(struct render *r)
{
	if (r->blank_pending && r->blank_quotes_len > 0) {
		struct flow f;

		memset(&f, 0, sizeof f);
		f.r = r;
		f.dst = &r->out;
		f.prefix = r->blank_quotes;
		f.prefix_len = prefix_cap(r->blank_quotes, r->blank_quotes_len);
		prefix_walk(&f, 1, 1);
	}
	if (r->blank_pending)
		sink_put(r, &r->out, "\n", 1);
	r->blank_pending = 0;
	r->blank_quotes_len = 0;
	r->started = 1;
}

/*
 * Begin a flow into DST.  WIDTH is the columns of a whole line
 * (SIZE_MAX: unlimited); BASE the style under all its text.
 */
static void
flow_begin(struct flow *f, struct render *r, struct buf *dst,
           enum flow_mode mode, size_t width, unsigned base)
{
	memset(f, 0, sizeof *f);
	f->r = r;
	f->dst = dst;
	f->mode = mode;
	f->width = width;
	f->base = base;
	f->want = flow_style(f);
	f->first = f->prefix = "";
	f->prefix_first = 1;
	f->avail = text_avail(width, 0);
	buf_reset(&r->word);
	if (dst == &r->out)
		render_block_start(r);
}

/*
 * Give the flow its first line's prefix P/N, ending in a bullet of depth
 * BULLET (0: none); continuation lines are indented INDENT columns more.
 */
static void
flow_prefix(struct flow *f, const char *p, size_t n, unsigned bullet,
            size_t indent)
{
	if (f->r->flags != 0)
		n = prefix_cap(p, n);
	f->first = f->prefix = p;
	f->first_len = f->prefix_len = n;
	f->bullet = bullet;
	f->indent = indent < PREFIX_MAX ? indent : PREFIX_MAX;
	f->prefix_first = 0;
	f->cont_w = prefix_walk(f, 0, 0);
	f->prefix_first = 1;
	f->first_w = f->prefix_w = prefix_walk(f, 0, 0);
	f->avail = text_avail(f->width, f->first_w);
}

static void
flow_emit_glyph(struct flow *f, const char *s, size_t n, size_t w)
{
	flow_open_text(f);
	flow_sync_style(f);
	flow_put(f, s, n);
	f->col += w;
}

static void
flow_emit_spaces(struct flow *f, size_t n)
{
	if (n == 0)
		return;
	flow_open_text(f);
	flow_sync_style(f);
	sink_spaces(f->r, f->dst, n);
	f->col += n;
}

/*
 * Write the held word.  BREAK_LONG: break it between glyphs wherever
 * the line is full (it cannot fit on a line of its own).
 */
static void
flow_emit_word(struct flow *f, int break_long)
{
	const char *s = f->r->word.data;
	size_t n = f->r->word.len, i = 0, k;
	int joiner = 0, ri_open = 0, joins;
	struct glyph g;

	while (i < n && f->r->status == AWN_OK) {
		if ((unsigned char)s[i] < 0x20) {
			flow_apply_code(f, (unsigned char)s[i++]);
			continue;
		}
		if (!break_long && (k = ascii_run(s + i, n - i, 0x20)) > 0) {
			flow_emit_glyph(f, s + i, k, k); /* one style */
			i += k;
			continue;
		}
		i += glyph_next(s + i, n - i, &g);
		joins =
		    break_long && glyph_joins(g.cp, g.width, &joiner, &ri_open);
		/* A path's " > " (flow_path) stays with the glyph before
		 * it: broken inside, a line would end in a space or start
		 * with " >" or ">", which reads as a block quote. */
		if (break_long && !joins && f->col > 0 &&
		    f->col + g.width +
		            (i + 1 < n && s[i] == ' ' && s[i + 1] == '>' ? 2
		                                                         : 0) >
		        f->avail)
			flow_new_line(f);
		flow_emit_glyph(f, g.s, g.n, g.width);
	}
}

static void flow_place_word(struct flow *f);

/* Does the held word S/N (style codes and all) start as a URL does, a
 * scheme and "://"?  Broken at the width, it could no longer be
 * copied or opened from the terminal: it goes on a line of its own,
 * past the width, as a code line does, and the terminal wraps it. */
static int
held_url(const char *s, size_t n)
{
	size_t i, letters = 0;

	for (i = 0; i < n && (unsigned char)s[i] < 0x20; i++)
		;
	for (; i < n && letters <= 10; i++, letters++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			break;
	return letters >= 2 && letters <= 10 && n - i >= 4 &&
	       memcmp(s + i, "://", 3) == 0;
}

/* Whether a word of W columns, placed now, would have to be broken. */
static int
flow_would_break(const struct flow *f, size_t w)
{
	if (f->col > 0 && f->col + f->gap + w <= f->avail)
		return 0;
	return w > (f->col == 0 ? f->avail : text_avail(f->width, f->cont_w));
}

/*
 * The held word is wider than a line only with the " >" or " -" glued
 * to it (flow_glued_space): rather than break a word, break at that
 * space after all, and the next line starts with the mark.  Only where
 * later lines are indented (UNGLUE: a path or -k line), so that the
 * mark cannot read as a block quote or a list item.
 */
static void
flow_place_unglued(struct flow *f)
{
	struct buf *word = &f->r->word;
	size_t len = word->len, w = f->word_w, at = f->glue_at;

	f->glued = 0;
	word->len = at;
	f->word_w = f->glue_w;
	flow_place_word(f);
	if (f->r->status != AWN_OK)
		return;
	memmove(word->data, word->data + at + 1, len - at - 1);
	word->len = len - at - 1;
	f->word_w = w - f->glue_w - 1;
	f->word_glyphs = 1;
	f->gap = 1; /* where the space was */
	flow_place_word(f);
}

/* Place the held word on this line or the next, then forget it. */
static void
flow_place_word(struct flow *f)
{
	size_t w = f->word_w;
	int too_wide;

	if (f->r->word.len == 0)
		return;
	if (f->glued && f->unglue && f->word_glyphs && !f->word_split &&
	    f->glue_w > 0 && flow_would_break(f, w) &&
	    !flow_would_break(f, f->glue_w)) {
		flow_place_unglued(f);
		return;
	}
	f->glued = 0;
	too_wide = w > f->avail && !(f->whole_links &&
	                             held_url(f->r->word.data, f->r->word.len));
	if (!f->word_glyphs) {
		flow_emit_word(f, 0); /* only style changes: the gap stays */
	} else if (f->word_split) {
		flow_emit_word(f, 1);
	} else if (f->col == 0) {
		flow_emit_word(f, too_wide);
	} else if (f->col + f->gap + w <= f->avail) {
		flow_emit_spaces(f, f->gap);
		flow_emit_word(f, 0);
	} else {
		/* Broken at a soft hyphen: the hyphen shows, room left. */
		if (f->soft && f->col < f->avail)
			flow_emit_glyph(f, "-", 1, 1);
		flow_new_line(f);
		flow_emit_word(f, too_wide);
	}
	if (f->word_glyphs)
		f->soft = 0;
	if (f->word_glyphs && !f->word_split && w > f->max_word)
		f->max_word = w;
	if (f->word_glyphs)
		f->gap = 0;
	buf_reset(&f->r->word);
	f->word_w = 0;
	f->word_glyphs = 0;
	f->word_split = 0;
	f->word_wide = 0;
}

static void
flow_hold(struct flow *f, const char *s, size_t n, size_t w, int glyph)
{
	awn_status st;

	if ((st = buf_add(&f->r->word, s, n)) != AWN_OK) {
		render_fail(f->r, st);
		return;
	}
	f->word_w += w;
	f->word_glyphs |= glyph;
	if (f->r->word.len >= WORD_MAX) {
		/* Bounded memory: a giant word goes out in pieces. */
		int split = f->word_glyphs;

		flow_place_word(f);
		f->word_split = split;
	}
}

/*
 * One printable glyph of text.  Text in wide characters (Chinese,
 * Japanese) has no spaces and may break before or after any of them, so
 * each is a word of its own, as is a flag (two regional indicators);
 * what continues a character (glyph_joins) stays with it, and so do
 * closing punctuation before and an opening bracket after.
 */
static void
flow_glyph(struct flow *f, const char *s, size_t n, size_t w, uint32_t cp)
{
	int joins;

	if (f->mode != FLOW_WRAP) {
		flow_emit_glyph(f, s, n, w);
		return;
	}
	if (cp == 0x200B || cp == 0xAD) {
		/* A zero width space or a soft hyphen: a place to break,
		 * unseen unless the line breaks at the hyphen. */
		flow_place_word(f);
		f->soft = cp == 0xAD;
		f->joiner = f->ri_open = f->open_end = 0;
		return;
	}
	joins = glyph_joins(cp, w, &f->joiner, &f->ri_open);
	if ((w > 1 || f->ri_open || f->word_wide) && !joins && !f->open_end &&
	    !is_closing(cp))
		flow_place_word(f);
	flow_hold(f, s, n, w, 1);
	if (w > 0 || f->ri_open)
		f->word_wide = w > 1 || is_regional_indicator(cp);
	if (w > 0)
		f->open_end = is_opening(cp);
}

/* A space or tab: a gap between words. */
static void
flow_space(struct flow *f, int tab)
{
	if (f->mode == FLOW_VERBATIM) {
		/* Code is indented for show: its tabs are laid out as in
		 * the source, as expand(1) would lay out the code alone. */
		size_t cols = !tab      ? 1
		              : f->code ? tab_width(f->col)
		                        : tab_width(f->prefix_w + f->col);

		/* Plain text keeps its tabs; a terminal gets spaces. */
		if (tab && f->r->flags == 0)
			flow_emit_glyph(f, "\t", 1, cols);
		else
			flow_emit_spaces(f, cols);
		return;
	}
	/* Reflowed, a run of blanks is one space, as a browser shows it:
	 * spaces that lined text up in the source line up nothing here. */
	flow_place_word(f);
	if (f->keep_blanks) /* tabs to the terminal's stops */
		f->gap += tab ? tab_width(f->prefix_w + f->col + f->gap) : 1;
	else
		f->gap = 1;
	f->joiner = f->ri_open = f->open_end = f->soft = 0;
}

/* Open (ON) or close a nesting inline style. */
static void
flow_inline(struct flow *f, unsigned which, int on)
{
	unsigned char code = (unsigned char)(1 + 2 * which + !on);

	if (f->mode == FLOW_WRAP)
		flow_hold(f, (const char *)&code, 1, 0, 0);
	else
		flow_apply_code(f, code);
}

/* End the line; the next one starts with prefix P/N (verbatim flows). */
static void
flow_break(struct flow *f, const char *p, size_t n)
{
	if (f->mode == FLOW_WRAP) {
		flow_place_word(f);
		flow_new_line(f);
		return;
	}
	flow_end_line(f);
	if (f->r->flags != 0)
		n = prefix_cap(p, n);
	f->prefix = p;
	f->prefix_len = n;
	f->prefix_first = 0;
	f->prefix_w = prefix_walk(f, 0, 0);
}

/* Put already laid-out bytes (a table line) on the current line. */
static void
flow_raw(struct flow *f, const char *s, size_t n)
{
	flow_open_text(f);
	flow_put(f, s, n);
}

static void
flow_finish(struct flow *f)
{
	if (f->mode == FLOW_WRAP)
		flow_place_word(f);
	flow_end_line(f);
}

/*
 * Printable ASCII without spaces, each glyph one column: as flow_glyph
 * does for each of them, in pieces that end where flow_hold would split
 * the word anyway.
 */
static void
flow_ascii(struct flow *f, const char *s, size_t n)
{
	size_t k;

	if (f->mode != FLOW_WRAP) {
		flow_emit_glyph(f, s, n, n);
		return;
	}
	if (f->word_wide && !f->open_end && !is_closing((unsigned char)s[0]))
		flow_place_word(f);
	f->word_wide = f->joiner = f->ri_open = 0;
	f->open_end = is_opening((unsigned char)s[n - 1]);
	while (n > 0 && f->r->status == AWN_OK) {
		k = WORD_MAX - f->r->word.len; /* > 0: flow_hold keeps it so */
		if (k > n)
			k = n;
		flow_hold(f, s, k, k, 1);
		s += k;
		n -= k;
	}
}

/* Show any bytes as text: controls and markers become U+FFFD. */
static void
flow_text(struct flow *f, const char *s, size_t n)
{
	struct glyph g;
	size_t i = 0, k;

	while (i < n && f->r->status == AWN_OK) {
		if ((k = ascii_run(s + i, n - i, 0x21)) > 0) {
			flow_ascii(f, s + i, k);
			i += k;
			continue;
		}
		i += glyph_next(s + i, n - i, &g);
		if (g.kind == G_TEXT && g.s[0] == ' ')
			flow_space(f, 0);
		else if (g.kind == G_TAB)
			flow_space(f, 1);
		else if (g.kind == G_TEXT)
			flow_glyph(f, g.s, g.n, g.width, g.cp);
		else
			flow_glyph(f, replacement, 3, 1, 0xFFFD);
	}
}

/*
 * A space no line breaks at: what follows stays with the glyph before,
 * even a wide one, after which a line may otherwise break.
 */
static void
flow_glued_space(struct flow *f)
{
	f->word_wide = f->ri_open = 0;
	if (f->mode == FLOW_WRAP && !f->glued) {
		f->glued = 1;
		f->glue_at = f->r->word.len;
		f->glue_w = f->word_w;
	}
	flow_glyph(f, " ", 1, 1, 0x20);
}

/* ---- Inline scanner: markers, links --------------------------------- */

enum link_state { LINK_NONE, LINK_DEST, LINK_TEXT };

/*
 * The text of an autolink equals its URL, or the URL without the scheme
 * GFM adds to bare addresses ("www.x.org" -> "http://www.x.org",
 * "a@b.c" -> "mailto:a@b.c"); both are compared as the text streams by.
 */
struct link_match {
	size_t skip; /* bytes of dest before the compared part */
	size_t at;   /* bytes matched so far */
	int ok;
};

struct scan {
	struct flow *f;
	enum link_state link;
	const char *dest;
	size_t dest_len;
	struct link_match whole, bare;
};

static void
scan_init(struct scan *sc, struct flow *f)
{
	memset(sc, 0, sizeof *sc);
	sc->f = f;
}

static void
match_step(struct link_match *m, const char *dest, size_t dest_len,
           const char *s, size_t n)
{
	if (!m->ok)
		return;
	if (dest_len - m->skip - m->at < n ||
	    memcmp(dest + m->skip + m->at, s, n) != 0)
		m->ok = 0;
	else
		m->at += n;
}

static int
match_done(const struct link_match *m, size_t dest_len)
{
	return m->ok && m->skip + m->at == dest_len;
}

/* Length of the scheme GFM put in front of a bare address, or 0. */
static size_t
added_scheme_len(const char *dest, size_t n)
{
	if (n > 7 && memcmp(dest, "mailto:", 7) == 0)
		return 7;
	if (n > 11 && memcmp(dest, "http://www.", 11) == 0)
		return 7;
	return 0;
}

int
awn_link_is_autolink(const char *text, size_t text_len, const char *dest,
                     size_t dest_len)
{
	size_t skip = added_scheme_len(dest, dest_len);

	if (text_len == dest_len && memcmp(text, dest, text_len) == 0)
		return 1;
	return skip > 0 && text_len == dest_len - skip &&
	       memcmp(text, dest + skip, text_len) == 0;
}

static void
scan_link_text(struct scan *sc, const char *text_start)
{
	sc->dest_len = (size_t)(text_start - 1 - sc->dest);
	sc->link = LINK_TEXT;
	sc->whole.skip = 0;
	sc->whole.at = 0;
	sc->whole.ok = 1;
	sc->bare.skip = added_scheme_len(sc->dest, sc->dest_len);
	sc->bare.at = 0;
	sc->bare.ok = sc->bare.skip > 0;
	flow_inline(sc->f, IN_LINK, 1);
}

static void
scan_track(struct scan *sc, const char *s, size_t n)
{
	if (sc->link != LINK_TEXT)
		return;
	match_step(&sc->whole, sc->dest, sc->dest_len, s, n);
	match_step(&sc->bare, sc->dest, sc->dest_len, s, n);
}

/*
 * A path may break after a " > " separator but never before one: a line
 * that starts with ">" would read as a block quote.
 */
static void
flow_path(struct flow *f, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == ' ' && s[i + 1] == '>') {
			flow_text(f, s + from, i - from);
			flow_glued_space(f);
			from = i + 1;
		}
	}
	flow_text(f, s + from, n - from);
}

/* Show where a link into the notes leads; -1 if it leads nowhere. */
static int
scan_internal_suffix(struct scan *sc)
{
	struct render *r = sc->f->r;
	const struct render_opts *o = r->opts;

	struct buf *p = &r->path;
	size_t want = LINK_PATH_MAX;
	int n, tries;
	awn_status st;

	if (o == NULL || o->link_path == NULL)
		return -1;
	/* Whole: asked again with the room it said it needs (a path is at
	 * most AWN_PATH_MAX, as the buffer's cap). */
	for (tries = 0; tries < 2; tries++) {
		if ((st = buf_reserve(p, want)) != AWN_OK) {
			render_fail(r, st);
			return -1;
		}
		p->data[0] = '\0';
		n = o->link_path(o->link_ctx, sc->dest, sc->dest_len, p->data,
		                 p->cap);
		if (n < 0)
			return -1;
		if ((size_t)n < p->cap)
			break;
		want = (size_t)n < AWN_PATH_MAX ? (size_t)n + 1 : AWN_PATH_MAX;
	}
	flow_space(sc->f, 0);
	flow_text(sc->f, "(\xE2\x86\x92", 4); /* (→ */
	flow_space(sc->f, 0);
	flow_path(sc->f, p->data, strnlen(p->data, p->cap - 1));
	flow_text(sc->f, ")", 1);
	return 0;
}

static void
scan_external_suffix(struct scan *sc)
{
	struct render *r = sc->f->r;
	char num[32];
	size_t n;
	awn_status st;

	if (r->no_refs || match_done(&sc->whole, sc->dest_len) ||
	    match_done(&sc->bare, sc->dest_len))
		return;
	st = refs_number(&r->refs, sc->dest, sc->dest_len, &n);
	if (st == AWN_ERR_LIMIT)
		return; /* past the cap a link is shown as bare text */
	if (st != AWN_OK) {
		render_fail(r, st);
		return;
	}
	/* Glued to the link text so a wrap never leaves it alone. */
	snprintf(num, sizeof num, "[%zu]", n);
	flow_text(sc->f, num, strlen(num));
}

static void
scan_close_link(struct scan *sc)
{
	if (sc->link != LINK_TEXT) {
		sc->link = LINK_NONE;
		return;
	}
	sc->link = LINK_NONE;
	flow_inline(sc->f, IN_LINK, 0);
	if (sc->f->r->flags == 0 || sc->dest_len == 0)
		return;
	/* A relative link to another Markdown file of the notes leads into
	 * them too; one that leads nowhere there is an address. */
	if (scan_internal_suffix(sc) != 0 && sc->dest[0] != '#')
		scan_external_suffix(sc);
}

static void
scan_marker(struct scan *sc, unsigned char c)
{
	switch (c) {
	case RT_STRONG_ON:
	case RT_STRONG_OFF:
		flow_inline(sc->f, IN_BOLD, c == RT_STRONG_ON);
		break;
	case RT_EM_ON:
	case RT_EM_OFF:
		flow_inline(sc->f, IN_ITALIC, c == RT_EM_ON);
		break;
	case RT_CODE_ON:
	case RT_CODE_OFF:
		flow_inline(sc->f, IN_CODE, c == RT_CODE_ON);
		break;
	case RT_DEL_ON:
	case RT_DEL_OFF:
		flow_inline(sc->f, IN_STRIKE, c == RT_DEL_ON);
		break;
	case RT_LINK_END:
		scan_close_link(sc);
		break;
	case RT_CELL:
		scan_track(sc, " | ", 3);
		flow_text(sc->f, " | ", 3);
		break;
	default:
		break; /* RT_LINK_TEXT outside a link, RT_PREFIX_END */
	}
}

/* Skip a link destination; returns where the scan goes on. */
static size_t
scan_dest(struct scan *sc, const char *s, size_t n, size_t i)
{
	for (; i < n; i++) {
		if (s[i] == RT_LINK_TEXT) {
			scan_link_text(sc, s + i + 1);
			return i + 1;
		}
		if (s[i] == RT_LINK_END) {
			/* A link without text shows nothing. */
			sc->link = LINK_NONE;
			return i + 1;
		}
	}
	return n;
}

/* Feed one line's content S/N. */
static void
scan_text(struct scan *sc, const char *s, size_t n)
{
	struct glyph g;
	size_t i = 0, k;

	while (i < n && sc->f->r->status == AWN_OK) {
		if (sc->link == LINK_DEST) {
			i = scan_dest(sc, s, n, i);
			continue;
		}
		if ((k = ascii_run(s + i, n - i, 0x20)) > 0) {
			scan_track(sc, s + i, k);
			flow_text(sc->f, s + i, k);
			i += k;
			continue;
		}
		i += glyph_next(s + i, n - i, &g);
		if (g.kind == G_MARKER && g.s[0] == RT_LINK) {
			scan_close_link(sc);
			sc->link = LINK_DEST;
			sc->dest = s + i;
			continue;
		}
		if (g.kind == G_MARKER) {
			scan_marker(sc, (unsigned char)g.s[0]);
			continue;
		}
		if (g.kind == G_TEXT)
			scan_track(sc, g.s, g.n);
		else
			sc->whole.ok = sc->bare.ok = 0;
		flow_text(sc->f, g.s, g.n);
	}
}

/* A destination never spans lines: one cut by a line end is dropped. */
static void
scan_line_end(struct scan *sc)
{
	if (sc->link == LINK_DEST)
		sc->link = LINK_NONE;
}

static void
scan_finish(struct scan *sc)
{
	scan_line_end(sc);
	scan_close_link(sc);
}

/* ---- Blocks --------------------------------------------------------- */

static void
render_paragraph(struct render *r, const struct rt_line *first,
                 struct cursor *cur)
{
	int wrap = (r->flags & AWN_RENDER_WRAP) != 0;
	struct rt_line l;
	struct flow f;
	struct scan sc;
	int kind;

	flow_begin(&f, r, &r->out, wrap ? FLOW_WRAP : FLOW_VERBATIM, r->width,
	           0);
	f.whole_links = 1;
	flow_prefix(&f, first->prefix, first->prefix_len,
	            list_track(r, first->prefix, first->prefix_len), 0);
	scan_init(&sc, &f);
	scan_text(&sc, first->content, first->content_len);
	while (r->status == AWN_OK &&
	       ((kind = cursor_peek(cur, &l)) == RT_SOFT || kind == RT_HARD)) {
		cursor_next(cur, &l);
		scan_line_end(&sc);
		if (wrap && kind == RT_SOFT)
			flow_space(&f, 0);
		else
			flow_break(&f, l.prefix, l.prefix_len);
		scan_text(&sc, l.content, l.content_len);
	}
	scan_finish(&sc);
	flow_finish(&f);
}

static void
render_code(struct render *r, const struct rt_line *l)
{
	struct flow f;
	struct scan sc;

	flow_begin(&f, r, &r->out, FLOW_VERBATIM, SIZE_MAX, ST_CODE);
	f.code = 1;
	flow_prefix(&f, l->prefix, l->prefix_len,
	            list_track(r, l->prefix, l->prefix_len), 0);
	scan_init(&sc, &f);
	scan_text(&sc, l->content, l->content_len);
	scan_finish(&sc);
	flow_finish(&f);
}

static void
render_rule(struct render *r, const struct rt_line *l)
{
	size_t width = r->width < RULE_WIDTH ? r->width : RULE_WIDTH;
	struct flow f;
	size_t n;

	flow_begin(&f, r, &r->out, FLOW_VERBATIM, SIZE_MAX, 0);
	flow_prefix(&f, l->prefix, l->prefix_len,
	            list_track(r, l->prefix, l->prefix_len), 0);
	n = width > f.first_w + 3 ? width - f.first_w : 3;
	while (n-- > 0 && r->status == AWN_OK)
		flow_text(&f, styled(r) ? "\xE2\x94\x80" : "-",
		          styled(r) ? 3 : 1);
	flow_finish(&f);
}

static unsigned
heading_style(unsigned level)
{
	if (level <= 2)
		return ST_BOLD | ST_UNDERLINE;
	if (level == 3)
		return ST_BOLD;
	return ST_BOLD | ST_ITALIC;
}

static void
render_heading_flow(struct render *r, const char *prefix, size_t prefix_len,
                    const char *text, size_t len, unsigned level,
                    const char *label)
{
	int wrap = (r->flags & AWN_RENDER_WRAP) != 0;
	size_t label_len = label ? strlen(label) : 0;
	struct flow f;
	struct scan sc;

	flow_begin(&f, r, &r->out, wrap ? FLOW_WRAP : FLOW_VERBATIM, r->width,
	           heading_style(level));
	flow_prefix(&f, prefix, prefix_len, list_track(r, prefix, prefix_len),
	            label_len ? render_width(label, label_len) + 1 : 0);
	if (label_len) {
		flow_text(&f, label, label_len);
		flow_space(&f, 0);
	}
	scan_init(&sc, &f);
	scan_text(&sc, text, len);
	scan_finish(&sc);
	flow_finish(&f);
}

/* ---- Tables --------------------------------------------------------- */

struct table {
	struct cursor start; /* at the group's first row */
	size_t rows;
	size_t cols;
	size_t nat[TABLE_MAX_COLS];  /* natural (unwrapped) column widths */
	size_t word[TABLE_MAX_COLS]; /* widest word of each column */
	size_t colw[TABLE_MAX_COLS]; /* widths used */
	/* when wrapping: each cell's natural width, row by row, then room
	 * for three numbers a row (table_fit_lines) */
	uint32_t *cellw;
	size_t row; /* the row being measured */
	struct buf cell[TABLE_MAX_COLS];
	size_t cell_at[TABLE_MAX_COLS]; /* next line to take from cell[] */
};

static int
is_table_row(int kind)
{
	return kind == RT_THEAD || kind == RT_TROW;
}

static int
same_prefix(const struct rt_line *a, const struct rt_line *b)
{
	return a->prefix_len == b->prefix_len &&
	       memcmp(a->prefix, b->prefix, a->prefix_len) == 0;
}

/* Cells of content S/N, counted up to LIMIT + 1. */
static size_t
count_cells(const char *s, size_t n, size_t limit)
{
	const char *p = s, *end = s + n, *q;
	size_t cells = 1;

	while (cells <= limit &&
	       (q = memchr(p, RT_CELL, (size_t)(end - p))) != NULL) {
		cells++;
		p = q + 1;
	}
	return cells;
}

/*
 * Take the next cell of a row, leaving in *S and *N what follows it.
 * Returns 1 when a separator followed: another (maybe empty) cell comes.
 */
static int
next_cell(const char **s, size_t *n, const char **cell, size_t *cell_len)
{
	const char *q = *n ? memchr(*s, RT_CELL, *n) : NULL;

	*cell = *s;
	*cell_len = q ? (size_t)(q - *s) : *n;
	*s += *cell_len + (q != NULL);
	*n -= *cell_len + (q != NULL);
	return q != NULL;
}

/*
 * Find the group of rows starting at FIRST (already read from CUR) and
 * leave CUR after it.  Returns 0 when the group is past a cap.
 */
static int
table_find_group(struct table *t, const struct rt_line *first,
                 struct cursor *cur)
{
	struct rt_line l;
	size_t bytes = first->content_len;

	t->rows = 1;
	t->cols =
	    count_cells(first->content, first->content_len, TABLE_MAX_COLS);
	while (is_table_row(cursor_peek(cur, &l)) && same_prefix(&l, first)) {
		size_t c =
		    count_cells(l.content, l.content_len, TABLE_MAX_COLS);

		cursor_next(cur, &l);
		t->rows++;
		bytes += l.content_len;
		if (c > t->cols)
			t->cols = c;
	}
	return t->rows <= TABLE_MAX_ROWS && t->cols <= TABLE_MAX_COLS &&
	       bytes <= TABLE_MAX_BYTES;
}

/*
 * Lay out one cell into DST, WIDTH columns wide (SIZE_MAX: one line);
 * returns the width of its widest line, and that of its widest word in
 * *WORD_W unless WORD_W is NULL.
 */
static size_t
table_cell(struct render *r, struct buf *dst, const char *s, size_t n,
           size_t width, unsigned base, size_t *word_w)
{
	struct flow f;
	struct scan sc;

	buf_reset(dst);
	flow_begin(&f, r, dst, FLOW_WRAP, width, base);
	scan_init(&sc, &f);
	scan_text(&sc, s, n);
	scan_finish(&sc);
	flow_finish(&f);
	if (word_w)
		*word_w = f.max_word;
	return f.max_col;
}

/*
 * table_cell's widths, unwrapped, for a cell of printable ASCII shorter
 * than WORD_MAX: its words with one space between each two (a run of
 * spaces is one), and its longest word.
 */
static size_t
plain_cell_width(const char *s, size_t n, size_t *word_w)
{
	size_t i, w = 0, run = 0;

	*word_w = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ') {
			run = 0;
			continue;
		}
		w += run == 0 && w > 0; /* the space before a word */
		w++;
		if (++run > *word_w)
			*word_w = run;
	}
	return w;
}

static unsigned
row_style(int kind)
{
	return kind == RT_THEAD ? ST_BOLD : 0;
}

/*
 * Lay out every cell of the row L at the current column widths: into
 * t->cell[] when MEASURE is 0, else just to widen t->nat[].  Measuring
 * by laying out keeps link suffixes, tabs and trimming identical in
 * both passes (link numbers too, as URLs come in the same order).
 */
static void
table_layout_row(struct render *r, struct table *t, const struct rt_line *l,
                 int measure)
{
	int wrap = (r->flags & AWN_RENDER_WRAP) != 0;
	const char *s = l->content, *cell;
	size_t n = l->content_len, len, j, w, ww;
	int more = 1;

	for (j = 0; j < t->cols && r->status == AWN_OK; j++) {
		cell = "";
		len = 0;
		if (more)
			more = next_cell(&s, &n, &cell, &len);
		if (!measure) {
			table_cell(r, &t->cell[j], cell, len,
			           wrap ? t->colw[j] : SIZE_MAX,
			           row_style(l->kind), NULL);
			continue;
		}
		if (len < WORD_MAX && ascii_run(cell, len, 0x20) == len)
			w = plain_cell_width(cell, len, &ww);
		else
			w = table_cell(r, &r->scratch, cell, len, SIZE_MAX,
			               row_style(l->kind), &ww);
		if (w > t->nat[j])
			t->nat[j] = w;
		if (t->cellw != NULL)
			t->cellw[t->row * t->cols + j] =
			    w < UINT32_MAX ? (uint32_t)w : UINT32_MAX;
		if (ww > t->word[j])
			t->word[j] = ww;
	}
}

static void
table_natural_widths(struct render *r, struct table *t)
{
	struct cursor cur = t->start;
	struct rt_line l;
	size_t row;

	for (row = 0; row < t->rows && r->status == AWN_OK; row++) {
		if (!cursor_next(&cur, &l))
			break; /* fewer lines than t->rows: never */
		t->row = row;
		table_layout_row(r, t, &l, 1);
	}
}

static size_t
clamped_sum(const struct table *t, size_t cap)
{
	size_t j, sum = 0;

	for (j = 0; j < t->cols; j++)
		sum += t->nat[j] < cap ? t->nat[j] : cap;
	return sum;
}

/*
 * Fit the columns into BUDGET columns by capping the widest ones at the
 * largest common width that fits, then handing the columns left over to
 * the capped columns from the left.  Below TABLE_MIN_COL the table
 * overflows instead: columns of one letter help nobody.
 */
static void
table_fit_capped(struct table *t, size_t budget)
{
	size_t lo = TABLE_MIN_COL, hi = 0, j, left, used;

	for (j = 0; j < t->cols; j++) {
		t->colw[j] = t->nat[j];
		if (t->nat[j] > hi)
			hi = t->nat[j];
	}
	if (clamped_sum(t, hi) <= budget || hi <= lo)
		return;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (clamped_sum(t, mid) <= budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	used = clamped_sum(t, lo);
	left = budget > used ? budget - used : 0;
	for (j = 0; j < t->cols; j++) {
		t->colw[j] = t->nat[j] < lo ? t->nat[j] : lo;
		if (t->nat[j] > lo && left > 0) {
			t->colw[j]++;
			left--;
		}
	}
}

/*
 * Lines the cell of row R, column J takes at width W, about: a wrapped
 * line ends, on average, half a word short of the width (counted as
 * half the column's widest word).
 */
static size_t
cell_lines(const struct table *t, size_t r, size_t j, size_t w)
{
	size_t c = t->cellw[r * t->cols + j], slack = (t->word[j] + 1) / 2;

	if (c <= w)
		return 1;
	w = w > slack ? w - slack : 1;
	return (c + w - 1) / w;
}

/*
 * Widen one column at a time where LEFT columns save the most lines of
 * the table (a row is as tall as its tallest cell), and then of cells,
 * for each column spent, while that saves any; returns what is left.  An
 * approximate height (cell_lines) keeps it cheap, and past TABLE_FIT_WORK steps
 * the rest is left to table_fit's sharing.
 */
static size_t
table_fit_lines(struct table *t, size_t left)
{
	uint32_t *top = t->cellw + t->rows * t->cols, *second = top + t->rows;
	uint32_t *arg = second + t->rows;
	size_t r, j, v, lim, h, cur, cost, best, best_w, best_saved, work = 0;

	while (left > 0 && t->cellw != NULL) {
		cost = t->rows * t->cols;
		for (j = 0; j < t->cols; j++)
			cost += t->rows * (t->nat[j] - t->colw[j] < left
			                       ? t->nat[j] - t->colw[j]
			                       : left);
		if ((work += cost) > TABLE_FIT_WORK)
			break;
		cur = 0;
		for (r = 0; r < t->rows; r++) {
			top[r] = second[r] = arg[r] = 0;
			for (j = 0; j < t->cols; j++) {
				h = cell_lines(t, r, j, t->colw[j]);
				if (h > top[r]) {
					second[r] = top[r];
					top[r] = (uint32_t)h;
					arg[r] = (uint32_t)j;
				} else if (h > second[r]) {
					second[r] = (uint32_t)h;
				}
			}
			cur += top[r];
		}
		best = SIZE_MAX;
		best_w = best_saved = 0;
		for (j = 0; j < t->cols; j++) {
			size_t now = 0;

			for (r = 0; r < t->rows; r++)
				now += cell_lines(t, r, j, t->colw[j]);
			lim = t->colw[j] + left < t->nat[j] ? t->colw[j] + left
			                                    : t->nat[j];
			for (v = t->colw[j] + 1; v <= lim; v++) {
				size_t saved;
				size_t cells = now;

				for (h = 0, r = 0; r < t->rows; r++) {
					size_t other =
					    arg[r] == j ? second[r] : top[r];
					size_t mine = cell_lines(t, r, j, v);

					h += mine > other ? mine : other;
					cells -= mine;
				}
				/* A line of the table is worth a line of every
				 * cell; cells alone lead to lines that need two
				 * columns widened. */
				saved = (cur - h) * t->cols + cells;
				/* saved / cost above the best's; costs > 0 */
				if (saved > 0 &&
				    (best == SIZE_MAX ||
				     saved * (best_w - t->colw[best]) >
				         best_saved * (v - t->colw[j]))) {
					best = j;
					best_w = v;
					best_saved = saved;
				}
			}
		}
		if (best == SIZE_MAX)
			break;
		left -= best_w - t->colw[best];
		t->colw[best] = best_w;
	}
	return left;
}

/* Share LEFT columns out in proportion to how much wider each column
 * would like to be; what rounding leaves goes to them from the left. */
static void
table_fit_share(struct table *t, size_t left)
{
	size_t j, want = 0, given = 0;

	for (j = 0; j < t->cols; j++)
		want += t->nat[j] - t->colw[j];
	for (j = 0; j < t->cols && want > 0; j++) {
		size_t more =
		    (size_t)((double)left * (double)(t->nat[j] - t->colw[j]) /
		             (double)want);

		t->colw[j] += more;
		given += more;
	}
	for (j = 0; j < t->cols && given < left; j++) {
		if (t->colw[j] < t->nat[j]) {
			t->colw[j]++;
			given++;
		}
	}
}

static void table_layout_row(struct render *r, struct table *t,
                             const struct rt_line *l, int measure);

/* Lines of the table laid out at the current widths. */
static size_t
table_height(struct render *r, struct table *t)
{
	struct cursor cur = t->start;
	struct rt_line l;
	size_t row, j, h = 0;

	for (row = 0; row < t->rows && r->status == AWN_OK; row++) {
		size_t most = 1;

		if (!cursor_next(&cur, &l))
			break; /* fewer lines than t->rows: never */
		table_layout_row(r, t, &l, 0);
		for (j = 0; j < t->cols; j++) {
			const struct buf *b = &t->cell[j];
			size_t i, n = 0;

			for (i = 0; i < b->len; i++)
				n += b->data[i] == '\n';
			if (n > most)
				most = n;
		}
		h += most;
	}
	return h;
}

/*
 * Fit the columns into AVAIL columns.  When every column can keep its
 * widest word, each gets that much and the room left is shared out in
 * proportion to how much wider each would like to be, so a column of
 * long sentences gets more than one of short words.  But a column a
 * share short of its text wraps every row: table_fit_lines places the
 * room where it saves lines instead, and of the two layouts the table
 * takes the shorter (the shared one when they tie).  When the widest
 * words do not fit, table_fit_capped.
 */
static void
table_fit(struct render *r, struct table *t, size_t avail)
{
	size_t seps = TABLE_SEP_WIDTH * (t->cols - 1);
	size_t budget = avail > seps ? avail - seps : 0;
	size_t j, need = 0, want = 0, n = t->cols * sizeof *t->colw, lines;
	size_t least[TABLE_MAX_COLS], shared[TABLE_MAX_COLS];

	for (j = 0; j < t->cols; j++) {
		t->colw[j] = t->word[j] < t->nat[j] ? t->word[j] : t->nat[j];
		need += t->colw[j];
		want += t->nat[j] - t->colw[j];
	}
	if (need + want <= budget || need >= budget) {
		table_fit_capped(t, budget);
		return;
	}
	memcpy(least, t->colw, n);
	table_fit_share(t, budget - need);
	if (t->cellw == NULL)
		return;
	memcpy(shared, t->colw, n);
	memcpy(t->colw, least, n);
	table_fit_share(t, table_fit_lines(t, budget - need));
	if (memcmp(shared, t->colw, n) == 0)
		return;
	lines = table_height(r, t);
	memcpy(least, t->colw, n); /* now the other layout */
	memcpy(t->colw, shared, n);
	if (table_height(r, t) > lines)
		memcpy(t->colw, least, n);
}

/* Take the next laid-out line of column J, without its newline. */
static void
table_take_line(struct table *t, size_t j, const char **s, size_t *n)
{
	struct buf *b = &t->cell[j];
	size_t at = t->cell_at[j];
	const char *nl;

	*s = b->data ? b->data + at : "";
	*n = 0;
	if (b->data == NULL || at >= b->len)
		return;
	nl = memchr(b->data + at, '\n', b->len - at);
	*n = nl ? (size_t)(nl - *s) : b->len - at;
	t->cell_at[j] = at + *n + (nl != NULL);
}

static int
table_cells_left(const struct table *t)
{
	size_t j;

	for (j = 0; j < t->cols; j++)
		if (t->cell_at[j] < t->cell[j].len)
			return 1;
	return 0;
}

/* The table's flow is verbatim: each table line is one break away. */
static void
table_line(struct flow *f, const struct buf *line, int *first_line)
{
	if (!*first_line)
		flow_break(f, f->first, f->first_len);
	*first_line = 0;
	flow_raw(f, line->data, line->len);
}

/* Set the lines of the laid-out row side by side, padded to columns. */
static void
table_emit_row(struct render *r, struct table *t, struct flow *f,
               int *first_line)
{
	struct buf *line = &r->scratch;
	const char *s;
	size_t j, n, w;

	memset(t->cell_at, 0, sizeof t->cell_at);
	do {
		buf_reset(line);
		for (j = 0; j < t->cols; j++) {
			if (j > 0)
				sink_put(r, line, TABLE_SEP, TABLE_SEP_WIDTH);
			table_take_line(t, j, &s, &n);
			sink_put(r, line, s, n);
			w = visible_width(s, n);
			if (w < t->colw[j])
				sink_spaces(r, line, t->colw[j] - w);
		}
		while (line->len > 0 && line->data[line->len - 1] == ' ')
			line->len--;
		table_line(f, line, first_line);
	} while (table_cells_left(t) && r->status == AWN_OK);
}

static void
table_emit_header_rule(struct render *r, struct table *t, struct flow *f,
                       int *first_line)
{
	const char *dash = styled(r) ? "\xE2\x94\x80" : "-"; /* ─ */
	size_t j, k;

	buf_reset(&r->scratch);
	for (j = 0; j < t->cols; j++) {
		if (j > 0)
			sink_put(r, &r->scratch, TABLE_SEP, TABLE_SEP_WIDTH);
		for (k = 0; k < t->colw[j]; k++)
			sink_put(r, &r->scratch, dash, strlen(dash));
	}
	table_line(f, &r->scratch, first_line);
}

static void
table_emit(struct render *r, struct table *t, const struct rt_line *first)
{
	struct cursor cur = t->start;
	struct rt_line l, next;
	struct flow f;
	size_t row;
	int first_line = 1;

	flow_begin(&f, r, &r->out, FLOW_VERBATIM, SIZE_MAX, 0);
	flow_prefix(&f, first->prefix, first->prefix_len,
	            list_track(r, first->prefix, first->prefix_len), 0);
	for (row = 0; row < t->rows && r->status == AWN_OK; row++) {
		if (!cursor_next(&cur, &l))
			break; /* fewer lines than t->rows: never */
		table_layout_row(r, t, &l, 0);
		table_emit_row(r, t, &f, &first_line);
		/* A rule closes the header, however many rows it has. */
		if (l.kind == RT_THEAD &&
		    (row + 1 == t->rows ||
		     cursor_peek(&cur, &next) != RT_THEAD))
			table_emit_header_rule(r, t, &f, &first_line);
	}
	flow_finish(&f);
}

/* Past a cap, each row is shown on one line as plain text shows it. */
static void
table_emit_plain_rows(struct render *r, struct table *t)
{
	struct cursor cur = t->start;
	struct rt_line l;
	size_t row;

	for (row = 0; row < t->rows && r->status == AWN_OK; row++) {
		struct flow f;
		struct scan sc;

		if (!cursor_next(&cur, &l))
			break; /* fewer lines than t->rows: never */
		flow_begin(&f, r, &r->out, FLOW_VERBATIM, SIZE_MAX,
		           row_style(l.kind));
		flow_prefix(&f, l.prefix, l.prefix_len,
		            list_track(r, l.prefix, l.prefix_len), 0);
		scan_init(&sc, &f);
		scan_text(&sc, l.content, l.content_len);
		scan_finish(&sc);
		flow_finish(&f);
	}
}

static size_t
table_avail(struct render *r, const struct rt_line *first)
{
	struct flow probe;

	/* A flow that writes nothing, only to measure the prefix. */
	flow_begin(&probe, r, &r->scratch, FLOW_VERBATIM, SIZE_MAX, 0);
	flow_prefix(&probe, first->prefix, first->prefix_len, 0, 0);
	return text_avail(r->width, probe.first_w);
}

/*
 * Render the table whose first row FIRST started at byte AT of the text
 * and was just read from CUR; CUR is left after the table.
 */
static void
render_table(struct render *r, const struct rt_line *first, struct cursor *cur,
             size_t at)
{
	struct table *t;
	size_t j;

	if ((t = alloc_calloc(1, sizeof *t)) == NULL) {
		render_fail(r, AWN_ERR_NOMEM);
		return;
	}
	for (j = 0; j < TABLE_MAX_COLS; j++)
		buf_init(&t->cell[j], CELL_BUF_MAX);
	t->start = *cur;
	t->start.pos = at;
	if (!table_find_group(t, first, cur)) {
		table_emit_plain_rows(r, t);
	} else {
		size_t avail = 0;

		if ((r->flags & AWN_RENDER_WRAP) &&
		    t->rows * t->cols <= TABLE_FIT_CELLS &&
		    (t->cellw = alloc_calloc((t->cols + 3) * t->rows,
		                             sizeof *t->cellw)) == NULL)
			render_fail(r, AWN_ERR_NOMEM);
		if (r->flags & AWN_RENDER_WRAP)
			avail = table_avail(r, first);
		table_natural_widths(r, t);
		if (r->flags & AWN_RENDER_WRAP)
			table_fit(r, t, avail);
		else
			memcpy(t->colw, t->nat, sizeof t->colw);
		table_emit(r, t, first);
	}
	for (j = 0; j < TABLE_MAX_COLS; j++)
		buf_free(&t->cell[j]);
	alloc_free(t->cellw);
	alloc_free(t);
}

/* ---- Entry points --------------------------------------------------- */

/* Plain text is defined in one place, richtext.c, for the regex search too. */
static void
render_plain_line(struct render *r, const char *line, size_t n)
{
	awn_status st = richtext_plain_line(line, n, &r->out);

	if (st != AWN_OK) {
		render_fail(r, st);
		return;
	}
	sink_put(r, &r->out, "\n", 1);
}

static void
render_references(struct render *r)
{
	size_t i;

	if (r->refs.n == 0)
		return;
	r->blank_pending = 1;
	r->blank_quotes_len = 0;
	for (i = 0; i < r->refs.n && r->status == AWN_OK; i++) {
		const struct ref *e = &r->refs.ref[i];
		struct flow f;
		char num[32];

		snprintf(num, sizeof num, "[%zu] ", i + 1);
		flow_begin(&f, r, &r->out, FLOW_VERBATIM, SIZE_MAX, 0);
		flow_text(&f, num, strlen(num));
		flow_text(&f, r->refs.urls.data + e->off, e->len);
		flow_finish(&f);
	}
}

static void
render_terminal(struct render *r, struct cursor *cur)
{
	struct rt_line l;
	size_t at = cur->pos;

	for (; r->status == AWN_OK && cursor_next(cur, &l); at = cur->pos) {
		switch (l.kind) {
		case RT_BLANK:
			r->blank_pending = r->started;
			r->blank_quotes = l.prefix;
			r->blank_quotes_len = l.prefix_len;
			break;
		case RT_CODE:
			render_code(r, &l);
			break;
		case RT_RULE:
			render_rule(r, &l);
			break;
		case RT_THEAD:
		case RT_TROW:
			render_table(r, &l, cur, at);
			break;
		default:
			if (RT_IS_HEADING(l.kind))
				render_heading_flow(r, l.prefix, l.prefix_len,
				                    l.content, l.content_len,
				                    (unsigned)(l.kind - '0'),
				                    NULL);
			else
				render_paragraph(r, &l, cur);
			break;
		}
	}
	if (r->status == AWN_OK)
		render_references(r);
}

awn_status
render_text(const char *text, size_t len, const struct render_opts *o,
            awn_write_fn write, void *ctx)
{
	struct cursor cur = {text, text ? len : 0, 0};
	struct render r;
	struct rt_line l;
	awn_status st;

	render_init(&r, o, write, ctx);
	if (r.flags == 0) {
		size_t at = 0;

		while (r.status == AWN_OK && cursor_next(&cur, &l)) {
			render_plain_line(
			    &r, text + at,
			    (size_t)(l.body + l.body_len - (text + at)));
			at = cur.pos;
		}
	} else {
		render_terminal(&r, &cur);
	}
	render_flush(&r);
	st = r.status;
	render_free(&r);
	return st;
}

/* A line of its own (a path, a listing entry, a line -e found): wrapped
 * at OPTS' width with AWN_RENDER_WRAP, later lines indented MORE. */
struct one_line {
	struct render_opts o;
	struct render r;
	struct flow f;
};

static void
one_line_begin(struct one_line *l, unsigned more, const awn_render_opts *opts,
               awn_write_fn write, void *ctx)
{
	memset(&l->o, 0, sizeof(l->o));
	l->o.flags = opts ? opts->flags : 0;
	l->o.width = opts ? opts->width : 0;
	render_init(&l->r, &l->o, write, ctx);
	l->r.no_refs = 1;
	flow_begin(&l->f, &l->r, &l->r.out,
	           l->r.flags & AWN_RENDER_WRAP ? FLOW_WRAP : FLOW_VERBATIM,
	           l->r.flags & AWN_RENDER_WRAP ? l->r.width : SIZE_MAX, 0);
	flow_prefix(&l->f, "", 0, 0, more);
	l->f.unglue = more > 0;
}

static awn_status
one_line_finish(struct one_line *l)
{
	awn_status st;

	flow_finish(&l->f);
	render_flush(&l->r);
	st = l->r.status;
	render_free(&l->r);
	return st;
}

/* Printable ASCII as it is, spaces and all, in inline style STYLE (or
 * none: IN_COUNT): not words to wrap. */
static void
one_line_lead(struct one_line *l, const char *lead, unsigned style)
{
	struct flow *f = &l->f;

	if (style < IN_COUNT)
		flow_apply_code(f, (unsigned char)(1 + 2 * style));
	for (; lead && *lead && l->r.status == AWN_OK; lead++)
		if (*lead == ' ')
			flow_emit_spaces(f, 1);
		else if (*lead > ' ' && *lead < 0x7F)
			flow_emit_glyph(f, lead, 1, 1);
	if (style < IN_COUNT)
		flow_apply_code(f, (unsigned char)(2 + 2 * style));
}

/* The path P/PN in inline style STYLE (IN_COUNT: none). */
static void
one_line_path(struct one_line *l, const char *p, size_t pn, unsigned style)
{
	if (style < IN_COUNT)
		flow_inline(&l->f, style, 1);
	flow_path(&l->f, p ? p : "", p ? pn : 0);
	if (style < IN_COUNT)
		flow_inline(&l->f, style, 0);
}

awn_status
awn_render_line(const char *lead, const char *text, size_t len, unsigned more,
                int bold, const awn_render_opts *opts, awn_write_fn write,
                void *ctx)
{
	struct one_line l;

	one_line_begin(&l, more, opts, write, ctx);
	one_line_lead(&l, lead, IN_COUNT);
	one_line_path(&l, text, len, bold ? IN_BOLD : IN_COUNT);
	return one_line_finish(&l);
}

awn_status
awn_render_entry(const char *lead, const char *path, size_t path_len,
                 const char *summary, size_t summary_len, unsigned more,
                 const awn_render_opts *opts, awn_write_fn write, void *ctx)
{
	struct one_line l;

	one_line_begin(&l, more, opts, write, ctx);
	one_line_lead(&l, lead, IN_COUNT);
	one_line_path(&l, path, path_len, IN_BOLD);
	if (summary != NULL && summary_len > 0) {
		/* The dash stays with the path, as a path's '>' stays with
		 * the title before it: at a line's start it reads as a list
		 * item. */
		flow_glued_space(&l.f);
		flow_text(&l.f, "-", 1);
		flow_space(&l.f, 0);
		flow_text(&l.f, summary, summary_len);
	}
	return one_line_finish(&l);
}

awn_status
awn_render_grep_path(const char *path, size_t path_len, const char *tail,
                     unsigned more, const awn_render_opts *opts,
                     awn_write_fn write, void *ctx)
{
	struct one_line l;

	one_line_begin(&l, more, opts, write, ctx);
	one_line_path(&l, path, path_len, IN_GREP_PATH);
	if (tail != NULL) /* part of the last title's word: never alone */
		flow_text(&l.f, tail, strlen(tail));
	return one_line_finish(&l);
}

/*
 * Columns of the blanks TEXT/LEN starts with, from column COL, and of a
 * list item's marker after them ("* ", "- ", "+ ", "12. ", "3) ") with
 * its blanks: where a wrapped item's text goes on.
 */
static size_t
leading_blanks(const char *text, size_t len, size_t col)
{
	size_t i = 0, w = col, digits = 0, mark = 0;

	for (;;) {
		for (; i < len && (text[i] == ' ' || text[i] == '\t'); i++)
			w += text[i] == ' ' ? 1 : tab_width(w);
		if (mark++ > 0 || i >= len)
			break;
		while (i + digits < len && digits < 9 &&
		       text[i + digits] >= '0' && text[i + digits] <= '9')
			digits++;
		if (digits > 0 && i + digits < len &&
		    (text[i + digits] == '.' || text[i + digits] == ')'))
			digits++;
		else if (digits > 0 ||
		         (text[i] != '*' && text[i] != '-' && text[i] != '+'))
			break;
		else
			digits = 1;
		if (i + digits >= len || text[i + digits] != ' ')
			break;
		i += digits;
		w += digits;
	}
	return w - col;
}

awn_status
awn_render_grep_line(uint32_t number, char mark, const char *text, size_t len,
                     const awn_grep_match *m, size_t n,
                     const awn_render_opts *opts, awn_write_fn write, void *ctx)
{
	struct one_line l;
	char lead[16];
	size_t at = 0, i, more, lead_w;

	if (text == NULL)
		len = 0;
	lead_w =
	    (size_t)snprintf(lead, sizeof lead, "%lu", (unsigned long)number);
	/* Later lines start under the text, past its own indentation (a
	 * list item's), unless that leaves less than half the line. */
	more = lead_w + 1 + leading_blanks(text, len, lead_w + 1);
	if (opts && (opts->flags & AWN_RENDER_WRAP)) {
		size_t width = opts->width ? opts->width : DEFAULT_WIDTH;

		if (more > width / 2)
			more = lead_w + 1 <= width / 2 ? lead_w + 1 : 0;
	}
	one_line_begin(&l, (unsigned)more, opts, write, ctx);
	l.f.unglue = 0;
	l.f.keep_blanks = 1;
	one_line_lead(&l, lead, IN_GREP_NUMBER);
	if (mark > ' ' && mark < 0x7F)
		flow_emit_glyph(&l.f, &mark, 1, 1);
	for (i = 0; i < n && l.r.status == AWN_OK; i++) {
		size_t start = m[i].start, end = m[i].end;

		if (start < at || end < start || end > len)
			break; /* not the library's matches: shown plain */
		flow_text(&l.f, text + at, start - at);
		flow_inline(&l.f, IN_GREP_MATCH, 1);
		flow_text(&l.f, text + start, end - start);
		flow_inline(&l.f, IN_GREP_MATCH, 0);
		at = end;
	}
	flow_text(&l.f, text + at, len - at);
	return one_line_finish(&l);
}

awn_status
render_heading(const char *text, size_t len, unsigned level, const char *label,
               const struct render_opts *o, awn_write_fn write, void *ctx)
{
	struct render r;
	awn_status st;

	if (text == NULL)
		len = 0;
	if (label == NULL)
		label = "";
	render_init(&r, o, write, ctx);
	r.no_refs = 1; /* there is no room for a reference list after it */
	if (r.flags == 0) {
		struct flow f;
		struct scan sc;

		flow_begin(&f, &r, &r.out, FLOW_VERBATIM, SIZE_MAX, 0);
		if (*label) {
			flow_text(&f, label, strlen(label));
			flow_text(&f, " ", 1);
		}
		scan_init(&sc, &f);
		scan_text(&sc, text ? text : "", len);
		scan_finish(&sc);
		flow_finish(&f);
	} else {
		render_heading_flow(&r, "", 0, text ? text : "", len,
		                    level ? level : 1, label);
	}
	render_flush(&r);
	st = r.status;
	render_free(&r);
	return st;
}
