/*
 * test-hostile.c - fuzzer findings in damaged blobs, asserted directly.
 *
 * The corpus replay (tests/fuzz/) runs every crashing input again, but
 * some of them only crash under a sanitizer; these checks fail in any
 * build.  Each builds a good blob, damages one field, recomputes the
 * checksums (so only the damage is tested) and wants a clean refusal.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "awsnote.h"
#include "blob-fix.h"
#include "blob-format.h"
#include "check.h"

static const char notes[] =
    "# Widgets\n\nA widget frobs.\n\n## Sprockets\n\nTeeth.\n\n"
    "# Gears\n\nSpur gears.\n";

static uint8_t *
good_blob(size_t *len)
{
	awn_builder *b = NULL;
	void *blob = NULL;

	if (awn_builder_new(&b, NULL) != AWN_OK ||
	    awn_builder_add_markdown(b, "notes", notes, sizeof(notes) - 1,
	                             NULL) != AWN_OK ||
	    awn_builder_write_memory(b, &blob, len, NULL) != AWN_OK)
		abort();
	awn_builder_free(b);
	return blob;
}

/* A blob of 17 documents (two blocks of DOC_NAMES): "d00" to "d16" of
 * NOTES, the first named "a" and holding FIRST instead when it is given. */
static uint8_t *
seventeen_docs(const char *first, size_t *len)
{
	awn_builder *b = NULL;
	void *blob = NULL;
	char name[8];
	int i;

	if (awn_builder_new(&b, NULL) != AWN_OK)
		abort();
	for (i = 0; i < 17; i++) {
		snprintf(name, sizeof name, i == 0 && first ? "a" : "d%02d", i);
		if (awn_builder_add_markdown(
		        b, name, i == 0 && first ? first : notes,
		        i == 0 && first ? strlen(first) : sizeof(notes) - 1,
		        NULL) != AWN_OK)
			abort();
	}
	if (awn_builder_write_memory(b, &blob, len, NULL) != AWN_OK)
		abort();
	awn_builder_free(b);
	return blob;
}

/* Start of table TYPE in blob P (the writer's tables are well-formed). */
static uint8_t *
table(uint8_t *p, uint32_t type)
{
	uint8_t *d = blob_fix_dirent(p, type);

	if (d == NULL)
		abort();
	return p + blob_fix_get32(d + 8); /* offsets are small here */
}

/* Set field F of record I of packed table T to V (its low bits). */
static void
set_field(uint8_t *t, uint32_t i, unsigned f, uint64_t v)
{
	unsigned k, size = 0, off = 0;
	uint64_t bit;

	for (k = 0; k < t[0]; k++) {
		if (k == f)
			off = size;
		size += t[1 + k];
	}
	bit = (uint64_t)i * size + off;
	for (k = 0; k < t[1 + f]; k++, bit++) {
		uint8_t m = (uint8_t)(1u << (bit % 8));
		if (v >> k & 1)
			t[1 + t[0] + bit / 8] |= m;
		else
			t[1 + t[0] + bit / 8] &= (uint8_t)~m;
	}
}

/* Set field F of record I of packed table T to all one bits. */
static void
set_field_max(uint8_t *t, uint32_t i, unsigned f)
{
	set_field(t, i, f, UINT64_MAX);
}

/* Open P/LEN (a copy: the db takes ownership) with fixed checksums. */
static awn_status
open_fixed(const uint8_t *p, size_t len, awn_db **db)
{
	uint8_t *copy = malloc(len);

	memcpy(copy, p, len);
	blob_fix_checksums(copy, len);
	return awn_db_open_memory(db, copy, len, "damaged", NULL);
}

/* Sections and scores of QUERY in blob P/LEN (checksums fixed), as one
 * string, or the status when the search fails. */
static void
results(const uint8_t *p, size_t len, const char *query, char *out, size_t size)
{
	awn_db *db = NULL;
	awn_hits *hits = NULL;
	awn_status st;
	size_t i, n = 0;

	out[0] = '\0';
	if ((st = open_fixed(p, len, &db)) != AWN_OK ||
	    (st = awn_search(db, query, 10, &hits, NULL)) != AWN_OK) {
		snprintf(out, size, "status %d", (int)st);
		awn_db_free(db);
		return;
	}
	for (i = 0; i < hits->n && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%u:%.6f ",
		                      (unsigned)hits->hit[i].section,
		                      hits->hit[i].score);
	awn_hits_free(hits);
	awn_db_free(db);
}

