/*
 * cache.c - compiled notes kept between runs (cache.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blob-format.h"
#include "cache.h"
#include "hash.h"
#include "lib/source-id.h"
#include "walk.h"

/* FNV-1a fed piece by piece: a stamp, not a defence (the blob it
 * names is checked like any other when it is opened). */
static void
mix(uint64_t *h, const void *p, size_t n)
{
	*h = hash_more(*h, p, n);
}

static void
mix_u64(uint64_t *h, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	mix(h, b, sizeof(b));
}

/* What changes when a file is written, replaced or touched.  The inode
 * and change time catch a copy that kept the old size and mtime. */
static void
mix_stat(uint64_t *h, const struct stat *sb)
{
	mix_u64(h, (uint64_t)sb->st_ino);
	mix_u64(h, (uint64_t)sb->st_size);
	mix_u64(h, (uint64_t)sb->st_mtim.tv_sec);
	mix_u64(h, (uint64_t)sb->st_mtim.tv_nsec);
	mix_u64(h, (uint64_t)sb->st_ctim.tv_sec);
	mix_u64(h, (uint64_t)sb->st_ctim.tv_nsec);
}

/*
 * A file's times only change as often as the kernel's clock ticks (and
 * some file systems keep whole seconds), so two writes of the same size
 * in one tick look alike.  A file modified that recently is not trusted
 * to stay as its stamp says: its notes are compiled but not kept.
 */
#define CACHE_SETTLE 2 /* seconds */

struct stamp {
	uint64_t h;
	time_t now;
	int fresh; /* a file was modified within CACHE_SETTLE of now */
};

static void
stamp_stat(struct stamp *s, const struct stat *sb)
{
	mix_stat(&s->h, sb);
	if (sb->st_mtim.tv_sec > s->now - CACHE_SETTLE)
		s->fresh = 1;
}

static awn_status
stamp_file(void *ctx, int dfd, const char *name, const char *path,
           const char *rel, awn_error *err)
{
	struct stamp *s = ctx;
	struct stat sb;

	(void)path;
	(void)err; /* a failed stamp means compiling: no message */
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return AWN_ERR_IO; /* the walk passes over a vanished file */
	mix(&s->h, rel, strlen(rel) + 1);
	stamp_stat(s, &sb);
	return AWN_OK;
}

void
awn_notes_stamp(const char *const *paths, size_t n, uint64_t *out)
{
	struct stamp s = {HASH_BASIS, 0, 0};
	struct stat sb;
	size_t i;

	for (i = 0; i < n; i++) {
		mix(&s.h, paths[i], strlen(paths[i]) + 1);
		if (stat(paths[i], &sb) < 0)
			mix_u64(&s.h, (uint64_t)errno);
		else if (!S_ISDIR(sb.st_mode))
			mix_stat(&s.h, &sb);
		else
			/* How the walk ended counts: a subfolder made
			 * unreadable is a change. */
			mix_u64(&s.h,
			        (uint64_t)walk_markdown(paths[i], stamp_file,
			                                &s, NULL, NULL));
	}
	*out = s.h;
}

/*
 * Make the missing directories of DIR after its first ROOT bytes, each
 * private to this user.  Those bytes must name a directory already: a
 * home directory that is gone (HOME=/nonexistent) is not made again.
 */
static int
make_dirs(const char *dir, size_t root, const char **why)
{
	char *p = strdup(dir), *s;
	struct stat sb;
	int ok = 0;

	if (p == NULL)
		return 0;
	if (root >= strlen(p))
		goto out;
	if (root > 0) {
		p[root] = '\0';
		if (stat(p, &sb) < 0) {
			*why = strerror(errno);
			goto out;
		}
		if (!S_ISDIR(sb.st_mode)) {
			*why = strerror(ENOTDIR);
			goto out;
		}
		p[root] = dir[root];
	}
	for (s = strchr(p + root + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			*why = strerror(errno);
			goto out;
		}
		*s = '/';
	}
	ok = mkdir(p, 0700) == 0 || errno == EEXIST;
	if (!ok)
		*why = strerror(errno);
out:
	free(p);
	return ok;
}

