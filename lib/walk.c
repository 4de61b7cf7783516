/*
 * walk.c - the Markdown files below a directory (walk.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* DT_DIR, DT_REG, DT_LNK or something to skip; readdir's guess when it
 * has one, which saves a stat a file. */
static unsigned char
entry_type(const struct entry *e, int dfd)
{
	struct stat sb;

	if (e->type != DT_UNKNOWN)
		return e->type;
	if (fstatat(dfd, e->name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return DT_UNKNOWN; /* vanished since readdir: skip it */
	return S_ISDIR(sb.st_mode)   ? DT_DIR
	       : S_ISREG(sb.st_mode) ? DT_REG
	       : S_ISLNK(sb.st_mode) ? DT_LNK
	                             : 0;
}

/* Whether NAME in DFD, listed by readdir, has gone since (not worth
 * failing a build over, like a file gone before it was looked at). */
static int
vanished(int dfd, const char *name)
{
	struct stat sb;

	return fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 &&
	       errno == ENOENT;
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

/* A directory being walked: what tells it from the others, and the
 * length of its path. */
struct walk_up {
	dev_t dev;
	ino_t ino;
	size_t len;
};

struct walk {
	walk_fn fn;
	void *ctx;
	struct buf path, rel; /* grow by an entry's name while it is handled */
	size_t links;         /* symbolic links passed over */
	struct walk_up up[WALK_MAX_DEPTH + 1]; /* the root, then each
	                                          directory inside it */
};

static awn_status walk_subdir(struct walk *w, int dfd, const char *name,
                              int depth, awn_error *err);

/* Every Markdown file below the open directory D, W->path, DEPTH
 * directories below the root; W->rel is it relative to the root (""
 * at the root).  No allocation an entry but its name in one buffer of
 * names. */
static awn_status
walk_dir(struct walk *w, DIR *d, int depth, awn_error *err)
{
	struct buf *path = &w->path, *rel = &w->rel;
	struct entry *names = NULL;
	struct buf chars;
	size_t n = 0, cap = 0, i, plen = path->len, rlen = rel->len;
	/* "notes/" or "/" given: no second '/' in the paths of errors */
	int sep = plen > 0 && path->data[plen - 1] != '/', k;
	struct dirent *de;
	struct stat sb;
	awn_status st = AWN_OK;

	/* Links are not followed, but a bind mount can still show a
	 * directory inside itself: its files would come again and again,
	 * as far as the depth limit. */
	if (fstat(dirfd(d), &sb) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path->data);
	for (k = 0; k < depth; k++)
		if (w->up[k].dev == sb.st_dev && w->up[k].ino == sb.st_ino)
			return error_set(err, AWN_ERR_INPUT,
			                 "%s: a directory loop: the same "
			                 "directory as %.*s",
			                 path->data, (int)w->up[k].len,
			                 path->data);
	w->up[depth] = (struct walk_up){sb.st_dev, sb.st_ino, plen};
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
		} else if ((type = entry_type(&names[i], dirfd(d))) == DT_DIR) {
			st = walk_subdir(w, dirfd(d), names[i].name, depth + 1,
			                 err);
		} else if (type == DT_LNK) {
			w->links++;
		} else if (type == DT_REG && walk_is_markdown(names[i].name)) {
			st = w->fn(w->ctx, dirfd(d), names[i].name, path->data,
			           rel->data, err);
			if (st == AWN_ERR_IO &&
			    vanished(dirfd(d), names[i].name)) {
				st = AWN_OK;
				if (err)
					err->status = AWN_OK,
					err->detail[0] = '\0';
			}
		}
		truncate_path(path, plen);
		truncate_path(rel, rlen);
	}
	buf_free(&chars);
	alloc_free(names);
	if (st == AWN_ERR_NOMEM && (err == NULL || err->status != st))
		error_set(err, st, "%s: out of memory", path->data);
	return st;
}

/*
 * Subdirectory NAME of directory DFD (W->path), opened through DFD: a
 * path of any length is walked (find's way), not only one that fits in
 * PATH_MAX, and a name that is no longer a directory is not followed.
 */
static awn_status
walk_subdir(struct walk *w, int dfd, const char *name, int depth,
            awn_error *err)
{
	awn_status st;
	DIR *d;
	int fd;

	if (depth > WALK_MAX_DEPTH)
		return error_set(err, AWN_ERR_LIMIT,
		                 "%s: more than %d directories deep",
		                 w->path.data, WALK_MAX_DEPTH);
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* Gone, or made a file or a link, since readdir listed it: passed
	 * over, as a vanished file is. */
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
		return AWN_OK;
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		st = error_errno(err, AWN_ERR_IO, errno, "%s", w->path.data);
		if (fd >= 0)
			close(fd);
		return st;
	}
	st = walk_dir(w, d, depth, err);
	closedir(d);
	return st;
}