/* TITLE_INFO damaged: hidden or of another shape, it is ignored and the
 * records say the same; with bad offsets or lengths, a search that reads
 * it fails cleanly. */
static void
check_title_info(const uint8_t *blob, size_t len)
{
	static const char query[] = "gears widgets sprockets";
	uint8_t *copy = malloc(len), *t;
	char good[512], got[512], bad[32];
	uint32_t n, i;

	snprintf(bad, sizeof(bad), "status %d", (int)AWN_ERR_FORMAT);
	results(blob, len, query, good, sizeof(good));
	CHECK(good[0] != '\0' && strncmp(good, "status", 6) != 0);
	/* Hidden: its directory entry of a type no reader knows. */
	memcpy(copy, blob, len);
	n = blob_fix_get32(copy + BH_NTABLES);
	for (i = 0; i < n; i++) {
		uint8_t *d = copy + BLOB_HEADER_SIZE + i * BLOB_DIRENT_SIZE;
		if (blob_fix_get32(d) == BT_TITLE_INFO)
			blob_fix_put32(d, 200);
	}
	results(copy, len, query, got, sizeof(got));
	CHECK_STR(got, good);
	/* Another block count: ignored. */
	memcpy(copy, blob, len);
	t = table(copy, BT_TITLE_INFO);
	blob_fix_put32(t, blob_fix_get32(t) + 1);
	results(copy, len, query, got, sizeof(got));
	CHECK_STR(got, good);
	/* The first block past the table. */
	memcpy(copy, blob, len);
	t = table(copy, BT_TITLE_INFO);
	blob_fix_put32(t + 4, 0x7fffffff);
	results(copy, len, query, got, sizeof(got));
	CHECK_STR(got, bad);
	/* Its first term's entries longer than the block (a one-byte
	 * length, these notes being small). */
	memcpy(copy, blob, len);
	t = table(copy, BT_TITLE_INFO);
	t[blob_fix_get32(t + 4) + 1] = 0x7f;
	results(copy, len, query, got, sizeof(got));
	CHECK_STR(got, bad);
	/* ... or one byte shorter: an entry cut short. */
	memcpy(copy, blob, len);
	t = table(copy, BT_TITLE_INFO);
	t[blob_fix_get32(t + 4) + 1] -= 1;
	results(copy, len, query, got, sizeof(got));
	CHECK_STR(got, bad);
	free(copy);
}

/* A blob of the documents DOCS: N pairs of name and text; or, with
 * PATHS, of the N paths on disk DOCS, as awsnote-index builds it. */
static uint8_t *
blob_built(const char *const *docs, size_t n, int paths, size_t *len)
{
	awn_builder *b = NULL;
	void *blob = NULL;
	size_t i;

	if (awn_builder_new(&b, NULL) != AWN_OK)
		abort();
	for (i = 0; i < n; i++)
		if (paths ? awn_builder_add_path(b, docs[i], NULL)
		          : awn_builder_add_markdown(
		                b, docs[2 * i], docs[2 * i + 1],
		                strlen(docs[2 * i + 1]), NULL))
			abort();
	if (awn_builder_write_memory(b, &blob, len, NULL) != AWN_OK)
		abort();
	awn_builder_free(b);
	return blob;
}

static uint8_t *
blob_of(const char *const *docs, size_t n, size_t *len)
{
	return blob_built(docs, n, 0, len);
}

/* With a blob here, link_target opens it as the first part and the
 * damaged one after it, as `-f a.blob -f b.blob` does. */
static const uint8_t *first_part;
static size_t first_part_len;

static int
write_file(const char *path, const void *p, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int ok = fp && fwrite(p, 1, len, fp) == len;

	return fp && fclose(fp) == 0 && ok ? 0 : -1;
}

