/*
 * test-nomem.c - a whole lookup survives running out of memory at any
 * allocation.
 *
 * For N = 0, 1, 2, ... the library's allocator (alloc.h) fails its
 * (N+1)th allocation and every one after it, while the test does what
 * `awsnote` does: open the shipped blob, search (exact, phrase and
 * corrected words), list the hits with paths and summaries, render the
 * best plain and styled, and its heading.  The same again for notes
 * compiled on the fly from Markdown, and for a Markdown file read again
 * for -e --where's lines (awn_linemap_new).  Each step must either succeed or
 * return AWN_ERR_NOMEM with that status in its awn_error, and the loop
 * ends once a run makes no more allocations than it was allowed.  Leaks
 * on the failure paths are ASan's and valgrind's to find.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "awsnote.h"
#include "check.h"

#define MAX_RUNS 200000

static int
discard(void *ctx, const char *data, size_t len)
{
	*(size_t *)ctx += len;
	(void)data;
	return 0;
}

/* Is ST a clean outcome?  Records a failure otherwise. */
static int
clean(awn_status st, const awn_error *err, const char *what, long n)
{
	if (st == AWN_OK)
		return 1;
	if (st != AWN_ERR_NOMEM || err->status != AWN_ERR_NOMEM) {
		fprintf(stderr,
		        "allocation %ld: %s: status %d (%s), want "
		        "AWN_ERR_NOMEM\n",
		        n, what, (int)st, err->detail);
		check_failures++;
	}
	return 0;
}

/* Do step CALL of lookup(); on failure, check it and leave. */
#define STEP(call, what)                                                       \
	do {                                                                   \
		if (!clean(st = (call), &err, (what), n))                      \
			goto out;                                              \
	} while (0)

/* One lookup; returns AWN_OK when every step succeeded. */
static awn_status
lookup(const char *path, const char *const *queries, long n)
{
	static const awn_render_opts plain = {0, 0};
	static const awn_render_opts styled = {
	    AWN_RENDER_STYLE | AWN_RENDER_WRAP, 60};
	awn_error err = {AWN_OK, ""};
	awn_db *db = NULL;
	awn_hits *hits = NULL;
	awn_status st;
	char buf[256];
	size_t out = 0, i, q;
	uint32_t best;

	STEP(awn_db_open_any(&db, path, &err), "open");
	for (q = 0; queries[q] != NULL; q++) {
		awn_hits_free(hits);
		hits = NULL;
		STEP(awn_search(db, queries[q], 5, &hits, &err), queries[q]);
		CHECK(hits->n > 0);
		for (i = 0; i < hits->n; i++) {
			uint32_t s = hits->hit[i].section;
			awn_db_path(db, s, " > ", buf, sizeof(buf));
			STEP(awn_db_summary(db, s, buf, sizeof(buf), &err),
			     "summary");
		}
		if (hits->n == 0)
			continue;
		best = hits->hit[0].section;
		STEP(awn_render_section(db, best, &plain, discard, &out, &err),
		     "render plain");
		STEP(awn_render_section(db, best, &styled, discard, &out, &err),
		     "render styled");
		STEP(awn_render_heading(db, best, "1", &styled, discard, &out,
		                        &err),
		     "render heading");
	}
	st = AWN_OK;
out:
	awn_hits_free(hits);
	awn_db_free(db);
	return st;
}

/* Run LOOKUP failing allocation N for every N; returns the runs made. */
static long
torture(const char *path, const char *const *queries)
{
	long n, made;
	awn_status st;

	for (n = 0; n < MAX_RUNS; n++) {
		alloc_fail_after(n);
		st = lookup(path, queries, n);
		made = alloc_fail_after(-1);
		if (st == AWN_OK && made <= n)
			return n + 1;
		if (st == AWN_OK)
			CHECK(!"succeeded although an allocation failed");
	}
	CHECK(!"the allocation loop did not end");
	return n;
}

/*
 * Lookups of QUERIES in DIR/NAME work with no failure injected, and
 * fail cleanly at each of their allocations, of which there are more
 * than MIN.
 */
static void
check_file(const char *dir, const char *name, const char *const *queries,
           long min)
{
	char path[4096];
	long runs;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK_INT(lookup(path, queries, -1), AWN_OK);
	runs = torture(path, queries);
	printf("%s: %ld allocation failure points\n", name, runs);
	CHECK(runs > min);
}

/* awn_linemap_new of DIR/NAME fails cleanly at each allocation. */
static void
check_linemap(const char *dir, const char *name)
{
	char path[4096], *data;
	awn_linemap *m;
	awn_status st;
	long n, made = 0;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK((f = fopen(path, "rb")) != NULL);
	if (f == NULL)
		return;
	data = malloc(1 << 20);
	len = fread(data, 1, 1 << 20, f);
	fclose(f);
	for (n = 0; n < MAX_RUNS; n++) {
		awn_error err = {AWN_OK, ""};
		alloc_fail_after(n);
		st = awn_linemap_new(&m, data, len, &err);
		made = alloc_fail_after(-1);
		awn_linemap_free(m);
		if (!clean(st, &err, "linemap", n) || st != AWN_OK)
			continue;
		CHECK(made <= n);
		break;
	}
	printf("%s: %ld linemap allocation failure points\n", name, n + 1);
	CHECK(n > 5 && n < MAX_RUNS);
	free(data);
}

int
main(void)
{
	static const char *const blob_queries[] = {
	    "s3 encryption", "\"visibility timeout\" -fifo", "beanstlak",
	    "WaitTimeSeconds", NULL};
	static const char *const md_queries[] = {"widget", "sprokets teeth",
	                                         NULL};
	static const char *const anchor_queries[] = {"params", NULL};
	const char *top = getenv("top_srcdir");
	const char *build = getenv("top_builddir");

	if (top == NULL || build == NULL) {
		fputs("test-nomem: run through make check\n", stderr);
		return 1;
	}
	check_file(build, "share/awsnote.blob", blob_queries, 10);
	/* Markdown compiled on the fly, and sections held for the <a name>
	 * anchors they link to. */
	check_file(top, "tests/fuzz/corpus/markdown/basic.md", md_queries, 100);
	check_file(top, "tests/fuzz/corpus/markdown/anchors.md", anchor_queries,
	           50);
	check_linemap(top, "tests/fuzz/corpus/markdown/basic.md");
	check_linemap(top, "tests/fuzz/corpus/markdown/anchors.md");
	return check_status();
}
