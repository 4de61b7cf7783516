/*
 * builder.c - awn_builder: Markdown documents in, blob out.
 *
 * Sections stream in from the Markdown reader; their text is packed into
 * blocks that are compressed as soon as they fill (textblocks.c, in a
 * second thread if asked), and their terms go into an inverted index:
 * term hash -> varint posting list.
 *
 * With a spill directory, memory stays near a budget: past it, the
 * posting lists so far are written to a temporary file as one run
 * sorted by term (anchors likewise), and the other growing tables
 * move to files.  A term's posting
 * list is the concatenation of its pieces in every run, in order, so
 * the merge at the end writes the same bytes as an all-in-memory build.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "alloc.h"
#include "blob-format.h"
#include "blob-read.h"
#include "blob-write.h"
#include "buf.h"
#include "dict.h"
#include "error.h"
#include "fuzzy.h"
#include "markdown.h"
#include "prefilter.h"
#include "richtext.h"
#include "spill.h"
#include "textblocks.h"
#include "token.h"

#define MAX_INPUT_FILES 1000000
/* Smaller runs (of postings or anchors) would cost more in merging
 * than they save in memory. */
#define POST_BUDGET_MIN (256u * 1024)
/* More runs than this are merged into one while building. */
#define MAX_RUNS  16
#define MAX_DEPTH 7 /* heading levels 0-6 */

struct bsection {
	uint32_t parent, end, doc, level;
	uint32_t title_off, title_len, anchor_off, anchor_len;
	uint32_t block, text_off, text_len, tokens;
	uint32_t anchor_key; /* the anchor's copy in b->anchor_text */
};

struct bterm {
	uint32_t str_off, len; /* in b->termchars */
	uint32_t df;
	uint32_t last_section; /* section whose hits are being counted */
	uint32_t tf, flags;    /* counts for last_section */
	uint32_t prev_section; /* last section written to the postings */
	uint64_t post_len;     /* of the whole list: runs + POST */
	struct buf post;       /* the list since the last run */
};

struct run {
	uint64_t start, end; /* in b->runs */
};

/* An ANCHORS record, sorted by anchor when the blob is written; KEY is
 * where the anchor's bytes are in b->anchor_text (STRINGS may be on
 * file by then). */
struct banchor {
	uint32_t off, len, section, key;
};

struct awn_builder {
	struct spill strings; /* STRINGS table */
	struct spill docs;    /* DOCS table */
	struct spill secrecs; /* SECTIONS table: records of closed documents */
	struct bsection *sec; /* sections from sec_base on: still open */
	size_t nsec, capsec, sec_base;
	struct banchor *anchor;
	size_t nanchor, capanchor;
	struct buf anchor_text;
	struct spill anchor_runs; /* sorted runs of anchors, when spilling */
	struct run *arun;
	size_t narun, caparun;
	size_t table_budget; /* memory for docs and secrecs before a file */

	struct buf block;     /* raw text of the block being filled */
	struct textblocks tb; /* TEXT, BLOCKS, BLOCK_GRAMS */
	uint32_t nblocks;     /* blocks handed to tb */
	uint32_t block_first; /* first section of the block being filled */

	struct bterm *term;
	size_t nterm, capterm;
	uint32_t *hash; /* open addressing: term index + 1, 0 = empty */
	size_t hashcap;
	struct buf termchars;
	uint32_t *touched; /* terms seen in the current section */
	size_t ntouched, captouched;

	/* Spilling (awn_builder_set_limits): runs of postings. */
	char *spill_dir;    /* NULL: everything stays in memory */
	size_t post_budget; /* bytes of posting buffers before a run */
	size_t post_mem;    /* bytes of posting buffers now */
	struct spill runs;
	struct run *run;
	size_t nrun, caprun;

	struct buf scratch; /* plain text of a section, for tokenizing */
	uint64_t total_tokens;

	/* Per document: open ancestors by level, for parents and paths. */
	uint32_t doc, doc_first;
	uint32_t open[MAX_DEPTH];
	const char *name;
	awn_error *err;
};

awn_status
awn_builder_new(awn_builder **out, awn_error *err)
{
	awn_builder *b = alloc_calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	spill_init(&b->strings);
	buf_init(&b->anchor_text, UINT32_MAX);
	spill_init(&b->anchor_runs);
	spill_init(&b->docs);
	spill_init(&b->secrecs);
	buf_init(&b->block, BLOB_BLOCK_MAX);
	textblocks_init(&b->tb, 0, NULL, 0);
	buf_init(&b->termchars, UINT32_MAX);
	buf_init(&b->scratch, 0);
	spill_init(&b->runs);
	*out = b;
	return AWN_OK;
}

