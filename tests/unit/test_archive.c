/* Loading an archive (archive.h): names that are refused; captures read
 * only when something needs their bytes. */
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

#include <cmark.h>

#include "annotate.h"
#include "archive.h"
#include "fsutil.h"
#include "site.h"
#include "template.h"

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

/* Waits until the files just written are settled (fsutil.h): changed
 * before the clock of a build started now, by more than the file
 * system's timestamps can blur. */
static void settle(const char *rel)
{
	char *path = path_join(content, rel);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	free(path);
	struct timespec wait = {st.st_ctim.tv_nsec == 0 ? 3 : 0, 50000000};
	nanosleep(&wait, NULL);
}

static struct archive *load_cached(size_t errors)
{
	struct diag d;
	FILE *out = fopen("/dev/null", "w");
	diag_init(&d, out);
	struct archive *a = archive_load_cached(content, 2, CACHE_SAVE, &d);
	fclose(out);
	assert_non_null(a);
	assert_int_equal(d.errors, errors);
	return a;
}

/* Builds A into a site under CACHE, which must fail, with exit 3 and the
 * one message MESSAGE at the content file REL, writing nothing. */
static void expect_lost(const struct archive *a, const char *cache,
			const char *rel, const char *message)
{
	struct theme theme;
	struct diag d;
	char *log = NULL;
	size_t log_len = 0;
	FILE *out = open_memstream(&log, &log_len);
	diag_init(&d, out);
	assert_int_equal(theme_load(&theme, "themes/default", &d), 0);
	char *output = path_join(cache, "site");
	struct site_stats stats;
	assert_int_equal(site_build(a, &theme, NULL, output, NULL, &stats, &d),
			 3);
	fclose(out);
	assert_int_equal(d.errors, 1);
	char *path = path_join(content, rel);
	size_t size = strlen(path) + sizeof ": error: \n" + strlen(message);
	char *expected = malloc(size);
	snprintf(expected, size, "%s: error: %s\n", path, message);
	assert_string_equal(log, expected);
	struct stat st;
	assert_int_not_equal(stat(output, &st), 0);
	theme_release(&theme);
	free(expected);
	free(path);
	free(log);
	free(output);
}

/* Makes a cache folder of the test's own from CACHE, a mkdtemp
 * template, and points XDG_CACHE_HOME at it; cache_end removes it. */
static void cache_begin(char *cache)
{
	assert_non_null(mkdtemp(cache));
	setenv("XDG_CACHE_HOME", cache, 1);
}

static void cache_end(const char *cache)
{
	remove_tree(cache);
	unsetenv("XDG_CACHE_HOME");
}

/* A capture whose stamp is the one the text cache recorded is not read
 * while loading; the title its first line gives comes from the
 * annotation cache; the bytes are read when asked for. One that changed
 * meanwhile is not taken: it reads as zeros of the length its passages
 * were found in, and a site built from it is not written. */
static void test_capture_read_when_needed(void **state)
{
	(void)state;
	char cache[] = "/tmp/gloss-test-cache-XXXXXX";
	cache_begin(cache);
	const char *b_text = "Second headline\nBeta said no.\n";
	put("archive.yaml", "title: T\n");
	put("articles/a.txt", "\a\nThe headline\nAlpha offered a truce.\n");
	put("articles/a.md", "---\noutlet: O\ndate: 2008\n---\nIntro.\n\n"
			     "> Alpha offered a truce.\n\nA note.\n");
	put("articles/b.txt", b_text);
	put("articles/b.md", "---\noutlet: O\ndate: 2009\n---\nIntro.\n");
	settle("articles/b.txt");

	struct archive *a = load_cached(0);
	assert_int_equal(a->texts_read, 2);
	assert_string_equal(a->articles[0]->title, "The headline");
	archive_save_cache(a);
	archive_free(a);

	a = load_cached(0);
	assert_int_equal(a->texts_read, 0);
	struct article *alpha = a->articles[0], *beta = a->articles[1];
	assert_null(alpha->text);
	assert_string_equal(alpha->title, "The headline");
	assert_string_equal(beta->title, "Second headline");
	assert_int_equal(alpha->note_count, 1);
	assert_int_equal(beta->text_len, strlen(b_text));
	const char *text = article_text(a, alpha);
	assert_non_null(text);
	assert_memory_equal(text + alpha->notes[0].passage.start,
			    "Alpha offered a truce.", 22);
	assert_false(alpha->text_lost);
	assert_int_equal(a->texts_read, 1);

	/* Beta changes after loading, to bytes of the same length. */
	put("articles/b.txt", "Second headline\nBeta said so.\n");
	expect_lost(a, cache, "articles/b.txt", ARTICLE_TEXT_LOST);
	assert_true(beta->text_lost);
	assert_int_equal(a->texts_lost, 1);
	text = article_text(a, beta);
	for (size_t i = 0; i < beta->text_len; i++)
		assert_int_equal(text[i], 0);
	archive_free(a);

	/* Its stamp changed with it: the next load reads it. */
	a = load_cached(0);
	assert_int_equal(a->texts_read, 1);
	assert_memory_equal(a->articles[1]->text,
			    "Second headline\nBeta said so.\n", strlen(b_text));
	archive_free(a);
	cache_end(cache);
}