/* Only a directory that no one else can put a file in: the blobs in it
 * are what lookups show.  0 with *WHY set when DIR is not one; -1 when
 * it does not exist. */
static int
private_dir(const char *dir, const char **why)
{
	struct stat sb;

	if (stat(dir, &sb) < 0) {
		*why = strerror(errno);
		return errno == ENOENT ? -1 : 0;
	}
	if (!S_ISDIR(sb.st_mode))
		*why = strerror(ENOTDIR);
	else if (sb.st_uid != geteuid())
		*why = "owned by another user";
	else if (sb.st_mode & (S_IWGRP | S_IWOTH))
		*why = "writable by other users";
	else
		return 1;
	return 0;
}

/* A blob's name is three hashes and ".blob": where the notes are, the
 * code that compiles them, and their files' stamp.  The first two, with
 * their '-', are NAME_NOTES_CODE bytes. */
#define NAME_FORMAT     "%016" PRIx64 "-%016" PRIx64 "-%016" PRIx64 ".blob"
#define NAME_HASHES     3
#define NAME_NOTES_CODE 34

char *
cache_file_for(const char *dir, size_t root, const char *path,
               const struct stat *sb, const char **why)
{
	uint64_t where = HASH_BASIS, code = HASH_BASIS;
	struct stamp what = {HASH_BASIS, 0, 0};
	char *real, *file;
	const char *base;
	const char *dir_why = NULL;
	int n, ok;

	if (dir == NULL || dir[0] == '\0')
		return NULL;
	/* Relative, it would be another directory in every working
	 * directory (a relative XDG_CACHE_HOME is passed over so). */
	if (dir[0] != '/') {
		*why = "not an absolute path";
		return NULL;
	}
	if ((ok = private_dir(dir, &dir_why)) < 0)
		ok = make_dirs(dir, root, &dir_why) &&
		     private_dir(dir, &dir_why) > 0;
	if (!ok) {
		*why = dir_why;
		return NULL;
	}
	if ((real = realpath(path, NULL)) == NULL)
		return NULL;
	mix(&where, real, strlen(real) + 1);
	free(real);
	if (!S_ISDIR(sb->st_mode)) {
		/* A file's document is named as it was given: a link to it
		 * under another name is other notes. */
		base = strrchr(path, '/');
		base = base && base[1] ? base + 1 : path;
		mix(&where, base, strlen(base) + 1);
	}
	/* The code: another awsnote (a build tree's, an installed one) may
	 * compile the same notes otherwise, and keeps its own blob. */
	mix(&code, awn_version(), strlen(awn_version()) + 1);
	mix(&code, AWN_SOURCE_ID, sizeof(AWN_SOURCE_ID));
	mix_u64(&code, BLOB_VERSION);
	what.now = time(NULL);
	if (S_ISDIR(sb->st_mode)) {
		if (walk_markdown(path, stamp_file, &what, NULL, NULL) !=
		    AWN_OK)
			return NULL;
	} else {
		stamp_stat(&what, sb);
	}
	if (what.fresh)
		return NULL;
	n = snprintf(NULL, 0, "%s/" NAME_FORMAT, dir, where, code, what.h);
	if (n < 0 || (file = malloc((size_t)n + 1)) == NULL)
		return NULL;
	snprintf(file, (size_t)n + 1, "%s/" NAME_FORMAT, dir, where, code,
	         what.h);
	return file;
}

/*
 * Notes that were moved, deleted or only looked at once would leave
 * their blobs behind for good: a blob not read for CACHE_UNUSED seconds
 * goes (the kernel updates a mapped file's access time at least daily;
 * where it does not, notes still in use are compiled again that often).
 * Blobs of other code go that way too, so that two builds of awsnote in
 * use (an installed one and a build tree's) keep one each.  A temporary
 * file of a run that died while writing goes when a day old.
 */
#define CACHE_UNUSED (30L * 24 * 3600)

/*
 * Whether S, a name in the cache, is a blob's (1) or a temporary file's
 * (2, ".NAME.PID.tmp"); 0 for any other name.  *HASHES: how many the
 * name has, NAME_HASHES, or 2 in names of earlier versions (where the
 * notes are, and one hash of code and stamp).
 */
