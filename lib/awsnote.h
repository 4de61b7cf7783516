/*
 * awsnote.h - public interface of libawsnote.
 *
 * The library turns Markdown notes into an indexed, compressed blob
 * (awn_builder), opens such blobs (awn_db), answers keyword and regex
 * queries over them (awn_search, awn_grep) and renders sections for a
 * terminal or a pipe (awn_render).  It never prints, exits or reads the
 * environment: every policy decision belongs to the caller.
 *
 * Conventions:
 *  - Functions that can fail return an awn_status and, when the caller
 *    passes a non-NULL awn_error, fill it with a one-line detail (file,
 *    offset, pattern position) suitable for showing to a user.
 *  - Strings handed out as (pointer, length) slices are NOT NUL-terminated
 *    unless the comment says so; they stay valid as long as their owner
 *    (usually the awn_db) is alive.
 *  - Every _new or _open function has a matching _free, and _free(NULL)
 *    is a no-op.
 */
#ifndef AWSNOTE_H
#define AWSNOTE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum awn_status {
	AWN_OK = 0,
	AWN_ERR_NOMEM,   /* an allocation failed */
	AWN_ERR_IO,      /* open/read/write/rename failed; detail has errno */
	AWN_ERR_FORMAT,  /* not an awsnote blob, truncated or corrupt */
	AWN_ERR_VERSION, /* a blob of a format version this build can't read */
	AWN_ERR_INPUT,   /* unusable Markdown input (binary, too large) */
	AWN_ERR_QUERY,   /* malformed query or regex pattern */
	AWN_ERR_LIMIT,   /* a resource limit was reached (size cap, regex) */
	AWN_ERR_ARG,     /* the caller passed an invalid argument */
} awn_status;

/* Detail for the last failure; owned by the caller, filled by the library. */
typedef struct awn_error {
	awn_status status;
	char detail[512]; /* NUL-terminated one-line message, may be empty */
} awn_error;

/* Static, NUL-terminated description of a status ("blob is corrupt"). */
const char *awn_strerror(awn_status status);

/* Library version string, e.g. "0.1.0" (NUL-terminated, static). */
const char *awn_version(void);

/*
 * Copy text for display: control characters (C0, DEL, C1) and invalid
 * UTF-8 become U+FFFD, so text from a hostile blob or file name cannot
 * drive a terminal.  Writes at most SIZE-1 bytes plus a NUL into BUF,
 * never cutting a character; returns the bytes written.
 */
size_t awn_display_text(const char *s, size_t len, char *buf, size_t size);

/*
 * Compare text as a lookup matches words: letter by letter, upper case
 * folded to lower as the tokenizer folds it (Latin, Greek, Cyrillic), so
 * that "über" begins "Über Datenbanken".  awn_fold_cmp orders A (ALEN
 * bytes) and B; awn_fold_cmp_prefix compares only as many letters of S
 * as PREFIX has, 0 when S begins with it: in a list sorted by
 * awn_fold_cmp, the strings that begin with a prefix lie together.
 */
int awn_fold_cmp(const char *a, size_t alen, const char *b, size_t blen);
int awn_fold_cmp_prefix(const char *s, size_t slen, const char *prefix,
                        size_t plen);
/* The bytes of S that hold PREFIX's letters when S begins with them,
 * case folded as above (their count may differ from PLEN: "İ" is two
 * bytes, its "i" one); SIZE_MAX when S does not begin with PREFIX. */
size_t awn_fold_prefix(const char *s, size_t slen, const char *prefix,
                       size_t plen);

/* ---- Building blobs ---------------------------------------------------- */

typedef struct awn_builder awn_builder;

awn_status awn_builder_new(awn_builder **out, awn_error *err);
void awn_builder_free(awn_builder *b);

/*
 * Tune a build of large inputs; call before adding documents.  THREADS
 * > 1 compresses text in a second thread (the output is the same).  With
 * TMPDIR (NUL-terminated, copied; NULL for none), memory stays near
 * MEMORY bytes plus the term dictionary (and, while the blob is
 * written, its packed tables of sections): past it, postings,
 * compressed text, sections, titles and anchors move to temporary files
 * in TMPDIR, unlinked as soon as they are created.  Without a call: one
 * thread, everything in memory.
 */
