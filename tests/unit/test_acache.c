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
#include <sys/stat.h>
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

/* C holds the record WANT (its bytes, no NUL) under KEY. */
static void assert_record(const struct acache *c, uint64_t key,
			  const char *want)
{
	size_t len = 0;
	const unsigned char *r = acache_get(c, key, &len);
	assert_non_null(r);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(r, want, len);
}

static void test_records_read_back(void **state)
{
	(void)state;
	save_three(7);
	struct acache c;
	size_t len;
	acache_open(&c, content, "annotations", 7, true);
	assert_int_equal(c.count, 3);
	assert_record(&c, 30, "thirty");
	assert_record(&c, 10, "ten");
	assert_record(&c, 20, "");
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

/* The identity and modification time of the cache file. */
static struct stat file_stat(void)
{
	char *path = the_file();
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	free(path);
	return st;
}

/* Opens the cache saved by save_three and saves it again with its
 * records as read, plus EXTRA (NULL: none) under key 40. */
static void save_again(const char *extra)
{
	struct acache c;
	acache_open(&c, content, "annotations", 7, true);
	acache_prepare(&c, 4, 1);
	static const uint64_t keys[] = {20, 10, 30};
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		const unsigned char *r = acache_get(&c, keys[i], &len);
		assert_non_null(r);
		acache_put(&c, 0, i, keys[i], r, len);
	}
	if (extra)
		acache_put(&c, 0, 3, 40, extra, strlen(extra));
	acache_close_file(&c);
	acache_save(&c);
	acache_release(&c);
}

/* Saving the file's own records, every one, leaves the file alone (the
 * same inode: it is not written beside and renamed); one more record
 * and it is replaced, every record read back. */
