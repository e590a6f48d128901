/* The byte buffer (buf.h): appends that grow it, decimal numbers
 * written without printf, and buf_addf, which formats the common
 * conversions itself and must write what printf writes. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

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

/* Each result of buf_addf is checked against vsnprintf's, after a
 * prefix long enough that some results must grow the buffer. */
static void check_addf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void check_addf(const char *fmt, ...)
{
	char want[512];
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	vsnprintf(want, sizeof want, fmt, copy);
	va_end(copy);
	for (size_t prefix = 0; prefix < 80; prefix += 27) {
		struct buf b;
		buf_init(&b);
		for (size_t i = 0; i < prefix; i++)
			buf_addc(&b, '.');
		va_copy(copy, ap);
		buf_vaddf(&b, fmt, copy);
		va_end(copy);
		assert_int_equal(b.len, prefix + strlen(want));
		assert_string_equal(b.data + prefix, want);
		assert_int_equal(b.data[b.len], '\0');
		buf_release(&b);
	}
	va_end(ap);
}

/* The conversions buf_addf writes itself, at their edges, and some that
 * go to printf (precision, '-', '+', floating point, %p). */
static void test_addf_matches_printf(void **state)
{
	(void)state;
	const long long signed_values[] = {0, 1, -1, 7, -7, 42, -42, 2024,
					   INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN};
	for (size_t i = 0; i < sizeof signed_values / sizeof *signed_values;
	     i++) {
		long long v = signed_values[i];
		int small = (int)(v > INT_MAX || v < INT_MIN ? v % 1000 : v);
		check_addf("%d|%i|%4d|%04d|%01d|%010d", small, small, small, small,
			   small, small);
		check_addf("%ld|%08ld", (long)v, (long)v);
		check_addf("%lld|%025lld|%zd", v, v, (ptrdiff_t)small);
	}
	const unsigned long long unsigned_values[] = {
	    0, 1, 9, 10, 15, 16, 255, 4096, UINT_MAX, ULLONG_MAX};
	for (size_t i = 0;
	     i < sizeof unsigned_values / sizeof *unsigned_values; i++) {
		unsigned long long v = unsigned_values[i];
		unsigned small = (unsigned)v;
		check_addf("%u|%x|%08x|%3u", small, small, small, small);
		check_addf("%zu|%016llx|%llx|%lu|%lx", (size_t)v, v, v,
			   (unsigned long)v, (unsigned long)v);
	}
	check_addf("plain text, no conversion");
	check_addf("%s and %s", "one", "");
	check_addf("[%8s][%2s]", "right", "wider than two");
	check_addf("%c%c%3c", 'a', 'b', 'c');
	check_addf("100%% of %zu", (size_t)3);
	check_addf("Annotations %zu\u2013%zu", (size_t)1, (size_t)12);
	check_addf("%04d/%zu.html#y-%04d", 2008, (size_t)2, -12);
	/* these go to printf */
	check_addf("%.3s|%-6d|%+d|% d|%#x", "abcdef", 5, 5, 5, 255);
	check_addf("%.2f|%g", 3.14159, 0.5);
	check_addf("%*d|%-*s|", 6, 42, 4, "ab");
	check_addf("%lc|%p", (wint_t)'x', (void *)state);
	check_addf("%099d", 1);
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
		cmocka_unit_test(test_addf_matches_printf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
