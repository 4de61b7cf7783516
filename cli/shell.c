/*
 * shell.c - the shell's commands, and its batch front end.
 *
 * A plain line is a lookup, as `awsnote WORDS` would do; its ranked
 * results are remembered so a bare number opens one.  /PATTERN hands the
 * pattern to the regex search.  Lines starting with ':' are commands that
 * move around the notes (:next, :up, :follow N, :back) or list things.
 *
 * The same commands serve both front ends.  With a person at a terminal
 * (shell-edit.c) long output goes through the pager, lookups suggest the
 * next-best results, and mistakes are just reported.  From a pipe or a
 * file (shell_run below) answers are plain, separated by blank lines, and
 * the exit status sums up the whole script: 0 if every line found
 * something, 1 if any found nothing, 2 if any failed.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "display.h"
#include "lookup.h"
#include "regex.h"
#include "shell.h"
#include "where.h"
#include "xmalloc.h"

#define HITS_MAX         50 /* results a lookup remembers */
#define SEE_ALSO         3  /* next-best results suggested after a lookup */
#define LIST_INDENT      6  /* columns of :list's "*  1  " */
#define LIST_SUMMARY_MIN 10 /* columns below which a summary is no use */

static char no_words[] = ""; /* the query of option sets built here */

struct command {
	const char *name;
	int (*run)(struct shell *sh, const char *arg);
	int takes; /* what may follow the name */
};
enum { TAKES_NOTHING, TAKES_NUMBER, TAKES_WORDS };

/* ---- output around each command ---- */

/*
 * A command's stdout output goes through a stream of ours, which stops
 * taking it once the front end's Ctrl-C flag is up (the commands stop
 * at the first failed write), and which in batch mode keeps answers
 * apart by a blank line.  Whether a command prints anything is known
 * only once it does (a regex may match nothing), so the blank line goes
 * in front of its first byte.
 */
static ssize_t
command_write(void *ctx, const char *data, size_t len)
{
	struct shell *sh = ctx;

	if (sh->interrupted != NULL && *sh->interrupted) {
		errno = EINTR;
		return -1;
	}
	if (len == 0)
		return 0;
	if (sh->printed && !sh->interactive && fputc('\n', stdout) == EOF)
		return -1;
	sh->printed = 0; /* the blank line is out: not again in this block */
	if (fwrite(data, 1, len, stdout) != len)
		return -1;
	sh->wrote = 1;
	return (ssize_t)len;
}

/* Begin a block of stdout output; PAGE: through the pager if it is long. */
static void
begin_output(struct shell *sh, struct output *out, int page)
{
	cookie_io_functions_t io = {NULL, command_write, NULL, NULL};

	output_init(out, &sh->o);
	clearerr(stdout); /* a write cut short by Ctrl-C is in the past */
	sh->wrote = 0;
	if ((sh->fp = fopencookie(sh, "w", io)) != NULL) {
		out->fp = sh->fp;
		if (sh->interactive) /* checked for Ctrl-C at every line */
			setvbuf(sh->fp, NULL, _IOLBF, 0);
	}
	if (page)
		output_start_pager(out, &sh->o);
}

static int
end_output(struct shell *sh, struct output *out, int rc)
{
	int finished = output_finish(out);
	int err = finished < 0 || out->err == EPIPE ? out->err : 0;

	errno = 0;
	if (sh->fp != NULL && fclose(sh->fp) != 0 && err == 0)
		err = errno ? errno : EIO;
	errno = 0;
	if (fflush(stdout) != 0 && err == 0)
		err = errno ? errno : EIO;
	sh->fp = NULL;
	if (sh->interrupted != NULL && *sh->interrupted) {
		/* Stopped by Ctrl-C: no error, and the prompt on a line of
		   its own. */
		if (sh->wrote)
			fputc('\n', stdout);
		return rc;
	}
	if (sh->wrote)
		sh->printed = 1;
	if (finished < 0 && err == 0) /* a failed pager, told */
		return 2;
	if (err == 0)
		return rc;
	/* Output that cannot be written stops a script: the lines after
	   would fail alike, each with a message.  A reader that went away
	   (EPIPE, when SIGPIPE is ignored) is no error, as for a lookup. */
	if (!sh->interactive)
		sh->quit = 1;
	clearerr(stdout); /* told here, not again when the program ends */
	if (err != EPIPE && rc != 2) {
		fprintf(stderr, "awsnote: error writing output: %s\n",
		        strerror(err));
		rc = 2;
	}
	return rc;
}