/* Open P/LEN (checksums fixed), after first_part if there is one. */
static awn_status
open_parts(const uint8_t *p, size_t len, awn_db **db)
{
	char dir[] = "/tmp/test-hostile.XXXXXX", a[64], b[64];
	const char *paths[2] = {a, b};
	uint8_t *copy;
	awn_status st = AWN_ERR_IO;

	if (first_part == NULL)
		return open_fixed(p, len, db);
	if (mkdtemp(dir) == NULL || (copy = malloc(len)) == NULL)
		abort();
	snprintf(a, sizeof(a), "%s/a.blob", dir);
	snprintf(b, sizeof(b), "%s/b.blob", dir);
	memcpy(copy, p, len);
	blob_fix_checksums(copy, len);
	if (write_file(a, first_part, first_part_len) == 0 &&
	    write_file(b, copy, len) == 0)
		st = awn_db_open_many(db, paths, 2, NULL);
	free(copy);
	unlink(a);
	unlink(b);
	rmdir(dir);
	return st;
}

/* The target of link K of the first section of blob P/LEN (checksums
 * fixed), or AWN_NONE; ~0u - 1 when the blob does not open. */
static uint32_t
link_target(const uint8_t *p, size_t len, size_t k)
{
	awn_db *db = NULL;
	awn_links *l = NULL;
	uint32_t t = AWN_NONE;

	if (open_parts(p, len, &db) != AWN_OK)
		return AWN_NONE - 1;
	if (awn_db_links(db, 0, &l, NULL) == AWN_OK && k < l->n)
		t = l->link[k].target;
	awn_links_free(l);
	awn_db_free(db);
	return t;
}

/*
 * HTML_NAMES damaged: a record's section out of range or in another
 * document, a hash no link has, a length of no whole records: the link
 * leads to the top of its document, never elsewhere.  The names are in
 * the linking blob (A, B, Down: section OTHER is A) or, APART, in a
 * second part (A | B, Down, C: OTHER is C, section 2 of its blob).
 */
static void
check_html_names(int apart)
{
	static const char *const docs[] = {
	    "a", "# A\n\n[x](b.md#n)\n",
	    "b", "# B\n\n## Down\n\n<a name=\"n\"></a>\n",
	    "c", "# C\n"};
	uint8_t *blob, *copy, *t, *d;
	uint32_t i, n, other = apart ? 2 : 0;
	size_t len;

	first_part = apart ? blob_of(docs, 1, &first_part_len) : NULL;
	blob = apart ? blob_of(docs + 2, 2, &len) : blob_of(docs, 2, &len);
	copy = malloc(len);
	CHECK_INT(link_target(blob, len, 0), 2);
	memcpy(copy, blob, len);
	t = table(copy, BT_HTML_NAMES);
	blob_fix_put32(t + 8, 0xfffffffe);
	CHECK_INT(link_target(copy, len, 0), 1);
	blob_fix_put32(t + 8, other);
	CHECK_INT(link_target(copy, len, 0), 1);
	memcpy(copy, blob, len);
	t = table(copy, BT_HTML_NAMES);
	t[0] ^= 1;
	CHECK_INT(link_target(copy, len, 0), 1);
	memcpy(copy, blob, len);
	n = blob_fix_get32(copy + BH_NTABLES);
	for (i = 0; i < n; i++) {
		d = copy + BLOB_HEADER_SIZE + i * BLOB_DIRENT_SIZE;
		if (blob_fix_get32(d) == BT_HTML_NAMES)
			blob_fix_put32(d + 16, blob_fix_get32(d + 16) - 1);
	}
	CHECK_INT(link_target(copy, len, 0), 1);
	free(copy);
	free(blob);
	free((void *)first_part);
	first_part = NULL;
}

/*
 * SOURCES damaged: record 1's first document out of order or past the
 * documents, a directory outside the table or spelled with "..", a
 * count of 1 or past the table: the link out of c's path ("../b.md",
 * from sub/c.md compiled with b.md) is then no link, never another
 * document nor a read outside the table.
 */