/* An article's .md file whose stamp is the one recorded is not read
 * while loading: its front matter comes from the front matter cache,
 * its body's place and digests from its record. It is read when its
 * body is parsed; one that changed meanwhile is not taken, and a site
 * built from it is not written. */
static void test_source_read_when_needed(void **state)
{
	(void)state;
	char cache[] = "/tmp/gloss-test-cache-XXXXXX";
	cache_begin(cache);
	const char *md = "---\noutlet: O\ndate: 2008\n---\nIntro.\n\n"
			 "> Alpha offered a truce.\n\nA note.\n";
	put("archive.yaml", "title: T\n");
	put("articles/a.txt", "The headline\nAlpha offered a truce.\n");
	put("articles/a.md", md);
	settle("articles/a.md");

	struct archive *a = load_cached(0);
	assert_int_equal(a->sources_read, 1);
	archive_save_cache(a);
	archive_free(a);

	a = load_cached(0);
	struct article *alpha = a->articles[0];
	assert_int_equal(a->sources_read, 0);
	assert_null(alpha->source_md);
	assert_string_equal(alpha->outlet, "O");
	assert_int_equal(alpha->note_count, 1);
	assert_int_equal(alpha->body.first_line, 5);
	assert_int_equal(alpha->body_start + alpha->body_len, strlen(md));
	article_tree(a, alpha);
	assert_int_equal(a->sources_read, 1);
	assert_non_null(alpha->body.doc);
	assert_false(alpha->source_lost);
	archive_free(a);

	/* Changed after loading, to bytes of the same length. */
	a = load_cached(0);
	alpha = a->articles[0];
	assert_int_equal(a->sources_read, 0);
	put("articles/a.md", "---\noutlet: O\ndate: 2008\n---\nIntro.\n\n"
			     "> Alpha offered a truce.\n\nA nose.\n");
	expect_lost(a, cache, "articles/a.md", ARTICLE_SOURCE_LOST);
	assert_true(alpha->source_lost);
	archive_free(a);

	/* Its stamp changed with it: the next load reads it. */
	a = load_cached(0);
	assert_int_equal(a->sources_read, 1);
	archive_free(a);
	cache_end(cache);
}

/* A proposal's file whose stamp is the one recorded is not read while
 * loading: its front matter comes from the front matter cache, its
 * body's place and digest from its record, its links from theirs. It
 * is read when it is parsed; one that changed meanwhile is not taken,
 * and a site built from it is not written. */
static void test_proposal_read_when_needed(void **state)
{
	(void)state;
	char cache[] = "/tmp/gloss-test-cache-XXXXXX";
	cache_begin(cache);
	const char *md = "---\ntitle: Truce\ndate: 2008\nproposed_by: [alpha]\n"
			 "terms: [\"A [pause](party:alpha).\"]\n---\n"
			 "Offered by [Alpha](party:alpha).\n";
	put("archive.yaml", "title: T\n");
	put("parties/alpha.md", "---\nname: Alpha\n---\nA party.\n");
	put("proposals/truce.md", md);
	settle("proposals/truce.md");

	struct archive *a = load_cached(0);
	assert_int_equal(a->proposal_sources_read, 1);
	/* Parsed while loading, it let go of its file. */
	assert_non_null(a->proposals[0]->body.doc);
	assert_null(a->proposals[0]->source);
	size_t referrers = a->parties[0]->referrers.count;
	assert_true(referrers > 0);
	archive_save_cache(a);
	archive_free(a);

	a = load_cached(0);
	struct proposal *truce = a->proposals[0];
	assert_int_equal(a->proposal_sources_read, 0);
	assert_int_equal(a->proposal_trees_parsed, 0);
	assert_null(truce->source);
	assert_string_equal(truce->title, "Truce");
	assert_int_equal(truce->body.first_line, 7);
	assert_int_equal(truce->source_len, strlen(md));
	/* Its links came from the cache: the party lists it. */
	assert_int_equal(a->parties[0]->referrers.count, referrers);
	proposal_tree(a, truce);
	assert_int_equal(a->proposal_sources_read, 1);
	assert_non_null(truce->source);
	assert_string_equal(truce->source, md);
	assert_non_null(truce->body.doc);
	assert_non_null(truce->terms[0].doc);
	assert_false(truce->source_lost);
	archive_free(a);

	/* Changed after loading, to bytes of the same length. */
	a = load_cached(0);
	truce = a->proposals[0];
	assert_int_equal(a->proposal_sources_read, 0);
	char *changed = strdup(md);
	*strstr(changed, "Offered") = 'o';
	put("proposals/truce.md", changed);
	expect_lost(a, cache, "proposals/truce.md", ARTICLE_SOURCE_LOST);
	assert_true(truce->source_lost);
	archive_free(a);

	/* Its stamp changed with it: the next load reads it. */
	a = load_cached(0);
	assert_int_equal(a->proposal_sources_read, 1);
	assert_null(a->proposals[0]->source);
	cmark_node *para = cmark_node_first_child(a->proposals[0]->body.doc);
	assert_string_equal(cmark_node_get_literal(cmark_node_first_child(para)),
			    "offered by ");
	archive_free(a);
	free(changed);
	cache_end(cache);
}