awn_status
walk_markdown(const char *dir, walk_fn fn, void *ctx, size_t *links,
              awn_error *err)
{
	struct walk *w = alloc_malloc(sizeof(*w));
	awn_status st;
	DIR *d;

	if (w == NULL)
		return error_set(err, AWN_ERR_NOMEM, "%s: out of memory", dir);
	w->fn = fn;
	w->ctx = ctx;
	w->links = 0;
	buf_init(&w->path, 0);
	buf_init(&w->rel, 0);
	buf_adds(&w->path, dir);
	buf_cstr(&w->path);
	buf_cstr(&w->rel);
	if (w->path.len == 0 || w->rel.data == NULL) {
		st = error_set(err, AWN_ERR_NOMEM, "%s: out of memory", dir);
	} else if ((d = opendir(dir)) == NULL) {
		st = error_errno(err, AWN_ERR_IO, errno, "%s", dir);
	} else {
		st = walk_dir(w, d, 0, err);
		closedir(d);
	}
	if (links)
		*links = w->links;
	buf_free(&w->path);
	buf_free(&w->rel);
	alloc_free(w);
	return st;
}

/*
 * Whether the walk of directory ROOT reads what lies at REAL (both
 * realpath's): a name below ROOT through no hidden component, DIRS
 * directories deep at most WALK_MAX_DEPTH, where DIRS counts REAL's
 * components below ROOT less one for a file (IS_DIR 0).  The real path
 * is made of no links, which the walk would not follow.
 */
int
walk_reaches(const char *root, const char *real, int is_dir)
{
	size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);
	const char *p;
	int dirs = is_dir ? 1 : 0;

	if (strncmp(real, root, rl) != 0 || real[rl] != '/' ||
	    real[rl + 1] == '\0')
		return 0;
	for (p = real + rl + 1; p != NULL; p = strchr(p, '/')) {
		p += *p == '/';
		if (*p == '.')
			return 0;
		dirs++;
	}
	return dirs - 1 <= WALK_MAX_DEPTH;
}

awn_status
awn_paths_held(const char *const *paths, size_t n, unsigned char *held)
{
	char **real;
	unsigned char *kind; /* 0: neither, 1: a file, 2: a directory */
	struct stat sb;
	size_t i, k, ndirs = 0;

	memset(held, 0, n);
	real = alloc_calloc(n ? n : 1, sizeof(*real));
	kind = alloc_calloc(n ? n : 1, 1);
	if (real == NULL || kind == NULL) {
		alloc_free(real);
		alloc_free(kind);
		return AWN_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		if (stat(paths[i], &sb) < 0)
			continue;
		kind[i] = S_ISDIR(sb.st_mode) ? 2 : S_ISREG(sb.st_mode);
		ndirs += kind[i] == 2;
	}
	/* Only where a directory is given: a glob of files costs a stat
	 * each, not a realpath. */
	for (i = 0; i < n && ndirs > 0; i++)
		if (kind[i] && (real[i] = realpath(paths[i], NULL)) == NULL)
			kind[i] = 0; /* left to the adder to report */
	for (i = 0; i < n && ndirs > 0; i++) {
		if (kind[i] == 0 ||
		    (kind[i] == 1 &&
		     !walk_is_markdown(strrchr(real[i], '/') + 1)))
			continue;
		for (k = 0; k < n && !held[i]; k++)
			held[i] = k != i && kind[k] == 2 &&
			          walk_reaches(real[k], real[i], kind[i] == 2);
	}
	for (i = 0; i < n; i++)
		free(real[i]);
	alloc_free(real);
	alloc_free(kind);
	return AWN_OK;
}