awn_status awn_builder_set_limits(awn_builder *b, int threads, size_t memory,
                                  const char *tmpdir, awn_error *err);

/*
 * Refuse to read the file at PATH (NUL-terminated) as an input, by any
 * name, found in a directory or given: the file a build will write,
 * which a slip of the arguments must not replace with its own blob.  A
 * path with no regular file there yet is no input.  Also fails at once
 * where the blob could not be written (a directory, a directory that
 * is missing or not writable), rather than after the build.
 * AWN_ERR_IO.
 */
awn_status awn_builder_protect(awn_builder *b, const char *path,
                               awn_error *err);

/*
 * Add one Markdown document.  NAME is the document's display name (used
 * for its preamble section and, when several documents are loaded, as the
 * first element of section paths); DATA/LEN is the file's content.  Both
 * are copied as needed; the caller keeps ownership.
 */
awn_status awn_builder_add_markdown(awn_builder *b, const char *name,
                                    const char *data, size_t len,
                                    awn_error *err);

/*
 * Add a Markdown file, or every *.md and *.markdown file below a
 * directory (sorted, so builds are reproducible; links inside the
 * directory are not followed).  PATH is NUL-terminated.  A file or
 * directory added before, by any name, is skipped (AWN_OK).
 */
awn_status awn_builder_add_path(awn_builder *b, const char *path,
                                awn_error *err);

/*
 * Record DIR (NUL-terminated, absolute, copied) as the directory that
 * holds the documents of every path added after this call, by their
 * names, instead of the one they were read from: for where a section was
 * written (ORIGINS), when the blob and its notes are installed elsewhere
 * than where they were built.  AWN_ERR_ARG for a relative DIR.
 */
awn_status awn_builder_set_source_dir(awn_builder *b, const char *dir,
                                      awn_error *err);

/*
 * Progress of a build, for a caller that shows it (the library prints
 * nothing): FILES and BYTES of Markdown read so far, after each file;
 * then once more with WRITING set, as the blob is made from them.
 */
typedef void awn_progress_fn(void *ctx, uint64_t files, uint64_t bytes,
                             int writing);

/* Call FN(CTX, ...) as B reads and writes (NULL: not). */
void awn_builder_on_progress(awn_builder *b, awn_progress_fn *fn, void *ctx);

/*
 * Mark in HELD[I] (N bytes, set to 0 or 1) each of PATHS (NUL-terminated)
 * that a directory among them also reads: a Markdown file or directory
 * below it (by their real paths) through no hidden name or link, which
 * added as well would give its documents twice.  A path that names the
 * same file or directory as another is not held by it (awn_builder_add_
 * path and awn_db_open_many skip the later one); one that cannot be
 * stat'd is left to whoever adds it.  Stats each path, and, when a
 * directory is among them, realpath's each.  AWN_ERR_NOMEM.
 */
awn_status awn_paths_held(const char *const *paths, size_t n,
                          unsigned char *held);

/*
 * Write the blob to PATH atomically: a temporary file in the same
 * directory, fsync, rename.  On failure nothing is left behind.
 */
awn_status awn_builder_write_file(awn_builder *b, const char *path,
                                  awn_error *err);

/*
 * Write the blob into a malloc'd buffer returned in *DATA and *LEN; the
 * caller frees it with free().
 */
awn_status awn_builder_write_memory(awn_builder *b, void **data, size_t *len,
                                    awn_error *err);

/* ---- Reading blobs ----------------------------------------------------- */

typedef struct awn_db awn_db;

/*
 * Open a blob file (mapped read-only).  The header, the table directory
 * and every table's bounds are validated here; section text is inflated
 * lazily, block by block.
 */
awn_status awn_db_open(awn_db **out, const char *path, awn_error *err);

/*
 * Open a blob held in memory.  The db takes ownership of DATA (allocated
 * with malloc) and frees it; NAME is used in error messages.
 */
awn_status awn_db_open_memory(awn_db **out, void *data, size_t len,
                              const char *name, awn_error *err);

