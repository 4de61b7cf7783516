/*
 * hash.h - FNV-1a over a byte string, for the lookup tables that key on
 * short strings (slugs, link targets, section titles), and for the
 * cache's stamps.  Equal strings get equal hashes; callers compare the
 * bytes on a match.
 */
#ifndef AWSNOTE_HASH_H
#define AWSNOTE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_BASIS 0xcbf29ce484222325u

/* H continued over N bytes at P: hash_more(hash_bytes(a), b) hashes a
 * then b, for keys that come in pieces (the notes cache's stamps). */
static inline uint64_t
hash_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n-- > 0)
		h = (h ^ *s++) * 0x100000001b3u;
	return h;
}

static inline uint64_t
hash_bytes(const char *s, size_t n)
{
	return hash_more(HASH_BASIS, s, n);
}

#endif
