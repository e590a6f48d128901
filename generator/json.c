#include "json.h"

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
	if (!j->pretty)
		return;
	buf_addc(j->out, '\n');
	for (size_t i = 0; i < j->depth; i++)
		buf_adds(j->out, "  ");
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
		size_t run = i;
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
