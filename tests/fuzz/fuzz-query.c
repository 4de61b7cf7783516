/*
 * fuzz-query.c - fuzz target: arbitrary bytes as a keyword query.
 *
 * The notes are fixed (compiled once, in memory, from the Markdown
 * below: enough words for exact, joined, camelCase, split, prefix and
 * fuzzy matches); the input, cut at its first NUL as a C string would
 * be, is the query.  A query may be refused (AWN_ERR_QUERY) but must
 * never crash, and every hit must name a real section.  The same string
 * is then a regex pattern (-e), searched for in every section: a bad
 * pattern is AWN_ERR_QUERY, a pathological one AWN_ERR_LIMIT, and
 * neither may crash or run on (libFuzzer reports slow inputs); each
 * section has as many matching lines as when every line is read,
 * without the block filter.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "fuzz.h"
#include "grep.h"

static const char notes[] =
    "Notes about gadgets.\n\n"
    "# Widgets\n\nA *widget* frobs the `sprocket`. See [gears](#gears).\n\n"
    "## Widget encryption\n\nSSE-S3, SSE-KMS and client-side keys. "
    "WaitTimeSeconds and ReceiveMessage. API Gateway; CloudFront. "
    "Encrypt, encrypted; cache, caching, cached (word forms).\n\n"
    "Log, logging; notify, notified, notification; consistent, "
    "consistency (stems that change).\n\n"
    "## Sprockets\n\n* teeth\n* more `teeth`\n  * nested teeth\n\n"
    "> quoted text about visibility timeouts\n\n"
    "# Gears\n\n| gear | ratio |\n|---|---|\n| spur | 1:2 |\n\n"
    "```sh\naws s3 cp --sse aws:kms file s3://bucket/\n```\n\n"
    "### Elastic Beanstalk\n\nDeployment policies: all at once, rolling, "
    "immutable, blue/green. ElastiCache and DynamoDB streams.\n\n"
    "# Caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\n\nUnicode "
    "words: na\xc3\xafve r\xc3\xa9sum\xc3\xa9, \xce\xb1\xce\xb2\xce\xb3.\n";

static awn_db *
notes_db(void)
{
	static awn_db *db;
	awn_builder *b = NULL;
	void *blob = NULL;
	size_t len = 0;

	if (db != NULL)
		return db;
	if (awn_builder_new(&b, NULL) != AWN_OK ||
	    awn_builder_add_markdown(b, "notes", notes, sizeof(notes) - 1,
	                             NULL) != AWN_OK ||
	    awn_builder_write_memory(b, &blob, &len, NULL) != AWN_OK ||
	    awn_db_open_memory(&db, blob, len, "notes", NULL) != AWN_OK)
		abort();
	awn_builder_free(b);
	return db;
}

/* Checks each line's matches; CTX counts the lines. */
static int
check_line(void *ctx, const awn_grep_line *line)
{
	size_t i;

	++*(size_t *)ctx;
	for (i = 0; i < line->nmatch; i++)
		FUZZ_ASSERT(line->match[i].start < line->match[i].end &&
		            line->match[i].end <= line->len);
	return 0;
}

/* PATTERN as a regex, with flags picked by the input's length. */
static void
grep_all(awn_db *db, const char *pattern, size_t size)
{
	static const unsigned flags[] = {0, AWN_GREP_IGNORE_CASE,
	                                 AWN_GREP_WORD | AWN_GREP_IGNORE_CASE,
	                                 AWN_GREP_FIXED};
	awn_grep *g = NULL;
	awn_status st;
	uint32_t i;

	st = awn_grep_new(&g, &pattern, 1, flags[size % 4], NULL);
	FUZZ_ASSERT(st == AWN_OK || st == AWN_ERR_QUERY || st == AWN_ERR_LIMIT);
	if (st != AWN_OK)
		return;
	for (i = 0; i < awn_db_count(db); i++) {
		const char *text;
		size_t len, found = 0, all = 0;
		awn_status st2;

		/* As -e searches (a block's filter, then lines passed over),
		 * then every line read: a literal that is not really
		 * required would hide lines that match. */
		grep_set_skip(g, 1);
		st = awn_grep_section(g, db, i, check_line, &found, NULL);
		FUZZ_ASSERT(st == AWN_OK || st == AWN_ERR_LIMIT);
		FUZZ_ASSERT(awn_db_text(db, i, &text, &len, NULL) == AWN_OK);
		grep_set_skip(g, 0);
		st2 = grep_text(g, i, text, len, check_line, &all, NULL);
		FUZZ_ASSERT(st2 == AWN_OK || st2 == AWN_ERR_LIMIT);
		if (st == AWN_OK && st2 == AWN_OK)
			FUZZ_ASSERT(found == all);
		else
			break; /* a runaway pattern: -e stops here too */
	}
	awn_grep_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	awn_db *db = notes_db();
	awn_hits *hits = NULL;
	awn_status st;
	char *query = malloc(size + 1);
	size_t i;

	if (query == NULL)
		return 0;
	memcpy(query, data, size);
	query[size] = '\0';
	st = awn_search(db, query, 10, &hits, NULL);
	FUZZ_ASSERT(st == AWN_OK || st == AWN_ERR_QUERY);
	if (st == AWN_OK) {
		FUZZ_ASSERT(hits->n <= 10);
		FUZZ_ASSERT(memchr(hits->corrected, '\0',
		                   sizeof(hits->corrected)) != NULL);
		for (i = 0; i < hits->n; i++)
			FUZZ_ASSERT(hits->hit[i].section < awn_db_count(db));
		awn_hits_free(hits);
	}
	grep_all(db, query, size);
	free(query);
	return 0;
}
