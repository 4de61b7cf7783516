/*
 * test-blob.c - the blob round-trips every section, and hostile blobs
 * (every truncation, random flips, allocation failures) fail cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "alloc.h"
#include "awsnote.h"
#include "blob-fix.h"
#include "blob-format.h"
#include "blob-read.h"
#include "blob-write.h"
#include "check.h"
#include "markdown.h"

struct expect {
	struct {
		unsigned level;
		char *title, *anchor, *text;
		size_t text_len;
	} s[4096];
	size_t n;
};

static awn_status
remember(void *ctx, const struct md_section *ms)
{
	struct expect *e = ctx;

	if (e->n == 4096)
		return AWN_ERR_LIMIT;
	e->s[e->n].level = ms->level;
	e->s[e->n].title = strdup(ms->title);
	e->s[e->n].anchor = strdup(ms->anchor);
	e->s[e->n].text = malloc(ms->text_len + 1);
	memcpy(e->s[e->n].text, ms->text, ms->text_len);
	e->s[e->n].text_len = ms->text_len;
	e->n++;
	return AWN_OK;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	return data;
}

static awn_status
build(const char *name, const char *md, size_t len, void **blob, size_t *blen)
{
	awn_builder *b = NULL;
	awn_status st;

	st = awn_builder_new(&b, NULL);
	if (!st)
		st = awn_builder_add_markdown(b, name, md, len, NULL);
	if (!st)
		st = awn_builder_write_memory(b, blob, blen, NULL);
	awn_builder_free(b);
	return st;
}

/* Every section the reader produced comes back unchanged from the blob. */
static void
check_roundtrip(const char *name, const char *md, size_t len)
{
	static struct expect e;
	awn_db *db = NULL;
	void *blob;
	size_t blen, i;
	awn_error err;

	e.n = 0;
	CHECK_INT(markdown_read(md, len, remember, &e, NULL), AWN_OK);
	if (build(name, md, len, &blob, &blen) != AWN_OK) {
		CHECK(!"build failed");
		return;
	}
	CHECK_INT(awn_db_open_memory(&db, blob, blen, name, &err), AWN_OK);
	if (db == NULL)
		return;
	CHECK_INT(awn_db_count(db), e.n);
	for (i = 0; i < e.n && i < awn_db_count(db); i++) {
		awn_section s, t;
		const char *text;
		size_t tlen;

		CHECK_INT(awn_db_section(db, (uint32_t)i, &s), AWN_OK);
		CHECK_INT(s.level, e.s[i].level);
		if (e.s[i].level > 0)
			CHECK_MEM_STR(s.title, s.title_len, e.s[i].title);
		else
			CHECK_MEM_STR(s.title, s.title_len, name);
		CHECK_MEM_STR(s.anchor, s.anchor_len, e.s[i].anchor);
		/* The same record without the anchor. */
		CHECK_INT(awn_db_section_tree(db, (uint32_t)i, &t), AWN_OK);
		CHECK(t.id == s.id && t.parent == s.parent && t.end == s.end &&
		      t.doc == s.doc && t.level == s.level &&
		      t.title == s.title && t.title_len == s.title_len);
		CHECK_MEM_STR(t.anchor, t.anchor_len, "");
		CHECK_INT(awn_db_text(db, (uint32_t)i, &text, &tlen, NULL),
		          AWN_OK);
		CHECK(tlen == e.s[i].text_len &&
		      memcmp(text, e.s[i].text, tlen) == 0);
		/* Parents: the nearest earlier section of a smaller level. */
		if (s.parent != AWN_NONE) {
			CHECK(s.parent < i);
			CHECK(e.s[s.parent].level < s.level);
		}
	}
	for (i = 0; i < e.n; i++) {
		free(e.s[i].title);
		free(e.s[i].anchor);
		free(e.s[i].text);
	}
	CHECK(awn_db_verify(db, NULL) == AWN_OK);
	awn_db_free(db);
}

