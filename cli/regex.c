/*
 * regex.c - -e: grep-style regex search over the notes.
 *
 * The library finds the matching lines (awn_grep_section); this file
 * decides which sections to search and how the lines look:
 *  - in a pipe, like grep with several files: "PATH:line" for a match,
 *    "PATH-line" for context, "--" between groups of context;
 *  - on a terminal (or with --color=always), like ripgrep's heading
 *    mode: each section's path as a heading, then "N:line" with the
 *    matches in bold red;
 *  - on a terminal only, those lines and paths (-l's and -c's too)
 *    wrapped at the width, words whole, as -k's are: a later line of a
 *    path is indented 2, of a text line under its text
 *    (awn_render_grep_path, awn_render_grep_line).  A pipe gets the
 *    same bytes as before, --color=always and --width or not;
 *  - with --json, one object per line (json.c);
 *  - with --where, as grep -Hn: "FILE:LINE:line" with the line of the
 *    Markdown file it was written on, for an editor's quickfix list
 *    (where.c re-reads the file for it); not wrapped.
 * -c, -l and -o change what is printed for a section or a line.
 *
 * Sections are searched in document order, each as its own text (not
 * its subsections'): all of them, or with WORDs the sections a keyword
 * search finds for them, every hit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "json.h"
#include "regex.h"
#include "where.h"
#include "xmalloc.h"

#define SGR_PATH  "\033[1;35m"
#define SGR_LINE  "\033[32m"
#define SGR_MATCH "\033[1;31m"
#define SGR_SEP   "\033[36m"
#define SGR_RESET "\033[0m"

#define PATH_INDENT 2 /* columns of a wrapped path's later lines, as -k's */

enum show {
	SHOW_LINES,    /* matching lines (and context) */
	SHOW_ONLY,     /* -o: the matched parts */
	SHOW_COUNT,    /* -c: matching lines per section */
	SHOW_SECTIONS, /* -l: sections with a match */
};

/* A line kept for -B, its text copied (the library's is gone after). */
struct kept {
	uint32_t number;
	char *text;
	size_t len, cap;
};

struct search {
	awn_db *db;
	const struct options *o;
	struct output *out;
	enum show show;
	int heading; /* grouped under section headings (rg style) */
	int wrap;    /* on a terminal: lines and paths wrapped */
	struct json j;
	struct where_lines where; /* --where: the lines' files and lines */
	struct display file;      /* their file, shown safe */
	int rc;                   /* 2 once something failed (said) */
	int file_failed; /* --where: a file's lines were left out (said) */

	uint32_t section;    /* the section being searched */
	struct display path; /* its path, once path() made it */
	int path_made;
	int section_shown;        /* its heading (or -l line) is out */
	unsigned long count;      /* its matching lines */
	unsigned long long total; /* matching lines in all */
	int done;                 /* -m reached: only trailing context now */
	unsigned after_left;      /* trailing context lines still to print */

	/* what was printed last, to know where "--" goes */
	int printed;
	uint32_t last_section, last_number;

	struct kept *ring; /* the last -B lines, oldest at ring_at */
	unsigned ring_n, ring_at;
};

/* The current section's path, made when first needed (most have no match). */
static const char *
path(struct search *s)
{
	if (!s->path_made)
		display_path(&s->path, s->db, s->section, " > ");
	s->path_made = 1;
	return s->path.data;
}

static void
start_output(struct search *s)
{
	if (!s->o->json)
		output_start_pager(s->out, s->o);
}

/* The current section's path on a line, in bold magenta, then TAIL. */
static void
show_path(struct search *s, const char *tail)
{
	const char *p = path(s);

	if (s->wrap)
		(void)awn_render_grep_path(p, strlen(p), tail, PATH_INDENT,
		                           &s->out->render, output_write,
		                           s->out);
	else
		output_printf(s->out, "%s%s%s%s\n",
		              output_sgr(s->out, SGR_PATH), p,
		              output_sgr(s->out, SGR_RESET), tail ? tail : "");
}

/* The heading of the current section, in heading mode, once. */
static void
show_heading(struct search *s)
{
	if (s->section_shown || !s->heading)
		return;
	start_output(s);
	if (s->printed)
		output_puts(s->out, "\n");
	show_path(s, NULL);
	s->section_shown = 1;
}

/* "--" before a line that does not follow the last one printed. */
static void
show_separator(struct search *s, uint32_t number)
{
	int contiguous =
	    s->last_section == s->section && s->last_number + 1 == number;

	if (s->o->before + s->o->after == 0 || !s->printed || contiguous)
		return;
	if (s->heading && s->last_section != s->section)
		return; /* a new heading separates well enough */
	output_printf(s->out, "%s--%s\n", output_sgr(s->out, SGR_SEP),
	              output_sgr(s->out, SGR_RESET));
}

