/*
 * test-token.c - the terms that text and queries turn into.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- token_count_words against token_words ---- */

/* Terms (copies) of some texts, and a set of pointers into them. */
struct terms {
	char term[TOKEN_SET_MAX][TOKEN_MAX + 1];
	unsigned n;
};

static awn_status
keep_term(void *ctx, const struct token *t)
{
	struct terms *k = ctx;

	if (k->n < TOKEN_SET_MAX)
		memcpy(k->term[k->n++], t->term, t->len + 1);
	return AWN_OK;
}

struct slow_count {
	const struct terms *set;
	unsigned words, found;
};

/* Is TERM one of SET's? */
static int
in_terms(const struct terms *set, const char *term)
{
	unsigned k;

	for (k = 0; k < set->n; k++)
		if (strcmp(set->term[k], term) == 0)
			return 1;
	return 0;
}

/* What title_cover did before token_count_words: compare every word. */
static awn_status
slow_count(void *ctx, const struct token *t)
{
	struct slow_count *c = ctx;

	c->words++;
	c->found += in_terms(c->set, t->term);
	return AWN_OK;
}

/* A digest of the tokens a scan reports: those in SET unless NULL. */
struct digest {
	const struct terms *set;
	unsigned long n;
	uint32_t h;
};

static awn_status
digest_token(void *ctx, const struct token *t)
{
	struct digest *d = ctx;
	const size_t f[] = {t->len, t->start, t->end, t->pos, t->kind};
	size_t i;

	if (d->set && !in_terms(d->set, t->term))
		return AWN_OK;
	d->n++;
	for (i = 0; i < sizeof(f) / sizeof(*f); i++)
		d->h = (d->h ^ (uint32_t)f[i]) * 16777619u;
	for (i = 0; i < t->len; i++)
		d->h = (d->h ^ (unsigned char)t->term[i]) * 16777619u;
	return AWN_OK;
}

static unsigned long count_checks, count_found, scan_found;

/*
 * TEXT/LEN with the terms of SET: token_count_words counts as
 * token_words does, and token_scan_in reports what token_scan does of
 * them, in order.
 */
static void
check_set(const char *text, size_t len, const struct terms *set)
{
	struct slow_count want = {set, 0, 0};
	struct digest all = {set, 0, 2166136261u}, in = {NULL, 0, 2166136261u};
	struct token_set ts;
	unsigned k, words, found;

	token_set_clear(&ts);
	for (k = 0; k < set->n; k++)
		CHECK_INT(
		    token_set_add(&ts, set->term[k], strlen(set->term[k])),
		    AWN_OK);
	token_words(text, len, slow_count, &want);
	token_count_words(text, len, &ts, &words, &found);
	token_scan(text, len, digest_token, &all);
	token_scan_in(text, len, &ts, digest_token, &in);
	if (words != want.words || found != want.found || in.n != all.n ||
	    in.h != all.h)
		fprintf(stderr, "in \"%.*s\":\n", (int)(len < 300 ? len : 300),
		        text);
	CHECK_INT(words, want.words);
	CHECK_INT(found, want.found);
	CHECK_INT(in.n, all.n);
	CHECK_INT(in.h, all.h);
	count_checks++;
	count_found += found;
	scan_found += in.n;
}

/* Add TERM, and terms one to three bytes longer or shorter (the edges
 * of what token_count_words may rule out unread), to SET. */
static void
add_near(struct terms *set, const char *term)
{
	static const char *const tails[] = {"", "s", "e", "es", "ies", "y"};
	size_t n = strlen(term), cut, i;

	for (i = 0; i < sizeof(tails) / sizeof(*tails); i++)
		if (set->n < TOKEN_SET_MAX && n + strlen(tails[i]) <= TOKEN_MAX)
			snprintf(set->term[set->n++], TOKEN_MAX + 1, "%s%s",
			         term, tails[i]);
	for (cut = 1; cut <= 3 && cut < n; cut++)
		if (set->n < TOKEN_SET_MAX)
			snprintf(set->term[set->n++], TOKEN_MAX + 1, "%.*s",
			         (int)(n - cut), term);
}

/* Check TEXT/LEN against the terms of the last text (*LAST, which
 * becomes its terms), then with every other one of its own (parts and
 * acronyms too) as well, then with near misses of those too. */
static void
check_near(const char *text, size_t len, struct terms *last)
{
	struct terms own, set = *last;
	unsigned k;

	own.n = 0;
	token_scan(text, len, keep_term, &own); /* parts too */
	check_set(text, len, &set);
	for (k = 0; k < own.n && set.n < TOKEN_SET_MAX; k += 2)
		memcpy(set.term[set.n++], own.term[k], TOKEN_MAX + 1);
	check_set(text, len, &set);
	for (k = 0; k < own.n && last->n < TOKEN_SET_MAX - 9; k += 2)
		add_near(last, own.term[k]);
	check_set(text, len, last);
	*last = own;
}

/*
 * Every title and text of the blob at PATH against the terms of some
 * queries, then against those of the title and of the previous one,
 * each also a few bytes longer and shorter.  Returns the sections.
 */
