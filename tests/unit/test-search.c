/*
 * test-search.c - the ranking rules of awsnote(1), on a tiny corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awsnote.h"
#include "check.h"
#include "db.h"

static const char notes[] =
    "# Queues\n\nQueues hold messages. A queue is a buffer.\n\n"
    "## Visibility\n\nThe visibility timeout hides a message.\n"
    "Use ChangeMessageVisibility to change it.\n\n"
    "## Dead letters\n\nFailed messages go to a dead letter queue.\n\n"
    "# Storage\n\nBuckets store objects. Encryption with SSE-S3.\n\n"
    "### Encryption\n\nServer-side encryption: SSE-KMS, SSE-S3, SSE-C.\n\n"
    "# Databases\n\n## Encryption\n\nEncrypt databases at rest.\n\n"
    "## Timeouts\n\nA timeout of 30 seconds.\n"
    "# CloudFront\n\nA content delivery network.\n\n"
    "# Weather\n\nA cloud front moved in from the west.\n"
    "# Functions\n\n## Lambda function\n\nA lambda function runs code.\n\n"
    "# Twins\n\n## Twin LambdaFunction\n\nThe twin's settings.\n\n"
    "# Resources\n\n## AWS::Queue::Policy\n\nWho may send to a queue.\n\n"
    "# AWS\n\nAWS is a cloud. AWS has regions. AWS bills.\n"
    "# Templates\n\nThe `Fn::Sub`substitutes variables.\n"
    "# kubectl\n\nA tool for Kubernetes clusters.\n"
    "# kubectl get\n\nList objects of a cluster.\n"
    "# tar\n\n\xe5\xbd\x92\xe6\xa1\xa3\xe5\xae\x9e\xe7\x94\xa8\xe7\xa8\x8b"
    "\xe5\xba\x8f\xe3\x80\x82\n"; /* 归档实用程序。 */

/* What builder B (NULL after a failure) holds, as a db, or NULL; B is
 * freed. */
static awn_db *
open_built(awn_builder *b)
{
	awn_db *db = NULL;
	void *data;
	size_t n;

	if (b == NULL || awn_builder_write_memory(b, &data, &n, NULL) ||
	    awn_db_open_memory(&db, data, n, "notes", NULL))
		db = NULL;
	awn_builder_free(b);
	return db;
}

/* Notes MD (LEN bytes) as a db, or NULL. */
static awn_db *
open_notes(const char *md, size_t len)
{
	awn_builder *b = NULL;

	if (awn_builder_new(&b, NULL) ||
	    awn_builder_add_markdown(b, "notes", md, len, NULL)) {
		awn_builder_free(b);
		return NULL;
	}
	return open_built(b);
}

/* Path of the best hit for QUERY, or "" when nothing matched; with
 * CORRECTED, the correction made of QUERY instead ("" for none). */
static const char *
first_hit(awn_db *db, const char *query, int corrected)
{
	static char out[512];
	awn_hits *hits = NULL;

	out[0] = '\0';
	if (awn_search(db, query, 10, &hits, NULL) != AWN_OK)
		return "(error)";
	if (corrected)
		snprintf(out, sizeof(out), "%s", hits->corrected);
	else if (hits->n > 0)
		awn_db_path(db, hits->hit[0].section, " > ", out, sizeof(out));
	awn_hits_free(hits);
	return out;
}

static const char *
best(awn_db *db, const char *query)
{
	return first_hit(db, query, 0);
}

/* How many sections QUERY finds in DB. */
static size_t
count_hits(awn_db *db, const char *query)
{
	awn_hits *hits = NULL;
	size_t n;

	CHECK_INT(awn_search(db, query, 100, &hits, NULL), AWN_OK);
	n = hits != NULL ? hits->n : 0;
	awn_hits_free(hits);
	return n;
}

/* A small deterministic generator for the notes below. */
static size_t
next_rand(uint64_t *x)
{
	*x = *x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (size_t)(*x >> 33);
}

/* The best WANT hits for QUERY must be the first WANT of a search that
 * keeps 600 (every section here: nothing pruned, no heaps) without
 * seeding, to the score. */
static void
same_as_unpruned(awn_db *db, const char *query, size_t want)
{
	awn_hits *few = NULL, *many = NULL;
	size_t n;

	CHECK_INT(awn_search(db, query, want, &few, NULL), AWN_OK);
	db->seed_off = 1;
	CHECK_INT(awn_search(db, query, 600, &many, NULL), AWN_OK);
	db->seed_off = 0;
	if (few != NULL && many != NULL) {
		CHECK(few->n == want && many->n > 20);
		for (n = 0; n < few->n && n < many->n; n++) {
			CHECK_INT(few->hit[n].section, many->hit[n].section);
			CHECK(few->hit[n].score == many->hit[n].score);
		}
	}
	awn_hits_free(few);
	awn_hits_free(many);
}

