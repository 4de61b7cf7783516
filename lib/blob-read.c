/*
 * blob-read.c - validating and reading blobs (format: awsnote(5)).
 *
 * Nothing read from the file is trusted: every count, offset and length
 * is checked against the size of what it points into before it is used.
 */
#include <string.h>

#include <zlib.h>

#include "alloc.h"
#include "blob-format.h"
#include "blob-read.h"
#include "error.h"
#include "hash.h"

static const size_t record_size[] = {
    [BT_BLOCKS] = BLOB_BLOCK_SIZE,
    [BT_TERM_BLOCKS] = BLOB_TERM_BLOCK_SIZE,
};

static awn_status
corrupt(const struct blob *b, awn_error *err, const char *what)
{
	return error_set(err, AWN_ERR_FORMAT, "%s: corrupt blob (%s)", b->name,
	                 what);
}

static const char *const table_name[BT_LAST_KNOWN + 1] = {
    [BT_STRINGS] = "STRINGS",         [BT_DOCS] = "DOCS",
    [BT_SECTIONS] = "SECTIONS",       [BT_TERMS] = "TERMS",
    [BT_POSTINGS] = "POSTINGS",       [BT_BLOCKS] = "BLOCKS",
    [BT_ANCHORS] = "ANCHORS",         [BT_TEXT] = "TEXT",
    [BT_TERM_BLOCKS] = "TERM_BLOCKS", [BT_TERM_GRAMS] = "TERM_GRAMS",
    [BT_BLOCK_GRAMS] = "BLOCK_GRAMS", [BT_TEXT_DICTS] = "TEXT_DICTS",
    [BT_DOC_NAMES] = "DOC_NAMES",     [BT_TITLE_INFO] = "TITLE_INFO",
    [BT_HTML_NAMES] = "HTML_NAMES",   [BT_SOURCES] = "SOURCES",
    [BT_POST_SKIPS] = "POST_SKIPS",   [BT_SUFFIXES] = "SUFFIXES",
    [BT_ORIGINS] = "ORIGINS",         [BT_TERM_KEYS] = "TERM_KEYS",
};
static awn_status
check_directory(struct blob *b, uint32_t ntables, awn_error *err)
{
	const unsigned char *d = b->data + BLOB_HEADER_SIZE;
	uint32_t i, type;
	uint64_t off, len;

	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE) {
		type = blob_u32(d);
		off = blob_u64(d + 8);
		len = blob_u64(d + 16);
		if (off > b->size || len > b->size - off)
			return corrupt(b, err, "table outside the file");
		if (type == 0 || type > BT_LAST_KNOWN || !table_name[type])
			continue; /* a newer optional table: ignore it */
		if (b->table[type].p != NULL)
			return corrupt(b, err, "table listed twice");
		b->table[type].p = b->data + off;
		b->table[type].len = (size_t)len;
		b->table_crc[type] = blob_u32(d + 4);
	}
	for (type = 1; type <= BT_LAST_REQUIRED; type++)
		if (b->table[type].p == NULL)
			return corrupt(b, err, "a required table is missing");
	return AWN_OK;
}

static awn_status
check_counts(struct blob *b, awn_error *err)
{
	/* 64 bits, so that no count from the file (all 32-bit, UINT32_MAX
	 * included) can pass for the "any number" mark. */
	const uint64_t count[] = {
	    [BT_BLOCKS] = b->nblocks,
	    [BT_TERM_BLOCKS] =
	        ((uint64_t)b->nterms + DICT_BLOCK_TERMS - 1) / DICT_BLOCK_TERMS,
	};
	int t;

	for (t = BT_DOCS; t <= BT_LAST_REQUIRED; t++) {
		if (t >= (int)(sizeof(record_size) / sizeof(record_size[0])) ||
		    record_size[t] == 0)
			continue;
		if (b->table[t].len % record_size[t] != 0)
			return corrupt(b, err, "table size");
		if (count[t] != UINT64_MAX &&
		    b->table[t].len / record_size[t] != count[t])
			return corrupt(b, err, "record count");
	}
	return AWN_OK;
}

/* Packed table TYPE of NFIELDS fields into *R; COUNT records, or any
 * number if COUNT is UINT64_MAX. */
static awn_status
check_records(struct blob *b, int type, unsigned nfields, uint64_t count,
              struct blob_records *r)
{
	const struct blob_slice *t = &b->table[type];
	unsigned f;
	size_t bytes;
	uint64_t n;

