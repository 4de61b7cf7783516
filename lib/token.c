/*
 * token.c - turning text into index terms (see token.h for the rules).
 *
 * A "chunk" is a run of words joined by single connector characters with
 * no space ("SSE-S3", "iam:PassRole", "x-amz-meta"); each word of a chunk
 * may further split at case changes ("GetSessionToken").  Users type any
 * of these spellings, so the chunk is indexed whole and in pieces.
 */
#include <string.h>

#include "token.h"
#include "utf8.h"

/* Longer chains are URLs or paths: no joined form for them. */
#define CHUNK_MAX_WORDS  8
#define CHUNK_MAX_PIECES 32

struct piece {
	size_t start, end; /* byte range in the text */
};

/* utf8_is_word for ASCII, as a table: the tokenizer's inner loop.  The
 * upper half is 0 so that any byte indexes it.  Upper case is
 * WORD_UPPER too, so that the scan sees the words camelCase may split,
 * and digits WORD_DIGIT.  What a word holds (those bits, and WORD_UTF8
 * for a character that is not ASCII) spares emit_at the work it does
 * not need: a bit not set means no such byte. */
enum { WORD_UPPER = 2, WORD_DIGIT = 4, WORD_UTF8 = 8 };
#define U (1 | WORD_UPPER)
#define D (1 | WORD_DIGIT)
static const unsigned char ascii_word[256] = {
    ['0'] = D, ['1'] = D, ['2'] = D, ['3'] = D, ['4'] = D, ['5'] = D, ['6'] = D,
    ['7'] = D, ['8'] = D, ['9'] = D, ['A'] = U, ['B'] = U, ['C'] = U, ['D'] = U,
    ['E'] = U, ['F'] = U, ['G'] = U, ['H'] = U, ['I'] = U, ['J'] = U, ['K'] = U,
    ['L'] = U, ['M'] = U, ['N'] = U, ['O'] = U, ['P'] = U, ['Q'] = U, ['R'] = U,
    ['S'] = U, ['T'] = U, ['U'] = U, ['V'] = U, ['W'] = U, ['X'] = U, ['Y'] = U,
    ['Z'] = U, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};
#undef U
#undef D

/*
 * Chinese and Japanese (Han, kana) write words without spaces, so a run
 * of them is not one word: each pair of neighbours is a term ("归档实用"
 * gives 归档, 档实, 实用), as most search engines index them, and a query
 * of such text matches wherever its pairs stand together.  Hangul is
 * written with spaces and stays a word.
 */
static int
is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) || /* hiragana, katakana */
	       (cp >= 0x31F0 && cp <= 0x31FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Brackets too: tldr pages mark a command's letters ("e[x]tract",
 * "[c]reate"), and the whole must be the word a user types. */
static int
is_connector(uint32_t cp)
{
	return cp == '-' || cp == '.' || cp == '_' || cp == '/' || cp == ':' ||
	       cp == '\'' || cp == 0x2019 || cp == '[' || cp == ']';
}

/* Whether T/N (a-z) holds a vowel, y counted. */
static inline int
has_vowel(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] == 'a' || t[i] == 'e' || t[i] == 'i' || t[i] == 'o' ||
		    t[i] == 'u' || t[i] == 'y')
			return 1;
	return 0;
}

/* token_stem's suffix rules, for a term known to be all a-z.  Inline:
 * emit_at asks for most terms. */
static inline size_t
stem_letters(char *t, size_t n)
{
	if (n <= 3)
		return n;
	if (n > 4 && memcmp(t + n - 3, "ies", 3) == 0) {
		t[n - 3] = 'y';
		return n - 2;
	}
	if (t[n - 1] == 's' && t[n - 2] != 's' && t[n - 2] != 'u' &&
	    t[n - 2] != 'i')
		n--;
	/* A final e only after a vowel somewhere: "nvme" is no "nvm". */
	if (n > 3 && t[n - 1] == 'e' && has_vowel(t, n - 1))
		n--;
	return n;
}

size_t
token_stem(char *t, size_t n)
{
	return n > 3 && token_all_letters(t, n) ? stem_letters(t, n) : n;
}

/* ASCII letters: FOLD_LETTER, and FOLD_UPPER, the bit that lower-cases
 * them.  Everything else is 0, bytes of UTF-8 sequences included. */
