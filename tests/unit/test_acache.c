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
	size_t n = c.base.count;
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
	assert_int_equal(c.base.count, 3);
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
	assert_int_equal(c.base.count, 1);
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
	assert_int_equal(c.base.count, 4);
	assert_record(&c, 10, "ten");
	assert_record(&c, 20, "");
	assert_record(&c, 30, "thirty");
	assert_record(&c, 40, "forty");
	acache_release(&c);
	/* A record of the file copied, not kept where it is, leaves the
	 * file alone when it holds the same bytes (as the layout's
	 * records, made again at every build); other bytes replace it. */
	static const char *const thirties[] = {"thirty", "THIRTY"};
	for (int k = 0; k < 2; k++) {
		acache_open(&c, content, "annotations", 7, true);
		acache_prepare(&c, 4, 1);
		static const uint64_t keys[] = {10, 20, 30, 40};
		for (size_t i = 0; i < 4; i++) {
			size_t len;
			const unsigned char *r = acache_get(&c, keys[i], &len);
			assert_non_null(r);
			if (keys[i] == 30)
				acache_put(&c, 0, i, keys[i], thirties[k], 6);
			else
				acache_put(&c, 0, i, keys[i], r, len);
		}
		before = file_stat();
		acache_close_file(&c);
		acache_save(&c);
		acache_release(&c);
		after = file_stat();
		if (k == 0)
			assert_int_equal(after.st_ino, before.st_ino);
		else
			assert_int_not_equal(after.st_ino, before.st_ino);
	}
	assert_int_equal(records(7), 4);
	acache_open(&c, content, "annotations", 7, true);
	assert_record(&c, 30, "THIRTY");
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
	assert_int_equal(c.base.count, 0);
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
	assert_true(c.fresh[2].data < c.base.data ||
		    c.fresh[2].data >= c.base.data + c.base.len);
	acache_close_file(&c);
	/* Nothing is looked up any more, but the records still read. */
	assert_null(acache_get(&c, 30, &len));
	assert_memory_equal(c.fresh[0].data, "thirty", 6);
	acache_save(&c);
	assert_null(c.base.data);
	acache_release(&c);

	acache_open(&c, content, "annotations", 7, true);
	assert_int_equal(c.base.count, 3);
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
	assert_int_equal(c.base.count, N - 1);
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
	assert_int_equal(c.base.count, N);
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
	assert_int_equal(c.base.count, 4);
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

/* ---- the small file beside the cache file (ACACHE_DELTA) ---- */

/* The path of the cache file of kind "deltas", with SUFFIX after it. */
static char *delta_kind_path(const char *suffix)
{
	char dir[80];
	snprintf(dir, sizeof dir, "%s/cache/gloss", root);
	char **names;
	size_t n;
	assert_int_equal(list_dir(dir, &names, &n), 0);
	char *path = NULL;
	for (size_t i = 0; i < n && !path; i++) {
		const char *dot = strstr(names[i], ".deltas");
		if (dot && strcmp(dot + strlen(".deltas"), "") == 0) {
			char *base = path_join(dir, names[i]);
			size_t len = strlen(base) + strlen(suffix) + 1;
			path = malloc(len);
			snprintf(path, len, "%s%s", base, suffix);
			free(base);
		}
	}
	names_free(names, n);
	assert_non_null(path);
	return path;
}

/* The inode of the cache file (SUFFIX "") or of the small file beside it
 * (ACACHE_DELTA); 0 when there is none. */
static ino_t delta_kind_inode(const char *suffix)
{
	char *path = delta_kind_path(suffix);
	struct stat st;
	ino_t ino = stat(path, &st) == 0 ? st.st_ino : 0;
	free(path);
	return ino;
}

/* A run of the "deltas" cache: the records under the COUNT keys at KEEP
 * as the files read hold them (they must), and under the FRESH_COUNT
 * keys at FRESH new records "nK". */
static void delta_run(const uint64_t *keep, size_t count,
		      const uint64_t *fresh, size_t fresh_count)
{
	struct acache c;
	acache_open(&c, content, "deltas", 21, true);
	acache_prepare(&c, count + fresh_count, 2);
	for (size_t i = 0; i < count; i++) {
		size_t len = 0;
		const unsigned char *r = acache_get(&c, keep[i], &len);
		if (!r)
			fail_msg("key %llu not found", (unsigned long long)keep[i]);
		acache_put(&c, (unsigned)(i % 2), i, keep[i], r, len);
	}
	for (size_t i = 0; i < fresh_count; i++) {
		char own[32];
		int n = snprintf(own, sizeof own, "n%llu",
				 (unsigned long long)fresh[i]);
		acache_put(&c, 0, count + i, fresh[i], own, (size_t)n);
	}
	acache_close_file(&c);
	acache_save(&c);
	acache_release(&c);
}