/* Whatever a hostile blob holds, every query mode returns a status. */
static void
exercise(void *data, size_t len)
{
	awn_db *db = NULL;
	awn_hits *hits = NULL;
	void *copy = malloc(len ? len : 1);
	uint32_t i;
	char buf[256];

	memcpy(copy, data, len);
	if (awn_db_open_memory(&db, copy, len, "x", NULL) != AWN_OK)
		return;
	for (i = 0; i < awn_db_count(db) && i < 50; i++) {
		const char *t;
		size_t n;
		awn_section s;
		awn_db_section(db, i, &s);
		awn_db_text(db, i, &t, &n, NULL);
		awn_db_path(db, i, " > ", buf, sizeof(buf));
		awn_db_summary(db, i, buf, sizeof(buf), NULL);
	}
	if (awn_search(db, "widget sprocket -gear", 10, &hits, NULL) == AWN_OK)
		awn_hits_free(hits);
	awn_db_find_anchor(db, 0, "widgets", 7);
	awn_db_verify(db, NULL);
	awn_db_free(db);
}

/* Notes of TOPICS sections, ~170 bytes each (2000: > 128 KiB of text,
 * enough for a preset dictionary). */
static char *
large_md(size_t topics, size_t *len)
{
	static const char *const words[] = {
	    "bucket", "policy", "encryption", "lambda", "queue", "table",
	    "stream", "role",   "region",     "cache",  "shard", "replica"};
	size_t cap = topics * 200, n = 0, i, k;
	char *md = malloc(cap);
	unsigned r = 1;

	for (i = 0; i < topics; i++) {
		n += (size_t)snprintf(md + n, cap - n, "## Topic %zu\n\n", i);
		for (k = 0; k < 16; k++) {
			r = r * 1103515245u + 12345u;
			n += (size_t)snprintf(md + n, cap - n, "%s%s ",
			                      words[(r >> 16) % 12],
			                      k % 5 == 4 ? "." : "");
		}
		n += (size_t)snprintf(md + n, cap - n, "\n\n");
	}
	*len = n;
	return md;
}

/* The table of TYPE in BLOB, or NULL. */
static unsigned char *
find_table(unsigned char *blob, uint32_t type, size_t *len)
{
	uint32_t n = blob_fix_get32(blob + BH_NTABLES), i;

	for (i = 0; i < n; i++) {
		unsigned char *d =
		    blob + BLOB_HEADER_SIZE + BLOB_DIRENT_SIZE * i;
		if (blob_fix_get32(d) == type) {
			*len = (size_t)blob_fix_get64(d + 16);
			return blob + blob_fix_get64(d + 8);
		}
	}
	return NULL;
}

/* Text blocks compressed with a dictionary come back whole; a damaged
 * dictionary is a format error, never wrong text. */
static void
check_dictionaries(void)
{
	size_t len, blen, dlen = 0, i;
	char *md = large_md(2000, &len);
	unsigned char *blob, *dict;
	awn_db *db = NULL;
	const char *text;
	awn_status st = AWN_OK;

	check_roundtrip("large", md, len);
	CHECK_INT(build("large", md, len, (void **)&blob, &blen), AWN_OK);
	dict = find_table(blob, BT_TEXT_DICTS, &dlen);
	CHECK(dict != NULL && dlen > 4 + 12 + 8192);
	if (dict == NULL || dlen <= 4 + 8 + 8192)
		goto out;
	/* Behind the index CRC: a big blob's is not checked at open. */
	dict[dlen - 100] ^= 0x55;
	blob_fix_index_crc(blob, blen);
	CHECK_INT(awn_db_open_memory(&db, blob, blen, "d", NULL), AWN_OK);
	blob = NULL; /* the db owns it */
	for (i = 0; db && i < awn_db_count(db) && st == AWN_OK; i++)
		st = awn_db_text(db, (uint32_t)i, &text, &len, NULL);
	CHECK_INT(st, AWN_ERR_FORMAT);
out:
	awn_db_free(db);
	free(blob);
	free(md);
}

/* The first BLOB_BLOCK_SMALL_COUNT blocks stay under the small size
 * (small notes: stored text a lookup copies whole), the rest fill up
 * to the larger target; no block holds more than its limit, as every
 * section here is far smaller than either. */
