/* The annotation cache's file (acache.h): records read back as saved,
 * and a file that is not exactly as saved, cut anywhere or with any byte
 * changed, or saved for other inputs, gives no record at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "acache.h"
#include "fsutil.h"

static char root[] = "/tmp/gloss-acache-XXXXXX";
static char *content;

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	char cache[64];
	snprintf(cache, sizeof cache, "%s/cache", root);
	setenv("XDG_CACHE_HOME", cache, 1);
	content = path_join(root, "content");
	return make_dirs(content);
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(root);
	free(content);
	return 0;
}

/* Saves three records, keys 30, 10 and 20 (in that slot order, from two
 * workers), and one slot left empty. */
static void save_three(uint64_t global)
{
	struct acache c;
	acache_open(&c, content, "annotations", global, true);
	acache_prepare(&c, 4, 2);
	acache_put(&c, 0, 0, 30, "thirty", 6);
	acache_put(&c, 1, 2, 10, "ten", 3);
	acache_put(&c, 0, 3, 20, "", 0);
	acache_save(&c);
	acache_release(&c);
}

static size_t records(uint64_t global)
{
	struct acache c;
	acache_open(&c, content, "annotations", global, true);
	size_t n = c.count;
	acache_release(&c);
	return n;
}

static char *the_file(void)
{
	char dir[80];
	snprintf(dir, sizeof dir, "%s/cache/gloss", root);
	char **names;
	size_t n;
	assert_int_equal(list_dir(dir, &names, &n), 0);
	assert_int_equal(n, 1);
	char *path = path_join(dir, names[0]);
	names_free(names, n);
	return path;
}

static void test_records_read_back(void **state)
{
	(void)state;
	save_three(7);
	struct acache c;
	size_t len;
	acache_open(&c, content, "annotations", 7, true);
	assert_int_equal(c.count, 3);
	const unsigned char *r = acache_get(&c, 30, &len);
	assert_non_null(r);
	assert_int_equal(len, 6);
	assert_memory_equal(r, "thirty", 6);
	r = acache_get(&c, 10, &len);
	assert_non_null(r);
	assert_int_equal(len, 3);
	assert_memory_equal(r, "ten", 3);
	assert_non_null(acache_get(&c, 20, &len));
	assert_int_equal(len, 0);
	assert_null(acache_get(&c, 15, &len));
	assert_null(acache_get(&c, 40, &len));
	acache_release(&c);
}

/* A record read stays as it was read while the cache it came from is
 * saved over with other records (as a build saves it while pages still
 * use what it read), and the next open reads the new ones. */
static void test_record_outlives_save(void **state)
{
	(void)state;
	save_three(7);
	struct acache c;
	size_t len;
	acache_open(&c, content, "annotations", 7, true);
	const unsigned char *r = acache_get(&c, 30, &len);
	assert_non_null(r);
	acache_prepare(&c, 1, 1);
	acache_put(&c, 0, 0, 40, "forty!", 6);
	acache_save(&c);
	assert_int_equal(len, 6);
	assert_memory_equal(r, "thirty", 6);
	acache_release(&c);
	acache_open(&c, content, "annotations", 7, true);
	assert_int_equal(c.count, 1);
	assert_null(acache_get(&c, 30, &len));
	r = acache_get(&c, 40, &len);
	assert_non_null(r);
	assert_memory_equal(r, "forty!", 6);
	acache_release(&c);
}

static void test_other_inputs_no_records(void **state)
{
	(void)state;
	save_three(7);
	assert_int_equal(records(8), 0);
	/* and unused, nothing is read */
	struct acache c;
	size_t len;
	acache_open(&c, content, "annotations", 7, false);
	assert_int_equal(c.count, 0);
	assert_null(acache_get(&c, 30, &len));
	acache_release(&c);
}

static void test_spoilt_file_no_records(void **state)
{
	(void)state;
	save_three(7);
	char *path = the_file();
	char *data;
	size_t len;
	assert_int_equal(read_file(path, 1 << 20, &data, &len), 0);
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_equal(write_file(path, data, cut), 0);
		if (records(7) != 0)
			fail_msg("a file cut to %zu of %zu bytes gave records", cut,
				 len);
	}
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			data[i] ^= (char)(1 << bit);
			assert_int_equal(write_file(path, data, len), 0);
			data[i] ^= (char)(1 << bit);
			if (records(7) != 0)
				fail_msg("bit %d of byte %zu changed, and the file "
					 "gave records", bit, i);
		}
	}
	assert_int_equal(write_file(path, data, len), 0);
	assert_int_equal(records(7), 3);
	free(data);
	free(path);
}

/* Without a folder for caches nothing is read or saved. */
static void test_no_cache_folder(void **state)
{
	(void)state;
	char *xdg = strdup(getenv("XDG_CACHE_HOME"));
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	struct acache c;
	acache_open(&c, content, "annotations", 7, true);
	assert_null(c.path);
	acache_prepare(&c, 1, 1);
	acache_put(&c, 0, 0, 1, "x", 1);
	acache_save(&c);
	acache_release(&c);
	setenv("XDG_CACHE_HOME", xdg, 1);
	if (home)
		setenv("HOME", home, 1);
	free(xdg);
	free(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_read_back),
		cmocka_unit_test(test_other_inputs_no_records),
		cmocka_unit_test(test_spoilt_file_no_records),
		cmocka_unit_test(test_no_cache_folder),
		cmocka_unit_test(test_record_outlives_save),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