/* Keys FROM to TO, in *KEYS (freed by the caller); their count. */
static size_t key_range(uint64_t from, uint64_t to, uint64_t **keys)
{
	*keys = calloc(to - from + 1, sizeof **keys);
	for (uint64_t k = from; k <= to; k++)
		(*keys)[k - from] = k;
	return (size_t)(to - from + 1);
}

/* Whether the "deltas" cache holds WANT under KEY (NULL: nothing). */
static void expect_delta_record(uint64_t key, const char *want)
{
	struct acache c;
	acache_open(&c, content, "deltas", 21, true);
	size_t len = 0;
	const unsigned char *r = acache_get(&c, key, &len);
	if (!want) {
		if (r)
			fail_msg("key %llu found", (unsigned long long)key);
	} else if (!r || len != strlen(want) || memcmp(r, want, len) != 0) {
		fail_msg("key %llu: not \"%s\"", (unsigned long long)key, want);
	}
	acache_release(&c);
}

/* The cache file with 64 records, keys 1 to 64 ("n1" to "n64"). */
static void delta_base(void)
{
	uint64_t *keys;
	size_t n = key_range(1, 64, &keys);
	delta_run(NULL, 0, keys, n);
	free(keys);
	char *path = delta_kind_path(ACACHE_DELTA);
	unlink(path);
	free(path);
}

static void delta_cleanup(void)
{
	char *path = delta_kind_path(ACACHE_DELTA);
	unlink(path);
	free(path);
	path = delta_kind_path("");
	unlink(path);
	free(path);
}

/* The cache file with keys 1 to 64, and a run that keeps 2 to 64 (in
 * *KEEP, freed by the caller) and adds 100: the small file holds it. */
static size_t delta_with_hundred(uint64_t **keep)
{
	delta_base();
	size_t n = key_range(2, 64, keep);
	uint64_t hundred[] = {100};
	delta_run(*keep, n, hundred, 1);
	return n;
}

/* A run that adds a record or two to the many the cache file holds
 * writes them to the small file beside it, and leaves the cache file
 * as it is; a record no longer used stays there, and is still found.
 * The small file is left alone when it holds what it would be written
 * with, and goes when no record is beside the file. */
static void test_few_new_records_saved_beside_the_file(void **state)
{
	(void)state;
	delta_base();
	ino_t base = delta_kind_inode("");
	uint64_t *keep;
	size_t n = key_range(2, 64, &keep);
	uint64_t hundred[] = {100}, both[] = {100, 101};

	delta_run(keep, n, hundred, 1);
	assert_int_equal(delta_kind_inode(""), base);
	ino_t delta = delta_kind_inode(ACACHE_DELTA);
	assert_int_not_equal(delta, 0);
	expect_delta_record(100, "n100");
	expect_delta_record(1, "n1");
	expect_delta_record(64, "n64");
	expect_delta_record(101, NULL);

	/* the same records again, 100 from the small file */
	uint64_t *keep100;
	size_t n100 = key_range(2, 64, &keep100);
	keep100 = realloc(keep100, (n100 + 1) * sizeof *keep100);
	keep100[n100++] = 100;
	delta_run(keep100, n100, NULL, 0);
	assert_int_equal(delta_kind_inode(""), base);
	assert_int_equal(delta_kind_inode(ACACHE_DELTA), delta);

	/* one more: the small file holds both */
	delta_run(keep100, n100, both + 1, 1);
	assert_int_equal(delta_kind_inode(""), base);
	assert_int_not_equal(delta_kind_inode(ACACHE_DELTA), 0);
	expect_delta_record(100, "n100");
	expect_delta_record(101, "n101");

	/* every record the cache file's: the small file goes */
	uint64_t *all;
	size_t n_all = key_range(1, 64, &all);
	delta_run(all, n_all, NULL, 0);
	assert_int_equal(delta_kind_inode(""), base);
	assert_int_equal(delta_kind_inode(ACACHE_DELTA), 0);
	expect_delta_record(100, NULL);
	expect_delta_record(7, "n7");

	/* A record put anew under a key the cache file holds goes beside
	 * it, and is the one found (as a capture's stamp, kept by the
	 * capture's name, changes when it is edited). */
	struct acache c;
	acache_open(&c, content, "deltas", 21, true);
	acache_prepare(&c, n_all, 1);
	for (size_t i = 0; i < n_all; i++) {
		size_t len = 0;
		const unsigned char *r = acache_get(&c, all[i], &len);
		assert_non_null(r);
		if (all[i] == 5)
			acache_put(&c, 0, i, 5, "five!", 5);
		else
			acache_put(&c, 0, i, all[i], r, len);
	}
	acache_close_file(&c);
	acache_save(&c);
	acache_release(&c);
	assert_int_equal(delta_kind_inode(""), base);
	assert_int_not_equal(delta_kind_inode(ACACHE_DELTA), 0);
	expect_delta_record(5, "five!");
	free(all);
	free(keep100);
	free(keep);
	delta_cleanup();
}