enum { FOLD_UPPER = 0x20, FOLD_LETTER = 0x40 };
#define U FOLD_LETTER | FOLD_UPPER
#define L FOLD_LETTER
static const unsigned char fold_bits[256] = {
    ['A'] = U, ['B'] = U, ['C'] = U, ['D'] = U, ['E'] = U, ['F'] = U, ['G'] = U,
    ['H'] = U, ['I'] = U, ['J'] = U, ['K'] = U, ['L'] = U, ['M'] = U, ['N'] = U,
    ['O'] = U, ['P'] = U, ['Q'] = U, ['R'] = U, ['S'] = U, ['T'] = U, ['U'] = U,
    ['V'] = U, ['W'] = U, ['X'] = U, ['Y'] = U, ['Z'] = U, ['a'] = L, ['b'] = L,
    ['c'] = L, ['d'] = L, ['e'] = L, ['f'] = L, ['g'] = L, ['h'] = L, ['i'] = L,
    ['j'] = L, ['k'] = L, ['l'] = L, ['m'] = L, ['n'] = L, ['o'] = L, ['p'] = L,
    ['q'] = L, ['r'] = L, ['s'] = L, ['t'] = L, ['u'] = L, ['v'] = L, ['w'] = L,
    ['x'] = L, ['y'] = L, ['z'] = L,
};
#undef U
#undef L

