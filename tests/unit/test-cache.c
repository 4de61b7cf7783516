/*
 * test-cache.c - the directory walk (walk.c) and the cache's names and
 * files (cache.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "check.h"
#include "error.h"
#include "walk.h"

static char root[64];

/* cache_store_with of BLOB (8 bytes), the file it was written to closed. */
static int
write_blob8(void *ctx, int fd)
{
	return write(fd, ctx, 8) == 8;
}

static void
cache_store(const char *file, const char *blob)
{
	int fd;

	cache_store_with(file, write_blob8, (void *)blob, &fd);
	if (fd >= 0)
		close(fd);
}

static void
put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Date REL BACK seconds back, as notes long written are. */
static void
age(const char *rel, long back)
{
	char path[256];
	struct timeval tv[2];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= back;
	tv[1] = tv[0];
	CHECK(utimes(path, tv) == 0);
}

static awn_status
list_file(void *ctx, int dfd, const char *name, const char *path,
          const char *rel, awn_error *err)
{
	struct buf *b = ctx;

	(void)err;
	CHECK(dfd >= 0);
	CHECK(strcmp(path + strlen(path) - strlen(name), name) == 0);
	CHECK(strstr(path, "//") == NULL);
	buf_adds(b, rel);
	buf_addc(b, ';');
	return AWN_OK;
}

static void
test_walk(void)
{
	struct buf got;
	char path[256];
	awn_error err = {AWN_OK, ""};
	size_t links = 0;

	buf_init(&got, 0);
	CHECK_INT(walk_markdown(root, list_file, &got, &links, &err), AWN_OK);
	buf_cstr(&got);
	/* Sorted byte-wise, hidden entries and other files left out, links
	 * not followed (but counted), subdirectories in their place. */
	CHECK_STR(got.data, "B.markdown;a.md;sub/c.md;");
	CHECK_INT(links, 2);
	/* A root given with a trailing '/' joins its entries with one. */
	got.len = 0;
	snprintf(path, sizeof(path), "%s/", root);
	CHECK_INT(walk_markdown(path, list_file, &got, NULL, &err), AWN_OK);
	buf_cstr(&got);
	CHECK_STR(got.data, "B.markdown;a.md;sub/c.md;");
	CHECK(!walk_is_markdown(".md"));
	CHECK(!walk_is_markdown("x.mdx"));
	CHECK(walk_is_markdown("x.md"));
	snprintf(path, sizeof(path), "%s/nosuch", root);
	CHECK_INT(walk_markdown(path, list_file, &got, NULL, &err), AWN_ERR_IO);
	CHECK(strstr(err.detail, "nosuch") != NULL);
	buf_free(&got);
}

/* A reader like the builder's, which at the first file removes a later
 * file and a later directory, as a tree changing under a build does. */
