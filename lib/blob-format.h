/*
 * blob-format.h - layout constants of the awsnote blob, format version 2.
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
#define BLOB_VERSION   2

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
	BT_DOCS = 2,        /* packed records, DOC_FIELDS */
	BT_SECTIONS = 3,    /* packed records, SECTION_FIELDS */
	BT_TERMS = 4,       /* front-coded term dictionary (dict.h) */
	BT_POSTINGS = 5,    /* varint posting lists */
	BT_BLOCKS = 6,      /* BLOB_BLOCK_SIZE records */
	BT_ANCHORS = 7,     /* packed records, ANCHOR_FIELDS, sorted */
	BT_TEXT = 8,        /* compressed text blocks */
	BT_TERM_BLOCKS = 9, /* BLOB_TERM_BLOCK_SIZE records: dictionary index */
	BT_LAST_REQUIRED = 9,
	BT_TERM_GRAMS = 10,  /* optional: trigram index of the dictionary */
	BT_BLOCK_GRAMS = 11, /* optional: per-block trigram filters */
	BT_TEXT_DICTS = 13,  /* optional: preset dictionaries of text blocks */
	BT_DOC_NAMES = 14,   /* front-coded document names */
	BT_TITLE_INFO = 15,  /* optional: title postings' section fields */
	BT_HTML_NAMES =
	    16,          /* optional: <a name> tags other documents link to */
	BT_SOURCES = 17, /* optional: where the paths of a build lay */
	BT_POST_SKIPS = 18, /* optional: blocks of the long posting lists */
	BT_SUFFIXES = 19,   /* optional: documents read from NAME.markdown */
	BT_ORIGINS = 20,    /* optional: each section's file and line */
	BT_TERM_KEYS = 21,  /* optional: sampled first terms of TERMS blocks */
	BT_LAST_KNOWN = 21,
};

/*
 * TITLE_INFO (awsnote(5)): u32 block count (one block a TITLE_INFO_TERMS
 * terms, in TERMS order), a u32 offset of each block from the start of
 * the table, then the blocks: for each term of the block with title
 * postings, varint (ordinal mod TITLE_INFO_TERMS, ascending), varint
 * byte length, and for each of its title postings in list order three
 * varints: subtree size (SF_END_AHEAD), body length (SF_TOKENS), and
 * title length << 1 | 1 if the section has no parent.
 */
#define TITLE_INFO_TERMS 32

/*
 * DOCS, SECTIONS and ANCHORS are packed record tables: u8 field count F
 * (as below, exactly), F u8 field widths in bits (1 to 32; writers use
 * the fewest that hold the field's largest value, and widen the last to
 * make a record at least 8 bits), then the records as one bit string,
 * each field least significant bit first, from bit 0 of each byte; the
 * last byte is completed with zeros.  Record size S = sum of the widths;
 * record count = (table length - 1 - F) * 8 / S, which must be the
 * header's count, and give back the length as (count * S + 7) / 8.
 */
#define BLOB_MAX_FIELDS 12

/* DOCS fields (the names are in DOC_NAMES). */
enum {
	DF_FIRST, /* first section */
	DF_COUNT, /* section count */
	DOC_FIELDS
};

/*
 * DOC_NAMES: the documents' names, front-coded in blocks of
 * DOC_NAME_BLOCK: u32 block count B (ndocs / DOC_NAME_BLOCK rounded
 * up), B u32 end offsets of the blocks (from the end of this index),
 * then the blocks.  Each name: varint bytes shared with the previous
 * name of its block (0 for a block's first), varint suffix length, the
 * suffix.  Names are at most DOC_NAME_MAX bytes.
 */
#define DOC_NAME_BLOCK 16
#define DOC_NAME_MAX   65535
/* Blocks of DOC_NAMES for NDOCS documents. */
#define DOC_NAME_BLOCKS(ndocs)                                                 \
	(((uint64_t)(ndocs) + DOC_NAME_BLOCK - 1) / DOC_NAME_BLOCK)

/*
 * SECTIONS fields.  Parent and end are relative to the section's own
 * number i: parent = i - back (back 0: no parent), end = i + ahead.
 */
enum {
	SF_PARENT_BACK,
	SF_END_AHEAD,
	SF_DOC,
	SF_LEVEL,
	SF_TITLE_OFF, /* title (string) */
	SF_TITLE_LEN,
	SF_ANCHOR, /* 0: the slug of the title; else 1 + the length of the
	              anchor, whose bytes follow the title's in STRINGS */
	SF_BLOCK,
	SF_TEXT_OFF, /* offset of its text in the inflated block */
	SF_TEXT_LEN,
	SF_TOKENS, /* body token count */
	SECTION_FIELDS
};

