/*
 * fuzzy.h - typo tolerance: a trigram index over the dictionary finds the
 * few terms that share enough trigrams with a misspelt word, and an edit
 * distance (with transpositions) picks among them.  Lookups cost the
 * length of a handful of trigram lists, never a scan of the dictionary.
 */
#ifndef FUZZY_H
#define FUZZY_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "blob-read.h"
#include "buf.h"
#include "dict.h"

/* Words of fewer letters (code points) than this get no corrections. */
#define FUZZY_MIN_LEN 4
/* Terms of more letters than this, or mostly digits, are not in the
 * trigram index: nobody misspells "3600s" or a 40-letter compound in a
 * way worth it. */
#define FUZZY_MAX_LEN 24
/*
 * From this many sections on, terms found in one section only are not in
 * the trigram index either: in a corpus that large such a term is as
 * likely a typo, an ID or a hash as a word anyone means (42% of the
 * terms of awsdocs+tldr), and a correction should lead to text that
 * recurs.  Smaller notes, a student's file, keep every term.
 */
#define FUZZY_RARE_SECTIONS 10000

/*
 * Build the TERM_GRAMS table into OUT from the sorted dictionary of a blob
 * of NSECTIONS sections: TERM(i) returns term i's bytes and length, and its
 * df in *DF.
 */
awn_status fuzzy_write_grams(uint32_t nterms, uint32_t nsections,
                             const char *(*term)(void *ctx, uint32_t i,
                                                 size_t *len, uint32_t *df),
                             void *ctx, struct buf *out);

/*
 * Gram lists fuzzy_find decoded from one blob, kept for its next lookups:
 * a query's two words typed as one ("lamda concurency" ->
 * lamdaconcurency) and a word's second try at two edits share most
 * grams with the lookups before them.  Owns its buffers: fuzzy_cache_init
 * before use, fuzzy_cache_free after.
 */
#define FUZZY_CACHE_LISTS 64
struct fuzzy_cache {
	const struct blob *b; /* the blob the lists are from */
	uint32_t gram[FUZZY_CACHE_LISTS];
	size_t at[FUZZY_CACHE_LISTS]; /* where in ORDS, in ordinals */
	unsigned n;
	/* The lists' ordinals (uint32_t), back to back; past them, one
	 * lookup's candidates and their counts (one allocation: it can
	 * grow in place). */
	struct buf ords;
};

void fuzzy_cache_init(struct fuzzy_cache *fc);
void fuzzy_cache_free(struct fuzzy_cache *fc);

/*
 * Closest dictionary term to TERM/LEN within MAXD edits, and at most the
 * distance allowed for its length (1 up to 7 letters, 2 from 8); ties go
 * to the term in more sections.  FC keeps the lists it decodes for the
 * next lookups in B (NULL: none kept).  Returns 1 with *BEST filled, 0 if
 * none, -1 if the index is corrupt, -2 when out of memory.  Blobs without
 * a TERM_GRAMS table give 0.
 */
int fuzzy_find(const struct blob *b, struct fuzzy_cache *fc, const char *term,
               size_t len, unsigned maxd, struct dict_entry *best);

/*
 * Optimal-string-alignment distance between A and B in letters, UTF-8
 * code points, an invalid byte being one (insertions, deletions,
 * substitutions and adjacent transpositions cost 1), or MAX + 1 as soon
 * as it must exceed MAX.
 */
unsigned fuzzy_distance(const char *a, size_t an, const char *b, size_t bn,
                        unsigned max);

#endif /* FUZZY_H */
