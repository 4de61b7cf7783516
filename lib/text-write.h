/*
 * text-write.h - the TEXT, BLOCKS and TEXT_DICTS tables: raw text blocks
 * in, deflated blocks out.
 *
 * Blocks are held back until a segment of about TEXT_SEGMENT_TARGET raw
 * bytes is complete; a preset dictionary sampled from the segment is
 * then stored once and every block of the segment is deflated with it,
 * so that small blocks compress nearly as well as large ones.
 */
#ifndef TEXT_WRITE_H
#define TEXT_WRITE_H

#include <stdint.h>

#include "awsnote.h"
#include "buf.h"

/*
 * A segment is about 4 MiB of raw text; its dictionary is TEXT_DICT_SAMPLES
 * slices, a sixteenth of the segment and at most TEXT_DICT_SIZE bytes,
 * and none below TEXT_DICT_MIN (it would cost more than it saves).  16
 * KiB rather than deflate's whole 32 KiB window: on awsdocs+tldr the
 * text is 1% larger, but a lookup checks and copies half as much.
 */
#define TEXT_SEGMENT_TARGET (4u * 1024 * 1024)
#define TEXT_DICT_SIZE      16384u
#define TEXT_DICT_MIN       8192u
#define TEXT_DICT_SAMPLES   64u

struct text_writer {
	struct buf seg;       /* raw bytes of the pending blocks */
	struct buf pending;   /* per pending block: u32 raw length, u32 first
	                         section */
	struct buf text;      /* TEXT table */
	struct buf blocks;    /* BLOCKS table */
	struct buf dict_recs; /* TEXT_DICTS records */
	struct buf dict_data; /* the dictionaries */
	struct buf dicts;     /* TEXT_DICTS table, made by text_writer_finish */
	uint32_t nblocks;     /* blocks added, pending ones included */
};

void text_writer_init(struct text_writer *w);
void text_writer_free(struct text_writer *w);

/* Add block number w->nblocks: RAW/LEN, whose first section is FIRST. */
awn_status text_writer_add(struct text_writer *w, const char *raw, size_t len,
                           uint32_t first);

/* Compress and record every pending block and make the TEXT_DICTS
 * table: the tables are then whole. */
awn_status text_writer_finish(struct text_writer *w);

#endif /* TEXT_WRITE_H */