static int
cmp_hit_section(const void *a, const void *b)
{
	uint32_t x = ((const awn_hit *)a)->section,
	         y = ((const awn_hit *)b)->section;

	return (x > y) - (x < y);
}

/*
 * A search that keeps every section of DB has nothing to prune and
 * scores its candidates without the pruning's heaps (search.c's
 * score_all): its hits for QUERY, in order and to the score, must be
 * those of a search keeping one section fewer (the heaps, with nothing
 * left to prune either), and with AWN_SEARCH_ANY_ORDER the same hits.
 */
static void
same_when_all_kept(awn_db *db, const char *query)
{
	size_t n = awn_db_count(db), i;
	awn_hits *heaps = NULL, *all = NULL, *any = NULL;

	CHECK_INT(
	    awn_search_flags(db, query, n - 1, AWN_SEARCH_TITLED, &heaps, NULL),
	    AWN_OK);
	CHECK_INT(awn_search_flags(db, query, n, AWN_SEARCH_TITLED, &all, NULL),
	          AWN_OK);
	CHECK_INT(awn_search_flags(db, query, n,
	                           AWN_SEARCH_TITLED | AWN_SEARCH_ANY_ORDER,
	                           &any, NULL),
	          AWN_OK);
	if (heaps != NULL && all != NULL && any != NULL) {
		CHECK(all->n > 20 && all->n < n - 1);
		CHECK(heaps->n == all->n && any->n == all->n);
		for (i = 0; i < all->n && i < heaps->n; i++) {
			CHECK_INT(heaps->hit[i].section, all->hit[i].section);
			CHECK(heaps->hit[i].score == all->hit[i].score);
		}
		qsort(all->hit, all->n, sizeof(*all->hit), cmp_hit_section);
		qsort(any->hit, any->n, sizeof(*any->hit), cmp_hit_section);
		for (i = 0; i < all->n && i < any->n; i++) {
			CHECK_INT(any->hit[i].section, all->hit[i].section);
			CHECK(any->hit[i].score == all->hit[i].score);
			CHECK_INT(any->hit[i].titled, all->hit[i].titled);
		}
	}
	awn_hits_free(heaps);
	awn_hits_free(all);
	awn_hits_free(any);
}

/*
 * Ranking prunes candidates by bounds on their scores; pruning must not
 * change the result.  Notes of 412 sections drawn from a few words (so
 * queries have hundreds of candidates, titles that are exactly a query,
 * roots and subsections) are searched keeping the best 20 (max 1) and
 * the best 600: the first hits must be the same, to the score.
 */
static void
check_pruning(void)
{
	/* "streaming", "queuing", "indexed": other forms of words here,
	 * each an alternative for its word (query.c's add_forms). */
	static const char *const vocab[] = {
	    "queue", "topic",  "stream",  "table",     "bucket",
	    "key",   "alias",  "layer",   "shard",     "index",
	    "role",  "policy", "queuing", "streaming", "indexed"};
	const size_t nv = sizeof(vocab) / sizeof(vocab[0]);
	uint64_t x = 12345;
	char *md = malloc(420 * 600), *p = md, q[64];
	awn_db *db;
	size_t i, j, k;

	if (md == NULL)
		return;
	for (i = 0; i < 400; i++) {
		const char *topic = vocab[i % nv];
		p += sprintf(p, "%.*s %s", (int)(1 + next_rand(&x) % 3), "###",
		             topic);
		for (k = next_rand(&x) % 3, j = 0; j < k; j++)
			p += sprintf(p, " %s",
			             next_rand(&x) % 2
			                 ? vocab[next_rand(&x) % nv]
			                 : "filler");
		p += sprintf(p, "\n\n");
		for (k = next_rand(&x) % 20, j = 0; j < k; j++)
			p += sprintf(p, "%s w%zu ", topic, next_rand(&x) % 200);
		for (k = next_rand(&x) % 8, j = 0; j < k; j++)
			p += sprintf(p, "%s ", vocab[next_rand(&x) % nv]);
		p += sprintf(p, "\n\n");
	}
	/* Short pages named as a word, met after the floor has risen, and
	 * as the word and a stop word (which only titles count). */
	for (i = 0; i < nv; i++)
		p += sprintf(p,
		             "# %s\n\n%s.\n\n# %s get\n\n%s and a few "
		             "more words.\n\n",
		             vocab[i], vocab[i], vocab[i], vocab[i]);
	db = open_notes(md, (size_t)(p - md));
	CHECK(db != NULL);
	for (i = 0; db != NULL && i < 60; i++) {
		if (i < nv)
			snprintf(q, sizeof(q), "%s", vocab[i]);
		else
			snprintf(q, sizeof(q), "%s %s%s%s",
			         vocab[next_rand(&x) % nv],
			         vocab[next_rand(&x) % nv], i % 3 ? "" : " ",
			         i % 3 ? "" : vocab[next_rand(&x) % nv]);
		same_as_unpruned(db, q, 1);
		same_as_unpruned(db, q, 20);
		same_when_all_kept(db, q);
	}
	for (i = 0; db != NULL && i < nv; i++) {
		snprintf(q, sizeof(q), "%s get", vocab[i]);
		same_as_unpruned(db, q, 1);
	}
	awn_db_free(db);
	free(md);
}

