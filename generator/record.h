/* The bytes of records kept between runs (the caches, acache.h):
 * numbers of 32 or 64 bits, least significant byte first, written to a
 * buffer and read back from bytes that are not trusted, every read
 * bounded. */
#ifndef GLOSS_RECORD_H
#define GLOSS_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"

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

/* The 32-bit number at P, least significant byte first: record_get_u32
 * without its bound, for bytes the caller has checked are there. */
static inline uint32_t le32_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint32_t record_get_u32(struct record_reader *r)
{
	if (r->end - r->p < 4) {
		r->ok = false;
		return 0;
	}
	uint32_t v = le32_at(r->p);
	r->p += 4;
	return v;
}

static inline uint64_t record_get_u64(struct record_reader *r)
{
	uint64_t lo = record_get_u32(r);
	return lo | (uint64_t)record_get_u32(r) << 32;
}

/* A file's stamp (fsutil.h): four numbers of 64 bits. */
static inline void record_put_stamp(struct buf *b, const struct file_stamp *s)
{
	record_put_u64(b, s->ino);
	record_put_u64(b, s->size);
	record_put_u64(b, s->mtime_ns);
	record_put_u64(b, s->ctime_ns);
}

/* Writes stamp S over the one at byte AT of B. */
static inline void record_set_stamp(struct buf *b, size_t at,
				    const struct file_stamp *s)
{
	struct buf put;
	buf_init(&put);
	record_put_stamp(&put, s);
	if (at + put.len <= b->len)
		memcpy(b->data + at, put.data, put.len);
	buf_release(&put);
}

static inline struct file_stamp record_get_stamp(struct record_reader *r)
{
	struct file_stamp s;
	s.ino = record_get_u64(r);
	s.size = record_get_u64(r);
	s.mtime_ns = record_get_u64(r);
	s.ctime_ns = record_get_u64(r);
	return s;
}

#endif
