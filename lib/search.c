/*
 * search.c - keyword queries: the query parser and the ranker.
 *
 * Each query word becomes one or more dictionary terms (token.h: the
 * whole word, or its parts when the whole is not indexed).  Sections are
 * ranked first by how many query words they match, then by a score that
 * adds, for each term t:
 *
 *   idf(t) * ( bm25(tf_body) + heading(t) )
 *
 *   heading(t) = W_TITLE + W_SUBTREE * log(1 + tf_subtree)  in own title
 *              = W_PATH                                    in an ancestor's
 *              = 0                                         otherwise
 *
 * plus, once per section, W_COVER times the share of its own title's words
 * that the query names (so "efs" prefers "EFS" to "EBS & EFS").
 *
 * where bm25 is Okapi BM25's saturating term frequency over the section's
 * own text (k1 = 1.2, b = 0.75), and tf_subtree counts
 * the term in the section and its subsections (so the section that is
 * *about* a topic beats a short one that merely names it).  Ties go to
 * the earlier section.  awsnote(1) documents this for users.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blob-format.h"
#include "db.h"
#include "dict.h"
#include "error.h"
#include "token.h"

#define MAX_QUERY_WORDS 32
#define MAX_QUERY_TERMS 64
#define MAX_QUERY_LEN 4096

#define K1 1.2
#define B 0.75
#define W_TITLE 2.5
#define W_PATH 1.2
#define W_SUBTREE 0.35
#define W_COVER 1.5

struct qterm {
	char term[TOKEN_MAX + 1];
	unsigned word;   /* index of the query word it came from */
	int exclude;     /* from a -word */
	double idf;
	uint32_t n;      /* postings decoded */
	uint32_t *sec;   /* sections, ascending */
	uint32_t *tf;    /* body term frequency */
	uint8_t *flags;  /* POST_IN_* */
	uint64_t *cum;   /* cum[i] = sum of tf[0..i) */
};

struct query {
	struct qterm term[MAX_QUERY_TERMS];
	size_t nterm;
	unsigned nwords;    /* positive words */
	unsigned matchable; /* words with at least one term in the index */
};