static void
check_block_sizes(void)
{
	size_t len, blen, tlen = 0, i, n, big = 0;
	char *md = large_md(2000, &len); /* ~340 KB of text */
	unsigned char *blob = NULL, *t;

	CHECK_INT(build("sizes", md, len, (void **)&blob, &blen), AWN_OK);
	t = blob ? find_table(blob, BT_BLOCKS, &tlen) : NULL;
	CHECK(t != NULL && tlen % BLOB_BLOCK_SIZE == 0);
	n = t ? tlen / BLOB_BLOCK_SIZE : 0;
	CHECK(n > BLOB_BLOCK_SMALL_COUNT + 4);
	for (i = 0; i < n; i++) {
		uint32_t raw = blob_fix_get32(t + i * BLOB_BLOCK_SIZE + 12);
		if (i < BLOB_BLOCK_SMALL_COUNT) {
			CHECK(raw > BLOB_BLOCK_SMALL / 2 &&
			      raw <= BLOB_BLOCK_SMALL);
		} else {
			CHECK(raw <= BLOB_BLOCK_TARGET);
			big += raw > BLOB_BLOCK_SMALL;
		}
	}
	/* All but the last of the larger blocks are past the small size. */
	CHECK(n > BLOB_BLOCK_SMALL_COUNT &&
	      big + 1 >= n - BLOB_BLOCK_SMALL_COUNT);
	free(blob);
	free(md);
}

/* Tables lie in the order awsnote(5) shows (the small ones that every
 * lookup reads first, TEXT last), and the directory lists them so. */
static void
check_table_order(void)
{
	static const uint32_t order[] = {
	    BT_TERM_KEYS,  BT_SOURCES,     BT_HTML_NAMES,  BT_SUFFIXES,
	    BT_DOCS,       BT_BLOCKS,      BT_TERM_BLOCKS, BT_POST_SKIPS,
	    BT_ANCHORS,    BT_TEXT_DICTS,  BT_DOC_NAMES,   BT_TITLE_INFO,
	    BT_STRINGS,    BT_SECTIONS,    BT_TERMS,       BT_POSTINGS,
	    BT_TERM_GRAMS, BT_BLOCK_GRAMS, BT_ORIGINS,     BT_TEXT};
	size_t len, blen, i, k = 0, n;
	char *md = large_md(2000, &len);
	unsigned char *blob = NULL;
	uint64_t end = 0;

	CHECK_INT(build("order", md, len, (void **)&blob, &blen), AWN_OK);
	n = blob ? blob_fix_get32(blob + BH_NTABLES) : 0;
	CHECK(n >= 10);
	for (i = 0; i < n; i++) {
		unsigned char *d =
		    blob + BLOB_HEADER_SIZE + BLOB_DIRENT_SIZE * i;
		uint32_t type = blob_fix_get32(d);
		while (k < sizeof(order) / sizeof(order[0]) && order[k] != type)
			k++;
		CHECK(k < sizeof(order) / sizeof(order[0]));
		/* Back to back, in directory order. */
		CHECK(i == 0 || blob_fix_get64(d + 8) == end);
		end = blob_fix_get64(d + 8) + blob_fix_get64(d + 16);
	}
	CHECK(n > 0 && end == blen);
	free(blob);
	free(md);
}

/* Each dictionary is checked the first time a block uses it, whichever
 * was checked before: notes of two text segments, the second one's
 * dictionary damaged, read forwards and backwards. */
