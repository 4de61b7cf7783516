/*
 * spill.c - append-only byte stores that can move to a temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "spill.h"

#define SPILL_WRITE_BUF (256u * 1024) /* batches small appends on file */

void
spill_init(struct spill *s)
{
	buf_init(&s->mem, 0);
	s->fd = -1;
	s->len = 0;
	s->dir = NULL;
}

void
spill_free(struct spill *s)
{
	buf_free(&s->mem);
	if (s->fd >= 0)
		close(s->fd);
	spill_init(s);
}

static awn_status
io_error(const struct spill *s, int e, awn_error *err)
{
	return error_errno(err, AWN_ERR_IO, e, "temporary file in %s",
	                   s->dir ? s->dir : ".");
}

static awn_status
write_out(struct spill *s, const char *p, size_t n, awn_error *err)
{
	ssize_t w;

	while (n > 0) {
		w = write(s->fd, p, n > (1u << 30) ? (1u << 30) : n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return io_error(s, w < 0 ? errno : ENOSPC, err);
		p += w;
		n -= (size_t)w;
	}
	return AWN_OK;
}

awn_status
spill_flush(struct spill *s, awn_error *err)
{
	awn_status st;

	if (s->fd < 0 || s->mem.len == 0)
		return AWN_OK;
	st = write_out(s, s->mem.data, s->mem.len, err);
	buf_reset(&s->mem);
	return st;
}

awn_status
spill_add(struct spill *s, const void *p, size_t n, awn_error *err)
{
	awn_status st;

	if (s->fd >= 0 && s->mem.len + n > SPILL_WRITE_BUF) {
		if ((st = spill_flush(s, err)))
			return st;
		if (n > SPILL_WRITE_BUF) {
			s->len += n;
			return write_out(s, p, n, err);
		}
	}
	if ((st = buf_add(&s->mem, p, n)))
		return error_set(err, st, "temporary data: %s",
		                 awn_strerror(st));
	s->len += n;
	return AWN_OK;
}

int
spill_open_temp(const char *dir)
{
	struct buf path;
	int fd, e;

#ifdef O_TMPFILE
	/* A file without a name where the file system makes one: a build
	 * killed between naming a file and unlinking it left the file. */
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
#endif
	buf_init(&path, 0);
	if (buf_printf(&path, "%s/awsnote-spill.XXXXXX", dir) != AWN_OK) {
		buf_free(&path);
		errno = ENOMEM;
		return -1;
	}
	buf_cstr(&path);
	if ((fd = mkstemp(path.data)) >= 0)
		unlink(path.data);
	e = errno;
	buf_free(&path);
	errno = e;
	return fd;
}

awn_status
spill_to_file(struct spill *s, const char *dir, awn_error *err)
{
	awn_status st;
	int fd;

	if (s->fd >= 0)
		return AWN_OK;
	s->dir = dir;
	if ((fd = spill_open_temp(dir)) < 0)
		return errno == ENOMEM
		           ? error_set(err, AWN_ERR_NOMEM, "temporary file: %s",
		                       awn_strerror(AWN_ERR_NOMEM))
		           : io_error(s, errno, err);
	s->fd = fd;
	st = spill_flush(s, err);
	/* Give the memory back: the write buffer is reallocated small. */
	buf_free(&s->mem);
	return st;
}

size_t
spill_memory(const struct spill *s)
{
	return s->mem.cap;
}

const char *
spill_in_memory(const struct spill *s)
{
	return s->fd < 0 ? s->mem.data : NULL;
}

awn_status
spill_read(const struct spill *s, uint64_t off, void *p, size_t n,
           awn_error *err)
{
	char *out = p;
	ssize_t r;

	if (off > s->len || n > s->len - off)
		return error_set(err, AWN_ERR_IO,
		                 "temporary data: read past end");
	if (n == 0)
		return AWN_OK;
	if (s->fd < 0) {
		memcpy(out, s->mem.data + off, n);
		return AWN_OK;
	}
	while (n > 0) {
		r = pread(s->fd, out, n > (1u << 30) ? (1u << 30) : n,
		          (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? io_error(s, errno, err)
			             : error_set(err, AWN_ERR_IO,
			                         "temporary file in %s: "
			                         "truncated",
			                         s->dir);
		out += r;
		off += (uint64_t)r;
		n -= (size_t)r;
	}
	return AWN_OK;
}
