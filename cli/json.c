/*
 * json.c - --json: JSON Lines for scripts.
 *
 * Objects are built in a reusable buffer and written whole, one per
 * line, so a reader never sees half an object.  The notes are taken as
 * hostile bytes: strings are escaped so that the output is valid JSON
 * and valid UTF-8 whatever a blob holds.  C1 controls and U+2028/2029
 * are escaped too, so a line is safe to show in a terminal or to paste
 * into JavaScript.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "where.h"
#include "xmalloc.h"

#define PATH_SEP "\x1f" /* never in a display-safe title */

void
json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
}

void
json_free(struct json *j)
{
	free(j->data);
	display_free(&j->path);
	json_init(j);
}

static void
put(struct json *j, const char *s, size_t n)
{
	if (j->cap - j->len < n) {
		size_t cap = j->cap ? j->cap : 256;

		while (cap - j->len < n)
			cap *= 2;
		j->data = xreallocarray(j->data, cap, 1);
		j->cap = cap;
	}
	memcpy(j->data + j->len, s, n);
	j->len += n;
}

static void
puts_(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/*
 * Length of the valid UTF-8 sequence at S (N > 0 bytes, S[0] >= 0x80)
 * and its code point in *CP; 0 if it is not valid (overlong, surrogate,
 * past U+10FFFF, truncated).
 */
static size_t
utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long min;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, *cp = s[0] & 0x1Fu, min = 0x80;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, *cp = s[0] & 0x0Fu, min = 0x800;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, *cp = s[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3Fu);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

/* S/N as a JSON string, quotes included. */
static void
put_string(struct json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, len;
	unsigned long cp;
	char esc[8];

	put(j, "\"", 1);
	while (i < n) {
		const char *rep = NULL;

		if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '"' &&
		    s[i] != '\\') {
			i++;
			continue;
		}
		len = 1;
		if (s[i] >= 0x80) {
			len = utf8_seq(s + i, n - i, &cp);
			if (len == 0) {
				len = 1;
				rep = "\\ufffd";
			} else if (cp < 0xA0 || cp == 0x2028 || cp == 0x2029) {
				snprintf(esc, sizeof(esc), "\\u%04lx", cp);
				rep = esc;
			} else {
				i += len; /* valid text stays as it is */
				continue;
			}
		} else if (s[i] == '"') {
			rep = "\\\"";
		} else if (s[i] == '\\') {
			rep = "\\\\";
		} else if (s[i] == '\n') {
			rep = "\\n";
		} else if (s[i] == '\t') {
			rep = "\\t";
		} else if (s[i] == '\r') {
			rep = "\\r";
		} else if (s[i] == '\b') {
			rep = "\\b";
		} else if (s[i] == '\f') {
			rep = "\\f";
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", s[i]);
			rep = esc;
		}
		put(j, (const char *)s + run, i - run);
		puts_(j, rep);
		i += len;
		run = i;
	}
	put(j, (const char *)s + run, i - run);
	put(j, "\"", 1);
}

static void
put_key(struct json *j, const char *key)
{
	if (j->fields++ > 0)
		put(j, ",", 1);
	put_string(j, key, strlen(key));
	put(j, ":", 1);
}

void
json_begin(struct json *j, const char *type)
{
	j->len = 0;
	j->fields = 0;
	put(j, "{", 1);
	json_string_field(j, "type", type, strlen(type));
}

void
json_string_field(struct json *j, const char *key, const char *s, size_t len)
{
	put_key(j, key);
	put_string(j, s ? s : "", s ? len : 0);
}

void
json_uint_field(struct json *j, const char *key, unsigned long long v)
{
	char num[32];

	put_key(j, key);
	snprintf(num, sizeof(num), "%llu", v);
	puts_(j, num);
}

static void
json_double_field(struct json *j, const char *key, double v)
{
	char num[64];

	put_key(j, key);
	/* JSON has no NaN or infinity. */
	snprintf(num, sizeof(num), "%.6g", isfinite(v) ? v : 0.0);
	puts_(j, num);
}

void
json_section_fields(struct json *j, awn_db *db, uint32_t id)
{
	/* awn_db_path decides what a path is; only the separator is ours. */
	const char *path = display_path(&j->path, db, id, PATH_SEP), *p = path;
	const char *sep;
	awn_section s;

	put_key(j, "path");
	put(j, "[", 1);
	for (;;) {
		sep = strchr(p, PATH_SEP[0]);
		if (p != path)
			put(j, ",", 1);
		put_string(j, p, sep ? (size_t)(sep - p) : strlen(p));
		if (sep == NULL)
			break;
		p = sep + 1;
	}
	put(j, "]", 1);
	if (awn_db_section(db, id, &s) != AWN_OK)
		s.anchor = "", s.anchor_len = 0;
	json_string_field(j, "anchor", s.anchor, s.anchor_len);
}

void
json_matches_field(struct json *j, const awn_grep_match *m, size_t n)
{
	char pair[64];
	size_t i;

	put_key(j, "matches");
	put(j, "[", 1);
	for (i = 0; i < n; i++) {
		snprintf(pair, sizeof(pair), "%s[%zu,%zu]", i ? "," : "",
		         m[i].start, m[i].end);
		puts_(j, pair);
	}
	put(j, "]", 1);
}

