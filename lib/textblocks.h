/*
 * textblocks.h - the TEXT, BLOCKS and BLOCK_GRAMS tables: raw text
 * blocks in, each filtered (trigram bitmap), deflated and checksummed,
 * optionally in a second thread while the caller parses the next one.
 *
 * Blocks are finished strictly in the order they were added, so the
 * output is byte-identical whether or not a thread is used.
 */
#ifndef TEXTBLOCKS_H
#define TEXTBLOCKS_H

#include <pthread.h>
#include <stdint.h>

#include "awsnote.h"
#include "buf.h"
#include "spill.h"

#define TEXTBLOCKS_QUEUE 4 /* blocks in flight between the threads */

struct textblocks_slot {
	struct buf raw;
	uint32_t first; /* first section of the block */
};

struct textblocks {
	/* The tables, complete after textblocks_finish. */
	struct spill text;    /* TEXT: compressed blocks */
	struct spill filters; /* BLOCK_GRAMS */
	struct buf blocks;    /* BLOCKS records */
	uint32_t nblocks;

	/* Spilling: text and filters move to files in SPILL_DIR (borrowed;
	 * NULL = never) once they hold more than BUDGET bytes of memory. */
	const char *spill_dir;
	size_t budget;

	struct buf scratch; /* a plain line, for the filter */

	/* The queue; the worker owns slot[head] while it works on it. */
	int threaded, quit;
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

/* Wait until every queued block is in the tables (stops the thread). */
awn_status textblocks_finish(struct textblocks *tb, awn_error *err);

#endif /* TEXTBLOCKS_H */
