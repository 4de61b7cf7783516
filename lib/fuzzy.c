/*
 * fuzzy.c - the trigram index of the dictionary and misspelling lookup.
 *
 * A word with one edit keeps most of its trigrams ("$term$" padded, so
 * the ends count).  Distances and lengths count letters (code points),
 * but grams are bytes: an edit takes from the word the grams over the
 * bytes of the letters it touches and one either side, at most 2W + 2
 * for letters of at most W bytes (4 in ASCII: a transposition; 6 for a
 * swap of two letters of two bytes).  Terms sharing fewer than
 * grams(word) - (2W + 2) * distance trigrams cannot be within the
 * distance and are never decoded.  A term in NEED of the word's K gram
 * lists is in one of the K - NEED + 1 shortest: those lists alone name
 * the candidates, the longer ones only add to their counts.  A
 * candidate of the wrong length is passed over on the lengths in its
 * dictionary block's headers, without copying out a term.
 *
 * A gram's list is a binary interpolative code (Moffat and Stuiver): the
 * middle ordinal in the bits its possible range needs, then each half in
 * the range the middle leaves it.  Terms sharing a gram cluster in the
 * sorted dictionary and a run of consecutive ordinals costs no bits:
 * 18% less than varint deltas on awsdocs+tldr.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "blob-format.h"
#include "blob-write.h"
#include "fuzzy.h"
#include "utf8.h"

#define MAX_GRAMS         (TOKEN_MAX + 2)
#define MAX_CANDIDATES    4096 /* decoded per lookup at most */
#define COMMON_GRAM_TERMS 1700 /* a gram of this many terms is common */
/* Ordinals decoded per lookup at most: a run of consecutive ordinals takes
 * no bits, so a list's length does not bound its count. */
#define MAX_DECODED (1u << 22)
#define SKIPPED     ((size_t)-1)

struct gram_pair {
	uint32_t gram, term;
};

/*
 * The letters of S/N as code points in OUT (room for N), and how many:
 * an invalid byte is a letter of its own, 0x110000 + the byte, outside
 * Unicode, so that two different ones differ.  The widest letter's
 * bytes in *WIDE (may be NULL).
 */
static size_t
letters_of(const char *s, size_t n, uint32_t *out, size_t *wide)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k = 0, used, w = 1;
	uint32_t cp;

	while (i < n) {
		if (u[i] < 0x80) { /* most terms: no decoding */
			out[k++] = u[i++];
			continue;
		}
		cp = utf8_decode(u + i, n - i, &used);
		if (cp == UTF8_REPLACEMENT && used == 1)
			cp = 0x110000 + u[i];
		out[k++] = cp;
		i += used;
		if (used > w)
			w = used;
	}
	if (wide != NULL)
		*wide = w;
	return k;
}

static size_t
grams_of(const char *t, size_t len, uint32_t *out)
{
	unsigned char s[TOKEN_MAX + 2];
	uint32_t cps[TOKEN_MAX];
	size_t i, n = 0, nl;

	if (len > TOKEN_MAX)
		return 0;
	nl = letters_of(t, len, cps, NULL);
	if (nl < FUZZY_MIN_LEN - 1 || nl > FUZZY_MAX_LEN)
		return 0;
	for (i = n = 0; i < len; i++)
		n += t[i] >= '0' && t[i] <= '9';
	if (n * 2 > nl) /* numbers, versions, dates: nobody misspells those */
		return 0;
	n = 0;
	s[0] = GRAM_PAD;
	memcpy(s + 1, t, len);
	s[len + 1] = GRAM_PAD;
	for (i = 0; i + 3 <= len + 2; i++)
		out[n++] =
		    (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
	return n;
}

static int
cmp_pairs(const void *pa, const void *pb)
{
	const struct gram_pair *a = pa, *b = pb;

	if (a->gram != b->gram)
		return a->gram < b->gram ? -1 : 1;
	return (a->term > b->term) - (a->term < b->term);
}

/*
 * Sort PAIRS by gram, keeping the order of equal grams: the pairs come in
 * term order, so that is (gram, term) order.  Grams are 24 bits: two
 * counting passes of 12 bits, through a scratch copy.  Far cheaper than
 * qsort on a large dictionary (a build's single largest sort).
 */
static awn_status
sort_pairs(struct gram_pair *pairs, size_t n)
{
	struct gram_pair *tmp, *from = pairs, *to;
	size_t count[1u << 12], i, sum, c;
	unsigned shift;

	if (n < 2)
		return AWN_OK;
	if ((tmp = alloc_reallocarray(NULL, n, sizeof(*tmp))) == NULL)
		return AWN_ERR_NOMEM;
	to = tmp;
	for (shift = 0; shift < 24; shift += 12) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(from[i].gram >> shift) & 0xfff]++;
		for (i = sum = 0; i < (1u << 12); i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i].gram >> shift) & 0xfff]++] = from[i];
		to = from;
		from = from == pairs ? tmp : pairs;
	}
	alloc_free(tmp); /* two passes: the result is back in PAIRS */
	return AWN_OK;
}

