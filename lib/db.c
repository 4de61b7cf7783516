/*
 * db.c - awn_db: opening blobs (mapped files or memory, or Markdown
 * compiled on the fly) and reading sections out of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "blob-format.h"
#include "builder.h"
#include "cache.h"
#include "db.h"
#include "markdown.h"
#include "error.h"
#include "prefilter.h"
#include "render.h"
#include "richtext.h"
#include "spill.h"
#include "utf8.h"
#include "walk.h"

static awn_status
db_new(awn_db **out, awn_error *err)
{
	awn_db *db = alloc_calloc(1, sizeof(*db));

	*out = NULL;
	if (db == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	blob_block_init(&db->text);
	db->only_doc = AWN_NONE;
	*out = db;
	return AWN_OK;
}

static size_t
map_at(const struct db_map *m, uint32_t key)
{
	size_t i = (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 32);

	for (i &= m->cap - 1; m->slot[i].val && m->slot[i].key != key;)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static const void *
map_get(const struct db_map *m, uint32_t key)
{
	return m->cap ? m->slot[map_at(m, key)].val : NULL;
}

/* Add KEY (not there yet) with VAL (not NULL). */
static awn_status
map_put(struct db_map *m, uint32_t key, const void *val)
{
	if (2 * (m->n + 1) > m->cap) {
		struct db_map grown = {NULL, 0, m->cap ? 2 * m->cap : 16};
		size_t i;
		grown.slot = alloc_calloc(grown.cap, sizeof(*grown.slot));
		if (grown.slot == NULL)
			return AWN_ERR_NOMEM;
		for (i = 0; i < m->cap; i++)
			if (m->slot[i].val)
				grown.slot[map_at(&grown, m->slot[i].key)] =
				    m->slot[i];
		grown.n = m->n;
		alloc_free(m->slot);
		*m = grown;
	}
	m->slot[map_at(m, key)] = (struct db_map_slot){key, val};
	m->n++;
	return AWN_OK;
}

/* Free part P; its mapping too unless UNMAP is 0. */
static void
part_free(struct db_part *p, int unmap)
{
	while (p->names_made) {
		struct blob_names *bn = p->names_made;
		p->names_made = bn->next;
		alloc_free(bn);
	}
	while (p->chunks) {
		struct db_chunk *c = p->chunks;
		p->chunks = c->next;
		alloc_free(c);
	}
	alloc_free(p->anchor.slot);
	alloc_free(p->names.slot);
	alloc_free(p->shown.slot);
	free(p->blob_real);
	blob_close(&p->blob);
	if (p->map && unmap)
		munmap(p->map, p->map_len);
	if (p->text_map && unmap)
		munmap(p->text_map, p->text_map_len);
	alloc_free(p->owned);
	alloc_free(p->name);
	alloc_free(p->source);
	alloc_free(p->place);
}

static void
db_free(awn_db *db, int unmap)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nparts; i++)
		part_free(&db->part[i], unmap);
	alloc_free(db->part);
	alloc_free(db->kept);
	alloc_free(db->name_hashes);
	blob_block_free(&db->text);
	alloc_free(db);
}

void
awn_db_free(awn_db *db)
{
	db_free(db, 1);
}

void
awn_db_free_at_exit(awn_db *db)
{
	db_free(db, 0);
}

#define DB_HUGE_MAP (4u << 20) /* a few huge pages' worth */
#define DB_PMD_SIZE (2u << 20)

/*
 * Map the TEXT table of part P's blob file (FD) again, at an address
 * whose offset from its file position is not a multiple of 2 MiB, and
 * read TEXT there.  The kernel maps a 2 MiB page-cache folio with one
 * PMD only where those agree, and a process's RSS then counts all 2 MiB
 * though a lookup reads a few KiB of a text block there: each block
 * inflated added up to 2 MiB to its peak RSS (-k, reading a summary of
 * each of many sections, 18 MiB on the 59 MB set).  Mapped this way a
 * fault maps 64 KiB around the block instead.  The index tables stay
 * where they are: a lookup reads bits of most of their 2 MiB stretches,
 * and a PMD maps each at one fault.  Nothing is lost when this fails:
 * TEXT is read in the first mapping.
 */
static void
map_text(struct db_part *p, int fd)
{
#ifdef MAP_FIXED_NOREPLACE
	struct blob_slice *text = &p->blob.table[BT_TEXT];
	uint64_t off, from, len;
	uintptr_t at;
	char *m;

	if (text->len == 0 || p->map == NULL)
		return;
	off = (uint64_t)(text->p - (const unsigned char *)p->map);
	from = off & ~(uint64_t)(DB_PMD_SIZE - 1);
	len = off + text->len - from;
	/* Below the first mapping, where the kernel has just found room
	 * (it places mappings top down), a page off the 2 MiB grid: one
	 * system call, where asking for room first would take three. */
	if ((uintptr_t)p->map < len + 4 * (uint64_t)DB_PMD_SIZE)
		return;
	at = ((uintptr_t)p->map - (uintptr_t)len - 2 * DB_PMD_SIZE) &
	     ~(uintptr_t)(DB_PMD_SIZE - 1);
	at += (uintptr_t)sysconf(_SC_PAGESIZE);
	m = mmap((void *)at, (size_t)len, PROT_READ,
	         MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, (off_t)from);
	if (m == MAP_FAILED)
		return;           /* taken: TEXT stays where it is */
	if ((uintptr_t)m != at) { /* a kernel that took it as a hint */
		munmap(m, (size_t)len);
		return;
	}
#ifdef MADV_HUGEPAGE
	(void)madvise(m, (size_t)len, MADV_HUGEPAGE); /* as map_file */
#endif
	p->text_map = m;
	p->text_map_len = (size_t)len;
	text->p = (const unsigned char *)m + (off - from);
#else
	(void)p;
	(void)fd;
#endif
}

/*
 * Validate a blob (mapped MAP/MAP_LEN, or malloc'd OWNED/LEN) and append
 * it as a part.  Takes ownership of the mapping or buffer either way.
 */
static awn_status
add_part(awn_db *db, const char *name, void *map, size_t map_len, int fd,
         void *owned, size_t len, awn_error *err)
{
	struct db_part p, *np;
	awn_status st;

	memset(&p, 0, sizeof(p));
	p.map = map;
	p.map_len = map_len;
	p.owned = owned;
	if ((p.name = alloc_strndup(name, strlen(name))) == NULL) {
		part_free(&p, 1);
		return error_set(err, AWN_ERR_NOMEM, "%s: out of memory", name);
	}
	st = blob_open(&p.blob,
	               map     ? map
	               : owned ? owned
	                       : (void *)"",
	               map ? map_len : len, p.name, err);
	if (st == AWN_OK && fd >= 0 && map_len >= DB_HUGE_MAP)
		map_text(&p, fd);
	if (st == AWN_OK &&
	    (p.blob.nsections > UINT32_MAX - 1 - db->nsections ||
	     p.blob.ndocs > UINT32_MAX - 1 - db->ndocs))
		st = error_set(err, AWN_ERR_LIMIT, "%s: too many sections",
		               name);
	if (st == AWN_OK && (np = alloc_reallocarray(db->part, db->nparts + 1,
	                                             sizeof(*np))) == NULL)
		st = error_set(err, AWN_ERR_NOMEM, "%s: out of memory", name);
	if (st != AWN_OK) {
		part_free(&p, 1);
		return st;
	}
	p.sec_base = db->nsections;
	p.doc_base = db->ndocs;
	db->nsections += p.blob.nsections;
	db->ndocs += p.blob.ndocs;
	db->part = np;
	/* The part's blob must point at its own (moved) name. */
	db->part[db->nparts] = p;
	db->part[db->nparts].blob.name = db->part[db->nparts].name;
	db->nparts++;
	return AWN_OK;
}

/* Map FD, open for reading, of regular file PATH (*MAP NULL when it is
 * empty). */
static awn_status
map_fd(int fd, const char *path, void **map, size_t *len, awn_error *err)
{
	struct stat sb;
	awn_status st = AWN_OK;

	*map = NULL;
	*len = 0;
	if (fstat(fd, &sb) < 0)
		st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
	else if (!S_ISREG(sb.st_mode))
		st = error_set(err, AWN_ERR_IO, "%s: not a regular file", path);
	else if (sb.st_size > 0) {
		*map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE,
		            fd, 0);
		if (*map == MAP_FAILED) {
			*map = NULL;
			st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
		} else {
			*len = (size_t)sb.st_size;
#ifdef MADV_HUGEPAGE
			/* Pages of a large blob that our faults read from
			 * disk then come into the page cache 2 MiB at a time,
			 * and every later lookup maps them with fewer faults
			 * (HACKING, "Page-cache folios"). */
			if (*len >= DB_HUGE_MAP)
				(void)madvise(*map, *len, MADV_HUGEPAGE);
#endif
		}
	}
	return st;
}

/* Map regular file PATH (*MAP NULL when it is empty), leaving it open as
 * *FD (-1 when it is not). */
static awn_status
map_file(const char *path, void **map, size_t *len, int *fdp, awn_error *err)
{
	awn_status st;
	int fd;

	*fdp = -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if ((st = map_fd(fd, path, map, len, err)) == AWN_OK)
		*fdp = fd;
	else
		close(fd);
	return st;
}

static awn_status
add_file(awn_db *db, const char *path, awn_error *err)
{
	void *map;
	size_t len;
	awn_status st;
	int fd;

	if ((st = map_file(path, &map, &len, &fd, err)) != AWN_OK)
		return st;
	st = add_part(db, path, map, len, fd, NULL, 0, err);
	close(fd);
	return st;
}

/* Map regular file PATH and add it as a part if it is a blob: blobs
 * start with a magic number that no text file starts with, so its first
 * byte decides.  *IS_BLOB 0: not one, nothing kept. */
static awn_status
add_if_blob(awn_db *db, const char *path, int *is_blob, awn_error *err)
{
	void *data;
	size_t len;
	awn_status st;
	int fd;

	*is_blob = 0;
	if ((st = map_file(path, &data, &len, &fd, err)) != AWN_OK)
		return st;
	if (data == NULL ||
	    *(unsigned char *)data != (unsigned char)BLOB_MAGIC[0]) {
		if (data != NULL)
			munmap(data, len);
		close(fd);
		return AWN_OK;
	}
	*is_blob = 1;
	st = add_part(db, path, data, len, fd, NULL, 0, err);
	close(fd);
	return st;
}

/* The kept blob FILE of some Markdown (cache.h), if it opens; named by
 * its own path, so that a fault found in it later names the file. */