static int
blob_name(const char *s, int *hashes)
{
	int tmp = s[0] == '.', n;
	size_t i, len;

	/* Hashes of 16 hex digits, each but the last followed by '-'. */
	for (s += tmp, n = 0; n < NAME_HASHES; s++) {
		for (i = 0; i < 16; i++)
			if (!isxdigit((unsigned char)s[i]))
				return 0;
		s += 16;
		n++;
		if (*s != '-')
			break;
	}
	if (n < 2 || strncmp(s, ".blob", 5) != 0)
		return 0;
	*hashes = n;
	s += 5;
	len = strlen(s);
	if (!tmp)
		return len == 0;
	if (len < 6 || s[0] != '.' || strcmp(s + len - 4, ".tmp") != 0)
		return 0;
	return 2;
}

/*
 * Blobs of the same notes by other builds kept at most: an installed
 * awsnote and a build tree's need one each, but a developer rebuilding
 * the library makes a new build each time, and 30 days of those could
 * be hundreds of copies of a large set.  The ones read last stay.
 */
#define CACHE_OTHER_BUILDS 2

struct other_build {
	char name[64]; /* fits every name blob_name accepts for a blob */
	time_t atime;
};

static int
cmp_other_build(const void *pa, const void *pb)
{
	const struct other_build *a = pa, *b = pb;

	if (a->atime != b->atime)
		return a->atime < b->atime ? 1 : -1; /* last read first */
	return strcmp(a->name, b->name);
}

/* Remove, in FILE's directory, the other blobs of FILE's notes by the
 * same code (the first NAME_NOTES_CODE bytes of its name), all but the
 * CACHE_OTHER_BUILDS last read of other code, and old blobs and
 * temporary files. */
static void
prune(const char *file)
{
	const char *slash = strrchr(file, '/'), *name = slash + 1;
	char *dir = strndup(file, (size_t)(slash - file));
	time_t now = time(NULL);
	struct other_build *other = NULL, *grown;
	size_t nother = 0, i;
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if (dir == NULL || (d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		int hashes, kind = blob_name(n, &hashes);

		if (kind == 0 || strcmp(n, name) == 0)
			continue;
		if (kind == 1 && hashes == NAME_HASHES &&
		    strncmp(n, name, NAME_NOTES_CODE) == 0) {
			unlinkat(dirfd(d), n, 0);
			continue;
		}
		if (fstatat(dirfd(d), n, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (sb.st_atime <
		    now - (kind == 2 ? 24 * 3600 : CACHE_UNUSED)) {
			unlinkat(dirfd(d), n, 0);
			continue;
		}
		/* These notes (the first hash and its '-'), other code. */
		if (kind != 1 || strncmp(n, name, 17) != 0 ||
		    strlen(n) >= sizeof(other->name))
			continue;
		if ((nother & (nother - 1)) == 0) { /* 0, 1, 2, 4, ... */
			grown = realloc(other, (nother ? 2 * nother : 1) *
			                           sizeof(*other));
			if (grown == NULL)
				break;
			other = grown;
		}
		strcpy(other[nother].name, n);
		other[nother++].atime = sb.st_atime;
	}
	if (nother > CACHE_OTHER_BUILDS) {
		qsort(other, nother, sizeof(*other), cmp_other_build);
		for (i = CACHE_OTHER_BUILDS; i < nother; i++)
			unlinkat(dirfd(d), other[i].name, 0);
	}
	free(other);
	closedir(d);
	free(dir);
}

#ifdef O_TMPFILE
/* Give the unnamed file FD the name FILE.  1: done; 0: not; -1: no
 * /proc to name it through (linkat's AT_EMPTY_PATH wants a privilege). */
static int
name_unnamed(int fd, const char *file)
{
	char proc[32];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, file, AT_SYMLINK_FOLLOW) == 0)
		return 1;
	if (errno == ENOENT && access(proc, F_OK) < 0)
		return -1;
	/*
	 * linkat replaces no name.  One taken is the blob another run kept
	 * meanwhile, the same bytes (the name stamps all that went into
	 * them), or what did not open as a blob (damaged, a FIFO): replaced.
	 * Taken again, it is another run's.
	 */
	if (errno != EEXIST || unlink(file) < 0)
		return 0;
	return linkat(AT_FDCWD, proc, AT_FDCWD, file, AT_SYMLINK_FOLLOW) == 0 ||
	       errno == EEXIST;
}

/* A file without a name in FILE's directory, or -1; *NONE: the file
 * system (or kernel) makes no such file. */
static int
open_unnamed(const char *file, int *none)
{
	const char *slash = strrchr(file, '/');
	char dir[PATH_MAX];
	int fd;

	*none = 0;
	if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file) >=
	    (int)sizeof(dir))
		return -1;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	/* EOPNOTSUPP: not on this file system; EISDIR, EINVAL: a kernel
	 * without O_TMPFILE. */
	*none = fd < 0 &&
	        (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL);
	return fd;
}

