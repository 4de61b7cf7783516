/*
 * complete.c - the hidden --complete=WORD mode behind the shell
 * completion scripts (share/completions/).
 *
 * The candidates for WORD are the words of section titles and the whole
 * titles that begin with WORD, ASCII letters compared without regard to
 * case.  They are printed one per line, sorted without regard to case,
 * each one once (the first of those that differ only in case wins), at
 * most COMPLETE_MAX of them, so a Tab on an empty word stays readable.
 * A WORD that starts with '-' is an exclusion (see awsnote(1)): its
 * candidates are title words with the '-' in front.
 *
 * The scripts pass their -f and -d options on, and the query words
 * typed before WORD, and the notes are found as for a lookup, so
 * completion offers the words of the notes (and of the one document,
 * named by -d or by a query word) the lookup will search.  Titles come from the
 * notes, which may be hostile: they are made display-safe first, so a candidate
 * never holds a control byte (a newline would split it into two).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "display.h"
#include "xmalloc.h"

#define COMPLETE_MAX 200    /* candidates printed at most */
#define COLLECT_MAX  100000 /* candidates held at most before sorting */

struct cands {
	char **s;
	size_t n, cap;
	int exact; /* case counts: told apart, and matched, byte for byte */
};

/* Does S/N begin with PREFIX/PLEN, case ignored as a lookup ignores it? */
static int
has_prefix(const char *s, size_t n, const char *prefix, size_t plen)
{
	return awn_fold_prefix(s, n, prefix, plen) != SIZE_MAX;
}

static int
cmp_nocase(const char *a, const char *b)
{
	return awn_fold_cmp(a, strlen(a), b, strlen(b));
}

/* Sort order: case ignored, then byte order, so the result is stable. */
static int
cmp_cands(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int c = cmp_nocase(a, b);

	return c ? c : strcmp(a, b);
}

static void
cands_add(struct cands *c, const char *dash, const char *s, size_t n)
{
	if (n == 0 || c->n >= COLLECT_MAX)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->s = xreallocarray(c->s, c->cap, sizeof(*c->s));
	}
	c->s[c->n++] = xasprintf("%s%.*s", dash, (int)n, s);
}

/*
 * Punctuation trimmed from both ends of a title word: brackets, quotes
 * and sentence marks are not part of a word anyone types, and a leading
 * '-' would turn the word into an option or an exclusion.  Marks inside
 * a word ("CI/CD", "Route-53") and a trailing '+' or '#' stay.
 */
static int
is_trimmed(int c)
{
	return c != 0 && strchr("()[]{}<>,.;:!?\"'`*&|~=", c) != NULL;
}

/* Add the words of TITLE (NUL-terminated, display-safe) that match. */
static void
add_words(struct cands *c, const char *title, const char *word, size_t wlen,
          const char *dash)
{
	const char *p = title, *end;

	while (*p) {
		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		while (p < end && (is_trimmed((unsigned char)*p) || *p == '-'))
			p++;
		while (end > p && is_trimmed((unsigned char)end[-1]))
			end--;
		if (has_prefix(p, (size_t)(end - p), word, wlen))
			cands_add(c, dash, p, (size_t)(end - p));
		while (*end && *end != ' ')
			end++;
		p = end;
	}
}

/* Bytes that every one of the N strings S begins with. */
static size_t
common_prefix(char *const *s, size_t n)
{
	size_t len = n > 0 ? strlen(s[0]) : 0, i, k;

	for (i = 1; i < n; i++) {
		for (k = 0; k < len && s[i][k] == s[0][k]; k++)
			;
		len = k;
	}
	return len;
}

/*
 * Print the sorted candidates, each once; returns how many.  TYPED (LEN
 * bytes, its '-' too) is what the user typed: when the candidates have
 * no more than a shorter start in common ("Elastic", "ElastiCache" for
 * "elastic"), the shell would replace the word with that start and
 * take back letters just typed, so then each is printed beginning with
 * TYPED as typed (every candidate begins with it, case aside).
 */
static size_t
print_cands(struct cands *c, const char *typed, size_t len, struct output *out)
{
	char **shown = xreallocarray(NULL, COMPLETE_MAX, sizeof(*shown));
	size_t i, n = 0;
	int retype;

	if (c->n > 1) /* c->s may be NULL, which qsort must not get */
		qsort(c->s, c->n, sizeof(*c->s), cmp_cands);
	for (i = 0; i < c->n && n < COMPLETE_MAX; i++)
		if (n == 0 ||
		    (c->exact ? strcmp(shown[n - 1], c->s[i])
		              : cmp_nocase(shown[n - 1], c->s[i])) != 0)
			shown[n++] = c->s[i];
	retype = n > 1 && common_prefix(shown, n) < len;
	for (i = 0; i < n && !out->failed; i++) {
		/* The bytes that hold the typed letters, in the candidate's
		 * case: as many, or not ("İ" for "i"). */
		size_t k = retype ? awn_fold_prefix(shown[i], strlen(shown[i]),
		                                    typed, len)
		                  : SIZE_MAX;
		if (k != SIZE_MAX) {
			output_puts(out, typed);
			output_puts(out, shown[i] + k);
		} else {
			output_puts(out, shown[i]);
		}
		output_puts(out, "\n");
	}
	free(shown);
	return n;
}

