/*
 * blob-format.h - layout constants of the awsnote blob, format version 1.
 *
 * man/awsnote.5 is the specification; this header only names its numbers
 * for blob-write.c and blob-read.c.  All integers are little-endian and
 * read byte by byte, so the file has no alignment requirements.
 *
 *   header (64 bytes) | table directory | tables ...
 *
 * The TEXT table holds the raw-deflate compressed section text blocks;
 * every other table is "index" and is covered by the index CRC, and by
 * its own CRC in its directory entry (checked lazily, blob-read.h).
 */
#ifndef BLOB_FORMAT_H
#define BLOB_FORMAT_H

#define BLOB_MAGIC                                                             \
	"\x89"                                                                 \
	"AWN\r\n\x1a\n"
#define BLOB_MAGIC_LEN 8
#define BLOB_VERSION   1

#define BLOB_HEADER_SIZE 64
/* Directory entry: type, CRC-32 of the table (0 for TEXT), offset, length. */
#define BLOB_DIRENT_SIZE 24
#define BLOB_MAX_TABLES  64

/* Header field offsets. */
#define BH_MAGIC        0
#define BH_VERSION      8
#define BH_FLAGS        12
#define BH_FILE_SIZE    16
#define BH_NTABLES      24
#define BH_NSECTIONS    28
#define BH_NDOCS        32
#define BH_NTERMS       36
#define BH_NBLOCKS      40
#define BH_RESERVED     44
#define BH_TOTAL_TOKENS 48
#define BH_INDEX_CRC    56
#define BH_HEADER_CRC   60

/* Table types. */
enum blob_table_type {
	BT_STRINGS = 1,     /* string pool, raw bytes */
	BT_DOCS = 2,        /* BLOB_DOC_SIZE records */
	BT_SECTIONS = 3,    /* BLOB_SECTION_SIZE records */
	BT_TERMS = 4,       /* front-coded term dictionary (dict.h) */
	BT_POSTINGS = 5,    /* varint posting lists */
	BT_BLOCKS = 6,      /* BLOB_BLOCK_SIZE records */
	BT_ANCHORS = 7,     /* BLOB_ANCHOR_SIZE records, sorted by anchor */
	BT_TEXT = 8,        /* compressed text blocks */
	BT_TERM_BLOCKS = 9, /* BLOB_TERM_BLOCK_SIZE records: dictionary index */
	BT_LAST_REQUIRED = 9,
	BT_TERM_GRAMS = 10,  /* optional: trigram index of the dictionary */
	BT_BLOCK_GRAMS = 11, /* optional: per-block trigram filters */
	BT_LAST_KNOWN = 11,
};

/* DOCS record: name (off, len), first section, section count. */
#define BLOB_DOC_SIZE 16

/*
 * SECTIONS record: parent, end, doc, level(1 byte)+3 zero bytes,
 * title (off, len), anchor (off, len), block, offset in block, text
 * length, body token count.
 */
#define BLOB_SECTION_SIZE 48
#define BS_PARENT         0
#define BS_END            4
#define BS_DOC            8
#define BS_LEVEL          12
#define BS_TITLE_OFF      16
#define BS_TITLE_LEN      20
#define BS_ANCHOR_OFF     24
#define BS_ANCHOR_LEN     28
#define BS_BLOCK          32
#define BS_TEXT_OFF       36
#define BS_TEXT_LEN       40
#define BS_TOKENS         44

/*
 * TERMS: the dictionary in blocks of DICT_BLOCK_TERMS terms, sorted by
 * bytes.  Each term: varint bytes shared with the previous term of its
 * block (0 for a block's first), varint suffix length, the suffix,
 * varint df (sections containing it), varint length of its posting list.
 * TERM_BLOCKS record: offset of the block in TERMS, then the offset (u64)
 * in POSTINGS of its first term's list; later lists follow contiguously.
 */
#define DICT_BLOCK_TERMS     32
#define BLOB_TERM_BLOCK_SIZE 12

/*
 * TERM_GRAMS: u32 gram count N, then N records { 3 gram bytes, u32 end
 * offset of its list } sorted by gram, then the lists back to back: term
 * ordinals as varint deltas (a list runs from the previous record's end
 * offset, or 0, to its own).  A gram is three bytes of "$term$".  Terms
 * that are mostly digits or longer than FUZZY_MAX_LEN bytes are not
 * listed.
 */
#define BLOB_GRAM_SIZE 7
#define GRAM_PAD       '$'

/*
 * BLOCK_GRAMS: one PREFILTER_BYTES bitmap per text block, in block order:
 * bit h(a,b,c) is set when the trigram abc (ASCII letters folded) occurs
 * in a line of the block's plain text (prefilter.h).
 */

/* BLOCKS record: offset (u64) in TEXT, compressed length, raw length,
 * CRC-32 of the compressed bytes, first section. */
#define BLOB_BLOCK_SIZE 24
#define BB_OFF          0
#define BB_CLEN         8
#define BB_RLEN         12
#define BB_CRC          16
#define BB_FIRST        20

/* ANCHORS record: anchor (off, len) in STRINGS, section. */
#define BLOB_ANCHOR_SIZE 12

/* Posting flags, in the low bits of each posting's second varint. */
#define POST_IN_TITLE  1u /* term occurs in the section's own title */
#define POST_RESERVED  2u /* 0 in version 1 (an ancestor title bit once) */
#define POST_FLAG_BITS 2

/* Text blocks hold whole sections; this is the target raw size. */
#define BLOB_BLOCK_TARGET (8u * 1024)
/* Largest raw block (one huge section) a reader will inflate. */
#define BLOB_BLOCK_MAX (256u * 1024 * 1024)

#endif /* BLOB_FORMAT_H */
