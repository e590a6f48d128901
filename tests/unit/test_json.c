/* JSON strings (json.h): every ASCII byte escaped or not as a <script>
 * element needs, UTF-8 kept, invalid bytes and U+2028/U+2029 replaced;
 * raw values with their commas; and strings read back (jscan.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "json.h"
#include "jscan.h"

static char *quoted(const char *s, size_t len)
{
	struct buf b;
	buf_init(&b);
	json_quote(&b, s, len);
	return buf_detach(&b, NULL);
}

/* What the byte C, between two letters, must become. */
static void expected(unsigned char c, char *out, size_t size)
{
	switch (c) {
	case '"': snprintf(out, size, "\"a\\\"b\""); return;
	case '\\': snprintf(out, size, "\"a\\\\b\""); return;
	case '\n': snprintf(out, size, "\"a\\nb\""); return;
	case '\t': snprintf(out, size, "\"a\\tb\""); return;
	case '\r': snprintf(out, size, "\"a\\rb\""); return;
	default: break;
	}
	if (c < 0x20 || c == '<' || c == '>' || c == '&')
		snprintf(out, size, "\"a\\u%04xb\"", c);
	else
		snprintf(out, size, "\"a%cb\"", c);
}

static void test_every_ascii_byte(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 0x80; c++) {
		char in[3] = {'a', (char)c, 'b'}, want[32];
		expected((unsigned char)c, want, sizeof want);
		char *got = quoted(in, 3);
		if (strcmp(got, want) != 0)
			fail_msg("byte 0x%02x: got %s, want %s", c, got, want);
		free(got);
	}
}

/* The same in a run of letters long enough to be looked at eight bytes
 * at a time, the byte at every offset of those steps: each is escaped
 * there as it is alone. */
static void test_every_ascii_byte_in_long_runs(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 0x80; c++) {
		char want_mid[32];
		expected((unsigned char)c, want_mid, sizeof want_mid);
		/* "a" ESC "b" without the quotes and letters around */
		size_t mid_len = strlen(want_mid) - 4;
		for (size_t at = 0; at < 24; at++) {
			char in[25], want[80];
			memset(in, 'x', 24);
			in[at] = (char)c;
			size_t k = 0;
			want[k++] = '"';
			memset(want + k, 'x', at);
			k += at;
			memcpy(want + k, want_mid + 2, mid_len);
			k += mid_len;
			memset(want + k, 'x', 23 - at);
			k += 23 - at;
			want[k++] = '"';
			want[k] = '\0';
			char *got = quoted(in, 24);
			if (strcmp(got, want) != 0)
				fail_msg("byte 0x%02x at %zu: got %s, want %s", c, at,
					 got, want);
			free(got);
		}
	}
}

static void test_utf8(void **state)
{
	(void)state;
	const char text[] = "caf\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 \xff end";
	char *got = quoted(text, sizeof text - 1);
	assert_string_equal(got, "\"caf\xc3\xa9 \\u2028 \\u2029 \\ufffd end\"");
	free(got);
	/* and after a long run of ASCII */
	const char long_text[] = "a long run of plain words, then caf\xc3\xa9 "
				 "\xe2\x80\xa8 \xff end";
	got = quoted(long_text, sizeof long_text - 1);
	assert_string_equal(got, "\"a long run of plain words, then caf\xc3\xa9 "
				 "\\u2028 \\ufffd end\"");
	free(got);
}

static void test_raw_values(void **state)
{
	(void)state;
	struct buf b;
	struct json j;
	buf_init(&b);
	json_init(&j, &b, false);
	json_array_begin(&j);
	json_raw(&j, "[1,\"a\"]", 7);
	json_int(&j, 2);
	json_raw(&j, "{}", 2);
	json_array_end(&j);
	json_release(&j);
	assert_int_equal(b.len, strlen("[[1,\"a\"],2,{}]"));
	assert_memory_equal(b.data, "[[1,\"a\"],2,{}]", b.len);
	buf_release(&b);
}

/* Reads the quoted string Q back: true and its bytes in OUT, or false. */
static bool read_back(const char *q, struct buf *out)
{
	const char *s = q + 1, *end = q + strlen(q);
	buf_reset(out);
	bool ok = q[0] == '"' && jscan_string_at(&s, end, out);
	if (ok && s != end)
		fail_msg("%s: read up to offset %td of %zu", q, s - q,
			 strlen(q));
	return ok;
}