static void
check_sources(void)
{
	char dir[] = "/tmp/test-hostile.XXXXXX", c[64], sub[64], b[64];
	const char *paths[2] = {c, b};
	static const char cee[] = "# C\n\n[x](../b.md)\n", bee[] = "# B\n";
	void *blob;
	uint8_t *copy, *t;
	size_t len, k;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(c, sizeof(c), "%s/sub/c.md", dir);
	snprintf(b, sizeof(b), "%s/b.md", dir);
	if (mkdir(sub, 0700) < 0 || write_file(c, cee, strlen(cee)) < 0 ||
	    write_file(b, bee, strlen(bee)) < 0)
		abort();
	blob = blob_built(paths, 2, 1, &len);
	unlink(c);
	unlink(b);
	rmdir(sub);
	rmdir(dir);
	CHECK_INT(link_target(blob, len, 0), 1);
	/* { N, (0, off, 3) "sub", (1, off, 0) "" } */
	copy = malloc(len);
	for (k = 0; k < 7; k++) {
		memcpy(copy, blob, len);
		t = table(copy, BT_SOURCES);
		CHECK_INT(blob_fix_get32(t), 2);
		CHECK_INT(blob_fix_get32(t + 12), 3);
		CHECK(memcmp(t + blob_fix_get32(t + 8), "sub", 3) == 0);
		switch (k) {
		case 0:
			blob_fix_put32(t + 16, 0);
			break; /* out of order */
		case 1:
			blob_fix_put32(t + 16, 2);
			break; /* past ndocs */
		case 2:
			blob_fix_put32(t + 8, 1u << 30);
			break; /* outside */
		case 3:
			blob_fix_put32(t + 12, 1u << 30);
			break;
		case 4:
			memcpy(t + blob_fix_get32(t + 8), "..", 2);
			blob_fix_put32(t + 12, 2);
			break;
		case 5:
			blob_fix_put32(t, 1);
			break;
		case 6:
			blob_fix_put32(t, 1u << 28);
			break;
		}
		CHECK_INT(link_target(copy, len, 0), AWN_NONE);
	}
	free(copy);
	free(blob);
}

/* The names documents 0 and 1 of blob P/LEN (checksums fixed) show,
 * joined by a space, in OUT. */
static void
shown_names(const uint8_t *p, size_t len, char *out, size_t size)
{
	awn_db *db = NULL;
	const char *a, *b;
	size_t an, bn;

	out[0] = '\0';
	if (open_fixed(p, len, &db) != AWN_OK)
		return;
	a = awn_db_doc_name(db, 0, &an);
	b = awn_db_doc_name(db, 1, &bn);
	snprintf(out, size, "%.*s %.*s", (int)an, a, (int)bn, b);
	awn_db_free(db);
}

/*
 * SUFFIXES (README.markdown beside README.md, both named README): the
 * two are shown with their suffixes.  Damaged (a count of 0 or past the
 * table, a document past ndocs), the table is ignored and they are
 * shown alike, never read past.
 */
static void
check_suffixes(void)
{
	char dir[] = "/tmp/test-hostile.XXXXXX", md[64], mdn[64], got[64];
	static const char one[] = "# One\n", two[] = "# Two\n";
	const char *paths[1] = {dir};
	void *blob;
	uint8_t *copy, *t;
	size_t len, k;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(md, sizeof(md), "%s/README.md", dir);
	snprintf(mdn, sizeof(mdn), "%s/README.markdown", dir);
	if (write_file(md, one, strlen(one)) < 0 ||
	    write_file(mdn, two, strlen(two)) < 0)
		abort();
	blob = blob_built(paths, 1, 1, &len);
	unlink(md);
	unlink(mdn);
	rmdir(dir);
	shown_names(blob, len, got, sizeof(got));
	CHECK_STR(got, "README.markdown README.md");
	/* { 1, 0 } */
	copy = malloc(len);
	for (k = 0; k < 4; k++) {
		memcpy(copy, blob, len);
		t = table(copy, BT_SUFFIXES);
		CHECK_INT(blob_fix_get32(t), 1);
		CHECK_INT(blob_fix_get32(t + 4), 0);
		switch (k) {
		case 0:
			blob_fix_put32(t, 0);
			break;
		case 1:
			blob_fix_put32(t, 2); /* past the table */
			break;
		case 2:
			blob_fix_put32(t + 4, 2); /* past ndocs */
			break;
		case 3:
			blob_fix_put32(t, 1u << 30);
			break;
		}
		shown_names(copy, len, got, sizeof(got));
		CHECK_STR(got, "README README");
	}
	free(copy);
	free(blob);
}

