/*
 * test-dict.c - the front-coded dictionary and the trigram index of
 * typos, written and read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob-format.h"
#include "blob-read.h"
#include "blob-write.h"
#include "check.h"
#include "dict.h"
#include "fuzzy.h"

#define NTERMS 1000

static char terms[NTERMS][16];

static const char *
term_at(void *ctx, uint32_t i, size_t *len, uint32_t *df)
{
	(void)ctx;
	*len = strlen(terms[i]);
	*df = i + 1; /* as written to the dictionary */
	return terms[i];
}

static const char *const small[] = {"abc", "abd", "abe", "qza", "qzb",
                                    "qzc", "xaa", "xab", "xac", "xad"};

static const char *
small_at(void *ctx, uint32_t i, size_t *len, uint32_t *df)
{
	(void)ctx;
	*len = strlen(small[i]);
	*df = 1;
	return small[i];
}

/* The list of gram "$qz" (terms 3, 4, 5 of 10) is the spec's example. */
static void
check_gram_code(void)
{
	struct buf g;
	uint32_t n, i, from = 0, to = 0;

	buf_init(&g, 0);
	CHECK_INT(fuzzy_write_grams(10, 1, small_at, NULL, &g), AWN_OK);
	n = blob_u32((const unsigned char *)g.data);
	for (i = 0; i < n; i++, from = to) {
		const unsigned char *r =
		    (const unsigned char *)g.data + 4 + BLOB_GRAM_SIZE * i;
		to = blob_u32(r + 3);
		if (memcmp(r, "$qz", 3) == 0)
			break;
	}
	CHECK(i < n);
	CHECK_INT(to - from, 2);
	CHECK_INT((unsigned char)g.data[4 + BLOB_GRAM_SIZE * n + from], 3);
	CHECK_INT((unsigned char)g.data[4 + BLOB_GRAM_SIZE * n + from + 1],
	          0x1B);
	buf_free(&g);
}

/* Is gram G one of the windows of T padded with GRAM_PAD? */
static int
has_gram(const char *t, const char *g)
{
	char s[TOKEN_MAX + 3];
	size_t i, n = strlen(t);

	s[0] = GRAM_PAD;
	memcpy(s + 1, t, n);
	s[n + 1] = GRAM_PAD;
	for (i = 0; i + 3 <= n + 2; i++)
		if (memcmp(s + i, g, 3) == 0)
			return 1;
	return 0;
}

/*
 * fuzzy_find over the NTERMS terms by its definition, term by term: of
 * the terms with at least max(grams - 4 * maxd, 2) of W's grams (each
 * gram of W counted once a window; no gram is common among 1000 terms),
 * the closest within MAXD, then the one in more sections (df i + 1).
 * The ordinal, or -1.
 */
static long
fuzzy_slow(const char *w, unsigned maxd)
{
	char s[TOKEN_MAX + 3];
	size_t n = strlen(w), i, k, need;
	unsigned d, bestd;
	long best = -1;

	if (maxd > (n >= 8 ? 2u : 1u))
		maxd = n >= 8 ? 2 : 1;
	need = n > 4 * maxd + 2 ? n - 4 * maxd : 2;
	bestd = maxd + 1;
	s[0] = GRAM_PAD;
	memcpy(s + 1, w, n);
	s[n + 1] = GRAM_PAD;
	for (i = 0; i < NTERMS; i++) {
		size_t count = 0;
		for (k = 0; k + 3 <= n + 2; k++)
			count += (size_t)has_gram(terms[i], s + k);
		if (count < need)
			continue;
		d = fuzzy_distance(w, n, terms[i], strlen(terms[i]), maxd);
		if (d > 0 && d <= maxd &&
		    (d < bestd || (d == bestd && (long)i > best))) {
			best = (long)i;
			bestd = d;
		}
	}
	return best;
}

/* Misspell terms every way (drop, add, change, swap; one or two
 * edits) and compare fuzzy_find with fuzzy_slow. */
