/*
 * test-skips.c - long posting lists read block by block (POST_SKIPS).
 *
 * Generated notes give lists of lengths around the block edges, with
 * title postings, large tf and rare words before, inside and after each
 * block; every query must rank exactly as it does with the table hidden
 * (the whole list decoded, as a blob without it is read), for 2,000
 * hits and for the leading 5, where the ranker prunes.  Then the
 * table is damaged field by field (decoded, changed, encoded again and
 * put at the end of the blob, checksums fixed): each damage must give a
 * clean "corrupt blob" error, never a wrong answer or a bad read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "blob-fix.h"
#include "blob-format.h"
#include "check.h"
#include "db.h"

#define NSEC   7000
#define NRARE  24
#define MAXBLK 64

static uint64_t seed = 88172645463325252u;

static uint32_t
rnd(uint32_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed % n);
}

/* Long words and their list lengths: a whole number of blocks, one
 * posting more or less, under and at the writer's threshold.  "golf"
 * has tf 1 but in a few sections (PEAK), so that its blocks' largest tf
 * differ: a bound that takes another block's is too low (the ranker
 * leaves such a list unread at a candidate that bound rules out). */
#define PEAK 150
static const struct {
	const char *word;
	uint32_t df;
	unsigned title_pct;
} longw[] = {
    {"alpha", POST_SKIP_MIN, 10},
    {"bravo", POST_SKIP_MIN - 1, 5},
    {"charlie", POST_SKIP_MIN + 2 * POST_SKIP_B, 20},
    {"delta", POST_SKIP_MIN + 2 * POST_SKIP_B + 1, 2},
    {"echo", 6000, 35},
    {"foxtrot", POST_SKIP_MIN + 3 * POST_SKIP_B - 1, 0},
    {"golf", POST_SKIP_MIN + 5 * POST_SKIP_B + 17, 25},
};
#define NLONG (sizeof(longw) / sizeof(longw[0]))
#define GOLF  (NLONG - 1)
/* Those with blocks, in dictionary order, as the table lists them. */
static const char *const listed[] = {"alpha", "charlie", "delta",
                                     "echo",  "foxtrot", "golf"};

static unsigned char has[NLONG][NSEC], titled[NLONG][NSEC];
static unsigned char rare_at[NRARE][NSEC];
/* Words of 60 to 400 sections ("hotel", "india", "echoed"), enough for
 * the leading KEEP to match every word of a query with a long one:
 * then the ranker reads the long lists only where the bounds say; and
 * golf's peaks, most of them with hotel, some titled.  "echoed" and
 * "echo" are forms of one word, each the other's alternative (query.c):
 * a long list as an alternative left unread. */
#define NMID 3
static const struct {
	const char *word;
	uint32_t df;
	unsigned title_pct;
} midw[NMID] = {{"hotel", 400, 8}, {"india", 60, 0}, {"echoed", 150, 30}};
static unsigned char mid_at[NMID][NSEC], mid_titled[NMID][NSEC];
static unsigned char peak[NSEC];

static void
pick(unsigned char *set, uint32_t want)
{
	while (want > 0) {
		uint32_t s = rnd(NSEC);
		if (!set[s]) {
			set[s] = 1;
			want--;
		}
	}
}

/* Section S's own word ("qbac"), of df 1, into OUT. */
static void
own_word(uint32_t s, char *out, size_t size)
{
	char own[8];
	uint32_t t, k;

	for (t = s, k = 0; k == 0 || t > 0; t /= 26)
		own[k++] = (char)('a' + t % 26);
	own[k] = '\0';
	snprintf(out, size, "q%s", own);
}

/* The notes, in a malloc'd string: three documents' worth of sections
 * in one file, nested three deep. */
