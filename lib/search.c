/*
 * search.c - ranking sections for a parsed query (query.h).
 *
 * Sections are ranked first by how many query words they match (a word
 * in quotes counts only where its phrase is intact), then by a score that
 * adds, for each query term t:
 *
 *   idf(t) * ( bm25(tf_body) + heading(t) )
 *
 *   heading(t) = W_TITLE + W_SUBTREE * log(1 + tf_subtree)  in own title
 *              = W_PATH                                    in an ancestor's
 *              = 0                                         otherwise
 *
 * where bm25 is Okapi BM25's saturating term frequency over the section's
 * own text (k1 = 1.2, b = 0.75) and tf_subtree counts the term in the
 * section and its subsections (so the section that is *about* a topic
 * beats a short one that merely names it).  A joined alternative
 * ("lambdafunction" for "lambda function") takes the place of its two
 * words' parts where it is worth more, never adds to them; so does
 * another form of a word ("encryption" for "encrypt", query.c), which
 * weighs W_FORM as much, its idf no more than the word's.  Once per
 * section come W_COVER times the share of its own title's words the
 * query names (so "efs" prefers "EFS" to "EBS & EFS"), W_HEADS times
 * the share of the query's words found in its own or its ancestors'
 * headings (when it has several words and the own title has one of
 * them), W_EXACT * idf(t) for each term when the section heads its
 * document and its title is the query ("docker run", "cfn-init": the
 * page of that name, not a longer one that uses it; the stop words the
 * query dropped count as its words in the title's share and, when the
 * title holds them all, each adds W_EXACT * idf too, as they add their
 * idf to a file name that has them: "kubectl get") and, for the
 * leading candidates, up to NEAR_MAX for how closely the query words
 * stand together in its text and, when several documents are loaded,
 * W_NAME * idf(t) for each term of the file name of its document, times
 * the share of the name's words the query names and the share of the
 * query's words the name has ("nested stacks" ->
 * using-cfn-nested-stacks.md, not change-sets-for-nested-stacks.md).
 * Words found only by correction (prefix, typo) weigh W_FUZZY as much.
 * Ties go to the earlier section.  Last, among the leading candidates a
 * section whose title names the query as fully as a subsection's ranked
 * above it moves up to just before it (lift_ancestors): it is shown with
 * the subsection; so does the nearest ancestor whose title holds the
 * initials of words the query spells out ("EMR" for "elastic map
 * reduce": lift_initials), which count nowhere else.  awsnote(1)
 * documents this for users.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blob-format.h"
#include "db.h"
#include "dict.h"
#include "error.h"
#include "hash.h"
#include "ln.h"
#include "query.h"
#include "richtext.h"
#include "token.h"

#define K1          1.2
#define B           0.75
#define W_TITLE     2.5
#define W_PATH      1.2
#define W_SUBTREE   0.35
#define W_COVER     1.5
#define W_HEADS     1.5
#define W_EXACT     2.0 /* per term, when a section's own title is the query */
#define NEAR_MAX    1.0 /* bonus for query words side by side */
#define W_FUZZY     0.8
#define W_FORM      0.6 /* another form of a word (query.c) */
#define W_NAME      5.0 /* per term of a file's name, times two shares */
#define RECHECK     20 /* leading candidates checked for phrases and nearness */
#define SEED_RATIO  4  /* seed_floor: others have 4x the rarest's postings */
#define COPY_PROBES 128 /* sections compared with the best hit for a copy */
#define SKIP_RATIO  32  /* want_blocks: another word that much rarer */

_Static_assert(TOKEN_SET_MAX >= QUERY_MAX_TERMS, "a query's terms fit a set");

/*
 * A long list's blocks (POST_SKIPS), each decoded into the list's arrays
 * when a posting of it is first read, so that a seek decodes only the
 * block it lands in.  The arrays are allocated whole (df + 1 slots) but
 * cost no pages until written.  The records are checked at load; a block
 * is checked against its record when decoded, and one that disagrees
 * leaves BAD set (search_part reports it) and harmless values.
 */
struct plist_blocks {
	const unsigned char *post; /* the list in POSTINGS */
	uint64_t *off;             /* each block's offset in it, then its
	                              length (owns the allocation) */
	uint64_t *tf_before;       /* sum of the tf of the blocks before */
	uint32_t *first;           /* each block's first section (global),
	                              then UINT32_MAX */
	uint32_t *title_at;        /* titles in the blocks before */
	uint32_t *title_off;       /* where its titles are in TITLES */
	uint32_t *tf_max;          /* each block's, as in struct plist */
	uint8_t *done;             /* each block: decoded */
	const unsigned char *titles, *titles_end; /* the records */
	uint32_t nblock, shift; /* a block has 1 << shift postings */
	uint32_t nsec, base;
	int bad;        /* a block disagreed with its record */
	int bad_titles; /* its titles did not ascend in their blocks */
};

/*
 * A query term's posting list: 9 bytes a posting in one allocation,
 * since the pages a lookup touches cost as much as its work.  A long
 * list is filled block by block (BLK): a posting is read through
 * post_sec, post_tf and post_flags, which fill its block, unless it is
 * one list_gallop returned or post_sec read (its block is filled).
 */
struct plist {
	double idf, weight;
	uint32_t n;
	uint32_t *sec;   /* sections, ascending, then UINT32_MAX (owns the
	                    allocation) */
	uint32_t *tf;    /* body term frequency */
	uint8_t *flags;  /* POST_IN_* */
	double *bonus;   /* each title posting's W_TITLE + the subtree's part */
	uint32_t tf_max; /* largest tf of a posting that is not a title's */
	uint32_t ntitle; /* postings from a title */
	struct plist_blocks *blk; /* NULL: decoded whole at load */
	/* The title postings' TITLE_INFO entries, when the blob has them
	 * (else ranges_build reads SECTIONS). */
	int has_info;
	const unsigned char *info, *info_end;
};

/* What a query term does (from its word), fixed for a query. */
enum term_kind {
	TERM_PLAIN,   /* stands for its word */
	TERM_FORM,    /* another form of its word, an alternative for it */
	TERM_JOIN,    /* a joined alternative for its word and the next */
	TERM_EXCLUDE, /* of an excluded word: its sections are left out */
};

struct near_ctx;

struct ranker {
	awn_db *db;
	unsigned flags;             /* awn_search_flags' */
	const struct db_part *part; /* the blob being searched */
	struct query q;
	struct plist list[QUERY_MAX_TERMS];
	unsigned nlist;                       /* lists load_postings set up */
	unsigned char kind[QUERY_MAX_TERMS];  /* enum term_kind */
	unsigned char order[QUERY_MAX_TERMS]; /* plain terms, forms, joined */
	uint32_t stands[QUERY_MAX_TERMS];     /* bit w: stands for word w */
	unsigned norder, nplain;
	unsigned need[QUERY_MAX_WORDS]; /* plain terms of each word */
	uint32_t needed;                /* bit w: need[w] > 0 */
	struct query best_q;            /* as the best hit's part parsed it */
	double avglen;
	struct token_set cover;  /* terms of the words not excluded */
	struct token_set titled; /* those and the query's stop words: the
	                            words of a title the query names */
	double stop_idf[QUERY_MAX_STOPS]; /* of the query's stop words */
	unsigned nstop;                   /* those in TITLED */
	double stop_exact;     /* what a title holding all the stop words
	                          adds to an exact part */
	struct buf words;      /* scratch: plain words of one section */
	struct near_ctx *near; /* scratch for recheck, made on first use */
	const struct title_ranges *ranges; /* rank's, one a term */
	int lazy_titles; /* a list read by blocks: see struct title_ranges */
};

static void
plist_free(struct plist *l)
{
	alloc_free(l->sec);
	alloc_free(l->bonus);
	if (l->blk)
		alloc_free(l->blk->off);
	alloc_free(l->blk);
}

/* What a run of postings held, for the list's or a block's record. */
struct run_stats {
	uint32_t ntitle, tf_max;
	uint64_t tf_sum;
};

/*
 * Decode N postings at *P (< END) into SECS, TFS and FL (BASE added to
 * each section), each section *SEC plus its delta; a first delta of 0 is
 * allowed only with AT_START (section 0 opens a list).  Sections must
 * ascend and stay under NSEC.  A longer posting is checked at once, so
 * that no sum wraps (its delta is under 2^62); the one-byte postings in
 * between add 31 at most each, and the last section, the largest, is
 * checked at the end.  -1 if malformed.
 */
static inline int
decode_run(const unsigned char **pp, const unsigned char *end, uint64_t *psec,
           uint32_t nsec, uint32_t base, uint32_t *secs, uint32_t *tfs,
           uint8_t *fl, size_t n, int at_start, struct run_stats *rs)
{
	/* Locals: the stores to the lists would make the compiler reload
	 * anything reached through a pointer. */
	const unsigned char *p = *pp;
	uint64_t sec = *psec, v, w, sum = 0;
	uint32_t tf, tf_max = 0, ntitle = 0;
	uint8_t flags;
	size_t i;

	for (i = 0; i < n; i++) {
		/* Most postings are one byte, with tf inline, not a title's. */
		if (p < end && *p < 0x80 && (*p & ((1u << POST_TF_BITS) - 1))) {
			v = *p >> POST_TF_BITS;
			tf = *p++ & ((1u << POST_TF_BITS) - 1);
			if (v == 0 && (i > 0 || !at_start))
				return -1;
			sec += v;
			secs[i] = (uint32_t)sec + base; /* global */
			fl[i] = 0;
			tfs[i] = tf;
			sum += tf;
			if (tf > tf_max)
				tf_max = tf;
			continue;
		}
		if (blob_posting(&p, end, &v, &w) < 0 || (sec += v) >= nsec ||
		    (v == 0 && (i > 0 || !at_start)))
			return -1;
		flags = (uint8_t)(w & ((1u << POST_FLAG_BITS) - 1));
		w >>= POST_FLAG_BITS;
		tf = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
		secs[i] = (uint32_t)sec + base;
		fl[i] = flags;
		tfs[i] = tf;
		sum += tf;
		if (flags & POST_IN_TITLE)
			ntitle++;
		else if (tf > tf_max)
			tf_max = tf;
	}
	if (n > 0 && sec >= nsec)
		return -1;
	*pp = p;
	*psec = sec;
	rs->ntitle = ntitle;
	rs->tf_max = tf_max;
	rs->tf_sum = sum;
	return 0;
}

/* Postings in block K of a list of N. */
static inline size_t
block_len(const struct plist_blocks *k, size_t n, size_t b)
{
	size_t from = b << k->shift;

	return n - from < ((size_t)1 << k->shift) ? n - from
	                                          : (size_t)1 << k->shift;
}

/*
 * Decode block B of L.  It must be what its record says: its postings
 * end where the next block starts, the next block's first delta leads
 * from its last section to that block's recorded first, and its counts
 * are the record's.  One that is not is filled with harmless values.
 */
static void
plist_fill(const struct plist *l, size_t b)
{
	struct plist_blocks *k = l->blk;
	const unsigned char *p = k->post + k->off[b], *q,
	                    *end = k->post + k->off[b + 1];
	const size_t at = b << k->shift, n = block_len(k, l->n, b);
	const uint64_t first = k->first[b] - k->base;
	uint64_t sec, v, w, t;
	struct run_stats rs;
	size_t i;

	k->done[b] = 1;
	/* The first delta is from the last section of the block before,
	 * which is (1 << shift) - 1 sections or more past its first. */
	q = p;
	if (blob_posting(&q, end, &v, &w) < 0 ||
	    (b == 0 ? v != first
	            : v == 0 || v > first - (k->first[b - 1] - k->base) -
	                                (((uint64_t)1 << k->shift) - 1)))
		goto bad;
	sec = first - v;
	if (decode_run(&p, end, &sec, k->nsec, k->base, l->sec + at, l->tf + at,
	               l->flags + at, n, b == 0, &rs) < 0 ||
	    p != end || rs.ntitle != k->title_at[b + 1] - k->title_at[b] ||
	    rs.tf_max != k->tf_max[b] ||
	    rs.tf_sum != k->tf_before[b + 1] - k->tf_before[b])
		goto bad;
	/* ranges_build took the titles from the record (their varints
	 * end inside it: load_blocks passed over them). */
	for (i = 0, q = k->titles + k->title_off[b], t = first; i < n; i++)
		if ((l->flags[at + i] & POST_IN_TITLE) &&
		    (blob_varint(&q, k->titles_end, &v) < 0 ||
		     l->sec[at + i] != (t += v) + k->base))
			goto bad;
	if (b + 1 < k->nblock &&
	    (blob_posting(&p, k->post + k->off[b + 2], &v, &w) < 0 ||
	     sec + v != k->first[b + 1] - k->base))
		goto bad;
	return;
bad:
	k->bad = 1;
	for (i = 0; i < n; i++) {
		l->sec[at + i] = k->first[b];
		l->tf[at + i] = 0;
		l->flags[at + i] = 0;
	}
}

/* Posting I of L (I <= L->n: L->n reads the UINT32_MAX past the end),
 * its block decoded first if need be. */
static inline void
plist_need(const struct plist *l, size_t i)
{
	if (l->blk && i < l->n && !l->blk->done[i >> l->blk->shift])
		plist_fill(l, i >> l->blk->shift);
}

/* I + 1, a cursor moved on in L: its block filled if it starts one. */
static inline size_t
post_step(const struct plist *l, size_t i)
{
	if (++i < l->n && l->blk && !(i & ((1u << l->blk->shift) - 1)))
		plist_need(l, i);
	return i;
}

static inline uint32_t
post_sec(const struct plist *l, size_t i)
{
	plist_need(l, i);
	return l->sec[i];
}

static inline uint32_t
post_tf(const struct plist *l, size_t i)
{
	plist_need(l, i);
	return l->tf[i];
}

static inline uint8_t
post_flags(const struct plist *l, size_t i)
{
	plist_need(l, i);
	return l->flags[i];
}

/*
 * Read term E's blocks from P..END (blob_post_skips, BSIZE postings a
 * block) into L, whose arrays are allocated: the records are checked
 * against each other and the list's bounds, not against the postings
 * (plist_fill does that block by block).  -1 if they are corrupt, -2
 * out of memory.
 */
static int
load_blocks(const struct db_part *part, const struct dict_entry *e,
            struct plist *l, uint32_t bsize, const unsigned char *p,
            const unsigned char *end)
{
	const struct blob *b = &part->blob;
	struct plist_blocks *k;
	uint32_t nb = (uint32_t)((e->df + (uint64_t)bsize - 1) / bsize), j;
	uint64_t first = 0, off = 0, sum = 0, d, o, nt, tm, ts, m;
	unsigned char *mem;
	size_t n;

	if ((l->blk = k = alloc_calloc(1, sizeof(*k))) == NULL ||
	    (mem = alloc_reallocarray(NULL, (size_t)nb + 2,
	                              2 * sizeof(uint64_t) +
	                                  4 * sizeof(uint32_t) + 1)) == NULL)
		return -2;
	k->off = (uint64_t *)mem;
	k->tf_before = k->off + nb + 2;
	k->first = (uint32_t *)(k->tf_before + nb + 2);
	k->title_at = k->first + nb + 2;
	k->title_off = k->title_at + nb + 2;
	k->tf_max = k->title_off + nb + 2;
	k->done = (uint8_t *)(k->tf_max + nb + 2);
	memset(k->done, 0, (size_t)nb + 2);
	k->titles = p;
	k->titles_end = end;
	k->post = b->table[BT_POSTINGS].p + e->post_off;
	k->nblock = nb;
	for (k->shift = 0; (1u << k->shift) < bsize; k->shift++)
		;
	k->nsec = b->nsections;
	k->base = part->sec_base;
	l->n = e->df;
	for (j = 0; j < nb; j++) {
		n = block_len(k, e->df, j);
		if (blob_varint(&p, end, &d) < 0 ||
		    blob_varint(&p, end, &o) < 0 ||
		    blob_varint(&p, end, &nt) < 0 ||
		    blob_varint(&p, end, &tm) < 0 ||
		    blob_varint(&p, end, &ts) < 0)
			return -1;
		/* A block's sections ascend, and each posting is a byte or
		 * more: the next block starts that far on at least. */
		if (j == 0 ? o != 0 : d < bsize || o < bsize)
			return -1;
		if (d >= b->nsections - first || o > e->post_len - off ||
		    nt > n || tm > UINT32_MAX || ts > n * (uint64_t)UINT32_MAX)
			return -1;
		first += d;
		off += o;
		if (n > b->nsections - first || n > e->post_len - off)
			return -1;
		k->first[j] = (uint32_t)first + k->base;
		k->off[j] = off;
		k->title_at[j] = l->ntitle;
		k->title_off[j] = (uint32_t)(p - k->titles);
		k->tf_max[j] = (uint32_t)tm;
		k->tf_before[j] = sum;
		sum += ts;
		/* Its titles: only passed over here (ranges_build checks
		 * them as it reads them), each varint ending in a byte
		 * under 0x80. */
		for (m = 0; m < nt; m++)
			do
				if (p == end)
					return -1;
			while (*p++ & 0x80);
		l->ntitle += (uint32_t)nt;
		if (tm > l->tf_max)
			l->tf_max = (uint32_t)tm;
	}
	if (p != end)
		return -1;
	k->first[nb] = UINT32_MAX;
	k->off[nb] = k->off[nb + 1] = e->post_len;
	k->title_at[nb] = l->ntitle;
	k->tf_before[nb] = sum;
	return 0;
}

