/*
 * blob-write.h - encoding the blob: integers, compressed blocks, and the
 * header + directory + tables assembled into a file or a buffer.
 */
#ifndef BLOB_WRITE_H
#define BLOB_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "buf.h"

struct blob_table {
	uint32_t type; /* enum blob_table */
	const char *data;
	size_t len;
	/* When DATA is NULL, the LEN bytes come from READ (e.g. a temporary
	 * file), a chunk at a time: bytes [OFF, OFF + N) into P. */
	awn_status (*read)(void *ctx, uint64_t off, void *p, size_t n,
	                   awn_error *err);
	void *ctx;
};

struct blob_counts {
	uint32_t nsections, ndocs, nterms, nblocks;
	uint64_t total_tokens;
};

awn_status blob_put_u32(struct buf *b, uint32_t v);
awn_status blob_put_u64(struct buf *b, uint64_t v);
/* LEB128-style unsigned varint (7 bits a byte, high bit = more). */
awn_status blob_put_varint(struct buf *b, uint64_t v);

/* Append RAW/LEN compressed with raw deflate to OUT. */
awn_status blob_deflate(const char *raw, size_t len, struct buf *out);

/*
 * Write a complete blob of tables T[0..N) to PATH atomically (temporary
 * file beside it, fsync, rename; removed on any failure).
 */
awn_status blob_write_file(const char *path, const struct blob_counts *c,
                           const struct blob_table *t, size_t n,
                           awn_error *err);

/* The same into a malloc'd buffer (caller frees). */
awn_status blob_write_memory(void **data, size_t *len,
                             const struct blob_counts *c,
                             const struct blob_table *t, size_t n,
                             awn_error *err);

#endif /* BLOB_WRITE_H */
