/*
 * shell-complete.h - what Tab can complete in the shell: command names,
 * the words of section titles, and (when no title word fits) index terms.
 */
#ifndef SHELL_COMPLETE_H
#define SHELL_COMPLETE_H

#include <stddef.h>

#include "awsnote.h"

#define COMPLETE_MAX 500 /* candidates offered at most */

struct cands {
	char **s; /* owned, NUL-terminated, display-safe, sorted without
	             regard to ASCII case, each once */
	size_t n;
	size_t more; /* candidates left out beyond COMPLETE_MAX */
};

/* The title words of a db, gathered once per session (opaque). */
struct titlewords;

/* The title words of DB's documents, or of document DOC alone (else
 * AWN_NONE). */
struct titlewords *shell_complete_titles(awn_db *db, uint32_t doc);
void shell_complete_titles_free(struct titlewords *tw);

/*
 * Candidates for WORD/LEN: with COMMAND set, the commands (":next") that
 * begin with WORD (which starts with ':'); otherwise the title words of
 * TW that begin with WORD, ASCII case ignored, or if there are none, the
 * index terms of DB that do (when DB is not NULL: the index is of every
 * document, so not for the words after a document's name).  *OUT is
 * filled; free it with shell_complete_free.
 */
void shell_complete(awn_db *db, struct titlewords *tw, const char *word,
                    size_t len, int command, struct cands *out);
void shell_complete_free(struct cands *c);

#endif /* SHELL_COMPLETE_H */
