/*
 * blob-read.h - validated, bounds-checked access to a blob in memory.
 *
 * blob_open checks everything that can be checked cheaply (magic,
 * version, size, header CRC, table bounds, record counts, and the CRCs
 * of the small tables every use reads); the dictionary tables are
 * CRC-checked when first used (blob_check_tables), so a regex search
 * never pays for them, nor a lookup for the typo index it does not
 * need.  Every accessor checks the offsets it follows, so a corrupt
 * blob yields AWN_ERR_FORMAT, never a bad read.
 */
#ifndef BLOB_READ_H
#define BLOB_READ_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "awsnote.h"
#include "blob-format.h"
#include "buf.h"

/*
 * Tables up to this size are CRC-checked before their first use; larger
 * ones only by --verify (blob_check_index), so that the cost of a lookup
 * does not grow with the blob.
 */
#define BLOB_LAZY_CRC_MAX ((size_t)64 << 10)

#define BLOB_TABLE_BIT(type) (1u << (type))
/* Read by every use of a blob: checked at open.  BLOCK_GRAMS only by
 * regex searches (db_check_filters): not every lookup's. */
#define BLOB_CORE_TABLES                                                       \
	(BLOB_TABLE_BIT(BT_STRINGS) | BLOB_TABLE_BIT(BT_SECTIONS) |            \
	 BLOB_TABLE_BIT(BT_BLOCKS))
/* The term dictionary and its posting lists (keyword lookups). */
#define BLOB_DICT_TABLES                                                       \
	(BLOB_TABLE_BIT(BT_TERMS) | BLOB_TABLE_BIT(BT_TERM_BLOCKS) |           \
	 BLOB_TABLE_BIT(BT_POSTINGS) | BLOB_TABLE_BIT(BT_TITLE_INFO) |         \
	 BLOB_TABLE_BIT(BT_POST_SKIPS) | BLOB_TABLE_BIT(BT_TERM_KEYS))

struct blob_slice {
	const unsigned char *p;
	size_t len;
};

