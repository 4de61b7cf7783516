/*
 * blob-write.c - encoding blobs (the format is specified in awsnote(5)).
 *
 * The writer never leaves a partial file: it writes a temporary file in
 * the destination's directory, syncs it, and renames it into place.
 * Where it can, that file has no name until it is whole (O_TMPFILE), so
 * that a signal or a crash while it is written leaves nothing behind.
 * A destination that is not a regular file (/dev/null, a pipe's
 * /dev/stdout, a FIFO) is written straight to, and a symbolic link is
 * followed to the file it names, or will name: a rename would replace
 * either.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "alloc.h"
#include "blob-format.h"
#include "blob-write.h"
#include "error.h"

void
blob_store_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

awn_status
blob_put_u32(struct buf *b, uint32_t v)
{
	unsigned char p[4];

	blob_store_u32(p, v);
	return buf_add(b, p, 4);
}

awn_status
blob_put_u64(struct buf *b, uint64_t v)
{
	awn_status st = blob_put_u32(b, (uint32_t)v);

	return st ? st : blob_put_u32(b, (uint32_t)(v >> 32));
}

awn_status
blob_put_varint(struct buf *b, uint64_t v)
{
	unsigned char p[BLOB_VARINT_MAX];

	return buf_add(b, p, blob_encode_varint(p, v));
}

void
blob_packer_init(struct blob_packer *k, unsigned nfields)
{
	memset(k, 0, sizeof(*k));
	k->nfields = nfields;
}

void
blob_packer_see(struct blob_packer *k, const uint32_t *f)
{
	unsigned i;

	for (i = 0; i < k->nfields; i++)
		if (f[i] > k->max[i])
			k->max[i] = f[i];
}

awn_status
blob_packer_header(struct blob_packer *k, struct buf *out)
{
	unsigned i, sum = 0;
	awn_status st;

	for (i = 0; i < k->nfields; i++) {
		uint32_t m = k->max[i];
		for (k->width[i] = 1; m >>= 1;)
			k->width[i]++;
		sum += k->width[i];
	}
	/* At least a byte a record, so that padding is never a record. */
	if (sum < 8 && k->nfields > 0)
		k->width[k->nfields - 1] += (unsigned char)(8 - sum);
	k->acc = 0;
	k->nacc = 0;
	if ((st = buf_addc(out, (int)k->nfields)))
		return st;
	return buf_add(out, k->width, k->nfields);
}

awn_status
blob_packer_put(struct blob_packer *k, struct buf *out, const uint32_t *f)
{
	unsigned char rec[4 * BLOB_MAX_FIELDS + 1];
	unsigned i, at = 0;

	for (i = 0; i < k->nfields; i++) {
		k->acc |= (uint64_t)f[i] << k->nacc;
		for (k->nacc += k->width[i]; k->nacc >= 8; k->nacc -= 8) {
			rec[at++] = (unsigned char)k->acc;
			k->acc >>= 8;
		}
	}
	return buf_add(out, rec, at);
}

awn_status
blob_packer_finish(struct blob_packer *k, struct buf *out)
{
	unsigned char c = (unsigned char)k->acc;

	return k->nacc > 0 ? buf_add(out, &c, 1) : AWN_OK;
}

awn_status
blob_put_records(struct buf *b, const uint32_t *v, size_t n, unsigned nfields)
{
	struct blob_packer k;
	size_t i;
	awn_status st;

	if (nfields > BLOB_MAX_FIELDS)
		return AWN_ERR_ARG;
	blob_packer_init(&k, nfields);
	for (i = 0; i < n; i++)
		blob_packer_see(&k, v + i * nfields);
	st = blob_packer_header(&k, b);
	for (i = 0; i < n && !st; i++)
		st = blob_packer_put(&k, b, v + i * nfields);
	return st ? st : blob_packer_finish(&k, b);
}

awn_status
blob_put_posting(struct buf *b, uint64_t delta, uint64_t w)
{
	unsigned char p[BLOB_POSTING_MAX];

	return buf_add(b, p, blob_encode_posting(p, delta, w));
}