/* Section ID's source in P/LEN (checksums fixed) as "FILE:LINE", or
 * the status and its detail when awn_db_source fails. */
static void
source_of(const uint8_t *p, size_t len, uint32_t id, int fix, char *out,
          size_t size)
{
	awn_error err = {AWN_OK, ""};
	awn_source src;
	awn_db *db = NULL;
	uint8_t *copy = malloc(len);
	awn_status st;
	char file[512];

	memcpy(copy, p, len);
	if (fix)
		blob_fix_checksums(copy, len);
	if ((st = awn_db_open_memory(&db, copy, len, "damaged", NULL))) {
		snprintf(out, size, "open %d", (int)st);
		return;
	}
	if ((st = awn_db_source(db, id, &src, &err)) != AWN_OK)
		snprintf(out, size, "%d %s", (int)st, err.detail);
	else if (awn_source_path(&src, file, sizeof(file)) < sizeof(file))
		snprintf(out, size, "%s:%lu", file, (unsigned long)src.line);
	awn_db_free(db);
}

/*
 * ORIGINS (type 20): where each section was written, read only when
 * asked.  A good blob's record, then each field damaged (checksums
 * fixed, so only the damage is tested): a one-line refusal naming the
 * blob, never a read outside the table; a blob without the table (as
 * written before it) says to rebuild it.
 */
