/*
 * query.c - parsing keyword queries and resolving each word to dictionary
 * terms (the order of attempts is in query.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzzy.h"
#include "query.h"
#include "token.h"
#include "utf8.h"

#define MAX_PARTS   8
#define PREFIX_SCAN 256 /* dictionary terms examined for a prefix */

/* awsnote(1)'s stop words as the stemmer leaves them ("doe", "ther");
 * tests/unit/test-search.c checks each as typed. */
static const char *const stopwords[] = {
    "a",     "about", "an",   "and",    "are",  "as",   "at",   "be",
    "by",    "can",   "do",   "doe",    "for",  "from", "get",  "how",
    "i",     "in",    "is",   "it",     "long", "many", "much", "my",
    "of",    "on",    "or",   "should", "that", "the",  "ther", "this",
    "to",    "use",   "used", "versus", "vs",   "what", "when", "wher",
    "which", "who",   "why",  "will",   "with", "you",  "your",
};

static int
is_stopword(const char *t)
{
	size_t i;

	for (i = 0; i < sizeof(stopwords) / sizeof(stopwords[0]); i++)
		if (strcmp(t, stopwords[i]) == 0)
			return 1;
	return 0;
}

/* The terms token.h makes of one typed word. */
struct word_terms {
	char whole[TOKEN_MAX + 1];
	char part[MAX_PARTS][TOKEN_MAX + 1];
	unsigned nparts, have_whole;
};

static awn_status
collect(void *ctx, const struct token *t)
{
	struct word_terms *w = ctx;

	if (t->kind == TOKEN_WORD && !w->have_whole) {
		memcpy(w->whole, t->term, t->len + 1);
		w->have_whole = 1;
	} else if (t->kind == TOKEN_PART && w->nparts < MAX_PARTS) {
		memcpy(w->part[w->nparts++], t->term, t->len + 1);
	}
	return AWN_OK;
}

static void
word_terms(const char *text, size_t len, struct word_terms *w)
{
	memset(w, 0, sizeof(*w));
	token_scan(text, len, collect, w);
}

static int
add_term(struct query *q, const struct dict_entry *e, unsigned word)
{
	if (q->nterm == QUERY_MAX_TERMS)
		return 0;
	q->term[q->nterm].e = *e;
	q->term[q->nterm].word = word;
	q->term[q->nterm].join = 0;
	q->term[q->nterm].form = 0;
	q->nterm++;
	return 1;
}

/* The commonest term starting with P (longer than P), if any. */
static int
find_prefix(const struct blob *b, const char *p, size_t len,
            struct dict_entry *best)
{
	struct dict_iter it;
	struct dict_entry e;
	int found = 0, n = 0;

	if (dict_iter_start(&it, b, p, len) < 0)
		return -1;
	while (n++ < PREFIX_SCAN && dict_next(&it, &e) == 1) {
		if (e.len < len || memcmp(e.term, p, len) != 0)
			break;
		if (e.len > len && (!found || e.df > best->df)) {
			*best = e;
			found = 1;
		}
	}
	return found;
}

/* The bytes of the letter at S, N > 0 bytes left: an invalid byte is a
 * letter of its own, as the corrections count them (fuzzy.c). */
static size_t
letter_len(const char *s, size_t n)
{
	size_t used = 1;

	if ((unsigned char)*s >= 0x80)
		(void)utf8_decode((const unsigned char *)s, n, &used);
	return used;
}

/* Letters (code points) of S/N. */
static size_t
letters(const char *s, size_t n)
{
	size_t i = 0, k = 0;

	for (; i < n; i += letter_len(s + i, n - i), k++)
		;
	return k;
}

/* Two terms that T (NL letters) is made of, each of 3 letters or more,
 * splitting where both halves are commonest (at a letter's start: no
 * term holds half a letter). */
static int
find_split(const struct blob *b, const char *t, size_t len, size_t nl,
           struct dict_entry *l, struct dict_entry *r)
{
	struct dict_entry a, c;
	uint32_t best = 0;
	size_t i = 0, k;
	int found = 0, x, y;