/*
 * "awsnote: BEFORE'ARG'AFTER" on stderr, ARG made safe to print (it is
 * the user's typing, or text from the notes).
 */
static int
say(int rc, const char *before, const char *arg, const char *after)
{
	char safe[256];

	awn_display_text(arg, strlen(arg), safe, sizeof(safe));
	fprintf(stderr, "awsnote: %s%s%s\n", before, safe, after);
	return rc;
}

/* ---- sections ---- */

static void
remember(struct shell *sh, uint32_t id)
{
	if (sh->nback == SHELL_BACK_MAX) {
		memmove(sh->back, sh->back + 1,
		        (SHELL_BACK_MAX - 1) * sizeof(sh->back[0]));
		sh->nback--;
	}
	sh->back[sh->nback++] = id;
}

/* TEXT as a line of its own, on a terminal wrapped between words, its
 * later lines indented MORE; LEAD before it. */
static void
put_wrapped(struct output *out, const char *lead, const char *text,
            unsigned more)
{
	(void)awn_render_line(lead, text, strlen(text), more, 0, &out->render,
	                      output_write, out);
}

void
shell_greet(struct shell *sh)
{
	struct output out;
	char *text = xasprintf("awsnote %s: type words to look them up, "
	                       ":help for more, Ctrl-D to leave",
	                       awn_version());

	begin_output(sh, &out, 0);
	put_wrapped(&out, NULL, text, 0);
	(void)end_output(sh, &out, 0);
	free(text);
}

static void
print_see_also(struct shell *sh, uint32_t shown, struct output *out)
{
	static const char hint[] = " (type the number):";
	char tail[48];
	struct display d = {NULL, 0};
	const char *path;
	char lead[32];
	size_t i, n = 0;

	for (i = 0; i < sh->hits->n && n < SEE_ALSO; i++) {
		if (sh->hits->hit[i].section == shown)
			continue;
		if (n++ == 0) {
			/* The hint only where the line holds it: at 20
			   columns the terminal broke it mid-word. */
			int room = !(out->render.flags & AWN_RENDER_WRAP) ||
			           out->render.width >= 8 + sizeof(hint) - 1;
			output_blank_line(out);
			output_printf(
			    out, "%sSee also%s%s\n", output_sgr(out, "\033[1m"),
			    output_sgr(out, "\033[0m"), room ? hint : ":");
		}
		path =
		    display_path(&d, sh->db, sh->hits->hit[i].section, " > ");
		/* wrapped to the terminal, under the path's first column */
		snprintf(lead, sizeof(lead), "%4zu  ", i + 1);
		(void)awn_render_line(lead, path, strlen(path),
		                      (unsigned)strlen(lead), 0, &out->render,
		                      output_write, out);
	}
	if (n > 0 && sh->hits->n > n + 1) {
		snprintf(tail, sizeof(tail), "(:list shows all %zu)",
		         sh->hits->n);
		put_wrapped(out, "      ", tail, 6);
	}
	display_free(&d);
}

/*
 * Show section ID as a lookup does and make it the current one; the one
 * shown before goes on the :back list unless this is a step back.
 */
static int
show(struct shell *sh, uint32_t id, int going_back, int see_also)
{
	struct output out;
	int rc;

	if (!going_back && sh->cur != AWN_NONE && sh->cur != id)
		remember(sh, sh->cur);
	sh->cur = id;
	begin_output(sh, &out, 1);
	rc = lookup_print_section(sh->db, id, &out);
	if (rc == 0 && see_also && sh->interactive && sh->hits)
		print_see_also(sh, id, &out);
	return end_output(sh, &out, rc);
}

static int
need_current(const struct shell *sh)
{
	if (sh->cur != AWN_NONE)
		return 1;
	fputs("awsnote: no section on show yet; type some words first\n",
	      stderr);
	return 0;
}

/* ---- lookups ---- */

/* On a terminal, say when words were corrected or not all matched. */
static void
explain(const struct shell *sh, const awn_hits *hits, const char *query)
{
	if (!sh->interactive || !isatty(STDERR_FILENO))
		return;
	if (hits->corrected[0])
		say(0, "did you mean: ", hits->corrected, "");
	if (!hits->all_terms && strchr(query, ' ') != NULL)
		fputs("awsnote: no section has all the words; showing the "
		      "closest\n",
		      stderr);
}