/* A raw deflate stream at level 6, in *OUT. */
static awn_status
deflater_new(z_stream **out)
{
	z_stream *z;

	if ((z = alloc_calloc(1, sizeof(*z))) == NULL)
		return AWN_ERR_NOMEM;
	/* Level 9 would save 0.7% of the text for 20% more build time.
	 * memLevel 8: half the hash table to clear per block, 6% fewer
	 * instructions, and no larger (16 KiB blocks and a 16 KiB
	 * dictionary fill no more than 32K slots). */
	if (deflateInit2(z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		alloc_free(z);
		return AWN_ERR_NOMEM;
	}
	*out = z;
	return AWN_OK;
}

awn_status
blob_deflater_dict(struct blob_deflater *d, const char *dict, size_t len)
{
	z_stream *p = d->primed;
	awn_status st;

	d->has_dict = 0;
	if (len == 0)
		return AWN_OK;
	if (p == NULL) {
		if ((st = deflater_new(&p)))
			return st;
		d->primed = p;
	} else if (deflateReset(p) != Z_OK) {
		return AWN_ERR_NOMEM;
	}
	if (deflateSetDictionary(p, (const Bytef *)dict, (uInt)len) != Z_OK)
		return AWN_ERR_NOMEM;
	d->has_dict = 1;
	return AWN_OK;
}

awn_status
blob_deflate(struct blob_deflater *d, const char *raw, size_t len,
             struct buf *out)
{
	z_stream *z = d->z;
	awn_status st;
	uLong bound;
	int zr;

	if (z == NULL) {
		if ((st = deflater_new(&z)))
			return st;
		d->z = z;
	}
	/* A copy of the primed stream (~256 KiB of zlib's state) costs
	 * less than hashing a 16 KiB dictionary again: -4% of the text
	 * thread's CPU on awsdocs+tldr.  Without a dictionary (a segment
	 * under 128 KiB: the seed is 58 KB) the text is stored, not
	 * compressed: a regex search of the seed then copies its 8 blocks
	 * instead of decoding them (1.86M -> 0.80M instructions for -e
	 * Lambda), and the blob grows by a few tens of KB. */
	if (d->has_dict) {
		deflateEnd(z);
		if (deflateCopy(z, d->primed) != Z_OK) {
			/* Ended: a fresh stream for the next call. */
			alloc_free(z);
			d->z = NULL;
			return AWN_ERR_NOMEM;
		}
	} else if (deflateReset(z) != Z_OK ||
	           deflateParams(z, 0, Z_DEFAULT_STRATEGY) != Z_OK) {
		return AWN_ERR_NOMEM;
	}
	bound = deflateBound(z, (uLong)len);
	if ((st = buf_reserve(out, bound)) != AWN_OK)
		return st;
	z->next_in = (Bytef *)raw;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)out->data + out->len;
	z->avail_out = (uInt)bound;
	zr = deflate(z, Z_FINISH);
	if (zr == Z_STREAM_END)
		out->len += z->total_out;
	return zr == Z_STREAM_END ? AWN_OK : AWN_ERR_NOMEM;
}

void
blob_deflater_free(struct blob_deflater *d)
{
	z_stream *z[2] = {d->z, d->primed};
	int i;

	for (i = 0; i < 2; i++)
		if (z[i] != NULL) {
			deflateEnd(z[i]);
			alloc_free(z[i]);
		}
	d->z = d->primed = NULL;
	d->has_dict = 0;
}

#define TABLE_CHUNK (256u * 1024)

/* Call FN on each piece of table T in order: its memory, or chunks READ
 * into a buffer. */
