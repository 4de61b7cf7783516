/*
 * builder.c - awn_builder: Markdown documents in, blob out.
 *
 * Sections stream in from the Markdown reader; their text is packed into
 * blocks that are compressed as soon as they fill, and their terms go
 * into an in-memory inverted index (term hash -> varint posting list).
 * Only the index and the compressed text stay in memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "alloc.h"
#include "blob-format.h"
#include "blob-write.h"
#include "buf.h"
#include "dict.h"
#include "error.h"
#include "fuzzy.h"
#include "markdown.h"
#include "prefilter.h"
#include "richtext.h"
#include "token.h"

#define MAX_INPUT_FILES 1000000
#define MAX_DEPTH       7 /* heading levels 0-6 */

struct bsection {
	uint32_t parent, end, doc, level;
	uint32_t title_off, title_len, anchor_off, anchor_len;
	uint32_t block, text_off, text_len, tokens;
};

struct bterm {
	uint32_t str_off, len; /* in b->termchars */
	uint32_t df;
	uint32_t last_section; /* section whose hits are being counted */
	uint32_t tf, flags;    /* counts for last_section */
	uint32_t prev_section; /* last section written to the postings */
	struct buf post;
};

struct awn_builder {
	struct buf strings; /* STRINGS table */
	struct buf docs;    /* DOCS table */
	struct bsection *sec;
	size_t nsec, capsec;

	struct buf block;   /* raw text of the block being filled */
	struct buf text;    /* TEXT table: compressed blocks */
	struct buf blocks;  /* BLOCKS table */
	struct buf filters; /* BLOCK_GRAMS table */
	uint32_t nblocks;
	uint32_t block_first; /* first section of the block being filled */

	struct bterm *term;
	size_t nterm, capterm;
	uint32_t *hash; /* open addressing: term index + 1, 0 = empty */
	size_t hashcap;
	struct buf termchars;
	uint32_t *touched; /* terms seen in the current section */
	size_t ntouched, captouched;

	struct buf scratch; /* plain text of a section, for tokenizing */
	uint64_t total_tokens;

	/* Per document: open ancestors by level, for parents and paths. */
	uint32_t doc, doc_first;
	uint32_t open[MAX_DEPTH];
	const char *name;
	awn_error *err;
};

awn_status
awn_builder_new(awn_builder **out, awn_error *err)
{
	awn_builder *b = alloc_calloc(1, sizeof(*b));

	*out = NULL;
	if (b == NULL)
		return error_set(err, AWN_ERR_NOMEM, "out of memory");
	buf_init(&b->strings, UINT32_MAX);
	buf_init(&b->docs, 0);
	buf_init(&b->block, BLOB_BLOCK_MAX);
	buf_init(&b->text, 0);
	buf_init(&b->blocks, 0);
	buf_init(&b->filters, 0);
	buf_init(&b->termchars, UINT32_MAX);
	buf_init(&b->scratch, 0);
	*out = b;
	return AWN_OK;
}

void
awn_builder_free(awn_builder *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nterm; i++)
		buf_free(&b->term[i].post);
	alloc_free(b->term);
	alloc_free(b->hash);
	alloc_free(b->touched);
	alloc_free(b->sec);
	buf_free(&b->strings);
	buf_free(&b->docs);
	buf_free(&b->block);
	buf_free(&b->text);
	buf_free(&b->blocks);
	buf_free(&b->filters);
	buf_free(&b->termchars);
	buf_free(&b->scratch);
	alloc_free(b);
}

static awn_status
add_string(awn_builder *b, const char *s, size_t n, uint32_t *off)
{
	*off = (uint32_t)b->strings.len;
	return buf_add(&b->strings, s, n);
}

/* ---- the term dictionary ---------------------------------------------- */