	for (k = 0; k + 3 <= nl; i += letter_len(t + i, len - i), k++) {
		if (k < 3)
			continue; /* I: letter K's first byte */
		if ((x = dict_find(b, t, i, &a)) < 0 ||
		    (x && (y = dict_find(b, t + i, len - i, &c)) < 0))
			return -1;
		if (!x || !y)
			continue;
		if ((a.df < c.df ? a.df : c.df) > best) {
			best = a.df < c.df ? a.df : c.df;
			*l = a;
			*r = c;
			found = 1;
		}
	}
	return found;
}

/*
 * Word forms the light stemmer keeps apart: "encrypt", "encryption" and
 * "encrypted"; "cache" (stemmed "cach") and "caching".  A term's bases
 * (form_bases) are the term, the term less one of form_endings and, for
 * some, the stem a suffix changes ("notify", "notification"); its forms
 * are the dictionary's terms that are a base, or a base plus an ending
 * (the last letter doubled for some: "logging").  Folding
 * them into one term at index time lost "s3 versioning" to every page
 * that says "version" (HACKING, session 33): here each form is only an
 * alternative for its word, which search.c weighs below the word, and a
 * form FORM_DF_RATIO times commoner than the word is left out ("version"
 * for "versioning" in the S3 guide: mostly about something else, and
 * its long list would cost every lookup of the word).
 */
#define FORM_BASE_MIN   4 /* letters a base keeps: "using" is no "us" */
#define FORM_WORD_MIN   3 /* shorter, only -ing, -ed: "log", "logging" */
#define FORMS_MAX       4 /* forms a word gets at most */
#define FORMS_FOUND_MAX 8 /* forms found, of which the commonest are kept */
/* A form in more sections than this times the word's is left out. */
#define FORM_DF_RATIO 16

/* OTHER: an ending that often makes another word ("station").
 * DOUBLES: one before which a short word doubles its last letter
 * ("logging"). */
static const struct {
	const char *s;
	int other, doubles;
} form_endings[] = {
    {"ing", 0, 1}, {"ed", 0, 1}, {"ion", 1, 0}, {"ation", 1, 0}, {"ly", 0, 0}};
#define NFORM_ENDINGS (sizeof(form_endings) / sizeof(form_endings[0]))

/* Stem endings that change when a word takes a suffix: "notify" and
 * "notification", "invoke" (stemmed "invok") and "invocation".  Each
 * pair works both ways; a swapped word may be another one
 * ("agent", "agency"), so it counts as OTHER. */
static const struct {
	const char *a, *b;
} form_swaps[] = {
    {"ify", "ification"}, /* notify */
    {"ok", "ocation"},    /* invoke, revoke */
    {"crib", "cription"}, /* subscribe, describe */
    {"abl", "ability"},   /* available, durable */
    {"ibl", "ibility"},   /* visible, compatible */
    {"ent", "ency"},      /* consistent, concurrent */
    {"ant", "ancy"},      /* redundant, tenant */
};
#define NFORM_SWAPS   (sizeof(form_swaps) / sizeof(form_swaps[0]))
#define SWAP_STEM_MIN 3 /* letters a swap keeps: "ant" is no "ancy" */

/* May a base of N bytes at BASE and ENDING make one word?
 * "-ification" comes from "-ify" ("certify", "specify"), so it is no
 * form of "-ificate" nor of "-ific": a certificate is no
 * certification, nor is specific a specification. */
static int
form_pair(const char *base, size_t n, const char *ending)
{
	if (strcmp(ending, "ion") == 0)
		return n < 6 || memcmp(base + n - 6, "ificat", 6) != 0;
	if (strcmp(ending, "ation") == 0)
		return n < 4 || memcmp(base + n - 4, "ific", 4) != 0;
	return 1;
}

/* The length of T/LEN less form_endings[I] if it leaves a base, else 0. */
static size_t
less_ending(const char *t, size_t len, size_t i)
{
	const char *end = form_endings[i].s;
	size_t el = strlen(end);

	return len >= FORM_BASE_MIN + el &&
	               memcmp(t + len - el, end, el) == 0 &&
	               form_pair(t, len - el, end)
	           ? len - el
	           : 0;
}

static int
is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Does T/N end consonant, vowel, consonant (no w, x, y): a last letter
 * that doubles before -ing and -ed ("log", "logging")? */
static int
ends_cvc(const char *t, size_t n)
{
	return n >= 3 && !is_vowel(t[n - 3]) && is_vowel(t[n - 2]) &&
	       !is_vowel(t[n - 1]) && t[n - 1] != 'w' && t[n - 1] != 'x' &&
	       t[n - 1] != 'y';
}