static char *
make_notes(size_t *len)
{
	/* Room for the longest section: six words 200 times each. */
	size_t cap = (size_t)NSEC * 2500 + 20000, n = 0;
	char *md = malloc(cap);
	uint32_t s, w, k, t;

	for (w = 0; w < NLONG; w++) {
		pick(has[w], longw[w].df);
		for (s = 0; s < NSEC; s++)
			titled[w][s] =
			    has[w][s] && rnd(100) < longw[w].title_pct;
	}
	for (k = 0; k < 14; k++) {
		s = rnd(NSEC);
		peak[s] = has[GOLF][s] = 1;
		titled[GOLF][s] = k % 2;
		mid_at[0][s] = k % 4 != 3;
	}
	/* Peaks that start a block of golf's: a bound must take the
	 * block a section is in, not the one before it. */
	for (s = 0, k = 0; s < NSEC; s++)
		if (has[GOLF][s] && k++ % (4 * POST_SKIP_B) == 2 * POST_SKIP_B)
			peak[s] = mid_at[0][s] = mid_at[1][s] = 1;
	for (w = 0; w < NMID; w++) {
		uint32_t want = midw[w].df;
		for (s = 0; s < NSEC; s++)
			want -= mid_at[w][s];
		pick(mid_at[w], want);
		for (s = 0; s < NSEC; s++)
			mid_titled[w][s] =
			    mid_at[w][s] && rnd(100) < midw[w].title_pct;
	}
	for (k = 0; k < NRARE; k++) {
		/* Before the first block, at either end, and anywhere. */
		rare_at[k][k % 3 == 0   ? 0
		           : k % 3 == 1 ? NSEC - 1
		                        : rnd(40)] = 1;
		for (t = rnd(6); t > 0; t--)
			rare_at[k][rnd(NSEC)] = 1;
	}
	for (s = 0; s < NSEC; s++) {
		/* Each section's own words, of df 1: "qbac", "wbac". */
		char own[9];
		own_word(s, own, sizeof own);
		n += (size_t)snprintf(md + n, cap - n, "%s %s",
		                      s % 97 == 0  ? "#"
		                      : s % 9 == 0 ? "##"
		                                   : "###",
		                      own);
		for (w = 0; w < NLONG; w++)
			if (titled[w][s])
				n += (size_t)snprintf(md + n, cap - n, " %s",
				                      longw[w].word);
		for (w = 0; w < NMID; w++)
			if (mid_titled[w][s])
				n += (size_t)snprintf(md + n, cap - n, " %s",
				                      midw[w].word);
		n += (size_t)snprintf(md + n, cap - n, "\n\nw%s", own + 1);
		for (w = 0; w < NLONG; w++) {
			/* tf 1 to 3 is stored inline; 40 and 200 are not. */
			static const unsigned tfs[] = {1, 1, 2, 3, 4, 40, 200};
			unsigned tf = tfs[rnd(7)];
			if (w == GOLF)
				tf = peak[s] ? PEAK : 1;
			/* A titled peak has its text too: a title's tf is
			 * not bounded by its block's largest. */
			if (!has[w][s] || (titled[w][s] && !peak[s]))
				continue;
			while (tf-- > 0)
				n += (size_t)snprintf(md + n, cap - n, " %s",
				                      longw[w].word);
		}
		for (w = 0; w < NMID; w++)
			if (mid_at[w][s] && !mid_titled[w][s])
				n += (size_t)snprintf(md + n, cap - n, " %s",
				                      midw[w].word);
		for (k = 0; k < NRARE; k++)
			if (rare_at[k][s])
				n += (size_t)snprintf(md + n, cap - n,
				                      " zulu%c%c", 'a' + k % 26,
				                      'a' + k / 26);
		n += (size_t)snprintf(md + n, cap - n, ".\n\n");
		if (n + 10000 > cap)
			abort();
	}
	*len = n;
	return md;
}

static uint8_t *
build(const char *md, size_t mdlen, size_t *len)
{
	awn_builder *b = NULL;
	void *blob = NULL;

	if (awn_builder_new(&b, NULL) != AWN_OK ||
	    awn_builder_add_markdown(b, "notes", md, mdlen, NULL) != AWN_OK ||
	    awn_builder_write_memory(b, &blob, len, NULL) != AWN_OK)
		abort();
	awn_builder_free(b);
	return blob;
}

