/* The writer: files kept from the previous site say whether they were
 * touched (writer_emit_kept); and the walk of the previous site for
 * files gloss did not write:
 * started with the new folder, it is trusted at commit only for folders
 * that have not changed since; what the user added, removed or replaced
 * meanwhile is found again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "testdir.h"
#include "writer.h"

static char root[256];
static char *site;

static void put(const char *rel, const char *text)
{
	char *path = path_join(site, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(make_dirs(path), 0);
	*slash = '/';
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	free(path);
}

static bool exists(const char *rel)
{
	struct stat st;
	char *path = path_join(site, rel);
	bool there = lstat(path, &st) == 0;
	free(path);
	return there;
}

static ino_t inode(const char *rel)
{
	struct stat st;
	char *path = path_join(site, rel);
	assert_int_equal(lstat(path, &st), 0);
	free(path);
	return st.st_ino;
}

/* Writes the pages gloss writes here, and commits. */
static void write_pages(struct writer *w)
{
	writer_emit(w, "index.html", "<p>home</p>\n", 12);
	writer_emit(w, "articles/a.html", "<p>a</p>\n", 9);
	writer_emit(w, "articles/2008/index.html", "<p>2008</p>\n", 12);
	assert_int_equal(writer_commit(w), 0);
}

/* A site written by gloss, with files of the user's in its folders, left
 * long enough for every folder's stamp to settle. */
static int setup(void **state)
{
	(void)state;
	if (testdir_make(root, sizeof root, "writer") < 0)
		return -1;
	site = path_join(root, "out");
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	assert_int_equal(writer_open(&w, site, &d), 0);
	write_pages(&w);
	writer_release(&w);
	put("CNAME", "archive.example.org\n");
	put("articles/mine.txt", "mine\n");
	put("articles/2008/mine.txt", "mine too\n");
	put("private/draft.html", "<p>draft</p>\n");
	/* A change in the clock tick a folder is stamped in leaves it
	 * unstamped, which makes the commit walk again: past it, the walk
	 * ahead is what the commit trusts. */
	struct timespec pause = {0, 50 * 1000 * 1000};
	nanosleep(&pause, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* A test that failed between writer_open and writer_release leaves
	 * the new folder too. */
	char *spare = path_join(root, "out.gloss-old");
	char *stage = path_join(root, "out.gloss-new");
	remove_tree(spare);
	remove_tree(stage);
	free(spare);
	free(stage);
	remove_tree(site);
	free(site);
	return rmdir(root);
}

/* A build of the site that, once the walk ahead is done, lets the user
 * change it (CHANGE, may be NULL), and then puts the new site in place
 * without an error. */
static void build_after(void (*change)(void))
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	assert_int_equal(writer_open(&w, site, &d), 0);
	writer_walk_wait(&w);
	if (change)
		change();
	write_pages(&w);
	writer_release(&w);
	assert_int_equal(d.errors, 0);
}

/* Nothing changes during the build: the user's files are carried as the
 * same files. */
static void files_found_ahead_are_carried(void **state)
{
	(void)state;
	ino_t cname = inode("CNAME"), mine = inode("articles/2008/mine.txt");
	build_after(NULL);
	assert_true(inode("CNAME") == cname);
	assert_true(inode("articles/2008/mine.txt") == mine);
	assert_true(exists("articles/mine.txt"));
	assert_true(exists("private/draft.html"));
}

/* The inode of the file add_remove_and_rename added. */
static ino_t late;

static void add_remove_and_rename(void)
{
	put("articles/2008/late.txt", "late\n");
	put("new/deep/later.txt", "later\n");
	char *gone = path_join(site, "articles/mine.txt");
	assert_int_equal(unlink(gone), 0);
	free(gone);
	char *draft = path_join(site, "private/draft.html");
	char *moved = path_join(site, "private/kept.html");
	assert_int_equal(rename(draft, moved), 0);
	free(draft);
	free(moved);
	late = inode("articles/2008/late.txt");
}

/* The user adds, removes and replaces files once the walk ahead is done:
 * the commit finds the site as it is then. */
static void changes_after_the_walk_are_found(void **state)
{
	(void)state;
	build_after(add_remove_and_rename);
	assert_true(exists("articles/2008/late.txt"));
	assert_true(inode("articles/2008/late.txt") == late);
	assert_true(exists("new/deep/later.txt"));
	assert_true(exists("private/kept.html"));
	assert_false(exists("private/draft.html"));
	assert_false(exists("articles/mine.txt"));
	assert_true(exists("articles/2008/mine.txt"));
	assert_true(exists("CNAME"));
}

static void remove_private(void)
{
	char *private = path_join(site, "private");
	assert_int_equal(remove_tree(private), 0);
	free(private);
}