static int
lookup(struct shell *sh, const char *query)
{
	awn_error err = {AWN_OK, ""};
	awn_hits *hits = NULL;

	if (awn_search(sh->db, query, HITS_MAX, &hits, &err) != AWN_OK)
		return output_error(&err);
	if (hits->n == 0) {
		/* Keep the earlier results: a typo should not lose them. */
		awn_hits_free(hits);
		return say(1, "nothing found for '", query, "'");
	}
	awn_hits_free(sh->hits);
	sh->hits = hits;
	explain(sh, hits, query);
	return show(sh, hits->hit[0].section, 0, 1);
}

static int
open_result(struct shell *sh, unsigned long n)
{
	if (sh->hits == NULL) {
		fputs("awsnote: no results yet; type some words first\n",
		      stderr);
		return 1;
	}
	if (n == 0 || n > sh->hits->n) {
		fprintf(stderr, "awsnote: no result %lu (there %s %zu)\n", n,
		        sh->hits->n == 1 ? "is" : "are", sh->hits->n);
		return 1;
	}
	return show(sh, sh->hits->hit[n - 1].section, 0, 0);
}

static int
run_regex(struct shell *sh, const char *pattern)
{
	struct options ro = sh->o;
	struct output out;

	if (*pattern == '\0') {
		fputs("awsnote: '/' needs a pattern (/PATTERN)\n", stderr);
		return 2;
	}
	ro.mode = MODE_REGEX;
	ro.patterns[0] = pattern;
	ro.npatterns = 1;
	ro.query = no_words;
	ro.nwords = 0;
	ro.json = 0;
	begin_output(sh, &out, 0); /* regex_run decides about the pager */
	return end_output(sh, &out, regex_run(sh->db, &ro, &out));
}

/* ---- commands ---- */

static int
cmd_help(struct shell *sh, const char *arg)
{
	struct output out;

	(void)arg;
	begin_output(sh, &out, 0);
	output_puts(
	    &out,
	    "WORDS         show the best section for WORDS (as awsnote WORDS)\n"
	    "N             show result N of the last lookup\n"
	    "/PATTERN      print the lines matching a regex (as awsnote -e)\n"
	    ":list         the last lookup's results, numbered\n"
	    ":toc [WORDS]  every section, as a table of contents; with WORDS,\n"
	    "              the outline of their best match (as awsnote -l)\n"
	    ":next :prev   the next or previous section at the same level\n"
	    ":up           the section this one belongs to\n"
	    ":links        this section's links to other sections, numbered\n"
	    ":follow N     show where link N leads\n"
	    ":back         back to the section shown before\n"
	    ":where        where this section is written, FILE:LINE\n"
	    ":edit         open it there in $VISUAL, else $EDITOR, else vi;\n"
	    "              the next lookup sees the edit\n"
	    ":help         this list\n"
	    ":quit :exit   leave (so does Ctrl-D)\n"
	    "Commands may be shortened (:n, :f 2).  Tab completes commands,\n"
	    "title words and index terms; a second Tab lists the choices.\n");
	return end_output(sh, &out, 0);
}

static int
cmd_quit(struct shell *sh, const char *arg)
{
	(void)arg;
	sh->quit = 1;
	return 0;
}

/* :toc, or with words the outline of their best match (as awsnote -l). */
static int
cmd_toc(struct shell *sh, const char *arg)
{
	struct options lo = sh->o;
	struct output out;

	lo.query = (char *)arg;
	lo.nwords = *arg != '\0';
	lo.nth = 1;
	begin_output(sh, &out, 0); /* lookup_list starts the pager */
	return end_output(sh, &out, lookup_list(sh->db, &lo, &out));
}