/*
 * A common word in every title and a rare one: the floor is seeded from
 * the rare word's list (search.c, seed_floor), and a section met again
 * in the passes must not take a second place in it.  The first sections
 * with the rare word score high (10) and low (10), those after them in
 * between: a floor holding the high ones twice would drop those in
 * between, which belong in the best 20.  The last seeded is under a
 * title with the rare word, which the passes must not take to be over
 * the first ones too.  Then random notes of the same kind.  (Not a
 * phrase: a section that lacks it drops below the 20 rechecked, and
 * only the longer list has the ones that move up.)
 */
static void
check_seeding(void)
{
	static const char *const queries[] = {"aws cp", "cp aws", "aws cp tool",
	                                      "aws tool cp", "cp -w7 aws"};
	uint64_t x = 777;
	char *md = malloc(700 * 400), *p;
	awn_db *db;
	size_t i, j, k, pass;

	if (md == NULL)
		return;
	for (pass = 0; pass < 2; pass++) {
		p = md;
		for (i = 0; i < 600; i++) {
			int rare = pass == 0
			               ? i % 15 == 14
			               : i >= 300 && next_rand(&x) % 4 == 0;
			int high = pass == 0 && rare && i / 15 < 10;
			int hub = pass == 0 && i == 280; /* over the 20th */
			p += sprintf(p, "%s aws %stool %zu%s\n\n",
			             (pass == 0 ? high || hub || i % 15 == 0
			                        : i % 5 == 0)
			                 ? "#"
			                 : "##",
			             high || hub ? "cp " : "", i,
			             pass && rare && next_rand(&x) % 3 == 0
			                 ? " cp"
			                 : "");
			if (pass == 0) {
				p +=
				    sprintf(p, "aws w%zu%s%s\n\n", i % 50,
				            !rare  ? ""
				            : high ? " cp cp cp cp cp cp cp cp"
				            : i / 15 < 20 ? " cp"
				                          : " cp cp cp",
				            rare && !high && i / 15 < 20
				                ? " filler filler filler filler"
				                  " filler filler filler filler"
				                  " filler filler filler filler"
				                : "");
				continue;
			}
			for (k = 1 + next_rand(&x) % 12, j = 0; j < k; j++)
				p +=
				    sprintf(p, "aws w%zu ", next_rand(&x) % 50);
			for (k = rare ? 1 + next_rand(&x) % 6 : 0, j = 0; j < k;
			     j++)
				p += sprintf(p, "cp ");
			for (k = next_rand(&x) % 30, j = 0; j < k; j++)
				p += sprintf(p, "filler ");
			p += sprintf(p, "%s\n\n",
			             next_rand(&x) % 7 ? "" : "aws cp");
		}
		db = open_notes(md, (size_t)(p - md));
		CHECK(db != NULL);
		if (db == NULL)
			break;
		for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
			same_as_unpruned(db, queries[i], 20);
		awn_db_free(db);
	}
	free(md);
}

/* awn_hits_summaries reads in notes order but gives each hit its own:
 * the same as awn_db_summary hit by hit, in rank order, for a query
 * whose hits are not in notes order. */