/*
 * Open PATH whatever it is: a blob, a Markdown file, or a directory of
 * Markdown files (compiled in memory on the fly).
 */
awn_status awn_db_open_any(awn_db **out, const char *path, awn_error *err);

/*
 * Open several sources as one db (each as awn_db_open_any would): their
 * sections and documents are numbered on from one to the next, and
 * searches rank across all of them.  A path naming the same file or
 * directory as an earlier one (same device and inode) is skipped, and
 * so is one that a directory among them reads (awn_paths_held).
 */
awn_status awn_db_open_many(awn_db **out, const char *const *paths, size_t n,
                            awn_error *err);

/*
 * awn_db_open_many, with the blobs of Markdown sources kept in directory
 * CACHE_DIR between runs (NULL or "": compile each time).  Its first
 * CACHE_ROOT bytes name a directory that must exist, such as the home
 * directory: the directories after them are made if missing (mode 0700),
 * it never is (CACHE_ROOT 0: any of CACHE_DIR may be made).  A source
 * whose files are unchanged since it was last compiled opens its kept
 * blob instead; a cache that cannot be used is passed over, never an
 * error.
 */
awn_status awn_db_open_cached(awn_db **out, const char *const *paths, size_t n,
                              const char *cache_dir, size_t cache_root,
                              awn_error *err);

/*
 * Why awn_db_open_cached's CACHE_DIR itself could not keep the Markdown
 * sources it compiled, in a few words ("Not a directory", "writable by
 * other users"), or NULL: it kept them, was not needed, or only a
 * source's files were in the way (one changed in the last seconds).
 */
const char *awn_db_cache_problem(const awn_db *db);

/*
 * A stamp of the notes at PATHS (N of them) as they are on disk now, in
 * *OUT: each path's file, or each Markdown file below a directory, by
 * name, inode, size, modification and change times.  Two stamps differ
 * when a note was edited, added, removed or renamed, or a blob written
 * anew, so a long-running caller (the shell) can tell that a db opened
 * from PATHS is out of date.  Taken before opening, it misses no edit
 * made while the notes compile.  A path that cannot be read changes the
 * stamp too.
 */
void awn_notes_stamp(const char *const *paths, size_t n, uint64_t *out);

/* The progress of the builds awn_db_open_cached makes of Markdown
 * sources: FN(CTX, ...) as for awn_builder_on_progress, for the whole
 * process (NULL: none). */
void awn_db_on_build_progress(awn_progress_fn *fn, void *ctx);

/* The limits of the builds awn_db_open_cached makes of Markdown sources,
 * as awn_builder_set_limits takes them, for the whole process; TMPDIR
 * (NULL: none) must stay valid while they run.  Without a call, or with
 * THREADS 0: one thread, everything in memory. */
void awn_db_build_limits(int threads, size_t memory, const char *tmpdir);

/* Re-check every checksum of the blob (index CRC and all text blocks). */
awn_status awn_db_verify(awn_db *db, awn_error *err);

/*
 * Check every checksum of the blobs that awn_db_open_cached took from its
 * cache, and remove the files of those found damaged, so that the next
 * open compiles their notes again: for after an AWN_ERR_FORMAT (a
 * lookup checks only the tables and text blocks it reads, so damage can
 * show only later).  Returns how many were removed.
 */
size_t awn_db_drop_damaged_cache(awn_db *db);

void awn_db_free(awn_db *db);

/*
 * awn_db_free for a process about to exit: the files stay mapped, for
 * the exit to unmap with the rest (an munmap of its own measured
 * 0.01-0.02 ms of a ~0.9 ms lookup).
 */
void awn_db_free_at_exit(awn_db *db);

#define AWN_NONE UINT32_MAX /* "no section" */

typedef struct awn_section {
	uint32_t id;
	uint32_t parent;   /* AWN_NONE for a top-level section */
	uint32_t end;      /* one past the last descendant: [id, end) */
	uint32_t doc;      /* index of the document it comes from */
	unsigned level;    /* heading level 1-6; 0 for a document preamble */
	const char *title; /* plain-text title slice */
	size_t title_len;
	const char *anchor; /* GitHub-style slug slice ("security-token-...") */
	size_t anchor_len;
} awn_section;