/* A word a term may be a form of: the term itself, less an ending, or
 * with its stem's ending swapped. */
struct form_base {
	char s[TOKEN_MAX + 1];
	size_t len;
	int other; /* may be another word, told as a correction */
};
#define FORM_BASES_MAX 16

/* Add base S/LEN to B[*N] unless full or there. */
static void
push_base(struct form_base *b, size_t *n, const char *s, size_t len, int other)
{
	size_t i;

	if (*n == FORM_BASES_MAX || len > TOKEN_MAX)
		return;
	for (i = 0; i < *n; i++)
		if (b[i].len == len && memcmp(b[i].s, s, len) == 0)
			return;
	memcpy(b[*n].s, s, len);
	b[*n].s[len] = '\0';
	b[*n].len = len;
	b[*n].other = other;
	(*n)++;
}

/* Add BASE with its stem's ending FROM made TO, if it ends so. */
static void
push_swapped(struct form_base *b, size_t *n, const struct form_base *base,
             const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), keep;
	char s[TOKEN_MAX + 1];

	if (base->len < SWAP_STEM_MIN + fl)
		return;
	keep = base->len - fl;
	if (keep + tl > TOKEN_MAX || memcmp(base->s + keep, from, fl) != 0)
		return;
	memcpy(s, base->s, keep);
	memcpy(s + keep, to, tl);
	push_base(b, n, s, keep + tl, 1);
}

/*
 * The bases of term T/LEN (all a-z) into B, T first: T less each
 * ending, undoubled after -ing and -ed ("logg" -> "log") and with y for
 * i before -ed ("notifi" -> "notify"); then, if SWAPS, each of them with
 * its stem ending swapped.  Returns how many.
 */
static size_t
form_bases(const char *t, size_t len, int swaps, struct form_base *b)
{
	size_t n = 0, i, j, el, nplain;

	push_base(b, &n, t, len, 0);
	for (i = 0; i < NFORM_ENDINGS; i++) {
		const char *end = form_endings[i].s;
		int other = form_endings[i].other;
		if ((el = less_ending(t, len, i)) == 0)
			continue;
		push_base(b, &n, t, el, other);
		if (!form_endings[i].doubles)
			continue;
		if (t[el - 1] == t[el - 2] && !is_vowel(t[el - 1]) &&
		    t[el - 1] != 's')
			push_base(b, &n, t, el - 1, other);
		else if (end[0] == 'e' && t[el - 1] == 'i') { /* -ed */
			char y[TOKEN_MAX + 1];
			memcpy(y, t, el - 1);
			y[el - 1] = 'y';
			push_base(b, &n, y, el, other);
		}
	}
	if (!swaps)
		return n;
	nplain = n;
	for (i = 0; i < nplain; i++)
		for (j = 0; j < NFORM_SWAPS; j++) {
			push_swapped(b, &n, &b[i], form_swaps[j].a,
			             form_swaps[j].b);
			push_swapped(b, &n, &b[i], form_swaps[j].b,
			             form_swaps[j].a);
		}
	return n;
}

/* Does term E head sections of its own (TITLE_INFO has it)? */
static int
heads_sections(const struct blob *b, const struct dict_entry *e)
{
	const unsigned char *p, *end;

	return blob_title_info(b, e->ordinal, &p, &end) == 1 && p != NULL;
}

/*
 * Candidate forms, to be looked up in sorted order: strings in one
 * small pool, as the lookup's stack is otherwise shallow (an array of
 * whole terms cost three more page faults on every lookup).
 */
#define FORM_POOL      2048
#define FORM_CANDS_MAX 128
struct form_cands {
	char pool[FORM_POOL];
	size_t used, n;
	const char *s[FORM_CANDS_MAX];
};

