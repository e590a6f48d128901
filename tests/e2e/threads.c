/* Pages render on several threads (-j): the site must be byte for byte
 * the one a single thread writes, manifest and sitemap included. */
#include "harness.h"

#include <setjmp.h>

#include <cmocka.h>

static char *xasprintf(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* The golden archive, with a base_url (so feed and sitemap are written)
 * and 300 more articles whose notes link parties, proposals and each
 * other, so that workers have many pages of every kind to share. */
static int setup(void **state)
{
	char *dir = temp_dir();
	char *cmd = xasprintf("cp -R tests/golden/basic/content '%s/content'", dir);
	int rc = system(cmd);
	free(cmd);
	put_file(dir, "content/archive.yaml",
		 "title: Threads\nbase_url: https://archive.example.org/\n", -1);
	for (int i = 0; i < 300; i++) {
		char *txt = xasprintf("content/articles/2010-%02d-bulk-%03d.txt",
				      i % 12 + 1, i);
		char *md = xasprintf("content/articles/2010-%02d-bulk-%03d.md",
				     i % 12 + 1, i);
		char *text = xasprintf(
		    "Bulk headline %d\n\nHamas said the offer %d was under "
		    "study.\n\nIsrael said talks would go on.\n", i, i);
		char *note = xasprintf(
		    "---\noutlet: Wire %d\ndate: 2010-%02d\n---\n"
		    "Intro to [](party:hamas).\n\n"
		    "> Hamas said the offer %d\n\nA note on [](party:gamma), [](proposal:2008-alpha-truce) "
		    "and [the previous one](article:2010-%02d-bulk-%03d).\n",
		    i % 7, i % 12 + 1, i, (i + 299) % 12 + 1, (i + 299) % 300);
		put_file(dir, txt, text, -1);
		put_file(dir, md, note, -1);
		free(txt);
		free(md);
		free(text);
		free(note);
	}
	*state = dir;
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	remove_dir(*state);
	free(*state);
	return 0;
}

static int build_with(const char *dir, const char *jobs, const char *out)
{
	char *content = xasprintf("%s/content", dir);
	char *output = xasprintf("%s/%s", dir, out);
	const char *args[] = {"build", "-C", content, "-t", "themes/default",
			      "-o", output, "-j", jobs, "-q", NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	if (status != 0)
		fprintf(stderr, "%s", r.err);
	run_result_free(&r);
	free(content);
	free(output);
	return status;
}

static int same_tree(const char *dir, const char *a, const char *b)
{
	char *cmd = xasprintf("diff -r '%s/%s' '%s/%s' >&2", dir, a, dir, b);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

static void any_thread_count_writes_the_same_bytes(void **state)
{
	const char *dir = *state;
	assert_int_equal(build_with(dir, "1", "one"), 0);
	assert_int_equal(build_with(dir, "2", "two"), 0);
	assert_int_equal(build_with(dir, "7", "seven"), 0);
	assert_true(path_exists(dir, "one/sitemap.xml"));
	assert_true(path_exists(dir, "one/articles/2010-01-bulk-000.html"));
	assert_int_equal(same_tree(dir, "one", "two"), 0);
	assert_int_equal(same_tree(dir, "one", "seven"), 0);
}

/* The manifest is sorted, whatever order the threads wrote in. */
static void manifest_is_sorted(void **state)
{
	const char *dir = *state;
	assert_int_equal(build_with(dir, "2", "sorted"), 0);
	char *manifest = get_file(dir, "sorted/.gloss-manifest");
	assert_non_null(manifest);
	size_t lines = 0;
	for (char *line = manifest, *next; *line; line = next) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		next = nl + 1;
		if (*next) {
			char *nl2 = strchr(next, '\n');
			assert_non_null(nl2);
			size_t a = (size_t)(nl - line), b = (size_t)(nl2 - next);
			int cmp = strncmp(line, next, a < b ? a : b);
			assert_true(cmp < 0 || (cmp == 0 && a < b));
		}
		lines++;
	}
	assert_true(lines > 600);
	free(manifest);
}

/* Articles and proposals are read, and articles annotated, on several
 * threads: the messages must come in the same order, with the same
 * counts, on any number. 40 broken articles each give a message while
 * reading (an unknown party) or while anchoring (a passage the text
 * lacks); 5 more link an unknown party; 10 broken proposals each name an
 * unknown party. */
static void any_thread_count_reports_the_same_messages(void **state)
{
	const char *dir = *state;
	char *root = xasprintf("%s/broken", dir);
	char *cmd = xasprintf("cp -R '%s/content' '%s'", dir, root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	for (int i = 0; i < 40; i++) {
		char *md = xasprintf("articles/2010-%02d-bulk-%03d.md", i % 12 + 1,
				     i * 7);
		char *note = i % 2
			? xasprintf("---\noutlet: Wire\ndate: 2010\nparties: "
				    "[nobody-%03d]\n---\nIntro.\n", i)
			: xasprintf("---\noutlet: Wire\ndate: 2010\n---\n"
				    "> words %03d the text lacks\n\nA note.\n", i);
		put_file(root, md, note, -1);
		free(md);
		free(note);
	}
	/* 5 more link an unknown party: found when links are checked. */
	static const int linking[] = {1, 50, 100, 150, 299};
	for (size_t i = 0; i < 5; i++) {
		char *md = xasprintf("articles/2010-%02d-bulk-%03d.md",
				     linking[i] % 12 + 1, linking[i]);
		char *text = xasprintf("---\noutlet: Wire\ndate: 2010\n---\n"
				       "Intro to [them](party:nobody-l%03d).\n",
				       linking[i]);
		put_file(root, md, text, -1);
		free(md);
		free(text);
	}
	for (int i = 0; i < 10; i++) {
		char *md = xasprintf("proposals/2010-broken-%02d.md", i);
		char *text = xasprintf("---\ntitle: Broken %d\ndate: 2010\n"
				       "proposed_by: [nobody-p%02d]\n---\n", i, i);
		put_file(root, md, text, -1);
		free(md);
		free(text);
	}
	char *content = root;
	char *first = NULL;
	const char *jobs[] = {"1", "2", "5"};
	for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
		char *out = xasprintf("%s/never", dir);
		const char *args[] = {"build", "-C", content, "-t",
				      "themes/default", "-o", out, "-j", jobs[j],
				      "--no-history", NULL};
		struct run_result r = run_gloss(args);
		assert_int_equal(r.status, 1);
		assert_false(path_exists(dir, "never"));
		assert_non_null(strstr(r.err, "\ngloss: 55 errors, "));
		free(out);
		if (!first) {
			first = strdup(r.err);
			/* As a single thread finds them: articles read in
			 * order (bulk-007, bulk-273: unknown parties), then
			 * proposals (2010-broken-00 to -09), then passages
			 * anchored (bulk-000), then links checked (bulk-001
			 * to bulk-299). */
			const char *order[] = {"bulk-007.md:", "bulk-273.md:",
					       "2010-broken-00.md:",
					       "2010-broken-09.md:",
					       "bulk-000.md:", "bulk-001.md:",
					       "bulk-050.md:", "bulk-299.md:"};
			const char *prev = first;
			for (size_t k = 0; k < sizeof order / sizeof *order;
			     k++) {
				const char *at = strstr(first, order[k]);
				if (!at || at < prev)
					fail_msg("%s is missing or out of order",
						 order[k]);
				prev = at;
			}
		} else {
			assert_string_equal(r.err, first);
		}
		run_result_free(&r);
	}
	free(first);
	free(root);
}

static void bad_job_counts_are_refused(void **state)
{
	const char *dir = *state;
	const char *bad[] = {"0", "x", "2000", "-3", ""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *content = xasprintf("%s/content", dir);
		const char *args[] = {"build", "-C", content, "-j", bad[i],
				      "-o", "/nonexistent/never", NULL};
		struct run_result r = run_gloss(args);
		assert_int_equal(r.status, 2);
		char *want = xasprintf("gloss: error: -j needs a number of threads "
				       "to build on, from 1 to 1024, not "
				       "'%s'\n", bad[i]);
		assert_non_null(strstr(r.err, want));
		free(want);
		run_result_free(&r);
		free(content);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(any_thread_count_writes_the_same_bytes),
		cmocka_unit_test(manifest_is_sorted),
		cmocka_unit_test(any_thread_count_reports_the_same_messages),
		cmocka_unit_test(bad_job_counts_are_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
