/*
 * textblocks.c - filtering, deflating and checksumming text blocks, in a
 * second thread when asked.
 *
 * Deflate is the largest single cost of a build; on two cores it runs
 * beside the Markdown parsing instead of after it.  The queue hands whole
 * buffers back and forth (swapped, never copied), and a failure in the
 * worker is kept and reported by the caller's next call.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "alloc.h"
#include "blob-format.h"
#include "blob-read.h"
#include "blob-write.h"
#include "error.h"
#include "prefilter.h"
#include "richtext.h"
#include "textblocks.h"

void
textblocks_init(struct textblocks *tb, int threaded, const char *spill_dir,
                size_t budget)
{
	unsigned i;

	memset(tb, 0, sizeof(*tb));
	spill_init(&tb->text);
	spill_init(&tb->filters);
	buf_init(&tb->blocks, 0);
	buf_init(&tb->dicts, 0);
	buf_init(&tb->seg, 0);
	buf_init(&tb->pending, 0);
	buf_init(&tb->dict_recs, 0);
	buf_init(&tb->dict_data, UINT32_MAX);
	buf_init(&tb->scratch, 0);
	buf_init(&tb->zout, 0);
	for (i = 0; i < TEXTBLOCKS_QUEUE; i++)
		buf_init(&tb->slot[i].raw, BLOB_BLOCK_MAX);
	tb->spill_dir = spill_dir;
	tb->budget = budget;
	tb->threaded = threaded;
}

/* The block's trigram filter, from the plain text regexes will see. */
static awn_status
add_filter(struct textblocks *tb, const struct buf *raw, awn_error *err)
{
	unsigned char filter[PREFILTER_BYTES];
	const char *p = raw->data, *end = p + raw->len, *nl;
	awn_status st;

	memset(filter, 0, sizeof(filter));
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		buf_reset(&tb->scratch);
		if ((st = richtext_plain_line(p, (size_t)(nl - p),
		                              &tb->scratch)))
			return error_set(err, st, "text block: %s",
			                 awn_strerror(st));
		prefilter_add(filter, tb->scratch.data, tb->scratch.len);
	}
	return spill_add(&tb->filters, filter, sizeof(filter), err);
}

/* Past the budget, the growing tables move to files. */
static awn_status
maybe_spill(struct textblocks *tb, awn_error *err)
{
	awn_status st;

	if (tb->spill_dir == NULL ||
	    spill_memory(&tb->text) + spill_memory(&tb->filters) <= tb->budget)
		return AWN_OK;
	if ((st = spill_to_file(&tb->text, tb->spill_dir, err)))
		return st;
	return spill_to_file(&tb->filters, tb->spill_dir, err);
}

/* Deflate block RAW/LEN with the segment's dictionary into TEXT and
 * append its BLOCKS record. */
static awn_status
put_block(struct textblocks *tb, const char *raw, size_t len, uint32_t first,
          awn_error *err)
{
	struct buf *z = &tb->zout;
	uint64_t at = tb->text.len;
	awn_status st;
	uLong crc;

	buf_reset(z);
	if ((st = blob_deflate(&tb->zs, raw, len, z)) ||
	    (st = spill_add(&tb->text, z->data, z->len, err)) ||
	    (st = maybe_spill(tb, err)))
		return st;
	/* Over the compressed bytes: a reader checks them before inflating
	 * and may then inflate only the part it needs. */
	crc = crc32(0, (const Bytef *)z->data, (uInt)z->len);
	if ((st = blob_put_u64(&tb->blocks, at)) ||
	    (st = blob_put_u32(&tb->blocks, (uint32_t)z->len)) ||
	    (st = blob_put_u32(&tb->blocks, (uint32_t)len)) ||
	    (st = blob_put_u32(&tb->blocks, (uint32_t)crc)) ||
	    (st = blob_put_u32(&tb->blocks, first)))
		return st;
	tb->nblocks++;
	return AWN_OK;
}

/*
 * Picking a segment's dictionary, in the manner of zstd's fastcover: count
 * in how many blocks (of every DICT_STEP-th) each 6-byte string occurs,
 * then from each of size / DICT_PIECE stretches of the segment take the
 * DICT_PIECE bytes whose distinct strings have the largest counts (the
 * first DICT_SCAN bytes of the stretch are searched), and forget the
 * strings it took.  Pieces go best last: deflate's shortest distances
 * reach the end of the dictionary.  Evenly spaced slices did 6% worse on
 * awsdocs+tldr; searching whole stretches and counting every block gains
 * 0.5% more for three times the work.
 */
#define DICT_HASH_BITS 16
#define DICT_GRAM      6
#define DICT_PIECE     128
#define DICT_STEP      4
#define DICT_SCAN      8192

