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
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);

#endif