static int
add_cached(awn_db *db, const char *file)
{
	struct stat sb;
	int is_blob;

	/* Only a regular file of its own: opening a FIFO would block. */
	if (lstat(file, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    add_if_blob(db, file, &is_blob, NULL) != AWN_OK || !is_blob)
		return 0;
	db->part[db->nparts - 1].cached = 1;
	return 1;
}

/* The last part added was compiled from the Markdown at PATH: its
 * documents lie below it on disk (part_place). */
static awn_status
set_source(awn_db *db, const char *path, int is_dir, awn_error *err)
{
	struct db_part *p = &db->part[db->nparts - 1];

	if ((p->source = alloc_strndup(path, strlen(path))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "%s: out of memory", path);
	p->source_dir = is_dir;
	return AWN_OK;
}

/* awn_db_on_build_progress's, for every build add_any makes. */
static awn_progress_fn *build_progress;
static void *build_progress_ctx;

void
awn_db_on_build_progress(awn_progress_fn *fn, void *ctx)
{
	build_progress = fn;
	build_progress_ctx = ctx;
}

/* awn_db_build_limits's; build_threads 0: none set. */
static int build_threads;
static size_t build_memory;
static const char *build_tmpdir;

void
awn_db_build_limits(int threads, size_t memory, const char *tmpdir)
{
	build_threads = threads;
	build_memory = memory;
	build_tmpdir = tmpdir;
}

struct cache_build {
	awn_builder *b;
	void *data; /* the blob, when it went to memory instead */
	size_t len;
	awn_status st;
	awn_error *err;
};

/* A cache_write_fn: B's blob into FD, else into memory. */
static int
write_build(void *ctx, int fd)
{
	struct cache_build *c = ctx;

	c->st = builder_write_fd(c->b, fd, &c->data, &c->len, c->err);
	return c->st == AWN_OK && c->data == NULL;
}

/*
 * Write B's blob into the cache as FILE, without holding it in memory:
 * *FD is then the file (kept as FILE: *KEPT 1), for the caller to map
 * and close.  Where that file cannot take it (a full disk, a file size
 * limit), into memory: *FD -1, *DATA and *LEN.  Where the cache makes no
 * file at all (a read-only one), nothing: *FD -1, *DATA NULL.
 */
static awn_status
write_cached(awn_builder *b, const char *file, int *fd, int *kept, void **data,
             size_t *len, awn_error *err)
{
	struct cache_build c = {b, NULL, 0, AWN_OK, err};

	*kept = cache_store_with(file, write_build, &c, fd);
	*data = c.data;
	*len = c.len;
	return c.st;
}

/*
 * B's blob, without a cache file for it, into a temporary file without
 * a name in awn_db_build_limits's TMPDIR, when one is set: *FD, for the
 * caller to map and close.  Else, or where that file cannot take it,
 * into memory: *FD -1, *DATA and *LEN.
 */
static awn_status
write_temp(awn_builder *b, int *fd, void **data, size_t *len, awn_error *err)
{
	awn_status st;

	*fd = build_tmpdir ? spill_open_temp(build_tmpdir) : -1;
	if (*fd < 0)
		return awn_builder_write_memory(b, data, len, err);
	st = builder_write_fd(b, *fd, data, len, err);
	if (st != AWN_OK || *data != NULL) {
		close(*fd);
		*fd = -1;
	}
	return st;
}

/* A blob file as it is; Markdown files and directories compiled, or
 * their blob from the cache. */
static awn_status
add_any(awn_db *db, const char *path, awn_error *err)
{
	awn_builder *b = NULL;
	struct stat sb;
	void *data = NULL;
	size_t len = 0;
	char *cached = NULL;
	awn_status st;
	int is_blob, fd = -1, kept = 0;

	/* stat first: opening a FIFO or a device could block or act. */
	if (stat(path, &sb) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if (S_ISREG(sb.st_mode) &&
	    ((st = add_if_blob(db, path, &is_blob, err)) != AWN_OK || is_blob))
		return st;
	if (db->cache_dir && (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)) &&
	    (cached = cache_file_for(db->cache_dir, db->cache_root, path, &sb,
	                             &db->cache_why)) != NULL &&
	    add_cached(db, cached)) {
		free(cached);
		return set_source(db, path, S_ISDIR(sb.st_mode), err);
	}
	if ((st = awn_builder_new(&b, err)) == AWN_OK && build_threads > 0)
		st = awn_builder_set_limits(b, build_threads, build_memory,
		                            build_tmpdir, err);
	if (st == AWN_OK)
		awn_builder_on_progress(b, build_progress, build_progress_ctx);
	if (st == AWN_OK &&
	    (st = awn_builder_add_path(b, path, err)) == AWN_OK && cached)
		st = write_cached(b, cached, &fd, &kept, &data, &len, err);
	if (st == AWN_OK && fd < 0 && data == NULL)
		st = write_temp(b, &fd, &data, &len, err);
	awn_builder_free(b); /* its memory goes before the blob's is used */
	if (st == AWN_OK && fd >= 0) {
		/* Named by its own path when kept (add_cached), so that a
		 * fault found in it later names the file. */
		void *map;

		if ((st = map_fd(fd, kept ? cached : path, &map, &len, err)) ==
		    AWN_OK)
			st = add_part(db, kept ? cached : path, map, len, fd,
			              NULL, 0, err);
		if (st == AWN_OK)
			db->part[db->nparts - 1].cached = kept;
		close(fd);
	} else if (st == AWN_OK) {
		st = add_part(db, path, NULL, 0, -1, data, len, err);
	}
	if (st == AWN_OK)
		st = set_source(db, path, S_ISDIR(sb.st_mode), err);
	free(cached);
	return st;
}

typedef awn_status (*adder)(awn_db *db, const char *path, awn_error *err);

/* A source, by device and inode; known 0 when it could not be stat'd. */
struct source_id {
	dev_t dev;
	ino_t ino;
	int known;
};

/*
 * Whether PATHS[I] is a file or directory that an earlier path names too
 * ("notes" and "./notes", a blob in AWSNOTE_PATH and -f): opened twice,
 * every section would be found, listed and grepped twice.  Records its
 * id in IDS[I].  A path that cannot be stat'd is left to the adder, to
 * report.
 */
static int
given_before(const char *const *paths, struct source_id *ids, size_t i)
{
	struct stat sb;
	size_t k;

	if (stat(paths[i], &sb) < 0 ||
	    (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)))
		return 0;
	for (k = 0; k < i; k++)
		if (ids[k].known && ids[k].dev == sb.st_dev &&
		    ids[k].ino == sb.st_ino)
			return 1;
	ids[i] = (struct source_id){sb.st_dev, sb.st_ino, 1};
	return 0;
}

/* CACHE_DIR: where add_any keeps compiled Markdown, or NULL; its first
 * CACHE_ROOT bytes must name a directory (awn_db_open_cached). */
static awn_status
open_with(awn_db **out, const char *const *paths, size_t n, adder add,
          const char *cache_dir, size_t cache_root, awn_error *err)
{
	struct source_id *ids = NULL;
	unsigned char *held = NULL;
	awn_db *db;
	awn_status st;
	size_t i;

	*out = NULL;
	/* A source given twice, or a file or directory that a directory
	 * given reads too, would give its documents twice. */
	if (n > 1 && ((ids = alloc_calloc(n, sizeof(*ids))) == NULL ||
	              (held = alloc_calloc(n, 1)) == NULL ||
	              (add == add_any && awn_paths_held(paths, n, held)))) {
		alloc_free(ids);
		alloc_free(held);
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	}
	if ((st = db_new(&db, err)) != AWN_OK) {
		alloc_free(ids);
		alloc_free(held);
		return st;
	}
	db->cache_dir = cache_dir;
	db->cache_root = cache_root;
	for (i = 0; i < n; i++) {
		if (ids != NULL && (given_before(paths, ids, i) || held[i]))
			continue;
		if ((st = add(db, paths[i], err)) != AWN_OK) {
			alloc_free(ids);
			alloc_free(held);
			awn_db_free(db);
			return st;
		}
	}
	alloc_free(ids);
	alloc_free(held);
	db->cache_dir = NULL; /* the caller's string */
	*out = db;
	return AWN_OK;
}

awn_status
awn_db_open(awn_db **out, const char *path, awn_error *err)
{
	return open_with(out, &path, 1, add_file, NULL, 0, err);
}

awn_status
awn_db_open_any(awn_db **out, const char *path, awn_error *err)
{
	return open_with(out, &path, 1, add_any, NULL, 0, err);
}

awn_status
awn_db_open_many(awn_db **out, const char *const *paths, size_t n,
                 awn_error *err)
{
	return open_with(out, paths, n, add_any, NULL, 0, err);
}

awn_status
awn_db_open_cached(awn_db **out, const char *const *paths, size_t n,
                   const char *cache_dir, size_t cache_root, awn_error *err)
{
	return open_with(out, paths, n, add_any, cache_dir, cache_root, err);
}

awn_status
awn_db_open_memory(awn_db **out, void *data, size_t len, const char *name,
                   awn_error *err)
{
	awn_db *db;
	awn_status st;

	*out = NULL;
	if ((st = db_new(&db, err)) != AWN_OK) {
		alloc_free(data);
		return st;
	}
	if ((st = add_part(db, name, NULL, 0, -1, data, len, err)) != AWN_OK) {
		awn_db_free(db);
		return st;
	}
	*out = db;
	return AWN_OK;
}

/* Every checksum and text block of part P. */
static awn_status
verify_part(awn_db *db, size_t p, awn_error *err)
{
	const struct blob *b = &db->part[p].blob;
	uint32_t nnames = (uint32_t)DOC_NAME_BLOCKS(b->ndocs), i;
	awn_status st;

	if ((st = blob_check_index(b, err)) != AWN_OK)
		return st;
	for (i = 0; i < nnames && !st; i++) {
		struct blob_names *bn;
		if ((st = blob_doc_names(b, i, &bn)) != AWN_OK)
			st = error_set(err, st, "%s: %s", b->name,
			               st == AWN_ERR_FORMAT
			                   ? "corrupt blob (document names)"
			                   : awn_strerror(st));
		alloc_free(bn);
	}
	for (i = 0; i < b->nblocks && !st; i++)
		if (!(st = blob_block_open(&db->text, b, i, err)))
			st = blob_block_need(&db->text, SIZE_MAX, err);
	db->text.blob = NULL; /* no cache: its part may differ from
	                         text_part */
	return st;
}

awn_status
awn_db_verify(awn_db *db, awn_error *err)
{
	awn_status st = AWN_OK;
	size_t p;

	for (p = 0; p < db->nparts && !st; p++)
		st = verify_part(db, p, err);
	return st;
}

const char *
awn_db_cache_problem(const awn_db *db)
{
	return db->cache_why;
}

size_t
awn_db_drop_damaged_cache(awn_db *db)
{
	awn_error err;
	size_t p, n = 0;

	for (p = 0; p < db->nparts; p++)
		if (db->part[p].cached &&
		    verify_part(db, p, &err) == AWN_ERR_FORMAT &&
		    unlink(db->part[p].name) == 0) {
			db->part[p].cached = 0;
			n++;
		}
	return n;
}

uint32_t
awn_db_count(const awn_db *db)
{
	return db->nsections;
}

uint32_t
awn_db_doc_count(const awn_db *db)
{
	return db->ndocs;
}

uint32_t
awn_db_doc_first(const awn_db *db, uint32_t doc)
{
	return doc < db->ndocs ? db_doc_first_section(db, doc) : AWN_NONE;
}

void
awn_db_only_doc(awn_db *db, uint32_t doc)
{
	db->only_doc = doc < db->ndocs ? doc : AWN_NONE;
	alloc_free(db->kept);
	db->kept = NULL;
}

/* The part holding global document DOC (DOC < db->ndocs). */
static const struct db_part *
part_of_doc(const awn_db *db, uint32_t doc)
{
	size_t lo = 0, hi = db->nparts;

	while (hi - lo > 1) { /* last part whose doc_base <= doc */
		size_t mid = lo + (hi - lo) / 2;
		if (db->part[mid].doc_base <= doc)
			lo = mid;
		else
			hi = mid;
	}
	return &db->part[lo];
}

const struct db_part *
db_part_of(const awn_db *db, uint32_t id)
{
	size_t lo = 0, hi = db->nparts;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (db->part[mid].sec_base <= id)
			lo = mid;
		else
			hi = mid;
	}
	return &db->part[lo];
}

