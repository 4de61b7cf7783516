/*
 * db.c - awn_db: opening blobs (mapped files or memory, or Markdown
 * compiled on the fly) and reading sections out of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "blob-format.h"
#include "db.h"
#include "error.h"
#include "render.h"
#include "richtext.h"

static awn_status
db_new(awn_db **out, const char *name, awn_error *err)
{
	awn_db *db = alloc_calloc(1, sizeof(*db));

	*out = NULL;
	if (db == NULL || (db->name = alloc_strndup(name, strlen(name))) ==
			      NULL) {
		alloc_free(db);
		return error_set(err, AWN_ERR_NOMEM, "%s: out of memory",
				 name);
	}
	buf_init(&db->block, BLOB_BLOCK_MAX);
	buf_init(&db->text, 0);
	db->cached_block = AWN_NONE;
	*out = db;
	return AWN_OK;
}

void
awn_db_free(awn_db *db)
{
	if (db == NULL)
		return;
	if (db->map)
		munmap(db->map, db->map_len);
	alloc_free(db->owned);
	alloc_free(db->name);
	buf_free(&db->block);
	buf_free(&db->text);
	alloc_free(db);
}

awn_status
awn_db_open(awn_db **out, const char *path, awn_error *err)
{
	struct stat sb;
	awn_db *db;
	awn_status st;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if (fstat(fd, &sb) < 0) {
		st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
		close(fd);
		return st;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return error_set(err, AWN_ERR_IO, "%s: not a regular file",
				 path);
	}
	if ((st = db_new(&db, path, err)) != AWN_OK) {
		close(fd);
		return st;
	}
	if (sb.st_size > 0) {
		db->map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE,
			       fd, 0);
		if (db->map == MAP_FAILED) {
			db->map = NULL;
			st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
			close(fd);
			awn_db_free(db);
			return st;
		}
		db->map_len = (size_t)sb.st_size;
	}
	close(fd);
	st = blob_open(&db->blob, db->map ? db->map : (void *)"", db->map_len,
		       db->name, err);
	if (st != AWN_OK) {
		awn_db_free(db);
		return st;
	}
	*out = db;
	return AWN_OK;
}

awn_status
awn_db_open_memory(awn_db **out, void *data, size_t len, const char *name,
		   awn_error *err)
{
	awn_db *db;
	awn_status st;

	*out = NULL;
	if ((st = db_new(&db, name, err)) != AWN_OK) {
		alloc_free(data);
		return st;
	}
	db->owned = data;
	if ((st = blob_open(&db->blob, data, len, db->name, err)) != AWN_OK) {
		awn_db_free(db);
		return st;
	}
	*out = db;
	return AWN_OK;
}

/* Blobs start with a magic number that no text file starts with. */
static int
is_blob_file(const char *path)
{
	unsigned char magic[BLOB_MAGIC_LEN];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 1; /* let awn_db_open report the error */
	n = read(fd, magic, sizeof(magic));
	close(fd);
	return n > 0 && magic[0] == (unsigned char)BLOB_MAGIC[0];
}