/* Write all of DATA/LEN to FD. */
static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;
		data += w;
		len -= (size_t)w;
	}
	return 1;
}

/* Copy all of FROM, from its start, to TO, 1 MiB a write: the page cache
 * keeps what a write filled as one folio, and a lookup's read faults map
 * a folio at a time (HACKING: "The writer's write sizes"). */
static int
copy_all(int from, int to)
{
	const size_t size = (size_t)1 << 20;
	char *chunk = malloc(size);
	ssize_t n;
	int ok = chunk != NULL && lseek(from, 0, SEEK_SET) == 0;

	while (ok && (n = read(from, chunk, size)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0 && write_all(to, chunk, (size_t)n);
	}
	free(chunk);
	return ok;
}
#endif

/* A new file ".NAME.PID.tmp" beside FILE, named in TMP (PATH_MAX), or
 * -1. */
static int
open_named(const char *file, char *tmp)
{
	const char *slash = strrchr(file, '/');

	if (snprintf(tmp, PATH_MAX, "%.*s/.%s.%ld.tmp", (int)(slash - file),
	             file, slash + 1, (long)getpid()) >= PATH_MAX)
		return -1;
	return open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	            0600);
}

/*
 * The file FILL fills has no name until it is whole and synced, and
 * then it gets FILE's at once (O_TMPFILE): a run killed at any moment
 * leaves nothing behind, and after a crash the name holds the whole
 * blob or nothing.  Where the file system makes no such file, or there
 * is no /proc to name it through, a temporary file beside FILE,
 * ".NAME.PID.tmp", is synced and renamed instead.  FILL is called
 * once: it may be a build that cannot be done twice.
 */
int
cache_store_with(const char *file, cache_write_fn *fill, void *ctx,
                 int *written)
{
	char tmp[PATH_MAX];
	int fd = -1, named = 0, kept = 0;

	*written = -1;
	if (strrchr(file, '/') == NULL)
		return 0;
#ifdef O_TMPFILE
	int none;
	if ((fd = open_unnamed(file, &none)) < 0 && !none)
		return 0;
#endif
	if (fd < 0) {
		if ((fd = open_named(file, tmp)) < 0)
			return 0;
		named = 1;
	}
	if (!fill(ctx, fd)) {
		close(fd);
		if (named)
			unlink(tmp);
		return 0;
	}
	/* Whole: the caller may read it, named or not. */
	*written = fd;
	if (fsync(fd) != 0)
		goto out;
#ifdef O_TMPFILE
	if (!named && (kept = name_unnamed(fd, file)) < 0) {
		/* No /proc: a copy under a temporary name, renamed. */
		int to = open_named(file, tmp), ok;

		kept = 0;
		if (to < 0)
			goto out;
		named = 1;
		ok = copy_all(fd, to) && fsync(to) == 0;
		if (close(to) != 0)
			ok = 0;
		kept = ok && rename(tmp, file) == 0;
		goto out;
	}
#endif
	if (named)
		kept = rename(tmp, file) == 0;
out:
	if (named && !kept)
		unlink(tmp);
	if (kept)
		prune(file);
	return kept;
}