const char *
db_doc_name(const awn_db *db, uint32_t doc, size_t *len)
{
	struct db_part *p;
	struct blob_names *bn;
	uint32_t local, k;

	*len = 0;
	if (doc >= db->ndocs)
		return "";
	/* Only the part's cache of decoded names changes. */
	p = (struct db_part *)part_of_doc(db, doc);
	local = doc - p->doc_base;
	k = local / DOC_NAME_BLOCK;
	if ((bn = (struct blob_names *)map_get(&p->names, k)) == NULL &&
	    blob_check_tables(&p->blob, BLOB_TABLE_BIT(BT_DOC_NAMES), NULL) ==
	        AWN_OK &&
	    blob_doc_names(&p->blob, k, &bn) == AWN_OK) {
		bn->next = p->names_made; /* for part_free */
		p->names_made = bn;
		if (map_put(&p->names, k, bn) != AWN_OK)
			return "";
	}
	if (bn == NULL)
		return "";
	*len = bn->len[local % DOC_NAME_BLOCK];
	return bn->bytes + bn->off[local % DOC_NAME_BLOCK];
}

/*
 * Call FN(CTX, doc, name, len) for every document in order until it
 * returns nonzero.  Each block of names is decoded, used and freed: a
 * walk over all of them would otherwise fill the parts' caches (47k
 * names of awsdocs+tldr: 3 ms).  A block that cannot be read is passed
 * over, as db_doc_name gives its names as empty.
 */
static void
each_doc_name(const awn_db *db,
              int (*fn)(void *ctx, uint32_t doc, const char *s, size_t n),
              void *ctx)
{
	size_t i;
	uint32_t k, j;

	for (i = 0; i < db->nparts; i++) {
		const struct db_part *p = &db->part[i];
		if (blob_check_tables(&p->blob, BLOB_TABLE_BIT(BT_DOC_NAMES),
		                      NULL) != AWN_OK)
			continue;
		for (k = 0; k < DOC_NAME_BLOCKS(p->blob.ndocs); k++) {
			struct blob_names *bn;
			int stop = 0;
			if (blob_doc_names(&p->blob, k, &bn) != AWN_OK)
				continue;
			for (j = 0; j < bn->n && !stop; j++)
				stop = fn(ctx,
				          p->doc_base + k * DOC_NAME_BLOCK + j,
				          bn->bytes + bn->off[j], bn->len[j]);
			alloc_free(bn);
			if (stop)
				return;
		}
	}
}

/* Byte I of name S/N in walk order (walk_cmp): a '/' reads as 0. */
static int
walk_byte(const char *s, size_t n, size_t i)
{
	if (i < n)
		return s[i] == '/' ? 0 : (unsigned char)s[i];
	return i - n < 3 ? ".md"[i - n] : -1;
}

/*
 * Names A/AN and B/BN in the order a directory walk meets their files
 * (walk.c): each directory's entries sorted by their names, ".md" and
 * all, so "s3-faq.md" comes before "s3.md" and "pages/x.md" before
 * "pages.de/x.md".  That is byte order of the names with each '/' read
 * as a byte below any other and ".md" after them (a ".markdown" file is
 * taken as ".md": the order may differ where only that tells two names
 * apart, and such a name may be missed).
 */
static int
walk_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;
	int x, y;

	for (i = 0;; i++) {
		x = walk_byte(a, an, i);
		y = walk_byte(b, bn, i);
		if (x != y)
			return x < y ? -1 : 1;
		if (x < 0)
			return 0;
	}
}

/* The first document of part P from block K's name I named NAME/LEN,
 * or AWN_NONE. */
static uint32_t
block_doc_named(const awn_db *db, const struct db_part *p, uint32_t k,
                uint32_t i, const char *name, size_t len)
{
	uint32_t local = k * DOC_NAME_BLOCK + i;

	for (; i < DOC_NAME_BLOCK && local < p->blob.ndocs; i++, local++) {
		size_t n;
		const char *s = db_doc_name(db, p->doc_base + local, &n);
		if (n == len && memcmp(s, name, len) == 0)
			return p->doc_base + local;
	}
	return AWN_NONE;
}

/*
 * The first document of part P named NAME/LEN exactly, or AWN_NONE: a
 * binary search over the first names of its DOC_NAMES blocks (each
 * stored whole: blob_doc_name_first), then the one block that can hold
 * the name: ~log2(ndocs / 16) names and one block decoded, where a walk
 * decodes them all (47k names of awsdocs+tldr: ~10M instructions).  The
 * names of a directory's documents are in walk order (walk_cmp), as
 * awsnote-index and -f DIR write them; in a part whose names are not (a
 * build of several inputs, each in turn; a hostile blob) it may miss a
 * name, never read outside the table nor give another's document.
 */