/* Past an eighth of the cache file's records, new ones or unused ones,
 * the records are written whole, and the small file goes. */
static void test_many_changes_rewrite_the_file(void **state)
{
	(void)state;
	uint64_t *keep, *fresh;
	size_t n = delta_with_hundred(&keep);
	ino_t base = delta_kind_inode("");
	assert_int_not_equal(delta_kind_inode(ACACHE_DELTA), 0);

	/* 9 new of 64: more than an eighth */
	size_t nf = key_range(200, 208, &fresh);
	delta_run(keep, n, fresh, nf);
	assert_int_not_equal(delta_kind_inode(""), base);
	assert_int_equal(delta_kind_inode(ACACHE_DELTA), 0);
	struct acache c;
	acache_open(&c, content, "deltas", 21, true);
	assert_int_equal(c.base.count, 63 + 9);
	assert_int_equal(c.delta.count, 0);
	acache_release(&c);
	expect_delta_record(1, NULL);
	expect_delta_record(100, NULL);
	expect_delta_record(204, "n204");

	/* 60 of its 72 used: 12 unused, more than an eighth */
	base = delta_kind_inode("");
	delta_run(keep, 60, NULL, 0);
	assert_int_not_equal(delta_kind_inode(""), base);
	acache_open(&c, content, "deltas", 21, true);
	assert_int_equal(c.base.count, 60);
	acache_release(&c);
	expect_delta_record(204, NULL);
	expect_delta_record(61, "n61");

	/* 4 unused and 4 new, of 64: an eighth each, the file stays */
	delta_base();
	base = delta_kind_inode("");
	delta_run(keep + 3, n - 3, fresh, 4);
	assert_int_equal(delta_kind_inode(""), base);
	expect_delta_record(203, "n203");
	expect_delta_record(2, "n2");
	free(fresh);
	free(keep);
	delta_cleanup();
}

/* The small file is read only beside the cache file it was written
 * for, and only whole, as the cache file itself. */
static void test_small_file_read_only_with_its_own(void **state)
{
	(void)state;
	uint64_t *keep, *fresh;
	size_t n = delta_with_hundred(&keep);
	char *path = delta_kind_path(ACACHE_DELTA);
	char *data;
	size_t len;
	assert_int_equal(read_file(path, 1 << 20, &data, &len), 0);

	data[len - 1] ^= 1;
	assert_int_equal(write_file(path, data, len), 0);
	expect_delta_record(100, NULL);
	expect_delta_record(5, "n5");
	data[len - 1] ^= 1;
	assert_int_equal(write_file(path, data, len), 0);
	expect_delta_record(100, "n100");

	/* the cache file written whole: the small file made for the one
	 * before, put back, is not read */
	size_t nf = key_range(200, 208, &fresh);
	delta_run(keep, n, fresh, nf);
	assert_int_equal(delta_kind_inode(ACACHE_DELTA), 0);
	assert_int_equal(write_file(path, data, len), 0);
	expect_delta_record(100, NULL);
	expect_delta_record(205, "n205");
	free(data);
	free(path);
	free(fresh);
	free(keep);
	delta_cleanup();
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
		cmocka_unit_test(test_few_new_records_saved_beside_the_file),
		cmocka_unit_test(test_many_changes_rewrite_the_file),
		cmocka_unit_test(test_small_file_read_only_with_its_own),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
