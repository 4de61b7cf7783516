/*
 * cache.h - compiled notes kept between runs.
 *
 * Notes given as Markdown (a file or a directory) are compiled on every
 * run unless a cache directory is set.  With one, the blob is kept there
 * under a name made of three hashes: of the notes' real path, of the
 * code (a checksum of the library's sources), and of a stamp of the
 * notes' files (each Markdown file's name, size, times and inode).  An
 * edit, a new or a removed file changes the stamp, hence the name, and
 * the next run compiles again and drops the blob it replaces.  Other
 * code (another build of awsnote) keeps a blob of its own beside it.
 *
 * Everything here is best effort: a cache that cannot be made, read or
 * written only means compiling, never a failed lookup.
 */
#ifndef AWSNOTE_CACHE_H
#define AWSNOTE_CACHE_H

#include <sys/stat.h>

#include "awsnote.h"

/*
 * The cache file that would hold the blob of notes PATH (SB: its stat)
 * as they are now, in directory DIR.  The directories of DIR after its
 * first ROOT bytes are made (mode 0700) if missing; those bytes must name
 * a directory (0: any of DIR may be made).  NULL when there is none to
 * use: DIR cannot be made, is not a directory of this user's that no one
 * else can write to, or PATH's tree cannot be walked.  Free with free().
 * When DIR itself is what cannot be used, *WHY says why in a few words
 * (a strerror text such as "Not a directory", or "writable by other
 * users"), else it is left alone.
 */
char *cache_file_for(const char *dir, size_t root, const char *path,
                     const struct stat *sb, const char **why);

/* Writes a blob into FD, a new empty file: 1 when FD then holds the
 * whole blob, else 0 (a write that would pass the file size limit must
 * not be made: SIGXFSZ would kill the process). */
typedef int cache_write_fn(void *ctx, int fd);

/*
 * Keep the blob that FILL(CTX, ...) writes as FILE (from
 * cache_file_for): written and synced before it has that name, so a
 * reader never sees half a blob, and without a name before that where
 * the file system allows; then the other blobs of the same notes by
 * the same code are removed.  1 when it is kept.  *WRITTEN: the file
 * FILL wrote it into (open for reading, to be closed by the caller)
 * when it wrote the whole blob, whether or not that is then kept; else
 * -1.  FILL is called at most once.
 */
int cache_store_with(const char *file, cache_write_fn *fill, void *ctx,
                     int *written);

#endif
