/*
 * test-links.c - awn_db_links: the links of a section, as the shell's
 * :links and :follow see them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "awsnote.h"
#include "check.h"

static const char notes[] =
    "# Contents\n\n"
    "* [Queues](#queues)\n"
    "* [**Dead** *letters*](#Dead-Letters)\n"
    "* [Nowhere](#no-such-heading)\n"
    "* See [the AWS docs](https://docs.aws.amazon.com/) too.\n\n"
    "# Queues\n\n"
    "Messages wait here; failures go to the [dead\n"
    "letter queue](#dead-letters) after retries.\n\n"
    "```\n[not a link](#queues)\n```\n\n"
    "## Dead letters\n\nNo links here, only `code` and **bold**.\n\n"
    "# Empty links\n\n[](#queues) and [x]() side by side.\n";

static awn_db *
open_notes(const char *name, const char *text, size_t len)
{
	awn_builder *b = NULL;
	awn_db *db = NULL;
	void *data;
	size_t n;

	if (awn_builder_new(&b, NULL) ||
	    awn_builder_add_markdown(b, name, text, len, NULL) ||
	    awn_builder_write_memory(b, &data, &n, NULL) ||
	    awn_db_open_memory(&db, data, n, name, NULL))
		db = NULL;
	awn_builder_free(b);
	return db;
}

/* The section titled TITLE, or AWN_NONE. */
static uint32_t
find(awn_db *db, const char *title)
{
	awn_section s;
	uint32_t i;

	for (i = 0; i < awn_db_count(db); i++)
		if (awn_db_section(db, i, &s) == AWN_OK &&
		    s.title_len == strlen(title) &&
		    memcmp(s.title, title, s.title_len) == 0)
			return i;
	return AWN_NONE;
}

/*
 * Links to other files among 41 documents (three blocks of names), added
 * in walk order (ORDERED) or backwards: every link to a page leads to it
 * in the first case; in the second a link may lead nowhere but never to
 * another page, and -d still finds each page by its whole name.
 */
static void
links_to_files(int ordered)
{
	char text[4096], name[32];
	size_t n = 0, len;
	awn_builder *b = NULL;
	awn_links *l = NULL;
	awn_db *db = NULL;
	awn_section s;
	void *data;
	int i, k, found = 0;

	n += (size_t)snprintf(text, sizeof text, "# Start\n\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof text - n,
		                      "[p](../d/p%02d.md) ", i);
	CHECK(awn_builder_new(&b, NULL) == AWN_OK);
	for (k = 0; k < 40; k++) {
		char page[64];
		i = ordered ? k : 39 - k;
		snprintf(name, sizeof name, "d/p%02d", i);
		len = (size_t)snprintf(page, sizeof page,
		                       "# Page %02d\n\nText.\n", i);
		CHECK_INT(awn_builder_add_markdown(b, name, page, len, NULL),
		          AWN_OK);
	}
	CHECK_INT(awn_builder_add_markdown(b, "d/start", text, n, NULL),
	          AWN_OK);
	CHECK_INT(awn_builder_write_memory(b, &data, &len, NULL), AWN_OK);
	CHECK_INT(awn_db_open_memory(&db, data, len, "many", NULL), AWN_OK);
	awn_builder_free(b);
	if (db == NULL)
		return;
	CHECK_INT(awn_db_links(db, awn_db_count(db) - 1, &l, NULL), AWN_OK);
	CHECK_INT(l->n, 40);
	for (i = 0; i < 40 && i < (int)l->n; i++) {
		if (l->link[i].target == AWN_NONE)
			continue;
		found++;
		snprintf(name, sizeof name, "Page %02d", i);
		CHECK_INT(awn_db_section(db, l->link[i].target, &s), AWN_OK);
		CHECK_MEM_STR(s.title, s.title_len, name);
	}
	if (ordered)
		CHECK_INT(found, 40);
	awn_links_free(l);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "d/p%02d", i);
		CHECK_INT(awn_db_find_doc(db, name, strlen(name)),
		          (uint32_t)(ordered ? i : 39 - i));
	}
	awn_db_free(db);
}

