/*
 * query.h - the keyword query parser.
 *
 * A query is words separated by blanks.  "double quotes" group words into
 * a phrase that must appear in that order; a leading '-' excludes
 * sections containing the word.  Common English stop words are ignored
 * unless the query has nothing else.  Two neighbouring words that also
 * make one term ("cloud front" -> cloudfront) get that term as an
 * alternative standing for both.  Each word is resolved against the
 * dictionary, first that succeeds:
 *
 *   exact   the word's whole term            "SSE-S3" -> sses3
 *   base    the word less -ing, -ed or -ly   "cached" -> cach
 *           (found whole); less -ion or -ation, told as a correction
 *           ("selection" -> select: "station" is no "state")
 *   parts   all of its pieces                 "WaitTimeSeconds"
 *   fuzzy   the closest term one edit away    "dynamdb" -> dynamodb
 *   split   two terms it is made of           "apigateway" -> api gateway
 *   prefix  the commonest term it begins      "elasti" -> elasticach
 *   fuzzy   the closest term two edits away   "cloudfromation"
 *           (words of 8 bytes or more)
 */
#ifndef QUERY_H
#define QUERY_H

#include <stddef.h>

#include "awsnote.h"
#include "blob-read.h"
#include "dict.h"

#define QUERY_MAX_LEN   4096
#define QUERY_MAX_WORDS 32
#define QUERY_MAX_TERMS 64

enum word_match {
	WORD_UNKNOWN, /* no term found: the word can never match */
	WORD_EXACT,
	WORD_PARTS,
	WORD_SPLIT,
	WORD_PREFIX,
	WORD_FUZZY,
	WORD_BASE, /* less -ion or -ation, or another stem ("invocation" for
	            * invoke): told as a correction */
};

struct qword {
	const char *text; /* as typed: a slice of the query string */
	size_t len;
	int exclude;     /* -word */
	unsigned phrase; /* 1-based phrase group, 0 when not in quotes */
	unsigned match;  /* enum word_match */
};

struct qterm {
	struct dict_entry e;
	unsigned word; /* index into query.word */
	int join;      /* stands for WORD and the next word together */
	int form;      /* another form of WORD ("encryption" for "encrypt") */
};

/* Initials a run of words may stand for ("emr" for "elastic map
 * reduce"): not a term to search for, but a title to know (search.c's
 * lift_initials). */
struct qinitials {
	char term[TOKEN_MAX + 1]; /* as the index has it: "emr", "ec2" */
	unsigned word, nwords;    /* words WORD..WORD+NWORDS-1 */
};

#define QUERY_MAX_INITIALS (QUERY_MAX_WORDS / 3)
#define QUERY_MAX_STOPS    8

struct query {
	struct qword word[QUERY_MAX_WORDS];
	unsigned nword;
	struct qterm term[QUERY_MAX_TERMS];
	unsigned nterm;
	struct qinitials initials[QUERY_MAX_INITIALS];
	unsigned ninitials;
	unsigned npositive; /* words that are not excluded */
	unsigned nphrase;
	/* Stop words dropped from a query that has other words ("get" of
	 * "kubectl get"), as the dictionary has them: not searched for,
	 * but a title that also holds them is the query more exactly
	 * (search.c's exact part).  Those it lacks are left out. */
	struct dict_entry stop[QUERY_MAX_STOPS];
	unsigned nstop;
};

/*
 * Parse TEXT (NUL-terminated) and resolve its words in B's dictionary.
 * The words point into TEXT, which must outlive *Q.  AWN_ERR_QUERY for a
 * query longer than QUERY_MAX_LEN; AWN_ERR_FORMAT for a corrupt
 * dictionary; AWN_ERR_NOMEM.
 */
awn_status query_parse(const struct blob *b, const char *text, struct query *q,
                       awn_error *err);

/*
 * The first word of TEXT (NUL-terminated) typed outside quotes and not
 * excluded for which FN(CTX, word, length) is nonzero: 1 with its
 * offset in TEXT and length in *OFF and *LEN, else 0.  *NWORDS: how
 * many words TEXT holds, as the parser splits it.
 */
int query_find_word(const char *text,
                    int (*fn)(void *ctx, const char *w, size_t n), void *ctx,
                    size_t *off, size_t *len, unsigned *nwords);

/* Copy the words and terms in use (a struct copy moves all 8 KiB). */
void query_copy(struct query *to, const struct query *from);

/* Did word W, or any word of Q, need a correction (split, prefix, fuzzy
 * or less -ion or -ation)? */
int query_word_corrected(const struct qword *w);
int query_corrected(const struct query *q);

#endif /* QUERY_H */
