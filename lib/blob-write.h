/*
 * blob-write.h - encoding the blob: integers, compressed blocks, and the
 * header + directory + tables assembled into a file or a buffer.
 */
#ifndef BLOB_WRITE_H
#define BLOB_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "awsnote.h"
#include "blob-format.h"
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

/* Store V little-endian at P[0..4). */
void blob_store_u32(unsigned char *p, uint32_t v);
awn_status blob_put_u32(struct buf *b, uint32_t v);
awn_status blob_put_u64(struct buf *b, uint64_t v);
/* LEB128-style unsigned varint (7 bits a byte, high bit = more). */
awn_status blob_put_varint(struct buf *b, uint64_t v);

/* Varint V stored at P, which has room for BLOB_VARINT_MAX bytes; its
 * length. */
#define BLOB_VARINT_MAX 10
static inline size_t
blob_encode_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/*
 * A packed record table (blob-format.h) written in two passes: _see
 * every record's fields, then _header and _put every record again.
 */
struct blob_packer {
	unsigned nfields; /* at most BLOB_MAX_FIELDS */
	uint32_t max[BLOB_MAX_FIELDS];
	unsigned char width[BLOB_MAX_FIELDS]; /* in bits */
	uint64_t acc;                         /* bits not written yet */
	unsigned nacc;
};

void blob_packer_init(struct blob_packer *k, unsigned nfields);
void blob_packer_see(struct blob_packer *k, const uint32_t *f);
awn_status blob_packer_header(struct blob_packer *k, struct buf *out);
awn_status blob_packer_put(struct blob_packer *k, struct buf *out,
                           const uint32_t *f);
/* The last record's last bits: after the last blob_packer_put. */
awn_status blob_packer_finish(struct blob_packer *k, struct buf *out);

/*
 * Append a packed record table of N records of NFIELDS fields, from V:
 * the fields of record i at V[i * NFIELDS ...].
 */
awn_status blob_put_records(struct buf *b, const uint32_t *v, size_t n,
                            unsigned nfields);

/* One posting: section DELTA (< 2^62), then W = tf << POST_FLAG_BITS |
 * flags; stored at P (room for BLOB_POSTING_MAX bytes), its length.  A
 * posting list is these back to back, so its pieces concatenate. */
#define BLOB_POSTING_MAX (2 * BLOB_VARINT_MAX)
static inline size_t
blob_encode_posting(unsigned char *p, uint64_t delta, uint64_t w)
{
	uint64_t tf = w >> POST_FLAG_BITS;
	size_t n;

	if (tf >= 1 && tf <= POST_TF_INLINE && w == tf << POST_FLAG_BITS)
		return blob_encode_varint(p, delta << POST_TF_BITS | tf);
	n = blob_encode_varint(p, delta << POST_TF_BITS);
	return n + blob_encode_varint(p + n, w);
}
awn_status blob_put_posting(struct buf *b, uint64_t delta, uint64_t w);

/*
 * A raw deflate stream kept from block to block: setting one up
 * allocates and clears ~400 KiB, more than deflating a 16 KiB block
 * costs.  Zero-initialize it; blob_deflater_free ends it.
 */
struct blob_deflater {
	void *z;      /* z_stream, made by the first blob_deflate */
	void *primed; /* z_stream holding the dictionary alone, or NULL */
	int has_dict; /* PRIMED is the dictionary of the blocks to come */
};

/*
 * The preset dictionary DICT/LEN (none if LEN is 0) of the blocks that
 * follow, until the next call.  It is hashed once into a stream of its
 * own, which each block's stream then copies (deflateCopy) instead of
 * hashing the dictionary again: the same bytes out.
 */
awn_status blob_deflater_dict(struct blob_deflater *d, const char *dict,
                              size_t len);
/* Append RAW/LEN compressed with raw deflate to OUT, with the current
 * dictionary. */
awn_status blob_deflate(struct blob_deflater *d, const char *raw, size_t len,
                        struct buf *out);
void blob_deflater_free(struct blob_deflater *d);

/*
 * Write a complete blob of tables T[0..N) to PATH atomically (temporary
 * file beside it, fsync, rename; removed on any failure).
 */
awn_status blob_write_file(const char *path, const struct blob_counts *c,
                           const struct blob_table *t, size_t n,
                           awn_error *err);

/*
 * Write a complete blob of tables T[0..N) into FD, from where it is,
 * unless it would be larger than the process's file size limit
 * (AWN_ERR_LIMIT, nothing written).  A write that fails is AWN_ERR_IO;
 * FD then holds part of a blob, for the caller to throw away.
 */
awn_status blob_write_fd(int fd, const struct blob_counts *c,
                         const struct blob_table *t, size_t n, awn_error *err);

/*
 * Whether blob_write_file could write PATH, told before a build rather
 * than after it: not a directory, and, unless PATH is written straight
 * to (a device, a FIFO), in a directory this user may write (AWN_ERR_IO
 * naming PATH and the reason).  The write itself may still fail.
 */
awn_status blob_check_file(const char *path, awn_error *err);

/* The same into a malloc'd buffer (caller frees). */
awn_status blob_write_memory(void **data, size_t *len,
                             const struct blob_counts *c,
                             const struct blob_table *t, size_t n,
                             awn_error *err);

#endif /* BLOB_WRITE_H */