/* Bits that code the values 0 .. R - 1 (R >= 1). */
static unsigned
range_bits(uint64_t r)
{
	return r > 1 ? 64 - (unsigned)__builtin_clzll(r - 1) : 0;
}

/* Bits written least significant first, into bytes from their low bit. */
struct bits_out {
	struct buf *b;
	uint64_t acc;
	unsigned n;
};

static awn_status
put_bits(struct bits_out *w, uint32_t v, unsigned nbits)
{
	w->acc |= (uint64_t)v << w->n;
	for (w->n += nbits; w->n >= 8; w->n -= 8, w->acc >>= 8)
		if (buf_addc(w->b, (unsigned char)w->acc))
			return AWN_ERR_NOMEM;
	return AWN_OK;
}

/* The terms of P[0..N), ascending and within [LO, HI]. */
static awn_status
put_interp(struct bits_out *w, const struct gram_pair *p, size_t n, uint32_t lo,
           uint32_t hi)
{
	size_t m = n / 2;
	awn_status st;

	if (n == 0)
		return AWN_OK;
	st = put_bits(w, p[m].term - lo - (uint32_t)m,
	              range_bits((uint64_t)hi - lo + 2 - n));
	if (!st && m > 0)
		st = put_interp(w, p, m, lo, p[m].term - 1);
	if (!st)
		st = put_interp(w, p + m + 1, n - m - 1, p[m].term + 1, hi);
	return st;
}

awn_status
fuzzy_write_grams(uint32_t nterms, uint32_t nsections,
                  const char *(*term)(void *ctx, uint32_t i, size_t *len,
                                      uint32_t *df),
                  void *ctx, struct buf *out)
{
	struct gram_pair *pairs = NULL;
	size_t n = 0, cap = 0, i, j, ngrams = 0;
	uint32_t g[MAX_GRAMS], df,
	    min_df = nsections >= FUZZY_RARE_SECTIONS ? 2 : 1;
	struct buf lists;
	awn_status st = AWN_OK;

	buf_init(&lists, UINT32_MAX);
	for (i = 0; i < nterms; i++) {
		size_t len, m;
		const char *t = term(ctx, (uint32_t)i, &len, &df);
		m = df >= min_df ? grams_of(t, len, g) : 0;
		if (n + m > cap) {
			size_t nc = cap ? cap * 2 : 4096;
			void *p;
			while (nc < n + m)
				nc *= 2;
			if ((p = alloc_reallocarray(pairs, nc,
			                            sizeof(*pairs))) == NULL) {
				st = AWN_ERR_NOMEM;
				goto out;
			}
			pairs = p;
			cap = nc;
		}
		for (j = 0; j < m; j++) {
			pairs[n].gram = g[j];
			pairs[n++].term = (uint32_t)i;
		}
	}
	if ((st = sort_pairs(pairs, n)))
		goto out;
	/* A term repeating a gram ("aaaa") is listed once. */
	for (i = j = 0; i < n; i++)
		if (j == 0 || cmp_pairs(&pairs[i], &pairs[j - 1]) != 0)
			pairs[j++] = pairs[i];
	n = j;
	for (i = 0; i < n; i++)
		if (i == 0 || pairs[i].gram != pairs[i - 1].gram)
			ngrams++;
	if ((st = blob_put_u32(out, (uint32_t)ngrams)))
		goto out;
	for (i = 0; i < n && !st; i = j) {
		struct bits_out w = {&lists, 0, 0};
		for (j = i; j < n && pairs[j].gram == pairs[i].gram; j++)
			;
		unsigned char key[3] = {pairs[i].gram >> 16, pairs[i].gram >> 8,
		                        pairs[i].gram};
		if ((st = blob_put_varint(&lists, j - i)) ||
		    (st = put_interp(&w, pairs + i, j - i, 0, nterms - 1)) ||
		    (st = put_bits(&w, 0, 7))) /* the last byte's rest */
			break;
		if ((st = buf_add(out, key, 3)) ||
		    (st = blob_put_u32(out, (uint32_t)lists.len)))
			break;
	}
	if (!st)
		st = buf_add(out, lists.data, lists.len);
out:
	alloc_free(pairs);
	buf_free(&lists);
	return st;
}

