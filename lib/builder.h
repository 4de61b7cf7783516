/*
 * builder.h - what the library's own modules use of an awn_builder
 * beyond awsnote.h.
 */
#ifndef BUILDER_H
#define BUILDER_H

#include <stddef.h>

#include "awsnote.h"

/*
 * Write the blob into FD, a new empty file, when the file size limit
 * allows and every write succeeds: *DATA is then NULL.  Otherwise (and
 * FD then holds a part of a blob, to be thrown away) into memory, as
 * awn_builder_write_memory does: *DATA and *LEN.  So a blob too large
 * to hold twice goes straight to its file, and a file that cannot take
 * it (a full disk, a file size limit) still leaves a blob to use.
 */
awn_status builder_write_fd(awn_builder *b, int fd, void **data, size_t *len,
                            awn_error *err);

#endif /* BUILDER_H */
