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
 * sorted by term (the anchors likewise, sorted by anchor), and the
 * other tables move to files too.  A term's posting list is the
 * concatenation of its pieces in every run, in order, and anchors merge
 * into the order a sort of them all gives, so the merge at the end
 * writes the same bytes as an all-in-memory build.
 */
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
#include "builder.h"
#include "dict.h"
#include "error.h"
#include "fuzzy.h"
#include "hash.h"
#include "markdown.h"
#include "prefilter.h"
#include "richtext.h"
#include "spill.h"
#include "textblocks.h"
#include "token.h"
#include "walk.h"

#define MAX_INPUT_FILES 1000000
/* Smaller runs (of postings or anchors) would cost more in merging
 * than they save in memory. */
#define POST_BUDGET_MIN (256u * 1024)
/* More runs than this are merged into one while building. */
#define MAX_RUNS  16
#define MAX_DEPTH 7 /* heading levels 0-6 */
/* The file buffer is reused up to this capacity. */
#define FILE_KEEP_MAX (4u * 1024 * 1024)

struct bsection {
	uint32_t parent, end, doc, level;
	uint32_t title_off, title_len, anchor_off, anchor_len;
	uint32_t block, text_off, text_len, tokens;
	uint32_t anchor_key; /* the anchor's copy in b->anchor_text */
};

struct bterm {
	uint32_t str_off, len; /* in b->termchars */
	uint32_t df;
	uint32_t prev_section; /* last section written to the postings */
	uint64_t post_len;     /* of the whole list: runs + POST */
	struct buf post;       /* the list since the last run */
};

/* What counting a token reads and writes of its term, 16 bytes apart
 * from the rest: the terms are larger than the caches. */
struct tcount {
	uint64_t key;          /* first 8 bytes, zero-padded: all of a short
	                          term (terms hold no NUL) */
	uint32_t last_section; /* section whose hits are being counted */
	uint32_t w;            /* tf << POST_FLAG_BITS | flags, in it */
};

struct run {
	uint64_t start, end; /* in the file of its struct runs */
};

/* Sorted runs, of postings or of anchors, back to back in one file. */
struct runs {
	struct spill file;
	struct run *run;
	size_t n, cap;
};

/* An ANCHORS record, sorted by anchor for a run or the blob; KEY is
 * where the anchor's bytes are in b->anchor_text (STRINGS may be on
 * file by then). */
struct banchor {
	uint32_t off, len, section, key;
};

/* Closed sections and documents wait in spills as u32 records, the
 * fields of struct bsection and { name off, name len, first, count };
 * write_blob packs them (blob-format.h). */
/* The files and directories given to awn_builder_add_path, by device
 * and inode: open addressing, at most half full. */
struct path_id {
	dev_t dev;
	ino_t ino;
	int used;
};
struct path_set {
	struct path_id *slot;
	size_t n, cap;
};
#define ADDED_MAX ((size_t)1 << 24) /* slots: 8M paths, past any argv */

#define SECREC_SIZE 48
#define DOCREC_SIZE 16

/*
 * The hashes (blob_name_hash) of the fragments of links to other files
 * ("x.md#name"): the <a name>s HTML_NAMES keeps when the notes give more
 * than NAMES_ALL_MAX, as links to another file's names cannot be led
 * when their document is read.  Open addressing, at most half full; past
 * FRAGS_MAX slots no more are noted, and those links lead to the top of
 * their file.
 */
struct frag_set {
	uint64_t *slot; /* 0: empty */
	size_t n, cap;
};
#define FRAGS_MAX ((size_t)1 << 20)
/*
 * Notes with at most this many <a> names keep them all (48 KiB at most):
 * a link from other notes, compiled apart (two blobs, -f a.md -f b.md),
 * wants names this blob's own links do not.  Past it (a documentation
 * set: 77,601 on awsdocs+tldr), only the names some link here wants.
 */
#define NAMES_ALL_MAX 4096

struct awn_builder {
	awn_progress_fn *progress; /* awn_builder_on_progress's */
	void *progress_ctx;
	uint64_t files_read, bytes_read;
	int protect;           /* a file not to read, the output: */
	dev_t protect_dev;     /* ... its device */
	ino_t protect_ino;     /* ... and inode */
	struct path_set added; /* paths given, not to add twice */
	struct buf places;     /* where paths given lie: { u32 first doc,
	                        * u32 length, the real directory }s */
	char *place_of;        /* the last path's directory as given */
	size_t place_len;      /* the length of its real directory */
	int place_unknown;     /* a path whose directory realpath failed */
	struct buf suffixed;   /* SUFFIXES: u32 documents, ascending */
	/* ORIGINS (blob-format.h), whose parts stay in memory (a byte or
	 * two a section): the roots { u32 first doc, u32 length, the
	 * directory }, the last one's offset; the u32 doc << 1 | k of the
	 * files not NAME.md; the block offsets and the lines. */
	struct buf roots, odd_suffix, line_blocks, lines;
	size_t root_last;
	char *source_dir; /* awn_builder_set_source_dir's, or NULL */
	uint32_t last_line;
	int in_file;          /* awn_builder_add_markdown called by add_file */
	struct spill strings; /* STRINGS table */
	struct spill docs;    /* DOCS table */
	struct spill secrecs; /* SECTIONS table: records of closed documents */
	struct bsection *sec; /* sections from sec_base on: still open */
	size_t nsec, capsec, sec_base;
	struct banchor *anchor;
	size_t nanchor, capanchor;
	struct buf anchor_text;
	struct blob_packer anchor_k; /* has seen every anchor's section */
	struct runs anchor_runs;     /* anchors past their budget */
	struct spill html_names;     /* { u64 hash, u32 section }s */
	struct frag_set frags;       /* which of them links want */
	size_t table_budget; /* memory for docs and secrecs before a file */

	struct buf block;     /* raw text of the block being filled */
	struct textblocks tb; /* TEXT, BLOCKS, BLOCK_GRAMS */
	uint32_t nblocks;     /* blocks handed to tb */
	uint32_t block_first; /* first section of the block being filled */

	struct bterm *term;
	struct tcount *tc; /* by term, as term */
	size_t nterm, capterm;
	uint64_t *hash; /* open addressing: SLOT(hash, term index) */
	size_t hashcap;
	struct buf termchars;
	uint32_t *touched; /* terms seen in the current section */
	size_t ntouched, captouched;

	/* Spilling (awn_builder_set_limits): runs of postings. */
	char *spill_dir;    /* NULL: everything stays in memory */
	size_t post_budget; /* bytes of posting buffers before a run */
	size_t post_mem;    /* bytes of posting buffers now */
	struct runs runs;

	struct buf scratch; /* plain text of a section, for tokenizing */
	struct buf file;    /* the Markdown file being read */
	struct markdown_reader *reader; /* kept from file to file, or NULL */
	struct buf doc_name;            /* a file's name without .md */
	uint64_t total_tokens;

	/* Per document: open ancestors by level, for parents and paths. */
	uint32_t doc, doc_first;
	uint32_t open[MAX_DEPTH];
	const char *name;
	awn_error *err;
};

static void
runs_free(struct runs *rs)
{
	spill_free(&rs->file);
	alloc_free(rs->run);
}

awn_status
awn_builder_new(awn_builder **out, awn_error *err)
{
	awn_builder *b = alloc_calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	spill_init(&b->strings);
	buf_init(&b->anchor_text, UINT32_MAX);
	blob_packer_init(&b->anchor_k, ANCHOR_FIELDS);
	spill_init(&b->anchor_runs.file);
	spill_init(&b->docs);
	spill_init(&b->secrecs);
	spill_init(&b->html_names);
	buf_init(&b->block, BLOB_BLOCK_MAX);
	textblocks_init(&b->tb, 0, NULL, 0);
	buf_init(&b->termchars, UINT32_MAX);
	buf_init(&b->scratch, 0);
	buf_init(&b->file, 0);
	buf_init(&b->doc_name, 0);
	buf_init(&b->places, UINT32_MAX);
	buf_init(&b->suffixed, UINT32_MAX);
	buf_init(&b->roots, UINT32_MAX);
	buf_init(&b->odd_suffix, UINT32_MAX);
	buf_init(&b->line_blocks, UINT32_MAX);
	buf_init(&b->lines, UINT32_MAX);
	spill_init(&b->runs.file);
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
	alloc_free(b->tc);
	alloc_free(b->hash);
	alloc_free(b->touched);
	alloc_free(b->sec);
	alloc_free(b->anchor);
	spill_free(&b->strings);
	buf_free(&b->anchor_text);
	runs_free(&b->anchor_runs);
	spill_free(&b->docs);
	spill_free(&b->secrecs);
	spill_free(&b->html_names);
	alloc_free(b->frags.slot);
	buf_free(&b->block);
	textblocks_free(&b->tb);
	buf_free(&b->termchars);
	buf_free(&b->scratch);
	buf_free(&b->file);
	markdown_reader_free(b->reader);
	buf_free(&b->doc_name);
	alloc_free(b->added.slot);
	buf_free(&b->places);
	buf_free(&b->suffixed);
	buf_free(&b->roots);
	alloc_free(b->source_dir);
	buf_free(&b->odd_suffix);
	buf_free(&b->line_blocks);
	buf_free(&b->lines);
	alloc_free(b->place_of);
	runs_free(&b->runs);
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

/* Bytes S[0..N) as one or two words, overlapping, for hashing and
 * comparing terms without a loop or a call: most terms are short. */
static inline uint64_t
load_tail(const char *s, size_t n)
{
	uint32_t a, c;

	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&c, s + n - 4, 4);
		return (uint64_t)a << 32 | c;
	}
	if (n == 0)
		return 0;
	return (uint64_t)(unsigned char)s[0] << 16 |
	       (uint64_t)(unsigned char)s[n / 2] << 8 | (unsigned char)s[n - 1];
}

/* Hash of term S/N, zero-padded to a multiple of 8 bytes past N:
 * eight bytes at a time, one step for most terms. */
static uint32_t
hash_padded(const char *s, size_t n)
{
	uint64_t h = n * 0x9E3779B97F4A7C15u, w;
	size_t i = 0;

	for (;;) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDu;
		if ((i += 8) >= n)
			break;
		h ^= h >> 32;
	}
	h ^= h >> 29;
	h *= 0xC4CEB9FE1A85EC53u;
	return (uint32_t)(h >> 32);
}

/* Whether A and C, both N bytes, are equal. */
static int
same_term(const char *a, const char *c, size_t n)
{
	uint64_t x, y;

	for (; n > 8; a += 8, c += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, c, 8);
		if (x != y)
			return 0;
	}
	return load_tail(a, n) == load_tail(c, n);
}

/* A hash slot: the term's hash above its index + 1 (0 = empty), so that
 * a probe reads the term itself only when the hashes agree. */
#define SLOT(h, id) ((uint64_t)(h) << 32 | ((uint64_t)(id) + 1))