awn_status
awn_builder_set_limits(awn_builder *b, int threads, size_t memory,
                       const char *tmpdir, awn_error *err)
{
	if (b == NULL || b->nsec > 0 || b->doc > 0)
		return error_set(err, AWN_ERR_ARG,
		                 "limits must be set before adding notes");
	alloc_free(b->spill_dir);
	b->spill_dir = NULL;
	if (tmpdir &&
	    (b->spill_dir = alloc_strndup(tmpdir, strlen(tmpdir))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	/* Half for postings, a quarter for text; the rest is the term
	 * hash, sections and strings, which grow more slowly. */
	b->post_budget =
	    memory / 2 > POST_BUDGET_MIN ? memory / 2 : POST_BUDGET_MIN;
	b->table_budget = memory / 8;
	b->tb.threaded = threads > 1;
	b->tb.spill_dir = b->spill_dir;
	b->tb.budget = memory / 4;
	return AWN_OK;
}

void
awn_builder_free(awn_builder *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nterm; i++)
		buf_free(&b->term[i].post);
	alloc_free(b->term);
	alloc_free(b->hash);
	alloc_free(b->touched);
	alloc_free(b->sec);
	alloc_free(b->anchor);
	spill_free(&b->strings);
	buf_free(&b->anchor_text);
	spill_free(&b->anchor_runs);
	alloc_free(b->arun);
	spill_free(&b->docs);
	spill_free(&b->secrecs);
	buf_free(&b->block);
	textblocks_free(&b->tb);
	buf_free(&b->termchars);
	buf_free(&b->scratch);
	spill_free(&b->runs);
	alloc_free(b->run);
	alloc_free(b->spill_dir);
	alloc_free(b);
}

static awn_status
add_string(awn_builder *b, const char *s, size_t n, uint32_t *off)
{
	if (n > UINT32_MAX - b->strings.len)
		return AWN_ERR_LIMIT; /* offsets are 32-bit */
	*off = (uint32_t)b->strings.len;
	return spill_add(&b->strings, s, n, b->err);
}

/* ---- the term dictionary ---------------------------------------------- */

static uint32_t
hash_term(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static awn_status
grow_hash(awn_builder *b)
{
	size_t cap = b->hashcap ? b->hashcap * 2 : 1024, i, j;
	uint32_t *h = alloc_calloc(cap, sizeof(*h));

	if (h == NULL)
		return AWN_ERR_NOMEM;
	for (i = 0; i < b->nterm; i++) {
		struct bterm *t = &b->term[i];
		j = hash_term(b->termchars.data + t->str_off, t->len) &
		    (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = (uint32_t)i + 1;
	}
	alloc_free(b->hash);
	b->hash = h;
	b->hashcap = cap;
	return AWN_OK;
}

/* Index of term S/N, created if new; UINT32_MAX on allocation failure. */
static uint32_t
term_id(awn_builder *b, const char *s, size_t n)
{
	struct bterm *t;
	size_t j;

	if (b->nterm * 2 >= b->hashcap && grow_hash(b) != AWN_OK)
		return UINT32_MAX;
	j = hash_term(s, n) & (b->hashcap - 1);
	while (b->hash[j]) {
		t = &b->term[b->hash[j] - 1];
		if (t->len == n &&
		    memcmp(b->termchars.data + t->str_off, s, n) == 0)
			return b->hash[j] - 1;
		j = (j + 1) & (b->hashcap - 1);
	}
	if (b->nterm == b->capterm) {
		size_t cap = b->capterm ? b->capterm * 2 : 1024;
		void *p = alloc_reallocarray(b->term, cap, sizeof(*b->term));
		if (p == NULL)
			return UINT32_MAX;
		b->term = p;
		b->capterm = cap;
	}
	t = &b->term[b->nterm];
	memset(t, 0, sizeof(*t));
	t->str_off = (uint32_t)b->termchars.len;
	t->len = (uint32_t)n;
	t->last_section = t->prev_section = UINT32_MAX;
	buf_init(&t->post, 0);
	if (buf_add(&b->termchars, s, n) != AWN_OK)
		return UINT32_MAX;
	b->hash[j] = (uint32_t)b->nterm + 1;
	return (uint32_t)b->nterm++;
}

struct hit_ctx {
	awn_builder *b;
	uint32_t section;
	uint32_t flags; /* 0 for body text, else POST_IN_* */
	uint32_t words; /* whole words counted (section length) */
};

static awn_status
count_term(void *vctx, const struct token *tok)
{
	struct hit_ctx *c = vctx;
	awn_builder *b = c->b;
	uint32_t id = term_id(b, tok->term, tok->len);
	struct bterm *t;

	if (id == UINT32_MAX)
		return AWN_ERR_NOMEM;
	t = &b->term[id];
	if (t->last_section != c->section) {
		if (b->ntouched == b->captouched) {
			size_t cap = b->captouched ? b->captouched * 2 : 256;
			void *p = alloc_reallocarray(b->touched, cap,
			                             sizeof(*b->touched));
			if (p == NULL)
				return AWN_ERR_NOMEM;
			b->touched = p;
			b->captouched = cap;
		}
		b->touched[b->ntouched++] = id;
		t->last_section = c->section;
		t->tf = t->flags = 0;
	}
	if (c->flags)
		t->flags |= c->flags;
	else if (t->tf < UINT32_MAX >> POST_FLAG_BITS)
		t->tf++;
	if (tok->kind == TOKEN_WORD && !c->flags)
		c->words++;
	return AWN_OK;
}

static awn_status write_run(awn_builder *b);

/* LEB128 varint V at P (blob_put_varint's encoding); its length. */
static size_t
varint_encode(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}
static awn_status compact_runs(awn_builder *b);

/* Append one posting for every term the current section touched. */
static awn_status
flush_postings(awn_builder *b, uint32_t section)
{
	awn_status st;
	size_t i, len, cap;

	for (i = 0; i < b->ntouched; i++) {
		struct bterm *t = &b->term[b->touched[i]];
		uint32_t delta = t->prev_section == UINT32_MAX
		                     ? section
		                     : section - t->prev_section;
		unsigned char enc[20]; /* two varints, one append */
		size_t k = varint_encode(enc, delta);
		k += varint_encode(
		    enc + k, ((uint64_t)t->tf << POST_FLAG_BITS) | t->flags);
		len = t->post.len;
		cap = t->post.cap;
		if ((st = buf_add(&t->post, enc, k)) != AWN_OK)
			return st;
		t->post_len += t->post.len - len;
		b->post_mem += t->post.cap - cap;
		t->prev_section = section;
		t->df++;
	}
	b->ntouched = 0;
	if (b->spill_dir && b->post_mem > b->post_budget)
		return write_run(b);
	return AWN_OK;
}

/* ---- blocks ----------------------------------------------------------- */

/* Hand the filled block to textblocks; the next one starts empty. */
static awn_status
flush_block(awn_builder *b, awn_error *err)
{
	awn_status st;

	if (b->block.len == 0)
		return AWN_OK;
	if ((st = textblocks_add(&b->tb, &b->block, b->block_first, err)))
		return st;
	b->nblocks++;
	b->block_first = (uint32_t)b->nsec;
	return AWN_OK;
}

/* ---- sections ----------------------------------------------------------- */

static awn_status
add_section(void *vctx, const struct md_section *ms)
{
	awn_builder *b = vctx;
	struct hit_ctx hc = {b, (uint32_t)b->nsec, 0, 0};
	struct bsection *s;
	const char *title = ms->title;
	size_t title_len = ms->title_len, body;
	unsigned lv;
	awn_status st;

	if (b->nsec >= UINT32_MAX - 1)
		return error_set(b->err, AWN_ERR_LIMIT, "%s: too many sections",
		                 b->name);
	if (b->nsec - b->sec_base == b->capsec) {
		size_t cap = b->capsec ? b->capsec * 2 : 256;
		void *p = alloc_reallocarray(b->sec, cap, sizeof(*b->sec));
		if (p == NULL)
			return AWN_ERR_NOMEM;
		b->sec = p;
		b->capsec = cap;
	}
	s = &b->sec[b->nsec - b->sec_base];
	memset(s, 0, sizeof(*s));
	s->level = ms->level > 6 ? 6 : ms->level;
	s->doc = b->doc;
	s->end = (uint32_t)b->nsec + 1;
	if (s->level == 0) { /* a preamble is titled by its document */
		title = b->name;
		title_len = strlen(b->name);
	}
	/* Parent: nearest open section of a smaller level. */
	s->parent = AWN_NONE;
	for (lv = s->level; lv-- > 1;)
		if (b->open[lv] != AWN_NONE) {
			s->parent = b->open[lv];
			break;
		}
	if (s->level > 0) {
		b->open[s->level] = (uint32_t)b->nsec;
		for (lv = s->level + 1; lv < MAX_DEPTH; lv++)
			b->open[lv] = AWN_NONE;
	}
	if ((st = add_string(b, title, title_len, &s->title_off)) ||
	    (st = add_string(b, ms->anchor, ms->anchor_len, &s->anchor_off)))
		return st;
	s->title_len = (uint32_t)title_len;
	s->anchor_len = (uint32_t)ms->anchor_len;
	s->anchor_key = (uint32_t)b->anchor_text.len;
	if ((st = buf_add(&b->anchor_text, ms->anchor, ms->anchor_len)))
		return st;

	/* Text goes into the current block, whole. */
	if (ms->text_len > BLOB_BLOCK_MAX)
		return error_set(
		    b->err, AWN_ERR_LIMIT,
		    "%s: section \"%.60s\" is larger than %u bytes", b->name,
		    title, BLOB_BLOCK_MAX);
	if (b->block.len > 0 &&
	    b->block.len + ms->text_len > BLOB_BLOCK_TARGET &&
	    (st = flush_block(b, b->err)))
		return st;
	s->block = b->nblocks;
	s->text_off = (uint32_t)b->block.len;
	s->text_len = (uint32_t)ms->text_len;
	if ((st = buf_add(&b->block, ms->text, ms->text_len)))
		return st;

	/* Terms: body (after the heading line), own title, ancestors. */
	body = 0;
	if (s->level > 0) {
		const char *nl = memchr(ms->text, '\n', ms->text_len);
		body = nl ? (size_t)(nl - ms->text) + 1 : ms->text_len;
	}
	if ((st = richtext_words(ms->text + body, ms->text_len - body,
	                         &b->scratch)) ||
	    (st = token_scan(b->scratch.data, b->scratch.len, count_term, &hc)))
		return st;
	s->tokens = hc.words;
	b->total_tokens += hc.words;
	hc.flags = POST_IN_TITLE;
	if ((st = token_scan(title, title_len, count_term, &hc)))
		return st;
	/* Ancestors' titles are not posted: the ranker finds them through
	 * the ancestors' own title postings, which keeps the index small. */
	b->nsec++;
	return flush_postings(b, hc.section);
}

/* Section I (global number), which must still be open. */
static struct bsection *
open_section(awn_builder *b, uint32_t i)
{
	return &b->sec[i - b->sec_base];
}

/* Each section's subtree ends where a section of its level or above starts. */
static void
close_document(awn_builder *b)
{
	uint32_t stack[MAX_DEPTH + 1], n = 0, i;

	for (i = b->doc_first; i < b->nsec; i++) {
		struct bsection *s = open_section(b, i);
		while (n > 0 &&
		       open_section(b, stack[n - 1])->level >= s->level &&
		       s->level > 0)
			open_section(b, stack[--n])->end = i;
		if (s->level == 0) {
			s->end = i + 1;
			continue;
		}
		stack[n++] = i;
	}
	while (n > 0)
		open_section(b, stack[--n])->end = (uint32_t)b->nsec;
}

static awn_status
add_anchor(awn_builder *b, const struct bsection *s, uint32_t id)
{
	if (b->nanchor == b->capanchor) {
		size_t cap = b->capanchor ? b->capanchor * 2 : 256;
		void *p =
		    alloc_reallocarray(b->anchor, cap, sizeof(*b->anchor));
		if (p == NULL)
			return AWN_ERR_NOMEM;
		b->anchor = p;
		b->capanchor = cap;
	}
	b->anchor[b->nanchor].off = s->anchor_off;
	b->anchor[b->nanchor].len = s->anchor_len;
	b->anchor[b->nanchor].section = id;
	b->anchor[b->nanchor].key = s->anchor_key;
	b->nanchor++;
	return AWN_OK;
}

/* N little-endian u32s F into P. */
static void
put_le32s(unsigned char *p, const uint32_t *f, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++, p += 4) {
		p[0] = (unsigned char)f[k];
		p[1] = (unsigned char)(f[k] >> 8);
		p[2] = (unsigned char)(f[k] >> 16);
		p[3] = (unsigned char)(f[k] >> 24);
	}
}

/* A spill past its share of the budget moves to a file. */
static awn_status
bound_table(awn_builder *b, struct spill *s)
{
	if (b->spill_dir == NULL || spill_memory(s) <= b->table_budget)
		return AWN_OK;
	return spill_to_file(s, b->spill_dir, b->err);
}

static awn_status write_anchor_run(awn_builder *b);

/*
 * Closed sections are final: their SECTIONS records go out and only
 * their anchors stay, for sorting at the end (in runs past the budget).
 */
static awn_status
retire_sections(awn_builder *b)
{
	unsigned char rec[BLOB_SECTION_SIZE];
	awn_status st = AWN_OK;
	size_t i;

	for (i = b->sec_base; i < b->nsec && !st; i++) {
		const struct bsection *s = open_section(b, (uint32_t)i);
		uint32_t f[12] = {s->parent,     s->end,        s->doc,
		                  s->level,      s->title_off,  s->title_len,
		                  s->anchor_off, s->anchor_len, s->block,
		                  s->text_off,   s->text_len,   s->tokens};
		put_le32s(rec, f, 12);
		if (s->anchor_len > 0 && (st = add_anchor(b, s, (uint32_t)i)))
			break;
		st = spill_add(&b->secrecs, rec, sizeof(rec), b->err);
	}
	if (!st)
		st = bound_table(b, &b->secrecs);
	b->sec_base = b->nsec;
	/* No open section refers to anchor_text now: it may go in a run. */
	if (!st && b->spill_dir &&
	    b->nanchor * sizeof(*b->anchor) + b->anchor_text.len >
	        (b->table_budget > POST_BUDGET_MIN ? b->table_budget
	                                           : POST_BUDGET_MIN))
		st = write_anchor_run(b);
	return st;
}

static awn_status
add_doc(awn_builder *b, const char *name, uint32_t name_off)
{
	uint32_t f[4] = {name_off, (uint32_t)strlen(name), b->doc_first,
	                 (uint32_t)b->nsec - b->doc_first};
	unsigned char rec[BLOB_DOC_SIZE];
	awn_status st;

	put_le32s(rec, f, 4);
	if ((st = spill_add(&b->docs, rec, sizeof(rec), b->err)) ||
	    (st = bound_table(b, &b->strings)))
		return st;
	return bound_table(b, &b->docs);
}

awn_status
awn_builder_add_markdown(awn_builder *b, const char *name, const char *data,
                         size_t len, awn_error *err)
{
	awn_status st;
	uint32_t name_off;
	size_t i;

	if (b == NULL || name == NULL || (data == NULL && len > 0))
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	b->doc_first = (uint32_t)b->nsec;
	b->name = name;
	b->err = err;
	if (err)
		err->detail[0] = '\0';
	for (i = 0; i < MAX_DEPTH; i++)
		b->open[i] = AWN_NONE;
	st = markdown_read(data ? data : "", len, add_section, b, err);
	if (st == AWN_OK) {
		close_document(b);
		if (!(st = add_string(b, name, strlen(name), &name_off)) &&
		    !(st = add_doc(b, name, name_off)))
			st = retire_sections(b);
	}
	b->err = NULL;
	if (st == AWN_OK) {
		b->doc++;
		return AWN_OK;
	}
	if (err == NULL || err->detail[0] == '\0' || err->status != st)
		error_set(err, st, "%s: %s", name, awn_strerror(st));
	return st;
}

/* ---- reading files ------------------------------------------------------ */

static awn_status
read_file(const char *path, struct buf *out, awn_error *err)
{
	char chunk[65536];
	ssize_t n;
	int fd;
	awn_status st = AWN_OK;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	buf_init(out, MARKDOWN_MAX_SIZE);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
			break;
		}
		if (n == 0)
			break;
		if ((st = buf_add(out, chunk, (size_t)n)) != AWN_OK) {
			if (st == AWN_ERR_LIMIT)
				error_set(err, AWN_ERR_INPUT,
				          "%s: larger than %zu MiB", path,
				          MARKDOWN_MAX_SIZE >> 20),
				    st = AWN_ERR_INPUT;
			else
				error_set(err, st, "%s: %s", path,
				          awn_strerror(st));
			break;
		}
	}
	close(fd);
	if (st)
		buf_free(out);
	return st;
}

