/* gitlib: libgit2 loaded on demand, and what is said when it cannot be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "gitlib.h"

/* Loading SONAME fails, and the message says WHAT. */
static void expect_failure(const char *soname, const char *what)
{
	char *why = NULL;
	assert_false(gitlib_load_named(soname, &why));
	assert_non_null(why);
	assert_non_null(strstr(why, what));
	free(why);
}

/* A library that is not there: its name in the loader's message. */
static void test_missing_library(void **state)
{
	(void)state;
	expect_failure("libgloss-no-such-library.so.0",
		       "libgloss-no-such-library.so.0");
}

/* A library that is not libgit2: the first function it lacks named. */
static void test_library_without_the_functions(void **state)
{
	(void)state;
	expect_failure("libz.so.1", "git_libgit2_init");
}

/* libgit2 itself: every function found, and callable under its own
 * name; a failed load after it leaves those in place. */
static void test_libgit2(void **state)
{
	(void)state;
	const char *why = "unset";
	assert_true(gitlib_load(&why));
	assert_null(why);
	assert_true(gitlib_load(&why));
	assert_true(git_libgit2_init() > 0);
	assert_int_equal(git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT,
					  GIT_OBJECT_TREE, (size_t)1 << 20),
			 0);
	/* Only that option is passed on. */
	assert_int_equal(git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0), -1);
	expect_failure("libz.so.1", "git_libgit2_init");
	git_oid a, b;
	memset(&a, 0x11, sizeof a);
	memcpy(&b, &a, sizeof b);
	assert_true(git_oid_equal(&a, &b));
	char hex[GIT_OID_HEXSZ + 1];
	assert_string_equal(git_oid_tostr(hex, sizeof hex, &a),
			    "1111111111111111111111111111111111111111");
	git_repository *repo = NULL;
	assert_int_equal(git_repository_open_ext(&repo, "/",
						 GIT_REPOSITORY_OPEN_NO_SEARCH,
						 NULL),
			 GIT_ENOTFOUND);
	assert_true(git_libgit2_shutdown() >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_missing_library),
	    cmocka_unit_test(test_library_without_the_functions),
	    cmocka_unit_test(test_libgit2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