static awn_status
table_each(const struct blob_table *t,
           awn_status (*fn)(void *arg, const char *p, size_t n), void *arg,
           awn_error *err)
{
	char *chunk;
	size_t off, n;
	awn_status st = AWN_OK;

	if (t->data != NULL || t->len == 0)
		return t->len ? fn(arg, t->data, t->len) : AWN_OK;
	if ((chunk = alloc_malloc(TABLE_CHUNK)) == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	for (off = 0; off < t->len && !st; off += n) {
		n = t->len - off < TABLE_CHUNK ? t->len - off : TABLE_CHUNK;
		if (!(st = t->read(t->ctx, off, chunk, n, err)))
			st = fn(arg, chunk, n);
	}
	alloc_free(chunk);
	return st;
}

static awn_status
crc_piece(void *arg, const char *p, size_t n)
{
	uLong *crc = arg;
	size_t step;

	for (; n > 0; p += step, n -= step) { /* uInt-sized steps */
		step = n > (1u << 30) ? (1u << 30) : n;
		*crc = crc32(*crc, (const Bytef *)p, (uInt)step);
	}
	return AWN_OK;
}

/* CRC-32 of one table's bytes (0 for TEXT: its blocks have their own). */
static awn_status
table_crc(const struct blob_table *t, uint32_t *crc, awn_error *err)
{
	uLong c = crc32(0, NULL, 0);
	awn_status st;

	*crc = 0;
	if (t->type == BT_TEXT || t->len == 0)
		return AWN_OK;
	if ((st = table_each(t, crc_piece, &c, err)))
		return st;
	*crc = (uint32_t)c;
	return AWN_OK;
}

/* Header and directory, with every CRC filled in. */
static awn_status
make_header(struct buf *h, const struct blob_counts *c,
            const struct blob_table *t, size_t n, awn_error *err)
{
	uint64_t off = BLOB_HEADER_SIZE + (uint64_t)n * BLOB_DIRENT_SIZE;
	uLong icrc = crc32(0, NULL, 0);
	uint32_t *crcs = NULL;
	awn_status st = AWN_OK;
	size_t i;

	st = buf_add(h, BLOB_MAGIC, BLOB_MAGIC_LEN);
	for (i = 0; i < n; i++)
		off += t[i].len;
	if (!st)
		st = blob_put_u32(h, BLOB_VERSION);
	if (!st)
		st = blob_put_u32(h, 0);
	if (!st)
		st = blob_put_u64(h, off); /* file size */
	if (!st)
		st = blob_put_u32(h, (uint32_t)n);
	if (!st)
		st = blob_put_u32(h, c->nsections);
	if (!st)
		st = blob_put_u32(h, c->ndocs);
	if (!st)
		st = blob_put_u32(h, c->nterms);
	if (!st)
		st = blob_put_u32(h, c->nblocks);
	if (!st)
		st = blob_put_u32(h, 0);
	if (!st)
		st = blob_put_u64(h, c->total_tokens);
	/* Each table is read once (it may be in a file): its own CRC, and
	 * the index CRC as their combination. */
	if (n > 0 &&
	    (crcs = alloc_reallocarray(NULL, n, sizeof(*crcs))) == NULL)
		st = AWN_ERR_NOMEM;
	for (i = 0; i < n && !st; i++)
		if (!(st = table_crc(&t[i], &crcs[i], err)) &&
		    t[i].type != BT_TEXT)
			icrc = crc32_combine(icrc, crcs[i], (z_off_t)t[i].len);
	if (!st)
		st = blob_put_u32(h, (uint32_t)icrc);
	if (!st)
		st = blob_put_u32(h, 0); /* header CRC, patched below */
	off = BLOB_HEADER_SIZE + (uint64_t)n * BLOB_DIRENT_SIZE;
	for (i = 0; i < n && !st; i++) {
		st = blob_put_u32(h, t[i].type);
		if (!st)
			st = blob_put_u32(h, crcs[i]);
		if (!st)
			st = blob_put_u64(h, off);
		if (!st)
			st = blob_put_u64(h, t[i].len);
		off += t[i].len;
	}
	alloc_free(crcs);
	if (st)
		return st;
	{
		uLong hcrc = crc32(0, (const Bytef *)h->data, BH_HEADER_CRC);
		unsigned char *p = (unsigned char *)h->data + BH_HEADER_CRC;
		hcrc = crc32(hcrc, (const Bytef *)h->data + BLOB_HEADER_SIZE,
		             (uInt)(h->len - BLOB_HEADER_SIZE));
		p[0] = hcrc, p[1] = hcrc >> 8, p[2] = hcrc >> 16,
		p[3] = hcrc >> 24;
	}
	return AWN_OK;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The file goes out in writes of STAGE_SIZE at offsets that are multiples
 * of it: the page cache then holds the new blob in large folios, and a
 * lookup right after a build maps it in fewer faults.  2 MiB pieces make
 * 2 MiB folios, which map the index tables with one PMD a fault; TEXT,
 * mapped off that grid (db.c, map_text), still maps 64 KiB around a
 * block.  On the 59 MB awsdocs+tldr blob, 1 MiB against 2 MiB pieces:
 * lambda concurrency, provisioned throughput, dynamdb and aws s3 cp took
 * 124 / 127 / 130 / 240 faults against 119 / 121 / 124 / 237, and peaked
 * at 9.3 / 11.3 / 13.4 / 14.8 MiB against 10.6 / 10.4 / 12.5 / 13.2.
 */
#define STAGE_SIZE (2u * 1024 * 1024)

struct file_out {
	int fd;
	int errnum;  /* of a failed write; 0 if the failure was a read */
	char *stage; /* the bytes since the last multiple of STAGE_SIZE */
	size_t staged, cap;
};

static awn_status
write_out(struct file_out *o, const char *p, size_t n)
{
	if (write_all(o->fd, p, n) < 0) {
		o->errnum = errno ? errno : ENOSPC;
		return AWN_ERR_IO;
	}
	return AWN_OK;
}

static awn_status
write_piece(void *arg, const char *p, size_t n)
{
	struct file_out *o = arg;
	awn_status st = AWN_OK;
	size_t k;

	if (o->stage == NULL) /* no staging memory: write as it comes */
		return write_out(o, p, n);
	while (n > 0 && !st) {
		if (o->staged == 0 && n >= o->cap) {
			k = n - n % o->cap; /* whole stages, straight through */
			st = write_out(o, p, k);
		} else {
			k = o->cap - o->staged < n ? o->cap - o->staged : n;
			memcpy(o->stage + o->staged, p, k);
			if ((o->staged += k) == o->cap) {
				st = write_out(o, o->stage, o->cap);
				o->staged = 0;
			}
		}
		p += k;
		n -= k;
	}
	return st;
}

static awn_status
add_piece(void *arg, const char *p, size_t n)
{
	return buf_add(arg, p, n);
}

/* The directory of file TARGET, malloc'd, or NULL (out of memory). */
static char *
dir_of(const char *target)
{
	const char *slash = strrchr(target, '/');

	if (slash == NULL)
		return strdup(".");
	return strndup(target, slash == target ? 1 : (size_t)(slash - target));
}

/*
 * The file that the symbolic link PATH names when it does not exist yet
 * (realpath fails): the link's text, a relative one read from the link's
 * directory, followed through any further links (ELOOP past 40).  The
 * blob is made beside it and renamed to it, as beside any other: written
 * straight through the link, a failed write left half a blob there.
 * Returns a malloc'd path, or NULL with errno set.
 */
static char *
link_target(const char *path)
{
	char to[PATH_MAX];
	char *cur = strdup(path), *dir, *next;
	struct stat sb;
	ssize_t n;
	int hops = 0;

	while (cur != NULL && lstat(cur, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		if (++hops > 40) {
			errno = ELOOP;
			goto fail;
		}
		if ((n = readlink(cur, to, sizeof(to))) < 0)
			goto fail;
		if ((size_t)n == sizeof(to)) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		to[n] = '\0';
		if (to[0] == '/') {
			next = strdup(to);
		} else {
			if ((dir = dir_of(cur)) == NULL)
				goto fail;
			next = malloc(strlen(dir) + 1 + (size_t)n + 1);
			if (next != NULL)
				sprintf(next, "%s/%s", dir, to);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	return cur; /* NULL: strdup or malloc set errno */
fail:
	free(cur);
	return NULL;
}

#ifdef O_TMPFILE
/*
 * An unnamed file in the directory of TARGET, or -1 where the kernel or
 * the file system cannot make one, or cannot name it later: naming it
 * goes through /proc/self/fd (linkat's AT_EMPTY_PATH needs privilege).
 */
static int
open_unnamed(const char *target)
{
	char proc[32];
	char *dir = dir_of(target);
	int fd;

	if (dir == NULL)
		return -1;
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	free(dir);
	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (access(proc, F_OK) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Name the unnamed file FD: a new name TMP holds (TARGET.tmp and six hex
 * digits), for the rename into place.  Returns 0, or -1 with errno set.
 */
static int
name_unnamed(int fd, const char *target, struct buf *tmp)
{
	char proc[32];
	struct timespec now;
	unsigned long seed;
	unsigned i;

	clock_gettime(CLOCK_REALTIME, &now);
	seed = ((unsigned long)getpid() ^ (unsigned long)now.tv_nsec) *
	       2654435761u;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (i = 0; i < 100; i++) {
		buf_reset(tmp);
		if (buf_printf(tmp, "%s.tmp%06lx", target,
		               (seed + i * 40503u) & 0xffffff) != AWN_OK) {
			errno = ENOMEM;
			return -1;
		}
		buf_cstr(tmp);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp->data,
		           AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1; /* errno EEXIST */
}
#endif

awn_status
blob_check_file(const char *path, awn_error *err)
{
	struct stat sb;
	char *real = NULL, *dir = NULL;
	int e = 0;

	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			e = EISDIR;
		else if (!S_ISREG(sb.st_mode))
			return AWN_OK; /* written straight to */
	} else if (errno != ENOENT && errno != ENOTDIR) {
		e = errno;
	}
	if (e == 0 && lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) &&
	    (real = realpath(path, NULL)) == NULL &&
	    (real = link_target(path)) == NULL) /* a link to nothing yet */
		e = errno;
	/* The temporary file goes beside the blob, then is renamed. */
	if (e == 0 && (dir = dir_of(real ? real : path)) == NULL)
		e = ENOMEM;
	else if (e == 0 && stat(dir, &sb) < 0)
		e = errno;
	else if (e == 0 && !S_ISDIR(sb.st_mode))
		e = ENOTDIR;
	else if (e == 0 &&
	         faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0)
		e = errno;
	if (e && real != NULL) /* the link is there: name where it leads */
		error_errno(err, AWN_ERR_IO, e, "%s (a link to %s)", path,
		            real);
	else if (e)
		error_errno(err, AWN_ERR_IO, e, "%s", path);
	free(real);
	free(dir);
	return e ? AWN_ERR_IO : AWN_OK;
}

/* The size of the blob of header H and tables T (N). */
static uint64_t
blob_size(const struct buf *h, const struct blob_table *t, size_t n)
{
	uint64_t size = h->len;
	size_t i;

	for (i = 0; i < n; i++)
		size += t[i].len;
	return size;
}

/* Write header H and tables T (N), SIZE bytes in all, through O. */
static awn_status
write_tables(struct file_out *o, uint64_t size, const struct buf *h,
             const struct blob_table *t, size_t n, awn_error *err)
{
	awn_status st;
	size_t i;

	o->cap = size < STAGE_SIZE ? (size_t)size : STAGE_SIZE;
	o->stage = o->cap > 0 ? alloc_malloc(o->cap) : NULL;
	st = write_piece(o, h->data, h->len);
	for (i = 0; i < n && !st; i++)
		st = table_each(&t[i], write_piece, o, err);
	if (!st && o->staged > 0)
		st = write_out(o, o->stage, o->staged);
	alloc_free(o->stage);
	o->stage = NULL;
	return st;
}

awn_status
blob_write_fd(int fd, const struct blob_counts *c, const struct blob_table *t,
              size_t n, awn_error *err)
{
	struct file_out o = {fd, 0, NULL, 0, 0};
	struct rlimit fsize;
	struct buf h;
	awn_status st;
	uint64_t size;

	buf_init(&h, 0);
	if ((st = make_header(&h, c, t, n, err)) != AWN_OK) {
		if (st != AWN_ERR_IO) /* a read error has its own message */
			error_set(err, st, "blob: %s", awn_strerror(st));
	} else if ((size = blob_size(&h, t, n)) > 0 &&
	           getrlimit(RLIMIT_FSIZE, &fsize) == 0 &&
	           fsize.rlim_cur != RLIM_INFINITY &&
	           size > (uint64_t)fsize.rlim_cur) {
		/* Past a file size limit (ulimit -f) a write would raise
		 * SIGXFSZ, which kills the process. */
		st = error_set(err, AWN_ERR_LIMIT,
		               "a blob of %" PRIu64 " bytes is over the file "
		               "size limit",
		               size);
	} else if ((st = write_tables(&o, size, &h, t, n, err)) != AWN_OK &&
	           o.errnum) {
		st = error_errno(err, AWN_ERR_IO, o.errnum, "writing a blob");
	}
	buf_free(&h);
	return st;
}

awn_status
blob_write_file(const char *path, const struct blob_counts *c,
                const struct blob_table *t, size_t n, awn_error *err)
{
	struct file_out o = {-1, 0, NULL, 0, 0};
	struct buf h, tmp;
	struct stat sb;
	awn_status st;
	uint64_t size;
	int direct = 0, unnamed = 0;
	char *real = NULL; /* a symbolic link's file */

	buf_init(&h, 0);
	buf_init(&tmp, 0);
	if ((st = make_header(&h, c, t, n, err)) != AWN_OK) {
		if (st != AWN_ERR_IO) /* a read error has its own message */
			error_set(err, st, "%s: %s", path, awn_strerror(st));
		goto out;
	}
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		direct = 1;
	else if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) &&
	         (real = realpath(path, NULL)) == NULL &&
	         (real = link_target(path)) == NULL) {
		/* a link to nothing yet, whose target cannot be read */
		st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
		goto out;
	}
	if ((st = buf_printf(&tmp, "%s.tmpXXXXXX", real ? real : path)) !=
	    AWN_OK) {
		error_set(err, st, "%s: %s", path, awn_strerror(st));
		goto out;
	}
	buf_cstr(&tmp);
#ifdef O_TMPFILE
	if (!direct && (o.fd = open_unnamed(real ? real : path)) >= 0)
		unnamed = 1;
	else
#endif
		o.fd = direct ? open(path,
		                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		                         O_NOCTTY,
		                     0644)
		              : mkstemp(tmp.data);
	if (o.fd < 0) {
		st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
		goto out;
	}
	size = blob_size(&h, t, n);
	st = write_tables(&o, size, &h, t, n, err);
	if (st) {
		if (o.errnum) /* else a table's read failed and said so */
			st = error_errno(err, AWN_ERR_IO, o.errnum, "%s", path);
		goto fail;
	}
	if (!direct && (fchmod(o.fd, 0644) < 0 || fsync(o.fd) < 0))
		goto fail_io;
#ifdef O_TMPFILE
	if (unnamed) {
		if (name_unnamed(o.fd, real ? real : path, &tmp) < 0)
			goto fail_io;
		unnamed = 0; /* named now: unlinked on failure */
	}
#endif
	if (close(o.fd) < 0) {
		o.fd = -1;
		goto fail_io;
	}
	o.fd = -1;
	if (!direct && rename(tmp.data, real ? real : path) < 0)
		goto fail_io;
	st = AWN_OK;
	goto out;
fail_io:
	st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
fail:
	if (o.fd >= 0)
		close(o.fd);
	if (!direct && !unnamed)
		unlink(tmp.data);
out:
	free(real);
	alloc_free(o.stage);
	buf_free(&h);
	buf_free(&tmp);
	return st;
}

awn_status
blob_write_memory(void **data, size_t *len, const struct blob_counts *c,
                  const struct blob_table *t, size_t n, awn_error *err)
{
	struct buf h;
	awn_status st;
	size_t i;

	buf_init(&h, 0);
	st = make_header(&h, c, t, n, err);
	for (i = 0; i < n && !st; i++)
		st = table_each(&t[i], add_piece, &h, err);
	if (st) {
		buf_free(&h);
		if (st == AWN_ERR_IO) /* a table's read said why */
			return st;
		return error_set(err, st, "building blob: %s",
		                 awn_strerror(st));
	}
	*data = h.data;
	*len = h.len;
	return AWN_OK;
}
