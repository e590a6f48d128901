/* A growable byte buffer, the one type gloss builds strings with.
 *
 * Invariants: `data` is never NULL once initialised and is always
 * NUL-terminated at `data[len]`; `len < cap`. The buffer may hold NUL
 * bytes of its own, so use `len`, not strlen. A struct buf is embedded
 * by its owner: buf_init before use, buf_release to free, buf_detach to
 * hand the memory to the caller (who then frees it). */
#ifndef GLOSS_BUF_H
#define GLOSS_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);
/* Returns the NUL-terminated contents, now owned by the caller, and leaves
 * B released: buf_init it again before any further use. */
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add_slow(struct buf *b, const void *data, size_t len);

/* Appending is what gloss does most, so the common case, where the bytes
 * fit, is inline. */
static inline void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (len >= b->cap - b->len) {
		buf_add_slow(b, data, len);
		return;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static inline void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static inline void buf_addc(struct buf *b, char c)
{
	if (b->cap - b->len < 2) {
		buf_add_slow(b, &c, 1);
		return;
	}
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
/* Appends V in decimal, with leading zeros up to WIDTH digits: what
 * "%0*llu" writes, without printf's cost on the paths that number every
 * line and note. */
void buf_addu(struct buf *b, unsigned long long v, int width);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);

#endif
