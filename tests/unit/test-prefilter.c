/*
 * test-prefilter.c - required literals of patterns, and block filters
 * that never hide a block holding a match.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prefilter.h"

/* PATTERN's literal by FN: prefilter_literal (folded) or
 * prefilter_required (as written). */
static const char *
scan(size_t (*fn)(const char *, int, int, char *), const char *pattern,
     int fixed, int caseless)
{
	static char out[PREFILTER_MAX + 1];
	size_t n = fn(pattern, fixed, caseless, out);

	out[n] = '\0';
	return out;
}

#define lit(p, fixed, caseless) scan(prefilter_literal, p, fixed, caseless)
#define req(p, fixed, caseless) scan(prefilter_required, p, fixed, caseless)

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
	CHECK_STR(lit("x{2,}yzw", 0, 0), "yzw");
	CHECK_STR(lit("x{,3}yzw", 0, 0), "yzw");
	/* A '{' that is no quantifier is a character: a verb's name after
	 * it is not text, nor is a group's content sure. */
	CHECK_STR(req("c{(*MARK:}zzzz) def", 0, 0), "");
	CHECK_STR(req("c{wxyz", 0, 0), "wxyz");
	CHECK_STR(req("\\d{(*MARK:}zzzz) def", 0, 0), "");
	CHECK_STR(req("\\d{2}wxyz", 0, 0), "wxyz");
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
	/* As written: the case is kept. */
	CHECK_STR(req("ProvisionedThroughput\\w+", 0, 0),
	          "ProvisionedThroughput");
	CHECK_STR(req("Caf\xc3\xa9s", 1, 1), "Caf");
	CHECK_STR(req("S3", 0, 0), "S3"); /* too short for the filters */
	CHECK_STR(lit("S3", 0, 0), "");
	CHECK_STR(req("\\w+", 0, 0), "");
	/* An escape's tail is not text: \x4c, \114 and \cJ are one
	 * character, \pL a class; \Q and \E end the scan, dropping the
	 * character a quantifier after them would make optional. */
	CHECK_STR(req("\\x4cambda", 0, 0), "ambda");
	CHECK_STR(req("\\x{4c}ambda", 0, 0), "ambda");
	CHECK_STR(req("\\114ambda", 0, 0), "ambda");
	CHECK_STR(req("\\cJambda", 0, 0), "ambda");
	CHECK_STR(req("\\pLambda", 0, 0), "ambda");
	CHECK_STR(req("\\p{Lu}ambda", 0, 0), "ambda");
	CHECK_STR(req("\\o{114}ambda", 0, 0), "ambda");
	CHECK_STR(req("abcd\\E*", 0, 0), "abc");
	CHECK_STR(req("abcd\\Q.x\\E", 0, 0), "abc");
	/* A quantifier makes a whole UTF-8 character optional. */
	CHECK_STR(req("xyz\xc3\xa9?", 0, 0), "xyz");
	/* '|' in a group leaves what comes before it sure; outside, or
	 * after \Q (where '(' may be text), nothing is. */
	CHECK_STR(req("encrypt(ion|ed)", 0, 0), "encrypt");
	CHECK_STR(req("encrypt[|]", 0, 0), "encrypt");
	CHECK_STR(req("encrypt(ion)|ed", 0, 0), "");
	CHECK_STR(req("encrypt[(]|ed", 0, 0), "");
	CHECK_STR(req("encrypt[[:alpha:](]|ed", 0, 0), "");
	CHECK_STR(req("encrypt\\Q(\\E|ed", 0, 0), "");
	CHECK_STR(req("encrypt\\(|ed", 0, 0), "");
	/* "\cX" is one character whatever X is: in "[\c\]" the ']' closes
	 * the class, in "(\c\)" the ')' the group, and the '|' after them
	 * is outside; in "[\c]]" the second ']' closes the class. */
	CHECK_STR(req("abcd[\\c\\]|x]", 0, 0), "");
	CHECK_STR(req("abcd(\\c\\)|(x)", 0, 0), "");
	CHECK_STR(req("ab[\\c]]wxyz", 0, 0), "wxyz");
	/* A verb's name ends at the first ')': a '(' or '\' in it opens
	 * nothing. */
	CHECK_STR(req("abcd(*MARK:()|(x)", 0, 0), "");
	CHECK_STR(req("abcd(*MARK:\\)|(x)", 0, 0), "");
	CHECK_STR(req("abcd(*MARK:|)x", 0, 0), "abcd");
	/* \Q...\E in a class is the class's: "]" in it ends nothing, and
	 * an empty \Q\E first leaves a "]" the first character. */
	CHECK_STR(req("[\\Q]xyz\\E] alone", 0, 0), " alone");
	CHECK_STR(req("[\\Q\\E]xyz] alone", 0, 0), " alone");
	CHECK_STR(req("[^\\E]xyz] alone", 0, 0), " alone");
	CHECK_STR(req("[\\Q]|\\E]xyz", 0, 0), "xyz");
	/* A POSIX name ends at the first ":]" unless a ']' or another "[:"
	 * comes first, as PCRE2 reads it: then the '|' is outside. */
	CHECK_STR(req("letter[[:[:]|alone", 0, 0), "");
	CHECK_STR(req("letter[[:alpha:]|]x", 0, 0), "letter");
	CHECK_STR(req("letter[[:a]|b:]", 0, 0), "");

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
	/* A line's filter is exactly its trigrams' filters together, at
	 * every length (prefilter_add takes four trigrams a step, then the
	 * rest one at a time), with bytes of every value. */
	for (i = 0; i < 400; i++) {
		unsigned char line[24], one[PREFILTER_BYTES];
		size_t n = (size_t)i % 24, k;
		for (k = 0; k < n; k++)
			line[k] = (unsigned char)rand();
		memset(f, 0, sizeof(f));
		memset(one, 0, sizeof(one));
		prefilter_add(f, (const char *)line, n);
		for (k = 0; k + 3 <= n; k++)
			prefilter_add(one, (const char *)line + k, 3);
		CHECK(memcmp(f, one, sizeof(f)) == 0);
	}
	return check_status();
}