static void
check_fuzzy_slow(const struct blob *b)
{
	uint32_t seed = 1, i, k;
	struct dict_entry e;
	struct fuzzy_cache fc; /* across all: kept lists, and starting over */

	fuzzy_cache_init(&fc);

	for (i = 0; i < 600; i++) {
		char w[TOKEN_MAX + 1];
		unsigned maxd = 1 + i % 2;
		long want;
		int r;
		strcpy(w, terms[(i * 7) % NTERMS]);
		for (k = 0; k < 1 + i % 3; k++) {
			size_t n = strlen(w), at;
			seed = seed * 1103515245 + 12345;
			at = (seed >> 8) % n;
			switch ((seed >> 4) % 4) {
			case 0: /* drop */
				memmove(w + at, w + at + 1, n - at);
				break;
			case 1: /* add */
				memmove(w + at + 1, w + at, n - at + 1);
				w[at] = (char)('a' + (seed >> 20) % 26);
				break;
			case 2: /* change */
				w[at] = (char)('a' + (seed >> 20) % 26);
				break;
			default: /* swap */
				if (at + 1 < n) {
					char c = w[at];
					w[at] = w[at + 1];
					w[at + 1] = c;
				}
			}
		}
		want = fuzzy_slow(w, maxd);
		r = fuzzy_find(b, i % 4 ? &fc : NULL, w, strlen(w), maxd, &e);
		CHECK_INT(r, want >= 0);
		if (r == 1 && want >= 0)
			CHECK_STR(e.term, terms[want]);
	}
	fuzzy_cache_free(&fc);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Blob B over the N sorted terms AT gives (term i with its df and a list
 * of df + i % 23 bytes), into TAB, IDX and GRAMS (initialised here, freed
 * by the caller).
 */
static void
build(struct blob *b, uint32_t n,
      const char *(*at)(void *, uint32_t, size_t *, uint32_t *),
      struct buf *tab, struct buf *idx, struct buf *grams)
{
	struct dict_writer w;
	uint32_t i, df;
	size_t len;

	buf_init(tab, 0);
	buf_init(idx, 0);
	buf_init(grams, 0);
	dict_writer_init(&w, tab, idx, NULL);
	for (i = 0; i < n; i++) {
		const char *t = at(NULL, i, &len, &df);
		CHECK_INT(dict_writer_add(&w, t, len, df, df + i % 23), AWN_OK);
	}
	CHECK_INT(fuzzy_write_grams(n, 1, at, NULL, grams), AWN_OK);
	memset(b, 0, sizeof(*b));
	b->name = "test";
	b->nterms = n;
	b->checked = UINT32_MAX; /* tables made here have no CRCs to check */
	b->table[BT_TERMS].p = (const unsigned char *)tab->data;
	b->table[BT_TERMS].len = tab->len;
	b->table[BT_TERM_BLOCKS].p = (const unsigned char *)idx->data;
	b->table[BT_TERM_BLOCKS].len = idx->len;
	b->table[BT_TERM_GRAMS].p = (const unsigned char *)grams->data;
	b->table[BT_TERM_GRAMS].len = grams->len;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Words of letters of two, three and four bytes, sorted as bytes. */
static const char *intl[] = {
    "kitten",   "mañana", "naïveté",          "résumé",     "straße", "zürich",
    "ελληνικά", "облако", "программирование", "東京都庁舎", "𝒜𝒷𝒸𝒹𝑒"};
#define NINTL (sizeof(intl) / sizeof(intl[0]))

static const char *
intl_at(void *ctx, uint32_t i, size_t *len, uint32_t *df)
{
	(void)ctx;
	*len = strlen(intl[i]);
	*df = 1;
	return intl[i];
}

/* Letter I of W (bytes [*FROM, *TO)), by its lead byte. */
static int
letter(const char *w, size_t i, size_t *from, size_t *to)
{
	size_t p = 0, k = 0;

	for (;;) {
		size_t n = 1;
		/* The NUL first: its next byte is past the string. */
		if (w[p] == '\0')
			return 0;
		while ((w[p + n] & 0xC0) == 0x80)
			n++;
		if (k++ == i) {
			*from = p;
			*to = p + n;
			return 1;
		}
		p += n;
	}
}

/*
 * A word of letters wider than a byte, misspelt by one letter every way
 * at every place (dropped, swapped with the next, replaced or preceded
 * by a letter of two bytes), is one edit from itself and found: the
 * trigram filter, over bytes, lets through what the distance, over
 * letters, accepts.  A swap of two 4-byte letters takes 10 of its grams.
 * (Words of 6 letters or more: "niave" shares one gram with "naive", one
 * less than any candidate needs, in ASCII as in "nïave" and "naïve".)
 */
static void
check_letters(void)
{
	struct buf tab, idx, grams;
	struct dict_entry e;
	struct blob b;
	size_t i, k, from, to, from2, to2;
	char w[TOKEN_MAX + 8];

	qsort(intl, NINTL, sizeof(intl[0]), cmp_str);
	build(&b, NINTL, intl_at, &tab, &idx, &grams);
	for (i = 0; i < NINTL; i++) {
		const char *t = intl[i];
		size_t n = strlen(t);
		for (k = 0; letter(t, k, &from, &to); k++) {
			unsigned how;
			for (how = 0; how < 4; how++) {
				size_t m = from, rest = to;
				memcpy(w, t, from);
				if (how == 1) { /* swap with the next */
					if (!letter(t, k + 1, &from2, &to2))
						continue;
					memcpy(w + m, t + from2, to2 - from2);
					m += to2 - from2;
					memcpy(w + m, t + from, to - from);
					m += to - from;
					rest = to2;
				} else if (how >= 2) { /* replace, add */
					memcpy(w + m, "ж", 2);
					m += 2;
					rest = how == 3 ? from : to;
				}
				memcpy(w + m, t + rest, n - rest);
				m += n - rest;
				w[m] = '\0';
				if (strcmp(w, t) == 0)
					continue; /* "ll" swapped */
				CHECK_INT(fuzzy_distance(w, m, t, n, 2), 1);
				CHECK_INT(fuzzy_find(&b, NULL, w, m, 1, &e), 1);
				CHECK_STR(e.term, t);
			}
		}
	}
	/* ASCII to letters of two bytes: "resume" is two from résumé. */
	CHECK_INT(fuzzy_find(&b, NULL, "resume", 6, 2, &e), 0);
	CHECK_INT(fuzzy_find(&b, NULL, "zurich", 6, 1, &e), 1);
	CHECK_STR(e.term, "zürich");
	/* Terms longer than FUZZY_MAX_LEN bytes but not letters are in the
	 * trigram index (programmirovanie is 32 bytes, 16 letters). */
	CHECK_INT(fuzzy_find(&b, NULL, "программирвание", 29, 2, &e), 1);
	CHECK_STR(e.term, "программирование");
	/* Three letters are too few to correct, whatever their bytes. */
	CHECK_INT(fuzzy_find(&b, NULL, "обл", 6, 1, &e), 0);
	buf_free(&tab);
	buf_free(&idx);
	buf_free(&grams);
}

/* One term "a" of df DF1 + 1 and list length DF1 + 1 + EXTRA, with
 * both nibbles escaped; what dict_find makes of it. */
static int
find_escaped(struct blob *b, uint64_t df1, uint64_t extra, struct dict_entry *e)
{
	struct buf tab, idx;
	int r;

	buf_init(&tab, 0);
	buf_init(&idx, 0);
	CHECK_INT(buf_add(&tab,
	                  "\x01"
	                  "a\xff",
	                  3),
	          AWN_OK);
	CHECK_INT(blob_put_varint(&tab, df1 - DICT_NIBBLE), AWN_OK);
	CHECK_INT(blob_put_varint(&tab, extra - DICT_NIBBLE), AWN_OK);
	CHECK_INT(blob_put_u32(&idx, 0), AWN_OK);
	CHECK_INT(blob_put_u64(&idx, 0), AWN_OK);
	b->nterms = 1;
	b->table[BT_TERMS].p = (const unsigned char *)tab.data;
	b->table[BT_TERMS].len = tab.len;
	b->table[BT_TERM_BLOCKS].p = (const unsigned char *)idx.data;
	b->table[BT_TERM_BLOCKS].len = idx.len;
	r = dict_find(b, "a", 1, e);
	buf_free(&tab);
	buf_free(&idx);
	return r;
}

/* Escaped counts up to a list of UINT32_MAX bytes, none past it. */
static void
check_nibbles(struct blob *b)
{
	struct dict_entry e;

	CHECK_INT(find_escaped(b, 15, UINT32_MAX - 16, &e), 1);
	CHECK_INT(e.df, 16);
	CHECK_INT(e.post_len, UINT32_MAX);
	CHECK(find_escaped(b, 15, UINT32_MAX - 15, &e) < 0);
	CHECK(find_escaped(b, UINT32_MAX, 15, &e) < 0);
	CHECK(find_escaped(b, UINT32_MAX - 1, 15, &e) < 0);
	CHECK(find_escaped(b, (uint64_t)UINT32_MAX + 15, 15, &e) < 0);
}

#define NKEYED 3000

static char keyed[NKEYED][24];

/*
 * TERM_KEYS: 3,000 terms (94 blocks, 12 keys) whose first 8 bytes tie
 * across many blocks ("sharedpr..."), differ at once ("a000"), or are
 * shorter than a key: each is found with the keys as without them, so
 * is each absent neighbour's place, and damaged keys stay in bounds.
 */
static void
check_keys(void)
{
	struct buf tab, idx, keys;
	struct dict_writer w;
	struct dict_entry e, f;
	struct dict_iter it;
	struct blob b;
	uint32_t i, j, k;
	char probe[32];

	for (i = 0; i < NKEYED; i++)
		snprintf(keyed[i], sizeof(keyed[i]),
		         i % 3 == 0   ? "a%03u"
		         : i % 3 == 1 ? "sharedprefix%05u"
		                      : "z%u",
		         i);
	qsort(keyed, NKEYED, sizeof(keyed[0]), cmp);
	buf_init(&tab, 0);
	buf_init(&idx, 0);
	buf_init(&keys, 0);
	dict_writer_init(&w, &tab, &idx, &keys);
	for (i = 0; i < NKEYED; i++)
		CHECK_INT(dict_writer_add(&w, keyed[i], strlen(keyed[i]), 1, 1),
		          AWN_OK);
	k = (NKEYED + DICT_BLOCK_TERMS - 1) / DICT_BLOCK_TERMS;
	k = (k + DICT_KEY_STRIDE - 1) / DICT_KEY_STRIDE;
	CHECK_INT(keys.len, 4 + (size_t)k * DICT_KEY_SIZE);
	CHECK_INT(blob_u32((const unsigned char *)keys.data), DICT_KEY_STRIDE);
	memset(&b, 0, sizeof(b));
	b.name = "test";
	b.nterms = NKEYED;
	b.checked = UINT32_MAX;
	b.table[BT_TERMS].p = (const unsigned char *)tab.data;
	b.table[BT_TERMS].len = tab.len;
	b.table[BT_TERM_BLOCKS].p = (const unsigned char *)idx.data;
	b.table[BT_TERM_BLOCKS].len = idx.len;
	for (k = 0; k < 2; k++) {
		/* k 0: with the keys; k 1: without, as older blobs are. */
		b.table[BT_TERM_KEYS].p =
		    k == 0 ? (const unsigned char *)keys.data : NULL;
		b.table[BT_TERM_KEYS].len = k == 0 ? keys.len : 0;
		for (i = 0; i < NKEYED; i++) {
			CHECK_INT(dict_find(&b, keyed[i], strlen(keyed[i]), &e),
			          1);
			CHECK_INT(e.ordinal, i);
			/* Just before and just after: the iterator's place. */
			snprintf(probe, sizeof(probe), "%s", keyed[i]);
			probe[strlen(probe) - 1]--;
			CHECK_INT(
			    dict_iter_start(&it, &b, probe, strlen(probe)), 0);
			CHECK_INT(dict_next(&it, &f), 1);
			CHECK(strcmp(f.term, probe) >= 0 && f.ordinal <= i);
			snprintf(probe, sizeof(probe), "%s~", keyed[i]);
			CHECK_INT(dict_find(&b, probe, strlen(probe), &e), 0);
			for (j = i + 1;
			     j < NKEYED && strcmp(keyed[j], probe) < 0; j++)
				;
			CHECK_INT(
			    dict_iter_start(&it, &b, probe, strlen(probe)), 0);
			CHECK_INT(dict_next(&it, &f), j < NKEYED ? 1 : 0);
			if (j < NKEYED)
				CHECK_INT(f.ordinal, j);
		}
		CHECK_INT(dict_find(&b, "", 0, &e), 0);
		CHECK_INT(dict_find(&b, "0", 1, &e), 0);
		CHECK_INT(dict_iter_start(&it, &b, "0", 1), 0);
		CHECK_INT(dict_next(&it, &f), 1);
		CHECK_INT(f.ordinal, 0);
		CHECK_INT(dict_find(&b, "zzzzzzzzzzzz", 12, &e), 0);
	}
	/* Damaged keys: in any order, the search stays in the blocks. */
	b.table[BT_TERM_KEYS].p = (const unsigned char *)keys.data;
	b.table[BT_TERM_KEYS].len = keys.len;
	for (k = 4; k < keys.len; k++)
		keys.data[k] = (char)(k * 37);
	for (i = 0; i < NKEYED; i += 7) {
		int r = dict_find(&b, keyed[i], strlen(keyed[i]), &e);
		CHECK(r == 0 || r == 1);
		CHECK_INT(dict_iter_start(&it, &b, keyed[i], strlen(keyed[i])),
		          0);
		CHECK(dict_next(&it, &f) >= 0);
	}
	/* A stride of 0 or a table of another size: no keys at all. */
	blob_store_u32((unsigned char *)keys.data, 0);
	CHECK_INT(dict_find(&b, keyed[5], strlen(keyed[5]), &e), 1);
	blob_store_u32((unsigned char *)keys.data, DICT_KEY_STRIDE);
	b.table[BT_TERM_KEYS].len = keys.len - 1;
	CHECK_INT(dict_find(&b, keyed[5], strlen(keyed[5]), &e), 1);
	b.table[BT_TERM_KEYS].len = 3;
	CHECK_INT(dict_find(&b, keyed[5], strlen(keyed[5]), &e), 1);
	buf_free(&tab);
	buf_free(&idx);
	buf_free(&keys);
}

int
main(void)
{
	struct buf tab, idx, grams;
	struct dict_writer w;
	struct dict_entry e;
	struct dict_iter it;
	struct blob b;
	uint32_t i, n;
	uint64_t off = 0;

	check_gram_code();
	check_letters();
	check_keys();

	/* Sorted, distinct terms with shared prefixes, as a dictionary has. */
	for (i = 0; i < NTERMS; i++)
		snprintf(terms[i], sizeof(terms[i]), "%s%03u",
		         i % 3 ? "dynamo" : "lambda", i);
	qsort(terms, NTERMS, sizeof(terms[0]), cmp);
	strcpy(terms[NTERMS - 1], "zzcloudfront");

	build(&b, NTERMS, term_at, &tab, &idx, &grams);
	/* A list takes a byte a posting at least: shorter ones are refused. */
	dict_writer_init(&w, &tab, &idx, NULL);
	CHECK_INT(dict_writer_add(&w, "zzz", 3, 5, 4), AWN_ERR_ARG);
	CHECK_INT(dict_writer_add(&w, "zzz", 3, 0, 4), AWN_ERR_ARG);
	/* Front coding pays: far less than the terms' own bytes. */
	CHECK(tab.len < NTERMS * 9);

	/* Every term is found, with its statistics and posting offset. */
	for (i = 0; i < NTERMS; i++) {
		CHECK_INT(dict_find(&b, terms[i], strlen(terms[i]), &e), 1);
		CHECK_STR(e.term, terms[i]);
		CHECK_INT(e.ordinal, i);
		CHECK_INT(e.df, i + 1);
		CHECK_INT(e.post_len, i + 1 + i % 23);
		CHECK_INT(e.post_off, off);
		off += i + 1 + i % 23;
		CHECK_INT(dict_at(&b, i, &e), 1);
		CHECK_STR(e.term, terms[i]);
	}
	/* Lengths alone, through one iterator: every term, every third
	 * (skipping within and across blocks), and back to the start. */
	for (n = 1; n <= 3; n += 2) {
		size_t len;
		memset(&it, 0, sizeof(it));
		for (i = 0; i < NTERMS; i += n) {
			CHECK_INT(dict_len_at(&it, &b, i, &len), 1);
			CHECK_INT(len, strlen(terms[i]));
		}
		CHECK_INT(dict_len_at(&it, &b, 0, &len), 1);
		CHECK_INT(len, strlen(terms[0]));
		CHECK_INT(dict_len_at(&it, &b, NTERMS, &len), 0);
	}
	/* Absent terms, before, between and after. */
	CHECK_INT(dict_find(&b, "aaa", 3, &e), 0);
	CHECK_INT(dict_find(&b, "dynamo0010", 10, &e), 0);
	CHECK_INT(dict_find(&b, "zzz", 3, &e), 0);
	CHECK_INT(dict_at(&b, NTERMS, &e), 0);
	/* Iteration from a prefix walks in order. */
	CHECK_INT(dict_iter_start(&it, &b, "lambda", 6), 0);
	for (n = 0;
	     dict_next(&it, &e) == 1 && strncmp(e.term, "lambda", 6) == 0;)
		n++;
	CHECK_INT(n, 333); /* lambda000..lambda999 by 3, less the one renamed */

	/* Typos: one edit, a transposition, and nothing for far misses. */
	CHECK_INT(fuzzy_find(&b, NULL, "zzclodfront", 11, 2, &e), 1);
	CHECK_STR(e.term, "zzcloudfront");
	CHECK_INT(fuzzy_find(&b, NULL, "zzcluodfront", 12, 2, &e), 1);
	CHECK_STR(e.term, "zzcloudfront");
	CHECK_INT(fuzzy_find(&b, NULL, "qqqqqqqq", 8, 2, &e), 0);
	CHECK_INT(fuzzy_find(&b, NULL, "dynamp001", 9, 2, &e), 1);
	CHECK_STR(e.term, "dynamo001"); /* df 1, kept in small notes */
	check_fuzzy_slow(&b);

	/* In a large corpus a term of one section is nobody's correction. */
	buf_free(&grams);
	buf_init(&grams, 0);
	CHECK_INT(fuzzy_write_grams(NTERMS, FUZZY_RARE_SECTIONS, term_at, NULL,
	                            &grams),
	          AWN_OK);
	b.table[BT_TERM_GRAMS].p = (const unsigned char *)grams.data;
	b.table[BT_TERM_GRAMS].len = grams.len;
	CHECK_INT(fuzzy_find(&b, NULL, "dynamp001", 9, 2, &e), 1);
	CHECK(strcmp(e.term, "dynamo001") != 0);
	CHECK_INT(fuzzy_find(&b, NULL, "zzclodfront", 11, 2, &e), 1);
	CHECK_STR(e.term, "zzcloudfront");
	/* Damaged lists: a count past nterms, codes out of range. */
	{
		uint32_t ng = blob_u32((const unsigned char *)grams.data);
		size_t lists = 4 + (size_t)ng * BLOB_GRAM_SIZE, at;
		for (at = lists; at < grams.len; at++)
			grams.data[at] = (char)0xFF;
		CHECK_INT(fuzzy_find(&b, NULL, "zzclodfront", 11, 2, &e), -1);
		for (at = lists; at < grams.len; at++)
			grams.data[at] = (char)0x01; /* count 1, codes of 1s */
		CHECK(fuzzy_find(&b, NULL, "zzclodfront", 11, 2, &e) <= 0);
		b.table[BT_TERM_GRAMS].len = lists + 1; /* bits run out */
		CHECK(fuzzy_find(&b, NULL, "zzclodfront", 11, 2, &e) <= 0);
	}
	CHECK_INT(fuzzy_distance("kitten", 6, "sitting", 7, 5), 3);
	CHECK_INT(fuzzy_distance("abcd", 4, "abdc", 4, 2), 1);
	CHECK_INT(fuzzy_distance("abcd", 4, "wxyz", 4, 1), 2); /* capped */
	/* Letters, not bytes, whatever their width. */
	CHECK_INT(fuzzy_distance("resumé", 7, "résumé", 8, 2), 1);
	CHECK_INT(fuzzy_distance("resume", 6, "résumé", 8, 2), 2);
	CHECK_INT(fuzzy_distance("тчока", 10, "точка", 10, 2), 1);
	CHECK_INT(fuzzy_distance("東京都庁", 12, "東京都廳", 12, 2), 1);
	CHECK_INT(fuzzy_distance("𝒜𝒷𝒸", 12, "𝒜𝒸", 8, 2), 1);
	CHECK_INT(fuzzy_distance("ééééé", 10, "éé", 4, 2), 3); /* capped */
	/* An invalid byte is a letter, each one its own. */
	CHECK_INT(fuzzy_distance("ab\xff\xfe", 4, "ab\xfe\xff", 4, 2), 1);
	CHECK_INT(fuzzy_distance("ab\xff"
	                         "c",
	                         4,
	                         "ab\xfe"
	                         "c",
	                         4, 2),
	          1);
	CHECK_INT(fuzzy_distance("ab\xc3", 3, "abé", 4, 2), 1);
	CHECK_INT(fuzzy_distance("ab\xc3\xa9", 4, "abé", 4, 2), 0);

	/* A corrupt dictionary is reported, never read out of bounds. */
	tab.data[tab.len / 2] = (char)0xFF;
	tab.data[tab.len / 2 + 1] = (char)0xFF;
	for (i = 0; i < NTERMS; i++)
		(void)dict_find(&b, terms[i], strlen(terms[i]), &e);
	b.table[BT_TERMS].len = 3; /* truncated */
	CHECK(dict_find(&b, terms[NTERMS - 1], strlen(terms[NTERMS - 1]), &e) <=
	      0);
	{
		size_t len;
		memset(&it, 0, sizeof(it));
		CHECK_INT(dict_len_at(&it, &b, NTERMS - 1, &len), -1);
		memset(&it, 0, sizeof(it));
		CHECK_INT(dict_len_at(&it, &b, 1, &len), -1); /* runs out */
	}

	check_nibbles(&b);
	buf_free(&tab);
	buf_free(&idx);
	buf_free(&grams);
	return check_status();
}