uint32_t awn_db_count(const awn_db *db);
uint32_t awn_db_doc_count(const awn_db *db);

/* The first section of document DOC (its sections follow in order, as
 * in its file), or AWN_NONE when it has none or DOC is out of range. */
uint32_t awn_db_doc_first(const awn_db *db, uint32_t doc);

/*
 * Name of document DOC as shown, a slice (empty when out of range): the
 * name in its blob, with, when another document of DB has that name,
 * the fewest last directories of where it was read that no other has
 * ("p1/README" and "p2/README" of -f p1/README.md -f p2/README.md; a
 * blob counts as a directory of its file's name).  A preamble's title
 * (awn_db_section) and awn_db_path show the same.
 */
const char *awn_db_doc_name(const awn_db *db, uint32_t doc, size_t *len);

/*
 * The document called NAME/LEN: its whole name (stored or as shown), or
 * else the first whose last path components match ("notes" or
 * "dir/notes" for "top/dir/notes").  AWN_NONE if none.
 */
uint32_t awn_db_find_doc(const awn_db *db, const char *name, size_t len);

/* Make awn_search consider only document DOC (AWN_NONE: all again). */
void awn_db_only_doc(awn_db *db, uint32_t doc);

/*
 * Make awn_search consider only what NAME/LEN names: the document
 * awn_db_find_doc finds, or else every document under the directory NAME
 * (whole path components anywhere in a document's name: "pages" and
 * "tldr/pages/" keep "tldr/pages/common/tar", not "tldr/pages.zh/...";
 * failing the names as stored, as awn_db_doc_name shows them: "p2/"
 * keeps "p2/README"); a NAME ending in '/' is always a directory.  A
 * NAME that names nothing and ends in .md or .markdown is tried
 * without it as a document's name (a file's name names no directory).
 * When nothing matches byte for byte, all that is tried again with
 * ASCII case ignored; failing that, NAME as a path on disk keeps what
 * was read from there (a source given, the sources below a directory,
 * or a Markdown file or directory below a directory given, by real
 * paths).  *COUNT: the documents kept; 0 changes nothing.
 * AWN_ERR_NOMEM.
 */
awn_status awn_db_keep_docs(awn_db *db, const char *name, size_t len,
                            uint32_t *count);

/* Is document DOC one that awn_search considers? */
int awn_db_doc_kept(const awn_db *db, uint32_t doc);

/*
 * Fill *OUT for section ID; AWN_ERR_ARG when ID is out of range,
 * AWN_ERR_NOMEM if its anchor, made from its title, cannot be kept.
 * The strings live as long as DB.
 */
awn_status awn_db_section(const awn_db *db, uint32_t id, awn_section *out);

/*
 * As awn_db_section, but with an empty anchor: none is made from the
 * title or kept, so reading many sections (a listing, completion, the
 * tree around a lookup) costs no memory.  AWN_ERR_ARG when ID is out of
 * range.
 */
awn_status awn_db_section_tree(const awn_db *db, uint32_t id, awn_section *out);

/* How a path shows a heading without text ("### <a name=x></a>"). */
#define AWN_UNTITLED "(untitled)"

/*
 * The longest path awn_db_path makes, in bytes: more than any blob
 * awsnote-index writes can need (a document name of 65,535 bytes, each
 * shown as U+FFFD, and six titles of 1,024), and a bound on what one
 * path of a damaged or foreign blob costs, whose titles may each be as
 * long as its STRINGS table.
 */
#define AWN_PATH_MAX ((size_t)256 * 1024)

/*
 * Write the section's path ("S3 > Encryption") into BUF as a
 * NUL-terminated string, truncated to SIZE at a character boundary.  SEP
 * joins the titles (an empty one shown as AWN_UNTITLED); titles and
 * document names are made safe to show (awn_display_text), SEP is not.
 * When the db holds several documents, the document name comes first.
 * Returns the full length (like snprintf), so a caller may call again
 * with a buffer of that length + 1 to get it whole.  A path longer than
 * AWN_PATH_MAX is cut there at a character boundary and ends in "...".
 */