static uint32_t
hash_term(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static awn_status
grow_hash(awn_builder *b)
{
	size_t cap = b->hashcap ? b->hashcap * 2 : 1024, i, j;
	uint32_t *h = alloc_calloc(cap, sizeof(*h));

	if (h == NULL)
		return AWN_ERR_NOMEM;
	for (i = 0; i < b->nterm; i++) {
		struct bterm *t = &b->term[i];
		j = hash_term(b->termchars.data + t->str_off, t->len) &
		    (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = (uint32_t)i + 1;
	}
	alloc_free(b->hash);
	b->hash = h;
	b->hashcap = cap;
	return AWN_OK;
}

/* Index of term S/N, created if new; UINT32_MAX on allocation failure. */
static uint32_t
term_id(awn_builder *b, const char *s, size_t n)
{
	struct bterm *t;
	size_t j;

	if (b->nterm * 2 >= b->hashcap && grow_hash(b) != AWN_OK)
		return UINT32_MAX;
	j = hash_term(s, n) & (b->hashcap - 1);
	while (b->hash[j]) {
		t = &b->term[b->hash[j] - 1];
		if (t->len == n &&
		    memcmp(b->termchars.data + t->str_off, s, n) == 0)
			return b->hash[j] - 1;
		j = (j + 1) & (b->hashcap - 1);
	}
	if (b->nterm == b->capterm) {
		size_t cap = b->capterm ? b->capterm * 2 : 1024;
		void *p = alloc_reallocarray(b->term, cap, sizeof(*b->term));
		if (p == NULL)
			return UINT32_MAX;
		b->term = p;
		b->capterm = cap;
	}
	t = &b->term[b->nterm];
	memset(t, 0, sizeof(*t));
	t->str_off = (uint32_t)b->termchars.len;
	t->len = (uint32_t)n;
	t->last_section = t->prev_section = UINT32_MAX;
	buf_init(&t->post, 0);
	if (buf_add(&b->termchars, s, n) != AWN_OK)
		return UINT32_MAX;
	b->hash[j] = (uint32_t)b->nterm + 1;
	return (uint32_t)b->nterm++;
}

struct hit_ctx {
	awn_builder *b;
	uint32_t section;
	uint32_t flags; /* 0 for body text, else POST_IN_* */
	uint32_t words; /* whole words counted (section length) */
};

static awn_status
count_term(void *vctx, const struct token *tok)
{
	struct hit_ctx *c = vctx;
	awn_builder *b = c->b;
	uint32_t id = term_id(b, tok->term, tok->len);
	struct bterm *t;

	if (id == UINT32_MAX)
		return AWN_ERR_NOMEM;
	t = &b->term[id];
	if (t->last_section != c->section) {
		if (b->ntouched == b->captouched) {
			size_t cap = b->captouched ? b->captouched * 2 : 256;
			void *p = alloc_reallocarray(b->touched, cap,
			                             sizeof(*b->touched));
			if (p == NULL)
				return AWN_ERR_NOMEM;
			b->touched = p;
			b->captouched = cap;
		}
		b->touched[b->ntouched++] = id;
		t->last_section = c->section;
		t->tf = t->flags = 0;
	}
	if (c->flags)
		t->flags |= c->flags;
	else if (t->tf < UINT32_MAX >> POST_FLAG_BITS)
		t->tf++;
	if (tok->kind == TOKEN_WORD && !c->flags)
		c->words++;
	return AWN_OK;
}

/* Append one posting for every term the current section touched. */
static awn_status
flush_postings(awn_builder *b, uint32_t section)
{
	awn_status st;
	size_t i;

	for (i = 0; i < b->ntouched; i++) {
		struct bterm *t = &b->term[b->touched[i]];
		uint32_t delta = t->prev_section == UINT32_MAX
		                     ? section
		                     : section - t->prev_section;
		if ((st = blob_put_varint(&t->post, delta)) != AWN_OK ||
		    (st = blob_put_varint(&t->post,
		                          ((uint64_t)t->tf << POST_FLAG_BITS) |
		                              t->flags)) != AWN_OK)
			return st;
		t->prev_section = section;
		t->df++;
	}
	b->ntouched = 0;
	return AWN_OK;
}

/* ---- blocks ----------------------------------------------------------- */

/* The block's trigram filter, from the plain text regexes will see. */
static awn_status
add_filter(awn_builder *b)
{
	const char *p = b->block.data, *end = p + b->block.len, *nl;
	awn_status st;
	size_t at = b->filters.len;

	if ((st = buf_reserve(&b->filters, PREFILTER_BYTES)))
		return st;
	memset(b->filters.data + at, 0, PREFILTER_BYTES);
	b->filters.len += PREFILTER_BYTES;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		buf_reset(&b->scratch);
		if ((st =
		         richtext_plain_line(p, (size_t)(nl - p), &b->scratch)))
			return st;
		prefilter_add((unsigned char *)b->filters.data + at,
		              b->scratch.data, b->scratch.len);
	}
	return AWN_OK;
}

static awn_status
flush_block(awn_builder *b)
{
	size_t before = b->text.len;
	awn_status st;
	uLong crc;

	if (b->block.len == 0)
		return AWN_OK;
	if ((st = add_filter(b)) ||
	    (st = blob_deflate(b->block.data, b->block.len, &b->text)))
		return st;
	/* Over the compressed bytes: a reader checks them before inflating
	 * and may then inflate only the part it needs. */
	crc = crc32(0, (const Bytef *)b->text.data + before,
	            (uInt)(b->text.len - before));
	if ((st = blob_put_u64(&b->blocks, before)) ||
	    (st = blob_put_u32(&b->blocks, (uint32_t)(b->text.len - before))) ||
	    (st = blob_put_u32(&b->blocks, (uint32_t)b->block.len)) ||
	    (st = blob_put_u32(&b->blocks, (uint32_t)crc)) ||
	    (st = blob_put_u32(&b->blocks, b->block_first)))
		return st;
	b->nblocks++;
	buf_reset(&b->block);
	b->block_first = (uint32_t)b->nsec;
	return AWN_OK;
}

/* ---- sections ----------------------------------------------------------- */

static awn_status
add_section(void *vctx, const struct md_section *ms)
{
	awn_builder *b = vctx;
	struct hit_ctx hc = {b, (uint32_t)b->nsec, 0, 0};
	struct bsection *s;
	const char *title = ms->title;
	size_t title_len = ms->title_len, body;
	unsigned lv;
	awn_status st;

	if (b->nsec >= UINT32_MAX - 1)
		return error_set(b->err, AWN_ERR_LIMIT, "%s: too many sections",
		                 b->name);
	if (b->nsec == b->capsec) {
		size_t cap = b->capsec ? b->capsec * 2 : 256;
		void *p = alloc_reallocarray(b->sec, cap, sizeof(*b->sec));
		if (p == NULL)
			return AWN_ERR_NOMEM;
		b->sec = p;
		b->capsec = cap;
	}
	s = &b->sec[b->nsec];
	memset(s, 0, sizeof(*s));
	s->level = ms->level > 6 ? 6 : ms->level;
	s->doc = b->doc;
	s->end = (uint32_t)b->nsec + 1;
	if (s->level == 0) { /* a preamble is titled by its document */
		title = b->name;
		title_len = strlen(b->name);
	}
	/* Parent: nearest open section of a smaller level. */
	s->parent = AWN_NONE;
	for (lv = s->level; lv-- > 1;)
		if (b->open[lv] != AWN_NONE) {
			s->parent = b->open[lv];
			break;
		}
	if (s->level > 0) {
		b->open[s->level] = (uint32_t)b->nsec;
		for (lv = s->level + 1; lv < MAX_DEPTH; lv++)
			b->open[lv] = AWN_NONE;
	}
	if ((st = add_string(b, title, title_len, &s->title_off)) ||
	    (st = add_string(b, ms->anchor, ms->anchor_len, &s->anchor_off)))
		return st;
	s->title_len = (uint32_t)title_len;
	s->anchor_len = (uint32_t)ms->anchor_len;

	/* Text goes into the current block, whole. */
	if (ms->text_len > BLOB_BLOCK_MAX)
		return error_set(
		    b->err, AWN_ERR_LIMIT,
		    "%s: section \"%.60s\" is larger than %u bytes", b->name,
		    title, BLOB_BLOCK_MAX);
	if (b->block.len > 0 &&
	    b->block.len + ms->text_len > BLOB_BLOCK_TARGET &&
	    (st = flush_block(b)))
		return st;
	s->block = b->nblocks;
	s->text_off = (uint32_t)b->block.len;
	s->text_len = (uint32_t)ms->text_len;
	if ((st = buf_add(&b->block, ms->text, ms->text_len)))
		return st;

	/* Terms: body (after the heading line), own title, ancestors. */
	body = 0;
	if (s->level > 0) {
		const char *nl = memchr(ms->text, '\n', ms->text_len);
		body = nl ? (size_t)(nl - ms->text) + 1 : ms->text_len;
	}
	if ((st = richtext_words(ms->text + body, ms->text_len - body,
	                         &b->scratch)) ||
	    (st = token_scan(b->scratch.data, b->scratch.len, count_term, &hc)))
		return st;
	s->tokens = hc.words;
	b->total_tokens += hc.words;
	hc.flags = POST_IN_TITLE;
	if ((st = token_scan(title, title_len, count_term, &hc)))
		return st;
	/* Ancestors' titles are not posted: the ranker finds them through
	 * the ancestors' own title postings, which keeps the index small. */
	b->nsec++;
	return flush_postings(b, hc.section);
}

/* Each section's subtree ends where a section of its level or above starts. */
static void
close_document(awn_builder *b)
{
	uint32_t stack[MAX_DEPTH + 1], n = 0, i;

	for (i = b->doc_first; i < b->nsec; i++) {
		struct bsection *s = &b->sec[i];
		while (n > 0 && b->sec[stack[n - 1]].level >= s->level &&
		       s->level > 0)
			b->sec[stack[--n]].end = i;
		if (s->level == 0) {
			s->end = i + 1;
			continue;
		}
		stack[n++] = i;
	}
	while (n > 0)
		b->sec[stack[--n]].end = (uint32_t)b->nsec;
}

awn_status
awn_builder_add_markdown(awn_builder *b, const char *name, const char *data,
                         size_t len, awn_error *err)
{
	awn_status st;
	uint32_t name_off;
	size_t i;

	if (b == NULL || name == NULL || (data == NULL && len > 0))
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	b->doc_first = (uint32_t)b->nsec;
	b->name = name;
	b->err = err;
	if (err)
		err->detail[0] = '\0';
	for (i = 0; i < MAX_DEPTH; i++)
		b->open[i] = AWN_NONE;
	st = markdown_read(data ? data : "", len, add_section, b, err);
	b->err = NULL;
	if (st == AWN_OK) {
		close_document(b);
		if ((st = add_string(b, name, strlen(name), &name_off)) ||
		    (st = blob_put_u32(&b->docs, name_off)) ||
		    (st = blob_put_u32(&b->docs, (uint32_t)strlen(name))) ||
		    (st = blob_put_u32(&b->docs, b->doc_first)) ||
		    (st = blob_put_u32(&b->docs,
		                       (uint32_t)b->nsec - b->doc_first))) {
		}
	}
	if (st == AWN_OK) {
		b->doc++;
		return AWN_OK;
	}
	if (err == NULL || err->detail[0] == '\0' || err->status != st)
		error_set(err, st, "%s: %s", name, awn_strerror(st));
	return st;
}

/* ---- reading files ------------------------------------------------------ */

static awn_status
read_file(const char *path, struct buf *out, awn_error *err)
{
	char chunk[65536];
	ssize_t n;
	int fd;
	awn_status st = AWN_OK;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	buf_init(out, MARKDOWN_MAX_SIZE);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = error_errno(err, AWN_ERR_IO, errno, "%s", path);
			break;
		}
		if (n == 0)
			break;
		if ((st = buf_add(out, chunk, (size_t)n)) != AWN_OK) {
			if (st == AWN_ERR_LIMIT)
				error_set(err, AWN_ERR_INPUT,
				          "%s: larger than %zu MiB", path,
				          MARKDOWN_MAX_SIZE >> 20),
				    st = AWN_ERR_INPUT;
			else
				error_set(err, st, "%s: %s", path,
				          awn_strerror(st));
			break;
		}
	}
	close(fd);
	if (st)
		buf_free(out);
	return st;
}

