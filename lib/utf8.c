/*
 * utf8.c - decoding, case folding and word classes for the tokenizer.
 *
 * Folding covers the scripts study notes are written in (Latin, Greek,
 * Cyrillic) without pulling in a Unicode library; other scripts are
 * indexed as written.
 */
#include <stdint.h>
#include <string.h>

#include "awsnote.h"
#include "utf8.h"

/* utf8_decode for what its inline part leaves: four bytes, and
 * anything invalid. */
uint32_t
utf8_decode_slow(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t cp, min;
	size_t len, i;

	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2, cp = s[0] & 0x1F, min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3, cp = s[0] & 0x0F, min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return UTF8_REPLACEMENT;
	}
	if (n < len)
		return UTF8_REPLACEMENT;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return UTF8_REPLACEMENT;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return UTF8_REPLACEMENT;
	*used = len;
	return cp;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* utf8_fold from U+0080 to U+04FF. */
uint32_t
utf8_fold_cased(uint32_t cp)
{
	/* Latin-1: À-Þ except × */
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	/* Latin Extended-A: pairs, upper case even (with two odd runs). */
	if (cp >= 0x100 && cp <= 0x137)
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1) ? cp + 1 : cp;
	if (cp >= 0x14A && cp <= 0x177)
		return cp | 1;
	if (cp == 0x178)
		return 0xFF;
	/* Greek */
	if (cp == 0x386)
		return 0x3AC;
	if (cp >= 0x388 && cp <= 0x38A)
		return cp + 37;
	if (cp == 0x38C)
		return 0x3CC;
	if (cp == 0x38E || cp == 0x38F)
		return cp + 63;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp == 0x3C2) /* final sigma folds like sigma */
		return 0x3C3;
	/* Cyrillic */
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x460 && cp <= 0x4FF && !(cp >= 0x482 && cp <= 0x489))
		return cp | 1;
	return cp;
}

int
utf8_is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	if (cp < 0xC0) /* Latin-1 punctuation and symbols */
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, arrows, symbols */
		return 0;
	if (cp >= 0x3000 && cp <= 0x303F) /* CJK punctuation */
		return 0;
	if (cp >= 0xFE30 && cp <= 0xFE4F)
		return 0;
	if (cp >= 0xFF00 && cp <= 0xFF0F)
		return 0;
	if (cp >= 0x1F000 && cp <= 0x1FAFF) /* emoji and pictographs */
		return 0;
	if (cp == UTF8_REPLACEMENT || (cp >= 0xE000 && cp <= 0xF8FF))
		return 0;
	return 1;
}

size_t
awn_display_text(const char *s, size_t len, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0, used, k;
	char enc[4];
	uint32_t cp;

	if (size == 0)
		return 0;
	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7F) { /* most titles: as is */
			if (n + 1 >= size)
				break;
			buf[n++] = (char)p[i++];
			continue;
		}
		cp = utf8_decode(p + i, len - i, &used);
		if (utf8_is_control(cp))
			cp = UTF8_REPLACEMENT;
		k = utf8_encode(cp, enc);
		if (n + k >= size)
			break;
		memcpy(buf + n, enc, k);
		n += k;
		i += used;
	}
	buf[n] = '\0';
	return n;
}

/* Letters of A against B's, folded; as prefix, A past B's end is equal.
 * *AT: the bytes of A compared. */
static int
fold_cmp(const char *a, size_t an, const char *b, size_t bn, int prefix,
         size_t *at)
{
	const unsigned char *p = (const unsigned char *)a,
	                    *q = (const unsigned char *)b;
	size_t i = 0, j = 0, used;

	*at = 0;
	while (j < bn) {
		uint32_t x, y;
		if (i >= an)
			return -1;
		x = utf8_fold(utf8_decode(p + i, an - i, &used));
		i += used;
		y = utf8_fold(utf8_decode(q + j, bn - j, &used));
		j += used;
		if (x != y)
			return x < y ? -1 : 1;
	}
	*at = i;
	return prefix || i >= an ? 0 : 1;
}

int
awn_fold_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t at;

	return fold_cmp(a, alen, b, blen, 0, &at);
}

int
awn_fold_cmp_prefix(const char *s, size_t slen, const char *prefix, size_t plen)
{
	size_t at;

	return fold_cmp(s, slen, prefix, plen, 1, &at);
}

size_t
awn_fold_prefix(const char *s, size_t slen, const char *prefix, size_t plen)
{
	size_t at;

	return fold_cmp(s, slen, prefix, plen, 1, &at) == 0 ? at : SIZE_MAX;
}
