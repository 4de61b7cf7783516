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
 * are the term and the term less one of form_endings; its forms are the
 * dictionary's terms that are a base, or a base plus an ending.  Folding
 * them into one term at index time lost "s3 versioning" to every page
 * that says "version" (HACKING, session 33): here each form is only an
 * alternative for its word, which search.c weighs below the word, and a
 * form FORM_DF_RATIO times commoner than the word is left out ("version"
 * for "versioning" in the S3 guide: mostly about something else, and
 * its long list would cost every lookup of the word).
 */
#define FORM_BASE_MIN 4 /* letters a base keeps: "using" is no "us" */
#define FORMS_MAX     4 /* forms a word gets at most */
/* A form in more sections than this times the word's is left out. */
#define FORM_DF_RATIO 16

/* OTHER: an ending that often makes another word ("station"). */
static const struct {
	const char *s;
	int other;
} form_endings[] = {{"ing", 0}, {"ed", 0}, {"ion", 1}, {"ation", 1}, {"ly", 0}};
#define NFORM_ENDINGS (sizeof(form_endings) / sizeof(form_endings[0]))

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

/* Does term E head sections of its own (TITLE_INFO has it)? */
static int
heads_sections(const struct blob *b, const struct dict_entry *e)
{
	const unsigned char *p, *end;

	return blob_title_info(b, e->ordinal, &p, &end) == 1 && p != NULL;
}

/* Candidate forms, to be looked up in sorted order. */
struct form_cand {
	char term[TOKEN_MAX + 1];
	size_t len;
};

static int
cmp_form_cand(const void *a, const void *b)
{
	return strcmp(((const struct form_cand *)a)->term,
	              ((const struct form_cand *)b)->term);
}

/*
 * Add to Q the forms of word WI's term T: 0, or -1 for a corrupt
 * dictionary.  The candidates are looked up in sorted order by one
 * iterator, which passes over whole blocks of terms between them
 * ("lambda" has hundreds of compounds between itself and "lambdaly").
 */
static int
add_forms(const struct blob *b, struct query *q, unsigned wi,
          const struct dict_entry *t)
{
	struct form_cand cand[(NFORM_ENDINGS + 1) * (NFORM_ENDINGS + 1)];
	size_t blen[NFORM_ENDINGS + 1], nbase = 0, ncand = 0, i, j, el;
	struct dict_iter it;
	struct dict_entry e;
	unsigned nforms = 0;
	int r, have = 0, keep;

	if (t->len < FORM_BASE_MIN || !token_all_letters(t->term, t->len))
		return 0;
	/* A word that heads sections, whose forms head none, names the
	 * topic as the notes do ("s3 encryption"): its forms would only
	 * bring in sections that use them in passing, at their lists'
	 * cost.  KEEP: the word heads none, or a form heads one. */
	keep = !heads_sections(b, t);
	blen[nbase++] = t->len;
	for (i = 0; i < NFORM_ENDINGS; i++)
		if ((el = less_ending(t->term, t->len, i)) > 0)
			blen[nbase++] = el;
	for (i = 0; i < nbase; i++)
		for (j = 0; j <= NFORM_ENDINGS; j++) {
			/* j == 0: the base itself */
			const char *end = j ? form_endings[j - 1].s : "";
			struct form_cand *c = &cand[ncand];
			el = strlen(end);
			if (blen[i] + el > TOKEN_MAX ||
			    (j && !form_pair(t->term, blen[i], end)))
				continue;
			memcpy(c->term, t->term, blen[i]);
			memcpy(c->term + blen[i], end, el + 1);
			c->len = blen[i] + el;
			if (c->len != t->len ||
			    memcmp(c->term, t->term, t->len) != 0)
				ncand++;
		}
	qsort(cand, ncand, sizeof(cand[0]), cmp_form_cand);
	for (i = 0; i < ncand && nforms < FORMS_MAX; i++) {
		if (i > 0 && strcmp(cand[i].term, cand[i - 1].term) == 0)
			continue;
		if (!have) {
			/* The forms sort near T: from its block. */
			r = dict_iter_start_near(&it, b, t->ordinal,
			                         cand[i].term, cand[i].len, &e);
			have = 1;
		} else if (strcmp(e.term, cand[i].term) < 0)
			r = dict_skip_to(&it, cand[i].term, cand[i].len, &e);
		else
			r = 1; /* E is at or past this one already */
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (e.len != cand[i].len ||
		    memcmp(e.term, cand[i].term, e.len) != 0 ||
		    (uint64_t)e.df > (uint64_t)t->df * FORM_DF_RATIO)
			continue;
		if (!add_term(q, &e, wi))
			break;
		q->term[q->nterm - 1].form = 1;
		nforms++;
		keep = keep || heads_sections(b, &e);
	}
	if (!keep)
		q->nterm -= nforms;
	return 0;
}

/*
 * "encrypted", "cached": a form the notes lack of a word they have.  The
 * term T/LEN less an ending, if that is a term, into *E: 1, 0, or -1 for
 * a corrupt dictionary.  *MATCH: WORD_EXACT for an ending of the same
 * word (ing, ed, ly), WORD_BASE for one that makes another word (ion,
 * ation): "selection" is select, but "station" is no state, so that is
 * told as a correction.
 */
static int
find_base(const struct blob *b, const char *t, size_t len, struct dict_entry *e,
          unsigned *match)
{
	size_t i, n;
	int r;

	if (!token_all_letters(t, len))
		return 0;
	for (i = 0; i < NFORM_ENDINGS; i++)
		if ((n = less_ending(t, len, i)) > 0 &&
		    (r = dict_find(b, t, n, e)) != 0) {
			*match = form_endings[i].other ? WORD_BASE : WORD_EXACT;
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