static int
cmp_cand(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Add candidate BASE/LEN + END to C, with BASE's last letter twice if
 * TWICE ("logging"); a last y after a consonant is i before -ed
 * ("notified").  Past the pool's room a candidate is left out.
 */
static void
add_cand(struct form_cands *c, const char *base, size_t len, int twice,
         const char *end)
{
	size_t el = strlen(end), bl = len + (twice != 0);
	char *f = c->pool + c->used;

	if (bl + el > TOKEN_MAX || c->n == FORM_CANDS_MAX ||
	    FORM_POOL - c->used < bl + el + 1)
		return;
	memcpy(f, base, len);
	if (twice)
		f[len] = base[len - 1];
	else if (end[0] == 'e' && len >= 2 && base[len - 1] == 'y' &&
	         !is_vowel(base[len - 2]))
		f[len - 1] = 'i';
	memcpy(f + bl, end, el + 1);
	c->s[c->n++] = f;
	c->used += bl + el + 1;
}

/* More sections first: a rare spelling ("loged") is the last form kept. */
static int
cmp_form_df(const void *a, const void *b)
{
	uint32_t x = ((const struct dict_entry *)a)->df;
	uint32_t y = ((const struct dict_entry *)b)->df;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * Add to Q the forms of word WI's term T, the FORMS_MAX commonest: 0, or
 * -1 for a corrupt dictionary.  The candidates are looked up in sorted
 * order by one iterator, which passes over whole blocks of terms
 * between them ("lambda" has hundreds of compounds between itself and
 * "lambdaly").
 */
static int
add_forms(const struct blob *b, struct query *q, unsigned wi,
          const struct dict_entry *t)
{
	struct form_cands cand;
	struct form_base base[FORM_BASES_MAX];
	struct dict_entry found[FORMS_FOUND_MAX], e;
	size_t nbase, nfound = 0, i, j;
	struct dict_iter it;
	int r, have = 0, keep;

	if (t->len < FORM_WORD_MIN || !token_all_letters(t->term, t->len))
		return 0;
	/* A word that heads sections, whose forms head none, names the
	 * topic as the notes do ("s3 encryption"): its forms would only
	 * bring in sections that use them in passing, at their lists'
	 * cost.  KEEP: the word heads none, or a form heads one.  Nor does
	 * such a word get another stem's words ("concurrency" no
	 * "concurrent"): they are for words the notes do not head with. */
	keep = !heads_sections(b, t);
	nbase = form_bases(t->term, t->len, keep, base);
	cand.used = cand.n = 0;
	for (i = 0; i < nbase; i++) {
		const struct form_base *fb = &base[i];
		if (i > 0)
			add_cand(&cand, fb->s, fb->len, 0, "");
		for (j = 0; j < NFORM_ENDINGS; j++) {
			const char *end = form_endings[j].s;
			if ((fb->len < FORM_BASE_MIN &&
			     !form_endings[j].doubles) ||
			    !form_pair(fb->s, fb->len, end))
				continue;
			add_cand(&cand, fb->s, fb->len, 0, end);
			if (form_endings[j].doubles && ends_cvc(fb->s, fb->len))
				add_cand(&cand, fb->s, fb->len, 1, end);
		}
	}
	qsort(cand.s, cand.n, sizeof(cand.s[0]), cmp_cand);
	for (i = 0; i < cand.n && nfound < FORMS_FOUND_MAX; i++) {
		const char *c = cand.s[i];
		size_t len = strlen(c);
		if ((i > 0 && strcmp(c, cand.s[i - 1]) == 0) ||
		    strcmp(c, t->term) == 0)
			continue;
		if (!have) {
			/* The forms sort near T: from its block. */
			r = dict_iter_start_near(&it, b, t->ordinal, c, len,
			                         &e);
			have = 1;
		} else if (strcmp(e.term, c) < 0)
			r = dict_skip_to(&it, c, len, &e);
		else
			r = 1; /* E is at or past this one already */
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (e.len == len && memcmp(e.term, c, len) == 0 &&
		    (uint64_t)e.df <= (uint64_t)t->df * FORM_DF_RATIO)
			found[nfound++] = e;
	}
	qsort(found, nfound, sizeof(found[0]), cmp_form_df);
	for (i = 0; i < nfound && i < FORMS_MAX; i++)
		keep = keep || heads_sections(b, &found[i]);
	for (i = 0; keep && i < nfound && i < FORMS_MAX; i++) {
		if (!add_term(q, &found[i], wi))
			break;
		q->term[q->nterm - 1].form = 1;
	}
	return 0;
}

/*
 * "encrypted", "cached": a form the notes lack of a word they have.  The
 * first of term T/LEN's bases (form_bases) that is a term, into *E: 1,
 * 0, or -1 for a corrupt dictionary.  *MATCH: WORD_EXACT for an ending
 * of the same word (ing, ed, ly: "tagged" is tag), WORD_BASE for one
 * that makes another word (ion, ation, a swapped stem): "selection" is
 * select, but "station" is no state, so that is told as a correction.
 */
static int
find_base(const struct blob *b, const char *t, size_t len, struct dict_entry *e,
          unsigned *match)
{
	struct form_base base[FORM_BASES_MAX];
	size_t i, n;
	int r;

	if (len > TOKEN_MAX || !token_all_letters(t, len))
		return 0;
	n = form_bases(t, len, 1, base);
	for (i = 1; i < n; i++) /* base[0] is T */
		if ((r = dict_find(b, base[i].s, base[i].len, e)) != 0) {
			*match = base[i].other ? WORD_BASE : WORD_EXACT;
			return r;
		}
	return 0;
}

/*
 * The term two typed words make together: exactly ("cloud front"), with
 * the letter both share at the join once ("elastic cache" for
 * ElastiCache), or, when a word needed correcting, one edit away.  The
 * typo index is left alone when both words are spelt right: it costs
 * more than the rest of such a lookup.  1, 0, or -1/-2.
 */
static int
find_joined(const struct blob *b, struct fuzzy_cache *fc, const char *joined,
            size_t len1, int typo, struct dict_entry *e)
{
	size_t len = strlen(joined);
	int r = dict_find(b, joined, len, e);

	if (r == 0 && len1 > 0 && len1 < len &&
	    joined[len1 - 1] == joined[len1]) {
		char once[2 * TOKEN_MAX + 1];
		memcpy(once, joined, len1 - 1);
		memcpy(once + len1 - 1, joined + len1, len - len1 + 1);
		r = dict_find(b, once, len - 1, e);
	}
	if (r != 0 || !typo || letters(joined, len) < 8)
		return r;
	r = fuzzy_find(b, fc, joined, len, 1, e);
	if (r > 0 && fuzzy_distance(joined, len, e->term, e->len, 1) > 1)
		r = 0;
	return r;
}

static int
spelt_right(const struct qword *w)
{
	return w->match == WORD_EXACT || w->match == WORD_PARTS;
}

/* Resolve word W (index WI) to terms; sets its match kind. */
static int
resolve(const struct blob *b, struct fuzzy_cache *fc, struct query *q,
        unsigned wi, const struct word_terms *w)
{
	struct dict_entry e, e2, parts[MAX_PARTS];
	size_t len = strlen(w->whole), nl;
	unsigned i, m;
	int r;

	if ((r = dict_find(b, w->whole, len, &e)) != 0) {
		if (r > 0 && add_term(q, &e, wi))
			q->word[wi].match = WORD_EXACT;
		return r;
	}
	/* "rcus", "statuses": plurals the light stemmer leaves alone. */
	if (len > 3 && w->whole[len - 1] == 's' &&
	    (r = dict_find(b, w->whole, len - 1, &e)) != 0) {
		if (r > 0 && add_term(q, &e, wi))
			q->word[wi].match = WORD_EXACT;
		return r;
	}
	if ((r = find_base(b, w->whole, len, &e, &m)) != 0) {
		if (r > 0 && add_term(q, &e, wi))
			q->word[wi].match = m;
		return r;
	}
	for (i = 0; i < w->nparts; i++)
		if ((r = dict_find(b, w->part[i], strlen(w->part[i]),
		                   &parts[i])) <= 0)
			break;
	if (r < 0)
		return r;
	if (w->nparts > 0 && i == w->nparts) {
		for (i = 0; i < w->nparts; i++)
			add_term(q, &parts[i], wi);
		q->word[wi].match = WORD_PARTS;
		return 1;
	}
	/* One edit first: at scale some split of a typo is always there. */
	if ((r = fuzzy_find(b, fc, w->whole, len, 1, &e)) != 0) {
		if (r > 0 && add_term(q, &e, wi))
			q->word[wi].match = WORD_FUZZY;
		return r;
	}
	nl = letters(w->whole, len);
	if (nl >= 6 && (r = find_split(b, w->whole, len, nl, &e, &e2)) != 0) {
		if (r > 0) {
			add_term(q, &e, wi);
			add_term(q, &e2, wi);
			q->word[wi].match = WORD_SPLIT;
		}
		return r;
	}
	if (nl >= FUZZY_MIN_LEN && (r = find_prefix(b, w->whole, len, &e))) {
		if (r > 0 && add_term(q, &e, wi))
			q->word[wi].match = WORD_PREFIX;
		return r;
	}
	if ((r = fuzzy_find(b, fc, w->whole, len, 2, &e)) != 0) {
		if (r > 0 && add_term(q, &e, wi))
			q->word[wi].match = WORD_FUZZY;
		return r;
	}
	return 0;
}

/* Where the words of one typed word start and end in it. */
struct word_spans {
	size_t start[QUERY_MAX_WORDS], end[QUERY_MAX_WORDS];
	unsigned n;
};

static awn_status
note_span(void *ctx, const struct token *t)
{
	struct word_spans *s = ctx;

	if (t->end > t->start && s->n < QUERY_MAX_WORDS) {
		s->start[s->n] = t->start;
		s->end[s->n++] = t->end;
	}
	return AWN_OK;
}

/*
 * Add the typed word TEXT/LEN to Q.  The tokenizer may read it as several
 * words ("AWS::S3::Bucket": a double connector joins nothing), and the
 * index has them as several, so each becomes a query word of its own;
 * an excluded word stays one, since excluding each part would exclude
 * far more than was typed.
 */
static void
add_word(struct query *q, const char *text, size_t len, int exclude,
         unsigned phrase)
{
	struct word_spans s = {.n = 0};
	unsigned i;

	token_words(text, len, note_span, &s);
	if (s.n < 2 || exclude) {
		s.n = 1;
		s.start[0] = 0;
		s.end[0] = len;
	}
	for (i = 0; i < s.n && q->nword < QUERY_MAX_WORDS; i++) {
		struct qword *w = &q->word[q->nword++];
		w->text = text + s.start[i];
		w->len = s.end[i] - s.start[i];
		w->exclude = exclude;
		w->phrase = phrase;
		w->match = WORD_UNKNOWN;
	}
}

/*
 * The next typed word of the query at *P, which it passes: its START and
 * LEN, whether it is *EXCLUDEd, and in which phrase (0: none).  *QUOTED
 * and *NPHRASE carry the quotes from word to word.  0 at the end.
 */
static int
next_word(const char **pp, int *quoted, unsigned *nphrase, const char **start,
          size_t *len, int *exclude)
{
	const char *p = *pp;

	do { /* a '-' before a blank or quote is no word */
		*exclude = 0;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '"') {
			if (*p == '"') {
				*quoted = !*quoted;
				if (*quoted)
					(*nphrase)++;
			}
			p++;
		}
		if (*p == '-' && !*quoted && p[1] && p[1] != ' ' &&
		    p[1] != '-') {
			*exclude = 1;
			p++;
		}
		*start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '"')
			p++;
		*len = (size_t)(p - *start);
	} while (*len == 0 && *p);
	*pp = p;
	return *len > 0;
}

