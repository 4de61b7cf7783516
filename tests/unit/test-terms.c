/*
 * test-terms.c - awn_db_terms: the index's terms by prefix, as the
 * shell's Tab completion asks for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "awsnote.h"
#include "check.h"

static const char notes[] =
    "# Encryption\n\nEncrypt objects; encrypted at rest. KMS keys.\n\n"
    "# Queues\n\nA queue holds messages until consumers encrypt them.\n\n"
    "# Élan\n\nÉtude and ÉTAGE.\n";

static awn_db *
open_notes(void)
{
	awn_builder *b = NULL;
	awn_db *db = NULL;
	void *data;
	size_t n;

	if (awn_builder_new(&b, NULL) ||
	    awn_builder_add_markdown(b, "notes", notes, sizeof(notes) - 1,
	                             NULL) ||
	    awn_builder_write_memory(b, &data, &n, NULL) ||
	    awn_db_open_memory(&db, data, n, "notes", NULL))
		db = NULL;
	awn_builder_free(b);
	return db;
}

struct seen {
	char all[1024]; /* the terms, space-separated */
	unsigned n, stop_after;
	uint32_t df_encrypt;
	int sorted;
	char last[128];
};

static int
collect(void *ctx, const char *term, size_t len, uint32_t df)
{
	struct seen *s = ctx;

	CHECK(strlen(term) == len);
	if (s->n > 0 && strcmp(s->last, term) >= 0)
		s->sorted = 0;
	snprintf(s->last, sizeof(s->last), "%s", term);
	if (strlen(s->all) + len + 2 < sizeof(s->all)) {
		if (s->all[0])
			strcat(s->all, " ");
		strcat(s->all, term);
	}
	if (strcmp(term, "encrypt") == 0)
		s->df_encrypt = df;
	s->n++;
	return s->stop_after && s->n == s->stop_after;
}

static struct seen
terms(awn_db *db, const char *prefix, unsigned stop_after)
{
	struct seen s;

	memset(&s, 0, sizeof(s));
	s.sorted = 1;
	s.stop_after = stop_after;
	CHECK_INT(awn_db_terms(db, prefix, strlen(prefix), collect, &s, NULL),
	          AWN_OK);
	return s;
}

int
main(void)
{
	awn_db *db = open_notes();
	struct seen s;

	CHECK(db != NULL);
	if (db == NULL)
		return check_status();

	/* Every term with the prefix, once, in order; "encrypt" is in two
	 * sections. */
	s = terms(db, "encr", 0);
	CHECK_STR(s.all, "encrypt encrypted encryption");
	CHECK_INT(s.df_encrypt, 2);
	CHECK(s.sorted);

	/* The prefix is folded as the index is, including beyond ASCII. */
	s = terms(db, "ENCR", 0);
	CHECK_STR(s.all, "encrypt encrypted encryption");
	s = terms(db, "ÉT", 0);
	CHECK_STR(s.all, "étage étude");

	/* Terms are stemmed: "queue" and "queues" are one term. */
	s = terms(db, "que", 0);
	CHECK_STR(s.all, "queu");

	/* The callback can stop the walk. */
	s = terms(db, "", 2);
	CHECK_INT(s.n, 2);
	CHECK(s.sorted);

	/* The empty prefix walks everything; a prefix nothing has, nothing. */
	s = terms(db, "", 0);
	CHECK(s.n > 10);
	CHECK(s.sorted);
	s = terms(db, "zzz", 0);
	CHECK_INT(s.n, 0);
	s = terms(db,
	          "encryptionencryptionencryptionencryptionencryption"
	          "encryptionencryption",
	          0);
	CHECK_INT(s.n, 0);

	awn_db_free(db);

	/* Out of memory: reported, and the callback never called. */
	db = open_notes();
	if (db != NULL) {
		memset(&s, 0, sizeof(s));
		alloc_fail_after(0);
		CHECK_INT(awn_db_terms(db, "encr", 4, collect, &s, NULL),
		          AWN_ERR_NOMEM);
		alloc_fail_after(-1);
		CHECK_INT(s.n, 0);
	}
	awn_db_free(db);

	/* Several files: each term once, counted across all of them. */
	{
		char dir[] = "/tmp/test-terms.XXXXXX", a[64], b[64];
		const char *paths[2] = {a, b};
		FILE *fp;

		CHECK(mkdtemp(dir) != NULL);
		snprintf(a, sizeof(a), "%s/a.md", dir);
		snprintf(b, sizeof(b), "%s/b.md", dir);
		if ((fp = fopen(a, "w")) != NULL) {
			fputs("# One\n\nencrypt zebra\n", fp);
			fclose(fp);
		}
		if ((fp = fopen(b, "w")) != NULL) {
			fputs("# Two\n\nencrypt encryption\n", fp);
			fclose(fp);
		}
		db = NULL;
		CHECK_INT(awn_db_open_many(&db, paths, 2, NULL), AWN_OK);
		if (db != NULL) {
			s = terms(db, "encr", 0);
			CHECK_STR(s.all, "encrypt encryption");
			CHECK_INT(s.df_encrypt, 2);
			s = terms(db, "", 0);
			CHECK(s.sorted);
			CHECK(strstr(s.all, "zebra") != NULL);
		}
		awn_db_free(db);
		unlink(a);
		unlink(b);
		rmdir(dir);
	}
	return check_status();
}
