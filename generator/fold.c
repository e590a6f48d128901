#include "fold.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "runs.h"
#include "utf8.h"
#include "xalloc.h"

/* Makes room for EXTRA more folded bytes plus the NUL and the sentinel
 * entries of from[] and to[]. The three arrays share one capacity; xgrow
 * computes the same new capacity from the same old one, so each array is
 * grown from a copy of it. */
static void reserve(struct folded *f, size_t extra)
{
	size_t need = f->len + extra + 1;
	size_t cap;

	if (need <= f->cap)
		return;
	cap = f->cap;
	f->text = xgrow(f->text, &cap, need, 1);
	cap = f->cap;
	f->from = xgrow(f->from, &cap, need, sizeof *f->from);
	cap = f->cap;
	f->to = xgrow(f->to, &cap, need, sizeof *f->to);
	f->cap = cap;
}

static void push(struct folded *f, char c, size_t from, size_t to)
{
	f->text[f->len] = c;
	f->from[f->len] = (uint32_t)from;
	f->to[f->len] = (uint32_t)to;
	f->len++;
}

/* Closes the text after an append: NUL, and the sentinel that lets an
 * empty range at the very end map to the end of the source. */
static void terminate(struct folded *f, size_t end)
{
	f->text[f->len] = '\0';
	f->from[f->len] = (uint32_t)end;
	f->to[f->len] = (uint32_t)end;
}

/* The ASCII form of a typographic character, or NULL when CP folds to
 * itself. */
static const char *fold_char(uint32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
		return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
	case 0x00AB: case 0x00BB:
		return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return "-";
	case 0x2026:
		return "...";
	default:
		return NULL;
	}
}

void folded_init(struct folded *f)
{
	f->text = NULL;
	f->from = NULL;
	f->to = NULL;
	f->len = 0;
	f->cap = 0;
	reserve(f, 0);
	terminate(f, 0);
}

void fold_clear(struct folded *f)
{
	f->len = 0;
	terminate(f, 0);
}

void folded_release(struct folded *f)
{
	free(f->text);
	free(f->from);
	free(f->to);
	f->text = NULL;
	f->from = NULL;
	f->to = NULL;
	f->len = f->cap = 0;
}

/* True for an ASCII byte that folds to itself: not white space. */
static inline int plain_ascii(unsigned char b)
{
	return b < 0x80 && b != ' ' && (b < '\t' || b > '\r');
}

size_t fold_kept_bytes(const char *src, size_t len, size_t limit)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n < limit; i++)
		n += plain_ascii((unsigned char)src[i]);
	return n;
}

/* Returns the end of the run of white space that starts at I, or I when
 * SRC[I] is not white space. */
static size_t space_run_end(const char *src, size_t len, size_t i)
{
	uint32_t cp;
	size_t n;

	while (i < len && (n = utf8_decode(src + i, len - i, &cp)) > 0 &&
	       utf8_is_space(cp))
		i += n;
	return i;
}

/* FROM and TO of a run of N bytes that each fold to themselves, the
 * first at OFFSET in the source. */
static void number_run(uint32_t *restrict from, uint32_t *restrict to,
		       uint32_t offset, size_t n)
{
	size_t k = 0;
#ifdef __SSE2__
	__m128i at = _mm_add_epi32(_mm_set1_epi32((int)offset),
				   _mm_set_epi32(3, 2, 1, 0));
	const __m128i one = _mm_set1_epi32(1), four = _mm_set1_epi32(4);
	for (; n - k >= 4; k += 4) {
		_mm_storeu_si128((__m128i *)(from + k), at);
		_mm_storeu_si128((__m128i *)(to + k), _mm_add_epi32(at, one));
		at = _mm_add_epi32(at, four);
	}
#endif
	for (; k < n; k++) {
		from[k] = offset + (uint32_t)k;
		to[k] = offset + (uint32_t)k + 1;
	}
}

