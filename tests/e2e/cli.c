/* End-to-end tests of what a build tells the editor: the summary, and
 * --quiet, --verbose and the progress line on a terminal. */
#include "harness.h"

#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#define CONTENT "tests/golden/basic/content"

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

static int setup(void **state)
{
	*state = temp_dir();
	return 0;
}

static int teardown(void **state)
{
	remove_dir(*state);
	free(*state);
	return 0;
}

static struct run_result build(const char *out, const char *flag)
{
	const char *args[] = {"build", "-C", CONTENT, "-t", "themes/default",
			      "-o", out, flag, NULL};
	return run_gloss(args);
}

/* The lines of the manifest: every file the build wrote. */
static size_t manifest_lines(const char *out, char ***lines)
{
	char *m = manifest_paths(out);
	size_t n = 0;
	*lines = NULL;
	assert_non_null(m);
	for (char *l = strtok(m, "\n"); l; l = strtok(NULL, "\n")) {
		*lines = realloc(*lines, (n + 1) * sizeof **lines);
		(*lines)[n++] = strdup(l);
	}
	free(m);
	return n;
}

static void free_lines(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* The summary counts what was written: files, rewritten and unchanged,
 * pages by kind (the golden archive has 2 articles, 3 parties, 1
 * proposal), notes, positions and mentions. */
static void summary_counts_what_was_written(void **state)
{
	char *out = xasprintf("%s/out", (char *)*state);
	struct run_result r = build(out, NULL);
	assert_int_equal(r.status, 0);
	char **lines;
	size_t n = manifest_lines(out, &lines);
	char *files = xasprintf("s: %zu files, %zu rewritten, 0 unchanged\n", n, n);
	char *head = xasprintf("gloss: built %s in ", out);
	assert_non_null(strstr(r.err, head));
	assert_non_null(strstr(r.err, files));
	assert_non_null(strstr(r.err, "\ngloss: pages: 2 articles, 3 parties, 1 "
				      "proposals, "));
	/* The search index line counts the index's files, whichever thread
	 * wrote them, and gives the entry file's size. */
	size_t index_files = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(lines[i], "search-index.js") == 0 ||
		    strncmp(lines[i], "search/", 7) == 0)
			index_files++;
	assert_true(index_files > 1);
	char *entry = xasprintf("%s/search-index.js", out);
	struct stat st;
	assert_int_equal(stat(entry, &st), 0);
	char *index_line = xasprintf(" bytes in %zu files; entry file %lld bytes,",
				     index_files, (long long)st.st_size);
	assert_non_null(strstr(r.err, index_line));
	free(index_line);
	free(entry);
	run_result_free(&r);
	/* Again: nothing changed, everything kept. */
	r = build(out, NULL);
	char *kept = xasprintf("s: %zu files, 0 rewritten, %zu unchanged\n", n, n);
	assert_non_null(strstr(r.err, kept));
	run_result_free(&r);
	free_lines(lines, n);
	free(files);
	free(head);
	free(kept);
	free(out);
}

/* --quiet: problems only. */
static void quiet_says_only_problems(void **state)
{
	char *out = xasprintf("%s/out", (char *)*state);
	struct run_result r = build(out, "--quiet");
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.err, "gloss: built"));
	assert_null(strstr(r.err, "gloss: pages"));
	/* The golden archive's warnings are still shown. */
	assert_non_null(strstr(r.err, ": warning: "));
	run_result_free(&r);
	free(out);
}

/* --verbose: every file, written then kept. */
static void verbose_names_every_file(void **state)
{
	char *out = xasprintf("%s/out", (char *)*state);
	struct run_result r = build(out, "-v");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "gloss: checked " CONTENT " in "));
	char **lines;
	size_t n = manifest_lines(out, &lines);
	assert_true(n > 10);
	for (size_t i = 0; i < n; i++) {
		char *want = xasprintf("gloss: wrote %s\n", lines[i]);
		if (!strstr(r.err, want))
			fail_msg("--verbose did not name %s", lines[i]);
		free(want);
	}
	run_result_free(&r);
	r = build(out, "--verbose");
	for (size_t i = 0; i < n; i++) {
		char *want = xasprintf("gloss: kept %s\n", lines[i]);
		assert_non_null(strstr(r.err, want));
		free(want);
	}
	run_result_free(&r);
	free_lines(lines, n);
	free(out);
}

/* On a terminal, a build of over a thousand files shows a progress line,
 * cleared before the summary; off a terminal it does not. */
static void progress_line_on_a_terminal(void **state)
{
	const char *dir = *state;
	put_file(dir, "content/archive.yaml", "title: Bulk\n", -1);
	for (int i = 0; i < 600; i++) {
		char *txt = xasprintf("content/articles/a-%04d.txt", i);
		char *md = xasprintf("content/articles/a-%04d.md", i);
		put_file(dir, txt, "Headline\nA line of text.\n", -1);
		put_file(dir, md, "---\noutlet: Wire\ndate: 2009\n---\n", -1);
		free(txt);
		free(md);
	}
	char *cmd = xasprintf("script -qec '%s build -C %s/content -t themes/default "
			      "-o %s/out' /dev/null", gloss_binary(), dir, dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *seen = slurp_fd(fileno(p));
	int status = pclose(p);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "script(1) exited with status %d; it printed:\n%s\n",
			status, seen);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(seen, "\rgloss: writing files: "));
	assert_non_null(strstr(seen, " of about "));
	assert_non_null(strstr(seen, "\r\033[Kgloss: built "));
	free(seen);
	free(cmd);
	/* Not a terminal: no progress line. */
	char *content = xasprintf("%s/content", dir);
	char *out = xasprintf("%s/out2", dir);
	const char *args[] = {"build", "-C", content, "-t", "themes/default",
			      "-o", out, NULL};
	struct run_result r = run_gloss(args);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.err, "writing files"));
	run_result_free(&r);
	free(content);
	free(out);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(summary_counts_what_was_written),
		T(quiet_says_only_problems),
		T(verbose_names_every_file),
		T(progress_line_on_a_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
