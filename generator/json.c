#include "json.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

void json_init(struct json *j, struct buf *out, bool pretty)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->pretty = pretty;
}

void json_release(struct json *j)
{
	free(j->has_items);
	j->has_items = NULL;
	j->depth = j->cap = 0;
}

static void newline(struct json *j)
{
	/* archive.json is a third indents: they go in a run at a time. */
	static const char spaces[] = "                                "
				     "                                ";
	if (!j->pretty)
		return;
	buf_addc(j->out, '\n');
	for (size_t n = 2 * j->depth; n > 0;) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		buf_add(j->out, spaces, k);
		n -= k;
	}
}

/* Called before every value and key: the comma and indent it needs. */
static void before_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->has_items[j->depth - 1])
		buf_addc(j->out, ',');
	j->has_items[j->depth - 1] = true;
	newline(j);
}

static void open_container(struct json *j, char ch)
{
	before_item(j);
	buf_addc(j->out, ch);
	if (j->depth == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 16;
		j->has_items = xrealloc(j->has_items, j->cap * sizeof *j->has_items);
	}
	j->has_items[j->depth++] = false;
}

static void close_container(struct json *j, char ch)
{
	bool had = j->has_items[--j->depth];
	if (had)
		newline(j);
	buf_addc(j->out, ch);
}

void json_object_begin(struct json *j) { open_container(j, '{'); }
void json_object_end(struct json *j) { close_container(j, '}'); }
void json_array_begin(struct json *j) { open_container(j, '['); }
void json_array_end(struct json *j) { close_container(j, ']'); }

/* Printable ASCII that needs no escape: 1, else 0. */
/* How many of the bytes at S (up to N) are PLAIN's, bar 0x7f, counted
 * sixteen at a time where SSE2 has it (every x86-64): a byte below ' '
 * or not ASCII (signed, below ' ' too), '"', '&', '<', '>' or '\\'
 * ends the run. The table below finishes what is left. */
static size_t plain_run(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(' '), quote = _mm_set1_epi8('"');
	const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<');
	const __m128i gt = _mm_set1_epi8('>'), bs = _mm_set1_epi8('\\');
	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i hit = _mm_or_si128(
		    _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, quote)),
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp),
					      _mm_cmpeq_epi8(v, lt)),
				 _mm_or_si128(_mm_cmpeq_epi8(v, gt),
					      _mm_cmpeq_epi8(v, bs))));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	(void)s;
	(void)n;
	return i;
}

static const unsigned char plain[256] = {
	[' '] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1,
	['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
	['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	[':'] = 1, [';'] = 1, ['='] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1,
	['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
	['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
	['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
	['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
	[0x7f] = 1,
};

void json_quote(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	buf_addc(out, '"');
	for (size_t i = 0; i < len;) {
		/* Printable ASCII that needs no escape goes in as a run. */
		size_t run = i + plain_run(s + i, len - i);
		while (run < len && plain[(unsigned char)s[run]])
			run++;
		if (run > i) {
			buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode(s + i, len - i, &cp);
			if (n == 0) {
				buf_adds(out, "\\ufffd");
				i++;
			} else if (cp == 0x2028 || cp == 0x2029) {
				buf_addf(out, "\\u%04x", (unsigned)cp);
				i += n;
			} else {
				buf_add(out, s + i, n);
				i += n;
			}
			continue;
		}
		switch (ch) {
		case '"':
			buf_adds(out, "\\\"");
			break;
		case '\\':
			buf_adds(out, "\\\\");
			break;
		case '\n':
			buf_adds(out, "\\n");
			break;
		case '\t':
			buf_adds(out, "\\t");
			break;
		case '\r':
			buf_adds(out, "\\r");
			break;
		case '<':
		case '>':
		case '&':
			buf_adds(out, "\\u00");
			buf_addc(out, hex[ch >> 4]);
			buf_addc(out, hex[ch & 15]);
			break;
		default:
			if (ch < 0x20) {
				buf_adds(out, "\\u00");
				buf_addc(out, hex[ch >> 4]);
				buf_addc(out, hex[ch & 15]);
			} else {
				buf_addc(out, (char)ch);
			}
		}
		i++;
	}
	buf_addc(out, '"');
}

void json_key(struct json *j, const char *key)
{
	before_item(j);
	json_quote(j->out, key, strlen(key));
	buf_adds(j->out, j->pretty ? ": " : ":");
	j->after_key = true;
}

void json_stringn(struct json *j, const char *s, size_t len)
{
	before_item(j);
	json_quote(j->out, s, len);
}

void json_string(struct json *j, const char *s)
{
	json_stringn(j, s, strlen(s));
}

void json_item_here(struct json *j)
{
	before_item(j);
}

void json_raw(struct json *j, const char *s, size_t len)
{
	before_item(j);
	buf_add(j->out, s, len);
}

void json_int(struct json *j, long long v)
{
	before_item(j);
	if (v < 0) {
		buf_addc(j->out, '-');
		buf_addu(j->out, 0ULL - (unsigned long long)v, 0);
	} else {
		buf_addu(j->out, (unsigned long long)v, 0);
	}
}

void json_key_string(struct json *j, const char *key, const char *s)
{
	if (!s)
		return;
	json_key(j, key);
	json_string(j, s);
}

void json_key_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}