/* Split TEXT into typed words, noting quotes and exclusions. */
static void
split_words(const char *text, struct query *q)
{
	const char *p = text, *start;
	size_t len;
	int quoted = 0, exclude;

	while (q->nword < QUERY_MAX_WORDS &&
	       next_word(&p, &quoted, &q->nphrase, &start, &len, &exclude))
		add_word(q, start, len, exclude, quoted ? q->nphrase : 0);
}

int
query_find_word(const char *text, int (*fn)(void *ctx, const char *w, size_t n),
                void *ctx, size_t *off, size_t *len, unsigned *nwords)
{
	const char *p = text, *start;
	unsigned nphrase = 0;
	int quoted = 0, exclude, found = 0;
	size_t n;

	for (*nwords = 0;
	     next_word(&p, &quoted, &nphrase, &start, &n, &exclude); ++*nwords)
		if (!found && !quoted && !exclude && fn(ctx, start, n)) {
			found = 1;
			*off = (size_t)(start - text);
			*len = n;
		}
	return found;
}

/*
 * Drop stop words (outside phrases) unless nothing else would remain;
 * keep those B's dictionary has in Q->stop.  Returns -1 when the
 * dictionary is corrupt, else 0.
 */
static int
drop_stopwords(const struct blob *b, struct query *q)
{
	struct word_terms t;
	unsigned i, n = 0, keep = 0, nword = q->nword;
	int stop[QUERY_MAX_WORDS], r;

	for (i = 0; i < nword; i++) {
		word_terms(q->word[i].text, q->word[i].len, &t);
		stop[i] = !t.have_whole ||
		          (!q->word[i].exclude && !q->word[i].phrase &&
		           is_stopword(t.whole));
		keep += !stop[i] && !q->word[i].exclude;
	}
	if (keep == 0)
		return 0;
	for (i = 0; i < nword; i++) {
		if (!stop[i]) {
			q->word[n++] = q->word[i];
			continue;
		}
		word_terms(q->word[i].text, q->word[i].len, &t);
		if (!t.have_whole || q->nstop == QUERY_MAX_STOPS)
			continue;
		if ((r = dict_find(b, t.whole, strlen(t.whole),
		                   &q->stop[q->nstop])) < 0)
			return -1;
		q->nstop += r;
	}
	q->nword = n;
	return 0;
}