/* Columns S takes, counting characters (near enough for titles). */
static size_t
columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int
cmd_list(struct shell *sh, const char *arg)
{
	awn_error err = {AWN_OK, ""};
	struct display d = {NULL, 0};
	const char *path;
	char summary[120], lead[32];
	struct output out;
	size_t i;
	int rc = 0;

	(void)arg;
	if (sh->hits == NULL) {
		fputs("awsnote: no results yet; type some words first\n",
		      stderr);
		return 1;
	}
	begin_output(sh, &out, 1);
	for (i = 0; i < sh->hits->n && !out.failed; i++) {
		uint32_t id = sh->hits->hit[i].section;
		size_t room = sizeof(summary);
		path = display_path(&d, sh->db, id, " > ");
		if (out.render.flags & AWN_RENDER_WRAP) {
			/* On a terminal the summary gets what the number and
			   the path leave of the line; when that is under
			   LIST_SUMMARY_MIN (a path that wraps), one line under
			   the path instead, so the entry still says what the
			   section is about, in one line more at most. */
			size_t width = out.render.width;
			size_t used = LIST_INDENT + columns(path) + 3;
			if (used + LIST_SUMMARY_MIN < width)
				room = width - used + 1;
			else if (LIST_INDENT + LIST_SUMMARY_MIN < width)
				room = width - LIST_INDENT + 1;
			else
				room = 1;
			room = room < sizeof(summary) ? room : sizeof(summary);
		}
		if (awn_db_summary(sh->db, id, summary, room, &err) != AWN_OK) {
			rc = output_error(&err);
			break;
		}
		snprintf(lead, sizeof(lead), "%c%3zu  ",
		         id == sh->cur ? '*' : ' ', i + 1);
		if (out.tty) /* a path too long for the line wraps, as -k's */
			(void)awn_render_entry(
			    lead, path, strlen(path), summary, strlen(summary),
			    LIST_INDENT, &out.render, output_write, &out);
		else
			output_printf(&out, "%s%s%s%s%s%s\n", lead,
			              output_sgr(&out, "\033[1m"), path,
			              output_sgr(&out, "\033[0m"),
			              summary[0] ? " - " : "", summary);
	}
	display_free(&d);
	return end_output(sh, &out, rc);
}

static int
cmd_up(struct shell *sh, const char *arg)
{
	awn_section s;

	(void)arg;
	if (!need_current(sh))
		return 1;
	if (awn_db_section_tree(sh->db, sh->cur, &s) != AWN_OK)
		return 2;
	if (s.parent == AWN_NONE) {
		fputs("awsnote: this section is at the top already\n", stderr);
		return 1;
	}
	return show(sh, s.parent, 0, 0);
}

/*
 * Whether section X may be a sibling stop from section S: with -d, a
 * top-level section of a document that is not kept is passed over (the
 * document on show is always a stop, even one reached by :follow).
 */
static int
sibling_kept(const awn_db *db, const awn_section *s, const awn_section *x)
{
	return x->doc == s->doc || awn_db_doc_kept(db, x->doc);
}

/* The sibling after ID, or AWN_NONE. */
static uint32_t
next_sibling(awn_db *db, uint32_t id)
{
	awn_section s, n;
	uint32_t i;

	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return AWN_NONE;
	for (i = s.end; awn_db_section_tree(db, i, &n) == AWN_OK &&
	                n.parent == s.parent && n.end > i;
	     i = n.end)
		if (sibling_kept(db, &s, &n))
			return i;
	return AWN_NONE;
}

/* The sibling before ID, or AWN_NONE: walk the parent's children. */
static uint32_t
prev_sibling(awn_db *db, uint32_t id)
{
	awn_section s, x;
	uint32_t i, prev = AWN_NONE;

	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return AWN_NONE;
	i = s.parent == AWN_NONE ? 0 : s.parent + 1;
	while (i < id && awn_db_section_tree(db, i, &x) == AWN_OK) {
		if (x.parent == s.parent && sibling_kept(db, &s, &x))
			prev = i;
		i = x.end > i ? x.end : i + 1; /* over its subsections */
	}
	return prev;
}

static int
cmd_next(struct shell *sh, const char *arg)
{
	uint32_t id;

	(void)arg;
	if (!need_current(sh))
		return 1;
	if ((id = next_sibling(sh->db, sh->cur)) == AWN_NONE) {
		fputs("awsnote: this is the last section at its level\n",
		      stderr);
		return 1;
	}
	return show(sh, id, 0, 0);
}

static int
cmd_prev(struct shell *sh, const char *arg)
{
	uint32_t id;

	(void)arg;
	if (!need_current(sh))
		return 1;
	if ((id = prev_sibling(sh->db, sh->cur)) == AWN_NONE) {
		fputs("awsnote: this is the first section at its level\n",
		      stderr);
		return 1;
	}
	return show(sh, id, 0, 0);
}

