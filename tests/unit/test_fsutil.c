/* fsutil.c: paths joined with one '/' between their parts; trees
 * removed without following a symbolic link out of them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"
#include "testdir.h"

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

static void put(const char *dir, const char *rel, const char *text)
{
	char *path = path_join(dir, rel);
	assert_int_equal(write_file(path, text, strlen(text)), 0);
	free(path);
}

static bool exists(const char *dir, const char *rel)
{
	struct stat st;
	char *path = path_join(dir, rel);
	bool found = lstat(path, &st) == 0;
	free(path);
	return found;
}

static void test_remove_tree(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(testdir_make(dir, sizeof dir, "fsutil"), 0);
	char *tree = path_join(dir, "tree");
	char *keep = path_join(dir, "keep");
	/* A tree of files and folders, some empty, with links out of it to a
	 * folder and a file that must survive. */
	const char *const dirs[] = {"tree", "tree/a", "tree/a/b", "tree/a/b/c",
				    "tree/empty", "keep"};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *path = path_join(dir, dirs[i]);
		assert_int_equal(mkdir(path, 0777), 0);
		free(path);
	}
	put(dir, "keep/kept.txt", "kept");
	char many[64];
	for (int i = 0; i < 300; i++) {
		snprintf(many, sizeof many, "tree/a/b/f%d.html", i);
		put(dir, many, "x");
	}
	put(dir, "tree/top.txt", "top");
	put(dir, "tree/a/b/c/deep.txt", "deep");
	char *link_dir = path_join(tree, "a/to-keep");
	char *link_file = path_join(tree, "to-kept-file");
	assert_int_equal(symlink(keep, link_dir), 0);
	char *kept_file = path_join(keep, "kept.txt");
	assert_int_equal(symlink(kept_file, link_file), 0);

	assert_int_equal(remove_tree(tree), 0);
	assert_false(exists(dir, "tree"));
	assert_true(exists(dir, "keep/kept.txt"));
	/* Gone already, or never there: success. */
	assert_int_equal(remove_tree(tree), 0);
	/* A file on its own. */
	assert_int_equal(remove_tree(kept_file), 0);
	assert_false(exists(dir, "keep/kept.txt"));
	assert_int_equal(remove_tree(dir), 0);
	assert_false(exists(dir, ""));
	free(kept_file);
	free(link_dir);
	free(link_file);
	free(tree);
	free(keep);
}

/* A stamp tells a file from itself changed, written anew or linked
 * again; a file changed in the clock's tick its stamp is taken against
 * gets none, since a change in that tick could leave it the same. */
static void test_file_stamps(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(testdir_make(dir, sizeof dir, "stamps"), 0);
	char *path = path_join(dir, "f.txt"), *other = path_join(dir, "g.txt");
	uint64_t before = file_stamp_clock();
	put(dir, "f.txt", "one");
	struct file_stamp none = {0, 0, 0, 0};
	struct file_stamp racy = file_stamp_settled(path, before);
	assert_false(file_stamp_equal(&racy, &racy));
	assert_false(file_stamp_equal(&none, &none));
	while (file_stamp_clock() < before + 50000000u) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	struct file_stamp s = file_stamp_settled(path, file_stamp_clock());
	struct file_stamp again = file_stamp_at(path);
	assert_true(s.ino != 0);
	assert_true(file_stamp_equal(&s, &again));
	/* The same bytes written again, a second link, or no file. */
	put(dir, "f.txt", "one");
	again = file_stamp_at(path);
	assert_false(file_stamp_equal(&s, &again));
	s = file_stamp_settled(path, file_stamp_clock() + 50000000u);
	assert_true(link(path, other) == 0);
	again = file_stamp_at(path);
	assert_false(file_stamp_equal(&s, &again));
	assert_int_equal(unlink(path), 0);
	again = file_stamp_at(path);
	assert_false(file_stamp_equal(&s, &again));
	assert_int_equal(remove_tree(dir), 0);
	free(path);
	free(other);
}

/* A file just written is stamped against file_stamp_clock_past, which
 * waits for the tick it was written in to pass: against the clock read
 * at once, as often as not it would get no stamp. */
