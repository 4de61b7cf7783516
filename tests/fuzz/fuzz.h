/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point's
 * prototype and the oracles that turn a silent misbehaviour into a crash
 * the fuzzer can report.
 *
 * The oracles restate awsnote's promises independently of the code that
 * keeps them: whatever a blob or a Markdown file holds, text handed to a
 * terminal is valid UTF-8 with no control character but '\n' and '\t',
 * and the only escape sequences are SGR codes ("ESC [ digits;... m").
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsnote.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken promise and crash, so the fuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: broken promise: %s\n",         \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * Length of the SGR sequence at S (S[0] is ESC), or 0 if it is any other
 * escape sequence.
 */
static inline size_t
fuzz_sgr_len(const unsigned char *s, size_t n)
{
	size_t i = 2;

	if (n < 3 || s[1] != '[')
		return 0;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
		i++;
	return i < n && s[i] == 'm' ? i + 1 : 0;
}

/*
 * Is S/N safe to show on a terminal?  Valid UTF-8 (no overlongs, no
 * surrogates), no C0 control but '\n' and '\t', no DEL, no C1 control;
 * ESC only as the start of an SGR sequence when SGR_OK.
 */
static inline int
fuzz_display_safe(const char *text, size_t n, int sgr_ok)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		unsigned char c = s[i];
		if (c == 0x1B && sgr_ok && (len = fuzz_sgr_len(s + i, n - i))) {
			i += len;
			continue;
		}
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			len = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4, cp = c & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
		    (cp >= 0x80 && cp <= 0x9F))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * An awn_write_fn that collects output so it can be checked whole (a
 * writer may cut a character between two calls).  Output past CAP bytes
 * is counted but not kept.
 */
#define FUZZ_SINK_CAP ((size_t)1 << 20)

struct fuzz_sink {
	char *data; /* FUZZ_SINK_CAP bytes, owned */
	size_t len, total;
};

static inline int
fuzz_sink_write(void *ctx, const char *data, size_t len)
{
	struct fuzz_sink *s = ctx;
	size_t n = len < FUZZ_SINK_CAP - s->len ? len : FUZZ_SINK_CAP - s->len;

	FUZZ_ASSERT(len == 0 || data != NULL);
	if (s->data == NULL && (s->data = malloc(FUZZ_SINK_CAP)) == NULL)
		abort();
	memcpy(s->data + s->len, data, n);
	s->len += n;
	s->total += len;
	return 0;
}

/* Check what the sink holds (if it was not cut) and empty it. */
static inline void
fuzz_sink_check(struct fuzz_sink *s, int sgr_ok)
{
	if (s->total == s->len)
		FUZZ_ASSERT(fuzz_display_safe(s->data, s->len, sgr_ok));
	s->len = s->total = 0;
}

static inline void
fuzz_sink_free(struct fuzz_sink *s)
{
	free(s->data);
	s->data = NULL;
	s->len = s->total = 0;
}

#endif /* FUZZ_H */
