/*
 * lookup.c - keyword lookups and listings, as printed to a pipe or a
 * terminal.
 *
 * In a pipe every section starts with its path line ("S3 > Encryption")
 * followed by its plain text, so output is stable and greppable.  On a
 * terminal the path is a header line, subsections get numbered headings,
 * and a few next-best matches follow as "See also".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display.h"
#include "json.h"
#include "lookup.h"
#include "where.h"
#include "xmalloc.h"

#define SEE_ALSO          3
#define APROPOS_INDENT    2  /* columns of a -k entry's later lines */
#define SEE_ALSO_NARROW   4  /* of a See also path's on a narrow terminal */
#define SEE_ALSO_PATH_MIN 12 /* columns a path needs beside its command */

static void
print_path_line(awn_db *db, uint32_t id, struct output *out)
{
	/* From the heap the search has freed: on the stack or in .bss it
	 * would be pages of its own. */
	struct display d = {NULL, 0};
	const char *path = display_path(&d, db, id, " > ");

	if (out->tty) { /* bold, wrapped to the width */
		(void)awn_render_line(NULL, path, strlen(path), 2, 1,
		                      &out->render, output_write, out);
	} else { /* one line, the pipe's format (--width or not) */
		output_puts(out, output_sgr(out, "\033[1m"));
		output_puts(out, path);
		output_puts(out, output_sgr(out, "\033[0m"));
		output_puts(out, "\n");
	}
	display_free(&d);
}

/* 1-based position of section ID among its parent's children. */
static unsigned
sibling_ordinal(awn_db *db, uint32_t id)
{
	awn_section s, x;
	unsigned ord = 1;
	uint32_t i;

	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return 1;
	i = s.parent == AWN_NONE ? 0 : s.parent + 1;
	while (i < id && awn_db_section_tree(db, i, &x) == AWN_OK) {
		if (x.parent == s.parent)
			ord++;
		i = x.end > i ? x.end : i + 1; /* skip its subsections */
	}
	return ord;
}

/* "2.1"-style label of descendant D relative to the shown section TOP. */
static void
make_label(awn_db *db, uint32_t top, uint32_t d, char *label, size_t size)
{
	uint32_t chain[16], n = 0, cur = d, i;
	awn_section s;
	size_t len = 0;

	while (cur != top && cur != AWN_NONE && n < 16 &&
	       awn_db_section_tree(db, cur, &s) == AWN_OK) {
		chain[n++] = cur;
		cur = s.parent;
	}
	label[0] = '\0';
	for (i = n; i-- > 0 && len + 12 < size;)
		len += (size_t)snprintf(label + len, size - len, "%s%u",
		                        len ? "." : "",
		                        sibling_ordinal(db, chain[i]));
}

/* Whether a title is numbered already ("1.15.1. VPC Flow Logs", "2)
 * Setup"): a label of ours before it would read "1 1.15.1.". */
static int
numbered_title(const awn_section *s)
{
	size_t i = 0;

	while (i < s->title_len && s->title[i] >= '0' && s->title[i] <= '9')
		i++;
	return i > 0 && i < s->title_len &&
	       (s->title[i] == '.' || s->title[i] == ')');
}

int
lookup_print_section(awn_db *db, uint32_t id, struct output *out)
{
	awn_error err = {AWN_OK, ""};
	awn_section s;
	char label[64];
	const char *text;
	size_t len;
	uint32_t d;
	int tty = out->render.flags & AWN_RENDER_WRAP;

	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return 2;
	awn_db_will_read(db, id, s.end);
	/* Text that does not decode is named before anything is printed,
	 * not after a path line; the render finds it decoded. */
	if (awn_db_text(db, id, &text, &len, &err) != AWN_OK)
		return output_error(&err);
	print_path_line(db, id, out);
	if (tty)
		output_puts(out, "\n"); /* a header line, as in man */
	if (awn_render_section(db, id, &out->render, output_write, out, &err) !=
	        AWN_OK &&
	    !out->failed)
		return output_error(&err);
	for (d = id + 1; d < s.end && !out->failed; d++) {
		output_blank_line(out);
		if (tty) {
			awn_section sub;
			if (awn_db_section_tree(db, d, &sub) == AWN_OK &&
			    numbered_title(&sub))
				label[0] = '\0';
			else
				make_label(db, id, d, label, sizeof(label));
			if (awn_render_heading(db, d, label, &out->render,
			                       output_write, out,
			                       &err) != AWN_OK &&
			    !out->failed)
				return output_error(&err);
		} else {
			print_path_line(db, d, out);
		}
		if (awn_render_section(db, d, &out->render, output_write, out,
		                       &err) != AWN_OK &&
		    !out->failed)
			return output_error(&err);
	}
	if (out->last[1] != '\n')
		output_puts(out, "\n");
	return 0;
}