/* A NUL in the first 8 KiB is the classic sign of a non-text file. */
static int
looks_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < 8192 ? len : 8192) != NULL;
}

static awn_status
add_file(awn_builder *b, const char *path, const char *name, awn_error *err)
{
	struct buf data, nm;
	awn_status st;
	size_t n = strlen(name);

	if ((st = read_file(path, &data, err)))
		return st;
	if (looks_binary(data.data ? data.data : "", data.len)) {
		buf_free(&data);
		return error_set(err, AWN_ERR_INPUT,
		                 "%s: binary file, not Markdown", path);
	}
	buf_init(&nm, 0);
	if (n > 3 && strcmp(name + n - 3, ".md") == 0)
		n -= 3;
	else if (n > 9 && strcmp(name + n - 9, ".markdown") == 0)
		n -= 9;
	st = buf_add(&nm, name, n);
	if (!st)
		st = awn_builder_add_markdown(b, buf_cstr(&nm), data.data,
		                              data.len, err);
	else
		error_set(err, st, "%s: %s", path, awn_strerror(st));
	if (st && err && strstr(err->detail, path) == NULL && err->detail[0] &&
	    strncmp(err->detail, nm.data, nm.len) != 0) {
		char tmp[sizeof(err->detail)];
		memcpy(tmp, err->detail, sizeof(tmp));
		error_set(err, st, "%s: %s", path, tmp);
	}
	buf_free(&nm);
	buf_free(&data);
	return st;
}