static void
check_origins(void)
{
	char dir[] = "/tmp/test-hostile.XXXXXX", a[64], b[64], got[1024];
	char want[1024], *real;
	static const char one[] = "Intro.\n\n# One\n\ntext\n\n## Two\n",
	                  three[] = "# Three\n";
	static const char bad[] = "3 damaged: corrupt blob (ORIGINS)";
	const char *paths[1] = {dir};
	uint8_t *blob, *copy, *t;
	size_t len, k;
	uint32_t at, dirlen;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(a, sizeof(a), "%s/a.md", dir);
	snprintf(b, sizeof(b), "%s/b.markdown", dir);
	if (write_file(a, one, strlen(one)) < 0 ||
	    write_file(b, three, strlen(three)) < 0)
		abort();
	blob = blob_built(paths, 1, 1, &len);
	real = realpath(dir, NULL);
	unlink(a);
	unlink(b);
	rmdir(dir);
	if (real == NULL)
		abort();
	dirlen = (uint32_t)strlen(real);
	snprintf(want, sizeof(want), "%s/a.md:1", real);
	source_of(blob, len, 0, 0, got, sizeof(got));
	CHECK_STR(got, want);
	snprintf(want, sizeof(want), "%s/a.md:7", real);
	source_of(blob, len, 2, 0, got, sizeof(got));
	CHECK_STR(got, want);
	snprintf(want, sizeof(want), "%s/b.markdown:1", real);
	source_of(blob, len, 3, 0, got, sizeof(got));
	CHECK_STR(got, want);
	/* The layout the damage below aims at: N 4, R 1, E 1 (b's doc 1,
	 * ".markdown"), L past the directory's bytes. */
	t = table(blob, BT_ORIGINS);
	at = ORIGIN_HEAD_SIZE + ORIGIN_ROOT_SIZE + 4 + dirlen;
	CHECK_INT(blob_fix_get32(t), 4);
	CHECK_INT(blob_fix_get32(t + 4), 1);
	CHECK_INT(blob_fix_get32(t + 8), 1);
	CHECK_INT(blob_fix_get32(t + 12), at);
	CHECK_INT(blob_fix_get32(t + 28), 1u << 1);
	copy = malloc(len);
	for (k = 0; k < 15; k++) {
		memcpy(copy, blob, len);
		t = table(copy, BT_ORIGINS);
		switch (k) {
		case 0: /* the section count */
			blob_fix_put32(t, 5);
			break;
		case 1: /* no root */
			blob_fix_put32(t + 4, 0);
			break;
		case 2: /* more roots than bytes */
			blob_fix_put32(t + 4, 1u << 30);
			break;
		case 3:
			blob_fix_put32(t + 8, 1u << 30);
			break;
		case 4: /* the lines past the table */
			blob_fix_put32(t + 12, 1u << 30);
			break;
		case 5: /* the lines before the records */
			blob_fix_put32(t + 12, 20);
			break;
		case 6: /* the first root not document 0 */
			blob_fix_put32(t + 16, 1);
			break;
		case 7: /* its directory past the table */
			blob_fix_put32(t + 20, UINT32_MAX - 8);
			break;
		case 8:
			blob_fix_put32(t + 24, UINT32_MAX);
			break;
		case 9: /* a directory that is not absolute */
			t[blob_fix_get32(t + 20)] = 'x';
			break;
		case 10: /* a document past ndocs */
			blob_fix_put32(t + 28, 9u << 1);
			break;
		case 11: /* a block past the lines */
			blob_fix_put32(t + at, 1000);
			break;
		case 12: /* a line of 0 */
			t[at + 4] = 0;
			t[at + 5] = 0;
			break;
		case 13: /* a varint running off the end */
			t[blob_fix_get32(blob_fix_dirent(copy, BT_ORIGINS) +
			                 16) -
			  1] = 0x80;
			break;
		case 14: /* a NUL in the root: no path (fuzz-blob, 2026-11-27)
		          */
			t[blob_fix_get32(t + 20) + 1] = '\0';
			break;
		}
		source_of(copy, len, k == 13 ? 3 : 2, 1, got, sizeof(got));
		if (strcmp(got, bad) != 0)
			fprintf(stderr, "origins damage %zu: %s\n", k, got);
		CHECK_STR(got, bad);
	}
	/* A document's name that names no file: a NUL in it. */
	memcpy(copy, blob, len);
	t = table(copy, BT_DOC_NAMES);
	CHECK(memcmp(t + 8, "\0\001a", 3) == 0); /* "a": shares 0, 1 byte */
	t[10] = '\0';
	source_of(copy, len, 0, 1, got, sizeof(got));
	CHECK_STR(got, "3 damaged: corrupt blob (a document's name)");
	/* Its checksum wrong: checked whatever the table's size. */
	memcpy(copy, blob, len);
	table(copy, BT_ORIGINS)[at + 4] ^= 1;
	source_of(copy, len, 0, 0, got, sizeof(got));
	CHECK(strstr(got, "ORIGINS table checksum mismatch") != NULL);
	/* A blob written before ORIGINS: a type a reader does not know. */
	memcpy(copy, blob, len);
	blob_fix_put32(blob_fix_dirent(copy, BT_ORIGINS), 63);
	source_of(copy, len, 0, 1, got, sizeof(got));
	CHECK(strncmp(got, "3 damaged: no record of the files", 33) == 0);
	CHECK(strstr(got, "rebuild it with awsnote-index") != NULL);
	free(copy);
	free(blob);
	free(real);
}

/* Section ID's path whole, in a buffer of its length (checked twice:
 * the length a small buffer is told, and what the whole one holds). */
static char *
whole_path(awn_db *db, uint32_t id, size_t *len)
{
	char small[16];
	char *buf;

	*len = awn_db_path(db, id, " > ", small, sizeof(small));
	CHECK(strlen(small) < sizeof(small));
	buf = malloc(*len + 1);
	CHECK_INT(awn_db_path(db, id, " > ", buf, *len + 1), *len);
	CHECK_INT(strlen(buf), *len);
	return buf;
}

/*
 * Paths are whole as long as a writer of ours can make them (here a
 * document name of 65,535 invalid bytes, each shown as U+FFFD, and
 * titles of 1,024); past AWN_PATH_MAX, which only damage reaches (here
 * parents made a chain of 64 such titles), one is cut and ends in "...".
 */