/*
 * Links to the <a name> and <a id> tags of another document
 * ("b.md#name"), that document compiled after the linking one (FORWARD)
 * or before it: names match without ASCII case, a heading's anchor wins,
 * a name given in two documents leads into the linked one, and a name
 * no tag gives leads to the top.
 */
static void
links_to_names(int forward)
{
	static const char guide[] =
	    "# Guide\n\n[a](b.md#Limits) [b](b.md#params) "
	    "[c](b.md#other-heading) [d](b.md#missing) [e](./b.md?v=1#limits) "
	    "[f](c.md#limits)\n";
	static const char page_b[] =
	    "# B\n\nIntro.\n\n## Quotas\n\n<a name=\"limits\"></a>\nMax.\n\n"
	    "## Call <a id=\"params\"></a>\n\nText.\n\n## Other heading\n\n"
	    "<a name=\"other-heading\"></a>\n";
	static const char page_c[] =
	    "# C\n\n## Here\n\n<a name=\"limits\"></a>\n";
	static const char *const want[] = {"Quotas", "Call",   "Other heading",
	                                   "B",      "Quotas", "Here"};
	const char *names[] = {"g/b", "g/c", "g/a"};
	const char *texts[] = {page_b, page_c, guide};
	awn_builder *b = NULL;
	awn_links *l = NULL;
	awn_db *db = NULL;
	void *data;
	size_t len, i;

	CHECK(awn_builder_new(&b, NULL) == AWN_OK);
	for (i = 0; i < 3; i++) {
		size_t k = forward ? (i + 2) % 3 : i; /* g/a first, or last */
		CHECK_INT(awn_builder_add_markdown(b, names[k], texts[k],
		                                   strlen(texts[k]), NULL),
		          AWN_OK);
	}
	CHECK_INT(awn_builder_write_memory(b, &data, &len, NULL), AWN_OK);
	CHECK_INT(awn_db_open_memory(&db, data, len, "names", NULL), AWN_OK);
	awn_builder_free(b);
	if (db == NULL)
		return;
	CHECK_INT(awn_db_links(db, find(db, "Guide"), &l, NULL), AWN_OK);
	CHECK_INT(l->n, 6);
	for (i = 0; i < 6 && i < l->n; i++)
		CHECK_INT(l->link[i].target, find(db, want[i]));
	awn_links_free(l);
	awn_db_free(db);
}