static int
cmd_back(struct shell *sh, const char *arg)
{
	(void)arg;
	if (sh->nback == 0) {
		fputs("awsnote: no section to go back to\n", stderr);
		return 1;
	}
	return show(sh, sh->back[--sh->nback], 1, 0);
}

/*
 * The links of the current section as shown - its own text and its
 * subsections' - one awn_links per section, in order.  Returns the
 * number of sections read (the array is malloc'd), or -1 after
 * reporting an error.
 */
static long
current_links(struct shell *sh, awn_links ***out)
{
	awn_error err = {AWN_OK, ""};
	awn_links **all;
	awn_section s;
	uint32_t i;

	if (awn_db_section_tree(sh->db, sh->cur, &s) != AWN_OK)
		return -1;
	all = xcalloc(s.end - s.id, sizeof(*all));
	for (i = s.id; i < s.end; i++) {
		if (awn_db_links(sh->db, i, &all[i - s.id], &err) != AWN_OK) {
			while (i-- > s.id)
				awn_links_free(all[i - s.id]);
			free(all);
			output_error(&err);
			return -1;
		}
	}
	*out = all;
	return (long)(s.end - s.id);
}

static void
free_links(awn_links **all, long n)
{
	while (n-- > 0)
		awn_links_free(all[n]);
	free(all);
}

/* Whether link L leads into the notes: to a heading ("#anchor", found
 * or not) or to another of their files. */
static int
link_internal(const awn_link *l)
{
	return l->dest[0] == '#' || l->target != AWN_NONE;
}

static void
print_links(struct shell *sh, awn_links **all, long nsec, int internal,
            struct output *out)
{
	struct display d = {NULL, 0};
	const char *path;
	char text[512], lead[32], *entry;
	size_t i, n = 0;
	long k;

	for (k = 0; k < nsec; k++) {
		for (i = 0; i < all[k]->n; i++) {
			const awn_link *l = &all[k]->link[i];
			if (link_internal(l) != internal)
				continue;
			awn_display_text(l->text, l->text_len, text,
			                 sizeof(text));
			if (!internal) {
				/* For a browser: shown, not numbered; a
				 * text that is the address is said once. */
				path = display_text(&d, l->dest, l->dest_len);
				if (awn_link_is_autolink(l->text, l->text_len,
				                         l->dest, l->dest_len))
					text[0] = '\0';
				output_printf(out, "      %s%s<%s>\n", text,
				              text[0] ? " " : "", path);
				continue;
			}
			path = l->target != AWN_NONE
			           ? display_path(&d, sh->db, l->target, " > ")
			           : display_text(&d, l->dest, l->dest_len);
			entry = xasprintf(
			    "%s%s%s%s", text, text[0] ? "  -> " : "-> ", path,
			    l->target == AWN_NONE ? " (no such heading)" : "");
			snprintf(lead, sizeof(lead), "%4zu  ", ++n);
			/* One that the line holds is printed as it is; a
			   longer one wrapped, as :list wraps (the terminal
			   broke it mid-word).  Addresses, below, are never
			   broken: a broken one cannot be copied. */
			if ((out->render.flags & AWN_RENDER_WRAP) &&
			    LIST_INDENT + columns(entry) > out->render.width)
				put_wrapped(out, lead, entry, LIST_INDENT);
			else
				output_printf(out, "%s%s\n", lead, entry);
			free(entry);
		}
	}
	display_free(&d);
}

static int
cmd_links(struct shell *sh, const char *arg)
{
	struct output out;
	awn_links **all;
	long nsec, k;
	size_t i, internal = 0, external = 0;

	(void)arg;
	if (!need_current(sh))
		return 1;
	if ((nsec = current_links(sh, &all)) < 0)
		return 2;
	for (k = 0; k < nsec; k++)
		for (i = 0; i < all[k]->n; i++)
			if (link_internal(&all[k]->link[i]))
				internal++;
			else
				external++;
	if (internal + external == 0) {
		free_links(all, nsec);
		fputs("awsnote: this section has no links\n", stderr);
		return 1;
	}
	begin_output(sh, &out, 1);
	print_links(sh, all, nsec, 1, &out);
	if (external > 0) {
		if (internal > 0)
			output_blank_line(&out);
		put_wrapped(&out, NULL, "Links out of the notes:", 0);
		print_links(sh, all, nsec, 0, &out);
	}
	free_links(all, nsec);
	return end_output(sh, &out, 0);
}