static int
is_markdown_name(const char *s)
{
	size_t n = strlen(s);

	return (n > 3 && strcmp(s + n - 3, ".md") == 0) ||
	       (n > 9 && strcmp(s + n - 9, ".markdown") == 0);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add every Markdown file below DIR; REL is DIR relative to the root. */
static awn_status
add_dir(awn_builder *b, const char *dir, const char *rel, int depth,
        awn_error *err)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	awn_status st = AWN_OK;
	DIR *d;

	if (depth > 64)
		return error_set(err, AWN_ERR_LIMIT,
		                 "%s: directories nested too deeply", dir);
	if ((d = opendir(dir)) == NULL)
		return error_errno(err, AWN_ERR_IO, errno, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* hidden files, ".", ".." */
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			void *p = alloc_reallocarray(names, nc, sizeof(*names));
			if (p == NULL) {
				st = AWN_ERR_NOMEM;
				break;
			}
			names = p;
			cap = nc;
		}
		if ((names[n] = alloc_strndup(de->d_name,
		                              strlen(de->d_name))) == NULL) {
			st = AWN_ERR_NOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && st == AWN_OK; i++) {
		struct buf path, r;
		struct stat sb;

		buf_init(&path, 0);
		buf_init(&r, 0);
		if (buf_printf(&path, "%s/%s", dir, names[i]) ||
		    buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i])) {
			st = AWN_ERR_NOMEM;
		} else if (lstat(buf_cstr(&path), &sb) < 0) {
			/* Vanished since readdir: not worth failing a build.
			 * Links inside the tree are not followed (like grep
			 * -r): they would repeat files or loop. */
		} else if (S_ISDIR(sb.st_mode)) {
			st =
			    add_dir(b, path.data, buf_cstr(&r), depth + 1, err);
		} else if (S_ISREG(sb.st_mode) && is_markdown_name(names[i])) {
			st = add_file(b, path.data, buf_cstr(&r), err);
		}
		buf_free(&path);
		buf_free(&r);
	}
	for (i = 0; i < n; i++)
		alloc_free(names[i]);
	alloc_free(names);
	if (st == AWN_ERR_NOMEM && (err == NULL || err->status != st))
		error_set(err, st, "%s: out of memory", dir);
	return st;
}

