/*
 * test-json.c - unit tests for cli/json.c: string escaping of any bytes
 * (controls, quotes, invalid UTF-8, C1, U+2028), the object layout,
 * and path arrays taken from a db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "check.h"
#include "json.h"

static char *mem;
static size_t memlen;
static struct output out;

static void
out_open(void)
{
	memset(&out, 0, sizeof(out));
	out.fp = open_memstream(&mem, &memlen);
	if (out.fp == NULL)
		abort();
}

/* Everything written since out_open, then closed. */
static const char *
out_take(void)
{
	static char copy[4096];

	fclose(out.fp);
	snprintf(copy, sizeof(copy), "%s", mem);
	free(mem);
	mem = NULL;
	return copy;
}

/* The JSON line for one string field holding S/N (static buffer). */
static const char *
string_line(const char *s, size_t n)
{
	struct json j;

	json_init(&j);
	out_open();
	json_begin(&j, "t");
	json_string_field(&j, "s", s, n);
	CHECK_INT(json_end(&j, &out), 0);
	json_free(&j);
	return out_take();
}

#define STR(lit) string_line((lit), sizeof(lit) - 1)

static void
test_escaping(void)
{
	CHECK_STR(STR("plain text"), "{\"type\":\"t\",\"s\":\"plain text\"}\n");
	CHECK_STR(STR("q\"b\\s/"), "{\"type\":\"t\",\"s\":\"q\\\"b\\\\s/\"}\n");
	/* Every C0 control, DEL: short forms where JSON has them. */
	CHECK_STR(STR("\x00\x01\b\t\n\x0b\f\r\x1b\x1f\x7f"),
	          "{\"type\":\"t\",\"s\":\"\\u0000\\u0001\\b\\t\\n\\u000b\\f"
	          "\\r\\u001b\\u001f\\u007f\"}\n");
	/* Valid UTF-8 stays; C1 and line/paragraph separators escaped. */
	CHECK_STR(STR("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80"),
	          "{\"type\":\"t\",\"s\":\"caf\xC3\xA9 \xE4\xB8\xAD "
	          "\xF0\x9F\x98\x80\"}\n");
	CHECK_STR(STR("a\xC2\x85"
	              "b\xE2\x80\xA8"
	              "c\xE2\x80\xA9"),
	          "{\"type\":\"t\",\"s\":\"a\\u0085b\\u2028c\\u2029\"}\n");
	/* Invalid UTF-8: one \ufffd per bad byte, good text kept around. */
	CHECK_STR(STR("x\xFFy\xC0\xAFz\xED\xA0\x80!\xE4\xB8"),
	          "{\"type\":\"t\",\"s\":\"x\\ufffdy\\ufffd\\ufffdz\\ufffd"
	          "\\ufffd\\ufffd!\\ufffd\\ufffd\"}\n");
	CHECK_STR(STR("\xF4\x90\x80\x80\xF8"),
	          "{\"type\":\"t\",\"s\":\"\\ufffd\\ufffd\\ufffd\\ufffd"
	          "\\ufffd\"}\n");
	CHECK_STR(string_line(NULL, 5), "{\"type\":\"t\",\"s\":\"\"}\n");
}

static void
test_fields(void)
{
	awn_grep_match m[2] = {{0, 3}, {10, 12}};
	const char *got;
	struct json j;

	json_init(&j);
	out_open();
	json_begin(&j, "match");
	json_uint_field(&j, "line", 42);
	json_matches_field(&j, m, 2);
	json_end(&j, &out);
	/* The buffer is reused: the next object starts afresh. */
	json_begin(&j, "count");
	json_matches_field(&j, m, 0);
	json_end(&j, &out);
	json_free(&j);
	got = out_take(); /* CHECK_STR reads its argument twice */
	CHECK_STR(
	    got,
	    "{\"type\":\"match\",\"line\":42,\"matches\":[[0,3],[10,12]]}\n"
	    "{\"type\":\"count\",\"matches\":[]}\n");
}

static void
test_paths(void)
{
	static const char md[] =
	    "# Top \"one\"\n\ntext\n\n## Mid\n\n### Low\n\nx\n";
	awn_builder *b = NULL;
	awn_db *db = NULL;
	const char *got;
	struct json j;
	void *data;
	size_t len;

	if (awn_builder_new(&b, NULL) ||
	    awn_builder_add_markdown(b, "notes", md, sizeof(md) - 1, NULL) ||
	    awn_builder_write_memory(b, &data, &len, NULL) ||
	    awn_db_open_memory(&db, data, len, "notes", NULL)) {
		CHECK(0);
		awn_builder_free(b);
		return;
	}
	awn_builder_free(b);
	json_init(&j);
	out_open();
	json_begin(&j, "section");
	json_section_fields(&j, db, 2);
	json_end(&j, &out);
	json_begin(&j, "section");
	json_section_fields(&j, db, 0);
	json_end(&j, &out);
	json_free(&j);
	got = out_take();
	CHECK_STR(got,
	          "{\"type\":\"section\",\"path\":[\"Top \\\"one\\\"\",\"Mid\","
	          "\"Low\"],\"anchor\":\"low\"}\n"
	          "{\"type\":\"section\",\"path\":[\"Top \\\"one\\\"\"],"
	          "\"anchor\":\"top-one\"}\n");
	awn_db_free(db);
}

int
main(void)
{
	test_escaping();
	test_fields();
	test_paths();
	return check_status();
}
