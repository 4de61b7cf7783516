/*
 * fuzz-mutate.c - write damaged copies of a file, for tests/cli/hostile.sh.
 *
 *   fuzz-mutate truncate FILE OUTDIR [STEP]
 *       OUTDIR/trunc-N holding FILE's first N bytes, for every N from 0
 *       to FILE's size - 1 (every STEP-th N when STEP is given)
 *   fuzz-mutate flip FILE OUTDIR COUNT SEED [fix]
 *       OUTDIR/flip-K-OFF for K < COUNT: FILE with the byte at a random
 *       offset OFF changed to another random value; with "fix", the
 *       blob's checksums are then recomputed (blob-fix.h) so the damage
 *       gets past them
 *   fuzz-mutate put32 FILE OUT TYPE OFFSET VALUE
 *       OUT holding FILE with the u32 at OFFSET of its table of TYPE set
 *       to VALUE, checksums recomputed
 *   fuzz-mutate retype FILE OUT TYPE NEWTYPE
 *       OUT holding FILE with its table of TYPE made one of NEWTYPE (an
 *       unknown type hides it from readers), checksums recomputed
 *
 * One process writes them all, so the shell test spends its time running
 * awsnote rather than dd.  The generator is a fixed LCG, not rand(), so a
 * SEED names the same files on every libc.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob-fix.h"
#include "blob-format.h"

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	do {
		if (*len == cap) {
			uint8_t *p = realloc(data, cap = cap ? cap * 2 : 65536);
			if (p == NULL) {
				free(data);
				fclose(f);
				return NULL;
			}
			data = p;
		}
		n = fread(data + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return data;
}

static int
write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0) {
		fprintf(stderr, "fuzz-mutate: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
spill(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return write_file(path, data, len);
}

static uint32_t
next(uint64_t *state)
{
	*state = *state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*state >> 33);
}

int
main(int argc, char **argv)
{
	uint8_t *data, *copy;
	size_t len, i;
	char name[64];

	if (argc < 4 || (data = slurp(argv[2], &len)) == NULL || len == 0) {
		fputs("usage: fuzz-mutate truncate FILE OUTDIR [STEP]\n"
		      "       fuzz-mutate flip FILE OUTDIR COUNT SEED [fix]\n"
		      "       fuzz-mutate put32 FILE OUT TYPE OFFSET VALUE\n"
		      "       fuzz-mutate retype FILE OUT TYPE NEWTYPE\n",
		      stderr);
		return 2;
	}
	if ((copy = malloc(len)) == NULL)
		return 2;
	if (strcmp(argv[1], "truncate") == 0) {
		size_t step = argc > 4 ? strtoul(argv[4], NULL, 10) : 1;
		for (i = 0; i < len; i += step ? step : 1) {
			snprintf(name, sizeof(name), "trunc-%zu", i);
			if (spill(argv[3], name, data, i) < 0)
				return 2;
		}
	} else if (strcmp(argv[1], "flip") == 0 && argc > 5) {
		unsigned long count = strtoul(argv[4], NULL, 10), k;
		uint64_t state = strtoull(argv[5], NULL, 10);
		int fix = argc > 6 && strcmp(argv[6], "fix") == 0;
		for (k = 0; k < count; k++) {
			size_t at = next(&state) % len;
			memcpy(copy, data, len);
			copy[at] ^= (uint8_t)(1 + next(&state) % 255);
			if (fix && len >= BLOB_HEADER_SIZE)
				blob_fix_checksums(copy, len);
			snprintf(name, sizeof(name), "flip-%lu-%zu", k, at);
			if (spill(argv[3], name, copy, len) < 0)
				return 2;
		}
	} else if ((strcmp(argv[1], "put32") == 0 && argc == 7) ||
	           (strcmp(argv[1], "retype") == 0 && argc == 6)) {
		/* One field of a well-formed blob, for tests/cli/skips.sh. */
		uint8_t *d =
		    len >= BLOB_HEADER_SIZE
		        ? blob_fix_dirent(data,
		                          (uint32_t)strtoul(argv[4], NULL, 10))
		        : NULL;
		uint64_t off = strtoull(argv[5], NULL, 10);
		if (d == NULL ||
		    (argc == 7 && (off > blob_fix_get64(d + 16) ||
		                   blob_fix_get64(d + 16) - off < 4))) {
			fprintf(stderr, "fuzz-mutate: %s: no such field\n",
			        argv[2]);
			return 2;
		}
		if (argc == 7)
			blob_fix_put32(data + blob_fix_get64(d + 8) + off,
			               (uint32_t)strtoul(argv[6], NULL, 10));
		else
			blob_fix_put32(d, (uint32_t)strtoul(argv[5], NULL, 10));
		blob_fix_checksums(data, len);
		if (write_file(argv[3], data, len) < 0)
			return 2;
	} else {
		fprintf(stderr, "fuzz-mutate: unknown mode %s\n", argv[1]);
		return 2;
	}
	free(copy);
	free(data);
	return 0;
}