	memset(r, 0, sizeof(*r));
	if (t->len < 1 + (size_t)nfields || t->p[0] != nfields)
		return AWN_ERR_FORMAT;
	for (f = 0; f < nfields; f++) {
		r->width[f] = t->p[1 + f];
		if (r->width[f] < 1 || r->width[f] > 32)
			return AWN_ERR_FORMAT;
		r->off[f] = (uint16_t)r->size;
		r->size += r->width[f];
	}
	r->p = t->p + 1 + nfields;
	r->bytes = bytes = t->len - 1 - nfields;
	/* Whole records, the last one's byte completed, and no more. */
	n = (uint64_t)bytes * 8 / r->size;
	if ((n * r->size + 7) / 8 != bytes || n > UINT32_MAX ||
	    (count != UINT64_MAX && n != count))
		return AWN_ERR_FORMAT;
	r->n = (uint32_t)n;
	return AWN_OK;
}

static awn_status
check_packed(struct blob *b, awn_error *err)
{
	if (check_records(b, BT_DOCS, DOC_FIELDS, b->ndocs, &b->docs) ||
	    check_records(b, BT_SECTIONS, SECTION_FIELDS, b->nsections,
	                  &b->sections) ||
	    check_records(b, BT_ANCHORS, ANCHOR_FIELDS, UINT64_MAX,
	                  &b->anchors))
		return corrupt(b, err, "record table");
	return AWN_OK;
}

/*
 * DOC_NAMES's block index: one block per DOC_NAME_BLOCK documents.  The
 * end offsets are checked a block at a time as blob_doc_names reads
 * them: the whole index is 4 bytes a 16 documents, pages a lookup on a
 * large blob would fault in for the one name it shows.
 */
static awn_status
check_doc_names(struct blob *b, awn_error *err)
{
	const struct blob_slice *t = &b->table[BT_DOC_NAMES];
	uint64_t nb = DOC_NAME_BLOCKS(b->ndocs);

	if (t->len == 0 && nb == 0)
		return AWN_OK;
	if (t->len < 4 || blob_u32(t->p) != nb || (t->len - 4) / 4 < nb)
		return corrupt(b, err, "document names");
	return AWN_OK;
}

/*
 * Walk the names of DOC_NAMES block P/PE (N of them): with BN NULL only
 * check them and sum their lengths into *TOTAL, else decode them into
 * BN.  -1 if malformed.
 */
static int
walk_names(const unsigned char *p, const unsigned char *pe, uint32_t n,
           struct blob_names *bn, size_t *total)
{
	uint32_t i, prev = 0;
	uint64_t shared, len;
	size_t have = 0;

	for (i = 0; i < n; i++) {
		if (blob_varint(&p, pe, &shared) < 0 ||
		    blob_varint(&p, pe, &len) < 0 || shared > prev ||
		    len > (size_t)(pe - p) || shared + len > DOC_NAME_MAX)
			return -1;
		if (bn) {
			bn->off[i] = (uint32_t)have;
			bn->len[i] = (uint32_t)(shared + len);
			if (shared > 0)
				memcpy(bn->bytes + have,
				       bn->bytes + bn->off[i - 1], shared);
			memcpy(bn->bytes + have + shared, p, len);
		}
		p += len;
		prev = (uint32_t)(shared + len);
		have += prev;
	}
	*total = have;
	return 0;
}

/* The bytes of block K of B's DOC_NAMES (*P to *PE), or -1 when K is
 * out of range or its end offsets are. */
static int
names_block(const struct blob *b, uint32_t k, const unsigned char **p,
            const unsigned char **pe)
{
	const unsigned char *index = b->table[BT_DOC_NAMES].p + 4;
	uint32_t nb, start, end;

	if (b->table[BT_DOC_NAMES].len < 4 || k >= (nb = blob_u32(index - 4)))
		return -1;
	start = k > 0 ? blob_u32(index + 4 * (size_t)(k - 1)) : 0;
	end = blob_u32(index + 4 * (size_t)k);
	if (start > end ||
	    end > b->table[BT_DOC_NAMES].len - 4 - 4 * (size_t)nb)
		return -1;
	*p = index + 4 * (size_t)nb + start;
	*pe = index + 4 * (size_t)nb + end;
	return 0;
}

awn_status
blob_doc_names(const struct blob *b, uint32_t k, struct blob_names **out)
{
	const unsigned char *p, *pe;
	struct blob_names *bn;
	size_t total;
	uint32_t n;

	*out = NULL;
	if (names_block(b, k, &p, &pe) < 0)
		return AWN_ERR_FORMAT;
	n = b->ndocs - k * DOC_NAME_BLOCK;
	if (n > DOC_NAME_BLOCK)
		n = DOC_NAME_BLOCK;
	if (walk_names(p, pe, n, NULL, &total) < 0)
		return AWN_ERR_FORMAT;
	if ((bn = alloc_malloc(sizeof(*bn) + total)) == NULL)
		return AWN_ERR_NOMEM;
	bn->n = n;
	walk_names(p, pe, n, bn, &total);
	*out = bn;
	return AWN_OK;
}