static const char *const stopwords[] = {
    "a",    "an",   "and",  "are", "as",   "be",    "by",    "can",
    "do",   "doe",  "for",  "from", "how", "i",     "in",    "is",
    "it",   "my",   "of",   "on",  "or",   "the",   "to",    "what",
    "when", "wher", "which", "who", "why", "with",  "you",   "should",
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

static void
qterm_free(struct qterm *q)
{
	alloc_free(q->sec);
	alloc_free(q->tf);
	alloc_free(q->flags);
	alloc_free(q->cum);
}

/* Decode the postings of dictionary entry E into Q. */
static awn_status
load_postings(const awn_db *db, const struct dict_entry *e, struct qterm *q,
	      awn_error *err)
{
	const struct blob *b = &db->blob;
	uint32_t df = e->df, plen = e->post_len;
	uint64_t poff = e->post_off, sec = 0, v, w;
	const unsigned char *p, *end;
	uint32_t i;

	if (poff > b->table[BT_POSTINGS].len ||
	    plen > b->table[BT_POSTINGS].len - poff || df > plen / 2 + 1 ||
	    df > b->nsections)
		return error_set(err, AWN_ERR_FORMAT,
				 "%s: corrupt blob (postings bounds)", b->name);
	q->sec = alloc_reallocarray(NULL, df + 1, sizeof(*q->sec));
	q->tf = alloc_reallocarray(NULL, df + 1, sizeof(*q->tf));
	q->flags = alloc_malloc(df + 1);
	q->cum = alloc_reallocarray(NULL, df + 2, sizeof(*q->cum));
	if (!q->sec || !q->tf || !q->flags || !q->cum)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	p = b->table[BT_POSTINGS].p + poff;
	end = p + plen;
	q->cum[0] = 0;
	for (i = 0; i < df; i++) {
		if (blob_varint(&p, end, &v) < 0 || blob_varint(&p, end, &w) < 0)
			goto corrupt;
		if (i > 0 && v == 0)
			goto corrupt; /* sections must ascend */
		sec += v;
		if (sec >= b->nsections)
			goto corrupt;
		q->sec[i] = (uint32_t)sec;
		q->flags[i] = (uint8_t)(w & ((1u << POST_FLAG_BITS) - 1));
		w >>= POST_FLAG_BITS;
		q->tf[i] = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
		q->cum[i + 1] = q->cum[i] + q->tf[i];
	}
	q->n = df;
	q->idf = log(1.0 + ((double)b->nsections - df + 0.5) / (df + 0.5));
	return AWN_OK;
corrupt:
	return error_set(err, AWN_ERR_FORMAT, "%s: corrupt blob (postings)",
			 b->name);
}

struct parse_ctx {
	const awn_db *db;
	char whole[TOKEN_MAX + 1];
	char parts[8][TOKEN_MAX + 1];
	unsigned nparts, have_whole;
};

static awn_status
collect_word_terms(void *vctx, const struct token *t)
{
	struct parse_ctx *c = vctx;

	if (t->kind == TOKEN_WORD && !c->have_whole) {
		memcpy(c->whole, t->term, t->len + 1);
		c->have_whole = 1;
	} else if (t->kind == TOKEN_PART && c->nparts < 8) {
		memcpy(c->parts[c->nparts++], t->term, t->len + 1);
	}
	return AWN_OK;
}

static awn_status
add_term(awn_db *db, struct query *q, const struct dict_entry *e,
	 unsigned word, int exclude, awn_error *err)
{
	struct qterm *t;

	if (q->nterm == MAX_QUERY_TERMS)
		return AWN_OK;
	t = &q->term[q->nterm++];
	memset(t, 0, sizeof(*t));
	memcpy(t->term, e->term, e->len + 1);
	t->word = word;
	t->exclude = exclude;
	return load_postings(db, e, t, err);
}

static awn_status
corrupt_dict(const awn_db *db, awn_error *err)
{
	return error_set(err, AWN_ERR_FORMAT, "%s: corrupt blob (dictionary)",
			 db->blob.name);
}

/*
 * One query word: its whole form if indexed, else all of its parts if
 * they all are.  Returns 1 if the word found terms.
 */
static awn_status
add_word(awn_db *db, struct query *q, const char *w, size_t n, int exclude,
	 int keep_stop, int *found, awn_error *err)
{
	struct parse_ctx c;
	struct dict_entry e, parts[8];
	unsigned i, word = exclude ? MAX_QUERY_WORDS : q->nwords;
	awn_status st;
	int r;

	memset(&c, 0, sizeof(c));
	c.db = db;
	*found = 0;
	token_scan(w, n, collect_word_terms, &c);
	if (!c.have_whole || (!keep_stop && !exclude && is_stopword(c.whole)))
		return AWN_OK;
	if (!exclude)
		q->nwords++;
	if ((r = dict_find(&db->blob, c.whole, strlen(c.whole), &e)) < 0)
		return corrupt_dict(db, err);
	if (r == 1) {
		*found = 1;
		return add_term(db, q, &e, word, exclude, err);
	}
	for (i = 0; i < c.nparts; i++) {
		r = dict_find(&db->blob, c.parts[i], strlen(c.parts[i]),
			      &parts[i]);
		if (r < 0)
			return corrupt_dict(db, err);
		if (r == 0)
			return AWN_OK;
	}
	for (i = 0; i < c.nparts; i++)
		if ((st = add_term(db, q, &parts[i], word, exclude, err)))
			return st;
	*found = c.nparts > 0;
	return AWN_OK;
}

static awn_status
parse_query(awn_db *db, const char *query, struct query *q, int keep_stop,
	    awn_error *err)
{
	const char *p = query;
	awn_status st;
	int found;

	while (*p) {
		const char *start;
		int exclude = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '"')
			p++;
		if (*p == '-' && p[1] && p[1] != ' ') {
			exclude = 1;
			p++;
		}
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '"')
			p++;
		if (p == start)
			continue;
		if (q->nwords == MAX_QUERY_WORDS)
			break;
		if ((st = add_word(db, q, start, (size_t)(p - start), exclude,
				   keep_stop, &found, err)))
			return st;
		if (found && !exclude)
			q->matchable++;
	}
	return AWN_OK;
}

