/*
 * blob-fix.h - recompute a blob's checksums (a test helper).
 */
#ifndef BLOB_FIX_H
#define BLOB_FIX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Make the file size field, every block CRC whose block inflates, the
 * index CRC and the header CRC of the blob P/N (N >= BLOB_HEADER_SIZE)
 * agree with its content, as far as its directory can be followed.
 */
void blob_fix_checksums(uint8_t *p, size_t n);

/* Only the table CRCs, the index CRC and the header CRC (the CRCs of
 * blocks and dictionaries stay as they are). */
void blob_fix_index_crc(uint8_t *p, size_t n);

/* The directory entry of table TYPE in the well-formed blob P (a test's
 * own), or NULL. */
uint8_t *blob_fix_dirent(uint8_t *p, uint32_t type);

/* Little-endian fields, as the format stores them. */
uint32_t blob_fix_get32(const uint8_t *p);
uint64_t blob_fix_get64(const uint8_t *p);
void blob_fix_put32(uint8_t *p, uint32_t v);
void blob_fix_put64(uint8_t *p, uint64_t v);

#endif /* BLOB_FIX_H */