static uint32_t
part_doc_named(const awn_db *db, const struct db_part *p, const char *name,
               size_t len)
{
	uint32_t nb = (uint32_t)DOC_NAME_BLOCKS(p->blob.ndocs), lo = 0, hi = nb,
	         doc;
	const char *s;
	size_t n;

	if (nb == 0 || blob_check_tables(&p->blob, BLOB_TABLE_BIT(BT_DOC_NAMES),
	                                 NULL) != AWN_OK)
		return AWN_NONE;
	/* lo: the number of blocks whose first name sorts before NAME */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (blob_doc_name_first(&p->blob, mid, &s, &n) != AWN_OK)
			return AWN_NONE;
		if (walk_cmp(s, n, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* In the block before, after its first name; else block lo's
	 * first. */
	if (lo > 0 &&
	    (doc = block_doc_named(db, p, lo - 1, 1, name, len)) != AWN_NONE)
		return doc;
	if (lo < nb && blob_doc_name_first(&p->blob, lo, &s, &n) == AWN_OK &&
	    n == len && memcmp(s, name, len) == 0)
		return p->doc_base + lo * DOC_NAME_BLOCK;
	return AWN_NONE;
}

/* The first document named NAME/LEN exactly, or AWN_NONE: in part FIRST
 * (NULL: none) if it has one, else in each of the others in turn. */
static uint32_t
doc_named(const awn_db *db, const struct db_part *first, const char *name,
          size_t len)
{
	uint32_t doc;
	size_t i;

	if (first != NULL &&
	    (doc = part_doc_named(db, first, name, len)) != AWN_NONE)
		return doc;
	for (i = 0; i < db->nparts; i++)
		if (&db->part[i] != first &&
		    (doc = part_doc_named(db, &db->part[i], name, len)) !=
		        AWN_NONE)
			return doc;
	return AWN_NONE;
}

static int names_may_clash(awn_db *db);

/* Whether A and B, N bytes each, are the same, ASCII case aside if
 * FOLD. */
static int
same_name(const char *a, const char *b, size_t n, int fold)
{
	size_t i;

	if (!fold)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++)
		if (a[i] != b[i] &&
		    ((a[i] | 0x20) != (b[i] | 0x20) || (a[i] | 0x20) < 'a' ||
		     (a[i] | 0x20) > 'z'))
			return 0;
	return 1;
}

struct find_doc {
	awn_db *db;
	const char *name;
	size_t len;
	int fold;             /* ASCII case aside */
	int shown;            /* names may be shown with directories */
	uint32_t whole, last; /* the match by whole name, by last parts */
};

/* The length of a final ".md" or ".markdown" of name S/N as typed, ASCII
 * case aside as names are compared ("readme.MD" for README.md), or 0. */
static size_t
typed_suffix(const char *s, size_t n)
{
	if (n > 3 && same_name(s + n - 3, ".md", 3, 1))
		return 3;
	if (n > 9 && same_name(s + n - 9, ".markdown", 9, 1))
		return 9;
	return 0;
}

/* Might the document named S/N as stored be shown as F's name: does
 * that end in S after a '/', but for a suffix (".md", ".markdown": the
 * file's, of two from one directory), and say more than S? */
static int
shown_may_be(const struct find_doc *f, const char *s, size_t n)
{
	size_t len = f->len, base = len - typed_suffix(f->name, len);

	return n < len && n <= base &&
	       (n == base || f->name[base - n - 1] == '/') &&
	       same_name(f->name + base - n, s, n, f->fold);
}

static int
find_doc_at(void *ctx, uint32_t doc, const char *s, size_t n)
{
	struct find_doc *f = ctx;
	size_t len = f->len;

	/* "p2/README" for a README shown so (awn_db_doc_name): a name
	 * that the one asked for ends in is compared as shown. */
	if (f->shown && shown_may_be(f, s, n))
		s = awn_db_doc_name(f->db, doc, &n);

	if (n < len || !same_name(s + n - len, f->name, len, f->fold))
		return 0;
	if (n == len) {
		f->whole = doc; /* the whole name wins */
		return 1;
	}
	/* else its last components: "streams", "doc_source/streams" */
	if (f->last == AWN_NONE && s[n - len - 1] == '/' && f->name[0] != '/')
		f->last = doc;
	return 0;
}

/* Whether document DOC, named S/N as stored, is shown as F's name (the
 * stored name after its directories): F's whole is then DOC. */
static int
shown_doc_at(void *ctx, uint32_t doc, const char *s, size_t n)
{
	struct find_doc *f = ctx;
	size_t len = f->len;

	if (!shown_may_be(f, s, n) || !awn_db_doc_kept(f->db, doc))
		return 0;
	s = awn_db_doc_name(f->db, doc, &n);
	if (n != len || !same_name(s, f->name, len, f->fold))
		return 0;
	f->whole = doc;
	return 1;
}

uint32_t
db_doc_shown_as(awn_db *db, const char *word, size_t len)
{
	struct find_doc f = {.db = db, .name = word, .len = len};
	size_t i = 0;
	uint32_t doc;

	/* A word without a '/' or a suffix is no name as shown, and those
	 * are only where names may clash.  A loop, not memchr: every lookup
	 * asks, and a libc function's first call costs ~850 instructions. */
	while (i < len && word[i] != '/')
		i++;
	if (i == len && typed_suffix(word, len) == 0)
		return AWN_NONE;
	f.whole = AWN_NONE;
	if (names_may_clash(db))
		for (; f.fold < 2 && f.whole == AWN_NONE; f.fold++)
			each_doc_name(db, shown_doc_at, &f);
	if (f.whole != AWN_NONE || i == len)
		return f.whole;
	/* A name shown as stored, typed whole as -l shows it
	 * ("large-tldr/pages.zh/windows/xcopy"): its words, directories
	 * among them, are in no text.  Byte for byte, by binary search. */
	doc = doc_named(db, NULL, word, len);
	return doc != AWN_NONE && awn_db_doc_kept(db, doc) ? doc : AWN_NONE;
}

static uint32_t
find_doc(const awn_db *db, const char *name, size_t len, int fold)
{
	struct find_doc f = {.db = (awn_db *)db,
	                     .name = name,
	                     .len = len,
	                     .fold = fold,
	                     .whole = AWN_NONE,
	                     .last = AWN_NONE};

	if (len == 0)
		return AWN_NONE;
	f.shown = names_may_clash(f.db);
	/* A walk, not doc_named's binary search: a blob built from several
	 * paths has names sorted only within each, and -d wants the first
	 * document of that name (once a run: a walk is affordable). */
	each_doc_name(db, find_doc_at, &f);
	return f.whole != AWN_NONE ? f.whole : f.last;
}

uint32_t
awn_db_find_doc(const awn_db *db, const char *name, size_t len)
{
	return find_doc(db, name, len, 0);
}

#define LINK_NAME_MAX 4096 /* a longer relative link is left a URL */

struct keep_dir {
	awn_db *db;
	const char *name; /* the directory, without a trailing '/' */
	size_t len;
	int fold;
	int shown;   /* names as shown, and where each document lay */
	char *where; /* LINK_NAME_MAX bytes for doc_where, when shown */
	unsigned char *kept;
	uint32_t n;
};

static int doc_where(awn_db *db, uint32_t doc, char *buf, size_t size,
                     size_t *len);

/* Whether "DIR/" stands in S/N at its start or after a '/'. */
static int
names_dir(const struct keep_dir *d, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *slash;
	size_t len = d->len;

	while ((size_t)(end - p) > len) {
		if (p[len] == '/' && same_name(p, d->name, len, d->fold))
			return 1;
		if ((slash = memchr(p, '/', (size_t)(end - p))) == NULL)
			break;
		p = slash + 1;
	}
	return 0;
}

/* Keep the document named S/N if it is under the directory.  Shown, a
 * name holds only the directories that tell it from a namesake, so its
 * place is asked too: of a blob built from g1/doc_source and
 * g2/doc_source, -d g1 wants all of g1's pages, not just the namesakes
 * shown as g1/doc_source/index. */
static int
keep_at(void *ctx, uint32_t doc, const char *s, size_t n)
{
	struct keep_dir *d = ctx;
	size_t wl;
	int in;

	if (d->shown)
		s = awn_db_doc_name(d->db, doc, &n);
	in = names_dir(d, s, n);
	if (!in && d->shown &&
	    doc_where(d->db, doc, d->where, LINK_NAME_MAX - 1, &wl)) {
		/* Its directories and its stored name, as one path. */
		s = db_doc_name(d->db, doc, &n);
		d->where[wl++] = '/';
		if (n > LINK_NAME_MAX - wl)
			n = LINK_NAME_MAX - wl;
		memcpy(d->where + wl, s, n);
		in = names_dir(d, d->where, wl + n);
	}
	if (in) {
		d->kept[doc / 8] |= (unsigned char)(1u << doc % 8);
		d->n++;
	}
	return 0;
}

static awn_status keep_docs(awn_db *db, const char *name, size_t len, int fold,
                            uint32_t *count);

/* Keep document DOC in bitmap KEPT, counting it in *N. */
static void
keep_one(unsigned char *kept, uint32_t doc, uint32_t *n)
{
	if (!(kept[doc / 8] >> doc % 8 & 1)) {
		kept[doc / 8] |= (unsigned char)(1u << doc % 8);
		(*n)++;
	}
}

/*
 * Keep what PATH (NUL-terminated, on disk) was compiled from: each part
 * given by that path or, for a directory, below it (a blob, Markdown
 * file or directory), or the documents of a Markdown file or directory
 * below a directory given, each by its real path.  For documents that share a
 * name
 * ("README" of -f p1/README.md -f p2/README.md), which no name tells
 * apart.  *COUNT 0: nothing there.
 */
static awn_status
keep_path(awn_db *db, const char *path, uint32_t *count)
{
	char *real = NULL, *src;
	unsigned char *kept = NULL;
	struct stat sb;
	uint32_t n = 0, d, doc = AWN_NONE;
	size_t i, rl, nl;
	const char *rel, *s;

	*count = 0;
	if (stat(path, &sb) < 0 || (real = realpath(path, NULL)) == NULL)
		return AWN_OK;
	if ((kept = alloc_calloc((db->ndocs + 7) / 8 + 1, 1)) == NULL) {
		free(real);
		return AWN_ERR_NOMEM;
	}
	for (i = 0; i < db->nparts; i++) {
		struct db_part *p = &db->part[i];
		if ((src = realpath(p->source ? p->source : p->name, NULL)) ==
		    NULL)
			continue;
		rl = strcmp(real, "/") == 0 ? 0 : strlen(real);
		if (strcmp(src, real) == 0 ||
		    (S_ISDIR(sb.st_mode) && strncmp(src, real, rl) == 0 &&
		     src[rl] == '/')) { /* all of it: it, or below it */
			for (d = 0; d < p->blob.ndocs; d++)
				keep_one(kept, doc = p->doc_base + d, &n);
		} else if (p->source_dir &&
		           walk_reaches(src, real, S_ISDIR(sb.st_mode))) {
			rel = real + strlen(src) + (strcmp(src, "/") != 0);
			rl = strlen(rel);
			if (!S_ISDIR(sb.st_mode))
				rl -= walk_markdown_suffix(rel, rl);
			for (d = 0; d < p->blob.ndocs; d++) {
				s = db_doc_name(db, p->doc_base + d, &nl);
				if (S_ISDIR(sb.st_mode)
				        ? nl > rl && s[rl] == '/'
				        : nl == rl)
					if (memcmp(s, rel, rl) == 0)
						keep_one(kept,
						         doc = p->doc_base + d,
						         &n);
			}
		}
		free(src);
	}
	free(real);
	if (n <= 1) {
		alloc_free(kept);
		if (n == 1)
			awn_db_only_doc(db, doc);
	} else {
		awn_db_only_doc(db, AWN_NONE);
		db->kept = kept;
	}
	*count = n;
	return AWN_OK;
}

awn_status
awn_db_keep_docs(awn_db *db, const char *name, size_t len, uint32_t *count)
{
	size_t base = len - walk_markdown_suffix(name, len);
	awn_status st = AWN_OK;
	uint32_t doc;
	int fold;

	/* Names as they are; failing that, ASCII case aside ("readme" for
	 * README.md), as words match in a lookup. */
	for (fold = 0, *count = 0; fold < 2 && !st && *count == 0; fold++) {
		if ((st = keep_docs(db, name, len, fold, count)) || *count)
			break;
		/* "s3.md", as the file is called, for the document "s3":
		 * a document only, as a file name names one ("lambda.md"
		 * is not the directory lambda/). */
		if (base < len && name[base - 1] != '/' &&
		    (doc = find_doc(db, name, base, fold)) != AWN_NONE) {
			awn_db_only_doc(db, doc);
			*count = 1;
		}
	}
	/* Then a path on disk, as the shell completes it. */
	if (!st && *count == 0 && len > 0 && memchr(name, '\0', len) == NULL) {
		char *path = alloc_strndup(name, len);
		if (path == NULL)
			return AWN_ERR_NOMEM;
		st = keep_path(db, path, count);
		alloc_free(path);
	}
	return st;
}

static awn_status
keep_docs(awn_db *db, const char *name, size_t len, int fold, uint32_t *count)
{
	struct keep_dir dir;
	unsigned char *kept;
	uint32_t doc, n;

	*count = 0;
	if (len > 0 && name[len - 1] != '/' &&
	    (doc = find_doc(db, name, len, fold)) != AWN_NONE) {
		awn_db_only_doc(db, doc);
		*count = 1;
		return AWN_OK;
	}
	while (len > 0 && name[len - 1] == '/')
		len--;
	if (len == 0 || db->ndocs == 0)
		return AWN_OK;
	if ((kept = alloc_calloc((db->ndocs + 7) / 8, 1)) == NULL)
		return AWN_ERR_NOMEM;
	dir.db = db;
	dir.name = name;
	dir.len = len;
	dir.fold = fold;
	dir.shown = 0;
	dir.where = NULL;
	dir.kept = kept;
	dir.n = 0;
	each_doc_name(db, keep_at, &dir);
	/* Else the directories that names are shown with ("p1/" of
	 * p1/README) or that documents lay in: a look-up a name, so only
	 * when stored names gave nothing. */
	if (dir.n == 0 && names_may_clash(db)) {
		if ((dir.where = alloc_malloc(LINK_NAME_MAX)) == NULL) {
			alloc_free(kept);
			return AWN_ERR_NOMEM;
		}
		dir.shown = 1;
		each_doc_name(db, keep_at, &dir);
		alloc_free(dir.where);
	}
	if ((n = dir.n) == 0) {
		alloc_free(kept);
		return AWN_OK;
	}
	awn_db_only_doc(db, AWN_NONE);
	db->kept = kept;
	*count = n;
	return AWN_OK;
}

int
awn_db_doc_kept(const awn_db *db, uint32_t doc)
{
	if (db->kept != NULL)
		return doc < db->ndocs && (db->kept[doc / 8] >> doc % 8 & 1);
	return db->only_doc == AWN_NONE || doc == db->only_doc;
}

const unsigned char *
db_block_filter(const awn_db *db, uint32_t id)
{
	const struct db_part *p = db_part_of(db, id);
	const struct blob_slice *t = &p->blob.table[BT_BLOCK_GRAMS];
	uint32_t block = db_section_field(db, id, SF_BLOCK);

	if (t->len != (size_t)p->blob.nblocks * PREFILTER_BYTES ||
	    block >= p->blob.nblocks)
		return NULL;
	return t->p + (size_t)block * PREFILTER_BYTES;
}

awn_status
db_check_filters(const awn_db *db, uint32_t id, awn_error *err)
{
	if (id >= db->nsections)
		return AWN_OK;
	return blob_check_tables(&db_part_of(db, id)->blob,
	                         BLOB_TABLE_BIT(BT_BLOCK_GRAMS), err);
}

uint32_t
db_section_field(const awn_db *db, uint32_t id, unsigned f)
{
	const struct db_part *p = db_part_of(db, id);

	return blob_field(&p->blob.sections, id - p->sec_base, f);
}

awn_status
db_section_tree(const awn_db *db, uint32_t id, awn_section *out)
{
	const struct db_part *p;
	const struct blob_records *r;
	uint32_t n, local, back, ahead, off;

	memset(out, 0, sizeof(*out));
	out->title = out->anchor = "";
	if (id >= db->nsections)
		return AWN_ERR_ARG;
	p = db_part_of(db, id);
	local = id - p->sec_base;
	n = p->blob.nsections;
	r = &p->blob.sections;
	out->id = id;
	back = blob_field(r, local, SF_PARENT_BACK);
	ahead = blob_field(r, local, SF_END_AHEAD);
	out->doc = blob_field(r, local, SF_DOC);
	out->level = blob_field(r, local, SF_LEVEL);
	/* Repair what a corrupt record could make dangerous to follow. */
	out->parent = back == 0 || back > local ? AWN_NONE : local - back;
	out->end = ahead == 0 || ahead > n - local ? local + 1 : local + ahead;
	if (out->doc >= p->blob.ndocs)
		out->doc = 0;
	if (out->level > 6)
		out->level = 6;
	if (out->parent != AWN_NONE)
		out->parent += p->sec_base;
	out->end += p->sec_base;
	out->doc += p->doc_base;
	off = blob_field(r, local, SF_TITLE_OFF);
	n = blob_field(r, local, SF_TITLE_LEN);
	if (blob_string(&p->blob, off, n, &out->title) == 0)
		out->title_len = n;
	else
		out->title = "";
	return AWN_OK;
}

/* Room for N bytes that live as long as part P (its anchor arena). */
static char *
arena_alloc(struct db_part *p, size_t n)
{
	struct db_chunk *c = p->chunks;
	size_t cap;

	if (c == NULL || c->cap - c->used < n) {
		cap = n > DB_CHUNK ? n : DB_CHUNK;
		if ((c = alloc_malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->next = p->chunks;
		c->used = 0;
		c->cap = cap;
		p->chunks = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

/*
 * The anchor of section LOCAL of part P, whose title is OUT's: stored
 * after the title, or the title's slug, made once and kept.  Only P's
 * cache changes.
 */
static awn_status
section_anchor(struct db_part *p, uint32_t local, awn_section *out)
{
	const struct blob_records *r = &p->blob.sections;
	uint32_t a = blob_field(r, local, SF_ANCHOR),
	         off = blob_field(r, local, SF_TITLE_OFF);
	struct buf slug;
	char *s;
	awn_status st;

	if (a > 0) {
		off = out->title_len > UINT32_MAX - off ? UINT32_MAX
		                                        : off + out->title_len;
		if (blob_string(&p->blob, off, a - 1, &out->anchor) == 0)
			out->anchor_len = a - 1;
		return AWN_OK;
	}
	if ((s = (char *)map_get(&p->anchor, local)) == NULL) {
		buf_init(&slug, 0);
		st = markdown_slug(out->title, out->title_len, &slug);
		s = st ? NULL : arena_alloc(p, slug.len + 1);
		if (s) {
			if (slug.len > 0) /* an empty slug may have no data */
				memcpy(s, slug.data, slug.len);
			s[slug.len] = '\0';
			st = map_put(&p->anchor, local, s);
		}
		buf_free(&slug);
		if (s == NULL || st)
			return st ? st : AWN_ERR_NOMEM;
	}
	out->anchor = s;
	out->anchor_len = strlen(out->anchor);
	return AWN_OK;
}

/* A preamble's title, its document's name, as awn_db_doc_name shows it
 * (the anchor stays the stored name's). */
static void
preamble_shown(const awn_db *db, awn_section *s)
{
	size_t n;
	const char *name;

	if (s->level != 0 || !names_may_clash((awn_db *)db))
		return;
	name = db_doc_name(db, s->doc, &n);
	if (n == s->title_len && memcmp(name, s->title, n) == 0)
		s->title = awn_db_doc_name(db, s->doc, &s->title_len);
}

awn_status
awn_db_section_tree(const awn_db *db, uint32_t id, awn_section *out)
{
	awn_status st = db_section_tree(db, id, out);

	if (st == AWN_OK)
		preamble_shown(db, out);
	return st;
}

awn_status
awn_db_section(const awn_db *db, uint32_t id, awn_section *out)
{
	awn_status st = db_section_tree(db, id, out);
	struct db_part *p;

	if (st != AWN_OK)
		return st;
	/* Only the part's cache of derived anchors changes. */
	p = (struct db_part *)db_part_of(db, id);
	st = section_anchor(p, id - p->sec_base, out);
	preamble_shown(db, out);
	return st;
}

/*
 * A path as awn_db_path writes it: into BUF while whole characters fit
 * (SIZE bytes with the NUL), its length counted in LEN whether they fit
 * or not, and past AWN_PATH_MAX cut at CUT, the last character boundary
 * that leaves room for "...".
 */
struct path_out {
	char *buf;
	size_t size;
	size_t len;  /* bytes of the path so far */
	size_t kept; /* the first of them, in BUF */
	size_t cut;  /* SIZE_MAX until the path comes near AWN_PATH_MAX */
	int over;    /* it went past: nothing more is added */
};

/* Append one character's bytes C/K (or K single-byte characters). */
static void
path_add(struct path_out *p, const char *c, size_t k, int single)
{
	size_t fit;

	if (p->over)
		return;
	if (p->cut == SIZE_MAX && p->len + k > AWN_PATH_MAX - 3)
		p->cut = single ? AWN_PATH_MAX - 3 : p->len;
	if (p->len + k > AWN_PATH_MAX) {
		p->over = 1;
		k = single ? AWN_PATH_MAX - p->len : 0;
	}
	/* BUF holds a prefix: once a character misses it, so do the rest. */
	if (p->kept == p->len && p->kept + 1 < p->size) {
		fit = single ? p->size - 1 - p->kept : k;
		fit = fit < k ? fit : k;
		if (p->kept + fit < p->size) {
			memcpy(p->buf + p->kept, c, fit);
			p->kept += fit;
		}
	}
	p->len += k;
}

/* Append S/N; when SAFE, as awn_display_text shows it. */
static void
path_put(struct path_out *p, const char *s, size_t n, int safe)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, used, k;
	char enc[4];
	uint32_t cp;

	while (i < n && !p->over) {
		for (run = i; i < n && u[i] >= 0x20 && u[i] < 0x7F; i++)
			;
		if (i > run) { /* most titles: printable ASCII as is */
			path_add(p, s + run, i - run, 1);
			continue;
		}
		cp = utf8_decode(u + i, n - i, &used);
		if (!safe) {
			path_add(p, s + i, used, 0);
		} else {
			if (utf8_is_control(cp))
				cp = UTF8_REPLACEMENT;
			k = utf8_encode(cp, enc);
			path_add(p, enc, k, 0);
		}
		i += used;
	}
}

size_t
awn_db_path(const awn_db *db, uint32_t id, const char *sep, char *buf,
            size_t size)
{
	struct path_out p = {buf, size, 0, 0, SIZE_MAX, 0};
	uint32_t chain[64], n = 0, cur = id;
	size_t seplen = strlen(sep), i;
	awn_section s;

	while (cur != AWN_NONE && n < 64 && db_section_tree(db, cur, &s) == 0) {
		chain[n++] = cur;
		cur = s.parent;
	}
	if (db->ndocs > 1 && n > 0 && db_section_tree(db, id, &s) == 0 &&
	    s.level > 0) {
		size_t dl;
		const char *dn = awn_db_doc_name(db, s.doc, &dl);
		path_put(&p, dn, dl, 1);
		path_put(&p, sep, seplen, 0);
	}
	for (i = n; i-- > 0 && !p.over;) {
		awn_db_section_tree(db, chain[i], &s);
		if (s.title_len == 0 && s.level > 0)
			path_put(&p, AWN_UNTITLED, sizeof(AWN_UNTITLED) - 1, 0);
		else
			path_put(&p, s.title, s.title_len, 1);
		if (i > 0)
			path_put(&p, sep, seplen, 0);
	}
	if (p.over) {
		/* Past what any writer of ours makes: cut, and say so. */
		p.kept = p.kept < p.cut ? p.kept : p.cut;
		p.len = p.cut;
		p.over = 0;
		path_put(&p, "...", 3, 0);
	}
	if (size > 0)
		buf[p.kept] = '\0';
	return p.len;
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

/* The section of ANCHORS record I of part P; -1 if it names none. */
static int
anchor_of(const awn_db *db, const struct db_part *p, uint32_t i,
          awn_section *sec)
{
	uint32_t local = blob_field(&p->blob.anchors, i, AF_SECTION);

	if (local >= p->blob.nsections ||
	    awn_db_section(db, p->sec_base + local, sec) != AWN_OK)
		return -1;
	return 0;
}

/* Sections of part P whose anchor is ANCHOR: the first, or DOC's own. */
static uint32_t
part_find_anchor(const awn_db *db, const struct db_part *p, uint32_t doc,
                 const char *anchor, size_t len, int *in_doc)
{
	const struct blob_records *t = &p->blob.anchors;
	uint32_t lo = 0, hi = t->n, mid, found = AWN_NONE;
	awn_section sec;

	*in_doc = 0;
	/* Only links need it: checked at the first. */
	if (blob_check_tables(&p->blob, BLOB_TABLE_BIT(BT_ANCHORS), NULL))
		return AWN_NONE;
	while (lo < hi) { /* first record >= anchor */
		mid = lo + (hi - lo) / 2;
		if (anchor_of(db, p, mid, &sec) < 0 ||
		    anchor_cmp(sec.anchor, sec.anchor_len, anchor, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n; lo++) {
		int r = anchor_of(db, p, lo, &sec);
		if (r == 0 &&
		    anchor_cmp(sec.anchor, sec.anchor_len, anchor, len) != 0)
			break;
		if (r < 0)
			continue;
		if (found == AWN_NONE)
			found = sec.id;
		if (sec.doc == doc) {
			*in_doc = 1;
			return sec.id;
		}
	}
	return found;
}

uint32_t
awn_db_find_anchor(const awn_db *db, uint32_t doc, const char *anchor,
                   size_t len)
{
	uint32_t found = AWN_NONE, id;
	size_t i;
	int in_doc;

	if (len > 0 && anchor[0] == '#')
		anchor++, len--;
	for (i = 0; i < db->nparts; i++) {
		id = part_find_anchor(db, &db->part[i], doc, anchor, len,
		                      &in_doc);
		if (in_doc)
			return id;
		if (found == AWN_NONE)
			found = id;
	}
	return found;
}

/* ---- links to other documents ----------------------------------------- */

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Append path component S/N (percent escapes decoded) to the name in
 * OUT (its length at LEN), or take the last component off for "..".
 * -1 when the name would leave the notes or outgrow OUT.
 */
static int
name_step(char *out, size_t *len, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (n == 1 && s[0] == '.'))
		return 0;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
		if (*len == 0)
			return -1;
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the '/' */
		return 0;
	}
	if (*len > 0) {
		if (*len + 1 > LINK_NAME_MAX)
			return -1;
		out[(*len)++] = '/';
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0) {
			c = (char)(hex_value(s[i + 1]) * 16 +
			           hex_value(s[i + 2]));
			i += 2;
		}
		if (c == '/' || c == '\0' || *len + 1 > LINK_NAME_MAX)
			return -1;
		out[(*len)++] = c;
	}
	return 0;
}

uint32_t
db_doc_first_section(const awn_db *db, uint32_t doc)
{
	const struct db_part *p = part_of_doc(db, doc);
	uint32_t local = doc - p->doc_base;

	if (local >= p->blob.ndocs ||
	    blob_field(&p->blob.docs, local, DF_COUNT) == 0 ||
	    blob_field(&p->blob.docs, local, DF_FIRST) >= p->blob.nsections)
		return AWN_NONE;
	return p->sec_base + blob_field(&p->blob.docs, local, DF_FIRST);
}

/* The section of document DOC holding an <a name> or <a id> that is
 * NAME/LEN (HTML_NAMES), or AWN_NONE. */
static uint32_t
doc_html_name(const awn_db *db, uint32_t doc, const char *name, size_t len)
{
	const struct db_part *p = part_of_doc(db, doc);
	uint32_t local = doc - p->doc_base, first, n, i, sec, lo, count;

	if (local >= p->blob.ndocs)
		return AWN_NONE;
	lo = blob_field(&p->blob.docs, local, DF_FIRST);
	count = blob_field(&p->blob.docs, local, DF_COUNT);
	n = blob_names_with(&p->blob, blob_name_hash(name, len), &first);
	for (i = first; i < first + n; i++) {
		sec = blob_name_section(&p->blob, i);
		if (sec >= lo && sec - lo < count && sec < p->blob.nsections)
			return p->sec_base + sec;
	}
	return AWN_NONE;
}

/*
 * The real directory part P's documents are named from, as a path
 * below "/" ("" for "/" itself), made at the first need: the directory
 * given, or the one of the file given (that directory resolved, not a
 * link to the file: a link in it reads from where it was opened, as
 * on disk).  NULL for a blob, or when realpath fails.
 */
static const char *
part_place(struct db_part *p)
{
	char *dir, *real;
	const char *slash;

	if (p->place != NULL || p->source == NULL || p->place_failed)
		return p->place;
	slash = p->source_dir ? NULL : strrchr(p->source, '/');
	if (p->source_dir)
		dir = alloc_strndup(p->source, strlen(p->source));
	else if (slash == NULL)
		dir = alloc_strndup(".", 1);
	else
		dir = alloc_strndup(p->source, (size_t)(slash - p->source) +
		                                   (slash == p->source));
	real = dir ? realpath(dir, NULL) : NULL;
	if (real != NULL)
		p->place = alloc_strndup(real + 1, strlen(real + 1));
	p->place_failed = p->place == NULL;
	free(real);
	alloc_free(dir);
	return p->place;
}

/* NAME/LEN below directory DIR/DLEN (both below one root): the rest of
 * it (*REST, *RLEN), or 0 when it is not below. */
static int
below_dir(const char *name, size_t len, const char *dir, size_t dlen,
          const char **rest, size_t *rlen)
{
	if (dlen > 0 && (len <= dlen + 1 || name[dlen] != '/' ||
	                 memcmp(name, dir, dlen) != 0))
		return 0;
	*rest = name + dlen + (dlen > 0);
	*rlen = len - dlen - (dlen > 0);
	return *rlen > 0;
}

#define RANGE_SCAN_MAX 256 /* documents: a glob's files, not walk order */

/* The first document of part P numbered [LO, HI) there named NAME/LEN:
 * a binary search, as the documents of a directory are in walk order,
 * then a look at each when they are few (files given one by one). */
static uint32_t
range_doc_named(const awn_db *db, const struct db_part *p, uint32_t lo,
                uint32_t hi, const char *name, size_t len)
{
	uint32_t a = lo, b = hi, i;
	const char *s;
	size_t n;

	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		s = db_doc_name(db, p->doc_base + mid, &n);
		if (walk_cmp(s, n, name, len) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	if (a < hi && (s = db_doc_name(db, p->doc_base + a, &n)) && n == len &&
	    memcmp(s, name, len) == 0)
		return p->doc_base + a;
	for (i = lo; i < hi && hi - lo <= RANGE_SCAN_MAX; i++) {
		s = db_doc_name(db, p->doc_base + i, &n);
		if (n == len && memcmp(s, name, len) == 0)
			return p->doc_base + i;
	}
	return AWN_NONE;
}

/* The directory of SOURCES record holding local document LOCAL of blob
 * B, whose N records blob_sources checked. */
static void
source_dir(const struct blob *b, uint32_t n, uint32_t local, const char **dir,
           size_t *len)
{
	uint32_t k = 0;
	const char *s;
	size_t sn;

	while (k + 1 < n && blob_source(b, k + 1, &s, &sn) <= local)
		k++;
	(void)blob_source(b, k, dir, len);
}

/*
 * A link DEST/LEN (its path, without a fragment or the .md) from
 * document DOC that leaves the notes its document was compiled with
 * ("../b.md" in sub/c.md given with -f b.md, or with b.md to
 * awsnote-index): resolved against where the notes lay on disk, so
 * that it leads where it does there.  Places are known of Markdown
 * read this run (part_place: every such part is looked in) and, within
 * one blob, of the paths given to its build (SOURCES).  AWN_NONE when
 * neither is known or no document lies there.
 */
static uint32_t
doc_placed(awn_db *db, uint32_t doc, const char *dest, size_t len)
{
	struct db_part *p = (struct db_part *)part_of_doc(db, doc);
	uint32_t local = doc - p->doc_base, nsrc = 0, k, i, lo, hi, id;
	char name[LINK_NAME_MAX];
	const char *place = part_place(p), *base, *s, *rest, *end = dest + len;
	size_t n, bl, sn, rn;

	if (place == NULL && p->source == NULL &&
	    (nsrc = blob_sources(&p->blob)) > 0)
		source_dir(&p->blob, nsrc, local, &place, &sn);
	else if (place != NULL)
		sn = strlen(place);
	else
		return AWN_NONE;
	/* The place, the directory of the document's name, the link. */
	base = db_doc_name(db, doc, &bl);
	while (bl > 0 && base[bl - 1] != '/')
		bl--;
	if (sn + 1 + bl > sizeof(name))
		return AWN_NONE;
	memcpy(name, place, sn);
	n = sn;
	if (bl > 0) {
		if (n > 0)
			name[n++] = '/';
		memcpy(name + n, base, bl - 1);
		n += bl - 1;
	}
	while (dest < end) {
		const char *slash = memchr(dest, '/', (size_t)(end - dest));
		const char *stop = slash ? slash : end;
		if (name_step(name, &n, dest, (size_t)(stop - dest)) < 0)
			return AWN_NONE;
		dest = slash ? slash + 1 : stop;
	}
	if (nsrc > 0) { /* the paths of this blob's build */
		for (k = 0; k < nsrc; k++) {
			lo = blob_source(&p->blob, k, &s, &sn);
			hi = k + 1 < nsrc
			         ? blob_source(&p->blob, k + 1, &base, &bl)
			         : p->blob.ndocs;
			if (below_dir(name, n, s, sn, &rest, &rn) &&
			    (id = range_doc_named(db, p, lo, hi, rest, rn)) !=
			        AWN_NONE)
				return id;
		}
		return AWN_NONE;
	}
	for (i = 0; i < db->nparts; i++) { /* Markdown read this run */
		if ((s = part_place(&db->part[i])) != NULL &&
		    below_dir(name, n, s, strlen(s), &rest, &rn) &&
		    (id = part_doc_named(db, &db->part[i], rest, rn)) !=
		        AWN_NONE)
			return id;
	}
	return AWN_NONE;
}

/*
 * Documents of one name from several places ("README" of -f p1/README.md
 * -f p2/README.md, of two blobs, or of one blob built from p1 and p2)
 * are shown as an editor shows two open files of one name: with the
 * fewest directories above the name that tell each from the others
 * ("p1/README", "p2/README").  A document lay where its Markdown was
 * read (part_place, real) or, for a blob, in its real path as if it
 * were a directory, and there below the directory SOURCES gives: the
 * same on every run, whether Markdown was compiled or kept.  Worked out
 * per document at its first showing (a name looked for in each part or
 * SOURCES range: a few binary searches); a part of one place cannot
 * hold two documents of one name, so alone it costs nothing.
 */
#define NAME_CLASH_MAX 64 /* other documents of one name compared */

static const char name_unshared[1]; /* in part->shown: the stored name */

/* Part P, its SOURCES and SUFFIXES records counted (once). */
static struct db_part *
part_places(struct db_part *p)
{
	if (!p->places_known) {
		p->nsources = blob_sources(&p->blob);
		p->nsuffixes = blob_suffixes(&p->blob);
		p->places_known = 1;
	}
	return p;
}

static uint32_t
part_sources(struct db_part *p)
{
	return part_places(p)->nsources;
}

static uint32_t
part_suffixes(struct db_part *p)
{
	return part_places(p)->nsuffixes;
}

/* Was document DOC read from a NAME.markdown beside a NAME.md? */
static int
doc_markdown(awn_db *db, uint32_t doc)
{
	struct db_part *p = (struct db_part *)part_of_doc(db, doc);
	uint32_t n = part_suffixes(p);

	return n > 0 && blob_doc_markdown(&p->blob, n, doc - p->doc_base);
}

static int
names_may_clash(awn_db *db)
{
	size_t i;

	if (!db->names_checked) {
		db->names_may_clash = db->nparts > 1;
		for (i = 0; i < db->nparts && !db->names_may_clash; i++)
			db->names_may_clash = part_sources(&db->part[i]) > 0 ||
			                      part_suffixes(&db->part[i]) > 0;
		db->names_checked = 1;
	}
	return db->names_may_clash;
}

/* Where document DOC lay, as directories below "/" without a '/' at
 * either end, into BUF of SIZE bytes (*LEN); 0 when unknown. */
static int
doc_where(awn_db *db, uint32_t doc, char *buf, size_t size, size_t *len)
{
	struct db_part *p = (struct db_part *)part_of_doc(db, doc);
	uint32_t n = part_sources(p);
	const char *top = part_place(p), *dir = "";
	size_t tl, dl = 0;

	if (top == NULL && p->source == NULL) { /* a blob, by its file */
		if (p->blob_real == NULL && !p->blob_real_failed)
			p->blob_real_failed =
			    (p->blob_real = realpath(p->name, NULL)) == NULL;
		top = p->blob_real ? p->blob_real : p->name;
	}
	if (top == NULL)
		return 0;
	while (*top == '/')
		top++;
	for (tl = strlen(top); tl > 0 && top[tl - 1] == '/'; tl--)
		;
	if (n > 0)
		source_dir(&p->blob, n, doc - p->doc_base, &dir, &dl);
	if (tl + 1 + dl > size)
		return 0;
	memcpy(buf, top, tl);
	*len = tl;
	if (dl > 0) {
		if (*len > 0)
			buf[(*len)++] = '/';
		memcpy(buf + *len, dir, dl);
		*len += dl;
	}
	return 1;
}

/* How many last components paths A and B (no '/' at either end) share. */
static size_t
shared_components(const char *a, size_t an, const char *b, size_t bn)
{
	size_t k = 0;

	for (; an > 0 && bn > 0 && a[an - 1] == b[bn - 1]; an--, bn--)
		if (a[an - 1] == '/')
			k++;
	if ((an == 0 || a[an - 1] == '/') && (bn == 0 || b[bn - 1] == '/'))
		k++; /* the last compared component is whole in both */
	return k;
}

/*
 * A namesake of DOC from its own directory, where NAME/LEN is DOC's name
 * and a search of its range [LO, HI) of part P found DOC itself: a
 * README.md beside README.markdown (SUFFIXES lists the second).  For a
 * listed DOC a look at each name of the range (only these few pay it),
 * else at the listed.  AWN_NONE when there is none.
 */
static uint32_t
twin_of(awn_db *db, struct db_part *p, uint32_t doc, uint32_t lo, uint32_t hi,
        const char *name, size_t len)
{
	uint32_t n = part_suffixes(p), k, other;
	const char *s;
	size_t sn;

	for (k = 0; k < (doc_markdown(db, doc) ? hi - lo : n); k++) {
		other =
		    p->doc_base +
		    (doc_markdown(db, doc) ? lo + k : blob_suffix(&p->blob, k));
		if (other != doc && other >= p->doc_base + lo &&
		    other < p->doc_base + hi &&
		    (s = db_doc_name(db, other, &sn)) && sn == len &&
		    memcmp(s, name, len) == 0)
			return other;
	}
	return AWN_NONE;
}

/* The documents but DOC named NAME/LEN into OTHERS: the first of each
 * part, or of each SOURCES range (one place each).  At most
 * NAME_CLASH_MAX; the number found. */
static size_t
find_namesakes(awn_db *db, uint32_t doc, const char *name, size_t len,
               uint32_t others[NAME_CLASH_MAX])
{
	size_t i, found = 0;
	uint32_t k, n, lo, hi, other;
	const char *s;
	size_t sn;

	for (i = 0; i < db->nparts && found < NAME_CLASH_MAX; i++) {
		struct db_part *q = &db->part[i];
		/* A part of one place is one range. */
		n = part_sources(q);
		for (k = 0; k < (n ? n : 1) && found < NAME_CLASH_MAX; k++) {
			lo = 0;
			hi = q->blob.ndocs;
			if (n == 0)
				other = part_doc_named(db, q, name, len);
			else {
				lo = blob_source(&q->blob, k, &s, &sn);
				hi = k + 1 < n
				         ? blob_source(&q->blob, k + 1, &s, &sn)
				         : q->blob.ndocs;
				/* One place names each document once but for
				 * twins (x.md beside x.markdown, in SUFFIXES):
				 * without any, DOC's own range holds no other
				 * name like its own, and is not searched. */
				if (doc >= q->doc_base + lo &&
				    doc < q->doc_base + hi &&
				    part_suffixes(q) == 0)
					continue;
				other =
				    range_doc_named(db, q, lo, hi, name, len);
			}
			if (other == doc && part_suffixes(q) > 0)
				other = twin_of(db, q, doc, lo, hi, name, len);
			if (other != AWN_NONE && other != doc)
				others[found++] = other;
		}
	}
	return found;
}

struct namesakes {
	awn_db *db;
	int markdown;     /* the document was a .markdown (SUFFIXES) */
	const char *mine; /* where the document lay */
	size_t mine_len;
	size_t need; /* the last components of MINE that tell it apart */
	int suffix;  /* and its file's suffix, for one of its directory */
	char *other; /* room for where another lay */
};

static void
namesake_at(struct namesakes *c, uint32_t doc)
{
	size_t n, k;

	if (!doc_where(c->db, doc, c->other, LINK_NAME_MAX, &n))
		return;
	/* Of the same place (README.md beside README.markdown), only the
	 * suffix tells it apart, when SUFFIXES says it differs. */
	if (n == c->mine_len && memcmp(c->mine, c->other, n) == 0) {
		c->suffix |= doc_markdown(c->db, doc) != c->markdown;
		return;
	}
	k = shared_components(c->mine, c->mine_len, c->other, n) + 1;
	c->need = k > c->need ? k : c->need;
}

/* Where the last K components of path S/N start (0: all of it). */
static size_t
last_components(const char *s, size_t n, size_t k)
{
	for (; n > 0; n--)
		if (s[n - 1] == '/' && --k == 0)
			return n;
	return 0;
}

#define SHOWN_BEFORE_HASHES 256 /* names asked for before hashing all */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Might another document have name NAME/LEN?  Searching the other
 * places for it costs a few binary searches a name, cheap for the
 * paths of one lookup but most of `-l`'s time on a set of thousands
 * of documents; so once SHOWN_BEFORE_HASHES names were asked for, one
 * pass hashes them all, and a hash met once is a name no other has.
 */
static int
name_may_be_shared(awn_db *db, const char *name, size_t len)
{
	uint64_t h, *a;
	size_t lo, hi, i;
	const char *s;
	size_t n;

	if (db->name_hashes == NULL) {
		if (db->name_hashes_failed ||
		    ++db->nshown_asked <= SHOWN_BEFORE_HASHES)
			return 1;
		if ((a = alloc_reallocarray(NULL, db->ndocs, sizeof(*a))) ==
		    NULL) {
			db->name_hashes_failed = 1;
			return 1;
		}
		for (i = 0; i < db->ndocs; i++) {
			s = db_doc_name(db, (uint32_t)i, &n);
			a[i] = blob_name_hash(s, n);
		}
		qsort(a, db->ndocs, sizeof(*a), cmp_u64);
		db->name_hashes = a;
	}
	h = blob_name_hash(name, len);
	for (lo = 0, hi = db->ndocs; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (db->name_hashes[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo + 1 < db->ndocs && db->name_hashes[lo + 1] == h;
}

/* Document DOC's name NAME/LEN as shown (see above), kept in its part's
 * arena as a 4-byte length and the bytes; name_unshared when no other
 * document has it, NULL when out of memory. */
static const char *
shown_name(awn_db *db, uint32_t doc, const char *name, size_t len)
{
	struct db_part *p = (struct db_part *)part_of_doc(db, doc);
	uint32_t others[NAME_CLASH_MAX], n;
	char *mine, *v = NULL;
	struct namesakes c;
	size_t from, nothers, i, dirs, sl;
	const char *suffix;

	/* Most names are no other's: said before doc_where's realpath. */
	if (!name_may_be_shared(db, name, len) ||
	    (nothers = find_namesakes(db, doc, name, len, others)) == 0)
		return name_unshared;
	if ((mine = alloc_malloc(2 * (size_t)LINK_NAME_MAX)) == NULL)
		return NULL;
	c = (struct namesakes){db, doc_markdown(db, doc), mine, 0, 0,
	                       0,  mine + LINK_NAME_MAX};
	if (doc_where(db, doc, mine, LINK_NAME_MAX, &c.mine_len))
		for (i = 0; i < nothers; i++)
			namesake_at(&c, others[i]);
	if ((c.need == 0 && !c.suffix) || c.mine_len == 0) {
		alloc_free(mine);
		return name_unshared;
	}
	/* "p1/README", "README.markdown", "p1/README.md". */
	from = c.need ? last_components(mine, c.mine_len, c.need) : c.mine_len;
	dirs = c.mine_len - from + (c.need > 0);
	suffix = !c.suffix ? "" : c.markdown ? ".markdown" : ".md";
	sl = strlen(suffix);
	n = (uint32_t)(dirs + len + sl);
	if ((v = arena_alloc(p, 4 + (size_t)n)) != NULL) {
		memcpy(v, &n, 4);
		memcpy(v + 4, mine + from, c.mine_len - from);
		if (c.need > 0)
			v[4 + dirs - 1] = '/';
		memcpy(v + 4 + dirs, name, len);
		memcpy(v + 4 + dirs + len, suffix, sl);
	}
	alloc_free(mine);
	return v;
}

const char *
awn_db_doc_name(const awn_db *cdb, uint32_t doc, size_t *len)
{
	awn_db *db = (awn_db *)cdb; /* only caches change */
	const char *name = db_doc_name(db, doc, len), *v;
	struct db_part *p;
	uint32_t n;

	if (*len == 0 || !names_may_clash(db))
		return name;
	p = (struct db_part *)part_of_doc(db, doc);
	if ((v = map_get(&p->shown, doc - p->doc_base)) == NULL) {
		if ((v = shown_name(db, doc, name, *len)) == NULL)
			return name; /* out of memory: as stored */
		(void)map_put(&p->shown, doc - p->doc_base, v);
	}
	if (v == name_unshared)
		return name;
	memcpy(&n, v, 4);
	*len = n;
	return v + 4;
}

uint32_t
db_link_target(awn_db *db, uint32_t doc, const char *dest, size_t len)
{
	char name[LINK_NAME_MAX];
	const char *end = dest + len, *hash, *q, *p, *base;
	size_t n = 0, bl = 0, ext, stem;
	uint32_t target, id;
	int in_doc;

	if (len > 0 && dest[0] == '#')
		return awn_db_find_anchor(db, doc, dest, len);
	/* A relative link to a Markdown file: no scheme ("https:",
	 * "mailto:"), no absolute path, a name ending in .md or .markdown
	 * before any query or fragment. */
	if (len == 0 || dest[0] == '/' || doc >= db->ndocs)
		return AWN_NONE;
	hash = memchr(dest, '#', len);
	q = memchr(dest, '?', (size_t)((hash ? hash : end) - dest));
	if (q == NULL)
		q = hash ? hash : end;
	for (p = dest; p < q && *p != '/'; p++)
		if (*p == ':')
			return AWN_NONE;
	ext = walk_markdown_suffix(dest, (size_t)(q - dest));
	if (ext == 0 || q[-(ptrdiff_t)ext - 1] == '/')
		return AWN_NONE; /* ".md", "dir/.md": no file's name */
	/* Nor "..md" or "dir/...md": the file's name is no "." or "..",
	 * which name_step would take for a directory. */
	for (p = q - ext; p > dest && p[-1] != '/'; p--)
		;
	stem = (size_t)(q - ext - p);
	if (p[0] == '.' && (stem == 1 || (stem == 2 && p[1] == '.')))
		return AWN_NONE;
	/* Relative to the directory of the linking document's name. */
	base = db_doc_name(db, doc, &bl);
	while (bl > 0 && base[bl - 1] != '/')
		bl--;
	if (bl > 0)
		bl--;
	if (bl > sizeof(name))
		return AWN_NONE;
	memcpy(name, base, bl);
	n = bl;
	for (p = dest; p < q - ext;) {
		const char *slash = memchr(p, '/', (size_t)(q - ext - p));
		const char *stop = slash ? slash : q - ext;
		if (n == 0 && stop - p == 2 && p[0] == '.' && p[1] == '.') {
			/* Out of these notes' names: where they lay. */
			n = 0;
			break;
		}
		if (name_step(name, &n, p, (size_t)(stop - p)) < 0)
			return AWN_NONE;
		p = slash ? slash + 1 : stop;
	}
	if (p < q - ext)
		target = doc_placed(db, doc, dest, (size_t)(q - ext - dest));
	else if (n > 0)
		target = doc_named(db, part_of_doc(db, doc), name, n);
	else
		target = AWN_NONE;
	if (target == AWN_NONE)
		return AWN_NONE;
	/* Its heading with the fragment's anchor, else its start. */
	if (hash != NULL && end - hash > 1) {
		id = part_find_anchor(db, part_of_doc(db, target), target,
		                      hash + 1, (size_t)(end - hash - 1),
		                      &in_doc);
		if (in_doc)
			return id;
		id = doc_html_name(db, target, hash + 1,
		                   (size_t)(end - hash - 1));
		if (id != AWN_NONE)
			return id;
	}
	return db_doc_first_section(db, target);
}

void
awn_db_will_read(awn_db *db, uint32_t first, uint32_t end)
{
	db->read_first = first;
	db->read_end = end;
	db->read_known = 0;
}

/* How far the open block holds the text of awn_db_will_read's sections
 * from local section LOCAL of part P on: they run in order, so up to the
 * end of the last of them in this block.  Computed once a block. */
static size_t
will_read_upto(awn_db *db, const struct db_part *p, uint32_t local)
{
	const struct blob_records *r = &p->blob.sections;
	uint32_t end = db->read_end - p->sec_base, block = db->text.block;
	size_t upto = 0;

	if (end > p->blob.nsections)
		end = p->blob.nsections;
	for (; local < end && blob_field(r, local, SF_BLOCK) == block;
	     local++) {
		size_t e = (size_t)blob_field(r, local, SF_TEXT_OFF) +
		           blob_field(r, local, SF_TEXT_LEN);
		if (e > upto)
			upto = e;
	}
	db->read_known = 1;
	return db->read_upto = upto;
}

/* Text of one section (its own, without subsections). */
static awn_status
section_text(awn_db *db, uint32_t id, const char **text, size_t *len,
             awn_error *err)
{
	const struct db_part *p = db_part_of(db, id);
	const struct blob_records *r = &p->blob.sections;
	uint32_t local = id - p->sec_base,
	         block = blob_field(r, local, SF_BLOCK),
	         off = blob_field(r, local, SF_TEXT_OFF),
	         n = blob_field(r, local, SF_TEXT_LEN);
	size_t pi = (size_t)(p - db->part), upto = (size_t)off + n;
	awn_status st;

	if (db->text.blob == NULL || block != db->text.block ||
	    pi != db->text_part) {
		if ((st = blob_block_open(&db->text, &p->blob, block, err)))
			return st;
		db->text_part = pi;
		db->read_known = 0;
	}
	/* A first look inflates only as far as this section, the rest of
	 * the block may never be asked for; a second reads on (subsections,
	 * a search) and takes the rest at once, zlib's fastest way, unless
	 * the caller said where its reading stops. */
	if (id >= db->read_first && id < db->read_end &&
	    (db->read_known ? db->read_upto : will_read_upto(db, p, local)) >=
	        upto)
		upto = db->read_upto;
	else if (db->text.len > 0)
		upto = SIZE_MAX;
	if ((st = blob_block_need(&db->text, upto, err)))
		return st;
	if (off > db->text.len || n > db->text.len - off)
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: corrupt blob (section text outside its "
		                 "block)",
		                 p->name);
	*text = db->text.data + off;
	*len = n;
	return AWN_OK;
}

awn_status
awn_db_text(awn_db *db, uint32_t id, const char **text, size_t *len,
            awn_error *err)
{
	if (id >= db->nsections)
		return error_set(err, AWN_ERR_ARG, "no section %u", id);
	return section_text(db, id, text, len, err);
}

struct link_ctx {
	awn_db *db;
	uint32_t doc;
};

static int
link_path(void *vctx, const char *dest, size_t len, char *buf, size_t size)
{
	struct link_ctx *c = vctx;
	uint32_t id = db_link_target(c->db, c->doc, dest, len);

	if (id == AWN_NONE)
		return -1;
	return (int)awn_db_path(c->db, id, " > ", buf, size);
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

	if (db_section_tree(db, id, &s) != AWN_OK)
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

	if (db_section_tree(db, id, &s) != AWN_OK)
		return error_set(err, AWN_ERR_ARG, "no section %u", id);
	memset(&ro, 0, sizeof(ro));
	ro.flags = opts ? opts->flags : 0;
	ro.width = opts ? opts->width : 0;
	if ((st = section_text(db, id, &text, &len, err)) != AWN_OK)
		return st;
	if (s.title_len == 0 && s.level > 0) {
		/* Named as its path names it ("### <a name=x></a>"). */
		st = render_heading(AWN_UNTITLED, sizeof(AWN_UNTITLED) - 1,
		                    s.level, label, &ro, write, ctx);
	} else if (len > 0 && RT_IS_HEADING(text[0])) {
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
awn_db_summary(awn_db *db, uint32_t id, char *buf, size_t size, awn_error *err)
{
	const char *text, *p, *end;
	size_t len, n = 0, cut = 0;
	int in_dest = 0, space = 0;
	awn_status st;

	if (size == 0)
		return AWN_ERR_ARG;
	buf[0] = '\0';
	if (id >= db->nsections)
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
					/* A cut here leaves room for "..." */
					if (n + 4 <= size)
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
		/* Cut at the last space that leaves room for the mark (inside
		 * a word only when there is none), on a UTF-8 boundary. */
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

/* A hit's section and its place among the hits. */
struct hit_at {
	uint32_t section;
	size_t at;
};

static int
cmp_hit_at(const void *pa, const void *pb)
{
	const struct hit_at *a = pa, *b = pb;

	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	return (a->at > b->at) - (a->at < b->at);
}

awn_status
awn_hits_summaries(awn_db *db, const awn_hits *hits, char *buf, size_t size,
                   awn_error *err)
{
	struct hit_at *o;
	awn_status st = AWN_OK;
	size_t i;

	if (hits->n == 0)
		return AWN_OK;
	if ((o = alloc_reallocarray(NULL, hits->n, sizeof(*o))) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (i = 0; i < hits->n; i++) {
		o[i].section = hits->hit[i].section;
		o[i].at = i;
	}
	qsort(o, hits->n, sizeof(*o), cmp_hit_at);
	for (i = 0; i < hits->n && st == AWN_OK; i++)
		st = awn_db_summary(db, o[i].section, buf + o[i].at * size,
		                    size, err);
	alloc_free(o);
	return st;
}

awn_status
awn_db_source(const awn_db *db, uint32_t id, awn_source *out, awn_error *err)
{
	const struct db_part *p;
	awn_section s;
	awn_status st;

	memset(out, 0, sizeof(*out));
	out->suffix = "";
	if (db == NULL || id >= db->nsections)
		return error_set(err, AWN_ERR_ARG, "no such section");
	p = db_part_of(db, id);
	if ((st = db_section_tree(db, id, &s)) != AWN_OK)
		return error_set(err, st, "%s: %s", p->blob.name,
		                 awn_strerror(st));
	if ((st = blob_origin(&p->blob, id - p->sec_base, s.doc - p->doc_base,
	                      &out->dir, &out->dir_len, &out->suffix,
	                      &out->line, err)) != AWN_OK)
		return st;
	out->name = db_doc_name(db, s.doc, &out->name_len);
	/* Names no file: empty (damaged) or cut short by a NUL. */
	if (out->name_len == 0 || memchr(out->name, '\0', out->name_len))
		return error_set(err, AWN_ERR_FORMAT,
		                 "%s: corrupt blob (a document's name)",
		                 p->blob.name);
	return AWN_OK;
}

int
awn_db_source_newer(const awn_db *db, uint32_t id, const char *file)
{
	const struct db_part *p;
	struct stat blob, md;

	if (db == NULL || id >= db->nsections)
		return 0;
	p = db_part_of(db, id);
	/* Compiled here (the cache checks its files' stamps first). */
	if (p->source != NULL || p->map == NULL)
		return 0;
	if (stat(p->name, &blob) < 0 || stat(file, &md) < 0)
		return 0;
	return md.st_mtim.tv_sec > blob.st_mtim.tv_sec ||
	       (md.st_mtim.tv_sec == blob.st_mtim.tv_sec &&
	        md.st_mtim.tv_nsec > blob.st_mtim.tv_nsec);
}

/* N bytes of S at *K in BUF (SIZE > 0), as far as they fit before the
 * NUL's place. */
static void
path_part(char *buf, size_t size, size_t *k, const char *s, size_t n)
{
	if (n > size - 1 - *k)
		n = size - 1 - *k;
	if (n > 0)
		memcpy(buf + *k, s, n);
	*k += n;
}

size_t
awn_source_path(const awn_source *src, char *buf, size_t size)
{
	int slash = src->dir_len > 0 && src->dir[src->dir_len - 1] != '/';
	size_t n = src->dir_len + (size_t)slash + src->name_len +
	           strlen(src->suffix),
	       k = 0;

	if (size == 0)
		return n;
	path_part(buf, size, &k, src->dir, src->dir_len);
	path_part(buf, size, &k, "/", (size_t)slash);
	path_part(buf, size, &k, src->name, src->name_len);
	path_part(buf, size, &k, src->suffix, strlen(src->suffix));
	buf[k] = '\0';
	return n;
}
