/*
 * spill.h - an append-only byte store that lives in memory until told to
 * move to a temporary file: how the builder keeps its memory bounded.
 *
 * The file is created in a directory the caller names and unlinked at
 * once, so it disappears with the process whatever happens.
 */
#ifndef SPILL_H
#define SPILL_H

#include <stdint.h>

#include "awsnote.h"
#include "buf.h"

struct spill {
	struct buf mem;  /* all bytes while in memory, else the write buffer */
	int fd;          /* -1 while in memory */
	uint64_t len;    /* bytes appended in all */
	const char *dir; /* where the file went (borrowed), for messages */
};

void spill_init(struct spill *s);
void spill_free(struct spill *s);

/* Append N bytes from P.  AWN_ERR_IO (with ERR's detail) on a write error. */
awn_status spill_add(struct spill *s, const void *p, size_t n, awn_error *err);

/* A new temporary file in DIR, read and write, that has no name (O_TMPFILE,
 * else made by mkstemp and unlinked at once), or -1 with errno set. */
int spill_open_temp(const char *dir);

/* Move the bytes to a new unlinked temporary file in DIR (NUL-terminated,
 * must outlive S); later appends go to the file. */
awn_status spill_to_file(struct spill *s, const char *dir, awn_error *err);

/* Bytes held in memory (what counts against a memory budget). */
size_t spill_memory(const struct spill *s);

/* All the bytes, in place, while they are in memory; else NULL. */
const char *spill_in_memory(const struct spill *s);

/* Write out buffered bytes, so spill_read sees everything appended. */
awn_status spill_flush(struct spill *s, awn_error *err);

/* Copy N bytes at OFF (OFF + N <= s->len; flushed) into P. */
awn_status spill_read(const struct spill *s, uint64_t off, void *p, size_t n,
                      awn_error *err);

#endif /* SPILL_H */
