#include "runs.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Whether C may be in a run. */
static inline bool in_run(unsigned char c, bool ascii_only)
{
	return !runs_is_space(c) && (!ascii_only || c < 0x80);
}

#ifdef __SSE2__
/* The bits of the sixteen bytes of V that may be in a run. */
static inline unsigned run_bits(__m128i v, bool ascii_only)
{
	/* \t to \r, as signed bytes: those above 0x7f are below zero */
	__m128i space = _mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
	    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
			  _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1))));
	unsigned out = (unsigned)_mm_movemask_epi8(space);
	if (ascii_only)
		out |= (unsigned)_mm_movemask_epi8(v); /* the sign bits */
	return ~out & 0xffff;
}
#endif

size_t runs_end(const char *s, size_t len, size_t i, bool ascii_only)
{
#ifdef __SSE2__
	/* Each block is checked with the block one byte on, for what
	 * follows each of its spaces. */
	const __m128i blank = _mm_set1_epi8(' ');
	while (len - i >= 17) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i next = _mm_loadu_si128((const __m128i *)(s + i + 1));
		unsigned spaces =
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, blank));
		unsigned kept = run_bits(v, ascii_only) |
				(spaces & run_bits(next, ascii_only));
		if (kept != 0xffff)
			return i + (size_t)__builtin_ctz(~kept);
		i += 16;
	}
#endif
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (in_run(c, ascii_only))
			i++;
		else if (c == ' ' && i + 1 < len &&
			 in_run((unsigned char)s[i + 1], ascii_only))
			i += 2;
		else
			break;
	}
	return i;
}