void fold_append(struct folded *f, const char *src, size_t len, size_t base)
{
	size_t i = 0;

	/* No character folds to more bytes than it has (… has three), so
	 * LEN bounds the growth. */
	reserve(f, len);
	while (i < len) {
		uint32_t cp;
		size_t n;
		const char *ascii;
		unsigned char b = (unsigned char)src[i];

		/* Most bytes are ASCII other than white space, or a single
		 * ' ' between two of them: each folds to itself. */
		if (plain_ascii(b) ||
		    (b == ' ' && i + 1 < len &&
		     plain_ascii((unsigned char)src[i + 1]) &&
		     (f->len == 0 || f->text[f->len - 1] != ' '))) {
			/* The run is found first, then copied and numbered in
			 * loops of their own. */
			size_t end = runs_end(src, len, i + 1, true);
			size_t run = end - i, at = f->len;
			uint32_t *restrict from = f->from + at;
			uint32_t *restrict to = f->to + at;
			uint32_t offset = (uint32_t)(base + i);
			memcpy(f->text + at, src + i, run);
			number_run(from, to, offset, run);
			f->len = at + run;
			i = end;
			continue;
		}
		/* An ASCII space, as between most words: its run, and any
		 * white space beyond it, becomes one ' '. */
		if (b < 0x80) {
			size_t end = i + 1;
			while (end < len && (src[end] == ' ' ||
					     (src[end] >= '\t' && src[end] <= '\r')))
				end++;
			if (end < len && (unsigned char)src[end] >= 0x80)
				end = space_run_end(src, len, end);
			if (f->len > 0 && f->text[f->len - 1] == ' ')
				f->to[f->len - 1] = (uint32_t)(base + end);
			else
				push(f, ' ', base + i, base + end);
			i = end;
			continue;
		}
		n = utf8_decode(src + i, len - i, &cp);

		if (n == 0) {
			push(f, src[i], base + i, base + i + 1);
			i++;
			continue;
		}
		if (utf8_is_space(cp)) {
			size_t end = space_run_end(src, len, i);
			/* A run split between two appends is still one run:
			 * the folded text never holds two spaces in a row. */
			if (f->len > 0 && f->text[f->len - 1] == ' ')
				f->to[f->len - 1] = (uint32_t)(base + end);
			else
				push(f, ' ', base + i, base + end);
			i = end;
			continue;
		}
		ascii = fold_char(cp);
		if (ascii) {
			for (; *ascii; ascii++)
				push(f, *ascii, base + i, base + i + n);
		} else {
			for (size_t k = 0; k < n; k++)
				push(f, src[i + k], base + i, base + i + n);
		}
		i += n;
	}
	terminate(f, base + len);
}

void fold_append_separator(struct folded *f, char c, size_t at)
{
	reserve(f, 1);
	push(f, c, at, at + 1);
	terminate(f, at + 1);
}

const char *fold_passage_into(struct folded *scratch, const char *src,
			      size_t len, size_t *out_len)
{
	size_t start = 0, end;

	scratch->len = 0;
	fold_append(scratch, src, len, 0);
	end = scratch->len;
	while (start < end && scratch->text[start] == ' ')
		start++;
	while (end > start && scratch->text[end - 1] == ' ')
		end--;
	scratch->text[end] = '\0';
	if (out_len)
		*out_len = end - start;
	return scratch->text + start;
}

char *fold_passage(const char *src, size_t len, size_t *out_len)
{
	struct folded f;
	size_t n;
	char *passage;

	folded_init(&f);
	const char *folded = fold_passage_into(&f, src, len, &n);
	passage = xstrndup(folded, n);
	if (out_len)
		*out_len = n;
	folded_release(&f);
	return passage;
}

void folded_source_range(const struct folded *f, size_t fstart, size_t fend,
			 size_t *sstart, size_t *send)
{
	assert(fstart <= fend && fend <= f->len);
	*sstart = f->from[fstart];
	/* from[] and to[] already hold whole characters: a range that
	 * starts or ends inside the three dots of a … or the bytes of a
	 * multibyte character widens to all of it. */
	*send = fend > fstart ? f->to[fend - 1] : *sstart;
}