static void
check_long_paths(void)
{
	static const char other[] = "# Other\n";
	char *name = malloc(DOC_NAME_MAX + 1), *md = malloc(70 * 1200), *path;
	awn_builder *b = NULL;
	void *blob = NULL;
	uint8_t *copy;
	awn_db *db = NULL;
	size_t len, plen, mlen = 0, i;
	uint32_t k;

	memset(name, 0xff, DOC_NAME_MAX);
	name[DOC_NAME_MAX] = '\0';
	for (k = 0; k < 70; k++) {
		mlen += (size_t)sprintf(md + mlen, "%s %02u", k ? "##" : "#",
		                        (unsigned)k);
		memset(md + mlen, 'a', 1100); /* cut to 1,024 bytes */
		mlen += 1100;
		md[mlen++] = '\n';
	}
	if (awn_builder_new(&b, NULL) != AWN_OK ||
	    awn_builder_add_markdown(b, name, md, mlen, NULL) != AWN_OK ||
	    awn_builder_add_markdown(b, "other", other, sizeof(other) - 1,
	                             NULL) != AWN_OK ||
	    awn_builder_write_memory(b, &blob, &len, NULL) != AWN_OK)
		abort();
	awn_builder_free(b);

	CHECK_INT(open_fixed(blob, len, &db), AWN_OK);
	path = whole_path(db, 1, &plen);
	CHECK_INT(plen, 3 * DOC_NAME_MAX + 3 + 1024 + 3 + 1024);
	CHECK(memcmp(path + plen - 1024, "01aaa", 5) == 0);
	CHECK(memcmp(path + plen - 4, "a...", 4) == 0);
	free(path);
	awn_db_free(db);

	copy = malloc(len);
	memcpy(copy, blob, len);
	for (k = 2; k < 70; k++)
		set_field(table(copy, BT_SECTIONS), k, SF_PARENT_BACK, 1);
	db = NULL;
	CHECK_INT(open_fixed(copy, len, &db), AWN_OK);
	path = whole_path(db, 69, &plen);
	CHECK_INT(plen, AWN_PATH_MAX);
	CHECK(memcmp(path + plen - 6, "aaa...", 6) == 0);
	for (i = 0; i < 3 * DOC_NAME_MAX; i += 3)
		if (memcmp(path + i, "\xef\xbf\xbd", 3) != 0)
			break;
	CHECK_INT(i, 3 * DOC_NAME_MAX);
	free(path);
	awn_db_free(db);
	free(copy);
	free(blob);
	free(md);
	free(name);
}