static awn_status
grow_hash(awn_builder *b)
{
	size_t cap = b->hashcap ? b->hashcap * 2 : 1024, i, j;
	uint64_t *h = alloc_calloc(cap, sizeof(*h));

	if (h == NULL)
		return AWN_ERR_NOMEM;
	for (i = 0; i < b->hashcap; i++) {
		if (b->hash[i] == 0)
			continue;
		j = (b->hash[i] >> 32) & (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = b->hash[i];
	}
	alloc_free(b->hash);
	b->hash = h;
	b->hashcap = cap;
	return AWN_OK;
}

/* A new term S/N with hash H and key KEY, in the empty hash slot J;
 * its index, or UINT32_MAX on allocation failure. */
static uint32_t
new_term(awn_builder *b, const char *s, size_t n, uint32_t h, uint64_t key,
         size_t j)
{
	struct bterm *t;

	if (b->nterm == b->capterm) {
		size_t cap = b->capterm ? b->capterm * 2 : 1024;
		void *p = alloc_reallocarray(b->term, cap, sizeof(*b->term));
		if (p == NULL)
			return UINT32_MAX;
		b->term = p;
		if ((p = alloc_reallocarray(b->tc, cap, sizeof(*b->tc))) ==
		    NULL)
			return UINT32_MAX;
		b->tc = p;
		b->capterm = cap;
	}
	t = &b->term[b->nterm];
	memset(t, 0, sizeof(*t));
	t->str_off = (uint32_t)b->termchars.len;
	t->len = (uint32_t)n;
	t->prev_section = UINT32_MAX;
	b->tc[b->nterm].key = key;
	b->tc[b->nterm].last_section = UINT32_MAX;
	b->tc[b->nterm].w = 0;
	buf_init(&t->post, 0);
	if (buf_add(&b->termchars, s, n) != AWN_OK)
		return UINT32_MAX;
	b->hash[j] = SLOT(h, b->nterm);
	/* Half full at most: the next probe has an empty slot to end at. */
	if (++b->nterm * 2 >= b->hashcap && grow_hash(b) != AWN_OK)
		return UINT32_MAX;
	return (uint32_t)(b->nterm - 1);
}

/*
 * Terms are counted in batches, in the order they come: the hash table
 * and the terms are larger than the caches, and their loads were most
 * of the counting's time.  A term's hash slot is fetched when the term
 * comes in, its counts a few terms before it is counted.
 */
#define BATCH 64
#define AHEAD 8 /* terms between fetching counts and counting */

struct pending {
	uint32_t hash, len;
	char term[TOKEN_MAX + 8]; /* zero-padded to a multiple of 8 bytes */
};

struct hit_ctx {
	awn_builder *b;
	uint32_t section;
	uint32_t flags; /* 0 for body text, else POST_IN_* */
	uint32_t words; /* whole words counted (section length) */
	unsigned n;     /* terms in the batch */
	struct pending batch[BATCH];
};

/*
 * The hash table and counts as count_batch reads them, in locals: a
 * count's stores could otherwise be the builder's fields, reloaded for
 * every term.  Valid until the next new term.
 */
struct term_table {
	const uint64_t *hash;
	size_t mask; /* hashcap - 1 */
	struct tcount *tc;
	uint32_t nterm;
};

static void
term_table_load(struct term_table *tt, const awn_builder *b)
{
	tt->hash = b->hash;
	tt->mask = b->hashcap - 1;
	tt->tc = b->tc;
	tt->nterm = (uint32_t)b->nterm;
}

/* Fetch the counts of the term that P's hash slot holds, if it is P's. */
static void
prefetch_counts(const struct term_table *tt, const struct pending *p)
{
	uint64_t slot = tt->hash[p->hash & tt->mask];

	if (slot >> 32 == p->hash && (uint32_t)slot - 1 < tt->nterm)
		__builtin_prefetch(&tt->tc[(uint32_t)slot - 1]);
}

/* Index of the term of P, KEY its first 8 bytes; if it is new, UINT32_MAX
 * and *SLOT its empty hash slot. */
static uint32_t
find_term(const awn_builder *b, const struct term_table *tt,
          const struct pending *p, uint64_t key, size_t *slot)
{
	uint32_t id;
	size_t j;

	for (j = p->hash & tt->mask; tt->hash[j]; j = (j + 1) & tt->mask) {
		if (tt->hash[j] >> 32 != p->hash)
			continue;
		id = (uint32_t)tt->hash[j] - 1;
		if (tt->tc[id].key != key)
			continue;
		if (p->len < 8) /* the key has a 0 where the term ends */
			return id;
		if (b->term[id].len == p->len &&
		    same_term(b->termchars.data + b->term[id].str_off, p->term,
		              p->len))
			return id;
	}
	*slot = j;
	return UINT32_MAX;
}

/* Count the batch's terms: before the flags change, and before the
 * section's postings are written. */
static awn_status
count_batch(struct hit_ctx *c)
{
	awn_builder *b = c->b;
	struct term_table tt;
	unsigned i, n = c->n;
	size_t ntouched = b->ntouched, j = 0;

	c->n = 0;
	term_table_load(&tt, b);
	for (i = 0; i < n && i < AHEAD; i++)
		prefetch_counts(&tt, &c->batch[i]);
	for (i = 0; i < n; i++) {
		const struct pending *p = &c->batch[i];
		uint64_t key;
		uint32_t id;
		struct tcount *t;

		memcpy(&key, p->term, sizeof(key));
		id = find_term(b, &tt, p, key, &j);
		if (id == UINT32_MAX) {
			id = new_term(b, p->term, p->len, p->hash, key, j);
			if (id == UINT32_MAX)
				return AWN_ERR_NOMEM;
			term_table_load(&tt, b);
		}
		if (i + AHEAD < n)
			prefetch_counts(&tt, &c->batch[i + AHEAD]);
		t = &tt.tc[id];
		if (t->last_section != c->section) {
			if (ntouched == b->captouched) {
				size_t cap =
				    b->captouched ? b->captouched * 2 : 256;
				void *q = alloc_reallocarray(
				    b->touched, cap, sizeof(*b->touched));
				if (q == NULL)
					return AWN_ERR_NOMEM;
				b->touched = q;
				b->captouched = cap;
			}
			b->touched[ntouched++] = id;
			b->ntouched = ntouched;
			t->last_section = c->section;
			t->w = 0;
		}
		if (c->flags)
			t->w |= c->flags;
		else if (t->w >> POST_FLAG_BITS < UINT32_MAX >> POST_FLAG_BITS)
			t->w += 1u << POST_FLAG_BITS;
	}
	return AWN_OK;
}

static awn_status
count_term(void *vctx, const struct token *tok)
{
	struct hit_ctx *c = vctx;
	awn_builder *b = c->b;
	struct pending *p;
	awn_status st;

	if (tok->kind == TOKEN_WORD && !c->flags)
		c->words++;
	if (c->n == BATCH && (st = count_batch(c)) != AWN_OK)
		return st;
	p = &c->batch[c->n++];
	p->len = (uint32_t)tok->len;
	/* A copy of fixed size is inline: the term's buffer has
	 * TOKEN_MAX + 1 bytes (token.h). */
	memcpy(p->term, tok->term, TOKEN_MAX);
	memset(p->term + tok->len, 0, 8);
	p->hash = hash_padded(p->term, tok->len);
	__builtin_prefetch(&b->hash[p->hash & (b->hashcap - 1)]);
	return AWN_OK;
}

static awn_status write_run(awn_builder *b);

static awn_status compact_runs(awn_builder *b);

/* Most terms have a posting or two (of 199k in awsdocs+tldr): a list
 * starts at POST_FIRST_CAP bytes, not at buf_reserve's 64 (glibc's
 * smallest chunk holds 24 bytes).  -8.5 MiB of peak RSS there. */
#define POST_FIRST_CAP 24

static awn_status
post_start(struct buf *post)
{
	if ((post->data = alloc_malloc(POST_FIRST_CAP)) == NULL)
		return AWN_ERR_NOMEM;
	post->cap = POST_FIRST_CAP;
	return AWN_OK;
}

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
		unsigned char enc[BLOB_POSTING_MAX] = {0}; /* one append */
		size_t k;

		/* Terms are scattered in memory: fetch the ones ahead, and
		 * the end of the list of the one after next. */
		if (i + 8 < b->ntouched)
			__builtin_prefetch(&b->term[b->touched[i + 8]]);
		if (i + 4 < b->ntouched) {
			const struct buf *p = &b->term[b->touched[i + 4]].post;
			__builtin_prefetch(&b->tc[b->touched[i + 4]]);
			if (p->data != NULL)
				__builtin_prefetch(p->data + p->len);
		}
		/* As POSTINGS stores it: the merge at the end only copies. */
		k = blob_encode_posting(enc, delta, b->tc[b->touched[i]].w);
		len = t->post.len;
		cap = t->post.cap;
		if (cap - len >
		    sizeof(enc)) { /* a copy of fixed size, inline */
			memcpy(t->post.data + len, enc, sizeof(enc));
			t->post.len += k;
		} else if ((cap == 0 && (st = post_start(&t->post))) ||
		           (st = buf_add(&t->post, enc, k)) != AWN_OK) {
			return st;
		}
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

static void
put_le64(unsigned char *p, uint64_t v)
{
	uint32_t f[2] = {(uint32_t)v, (uint32_t)(v >> 32)};

	put_le32s(p, f, 2);
}

/* A spill past its share of the budget moves to a file. */
static awn_status
bound_table(awn_builder *b, struct spill *s)
{
	if (b->spill_dir == NULL || spill_memory(s) <= b->table_budget)
		return AWN_OK;
	return spill_to_file(s, b->spill_dir, b->err);
}

/* ---- names of <a> tags ------------------------------------------------ */

static awn_status
frag_add(struct frag_set *f, uint64_t h)
{
	size_t i;

	if (2 * (f->n + 1) > f->cap) {
		struct frag_set grown = {NULL, f->n, f->cap ? 2 * f->cap : 64};
		if (grown.cap > FRAGS_MAX)
			return AWN_OK; /* enough: see struct frag_set */
		grown.slot = alloc_calloc(grown.cap, sizeof(*grown.slot));
		if (grown.slot == NULL)
			return AWN_ERR_NOMEM;
		for (i = 0; i < f->cap; i++) {
			size_t k;
			if (f->slot[i] == 0)
				continue;
			for (k = f->slot[i] & (grown.cap - 1); grown.slot[k];)
				k = (k + 1) & (grown.cap - 1);
			grown.slot[k] = f->slot[i];
		}
		alloc_free(f->slot);
		*f = grown;
	}
	for (i = h & (f->cap - 1); f->slot[i] && f->slot[i] != h;)
		i = (i + 1) & (f->cap - 1);
	if (f->slot[i] == 0) {
		f->slot[i] = h;
		f->n++;
	}
	return AWN_OK;
}

static int
frag_has(const struct frag_set *f, uint64_t h)
{
	size_t i;

	if (f->cap == 0)
		return 0;
	for (i = h & (f->cap - 1); f->slot[i]; i = (i + 1) & (f->cap - 1))
		if (f->slot[i] == h)
			return 1;
	return 0;
}

/* Note the fragment of each link in rich text S/N to a Markdown file. */
static awn_status
note_link_fragments(awn_builder *b, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *dest, *dest_end, *hash, *q;
	awn_status st;

	while ((dest = memchr(p, RT_LINK, (size_t)(end - p))) != NULL) {
		dest++;
		dest_end = memchr(dest, RT_LINK_TEXT, (size_t)(end - dest));
		if (dest_end == NULL)
			break;
		p = dest_end;
		hash = memchr(dest, '#', (size_t)(dest_end - dest));
		if (hash == NULL || hash == dest || dest_end - hash < 2)
			continue;
		q = memchr(dest, '?', (size_t)(hash - dest));
		if (walk_markdown_suffix(dest,
		                         (size_t)((q ? q : hash) - dest)) &&
		    (st = frag_add(
		         &b->frags,
		         blob_name_hash(hash + 1,
		                        (size_t)(dest_end - hash - 1)))))
			return st;
	}
	return AWN_OK;
}

/* Keep the names section SECTION's <a> tags give, for HTML_NAMES. */
static awn_status
note_names(awn_builder *b, const struct md_section *ms, uint32_t section)
{
	unsigned char rec[BLOB_NAME_REC_SIZE];
	awn_status st;
	size_t i;

	for (i = 0; i < ms->nnames; i++) {
		uint64_t h = blob_name_hash(ms->names[i].s, ms->names[i].len);
		put_le64(rec, h);
		put_le32s(rec + 8, &section, 1);
		if ((st = spill_add(&b->html_names, rec, sizeof(rec), b->err)))
			return st;
	}
	return ms->nnames ? bound_table(b, &b->html_names) : AWN_OK;
}

/* ---- sections ----------------------------------------------------------- */

/* ORIGINS' line of the section about to be numbered b->nsec. */
static awn_status
note_line(awn_builder *b, uint32_t line)
{
	awn_status st = AWN_OK;

	if (b->nsec % ORIGIN_LINE_BLOCK == 0) {
		b->last_line = 0;
		st = blob_put_u32(&b->line_blocks, (uint32_t)b->lines.len);
	}
	if (!st && line > b->last_line)
		st = blob_put_varint(&b->lines, line - b->last_line);
	else if (!st && !(st = blob_put_varint(&b->lines, 0)))
		st = blob_put_varint(&b->lines, line);
	b->last_line = line;
	return st;
}

/*
 * ORIGINS' root of the documents from FIRST on: the directory
 * note_place recorded last, or none (KNOWN 0).  A root like the last
 * one is not repeated.
 */
static awn_status
note_root(awn_builder *b, uint32_t first, int known)
{
	const char *dir = "";
	uint32_t rec[2] = {first, 0};
	awn_status st;

	if (known && b->source_dir != NULL) {
		dir = b->source_dir;
		rec[1] = (uint32_t)strlen(dir);
	} else if (known) {
		dir = b->places.data + b->places.len - b->place_len;
		rec[1] = b->place_len ? (uint32_t)b->place_len : 1;
		if (b->place_len == 0)
			dir = "/";
	}
	if (b->roots.len > 0) {
		uint32_t last[2];
		memcpy(last, b->roots.data + b->root_last, sizeof(last));
		if (last[1] == rec[1] &&
		    memcmp(b->roots.data + b->root_last + 8, dir, rec[1]) == 0)
			return AWN_OK;
	}
	b->root_last = b->roots.len;
	if ((st = buf_add(&b->roots, rec, sizeof(rec))))
		return st;
	return buf_add(&b->roots, dir, rec[1]);
}

static awn_status
add_section(void *vctx, const struct md_section *ms)
{
	awn_builder *b = vctx;
	struct hit_ctx hc; /* not zeroed: the batch is large */
	struct bsection *s;
	const char *title = ms->title;
	size_t title_len = ms->title_len, body;
	unsigned lv;
	awn_status st;

	if (b->nsec >= UINT32_MAX - 1)
		return error_set(b->err, AWN_ERR_LIMIT, "%s: too many sections",
		                 b->name);
	if ((st = note_line(b, ms->line)))
		return st;
	hc.b = b;
	hc.section = (uint32_t)b->nsec;
	hc.flags = hc.words = hc.n = 0;
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
	    b->block.len + ms->text_len > (b->nblocks < BLOB_BLOCK_SMALL_COUNT
	                                       ? BLOB_BLOCK_SMALL
	                                       : BLOB_BLOCK_TARGET) &&
	    (st = flush_block(b, b->err)))
		return st;
	s->block = b->nblocks;
	s->text_off = (uint32_t)b->block.len;
	s->text_len = (uint32_t)ms->text_len;
	if ((st = buf_add(&b->block, ms->text, ms->text_len)) ||
	    (st = note_names(b, ms, hc.section)) ||
	    (st = note_link_fragments(b, ms->text, ms->text_len)))
		return st;

	/* Terms: body (after the heading line), own title, ancestors. */
	body = 0;
	if (s->level > 0) {
		const char *nl = memchr(ms->text, '\n', ms->text_len);
		body = nl ? (size_t)(nl - ms->text) + 1 : ms->text_len;
	}
	if ((b->hashcap == 0 && (st = grow_hash(b))) ||
	    (st = richtext_is_contents(ms->text + body, ms->text_len - body)
	              ? (buf_reset(&b->scratch), AWN_OK)
	              : richtext_words(ms->text + body, ms->text_len - body,
	                               &b->scratch)) ||
	    (st = token_scan(b->scratch.data, b->scratch.len, count_term,
	                     &hc)) ||
	    (st = count_batch(&hc)))
		return st;
	s->tokens = hc.words;
	b->total_tokens += hc.words;
	hc.flags = POST_IN_TITLE;
	if ((st = token_scan(title, title_len, count_term, &hc)) ||
	    (st = count_batch(&hc)))
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
	blob_packer_see(&b->anchor_k, &id);
	return AWN_OK;
}