/* A NUL in the first 8 KiB is the classic sign of a non-text file. */
static int
looks_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < 8192 ? len : 8192) != NULL;
}

static awn_status
add_file(awn_builder *b, const char *path, const char *name, awn_error *err)
{
	struct buf data, nm;
	awn_status st;
	size_t n = strlen(name);

	if ((st = read_file(path, &data, err)))
		return st;
	if (looks_binary(data.data ? data.data : "", data.len)) {
		buf_free(&data);
		return error_set(err, AWN_ERR_INPUT,
		                 "%s: binary file, not Markdown", path);
	}
	buf_init(&nm, 0);
	if (n > 3 && strcmp(name + n - 3, ".md") == 0)
		n -= 3;
	else if (n > 9 && strcmp(name + n - 9, ".markdown") == 0)
		n -= 9;
	st = buf_add(&nm, name, n);
	if (!st)
		st = awn_builder_add_markdown(b, buf_cstr(&nm), data.data,
		                              data.len, err);
	else
		error_set(err, st, "%s: %s", path, awn_strerror(st));
	if (st && err && strstr(err->detail, path) == NULL && err->detail[0] &&
	    strncmp(err->detail, nm.data, nm.len) != 0) {
		char tmp[sizeof(err->detail)];
		memcpy(tmp, err->detail, sizeof(tmp));
		error_set(err, st, "%s: %s", path, tmp);
	}
	buf_free(&nm);
	buf_free(&data);
	return st;
}

