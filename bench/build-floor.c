/*
 * build-floor.c - the floor for build benchmarks: what reading the notes,
 * parsing them with md4c and deflating them with zlib cost, with nothing
 * of awsnote's own (no sections, no tokens, no index, no blob).
 *
 * awsnote-index must do at least this much: read every file, give it
 * whole to md4c, and deflate about as many bytes of text in blocks of
 * 16 KiB at level 6 (BLOB_BLOCK_TARGET; its text is ~3.5% smaller than
 * the Markdown of awsdocs+tldr).  The floor deflates the Markdown
 * itself, each block from a fresh stream with no dictionary, which
 * costs less than the copy of a primed stream awsnote makes for each.
 *
 * One thread does it all, so its time is CPU time: on N cores no
 * schedule can take less wall time than the sum of the stages over N.
 * -w picks the stages: read, parse (read and md4c), deflate (read and
 * zlib), or all (the default).
 *
 * usage: build-floor [-w read|parse|deflate|all] [-z LEVEL] < FILES
 *        (FILES: one path a line, as find prints them)
 * prints: FILES BYTES CPU_SECONDS
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <md4c.h>
#include <zlib.h>

#define BLOCK 16384 /* BLOB_BLOCK_TARGET */

struct file {
	char *data;
	size_t len;
};

static int do_parse = 1, do_deflate = 1, level = 6;

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "build-floor: %s%s%s\n", what, detail ? ": " : "",
	        detail ? detail : "");
	exit(2);
}

static int
on_block(MD_BLOCKTYPE type, void *detail, void *ctx)
{
	(void)type;
	(void)detail;
	(void)ctx;
	return 0;
}

static int
on_span(MD_SPANTYPE type, void *detail, void *ctx)
{
	(void)type;
	(void)detail;
	(void)ctx;
	return 0;
}

static int
on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ctx)
{
	(void)type;
	(void)text;
	(void)size;
	(void)ctx;
	return 0;
}

/* The flags awsnote's reader gives md4c (lib/markdown.c). */
static const MD_PARSER parser = {
    0,
    MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEURLAUTOLINKS |
        MD_FLAG_PERMISSIVEWWWAUTOLINKS | MD_FLAG_TASKLISTS,
    on_block,
    on_block,
    on_span,
    on_span,
    on_text,
    NULL,
    NULL};

static int
read_file(const char *path, struct file *f)
{
	struct stat sb;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	f->data = malloc((size_t)sb.st_size + 1);
	if (f->data == NULL)
		die("out of memory", NULL);
	while (got < (size_t)sb.st_size &&
	       (n = read(fd, f->data + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	f->len = got;
	return 0;
}

/* Deflate F in blocks, each from a fresh stream: no dictionary, which
 * costs less than the copy of a primed stream that awsnote's text
 * thread makes for each block (HACKING, session 32). */
static void
deflate_file(z_stream *z, const struct file *f)
{
	static unsigned char out[2 * BLOCK];
	size_t off, n;

	for (off = 0; off < f->len; off += n) {
		n = f->len - off < BLOCK ? f->len - off : BLOCK;
		if (deflateReset(z) != Z_OK)
			die("deflateReset failed", NULL);
		z->next_in = (unsigned char *)f->data + off;
		z->avail_in = (uInt)n;
		z->next_out = out;
		z->avail_out = sizeof(out);
		if (deflate(z, Z_FINISH) != Z_STREAM_END)
			die("deflate failed", NULL);
	}
}

static void
deflater_init(z_stream *z)
{
	memset(z, 0, sizeof(*z));
	/* awsnote's deflater: raw, 32 KiB window, memLevel 8 */
	if (deflateInit2(z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		die("deflateInit2 failed", NULL);
}

int
main(int argc, char **argv)
{
	char path[8192];
	size_t files = 0, bytes = 0;
	z_stream z;
	struct file f;
	struct rusage ru;
	int c;

	while ((c = getopt(argc, argv, "w:z:")) != -1) {
		if (c == 'w' && !strcmp(optarg, "read"))
			do_parse = do_deflate = 0;
		else if (c == 'w' && !strcmp(optarg, "parse"))
			do_deflate = 0;
		else if (c == 'w' && !strcmp(optarg, "deflate"))
			do_parse = 0;
		else if (c == 'w' && !strcmp(optarg, "all"))
			do_parse = do_deflate = 1;
		else if (c == 'z' && optarg[0] >= '0' && optarg[0] <= '9' &&
		         optarg[1] == '\0')
			level = optarg[0] - '0';
		else
			die("usage: build-floor [-w read|parse|deflate|all] "
			    "[-z LEVEL] < FILES",
			    NULL);
	}
	if (do_deflate)
		deflater_init(&z);
	while (fgets(path, sizeof(path), stdin) != NULL) {
		path[strcspn(path, "\n")] = '\0';
		if (read_file(path, &f) < 0)
			die(path, strerror(errno));
		files++;
		bytes += f.len;
		if (do_parse &&
		    md_parse(f.data, (MD_SIZE)f.len, &parser, NULL) != 0)
			die(path, "md4c failed");
		if (do_deflate)
			deflate_file(&z, &f);
		free(f.data);
	}
	if (do_deflate)
		deflateEnd(&z);
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu %zu %.3f\n", files, bytes,
	       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return 0;
}