static size_t
lower_bound(const uint32_t *a, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

struct scored {
	uint32_t section;
	unsigned matched;
	double score;
};

static int
cmp_scored(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;

	if (a->matched != b->matched)
		return a->matched > b->matched ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (a->section > b->section) - (a->section < b->section);
}

struct cover_ctx {
	const struct query *q;
	unsigned words, matched;
};

static awn_status
cover_term(void *vctx, const struct token *t)
{
	struct cover_ctx *c = vctx;
	size_t i;

	if (t->kind != TOKEN_WORD || is_stopword(t->term))
		return AWN_OK;
	c->words++;
	for (i = 0; i < c->q->nterm; i++)
		if (!c->q->term[i].exclude &&
		    strcmp(c->q->term[i].term, t->term) == 0) {
			c->matched++;
			break;
		}
	return AWN_OK;
}

/* Share of the words of section S's own title that the query names. */
static double
title_cover(const awn_db *db, const struct query *q, uint32_t s)
{
	struct cover_ctx c = {q, 0, 0};
	awn_section sec;

	if (awn_db_section(db, s, &sec) != AWN_OK)
		return 0;
	token_scan(sec.title, sec.title_len, cover_term, &c);
	return c.words ? (double)c.matched / c.words : 0;
}

/* Score section S against every positive term of Q. */
static void
score_section(const awn_db *db, const struct query *q, uint32_t s,
	      double avglen, struct scored *out)
{
	const unsigned char *r = db_section_record(db, s);
	uint32_t len = blob_u32(r + BS_TOKENS), end = blob_u32(r + BS_END);
	unsigned need[MAX_QUERY_WORDS + 1], have[MAX_QUERY_WORDS + 1];
	int title_hit = 0;
	double norm = K1 * (1 - B + B * (len / (avglen > 0 ? avglen : 1)));
	size_t i;
	unsigned w;

	if (end <= s || end > db->blob.nsections)
		end = s + 1;
	memset(need, 0, sizeof(need));
	memset(have, 0, sizeof(have));
	out->section = s;
	out->score = 0;
	out->matched = 0;
	for (i = 0; i < q->nterm; i++) {
		const struct qterm *t = &q->term[i];
		size_t k = lower_bound(t->sec, t->n, s), e;
		double tf, sc;
		unsigned fl;

		if (t->exclude)
			continue;
		need[t->word]++;
		if (k == t->n || t->sec[k] != s)
			continue;
		have[t->word]++;
		tf = t->tf[k];
		fl = t->flags[k];
		sc = tf * (K1 + 1) / (tf + norm);
		if (fl & POST_IN_TITLE) {
			title_hit = 1;
			e = lower_bound(t->sec, t->n, end);
			sc += W_TITLE +
			      W_SUBTREE * log(1.0 + (double)(t->cum[e] -
							      t->cum[k]));
		}
		else if (fl & POST_IN_PATH)
			sc += W_PATH; /* a word counts once for the heading path */
		out->score += t->idf * sc;
	}
	for (w = 0; w < MAX_QUERY_WORDS; w++)
		if (need[w] && have[w] == need[w])
			out->matched++;
	if (title_hit)
		out->score += W_COVER * title_cover(db, q, s);
}

static int
excluded(const struct query *q, uint32_t s)
{
	size_t i, k;

	for (i = 0; i < q->nterm; i++) {
		const struct qterm *t = &q->term[i];
		if (!t->exclude)
			continue;
		k = lower_bound(t->sec, t->n, s);
		if (k < t->n && t->sec[k] == s)
			return 1;
	}
	return 0;
}

static awn_status
rank(awn_db *db, const struct query *q, size_t max, awn_hits *hits,
     awn_error *err)
{
	uint32_t *cand = NULL;
	struct scored *sc = NULL;
	size_t n = 0, total = 0, i, u;
	double avglen = db->blob.nsections
			    ? (double)db->blob.total_tokens / db->blob.nsections
			    : 1;

	for (i = 0; i < q->nterm; i++)
		if (!q->term[i].exclude)
			total += q->term[i].n;
	if (total == 0)
		return AWN_OK;
	if ((cand = alloc_reallocarray(NULL, total, sizeof(*cand))) == NULL)
		goto nomem;
	for (i = 0; i < q->nterm; i++)
		if (!q->term[i].exclude) {
			memcpy(cand + n, q->term[i].sec,
			       q->term[i].n * sizeof(*cand));
			n += q->term[i].n;
		}
	qsort(cand, n, sizeof(*cand), cmp_u32);
	for (i = u = 0; i < n; i++)
		if (u == 0 || cand[u - 1] != cand[i])
			cand[u++] = cand[i];
	if ((sc = alloc_reallocarray(NULL, u, sizeof(*sc))) == NULL)
		goto nomem;
	for (i = n = 0; i < u; i++) {
		if (excluded(q, cand[i]))
			continue;
		score_section(db, q, cand[i], avglen, &sc[n]);
		if (sc[n].matched > 0)
			n++;
	}
	qsort(sc, n, sizeof(*sc), cmp_scored);
	if (n > max)
		n = max;
	if (n > 0 && (hits->hit = alloc_reallocarray(NULL, n,
						     sizeof(*hits->hit))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		hits->hit[i].section = sc[i].section;
		hits->hit[i].score = sc[i].score;
	}
	hits->n = n;
	hits->all_terms = n > 0 && sc[0].matched == q->nwords;
	alloc_free(cand);
	alloc_free(sc);
	return AWN_OK;
nomem:
	alloc_free(cand);
	alloc_free(sc);
	return error_set(err, AWN_ERR_NOMEM, "out of memory");
}

void
awn_hits_free(awn_hits *hits)
{
	if (hits == NULL)
		return;
	alloc_free(hits->hit);
	alloc_free(hits);
}

awn_status
awn_search(awn_db *db, const char *query, size_t max, awn_hits **out,
	   awn_error *err)
{
	struct query q;
	awn_hits *hits;
	awn_status st;
	size_t i;

	*out = NULL;
	if (strlen(query) > MAX_QUERY_LEN)
		return error_set(err, AWN_ERR_QUERY,
				 "query longer than %d bytes", MAX_QUERY_LEN);
	if ((hits = alloc_calloc(1, sizeof(*hits))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	memset(&q, 0, sizeof(q));
	st = parse_query(db, query, &q, 0, err);
	if (st == AWN_OK && q.nwords == 0) {
		/* Only stop words: search for them after all. */
		for (i = 0; i < q.nterm; i++)
			qterm_free(&q.term[i]);
		memset(&q, 0, sizeof(q));
		st = parse_query(db, query, &q, 1, err);
	}
	if (st == AWN_OK)
		st = rank(db, &q, max, hits, err);
	for (i = 0; i < q.nterm; i++)
		qterm_free(&q.term[i]);
	if (st != AWN_OK) {
		awn_hits_free(hits);
		return st;
	}
	*out = hits;
	return AWN_OK;
}
