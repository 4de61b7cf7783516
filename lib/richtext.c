/*
 * richtext.c - helpers over the rich-text line format (richtext.h).
 */
#include <stdint.h>
#include <string.h>

#include "richtext.h"
#include "utf8.h"

#define ONES  0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* Bytes of S before the first byte richtext_look_mask flags (0 to 8). */
static size_t
clean_bytes(const char *s)
{
	uint64_t m;

	if ((m = richtext_look_mask(richtext_load8(s))) == 0)
		return 8;
	return (size_t)__builtin_ctzll(m) / 8;
}

const char *
richtext_next_control(const char *s, const char *end)
{
	uint64_t w, m;

	for (; end - s >= 8; s += 8) {
		w = richtext_load8(s);
		/* The lowest flagged byte is a true one: borrows only run
		 * upwards from it. */
		if ((m = (w - 0x20u * ONES) & ~w & HIGHS) != 0)
			return s + __builtin_ctzll(m) / 8;
	}
	while (s < end && (unsigned char)*s >= 0x20)
		s++;
	return s;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

int
richtext_is_contents(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t all = 0, linked = 0, links = 0;

	/* Most sections have no three "#" links: told by memchr alone, as
	 * every section of a build asks. */
	while (links < 3 && (p = memchr(p, RT_LINK, (size_t)(end - p))) &&
	       ++p < end)
		links += *p == '#';
	if (links < 3)
		return 0;
	p = text;
	links = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;
		int in_dest = 0, inner = 0; /* in a "#" link's text */

		if (eol == NULL)
			eol = end;
		q = memchr(p, RT_PREFIX_END, (size_t)(eol - p));
		for (q = q ? q + 1 : p + 1; q < eol; q++) {
			unsigned char c = (unsigned char)*q;
			if (c == (unsigned char)RT_LINK) {
				in_dest = 1;
				inner = q + 1 < eol && q[1] == '#';
				links += inner;
			} else if (c == (unsigned char)RT_LINK_TEXT) {
				in_dest = 0;
			} else if (c == (unsigned char)RT_LINK_END) {
				inner = 0;
			} else if (!in_dest &&
			           (c >= 0x80 || (c >= '0' && c <= '9') ||
			            ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
				all++;
				linked += inner;
			}
		}
		p = eol + 1;
	}
	return links >= 3 && linked >= all - all / 4;
}

/*
 * The words of rich text, for the tokenizer: line kinds, prefixes, markers
 * and link destinations dropped; table cells, lines and code spans kept
 * apart (the AWS guides glue a span to the next word: "`Ref`function").
 */
awn_status
richtext_words(const char *text, size_t len, struct buf *out)
{
	const char *p = text, *end = text + len;
	awn_status st = AWN_OK;

	buf_reset(out);
	while (p < end && !st) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		int in_dest = 0;

		if (eol == NULL)
			eol = end;
		q = memchr(p, RT_PREFIX_END, (size_t)(eol - p));
		q = q ? q + 1 : p + 1;
		while (q < eol && !st) {
			const char *run = q;
			unsigned char c;
			/* Copy plain bytes in runs; markers are rare. */
			q = richtext_next_control(q, eol);
			if (q > run && !in_dest)
				st = buf_add(out, run, (size_t)(q - run));
			if (q == eol || st)
				break;
			c = (unsigned char)*q++;
			if (c == (unsigned char)RT_LINK)
				in_dest = 1;
			else if (c == (unsigned char)RT_LINK_TEXT)
				in_dest = 0;
			else if (!in_dest &&
			         (c == (unsigned char)RT_CELL || c == '\t' ||
			          c == (unsigned char)RT_CODE_ON ||
			          c == (unsigned char)RT_CODE_OFF))
				st = buf_addc(out, ' ');
		}
		if (!st)
			st = buf_addc(out, '\n');
		p = eol + 1;
	}
	return st;
}

/*
 * Plain text of inline content S..END: markers dropped, a link shows
 * its text only (a destination cut by the end of S shows nothing),
 * RT_CELL is " | ".  Bytes that need no change are copied in runs, so
 * ordinary text costs one pass and one copy.
 */
static awn_status
plain_inline(const char *s, const char *end, struct buf *out)
{
	const char *run = s;
	awn_status st = AWN_OK;
	size_t n;

	while (s < end && st == AWN_OK) {
		unsigned char c;
		const char *rep;

		if (end - s >= 8 && (n = clean_bytes(s)) > 0) {
			s += n;
			continue;
		}
		c = (unsigned char)*s;
		if ((c >= 0x20 && c < 0x7F) || c == '\t') {
			s++;
			continue;
		}
		if (c >= 0x80 &&
		    !utf8_is_control(utf8_decode((const unsigned char *)s,
		                                 (size_t)(end - s), &n)) &&
		    n > 1) {
			s += n; /* valid and not a C1 or bidi control */
			continue;
		}
		st = buf_add(out, run, (size_t)(s - run));
		rep = NULL;
		if (c >= 0x80) {
			s += n; /* one U+FFFD per bad byte or control */
			rep = replacement;
		} else if (c == (unsigned char)RT_LINK) {
			/* Skip the destination, up to its text or its end:
			 * a URL's clean words at once, as above. */
			for (s++; s < end && *s != RT_LINK_TEXT &&
			          *s != RT_LINK_END;) {
				n = end - s >= 8 ? clean_bytes(s) : 0;
				s += n > 0 ? n : 1;
			}
			s += s < end;
		} else {
			s++;
			if (c == (unsigned char)RT_CELL)
				rep = " | ";
			else if (!((c >= RT_STRONG_ON && c <= RT_DEL_OFF) ||
			           c == RT_LINK_TEXT || c == RT_LINK_END ||
			           c == RT_PREFIX_END))
				rep = replacement; /* a control, DEL */
		}
		if (rep != NULL && st == AWN_OK)
			st = buf_adds(out, rep);
		run = s;
	}
	if (st == AWN_OK)
		st = buf_add(out, run, (size_t)(s - run));
	return st;
}

awn_status
richtext_plain_line(const char *line, size_t len, struct buf *out)
{
	const char *body = line, *end = line + len, *pe;
	awn_status st;
	size_t start;

	if (len == 0)
		return AWN_OK;
	if (!richtext_is_kind((unsigned char)line[0]))
		return plain_inline(body, end, out);
	body++;
	switch (line[0]) {
	case RT_BLANK: /* the quote marks it keeps */
	case RT_RULE:
		/* The prefix (quote marks, indentation), then the rule. */
		pe = memchr(body, RT_PREFIX_END, (size_t)(end - body));
		st = plain_inline(body, pe ? pe : body, out);
		if (st != AWN_OK || line[0] == RT_BLANK)
			return st;
		return buf_add(out, "---", 3);
	case RT_CODE:
	case RT_THEAD: /* an empty last cell keeps its " | " */
	case RT_TROW:
		return plain_inline(body, end, out);
	default:
		/* Blanks at the end of text show nothing but can break a
		 * match of "x$": gone, except from code. */
		start = out->len;
		if ((st = plain_inline(body, end, out)) != AWN_OK)
			return st;
		while (out->len > start && (out->data[out->len - 1] == ' ' ||
		                            out->data[out->len - 1] == '\t'))
			out->len--;
		return AWN_OK;
	}
}