size_t awn_db_path(const awn_db *db, uint32_t id, const char *sep, char *buf,
                   size_t size);

/*
 * Section whose anchor equals ANCHOR case-insensitively (a leading '#' is
 * ignored); among documents, DOC's own anchors win.  AWN_NONE if none.
 */
uint32_t awn_db_find_anchor(const awn_db *db, uint32_t doc, const char *anchor,
                            size_t len);

/*
 * The stored text of section ID in awsnote's rich-text line format (see
 * richtext.h and awsnote(5)); the slice is valid until the next call of
 * awn_db_text on the same db.
 */
awn_status awn_db_text(awn_db *db, uint32_t id, const char **text, size_t *len,
                       awn_error *err);

/*
 * Say that the text of sections FIRST to END-1 is what the caller reads
 * next (as a lookup prints a section and its subsections): a block is
 * then inflated only as far as the last of them in it.  Without it a
 * second read of a block inflates the rest of it at once, which suits a
 * caller that reads on (a regex search).  Only speed depends on it.
 */
void awn_db_will_read(awn_db *db, uint32_t first, uint32_t end);

/*
 * A one-line summary of section ID: the start of its body as plain text,
 * whitespace collapsed, cut at a word boundary to at most SIZE-1 bytes
 * (with "..." when cut), NUL-terminated in BUF.  "" if it has no body.
 */
awn_status awn_db_summary(awn_db *db, uint32_t id, char *buf, size_t size,
                          awn_error *err);

/* ---- Where sections were written --------------------------------------- */

/* Slices of the blob, valid as long as the db. */
typedef struct awn_source {
	const char *dir; /* the real directory (absolute) the notes were read
	                    below, as they were compiled; DIR_LEN 0: not
	                    known (notes given as bytes, not as a file) */
	size_t dir_len;
	const char *name; /* the document's stored name: its file's path
	                     below DIR, without SUFFIX */
	size_t name_len;
	const char *suffix; /* NUL-terminated, static: ".md", ".markdown",
	                       or "" (a file given by a name with neither) */
	uint32_t line;      /* of its heading in the file, from 1 (a setext
	                       heading's text); 1 for text before any heading */
} awn_source;

/*
 * Where section ID was written, into *OUT.  Only this reads the blob's
 * record of it (ORIGINS, awsnote(5)), checking it whole the first time.
 * AWN_ERR_FORMAT, with ERR naming the blob, if the record is damaged,
 * the blob was written before there was one (ERR then says to rebuild
 * it), or the document's name could name no file (empty, or with a
 * NUL); AWN_ERR_ARG when ID is out of range.
 */
awn_status awn_db_source(const awn_db *db, uint32_t id, awn_source *out,
                         awn_error *err);

/*
 * Whether FILE, section ID's file (awn_source_path), was modified after
 * the blob that holds ID was written, so that the lines the blob records
 * of it may be wrong: only for a blob given as one.  Notes compiled from
 * Markdown by this run, or kept compiled in the cache, are never older
 * than their files.  0 as well when either cannot be looked at.
 */
int awn_db_source_newer(const awn_db *db, uint32_t id, const char *file);

/*
 * SRC's file as one path, DIR "/" NAME SUFFIX, into BUF, NUL-terminated,
 * cut to SIZE bytes; returns the whole length (like snprintf).  Bytes
 * are as stored: pass the path to awn_display_text before showing it.
 */
size_t awn_source_path(const awn_source *src, char *buf, size_t size);

/*
 * The line in its file of each stored line of a section (grep -n for
 * the notes): a Markdown document read again as a build reads it.  The
 * caller reads the file (awn_source_path) and owns its bytes.
 */
typedef struct awn_linemap awn_linemap;

/*
 * Read MD/LEN, a whole Markdown document, into *OUT (release it with
 * awn_linemap_free): each section's heading line and stored text, and
 * the line of each line of that text.  Memory about twice LEN.
 * AWN_ERR_INPUT (too large), AWN_ERR_LIMIT or AWN_ERR_NOMEM, said in
 * ERR.
 */
