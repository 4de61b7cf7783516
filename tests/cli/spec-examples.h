/*
 * spec-examples.h - the examples of a CommonMark or GFM spec file, for
 * the corpora tests (render-smoke, text-fidelity).
 */
#ifndef SPEC_EXAMPLES_H
#define SPEC_EXAMPLES_H

#include <stddef.h>

#include "awsnote.h"

/* A growing byte string. */
struct spec_text {
	char *data;
	size_t len, cap;
};

/* Append DATA/LEN to the spec_text CTX (an awn_write_fn): returns 0;
 * exits with status 2 when out of memory. */
int spec_text_add(void *ctx, const char *data, size_t len);

/*
 * Called for example NO (from 1) of a spec: its Markdown MD/MD_LEN, the
 * spec's "→" turned into tabs, and the HTML the spec expects,
 * HTML/HTML_LEN.  Both are NUL-terminated and live until the call ends.
 */
typedef void (*spec_example_fn)(void *ctx, unsigned long no, const char *md,
                                size_t md_len, const char *html,
                                size_t html_len);

/*
 * Call FN for every "```...``` example" block of the spec at PATH.
 * Returns the number of examples, 0 when there are none, or -1 when the
 * file cannot be read.  Exits with status 2 when out of memory.
 */
long spec_examples(const char *path, spec_example_fn fn, void *ctx);

/*
 * The whole file at PATH, NUL-terminated, its length in *LEN; NULL when
 * it cannot be read.  Exits with status 2 when out of memory.
 */
char *spec_read_file(const char *path, size_t *len);

/*
 * Compile MD/LEN, as a document named "example", into *DB (NULL on
 * failure, with ERR filled); WHERE names it in messages.
 */
awn_status spec_compile(const char *md, size_t len, const char *where,
                        awn_db **db, awn_error *err);

#endif /* SPEC_EXAMPLES_H */
