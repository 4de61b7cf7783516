/*
 * text-fidelity.c - check that the text of every example of a CommonMark
 * or GFM spec survives awsnote: the words a reader of the HTML the spec
 * expects sees (tags removed, an image's alt text kept, the references
 * &lt; &gt; &amp; &quot; and numeric ones decoded) must be, in order,
 * the words of awsnote's plain text of the example (every stored line
 * through richtext_plain_line, without the prefix of quote marks, list
 * markers and indentation).  Lost, doubled, glued or leaked words all
 * break the sequence.  Table bars and thematic breaks ("|", "---") are
 * not words.
 *
 *   text-fidelity SPEC...
 *
 * The differences awsnote means (documented in awsnote(5)) or that are
 * md4c's are listed in `allowed`; one that no longer differs fails too,
 * so that the list stays exact.  Exit status: 0 pass, 1 fail, 2 error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "buf.h"
#include "richtext.h"
#include "spec-examples.h"

#define MAX_REPORTS 30

/* Examples whose words differ on purpose, by the spec file's path end. */
static const struct allowed {
	const char *spec;
	unsigned long no;
	const char *why;
} allowed[] = {
    /* awsnote means these: awsnote(5), test-markdown.c (test_html). */
    {"commonmark-spec/spec.txt", 25, "named references beyond the list"},
    {"gfm-spec/test/spec.txt", 321, "named references beyond the list"},
    {"commonmark-spec/spec.txt", 96, "front matter: ---, Foo, ---"},
    {"gfm-spec/test/spec.txt", 66, "front matter: ---, Foo, ---"},
    {"commonmark-spec/spec.txt", 156, "an unclosed tag is text"},
    {"commonmark-spec/spec.txt", 157, "an unclosed tag is text"},
    {"commonmark-spec/spec.txt", 158, "an unclosed tag is text"},
    {"gfm-spec/test/spec.txt", 126, "an unclosed tag is text"},
    {"gfm-spec/test/spec.txt", 127, "an unclosed tag is text"},
    {"gfm-spec/test/spec.txt", 128, "an unclosed tag is text"},
    {"gfm-spec/test/extensions.txt", 22, "no tag filter: <xmp> dropped"},
    {"gfm-spec/test/spec.txt", 653, "no tag filter: <xmp> dropped"},
    /* md4c 0.4.8 parses these otherwise than the specs. */
    {"commonmark-spec/spec.txt", 173, "md4c: <textarea> starts no block"},
    {"commonmark-spec/spec.txt", 356, "md4c: Unicode punctuation"},
    {"commonmark-spec/spec.txt", 627, "md4c: older HTML comments"},
    {"commonmark-spec/spec.txt", 628, "md4c: older HTML comments"},
    {"gfm-spec/test/extensions.txt", 3, "md4c: a table of a header row"},
    {"gfm-spec/test/extensions.txt", 7, "md4c: header and delimiter"},
    {"gfm-spec/test/extensions.txt", 16, "md4c: a table after text"},
    {"gfm-spec/test/extensions.txt", 20, "md4c: this example's output"},
    {"gfm-spec/test/extensions.txt", 23, "md4c: no footnotes"},
    {"gfm-spec/test/spec.txt", 203, "md4c: header and delimiter"},
};

struct words {
	struct spec_text text; /* the words, each NUL-terminated */
	size_t *at;            /* offsets of the words */
	size_t n, at_cap;
	int in_word;
};

static unsigned long failures, examples, compared, excused;

/* End the word being built, dropping it if it is no word. */
static void
words_break(struct words *w)
{
	const char *last;

	if (!w->in_word)
		return;
	w->in_word = 0;
	spec_text_add(&w->text, "", 1);
	last = w->text.data + w->at[w->n - 1];
	if (strcmp(last, "|") == 0 || strcmp(last, "---") == 0)
		w->text.len = w->at[--w->n];
}

/* Add text S/N: blanks separate words. */
static void
words_add(struct words *w, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			words_break(w);
			continue;
		}
		if (!w->in_word) {
			if (w->n == w->at_cap) {
				w->at_cap = w->n * 2 + 16;
				w->at = realloc(w->at, w->at_cap * sizeof(*w->at));
				if (w->at == NULL)
					exit(2);
			}
			w->at[w->n++] = w->text.len;
			w->in_word = 1;
		}
		spec_text_add(&w->text, s + i, 1);
	}
}

static const char *
word(const struct words *w, size_t i)
{
	return w->text.data + w->at[i];
}