awn_status awn_linemap_new(awn_linemap **out, const char *md, size_t len,
                           awn_error *err);
void awn_linemap_free(awn_linemap *m);

/*
 * The file's line of each stored line of the document's section NTH
 * (from 0: section ID minus awn_db_doc_first) whose stored text is
 * TEXT/LEN and heading line LINE (awn_source.line): *LINES, *N of them
 * (one a line of TEXT, the heading's first), valid as long as M.
 * AWN_ERR_INPUT when M's section NTH is not that, byte for byte: the
 * file was edited since the notes were compiled.
 */
awn_status awn_linemap_section(const awn_linemap *m, uint32_t nth,
                               const char *text, size_t len, uint32_t line,
                               const uint32_t **lines, size_t *n);

/* ---- Keyword search ---------------------------------------------------- */

typedef struct awn_hit {
	uint32_t section;
	double score;
	int titled; /* AWN_SEARCH_TITLED: a query word is in its own heading */
} awn_hit;

typedef struct awn_hits {
	awn_hit *hit; /* best first, ties broken by section order */
	size_t n;
	unsigned all_terms;  /* 1 if the hits match every query term */
	char corrected[256]; /* NUL-terminated "did you mean" query or "" */
} awn_hits;

/*
 * Rank sections for QUERY (NUL-terminated words, see awsnote(1) for the
 * syntax).  At most MAX hits are returned in *OUT, which the caller
 * releases with awn_hits_free.
 */
awn_status awn_search(awn_db *db, const char *query, size_t max, awn_hits **out,
                      awn_error *err);

/* awn_search with FLAGS: AWN_SEARCH_TITLED sets each hit's titled (else
 * 0), which costs a lookup up to a posting list search a hit and term;
 * AWN_SEARCH_ANY_ORDER leaves the hits in no particular order (copies
 * not grouped either) when all of them fit in MAX, for a caller that
 * wants the set (a regex search in the sections words find). */
#define AWN_SEARCH_TITLED    1u
#define AWN_SEARCH_ANY_ORDER 2u
awn_status awn_search_flags(awn_db *db, const char *query, size_t max,
                            unsigned flags, awn_hits **out, awn_error *err);
void awn_hits_free(awn_hits *hits);

/*
 * The document that a word of QUERY (NUL-terminated) names as shown, the
 * one awn_search keeps that query to ("p1/README setup"), or AWN_NONE.
 */
uint32_t awn_search_named_doc(awn_db *db, const char *query);

/*
 * The summaries (awn_db_summary) of HITS' sections, hit I's in BUF + I *
 * SIZE.  They are read in notes order, so hits that share a text block
 * inflate it once, not once each.
 */
awn_status awn_hits_summaries(awn_db *db, const awn_hits *hits, char *buf,
                              size_t size, awn_error *err);

/* ---- Rendering --------------------------------------------------------- */

enum {
	AWN_RENDER_STYLE = 1 << 0, /* emit SGR escapes for styles */
	AWN_RENDER_WRAP = 1 << 1,  /* wrap paragraphs to width */
};

typedef struct awn_render_opts {
	unsigned flags;
	unsigned width; /* columns when AWN_RENDER_WRAP is set */
} awn_render_opts;

/* Output sink: write LEN bytes of DATA; return 0, or -1 to stop. */
typedef int (*awn_write_fn)(void *ctx, const char *data, size_t len);

/*
 * Render the body of section ID (its own heading line excluded) through
 * WRITE.  Internal links are shown as the path of their target in DB.
 */
awn_status awn_render_section(awn_db *db, uint32_t id,
                              const awn_render_opts *opts, awn_write_fn write,
                              void *ctx, awn_error *err);

/*
 * Render the heading of section ID (its title with inline styles) through
 * WRITE, preceded by LABEL (NUL-terminated, may be "", e.g. "2.3").
 */
awn_status awn_render_heading(awn_db *db, uint32_t id, const char *label,
                              const awn_render_opts *opts, awn_write_fn write,
                              void *ctx, awn_error *err);

