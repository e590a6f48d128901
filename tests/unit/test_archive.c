/* Loading an archive (archive.h): names that are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "archive.h"
#include "fsutil.h"

static char *content;

static int setup(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/gloss-test-archive-XXXXXX";
	if (!mkdtemp(tmpl))
		return -1;
	content = strdup(tmpl);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(content);
	free(content);
	return 0;
}

static void put(const char *rel, const char *text)
{
	char *path = path_join(content, rel);
	char *dir = strdup(path);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(make_dirs(dir), 0);
	assert_int_equal(write_file(path, text, strlen(text)), 0);
	free(dir);
	free(path);
}

/* Caught by fuzz_archive's checks: the output's manifest lists one path
 * a line, so a static file named "a\nb" was listed as "a" and "b", and
 * the next build refused to overwrite the file it had written itself. */
static void test_static_name_with_control_char(void **state)
{
	(void)state;
	struct diag d;
	char *log = NULL;
	size_t log_len = 0;
	FILE *out = open_memstream(&log, &log_len);
	put("archive.yaml", "title: T\n");
	put("static/ok.txt", "x");
	put("static/a\nb", "x");
	put("static/tab\there.txt", "x");
	diag_init(&d, out);
	struct archive *a = archive_load(content, 2, &d);
	fclose(out);
	assert_non_null(a);
	assert_int_equal(d.errors, 2);
	assert_non_null(strstr(log, "file name has a control character"));
	assert_int_equal(a->static_count, 1);
	assert_string_equal(a->static_files[0], "ok.txt");
	archive_free(a);
	free(log);
}

/* Caught by fuzz_archive's checks: articles/index.html is the list of
 * articles, and an article with ID index took its place (parties and
 * proposals alike). */
static void test_entry_id_index(void **state)
{
	(void)state;
	struct diag d;
	char *log = NULL;
	size_t log_len = 0;
	FILE *out = open_memstream(&log, &log_len);
	put("archive.yaml", "title: T\n");
	put("articles/index.txt", "Headline\n");
	put("articles/index.md", "---\noutlet: O\ndate: 2008\n---\n");
	put("parties/index.md", "---\nname: P\n---\n");
	put("proposals/index.md", "---\ntitle: P\ndate: 2008\n---\n");
	diag_init(&d, out);
	struct archive *a = archive_load(content, 2, &d);
	fclose(out);
	assert_non_null(a);
	assert_int_equal(d.errors, 4);
	assert_non_null(strstr(log, "articles/index.md: error: ID 'index' is "
				    "taken by the list gloss generates in "
				    "articles/index.html"));
	assert_non_null(strstr(log, "parties/index.html"));
	assert_non_null(strstr(log, "proposals/index.html"));
	assert_int_equal(a->article_count, 0);
	assert_int_equal(a->party_count, 0);
	assert_int_equal(a->proposal_count, 0);
	archive_free(a);
	free(log);
}

/* Found by fuzz_archive: a capture whose first line is a control
 * character (BEL) took it for its title, and every list linked the
 * article with a link of no words. */
static void test_default_title_is_visible(void **state)
{
	(void)state;
	struct diag d;
	FILE *out = fopen("/dev/null", "w");
	put("archive.yaml", "title: T\n");
	put("articles/a.txt", "\a\n\xc2\x85\nThe headline\n");
	put("articles/a.md", "---\noutlet: O\ndate: 2008\n---\nIntro.\n");
	put("articles/b.txt", "\a\n");
	put("articles/b.md", "---\noutlet: O\ndate: 2008\n---\nIntro.\n");
	diag_init(&d, out);
	struct archive *a = archive_load(content, 2, &d);
	fclose(out);
	assert_non_null(a);
	assert_int_equal(d.errors, 0);
	assert_int_equal(a->article_count, 2);
	assert_string_equal(a->articles[0]->title, "The headline");
	assert_string_equal(a->articles[1]->title, "b");
	archive_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_static_name_with_control_char,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_id_index, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_default_title_is_visible,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
