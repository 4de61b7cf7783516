/*
 * db.h - the awn_db handle, shared by the modules that query it.
 */
#ifndef DB_H
#define DB_H

#include "awsnote.h"
#include "blob-read.h"
#include "buf.h"

/*
 * One blob of a db.  A db joins several (awsnote -f a -f b, AWSNOTE_PATH):
 * section and document numbers run on from part to part, so callers see
 * one numbering.
 */
#define DB_CHUNK 4096

struct db_chunk {
	struct db_chunk *next;
	size_t used, cap;
	char data[];
};

/* Pointers by number (open addressing), for caches that hold a few of
 * many numbers: an array of them all faults in a page for each one. */
struct db_map {
	struct db_map_slot {
		uint32_t key;
		const void *val; /* NULL: empty */
	} * slot;
	size_t n, cap; /* cap 0 or a power of two */
};

struct db_part {
	struct blob blob;
	void *map; /* mmap'd file, or NULL */
	size_t map_len;
	void *text_map; /* TEXT mapped again (map_text in db.c), or NULL */
	size_t text_map_len;
	void *owned; /* malloc'd blob (Markdown compiled in memory) */
	char *name;  /* file name for messages */
	int cached;  /* a kept blob of Markdown (cache.h), at NAME */
	/* Markdown compiled here or kept: the path given, a directory or
	 * not (NULL for a blob), and the real directory its documents are
	 * named from, below "/" (made at the first link that needs it;
	 * place_failed when realpath could not). */
	char *source;
	int source_dir, place_failed;
	char *place;
	uint32_t sec_base; /* global number of its section 0 */
	uint32_t doc_base; /* global number of its document 0 */
	/* DOC_NAMES blocks decoded so far (NULL: not yet), owned; a cache
	 * filled through const pointers, so that names stay valid as long
	 * as the db. */
	struct db_map names;
	struct blob_names *names_made; /* the same, listed */
	/* Anchors derived from titles (SF_ANCHOR 0), by section (NULL: not
	 * yet), in the chunks of an arena; the same kind of cache. */
	struct db_map anchor;
	struct db_chunk *chunks;
	/* Names as shown (awn_db_doc_name), by document, once asked for:
	 * in the arena, or db.c's name_unshared when the stored one is. */
	struct db_map shown;
	char *blob_real; /* a blob's real path below "/", for the same */
	int blob_real_failed;
	uint32_t nsources;  /* blob_sources, once places_known */
	uint32_t nsuffixes; /* blob_suffixes, the same */
	int places_known;
};

struct awn_db {
	struct db_part *part;
	size_t nparts;
	uint32_t nsections, ndocs;
	uint32_t only_doc;      /* awn_search's restriction, or AWN_NONE */
	unsigned char *kept;    /* else a bit per document kept, or NULL */
	struct blob_block text; /* the block awn_db_text reads from */
	size_t text_part;       /* the part it belongs to */
	uint32_t read_first, read_end; /* awn_db_will_read's sections */
	size_t read_upto; /* how far they need the open block, once known */
	int read_known;   /* read_upto is computed for the open block */
	const char *cache_dir; /* while opening: awn_db_open_cached's */
	size_t cache_root;     /* and its CACHE_ROOT */
	const char *cache_why; /* why CACHE_DIR kept nothing, or NULL */
	int seed_off;          /* tests: rank without search.c's seed_floor */
	int blocks_always;     /* tests: read every list POST_SKIPS has by
	                          blocks (search.c's want_blocks) */
	/* tests: read each candidate that a bound with lists left unread
	 * ruled out (search.c's parked_check), count those of the titled
	 * and the other pass in PARKED_OUT and those the lists read do not
	 * rule out in PARKED_WRONG (a bound too low: a ranking may change) */
	int check_parked;
	unsigned long parked_out[2], parked_wrong;
	int copies_keyed;    /* tests: group copies by key however few the
	                        hits are (search.c's group_copies) */
	int names_checked;   /* names_may_clash is known */
	int names_may_clash; /* several parts, or a part of several places */
	/* Once many names were shown (a listing): every document's name
	 * hash, sorted, so that a name no other has skips the searches. */
	uint64_t *name_hashes;
	size_t nshown_asked;
	int name_hashes_failed;
};

/* Name of document DOC as stored in its blob, which links and ranking
 * read (awn_db_doc_name: as shown).  An empty slice when out of range. */
const char *db_doc_name(const awn_db *db, uint32_t doc, size_t *len);

/*
 * The document, among those awn_search considers, whose name as shown
 * and not as stored is WORD/LEN ("p1/README" of two READMEs), byte for
 * byte or else ASCII case aside; else, for a WORD holding a '/', the one
 * stored and shown as WORD, byte for byte; AWN_NONE when none.
 */
uint32_t db_doc_shown_as(awn_db *db, const char *word, size_t len);

/* The first section of document DOC, or AWN_NONE when it has none. */
uint32_t db_doc_first_section(const awn_db *db, uint32_t doc);

/* The part holding global section ID (ID must be < db->nsections). */
const struct db_part *db_part_of(const awn_db *db, uint32_t id);

/* The BLOCK_GRAMS filter of the block holding section ID, or NULL when
 * the blob has none (prefilter.h). */
const unsigned char *db_block_filter(const awn_db *db, uint32_t id);

/* Check, before a first use, the CRC of the BLOCK_GRAMS that
 * db_block_filter reads for section ID. */
awn_status db_check_filters(const awn_db *db, uint32_t id, awn_error *err);

/* awn_db_section without the anchor (left ""): what ranking needs,
 * without deriving anchors. */
awn_status db_section_tree(const awn_db *db, uint32_t id, awn_section *out);

/* Field F (SF_*, blob-format.h) of global section ID's SECTIONS record,
 * as stored: unchecked, and relative to the part. */
uint32_t db_section_field(const awn_db *db, uint32_t id, unsigned f);

/*
 * The section a link in document DOC leads to: for "#anchor" as
 * awn_db_find_anchor finds it; for a relative link to a Markdown file
 * ("s3.md", "../guide/s3.md#encryption"), the document that file became
 * (its name is the linking document's directory and the link's path,
 * without .md or .markdown; in DOC's own part, else in the first other
 * that has it), at the heading with the fragment's anchor, else at its
 * first section.  AWN_NONE for a URL or a link that leads to
 * nothing in the notes.
 */
uint32_t db_link_target(awn_db *db, uint32_t doc, const char *dest, size_t len);

#endif /* DB_H */