awn_status
blob_doc_name_first(const struct blob *b, uint32_t k, const char **s,
                    size_t *len)
{
	const unsigned char *p, *pe;
	uint64_t shared, n;

	*s = "";
	*len = 0;
	if (names_block(b, k, &p, &pe) < 0 ||
	    blob_varint(&p, pe, &shared) < 0 || shared != 0 ||
	    blob_varint(&p, pe, &n) < 0 || n > (size_t)(pe - p) ||
	    n > DOC_NAME_MAX)
		return AWN_ERR_FORMAT;
	*s = (const char *)p;
	*len = (size_t)n;
	return AWN_OK;
}

/* TEXT_DICTS, checked whole so that blob_block_open can trust it. */
static awn_status
check_dicts(struct blob *b, awn_error *err)
{
	const struct blob_slice *t = &b->table[BT_TEXT_DICTS];
	const unsigned char *r;
	uint32_t n, i, end = 0, first = 0;
	size_t data;

	if (t->len == 0)
		return AWN_OK;
	if (t->len < 4 || (n = blob_u32(t->p)) == 0 ||
	    n > (t->len - 4) / BLOB_DICT_REC_SIZE)
		return corrupt(b, err, "dictionary table");
	data = t->len - 4 - (size_t)n * BLOB_DICT_REC_SIZE;
	for (i = 0, r = t->p + 4; i < n; i++, r += BLOB_DICT_REC_SIZE) {
		uint32_t f = blob_u32(r + BD_FIRST), e = blob_u32(r + BD_END);
		if ((i > 0 && f <= first) || e < end || e > data ||
		    e - end > BLOB_DICT_MAX)
			return corrupt(b, err, "dictionary table");
		first = f;
		end = e;
	}
	b->ndicts = n;
	return AWN_OK;
}