static void
check_summaries(awn_db *db)
{
	awn_hits *hits = NULL;
	char *all = NULL, one[64];
	size_t i, unordered = 0;

	CHECK_INT(awn_search(db, "encryption queue timeout", 10, &hits, NULL),
	          AWN_OK);
	if (hits == NULL || (all = malloc(hits->n * sizeof(one) + 1)) == NULL)
		goto out;
	CHECK(hits->n >= 3);
	CHECK_INT(awn_hits_summaries(db, hits, all, sizeof(one), NULL), AWN_OK);
	for (i = 0; i < hits->n; i++) {
		CHECK_INT(awn_db_summary(db, hits->hit[i].section, one,
		                         sizeof(one), NULL),
		          AWN_OK);
		CHECK_STR(all + i * sizeof(one), one);
		unordered +=
		    i > 0 && hits->hit[i].section < hits->hit[i - 1].section;
	}
	CHECK(unordered > 0);
out:
	free(all);
	awn_hits_free(hits);
}

/* A summary that does not fit is cut between words, even when the last
 * space falls in the bytes the "..." needs. */
static void
check_summary_cut(void)
{
	static const char md[] = "# Cut\n\nabcdefghi abcdefghi abcdefghi "
	                         "jklmnop qrs\n";
	awn_db *db = open_notes(md, sizeof(md) - 1);
	char buf[32];

	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_INT(awn_db_summary(db, 0, buf, sizeof(buf), NULL), AWN_OK);
	CHECK_STR(buf, "abcdefghi abcdefghi...");
	CHECK_INT(awn_db_summary(db, 0, buf, 23, NULL), AWN_OK);
	CHECK_STR(buf, "abcdefghi abcdefghi...");
	CHECK_INT(awn_db_summary(db, 0, buf, 22, NULL), AWN_OK);
	CHECK_STR(buf, "abcdefghi...");
	awn_db_free(db);
}

/* Every stop word awsnote(1) lists is dropped from a query however the
 * stemmer cuts it: with one, a query finds what the other word finds. */
static void
check_stopwords(void)
{
	static const char *const words[] = {
	    "a",      "about", "an",    "and",  "are",   "as",    "at",
	    "be",     "by",    "can",   "do",   "does",  "for",   "from",
	    "get",    "how",   "i",     "in",   "is",    "it",    "long",
	    "many",   "much",  "my",    "of",   "on",    "or",    "should",
	    "that",   "the",   "there", "this", "to",    "use",   "used",
	    "versus", "vs",    "what",  "when", "where", "which", "who",
	    "why",    "will",  "with",  "you",  "your",  "Does",  "WHERE"};
	char md[1024] = "# Zebra\n\nzebra\n\n# Words\n\n", query[64];
	awn_db *db;
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		strcat(md, words[i]);
		strcat(md, " ");
	}
	strcat(md, "\n");
	if ((db = open_notes(md, strlen(md))) == NULL) {
		CHECK(!"could not build the stop word notes");
		return;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n;

		snprintf(query, sizeof(query), "zebra %s", words[i]);
		if ((n = count_hits(db, query)) != 1)
			fprintf(stderr, "not a stop word: %s\n", words[i]);
		CHECK_INT(n, 1);
	}
	awn_db_free(db);
}

/* A name spelled out finds the chapter titled with its initials, when a
 * subsection that spells it out ranks first (lift_initials). */
static void
check_initials(void)
{
	static const char md[] =
	    "# Intro\n\nSee the chapters.\n\n"
	    "# EMR\n\nThe chapters on EMR.\n\n## EMR Basics\n\n"
	    "Elastic Map Reduce runs Hadoop on elastic map reduce clusters.\n\n"
	    "## EMR Tips\n\nUse spot instances for task nodes.\n\n"
	    "# EC2\n\n## EC2 Basics\n\n"
	    "Elastic Compute Cloud: virtual machines in the cloud.\n\n"
	    "# VPCs, Network Security, and Security Groups\n\n"
	    "## VPC Basics\n\nA Virtual Private Cloud is a private network "
	    "in the cloud.\n\n"
	    "# Maps\n\nA map of elastic words.\n";
	static const char *const want[][2] = {
	    {"elastic map reduce", "EMR"},
	    {"Elastic Map Reduce", "EMR"},
	    /* AWS writes a repeated letter once with its count. */
	    {"elastic compute cloud", "EC2"},
	    /* A title that names much else besides is not the answer. */
	    {"virtual private cloud",
	     "VPCs, Network Security, and Security Groups > VPC Basics"},
	    /* Not a chapter whose own text has an excluded word. */
	    {"elastic map reduce -chapters", "EMR > EMR Basics"},
	    /* ... nor one whose other subsection has it: it would show it. */
	    {"elastic map reduce -spot", "EMR > EMR Basics"},
	    /* Words in quotes are to be found as they are. */
	    {"\"elastic map reduce\"", "EMR > EMR Basics"},
	};
	awn_db *db = open_notes(md, sizeof(md) - 1);
	awn_hits *hits = NULL;
	size_t i, emr = 0;

	CHECK(db != NULL);
	if (db == NULL)
		return;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(best(db, want[i][0]), want[i][1]);
	/* The chapter is listed once, before its subsection. */
	CHECK_INT(awn_search(db, "elastic map reduce", 10, &hits, NULL),
	          AWN_OK);
	for (i = 0; hits != NULL && i < hits->n; i++)
		emr += hits->hit[i].section == hits->hit[0].section;
	CHECK(hits != NULL && hits->n >= 2 && emr == 1 &&
	      hits->hit[0].score == hits->hit[1].score);
	awn_hits_free(hits);
	awn_db_free(db);
}

