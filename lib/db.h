/*
 * db.h - the awn_db handle, shared by the modules that query it.
 */
#ifndef DB_H
#define DB_H

#include "awsnote.h"
#include "blob-read.h"
#include "buf.h"

struct awn_db {
	struct blob blob;
	void *map;       /* mmap'd file, or NULL */
	size_t map_len;
	void *owned;     /* malloc'd blob for in-memory dbs, or NULL */
	char *name;      /* file name for messages */
	struct buf block; /* the inflated block cached for awn_db_text */
	uint32_t cached_block; /* AWN_NONE when empty */
	struct buf text;  /* a subtree's text assembled across blocks */
};

/* Record of section ID in the SECTIONS table (ID must be < count). */
const unsigned char *db_section_record(const awn_db *db, uint32_t id);

#endif /* DB_H */
