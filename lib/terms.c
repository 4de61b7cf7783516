/*
 * terms.c - listing the index's terms by prefix, for completion.
 *
 * Each part of a db has its own sorted dictionary; they are merged here so
 * a caller sees every term once, in byte order, with the number of
 * sections (across all parts) that contain it.
 */
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "dict.h"
#include "error.h"
#include "utf8.h"

struct cursor {
	struct dict_iter it;
	struct dict_entry e;
	int live; /* e holds this part's next term with the prefix */
};

/* Fold PREFIX as the tokenizer folds terms; 0 if it cannot be a term. */
static size_t
fold_prefix(const char *prefix, size_t len, char *out)
{
	size_t i = 0, n = 0, used, k;
	char enc[4];

	while (i < len) {
		uint32_t cp = utf8_decode((const unsigned char *)prefix + i,
		                          len - i, &used);
		k = utf8_encode(utf8_fold(cp), enc);
		if (n + k > TOKEN_MAX)
			return 0;
		memcpy(out + n, enc, k);
		n += k;
		i += used;
	}
	return n;
}

/* Move C to its next term if that still has the prefix. */
static int
advance(struct cursor *c, const char *prefix, size_t plen)
{
	int r = dict_next(&c->it, &c->e);

	if (r < 0)
		return -1;
	c->live =
	    r == 1 && c->e.len >= plen && memcmp(c->e.term, prefix, plen) == 0;
	return 0;
}

static int
term_cmp(const struct dict_entry *a, const struct dict_entry *b)
{
	int c = memcmp(a->term, b->term, a->len < b->len ? a->len : b->len);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

awn_status
awn_db_terms(awn_db *db, const char *prefix, size_t len, awn_term_fn fn,
             void *ctx, awn_error *err)
{
	char folded[TOKEN_MAX + 1];
	struct cursor *cur;
	size_t plen = 0, i, best;
	awn_status st = AWN_OK;

	if (len > 0 && (plen = fold_prefix(prefix, len, folded)) == 0)
		return AWN_OK; /* longer than any term */
	if (db->nparts == 0)
		return AWN_OK;
	cur = alloc_calloc(db->nparts, sizeof(*cur));
	if (cur == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (i = 0; i < db->nparts; i++) {
		if (dict_iter_start(&cur[i].it, &db->part[i].blob,
		                    plen ? folded : NULL, plen) < 0 ||
		    advance(&cur[i], folded, plen) < 0) {
			st = error_set(err, AWN_ERR_FORMAT,
			               "%s: corrupt blob (term dictionary)",
			               db->part[i].name);
			goto done;
		}
	}
	for (;;) {
		struct dict_entry e;
		uint32_t df = 0;

		best = db->nparts;
		for (i = 0; i < db->nparts; i++)
			if (cur[i].live &&
			    (best == db->nparts ||
			     term_cmp(&cur[i].e, &cur[best].e) < 0))
				best = i;
		if (best == db->nparts)
			break;
		e = cur[best].e;
		/* Every part holding the same term: sum, then move on. */
		for (i = 0; i < db->nparts; i++) {
			if (!cur[i].live || term_cmp(&cur[i].e, &e) != 0)
				continue;
			df = df + cur[i].e.df < df ? UINT32_MAX
			                           : df + cur[i].e.df;
			if (advance(&cur[i], folded, plen) < 0) {
				st = error_set(err, AWN_ERR_FORMAT,
				               "%s: corrupt blob (term "
				               "dictionary)",
				               db->part[i].name);
				goto done;
			}
		}
		if (fn(ctx, e.term, e.len, df) != 0)
			break;
	}
done:
	alloc_free(cur);
	return st;
}
