/*
 * links.c - the links in a section's text, for following them.
 *
 * The renderer shows an internal link as the path of its target; a
 * browser (the shell's :links and :follow) needs them as data instead:
 * what the link says, where it points, and which section that is.  This
 * reads the rich-text markers (richtext.h) and nothing else.
 */
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "db.h"
#include "error.h"
#include "richtext.h"

#define LINKS_MAX 100000 /* more links than a section of notes can hold */

/* Where a link's strings sit in the string buffer while collecting. */
struct link_rec {
	size_t text_off, text_len, dest_off, dest_len;
	uint32_t target;
};

struct collect {
	awn_db *db;
	uint32_t doc;
	struct buf recs;    /* struct link_rec, back to back */
	struct buf strings; /* every text and dest, each NUL-terminated */
	size_t nlinks;
	/* the link being read */
	enum { OUTSIDE, IN_DEST, IN_TEXT } state;
	size_t dest_off, dest_len, text_off;
};

static awn_status
start_link(struct collect *c)
{
	c->state = IN_DEST;
	c->dest_off = c->strings.len;
	c->dest_len = 0;
	return AWN_OK;
}

static awn_status
start_text(struct collect *c)
{
	awn_status st;

	c->dest_len = c->strings.len - c->dest_off;
	if ((st = buf_addc(&c->strings, '\0')) != AWN_OK)
		return st;
	c->state = IN_TEXT;
	c->text_off = c->strings.len;
	return AWN_OK;
}

static awn_status
end_link(struct collect *c)
{
	struct link_rec r;
	awn_status st;

	if (c->state == IN_DEST && (st = start_text(c)) != AWN_OK)
		return st; /* a link without text */
	c->state = OUTSIDE;
	r.dest_off = c->dest_off;
	r.dest_len = c->dest_len;
	r.text_off = c->text_off;
	r.text_len = c->strings.len - c->text_off;
	while (r.text_len > 0 &&
	       c->strings.data[r.text_off + r.text_len - 1] == ' ')
		r.text_len--;
	c->strings.len = r.text_off + r.text_len;
	if ((st = buf_addc(&c->strings, '\0')) != AWN_OK)
		return st;
	r.target = db_link_target(c->db, c->doc, c->strings.data + r.dest_off,
	                          r.dest_len);
	if (c->nlinks == LINKS_MAX)
		return AWN_ERR_LIMIT;
	c->nlinks++;
	return buf_add(&c->recs, &r, sizeof(r));
}

/* Text between markers: kept in a destination or a link's text. */
static awn_status
add_byte(struct collect *c, unsigned char ch)
{
	if (c->state == OUTSIDE)
		return AWN_OK;
	if (c->state == IN_TEXT) {
		if (ch == '\t' || ch == (unsigned char)RT_CELL)
			ch = ' ';
		else if (ch < 0x20)
			return AWN_OK; /* a style marker */
		if (ch == ' ' && (c->strings.len == c->text_off ||
		                  c->strings.data[c->strings.len - 1] == ' '))
			return AWN_OK;
	} else if (ch < 0x20) {
		return AWN_OK;
	}
	return buf_addc(&c->strings, ch);
}

/* One line's content (after the prefix). */
static awn_status
scan_line(struct collect *c, const char *p, const char *eol)
{
	awn_status st = AWN_OK;

	for (; p < eol && st == AWN_OK; p++) {
		switch (*p) {
		case RT_LINK:
			/* Links do not nest; a stray opener restarts. */
			if (c->state != OUTSIDE)
				c->strings.len = c->dest_off;
			st = start_link(c);
			break;
		case RT_LINK_TEXT:
			if (c->state == IN_DEST)
				st = start_text(c);
			break;
		case RT_LINK_END:
			if (c->state != OUTSIDE)
				st = end_link(c);
			break;
		default:
			st = add_byte(c, (unsigned char)*p);
			break;
		}
	}
	if (st != AWN_OK)
		return st;
	/* A destination never spans lines; link text may (soft breaks). */
	if (c->state == IN_DEST) {
		c->strings.len = c->dest_off;
		c->state = OUTSIDE;
	} else if (c->state == IN_TEXT) {
		st = add_byte(c, ' ');
	}
	return st;
}

static awn_status
scan_text(struct collect *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	awn_status st = AWN_OK;

	while (p < end && st == AWN_OK) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;

		if (eol == NULL)
			eol = end;
		if (*p != RT_CODE) { /* verbatim lines hold no markers */
			q = memchr(p, RT_PREFIX_END, (size_t)(eol - p));
			q = q ? q + 1 : p + 1;
			st = scan_line(c, q, eol);
		}
		p = eol + 1;
	}
	if (st == AWN_OK && c->state != OUTSIDE)
		st = end_link(c); /* unterminated: keep what there is */
	return st;
}

awn_status
awn_db_links(awn_db *db, uint32_t id, awn_links **out, awn_error *err)
{
	struct collect c;
	awn_section s;
	awn_links *links = NULL;
	const struct link_rec *r;
	const char *text;
	char *strings;
	size_t len, i;
	awn_status st;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	buf_init(&c.recs, 0);
	buf_init(&c.strings, 0);
	if (db_section_tree(db, id, &s) != AWN_OK) {
		st = error_set(err, AWN_ERR_ARG, "no section %u", id);
		goto fail;
	}
	c.db = db;
	c.doc = s.doc;
	if ((st = awn_db_text(db, id, &text, &len, err)) != AWN_OK)
		goto fail;
	if ((st = scan_text(&c, text, len)) != AWN_OK) {
		error_set(err, st, "section %u: %s", id, awn_strerror(st));
		goto fail;
	}
	/* One allocation: the header, the array, then the strings. */
	links = alloc_malloc(sizeof(*links) + c.nlinks * sizeof(awn_link) +
	                     c.strings.len + 1);
	if (links == NULL) {
		st = error_set(err, AWN_ERR_NOMEM, "out of memory");
		goto fail;
	}
	links->n = c.nlinks;
	links->link = (awn_link *)(links + 1);
	strings = (char *)(links->link + c.nlinks);
	if (c.strings.len > 0)
		memcpy(strings, c.strings.data, c.strings.len);
	strings[c.strings.len] = '\0';
	r = (const struct link_rec *)(const void *)c.recs.data;
	for (i = 0; i < c.nlinks; i++) {
		links->link[i].text = strings + r[i].text_off;
		links->link[i].text_len = r[i].text_len;
		links->link[i].dest = strings + r[i].dest_off;
		links->link[i].dest_len = r[i].dest_len;
		links->link[i].target = r[i].target;
	}
	*out = links;
	st = AWN_OK;
fail:
	buf_free(&c.recs);
	buf_free(&c.strings);
	return st;
}

void
awn_links_free(awn_links *links)
{
	alloc_free(links);
}
