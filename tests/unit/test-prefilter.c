/*
 * test-prefilter.c - required literals of patterns, and block filters
 * that never hide a block holding a match.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prefilter.h"

static const char *
lit(const char *pattern, int fixed, int caseless)
{
	static char out[PREFILTER_MAX + 1];
	size_t n = prefilter_literal(pattern, fixed, caseless, out);

	out[n] = '\0';
	return out;
}

int
main(void)
{
	unsigned char f[PREFILTER_BYTES];
	const char *text = "Use ProvisionedThroughputExceededException here";
	int i;

	CHECK_STR(lit("ProvisionedThroughput\\w+", 0, 0),
	          "provisionedthroughput");
	CHECK_STR(lit("SSE-\\w+", 0, 0), "sse-");
	CHECK_STR(lit("colou?r", 0, 0), "colo"); /* the u is optional */
	CHECK_STR(lit("ab*cdef", 0, 0), "cdef");
	CHECK_STR(lit("x{2}yzw", 0, 0), "yzw");
	CHECK_STR(lit("a+bcd", 0, 0), "bcd");
	CHECK_STR(lit("[a-z]+Exception", 0, 0), "exception");
	CHECK_STR(lit("aws\\.amazon", 0, 0), "aws.amazon");
	CHECK_STR(lit("foo.bar", 0, 0), "foo");
	/* Nothing sure: alternation, inline options, classes only, short. */
	CHECK_STR(lit("kms|sse", 0, 0), "");
	CHECK_STR(lit("(?x) k m s", 0, 0), "");
	CHECK_STR(lit("\\w+\\d", 0, 0), "");
	CHECK_STR(lit("ab", 0, 0), "");
	CHECK_STR(lit("(abc)?def", 0, 0), "");
	/* Fixed strings are their own literal; caseless keeps ASCII only. */
	CHECK_STR(lit("a.b*c", 1, 0), "a.b*c");
	CHECK_STR(lit("Caf\xc3\xa9s", 1, 1), "caf");
	CHECK_STR(lit("Caf\xc3\xa9s", 1, 0), "caf\xc3\xa9s");

	/* A filter holds what was added, folded; other text mostly not. */
	memset(f, 0, sizeof(f));
	prefilter_add(f, text, strlen(text));
	CHECK(prefilter_may_contain(f, "provisionedthroughput", 21));
	CHECK(prefilter_may_contain(f, "exceeded", 8));
	CHECK(!prefilter_may_contain(f, "kinesis data firehose", 21));
	/* Trigrams do not cross lines: each line is added on its own. */
	memset(f, 0, sizeof(f));
	prefilter_add(f, "abc", 3);
	prefilter_add(f, "def", 3);
	CHECK(prefilter_may_contain(f, "abc", 3));
	CHECK(!prefilter_may_contain(f, "cde", 3));
	/* No false negatives on random text. */
	srand(7);
	for (i = 0; i < 2000; i++) {
		char line[64];
		size_t n = 10 + (size_t)(rand() % 50), at, k;
		for (k = 0; k < n; k++)
			line[k] = (char)('A' + rand() % 58);
		memset(f, 0, sizeof(f));
		prefilter_add(f, line, n);
		at = (size_t)rand() % (n - 5);
		{
			char sub[6];
			for (k = 0; k < 5; k++)
				sub[k] = (char)(line[at + k] >= 'A' &&
				                        line[at + k] <= 'Z'
				                    ? line[at + k] + 32
				                    : line[at + k]);
			CHECK(prefilter_may_contain(f, sub, 5));
		}
	}
	return check_status();
}