static void
check_dictionary_each(void)
{
	size_t len, blen, dlen = 0, i, pass;
	char *md = large_md(40000, &len); /* ~5.3 MB: > 4 MiB of text */
	unsigned char *blob = NULL, *copy, *dict, *data;
	uint32_t n = 0, from, to;
	awn_db *db;
	const char *text;
	awn_status st;

	CHECK_INT(build("big", md, len, (void **)&blob, &blen), AWN_OK);
	dict = blob ? find_table(blob, BT_TEXT_DICTS, &dlen) : NULL;
	if (dict != NULL && dlen >= 4)
		n = blob_fix_get32(dict);
	CHECK(n >= 2);
	if (n < 2)
		goto out;
	data = dict + 4 + (size_t)n * BLOB_DICT_REC_SIZE;
	from = blob_fix_get32(dict + 4 + (n - 2) * BLOB_DICT_REC_SIZE + BD_END);
	to = blob_fix_get32(dict + 4 + (n - 1) * BLOB_DICT_REC_SIZE + BD_END);
	data[(from + to) / 2] ^= 0x55;
	blob_fix_index_crc(blob, blen);
	for (pass = 0; pass < 2; pass++) {
		db = NULL;
		if ((copy = malloc(blen)) == NULL)
			break;
		memcpy(copy, blob, blen);
		CHECK_INT(awn_db_open_memory(&db, copy, blen, "d", NULL),
		          AWN_OK);
		st = AWN_OK;
		for (i = 0; db && i < awn_db_count(db) && st == AWN_OK; i++)
			st = awn_db_text(
			    db, (uint32_t)(pass ? awn_db_count(db) - 1 - i : i),
			    &text, &len, NULL);
		CHECK_INT(st, AWN_ERR_FORMAT);
		awn_db_free(db);
	}
out:
	free(blob);
	free(md);
}

/* Names of the 37 documents of check_doc_names. */
static void
doc_name(char *buf, size_t size, uint32_t i)
{
	snprintf(buf, size, "guide/doc_source/topic-%02u.md", i * 7 % 37);
}

/* Document names come back from their front-coded blocks, the last
 * block short; a damaged block gives empty names, never wrong ones. */
static void
check_doc_names(void)
{
	static const char note[] = "# T\n\nx\n";
	awn_builder *b = NULL;
	awn_db *db = NULL;
	unsigned char *blob = NULL, *copy, *t;
	char name[64];
	size_t blen, len, tlen;
	uint32_t i;
	const char *s;

	CHECK_INT(awn_builder_new(&b, NULL), AWN_OK);
	for (i = 0; i < 37; i++) {
		doc_name(name, sizeof(name), i);
		CHECK_INT(awn_builder_add_markdown(b, name, note,
		                                   sizeof(note) - 1, NULL),
		          AWN_OK);
	}
	CHECK_INT(awn_builder_write_memory(b, (void **)&blob, &blen, NULL),
	          AWN_OK);
	awn_builder_free(b);
	copy = malloc(blen);
	memcpy(copy, blob, blen);
	t = find_table(blob, BT_DOC_NAMES, &tlen);
	CHECK(t != NULL && blob_fix_get32(t) == 3);
	CHECK_INT(awn_db_open_memory(&db, blob, blen, "n", NULL), AWN_OK);
	for (i = 0; db && i < 37; i++) {
		doc_name(name, sizeof(name), i);
		s = awn_db_doc_name(db, i, &len);
		CHECK_MEM_STR(s, len, name);
		CHECK_INT(awn_db_find_doc(db, name, strlen(name)), i);
	}
	awn_db_free(db);

	/* Block 1's first name claims a prefix shared with no name. */
	t = find_table(copy, BT_DOC_NAMES, &tlen);
	t[4 + 4 * 3 + blob_fix_get32(t + 4)] = 5;
	blob_fix_index_crc(copy, blen);
	db = NULL;
	CHECK_INT(awn_db_open_memory(&db, copy, blen, "d", NULL), AWN_OK);
	for (i = 0; db && i < 37; i++) {
		doc_name(name, sizeof(name), i);
		s = awn_db_doc_name(db, i, &len);
		if (i / DOC_NAME_BLOCK == 1)
			CHECK_INT(len, 0);
		else
			CHECK_MEM_STR(s, len, name);
	}
	awn_db_free(db);
}

/* A title (with its stored anchor) that many documents share is stored
 * once; one longer than the writer shares is stored each time. */