static int
cmd_follow(struct shell *sh, const char *arg)
{
	unsigned long want = strtoul(arg, NULL, 10), n = 0;
	uint32_t target = AWN_NONE;
	awn_links **all;
	long nsec, k;
	size_t i;
	int found = 0;
	char dest[256];

	if (!need_current(sh))
		return 1;
	if ((nsec = current_links(sh, &all)) < 0)
		return 2;
	for (k = 0; k < nsec && !found; k++) {
		for (i = 0; i < all[k]->n && !found; i++) {
			const awn_link *l = &all[k]->link[i];
			if (link_internal(l) && ++n == want) {
				found = 1;
				target = l->target;
				awn_display_text(l->dest, l->dest_len, dest,
				                 sizeof(dest));
			}
		}
	}
	free_links(all, nsec);
	if (!found) {
		/* Links out of the notes are listed unnumbered: "lists 0"
		 * under a list of them would read as a contradiction. */
		if (n == 0)
			fprintf(
			    stderr,
			    "awsnote: no link %lu: this section links to no "
			    "other section of the notes\n",
			    want);
		else
			fprintf(stderr,
			        "awsnote: no link %lu (:links numbers %lu)\n",
			        want, n);
		return 1;
	}
	if (target == AWN_NONE)
		return say(1, "that link leads nowhere: no heading has anchor ",
		           dest, "");
	return show(sh, target, 0, 0);
}

static int
cmd_where(struct shell *sh, const char *arg)
{
	struct output out;

	(void)arg;
	if (!need_current(sh))
		return 1;
	begin_output(sh, &out, 0);
	return end_output(sh, &out, where_print(sh->db, sh->cur, 0, &out));
}

/*
 * The section on show in the user's editor.  Then the notes are read
 * again at once if their files changed (shell_refresh, as before any
 * line: Markdown given is compiled again; a blob is as it was until
 * rebuilt), and the section of the same path stays on show, if there
 * still is one, for :where and :next to go on from.
 */
static int
cmd_edit(struct shell *sh, const char *arg)
{
	unsigned reopened = sh->reopened;
	uint32_t i, count, was = sh->cur;
	char *path, *p;
	size_t n;
	int rc;

	(void)arg;
	if (!need_current(sh))
		return 1;
	/* An editor that failed may still have saved: look, then say 2. */
	if ((rc = where_edit(sh->db, sh->cur)) == 2)
		return rc;
	n = awn_db_path(sh->db, sh->cur, " > ", NULL, 0);
	path = xmalloc(n + 1);
	awn_db_path(sh->db, sh->cur, " > ", path, n + 1);
	sh->refresh_next = 0; /* a file was just edited: look now, even if
	                         looking is slow and was done a moment ago */
	shell_refresh(sh, 0);
	count = sh->reopened != reopened ? awn_db_count(sh->db) : 0;
	for (i = 0; i < count && sh->cur == AWN_NONE; i++) {
		/* Where it was first: an edit seldom moves headings. */
		uint32_t id = (uint32_t)(((uint64_t)was + i) % count);
		if (awn_db_path(sh->db, id, " > ", NULL, 0) != n)
			continue;
		p = xmalloc(n + 1);
		awn_db_path(sh->db, id, " > ", p, n + 1);
		if (memcmp(p, path, n) == 0)
			sh->cur = id;
		free(p);
	}
	/* Kept: nothing to tell at the next line (the results went). */
	if (sh->cur != AWN_NONE)
		sh->tell_reopened = 0;
	free(path);
	return rc != 0 ? 2 : 0;
}