awn_status
awn_db_open_any(awn_db **out, const char *path, awn_error *err)
{
	awn_builder *b = NULL;
	struct stat sb;
	void *data = NULL;
	size_t len = 0;
	awn_status st;

	*out = NULL;
	if (stat(path, &sb) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if (S_ISREG(sb.st_mode) && is_blob_file(path))
		return awn_db_open(out, path, err);
	if ((st = awn_builder_new(&b, err)) == AWN_OK &&
	    (st = awn_builder_add_path(b, path, err)) == AWN_OK &&
	    (st = awn_builder_write_memory(b, &data, &len, err)) == AWN_OK)
		st = awn_db_open_memory(out, data, len, path, err);
	awn_builder_free(b);
	return st;
}

awn_status
awn_db_verify(awn_db *db, awn_error *err)
{
	awn_status st;
	uint32_t i;

	if ((st = blob_check_index(&db->blob, err)) != AWN_OK)
		return st;
	for (i = 0; i < db->blob.nblocks; i++)
		if ((st = blob_inflate(&db->blob, i, &db->block, err)))
			break;
	db->cached_block = AWN_NONE;
	return st;
}

uint32_t
awn_db_count(const awn_db *db)
{
	return db->blob.nsections;
}

uint32_t
awn_db_doc_count(const awn_db *db)
{
	return db->blob.ndocs;
}

const char *
awn_db_doc_name(const awn_db *db, uint32_t doc, size_t *len)
{
	const unsigned char *r;
	const char *s;

	*len = 0;
	if (doc >= db->blob.ndocs)
		return "";
	r = db->blob.table[BT_DOCS].p + (size_t)doc * BLOB_DOC_SIZE;
	if (blob_string(&db->blob, blob_u32(r), blob_u32(r + 4), &s) < 0)
		return "";
	*len = blob_u32(r + 4);
	return s;
}

const unsigned char *
db_section_record(const awn_db *db, uint32_t id)
{
	return db->blob.table[BT_SECTIONS].p + (size_t)id * BLOB_SECTION_SIZE;
}

awn_status
awn_db_section(const awn_db *db, uint32_t id, awn_section *out)
{
	const unsigned char *r;
	uint32_t n = db->blob.nsections;

	memset(out, 0, sizeof(*out));
	out->title = out->anchor = "";
	if (id >= n)
		return AWN_ERR_ARG;
	r = db_section_record(db, id);
	out->id = id;
	out->parent = blob_u32(r + BS_PARENT);
	out->end = blob_u32(r + BS_END);
	out->doc = blob_u32(r + BS_DOC);
	out->level = r[BS_LEVEL];
	/* Repair what a corrupt record could make dangerous to follow. */
	if (out->parent != AWN_NONE && out->parent >= id)
		out->parent = AWN_NONE;
	if (out->end <= id || out->end > n)
		out->end = id + 1;
	if (out->level > 6)
		out->level = 6;
	if (blob_string(&db->blob, blob_u32(r + BS_TITLE_OFF),
			blob_u32(r + BS_TITLE_LEN), &out->title) == 0)
		out->title_len = blob_u32(r + BS_TITLE_LEN);
	else
		out->title = "";
	if (blob_string(&db->blob, blob_u32(r + BS_ANCHOR_OFF),
			blob_u32(r + BS_ANCHOR_LEN), &out->anchor) == 0)
		out->anchor_len = blob_u32(r + BS_ANCHOR_LEN);
	else
		out->anchor = "";
	return AWN_OK;
}

size_t
awn_db_path(const awn_db *db, uint32_t id, const char *sep, char *buf,
	    size_t size)
{
	uint32_t chain[64], n = 0, cur = id;
	size_t total = 0, seplen = strlen(sep), i;
	char piece[1024];
	awn_section s;

#define PUT(p, l)                                                          \
	do {                                                               \
		size_t put_l = (l);                                        \
		if (total < size)                                          \
			memcpy(buf + total, (p),                           \
			       put_l < size - total ? put_l : size - total);\
		total += put_l;                                            \
	} while (0)
#define PUT_SAFE(p, l) PUT(piece, awn_display_text((p), (l), piece, \
						    sizeof(piece)))

	while (cur != AWN_NONE && n < 64 && awn_db_section(db, cur, &s) == 0) {
		chain[n++] = cur;
		cur = s.parent;
	}
	if (db->blob.ndocs > 1 && n > 0 && awn_db_section(db, id, &s) == 0 &&
	    s.level > 0) {
		size_t dl;
		const char *dn = awn_db_doc_name(db, s.doc, &dl);
		PUT_SAFE(dn, dl);
		PUT(sep, seplen);
	}
	for (i = n; i-- > 0;) {
		awn_db_section(db, chain[i], &s);
		PUT_SAFE(s.title, s.title_len);
		if (i > 0)
			PUT(sep, seplen);
	}
#undef PUT_SAFE
#undef PUT
	if (size > 0) {
		i = total < size ? total : size - 1;
		/* Never end in the middle of a UTF-8 character. */
		while (i > 0 && i < total && ((unsigned char)buf[i] & 0xC0) == 0x80)
			i--;
		buf[i] = '\0';
	}
	return total;
}

/* Compare anchor bytes A/AN with user text B/BN, ignoring ASCII case. */
static int
anchor_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i, n = an < bn ? an : bn;

	for (i = 0; i < n; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 32;
		if (cb >= 'A' && cb <= 'Z')
			cb += 32;
		if (ca != cb)
			return ca - cb;
	}
	return (an > bn) - (an < bn);
}

