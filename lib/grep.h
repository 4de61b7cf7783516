/*
 * grep.h - internals of the regex search (grep.c) that tests and a
 * future block prefilter need; the public API is in awsnote.h.
 */
#ifndef GREP_H
#define GREP_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"

/* Limits every match runs under (see pcre2_set_match_limit etc.). */
#define GREP_MATCH_LIMIT    10000000u /* backtracking steps per line */
#define GREP_DEPTH_LIMIT    100000u   /* nested backtracking (interpreter) */
#define GREP_HEAP_LIMIT_KIB 65536u    /* interpreter backtracking memory */
#define GREP_JIT_STACK_MAX  ((size_t)1 << 20)
/* Subject bytes the interpreter is handed before the patterns are
 * JIT-compiled (grep.c): compiling costs about what interpreting
 * ~40 KB does. */
#define GREP_JIT_AFTER ((size_t)64 << 10)
/* Steps the interpreter may take on one match before the JIT is brought
 * in for it: a pattern that backtracks hard (nested quantifiers) is
 * 100-1000 times faster JIT-compiled. */
#define GREP_TRIAL_LIMIT 1000u

/*
 * Search TEXT/LEN, whole rich-text lines (richtext.h), as the text of
 * section ID: what awn_grep_section does once it has the text.  This is
 * the seam where a per-block prefilter can skip text before it is
 * inflated.  On AWN_ERR_LIMIT, ERR names the pattern and the line but
 * not the section.
 */
awn_status grep_text(awn_grep *g, uint32_t id, const char *text, size_t len,
                     awn_grep_fn fn, void *ctx, awn_error *err);

/*
 * Turn off (ON 0) or back on the skipping of lines that cannot match
 * (tests: the same matches either way).
 */
void grep_set_skip(awn_grep *g, int on);

/* JIT-compile after BYTES of lines instead (tests: 0 = at once). */
void grep_set_jit_after(awn_grep *g, size_t bytes);
/* Whether the patterns were handed to the JIT compiler (for tests). */
int grep_jit_tried(const awn_grep *g);

/* Lower the limits (tests); 0 keeps a limit's default. */
void grep_set_limits(awn_grep *g, uint32_t match_limit, uint32_t depth_limit);

#endif /* GREP_H */