/* Sorted by name: shell_command_name and prefix matching rely on it. */
static const struct command commands[] = {
    {"back", cmd_back, TAKES_NOTHING},   {"edit", cmd_edit, TAKES_NOTHING},
    {"exit", cmd_quit, TAKES_NOTHING},   {"follow", cmd_follow, TAKES_NUMBER},
    {"help", cmd_help, TAKES_NOTHING},   {"links", cmd_links, TAKES_NOTHING},
    {"list", cmd_list, TAKES_NOTHING},   {"next", cmd_next, TAKES_NOTHING},
    {"prev", cmd_prev, TAKES_NOTHING},   {"quit", cmd_quit, TAKES_NOTHING},
    {"toc", cmd_toc, TAKES_WORDS},       {"up", cmd_up, TAKES_NOTHING},
    {"where", cmd_where, TAKES_NOTHING},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *
shell_command_name(size_t i)
{
	return i < NCOMMANDS ? commands[i].name : NULL;
}

/* Is S (NUL-terminated) a number we can use?  Stores it in *N. */
static int
parse_number(const char *s, unsigned long *n)
{
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*n = strtoul(s, &end, 10);
	return *end == '\0' && errno == 0 && *n <= 1000000;
}

/* The command NAME/LEN (after the ':') names, whole or by a prefix only
 * it has, else NULL; *NMATCH: how many it could be. */
static const struct command *
find_command(const char *name, size_t len, size_t *nmatch)
{
	const struct command *match = NULL;
	size_t i;

	*nmatch = 0;
	for (i = 0; i < NCOMMANDS; i++) {
		if (len == 0 || strncmp(commands[i].name, name, len) != 0)
			continue;
		match = &commands[i];
		if (commands[i].name[len] == '\0') { /* exact beats prefix */
			*nmatch = 1;
			break;
		}
		(*nmatch)++;
	}
	return *nmatch == 1 ? match : NULL;
}

int
shell_command_takes_words(const char *name, size_t len)
{
	size_t nmatch;
	const struct command *match = find_command(name, len, &nmatch);

	return match != NULL && match->takes == TAKES_WORDS;
}

static int
command(struct shell *sh, char *line)
{
	const struct command *match;
	char *name = line + 1, *arg = name;
	unsigned long n;
	size_t len, i, nmatch;

	while (*arg && *arg != ' ' && *arg != '\t')
		arg++;
	len = (size_t)(arg - name);
	while (*arg == ' ' || *arg == '\t')
		*arg++ = '\0';
	match = find_command(name, len, &nmatch);
	name[len] = '\0';
	if (nmatch == 0)
		return say(2, "unknown command ':", name,
		           "' (:help lists them)");
	if (nmatch > 1) {
		fprintf(stderr, "awsnote: ':%s' could be", name);
		for (i = 0; i < NCOMMANDS; i++)
			if (strncmp(commands[i].name, name, len) == 0)
				fprintf(stderr, " :%s", commands[i].name);
		fputc('\n', stderr);
		return 2;
	}
	if (match->takes == TAKES_NUMBER && !parse_number(arg, &n))
		return say(2, ":", match->name,
		           " needs a number, as in ':follow 2'");
	if (match->takes == TAKES_NOTHING && *arg != '\0')
		return say(2, ":", match->name, " takes no argument");
	return match->run(sh, arg);
}

/*
 * A line that is only a word newcomers type for a command, or that
 * starts with one of awsnote's options, was looked up like any other
 * (it may be what they want to read about); at a terminal, the command
 * is then named.
 */
static void
hint_command(const struct shell *sh, const char *line)
{
	static const char *const words[][2] = {
	    {"help", ":help lists the commands"},
	    {"quit", ":quit or Ctrl-D leaves the shell"},
	    {"exit", ":quit or Ctrl-D leaves the shell"},
	};
	/* awsnote's options typed first, as at the command line: here they
	 * are words, "-k" excluding sections that hold "k". */
	static const char *const options[][2] = {
	    {"-k", ":list shows the last lookup's results"},
	    {"-l", ":toc shows the table of contents"},
	    {"-e", "/PATTERN prints the lines matching a regex"},
	    {"-n", "a number shows that result of the last lookup"},
	};
	size_t i, len = strcspn(line, " \t");

	if (!sh->interactive)
		return;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(line, words[i][0]) == 0)
			say(0, "", words[i][1], "");
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (len == 2 && strncmp(line, options[i][0], 2) == 0) {
			fprintf(stderr,
			        "awsnote: '%s' here excludes sections holding "
			        "'%c' (the shell has no options); %s\n",
			        options[i][0], line[1], options[i][1]);
			break;
		}
}

static int64_t
clock_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/*
 * A check costs a look at every file of Markdown notes (~90 ms for 38k
 * files), which a person at the prompt does not notice but a script of
 * many lines would pay at each: in batch mode, a check that took longer
 * than REFRESH_SLOW_NS is not repeated before ten times as long has gone
 * by, so checking takes at most a tenth of the time.  Small notes are
 * checked at every line, as at the prompt.  A check's cost is the CPU
 * time it took (its stat calls included), not the wall time: on a busy
 * machine a check of two files may wait for the CPU for milliseconds,
 * and a script's next line would then miss an edit.
 */