struct dict_piece {
	size_t at;
	uint64_t score;
};

static uint32_t
dict_hash(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v <<= 8 * (8 - DICT_GRAM);
	return (uint32_t)((v * 0xcf1bbcdcb7a56463u) >> (64 - DICT_HASH_BITS));
}

static int
dict_piece_cmp(const void *a, const void *b)
{
	const struct dict_piece *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The blocks containing each string, of every DICT_STEP-th block. */
static void
dict_count(const struct textblocks *tb, uint16_t *count, uint16_t *stamp)
{
	const unsigned char *p = (const unsigned char *)tb->pending.data;
	size_t nb = tb->pending.len / 8, b, i, at = 0, len;
	uint32_t h;

	for (b = 0; b < nb; b++, p += 8, at += len) {
		len = blob_u32(p);
		if (b % DICT_STEP != 0)
			continue;
		for (i = 0; i + 8 <= len; i++) {
			h = dict_hash(tb->seg.data + at + i);
			/* Past 2^16 sampled blocks a stamp wraps: a miscount.
			 */
			if (stamp[h] != (uint16_t)(b / DICT_STEP + 1)) {
				stamp[h] = (uint16_t)(b / DICT_STEP + 1);
				count[h] += count[h] < UINT16_MAX;
			}
		}
	}
}

/* The best piece starting in [FROM, TO), its strings' counts then
 * zeroed. WIN (zeroed) counts the window's strings, RING its hashes. */
static struct dict_piece
dict_pick(const struct textblocks *tb, size_t from, size_t to, uint16_t *count,
          uint16_t *win, uint32_t *ring)
{
	const char *seg = tb->seg.data;
	struct dict_piece best = {from, 0};
	size_t j, start = from, end = to;
	uint64_t score = 0;
	uint32_t h;

	if (end > tb->seg.len - 8)
		end = tb->seg.len - 8;
	for (j = from; j < end; j++) {
		h = ring[j % DICT_PIECE] = dict_hash(seg + j);
		if (win[h]++ == 0)
			score += count[h];
		if (j - start == DICT_PIECE - DICT_GRAM + 1) {
			h = ring[start++ % DICT_PIECE];
			if (--win[h] == 0)
				score -= count[h];
		}
		if (score > best.score) {
			best.score = score;
			best.at = start;
		}
	}
	for (; start < j; start++)
		win[ring[start % DICT_PIECE]]--;
	for (j = best.at;
	     j + DICT_GRAM <= best.at + DICT_PIECE && j + 8 <= tb->seg.len; j++)
		count[dict_hash(seg + j)] = 0;
	return best;
}

/*
 * Pick the pending segment's dictionary into DICT_DATA and record it
 * for blocks from FIRST_BLOCK on; *LEN = 0 when the segment is too small
 * for one to pay for its own bytes.
 */
static awn_status
add_dict(struct textblocks *tb, uint32_t first_block, size_t *len)
{
	size_t size = tb->seg.len / 16, n, stretch, i, piece,
	       start = tb->dict_data.len;
	unsigned char rec[BLOB_DICT_REC_SIZE];
	struct dict_piece *pieces = NULL;
	uint16_t *count = NULL;
	uint32_t ring[DICT_PIECE];
	awn_status st = AWN_ERR_NOMEM;
	uLong crc;

	*len = 0;
	if (size > TEXTBLOCKS_DICT_SIZE)
		size = TEXTBLOCKS_DICT_SIZE;
	if (size < TEXTBLOCKS_DICT_MIN)
		return AWN_OK;
	n = size / DICT_PIECE;
	stretch = tb->seg.len / n;
	/* Three tables: the counts, the block stamps, the window's counts. */
	if ((count = alloc_calloc(3u << DICT_HASH_BITS, sizeof(*count))) ==
	        NULL ||
	    (pieces = alloc_calloc(n, sizeof(*pieces))) == NULL)
		goto out;
	dict_count(tb, count, count + (1u << DICT_HASH_BITS));
	for (i = 0; i < n; i++)
		pieces[i] = dict_pick(
		    tb, i * stretch,
		    i * stretch + (stretch < DICT_SCAN ? stretch : DICT_SCAN),
		    count, count + (2u << DICT_HASH_BITS), ring);
	qsort(pieces, n, sizeof(*pieces), dict_piece_cmp);
	for (i = 0; i < n; i++) {
		piece = tb->seg.len - pieces[i].at;
		if (piece > DICT_PIECE)
			piece = DICT_PIECE;
		if ((st = buf_add(&tb->dict_data, tb->seg.data + pieces[i].at,
		                  piece)))
			goto out;
	}
	blob_store_u32(rec + BD_FIRST, first_block);
	blob_store_u32(rec + BD_END, (uint32_t)tb->dict_data.len);
	crc = crc32(0, rec, BD_CRC);
	crc = crc32(crc, (const Bytef *)tb->dict_data.data + start,
	            (uInt)(tb->dict_data.len - start));
	blob_store_u32(rec + BD_CRC, (uint32_t)crc);
	*len = tb->dict_data.len - start;
	st = buf_add(&tb->dict_recs, rec, sizeof(rec));
out:
	alloc_free(count);
	alloc_free(pieces);
	return st;
}

/* Deflate the pending segment. */
static awn_status
flush_segment(struct textblocks *tb, awn_error *err)
{
	size_t nb = tb->pending.len / 8, i, at = 0, dict_len;
	const unsigned char *p = (const unsigned char *)tb->pending.data;
	const char *dict;
	awn_status st;

	if (nb == 0)
		return AWN_OK;
	if ((st = add_dict(tb, tb->nblocks, &dict_len)))
		goto out;
	/* No dictionary (a small segment) may mean no dict_data at all. */
	dict =
	    dict_len ? tb->dict_data.data + tb->dict_data.len - dict_len : NULL;
	if ((st = blob_deflater_dict(&tb->zs, dict, dict_len)))
		goto out;
	for (i = 0; i < nb && !st; i++, p += 8) {
		uint32_t len = blob_u32(p);
		st =
		    put_block(tb, tb->seg.data + at, len, blob_u32(p + 4), err);
		at += len;
	}
out:
	buf_reset(&tb->seg);
	buf_reset(&tb->pending);
	if (st && (err == NULL || err->status != st))
		error_set(err, st, "text block: %s", awn_strerror(st));
	return st;
}

static awn_status
finish_block(struct textblocks *tb, struct textblocks_slot *s, awn_error *err)
{
	awn_status st;

	if ((st = add_filter(tb, &s->raw, err)))
		goto out;
	if ((st = buf_add(&tb->seg, s->raw.data, s->raw.len)) ||
	    (st = blob_put_u32(&tb->pending, (uint32_t)s->raw.len)) ||
	    (st = blob_put_u32(&tb->pending, s->first))) {
		error_set(err, st, "text block: %s", awn_strerror(st));
		goto out;
	}
	if (tb->seg.len >= TEXTBLOCKS_SEGMENT)
		st = flush_segment(tb, err);
out:
	/* A huge section's block goes back to the parser as a new buffer:
	 * hundreds of slots must not each keep such a capacity. */
	if (s->raw.cap > 2 * TEXTBLOCKS_BLOCK) {
		buf_free(&s->raw);
		buf_init(&s->raw, BLOB_BLOCK_MAX);
	}
	buf_reset(&s->raw);
	return st;
}

static awn_status finish_tables(struct textblocks *tb, awn_error *err);

static void *
worker(void *arg)
{
	struct textblocks *tb = arg;
	struct textblocks_slot *s;
	awn_status st;
	int last;

	pthread_mutex_lock(&tb->lock);
	for (;;) {
		/* Idle, it waits for a batch; awake, it drains the queue. */
		while (tb->count == 0 && !tb->quit)
			while (tb->count < TEXTBLOCKS_BATCH && !tb->quit)
				pthread_cond_wait(&tb->more, &tb->lock);
		if (tb->count == 0)
			break;
		s = &tb->slot[tb->head];
		pthread_mutex_unlock(&tb->lock);
		if (tb->status == AWN_OK) /* only this thread writes it */
			st = finish_block(tb, s, &tb->err);
		else
			st = tb->status, buf_reset(&s->raw);
		pthread_mutex_lock(&tb->lock);
		tb->status = st;
		tb->head = (tb->head + 1) % TEXTBLOCKS_QUEUE;
		if (tb->count-- == TEXTBLOCKS_QUEUE - TEXTBLOCKS_BATCH + 1)
			pthread_cond_signal(&tb->room);
	}
	last = tb->closed;
	pthread_mutex_unlock(&tb->lock);
	if (last && tb->status == AWN_OK)
		tb->status = finish_tables(tb, &tb->err);
	return NULL;
}

static int
start_worker(struct textblocks *tb)
{
	if (pthread_mutex_init(&tb->lock, NULL) != 0)
		return 0;
	if (pthread_cond_init(&tb->more, NULL) != 0) {
		pthread_mutex_destroy(&tb->lock);
		return 0;
	}
	if (pthread_cond_init(&tb->room, NULL) != 0) {
		pthread_cond_destroy(&tb->more);
		pthread_mutex_destroy(&tb->lock);
		return 0;
	}
	if (pthread_create(&tb->thread, NULL, worker, tb) != 0) {
		pthread_cond_destroy(&tb->room);
		pthread_cond_destroy(&tb->more);
		pthread_mutex_destroy(&tb->lock);
		return 0;
	}
	return 1;
}

static void
swap_bufs(struct buf *a, struct buf *b)
{
	struct buf t = *a;

	*a = *b;
	*b = t;
}

/* The worker's failure, copied to the caller's ERR. */
static awn_status
worker_failure(struct textblocks *tb, awn_error *err)
{
	if (err)
		*err = tb->err;
	return tb->status;
}

awn_status
textblocks_add(struct textblocks *tb, struct buf *raw, uint32_t first,
               awn_error *err)
{
	struct textblocks_slot *s;
	awn_status st;

	if (tb->threaded == 1 && !start_worker(tb))
		tb->threaded = 0; /* no thread: do it here */
	else if (tb->threaded == 1)
		tb->threaded = 2; /* running */
	if (tb->threaded == 0) {
		s = &tb->slot[0];
		swap_bufs(&s->raw, raw);
		s->first = first;
		return finish_block(tb, s, err);
	}
	pthread_mutex_lock(&tb->lock);
	while (tb->count == TEXTBLOCKS_QUEUE && tb->status == AWN_OK)
		pthread_cond_wait(&tb->room, &tb->lock);
	if ((st = tb->status) == AWN_OK) {
		s = &tb->slot[(tb->head + tb->count) % TEXTBLOCKS_QUEUE];
		swap_bufs(&s->raw, raw);
		s->first = first;
		if (++tb->count == TEXTBLOCKS_BATCH)
			pthread_cond_signal(&tb->more);
	}
	pthread_mutex_unlock(&tb->lock);
	return st ? worker_failure(tb, err) : AWN_OK;
}

/* Let the worker drain the queue and exit. */
static void
stop_worker(struct textblocks *tb)
{
	if (tb->threaded != 2)
		return;
	pthread_mutex_lock(&tb->lock);
	tb->quit = 1;
	pthread_cond_signal(&tb->more);
	pthread_mutex_unlock(&tb->lock);
	pthread_join(tb->thread, NULL);
	pthread_cond_destroy(&tb->room);
	pthread_cond_destroy(&tb->more);
	pthread_mutex_destroy(&tb->lock);
	tb->threaded = 0;
}

void
textblocks_close(struct textblocks *tb)
{
	if (tb->threaded != 2)
		return;
	pthread_mutex_lock(&tb->lock);
	tb->quit = tb->closed = 1;
	pthread_cond_signal(&tb->more);
	pthread_mutex_unlock(&tb->lock);
}

awn_status
textblocks_finish(struct textblocks *tb, awn_error *err)
{
	int done = tb->threaded == 2 && tb->closed;

	stop_worker(tb);
	if (tb->status)
		return worker_failure(tb, err);
	return done ? AWN_OK : finish_tables(tb, err);
}

/* The last segment, TEXT_DICTS, and the spills to their end. */
static awn_status
finish_tables(struct textblocks *tb, awn_error *err)
{
	awn_status st;

	buf_reset(&tb->dicts);
	if ((st = flush_segment(tb, err)))
		return st;
	if (tb->dict_recs.len > 0 &&
	    ((st = blob_put_u32(&tb->dicts, (uint32_t)(tb->dict_recs.len /
	                                               BLOB_DICT_REC_SIZE))) ||
	     (st =
	          buf_add(&tb->dicts, tb->dict_recs.data, tb->dict_recs.len)) ||
	     (st = buf_add(&tb->dicts, tb->dict_data.data, tb->dict_data.len))))
		return error_set(err, st, "text block: %s", awn_strerror(st));
	if ((st = spill_flush(&tb->text, err)) ||
	    (st = spill_flush(&tb->filters, err)))
		return st;
	return AWN_OK;
}

void
textblocks_free(struct textblocks *tb)
{
	unsigned i;

	stop_worker(tb);
	spill_free(&tb->text);
	spill_free(&tb->filters);
	buf_free(&tb->blocks);
	buf_free(&tb->dicts);
	buf_free(&tb->seg);
	buf_free(&tb->pending);
	buf_free(&tb->dict_recs);
	buf_free(&tb->dict_data);
	buf_free(&tb->scratch);
	buf_free(&tb->zout);
	blob_deflater_free(&tb->zs);
	for (i = 0; i < TEXTBLOCKS_QUEUE; i++)
		buf_free(&tb->slot[i].raw);
}
