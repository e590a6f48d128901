/* fsutil.c: paths joined with one '/' between their parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fsutil.h"

static void assert_joins(const char *a, const char *b, const char *want)
{
	char *got = path_join(a, b);
	assert_string_equal(got, want);
	free(got);
}

static void test_path_join(void **state)
{
	(void)state;
	assert_joins("content", "articles/x.md", "content/articles/x.md");
	assert_joins("content/", "x.md", "content/x.md");
	assert_joins("/", "x", "/x");
	assert_joins("", "x", "x");
	assert_joins("a", "", "a/");
	assert_joins("", "", "");
	/* longer than any first guess at a size */
	char a[300], b[300], want[602];
	memset(a, 'a', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memset(b, 'b', sizeof b - 1);
	b[sizeof b - 1] = '\0';
	snprintf(want, sizeof want, "%s/%s", a, b);
	assert_joins(a, b, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