/* A folder the user removes after the walk: what it held is not looked
 * for, and the build does not fail for it. */
static void a_folder_removed_after_the_walk_is_let_go(void **state)
{
	(void)state;
	build_after(remove_private);
	assert_false(exists("private"));
	assert_true(exists("CNAME"));
}

/* A build of the site's pages and of each of the N files named in
 * EXTRA, into the recycled folder when there is one. */
static void build_with_extra(const char *const *extra, size_t n)
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	assert_int_equal(writer_open(&w, site, &d), 0);
	/* In a job: their manifest lines have a tag and a key after a tab. */
	writer_job(&w, "extra", 1);
	for (size_t i = 0; i < n; i++)
		writer_emit(&w, extra[i], "x\n", 2);
	writer_job(&w, NULL, 0);
	write_pages(&w);
	writer_release(&w);
	assert_int_equal(d.errors, 0);
}

/* The recycled folder's files that the new site does not have go,
 * whether the manifest's lines are in their paths' order (walked side
 * by side) or not: "x" and "x\001" sort one way as paths and the other
 * as lines ("x" TAB ...), which the map handles. */
static void stale_files_go_in_any_order(void **state)
{
	(void)state;
	const char *plain[] = {"old.html", "keep.html"};
	const char *odd[] = {"x", "x\001"};
	for (int round = 0; round < 2; round++) {
		const char *const *extra = round ? odd : plain;
		build_with_extra(extra, 2);
		build_with_extra(extra, 2);
		assert_true(exists(extra[0]) && exists(extra[1]));
		/* The recycled folder is the site of the build before the
		 * last, which has both. */
		build_with_extra(extra + 1, 1);
		assert_false(exists(extra[0]));
		assert_true(exists(extra[1]));
		assert_true(exists("articles/a.html"));
	}
	/* The recycled folder's paths in order, the new site's not: none of
	 * the new site's files may go. */
	build_with_extra(odd, 1);
	build_with_extra(odd, 1);
	build_with_extra(odd, 2);
	assert_true(exists(odd[0]) && exists(odd[1]));
}

/* A build of the site's pages that keeps REL (LEN bytes) from the
 * previous site, or writes TEXT there when it is not NULL; *UNTOUCHED is
 * what writer_emit_kept said. */
static void build_keeping(const char *rel, size_t len, const char *text,
			  bool *untouched)
{
	struct diag d;
	diag_init(&d, stderr);
	struct writer w;
	assert_int_equal(writer_open(&w, site, &d), 0);
	if (text)
		writer_emit(&w, rel, text, strlen(text));
	else
		assert_true(writer_emit_kept(&w, rel, len, untouched));
	write_pages(&w);
	writer_release(&w);
	assert_int_equal(d.errors, 0);
}

/* A file kept from the previous site is untouched when the folder being
 * written, recycled, held it already: its stamp is as it was (the
 * search index keeps its recorded stamp then). One that the folder
 * held in another version is linked anew, which moves its change time;
 * so is every file kept into a new folder. */
static void kept_files_say_whether_they_were_touched(void **state)
{
	(void)state;
	bool untouched = true;
	build_keeping("k.html", 0, "v1", NULL);
	build_keeping("k.html", 0, "v1", NULL);
	ino_t v1 = inode("k.html");
	/* both folders hold v1's inode now */
	struct stat before, after;
	char *path = path_join(site, "k.html");
	assert_int_equal(lstat(path, &before), 0);
	build_keeping("k.html", 2, NULL, &untouched);
	assert_true(untouched);
	assert_int_equal(lstat(path, &after), 0);
	assert_true(after.st_ino == v1);
	assert_true(after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
		    after.st_ctim.tv_nsec == before.st_ctim.tv_nsec);

	/* v2 written; the recycled folder then holds v1, not v2 */
	build_keeping("k.html", 0, "v2", NULL);
	ino_t v2 = inode("k.html");
	build_keeping("k.html", 2, NULL, &untouched);
	assert_false(untouched);
	assert_true(inode("k.html") == v2);

	/* no folder to recycle: a new one, every kept file linked */
	char *spare = path_join(root, "out.gloss-old");
	assert_int_equal(remove_tree(spare), 0);
	free(spare);
	untouched = true;
	build_keeping("k.html", 2, NULL, &untouched);
	assert_false(untouched);
	assert_true(inode("k.html") == v2);
	free(path);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(files_found_ahead_are_carried),
		T(changes_after_the_walk_are_found),
		T(a_folder_removed_after_the_walk_is_let_go),
		T(stale_files_go_in_any_order),
		T(kept_files_say_whether_they_were_touched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