/* The text of a line with its matches highlighted (when styled). */
static void
show_text(struct search *s, const char *text, size_t len,
          const awn_grep_match *m, size_t n)
{
	const char *on = output_sgr(s->out, SGR_MATCH);
	const char *off = output_sgr(s->out, SGR_RESET);
	size_t at = 0, i;

	for (i = 0; i < n && *on; i++) {
		output_write(s->out, text + at, m[i].start - at);
		output_puts(s->out, on);
		output_write(s->out, text + m[i].start, m[i].end - m[i].start);
		output_puts(s->out, off);
		at = m[i].end;
	}
	output_write(s->out, text + at, len - at);
	output_puts(s->out, "\n");
}

/* The start of an output line: "PATH:" or, under a heading, "N:";
 * with --where "FILE:LINE:". */
static void
show_lead(struct search *s, uint32_t number, char mark)
{
	if (s->o->where)
		output_printf(s->out, "%s%s%s%c%s%lu%s%c",
		              output_sgr(s->out, SGR_PATH), s->file.data,
		              output_sgr(s->out, SGR_RESET), mark,
		              output_sgr(s->out, SGR_LINE),
		              (unsigned long)s->where.lines[number - 1],
		              output_sgr(s->out, SGR_RESET), mark);
	else if (s->heading)
		output_printf(s->out, "%s%u%s%c", output_sgr(s->out, SGR_LINE),
		              number, output_sgr(s->out, SGR_RESET), mark);
	else {
		/* Not printf: this is most of what a pipe gets. */
		output_puts(s->out, path(s));
		output_write(s->out, &mark, 1);
	}
}

/* A line of text after its lead ("N:" or "PATH:"), MARK ':' or '-'. */
static void
show_numbered(struct search *s, uint32_t number, char mark, const char *text,
              size_t len, const awn_grep_match *m, size_t n)
{
	if (s->wrap) {
		(void)awn_render_grep_line(number, mark, text, len, m, n,
		                           &s->out->render, output_write,
		                           s->out);
		return;
	}
	show_lead(s, number, mark);
	show_text(s, text, len, m, n);
}

/* One line of output: a match (matched) or a context line. */
static void
show_line(struct search *s, uint32_t number, const char *text, size_t len,
          const awn_grep_match *m, size_t n, int matched)
{
	if (s->o->json) {
		json_begin(&s->j, matched ? "match" : "context");
		json_section_fields(&s->j, s->db, s->section);
		json_uint_field(&s->j, "line", number);
		json_string_field(&s->j, "text", text, len);
		if (matched)
			json_matches_field(&s->j, m, n);
		if (s->o->where)
			json_source_field(&s->j, s->where.file,
			                  s->where.lines[number - 1]);
		json_end(&s->j, s->out);
	} else {
		start_output(s);
		show_heading(s);
		show_separator(s, number);
		show_numbered(s, number, matched ? ':' : '-', text, len, m,
		              matched ? n : 0);
	}
	s->printed = 1;
	s->last_section = s->section;
	s->last_number = number;
}

/* -o: each matched part on a line of its own. */
static void
show_parts(struct search *s, const awn_grep_line *l)
{
	size_t i;

	if (s->o->json) {
		show_line(s, l->number, l->text, l->len, l->match, l->nmatch,
		          1);
		return;
	}
	for (i = 0; i < l->nmatch; i++) {
		awn_grep_match whole = {0, l->match[i].end - l->match[i].start};

		start_output(s);
		show_heading(s);
		show_numbered(s, l->number, ':', l->text + l->match[i].start,
		              whole.end, &whole, 1);
	}
}

/* -l: the section, once. */
static void
show_section(struct search *s)
{
	awn_section sec;

	if (s->o->json) {
		if (awn_db_section_tree(s->db, s->section, &sec) != AWN_OK)
			return;
		json_begin(&s->j, "section");
		json_section_fields(&s->j, s->db, s->section);
		json_uint_field(&s->j, "level", sec.level);
		if (s->o->where)
			s->rc = json_section_source(&s->j, s->db, s->section);
		json_end(&s->j, s->out);
		return;
	}
	start_output(s);
	if (s->o->where)
		s->rc = where_print(s->db, s->section, 1, s->out);
	else
		show_path(s, NULL);
}

/* -c: the section's count, if it has matches. */
static void
show_count(struct search *s)
{
	char count[24];

	if (s->count == 0)
		return;
	if (s->o->json) {
		json_begin(&s->j, "count");
		json_section_fields(&s->j, s->db, s->section);
		json_uint_field(&s->j, "count", s->count);
		if (s->o->where)
			s->rc = json_section_source(&s->j, s->db, s->section);
		json_end(&s->j, s->out);
		return;
	}
	start_output(s);
	snprintf(count, sizeof count, ":%lu", s->count);
	if (s->o->where)
		s->rc = where_print_tail(s->db, s->section, 1, count, s->out);
	else
		show_path(s, count);
}

