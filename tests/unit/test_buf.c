/* The byte buffer (buf.h): appends that grow it, and decimal numbers
 * written without printf. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

/* buf_addu writes what printf's "%0*llu" writes. */
static void test_addu_matches_printf(void **state)
{
	(void)state;
	const unsigned long long values[] = {0, 1, 9, 10, 99, 100, 2024,
					     123456789, ULLONG_MAX};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		for (int width = 0; width <= 22; width++) {
			struct buf b;
			char want[64];
			buf_init(&b);
			buf_adds(&b, "x");
			buf_addu(&b, values[i], width);
			snprintf(want, sizeof want, "x%0*llu", width, values[i]);
			assert_string_equal(b.data, want);
			assert_int_equal(b.len, strlen(want));
			buf_release(&b);
		}
	}
}

/* Appends of every size grow the buffer and keep it NUL-terminated. */
static void test_appends_grow(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	size_t want = 0;
	for (int i = 0; i < 2000; i++) {
		if (i % 3 == 0) {
			buf_addc(&b, 'c');
			want += 1;
		} else {
			char piece[40];
			memset(piece, 'a' + i % 26, sizeof piece);
			buf_add(&b, piece, (size_t)(i % 40));
			want += (size_t)(i % 40);
		}
		assert_int_equal(b.len, want);
		assert_true(b.len < b.cap);
		assert_int_equal(b.data[b.len], '\0');
	}
	buf_add(&b, NULL, 0);
	assert_int_equal(b.len, want);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addu_matches_printf),
		cmocka_unit_test(test_appends_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
