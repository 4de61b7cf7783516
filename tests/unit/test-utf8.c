/*
 * test-utf8.c - decoding, encoding and folding.
 */
#include <string.h>

#include "check.h"
#include "utf8.h"

static uint32_t
dec(const char *s, size_t n, size_t *used)
{
	return utf8_decode((const unsigned char *)s, n, used);
}

int
main(void)
{
	size_t used;
	char out[4];

	CHECK_INT(dec("A", 1, &used), 'A');
	CHECK_INT(used, 1);
	CHECK_INT(dec("\xC3\xA9", 2, &used), 0xE9);
	CHECK_INT(used, 2);
	CHECK_INT(dec("\xE2\x82\xAC", 3, &used), 0x20AC);
	CHECK_INT(dec("\xF0\x9F\x98\x80", 4, &used), 0x1F600);
	CHECK_INT(used, 4);
	/* Invalid: lone continuation, overlong, surrogate, truncated. */
	CHECK_INT(dec("\x80", 1, &used), UTF8_REPLACEMENT);
	CHECK_INT(used, 1);
	CHECK_INT(dec("\xC0\xAF", 2, &used), UTF8_REPLACEMENT);
	CHECK_INT(dec("\xE0\x80\xAF", 3, &used), UTF8_REPLACEMENT);
	CHECK_INT(dec("\xED\xA0\x80", 3, &used), UTF8_REPLACEMENT);
	CHECK_INT(dec("\xE2\x82", 2, &used), UTF8_REPLACEMENT);
	CHECK_INT(used, 1);
	CHECK_INT(dec("\xF5\x80\x80\x80", 4, &used), UTF8_REPLACEMENT);

	CHECK_INT(utf8_encode(0xE9, out), 2);
	CHECK(out[0] == '\xC3' && out[1] == '\xA9');
	CHECK_INT(utf8_encode(0xD800, out), 3); /* surrogate -> U+FFFD */
	CHECK(out[0] == '\xEF' && out[1] == '\xBF' && out[2] == '\xBD');

	CHECK_INT(utf8_fold('Q'), 'q');
	CHECK_INT(utf8_fold(0xC9), 0xE9);   /* É */
	CHECK_INT(utf8_fold(0xD7), 0xD7);   /* × is not a letter */
	CHECK_INT(utf8_fold(0x391), 0x3B1); /* Α */
	CHECK_INT(utf8_fold(0x3C2), 0x3C3); /* final sigma */
	CHECK_INT(utf8_fold(0x416), 0x436); /* Ж */
	CHECK_INT(utf8_fold(0x401), 0x451); /* Ё */
	CHECK_INT(utf8_fold(0x141), 0x142); /* Ł */
	CHECK_INT(utf8_fold(0x4E2D), 0x4E2D);

	CHECK(utf8_is_word('a') && utf8_is_word('7') && utf8_is_word(0xE9));
	CHECK(!utf8_is_word('-') && !utf8_is_word(' ') &&
	      !utf8_is_word(0x2014));
	CHECK(utf8_is_word(0x4E2D) && !utf8_is_word(0x3002));
	/* Every three bytes (and a fourth continuation byte): what decodes
	 * is what encodes to the same bytes, and the rest is U+FFFD using
	 * one byte.  Every code point's encoding decodes, and cut short
	 * does not. */
	{
		unsigned long bad = 0;
		uint32_t a, b, c, cp;
		for (a = 0x80; a < 0x100; a++)
			for (b = 0; b < 0x100; b++)
				for (c = 0; c < 0x100; c++) {
					unsigned char s[4] = {
					    (unsigned char)a, (unsigned char)b,
					    (unsigned char)c, 0x80};
					size_t k;
					cp = utf8_decode(s, 4, &used);
					if (cp == UTF8_REPLACEMENT &&
					    !(a == 0xEF && b == 0xBF &&
					      c == 0xBD)) {
						bad += used != 1;
						continue;
					}
					k = utf8_encode(cp, out);
					bad +=
					    k != used || memcmp(out, s, k) != 0;
				}
		CHECK_INT(bad, 0);
		for (cp = 0; cp <= 0x10FFFF; cp++) {
			size_t k;
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			k = utf8_encode(cp, out);
			bad += dec(out, k, &used) != cp || used != k;
			bad += k > 1 &&
			       (dec(out, k - 1, &used) != UTF8_REPLACEMENT ||
			        used != 1);
		}
		CHECK_INT(bad, 0);
	}
	/* Folding: only the cased scripts up to Cyrillic change, and a
	 * folded character stays. */
	{
		unsigned long bad = 0;
		uint32_t cp;
		for (cp = 0; cp <= 0x10FFFF; cp++) {
			uint32_t f = utf8_fold(cp);
			bad += utf8_fold(f) != f;
			bad += cp > 0x4FF && f != cp;
			bad += utf8_is_upper(cp) != (f != cp);
		}
		CHECK_INT(bad, 0);
		CHECK_INT(utf8_fold(0x416), 0x436); /* Cyrillic Zhe */
		CHECK_INT(utf8_fold(0x4FE), 0x4FF);
		CHECK_INT(utf8_fold(0x1E00), 0x1E00); /* not folded */
	}
	return check_status();
}
