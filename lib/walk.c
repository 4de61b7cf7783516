/*
 * walk.c - the Markdown files below a directory (walk.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "walk.h"

size_t
walk_markdown_suffix(const char *s, size_t n)
{
	if (n > 3 && memcmp(s + n - 3, ".md", 3) == 0)
		return 3;
	if (n > 9 && memcmp(s + n - 9, ".markdown", 9) == 0)
		return 9;
	return 0;
}

int
walk_is_markdown(const char *s)
{
	return walk_markdown_suffix(s, strlen(s)) != 0;
}

struct entry {
	const char *name;   /* in the directory's buffer of names */
	size_t off;         /* of the name in that buffer, while it grows */
	unsigned char type; /* readdir's d_type: DT_UNKNOWN means ask lstat */
};

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	              ((const struct entry *)b)->name);
}

/* DT_DIR, DT_REG or something to skip; readdir's guess when it has one,
 * which saves an lstat a file. */
static unsigned char
entry_type(const struct entry *e, const char *path)
{
	struct stat sb;

	if (e->type != DT_UNKNOWN)
		return e->type;
	if (lstat(path, &sb) < 0)
		return DT_UNKNOWN; /* vanished since readdir: skip it */
	return S_ISDIR(sb.st_mode) ? DT_DIR : S_ISREG(sb.st_mode) ? DT_REG : 0;
}

/* Whether PATH, listed by readdir, has gone since (not worth failing a
 * build over, like a file gone before it was looked at). */
static int
vanished(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) < 0 && errno == ENOENT;
}

/* Path P (NUL-terminated) back to its first LEN bytes. */
static void
truncate_path(struct buf *p, size_t len)
{
	p->len = len;
	buf_cstr(p);
}

/* P + '/' + NAME (P's SEP: whether a '/' goes between). */
static awn_status
append_name(struct buf *p, int sep, const char *name)
{
	awn_status st;

	if (sep && (st = buf_addc(p, '/')))
		return st;
	if ((st = buf_adds(p, name)))
		return st;
	buf_cstr(p);
	return AWN_OK;
}

struct walk {
	walk_fn fn;
	void *ctx;
	struct buf path, rel; /* grow by an entry's name while it is handled */
};

/* Every Markdown file below directory W->path; W->rel is it relative to
 * the root ("" at the root).  No allocation an entry but its name in one
 * buffer of names. */
static awn_status
walk_dir(struct walk *w, int depth, awn_error *err)
{
	struct buf *path = &w->path, *rel = &w->rel;
	struct entry *names = NULL;
	struct buf chars;
	size_t n = 0, cap = 0, i, plen = path->len, rlen = rel->len;
	/* "notes/" or "/" given: no second '/' in the paths of errors */
	int sep = plen > 0 && path->data[plen - 1] != '/';
	struct dirent *de;
	awn_status st = AWN_OK;
	DIR *d;

	if (depth > WALK_MAX_DEPTH)
		return error_set(err, AWN_ERR_LIMIT,
		                 "%s: directories nested too deeply",
		                 path->data);
	if ((d = opendir(path->data)) == NULL)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path->data);
	buf_init(&chars, 0);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* hidden files, ".", ".." */
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			void *p = alloc_reallocarray(names, nc, sizeof(*names));
			if (p == NULL) {
				st = AWN_ERR_NOMEM;
				break;
			}
			names = p;
			cap = nc;
		}
		names[n].off = chars.len;
		names[n].type = de->d_type;
		if ((st = buf_add(&chars, de->d_name, strlen(de->d_name) + 1)))
			break;
		n++;
	}
	for (i = 0; i < n; i++)
		names[i].name = chars.data + names[i].off;
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && st == AWN_OK; i++) {
		unsigned char type;

		if (append_name(path, sep, names[i].name) ||
		    append_name(rel, rlen > 0, names[i].name)) {
			st = AWN_ERR_NOMEM;
		} else if ((type = entry_type(&names[i], path->data)) ==
		           DT_DIR) {
			st = walk_dir(w, depth + 1, err);
		} else if (type == DT_REG && walk_is_markdown(names[i].name)) {
			st = w->fn(w->ctx, dirfd(d), names[i].name, path->data,
			           rel->data, err);
			if (st == AWN_ERR_IO && vanished(path->data)) {
				st = AWN_OK;
				if (err)
					err->status = AWN_OK,
					err->detail[0] = '\0';
			}
		}
		truncate_path(path, plen);
		truncate_path(rel, rlen);
	}
	closedir(d);
	buf_free(&chars);
	alloc_free(names);
	if (st == AWN_ERR_NOMEM && (err == NULL || err->status != st))
		error_set(err, st, "%s: out of memory", path->data);
	return st;
}

awn_status
walk_markdown(const char *dir, walk_fn fn, void *ctx, awn_error *err)
{
	struct walk w;
	awn_status st;

	w.fn = fn;
	w.ctx = ctx;
	buf_init(&w.path, 0);
	buf_init(&w.rel, 0);
	buf_adds(&w.path, dir);
	buf_cstr(&w.path);
	buf_cstr(&w.rel);
	if (w.path.len == 0 || w.rel.data == NULL)
		st = error_set(err, AWN_ERR_NOMEM, "%s: out of memory", dir);
	else
		st = walk_dir(&w, 0, err);
	buf_free(&w.path);
	buf_free(&w.rel);
	return st;
}
