/* Loading an archive (archive.h): what is refused in static/. */
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

/* Caught by the fuzz target's checks: the output's manifest lists one path a line, so a
 * static file named "a\nb" was listed as "a" and "b", and the next build
 * refused to overwrite the file it had written itself. */
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
	struct archive *a = archive_load(content, &d);
	fclose(out);
	assert_non_null(a);
	assert_int_equal(d.errors, 2);
	assert_non_null(strstr(log, "file name has a control character"));
	assert_int_equal(a->static_count, 1);
	assert_string_equal(a->static_files[0], "ok.txt");
	archive_free(a);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_static_name_with_control_char,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