/* A table of contents (links to the notes' own headings) is found by its
 * title, not by the topics it lists; a list that also says things is
 * searched as any section is. */
static void
check_contents(void)
{
	static const char md[] =
	    "# Notes\n\n## Contents\n\n* [Queues](#queues)\n"
	    "* [Topics](#topics)\n* [Streams](#streams)\n\n"
	    "[Guide](https://example.com/guide)\n\n"
	    "## Chapters\n\n* [Queues](#queues): messages wait in them\n"
	    "* [Topics](#topics): fan out to subscribers of topics\n"
	    "* [Streams](#streams): ordered records, replayed at will\n\n"
	    "# Queues\n\nMessages wait in queues.\n\n"
	    "# Topics\n\nTopics fan messages out.\n\n"
	    "# Streams\n\nStreams keep records in order.\n";
	awn_db *db = open_notes(md, sizeof(md) - 1);
	awn_hits *hits = NULL;
	size_t i, contents = 0, chapters = 0;

	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_STR(best(db, "contents"), "Notes > Contents");
	CHECK_INT(awn_search(db, "queues topics streams", 10, &hits, NULL),
	          AWN_OK);
	for (i = 0; hits != NULL && i < hits->n; i++) {
		contents += hits->hit[i].section == 1;
		chapters += hits->hit[i].section == 2;
	}
	CHECK_INT(contents, 0);
	CHECK_INT(chapters, 1);
	awn_hits_free(hits);
	awn_db_free(db);
}

/*
 * Word forms (query.c's add_forms): "encrypt" finds the section titled
 * "Encryption" before one that says "encrypt" in passing; a form in a
 * title outweighs the word in passing, but the
 * word in a title outweighs a form there ("cache" and "caching"); a
 * word the notes lack is looked up as the word it is a form of
 * ("cached"); a form far commoner than the word is left out
 * ("versioning" is not "version"), and a certificate is no
 * certification.
 */
static void
check_forms(void)
{
	char md[16384], *p = md;
	awn_db *db;
	int i;

	p += sprintf(p, "# Storage\n\n## Encryption\n\nKeys protect "
	                "data at rest; encryption of objects is on by "
	                "default.\n\n## Functions\n\nCode may encrypt a "
	                "value before it writes it.\n\n"
	                "## Caching\n\nCaching keeps hot items near.\n\n"
	                "## Cache\n\nA cache is cheap.\n\n"
	                "## Reads\n\nRepeated reads cost less through a "
	                "cache.\n\n"
	                "## Versioning\n\nVersioning keeps every copy.\n\n"
	                "## Certifications\n\nExams for architects.\n\n"
	                "## TLS\n\nA certificate is free.\n\n"
	                "## Keys\n\nRotate them; specific keys only.\n\n");
	/* "version" in forty sections: forty times "versioning"'s one. */
	for (i = 0; i < 40; i++)
		p +=
		    sprintf(p, "## API %d\n\nThe API version is %d.\n\n", i, i);
	db = open_notes(md, (size_t)(p - md));
	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_STR(best(db, "encrypt storage"), "Storage > Encryption");
	CHECK_STR(best(db, "encrypted"), "Storage > Encryption");
	/* "encrypt" heads no section: its forms count.  "encryption"
	 * heads one, and its forms none: they would only add sections
	 * that use them in passing. */
	CHECK_INT(count_hits(db, "encrypt"), 2);
	CHECK_INT(count_hits(db, "encryption"), 1);
	CHECK_STR(best(db, "caching"), "Storage > Caching");
	CHECK_STR(best(db, "cache"), "Storage > Cache");
	CHECK_STR(best(db, "cached"), "Storage > Cache");
	CHECK_STR(best(db, "caching reads"), "Storage > Reads");
	CHECK_INT(count_hits(db, "cache"), 3);
	CHECK_INT(count_hits(db, "versioning"), 1);
	CHECK_INT(count_hits(db, "version"), 41); /* and "versioning" */
	CHECK_INT(count_hits(db, "certification"), 1);
	CHECK_INT(count_hits(db, "certificate"), 1);
	/* "cached" is cache, silently; "specify" is a word the notes lack
	 * and "specification" no form of "specific" (-ification). */
	CHECK_STR(first_hit(db, "cached", 1), "");
	CHECK_INT(count_hits(db, "specification"), 0);
	/* Less -ion, a word may be another: "rotation" is told as one. */
	CHECK_STR(best(db, "rotation"), "Storage > Keys");
	CHECK_STR(first_hit(db, "rotation", 1), "Rotate");
	awn_db_free(db);
}