/* Append code point CP as UTF-8 (U+FFFD for what is no character). */
static void
words_add_codepoint(struct words *w, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12), n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18), n = 4;
	}
	for (size_t k = 1; k < n; k++)
		u[k] = (char)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F));
	words_add(w, u, n);
}

/* Add HTML text S/N with its basic references decoded. */
static void
words_add_html_text(struct words *w, const char *s, size_t n)
{
	static const struct {
		const char *name, *text;
	} basic[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"},
	             {"&quot;", "\""}};
	size_t i, k, len;

	for (i = 0; i < n; i++) {
		if (s[i] != '&') {
			words_add(w, s + i, 1);
			continue;
		}
		for (k = 0; k < sizeof(basic) / sizeof(*basic); k++) {
			len = strlen(basic[k].name);
			if (n - i >= len && memcmp(s + i, basic[k].name, len) == 0)
				break;
		}
		if (k < sizeof(basic) / sizeof(*basic)) {
			words_add(w, basic[k].text, 1);
			i += len - 1;
		} else if (i + 2 < n && s[i + 1] == '#') {
			char *end;
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			unsigned long cp =
			    strtoul(s + i + 2 + hex, &end, hex ? 16 : 10);

			if (end > s + i + 2 + hex && end < s + n && *end == ';') {
				words_add_codepoint(w, cp);
				i = (size_t)(end - s);
			} else {
				words_add(w, "&", 1);
			}
		} else {
			words_add(w, "&", 1);
		}
	}
}

/* Is the tag named NAME/LEN one that starts or ends a line? */
static int
tag_separates(const char *name, size_t len)
{
	static const char *const tags[] = {
	    "p",  "br", "hr",    "li",    "ul",    "ol", "pre", "blockquote",
	    "h1", "h2", "h3",    "h4",    "h5",    "h6", "div", "table",
	    "tr", "td", "th",    "thead", "tbody", "dl", "dd",  "dt"};

	for (size_t i = 0; i < sizeof(tags) / sizeof(*tags); i++)
		if (strlen(tags[i]) == len && strncmp(name, tags[i], len) == 0)
			return 1;
	return 0;
}

