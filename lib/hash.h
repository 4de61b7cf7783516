/*
 * hash.h - FNV-1a over a byte string, for the lookup tables that key on
 * short strings (slugs, link targets, section titles).  Equal strings get
 * equal hashes; callers compare the bytes on a match.
 */
#ifndef AWSNOTE_HASH_H
#define AWSNOTE_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3u;
	return h;
}

#endif
