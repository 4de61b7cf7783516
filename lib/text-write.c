/*
 * text-write.c - deflating text blocks in segments that share a preset
 * dictionary (awsnote(5), TEXT_DICTS).
 *
 * A dictionary is TEXT_DICT_SAMPLES slices taken evenly across its
 * segment: notes repeat their boilerplate (headings, command lines,
 * table layouts) from file to file, and deflate can then refer back to
 * it from the first byte of every block.  One per segment rather than
 * one for all, because neighbouring files resemble each other most.
 * Dictionaries are stored raw, so that a lookup only copies one into
 * zlib's window before it inflates a block.
 */
#include <string.h>

#include <zlib.h>

#include "blob-format.h"
#include "blob-read.h"
#include "blob-write.h"
#include "text-write.h"

void
text_writer_init(struct text_writer *w)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->seg, 0);
	buf_init(&w->pending, 0);
	buf_init(&w->text, 0);
	buf_init(&w->blocks, 0);
	buf_init(&w->dict_recs, 0);
	buf_init(&w->dict_data, UINT32_MAX);
	buf_init(&w->dicts, 0);
}

void
text_writer_free(struct text_writer *w)
{
	buf_free(&w->seg);
	buf_free(&w->pending);
	buf_free(&w->text);
	buf_free(&w->blocks);
	buf_free(&w->dict_recs);
	buf_free(&w->dict_data);
	buf_free(&w->dicts);
}

/* Deflate block RAW/LEN into TEXT and append its BLOCKS record. */
static awn_status
put_block(struct text_writer *w, const char *raw, size_t len, const char *dict,
          size_t dict_len, uint32_t first)
{
	size_t before = w->text.len;
	uLong crc;
	awn_status st;

	if ((st = blob_deflate(raw, len, dict, dict_len, &w->text)))
		return st;
	/* Over the compressed bytes: a reader checks them before inflating
	 * and may then inflate only the part it needs. */
	crc = crc32(0, (const Bytef *)w->text.data + before,
	            (uInt)(w->text.len - before));
	if ((st = blob_put_u64(&w->blocks, before)) ||
	    (st = blob_put_u32(&w->blocks, (uint32_t)(w->text.len - before))) ||
	    (st = blob_put_u32(&w->blocks, (uint32_t)len)) ||
	    (st = blob_put_u32(&w->blocks, (uint32_t)crc)) ||
	    (st = blob_put_u32(&w->blocks, first)))
		return st;
	return AWN_OK;
}

/*
 * Sample the pending segment's dictionary into DICT_DATA and record it
 * for blocks from FIRST_BLOCK on; *LEN = 0 when the segment is too small
 * for one to pay for its own bytes.
 */
static awn_status
add_dict(struct text_writer *w, uint32_t first_block, size_t *len)
{
	size_t size = w->seg.len / 16, piece, step, i, start = w->dict_data.len;
	unsigned char rec[BLOB_DICT_REC_SIZE];
	uLong crc;
	awn_status st;

	*len = 0;
	if (size > TEXT_DICT_SIZE)
		size = TEXT_DICT_SIZE;
	piece = size / TEXT_DICT_SAMPLES;
	if (size < TEXT_DICT_MIN)
		return AWN_OK;
	step = w->seg.len / TEXT_DICT_SAMPLES;
	for (i = 0; i < TEXT_DICT_SAMPLES; i++)
		if ((st =
		         buf_add(&w->dict_data, w->seg.data + i * step, piece)))
			return st;
	blob_store_u32(rec + BD_FIRST, first_block);
	blob_store_u32(rec + BD_END, (uint32_t)w->dict_data.len);
	crc = crc32(0, rec, BD_CRC);
	crc = crc32(crc, (const Bytef *)w->dict_data.data + start,
	            (uInt)(w->dict_data.len - start));
	blob_store_u32(rec + BD_CRC, (uint32_t)crc);
	*len = w->dict_data.len - start;
	return buf_add(&w->dict_recs, rec, sizeof(rec));
}

/* Compress the pending segment. */
static awn_status
flush_segment(struct text_writer *w)
{
	size_t nb = w->pending.len / 8, i, at = 0, dict_len;
	const unsigned char *p = (const unsigned char *)w->pending.data;
	const char *dict;
	awn_status st;

	if (nb == 0)
		return AWN_OK;
	if ((st = add_dict(w, w->nblocks - (uint32_t)nb, &dict_len)))
		return st;
	dict = w->dict_data.data + w->dict_data.len - dict_len;
	for (i = 0; i < nb && !st; i++, p += 8) {
		uint32_t len = blob_u32(p);
		st = put_block(w, w->seg.data + at, len, dict, dict_len,
		               blob_u32(p + 4));
		at += len;
	}
	buf_reset(&w->seg);
	buf_reset(&w->pending);
	return st;
}

awn_status
text_writer_add(struct text_writer *w, const char *raw, size_t len,
                uint32_t first)
{
	awn_status st;

	if (w->nblocks == UINT32_MAX - 1 || len > BLOB_BLOCK_MAX)
		return AWN_ERR_LIMIT;
	if ((st = buf_add(&w->seg, raw, len)) ||
	    (st = blob_put_u32(&w->pending, (uint32_t)len)) ||
	    (st = blob_put_u32(&w->pending, first)))
		return st;
	w->nblocks++;
	return w->seg.len >= TEXT_SEGMENT_TARGET ? flush_segment(w) : AWN_OK;
}

awn_status
text_writer_finish(struct text_writer *w)
{
	awn_status st;

	buf_reset(&w->dicts);
	if ((st = flush_segment(w)) || w->dict_recs.len == 0)
		return st;
	if ((st = blob_put_u32(&w->dicts, (uint32_t)(w->dict_recs.len /
	                                             BLOB_DICT_REC_SIZE))) ||
	    (st = buf_add(&w->dicts, w->dict_recs.data, w->dict_recs.len)) ||
	    (st = buf_add(&w->dicts, w->dict_data.data, w->dict_data.len)))
		return st;
	return AWN_OK;
}