#define REFRESH_SLOW_NS 5000000

void
shell_refresh(struct shell *sh, int quiet)
{
	int lost = sh->hits != NULL || sh->cur != AWN_NONE, changed;
	int64_t start, cpu;

	if (sh->refresh == NULL)
		return;
	start = clock_ns(CLOCK_MONOTONIC);
	if (!sh->interactive && start < sh->refresh_next)
		return;
	cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	changed = sh->refresh(sh->refresh_ctx, &sh->db, quiet);
	if (!sh->interactive) {
		int64_t took = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu;
		sh->refresh_next =
		    took > REFRESH_SLOW_NS ? start + 11 * took : 0;
	}
	if (changed <= 0)
		return;
	/* Numbers and sections of the notes as they were: meaningless in
	 * the new ones. */
	awn_hits_free(sh->hits);
	sh->hits = NULL;
	sh->cur = AWN_NONE;
	sh->nback = 0;
	sh->reopened++;
	sh->tell_reopened |= lost;
}

int
shell_exec(struct shell *sh, const char *line)
{
	char buf[SHELL_LINE_MAX + 1];
	size_t len = strlen(line);
	unsigned long n;
	char *s;
	int rc;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
	                   line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	if (len > SHELL_LINE_MAX) {
		fprintf(stderr, "awsnote: line longer than %d bytes\n",
		        SHELL_LINE_MAX);
		return 2;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	s = buf;
	if (*s == '\0')
		return 0;
	shell_refresh(sh, 0);
	where_release(); /* a file may have been edited since the last line */
	/* Here, not at a Tab that refreshed: not in the line being edited. */
	if (sh->tell_reopened && sh->interactive)
		fputs("awsnote: the notes changed on disk and were read again "
		      "(results and :back start afresh)\n",
		      stderr);
	sh->tell_reopened = 0;
	if (*s == ':')
		return command(sh, s);
	if (*s == '/')
		return run_regex(sh, s + 1);
	if (parse_number(s, &n))
		return open_result(sh, n);
	rc = lookup(sh, s);
	hint_command(sh, s);
	return rc;
}

static int
worse(int a, int b)
{
	return a > b ? a : b;
}

/* Commands from a pipe or a file: no prompt, plain answers. */
static int
batch_run(struct shell *sh)
{
	char line[SHELL_LINE_MAX + 3]; /* the line, "\r\n", NUL */
	unsigned long lineno = 0;
	int rc = 0, c;

	if (sh->first)
		rc = shell_exec(sh, sh->first);
	while (!sh->quit && fgets(line, sizeof(line), stdin) != NULL) {
		size_t len = strlen(line);
		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			while ((c = getchar()) != EOF && c != '\n')
				; /* drop the rest */
			fprintf(stderr,
			        "awsnote: line %lu longer than %d bytes\n",
			        lineno, SHELL_LINE_MAX);
			rc = 2;
			continue;
		}
		rc = worse(rc, shell_exec(sh, line));
	}
	if (ferror(stdin)) {
		fprintf(stderr, "awsnote: reading commands: %s\n",
		        strerror(errno));
		rc = 2;
	}
	return rc;
}

int
shell_run(awn_db *db, const struct options *o, struct output *out,
          shell_refresh_fn *refresh, void *ctx)
{
	struct shell sh;
	int rc, tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	(void)out; /* each command makes its own */
	memset(&sh, 0, sizeof(sh));
	sh.db = db;
	sh.refresh = refresh;
	sh.refresh_ctx = ctx;
	sh.o = *o;
	sh.o.query = no_words;
	sh.o.nwords = 0;
	sh.cur = AWN_NONE;
	sh.interactive = tty;
#ifndef WITH_LINE_EDITOR
	if (tty) {
		/* Not "-i:": awsnote alone on a terminal comes here too. */
		fputs("awsnote: built without the interactive shell (no "
		      "libedit); pipe commands into 'awsnote -i' instead\n",
		      stderr);
		return 2;
	}
#endif
	if (!tty)
		sh.o.no_pager = 1; /* a script's answers go where it says */
	if (o->nwords > 0)
		sh.first = o->query; /* awsnote -i WORDS */
#ifdef WITH_LINE_EDITOR
	if (tty)
		rc = shell_edit_run(&sh);
	else
#endif
		rc = batch_run(&sh);
	awn_hits_free(sh.hits);
	return rc;
}