/*
 * Render one line of plain text through WRITE: LEAD (NUL-terminated
 * printable ASCII, or NULL) as it is, then TEXT/LEN (no markup, no
 * newline: a section's path; controls are shown as U+FFFD), in bold
 * when BOLD and OPTS style.  With AWN_RENDER_WRAP the text is wrapped at
 * the width between words, the lines after the first indented MORE
 * columns; not before a path's " >" unless the title before it fills a
 * line by itself (with MORE > 0: else the title is broken instead).
 * Ends with a newline.
 */
awn_status awn_render_line(const char *lead, const char *text, size_t len,
                           unsigned more, int bold, const awn_render_opts *opts,
                           awn_write_fn write, void *ctx);

/*
 * Render a listing entry as awsnote -k shows one: as awn_render_line
 * with PATH/PATH_LEN in bold, then, when SUMMARY_LEN > 0, " - " and
 * SUMMARY/SUMMARY_LEN (plain text too), wrapped alike; the dash stays
 * at the end of the path's last line as a " >" does.
 */
awn_status awn_render_entry(const char *lead, const char *path, size_t path_len,
                            const char *summary, size_t summary_len,
                            unsigned more, const awn_render_opts *opts,
                            awn_write_fn write, void *ctx);

/* ---- Browsing: links and index terms ----------------------------------- */

typedef struct awn_link {
	const char *text; /* what the link says, inline styles dropped and
	                     white space collapsed; NUL-terminated, may be "";
	                     as stored, so pass it through awn_display_text */
	size_t text_len;
	const char *dest; /* its destination as written: "#anchor" for a
	                     heading of the notes, "file.md[#anchor]" for
	                     another of their files, else a URL;
	                     NUL-terminated */
	size_t dest_len;
	uint32_t target; /* the section a link into the notes leads to
	                    (db.h, db_link_target); AWN_NONE for a URL, an
	                    anchor no heading has or a file not in the notes */
} awn_link;

/*
 * Whether link text TEXT/TEXT_LEN is its address DEST/DEST_LEN, as an
 * autolink's is (or the address without the "http://" or "mailto:" GFM
 * puts before www.x.org and a@b.c): such a link is shown by its address
 * alone, not as text and address.
 */
int awn_link_is_autolink(const char *text, size_t text_len, const char *dest,
                         size_t dest_len);

typedef struct awn_links {
	awn_link *link; /* in the order they appear */
	size_t n;
} awn_links;

/*
 * The links in section ID's own text (its subsections have their own).
 * *OUT and every string in it belong to the caller, who releases them
 * with awn_links_free; they do not depend on DB staying open.
 */
awn_status awn_db_links(awn_db *db, uint32_t id, awn_links **out,
                        awn_error *err);
void awn_links_free(awn_links *links);

/*
 * Index term callback: TERM/LEN is NUL-terminated and valid during the
 * call only; DF is how many sections contain it.  Return 0 to go on,
 * anything else to stop.
 */
typedef int (*awn_term_fn)(void *ctx, const char *term, size_t len,
                           uint32_t df);

/*
 * Call FN for each index term that begins with PREFIX/LEN (LEN 0: every
 * term), once each, in byte order.  PREFIX is case-folded as the index
 * is.  Terms are folded and lightly stemmed ("queues" and "queue" are
 * both "queu"), so they suit completion as a fallback rather than as
 * text to show.  AWN_ERR_FORMAT if a dictionary is corrupt.
 */
awn_status awn_db_terms(awn_db *db, const char *prefix, size_t len,
                        awn_term_fn fn, void *ctx, awn_error *err);

/* ---- Regex search ------------------------------------------------------ */

/*
 * grep for the notes: PCRE2 patterns matched against the plain text of
 * every line of a section (the text awsnote prints into a pipe: markup
 * removed, see richtext.h), one line at a time.
 */
typedef struct awn_grep awn_grep;

