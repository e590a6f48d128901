/* IDs: what may name an entry, and the renames gloss suggests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "annotate.h"
#include "ids.h"

static void test_valid_ids(void **state)
{
	(void)state;
	const char *ok[] = {"hamas", "2023-12-week-long-truce", "a", "x1-2-3",
			    NULL};
	for (size_t i = 0; ok[i]; i++)
		assert_null(id_problem(ok[i], strlen(ok[i])));
}

static void test_invalid_ids(void **state)
{
	(void)state;
	assert_string_equal(id_problem("", 0), "it is empty");
	assert_string_equal(id_problem("Hamas", 5), "it has uppercase letters");
	assert_string_equal(id_problem("-hamas", 6),
			    "it starts or ends with a hyphen");
	assert_string_equal(id_problem("hamas-", 6),
			    "it starts or ends with a hyphen");
	assert_string_equal(id_problem("a--b", 4), "it has two hyphens in a row");
	const char *bad[] = {"a_b", "a.b", "a/b", "..", "a b", "caf\xc3\xa9", NULL};
	for (size_t i = 0; bad[i]; i++)
		assert_string_equal(id_problem(bad[i], strlen(bad[i])),
				    "it may hold only lowercase letters a-z, "
				    "digits and single hyphens");
}

static void test_length_limit(void **state)
{
	(void)state;
	char id[ID_MAX_LEN + 2];
	memset(id, 'a', sizeof id);
	assert_null(id_problem(id, ID_MAX_LEN));
	assert_string_equal(id_problem(id, ID_MAX_LEN + 1),
			    "it is longer than 100 characters");
}

static void test_reserved_pages(void **state)
{
	(void)state;
	const char *reserved[] = {"index", "positions", "timeline", "search",
				  "changes", "404", "articles", "parties",
				  "proposals", "static", "assets", NULL};
	for (size_t i = 0; reserved[i]; i++)
		assert_true(id_is_reserved_page(reserved[i]));
	assert_false(id_is_reserved_page("about"));
	assert_false(id_is_reserved_page("indexes"));
}

static void test_suggestions(void **state)
{
	(void)state;
	struct {
		const char *in, *out;
	} cases[] = {
		{"Truce Talks_2008", "truce-talks-2008"},
		{"--Hamas--", "hamas"},
		{"a..b", "a-b"},
		{"\xc3\xa9\xc3\xa9", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = id_suggest(cases[i].in, strlen(cases[i].in));
		assert_string_equal(s, cases[i].out);
		if (s[0])
			assert_null(id_problem(s, strlen(s)));
		free(s);
	}
}

static void test_passage_slug(void **state)
{
	(void)state;
	const char *p = "\"This is not a time for truce,\" he told the AP.";
	char *a = passage_slug(p, strlen(p));
	char *b = passage_slug(p, strlen(p));
	/* Stable: the same passage gives the same id, made of its first
	 * words and a hash of all of it. */
	assert_string_equal(a, b);
	assert_int_equal(strncmp(a, "this-is-not-a-time-for-", 23), 0);
	assert_int_equal(strlen(a), strlen("this-is-not-a-time-for-") + 6);
	const char *q = "\"This is not a time for truce,\" he told AP.";
	char *c = passage_slug(q, strlen(q));
	assert_string_not_equal(a, c);
	char *d = passage_slug("\xe2\x80\x94 !!", 5);
	assert_int_equal(strncmp(d, "passage-", 8), 0);
	free(a);
	free(b);
	free(c);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_ids),
		cmocka_unit_test(test_invalid_ids),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_reserved_pages),
		cmocka_unit_test(test_suggestions),
		cmocka_unit_test(test_passage_slug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