/* Append the folded form of TEXT[start,end) to OUT (at *LEN, cap TOKEN_MAX). */
static void
fold_into(const char *text, size_t start, size_t end, char *out, size_t *len)
{
	size_t i = start, used, k;
	char enc[4];
	uint32_t cp, folded;

	while (i < end) {
		unsigned char ch = (unsigned char)text[i];
		if (ch < 0x80) { /* the common case, without decoding */
			if (*len == TOKEN_MAX)
				return;
			out[(*len)++] =
			    (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
			i++;
			continue;
		}
		cp = utf8_decode((const unsigned char *)text + i, end - i,
		                 &used);
		folded = utf8_fold(cp);
		if (folded == cp && cp != UTF8_REPLACEMENT) {
			/* Well-formed and unchanged: its own bytes. */
			if (*len + used > TOKEN_MAX)
				return;
			for (k = 0; k < used; k++)
				out[(*len)++] = text[i + k];
			i += used;
			continue;
		}
		k = utf8_encode(folded, enc);
		if (*len + k > TOKEN_MAX)
			return;
		memcpy(out + *len, enc, k);
		*len += k;
		i += used;
	}
}

/* Eight bytes of text as one number, and back.  What is done to them
 * below stays within each byte (no sum carries, no search for the
 * first), so byte order does not matter. */
#define ONES  0x0101010101010101u
#define HIGHS 0x8080808080808080u

static inline uint64_t
load8(const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

static inline void
store8(char *out, uint64_t w)
{
	memcpy(out, &w, 8);
}

/* The lower-case bit (0x20) of each upper-case letter of W, which has
 * no byte of 0x80 or more (so no sum carries into the next byte). */
static inline uint64_t
upper_bits(uint64_t w)
{
	return ((w + (0x80 - 'A') * ONES) & ~(w + (0x7f - 'Z') * ONES) &
	        HIGHS) >>
	       2;
}

/* Fold the N bytes of ASCII at S (upper case only if UPPER), followed
 * by AFTER bytes of text, into OUT: eight at a time (up to 7 bytes past
 * OUT + N written) but at the end of the text. */
static inline void
fold_ascii(char *out, const unsigned char *s, size_t n, size_t after, int upper)
{
	size_t k;

	if (after < 7) {
		for (k = 0; k < n; k++)
			out[k] = (char)(s[k] | (fold_bits[s[k]] & FOLD_UPPER));
	} else if (upper) {
		for (k = 0; k < n; k += 8) {
			uint64_t w = load8(s + k);
			store8(out + k, w | upper_bits(w));
		}
	} else {
		for (k = 0; k < n; k += 8)
			store8(out + k, load8(s + k));
	}
}

/*
 * Most terms: one word of ASCII.  Fold pieces P[0..NP) of TEXT/TEXT_LEN
 * into TERM (as fold_plain does) if they are such a word, and return
 * its length; 0 for any other term.
 */
static inline size_t
fold_ascii_word(const char *text, size_t text_len, const struct piece *p,
                size_t np, unsigned word_bits, char *term)
{
	size_t n = p[0].end - p[0].start;

	if (np != 1 || (word_bits & WORD_UTF8) || n > TOKEN_MAX)
		return 0;
	fold_ascii(term, (const unsigned char *)text + p[0].start, n,
	           text_len - p[0].end, word_bits & WORD_UPPER);
	return n;
}

/*
 * Fold pieces P[0..NP) of TEXT/TEXT_LEN that WORD_BITS says
 * are ASCII (upper case only if WORD_UPPER) into TERM (TOKEN_MAX + 8
 * bytes: see fold_ascii).  0 if the term would be cut.
 */
static size_t
fold_plain(const char *text, size_t text_len, const struct piece *p, size_t np,
           unsigned word_bits, char *term)
{
	size_t len = 0, i, n;

	for (i = 0; i < np; i++) {
		n = p[i].end - p[i].start;
		if (n > TOKEN_MAX - len)
			return 0;
		fold_ascii(term + len, (const unsigned char *)text + p[i].start,
		           n, text_len - p[i].end, word_bits & WORD_UPPER);
		len += n;
	}
	return len;
}

/* Where the scanner's terms go.  With WANT, only terms that may be in
 * that set are folded and reported (token_scan_in); the tests of a term
 * or a chunk not yet folded are below, with the sets. */
struct sink {
	token_fn fn;
	void *ctx;
	const struct token_set *want;
};

static int set_may_want(const struct token_set *set, const char *text,
                        const struct piece *p, size_t np);
static int set_may_want_chunk(const struct token_set *set, const char *text,
                              const struct piece *words,
                              const unsigned char *mixed, size_t nw);

/* Report the folded term TERM/LEN (TOKEN_MAX + 1 bytes) to K. */
static inline awn_status
report(const struct sink *k, char *term, size_t len, size_t start, size_t end,
       unsigned pos, unsigned kind)
{
	struct token t = {term, len, start, end, pos, kind};

	term[len] = '\0';
	return k->fn(k->ctx, &t);
}

/* Stem the term TERM/LEN that fold_plain made of text that holds what
 * WORD_BITS says it may. */
static inline size_t
stem_plain(char *term, size_t len, unsigned word_bits)
{
	/* stem_letters leaves 3 bytes or fewer alone */
	if (len > 3 &&
	    (!(word_bits & WORD_DIGIT) || token_all_letters(term, len)))
		return stem_letters(term, len);
	return len;
}

/* Fold, stem and report the term spelt by pieces P[0..NP) of
 * TEXT/TEXT_LEN, which hold what WORD_BITS says they may. */
static awn_status
emit_at(const char *text, size_t text_len, const struct piece *p, size_t np,
        unsigned word_bits, unsigned pos, unsigned kind, int placed,
        const struct sink *k)
{
	char term[TOKEN_MAX + 8]; /* fold_plain may write 7 bytes more */
	size_t len = 0, i;

	if (k->want != NULL && !set_may_want(k->want, text, p, np))
		return AWN_OK; /* not wanted: no folding */
	if (!(word_bits & WORD_UTF8) &&
	    (len = fold_plain(text, text_len, p, np, word_bits, term)) > 0) {
		len = stem_plain(term, len, word_bits);
	} else { /* UTF-8, or a term cut at TOKEN_MAX */
		for (i = 0; i < np; i++)
			fold_into(text, p[i].start, p[i].end, term, &len);
		if (len == 0)
			return AWN_OK;
		len = token_stem(term, len);
	}
	return report(k, term, len, placed ? p[0].start : 0,
	              placed ? p[np - 1].end : 0, pos, kind);
}

/* emit_at for terms placed in the text: one ASCII word, most of them,
 * without emit_at's frame (its slow paths save registers) and tests. */
static awn_status
emit(const char *text, size_t text_len, const struct piece *p, size_t np,
     unsigned word_bits, unsigned pos, unsigned kind, const struct sink *k)
{
	char term[TOKEN_MAX + 8]; /* fold_ascii may write 7 bytes more */
	size_t len;

	if (k->want != NULL || (len = fold_ascii_word(text, text_len, p, np,
	                                              word_bits, term)) == 0)
		return emit_at(text, text_len, p, np, word_bits, pos, kind, 1,
		               k);
	return report(k, term, stem_plain(term, len, word_bits), p[0].start,
	              p[0].end, pos, kind);
}

/* The character at S (N bytes left) and whether it is upper case; ASCII
 * without a call, since this runs for every letter of a capitalised word. */
static uint32_t
cased_char(const unsigned char *s, size_t n, size_t *used, int *upper)
{
	uint32_t cp;

	if (s[0] < 0x80) {
		*used = 1;
		*upper = s[0] >= 'A' && s[0] <= 'Z';
		return s[0];
	}
	cp = utf8_decode(s, n, used);
	*upper = utf8_is_upper(cp);
	return cp;
}

/*
 * Split word W at case changes: "GetSessionToken" -> Get Session Token,
 * "DBInstance" -> DB Instance, "iPhone" stays whole if only one change
 * at the start.  Returns the number of pieces written to OUT.
 */
static size_t
split_camel(const char *text, struct piece w, struct piece *out, size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = w.start, used, n = 0, start = w.start, nused;
	uint32_t cp, prev = 0, next;
	int prev_upper = 0, prev_lower = 0, upper, next_upper;

	while (i < w.end) {
		cp = cased_char(s + i, w.end - i, &used, &upper);
		/* Not upper means utf8_fold(cp) == cp: no second test. */
		int lower = !upper && cp > '9';
		if (i > start && upper) {
			int boundary = prev_lower;
			if (!boundary && prev_upper && i + used < w.end) {
				next =
				    cased_char(s + i + used, w.end - i - used,
				               &nused, &next_upper);
				boundary = !next_upper && next > '9';
			}
			if (boundary && n + 1 < max) {
				out[n].start = start;
				out[n].end = i;
				n++;
				start = i;
			}
		}
		prev_upper = upper;
		prev_lower = lower;
		prev = cp;
		i += used;
	}
	(void)prev;
	out[n].start = start;
	out[n].end = w.end;
	return n + 1;
}

/* is_plural_acronym's test of every byte but the last. */
static int
plural_acronym_tail(const char *text, struct piece w)
{
	size_t i;

	for (i = w.start; i < w.end - 1; i++)
		if (!((text[i] >= 'A' && text[i] <= 'Z') ||
		      (text[i] >= '0' && text[i] <= '9' && i > w.start)))
			return 0;
	return 1;
}

/*
 * "RCUs", "AMIs": capitals (or digits) then one final 's' are a plural
 * acronym, indexed without the 's' rather than split as camelCase.
 * Inline the tests most words fail: every chunk of one word asks.
 */
static inline int
is_plural_acronym(const char *text, struct piece w)
{
	return w.end - w.start >= 3 && text[w.end - 1] == 's' &&
	       text[w.start] >= 'A' && text[w.start] <= 'Z' &&
	       plural_acronym_tail(text, w);
}

/* A chunk's whole-word term: the words joined, or a plural acronym
 * without its 's' ("EC2s"); none past CHUNK_MAX_WORDS words. */
static inline awn_status
emit_whole(const char *text, size_t text_len, const struct piece *words,
           size_t nw, unsigned word_bits, int plural, unsigned pos,
           const struct sink *k)
{
	struct piece p = words[0];

	if (plural) {
		p.end--;
		return emit(text, text_len, &p, 1, word_bits, pos, TOKEN_WORD,
		            k);
	}
	return nw <= CHUNK_MAX_WORDS ? emit(text, text_len, words, nw,
	                                    word_bits, pos, TOKEN_WORD, k)
	                             : AWN_OK;
}

/* The terms of the chunk WORDS[0..NW) of TEXT/TEXT_LEN.  MIXED[i]:
 * whether word i could split at a case change, that is, has upper case
 * or UTF-8 after its first byte (a change is never at the first
 * character, and one that is not ASCII takes two bytes).  BITS[i]: what
 * word i holds (WORD_UPPER...), CHUNK_BITS: what they all do. */
static awn_status
emit_chunk(const char *text, size_t text_len, const struct piece *words,
           const unsigned char *mixed, const unsigned char *bits, size_t nw,
           unsigned chunk_bits, unsigned pos, const struct sink *k)
{
	struct piece camel[CHUNK_MAX_PIECES];
	size_t i, nc = 1, j;
	awn_status st;
	int compound = nw > 1,
	    plural = nw == 1 && is_plural_acronym(text, words[0]);

	if ((st = emit_whole(text, text_len, words, nw, chunk_bits, plural, pos,
	                     k)) ||
	    plural)
		return st;
	if (nw == 1 && mixed[0]) {
		nc = split_camel(text, words[0], camel, CHUNK_MAX_PIECES);
		compound = nc > 1;
	}
	if (!compound)
		return AWN_OK;
	for (i = 0; i < nw; i++) {
		if (nw > 1 && (st = emit(text, text_len, &words[i], 1, bits[i],
		                         pos, TOKEN_PART, k)))
			return st;
		/* One word got here split already. */
		if (nw > 1)
			nc = mixed[i] ? split_camel(text, words[i], camel,
			                            CHUNK_MAX_PIECES)
			              : 1;
		if (nc < 2)
			continue;
		for (j = 0; j < nc; j++)
			if ((st = emit(text, text_len, &camel[j], 1, bits[i],
			               pos, TOKEN_PART, k)) != AWN_OK)
				return st;
	}
	return AWN_OK;
}

/*
 * Initials of runs of capitalised words separated only by spaces, so
 * "Local Secondary Index" also indexes "lsi" and "Network ACL" "nacl".
 */
struct acronym {
	char letters[16];
	size_t n;
	unsigned words, pos;
};

static int
is_capitalised(const char *text, const struct piece *w, size_t nw)
{
	return nw == 1 && text[w[0].start] >= 'A' && text[w[0].start] <= 'Z';
}

static void
acronym_add(struct acronym *a, const char *text, const struct piece *w,
            unsigned pos)
{
	const char *p = text + w[0].start;
	size_t len = w[0].end - w[0].start, i, caps = 0;

	for (i = 0; i < len && len <= 5; i++)
		caps += (p[i] >= 'A' && p[i] <= 'Z');
	if (a->words == 0)
		a->pos = pos;
	if (len <= 5 && caps == len) { /* an acronym itself: all of it */
		if (a->n + len <= sizeof(a->letters)) {
			memcpy(a->letters + a->n, p, len);
			a->n += len;
		}
	} else if (a->n < sizeof(a->letters)) {
		a->letters[a->n++] = *p;
	}
	a->words++;
}

static awn_status
acronym_flush(struct acronym *a, const struct sink *k)
{
	struct piece p = {0, a->n};
	awn_status st = AWN_OK;

	if (a->words >= 2 && a->words <= 5 && a->n >= 2 &&
	    a->n <= sizeof(a->letters))
		/* capitals only: see acronym_add */
		st = emit_at(a->letters, sizeof(a->letters), &p, 1, WORD_UPPER,
		             a->pos, TOKEN_PART, 0, k);
	a->n = a->words = 0;
	return st;
}

/* The ASCII bytes that are not word characters, by what they do after
 * a word: ' ' lets a run of capitalised words go on (see struct
 * acronym), a connector may join the next word to the chunk, and the
 * others end both.  0 for word characters and for bytes of UTF-8, so
 * that one look-up tells an ASCII separator from everything else. */
enum { SEP_SPACE = 1, SEP_OTHER = 2, SEP_JOINS = 4 };
#define S SEP_SPACE
#define O SEP_OTHER
#define C (SEP_OTHER | SEP_JOINS)
static const unsigned char ascii_separator[256] = {
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* control */
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* characters */
    S, O, O, O, O, O, O, C, O, O, O, O, O, C, C, C, /*  !"#$%&'()*+,-./ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, C, O, O, O, O, O, /* 0-9 :;<=>? */
    O, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* @ A-O */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, C, O, C, O, C, /* P-Z [\]^_ */
    O, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ` a-o */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, O, O, O, O, O, /* p-z {|}~ DEL */
};
#undef S
#undef O
#undef C

/* Is the character at S (N > 0 bytes left) a word character that a
 * connector may join to the word before it? */
static inline int
starts_word(const unsigned char *s, size_t n)
{
	size_t used;
	uint32_t cp;

	if (s[0] < 0x80)
		return ascii_word[s[0]] != 0;
	cp = utf8_decode(s, n, &used);
	return utf8_is_word(cp) && !is_cjk(cp);
}

/* Report the pairs of the run of CJK characters at TEXT + *I (see
 * is_cjk), from position *POS on; a lone character is a term itself.
 * Leaves *I past the run. */
static awn_status
emit_cjk_run(const char *text, size_t len, size_t *i, unsigned *pos,
             const struct sink *k)
{
	const unsigned char *s = (const unsigned char *)text;
	struct piece pair = {*i, *i}; /* the previous character, then two */
	size_t used, at = *i;
	unsigned n = 0;
	awn_status st;

	while (at < len && s[at] >= 0x80 &&
	       is_cjk(utf8_decode(s + at, len - at, &used))) {
		pair.end = at + used;
		if (n++ > 0) {
			if ((st = emit(text, len, &pair, 1,
			               WORD_UTF8 | WORD_UPPER, (*pos)++,
			               TOKEN_WORD, k)))
				return st;
			pair.start = at;
		}
		at += used;
	}
	*i = at;
	if (n == 1)
		return emit(text, len, &pair, 1, WORD_UTF8 | WORD_UPPER,
		            (*pos)++, TOKEN_WORD, k);
	return AWN_OK;
}

/* token_scan, or with WORDS_ONLY token_words: the same chunks, and of
 * each only its whole-word term. */
static awn_status
scan(const char *text, size_t len, int words_only, const struct sink *k)
{
	struct acronym acro = {{0}, 0, 0, 0};
	const unsigned char *s = (const unsigned char *)text;
	struct piece words[CHUNK_MAX_PIECES];
	unsigned char mixed[CHUNK_MAX_PIECES], bits[CHUNK_MAX_PIECES];
	size_t i = 0, used, nw = 0, wstart = 0;
	unsigned pos = 0, c, wbits = 0, chunk_bits = 0, sep, seps;
	int in_word = 0;
	awn_status st;

	while (i <= len) {
		if (i < len && (c = ascii_word[s[i]])) {
			/* A run of ASCII letters and digits: most of the text.
			 */
			if (!in_word) {
				wstart = i;
				wbits = 0;
			} else {
				wbits |= c;
			}
			in_word = 1;
			while (++i < len && (c = ascii_word[s[i]]))
				wbits |= c;
		}
		/* What ends the word, if anything; the end of the text as a
		 * space. */
		used = 1;
		if (i == len) {
			sep = SEP_SPACE;
		} else if ((sep = ascii_separator[s[i]])) {
			/* an ASCII separator: SEP says which */
		} else { /* not ASCII */
			uint32_t cp = utf8_decode(s + i, len - i, &used);
			if (is_cjk(cp)) {
				/* No chunk is open here but a word: starts_word
				 * keeps a connector from joining one to this.
				 */
				if (!in_word) {
					if ((acro.words > 0 &&
					     (st = acronym_flush(&acro, k))) ||
					    (st = emit_cjk_run(text, len, &i,
					                       &pos, k)))
						return st;
					continue;
				}
				used = 0; /* end the word before it first */
				sep = SEP_OTHER;
			} else if (utf8_is_word(cp)) {
				if (!in_word) {
					wstart = i;
					wbits = 0;
				}
				wbits |= WORD_UPPER | WORD_UTF8;
				in_word = 1;
				i += used;
				continue;
			} else {
				sep = is_connector(cp) ? SEP_OTHER | SEP_JOINS
				                       : SEP_OTHER;
			}
		}
		if (in_word) {
			if (nw < CHUNK_MAX_PIECES) {
				words[nw].start = wstart;
				words[nw].end = i;
				mixed[nw] = (wbits & WORD_UPPER) != 0;
				/* wbits leaves out the first byte */
				bits[nw] =
				    (unsigned char)(wbits |
				                    ascii_word[s[wstart]]);
				chunk_bits |= bits[nw++];
			}
			in_word = 0;
			/* A single connector between two words continues the
			 * chunk. */
			if ((sep & SEP_JOINS) && i + used < len &&
			    starts_word(s + i + used, len - i - used)) {
				i += used;
				continue;
			}
			if (words_only) {
				if ((st = emit_whole(
				         text, len, words, nw, chunk_bits,
				         nw == 1 &&
				             is_plural_acronym(text, words[0]),
				         pos, k)))
					return st;
			} else {
				if ((k->want == NULL ||
				     set_may_want_chunk(k->want, text, words,
				                        mixed, nw)) &&
				    (st = emit_chunk(text, len, words, mixed,
				                     bits, nw, chunk_bits, pos,
				                     k)))
					return st;
				if (is_capitalised(text, words, nw))
					acronym_add(&acro, text, words, pos);
				else if (acro.words > 0 &&
				         (st = acronym_flush(&acro, k)))
					return st;
			}
			pos++;
			nw = 0;
			chunk_bits = 0;
		}
		/* This separator and the ASCII ones after it: no chunk is
		 * open, so only an acronym can end. */
		seps = sep;
		i += used;
		while (i < len && (sep = ascii_separator[s[i]])) {
			seps |= sep;
			i++;
		}
		if ((seps & SEP_OTHER) && acro.words > 0 &&
		    (st = acronym_flush(&acro, k)))
			return st;
	}
	return acronym_flush(&acro, k);
}

awn_status
token_scan(const char *text, size_t len, token_fn fn, void *ctx)
{
	struct sink k = {fn, ctx, NULL};

	return scan(text, len, 0, &k);
}

awn_status
token_words(const char *text, size_t len, token_fn fn, void *ctx)
{
	struct sink k = {fn, ctx, NULL};

	return scan(text, len, 1, &k);
}

/* ---- counting whole words of a set ----------------------------------- */

/* A bit for each of the bytes [0-9a-z] that can start an ASCII term
 * (others share theirs, which only lets more words through). */
static unsigned
first_bit(unsigned char c)
{
	return (c & 31u) | (c < 0x40 ? 32u : 0u);
}

void
token_set_clear(struct token_set *set)
{
	set->n = 0;
	set->first = 0;
}

/* Can a term of SET start with the ASCII byte C, lower-cased?  A first
 * cut, inline where most words fail it; may_be_in decides. */
static inline int
set_may_start(const struct token_set *set, unsigned char c)
{
	return set->first >> first_bit(c | 0x20) & 1;
}

awn_status
token_set_add(struct token_set *set, const char *term, size_t len)
{
	if (set->n == TOKEN_SET_MAX)
		return AWN_ERR_LIMIT;
	set->term[set->n] = term;
	set->len[set->n++] = len;
	if (len > 0)
		set->first |= UINT64_C(1) << first_bit((unsigned char)term[0]);
	return AWN_OK;
}

/* Is the folded term T one of SET's? */
static int
set_has(const struct token_set *set, const struct token *t)
{
	unsigned k;

	for (k = 0; k < set->n; k++)
		if (set->len[k] == t->len &&
		    memcmp(set->term[k], t->term, t->len) == 0)
			return 1;
	return 0;
}

struct count_ctx {
	const struct token_set *set;
	unsigned words, found;
};

static awn_status
count_term(void *vctx, const struct token *t)
{
	struct count_ctx *c = vctx;

	c->words++;
	c->found += set_has(c->set, t);
	return AWN_OK;
}

/*
 * Can the term spelt by text that starts with the ASCII byte FIRST and
 * has BYTES bytes of words (connectors left out) be a term of SET?
 * Folding lower-cases FIRST (digits have the 0x20 bit already) and, if
 * ASCII says the text is all ASCII, keeps its length (cut at
 * TOKEN_MAX); stemming only shortens a term of more than three bytes,
 * by two bytes at most ("ies" -> "y", or 's' and then 'e'), and never
 * touches its first byte.  So the term starts with FIRST | 0x20 and,
 * for ASCII, is min(BYTES, TOKEN_MAX) long or up to 3 bytes shorter
 * (3: a plural acronym's whole-word term loses its 's' before it is
 * stemmed).  Of other text only the first byte is relied on.
 * test-token checks this against token_words and token_scan.
 */
static int
may_be_in(const struct token_set *set, unsigned char first, size_t bytes,
          int ascii)
{
	unsigned k;

	first |= 0x20;
	if (bytes > TOKEN_MAX)
		bytes = TOKEN_MAX;
	for (k = 0; k < set->n; k++)
		if ((unsigned char)set->term[k][0] == first &&
		    (!ascii ||
		     (set->len[k] <= bytes && set->len[k] + 3 >= bytes)))
			return 1;
	return 0;
}

/*
 * token_count_words for ASCII text: scan's chunks (words of ASCII
 * letters and digits joined by single connectors), each counted, and
 * folded and compared only when may_be_in says it can be in the set.
 * 0, with C to be thrown away, at the first byte that is not ASCII.
 */
static int
count_ascii(const char *text, size_t len, struct count_ctx *c)
{
	const struct sink k = {count_term, c, NULL};
	const unsigned char *s = (const unsigned char *)text;
	struct piece words[CHUNK_MAX_PIECES];
	size_t i = 0, nw, bytes, start;

	while (i < len) {
		if (!ascii_word[s[i]]) {
			if (s[i++] >= 0x80)
				return 0;
			continue;
		}
		nw = bytes = 0;
		for (;;) {
			start = i;
			while (++i < len && ascii_word[s[i]])
				;
			if (nw < CHUNK_MAX_PIECES) {
				words[nw].start = start;
				words[nw++].end = i;
			}
			bytes += i - start;
			/* A connector continues the chunk if a word follows
			 * (one that is not ASCII ends the scan anyway). */
			if (i + 1 >= len || !is_connector(s[i]) ||
			    !ascii_word[s[i + 1]])
				break;
			i++;
		}
		if (nw > CHUNK_MAX_WORDS)
			continue; /* no whole-word term */
		if (!set_may_start(c->set, s[words[0].start]) ||
		    !may_be_in(c->set, s[words[0].start], bytes, 1))
			c->words++;
		else
			/* ASCII: see above */
			emit_whole(text, len, words, nw,
			           WORD_UPPER | WORD_DIGIT,
			           nw == 1 && is_plural_acronym(text, words[0]),
			           0, &k);
	}
	return 1;
}

void
token_count_words(const char *text, size_t len, const struct token_set *set,
                  unsigned *words, unsigned *found)
{
	struct count_ctx c = {set, 0, 0};

	if (!count_ascii(text, len, &c)) {
		c.words = c.found = 0;
		token_words(text, len, count_term, &c);
	}
	*words = c.words;
	*found = c.found;
}

/* ---- scanning for the terms of a set --------------------------------- */

struct scan_in {
	const struct token_set *set;
	token_fn fn;
	void *ctx;
};

static awn_status
scan_in_term(void *vctx, const struct token *t)
{
	const struct scan_in *in = vctx;

	return set_has(in->set, t) ? in->fn(in->ctx, t) : AWN_OK;
}

/* Can the term emit_at would make of pieces P[0..NP) of TEXT be one of
 * the set's?  Pieces are never empty; one that starts with a byte of
 * UTF-8 is folded to be seen. */
static int
set_may_want(const struct token_set *set, const char *text,
             const struct piece *p, size_t np)
{
	unsigned char first = (unsigned char)text[p[0].start], any = 0;
	size_t bytes = 0, i, k;

	if (first >= 0x80)
		return 1;
	if (!set_may_start(set, first))
		return 0;
	for (i = 0; i < np; i++) {
		for (k = p[i].start; k < p[i].end; k++)
			any |= (unsigned char)text[k];
		bytes += p[i].end - p[i].start;
	}
	return may_be_in(set, first, bytes, any < 0x80);
}

/*
 * Can a term emit_chunk makes of WORDS[0..NW) be one of the set's?  Each
 * starts where a word does, but for camelCase pieces, which only words
 * that MIXED marks (upper case or UTF-8 after the first byte) have; so a
 * chunk of words that are not, each starting with an ASCII byte no term
 * of the set starts with (lower-cased, see may_be_in), has none.
 */
static int
set_may_want_chunk(const struct token_set *set, const char *text,
                   const struct piece *words, const unsigned char *mixed,
                   size_t nw)
{
	unsigned char first;
	size_t i;

	for (i = 0; i < nw; i++) {
		first = (unsigned char)text[words[i].start];
		if (mixed[i] || first >= 0x80 || set_may_start(set, first))
			return 1;
	}
	return 0;
}

awn_status
token_scan_in(const char *text, size_t len, const struct token_set *set,
              token_fn fn, void *ctx)
{
	struct scan_in in = {set, fn, ctx};
	struct sink k = {scan_in_term, &in, set};

	if (set == NULL) /* no set: nothing would be in it */
		return AWN_OK;
	return scan(text, len, 0, &k);
}
