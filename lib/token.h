/*
 * token.h - splitting text into index terms.
 *
 * The same rules serve the index builder and the query parser, so a word
 * matches itself however it is written: case-folded, light-stemmed, and
 * split at punctuation and camelCase while the whole also counts
 * ("SSE-S3" gives "sses3", "sse", "s3"; "WaitTimeSeconds" gives
 * "waittimesecond", "wait", "time", "second").
 */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"

#define TOKEN_MAX 64 /* longest term in bytes; longer words are cut */

enum token_kind {
	TOKEN_WORD, /* a whole word, or a compound joined without separators */
	TOKEN_PART, /* a piece of a compound or camelCase word */
};

struct token {
	const char *term; /* folded, stemmed; NUL-terminated, in a buffer of
	                     TOKEN_MAX + 1 bytes; valid in call */
	size_t len;
	size_t start, end; /* where in the text it comes from ([0,0) for
	                      acronyms, which have no one place) */
	unsigned pos;      /* word position in the text (parts share it) */
	unsigned kind;     /* enum token_kind */
};

typedef awn_status (*token_fn)(void *ctx, const struct token *t);

/*
 * Call FN for every term of TEXT/LEN (UTF-8; bytes below 0x20, such as
 * rich-text markers, separate words).  Stops at and returns FN's first
 * status other than AWN_OK.
 */
awn_status token_scan(const char *text, size_t len, token_fn fn, void *ctx);

/*
 * Only the TOKEN_WORD terms token_scan reports, in the same order, at a
 * fraction of its work: no parts, camelCase pieces or acronyms.
 */
awn_status token_words(const char *text, size_t len, token_fn fn, void *ctx);

/*
 * Terms token_count_words looks for: pointers to N NUL-terminated terms
 * (not owned: they must outlive the set) and their lengths.  Emptied
 * by token_set_clear, filled by token_set_add.
 */
#define TOKEN_SET_MAX 64

struct token_set {
	const char *term[TOKEN_SET_MAX];
	size_t len[TOKEN_SET_MAX];
	unsigned n;
	uint64_t first; /* bit token_first_bit(term[0]) of each term */
};

void token_set_clear(struct token_set *set);
/* Add TERM/LEN (NUL-terminated): AWN_ERR_LIMIT when the set is full. */
awn_status token_set_add(struct token_set *set, const char *term, size_t len);

/*
 * The TOKEN_WORD terms token_words reports for TEXT/LEN: how many in
 * *WORDS, and how many of those are a term of SET in *FOUND.  Words of
 * ASCII text that cannot be one of SET are not folded or stemmed.
 */
void token_count_words(const char *text, size_t len,
                       const struct token_set *set, unsigned *words,
                       unsigned *found);

/*
 * Only the terms token_scan reports that are terms of SET, in the same
 * order; the others are not folded or stemmed where their first byte
 * or length rules them out.
 */
awn_status token_scan_in(const char *text, size_t len,
                         const struct token_set *set, token_fn fn, void *ctx);

/*
 * Light English stemming in place: plurals and a final silent 'e', on
 * all-letter ASCII words longer than three bytes.  Returns the new length.
 */
size_t token_stem(char *term, size_t len);

/* Is the folded term T/N all ASCII letters (the terms the stemmer
 * shortens)? */
static inline int
token_all_letters(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] < 'a' || t[i] > 'z')
			return 0;
	return 1;
}

#endif /* TOKEN_H */