static int
is_markdown_name(const char *s)
{
	size_t n = strlen(s);

	return (n > 3 && strcmp(s + n - 3, ".md") == 0) ||
	       (n > 9 && strcmp(s + n - 9, ".markdown") == 0);
}

/* DIR/NAME into the empty buffer OUT (no printf: two a file add up). */
static awn_status
join_path(struct buf *out, const char *dir, const char *name)
{
	awn_status st;

	if ((st = buf_adds(out, dir)) || (st = buf_addc(out, '/')))
		return st;
	return buf_adds(out, name);
}

struct entry {
	char *name;
	unsigned char type; /* readdir's d_type: DT_UNKNOWN means ask lstat */
};

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	              ((const struct entry *)b)->name);
}

/* DT_DIR, DT_REG or something to skip; readdir's guess when it has one,
 * which saves an lstat a file.  Links inside the tree are not followed
 * (like grep -r): they would repeat files or loop. */
static unsigned char
entry_type(const struct entry *e, const char *path)
{
	struct stat sb;

	if (e->type != DT_UNKNOWN)
		return e->type;
	if (lstat(path, &sb) < 0)
		return DT_UNKNOWN; /* vanished since readdir: skip it */
	return S_ISDIR(sb.st_mode) ? DT_DIR : S_ISREG(sb.st_mode) ? DT_REG : 0;
}

/* Whether PATH, listed by readdir, has gone since (not worth failing a
 * build over, like a file gone before it was looked at). */
static int
vanished(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) < 0 && errno == ENOENT;
}