#define INITIALS_MIN 3 /* words, and so letters, that may have initials */
#define INITIALS_MAX 5

/*
 * The first letters of Q's words FROM, FROM+1, ... into OUT (at most
 * INITIALS_MAX), up to the first word that cannot give one: excluded,
 * in quotes, or not starting with a letter.  Returns how many.
 */
static unsigned
first_letters(const struct query *q, unsigned from, char *out)
{
	struct word_terms w;
	unsigned n;

	for (n = 0; n < INITIALS_MAX && from + n < q->nword; n++) {
		const struct qword *qw = &q->word[from + n];
		if (qw->exclude || qw->phrase)
			break;
		word_terms(qw->text, qw->len, &w);
		if (!w.have_whole || w.whole[0] < 'a' || w.whole[0] > 'z')
			break;
		out[n] = w.whole[0];
	}
	return n;
}

/*
 * LETTERS/LEN as AWS writes initials with a letter repeated: once, and
 * the count after it (Elastic Compute Cloud is EC2, Simple Storage
 * Service S3), into OUT, NUL-terminated: the same letters when none
 * repeats.
 */
static void
count_repeats(const char *letters, size_t len, char *out)
{
	size_t i = 0, run, n = 0;

	while (i < len) {
		for (run = 1; i + run < len && letters[i + run] == letters[i];
		     run++)
			;
		out[n++] = letters[i];
		if (run > 1)
			out[n++] = (char)('0' + run);
		i += run;
	}
	out[n] = '\0';
}

