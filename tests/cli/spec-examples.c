/*
 * spec-examples.c - the examples of a CommonMark or GFM spec file: each
 * is a "```...``` example" fence holding Markdown, a line ".", and the
 * HTML the spec expects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec-examples.h"

#define FENCE     "````````````````````````````````"
#define FENCE_LEN 32

int
spec_text_add(void *ctx, const char *data, size_t len)
{
	struct spec_text *t = ctx;

	if (t->len + len > t->cap) {
		size_t cap = (t->len + len) * 2;
		char *p = realloc(t->data, cap);

		if (p == NULL) {
			fputs("out of memory\n", stderr);
			exit(2);
		}
		t->data = p;
		t->cap = cap;
	}
	memcpy(t->data + t->len, data, len);
	t->len += len;
	return 0;
}

/* NUL-terminate T, the NUL not counted in its length. */
static void
terminate(struct spec_text *t)
{
	spec_text_add(t, "", 1);
	t->len--;
}

/* Append line S/N and a newline, turning the spec's "→" into tabs. */
static void
add_line(struct spec_text *t, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i + 3 <= n; i++) {
		if (memcmp(s + i, "\xE2\x86\x92", 3) == 0) {
			spec_text_add(t, s + from, i - from);
			spec_text_add(t, "\t", 1);
			from = i + 3;
			i += 2;
		}
	}
	spec_text_add(t, s + from, n - from);
	spec_text_add(t, "\n", 1);
	terminate(t);
}

char *
spec_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	long size = -1;

	*len = 0;
	if (fp != NULL && fseek(fp, 0, SEEK_END) == 0 &&
	    (size = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		if ((data = malloc((size_t)size + 1)) == NULL)
			exit(2);
		*len = fread(data, 1, (size_t)size, fp);
		data[*len] = '\0';
	}
	if (fp != NULL)
		fclose(fp);
	return data;
}

long
spec_examples(const char *path, spec_example_fn fn, void *ctx)
{
	struct spec_text md = {NULL, 0, 0}, html = {NULL, 0, 0};
	size_t len, n;
	char *data = spec_read_file(path, &len), *p, *nl;
	long no = 0;
	int in = 0;

	if (data == NULL)
		return -1;
	terminate(&md);
	terminate(&html);
	for (p = data; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		if (nl == NULL)
			nl = data + len;
		n = (size_t)(nl - p);
		if (!in && n > FENCE_LEN &&
		    memcmp(p, FENCE " example", FENCE_LEN + 8) == 0) {
			in = 1;
			md.len = html.len = 0;
			md.data[0] = html.data[0] = '\0';
		} else if (in == 1 && n == 1 && p[0] == '.') {
			in = 2; /* the expected HTML follows */
		} else if (in == 1) {
			add_line(&md, p, n);
		} else if (in == 2 && n == FENCE_LEN &&
		           memcmp(p, FENCE, FENCE_LEN) == 0) {
			in = 0;
			fn(ctx, (unsigned long)++no, md.data, md.len, html.data,
			   html.len);
		} else if (in == 2) {
			add_line(&html, p, n);
		}
	}
	free(md.data);
	free(html.data);
	free(data);
	return no;
}

awn_status
spec_compile(const char *md, size_t len, const char *where, awn_db **db,
             awn_error *err)
{
	awn_builder *b = NULL;
	void *blob = NULL;
	size_t blob_len = 0;
	awn_status st;

	*db = NULL;
	/* awn_db_open_memory owns the blob, even when it fails. */
	if ((st = awn_builder_new(&b, err)) == AWN_OK &&
	    (st = awn_builder_add_markdown(b, "example", md, len, err)) ==
	        AWN_OK &&
	    (st = awn_builder_write_memory(b, &blob, &blob_len, err)) ==
	        AWN_OK)
		st = awn_db_open_memory(db, blob, blob_len, where, err);
	awn_builder_free(b);
	return st;
}
