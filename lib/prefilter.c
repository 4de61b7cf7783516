/*
 * prefilter.c - block trigram filters and required literals of patterns.
 *
 * The literal scan is deliberately conservative: it gives up on anything
 * that could make a character optional or change how the pattern reads
 * (alternation, groups, inline options), since a wrong literal would hide
 * real matches while a missing one only costs time.
 */
#include <stdint.h>
#include <string.h>

#include "prefilter.h"

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static unsigned
gram_bit(unsigned char a, unsigned char b, unsigned char c)
{
	unsigned h = (unsigned)a * 0x9E3779B1u ^ (unsigned)b * 0x85EBCA77u ^
	             (unsigned)c * 0xC2B2AE3Du;

	return (h ^ (h >> 15)) & (PREFILTER_BYTES * 8 - 1);
}

/* gram_bit for every byte in each of the three places, folded and
 * mixed: prefilter_add runs over all the text, and a load is cheaper
 * than a fold and a multiply.  The mix (h ^ h >> 15, masked) distributes
 * over the XOR of the three products, so each table holds its product
 * mixed and the three entries XORed are the bit.  A move of bits
 * distributes over XOR too: the tables hold the bit as prefilter_add
 * sets it (PLACED), the offset of its 8 bytes above bit 8 and its place
 * in them below bit 6 (see set_gram_bit). */
#define FOLDED(c) ((c) >= 'A' && (c) <= 'Z' ? (c) + 32u : (unsigned)(c))
#define MIX(m)    (((m) ^ ((m) >> 15)) & (PREFILTER_BYTES * 8 - 1))
#define PLACED(h) (((h) >> 6) << 11 | ((h)&63))
#define M1(k, c)  PLACED(MIX(FOLDED(c) * (k)))
#define M4(k, c)  M1(k, c), M1(k, c + 1), M1(k, c + 2), M1(k, c + 3)
#define M16(k, c) M4(k, c), M4(k, c + 4), M4(k, c + 8), M4(k, c + 12)
#define M64(k, c) M16(k, c), M16(k, c + 16), M16(k, c + 32), M16(k, c + 48)
#define M256(k)   M64(k, 0u), M64(k, 64u), M64(k, 128u), M64(k, 192u)
static const uint32_t gram_bits[3][256] = {
    {M256(0x9E3779B1u)}, {M256(0x85EBCA77u)}, {M256(0xC2B2AE3Du)}};

/*
 * Set the bit that PLACED(H) is, bit H % 8 of byte H / 8 of FILTER,
 * through the 8 bytes that hold it (a word's bits are one shift apart
 * on a little-endian machine, a byte order apart on a big-endian one).
 */
static inline void
set_gram_bit(unsigned char *filter, unsigned placed)
{
	unsigned char *at = filter + (placed >> 8);
	unsigned bit = placed & 63;
	uint64_t w;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	bit ^= 56;
#endif
	memcpy(&w, at, 8);
	w |= (uint64_t)1 << bit;
	memcpy(at, &w, 8);
}

#define GRAM(a, b, c) (gram_bits[0][a] ^ gram_bits[1][b] ^ gram_bits[2][c])

void
prefilter_add(unsigned char *filter, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i;

	/* Four trigrams a step: each byte loaded once. */
	for (i = 0; i + 6 <= len; i += 4) {
		unsigned a = s[i], b = s[i + 1], c = s[i + 2], d = s[i + 3],
		         e = s[i + 4], f = s[i + 5];
		set_gram_bit(filter, GRAM(a, b, c));
		set_gram_bit(filter, GRAM(b, c, d));
		set_gram_bit(filter, GRAM(c, d, e));
		set_gram_bit(filter, GRAM(d, e, f));
	}
	for (; i + 3 <= len; i++)
		set_gram_bit(filter, GRAM(s[i], s[i + 1], s[i + 2]));
}

int
prefilter_may_contain(const unsigned char *filter, const char *lit, size_t len)
{
	const unsigned char *s = (const unsigned char *)lit;
	size_t i;

	for (i = 0; i + 3 <= len; i++) {
		unsigned bit = gram_bit(s[i], s[i + 1], s[i + 2]);
		if (!(filter[bit >> 3] & (1u << (bit & 7))))
			return 0;
	}
	return 1;
}

static int
is_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80 ||
	       strchr(" _:/=,@\"'<>!%&;~-", c) != NULL;
}

