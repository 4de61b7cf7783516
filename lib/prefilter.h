/*
 * prefilter.h - per-block trigram filters, so a regex search skips text
 * blocks that cannot contain its pattern without inflating them.
 *
 * The builder sets, for every block, one bit per trigram of the block's
 * plain text (ASCII letters folded to lower case) in a PREFILTER_BYTES
 * bitmap; the search derives from each pattern a literal every match must
 * contain, and inflates a block only if all the literal's trigrams are
 * set.  False positives cost an inflate; there are no false negatives.
 */
#ifndef PREFILTER_H
#define PREFILTER_H

#include <stddef.h>

#define PREFILTER_BYTES 256 /* 2048 bits a block */
#define PREFILTER_MIN   3   /* shorter literals filter nothing */
#define PREFILTER_MAX   64

/* Set the bits of the trigrams of one line of plain text. */
void prefilter_add(unsigned char *filter, const char *text, size_t len);

/* May a block with FILTER hold a line containing LIT/LEN (folded)? */
int prefilter_may_contain(const unsigned char *filter, const char *lit,
                          size_t len);

/*
 * A literal that every match of PATTERN must contain, folded, into OUT
 * (PREFILTER_MAX bytes); returns its length, or 0 when the pattern has
 * none we can be sure of (alternation, inline options, too short).
 * FIXED: the pattern is a plain string.  CASELESS: matching ignores case
 * (then only ASCII literals are used, as only ASCII is folded).
 */
size_t prefilter_literal(const char *pattern, int fixed, int caseless,
                         char *out);

/* The same literal as written in PATTERN, not folded (for a search of
 * unfolded text), and however short: 0 only when there is none. */
size_t prefilter_required(const char *pattern, int fixed, int caseless,
                          char *out);

#endif /* PREFILTER_H */