awn_status
awn_builder_add_path(awn_builder *b, const char *path, awn_error *err)
{
	struct stat sb;
	const char *base;
	uint32_t before;
	awn_status st;

	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	if (stat(path, &sb) < 0)
		return error_errno(err, AWN_ERR_IO, errno, "%s", path);
	if (S_ISDIR(sb.st_mode)) {
		before = b->doc;
		if ((st = add_dir(b, path, "", 0, err)) == AWN_OK &&
		    b->doc == before)
			st = error_set(err, AWN_ERR_INPUT,
			               "%s: no Markdown files (*.md, "
			               "*.markdown) in this directory",
			               path);
		return st;
	}
	base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	return add_file(b, path, base, err);
}

/* ---- writing ------------------------------------------------------------ */

static const awn_builder *sort_builder; /* qsort has no context argument */

static int
cmp_terms(const void *pa, const void *pb)
{
	const struct bterm *a = &sort_builder->term[*(const uint32_t *)pa];
	const struct bterm *c = &sort_builder->term[*(const uint32_t *)pb];
	const char *s = sort_builder->termchars.data;
	size_t n = a->len < c->len ? a->len : c->len;
	int r = memcmp(s + a->str_off, s + c->str_off, n);

	return r ? r : (a->len > c->len) - (a->len < c->len);
}