int
main(void)
{
	static const unsigned counts[] = {BH_NSECTIONS, BH_NDOCS, BH_NBLOCKS,
	                                  BH_NTERMS};
	size_t len, i;
	uint8_t *blob = good_blob(&len), *copy = malloc(len);
	awn_db *db = NULL;
	const char *text;
	size_t tlen;

	CHECK_INT(open_fixed(blob, len, &db), AWN_OK);
	awn_db_free(db);
	check_title_info(blob, len);
	check_html_names(0);
	check_html_names(1);
	check_sources();
	check_suffixes();
	check_origins();
	check_long_paths();

	/* A count of UINT32_MAX once passed for blob-read.c's "any number"
	 * mark, so nsections, ndocs or nblocks could claim 4 billion
	 * records in a table of three: reads far past the file. */
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memcpy(copy, blob, len);
		blob_fix_put32(copy + counts[i], UINT32_MAX);
		db = NULL;
		CHECK_INT(open_fixed(copy, len, &db), AWN_ERR_FORMAT);
		awn_db_free(db);
	}

	/* A section whose block number is AWN_NONE (0xFFFFFFFF) once read
	 * the empty "no block cached" buffer instead of being refused: the
	 * largest number the field's width holds must be refused. */
	memcpy(copy, blob, len);
	set_field_max(table(copy, BT_SECTIONS), 0, SF_BLOCK);
	db = NULL;
	CHECK_INT(open_fixed(copy, len, &db), AWN_OK);
	if (db != NULL) {
		CHECK_INT(awn_db_text(db, 0, &text, &tlen, NULL),
		          AWN_ERR_FORMAT);
		CHECK_INT(awn_db_text(db, 1, &text, &tlen, NULL), AWN_OK);
		CHECK_INT(awn_db_text(db, 0, &text, &tlen, NULL),
		          AWN_ERR_FORMAT);
		awn_db_free(db);
	}

	/* Small notes' text is one stored DEFLATE block, read in place
	 * when its header agrees with the block's raw length; a header that
	 * does not (with the block's CRC made to match) goes to inflate,
	 * which refuses it once the reading gets to the damage. */
	for (i = 0; i < 3; i++) {
		uint8_t *blocks, *z;
		uint32_t clen, rlen;

		memcpy(copy, blob, len);
		blocks = table(copy, BT_BLOCKS);
		z = table(copy, BT_TEXT) + blob_fix_get64(blocks + BB_OFF);
		clen = blob_fix_get32(blocks + BB_CLEN);
		rlen = blob_fix_get32(blocks + BB_RLEN);
		CHECK_INT(clen, rlen + 5);
		CHECK_INT(z[0], 1); /* BFINAL, stored */
		CHECK_INT(z[1] | z[2] << 8, (int)rlen);
		if (i == 0) { /* NLEN wrong */
			z[3] ^= 1;
		} else if (i == 1) { /* LEN one short, NLEN to match */
			z[1] = (uint8_t)(rlen - 1);
			z[2] = (uint8_t)((rlen - 1) >> 8);
			z[3] = (uint8_t)~z[1];
			z[4] = (uint8_t)~z[2];
		} else { /* not the final block */
			z[0] = 0;
		}
		blob_fix_put32(blocks + BB_CRC,
		               (uint32_t)crc32(0, z, (uInt)clen));
		db = NULL;
		CHECK_INT(open_fixed(copy, len, &db), AWN_OK);
		if (db != NULL) {
			/* The last section: its text ends the block. */
			CHECK_INT(awn_db_text(db, 2, &text, &tlen, NULL),
			          AWN_ERR_FORMAT);
			awn_db_free(db);
		}
	}
	free(copy);
	free(blob);

	/* DOC_NAMES's block ends are checked as a block is read, not at
	 * open: with block 0 ending past the names, both blocks show no
	 * name (block 1 would start after its end) and --verify refuses. */
	{
		uint8_t *many = seventeen_docs(NULL, &len), *t;
		size_t n;

		t = table(many, BT_DOC_NAMES);
		CHECK_INT(blob_fix_get32(t), 2);
		blob_fix_put32(t + 4, blob_fix_get32(t + 8) + 1);
		db = NULL;
		CHECK_INT(open_fixed(many, len, &db), AWN_OK);
		if (db != NULL) {
			awn_db_doc_name(db, 0, &n);
			CHECK_INT(n, 0);
			awn_db_doc_name(db, 16, &n);
			CHECK_INT(n, 0);
			CHECK_INT(awn_db_verify(db, NULL), AWN_ERR_FORMAT);
			awn_db_free(db);
		}
		free(many);
	}

	/* A link to another file is found by a binary search of the first
	 * names of DOC_NAMES's blocks: with a block's end past the table, or
	 * a first name that claims bytes of a name before it or runs past
	 * its block, the link leads nowhere and nothing else is read.  (Case
	 * 3, undamaged, finds it.) */
	for (i = 0; i < 4; i++) {
		static const char start[] = "# Start\n\n[last](d16.md)\n";
		uint8_t *many = seventeen_docs(start, &len), *t;
		awn_links *l = NULL;

		t = table(many, BT_DOC_NAMES); /* 2 blocks: a..d15, d16 */
		if (i == 0) /* block 1 ends far past the table */
			blob_fix_put32(t + 8, 0x7fffffff);
		else if (i == 1) /* its first name shares a byte */
			t[12 + blob_fix_get32(t + 4)] = 1;
		else if (i == 2) /* its first name is longer than the block */
			t[12 + blob_fix_get32(t + 4) + 1] = 0x7f;
		db = NULL;
		CHECK_INT(open_fixed(many, len, &db), AWN_OK);
		if (db != NULL) {
			CHECK_INT(awn_db_links(db, 0, &l, NULL), AWN_OK);
			CHECK(l != NULL && l->n == 1);
			if (l != NULL && l->n == 1)
				CHECK(i < 3 ? l->link[0].target == AWN_NONE
				            : l->link[0].target != AWN_NONE);
			awn_links_free(l);
			CHECK_INT(awn_db_find_doc(db, "d16", 3),
			          i < 3 ? AWN_NONE : 16);
			awn_db_free(db);
		}
		free(many);
	}
	return check_status();
}