/*
 * "elastic map reduce", "elastic compute cloud": words spelled out
 * where the notes may title a chapter with their initials ("EMR",
 * "EC2") and spell the name out only in its subsections.  For each run
 * of three to five words (the longest first, runs apart) whose initials
 * are a term of B and not a stop word ("are" would be found anywhere),
 * the term goes to Q->initials for search.c to look for in the titles
 * of the leading sections' ancestors (lift_initials); it is no term to
 * search for.  AWS's form with a count is tried first: the index has
 * "ecc" only where capitalised words spell the name out anyway.
 * Returns 0, or -1 for a corrupt dictionary.
 */
static int
find_initials(const struct blob *b, struct query *q)
{
	char letters[INITIALS_MAX + 1], counted[2 * INITIALS_MAX + 1];
	struct dict_entry e;
	unsigned w = 0, len, found;
	int r;

	while (w + INITIALS_MIN <= q->nword) {
		len = first_letters(q, w, letters);
		for (found = 0; !found && len >= INITIALS_MIN; len--) {
			letters[len] = '\0';
			if (is_stopword(letters))
				continue;
			count_repeats(letters, len, counted);
			r = strcmp(counted, letters) != 0
			        ? dict_find(b, counted, strlen(counted), &e)
			        : 0;
			if (r == 0)
				r = dict_find(b, letters, len, &e);
			if (r < 0)
				return -1;
			if (r > 0 && q->ninitials < QUERY_MAX_INITIALS) {
				struct qinitials *in =
				    &q->initials[q->ninitials++];
				memcpy(in->term, e.term, e.len + 1);
				in->word = w;
				in->nwords = found = len;
			}
		}
		w += found ? found : 1;
	}
	return 0;
}