static awn_status
read_and_remove(void *ctx, int dfd, const char *name, const char *path,
                const char *rel, awn_error *err)
{
	char gone[256];
	int fd;

	if (strcmp(rel, "a.md") == 0) {
		snprintf(gone, sizeof(gone), "%s/.v/b.md", root);
		CHECK(unlink(gone) == 0);
		snprintf(gone, sizeof(gone), "%s/.v/c/x.md", root);
		CHECK(unlink(gone) == 0);
		snprintf(gone, sizeof(gone), "%s/.v/c", root);
		CHECK(rmdir(gone) == 0);
	}
	if ((fd = openat(dfd, name, O_RDONLY)) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	close(fd);
	return list_file(ctx, dfd, name, path, rel, err);
}

/* Files and directories gone between the listing and the reading are
 * passed over, as if never listed. */
static void
test_walk_vanished(void)
{
	struct buf got;
	char path[256];
	awn_error err = {AWN_OK, ""};

	snprintf(path, sizeof(path), "%s/.v", root);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/.v/c", root);
	CHECK(mkdir(path, 0755) == 0);
	put(".v/a.md", "# A\n");
	put(".v/b.md", "# B\n");
	put(".v/c/x.md", "# X\n");
	put(".v/d.md", "# D\n");
	buf_init(&got, 0);
	snprintf(path, sizeof(path), "%s/.v", root);
	CHECK_INT(walk_markdown(path, read_and_remove, &got, NULL, &err),
	          AWN_OK);
	CHECK_STR(err.detail, "");
	buf_cstr(&got);
	CHECK_STR(got.data, "a.md;d.md;");
	buf_free(&got);
}

/* Why the last name_in found DIR unusable, or NULL. */
static const char *why;

/* The cache file of the notes at ROOT in DIR, whose first BASE bytes
 * must name a directory. */
static char *
name_in(const char *dir, size_t base)
{
	struct stat sb;

	why = NULL;
	CHECK(stat(root, &sb) == 0);
	return cache_file_for(dir, base, root, &sb, &why);
}

static char *
name_for(const char *dir)
{
	return name_in(dir, 0);
}

static void
test_names(void)
{
	char dir[128], *a, *b, *c;
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s/.cache/x", root);
	a = name_for(dir);
	CHECK(a != NULL);
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	b = name_for(dir);
	CHECK(a && b && strcmp(a, b) == 0); /* nothing changed */
	/* An edit of the same size, a minute apart: another name for the
	 * same notes and code (the first two hashes of the name). */
	put("a.md", "# A\n\ntext two\n");
	age("a.md", 30);
	c = name_for(dir);
	CHECK(c && a && strcmp(c, a) != 0);
	CHECK(c && a &&
	      strncmp(c + strlen(dir) + 1, a + strlen(dir) + 1, 34) == 0);
	free(b);
	/* A file just modified: nothing is kept. */
	put("sub/c.md", "# C\n\nnew\n");
	CHECK(name_for(dir) == NULL);
	CHECK(why == NULL); /* nothing wrong with the directory */
	age("sub/c.md", 60);
	b = name_for(dir);
	CHECK(b != NULL && strcmp(b, c) != 0);
	/* A file that is not notes changes nothing. */
	put("notes.txt", "other");
	put(".hidden.md", "# H\n");
	free(c);
	c = name_for(dir);
	CHECK(b && c && strcmp(b, c) == 0);
	/* A directory others can write to is not used. */
	CHECK(chmod(dir, 0770) == 0);
	CHECK(name_for(dir) == NULL);
	CHECK_STR(why ? why : "", "writable by other users");
	CHECK(chmod(dir, 0700) == 0);
	CHECK(name_for("") == NULL);
	/* A file where the directory should be. */
	snprintf(dir, sizeof(dir), "%s/notes.txt", root);
	CHECK(name_for(dir) == NULL);
	CHECK_STR(why ? why : "", strerror(ENOTDIR));
	free(a);
	free(b);
	free(c);
}

/* Only the directories after the first bytes given are made: a home
 * directory that is missing, or a file, is no place for a cache. */
static void
test_roots(void)
{
	char home[128], dir[160], *a;
	struct stat sb;

	snprintf(home, sizeof(home), "%s/.home", root);
	snprintf(dir, sizeof(dir), "%s/.cache/awsnote", home);
	CHECK(name_in(dir, strlen(home)) == NULL);
	CHECK_STR(why ? why : "", strerror(ENOENT));
	CHECK(stat(home, &sb) < 0 && errno == ENOENT);
	put(".home", "a file");
	CHECK(name_in(dir, strlen(home)) == NULL);
	CHECK_STR(why ? why : "", strerror(ENOTDIR));
	CHECK(unlink(home) == 0 && mkdir(home, 0755) == 0);
	a = name_in(dir, strlen(home));
	CHECK(a != NULL);
	free(a);
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	/* "/" and "" of a path's root (HOME=/, a relative cache). */
	snprintf(dir, sizeof(dir), "%s/.home/x", root);
	a = name_in(dir, 1);
	CHECK(a != NULL);
	free(a);
}

static void
test_store(void)
{
	char dir[128], *a, *b, buf[16];
	struct stat sb;
	int fd;

	snprintf(dir, sizeof(dir), "%s/.cache/y", root);
	a = name_for(dir);
	CHECK(a != NULL);
	if (a == NULL)
		return;
	cache_store(a, "\211AWN one");
	fd = open(a, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 8 &&
	      memcmp(buf, "\211AWN one", 8) == 0);
	if (fd >= 0)
		close(fd);
	/* The notes change: their new blob replaces the old one. */
	put("a.md", "# A\n\ntext three\n");
	age("a.md", 20);
	b = name_for(dir);
	CHECK(b != NULL && strcmp(a, b) != 0);
	if (b)
		cache_store(b, "\211AWN two");
	CHECK(access(a, F_OK) < 0);
	CHECK(b && access(b, F_OK) == 0);
	/* What holds the name and did not open as a blob (the only time a
	 * blob is kept under a name taken) is replaced. */
	CHECK(mkfifo(a, 0600) == 0);
	cache_store(a, "\211AWN one");
	CHECK(stat(a, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 8);
	CHECK((sb.st_mode & 0777) == 0600);
	free(a);
	free(b);
}

/*
 * When a blob is kept, the other blobs of its notes by the same code go
 * at once; other code's blobs (another build's, or those of earlier
 * versions, named by two hashes) and other notes' go when not read for a
 * month, and temporary files a day old; files not named as ours stay.
 */
static void
test_old(void)
{
	static const struct {
		const char *dot; /* "." for a temporary file */
		int same; /* bytes of the new blob's name that start it */
		const char *rest;
		long age; /* days */
		int gone;
	} files[] = {
	    /* These notes by this code, in another state: replaced. */
	    {"", 34, "0000000000000000.blob", 0, 1},
	    /* These notes by other code, and by earlier versions: the two
	     * read last are kept, the third goes, as any unread for 30
	     * days. */
	    {"", 17, "1111111111111111-2222222222222222.blob", 0, 0},
	    {"", 17, "1111111111111111-3333333333333333.blob", 20, 1},
	    {"", 17, "1111111111111111-4444444444444444.blob", 40, 1},
	    {"", 17, "5555555555555555.blob", 0, 0},
	    /* Other notes, by any code. */
	    {"", 0, "0000000000000000-1111111111111111-2222222222222222.blob",
	     40, 1},
	    {"", 0, "0000000000000000-0000000000000000.blob", 40, 1},
	    {"", 0, "1111111111111111-1111111111111111.blob", 20, 0},
	    /* Temporary files. */
	    {".", 34, "2222222222222222.blob.7.tmp", 2, 1},
	    {".", 34, "3333333333333333.blob.7.tmp", 0, 0},
	    {".", 0, "2222222222222222-2222222222222222.blob.7.tmp", 2, 1},
	    /* Not ours. */
	    {"", 0, "0000000000000000-000000000000000.blob", 40, 0},
	    {"", 34, "0000000000000000-0000000000000000.blob", 40, 0},
	    {"", 34, "0000000000000000.blob.x", 40, 0},
	    {"", 0, "notes.txt", 40, 0},
	};
	char path[256], dir[128], rel[160], *b, *name;
	size_t i;

	put("a.md", "# A\n\ntext four\n");
	age("a.md", 10);
	snprintf(dir, sizeof(dir), "%s/.cache/y", root);
	b = name_for(dir);
	CHECK(b != NULL);
	if (b == NULL)
		return;
	name = b + strlen(dir) + 1;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(rel, sizeof(rel), ".cache/y/%s%.*s%s", files[i].dot,
		         files[i].same, name, files[i].rest);
		put(rel, "x");
		age(rel, files[i].age * 24 * 3600 + 60);
	}
	cache_store(b, "\211AWN six");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s%.*s%s", dir, files[i].dot,
		         files[i].same, name, files[i].rest);
		if (files[i].gone != (access(path, F_OK) < 0))
			CHECK_STR(path, files[i].gone ? "removed" : "kept");
	}
	CHECK(access(b, F_OK) == 0);
	free(b);
}

