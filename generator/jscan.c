#include "jscan.h"

#include <stdint.h>
#include <string.h>

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

/* Whether any byte of V is a quote, a backslash or below ' ': eight
 * bytes tested at once (the zero-byte test of "Bit Twiddling Hacks"). */
static bool special_byte(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
	uint64_t quote = v ^ (ones * '"'), slash = v ^ (ones * '\\');
	return (((quote - ones) & ~quote) | ((slash - ones) & ~slash) |
		((v - ones * 0x20) & ~v)) & highs;
}

bool jscan_string_at(const char **at, const char *end, struct buf *out)
{
	const char *s = *at;
	size_t start = out ? out->len : 0;
	while (s < end) {
		const char *run = s;
		/* Texts are long runs of plain bytes: skip them 8 at a time. */
		for (uint64_t v; end - s >= 8; s += 8) {
			memcpy(&v, s, 8);
			if (special_byte(v))
				break;
		}
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