awn_status
query_parse(const struct blob *b, const char *text, struct query *q,
            awn_error *err)
{
	struct word_terms w, next;
	struct fuzzy_cache fc; /* a pair's typo lookup reuses its words' */
	unsigned i, n;
	int r = 0;

	/* Only the counts: the arrays are written before they are read. */
	q->nword = q->nterm = q->npositive = q->nphrase = 0;
	q->ninitials = q->nstop = 0;
	if (strlen(text) > QUERY_MAX_LEN)
		return error_set(err, AWN_ERR_QUERY,
		                 "query longer than %d bytes", QUERY_MAX_LEN);
	split_words(text, q);
	fuzzy_cache_init(&fc);
	if ((r = drop_stopwords(b, q)) < 0)
		goto out;
	for (i = n = 0; i < q->nword; i++) {
		q->word[n] = q->word[i];
		word_terms(q->word[n].text, q->word[n].len, &w);
		if (!w.have_whole)
			continue;
		if ((r = resolve(b, &fc, q, n, &w)) < 0)
			goto out;
		n++;
	}
	q->nword = n;
	/*
	 * "cloud front", "lambda concurrency": a pair that is also one term
	 * may be meant either way, so the term is added as an alternative
	 * that stands for both words.
	 */
	for (i = 0; i + 1 < q->nword; i++) {
		struct dict_entry e;
		char joined[2 * TOKEN_MAX + 1];
		size_t wl, nl;
		if (q->word[i].exclude || q->word[i + 1].exclude ||
		    q->word[i].phrase != q->word[i + 1].phrase)
			continue;
		word_terms(q->word[i].text, q->word[i].len, &w);
		word_terms(q->word[i + 1].text, q->word[i + 1].len, &next);
		wl = strlen(w.whole);
		nl = strlen(next.whole);
		if (wl + nl > TOKEN_MAX)
			continue;
		memcpy(joined, w.whole, wl);
		memcpy(joined + wl, next.whole, nl + 1);
		if ((r = find_joined(b, &fc, joined, wl,
		                     !spelt_right(&q->word[i]) ||
		                         !spelt_right(&q->word[i + 1]),
		                     &e)) < 0)
			goto out;
		if (r > 0 && add_term(q, &e, i))
			q->term[q->nterm - 1].join = 1;
	}
	q->nword = n;
	/* Forms last: with the terms full, the words and joins come first. */
	for (i = 0; i < q->nword; i++) {
		unsigned k, nt = 0, at = 0;
		if (q->word[i].exclude || q->word[i].phrase ||
		    q->word[i].match != WORD_EXACT)
			continue;
		for (k = 0; k < q->nterm; k++)
			if (q->term[k].word == i && !q->term[k].join) {
				nt++;
				at = k;
			}
		if (nt == 1 && (r = add_forms(b, q, i, &q->term[at].e)) < 0)
			goto out;
	}
	if ((r = find_initials(b, q)) < 0)
		goto out;
	for (i = 0; i < q->nword; i++)
		q->npositive += !q->word[i].exclude;
out:
	fuzzy_cache_free(&fc);
	if (r == -2)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	if (r < 0)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: corrupt blob (dictionary)", b->name);
	return AWN_OK;
}

void
query_copy(struct query *to, const struct query *from)
{
	to->nword = from->nword;
	to->nterm = from->nterm;
	to->npositive = from->npositive;
	to->nphrase = from->nphrase;
	to->ninitials = from->ninitials;
	memcpy(to->initials, from->initials,
	       from->ninitials * sizeof(from->initials[0]));
	memcpy(to->word, from->word, from->nword * sizeof(from->word[0]));
	memcpy(to->term, from->term, from->nterm * sizeof(from->term[0]));
	to->nstop = from->nstop;
	memcpy(to->stop, from->stop, from->nstop * sizeof(from->stop[0]));
}

int
query_word_corrected(const struct qword *w)
{
	return w->match == WORD_SPLIT || w->match == WORD_PREFIX ||
	       w->match == WORD_FUZZY || w->match == WORD_BASE;
}

int
query_corrected(const struct query *q)
{
	unsigned i;

	for (i = 0; i < q->nword; i++)
		if (query_word_corrected(&q->word[i]))
			return 1;
	return 0;
}