static void
check_shared_titles(void)
{
	char note[512], name[64], long_title[301];
	awn_builder *b = NULL;
	awn_db *db = NULL;
	unsigned char *blob = NULL;
	size_t blen, tlen, len;
	uint32_t i, n;
	awn_section s;
	const uint32_t ndocs = 300;

	memset(long_title, 'x', 300);
	long_title[300] = '\0';
	snprintf(note, sizeof(note),
	         "# Syntax\n\nx\n\n## Examples\n\ny\n\n## A\n\n## A\n\n"
	         "## %s\n",
	         long_title);
	CHECK_INT(awn_builder_new(&b, NULL), AWN_OK);
	for (i = 0; i < ndocs; i++) {
		doc_name(name, sizeof(name), i);
		CHECK_INT(
		    awn_builder_add_markdown(b, name, note, strlen(note), NULL),
		    AWN_OK);
	}
	CHECK_INT(awn_builder_write_memory(b, (void **)&blob, &blen, NULL),
	          AWN_OK);
	awn_builder_free(b);
	/* "Syntax" "Examples" "A" "A" + "a-1", then 300 x's a document. */
	CHECK(find_table(blob, BT_STRINGS, &tlen) != NULL);
	CHECK_INT(tlen, 6 + 8 + 1 + 4 + 300 * ndocs);
	CHECK_INT(awn_db_open_memory(&db, blob, blen, "s", NULL), AWN_OK);
	n = db ? (uint32_t)awn_db_count(db) : 0;
	CHECK_INT(n, 5 * ndocs);
	for (i = 0; i < n; i++) {
		static const char *const title[] = {"Syntax", "Examples", "A",
		                                    "A", NULL};
		static const char *const anchor[] = {"syntax", "examples", "a",
		                                     "a-1", NULL};
		CHECK_INT(awn_db_section(db, i, &s), AWN_OK);
		CHECK_MEM_STR(s.title, s.title_len,
		              title[i % 5] ? title[i % 5] : long_title);
		len = s.anchor_len;
		CHECK_MEM_STR(s.anchor, len,
		              anchor[i % 5] ? anchor[i % 5] : long_title);
	}
	CHECK(db == NULL || awn_db_verify(db, NULL) == AWN_OK);
	awn_db_free(db);
}

/* Postings decode to what was encoded; tf 1 to 3 without flags take
 * one byte, the rest a second varint. */
static void
check_postings(void)
{
	static const uint64_t post[][3] = {
	    /* delta, tf << POST_FLAG_BITS | flags, bytes */
	    {0, 1 << POST_FLAG_BITS, 1},
	    {5, 3 << POST_FLAG_BITS, 1},
	    {31, 2 << POST_FLAG_BITS, 1},
	    {32, 2 << POST_FLAG_BITS, 2},
	    {1, 4 << POST_FLAG_BITS, 2},
	    {1, POST_IN_TITLE, 2},
	    {1, 1 << POST_FLAG_BITS | POST_IN_TITLE, 2},
	    {UINT32_MAX, (uint64_t)((1u << 30) - 1) << POST_FLAG_BITS, 10},
	};
	const size_t n = sizeof(post) / sizeof(post[0]);
	const unsigned char *p, *end;
	uint64_t delta = 0, w = 0;
	struct buf b;
	size_t i, len;

	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		len = b.len;
		CHECK_INT(blob_put_posting(&b, post[i][0], post[i][1]), AWN_OK);
		CHECK_INT(b.len - len, post[i][2]);
	}
	p = (const unsigned char *)b.data;
	end = p + b.len;
	for (i = 0; i < n; i++) {
		CHECK_INT(blob_posting(&p, end, &delta, &w), 0);
		CHECK(delta == post[i][0] && w == post[i][1]);
	}
	CHECK(p == end);
	/* A posting cut after its first varint is malformed. */
	p = (const unsigned char *)b.data + b.len - post[n - 1][2];
	CHECK_INT(blob_posting(&p, end - 5, &delta, &w), -1);
	buf_free(&b);
}

static const char anchors_md[] =
    "Preamble.\n\n# A\n\n# A\n\n# A-1\n\n# EBS & EFS\n\n## ***\n\n"
    "## Émoji 🚀 Ünïcode\n";

static const char small_md[] =
    "Intro text.\n\n# Widgets\n\nA *widget* frobs. See [gears](#gears).\n\n"
    "## Sprockets\n\n* teeth\n* more `teeth`\n\n# Gears\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n";