int
json_end(struct json *j, struct output *out)
{
	put(j, "}\n", 2);
	return output_write(out, j->data, j->len);
}

/* awn_write_fn into a struct json's buffer (a section's plain text). */
static int
collect(void *ctx, const char *data, size_t len)
{
	put(ctx, data, len);
	return 0;
}

/*
 * The title as the path shows it: bidi controls and line separators,
 * which the stored title may hold, as U+FFFD (awn_display_text), so that
 * it is the path's last member (but for an empty title).
 */
static void
title_field(struct json *j, const awn_section *s)
{
	/* A byte becomes at most 3 (U+FFFD), plus the NUL. */
	char *safe = xreallocarray(NULL, s->title_len + 1, 3);
	size_t n = awn_display_text(s->title, s->title_len, safe,
	                            3 * s->title_len + 1);

	json_string_field(j, "title", safe, n);
	free(safe);
}

void
json_source_field(struct json *j, const char *file, uint32_t line)
{
	put_key(j, "source");
	put(j, "{", 1);
	j->fields = 0;
	if (file != NULL)
		json_string_field(j, "file", file, strlen(file));
	json_uint_field(j, "line", line);
	put(j, "}", 1);
	j->fields = 1;
}

int
json_section_source(struct json *j, awn_db *db, uint32_t id)
{
	awn_error err = {AWN_OK, ""};
	awn_source src;
	char *file = NULL;
	size_t n;

	if (awn_db_source(db, id, &src, &err) != AWN_OK)
		return output_error(&err);
	if (src.dir_len > 0) {
		n = awn_source_path(&src, NULL, 0);
		file = xmalloc(n + 1);
		awn_source_path(&src, file, n + 1);
		where_say_newer(db, id, file);
	}
	json_source_field(j, file, src.line);
	free(file);
	return 0;
}

/* The members of section ID as a lookup shows it, into J. */
static int
section_members(struct json *j, awn_db *db, uint32_t id, int where,
                struct json *text)
{
	awn_error err = {AWN_OK, ""};
	awn_render_opts plain = {0, 0};
	awn_section s;

	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return 2;
	text->len = 0;
	if (awn_render_section(db, id, &plain, collect, text, &err) != AWN_OK)
		return output_error(&err);
	json_section_fields(j, db, id);
	json_uint_field(j, "level", s.level);
	title_field(j, &s);
	json_string_field(j, "text", text->data, text->len);
	return where ? json_section_source(j, db, id) : 0;
}

int
json_show(awn_db *db, uint32_t id, int where, struct output *out)
{
	struct json j, text;
	awn_section s;
	uint32_t d;
	int rc, fields;

	if (awn_db_section_tree(db, id, &s) != AWN_OK)
		return 2;
	json_init(&j);
	json_init(&text);
	json_begin(&j, "section");
	rc = section_members(&j, db, id, where, &text);
	/* One line for the lookup: its subsections nest, in order. */
	put_key(&j, "subsections");
	put(&j, "[", 1);
	for (d = id + 1; d < s.end && rc == 0; d++) {
		put(&j, d > id + 1 ? ",{" : "{", d > id + 1 ? 2 : 1);
		fields = j.fields;
		j.fields = 0;
		rc = section_members(&j, db, d, where, &text);
		j.fields = fields;
		put(&j, "}", 1);
	}
	put(&j, "]", 1);
	if (rc == 0)
		json_end(&j, out);
	json_free(&j);
	json_free(&text);
	return rc;
}

int
json_apropos(awn_db *db, const awn_hits *hits, int where, struct output *out)
{
	int rc = 0;
	awn_error err = {AWN_OK, ""};
	char *sum = xreallocarray(NULL, hits->n ? hits->n : 1, SUMMARY_MAX);
	struct json j;
	size_t i;

	if (awn_hits_summaries(db, hits, sum, SUMMARY_MAX, &err) != AWN_OK) {
		free(sum);
		return output_error(&err);
	}
	json_init(&j);
	for (i = 0; i < hits->n && !out->failed && rc == 0; i++) {
		const char *summary = sum + i * SUMMARY_MAX;
		json_begin(&j, "hit");
		json_section_fields(&j, db, hits->hit[i].section);
		json_double_field(&j, "score", hits->hit[i].score);
		json_string_field(&j, "summary", summary, strlen(summary));
		if (where)
			rc = json_section_source(&j, db, hits->hit[i].section);
		if (rc == 0)
			json_end(&j, out);
	}
	json_free(&j);
	free(sum);
	return rc;
}

int
json_list(awn_db *db, uint32_t first, uint32_t end, int where,
          struct output *out)
{
	int rc = 0;
	uint32_t i;
	struct json j;
	awn_section s;

	json_init(&j);
	for (i = first; i < end && !out->failed && rc == 0; i++) {
		if (awn_db_section_tree(db, i, &s) != AWN_OK)
			break;
		if (!awn_db_doc_kept(db, s.doc))
			continue;
		json_begin(&j, "section");
		json_section_fields(&j, db, i);
		json_uint_field(&j, "level", s.level);
		if (where)
			rc = json_section_source(&j, db, i);
		if (rc == 0)
			json_end(&j, out);
	}
	json_free(&j);
	return rc;
}