/* Keep the longer of the current run and the best so far. */
static void
keep(const char *run, size_t n, char *best, size_t *nbest)
{
	if (n > *nbest) {
		memcpy(best, run, n);
		*nbest = n;
	}
}

/* Drop the last character of the run, a whole UTF-8 one: a quantifier
 * after it makes it optional. */
static size_t
drop_last(const char *run, size_t n)
{
	while (n > 0 && ((unsigned char)run[n - 1] & 0xC0) == 0x80)
		n--;
	return n > 0 ? n - 1 : 0;
}

/*
 * Past the escape at P ('\\' and a letter or digit) and whatever it
 * consumes: "\x41", "\x{41}", "\o{101}", "\101", "\cA", "\pL",
 * "\p{Lu}", "\N{U+41}", "\g{-1}", "\k<name>" are one item each, so their
 * tails must not be read as literal text.
 */
static const unsigned char *
skip_escape(const unsigned char *p)
{
	unsigned char c = p[1];
	const unsigned char *q = p + 2;

	if (c >= '0' && c <= '9') {
		while (*q >= '0' && *q <= '9')
			q++;
		return q;
	}
	if (c == 'c')
		return *q ? q + 1 : q;
	/* Braces belong to these escapes only: after \d or \w a '{' is a
	 * quantifier or a character, for the caller to read. */
	if ((*q == '{' && strchr("xopPNgk", c) != NULL) ||
	    ((c == 'g' || c == 'k') && (*q == '<' || *q == '\''))) {
		unsigned char close = *q == '{' ? '}' : *q == '<' ? '>' : '\'';

		while (*q && *q != close)
			q++;
		return *q ? q + 1 : q;
	}
	if (c == 'x') {
		while (q < p + 4 &&
		       ((*q >= '0' && *q <= '9') ||
		        ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'f')))
			q++;
	} else if ((c == 'p' || c == 'P') && *q) {
		q++;
	} else if (c == 'g') {
		if (*q == '+' || *q == '-')
			q++;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	return q;
}

/* Past the escape at P ('\\') for a scan that only looks for ']', '|'
 * and parentheses: two bytes, or three for "\cX", whose X may be any
 * of them ("\c]", "\c|" and "\c\" are one character each). */
static const unsigned char *
past_escape(const unsigned char *p)
{
	if (p[1] == '\0')
		return p + 1;
	return p + (p[1] == 'c' && p[2] != '\0' ? 3 : 2);
}

/*
 * The ":]" that ends the POSIX class name opening at P ("[:", or "[."
 * and "[=", which PCRE2 refuses), or NULL if P opens none: PCRE2's
 * check_posix_syntax, which gives up at a ']' (but "\\]") or at a
 * second opening ("[[:[:]" is a class of '[' and ':').
 */
static const unsigned char *
posix_end(const unsigned char *p)
{
	unsigned char term = p[1];

	for (p += 2; p[0] != '\0' && p[1] != '\0'; p++) {
		if (p[0] == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((p[0] == '[' && p[1] == term) || p[0] == ']')
			return NULL;
		else if (p[0] == term && p[1] == ']')
			return p;
	}
	return NULL;
}

/* Past the character class that opens at P ('['): "[]a]", "[^]a]" and
 * "[[:alpha:]]" are one class each.  Text quoted by \Q...\E is the
 * class's, ']' too, and an empty \Q\E or a lone \E before the first
 * character is passed over (PCRE2 does, as Perl), so "[\Q\E]a]" is
 * one class as well. */
static const unsigned char *
skip_class(const unsigned char *p)
{
	const unsigned char *q;
	int negated = 0;

	for (p++;;) {
		if (*p == '^' && !negated) {
			negated = 1;
			p++;
		} else if (p[0] == '\\' && p[1] == 'E')
			p += 2;
		else if (strncmp((const char *)p, "\\Q\\E", 4) == 0)
			p += 4;
		else
			break;
	}
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=') &&
		    (q = posix_end(p)) != NULL)
			p = q + 2;
		else if (p[0] == '\\' && p[1] == 'Q') {
			/* Quoted up to \E, or to the end. */
			q = (const unsigned char *)strstr((const char *)p + 2,
			                                  "\\E");
			p = q ? q + 2 : p + strlen((const char *)p);
		} else
			p = *p == '\\' ? past_escape(p) : p + 1;
	}
	return p + (*p != '\0');
}