static uint32_t
crc_of(const unsigned char *p, uint64_t len)
{
	uLong crc = crc32(0, NULL, 0);

	while (len > 0) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

/* A table of TYPE (known or not) whose crc is wrong. */
static awn_status
table_crc_error(const struct blob *b, uint32_t type, awn_error *err)
{
	if (type <= BT_LAST_KNOWN && table_name[type])
		return error_set(
		    err, AWN_ERR_FORMAT,
		    "%s: corrupt blob (%s table checksum mismatch)", b->name,
		    table_name[type]);
	return error_set(err, AWN_ERR_FORMAT,
	                 "%s: corrupt blob (checksum mismatch in a table of "
	                 "type %u)",
	                 b->name, (unsigned)type);
}

static awn_status
check_table(const struct blob *b, int type, awn_error *err)
{
	const struct blob_slice *t = &b->table[type];

	if (type == BT_TEXT || crc_of(t->p, t->len) == b->table_crc[type])
		return AWN_OK;
	return table_crc_error(b, (uint32_t)type, err);
}

awn_status
blob_check_tables(const struct blob *b, uint32_t mask, awn_error *err)
{
	int type;
	awn_status st;

	if ((b->checked & mask) == mask) /* the usual case, once per block */
		return AWN_OK;
	for (type = 1; type <= BT_LAST_KNOWN; type++) {
		uint32_t bit = BLOB_TABLE_BIT(type);
		if (!(mask & bit) || (b->checked & bit))
			continue;
		if (b->table[type].len <= BLOB_LAZY_CRC_MAX &&
		    (st = check_table(b, type, err)) != AWN_OK)
			return st;
		/* Only the cache of what was checked changes, never the
		 * blob: the const on B is about its bytes. */
		((struct blob *)b)->checked |= bit;
	}
	return AWN_OK;
}

awn_status
blob_check_index(const struct blob *b, awn_error *err)
{
	const unsigned char *d = b->data + BLOB_HEADER_SIZE;
	uint32_t ntables = blob_u32(b->data + BH_NTABLES), i;
	uint32_t bad = 0, bad_type = 0; /* the first table that fails */
	uLong crc = crc32(0, NULL, 0);

	/* Directory order, every table but TEXT, as the writer summed it;
	 * each table's own crc too, unknown types' included. */
	for (i = 0; i < ntables; i++, d += BLOB_DIRENT_SIZE) {
		uint64_t off = blob_u64(d + 8), len = blob_u64(d + 16);
		uint32_t type = blob_u32(d), one;
		if (type == BT_TEXT)
			continue;
		one = crc_of(b->data + off, len);
		if (one != blob_u32(d + 4) && !bad++)
			bad_type = type;
		crc = crc32_combine(crc, one, (z_off_t)len);
	}
	if ((uint32_t)crc != b->index_crc)
		return corrupt(b, err, "index checksum mismatch");
	return bad == 0 ? AWN_OK : table_crc_error(b, bad_type, err);
}

int
blob_title_info(const struct blob *b, uint32_t ordinal, const unsigned char **p,
                const unsigned char **end)
{
	const struct blob_slice *t = &b->table[BT_TITLE_INFO];
	uint32_t nb = (uint32_t)(((uint64_t)b->nterms + TITLE_INFO_TERMS - 1) /
	                         TITLE_INFO_TERMS),
	         k = ordinal / TITLE_INFO_TERMS,
	         want = ordinal % TITLE_INFO_TERMS;
	const unsigned char *q, *stop;
	uint64_t start, until, d, n, next = 0; /* ordinals ascend */

	*p = *end = NULL;
	/* Absent, or of another shape than this reader knows: ignored. */
	if (t->p == NULL || t->len < 4 || blob_u32(t->p) != nb ||
	    (t->len - 4) / 4 < nb || ordinal >= b->nterms)
		return 0;
	start = blob_u32(t->p + 4 + 4 * (size_t)k);
	until = k + 1 < nb ? blob_u32(t->p + 8 + 4 * (size_t)k) : t->len;
	if (start < 4 + 4 * (uint64_t)nb || start > until || until > t->len)
		return -1;
	for (q = t->p + start, stop = t->p + until; q < stop; q += n) {
		if (blob_varint(&q, stop, &d) < 0 ||
		    blob_varint(&q, stop, &n) < 0 || n > (uint64_t)(stop - q) ||
		    d >= TITLE_INFO_TERMS || d < next)
			return -1;
		if (d == want) {
			*p = q;
			*end = q + n;
			return 1;
		}
		if (d > want)
			break;
		next = d + 1;
	}
	return 1; /* the term has no title postings */
}

int
blob_post_skips(const struct blob *b, uint32_t ordinal, uint32_t *bsize,
                const unsigned char **p, const unsigned char **end)
{
	const struct blob_slice *t = &b->table[BT_POST_SKIPS];
	uint32_t bs, n, lo = 0, hi, mid;
	uint64_t body, start, until;

	*p = *end = NULL;
	*bsize = 0;
	if (t->p == NULL)
		return 0;
	if (t->len < 8)
		return -1;
	bs = blob_u32(t->p);
	n = blob_u32(t->p + 4);
	body = 8 + (uint64_t)n * POST_SKIP_REC;
	if (bs < POST_SKIP_B_MIN || bs > POST_SKIP_B_MAX || (bs & (bs - 1)) ||
	    body > t->len)
		return -1;
	for (hi = n; lo < hi;) { /* the first record of ORDINAL or more */
		mid = lo + (hi - lo) / 2;
		if (blob_u32(t->p + 8 + (size_t)mid * POST_SKIP_REC) < ordinal)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n ||
	    blob_u32(t->p + 8 + (size_t)lo * POST_SKIP_REC) != ordinal)
		return 0;
	/* Its neighbours' ordinals must differ from it (ascending), and its
	 * run must lie inside the table. */
	if (lo + 1 < n &&
	    blob_u32(t->p + 8 + (size_t)(lo + 1) * POST_SKIP_REC) <= ordinal)
		return -1;
	start = lo == 0
	            ? 0
	            : blob_u32(t->p + 8 + (size_t)(lo - 1) * POST_SKIP_REC + 4);
	until = blob_u32(t->p + 8 + (size_t)lo * POST_SKIP_REC + 4);
	if (start > until || until > t->len - body)
		return -1;
	*bsize = bs;
	*p = t->p + body + start;
	*end = t->p + body + until;
	return 1;
}

void
blob_close(struct blob *b)
{
	alloc_free(b->dicts_checked);
	b->dicts_checked = NULL;
}

awn_status
blob_open(struct blob *b, const void *data, size_t size, const char *name,
          awn_error *err)
{
	uint32_t ntables, version;
	uLong crc;
	awn_status st;

	memset(b, 0, sizeof(*b));
	b->data = data;
	b->size = size;
	b->name = name;
	if (size < BLOB_MAGIC_LEN ||
	    memcmp(b->data, BLOB_MAGIC, BLOB_MAGIC_LEN) != 0)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: not an awsnote blob (bad magic)", name);
	if (size < BLOB_HEADER_SIZE)
		return corrupt(b, err, "truncated header");
	version = blob_u32(b->data + BH_VERSION);
	if (version != BLOB_VERSION)
		return error_set(err, AWN_ERR_VERSION,
		                 "%s: blob format version %u, this awsnote "
		                 "reads version %u (rebuild it with "
		                 "awsnote-index)",
		                 name, version, BLOB_VERSION);
	if (blob_u64(b->data + BH_FILE_SIZE) != size)
		return error_set(
		    err, AWN_ERR_FORMAT,
		    "%s: corrupt blob (file is %zu bytes, header "
		    "says %llu: truncated or appended to)",
		    name, size,
		    (unsigned long long)blob_u64(b->data + BH_FILE_SIZE));
	ntables = blob_u32(b->data + BH_NTABLES);
	if (ntables > BLOB_MAX_TABLES ||
	    BLOB_HEADER_SIZE + (size_t)ntables * BLOB_DIRENT_SIZE > size)
		return corrupt(b, err, "table directory");
	crc = crc32(0, b->data, BH_HEADER_CRC);
	crc = crc32(crc, b->data + BLOB_HEADER_SIZE,
	            (uInt)ntables * BLOB_DIRENT_SIZE);
	if ((uint32_t)crc != blob_u32(b->data + BH_HEADER_CRC))
		return corrupt(b, err, "header checksum mismatch");
	b->nsections = blob_u32(b->data + BH_NSECTIONS);
	b->ndocs = blob_u32(b->data + BH_NDOCS);
	b->nterms = blob_u32(b->data + BH_NTERMS);
	b->nblocks = blob_u32(b->data + BH_NBLOCKS);
	b->total_tokens = blob_u64(b->data + BH_TOTAL_TOKENS);
	b->index_crc = blob_u32(b->data + BH_INDEX_CRC);
	if ((st = check_directory(b, ntables, err)) ||
	    (st = check_counts(b, err)) || (st = check_packed(b, err)) ||
	    (st = check_dicts(b, err)) || (st = check_doc_names(b, err)))
		return st;
	return blob_check_tables(b, BLOB_CORE_TABLES, err);
}

uint64_t
blob_name_hash(const char *s, size_t n)
{
	uint64_t h = HASH_BASIS; /* FNV-1a, hash.h */
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		h ^= c >= 'A' && c <= 'Z' ? c | 0x20 : c;
		h *= 0x100000001b3u;
	}
	return h ? h : 1;
}