/* Packed records are bit strings: the example of awsnote(5). */
static void
check_records(void)
{
	static const uint32_t v[] = {5, 33, 2, 1};
	static const unsigned char want[] = {2, 3, 6, 0x0D, 0x15, 0x00};
	struct blob_records r;
	struct buf b;

	buf_init(&b, 0);
	CHECK_INT(blob_put_records(&b, v, 2, 2), AWN_OK);
	CHECK_INT(b.len, sizeof(want));
	CHECK(b.len == sizeof(want) && memcmp(b.data, want, b.len) == 0);
	memset(&r, 0, sizeof(r));
	r.p = want + 3;
	r.n = 2;
	r.size = 9;
	r.width[0] = 3;
	r.width[1] = 6;
	r.off[1] = 3;
	CHECK_INT(blob_field(&r, 0, 0), 5);
	CHECK_INT(blob_field(&r, 0, 1), 33);
	CHECK_INT(blob_field(&r, 1, 0), 2);
	CHECK_INT(blob_field(&r, 1, 1), 1);
	buf_free(&b);
}

/* Longer tables: blob_field loads 8 bytes at once where 8 bytes follow
 * and goes byte by byte near the end; the same values either way. */
static void
check_records_long(void)
{
	uint32_t v[2 * 40];
	struct blob_records r;
	struct buf b;
	unsigned i;

	for (i = 0; i < 40; i++) {
		v[2 * i] = i * 5 % 8;
		v[2 * i + 1] = (i * 37 + 11) % 64;
	}
	buf_init(&b, 0);
	CHECK_INT(blob_put_records(&b, v, 40, 2), AWN_OK);
	CHECK_INT(b.len, 3 + (40 * 9 + 7) / 8);
	memset(&r, 0, sizeof(r));
	r.p = (const unsigned char *)b.data + 3;
	r.bytes = b.len - 3;
	r.n = 40;
	r.size = 9;
	r.width[0] = 3;
	r.width[1] = 6;
	r.off[1] = 3;
	for (i = 0; i < 40 && b.len == 3 + (40 * 9 + 7) / 8; i++) {
		CHECK_INT(blob_field(&r, i, 0), v[2 * i]);
		CHECK_INT(blob_field(&r, i, 1), v[2 * i + 1]);
	}
	buf_free(&b);
}

/* A table of a type this reader does not know is ignored by lookups, but
 * --verify (awn_db_verify) checks its crc like any other's. */
