/* Unit tests of utf8.c's validation: the offset of the first byte that
 * is not UTF-8, wherever it falls against the eight-byte steps that
 * ASCII is checked in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static void test_valid_text(void **state)
{
	(void)state;
	assert_int_equal(utf8_validate("", 0), 0);
	const char *ascii = "The truce holds, officials said on Tuesday.";
	assert_int_equal(utf8_validate(ascii, strlen(ascii)), strlen(ascii));
	/* Multibyte characters across every eight-byte boundary. */
	const char *mixed = "Caf\u00e9 \u201cd\u00e9j\u00e0\u201d \u2014 "
			    "\U0001F600 na\u00efve\u2026 end";
	assert_int_equal(utf8_validate(mixed, strlen(mixed)), strlen(mixed));
	/* A NUL is ASCII: the length given is what counts. */
	assert_int_equal(utf8_validate("ab\0cd", 5), 5);
}

/* A bad byte at every offset from 0 to 40 of ASCII text, and the text
 * cut there, is found at that offset. */
static void test_bad_byte_at_every_offset(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x80",
		"\xf4\x90\x80\x80",
	};
	char text[64];
	for (size_t at = 0; at <= 40; at++) {
		for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
			memset(text, 'x', sizeof text);
			size_t len = strlen(bad[b]);
			memcpy(text + at, bad[b], len);
			assert_int_equal(utf8_validate(text, sizeof text), at);
			/* At the very end, cut short. */
			assert_int_equal(utf8_validate(text, at + len), at);
		}
		/* Valid text up to a cut inside a character. */
		memset(text, 'y', sizeof text);
		memcpy(text + at, "\xe2\x80\x94", 3);
		assert_int_equal(utf8_validate(text, at + 3), at + 3);
		assert_int_equal(utf8_validate(text, at + 2), at);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_text),
		cmocka_unit_test(test_bad_byte_at_every_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