/* The query as it may be shown: typed text can hold escape sequences. */
static const char *
shown_query(const struct options *o)
{
	static char shown[512];

	awn_display_text(o->query, strlen(o->query), shown, sizeof(shown));
	return shown;
}

/* Each as the command that shows it, the query's words included: typed
 * as shown, "awsnote -n 2" alone would be a usage error. */
static void
print_see_also(awn_db *db, const awn_hits *hits, size_t shown,
               const struct options *o, struct output *out)
{
	struct display d = {NULL, 0}; /* as in print_path_line */
	const char *path, *words = shown_query(o);
	/* A first word "-kms" would be taken for options. */
	const char *dashes = words[0] == '-' ? "-- " : "";
	char *lead;
	size_t i, n = 0, more;

	for (i = 0; i < hits->n && n < SEE_ALSO; i++) {
		if (i == shown)
			continue;
		if (n++ == 0) {
			output_blank_line(out);
			output_printf(out, "%sSee also:%s\n",
			              output_sgr(out, "\033[1m"),
			              output_sgr(out, "\033[0m"));
		}
		path = display_path(&d, db, hits->hit[i].section, " > ");
		lead =
		    xasprintf("  awsnote -n %zu %s%s   ", i + 1, dashes, words);
		more = strlen(lead);
		/* The path's later lines go under its first column, unless
		   that leaves it too little (at 20 columns it had 3, and
		   each word overflowed them): then the command has a line
		   of its own and the path is indented under it. */
		if (more + SEE_ALSO_PATH_MIN > out->render.width) {
			output_printf(out, "  awsnote -n %zu %s%s\n", i + 1,
			              dashes, words);
			free(lead);
			lead = xasprintf("%*s", SEE_ALSO_NARROW, "");
			more = SEE_ALSO_NARROW;
		}
		(void)awn_render_line(lead, path, strlen(path), (unsigned)more,
		                      0, &out->render, output_write, out);
		free(lead);
	}
	display_free(&d);
}

/*
 * On a terminal, say when words were corrected or not all of them
 * matched; pipes get only the answer.
 */
static void
explain_hits(const awn_hits *hits, const struct options *o)
{
	char safe[sizeof(hits->corrected)];
	int partial = !hits->all_terms && o->nwords > 1;

	if (hits->n == 0 || (!hits->corrected[0] && !partial) ||
	    !isatty(STDERR_FILENO))
		return;
	if (hits->corrected[0]) {
		awn_display_text(hits->corrected, strlen(hits->corrected), safe,
		                 sizeof(safe));
		fprintf(stderr, "awsnote: did you mean: %s\n", safe);
	}
	if (partial)
		fputs("awsnote: no section has all the words; showing the "
		      "closest\n",
		      stderr);
}

/*
 * Search for the query and keep at least the N-th best (-n) and what See
 * also needs; 0 with *HITS set, or the exit status, the reason said.
 */
static int
search_nth(awn_db *db, const struct options *o, awn_hits **hits)
{
	awn_error err = {AWN_OK, ""};
	size_t want = o->nth > SEE_ALSO + 1 ? o->nth : SEE_ALSO + 1;

	*hits = NULL;
	if (awn_search(db, o->query, want, hits, &err) != AWN_OK)
		return output_error(&err);
	if ((*hits)->n < o->nth) {
		if ((*hits)->n == 0)
			fprintf(stderr, "awsnote: nothing found for '%s'\n",
			        shown_query(o));
		else
			fprintf(stderr, "awsnote: only %zu matches for '%s'\n",
			        (*hits)->n, shown_query(o));
		awn_hits_free(*hits);
		*hits = NULL;
		return 1;
	}
	explain_hits(*hits, o);
	return 0;
}

