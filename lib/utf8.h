/*
 * utf8.h - the little UTF-8 the library needs: decoding, case folding
 * and classifying code points for the tokenizer.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFD

/*
 * Decode one code point from S (N > 0 bytes available).  Stores the
 * number of bytes used in *USED (at least 1); invalid or truncated
 * sequences, overlongs and surrogates decode as UTF8_REPLACEMENT
 * consuming one byte.
 */
uint32_t utf8_decode_slow(const unsigned char *s, size_t n, size_t *used);

/* ASCII and well-formed two- and three-byte sequences, most of any
 * text, decoded inline: their length (1-3) and *CP, or 0 for anything
 * else (four bytes, invalid, cut short), which callers decode by their
 * own rules.  The tokenizer, plain text and the Markdown reader decode
 * every character that is not ASCII, and a call cost more than the
 * decoding.  A lead byte of C2-DF cannot start an overlong form; E0-EF
 * can, and ED a surrogate: the 3-byte test takes both. */
static inline size_t
utf8_decode_short(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && n >= 3 &&
	    ((unsigned)(s[1] & 0xC0) << 8 | (s[2] & 0xC0)) == 0x8080) {
		v = (uint32_t)(s[0] & 0x0F) << 12 |
		    (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		if (v >= 0x800 && v - 0xD800 >= 0x800) {
			*cp = v;
			return 3;
		}
	}
	return 0;
}

static inline uint32_t
utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t cp;

	if ((*used = utf8_decode_short(s, n, &cp)) > 0)
		return cp;
	return utf8_decode_slow(s, n, used);
}

/* Encode CP into OUT (4 bytes room); returns the byte count (1-4). */
size_t utf8_encode(uint32_t cp, char *out);

/*
 * Simple case folding: ASCII, Latin-1 Supplement, Latin Extended-A,
 * Greek and Cyrillic upper case map to lower case; others unchanged.
 */
uint32_t utf8_fold_cased(uint32_t cp);

/* Inline but for the cased scripts past ASCII: most text that is not
 * ASCII is in scripts without case (CJK, Hangul, Devanagari...), and
 * the tokenizer folds and tests every character of it. */
static inline uint32_t
utf8_fold(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
	return cp > 0x4FF ? cp : utf8_fold_cased(cp);
}

/* Is CP an upper-case letter (for camelCase splitting)? */
static inline int
utf8_is_upper(uint32_t cp)
{
	return utf8_fold(cp) != cp;
}

/* Does CP belong inside a word (letters, digits, most non-ASCII
 * letters and marks)?  Punctuation, symbols and spaces do not. */
int utf8_is_word(uint32_t cp);

/*
 * Is CP a character that shown on a terminal would act rather than
 * print: C0 and C1 controls, DEL, the bidirectional embeddings,
 * overrides and isolates (which reorder the text around them: "Trojan
 * Source"), and the line and paragraph separators?  Shown as U+FFFD.
 */
static inline int
utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
	       (cp >= 0x2028 && cp <= 0x2029) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

#endif /* UTF8_H */