/*
 * Forms beyond a plain ending: a stem that changes ("notify",
 * "notification"), a last letter doubled ("log", "logging"), y for i
 * ("verify", "verified"); and the same rules for a word the notes lack.
 */
static void
check_form_rules(void)
{
	static const char md[] =
	    "# Events\n\n## Notifications\n\nMessages go to each endpoint.\n\n"
	    "## Hooks\n\nA hook may notify a pager.\n\n"
	    "## Logging\n\nRequests are written down.\n\n"
	    "## Audit\n\nThe log keeps every call.\n\n"
	    "## Tags\n\nA key and a value.\n\n"
	    "## Concurrency\n\nLimits per account.\n\n"
	    "## Concurrent runs\n\nThey share a pool.\n\n"
	    "## Consistency\n\nReads may lag.\n\n"
	    "## Reads\n\nA consistent read costs more.\n\n"
	    "## Checks\n\nVerify the copy.\n\n"
	    "## Copies\n\nEach copy is verified.\n\n"
	    "## Calls\n\nA function may invoke another.\n\n";
	awn_db *db = open_notes(md, sizeof(md) - 1);

	CHECK(db != NULL);
	if (db == NULL)
		return;
	/* "notify" heads no section: it gets "notification" too, and
	 * the section that heads with it comes first. */
	CHECK_INT(count_hits(db, "notify"), 2);
	CHECK_STR(best(db, "notify"), "Events > Notifications");
	CHECK_INT(count_hits(db, "log"), 2);
	CHECK_STR(best(db, "log"), "Events > Logging");
	CHECK_INT(count_hits(db, "verify"), 2);
	CHECK_INT(count_hits(db, "verified"), 2);
	/* A word that heads sections gets no other stem's words, even
	 * heading ones: not "concurrent" for "concurrency". */
	CHECK_INT(count_hits(db, "concurrency"), 1);
	CHECK_INT(count_hits(db, "consistent"), 2);
	/* Words the notes lack: "tagged" is tag, silently; "invocation"
	 * is invoke, told as a correction. */
	CHECK_STR(best(db, "tagged"), "Events > Tags");
	CHECK_STR(first_hit(db, "tagged", 1), "");
	CHECK_STR(best(db, "invocation"), "Events > Calls");
	CHECK_STR(first_hit(db, "invocation", 1), "invoke");
	awn_db_free(db);
}

/* Write TEXT to file NAME of directory DIR. */
static void
write_note(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f != NULL) {
		fputs(text, f);
		CHECK_INT(fclose(f), 0);
	}
}

/*
 * A query word naming a document as shown ("p1/README" of two READMEs)
 * gives no more hits than MAX, as any search: alone it gave the
 * document's first section even for MAX 0.
 */
static void
check_named_doc(void)
{
	char dir[] = "/tmp/test-search.XXXXXX", p1[64], p2[64];
	const char *paths[2] = {p1, p2};
	awn_hits *hits = NULL;
	awn_db *db = NULL;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p1, sizeof(p1), "%s/p1", dir);
	snprintf(p2, sizeof(p2), "%s/p2", dir);
	CHECK_INT(mkdir(p1, 0700), 0);
	CHECK_INT(mkdir(p2, 0700), 0);
	write_note(p1, "README.md", "# One\n\nSetup one.\n");
	write_note(p2, "README.md", "# Two\n\nSetup two.\n");
	CHECK_INT(awn_db_open_many(&db, paths, 2, NULL), AWN_OK);
	if (db != NULL) {
		CHECK_INT(awn_search(db, "p2/README", 10, &hits, NULL), AWN_OK);
		CHECK_INT(hits->n, 1);
		awn_hits_free(hits);
		CHECK_INT(awn_search(db, "p2/README", 0, &hits, NULL), AWN_OK);
		CHECK_INT(hits->n, 0);
		awn_hits_free(hits);
		CHECK_INT(awn_search(db, "setup", 0, &hits, NULL), AWN_OK);
		CHECK_INT(hits->n, 0);
		awn_hits_free(hits);
		awn_db_free(db);
	}
	snprintf(p1, sizeof(p1), "%s/p1/README.md", dir);
	snprintf(p2, sizeof(p2), "%s/p2/README.md", dir);
	CHECK_INT(unlink(p1) | unlink(p2), 0);
	snprintf(p1, sizeof(p1), "%s/p1", dir);
	snprintf(p2, sizeof(p2), "%s/p2", dir);
	CHECK_INT(rmdir(p1) | rmdir(p2) | rmdir(dir), 0);
}

