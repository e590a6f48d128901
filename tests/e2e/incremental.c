/* Incremental builds: a rebuild renders only the pages whose inputs
 * changed (inputs.h), and is always byte for byte the site a fresh build
 * writes, whatever was edited. */
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

static int setup(void **state)
{
	char *dir = temp_dir();
	char *cmd = xasprintf("cp -R tests/golden/basic/content '%s/content' && "
			      "cp -R themes/default '%s/theme'", dir, dir);
	int rc = system(cmd);
	free(cmd);
	*state = dir;
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	remove_dir(*state);
	free(*state);
	return 0;
}

static int build_into(const char *dir, const char *out)
{
	char *content = xasprintf("%s/content", dir);
	char *theme = xasprintf("%s/theme", dir);
	char *output = xasprintf("%s/%s", dir, out);
	const char *args[] = {"build", "-C", content, "-t", theme, "-o", output,
			      "-q", "--no-history", NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	if (status != 0)
		fprintf(stderr, "%s", r.err);
	run_result_free(&r);
	free(content);
	free(theme);
	free(output);
	return status;
}

/* Rebuilds DIR/out after an edit, builds DIR/fresh from nothing, and
 * asserts the two sites are the same bytes. */
static void rebuild_matches_fresh(const char *dir, const char *what)
{
	char *cmd = xasprintf("rm -rf '%s/fresh'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(build_into(dir, "out"), 0);
	assert_int_equal(build_into(dir, "fresh"), 0);
	cmd = xasprintf("diff -r '%s/out' '%s/fresh' >&2", dir, dir);
	int rc = system(cmd);
	free(cmd);
	if (rc != 0)
		fail_msg("after %s, the rebuilt site differs from a fresh one",
			 what);
}

/* Replaces the first FROM in DIR/REL with TO. */
static void edit(const char *dir, const char *rel, const char *from,
		 const char *to)
{
	char *text = get_file(dir, rel);
	assert_non_null(text);
	char *at = strstr(text, from);
	if (!at)
		fail_msg("'%s' is not in %s", from, rel);
	*at = '\0';
	char *out = xasprintf("%s%s%s", text, to, at + strlen(from));
	put_file(dir, rel, out, -1);
	free(out);
	free(text);
}

static void every_edit_rebuilds_to_the_fresh_site(void **state)
{
	const char *dir = *state;
	const char *alpha = "content/articles/2008-alpha-offer.md";
	assert_int_equal(build_into(dir, "out"), 0);

	edit(dir, alpha, "rejects the offer.", "rejected the offer.");
	rebuild_matches_fresh(dir, "a note's words");
	edit(dir, alpha, "Overlaps with the next note.",
	     "Overlaps with the next note, says [](party:gamma).");
	rebuild_matches_fresh(dir, "a note now linking a party");
	edit(dir, "content/parties/gamma.md", "name: Gamma", "name: Gamma State");
	rebuild_matches_fresh(dir, "a party's name");
	edit(dir, "content/parties/gamma.md", "summary: A mediator.",
	     "summary: A mediator.\naliases: [The leader]");
	rebuild_matches_fresh(dir, "a party's aliases (mentions)");
	edit(dir, "content/proposals/2008-alpha-truce.md", "stance: accepted",
	     "stance: conditional");
	rebuild_matches_fresh(dir, "a position's stance");
	edit(dir, "content/proposals/2008-alpha-truce.md", "title: ",
	     "title: Renamed ");
	rebuild_matches_fresh(dir, "a proposal's title");
	edit(dir, "content/articles/2008-alpha-offer.txt", "truce",
	     "ceasefire or truce");
	rebuild_matches_fresh(dir, "an article's text");
	edit(dir, "theme/article.html", "<article class=\"article\">",
	     "<article class=\"article edited\">");
	rebuild_matches_fresh(dir, "a template");
	edit(dir, "content/archive.yaml", "title: ", "title: Retitled ");
	rebuild_matches_fresh(dir, "archive.yaml");
	put_file(dir, "content/pages/more.md",
		 "---\ntitle: More\n---\nOn [](party:hamas).\n", -1);
	rebuild_matches_fresh(dir, "a new page linking a party");
	char *cmd = xasprintf("rm '%s/content/pages/more.md'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	rebuild_matches_fresh(dir, "a page removed");
}

/* A page whose inputs did not change is not rendered at all: a page
 * altered in the output after the last build stays as it is, where the
 * edited article's page is rendered anew. */
static void unchanged_pages_are_not_rendered(void **state)
{
	const char *dir = *state;
	assert_int_equal(build_into(dir, "out"), 0);
	const char *beta = "out/articles/2008-03-beta-answer.html";
	const char *alpha = "out/articles/2008-alpha-offer.html";
	char *page = get_file(dir, beta);
	char *marked = xasprintf("%s<!-- kept -->", page);
	put_file(dir, beta, marked, -1);
	put_file(dir, alpha, "stale", -1);
	edit(dir, "content/articles/2008-alpha-offer.md",
	     "A nested passage inside", "A passage nested inside");
	assert_int_equal(build_into(dir, "out"), 0);
	char *after = get_file(dir, beta);
	assert_string_equal(after, marked);
	char *alpha_page = get_file(dir, alpha);
	assert_non_null(strstr(alpha_page, "A passage nested inside"));
	free(alpha_page);
	free(after);
	free(marked);
	free(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_edit_rebuilds_to_the_fresh_site),
		cmocka_unit_test(unchanged_pages_are_not_rendered),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
