/*
 * shell-complete.c - the shell's Tab candidates.
 *
 * Titles are what people remember and what they read on screen, so the
 * words of section titles come first, spelt as the notes spell them
 * ("DynamoDB").  Index terms are folded and stemmed ("queu"), so they are
 * offered only when no title word fits - they still find the sections,
 * since a lookup folds and stems the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "shell-complete.h"
#include "shell.h"
#include "xmalloc.h"

#define TERMS_COUNT_MAX 100000 /* stop counting left-out terms here */

struct titlewords {
	char **w; /* sorted without regard to case, each once */
	size_t n;
};

/* Case is ignored as a lookup ignores it (awn_fold_cmp): "über" offers
 * "Über". */
static int
cmp_nocase(const char *a, const char *b)
{
	return awn_fold_cmp(a, strlen(a), b, strlen(b));
}

static int
cmp_words(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int c = cmp_nocase(a, b);

	return c ? c : strcmp(a, b);
}

/* Compare the start of S with PREFIX/LEN as cmp_nocase would. */
static int
cmp_prefix(const char *s, const char *prefix, size_t len)
{
	return awn_fold_cmp_prefix(s, strlen(s), prefix, len);
}

static int
has_prefix(const char *s, const char *prefix, size_t len)
{
	return cmp_prefix(s, prefix, len) == 0;
}

/* Marks around a word that nobody types as part of it. */
static int
is_trimmed(int c)
{
	return c != 0 && strchr("()[]{}<>,.;:!?\"'`*&|~=", c) != NULL;
}

static void
add(char ***v, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

struct titlewords *
shell_complete_titles(awn_db *db, uint32_t doc)
{
	struct titlewords *tw = xcalloc(1, sizeof(*tw));
	struct display d = {NULL, 0};
	size_t cap = 0, i, j;
	uint32_t id, count = awn_db_count(db);
	awn_section s;

	for (id = 0; id < count; id++) {
		const char *p, *end;
		if (awn_db_section_tree(db, id, &s) != AWN_OK ||
		    !awn_db_doc_kept(db, s.doc) || /* -d */
		    (doc != AWN_NONE && s.doc != doc))
			continue;
		for (p = display_title_words(&d, s.title, s.title_len); *p;) {
			while (*p == ' ')
				p++;
			for (end = p; *end && *end != ' '; end++)
				;
			{
				const char *a = p, *b = end;
				while (a < b &&
				       (is_trimmed((unsigned char)*a) ||
				        *a == '-'))
					a++;
				while (b > a &&
				       is_trimmed((unsigned char)b[-1]))
					b--;
				if (b - a >= 2)
					add(&tw->w, &tw->n, &cap,
					    xasprintf("%.*s", (int)(b - a), a));
			}
			p = end;
		}
	}
	display_free(&d);
	if (tw->n == 0)
		return tw;
	qsort(tw->w, tw->n, sizeof(*tw->w), cmp_words);
	/* Each word once: the first spelling in sort order stays. */
	for (i = 1, j = 1; i < tw->n; i++) {
		if (cmp_nocase(tw->w[j - 1], tw->w[i]) == 0)
			free(tw->w[i]);
		else
			tw->w[j++] = tw->w[i];
	}
	tw->n = j;
	return tw;
}

void
shell_complete_titles_free(struct titlewords *tw)
{
	size_t i;

	if (tw == NULL)
		return;
	for (i = 0; i < tw->n; i++)
		free(tw->w[i]);
	free(tw->w);
	free(tw);
}

static void
offer(struct cands *c, size_t *cap, char *s)
{
	if (c->n == COMPLETE_MAX) {
		c->more++;
		free(s);
		return;
	}
	add(&c->s, &c->n, cap, s);
}

struct term_ctx {
	struct cands *c;
	size_t cap;
};

static int
on_term(void *vctx, const char *term, size_t len, uint32_t df)
{
	struct term_ctx *t = vctx;
	char safe[4 * 64 + 4];

	(void)df;
	awn_display_text(term, len, safe, sizeof(safe));
	offer(t->c, &t->cap, xstrdup(safe));
	return t->c->n + t->c->more >= TERMS_COUNT_MAX;
}

void
shell_complete(awn_db *db, struct titlewords *tw, const char *word, size_t len,
               int command, struct cands *out)
{
	struct term_ctx t = {out, 0};
	const char *name;
	size_t i, lo, hi;

	memset(out, 0, sizeof(*out));
	if (command) {
		for (i = 0; (name = shell_command_name(i)) != NULL; i++)
			if (len > 0 && has_prefix(name, word + 1, len - 1))
				offer(out, &t.cap, xasprintf(":%s", name));
		return;
	}
	/* The first title word not sorting before WORD... */
	lo = 0;
	hi = tw->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_prefix(tw->w[mid], word, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ...and all those that follow it with the same beginning. */
	for (i = lo; i < tw->n && has_prefix(tw->w[i], word, len); i++)
		offer(out, &t.cap, xstrdup(tw->w[i]));
	if (out->n == 0 && len > 0 && db != NULL)
		awn_db_terms(db, word, len, on_term, &t, NULL);
}

void
shell_complete_free(struct cands *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->s[i]);
	free(c->s);
	memset(c, 0, sizeof(*c));
}
