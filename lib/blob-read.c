/*
 * blob-read.c - validating and reading blobs (format: awsnote(5)).
 *
 * Nothing read from the file is trusted: every count, offset and length
 * is checked against the size of what it points into before it is used.
 */
#include <string.h>

#include <zlib.h>

#include "blob-format.h"
#include "blob-read.h"
#include "error.h"

static const size_t record_size[] = {
    [BT_DOCS] = BLOB_DOC_SIZE,
    [BT_SECTIONS] = BLOB_SECTION_SIZE,
    [BT_BLOCKS] = BLOB_BLOCK_SIZE,
    [BT_ANCHORS] = BLOB_ANCHOR_SIZE,
    [BT_TERM_BLOCKS] = BLOB_TERM_BLOCK_SIZE,
};

static awn_status
corrupt(const struct blob *b, awn_error *err, const char *what)
{
	return error_set(err, AWN_ERR_FORMAT, "%s: corrupt blob (%s)", b->name,
	                 what);
}

static awn_status
check_directory(struct blob *b, uint32_t ntables, awn_error *err)
{
	const unsigned char *d = b->data + BLOB_HEADER_SIZE;
	uint32_t i, type;
	uint64_t off, len;

	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE) {
		type = blob_u32(d);
		off = blob_u64(d + 8);
		len = blob_u64(d + 16);
		if (off > b->size || len > b->size - off)
			return corrupt(b, err, "table outside the file");
		if (type == 0 || type > BT_LAST_KNOWN)
			continue; /* a newer optional table: ignore it */
		if (b->table[type].p != NULL)
			return corrupt(b, err, "table listed twice");
		b->table[type].p = b->data + off;
		b->table[type].len = (size_t)len;
	}
	for (type = 1; type <= BT_LAST_REQUIRED; type++)
		if (b->table[type].p == NULL)
			return corrupt(b, err, "a required table is missing");
	return AWN_OK;
}

static awn_status
check_counts(struct blob *b, awn_error *err)
{
	/* 64 bits, so that no count from the file (all 32-bit, UINT32_MAX
	 * included) can pass for the "any number" mark. */
	const uint64_t count[] = {
	    [BT_DOCS] = b->ndocs,
	    [BT_SECTIONS] = b->nsections,
	    [BT_BLOCKS] = b->nblocks,
	    [BT_ANCHORS] = UINT64_MAX, /* any number */
	    [BT_TERM_BLOCKS] =
	        ((uint64_t)b->nterms + DICT_BLOCK_TERMS - 1) / DICT_BLOCK_TERMS,
	};
	int t;

	for (t = BT_DOCS; t <= BT_LAST_REQUIRED; t++) {
		if (t >= (int)(sizeof(record_size) / sizeof(record_size[0])) ||
		    record_size[t] == 0)
			continue;
		if (b->table[t].len % record_size[t] != 0)
			return corrupt(b, err, "table size");
		if (count[t] != UINT64_MAX &&
		    b->table[t].len / record_size[t] != count[t])
			return corrupt(b, err, "record count");
	}
	return AWN_OK;
}

/* TEXT_DICTS, checked whole so that blob_inflate can trust it. */
static awn_status
check_dicts(struct blob *b, awn_error *err)
{
	const struct blob_slice *t = &b->table[BT_TEXT_DICTS];
	const unsigned char *r;
	uint32_t n, i, end = 0, first = 0;
	size_t data;

	if (t->len == 0)
		return AWN_OK;
	if (t->len < 4 || (n = blob_u32(t->p)) == 0 ||
	    n > (t->len - 4) / BLOB_DICT_REC_SIZE)
		return corrupt(b, err, "dictionary table");
	data = t->len - 4 - (size_t)n * BLOB_DICT_REC_SIZE;
	for (i = 0, r = t->p + 4; i < n; i++, r += BLOB_DICT_REC_SIZE) {
		uint32_t f = blob_u32(r), e = blob_u32(r + 4);
		if ((i > 0 && f <= first) || e < end || e > data ||
		    e - end > BLOB_DICT_MAX)
			return corrupt(b, err, "dictionary table");
		first = f;
		end = e;
	}
	b->ndicts = n;
	return AWN_OK;
}

awn_status
blob_check_index(const struct blob *b, awn_error *err)
{
	const unsigned char *d = b->data + BLOB_HEADER_SIZE;
	uint32_t ntables = blob_u32(b->data + BH_NTABLES), i;
	uLong crc = crc32(0, NULL, 0);

	/* Directory order, every table but TEXT, as the writer summed it. */
	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE) {
		uint64_t off = blob_u64(d + 8), len = blob_u64(d + 16);
		if (blob_u32(d) == BT_TEXT)
			continue;
		while (len > 0) {
			uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
			crc = crc32(crc, b->data + off, n);
			off += n;
			len -= n;
		}
	}
	if ((uint32_t)crc != b->index_crc)
		return corrupt(b, err, "index checksum mismatch");
	return AWN_OK;
}