static void
ring_push(struct search *s, const awn_grep_line *l)
{
	struct kept *k;

	if (s->o->before == 0)
		return;
	if (s->ring_n < s->o->before)
		k = &s->ring[(s->ring_at + s->ring_n++) % s->o->before];
	else {
		k = &s->ring[s->ring_at];
		s->ring_at = (s->ring_at + 1) % s->o->before;
	}
	if (k->text == NULL || k->cap < l->len) {
		k->cap = l->len ? l->len : 1;
		k->text = xreallocarray(k->text, k->cap, 1);
	}
	memcpy(k->text, l->text, l->len);
	k->len = l->len;
	k->number = l->number;
}

/* Print the kept -B lines, oldest first, and forget them. */
static void
ring_flush(struct search *s)
{
	unsigned i;

	for (i = 0; i < s->ring_n; i++) {
		struct kept *k = &s->ring[(s->ring_at + i) % s->o->before];

		show_line(s, k->number, k->text, k->len, NULL, 0, 0);
	}
	s->ring_n = 0;
	s->ring_at = 0;
}

/* --where: the file and lines of the section L is in, once a line of
 * it is to be printed.  0; 1 (on to the next section, this one's lines
 * unknown) when its file cannot be used, said once a file, as grep
 * goes on past a file it cannot read; 2 (stop) after saying why.  -l
 * and -c need only the heading's line, which the notes record. */
static int
locate(struct search *s, const awn_grep_line *l)
{
	int rc;

	if (!s->o->where || s->where.section == l->section ||
	    s->show == SHOW_SECTIONS || s->show == SHOW_COUNT)
		return 0;
	if ((rc = where_lines_of(&s->where, s->db, l->section, l->stored,
	                         l->stored_len)) != 0) {
		if (rc == 1)
			s->file_failed = 1;
		else
			s->rc = rc;
		return rc;
	}
	display_text(&s->file, s->where.file, strlen(s->where.file));
	return 0;
}

static int
on_line(void *ctx, const awn_grep_line *l)
{
	struct search *s = ctx;

	if (s->out->failed || s->rc != 0)
		return 1;
	/* Every printed line is of this section (-B's kept ones too); a
	 * section whose lines are unknown is left whole, nothing of it
	 * printed or counted (for -m either). */
	if ((l->matched || s->after_left > 0) && locate(s, l) != 0)
		return 1;
	if (!l->matched || s->done) {
		/* Context: after a match, else kept for the next one. */
		if (s->after_left > 0) {
			show_line(s, l->number, l->text, l->len, NULL, 0, 0);
			s->after_left--;
		} else {
			ring_push(s, l);
		}
		return s->done && s->after_left == 0;
	}
	s->count++;
	s->total++;
	if (s->o->max_count && s->total >= s->o->max_count)
		s->done = 1;
	switch (s->show) {
	case SHOW_SECTIONS:
		show_section(s);
		return 1; /* one match is enough */
	case SHOW_COUNT:
		return s->done;
	case SHOW_ONLY:
		show_parts(s, l);
		return s->done;
	case SHOW_LINES:
		ring_flush(s);
		show_line(s, l->number, l->text, l->len, l->match, l->nmatch,
		          1);
		s->after_left = s->o->after;
		return s->done && s->after_left == 0;
	}
	return 0;
}

/*
 * The sections to search, in document order, in a malloc'd array:
 * every hit of the keyword search for the WORDs, with the subsections of
 * those that have a word in their heading, or all sections (of -d's
 * document).  Returns their count, or -1 after a message (*RC is then
 * the exit status).
 */
