#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void buf_init(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
	b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

void buf_add_slow(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_addu(struct buf *b, unsigned long long v, int width)
{
	char digits[24];
	int n = 0;
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof digits)
		digits[sizeof digits - 1 - n++] = '0';
	buf_add(b, digits + sizeof digits - n, (size_t)n);
}

/* The conversions buf_vaddf writes itself: %d %i %u %x %s %c and %%,
 * integers with an optional '0' flag, a width and l, ll or z. printf
 * costs about a thousand instructions a call, and gloss numbers and
 * names pieces of every page this way. */
enum { CONV_NONE, CONV_SIGNED, CONV_UNSIGNED, CONV_HEX, CONV_STRING,
       CONV_CHAR, CONV_PERCENT };

enum { LEN_INT, LEN_LONG, LEN_LONG_LONG, LEN_SIZE };

struct conversion {
	int kind, length;
	bool zero;
	size_t width;
	const char *end; /* just after it */
};

/* Reads the conversion starting at FMT (just after '%'); kind CONV_NONE
 * for one printf must do. */
static struct conversion read_conversion(const char *fmt)
{
	struct conversion cv = {CONV_NONE, LEN_INT, false, 0, fmt};
	if (*fmt == '0') {
		cv.zero = true;
		fmt++;
	}
	while (*fmt >= '0' && *fmt <= '9') {
		cv.width = cv.width * 10 + (size_t)(*fmt - '0');
		if (cv.width > 64)
			return cv;
		fmt++;
	}
	if (*fmt == 'l') {
		cv.length = LEN_LONG;
		if (*++fmt == 'l') {
			cv.length = LEN_LONG_LONG;
			fmt++;
		}
	} else if (*fmt == 'z') {
		cv.length = LEN_SIZE;
		fmt++;
	}
	bool integer = true;
	switch (*fmt) {
	case 'd': case 'i': cv.kind = CONV_SIGNED; break;
	case 'u': cv.kind = CONV_UNSIGNED; break;
	case 'x': cv.kind = CONV_HEX; break;
	case 's': cv.kind = CONV_STRING; integer = false; break;
	case 'c': cv.kind = CONV_CHAR; integer = false; break;
	case '%': cv.kind = CONV_PERCENT; integer = false; break;
	default: return cv;
	}
	/* '0' and l, ll, z belong to integers only; %% takes nothing. */
	if (!integer && (cv.zero || cv.length != LEN_INT ||
			 (cv.kind == CONV_PERCENT && cv.width))) {
		cv.kind = CONV_NONE;
		return cv;
	}
	cv.end = fmt + 1;
	return cv;
}

/* Does FMT use only the conversions buf_vaddf writes itself? */
static bool plain_format(const char *fmt)
{
	for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
		struct conversion cv = read_conversion(p + 1);
		if (cv.kind == CONV_NONE)
			return false;
		p = cv.end;
	}
	return true;
}

/* Appends LEN bytes of S right-aligned in WIDTH, padded with PAD. */
static void add_padded(struct buf *b, const char *s, size_t len, size_t width,
		       char pad)
{
	for (; width > len; width--)
		buf_addc(b, pad);
	buf_add(b, s, len);
}

static void add_integer(struct buf *b, const struct conversion *cv,
			va_list *ap)
{
	unsigned long long v;
	bool negative = false;
	if (cv->kind == CONV_SIGNED) {
		long long s;
		switch (cv->length) {
		case LEN_LONG: s = va_arg(*ap, long); break;
		case LEN_LONG_LONG: s = va_arg(*ap, long long); break;
		case LEN_SIZE: s = va_arg(*ap, ptrdiff_t); break;
		default: s = va_arg(*ap, int); break;
		}
		negative = s < 0;
		v = negative ? 0ULL - (unsigned long long)s : (unsigned long long)s;
	} else {
		switch (cv->length) {
		case LEN_LONG: v = va_arg(*ap, unsigned long); break;
		case LEN_LONG_LONG: v = va_arg(*ap, unsigned long long); break;
		case LEN_SIZE: v = va_arg(*ap, size_t); break;
		default: v = va_arg(*ap, unsigned); break;
		}
	}
	char digits[24];
	size_t n = 0;
	unsigned base = cv->kind == CONV_HEX ? 16 : 10;
	do {
		digits[sizeof digits - 1 - n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	size_t width = cv->width;
	if (negative && cv->zero) {
		/* the sign goes before the zeros: -007 */
		buf_addc(b, '-');
		width = width ? width - 1 : 0;
	} else if (negative) {
		digits[sizeof digits - 1 - n++] = '-';
	}
	add_padded(b, digits + sizeof digits - n, n, width,
		   cv->zero ? '0' : ' ');
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	if (plain_format(fmt)) {
		va_list args;
		va_copy(args, ap);
		for (const char *p = fmt; *p;) {
			const char *pct = strchr(p, '%');
			if (!pct) {
				buf_adds(b, p);
				break;
			}
			buf_add(b, p, (size_t)(pct - p));
			struct conversion cv = read_conversion(pct + 1);
			if (cv.kind == CONV_STRING) {
				const char *s = va_arg(args, const char *);
				if (!s) /* as glibc prints it */
					s = "(null)";
				add_padded(b, s, strlen(s), cv.width, ' ');
			} else if (cv.kind == CONV_CHAR) {
				char c = (char)va_arg(args, int);
				add_padded(b, &c, 1, cv.width, ' ');
			} else if (cv.kind == CONV_PERCENT) {
				buf_addc(b, '%');
			} else {
				add_integer(b, &cv, &args);
			}
			p = cv.end;
		}
		va_end(args);
		return;
	}
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}
