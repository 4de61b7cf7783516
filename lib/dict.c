/*
 * dict.c - writing and reading the front-coded term dictionary.
 *
 * Every block starts with a whole term, so a binary search over the block
 * index finds the one block that can hold a term, and at most
 * DICT_BLOCK_TERMS terms are decoded to settle it.
 */
#include <string.h>

#include "blob-format.h"
#include "blob-write.h"
#include "dict.h"

void
dict_writer_init(struct dict_writer *w, struct buf *terms, struct buf *index,
                 struct buf *keys)
{
	memset(w, 0, sizeof(*w));
	w->terms = terms;
	w->index = index;
	w->keys = keys;
}

/* TERM_KEYS' entry for a block whose first term is TERM/LEN. */
static awn_status
put_key(struct dict_writer *w, const char *term, size_t len)
{
	unsigned char key[DICT_KEY_SIZE] = {0};
	awn_status st;

	if (w->keys->len == 0 &&
	    (st = blob_put_u32(w->keys, DICT_KEY_STRIDE)) != AWN_OK)
		return st;
	memcpy(key, term, len < sizeof(key) ? len : sizeof(key));
	return buf_add(w->keys, key, sizeof(key));
}

/*
 * Two numbers in one byte, a nibble each (awsnote(5), TERMS); a nibble of
 * 15 says that the number minus 15 follows as a varint.  Most terms then
 * take one byte for shared and suffix and one for df and list length.
 */
static awn_status
put_pair(struct buf *b, uint64_t hi, uint64_t lo)
{
	unsigned char c =
	    (unsigned char)((hi < DICT_NIBBLE ? hi : DICT_NIBBLE) << 4 |
	                    (lo < DICT_NIBBLE ? lo : DICT_NIBBLE));
	awn_status st;

	if ((st = buf_add(b, &c, 1)) ||
	    (hi >= DICT_NIBBLE &&
	     (st = blob_put_varint(b, hi - DICT_NIBBLE))) ||
	    (lo >= DICT_NIBBLE && (st = blob_put_varint(b, lo - DICT_NIBBLE))))
		return st;
	return AWN_OK;
}

/* A nibble *N of DICT_NIBBLE plus the varint at *P. */
static int
get_escape(const unsigned char **p, const unsigned char *end, uint64_t *n)
{
	uint64_t v;

	if (*n < DICT_NIBBLE)
		return 0;
	if (blob_varint(p, end, &v) < 0 || v > UINT32_MAX)
		return -1;
	*n += v;
	return 0;
}

/* The pair put_pair wrote at *P; -1 if it runs past END.  Inline, with
 * the one-byte pair first: every term decoded reads two. */
static inline int
get_pair(const unsigned char **p, const unsigned char *end, uint64_t *hi,
         uint64_t *lo)
{
	if (*p >= end)
		return -1;
	*hi = **p >> 4;
	*lo = **p & DICT_NIBBLE;
	(*p)++;
	if (*hi < DICT_NIBBLE && *lo < DICT_NIBBLE)
		return 0;
	return get_escape(p, end, hi) < 0 || get_escape(p, end, lo) < 0 ? -1
	                                                                : 0;
}

awn_status
dict_writer_add(struct dict_writer *w, const char *term, size_t len,
                uint32_t df, uint32_t post_len)
{
	size_t shared = 0;
	awn_status st;

	/* A posting takes a byte at least, so the list length is stored as
	 * what it has beyond df. */
	if (len > TOKEN_MAX || df == 0 || post_len < df)
		return AWN_ERR_ARG;
	if (w->n % DICT_BLOCK_TERMS == 0) {
		if ((st = blob_put_u32(w->index, (uint32_t)w->terms->len)) ||
		    (st = blob_put_u64(w->index, w->post_off)))
			return st;
		if (w->keys != NULL &&
		    w->n % (DICT_BLOCK_TERMS * DICT_KEY_STRIDE) == 0 &&
		    (st = put_key(w, term, len)))
			return st;
	} else {
		while (shared < len && shared < w->prev_len &&
		       term[shared] == w->prev[shared])
			shared++;
	}
	if ((st = put_pair(w->terms, shared, len - shared)) ||
	    (st = buf_add(w->terms, term + shared, len - shared)) ||
	    (st = put_pair(w->terms, df - 1, post_len - df)))
		return st;
	memcpy(w->prev, term, len);
	w->prev_len = len;
	w->post_off += post_len;
	w->n++;
	return AWN_OK;
}