/* ANCHORS: one field, a section with a non-empty anchor; sorted by that
 * anchor (the section's own string), then by section. */
enum { AF_SECTION, ANCHOR_FIELDS };

/*
 * TERMS: the dictionary in blocks of DICT_BLOCK_TERMS terms, sorted by
 * bytes.  Each term: a nibble pair of the bytes shared with the previous
 * term of its block (0 for a block's first) and the suffix length, the
 * suffix, a nibble pair of df - 1 (df: sections containing it) and the
 * length of its posting list minus df.  A nibble pair is a byte, the
 * first number in its high nibble and the second in its low; a nibble of
 * DICT_NIBBLE stands for DICT_NIBBLE plus a varint that follows (the
 * first number's before the second's).
 * TERM_BLOCKS record: offset of the block in TERMS, then the offset (u64)
 * in POSTINGS of its first term's list; later lists follow contiguously.
 */
#define DICT_BLOCK_TERMS     32
#define DICT_NIBBLE          15
#define BLOB_TERM_BLOCK_SIZE 12

/*
 * TERM_KEYS: u32 stride S, then for dictionary blocks 0, S, 2S, ... the
 * first DICT_KEY_SIZE bytes of the block's first term, zero-padded.  A
 * binary search over these keys narrows a lookup to a few blocks, so it
 * reads TERMS where the term is instead of probing pages all over it.
 */
#define DICT_KEY_SIZE   8
#define DICT_KEY_STRIDE 32

/*
 * TERM_GRAMS: u32 gram count N, then N records { 3 gram bytes, u32 end
 * offset of its list } sorted by gram, then the lists back to back (a
 * list runs from the previous record's end offset, or 0, to its own):
 * varint count, then the term ordinals in a binary interpolative code
 * over [0, nterms) (fuzzy.c; version 1 had varint deltas).  A gram is three
 * bytes of "$term$".  Terms that are mostly digits or longer than FUZZY_MAX_LEN
 * letters (code points; bytes before 2026-11-27) are not listed, nor, from
 * FUZZY_RARE_SECTIONS sections on, terms of df 1.
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

/*
 * TEXT_DICTS: u32 count N, then N records { u32 first block, u32 end
 * offset of its dictionary, u32 CRC-32 }, then the dictionaries back to
 * back (one runs from the previous record's end offset, or 0, to its
 * own; at most BLOB_DICT_MAX bytes).  A dictionary is the preset deflate
 * dictionary of the blocks from its first block up to the next record's;
 * records ascend by first block; blocks before the first record's have
 * none.  The CRC covers the record's first 8 bytes, then the dictionary,
 * so a dictionary never serves blocks it was not made for.  How the
 * writer picks dictionaries: text-write.h.
 */
#define BLOB_DICT_REC_SIZE 12
#define BD_FIRST           0
#define BD_END             4
#define BD_CRC             8
#define BLOB_DICT_MAX      32768u /* deflate's window */

/*
 * POSTINGS: a posting is varint (section delta << POST_TF_BITS | t);
 * t = 1..3 is tf with no flags, the common case, in one byte mostly;
 * t = 0 is followed by varint (tf << POST_FLAG_BITS | flags).
 */
#define POST_TF_BITS   2
#define POST_TF_INLINE 3u /* largest tf stored in the first varint */
#define POST_IN_TITLE  1u /* term occurs in the section's own title */
#define POST_RESERVED  2u /* 0 (an ancestor title bit once) */
#define POST_FLAG_BITS 2

/*
 * POST_SKIPS (awsnote(5)): the posting lists of POST_SKIP_MIN postings
 * or more cut into blocks of B postings, so that a lookup decodes only
 * the blocks its seeks land in.  u32 B (a power of two, POST_SKIP_B_MIN
 * to POST_SKIP_B_MAX), u32 list count N, N records { u32 term ordinal,
 * u32 end offset of its blocks }, ordinals ascending, then the lists'
 * blocks back to back (a list's run from the previous record's end
 * offset, or 0, counted from the end of the records, to its own).  Each
 * block, ceil(df / B) of them in list order: five varints, its first
 * section minus the previous block's (block 0: the section itself), its
 * byte offset in the list minus the previous block's (block 0: 0), its
 * title postings T, the largest tf of its other postings (0 if none),
 * and the sum of its postings' tf (each at most 2^32 - 1); then T
 * varints, the sections of its title postings, each minus the one
 * before (the first minus the block's first section).  POSTINGS is
 * unchanged: a block's first posting keeps its delta from the last of
 * the block before.
 */
