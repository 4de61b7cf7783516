/*
 * blob-fix.c - make a damaged blob's checksums agree with its content.
 *
 * Used by the blob fuzz target and by fuzz-mutate (tests/cli/hostile.sh)
 * so that damage reaches the code behind the checksums.  It reads the
 * blob as carefully as the library must: nothing is trusted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "blob-fix.h"
#include "blob-format.h"

uint32_t
blob_fix_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

uint64_t
blob_fix_get64(const uint8_t *p)
{
	return (uint64_t)blob_fix_get32(p) | (uint64_t)blob_fix_get32(p + 4)
	                                         << 32;
}

uint8_t *
blob_fix_dirent(uint8_t *p, uint32_t type)
{
	uint32_t n = blob_fix_get32(p + BH_NTABLES), i;

	for (i = 0; i < n; i++) {
		uint8_t *d = p + BLOB_HEADER_SIZE + i * BLOB_DIRENT_SIZE;
		if (blob_fix_get32(d) == type)
			return d;
	}
	return NULL;
}

void
blob_fix_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

void
blob_fix_put64(uint8_t *p, uint64_t v)
{
	blob_fix_put32(p, (uint32_t)v);
	blob_fix_put32(p + 4, (uint32_t)(v >> 32));
}

/* Is [OFF, OFF+LEN) inside a file of N bytes? */
static int
inside(uint64_t off, uint64_t len, size_t n)
{
	return off <= n && len <= n - off;
}

/* Recompute the CRC of each block record whose bytes are in TEXT. */
static void
fix_blocks(uint8_t *blocks, size_t blen, const uint8_t *text, size_t tlen)
{
	size_t i;

	for (i = 0; i + BLOB_BLOCK_SIZE <= blen; i += BLOB_BLOCK_SIZE) {
		uint8_t *r = blocks + i;
		uint64_t off = blob_fix_get64(r + BB_OFF);
		uint32_t clen = blob_fix_get32(r + BB_CLEN);

		if (inside(off, clen, tlen))
			blob_fix_put32(r + BB_CRC,
			               (uint32_t)crc32(0, text + off, clen));
	}
}

/* Recompute the CRC of each dictionary of TEXT_DICTS table T/TLEN. */
static void
fix_dicts(uint8_t *t, size_t tlen)
{
	uint32_t n, i, start = 0, end;
	const uint8_t *data;

	if (tlen < 4 ||
	    (n = blob_fix_get32(t)) > (tlen - 4) / BLOB_DICT_REC_SIZE)
		return;
	data = t + 4 + (size_t)n * BLOB_DICT_REC_SIZE;
	for (i = 0; i < n; i++, start = end) {
		uint8_t *r = t + 4 + (size_t)i * BLOB_DICT_REC_SIZE;
		end = blob_fix_get32(r + BD_END);
		if (end < start || end > (size_t)(t + tlen - data))
			return;
		blob_fix_put32(r + BD_CRC,
		               (uint32_t)crc32(crc32(0, r, BD_CRC),
		                               data + start, end - start));
	}
}

void
blob_fix_checksums(uint8_t *p, size_t n)
{
	uint32_t ntables, i;
	const uint8_t *d;
	uint8_t *blocks = NULL, *text = NULL, *dicts = NULL;
	size_t blen = 0, tlen = 0, dlen = 0;

	blob_fix_put64(p + BH_FILE_SIZE, n);
	ntables = blob_fix_get32(p + BH_NTABLES);
	if (ntables > BLOB_MAX_TABLES ||
	    BLOB_HEADER_SIZE + (size_t)ntables * BLOB_DIRENT_SIZE > n)
		return;
	d = p + BLOB_HEADER_SIZE;
	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE) {
		uint64_t off = blob_fix_get64(d + 8),
		         len = blob_fix_get64(d + 16);
		if (!inside(off, len, n))
			return;
		if (blob_fix_get32(d) == BT_BLOCKS)
			blocks = p + off, blen = (size_t)len;
		else if (blob_fix_get32(d) == BT_TEXT)
			text = p + off, tlen = (size_t)len;
		else if (blob_fix_get32(d) == BT_TEXT_DICTS)
			dicts = p + off, dlen = (size_t)len;
	}
	if (blocks && text)
		fix_blocks(blocks, blen, text, tlen);
	if (dicts)
		fix_dicts(dicts, dlen);
	blob_fix_index_crc(p, n);
}

void
blob_fix_index_crc(uint8_t *p, size_t n)
{
	uint32_t ntables = blob_fix_get32(p + BH_NTABLES), i;
	const uint8_t *d = p + BLOB_HEADER_SIZE;
	uLong crc = crc32(0, NULL, 0);

	if (ntables > BLOB_MAX_TABLES ||
	    BLOB_HEADER_SIZE + (size_t)ntables * BLOB_DIRENT_SIZE > n)
		return;
	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE)
		if (!inside(blob_fix_get64(d + 8), blob_fix_get64(d + 16), n))
			return;
	d = p + BLOB_HEADER_SIZE;
	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE) {
		uint8_t *dent = p + BLOB_HEADER_SIZE + i * BLOB_DIRENT_SIZE;
		const uint8_t *t = p + blob_fix_get64(d + 8);
		uInt tl = (uInt)blob_fix_get64(d + 16);
		if (blob_fix_get32(d) == BT_TEXT) {
			blob_fix_put32(dent + 4, 0);
			continue;
		}
		blob_fix_put32(dent + 4, (uint32_t)crc32(0, t, tl));
		crc = crc32(crc, t, tl);
	}
	blob_fix_put32(p + BH_INDEX_CRC, (uint32_t)crc);
	crc = crc32(0, p, BH_HEADER_CRC);
	crc =
	    crc32(crc, p + BLOB_HEADER_SIZE, (uInt)ntables * BLOB_DIRENT_SIZE);
	blob_fix_put32(p + BH_HEADER_CRC, (uint32_t)crc);
}