unsigned
fuzzy_distance(const char *sa, size_t an, const char *sb, size_t bn,
               unsigned max)
{
	unsigned row[3][TOKEN_MAX + 1], *pp = row[0], *p = row[1], *c = row[2];
	uint32_t a[TOKEN_MAX], b[TOKEN_MAX];
	size_t i, j;

	if (an > TOKEN_MAX || bn > TOKEN_MAX)
		return max + 1;
	/* Letters, not bytes: "resumé" is one edit from "résumé". */
	an = letters_of(sa, an, a, NULL);
	bn = letters_of(sb, bn, b, NULL);
	if ((an > bn ? an - bn : bn - an) > max)
		return max + 1;
	for (j = 0; j <= bn; j++)
		p[j] = (unsigned)j;
	for (i = 1; i <= an; i++) {
		unsigned lo = (unsigned)i, *t;
		c[0] = (unsigned)i;
		for (j = 1; j <= bn; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = p[j - 1] + cost;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < lo)
				lo = v;
		}
		if (lo > max)
			return max + 1;
		t = pp, pp = p, p = c, c = t;
	}
	return p[bn] > max ? max + 1 : p[bn];
}

/* The list of gram G as [*LIST, *END); -1 if absent, -2 if corrupt. */
static int
find_gram(const struct blob *b, uint32_t g, const unsigned char **list,
          const unsigned char **end)
{
	const struct blob_slice *t = &b->table[BT_TERM_GRAMS];
	uint32_t n, lo = 0, hi, from, to;
	size_t base;

	if (t->len < 4)
		return -1;
	n = blob_u32(t->p);
	if (n > (t->len - 4) / BLOB_GRAM_SIZE)
		return -2;
	base = 4 + (size_t)n * BLOB_GRAM_SIZE;
	hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const unsigned char *r =
		    t->p + 4 + (size_t)mid * BLOB_GRAM_SIZE;
		uint32_t v = (uint32_t)r[0] << 16 | (uint32_t)r[1] << 8 | r[2];
		if (v == g) {
			from = mid ? blob_u32(r - BLOB_GRAM_SIZE + 3) : 0;
			to = blob_u32(r + 3);
			if (from > to || to > t->len - base)
				return -2;
			*list = t->p + base + from;
			*end = t->p + base + to;
			return 0;
		}
		if (v < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct bits_in {
	const unsigned char *p, *end;
	uint64_t acc; /* bits not consumed yet, the next lowest */
	unsigned n;   /* how many */
};

/* The next NBITS (at most 32) bits in *V; -1 if they run out. */
static inline int
get_bits(struct bits_in *r, unsigned nbits, uint64_t *v)
{
	if (r->n < nbits) {
		if (r->end - r->p >= 8) { /* fill up to 56-63 bits at once */
			r->acc |= blob_u64(r->p) << r->n;
			r->p += (63 - r->n) >> 3;
			r->n |= 56;
		} else {
			for (; r->n < nbits; r->n += 8) {
				if (r->p == r->end)
					return -1;
				r->acc |= (uint64_t)*r->p++ << r->n;
			}
		}
	}
	*v = r->acc & ((UINT64_C(1) << nbits) - 1);
	r->acc >>= nbits;
	r->n -= nbits;
	return 0;
}

/*
 * Decode N (>= 1) ordinals within [LO, HI] into OUT: they ascend
 * strictly by construction.  -1 if the bits run out or a value leaves
 * its range.  A stack of the upper halves still to decode instead of
 * recursion: two calls an ordinal were most of the work.
 */
static int
get_interp(struct bits_in *r, uint32_t *out, size_t n, uint32_t lo, uint32_t hi)
{
	struct {
		uint32_t *out;
		size_t n;
		uint32_t lo, hi;
	} todo[64]; /* a half at most per level: n < 2^64 */
	unsigned depth = 0;
	size_t m;
	uint64_t range, v;

	/* Only the whole list can be out of its range: v < range keeps
	 * every half within its own. */
	if (hi < lo || (uint64_t)hi - lo + 1 < n)
		return -1;
	for (;;) {
		range = (uint64_t)hi - lo + 2 - n;
		if (range == 1) { /* a run: every code below takes no bits */
			for (m = 0; m < n; m++)
				out[m] = lo + (uint32_t)m;
			n = 0;
		} else {
			if (get_bits(r, range_bits(range), &v) < 0 ||
			    v >= range)
				return -1;
			m = n / 2;
			out[m] = lo + (uint32_t)m + (uint32_t)v;
			if (n - m - 1 > 0) { /* after the lower half */
				todo[depth].out = out + m + 1;
				todo[depth].n = n - m - 1;
				todo[depth].lo = out[m] + 1;
				todo[depth++].hi = hi;
			}
			hi = out[m] - 1;
			n = m;
		}
		if (n == 0) {
			if (depth == 0)
				return 0;
			depth--;
			out = todo[depth].out;
			n = todo[depth].n;
			lo = todo[depth].lo;
			hi = todo[depth].hi;
		}
	}
}

void
fuzzy_cache_init(struct fuzzy_cache *fc)
{
	fc->b = NULL;
	fc->n = 0;
	buf_init(&fc->ords, MAX_DECODED * (2 * sizeof(uint32_t) + 1));
}

void
fuzzy_cache_free(struct fuzzy_cache *fc)
{
	buf_free(&fc->ords);
	fc->n = 0;
}

/* Gram G's list in FC, as an index into its ordinals, or -1. */
static long
cached(const struct fuzzy_cache *fc, uint32_t g)
{
	unsigned i;

	for (i = 0; i < fc->n; i++)
		if (fc->gram[i] == g)
			return (long)fc->at[i];
	return -1;
}

/*
 * Where the N ordinals of gram G's list (coded at [P, END)) are in FC's
 * ordinals, in *AT: decoded there first, into the room the caller
 * reserved, unless FC has them.  -1 if the list is corrupt.
 */
static int
list_at(struct fuzzy_cache *fc, const struct blob *b, uint32_t g,
        const unsigned char *p, const unsigned char *end, size_t n, size_t *at)
{
	struct bits_in bits = {p, end, 0, 0};
	long k = cached(fc, g);

	if (k >= 0) {
		*at = (size_t)k;
		return 0;
	}
	*at = fc->ords.len / sizeof(uint32_t);
	if (get_interp(&bits, (uint32_t *)(void *)fc->ords.data + *at, n, 0,
	               b->nterms - 1) < 0)
		return -1;
	fc->ords.len += n * sizeof(uint32_t);
	fc->gram[fc->n] = g;
	fc->at[fc->n++] = *at;
	return 0;
}

/*
 * The next ordinal in ascending order over the K sorted lists
 * CAND[head[l]..stop[l]), and in how many lists it is (advancing past
 * it); 0 when all are done.  K is at most TOKEN_MAX (a gram a
 * byte), so one scan of the heads, with the lists at the minimum as
 * bits, beats sorting the concatenation.
 */
_Static_assert(TOKEN_MAX <= 64, "a list per bit of a mask");
static size_t
merge_next(const uint32_t *cand, size_t *head, const size_t *stop, size_t k,
           uint32_t *ord)
{
	uint32_t min = 0;
	uint64_t at = 0;
	size_t l, count = 0;

	for (l = 0; l < k; l++) {
		if (head[l] == stop[l])
			continue;
		if (count == 0 || cand[head[l]] < min) {
			min = cand[head[l]];
			at = UINT64_C(1) << l;
			count = 1;
		} else if (cand[head[l]] == min) {
			at |= UINT64_C(1) << l;
			count++;
		}
	}
	for (; at != 0; at &= at - 1)
		head[__builtin_ctzll(at)]++;
	*ord = min;
	return count;
}

int
fuzzy_find(const struct blob *b, struct fuzzy_cache *fc, const char *term,
           size_t len, unsigned maxd, struct dict_entry *best)
{
	uint32_t g[MAX_GRAMS], cps[TOKEN_MAX], *cand, *cord, ord;
	unsigned char *cnt;
	const unsigned char *list[MAX_GRAMS], *end[MAX_GRAMS];
	size_t glen[MAX_GRAMS], by_len[MAX_GRAMS], head[MAX_GRAMS],
	    stop[MAX_GRAMS], skipped = 0;
	size_t ng, n = 0, fresh = 0, nshort = 0, i, j, k = 0, nshortest, nc, c,
	           count, tlen, nl, wide, lost;
	long need;
	uint64_t v;
	unsigned bestd;
	struct dict_iter it, lit; /* candidates ascend: a block read once */
	struct fuzzy_cache own;
	int found = 0, r;

	if (len > TOKEN_MAX || b->table[BT_TERM_GRAMS].len == 0)
		return 0;
	nl = letters_of(term, len, cps, &wide);
	if (nl < FUZZY_MIN_LEN)
		return 0;
	if (blob_check_tables(b, BLOB_TABLE_BIT(BT_TERM_GRAMS), NULL))
		return -1;
	if (maxd > (nl >= 8 ? 2u : 1u))
		maxd = nl >= 8 ? 2 : 1;
	/* The grams an edit can take from the word: those over the bytes of
	 * the two letters a transposition swaps, and one either side. */
	lost = 2 * wide + 2;
	bestd = maxd + 1;
	memset(&it, 0, sizeof(it));
	memset(&lit, 0, sizeof(lit));
	ng = grams_of(term, len, g);
	/*
	 * Grams that half the dictionary shares ("ion") say little and cost
	 * most: leave out the commonest while enough rare ones remain to
	 * filter, lowering the count a candidate needs by as many.
	 */
	for (i = 0; i < ng; i++) {
		glen[i] = 0;
		if ((r = find_gram(b, g[i], &list[i], &end[i])) == -2)
			return -1;
		if (r == 0) {
			if (blob_varint(&list[i], end[i], &v) < 0 || v == 0 ||
			    v > b->nterms)
				return -1;
			glen[i] = (size_t)v;
			n += glen[i];
		}
	}
	while (ng - skipped > lost * maxd + 2) {
		size_t worst = ng;
		for (i = 0; i < ng; i++)
			if (glen[i] != SKIPPED &&
			    (worst == ng || glen[i] > glen[worst]))
				worst = i;
		if (worst == ng || glen[worst] < COMMON_GRAM_TERMS)
			break;
		n -= glen[worst];
		glen[worst] = SKIPPED;
		skipped++;
	}
	/* The grams a term must share, and the lists, shortest first. */
	need = (long)(ng - skipped) - (long)(lost * maxd);
	if (need < 2)
		need = 2;
	for (i = 0; i < ng; i++) {
		if (glen[i] == SKIPPED || glen[i] == 0)
			continue; /* common, or no term has it */
		for (j = k++; j > 0 && glen[by_len[j - 1]] > glen[i]; j--)
			by_len[j] = by_len[j - 1];
		by_len[j] = i;
	}
	if ((long)k < need)
		return 0; /* no term shares enough */
	if (n > MAX_DECODED)
		return 0; /* only a made-up index gets here */
	if (fc == NULL)
		fuzzy_cache_init(fc = &own);
	/* Room for every list FC lacks, so that none moves the others; a
	 * cache that would outgrow its table or cap starts over. */
	if (fc->b != b || fc->n + k > FUZZY_CACHE_LISTS ||
	    fc->ords.len / sizeof(uint32_t) + n > MAX_DECODED) {
		fc->b = b;
		fc->n = 0;
		buf_reset(&fc->ords);
	}
	for (j = 0; j < k; j++)
		if (cached(fc, g[by_len[j]]) < 0)
			fresh += glen[by_len[j]];
	/*
	 * A term in NEED of the K lists is in one of the K - NEED + 1
	 * shortest: those, merged, are the candidates.  The longer lists,
	 * one at a time and shortest first, only count for them, and are
	 * not read at all once no candidate's fate is open.
	 */
	nshortest = k - (size_t)need + 1;
	for (j = 0; j < nshortest; j++)
		nshort += glen[by_len[j]];
	if (buf_reserve(&fc->ords, (fresh + nshort) * sizeof(uint32_t) +
	                               nshort) != AWN_OK) {
		r = -2;
		goto out;
	}
	cand = (uint32_t *)(void *)fc->ords.data; /* reserved: stays put */
	cord = cand + fc->ords.len / sizeof(uint32_t) + fresh;
	cnt = (unsigned char *)(cord + nshort);
	for (j = 0; j < nshortest; j++) {
		if (list_at(fc, b, g[by_len[j]], list[by_len[j]],
		            end[by_len[j]], glen[by_len[j]], &head[j]) < 0)
			goto corrupt;
		stop[j] = head[j] + glen[by_len[j]];
	}
	for (nc = 0;
	     (count = merge_next(cand, head, stop, nshortest, &ord)) > 0;
	     nc++) {
		cord[nc] = ord;
		cnt[nc] = (unsigned char)count;
	}
	for (j = nshortest; j < k; j++) {
		const uint32_t *p, *e;
		size_t keep = 0, rest = k - 1 - j, at;
		for (c = 0; c < nc && (long)cnt[c] >= need; c++)
			;
		if (c == nc)
			break; /* none left, or all in: nothing to count */
		if (list_at(fc, b, g[by_len[j]], list[by_len[j]],
		            end[by_len[j]], glen[by_len[j]], &at) < 0)
			goto corrupt;
		p = cand + at;
		e = p + glen[by_len[j]];
		for (c = 0; c < nc; c++) {
			while (p < e && *p < cord[c])
				p++;
			if (p < e && *p == cord[c]) {
				cnt[c]++;
				p++;
			}
			/* Drop what the lists left cannot bring to NEED. */
			if ((long)(cnt[c] + rest) >= need) {
				cord[keep] = cord[c];
				cnt[keep++] = cnt[c];
			}
		}
		nc = keep;
	}
	/* Decode only the terms that share enough grams. */
	for (c = r = 0; c < nc && r < MAX_CANDIDATES; c++) {
		struct dict_entry e;
		unsigned d;
		if ((long)cnt[c] < need)
			continue;
		r++;
		/* Most candidates are too long or too short: their length
		 * alone settles it, without copying out their bytes.  An
		 * edit adds 4 bytes at most (a letter of 4 inserted), and
		 * takes at most the word's widest letter. */
		if (dict_len_at(&lit, b, cord[c], &tlen) != 1)
			goto corrupt;
		if (tlen > len + 4 * maxd || len > tlen + wide * maxd)
			continue;
		if (dict_iter_at(&it, b, cord[c], &e) != 1)
			goto corrupt;
		d = fuzzy_distance(term, len, e.term, e.len, maxd);
		if (d == 0 || d > maxd)
			continue;
		if (d < bestd || (d == bestd && e.df > best->df)) {
			*best = e;
			bestd = d;
			found = 1;
		}
	}
	r = found;
	goto out;
corrupt:
	r = -1;
out:
	if (fc == &own)
		fuzzy_cache_free(&own);
	return r;
}