static void test_strings_read_back(void **state)
{
	(void)state;
	struct buf got;
	buf_init(&got);
	/* Every byte json_quote writes, and every escape it uses. */
	for (unsigned c = 1; c < 0x80; c++) {
		char in[3] = {'a', (char)c, 'b'};
		char *q = quoted(in, 3);
		if (!read_back(q, &got) || got.len != 3 ||
		    memcmp(got.data, in, 3) != 0)
			fail_msg("byte 0x%02x: %s not read back", c, q);
		free(q);
	}
	/* Long runs, so that the eight-byte steps meet each byte. */
	for (size_t at = 0; at < 24; at++) {
		char in[32];
		memset(in, 'x', sizeof in);
		in[at] = '"';
		char *q = quoted(in, sizeof in);
		assert_true(read_back(q, &got));
		assert_int_equal(got.len, sizeof in);
		assert_memory_equal(got.data, in, sizeof in);
		free(q);
	}
	const char text[] = "caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80";
	char *q = quoted(text, sizeof text - 1);
	assert_true(read_back(q, &got));
	assert_int_equal(got.len, sizeof text - 1);
	assert_memory_equal(got.data, text, got.len);
	free(q);
	assert_true(read_back("\"\\ud83d\\ude00\\/\\b\\f\"", &got));
	assert_int_equal(got.len, 7);
	assert_memory_equal(got.data, "\xf0\x9f\x98\x80/\b\f", 7);
	/* What is not a string ended in the file. */
	const char *const bad[] = {
	    "\"open",           "\"a\\",          "\"\\x\"",
	    "\"\\u12\"",        "\"\\ud83d\"",      "\"\\ude00\"",
	    "\"\\ud83d\\u0041\"", "\"tab\there\"",   "\"nl\nhere\"",
	    "\"\\u00zz\"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&got);
		buf_adds(&got, "kept");
		const char *s = bad[i] + 1;
		if (jscan_string_at(&s, bad[i] + strlen(bad[i]), &got))
			fail_msg("%s read as a string", bad[i]);
		assert_ptr_equal(s, bad[i] + 1);
		assert_int_equal(got.len, 4);
	}
	buf_release(&got);
}

/* Strings longer than the sixteen-byte steps of the scanner, with what
 * ends a plain run at every offset: escapes read back, a raw byte below
 * ' ' fails, bytes above 0x7f are plain. */
static void test_long_strings_at_every_offset(void **state)
{
	(void)state;
	struct buf got;
	buf_init(&got);
	const char escaped[] = {'"', '\\', '\x01', '\x1f', '\n'};
	for (size_t at = 0; at < 40; at++) {
		char in[48];
		memset(in, 'x', sizeof in);
		for (size_t e = 0; e < sizeof escaped; e++) {
			in[at] = escaped[e];
			char *q = quoted(in, sizeof in);
			assert_true(read_back(q, &got));
			assert_int_equal(got.len, sizeof in);
			assert_memory_equal(got.data, in, sizeof in);
			free(q);
		}
		/* raw, as a file may hold it */
		char raw[52];
		raw[0] = '"';
		memset(raw + 1, 'y', 48);
		raw[49] = '"';
		raw[50] = '\0';
		raw[1 + at] = "\x1f\x01\t"[at % 3];
		const char *s = raw + 1;
		assert_false(jscan_string_at(&s, raw + 50, NULL));
		assert_ptr_equal(s, raw + 1);
		raw[1 + at] = (char)0xc3;
		raw[2 + at] = (char)0xa9;
		assert_true(read_back(raw, &got));
		assert_int_equal(got.len, 48);
		/* a quote ends it early: the rest is not read */
		raw[1 + at] = '"';
		s = raw + 1;
		assert_true(jscan_string_at(&s, raw + 50, NULL));
		assert_ptr_equal(s, raw + 2 + at);
	}
	buf_release(&got);
}

/* White space of every length and mix, then a value or the end. */
static void test_space_of_every_length(void **state)
{
	(void)state;
	static const char white[] = " \n\t\r";
	char text[80];
	for (size_t len = 0; len < 70; len++) {
		for (size_t i = 0; i < len; i++)
			text[i] = white[(i * 7 + len) % 4];
		text[len] = '1';
		struct jscan sc = {text, text + len + 1};
		jscan_space(&sc);
		assert_ptr_equal(sc.s, text + len);
		/* up to the end */
		sc = (struct jscan){text, text + len};
		jscan_space(&sc);
		assert_ptr_equal(sc.s, text + len);
		/* a byte that is not white space in JSON: \v, \f */
		text[len] = len % 2 ? '\v' : '\f';
		sc = (struct jscan){text, text + len + 1};
		jscan_space(&sc);
		assert_ptr_equal(sc.s, text + len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_ascii_byte_in_long_runs),
		cmocka_unit_test(test_every_ascii_byte),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_raw_values),
		cmocka_unit_test(test_strings_read_back),
		cmocka_unit_test(test_long_strings_at_every_offset),
		cmocka_unit_test(test_space_of_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