static int
compare(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* Position IT at the start of block K; -1 if the index is corrupt. */
static int
seek_block(struct dict_iter *it, uint32_t k)
{
	const struct blob *b = it->b;
	const struct blob_slice *ix = &b->table[BT_TERM_BLOCKS];
	const struct blob_slice *t = &b->table[BT_TERMS];
	const unsigned char *r;
	uint32_t off;

	if ((size_t)k * BLOB_TERM_BLOCK_SIZE >= ix->len ||
	    blob_check_tables(b, BLOB_DICT_TABLES, NULL) != AWN_OK)
		return -1;
	r = ix->p + (size_t)k * BLOB_TERM_BLOCK_SIZE;
	off = blob_u32(r);
	if (off > t->len)
		return -1;
	it->block = k;
	it->in_block = 0;
	it->ordinal = k * DICT_BLOCK_TERMS;
	it->p = t->p + off;
	it->end = t->p + t->len;
	it->cur.len = 0;
	it->cur.post_off = blob_u64(r + 4);
	it->cur.post_len = 0;
	return 0;
}

/* Is a term of SHARED + SUFFIX bytes, after one of PREV bytes (FIRST in
 * its block) with ROOM bytes left in the table, malformed? */
static inline int
bad_term(uint64_t shared, uint64_t suffix, size_t prev, int first, size_t room)
{
	return shared > prev || (first && shared != 0) ||
	       suffix > TOKEN_MAX - shared || suffix > room;
}

/* Are a term's df - 1 and list length beyond df out of range? */
static inline int
bad_counts(uint64_t df, uint64_t extra)
{
	return df >= UINT32_MAX || extra > UINT32_MAX - 1 - df;
}

/* Decode the next term into IT->cur: 1, 0 at the end, -1 if corrupt. */
static int
iter_step(struct dict_iter *it)
{
	uint64_t shared, suffix, df, extra;
	struct dict_entry *c = &it->cur;

	if (it->ordinal >= it->b->nterms)
		return 0;
	if (it->in_block == DICT_BLOCK_TERMS &&
	    seek_block(it, it->block + 1) < 0)
		return -1;
	if (get_pair(&it->p, it->end, &shared, &suffix) < 0 ||
	    bad_term(shared, suffix, c->len, it->in_block == 0,
	             (size_t)(it->end - it->p)))
		return -1;
	memcpy(c->term + shared, it->p, suffix);
	it->p += suffix;
	c->len = shared + suffix;
	c->term[c->len] = '\0';
	if (get_pair(&it->p, it->end, &df, &extra) < 0 || bad_counts(df, extra))
		return -1;
	c->post_off += c->post_len; /* lists are stored back to back */
	c->df = (uint32_t)df + 1;
	c->post_len = (uint32_t)(df + 1 + extra);
	c->ordinal = it->ordinal++;
	it->in_block++;
	return 1;
}

int
dict_next(struct dict_iter *it, struct dict_entry *e)
{
	int r = iter_step(it);

	if (r == 1)
		*e = it->cur;
	return r;
}

/* First term of block K, without disturbing an iterator. */
static int
block_first(const struct blob *b, uint32_t k, struct dict_entry *e)
{
	struct dict_iter it;

	it.b = b;
	if (seek_block(&it, k) < 0)
		return -1;
	return dict_next(&it, e) == 1 ? 0 : -1;
}

/*
 * Narrow [*LO, *HI) to the blocks that TERM_KEYS leaves for FROM/LEN: a
 * key below FROM's own key starts a block whose first term sorts before
 * FROM, one above it a block whose first term sorts after.  Keys of
 * another shape than this reader knows are ignored; wrong keys (a crafted
 * blob) give a wrong range, never one outside the blocks.
 */
static void
keys_narrow(const struct blob *b, const char *from, size_t len,
            uint32_t nblocks, uint32_t *lo, uint32_t *hi)
{
	const struct blob_slice *t = &b->table[BT_TERM_KEYS];
	unsigned char want[DICT_KEY_SIZE] = {0};
	const unsigned char *keys;
	uint64_t stride, nkeys, below = 0, upto, l, h;

	if (t->p == NULL || t->len < 4 || (stride = blob_u32(t->p)) == 0)
		return;
	nkeys = (nblocks + stride - 1) / stride;
	if (t->len != 4 + nkeys * DICT_KEY_SIZE ||
	    blob_check_tables(b, BLOB_TABLE_BIT(BT_TERM_KEYS), NULL))
		return;
	keys = t->p + 4;
	memcpy(want, from, len < sizeof(want) ? len : sizeof(want));
	/* below: keys < want; upto: keys <= want. */
	for (l = 0, h = nkeys; l < h;) {
		uint64_t mid = l + (h - l) / 2;
		if (memcmp(keys + mid * DICT_KEY_SIZE, want, DICT_KEY_SIZE) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	below = l;
	for (h = nkeys; l < h;) {
		uint64_t mid = l + (h - l) / 2;
		if (memcmp(keys + mid * DICT_KEY_SIZE, want, DICT_KEY_SIZE) <=
		    0)
			l = mid + 1;
		else
			h = mid;
	}
	upto = l;
	if (below > 0)
		*lo = (uint32_t)((below - 1) * stride);
	if (upto * stride < nblocks)
		*hi = (uint32_t)(upto * stride);
	if (*hi <= *lo)
		*hi = *lo + 1;
}

int
dict_iter_start(struct dict_iter *it, const struct blob *b, const char *from,
                size_t len)
{
	uint32_t nblocks =
	    (uint32_t)(b->table[BT_TERM_BLOCKS].len / BLOB_TERM_BLOCK_SIZE);
	uint32_t lo = 0, hi = nblocks;
	struct dict_entry e;

	memset(it, 0, sizeof(*it));
	it->b = b;
	if (b->nterms == 0 || nblocks == 0) {
		it->ordinal = b->nterms; /* nothing to iterate */
		return 0;
	}
	if (from != NULL)
		keys_narrow(b, from, len, nblocks, &lo, &hi);
	/* Last block whose first term is <= FROM. */
	while (from != NULL && hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (block_first(b, mid, &e) < 0)
			return -1;
		if (compare(e.term, e.len, from, len) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	if (seek_block(it, lo) < 0)
		return -1;
	if (from == NULL)
		return 0;
	/* Skip the block's terms that sort before FROM. */
	for (;;) {
		struct dict_iter save = *it;
		int r = dict_next(it, &e);
		if (r != 1)
			return r < 0 ? -1 : 0;
		if (compare(e.term, e.len, from, len) >= 0) {
			*it = save;
			return 0;
		}
	}
}

int
dict_skip_to(struct dict_iter *it, const char *to, size_t len,
             struct dict_entry *e)
{
	uint32_t nblocks =
	    (uint32_t)(it->b->table[BT_TERM_BLOCKS].len / BLOB_TERM_BLOCK_SIZE);
	struct dict_entry first;
	int r;

	/* The block index is the dictionary's own skip list. */
	while (it->ordinal < it->b->nterms && it->block + 1 < nblocks) {
		if (block_first(it->b, it->block + 1, &first) < 0)
			return -1;
		if (compare(first.term, first.len, to, len) > 0)
			break;
		if (seek_block(it, it->block + 1) < 0)
			return -1;
	}
	while ((r = dict_next(it, e)) == 1)
		if (compare(e->term, e->len, to, len) >= 0)
			return 1;
	return r;
}

int
dict_iter_start_near(struct dict_iter *it, const struct blob *b,
                     uint32_t ordinal, const char *from, size_t len,
                     struct dict_entry *e)
{
	uint32_t k, back;
	int r, c;

	memset(it, 0, sizeof(*it));
	it->b = b;
	/* That block, or one of the two before it. */
	for (k = ordinal / DICT_BLOCK_TERMS, back = 0;
	     ordinal < b->nterms && back < 3 && k - back <= k; back++) {
		if (seek_block(it, k - back) < 0 || (r = dict_next(it, e)) < 0)
			return -1;
		c = r == 1 ? compare(e->term, e->len, from, len) : 1;
		if (r == 1 && (c == 0 || (c > 0 && it->block == 0)))
			return 1; /* or the first term of all */
		if (r == 1 && c < 0)
			return dict_skip_to(it, from, len, e);
	}
	if (dict_iter_start(it, b, from, len) < 0)
		return -1;
	return dict_next(it, e);
}

int
dict_find(const struct blob *b, const char *term, size_t len,
          struct dict_entry *e)
{
	struct dict_iter it;
	int r;

	if (len > TOKEN_MAX)
		return 0;
	if (dict_iter_start(&it, b, term, len) < 0)
		return -1;
	r = dict_next(&it, e);
	if (r <= 0)
		return r;
	return e->len == len && memcmp(e->term, term, len) == 0;
}

/* Point IT at block ORDINAL / DICT_BLOCK_TERMS unless ORDINAL lies ahead
 * of it in the block it is in: -1 if the index is corrupt. */
static int
iter_near(struct dict_iter *it, const struct blob *b, uint32_t ordinal)
{
	if (it->b == b && it->in_block != 0 &&
	    it->block == ordinal / DICT_BLOCK_TERMS &&
	    it->ordinal <= ordinal + 1)
		return 0;
	memset(it, 0, sizeof(*it));
	it->b = b;
	return seek_block(it, ordinal / DICT_BLOCK_TERMS);
}

int
dict_iter_at(struct dict_iter *it, const struct blob *b, uint32_t ordinal,
             struct dict_entry *e)
{
	if (ordinal >= b->nterms)
		return 0;
	if (iter_near(it, b, ordinal) < 0)
		return -1;
	/* Step without copying each term out: only the last is wanted. */
	while (it->ordinal <= ordinal)
		if (iter_step(it) <= 0)
			return -1; /* the block ended early */
	*e = it->cur;
	return 1;
}

/*
 * iter_step's walk and checks over the term headers alone, in locals:
 * the block holds ORDINAL, so no step leaves it.
 */
int
dict_len_at(struct dict_iter *it, const struct blob *b, uint32_t ordinal,
            size_t *len)
{
	const unsigned char *p, *end;
	uint64_t shared, suffix, df, extra;
	size_t n;

	if (ordinal >= b->nterms)
		return 0;
	if (iter_near(it, b, ordinal) < 0)
		return -1;
	p = it->p;
	end = it->end;
	n = it->cur.len;
	for (; it->ordinal <= ordinal; it->ordinal++, it->in_block++) {
		if (get_pair(&p, end, &shared, &suffix) < 0 ||
		    bad_term(shared, suffix, n, it->in_block == 0,
		             (size_t)(end - p)))
			return -1;
		p += suffix;
		n = shared + suffix;
		if (get_pair(&p, end, &df, &extra) < 0 || bad_counts(df, extra))
			return -1;
	}
	it->p = p;
	it->cur.len = n;
	*len = n;
	return 1;
}

int
dict_at(const struct blob *b, uint32_t ordinal, struct dict_entry *e)
{
	struct dict_iter it;

	memset(&it, 0, sizeof(it));
	return dict_iter_at(&it, b, ordinal, e);
}