/* Every list with blocks read by them, not only where it pays. */
static int force_blocks = 1;
/* Hits asked for: with 2,000 the ranker keeps nearly every candidate;
 * with 5 it keeps its least (RECHECK) and prunes by the bounds, so that
 * a bound too low (or a title's fields not read) changes what it
 * keeps. */
static size_t nhits = 2000;

/* Candidates bounded with lists left unread, in the titled pass and
 * the other (db->check_parked), and those whose bound was under the
 * one with the lists read. */
static unsigned long parked_out[2], parked_wrong;

/*
 * Every hit of QUERY in P/LEN (a copy is opened, its checksums fixed),
 * with exact scores, into OUT; or "error: " and the message.
 */
static void
answer(const uint8_t *p, size_t len, const char *query, char *out, size_t size)
{
	uint8_t *copy = malloc(len);
	awn_db *db = NULL;
	awn_hits *hits = NULL;
	awn_error err;
	size_t i, n = 0;

	memcpy(copy, p, len);
	blob_fix_checksums(copy, len);
	out[0] = '\0';
	if (awn_db_open_memory(&db, copy, len, "skips", &err) == AWN_OK) {
		db->blocks_always = force_blocks;
		db->check_parked = 1;
	}
	if (db == NULL || awn_search(db, query, nhits, &hits, &err) != AWN_OK) {
		snprintf(out, size, "error: %s", err.detail);
		awn_db_free(db);
		return;
	}
	parked_out[0] += db->parked_out[0];
	parked_out[1] += db->parked_out[1];
	parked_wrong += db->parked_wrong;
	for (i = 0; i < hits->n && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%u:%.17g ",
		                      (unsigned)hits->hit[i].section,
		                      hits->hit[i].score);
	awn_hits_free(hits);
	awn_db_free(db);
}

static char got[1 << 17], want[1 << 17];
static unsigned nonempty; /* answers with hits */

/* QUERY ranks alike with the table (P) and without it (HIDDEN). */
static void
same(const uint8_t *p, const uint8_t *hidden, size_t len, const char *query)
{
	answer(hidden, len, query, want, sizeof(want));
	answer(p, len, query, got, sizeof(got));
	nonempty += want[0] != '\0';
	if (strcmp(got, want) != 0 || strncmp(want, "error", 5) == 0) {
		fprintf(stderr, "%s: differs\n got %.200s\nwant %.200s\n",
		        query, got, want);
		check_failures++;
	}
}

/* ---- the table, decoded and encoded again ------------------------------ */

struct block {
	uint64_t d, o, nt, tm, ts;
	uint64_t title[POST_SKIP_B];
};

struct list {
	uint32_t ordinal;
	uint32_t n;
	struct block b[MAXBLK];
};

struct skips {
	uint32_t bsize, n;
	struct list l[NLONG];
};

static int
get_varint(const uint8_t **p, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	for (;;) {
		uint8_t c = *(*p)++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
		shift += 7;
	}
}

static void
decode(const uint8_t *t, struct skips *s)
{
	const uint8_t *body, *p, *end;
	uint32_t i, prev = 0, k;

	s->bsize = blob_fix_get32(t);
	s->n = blob_fix_get32(t + 4);
	body = t + 8 + (size_t)s->n * POST_SKIP_REC;
	for (i = 0; i < s->n; i++) {
		struct list *l = &s->l[i];
		uint32_t e = blob_fix_get32(t + 12 + i * POST_SKIP_REC);
		l->ordinal = blob_fix_get32(t + 8 + i * POST_SKIP_REC);
		for (p = body + prev, end = body + e, l->n = 0; p < end;
		     l->n++) {
			struct block *b = &l->b[l->n];
			get_varint(&p, &b->d);
			get_varint(&p, &b->o);
			get_varint(&p, &b->nt);
			get_varint(&p, &b->tm);
			get_varint(&p, &b->ts);
			for (k = 0; k < b->nt; k++)
				get_varint(&p, &b->title[k]);
		}
		prev = e;
	}
}

static size_t
put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		p[n++] = (uint8_t)(v | 0x80);
	p[n++] = (uint8_t)v;
	return n;
}