/*
 * Copies (the same file name and heading path in two documents) are
 * grouped pairwise among a lookup's few hits and by a hash of name and
 * path among many: both must give the same hits, in the same order.
 * Documents "lK/NAME" of three names and headings from four titles make
 * many copies and many near misses (a parent or a name apart).
 */
static void
check_copies_keyed(void)
{
	static const char *const names[] = {"tar", "zip", "cp"};
	static const char *const titles[] = {"Usage", "Examples", "Options",
	                                     "Notes"};
	static const char *const words[] = {"archive", "files", "list",
	                                    "extract"};
	static const char *const queries[] = {
	    "archive",       "files",        "list",          "extract",
	    "usage",         "examples",     "archive files", "list extract",
	    "options notes", "usage archive"};
	uint64_t x = 777;
	char md[2048], name[32], *p;
	awn_builder *b = NULL;
	awn_db *db = NULL;
	awn_hits *pair = NULL, *keyed = NULL;
	size_t i, j, k, d, diffs = 0, compared = 0;

	CHECK_INT(awn_builder_new(&b, NULL), AWN_OK);
	for (d = 0; b != NULL && d < 90; d++) {
		p = md;
		for (i = 0, k = 1 + next_rand(&x) % 4; i < k; i++) {
			int level = 1 + (int)(next_rand(&x) % 3);
			p += sprintf(p, "%.*s %s\n\n", level, "###",
			             titles[next_rand(&x) % 4]);
			for (j = 0; j < 1 + next_rand(&x) % 4; j++)
				p +=
				    sprintf(p, "%s ", words[next_rand(&x) % 4]);
			p += sprintf(p, "\n\n");
		}
		snprintf(name, sizeof(name), "l%zu/%s", d / 3,
		         names[next_rand(&x) % 3]);
		CHECK_INT(awn_builder_add_markdown(b, name, md,
		                                   (size_t)(p - md), NULL),
		          AWN_OK);
	}
	if ((db = open_built(b)) == NULL) {
		CHECK(0);
		return;
	}
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		db->copies_keyed = 0;
		CHECK_INT(awn_search(db, queries[i], 100, &pair, NULL), AWN_OK);
		db->copies_keyed = 1;
		CHECK_INT(awn_search(db, queries[i], 100, &keyed, NULL),
		          AWN_OK);
		if (pair != NULL && keyed != NULL) {
			CHECK(pair->n == keyed->n && pair->n > 20);
			for (j = 0; j < pair->n && j < keyed->n;
			     j++, compared++)
				diffs +=
				    pair->hit[j].section !=
				        keyed->hit[j].section ||
				    pair->hit[j].score != keyed->hit[j].score;
		}
		awn_hits_free(pair);
		awn_hits_free(keyed);
		pair = keyed = NULL;
	}
	CHECK(compared > 500);
	CHECK_INT(diffs, 0);
	awn_db_free(db);
}

