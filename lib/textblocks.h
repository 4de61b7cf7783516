/*
 * textblocks.h - the TEXT, BLOCKS and BLOCK_GRAMS tables: raw text
 * blocks in, each filtered (trigram bitmap), deflated and checksummed,
 * optionally in a second thread while the caller parses the next one.
 *
 * Blocks are finished strictly in the order they were added, so the
 * output is byte-identical whether or not a thread is used.
 *
 * Blocks are deflated a segment at a time: once about
 * TEXTBLOCKS_SEGMENT raw bytes are pending, a preset dictionary picked
 * from them (the pieces that repeat most across its blocks, a sixteenth
 * of the segment, at most TEXTBLOCKS_DICT_SIZE bytes, none below
 * TEXTBLOCKS_DICT_MIN) is
 * stored once in TEXT_DICTS and every block of the segment is deflated
 * with it, so small blocks compress nearly as well as large ones.  16
 * KiB rather than deflate's whole window: on awsdocs+tldr the text is
 * 1% larger, but a lookup checks and copies half as much.
 */
#ifndef TEXTBLOCKS_H
#define TEXTBLOCKS_H

#include <pthread.h>
#include <stdint.h>

#include "awsnote.h"
#include "blob-write.h"
#include "buf.h"
#include "spill.h"

#define TEXTBLOCKS_SEGMENT (4u * 1024 * 1024)
/*
 * Blocks in flight between the threads: two segments and more (4 MiB of
 * ~16 KiB blocks each), so that parsing goes on while the worker
 * deflates a whole segment at once.  With 4, parsing waited out every
 * segment: 3.4 s instead of 2.1 s on awsdocs+tldr, for ~5 MiB of RSS.
 * With one segment and 128 blocks, once parsing got cheaper it still
 * waited 0-0.23 s a build (0.09 s on average over 6 builds) at the
 * segments' ends; with two, 0-0.06 s (0.02 s), for 4 MiB of RSS.
 */
#define TEXTBLOCKS_BLOCK (16u * 1024) /* BLOB_BLOCK_TARGET */
#define TEXTBLOCKS_QUEUE (2 * TEXTBLOCKS_SEGMENT / TEXTBLOCKS_BLOCK + 128)
/* Each thread wakes the other only this many blocks at a time: a
 * wake-up per block cost more than filtering the block. */
#define TEXTBLOCKS_BATCH     32
#define TEXTBLOCKS_DICT_SIZE 16384u
#define TEXTBLOCKS_DICT_MIN  8192u

struct textblocks_slot {
	struct buf raw;
	uint32_t first; /* first section of the block */
};

struct textblocks {
	/* The tables, complete after textblocks_finish. */
	struct spill text;    /* TEXT: compressed blocks */
	struct spill filters; /* BLOCK_GRAMS */
	struct buf blocks;    /* BLOCKS records */
	struct buf dicts;     /* TEXT_DICTS, made by textblocks_finish */
	uint32_t nblocks;     /* blocks in BLOCKS */

	/* The segment: raw bytes of the blocks not deflated yet, and per
	 * block its u32 raw length and u32 first section. */
	struct buf seg, pending;
	struct buf dict_recs, dict_data; /* TEXT_DICTS records, bytes */

	/* Spilling: text and filters move to files in SPILL_DIR (borrowed;
	 * NULL = never) once they hold more than BUDGET bytes of memory. */
	const char *spill_dir;
	size_t budget;

	struct buf scratch; /* a plain line, for the filter */
	struct buf zout;    /* a deflated block */
	struct blob_deflater zs;

	/* The queue; the worker owns slot[head] while it works on it. */
	int threaded, quit, closed; /* closed: the worker finishes too */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct textblocks_slot slot[TEXTBLOCKS_QUEUE];
	unsigned head, count;
	awn_status status; /* the first failure, sticky */
	awn_error err;
};

/*
 * Start with empty tables.  With THREADED, blocks are compressed by a
 * second thread (falling back to the caller's thread if none can be
 * started).  textblocks_free must follow, whatever happened.
 */
void textblocks_init(struct textblocks *tb, int threaded, const char *spill_dir,
                     size_t budget);
void textblocks_free(struct textblocks *tb);

/*
 * Queue the block RAW (its bytes are taken: RAW comes back as an empty
 * buffer) whose first section is FIRST.  May block while the queue is
 * full; reports an earlier block's failure.
 */
awn_status textblocks_add(struct textblocks *tb, struct buf *raw,
                          uint32_t first, awn_error *err);

/* No more blocks: the worker (if any) goes on to deflate the last
 * segment while the caller does other work. */
void textblocks_close(struct textblocks *tb);

/* Wait until every queued block is in the tables (stops the thread),
 * and make the TEXT_DICTS table. */
awn_status textblocks_finish(struct textblocks *tb, awn_error *err);

#endif /* TEXTBLOCKS_H */
