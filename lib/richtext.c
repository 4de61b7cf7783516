/*
 * richtext.c - helpers over the rich-text line format (richtext.h).
 */
#include <string.h>

#include "richtext.h"

/*
 * The words of rich text, for the tokenizer: line kinds, prefixes, markers
 * and link destinations dropped; table cells and lines kept apart.
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
		for (; q < eol && !st; q++) {
			unsigned char c = (unsigned char)*q;
			if (c == (unsigned char)RT_LINK)
				in_dest = 1;
			else if (c == (unsigned char)RT_LINK_TEXT)
				in_dest = 0;
			else if (in_dest)
				continue;
			else if (c == (unsigned char)RT_CELL || c == '\t')
				st = buf_addc(out, ' ');
			else if (c >= 0x20)
				st = buf_addc(out, c);
		}
		if (!st)
			st = buf_addc(out, '\n');
		p = eol + 1;
	}
	return st;
}