int
main(void)
{
	awn_db *db = open_notes(notes, sizeof(notes) - 1);
	awn_hits *hits = NULL;
	size_t i;

	if (db == NULL) {
		CHECK(!"could not build the test notes");
		return check_status();
	}
	/* Heading words weigh most; ancestors' headings count too. */
	CHECK_STR(best(db, "encryption storage"), "Storage > Encryption");
	CHECK_STR(best(db, "database encryption"), "Databases > Encryption");
	CHECK_STR(best(db, "queues"), "Queues");
	/* Case, punctuation, plurals and compounds. */
	CHECK_STR(best(db, "VISIBILITY"), "Queues > Visibility");
	CHECK_STR(best(db, "dead-letter"), "Queues > Dead letters");
	CHECK_STR(best(db, "sse-kms"), "Storage > Encryption");
	CHECK_STR(best(db, "ssekms"), "Storage > Encryption");
	CHECK_STR(best(db, "change message visibility"), "Queues > Visibility");
	CHECK_STR(best(db, "changemessagevisibility"), "Queues > Visibility");
	/* Stop words are ignored unless they are all there is. */
	CHECK_STR(best(db, "what is the visibility timeout"),
	          "Queues > Visibility");
	/* Sections matching every word beat those matching some. */
	CHECK_STR(best(db, "timeout seconds"), "Databases > Timeouts");
	/* Partial matches still answer, flagged as such. */
	CHECK_INT(awn_search(db, "timeout zzzz", 10, &hits, NULL), AWN_OK);
	CHECK(hits->n > 0 && !hits->all_terms);
	awn_hits_free(hits);
	/* Exclusion. */
	CHECK_STR(best(db, "encryption -databases"), "Storage > Encryption");
	CHECK_STR(best(db, "timeout -visibility"), "Databases > Timeouts");
	/* A pair that is also one term matches either way. */
	CHECK_STR(best(db, "cloud front"), "CloudFront");
	CHECK_STR(best(db, "cloudfront"), "CloudFront");
	CHECK_STR(best(db, "cloud front west"), "Weather");
	/* ... but counts once where the text has both ("LambdaFunction" is
	 * also "lambda" and "function"). */
	CHECK_STR(best(db, "lambda function"), "Functions > Lambda function");
	/* A typed word the text splits into several is several words: not
	 * "aws" alone. */
	CHECK_STR(best(db, "AWS::Queue::Policy"),
	          "Resources > AWS::Queue::Policy");
	CHECK_STR(best(db, "aws::queue::policy"),
	          "Resources > AWS::Queue::Policy");
	/* A stop word is not looked for, but a title that has it as well
	 * is the query more exactly than one without. */
	CHECK_STR(best(db, "kubectl get"), "kubectl get");
	CHECK_STR(best(db, "kubectl"), "kubectl");
	/* A code span glued to the next word is a word of its own. */
	CHECK_STR(best(db, "substitutes"), "Templates");
	CHECK_STR(best(db, "sub"), "Templates");
	/* Chinese inside a run of it: 实用, and 程序 apart from it. */
	CHECK_STR(best(db, "\xe5\xae\x9e\xe7\x94\xa8"), "tar");
	CHECK_STR(best(db, "\xe7\xa8\x8b\xe5\xba\x8f \xe5\xbd\x92\xe6\xa1\xa3"),
	          "tar");
	/* Typos, splits and prefixes. */
	CHECK_STR(best(db, "cloudfornt"), "CloudFront");
	CHECK_STR(best(db, "visibilty"), "Queues > Visibility");
	CHECK_STR(best(db, "deadletters"), "Queues > Dead letters");
	CHECK_STR(best(db, "databa"), "Databases");
	/* Quoted phrases must stand in that order. */
	CHECK_STR(best(db, "\"letter queue\""), "Queues > Dead letters");
	CHECK_INT(awn_search(db, "\"letter queue\"", 10, &hits, NULL), AWN_OK);
	CHECK(hits->n > 0 && hits->all_terms);
	awn_hits_free(hits);
	/* Both words are there, but not in this order: only a partial match. */
	CHECK_INT(awn_search(db, "\"queue letter\"", 10, &hits, NULL), AWN_OK);
	CHECK(hits->n > 0 && !hits->all_terms);
	awn_hits_free(hits);
	/* Misses. */
	CHECK_STR(best(db, "zzzz"), "");
	CHECK_STR(best(db, ""), "");
	/* Ranking is deterministic and sorted. */
	CHECK_INT(awn_search(db, "encryption", 10, &hits, NULL), AWN_OK);
	for (i = 1; i < hits->n; i++)
		CHECK(hits->hit[i - 1].score >= hits->hit[i].score);
	awn_hits_free(hits);
	/* A long query is refused, not truncated silently. */
	{
		char *q = malloc(100001);
		memset(q, 'a', 100000);
		q[100000] = '\0';
		CHECK_INT(awn_search(db, q, 10, &hits, NULL), AWN_ERR_QUERY);
		free(q);
	}
	check_summaries(db);
	check_summary_cut();
	check_stopwords();
	check_initials();
	check_contents();
	awn_db_free(db);
	check_forms();
	check_form_rules();
	check_pruning();
	check_seeding();
	check_named_doc();
	check_copies_keyed();
	return check_status();
}
