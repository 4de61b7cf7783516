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
struct db_part {
	struct blob blob;
	void *map; /* mmap'd file, or NULL */
	size_t map_len;
	void *owned;       /* malloc'd blob (Markdown compiled in memory) */
	char *name;        /* file name for messages */
	uint32_t sec_base; /* global number of its section 0 */
	uint32_t doc_base; /* global number of its document 0 */
};

struct awn_db {
	struct db_part *part;
	size_t nparts;
	uint32_t nsections, ndocs;
	uint32_t only_doc;      /* awn_search's restriction, or AWN_NONE */
	struct blob_block text; /* the block awn_db_text reads from */
	size_t text_part;       /* the part it belongs to */
};

/* The part holding global section ID (ID must be < db->nsections). */
const struct db_part *db_part_of(const awn_db *db, uint32_t id);

/* The BLOCK_GRAMS filter of the block holding section ID, or NULL when
 * the blob has none (prefilter.h). */
const unsigned char *db_block_filter(const awn_db *db, uint32_t id);

/* Record of global section ID in its part's SECTIONS table. */
const unsigned char *db_section_record(const awn_db *db, uint32_t id);

#endif /* DB_H */