/* S as a table into OUT; its length. */
static size_t
encode(const struct skips *s, uint8_t *out)
{
	size_t n = 8 + (size_t)s->n * POST_SKIP_REC, body = n;
	uint32_t i, j;
	uint64_t k;

	blob_fix_put32(out, s->bsize);
	blob_fix_put32(out + 4, s->n);
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->l[i].n; j++) {
			const struct block *b = &s->l[i].b[j];
			n += put_varint(out + n, b->d);
			n += put_varint(out + n, b->o);
			n += put_varint(out + n, b->nt);
			n += put_varint(out + n, b->tm);
			n += put_varint(out + n, b->ts);
			for (k = 0; k < b->nt; k++)
				n += put_varint(out + n, b->title[k]);
		}
		blob_fix_put32(out + 8 + i * POST_SKIP_REC, s->l[i].ordinal);
		blob_fix_put32(out + 12 + i * POST_SKIP_REC,
		               (uint32_t)(n - body));
	}
	return n;
}

/* BLOB/LEN with its POST_SKIPS replaced by T/TLEN (put at the end) and
 * its checksums fixed; *OUTLEN its length. */
static uint8_t *
with_table(const uint8_t *blob, size_t len, const uint8_t *t, size_t tlen,
           size_t *outlen)
{
	uint8_t *p = malloc(len + tlen), *d;

	memcpy(p, blob, len);
	memcpy(p + len, t, tlen);
	d = blob_fix_dirent(p, BT_POST_SKIPS);
	blob_fix_put64(d + 8, len);
	blob_fix_put64(d + 16, tlen);
	*outlen = len + tlen;
	blob_fix_checksums(p, *outlen);
	return p;
}

static uint8_t table_buf[1 << 20];

/* QUERY on BLOB with the skips S fails with a message naming MSG. */
static void
refused(const uint8_t *blob, size_t len, const struct skips *s,
        const char *query, const char *msg, int line)
{
	size_t tlen = encode(s, table_buf), n;
	uint8_t *p = with_table(blob, len, table_buf, tlen, &n);

	answer(p, n, query, got, sizeof(got));
	if (strncmp(got, "error: skips: corrupt blob (", 28) != 0 ||
	    strstr(got, msg) == NULL) {
		fprintf(stderr, "test-skips.c:%d: %s: got %.200s\n", line,
		        query, got);
		check_failures++;
	}
	free(p);
}

#define REFUSED(s, q, msg) refused(blob, len, (s), (q), (msg), __LINE__)