/* The front matter and text caches describe files: an archive with
 * errors elsewhere saves them as it loads, and the next load takes
 * every front matter from them. */
static void test_file_caches_saved_despite_errors(void **state)
{
	(void)state;
	char cache[] = "/tmp/gloss-test-cache-XXXXXX";
	cache_begin(cache);
	put("archive.yaml", "title: T\n");
	put("articles/a.txt", "The headline\nAlpha offered a truce.\n");
	put("articles/a.md", "---\noutlet: O\ndate: 2008\n---\nIntro.\n");
	put("articles/b.txt", "Another\nBeta said no.\n");
	put("articles/b.md", "---\ndate: 2009\n---\nNo outlet.\n");
	settle("articles/b.md");

	struct archive *a = load_cached(1);
	assert_int_equal(a->fm_cached, 0);
	archive_free(a);

	/* Both files are there, the annotations' not (it needs no errors). */
	char *dir = path_join(cache, "gloss");
	char **names;
	size_t n;
	assert_int_equal(list_dir(dir, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_non_null(strstr(names[0], ".captures"));
	assert_non_null(strstr(names[1], ".frontmatter"));
	names_free(names, n);
	free(dir);

	a = load_cached(1);
	assert_int_equal(a->fm_cached, 2);
	archive_free(a);
	cache_end(cache);
}

/* What the caller's work given to site_build (site_hooks' aside and
 * rendered) saw. */
struct aside_seen {
	const char *output;
	int calls, rendered_calls, asides_before_rendered;
	bool site_in_place, in_place_when_rendered;
};

static void aside(void *arg)
{
	struct aside_seen *seen = arg;
	struct stat st;
	seen->calls++;
	seen->site_in_place = stat(seen->output, &st) == 0;
}

static void rendered(void *arg)
{
	struct aside_seen *seen = arg;
	struct stat st;
	seen->rendered_calls++;
	seen->asides_before_rendered = seen->calls;
	seen->in_place_when_rendered = stat(seen->output, &st) == 0;
}

/* The caller's work is done once, as one of the jobs that render pages,
 * and the caller told once they are all done: before the site is put
 * in place, on one thread or two. */
static void test_aside_and_rendered_once(void **state)
{
	(void)state;
	put("archive.yaml", "title: T\n");
	put("articles/a.txt", "The headline\nAlpha offered a truce.\n");
	put("articles/a.md", "---\noutlet: O\ndate: 2008\n---\nIntro.\n");
	struct diag d;
	FILE *out = fopen("/dev/null", "w");
	diag_init(&d, out);
	struct archive *a = archive_load(content, 2, &d);
	assert_non_null(a);
	struct theme theme;
	assert_int_equal(theme_load(&theme, "themes/default", &d), 0);
	assert_int_equal(d.errors, 0);
	for (unsigned threads = 1; threads <= 2; threads++) {
		char name[32];
		snprintf(name, sizeof name, "site-%u", threads);
		char *output = path_join(content, name);
		struct aside_seen seen = {output, 0, 0, 0, true, true};
		struct site_hooks hooks = {.threads = threads,
					   .aside = aside,
					   .aside_arg = &seen,
					   .rendered = rendered,
					   .rendered_arg = &seen};
		struct site_stats stats;
		assert_int_equal(site_build(a, &theme, NULL, output, &hooks,
					    &stats, &d),
				 0);
		assert_int_equal(seen.calls, 1);
		assert_false(seen.site_in_place);
		assert_int_equal(seen.rendered_calls, 1);
		assert_int_equal(seen.asides_before_rendered, 1);
		assert_false(seen.in_place_when_rendered);
		struct stat st;
		assert_int_equal(stat(output, &st), 0);
		free(output);
	}
	fclose(out);
	theme_release(&theme);
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
		cmocka_unit_test_setup_teardown(test_capture_read_when_needed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_read_when_needed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_proposal_read_when_needed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_caches_saved_despite_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aside_and_rendered_once,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
