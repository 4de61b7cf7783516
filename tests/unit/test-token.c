/*
 * test-token.c - the terms that text and queries turn into.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "token.h"

struct collect {
	char out[2048];
};

static awn_status
add(void *ctx, const struct token *t)
{
	struct collect *c = ctx;

	if (c->out[0])
		strcat(c->out, " ");
	strcat(c->out, t->term);
	if (t->kind == TOKEN_PART)
		strcat(c->out, "'");
	return AWN_OK;
}

static const char *
terms(const char *text)
{
	static struct collect c;

	c.out[0] = '\0';
	token_scan(text, strlen(text), add, &c);
	return c.out;
}

/* Whole words with positions and places, as token_words must give them. */
static awn_status
add_word(void *ctx, const struct token *t)
{
	struct collect *c = ctx;
	char num[64];

	if (t->kind != TOKEN_WORD || strlen(c->out) + t->len + 64 > 2048)
		return AWN_OK;
	snprintf(num, sizeof(num), "%s%u:%zu-%zu:", c->out[0] ? " " : "",
	         t->pos, t->start, t->end);
	strcat(c->out, num);
	strcat(c->out, t->term);
	return AWN_OK;
}

/* token_words on TEXT/LEN gives token_scan's whole words. */
static void
check_words(const char *text, size_t len)
{
	static struct collect a, b;

	a.out[0] = b.out[0] = '\0';
	token_scan(text, len, add_word, &a);
	token_words(text, len, add_word, &b);
	CHECK_STR(b.out, a.out);
}

static const char *
stem(const char *w)
{
	static char buf[64];
	size_t n = strlen(w);

	memcpy(buf, w, n);
	buf[token_stem(buf, n)] = '\0';
	return buf;
}

int
main(void)
{
	/* Parts are marked ' in these expectations. */
	CHECK_STR(terms("Hello, World!"), "hello world");
	CHECK_STR(terms("SSE-S3"), "sses3 sse' s3'");
	CHECK_STR(terms("Route-53 and route53"),
	          "route53 rout' 53' and route53");
	CHECK_STR(terms("WaitTimeSeconds"),
	          "waittimesecond wait' tim' second'");
	CHECK_STR(terms("DynamoDB"), "dynamodb dynamo' db'");
	CHECK_STR(terms("DBInstance"), "dbinstanc db' instanc'");
	CHECK_STR(terms("iam:PassRole"), "iampassrol iam' passrol' pass' rol'");
	CHECK_STR(terms("end. Next"), "end next");
	CHECK_STR(terms("x -- y"), "x y");
	CHECK_STR(terms("CAFÉ Ωmega"), "café ωmega");
	CHECK_STR(terms("a\x01"
	                "b\x02"),
	          "a b");
	CHECK_STR(terms(""), "");
	/* Plural acronyms lose the 's' instead of splitting. */
	CHECK_STR(terms("RCUs and AMIs"), "rcu and ami");
	/* Capitalised runs give their initials (an all-caps word whole). */
	CHECK_STR(terms("a Local Secondary Index here"),
	          "a local secondary index her lsi'");
	CHECK_STR(terms("Network ACL: x"), "network acl nacl' x");
	CHECK_STR(terms("Dead Letter Queue"), "dead letter queu dlq'");
	CHECK_STR(terms("One. Two"), "one two");
	/* Pieces beyond the cap do not overflow. */
	{
		char big[4000];
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		CHECK_INT(strlen(terms(big)), TOKEN_MAX);
	}

	/* token_words: the whole words alone, byte for byte. */
	{
		static const char *texts[] = {
		    "Hello, World!",
		    "SSE-S3 and iam:PassRole",
		    "RCUs AMIs A1s",
		    "a Local Secondary Index here",
		    "x -- y. z-",
		    "-a b_",
		    "CAFÉ Ωmega\xe2\x80\x99s don\xe2\x80\x99t",
		    "a-b-c-d-e-f-g-h a-b-c-d-e-f-g-h-i",
		    "DynamoDB DBInstance",
		    "\xff\xfe-a \xc3-b a\x01-b",
		    "",
		    "-",
		    "a",
		    "aS-",
		};
		char r[200];
		unsigned i, j, seed = 1;
		const char alpha[] = "aB9s-._/:' \x01\xc3\xa9\xe2\x80\x99\xff";
		for (i = 0; i < sizeof(texts) / sizeof(*texts); i++)
			check_words(texts[i], strlen(texts[i]));
		for (i = 0; i < 20000; i++) {
			size_t n = i % sizeof(r);
			for (j = 0; j < n; j++) {
				seed = seed * 1103515245 + 12345;
				r[j] =
				    alpha[(seed >> 16) % (sizeof(alpha) - 1)];
			}
			check_words(r, n);
		}
	}

	CHECK_STR(stem("policies"), "policy");
	CHECK_STR(stem("policy"), "policy");
	CHECK_STR(stem("indexes"), "index");
	CHECK_STR(stem("index"), "index");
	CHECK_STR(stem("caches"), "cach");
	CHECK_STR(stem("cache"), "cach");
	CHECK_STR(stem("classes"), "class");
	CHECK_STR(stem("class"), "class");
	CHECK_STR(stem("status"), "status");
	CHECK_STR(stem("analysis"), "analysis");
	CHECK_STR(stem("aws"), "aws");
	CHECK_STR(stem("ec2s"), "ec2s"); /* digits: left alone */
	return check_status();
}