static awn_status write_anchor_run(awn_builder *b);

/*
 * Closed sections are final: their SECTIONS records go out and only
 * their anchors stay, for sorting at the end (in runs past the budget).
 */
static awn_status
retire_sections(awn_builder *b)
{
	unsigned char rec[SECREC_SIZE];
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
	unsigned char rec[DOCREC_SIZE];
	awn_status st;

	put_le32s(rec, f, 4);
	if ((st = spill_add(&b->docs, rec, sizeof(rec), b->err)) ||
	    (st = bound_table(b, &b->strings)))
		return st;
	return bound_table(b, &b->docs);
}

/* awn_builder_add_markdown; with FILE, of FILE's bytes (DATA/LEN): a
 * large one's memory goes once the reader has its copy. */
static awn_status
add_markdown(awn_builder *b, const char *name, const char *data, size_t len,
             struct buf *file, awn_error *err)
{
	awn_status st;
	uint32_t name_off;
	size_t i;

	/* Bytes given, not a file: no file to name. */
	if (!b->in_file && (st = note_root(b, b->doc, 0)))
		return error_set(err, st, "%s: %s", name, awn_strerror(st));
	b->doc_first = (uint32_t)b->nsec;
	b->name = name;
	b->err = err;
	if (err)
		err->detail[0] = '\0';
	for (i = 0; i < MAX_DEPTH; i++)
		b->open[i] = AWN_NONE;
	if (b->reader == NULL && /* none (out of memory): markdown_read's own */
	    (b->reader = markdown_reader_new()) != NULL && b->spill_dir)
		markdown_reader_set_spill(b->reader, b->spill_dir,
		                          b->tb.budget);
	if (file != NULL && file->cap > FILE_KEEP_MAX && b->reader != NULL)
		st = markdown_read_buf(b->reader, file, add_section, b, err);
	else
		st = markdown_read_with(b->reader, data ? data : "", len,
		                        add_section, b, err);
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

awn_status
awn_builder_add_markdown(awn_builder *b, const char *name, const char *data,
                         size_t len, awn_error *err)
{
	if (b == NULL || name == NULL || (data == NULL && len > 0))
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return add_markdown(b, name, data, len, NULL, err);
}

/* ---- reading files ------------------------------------------------------ */

#define SNIFF_SIZE 8192 /* a NUL in the first 8 KiB: not a text file */

/* File NAME in directory DFD (PATH, for messages) into OUT, which keeps
 * its memory from file to file.  A REGULAR file is read into that memory
 * without an fstat, to the read that returns 0: a short read is the end
 * of a local file, but NFS or FUSE may return one mid-file, and a note
 * cut short would go unnoticed.  Anything else (a pipe) is sized by
 * fstat first.  A binary file is refused as soon as its first 8 KiB
 * are in (/dev/zero is not read to the size limit first). */
static awn_status
read_file(const awn_builder *b, int dfd, const char *name, const char *path,
          int regular, struct buf *out, awn_error *err)
{
	struct stat sb;
	size_t want = 0, room;
	ssize_t n;
	int fd;
	awn_status st = AWN_OK;

	/* O_NONBLOCK for what the walk saw as a regular file: if a FIFO
	 * took its name since, open and read return at once instead of
	 * waiting for a writer (regular files ignore the flag). */
	if ((fd = openat(dfd, name,
	                 O_RDONLY | O_CLOEXEC | (regular ? O_NONBLOCK : 0))) <
	    0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if (b->protect && fstat(fd, &sb) == 0 && sb.st_dev == b->protect_dev &&
	    sb.st_ino == b->protect_ino) {
		close(fd);
		return error_set(err, AWN_ERR_INPUT,
		                 "%s: the output is also an input; nothing "
		                 "written",
		                 path);
	}
	buf_reset(out);
	out->max = MARKDOWN_MAX_SIZE + 1; /* one byte more: too large */
	if (regular)
		want = 65536;
	else if (fstat(fd, &sb) == 0 && sb.st_size > 0 &&
	         (uint64_t)sb.st_size <= MARKDOWN_MAX_SIZE)
		want = (size_t)sb.st_size + 1; /* + 1: the end in one read */
	for (;;) {
		if (out->cap - out->len <= 1 && want == 0)
			want = out->max - out->len < 65536 ? out->max - out->len
			                                   : 65536;
		if (want > 0 && (st = buf_reserve(out, want)) != AWN_OK) {
			error_set(err, st, "%s: %s", path, awn_strerror(st));
			break;
		}
		want = 0;
		if (out->cap - out->len <= 1)
			break; /* at max: too large */
		room = out->cap - 1 - out->len;
		n = read(fd, out->data + out->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
			break;
		}
		if (n == 0)
			break;
		if (out->len < SNIFF_SIZE &&
		    memchr(out->data + out->len, '\0',
		           (size_t)n < SNIFF_SIZE - out->len
		               ? (size_t)n
		               : SNIFF_SIZE - out->len) != NULL) {
			st = error_set(err, AWN_ERR_INPUT,
			               "%s: binary file, not Markdown", path);
			break;
		}
		out->len += (size_t)n;
	}
	close(fd);
	if (st == AWN_OK && out->len > MARKDOWN_MAX_SIZE)
		st = error_set(err, AWN_ERR_INPUT, "%s: larger than %zu MiB",
		               path, MARKDOWN_MAX_SIZE >> 20);
	return st;
}

/* Is FILE of directory DFD, a NAME.markdown, beside a regular NAME.md
 * (as the walk reads one: not through a link)?  1 or 0; -1 when out of
 * memory. */
static int
md_twin(int dfd, const char *file)
{
	size_t n = strlen(file) - 9;
	char *twin = alloc_malloc(n + 4);
	struct stat sb;
	int found;

	if (twin == NULL)
		return -1;
	memcpy(twin, file, n);
	memcpy(twin + n, ".md", 4);
	found = fstatat(dfd, twin, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	        S_ISREG(sb.st_mode);
	alloc_free(twin);
	return found;
}

/* File FILE of directory DFD (PATH from here), named NAME in the blob;
 * REGULAR: a regular file, not a pipe. */
static awn_status
add_file(awn_builder *b, int dfd, const char *file, const char *path,
         int regular, const char *name, awn_error *err)
{
	struct buf *data = &b->file, *nm = &b->doc_name;
	awn_status st;
	size_t n = strlen(name), suffix = walk_markdown_suffix(name, n), len;
	uint32_t before = b->doc;

	if ((st = read_file(b, dfd, file, path, regular, data, err)))
		return st;
	len = data->len; /* a large file's memory goes while it is read */
	buf_reset(nm);
	n -= suffix;
	st = buf_add(nm, name, n);
	b->in_file = 1;
	if (!st)
		st = add_markdown(b, buf_cstr(nm), data->data, len, data, err);
	else
		error_set(err, st, "%s: %s", path, awn_strerror(st));
	b->in_file = 0;
	/* ORIGINS takes the file for NAME.md unless told (a .markdown, or
	 * a file given by a name with neither suffix, stored whole). */
	if (!st && suffix != 3 && b->doc > before &&
	    (st = blob_put_u32(&b->odd_suffix,
	                       before << 1 | (suffix == 0 ? 1u : 0u))))
		error_set(err, st, "%s: %s", path, awn_strerror(st));
	if (!st && b->progress != NULL)
		b->progress(b->progress_ctx, ++b->files_read,
		            b->bytes_read += len, 0);
	/* Of README.markdown beside README.md, both named README, the
	 * .markdown is listed in SUFFIXES, so that they can be shown
	 * apart. */
	if (!st && suffix == 9 && b->doc > before) {
		int twin = md_twin(dfd, file);
		st = twin < 0    ? AWN_ERR_NOMEM
		     : twin == 0 ? AWN_OK
		                 : blob_put_u32(&b->suffixed, before);
		if (st)
			error_set(err, st, "%s: %s", path, awn_strerror(st));
	}
	/* Not an I/O error: the bytes are in memory by now, so that is a
	 * temporary file's, which names its directory (the note is not at
	 * fault). */
	if (st && st != AWN_ERR_IO && err &&
	    strstr(err->detail, path) == NULL && err->detail[0] &&
	    strncmp(err->detail, nm->data, nm->len) != 0) {
		char tmp[sizeof(err->detail)];
		memcpy(tmp, err->detail, sizeof(tmp));
		error_set(err, st, "%s: %s", path, tmp);
	}
	/* A rare huge file's memory is not kept for the rest. */
	if (data->cap > FILE_KEEP_MAX)
		buf_free(data);
	return st;
}

/* A file the directory walk found (walk_fn). */
void
awn_builder_on_progress(awn_builder *b, awn_progress_fn *fn, void *ctx)
{
	if (b != NULL) {
		b->progress = fn;
		b->progress_ctx = ctx;
	}
}

static awn_status
add_walked(void *ctx, int dfd, const char *name, const char *path,
           const char *rel, awn_error *err)
{
	return add_file(ctx, dfd, name, path, 1, rel, err);
}

awn_status
awn_builder_protect(awn_builder *b, const char *path, awn_error *err)
{
	struct stat sb;

	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	if (blob_check_file(path, err) != AWN_OK)
		return AWN_ERR_IO;
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			return AWN_OK;
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	}
	if (S_ISREG(sb.st_mode)) {
		b->protect = 1;
		b->protect_dev = sb.st_dev;
		b->protect_ino = sb.st_ino;
	}
	return AWN_OK;
}

static size_t
path_slot(const struct path_set *set, const struct path_id *id)
{
	uint64_t h = ((uint64_t)id->dev * 0x9E3779B97F4A7C15u) ^
	             ((uint64_t)id->ino * 0xC2B2AE3D27D4EB4Fu);
	size_t i = (size_t)(h ^ (h >> 29)) & (set->cap - 1);

	while (set->slot[i].used &&
	       (set->slot[i].dev != id->dev || set->slot[i].ino != id->ino))
		i = (i + 1) & (set->cap - 1);
	return i;
}

/*
 * Whether the file or directory SB was added before, by any name: given
 * twice (in a shell glob, a script's list, or as "notes" and "./notes"),
 * it would give every document twice and every result twice.  Else it
 * is recorded.  Pipes and devices are read each time they are given.
 */
static awn_status
added_before(awn_builder *b, const struct stat *sb, int *seen)
{
	struct path_set *set = &b->added;
	struct path_id id = {sb->st_dev, sb->st_ino, 1};
	size_t i;

	*seen = 0;
	if (!S_ISDIR(sb->st_mode) && !S_ISREG(sb->st_mode))
		return AWN_OK;
	if (2 * (set->n + 1) > set->cap) {
		struct path_set grown = {NULL, 0, set->cap ? 2 * set->cap : 16};
		if (grown.cap > ADDED_MAX)
			return AWN_ERR_LIMIT;
		if ((grown.slot =
		         alloc_calloc(grown.cap, sizeof(*grown.slot))) == NULL)
			return AWN_ERR_NOMEM;
		for (i = 0; i < set->cap; i++)
			if (set->slot[i].used)
				grown.slot[path_slot(&grown, &set->slot[i])] =
				    set->slot[i];
		grown.n = set->n;
		alloc_free(set->slot);
		*set = grown;
	}
	i = path_slot(set, &id);
	if (set->slot[i].used)
		*seen = 1;
	else {
		set->slot[i] = id;
		set->n++;
	}
	return AWN_OK;
}

/*
 * Record where PATH, whose documents start at FIRST, lies: the real
 * directory its documents are named from (the directory itself, or a
 * file's own), for SOURCES.  A link from one path's notes to another's
 * ("../b.md" in sub/c.md, given with b.md) then leads where it does on
 * disk.  Files of one directory, as a shell glob gives them, come one
 * after another and share a record (and one realpath).  A place that
 * cannot be had leaves the table out.
 */
static awn_status
note_place(awn_builder *b, const char *path, int is_dir, uint32_t first)
{
	const char *slash = is_dir ? NULL : strrchr(path, '/');
	size_t n = is_dir          ? strlen(path)
	           : slash == NULL ? 0
	                           : (size_t)(slash - path) + (slash == path);
	char *dir, *real;
	awn_status st = AWN_OK;
	uint32_t rec[2];

	if (b->place_unknown)
		return AWN_OK;
	if ((dir = alloc_strndup(n ? path : ".", n ? n : 1)) == NULL)
		return AWN_ERR_NOMEM;
	if (b->place_of != NULL && strcmp(dir, b->place_of) == 0) {
		alloc_free(dir);
		return AWN_OK;
	}
	alloc_free(b->place_of);
	b->place_of = dir;
	if ((real = realpath(dir, NULL)) == NULL) {
		b->place_unknown = 1;
		return AWN_OK;
	}
	n = strcmp(real, "/") == 0 ? 0 : strlen(real);
	if (b->places.len > 0 && n == b->place_len &&
	    memcmp(b->places.data + b->places.len - n, real, n) == 0) {
		free(real); /* the last path's place by another name */
		return AWN_OK;
	}
	b->place_len = n;
	rec[0] = first;
	rec[1] = (uint32_t)n;
	if (n > UINT32_MAX - 8)
		st = AWN_ERR_LIMIT;
	if (!st)
		st = buf_add(&b->places, rec, sizeof(rec));
	if (!st)
		st = buf_add(&b->places, real, n);
	free(real);
	return st;
}

awn_status
awn_builder_add_path(awn_builder *b, const char *path, awn_error *err)
{
	struct stat sb;
	const char *base;
	uint32_t before;
	size_t links;
	awn_status st;
	int seen;

	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	if (stat(path, &sb) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if ((st = added_before(b, &sb, &seen)) != AWN_OK)
		return error_set(err, st, "%s: %s", path, awn_strerror(st));
	if (seen)
		return AWN_OK;
	before = b->doc;
	if (S_ISDIR(sb.st_mode)) {
		st = walk_markdown(path, add_walked, b, &links, err);
		/* Notes kept as links (a dotfile manager's) would otherwise
		 * look like a bug: say why they were not read. */
		if (st == AWN_OK && b->doc == before)
			st = error_set(err, AWN_ERR_INPUT,
			               "%s: no Markdown files (*.md, "
			               "*.markdown) in this directory%s",
			               path,
			               links ? "; symbolic links in it are "
			                       "not followed"
			                     : "");
	} else {
		base = strrchr(path, '/');
		base = base && base[1] ? base + 1 : path;
		st = add_file(b, AT_FDCWD, path, path, S_ISREG(sb.st_mode),
		              base, err);
	}
	if (st == AWN_OK && b->doc > before &&
	    ((st = note_place(b, path, S_ISDIR(sb.st_mode), before)) ||
	     (st = note_root(b, before,
	                     b->source_dir != NULL || !b->place_unknown))))
		error_set(err, st, "%s: %s", path, awn_strerror(st));
	return st;
}

awn_status
awn_builder_set_source_dir(awn_builder *b, const char *dir, awn_error *err)
{
	size_t n;
	char *copy;

	if (b == NULL || dir == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	/* ORIGINS keeps absolute directories without a '/' at the end,
	 * "/" itself aside (awsnote(5)). */
	if (dir[0] != '/')
		return error_set(err, AWN_ERR_ARG,
		                 "%s: not an absolute directory", dir);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		continue;
	if (n > UINT32_MAX - 8)
		return error_set(err, AWN_ERR_LIMIT, "%s: %s", dir,
		                 awn_strerror(AWN_ERR_LIMIT));
	if ((copy = alloc_strndup(dir, n)) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	alloc_free(b->source_dir);
	b->source_dir = copy;
	return AWN_OK;
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

/* A term to sort: its first 8 bytes as a number that orders as they do
 * (most significant first, 0 past the end: terms hold no NUL). */
struct sort_key {
	uint64_t key;
	uint32_t id;
};

static int
cmp_keys(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *c = pb;

	if (a->key != c->key)
		return a->key < c->key ? -1 : 1;
	return compare_terms(sort_builder, a->id, c->id);
}

/*
 * K[0..N) by key: a least significant byte first counting sort, through
 * TMP, skipping the bytes all keys share (most terms are shorter than 8
 * bytes).  Equal keys keep their order; the result is in K.
 */
static void
sort_by_key(struct sort_key *k, struct sort_key *tmp, size_t n)
{
	size_t count[8][256], i, sum, c;
	struct sort_key *from = k, *to = tmp, *t;
	unsigned byte, shift;

	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		for (byte = 0; byte < 8; byte++)
			count[byte][k[i].key >> (8 * byte) & 0xff]++;
	for (byte = 0; byte < 8; byte++) {
		shift = 8 * byte;
		if (n == 0 || count[byte][from[0].key >> shift & 0xff] == n)
			continue;
		for (i = sum = 0; i < 256; i++) {
			c = count[byte][i];
			count[byte][i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[byte][from[i].key >> shift & 0xff]++] =
			    from[i];
		t = from, from = to, to = t;
	}
	if (from != k)
		memcpy(k, from, n * sizeof(*k));
}

/* Sort term indexes IDS[0..N) by term.  The keys decide all but the
 * terms that share their first 8 bytes, which the text orders. */
static awn_status
sort_terms(awn_builder *b, uint32_t *ids, size_t n)
{
	const awn_builder *was = sort_builder;
	struct sort_key *k =
	    alloc_reallocarray(NULL, n ? 2 * n : 1, sizeof(*k));
	size_t i, j;

	if (k == NULL)
		return AWN_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		k[i].key = b->tc[ids[i]].key;
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
		k[i].key = __builtin_bswap64(k[i].key);
#endif
		k[i].id = ids[i];
	}
	sort_by_key(k, k + n, n);
	sort_builder = b;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j].key == k[i].key; j++)
			;
		if (j - i > 1)
			qsort(k + i, j - i, sizeof(*k), cmp_keys);
	}
	sort_builder = was;
	for (i = 0; i < n; i++)
		ids[i] = k[i].id;
	alloc_free(k);
	return AWN_OK;
}

/* The order of ANCHORS: anchor A (LEN bytes) of section SEC against
 * anchor C of section CSEC. */
static int
compare_anchors(const void *a, uint64_t len, uint64_t sec, const void *c,
                uint64_t clen, uint64_t csec)
{
	int r = memcmp(a, c, (size_t)(len < clen ? len : clen));

	if (r == 0)
		r = (len > clen) - (len < clen);
	if (r == 0)
		r = (sec > csec) - (sec < csec);
	return r;
}

static int
cmp_anchors(const void *pa, const void *pb)
{
	const struct banchor *a = pa, *c = pb;
	const char *s = sort_builder->anchor_text.data;

	return compare_anchors(s + a->key, a->len, a->section, s + c->key,
	                       c->len, c->section);
}

static void
sort_anchors(awn_builder *b)
{
	if (b->nanchor < 2) /* none: b->anchor may be NULL */
		return;
	sort_builder = b;
	qsort(b->anchor, b->nanchor, sizeof(*b->anchor), cmp_anchors);
	sort_builder = NULL;
}

/* ---- runs ---------------------------------------------------------------- */

/*
 * A run is records sorted by a key, each a varint ID, a varint length N
 * and N bytes: a term's index and posting piece, or a section's number
 * and anchor.
 */

/* Start a run at the end of RS's file, made in DIR if need be. */
static awn_status
runs_start(struct runs *rs, const char *dir, awn_error *err)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		void *p = alloc_reallocarray(rs->run, cap, sizeof(*rs->run));
		if (p == NULL)
			return error_set(err, AWN_ERR_NOMEM, "out of memory");
		rs->run = p;
		rs->cap = cap;
	}
	rs->run[rs->n].start = rs->file.len;
	return spill_to_file(&rs->file, dir, err);
}

/* End the run runs_start began. */
static awn_status
runs_end(struct runs *rs, awn_error *err)
{
	awn_status st = spill_flush(&rs->file, err);

	rs->run[rs->n].end = rs->file.len;
	rs->n++;
	return st;
}

/* The head of a record: ID and the length N of its bytes. */
static awn_status
put_head(struct spill *out, uint64_t id, uint64_t n, awn_error *err)
{
	unsigned char head[2 * BLOB_VARINT_MAX];
	size_t h = blob_encode_varint(head, id);

	h += blob_encode_varint(head + h, n);
	return spill_add(out, head, h, err);
}

/* ---- posting runs ------------------------------------------------------ */

/*
 * A run of postings is the pieces of every term that has one, sorted by
 * term.  Writing it frees the pieces.
 */
static awn_status
write_run(awn_builder *b)
{
	uint32_t *ids;
	size_t i, n = 0;
	awn_status st = AWN_OK;

	if ((ids = alloc_reallocarray(NULL, b->nterm ? b->nterm : 1,
	                              sizeof(*ids))) == NULL)
		return error_set(b->err, AWN_ERR_NOMEM, "out of memory");
	for (i = 0; i < b->nterm; i++)
		if (b->term[i].post.len > 0)
			ids[n++] = (uint32_t)i;
	if ((st = sort_terms(b, ids, n))) {
		error_set(b->err, st, "out of memory");
		goto out;
	}
	if ((st = runs_start(&b->runs, b->spill_dir, b->err)))
		goto out;
	for (i = 0; i < n && !st; i++) {
		struct bterm *t = &b->term[ids[i]];
		if (!(st =
		          put_head(&b->runs.file, ids[i], t->post.len, b->err)))
			st = spill_add(&b->runs.file, t->post.data, t->post.len,
			               b->err);
		buf_free(&t->post);
	}
	if (!st)
		st = runs_end(&b->runs, b->err);
	b->post_mem = 0;
	if (!st && b->runs.n == MAX_RUNS)
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
	                 "temporary file of runs: read back wrong");
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

/* Append the piece at C to OUT and move to the next. */
static awn_status
cursor_copy(struct run_cursor *c, struct spill *out, awn_error *err)
{
	uint64_t left = c->n;
	size_t k;
	awn_status st;

	while (left > 0) {
		if ((st = cursor_fill(c, 1, err)))
			return st;
		if (c->pos == c->len)
			return corrupt_run(err);
		k = c->len - c->pos < left ? c->len - c->pos : (size_t)left;
		if ((st = spill_add(out, c->buf + c->pos, k, err)))
			return st;
		c->pos += k;
		left -= k;
	}
	return cursor_next(c, err);
}

static void
cursors_free(struct run_cursor *c, size_t n)
{
	size_t i;

	for (i = 0; c && i < n; i++)
		alloc_free(c[i].buf);
	alloc_free(c);
}

/* A cursor at the start of every run of RS: *OUT, freed with
 * cursors_free. */
static awn_status
open_cursors(const struct runs *rs, struct run_cursor **out, awn_error *err)
{
	struct run_cursor *c;
	awn_status st = AWN_OK;
	size_t r;

	*out = NULL;
	if (rs->n == 0)
		return AWN_OK;
	if ((c = alloc_calloc(rs->n, sizeof(*c))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	*out = c;
	for (r = 0; r < rs->n && !st; r++) {
		c[r].src = &rs->file;
		c[r].at = rs->run[r].start;
		c[r].end = rs->run[r].end;
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

	for (r = 0; r < b->runs.n; r++)
		if (c[r].live &&
		    (min == NULL || compare_terms(b, (uint32_t)c[r].id,
		                                  (uint32_t)min->id) < 0))
			min = &c[r];
	return min;
}

/* RS's runs become the one run MERGED holds (MERGED is left empty). */
static void
take_merged(struct runs *rs, struct spill *merged)
{
	spill_free(&rs->file);
	rs->file = *merged;
	spill_init(merged);
	rs->run[0].start = 0;
	rs->run[0].end = rs->file.len;
	rs->n = 1;
}

/*
 * Merge every run into one, so a long build never holds more than
 * MAX_RUNS cursors (and merges in one pass at the end).
 */
static awn_status
compact_runs(awn_builder *b)
{
	struct run_cursor *c = NULL, *min;
	struct spill merged;
	uint64_t len;
	uint32_t id;
	size_t r, nrun = b->runs.n;
	awn_status st;

	spill_init(&merged);
	if ((st = spill_to_file(&merged, b->spill_dir, b->err)) ||
	    (st = open_cursors(&b->runs, &c, b->err)))
		goto out;
	while (!st && (min = first_cursor(b, c)) != NULL) {
		for (id = (uint32_t)min->id, len = 0, r = 0; r < nrun; r++)
			if (c[r].live && c[r].id == id)
				len += c[r].n;
		st = put_head(&merged, id, len, b->err);
		for (r = 0; r < nrun && !st; r++)
			if (c[r].live && c[r].id == id)
				st = cursor_copy(&c[r], &merged, b->err);
	}
	if (!st && (st = spill_flush(&merged, b->err)) == AWN_OK)
		take_merged(&b->runs, &merged);
out:
	cursors_free(c, nrun);
	spill_free(&merged);
	return st;
}

/*
 * The POSTINGS table in term order ORDER: each term's pieces from the
 * runs, oldest first, then what is still in memory, copied as they are.
 */
static awn_status
merge_postings(awn_builder *b, const uint32_t *order, struct spill *out,
               struct dict_writer *dw, awn_error *err)
{
	struct run_cursor *c = NULL;
	size_t i, r;
	awn_status st = AWN_OK;

	if (b->runs.n > 0 && !(st = spill_to_file(out, b->spill_dir, err)))
		st = open_cursors(&b->runs, &c, err);
	for (i = 0; i < b->nterm && !st; i++) {
		const struct bterm *tm = &b->term[order[i]];
		uint64_t before = out->len;
		/* The terms are in hash order in memory: fetch ahead. */
		if (i + 8 < b->nterm)
			__builtin_prefetch(&b->term[order[i + 8]]);
		if (i + 4 < b->nterm)
			__builtin_prefetch(b->term[order[i + 4]].post.data);
		for (r = 0; r < b->runs.n && !st; r++)
			if (c[r].live && c[r].id == order[i])
				st = cursor_copy(&c[r], out, err);
		if (!st)
			st = spill_add(out, tm->post.data, tm->post.len, err);
		if (!st && out->len - before != tm->post_len)
			st = corrupt_run(err);
		if (!st && out->len - before > UINT32_MAX)
			st = error_set(err, AWN_ERR_LIMIT,
			               "a posting list is larger than 4 GiB");
		if (!st && (st = dict_writer_add(
		                dw, b->termchars.data + tm->str_off, tm->len,
		                tm->df, (uint32_t)(out->len - before))))
			error_set(err, st, "term dictionary: %s",
			          awn_strerror(st));
	}
	for (r = 0; r < b->runs.n && !st; r++)
		if (c[r].live) /* every piece belongs to some term */
			st = corrupt_run(err);
	cursors_free(c, b->runs.n);
	return st ? st : spill_flush(out, err);
}

/* ---- anchor runs ------------------------------------------------------- */

/*
 * Past their budget the anchors go out like postings: a run is the
 * anchors so far in ANCHORS order, each a record of its section and its
 * bytes, and the runs merge into ANCHORS at the end.
 */

static awn_status compact_anchor_runs(awn_builder *b);

static awn_status
write_anchor_run(awn_builder *b)
{
	const struct banchor *a;
	size_t i;
	awn_status st;

	if (b->nanchor == 0)
		return AWN_OK;
	if ((st = runs_start(&b->anchor_runs, b->spill_dir, b->err)))
		return st;
	sort_anchors(b);
	for (i = 0; i < b->nanchor && !st; i++) {
		a = &b->anchor[i];
		if (!(st = put_head(&b->anchor_runs.file, a->section, a->len,
		                    b->err)))
			st = spill_add(&b->anchor_runs.file,
			               b->anchor_text.data + a->key, a->len,
			               b->err);
	}
	if (!st)
		st = runs_end(&b->anchor_runs, b->err);
	b->nanchor = 0;
	buf_reset(&b->anchor_text);
	if (!st && b->anchor_runs.n == MAX_RUNS)
		st = compact_anchor_runs(b);
	return st;
}

/* Make the anchor at C (from cursor_next) whole at c->buf + c->pos. */
static awn_status
anchor_fill(struct run_cursor *c, awn_error *err)
{
	awn_status st;

	if (!c->live)
		return AWN_OK;
	if (c->n > CURSOR_BUF) /* markdown.c makes anchors of <= 1 KiB titles */
		return error_set(err, AWN_ERR_LIMIT,
		                 "an anchor is longer than %u bytes",
		                 CURSOR_BUF);
	if ((st = cursor_fill(c, (size_t)c->n, err)))
		return st;
	return c->len - c->pos < c->n ? corrupt_run(err) : AWN_OK;
}

/*
 * Merge every anchor run in ANCHORS order: into one run OUT, or (OUT
 * NULL) into ANCHORS records in TABLE, after its header.
 */
static awn_status
merge_anchor_runs(awn_builder *b, struct spill *out, struct buf *table,
                  awn_error *err)
{
	struct run_cursor *c = NULL, *min;
	size_t r, n = b->anchor_runs.n;
	uint32_t f;
	awn_status st = open_cursors(&b->anchor_runs, &c, err);

	for (r = 0; r < n && !st; r++)
		st = anchor_fill(&c[r], err);
	while (!st) {
		for (min = NULL, r = 0; r < n; r++)
			if (c[r].live &&
			    (min == NULL ||
			     compare_anchors(c[r].buf + c[r].pos, c[r].n,
			                     c[r].id, min->buf + min->pos,
			                     min->n, min->id) < 0))
				min = &c[r];
		if (min == NULL)
			break;
		if (out) {
			if (!(st = put_head(out, min->id, min->n, err)))
				st = cursor_copy(min, out, err);
		} else {
			f = (uint32_t)min->id;
			if ((st = blob_packer_put(&b->anchor_k, table, &f)))
				st = error_set(err, st, "anchors: %s",
				               awn_strerror(st));
			min->pos += (size_t)min->n;
			if (!st)
				st = cursor_next(min, err);
		}
		if (!st)
			st = anchor_fill(min, err);
	}
	cursors_free(c, n);
	return st;
}

static awn_status
compact_anchor_runs(awn_builder *b)
{
	struct spill merged;
	awn_status st;

	spill_init(&merged);
	if (!(st = spill_to_file(&merged, b->spill_dir, b->err)) &&
	    !(st = merge_anchor_runs(b, &merged, NULL, b->err)) &&
	    !(st = spill_flush(&merged, b->err)))
		take_merged(&b->anchor_runs, &merged);
	spill_free(&merged);
	return st;
}

/* ---- the tables ---------------------------------------------------------- */

struct tables {
	struct buf terms, term_blocks, term_keys, anchors, grams, sections,
	    docs, names;
	struct buf title_info, html_names, sources, post_skips, suffixes;
	struct buf origins;
	struct spill postings, strings;
	uint32_t *order;
};

static void
tables_free(struct tables *t)
{
	buf_free(&t->terms);
	buf_free(&t->term_blocks);
	buf_free(&t->term_keys);
	spill_free(&t->postings);
	spill_free(&t->strings);
	buf_free(&t->sections);
	buf_free(&t->docs);
	buf_free(&t->names);
	buf_free(&t->anchors);
	buf_free(&t->grams);
	buf_free(&t->title_info);
	buf_free(&t->html_names);
	buf_free(&t->sources);
	buf_free(&t->suffixes);
	buf_free(&t->origins);
	buf_free(&t->post_skips);
	alloc_free(t->order);
}

static const char *
sorted_term(void *ctx, uint32_t i, size_t *len, uint32_t *df)
{
	const struct tables *t = ctx;
	const struct bterm *tm = &sort_builder->term[t->order[i]];

	*len = tm->len;
	*df = tm->df;
	return sort_builder->termchars.data + tm->str_off;
}

/* ---- packing the spilled records (blob-format.h) --------------------- */

#define RECORDS_AT_ONCE 4096

typedef awn_status (*record_fn)(void *ctx, const unsigned char *rec,
                                uint32_t i);

/* Call FN on each SIZE-byte record of spill S, in order. */
static awn_status
each_record(const struct spill *s, size_t size, record_fn fn, void *ctx,
            awn_error *err)
{
	unsigned char *chunk = alloc_malloc(RECORDS_AT_ONCE * size);
	uint64_t off;
	uint32_t i = 0;
	size_t n, k;
	awn_status st = AWN_OK;

	if (chunk == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (off = 0; off < s->len && !st; off += n) {
		n = s->len - off < RECORDS_AT_ONCE * size
		        ? (size_t)(s->len - off)
		        : RECORDS_AT_ONCE * size;
		st = spill_read(s, off, chunk, n, err);
		for (k = 0; k + size <= n && !st; k += size)
			st = fn(ctx, chunk + k, i++);
	}
	alloc_free(chunk);
	return st;
}

/*
 * Titles repeat: awsdocs has "Syntax", "Properties", "JSON" and "YAML"
 * over thousands of sections each.  Each distinct title (with its
 * anchor, when that is stored) goes into STRINGS once and sections point
 * at the same bytes.  The table and the copies it compares against are
 * bounded, so a corpus with more distinct titles only shares less.
 */
#define SHARE_SLOTS  65536 /* a power of 2; filled at most half */
#define SHARE_PROBES 8
#define SHARE_LEN    256        /* longer strings are stored each time */
#define SHARE_BYTES  (1u << 20) /* copies of the strings in the table */

struct share_slot {
	uint32_t hash, len; /* len 0: empty */
	uint32_t off;       /* in the new STRINGS */
	uint32_t copy;      /* in shared_strings.bytes */
};

struct shared_strings {
	struct share_slot *slot;
	struct buf bytes;
	size_t used;
};

struct packing {
	awn_builder *b;
	struct tables *t;
	struct blob_packer k;
	int second;    /* pass: 0 measures, 1 writes */
	uint64_t pool; /* bytes of the new STRINGS so far */
	struct shared_strings share;
	/* DOC_NAMES: the current and previous name of a block (for front
	 * coding), the blocks' ends and bytes. */
	struct buf name, prev, ends, data;
	awn_error *err;
};

static void
share_reset(struct shared_strings *sh)
{
	if (sh->slot)
		memset(sh->slot, 0, SHARE_SLOTS * sizeof(*sh->slot));
	buf_reset(&sh->bytes);
	sh->used = 0;
}

/*
 * The offset in the new STRINGS of string S/N if an earlier section
 * stored the same bytes, else NONE, after which the string is
 * remembered (if there is room) as stored at OFF.  Both passes of
 * pack_spill see the same strings in the same order, so they agree.
 */
static awn_status
share_find(struct shared_strings *sh, const char *s, size_t n, uint64_t off,
           uint32_t *found)
{
	uint64_t h64 = hash_bytes(s, n);
	uint32_t h = (uint32_t)(h64 ^ (h64 >> 32)), i, k;
	struct share_slot *x;
	awn_status st;

	*found = AWN_NONE;
	if (n == 0 || n > SHARE_LEN)
		return AWN_OK;
	if (sh->slot == NULL &&
	    (sh->slot = alloc_calloc(SHARE_SLOTS, sizeof(*sh->slot))) == NULL)
		return AWN_ERR_NOMEM;
	for (k = 0; k < SHARE_PROBES; k++) {
		i = (h + k) & (SHARE_SLOTS - 1);
		x = &sh->slot[i];
		if (x->len == 0)
			break;
		if (x->hash == h && x->len == n &&
		    memcmp(sh->bytes.data + x->copy, s, n) == 0) {
			*found = x->off;
			return AWN_OK;
		}
	}
	if (k == SHARE_PROBES || sh->used >= SHARE_SLOTS / 2 ||
	    sh->bytes.len + n > SHARE_BYTES || off >= UINT32_MAX)
		return AWN_OK; /* not remembered: stored again next time */
	x->hash = h;
	x->len = (uint32_t)n;
	x->off = (uint32_t)off;
	x->copy = (uint32_t)sh->bytes.len;
	if ((st = buf_add(&sh->bytes, s, n)))
		return st;
	sh->used++;
	return AWN_OK;
}

/* Read STRINGS bytes OFF/LEN of the builder into OUT. */
static awn_status
read_string(struct packing *c, uint32_t off, uint32_t len, struct buf *out)
{
	awn_status st;

	buf_reset(out);
	if ((st = buf_reserve(out, len)) ||
	    (st = spill_read(&c->b->strings, off, out->data, len, c->err)))
		return st;
	out->len = len;
	return AWN_OK;
}

/*
 * Whether the anchor (in c->prev) is the slug of the title (in c->name)
 * (awsnote(5): then it is not stored).  A preamble's empty anchor never
 * is: its title is the document name.
 */
static awn_status
anchor_is_slug(struct packing *c, int *yes)
{
	awn_status st;

	*yes = 0;
	if (c->prev.len == 0)
		return AWN_OK;
	buf_reset(&c->data);
	if ((st = markdown_slug(c->name.data, c->name.len, &c->data)))
		return st;
	*yes = c->data.len == c->prev.len &&
	       memcmp(c->data.data, c->prev.data, c->prev.len) == 0;
	return AWN_OK;
}

/*
 * One SECTIONS record: parent and end made relative, the title and
 * anchor moved to the new pool (titles and anchors only, in section
 * order, each anchor right after its title).
 */
static awn_status
pack_section(void *ctx, const unsigned char *rec, uint32_t i)
{
	struct packing *c = ctx;
	uint32_t r[12], f[SECTION_FIELDS];
	size_t k;
	int derived;
	awn_status st;

	for (k = 0; k < 12; k++)
		r[k] = blob_u32(rec + 4 * k);
	/* r: parent end doc level title(off len) anchor(off len) block
	 * text_off text_len tokens, as retire_sections wrote them. */
	f[SF_PARENT_BACK] = r[0] == AWN_NONE ? 0 : i - r[0];
	f[SF_END_AHEAD] = r[1] - i;
	f[SF_DOC] = r[2];
	f[SF_LEVEL] = r[3];
	f[SF_TITLE_LEN] = r[5];
	if ((st = read_string(c, r[4], r[5], &c->name)) ||
	    (st = read_string(c, r[6], r[7], &c->prev)) ||
	    (st = anchor_is_slug(c, &derived)))
		return st;
	f[SF_ANCHOR] = derived ? 0 : r[7] + 1;
	f[SF_BLOCK] = r[8];
	f[SF_TEXT_OFF] = r[9];
	f[SF_TEXT_LEN] = r[10];
	f[SF_TOKENS] = r[11];
	/* The title, then the anchor if it is stored, as one string. */
	if (!derived && (st = buf_add(&c->name, c->prev.data, c->prev.len)))
		return st;
	if ((st = share_find(&c->share, c->name.data, c->name.len, c->pool,
	                     &f[SF_TITLE_OFF])))
		return st;
	if (f[SF_TITLE_OFF] == AWN_NONE) {
		f[SF_TITLE_OFF] = (uint32_t)c->pool;
		c->pool += c->name.len;
		if (c->pool > UINT32_MAX)
			return error_set(c->err, AWN_ERR_LIMIT,
			                 "titles and anchors take more than 4 "
			                 "GiB");
		if (c->second && (st = spill_add(&c->t->strings, c->name.data,
		                                 c->name.len, c->err)))
			return st;
	}
	if (!c->second) {
		blob_packer_see(&c->k, f);
		return AWN_OK;
	}
	return blob_packer_put(&c->k, &c->t->sections, f);
}

static void
packing_init(struct packing *c, awn_builder *b, struct tables *t,
             unsigned nfields, awn_error *err)
{
	memset(c, 0, sizeof(*c));
	c->b = b;
	c->t = t;
	c->err = err;
	buf_init(&c->name, 0);
	buf_init(&c->prev, 0);
	buf_init(&c->ends, 0);
	buf_init(&c->data, UINT32_MAX);
	buf_init(&c->share.bytes, SHARE_BYTES);
	blob_packer_init(&c->k, nfields);
}

static void
packing_free(struct packing *c)
{
	buf_free(&c->name);
	buf_free(&c->prev);
	buf_free(&c->ends);
	buf_free(&c->data);
	buf_free(&c->share.bytes);
	alloc_free(c->share.slot);
}

/* Pack the SIZE-byte records of S into OUT with FN: a pass to measure
 * the fields, the header, a pass to write. */
static awn_status
pack_spill(struct packing *c, const struct spill *s, size_t size, record_fn fn,
           struct buf *out)
{
	awn_status st;

	if ((st = each_record(s, size, fn, c, c->err)) ||
	    (st = blob_packer_header(&c->k, out)))
		return st;
	c->second = 1;
	c->pool = 0;
	share_reset(&c->share);
	if ((st = each_record(s, size, fn, c, c->err)))
		return st;
	return blob_packer_finish(&c->k, out);
}

static awn_status
put_sections(awn_builder *b, struct tables *t, awn_error *err)
{
	struct packing c;
	awn_status st = AWN_OK;

	packing_init(&c, b, t, SECTION_FIELDS, err);
	if (b->spill_dir && b->secrecs.len > b->table_budget)
		st = spill_to_file(&t->strings, b->spill_dir, err);
	if (!st)
		st = pack_spill(&c, &b->secrecs, SECREC_SIZE, pack_section,
		                &t->sections);
	if (!st)
		st = spill_flush(&t->strings, err);
	packing_free(&c);
	return st;
}

/* One DOCS record, and its name front-coded into its DOC_NAMES block. */
static awn_status
pack_doc(void *ctx, const unsigned char *rec, uint32_t i)
{
	struct packing *c = ctx;
	uint32_t f[DOC_FIELDS], len = blob_u32(rec + 4);
	size_t shared = 0;
	struct buf t;
	awn_status st;

	f[DF_FIRST] = blob_u32(rec + 8);
	f[DF_COUNT] = blob_u32(rec + 12);
	if (!c->second) {
		blob_packer_see(&c->k, f);
		return AWN_OK;
	}
	if (len > DOC_NAME_MAX)
		return error_set(c->err, AWN_ERR_LIMIT,
		                 "a document name is longer than %u bytes",
		                 (unsigned)DOC_NAME_MAX);
	buf_reset(&c->name);
	if ((st = buf_reserve(&c->name, len)) ||
	    (st = spill_read(&c->b->strings, blob_u32(rec), c->name.data, len,
	                     c->err)))
		return st;
	c->name.len = len;
	if (i % DOC_NAME_BLOCK == 0)
		buf_reset(&c->prev);
	while (shared < len && shared < c->prev.len &&
	       c->name.data[shared] == c->prev.data[shared])
		shared++;
	if ((st = blob_put_varint(&c->data, shared)) ||
	    (st = blob_put_varint(&c->data, len - shared)) ||
	    (st = buf_add(&c->data, c->name.data + shared, len - shared)))
		return st;
	t = c->prev, c->prev = c->name, c->name = t;
	if ((i % DOC_NAME_BLOCK == DOC_NAME_BLOCK - 1 || i + 1 == c->b->doc) &&
	    (st = blob_put_u32(&c->ends, (uint32_t)c->data.len)))
		return st;
	return blob_packer_put(&c->k, &c->t->docs, f);
}

/* The DOCS table (packed) and DOC_NAMES: block count, ends, blocks. */
static awn_status
put_docs(awn_builder *b, struct tables *t, awn_error *err)
{
	struct packing c;
	awn_status st;

	packing_init(&c, b, t, DOC_FIELDS, err);
	st = pack_spill(&c, &b->docs, DOCREC_SIZE, pack_doc, &t->docs);
	if (!st && b->doc > 0 &&
	    !(st =
	          blob_put_u32(&t->names, (uint32_t)DOC_NAME_BLOCKS(b->doc))) &&
	    !(st = buf_add(&t->names, c.ends.data, c.ends.len)))
		st = buf_add(&t->names, c.data.data, c.data.len);
	packing_free(&c);
	return st;
}

struct name_rec {
	uint64_t hash;
	uint32_t section;
};

static int
cmp_name_recs(const void *pa, const void *pb)
{
	const struct name_rec *a = pa, *c = pb;

	if (a->hash != c->hash)
		return a->hash < c->hash ? -1 : 1;
	return a->section < c->section ? -1 : a->section > c->section;
}

/* HTML_NAMES: every name when there are few (NAMES_ALL_MAX), else the
 * names some link wants; sorted (blob-format.h). */
static awn_status
put_html_names(awn_builder *b, struct buf *out, awn_error *err)
{
	unsigned char chunk[BLOB_NAME_REC_SIZE * 1024];
	struct buf keep; /* struct name_rec */
	const struct name_rec *k;
	size_t i, n, nkeep;
	uint64_t off;
	awn_status st;
	int all = b->html_names.len <= NAMES_ALL_MAX * BLOB_NAME_REC_SIZE;

	if (b->html_names.len == 0 || (!all && b->frags.n == 0))
		return AWN_OK;
	if ((st = spill_flush(&b->html_names, err)))
		return st;
	buf_init(&keep, 0);
	for (off = 0; off < b->html_names.len && !st; off += n) {
		n = b->html_names.len - off < sizeof(chunk)
		        ? (size_t)(b->html_names.len - off)
		        : sizeof(chunk);
		st = spill_read(&b->html_names, off, chunk, n, err);
		for (i = 0; !st && i + BLOB_NAME_REC_SIZE <= n;
		     i += BLOB_NAME_REC_SIZE) {
			struct name_rec r = {blob_u64(chunk + i),
			                     blob_u32(chunk + i + 8)};
			if (all || frag_has(&b->frags, r.hash))
				st = buf_add(&keep, &r, sizeof(r));
		}
	}
	nkeep = keep.len / sizeof(*k);
	if (!st && nkeep > 1)
		qsort(keep.data, nkeep, sizeof(*k), cmp_name_recs);
	k = (const struct name_rec *)keep.data;
	for (i = 0; i < nkeep && !st; i++)
		if (!(st = blob_put_u64(out, k[i].hash)))
			st = blob_put_u32(out, k[i].section);
	buf_free(&keep);
	return st;
}

/* The ANCHORS table: sections, in the order of their sorted anchors
 * (merged from the runs if there are any). */
static awn_status
put_anchors(awn_builder *b, struct buf *out, awn_error *err)
{
	size_t i;
	awn_status st;

	if (b->anchor_runs.n > 0) {
		if ((st = write_anchor_run(b)) ||
		    (st = blob_packer_header(&b->anchor_k, out)))
			return st;
		if ((st = merge_anchor_runs(b, NULL, out, err)))
			return st;
		return blob_packer_finish(&b->anchor_k, out);
	}
	sort_anchors(b);
	st = blob_packer_header(&b->anchor_k, out);
	for (i = 0; i < b->nanchor && !st; i++)
		st = blob_packer_put(&b->anchor_k, out, &b->anchor[i].section);
	return st ? st : blob_packer_finish(&b->anchor_k, out);
}

/* ---- title info --------------------------------------------------------- */

#define TITLE_WINDOW ((size_t)1 << 20)

/* What TITLE_INFO repeats of a section's record. */
struct title_fields {
	uint32_t ahead, tokens;
	uint64_t title; /* title length << 1 | 1 for a root */
};

/* The fields of every section, from the records retire_sections wrote. */
static awn_status
read_title_fields(awn_builder *b, struct title_fields **out, awn_error *err)
{
	unsigned char rec[64 * SECREC_SIZE];
	struct title_fields *f;
	size_t i, j, n;
	awn_status st = AWN_OK;

	if ((*out = f = alloc_reallocarray(NULL, b->nsec ? b->nsec : 1,
	                                   sizeof(*f))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (i = 0; i < b->nsec && !st; i += n) {
		n = b->nsec - i < 64 ? b->nsec - i : 64;
		st = spill_read(&b->secrecs, (uint64_t)i * SECREC_SIZE, rec,
		                n * SECREC_SIZE, err);
		for (j = 0; j < n && !st; j++) {
			const unsigned char *r = rec + j * SECREC_SIZE;
			/* parent, end, ..., title length at 20, tokens at 44 */
			f[i + j].ahead = blob_u32(r + 4) - (uint32_t)(i + j);
			f[i + j].tokens = blob_u32(r + 44);
			f[i + j].title = (uint64_t)blob_u32(r + 20) << 1 |
			                 (blob_u32(r) == AWN_NONE);
		}
	}
	return st;
}

/*
 * POST_SKIPS (blob-format.h) as put_title_info reads the lists: one
 * block's record is written when its last posting has been seen.
 */
struct skip_writer {
	struct buf recs, body; /* the table's records and its blocks */
	uint32_t nlists;
	uint32_t n; /* postings of the current block */
	uint64_t first, prev_first, off, prev_off;
	uint64_t ntitle, tf_max, tf_sum;
	uint64_t title[POST_SKIP_B]; /* its title postings' sections */
};

static awn_status
skip_block(struct skip_writer *w)
{
	awn_status st;
	uint64_t k;

	if ((st = blob_put_varint(&w->body, w->first - w->prev_first)) ||
	    (st = blob_put_varint(&w->body, w->off - w->prev_off)) ||
	    (st = blob_put_varint(&w->body, w->ntitle)) ||
	    (st = blob_put_varint(&w->body, w->tf_max)) ||
	    (st = blob_put_varint(&w->body, w->tf_sum)))
		return st;
	for (k = 0; k < w->ntitle; k++)
		if ((st = blob_put_varint(
		         &w->body,
		         w->title[k] - (k ? w->title[k - 1] : w->first))))
			return st;
	w->prev_first = w->first;
	w->prev_off = w->off;
	w->n = 0;
	return AWN_OK;
}

/* Posting K of a long list, at byte OFF of it: section SEC, W as
 * blob_posting gives it (tf as a reader clips it). */
static awn_status
skip_posting(struct skip_writer *w, uint32_t k, uint64_t off, uint64_t sec,
             uint64_t tw)
{
	uint64_t tf = tw >> POST_FLAG_BITS;

	if (tf > UINT32_MAX)
		tf = UINT32_MAX;
	if (k == 0)
		w->prev_first = w->prev_off = 0;
	if (w->n == 0) {
		w->first = sec;
		w->off = off;
		w->ntitle = w->tf_max = w->tf_sum = 0;
	}
	if (tw & POST_IN_TITLE)
		w->title[w->ntitle++] = sec;
	else if (tf > w->tf_max)
		w->tf_max = tf;
	w->tf_sum += tf;
	return ++w->n == POST_SKIP_B ? skip_block(w) : AWN_OK;
}

/* The end of long list ORDINAL. */
static awn_status
skip_list_end(struct skip_writer *w, uint32_t ordinal, awn_error *err)
{
	awn_status st;

	if (w->n > 0 && (st = skip_block(w)))
		return st;
	if (w->body.len > UINT32_MAX)
		return error_set(err, AWN_ERR_LIMIT,
		                 "posting skips are larger than 4 GiB");
	w->nlists++;
	if ((st = blob_put_u32(&w->recs, ordinal)))
		return st;
	return blob_put_u32(&w->recs, (uint32_t)w->body.len);
}

/* The table, left empty when no list is long: the blobs of small notes
 * stay as they were. */
static awn_status
skip_table(struct skip_writer *w, struct buf *out)
{
	awn_status st;

	if (w->nlists == 0)
		return AWN_OK;
	if ((st = blob_put_u32(out, POST_SKIP_B)) ||
	    (st = blob_put_u32(out, w->nlists)) ||
	    (st = buf_add(out, w->recs.data, w->recs.len)))
		return st;
	return buf_add(out, w->body.data, w->body.len);
}

/*
 * TITLE_INFO (blob-format.h): the record fields ranking reads for each
 * title posting, in term order beside POSTINGS, so that a lookup reads
 * them in one stretch instead of a SECTIONS record per title posting
 * (498 records over 14 64 KiB windows for "lambda" in awsdocs).  Each
 * list is read back from POSTINGS as merge_postings wrote it; the long
 * ones' POST_SKIPS are made in the same pass.
 */
static awn_status
put_title_info(awn_builder *b, struct tables *t, awn_error *err)
{
	struct skip_writer sw;
	const uint32_t nb =
	    (uint32_t)((b->nterm + TITLE_INFO_TERMS - 1) / TITLE_INFO_TERMS);
	struct title_fields *f = NULL;
	struct buf list, chunk, body;
	uint32_t *start = NULL;     /* each block's, in BODY */
	uint64_t pos = 0, base = 0; /* LIST holds POSTINGS from BASE on */
	size_t i;
	awn_status st;

	buf_init(&list, 0);
	buf_init(&chunk, 0);
	buf_init(&body, 0);
	memset(&sw, 0, sizeof(sw));
	buf_init(&sw.recs, 0);
	buf_init(&sw.body, 0);
	if ((st = read_title_fields(b, &f, err)))
		goto out;
	if ((start = alloc_reallocarray(NULL, nb ? nb : 1, sizeof(*start))) ==
	    NULL) {
		st = error_set(err, AWN_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < b->nterm && !st; i++) {
		const struct bterm *tm = &b->term[t->order[i]];
		const unsigned char *p, *end, *list0;
		uint64_t sec = 0, delta, w;
		uint32_t k;
		int skips = tm->df >= POST_SKIP_MIN;

		if (i % TITLE_INFO_TERMS == 0)
			start[i / TITLE_INFO_TERMS] = (uint32_t)body.len;
		/* POSTINGS may be on file: read it a window at a time. */
		if (pos + tm->post_len > base + list.len) {
			size_t want = tm->post_len > TITLE_WINDOW
			                  ? (size_t)tm->post_len
			                  : TITLE_WINDOW;
			if (want > t->postings.len - pos)
				want = (size_t)(t->postings.len - pos);
			buf_reset(&list);
			if ((st = buf_reserve(&list, want)) ||
			    (st = spill_read(&t->postings, pos, list.data, want,
			                     err)))
				break;
			list.len = want;
			base = pos;
		}
		p = list0 = (const unsigned char *)list.data + (pos - base);
		end = p + tm->post_len;
		pos += tm->post_len;
		buf_reset(&chunk);
		for (k = 0; k < tm->df && !st; k++) {
			uint64_t off = (uint64_t)(p - list0);
			if (blob_posting(&p, end, &delta, &w) < 0 ||
			    (sec += delta) >= b->nsec) {
				st = corrupt_run(err);
				break;
			}
			if (skips && (st = skip_posting(&sw, k, off, sec, w)))
				break;
			if ((w & POST_IN_TITLE) &&
			    (!(st = blob_put_varint(&chunk, f[sec].ahead)) &&
			     !(st = blob_put_varint(&chunk, f[sec].tokens))))
				st = blob_put_varint(&chunk, f[sec].title);
		}
		if (!st && skips)
			st = skip_list_end(&sw, (uint32_t)i, err);
		if (!st && chunk.len > 0 &&
		    !(st = blob_put_varint(&body, i % TITLE_INFO_TERMS)) &&
		    !(st = blob_put_varint(&body, chunk.len)))
			st = buf_add(&body, chunk.data, chunk.len);
	}
	/* The offsets count from the table's start: past them, and 4 GiB
	 * at most. */
	if (!st && body.len > UINT32_MAX - 4 - 4 * (uint64_t)nb)
		st = error_set(err, AWN_ERR_LIMIT,
		               "title info is larger than 4 GiB");
	if (!st)
		st = blob_put_u32(&t->title_info, nb);
	for (i = 0; i < nb && !st; i++)
		st = blob_put_u32(&t->title_info,
		                  (uint32_t)(4 + 4 * (uint64_t)nb) + start[i]);
	if (!st)
		st = buf_add(&t->title_info, body.data, body.len);
	if (!st)
		st = skip_table(&sw, &t->post_skips);
	if (st && err && err->status == AWN_OK)
		error_set(err, st, "title info: %s", awn_strerror(st));
out:
	alloc_free(f);
	alloc_free(start);
	buf_free(&list);
	buf_free(&chunk);
	buf_free(&body);
	buf_free(&sw.recs);
	buf_free(&sw.body);
	return st;
}

/* The length of the leading '/'-separated components that real
 * directories A and B (absolute, no final '/'; "" for "/") share. */
static size_t
shared_dirs(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, last = 0;

	for (; i < an && i < bn && a[i] == b[i]; i++)
		if (a[i] == '/')
			last = i;
	if ((i == an || a[i] == '/') && (i == bn || b[i] == '/'))
		return i;
	return last;
}

/*
 * SOURCES (blob-format.h), when the paths given lie in more than one
 * directory: each place as a path below the deepest directory that
 * holds them all, so that the blob says nothing of where that was and
 * still leads links between them when moved.
 */
static awn_status
put_sources(awn_builder *b, struct buf *out)
{
	const char *p = b->places.data, *end, *q;
	const char *first_dir = NULL;
	size_t n = 0, common = 0, off, k;
	uint32_t first, len;
	awn_status st;

	if (b->place_unknown || b->places.len == 0) /* data may be NULL */
		return AWN_OK;
	end = p + b->places.len;
	for (q = p; q < end; q += 8 + len, n++) {
		memcpy(&len, q + 4, 4);
		if (first_dir == NULL)
			common = len, first_dir = q + 8;
		else
			common = shared_dirs(first_dir, common, q + 8, len);
	}
	if (n < 2)
		return AWN_OK;
	if ((st = blob_put_u32(out, (uint32_t)n)))
		return st;
	off = 4 + 12 * n;
	for (q = p; q < end && !st; q += 8 + len) {
		memcpy(&first, q, 4);
		memcpy(&len, q + 4, 4);
		k = len - common - (len > common); /* past the '/' */
		if (off > UINT32_MAX - k)
			return AWN_ERR_LIMIT;
		if (!(st = blob_put_u32(out, first)) &&
		    !(st = blob_put_u32(out, (uint32_t)off)))
			st = blob_put_u32(out, (uint32_t)k);
		off += k;
	}
	for (q = p; q < end && !st; q += 8 + len) {
		memcpy(&len, q + 4, 4);
		k = len - common - (len > common);
		st = buf_add(out, q + 8 + len - k, k);
	}
	return st;
}

/* ORIGINS (blob-format.h), from what note_root, add_file and note_line
 * kept; nothing for notes without sections. */
static awn_status
put_origins(awn_builder *b, struct buf *out)
{
	const char *p = b->roots.data, *end = p + b->roots.len, *q;
	uint32_t rec[2], nroots = 0;
	size_t dirs = 0, off, lines_at;
	int lead;
	awn_status st = AWN_OK;

	if (b->nsec == 0)
		return AWN_OK;
	for (q = p; q < end; q += 8 + rec[1], nroots++) {
		memcpy(rec, q, sizeof(rec));
		dirs += rec[1];
	}
	/* Roots start at document 0: before the first, none was known. */
	if (nroots > 0)
		memcpy(rec, p, sizeof(rec));
	lead = nroots == 0 || rec[0] != 0;
	nroots += (uint32_t)lead;
	off = ORIGIN_HEAD_SIZE + (size_t)ORIGIN_ROOT_SIZE * nroots +
	      b->odd_suffix.len;
	lines_at = off + dirs;
	if (lines_at > UINT32_MAX)
		return AWN_ERR_LIMIT;
	if ((st = blob_put_u32(out, (uint32_t)b->nsec)) ||
	    (st = blob_put_u32(out, nroots)) ||
	    (st = blob_put_u32(out, (uint32_t)(b->odd_suffix.len / 4))) ||
	    (st = blob_put_u32(out, (uint32_t)lines_at)))
		return st;
	if (lead &&
	    ((st = blob_put_u32(out, 0)) || (st = blob_put_u32(out, 0)) ||
	     (st = blob_put_u32(out, 0))))
		return st;
	for (q = p; q < end && !st; q += 8 + rec[1], off += rec[1]) {
		memcpy(rec, q, sizeof(rec));
		if (!(st = blob_put_u32(out, rec[0])) &&
		    !(st = blob_put_u32(out, (uint32_t)off)))
			st = blob_put_u32(out, rec[1]);
	}
	if (!st)
		st = buf_add(out, b->odd_suffix.data, b->odd_suffix.len);
	for (q = p; q < end && !st; q += 8 + rec[1]) {
		memcpy(rec, q, sizeof(rec));
		st = buf_add(out, q + 8, rec[1]);
	}
	if (!st)
		st = buf_add(out, b->line_blocks.data, b->line_blocks.len);
	if (!st)
		st = buf_add(out, b->lines.data, b->lines.len);
	return st;
}

static awn_status
build_tables(awn_builder *b, struct tables *t, awn_error *err)
{
	struct dict_writer dw;
	awn_status st = AWN_OK;
	size_t i;

	buf_init(&t->terms, 0);
	buf_init(&t->term_blocks, 0);
	buf_init(&t->term_keys, 0);
	spill_init(&t->postings);
	spill_init(&t->strings);
	buf_init(&t->sections, 0);
	buf_init(&t->docs, 0);
	buf_init(&t->names, 0);
	buf_init(&t->anchors, 0);
	buf_init(&t->grams, 0);
	buf_init(&t->title_info, 0);
	buf_init(&t->html_names, 0);
	buf_init(&t->sources, UINT32_MAX);
	buf_init(&t->suffixes, UINT32_MAX);
	buf_init(&t->origins, UINT32_MAX);
	buf_init(&t->post_skips, 0);
	b->err = err; /* for the spills */
	/* The text thread deflates the last segment meanwhile. */
	if ((st = flush_block(b, err)))
		goto out;
	textblocks_close(&b->tb);
	if ((st = retire_sections(b)) || /* of a document that failed */
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
	if ((st = sort_terms(b, t->order, b->nterm)))
		goto out;
	sort_builder = b;
	dict_writer_init(&dw, &t->terms, &t->term_blocks, &t->term_keys);
	st = merge_postings(b, t->order, &t->postings, &dw, err);
	if (!st)
		st = put_title_info(b, t, err);

	if (!st)
		st = fuzzy_write_grams((uint32_t)b->nterm, (uint32_t)b->nsec,
		                       sorted_term, t, &t->grams);

	sort_builder = NULL;
	/* Anchors, sorted for binary search. */
	if (!st)
		st = put_anchors(b, &t->anchors, err);
	if (!st)
		st = put_html_names(b, &t->html_names, err);
	if (!st)
		st = put_sources(b, &t->sources);
	if (!st && b->suffixed.len > 0 && /* SUFFIXES: count, documents */
	    !(st = blob_put_u32(&t->suffixes, (uint32_t)(b->suffixed.len / 4))))
		st = buf_add(&t->suffixes, b->suffixed.data, b->suffixed.len);
	if (!st)
		st = put_origins(b, &t->origins);
	if (!st)
		st = put_sections(b, t, err);
	if (!st)
		st = put_docs(b, t, err);
	if (!st)
		st = textblocks_finish(&b->tb, err);
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
	struct blob_table t = {type, spill_in_memory(s), (size_t)s->len,
	                       read_spill, s};

	return t;
}

static awn_status
write_blob(awn_builder *b, const char *path, int fd, void **data, size_t *len,
           awn_error *err)
{
	struct tables t;
	struct blob_counts c;
	awn_status st;

	memset(&t, 0, sizeof(t));
	if (err)
		err->status = AWN_OK, err->detail[0] = '\0';
	if (b->progress != NULL)
		b->progress(b->progress_ctx, b->files_read, b->bytes_read, 1);
	if ((st = build_tables(b, &t, err)) != AWN_OK) {
		tables_free(&t);
		if (err && err->status == st) /* said why already */
			return st;
		return error_set(err, st, "%s: %s", path ? path : "blob",
		                 awn_strerror(st));
	}
	{
		/*
		 * The writer's order is free (readers go by the directory).
		 * The small tables that every lookup reads a little of come
		 * first, TERM_KEYS sharing the header's pages: the kernel
		 * maps a large blob 2 MiB at a time where it can (db.c's
		 * MADV_HUGEPAGE), each stretch a lookup touches counts in
		 * its RSS, and these fill about the first 2 MiB of the
		 * 59 MB set's blob.  Then the big index tables every lookup
		 * reads, those only some read (typos, regexes, --where),
		 * and TEXT last.  Before, with the small ones among the
		 * big, a lookup touched 7 of those stretches rather than 5:
		 * 16.9 MiB of peak RSS, not 10.9.
		 */
		struct blob_table tab[] = {
		    {BT_TERM_KEYS, t.term_keys.data, t.term_keys.len, NULL,
		     NULL},
		    {BT_SOURCES, t.sources.data, t.sources.len, NULL, NULL},
		    {BT_HTML_NAMES, t.html_names.data, t.html_names.len, NULL,
		     NULL},
		    {BT_SUFFIXES, t.suffixes.data, t.suffixes.len, NULL, NULL},
		    {BT_DOCS, t.docs.data, t.docs.len, NULL, NULL},
		    {BT_BLOCKS, b->tb.blocks.data, b->tb.blocks.len, NULL,
		     NULL},
		    {BT_TERM_BLOCKS, t.term_blocks.data, t.term_blocks.len,
		     NULL, NULL},
		    {BT_POST_SKIPS, t.post_skips.data, t.post_skips.len, NULL,
		     NULL},
		    {BT_ANCHORS, t.anchors.data, t.anchors.len, NULL, NULL},
		    {BT_TEXT_DICTS, b->tb.dicts.data, b->tb.dicts.len, NULL,
		     NULL},
		    {BT_DOC_NAMES, t.names.data, t.names.len, NULL, NULL},
		    {BT_TITLE_INFO, t.title_info.data, t.title_info.len, NULL,
		     NULL},
		    spill_table(BT_STRINGS, &t.strings),
		    {BT_SECTIONS, t.sections.data, t.sections.len, NULL, NULL},
		    {BT_TERMS, t.terms.data, t.terms.len, NULL, NULL},
		    spill_table(BT_POSTINGS, &t.postings),
		    {BT_TERM_GRAMS, t.grams.data, t.grams.len, NULL, NULL},
		    spill_table(BT_BLOCK_GRAMS, &b->tb.filters),
		    {BT_ORIGINS, t.origins.data, t.origins.len, NULL, NULL},
		    spill_table(BT_TEXT, &b->tb.text), /* last, awsnote(5) */
		};
		size_t n = sizeof(tab) / sizeof(tab[0]), i, k;

		/* Empty optional tables are left out: the blobs of notes
		 * without names or long lists, or of one path, stay as they
		 * were. */
		for (i = k = 0; i < n; i++)
			if (tab[i].len > 0 || (tab[i].type != BT_HTML_NAMES &&
			                       tab[i].type != BT_SOURCES &&
			                       tab[i].type != BT_SUFFIXES &&
			                       tab[i].type != BT_ORIGINS &&
			                       tab[i].type != BT_POST_SKIPS &&
			                       tab[i].type != BT_TERM_KEYS))
				tab[k++] = tab[i];
		n = k;
		c.nsections = (uint32_t)b->nsec;
		c.ndocs = b->doc;
		c.nterms = (uint32_t)b->nterm;
		c.nblocks = b->nblocks;
		c.total_tokens = b->total_tokens;
		if (path) {
			st = blob_write_file(path, &c, tab, n, err);
		} else if (fd >= 0 &&
		           blob_write_fd(fd, &c, tab, n, err) == AWN_OK) {
			*data = NULL;
			st = AWN_OK;
		} else {
			/* The tables are whole, and spilled ones are read
			 * again from the start (pread). */
			if (err)
				err->status = AWN_OK, err->detail[0] = '\0';
			st = blob_write_memory(data, len, &c, tab, n, err);
		}
	}
	tables_free(&t);
	return st;
}

awn_status
awn_builder_write_file(awn_builder *b, const char *path, awn_error *err)
{
	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return write_blob(b, path, -1, NULL, NULL, err);
}

awn_status
awn_builder_write_memory(awn_builder *b, void **data, size_t *len,
                         awn_error *err)
{
	if (b == NULL || data == NULL || len == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return write_blob(b, NULL, -1, data, len, err);
}

awn_status
builder_write_fd(awn_builder *b, int fd, void **data, size_t *len,
                 awn_error *err)
{
	return write_blob(b, NULL, fd, data, len, err);
}
