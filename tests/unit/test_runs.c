/* runs.c: where a run of words with single spaces ends, sixteen bytes
 * at a time, against the rule applied a byte at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runs.h"

static bool may_run(unsigned char c, bool ascii_only)
{
	bool space = c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
		     c == '\f' || c == '\r';
	return !space && (!ascii_only || c < 0x80);
}

/* The rule: bytes that may be in a run, and a ' ' between two of them. */
static size_t rule_end(const char *s, size_t len, size_t i, bool ascii_only)
{
	while (i < len) {
		if (may_run((unsigned char)s[i], ascii_only))
			i++;
		else if (s[i] == ' ' && i + 1 < len &&
			 may_run((unsigned char)s[i + 1], ascii_only))
			i += 2;
		else
			break;
	}
	return i;
}

static void test_white_space(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++)
		assert_int_equal(runs_is_space((unsigned char)c),
				 c == ' ' || (c >= '\t' && c <= '\r'));
}

/* Text of every mix, every length up to a few blocks, from every start:
 * each edge of a block is crossed by a space, a double space, a tab,
 * a byte above 0x7f and the end of the text. */
static void test_matches_the_rule(void **state)
{
	(void)state;
	static const char alphabet[] = "aaaaaZ9.  \t\n\x01\x7f\x80\xc3\xa9\xff";
	uint32_t seed = 7;
	char s[72];
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 72);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		size_t start = len ? (size_t)(seed >> 4) % len : 0;
		for (int ascii_only = 0; ascii_only < 2; ascii_only++)
			assert_int_equal(runs_end(s, len, start, ascii_only),
					 rule_end(s, len, start, ascii_only));
	}
}

/* Long runs: words of one letter and one space, ended at each place. */
static void test_long_runs(void **state)
{
	(void)state;
	char s[200];
	for (size_t stop = 0; stop < sizeof s; stop++) {
		for (size_t i = 0; i < sizeof s; i++)
			s[i] = i % 2 ? ' ' : 'w';
		s[stop] = '\n';
		assert_int_equal(runs_end(s, sizeof s, 0, true),
				 rule_end(s, sizeof s, 0, true));
		s[stop] = ' ';
		if (stop + 1 < sizeof s)
			s[stop + 1] = ' ';
		assert_int_equal(runs_end(s, sizeof s, 0, false),
				 rule_end(s, sizeof s, 0, false));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_white_space),
		cmocka_unit_test(test_matches_the_rule),
		cmocka_unit_test(test_long_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