awn_status
blob_open(struct blob *b, const void *data, size_t size, const char *name,
          awn_error *err)
{
	uint32_t ntables, version;
	uLong crc;
	awn_status st;

	memset(b, 0, sizeof(*b));
	b->data = data;
	b->size = size;
	b->name = name;
	if (size < BLOB_MAGIC_LEN ||
	    memcmp(b->data, BLOB_MAGIC, BLOB_MAGIC_LEN) != 0)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: not an awsnote blob (bad magic)", name);
	if (size < BLOB_HEADER_SIZE)
		return corrupt(b, err, "truncated header");
	version = blob_u32(b->data + BH_VERSION);
	if (version != BLOB_VERSION)
		return error_set(err, AWN_ERR_VERSION,
		                 "%s: blob format version %u, this awsnote "
		                 "reads version %u (rebuild it with "
		                 "awsnote-index)",
		                 name, version, BLOB_VERSION);
	if (blob_u64(b->data + BH_FILE_SIZE) != size)
		return error_set(
		    err, AWN_ERR_FORMAT,
		    "%s: corrupt blob (file is %zu bytes, header "
		    "says %llu: truncated or appended to)",
		    name, size,
		    (unsigned long long)blob_u64(b->data + BH_FILE_SIZE));
	ntables = blob_u32(b->data + BH_NTABLES);
	if (ntables > BLOB_MAX_TABLES ||
	    BLOB_HEADER_SIZE + (size_t)ntables * BLOB_DIRENT_SIZE > size)
		return corrupt(b, err, "table directory");
	crc = crc32(0, b->data, BH_HEADER_CRC);
	crc = crc32(crc, b->data + BLOB_HEADER_SIZE,
	            (uInt)ntables * BLOB_DIRENT_SIZE);
	if ((uint32_t)crc != blob_u32(b->data + BH_HEADER_CRC))
		return corrupt(b, err, "header checksum mismatch");
	b->nsections = blob_u32(b->data + BH_NSECTIONS);
	b->ndocs = blob_u32(b->data + BH_NDOCS);
	b->nterms = blob_u32(b->data + BH_NTERMS);
	b->nblocks = blob_u32(b->data + BH_NBLOCKS);
	b->total_tokens = blob_u64(b->data + BH_TOTAL_TOKENS);
	b->index_crc = blob_u32(b->data + BH_INDEX_CRC);
	if ((st = check_directory(b, ntables, err)) ||
	    (st = check_counts(b, err)) || (st = check_dicts(b, err)))
		return st;
	if (size - b->table[BT_TEXT].len <= BLOB_EAGER_CRC_MAX)
		return blob_check_index(b, err);
	return AWN_OK;
}

int
blob_string(const struct blob *b, uint32_t off, uint32_t len, const char **s)
{
	const struct blob_slice *t = &b->table[BT_STRINGS];

	if (off > t->len || len > t->len - off)
		return -1;
	*s = (const char *)t->p + off;
	return 0;
}

int
blob_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;

	while (*p < end && shift < 64) {
		unsigned char c = *(*p)++;
		x |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

/* Inflate block BLOCK's TEXT bytes into OUT, with DICT/DICT_LEN as
 * preset dictionary when DICT_LEN > 0. */
static awn_status
inflate_block(const struct blob *b, uint32_t block, const unsigned char *dict,
              size_t dict_len, struct buf *out, awn_error *err)
{
	const struct blob_slice *text = &b->table[BT_TEXT];
	const unsigned char *rec =
	    b->table[BT_BLOCKS].p + (size_t)block * BLOB_BLOCK_SIZE;
	uint64_t off = blob_u64(rec + BB_OFF);
	uint32_t clen = blob_u32(rec + BB_CLEN), rlen = blob_u32(rec + BB_RLEN);
	z_stream z;
	awn_status st;
	int zr;

	if (off > text->len || clen > text->len - off || rlen > BLOB_BLOCK_MAX)
		return corrupt(b, err, "block outside the text table");
	buf_reset(out);
	if ((st = buf_reserve(out, rlen)) != AWN_OK)
		return error_set(err, st, "%s: %s", b->name, awn_strerror(st));
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return error_set(err, AWN_ERR_NOMEM, "%s: out of memory",
		                 b->name);
	zr = dict_len == 0 ? Z_OK
	                   : inflateSetDictionary(&z, dict, (uInt)dict_len);
	z.next_in = (Bytef *)(text->p + off);
	z.avail_in = clen;
	z.next_out = (Bytef *)out->data;
	z.avail_out = rlen;
	if (zr == Z_OK)
		zr = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	/* A damaged dictionary shows here or in the checksum. */
	if (zr != Z_STREAM_END || z.total_out != rlen || z.avail_in != 0)
		return corrupt(b, err, "text block does not inflate");
	out->len = rlen;
	if ((uint32_t)crc32(0, (const Bytef *)out->data, rlen) !=
	    blob_u32(rec + BB_CRC))
		return corrupt(b, err, "text block checksum mismatch");
	return AWN_OK;
}

/* BLOCK's dictionary (check_dicts vetted the table): *LEN = 0 for none. */
static const unsigned char *
block_dict(const struct blob *b, uint32_t block, size_t *len)
{
	const unsigned char *recs = b->table[BT_TEXT_DICTS].p + 4;
	uint32_t lo = 0, hi = b->ndicts, start;

	*len = 0;
	while (lo < hi) { /* first record whose first block > BLOCK */
		uint32_t mid = lo + (hi - lo) / 2;
		if (blob_u32(recs + (size_t)mid * BLOB_DICT_REC_SIZE) <= block)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	recs += (size_t)(lo - 1) * BLOB_DICT_REC_SIZE;
	start = lo > 1 ? blob_u32(recs - BLOB_DICT_REC_SIZE + 4) : 0;
	*len = blob_u32(recs + 4) - start;
	return b->table[BT_TEXT_DICTS].p + 4 +
	       (size_t)b->ndicts * BLOB_DICT_REC_SIZE + start;
}

awn_status
blob_inflate(const struct blob *b, uint32_t block, struct buf *out,
             awn_error *err)
{
	const unsigned char *dict;
	size_t dict_len;

	if (block >= b->nblocks)
		return corrupt(b, err, "block number");
	dict = block_dict(b, block, &dict_len);
	return inflate_block(b, block, dict, dict_len, out, err);
}