/*
 * Is term I's list worth reading block by block (when the blob has its
 * blocks)?  Only when another word is much rarer: then the merge seeks
 * past most of it (struct driver).  Else the ranker reads nearly every
 * block anyway, and each title's bonus costs less in ranges_build's one
 * pass than computed alone (title_bonus): "aws" alone took 53% more
 * instructions by blocks on the 59 MB set (HACKING).
 */
static int
want_blocks(const struct ranker *r, unsigned i)
{
	const struct query *q = &r->q;
	unsigned j;

	if (r->db->blocks_always)
		return 1;
	for (j = 0; j < q->nterm; j++)
		if (q->term[j].word != q->term[i].word && !q->term[j].join &&
		    !q->term[j].form && !q->word[q->term[j].word].exclude &&
		    (uint64_t)q->term[j].e.df * SKIP_RATIO <= q->term[i].e.df)
			return 1;
	return 0;
}

/* Decode the postings of dictionary entry E into L: whole, or block by
 * block when BLOCKS and the blob has its blocks (POST_SKIPS). */
static awn_status
load_postings(const struct db_part *part, const struct dict_entry *e,
              int blocks, struct plist *l, awn_error *err)
{
	const struct blob *b = &part->blob;
	uint32_t df = e->df, plen = e->post_len, bsize;
	uint64_t poff = e->post_off, sec = 0;
	const unsigned char *p, *end;
	struct run_stats rs;
	int k = 0;

	memset(l, 0, sizeof(*l));
	if (poff > b->table[BT_POSTINGS].len ||
	    plen > b->table[BT_POSTINGS].len - poff || df > plen ||
	    df > b->nsections)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: corrupt blob (postings bounds)", b->name);
	if (blocks)
		k = blob_post_skips(b, e->ordinal, &bsize, &p, &end);
	/* A long list's blocks are filled when read: zeros until then (a
	 * valid section, should a read miss its block), at no cost to
	 * the pages never touched. */
	if ((l->sec = k > 0 ? alloc_calloc(df + 1, 2 * sizeof(uint32_t) + 1)
	                    : alloc_reallocarray(NULL, df + 1,
	                                         2 * sizeof(uint32_t) + 1)) ==
	    NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	l->tf = l->sec + df + 1;
	l->flags = (uint8_t *)(l->tf + df + 1);
	l->sec[df] = UINT32_MAX; /* past the end: no section has this id */
	l->idf = ln(1.0 + ((double)b->nsections - df + 0.5) / (df + 0.5));
	if (k > 0)
		k = load_blocks(part, e, l, bsize, p, end);
	if (k == -2)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	if (k < 0)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: corrupt blob (posting skips)", b->name);
	if (l->blk)
		return AWN_OK;
	p = b->table[BT_POSTINGS].p + poff;
	if (decode_run(&p, p + plen, &sec, b->nsections, part->sec_base, l->sec,
	               l->tf, l->flags, df, 1, &rs) < 0)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: corrupt blob (postings)", b->name);
	l->n = df;
	l->ntitle = rs.ntitle;
	l->tf_max = rs.tf_max;
	return AWN_OK;
}

static int
cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return (a > b) - (a < b);
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

/* The first index at or after FROM (<= N) whose value is KEY or more. */
static size_t
gallop(const uint32_t *a, size_t n, size_t from, uint32_t key)
{
	size_t step = 1, hi = from;

	while (hi < n && a[hi] < key) {
		from = hi + 1;
		hi += step;
		step *= 2;
	}
	if (hi > n)
		hi = n;
	return from + lower_bound(a + from, hi - from, key);
}

/*
 * gallop over list L (list_gallop): the first posting at or after FROM
 * (<= L->n) whose section is KEY or more.  A long list is searched by its
 * blocks' first
 * sections first, and then in the one block that can hold the answer,
 * which is all that is decoded.
 */
static size_t
blocks_gallop(const struct plist *l, size_t from, uint32_t key)
{
	const struct plist_blocks *k = l->blk;
	size_t j, at, stop;

	if (from >= l->n)
		return l->n;
	/* J: the first block after FROM's whose first is KEY or more (the
	 * UINT32_MAX after the last one is); the answer is in block J - 1
	 * or starts block J. */
	j = gallop(k->first, k->nblock, (from >> k->shift) + 1, key);
	at = (j - 1) << k->shift;
	stop = at + block_len(k, l->n, j - 1);
	if (at < from)
		at = from;
	plist_need(l, at);
	/* The answer's block is decoded, also when it starts block J. */
	if ((at = gallop(l->sec, stop, at, key)) == stop)
		plist_need(l, at);
	return at;
}

static inline size_t
list_gallop(const struct plist *l, size_t from, uint32_t key)
{
	return l->blk ? blocks_gallop(l, from, key)
	              : gallop(l->sec, l->n, from, key);
}

/* list_gallop from the start. */
static size_t
list_lower_bound(const struct plist *l, uint32_t key)
{
	return list_gallop(l, 0, key);
}

struct scored {
	uint32_t section;
	uint16_t matched; /* words, at most QUERY_MAX_WORDS */
	uint16_t titled;  /* AWN_SEARCH_TITLED: a word in its own heading */
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

static int
cmp_section(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;

	return (a->section > b->section) - (a->section < b->section);
}

/* ---- title coverage -------------------------------------------------- */

/* Section S's own title (S is in PART) in *TITLE, and its length: 0
 * when empty.  The record is read as db_section_tree reads it. */
static uint32_t
own_title(const struct db_part *part, uint32_t s, const char **title)
{
	const struct blob *b = &part->blob;
	uint32_t local = s - part->sec_base;
	uint32_t len = blob_field(&b->sections, local, SF_TITLE_LEN);

	if (blob_string(b, blob_field(&b->sections, local, SF_TITLE_OFF), len,
	                title) != 0)
		return 0;
	return len;
}

/* Share of the words of section S's own title (S is in PART) that are
 * terms of SET. */
static double
title_cover(const struct db_part *part, const struct token_set *set, uint32_t s)
{
	unsigned words, found;
	const char *title;
	uint32_t len = own_title(part, s, &title);

	if (len == 0)
		return 0;
	token_count_words(title, len, set, &words, &found);
	return words ? (double)found / words : 0;
}

/* Whether section S's own title (S in PART) holds each of Q's first
 * NSTOP stop words. */
static int
title_holds_stops(const struct db_part *part, const struct query *q,
                  unsigned nstop, uint32_t s)
{
	struct token_set one;
	unsigned i, words, found;
	const char *title;
	uint32_t len = own_title(part, s, &title);

	for (i = 0; i < nstop && len > 0; i++) {
		token_set_clear(&one);
		if (token_set_add(&one, q->stop[i].term, q->stop[i].len))
			return 0;
		token_count_words(title, len, &one, &words, &found);
		if (found == 0)
			return 0;
	}
	return len > 0;
}

/* ---- scoring ----------------------------------------------------------- */

/*
 * Titles containing a term, as subtree ranges [start, end).  Candidates
 * are scored in ascending order, so a stack of the ranges that contain
 * the current section tells in O(1) amortised whether an ancestor's
 * title has the term, without reading any ancestor's record.
 */
struct title_ranges {
	uint32_t *tokens; /* each title's body length (owns the allocation) */
	uint8_t *exact;   /* each title may be the query (exact_fits) */
	uint32_t *start, *end; /* start[n] is UINT32_MAX */
	size_t n, next;        /* next range not yet pushed */
	uint32_t *stack;       /* indexes of open ranges */
	size_t depth;
	/* A list read by blocks: each title's end, tokens and exact are
	 * read from its record when first wanted (title_need), and
	 * in_path walks a candidate's parents instead of ranges_cover.
	 * NULL: all of them read by ranges_build. */
	uint8_t *known;
	uint32_t fits; /* exact_fits */
};

static void
ranges_free(struct title_ranges *t)
{
	alloc_free(t->tokens);
	memset(t, 0, sizeof(*t));
}

/* The body length norm of a section of LEN tokens. */
static double
norm_of(const struct ranker *r, uint32_t len)
{
	return K1 * (1 - B + B * (len / r->avglen));
}

/* log(1 + n), each small n (most subtrees' sums) computed once. */
struct log_memo {
	uint64_t have; /* bit n: v[n] is set */
	double v[64];
};

static double
log_one_plus(struct log_memo *m, uint64_t n)
{
	if (n >= 64)
		return ln(1.0 + (double)n);
	if (!(m->have >> n & 1)) {
		m->v[n] = ln(1.0 + (double)n);
		m->have |= UINT64_C(1) << n;
	}
	return m->v[n];
}

/*
 * The longest title (in bytes) that W_EXACT counts as the query: the
 * query's words (as typed, or as found if longer), its stop words as
 * found and 2 bytes each (a stemmed "does" is "doe"), and 12 bytes, for
 * connectors, plurals and the like.  A longer title is not the query
 * anyway, and bounds need not read it to know.
 */
static uint32_t
exact_fits(const struct ranker *r)
{
	size_t n = 0, w, i, len;

	for (w = 0; w < r->q.nword; w++) {
		if (r->q.word[w].exclude)
			continue;
		for (len = r->q.word[w].len, i = 0; i < r->q.nterm; i++)
			if (r->q.term[i].word == w && r->q.term[i].e.len > len)
				len = r->q.term[i].e.len;
		n += len;
	}
	for (w = 0; w < r->q.nstop; w++) /* "kubectl get" */
		n += r->q.stop[w].len + 2;
	return (uint32_t)(n + 12);
}

/*
 * A title posting of term L at section LOCAL (of the part): the end of
 * its subtree (global, with BASE) in *END, its body length in *TOKENS
 * and whether it may be the query in *EXACT, from L's TITLE_INFO entries
 * at *INFO (read on) if USE_INFO, or else REC, its record.  -1 if
 * corrupt.  Always inline, so that the caller's arrays stay in
 * registers: with two callers in its loops GCC kept it apart, 25
 * instructions a title more.
 */
static inline __attribute__((always_inline)) int
title_range(const struct plist *l, const struct blob_records *rec, int use_info,
            const unsigned char **info, uint32_t nsec, uint32_t base,
            uint32_t fits, uint32_t local, uint32_t *end, uint32_t *tokens,
            uint8_t *exact)
{
	uint32_t e;

	if (use_info) {
		/* The record's fields, stored in one stretch. */
		uint64_t ahead, len, title;
		if (blob_varint(info, l->info_end, &ahead) < 0 ||
		    blob_varint(info, l->info_end, &len) < 0 ||
		    blob_varint(info, l->info_end, &title) < 0)
			return -1;
		e = ahead > UINT32_MAX ? 0 : (uint32_t)ahead;
		*tokens = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		*exact = (title & 1) && (title >> 1) <= fits;
	} else {
		e = blob_field(rec, local, SF_END_AHEAD);
		*tokens = blob_field(rec, local, SF_TOKENS);
		*exact = blob_field(rec, local, SF_TITLE_LEN) <= fits &&
		         blob_field(rec, local, SF_PARENT_BACK) == 0;
	}
	/* as awn_db_section repairs it */
	e = e == 0 || e > nsec - local ? local + 1 : local + e;
	*end = e + base;
	return 0;
}

/*
 * Read the record of every section whose title has term L: its subtree
 * gives the title's bonus (W_TITLE plus the subtree's frequency part) and
 * the range T for ranges_cover, its length the norm.  One pass: subtrees
 * nest, so those open at a posting are a stack.  A list read by blocks
 * has its titles in its block records: no block is decoded here, only
 * the titles' sections are read, and the rest is left to title_need and
 * title_bonus (each bonus 0 until then).
 */
static awn_status
ranges_build(const struct ranker *r, struct plist *l, struct title_ranges *t)
{
	/* Locals, and a copy of the record table: stores through the
	 * arrays would make the compiler reload anything behind a pointer. */
	const struct blob_records rec = r->part->blob.sections;
	const uint32_t nsec = r->part->blob.nsections, base = r->part->sec_base;
	const uint32_t *sec = l->sec, *tf = l->tf;
	const uint8_t *flags = l->flags;
	uint32_t *start, *end, *stack, *tokens;
	uint8_t *exact;
	uint32_t fits = exact_fits(r);
	const unsigned char *info = l->info;
	uint64_t sum = 0, *start_sum, top_end = UINT64_MAX; /* none open */
	double *bonus;
	size_t i, n = l->ntitle, npost = l->n, depth = 0, k = 0;
	struct log_memo memo;

	memo.have = 0;
	memset(t, 0, sizeof(*t));
	/* tokens, then start, end, stack, exact and known; bonus stays */
	t->tokens = tokens =
	    alloc_reallocarray(NULL, n + 1, 4 * sizeof(uint32_t) + 2);
	l->bonus = bonus = alloc_reallocarray(NULL, n + 1, sizeof(*bonus));
	if (!tokens || !bonus)
		return AWN_ERR_NOMEM;
	t->start = start = tokens + n + 1;
	t->end = end = start + n + 1;
	t->stack = stack = end + n + 1;
	t->exact = exact = (uint8_t *)(stack + n + 1);
	t->fits = fits;
	if (l->blk) {
		const struct plist_blocks *b = l->blk;
		size_t j;
		t->known = exact + n + 1;
		memset(t->known, 0, n + 1);
		for (j = k = 0; j < b->nblock; j++) {
			/* The titles of block J: ascending, from its first
			 * section to the next block's. */
			const unsigned char *q = b->titles + b->title_off[j];
			uint64_t s = b->first[j] - base, d,
			         stop = b->first[j + 1] - (uint64_t)base;
			if (stop > nsec)
				stop = nsec;
			for (; k < b->title_at[j + 1]; k++) {
				if (blob_varint(&q, b->titles_end, &d) < 0 ||
				    (d == 0 && k > b->title_at[j]) ||
				    d >= stop - s) {
					l->blk->bad_titles = 1;
					return AWN_ERR_FORMAT;
				}
				start[k] = (uint32_t)(s += d) + base;
				bonus[k] = 0;
			}
		}
		npost = 0; /* the loop below only closes the list */
	}
	/* Each title's frequency sum at its start, in its bonus's place
	 * until its subtree closes (the bonus is stored over it then). */
	start_sum = (uint64_t *)bonus;
	for (i = 0; i <= npost; i++) {
		/* Close the subtrees that end at or before this posting (all
		 * of them after the last): the postings since each one's
		 * start are its own. */
		uint64_t s = i < npost ? sec[i] : UINT32_MAX;
		while (top_end <= s) {
			uint32_t j = stack[--depth];
			bonus[j] =
			    W_TITLE +
			    W_SUBTREE * log_one_plus(&memo, sum - start_sum[j]);
			top_end =
			    depth > 0 ? end[stack[depth - 1]] : UINT64_MAX;
		}
		if (i == npost)
			break;
		if (!(flags[i] & POST_IN_TITLE)) {
			sum += tf[i];
			continue;
		}
		if (title_range(l, &rec, l->has_info, &info, nsec, base, fits,
		                (uint32_t)s - base, &end[k], &tokens[k],
		                &exact[k]) < 0)
			return AWN_ERR_FORMAT;
		start[k] = (uint32_t)s;
		start_sum[k] = sum;
		top_end = end[k];
		stack[depth++] = (uint32_t)k++;
		sum += tf[i];
	}
	start[k] = UINT32_MAX; /* past the end, as for the lists */
	t->n = k;
	/* One entry a title posting, and no more (TITLE_INFO is not read
	 * for a list read by blocks). */
	return l->has_info && !l->blk && info != l->info_end ? AWN_ERR_FORMAT
	                                                     : AWN_OK;
}

/*
 * Title K of T (a list read by blocks) as ranges_build would have read
 * it: its subtree's end, length and exact fit, from its record (the
 * fields TITLE_INFO repeats; that list's entries are read in order, so
 * not here).  `aws` has a title in a third of its postings, 79,330 at
 * 10x, of which a lookup that reads it by blocks wants a few hundred.
 */
static void
title_fill(const struct ranker *r, const struct title_ranges *t, size_t k)
{
	const uint32_t base = r->part->sec_base;

	t->known[k] = 1;
	/* cannot fail without TITLE_INFO */
	(void)title_range(&r->list[0], &r->part->blob.sections, 0, NULL,
	                  r->part->blob.nsections, base, t->fits,
	                  t->start[k] - base, &t->end[k], &t->tokens[k],
	                  &t->exact[k]);
}

/* Title K of T ready to read. */
static inline void
title_need(const struct ranker *r, const struct title_ranges *t, size_t k)
{
	if (t->known && !t->known[k])
		title_fill(r, t, k);
}

/* The sum of L's tf from posting AT to TO (AT <= TO <= L->n): what
 * whole blocks hold from their records, the rest from the postings. */
static uint64_t
tf_between(const struct plist *l, size_t at, size_t to)
{
	const struct plist_blocks *k = l->blk;
	size_t b = at >> k->shift, e = to >> k->shift;
	uint64_t sum = 0;

	if (b < e) { /* to the end of AT's block, whole blocks, the rest */
		sum = k->tf_before[e] - k->tf_before[b + 1];
		for (plist_need(l, at); at < (b + 1) << k->shift; at++)
			sum += l->tf[at];
		at = e << k->shift;
	}
	if (at < to)
		plist_need(l, at);
	for (; at < to; at++)
		sum += l->tf[at];
	return sum;
}

/*
 * Title posting K's bonus in L: W_TITLE and the subtree's frequency
 * part, as ranges_build makes it, for a list read by blocks when first
 * wanted (its start block, the one its subtree ends in, and the block
 * records' sums between them).
 */
static double
title_bonus(const struct plist *l, const struct title_ranges *t, uint32_t k)
{
	size_t at, to;

	if (l->blk && l->bonus[k] == 0) {
		at = list_lower_bound(l, t->start[k]);
		to = list_gallop(l, at, t->end[k]);
		l->bonus[k] =
		    W_TITLE +
		    W_SUBTREE * ln(1.0 + (double)tf_between(l, at, to));
	}
	return l->bonus[k];
}

/*
 * MaxScore-style skipping: a list read by blocks is left unread at a
 * candidate until a bound with its part at the most its block records
 * allow says the candidate may win (parked_ruled_out, gather_driven).
 * No block is decoded for these bounds.
 */

/* The largest tf of a posting of L (read by blocks) at section S unless
 * it is a title's: its block's record.  FROM: a posting at or before
 * the place of S. */
static uint32_t
block_tf_max(const struct plist *l, size_t from, uint32_t s)
{
	const struct plist_blocks *k = l->blk;
	size_t j;

	if (from >= l->n)
		return 0;
	/* J: the first block that starts past S (the one after FROM's
	 * block when S is not in the list at all: a block too early). */
	j = gallop(k->first, k->nblock, from >> k->shift, s + 1);
	return j > 0 ? k->tf_max[j - 1] : 0;
}

/* At least title posting K's bonus in L: title_bonus's once it is
 * known (always for a list read whole), else, with its subtree's end
 * known (title_need), the part of the tf sum of every block that holds
 * a posting of the subtree. */
static double
title_bonus_max(const struct plist *l, const struct title_ranges *t, uint32_t k)
{
	const struct plist_blocks *b = l->blk;
	size_t from, to;

	if (l->bonus[k] != 0)
		return l->bonus[k];
	/* The title's block is FROM - 1, the subtree's last TO - 1. */
	from = gallop(b->first, b->nblock, 0, t->start[k] + 1);
	to = gallop(b->first, b->nblock, from, t->end[k]);
	return W_TITLE +
	       W_SUBTREE *
	           ln(1.0 + (double)(b->tf_before[to] -
	                             b->tf_before[from ? from - 1 : 0]));
}

/* Is S (ascending from call to call) inside a range that starts before it? */
static int
ranges_cover(struct title_ranges *t, uint32_t s)
{
	while (t->start[t->next] < s) { /* start[n] is UINT32_MAX */
		while (t->depth > 0 &&
		       t->end[t->stack[t->depth - 1]] <= t->start[t->next])
			t->depth--;
		t->stack[t->depth++] = (uint32_t)t->next++;
	}
	while (t->depth > 0 && t->end[t->stack[t->depth - 1]] <= s)
		t->depth--;
	return t->depth > 0;
}

/*
 * Has an ancestor of S a title in T?  For
 * a list read by blocks, S's parents are walked and each is looked for
 * among T's titles, so that the titles before S need not be read.  The
 * same answer as ranges_cover's: that is whether some title A of T has
 * A < S < end(A), and [A, end(A)) is A's subtree (the builder writes a
 * section's end and its parent from the same tree, and title_range
 * repairs an end as awn_db_section does), so A < S < end(A) exactly
 * when A is an ancestor of S.  A parent is repaired as awn_db_section
 * does; each step goes back, so the walk ends.
 */
static int
parents_titled(const struct ranker *r, const struct title_ranges *t, uint32_t s)
{
	const struct blob_records *rec = &r->part->blob.sections;
	const uint32_t base = r->part->sec_base;
	uint32_t local = s - base, back;
	size_t k;

	while ((back = blob_field(rec, local, SF_PARENT_BACK)) != 0 &&
	       back <= local) {
		local -= back;
		k = lower_bound(t->start, t->n, local + base);
		if (t->start[k] == local + base)
			return 1;
	}
	return 0;
}

/* A candidate section and where it stands in each term's list. */
struct cand {
	uint32_t s;
	unsigned char own[QUERY_MAX_TERMS];     /* list i holds s ... */
	size_t at[QUERY_MAX_TERMS];             /* ... at this index */
	unsigned char in_path[QUERY_MAX_TERMS]; /* an ancestor's title has i */
	uint32_t title[QUERY_MAX_TERMS]; /* list i's title posting, if at[i] is
	                                    one */
};

/* The number of bits set in X. */
static unsigned
bits(uint32_t x)
{
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* How many query words candidate C matches (see the file's comment),
 * the terms in OWNED counted as in C too (a constant 0 compiles the
 * tests away). */
static inline __attribute__((always_inline)) unsigned
cand_matched_with(const struct ranker *r, const struct cand *c, uint64_t owned)
{
	uint32_t lack = 0, joined = 0; /* bit w: word w */
	unsigned n, i;

	/* A word lacks a plain term neither in C nor in an ancestor's
	 * title, unless an alternative in C stands for it: a form of it
	 * or a joined term ("cloudfront") for it and the next word. */
	for (n = 0; n < r->nplain; n++) {
		i = r->order[n];
		if (!c->own[i] && !(owned >> i & 1) && !c->in_path[i])
			lack |= UINT32_C(1) << r->q.term[i].word;
	}
	for (; n < r->norder; n++) {
		i = r->order[n];
		if (c->own[i] || owned >> i & 1)
			joined |= r->stands[i];
	}
	return bits(r->needed & ~(lack & ~joined));
}

static inline unsigned
cand_matched(const struct ranker *r, const struct cand *c)
{
	return cand_matched_with(r, c, 0);
}

/*
 * Candidate C's scores into OUT[0..K), each for body length norm NORM[j]
 * and the share COVER[j] of its title's words the query names (a
 * negative COVER: read the title to find it).  With the norm and the
 * cover at their least or their most this bounds the score from below
 * or above without reading the section's record or title; each part is
 * monotone in both.  Returns whether the section's own title has a
 * query term; *EXACT_MAX (if not NULL) gets what W_EXACT would add with
 * a cover of 1.
 */
static int
score_many(const struct ranker *r, const struct cand *c, unsigned k,
           const double *norm, const double *cover, struct scored *out,
           double *exact_max)
{
	uint32_t heads = 0;     /* bit w: word w in a title */
	uint32_t own_title = 0; /* bit w: word w in its own title */
	double exact = 0;       /* what the title adds if it is the query */
	unsigned nheads, n, i, j, w;
	int title_hit = 0, may_exact = 0;
	double tc = -1, stops = 0, sum[2] = {0, 0};
	double part[QUERY_MAX_WORDS][2]; /* each word's, if there are joins */
	int joins = r->norder > r->nplain;

	for (w = 0; joins && w < r->q.nword; w++)
		part[w][0] = part[w][1] = 0;
	/* r->order: alternatives last, so that each can take the place of
	 * its words' parts (a form its word's, a joined term its two
	 * words'); the order fixes the rounding. */
	for (n = 0; n < r->norder; n++) {
		const struct plist *l = &r->list[i = r->order[n]];
		int path = r->kind[i] == TERM_PLAIN && c->in_path[i], title = 0;
		double v;
		w = r->q.term[i].word;
		if (c->own[i]) {
			/* Own: its block is decoded (struct plist). */
			double tf = l->tf[c->at[i]], sc, bonus = 0;
			title = (l->flags[c->at[i]] & POST_IN_TITLE) != 0;
			if (title) {
				may_exact = r->ranges[i].exact[c->title[i]];
				bonus =
				    title_bonus(l, &r->ranges[i], c->title[i]);
			}
			for (j = 0; j < k; j++) {
				sc = tf * (K1 + 1) / (tf + norm[j]);
				if (title)
					sc += bonus;
				else if (path)
					sc += W_PATH; /* a word counts once */
				v = l->idf * l->weight * sc;
				/* An alternative replaces its words' parts
				 * where it is worth more, never adds to
				 * them: "LambdaFunction" has "lambda" and
				 * "function" too. */
				if (r->kind[i] == TERM_PLAIN) {
					sum[j] += v;
					if (joins)
						part[w][j] += v;
				} else if (r->kind[i] == TERM_FORM) {
					if (v > part[w][j]) {
						sum[j] += v - part[w][j];
						part[w][j] = v;
					}
				} else if (v > part[w][j] + part[w + 1][j]) {
					sum[j] +=
					    v - (part[w][j] + part[w + 1][j]);
					part[w][j] = v;
					part[w + 1][j] = 0;
				}
			}
		} else if (path) {
			for (j = 0; j < k; j++) {
				v = l->idf * l->weight * W_PATH;
				sum[j] += v;
				if (joins)
					part[w][j] += v;
			}
		}
		title_hit |= title;
		if (title || path)
			heads |= UINT32_C(1) << w;
		if (title) {
			heads |= r->stands[i];
			own_title |= r->stands[i];
			exact += l->idf * l->weight * W_EXACT;
		}
	}
	for (j = 0; j < k; j++)
		out[j].score = sum[j];
	if (!may_exact || bits(own_title) < r->q.npositive)
		exact = 0;
	if (exact_max)
		*exact_max = exact > 0 ? exact + r->stop_exact : 0;
	/* The query names this section's headings: "s3 encryption". */
	nheads = bits(heads);
	for (j = 0; j < k && title_hit; j++) {
		if (cover[j] < 0 && tc < 0) {
			tc = title_cover(r->part, &r->titled, c->s);
			/* "kubectl get": the page of that name, not
			 * "kubectl", though "get" is not looked for. */
			if (tc >= 1 && exact > 0 && r->stop_exact > 0 &&
			    title_holds_stops(r->part, &r->q, r->nstop, c->s))
				stops = r->stop_exact;
		}
		double cv = cover[j] >= 0 ? cover[j] : tc;
		out[j].score += W_COVER * cv;
		if (cv >= 1)
			out[j].score +=
			    exact + (cover[j] >= 0 && exact > 0 ? r->stop_exact
			                                        : stops);
		if (r->q.npositive > 1)
			out[j].score += W_HEADS * nheads / r->q.npositive;
	}
	return title_hit;
}

static int
score_with(const struct ranker *r, const struct cand *c, double norm,
           double cover, struct scored *out)
{
	return score_many(r, c, 1, &norm, &cover, out, NULL);
}

/* Candidate C's body length norm: this reads its record. */
static double
length_norm(const struct ranker *r, const struct cand *c)
{
	return norm_of(r, db_section_field(r->db, c->s, SF_TOKENS));
}

/* Bounds from the postings alone, and the length norm NORM if it is
 * known (not negative), widened to cover rounding. */
static inline void
score_bounds(const struct ranker *r, const struct cand *c, double norm_known,
             struct scored *lo, struct scored *hi)
{
	static const double cover[2] = {0, 1};
	double norm[2] = {HUGE_VAL, K1 * (1 - B)};
	struct scored b[2];
	double exact;

	if (norm_known >= 0) {
		/* Known only from a title posting: the cover alone is open,
		 * and it adds W_COVER and the exact part at most (the
		 * widening covers the rounding of adding them last). */
		score_many(r, c, 1, &norm_known, cover, b, &exact);
		b[1].score = b[0].score + W_COVER + exact;
	} else /* no title hit: no cover */
		score_many(r, c, 2, norm, cover, b, NULL);
	lo->score = b[0].score * (1 - 1e-9) - 1e-9;
	hi->score = b[1].score * (1 + 1e-9) + 1e-9;
}

static int
excluded(const struct ranker *r, const struct cand *c)
{
	unsigned i;

	if (r->norder == r->q.nterm)
		return 0; /* no excluded word */
	for (i = 0; i < r->q.nterm; i++)
		if (r->kind[i] == TERM_EXCLUDE && c->own[i])
			return 1;
	return 0;
}

/* ---- phrases and nearness, from the section's own words ---------------- */

#define MAX_HITS 4096

struct near_ctx {
	const struct query *q;
	uint32_t pos[MAX_HITS];
	uint8_t word[MAX_HITS];
	size_t n;
};

static awn_status
note_position(void *vctx, const struct token *t)
{
	struct near_ctx *c = vctx;
	unsigned i;

	for (i = 0; i < c->q->nterm && c->n < MAX_HITS; i++)
		if (strcmp(c->q->term[i].e.term, t->term) == 0 &&
		    !c->q->word[c->q->term[i].word].exclude) {
			c->pos[c->n] = t->pos;
			c->word[c->n++] = (uint8_t)c->q->term[i].word;
		}
	return AWN_OK;
}

static int
at(const struct near_ctx *c, uint32_t pos, unsigned word)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->pos[i] == pos && c->word[i] == word)
			return 1;
	return 0;
}

/* Does phrase P occur: its words at consecutive positions? */
static int
phrase_found(const struct near_ctx *c, const struct query *q, unsigned p)
{
	unsigned first = QUERY_MAX_WORDS, w, k;
	size_t i;

	for (w = 0; w < q->nword; w++)
		if (q->word[w].phrase == p) {
			first = w;
			break;
		}
	if (first == QUERY_MAX_WORDS)
		return 1;
	for (i = 0; i < c->n; i++) {
		if (c->word[i] != first)
			continue;
		for (k = 1, w = first + 1;
		     w < q->nword && q->word[w].phrase == p; w++, k++)
			if (!at(c, c->pos[i] + k, w))
				break;
		if (w == q->nword || q->word[w].phrase != p)
			return 1;
	}
	return 0;
}

/* Smallest span of positions holding every positive word found, or 0. */
static uint32_t
min_span(const struct near_ctx *c, unsigned nwords)
{
	unsigned count[QUERY_MAX_WORDS] = {0}, distinct = 0, want = 0;
	uint32_t best = 0;
	size_t lo = 0, hi, i;
	unsigned w;

	for (i = 0; i < c->n; i++)
		if (count[c->word[i]]++ == 0)
			want++;
	if (want < 2)
		return 0;
	memset(count, 0, sizeof(count));
	(void)nwords;
	/* Positions arrive in text order, so the hits are sorted. */
	for (hi = 0; hi < c->n; hi++) {
		if (count[c->word[hi]]++ == 0)
			distinct++;
		while (distinct == want) {
			uint32_t span = c->pos[hi] - c->pos[lo] + 1;
			if (best == 0 || span < best)
				best = span;
			w = c->word[lo++];
			if (--count[w] == 0)
				distinct--;
		}
	}
	return best;
}

static awn_status
recheck(struct ranker *r, struct scored *sc, awn_error *err)
{
	struct near_ctx *c = r->near;
	const char *text;
	size_t len;
	unsigned p;
	uint32_t span;
	awn_status st;

	/* 20 KiB: on the heap, where the stack below it is not pushed
	 * into pages that every later call would have to fault in. */
	if (c == NULL && (c = r->near = alloc_malloc(sizeof(*c))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	c->q = &r->q;
	c->n = 0;
	if ((st = awn_db_text(r->db, sc->section, &text, &len, err)))
		return st; /* err says which part of the blob is bad */
	if ((st = richtext_words(text, len, &r->words)) ||
	    (st = token_scan_in(r->words.data, r->words.len, &r->cover,
	                        note_position, c)))
		return st == AWN_ERR_LIMIT
		           ? AWN_OK
		           : error_set(err, st, "%s", awn_strerror(st));
	for (p = 1; p <= r->q.nphrase; p++)
		if (!phrase_found(c, &r->q, p) && sc->matched > 0)
			sc->matched--;
	/* Adjacent words (span 2), or parts of one word (span 1): NEAR_MAX. */
	if ((span = min_span(c, r->q.npositive)) > 0)
		sc->score += NEAR_MAX * 2 / (span < 2 ? 2 : span);
	return AWN_OK;
}

/* ---- file names ---------------------------------------------------------- */

/*
 * A file's name says what it is about ("cors.md", "TTL.md",
 * "using-cfn-nested-stacks.md") more surely than its titles or text, so
 * the leading candidates gain from the query terms of their document's
 * name.  All sections of a document gain alike: a name tells documents
 * apart, not the sections of one (in notes kept as s3.md, ec2.md, "s3
 * security" still wants the section, not all of s3.md).  A name's words
 * are its compound's smallest parts where it has them (auto, scaling,
 * console for AutoScaling.Console, not also autoscaling), else the
 * word, so that a joined query term and its parts count once.
 */
#define NAME_PARTS 16

struct name_ctx {
	const struct ranker *r;
	unsigned pos, open; /* the word being gathered, if open */
	int word_term;      /* its whole word's r->order index, or -1 */
	struct {
		size_t start, end;
		int term;
	} part[NAME_PARTS];
	unsigned nparts;
	unsigned words, found; /* in the name so far */
	uint64_t terms;        /* bits of r->order indexes found */
	unsigned stops;        /* bits of r->q.stop indexes found */
};

/* The index in r->order of the query term TERM/LEN, or r->norder plus
 * the index of a stop word of the query, or -1. */
static int
order_index(const struct ranker *r, const char *term, size_t len)
{
	unsigned n;

	for (n = 0; n < r->norder; n++) {
		const struct dict_entry *e = &r->q.term[r->order[n]].e;
		if (e->len == len && memcmp(e->term, term, len) == 0)
			return (int)n;
	}
	for (n = 0; n < r->nstop; n++)
		if (r->q.stop[n].len == len &&
		    memcmp(r->q.stop[n].term, term, len) == 0)
			return (int)(r->norder + n);
	return -1;
}

static void
name_count(struct name_ctx *c, int term)
{
	c->words++;
	if (term >= (int)c->r->norder) {
		c->found++;
		c->stops |= 1u << (term - (int)c->r->norder);
	} else if (term >= 0) {
		c->found++;
		c->terms |= UINT64_C(1) << term;
	}
}

/* End the open word: count its smallest parts, or else itself. */
static void
name_word_end(struct name_ctx *c)
{
	unsigned i, j;

	for (i = 0; i < c->nparts; i++) {
		for (j = 0; j < c->nparts; j++)
			if (j != i && c->part[j].start >= c->part[i].start &&
			    c->part[j].end <= c->part[i].end &&
			    c->part[j].end - c->part[j].start <
			        c->part[i].end - c->part[i].start)
				break; /* I holds J: a grouping, not a word */
		if (j == c->nparts)
			name_count(c, c->part[i].term);
	}
	if (c->open && c->nparts == 0)
		name_count(c, c->word_term);
	c->open = 0;
	c->nparts = 0;
	c->word_term = -1;
}

static awn_status
name_token(void *vctx, const struct token *t)
{
	struct name_ctx *c = vctx;
	int k;

	if (t->start == t->end)
		return AWN_OK; /* an acronym: not a word of the name */
	if (c->open && t->pos != c->pos)
		name_word_end(c);
	c->open = 1;
	c->pos = t->pos;
	k = order_index(c->r, t->term, t->len);
	if (t->kind != TOKEN_PART)
		c->word_term = k;
	else if (c->nparts < NAME_PARTS) {
		c->part[c->nparts].start = t->start;
		c->part[c->nparts].end = t->end;
		c->part[c->nparts++].term = k;
	}
	return AWN_OK;
}

/* The last component of document DOC's name. */
static const char *
doc_base(const awn_db *db, uint32_t doc, size_t *len)
{
	const char *name = db_doc_name(db, doc, len), *p = name + *len;

	while (p > name && p[-1] != '/')
		p--;
	*len -= (size_t)(p - name);
	return p;
}

/* What the file name of document DOC adds to the score of its sections. */
static double
name_score(const struct ranker *r, uint32_t doc)
{
	struct name_ctx c;
	const char *name;
	size_t len;
	double sum = 0;
	uint32_t words = 0; /* bit w: query word w is in the name */
	unsigned n;

	name = doc_base(r->db, doc, &len);
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.word_term = -1;
	if (token_scan(name, len, name_token, &c) != AWN_OK)
		return 0; /* a name too odd to tell anything */
	name_word_end(&c);
	if (c.found == 0 || c.terms == 0)
		return 0;
	for (n = 0; n < r->nstop; n++)
		if (c.stops >> n & 1)
			sum += r->stop_idf[n];
	for (n = 0; n < r->norder; n++)
		if (c.terms >> n & 1) {
			sum += r->list[r->order[n]].idf *
			       r->list[r->order[n]].weight;
			words |= r->stands[r->order[n]];
		}
	/* Shares of the name's words and of the query's: a name that is
	 * one word of a long question says little about the page. */
	return W_NAME * sum * c.found / c.words * bits(words) / r->q.npositive;
}

/* Add to each of the first K of SC what its document's name gives. */
static void
add_names(const struct ranker *r, struct scored *sc, size_t k)
{
	struct {
		uint32_t doc;
		double score;
	} seen[RECHECK];
	size_t i, j, nseen = 0;

	for (i = 0; i < k; i++) {
		/* As other_doc reads it: an odd stored value only names
		 * another document, and db_doc_name checks the range. */
		uint32_t doc = db_section_field(r->db, sc[i].section, SF_DOC) +
		               r->part->doc_base;
		for (j = 0; j < nseen && seen[j].doc != doc; j++)
			;
		if (j == nseen) {
			seen[j].doc = doc;
			seen[j].score = name_score(r, doc);
			nseen++;
		}
		sc[i].score += seen[j].score;
	}
}

/* ---- putting it together ------------------------------------------------ */

/* Is section S outside the documents awn_db_keep_docs chose? */
static int
other_doc(const struct ranker *r, uint32_t s)
{
	if (r->db->only_doc == AWN_NONE && r->db->kept == NULL)
		return 0;
	return !awn_db_doc_kept(r->db, db_section_field(r->db, s, SF_DOC) +
	                                   r->part->doc_base);
}

/*
 * The best candidates so far, at most CAP of them, as a heap whose root is
 * the worst (by cmp_scored), so a candidate is kept or its bound proven
 * too low in O(1) and added in O(log CAP).
 */
struct top {
	struct scored *e;
	size_t n, cap, alloc;
};

static inline __attribute__((always_inline)) int
top_full_and_beats(const struct top *t, const struct scored *x)
{
	return t->n == t->cap && cmp_scored(x, &t->e[0]) > 0;
}

/* A candidate waiting to be scored: its bound, and the lists it is in. */
struct pending {
	struct scored bound;
	uint64_t own, path; /* bit i: in list i; under a title with term i */
	int norm_known;     /* the bound has the exact length norm */
};

/*
 * Sift entry I down a heap of N entries of SIZE bytes, each starting
 * with a struct scored, whose root is the worst (DIR 1) or the best (DIR
 * -1) by cmp_scored.
 */
static inline void
sift_down(void *base, size_t size, size_t n, size_t i, int dir)
{
	unsigned char *e = base, hole[sizeof(struct pending)];

	memcpy(hole, e + i * size, size);
	for (;;) {
		size_t m = 2 * i + 1;
		if (m >= n)
			break;
		if (m + 1 < n &&
		    dir * cmp_scored(e + (m + 1) * size, e + m * size) > 0)
			m++;
		if (dir * cmp_scored(e + m * size, hole) <= 0)
			break;
		memcpy(e + i * size, e + m * size, size);
		i = m;
	}
	memcpy(e + i * size, hole, size);
}

static awn_status
top_add(struct top *t, const struct scored *x)
{
	size_t i;

	if (t->n == t->cap) { /* x beats the root: it takes its place */
		t->e[0] = *x;
		sift_down(t->e, sizeof(*t->e), t->n, 0, 1);
		return AWN_OK;
	}
	if (t->n == t->alloc) {
		size_t want = t->alloc ? 2 * t->alloc : 32;
		struct scored *grown;
		if (want > t->cap)
			want = t->cap;
		grown = alloc_reallocarray(t->e, want, sizeof(*grown));
		if (grown == NULL)
			return AWN_ERR_NOMEM;
		t->e = grown;
		t->alloc = want;
	}
	for (i = t->n++; i > 0; i = (i - 1) / 2) { /* sift up */
		size_t up = (i - 1) / 2;
		if (cmp_scored(x, &t->e[up]) <= 0)
			break;
		t->e[i] = t->e[up];
	}
	t->e[i] = *x;
	return AWN_OK;
}

/*
 * The next candidate: the least section in any positive term's list at
 * or after its cursor POS.  Fills C (cursors of every list, excluded
 * terms' included, move on past it); 0 when the lists are exhausted.
 * Each cursor's block is filled (post_step, list_gallop, and block 0
 * by gather_untitled), so the lists are read without checks.  The
 * lists in PARKED are left out: not merged, not moved, not owned in C
 * (gather_driven); a constant 0 compiles the tests away.
 */
static inline __attribute__((always_inline)) int
merge_next(const struct ranker *r, size_t *pos, struct cand *c, uint64_t parked)
{
	/* In locals: a store to C's bytes could be to *R, for all the
	 * compiler knows. */
	const unsigned nterm = r->q.nterm, norder = r->norder;
	uint32_t s = UINT32_MAX, h;
	unsigned n, i;

	for (n = 0; n < norder; n++) {
		i = r->order[n];
		if (!(parked >> i & 1) && (h = r->list[i].sec[pos[i]]) < s)
			s = h;
	}
	if (s == UINT32_MAX)
		return 0;
	c->s = s;
	for (i = 0; i < nterm; i++) {
		const struct plist *l = &r->list[i];
		size_t at = pos[i];
		if (parked >> i & 1) {
			c->own[i] = 0;
			continue;
		}
		while (l->sec[at] < s)
			at = post_step(l, at); /* only excluded lists lag */
		c->at[i] = at;
		c->own[i] = l->sec[at] == s;
		pos[i] = c->own[i] ? post_step(l, at) : at;
	}
	return 1;
}

static int
next_cand(const struct ranker *r, size_t *pos, struct cand *c)
{
	return merge_next(r, pos, c, 0);
}

/* Add candidate C, its bound B, to the N (of *CAP) in *P. */
static awn_status
pending_add(struct pending **p, size_t *n, size_t *cap, const struct cand *c,
            const struct scored *b, int norm_known, unsigned nterm)
{
	struct pending *x;
	unsigned i;

	if (*n == *cap) {
		size_t want = *cap ? 2 * *cap : 256;
		if ((x = alloc_reallocarray(*p, want, sizeof(*x))) == NULL)
			return AWN_ERR_NOMEM;
		*p = x;
		*cap = want;
	}
	x = &(*p)[(*n)++];
	x->bound = *b;
	x->norm_known = norm_known;
	x->own = x->path = 0;
	for (i = 0; i < nterm; i++) {
		x->own |= (uint64_t)c->own[i] << i;
		x->path |= (uint64_t)c->in_path[i] << i;
	}
	return AWN_OK;
}

/* Candidate C again from pending entry X: where it is in each list. */
static void
pending_cand(const struct ranker *r, const struct title_ranges *ranges,
             const struct pending *x, struct cand *c)
{
	unsigned i;

	c->s = x->bound.section;
	for (i = 0; i < r->q.nterm; i++) {
		const struct plist *l = &r->list[i];
		c->own[i] = (x->own >> i) & 1;
		c->in_path[i] = (x->path >> i) & 1;
		c->at[i] = c->own[i] ? list_lower_bound(l, c->s) : 0;
		if (c->own[i] && (l->flags[c->at[i]] & POST_IN_TITLE))
			c->title[i] = (uint32_t)lower_bound(ranges[i].start,
			                                    ranges[i].n, c->s);
	}
}

/* Candidates met so far, and the lower bounds of the best KEEP. */
struct gather {
	struct title_ranges *ranges; /* one a term: on the heap, so that
	                                rank's frame stays small */
	struct top floor;
	struct pending *pend;
	size_t npend, cap;
	uint32_t *seed;        /* sections seed_floor put in the floor */
	size_t nseed, seed_at; /* seed_at: a pass's cursor in them */
	int no_floor; /* KEEP holds every section: nothing can be pruned,
	                 and the floor is not kept */
};

/* Is C (met in ascending order in this pass) one seed_floor put in the
 * floor?  Then its lower bound is there already. */
static int
seeded(struct gather *g, uint32_t s)
{
	while (g->seed_at < g->nseed && g->seed[g->seed_at] < s)
		g->seed_at++;
	return g->seed_at < g->nseed && g->seed[g->seed_at] == s;
}

/* Candidate C's length norm if a title posting's record gave it, or -1. */
static inline double
cand_norm(const struct ranker *r, const struct gather *g, const struct cand *c)
{
	unsigned n, i;

	for (n = 0; n < r->norder; n++)
		if (c->own[i = r->order[n]] &&
		    (r->list[i].flags[c->at[i]] & POST_IN_TITLE))
			return norm_of(r, g->ranges[i].tokens[c->title[i]]);
	return -1;
}

/* cand_paths with a list read by blocks. */
static void
cand_paths_lazy(const struct ranker *r, struct title_ranges *ranges,
                struct cand *c)
{
	unsigned n, i;

	for (n = 0; n < r->norder; n++) {
		i = r->order[n];
		if (n < r->nplain)
			c->in_path[i] =
			    (unsigned char)(ranges[i].known
			                        ? parents_titled(r, &ranges[i],
			                                         c->s)
			                        : ranges_cover(&ranges[i],
			                                       c->s));
		if (c->own[i] && (r->list[i].flags[c->at[i]] & POST_IN_TITLE))
			title_need(r, &ranges[i], c->title[i]);
	}
}

/*
 * Candidate C's in_path (C ascending from call to call), and, with a
 * list read by blocks, its own titles' fields read (title_need) before
 * its bounds are: gather_cand and seed_floor call this first.  Always
 * inline, and one test of lazy_titles a candidate: a call, or a test a
 * term, cost "aws" alone (25,481 candidates) 2% more.
 */
static inline __attribute__((always_inline)) void
cand_paths(const struct ranker *r, struct title_ranges *ranges, struct cand *c)
{
	unsigned n, i;

	if (r->lazy_titles) {
		cand_paths_lazy(r, ranges, c);
		return;
	}
	for (n = 0; n < r->nplain; n++) {
		i = r->order[n];
		c->in_path[i] = (unsigned char)ranges_cover(&ranges[i], c->s);
	}
}

/* Gather candidate C (met in ascending order), its in_path known
 * (cand_paths), unless it cannot win. */
static inline __attribute__((always_inline)) awn_status
gather_placed(const struct ranker *r, struct gather *g, const struct cand *c)
{
	struct scored lo, hi;
	double norm;

	if (excluded(r, c) || other_doc(r, c->s))
		return AWN_OK;
	hi.section = lo.section = c->s;
	if ((hi.matched = lo.matched = cand_matched(r, c)) == 0 ||
	    (g->floor.n == g->floor.cap && hi.matched < g->floor.e[0].matched))
		return AWN_OK; /* KEEP sections match more words */
	norm = cand_norm(r, g, c);
	score_bounds(r, c, norm, &lo, &hi);
	if (top_full_and_beats(&g->floor, &hi))
		return AWN_OK; /* KEEP sections are sure to beat it */
	if (pending_add(&g->pend, &g->npend, &g->cap, c, &hi, norm >= 0,
	                r->q.nterm) ||
	    (!g->no_floor && !top_full_and_beats(&g->floor, &lo) &&
	     !seeded(g, c->s) && top_add(&g->floor, &lo)))
		return AWN_ERR_NOMEM;
	return AWN_OK;
}

/* Gather candidate C (met in ascending order) unless it cannot win. */
static awn_status
gather_cand(const struct ranker *r, struct gather *g, struct cand *c)
{
	/* C ascends, so skips are fine; other terms' in_path stay 0. */
	cand_paths(r, g->ranges, c);
	return gather_placed(r, g, c);
}

/*
 * Does the floor rule out candidate C, a title of each term in HERE,
 * before the lists in PARKED are read at it (gather_titled)?  Its
 * in_path and its titles' fields are known.  A parked list counts as
 * owned, a title's frequency part at its limit K1 + 1 and its bonus
 * from whole blocks (title_bonus_max), another posting's at its block's
 * largest tf (block_tf_max from AT); a joined term's part whole, where
 * score_many lets it take its words' place; cover and heads at their
 * most.  Each part grows with what it is taken at, so this is never
 * under score_bounds' bound with the lists read (the norm a title's),
 * and it is widened twice as much for the rounding.
 */
static __attribute__((noinline)) int
parked_ruled_out(const struct ranker *r, const struct gather *g,
                 const struct cand *c, uint64_t parked, uint64_t here,
                 const size_t *at, struct scored *bound)
{
	const struct title_ranges *ranges = g->ranges;
	double norm = 0, sum = 0, exact = 0, tf, sc;
	uint32_t own_title = 0; /* bit w: word w in its own title */
	int may_exact = 0;
	struct scored hi = {c->s, QUERY_MAX_WORDS, 0, HUGE_VAL};
	unsigned n, i;

	*bound = hi; /* for parked_check, until known */
	if (g->floor.n < g->floor.cap)
		return 0;
	bound->matched = hi.matched = (uint16_t)cand_matched_with(r, c, parked);
	if (hi.matched < g->floor.e[0].matched)
		return 1; /* KEEP sections match more words */
	/* as cand_norm finds it */
	for (n = 0; n < r->norder; n++)
		if (here >> (i = r->order[n]) & 1) {
			norm = norm_of(r, ranges[i].tokens[c->title[i]]);
			break;
		}
	for (n = 0; n < r->norder; n++) {
		const struct plist *l = &r->list[i = r->order[n]];
		int title = here >> i & 1,
		    path = r->kind[i] == TERM_PLAIN && c->in_path[i];
		if (parked >> i & 1 && title)
			sc = K1 + 1 +
			     title_bonus_max(l, &ranges[i], c->title[i]);
		else {
			tf = parked >> i & 1 ? block_tf_max(l, at[i], c->s)
			     : c->own[i]     ? l->tf[c->at[i]]
			                     : 0;
			sc =
			    tf * (K1 + 1) / (tf + norm) +
			    (title ? title_bonus_max(l, &ranges[i], c->title[i])
			     : path ? W_PATH
			            : 0);
		}
		sum += l->idf * l->weight * sc;
		if (title) {
			may_exact |= ranges[i].exact[c->title[i]];
			own_title |= r->stands[i];
			exact += l->idf * l->weight * W_EXACT;
		}
	}
	if (!may_exact || bits(own_title) < r->q.npositive)
		exact = 0;
	hi.score = (sum + (r->q.npositive > 1 ? W_HEADS : 0) + W_COVER +
	            (exact > 0 ? exact + r->stop_exact : 0)) *
	               (1 + 2e-9) +
	           2e-9;
	*bound = hi;
	return top_full_and_beats(&g->floor, &hi);
}

/* Does C have a posting from a title? */
static int
title_cand(const struct ranker *r, const struct cand *c)
{
	unsigned n, i;

	for (n = 0; n < r->norder; n++)
		if (c->own[i = r->order[n]] &&
		    (r->list[i].flags[c->at[i]] & POST_IN_TITLE))
			return 1;
	return 0;
}

/*
 * The most candidate C, with no query term in its own title, can score
 * (no title bonus, cover or heads): its terms' frequency parts at the
 * least length norm, and its path bonuses.  With ANY, that of any such
 * candidate: every term's largest frequency and every word's path.  A
 * list in PARKED, not read at C, counts with its block's largest tf
 * (block_tf_max from its cursor in POS), and the bound is widened
 * twice as much, to stay over the one with the list read whatever the
 * rounding.
 */
static inline __attribute__((always_inline)) double
untitled_bound_at(const struct ranker *r, const struct cand *c, int any,
                  uint64_t parked, const size_t *pos)
{
	const double widen = parked ? 2e-9 : 1e-9;
	double ub = 0, tf;
	unsigned n, i;

	for (n = 0; n < r->norder; n++) {
		const struct plist *l = &r->list[i = r->order[n]];
		tf = any               ? l->tf_max
		     : parked >> i & 1 ? block_tf_max(l, pos[i], c->s)
		     : c->own[i]       ? l->tf[c->at[i]]
		                       : 0;
		ub +=
		    l->idf * l->weight *
		    (tf * (K1 + 1) / (tf + K1 * (1 - B)) +
		     ((any ? r->kind[i] == TERM_PLAIN : c->in_path[i]) ? W_PATH
		                                                       : 0));
	}
	return ub * (1 + widen) + widen;
}

static inline __attribute__((always_inline)) double
untitled_bound(const struct ranker *r, const struct cand *c, int any)
{
	return untitled_bound_at(r, c, any, 0, NULL);
}

/*
 * Tests (db->check_parked): candidate C, for which the lists in PARKED
 * were left unread (their cursors in FROM), read, and BOUND, what they
 * were taken to give at most, compared with what they give: in the
 * titled pass (UNTITLED 0) the words matched and score_bounds' upper
 * bound; in the other, untitled_bound, or with BOUND NULL (a title of
 * a parked list) that the candidate is a title's.  The caches this
 * fills (blocks, title bonuses) change no answer.
 */
static void
parked_check(const struct ranker *r, const struct gather *g,
             const struct cand *parked_c, uint64_t parked, const size_t *from,
             const struct scored *bound, int untitled)
{
	struct scored lo, hi;
	struct cand c = *parked_c;
	uint64_t m;
	unsigned i;
	int ok;

	for (m = parked; m != 0; m &= m - 1) {
		i = (unsigned)__builtin_ctzll(m);
		c.at[i] = list_gallop(&r->list[i], from[i], c.s);
		c.own[i] = r->list[i].sec[c.at[i]] == c.s;
	}
	if (!untitled) {
		ok = cand_matched(r, &c) <= bound->matched;
		score_bounds(r, &c, cand_norm(r, g, &c), &lo, &hi);
		ok = ok && hi.score <= bound->score;
	} else if (bound == NULL)
		ok = title_cand(r, &c);
	else
		ok = untitled_bound(r, &c, 0) <= bound->score;
	r->db->parked_out[untitled]++;
	r->db->parked_wrong += !ok;
}

/*
 * Once KEEP sections match every word, so must any other that is to
 * win: it must have the plain term TERM (the rarest) in its text or in
 * an ancestor's title, or a joined alternative of TERM's word.  The
 * sections that do are found from TERM's list, its titles' subtrees
 * (swept in order) and those alternatives' lists, so the merge can
 * seek past the rest.
 */
struct driver {
	unsigned term;
	size_t next;    /* TERM's next title range not yet swept */
	uint32_t reach; /* end of the subtrees swept so far */
	int any_join[QUERY_MAX_TERMS]; /* alternatives of its word */
};

static void
driver_init(const struct ranker *r, struct driver *d)
{
	unsigned i, w;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < r->q.nterm; i++)
		if (r->kind[i] == TERM_PLAIN &&
		    (r->kind[d->term] != TERM_PLAIN ||
		     r->list[i].n < r->list[d->term].n))
			d->term = i;
	w = r->q.term[d->term].word;
	for (i = 0; i < r->q.nterm; i++)
		d->any_join[i] =
		    (r->kind[i] == TERM_JOIN || r->kind[i] == TERM_FORM) &&
		    (r->stands[i] >> w & 1);
}

/*
 * The least section at or after candidate C that can match the driving
 * word (C itself if it can), or UINT32_MAX; POS are the merge's cursors,
 * past C.
 */
static uint32_t
driver_next(const struct ranker *r, const struct title_ranges *t,
            struct driver *d, const struct cand *c, const size_t *pos)
{
	uint32_t next = UINT32_MAX, s;
	unsigned i;

	while (d->next < t->n && t->start[d->next] <= c->s) {
		if (t->end[d->next] > d->reach)
			d->reach = t->end[d->next];
		d->next++;
	}
	if (d->reach > c->s)
		return c->s; /* under one of its titles */
	if (d->next < t->n)
		next = t->start[d->next];
	for (i = 0; i < r->q.nterm; i++) {
		const struct plist *l = &r->list[i];
		if (i != d->term && !d->any_join[i])
			continue;
		if (c->own[i])
			return c->s;
		if ((s = l->sec[pos[i]]) < next) /* a cursor: filled */
			next = s;
	}
	return next;
}

/* Words a section must match to win once KEEP others match them all. */
static unsigned
words_needed(const struct ranker *r)
{
	unsigned w, n = 0;

	for (w = 0; w < r->q.nword; w++)
		n += r->need[w] > 0;
	return n;
}

/* Do KEEP sections match all ALL words? */
static int
floor_all(const struct gather *g, unsigned all)
{
	return g->floor.n == g->floor.cap && g->floor.e[0].matched == all;
}

/*
 * The lists that the passes may leave unread at a candidate until a
 * bound says it may win (MaxScore-style): those read by blocks, but not
 * the driver's, which find the candidates.
 */
static uint64_t
lazy_lists(const struct ranker *r, const struct driver *d)
{
	uint64_t lazy = 0;
	unsigned i;

	for (i = 0; i < r->q.nterm; i++)
		if (r->list[i].blk && i != d->term && !d->any_join[i])
			lazy |= UINT64_C(1) << i;
	return lazy;
}

/*
 * The sections whose title has a query term, in ascending order; once
 * KEEP of them match every word, those that cannot are passed over
 * (struct driver), as gather_cand would drop them.
 */
static awn_status
gather_titled(const struct ranker *r, struct gather *g)
{
	size_t tpos[QUERY_MAX_TERMS] = {0}, at[QUERY_MAX_TERMS] = {0},
	       pos[QUERY_MAX_TERMS];
	const unsigned nterm = r->q.nterm, norder = r->norder; /* as in
	                                                          next_cand */
	const struct title_ranges *ranges = g->ranges;
	unsigned n, i, all = words_needed(r);
	uint64_t lazy, m; /* lazy_lists */
	struct scored bound;
	struct driver d;
	struct cand c;
	awn_status st;
	int out;

	memset(&c, 0, sizeof(c));
	driver_init(r, &d);
	lazy = lazy_lists(r, &d);
	for (;;) {
		uint32_t to = UINT32_MAX, h;
		uint64_t here = 0; /* terms with a title at TO */
		for (n = 0; n < norder; n++) {
			i = r->order[n];
			if ((h = ranges[i].start[tpos[i]]) < to)
				to = h;
		}
		if (to == UINT32_MAX)
			return AWN_OK;
		c.s = to;
		for (n = 0; n < norder; n++) {
			i = r->order[n];
			if (ranges[i].start[tpos[i]] == to) {
				c.title[i] = (uint32_t)tpos[i]++;
				here |= UINT64_C(1) << i;
			}
		}
		for (i = 0; i < nterm; i++) {
			const struct plist *l = &r->list[i];
			size_t k;
			if (lazy >> i & 1)
				continue; /* after the driver's test */
			k = list_gallop(l, at[i], to);
			at[i] = c.at[i] = k;
			c.own[i] = l->sec[k] == to;
			pos[i] = c.own[i] ? post_step(l, k)
			                  : k; /* driver_next reads it */
		}
		if (!c.own[d.term] && floor_all(g, all) &&
		    (to = driver_next(r, &g->ranges[d.term], &d, &c, pos)) !=
		        c.s) {
			for (n = 0; n < r->norder; n++) {
				i = r->order[n];
				tpos[i] = gallop(g->ranges[i].start,
				                 g->ranges[i].n, tpos[i], to);
			}
			continue;
		}
		if (lazy == 0 || !floor_all(g, all)) {
			/* Until KEEP sections match every word, the bound
			 * seldom rules a title out (as it seldom does for
			 * the words' sections): its cost would be lost. */
			for (m = lazy; m != 0; m &= m - 1) {
				i = (unsigned)__builtin_ctzll(m);
				at[i] = c.at[i] =
				    list_gallop(&r->list[i], at[i], c.s);
				c.own[i] = r->list[i].sec[at[i]] == c.s;
			}
			if ((st = gather_cand(r, g, &c)) != AWN_OK)
				return st;
			continue;
		}
		/* The lazy lists read only if their bound says so. */
		for (m = lazy; m != 0; m &= m - 1)
			c.own[__builtin_ctzll(m)] = 0;
		cand_paths(r, g->ranges, &c);
		for (m = lazy & here; m != 0; m &= m - 1) {
			i = (unsigned)__builtin_ctzll(m);
			title_need(r, &g->ranges[i], c.title[i]);
		}
		out = parked_ruled_out(r, g, &c, lazy, here, at, &bound);
		if (r->db->check_parked)
			parked_check(r, g, &c, lazy, at, &bound, 0);
		if (out)
			continue;
		for (m = lazy; m != 0; m &= m - 1) {
			i = (unsigned)__builtin_ctzll(m);
			at[i] = c.at[i] = list_gallop(&r->list[i], at[i], c.s);
			c.own[i] = r->list[i].sec[at[i]] == c.s;
		}
		if ((st = gather_placed(r, g, &c)) != AWN_OK)
			return st;
	}
}

/* Move the cursors POS of the lists not in SKIP to section TO. */
static inline __attribute__((always_inline)) void
seek_lists(const struct ranker *r, size_t *pos, uint64_t skip, uint32_t to)
{
	unsigned i;

	for (i = 0; i < r->q.nterm; i++)
		if (!(skip >> i & 1))
			pos[i] = list_gallop(&r->list[i], pos[i], to);
}

/* Has a list in PARKED (read by blocks) a title at S?  S ascends from
 * call to call; TPOS are cursors in the titles. */
static int
parked_titled(const struct ranker *r, const struct gather *g, uint64_t parked,
              size_t *tpos, uint32_t s)
{
	unsigned n, i;

	for (n = 0; n < r->norder; n++) {
		const struct title_ranges *t = &g->ranges[i = r->order[n]];
		if (!(parked >> i & 1))
			continue;
		tpos[i] = gallop(t->start, t->n, tpos[i], s);
		if (t->start[tpos[i]] == s)
			return 1;
	}
	return 0;
}

/*
 * gather_untitled from its first seek (to TO) on, with KEEP sections
 * matching every word, when the lists in LAZY may be left unread: they
 * are parked (not merged, their cursors in POS left behind) while the
 * driver D seeks, and read at a candidate it gives only under one of
 * the driving term's titles, or when BEST, untitled_bound with their
 * blocks' largest tf, does not rule it out.  A title of a parked list
 * is passed over unread, as title_cand would: the titled pass had it.
 */
static __attribute__((noinline)) awn_status
gather_driven(const struct ranker *r, struct gather *g, struct driver *d,
              size_t *pos, uint64_t lazy, uint32_t to, struct scored *best)
{
	size_t tpos[QUERY_MAX_TERMS] = {0};
	uint64_t parked = lazy;
	struct cand c;
	unsigned i;
	awn_status st;

	memset(&c, 0, sizeof(c));
	seek_lists(r, pos, lazy, to);
	while (merge_next(r, pos, &c, parked)) {
		if ((to = driver_next(r, &g->ranges[d->term], d, &c, pos)) !=
		    c.s) {
			seek_lists(r, pos, lazy, to);
			parked = lazy;
			continue;
		}
		cand_paths(r, g->ranges, &c);
		if (parked != 0 && d->reach <= c.s) {
			int title = parked_titled(r, g, parked, tpos, c.s), out;
			if (!title)
				best->score =
				    untitled_bound_at(r, &c, 0, parked, pos);
			out = title || top_full_and_beats(&g->floor, best);
			if (r->db->check_parked)
				parked_check(r, g, &c, parked, pos,
				             title ? NULL : best, 1);
			if (out)
				continue;
		}
		for (i = 0; i < r->q.nterm; i++) { /* read them at C */
			const struct plist *l = &r->list[i];
			if (!(parked >> i & 1))
				continue;
			c.at[i] = list_gallop(l, pos[i], c.s);
			c.own[i] = l->sec[c.at[i]] == c.s;
			pos[i] = c.own[i] ? post_step(l, c.at[i]) : c.at[i];
		}
		parked = 0;
		best->score = untitled_bound(r, &c, 0);
		if (top_full_and_beats(&g->floor, best))
			continue;
		if (!title_cand(r, &c) && (st = gather_cand(r, g, &c)))
			return st;
	}
	return AWN_OK;
}

/*
 * Every other candidate, merging the lists in order.  Once KEEP titled
 * ones match every word, the merge seeks past sections that cannot
 * (struct driver), and the lower bounds of KEEP rule most of the others
 * out at a glance (untitled_bound).
 */
static awn_status
gather_untitled(const struct ranker *r, struct gather *g)
{
	size_t pos[QUERY_MAX_TERMS] = {0};
	struct scored best = {0, 0, 0, 0};
	uint64_t lazy; /* lazy_lists */
	struct driver d;
	struct cand c;
	unsigned i;
	awn_status st;

	memset(&c, 0, sizeof(c));
	driver_init(r, &d);
	lazy = lazy_lists(r, &d);
	best.matched = words_needed(r);
	for (i = 0; i < r->q.nterm; i++) {
		g->ranges[i].next = g->ranges[i].depth = 0; /* rewind */
		plist_need(&r->list[i], 0); /* next_cand's cursors */
	}
	g->seed_at = 0;
	if (floor_all(g, best.matched) &&
	    (best.score = untitled_bound(r, &c, 1),
	     top_full_and_beats(&g->floor, &best)))
		return AWN_OK; /* not even the largest frequencies would do */
	while (next_cand(r, pos, &c)) {
		if (floor_all(g, best.matched)) {
			uint32_t to =
			    driver_next(r, &g->ranges[d.term], &d, &c, pos);
			if (to != c.s && lazy != 0)
				return gather_driven(r, g, &d, pos, lazy, to,
				                     &best);
			if (to != c.s) {
				seek_lists(r, pos, 0, to);
				continue;
			}
			cand_paths(r, g->ranges, &c);
			best.score = untitled_bound(r, &c, 0);
			if (top_full_and_beats(&g->floor, &best))
				continue;
		}
		if (!title_cand(r, &c) && (st = gather_cand(r, g, &c)))
			return st;
	}
	return AWN_OK;
}

/*
 * Sections matching every word, from the rarest word's list, put their
 * lower bounds in the floor before the passes start: once KEEP of them
 * are there, both passes seek past the sections that cannot match every
 * word instead of gathering them until such sections turn up ("aws s3
 * cp" met thousands of titles with "aws" first).  Worth it only when
 * that list is short next to the others; nothing else depends on it.
 */
static awn_status
seed_floor(const struct ranker *r, struct gather *g)
{
	size_t at[QUERY_MAX_TERMS] = {0}, others = 0, k, cap = 0;
	unsigned n, i, all = words_needed(r);
	const struct plist *dl;
	struct scored lo, hi;
	struct driver d;
	struct cand c;
	uint32_t *grown;
	double norm;

	driver_init(r, &d);
	dl = &r->list[d.term];
	if (r->kind[d.term] != TERM_PLAIN || all < 2 || r->db->seed_off)
		return AWN_OK;
	for (n = 0; n < r->nplain; n++)
		if ((i = r->order[n]) != d.term)
			others += r->list[i].n;
	if (dl->n * SEED_RATIO > others)
		return AWN_OK;
	memset(&c, 0, sizeof(c));
	/* The first KEEP will do: the passes only need the floor full. */
	for (k = 0; k < dl->n && g->floor.n < g->floor.cap; k++) {
		c.s = post_sec(dl, k);
		for (i = 0; i < r->q.nterm; i++) {
			const struct plist *l = &r->list[i];
			at[i] = c.at[i] = list_gallop(l, at[i], c.s);
			c.own[i] = l->sec[at[i]] == c.s;
			if (c.own[i] && (l->flags[at[i]] & POST_IN_TITLE))
				c.title[i] = (uint32_t)lower_bound(
				    g->ranges[i].start, g->ranges[i].n, c.s);
		}
		cand_paths(r, g->ranges, &c);
		if (excluded(r, &c) || other_doc(r, c.s) ||
		    cand_matched(r, &c) != all)
			continue;
		hi.section = lo.section = c.s;
		hi.matched = lo.matched = all;
		norm = cand_norm(r, g, &c);
		score_bounds(r, &c, norm, &lo, &hi);
		if (g->nseed == cap) {
			cap = cap ? 2 * cap : 64;
			if ((grown = alloc_reallocarray(
			         g->seed, cap, sizeof(*grown))) == NULL)
				return AWN_ERR_NOMEM;
			g->seed = grown;
		}
		g->seed[g->nseed++] = c.s;
		if (top_add(&g->floor, &lo))
			return AWN_ERR_NOMEM;
	}
	for (i = 0; i < r->q.nterm; i++) /* rewind ranges_cover */
		g->ranges[i].next = g->ranges[i].depth = 0;
	return AWN_OK;
}

/* ---- a section before its subsections ---------------------------------- */

/* Does list L hold section S (with its title flag when TITLE)? */
static int
list_has(const struct plist *l, uint32_t s, int title)
{
	size_t at = list_lower_bound(l, s);

	return at < l->n && l->sec[at] == s &&
	       (!title || (l->flags[at] & POST_IN_TITLE));
}

/* Bit w: query word w is in section S's own title (or an alternative
 * for it). */
static uint32_t
title_words(const struct ranker *r, uint32_t s)
{
	uint32_t words = 0;
	unsigned n, i;

	for (n = 0; n < r->norder; n++) {
		i = r->order[n];
		if (list_has(&r->list[i], s, 1))
			words |= r->stands[i];
	}
	return words;
}

/* Does a section from FROM up to END hold an excluded word?  A lookup
 * of a section shows its subsections. */
static int
excluded_within(const struct ranker *r, uint32_t from, uint32_t end)
{
	unsigned i;
	size_t at;

	for (i = 0; i < r->q.nterm; i++) {
		if (r->kind[i] != TERM_EXCLUDE)
			continue;
		at = list_lower_bound(&r->list[i], from);
		if (at < r->list[i].n && r->list[i].sec[at] < end)
			return 1;
	}
	return 0;
}

/*
 * A section is shown with all of its subsections, so one whose title
 * names the query as fully as a subsection's does is the better answer:
 * "dedicated hosts" wants "EC2 Dedicated Hosts", not its subsection
 * "Dedicated Hosts Limitations", and "glacier" the chapter "Glacier",
 * not "Glacier Basics", which outscore them on the words of their own
 * short text.  Among the first K of SC (sorted), a section that matches
 * as many words as a subsection ranked above it, has in its own title
 * every query word the subsection's title has, and as large a share of
 * its title's words in the query (so "ebs" still finds "EBS" before
 * "EBS & EFS"), takes the subsection's score: ties go to the earlier
 * section, the ancestor.  When the subsection's title has fewer of the
 * query's words, the share must be larger: "session stickiness" wants
 * "Connection Stickiness", not the "SSL Offload and Session Stickiness"
 * of two topics above it.  Not a section with a subsection that holds
 * an excluded word ("s3 -replication" and "S3 Basics" > "S3
 * Replication"): it would show it.  Returns whether any score changed.
 */
static int
lift_ancestors(const struct ranker *r, struct scored *sc, size_t k)
{
	uint32_t end[RECHECK];
	awn_section sec;
	size_t i, j;
	int lifted = 0;

	for (i = 0; i < k; i++) {
		db_section_tree(r->db, sc[i].section, &sec);
		end[i] = sec.end;
	}
	for (i = 0; i + 1 < k; i++) {
		uint32_t words = UINT32_MAX; /* not yet read */
		double cover = -1;
		for (j = i + 1; j < k; j++) {
			uint32_t a = sc[j].section, aw;
			if (a >= sc[i].section || end[j] <= sc[i].section ||
			    sc[j].matched != sc[i].matched ||
			    sc[j].score >= sc[i].score)
				continue; /* not an ancestor, or no need */
			if (words == UINT32_MAX)
				words = title_words(r, sc[i].section);
			if (words == 0)
				break; /* its title names nothing */
			aw = title_words(r, a);
			if ((aw & words) != words)
				continue;
			/* The titles' shares last: they read and scan both. */
			if (cover < 0)
				cover = title_cover(r->part, &r->cover,
				                    sc[i].section);
			double ac = title_cover(r->part, &r->cover, a);
			if ((aw == words ? ac >= cover : ac > cover) &&
			    !excluded_within(r, a + 1, end[j])) {
				sc[j].score = sc[i].score;
				lifted = 1;
			}
		}
	}
	return lifted;
}

/* ---- a name spelled out, a chapter titled with its initials ------------ */

/* Bit w: query word w is one that initials in S's title stand for. */
static uint32_t
title_initials(const struct ranker *r, const awn_section *s)
{
	struct token_set one;
	uint32_t words = 0;
	unsigned i, nw, found;

	for (i = 0; i < r->q.ninitials && s->title_len > 0; i++) {
		const struct qinitials *in = &r->q.initials[i];
		token_set_clear(&one);
		if (token_set_add(&one, in->term, strlen(in->term)))
			continue;
		token_count_words(s->title, s->title_len, &one, &nw, &found);
		if (found)
			words |= ((UINT32_C(1) << in->nwords) - 1) << in->word;
	}
	return words;
}

/*
 * "elastic map reduce" finds "EMR Basics", whose text spells the name
 * out, but the chapter "EMR" that holds it is the answer, as
 * lift_ancestors would have it if the chapter's title named the words.
 * So among the first *K of *SC (*N of them, sorted) a section that
 * matches every word has its nearest ancestor whose title holds the
 * words' initials (query.c: "emr", "ec2" for "elastic compute cloud")
 * and every other word, that has no excluded word, nor a subsection
 * that has one (it would show it), and whose title has
 * a larger share of its words in the query than the section's (the
 * initials counted; as large will do if the section's title names
 * every word too), moved up to just before it: added to *SC, and to
 * the first *K, if it was not there.  The initials are looked for only
 * in these titles: "ec2" has a long posting list, and a section titled
 * so but far from the words, or a text that only uses the acronym, is
 * no better an answer than those the words find.  Returns whether
 * anything moved, or -1 when out of memory.
 */
static int
lift_initials(const struct ranker *r, struct scored **sc, size_t *n, size_t *k)
{
	struct token_set set = r->cover; /* its terms and the initials */
	unsigned i, all = bits(r->needed);
	size_t d, j, nk;
	int lifted = 0;

	if (r->q.ninitials == 0)
		return 0;
	for (i = 0; i < r->q.ninitials; i++)
		if (token_set_add(&set, r->q.initials[i].term,
		                  strlen(r->q.initials[i].term)))
			return 0; /* full: the query has too many terms */
	for (d = 0, nk = *k; d < nk; d++) {
		struct scored x = (*sc)[d], *grown;
		uint32_t a, aw, dw = UINT32_MAX;
		awn_section xs, as;
		double dc = 0, ac;
		if (x.matched != all)
			continue;
		db_section_tree(r->db, x.section, &xs);
		for (as = xs; as.parent != AWN_NONE;) {
			a = as.parent;
			db_section_tree(r->db, a, &as);
			if ((aw = title_initials(r, &as)) == 0)
				continue;
			aw |= title_words(r, a);
			if ((aw & r->needed) != r->needed ||
			    excluded_within(r, a, as.end))
				continue;
			if (dw == UINT32_MAX) {
				dw = title_words(r, x.section) |
				     title_initials(r, &xs);
				dc = title_cover(r->part, &set, x.section);
			}
			ac = title_cover(r->part, &set, a);
			if (aw == dw ? ac < dc : ac <= dc)
				continue;
			for (j = 0; j < *n && (*sc)[j].section != a; j++)
				;
			if (j == *n) {
				/* New, at the window's end (*K), which grows.
				 */
				if ((grown = alloc_reallocarray(
				         *sc, *n + 1, sizeof(**sc))) == NULL)
					return -1;
				*sc = grown;
				j = (*k)++;
				memmove(*sc + j + 1, *sc + j,
				        (*n - j) * sizeof(**sc));
				(*n)++;
				(*sc)[j].titled = 0;
			} else if ((*sc)[j].matched > x.matched ||
			           ((*sc)[j].matched == x.matched &&
			            (*sc)[j].score >= x.score))
				break; /* already ahead of it */
			(*sc)[j].section = a;
			(*sc)[j].matched = x.matched;
			(*sc)[j].score = x.score;
			lifted = 1;
			break;
		}
	}
	return lifted;
}

/*
 * Every pending candidate of G scored exactly, into TOP, in no order:
 * rank's loop for when nothing can be pruned (G->no_floor), without
 * its heaps.
 */
static awn_status
score_all(const struct ranker *r, struct gather *g, struct top *top)
{
	struct scored one;
	struct cand c;
	double norm;
	size_t i;

	if (g->npend > 0 && (top->e = alloc_reallocarray(
	                         NULL, g->npend, sizeof(*top->e))) == NULL)
		return AWN_ERR_NOMEM;
	top->alloc = g->npend;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < g->npend; i++) {
		pending_cand(r, g->ranges, &g->pend[i], &c);
		one = g->pend[i].bound;
		norm = length_norm(r, &c);
		/* The bound with the record is exact without a title hit:
		 * then the title need not be read (as in rank's loop). */
		if (g->pend[i].norm_known || score_with(r, &c, norm, 1, &one))
			score_with(r, &c, norm, -1, &one);
		top->e[top->n++] = one;
	}
	return AWN_OK;
}

/*
 * The LEAD best of the N in SC first, in order, and the rest after them
 * in no order: what the steps after ranking read (the first RECHECK),
 * and all that a caller wanting the set needs (AWN_SEARCH_ANY_ORDER).
 */
static void
sort_leaders(struct scored *sc, size_t n, size_t lead)
{
	struct scored t;
	size_t i;

	if (lead < n) {
		/* SC[0..LEAD) as a heap whose root is the worst of them */
		for (i = lead / 2; i-- > 0;)
			sift_down(sc, sizeof(*sc), lead, i, 1);
		for (i = lead; i < n; i++)
			if (cmp_scored(&sc[i], &sc[0]) < 0) {
				t = sc[0];
				sc[0] = sc[i];
				sc[i] = t;
				sift_down(sc, sizeof(*sc), lead, 0, 1);
			}
		n = lead;
	}
	qsort(sc, n, sizeof(*sc), cmp_scored);
}

/*
 * Rank the part's sections; the best MAX come back in *OUT (malloc'd,
 * *N of them), best first.
 *
 * Every section in a positive term's list is a candidate.  Each gets its
 * matched count and bounds of its score from the postings alone
 * (score_bounds); those whose upper bound is below KEEP others' lower
 * bounds are dropped at once.  Sections with a query term in their own
 * title come first, and usually make the rest (most of the postings)
 * needless (gather_untitled); when one word is much rarer than the
 * rest, its sections that match every word go first (seed_floor).  The
 * rest are scored best bound first, in two steps (the length norm from
 * the record, then the title's cover), until the next bound cannot
 * enter the best KEEP.  The pruning is safe: the result is the one
 * scoring every candidate gives.  KEEP covers the recheck window, which
 * only reorders sections within itself.
 */
static awn_status
rank(struct ranker *r, size_t max, struct scored **out, size_t *nout,
     awn_error *err)
{
	size_t n, i, kept, npend, keep = max > RECHECK ? max : RECHECK;
	unsigned kind;
	struct top top = {NULL, 0, keep, 0};
	struct gather g;
	struct pending *pend;
	struct scored *sc, one;
	struct cand c;
	awn_status st = AWN_OK;

	*out = NULL;
	*nout = 0;
	memset(&g, 0, sizeof(g));
	g.floor.cap = keep;
	/* A regex search in the sections words find asks for every hit:
	 * there the pruning's heaps cost more than the scoring (ten times
	 * awsdocs+tldr, `-e PATTERN aws`: 1.3x the search of every
	 * section). */
	g.no_floor = keep >= r->part->blob.nsections;
	if ((g.ranges = alloc_calloc(r->q.nterm + 1, sizeof(*g.ranges))) ==
	    NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	r->ranges = g.ranges;
	memset(&c, 0, sizeof(c));
	memset(r->need, 0, sizeof(r->need));
	for (i = 0; i < r->q.nterm; i++) {
		const struct qterm *t = &r->q.term[i];
		r->kind[i] = r->q.word[t->word].exclude ? TERM_EXCLUDE
		             : t->join                  ? TERM_JOIN
		             : t->form                  ? TERM_FORM
		                                        : TERM_PLAIN;
		r->stands[i] = (t->join ? UINT32_C(3) : UINT32_C(1)) << t->word;
		r->need[t->word] += r->kind[i] == TERM_PLAIN;
		if (r->kind[i] != TERM_EXCLUDE &&
		    (st = ranges_build(r, &r->list[i], &g.ranges[i]))) {
			if (st == AWN_ERR_NOMEM)
				goto nomem;
			st = error_set(err, st, "%s: corrupt blob (%s)",
			               r->part->blob.name,
			               r->list[i].blk &&
			                       r->list[i].blk->bad_titles
			                   ? "posting skips"
			                   : "title info");
			goto fail;
		}
	}
	for (r->lazy_titles = 0, i = 0; i < r->q.nterm; i++)
		r->lazy_titles |= g.ranges[i].known != NULL;
	if (r->lazy_titles) {
		/* driver_next reads the driving term's subtrees as it goes:
		 * that term is the rarest, read by blocks only when
		 * blocks_always says so. */
		struct driver d;
		driver_init(r, &d);
		for (i = 0; i < g.ranges[d.term].n; i++)
			title_need(r, &g.ranges[d.term], i);
	}
	for (r->norder = 0, kind = TERM_PLAIN; kind <= TERM_JOIN; kind++) {
		for (i = 0; i < r->q.nterm; i++)
			if (r->kind[i] == kind)
				r->order[r->norder++] = (unsigned char)i;
		if (kind == TERM_PLAIN)
			r->nplain = r->norder;
	}
	/* What titles and texts are scanned for: the terms of r->order
	 * (QUERY_MAX_TERMS at most, so the set has room for them). */
	token_set_clear(&r->cover);
	for (n = 0; n < r->norder; n++)
		if (token_set_add(&r->cover, r->q.term[r->order[n]].e.term,
		                  strlen(r->q.term[r->order[n]].e.term)))
			goto nomem;
	r->titled = r->cover;
	r->stop_exact = 0;
	for (r->nstop = 0; r->nstop < r->q.nstop; r->nstop++) {
		const struct dict_entry *e = &r->q.stop[r->nstop];
		double nsec = r->part->blob.nsections;

		if (token_set_add(&r->titled, e->term, e->len))
			break; /* full: the rest are not counted */
		r->stop_idf[r->nstop] =
		    ln(1.0 + (nsec - e->df + 0.5) / (e->df + 0.5));
		r->stop_exact += W_EXACT * r->stop_idf[r->nstop];
	}
	for (r->needed = 0, i = 0; i < r->q.nword; i++)
		if (r->need[i])
			r->needed |= UINT32_C(1) << i;
	if ((!g.no_floor && seed_floor(r, &g)) || gather_titled(r, &g) ||
	    gather_untitled(r, &g))
		goto nomem;
	alloc_free(g.seed);
	g.seed = NULL;
	pend = g.pend;
	npend = g.npend;
	if (g.no_floor) {
		if (score_all(r, &g, &top) != AWN_OK)
			goto nomem;
		npend = 0;
	}
	for (i = kept = 0; i < npend; i++) /* the floor has risen since */
		if (!top_full_and_beats(&g.floor, &pend[i].bound))
			pend[kept++] = pend[i];
	npend = kept;
	for (i = npend / 2; i-- > 0;)
		sift_down(pend, sizeof(*pend), npend, i, -1);
	while (npend > 0 && !top_full_and_beats(&top, &pend[0].bound)) {
		pending_cand(r, g.ranges, &pend[0], &c);
		one = pend[0].bound;
		if (!pend[0].norm_known) {
			/* Tighten the bound with the record; title later. */
			pend[0].norm_known = 1;
			if (score_with(r, &c, length_norm(r, &c), 1,
			               &pend[0].bound)) {
				sift_down(pend, sizeof(*pend), npend, 0, -1);
				continue;
			}
			one = pend[0].bound; /* no title hit: exact */
		} else
			score_with(r, &c, length_norm(r, &c), -1, &one);
		pend[0] = pend[--npend];
		sift_down(pend, sizeof(*pend), npend, 0, -1);
		if (!top_full_and_beats(&top, &one) &&
		    top_add(&top, &one) != AWN_OK)
			goto nomem;
	}
	alloc_free(g.floor.e);
	g.floor.e = NULL;
	alloc_free(g.pend);
	g.pend = NULL;
	sc = top.e; /* NULL when no section matched */
	n = top.n;
	if (n > 1)
		sort_leaders(sc, n,
		             r->flags & AWN_SEARCH_ANY_ORDER ? RECHECK : n);
	if (n > 0 && r->db->ndocs > 1) {
		/* The leading ones only, as for nearness: the pruning kept
		 * them exactly, and a lookup and -k then agree. */
		size_t k = n < RECHECK ? n : RECHECK;
		add_names(r, sc, k);
		if (k > 1)
			qsort(sc, k, sizeof(*sc), cmp_scored);
	}
	if (n > 1 && (r->q.npositive > 1 || r->q.nphrase > 0)) {
		/*
		 * Nearness adds at most NEAR_MAX, so it can only reorder the
		 * sections within that of the leader; phrases must be checked
		 * for all the leading ones.  In section order, so each text
		 * block is inflated once.
		 */
		size_t k = 1;
		while (k < n && k < RECHECK &&
		       (r->q.nphrase > 0 ||
		        (sc[k].matched == sc[0].matched &&
		         sc[k].score >= sc[0].score - NEAR_MAX)))
			k++;
		if (k > 1) {
			qsort(sc, k, sizeof(*sc), cmp_section);
			for (i = 0; i < k && !st; i++)
				st = recheck(r, &sc[i], err);
			if (st)
				goto fail;
			qsort(sc, k, sizeof(*sc), cmp_scored);
		}
	}
	if (n > 1) {
		size_t k = n < RECHECK ? n : RECHECK;
		if (lift_ancestors(r, sc, k))
			qsort(sc, k, sizeof(*sc), cmp_scored);
	}
	if (n > 0) {
		size_t k = n < RECHECK ? n : RECHECK;
		int lifted = lift_initials(r, &sc, &n, &k);
		if (lifted < 0) {
			top.e = sc;
			goto nomem;
		}
		if (lifted)
			qsort(sc, k, sizeof(*sc), cmp_scored);
	}
	/* Sections that lost their phrase may now sit below the recheck
	 * window's end; they stay there, which is where they belong. */
	for (i = 0; i < r->q.nterm; i++)
		ranges_free(&g.ranges[i]);
	alloc_free(g.ranges);
	r->ranges = NULL;
	*out = sc;
	*nout = n; /* at least max when there are: awn_search groups copies */
	return AWN_OK;
nomem:
	st = error_set(err, AWN_ERR_NOMEM, "out of memory");
fail:
	for (i = 0; i < r->q.nterm; i++)
		ranges_free(&g.ranges[i]);
	alloc_free(g.ranges);
	r->ranges = NULL;
	alloc_free(g.pend);
	alloc_free(g.floor.e);
	alloc_free(g.seed);
	alloc_free(top.e);
	return st;
}

/* ---- copies ------------------------------------------------------------ */

/* Are sections A and B (by db_section_tree) the same heading path in two
 * documents of the same file name? */
static int
is_copy(const awn_db *db, const awn_section *a, const awn_section *b)
{
	awn_section pa, pb;
	const char *na, *nb;
	size_t la, lb;

	if (a->doc == b->doc)
		return 0;
	for (pa = *a, pb = *b;;) {
		if (pa.level != pb.level || pa.title_len != pb.title_len ||
		    memcmp(pa.title, pb.title, pa.title_len) != 0)
			return 0;
		if (pa.parent == AWN_NONE || pb.parent == AWN_NONE)
			break;
		if (db_section_tree(db, pa.parent, &pa) != AWN_OK ||
		    db_section_tree(db, pb.parent, &pb) != AWN_OK)
			return 0;
	}
	if (pa.parent != pb.parent) /* one path is longer */
		return 0;
	na = doc_base(db, a->doc, &la);
	nb = doc_base(db, b->doc, &lb);
	return la == lb && memcmp(na, nb, la) == 0;
}

/*
 * Up to this many hits (a lookup, the shell, -k's 100), copies are
 * looked for among every pair, which reads fewer names and titles (keys
 * for every hit cost the 59 MB set's lookups up to 1.7% more
 * instructions).  Past it, only among hits whose matched words, file
 * name and heading path hash alike (copy_key): a regex search in the
 * sections a common word finds (`-e foo aws`) keeps all of them, and
 * 40,000 hits compared pairwise took seconds.
 */
#define FEW_HITS 128

/* What copies of hit H (section S) share: its matched words, its
 * document's file name, and the level and title of S and of each of its
 * ancestors.  is_copy holds only for hits with equal keys. */
static uint64_t
copy_key(const awn_db *db, const struct scored *h, const awn_section *s)
{
	uint64_t k = hash_more(HASH_BASIS, &h->matched, sizeof(h->matched));
	awn_section p = *s;
	size_t len;
	const char *base = doc_base(db, s->doc, &len);

	k = hash_more(k, &len, sizeof(len));
	k = hash_more(k, base, len);
	for (;;) {
		k = hash_more(k, &p.level, sizeof(p.level));
		k = hash_more(k, &p.title_len, sizeof(p.title_len));
		k = hash_more(k, p.title, p.title_len);
		if (p.parent == AWN_NONE ||
		    db_section_tree(db, p.parent, &p) != AWN_OK)
			return k;
	}
}

struct copy_ref {
	uint64_t key;
	size_t at; /* position among the hits */
};

static int
cmp_copy_ref(const void *pa, const void *pb)
{
	const struct copy_ref *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

/*
 * Group the copies among the N HITS (sections SEC; DONE marks those to
 * leave out).  A group's first hit, its leader, stays not DONE, and NEXT
 * links it to its other members by ascending position, each then DONE;
 * NEXT[i] == N ends a group.  Leaders come in order of position, as a
 * walk of every pair takes them, and since copies share a key, pairing
 * within runs of equal keys makes the same groups.  0: out of memory.
 */
static int
group_copies(const awn_db *db, const struct scored *hits,
             const awn_section *sec, size_t n, unsigned char *done,
             size_t *next)
{
	struct copy_ref few[FEW_HITS], *ref = few;
	size_t i, j, r, e, last, m = 0;

	if ((n > FEW_HITS || db->copies_keyed) &&
	    (ref = alloc_reallocarray(NULL, n ? n : 1, sizeof(*ref))) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		next[i] = n;
		if (done[i])
			continue;
		/* Below the bound, one run: every pair. */
		ref[m].key = ref != few ? copy_key(db, &hits[i], &sec[i]) : 0;
		ref[m++].at = i;
	}
	if (ref != few)
		qsort(ref, m, sizeof(*ref), cmp_copy_ref);
	for (r = 0; r < m; r = e) {
		for (e = r + 1; e < m && ref[e].key == ref[r].key; e++)
			;
		for (i = r; i < e; i++) {
			size_t a = ref[i].at;
			if (done[a])
				continue;
			for (last = a, j = i + 1; j < e; j++) {
				size_t b = ref[j].at;
				if (!done[b] &&
				    hits[b].matched == hits[a].matched &&
				    is_copy(db, &sec[a], &sec[b])) {
					next[last] = b;
					last = b;
					done[b] = 1;
				}
			}
		}
	}
	if (ref != few)
		alloc_free(ref);
	return 1;
}

/*
 * The same page in several places (translations, mirrored trees: the
 * same file name and heading path) ranks by the best of its copies, but
 * which copy scores best says little (BM25 favours the shortest
 * translation): the copies in HITS take their places in notes order, so
 * the first document given wins.  Only copies matching as many words are
 * grouped.  A copy ranked outside HITS is not looked for.
 *
 * Then every copy but the first moves behind the pages matching as many
 * words that are no copy of one before them, each page's copies
 * together: tldr's translations of tar no longer push gtar, pax and ouch
 * down a -k list.
 */
static void
order_copies(const awn_db *db, struct scored *hits, size_t n)
{
	awn_section *sec;
	unsigned char *done, *later;
	struct scored *tail, *res;
	size_t *at, *next, i, j, k, m, e, t, ntail = 0;

	if (n < 2 || db->ndocs < 2)
		return;
	sec = alloc_reallocarray(NULL, n, sizeof(*sec));
	/* AT and NEXT in one block */
	at = alloc_reallocarray(NULL, n, 2 * sizeof(*at));
	done = alloc_calloc(n, 1);
	later = alloc_calloc(n, 1);
	tail = alloc_reallocarray(NULL, n, sizeof(*tail));
	res = alloc_reallocarray(NULL, n, sizeof(*res));
	if (sec == NULL || at == NULL || done == NULL || later == NULL ||
	    tail == NULL || res == NULL)
		goto out; /* only the order is lost */
	for (i = 0; i < n; i++)
		if (db_section_tree(db, hits[i].section, &sec[i]) != AWN_OK)
			done[i] = 1;
	next = at + n;
	if (!group_copies(db, hits, sec, n, done, next))
		goto out;
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		for (at[0] = i, m = 1, j = next[i]; j < n; j = next[j])
			at[m++] = j;
		/* Insertion sort of the group's entries by section, in
		 * the positions AT (ascending) holds; all but I are done,
		 * so sec[], by position, is not read for them again. */
		for (k = 1; k < m; k++) {
			struct scored x = hits[at[k]];
			for (j = k;
			     j > 0 && hits[at[j - 1]].section > x.section; j--)
				hits[at[j]] = hits[at[j - 1]];
			hits[at[j]] = x;
		}
		for (k = 1; k < m; k++) {
			tail[ntail++] = hits[at[k]];
			later[at[k]] = 1;
		}
	}
	/* HITS run by matched words, and TAIL too (a group lies within
	 * one run, and groups were found in order). */
	for (i = j = t = 0; ntail > 0 && i < n; i = e) {
		for (e = i; e < n && hits[e].matched == hits[i].matched; e++)
			if (!later[e])
				res[j++] = hits[e];
		while (t < ntail && tail[t].matched == hits[i].matched)
			res[j++] = tail[t++];
	}
	if (j == n) /* always; else the order stays as grouped */
		memcpy(hits, res, n * sizeof(*hits));
out:
	alloc_free(sec);
	alloc_free(at);
	alloc_free(done);
	alloc_free(later);
	alloc_free(tail);
	alloc_free(res);
}

/* ---- "did you mean" ------------------------------------------------------ */

struct surface_ctx {
	const char *text, *want;
	size_t start, end;
	int found;
};

static awn_status
find_surface(void *vctx, const struct token *t)
{
	struct surface_ctx *c = vctx;

	if (!c->found && t->end > t->start && strcmp(t->term, c->want) == 0) {
		c->start = t->start;
		c->end = t->end;
		c->found = 1;
	}
	return AWN_OK;
}

/*
 * Append how term T is spelt in section S (its title first, then its
 * text), so corrections read "ElastiCache" rather than the stem.
 */
static void
append_surface(struct ranker *r, uint32_t s, const char *t, struct buf *out)
{
	struct surface_ctx c = {NULL, t, 0, 0, 0};
	awn_section sec;
	const char *text;
	size_t len;

	if (db_section_tree(r->db, s, &sec) == AWN_OK) {
		c.text = sec.title;
		token_scan(sec.title, sec.title_len, find_surface, &c);
	}
	if (!c.found && awn_db_text(r->db, s, &text, &len, NULL) == AWN_OK &&
	    richtext_words(text, len, &r->words) == AWN_OK) {
		c.text = r->words.data;
		token_scan(r->words.data, r->words.len, find_surface, &c);
	}
	if (c.found)
		buf_add(out, c.text + c.start, c.end - c.start);
	else
		buf_adds(out, t);
}

static void
make_correction(struct ranker *r, uint32_t best, char *out, size_t size)
{
	struct buf b;
	unsigned w, i;

	out[0] = '\0';
	if (!query_corrected(&r->q))
		return;
	buf_init(&b, size - 1);
	for (w = 0; w < r->q.nword; w++) {
		const struct qword *qw = &r->q.word[w];
		if (b.len)
			buf_addc(&b, ' ');
		if (qw->exclude)
			buf_addc(&b, '-');
		if (!query_word_corrected(qw)) {
			buf_add(&b, qw->text, qw->len);
			continue;
		}
		for (i = 0; i < r->q.nterm; i++)
			if (r->q.term[i].word == w && !r->q.term[i].join &&
			    !r->q.term[i].form) {
				if (qw->match == WORD_SPLIT && b.len &&
				    b.data[b.len - 1] != ' ')
					buf_addc(&b, ' ');
				append_surface(r, best, r->q.term[i].e.term,
				               &b);
			}
	}
	if (b.len < size) {
		memcpy(out, b.data ? b.data : "", b.len);
		out[b.len] = '\0';
	}
	buf_free(&b);
}

void
awn_hits_free(awn_hits *hits)
{
	if (hits == NULL)
		return;
	alloc_free(hits->hit);
	alloc_free(hits);
}

/*
 * The first copy (translation, mirrored tree) of the best hit SC[0],
 * added to SC if rank left it out: the copy in the document given first
 * must win even when shorter copies push it out of the best KEEP, or a
 * lookup (few kept) and -k (many) would show different pages first.  A
 * copy has the same title, so it is looked for among the title postings
 * before the hit, in notes order, of a term the hit has in its title;
 * it joins with the hit's score and matched words, and order_copies
 * puts it first in their group.
 */
static awn_status
add_first_copy(struct ranker *r, struct scored **sc, size_t *n)
{
	const struct scored h = (*sc)[0];
	unsigned char own[QUERY_MAX_TERMS], title[QUERY_MAX_TERMS];
	const struct plist *l;
	struct scored *grown;
	awn_section hs, cs;
	uint32_t *kept = NULL; /* SC's sections, sorted, when there are many */
	size_t j, m, end, probes;
	unsigned i, t;

	for (t = QUERY_MAX_TERMS, i = 0; i < r->q.nterm; i++) {
		l = &r->list[i];
		own[i] =
		    r->kind[i] != TERM_EXCLUDE && list_has(l, h.section, 0);
		title[i] = own[i] && list_has(l, h.section, 1);
		if (title[i] &&
		    (t == QUERY_MAX_TERMS || l->ntitle < r->list[t].ntitle))
			t = i;
	}
	if (t == QUERY_MAX_TERMS ||
	    db_section_tree(r->db, h.section, &hs) != AWN_OK)
		return AWN_OK;
	l = &r->list[t];
	end = list_lower_bound(l, h.section);
	/* Hits are passed over without a probe, so with many of them (-e's
	 * words keep all) the walk can cover the whole list: look them up
	 * in a sorted copy, not one by one. */
	if (*n > FEW_HITS &&
	    (kept = alloc_reallocarray(NULL, *n, sizeof(*kept))) != NULL) {
		for (m = 0; m < *n; m++)
			kept[m] = (*sc)[m].section;
		qsort(kept, *n, sizeof(*kept), cmp_u32);
	}
	for (j = probes = 0; j < end && probes < COPY_PROBES; j++) {
		uint32_t s;
		if (!(post_flags(l, j) & POST_IN_TITLE))
			continue;
		s = post_sec(l, j);
		/* As many words matched: the hit's terms, no excluded one. */
		for (i = 0; i < r->q.nterm; i++)
			if (r->kind[i] == TERM_EXCLUDE
			        ? list_has(&r->list[i], s, 0)
			        : own[i] && i != t &&
			              !list_has(&r->list[i], s, title[i]))
				break;
		if (i < r->q.nterm)
			continue;
		if (kept != NULL) {
			m = lower_bound(kept, *n, s);
			if (m < *n && kept[m] == s)
				continue;
		} else {
			for (m = 0; m < *n && (*sc)[m].section != s; m++)
				;
			if (m < *n)
				continue;
		}
		if (other_doc(r, s))
			continue;
		probes++;
		if (db_section_field(r->db, s, SF_TITLE_LEN) != hs.title_len ||
		    db_section_tree(r->db, s, &cs) != AWN_OK ||
		    !is_copy(r->db, &hs, &cs))
			continue;
		if ((grown = alloc_reallocarray(*sc, *n + 1, sizeof(**sc))) ==
		    NULL) {
			alloc_free(kept);
			return AWN_ERR_NOMEM;
		}
		*sc = grown;
		(*sc)[(*n)++] = (struct scored){s, h.matched, 0, h.score};
		break; /* the first in notes order is the one shown */
	}
	alloc_free(kept);
	return AWN_OK;
}

/* Is a query word (not an excluded one) in section S's own heading? */
static int
in_own_title(const struct ranker *r, uint32_t s)
{
	unsigned i;

	for (i = 0; i < r->q.nterm; i++)
		if (r->kind[i] != TERM_EXCLUDE && list_has(&r->list[i], s, 1))
			return 1;
	return 0;
}

/*
 * A form of a word ("encryption" for "encrypt") weighs W_FORM as much as
 * the word, and no rarer than the word is: "versioning" has "version"
 * as a form, which every API page of the S3 guide has.  The word's own
 * term comes before its forms (query.c).
 */
static void
form_weight(struct ranker *r, unsigned i)
{
	unsigned j;

	r->list[i].weight = W_FORM;
	for (j = 0; j < i; j++)
		if (r->q.term[j].word == r->q.term[i].word &&
		    !r->q.term[j].join && !r->q.term[j].form &&
		    r->list[j].idf < r->list[i].idf)
			r->list[i].idf = r->list[j].idf;
}

/* Search one part, adding its best MAX to *ALL (of *NALL). */
static awn_status
search_part(struct ranker *r, const char *query, size_t max,
            struct scored **all, size_t *nall, awn_error *err)
{
	const struct blob *b = &r->part->blob;
	struct scored *sc = NULL, *grown;
	size_t n = 0, j;
	awn_status st;
	unsigned i;

	r->avglen = b->nsections && b->total_tokens
	                ? (double)b->total_tokens / b->nsections
	                : 1;
	st = blob_check_tables(b, BLOB_DICT_TABLES, err);
	if (st == AWN_OK)
		st = query_parse(b, query, &r->q, err);
	for (i = 0; i < r->q.nterm && st == AWN_OK; i++) {
		unsigned m = r->q.word[r->q.term[i].word].match;
		r->nlist = i + 1;
		st = load_postings(r->part, &r->q.term[i].e, want_blocks(r, i),
		                   &r->list[i], err);
		r->list[i].weight =
		    (m == WORD_PREFIX || m == WORD_FUZZY || m == WORD_BASE)
		        ? W_FUZZY
		        : 1.0;
		if (st == AWN_OK && r->q.term[i].form)
			form_weight(r, i);
		if (st == AWN_OK && r->list[i].ntitle > 0) {
			int k = blob_title_info(b, r->q.term[i].e.ordinal,
			                        &r->list[i].info,
			                        &r->list[i].info_end);
			r->list[i].has_info = k != 0;
			if (k < 0 || (k > 0 && r->list[i].info == NULL))
				st = error_set(err, AWN_ERR_FORMAT,
				               "%s: corrupt blob (title info)",
				               b->name);
		}
	}
	if (st == AWN_OK)
		st = rank(r, max, &sc, &n, err);
	/* Phrases are not checked in copies: none are added for them. */
	if (st == AWN_OK && n > 0 && r->db->ndocs > 1 && r->q.nphrase == 0 &&
	    add_first_copy(r, &sc, &n) != AWN_OK)
		st = error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (j = 0; st == AWN_OK && j < n; j++) /* rank leaves it unset */
		sc[j].titled = (r->flags & AWN_SEARCH_TITLED) &&
		               in_own_title(r, sc[j].section);
	/* A block that disagreed with its record, found as it was read. */
	for (i = 0; st == AWN_OK && i < r->nlist; i++)
		if (r->list[i].blk && r->list[i].blk->bad)
			st = error_set(err, AWN_ERR_FORMAT,
			               "%s: corrupt blob (postings)", b->name);
	if (st == AWN_OK && n > 0) {
		grown = alloc_reallocarray(*all, *nall + n, sizeof(**all));
		if (grown == NULL)
			st = error_set(err, AWN_ERR_NOMEM, "out of memory");
		else {
			memcpy(grown + *nall, sc, n * sizeof(*sc));
			*all = grown;
			*nall += n;
		}
	}
	alloc_free(sc);
	return st;
}

static void
ranker_clear(struct ranker *r)
{
	unsigned i;

	for (i = 0; i < r->nlist; i++)
		plist_free(&r->list[i]);
	r->nlist = 0;
	r->q.nterm = 0;
}

awn_status
awn_search(awn_db *db, const char *query, size_t max, awn_hits **out,
           awn_error *err)
{
	return awn_search_flags(db, query, max, 0, out, err);
}

static awn_status
search_all(awn_db *db, const char *query, size_t max, unsigned flags,
           awn_hits **out, awn_error *err)
{
	struct scored *all = NULL, best = {AWN_NONE, 0, 0, 0};
	struct ranker *r = NULL;
	size_t nall = 0, i, best_part = 0;
	unsigned best_words = 0;
	awn_hits *hits;
	awn_status st = AWN_OK;

	*out = NULL;
	/* Not calloc: clearing the 20 KiB ranker would fault in every page
	 * of it, and a lookup uses a few hundred bytes of its query. */
	if ((hits = alloc_calloc(1, sizeof(*hits))) == NULL ||
	    (r = alloc_malloc(sizeof(*r))) == NULL) {
		alloc_free(hits);
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	}
	r->db = db;
	r->flags = flags;
	r->nlist = 0;
	r->q.nterm = 0;
	r->near = NULL;
	buf_init(&r->words, 0);
	for (i = 0; i < db->nparts && st == AWN_OK; i++) {
		size_t before = nall, k;
		r->part = &db->part[i];
		st = search_part(r, query, max, &all, &nall, err);
		for (k = before; k < nall && st == AWN_OK; k++)
			if (best.section == AWN_NONE ||
			    cmp_scored(&all[k], &best) < 0) {
				best = all[k];
				best_part = i;
				best_words = r->q.npositive;
				query_copy(&r->best_q, &r->q);
			}
		ranker_clear(r);
	}
	if (st == AWN_OK && nall > 0) {
		if (!(flags & AWN_SEARCH_ANY_ORDER) || nall > max) {
			qsort(all, nall, sizeof(*all), cmp_scored);
			order_copies(db, all, nall);
		}
		if (nall > max)
			nall = max;
		if ((hits->hit = alloc_reallocarray(
		         NULL, nall, sizeof(*hits->hit))) == NULL)
			st = error_set(err, AWN_ERR_NOMEM, "out of memory");
	}
	if (st == AWN_OK && nall > 0) {
		for (i = 0; i < nall; i++) {
			hits->hit[i].section = all[i].section;
			hits->hit[i].score = all[i].score;
			hits->hit[i].titled = all[i].titled;
		}
		hits->n = nall;
		hits->all_terms = best.matched == best_words;
		/* Corrections as the best part's dictionary made them. */
		r->part = &db->part[best_part];
		query_copy(&r->q, &r->best_q);
		make_correction(r, best.section, hits->corrected,
		                sizeof(hits->corrected));
	}
	alloc_free(all);
	ranker_clear(r);
	buf_free(&r->words);
	alloc_free(r->near);
	alloc_free(r);
	if (st != AWN_OK) {
		awn_hits_free(hits);
		return st;
	}
	*out = hits;
	return AWN_OK;
}

struct named_doc {
	awn_db *db;
	uint32_t doc;
};

static int
names_doc(void *ctx, const char *w, size_t n)
{
	struct named_doc *d = ctx;

	return (d->doc = db_doc_shown_as(d->db, w, n)) != AWN_NONE;
}

/* The first section of document DOC alone as *OUT (no hit if it has
 * none, or MAX is 0). */
static awn_status
doc_top(awn_db *db, uint32_t doc, size_t max, unsigned flags, awn_hits **out,
        awn_error *err)
{
	awn_hits *hits = alloc_calloc(1, sizeof(*hits));
	uint32_t first = max > 0 ? db_doc_first_section(db, doc) : AWN_NONE;

	if (hits == NULL ||
	    (first != AWN_NONE &&
	     (hits->hit = alloc_calloc(1, sizeof(*hits->hit))) == NULL)) {
		alloc_free(hits);
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	}
	if (first != AWN_NONE) {
		hits->hit[0].section = first;
		hits->hit[0].titled = (flags & AWN_SEARCH_TITLED) != 0;
		hits->n = 1;
	}
	hits->all_terms = 1;
	*out = hits;
	return AWN_OK;
}

uint32_t
awn_search_named_doc(awn_db *db, const char *query)
{
	struct named_doc d = {db, AWN_NONE};
	size_t off, len;
	unsigned nwords;

	return query_find_word(query, names_doc, &d, &off, &len, &nwords)
	           ? d.doc
	           : AWN_NONE;
}

/*
 * A word typed as a document's name is shown and not stored ("p1/README"
 * of two READMEs, as -l and completion show it) keeps the search to that
 * document, as -d does: its directories are words of no text, so as a
 * word it would find nothing.  The other words are searched there;
 * alone, it gives the document's first section.
 */
awn_status
awn_search_flags(awn_db *db, const char *query, size_t max, unsigned flags,
                 awn_hits **out, awn_error *err)
{
	struct named_doc d = {db, AWN_NONE};
	uint32_t only = db->only_doc;
	unsigned char *kept = db->kept;
	size_t off, len;
	unsigned nwords;
	char *text;
	awn_status st;

	if (!query_find_word(query, names_doc, &d, &off, &len, &nwords))
		return search_all(db, query, max, flags, out, err);
	if (nwords == 1)
		return doc_top(db, d.doc, max, flags, out, err);
	if ((text = alloc_strndup(query, strlen(query))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	memset(text + off, ' ', len);
	db->only_doc = d.doc;
	db->kept = NULL;
	st = search_all(db, text, max, flags, out, err);
	db->only_doc = only;
	db->kept = kept;
	alloc_free(text);
	return st;
}
