/*
 * dict.h - the term dictionary: sorted terms, front-coded in blocks of
 * DICT_BLOCK_TERMS, with a small block index for binary search (layout in
 * blob-format.h and awsnote(5)).  About 8 bytes a term instead of a
 * fixed-size record, and still O(log n) to look a term up.
 */
#ifndef DICT_H
#define DICT_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "blob-read.h"
#include "buf.h"
#include "token.h"

struct dict_entry {
	char term[TOKEN_MAX + 1]; /* NUL-terminated */
	size_t len;
	uint32_t ordinal;  /* position in sorted order */
	uint32_t df;       /* sections containing the term */
	uint64_t post_off; /* its posting list in POSTINGS */
	uint32_t post_len;
};

/* ---- writing (the builder hands terms over in sorted order) ---- */

struct dict_writer {
	struct buf *terms, *index, *keys; /* TERMS, TERM_BLOCKS, TERM_KEYS */
	uint32_t n;
	uint64_t post_off; /* where the next posting list will start */
	char prev[TOKEN_MAX + 1];
	size_t prev_len;
};

/* KEYS may be NULL: no TERM_KEYS table. */
void dict_writer_init(struct dict_writer *w, struct buf *terms,
                      struct buf *index, struct buf *keys);
/* Append the next term (sorted after the previous one). */
awn_status dict_writer_add(struct dict_writer *w, const char *term, size_t len,
                           uint32_t df, uint32_t post_len);

/* ---- reading ---- */

/*
 * Look TERM/LEN up.  Returns 1 and fills *E when found, 0 when absent,
 * -1 when the dictionary is corrupt.
 */
int dict_find(const struct blob *b, const char *term, size_t len,
              struct dict_entry *e);

/*
 * Iterate in sorted order from the first term >= FROM/LEN (FROM may be
 * NULL for the very first term).  dict_next returns 1 with *E filled, 0
 * at the end, -1 on corruption.
 */
struct dict_iter {
	const struct blob *b;
	uint32_t block, in_block, ordinal;
	const unsigned char *p, *end;
	struct dict_entry cur;
};

int dict_iter_start(struct dict_iter *it, const struct blob *b,
                    const char *from, size_t len);
/* The entry with sorted position ORDINAL: 1, 0 if out of range, -1. */
int dict_at(const struct blob *b, uint32_t ordinal, struct dict_entry *e);
/* The same through IT (zeroed before its first use), which it reuses
 * when ORDINAL lies ahead in the block it is in: ascending ordinals
 * decode each block once. */
int dict_iter_at(struct dict_iter *it, const struct blob *b, uint32_t ordinal,
                 struct dict_entry *e);
int dict_next(struct dict_iter *it, struct dict_entry *e);
/* Move IT on to the first term that sorts at or after TO/LEN and give it,
 * as dict_next would (IT's terms so far sort before TO).  Blocks that
 * end before TO are passed over without decoding their terms. */
int dict_skip_to(struct dict_iter *it, const char *to, size_t len,
                 struct dict_entry *e);
/* Start IT at the first term that sorts at or after FROM/LEN and give it,
 * as dict_next would (1, 0 at the end, -1), searching from the block of
 * term ORDINAL, one known to sort just before or after FROM: no search
 * over the blocks when FROM sorts in that block or after it. */
int dict_iter_start_near(struct dict_iter *it, const struct blob *b,
                         uint32_t ordinal, const char *from, size_t len,
                         struct dict_entry *e);
/* The length of term ORDINAL in *LEN, through an iterator of its own
 * (zeroed before its first use, never passed to the others: it keeps
 * only lengths), which steps over the terms' bytes without copying them.
 * 1, 0 if out of range, -1 if corrupt.  For terms wanted only at some
 * lengths. */
int dict_len_at(struct dict_iter *it, const struct blob *b, uint32_t ordinal,
                size_t *len);

#endif /* DICT_H */
