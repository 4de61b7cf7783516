/*
 * replay.c - a main() for the fuzz targets when libFuzzer is not there.
 *
 * Linked with one fuzz-*.c file it feeds LLVMFuzzerTestOneInput each file
 * named on the command line, every file (sorted) of each directory named,
 * or, with no arguments, the target's seed corpus
 * $top_srcdir/tests/fuzz/corpus/FUZZ_TARGET.  So `make check` runs every
 * seed and every input that once crashed a target, with or without
 * clang, and `fuzz-blob-replay crash-1234` reproduces a finding under a
 * debugger.  Exit status: 0 when every input ran (a crash ends the
 * program, which is the failure), 1 when an input could not be read or
 * there were none, 2 for a bad command line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "compile with -DFUZZ_TARGET='\"name\"'"
#endif

#define REPLAY_MAX_INPUT                                                       \
	((size_t)64 << 20) /* larger files are not fuzz inputs */

static unsigned ran, failed;

static void
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	do {
		if (len == cap) {
			uint8_t *p;
			cap = cap ? cap * 2 : 4096;
			if (cap > REPLAY_MAX_INPUT ||
			    (p = realloc(data, cap)) == NULL) {
				fprintf(stderr, "replay: %s: too large\n",
				        path);
				failed++;
				goto out;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		failed++;
		goto out;
	}
	/* An exact-size copy, so ASan sees any read past the input's end. */
	{
		uint8_t *exact = malloc(len ? len : 1);
		if (exact == NULL) {
			failed++;
			goto out;
		}
		memcpy(exact, data, len);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	ran++;
out:
	free(data);
	fclose(f);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
replay_path(const char *path)
{
	struct stat sb;
	struct dirent *de;
	char **names = NULL, *full;
	size_t n = 0, i;
	DIR *d;

	if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		replay_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		failed++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char **p;
		if (de->d_name[0] == '.')
			continue;
		if ((p = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (p[n] = strdup(de->d_name)) == NULL) {
			fputs("replay: out of memory\n", stderr);
			exit(1);
		}
		names = p;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		if ((full = malloc(len)) == NULL) {
			fputs("replay: out of memory\n", stderr);
			exit(1);
		}
		snprintf(full, len, "%s/%s", path, names[i]);
		replay_file(full);
		free(full);
		free(names[i]);
	}
	free(names);
}

/* The oracles must be able to say no, or every replay would pass. */
static void
check_oracles(void)
{
	static const char *const bad[] = {
	    "\033[2J",    "a\033]0;t\007", "\2331m",
	    "\302\2331m", "\300\257",      "\355\240\200",
	    "\177",       "x\r",           "\364\220\200\200"};
	static const char *const good[] = {
	    "plain\ttext\n", "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80",
	    "\xef\xbf\xbd"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		FUZZ_ASSERT(!fuzz_display_safe(bad[i], strlen(bad[i]), 1));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		FUZZ_ASSERT(fuzz_display_safe(good[i], strlen(good[i]), 0));
	FUZZ_ASSERT(fuzz_display_safe("\033[1;36mx\033[0m", 12, 1));
	FUZZ_ASSERT(!fuzz_display_safe("\033[1;36mx\033[0m", 12, 0));
}

int
main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	int i;

	if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr,
		        "usage: %s [FILE|DIR]...\n"
		        "Run the %s fuzz target on each input (default: "
		        "$top_srcdir/tests/fuzz/corpus/%s).\n",
		        argv[0], FUZZ_TARGET, FUZZ_TARGET);
		return 2;
	}
	check_oracles();
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i]);
	} else {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s",
		         top ? top : ".", FUZZ_TARGET);
		replay_path(dir);
	}
	printf("replay %s: %u inputs ran, %u failed\n", FUZZ_TARGET, ran,
	       failed);
	return failed || ran == 0 ? 1 : 0;
}