int
main(void)
{
	static struct skips orig, s;
	size_t mdlen, len, tlen, n;
	char *md = make_notes(&mdlen);
	uint8_t *blob = build(md, mdlen, &len), *hidden, *d, *p;
	char q[128];
	uint32_t w, k, i;

	d = blob_fix_dirent(blob, BT_POST_SKIPS);
	CHECK(d != NULL);
	if (d == NULL)
		return check_status();
	decode(blob + blob_fix_get64(d + 8), &orig);
	/* Every long list but the ones under the threshold. */
	CHECK_INT(orig.bsize, POST_SKIP_B);
	CHECK_INT(orig.n, NLONG - 1);

	/* Hidden (a type no reader knows): every list decoded whole. */
	hidden = malloc(len);
	memcpy(hidden, blob, len);
	blob_fix_put32(blob_fix_dirent(hidden, BT_POST_SKIPS), 200);
again:
	for (w = 0; w < NLONG; w++) {
		same(blob, hidden, len, longw[w].word);
		snprintf(q, sizeof q, "%s %s", longw[w].word,
		         longw[(w + 1) % NLONG].word);
		same(blob, hidden, len, q);
		snprintf(q, sizeof q, "%s -%s", longw[w].word,
		         longw[(w + 2) % NLONG].word);
		same(blob, hidden, len, q);
		/* A title that is the query (a root's "qbac alpha"): its
		 * exact part and length norm come from its record. */
		for (k = 0, i = 0; k < NSEC && i < 4; k += 97) {
			uint32_t v, more = 0;
			for (v = 0; v < NLONG; v++)
				more += v != w && titled[v][k];
			if (!titled[w][k] || more > 0)
				continue;
			/* the long word first and last: the last title
			 * term's exact fit is the one read */
			own_word(k, q, sizeof q);
			snprintf(q + strlen(q), sizeof q - strlen(q), " %s",
			         longw[w].word);
			same(blob, hidden, len, q);
			snprintf(q, sizeof q, "%s ", longw[w].word);
			own_word(k, q + strlen(q), sizeof q - strlen(q));
			same(blob, hidden, len, q);
			i++;
		}
		for (k = 0; k < NRARE; k++) {
			snprintf(q, sizeof q, "%s zulu%c%c", longw[w].word,
			         'a' + k % 26, 'a' + k / 26);
			same(blob, hidden, len, q);
			snprintf(q, sizeof q, "zulu%c%c -%s", 'a' + k % 26,
			         'a' + k / 26, longw[w].word);
			same(blob, hidden, len, q);
		}
	}
	/* The mid words with the long ones: the bounds of lists left
	 * unread. */
	for (w = 0; w < NLONG; w++)
		for (k = 0; k < NMID; k++) {
			snprintf(q, sizeof q, "%s %s", longw[w].word,
			         midw[k].word);
			same(blob, hidden, len, q);
			snprintf(q, sizeof q, "%s golf %s", midw[k].word,
			         longw[w].word);
			same(blob, hidden, len, q);
			snprintf(q, sizeof q, "%s %s -%s", midw[k].word,
			         longw[w].word, longw[(w + 1) % NLONG].word);
			same(blob, hidden, len, q);
		}
	same(blob, hidden, len, "echoed");
	same(blob, hidden, len, "echoed hotel");
	same(blob, hidden, len, "golf echoed -alpha");
	same(blob, hidden, len, "india echoed"); /* echo left unread */
	same(blob, hidden, len, "echoed india golf");
	same(blob, hidden, len, "alpha charlie echo zulubc");
	same(blob, hidden, len, "echo foxtrot delta");
	same(blob, hidden, len, "\"echo foxtrot\"");
	same(blob, hidden, len, "ech");
	same(blob, hidden, len, "charly");
	CHECK(nonempty > 150);
	if (force_blocks && nhits > 5) { /* and as lookups choose */
		force_blocks = 0;
		goto again;
	}
	if (nhits > 5) { /* and the leading few, pruned */
		force_blocks = 1;
		nhits = 5;
		goto again;
	}
	nhits = 2000;
	/* Every bound with lists left unread held (the answers alone show
	 * few bounds too low: one must sit between the floor and the
	 * score), and both passes made some. */
	CHECK_INT(parked_wrong, 0);
	CHECK(parked_out[0] > 1000 && parked_out[1] > 1000);

	/* Encoded again unchanged: the same table, the same answers. */
	tlen = encode(&orig, table_buf);
	CHECK_INT(tlen, blob_fix_get64(d + 16));
	p = with_table(blob, len, table_buf, tlen, &n);
	answer(p, n, "echo zuluda", got, sizeof(got));
	answer(blob, len, "echo zuluda", want, sizeof(want));
	CHECK_STR(got, want);
	free(p);

	/* The table's frame. */
	s = orig;
	s.bsize = 100; /* not a power of two */
	REFUSED(&s, "echo", "posting skips");
	s.bsize = 8; /* too small */
	REFUSED(&s, "echo", "posting skips");
	{
		uint8_t *t = malloc(len);
		size_t m;
		tlen = encode(&orig, table_buf);
		/* Truncated: into the records, and by its last byte. */
		p = with_table(blob, len, table_buf, 7, &m);
		answer(p, m, "echo", got, sizeof(got));
		CHECK(strstr(got, "corrupt blob (posting skips)") != NULL);
		free(p);
		p = with_table(blob, len, table_buf, tlen - 1, &m);
		answer(p, m, longw[NLONG - 1].word, got, sizeof(got));
		CHECK(strstr(got, "corrupt blob (posting skips)") != NULL);
		free(p);
		/* A list count past the table's end. */
		memcpy(t, table_buf, tlen);
		blob_fix_put32(t + 4, UINT32_MAX);
		p = with_table(blob, len, t, tlen, &m);
		answer(p, m, "echo", got, sizeof(got));
		CHECK(strstr(got, "corrupt blob (posting skips)") != NULL);
		free(p);
		/* An end offset past the table's end. */
		memcpy(t, table_buf, tlen);
		blob_fix_put32(t + 12, (uint32_t)tlen);
		p = with_table(blob, len, t, tlen, &m);
		answer(p, m, "alpha", got, sizeof(got));
		CHECK(strstr(got, "corrupt blob (posting skips)") != NULL);
		free(p);
		/* Ordinals not ascending. */
		memcpy(t, table_buf, tlen);
		blob_fix_put32(t + 8 + POST_SKIP_REC, blob_fix_get32(t + 8));
		p = with_table(blob, len, t, tlen, &m);
		answer(p, m, "alpha charlie delta echo foxtrot", got,
		       sizeof(got));
		CHECK(strstr(got, "corrupt blob (posting skips)") != NULL);
		free(p);
		free(t);
	}

	/* Each block field of each list. */
	for (i = 0; i < orig.n; i++) {
		struct list *l;
		const char *word = listed[i];
		s = orig;
		l = &s.l[i];
		l->b[1].d = l->b[1].d % POST_SKIP_B; /* firsts too close */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[1].d = 0; /* not ascending */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[0].o = 1; /* block 0 not at the list's start */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[2].o = l->b[2].o + 1000000; /* past the list */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[0].nt = POST_SKIP_B + 1; /* more titles than postings */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[1].tm = UINT64_C(1) << 32; /* tf over 32 bits */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[1].ts = (uint64_t)POST_SKIP_B * UINT32_MAX + 1;
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->b[l->n - 1].d = UINT64_C(1) << 40; /* past the sections */
		REFUSED(&s, word, "posting skips");
		s = orig;
		l->n--; /* a block missing */
		REFUSED(&s, word, "posting skips");
		/* Consistent records that the postings contradict. */
		s = orig;
		/* A first one section late (the titles where they were),
		 * where the records stay consistent. */
		if (l->b[2].d > POST_SKIP_B &&
		    (l->b[1].nt == 0 || l->b[1].title[0] > 1)) {
			l->b[1].d++;
			l->b[2].d--;
			if (l->b[1].nt > 0)
				l->b[1].title[0]--;
			REFUSED(&s, word, "postings");
		}
		s = orig;
		l->b[1].o++; /* an offset a byte late */
		l->b[2].o--;
		REFUSED(&s, word, "postings");
		s = orig;
		l->b[1].ts++;
		REFUSED(&s, word, "postings");
		s = orig;
		l->b[1].tm += 7;
		REFUSED(&s, word, "postings");
	}
	/* Titles: a block's title moved, and a title claimed by a block
	 * with none in its postings. */
	for (i = 0; i < orig.n; i++) {
		struct list *l;
		uint32_t b;
		s = orig;
		l = &s.l[i];
		for (b = 0; b < l->n && l->b[b].nt == 0; b++)
			;
		if (b == l->n)
			continue; /* foxtrot has no titles */
		l->b[b].title[0]++;
		REFUSED(&s, listed[i], "postings");
	}
	/* Titles out of order, and past the next block's first section. */
	for (i = 0; i < orig.n; i++) {
		struct list *l;
		uint32_t b;
		s = orig;
		l = &s.l[i];
		for (b = 0; b + 1 < l->n && l->b[b].nt < 2; b++)
			;
		if (b + 1 == l->n)
			continue;
		l->b[b].title[1] = 0;
		REFUSED(&s, listed[i], "posting skips");
		s = orig;
		l->b[b].title[l->b[b].nt - 1] += l->b[b + 1].d;
		REFUSED(&s, listed[i], "posting skips");
	}
	s = orig;
	s.l[3].b[0].nt = 0; /* echo's titles in block 0 dropped: its
	                       TITLE_INFO is not read by blocks, the
	                       block's postings disagree */
	REFUSED(&s, "echo", "postings");

	free(hidden);
	free(blob);
	free(md);
	return check_status();
}