static void test_unchanged_records_leave_the_file(void **state)
{
	(void)state;
	save_three(7);
	struct stat before = file_stat();
	save_again(NULL);
	struct stat after = file_stat();
	assert_int_equal(after.st_ino, before.st_ino);
	assert_int_equal(after.st_size, before.st_size);
	save_again("forty");
	after = file_stat();
	assert_int_not_equal(after.st_ino, before.st_ino);
	struct acache c;
	acache_open(&c, content, "annotations", 7, true);
	assert_int_equal(c.count, 4);
	assert_record(&c, 10, "ten");
	assert_record(&c, 20, "");
	assert_record(&c, 30, "thirty");
	assert_record(&c, 40, "forty");
	acache_release(&c);
	/* A record of the file copied, not kept where it is, is saved as
	 * a new file would hold it. */
	acache_open(&c, content, "annotations", 7, true);
	acache_prepare(&c, 4, 1);
	static const uint64_t keys[] = {10, 20, 30, 40};
	for (size_t i = 0; i < 4; i++) {
		size_t len;
		const unsigned char *r = acache_get(&c, keys[i], &len);
		assert_non_null(r);
		if (keys[i] == 30)
			acache_put(&c, 0, i, keys[i], "thirty", 6);
		else
			acache_put(&c, 0, i, keys[i], r, len);
	}
	before = file_stat();
	acache_close_file(&c);
	acache_save(&c);
	acache_release(&c);
	after = file_stat();
	assert_int_not_equal(after.st_ino, before.st_ino);
	assert_int_equal(records(7), 4);
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

/* A record kept from the file read is saved from the file, not copied,
 * after lookups have ended; the file stays mapped until then. */
static void test_kept_record_saved_from_file(void **state)
{
	(void)state;
	save_three(7);
	struct acache c;
	size_t len = 0, ten_len = 0;
	acache_open(&c, content, "annotations", 7, true);
	acache_prepare(&c, 3, 1);
	const unsigned char *thirty = acache_get(&c, 30, &len);
	const unsigned char *ten = acache_get(&c, 10, &ten_len);
	assert_non_null(thirty);
	assert_non_null(ten);
	acache_put(&c, 0, 0, 30, thirty, len);
	acache_put(&c, 0, 1, 10, ten, ten_len);
	acache_put(&c, 0, 2, 50, "fifty", 5);
	assert_ptr_equal(c.fresh[0].data, thirty);
	assert_ptr_equal(c.fresh[1].data, ten);
	assert_true(c.fresh[2].data < c.file ||
		    c.fresh[2].data >= c.file + c.file_len);
	acache_close_file(&c);
	/* Nothing is looked up any more, but the records still read. */
	assert_null(acache_get(&c, 30, &len));
	assert_memory_equal(c.fresh[0].data, "thirty", 6);
	acache_save(&c);
	assert_null(c.file);
	acache_release(&c);

	acache_open(&c, content, "annotations", 7, true);
	assert_int_equal(c.count, 3);
	assert_record(&c, 30, "thirty");
	assert_record(&c, 10, "ten");
	assert_record(&c, 50, "fifty");
	assert_null(acache_get(&c, 20, &len));
	acache_release(&c);
}

static uint64_t next_key(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Thousands of records in any slot order are found again by key: keys
 * of every kind of byte (some sharing all but their lowest, some equal,
 * one of them kept once), slots left empty, records from the file read
 * beside new ones. */
static void test_many_records_found_by_key(void **state)
{
	(void)state;
	enum { N = 5000 };
	uint64_t *keys = calloc(N, sizeof *keys), seed = 1;
	for (size_t i = 0; i < N; i++)
		keys[i] = i % 10 == 3 ? 0x0102030405060000ULL + i
				      : next_key(&seed);
	keys[N - 1] = keys[N - 2]; /* the same inputs, the same record */
	for (int round = 0; round < 2; round++) {
		struct acache c;
		acache_open(&c, content, "annotations", 9, true);
		acache_prepare(&c, N + 100, 2);
		for (size_t i = 0; i < N; i++) {
			size_t len = 0;
			const unsigned char *kept = acache_get(&c, keys[i], &len);
			char own[32];
			int n = snprintf(own, sizeof own, "r%zu",
					 i == N - 1 ? (size_t)N - 2 : i);
			if (round == 1)
				assert_non_null(kept);
			/* Slots in another order than keys (7919 is prime). */
			size_t slot = i * 7919 % N;
			if (kept && i % 2)
				acache_put(&c, (unsigned)(i % 2), slot, keys[i],
					   kept, len);
			else
				acache_put(&c, (unsigned)(i % 2), slot, keys[i],
					   own, (size_t)n);
		}
		acache_close_file(&c);
		acache_save(&c);
		acache_release(&c);
	}
	struct acache c;
	acache_open(&c, content, "annotations", 9, true);
	assert_int_equal(c.count, N - 1);
	for (size_t i = 0; i < N; i++) {
		size_t len = 0;
		const unsigned char *r = acache_get(&c, keys[i], &len);
		char own[32];
		size_t want = i == N - 1 ? N - 2 : i;
		int n = snprintf(own, sizeof own, "r%zu", want);
		if (!r || len != (size_t)n || memcmp(r, own, len) != 0)
			fail_msg("record %zu (key %016llx) not read back", i,
				 (unsigned long long)keys[i]);
	}
	acache_release(&c);
	free(keys);
}

/* Lookups guess a key's place from its value: keys spread as unevenly
 * as they can be (powers of two, and a run of neighbours at the top)
 * are all found, and keys that are not there, between, below and above
 * them, 0 and the largest included, are not. */
static void test_uneven_keys_and_absent_keys(void **state)
{
	(void)state;
	enum { RUN = 200, N = 63 + RUN };
	uint64_t keys[N];
	for (size_t i = 0; i < 63; i++)
		keys[i] = (uint64_t)1 << i; /* 1, 2, 4, ... 2^62 */
	for (size_t i = 0; i < RUN; i++)
		keys[63 + i] = UINT64_MAX - 2 * (RUN - i); /* odd gaps of 2 */
	struct acache c;
	acache_open(&c, content, "annotations", 11, true);
	acache_prepare(&c, N, 1);
	for (size_t i = 0; i < N; i++) {
		char own[32];
		int n = snprintf(own, sizeof own, "k%zu", i);
		acache_put(&c, 0, i, keys[i], own, (size_t)n);
	}
	acache_save(&c);
	acache_release(&c);

	acache_open(&c, content, "annotations", 11, true);
	assert_int_equal(c.count, N);
	for (size_t i = 0; i < N; i++) {
		size_t len = 0;
		const unsigned char *r = acache_get(&c, keys[i], &len);
		char own[32];
		int n = snprintf(own, sizeof own, "k%zu", i);
		if (!r || len != (size_t)n || memcmp(r, own, len) != 0)
			fail_msg("key %016llx not found",
				 (unsigned long long)keys[i]);
	}
	uint64_t absent[] = {0, 3, 5, 6, 7, ((uint64_t)1 << 62) + 1,
			     ((uint64_t)1 << 62) - 1, UINT64_MAX,
			     UINT64_MAX - 1, UINT64_MAX - 3,
			     UINT64_MAX - 2 * RUN - 1, UINT64_MAX - 2 * RUN + 1};
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++) {
		size_t len = 0;
		if (acache_get(&c, absent[i], &len))
			fail_msg("key %016llx found, but not saved",
				 (unsigned long long)absent[i]);
	}
	acache_release(&c);
}

/* Records the caller keeps (acache_put_kept) are saved from where they
 * are, beside copied ones and an empty one, and read back as they were
 * at the save. */
static void test_kept_records_saved_from_the_caller(void **state)
{
	(void)state;
	char big[5000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	char small[] = "small";
	struct acache c;
	acache_open(&c, content, "annotations", 12, true);
	acache_prepare(&c, 4, 1);
	acache_put_kept(&c, 0, 7, big, sizeof big);
	acache_put(&c, 0, 1, 3, "copied", 6);
	acache_put_kept(&c, 2, 5, small, 5);
	acache_put_kept(&c, 3, 9, NULL, 0);
	acache_save(&c);
	acache_release(&c);
	big[0] = small[0] = 'X'; /* after the save: not in the file */

	acache_open(&c, content, "annotations", 12, true);
	assert_int_equal(c.count, 4);
	size_t len = 0;
	const unsigned char *r = acache_get(&c, 7, &len);
	assert_non_null(r);
	assert_int_equal(len, sizeof big);
	assert_int_equal(r[0], 'a');
	assert_memory_equal(r + 1, big + 1, sizeof big - 1);
	r = acache_get(&c, 5, &len);
	assert_non_null(r);
	assert_int_equal(len, 5);
	assert_memory_equal(r, "small", 5);
	r = acache_get(&c, 3, &len);
	assert_non_null(r);
	assert_memory_equal(r, "copied", 6);
	r = acache_get(&c, 9, &len);
	assert_non_null(r);
	assert_int_equal(len, 0);
	acache_release(&c);
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
		cmocka_unit_test(test_uneven_keys_and_absent_keys),
		cmocka_unit_test(test_kept_records_saved_from_the_caller),
		cmocka_unit_test(test_no_cache_folder),
		cmocka_unit_test(test_record_outlives_save),
		cmocka_unit_test(test_kept_record_saved_from_file),
		cmocka_unit_test(test_many_records_found_by_key),
		cmocka_unit_test(test_unchanged_records_leave_the_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
