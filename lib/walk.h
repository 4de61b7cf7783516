/*
 * walk.h - the Markdown files below a directory, in the order a build
 * takes them: names sorted byte-wise, hidden entries (".name") skipped,
 * links inside the tree not followed (like grep -r: they would repeat
 * files or loop), FIFOs and devices passed over, at most WALK_MAX_DEPTH
 * directories deep.  A directory inside itself (a bind mount) is an
 * error, as is one that cannot be read.  The builder compiles what it
 * finds; the cache stamps it, so both see one tree.
 */
#ifndef AWSNOTE_WALK_H
#define AWSNOTE_WALK_H

#include "awsnote.h"

#define WALK_MAX_DEPTH 64

/*
 * Called for each Markdown file: NAME in directory DFD, PATH the whole
 * path, REL the path below the root directory.  A file that is gone by
 * the time FN returns AWN_ERR_IO for it is passed over (err cleared), as
 * if the walk had not seen it; so is a subdirectory gone before it is
 * opened.
 */
typedef awn_status (*walk_fn)(void *ctx, int dfd, const char *name,
                              const char *path, const char *rel,
                              awn_error *err);

/* The length of the ".md" or ".markdown" that ends name S/N after at
 * least one other byte, or 0. */
size_t walk_markdown_suffix(const char *s, size_t n);

/* Whether NAME ends in ".md" or ".markdown" (with something before). */
int walk_is_markdown(const char *name);

/* FN for each Markdown file below DIR; *LINKS (if LINKS) is set to the
 * number of symbolic links passed over, for a message about a directory
 * that gave no file. */
awn_status walk_markdown(const char *dir, walk_fn fn, void *ctx, size_t *links,
                         awn_error *err);

/*
 * Whether the walk of directory ROOT reads what lies at REAL (both
 * realpath's, NUL-terminated): a name below ROOT through no hidden
 * component, at most WALK_MAX_DEPTH directories deep (REAL itself
 * counted when IS_DIR).  A real path holds no link the walk would not
 * follow.
 */
int walk_reaches(const char *root, const char *real, int is_dir);

#endif
