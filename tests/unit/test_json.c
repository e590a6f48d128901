/* JSON strings (json.h): every ASCII byte escaped or not as a <script>
 * element needs, UTF-8 kept, invalid bytes and U+2028/U+2029 replaced. */
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

static void test_utf8(void **state)
{
	(void)state;
	const char text[] = "caf\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 \xff end";
	char *got = quoted(text, sizeof text - 1);
	assert_string_equal(got, "\"caf\xc3\xa9 \\u2028 \\u2029 \\ufffd end\"");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_ascii_byte),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