static uint32_t
check_blob(const char *path)
{
	static const char *const queries[] = {"dynamodb",
	                                      "lambda concurrency",
	                                      "provisioned throughput",
	                                      "s3 bucket policy",
	                                      "cloudformation stack",
	                                      "s3 encryption",
	                                      "dynamodb streams",
	                                      "kms",
	                                      "aws",
	                                      "policies",
	                                      "ec2 instance"};
	struct terms q, prev, set;
	awn_section sec;
	const char *text;
	size_t len;
	awn_db *db;
	uint32_t id, n;
	unsigned i, k;

	if (awn_db_open(&db, path, NULL) != AWN_OK) {
		fprintf(stderr, "test-token: cannot open %s\n", path);
		CHECK(!"blob opens");
		return 0;
	}
	q.n = prev.n = 0;
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++)
		token_words(queries[i], strlen(queries[i]), keep_term, &q);
	n = awn_db_count(db);
	for (id = 0; id < n; id++) {
		if (awn_db_section(db, id, &sec) != AWN_OK)
			continue;
		check_set(sec.title, sec.title_len, &q);
		check_near(sec.title, sec.title_len, &prev);
		if (awn_db_text(db, id, &text, &len, NULL) != AWN_OK)
			continue;
		/* the text against the title's terms, and near misses */
		check_set(text, len, &q);
		check_set(text, len, &prev);
		for (set.n = k = 0; k < prev.n; k++)
			add_near(&set, prev.term[k]);
		check_set(text, len, &set);
	}
	awn_db_free(db);
	return n;
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
	/* tldr's marked letters: the whole is the word. */
	CHECK_STR(terms("E[x]tract a [f]ile"),
	          "extract e' x' tract' a fil f' ile'");
	CHECK_STR(terms("[c]reate"), "creat c' reat'");
	CHECK_STR(terms("[-x|--extract]"), "x extract");
	CHECK_STR(terms("end. Next"), "end next");
	CHECK_STR(terms("x -- y"), "x y");
	CHECK_STR(terms("CAFÉ Ωmega"), "café ωmega");
	/* Characters that do not fold keep their bytes, a cut one is
	 * dropped, and a caseless script does not split. */
	CHECK_STR(terms("\xE1\xB8\x80"
	                "bc"),
	          "\xE1\xB8\x80"
	          "bc");
	CHECK_STR(terms("Ωmega\xC3"), "ωmega");
	CHECK_STR(terms("한국어Word 中文"), "한국어word 한국어' word' 中文");
	CHECK_STR(terms("a\x01"
	                "b\x02"),
	          "a b");
	CHECK_STR(terms(""), "");
	/* Chinese and Japanese: each pair of neighbours, a lone one alone;
	 * a word of other letters beside them ends there, and no connector
	 * joins one to them. */
	CHECK_STR(terms("\xe5\xbd\x92\xe6\xa1\xa3\xe5\xae\x9e"), /* 归档实 */
	          "\xe5\xbd\x92\xe6\xa1\xa3 \xe6\xa1\xa3\xe5\xae\x9e");
	CHECK_STR(terms("S3\xe5\xad\x98 x"), "s3 \xe5\xad\x98 x"); /* S3存 */
	CHECK_STR(terms("S3-\xe5\xad\x98\xe5\x82\xa8-x"), /* S3-存储-x */
	          "s3 \xe5\xad\x98\xe5\x82\xa8 x");
	CHECK_STR(terms("\xe3\x82\xa2\xe3\x83\xbc\xe3\x82\xab"), /* アーカ */
	          "\xe3\x82\xa2\xe3\x83\xbc \xe3\x83\xbc\xe3\x82\xab");
	/* Hangul has spaces between its words: a word. */
	CHECK_STR(terms("\xec\x95\x95\xec\xb6\x95 x"),
	          "\xec\x95\x95\xec\xb6\x95 x");
	/* Plural acronyms lose the 's' instead of splitting. */
	CHECK_STR(terms("RCUs and AMIs"), "rcu and ami");
	/* Capitalised runs give their initials (an all-caps word whole). */
	CHECK_STR(terms("a Local Secondary Index here"),
	          "a local secondary index her lsi'");
	CHECK_STR(terms("Network ACL: x"), "network acl nacl' x");
	CHECK_STR(terms("Dead Letter Queue"), "dead letter queu dlq'");
	CHECK_STR(terms("One. Two"), "one two");
	/* How separators end words, chunks and capitalised runs. */
	{
		static const struct {
			const char *text, *terms;
		} cases[] = {
		    /* Runs of separators: spaces alone let the run go on,
		     * any other byte in the run ends it, UTF-8 ones (a
		     * no-break space) too. */
		    {"Network  ACL", "network acl nacl'"},
		    {"Network ACL  ;; x", "network acl nacl' x"},
		    {"Network\tACL", "network acl"},
		    {"Local Secondary\xc2\xa0Index",
		     "local secondary ls' index"},
		    /* Connectors: ASCII and U+2019, then a word, a separator
		     * or the end of the text; a dash that is not one. */
		    {"don\xe2\x80\x99t Don\xe2\x80\x99 x",
		     "dont don' t' don x"},
		    {"a- b-.c x.y.z", "a b c xyz x' y' z'"},
		    {"a\xe2\x80\x94"
		     "b",
		     "a b"},
		    /* Text that is one word, or ends in one. */
		    {"abcdefghijk", "abcdefghijk"},
		    {"x EC2s", "x ec2"},
		    /* Capitalised words, in the text and at its end. */
		    {"Instances of DynamoDB",
		     "instanc of dynamodb dynamo' db'"},
		    {"EC2 Instances", "ec2 instanc ei'"},
		    {"Policies", "policy"},
		};
		size_t i;

		for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
			CHECK_STR(terms(cases[i].text), cases[i].terms);
	}
	/* Words folded eight bytes at a time (lower case, upper case,
	 * digits, longer than 8 and 16 bytes), or a byte at a time near
	 * the end of the text, or decoded where they have UTF-8. */
	CHECK_STR(terms("configurations and permissions, too"),
	          "configuration and permission too");
	CHECK_STR(terms("ABCDEFGHIJKLMNOPQRSTU x"), "abcdefghijklmnopqrstu x");
	CHECK_STR(terms("s3bucketnames and 2023-10-01 x"),
	          "s3bucketnames and 20231001 2023' 10' 01' x");
	CHECK_STR(terms("xmlhttprequests"), "xmlhttprequest");
	CHECK_STR(terms("Caf\xc3\xa9teria menus x"),
	          "caf\xc3\xa9teria menus x");
	CHECK_STR(terms("ExtraordinarilyLongCamelCaseIdentifierNames x"),
	          "extraordinarilylongcamelcaseidentifiernam extraordinarily' "
	          "long' camel' cas' identifier' nam' x");
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
		    /* plural acronyms that stem: 3 bytes shorter */
		    "ABCESs POLICIESs Policies EC2s AMIs",
		    "a-b-c-d-e-f-g-h-i a_b_c_d_e_f_g_h",
		    "q-b-c-d-e-f-g-h-i",
		    "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxx"
		    "xxxxs-x "
		    "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		    "yyyyyyyyyyyies",
		};
		char r[200];
		unsigned i, j, seed = 1;
		const char alpha[] = "aB9s-._/:' \x01\xc3\xa9\xe2\x80\x99\xff";
		for (i = 0; i < sizeof(texts) / sizeof(*texts); i++)
			check_words(texts[i], strlen(texts[i]));
		struct terms set = {{{0}}, 0};
		for (i = 0; i < sizeof(texts) / sizeof(*texts); i++)
			check_near(texts[i], strlen(texts[i]), &set);
		for (i = 0; i < 20000; i++) {
			size_t n = i % sizeof(r);
			for (j = 0; j < n; j++) {
				seed = seed * 1103515245 + 12345;
				r[j] =
				    alpha[(seed >> 16) % (sizeof(alpha) - 1)];
			}
			check_words(r, n);
			check_near(r, n, &set);
		}
	}

	/* Both over every title and text of the seed blob, and of the
	 * blobs in AWSNOTE_TEST_BLOBS (colon-separated), if any. */
	{
		const char *build = getenv("top_builddir");
		const char *more = getenv("AWSNOTE_TEST_BLOBS");
		char path[4096];
		uint32_t n;

		if (build == NULL) {
			fputs("test-token: run through make check\n", stderr);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/share/awsnote.blob", build);
		n = check_blob(path);
		CHECK(n > 10);
		while (more && *more) {
			size_t l = strcspn(more, ":");
			snprintf(path, sizeof(path), "%.*s", (int)l, more);
			n = check_blob(path);
			printf("%s: %u sections\n", path, n);
			more += l + (more[l] == ':');
		}
		printf("%lu checks: token_count_words found %lu words, "
		       "token_scan_in %lu terms\n",
		       count_checks, count_found, scan_found);
		CHECK(count_found > 1000);
	}

	CHECK_STR(stem("policies"), "policy");
	CHECK_STR(stem("policy"), "policy");
	CHECK_STR(stem("indexes"), "index");
	CHECK_STR(stem("index"), "index");
	CHECK_STR(stem("caches"), "cach");
	CHECK_STR(stem("cache"), "cach");
	/* No vowel before the e: no stem to leave ("nvm" is another word). */
	CHECK_STR(stem("nvme"), "nvme");
	CHECK_STR(stem("nvmes"), "nvme");
	CHECK_STR(stem("type"), "typ");
	CHECK_STR(stem("classes"), "class");
	CHECK_STR(stem("class"), "class");
	CHECK_STR(stem("status"), "status");
	CHECK_STR(stem("analysis"), "analysis");
	CHECK_STR(stem("aws"), "aws");
	CHECK_STR(stem("ec2s"), "ec2s"); /* digits: left alone */
	return check_status();
}