int
main(void)
{
	awn_db *db = open_notes("notes", notes, sizeof(notes) - 1);
	uint32_t contents, queues, dead, empty;
	awn_links *l = NULL;
	awn_error err;

	links_to_files(1);
	links_to_files(0);
	links_to_names(1);
	links_to_names(0);
	CHECK(db != NULL);
	if (db == NULL)
		return check_status();
	contents = find(db, "Contents");
	queues = find(db, "Queues");
	dead = find(db, "Dead letters");
	empty = find(db, "Empty links");
	CHECK(contents != AWN_NONE && queues != AWN_NONE && dead != AWN_NONE &&
	      empty != AWN_NONE);

	/* A list of links: styles dropped, anchors resolved in any case. */
	CHECK_INT(awn_db_links(db, contents, &l, &err), AWN_OK);
	CHECK_INT(l->n, 4);
	if (l->n == 4) {
		CHECK_STR(l->link[0].text, "Queues");
		CHECK_STR(l->link[0].dest, "#queues");
		CHECK_INT(l->link[0].target, queues);
		CHECK_STR(l->link[1].text, "Dead letters");
		CHECK_INT(l->link[1].text_len, strlen("Dead letters"));
		CHECK_INT(l->link[1].target, dead);
		/* An anchor no heading has, and a URL: nowhere to go. */
		CHECK_STR(l->link[2].dest, "#no-such-heading");
		CHECK_INT(l->link[2].target, AWN_NONE);
		CHECK_STR(l->link[3].text, "the AWS docs");
		CHECK_STR(l->link[3].dest, "https://docs.aws.amazon.com/");
		CHECK_INT(l->link[3].target, AWN_NONE);
	}
	awn_links_free(l);

	/* Text across a soft line break reads as one phrase; code blocks
	 * hold no links, and subsections' links are their own. */
	CHECK_INT(awn_db_links(db, queues, &l, &err), AWN_OK);
	CHECK_INT(l->n, 1);
	if (l->n == 1) {
		CHECK_STR(l->link[0].text, "dead letter queue");
		CHECK_INT(l->link[0].target, dead);
	}
	awn_links_free(l);

	CHECK_INT(awn_db_links(db, dead, &l, &err), AWN_OK);
	CHECK_INT(l->n, 0);
	awn_links_free(l);

	/* A link without text still leads somewhere; one without a
	 * destination leads nowhere. */
	CHECK_INT(awn_db_links(db, empty, &l, &err), AWN_OK);
	CHECK_INT(l->n, 2);
	if (l->n == 2) {
		CHECK_STR(l->link[0].text, "");
		CHECK_INT(l->link[0].target, queues);
		CHECK_STR(l->link[1].text, "x");
		CHECK_STR(l->link[1].dest, "");
		CHECK_INT(l->link[1].target, AWN_NONE);
	}

	/* The result outlives the db's text cache and the db itself. */
	{
		const char *t;
		size_t n;
		CHECK_INT(awn_db_text(db, contents, &t, &n, NULL), AWN_OK);
		awn_db_free(db);
		if (l->n == 2)
			CHECK_STR(l->link[1].text, "x");
		awn_links_free(l);
	}

	/* Out of range is the caller's mistake, reported as such. */
	db = open_notes("notes", notes, sizeof(notes) - 1);
	/* Out of memory at any allocation: reported, nothing half-made. */
	{
		long n, made;
		awn_status st;
		for (n = 0; n < 100; n++) {
			l = NULL;
			alloc_fail_after(n);
			st = awn_db_links(db, contents, &l, &err);
			made = alloc_fail_after(-1);
			if (st == AWN_OK) {
				CHECK_INT(l->n, 4);
				awn_links_free(l);
				if (made <= n)
					break;
				continue;
			}
			CHECK_INT(st, AWN_ERR_NOMEM);
			CHECK(l == NULL);
		}
		CHECK(n < 100);
	}
	l = (awn_links *)&err; /* must be reset */
	CHECK_INT(awn_db_links(db, awn_db_count(db), &l, &err), AWN_ERR_ARG);
	CHECK(l == NULL);
	awn_links_free(NULL);
	awn_db_free(db);

	/* Several documents with the same headings: a link leads within
	 * its own document. */
	{
		char dir[] = "/tmp/test-links.XXXXXX", a[64], b[64];
		const char *paths[2] = {a, b};
		uint32_t i, n = 0;
		awn_section s, t;
		FILE *fp;

		CHECK(mkdtemp(dir) != NULL);
		snprintf(a, sizeof(a), "%s/a.md", dir);
		snprintf(b, sizeof(b), "%s/b.md", dir);
		if ((fp = fopen(a, "w")) != NULL) {
			fputs("# Start\n\n[go](#queues)\n\n# Queues\n\nA\n",
			      fp);
			fclose(fp);
		}
		if ((fp = fopen(b, "w")) != NULL) {
			fputs("# Start\n\n[go](#queues)\n\n# Queues\n\nB\n",
			      fp);
			fclose(fp);
		}
		db = NULL;
		CHECK_INT(awn_db_open_many(&db, paths, 2, NULL), AWN_OK);
		for (i = 0; db && i < awn_db_count(db); i++) {
			if (awn_db_section(db, i, &s) != AWN_OK ||
			    s.title_len != 5 || memcmp(s.title, "Start", 5))
				continue;
			n++;
			CHECK_INT(awn_db_links(db, i, &l, NULL), AWN_OK);
			CHECK_INT(l->n, 1);
			if (l->n == 1) {
				CHECK(l->link[0].target != AWN_NONE);
				awn_db_section(db, l->link[0].target, &t);
				CHECK_INT(t.doc, s.doc);
				CHECK_MEM_STR(t.title, t.title_len, "Queues");
			}
			awn_links_free(l);
		}
		CHECK_INT(n, 2);
		awn_db_free(db);
		unlink(a);
		unlink(b);
		rmdir(dir);
	}
	return check_status();
}