enum {
	AWN_GREP_IGNORE_CASE = 1 << 0, /* Unicode case-insensitive */
	AWN_GREP_WORD = 1 << 1,  /* no letter, digit or _ just before/after */
	AWN_GREP_FIXED = 1 << 2, /* patterns are plain strings, not regexes */
	AWN_GREP_ALL_LINES = 1 << 3, /* also report non-matching lines */
	/* whether a line matches is all the caller needs: NMATCH is at
	 * most 1, PCRE2 runs once a line instead of once a match */
	AWN_GREP_FIRST_ONLY = 1 << 4,
};

/*
 * Compile the N patterns in PATTERNS (NUL-terminated UTF-8, copied; the
 * caller keeps ownership) into *OUT; a line matches when any of them
 * does.  FLAGS is a set of AWN_GREP_*.  A bad pattern gives
 * AWN_ERR_QUERY with "bad pattern 'P': MESSAGE at offset N" in ERR
 * (offset in bytes into P).  Release *OUT with awn_grep_free.
 */
awn_status awn_grep_new(awn_grep **out, const char *const *patterns, size_t n,
                        unsigned flags, awn_error *err);
void awn_grep_free(awn_grep *g);

/* One match: byte offsets [start, end) into the line's text. */
typedef struct awn_grep_match {
	size_t start;
	size_t end;
} awn_grep_match;

/* A line handed to an awn_grep_fn; everything in it is valid during the
 * call only. */
typedef struct awn_grep_line {
	uint32_t section; /* the ID searched */
	uint32_t number;  /* 1-based line in the section: 1 is its heading
	                   * (a document preamble has none) */
	int matched;      /* 0 only for AWN_GREP_ALL_LINES' other lines */
	const char *text; /* plain text, no newline, not NUL-terminated */
	size_t len;
	/* The matches, left to right, not overlapping, none empty (a
	 * pattern that matches only the empty string leaves NMATCH 0 on a
	 * matching line).  With several patterns, at each point the match
	 * that starts first wins, the longest of those that start there. */
	const awn_grep_match *match;
	size_t nmatch;
	/* The section's whole stored text (rich text, richtext.h), whose
	 * NUMBER-th line this is. */
	const char *stored;
	size_t stored_len;
} awn_grep_line;

/* Line callback: return 0 to go on, anything else to stop the section. */
typedef int (*awn_grep_fn)(void *ctx, const awn_grep_line *line);

/*
 * Search section ID of DB (its own text, not its subsections') and call
 * FN for each matching line in order (every line with
 * AWN_GREP_ALL_LINES).  A pattern that runs into PCRE2's match, depth or
 * JIT stack limits on some line gives AWN_ERR_LIMIT, naming the pattern,
 * the section and the line, rather than running for ever.  Stopping
 * from FN is no error.  G keeps per-search buffers, so one G serves one
 * search at a time.
 */
awn_status awn_grep_section(awn_grep *g, awn_db *db, uint32_t id,
                            awn_grep_fn fn, void *ctx, awn_error *err);

/*
 * Render what awsnote -e shows on a terminal, in grep's and ripgrep's
 * colours when OPTS style, wrapped as awn_render_line wraps (words
 * whole) with AWN_RENDER_WRAP; each ends with a newline and, whatever
 * is passed, writes no control byte but it and SGR codes.
 *
 * awn_render_grep_path: a section's path as awn_render_line shows it,
 * in bold magenta, then TAIL (NUL-terminated, may be NULL: -c's ":N")
 * glued to its last title.
 *
 * awn_render_grep_line: NUMBER in green and MARK (':' a match, '-'
 * context), then TEXT/LEN (a line as awn_grep_line hands it) with its
 * N matches M in bold red; its blanks are kept (tabs as spaces to the
 * next stop), not collapsed as a paragraph's are.  Later lines start
 * under the text past its own leading blanks, or under the text if
 * that would leave less than half the width.
 */
awn_status awn_render_grep_path(const char *path, size_t path_len,
                                const char *tail, unsigned more,
                                const awn_render_opts *opts, awn_write_fn write,
                                void *ctx);
awn_status awn_render_grep_line(uint32_t number, char mark, const char *text,
                                size_t len, const awn_grep_match *m, size_t n,
                                const awn_render_opts *opts, awn_write_fn write,
                                void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* AWSNOTE_H */