static int
is_alnum(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Offset just past the first TO at or after I in S/N, or N. */
static size_t
past(const char *s, size_t n, size_t i, const char *to)
{
	size_t len = strlen(to);

	for (; i + len <= n; i++)
		if (memcmp(s + i, to, len) == 0)
			return i + len;
	return n;
}

/* The '>' that ends the tag at S/N (none in a quoted value), or NULL. */
static const char *
tag_end(const char *s, size_t n)
{
	char quote = 0;

	for (size_t i = 1; i < n; i++) {
		if (quote != 0 && s[i] == quote)
			quote = 0;
		else if (quote == 0 && (s[i] == '"' || s[i] == '\''))
			quote = s[i];
		else if (quote == 0 && s[i] == '>')
			return s + i;
	}
	return NULL;
}

/* The words a reader of HTML/N sees: no markup, comments, processing
 * instructions or script and style content. */
static void
html_words(struct words *w, const char *html, size_t n)
{
	size_t i = 0, run = 0, name, len;
	const char *alt, *end, *q;

	while (i < n) {
		if (html[i] != '<' || i + 1 >= n ||
		    !(html[i + 1] == '/' || html[i + 1] == '!' ||
		      html[i + 1] == '?' || is_alnum(html[i + 1]))) {
			i++;
			continue;
		}
		words_add_html_text(w, html + run, i - run);
		name = i + 1 + (html[i + 1] == '/');
		for (len = 0; name + len < n && is_alnum(html[name + len]);
		     len++)
			;
		if (n - i >= 4 && memcmp(html + i, "<!--", 4) == 0) {
			i = past(html, n, i + 4, "-->");
		} else if (html[i + 1] == '?') {
			i = past(html, n, i, "?>");
		} else if (n - i >= 9 && memcmp(html + i, "<![CDATA[", 9) == 0) {
			i = past(html, n, i, "]]>");
		} else if (html[i + 1] != '/' &&
		           ((len == 6 && strncmp(html + name, "script", 6) == 0) ||
		            (len == 5 && strncmp(html + name, "style", 5) == 0))) {
			i = past(html, n, past(html, n, i, "</"), ">");
		} else {
			if (tag_separates(html + name, len))
				words_break(w);
			q = tag_end(html + i, n - i);
			alt = len == 3 && strncmp(html + name, "img", 3) == 0
			          ? strstr(html + i, " alt=\"")
			          : NULL;
			end = alt != NULL ? strchr(alt + 6, '"') : NULL;
			if (end != NULL && q != NULL && end < q)
				words_add_html_text(w, alt + 6,
				                    (size_t)(end - alt - 6));
			i = q != NULL ? (size_t)(q - html) + 1 : n;
		}
		run = i;
	}
	words_add_html_text(w, html + run, n - run);
	words_break(w);
}

/* The words of awsnote's plain text of every section of DB. */
static int
plain_words(struct words *w, awn_db *db, const char *where)
{
	struct buf b;
	awn_error err;
	uint32_t id, n = awn_db_count(db);
	const char *text, *p, *end, *nl, *mark;
	size_t len, prefix;

	buf_init(&b, (size_t)1 << 30);
	for (id = 0; id < n; id++) {
		if (awn_db_text(db, id, &text, &len, &err) != AWN_OK) {
			fprintf(stderr, "FAIL: %s: %s\n", where, err.detail);
			buf_free(&b);
			return -1;
		}
		for (p = text, end = text + len; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			b.len = 0;
			if (richtext_plain_line(p, (size_t)(nl - p), &b) !=
			    AWN_OK) {
				buf_free(&b);
				return -1;
			}
			/* The prefix comes out of plain text as it is. */
			mark = memchr(p, RT_PREFIX_END, (size_t)(nl - p));
			prefix = mark != NULL && richtext_is_kind(*p)
			             ? (size_t)(mark - p) - 1
			             : 0;
			if (prefix > b.len)
				prefix = b.len;
			words_add(w, b.data + prefix, b.len - prefix);
			words_break(w);
		}
	}
	buf_free(&b);
	return 0;
}

/* Print the words of W around word I. */
static void
show(const char *label, const struct words *w, size_t i)
{
	size_t k = i > 4 ? i - 4 : 0;

	fprintf(stderr, "  %s:", label);
	for (; k < w->n && k < i + 5; k++)
		fprintf(stderr, k == i ? " [[%s]]" : " %s", word(w, k));
	fprintf(stderr, k == i ? " [[]]\n" : "\n");
}

static const struct allowed *
allowance(const char *spec, unsigned long no)
{
	size_t len = strlen(spec);

	for (size_t i = 0; i < sizeof(allowed) / sizeof(*allowed); i++) {
		size_t k = strlen(allowed[i].spec);

		if (allowed[i].no == no && len >= k &&
		    strcmp(spec + len - k, allowed[i].spec) == 0 &&
		    (len == k || spec[len - k - 1] == '/'))
			return &allowed[i];
	}
	return NULL;
}

static void
check_example(void *ctx, unsigned long no, const char *md, size_t md_len,
              const char *html, size_t html_len)
{
	const char *spec = ctx;
	const struct allowed *ok = allowance(spec, no);
	struct words want = {0}, got = {0};
	awn_db *db = NULL;
	awn_error err;
	char where[512];
	size_t i;

	snprintf(where, sizeof(where), "%s example %lu", spec, no);
	examples++;
	html_words(&want, html, html_len);
	if (spec_compile(md, md_len, where, &db, &err) != AWN_OK) {
		failures++;
		fprintf(stderr, "FAIL: %s: %s\n", where, err.detail);
	} else if (plain_words(&got, db, where) != 0) {
		failures++;
	} else {
		for (i = 0; i < want.n && i < got.n; i++)
			if (strcmp(word(&want, i), word(&got, i)) != 0)
				break;
		compared += i;
		if (i == want.n && i == got.n && ok != NULL) {
			failures++;
			fprintf(stderr,
			        "FAIL: %s: allowed to differ (%s), but does "
			        "not\n",
			        where, ok->why);
		} else if (i < want.n || i < got.n) {
			if (ok != NULL) {
				excused++;
			} else if (++failures <= MAX_REPORTS) {
				fprintf(stderr, "FAIL: %s: word %zu differs\n",
				        where, i + 1);
				show("spec", &want, i);
				show("awsnote", &got, i);
			}
		}
	}
	awn_db_free(db);
	free(want.text.data);
	free(want.at);
	free(got.text.data);
	free(got.at);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fputs("usage: text-fidelity SPEC...\n", stderr);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		long no = spec_examples(argv[i], check_example, argv[i]);

		if (no <= 0) {
			failures++;
			fprintf(stderr, "FAIL: %s %s\n",
			        no < 0 ? "cannot read" : "no examples in",
			        argv[i]);
		}
	}
	printf("%lu examples, %lu words compared, %lu allowed to differ, "
	       "%lu failures\n",
	       examples, compared, excused, failures);
	return failures ? 1 : 0;
}
