/*
 * blob-read.h - validated, bounds-checked access to a blob in memory.
 *
 * blob_open checks everything that can be checked cheaply (magic,
 * version, size, header CRC, table bounds, record counts, and the index
 * CRC when the index is small); every accessor checks the offsets it
 * follows, so a corrupt blob yields AWN_ERR_FORMAT, never a bad read.
 */
#ifndef BLOB_READ_H
#define BLOB_READ_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "blob-format.h"
#include "buf.h"

/* Index CRCs of blobs up to this size are checked at every open. */
#define BLOB_EAGER_CRC_MAX ((size_t)8 << 20)

struct blob_slice {
	const unsigned char *p;
	size_t len;
};

struct blob {
	const unsigned char *data; /* not owned */
	size_t size;
	const char *name; /* for messages; not owned */
	struct blob_slice table[BT_LAST_KNOWN + 1]; /* by type; optional ones
	                                          may be empty */
	uint32_t nsections, ndocs, nterms, nblocks;
	uint64_t total_tokens;
	uint32_t index_crc;
	uint32_t ndicts; /* records in TEXT_DICTS */
};

static inline uint32_t
blob_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t
blob_u64(const unsigned char *p)
{
	return (uint64_t)blob_u32(p) | (uint64_t)blob_u32(p + 4) << 32;
}

/* Validate DATA/SIZE as a blob and fill *B. */
awn_status blob_open(struct blob *b, const void *data, size_t size,
                     const char *name, awn_error *err);

/* Check the index CRC (blob_open does so itself for small blobs). */
awn_status blob_check_index(const struct blob *b, awn_error *err);

/* Slice [OFF, OFF+LEN) of the string pool; -1 if out of bounds. */
int blob_string(const struct blob *b, uint32_t off, uint32_t len,
                const char **s);

/* Decode a varint at *P (< END), advancing *P; -1 if malformed. */
int blob_varint(const unsigned char **p, const unsigned char *end, uint64_t *v);

/* Inflate block BLOCK into OUT (replacing its content), CRC-checked. */
awn_status blob_inflate(const struct blob *b, uint32_t block, struct buf *out,
                        awn_error *err);

#endif /* BLOB_READ_H */