/* Add every Markdown file below DIR; REL is DIR relative to the root. */
static awn_status
add_dir(awn_builder *b, const char *dir, const char *rel, int depth,
        awn_error *err)
{
	struct entry *names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	awn_status st = AWN_OK;
	DIR *d;

	if (depth > 64)
		return error_set(err, AWN_ERR_LIMIT,
		                 "%s: directories nested too deeply", dir);
	if ((d = opendir(dir)) == NULL)
		return error_errno(err, AWN_ERR_IO, errno, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* hidden files, ".", ".." */
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			void *p = alloc_reallocarray(names, nc, sizeof(*names));
			if (p == NULL) {
				st = AWN_ERR_NOMEM;
				break;
			}
			names = p;
			cap = nc;
		}
		if ((names[n].name = alloc_strndup(
		         de->d_name, strlen(de->d_name))) == NULL) {
			st = AWN_ERR_NOMEM;
			break;
		}
		names[n++].type = de->d_type;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && st == AWN_OK; i++) {
		struct buf path, r;
		unsigned char type;

		buf_init(&path, 0);
		buf_init(&r, 0);
		if (join_path(&path, dir, names[i].name) ||
		    (*rel ? join_path(&r, rel, names[i].name)
		          : buf_adds(&r, names[i].name))) {
			st = AWN_ERR_NOMEM;
		} else if ((type = entry_type(&names[i], buf_cstr(&path))) ==
		           DT_DIR) {
			st =
			    add_dir(b, path.data, buf_cstr(&r), depth + 1, err);
		} else if (type == DT_REG && is_markdown_name(names[i].name)) {
			st = add_file(b, path.data, buf_cstr(&r), err);
			if (st == AWN_ERR_IO && vanished(path.data)) {
				st = AWN_OK;
				if (err)
					err->status = AWN_OK,
					err->detail[0] = '\0';
			}
		}
		buf_free(&path);
		buf_free(&r);
	}
	for (i = 0; i < n; i++)
		alloc_free(names[i].name);
	alloc_free(names);
	if (st == AWN_ERR_NOMEM && (err == NULL || err->status != st))
		error_set(err, st, "%s: out of memory", dir);
	return st;
}