/* Past "{2}", "{2,}", "{2,3}" or "{,3}" at P (PCRE2 10.43 also allows
 * spaces in them), or just past the '{' when it starts none and is a
 * literal character: skipping to a later '}' could pass a group's '('
 * or a verb's name ("x{(*MARK:}text)") and read it as text. */
static const unsigned char *
past_quantifier(const unsigned char *p)
{
	const unsigned char *q = p + 1;

	while ((*q >= '0' && *q <= '9') || *q == ',' || *q == ' ' || *q == '\t')
		q++;
	return *q == '}' ? q + 1 : p + 1;
}

/*
 * Has P a '|' outside parentheses?  One inside only makes what follows
 * the group's '(' unsure, and the scan stops there anyway.  After \Q,
 * where parentheses may be literal, any '|' counts.  A verb's name
 * ("(*MARK:NAME)") runs to the first ')', whatever it holds ('(', '\').
 */
static int
top_alternation(const unsigned char *p)
{
	int depth = 0;

	while (*p) {
		if (*p == '\\' && p[1] == 'Q')
			return strchr((const char *)p, '|') != NULL;
		if (*p == '\\') {
			p = past_escape(p);
		} else if (*p == '[') { /* '|' and '(' are literal in it */
			p = skip_class(p);
		} else if (p[0] == '(' && p[1] == '*') {
			while (*p && *p != ')')
				p++;
			p += *p != '\0';
		} else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && depth > 0)
				depth--;
			else if (*p == '|' && depth == 0)
				return 1;
			p++;
		}
	}
	return 0;
}

size_t
prefilter_required(const char *pattern, int fixed, int caseless, char *out)
{
	const unsigned char *p = (const unsigned char *)pattern;
	char run[PREFILTER_MAX];
	size_t n = 0, best = 0;

	if (fixed) {
		for (; *p && best < PREFILTER_MAX; p++) {
			if (caseless && *p >= 0x80) {
				keep(run, n, out, &best);
				n = 0;
				continue;
			}
			if (n < PREFILTER_MAX)
				run[n++] = (char)*p;
		}
		keep(run, n, out, &best);
		return best;
	}
	if (strstr(pattern, "(?") != NULL || top_alternation(p))
		return 0;
	while (*p) {
		unsigned char c = *p, lit = 0;
		size_t step = 1;

		if (c == '\\') {
			/* An escaped punctuation byte is itself; \w \d \b...
			 * are classes or assertions. */
			if (p[1] == '\0')
				return 0;
			if (p[1] == 'Q' || p[1] == 'E') {
				/* Quoting changes how the rest reads, and an
				 * \E or an empty \Q\E may stand before a
				 * quantifier of the byte before. */
				keep(run, drop_last(run, n), out, &best);
				return best;
			}
			if ((p[1] >= 'a' && p[1] <= 'z') ||
			    (p[1] >= 'A' && p[1] <= 'Z') ||
			    (p[1] >= '0' && p[1] <= '9')) {
				keep(run, n, out, &best);
				n = 0;
				p = skip_escape(p);
				continue;
			}
			lit = p[1];
			step = 2;
		} else if (c == '[' || c == '(' || c == ')' || c == '.' ||
		           c == '^' || c == '$') {
			keep(run, n, out, &best);
			n = 0;
			if (c == '[') {
				p = skip_class(p);
				continue;
			}
			if (c == '(' || c == ')')
				return best;
			p++;
			continue;
		} else if (is_plain(c)) {
			lit = c;
		} else if (c == '?' || c == '*' || c == '{') {
			/* The character before may be optional: drop it, end
			 * the run.  A '{' that does not start a quantifier is
			 * itself (left out), and what follows it is read on. */
			keep(run, drop_last(run, n), out, &best);
			n = 0;
			p = c == '{' ? past_quantifier(p) : p + 1;
			continue;
		} else if (c == '+') {
			keep(run, n, out, &best);
			n = 0;
			p++;
			continue;
		} else {
			return 0; /* something we do not understand */
		}
		if (caseless && lit >= 0x80) {
			keep(run, n, out, &best);
			n = 0;
		} else if (n < PREFILTER_MAX) {
			run[n++] = (char)lit;
		}
		p += step;
		/* A following quantifier is handled on the next turn. */
	}
	keep(run, n, out, &best);
	return best;
}

size_t
prefilter_literal(const char *pattern, int fixed, int caseless, char *out)
{
	size_t n = prefilter_required(pattern, fixed, caseless, out), i;

	if (n < PREFILTER_MIN)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = (char)fold((unsigned char)out[i]);
	return n;
}
