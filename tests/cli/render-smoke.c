/*
 * render-smoke.c - render every section of some notes in every output
 * mode and check that what comes out is safe to print.
 *
 *   render-smoke [-x] FILE...
 *
 * Each FILE is opened the way "awsnote -f FILE" opens it (a blob, a
 * Markdown file, a directory), so a file that does not compile fails.
 * With -x the files are CommonMark or GFM specs: every example in them
 * is also compiled and rendered as a document of its own, which puts
 * the renderer through each construct the spec knows.
 *
 * Every section's body and heading is rendered plain, styled, wrapped
 * and both, at several widths; each must render without error, and its
 * output must be valid UTF-8 with no control byte but '\n' (and '\t' in
 * plain text), no DEL or C1 control, and no escape sequence other than
 * SGR, and those only when styles are on.  One line per failure goes to
 * stderr; a summary goes to stdout.  Exit status: 0 pass, 1 fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"
#include "spec-examples.h"

#define MAX_REPORTS 50

static const awn_render_opts modes[] = {
    {0, 0},
    {AWN_RENDER_STYLE, 0},
    {AWN_RENDER_WRAP, 60},
    {AWN_RENDER_STYLE | AWN_RENDER_WRAP, 20},
    {AWN_RENDER_STYLE | AWN_RENDER_WRAP, 60},
    {AWN_RENDER_STYLE | AWN_RENDER_WRAP, 100},
};

static unsigned long failures, sections, examples;

static void
report(const char *where, uint32_t id, const awn_render_opts *m,
       const char *what, size_t at)
{
	if (++failures <= MAX_REPORTS)
		fprintf(stderr,
		        "FAIL: %s: section %u, flags %u width %u: %s at byte "
		        "%zu\n",
		        where, id, m->flags, m->width, what, at);
}

/* Length of the UTF-8 character at S (N > 0 bytes), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F, min = 0x80;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F, min = 0x800;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Check one rendering; returns 0 if it is clean. */
static int
check_output(const char *where, uint32_t id, const awn_render_opts *m,
             const struct spec_text *s)
{
	const unsigned char *p = (const unsigned char *)s->data;
	size_t i = 0, n;
	unsigned long cp;

	while (i < s->len) {
		if (p[i] == 0x1b) {
			if (!(m->flags & AWN_RENDER_STYLE)) {
				report(where, id, m, "escape without styles",
				       i);
				return -1;
			}
			n = i + 1;
			if (n >= s->len || p[n] != '[') {
				report(where, id, m, "escape that is no CSI",
				       i);
				return -1;
			}
			for (n++; n < s->len &&
			          ((p[n] >= '0' && p[n] <= '9') || p[n] == ';');
			     n++)
				;
			if (n >= s->len || p[n] != 'm') {
				report(where, id, m, "escape that is no SGR",
				       i);
				return -1;
			}
			i = n + 1;
			continue;
		}
		if ((n = utf8_len(p + i, s->len - i, &cp)) == 0) {
			report(where, id, m, "invalid UTF-8", i);
			return -1;
		}
		if ((cp < 0x20 && cp != '\n' &&
		     !(cp == '\t' && m->flags == 0)) ||
		    (cp >= 0x7F && cp < 0xA0)) {
			report(where, id, m, "control character", i);
			return -1;
		}
		i += n;
	}
	if (s->len > 0 && p[s->len - 1] != '\n') {
		report(where, id, m, "no newline at the end", s->len);
		return -1;
	}
	return 0;
}

/* Render every section of DB in every mode; WHERE names it in reports. */
static void
render_all(awn_db *db, const char *where)
{
	struct spec_text s = {NULL, 0, 0};
	awn_error err;
	uint32_t id, n = awn_db_count(db);
	size_t k;

	for (id = 0; id < n; id++) {
		sections++;
		for (k = 0; k < sizeof(modes) / sizeof(*modes); k++) {
			const awn_render_opts *m = &modes[k];

			s.len = 0;
			if (awn_render_section(db, id, m, spec_text_add, &s,
			                       &err) != AWN_OK) {
				report(where, id, m, err.detail, 0);
				continue;
			}
			if (check_output(where, id, m, &s) != 0)
				continue;
			s.len = 0;
			if (awn_render_heading(db, id, "1.2", m, spec_text_add, &s,
			                       &err) != AWN_OK)
				report(where, id, m, err.detail, 0);
			else
				check_output(where, id, m, &s);
		}
	}
	free(s.data);
}

/* Render example NO of the spec CTX names, as a document of its own. */
static void
render_example(void *ctx, unsigned long no, const char *md, size_t md_len,
               const char *html, size_t html_len)
{
	awn_db *db = NULL;
	awn_error err;
	char where[512];

	(void)html;
	(void)html_len;
	snprintf(where, sizeof(where), "%s example %lu", (const char *)ctx, no);
	examples++;
	if (spec_compile(md, md_len, where, &db, &err) != AWN_OK) {
		if (++failures <= MAX_REPORTS)
			fprintf(stderr, "FAIL: %s: %s\n", where, err.detail);
	} else {
		render_all(db, where);
	}
	awn_db_free(db);
}

/* Every example of the spec at PATH, as a document. */
static void
render_examples(const char *path)
{
	long no = spec_examples(path, render_example, (void *)path);

	if (no <= 0) {
		failures++;
		fprintf(stderr, "FAIL: %s %s\n",
		        no < 0 ? "cannot read" : "no examples found in", path);
	}
}

int
main(int argc, char **argv)
{
	int i = 1, spec = 0;
	awn_error err;
	awn_db *db;

	if (i < argc && strcmp(argv[i], "-x") == 0) {
		spec = 1;
		i++;
	}
	if (i == argc) {
		fputs("usage: render-smoke [-x] FILE...\n", stderr);
		return 2;
	}
	for (; i < argc; i++) {
		db = NULL;
		if (awn_db_open_any(&db, argv[i], &err) != AWN_OK) {
			failures++;
			fprintf(stderr, "FAIL: %s does not compile: %s\n",
			        argv[i], err.detail);
			continue;
		}
		render_all(db, argv[i]);
		awn_db_free(db);
		if (spec)
			render_examples(argv[i]);
	}
	printf("%lu sections and %lu examples rendered in %zu modes, %lu "
	       "failures\n",
	       sections, examples, sizeof(modes) / sizeof(*modes), failures);
	return failures ? 1 : 0;
}