int
lookup_show(awn_db *db, const struct options *o, struct output *out)
{
	awn_hits *hits;
	int rc;

	if ((rc = search_nth(db, o, &hits)) != 0)
		return rc;
	if (o->where && o->json) { /* its subsections are in the object */
		awn_section s;
		uint32_t id = hits->hit[o->nth - 1].section;
		if (awn_db_section_tree(db, id, &s) != AWN_OK ||
		    (rc = where_check(db, id, s.end, 0)) != 0) {
			awn_hits_free(hits);
			return rc ? rc : 2;
		}
	}
	if (o->json) {
		rc =
		    json_show(db, hits->hit[o->nth - 1].section, o->where, out);
		awn_hits_free(hits);
		return rc;
	}
	if (o->where) { /* one line, for a script or an editor */
		rc = where_print(db, hits->hit[o->nth - 1].section, 0, out);
		awn_hits_free(hits);
		return rc;
	}
	output_start_pager(out, o);
	rc = lookup_print_section(db, hits->hit[o->nth - 1].section, out);
	if (rc == 0 && out->tty)
		print_see_also(db, hits, o->nth - 1, o, out);
	awn_hits_free(hits);
	return rc;
}

int
lookup_apropos(awn_db *db, const struct options *o, struct output *out)
{
	awn_error err = {AWN_OK, ""};
	awn_hits *hits = NULL;
	struct display d = {NULL, 0};
	const char *path;
	char *sum;
	size_t i;

	if (awn_search(db, o->query, 100, &hits, &err) != AWN_OK)
		return output_error(&err);
	if (hits->n == 0) {
		fprintf(stderr, "awsnote: nothing found for '%s'\n",
		        shown_query(o));
		awn_hits_free(hits);
		return 1;
	}
	explain_hits(hits, o);
	for (i = 0; o->where && i < hits->n; i++) {
		int rc = where_check(db, hits->hit[i].section,
		                     hits->hit[i].section + 1, !o->json);
		if (rc != 0) {
			awn_hits_free(hits);
			return rc;
		}
	}
	if (o->json) {
		int rc = json_apropos(db, hits, o->where, out);
		awn_hits_free(hits);
		return rc;
	}
	if (o->where) { /* as grep -n: FILE:LINE:PATH, best first */
		int rc = 0;
		output_start_pager(out, o);
		for (i = 0; i < hits->n && !out->failed && rc == 0; i++)
			rc = where_print(db, hits->hit[i].section, 1, out);
		awn_hits_free(hits);
		return rc;
	}
	sum = xreallocarray(NULL, hits->n, SUMMARY_MAX);
	if (awn_hits_summaries(db, hits, sum, SUMMARY_MAX, &err) != AWN_OK) {
		free(sum);
		awn_hits_free(hits);
		return output_error(&err);
	}
	output_start_pager(out, o);
	for (i = 0; i < hits->n && !out->failed; i++) {
		const char *summary = sum + i * SUMMARY_MAX;
		path = display_path(&d, db, hits->hit[i].section, " > ");
		if (out->tty) /* wrapped, words whole, later lines indented */
			(void)awn_render_entry(
			    NULL, path, strlen(path), summary, strlen(summary),
			    APROPOS_INDENT, &out->render, output_write, out);
		else /* one line an entry, --width or not: scripts read it */
			output_printf(out, "%s%s%s%s%s\n",
			              output_sgr(out, "\033[1m"), path,
			              output_sgr(out, "\033[0m"),
			              summary[0] ? " - " : "", summary);
	}
	display_free(&d);
	free(sum);
	awn_hits_free(hits);
	return 0;
}