/* A packed record table (blob-format.h), validated by blob_open. */
struct blob_records {
	const unsigned char *p;         /* record 0 */
	size_t bytes;                   /* from p to the table's end */
	uint32_t n;                     /* records */
	uint32_t size;                  /* bits a record */
	uint8_t width[BLOB_MAX_FIELDS]; /* in bits */
	uint16_t off[BLOB_MAX_FIELDS];  /* in bits, in the record */
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
	uint32_t table_crc[BT_LAST_KNOWN + 1];
	/* Tables whose CRC has been checked (or is not checked per use):
	 * a cache, updated through const pointers, never the blob's bytes. */
	uint32_t checked;
	uint32_t ndicts; /* records in TEXT_DICTS */
	/* ORIGINS checked whole: the same kind of cache.  Here, in what
	 * was padding: a larger struct db_part made every lookup's
	 * db->part[i] cost more (bench/cost). */
	int origins_checked;
	/* TEXT_DICTS records whose dictionary's CRC has been checked, a bit
	 * each: the same kind of cache, made at the first (blob_close). */
	unsigned char *dicts_checked;
	struct blob_records docs, sections, anchors;
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

/* One block of DOC_NAMES, decoded (blob_doc_names). */
struct blob_names {
	struct blob_names *next; /* free for the caller's use */
	uint32_t n;              /* names */
	uint32_t off[DOC_NAME_BLOCK], len[DOC_NAME_BLOCK]; /* in bytes */
	char bytes[];
};

/*
 * Decode block K (< its count) of B's DOC_NAMES into a malloc'd
 * struct blob_names *OUT (caller frees with alloc_free); AWN_ERR_FORMAT
 * if it is malformed.
 */
awn_status blob_doc_names(const struct blob *b, uint32_t k,
                          struct blob_names **out);

/*
 * The first name of block K of B's DOC_NAMES, stored whole, as a slice
 * of the blob (*S, *LEN), without decoding the rest of the block: what a
 * binary search over the blocks reads.  AWN_ERR_FORMAT (and an empty
 * slice) if K is out of range or the name is malformed.
 */
awn_status blob_doc_name_first(const struct blob *b, uint32_t k, const char **s,
                               size_t *len);

/* Field F of record I (< T->n) of packed table T: at most 5 bytes, all
 * inside the table; one 8-byte load where 8 bytes are (ranking reads
 * hundreds of records a lookup). */
static inline uint32_t
blob_field(const struct blob_records *t, uint32_t i, unsigned f)
{
	uint64_t bit = (uint64_t)i * t->size + t->off[f], v = 0;
	const unsigned char *q = t->p + bit / 8;
	unsigned sh = (unsigned)(bit % 8), w = t->width[f], k;

	if (bit / 8 + 8 <= t->bytes)
		v = blob_u64(q);
	else
		for (k = 0; k * 8 < sh + w; k++)
			v |= (uint64_t)q[k] << (8 * k);
	return (uint32_t)(v >> sh & ((UINT64_C(1) << w) - 1));
}

/* Validate DATA/SIZE as a blob and fill *B. */
awn_status blob_open(struct blob *b, const void *data, size_t size,
                     const char *name, awn_error *err);

/* Free what B's caches hold (its bytes are the caller's). */
void blob_close(struct blob *b);

/* Check the index CRC and every table's CRC, whatever their size. */
awn_status blob_check_index(const struct blob *b, awn_error *err);

/* Check the CRC of each table in MASK (BLOB_TABLE_BITs) not checked yet. */
awn_status blob_check_tables(const struct blob *b, uint32_t mask,
                             awn_error *err);

/*
 * Term ORDINAL's entries in TITLE_INFO (blob-format.h) in *P..*END, both
 * NULL if it has none: 1; 0 if the blob has no TITLE_INFO of the shape
 * this reader knows (then the SECTIONS records say the same); -1 if the
 * table is corrupt.
 */
int blob_title_info(const struct blob *b, uint32_t ordinal,
                    const unsigned char **p, const unsigned char **end);

/*
 * Term ORDINAL's blocks in POST_SKIPS (blob-format.h) in *P..*END, with
 * *BSIZE postings a block: 1; 0 if the blob has no such table or the
 * term is not in it (then its list is decoded whole); -1 if the table is
 * corrupt.  The blocks themselves are the caller's to check.
 */
int blob_post_skips(const struct blob *b, uint32_t ordinal, uint32_t *bsize,
                    const unsigned char **p, const unsigned char **end);

/* HTML_NAMES's hash of the name S/N (blob-format.h); the writer's too. */
uint64_t blob_name_hash(const char *s, size_t n);

/*
 * The records of HTML_NAMES with HASH: *FIRST is the index of the first,
 * and the count is returned (0 when the blob has none, or no table of a
 * shape this reader knows).  blob_name_section gives record I's section,
 * which the caller must check against the section count.
 */
uint32_t blob_names_with(const struct blob *b, uint64_t hash, uint32_t *first);
uint32_t blob_name_section(const struct blob *b, uint32_t i);

/*
 * The number of SOURCES records (blob-format.h), each checked; 0 when the
 * blob has none, or no table of a shape this reader knows.
 * blob_source gives record I's first document and directory (*DIR, *LEN:
 * in the blob) for I below that number.
 */
uint32_t blob_sources(const struct blob *b);
uint32_t blob_source(const struct blob *b, uint32_t i, const char **dir,
                     size_t *len);

/*
 * The number of SUFFIXES records (blob-format.h), checked; 0 when the
 * blob has none, or no table of a shape this reader knows.
 * blob_suffix gives record K (K below that number); blob_doc_markdown
 * whether local document DOC is one of the N.
 */
uint32_t blob_suffixes(const struct blob *b);
uint32_t blob_suffix(const struct blob *b, uint32_t k);
int blob_doc_markdown(const struct blob *b, uint32_t n, uint32_t doc);

/*
 * Where local section SECTION of local document DOC was read
 * (ORIGINS, blob-format.h): the root directory in *DIR, *DIR_LEN (a
 * slice of the blob; length 0 when not known), in *SUFFIX the file's
 * suffix after the document's stored name (".md", ".markdown" or "",
 * static), and the heading's line in *LINE.  The table is checked
 * whole (its CRC, whatever its size, and its records) at the first
 * call.  AWN_ERR_FORMAT, with ERR naming the blob, if it is damaged or
 * the blob has none (written before it: ERR says so).
 */
awn_status blob_origin(const struct blob *b, uint32_t section, uint32_t doc,
                       const char **dir, size_t *dir_len, const char **suffix,
                       uint32_t *line, awn_error *err);

/* Slice [OFF, OFF+LEN) of the string pool; -1 if out of bounds. */
int blob_string(const struct blob *b, uint32_t off, uint32_t len,
                const char **s);

/* Decode a varint at *P (< END), advancing *P; -1 if malformed.  Inline:
 * a lookup decodes thousands of postings and dictionary entries. */
static inline int
blob_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;

	if (*p < end && **p < 0x80) { /* most are one byte */
		*v = *(*p)++;
		return 0;
	}
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

/* Decode a posting at *P (< END) into its section DELTA and W = tf <<
 * POST_FLAG_BITS | flags, advancing *P; -1 if malformed. */
static inline int
blob_posting(const unsigned char **p, const unsigned char *end, uint64_t *delta,
             uint64_t *w)
{
	uint64_t v;

	if (blob_varint(p, end, &v) < 0)
		return -1;
	*delta = v >> POST_TF_BITS;
	v &= (1u << POST_TF_BITS) - 1;
	if (v != 0) {
		*w = v << POST_FLAG_BITS;
		return 0;
	}
	return blob_varint(p, end, w);
}

/*
 * A text block inflated on demand: blob_block_open checks the block's
 * record and CRC, blob_block_need inflates on until OUT holds at least
 * UPTO bytes (or the whole block), so a lookup inflates only as far as
 * the section it prints.
 */
struct blob_block {
	z_stream z;
	int z_ready;             /* z initialised */
	const struct blob *blob; /* the blob of the open block, or NULL */
	uint32_t block, rlen;
	const char *data; /* the raw bytes so far, LEN of them: OUT's, or */
	size_t len;       /* the blob's own when the block is stored */
	struct buf out;   /* what inflating gave */
};

void blob_block_init(struct blob_block *t);
void blob_block_free(struct blob_block *t);
awn_status blob_block_open(struct blob_block *t, const struct blob *b,
                           uint32_t block, awn_error *err);
awn_status blob_block_need(struct blob_block *t, size_t upto, awn_error *err);

#endif /* BLOB_READ_H */