static void
check_unknown_table(void)
{
	static const unsigned char extra[8] = "newtable";
	size_t blen, n, i;
	void *blob;
	unsigned char *p, *d;
	uint32_t ntables;
	awn_db *db = NULL;
	awn_error err;
	uLong crc;

	if (build("small", small_md, sizeof(small_md) - 1, &blob, &blen) !=
	    AWN_OK) {
		CHECK(!"could not build the small notes");
		return;
	}
	ntables = blob_fix_get32((unsigned char *)blob + BH_NTABLES);
	n = blen + BLOB_DIRENT_SIZE + sizeof(extra);
	p = malloc(n);
	CHECK(p != NULL);
	if (p == NULL)
		goto out;
	/* header, directory + one entry, the tables moved down, the new one */
	memcpy(p, blob, BLOB_HEADER_SIZE + ntables * BLOB_DIRENT_SIZE);
	memcpy(p + BLOB_HEADER_SIZE + (ntables + 1) * BLOB_DIRENT_SIZE,
	       (unsigned char *)blob + BLOB_HEADER_SIZE +
	           ntables * BLOB_DIRENT_SIZE,
	       blen - BLOB_HEADER_SIZE - ntables * BLOB_DIRENT_SIZE);
	memcpy(p + n - sizeof(extra), extra, sizeof(extra));
	blob_fix_put32(p + BH_NTABLES, ntables + 1);
	for (i = 0; i < ntables; i++) {
		d = p + BLOB_HEADER_SIZE + i * BLOB_DIRENT_SIZE;
		blob_fix_put64(d + 8, blob_fix_get64(d + 8) + BLOB_DIRENT_SIZE);
	}
	d = p + BLOB_HEADER_SIZE + ntables * BLOB_DIRENT_SIZE;
	blob_fix_put32(d, 63);
	blob_fix_put64(d + 8, n - sizeof(extra));
	blob_fix_put64(d + 16, sizeof(extra));
	blob_fix_put64(p + BH_FILE_SIZE, n);
	blob_fix_index_crc(p, n);
	/* Its crc wrong, the header's right again. */
	blob_fix_put32(d + 4, blob_fix_get32(d + 4) ^ 1);
	crc = crc32(0, p, BH_HEADER_CRC);
	crc = crc32(crc, p + BLOB_HEADER_SIZE,
	            (uInt)(ntables + 1) * BLOB_DIRENT_SIZE);
	blob_fix_put32(p + BH_HEADER_CRC, (uint32_t)crc);
	CHECK_INT(awn_db_open_memory(&db, p, n, "unknown", NULL), AWN_OK);
	p = NULL; /* the db owns it */
	if (db == NULL)
		goto out;
	CHECK(awn_db_count(db) > 0);
	CHECK_INT(awn_db_verify(db, &err), AWN_ERR_FORMAT);
	CHECK(strstr(err.detail, "type 63") != NULL);
out:
	awn_db_free(db);
	free(p);
	free(blob);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	void *blob;
	size_t blen, len, i, n;
	char *seed;
	awn_error err;
	awn_db *db;

	check_roundtrip("small", small_md, sizeof(small_md) - 1);
	check_roundtrip("empty", "", 0);
	/* Anchors made from titles, and stored ones (suffixed, empty). */
	check_roundtrip("anchors", anchors_md, sizeof(anchors_md) - 1);
	check_dictionaries();
	check_block_sizes();
	check_table_order();
	check_dictionary_each();
	check_postings();
	check_records();
	check_records_long();
	check_doc_names();
	check_shared_titles();
	check_unknown_table();
	snprintf(path, sizeof(path), "%s/share/aws-developer-associate.md",
	         top ? top : ".");
	if ((seed = slurp(path, &len)) != NULL) {
		check_roundtrip("seed", seed, len);
		free(seed);
	} else {
		CHECK(!"seed notes not found (set top_srcdir)");
	}

	/* Every truncation of a small blob is refused (the size is in the
	 * header) and every single-byte change is harmless. */
	CHECK_INT(build("small", small_md, sizeof(small_md) - 1, &blob, &blen),
	          AWN_OK);
	for (i = 0; i < blen; i++) {
		void *copy = malloc(i ? i : 1);
		memcpy(copy, blob, i);
		db = NULL;
		CHECK(awn_db_open_memory(&db, copy, i, "t", &err) ==
		      AWN_ERR_FORMAT);
		awn_db_free(db);
	}
	srand(12345);
	for (n = 0; n < 5000; n++) {
		unsigned char *p = blob;
		size_t at = (size_t)rand() % blen;
		unsigned char old = p[at];
		p[at] ^= (unsigned char)(1 + rand() % 255);
		exercise(blob, blen);
		p[at] = old;
	}
	/* Version and magic are told apart. */
	((unsigned char *)blob)[8] = BLOB_VERSION + 1;
	{
		void *copy = malloc(blen);
		memcpy(copy, blob, blen);
		CHECK_INT(awn_db_open_memory(&db, copy, blen, "v", &err),
		          AWN_ERR_VERSION);
	}
	free(blob);

	/* Allocation failure at every point of build + open + search. */
	for (n = 0;; n++) {
		awn_status st;
		awn_hits *hits = NULL;
		long made;

		alloc_fail_after((long)n);
		blob = NULL;
		db = NULL;
		st = build("small", small_md, sizeof(small_md) - 1, &blob,
		           &blen);
		if (st == AWN_OK)
			st = awn_db_open_memory(&db, blob, blen, "m", NULL);
		if (st == AWN_OK)
			st = awn_search(db, "widget teeth", 10, &hits, NULL);
		made = alloc_fail_after(-1);
		CHECK(st == AWN_OK || st == AWN_ERR_NOMEM);
		awn_hits_free(hits);
		awn_db_free(db);
		if (st == AWN_OK && made <= (long)n)
			break;
		if (n > 100000) {
			CHECK(!"allocation loop did not finish");
			break;
		}
	}
	return check_status();
}