/* How many ancestors section ID has (at most 16: an outline's indent). */
static unsigned
section_depth(awn_db *db, uint32_t id)
{
	unsigned depth = 0;
	awn_section a;

	if (awn_db_section_tree(db, id, &a) != AWN_OK)
		return 0;
	while (a.parent != AWN_NONE && depth < 16 &&
	       awn_db_section_tree(db, a.parent, &a) == AWN_OK)
		depth++;
	return depth;
}

/* Does a section of the N in DB belong to a document -d keeps? */
static int
any_section_kept(awn_db *db, uint32_t n)
{
	awn_section s;
	uint32_t i;

	for (i = 0; i < n; i++)
		if (awn_db_section_tree(db, i, &s) == AWN_OK &&
		    awn_db_doc_kept(db, s.doc))
			return 1;
	return 0;
}

int
lookup_list(awn_db *db, const struct options *o, struct output *out)
{
	struct display d = {NULL, 0};
	const char *shown;
	uint32_t i, first = 0, end = awn_db_count(db), doc = AWN_NONE;
	unsigned base = 0;
	awn_section s;
	int tty = out->render.flags & AWN_RENDER_WRAP;
	/* With several documents the outline is one per document, under
	 * its name: titles alone would not say whose they are. */
	unsigned under = awn_db_doc_count(db) > 1;

	if (end == 0 || (o->nwords == 0 && !any_section_kept(db, end))) {
		if (o->doc && end > 0) {
			fprintf(stderr, "awsnote: '%s' has no sections\n",
			        display_text(&d, o->doc, strlen(o->doc)));
			display_free(&d);
		} else {
			fputs("awsnote: the notes have no sections\n", stderr);
		}
		return 1;
	}
	if (o->nwords > 0) {
		/* With words, the outline of the best match (-n: the N-th):
		 * that section and its subsections. */
		awn_hits *hits;
		int rc = search_nth(db, o, &hits);
		if (rc != 0)
			return rc;
		first = hits->hit[o->nth - 1].section;
		awn_hits_free(hits);
		if (awn_db_section_tree(db, first, &s) != AWN_OK)
			return 2;
		end = s.end;
		base = section_depth(db, first);
		under = 0; /* the root's path names its document */
	}
	if (o->where) {
		int rc = where_check(db, first, end, !o->json);
		if (rc != 0)
			return rc;
	}
	if (o->json)
		return json_list(db, first, end, o->where, out);
	output_start_pager(out, o);
	if (o->where) {
		int rc = 0;
		for (i = first; i < end && !out->failed && rc == 0; i++)
			if (awn_db_section_tree(db, i, &s) != AWN_OK)
				rc = 2;
			else if (awn_db_doc_kept(db, s.doc))
				rc = where_print(db, i, 1, out);
		return rc;
	}
	for (i = first; i < end && !out->failed; i++) {
		if (awn_db_section_tree(db, i, &s) != AWN_OK) {
			display_free(&d);
			return 2;
		}
		if (!awn_db_doc_kept(db, s.doc))
			continue;
		if (tty && !(i == first && o->nwords > 0)) {
			/* An indented outline; depth from the parent chain
			 * (the best match's line, the root, has its path). */
			unsigned depth = section_depth(db, i);
			depth = depth > base ? depth - base : 0;
			/* A preamble is titled with its document's name. */
			if (under && s.doc != doc && s.level > 0) {
				size_t nl;
				const char *name =
				    awn_db_doc_name(db, s.doc, &nl);
				output_printf(out, "%s\n",
				              display_text(&d, name, nl));
			}
			doc = s.doc;
			if (under && s.level > 0)
				depth++;
			shown = s.title_len == 0
			            ? AWN_UNTITLED
			            : display_text(&d, s.title, s.title_len);
			output_printf(out, "%*s%s\n", (int)depth * 2, "",
			              shown);
		} else {
			int bold = tty; /* the root of a section's outline */
			output_printf(out, "%s%s%s\n",
			              bold ? output_sgr(out, "\033[1m") : "",
			              display_path(&d, db, i, " > "),
			              bold ? output_sgr(out, "\033[0m") : "");
		}
	}
	display_free(&d);
	return 0;
}