uint32_t
blob_names_with(const struct blob *b, uint64_t hash, uint32_t *first)
{
	const struct blob_slice *t = &b->table[BT_HTML_NAMES];
	size_t lo = 0, hi, n;

	*first = 0;
	if (t->p == NULL || t->len % BLOB_NAME_REC_SIZE != 0 ||
	    t->len / BLOB_NAME_REC_SIZE > UINT32_MAX ||
	    blob_check_tables(b, BLOB_TABLE_BIT(BT_HTML_NAMES), NULL))
		return 0;
	hi = n = t->len / BLOB_NAME_REC_SIZE;
	while (lo < hi) { /* the first record >= HASH */
		size_t mid = lo + (hi - lo) / 2;
		if (blob_u64(t->p + mid * BLOB_NAME_REC_SIZE) < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = (uint32_t)lo;
	for (hi = lo;
	     hi < n && blob_u64(t->p + hi * BLOB_NAME_REC_SIZE) == hash; hi++)
		;
	return (uint32_t)(hi - lo);
}

uint32_t
blob_name_section(const struct blob *b, uint32_t i)
{
	return blob_u32(b->table[BT_HTML_NAMES].p +
	                (size_t)i * BLOB_NAME_REC_SIZE + 8);
}

uint32_t
blob_sources(const struct blob *b)
{
	const struct blob_slice *t = &b->table[BT_SOURCES];
	uint32_t n, i, first, prev = 0, off, len;
	const unsigned char *r;
	const char *s;

	if (t->p == NULL || t->len < 4 ||
	    blob_check_tables(b, BLOB_TABLE_BIT(BT_SOURCES), NULL))
		return 0;
	n = blob_u32(t->p);
	if (n < 2 || n > (t->len - 4) / BLOB_SOURCE_REC_SIZE)
		return 0;
	for (i = 0; i < n; i++) {
		r = t->p + 4 + (size_t)i * BLOB_SOURCE_REC_SIZE;
		first = blob_u32(r);
		off = blob_u32(r + 4);
		len = blob_u32(r + 8);
		if ((i == 0 ? first != 0 : first <= prev) ||
		    first >= b->ndocs || off > t->len || len > t->len - off)
			return 0;
		prev = first;
		/* Components between single '/', none "." or "..". */
		s = (const char *)t->p + off;
		while (len > 0) {
			const char *slash = memchr(s, '/', len);
			size_t k = slash ? (size_t)(slash - s) : len;
			if (k == 0 ||
			    (s[0] == '.' &&
			     (k == 1 || (k == 2 && s[1] == '.'))) ||
			    (slash && k + 1 == len))
				return 0;
			s += k + (slash != NULL);
			len -= (uint32_t)(k + (slash != NULL));
		}
	}
	return n;
}

uint32_t
blob_suffixes(const struct blob *b)
{
	const struct blob_slice *t = &b->table[BT_SUFFIXES];
	uint32_t n, i, doc, prev = 0;

	if (t->p == NULL || t->len < 4 ||
	    blob_check_tables(b, BLOB_TABLE_BIT(BT_SUFFIXES), NULL))
		return 0;
	n = blob_u32(t->p);
	if (n < 1 || n > (t->len - 4) / 4)
		return 0;
	for (i = 0; i < n; i++, prev = doc)
		if ((doc = blob_u32(t->p + 4 + (size_t)i * 4)) >= b->ndocs ||
		    (i > 0 && doc <= prev))
			return 0;
	return n;
}

uint32_t
blob_suffix(const struct blob *b, uint32_t k)
{
	return blob_u32(b->table[BT_SUFFIXES].p + 4 + (size_t)k * 4);
}

int
blob_doc_markdown(const struct blob *b, uint32_t n, uint32_t doc)
{
	uint32_t lo = 0, hi = n, mid, v;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		v = blob_suffix(b, mid);
		if (v == doc)
			return 1;
		if (v < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

uint32_t
blob_source(const struct blob *b, uint32_t i, const char **dir, size_t *len)
{
	const unsigned char *r =
	    b->table[BT_SOURCES].p + 4 + (size_t)i * BLOB_SOURCE_REC_SIZE;

	*dir = (const char *)b->table[BT_SOURCES].p + blob_u32(r + 4);
	*len = blob_u32(r + 8);
	return blob_u32(r);
}

/* ORIGINS' records and index, checked once (blob-format.h). */
static awn_status
check_origins(const struct blob *b, awn_error *err)
{
	const struct blob_slice *t = &b->table[BT_ORIGINS];
	uint32_t nroots, nodd, at, i, v, prev = 0, first, off, len;
	uint64_t nblocks, lines;
	awn_status st;

	if (t->p == NULL)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: no record of the files its notes were "
		                 "read from (built before awsnote had one); "
		                 "rebuild it with awsnote-index",
		                 b->name);
	if ((st = check_table(b, BT_ORIGINS, err)))
		return st;
	if (t->len < ORIGIN_HEAD_SIZE)
		return corrupt(b, err, "ORIGINS");
	nroots = blob_u32(t->p + 4);
	nodd = blob_u32(t->p + 8);
	at = blob_u32(t->p + 12);
	nblocks = ((uint64_t)b->nsections + ORIGIN_LINE_BLOCK - 1) /
	          ORIGIN_LINE_BLOCK;
	if (blob_u32(t->p) != b->nsections || nroots < 1 ||
	    nroots > t->len / ORIGIN_ROOT_SIZE || nodd > t->len / 4 ||
	    at > t->len ||
	    ORIGIN_HEAD_SIZE + (uint64_t)nroots * ORIGIN_ROOT_SIZE +
	            (uint64_t)nodd * 4 >
	        at ||
	    nblocks * 4 > t->len - at)
		return corrupt(b, err, "ORIGINS");
	for (i = 0; i < nroots; i++) {
		const unsigned char *r =
		    t->p + ORIGIN_HEAD_SIZE + (size_t)i * ORIGIN_ROOT_SIZE;
		first = blob_u32(r);
		off = blob_u32(r + 4);
		len = blob_u32(r + 8);
		/* A path: absolute, and no NUL would end it early. */
		if ((i == 0 ? first != 0 : first <= prev) ||
		    first >= b->ndocs || off > t->len || len > t->len - off ||
		    (len > 0 && (t->p[off] != '/' ||
		                 memchr(t->p + off, '\0', len) != NULL)))
			return corrupt(b, err, "ORIGINS");
		prev = first;
	}
	for (i = 0; i < nodd; i++, prev = v) {
		v = blob_u32(t->p + ORIGIN_HEAD_SIZE +
		             (size_t)nroots * ORIGIN_ROOT_SIZE + (size_t)i * 4);
		if (v >> 1 >= b->ndocs || (i > 0 && v <= prev))
			return corrupt(b, err, "ORIGINS");
	}
	lines = t->len - at - nblocks * 4;
	for (i = 0, prev = 0; i < nblocks; i++, prev = v)
		if ((v = blob_u32(t->p + at + (size_t)i * 4)) > lines ||
		    v < prev)
			return corrupt(b, err, "ORIGINS");
	/* Only the cache of what was checked changes. */
	((struct blob *)b)->origins_checked = 1;
	return AWN_OK;
}

awn_status
blob_origin(const struct blob *b, uint32_t section, uint32_t doc,
            const char **dir, size_t *dir_len, const char **suffix,
            uint32_t *line, awn_error *err)
{
	const struct blob_slice *t = &b->table[BT_ORIGINS];
	const unsigned char *odd, *p, *end;
	uint32_t nroots, nodd, at, lo, hi, mid, v, i, k;
	uint64_t nblocks, x, prev = 0;
	awn_status st;

	if (!b->origins_checked && (st = check_origins(b, err)))
		return st;
	if (section >= b->nsections || doc >= b->ndocs)
		return corrupt(b, err, "ORIGINS");
	nroots = blob_u32(t->p + 4);
	nodd = blob_u32(t->p + 8);
	at = blob_u32(t->p + 12);
	/* The last root from DOC back (roots ascend from 0). */
	for (lo = 0, hi = nroots; hi - lo > 1;) {
		mid = lo + (hi - lo) / 2;
		if (blob_u32(t->p + ORIGIN_HEAD_SIZE +
		             (size_t)mid * ORIGIN_ROOT_SIZE) <= doc)
			lo = mid;
		else
			hi = mid;
	}
	p = t->p + ORIGIN_HEAD_SIZE + (size_t)lo * ORIGIN_ROOT_SIZE;
	*dir = (const char *)t->p + blob_u32(p + 4);
	*dir_len = blob_u32(p + 8);
	/* A file not NAME.md is listed. */
	*suffix = ".md";
	odd = t->p + ORIGIN_HEAD_SIZE + (size_t)nroots * ORIGIN_ROOT_SIZE;
	for (lo = 0, hi = nodd; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		v = blob_u32(odd + (size_t)mid * 4);
		if (v >> 1 == doc) {
			*suffix = v & 1 ? "" : ".markdown";
			break;
		}
		if (v >> 1 < doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The line: from the start of its block. */
	nblocks = ((uint64_t)b->nsections + ORIGIN_LINE_BLOCK - 1) /
	          ORIGIN_LINE_BLOCK;
	k = section / ORIGIN_LINE_BLOCK;
	p = t->p + at + nblocks * 4;
	end = t->p + t->len;
	p += blob_u32(t->p + at + (size_t)k * 4);
	for (i = k * ORIGIN_LINE_BLOCK; i <= section; i++) {
		if (blob_varint(&p, end, &x) < 0 || x > UINT32_MAX)
			return corrupt(b, err, "ORIGINS");
		if (x > 0)
			x += prev;
		else if (blob_varint(&p, end, &x) < 0 || x == 0)
			return corrupt(b, err, "ORIGINS");
		if (x > UINT32_MAX)
			return corrupt(b, err, "ORIGINS");
		prev = x;
	}
	*line = (uint32_t)prev;
	return AWN_OK;
}

int
blob_string(const struct blob *b, uint32_t off, uint32_t len, const char **s)
{
	const struct blob_slice *t = &b->table[BT_STRINGS];

	if (off > t->len || len > t->len - off)
		return -1;
	*s = (const char *)t->p + off;
	return 0;
}

void
blob_block_init(struct blob_block *t)
{
	memset(t, 0, sizeof(*t));
	buf_init(&t->out, BLOB_BLOCK_MAX);
}

void
blob_block_free(struct blob_block *t)
{
	if (t->z_ready)
		inflateEnd(&t->z);
	buf_free(&t->out);
	blob_block_init(t);
}

/* BLOCK's TEXT_DICTS record (check_dicts vetted the table), or NULL. */
static const unsigned char *
dict_record(const struct blob *b, uint32_t block)
{
	const unsigned char *recs;
	uint32_t lo = 0, hi = b->ndicts;

	if (hi == 0)
		return NULL; /* the table may be absent: no pointer to offset */
	recs = b->table[BT_TEXT_DICTS].p + 4;
	while (lo < hi) { /* first record whose first block > BLOCK */
		uint32_t mid = lo + (hi - lo) / 2;
		if (blob_u32(recs + (size_t)mid * BLOB_DICT_REC_SIZE +
		             BD_FIRST) <= block)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NULL : recs + (size_t)(lo - 1) * BLOB_DICT_REC_SIZE;
}

/* Give T's inflater BLOCK's dictionary, if it has one, CRC-checked the
 * first time (summaries of hits that alternate between segments would
 * check one dictionary again and again). */
static awn_status
set_dict(struct blob_block *t, const struct blob *b, uint32_t block,
         awn_error *err)
{
	const unsigned char *rec = dict_record(b, block), *data;
	unsigned char *seen = b->dicts_checked;
	uint32_t start, end;
	size_t k;

	if (rec == NULL)
		return AWN_OK;
	data = b->table[BT_TEXT_DICTS].p + 4 +
	       (size_t)b->ndicts * BLOB_DICT_REC_SIZE;
	start = rec > b->table[BT_TEXT_DICTS].p + 4
	            ? blob_u32(rec - BLOB_DICT_REC_SIZE + BD_END)
	            : 0;
	end = blob_u32(rec + BD_END);
	k = (size_t)(rec - (b->table[BT_TEXT_DICTS].p + 4)) /
	    BLOB_DICT_REC_SIZE;
	if (seen == NULL || !(seen[k / 8] >> (k % 8) & 1)) {
		uLong crc = crc32(0, rec, BD_CRC);
		if ((uint32_t)crc32(crc, data + start, end - start) !=
		    blob_u32(rec + BD_CRC))
			return corrupt(b, err,
			               "text dictionary checksum "
			               "mismatch");
		/* Only the cache changes (as for checked); without its
		 * memory the dictionary is checked again next time. */
		if (seen == NULL)
			seen = ((struct blob *)b)->dicts_checked =
			    alloc_calloc(b->ndicts / 8 + 1, 1);
		if (seen != NULL)
			seen[k / 8] |= (unsigned char)(1u << (k % 8));
	}
	if (end > start &&
	    inflateSetDictionary(&t->z, data + start, end - start) != Z_OK)
		return corrupt(b, err, "text block does not inflate");
	return AWN_OK;
}

/* Is the compressed block P/CLEN one final stored DEFLATE block of the
 * RLEN bytes that follow its 5-byte header (RFC 1951, 3.2.4)? */
static int
is_stored(const unsigned char *p, uint32_t clen, uint32_t rlen)
{
	return rlen <= 0xFFFF && clen == rlen + 5 && p[0] == 1 &&
	       (p[1] | p[2] << 8) == (int)rlen &&
	       (p[3] | p[4] << 8) == (int)(~rlen & 0xFFFF);
}

awn_status
blob_block_open(struct blob_block *t, const struct blob *b, uint32_t block,
                awn_error *err)
{
	const struct blob_slice *text = &b->table[BT_TEXT];
	const unsigned char *rec;
	uint64_t off;
	uint32_t clen, rlen;
	awn_status st;

	t->blob = NULL;
	buf_reset(&t->out);
	t->len = 0;
	if (block >= b->nblocks)
		return corrupt(b, err, "block number");
	rec = b->table[BT_BLOCKS].p + (size_t)block * BLOB_BLOCK_SIZE;
	off = blob_u64(rec + BB_OFF);
	clen = blob_u32(rec + BB_CLEN);
	rlen = blob_u32(rec + BB_RLEN);
	if (off > text->len || clen > text->len - off || rlen > BLOB_BLOCK_MAX)
		return corrupt(b, err, "block outside the text table");
	if (crc_of(text->p + off, clen) != blob_u32(rec + BB_CRC))
		return corrupt(b, err, "text block checksum mismatch");
	t->block = block;
	t->rlen = rlen;
	if (is_stored(text->p + off, clen, rlen)) {
		/* Small notes' blocks (blob-write.c): read where they lie. */
		t->data = (const char *)text->p + off + 5;
		t->len = rlen;
		t->blob = b;
		return AWN_OK;
	}
	if (!t->z_ready) {
		if (inflateInit2(&t->z, -15) != Z_OK)
			return error_set(err, AWN_ERR_NOMEM,
			                 "%s: out of memory", b->name);
		t->z_ready = 1;
	} else if (inflateReset(&t->z) != Z_OK) {
		return corrupt(b, err, "text block does not inflate");
	}
	if ((st = set_dict(t, b, block, err)) != AWN_OK)
		return st;
	/* After zlib's 7 KiB state and 32 KiB window, so that those take
	 * the heap the search has freed, not new pages (3 faults less). */
	if ((st = buf_reserve(&t->out, rlen)) != AWN_OK)
		return error_set(err, st, "%s: %s", b->name, awn_strerror(st));
	t->data = t->out.data;
	t->z.next_in = (Bytef *)(text->p + off);
	t->z.avail_in = clen;
	t->blob = b;
	return AWN_OK;
}

awn_status
blob_block_need(struct blob_block *t, size_t upto, awn_error *err)
{
	const struct blob *b = t->blob;
	size_t want;
	int zr, whole;

	if (b == NULL)
		return error_set(err, AWN_ERR_ARG, "no text block open");
	if (upto > t->rlen)
		upto = t->rlen;
	if (t->len >= upto) /* a stored block has all of it */
		return AWN_OK;
	/* Asked for the rest, zlib finishes without a window of its own. */
	whole = upto == t->rlen;
	want = upto - t->out.len;
	t->z.next_out = (Bytef *)t->out.data + t->out.len;
	t->z.avail_out = (uInt)want;
	zr = inflate(&t->z, whole ? Z_FINISH : Z_NO_FLUSH);
	t->out.len += want - t->z.avail_out;
	t->len = t->out.len;
	if (t->z.avail_out == 0 &&
	    (whole ? zr == Z_STREAM_END && t->z.avail_in == 0 : zr == Z_OK))
		return AWN_OK;
	t->blob = NULL; /* nothing more comes out of this block */
	buf_reset(&t->out);
	t->len = 0;
	return corrupt(b, err, "text block does not inflate");
}