static long
pick_sections(awn_db *db, const struct options *o, uint32_t **ids, int *rc)
{
	awn_error err = {AWN_OK, ""};
	uint32_t n = awn_db_count(db), i, *v;
	awn_hits *hits = NULL;
	awn_section sec;
	unsigned char *mark;
	long k = 0;

	if (o->nwords == 0) {
		v = xcalloc(n ? n : 1, sizeof(*v));
		for (i = 0; i < n; i++)
			if (!o->doc ||
			    (awn_db_section_tree(db, i, &sec) == AWN_OK &&
			     awn_db_doc_kept(db, sec.doc)))
				v[k++] = i;
		*ids = v;
		return k;
	}
	if (awn_search_flags(db, o->query, n,
	                     AWN_SEARCH_TITLED | AWN_SEARCH_ANY_ORDER, &hits,
	                     &err) != AWN_OK) {
		*rc = output_error(&err);
		return -1;
	}
	if (hits->n == 0) {
		char shown[512]; /* typed text can hold escape sequences */
		awn_display_text(o->query, strlen(o->query), shown,
		                 sizeof(shown));
		fprintf(stderr, "awsnote: nothing found for '%s'\n", shown);
		awn_hits_free(hits);
		*rc = 1;
		return -1;
	}
	/* A mark per section: a hit, and a titled hit's whole subtree. */
	mark = xcalloc(n ? n : 1, 1);
	for (i = 0; i < hits->n; i++) {
		uint32_t s = hits->hit[i].section, end = s + 1;
		if (hits->hit[i].titled &&
		    awn_db_section_tree(db, s, &sec) == AWN_OK && sec.end <= n)
			end = sec.end;
		for (; s < end; s++)
			mark[s] = 1;
	}
	awn_hits_free(hits);
	for (i = 0; i < n; i++)
		k += mark[i];
	v = xcalloc(k ? (size_t)k : 1, sizeof(*v));
	for (i = 0, k = 0; i < n; i++)
		if (mark[i])
			v[k++] = i;
	free(mark);
	*ids = v;
	return k;
}

static unsigned
grep_flags(const struct options *o, enum show show, const struct output *out)
{
	unsigned f = 0;

	/* Where a line matches shows only with -o, --json and colour. */
	if (show != SHOW_ONLY &&
	    !(show == SHOW_LINES && (o->json || *output_sgr(out, SGR_MATCH))))
		f |= AWN_GREP_FIRST_ONLY;

	if (o->ignore_case)
		f |= AWN_GREP_IGNORE_CASE;
	if (o->word_regexp)
		f |= AWN_GREP_WORD;
	if (o->fixed)
		f |= AWN_GREP_FIXED;
	if (show == SHOW_LINES && o->before + o->after > 0)
		f |= AWN_GREP_ALL_LINES;
	return f;
}

int
regex_run(awn_db *db, const struct options *o, struct output *out)
{
	awn_error err = {AWN_OK, ""};
	struct search s;
	awn_grep *g = NULL;
	uint32_t *ids = NULL;
	long n, i;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.db = db;
	s.o = o;
	s.out = out;
	s.show = o->sections_only   ? SHOW_SECTIONS
	         : o->count         ? SHOW_COUNT
	         : o->only_matching ? SHOW_ONLY
	                            : SHOW_LINES;
	/* FILE:LINE: lines for an editor are neither grouped nor wrapped. */
	s.heading =
	    !o->where && (out->tty || (out->render.flags & AWN_RENDER_STYLE));
	s.wrap = !o->where && out->tty && (out->render.flags & AWN_RENDER_WRAP);
	where_lines_init(&s.where);
	json_init(&s.j);
	if (o->before > 0)
		s.ring = xcalloc(o->before, sizeof(*s.ring));
	if (awn_grep_new(&g, o->patterns, o->npatterns,
	                 grep_flags(o, s.show, out), &err) != AWN_OK) {
		fprintf(stderr, "awsnote: %s\n",
		        err.detail[0] ? err.detail : awn_strerror(err.status));
		rc = 2;
		goto done;
	}
	if ((n = pick_sections(db, o, &ids, &rc)) < 0)
		goto done;
	/* A blob without the record fails whole, before any line. */
	for (i = 0; o->where && i < n; i++)
		if ((rc = where_check(db, ids[i], ids[i] + 1, !o->json)) != 0)
			goto done;
	/* Every block is read to its end (the sections come in order):
	 * inflating each at once spares zlib its window. */
	if (n > 0)
		awn_db_will_read(db, ids[0], ids[n - 1] + 1);
	for (i = 0; i < n && !s.done && !out->failed && s.rc == 0; i++) {
		s.section = ids[i];
		s.section_shown = 0;
		s.count = 0;
		s.after_left = 0;
		s.ring_n = s.ring_at = 0;
		s.path_made = 0;
		if (awn_grep_section(g, db, s.section, on_line, &s, &err) !=
		    AWN_OK) {
			rc = output_error(&err);
			goto done;
		}
		if (s.show == SHOW_COUNT && s.rc == 0)
			show_count(&s);
	}
	/* grep's status: 2 if a file failed, even with matches elsewhere. */
	rc = s.rc ? s.rc : s.file_failed ? 2 : s.total > 0 ? 0 : 1;
done:
	for (i = 0; s.ring && i < (long)o->before; i++)
		free(s.ring[i].text);
	free(s.ring);
	free(ids);
	json_free(&s.j);
	display_free(&s.path);
	display_free(&s.file);
	where_lines_free(&s.where);
	awn_grep_free(g);
	return rc;
}