#define POST_SKIP_B     128u
#define POST_SKIP_B_MIN 16u
#define POST_SKIP_B_MAX 4096u
#define POST_SKIP_MIN   4096u
#define POST_SKIP_REC   8

/*
 * HTML_NAMES: records { u64 hash, u32 section }, sorted by hash, then by
 * section.  Each is the name an <a name="..."> or <a id="..."> tag gives
 * in that section, hashed by blob_name_hash (FNV-1a 64 of its bytes,
 * ASCII letters lower-cased; 0 becomes 1), for links "x.md#name" of this
 * blob or of another read with it; a reader takes the record whose
 * section is in the linked document.  The writer keeps every name when
 * there are few, else those a link of this blob ends with (builder.c).
 */
#define BLOB_NAME_REC_SIZE 12

/*
 * SOURCES: u32 count (at least 2), then that many records { u32 first
 * document, u32 offset, u32 length } of the directory the documents
 * from that one on are named from, its bytes at that offset from the
 * table's start: a path below the deepest directory holding all of
 * them ("" for that one), components between single '/', none "." or
 * "..".  First documents ascend from 0.  Written when the paths given
 * to one build lie in more than one directory, for links that leave a
 * path's notes ("../b.md").
 */
#define BLOB_SOURCE_REC_SIZE 12

/*
 * SUFFIXES: u32 count (at least 1), then that many u32 documents,
 * ascending, each read from a file NAME.markdown that had a NAME.md
 * beside it when built (every other document: a .md, or a .markdown
 * alone).  Written only when there is one, so that two documents of one
 * name from one directory can be shown apart.
 */

/*
 * ORIGINS: where each section was written.  u32 section count N (the
 * header's), u32 root count R (at least 1), u32 count E, u32 offset L
 * (from the table's start) of the lines.  Then R records { u32 first
 * document, u32 offset, u32 length }: the documents from that one on
 * were read below that directory, its bytes at that offset from the
 * table's start, an absolute real path ("/" first); length 0: not known
 * (notes given as bytes, not as a file).  First documents ascend from
 * 0.  Then E u32s, ascending: document << 1 | k for each document
 * whose file is not NAME.md (NAME: its stored name): k 0, NAME.markdown;
 * k 1, NAME itself.  At L: ceil(N / ORIGIN_LINE_BLOCK) u32 offsets of
 * the blocks from the end of this index, then the blocks, a varint a
 * section: v > 0, its heading's line is the previous section's plus v;
 * v = 0, a varint follows, the line itself.  "Previous" is 0 at each
 * block's first section.  Lines count from 1; a preamble's is 1.
 */
#define ORIGIN_LINE_BLOCK 64
#define ORIGIN_HEAD_SIZE  16
#define ORIGIN_ROOT_SIZE  12

/*
 * Text blocks hold whole sections; this is the target raw size.  Text
 * under 128 KiB is stored, not deflated (no dictionary to pick), and a
 * lookup checks and copies its block whole, so the first
 * BLOB_BLOCK_SMALL_COUNT blocks keep the smaller size: notes that small
 * are laid out as before.  Deflated text goes in 16 KiB blocks: on
 * awsdocs+tldr TEXT is 5% smaller than in 8 KiB ones and BLOCKS and
 * BLOCK_GRAMS half their size: the blob loses 6%.  A trigram bitmap
 * then covers twice the text, so a selective regex inflates more
 * blocks (0.07x -> 0.14x rg's time); keyword lookups take 2-4 fewer
 * page faults and -7% to +15% instructions, no slower side by side.
 * 32 KiB: 10% off the blob, but the regex 0.34x rg, lookups slower.
 */
#define BLOB_BLOCK_SMALL       (8u * 1024)
#define BLOB_BLOCK_SMALL_COUNT 16u
#define BLOB_BLOCK_TARGET      (16u * 1024)
/* Largest raw block (one huge section) a reader will inflate. */
#define BLOB_BLOCK_MAX (256u * 1024 * 1024)

#endif /* BLOB_FORMAT_H */