uint32_t
awn_db_find_anchor(const awn_db *db, uint32_t doc, const char *anchor,
		   size_t len)
{
	const struct blob_slice *t = &db->blob.table[BT_ANCHORS];
	size_t lo = 0, hi = t->len / BLOB_ANCHOR_SIZE, mid;
	uint32_t found = AWN_NONE;
	const char *s;

	if (len > 0 && anchor[0] == '#')
		anchor++, len--;
	while (lo < hi) { /* first record >= anchor */
		const unsigned char *r;
		mid = lo + (hi - lo) / 2;
		r = t->p + mid * BLOB_ANCHOR_SIZE;
		if (blob_string(&db->blob, blob_u32(r), blob_u32(r + 4), &s) <
			0 ||
		    anchor_cmp(s, blob_u32(r + 4), anchor, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->len / BLOB_ANCHOR_SIZE; lo++) {
		const unsigned char *r = t->p + lo * BLOB_ANCHOR_SIZE;
		awn_section sec;
		if (blob_string(&db->blob, blob_u32(r), blob_u32(r + 4), &s) <
			0 ||
		    anchor_cmp(s, blob_u32(r + 4), anchor, len) != 0)
			break;
		if (awn_db_section(db, blob_u32(r + 8), &sec) != AWN_OK)
			continue;
		if (found == AWN_NONE)
			found = sec.id;
		if (sec.doc == doc)
			return sec.id;
	}
	return found;
}

/* Text of one section (its own, without subsections). */
static awn_status
section_text(awn_db *db, uint32_t id, const char **text, size_t *len,
	     awn_error *err)
{
	const unsigned char *r = db_section_record(db, id);
	uint32_t block = blob_u32(r + BS_BLOCK), off = blob_u32(r + BS_TEXT_OFF),
		 n = blob_u32(r + BS_TEXT_LEN);
	awn_status st;

	if (block != db->cached_block) {
		db->cached_block = AWN_NONE;
		if ((st = blob_inflate(&db->blob, block, &db->block, err)))
			return st;
		db->cached_block = block;
	}
	if (off > db->block.len || n > db->block.len - off)
		return error_set(err, AWN_ERR_FORMAT,
				 "%s: corrupt blob (section text outside its "
				 "block)",
				 db->name);
	*text = db->block.data + off;
	*len = n;
	return AWN_OK;
}

awn_status
awn_db_text(awn_db *db, uint32_t id, const char **text, size_t *len,
	    awn_error *err)
{
	if (id >= db->blob.nsections)
		return error_set(err, AWN_ERR_ARG, "no section %u", id);
	return section_text(db, id, text, len, err);
}

struct link_ctx {
	awn_db *db;
	uint32_t doc;
};

static int
link_path(void *vctx, const char *anchor, size_t len, char *buf, size_t size)
{
	struct link_ctx *c = vctx;
	uint32_t id = awn_db_find_anchor(c->db, c->doc, anchor, len);

	if (id == AWN_NONE)
		return -1;
	awn_db_path(c->db, id, " > ", buf, size);
	return 0;
}

awn_status
awn_render_section(awn_db *db, uint32_t id, const awn_render_opts *opts,
		   awn_write_fn write, void *ctx, awn_error *err)
{
	struct render_opts ro;
	struct link_ctx lc;
	awn_section s;
	const char *text, *nl;
	size_t len;
	awn_status st;

	if (awn_db_section(db, id, &s) != AWN_OK)
		return error_set(err, AWN_ERR_ARG, "no section %u", id);
	if ((st = section_text(db, id, &text, &len, err)) != AWN_OK)
		return st;
	/* Skip the section's own heading line: the caller shows the path. */
	if (len > 0 && RT_IS_HEADING(text[0])) {
		nl = memchr(text, '\n', len);
		nl = nl ? nl + 1 : text + len;
		len -= (size_t)(nl - text);
		text = nl;
	}
	lc.db = db;
	lc.doc = s.doc;
	ro.flags = opts ? opts->flags : 0;
	ro.width = opts ? opts->width : 0;
	ro.link_path = link_path;
	ro.link_ctx = &lc;
	st = render_text(text, len, &ro, write, ctx);
	if (st != AWN_OK)
		return error_set(err, st, "%s", awn_strerror(st));
	return AWN_OK;
}

awn_status
awn_render_heading(awn_db *db, uint32_t id, const char *label,
		   const awn_render_opts *opts, awn_write_fn write, void *ctx,
		   awn_error *err)
{
	struct render_opts ro;
	awn_section s;
	const char *text, *p, *nl;
	size_t len;
	awn_status st;

	if (awn_db_section(db, id, &s) != AWN_OK)
		return error_set(err, AWN_ERR_ARG, "no section %u", id);
	memset(&ro, 0, sizeof(ro));
	ro.flags = opts ? opts->flags : 0;
	ro.width = opts ? opts->width : 0;
	if ((st = section_text(db, id, &text, &len, err)) != AWN_OK)
		return st;
	if (len > 0 && RT_IS_HEADING(text[0])) {
		/* Content after the (empty) prefix, up to the newline. */
		nl = memchr(text, '\n', len);
		nl = nl ? nl : text + len;
		p = memchr(text, RT_PREFIX_END, (size_t)(nl - text));
		p = p ? p + 1 : text + 1;
		st = render_heading(p, (size_t)(nl - p), s.level, label, &ro,
				    write, ctx);
	} else {
		/* A preamble: its title is the document name. */
		st = render_heading(s.title, s.title_len, s.level, label, &ro,
				    write, ctx);
	}
	if (st != AWN_OK)
		return error_set(err, st, "%s", awn_strerror(st));
	return AWN_OK;
}

awn_status
awn_db_summary(awn_db *db, uint32_t id, char *buf, size_t size,
	       awn_error *err)
{
	const char *text, *p, *end;
	size_t len, n = 0, cut = 0;
	int in_dest = 0, space = 0;
	awn_status st;

	if (size == 0)
		return AWN_ERR_ARG;
	buf[0] = '\0';
	if (id >= db->blob.nsections)
		return error_set(err, AWN_ERR_ARG, "no section %u", id);
	if ((st = section_text(db, id, &text, &len, err)) != AWN_OK)
		return st;
	end = text + len;
	for (p = text; p < end && n + 1 < size; p++) {
		const char *line = p, *pe;
		if (RT_IS_HEADING(*line) || *line == RT_CODE) {
			/* the title is shown already; code makes poor prose */
			pe = memchr(p, '\n', (size_t)(end - p));
			p = pe ? pe : end;
			continue;
		}
		pe = memchr(p, RT_PREFIX_END, (size_t)(end - p));
		{
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (pe == NULL || (nl && nl < pe))
				pe = p; /* no prefix on this line */
		}
		for (p = pe + 1; p < end && *p != '\n' && n + 1 < size; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == (unsigned char)RT_LINK)
				in_dest = 1;
			else if (c == (unsigned char)RT_LINK_TEXT)
				in_dest = 0;
			else if (in_dest || (c < 0x20 && c != '\t' &&
					     c != (unsigned char)RT_CELL))
				continue;
			else if (c == ' ' || c == '\t' ||
				 c == (unsigned char)RT_CELL)
				space = n > 0;
			else {
				if (space) {
					cut = n;
					buf[n++] = ' ';
					space = 0;
					if (n + 1 >= size)
						break;
				}
				buf[n++] = (char)c;
			}
		}
		space = n > 0;
		if (p < end && *p != '\n')
			break; /* buffer full */
	}
	if (n + 1 >= size && p < end) {
		/* Cut at the last space, on a UTF-8 boundary, and mark it. */
		n = cut > 0 ? cut : n;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		if (size > 4 && n + 3 >= size)
			n = size - 4;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		if (size > 4) {
			memcpy(buf + n, "...", 3);
			n += 3;
		}
	}
	buf[n] = '\0';
	{
		/* Titles and text came from the blob: make them safe. */
		char *safe = alloc_malloc(size);
		if (safe == NULL)
			return error_set(err, AWN_ERR_NOMEM, "out of memory");
		awn_display_text(buf, n, safe, size);
		memcpy(buf, safe, size);
		alloc_free(safe);
	}
	return AWN_OK;
}