static int
cmp_anchors(const void *pa, const void *pb)
{
	const struct bsection *a = &sort_builder->sec[*(const uint32_t *)pa];
	const struct bsection *c = &sort_builder->sec[*(const uint32_t *)pb];
	const char *s = sort_builder->strings.data;
	size_t n =
	    a->anchor_len < c->anchor_len ? a->anchor_len : c->anchor_len;
	int r = memcmp(s + a->anchor_off, s + c->anchor_off, n);

	if (r == 0)
		r = (a->anchor_len > c->anchor_len) -
		    (a->anchor_len < c->anchor_len);
	if (r == 0)
		r = (*(const uint32_t *)pa > *(const uint32_t *)pb) -
		    (*(const uint32_t *)pa < *(const uint32_t *)pb);
	return r;
}

struct tables {
	struct buf sections, terms, term_blocks, postings, anchors, grams;
	uint32_t *order;
};

static void
tables_free(struct tables *t)
{
	buf_free(&t->sections);
	buf_free(&t->terms);
	buf_free(&t->term_blocks);
	buf_free(&t->postings);
	buf_free(&t->anchors);
	buf_free(&t->grams);
	alloc_free(t->order);
}

static const char *
sorted_term(void *ctx, uint32_t i, size_t *len)
{
	const struct tables *t = ctx;
	const struct bterm *tm = &sort_builder->term[t->order[i]];

	*len = tm->len;
	return sort_builder->termchars.data + tm->str_off;
}

