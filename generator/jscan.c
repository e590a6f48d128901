#include "jscan.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

bool jscan_lit(struct jscan *sc, const char *text)
{
	size_t n = strlen(text);
	if ((size_t)(sc->end - sc->s) < n || memcmp(sc->s, text, n) != 0)
		return false;
	sc->s += n;
	return true;
}

bool jscan_peek(const struct jscan *sc, char ch)
{
	return sc->s < sc->end && *sc->s == ch;
}

/* A number as json_int writes one: digits, no sign, no leading zero. */
bool jscan_number(struct jscan *sc, size_t *out)
{
	const char *s = sc->s;
	size_t v = 0;
	if (s == sc->end || *s < '0' || *s > '9' ||
	    (*s == '0' && s + 1 < sc->end && s[1] >= '0' && s[1] <= '9'))
		return false;
	for (; s < sc->end && *s >= '0' && *s <= '9'; s++) {
		if (v > (SIZE_MAX - 9) / 10)
			return false;
		v = v * 10 + (size_t)(*s - '0');
	}
	sc->s = s;
	*out = v;
	return true;
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool hex4(const char *s, const char *end, uint32_t *out)
{
	uint32_t v = 0;
	if (end - s < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int h = hex_value(s[i]);
		if (h < 0)
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return true;
}

static void put_utf8(struct buf *out, uint32_t cp)
{
	if (cp < 0x80) {
		buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(out, (char)(0xc0 | cp >> 6));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(out, (char)(0xe0 | cp >> 12));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(out, (char)(0xf0 | cp >> 18));
		buf_addc(out, (char)(0x80 | (cp >> 12 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	}
}

/* How many bytes from S (up to END) go on a string as they are: not a
 * quote, a backslash or below ' '. Sixteen at a time where SSE2 has it
 * (every x86-64), else eight at a time by the zero-byte test of "Bit
 * Twiddling Hacks"; the caller finishes a byte at a time. */
static const char *plain_string_run(const char *s, const char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\');
	const __m128i below = _mm_set1_epi8(0x1f);
	for (; end - s >= 16; s += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)s);
		/* unsigned v < ' ': the smaller of v and 0x1f is v */
		__m128i hit = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, quote),
				 _mm_cmpeq_epi8(v, slash)),
		    _mm_cmpeq_epi8(_mm_min_epu8(v, below), v));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return s + __builtin_ctz(mask);
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
	for (uint64_t v; end - s >= 8; s += 8) {
		memcpy(&v, s, 8);
		uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
		if ((((q - ones) & ~q) | ((b - ones) & ~b) |
		     ((v - ones * 0x20) & ~v)) & highs)
			break;
	}
#endif
	return s;
}

bool jscan_string_at(const char **at, const char *end, struct buf *out)
{
	const char *s = *at;
	size_t start = out ? out->len : 0;
	while (s < end) {
		const char *run = s;
		/* Texts are long runs of plain bytes. */
		s = plain_string_run(s, end);
		while (s < end && *s != '"' && *s != '\\' &&
		       (unsigned char)*s >= 0x20)
			s++;
		if (out)
			buf_add(out, run, (size_t)(s - run));
		if (s == end || (unsigned char)*s < 0x20)
			break;
		if (*s == '"') {
			*at = s + 1;
			return true;
		}
		if (++s == end)
			break;
		char esc = *s++;
		const char *simple = strchr("\"\\/bfnrt", esc);
		if (esc && simple) {
			if (out)
				buf_addc(out, "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"]);
			continue;
		}
		uint32_t cp, low;
		if (esc != 'u' || !hex4(s, end, &cp))
			break;
		s += 4;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			break;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (end - s < 6 || s[0] != '\\' || s[1] != 'u' ||
			    !hex4(s + 2, end, &low) || low < 0xdc00 ||
			    low > 0xdfff)
				break;
			s += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
		}
		if (out)
			put_utf8(out, cp);
	}
	if (out)
		out->len = start;
	return false;
}

bool jscan_string(struct jscan *sc, struct buf *out, const char **raw,
		   size_t *raw_len)
{
	const char *s = sc->s;
	if (!jscan_peek(sc, '"'))
		return false;
	s++;
	if (!jscan_string_at(&s, sc->end, out))
		return false;
	if (raw) {
		*raw = sc->s;
		*raw_len = (size_t)(s - sc->s);
	}
	sc->s = s;
	return true;
}

void jscan_space(struct jscan *sc)
{
#ifdef __SSE2__
	/* archive.json is indented: a line break and a run of spaces
	 * before most of what it holds */
	const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');
	const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
	while (sc->end - sc->s >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)sc->s);
		__m128i white = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)),
		    _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr)));
		unsigned mask = (unsigned)_mm_movemask_epi8(white);
		if (mask != 0xffff) {
			sc->s += __builtin_ctz(~mask);
			return;
		}
		sc->s += 16;
	}
#endif
	while (sc->s < sc->end && (*sc->s == ' ' || *sc->s == '\n' ||
				   *sc->s == '\t' || *sc->s == '\r'))
		sc->s++;
}

/* A number of any sign, with a fraction or exponent. */
static bool any_number(struct jscan *sc)
{
	const char *s = sc->s;
	if (s < sc->end && *s == '-')
		s++;
	const char *digits = s;
	while (s < sc->end && ((*s >= '0' && *s <= '9') || *s == '.' ||
			       *s == 'e' || *s == 'E' || *s == '+' ||
			       *s == '-'))
		s++;
	if (s == digits || *digits < '0' || *digits > '9')
		return false;
	sc->s = s;
	return true;
}

static bool value(struct jscan *sc, int depth)
{
	const char *start = sc->s;
	if (depth > JSCAN_DEPTH || sc->s == sc->end)
		return false;
	char open = *sc->s;
	if (open == '"')
		return jscan_string(sc, NULL, NULL, NULL);
	if (open != '{' && open != '[')
		return any_number(sc) || jscan_lit(sc, "true") ||
		       jscan_lit(sc, "false") || jscan_lit(sc, "null");
	char close = open == '{' ? '}' : ']';
	sc->s++;
	jscan_space(sc);
	if (jscan_lit(sc, close == '}' ? "}" : "]"))
		return true;
	for (;;) {
		if (open == '{') {
			if (!jscan_string(sc, NULL, NULL, NULL))
				break;
			jscan_space(sc);
			if (!jscan_lit(sc, ":"))
				break;
			jscan_space(sc);
		}
		if (!value(sc, depth + 1))
			break;
		jscan_space(sc);
		if (jscan_lit(sc, ","))
			jscan_space(sc);
		else if (jscan_lit(sc, close == '}' ? "}" : "]"))
			return true;
		else
			break;
	}
	sc->s = start;
	return false;
}

bool jscan_value(struct jscan *sc)
{
	return value(sc, 0);
}