/* awn_notes_stamp: what the shell compares to see notes change. */
static void
test_stamp(void)
{
	char file[256], blob[256], gone[256];
	const char *paths[3] = {root, blob, gone};
	uint64_t a, b, c;

	snprintf(file, sizeof(file), "%s/a.md", root);
	snprintf(blob, sizeof(blob), "%s/.cache/one.blob", root);
	snprintf(gone, sizeof(gone), "%s/gone.md", root);
	put(".cache/one.blob", "\211AWN one");
	awn_notes_stamp(paths, 2, &a);
	awn_notes_stamp(paths, 2, &b);
	CHECK(a == b); /* nothing changed */
	/* An edit of the same size, dated back as before: inode, ctime. */
	put("a.md", "# A\n\ntext fiv\n");
	age("a.md", 10);
	awn_notes_stamp(paths, 2, &b);
	CHECK(a != b);
	/* A note added, then removed: back to what it was not. */
	put("sub/new.md", "# N\n");
	awn_notes_stamp(paths, 2, &c);
	CHECK(c != b);
	snprintf(file, sizeof(file), "%s/sub/new.md", root);
	CHECK(unlink(file) == 0);
	awn_notes_stamp(paths, 2, &c);
	CHECK(c == b);
	/* Hidden files and other files are not notes. */
	put(".hidden2.md", "# H\n");
	put("other.txt", "x");
	awn_notes_stamp(paths, 2, &c);
	CHECK(c == b);
	/* A blob given is stamped as a file: written anew, it differs. */
	put(".cache/one.blob", "\211AWN two, longer");
	awn_notes_stamp(paths, 2, &c);
	CHECK(c != b);
	/* A path that does not exist is stamped too, and when it appears
	 * the stamp changes. */
	awn_notes_stamp(paths, 3, &a);
	put("gone.md", "# G\n");
	awn_notes_stamp(paths, 3, &b);
	CHECK(a != b);
	CHECK(unlink(gone) == 0);
}

int
main(void)
{
	char path[256];

	snprintf(root, sizeof(root), "%s/awsnote-cache.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/sub", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/.git", root);
	mkdir(path, 0755);
	put("a.md", "# A\n\ntext one\n");
	put("B.markdown", "# B\n");
	put("sub/c.md", "# C\n");
	put(".git/d.md", "# D\n");
	put("e.txt", "not notes\n");
	snprintf(path, sizeof(path), "%s/link.md", root);
	CHECK(symlink("a.md", path) == 0);
	snprintf(path, sizeof(path), "%s/sublink", root);
	CHECK(symlink("sub", path) == 0);
	age("a.md", 60);
	age("B.markdown", 60);
	age("sub/c.md", 60);

	test_walk();
	test_walk_vanished();
	test_names();
	test_roots();
	test_stamp();
	test_store();
	test_old();

	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	if (system(path) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return check_status();
}