static awn_status
build_tables(awn_builder *b, struct tables *t)
{
	struct dict_writer dw;
	awn_status st = AWN_OK;
	size_t i, n;

	buf_init(&t->sections, 0);
	buf_init(&t->terms, 0);
	buf_init(&t->term_blocks, 0);
	buf_init(&t->postings, 0);
	buf_init(&t->anchors, 0);
	buf_init(&t->grams, 0);
	if ((st = flush_block(b)))
		return st;
	for (i = 0; i < b->nsec && !st; i++) {
		const struct bsection *s = &b->sec[i];
		uint32_t f[12] = {s->parent,     s->end,        s->doc,
		                  s->level,      s->title_off,  s->title_len,
		                  s->anchor_off, s->anchor_len, s->block,
		                  s->text_off,   s->text_len,   s->tokens};
		size_t k;
		for (k = 0; k < 12 && !st; k++)
			st = blob_put_u32(&t->sections, f[k]);
	}
	n = b->nterm > b->nsec ? b->nterm : b->nsec;
	if (st || (t->order = alloc_reallocarray(NULL, n ? n : 1,
	                                         sizeof(uint32_t))) == NULL)
		return st ? st : AWN_ERR_NOMEM;

	/* Terms, sorted, front-coded; posting lists in the same order. */
	for (i = 0; i < b->nterm; i++)
		t->order[i] = (uint32_t)i;
	sort_builder = b;
	qsort(t->order, b->nterm, sizeof(uint32_t), cmp_terms);
	dict_writer_init(&dw, &t->terms, &t->term_blocks);
	for (i = 0; i < b->nterm && !st; i++) {
		const struct bterm *tm = &b->term[t->order[i]];
		if (tm->post.len > UINT32_MAX)
			st = AWN_ERR_LIMIT;
		else if (!(st = buf_add(&t->postings, tm->post.data,
		                        tm->post.len)))
			st = dict_writer_add(
			    &dw, b->termchars.data + tm->str_off, tm->len,
			    tm->df, (uint32_t)tm->post.len);
	}

	if (!st)
		st = fuzzy_write_grams((uint32_t)b->nterm, sorted_term, t,
		                       &t->grams);

	/* Anchors, sorted for binary search. */
	for (i = n = 0; i < b->nsec && !st; i++)
		if (b->sec[i].anchor_len > 0)
			t->order[n++] = (uint32_t)i;
	qsort(t->order, n, sizeof(uint32_t), cmp_anchors);
	for (i = 0; i < n && !st; i++) {
		const struct bsection *s = &b->sec[t->order[i]];
		if ((st = blob_put_u32(&t->anchors, s->anchor_off)) ||
		    (st = blob_put_u32(&t->anchors, s->anchor_len)) ||
		    (st = blob_put_u32(&t->anchors, t->order[i])))
			break;
	}
	sort_builder = NULL;
	return st;
}

static awn_status
write_blob(awn_builder *b, const char *path, void **data, size_t *len,
           awn_error *err)
{
	struct tables t;
	struct blob_counts c;
	awn_status st;

	memset(&t, 0, sizeof(t));
	if ((st = build_tables(b, &t)) != AWN_OK) {
		tables_free(&t);
		return error_set(err, st, "%s: %s", path ? path : "blob",
		                 awn_strerror(st));
	}
	{
		struct blob_table tab[] = {
		    {BT_STRINGS, b->strings.data, b->strings.len},
		    {BT_DOCS, b->docs.data, b->docs.len},
		    {BT_SECTIONS, t.sections.data, t.sections.len},
		    {BT_TERMS, t.terms.data, t.terms.len},
		    {BT_POSTINGS, t.postings.data, t.postings.len},
		    {BT_BLOCKS, b->blocks.data, b->blocks.len},
		    {BT_ANCHORS, t.anchors.data, t.anchors.len},
		    {BT_TERM_BLOCKS, t.term_blocks.data, t.term_blocks.len},
		    {BT_TERM_GRAMS, t.grams.data, t.grams.len},
		    {BT_BLOCK_GRAMS, b->filters.data, b->filters.len},
		    {BT_TEXT, b->text.data,
		     b->text.len}, /* last, see awsnote(5) */
		};
		c.nsections = (uint32_t)b->nsec;
		c.ndocs = b->doc;
		c.nterms = (uint32_t)b->nterm;
		c.nblocks = b->nblocks;
		c.total_tokens = b->total_tokens;
		if (path)
			st = blob_write_file(path, &c, tab,
			                     sizeof(tab) / sizeof(tab[0]), err);
		else
			st = blob_write_memory(data, len, &c, tab,
			                       sizeof(tab) / sizeof(tab[0]),
			                       err);
	}
	tables_free(&t);
	return st;
}

awn_status
awn_builder_write_file(awn_builder *b, const char *path, awn_error *err)
{
	if (b == NULL || path == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return write_blob(b, path, NULL, NULL, err);
}

awn_status
awn_builder_write_memory(awn_builder *b, void **data, size_t *len,
                         awn_error *err)
{
	if (b == NULL || data == NULL || len == NULL)
		return error_set(err, AWN_ERR_ARG, "invalid argument");
	return write_blob(b, NULL, data, len, err);
}
