/* The bytes of records kept between runs (the caches, acache.h):
 * numbers of 32 or 64 bits, least significant byte first, written to a
 * buffer and read back from bytes that are not trusted, every read
 * bounded. */
#ifndef GLOSS_RECORD_H
#define GLOSS_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

static inline void record_put_u32(struct buf *b, uint32_t v)
{
	unsigned char bytes[4] = {(unsigned char)v, (unsigned char)(v >> 8),
				  (unsigned char)(v >> 16),
				  (unsigned char)(v >> 24)};
	buf_add(b, bytes, 4);
}

static inline void record_put_u64(struct buf *b, uint64_t v)
{
	record_put_u32(b, (uint32_t)v);
	record_put_u32(b, (uint32_t)(v >> 32));
}

/* A record being read: bytes P up to END; OK turns false at the first
 * read that would pass END, and stays so. */
struct record_reader {
	const unsigned char *p, *end;
	bool ok;
};

static inline uint32_t record_get_u32(struct record_reader *r)
{
	if (r->end - r->p < 4) {
		r->ok = false;
		return 0;
	}
	uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 |
		     (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static inline uint64_t record_get_u64(struct record_reader *r)
{
	uint64_t lo = record_get_u32(r);
	return lo | (uint64_t)record_get_u32(r) << 32;
}

#endif