static void test_clock_past_a_fresh_file(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(testdir_make(dir, sizeof dir, "past"), 0);
	char *path = path_join(dir, "f.txt");
	for (int i = 0; i < 20; i++) {
		put(dir, "f.txt", i % 2 ? "one" : "two");
		uint64_t since = file_stamp_clock_past(path);
		struct file_stamp s = file_stamp_settled(path, since);
		assert_true(s.ino != 0);
		struct file_stamp again = file_stamp_at(path);
		assert_true(file_stamp_equal(&s, &again));
	}
	/* No file: the clock as it is. */
	assert_int_equal(unlink(path), 0);
	uint64_t before = file_stamp_clock();
	assert_true(file_stamp_clock_past(path) >= before);
	assert_int_equal(remove_tree(dir), 0);
	free(path);
}

/* Leaves out names starting with 'x', and counts what it was shown. */
static bool keep_not_x(void *arg, const char *name, enum entry_type type)
{
	size_t *shown = arg;
	(*shown)++;
	if (strcmp(name, "sub") == 0)
		assert_int_equal(type, ENTRY_TYPE_DIR);
	else
		assert_int_equal(type, ENTRY_TYPE_FILE);
	return name[0] != 'x';
}

static void test_list_dir_kept(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(testdir_make(dir, sizeof dir, "fsutil"), 0);
	put(dir, "c.txt", "c");
	put(dir, "x1.txt", "x");
	put(dir, "a.txt", "a");
	put(dir, "x2.txt", "x");
	char *sub = path_join(dir, "sub");
	assert_int_equal(mkdir(sub, 0777), 0);
	char **names;
	enum entry_type *types;
	size_t n, shown = 0;
	assert_int_equal(list_dir_kept(dir, keep_not_x, &shown, &names,
				       &types, &n), 0);
	/* every entry shown, only those kept listed, in byte order */
	assert_int_equal(shown, 5);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "a.txt");
	assert_string_equal(names[1], "c.txt");
	assert_string_equal(names[2], "sub");
	assert_int_equal(types[0], ENTRY_TYPE_FILE);
	assert_int_equal(types[2], ENTRY_TYPE_DIR);
	names_free(names, n);
	free(types);
	/* without a filter, all of them */
	assert_int_equal(list_dir_kept(dir, NULL, NULL, &names, &types, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(names[4], "x2.txt");
	names_free(names, n);
	free(types);
	free(sub);
	assert_int_equal(remove_tree(dir), 0);
}

/* A file mapped is its bytes, with their length and no more; an empty
 * file is an empty string, and a folder, a file over the limit or no
 * file is refused with the reason in errno. */
static void test_mapped_file(void **state)
{
	(void)state;
	char dir[256];
	assert_int_equal(testdir_make(dir, sizeof dir, "fsutil"), 0);
	put(dir, "a.js", "GLOSS(\"a\");\n");
	put(dir, "empty.js", "");
	char *a = path_join(dir, "a.js"), *empty = path_join(dir, "empty.js");
	char *missing = path_join(dir, "missing.js");
	struct mapped_file m;
	assert_int_equal(mapped_file_open(a, 1 << 20, &m), 0);
	assert_int_equal(m.len, 12);
	assert_memory_equal(m.data, "GLOSS(\"a\");\n", 12);
	mapped_file_release(&m);
	assert_null(m.data);
	assert_int_equal(m.len, 0);
	assert_int_equal(mapped_file_open(empty, 1 << 20, &m), 0);
	assert_int_equal(m.len, 0);
	assert_string_equal(m.data, "");
	mapped_file_release(&m);
	assert_int_equal(mapped_file_open(a, 11, &m), -1);
	assert_int_equal(errno, EFBIG);
	assert_null(m.data);
	assert_int_equal(mapped_file_open(dir, 1 << 20, &m), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(mapped_file_open(missing, 1 << 20, &m), -1);
	assert_int_equal(errno, ENOENT);
	free(a);
	free(empty);
	free(missing);
	assert_int_equal(remove_tree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join),
		cmocka_unit_test(test_remove_tree),
		cmocka_unit_test(test_list_dir_kept),
		cmocka_unit_test(test_file_stamps),
		cmocka_unit_test(test_clock_past_a_fresh_file),
		cmocka_unit_test(test_mapped_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