/*
 * Add the candidate for -d that document name NAME/N gives from byte AT
 * (the start of a path component) when it begins with WORD/WLEN: up to
 * and with the next '/' after WORD, a directory to go on from, or the
 * rest.  Names that cannot be shown as they are (a control byte, a
 * newline, invalid UTF-8) are left out: -d must get the bytes typed.
 */
static int
add_doc_part(struct cands *c, struct display *d, const char *name, size_t n,
             size_t at, const char *word, size_t wlen)
{
	const char *slash;
	size_t end = n, k; /* K: the bytes of NAME + AT that WORD covers */

	if (c->exact)
		k = n - at >= wlen && memcmp(name + at, word, wlen) == 0
		        ? wlen
		        : SIZE_MAX;
	else
		k = awn_fold_prefix(name + at, n - at, word, wlen);
	if (k == SIZE_MAX)
		return 0;
	slash = memchr(name + at + k, '/', n - at - k);
	if (slash != NULL)
		end = (size_t)(slash - name) + 1;
	if (strlen(display_text(d, name + at, end - at)) != end - at ||
	    memcmp(d->data, name + at, end - at) != 0)
		return 0;
	/* The documents of a directory come together: its name once, or a
	 * set of COLLECT_MAX documents would crowd out the directories of
	 * the rest. */
	if (c->n == 0 || strncmp(c->s[c->n - 1], name + at, end - at) != 0 ||
	    c->s[c->n - 1][end - at] != '\0')
		cands_add(c, "", name + at, end - at);
	return 1;
}

/*
 * Candidates for -d: the documents' names as shown, completed a path
 * component at a time as a shell completes files.  A WORD that starts no
 * name is looked for at the start of their later components ("tar" of
 * "pages/common/tar"), which -d matches too.  Each as -d compares names,
 * byte for byte first and ASCII case aside only when that finds nothing:
 * "welc" offers Lambda's "welcome", which S3's "Welcome" used to hide
 * (one candidate of the two, and -d Welcome takes S3's).
 */
static void
add_doc_names(struct cands *c, awn_db *db, const char *word, size_t wlen)
{
	struct display d = {NULL, 0};
	uint32_t i, n = awn_db_doc_count(db);
	const char *name;
	size_t len, k;
	int found = 0, pass, step;

	for (step = 0; step < 4 && !found; step++) {
		pass = step / 2; /* the name's start, then later components */
		c->exact = step % 2 == 0;
		if (pass == 1 && wlen == 0)
			continue;
		for (i = 0; i < n; i++) {
			name = awn_db_doc_name(db, i, &len);
			if (pass == 0) {
				found |= add_doc_part(c, &d, name, len, 0, word,
				                      wlen);
				continue;
			}
			for (k = 1; k < len; k++)
				if (name[k - 1] == '/')
					found |= add_doc_part(c, &d, name, len,
					                      k, word, wlen);
		}
	}
	display_free(&d);
}

int
complete_run(awn_db *db, const struct options *o, struct output *out)
{
	const char *word = o->complete ? o->complete : "";
	const char *dash = "";
	struct cands c = {NULL, 0, 0, 0};
	struct display d = {NULL, 0};
	const char *safe;
	uint32_t i, n = awn_db_count(db), only = AWN_NONE;
	awn_section s;
	size_t wlen, shown;

	if (o->complete_docs) { /* --complete-doc: -d's value */
		add_doc_names(&c, db, word, strlen(word));
		n = 0;
	} else if (*word == '-') {
		dash = "-";
		word++;
	}
	wlen = strlen(word);
	/* "p1/README <Tab>": the lookup keeps to that document, so the
	 * candidates do. */
	if (o->query != NULL && n > 0)
		only = awn_search_named_doc(db, o->query);
	for (i = 0; i < n; i++) { /* -d: awsnote.c chose the documents */
		if (awn_db_section_tree(db, i, &s) != AWN_OK ||
		    !awn_db_doc_kept(db, s.doc) ||
		    (only != AWN_NONE && s.doc != only))
			continue;
		safe = display_title_words(&d, s.title, s.title_len);
		add_words(&c, safe, word, wlen, dash);
		/* A one-word title is already among the words. */
		if (!*dash && strchr(safe, ' ') &&
		    has_prefix(safe, strlen(safe), word, wlen))
			cands_add(&c, "", safe, strlen(safe));
	}
	shown = print_cands(&c, o->complete ? o->complete : "",
	                    strlen(word) + strlen(dash), out);
	for (i = 0; i < c.n; i++)
		free(c.s[i]);
	free(c.s);
	display_free(&d);
	return shown > 0 ? 0 : 1;
}