awn_status
awn_builder_add_path(awn_builder *b, const char *path, awn_error *err)
{
	struct stat sb;
	const char *base;
	uint32_t before;
	awn_status st;

	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	if (stat(path, &sb) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if (S_ISDIR(sb.st_mode)) {
		before = b->doc;
		if ((st = add_dir(b, path, "", 0, err)) == AWN_OK &&
		    b->doc == before)
			st = error_set(err, AWN_ERR_INPUT,
			               "%s: no Markdown files (*.md, "
			               "*.markdown) in this directory",
			               path);
		return st;
	}
	base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	return add_file(b, path, base, err);
}

/* ---- writing ------------------------------------------------------------ */

static const awn_builder *sort_builder; /* qsort has no context argument */

static int
compare_terms(const awn_builder *b, uint32_t x, uint32_t y)
{
	const struct bterm *a = &b->term[x], *c = &b->term[y];
	const char *s = b->termchars.data;
	size_t n = a->len < c->len ? a->len : c->len;
	int r = memcmp(s + a->str_off, s + c->str_off, n);

	return r ? r : (a->len > c->len) - (a->len < c->len);
}

static int
cmp_terms(const void *pa, const void *pb)
{
	return compare_terms(sort_builder, *(const uint32_t *)pa,
	                     *(const uint32_t *)pb);
}

static int
cmp_anchors(const void *pa, const void *pb)
{
	const struct banchor *a = pa, *c = pb;
	const char *s = sort_builder->anchor_text.data;
	size_t n = a->len < c->len ? a->len : c->len;
	int r = memcmp(s + a->key, s + c->key, n);

	if (r == 0)
		r = (a->len > c->len) - (a->len < c->len);
	if (r == 0)
		r = (a->section > c->section) - (a->section < c->section);
	return r;
}

/* ---- posting runs ------------------------------------------------------ */

/*
 * A run is the posting pieces of every term that has one, sorted by
 * term: varint term index, varint length, the bytes.  Writing it frees
 * the pieces.
 */
static awn_status
write_run(awn_builder *b)
{
	unsigned char head[20];
	uint32_t *ids;
	size_t i, n = 0, h;
	uint64_t start = b->runs.len;
	awn_status st = AWN_OK;

	if ((ids = alloc_reallocarray(NULL, b->nterm ? b->nterm : 1,
	                              sizeof(*ids))) == NULL)
		return error_set(b->err, AWN_ERR_NOMEM, "out of memory");
	for (i = 0; i < b->nterm; i++)
		if (b->term[i].post.len > 0)
			ids[n++] = (uint32_t)i;
	sort_builder = b;
	qsort(ids, n, sizeof(*ids), cmp_terms);
	sort_builder = NULL;
	if (b->nrun == b->caprun) {
		size_t cap = b->caprun ? b->caprun * 2 : 16;
		void *p = alloc_reallocarray(b->run, cap, sizeof(*b->run));
		if (p == NULL) {
			st = error_set(b->err, AWN_ERR_NOMEM, "out of memory");
			goto out;
		}
		b->run = p;
		b->caprun = cap;
	}
	if ((st = spill_to_file(&b->runs, b->spill_dir, b->err)))
		goto out;
	for (i = 0; i < n && !st; i++) {
		struct bterm *t = &b->term[ids[i]];
		h = varint_encode(head, ids[i]);
		h += varint_encode(head + h, t->post.len);
		if (!(st = spill_add(&b->runs, head, h, b->err)))
			st = spill_add(&b->runs, t->post.data, t->post.len,
			               b->err);
		buf_free(&t->post);
	}
	if (!st)
		st = spill_flush(&b->runs, b->err);
	b->run[b->nrun].start = start;
	b->run[b->nrun].end = b->runs.len;
	b->nrun++;
	b->post_mem = 0;
	if (!st && b->nrun == MAX_RUNS)
		st = compact_runs(b);
out:
	alloc_free(ids);
	return st;
}

#define CURSOR_BUF (64u * 1024)

/* Reads one run back, a term's piece at a time. */
struct run_cursor {
	const struct spill *src;
	uint64_t at, end; /* what is left to read of the run */
	unsigned char *buf;
	size_t pos, len; /* unread bytes: buf[pos..len) */
	int live;        /* ID and N describe the next piece */
	uint64_t id, n;
};

static awn_status
corrupt_run(awn_error *err)
{
	return error_set(err, AWN_ERR_IO,
	                 "temporary file of postings: read back wrong");
}

/* Make at least WANT bytes readable, if the run has them. */
static awn_status
cursor_fill(struct run_cursor *c, size_t want, awn_error *err)
{
	size_t n;
	awn_status st;

	if (c->len - c->pos >= want || c->at == c->end)
		return AWN_OK;
	memmove(c->buf, c->buf + c->pos, c->len - c->pos);
	c->len -= c->pos;
	c->pos = 0;
	n = CURSOR_BUF - c->len;
	if (n > c->end - c->at)
		n = (size_t)(c->end - c->at);
	if ((st = spill_read(c->src, c->at, c->buf + c->len, n, err)))
		return st;
	c->at += n;
	c->len += n;
	return AWN_OK;
}

static awn_status
cursor_next(struct run_cursor *c, awn_error *err)
{
	const unsigned char *p, *end;
	awn_status st;

	c->live = 0;
	if ((st = cursor_fill(c, 20, err)))
		return st;
	if (c->pos == c->len)
		return AWN_OK; /* the run is done */
	p = c->buf + c->pos;
	end = c->buf + c->len;
	if (blob_varint(&p, end, &c->id) < 0 || blob_varint(&p, end, &c->n) < 0)
		return corrupt_run(err);
	c->pos = (size_t)(p - c->buf);
	c->live = 1;
	return AWN_OK;
}

typedef awn_status (*sink_fn)(void *arg, const unsigned char *p, size_t n,
                              awn_error *err);

/* Hand the next N bytes of C's run to FN, a buffer at a time. */
static awn_status
cursor_pass(struct run_cursor *c, uint64_t n, sink_fn fn, void *arg,
            awn_error *err)
{
	size_t k;
	awn_status st;

	while (n > 0) {
		if ((st = cursor_fill(c, 1, err)))
			return st;
		if (c->pos == c->len)
			return corrupt_run(err);
		k = c->len - c->pos < n ? c->len - c->pos : (size_t)n;
		if ((st = fn(arg, c->buf + c->pos, k, err)))
			return st;
		c->pos += k;
		n -= k;
	}
	return AWN_OK;
}

static awn_status
to_spill(void *arg, const unsigned char *p, size_t n, awn_error *err)
{
	return spill_add(arg, p, n, err);
}

static awn_status
to_buf(void *arg, const unsigned char *p, size_t n, awn_error *err)
{
	awn_status st = buf_add(arg, p, n);

	return st ? error_set(err, st, "anchors: %s", awn_strerror(st)) : st;
}

/* Append the piece at C to OUT and move to the next. */
static awn_status
cursor_copy(struct run_cursor *c, struct spill *out, awn_error *err)
{
	awn_status st = cursor_pass(c, c->n, to_spill, out, err);

	return st ? st : cursor_next(c, err);
}

static void
cursors_free(struct run_cursor *c, size_t n)
{
	size_t i;

	for (i = 0; c && i < n; i++)
		alloc_free(c[i].buf);
	alloc_free(c);
}

/* A cursor at the start of every run: *OUT, freed with cursors_free. */
static awn_status
open_cursors(awn_builder *b, struct run_cursor **out, awn_error *err)
{
	struct run_cursor *c;
	awn_status st = AWN_OK;
	size_t r;

	*out = NULL;
	if (b->nrun == 0)
		return AWN_OK;
	if ((c = alloc_calloc(b->nrun, sizeof(*c))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	*out = c;
	for (r = 0; r < b->nrun && !st; r++) {
		c[r].src = &b->runs;
		c[r].at = b->run[r].start;
		c[r].end = b->run[r].end;
		if ((c[r].buf = alloc_malloc(CURSOR_BUF)) == NULL)
			st = error_set(err, AWN_ERR_NOMEM, "out of memory");
		else
			st = cursor_next(&c[r], err);
	}
	return st;
}

/* The live cursor whose term sorts first, or NULL when all are done. */
static struct run_cursor *
first_cursor(awn_builder *b, struct run_cursor *c)
{
	struct run_cursor *min = NULL;
	size_t r;

	for (r = 0; r < b->nrun; r++)
		if (c[r].live &&
		    (min == NULL || compare_terms(b, (uint32_t)c[r].id,
		                                  (uint32_t)min->id) < 0))
			min = &c[r];
	return min;
}

/* The runs in RUNS (list RUN, *NRUN long) become the one run MERGED
 * holds (MERGED is left empty); the old file goes. */
static void
take_merged(struct spill *runs, struct run *run, size_t *nrun,
            struct spill *merged)
{
	spill_free(runs);
	*runs = *merged;
	spill_init(merged);
	run[0].start = 0;
	run[0].end = runs->len;
	*nrun = 1;
}

/*
 * Merge every run into one, so a long build never holds more than
 * MAX_RUNS cursors (and merges in one pass at the end).
 */
static awn_status
compact_runs(awn_builder *b)
{
	unsigned char head[20];
	struct run_cursor *c = NULL, *min;
	struct spill merged;
	uint64_t len;
	uint32_t id;
	size_t r, h, nrun = b->nrun;
	awn_status st;

	spill_init(&merged);
	if ((st = spill_to_file(&merged, b->spill_dir, b->err)) ||
	    (st = open_cursors(b, &c, b->err)))
		goto out;
	while (!st && (min = first_cursor(b, c)) != NULL) {
		for (id = (uint32_t)min->id, len = 0, r = 0; r < b->nrun; r++)
			if (c[r].live && c[r].id == id)
				len += c[r].n;
		h = varint_encode(head, id);
		h += varint_encode(head + h, len);
		st = spill_add(&merged, head, h, b->err);
		for (r = 0; r < b->nrun && !st; r++)
			if (c[r].live && c[r].id == id)
				st = cursor_copy(&c[r], &merged, b->err);
	}
	if (!st && (st = spill_flush(&merged, b->err)) == AWN_OK)
		take_merged(&b->runs, b->run, &b->nrun, &merged);
out:
	cursors_free(c, nrun);
	spill_free(&merged);
	return st;
}

/*
 * The POSTINGS table in term order ORDER: each term's pieces from the
 * runs, oldest first, then what is still in memory.
 */
static awn_status
merge_postings(awn_builder *b, const uint32_t *order, struct spill *out,
               struct dict_writer *dw, awn_error *err)
{
	struct run_cursor *c = NULL;
	size_t i, r;
	awn_status st = AWN_OK;

	if (b->nrun > 0 && !(st = spill_to_file(out, b->spill_dir, err)))
		st = open_cursors(b, &c, err);
	for (i = 0; i < b->nterm && !st; i++) {
		const struct bterm *tm = &b->term[order[i]];
		uint64_t before = out->len;
		for (r = 0; r < b->nrun && !st; r++)
			if (c[r].live && c[r].id == order[i])
				st = cursor_copy(&c[r], out, err);
		if (!st && tm->post_len > UINT32_MAX)
			st = error_set(err, AWN_ERR_LIMIT,
			               "a posting list is larger than 4 GiB");
		if (!st)
			st = spill_add(out, tm->post.data, tm->post.len, err);
		if (!st && out->len - before != tm->post_len)
			st = corrupt_run(err);
		if (!st && (st = dict_writer_add(
		                dw, b->termchars.data + tm->str_off, tm->len,
		                tm->df, (uint32_t)tm->post_len)))
			error_set(err, st, "term dictionary: %s",
			          awn_strerror(st));
	}
	for (r = 0; r < b->nrun && !st; r++)
		if (c[r].live) /* every piece belongs to some term */
			st = corrupt_run(err);
	cursors_free(c, b->nrun);
	return st ? st : spill_flush(out, err);
}

/* ---- anchor runs ----------------------------------------------------- */

/*
 * Past the budget, anchors go out like postings: a run is the anchors so
 * far, sorted, each as varint STRINGS offset, varint section, varint
 * length, the bytes.  At the end the runs are merged into ANCHORS.
 */

/* Where the next run goes; grows the run list. */
static awn_status
new_anchor_run(awn_builder *b, struct run **r)
{
	if (b->narun == b->caparun) {
		size_t cap = b->caparun ? b->caparun * 2 : 16;
		void *p = alloc_reallocarray(b->arun, cap, sizeof(*b->arun));
		if (p == NULL)
			return error_set(b->err, AWN_ERR_NOMEM,
			                 "out of memory");
		b->arun = p;
		b->caparun = cap;
	}
	*r = &b->arun[b->narun];
	(*r)->start = b->anchor_runs.len;
	return spill_to_file(&b->anchor_runs, b->spill_dir, b->err);
}

static awn_status
put_anchor(struct spill *out, uint64_t off, uint64_t section, const char *key,
           size_t len, awn_error *err)
{
	unsigned char head[30];
	size_t h = varint_encode(head, off);
	awn_status st;

	h += varint_encode(head + h, section);
	h += varint_encode(head + h, len);
	if ((st = spill_add(out, head, h, err)))
		return st;
	return spill_add(out, key, len, err);
}

static awn_status compact_anchor_runs(awn_builder *b);

static awn_status
write_anchor_run(awn_builder *b)
{
	struct run *r = NULL;
	awn_status st;
	size_t i;

	if (b->nanchor == 0)
		return AWN_OK;
	if ((st = new_anchor_run(b, &r)))
		return st;
	sort_builder = b;
	qsort(b->anchor, b->nanchor, sizeof(*b->anchor), cmp_anchors);
	sort_builder = NULL;
	for (i = 0; i < b->nanchor && !st; i++)
		st = put_anchor(&b->anchor_runs, b->anchor[i].off,
		                b->anchor[i].section,
		                b->anchor_text.data + b->anchor[i].key,
		                b->anchor[i].len, b->err);
	if (!st)
		st = spill_flush(&b->anchor_runs, b->err);
	r->end = b->anchor_runs.len;
	b->narun++;
	b->nanchor = 0;
	buf_reset(&b->anchor_text);
	if (!st && b->narun == MAX_RUNS)
		st = compact_anchor_runs(b);
	return st;
}

/* A cursor over one anchor run: the current anchor in KEY, OFF, SECTION. */
struct anchor_cursor {
	struct run_cursor rc;
	struct buf key;
	uint64_t off, section;
};

static awn_status
anchor_next(struct anchor_cursor *a, awn_error *err)
{
	struct run_cursor *c = &a->rc;
	const unsigned char *p, *end;
	uint64_t len;
	awn_status st;

	c->live = 0;
	if ((st = cursor_fill(c, 30, err)))
		return st;
	if (c->pos == c->len)
		return AWN_OK;
	p = c->buf + c->pos;
	end = c->buf + c->len;
	if (blob_varint(&p, end, &a->off) < 0 ||
	    blob_varint(&p, end, &a->section) < 0 ||
	    blob_varint(&p, end, &len) < 0 || len > UINT32_MAX)
		return corrupt_run(err);
	c->pos = (size_t)(p - c->buf);
	buf_reset(&a->key);
	if ((st = cursor_pass(c, len, to_buf, &a->key, err)))
		return st;
	c->live = 1;
	return AWN_OK;
}

/* Anchor order (cmp_anchors) between two cursors' current anchors. */
static int
anchor_before(const struct anchor_cursor *a, const struct anchor_cursor *c)
{
	size_t n = a->key.len < c->key.len ? a->key.len : c->key.len;
	int r = n ? memcmp(a->key.data, c->key.data, n) : 0;

	if (r == 0)
		r = (a->key.len > c->key.len) - (a->key.len < c->key.len);
	if (r == 0)
		r = (a->section > c->section) - (a->section < c->section);
	return r < 0;
}

/*
 * Merge every anchor run into OUT: as one run (TABLE 0), or as ANCHORS
 * records (TABLE 1).
 */
static awn_status
merge_anchor_runs(awn_builder *b, struct spill *out, int table, awn_error *err)
{
	struct anchor_cursor *a, *min;
	size_t r, n = b->narun;
	awn_status st = AWN_OK;

	if ((a = alloc_calloc(n ? n : 1, sizeof(*a))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (r = 0; r < n && !st; r++) {
		buf_init(&a[r].key, UINT32_MAX);
		a[r].rc.src = &b->anchor_runs;
		a[r].rc.at = b->arun[r].start;
		a[r].rc.end = b->arun[r].end;
		if ((a[r].rc.buf = alloc_malloc(CURSOR_BUF)) == NULL)
			st = error_set(err, AWN_ERR_NOMEM, "out of memory");
		else
			st = anchor_next(&a[r], err);
	}
	while (!st) {
		for (min = NULL, r = 0; r < n; r++)
			if (a[r].rc.live &&
			    (min == NULL || anchor_before(&a[r], min)))
				min = &a[r];
		if (min == NULL)
			break;
		if (table) {
			unsigned char rec[BLOB_ANCHOR_SIZE];
			uint32_t f[3] = {(uint32_t)min->off,
			                 (uint32_t)min->key.len,
			                 (uint32_t)min->section};
			put_le32s(rec, f, 3);
			st = spill_add(out, rec, sizeof(rec), err);
		} else {
			st = put_anchor(out, min->off, min->section,
			                min->key.data, min->key.len, err);
		}
		if (!st)
			st = anchor_next(min, err);
	}
	for (r = 0; r < n; r++) {
		alloc_free(a[r].rc.buf);
		buf_free(&a[r].key);
	}
	alloc_free(a);
	return st ? st : spill_flush(out, err);
}

static awn_status
compact_anchor_runs(awn_builder *b)
{
	struct spill merged;
	awn_status st;

	spill_init(&merged);
	if (!(st = spill_to_file(&merged, b->spill_dir, b->err)) &&
	    !(st = merge_anchor_runs(b, &merged, 0, b->err)))
		take_merged(&b->anchor_runs, b->arun, &b->narun, &merged);
	spill_free(&merged);
	return st;
}

/* The ANCHORS table into OUT: from the runs if there are any. */
static awn_status
write_anchors(awn_builder *b, struct spill *out, awn_error *err)
{
	awn_status st = AWN_OK;
	size_t i;

	if (b->narun > 0) {
		if ((st = write_anchor_run(b)) ||
		    (st = spill_to_file(out, b->spill_dir, err)))
			return st;
		return merge_anchor_runs(b, out, 1, err);
	}
	if (b->nanchor > 1) /* qsort wants an array, even of none */
		qsort(b->anchor, b->nanchor, sizeof(*b->anchor), cmp_anchors);
	for (i = 0; i < b->nanchor && !st; i++) {
		unsigned char rec[BLOB_ANCHOR_SIZE];
		uint32_t f[3] = {b->anchor[i].off, b->anchor[i].len,
		                 b->anchor[i].section};
		put_le32s(rec, f, 3);
		st = spill_add(out, rec, sizeof(rec), err);
	}
	return st ? st : spill_flush(out, err);
}

/* ---- the tables ---------------------------------------------------------- */

struct tables {
	struct buf terms, term_blocks, grams;
	struct spill anchors;
	struct spill postings;
	uint32_t *order;
};

static void
tables_free(struct tables *t)
{
	buf_free(&t->terms);
	buf_free(&t->term_blocks);
	spill_free(&t->postings);
	spill_free(&t->anchors);
	buf_free(&t->grams);
	alloc_free(t->order);
}

static const char *
sorted_term(void *ctx, uint32_t i, size_t *len)
{
	const struct tables *t = ctx;
	const struct bterm *tm = &sort_builder->term[t->order[i]];

	*len = tm->len;
	return sort_builder->termchars.data + tm->str_off;
}

static awn_status
build_tables(awn_builder *b, struct tables *t, awn_error *err)
{
	struct dict_writer dw;
	awn_status st = AWN_OK;
	size_t i;

	buf_init(&t->terms, 0);
	buf_init(&t->term_blocks, 0);
	spill_init(&t->postings);
	spill_init(&t->anchors);
	buf_init(&t->grams, 0);
	b->err = err; /* for the spills */
	if ((st = flush_block(b, err)) ||
	    (st = textblocks_finish(&b->tb, err)) ||
	    (st = retire_sections(b)) || /* of a document that failed */
	    (st = spill_flush(&b->secrecs, err)) ||
	    (st = spill_flush(&b->docs, err)) ||
	    (st = spill_flush(&b->strings, err)))
		goto out;
	if ((t->order = alloc_reallocarray(NULL, b->nterm ? b->nterm : 1,
	                                   sizeof(uint32_t))) == NULL) {
		st = AWN_ERR_NOMEM;
		goto out;
	}

	/* Terms, sorted, front-coded; posting lists in the same order. */
	for (i = 0; i < b->nterm; i++)
		t->order[i] = (uint32_t)i;
	sort_builder = b;
	qsort(t->order, b->nterm, sizeof(uint32_t), cmp_terms);
	dict_writer_init(&dw, &t->terms, &t->term_blocks);
	st = merge_postings(b, t->order, &t->postings, &dw, err);

	if (!st)
		st = fuzzy_write_grams((uint32_t)b->nterm, sorted_term, t,
		                       &t->grams);

	/* Anchors, sorted for binary search. */
	if (!st)
		st = write_anchors(b, &t->anchors, err);
	sort_builder = NULL;
out:
	b->err = NULL;
	return st;
}

static awn_status
read_spill(void *ctx, uint64_t off, void *p, size_t n, awn_error *err)
{
	return spill_read(ctx, off, p, n, err);
}

/* A table held by S, in memory or in its file. */
static struct blob_table
spill_table(uint32_t type, struct spill *s)
{
	struct blob_table t = {type, NULL, (size_t)s->len, read_spill, s};

	if (s->fd < 0)
		t.data = s->mem.data;
	return t;
}

static awn_status
write_blob(awn_builder *b, const char *path, void **data, size_t *len,
           awn_error *err)
{
	struct tables t;
	struct blob_counts c;
	awn_status st;

	memset(&t, 0, sizeof(t));
	if (err)
		err->status = AWN_OK, err->detail[0] = '\0';
	if ((st = build_tables(b, &t, err)) != AWN_OK) {
		tables_free(&t);
		if (err && err->status == st) /* said why already */
			return st;
		return error_set(err, st, "%s: %s", path ? path : "blob",
		                 awn_strerror(st));
	}
	{
		struct blob_table tab[] = {
		    spill_table(BT_STRINGS, &b->strings),
		    spill_table(BT_DOCS, &b->docs),
		    spill_table(BT_SECTIONS, &b->secrecs),
		    {BT_TERMS, t.terms.data, t.terms.len, NULL, NULL},
		    spill_table(BT_POSTINGS, &t.postings),
		    {BT_BLOCKS, b->tb.blocks.data, b->tb.blocks.len, NULL,
		     NULL},
		    spill_table(BT_ANCHORS, &t.anchors),
		    {BT_TERM_BLOCKS, t.term_blocks.data, t.term_blocks.len,
		     NULL, NULL},
		    {BT_TERM_GRAMS, t.grams.data, t.grams.len, NULL, NULL},
		    spill_table(BT_BLOCK_GRAMS, &b->tb.filters),
		    spill_table(BT_TEXT, &b->tb.text), /* last, awsnote(5) */
		};
		c.nsections = (uint32_t)b->nsec;
		c.ndocs = b->doc;
		c.nterms = (uint32_t)b->nterm;
		c.nblocks = b->nblocks;
		c.total_tokens = b->total_tokens;
		if (path)
			st = blob_write_file(path, &c, tab,
			                     sizeof(tab) / sizeof(tab[0]), err);
		else
			st = blob_write_memory(data, len, &c, tab,
			                       sizeof(tab) / sizeof(tab[0]),
			                       err);
	}
	tables_free(&t);
	return st;
}

awn_status
awn_builder_write_file(awn_builder *b, const char *path, awn_error *err)
{
	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return write_blob(b, path, NULL, NULL, err);
}

awn_status
awn_builder_write_memory(awn_builder *b, void **data, size_t *len,
                         awn_error *err)
{
	if (b == NULL || data == NULL || len == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return write_blob(b, NULL, data, len, err);
}
